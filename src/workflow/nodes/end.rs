//! end: ends the whole execution at once with `endStatus` (1 default, or -1), from branches too.

use serde::Deserialize;
use serde_json::Value;

use super::{EndStatus, Field, Instruction, Step, END_STATUS_MESSAGE};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct End;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndConfig {
    /// `null` or absent = 1.
    pub end_status: Field<Option<EndStatus>>,
}

impl Instruction for End {
    type Config = EndConfig;

    fn check(&self, config: &EndConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        config
            .end_status
            .check("endStatus", END_STATUS_MESSAGE, &mut out);
        out
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &EndConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let st = config
            .end_status
            .get()
            .copied()
            .flatten()
            .map_or(JobStatus::Resolved, JobStatus::from);
        p.end(st);
        Step::with_status(st, Value::Null)
    }
}
