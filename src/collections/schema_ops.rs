//! Schema changes (collections.md §2–§5): create and drop collections, add, update and drop fields.
//! Each runs inside a [`Change`] (one transaction with the registry rows and the DDL).

use serde_json::{Map, Value};

use super::ddl::{self, Change};
use super::define::{self, Plan};
use super::names;
use super::registry::{Collection, Field, Kind};
use crate::action::wrong_type;
use crate::error::{bad, invalid_value, Code, Error, Result};

/// The most fields a collection may have, system fields (`id`, `createdAt`, …) not counted. NocoBase
/// collections rarely pass ~100; SQLite's own limit is 2,000 columns, and each added field costs the
/// schema change a little more, so 500 keeps `collections:create` well under a second.
pub const MAX_FIELDS: usize = 500;

fn too_many_fields(coll: &str, n: usize) -> Error {
    invalid_value(format!(
        "Collection \"{coll}\" would have {n} fields; a collection has at most {MAX_FIELDS} fields"
    ))
}

fn user_field_count(coll: &Collection) -> usize {
    coll.fields.iter().filter(|f| !f.system).count()
}

fn exists_error(name: &str) -> Error {
    bad(
        Code::CollectionExists,
        format!("Collection named {name} already exists"),
    )
}

fn not_updatable(key: &str) -> Error {
    bad(
        Code::FieldNotUpdatable,
        format!("Field \"{key}\" can not be updated"),
    )
}

fn insert_field_row(ch: &Change, coll: &str, f: &Field, now: &str) -> Result<()> {
    ch.conn.execute(
        "INSERT INTO fields (collectionName, name, type, options, createdAt, updatedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        rusqlite::params![coll, f.name, f.kind.type_name(), f.options_json().to_string(), now],
    )?;
    Ok(())
}

fn delete_field_row(ch: &Change, coll: &str, name: &str) -> Result<()> {
    ch.conn.execute(
        "DELETE FROM fields WHERE collectionName = ?1 AND name = ?2",
        [coll, name],
    )?;
    Ok(())
}

/// `collections:create`: the table with its system columns, then each field in order.
pub fn create_collection(ch: &mut Change, values: &Map<String, Value>) -> Result<Value> {
    let name = match values.get("name") {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => return Err(invalid_value("name is required")),
        Some(_) => return Err(invalid_value("Field \"name\" expects string")),
    };
    names::check_identifier(&name)?;
    if names::is_reserved_collection(&name) || ch.schema.is_through(&name) {
        return Err(names::reserved(&name));
    }
    if ch.schema.get(&name).is_some() || ddl::object_exists(ch.conn, &name)? {
        return Err(exists_error(&name));
    }
    let title = match values.get("title") {
        None | Some(Value::Null) => name.clone(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(wrong_type("title", "string")),
    };
    let defs: &[Value] = match values.get("fields") {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(invalid_value(
                "Field \"fields\" expects an array of field definitions",
            ))
        }
    };
    if defs.len() > MAX_FIELDS {
        return Err(too_many_fields(&name, defs.len()));
    }
    let now = crate::time::now_iso();
    ch.conn.execute(
        "INSERT INTO collections (name, title, createdAt, updatedAt) VALUES (?1, ?2, ?3, ?3)",
        rusqlite::params![name, title, now],
    )?;
    ch.refresh()?;
    // The table is made once, with every column its fields give it (an ALTER TABLE per field re-parses
    // the whole schema each time, and re-reading the registry after each field made it quadratic too):
    // each field is planned against the ones before it, kept in `ch.schema` as they are added.
    let mut coll = current_collection(ch, &name)?;
    for def in defs {
        let (_, rows) = apply_field(ch, &coll, def, true)?;
        if rows.iter().all(|(c, _)| c.eq_ignore_ascii_case(&name)) {
            coll.fields.extend(rows.into_iter().map(|(_, f)| f));
            ch.schema.put(coll.clone());
        } else {
            ch.refresh()?;
            coll = current_collection(ch, &name)?;
        }
    }
    ddl::create_table(ch.conn, &coll)?;
    ch.refresh()?;
    collection_json(ch, &name)
}

fn current_collection(ch: &Change, name: &str) -> Result<Collection> {
    ch.schema
        .get(name)
        .map(|c| (**c).clone())
        .ok_or_else(|| Error::internal(format!("collection {name} vanished")))
}

