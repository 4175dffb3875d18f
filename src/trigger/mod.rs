//! The custom action trigger (trigger.md): `POST /api/<collection>:trigger[/<id>]?triggerWorkflows=…`,
//! its association form, and `workflows:trigger` for global workflows.
//!
//! Order (trigger.md §3, after auth and ACL in the dispatcher): idempotency → keys, ids, body, paths →
//! match → build every workflow's data → sync group in key order → commit the async group (with the
//! idempotency record) → respond. No execution exists if the request stopped before the sync group.

mod data;
pub mod idempotency;
mod repo;

use crate::metrics::TriggerOutcome;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::action::Ctx;
use crate::action::Tk;
use crate::collections::{Collection, Field};
use crate::error::{invalid_param, Code, Entry, Error, Result};
use crate::reply::Reply;
use crate::workflow::cache::KeyState;
use crate::workflow::dry_run;
use crate::workflow::engine::{self, Flow};
use crate::workflow::model::{ContextType, TRIGGER_TYPE};
use crate::workflow::repo::executions;
use crate::workflow::triggers::{self, keys, Verdict};

/// The resource a trigger names. One per request, so the large variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Form {
    /// `<collection>:trigger` or the association form (then `link` is set).
    Record {
        coll: Arc<Collection>,
        link: Option<(Arc<Collection>, i64, Field)>,
    },
    Global,
}

pub fn handle_records(ctx: &Ctx, coll: &Arc<Collection>) -> Result<Reply> {
    with_idempotency(
        ctx,
        Form::Record {
            coll: coll.clone(),
            link: None,
        },
    )
}

pub fn handle_association(
    ctx: &Ctx,
    source: &Arc<Collection>,
    source_id: i64,
    field: &Field,
    target: &Arc<Collection>,
) -> Result<Reply> {
    with_idempotency(
        ctx,
        Form::Record {
            coll: target.clone(),
            link: Some((source.clone(), source_id, field.clone())),
        },
    )
}

pub fn handle_global(ctx: &Ctx) -> Result<Reply> {
    with_idempotency(ctx, Form::Global)
}

fn with_idempotency(ctx: &Ctx, form: Form) -> Result<Reply> {
    if let Some(stubs) = dry_run::asked(ctx.input)? {
        // Nothing of a dry run is kept, its idempotency record neither: the key is not looked at.
        return dry_run::run(ctx, stubs, |copy| run(copy, form, None));
    }
    let claim = match idempotency::begin(ctx)? {
        idempotency::Begin::Replay(reply) => return Ok(reply),
        idempotency::Begin::Run(claim) => Some(claim),
        idempotency::Begin::None => None,
    };
    // If the run panics, the key must not stay "running" (every retry would get 409 until a restart).
    let _unwind = claim
        .as_ref()
        .map(|c| idempotency::ForgetOnUnwind { ctx, claim: c });
    let result = run(ctx, form, claim.as_ref());
    if let (Some(claim), Err(e)) = (&claim, &result) {
        idempotency::finish_error(ctx, claim, e)?;
    }
    result
}

/// A workflow that matched, with the path its key named.
struct Matched {
    flow: Arc<Flow>,
    path: Option<data::Path>,
}

