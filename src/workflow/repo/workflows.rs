//! Workflow versions (`workflows`) with their nodes (`flow_nodes`).

use rusqlite::{params, Connection};
use serde_json::Value;

use crate::error::Result;
use crate::store::OptionalExt;
use crate::workflow::model::{Node, Workflow};

/// The columns `Workflow::from_row` reads, in its order.
const WORKFLOW_COLUMNS: &str =
    "id, key, title, description, type, config, enabled, sync, current, options, executed, createdAt, updatedAt, createdById, updatedById";

/// The columns `Node::from_row` reads, in its order.
const NODE_COLUMNS: &str =
    "id, key, workflowId, upstreamId, downstreamId, branchIndex, type, title, config, createdAt, updatedAt";

/// A version to insert (validated by the caller).
pub struct NewWorkflow {
    /// `None` = a random key.
    pub key: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub config: Value,
    pub enabled: bool,
    pub sync: bool,
    pub options: Value,
}

pub fn get(c: &Connection, id: i64) -> Result<Option<Workflow>> {
    c.prepare_cached(&format!(
        "SELECT {WORKFLOW_COLUMNS} FROM workflows WHERE id = ?1"
    ))?
    .query_row(params![id], Workflow::from_row)
    .optional()
}

/// How many versions `key` has, and the id of the enabled one (0 when none is enabled).
pub fn key_versions(c: &Connection, key: &str) -> Result<(i64, i64)> {
    Ok(c.prepare_cached(
        "SELECT COUNT(*), MAX(CASE WHEN enabled = 1 THEN id END) FROM workflows WHERE key = ?1",
    )?
    .query_row(params![key], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
        ))
    })?)
}

