//! In-memory cache of workflow versions with their nodes, and of which version a key runs.
//!
//! Only this process writes workflows and nodes, so the cache is invalidated after each such write and
//! is otherwise always true: both maps are [`GenMap`]s, so a miss that read the store before a write
//! committed can never put the old version back after the invalidation. The per-key map is bounded
//! (unknown keys are cached as `NotFound` and could otherwise grow without limit). Trigger requests
//! read from it without touching the store.

use std::sync::{Arc, OnceLock};

use super::engine::Flow;
use crate::error::Result;
use crate::gencache::GenMap;
use crate::store::Store;

/// What a key names, for trigger matching (trigger.md §4).
#[derive(Clone)]
pub enum KeyState {
    NotFound,
    Disabled,
    Enabled(Arc<Flow>),
}

/// Most workflow versions and keys a cache holds before it starts over.
const MAX_VERSIONS: usize = 4096;
const MAX_KEYS: usize = 4096;

pub struct Flows {
    by_id: GenMap<i64, Arc<Flow>>,
    by_key: GenMap<String, KeyState>,
    /// (trigger type, collection) → the enabled versions bound to it, by id: what a records action asks
    /// before it writes (the pre-action trigger), without a store read per action.
    bound: GenMap<(&'static str, String), Arc<Vec<i64>>>,
    /// Told after each invalidation: the scheduler's plan is rebuilt from the same moment.
    watcher: OnceLock<Watcher>,
}

/// What [`Flows::invalidate`] calls (once set).
pub type Watcher = Box<dyn Fn() + Send + Sync>;

impl Default for Flows {
    fn default() -> Flows {
        Flows {
            by_id: GenMap::new(MAX_VERSIONS),
            by_key: GenMap::new(MAX_KEYS),
            bound: GenMap::new(MAX_KEYS),
            watcher: OnceLock::new(),
        }
    }
}

impl Flows {
    /// A version with its nodes.
    pub fn flow(&self, store: &Store, id: i64) -> Result<Option<Arc<Flow>>> {
        if let Some(f) = self.by_id.get(&id) {
            return Ok(Some(f));
        }
        let ticket = self.by_id.ticket();
        let Some(flow) = store.read(|c| Flow::load(c, id))? else {
            return Ok(None);
        };
        let flow = Arc::new(flow);
        self.by_id.insert(ticket, id, flow.clone());
        Ok(Some(flow))
    }

    /// The enabled version of `key`, or why there is none.
    pub fn key(&self, store: &Store, key: &str) -> Result<KeyState> {
        if let Some(s) = self.by_key.get(key) {
            return Ok(s);
        }
        let ticket = self.by_key.ticket();
        let state = match store.read(|c| super::repo::workflows::key_versions(c, key))? {
            (0, _) => KeyState::NotFound,
            (_, 0) => KeyState::Disabled,
            (_, id) => match self.flow(store, id)? {
                Some(f) => KeyState::Enabled(f),
                None => KeyState::NotFound,
            },
        };
        self.by_key.insert(ticket, key.to_string(), state.clone());
        Ok(state)
    }

    /// The enabled versions of trigger type `kind` bound to `collection` (or `main:<collection>`), by id.
    pub fn bound(
        &self,
        store: &Store,
        kind: &'static str,
        collection: &str,
    ) -> Result<Arc<Vec<i64>>> {
        let k = (kind, collection.to_string());
        if let Some(ids) = self.bound.get(&k) {
            return Ok(ids);
        }
        let ticket = self.bound.ticket();
        let ids = Arc::new(
            store.read(|c| super::repo::workflows::enabled_on_collection(c, kind, collection))?,
        );
        self.bound.insert(ticket, k, ids.clone());
        Ok(ids)
    }

    /// Call after any write to workflows or flow_nodes.
    pub fn invalidate(&self) {
        self.by_id.invalidate();
        self.by_key.invalidate();
        self.bound.invalidate();
        if let Some(w) = self.watcher.get() {
            w();
        }
    }

    /// Sets what each invalidation tells (the first call wins).
    pub fn watch(&self, w: Watcher) {
        let _ = self.watcher.set(w);
    }
}
