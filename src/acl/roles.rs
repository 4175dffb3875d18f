//! The roles API and the per-role resource configs API (auth.md §8), and the built-in roles.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::repo::{self, NewRole, RoleColumn};
use super::{parse_strategy_entry, ACTIONS};
use crate::action::{opt_bool, opt_object, opt_str, wrong_type, Ctx, Page, Tk};
use crate::collections::names;
use crate::error::{bad, invalid_value, Code, Error, Result};
use crate::reply::Reply;

const BUILT_IN: [&str; 3] = ["root", "admin", "member"];

/// Creates root, admin and member (first start; auth.md §8 table).
pub fn ensure_builtin(c: &Connection) -> Result<()> {
    let rows = [
        ("root", "Root", json!({"actions": []}), json!([]), false),
        (
            "admin",
            "Admin",
            json!({"actions": ACTIONS}),
            json!(["pm.*"]),
            false,
        ),
        (
            "member",
            "Member",
            json!({"actions": ["view:own"]}),
            json!(["!pm.*"]),
            true,
        ),
    ];
    for (name, title, strategy, snippets, default) in rows {
        let (strategy, snippets) = (strategy.to_string(), snippets.to_string());
        repo::insert_role(
            c,
            &NewRole {
                name,
                title,
                strategy: &strategy,
                snippets: &snippets,
                default,
            },
            true,
        )?;
    }
    Ok(())
}

