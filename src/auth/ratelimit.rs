//! The in-memory sign-in rate limit (auth.md §5): a 15-minute sliding window of failures per account and
//! per client IP.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const PER_ACCOUNT: usize = 5;
const PER_IP: usize = 20;
/// Above this many tracked keys, empty windows are swept so a spray of names cannot grow memory forever.
const SWEEP_AT: usize = 10_000;

#[derive(Default)]
pub struct RateLimiter {
    inner: Mutex<Windows>,
}

#[derive(Default)]
struct Windows {
    accounts: HashMap<String, VecDeque<Instant>>,
    ips: HashMap<IpAddr, VecDeque<Instant>>,
}

fn prune(q: &mut VecDeque<Instant>, now: Instant) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
        q.pop_front();
    }
}

/// Seconds until the oldest failure leaves the window, if the window is full.
fn blocked(q: Option<&mut VecDeque<Instant>>, limit: usize, now: Instant) -> Option<u64> {
    let q = q?;
    prune(q, now);
    if q.len() < limit {
        return None;
    }
    let oldest = q[q.len() - limit];
    Some(
        (WINDOW.saturating_sub(now.duration_since(oldest)))
            .as_secs()
            .max(1),
    )
}

/// A password check under way. It counts as a failure from the moment it begins, so parallel guesses
/// see each other (checked and recorded under one lock); [`RateLimiter::succeed`] takes it back.
#[derive(Debug)]
#[must_use = "an attempt counts as failed unless it is passed to succeed"]
pub struct Attempt {
    account: String,
    ip: Option<IpAddr>,
    at: Instant,
}

/// Whose failures count together: the user when the account is known (its username and email are one
/// account), else the name as typed, case-folded.
pub fn account_key(user_id: Option<i64>, typed: &str) -> String {
    match user_id {
        Some(id) => format!("user:{id}"),
        None => format!("name:{}", typed.to_lowercase()),
    }
}

impl RateLimiter {
    /// Begins a password check for `account` (an [`account_key`]) from `ip`: `Err(retry_after_seconds)`
    /// while the account or the IP is over its limit, else the attempt, already counted.
    pub fn begin(&self, account: &str, ip: Option<IpAddr>) -> Result<Attempt, u64> {
        let now = Instant::now();
        let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let by_account = blocked(w.accounts.get_mut(account), PER_ACCOUNT, now);
        let by_ip = ip.and_then(|ip| blocked(w.ips.get_mut(&ip), PER_IP, now));
        if let Some(secs) = by_account.max(by_ip) {
            return Err(secs);
        }
        if w.accounts.len() + w.ips.len() > SWEEP_AT {
            w.accounts.retain(|_, q| {
                prune(q, now);
                !q.is_empty()
            });
            w.ips.retain(|_, q| {
                prune(q, now);
                !q.is_empty()
            });
        }
        w.accounts
            .entry(account.to_string())
            .or_default()
            .push_back(now);
        if let Some(ip) = ip {
            w.ips.entry(ip).or_default().push_back(now);
        }
        Ok(Attempt {
            account: account.to_string(),
            ip,
            at: now,
        })
    }

    /// The attempt was right: the account's failures are cleared, and the attempt leaves the IP's window.
    pub fn succeed(&self, attempt: Attempt) {
        let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        w.accounts.remove(&attempt.account);
        if let Some(q) = attempt.ip.and_then(|ip| w.ips.get_mut(&ip)) {
            if let Some(i) = q.iter().position(|t| *t == attempt.at) {
                q.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_and_ip_limits() {
        let l = RateLimiter::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..5 {
            let _failed = l.begin("user:1", Some(ip)).expect("under the limit");
        }
        assert!(l.begin("user:1", Some(ip)).unwrap_err() > 0);
        let ok = l.begin("name:other", Some(ip)).expect("another account");
        l.succeed(ok);
        for i in 0..15 {
            let _failed = l.begin(&format!("name:u{i}"), Some(ip));
        }
        assert!(
            l.begin("name:fresh", Some(ip)).is_err(),
            "20 failures from the IP"
        );
        // A success clears the account's failures and does not count against the IP.
        let l = RateLimiter::default();
        for _ in 0..4 {
            let _failed = l.begin("user:1", Some(ip)).expect("under the limit");
        }
        let ok = l.begin("user:1", Some(ip)).expect("the fifth try");
        l.succeed(ok);
        assert!(l.begin("user:1", None).is_ok());
        assert_eq!(l.inner.lock().unwrap().ips[&ip].len(), 4);
    }

    /// Attempts are counted when they begin: of many at once, exactly the limit get through.
    #[test]
    fn parallel_attempts_are_counted_before_they_finish() {
        let l = std::sync::Arc::new(RateLimiter::default());
        let started: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..40)
                .map(|_| s.spawn(|| l.begin("user:7", None).map(std::mem::forget).is_ok()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(started.iter().filter(|b| **b).count(), PER_ACCOUNT);
    }

    #[test]
    fn username_and_email_of_one_user_share_a_key() {
        assert_eq!(
            account_key(Some(3), "Admin"),
            account_key(Some(3), "admin@x.local")
        );
        assert_eq!(account_key(None, "Admin"), "name:admin");
    }
}
