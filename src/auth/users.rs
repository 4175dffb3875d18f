//! The users API (auth.md §7) and the user writes the CLI and the root bootstrap share.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::repo::{self, Account, UserColumn};
use super::{load_user, password, User};
use crate::action::Ctx;
use crate::action::Tk;
use crate::collections::record_api;
use crate::collections::records::{self, ReadOptions};
use crate::error::{bad, invalid_value, no_permissions, Code, Error, Result};
use crate::reply::Reply;

fn wants_roles(ctx: &Ctx) -> bool {
    ctx.input.list_param("appends").iter().any(|a| a == "roles")
}

fn output(c: &Connection, user: &User, with_roles: bool) -> Result<Value> {
    let mut v = user.to_json();
    if with_roles {
        v["roles"] = repo::roles_json(c, user.id)?;
    }
    Ok(v)
}

/// The users through the records layer over the built-in `users` collection (no password column):
/// `filter`, `sort`, `fields`, `except` and pages as on a collection; `appends=roles` adds the roles
/// (`roles` in `fields` too, as NocoBase's `fields` appends an association).
pub fn list(ctx: &Ctx) -> Result<Reply> {
    let page = ctx.input.page()?;
    let with_roles =
        wants_roles(ctx) || ctx.input.list_param("fields").iter().any(|f| f == "roles");
    let mut fields: Vec<String> = ctx
        .input
        .list_param("fields")
        .into_iter()
        .filter(|f| f != "roles")
        .collect();
    let hide_id = with_roles && !fields.is_empty() && !fields.iter().any(|f| f == "id");
    if hide_id {
        fields.push("id".into());
    }
    let opts = ReadOptions {
        filter: record_api::filter_param(ctx.input)?,
        fields,
        except: ctx.input.list_param("except"),
        sort: ctx.input.list_param("sort"),
        page,
        ..ReadOptions::default()
    };
    let schema = ctx.app.registry.snapshot();
    let coll = schema
        .get("users")
        .cloned()
        .ok_or_else(|| Error::internal("no built-in users collection"))?;
    ctx.app.store.read(|c| {
        let (mut rows, count) = records::list(c, &schema, &coll, &opts)?;
        if with_roles {
            for r in rows.iter_mut() {
                let id = r.get("id").and_then(Value::as_i64).unwrap_or(0);
                r["roles"] = repo::roles_json(c, id)?;
                if hide_id {
                    if let Some(o) = r.as_object_mut() {
                        o.shift_remove("id");
                    }
                }
            }
        }
        Ok(Reply::list(Value::Array(rows), page.map(|p| p.meta(count))))
    })
}

fn one_id(ctx: &Ctx) -> Result<i64> {
    match ctx.input.filter_by_tk()? {
        Tk::One(id) => Ok(id),
        Tk::None => Err(bad(Code::MissingParameter, "filterByTk is required")),
        Tk::Many(_) => Err(crate::action::tk_invalid()),
    }
}

pub fn get(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let with_roles = wants_roles(ctx);
    ctx.app.store.read(|c| match load_user(c, id)? {
        Some(u) => Ok(Reply::data(output(c, &u, with_roles)?)),
        None => Ok(Reply::data(Value::Null)),
    })
}

fn opt_str(values: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    Ok(crate::action::opt_str(values, key)?.map(str::to_string))
}

fn check_username(u: &str) -> Result<()> {
    let n = u.chars().count();
    if n == 0 || n > 50 || u.contains('@') || u.chars().any(char::is_whitespace) {
        return Err(invalid_value(
            "username must be 1 to 50 characters without \"@\" or spaces",
        ));
    }
    Ok(())
}

fn check_email(e: &str) -> Result<()> {
    let ok = matches!(e.split_once('@'), Some((a, b)) if !a.is_empty() && !b.is_empty() && !b.contains('@'))
        && !e.chars().any(char::is_whitespace);
    if !ok {
        return Err(invalid_value("email must be an address with one \"@\""));
    }
    Ok(())
}

