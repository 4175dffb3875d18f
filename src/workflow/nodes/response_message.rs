//! response-message: in a sync run of an HTTP trigger, adds its message to the response's `messages`.

use serde_json::Value;

use super::{Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::Node;

pub struct ResponseMessage;

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Instruction for ResponseMessage {
    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let message = text(&p.render(node.config.get("message").unwrap_or(&Value::Null)));
        p.push_message(message.clone());
        Step::resolved(Value::String(message))
    }
}
