//! Record writes (collections.md §3–§6): request values checked and coerced into column values and
//! association links, then inserted or updated. Runs inside the caller's write transaction, so an
//! error at any step leaves nothing behind.

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::filter::{owner_column, unknown_field};
use super::records::{Allowed, Reach};
use super::registry::{Collection, Field, Kind, Schema};
use super::sql::{constraint, ids_match, placeholders, q, write_error, SqlValue};
use super::values;
use crate::action::parse_id;
use crate::error::{invalid_value, Code, Error, Result};

/// What one set of values does to a row.
pub struct Changes<'c> {
    /// Column values, in the collection's field order once [`Changes::sorted`].
    pub columns: Vec<(&'c Field, SqlValue)>,
    pub links: Vec<Link<'c>>,
}

/// An association value applied after the row exists.
pub enum Link<'c> {
    /// hasOne: this row of the target points here (`None`: none does).
    One(&'c Field, Option<i64>),
    /// hasMany / belongsToMany: exactly these target rows are linked.
    Many(&'c Field, Vec<i64>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
}

impl<'c> Changes<'c> {
    /// Sets a column, replacing an earlier value for it (`category` and `categoryId` name one column).
    pub fn set(&mut self, field: &'c Field, value: SqlValue) {
        self.columns.retain(|(f, _)| f.name != field.name);
        self.columns.push((field, value));
    }

    /// Columns in field order, so the statement text is the same for every call (statement cache).
    fn sorted(&mut self, coll: &Collection) {
        let pos = |f: &Field| {
            coll.fields
                .iter()
                .position(|x| x.name == f.name)
                .unwrap_or(usize::MAX)
        };
        self.columns.sort_by_key(|(f, _)| pos(f));
    }
}

/// Checks and coerces `values` for `coll`. System fields are ignored (a record read back can be sent
/// again); on create, missing columns take their default value.
pub fn parse<'c>(
    conn: &Connection,
    schema: &Schema,
    coll: &'c Collection,
    values: &Map<String, Value>,
    mode: Mode,
) -> Result<Changes<'c>> {
    let mut ch = Changes {
        columns: Vec::new(),
        links: Vec::new(),
    };
    for (key, v) in values {
        let field = coll
            .field(key)
            .ok_or_else(|| unknown_field(key, &coll.name))?;
        if field.system {
            continue;
        }
        match &field.kind {
            Kind::Scalar(ty) => {
                let sv = values::to_column(*ty, v).ok_or_else(|| {
                    invalid_value(values::expects(&field.name, *ty))
                        .with("field", field.name.clone())
                })?;
                if let (Some(target), SqlValue::Integer(id)) = (&field.fk_target, &sv) {
                    require(conn, schema, target, &[*id], &field.name)?;
                }
                ch.set(field, sv);
            }
            Kind::BelongsTo {
                target,
                foreign_key,
            } => {
                let id = one_id(field, v)?;
                if let Some(id) = id {
                    require(conn, schema, target, &[id], &field.name)?;
                }
                let fk = coll.field(foreign_key).ok_or_else(|| {
                    Error::internal(format!("{} has no column {foreign_key}", coll.name))
                })?;
                ch.set(fk, id.map_or(SqlValue::Null, SqlValue::Integer));
            }
            Kind::HasOne { target, .. } => {
                let id = one_id(field, v)?;
                if let Some(id) = id {
                    require(conn, schema, target, &[id], &field.name)?;
                }
                ch.links.push(Link::One(field, id));
            }
            Kind::HasMany { target, .. } | Kind::BelongsToMany { target, .. } => {
                let ids = many_ids(field, v)?;
                require(conn, schema, target, &ids, &field.name)?;
                ch.links.push(Link::Many(field, ids));
            }
        }
    }
    if mode == Mode::Create {
        for field in coll.columns().filter(|f| !f.system) {
            if !ch.columns.iter().any(|(f, _)| f.name == field.name) {
                let ty = field
                    .scalar_type()
                    .unwrap_or(super::registry::ScalarType::String);
                ch.columns.push((
                    field,
                    values::to_column(ty, &field.default_value).unwrap_or(SqlValue::Null),
                ));
            }
        }
    }
    for (field, v) in &ch.columns {
        if !field.allow_null && *v == SqlValue::Null {
            return Err(constraint(format!("{} cannot be null", field.name)));
        }
    }
    ch.sorted(coll);
    Ok(ch)
}

