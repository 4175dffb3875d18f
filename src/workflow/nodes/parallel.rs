//! parallel: runs its branches in branchIndex order, one after another, combined by `mode`
//! (all, any, race, allSettled). Result: each branch's status (null = not run).

use serde_json::{json, Value};

use super::{invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct Parallel;

const MODES: [&str; 4] = ["all", "any", "race", "allSettled"];

impl Instruction for Parallel {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        match config.get("mode") {
            None | Some(Value::Null) => Vec::new(),
            Some(m) if m.as_str().is_some_and(|m| MODES.contains(&m)) => Vec::new(),
            Some(_) => vec![invalid("mode", "\"mode\" must be one of [all, any, race, allSettled]")],
        }
    }

    fn has_branch(&self, _config: &Value, index: i64) -> bool {
        index >= 0
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, resume: Option<(Value, i64)>) -> Step {
        let mode = node.config.get("mode").and_then(Value::as_str).unwrap_or("all").to_string();
        let order = p.flow.branch_indexes(node.id);
        let (pos, mut statuses) = match resume {
            None => (0usize, vec![Value::Null; order.len()]),
            Some((state, st)) => {
                let pos = state.get("pos").and_then(Value::as_u64).unwrap_or(0) as usize;
                let mut statuses: Vec<Value> =
                    state.get("statuses").and_then(Value::as_array).cloned().unwrap_or_else(|| vec![Value::Null; order.len()]);
                if let Some(slot) = statuses.get_mut(pos) {
                    *slot = json!(st);
                }
                let decided = match mode.as_str() {
                    "all" if st != status::RESOLVED => Some(st),
                    "any" if st == status::RESOLVED => Some(status::RESOLVED),
                    "race" => Some(st),
                    _ => None,
                };
                if let Some(d) = decided {
                    return Step::with_status(d, Value::Array(statuses));
                }
                (pos + 1, statuses)
            }
        };
        if pos < order.len() {
            let state = json!({ "pos": pos, "statuses": statuses });
            return Step::Branch { index: order[pos], state };
        }
        let st = match mode.as_str() {
            "any" if !order.is_empty() => status::FAILED,
            _ => status::RESOLVED,
        };
        statuses.truncate(order.len());
        Step::with_status(st, Value::Array(statuses))
    }
}
