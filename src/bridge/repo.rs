//! The repository of `fg_bridge_kept`: whole definitions of an imported document that flowgate cannot
//! host (bridge.md §5.1, §6.2), kept verbatim so that export gives them back in place.

use rusqlite::{params, Connection};
use serde_json::Value;

use crate::error::Result;
use crate::store::OptionalExt;

/// One kept definition. `kind`: `collection`, `field` or `workflow`; `path`: its document path.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub kind: String,
    pub path: String,
    pub position: i64,
    pub definition: Value,
    pub reason: String,
}

/// Every kept definition, by kind and path.
pub fn all(c: &Connection) -> Result<Vec<Kept>> {
    let mut st = c.prepare_cached(
        "SELECT kind, path, position, definition, reason FROM fg_bridge_kept ORDER BY kind, path",
    )?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The kept definition at (`kind`, `path`), if any.
pub fn get(c: &Connection, kind: &str, path: &str) -> Result<Option<Kept>> {
    c.prepare_cached(
        "SELECT kind, path, position, definition, reason FROM fg_bridge_kept WHERE kind = ?1 AND path = ?2",
    )?
    .query_row(params![kind, path], from_row)
    .optional()
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Kept> {
    let text: String = r.get(3)?;
    Ok(Kept {
        kind: r.get(0)?,
        path: r.get(1)?,
        position: r.get(2)?,
        definition: serde_json::from_str(&text).unwrap_or(Value::Null),
        reason: r.get(4)?,
    })
}

pub fn put(c: &Connection, k: &Kept) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO fg_bridge_kept (kind, path, position, definition, reason) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(kind, path) DO UPDATE SET position = excluded.position, definition = excluded.definition, reason = excluded.reason",
    )?
    .execute(params![k.kind, k.path, k.position, k.definition.to_string(), k.reason])?;
    Ok(())
}

pub fn delete(c: &Connection, kind: &str, path: &str) -> Result<usize> {
    Ok(
        c.prepare_cached("DELETE FROM fg_bridge_kept WHERE kind = ?1 AND path = ?2")?
            .execute(params![kind, path])?,
    )
}

/// Why the workflow of `key` is kept instead of runnable (`node type "aggregate"`), if it is.
pub fn workflow_reason(c: &Connection, key: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT reason FROM fg_bridge_kept WHERE kind = 'workflow' AND path = ?1")?
        .query_row(params![format!("workflows.{key}")], |r| r.get(0))
        .optional()
}
