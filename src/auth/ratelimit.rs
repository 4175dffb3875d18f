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
    Some((WINDOW.saturating_sub(now.duration_since(oldest))).as_secs().max(1))
}

impl RateLimiter {
    /// `Err(retry_after_seconds)` while the account or the IP is over its limit.
    pub fn check(&self, account: &str, ip: Option<IpAddr>) -> Result<(), u64> {
        let now = Instant::now();
        let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let by_account = blocked(w.accounts.get_mut(&account.to_lowercase()), PER_ACCOUNT, now);
        let by_ip = ip.and_then(|ip| blocked(w.ips.get_mut(&ip), PER_IP, now));
        match by_account.max(by_ip) {
            Some(secs) => Err(secs),
            None => Ok(()),
        }
    }

    pub fn fail(&self, account: &str, ip: Option<IpAddr>) {
        let now = Instant::now();
        let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
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
        w.accounts.entry(account.to_lowercase()).or_default().push_back(now);
        if let Some(ip) = ip {
            w.ips.entry(ip).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's failures (not the IP's).
    pub fn succeed(&self, account: &str) {
        let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        w.accounts.remove(&account.to_lowercase());
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
            assert!(l.check("admin", Some(ip)).is_ok());
            l.fail("ADMIN", Some(ip));
        }
        assert!(l.check("admin", Some(ip)).unwrap_err() > 0);
        assert!(l.check("other", Some(ip)).is_ok());
        for i in 0..15 {
            l.fail(&format!("u{i}"), Some(ip));
        }
        assert!(l.check("fresh", Some(ip)).is_err());
        l.succeed("admin");
        assert!(l.check("admin", None).is_ok());
    }
}
