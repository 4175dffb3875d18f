//! First start (auth.md §1): on a store without users, one transaction creates the built-in roles and
//! the root user. Later starts never touch credentials.

use rusqlite::Connection;

use super::password::{self, Hasher};
use super::users::{self, NewUser};
use crate::error::Result;

pub const DEFAULT_ROOT_EMAIL: &str = "admin@flowgate.local";

/// What the start prints about root.
pub struct RootInfo {
    pub email: String,
    pub username: String,
    /// `Some` only when generated at this start (shown once).
    pub generated_password: Option<String>,
    pub created: bool,
}

/// `FLOWGATE_ROOT_PASSWORD`, if set, must be at least 8 characters.
pub fn env_root_password() -> std::result::Result<Option<String>, String> {
    match std::env::var("FLOWGATE_ROOT_PASSWORD") {
        Ok(p) if p.chars().count() < password::MIN_LEN => {
            Err("FLOWGATE_ROOT_PASSWORD must be at least 8 characters".to_string())
        }
        Ok(p) => Ok(Some(p)),
        Err(_) => Ok(None),
    }
}

fn user_count(c: &Connection) -> Result<u64> {
    super::repo::count_users(c)
}

pub fn ensure_root(store: &crate::store::Store, hasher: &Hasher) -> Result<RootInfo> {
    let email = std::env::var("FLOWGATE_ROOT_EMAIL").unwrap_or_else(|_| DEFAULT_ROOT_EMAIL.to_string());
    let fresh = store.read(user_count)? == 0;
    if !fresh {
        store.write(crate::acl::roles::ensure_builtin)?;
        let (_, email, username) = store.read(super::repo::first_root)?.unwrap_or_default();
        return Ok(RootInfo { email, username, generated_password: None, created: false });
    }
    let (password, generated) = match env_root_password().map_err(crate::error::invalid_value)? {
        Some(p) => (p, false),
        None => (password::random_password(20), true),
    };
    let hash = hasher.hash(&password)?;
    store.write(|c| {
        crate::acl::roles::ensure_builtin(c)?;
        // Re-check inside the write lock: a concurrent `flowgate user add` may have won the race.
        if user_count(c)? == 0 {
            users::insert(
                c,
                &NewUser {
                    username: Some("admin".into()),
                    email: Some(email.clone()),
                    nickname: Some("Super Admin".into()),
                    password_hash: hash,
                    roles: Some(vec!["root".into(), "admin".into(), "member".into()]),
                },
            )?;
        }
        Ok(())
    })?;
    Ok(RootInfo { email, username: "admin".into(), generated_password: generated.then_some(password), created: true })
}
