//! The trigger operations of the description: one per enabled custom-action workflow key (trigger.md),
//! with its collection's fields as the body, sync or async, and the answers that mode can give.

use serde_json::{json, Value};

use super::{responses, schemas, Doc, Need};
use crate::app::App;
use crate::collections::Schema;
use crate::error::{Code, Result};
use crate::workflow::model::{ContextType, Workflow, TRIGGER_TYPE};
use crate::workflow::repo::workflows;

/// The enabled custom-action versions, read now (one per key: only one version of a key is enabled).
pub fn enabled(app: &App) -> Result<Vec<Workflow>> {
    app.store
        .read(|c| workflows::enabled_of_type(c, TRIGGER_TYPE))
}

/// The operations of `flow`'s key the caller may call: on its collection with a record key and
/// without one, or the global `workflows:trigger`.
pub fn add(doc: &mut Doc, flow: &Workflow, schema: &Schema, may: &dyn Fn(Need) -> bool) {
    let bound = flow.collection().filter(|c| !c.is_empty());
    let key = &flow.key;
    let on_records = matches!(
        flow.context_type(),
        ContextType::SingleRecord | ContextType::MultipleRecords
    );
    match (
        on_records,
        bound.and_then(|c| schema.get(c)).filter(|c| !c.builtin),
    ) {
        (true, Some(coll)) => {
            let name = &coll.name;
            let body = schemas::reference(&schemas::values_name(coll));
            if may(Need::Trigger {
                collection: Some(name),
                with_id: true,
            }) {
                let path = format!("/api/{name}:trigger/{{filterByTk}}?triggerWorkflows={key}");
                let op = operation(flow, Some(name), true, body.clone());
                doc.add(path, "post", format!("trigger_{key}"), op);
            }
            if may(Need::Trigger {
                collection: Some(name),
                with_id: false,
            }) {
                let path = format!("/api/{name}:trigger?triggerWorkflows={key}");
                let op = operation(flow, Some(name), false, body);
                doc.add(path, "post", format!("trigger_{key}_new"), op);
            }
        }
        // A record context whose collection is gone (or is `users`, which has no trigger action): nothing
        // can trigger it.
        (true, None) => {}
        _ => {
            if may(Need::Trigger {
                collection: None,
                with_id: false,
            }) {
                let path = format!("/api/workflows:trigger?triggerWorkflows={key}");
                let body = json!({ "type": "object", "description": "The run's `$context.data`." });
                let op = operation(flow, None, false, body);
                doc.add(path, "post", format!("trigger_{key}"), op);
            }
        }
    }
}

/// One trigger operation of `flow`: on `collection` (with the record key in the path or not) or global.
fn operation(flow: &Workflow, collection: Option<&str>, with_id: bool, body: Value) -> Value {
    let key = &flow.key;
    let mode = if flow.sync {
        "Sync: the run completes inside the request; the answer carries its final status, and a failed run answers 500 WORKFLOW_FAILED (WORKFLOW_HANGS when it is still running), an `end` node with failure 400 WORKFLOW_INTERCEPTED with the `response-message` texts."
    } else {
        "Async: the execution is committed as queued before the answer (`status` null); follow it with `executions:get`."
    };
    let form = match (collection, with_id) {
        (Some(c), true) => format!("The record `filterByTk` of \"{c}\" is loaded (with the workflow's appends) and the body's keys laid over it; the result is `$context.data`."),
        (Some(c), false) => format!("Without a record key: the body is `$context.data` as given (a form creating a \"{c}\" record)."),
        _ => "A global workflow: the body is `$context.data`.".to_string(),
    };
    let several = if with_id && flow.context_type() == ContextType::MultipleRecords {
        " Several records: name their keys as `filterByTk[]=1&filterByTk[]=2` in the query instead; `$context.data` is then an array in key order."
    } else {
        ""
    };
    let title = flow.title.as_deref().unwrap_or(key);
    let mut codes = vec![
        Code::InvalidParameter,
        Code::MissingParameter,
        Code::DataSourceNotFound,
        Code::IdempotencyKeyInvalid,
        Code::WorkflowNotMatched,
        Code::IdempotencyKeyConflict,
        Code::IdempotencyKeyInProgress,
        Code::InternalError,
    ];
    codes.extend(schemas::UNAUTHORIZED);
    codes.extend(schemas::BODY);
    if collection.is_some() {
        codes.extend([
            Code::NoPermissions,
            Code::ResourceNotFound,
            Code::RecordNotFound,
        ]);
    }
    if flow.sync {
        codes.extend([
            Code::WorkflowIntercepted,
            Code::WorkflowFailed,
            Code::WorkflowHangs,
        ]);
    }
    let mut params = vec![json!({ "$ref": "#/components/parameters/XRole" })];
    params.push(json!({ "$ref": "#/components/parameters/IdempotencyKey" }));
    params.push(json!({ "$ref": "#/components/parameters/dryRun" }));
    params.push(json!({ "$ref": "#/components/parameters/dryRunStubs" }));
    if with_id {
        params.push(json!({
            "name": "filterByTk", "in": "path", "required": true,
            "description": "The primary key of the record the run starts from.",
            "schema": { "type": "string" }
        }));
    }
    let ok = json!({
        "description": "The executions started (trigger.md §7).",
        "content": { "application/json": { "schema": schemas::reference("TriggerResult") } }
    });
    let mut description = format!("Runs workflow \"{key}\" ({title}). {mode} {form}{several}");
    if let Some(d) = flow.description.as_deref().filter(|d| !d.is_empty()) {
        description = format!("{description}\n\n{d}");
    }
    json!({
        "tags": ["triggers"],
        "summary": format!("trigger {key}"),
        "description": description,
        "x-flowgate-sync": flow.sync,
        "x-flowgate-workflow-key": key,
        "parameters": params,
        "requestBody": { "required": false, "content": { "application/json": { "schema": body } } },
        "responses": responses(ok, &codes),
    })
}
