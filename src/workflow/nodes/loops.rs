//! loop: runs branch 0 once per item of `target` (a count, an array, or one value), with
//! `$scopes.<key>` = {item, index, sequence, length}; an optional condition before or after each item.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{evaluate_condition, invalid, lenient, Field, Instruction, Step, Test};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{coded_enum, JobStatus, Node};

pub struct Loop;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoopConfig {
    /// A template; required (not `null`).
    pub target: Value,
    /// `false`, absent or anything but an object = none.
    pub condition: Field<LoopCondition>,
    /// Fail when absent.
    pub exit: Field<Exit>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LoopCondition {
    /// Before each item when absent.
    pub checkpoint: Field<Checkpoint>,
    #[serde(deserialize_with = "lenient")]
    pub continue_on_false: bool,
    #[serde(flatten)]
    pub test: Test,
}

coded_enum! {
    /// What a failed branch does to the loop.
    Exit {
        /// The loop fails with the branch's status.
        Fail = 0,
        /// The loop ends RESOLVED, `broken: true`.
        Break = 1,
        /// On to the next item.
        Continue = 2,
    }
}

coded_enum! {
    /// When the condition is tested: before or after each item.
    Checkpoint {
        Before = 0,
        After = 1,
    }
}

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

fn scope(items: &[Value], index: usize) -> Value {
    json!({ "item": items[index], "index": index, "sequence": index + 1, "length": items.len() })
}

impl Instruction for Loop {
    type Config = LoopConfig;

    fn check(&self, config: &LoopConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        if config.target.is_null() {
            out.push(invalid("target", "\"target\" is required"));
        }
        config
            .exit
            .check("exit", "\"exit\" must be one of [0, 1, 2]", &mut out);
        if let Some(c) = config.condition.get() {
            c.checkpoint.check(
                "condition.checkpoint",
                "\"checkpoint\" must be one of [0, 1]",
                &mut out,
            );
        }
        out
    }

    fn has_branch(&self, _config: &LoopConfig, index: i64) -> bool {
        index == 0
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &LoopConfig,
        _job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let cond = config.condition.get();
        let checkpoint = cond
            .and_then(|c| c.checkpoint.get().copied())
            .unwrap_or(Checkpoint::Before);
        let continue_on_false = cond.is_some_and(|c| c.continue_on_false);
        let exit = config.exit.get().copied().unwrap_or(Exit::Fail);

        let (list, mut index, mut looped) = match resume {
            None => {
                let target = p.render(&config.target);
                match items(target, p.app.config.loop_limit) {
                    Ok(list) => (list, 0usize, 0u64),
                    Err(e) => return Step::error(e),
                }
            }
            Some((state, branch_status)) => {
                let list = state
                    .get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let index = state.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
                let looped = state.get("looped").and_then(Value::as_u64).unwrap_or(0) + 1;
                if branch_status != JobStatus::Resolved {
                    match exit {
                        Exit::Fail => {
                            p.clear_scope(node);
                            return Step::with_status(branch_status, json!({ "looped": looped }));
                        }
                        Exit::Break => {
                            p.clear_scope(node);
                            return Step::resolved(json!({ "looped": looped, "broken": true }));
                        }
                        Exit::Continue => {}
                    }
                }
                if checkpoint == Checkpoint::After {
                    if let Some(c) = cond {
                        match evaluate_condition(p, &c.test) {
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
            if checkpoint == Checkpoint::Before {
                if let Some(c) = cond {
                    match evaluate_condition(p, &c.test) {
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
