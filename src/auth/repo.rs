//! The users-and-tokens repository: every SQL statement on `users`, `fg_user_roles` and `tokens`.
//! Callers pass a connection from `Store::read` or `Store::write`; nothing here decides policy.

use rusqlite::{params, Connection, Row};
use serde_json::{json, Value};

use super::User;
use crate::error::Result;
use crate::store::OptionalExt;

const USER_COLUMNS: &str = "id, username, email, nickname, createdAt, updatedAt";

/// Reads the six `USER_COLUMNS` starting at column `at`.
fn user_from_row(r: &Row, at: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(at)?,
        username: r.get(at + 1)?,
        email: r.get(at + 2)?,
        nickname: r.get(at + 3)?,
        created_at: r.get(at + 4)?,
        updated_at: r.get(at + 5)?,
    })
}

fn collect<T>(rows: impl Iterator<Item = rusqlite::Result<T>>) -> Result<Vec<T>> {
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

// Users.

pub fn count_users(c: &Connection) -> Result<u64> {
    Ok(c.prepare_cached("SELECT COUNT(*) FROM users")?
        .query_row([], |r| r.get::<_, i64>(0))? as u64)
}

pub fn load_user(c: &Connection, id: i64) -> Result<Option<User>> {
    c.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row(params![id], |r| user_from_row(r, 0))
        .optional()
}

/// The user whose username or email is `account`, with the stored password hash.
pub fn user_by_account(c: &Connection, account: &str) -> Result<Option<(User, String)>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLUMNS}, password FROM users WHERE username = ?1 OR email = ?1 LIMIT 1"
    ))?
    .query_row(params![account], |r| {
        Ok((user_from_row(r, 0)?, r.get::<_, String>(6)?))
    })
    .optional()
}

pub fn password_hash(c: &Connection, user_id: i64) -> Result<Option<String>> {
    c.prepare_cached("SELECT password FROM users WHERE id = ?1")?
        .query_row(params![user_id], |r| r.get(0))
        .optional()
}

/// The first user holding `root` (email and username, empty when absent).
pub fn first_root(c: &Connection) -> Result<Option<(i64, String, String)>> {
    c.prepare_cached(
        "SELECT u.id, COALESCE(u.email, ''), COALESCE(u.username, '') FROM users u JOIN fg_user_roles r ON r.userId = u.id
         WHERE r.roleName = 'root' ORDER BY u.id LIMIT 1",
    )?
    .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()
}

/// A unique account column of `users`.
#[derive(Debug, Clone, Copy)]
pub enum Account {
    Username,
    Email,
}

impl Account {
    pub fn column(self) -> &'static str {
        match self {
            Account::Username => "username",
            Account::Email => "email",
        }
    }
}

/// Whether another user than `except` already has `value` as its username or email.
pub fn account_taken(
    c: &Connection,
    column: Account,
    value: &str,
    except: Option<i64>,
) -> Result<bool> {
    let sql = format!(
        "SELECT id FROM users WHERE {} = ?1 AND id IS NOT ?2",
        column.column()
    );
    Ok(c.prepare_cached(&sql)?
        .query_row(params![value, except], |r| r.get::<_, i64>(0))
        .optional()?
        .is_some())
}

pub fn insert_user(
    c: &Connection,
    username: Option<&str>,
    email: Option<&str>,
    nickname: Option<&str>,
    password_hash: &str,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO users (username, email, nickname, password, createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![username, email, nickname, password_hash, crate::time::now_iso()])?;
    Ok(c.last_insert_rowid())
}

/// A column of `users` an update may set.
#[derive(Debug, Clone, Copy)]
pub enum UserColumn {
    Username,
    Email,
    Nickname,
}

pub fn set_user_column(
    c: &Connection,
    id: i64,
    column: UserColumn,
    value: Option<&str>,
) -> Result<()> {
    let name = match column {
        UserColumn::Username => "username",
        UserColumn::Email => "email",
        UserColumn::Nickname => "nickname",
    };
    c.prepare_cached(&format!("UPDATE users SET {name} = ?2 WHERE id = ?1"))?
        .execute(params![id, value])?;
    Ok(())
}

