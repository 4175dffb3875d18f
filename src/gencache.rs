//! A map cache that a concurrent invalidation can never leave stale.
//!
//! A reader that misses takes a [`Ticket`] *before* it reads the store, and inserts with it afterwards.
//! Writers commit first and then call [`GenMap::invalidate`], which clears the map and bumps the
//! generation. An insert whose ticket is older than the current generation is dropped: its data may
//! have been read before the write committed. The map is bounded: when it holds `cap` entries it is
//! cleared before the next insert, so a flood of distinct keys (an unknown key sent a million times
//! with different spellings) costs a re-read, not memory.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

/// The generation a miss started in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

pub struct GenMap<K, V> {
    inner: RwLock<(u64, HashMap<K, V>)>,
    cap: usize,
}

impl<K: Eq + Hash, V: Clone> GenMap<K, V> {
    pub fn new(cap: usize) -> GenMap<K, V> {
        GenMap {
            inner: RwLock::new((0, HashMap::new())),
            cap: cap.max(1),
        }
    }

    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.inner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .get(key)
            .cloned()
    }

    /// Take before reading the store for a miss.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.inner.read().unwrap_or_else(|p| p.into_inner()).0)
    }

    /// Caches `value` unless an invalidation happened since `ticket` was taken; says whether it did.
    pub fn insert(&self, ticket: Ticket, key: K, value: V) -> bool {
        let mut g = self.inner.write().unwrap_or_else(|p| p.into_inner());
        if g.0 != ticket.0 {
            return false;
        }
        if g.1.len() >= self.cap && !g.1.contains_key(&key) {
            g.1.clear();
        }
        g.1.insert(key, value);
        true
    }

    /// Call after committing a write that may change any entry.
    pub fn invalidate(&self) {
        let mut g = self.inner.write().unwrap_or_else(|p| p.into_inner());
        g.0 += 1;
        g.1.clear();
    }

    pub fn len(&self) -> usize {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).1.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A whole-value snapshot (the ACL's policies) with the same rule: a reload keeps its result only if no
/// later reload already published a fresher one. Reloads number themselves *after* their write
/// committed and *before* they read, so a higher number has read at least everything a lower one saw.
pub struct GenCell<T> {
    inner: RwLock<(u64, std::sync::Arc<T>)>,
    next: std::sync::atomic::AtomicU64,
}

impl<T> GenCell<T> {
    pub fn new(value: T) -> GenCell<T> {
        GenCell {
            inner: RwLock::new((0, std::sync::Arc::new(value))),
            next: std::sync::atomic::AtomicU64::new(0),
        }
    }

    pub fn get(&self) -> std::sync::Arc<T> {
        self.inner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clone()
    }

    /// Take before reading the store for a reload.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1)
    }

    /// Publishes `value` unless a reload with a later ticket already did; says whether it did.
    pub fn publish(&self, ticket: Ticket, value: T) -> bool {
        let mut g = self.inner.write().unwrap_or_else(|p| p.into_inner());
        if g.0 > ticket.0 {
            return false;
        }
        *g = (ticket.0, std::sync::Arc::new(value));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_that_raced_an_invalidation_is_dropped() {
        let m: GenMap<&str, i32> = GenMap::new(10);
        let t = m.ticket();
        m.invalidate(); // a write committed while the miss was reading the old row
        assert!(!m.insert(t, "k", 1));
        assert_eq!(m.get("k"), None);
        let t = m.ticket();
        assert!(m.insert(t, "k", 2));
        assert_eq!(m.get("k"), Some(2));
    }

    #[test]
    fn the_map_never_grows_past_its_cap() {
        let m: GenMap<String, ()> = GenMap::new(100);
        for i in 0..10_000 {
            let t = m.ticket();
            m.insert(t, format!("unknown-{i}"), ());
            assert!(m.len() <= 100);
        }
        assert!(!m.is_empty());
    }

    #[test]
    fn a_reload_older_than_the_published_one_is_dropped() {
        let c = GenCell::new(0);
        let older = c.ticket();
        let newer = c.ticket();
        assert!(c.publish(newer, 2));
        assert!(!c.publish(older, 1));
        assert_eq!(*c.get(), 2);
    }
}