fn collection_json(ch: &Change, name: &str) -> Result<Value> {
    ch.schema
        .get(name)
        .map(|c| c.to_json())
        .ok_or_else(|| Error::internal(format!("collection {name} vanished")))
}

/// `collections:update`: only the title changes; `name` may be repeated, not changed.
pub fn update_collection(
    ch: &mut Change,
    name: &str,
    values: &Map<String, Value>,
) -> Result<Option<Value>> {
    let Some(coll) = ch.schema.get(name).filter(|c| !c.builtin).cloned() else {
        return Ok(None);
    };
    if let Some(n) = values.get("name") {
        if n.as_str()
            .is_none_or(|n| !n.eq_ignore_ascii_case(&coll.name))
        {
            return Err(not_updatable("name"));
        }
    }
    let title = match values.get("title") {
        None => coll.title.clone(),
        Some(Value::Null) => coll.name.clone(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(wrong_type("title", "string")),
    };
    ch.conn.execute(
        "UPDATE collections SET title = ?2, updatedAt = ?3 WHERE name = ?1",
        rusqlite::params![coll.name, title, crate::time::now_iso()],
    )?;
    ch.refresh()?;
    collection_json(ch, &coll.name).map(Some)
}

/// `collections:destroy`: refused while another collection's association targets it; otherwise drops
/// the table, its through tables and the FK columns its hasOne/hasMany made elsewhere.
pub fn destroy_collection(ch: &mut Change, name: &str) -> Result<usize> {
    let Some(coll) = ch.schema.get(name).filter(|c| !c.builtin).cloned() else {
        return Ok(0);
    };
    let others: Vec<_> = ch
        .schema
        .user_collections()
        .into_iter()
        .filter(|c| c.name != coll.name)
        .collect();
    for other in &others {
        for f in other.fields.iter().filter(|f| f.is_association()) {
            if f.kind
                .target()
                .is_some_and(|t| t.eq_ignore_ascii_case(&coll.name))
            {
                return Err(bad(
                    Code::CollectionInUse,
                    format!(
                        "Collection \"{}\" is referenced by \"{}.{}\"",
                        coll.name, other.name, f.name
                    ),
                ));
            }
        }
    }
    for other in &others {
        let fks: Vec<String> = other
            .columns()
            .filter(|f| {
                f.fk_target
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(&coll.name))
            })
            .map(|f| f.name.clone())
            .collect();
        if !fks.is_empty() {
            ch.drop_columns(&other.name, &fks)?;
            for fk in &fks {
                delete_field_row(ch, &other.name, fk)?;
            }
        }
    }
    for f in &coll.fields {
        if let Kind::BelongsToMany { through, .. } = &f.kind {
            ddl::drop_table(ch.conn, through)?;
        }
    }
    ddl::drop_table(ch.conn, &coll.name)?;
    // Foreign keys are off during a change, so the registry rows do not cascade by themselves.
    ch.conn
        .execute("DELETE FROM fields WHERE collectionName = ?1", [&coll.name])?;
    ch.conn
        .execute("DELETE FROM collections WHERE name = ?1", [&coll.name])?;
    ch.refresh()?;
    Ok(1)
}

/// `fields:create`: registry rows, the column or FK column, the through table.
pub fn add_field(ch: &mut Change, coll_name: &str, def: &Value) -> Result<Value> {
    let coll = ch
        .schema
        .get(coll_name)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| missing_collection(coll_name))?;
    let (field, _) = apply_field(ch, &coll, def, false)?;
    ch.refresh()?;
    Ok(field.to_json(&coll.name))
}

/// Plans `def` on `coll`, checks the fields limit, makes the column (unless it belongs to `coll` and
/// `table_pending`: `coll`'s table is still to be created) and the through table, and inserts the
/// registry rows: the named field and the rows.
fn apply_field(
    ch: &Change,
    coll: &Collection,
    def: &Value,
    table_pending: bool,
) -> Result<(Field, Vec<(String, Field)>)> {
    let Plan {
        field,
        rows,
        column,
        through,
    } = define::plan(&ch.schema, coll, def)?;
    // Every collection that gains a registry row (an FK column may land on the target) stays in bounds.
    for (c, _) in &rows {
        let holder = ch.schema.get(c).ok_or_else(|| missing_collection(c))?;
        let after = user_field_count(holder)
            + rows
                .iter()
                .filter(|(o, _)| o.eq_ignore_ascii_case(c))
                .count();
        if after > MAX_FIELDS {
            return Err(too_many_fields(&holder.name, after));
        }
    }
    if let Some((table, f)) = &column {
        if !(table_pending && table.eq_ignore_ascii_case(&coll.name)) {
            ddl::add_column(ch.conn, table, f)?;
        }
    }
    if let Some(t) = &through {
        ddl::create_through(ch.conn, t)?;
    }
    let now = crate::time::now_iso();
    for (c, f) in &rows {
        insert_field_row(ch, c, f, &now)?;
    }
    Ok((field, rows))
}

