//! Applying schema.sql and migrating older stores; `PRAGMA user_version` is the schema version.

use rusqlite::Connection;

use super::OpenError;

/// The schema version this binary writes. Raise it and add a step to `MIGRATIONS` when schema.sql changes.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = include_str!("../../schema.sql");

/// `MIGRATIONS[i]` takes a store from version `i + 1` to `i + 2`. Empty while only version 1 exists.
const MIGRATIONS: &[&str] = &[];

/// NocoBase's executed counts (`workflowStats` per key, `workflowVersionStats` per version) computed from
/// the stored versions and executions, never stored: temporary views each connection creates after the
/// schema is applied, so the store's schema (and its version) stays what schema.sql says. One row per
/// workflow version, keyed by its id; their names are the registry's (`fg_` names are reserved).
pub(super) const STATS_VIEWS: &str = "
CREATE TEMP VIEW IF NOT EXISTS fg_workflow_version_stats AS
  SELECT w.id AS id, w.executed AS executed, w.createdAt AS createdAt,
         COALESCE((SELECT MAX(e.createdAt) FROM main.executions e WHERE e.workflowId = w.id), w.createdAt) AS updatedAt
  FROM main.workflows w;
CREATE TEMP VIEW IF NOT EXISTS fg_workflow_stats AS
  SELECT w.id AS id, w.key AS key,
         (SELECT SUM(x.executed) FROM main.workflows x WHERE x.key = w.key) AS executed,
         (SELECT MIN(x.createdAt) FROM main.workflows x WHERE x.key = w.key) AS createdAt,
         COALESCE((SELECT MAX(e.createdAt) FROM main.executions e WHERE e.key = w.key),
                  (SELECT MIN(x.createdAt) FROM main.workflows x WHERE x.key = w.key)) AS updatedAt
  FROM main.workflows w;
";

pub(super) fn apply(conn: &mut Connection, shown: &str) -> Result<(), OpenError> {
    let err = |e| OpenError::Sqlite(shown.to_string(), e);
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
    if found > SCHEMA_VERSION {
        return Err(OpenError::Newer { path: shown.to_string(), found, supported: SCHEMA_VERSION });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
    if found == 0 {
        tx.execute_batch(SCHEMA).map_err(err)?;
    } else {
        for step in &MIGRATIONS[(found - 1) as usize..] {
            tx.execute_batch(step).map_err(err)?;
        }
    }
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};")).map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(())
}