fn id_shape(field: &Field) -> Error {
    let what = if field.kind.is_to_one() {
        "an id, {\"id\": …} or null"
    } else {
        "an array of ids or {\"id\": …}"
    };
    invalid_value(format!("Field \"{}\" expects {what}", field.name))
        .with("field", field.name.clone())
}

/// `2`, `"2"`, `{"id": 2}` or `null`. An object without `id` is refused rather than inserted.
fn one_id(field: &Field, v: &Value) -> Result<Option<i64>> {
    match v {
        Value::Null => Ok(None),
        Value::Object(o) => o
            .get("id")
            .and_then(parse_id)
            .map(Some)
            .ok_or_else(|| id_shape(field)),
        other => parse_id(other).map(Some).ok_or_else(|| id_shape(field)),
    }
}

fn many_ids(field: &Field, v: &Value) -> Result<Vec<i64>> {
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        _ => return Err(id_shape(field)),
    };
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        ids.push(one_id(field, item)?.ok_or_else(|| id_shape(field))?);
    }
    Ok(super::sql::dedup_ids(&ids))
}

/// Every id must be a row of `target`, else `<name> references a missing record`.
fn require(
    conn: &Connection,
    schema: &Schema,
    target: &str,
    ids: &[i64],
    name: &str,
) -> Result<()> {
    let Some(coll) = schema.get(target) else {
        return Err(constraint(format!("{name} references a missing record")));
    };
    let ids = super::sql::dedup_ids(ids);
    let (cond, value) = ids_match("\"id\"", &ids);
    let sql = format!("SELECT COUNT(*) FROM {} WHERE {cond}", q(&coll.name));
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row([value], |r| r.get(0))?;
    if n as usize != ids.len() {
        return Err(constraint(format!("{name} references a missing record")));
    }
    Ok(())
}

