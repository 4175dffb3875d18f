//! The `action` trigger (triggers-and-nodes.md §5): a post-action event. After a successful records
//! `create` or `update` (nothing for `destroy`), inside the action's writing transaction:
//! - local versions (not `global`) named by `triggerWorkflows`, in the list's order, each once; an entry
//!   `key!path` follows the to-one association `path` from each answered row, and the version must be
//!   bound to the path's target; then global versions bound to the collection whose `actions` name the
//!   action, by id;
//! - one event per answered row per version, its context `{data, user, roleName}` (`data`: the stored
//!   row re-read, with the version's `appends`; `user` without password);
//! - sync versions run in order, each in a savepoint of the write (its messages join the answer). A run
//!   resolved by an `end` node stops the rest, async ones included (NocoBase's order). A failed run stops
//!   them too, and the write stays (the action happened): the answer keeps NocoBase's status (400 for an
//!   `end` node's failure, 500 otherwise) with code `WORKFLOW_FAILED_AFTER_ACTION`, `executionId`,
//!   `workflowKey` and the written rows in `data` (§13);
//! - async versions are queued in the same transaction: a crash never loses an accepted run. A sync
//!   version with a waiting node (`request`, `delay`) cannot run inside the writer's transaction (the
//!   write lock is never held across network I/O or a wait): it is queued like an async one, as the
//!   collection trigger does.
//!
//! A `!path` that is not a chain of to-one associations is refused before the action (400, nothing
//! written), where NocoBase fails after it. `main:<c>` matches `<c>` (§13).

use std::sync::Arc;

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::{keys, TriggerType, Verdict};
use crate::action::Ctx;
use crate::app::App;
use crate::collections::hooks::{Said, Verb};
use crate::collections::{records, Collection, Schema};
use crate::error::{bad, Code, Entry, Error, Result};
use crate::workflow::cache::KeyState;
use crate::workflow::engine::{self, Flow};
use crate::workflow::repo::{executions, workflows};

pub const NAME: &str = "action";

pub const TYPE: TriggerType = TriggerType {
    name: NAME,
    validate,
    normalize: |_| {},
};

/// The actions a post-action event follows.
const ACTIONS: [&str; 2] = ["create", "update"];

/// §5.1 with §13: `collection` must exist, `global: true` needs valid `actions`, `appends` must be
/// association paths.
fn validate(config: &Value, schema: &Schema) -> Vec<Entry> {
    let Some(obj) = config.as_object() else {
        return vec![Entry::new("\"config\" must be an object").with("field", "config")];
    };
    let mut out = Vec::new();
    let resolved = super::check_collection(obj, schema, &mut out);
    super::check_global_actions(obj, &ACTIONS, &mut out);
    let name = obj.get("collection").and_then(Value::as_str).unwrap_or("");
    super::check_appends(obj, name, resolved.as_deref(), schema, &mut out);
    out
}

fn hears(verb: Verb) -> bool {
    matches!(verb, Verb::Create | Verb::Update)
}

/// Before the action: every `key!path` whose key names an enabled post-action version must be a chain
/// of to-one associations from the collection (trigger.md §5.3's errors), or nothing happens.
pub fn check_paths(ctx: &Ctx, coll: &Collection, verb: Verb) -> Result<()> {
    if !hears(verb) {
        return Ok(());
    }
    let app = ctx.app;
    let entries = keys::parse_optional(ctx.input.param("triggerWorkflows"))?;
    let schema = app.registry.snapshot();
    for e in entries.iter().filter(|e| !e.path.is_empty()) {
        if let KeyState::Enabled(f) = app.workflows.key(&app.store, &e.key)? {
            if f.workflow.kind == NAME {
                let from = shared(&schema, coll)?;
                keys::resolve_path(&schema, &from, &e.path)?;
            }
        }
    }
    Ok(())
}

/// The schema's shared handle on `coll` (path resolution starts from one).
fn shared(schema: &Schema, coll: &Collection) -> Result<Arc<Collection>> {
    schema
        .get(&coll.name)
        .cloned()
        .ok_or_else(|| Error::internal(format!("{} left the schema", coll.name)))
}

/// The enabled post-action versions bound to `coll`, read in the writing transaction (not through the
/// workflow cache: see `collection::listeners`).
fn bound_to(conn: &Connection, coll: &str) -> Result<Vec<Arc<Flow>>> {
    let mut out = Vec::new();
    for id in workflows::enabled_on_collection(conn, NAME, coll)? {
        if let Some(f) = Flow::load(conn, id)? {
            out.push(Arc::new(f));
        }
    }
    Ok(out)
}

/// A version to run with the path its key named.
struct Heard {
    flow: Arc<Flow>,
    path: Vec<String>,
}

