//! multi-conditions: the first true condition runs branch i+1; no match runs branch 0 if present and
//! fails unless `continueOnNoMatch`.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{evaluate_condition, lenient, Field, Instruction, ObjectOnly, Step, Test};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct MultiConditions;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MultiConditionsConfig {
    /// An array when present; an item that is no object tests as `basic` with no calculation (true).
    pub conditions: Field<Vec<Field<Test>>>,
    #[serde(deserialize_with = "lenient")]
    pub continue_on_no_match: bool,
}

impl MultiConditionsConfig {
    fn tests(&self) -> impl Iterator<Item = &Test> {
        static NONE: Test = Test {
            engine: Field::Absent,
            calculation: Value::Null,
            expression: String::new(),
            _object_only: ObjectOnly {},
        };
        self.conditions
            .get()
            .into_iter()
            .flatten()
            .map(|c| c.get().unwrap_or(&NONE))
    }

    fn count(&self) -> usize {
        self.conditions.get().map_or(0, Vec::len)
    }
}

impl Instruction for MultiConditions {
    type Config = MultiConditionsConfig;

    fn check(&self, config: &MultiConditionsConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        config
            .conditions
            .check("conditions", "\"conditions\" must be an array", &mut out);
        for test in config.tests() {
            test.check_engine(&["basic", "math.js", "formula.js"], &mut out);
        }
        out
    }

    fn has_branch(&self, config: &MultiConditionsConfig, index: i64) -> bool {
        index >= 0 && index <= config.count() as i64
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &MultiConditionsConfig,
        _job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step {
        if let Some((state, branch_status)) = resume {
            let result = state.get("result").cloned().unwrap_or(Value::Null);
            let meta = state.get("meta").cloned();
            let matched = state
                .get("matched")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let st = if branch_status != JobStatus::Resolved {
                branch_status
            } else if !matched && !config.continue_on_no_match {
                JobStatus::Failed
            } else {
                JobStatus::Resolved
            };
            return Step::Done {
                status: st,
                result,
                meta,
            };
        }
        let mut outcomes = Vec::new();
        let mut hit = None;
        for (i, c) in config.tests().enumerate() {
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
                        status: JobStatus::Error,
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
            return Step::Branch {
                index,
                state: json!({ "result": result, "meta": meta, "matched": matched }),
            };
        }
        let st = if matched || config.continue_on_no_match {
            JobStatus::Resolved
        } else {
            JobStatus::Failed
        };
        Step::Done {
            status: st,
            result,
            meta: Some(meta),
        }
    }
}
