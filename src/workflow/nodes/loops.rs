//! loop: runs branch 0 once per item of `target` (a count, an array, or one value), with
//! `$scopes.<key>` = {item, index, sequence, length}; an optional condition before or after each item.

use serde_json::{json, Value};

use super::{evaluate_condition, invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct Loop;

/// Exit modes of a failed branch.
const EXIT_FAIL: i64 = 0;
const EXIT_BREAK: i64 = 1;

fn items(target: Value, limit: usize) -> Result<Vec<Value>, String> {
    let items = match target {
        Value::Null => Vec::new(),
        Value::Number(n) => {
            let count = n.as_f64().unwrap_or(0.0);
            if count < 0.0 {
                return Err("Loop target in number type must be greater than 0".into());
            }
            let count = count.floor() as u64;
            if count as usize > limit {
                return Err(format!("Loop target exceeds the limit of {limit} items"));
            }
            (0..count).map(|i| json!(i)).collect()
        }
        Value::Array(a) => a,
        other => vec![other],
    };
    if items.len() > limit {
        return Err(format!("Loop target exceeds the limit of {limit} items"));
    }
    Ok(items)
}

/// The loop's condition config, if it has one (`false` or absent = none).
fn condition(config: &Value) -> Option<&Value> {
    config.get("condition").filter(|c| c.is_object())
}

fn scope(items: &[Value], index: usize) -> Value {
    json!({ "item": items[index], "index": index, "sequence": index + 1, "length": items.len() })
}

impl Instruction for Loop {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        let mut out = Vec::new();
        if config.get("target").is_none_or(Value::is_null) {
            out.push(invalid("target", "\"target\" is required"));
        }
        if let Some(e) = config.get("exit") {
            if !e.as_i64().is_some_and(|e| (0..=2).contains(&e)) {
                out.push(invalid("exit", "\"exit\" must be one of [0, 1, 2]"));
            }
        }
        if let Some(c) = condition(config) {
            if let Some(cp) = c.get("checkpoint") {
                if !cp.as_i64().is_some_and(|c| c == 0 || c == 1) {
                    out.push(invalid("condition.checkpoint", "\"checkpoint\" must be one of [0, 1]"));
                }
            }
        }
        out
    }

    fn has_branch(&self, _config: &Value, index: i64) -> bool {
        index == 0
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, resume: Option<(Value, i64)>) -> Step {
        let cond = condition(&node.config).cloned();
        let checkpoint = cond.as_ref().and_then(|c| c.get("checkpoint")).and_then(Value::as_i64).unwrap_or(0);
        let continue_on_false = cond.as_ref().and_then(|c| c.get("continueOnFalse")).and_then(Value::as_bool).unwrap_or(false);
        let exit = node.config.get("exit").and_then(Value::as_i64).unwrap_or(EXIT_FAIL);

        let (list, mut index, mut looped) = match resume {
            None => {
                let target = p.render(node.config.get("target").unwrap_or(&Value::Null));
                match items(target, p.app.config.loop_limit) {
                    Ok(list) => (list, 0usize, 0u64),
                    Err(e) => return Step::error(e),
                }
            }
            Some((state, branch_status)) => {
                let list = state.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
                let index = state.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
                let looped = state.get("looped").and_then(Value::as_u64).unwrap_or(0) + 1;
                if branch_status != status::RESOLVED {
                    match exit {
                        EXIT_FAIL => {
                            p.clear_scope(node);
                            return Step::with_status(branch_status, json!({ "looped": looped }));
                        }
                        EXIT_BREAK => {
                            p.clear_scope(node);
                            return Step::resolved(json!({ "looped": looped, "broken": true }));
                        }
                        _ => {}
                    }
                }
                if checkpoint == 1 {
                    if let Some(c) = &cond {
                        match evaluate_condition(p, c) {
                            Ok(true) => {}
                            Ok(false) if continue_on_false => {}
                            Ok(false) => {
                                p.clear_scope(node);
                                return Step::resolved(json!({ "looped": looped, "broken": true }));
                            }
                            Err(e) => return Step::error_text(e),
                        }
                    }
                }
                (list, index + 1, looped)
            }
        };
        let has_body = p.flow.branch_head(node.id, 0).is_some();
        while index < list.len() {
            p.set_scope(node, scope(&list, index));
            if checkpoint == 0 {
                if let Some(c) = &cond {
                    match evaluate_condition(p, c) {
                        Ok(true) => {}
                        Ok(false) if continue_on_false => {
                            index += 1;
                            continue;
                        }
                        Ok(false) => {
                            p.clear_scope(node);
                            return Step::resolved(json!({ "looped": looped, "broken": true }));
                        }
                        Err(e) => return Step::error_text(e),
                    }
                }
            }
            if has_body {
                let state = json!({ "items": list, "index": index, "looped": looped, "scope": scope(&list, index) });
                return Step::Branch { index: 0, state };
            }
            looped += 1;
            index += 1;
        }
        p.clear_scope(node);
        Step::resolved(json!({ "looped": looped }))
    }
}
