//! The `collection` trigger (triggers-and-nodes.md §2): data events of a collection's records.
//!
//! The records repository raises one event per record written (`collections::events`), inside the
//! writing transaction, and hands it here ([`LISTENER`]). For each enabled version bound to the
//! collection whose mode has the event's bit, the event is matched (`changed`, `condition`), its `data`
//! loaded (with `appends`), and then:
//! - async: a QUEUEING execution is inserted in the same transaction (committed with the write, or not
//!   at all);
//! - sync: the run happens right there, in a savepoint of the write's transaction, before the write
//!   answers. A failed run keeps the write, unless `rollbackOnFailure`: then the write fails with
//!   `422 WORKFLOW_ROLLBACK_ON_FAILURE` and is rolled back, and the failed execution (with its jobs) is
//!   written again after the rollback, in a write of its own (`App::rescue`), so it stays visible.
//!   A sync version with a waiting node (`request`) cannot run inside the writer's transaction (the
//!   write lock is never held across network I/O): it is queued as if async.
//!
//! Recursion (NocoBase's `options.stackLimit`, default 1): every run carries the chain of versions
//! whose runs led to it (`Processor::stack`). An event raised by a run's write does not start a version
//! that already appears `stackLimit` times in that chain (skipped: no execution, a warning). So a
//! workflow whose node updates its own collection runs once per outside write with the default limit.

use std::sync::Arc;

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::{mode_of, TriggerType};
use crate::app::App;
use crate::collections::events::{Event, Listener, Op, Origin};
use crate::collections::filter::{self, Where};
use crate::collections::records;
use crate::collections::registry::Kind;
use crate::collections::{Collection, Schema};
use crate::error::{bad, Code, Entry, Error, Result};
use crate::workflow::engine::{self, Flow};
use crate::workflow::repo::{executions, workflows};

pub const NAME: &str = "collection";

pub const TYPE: TriggerType = TriggerType {
    name: NAME,
    validate,
    normalize: super::normalize_mode,
};

pub const LISTENER: Listener = Listener { wants, raise };

const MODES: [i64; 4] = [1, 2, 4, 3];

/// A filter with no condition in it (`{}`, `{"$and": []}`) is no condition (NocoBase's isValidFilter).
fn has_condition(schema: &Schema, coll: &Collection, condition: Option<&Value>) -> bool {
    condition.is_some_and(|c| filter::compile(schema, coll, Some(c)).is_ok_and(|w| !w.is_empty()))
}

fn non_empty_array(v: Option<&Value>) -> bool {
    v.and_then(Value::as_array).is_some_and(|a| !a.is_empty())
}

/// §2.1, with §13's proposals: `mode` is required, and options the mode ignores (`changed` without
/// update, `condition` or `appends` with destroy) are refused rather than stored and ignored.
fn validate(config: &Value, schema: &Schema) -> Vec<Entry> {
    let e = |field: &str, msg: &str| Entry::new(msg).with("field", field);
    let Some(obj) = config.as_object() else {
        return vec![e("config", "\"config\" must be an object")];
    };
    let mut out = Vec::new();
    let name = obj
        .get("collection")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let resolved = match name {
        None => {
            out.push(e("collection", "\"collection\" is required"));
            None
        }
        Some(n) => super::resolve_collection(n, schema)
            .map_err(|entry| out.push(entry))
            .ok(),
    };
    let mode = match obj.get("mode") {
        None | Some(Value::Null) => {
            out.push(e("mode", "\"mode\" is required"));
            None
        }
        Some(v) => match mode_of(v).filter(|m| MODES.contains(m)) {
            Some(m) => Some(m),
            None => {
                out.push(e("mode", "\"mode\" must be one of [1, 2, 4, 3]"));
                None
            }
        },
    };
    if let Some(changed) = obj.get("changed") {
        let names = changed
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string));
        if !names && !changed.is_null() {
            out.push(e("changed", "\"changed\" must be an array of field names"));
        } else if non_empty_array(Some(changed)) && mode.is_some_and(|m| m & 2 == 0) {
            out.push(e(
                "changed",
                "\"changed\" applies only to a mode with update (2, 3)",
            ));
        }
    }
    let destroys = mode.is_some_and(|m| m & 4 != 0);
    if let (Some(cond), Some(coll)) = (obj.get("condition"), &resolved) {
        if !cond.is_null() {
            match filter::compile(schema, coll, Some(cond)) {
                Err(err) => out.push(e("condition", &err.entries[0].message)),
                Ok(w) if !w.is_empty() && destroys => out.push(e(
                    "condition",
                    "\"condition\" does not apply to a mode with destroy (4)",
                )),
                Ok(_) => {}
            }
        }
    }
    super::check_appends(
        obj,
        name.unwrap_or(""),
        resolved.as_deref(),
        schema,
        &mut out,
    );
    if destroys && non_empty_array(obj.get("appends")) {
        out.push(e(
            "appends",
            "\"appends\" does not apply to a mode with destroy (4)",
        ));
    }
    if obj
        .get("rollbackOnFailure")
        .is_some_and(|v| !v.is_boolean() && !v.is_null())
    {
        out.push(e(
            "rollbackOnFailure",
            "\"rollbackOnFailure\" must be a boolean",
        ));
    }
    out
}

