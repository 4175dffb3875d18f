//! `appends` (collections.md §8): association paths validated into a tree, then loaded in batches —
//! one query per association and level for a whole page, never one per record.

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::Value;

use super::filter::{not_an_association, unknown_field};
use super::records::{Allowed, Reach};
use super::registry::{absent_column, Collection, Kind, Schema};
use super::rows::{self, Record};
use crate::error::{invalid_param, Error, Result};

/// How deep a path may go (`a.b.c.d`).
pub const MAX_LEVELS: usize = 4;

/// Validated paths: each node is an association (canonical name) and what to append below it, with
/// how its records are shaped (nested `fields` and `except`, applied by `view`).
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub children: Vec<(String, Tree)>,
    /// Keys kept on this level's records (`fields`; appended associations always stay); `None` keeps all.
    pub keep: Option<Vec<String>>,
    /// Keys dropped from this level's records (`except`).
    pub drop: Vec<String>,
    /// Appended by name (`appends`, or `fields` naming the association): every key stays.
    pub whole: bool,
    /// Only the rows this user created are loaded on this level (the caller's scope `own` on its
    /// collection, [`restrict`]).
    pub own: Option<i64>,
}

impl Tree {
    pub fn is_empty(&self) -> bool {
        self.children.is_empty()
    }

    pub fn child(&mut self, name: &str) -> &mut Tree {
        if let Some(i) = self.children.iter().position(|(n, _)| n == name) {
            return &mut self.children[i].1;
        }
        self.children.push((name.to_string(), Tree::default()));
        let last = self.children.len() - 1;
        &mut self.children[last].1
    }
}

/// Validates `paths` against the registry: unknown segment → `UNKNOWN_FIELD`, a column before the
/// last segment or alone → `NOT_AN_ASSOCIATION`, more than four levels → `INVALID_PARAMETER`. A path
/// ending in a column (`category.title`) appends the association with only that column.
pub fn parse(schema: &Schema, coll: &Collection, paths: &[String]) -> Result<Tree> {
    let mut tree = Tree::default();
    for path in paths {
        let path = path.trim();
        if path.is_empty() {
            continue;
        }
        let segs: Vec<&str> = path.split('.').collect();
        if segs.len() > MAX_LEVELS {
            return Err(invalid_param(
                "appends",
                &format!("\"{path}\" is deeper than {MAX_LEVELS} levels"),
            ));
        }
        let mut node = &mut tree;
        let mut cur = coll;
        let mut column = None;
        for (i, seg) in segs.iter().enumerate() {
            let last = i + 1 == segs.len();
            let field = match cur.field(seg) {
                Some(f) => f,
                None if last && i > 0 && absent_column(&cur.name, seg) => {
                    column = Some(seg.to_string());
                    break;
                }
                None => return Err(unknown_field(seg, &cur.name)),
            };
            if !field.is_association() {
                if last && i > 0 {
                    column = Some(field.name.clone());
                    break;
                }
                return Err(not_an_association(&segs[..=i].join("."), &coll.name));
            }
            node = node.child(&field.name);
            cur = target_of(schema, cur, &field.name)?;
        }
        match column {
            // `category.title`: the association with that column (NocoBase's options parser treats a
            // last segment that is an attribute as the attributes to load); `appends=category` as well
            // keeps it whole.
            Some(c) => node.keep.get_or_insert_with(Vec::new).push(c),
            None => node.whole = true,
        }
    }
    Ok(tree)
}

/// Applies the caller's `view` rights to every level of the tree: an association whose target the
/// role may not view is left out of the records (NocoBase's ACL strips the appends a role may not
/// read); one whose target it may view only its own rows of loads only those (a to-one reads `null`).
pub fn restrict(schema: &Schema, coll: &Collection, tree: &mut Tree, reach: &Reach) -> Result<()> {
    let mut kept = Vec::with_capacity(tree.children.len());
    for (name, mut sub) in std::mem::take(&mut tree.children) {
        let target = target_of(schema, coll, &name)?;
        match reach.allowed(target, "view") {
            Allowed::Denied => continue,
            Allowed::Own(user) => sub.own = Some(user),
            Allowed::All => {}
        }
        restrict(schema, target, &mut sub, reach)?;
        kept.push((name, sub));
    }
    tree.children = kept;
    Ok(())
}

