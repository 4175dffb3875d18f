//! The records resources over HTTP (collections.md §6–§7): `/api/<collection>:<action>` and the
//! association form `/api/<collection>/<id>/<association>:<action>`, which acts on the target rows
//! linked to the source record. ACL was decided before these run; `ctx.scope` says whether only the
//! caller's own rows count.

use rusqlite::Connection;
use serde_json::{json, Value};

use super::events::Origin;
use super::filter::{self, Where};
use super::hooks::{answer, Said, Verb};
use super::records::{self, by_ids, Link, Reach, ReadOptions};
use super::registry::{Collection, Field, Schema};
use super::sql::SqlValue;
use crate::acl::Scope;
use crate::action::Ctx;
use crate::action::{Input, Tk};
use crate::error::{bad, Code, Error, Result};
use crate::reply::Reply;

/// What an action works on: a collection, or the rows of a target linked to one source record.
pub struct On<'a> {
    coll: &'a Collection,
    link: Option<Link>,
    /// The association of an association resource.
    via: Option<&'a Field>,
}

impl<'a> On<'a> {
    /// The rows of a collection.
    pub fn collection(coll: &'a Collection) -> On<'a> {
        On {
            coll,
            link: None,
            via: None,
        }
    }

    /// The `target` rows linked to record `source_id` of `source` through `field`.
    pub fn association(
        ctx: &Ctx,
        source: &Collection,
        source_id: i64,
        field: &'a Field,
        target: &'a Collection,
    ) -> Result<On<'a>> {
        let link = ctx
            .app
            .store
            .read(|conn| Link::of(conn, source, source_id, field))?;
        Ok(On {
            coll: target,
            link: Some(link),
            via: Some(field),
        })
    }
}

fn own(ctx: &Ctx) -> Option<i64> {
    (ctx.scope == Scope::Own).then_some(ctx.caller.user.id)
}

/// `filter` as JSON text or bracket form (http.md §3); `None` when absent.
pub fn filter_param(req: &Input) -> Result<Option<Value>> {
    let not_object = || filter::invalid("a filter must be a JSON object");
    match req.param("filter") {
        None => Ok(None),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => Ok(Some(v)),
            Ok(Value::Null) => Ok(None),
            Ok(_) => Err(not_object()),
            Err(e) => Err(filter::invalid(format!("not valid JSON ({e})"))),
        },
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(not_object()),
    }
}

/// `filter` ANDed with `filterByTk` (scalar or array).
fn request_filter(req: &Input) -> Result<Option<Value>> {
    let tk = match req.filter_by_tk()? {
        Tk::None => None,
        Tk::One(id) => Some(json!({ "id": id })),
        Tk::Many(ids) => Some(json!({ "id": { "$in": ids } })),
    };
    Ok(match (filter_param(req)?, tk) {
        (Some(f), Some(t)) => Some(json!({ "$and": [f, t] })),
        (f, t) => f.or(t),
    })
}

/// The caller's reach: its rights on the collections association values, appends and filters reach.
fn reach<'a>(ctx: &Ctx<'a>) -> Reach<'a> {
    Reach {
        rights: ctx.rights,
        user: ctx.caller.user.id,
    }
}

fn read_options<'a>(ctx: &Ctx<'a>) -> Result<ReadOptions<'a>> {
    let req = ctx.input;
    Ok(ReadOptions {
        filter: request_filter(req)?,
        appends: req.list_param("appends"),
        fields: req.list_param("fields"),
        except: req.list_param("except"),
        sort: req.list_param("sort"),
        page: req.page()?,
        own: own(ctx),
        reach: Some(reach(ctx)),
        known_count: None,
    })
}

