//! output: sets the execution's `output` (the last one wins).

use serde::Deserialize;
use serde_json::Value;

use super::{Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Output;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OutputConfig {
    /// A template.
    pub value: Value,
}

impl Instruction for Output {
    type Config = OutputConfig;

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &OutputConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let v = p.render(&config.value);
        p.set_output(v.clone());
        Step::resolved(v)
    }
}
