//! Field definitions (collections.md §3, §5): a request's `{name, type, …}` checked against the registry
//! and turned into a [`Plan`] — the registry rows to add, the column to add, the through table to make —
//! with the deterministic default keys of §5.

use serde_json::{Map, Value};

use super::names::{self, plural, singular, through_name};
use super::registry::{Collection, Field, Kind, ScalarType, Schema};
use super::values;
use crate::action::opt_str;
use crate::error::{bad, invalid_value, Code, Error, Result};

/// What adding one field does.
#[derive(Debug)]
pub struct Plan {
    /// The field the request named.
    pub field: Field,
    /// Registry rows to insert, as (collection, field), FK columns before their association.
    pub rows: Vec<(String, Field)>,
    /// A column to add to a table (the scalar itself, or a new FK column), as (table, field).
    pub column: Option<(String, Field)>,
    pub through: Option<Through>,
}

/// A belongsToMany link table: PK (fk, other), both cascading.
#[derive(Debug, Clone)]
pub struct Through {
    pub name: String,
    pub fk: String,
    pub fk_target: String,
    pub other: String,
    pub other_target: String,
}

pub fn field_exists(field: &str, coll: &str) -> Error {
    bad(
        Code::FieldExists,
        format!("Field \"{field}\" already exists in collection \"{coll}\""),
    )
}

fn target_not_found(t: &str) -> Error {
    bad(
        Code::TargetNotFound,
        format!("Target collection \"{t}\" does not exist"),
    )
}

fn opt_bool(obj: &Map<String, Value>, key: &str, default: bool) -> Result<bool> {
    Ok(crate::action::opt_bool(obj, key)?.unwrap_or(default))
}

/// A name a definition gives for a column or table: an identifier, not a system field name.
fn key_name(name: &str) -> Result<String> {
    names::check_identifier(name)?;
    if names::is_reserved_field(name) {
        return Err(names::reserved(name));
    }
    Ok(name.to_string())
}

/// The stored default value, normalised to the type (`"12"` → `12` for an integer).
pub fn default_value(name: &str, ty: ScalarType, v: Option<&Value>) -> Result<Value> {
    let v = v.unwrap_or(&Value::Null);
    let sv = values::to_column(ty, v).ok_or_else(|| invalid_value(values::expects(name, ty)))?;
    Ok(values::sql_to_json(ty, &sv))
}

/// A new field of `coll` (which may be the collection being created, already in `schema`).
pub fn plan(schema: &Schema, coll: &Collection, def: &Value) -> Result<Plan> {
    let obj = def
        .as_object()
        .ok_or_else(|| invalid_value("A field definition must be an object"))?;
    let name = opt_str(obj, "name")?.ok_or_else(|| invalid_value("name is required"))?;
    names::check_identifier(name)?;
    if names::is_reserved_field(name) {
        return Err(names::reserved(name));
    }
    if coll.field(name).is_some() {
        return Err(field_exists(name, &coll.name));
    }
    let type_name = opt_str(obj, "type")?.ok_or_else(|| invalid_value("type is required"))?;
    let title = opt_str(obj, "title")?.map(str::to_string);
    for key in ["sourceKey", "targetKey"] {
        if let Some(k) = opt_str(obj, key)? {
            if k != "id" {
                return Err(invalid_value(format!("Only \"id\" is accepted as {key}")));
            }
        }
    }
    let base = |kind: Kind| Field {
        name: name.to_string(),
        kind,
        title: title.clone(),
        allow_null: true,
        unique: false,
        index: false,
        default_value: Value::Null,
        system: false,
        fk_target: None,
        attributes: None,
        position: None,
    };
    if let Some(ty) = ScalarType::parse(type_name) {
        let field = Field {
            allow_null: opt_bool(obj, "allowNull", true)?,
            unique: opt_bool(obj, "unique", false)?,
            index: opt_bool(obj, "index", false)?,
            default_value: default_value(name, ty, obj.get("defaultValue"))?,
            ..base(Kind::Scalar(ty))
        };
        return Ok(Plan {
            rows: vec![(coll.name.clone(), field.clone())],
            column: Some((coll.name.clone(), field.clone())),
            through: None,
            field,
        });
    }
    let named_target = opt_str(obj, "target")?;
    let source_key = format!("{}Id", singular(&coll.name));
    match type_name {
        "belongsTo" => {
            let target = resolve_target(
                schema,
                named_target.map_or_else(|| plural(name), str::to_string),
                true,
            )?;
            let fk = key_name(opt_str(obj, "foreignKey")?.unwrap_or(&format!("{name}Id")))?;
            let field = base(Kind::BelongsTo {
                target: target.clone(),
                foreign_key: fk.clone(),
            });
            with_fk_column(coll, coll, field, &fk, &target)
        }
        "hasOne" | "hasMany" => {
            let default = if type_name == "hasOne" {
                plural(name)
            } else {
                name.to_string()
            };
            let target =
                resolve_target(schema, named_target.map_or(default, str::to_string), false)?;
            let fk = key_name(opt_str(obj, "foreignKey")?.unwrap_or(&source_key))?;
            let kind = if type_name == "hasOne" {
                Kind::HasOne {
                    target: target.clone(),
                    foreign_key: fk.clone(),
                }
            } else {
                Kind::HasMany {
                    target: target.clone(),
                    foreign_key: fk.clone(),
                }
            };
            // The FK column lives on the target and points back here.
            let holder = schema
                .get(&target)
                .ok_or_else(|| target_not_found(&target))?;
            with_fk_column(coll, holder, base(kind), &fk, &coll.name)
        }
        "belongsToMany" => {
            let target = resolve_target(
                schema,
                named_target.map_or_else(|| name.to_string(), str::to_string),
                false,
            )?;
            let through = opt_str(obj, "through")?
                .map_or_else(|| through_name(&coll.name, &target), str::to_string);
            let fk = key_name(opt_str(obj, "foreignKey")?.unwrap_or(&source_key))?;
            let other =
                key_name(opt_str(obj, "otherKey")?.unwrap_or(&format!("{}Id", singular(&target))))?;
            if fk.eq_ignore_ascii_case(&other) {
                return Err(invalid_value(format!(
                    "foreignKey and otherKey of \"{name}\" must differ; name otherKey"
                )));
            }
            let t = Through {
                name: through,
                fk,
                fk_target: coll.name.clone(),
                other,
                other_target: target.clone(),
            };
            let reuse = check_through(schema, &t)?;
            let field = base(Kind::BelongsToMany {
                target,
                through: t.name.clone(),
                foreign_key: t.fk.clone(),
                other_key: t.other.clone(),
            });
            Ok(Plan {
                rows: vec![(coll.name.clone(), field.clone())],
                column: None,
                through: (!reuse).then_some(t),
                field,
            })
        }
        other => Err(bad(
            Code::UnknownFieldType,
            format!("Field type \"{other}\" is not supported"),
        )),
    }
}