/// Whether any version has `key`.
pub fn key_exists(c: &Connection, key: &str) -> Result<bool> {
    Ok(c.query_row(
        "SELECT 1 FROM workflows WHERE key = ?1 LIMIT 1",
        params![key],
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

/// One row under `key` (`w.key` is not read: the caller has chosen the key), made by user `actor`.
/// Returns its id.
pub fn insert(
    c: &Connection,
    key: &str,
    kind: &str,
    w: &NewWorkflow,
    current: bool,
    actor: Option<i64>,
) -> Result<i64> {
    c.execute(
        "INSERT INTO workflows (key, title, description, type, config, enabled, sync, current, options, executed, createdAt, updatedAt, createdById, updatedById)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?10, ?11, ?11)",
        params![
            key, w.title, w.description, kind, w.config.to_string(), w.enabled, w.sync,
            current.then_some(1), w.options.to_string(), crate::time::now_iso(), actor
        ],
    )?;
    Ok(c.last_insert_rowid())
}

/// The enabled versions of trigger type `kind` whose `config.collection` is `collection` or
/// `main:<collection>` (the data-event listeners of a collection), in id order.
pub fn enabled_on_collection(c: &Connection, kind: &str, collection: &str) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT id FROM workflows WHERE enabled = 1 AND type = ?1
           AND json_extract(config, '$.collection') IN (?2, 'main:' || ?2) ORDER BY id",
    )?;
    let ids = st.query_map(params![kind, collection], |r| r.get::<_, i64>(0))?;
    Ok(ids.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The enabled versions of trigger type `kind`, in id order (the scheduler's plan).
pub fn enabled_of_type(c: &Connection, kind: &str) -> Result<Vec<Workflow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {WORKFLOW_COLUMNS} FROM workflows WHERE enabled = 1 AND type = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map(params![kind], Workflow::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every version in key order, oldest first within a key (the bridge's export).
pub fn all_versions(c: &Connection) -> Result<Vec<Workflow>> {
    let mut st = c.prepare(&format!(
        "SELECT {WORKFLOW_COLUMNS} FROM workflows ORDER BY key, id"
    ))?;
    let rows = st.query_map([], Workflow::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The current version of `key`, if any.
pub fn current_of(c: &Connection, key: &str) -> Result<Option<Workflow>> {
    c.prepare_cached(&format!(
        "SELECT {WORKFLOW_COLUMNS} FROM workflows WHERE key = ?1 AND current = 1"
    ))?
    .query_row(params![key], Workflow::from_row)
    .optional()
}

/// A version's `triggerTitle` and other attributes flowgate does not act on (bridge.md §5.1).
pub fn extra(c: &Connection, id: i64) -> Result<Option<Value>> {
    let text: Option<String> = c
        .prepare_cached("SELECT extra FROM workflows WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

pub fn set_extra(c: &Connection, id: i64, extra: Option<&Value>) -> Result<()> {
    c.execute(
        "UPDATE workflows SET extra = ?2 WHERE id = ?1",
        params![id, extra.map(Value::to_string)],
    )?;
    Ok(())
}

pub fn set_config(c: &Connection, id: i64, config: &Value) -> Result<()> {
    c.execute(
        "UPDATE workflows SET config = ?2 WHERE id = ?1",
        params![id, config.to_string()],
    )?;
    Ok(())
}

pub fn set_options(c: &Connection, id: i64, options: &Value) -> Result<()> {
    c.execute(
        "UPDATE workflows SET options = ?2 WHERE id = ?1",
        params![id, options.to_string()],
    )?;
    Ok(())
}

/// A workflow's free-text fields.
#[derive(Debug, Clone, Copy)]
pub enum Text {
    Title,
    Description,
}

pub fn set_text(c: &Connection, id: i64, field: Text, text: Option<&str>) -> Result<()> {
    let sql = match field {
        Text::Title => "UPDATE workflows SET title = ?2 WHERE id = ?1",
        Text::Description => "UPDATE workflows SET description = ?2 WHERE id = ?1",
    };
    c.execute(sql, params![id, text])?;
    Ok(())
}

pub fn set_enabled(c: &Connection, id: i64, enabled: bool) -> Result<()> {
    c.execute(
        "UPDATE workflows SET enabled = ?2 WHERE id = ?1",
        params![id, enabled],
    )?;
    Ok(())
}

/// Version `id` was changed now by user `actor`.
pub fn touch(c: &Connection, id: i64, actor: Option<i64>) -> Result<()> {
    c.execute(
        "UPDATE workflows SET updatedAt = ?2, updatedById = COALESCE(?3, updatedById) WHERE id = ?1",
        params![id, crate::time::now_iso(), actor],
    )?;
    Ok(())
}

/// `w` becomes its key's current version; the key's other versions become `{enabled:false, current:null}`.
pub fn make_current(c: &Connection, w: &Workflow) -> Result<()> {
    c.execute(
        "UPDATE workflows SET enabled = 0, current = NULL, updatedAt = ?3 WHERE key = ?1 AND id <> ?2",
        params![w.key, w.id, crate::time::now_iso()],
    )?;
    c.execute(
        "UPDATE workflows SET current = 1 WHERE id = ?1",
        params![w.id],
    )?;
    Ok(())
}

/// Counts one more execution of version `id` (its config is locked from then on).
pub fn count_execution(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("UPDATE workflows SET executed = executed + 1 WHERE id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// The key's executions so far, all versions (NocoBase's `stats.executed`: a count kept on the
/// versions, which deleting executions does not lower). What a schedule's `limit` is checked against.
pub fn key_executed(c: &Connection, key: &str) -> Result<u64> {
    let n: i64 = c
        .prepare_cached("SELECT COALESCE(SUM(executed), 0) FROM workflows WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Deletes every version of `key` (their nodes go with them); returns how many.
pub fn delete_key(c: &Connection, key: &str) -> Result<usize> {
    Ok(c.execute("DELETE FROM workflows WHERE key = ?1", params![key])?)
}

/// Deletes one version; returns how many (0 or 1).
pub fn delete(c: &Connection, id: i64) -> Result<usize> {
    Ok(c.execute("DELETE FROM workflows WHERE id = ?1", params![id])?)
}

// ---------------------------------------------------------------- nodes

/// A version's nodes in id order.
pub fn nodes(c: &Connection, workflow_id: i64) -> Result<Vec<Node>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {NODE_COLUMNS} FROM flow_nodes WHERE workflowId = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map(params![workflow_id], Node::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn node(c: &Connection, id: i64) -> Result<Option<Node>> {
    c.prepare_cached(&format!(
        "SELECT {NODE_COLUMNS} FROM flow_nodes WHERE id = ?1"
    ))?
    .query_row(params![id], Node::from_row)
    .optional()
}

/// A node to insert, unlinked: the caller links it with [`set_links`].
pub struct NewNode<'a> {
    pub key: &'a str,
    pub workflow_id: i64,
    pub branch_index: Option<i64>,
    pub kind: &'a str,
    pub title: Option<&'a str>,
    pub config: &'a Value,
}

pub fn insert_node(c: &Connection, n: &NewNode) -> Result<i64> {
    c.execute(
        "INSERT INTO flow_nodes (key, workflowId, branchIndex, type, title, config, createdAt, updatedAt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![n.key, n.workflow_id, n.branch_index, n.kind, n.title, n.config.to_string(), crate::time::now_iso()],
    )?;
    Ok(c.last_insert_rowid())
}

/// Where a node sits: its upstream, downstream and branch index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Links {
    pub upstream: Option<i64>,
    pub downstream: Option<i64>,
    pub branch: Option<i64>,
}

pub fn set_links(c: &Connection, id: i64, links: Links) -> Result<()> {
    c.execute(
        "UPDATE flow_nodes SET upstreamId = ?2, downstreamId = ?3, branchIndex = ?4, updatedAt = ?5 WHERE id = ?1",
        params![id, links.upstream, links.downstream, links.branch, crate::time::now_iso()],
    )?;
    Ok(())
}

pub fn set_node_config(c: &Connection, id: i64, config: &Value) -> Result<()> {
    c.execute(
        "UPDATE flow_nodes SET config = ?2 WHERE id = ?1",
        params![id, config.to_string()],
    )?;
    Ok(())
}

pub fn set_node_title(c: &Connection, id: i64, title: Option<&str>) -> Result<()> {
    c.execute(
        "UPDATE flow_nodes SET title = ?2 WHERE id = ?1",
        params![id, title],
    )?;
    Ok(())
}

pub fn touch_node(c: &Connection, id: i64) -> Result<()> {
    c.execute(
        "UPDATE flow_nodes SET updatedAt = ?2 WHERE id = ?1",
        params![id, crate::time::now_iso()],
    )?;
    Ok(())
}

pub fn delete_node(c: &Connection, id: i64) -> Result<()> {
    c.execute("DELETE FROM flow_nodes WHERE id = ?1", params![id])?;
    Ok(())
}
