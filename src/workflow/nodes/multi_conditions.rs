//! multi-conditions: the first true condition runs branch i+1; no match runs branch 0 if present and
//! fails unless `continueOnNoMatch`.

use serde_json::{json, Value};

use super::{check_engine, evaluate_condition, invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct MultiConditions;

fn conditions(config: &Value) -> Vec<Value> {
    config.get("conditions").and_then(Value::as_array).cloned().unwrap_or_default()
}

impl Instruction for MultiConditions {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        let mut out = Vec::new();
        match config.get("conditions") {
            None | Some(Value::Array(_)) => {}
            Some(_) => out.push(invalid("conditions", "\"conditions\" must be an array")),
        }
        for c in conditions(config) {
            check_engine(&c, &["basic", "math.js", "formula.js"], &mut out);
        }
        out
    }

    fn has_branch(&self, config: &Value, index: i64) -> bool {
        index >= 0 && index <= conditions(config).len() as i64
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, resume: Option<(Value, i64)>) -> Step {
        if let Some((state, branch_status)) = resume {
            let result = state.get("result").cloned().unwrap_or(Value::Null);
            let meta = state.get("meta").cloned();
            let matched = state.get("matched").and_then(Value::as_bool).unwrap_or(true);
            let continue_on_no_match = node.config.get("continueOnNoMatch").and_then(Value::as_bool).unwrap_or(false);
            let st = if branch_status != status::RESOLVED {
                branch_status
            } else if !matched && !continue_on_no_match {
                status::FAILED
            } else {
                status::RESOLVED
            };
            return Step::Done { status: st, result, meta };
        }
        let mut outcomes = Vec::new();
        let mut hit = None;
        for (i, c) in conditions(&node.config).iter().enumerate() {
            match evaluate_condition(p, c) {
                Ok(r) => {
                    outcomes.push(json!(r));
                    if r {
                        hit = Some(i as i64 + 1);
                        break;
                    }
                }
                Err(e) => {
                    outcomes.push(json!(e));
                    return Step::Done {
                        status: status::ERROR,
                        result: json!(e),
                        meta: Some(json!({ "conditions": outcomes })),
                    };
                }
            }
        }
        let result = outcomes.last().cloned().unwrap_or(Value::Null);
        let meta = json!({ "conditions": outcomes });
        let index = hit.unwrap_or(0);
        let matched = hit.is_some();
        if p.flow.branch_head(node.id, index).is_some() {
            return Step::Branch { index, state: json!({ "result": result, "meta": meta, "matched": matched }) };
        }
        let continue_on_no_match = node.config.get("continueOnNoMatch").and_then(Value::as_bool).unwrap_or(false);
        let st = if matched || continue_on_no_match { status::RESOLVED } else { status::FAILED };
        Step::Done { status: st, result, meta: Some(meta) }
    }
}
