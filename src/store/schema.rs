//! Applying schema.sql and migrating older stores; `PRAGMA user_version` is the schema version.

use rusqlite::Connection;

use super::OpenError;

/// The schema version this binary writes. Raise it and add a step to `MIGRATIONS` when schema.sql changes.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = include_str!("../../schema.sql");

/// `MIGRATIONS[i]` takes a store from version `i + 1` to `i + 2`. Empty while only version 1 exists.
const MIGRATIONS: &[&str] = &[];

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