pub fn touch_user(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("UPDATE users SET updatedAt = ?2 WHERE id = ?1")?
        .execute(params![id, crate::time::now_iso()])?;
    Ok(())
}

pub fn set_password_hash(c: &Connection, id: i64, hash: &str) -> Result<()> {
    c.prepare_cached("UPDATE users SET password = ?2, updatedAt = ?3 WHERE id = ?1")?
        .execute(params![id, hash, crate::time::now_iso()])?;
    Ok(())
}

pub fn delete_user(c: &Connection, id: i64) -> Result<usize> {
    Ok(c.prepare_cached("DELETE FROM users WHERE id = ?1")?
        .execute(params![id])?)
}

// Role assignments.

/// A user's role names in assignment order.
pub fn user_roles(c: &Connection, user_id: i64) -> Result<Vec<String>> {
    let mut st =
        c.prepare_cached("SELECT roleName FROM fg_user_roles WHERE userId = ?1 ORDER BY position")?;
    let rows = st.query_map(params![user_id], |r| r.get::<_, String>(0))?;
    collect(rows)
}

/// `[{name, title}]` in assignment order.
pub fn roles_json(c: &Connection, user_id: i64) -> Result<Value> {
    let mut st = c.prepare_cached(
        "SELECT r.name, r.title FROM fg_user_roles ur JOIN roles r ON r.name = ur.roleName WHERE ur.userId = ?1 ORDER BY ur.position",
    )?;
    let rows = st.query_map(params![user_id], |r| {
        Ok(json!({ "name": r.get::<_, String>(0)?, "title": r.get::<_, Option<String>>(1)? }))
    })?;
    Ok(Value::Array(collect(rows)?))
}

pub fn set_roles(c: &Connection, user_id: i64, roles: &[String]) -> Result<()> {
    c.prepare_cached("DELETE FROM fg_user_roles WHERE userId = ?1")?
        .execute(params![user_id])?;
    let mut st = c.prepare_cached(
        "INSERT INTO fg_user_roles (userId, roleName, position) VALUES (?1, ?2, ?3)",
    )?;
    for (i, r) in roles.iter().enumerate() {
        st.execute(params![user_id, r, i as i64])?;
    }
    Ok(())
}

pub fn has_root(c: &Connection, user_id: i64) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT 1 FROM fg_user_roles WHERE userId = ?1 AND roleName = 'root'")?
            .query_row(params![user_id], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

pub fn root_count(c: &Connection) -> Result<i64> {
    Ok(
        c.prepare_cached("SELECT COUNT(*) FROM fg_user_roles WHERE roleName = 'root'")?
            .query_row([], |r| r.get(0))?,
    )
}

// Tokens (sign-in tokens and API keys; only hashes are stored).

/// A token row with its user (absent when the user was deleted).
pub struct TokenRow {
    pub id: i64,
    pub kind: String,
    pub role_name: Option<String>,
    pub expires_ms: Option<i64>,
    pub revoked: Option<String>,
    pub user: Option<User>,
}

pub fn token_by_hash(c: &Connection, hash: &[u8]) -> Result<Option<TokenRow>> {
    c.prepare_cached(
        "SELECT t.id, t.kind, t.roleName, t.expires_ms, t.revoked, u.id, u.username, u.email, u.nickname, u.createdAt, u.updatedAt
         FROM tokens t LEFT JOIN users u ON u.id = t.userId WHERE t.hash = ?1",
    )?
    .query_row(params![hash], |r| {
        let user = match r.get::<_, Option<i64>>(5)? {
            Some(_) => Some(user_from_row(r, 5)?),
            None => None,
        };
        Ok(TokenRow { id: r.get(0)?, kind: r.get(1)?, role_name: r.get(2)?, expires_ms: r.get(3)?, revoked: r.get(4)?, user })
    })
    .optional()
}

pub fn insert_session(c: &Connection, hash: &[u8], user_id: i64, expires_ms: i64) -> Result<()> {
    c.prepare_cached("INSERT INTO tokens (kind, hash, userId, expires_ms, createdAt) VALUES ('session', ?1, ?2, ?3, ?4)")?
        .execute(params![hash, user_id, expires_ms, crate::time::now_iso()])?;
    Ok(())
}

/// Why a token stopped working; stored, and answered with its own 401 code.
#[derive(Debug, Clone, Copy)]
pub enum Revoked {
    SignOut,
    Password,
    Destroyed,
}

impl Revoked {
    fn as_str(self) -> &'static str {
        match self {
            Revoked::SignOut => "signout",
            Revoked::Password => "password",
            Revoked::Destroyed => "destroyed",
        }
    }
}

