//! parallel: runs its branches in branchIndex order, one after another, combined by `mode`
//! (all, any, race, allSettled). Result: each branch's status (null = not run).

use serde::Deserialize;
use serde_json::{json, Value};

use super::{Field, Instruction, Step};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Parallel;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ParallelConfig {
    /// `all` when absent or `null`.
    pub mode: Field<Option<Mode>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// Stop at the first failed branch, failing with its status.
    All,
    /// Stop at the first resolved branch; all failed → FAILED.
    Any,
    /// The first finished branch decides.
    Race,
    /// All run; RESOLVED.
    AllSettled,
}

impl Instruction for Parallel {
    type Config = ParallelConfig;

    fn check(&self, config: &ParallelConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        config.mode.check(
            "mode",
            "\"mode\" must be one of [all, any, race, allSettled]",
            &mut out,
        );
        out
    }

    fn has_branch(&self, _config: &ParallelConfig, index: i64) -> bool {
        index >= 0
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &ParallelConfig,
        _job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let mode = config.mode.get().copied().flatten().unwrap_or(Mode::All);
        let order = p.flow.branch_indexes(node.id);
        let (pos, mut statuses) = match resume {
            None => (0usize, vec![Value::Null; order.len()]),
            Some((state, st)) => {
                let pos = state.get("pos").and_then(Value::as_u64).unwrap_or(0) as usize;
                let mut statuses: Vec<Value> = state
                    .get("statuses")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_else(|| vec![Value::Null; order.len()]);
                if let Some(slot) = statuses.get_mut(pos) {
                    *slot = json!(st);
                }
                let decided = match mode {
                    Mode::All if st != JobStatus::Resolved => Some(st),
                    Mode::Any if st == JobStatus::Resolved => Some(JobStatus::Resolved),
                    Mode::Race => Some(st),
                    _ => None,
                };
                if let Some(d) = decided {
                    return Step::with_status(d, Value::Array(statuses));
                }
                (pos + 1, statuses)
            }
        };
        if pos < order.len() {
            let state = json!({ "pos": pos, "statuses": statuses });
            return Step::Branch {
                index: order[pos],
                state,
            };
        }
        let st = match mode {
            Mode::Any if !order.is_empty() => JobStatus::Failed,
            _ => JobStatus::Resolved,
        };
        statuses.truncate(order.len());
        Step::with_status(st, Value::Array(statuses))
    }
}
