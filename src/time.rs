//! Timestamps: ISO-8601 UTC with milliseconds for JSON, epoch milliseconds for comparisons.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};

/// Milliseconds added to the wall clock by [`test_clock`]; always 0 in `flowgate serve`.
static TEST_CLOCK_OFFSET_MS: AtomicI64 = AtomicI64::new(0);

/// The server's clock: every expiry (tokens, API keys, idempotency records, purges) and every stored
/// timestamp reads it.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis() + TEST_CLOCK_OFFSET_MS.load(Ordering::Relaxed)
}

pub fn now_iso() -> String {
    ms_to_iso(now_ms())
}

/// FOR TESTS ONLY: moves the clock of every server of this process forward, so that tests of expiry need
/// not wait real time. Nothing in the `flowgate` binary calls it, and there is deliberately no flag or
/// variable for it (so `flowgate serve` cannot run on a shifted clock): expiry is tested on in-process
/// servers, whose harness (tests/common, `Builder::clock`) moves it for one test at a time.
#[doc(hidden)]
pub mod test_clock {
    use super::{Ordering, TEST_CLOCK_OFFSET_MS};

    /// Adds `by` to the clock.
    pub fn advance_for_tests_only(by: std::time::Duration) {
        TEST_CLOCK_OFFSET_MS.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }

    /// Back to the wall clock.
    pub fn reset_for_tests_only() {
        TEST_CLOCK_OFFSET_MS.store(0, Ordering::SeqCst);
    }
}

pub fn ms_to_iso(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn iso_to_ms(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// A duration as `parse_duration` reads it: `10s`, `1500ms` (messages naming a configured timeout).
pub fn format_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Parses `<n>ms|s|m|h|d` (operations.md §1).
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid duration \"{s}\": expected <n>ms|s|m|h|d"))?;
    let ms = match unit {
        "ms" => n,
        "s" => n * 1000,
        "m" => n * 60_000,
        "h" => n * 3_600_000,
        "d" => n * 86_400_000,
        _ => return Err(format!("invalid duration \"{s}\": expected <n>ms|s|m|h|d")),
    };
    Ok(std::time::Duration::from_millis(ms))
}
