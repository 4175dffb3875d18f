//! end: ends the whole execution at once with `endStatus` (1 default, or -1), from branches too.

use serde_json::Value;

use super::{invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct End;

fn end_status(config: &Value) -> Option<i64> {
    match config.get("endStatus") {
        None | Some(Value::Null) => Some(status::RESOLVED),
        Some(v) => v.as_i64().filter(|s| *s == 1 || *s == -1),
    }
}

impl Instruction for End {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        match end_status(config) {
            Some(_) => Vec::new(),
            None => vec![invalid("endStatus", "\"endStatus\" must be one of [1, -1]")],
        }
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let st = end_status(&node.config).unwrap_or(status::RESOLVED);
        p.end(st);
        Step::with_status(st, Value::Null)
    }
}
