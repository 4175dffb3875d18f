//! The roles API and the per-role resource configs API (auth.md §8), and the built-in roles.

use rusqlite::{params, Connection};
use serde_json::{json, Map, Value};

use super::{parse_strategy_entry, ACTIONS};
use crate::collections::names;
use crate::error::{bad, invalid_value, Code, Error, Result};
use crate::action::Ctx;
use crate::action::{Page, Tk};
use crate::reply::Reply;
use crate::store::OptionalExt;

const BUILT_IN: [&str; 3] = ["root", "admin", "member"];

/// Creates root, admin and member (first start; auth.md §8 table).
pub fn ensure_builtin(c: &Connection) -> Result<()> {
    let now = crate::time::now_iso();
    let rows = [
        ("root", "Root", json!({"actions": []}), json!([]), false),
        ("admin", "Admin", json!({"actions": ACTIONS}), json!(["pm.*"]), false),
        ("member", "Member", json!({"actions": ["view:own"]}), json!(["!pm.*"]), true),
    ];
    for (name, title, strategy, snippets, default) in rows {
        c.execute(
            "INSERT OR IGNORE INTO roles (name, title, strategy, snippets, \"default\", createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![name, title, strategy.to_string(), snippets.to_string(), default, now],
        )?;
    }
    Ok(())
}

/// Runs a write to roles or grants, then reloads the ACL cache from the store.
pub fn writing(ctx: &Ctx, write: fn(&Ctx) -> Result<Reply>) -> Result<Reply> {
    let reply = write(ctx)?;
    ctx.app.acl.reload(&ctx.app.store)?;
    Ok(reply)
}

const ROLE_COLUMNS: &str = "name, title, strategy, snippets, \"default\", createdAt, updatedAt";

fn role_from_row(r: &rusqlite::Row) -> rusqlite::Result<Value> {
    let strategy: String = r.get(2)?;
    let snippets: String = r.get(3)?;
    Ok(json!({
        "name": r.get::<_, String>(0)?,
        "title": r.get::<_, Option<String>>(1)?,
        "strategy": serde_json::from_str::<Value>(&strategy).unwrap_or(json!({"actions": []})),
        "snippets": serde_json::from_str::<Value>(&snippets).unwrap_or(json!([])),
        "default": r.get::<_, bool>(4)?,
        "createdAt": r.get::<_, String>(5)?,
        "updatedAt": r.get::<_, String>(6)?,
    }))
}

fn load_role(c: &Connection, name: &str) -> Result<Option<Value>> {
    c.prepare_cached(&format!("SELECT {ROLE_COLUMNS} FROM roles WHERE name = ?1"))?
        .query_row(params![name], role_from_row)
        .optional()
}

pub fn list(ctx: &Ctx) -> Result<Reply> {
    let page = ctx.input.page()?;
    ctx.app.store.read(|c| {
        let count = c.query_row("SELECT COUNT(*) FROM roles", [], |r| r.get::<_, i64>(0))? as u64;
        let (limit, offset) = Page::limit_offset(page);
        let mut st = c.prepare(&format!("SELECT {ROLE_COLUMNS} FROM roles ORDER BY createdAt, name LIMIT ?1 OFFSET ?2"))?;
        let rows = st.query_map(params![limit, offset], role_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Reply::list(Value::Array(rows), page.map(|p| p.meta(count))))
    })
}

fn name_tk(ctx: &Ctx) -> Result<String> {
    ctx.input.name_tk().ok_or_else(|| bad(Code::MissingParameter, "filterByTk is required"))
}

pub fn get(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    Ok(Reply::data(ctx.app.store.read(|c| load_role(c, &name))?.unwrap_or(Value::Null)))
}

/// `strategy: {actions: [...]}` with every entry a known action (or `*`) and scope.
fn check_strategy(v: &Value) -> Result<String> {
    let actions = v.get("actions").cloned().unwrap_or(json!([]));
    let items = actions.as_array().ok_or_else(|| invalid_value("strategy.actions must be an array"))?;
    for it in items {
        let s = it.as_str().ok_or_else(|| invalid_value("strategy.actions must hold action names"))?;
        let g = parse_strategy_entry(s).ok_or_else(|| invalid_value(format!("Strategy action \"{s}\" has an unknown scope")))?;
        if g.action != "*" && !ACTIONS.contains(&g.action.as_str()) {
            return Err(invalid_value(format!("Strategy action \"{s}\" is not valid")));
        }
    }
    Ok(json!({ "actions": actions }).to_string())
}

fn check_snippets(v: &Value) -> Result<String> {
    match v {
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(v.to_string()),
        _ => Err(invalid_value("snippets must be an array of strings")),
    }
}

