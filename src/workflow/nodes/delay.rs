//! delay (async workflows only): the job stays PENDING for `duration × unit` ms, then takes
//! `endStatus` and the run continues (1) or fails (-1). The queue's timer resumes it, also after a restart.
//! In a dry run (`workflow::dry_run`) the delay is skipped: it ends at once with `endStatus`.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{EndStatus, Field, Instruction, Step, END_STATUS_MESSAGE};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Delay;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DelayConfig {
    /// A template; 1 when absent or `null`.
    pub duration: Value,
    pub unit: Field<Unit>,
    /// Required.
    pub end_status: Field<EndStatus>,
}

/// A unit's length in ms (1000 when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct Unit(i64);

const UNITS: [i64; 6] = [1, 1000, 60_000, 3_600_000, 86_400_000, 604_800_000];

impl TryFrom<i64> for Unit {
    type Error = String;
    fn try_from(ms: i64) -> Result<Unit, String> {
        UNITS
            .contains(&ms)
            .then_some(Unit(ms))
            .ok_or_else(|| format!("{ms} is not a delay unit"))
    }
}

/// The status the delay ends with.
pub fn end_status(config: &DelayConfig) -> JobStatus {
    config
        .end_status
        .get()
        .copied()
        .map_or(JobStatus::Resolved, JobStatus::from)
}

fn duration_number(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse::<f64>().unwrap_or(0.0),
        Value::Null => 1.0,
        _ => 0.0,
    }
}

impl Instruction for Delay {
    type Config = DelayConfig;

    fn waits(&self) -> bool {
        true
    }

    fn check(&self, config: &DelayConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        config
            .end_status
            .require("endStatus", END_STATUS_MESSAGE, &mut out);
        config.unit.check(
            "unit",
            "\"unit\" must be one of [1, 1000, 60000, 3600000, 86400000, 604800000]",
            &mut out,
        );
        out
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &DelayConfig,
        job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let duration = duration_number(&p.render(&config.duration));
        let unit = config.unit.get().map_or(1000, |u| u.0);
        let ms = (duration * unit as f64).max(0.0) as i64;
        if p.app.dry_run.is_some() {
            // A dry run does not wait: the delay is over at once and ends as configured.
            return Step::with_status(end_status(config), json!(ms));
        }
        let due = p.jobs[job].created_ms + ms;
        Step::Pending {
            result: json!(ms),
            due_ms: due,
        }
    }
}