/// Local versions in the keys' order, then global ones by id (§5.2).
fn matching(
    ctx: &Ctx,
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    verb: Verb,
) -> Result<Vec<Heard>> {
    let entries = keys::parse_optional(ctx.input.param("triggerWorkflows"))?;
    let here = bound_to(conn, &coll.name)?;
    let mut out = Vec::new();
    for e in entries {
        let target = if e.path.is_empty() {
            coll.name.clone()
        } else {
            // `check_paths` refused a bad path of a post-action key before the write; a bad path
            // here belongs to a key of another type (or of none), which this trigger ignores.
            match keys::resolve_path(schema, &shared(schema, coll)?, &e.path) {
                Ok(p) => p.target.name.clone(),
                Err(_) => continue,
            }
        };
        let candidates = if target == coll.name {
            here.clone()
        } else {
            bound_to(conn, &target)?
        };
        if let Some(flow) = candidates
            .into_iter()
            .find(|f| f.workflow.key == e.key && !super::is_global(&f.workflow.config))
        {
            out.push(Heard { flow, path: e.path });
        }
    }
    out.extend(
        here.into_iter()
            .filter(|f| super::global_for(&f.workflow.config, verb))
            .map(|flow| Heard {
                flow,
                path: Vec::new(),
            }),
    );
    Ok(out)
}

/// The event's `data`: row `id` of `coll`, or the record its to-one `path` reaches (`None` when the
/// path ends at no record), re-read with the version's appends.
fn event_data(
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    id: i64,
    heard: &Heard,
) -> Result<Option<Value>> {
    let appends = super::collection::with_prefixes(&heard.flow.workflow.appends());
    if heard.path.is_empty() {
        return records::get(conn, schema, coll, id, &appends, None);
    }
    let from = shared(schema, coll)?;
    let path = keys::resolve_path(schema, &from, &heard.path)?;
    let joined = path.text();
    let row = records::get(conn, schema, coll, id, &[joined], None)?;
    let mut cur = row.as_ref();
    for seg in &heard.path {
        cur = cur.and_then(|v| v.get(seg)).filter(|v| !v.is_null());
    }
    let Some(target_id) = cur.and_then(|v| v.get("id")).and_then(Value::as_i64) else {
        return Ok(None);
    };
    records::get(conn, schema, &path.target, target_id, &appends, None)
}

/// In the action's write, after it wrote rows `ids` (`hooks::Hooks::after`).
pub fn after(
    ctx: &Ctx,
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    verb: Verb,
    ids: &[i64],
    said: &mut Said,
) -> Result<()> {
    if !hears(verb) || ids.is_empty() {
        return Ok(());
    }
    let heard = matching(ctx, conn, schema, coll, verb)?;
    if heard.is_empty() {
        return Ok(());
    }
    let (user, role) = super::caller_json(ctx);
    let mut events: Vec<(Arc<Flow>, Value)> = Vec::new();
    for h in &heard {
        for &id in ids {
            if let Some(data) = event_data(conn, schema, coll, id, h)? {
                let context = json!({ "data": data, "user": user, "roleName": role });
                events.push((h.flow.clone(), context));
            }
        }
    }
    let runs_here = |f: &Flow| f.workflow.sync && f.in_one_write;
    for (flow, context) in events.iter().filter(|(f, _)| runs_here(f)) {
        let key = &flow.workflow.key;
        let stack = vec![flow.workflow.id];
        let out = engine::run_in_write(ctx.app, conn, flow.clone(), context, stack, true)?;
        ctx.app
            .metrics
            .trigger_run(key, Some(out.status.is_failure()));
        said.messages.extend(out.messages.iter().cloned());
        let failure = match super::verdict(&out) {
            Verdict::Next => continue,
            Verdict::Stop => return Ok(()),
            Verdict::Intercepted => {
                let default = format!("Request failed: workflow \"{key}\" ended with a failure after the action was done");
                let entries = super::message_entries(&said.messages, &default, out.execution_id);
                let err = Error::many(Code::WorkflowFailedAfterAction, entries)
                    .with("workflowKey", key.clone());
                (400, err)
            }
            Verdict::Failed => (
                500,
                super::failed(Code::WorkflowFailedAfterAction, &out, key),
            ),
            Verdict::Hangs => (
                500,
                super::hangs(Code::WorkflowFailedAfterAction, &out, key),
            ),
        };
        tracing::warn!(execution = out.execution_id, key = %key, status = out.status.code(),
            "post-action workflow failed; the action's write stays");
        said.failed_after = Some(failure);
        return Ok(());
    }
    let mut queued = false;
    for (flow, context) in events.iter().filter(|(f, _)| !runs_here(f)) {
        executions::insert_queued(conn, &flow.workflow, context)?;
        ctx.app.metrics.trigger_run(&flow.workflow.key, None);
        queued = true;
    }
    if queued {
        ctx.app.queue.notify_from_write();
    }
    Ok(())
}

// ---------------------------------------------------------------- manual execution

/// `workflows:execute` of a post-action workflow (from NocoBase's `execute`): `{data, userId,
/// roleName?}`; `data` a record (re-read with `appends` when it has an id and there are some) or a
/// record id (loaded).
pub fn manual_context(app: &App, flow: &Flow, values: &Map<String, Value>) -> Result<Value> {
    let data = match values.get("data") {
        None | Some(Value::Null) => return Err(bad(Code::ExecuteFailed, "Data is required")),
        Some(d) => d.clone(),
    };
    let (user, role) = super::manual_actor(app, values, "UserId is required")?;
    let coll = super::bound_collection(app, flow.workflow.collection().unwrap_or(""))?;
    let appends = super::collection::with_prefixes(&flow.workflow.appends());
    let data = super::manual_record(app, &coll, &data, &appends)?;
    Ok(json!({ "data": data, "user": user, "roleName": role }))
}
