//! What a record looks like on the way out (collections.md §8): `appends`, `fields` (columns to keep; an
//! association named there is appended) and `except` (keys to drop), plus `sort`.

use rusqlite::Connection;
use serde_json::Value;

use super::appends::{self, Tree};
use super::filter::unknown_field;
use super::registry::{Collection, Schema};
use super::rows::Record;
use super::sql::q;
use crate::error::Result;

#[derive(Debug, Default, Clone)]
pub struct View {
    tree: Tree,
    /// Keys to keep (canonical names); `None` keeps all.
    keep: Option<Vec<String>>,
    drop: Vec<String>,
}

impl View {
    /// Validates the three parameters against `coll`.
    pub fn new(schema: &Schema, coll: &Collection, appends: &[String], fields: &[String], except: &[String]) -> Result<View> {
        let mut paths: Vec<String> = appends.to_vec();
        let mut keep = Vec::new();
        for name in fields.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let head = name.split('.').next().unwrap_or(name);
            let field = coll.field(head).ok_or_else(|| unknown_field(head, &coll.name))?;
            if field.is_association() {
                paths.push(name.to_string());
            } else if name.contains('.') {
                return Err(unknown_field(name, &coll.name));
            }
            keep.push(field.name.clone());
        }
        let mut drop = Vec::new();
        for name in except.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let field = coll.field(name).ok_or_else(|| unknown_field(name, &coll.name))?;
            drop.push(field.name.clone());
        }
        let tree = appends::parse(schema, coll, &paths)?;
        Ok(View { tree, keep: (!fields.is_empty()).then_some(keep), drop })
    }

    /// Only appends (the Rust API's reads).
    pub fn appends(schema: &Schema, coll: &Collection, appends: &[String]) -> Result<View> {
        View::new(schema, coll, appends, &[], &[])
    }

    /// Full rows of `coll` → the records to return.
    pub fn render(&self, conn: &Connection, schema: &Schema, coll: &Collection, mut records: Vec<Record>) -> Result<Vec<Value>> {
        appends::attach(conn, schema, coll, &mut records, &self.tree)?;
        Ok(records
            .into_iter()
            .map(|mut r| {
                if let Some(keep) = &self.keep {
                    r.retain(|k, _| keep.iter().any(|x| x == k));
                }
                for d in &self.drop {
                    r.remove(d);
                }
                Value::Object(r)
            })
            .collect())
    }
}

/// `sort` entries (`-field` descending) → `ORDER BY` text over `t0`, `id` ascending appended.
/// Only this collection's columns are accepted.
pub fn order_by(coll: &Collection, sort: &[String]) -> Result<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut has_id = false;
    for entry in sort.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let (name, desc) = match entry.strip_prefix('-') {
            Some(n) => (n, true),
            None => (entry, false),
        };
        let field = coll.field(name).filter(|f| f.is_column()).ok_or_else(|| unknown_field(name, &coll.name))?;
        has_id |= field.name == "id";
        terms.push(format!("t0.{}{}", q(&field.name), if desc { " DESC" } else { "" }));
    }
    if !has_id {
        terms.push("t0.\"id\"".into());
    }
    Ok(terms.join(", "))
}
