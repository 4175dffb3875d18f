//! variable: a value, optionally also recorded as the latest result of another node (`target`).

use serde_json::Value;

use super::{Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::Node;

pub struct Variable;

impl Instruction for Variable {
    fn run(&self, p: &mut Processor, node: &Node, job: usize, _resume: Option<(Value, i64)>) -> Step {
        let v = p.render(node.config.get("value").unwrap_or(&Value::Null));
        if let Some(target) = node.config.get("target").and_then(Value::as_str).filter(|t| !t.is_empty()) {
            let Some(target_node) = p.flow.node_by_key(target).cloned() else {
                return Step::error(format!("target node by key \"{target}\" is not found"));
            };
            p.record_for(&target_node, v.clone(), Some(job));
        }
        Step::resolved(v)
    }
}