pub fn missing_collection(name: &str) -> Error {
    crate::error::record_not_found(name, "collections")
}

/// `fields:update`: `title`, `allowNull`, `unique`, `index`, `defaultValue`. Other keys may repeat the field's
/// current value (a field read back can be sent again) or be unknown (UI hints are ignored).
pub fn update_field(
    ch: &mut Change,
    coll_name: &str,
    name: &str,
    values: &Map<String, Value>,
) -> Result<Option<Value>> {
    let coll = ch
        .schema
        .get(coll_name)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| missing_collection(coll_name))?;
    let Some(field) = coll.field(name).cloned() else {
        return Ok(None);
    };
    if field.system {
        return Err(not_updatable(&field.name));
    }
    let current = field.to_json(&coll.name);
    let mut next = field.clone();
    for (key, v) in values {
        match (key.as_str(), field.scalar_type()) {
            ("title", _) => {
                next.title = match v {
                    Value::Null => None,
                    Value::String(s) => Some(s.clone()),
                    _ => return Err(wrong_type("title", "string")),
                }
            }
            ("allowNull", Some(_)) => {
                next.allow_null = v
                    .as_bool()
                    .ok_or_else(|| wrong_type("allowNull", "boolean"))?
            }
            ("unique", Some(_)) => {
                next.unique = v.as_bool().ok_or_else(|| wrong_type("unique", "boolean"))?
            }
            ("index", Some(_)) => {
                next.index = v.as_bool().ok_or_else(|| wrong_type("index", "boolean"))?
            }
            ("defaultValue", Some(ty)) => {
                next.default_value = define::default_value(&field.name, ty, Some(v))?
            }
            ("name", _)
                if v.as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&field.name)) => {}
            // An imported field's document attributes flowgate does not act on (uiSchema, interface,
            // …) may change: they are the document's, echoed and exported as given (bridge.md §5.1).
            (k, _) if document_attribute(&field, k) => {
                if let Some(a) = next.attributes.as_mut() {
                    a.insert(k.to_string(), v.clone());
                }
            }
            (k, _) => match current.get(k) {
                Some(cur) if cur != v => return Err(not_updatable(k)),
                _ => {}
            },
        }
        // The document's copy follows what flowgate changed, so export says what the field now is.
        if matches!(
            key.as_str(),
            "allowNull" | "unique" | "index" | "defaultValue"
        ) {
            if let Some(a) = next.attributes.as_mut() {
                a.insert(key.clone(), v.clone());
            }
        }
    }
    if next.unique != field.unique || next.index != field.index {
        ddl::reindex(ch.conn, &coll.name, &next)?;
    }
    ch.conn.execute(
        "UPDATE fields SET options = ?3, updatedAt = ?4 WHERE collectionName = ?1 AND name = ?2",
        rusqlite::params![
            coll.name,
            field.name,
            next.options_json().to_string(),
            crate::time::now_iso()
        ],
    )?;
    ch.refresh()?;
    Ok(Some(next.to_json(&coll.name)))
}

/// Whether `key` is one of an imported field's document attributes that flowgate does not hold itself.
fn document_attribute(field: &Field, key: &str) -> bool {
    let own = Field {
        attributes: None,
        ..field.clone()
    }
    .to_json("");
    field
        .attributes
        .as_ref()
        .is_some_and(|a| a.contains_key(key))
        && own.get(key).is_none()
}