pub fn create(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let name = values.get("name").and_then(Value::as_str).ok_or_else(|| invalid_value("name is required"))?.to_string();
    names::check_identifier(&name)?;
    if name == "anonymous" || name == "__union__" {
        return Err(bad(Code::ReservedName, format!("Name \"{name}\" is reserved")));
    }
    let title = values.get("title").and_then(Value::as_str).unwrap_or(&name).to_string();
    let strategy = check_strategy(values.get("strategy").unwrap_or(&json!({})))?;
    let snippets = check_snippets(values.get("snippets").unwrap_or(&json!([])))?;
    let default = values.get("default").and_then(Value::as_bool).unwrap_or(false);
    let role = ctx.app.store.write(|c| {
        if load_role(c, &name)?.is_some() {
            return Err(bad(Code::ConstraintViolation, "name must be unique"));
        }
        if default {
            c.execute("UPDATE roles SET \"default\" = 0", [])?;
        }
        c.execute(
            "INSERT INTO roles (name, title, strategy, snippets, \"default\", createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![name, title, strategy, snippets, default, crate::time::now_iso()],
        )?;
        load_role(c, &name)?.ok_or_else(|| Error::internal("role vanished"))
    })?;
    Ok(Reply::data(role))
}

pub fn update(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    if name.eq_ignore_ascii_case("root") {
        return Err(bad(Code::ProtectedResource, "Role \"root\" can not be changed"));
    }
    let values = ctx.input.values_or_empty()?;
    if let Some(n) = values.get("name").and_then(Value::as_str) {
        if !n.eq_ignore_ascii_case(&name) {
            return Err(bad(Code::FieldNotUpdatable, "Field \"name\" can not be updated"));
        }
    }
    let strategy = values.get("strategy").map(check_strategy).transpose()?;
    let snippets = values.get("snippets").map(check_snippets).transpose()?;
    ctx.app.store.write(|c| {
        if load_role(c, &name)?.is_none() {
            return Ok(Reply::data(json!([])));
        }
        if let Some(t) = values.get("title").and_then(Value::as_str) {
            c.execute("UPDATE roles SET title = ?2 WHERE name = ?1", params![name, t])?;
        }
        if let Some(s) = &strategy {
            c.execute("UPDATE roles SET strategy = ?2 WHERE name = ?1", params![name, s])?;
        }
        if let Some(s) = &snippets {
            c.execute("UPDATE roles SET snippets = ?2 WHERE name = ?1", params![name, s])?;
        }
        if let Some(d) = values.get("default").and_then(Value::as_bool) {
            if d {
                c.execute("UPDATE roles SET \"default\" = 0", [])?;
            }
            c.execute("UPDATE roles SET \"default\" = ?2 WHERE name = ?1", params![name, d])?;
        }
        c.execute("UPDATE roles SET updatedAt = ?2 WHERE name = ?1", params![name, crate::time::now_iso()])?;
        Ok(Reply::data(json!([load_role(c, &name)?])))
    })
}

pub fn destroy(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    if let Some(b) = BUILT_IN.iter().find(|b| b.eq_ignore_ascii_case(&name)) {
        return Err(bad(Code::ProtectedResource, format!("Built-in role \"{b}\" can not be deleted")));
    }
    let n = ctx.app.store.write(|c| Ok(c.execute("DELETE FROM roles WHERE name = ?1", params![name])?))?;
    Ok(Reply::data(json!(n)))
}

// ---- roles/<role>/resources ----

/// Runs a write to a role's resource grants, then reloads the ACL cache from the store.
pub fn writing_resources(ctx: &Ctx, role: &str, write: fn(&Ctx, &str) -> Result<Reply>) -> Result<Reply> {
    let reply = write(ctx, role)?;
    ctx.app.acl.reload(&ctx.app.store)?;
    Ok(reply)
}

/// The canonical name of an existing role, for the association form's source check.
pub fn find_role(c: &Connection, name: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT name FROM roles WHERE name = ?1")?.query_row(params![name], |r| r.get(0)).optional()
}

const RES_COLUMNS: &str = "id, name, usingActionsConfig, actions";

fn resource_from_row(r: &rusqlite::Row) -> rusqlite::Result<Value> {
    let actions: String = r.get(3)?;
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "name": r.get::<_, String>(1)?,
        "usingActionsConfig": r.get::<_, bool>(2)?,
        "actions": serde_json::from_str::<Value>(&actions).unwrap_or(json!([])),
    }))
}

fn load_resource(c: &Connection, role: &str, id: i64) -> Result<Option<Value>> {
    c.prepare_cached(&format!("SELECT {RES_COLUMNS} FROM fg_role_resources WHERE roleName = ?1 AND id = ?2"))?
        .query_row(params![role, id], resource_from_row)
        .optional()
}

