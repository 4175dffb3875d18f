//! calculation: evaluates an expression with math.js / formula.js (one evaluator) or the string engine.

use serde_json::Value;

use super::{check_engine, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::Node;

pub struct Calculation;

impl Instruction for Calculation {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        let mut out = Vec::new();
        check_engine(config, &["math.js", "formula.js", "string"], &mut out);
        out
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let engine = node.config.get("engine").and_then(Value::as_str).unwrap_or("math.js");
        let source = node.config.get("expression").and_then(Value::as_str).unwrap_or("");
        match p.evaluate(engine, source) {
            Ok(v) => Step::resolved(v),
            Err(e) => Step::error_text(e),
        }
    }
}
