//! Records: list, get, create, update, destroy over a collection's table (collections.md §6–§9).
//!
//! The functions here are the Rust API the HTTP handlers, the workflow engine and the trigger share.
//! They run on a connection the caller got from `store.read` / `store.write` (so a workflow's writes sit
//! in its transaction) and take the schema snapshot the caller resolved the collection in.

use rusqlite::{params, Connection};
use serde_json::{Map, Value};

use super::events::{Event, Op, Origin};
use super::filter::{self, Where, ROOT};
use super::registry::{Collection, Field, Kind, Schema};
use super::rows::{self, Record};
use super::sql::{ids_match, q, SqlValue};
use super::view::{self, View};
use super::write::{self, Mode};
use crate::acl::{Rights, Scope};
use crate::action::Page;
use crate::app::App;
use crate::error::{Code, Error, Result};
use crate::store::OptionalExt;

/// What a caller may see and change beyond the rows its action was decided on: the ACL's answers
/// (handed down by the door that decided the action) and the caller, for scope `own`. A read or write
/// without one (the workflow engine, the trigger's own loads) is not limited.
#[derive(Clone, Copy)]
pub struct Reach<'a> {
    pub rights: &'a dyn Rights,
    pub user: i64,
}

/// Which rows of a collection a [`Reach`] allows for an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    All,
    /// Only the rows this user created.
    Own(i64),
    Denied,
}

impl Reach<'_> {
    /// The rows of `target` the caller may `action`. The built-in tables (`users`, `workflows`…) are
    /// system resources read through their own APIs; reached from a user collection (`createdBy`,
    /// `updatedBy`) they are not limited, as in NocoBase.
    pub fn allowed(&self, target: &Collection, action: &'static str) -> Allowed {
        if target.builtin {
            return Allowed::All;
        }
        match self.rights.scope(&target.name, action) {
            Some(Scope::All) => Allowed::All,
            Some(Scope::Own) => Allowed::Own(self.user),
            None => Allowed::Denied,
        }
    }
}

impl std::fmt::Debug for Reach<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reach")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// What a read returns and how (the query parameters of http.md §3 as values).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions<'a> {
    pub filter: Option<Value>,
    pub appends: Vec<String>,
    pub fields: Vec<String>,
    pub except: Vec<String>,
    /// Column names; `-field` is descending. `id` ascending is always the last key.
    pub sort: Vec<String>,
    /// `None`: every row.
    pub page: Option<Page>,
    /// ACL scope `own`: only rows whose `createdById` is this user.
    pub own: Option<i64>,
    /// The caller's rights on the collections appends and filters reach (`None`: not limited).
    pub reach: Option<Reach<'a>>,
    /// How many rows match `filter`, when the caller knows it exactly (a count the store keeps): the
    /// list then takes no `COUNT(*)`.
    pub known_count: Option<u64>,
}

/// Validates appends paths (`UNKNOWN_FIELD` / `NOT_AN_ASSOCIATION`).
pub fn check_appends(schema: &Schema, coll: &Collection, appends: &[String]) -> Result<()> {
    super::appends::parse(schema, coll, appends).map(|_| ())
}

/// A page of records and the total count of matching rows.
pub fn list(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    opts: &ReadOptions,
) -> Result<(Vec<Value>, u64)> {
    let mut w = filter::compile_within(schema, coll, opts.filter.as_ref(), opts.reach)?;
    w.and_own(coll, opts.own);
    select(conn, schema, coll, &w, opts)
}

/// Record `id` with `appends`, or `None` (also when `own` excludes it).
pub fn get(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    id: i64,
    appends: &[String],
    own: Option<i64>,
) -> Result<Option<Value>> {
    Ok(get_many(conn, schema, coll, &[id], appends, own)?
        .into_iter()
        .next())
}

/// Records by id in primary-key order; repeated ids once, missing ones absent.
pub fn get_many(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    ids: &[i64],
    appends: &[String],
    own: Option<i64>,
) -> Result<Vec<Value>> {
    let view = View::appends(schema, coll, appends)?;
    let mut w = Where::default();
    by_ids(&mut w, ids);
    w.and_own(coll, own);
    let (rows, _) = fetch(conn, coll, &w, "t0.\"id\"", None, false)?;
    view.render(conn, schema, coll, rows)
}

