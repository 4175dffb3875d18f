//! What a record looks like on the way out (collections.md §8): `appends`, `fields` (columns to keep; an
//! association named there is appended) and `except` (keys to drop), plus `sort`.

use rusqlite::Connection;
use serde_json::Value;

use super::appends::{self, Tree};
use super::filter::unknown_field;
use super::records::Reach;
use super::registry::{absent_column, Collection, Schema};
use super::rows::Record;
use super::sql::q;
use crate::error::{invalid_param, Result};

#[derive(Debug, Default, Clone)]
pub struct View {
    tree: Tree,
}

/// Which parameter a path came from.
#[derive(Clone, Copy, PartialEq)]
enum Param {
    Fields,
    Except,
}

impl View {
    /// Validates the three parameters against `coll`. Dotted `fields` and `except` (`nodes.title`,
    /// `jobs.result`) shape an association's records: a `fields` path appends the associations on its
    /// way, an `except` path acts only on associations that are appended.
    /// With a `reach`, associations whose target the caller may not view are left out and those it may
    /// view only its own rows of load only those ([`appends::restrict`]).
    pub fn new(
        schema: &Schema,
        coll: &Collection,
        appends: &[String],
        fields: &[String],
        except: &[String],
        reach: Option<Reach>,
    ) -> Result<View> {
        let mut tree = appends::parse(schema, coll, appends)?;
        for name in fields.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            shape_path(schema, coll, &mut tree, name, Param::Fields)?;
        }
        for name in except.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            shape_path(schema, coll, &mut tree, name, Param::Except)?;
        }
        if let Some(reach) = reach {
            appends::restrict(schema, coll, &mut tree, &reach)?;
        }
        Ok(View { tree })
    }

    /// Only appends (the Rust API's reads).
    pub fn appends(schema: &Schema, coll: &Collection, appends: &[String]) -> Result<View> {
        View::new(schema, coll, appends, &[], &[], None)
    }

    /// Full rows of `coll` → the records to return.
    pub fn render(
        &self,
        conn: &Connection,
        schema: &Schema,
        coll: &Collection,
        mut records: Vec<Record>,
    ) -> Result<Vec<Value>> {
        appends::attach(conn, schema, coll, &mut records, &self.tree)?;
        Ok(records
            .into_iter()
            .map(|mut r| {
                shape(&mut r, &self.tree);
                Value::Object(r)
            })
            .collect())
    }
}

/// Records one `fields` or `except` entry in the tree: every segment but the last is an association
/// (a column there is `UNKNOWN_FIELD`, as is an unknown name); the last is a column, an association, or a
/// column NocoBase has and flowgate does not (accepted, no effect).
fn shape_path(
    schema: &Schema,
    coll: &Collection,
    tree: &mut Tree,
    path: &str,
    param: Param,
) -> Result<()> {
    let segs: Vec<&str> = path.split('.').collect();
    if segs.len() > appends::MAX_LEVELS + 1 {
        let name = if param == Param::Fields {
            "fields"
        } else {
            "except"
        };
        return Err(invalid_param(
            name,
            &format!("\"{path}\" is deeper than {} levels", appends::MAX_LEVELS),
        ));
    }
    let (last, through) = segs.split_last().unwrap_or((&path, &[]));
    let mut node = Some(tree);
    let mut cur = coll;
    for seg in through {
        let field = cur
            .field(seg)
            .ok_or_else(|| unknown_field(seg, &cur.name))?;
        if !field.is_association() {
            return Err(unknown_field(path, &coll.name));
        }
        node = match (node, param) {
            (Some(n), Param::Fields) => {
                n.keep.get_or_insert_with(Vec::new).push(field.name.clone());
                Some(n.child(&field.name))
            }
            (Some(n), Param::Except) => n
                .children
                .iter_mut()
                .find(|(c, _)| *c == field.name)
                .map(|(_, t)| t),
            (None, _) => None,
        };
        cur = appends::target_of(schema, cur, &field.name)?;
    }
    let name = match cur.field(last) {
        Some(f) => f.name.clone(),
        None if absent_column(&cur.name, last) => last.to_string(),
        None => return Err(unknown_field(last, &cur.name)),
    };
    let is_association = cur.field(last).is_some_and(|f| f.is_association());
    let Some(node) = node else { return Ok(()) };
    match param {
        Param::Fields => {
            if is_association {
                node.child(&name).whole = true;
            }
            node.keep.get_or_insert_with(Vec::new).push(name);
        }
        Param::Except => node.drop.push(name),
    }
    Ok(())
}

/// Applies a tree's `keep` and `drop` to a record and to its appended associations.
fn shape(r: &mut Record, tree: &Tree) {
    if let (Some(keep), false) = (&tree.keep, tree.whole) {
        r.retain(|k, _| keep.iter().any(|x| x == k) || tree.children.iter().any(|(c, _)| c == k));
    }
    for d in &tree.drop {
        r.shift_remove(d);
    }
    for (name, sub) in &tree.children {
        match r.get_mut(name) {
            Some(Value::Object(o)) => shape(o, sub),
            Some(Value::Array(items)) => {
                for item in items {
                    if let Value::Object(o) = item {
                        shape(o, sub);
                    }
                }
            }
            _ => {}
        }
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
        let field = coll
            .field(name)
            .filter(|f| f.is_column())
            .ok_or_else(|| unknown_field(name, &coll.name))?;
        has_id |= field.name == "id";
        terms.push(format!(
            "t0.{}{}",
            q(&field.name),
            if desc { " DESC" } else { "" }
        ));
    }
    if !has_id {
        terms.push("t0.\"id\"".into());
    }
    Ok(terms.join(", "))
}
