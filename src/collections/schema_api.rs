//! The management API of collections and fields over HTTP (collections.md §2–§3):
//! `collections:<action>`, `collections/<name>/fields:<action>` and `fields:create` with `collectionName`.

use serde_json::{json, Map, Value};

use super::ddl;
use super::registry::Collection;
use super::schema_ops;
use crate::action::Ctx;
use crate::error::{bad, invalid_value, Code, Result};
use crate::reply::Reply;

fn name_tk(ctx: &Ctx) -> Result<String> {
    ctx.input
        .name_tk()
        .ok_or_else(|| bad(Code::MissingParameter, "filterByTk is required"))
}

// `collections:list|get|create|update|destroy` (key: `name`). A collection always includes its fields.

pub fn list_collections(ctx: &Ctx) -> Result<Reply> {
    let page = ctx.input.page()?;
    let items = ctx
        .app
        .registry
        .snapshot()
        .user_collections()
        .iter()
        .map(|c| c.to_json())
        .collect();
    Ok(Reply::paged(items, page))
}

/// `collections:listMeta`: every collection with its fields, its key and the actions it lacks, unpaged
/// (NocoBase's client loads it once after sign-in).
pub fn list_meta(ctx: &Ctx) -> Result<Reply> {
    let items = ctx
        .app
        .registry
        .snapshot()
        .user_collections()
        .iter()
        .map(|c| {
            let mut v = c.to_json();
            v["filterTargetKey"] = json!("id");
            v["unavailableActions"] = json!([]);
            v
        })
        .collect();
    Ok(Reply::data(Value::Array(items)))
}

pub fn get_collection(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    let found = ctx.app.registry.user_collection(&name).map(|c| c.to_json());
    Ok(Reply::data(found.unwrap_or(Value::Null)))
}

pub fn create_collection(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let created = ddl::change(ctx.app, |ch| schema_ops::create_collection(ch, &values))?;
    Ok(Reply::data(created))
}

pub fn update_collection(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let updated = ddl::change(ctx.app, |ch| {
        schema_ops::update_collection(ch, &name, &values)
    })?;
    Ok(Reply::data(Value::Array(updated.into_iter().collect())))
}

pub fn destroy_collection(ctx: &Ctx) -> Result<Reply> {
    let name = name_tk(ctx)?;
    let n = ddl::change(ctx.app, |ch| schema_ops::destroy_collection(ch, &name))?;
    Ok(Reply::data(json!(n)))
}

// `collections/<name>/fields:list|get|create|update|destroy` (key: the field's `name`).

fn current(ctx: &Ctx, coll: &Collection) -> Result<std::sync::Arc<Collection>> {
    ctx.app
        .registry
        .user_collection(&coll.name)
        .ok_or_else(|| schema_ops::missing_collection(&coll.name))
}

pub fn list_fields(ctx: &Ctx, coll: &Collection) -> Result<Reply> {
    let page = ctx.input.page()?;
    let current = current(ctx, coll)?;
    let items = current
        .fields
        .iter()
        .map(|f| f.to_json(&current.name))
        .collect();
    Ok(Reply::paged(items, page))
}

pub fn get_field(ctx: &Ctx, coll: &Collection) -> Result<Reply> {
    let field = name_tk(ctx)?;
    let current = current(ctx, coll)?;
    Ok(Reply::data(
        current
            .field(&field)
            .map(|f| f.to_json(&current.name))
            .unwrap_or(Value::Null),
    ))
}

pub fn create_collection_field(ctx: &Ctx, coll: &Collection) -> Result<Reply> {
    create_field(ctx, &coll.name, &ctx.input.values_or_empty()?)
}

pub fn update_field(ctx: &Ctx, coll: &Collection) -> Result<Reply> {
    let field = name_tk(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let updated = ddl::change(ctx.app, |ch| {
        schema_ops::update_field(ch, &coll.name, &field, &values)
    })?;
    Ok(Reply::data(Value::Array(updated.into_iter().collect())))
}

pub fn destroy_field(ctx: &Ctx, coll: &Collection) -> Result<Reply> {
    let field = name_tk(ctx)?;
    let n = ddl::change(ctx.app, |ch| {
        schema_ops::destroy_field(ch, &coll.name, &field)
    })?;
    Ok(Reply::data(json!(n)))
}

/// `fields:create` with `collectionName` in the body.
pub fn create_named_field(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
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