/// Creates a record from request-shaped `values`; returns the stored record (no appends).
pub fn create(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    values: &Map<String, Value>,
    actor: Option<i64>,
    origin: &Origin,
) -> Result<Value> {
    let id = create_id(conn, schema, coll, values, actor, None, origin, |_| Ok(()))?;
    get(conn, schema, coll, id, &[], None)?
        .ok_or_else(|| Error::internal("created record vanished"))
}

/// Updates every row matching `filter` (`{}` = all rows) within `own`; returns the ids updated.
#[allow(clippy::too_many_arguments)]
pub fn update(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    filter: &Value,
    values: &Map<String, Value>,
    actor: Option<i64>,
    own: Option<i64>,
    origin: &Origin,
) -> Result<Vec<i64>> {
    let mut w = filter::compile(schema, coll, Some(filter))?;
    w.and_own(coll, own);
    update_where(conn, schema, coll, &w, values, actor, None, origin)
}

/// Deletes the rows matching `filter` within `own`; an empty filter deletes nothing.
pub fn destroy(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    filter: &Value,
    own: Option<i64>,
    origin: &Origin,
) -> Result<usize> {
    let mut w = filter::compile(schema, coll, Some(filter))?;
    if w.is_empty() {
        return Ok(0);
    }
    w.and_own(coll, own);
    destroy_where(conn, schema, coll, &w, origin)
}

/// The to-one target of `record` through `field` (belongsTo via its FK, hasOne via the target's FK).
pub fn load_association(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    record: &Value,
    field: &Field,
    appends: &[String],
) -> Result<Option<Value>> {
    let target = schema
        .get(field.kind.target().unwrap_or(""))
        .ok_or_else(|| Error::internal(format!("{}.{} has no target", coll.name, field.name)))?;
    let id = record
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::internal("record without id"))?;
    let scope = match &field.kind {
        Kind::BelongsTo { .. } | Kind::HasOne { .. } => Link::of(conn, coll, id, field)?,
        _ => {
            return Err(Error::new(
                Code::AssociationNotSupported,
                "one-to-many is not supported",
            )
            .with("path", field.name.clone()))
        }
    };
    let opts = ReadOptions {
        appends: appends.to_vec(),
        ..ReadOptions::default()
    };
    let mut w = Where::default();
    scope.restrict(&mut w);
    first(conn, schema, target, &w, &opts)
}

/// Whether record `id` exists (association sources).
pub fn exists(app: &App, c: &Collection, id: i64) -> Result<bool> {
    // The table name comes from the registry, never from the request.
    let sql = format!("SELECT 1 FROM {} WHERE \"id\" = ?1", q(&c.name));
    app.store.read(|conn| {
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(params![id], |_| Ok(()))
            .optional()?
            .is_some())
    })
}

// ---- shared by the HTTP handlers ----

/// The target rows an association resource may touch (collections.md §7).
#[derive(Debug, Clone)]
pub enum Link {
    /// hasMany: target rows whose `column` is the source id.
    Fk { column: String, source: i64 },
    /// hasOne: the lowest-id target row whose `column` is the source id.
    FirstFk {
        table: String,
        column: String,
        source: i64,
    },
    /// belongsToMany: target rows linked through a table.
    Through {
        table: String,
        fk: String,
        other: String,
        source: i64,
    },
    /// belongsTo: the row the source's FK names, or none.
    Id(Option<i64>),
}

impl Link {
    /// The link from source record `source` of `coll` through `field`.
    pub fn of(conn: &Connection, coll: &Collection, source: i64, field: &Field) -> Result<Link> {
        Ok(match &field.kind {
            Kind::HasMany { foreign_key, .. } => Link::Fk {
                column: foreign_key.clone(),
                source,
            },
            Kind::HasOne {
                target,
                foreign_key,
            } => Link::FirstFk {
                table: target.clone(),
                column: foreign_key.clone(),
                source,
            },
            Kind::BelongsToMany {
                through,
                foreign_key,
                other_key,
                ..
            } => Link::Through {
                table: through.clone(),
                fk: foreign_key.clone(),
                other: other_key.clone(),
                source,
            },
            Kind::BelongsTo { foreign_key, .. } => {
                let sql = format!(
                    "SELECT {} FROM {} WHERE \"id\" = ?",
                    q(foreign_key),
                    q(&coll.name)
                );
                let fk: Option<Option<i64>> = conn
                    .prepare_cached(&sql)?
                    .query_row([source], |r| r.get(0))
                    .optional()?;
                Link::Id(fk.flatten())
            }
            Kind::Scalar(_) => return Err(Error::internal("a column is not an association")),
        })
    }