pub fn target_of<'s>(schema: &'s Schema, coll: &Collection, field: &str) -> Result<&'s Collection> {
    coll.field(field)
        .and_then(|f| f.kind.target())
        .and_then(|t| schema.get(t))
        .map(|c| c.as_ref())
        .ok_or_else(|| {
            Error::internal(format!(
                "{}.{field} has no target in the registry",
                coll.name
            ))
        })
}

/// Adds the appended associations to `records` (full rows of `coll`), recursively.
pub fn attach(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    records: &mut [Record],
    tree: &Tree,
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    for (name, sub) in &tree.children {
        let Some(field) = coll.field(name) else {
            continue;
        };
        let target = target_of(schema, coll, name)?;
        match &field.kind {
            Kind::BelongsTo { foreign_key, .. } => {
                let ids = unique(records.iter().filter_map(|r| rows::int(r, foreign_key)));
                let mut found: Vec<(i64, Record)> =
                    rows::load_by(conn, target, "id", &ids, None, sub.own)?;
                attach_nested(conn, schema, target, &mut found, sub)?;
                let by_id: HashMap<i64, Record> = found.into_iter().collect();
                for r in records.iter_mut() {
                    let v = rows::int(r, foreign_key)
                        .and_then(|id| by_id.get(&id))
                        .cloned();
                    r.insert(
                        field.name.clone(),
                        v.map(Value::Object).unwrap_or(Value::Null),
                    );
                }
            }
            Kind::HasOne { foreign_key, .. } | Kind::HasMany { foreign_key, .. } => {
                let ids = unique(records.iter().filter_map(|r| rows::int(r, "id")));
                let mut found = rows::load_by(conn, target, foreign_key, &ids, None, sub.own)?;
                attach_nested(conn, schema, target, &mut found, sub)?;
                put_grouped(records, &field.name, found, field.kind.is_to_one());
            }
            Kind::BelongsToMany {
                through,
                foreign_key,
                other_key,
                ..
            } => {
                let ids = unique(records.iter().filter_map(|r| rows::int(r, "id")));
                let mut found = rows::load_by(
                    conn,
                    target,
                    foreign_key,
                    &ids,
                    Some((through, other_key)),
                    sub.own,
                )?;
                attach_nested(conn, schema, target, &mut found, sub)?;
                put_grouped(records, &field.name, found, false);
            }
            Kind::Scalar(_) => {}
        }
    }
    Ok(())
}

fn attach_nested(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    found: &mut [(i64, Record)],
    sub: &Tree,
) -> Result<()> {
    if sub.is_empty() || found.is_empty() {
        return Ok(());
    }
    let mut recs: Vec<Record> = found.iter_mut().map(|(_, r)| std::mem::take(r)).collect();
    attach(conn, schema, coll, &mut recs, sub)?;
    for ((_, slot), r) in found.iter_mut().zip(recs) {
        *slot = r;
    }
    Ok(())
}

/// Puts the loaded (source id, target) pairs on their sources: the first one (to-one, lowest id) or all.
fn put_grouped(records: &mut [Record], name: &str, found: Vec<(i64, Record)>, to_one: bool) {
    let mut groups: HashMap<i64, Vec<Value>> = HashMap::new();
    for (src, r) in found {
        groups.entry(src).or_default().push(Value::Object(r));
    }
    for r in records.iter_mut() {
        let items = rows::int(r, "id")
            .and_then(|id| groups.get(&id))
            .cloned()
            .unwrap_or_default();
        let v = if to_one {
            items.into_iter().next().unwrap_or(Value::Null)
        } else {
            Value::Array(items)
        };
        r.insert(name.to_string(), v);
    }
}

fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    super::sql::dedup_ids(&ids.collect::<Vec<_>>())
}
