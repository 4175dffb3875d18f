//! Retry policies (issue 16's retry): a workflow's `options.retry` runs a failed async execution again
//! from the head, and a `request` node's `retry` calls its URL again inside the job. Both have the same
//! shape: `{attempts, backoff: "fixed"|"exponential", delay, maxDelay, jitter}`.
//!
//! `attempts` counts every attempt, the first included (`attempts: 3` = at most two retries), as BullMQ
//! and Sidekiq-like queues a NocoBase user may know do. `delay` and `maxDelay` are milliseconds; the wait
//! after failed attempt `n` is `delay` (fixed) or `delay × 2^(n−1)` (exponential), at most `maxDelay`,
//! then shortened by a random part of up to `jitter` (0..1; `true` = 1) of itself so that many runs
//! failing together do not come back together.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backoff {
    Fixed,
    Exponential,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub attempts: i64,
    pub backoff: Backoff,
    pub delay_ms: i64,
    pub max_delay_ms: i64,
    pub jitter: f64,
}

/// The bounds a policy must keep, which differ by where it runs.
pub struct Limits {
    pub max_attempts: i64,
    pub max_delay_ms: i64,
}

/// A workflow's `options.retry`: the worker waits on a durable timer, so long waits are fine.
pub const WORKFLOW: Limits = Limits {
    max_attempts: 100,
    max_delay_ms: 7 * 86_400_000,
};

/// A `request` node's `retry`: the job waits in the worker, so waits stay short (longer ones belong to
/// the workflow's `options.retry`).
pub const NODE: Limits = Limits {
    max_attempts: 10,
    max_delay_ms: 60_000,
};

