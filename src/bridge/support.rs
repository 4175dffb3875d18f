//! What flowgate can host of a NocoBase definition (bridge.md §5.2, §6.1). Decided by flowgate's own
//! registries — the node types `workflow::nodes::get` registers and their config validation, the trigger
//! types the workflow API accepts, the scalar types of `collections::registry` — never by a list kept
//! here, so a type that lands in the engine leaves the unsupported lists by itself.

use serde_json::Value;

use crate::collections::registry::ScalarType;
use crate::workflow::nodes;

/// Trigger types whose workflows flowgate runs.
pub fn trigger_supported(ty: &str) -> bool {
    crate::workflow::triggers::get(ty).is_some()
}

/// Why flowgate cannot run a node of type `kind` with `config` (None: it can). `sync` is the workflow's
/// mode: a node that waits (`delay`) cannot run inside a request.
pub fn node_problem(kind: &str, config: &Value, sync: bool) -> Option<String> {
    let Some(instruction) = nodes::get(kind) else {
        return Some(format!("node type {kind}"));
    };
    if sync && instruction.waits() {
        return Some(format!("node type {kind} in a sync workflow"));
    }
    match nodes::parse(kind, config) {
        Ok(_) => None,
        Err(nodes::Refused::NotRegistered) => Some(format!("node type {kind}")),
        Err(nodes::Refused::Invalid(entries)) => {
            let problems: Vec<String> = entries.iter().map(|e| e.message.to_string()).collect();
            Some(format!(
                "node config of type {kind}: {}",
                problems.join("; ")
            ))
        }
    }
}

/// Whether a node of type `kind` with `config` has branch `index` (a branch head's `branchIndex`).
pub fn has_branch(kind: &str, config: &Value, index: i64) -> bool {
    nodes::parse(kind, config)
        .map(|t| t.has_branch(index))
        .unwrap_or(false)
}

/// Grant actions flowgate's ACL evaluates (auth.md §8); any other grants nothing here and is kept.
pub const GRANT_ACTIONS: [&str; 6] = [
    "create",
    "view",
    "update",
    "destroy",
    "trigger",
    "triggerNew",
];

/// What a NocoBase field becomes in flowgate (§5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// a column of this flowgate scalar type
    Scalar(ScalarType),
    /// an association of this type (`belongsTo`, `hasOne`, `hasMany`, `belongsToMany`)
    Association(&'static str),
    /// one of flowgate's system fields (`id`, `createdAt`, `updatedAt`, `createdBy`, `updatedBy`): kept for
    /// export, no column added
    System,
    /// not pulled (`context`)
    Skipped,
    /// kept for export and push; not a column in flowgate
    Unsupported(String),
}

const SYSTEM_INTERFACES: [&str; 6] = [
    "id",
    "snowflakeId",
    "createdAt",
    "updatedAt",
    "createdBy",
    "updatedBy",
];

/// Classifies a field by its NocoBase `type`, `interface` and flags.
pub fn field_kind(field: &Value) -> FieldKind {
    let ty = field.get("type").and_then(Value::as_str).unwrap_or("");
    let interface = field.get("interface").and_then(Value::as_str);
    let primary = field
        .get("primaryKey")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if interface.is_some_and(|i| SYSTEM_INTERFACES.contains(&i))
        || (primary && field_name(field) == "id")
    {
        return FieldKind::System;
    }
    if ty == "context" {
        return FieldKind::Skipped;
    }
    let scalar = match ty {
        "date" => Some(ScalarType::Datetime),
        "dateOnly" => Some(ScalarType::Date),
        "jsonb" => Some(ScalarType::Json),
        other => ScalarType::parse(other)
            .filter(|t| *t != ScalarType::Datetime && *t != ScalarType::Date),
    };
    if let Some(t) = scalar {
        return FieldKind::Scalar(t);
    }
    let association = ["belongsTo", "hasOne", "hasMany", "belongsToMany"]
        .into_iter()
        .find(|a| *a == ty);
    if let Some(a) = association {
        let target = field.get("target").and_then(Value::as_str).unwrap_or("");
        if target == "attachments" || target == "chinaRegions" {
            return FieldKind::Unsupported(format!("association to {target}"));
        }
        for key in ["sourceKey", "targetKey"] {
            if let Some(k) = field.get(key).and_then(Value::as_str) {
                if k != "id" {
                    return FieldKind::Unsupported(format!(
                        "{key} {k} (flowgate keys associations by id)"
                    ));
                }
            }
        }
        return FieldKind::Association(a);
    }
    let via = interface
        .map(|i| format!(" (interface {i})"))
        .unwrap_or_default();
    FieldKind::Unsupported(format!("field type {ty}{via}"))
}