    /// ANDs the link into a condition over the target (`t0`).
    pub fn restrict(&self, w: &mut Where) {
        match self {
            Link::Fk { column, source } => w.and(
                format!("{ROOT}.{} = ?", q(column)),
                vec![SqlValue::Integer(*source)],
            ),
            Link::FirstFk {
                table,
                column,
                source,
            } => w.and(
                format!(
                    "{ROOT}.\"id\" = (SELECT MIN(\"id\") FROM {} WHERE {} = ?)",
                    q(table),
                    q(column)
                ),
                vec![SqlValue::Integer(*source)],
            ),
            Link::Through {
                table,
                fk,
                other,
                source,
            } => w.and(
                format!(
                    "{ROOT}.\"id\" IN (SELECT {} FROM {} WHERE {} = ?)",
                    q(other),
                    q(table),
                    q(fk)
                ),
                vec![SqlValue::Integer(*source)],
            ),
            Link::Id(Some(id)) => w.and(format!("{ROOT}.\"id\" = ?"), vec![SqlValue::Integer(*id)]),
            Link::Id(None) => w.and("0".into(), Vec::new()),
        }
    }
}

/// ANDs `id IN (ids)` (nothing matches an empty list).
pub fn by_ids(w: &mut Where, ids: &[i64]) {
    if ids.is_empty() {
        w.and("0".into(), Vec::new());
    } else {
        let (cond, value) = ids_match(&format!("{ROOT}.\"id\""), ids);
        w.and(cond, vec![value]);
    }
}

/// Reads rows matching `w` shaped by `opts` (appends, fields, except, sort, page; its `filter` and `own`
/// are already in `w`); returns the records and the number of matching rows.
pub fn select(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    w: &Where,
    opts: &ReadOptions,
) -> Result<(Vec<Value>, u64)> {
    let view = View::new(
        schema,
        coll,
        &opts.appends,
        &opts.fields,
        &opts.except,
        opts.reach,
    )?;
    let order = view::order_by(coll, &opts.sort)?;
    let (rows, count) = fetch(conn, coll, w, &order, opts.page, opts.known_count.is_none())?;
    Ok((
        view.render(conn, schema, coll, rows)?,
        opts.known_count.unwrap_or(count),
    ))
}

/// The first row matching `w` in `opts.sort` order, shaped by `opts` (no count is taken).
pub fn first(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    w: &Where,
    opts: &ReadOptions,
) -> Result<Option<Value>> {
    let view = View::new(
        schema,
        coll,
        &opts.appends,
        &opts.fields,
        &opts.except,
        opts.reach,
    )?;
    let order = view::order_by(coll, &opts.sort)?;
    let (rows, _) = fetch(
        conn,
        coll,
        w,
        &order,
        Some(Page {
            page: 1,
            page_size: 1,
        }),
        false,
    )?;
    Ok(view.render(conn, schema, coll, rows)?.into_iter().next())
}

/// The rows of one page and, if `want_count`, the total count (skipped when the page tells it).
fn fetch(
    conn: &Connection,
    coll: &Collection,
    w: &Where,
    order: &str,
    page: Option<Page>,
    want_count: bool,
) -> Result<(Vec<Record>, u64)> {
    let (limit, offset) = Page::limit_offset(page);
    let sql = format!(
        // `? + 0`: a bare bound LIMIT or OFFSET makes SQLite re-prepare the statement at every execution
        // (its plan depends on the bound value); an expression keeps the value bound without that.
        "SELECT {cols} FROM {t} {ROOT}{joins} WHERE {cond} ORDER BY {order} LIMIT ? + 0 OFFSET ? + 0",
        cols = rows::select_list(coll, ROOT),
        t = q(&coll.name),
        joins = w.joins(),
        cond = w.cond(),
    );
    let mut params = w.params().to_vec();
    params.push(SqlValue::Integer(limit));
    params.push(SqlValue::Integer(offset));
    let records: Vec<Record> = rows::query(conn, coll, &sql, &params, 0)?
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let count = match page {
        // A short first page holds every match; no need to count.
        Some(p) if want_count && !(p.page == 1 && (records.len() as u64) < p.page_size) => {
            count(conn, coll, w)?
        }
        _ => records.len() as u64,
    };
    Ok((records, count))
}