/// Role names from `["member"]` or `[{"name":"member"}]`.
fn role_list(v: &Value) -> Result<Vec<String>> {
    let items = v
        .as_array()
        .ok_or_else(|| crate::action::wrong_type("roles", "an array of role names"))?;
    let mut out: Vec<String> = Vec::new();
    for it in items {
        let name = match it {
            Value::String(s) => s.clone(),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        };
        if name.is_empty() {
            return Err(crate::action::wrong_type("roles", "an array of role names"));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    Ok(out)
}

/// Resolves names to stored roles (canonical case); unknown → `Role "<r>" does not exist`.
pub fn existing_roles(c: &Connection, names: &[String]) -> Result<Vec<String>> {
    names
        .iter()
        .map(|n| {
            crate::acl::repo::role_name(c, n)?
                .ok_or_else(|| invalid_value(format!("Role \"{n}\" does not exist")))
        })
        .collect()
}

fn ensure_unique(c: &Connection, column: Account, value: &str, except: Option<i64>) -> Result<()> {
    if repo::account_taken(c, column, value, except)? {
        return Err(bad(
            Code::ConstraintViolation,
            format!("{} must be unique", column.column()),
        ));
    }
    Ok(())
}

/// What a new user is made of; shared by the API, `flowgate user add` and the root bootstrap.
pub struct NewUser {
    pub username: Option<String>,
    pub email: Option<String>,
    pub nickname: Option<String>,
    pub password_hash: String,
    /// `None` = the default role(s).
    pub roles: Option<Vec<String>>,
}

pub fn validate_account(username: Option<&str>, email: Option<&str>) -> Result<()> {
    if username.is_none() && email.is_none() {
        return Err(bad(
            Code::AccountRequired,
            "Please enter your username or email",
        ));
    }
    if let Some(u) = username {
        check_username(u)?;
    }
    if let Some(e) = email {
        check_email(e)?;
    }
    Ok(())
}

pub fn insert(c: &Connection, u: &NewUser) -> Result<i64> {
    validate_account(u.username.as_deref(), u.email.as_deref())?;
    if let Some(name) = &u.username {
        ensure_unique(c, Account::Username, name, None)?;
    }
    if let Some(email) = &u.email {
        ensure_unique(c, Account::Email, email, None)?;
    }
    let roles = match &u.roles {
        Some(r) => existing_roles(c, r)?,
        None => crate::acl::repo::default_roles(c)?,
    };
    let id = repo::insert_user(
        c,
        u.username.as_deref(),
        u.email.as_deref(),
        u.nickname.as_deref(),
        &u.password_hash,
    )?;
    repo::set_roles(c, id, &roles)?;
    Ok(id)
}

/// Sets a password hash and revokes the user's sign-in tokens.
pub fn set_password(c: &Connection, user_id: i64, hash: &str) -> Result<User> {
    repo::set_password_hash(c, user_id, hash)?;
    repo::revoke_sessions(c, user_id)?;
    load_user(c, user_id)?.ok_or_else(|| Error::internal("user vanished during password change"))
}

fn mentions_root(roles: &[String]) -> bool {
    roles.iter().any(|r| r.eq_ignore_ascii_case("root"))
}

pub fn create(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let password = opt_str(&values, "password")?.unwrap_or_default();
    let password = password.as_str();
    let username = opt_str(&values, "username")?;
    let email = opt_str(&values, "email")?;
    validate_account(username.as_deref(), email.as_deref())?;
    password::check_length(password)?;
    let roles = values.get("roles").map(role_list).transpose()?;
    if roles.as_deref().is_some_and(mentions_root) && ctx.caller.role != "root" {
        return Err(no_permissions());
    }
    let new = NewUser {
        username,
        email,
        nickname: opt_str(&values, "nickname")?,
        password_hash: ctx.app.hasher.hash(password)?,
        roles,
    };
    let user = ctx.app.store.write(|c| {
        let id = insert(c, &new)?;
        load_user(c, id)?.ok_or_else(|| Error::internal("user vanished after insert"))
    })?;
    Ok(Reply::data(user.to_json()))
}

pub fn update(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let username = opt_str(&values, "username")?;
    let email = opt_str(&values, "email")?;
    if let Some(u) = &username {
        check_username(u)?;
    }
    if let Some(e) = &email {
        check_email(e)?;
    }
    let roles = values.get("roles").map(role_list).transpose()?;
    let new_hash = match opt_str(&values, "password")? {
        Some(p) => {
            password::check_length(&p)?;
            Some(ctx.app.hasher.hash(&p)?)
        }
        None => None,
    };
    let caller_is_root = ctx.caller.role == "root";
    let with_roles = wants_roles(ctx);
    ctx.app.store.write(|c| {
        let Some(_) = load_user(c, id)? else {
            return Ok(Reply::data(json!([])));
        };
        let target_root = repo::has_root(c, id)?;
        if !caller_is_root && (target_root || roles.as_deref().is_some_and(mentions_root)) {
            return Err(no_permissions());
        }
        if let Some(u) = &username {
            ensure_unique(c, Account::Username, u, Some(id))?;
            repo::set_user_column(c, id, UserColumn::Username, Some(u))?;
        }
        if let Some(e) = &email {
            ensure_unique(c, Account::Email, e, Some(id))?;
            repo::set_user_column(c, id, UserColumn::Email, Some(e))?;
        }
        if values.contains_key("nickname") {
            repo::set_user_column(
                c,
                id,
                UserColumn::Nickname,
                opt_str(&values, "nickname")?.as_deref(),
            )?;
        }
        if let Some(r) = &roles {
            let r = existing_roles(c, r)?;
            if target_root && !mentions_root(&r) && repo::root_count(c)? <= 1 {
                return Err(bad(
                    Code::ProtectedResource,
                    "At least one user must keep the root role",
                ));
            }
            repo::set_roles(c, id, &r)?;
        }
        repo::touch_user(c, id)?;
        if let Some(h) = &new_hash {
            set_password(c, id, h)?;
        }
        let user =
            load_user(c, id)?.ok_or_else(|| Error::internal("user vanished during update"))?;
        Ok(Reply::data(json!([output(c, &user, with_roles)?])))
    })
}

pub fn destroy(ctx: &Ctx) -> Result<Reply> {
    let ids = match ctx.input.filter_by_tk()? {
        Tk::One(id) => vec![id],
        Tk::Many(ids) => ids,
        Tk::None => return Err(bad(Code::MissingParameter, "filterByTk is required")),
    };
    if ids.contains(&ctx.caller.user.id) {
        return Err(bad(
            Code::ProtectedResource,
            "You can not delete your own account",
        ));
    }
    let caller_is_root = ctx.caller.role == "root";
    ctx.app.store.write(|c| {
        let mut count = 0;
        for id in &ids {
            if repo::has_root(c, *id)? {
                if !caller_is_root {
                    return Err(no_permissions());
                }
                if repo::root_count(c)? <= 1 {
                    return Err(bad(
                        Code::ProtectedResource,
                        "At least one user must keep the root role",
                    ));
                }
            }
            count += repo::delete_user(c, *id)?;
        }
        Ok(Reply::data(json!(count)))
    })
}
