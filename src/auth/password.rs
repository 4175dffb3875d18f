//! argon2id password hashing (19 MiB, t=2, p=1), at most N hashes at a time.
//!
//! Hashing costs ~20 MiB and tens of milliseconds; the permit count bounds both memory and CPU so a burst
//! of sign-ins cannot starve the server. Callers are on the blocking pool, never the async executor.

use std::sync::{Condvar, Mutex};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

pub const MIN_LEN: usize = 8;

/// The argon2id parameters new hashes get (verification reads them from the stored hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// auth.md: 19 MiB, t=2, p=1. What `flowgate` always uses.
    Spec,
    /// FOR TESTS ONLY: 8 KiB, t=1 — a hash in microseconds, for the in-process test servers (tests/common).
    /// No flag or variable selects it; only code building a `Config` by hand can.
    TestOnlyMinimal,
}

pub struct Hasher {
    cost: Cost,
    permits: Mutex<usize>,
    freed: Condvar,
    /// A hash of a random password, verified against when the account is unknown, so that the answer
    /// takes as long as for a wrong password.
    decoy: std::sync::OnceLock<String>,
    /// Verifications run so far (tests read it: every sign-in costs exactly one).
    verified: std::sync::atomic::AtomicU64,
}

fn argon(cost: Cost) -> Argon2<'static> {
    let (m_kib, t) = match cost {
        Cost::Spec => (19 * 1024, 2),
        Cost::TestOnlyMinimal => (8, 1),
    };
    // The parameters are constants that argon2 accepts; a failure here is a build defect.
    let params = Params::new(m_kib, t, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl Hasher {
    pub fn new(permits: usize) -> Hasher {
        Hasher::with_cost(permits, Cost::Spec)
    }

    pub fn with_cost(permits: usize, cost: Cost) -> Hasher {
        Hasher {
            cost,
            permits: Mutex::new(permits),
            freed: Condvar::new(),
            decoy: std::sync::OnceLock::new(),
            verified: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn with_permit<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut n = self.permits.lock().unwrap_or_else(|p| p.into_inner());
            while *n == 0 {
                n = self.freed.wait(n).unwrap_or_else(|p| p.into_inner());
            }
            *n -= 1;
        }
        let out = f();
        *self.permits.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.freed.notify_one();
        out
    }

    pub fn hash(&self, password: &str) -> Result<String> {
        let salt_bytes: [u8; 16] = rand::random();
        let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| Error::internal(format!("salt: {e}")))?;
        self.with_permit(|| {
            argon(self.cost)
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| Error::internal(format!("argon2: {e}")))
        })
    }

    pub fn verify(&self, password: &str, phc: &str) -> bool {
        self.verified.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Ok(parsed) = PasswordHash::new(phc) else { return false };
        self.with_permit(|| argon(self.cost).verify_password(password.as_bytes(), &parsed).is_ok())
    }

    /// How many verifications ran (decoys included).
    pub fn verifications(&self) -> u64 {
        self.verified.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Spends the time of one verification without an account to check; always `false`.
    pub fn verify_decoy(&self, password: &str) -> bool {
        let decoy = self.decoy.get_or_init(|| self.hash(&random_password(20)).unwrap_or_default());
        let _ = self.verify(password, decoy);
        false
    }
}

/// `n` random characters of `[A-Za-z0-9]` (generated root and CLI passwords).
pub fn random_password(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rngs::OsRng;
    (0..n).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect()
}

pub fn check_length(password: &str) -> Result<()> {
    if password.chars().count() < MIN_LEN {
        return Err(crate::error::invalid_value("Password must be at least 8 characters"));
    }
    Ok(())
}
