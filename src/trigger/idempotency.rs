//! `Idempotency-Key` for trigger requests (trigger.md §9): a replay returns the stored answer and runs
//! nothing; the same key with another request is a conflict. Records live 24 hours, per user.

use rusqlite::Connection;
use serde_json::Value;

use super::repo;
use crate::action::Ctx;
use crate::error::{bad, Code, Error, ErrorCode, Result};
use crate::reply::Reply;

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
    let Some(given) = &ctx.input.idempotency else {
        return Ok(Begin::None);
    };
    let key = given.key.clone();
    if !valid(&key) {
        return Err(bad(
            Code::IdempotencyKeyInvalid,
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        ));
    }
    let user_id = ctx.caller.user.id;
    let fp = given.fingerprint.clone();
    let now = crate::time::now_ms();
    ctx.app
        .store
        .write(|c| match repo::find(c, user_id, &key)? {
            Some(stored) if stored.expires_ms > now => {
                if stored.fingerprint != fp {
                    return Err(bad(
                        Code::IdempotencyKeyConflict,
                        format!(
                            "Idempotency-Key \"{key}\" was already used for a different request"
                        ),
                    ));
                }
                if stored.running {
                    return Err(bad(
                        Code::IdempotencyKeyInProgress,
                        format!(
                            "A request with Idempotency-Key \"{key}\" is still being processed"
                        ),
                    ));
                }
                let body: Value = stored
                    .body
                    .and_then(|b| serde_json::from_str(&b).ok())
                    .unwrap_or(Value::Null);
                let mut reply = Reply::raw(stored.status.unwrap_or(200) as u16, body);
                reply.headers.push(("Idempotent-Replayed", "true".into()));
                Ok(Begin::Replay(reply))
            }
            _ => {
                repo::claim(c, user_id, &key, &fp, now + TTL_MS)?;
                Ok(Begin::Run(Claim {
                    user_id,
                    key: key.clone(),
                }))
            }
        })
}

/// Stores the answer inside the caller's transaction (the async commit of a successful trigger).
pub fn store_in(c: &Connection, claim: &Claim, status: u16, body: &Value) -> Result<()> {
    repo::finish(c, claim.user_id, &claim.key, status, &body.to_string())
}

/// Records an error answer, or forgets the key after an internal error (the client may retry).
pub fn finish_error(ctx: &Ctx, claim: &Claim, e: &Error) -> Result<()> {
    ctx.app.store.write(|c| {
        if e.code == Code::InternalError {
            repo::forget(c, claim.user_id, &claim.key)
        } else {
            store_in(c, claim, e.http_status(), &e.body())
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
            // Best effort while unwinding: if the store fails too, the start-up purge removes the row.
            let _ = self.ctx.app.store.write(|c| repo::forget(c, user, &key));
        }
    }
}

/// Expired records go; at start-up (`at_start`) also in-progress ones, left by a crash — while the
/// server runs, a 'running' row belongs to a live request.
pub fn purge(c: &Connection, at_start: bool) -> Result<()> {
    repo::purge(c, crate::time::now_ms(), at_start)
}