/// Association values must pass the target's ACL (the caller's `reach`), since they change or expose
/// another collection's rows: a foreign key (belongsTo) pointing at a row needs `view` on that row; a
/// hasOne or hasMany value moves the target rows' foreign keys and needs `update` on every row it
/// attaches or detaches; a belongsToMany value needs `view` on every row it newly links (the links
/// are the source's, as NocoBase's association actions treat them: removing one needs no right on
/// the target). `sources` are the rows written (none yet on create); what is already stored is not
/// asked again, so a record read back and sent unchanged passes. Any refusal is `403 NO_PERMISSIONS`
/// naming the association and the collection, before anything is written.
pub fn check_reach(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    ch: &Changes,
    sources: &[i64],
    reach: &Reach,
) -> Result<()> {
    for (field, v) in &ch.columns {
        let (Some(target), SqlValue::Integer(id)) = (&field.fk_target, v) else {
            continue;
        };
        let target = target_collection(schema, target)?;
        if unlimited(reach, target, "view")
            || (!sources.is_empty() && fk_unchanged(conn, coll, &field.name, *id, sources)?)
        {
            continue;
        }
        let name = coll
            .fields
            .iter()
            .find(|f| matches!(&f.kind, Kind::BelongsTo { foreign_key, .. } if *foreign_key == field.name))
            .map_or(field.name.as_str(), |f| f.name.as_str());
        within(conn, coll, name, target, &[*id], reach, "view")?;
    }
    for link in &ch.links {
        let (field, wanted) = match link {
            Link::One(field, id) => (*field, id.as_slice()),
            Link::Many(field, ids) => (*field, ids.as_slice()),
        };
        match &field.kind {
            Kind::HasOne {
                target,
                foreign_key,
            }
            | Kind::HasMany {
                target,
                foreign_key,
            } => {
                let target = target_collection(schema, target)?;
                if unlimited(reach, target, "update") {
                    continue;
                }
                let mut moved = Vec::new();
                if sources.is_empty() {
                    moved.extend_from_slice(wanted);
                }
                for source in sources {
                    let now = linked(
                        conn,
                        &format!(
                            "SELECT \"id\" FROM {} WHERE {} = ?",
                            q(&target.name),
                            q(foreign_key)
                        ),
                        *source,
                    )?;
                    moved.extend(wanted.iter().filter(|i| !now.contains(i)));
                    moved.extend(now.iter().filter(|i| !wanted.contains(i)));
                }
                within(conn, coll, &field.name, target, &moved, reach, "update")?;
            }
            Kind::BelongsToMany {
                target,
                through,
                foreign_key,
                other_key,
            } => {
                let target = target_collection(schema, target)?;
                if unlimited(reach, target, "view") {
                    continue;
                }
                let mut added = Vec::new();
                if sources.is_empty() {
                    added.extend_from_slice(wanted);
                }
                for source in sources {
                    let now = linked(
                        conn,
                        &format!(
                            "SELECT {} FROM {} WHERE {} = ?",
                            q(other_key),
                            q(through),
                            q(foreign_key)
                        ),
                        *source,
                    )?;
                    added.extend(wanted.iter().filter(|i| !now.contains(i)));
                }
                within(conn, coll, &field.name, target, &added, reach, "view")?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The caller may `action` every row of `target`: nothing to read to decide.
fn unlimited(reach: &Reach, target: &Collection, action: &'static str) -> bool {
    matches!(reach.allowed(target, action), Allowed::All)
}

fn target_collection<'s>(schema: &'s Schema, name: &str) -> Result<&'s Collection> {
    schema
        .get(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| Error::internal(format!("collection {name} is not in the registry")))
}

/// Whether every row `sources` of `coll` already holds `id` in `column`.
fn fk_unchanged(
    conn: &Connection,
    coll: &Collection,
    column: &str,
    id: i64,
    sources: &[i64],
) -> Result<bool> {
    let (cond, value) = ids_match("\"id\"", sources);
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE {cond} AND {} IS NOT ?",
        q(&coll.name),
        q(column)
    );
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params![value, id], |r| r.get(0))?;
    Ok(n == 0)
}

/// The ids one query over a source id answers.
fn linked(conn: &Connection, sql: &str, source: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(sql)?;
    let ids = st.query_map([source], |r| r.get::<_, i64>(0))?;
    Ok(ids.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every row `ids` of `target` is within the caller's scope for `action`, else 403 naming the
/// association `name` of `coll`.
fn within(
    conn: &Connection,
    coll: &Collection,
    name: &str,
    target: &Collection,
    ids: &[i64],
    reach: &Reach,
    action: &'static str,
) -> Result<()> {
    let ids = super::sql::dedup_ids(ids);
    if ids.is_empty() {
        return Ok(());
    }
    let ok = match reach.allowed(target, action) {
        Allowed::All => true,
        Allowed::Denied => false,
        Allowed::Own(user) => {
            let (cond, value) = ids_match("\"id\"", &ids);
            let sql = format!(
                "SELECT COUNT(*) FROM {} WHERE {cond} AND {} = ?",
                q(&target.name),
                q(owner_column(target))
            );
            let n: i64 = conn
                .prepare_cached(&sql)?
                .query_row(rusqlite::params![value, user], |r| r.get(0))?;
            n as usize == ids.len()
        }
    };
    if ok {
        return Ok(());
    }
    let what = if action == "view" {
        "links rows"
    } else {
        "attaches or detaches rows"
    };
    Err(Error::new(
        Code::NoPermissions,
        format!(
            "No permissions: association \"{name}\" of \"{}\" {what} of collection \"{}\" that the role may not {action}",
            coll.name, target.name
        ),
    )
    .with("field", name.to_string()))
}

/// Inserts a row with its system columns; returns the new id.
pub fn insert(
    conn: &Connection,
    coll: &Collection,
    ch: &Changes,
    actor: Option<i64>,
    now: &str,
) -> Result<i64> {
    let mut names = vec![
        "\"createdAt\"".to_string(),
        "\"updatedAt\"".into(),
        "\"createdById\"".into(),
        "\"updatedById\"".into(),
    ];
    let mut params = vec![
        SqlValue::Text(now.into()),
        SqlValue::Text(now.into()),
        actor.into(),
        actor.into(),
    ];
    for (f, v) in &ch.columns {
        names.push(q(&f.name));
        params.push(v.clone());
    }
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        q(&coll.name),
        names.join(", "),
        placeholders(names.len())
    );
    conn.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params))
        .map_err(write_error)?;
    Ok(conn.last_insert_rowid())
}

