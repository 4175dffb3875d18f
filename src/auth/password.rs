//! argon2id password hashing (19 MiB, t=2, p=1), at most N hashes at a time.
//!
//! Hashing costs ~20 MiB and tens of milliseconds; the permit count bounds both memory and CPU so a burst
//! of sign-ins cannot starve the server. Callers are on the blocking pool, never the async executor.
//!
//! The memory is bounded by design: each permit comes with the hasher's own block buffer, lent to one
//! hash at a time and reused by the next (argon2's `hash_password_into_with_memory`), so a storm of
//! sign-ins holds at most `permits` buffers (2 × 19 MiB) instead of allocating a fresh 19 MiB per
//! verification, which glibc's per-thread arenas kept (64 parallel sign-ins took the process to 6.6 GiB).
//! Once no hash runs and none waits the buffers are released, so an idle server does not keep them.

use std::sync::{Condvar, Mutex};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

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

/// The permits and the block buffers that go with them.
struct Permits {
    free: usize,
    waiting: usize,
    /// Buffers of finished hashes, for the next ones (at most `total` exist at any time).
    buffers: Vec<Vec<Block>>,
}

pub struct Hasher {
    cost: Cost,
    total: usize,
    permits: Mutex<Permits>,
    freed: Condvar,
    /// A hash of a random password, verified against when the account is unknown, so that the answer
    /// takes as long as for a wrong password.
    decoy: std::sync::OnceLock<String>,
    /// Verifications run so far (tests read it: every sign-in costs exactly one).
    verified: std::sync::atomic::AtomicU64,
}

fn params(cost: Cost) -> Params {
    let (m_kib, t) = match cost {
        Cost::Spec => (19 * 1024, 2),
        Cost::TestOnlyMinimal => (8, 1),
    };
    // The parameters are constants that argon2 accepts; a failure here is a build defect.
    Params::new(m_kib, t, 1, None).unwrap_or_default()
}

/// One argon2 computation into `out`, in `blocks` (grown to the parameters' size if smaller; not
/// cleared: argon2 writes every block before it reads it).
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
    blocks: &mut Vec<Block>,
) -> std::result::Result<(), argon2::Error> {
    let need = params.block_count();
    if blocks.len() < need {
        blocks.resize(need, Block::default());
    }
    Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        out,
        &mut blocks[..need],
    )
}

impl Hasher {
    pub fn new(permits: usize) -> Hasher {
        Hasher::with_cost(permits, Cost::Spec)
    }

    pub fn with_cost(permits: usize, cost: Cost) -> Hasher {
        let total = permits.max(1);
        Hasher {
            cost,
            total,
            permits: Mutex::new(Permits {
                free: total,
                waiting: 0,
                buffers: Vec::new(),
            }),
            freed: Condvar::new(),
            decoy: std::sync::OnceLock::new(),
            verified: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Runs `f` under a permit with a block buffer of its own.
    fn with_permit<T>(&self, f: impl FnOnce(&mut Vec<Block>) -> T) -> T {
        let mut buffer = {
            let mut p = self.permits.lock().unwrap_or_else(|p| p.into_inner());
            while p.free == 0 {
                p.waiting += 1;
                p = self.freed.wait(p).unwrap_or_else(|p| p.into_inner());
                p.waiting -= 1;
            }
            p.free -= 1;
            p.buffers.pop().unwrap_or_default()
        };
        let out = f(&mut buffer);
        // The buffers to free: every one once no hash runs or waits, else none (this one is lent again).
        let freed: Option<Vec<Vec<Block>>> = {
            let mut p = self.permits.lock().unwrap_or_else(|p| p.into_inner());
            p.free += 1;
            p.buffers.push(buffer);
            (p.free == self.total && p.waiting == 0).then(|| std::mem::take(&mut p.buffers))
        };
        if let Some(buffers) = freed {
            drop(buffers);
            // Idle: nothing keeps the memory, and the allocator hands it back (glibc keeps freed 19 MiB
            // chunks in each thread's arena otherwise; a fixed M_MMAP_THRESHOLD would do it too, but costs
            // every other allocation: the bench's create and trigger lost ~10%). Outside the lock: a
            // trim walks every arena, and other hashes need not wait for it.
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            // SAFETY: malloc_trim only returns free memory to the system.
            unsafe {
                libc::malloc_trim(0);
            }
        }
        self.freed.notify_one();
        out
    }

    /// How many block buffers the hasher holds between hashes (tests: none once idle).
    pub fn buffers_held(&self) -> usize {
        self.permits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .buffers
            .len()
    }

    pub fn hash(&self, password: &str) -> Result<String> {
        let salt_bytes: [u8; 16] = rand::random();
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| Error::internal(format!("salt: {e}")))?;
        let params = params(self.cost);
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        self.with_permit(|blocks| {
            compute(
                Algorithm::Argon2id,
                Version::V0x13,
                params.clone(),
                password.as_bytes(),
                &salt_bytes,
                &mut out,
                blocks,
            )
        })
        .map_err(|e| Error::internal(format!("argon2: {e}")))?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: (&params)
                .try_into()
                .map_err(|e| Error::internal(format!("argon2 params: {e}")))?,
            salt: Some(salt.as_salt()),
            hash: Some(
                Output::new(&out).map_err(|e| Error::internal(format!("argon2 output: {e}")))?,
            ),
        };
        Ok(phc.to_string())
    }

