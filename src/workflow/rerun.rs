//! `executions:rerun` (issue 16's re-run): a new execution of a finished one, with the same context,
//! on the version it ran (default) or the key's current one (`version=current`), linked to the original
//! by `rerunOf`. The original is never touched.
//!
//! It runs the way the original ran: a run that was inside a request (sync, or a manual run) runs inside
//! this one and answers 200 with its final status; a queued run is queued again and answers 202.
//!
//! NocoBase 2.2.15 has an `executions:rerun` too, for the other case only: it resumes a STARTED
//! execution in place from a node (`values.nodeId`). flowgate does not resume in place; a STARTED or
//! QUEUEING execution is refused with a 400 that says to cancel it first (then re-run it).

use serde_json::{json, Value};

use super::engine;
use super::model::ExecStatus;
use super::repo::{executions, workflows};
use crate::action::Ctx;
use crate::error::{bad, invalid_param, Code, Error, Result};
use crate::reply::Reply;

/// Which version a re-run runs on.
enum Version {
    /// The version the original ran on.
    Ran,
    /// The key's current version.
    Current,
}

fn version(ctx: &Ctx) -> Result<Version> {
    match ctx.input.param_str("version") {
        None | Some("") | Some("ran") => Ok(Version::Ran),
        Some("current") => Ok(Version::Current),
        Some(other) => Err(invalid_param(
            "version",
            &format!("must be \"current\" or absent (the version it ran), not \"{other}\""),
        )),
    }
}

pub fn rerun(ctx: &Ctx) -> Result<Reply> {
    let id = super::api::one_id(ctx)?;
    let which = version(ctx)?;
    let app = ctx.app;
    let original = app
        .store
        .read(|c| executions::get(c, id))?
        .ok_or_else(|| Error::new(Code::ExecutionNotFound, "execution not found"))?;
    if matches!(original.status, None | Some(ExecStatus::Started)) {
        return Err(bad(
            Code::ExecutionNotFinished,
            format!(
                "execution {id} has not finished (status {}): only finished executions can be re-run; cancel it first (executions:cancel), then re-run it",
                original.status.map_or(Value::Null, |s| json!(s.code()))
            ),
        ));
    }
    let version_id = match which {
        Version::Ran => original.workflow_id,
        Version::Current => app
            .store
            .read(|c| workflows::current_of(c, &original.key))?
            .map(|w| w.id)
            .ok_or_else(|| {
                Error::new(
                    Code::WorkflowNotFound,
                    format!("workflow {} has no current version", original.key),
                )
            })?,
    };
    let flow = app.workflows.flow(&app.store, version_id)?.ok_or_else(|| {
        Error::new(
            Code::WorkflowNotFound,
            format!(
                "version {version_id} of workflow {} no longer exists; re-run it on the current version with version=current",
                original.key
            ),
        )
    })?;
    let context = original.context.clone();
    let reply = if original.sync {
        let out =
            engine::run_in_request_linked(app, flow, context, original.manually, false, Some(id))?;
        let mut r = Reply::data(json!({ "execution": {
            "id": out.execution_id, "status": out.status, "rerunOf": id, "workflowId": version_id,
        }}));
        r.status = 200;
        r
    } else {
        let new_id =
            app.write(|c| executions::insert_queued_linked(c, &flow.workflow, &context, Some(id)))?;
        app.queue.notify();
        let mut r = Reply::data(json!({ "execution": {
            "id": new_id, "status": Value::Null, "rerunOf": id, "workflowId": version_id,
        }}));
        r.status = 202;
        r
    };
    // The version's executed count moved (its frozen state and the workflow lists show it).
    app.workflows.invalidate();
    Ok(reply)
}
