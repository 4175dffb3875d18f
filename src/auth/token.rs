//! Opaque tokens: `fgs_` (sign-in) or `fgk_` (API key) + 43 base64url characters of 32 random bytes.
//! Only the SHA-256 of a token is stored.

use base64::Engine;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::error::Result;

pub const SESSION_PREFIX: &str = "fgs_";
pub const API_KEY_PREFIX: &str = "fgk_";

pub fn generate(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The shape check before any lookup: a prefix and 43 base64url characters.
pub fn well_formed(token: &str) -> bool {
    (token.starts_with(SESSION_PREFIX) || token.starts_with(API_KEY_PREFIX))
        && token.len() == 47
        && token[4..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Issues a sign-in token for `user_id`, valid `ttl_ms`.
pub fn issue_session(conn: &Connection, user_id: i64, ttl_ms: i64) -> Result<String> {
    let token = generate(SESSION_PREFIX);
    super::repo::insert_session(conn, &hash(&token), user_id, crate::time::now_ms() + ttl_ms)?;
    Ok(token)
}

/// Dead rows go 7 days after they expired or were revoked; until then they still answer with their
/// precise 401 code.
pub fn purge(conn: &Connection) -> Result<usize> {
    super::repo::purge_tokens(conn, crate::time::now_ms() - 7 * 86_400_000)
}
