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
