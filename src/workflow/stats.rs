//! `executions:stats` (issue 16's pictures): runs per bucket by status and duration percentiles over the
//! last hour or day, overall or for one key (or version), from one read of the executions created in the
//! window. The admin page draws its charts from this answer.
//!
//! Buckets are aligned to multiples of their width since the epoch (the last one holds now), so two
//! calls a few seconds apart agree on the bucket edges. A run counts in the bucket of its `createdAt`;
//! durations are `updatedAt − startedAt` of the window's finished runs (neither QUEUEING nor STARTED).

use serde_json::{json, Map, Value};

use super::api::{kept_count_of, read_filter};
use super::model::ExecStatus;
use super::repo::executions::{self, Timing};
use crate::action::Ctx;
use crate::error::{bad, invalid_param, Code, Result};
use crate::reply::Reply;
use crate::time::{iso_to_ms, ms_to_iso, now_ms};

/// How far past the window's start the newest-first walk keeps reading (see `created_since`).
const SLACK_MS: i64 = 60_000;

/// Every status name a bucket carries (each bucket has all of them, zeros included, so a chart's
/// series all have the same length): QUEUEING, STARTED, then the final statuses as NocoBase names them.
pub const STATUS_NAMES: [&str; 8] = [
    "queueing", "started", "resolved", "failed", "error", "aborted", "canceled", "rejected",
];

fn status_name(s: Option<ExecStatus>) -> &'static str {
    match s {
        None => "queueing",
        Some(ExecStatus::Started) => "started",
        Some(ExecStatus::Resolved) => "resolved",
        Some(ExecStatus::Failed) => "failed",
        Some(ExecStatus::Error) => "error",
        Some(ExecStatus::Aborted) => "aborted",
        Some(ExecStatus::Canceled) => "canceled",
        Some(ExecStatus::Rejected) => "rejected",
    }
}

/// A window: its name, bucket width and bucket count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub name: &'static str,
    pub bucket_seconds: i64,
    pub buckets: usize,
}

pub const HOUR: Window = Window {
    name: "hour",
    bucket_seconds: 60,
    buckets: 60,
};
pub const DAY: Window = Window {
    name: "day",
    bucket_seconds: 900,
    buckets: 96,
};

fn window(ctx: &Ctx) -> Result<Window> {
    match ctx.input.param_str("window") {
        None | Some("") | Some("hour") => Ok(HOUR),
        Some("day") => Ok(DAY),
        Some(other) => Err(invalid_param(
            "window",
            &format!("must be \"hour\" (60 one-minute buckets) or \"day\" (96 buckets of 15 minutes), not \"{other}\""),
        )),
    }
}

impl Window {
    /// The first bucket's start for a window that ends with the bucket holding `now`.
    pub fn start_ms(&self, now: i64) -> i64 {
        let width = self.bucket_seconds * 1000;
        let current = now.div_euclid(width) * width;
        current - width * (self.buckets as i64 - 1)
    }
}

pub fn stats(ctx: &Ctx) -> Result<Reply> {
    let w = window(ctx)?;
    let filter = read_filter(ctx)?;
    let which = kept_count_of(filter.as_ref()).ok_or_else(|| {
        bad(
            Code::InvalidFilter,
            "executions:stats filters by one workflow only: {\"key\": \"<key>\"} or {\"workflowId\": <id>}",
        )
    })?;
    let start = w.start_ms(now_ms());
    let runs = ctx
        .app
        .store
        .read(|c| executions::created_since(c, &which, start, SLACK_MS))?;
    Ok(Reply::data(summary(&w, start, &runs)))
}

/// The answer's `data` for `runs` (all created at `start` or later).
pub fn summary(w: &Window, start: i64, runs: &[Timing]) -> Value {
    let width = w.bucket_seconds * 1000;
    let mut counts = vec![[0u64; STATUS_NAMES.len()]; w.buckets];
    let mut durations = Vec::new();
    for r in runs {
        let Some(created) = iso_to_ms(&r.created_at) else {
            continue;
        };
        let slot = ((created - start).div_euclid(width)).clamp(0, w.buckets as i64 - 1) as usize;
        let name = status_name(r.status);
        let i = STATUS_NAMES.iter().position(|n| *n == name).unwrap_or(0);
        counts[slot][i] += 1;
        if let Some(ms) = duration_ms(r) {
            durations.push(ms);
        }
    }
    let buckets: Vec<Value> = counts
        .iter()
        .enumerate()
        .map(|(b, row)| {
            let mut m = Map::new();
            m.insert("start".into(), json!(ms_to_iso(start + width * b as i64)));
            for (name, n) in STATUS_NAMES.iter().zip(row) {
                m.insert((*name).into(), json!(n));
            }
            Value::Object(m)
        })
        .collect();
    json!({
        "window": w.name,
        "bucketSeconds": w.bucket_seconds,
        "buckets": buckets,
        "durations": percentiles(durations),
    })
}

/// A finished run's duration in ms (`None` for a queued or running one, or one never started).
fn duration_ms(r: &Timing) -> Option<i64> {
    if matches!(r.status, None | Some(ExecStatus::Started)) {
        return None;
    }
    let started = iso_to_ms(r.started_at.as_deref()?)?;
    Some((iso_to_ms(&r.updated_at)? - started).max(0))
}

/// `count`, `p50`, `p90`, `p99` by the nearest-rank method (the smallest value with at least p% of the
/// values at or below it: always a duration that was measured); `null` percentiles when there are none.
pub fn percentiles(mut ms: Vec<i64>) -> Value {
    ms.sort_unstable();
    let rank = |p: usize| -> Value {
        if ms.is_empty() {
            return Value::Null;
        }
        let k = (p * ms.len()).div_ceil(100).max(1);
        json!(ms[k - 1])
    };
    json!({ "count": ms.len(), "p50": rank(50), "p90": rank(90), "p99": rank(99) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=10).map(|i| i * 10).collect();
        assert_eq!(
            percentiles(v),
            json!({"count": 10, "p50": 50, "p90": 90, "p99": 100})
        );
        assert_eq!(
            percentiles(vec![]),
            json!({"count": 0, "p50": null, "p90": null, "p99": null})
        );
        assert_eq!(
            percentiles(vec![7]),
            json!({"count": 1, "p50": 7, "p90": 7, "p99": 7})
        );
    }

    #[test]
    fn buckets_align_to_their_width() {
        // 10:30:15 → the hour window starts at 09:31:00 and its last bucket is 10:30:00.
        let now = iso_to_ms("2026-01-01T10:30:15.000Z").unwrap();
        assert_eq!(ms_to_iso(HOUR.start_ms(now)), "2026-01-01T09:31:00.000Z");
        // 15-minute buckets: 10:30 is a bucket start; 95 buckets earlier is 10:45 the day before.
        assert_eq!(ms_to_iso(DAY.start_ms(now)), "2025-12-31T10:45:00.000Z");
    }
}
