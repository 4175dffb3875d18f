//! output: sets the execution's `output` (the last one wins).

use serde_json::Value;

use super::{Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::Node;

pub struct Output;

impl Instruction for Output {
    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let v = p.render(node.config.get("value").unwrap_or(&Value::Null));
        p.set_output(v.clone());
        Step::resolved(v)
    }
}
