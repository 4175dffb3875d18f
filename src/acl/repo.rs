//! The roles-and-grants repository: every SQL statement on `roles` and `fg_role_resources`.

use rusqlite::{params, Connection, Row};
use serde_json::{json, Value};

use crate::error::Result;
use crate::store::OptionalExt;

const ROLE_COLUMNS: &str =
    "name, title, strategy, snippets, \"default\", createdAt, updatedAt, options";
const RES_COLUMNS: &str = "id, name, usingActionsConfig, actions";

fn collect<T>(rows: impl Iterator<Item = rusqlite::Result<T>>) -> Result<Vec<T>> {
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

// Roles.

/// A role as the API shows it, with the attributes an imported document gave it (description, hidden,
/// allowConfigure, …; bridge.md §5.1) echoed after flowgate's own.
fn role_from_row(r: &Row) -> rusqlite::Result<Value> {
    let strategy: String = r.get(2)?;
    let snippets: String = r.get(3)?;
    let mut role = json!({
        "name": r.get::<_, String>(0)?,
        "title": r.get::<_, Option<String>>(1)?,
        "strategy": serde_json::from_str::<Value>(&strategy).unwrap_or(json!({"actions": []})),
        "snippets": serde_json::from_str::<Value>(&snippets).unwrap_or(json!([])),
        "default": r.get::<_, bool>(4)?,
        "createdAt": r.get::<_, String>(5)?,
        "updatedAt": r.get::<_, String>(6)?,
    });
    let options: Option<String> = r.get(7)?;
    if let (Some(Value::Object(o)), Value::Object(m)) = (
        options.and_then(|o| serde_json::from_str::<Value>(&o).ok()),
        &mut role,
    ) {
        for (k, v) in o {
            m.entry(k).or_insert(v);
        }
    }
    Ok(role)
}

/// A role's stored form for the bridge: name, title, strategy and snippets as JSON text, default, and
/// the other attributes an imported document gave (JSON text).
pub struct StoredRole {
    pub name: String,
    pub title: Option<String>,
    pub strategy: String,
    pub snippets: String,
    pub default: bool,
    pub options: Option<String>,
}

/// Every role, by name (the bridge's export and import).
pub fn stored_roles(c: &Connection) -> Result<Vec<StoredRole>> {
    let mut st = c.prepare_cached(
        "SELECT name, title, strategy, snippets, \"default\", options FROM roles ORDER BY name",
    )?;
    let rows = st.query_map([], |r| {
        Ok(StoredRole {
            name: r.get(0)?,
            title: r.get(1)?,
            strategy: r.get(2)?,
            snippets: r.get(3)?,
            default: r.get(4)?,
            options: r.get(5)?,
        })
    })?;
    collect(rows)
}

pub fn set_role_options(c: &Connection, name: &str, options: Option<&str>) -> Result<()> {
    c.prepare_cached("UPDATE roles SET options = ?2 WHERE name = ?1")?
        .execute(params![name, options])?;
    Ok(())
}

pub fn load_role(c: &Connection, name: &str) -> Result<Option<Value>> {
    c.prepare_cached(&format!("SELECT {ROLE_COLUMNS} FROM roles WHERE name = ?1"))?
        .query_row(params![name], role_from_row)
        .optional()
}

pub fn count_roles(c: &Connection) -> Result<u64> {
    Ok(c.prepare_cached("SELECT COUNT(*) FROM roles")?
        .query_row([], |r| r.get::<_, i64>(0))? as u64)
}

/// Roles in creation order; `limit` -1 is all.
pub fn list_roles(c: &Connection, limit: i64, offset: i64) -> Result<Vec<Value>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ROLE_COLUMNS} FROM roles ORDER BY createdAt, name LIMIT ?1 + 0 OFFSET ?2 + 0"
    ))?;
    let rows = st.query_map(params![limit, offset], role_from_row)?;
    collect(rows)
}

/// The canonical name of an existing role (names compare as stored).
pub fn role_name(c: &Connection, name: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT name FROM roles WHERE name = ?1")?
        .query_row(params![name], |r| r.get(0))
        .optional()
}

/// The roles a new user gets when none are named.
pub fn default_roles(c: &Connection) -> Result<Vec<String>> {
    let mut st = c.prepare_cached("SELECT name FROM roles WHERE \"default\" = 1 ORDER BY name")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    collect(rows)
}

/// A new role; with `ignore_existing` an existing one is left as it is.
pub struct NewRole<'a> {
    pub name: &'a str,
    pub title: &'a str,
    /// JSON text.
    pub strategy: &'a str,
    /// JSON text.
    pub snippets: &'a str,
    pub default: bool,
}

pub fn insert_role(c: &Connection, role: &NewRole, ignore_existing: bool) -> Result<()> {
    let verb = if ignore_existing {
        "INSERT OR IGNORE"
    } else {
        "INSERT"
    };
    c.prepare_cached(&format!(
        "{verb} INTO roles (name, title, strategy, snippets, \"default\", createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
    ))?
    .execute(params![role.name, role.title, role.strategy, role.snippets, role.default, crate::time::now_iso()])?;
    Ok(())
}