// ---------------------------------------------------------------- events

/// The enabled versions listening to `coll`, read in the writing transaction. Not through the workflow
/// cache: a miss there takes a pooled reader, and a writer waiting on the read pool can deadlock with
/// readers waiting on the writer.
fn listeners(conn: &Connection, coll: &Collection) -> Result<Vec<Arc<Flow>>> {
    let ids = workflows::enabled_on_collection(conn, NAME, &coll.name)?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(f) = Flow::load(conn, id)? {
            out.push(Arc::new(f));
        }
    }
    Ok(out)
}

fn mode(flow: &Flow) -> i64 {
    flow.workflow
        .config
        .get("mode")
        .and_then(mode_of)
        .unwrap_or(0)
}

fn wants(_app: &App, conn: &Connection, coll: &Collection, op: Op) -> Result<bool> {
    Ok(listeners(conn, coll)?
        .iter()
        .any(|f| mode(f) & op.bit() != 0))
}

fn raise(
    origin: &Origin,
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    events: Vec<Event>,
) -> Result<()> {
    let mut queued = false;
    let Some(app) = origin.app else {
        return Ok(());
    };
    for flow in listeners(conn, coll)? {
        for event in &events {
            if mode(&flow) & event.op.bit() == 0 || over_stack_limit(&flow, origin.stack) {
                continue;
            }
            let Some(data) = event_data(conn, schema, coll, &flow, event)? else {
                continue;
            };
            queued |= start(origin, conn, flow.clone(), json!({ "data": data }))?;
        }
    }
    if queued {
        // Rows queued in this transaction: the worker's claim is a later write, so it sees them once
        // this one is done (or nothing, if it rolled back).
        app.queue.notify_from_write();
    }
    Ok(())
}

/// NocoBase's `stackLimit` check: this version already ran `stackLimit` times in the chain.
fn over_stack_limit(flow: &Flow, stack: &[i64]) -> bool {
    let limit = flow
        .workflow
        .options
        .get("stackLimit")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(1);
    let seen = stack.iter().filter(|id| **id == flow.workflow.id).count() as i64;
    if seen >= limit {
        tracing::warn!(workflow = flow.workflow.id, key = %flow.workflow.key, limit,
            "data event skipped: the workflow already runs {seen} time(s) in this chain (options.stackLimit)");
        return true;
    }
    false
}

/// The event's `data` if it matches the version's `changed` and `condition` (§2.2–§2.3), else `None`.
fn event_data(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    flow: &Flow,
    event: &Event,
) -> Result<Option<Value>> {
    let config = &flow.workflow.config;
    if event.op == Op::Update && !changed_matches(coll, config, &event.changed) {
        return Ok(None);
    }
    if event.op == Op::Destroy {
        return Ok(event.before.clone());
    }
    if !matches_condition(conn, schema, coll, config.get("condition"), event.id)? {
        return Ok(None);
    }
    records::get(
        conn,
        schema,
        coll,
        event.id,
        &with_prefixes(&flow.workflow.appends()),
        None,
    )
}

/// `changed` (§2.3): a belongsTo name counts as its foreign key, to-many and hasOne names are dropped
/// (a list of only those never fires), unknown names are kept (and never change).
fn changed_matches(coll: &Collection, config: &Value, changed: &[String]) -> bool {
    let Some(list) = config.get("changed").and_then(Value::as_array) else {
        return true;
    };
    if list.is_empty() {
        return true;
    }
    list.iter()
        .filter_map(Value::as_str)
        .filter_map(|name| match coll.field(name).map(|f| &f.kind) {
            Some(Kind::BelongsTo { foreign_key, .. }) => Some(foreign_key.as_str()),
            Some(Kind::HasOne { .. } | Kind::HasMany { .. } | Kind::BelongsToMany { .. }) => None,
            _ => Some(name),
        })
        .any(|column| changed.iter().any(|c| c == column))
}

