//! condition: evaluates a calculation or expression; false with `rejectOnFalse` fails the run, else
//! branch 1 (true) or 0 (false) runs if present.

use serde_json::{json, Value};

use super::{check_engine, evaluate_condition, invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct Condition;

impl Instruction for Condition {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        let mut out = Vec::new();
        if !config.get("rejectOnFalse").is_some_and(Value::is_boolean) {
            out.push(invalid("rejectOnFalse", "\"rejectOnFalse\" is required"));
        }
        check_engine(config, &["basic", "math.js", "formula.js"], &mut out);
        out
    }

    fn has_branch(&self, _config: &Value, index: i64) -> bool {
        index == 0 || index == 1
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, resume: Option<(Value, i64)>) -> Step {
        if let Some((state, branch_status)) = resume {
            // The branch decides the condition job's status (a failed branch fails the run).
            let result = state.get("result").cloned().unwrap_or(Value::Null);
            return Step::with_status(branch_status, result);
        }
        let result = match evaluate_condition(p, &node.config) {
            Ok(r) => r,
            Err(e) => return Step::error_text(e),
        };
        let reject = node.config.get("rejectOnFalse").and_then(Value::as_bool).unwrap_or(true);
        if !result && reject {
            return Step::with_status(status::FAILED, json!(false));
        }
        let index = if result { 1 } else { 0 };
        if p.flow.branch_head(node.id, index).is_some() {
            return Step::Branch { index, state: json!({ "result": result }) };
        }
        Step::resolved(json!(result))
    }
}
