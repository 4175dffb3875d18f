//! delay (async workflows only): the job stays PENDING for `duration × unit` ms, then takes
//! `endStatus` and the run continues (1) or fails (-1). The queue's timer resumes it, also after a restart.

use serde_json::{json, Value};

use super::{invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct Delay;

const UNITS: [i64; 6] = [1, 1000, 60_000, 3_600_000, 86_400_000, 604_800_000];

/// The status the delay ends with.
pub fn end_status(config: &Value) -> i64 {
    if config.get("endStatus").and_then(Value::as_i64) == Some(-1) {
        status::FAILED
    } else {
        status::RESOLVED
    }
}

impl Instruction for Delay {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        let mut out = Vec::new();
        if !config.get("endStatus").and_then(Value::as_i64).is_some_and(|s| s == 1 || s == -1) {
            out.push(invalid("endStatus", "\"endStatus\" must be one of [1, -1]"));
        }
        if let Some(u) = config.get("unit") {
            if !u.as_i64().is_some_and(|u| UNITS.contains(&u)) {
                out.push(invalid("unit", "\"unit\" must be one of [1, 1000, 60000, 3600000, 86400000, 604800000]"));
            }
        }
        out
    }

    fn run(&self, p: &mut Processor, node: &Node, job: usize, _resume: Option<(Value, i64)>) -> Step {
        let duration = p.render(node.config.get("duration").unwrap_or(&json!(1)));
        let duration = match &duration {
            Value::Number(n) => n.as_f64().unwrap_or(0.0),
            Value::String(s) => s.trim().parse::<f64>().unwrap_or(0.0),
            Value::Null => 1.0,
            _ => 0.0,
        };
        let unit = node.config.get("unit").and_then(Value::as_i64).unwrap_or(1000);
        let ms = (duration * unit as f64).max(0.0) as i64;
        let due = p.jobs[job].created_ms + ms;
        Step::Pending { result: json!(ms), due_ms: due }
    }
}