/// Whether record `id` matches `condition` (counted with that filter, as NocoBase does).
fn matches_condition(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    condition: Option<&Value>,
    id: i64,
) -> Result<bool> {
    if !has_condition(schema, coll, condition) {
        return Ok(true);
    }
    let mut w: Where = filter::compile(schema, coll, condition)?;
    records::by_ids(&mut w, &[id]);
    Ok(!records::matching_ids(conn, coll, &w)?.is_empty())
}

/// Each append path with its prefixes (`a.b` also loads `a`), as NocoBase loads them.
pub fn with_prefixes(appends: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in appends {
        let parts: Vec<&str> = a.split('.').collect();
        for i in 1..=parts.len() {
            let p = parts[..i].join(".");
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Runs or queues one matched event; returns whether it queued.
fn start(origin: &Origin, conn: &Connection, flow: Arc<Flow>, context: Value) -> Result<bool> {
    let app = origin
        .app
        .ok_or_else(|| Error::internal("a data event without an app"))?;
    let w = &flow.workflow;
    let mut stack = origin.stack.to_vec();
    stack.push(w.id);
    if !(w.sync && flow.in_one_write) {
        let id = executions::insert_queued(conn, w, &context)?;
        app.stacks.put(id, stack);
        app.metrics.trigger_run(&w.key, None);
        return Ok(true);
    }
    let out = engine::run_in_write(app, conn, flow.clone(), &context, stack, false)?;
    app.metrics
        .trigger_run(&w.key, Some(out.status.is_failure()));
    if !out.status.is_failure() || !rolls_back(&flow) {
        if out.status.is_failure() {
            tracing::warn!(execution = out.execution_id, key = %w.key, status = out.status.code(),
                "sync collection workflow failed; the write stays");
        }
        return Ok(false);
    }
    // The write is about to be rolled back with everything in it, this execution included: keep a copy
    // to write again afterwards.
    // (None: `options.deleteExecutionOnStatus` deleted it as it was saved; nothing to keep.)
    if let Some(exec) = executions::get(conn, out.execution_id)? {
        let jobs = executions::jobs(conn, out.execution_id)?;
        app.rescue(Box::new(move |c| {
            executions::restore(c, &exec, &jobs).map(|_| ())
        }));
    }
    tracing::warn!(execution = out.execution_id, key = %w.key, "sync collection workflow failed; the write is rolled back");
    Err(Error::new(
        Code::WorkflowRollbackOnFailure,
        "System process failed, please contact administrator.",
    ))
}

fn rolls_back(flow: &Flow) -> bool {
    flow.workflow.config.get("rollbackOnFailure") == Some(&Value::Bool(true))
}

// ---------------------------------------------------------------- manual execution

/// `workflows:execute` of a collection workflow (§2.4, §13): `data` is required; a record id is loaded
/// with `appends`; an object is re-read by its `id` when `appends` are set, else taken as given.
pub fn manual_data(
    app: &App,
    schema: &Schema,
    flow: &Flow,
    values: &Map<String, Value>,
) -> Result<Value> {
    let given = match values.get("data") {
        None | Some(Value::Null) => return Err(bad(Code::ExecuteFailed, "data is required")),
        Some(v) => v.clone(),
    };
    let name = flow.workflow.collection().unwrap_or("");
    let coll = schema
        .get(name)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| bad(Code::ExecuteFailed, format!("Collection {name} not found")))?;
    let appends = with_prefixes(&flow.workflow.appends());
    let id = match &given {
        Value::Object(o) if !appends.is_empty() => o.get("id").and_then(crate::action::parse_id),
        Value::Object(_) => None,
        other => crate::action::parse_id(other),
    };
    let Some(id) = id else {
        return Ok(given);
    };
    app.store
        .read(|c| records::get(c, schema, &coll, id, &appends, None))?
        .ok_or_else(|| {
            bad(
                Code::ExecuteFailed,
                format!("Record {id} of {name} not found"),
            )
        })
}
