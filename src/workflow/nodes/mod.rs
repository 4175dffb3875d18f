//! Node types. Each type is one file implementing [`Instruction`] plus one line in [`get`].
//!
//! Architecture invariant: adding a node type touches only this folder.

mod calculation;
mod collection_ops;
mod condition;
mod delay;
mod end;
mod loops;
mod multi_conditions;
mod output;
mod parallel;
mod request;
mod response_message;
mod variable;

pub use delay::end_status as delay_end_status;

use serde_json::{json, Value};

use super::engine::Processor;
use super::model::Node;
use crate::collections::Schema;
use crate::error::Entry;

/// What one step of a node's run decided.
pub enum Step {
    /// The job is finished with this status and result.
    Done { status: i64, result: Value, meta: Option<Value> },
    /// Run branch `index`, then call `run` again with `resume = (state, branch status)`.
    Branch { index: i64, state: Value },
    /// Leave the job PENDING until `due_ms` (delay).
    Pending { result: Value, due_ms: i64 },
}

impl Step {
    pub fn resolved(result: Value) -> Step {
        Step::Done { status: super::model::status::RESOLVED, result, meta: None }
    }
    pub fn with_status(status: i64, result: Value) -> Step {
        Step::Done { status, result, meta: None }
    }
    /// A thrown error: job ERROR with `{"message": …}`.
    pub fn error(msg: impl Into<String>) -> Step {
        Step::Done { status: super::model::status::ERROR, result: json!({ "message": msg.into() }), meta: None }
    }
    /// An expression error: job ERROR with the message as a string result (workflows.md §6).
    pub fn error_text(msg: impl Into<String>) -> Step {
        Step::Done { status: super::model::status::ERROR, result: Value::String(msg.into()), meta: None }
    }
}

pub trait Instruction: Sync {
    /// `INVALID_NODE_CONFIG` entries (with `field`) for a config; empty when valid.
    fn validate(&self, _config: &Value, _schema: &Schema) -> Vec<Entry> {
        Vec::new()
    }

    /// Whether this node may have a branch with `index`.
    fn has_branch(&self, _config: &Value, _index: i64) -> bool {
        false
    }

    /// Runs (or, with `resume`, continues after a branch) the node whose job is `job`.
    fn run(&self, p: &mut Processor, node: &Node, job: usize, resume: Option<(Value, i64)>) -> Step;
}

/// The registry of node types.
pub fn get(kind: &str) -> Option<&'static dyn Instruction> {
    Some(match kind {
        "condition" => &condition::Condition,
        "multi-conditions" => &multi_conditions::MultiConditions,
        "calculation" => &calculation::Calculation,
        "query" => &collection_ops::Query,
        "create" => &collection_ops::Create,
        "update" => &collection_ops::Update,
        "destroy" => &collection_ops::Destroy,
        "end" => &end::End,
        "response-message" => &response_message::ResponseMessage,
        "output" => &output::Output,
        "variable" => &variable::Variable,
        "loop" => &loops::Loop,
        "parallel" => &parallel::Parallel,
        "request" => &request::Request,
        "delay" => &delay::Delay,
        _ => return None,
    })
}

/// One `INVALID_NODE_CONFIG` entry.
pub fn invalid(field: &str, message: impl Into<String>) -> Entry {
    Entry::new(message).with("field", field)
}

/// Shared by condition, multi-conditions and loop: evaluates `{engine, calculation, expression}`.
pub fn evaluate_condition(p: &Processor, config: &Value) -> Result<bool, String> {
    let engine = config.get("engine").and_then(Value::as_str).unwrap_or("basic");
    if engine == "basic" {
        let calc = config.get("calculation").cloned().unwrap_or(Value::Null);
        return super::basic::evaluate_calculation(&calc, &|path: &str| p.lookup(path));
    }
    let source = config.get("expression").and_then(Value::as_str).unwrap_or("");
    p.evaluate(engine, source).map(|v| super::compare::truthy(&v))
}

pub fn check_engine(config: &Value, allowed: &[&str], out: &mut Vec<Entry>) {
    if let Some(e) = config.get("engine") {
        if !e.as_str().is_some_and(|e| allowed.contains(&e)) {
            out.push(invalid("engine", format!("\"engine\" must be one of [{}]", allowed.join(", "))));
        }
    }
}