/// The registry name of an association's target: a user collection, or the built-in `users` for a
/// belongsTo (an author field).
fn resolve_target(schema: &Schema, name: String, allow_users: bool) -> Result<String> {
    match schema.get(&name) {
        Some(c) if !c.builtin || allow_users => Ok(c.name.clone()),
        _ => Err(target_not_found(&name)),
    }
}

/// Adds the FK column `fk` (→ `points_to`) on `holder` to the plan, or reuses an existing FK column of
/// that name pointing at the same collection (the inverse association made it). The association row
/// itself belongs to `owner`.
fn with_fk_column(
    owner: &Collection,
    holder: &Collection,
    field: Field,
    fk: &str,
    points_to: &str,
) -> Result<Plan> {
    if owner.name.eq_ignore_ascii_case(&holder.name) && fk.eq_ignore_ascii_case(&field.name) {
        return Err(field_exists(fk, &holder.name));
    }
    let mut rows = Vec::new();
    let mut column = None;
    match holder.field(fk) {
        Some(f)
            if f.is_column()
                && f.fk_target
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(points_to)) => {}
        Some(_) => return Err(field_exists(fk, &holder.name)),
        None => {
            let col = fk_field(fk, points_to);
            rows.push((holder.name.clone(), col.clone()));
            column = Some((holder.name.clone(), col));
        }
    }
    rows.push((owner.name.clone(), field.clone()));
    Ok(Plan {
        field,
        rows,
        column,
        through: None,
    })
}

/// An FK column: bigInt, nullable, referencing `target(id)`.
pub fn fk_field(name: &str, target: &str) -> Field {
    Field {
        name: name.to_string(),
        kind: Kind::Scalar(ScalarType::BigInt),
        title: None,
        allow_null: true,
        unique: false,
        index: false,
        default_value: Value::Null,
        system: false,
        fk_target: Some(target.to_string()),
        attributes: None,
        position: None,
    }
}

/// Whether a through table can be reused (true) or must be made (false); a clash is an error.
fn check_through(schema: &Schema, t: &Through) -> Result<bool> {
    names::check_identifier(&t.name)?;
    if names::is_reserved_collection(&t.name) {
        return Err(names::reserved(&t.name));
    }
    if schema.get(&t.name).is_some() {
        return Err(bad(
            Code::CollectionExists,
            format!("Collection named {} already exists", t.name),
        ));
    }
    if !schema.is_through(&t.name) {
        return Ok(false);
    }
    for c in schema.user_collections() {
        for f in &c.fields {
            if let Kind::BelongsToMany {
                target,
                through,
                foreign_key,
                other_key,
            } = &f.kind
            {
                if !through.eq_ignore_ascii_case(&t.name) {
                    continue;
                }
                let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
                let same = eq(&c.name, &t.fk_target)
                    && eq(target, &t.other_target)
                    && eq(foreign_key, &t.fk)
                    && eq(other_key, &t.other);
                let inverse = eq(&c.name, &t.other_target)
                    && eq(target, &t.fk_target)
                    && eq(foreign_key, &t.other)
                    && eq(other_key, &t.fk);
                if same || inverse {
                    return Ok(true);
                }
                return Err(invalid_value(format!(
                    "Through table \"{}\" is used by \"{}.{}\" with other keys",
                    t.name, c.name, f.name
                )));
            }
        }
    }
    Ok(false)
}
