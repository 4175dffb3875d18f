//! The idempotency-records repository: every SQL statement on `idempotency_keys`.

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::store::OptionalExt;

/// A stored record: the request's fingerprint, `running` or `done`, the answer once done.
pub struct Stored {
    pub fingerprint: Vec<u8>,
    pub running: bool,
    pub status: Option<i64>,
    pub body: Option<String>,
    pub expires_ms: i64,
}

pub fn find(c: &Connection, user_id: i64, key: &str) -> Result<Option<Stored>> {
    c.prepare_cached("SELECT fingerprint, state, status, body, expires_ms FROM idempotency_keys WHERE userId = ?1 AND key = ?2")?
        .query_row(params![user_id, key], |r| {
            Ok(Stored {
                fingerprint: r.get(0)?,
                running: r.get::<_, String>(1)? == "running",
                status: r.get(2)?,
                body: r.get(3)?,
                expires_ms: r.get(4)?,
            })
        })
        .optional()
}

/// Claims `key` for a request that runs now (replacing an expired record).
pub fn claim(
    c: &Connection,
    user_id: i64,
    key: &str,
    fingerprint: &[u8],
    expires_ms: i64,
) -> Result<()> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO idempotency_keys (userId, key, fingerprint, state, expires_ms) VALUES (?1, ?2, ?3, 'running', ?4)",
    )?
    .execute(params![user_id, key, fingerprint, expires_ms])?;
    Ok(())
}

/// Stores the answer (status and body JSON text) of a claimed key.
pub fn finish(c: &Connection, user_id: i64, key: &str, status: u16, body: &str) -> Result<()> {
    c.prepare_cached("UPDATE idempotency_keys SET state = 'done', status = ?3, body = ?4 WHERE userId = ?1 AND key = ?2")?
        .execute(params![user_id, key, status as i64, body])?;
    Ok(())
}

pub fn forget(c: &Connection, user_id: i64, key: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM idempotency_keys WHERE userId = ?1 AND key = ?2")?
        .execute(params![user_id, key])?;
    Ok(())
}

/// Deletes records expired before `now_ms`, and with `running_too` the in-progress ones.
pub fn purge(c: &Connection, now_ms: i64, running_too: bool) -> Result<()> {
    c.prepare_cached(
        "DELETE FROM idempotency_keys WHERE expires_ms < ?1 OR (?2 AND state = 'running')",
    )?
    .execute(params![now_ms, running_too])?;
    Ok(())
}