fn count(conn: &Connection, coll: &Collection, w: &Where) -> Result<u64> {
    let sql = format!(
        "SELECT COUNT(*) FROM {} {ROOT}{} WHERE {}",
        q(&coll.name),
        w.joins(),
        w.cond()
    );
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(w.params()), |r| r.get(0))?;
    Ok(n as u64)
}

/// Ids of the rows matching `w`, ascending.
pub fn matching_ids(conn: &Connection, coll: &Collection, w: &Where) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT {ROOT}.\"id\" FROM {} {ROOT}{} WHERE {} ORDER BY {ROOT}.\"id\"",
        q(&coll.name),
        w.joins(),
        w.cond()
    );
    let mut st = conn.prepare_cached(&sql)?;
    let ids = st.query_map(rusqlite::params_from_iter(w.params()), |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(ids.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Creates a row from `values`; `adjust` may set columns the request does not choose (an association
/// resource's FK). With a `reach`, association values must pass the targets' ACL
/// ([`write::check_reach`]). Raises the create event (after the association values are applied, so a
/// listener reads the whole record). Returns the new id.
#[allow(clippy::too_many_arguments)]
pub fn create_id<'c>(
    conn: &Connection,
    schema: &Schema,
    coll: &'c Collection,
    values: &Map<String, Value>,
    actor: Option<i64>,
    reach: Option<Reach>,
    origin: &Origin,
    adjust: impl FnOnce(&mut write::Changes<'c>) -> Result<()>,
) -> Result<i64> {
    refuse_builtin(coll)?;
    let mut ch = write::parse(conn, schema, coll, values, Mode::Create)?;
    adjust(&mut ch)?;
    if let Some(reach) = &reach {
        write::check_reach(conn, schema, coll, &ch, &[], reach)?;
    }
    let now = crate::time::now_iso();
    let id = write::insert(conn, coll, &ch, actor, &now)?;
    write::apply_links(conn, id, &ch)?;
    if origin.wants(conn, coll, Op::Create)? {
        let event = Event {
            op: Op::Create,
            id,
            before: None,
            changed: Vec::new(),
        };
        origin.raise(conn, schema, coll, vec![event])?;
    }
    Ok(id)
}

/// Validates `values` first (bad input is a 400 even when nothing matches), then updates each match.
/// With a `reach`, association values must pass the targets' ACL ([`write::check_reach`]). Raises one
/// update event per row, with the columns whose value changed.
#[allow(clippy::too_many_arguments)]
pub fn update_where(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    w: &Where,
    values: &Map<String, Value>,
    actor: Option<i64>,
    reach: Option<Reach>,
    origin: &Origin,
) -> Result<Vec<i64>> {
    refuse_builtin(coll)?;
    let ch = write::parse(conn, schema, coll, values, Mode::Update)?;
    let ids = matching_ids(conn, coll, w)?;
    if let (Some(reach), false) = (&reach, ids.is_empty()) {
        write::check_reach(conn, schema, coll, &ch, &ids, reach)?;
    }
    let listened = !ids.is_empty() && origin.wants(conn, coll, Op::Update)?;
    let before = if listened {
        get_many(conn, schema, coll, &ids, &[], None)?
    } else {
        Vec::new()
    };
    let now = crate::time::now_iso();
    write::update_rows(conn, coll, &ids, &ch, actor, &now)?;
    for id in &ids {
        write::apply_links(conn, *id, &ch)?;
    }
    if listened {
        let after = get_many(conn, schema, coll, &ids, &[], None)?;
        let columns: Vec<&str> = ch.columns.iter().map(|(f, _)| f.name.as_str()).collect();
        let events = before
            .iter()
            .zip(&after)
            .filter_map(|(old, new)| update_event(old, new, &columns))
            .collect();
        origin.raise(conn, schema, coll, events)?;
    }
    Ok(ids)
}

/// The update event of one row: the written columns whose value differs before and after.
fn update_event(old: &Value, new: &Value, columns: &[&str]) -> Option<Event> {
    let id = new.get("id").and_then(Value::as_i64)?;
    let changed = columns
        .iter()
        .filter(|c| old.get(**c) != new.get(**c))
        .map(|c| c.to_string())
        .collect();
    Some(Event {
        op: Op::Update,
        id,
        before: None,
        changed,
    })
}

/// Deletes the rows matching `w`; SQLite clears FKs pointing at them and cascades through tables.
/// Raises one destroy event per row, carrying the row as it was.
pub fn destroy_where(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    w: &Where,
    origin: &Origin,
) -> Result<usize> {
    refuse_builtin(coll)?;
    let before = if origin.wants(conn, coll, Op::Destroy)? {
        let ids = matching_ids(conn, coll, w)?;
        get_many(conn, schema, coll, &ids, &[], None)?
    } else {
        Vec::new()
    };
    let t = q(&coll.name);
    let sql = format!(
        "DELETE FROM {t} WHERE \"id\" IN (SELECT {ROOT}.\"id\" FROM {t} {ROOT}{} WHERE {})",
        w.joins(),
        w.cond()
    );
    let n = conn
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(w.params()))
        .map_err(super::sql::write_error)?;
    let events = before
        .into_iter()
        .filter_map(|row| {
            Some(Event {
                op: Op::Destroy,
                id: row.get("id").and_then(Value::as_i64)?,
                before: Some(row),
                changed: Vec::new(),
            })
        })
        .collect();
    origin.raise(conn, schema, coll, events)?;
    Ok(n)
}

/// The built-in users table is written only through the users API.
/// An SQL aggregate function of the `aggregate` node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregator {
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl Aggregator {
    pub const NAMES: [&'static str; 5] = ["count", "sum", "avg", "min", "max"];

    pub fn parse(name: &str) -> Option<Aggregator> {
        Some(match name {
            "count" => Aggregator::Count,
            "sum" => Aggregator::Sum,
            "avg" => Aggregator::Avg,
            "min" => Aggregator::Min,
            "max" => Aggregator::Max,
            _ => return None,
        })
    }

    fn function(self) -> &'static str {
        match self {
            Aggregator::Count => "COUNT",
            Aggregator::Sum => "SUM",
            // SQLite's AVG is computed in double precision, as NocoBase asks of its database.
            Aggregator::Avg => "AVG",
            Aggregator::Min => "MIN",
            Aggregator::Max => "MAX",
        }
    }
}

/// `func([DISTINCT] field)` over the rows of `coll` matching `w`: SQL NULL when no row has a value
/// (`COUNT` gives 0). `field` must be a column of `coll` (`UNKNOWN_FIELD` otherwise); its name is quoted
/// from the registry's field, never taken from the caller's text.
pub fn aggregate(
    conn: &Connection,
    coll: &Collection,
    w: &Where,
    func: Aggregator,
    field: &str,
    distinct: bool,
) -> Result<SqlValue> {
    let column = coll
        .field(field)
        .filter(|f| f.is_column())
        .ok_or_else(|| filter::unknown_field(field, &coll.name))?;
    let sql = format!(
        "SELECT {func}({distinct}{ROOT}.{col}) FROM {t} {ROOT}{joins} WHERE {cond}",
        func = func.function(),
        distinct = if distinct { "DISTINCT " } else { "" },
        col = q(&column.name),
        t = q(&coll.name),
        joins = w.joins(),
        cond = w.cond(),
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(w.params()), |r| r.get(0))?)
}

fn refuse_builtin(coll: &Collection) -> Result<()> {
    if coll.builtin {
        return Err(crate::error::invalid_value(format!(
            "Collection \"{}\" is written through its own API",
            coll.name
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::ddl::Change;
    use crate::collections::schema_ops;
    use serde_json::json;

    // The records API as a write nobody hears (no app here: events are tested over HTTP).
    fn create(
        c: &Connection,
        s: &Schema,
        coll: &Collection,
        v: &Map<String, Value>,
        actor: Option<i64>,
    ) -> Result<Value> {
        super::create(c, s, coll, v, actor, &Origin::unheard())
    }

    #[allow(clippy::too_many_arguments)]
    fn update(
        c: &Connection,
        s: &Schema,
        coll: &Collection,
        f: &Value,
        v: &Map<String, Value>,
        actor: Option<i64>,
        own: Option<i64>,
    ) -> Result<Vec<i64>> {
        super::update(c, s, coll, f, v, actor, own, &Origin::unheard())
    }

    fn destroy(
        c: &Connection,
        s: &Schema,
        coll: &Collection,
        f: &Value,
        own: Option<i64>,
    ) -> Result<usize> {
        super::destroy(c, s, coll, f, own, &Origin::unheard())
    }

    /// categories, posts {title, indicator, category, comments, detail}, comments, details; users 1 and 2.
    fn store() -> (Connection, Schema) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("../../schema.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys=ON;
             INSERT INTO users (username, password, createdAt, updatedAt) VALUES ('a','x','t','t'), ('b','x','t','t');",
        )
        .unwrap();
        let mut ch = Change::on(&conn).unwrap();
        for body in [
            json!({"name":"categories","fields":[{"name":"title","type":"string"}]}),
            json!({"name":"comments","fields":[{"name":"content","type":"text"}]}),
            json!({"name":"details","fields":[{"name":"summary","type":"string"}]}),
            json!({"name":"posts","fields":[{"name":"title","type":"string"},{"name":"indicator","type":"integer"},
                {"name":"category","type":"belongsTo"},{"name":"comments","type":"hasMany"},
                {"name":"detail","type":"hasOne","target":"details"}]}),
        ] {
            schema_ops::create_collection(&mut ch, body.as_object().unwrap()).unwrap();
        }
        let schema = ch.schema;
        (conn, schema)
    }

    fn values(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn ids(items: &[Value]) -> Vec<i64> {
        items.iter().filter_map(|r| r["id"].as_i64()).collect()
    }

    /// Id lists are one bound value: more ids than SQLite has variables still work.
    #[test]
    fn get_many_beyond_the_variable_limit() {
        let (c, s) = store();
        let cats = s.get("categories").unwrap().clone();
        for t in ["a", "b"] {
            create(&c, &s, &cats, &values(json!({"title": t})), None).unwrap();
        }
        let wanted: Vec<i64> = (1..=40_000).rev().collect();
        assert_eq!(
            ids(&get_many(&c, &s, &cats, &wanted, &[], None).unwrap()),
            vec![1, 2]
        );
    }

    #[test]
    fn rust_api_round_trip() {
        let (c, s) = store();
        let posts = s.get("posts").unwrap().clone();
        let cats = s.get("categories").unwrap().clone();
        create(&c, &s, &cats, &values(json!({"title":"News"})), Some(1)).unwrap();
        let p1 = create(
            &c,
            &s,
            &posts,
            &values(json!({"title":"a","indicator":"5","category":1})),
            Some(1),
        )
        .unwrap();
        assert_eq!(
            (
                p1["id"].as_i64(),
                p1["indicator"].as_i64(),
                p1["createdById"].as_i64()
            ),
            (Some(1), Some(5), Some(1))
        );
        create(
            &c,
            &s,
            &posts,
            &values(json!({"title":"b","indicator":7})),
            Some(2),
        )
        .unwrap();
        create(
            &c,
            &s,
            &posts,
            &values(json!({"title":"c","indicator":7})),
            None,
        )
        .unwrap();
        let e = create(&c, &s, &posts, &values(json!({"nope":1})), None).unwrap_err();
        assert_eq!(e.code, Code::UnknownField);

        // Reads: get, get_many (pk order, dupes once, missing absent), list with template-rendered strings.
        let got = get(&c, &s, &posts, 1, &["category".into()], None)
            .unwrap()
            .unwrap();
        assert_eq!(got["category"]["title"], "News");
        assert_eq!(get(&c, &s, &posts, 1, &[], Some(2)).unwrap(), None);
        assert_eq!(
            ids(&get_many(&c, &s, &posts, &[3, 1, 3, 99], &[], None).unwrap()),
            vec![1, 3]
        );
        let opts = ReadOptions {
            filter: Some(json!({"indicator":"7"})),
            sort: vec!["-id".into()],
            ..ReadOptions::default()
        };
        let (items, count) = list(&c, &s, &posts, &opts).unwrap();
        assert_eq!((ids(&items), count), (vec![3, 2], 2));
        let paged = ReadOptions {
            page: Some(Page {
                page: 2,
                page_size: 1,
            }),
            ..opts.clone()
        };
        let (items, count) = list(&c, &s, &posts, &paged).unwrap();
        assert_eq!((ids(&items), count), (vec![2], 2));
        let own = ReadOptions {
            own: Some(2),
            ..ReadOptions::default()
        };
        assert_eq!(ids(&list(&c, &s, &posts, &own).unwrap().0), vec![2]);
        let shaped = ReadOptions {
            fields: vec!["title".into()],
            ..ReadOptions::default()
        };
        assert_eq!(
            list(&c, &s, &posts, &shaped).unwrap().0[0],
            json!({"title":"a"})
        );

        // Writes: update with `{}` touches all rows (within own), destroy with `{}` deletes nothing.
        assert_eq!(
            update(
                &c,
                &s,
                &posts,
                &json!({}),
                &values(json!({"indicator":1})),
                Some(2),
                Some(2)
            )
            .unwrap(),
            vec![2]
        );
        assert_eq!(
            update(
                &c,
                &s,
                &posts,
                &json!({}),
                &values(json!({"indicator":2})),
                None,
                None
            )
            .unwrap(),
            vec![1, 2, 3]
        );
        assert_eq!(destroy(&c, &s, &posts, &json!({}), None).unwrap(), 0);
        assert_eq!(
            destroy(&c, &s, &posts, &json!({"title":"c"}), Some(1)).unwrap(),
            0
        );
        assert_eq!(
            destroy(&c, &s, &posts, &json!({"title":"c"}), None).unwrap(),
            1
        );
        assert_eq!(
            get_many(&c, &s, &posts, &[1, 2, 3], &[], None)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn rust_api_associations_and_appends() {
        let (c, s) = store();
        let posts = s.get("posts").unwrap().clone();
        let details = s.get("details").unwrap().clone();
        create(
            &c,
            &s,
            s.get("categories").unwrap(),
            &values(json!({"title":"News"})),
            None,
        )
        .unwrap();
        create(&c, &s, &details, &values(json!({"summary":"d"})), None).unwrap();
        let p = create(
            &c,
            &s,
            &posts,
            &values(json!({"title":"a","category":1,"detail":1})),
            None,
        )
        .unwrap();
        let field = |n: &str| posts.field(n).unwrap().clone();
        let cat = load_association(&c, &s, &posts, &p, &field("category"), &["posts".into()])
            .unwrap_err();
        assert_eq!(
            cat.code,
            Code::UnknownField,
            "categories has no posts association"
        );
        let cat = load_association(&c, &s, &posts, &p, &field("category"), &[])
            .unwrap()
            .unwrap();
        assert_eq!(cat["title"], "News");
        let d = load_association(&c, &s, &posts, &p, &field("detail"), &[])
            .unwrap()
            .unwrap();
        assert_eq!(d["summary"], "d");
        let e = load_association(&c, &s, &posts, &p, &field("comments"), &[]).unwrap_err();
        assert_eq!(e.code, Code::AssociationNotSupported);
        let bare = create(&c, &s, &posts, &values(json!({"title":"b"})), None).unwrap();
        assert_eq!(
            load_association(&c, &s, &posts, &bare, &field("category"), &[]).unwrap(),
            None
        );
        assert!(check_appends(
            &s,
            &posts,
            &["category".into(), "comments".into(), "createdBy".into()]
        )
        .is_ok());
        assert_eq!(
            check_appends(&s, &posts, &["title".into()])
                .unwrap_err()
                .code,
            Code::NotAnAssociation
        );
        assert_eq!(
            check_appends(&s, &posts, &["nope".into()])
                .unwrap_err()
                .code,
            Code::UnknownField
        );
    }
}
