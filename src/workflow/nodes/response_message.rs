//! response-message: in a sync run of an HTTP trigger, adds its message to the response's `messages`.

use serde::Deserialize;
use serde_json::Value;

use super::{Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct ResponseMessage;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResponseMessageConfig {
    /// A template.
    pub message: Value,
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Instruction for ResponseMessage {
    type Config = ResponseMessageConfig;

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &ResponseMessageConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let message = text(&p.render(&config.message));
        p.push_message(message.clone());
        Step::resolved(Value::String(message))
    }
}
