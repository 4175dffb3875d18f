//! The `request-interception` trigger (triggers-and-nodes.md §4): a pre-action event. Before a records
//! `create`, `update` or `destroy` of a collection (or of an association resource's target rows), the
//! version's runs decide whether the action happens.
//!
//! Which run, in order (§4.2): local versions (not `global`) bound to the collection whose key is in
//! `triggerWorkflows`, in the list's order; then global versions whose `actions` name the action, by id.
//! Each runs to completion in the request whatever its `sync` flag (§1.2), committed in a write of its
//! own before the action, so its execution exists when the answer comes even when the action is refused.
//!
//! Outcomes (§4.3, with trigger.md §7's codes, §13): resolved → next, and after the last the action
//! runs (its answer carries the runs' `messages`); resolved by an `end` node → the action does not run,
//! `200 {"messages": …}` (or `{}`); failed by an `end` node → `400 WORKFLOW_INTERCEPTED` with each
//! message (or "Request is intercepted by workflow"); failed otherwise → `500 WORKFLOW_FAILED`; still
//! running → `500 WORKFLOW_HANGS`; each error with `executionId` and `workflowKey`.
//!
//! Reads (`list`, `get`) run nothing: flowgate's interception is about writes (NocoBase also runs local
//! versions on reads; §13 allows either). `main:<c>` matches `<c>` (§13).

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{keys, TriggerType, Verdict};
use crate::action::Ctx;
use crate::app::App;
use crate::collections::hooks::{Said, Verb};
use crate::collections::{record_api, Collection, Schema};
use crate::error::{bad, Code, Entry, Error, Result};
use crate::reply::Reply;
use crate::workflow::engine::{self, Flow};

pub const NAME: &str = "request-interception";

pub const TYPE: TriggerType = TriggerType {
    name: NAME,
    validate,
    normalize: |_| {},
};

/// The actions a global version may name (NocoBase's INTERCEPTABLE_ACTIONS; flowgate has no
/// `updateOrCreate`, so a version naming only it never runs).
const ACTIONS: [&str; 4] = ["create", "update", "updateOrCreate", "destroy"];

/// §4.1 with §13: `collection` must exist; `global: true` needs valid `actions`.
fn validate(config: &Value, schema: &Schema) -> Vec<Entry> {
    let Some(obj) = config.as_object() else {
        return vec![Entry::new("\"config\" must be an object").with("field", "config")];
    };
    let mut out = Vec::new();
    super::check_collection(obj, schema, &mut out);
    super::check_global_actions(obj, &ACTIONS, &mut out);
    out
}

/// The enabled versions bound to `coll` that hear `verb`: local ones named by the request's keys in
/// their order, then global ones by id.
fn matching(ctx: &Ctx, coll: &Collection, verb: Verb) -> Result<Vec<Arc<Flow>>> {
    let app = ctx.app;
    let ids = app.workflows.bound(&app.store, NAME, &coll.name)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut bound = Vec::new();
    for &id in ids.iter() {
        if let Some(f) = app.workflows.flow(&app.store, id)? {
            bound.push(f);
        }
    }
    let entries = keys::parse_optional(ctx.input.param("triggerWorkflows"))?;
    let mut out: Vec<Arc<Flow>> = entries
        .iter()
        .filter_map(|e| {
            bound
                .iter()
                .find(|f| f.workflow.key == e.key && !super::is_global(&f.workflow.config))
        })
        .cloned()
        .collect();
    out.extend(
        bound
            .iter()
            .filter(|f| super::global_for(&f.workflow.config, verb))
            .cloned(),
    );
    Ok(out)
}