/// Sets the column values of `ch` (and the update stamps) on rows `ids`, in one statement.
pub fn update_rows(
    conn: &Connection,
    coll: &Collection,
    ids: &[i64],
    ch: &Changes,
    actor: Option<i64>,
    now: &str,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sets = vec![
        "\"updatedAt\" = ?".to_string(),
        "\"updatedById\" = ?".into(),
    ];
    let mut params = vec![SqlValue::Text(now.into()), actor.into()];
    for (f, v) in &ch.columns {
        sets.push(format!("{} = ?", q(&f.name)));
        params.push(v.clone());
    }
    let (cond, value) = ids_match("\"id\"", ids);
    params.push(value);
    let sql = format!(
        "UPDATE {} SET {} WHERE {cond}",
        q(&coll.name),
        sets.join(", ")
    );
    conn.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params))
        .map_err(write_error)?;
    Ok(())
}

/// Links `source` to `other` in a belongsToMany through table (a missing row is a 400, not a 500).
pub fn link_through(
    conn: &Connection,
    through: &str,
    fk: &str,
    other_key: &str,
    source: i64,
    other: i64,
) -> Result<()> {
    let sql = format!(
        "INSERT OR IGNORE INTO {} ({}, {}) VALUES (?, ?)",
        q(through),
        q(fk),
        q(other_key)
    );
    conn.prepare_cached(&sql)?
        .execute([source, other])
        .map_err(write_error)?;
    Ok(())
}

/// Applies the association values of `ch` to source row `id`.
pub fn apply_links(conn: &Connection, id: i64, ch: &Changes) -> Result<()> {
    for link in &ch.links {
        match link {
            Link::One(field, target_id) => {
                let Kind::HasOne {
                    target,
                    foreign_key,
                } = &field.kind
                else {
                    continue;
                };
                point_fk(conn, target, foreign_key, id, target_id.as_slice())?;
            }
            Link::Many(field, ids) => match &field.kind {
                Kind::HasMany {
                    target,
                    foreign_key,
                } => point_fk(conn, target, foreign_key, id, ids)?,
                Kind::BelongsToMany {
                    through,
                    foreign_key,
                    other_key,
                    ..
                } => {
                    let clear = format!("DELETE FROM {} WHERE {} = ?", q(through), q(foreign_key));
                    conn.prepare_cached(&clear)?.execute([id])?;
                    for other in ids {
                        link_through(conn, through, foreign_key, other_key, id, *other)?;
                    }
                }
                _ => {}
            },
        }
    }
    Ok(())
}

/// Makes exactly `ids` of `target` point at `source` through column `fk`: the others are cleared.
fn point_fk(conn: &Connection, target: &str, fk: &str, source: i64, ids: &[i64]) -> Result<()> {
    let clear = format!(
        "UPDATE {t} SET {c} = NULL WHERE {c} = ?",
        t = q(target),
        c = q(fk)
    );
    conn.prepare_cached(&clear)?
        .execute([source])
        .map_err(write_error)?;
    let set = format!("UPDATE {} SET {} = ? WHERE \"id\" = ?", q(target), q(fk));
    let mut st = conn.prepare_cached(&set)?;
    for id in ids {
        st.execute([source, *id]).map_err(write_error)?;
    }
    Ok(())
}