/// Associations that use column `column` of table `table` as their FK, as (collection, field).
fn fk_users(ch: &Change, table: &str, column: &str) -> Vec<(String, String)> {
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let mut out = Vec::new();
    for c in ch.schema.user_collections() {
        for f in &c.fields {
            let uses = match &f.kind {
                Kind::BelongsTo { foreign_key, .. } => {
                    eq(&c.name, table) && eq(foreign_key, column)
                }
                Kind::HasOne {
                    target,
                    foreign_key,
                }
                | Kind::HasMany {
                    target,
                    foreign_key,
                } => eq(target, table) && eq(foreign_key, column),
                _ => false,
            };
            if uses {
                out.push((c.name.clone(), f.name.clone()));
            }
        }
    }
    out
}

/// Drops FK column `column` of `table` unless an association other than `(coll, field)` still uses it.
fn drop_fk_if_unused(
    ch: &mut Change,
    table: &str,
    column: &str,
    coll: &str,
    field: &str,
) -> Result<()> {
    let users = fk_users(ch, table, column);
    if users
        .iter()
        .any(|(c, f)| !(c.eq_ignore_ascii_case(coll) && f == field))
    {
        return Ok(());
    }
    ch.drop_columns(table, &[column.to_string()])?;
    delete_field_row(ch, table, column)
}

/// `fields:destroy`: the field, and what it alone used (its column, FK column, through table).
pub fn destroy_field(ch: &mut Change, coll_name: &str, name: &str) -> Result<usize> {
    let coll = ch
        .schema
        .get(coll_name)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| missing_collection(coll_name))?;
    let Some(field) = coll.field(name).cloned() else {
        return Ok(0);
    };
    if field.system {
        return Err(names::reserved(&field.name));
    }
    match &field.kind {
        Kind::Scalar(_) => {
            if let Some((c, f)) = fk_users(ch, &coll.name, &field.name).first() {
                return Err(invalid_value(format!(
                    "Field \"{}\" is used by association \"{c}.{f}\"",
                    field.name
                )));
            }
            ch.drop_columns(&coll.name, std::slice::from_ref(&field.name))?;
            delete_field_row(ch, &coll.name, &field.name)?;
        }
        Kind::BelongsTo { foreign_key, .. } => {
            delete_field_row(ch, &coll.name, &field.name)?;
            drop_fk_if_unused(ch, &coll.name, foreign_key, &coll.name, &field.name)?;
        }
        Kind::HasOne {
            target,
            foreign_key,
        }
        | Kind::HasMany {
            target,
            foreign_key,
        } => {
            delete_field_row(ch, &coll.name, &field.name)?;
            drop_fk_if_unused(ch, target, foreign_key, &coll.name, &field.name)?;
        }
        Kind::BelongsToMany { through, .. } => {
            delete_field_row(ch, &coll.name, &field.name)?;
            let shared = ch.schema.user_collections().iter().any(|c| {
                c.fields.iter().any(|f| {
                    !(c.name == coll.name && f.name == field.name)
                        && matches!(&f.kind, Kind::BelongsToMany { through: t, .. } if t.eq_ignore_ascii_case(through))
                })
            });
            if !shared {
                ddl::drop_table(ch.conn, through)?;
            }
        }
    }
    ch.refresh()?;
    Ok(1)
}

/// The title and the other attributes an imported document gave collection `name` (bridge.md §5.1).
pub fn set_collection_options(
    ch: &mut Change,
    name: &str,
    title: &str,
    options: &Map<String, Value>,
) -> Result<()> {
    ch.conn.execute(
        "UPDATE collections SET title = ?2, options = ?3, updatedAt = ?4 WHERE name = ?1",
        rusqlite::params![
            name,
            title,
            Value::Object(options.clone()).to_string(),
            crate::time::now_iso()
        ],
    )?;
    ch.refresh()
}

/// The document's attributes and position of field `field` of `coll` (bridge.md §5.1); flowgate's own
/// settings stay.
pub fn set_field_attributes(
    ch: &mut Change,
    coll: &str,
    field: &str,
    attributes: &Map<String, Value>,
    position: i64,
) -> Result<()> {
    let current = ch
        .schema
        .get(coll)
        .and_then(|c| c.field(field).cloned())
        .ok_or_else(|| missing_collection(coll))?;
    let next = Field {
        attributes: Some(attributes.clone()),
        position: Some(position),
        ..current
    };
    ch.conn.execute(
        "UPDATE fields SET options = ?3, updatedAt = ?4 WHERE collectionName = ?1 AND name = ?2",
        rusqlite::params![
            coll,
            next.name,
            next.options_json().to_string(),
            crate::time::now_iso()
        ],
    )?;
    ch.refresh()
}
