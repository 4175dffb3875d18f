//! The trigger types (triggers-and-nodes.md §1): each type's config rules, looked up by name. The
//! workflow API validates with them, the bridge asks them what flowgate runs
//! (`bridge::support::trigger_supported`). A type is one file here plus one line in [`TYPES`].
//!
//! `custom-action`, `collection` and `action` run as the stored `sync` flag says (§1.2): in the request
//! that raised them, or queued; `request-interception` always runs in the request; `schedule` always
//! queues. The pre- and post-action triggers hear the records actions through [`HOOKS`]
//! (`collections::hooks`).

pub mod action;
pub mod collection;
pub mod custom_action;
pub mod keys;
pub mod request_interception;
pub mod schedule;

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::action::Ctx;
use crate::app::App;
use crate::collections::hooks::{Hooks, Said, Verb};
use crate::collections::events::Listener;
use crate::collections::{records, Collection, Schema};
use crate::error::{bad, Code, Entry, Error, Result};
use crate::reply::Reply;
use crate::workflow::engine::Outcome;
use crate::workflow::model::ExecStatus;

pub struct TriggerType {
    pub name: &'static str,
    /// One entry per problem of a config (`INVALID_CONFIG`, each with its `field`).
    pub validate: fn(&Value, &Schema) -> Vec<Entry>,
    /// Puts a valid config in its stored form (a numeric string `mode` becomes its number).
    pub normalize: fn(&mut Value),
}

const TYPES: [&TriggerType; 5] = [
    &custom_action::TYPE,
    &collection::TYPE,
    &request_interception::TYPE,
    &action::TYPE,
    &schedule::TYPE,
];

/// What the records actions ask of the workflows (`App::hooks`).
pub const HOOKS: Hooks = Hooks {
    before: before_action,
    after: action::after,
};

/// Before a records action: its `!path`s for post-action workflows are checked first (a bad one is a
/// 400 before anything runs or is written), then the pre-action workflows run.
fn before_action(
    ctx: &Ctx,
    coll: &Collection,
    verb: Verb,
    said: &mut Said,
) -> Result<Option<Reply>> {
    action::check_paths(ctx, coll, verb)?;
    request_interception::before(ctx, coll, verb, said)
}


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

/// `"global"`, when given, must be a boolean; `true` needs `"actions"`: at least one of `allowed`
/// (triggers-and-nodes.md §4.1, and §13 for the `action` type, which NocoBase does not check).
/// Without `global`, `actions` is ignored but must still be a list of names.
pub fn check_global_actions(obj: &Map<String, Value>, allowed: &[&str], out: &mut Vec<Entry>) {
    let e = |field: &str, msg: String| Entry::new(msg).with("field", field);
    let global = match obj.get("global") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            out.push(e("global", "\"global\" must be a boolean".into()));
            false
        }
    };
    let actions = obj.get("actions").filter(|v| !v.is_null());
    let names = actions.map(|v| v.as_array().filter(|a| a.iter().all(Value::is_string)));
    match (global, names) {
        (true, None) => out.push(e("actions", "\"actions\" is required".into())),
        (_, Some(None)) => out.push(e(
            "actions",
            "\"actions\" must be an array of action names".into(),
        )),
        (true, Some(Some(list))) if list.is_empty() => out.push(e(
            "actions",
            "At least one action is required in global mode".into(),
        )),
        (true, Some(Some(list))) => {
            for (i, name) in list.iter().enumerate() {
                if !name.as_str().is_some_and(|n| allowed.contains(&n)) {
                    out.push(e(
                        "actions",
                        format!("\"actions[{i}]\" must be one of [{}]", allowed.join(", ")),
                    ));
                }
            }
        }
        (false, Some(Some(_)) | None) => {}
    }
}

/// `collection`: required, and a user collection of the main data source.
pub fn check_collection(
    obj: &Map<String, Value>,
    schema: &Schema,
    out: &mut Vec<Entry>,
) -> Option<Arc<Collection>> {
    match obj
        .get("collection")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        None => {
            out.push(Entry::new("\"collection\" is required").with("field", "collection"));
            None
        }
        Some(n) => resolve_collection(n, schema)
            .map_err(|entry| out.push(entry))
            .ok(),
    }
}

/// Whether a pre-/post-action version is global and hears `verb` (its `actions` name it).
pub fn global_for(config: &Value, verb: Verb) -> bool {
    config.get("global") == Some(&Value::Bool(true))
        && config
            .get("actions")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|n| n.as_str() == Some(verb.name())))
}

pub fn is_global(config: &Value) -> bool {
    config.get("global") == Some(&Value::Bool(true))
}

// ---------------------------------------------------------------- a sync run in a request

