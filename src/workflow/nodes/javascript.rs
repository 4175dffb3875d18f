//! script (NocoBase's `@nocobase/plugin-workflow-javascript`, type `script`): runs the node's JavaScript
//! `content` as the body of an async function, its `arguments` (`[{name, value}]`, values templates)
//! as globals, and stores the returned value (awaited) as the job's result.
//!
//! As NocoBase 2.2.15's default QuickJS engine: no `require` (NocoBase allows modules only with
//! `WORKFLOW_SCRIPT_MODULES`, which runs Node's `vm` and is "not a security boundary"; flowgate has no
//! such mode), no `process`, no timers; a thrown error or rejected promise ends the job ERROR with the
//! error's text ("Error: fail") as result, or RESOLVED with that text when `continue` is set. The run is
//! bounded in time (`timeout` in ms, at most `script::MAX_TIME`) and memory (`expr::script`). Console
//! lines go to the log with the execution and node, as NocoBase's go to the workflow's logger.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{invalid, Field, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::expr::script;
use crate::workflow::model::{JobStatus, Node};

pub struct Script;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ScriptConfig {
    /// The script; empty when absent. One that does not compile is refused on create/update.
    pub content: Field<String>,
    /// Milliseconds; absent or not positive = flowgate's cap.
    pub timeout: Field<f64>,
    /// Whether a failed script still resolves its job (with the error's text as result).
    #[serde(rename = "continue")]
    pub keep_going: Field<bool>,
    /// `[{name, value}]`; each value is a template rendered at run time.
    pub arguments: Field<Vec<Value>>,
}

impl Instruction for Script {
    type Config = ScriptConfig;

    fn check(&self, c: &ScriptConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        c.content
            .check("content", "\"content\" must be a string", &mut out);
        c.timeout
            .check("timeout", "\"timeout\" must be a number", &mut out);
        c.keep_going
            .check("continue", "\"continue\" must be a boolean", &mut out);
        c.arguments
            .check("arguments", "\"arguments\" must be an array", &mut out);
        for (i, item) in c.arguments.get().into_iter().flatten().enumerate() {
            let field = format!("arguments[{i}]");
            match item.get("name") {
                _ if !item.is_object() => out.push(invalid(
                    &field,
                    format!("\"{field}\" must be of type object"),
                )),
                None => out.push(invalid(
                    &format!("{field}.name"),
                    format!("\"{field}.name\" is required"),
                )),
                Some(Value::String(_)) => {}
                Some(_) => out.push(invalid(
                    &format!("{field}.name"),
                    format!("\"{field}.name\" must be a string"),
                )),
            }
        }
        out
    }

    /// A script that does not compile fails every run: refused on create/update (a stored one keeps
    /// loading and fails its runs with the syntax error).
    fn check_schema(&self, c: &ScriptConfig, _schema: &Schema) -> Vec<Entry> {
        let source = c.content.get().map_or("", String::as_str);
        script::check(source)
            .map(|e| {
                invalid(
                    "content",
                    format!("The script does not compile: {e}; fix its syntax"),
                )
            })
            .into_iter()
            .collect()
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        c: &ScriptConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let source = c.content.get().map_or("", String::as_str);
        let args = arguments(p, c);
        let outcome = script::run(source, &args, time_limit(c));
        for line in &outcome.logs {
            tracing::info!(execution = p.execution_id, node = node.id, %line, "script console");
        }
        match outcome.result {
            Ok(value) => Step::resolved(value),
            Err(message) => {
                let status = if c.keep_going.get() == Some(&true) {
                    JobStatus::Resolved
                } else {
                    JobStatus::Error
                };
                Step::with_status(status, Value::String(message))
            }
        }
    }
}

/// The rendered arguments as one object, name → value (a missing value is null, as NocoBase's JSON
/// hand-over makes it; a later item wins a repeated name).
fn arguments(p: &Processor, c: &ScriptConfig) -> Value {
    let items = c.arguments.get().cloned().unwrap_or_default();
    let rendered = p.render(&Value::Array(items));
    let mut out = Map::new();
    for item in rendered.as_array().into_iter().flatten() {
        if let Some(name) = item.get("name").and_then(Value::as_str) {
            out.insert(
                name.to_string(),
                item.get("value").cloned().unwrap_or(Value::Null),
            );
        }
    }
    Value::Object(out)
}

/// The node's `timeout`, capped at `script::MAX_TIME`; the cap when absent or not positive.
fn time_limit(c: &ScriptConfig) -> Duration {
    match c.timeout.get() {
        Some(&ms) if ms > 0.0 && ms.is_finite() => {
            Duration::from_secs_f64(ms / 1000.0).min(script::MAX_TIME)
        }
        _ => script::MAX_TIME,
    }
}
