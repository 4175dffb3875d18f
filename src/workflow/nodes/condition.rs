//! condition: evaluates a calculation or expression; false with `rejectOnFalse` fails the run, else
//! branch 1 (true) or 0 (false) runs if present.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{evaluate_condition, Field, Instruction, Step, Test};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Condition;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConditionConfig {
    /// Required (a boolean).
    pub reject_on_false: Field<bool>,
    #[serde(flatten)]
    pub test: Test,
}

impl Instruction for Condition {
    type Config = ConditionConfig;

    fn check(&self, config: &ConditionConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        config
            .reject_on_false
            .require("rejectOnFalse", "\"rejectOnFalse\" is required", &mut out);
        config
            .test
            .check_engine(&["basic", "math.js", "formula.js"], &mut out);
        out
    }

    /// With a math.js or formula.js engine, on create/update only: an expression every run of which
    /// fails (see calculation).
    fn check_schema(&self, config: &ConditionConfig, _schema: &Schema) -> Vec<Entry> {
        match config.test.engine.get().map(String::as_str) {
            Some(engine @ ("math.js" | "formula.js")) => {
                super::calculation::doomed_expression(engine, &config.test.expression)
            }
            _ => Vec::new(),
        }
    }

    fn has_branch(&self, _config: &ConditionConfig, index: i64) -> bool {
        index == 0 || index == 1
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &ConditionConfig,
        _job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step {
        if let Some((state, branch_status)) = resume {
            // The branch decides the condition job's status (a failed branch fails the run).
            let result = state.get("result").cloned().unwrap_or(Value::Null);
            return Step::with_status(branch_status, result);
        }
        let result = match evaluate_condition(p, &config.test) {
            Ok(r) => r,
            Err(e) => return Step::error_text(e),
        };
        let reject = config.reject_on_false.get().copied().unwrap_or(true);
        if !result && reject {
            return Step::with_status(JobStatus::Failed, json!(false));
        }
        let index = if result { 1 } else { 0 };
        if p.flow.branch_head(node.id, index).is_some() {
            return Step::Branch {
                index,
                state: json!({ "result": result }),
            };
        }
        Step::resolved(json!(result))
    }

    fn test(&self, config: &ConditionConfig) -> Option<Result<Value, String>> {
        Some(super::test_value(&config.test, &|_| None))
    }
}