fn run(ctx: &Ctx, form: Form, claim: Option<&idempotency::Claim>) -> Result<Reply> {
    let app = ctx.app;
    ctx.input.query()?;
    let entries = keys::parse(ctx.input.param("triggerWorkflows"))?;
    let tk = ctx.input.filter_by_tk()?;
    let body = ctx.input.values()?.unwrap_or_default();
    let schema = app.registry.snapshot();
    if matches!(form, Form::Global) {
        if tk != Tk::None {
            return Err(invalid_param(
                "filterByTk",
                "global workflows take no record; use <collection>:trigger",
            ));
        }
        if entries.iter().any(|e| !e.path.is_empty()) {
            return Err(invalid_param(
                "triggerWorkflows",
                "global workflows take no \"!path\"",
            ));
        }
    }
    // Paths first: a bad path is a 400 whatever the workflows.
    let mut paths: Vec<Option<data::Path>> = Vec::new();
    for e in &entries {
        paths.push(match (&form, e.path.is_empty()) {
            (Form::Record { coll, .. }, false) => Some(data::resolve_path(&schema, coll, &e.path)?),
            _ => None,
        });
    }
    let (matched, skipped) = match_keys(ctx, &form, &entries, paths)?;

    // Build every workflow's data before any runs.
    let user = ctx.caller.user.to_json();
    let mut contexts = Vec::new();
    match &form {
        Form::Global => {
            for _ in &matched {
                contexts.push(Value::Object(body.clone()));
            }
        }
        Form::Record { coll, link } => {
            let ids = match &tk {
                Tk::None => Vec::new(),
                Tk::One(id) => vec![*id],
                Tk::Many(ids) => ids.clone(),
            };
            let source = data::Source {
                ctx,
                schema: &schema,
                coll: coll.clone(),
                link: link.clone(),
                ids,
                body: body.clone(),
            };
            let mut cache = HashMap::new();
            for m in &matched {
                let appends = m.flow.workflow.appends();
                contexts.push(source.build(
                    &appends,
                    m.path.as_ref(),
                    matches!(tk, Tk::Many(_)),
                    &mut cache,
                )?);
            }
        }
    }
    let contexts: Vec<Value> = contexts
        .into_iter()
        .map(|d| json!({ "data": d, "user": user, "roleName": ctx.caller.role }))
        .collect();

    // Sync group, in key order, inside the request.
    let mut executions = Vec::new();
    let mut messages: Vec<(String, i64)> = Vec::new();
    let mut stopped = false;
    for (m, context) in matched.iter().zip(&contexts) {
        if !m.flow.workflow.sync {
            continue;
        }
        let w = &m.flow.workflow;
        let out = engine::run_in_request(app, m.flow.clone(), context.clone(), false, true)?;
        app.metrics.trigger(
            &w.key,
            if out.status.is_failure() {
                TriggerOutcome::Failed
            } else {
                TriggerOutcome::Resolved
            },
        );
        messages.extend(out.messages.iter().map(|t| (t.clone(), out.execution_id)));
        executions.push(json!({ "id": out.execution_id, "workflowId": w.id, "workflowKey": w.key, "sync": true, "status": out.status }));
        match triggers::verdict(&out) {
            Verdict::Stop => {
                stopped = true;
                break;
            }
            Verdict::Next => {}
            Verdict::Intercepted => {
                tracing::warn!(execution = out.execution_id, key = %w.key, "request intercepted by workflow");
                return Err(intercepted(&messages, out.execution_id));
            }
            Verdict::Failed => {
                tracing::warn!(execution = out.execution_id, key = %w.key, status = out.status.code(), "sync workflow failed");
                return Err(triggers::failed(Code::WorkflowFailed, &out, &w.key));
            }
            Verdict::Hangs => return Err(triggers::hangs(Code::WorkflowHangs, &out, &w.key)),
        }
    }

    // The response, then the async group committed with it (and the idempotency record).
    let async_group: Vec<(&Matched, &Value)> = if stopped {
        Vec::new()
    } else {
        matched
            .iter()
            .zip(&contexts)
            .filter(|(m, _)| !m.flow.workflow.sync)
            .collect()
    };
    let mut reply_data = Map::new();
    let (queued, body) = app.store.write(|c| {
        let mut queued = Vec::new();
        for (m, context) in &async_group {
            let w = &m.flow.workflow;
            let id = executions::insert_queued(c, w, context)?;
            queued.push(json!({ "id": id, "workflowId": w.id, "workflowKey": w.key, "sync": false, "status": null }));
        }
        let mut all = executions.clone();
        all.extend(queued.iter().cloned());
        reply_data.insert("executions".into(), Value::Array(all));
        if !skipped.is_empty() {
            reply_data.insert("skipped".into(), Value::Array(skipped.clone()));
        }
        let mut body = json!({ "data": Value::Object(reply_data.clone()) });
        if !messages.is_empty() {
            body["messages"] = Value::Array(messages.iter().map(|(m, _)| json!({ "message": m })).collect());
        }
        if let Some(claim) = claim {
            idempotency::store_in(c, claim, 200, &body)?;
        }
        Ok((queued, body))
    })?;
    if !queued.is_empty() {
        app.queue.notify();
    }
    for (m, _) in &async_group {
        app.metrics
            .trigger(&m.flow.workflow.key, TriggerOutcome::Queued);
    }
    Ok(Reply::raw(200, body))
}