/// `roles:check` (NocoBase's client calls it right after sign-in): what the current role may do, in
/// NocoBase 2.2.15's shape. flowgate has no field-level grants, menus or UI button lists, so an action's
/// params carry only its scope, and the menu and button lists are empty.
pub fn check(ctx: &Ctx) -> Result<Reply> {
    let role = ctx.caller.role.as_str();
    let (stored, configs) = ctx
        .app
        .store
        .read(|c| Ok((repo::load_role(c, role)?, repo::list_resources(c, role)?)))?;
    let stored = stored.unwrap_or(Value::Null);
    let root = role == "root";
    let mut actions = Map::new();
    let mut resources = Vec::new();
    for config in configs
        .iter()
        .filter(|r| r["usingActionsConfig"] == json!(true))
    {
        let name = config["name"].as_str().unwrap_or_default();
        resources.push(json!(name));
        // Only what the ACL grants: an action with fields or a custom scope grants nothing here.
        for a in config["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| super::grant_of_action(a).is_some())
        {
            let params = match a["scope"].as_str() {
                Some("own") => {
                    json!({ "own": true, "filter": { "createdById": "{{ ctx.state.currentUser.id }}" } })
                }
                _ => json!({}),
            };
            actions.insert(
                format!("{name}:{}", a["name"].as_str().unwrap_or_default()),
                params,
            );
        }
    }
    let data = json!({
        "roles": [role],
        // NocoBase's root has no strategy of its own and every snippet.
        "strategy": if root { json!({}) } else { stored["strategy"].clone() },
        "actions": actions,
        "snippets": if root { json!(["pm", "pm.*", "ui.*"]) } else { stored["snippets"].clone() },
        "resources": resources,
        "role": role,
        "roleMode": "default",
        "availableActions": ACTIONS,
        "actionAlias": { "create": "create", "get": "view", "list": "view", "update": "update", "destroy": "destroy" },
        "allowAll": root,
        "allowConfigure": false,
        "allowMenuItemIds": [],
        "allowAnonymous": false,
        "uiButtonSchemasBlacklist": [],
    });
    Ok(Reply::list(data, Some(json!({ "dataSources": {} }))))
}

/// Runs a write to roles or grants, then reloads the ACL cache from the store.
pub fn writing(ctx: &Ctx, write: fn(&Ctx) -> Result<Reply>) -> Result<Reply> {
    let reply = write(ctx)?;
    ctx.app.acl.reload(&ctx.app.store)?;
    Ok(reply)
}

pub fn list(ctx: &Ctx) -> Result<Reply> {
    let page = ctx.input.page()?;
    ctx.app.store.read(|c| {
        let count = repo::count_roles(c)?;
        let (limit, offset) = Page::limit_offset(page);
        let rows = repo::list_roles(c, limit, offset)?;
        Ok(Reply::list(Value::Array(rows), page.map(|p| p.meta(count))))
    })
}

fn name_tk(ctx: &Ctx) -> Result<String> {
    ctx.input
        .name_tk()
        .ok_or_else(|| bad(Code::MissingParameter, "filterByTk is required"))
}

pub fn get(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    Ok(Reply::data(
        ctx.app
            .store
            .read(|c| repo::load_role(c, &name))?
            .unwrap_or(Value::Null),
    ))
}

/// `strategy: {actions: [...]}` (an object; absent or `null`: none) with every entry a known action
/// (or `*`) and scope.
fn check_strategy(v: Option<&Map<String, Value>>) -> Result<String> {
    let actions = v
        .and_then(|m| m.get("actions"))
        .cloned()
        .unwrap_or(json!([]));
    let items = actions
        .as_array()
        .ok_or_else(|| wrong_type("strategy.actions", "an array of action names"))?;
    for it in items {
        let s = it
            .as_str()
            .ok_or_else(|| wrong_type("strategy.actions", "an array of action names"))?;
        let g = parse_strategy_entry(s).ok_or_else(|| {
            invalid_value(format!("Strategy action \"{s}\" has an unknown scope"))
        })?;
        if g.action != "*" && !ACTIONS.contains(&g.action.as_str()) {
            return Err(invalid_value(format!(
                "Strategy action \"{s}\" is not valid"
            )));
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
    let name = opt_str(&values, "name")?
        .ok_or_else(|| invalid_value("name is required").with("field", "name"))?
        .to_string();
    names::check_identifier(&name)?;
    if name == "anonymous" || name == "__union__" {
        return Err(bad(
            Code::ReservedName,
            format!("Name \"{name}\" is reserved"),
        ));
    }
    let title = opt_str(&values, "title")?.unwrap_or(&name).to_string();
    let strategy = check_strategy(opt_object(&values, "strategy")?)?;
    let snippets = check_snippets(values.get("snippets").unwrap_or(&json!([])))?;
    let default = opt_bool(&values, "default")?.unwrap_or(false);
    let role = ctx.app.store.write(|c| {
        if repo::load_role(c, &name)?.is_some() {
            return Err(bad(Code::ConstraintViolation, "name must be unique"));
        }
        if default {
            repo::clear_default(c)?;
        }
        repo::insert_role(
            c,
            &NewRole {
                name: &name,
                title: &title,
                strategy: &strategy,
                snippets: &snippets,
                default,
            },
            false,
        )?;
        repo::load_role(c, &name)?.ok_or_else(|| Error::internal("role vanished"))
    })?;
    Ok(Reply::data(role))
}

pub fn update(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    if name.eq_ignore_ascii_case("root") {
        return Err(bad(
            Code::ProtectedResource,
            "Role \"root\" can not be changed",
        ));
    }
    let values = ctx.input.values_or_empty()?;
    if let Some(n) = opt_str(&values, "name")? {
        if !n.eq_ignore_ascii_case(&name) {
            return Err(bad(
                Code::FieldNotUpdatable,
                "Field \"name\" can not be updated",
            ));
        }
    }
    let strategy = opt_object(&values, "strategy")?
        .map(|s| check_strategy(Some(s)))
        .transpose()?;
    let snippets = values.get("snippets").map(check_snippets).transpose()?;
    let title = opt_str(&values, "title")?;
    let default = opt_bool(&values, "default")?;
    ctx.app.store.write(|c| {
        if repo::load_role(c, &name)?.is_none() {
            return Ok(Reply::data(json!([])));
        }
        if let Some(t) = title {
            repo::set_role_column(c, &name, RoleColumn::Title, &t)?;
        }
        if let Some(s) = &strategy {
            repo::set_role_column(c, &name, RoleColumn::Strategy, s)?;
        }
        if let Some(s) = &snippets {
            repo::set_role_column(c, &name, RoleColumn::Snippets, s)?;
        }
        if let Some(d) = default {
            if d {
                repo::clear_default(c)?;
            }
            repo::set_role_column(c, &name, RoleColumn::Default, &d)?;
        }
        repo::touch_role(c, &name)?;
        Ok(Reply::data(json!([repo::load_role(c, &name)?])))
    })
}

pub fn destroy(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    if let Some(b) = BUILT_IN.iter().find(|b| b.eq_ignore_ascii_case(&name)) {
        return Err(bad(
            Code::ProtectedResource,
            format!("Built-in role \"{b}\" can not be deleted"),
        ));
    }
    let n = ctx.app.store.write(|c| repo::delete_role(c, &name))?;
    Ok(Reply::data(json!(n)))
}

// ---- roles/<role>/resources ----

/// Runs a write to a role's resource grants, then reloads the ACL cache from the store.
pub fn writing_resources(
    ctx: &Ctx,
    role: &str,
    write: fn(&Ctx, &str) -> Result<Reply>,
) -> Result<Reply> {
    let reply = write(ctx, role)?;
    ctx.app.acl.reload(&ctx.app.store)?;
    Ok(reply)
}

/// The canonical name of an existing role, for the association form's source check.
pub fn find_role(c: &Connection, name: &str) -> Result<Option<String>> {
    repo::role_name(c, name)
}

/// `[{name, scope?}]` → normalised json with every scope explicit.
fn check_actions(v: Option<&Value>) -> Result<String> {
    let items = match v {
        None | Some(Value::Null) => return Ok("[]".into()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(wrong_type("actions", "an array")),
    };
    let mut out = Vec::new();
    for it in items {
        let name = match it {
            Value::String(s) => s.clone(),
            Value::Object(o) => opt_str(o, "name")?.unwrap_or_default().to_string(),
            _ => {
                return Err(wrong_type(
                    "actions",
                    "an array of action names or {name, scope} objects",
                ))
            }
        };
        if !ACTIONS.contains(&name.as_str()) {
            return Err(invalid_value(format!(
                "Action \"{name}\" is not valid; expected one of {}",
                ACTIONS.join(", ")
            )));
        }
        let scope = match it.get("scope") {
            None | Some(Value::Null) => "all",
            Some(Value::String(s)) if s == "all" || s == "own" => s.as_str(),
            Some(other) => {
                return Err(invalid_value(format!(
                    "Scope {other} is not valid; expected \"all\" or \"own\""
                )))
            }
        };
        out.push(json!({ "name": name, "scope": scope }));
    }
    Ok(Value::Array(out).to_string())
}

pub fn resources_list(ctx: &Ctx, role: &str) -> Result<Reply> {
    let page = ctx.input.page()?;
    let rows = ctx.app.store.read(|c| repo::list_resources(c, role))?;
    Ok(Reply::paged(rows, page))
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
    Ok(Reply::data(
        ctx.app
            .store
            .read(|c| repo::load_resource(c, role, id))?
            .unwrap_or(Value::Null),
    ))
}

fn collection_name(ctx: &Ctx, values: &Map<String, Value>) -> Result<String> {
    let name = opt_str(values, "name")?
        .ok_or_else(|| invalid_value("name is required").with("field", "name"))?;
    ctx.app
        .registry
        .user_collection(name)
        .map(|c| c.name.clone())
        .ok_or_else(|| invalid_value(format!("Collection \"{name}\" does not exist")))
}

pub fn resources_create(ctx: &Ctx, role: &str) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let name = collection_name(ctx, &values)?;
    let using = opt_bool(&values, "usingActionsConfig")?.unwrap_or(false);
    let actions = check_actions(values.get("actions"))?;
    let row = ctx.app.store.write(|c| {
        if repo::resource_exists(c, role, &name)? {
            return Err(bad(Code::ConstraintViolation, "name must be unique"));
        }
        let id = repo::insert_resource(c, role, &name, using, &actions)?;
        repo::load_resource(c, role, id)?.ok_or_else(|| Error::internal("resource config vanished"))
    })?;
    Ok(Reply::data(row))
}

pub fn resources_update(ctx: &Ctx, role: &str) -> Result<Reply> {
    let id = res_id(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let actions = values
        .get("actions")
        .map(|a| check_actions(Some(a)))
        .transpose()?;
    let using = opt_bool(&values, "usingActionsConfig")?;
    let new_name = opt_str(&values, "name")?;
    ctx.app.store.write(|c| {
        let Some(current) = repo::load_resource(c, role, id)? else {
            return Ok(Reply::data(json!([])));
        };
        if let Some(n) = new_name {
            if !current["name"]
                .as_str()
                .is_some_and(|cur| cur.eq_ignore_ascii_case(n))
            {
                return Err(bad(
                    Code::FieldNotUpdatable,
                    "Field \"name\" can not be updated",
                ));
            }
        }
        if let Some(u) = using {
            repo::set_resource_using(c, id, u)?;
        }
        if let Some(a) = &actions {
            repo::set_resource_actions(c, id, a)?;
        }
        repo::touch_resource(c, id)?;
        Ok(Reply::data(json!([repo::load_resource(c, role, id)?])))
    })
}

pub fn resources_destroy(ctx: &Ctx, role: &str) -> Result<Reply> {
    let id = res_id(ctx)?;
    let n = ctx
        .app
        .store
        .write(|c| repo::delete_resource(c, role, id))?;
    Ok(Reply::data(json!(n)))
}
