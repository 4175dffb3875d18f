//! The `custom-action` trigger's config (workflows.md §3.1); the trigger itself is the crate's `trigger` module.

use serde_json::Value;

use super::TriggerType;
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::model::ContextType;

pub const TYPE: TriggerType = TriggerType {
    name: crate::workflow::model::TRIGGER_TYPE,
    validate,
    normalize: |_| {},
};

/// `config` of a custom-action workflow (workflows.md §3.1): one entry per problem.
pub fn validate(config: &Value, schema: &Schema) -> Vec<Entry> {
    let mut out = Vec::new();
    let e = |field: &str, msg: String| Entry::new(msg).with("field", field);
    let Some(obj) = config.as_object() else {
        return vec![e("config", "\"config\" must be an object".into())];
    };
    let ty = match obj.get("type") {
        None | Some(Value::Null) => {
            out.push(e("type", "\"type\" is required".into()));
            None
        }
        Some(v) => match v.as_i64().and_then(ContextType::from_code) {
            Some(t) => Some(t),
            None => {
                out.push(e("type", "\"type\" must be one of [0, 1, 2]".into()));
                None
            }
        },
    };
    let collection = obj
        .get("collection")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let mut resolved = None;
    match collection {
        None if matches!(
            ty,
            Some(ContextType::SingleRecord | ContextType::MultipleRecords)
        ) =>
        {
            out.push(e(
                "collection",
                "Collection is required for record-based context".into(),
            ))
        }
        None => {}
        Some(c) => match super::resolve_collection(c, schema) {
            Ok(coll) => resolved = Some(coll),
            Err(entry) => out.push(entry),
        },
    }
    super::check_appends(
        obj,
        collection.unwrap_or(""),
        resolved.as_deref(),
        schema,
        &mut out,
    );
    out
}