    /// Whether `password` matches the stored PHC string, with the parameters it names.
    pub fn verify(&self, password: &str, phc: &str) -> bool {
        self.verified
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return false;
        };
        let (Ok(algorithm), Ok(params)) = (
            Algorithm::try_from(parsed.algorithm),
            Params::try_from(&parsed),
        ) else {
            return false;
        };
        let Ok(version) = parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from)
        else {
            return false;
        };
        let mut salt_buf = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
            return false;
        };
        let mut out = vec![0u8; expected.len()];
        let computed = self.with_permit(|blocks| {
            compute(
                algorithm,
                version,
                params,
                password.as_bytes(),
                salt,
                &mut out,
                blocks,
            )
        });
        // `Output`'s equality is constant-time.
        computed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
    }

    /// How many verifications ran (decoys included).
    pub fn verifications(&self) -> u64 {
        self.verified.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Spends the time of one verification without an account to check; always `false`.
    pub fn verify_decoy(&self, password: &str) -> bool {
        let decoy = self
            .decoy
            .get_or_init(|| self.hash(&random_password(20)).unwrap_or_default());
        let _ = self.verify(password, decoy);
        false
    }
}

/// `n` random characters of `[A-Za-z0-9]` (generated root and CLI passwords).
pub fn random_password(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rngs::OsRng;
    (0..n)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

pub fn check_length(password: &str) -> Result<()> {
    if password.chars().count() < MIN_LEN {
        return Err(crate::error::invalid_value(
            "Password must be at least 8 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn hashes_are_standard_phc_and_verify_both_ways() {
        let h = Hasher::with_cost(2, Cost::TestOnlyMinimal);
        let ours = h.hash("correct horse").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{ours}");
        // argon2's own verifier accepts our hash…
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        // …and ours accepts argon2's, with other parameters (the buffer grows, then is reused).
        let theirs = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(64, 2, 1, None).unwrap(),
        )
        .hash_password(
            b"battery staple",
            &SaltString::encode_b64(b"0123456789abcdef").unwrap(),
        )
        .unwrap()
        .to_string();
        assert!(h.verify("battery staple", &theirs));
        assert!(!h.verify("battery stapler", &theirs));
        assert!(h.verify("correct horse", &ours));
        assert!(!h.verify("correct horsf", &ours));
        assert!(!h.verify("correct horse", "not a hash"));
    }

    #[test]
    fn a_reused_buffer_gives_the_fresh_result() {
        let (p, salt) = (Params::new(32, 2, 1, None).unwrap(), b"0123456789abcdef");
        let mut fresh = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, p.clone())
            .hash_password_into(b"pw-one", salt, &mut fresh)
            .unwrap();
        // A buffer left full of another hash's blocks (bigger parameters, another password).
        let mut blocks = Vec::new();
        let mut other = [0u8; 32];
        compute(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(64, 3, 1, None).unwrap(),
            b"pw-two",
            salt,
            &mut other,
            &mut blocks,
        )
        .unwrap();
        let mut reused = [0u8; 32];
        compute(
            Algorithm::Argon2id,
            Version::V0x13,
            p,
            b"pw-one",
            salt,
            &mut reused,
            &mut blocks,
        )
        .unwrap();
        assert_eq!(reused, fresh);
    }

    #[test]
    fn buffers_are_shared_by_concurrent_hashes_and_dropped_when_idle() {
        let h = std::sync::Arc::new(Hasher::with_cost(2, Cost::TestOnlyMinimal));
        let phc = h.hash("password-1").unwrap();
        assert_eq!(h.buffers_held(), 0, "an idle hasher keeps no buffer");
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (h, phc) = (h.clone(), phc.clone());
                std::thread::spawn(move || (0..20).all(|_| h.verify("password-1", &phc)))
            })
            .collect();
        assert!(threads.into_iter().all(|t| t.join().unwrap()));
        assert_eq!(h.buffers_held(), 0);
    }
}
