//! The management API of collections and fields over HTTP (collections.md §2–§3):
//! `collections:<action>`, `collections/<name>/fields:<action>` and `fields:create` with `collectionName`.

use serde_json::{json, Map, Value};

use super::ddl;
use super::registry::Collection;
use super::schema_ops;
use crate::error::{bad, invalid_value, Code, Result};
use crate::http::dispatch::{action_not_found, Ctx};
use crate::http::request::Page;
use crate::http::Reply;

fn name_tk(ctx: &Ctx) -> Result<String> {
    ctx.req.name_tk().ok_or_else(|| bad(Code::MissingParameter, "filterByTk is required"))
}

/// A list reply with the usual pagination (http.md §5).
fn paged(items: Vec<Value>, page: Option<Page>) -> Reply {
    let count = items.len() as u64;
    let items: Vec<Value> = match page {
        Some(p) => {
            let skip = usize::try_from(p.offset()).unwrap_or(usize::MAX);
            items.into_iter().skip(skip).take(usize::try_from(p.page_size).unwrap_or(usize::MAX)).collect()
        }
        None => items,
    };
    Reply::list(Value::Array(items), page.map(|p| p.meta(count)))
}

/// `collections:list|get|create|update|destroy` (key: `name`). A collection always includes its fields.
pub fn handle_collections(ctx: &Ctx) -> Result<Reply> {
    match ctx.route.action.as_str() {
        "list" => {
            let page = ctx.req.page()?;
            let items = ctx.app.registry.snapshot().user_collections().iter().map(|c| c.to_json()).collect();
            Ok(paged(items, page))
        }
        "get" => {
            let name = name_tk(ctx)?;
            let found = ctx.app.registry.user_collection(&name).map(|c| c.to_json());
            Ok(Reply::data(found.unwrap_or(Value::Null)))
        }
        "create" => {
            let values = ctx.req.values_or_empty()?;
            let created = ddl::change(ctx.app, |ch| schema_ops::create_collection(ch, &values))?;
            Ok(Reply::data(created))
        }
        "update" => {
            let name = name_tk(ctx)?;
            let values = ctx.req.values_or_empty()?;
            let updated = ddl::change(ctx.app, |ch| schema_ops::update_collection(ch, &name, &values))?;
            Ok(Reply::data(Value::Array(updated.into_iter().collect())))
        }
        "destroy" => {
            let name = name_tk(ctx)?;
            let n = ddl::change(ctx.app, |ch| schema_ops::destroy_collection(ch, &name))?;
            Ok(Reply::data(json!(n)))
        }
        _ => Err(action_not_found(ctx.route)),
    }
}

/// `collections/<name>/fields:list|get|create|update|destroy` (key: field `name`).
pub fn handle_fields(ctx: &Ctx, coll: &Collection) -> Result<Reply> {
    let name = coll.name.clone();
    match ctx.route.action.as_str() {
        "list" => {
            let page = ctx.req.page()?;
            let current = ctx.app.registry.user_collection(&name).ok_or_else(|| schema_ops::missing_collection(&name))?;
            let items = current.fields.iter().map(|f| f.to_json(&current.name)).collect();
            Ok(paged(items, page))
        }
        "get" => {
            let field = name_tk(ctx)?;
            let current = ctx.app.registry.user_collection(&name).ok_or_else(|| schema_ops::missing_collection(&name))?;
            Ok(Reply::data(current.field(&field).map(|f| f.to_json(&current.name)).unwrap_or(Value::Null)))
        }
        "create" => create_field(ctx, &name, &ctx.req.values_or_empty()?),
        "update" => {
            let field = name_tk(ctx)?;
            let values = ctx.req.values_or_empty()?;
            let updated = ddl::change(ctx.app, |ch| schema_ops::update_field(ch, &name, &field, &values))?;
            Ok(Reply::data(Value::Array(updated.into_iter().collect())))
        }
        "destroy" => {
            let field = name_tk(ctx)?;
            let n = ddl::change(ctx.app, |ch| schema_ops::destroy_field(ch, &name, &field))?;
            Ok(Reply::data(json!(n)))
        }
        _ => Err(action_not_found(ctx.route)),
    }
}

/// `fields:create` with `collectionName` in the body.
pub fn handle_fields_resource(ctx: &Ctx) -> Result<Reply> {
    if ctx.route.action != "create" {
        return Err(action_not_found(ctx.route));
    }
    let values = ctx.req.values_or_empty()?;
    let coll = match values.get("collectionName") {
        Some(Value::String(s)) => s.clone(),
        _ => return Err(invalid_value("collectionName is required")),
    };
    create_field(ctx, &coll, &values)
}

fn create_field(ctx: &Ctx, coll: &str, values: &Map<String, Value>) -> Result<Reply> {
    let def = Value::Object(values.clone());
    let field = ddl::change(ctx.app, |ch| schema_ops::add_field(ch, coll, &def))?;
    Ok(Reply::data(field))
}
