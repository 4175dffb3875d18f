//! API keys (auth.md §9): `fgk_` tokens acting as their creator with one forced role.

use rusqlite::params;
use serde_json::{json, Value};

use super::token;
use crate::error::{bad, invalid_value, record_not_found, Code, Result};
use crate::action::Ctx;
use crate::action::Tk;
use crate::reply::Reply;
use crate::store::OptionalExt;

/// `<n>h`, `<n>d` or `never` → milliseconds (None = never).
fn parse_expires_in(v: Option<&Value>) -> Result<Option<i64>> {
    let s = match v {
        Some(Value::String(s)) => s.trim().to_string(),
        _ => return Err(invalid_value("expiresIn is required: <n>h, <n>d or never")),
    };
    if s == "never" {
        return Ok(None);
    }
    let (num, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = num.parse().ok().filter(|n| *n > 0).ok_or_else(|| invalid_value("expiresIn must be <n>h, <n>d or never"))?;
    match unit {
        "h" => Ok(Some(n * 3_600_000)),
        "d" => Ok(Some(n * 86_400_000)),
        _ => Err(invalid_value("expiresIn must be <n>h, <n>d or never")),
    }
}

pub fn create(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let name = values
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid_value("name is required"))?
        .to_string();
    let role = match values.get("role") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
        _ => String::new(),
    };
    if role.is_empty() {
        return Err(invalid_value("role is required"));
    }
    let role = ctx
        .caller
        .roles
        .iter()
        .find(|r| r.eq_ignore_ascii_case(&role))
        .cloned()
        .ok_or_else(|| invalid_value(format!("Role \"{role}\" does not belong to the user")))?;
    let ttl = parse_expires_in(values.get("expiresIn"))?;
    let now_ms = crate::time::now_ms();
    let expires_ms = ttl.map(|t| now_ms + t);
    let token = token::generate(token::API_KEY_PREFIX);
    let user_id = ctx.caller.user.id;
    let created = crate::time::now_iso();
    let id = ctx.app.store.write(|c| {
        c.execute(
            "INSERT INTO tokens (kind, hash, userId, name, roleName, expires_ms, createdAt) VALUES ('apikey', ?1, ?2, ?3, ?4, ?5, ?6)",
            params![token::hash(&token), user_id, name, role, expires_ms, created],
        )?;
        Ok(c.last_insert_rowid())
    })?;
    Ok(Reply::data(json!({
        "id": id, "name": name, "roleName": role,
        "expiresAt": expires_ms.map(crate::time::ms_to_iso), "createdAt": created, "token": token,
    })))
}

pub fn list(ctx: &Ctx) -> Result<Reply> {
    let user_id = ctx.caller.user.id;
    let items = ctx.app.store.read(|c| {
        let mut st = c.prepare_cached(
            "SELECT id, name, roleName, expires_ms, createdAt FROM tokens WHERE userId = ?1 AND kind = 'apikey' AND revoked IS NULL ORDER BY id",
        )?;
        let rows = st.query_map(params![user_id], |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "name": r.get::<_, Option<String>>(1)?, "roleName": r.get::<_, Option<String>>(2)?,
                "expiresAt": r.get::<_, Option<i64>>(3)?.map(crate::time::ms_to_iso), "createdAt": r.get::<_, String>(4)?,
            }))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(Reply::data(Value::Array(items)))
}

pub fn destroy(ctx: &Ctx) -> Result<Reply> {
    let id = match ctx.input.filter_by_tk()? {
        Tk::One(id) => id,
        Tk::None => return Err(bad(Code::MissingParameter, "filterByTk is required")),
        Tk::Many(_) => return Err(crate::action::tk_invalid()),
    };
    let user_id = ctx.caller.user.id;
    ctx.app.store.write(|c| {
        let owned = c
            .query_row(
                "SELECT id FROM tokens WHERE id = ?1 AND userId = ?2 AND kind = 'apikey' AND revoked IS NULL",
                params![id, user_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?;
        if owned.is_none() {
            return Err(record_not_found(id, "apiKeys"));
        }
        c.execute(
            "UPDATE tokens SET revoked = 'destroyed', revoked_ms = ?2 WHERE id = ?1",
            params![id, crate::time::now_ms()],
        )?;
        Ok(())
    })?;
    Ok(Reply::data(json!(1)))
}
