//! API keys (auth.md §9): `fgk_` tokens acting as their creator with one forced role.

use serde_json::{json, Value};

use super::{repo, token};
use crate::action::{Ctx, Tk};
use crate::error::{bad, invalid_value, record_not_found, Code, Result};
use crate::reply::Reply;

/// The longest lifetime a key may be given: 100 years (`876000h`, `36500d`).
const MAX_EXPIRES_DAYS: i64 = 36_500;

/// `<n>h`, `<n>d` or `never` → milliseconds (None = never); `n` from 1 to 100 years' worth.
fn parse_expires_in(v: Option<&Value>) -> Result<Option<i64>> {
    let s = match v {
        Some(Value::String(s)) => s.trim().to_string(),
        _ => return Err(invalid_value("expiresIn is required: <n>h, <n>d or never")),
    };
    if s == "never" {
        return Ok(None);
    }
    let shape = || invalid_value("expiresIn must be <n>h, <n>d or never");
    let (num, hours_per_unit) = match (s.strip_suffix('h'), s.strip_suffix('d')) {
        (Some(n), _) => (n, 1),
        (_, Some(n)) => (n, 24),
        _ => return Err(shape()),
    };
    let n: i64 = num.parse().ok().filter(|n| *n > 0).ok_or_else(shape)?;
    let max = MAX_EXPIRES_DAYS * 24 / hours_per_unit;
    if n > max {
        let unit = if hours_per_unit == 1 { "h" } else { "d" };
        return Err(invalid_value(format!(
            "expiresIn is at most {max}{unit} (100 years), or never"
        )));
    }
    Ok(Some(n * hours_per_unit * 3_600_000))
}

pub fn create(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let name = crate::action::opt_str(&values, "name")?
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid_value("name is required"))?
        .to_string();
    let role = match values.get("role") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => crate::action::opt_str(o, "name")?
            .unwrap_or_default()
            .to_string(),
        None | Some(Value::Null) => String::new(),
        Some(_) => {
            return Err(crate::action::wrong_type(
                "role",
                "a role name or {\"name\": …}",
            ))
        }
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
        repo::insert_api_key(
            c,
            &token::hash(&token),
            user_id,
            &name,
            &role,
            expires_ms,
            &created,
        )
    })?;
    Ok(Reply::data(json!({
        "id": id, "name": name, "roleName": role,
        "expiresAt": expires_ms.map(crate::time::ms_to_iso), "createdAt": created, "token": token,
    })))
}

pub fn list(ctx: &Ctx) -> Result<Reply> {
    let user_id = ctx.caller.user.id;
    let page = ctx.input.page()?;
    let keys = ctx.app.store.read(|c| repo::api_keys(c, user_id))?;
    let items: Vec<Value> = keys
        .into_iter()
        .map(|k| {
            json!({
                "id": k.id, "name": k.name, "roleName": k.role_name,
                "expiresAt": k.expires_ms.map(crate::time::ms_to_iso), "createdAt": k.created_at,
            })
        })
        .collect();
    Ok(Reply::paged(items, page))
}

pub fn destroy(ctx: &Ctx) -> Result<Reply> {
    let id = match ctx.input.filter_by_tk()? {
        Tk::One(id) => id,
        Tk::None => return Err(bad(Code::MissingParameter, "filterByTk is required")),
        Tk::Many(_) => return Err(crate::action::tk_invalid()),
    };
    let user_id = ctx.caller.user.id;
    ctx.app.store.write(|c| {
        if !repo::owns_api_key(c, id, user_id)? {
            return Err(record_not_found(id, "apiKeys"));
        }
        repo::revoke_token(c, id, repo::Revoked::Destroyed)?;
        Ok(())
    })?;
    Ok(Reply::data(json!(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_forms_and_limits() {
        let p =
            |s: &str| parse_expires_in(Some(&json!(s))).map_err(|e| e.entries[0].message.clone());
        assert_eq!(p("1h"), Ok(Some(3_600_000)));
        assert_eq!(p("30d"), Ok(Some(30 * 86_400_000)));
        assert_eq!(p("never"), Ok(None));
        assert_eq!(p("36500d"), Ok(Some(36_500 * 86_400_000)));
        assert_eq!(p("876000h"), Ok(Some(876_000 * 3_600_000)));
        for bad in ["1é", "5日", "🙂", "d", "0d", "-1d", "1.5d", "1w", ""] {
            assert_eq!(
                p(bad),
                Err("expiresIn must be <n>h, <n>d or never".to_string()),
                "{bad}"
            );
        }
        assert_eq!(
            p("36501d"),
            Err("expiresIn is at most 36500d (100 years), or never".to_string())
        );
        assert_eq!(
            p("106751991167301d"),
            Err("expiresIn is at most 36500d (100 years), or never".to_string())
        );
        assert_eq!(
            p("9223372036854775807h"),
            Err("expiresIn is at most 876000h (100 years), or never".to_string())
        );
    }
}
