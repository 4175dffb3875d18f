//! `flow_nodes:test` (NocoBase's `actions/nodes.ts` `test`): one node's config run on its own, with no
//! variables and no store, so a form can show what an expression gives before the node is saved.

use serde_json::{json, Value};

use super::api::parse_node;
use super::model::JobStatus;
use crate::action::Ctx;
use crate::error::{bad, invalid_value, Code, Result};
use crate::reply::Reply;

/// `flow_nodes:test` `{type, config}` → `{"data": {"result", "status"}}`: status 1 with the value, or
/// -2 with the error text a run's job would hold. Only types with a test (calculation, condition).
pub fn test_node(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let kind = values
        .get("type")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad(Code::NodeTypeRequired, "Node type is required"))?;
    let config = values
        .get("config")
        .filter(|c| !c.is_null())
        .cloned()
        .unwrap_or(json!({}));
    let typed = parse_node(kind, &config)?;
    let outcome = typed.test().ok_or_else(|| {
        invalid_value(format!(
            "test method of instruction \"{kind}\" not implemented: only calculation and condition nodes can be tested"
        ))
    })?;
    let (result, status) = match outcome {
        Ok(v) => (v, JobStatus::Resolved),
        Err(text) => (Value::String(text), JobStatus::Error),
    };
    Ok(Reply::data(json!({ "result": result, "status": status })))
}
