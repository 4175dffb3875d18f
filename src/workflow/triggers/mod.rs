//! The trigger types (triggers-and-nodes.md §1): each type's config rules, looked up by name. The
//! workflow API validates with them, the bridge asks them what flowgate runs
//! (`bridge::support::trigger_supported`). A type is one file here plus one line in [`TYPES`].
//!
//! `custom-action` and `collection` run as the stored `sync` flag says (§1.2): in the request that
//! raised them, or queued; `schedule` always queues.

pub mod collection;
pub mod custom_action;
pub mod schedule;

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::collections::events::Listener;
use crate::collections::{records, Collection, Schema};
use crate::error::Entry;

pub struct TriggerType {
    pub name: &'static str,
    /// One entry per problem of a config (`INVALID_CONFIG`, each with its `field`).
    pub validate: fn(&Value, &Schema) -> Vec<Entry>,
    /// Puts a valid config in its stored form (a numeric string `mode` becomes its number).
    pub normalize: fn(&mut Value),
}

const TYPES: [&TriggerType; 3] = [&custom_action::TYPE, &collection::TYPE, &schedule::TYPE];

/// The app's data-event listener: the collection trigger's runs, and the schedule trigger's re-planning
/// of a saved record.
pub const LISTENER: Listener = Listener {
    wants: |app, conn, coll, op| {
        Ok((collection::LISTENER.wants)(app, conn, coll, op)?
            || (schedule::LISTENER.wants)(app, conn, coll, op)?)
    },
    raise: |origin, conn, schema, coll, events| {
        (schedule::LISTENER.raise)(origin, conn, schema, coll, events.clone())?;
        (collection::LISTENER.raise)(origin, conn, schema, coll, events)
    },
};

pub fn get(name: &str) -> Option<&'static TriggerType> {
    TYPES.iter().copied().find(|t| t.name == name)
}

/// A config's `mode` as a number: a numeric string (`"1"`) counts as its number (§2.1).
pub fn mode_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Stores a numeric `mode` as its number.
pub fn normalize_mode(config: &mut Value) {
    if let Some(m) = config.get("mode").and_then(mode_of) {
        config["mode"] = json!(m);
    }
}

/// `<c>` or `<ds>:<c>` of the main data source, as a user collection (§1.1's messages otherwise).
pub fn resolve_collection(name: &str, schema: &Schema) -> Result<Arc<Collection>, Entry> {
    let e = |msg: String| Entry::new(msg).with("field", "collection");
    let parts: Vec<&str> = name.split(':').collect();
    match parts.as_slice() {
        [name] | ["main", name] => {
            schema
                .get(name)
                .filter(|x| !x.builtin)
                .cloned()
                .ok_or_else(|| {
                    e(format!(
                        "Collection \"{name}\" does not exist in data source \"main\""
                    ))
                })
        }
        [ds, _] => Err(e(format!("Data source \"{ds}\" does not exist"))),
        _ => Err(e(
            "\"collection\" must be in the format \"dataSourceName:collectionName\"".into(),
        )),
    }
}

/// `appends`, when given, must be association paths of the resolved collection.
pub fn check_appends(
    obj: &Map<String, Value>,
    name: &str,
    resolved: Option<&Collection>,
    schema: &Schema,
    out: &mut Vec<Entry>,
) {
    let Some(appends) = obj.get("appends") else {
        return;
    };
    let msg = format!("\"appends\" must be an array of association paths of \"{name}\"");
    let list: Option<Vec<String>> = appends.as_array().and_then(|a| {
        a.iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()
    });
    match (list, resolved) {
        (Some(list), Some(coll)) => {
            if records::check_appends(schema, coll, &list).is_err() {
                out.push(Entry::new(msg).with("field", "appends"));
            }
        }
        (Some(list), None) if list.is_empty() => {}
        _ => out.push(Entry::new(msg).with("field", "appends")),
    }
}
