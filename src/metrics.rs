//! The server's counters (issue 16 point 4): plain atomics the request path, the trigger and the engine
//! add to, read only when `GET /metrics` renders them (the HTTP door, `http/metrics.rs`). No lock is taken
//! to count: a request costs four relaxed atomic adds (its status class, its latency bucket, the latency
//! sum, the count), a trigger one per workflow it starts, an execution one when it ends.
//!
//! Labels are bounded so that no caller can grow memory: requests are counted by route (the door's route
//! table, a fixed list, not by collection name or path), triggers by the key of a workflow that matched
//! (a fixed-size table of [`TRIGGER_KEYS`] keys, further keys counted under `(other)`; keys that matched
//! nothing are counted under the empty key), executions by status.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds (Prometheus's default set, finer below 5 ms).
pub const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The outcomes a matched trigger key is counted under.
pub const TRIGGER_OUTCOMES: [&str; 3] = ["resolved", "failed", "queued"];
/// How a matched trigger of a workflow ended (an index into [`TRIGGER_OUTCOMES`]).
#[derive(Debug, Clone, Copy)]
pub enum TriggerOutcome {
    /// A sync run that did not fail.
    Resolved = 0,
    /// A sync run that failed.
    Failed = 1,
    /// An async run queued.
    Queued = 2,
}

/// Outcome of keys that matched no workflow (counted under the empty key).
pub const NOT_MATCHED: &str = "not_matched";
/// How many distinct workflow keys get their own trigger series.
pub const TRIGGER_KEYS: usize = 512;
/// The key further workflow keys are counted under once the table is full.
pub const OTHER_KEY: &str = "(other)";

/// Final execution statuses by code, as NocoBase names them.
pub const EXECUTION_STATUSES: [(i64, &str); 6] = [
    (1, "resolved"),
    (-1, "failed"),
    (-2, "error"),
    (-3, "aborted"),
    (-4, "canceled"),
    (-5, "rejected"),
];

#[derive(Default)]
pub struct Metrics {
    requests: OnceLock<Requests>,
    triggers: Keyed,
    not_matched: AtomicU64,
    executions: [AtomicU64; EXECUTION_STATUSES.len()],
}

impl Metrics {
    /// The request table, made on first use with the door's route labels (`labels` is called once).
    pub fn requests(&self, labels: impl FnOnce() -> Vec<(String, String)>) -> &Requests {
        self.requests.get_or_init(|| Requests::new(labels()))
    }

    /// A trigger of workflow `key` that ended as `outcome`.
    pub fn trigger(&self, key: &str, outcome: TriggerOutcome) {
        self.triggers.slot(key).counts[outcome as usize].fetch_add(1, Relaxed);
    }

    /// A run of workflow `key` a trigger started: `Some(failed)` for a run in the request, `None` for one
    /// queued. Every trigger type counts its runs through here.
    pub fn trigger_run(&self, key: &str, ran: Option<bool>) {
        let outcome = match ran {
            None => TriggerOutcome::Queued,
            Some(true) => TriggerOutcome::Failed,
            Some(false) => TriggerOutcome::Resolved,
        };
        self.trigger(key, outcome);
    }

    /// `n` trigger keys that matched no workflow.
    pub fn trigger_not_matched(&self, n: u64) {
        self.not_matched.fetch_add(n, Relaxed);
    }

    /// An execution that reached final status `code`.
    pub fn execution_finished(&self, code: i64) {
        if let Some(i) = EXECUTION_STATUSES.iter().position(|(c, _)| *c == code) {
            self.executions[i].fetch_add(1, Relaxed);
        }
    }

    /// `(key, outcome, count)` of every trigger series with a count, not-matched last.
    pub fn trigger_counts(&self) -> Vec<(String, &'static str, u64)> {
        let mut out = Vec::new();
        for slot in self.triggers.slots.iter().chain([&self.triggers.other]) {
            let Some(key) = slot.key.get() else { continue };
            for (i, outcome) in TRIGGER_OUTCOMES.iter().enumerate() {
                let n = slot.counts[i].load(Relaxed);
                if n > 0 {
                    out.push((key.clone(), *outcome, n));
                }
            }
        }
        out.push((String::new(), NOT_MATCHED, self.not_matched.load(Relaxed)));
        out
    }

    /// `(status, count)` of every final status.
    pub fn execution_counts(&self) -> Vec<(&'static str, u64)> {
        EXECUTION_STATUSES
            .iter()
            .zip(&self.executions)
            .map(|((_, name), n)| (*name, n.load(Relaxed)))
            .collect()
    }
}

/// A latency histogram: one count per bucket (not cumulative: one add per observation), the sum in
/// microseconds and the count.
#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

/// What a render reads of a [`Histogram`].
pub struct HistogramSnapshot {
    /// Cumulative counts for each of [`BUCKETS`], then `+Inf`.
    pub cumulative: Vec<u64>,
    pub sum_seconds: f64,
    pub count: u64,
}

impl Histogram {
    pub fn observe(&self, d: Duration) {
        let s = d.as_secs_f64();
        let i = BUCKETS
            .iter()
            .position(|b| s <= *b)
            .unwrap_or(BUCKETS.len());
        self.buckets[i].fetch_add(1, Relaxed);
        self.sum_micros.fetch_add(d.as_micros() as u64, Relaxed);
        self.count.fetch_add(1, Relaxed);
    }

