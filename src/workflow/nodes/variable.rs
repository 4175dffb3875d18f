//! variable: a value, optionally also recorded as the latest result of another node (`target`).

use serde::Deserialize;
use serde_json::Value;

use super::{lenient, Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Variable;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VariableConfig {
    /// A template.
    pub value: Value,
    /// A node key; `null`, empty or not a string = none.
    #[serde(deserialize_with = "lenient")]
    pub target: Option<String>,
}

impl Instruction for Variable {
    type Config = VariableConfig;

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &VariableConfig,
        job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let v = p.render(&config.value);
        if let Some(target) = config.target.as_deref().filter(|t| !t.is_empty()) {
            let Some(target_node) = p.flow.node_by_key(target).map(|n| n.row.clone()) else {
                return Step::error(format!("target node by key \"{target}\" is not found"));
            };
            p.record_for(&target_node, v.clone(), Some(job));
        }
        Step::resolved(v)
    }
}