/// How a sync run inside a request ended, for what comes after it (trigger.md §7,
/// triggers-and-nodes.md §4.3 and §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Resolved: the next workflow runs.
    Next,
    /// Resolved by an `end` node: nothing after it runs.
    Stop,
    /// Failed by an `end` node: the request is refused with the messages.
    Intercepted,
    /// Failed otherwise (a node error, `rejectOnFalse`, a timeout).
    Failed,
    /// Still running (a waiting node in a run that had to finish).
    Hangs,
}

pub fn verdict(out: &Outcome) -> Verdict {
    match out.status {
        ExecStatus::Resolved if out.ended_by_end => Verdict::Stop,
        ExecStatus::Resolved => Verdict::Next,
        s if s.is_failure() && out.ended_by_end => Verdict::Intercepted,
        s if s.is_failure() => Verdict::Failed,
        _ => Verdict::Hangs,
    }
}

/// `WORKFLOW_INTERCEPTED`-style entries: one per message pushed so far, or `default` alone.
pub fn message_entries(messages: &[String], default: &str, execution_id: i64) -> Vec<Entry> {
    let texts: Vec<&str> = if messages.is_empty() {
        vec![default]
    } else {
        messages.iter().map(String::as_str).collect()
    };
    texts
        .into_iter()
        .map(|m| Entry::new(m).with("executionId", execution_id))
        .collect()
}

/// NocoBase's text for a run that failed without an `end` node, with what a client needs to look.
pub fn failed(code: Code, out: &Outcome, key: &str) -> Error {
    Error::new(
        code,
        "Workflow on your action failed, please contact the administrator",
    )
    .with("executionId", out.execution_id)
    .with("workflowKey", key)
    .with("status", out.status.code())
}

/// NocoBase's text for a run still going when the request needed its end.
pub fn hangs(code: Code, out: &Outcome, key: &str) -> Error {
    Error::new(
        code,
        "Workflow on your action hangs, please contact the administrator",
    )
    .with("executionId", out.execution_id)
    .with("workflowKey", key)
}

// ---------------------------------------------------------------- manual runs

/// The user and role of a manual run (`workflows:execute` with `userId` and `roleName`): the user
/// without password, the given role or the user's first. `missing` is the type's message for no `userId`.
pub fn manual_actor(
    app: &App,
    values: &Map<String, Value>,
    missing: &str,
) -> Result<(Value, String)> {
    let failed = |m: &str| bad(Code::ExecuteFailed, m);
    let user_id = match values.get("userId") {
        None | Some(Value::Null) => return Err(failed(missing)),
        Some(Value::Object(o)) => o.get("id").and_then(crate::action::parse_id),
        Some(v) => crate::action::parse_id(v),
    };
    let user = match user_id {
        Some(uid) => app.store.read(|c| crate::auth::load_user(c, uid))?,
        None => None,
    };
    let user = user.ok_or_else(|| failed("user not found"))?;
    let role = match crate::action::opt_str(values, "roleName")? {
        Some(r) => r.to_string(),
        None => app
            .store
            .read(|c| crate::auth::user_roles(c, user.id))?
            .into_iter()
            .next()
            .unwrap_or_default(),
    };
    Ok((user.to_json(), role))
}

/// The record a manual run names: an object as given (its `id`, if any, re-read with `appends` when
/// there are some), an id loaded (with `appends`). `Ok(None)` for an object without an id.
pub fn manual_record(
    app: &App,
    coll: &Collection,
    given: &Value,
    appends: &[String],
) -> Result<Value> {
    let schema = app.registry.snapshot();
    let id = match given {
        Value::Object(o) if !appends.is_empty() => o.get("id").and_then(crate::action::parse_id),
        Value::Object(_) => None,
        other => Some(crate::action::parse_id(other).ok_or_else(|| {
            bad(
                Code::ExecuteFailed,
                format!("{other} is not a record id of {}", coll.name),
            )
        })?),
    };
    let Some(id) = id else {
        return Ok(given.clone());
    };
    app.store
        .read(|c| records::get(c, &schema, coll, id, appends, None))?
        .ok_or_else(|| {
            bad(
                Code::ExecuteFailed,
                format!("Record {id} of {} not found", coll.name),
            )
        })
}

/// The collection a manual run's workflow is bound to.
pub fn bound_collection(app: &App, name: &str) -> Result<Arc<Collection>> {
    let schema = app.registry.snapshot();
    let bare = name.strip_prefix("main:").unwrap_or(name);
    schema
        .get(bare)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| bad(Code::ExecuteFailed, format!("Collection {name} not found")))
}

/// `{"user", "roleName"}` of a request's caller (the user without password).
pub fn caller_json(ctx: &Ctx) -> (Value, Value) {
    (ctx.caller.user.to_json(), json!(ctx.caller.role))
}
