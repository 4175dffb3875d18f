//! The reusable parts of the API description: a collection's fields as JSON Schemas (a record as answered,
//! and the values a write takes), the envelopes, and error answers grouped by status from `error::Code`.

use serde_json::{json, Map, Value};

use crate::collections::registry::{Kind, ScalarType};
use crate::collections::{Collection, Field};
use crate::error::Code;

/// `#/components/schemas/<name>`.
pub fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The component name of a collection's record schema (collection names are identifiers, which
/// component names accept as they are).
pub fn record_name(c: &Collection) -> String {
    c.name.clone()
}

/// The component name of the values a write of `c` takes.
pub fn values_name(c: &Collection) -> String {
    format!("{}_values", c.name)
}

/// A scalar field type as JSON Schema (collections.md §3 types).
fn scalar(t: ScalarType) -> Value {
    match t {
        ScalarType::String | ScalarType::Text => json!({ "type": "string" }),
        ScalarType::Integer => json!({ "type": "integer" }),
        ScalarType::BigInt => json!({ "type": "integer", "format": "int64" }),
        ScalarType::Float | ScalarType::Double => json!({ "type": "number" }),
        ScalarType::Boolean => json!({ "type": "boolean" }),
        ScalarType::Date => json!({ "type": "string", "format": "date" }),
        ScalarType::Datetime => json!({ "type": "string", "format": "date-time" }),
        // Any JSON value: no `type`.
        ScalarType::Json => json!({}),
    }
}

/// `null` allowed besides the field's type (a `json` field takes anything already).
fn nullable(mut s: Value) -> Value {
    if let Some(t) = s.get("type").and_then(Value::as_str).map(str::to_string) {
        s["type"] = json!([t, "null"]);
    }
    s
}

/// The schema of an associated record: a user collection's own component, the built-in `users` (whose
/// rows the users API owns) any object.
fn target_record(target: &str, is_user_collection: &dyn Fn(&str) -> bool) -> Value {
    if is_user_collection(target) {
        reference(target)
    } else {
        json!({ "type": "object", "description": format!("a \"{target}\" record") })
    }
}

/// What the field tells besides its type: title, uniqueness, default, the association's target.
fn annotate(mut s: Value, f: &Field) -> Value {
    let Some(obj) = s.as_object_mut() else {
        return s;
    };
    let mut notes = vec![format!("field type `{}`", f.kind.type_name())];
    if let Some(t) = f.kind.target() {
        notes.push(format!("target `{t}`"));
    }
    if f.unique {
        notes.push("unique".into());
        obj.insert("x-flowgate-unique".into(), json!(true));
    }
    if let Some(title) = &f.title {
        obj.insert("title".into(), json!(title));
    }
    if !f.default_value.is_null() {
        obj.insert("default".into(), f.default_value.clone());
    }
    obj.insert("description".into(), json!(notes.join("; ")));
    s
}

/// A field as it appears in a record answered by `list`/`get` (associations only when appended).
fn record_field(f: &Field, is_user_collection: &dyn Fn(&str) -> bool) -> Value {
    // The server sets `id` and the timestamps on every row; the user keys may be null (a row written
    // where no user was signed in).
    let null = if f.system {
        f.fk_target.is_some()
    } else {
        f.allow_null
    };
    let s = match &f.kind {
        Kind::Scalar(t) if null => nullable(scalar(*t)),
        Kind::Scalar(t) => scalar(*t),
        Kind::BelongsTo { target, .. } | Kind::HasOne { target, .. } => json!({
            "anyOf": [target_record(target, is_user_collection), { "type": "null" }]
        }),
        Kind::HasMany { target, .. } | Kind::BelongsToMany { target, .. } => json!({
            "type": "array", "items": target_record(target, is_user_collection)
        }),
    };
    annotate(s, f)
}

/// A field as a write takes it: associations by id or as objects (collections.md association values).
fn value_field(f: &Field) -> Value {
    let one = json!({ "anyOf": [{ "type": "integer" }, { "type": "object" }] });
    let s = match &f.kind {
        Kind::Scalar(t) if f.allow_null => nullable(scalar(*t)),
        Kind::Scalar(t) => scalar(*t),
        Kind::BelongsTo { .. } | Kind::HasOne { .. } => {
            json!({ "anyOf": [{ "type": "integer" }, { "type": "object" }, { "type": "null" }] })
        }
        Kind::HasMany { .. } | Kind::BelongsToMany { .. } => {
            json!({ "type": "array", "items": one })
        }
    };
    annotate(s, f)
}

/// The fields a create must carry: not null, no default, not set by the server.
pub fn required(c: &Collection) -> Vec<String> {
    c.fields
        .iter()
        .filter(|f| f.is_column() && !f.system && !f.allow_null && f.default_value.is_null())
        .filter(|f| f.fk_target.is_none())
        .map(|f| f.name.clone())
        .collect()
}