/// The rows an action may touch: the filter, the association link and the own scope. A write needs a
/// filter or a tk, except on a to-one association (its link names the row).
fn scope(
    ctx: &Ctx,
    schema: &Schema,
    on: &On,
    filter: Option<&Value>,
    write: bool,
) -> Result<Where> {
    let mut w = filter::compile_within(schema, on.coll, filter, Some(reach(ctx)))?;
    let to_one = on.via.is_some_and(|f| f.kind.is_to_one());
    if write && w.is_empty() && !to_one {
        return Err(bad(
            Code::MissingParameter,
            "filterByTk or filter is required",
        ));
    }
    if let Some(link) = &on.link {
        link.restrict(&mut w);
    }
    w.and_own(on.coll, own(ctx));
    Ok(w)
}

pub fn list(ctx: &Ctx, on: &On) -> Result<Reply> {
    let opts = read_options(ctx)?;
    let schema = ctx.app.registry.snapshot();
    let (items, count, allowed) = ctx.app.store.read(|conn| {
        let w = scope(ctx, &schema, on, opts.filter.as_ref(), false)?;
        let (items, count) = records::select(conn, &schema, on.coll, &w, &opts)?;
        let allowed = allowed_actions(ctx, conn, on.coll, &items)?;
        Ok((items, count, allowed))
    })?;
    let meta = match (opts.page.map(|p| p.meta(count)), allowed) {
        (Some(mut m), Some(a)) => {
            m["allowedActions"] = a;
            Some(m)
        }
        (None, Some(a)) => Some(json!({ "allowedActions": a })),
        (m, None) => m,
    };
    Ok(Reply::list(Value::Array(items), meta))
}

/// The first match (by `sort`), or `null`.
pub fn get(ctx: &Ctx, on: &On) -> Result<Reply> {
    let opts = read_options(ctx)?;
    let schema = ctx.app.registry.snapshot();
    let (first, allowed) = ctx.app.store.read(|conn| {
        let w = scope(ctx, &schema, on, opts.filter.as_ref(), false)?;
        let first = records::first(conn, &schema, on.coll, &w, &opts)?;
        let allowed = allowed_actions(ctx, conn, on.coll, first.as_slice())?;
        Ok((first, allowed))
    })?;
    let data = first.unwrap_or(Value::Null);
    Ok(match allowed {
        Some(a) => Reply::list(data, Some(json!({ "allowedActions": a }))),
        None => Reply::data(data),
    })
}

/// `meta.allowedActions` (NocoBase's `X-With-ACL-Meta`): for `view`, `update` and `destroy`, the ids of
/// the answered rows the caller may act on: all of them, the caller's own, or none.
fn allowed_actions(
    ctx: &Ctx,
    conn: &Connection,
    coll: &Collection,
    rows: &[Value],
) -> Result<Option<Value>> {
    let Some(actions) = ctx.row_actions else {
        return Ok(None);
    };
    let ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_i64))
        .collect();
    let mut own: Option<Vec<i64>> = None;
    let mut allowed = |scope: Option<Scope>| -> Result<Vec<i64>> {
        Ok(match scope {
            None => Vec::new(),
            Some(Scope::All) => ids.clone(),
            Some(Scope::Own) => match &own {
                Some(o) => o.clone(),
                None => {
                    let mut w = Where::default();
                    by_ids(&mut w, &ids);
                    w.and_own(coll, Some(ctx.caller.user.id));
                    let mine = records::matching_ids(conn, coll, &w)?;
                    // In the order the rows were answered, as NocoBase lists them.
                    let o: Vec<i64> = ids.iter().copied().filter(|i| mine.contains(i)).collect();
                    own = Some(o.clone());
                    o
                }
            },
        })
    };
    Ok(Some(json!({
        "view": allowed(actions.view)?,
        "update": allowed(actions.update)?,
        "destroy": allowed(actions.destroy)?,
    })))
}

/// Records `ids` shaped by the request's appends/fields/except, in id order.
fn shaped(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    ids: &[i64],
    opts: &ReadOptions,
) -> Result<Vec<Value>> {
    let mut w = Where::default();
    by_ids(&mut w, ids);
    let opts = ReadOptions {
        page: None,
        sort: Vec::new(),
        ..opts.clone()
    };
    Ok(records::select(conn, schema, coll, &w, &opts)?.0)
}