/// How an association's `onDelete` differs from what flowgate does: it sets the foreign key to NULL when
/// the referenced row goes (its foreign keys are declared that way, collections.md), so `CASCADE`,
/// `RESTRICT` and `NO ACTION` are approximated (§5.2). `belongsToMany` has no `onDelete` of its own.
pub fn on_delete_difference(field: &Value) -> Option<String> {
    let ty = field.get("type").and_then(Value::as_str).unwrap_or("");
    let on_delete = field.get("onDelete").and_then(Value::as_str)?;
    if on_delete == "SET NULL" || !["belongsTo", "hasOne", "hasMany"].contains(&ty) {
        return None;
    }
    Some(format!("onDelete {on_delete}"))
}

fn field_name(field: &Value) -> &str {
    field.get("name").and_then(Value::as_str).unwrap_or("")
}

/// flowgate's scalar type as NocoBase names it (§5.3): a flowgate `date` is NocoBase's `dateOnly`, and a
/// `datetime` its `date`.
pub fn nocobase_type(t: ScalarType) -> &'static str {
    match t {
        ScalarType::Date => "dateOnly",
        ScalarType::Datetime => "date",
        other => other.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_kinds_follow_the_type_table() {
        assert_eq!(
            field_kind(&json!({"name":"at","type":"date","interface":"datetime"})),
            FieldKind::Scalar(ScalarType::Datetime)
        );
        assert_eq!(
            field_kind(&json!({"name":"day","type":"dateOnly"})),
            FieldKind::Scalar(ScalarType::Date)
        );
        assert_eq!(
            field_kind(
                &json!({"name":"id","type":"snowflakeId","interface":"snowflakeId","primaryKey":true})
            ),
            FieldKind::System
        );
        assert_eq!(
            field_kind(&json!({"name":"createdAt","type":"date","interface":"createdAt"})),
            FieldKind::System
        );
        assert_eq!(
            field_kind(&json!({"name":"c","type":"belongsTo","target":"x","targetKey":"id"})),
            FieldKind::Association("belongsTo")
        );
        assert_eq!(
            field_kind(&json!({"name":"cost","type":"decimal","interface":"number"})),
            FieldKind::Unsupported("field type decimal (interface number)".into())
        );
        assert!(matches!(
            field_kind(&json!({"name":"c","type":"belongsTo","target":"x","targetKey":"code"})),
            FieldKind::Unsupported(_)
        ));
    }

    #[test]
    fn node_support_comes_from_the_engine() {
        assert_eq!(
            node_problem("manual", &json!({}), false),
            Some("node type manual".into())
        );
        // a registered type with a config its validation refuses
        assert_eq!(
            node_problem("aggregate", &json!({}), false),
            Some("node config of type aggregate: \"params.field\" is required".into())
        );
        assert!(node_problem(
            "aggregate",
            &json!({"aggregator": "count", "collection": "c", "params": {"field": "id"}}),
            true
        )
        .is_none());
        assert!(node_problem("end", &json!({"endStatus": 1}), true).is_none());
        assert!(node_problem("delay", &json!({"duration": 1000, "endStatus": 1}), true).is_some());
        assert!(has_branch(
            "condition",
            &json!({"rejectOnFalse": false, "engine": "basic", "calculation": {"group": {"type": "and", "calculations": []}}}),
            0
        ));
    }
}