/// The two components of a collection: `<name>` (a record as answered) and `<name>_values` (what
/// `create`, `update` and a trigger's body take; no field required, as update and trigger bodies are
/// partial — `create` adds `required` at its operation).
pub fn collection(
    c: &Collection,
    is_user_collection: &dyn Fn(&str) -> bool,
) -> [(String, Value); 2] {
    let record: Map<String, Value> = c
        .fields
        .iter()
        .map(|f| (f.name.clone(), record_field(f, is_user_collection)))
        .collect();
    let values: Map<String, Value> = c
        .fields
        .iter()
        .filter(|f| !f.system)
        .map(|f| (f.name.clone(), value_field(f)))
        .collect();
    let title = &c.title;
    [
        (
            record_name(c),
            json!({
                "type": "object",
                "title": title,
                "description": format!("A record of collection \"{}\".", c.name),
                "properties": record,
            }),
        ),
        (
            values_name(c),
            json!({
                "type": "object",
                "description": format!(
                    "Values of a \"{}\" record: create and update refuse other keys (UNKNOWN_FIELD), a trigger keeps them in the run's data.",
                    c.name
                ),
                "properties": values,
            }),
        ),
    ]
}

/// The components every document holds: the envelopes and the trigger's answer.
pub fn fixed() -> Map<String, Value> {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let mut m = Map::new();
    m.insert(
        "Envelope".into(),
        json!({
            "type": "object",
            "description": "Every success: the action's result in `data`, list pagination in `meta`, the texts of `response-message` nodes in `messages`.",
            "properties": {
                "data": {},
                "meta": { "$ref": "#/components/schemas/Meta" },
                "messages": { "$ref": "#/components/schemas/Messages" }
            },
            "required": ["data"]
        }),
    );
    m.insert(
        "Meta".into(),
        json!({
            "type": "object",
            "properties": {
                "count": { "type": "integer" },
                "page": { "type": "integer" },
                "pageSize": { "type": "integer" },
                "totalPage": { "type": "integer" }
            }
        }),
    );
    m.insert(
        "Messages".into(),
        json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": { "message": { "type": "string" } },
                "required": ["message"]
            }
        }),
    );
    m.insert(
        "Errors".into(),
        json!({
            "type": "object",
            "description": "Every error: one or more entries, each a message for people and a code for programs, with fields such as `field`, `key`, `reason`, `executionId` where the code says so.",
            "properties": {
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "message": { "type": "string" },
                            "code": { "type": "string", "enum": codes },
                            "field": { "type": "string" },
                            "key": { "type": "string" },
                            "reason": { "type": "string" },
                            "executionId": { "type": "integer" }
                        },
                        "required": ["message", "code"]
                    }
                }
            },
            "required": ["errors"]
        }),
    );
    m.insert(
        "TriggerResult".into(),
        json!({
            "type": "object",
            "description": "A trigger's answer (trigger.md §7): sync executions with their final status, then async ones as queued (`status` null; follow them with executions:get).",
            "properties": {
                "data": {
                    "type": "object",
                    "properties": {
                        "executions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": { "type": "integer" },
                                    "workflowId": { "type": "integer" },
                                    "workflowKey": { "type": "string" },
                                    "sync": { "type": "boolean" },
                                    "status": { "type": ["integer", "null"] }
                                },
                                "required": ["id", "workflowId", "workflowKey", "sync", "status"]
                            }
                        },
                        "skipped": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "key": { "type": "string" },
                                    "reason": { "type": "string" }
                                }
                            }
                        }
                    },
                    "required": ["executions"]
                },
                "messages": { "$ref": "#/components/schemas/Messages" }
            },
            "required": ["data"]
        }),
    );
    m
}

/// The success answer whose `data` has schema `data`.
pub fn success(description: &str, data: Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": {
            "allOf": [reference("Envelope")],
            "properties": { "data": data }
        } } }
    })
}

/// One response per status for the `codes` an operation can answer, each listing its codes.
pub fn errors(codes: &[Code]) -> Map<String, Value> {
    let mut statuses: Vec<u16> = codes.iter().map(|c| c.status()).collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
        .into_iter()
        .map(|status| {
            let here: Vec<&str> = codes
                .iter()
                .filter(|c| c.status() == status)
                .map(|c| c.as_str())
                .collect();
            let schema = json!({
                "allOf": [reference("Errors")],
                "properties": { "errors": { "items": { "properties": {
                    "code": { "enum": here }
                } } } }
            });
            (
                status.to_string(),
                json!({
                    "description": here.join(", "),
                    "content": { "application/json": { "schema": schema } }
                }),
            )
        })
        .collect()
}

/// The 401s of auth.md §4: what any call but the public ones can answer.
pub const UNAUTHORIZED: &[Code] = &[
    Code::EmptyToken,
    Code::InvalidToken,
    Code::ExpiredSession,
    Code::BlockedToken,
    Code::NotExistUser,
    Code::RoleNotFoundForUser,
    Code::UserHasNoRoles,
    Code::AuthenticatorNotFound,
];

/// Every code a body-reading action can answer about the body (http.md §4).
pub const BODY: &[Code] = &[
    Code::InvalidJson,
    Code::InvalidBody,
    Code::PayloadTooLarge,
    Code::UnsupportedMediaType,
];