/// No role is the default any more (before another becomes it).
pub fn clear_default(c: &Connection) -> Result<()> {
    c.prepare_cached("UPDATE roles SET \"default\" = 0")?
        .execute([])?;
    Ok(())
}

/// A column of `roles` an update may set.
#[derive(Debug, Clone, Copy)]
pub enum RoleColumn {
    Title,
    Strategy,
    Snippets,
    Default,
}

pub fn set_role_column(
    c: &Connection,
    name: &str,
    column: RoleColumn,
    value: &dyn rusqlite::ToSql,
) -> Result<()> {
    let column = match column {
        RoleColumn::Title => "title",
        RoleColumn::Strategy => "strategy",
        RoleColumn::Snippets => "snippets",
        RoleColumn::Default => "\"default\"",
    };
    c.prepare_cached(&format!("UPDATE roles SET {column} = ?2 WHERE name = ?1"))?
        .execute(params![name, value])?;
    Ok(())
}

pub fn touch_role(c: &Connection, name: &str) -> Result<()> {
    c.prepare_cached("UPDATE roles SET updatedAt = ?2 WHERE name = ?1")?
        .execute(params![name, crate::time::now_iso()])?;
    Ok(())
}

pub fn delete_role(c: &Connection, name: &str) -> Result<usize> {
    Ok(c.prepare_cached("DELETE FROM roles WHERE name = ?1")?
        .execute(params![name])?)
}

/// Every role's name, strategy and snippets (JSON text), for the ACL cache.
pub fn role_policies(c: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut st = c.prepare_cached("SELECT name, strategy, snippets FROM roles")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    collect(rows)
}

// Per-role resource configs.

fn resource_from_row(r: &Row) -> rusqlite::Result<Value> {
    let actions: String = r.get(3)?;
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "name": r.get::<_, String>(1)?,
        "usingActionsConfig": r.get::<_, bool>(2)?,
        "actions": serde_json::from_str::<Value>(&actions).unwrap_or(json!([])),
    }))
}

pub fn load_resource(c: &Connection, role: &str, id: i64) -> Result<Option<Value>> {
    c.prepare_cached(&format!(
        "SELECT {RES_COLUMNS} FROM fg_role_resources WHERE roleName = ?1 AND id = ?2"
    ))?
    .query_row(params![role, id], resource_from_row)
    .optional()
}

pub fn list_resources(c: &Connection, role: &str) -> Result<Vec<Value>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RES_COLUMNS} FROM fg_role_resources WHERE roleName = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map(params![role], resource_from_row)?;
    collect(rows)
}

pub fn resource_exists(c: &Connection, role: &str, collection: &str) -> Result<bool> {
    Ok(
        c.prepare_cached("SELECT id FROM fg_role_resources WHERE roleName = ?1 AND name = ?2")?
            .query_row(params![role, collection], |r| r.get::<_, i64>(0))
            .optional()?
            .is_some(),
    )
}

/// Inserts a resource config (`actions` as JSON text) and returns its id.
pub fn insert_resource(
    c: &Connection,
    role: &str,
    collection: &str,
    using: bool,
    actions: &str,
) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO fg_role_resources (roleName, name, usingActionsConfig, actions, createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![role, collection, using, actions, crate::time::now_iso()])?;
    Ok(c.last_insert_rowid())
}

pub fn set_resource_using(c: &Connection, id: i64, using: bool) -> Result<()> {
    c.prepare_cached("UPDATE fg_role_resources SET usingActionsConfig = ?2 WHERE id = ?1")?
        .execute(params![id, using])?;
    Ok(())
}

pub fn set_resource_actions(c: &Connection, id: i64, actions: &str) -> Result<()> {
    c.prepare_cached("UPDATE fg_role_resources SET actions = ?2 WHERE id = ?1")?
        .execute(params![id, actions])?;
    Ok(())
}

pub fn touch_resource(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("UPDATE fg_role_resources SET updatedAt = ?2 WHERE id = ?1")?
        .execute(params![id, crate::time::now_iso()])?;
    Ok(())
}

pub fn delete_resource(c: &Connection, role: &str, id: i64) -> Result<usize> {
    Ok(
        c.prepare_cached("DELETE FROM fg_role_resources WHERE roleName = ?1 AND id = ?2")?
            .execute(params![role, id])?,
    )
}

/// Every resource config's role, collection, `usingActionsConfig` and actions (JSON text), for the ACL cache.
pub fn resource_grants(c: &Connection) -> Result<Vec<(String, String, bool, String)>> {
    let mut st = c.prepare_cached(
        "SELECT roleName, name, usingActionsConfig, actions FROM fg_role_resources",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    collect(rows)
}