/// The pre-action workflows of `verb` (`hooks::Hooks::before`): `Some` answers instead of the action.
fn before(ctx: &Ctx, on: &On, verb: Verb, said: &mut Said) -> Result<Option<Reply>> {
    (ctx.app.hooks.before)(ctx, on.coll, verb, said)
}

pub fn create(ctx: &Ctx, on: &On) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let opts = read_options(ctx)?;
    let mut said = Said::default();
    if let Some(stop) = before(ctx, on, Verb::Create, &mut said)? {
        return Ok(stop);
    }
    let schema = ctx.app.registry.snapshot();
    let actor = Some(ctx.caller.user.id);
    let coll = on.coll;
    let origin = Origin::request(ctx.app);
    let created = ctx.app.write(|conn| {
        let id = match &on.link {
            None => records::create_id(
                conn,
                &schema,
                coll,
                &values,
                actor,
                Some(reach(ctx)),
                &origin,
                |_| Ok(()),
            )?,
            // hasMany: the new row points at the source, whatever the values say.
            Some(Link::Fk { column, source }) => records::create_id(
                conn,
                &schema,
                coll,
                &values,
                actor,
                Some(reach(ctx)),
                &origin,
                |ch| {
                    let fk = coll.field(column).ok_or_else(|| {
                        Error::internal(format!("{} has no column {column}", coll.name))
                    })?;
                    ch.set(fk, SqlValue::Integer(*source));
                    Ok(())
                },
            )?,
            Some(Link::Through {
                table,
                fk,
                other,
                source,
            }) => {
                let id = records::create_id(
                    conn,
                    &schema,
                    coll,
                    &values,
                    actor,
                    Some(reach(ctx)),
                    &origin,
                    |_| Ok(()),
                )?;
                crate::collections::write::link_through(conn, table, fk, other, *source, id)?;
                id
            }
            Some(_) => return Err(ctx.input.action_not_found()),
        };
        (ctx.app.hooks.after)(ctx, conn, &schema, coll, Verb::Create, &[id], &mut said)?;
        Ok(shaped(conn, &schema, coll, &[id], &opts)?
            .into_iter()
            .next())
    })?;
    Ok(answer(created.unwrap_or(Value::Null), said))
}

pub fn update(ctx: &Ctx, on: &On) -> Result<Reply> {
    let opts = read_options(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let schema = ctx.app.registry.snapshot();
    let w = scope(ctx, &schema, on, opts.filter.as_ref(), true)?;
    let mut said = Said::default();
    if let Some(stop) = before(ctx, on, Verb::Update, &mut said)? {
        return Ok(stop);
    }
    let actor = Some(ctx.caller.user.id);
    let origin = Origin::request(ctx.app);
    let items = ctx.app.write(|conn| {
        let ids = records::update_where(
            conn,
            &schema,
            on.coll,
            &w,
            &values,
            actor,
            Some(reach(ctx)),
            &origin,
        )?;
        (ctx.app.hooks.after)(ctx, conn, &schema, on.coll, Verb::Update, &ids, &mut said)?;
        shaped(conn, &schema, on.coll, &ids, &opts)
    })?;
    Ok(answer(Value::Array(items), said))
}

pub fn destroy(ctx: &Ctx, on: &On) -> Result<Reply> {
    let filter = request_filter(ctx.input)?;
    let schema = ctx.app.registry.snapshot();
    let w = scope(ctx, &schema, on, filter.as_ref(), true)?;
    let mut said = Said::default();
    if let Some(stop) = before(ctx, on, Verb::Destroy, &mut said)? {
        return Ok(stop);
    }
    let origin = Origin::request(ctx.app);
    let n = ctx
        .app
        .write(|conn| records::destroy_where(conn, &schema, on.coll, &w, &origin))?;
    // NocoBase's relation repositories answer `true` whatever they removed; a collection keeps the count.
    let data = if on.via.is_some() {
        json!(true)
    } else {
        json!(n)
    };
    Ok(answer(data, said))
}