    pub fn snapshot(&self) -> HistogramSnapshot {
        let mut total = 0;
        let cumulative = self
            .buckets
            .iter()
            .map(|b| {
                total += b.load(Relaxed);
                total
            })
            .collect();
        HistogramSnapshot {
            cumulative,
            sum_seconds: self.sum_micros.load(Relaxed) as f64 / 1e6,
            count: self.count.load(Relaxed),
        }
    }
}

/// Requests by route: the door's fixed list of `(resource, action)` labels, a slot each.
pub struct Requests {
    labels: Vec<(String, String)>,
    slots: Box<[RequestSlot]>,
}

#[derive(Default)]
pub struct RequestSlot {
    /// By status class: 1xx … 5xx.
    by_class: [AtomicU64; 5],
    pub latency: Histogram,
}

impl Requests {
    fn new(labels: Vec<(String, String)>) -> Requests {
        let slots = labels.iter().map(|_| RequestSlot::default()).collect();
        Requests { labels, slots }
    }

    /// Counts one answered request of route `slot` (an index into the door's labels; out of range is
    /// the last slot).
    pub fn observe(&self, slot: usize, status: u16, elapsed: Duration) {
        let Some(s) = self.slots.get(slot).or(self.slots.last()) else {
            return;
        };
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        s.by_class[class].fetch_add(1, Relaxed);
        s.latency.observe(elapsed);
    }

    /// `((resource, action), slot)` of every route that answered at least once.
    pub fn used(&self) -> impl Iterator<Item = (&(String, String), &RequestSlot)> {
        self.labels
            .iter()
            .zip(self.slots.iter())
            .filter(|(_, s)| s.latency.count.load(Relaxed) > 0)
    }
}

impl RequestSlot {
    /// `(class, count)` for the classes with a count: `("2xx", 3)`.
    pub fn classes(&self) -> Vec<(String, u64)> {
        self.by_class
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("{}xx", i + 1), n.load(Relaxed)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Workflow key → trigger counts, lock-free: a fixed open-addressing table whose slots are claimed by a
/// compare-and-swap of the key's hash (0 = free) and then named once.
struct Keyed {
    slots: Box<[KeySlot]>,
    other: KeySlot,
}

#[derive(Default)]
struct KeySlot {
    hash: AtomicU64,
    key: OnceLock<String>,
    counts: [AtomicU64; TRIGGER_OUTCOMES.len()],
}

impl Default for Keyed {
    fn default() -> Keyed {
        let other = KeySlot::default();
        let _ = other.key.set(OTHER_KEY.to_string());
        Keyed {
            slots: (0..TRIGGER_KEYS).map(|_| KeySlot::default()).collect(),
            other,
        }
    }
}

impl Keyed {
    fn slot(&self, key: &str) -> &KeySlot {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        let hash = h.finish().max(1);
        let n = self.slots.len();
        for probe in 0..n {
            let slot = &self.slots[(hash as usize).wrapping_add(probe) % n];
            let found = match slot.hash.compare_exchange(0, hash, Relaxed, Relaxed) {
                Ok(_) => {
                    let _ = slot.key.set(key.to_string());
                    true
                }
                Err(current) => current == hash,
            };
            // Two keys of one 64-bit hash share a slot only if its name is not yet set; a set name
            // that differs moves the probe on.
            if found && slot.key.get().is_none_or(|k| k == key) {
                return slot;
            }
        }
        &self.other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_the_sum_is_in_seconds() {
        let h = Histogram::default();
        for ms in [0, 3, 3, 20, 20_000] {
            h.observe(Duration::from_millis(ms));
        }
        let s = h.snapshot();
        assert_eq!(s.count, 5);
        assert_eq!(s.cumulative.last(), Some(&5));
        assert_eq!(s.cumulative[0], 1); // ≤ 0.5 ms
        assert_eq!(s.cumulative[3], 3); // ≤ 5 ms
        assert_eq!(s.cumulative[BUCKETS.len() - 1], 4); // ≤ 10 s
        assert!((s.sum_seconds - 20.026).abs() < 1e-9);
    }

    #[test]
    fn trigger_keys_get_a_slot_each_until_the_table_is_full() {
        let m = Metrics::default();
        m.trigger("a", TriggerOutcome::Resolved);
        m.trigger("a", TriggerOutcome::Resolved);
        m.trigger("b", TriggerOutcome::Queued);
        for i in 0..TRIGGER_KEYS + 3 {
            m.trigger(&format!("k{i}"), TriggerOutcome::Failed);
        }
        m.trigger_not_matched(1);
        let counts = m.trigger_counts();
        assert!(counts.contains(&("a".into(), "resolved", 2)));
        assert!(counts.contains(&("b".into(), "queued", 1)));
        assert!(counts.contains(&(OTHER_KEY.into(), "failed", 5)));
        assert_eq!(counts.last(), Some(&(String::new(), NOT_MATCHED, 1)));
        assert_eq!(counts.len(), TRIGGER_KEYS + 2);
    }
}
