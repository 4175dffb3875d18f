//! Records: list, get, create, update, destroy over a collection's table (collections.md §6–§9).

use rusqlite::params;

use super::{Collection, Field};
use crate::app::App;
use crate::error::Result;
use crate::http::dispatch::{action_not_found, Ctx};
use crate::http::Reply;
use crate::store::OptionalExt;

/// Whether record `id` exists (association sources).
pub fn exists(app: &App, c: &Collection, id: i64) -> Result<bool> {
    // The table name comes from the registry, never from the request.
    let sql = format!("SELECT 1 FROM \"{}\" WHERE id = ?1", c.name);
    app.store.read(|conn| Ok(conn.query_row(&sql, params![id], |_| Ok(())).optional()?.is_some()))
}

pub fn handle(ctx: &Ctx, _c: &Collection) -> Result<Reply> {
    Err(action_not_found(ctx.route))
}

pub fn handle_association(ctx: &Ctx, _s: &Collection, _id: i64, _f: &Field, _t: &Collection) -> Result<Reply> {
    Err(action_not_found(ctx.route))
}

// ---- TEMPORARY on main until the collections branch lands: signatures only ----

use serde_json::{Map, Value};

use super::Schema;
use crate::error::Error;
use rusqlite::Connection;

#[derive(Default)]
pub struct ReadOptions {
    pub filter: Option<Value>,
    pub appends: Vec<String>,
    pub fields: Vec<String>,
    pub except: Vec<String>,
    pub sort: Vec<String>,
    pub page: Option<crate::http::request::Page>,
    pub own: Option<i64>,
}

fn pending() -> Error {
    Error::internal("records layer not merged yet")
}

pub fn list(_c: &Connection, _s: &Schema, _coll: &Collection, _o: &ReadOptions) -> Result<(Vec<Value>, u64)> {
    Err(pending())
}
pub fn get(_c: &Connection, _s: &Schema, _coll: &Collection, _id: i64, _a: &[String], _own: Option<i64>) -> Result<Option<Value>> {
    Err(pending())
}
pub fn get_many(_c: &Connection, _s: &Schema, _coll: &Collection, _ids: &[i64], _a: &[String], _own: Option<i64>) -> Result<Vec<Value>> {
    Err(pending())
}
pub fn create(_c: &Connection, _s: &Schema, _coll: &Collection, _v: &Map<String, Value>, _actor: Option<i64>) -> Result<Value> {
    Err(pending())
}
pub fn update(_c: &Connection, _s: &Schema, _coll: &Collection, _f: &Value, _v: &Map<String, Value>, _a: Option<i64>, _own: Option<i64>) -> Result<Vec<i64>> {
    Err(pending())
}
pub fn destroy(_c: &Connection, _s: &Schema, _coll: &Collection, _f: &Value, _own: Option<i64>) -> Result<usize> {
    Err(pending())
}
pub fn load_association(_c: &Connection, _s: &Schema, _coll: &Collection, _r: &Value, _f: &Field, _a: &[String]) -> Result<Option<Value>> {
    Err(pending())
}
pub fn check_appends(_s: &Schema, _coll: &Collection, _a: &[String]) -> Result<()> {
    Err(pending())
}