impl Policy {
    /// The policy `v` describes (`None`: absent or null), or the first problem, worded for `field`.
    pub fn parse(
        v: Option<&Value>,
        field: &str,
        limits: &Limits,
    ) -> Result<Option<Policy>, String> {
        let obj = match v {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(o)) => o,
            Some(_) => {
                return Err(format!(
                    "{field} must be an object {{attempts, backoff, delay, maxDelay, jitter}}"
                ))
            }
        };
        let int = |key: &str, default: i64, max: i64| -> Result<i64, String> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(default),
                Some(x) => x
                    .as_i64()
                    .filter(|n| (0..=max).contains(n))
                    .ok_or_else(|| format!("{field}.{key} must be an integer from 0 to {max}")),
            }
        };
        let attempts = match obj.get("attempts") {
            Some(x) => x
                .as_i64()
                .filter(|n| (1..=limits.max_attempts).contains(n))
                .ok_or_else(|| {
                    format!(
                        "{field}.attempts must be an integer from 1 to {} (every attempt, the first included)",
                        limits.max_attempts
                    )
                })?,
            None => return Err(format!("{field}.attempts is required")),
        };
        let backoff = match obj
            .get("backoff")
            .and_then(|b| b.as_str().map(str::to_string))
        {
            None if obj.get("backoff").is_none_or(Value::is_null) => Backoff::Fixed,
            Some(b) if b == "fixed" => Backoff::Fixed,
            Some(b) if b == "exponential" => Backoff::Exponential,
            _ => {
                return Err(format!(
                    "{field}.backoff must be \"fixed\" or \"exponential\""
                ))
            }
        };
        let delay_ms = int("delay", 1000, limits.max_delay_ms)?;
        let max_delay_ms = int("maxDelay", limits.max_delay_ms, limits.max_delay_ms)?;
        let jitter = match obj.get("jitter") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => 0.0,
            Some(Value::Bool(true)) => 1.0,
            Some(x) => x
                .as_f64()
                .filter(|j| (0.0..=1.0).contains(j))
                .ok_or_else(|| {
                    format!("{field}.jitter must be a number from 0 to 1, or a boolean")
                })?,
        };
        Ok(Some(Policy {
            attempts,
            backoff,
            delay_ms,
            max_delay_ms,
            jitter,
        }))
    }

    /// Whether attempt `n` (1 for the first) may be followed by another.
    pub fn allows_after(&self, n: i64) -> bool {
        n < self.attempts
    }

    /// The wait after failed attempt `n` before jitter.
    pub fn base_delay_ms(&self, n: i64) -> i64 {
        let d = match self.backoff {
            Backoff::Fixed => self.delay_ms,
            Backoff::Exponential => {
                let shift = u32::try_from((n - 1).clamp(0, 62)).unwrap_or(62);
                self.delay_ms
                    .saturating_mul(1_i64.checked_shl(shift).unwrap_or(i64::MAX))
            }
        };
        d.min(self.max_delay_ms)
    }

    /// The wait after failed attempt `n`, with `unit` (0..1, random) taking off up to `jitter` of it.
    pub fn delay_ms(&self, n: i64, unit: f64) -> i64 {
        let d = self.base_delay_ms(n);
        d - (d as f64 * self.jitter * unit.clamp(0.0, 1.0)) as i64
    }

    /// [`Policy::delay_ms`] with a random draw.
    pub fn random_delay_ms(&self, n: i64) -> i64 {
        let unit = if self.jitter > 0.0 {
            rand::random::<f64>()
        } else {
            0.0
        };
        self.delay_ms(n, unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<Option<Policy>, String> {
        Policy::parse(Some(&v), "options.retry", &WORKFLOW)
    }

    #[test]
    fn delays_follow_the_backoff_and_stop_at_max_delay() {
        let p = parse(
            json!({"attempts": 5, "backoff": "exponential", "delay": 1000, "maxDelay": 5000}),
        )
        .unwrap()
        .unwrap();
        let waits: Vec<i64> = (1..=4).map(|n| p.delay_ms(n, 0.0)).collect();
        assert_eq!(waits, [1000, 2000, 4000, 5000]);
        assert!(p.allows_after(4) && !p.allows_after(5));
        let fixed = parse(json!({"attempts": 2, "delay": 300}))
            .unwrap()
            .unwrap();
        assert_eq!((fixed.delay_ms(1, 0.0), fixed.delay_ms(7, 0.0)), (300, 300));
        assert_eq!(fixed.backoff, Backoff::Fixed);
    }

    #[test]
    fn jitter_takes_off_at_most_its_share() {
        let p = parse(json!({"attempts": 3, "delay": 1000, "jitter": 0.5}))
            .unwrap()
            .unwrap();
        assert_eq!((p.delay_ms(1, 0.0), p.delay_ms(1, 1.0)), (1000, 500));
        for _ in 0..100 {
            assert!((500..=1000).contains(&p.random_delay_ms(1)));
        }
        let full = parse(json!({"attempts": 3, "delay": 1000, "jitter": true}))
            .unwrap()
            .unwrap();
        assert_eq!(full.delay_ms(1, 1.0), 0);
    }

    #[test]
    fn a_bad_policy_names_its_field() {
        let cases = [
            (json!(3), "options.retry must be an object {attempts, backoff, delay, maxDelay, jitter}"),
            (json!({}), "options.retry.attempts is required"),
            (json!({"attempts": 0}), "options.retry.attempts must be an integer from 1 to 100 (every attempt, the first included)"),
            (json!({"attempts": 2, "backoff": "linear"}), "options.retry.backoff must be \"fixed\" or \"exponential\""),
            (json!({"attempts": 2, "delay": -1}), "options.retry.delay must be an integer from 0 to 604800000"),
            (json!({"attempts": 2, "jitter": 2}), "options.retry.jitter must be a number from 0 to 1, or a boolean"),
        ];
        for (v, msg) in cases {
            assert_eq!(parse(v.clone()).unwrap_err(), msg, "{v}");
        }
        assert_eq!(parse(Value::Null).unwrap(), None);
        let node = Policy::parse(Some(&json!({"attempts": 11})), "retry", &NODE).unwrap_err();
        assert!(
            node.starts_with("retry.attempts must be an integer from 1 to 10"),
            "{node}"
        );
    }
}
