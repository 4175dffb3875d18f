//! `Idempotency-Key` for trigger requests (trigger.md §9): a replay returns the stored answer and runs
//! nothing; the same key with another request is a conflict. Records live 24 hours, per user.

use rusqlite::{params, Connection};
use serde_json::Value;

use crate::error::{bad, Code, Error, Result};
use crate::action::Ctx;
use crate::reply::Reply;
use crate::store::OptionalExt;

const TTL_MS: i64 = 24 * 3_600_000;

/// A claimed key: the request runs and its answer is stored under it.
pub struct Claim {
    pub user_id: i64,
    pub key: String,
}

pub enum Begin {
    /// No header: run normally.
    None,
    Run(Claim),
    Replay(Reply),
}

fn valid(k: &str) -> bool {
    !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

pub fn begin(ctx: &Ctx) -> Result<Begin> {
    let Some(given) = &ctx.input.idempotency else { return Ok(Begin::None) };
    let key = given.key.clone();
    if !valid(&key) {
        return Err(bad(Code::IdempotencyKeyInvalid, "Idempotency-Key must be 1 to 255 visible ASCII characters"));
    }
    let user_id = ctx.caller.user.id;
    let fp = given.fingerprint.clone();
    let now = crate::time::now_ms();
    ctx.app.store.write(|c| {
        let found: Option<(Vec<u8>, String, Option<i64>, Option<String>, i64)> = c
            .query_row(
                "SELECT fingerprint, state, status, body, expires_ms FROM idempotency_keys WHERE userId = ?1 AND key = ?2",
                params![user_id, key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        match found {
            Some((stored_fp, state, st, body, expires)) if expires > now => {
                if stored_fp != fp {
                    return Err(bad(Code::IdempotencyKeyConflict, format!("Idempotency-Key \"{key}\" was already used for a different request")));
                }
                if state == "running" {
                    return Err(bad(Code::IdempotencyKeyInProgress, format!("A request with Idempotency-Key \"{key}\" is still being processed")));
                }
                let body: Value = body.and_then(|b| serde_json::from_str(&b).ok()).unwrap_or(Value::Null);
                let mut reply = Reply::raw(st.unwrap_or(200) as u16, body);
                reply.headers.push(("Idempotent-Replayed", "true".into()));
                Ok(Begin::Replay(reply))
            }
            _ => {
                c.execute(
                    "INSERT OR REPLACE INTO idempotency_keys (userId, key, fingerprint, state, expires_ms) VALUES (?1, ?2, ?3, 'running', ?4)",
                    params![user_id, key, fp, now + TTL_MS],
                )?;
                Ok(Begin::Run(Claim { user_id, key: key.clone() }))
            }
        }
    })
}

/// Stores the answer inside the caller's transaction (the async commit of a successful trigger).
pub fn store_in(c: &Connection, claim: &Claim, status: u16, body: &Value) -> Result<()> {
    c.execute(
        "UPDATE idempotency_keys SET state = 'done', status = ?3, body = ?4 WHERE userId = ?1 AND key = ?2",
        params![claim.user_id, claim.key, status as i64, body.to_string()],
    )?;
    Ok(())
}

/// Records an error answer, or forgets the key after an internal error (the client may retry).
pub fn finish_error(ctx: &Ctx, claim: &Claim, e: &Error) -> Result<()> {
    ctx.app.store.write(|c| {
        if e.code == Code::InternalError {
            c.execute("DELETE FROM idempotency_keys WHERE userId = ?1 AND key = ?2", params![claim.user_id, claim.key])?;
            Ok(())
        } else {
            store_in(c, claim, e.status(), &e.body())
        }
    })
}

/// Deletes a claimed key when the request's thread unwinds from a panic.
pub struct ForgetOnUnwind<'a> {
    pub ctx: &'a Ctx<'a>,
    pub claim: &'a Claim,
}

impl Drop for ForgetOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let (user, key) = (self.claim.user_id, self.claim.key.clone());
            let _ = self.ctx.app.store.write(|c| {
                c.execute("DELETE FROM idempotency_keys WHERE userId = ?1 AND key = ?2", params![user, key])?;
                Ok(())
            });
        }
    }
}

/// Expired records go; at start-up (`at_start`) also in-progress ones, left by a crash — while the
/// server runs, a 'running' row belongs to a live request.
pub fn purge(c: &Connection, at_start: bool) -> Result<()> {
    c.execute(
        "DELETE FROM idempotency_keys WHERE expires_ms < ?1 OR (?2 AND state = 'running')",
        params![crate::time::now_ms(), at_start],
    )?;
    Ok(())
}