/// `params` of the context (§4.4): `filterByTk` as the client sent it (a query value stays text),
/// the parsed `filter`, and `values` (the body; `{}` for destroy); absent ones are omitted.
fn params(ctx: &Ctx, verb: Verb) -> Result<Value> {
    let input = ctx.input;
    let mut p = Map::new();
    let tk = input
        .param("filterByTk")
        .cloned()
        .or_else(|| input.path_tk.clone().map(Value::String));
    if let Some(tk) = tk {
        p.insert("filterByTk".into(), tk);
    }
    if let Some(f) = record_api::filter_param(input)? {
        p.insert("filter".into(), f);
    }
    let values = match verb {
        Verb::Destroy => Map::new(),
        _ => input.values_or_empty()?,
    };
    p.insert("values".into(), Value::Object(values));
    Ok(Value::Object(p))
}

/// Runs the pre-action versions of `verb` on `coll` (`hooks::Hooks::before`).
pub fn before(ctx: &Ctx, coll: &Collection, verb: Verb, said: &mut Said) -> Result<Option<Reply>> {
    let flows = matching(ctx, coll, verb)?;
    if flows.is_empty() {
        return Ok(None);
    }
    let (user, role) = super::caller_json(ctx);
    let context = json!({ "user": user, "roleName": role, "params": params(ctx, verb)? });
    for flow in flows {
        let key = flow.workflow.key.clone();
        let out = engine::run_in_request(ctx.app, flow, context.clone(), false, true)?;
        ctx.app
            .metrics
            .trigger_run(&key, Some(out.status.is_failure()));
        said.messages.extend(out.messages.iter().cloned());
        match super::verdict(&out) {
            Verdict::Next => {}
            Verdict::Stop => {
                tracing::info!(execution = out.execution_id, key = %key, "pre-action workflow ended the request");
                return Ok(Some(stopped(said)));
            }
            Verdict::Intercepted => {
                tracing::warn!(execution = out.execution_id, key = %key, "request intercepted by workflow");
                let entries = super::message_entries(
                    &said.messages,
                    "Request is intercepted by workflow",
                    out.execution_id,
                );
                return Err(
                    Error::many(Code::WorkflowIntercepted, entries).with("workflowKey", key)
                );
            }
            Verdict::Failed => {
                tracing::warn!(execution = out.execution_id, key = %key, status = out.status.code(), "pre-action workflow failed");
                return Err(super::failed(Code::WorkflowFailed, &out, &key));
            }
            Verdict::Hangs => return Err(super::hangs(Code::WorkflowHangs, &out, &key)),
        }
    }
    Ok(None)
}

/// `200 {"messages": …}` (or `{}`): an `end` node resolved the run, the action does not happen.
fn stopped(said: &Said) -> Reply {
    if said.messages.is_empty() {
        return Reply::empty();
    }
    let messages: Vec<Value> = said
        .messages
        .iter()
        .map(|m| json!({ "message": m }))
        .collect();
    Reply::raw(200, json!({ "messages": messages }))
}

// ---------------------------------------------------------------- manual execution

/// `workflows:execute` of a pre-action workflow (§4.5, from NocoBase's `execute`): `{target, userId,
/// roleName?, action?}`. `target` is a record id (loaded) or a record; the context's `params` are
/// `{filterByTk}` when `action` is `destroy`, else `{values: <the record>}`.
pub fn manual_context(app: &App, flow: &Flow, values: &Map<String, Value>) -> Result<Value> {
    let target = match values.get("target") {
        None | Some(Value::Null) => {
            return Err(bad(Code::ExecuteFailed, "Target data or key is required"))
        }
        Some(t) => t.clone(),
    };
    let (user, role) = super::manual_actor(app, values, "UserId is required")?;
    let coll = super::bound_collection(app, flow.workflow.collection().unwrap_or(""))?;
    let record = super::manual_record(app, &coll, &target, &[])?;
    let params = if values.get("action").and_then(Value::as_str) == Some("destroy") {
        let tk = match &target {
            Value::Object(o) => o.get("id").cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        json!({ "filterByTk": tk })
    } else {
        json!({ "values": record })
    };
    Ok(json!({ "params": params, "user": user, "roleName": role }))
}