/// `[{name, scope?}]` → normalised json with every scope explicit.
fn check_actions(v: Option<&Value>) -> Result<String> {
    let items = match v {
        None | Some(Value::Null) => return Ok("[]".into()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(invalid_value("actions must be an array")),
    };
    let mut out = Vec::new();
    for it in items {
        let name = match it {
            Value::String(s) => s.clone(),
            Value::Object(o) => o.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
            _ => String::new(),
        };
        if !ACTIONS.contains(&name.as_str()) {
            return Err(invalid_value(format!("Action \"{name}\" is not valid; expected one of {}", ACTIONS.join(", "))));
        }
        let scope = match it.get("scope") {
            None | Some(Value::Null) => "all",
            Some(Value::String(s)) if s == "all" || s == "own" => s.as_str(),
            Some(other) => return Err(invalid_value(format!("Scope {other} is not valid; expected \"all\" or \"own\""))),
        };
        out.push(json!({ "name": name, "scope": scope }));
    }
    Ok(Value::Array(out).to_string())
}

pub fn resources_list(ctx: &Ctx, role: &str) -> Result<Reply> {
    let rows = ctx.app.store.read(|c| {
        let mut st = c.prepare(&format!("SELECT {RES_COLUMNS} FROM fg_role_resources WHERE roleName = ?1 ORDER BY id"))?;
        let rows = st.query_map(params![role], resource_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })?;
    Ok(Reply::data(Value::Array(rows)))
}

fn res_id(ctx: &Ctx) -> Result<i64> {
    match ctx.input.filter_by_tk()? {
        Tk::One(id) => Ok(id),
        Tk::None => Err(bad(Code::MissingParameter, "filterByTk is required")),
        Tk::Many(_) => Err(crate::action::tk_invalid()),
    }
}

pub fn resources_get(ctx: &Ctx, role: &str) -> Result<Reply> {
    let id = res_id(ctx)?;
    Ok(Reply::data(ctx.app.store.read(|c| load_resource(c, role, id))?.unwrap_or(Value::Null)))
}

fn collection_name(ctx: &Ctx, values: &Map<String, Value>) -> Result<String> {
    let name = values.get("name").and_then(Value::as_str).ok_or_else(|| invalid_value("name is required"))?;
    ctx.app
        .registry
        .user_collection(name)
        .map(|c| c.name.clone())
        .ok_or_else(|| invalid_value(format!("Collection \"{name}\" does not exist")))
}

pub fn resources_create(ctx: &Ctx, role: &str) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let name = collection_name(ctx, &values)?;
    let using = values.get("usingActionsConfig").and_then(Value::as_bool).unwrap_or(false);
    let actions = check_actions(values.get("actions"))?;
    let row = ctx.app.store.write(|c| {
        let exists = c
            .query_row("SELECT id FROM fg_role_resources WHERE roleName = ?1 AND name = ?2", params![role, name], |r| r.get::<_, i64>(0))
            .optional()?;
        if exists.is_some() {
            return Err(bad(Code::ConstraintViolation, "name must be unique"));
        }
        c.execute(
            "INSERT INTO fg_role_resources (roleName, name, usingActionsConfig, actions, createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![role, name, using, actions, crate::time::now_iso()],
        )?;
        load_resource(c, role, c.last_insert_rowid())?.ok_or_else(|| Error::internal("resource config vanished"))
    })?;
    Ok(Reply::data(row))
}

pub fn resources_update(ctx: &Ctx, role: &str) -> Result<Reply> {
    let id = res_id(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let actions = values.get("actions").map(|a| check_actions(Some(a))).transpose()?;
    ctx.app.store.write(|c| {
        let Some(current) = load_resource(c, role, id)? else { return Ok(Reply::data(json!([]))) };
        if let Some(n) = values.get("name").and_then(Value::as_str) {
            if !current["name"].as_str().is_some_and(|cur| cur.eq_ignore_ascii_case(n)) {
                return Err(bad(Code::FieldNotUpdatable, "Field \"name\" can not be updated"));
            }
        }
        if let Some(u) = values.get("usingActionsConfig").and_then(Value::as_bool) {
            c.execute("UPDATE fg_role_resources SET usingActionsConfig = ?2 WHERE id = ?1", params![id, u])?;
        }
        if let Some(a) = &actions {
            c.execute("UPDATE fg_role_resources SET actions = ?2 WHERE id = ?1", params![id, a])?;
        }
        c.execute("UPDATE fg_role_resources SET updatedAt = ?2 WHERE id = ?1", params![id, crate::time::now_iso()])?;
        Ok(Reply::data(json!([load_resource(c, role, id)?])))
    })
}

pub fn resources_destroy(ctx: &Ctx, role: &str) -> Result<Reply> {
    let id = res_id(ctx)?;
    let n = ctx
        .app
        .store
        .write(|c| Ok(c.execute("DELETE FROM fg_role_resources WHERE roleName = ?1 AND id = ?2", params![role, id])?))?;
    Ok(Reply::data(json!(n)))
}