/// Revokes one live token.
pub fn revoke_token(c: &Connection, id: i64, why: Revoked) -> Result<()> {
    c.prepare_cached(
        "UPDATE tokens SET revoked = ?3, revoked_ms = ?2 WHERE id = ?1 AND revoked IS NULL",
    )?
    .execute(params![id, crate::time::now_ms(), why.as_str()])?;
    Ok(())
}

/// Ends every live sign-in token of the user (API keys survive).
pub fn revoke_sessions(c: &Connection, user_id: i64) -> Result<()> {
    c.prepare_cached(
        "UPDATE tokens SET revoked = 'password', revoked_ms = ?2 WHERE userId = ?1 AND kind = 'session' AND revoked IS NULL",
    )?
    .execute(params![user_id, crate::time::now_ms()])?;
    Ok(())
}

/// Deletes tokens that expired or were revoked before `cutoff_ms`.
pub fn purge_tokens(c: &Connection, cutoff_ms: i64) -> Result<usize> {
    Ok(c.prepare_cached(
        "DELETE FROM tokens WHERE (expires_ms IS NOT NULL AND expires_ms < ?1) OR (revoked_ms IS NOT NULL AND revoked_ms < ?1)",
    )?
    .execute(params![cutoff_ms])?)
}

/// An API key as listed (never its token).
pub struct ApiKey {
    pub id: i64,
    pub name: Option<String>,
    pub role_name: Option<String>,
    pub expires_ms: Option<i64>,
    pub created_at: String,
}

pub fn insert_api_key(
    c: &Connection,
    hash: &[u8],
    user_id: i64,
    name: &str,
    role: &str,
    expires_ms: Option<i64>,
    created_at: &str,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO tokens (kind, hash, userId, name, roleName, expires_ms, createdAt) VALUES ('apikey', ?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![hash, user_id, name, role, expires_ms, created_at])?;
    Ok(c.last_insert_rowid())
}

/// The user's live API keys by id.
pub fn api_keys(c: &Connection, user_id: i64) -> Result<Vec<ApiKey>> {
    let mut st = c.prepare_cached(
        "SELECT id, name, roleName, expires_ms, createdAt FROM tokens WHERE userId = ?1 AND kind = 'apikey' AND revoked IS NULL ORDER BY id",
    )?;
    let rows = st.query_map(params![user_id], |r| {
        Ok(ApiKey {
            id: r.get(0)?,
            name: r.get(1)?,
            role_name: r.get(2)?,
            expires_ms: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    collect(rows)
}

/// Whether `id` is a live API key of the user.
pub fn owns_api_key(c: &Connection, id: i64, user_id: i64) -> Result<bool> {
    Ok(c.prepare_cached("SELECT id FROM tokens WHERE id = ?1 AND userId = ?2 AND kind = 'apikey' AND revoked IS NULL")?
        .query_row(params![id, user_id], |r| r.get::<_, i64>(0))
        .optional()?
        .is_some())
}

/// Takes role `role` from every user who has it (the bridge's `import --replace` removes the role; the
/// users stay).
pub fn remove_role_assignments(c: &Connection, role: &str) -> Result<usize> {
    Ok(
        c.prepare_cached("DELETE FROM fg_user_roles WHERE roleName = ?1")?
            .execute([role])?,
    )
}