/// `400 WORKFLOW_INTERCEPTED`: the messages pushed so far, or the default text.
fn intercepted(messages: &[(String, i64)], execution_id: i64) -> Error {
    let texts: Vec<String> = messages.iter().map(|(m, _)| m.clone()).collect();
    let entries =
        triggers::message_entries(&texts, "Request is intercepted by workflow", execution_id);
    Error::many(Code::WorkflowIntercepted, entries)
}

/// Why a key has no version: it does not exist, or an imported document defined it with a trigger or
/// node flowgate does not run (kept, not runnable; bridge.md §6.2).
fn not_found(ctx: &Ctx, k: &str) -> Result<(String, &'static str, String)> {
    let kept = ctx
        .app
        .store
        .read(|c| crate::bridge::repo::workflow_reason(c, k))?;
    Ok(match kept {
        Some(why) => (
            k.to_string(),
            "unsupported",
            format!("Workflow \"{k}\" uses {why}, which flowgate does not run"),
        ),
        None => (
            k.to_string(),
            "NOT_FOUND",
            format!("Workflow \"{k}\" does not exist"),
        ),
    })
}

/// Matching (trigger.md §4): the enabled version of each key, checked against the form; the first
/// failing check names the reason.
fn match_keys(
    ctx: &Ctx,
    form: &Form,
    entries: &[keys::Entry],
    paths: Vec<Option<data::Path>>,
) -> Result<(Vec<Matched>, Vec<Value>)> {
    let mut matched = Vec::new();
    let mut reasons: Vec<(String, &'static str, String)> = Vec::new();
    for (e, path) in entries.iter().zip(paths) {
        let k = &e.key;
        let flow = match ctx.app.workflows.key(&ctx.app.store, k)? {
            KeyState::NotFound => {
                reasons.push(not_found(ctx, k)?);
                continue;
            }
            KeyState::Disabled => {
                reasons.push((
                    k.clone(),
                    "DISABLED",
                    format!("Workflow \"{k}\" is not enabled"),
                ));
                continue;
            }
            KeyState::Enabled(f) => f,
        };
        let w = &flow.workflow;
        if w.kind != TRIGGER_TYPE {
            reasons.push((
                k.clone(),
                "WRONG_TYPE",
                format!("Workflow \"{k}\" is not a custom action workflow"),
            ));
            continue;
        }
        match form {
            Form::Global => {
                if w.context_type() != ContextType::Global {
                    let c = w.collection().unwrap_or("");
                    reasons.push((
                        k.clone(),
                        "RECORD_CONTEXT",
                        format!("Workflow \"{k}\" is bound to a collection; trigger it with {c}:trigger"),
                    ));
                    continue;
                }
            }
            Form::Record { coll, .. } => {
                if w.context_type() == ContextType::Global {
                    reasons.push((
                        k.clone(),
                        "GLOBAL_CONTEXT",
                        format!("Workflow \"{k}\" has a global context; trigger it with workflows:trigger"),
                    ));
                    continue;
                }
                let expected = path
                    .as_ref()
                    .map(|p| p.target.name.clone())
                    .unwrap_or_else(|| coll.name.clone());
                let bound = w.collection().unwrap_or("");
                if !bound.eq_ignore_ascii_case(&expected) {
                    reasons.push((
                        k.clone(),
                        "OTHER_COLLECTION",
                        format!("Workflow \"{k}\" is bound to collection \"{bound}\", not \"{expected}\""),
                    ));
                    continue;
                }
            }
        }
        matched.push(Matched { flow, path });
    }
    ctx.app.metrics.trigger_not_matched(reasons.len() as u64);
    if matched.is_empty() {
        let entries = reasons
            .into_iter()
            .map(|(key, reason, msg)| Entry::new(msg).with("key", key).with("reason", reason))
            .collect();
        return Err(Error::many(Code::WorkflowNotMatched, entries));
    }
    for (key, reason, _) in &reasons {
        tracing::warn!(key = %key, reason = %reason, "trigger key skipped");
    }
    let skipped = reasons
        .into_iter()
        .map(|(key, reason, _)| json!({ "key": key, "reason": reason }))
        .collect();
    Ok((matched, skipped))
}
