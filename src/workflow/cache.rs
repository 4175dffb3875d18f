//! In-memory cache of workflow versions with their nodes, and of which version a key runs.
//!
//! Only this process writes workflows and nodes, so the cache is cleared after each such write and is
//! otherwise always true. Trigger requests read from it without touching the store.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rusqlite::params;

use super::engine::Flow;
use crate::error::Result;
use crate::store::{OptionalExt, Store};

/// What a key names, for trigger matching (trigger.md §4).
#[derive(Clone)]
pub enum KeyState {
    NotFound,
    Disabled,
    Enabled(Arc<Flow>),
}

#[derive(Default)]
pub struct Flows {
    by_id: RwLock<HashMap<i64, Arc<Flow>>>,
    by_key: RwLock<HashMap<String, KeyState>>,
}

impl Flows {
    /// A version with its nodes.
    pub fn flow(&self, store: &Store, id: i64) -> Result<Option<Arc<Flow>>> {
        if let Some(f) = self.by_id.read().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(Some(f.clone()));
        }
        let Some(flow) = store.read(|c| Flow::load(c, id))? else { return Ok(None) };
        let flow = Arc::new(flow);
        self.by_id.write().unwrap_or_else(|p| p.into_inner()).insert(id, flow.clone());
        Ok(Some(flow))
    }

    /// The enabled version of `key`, or why there is none.
    pub fn key(&self, store: &Store, key: &str) -> Result<KeyState> {
        if let Some(s) = self.by_key.read().unwrap_or_else(|p| p.into_inner()).get(key) {
            return Ok(s.clone());
        }
        let found: Option<(i64, i64)> = store.read(|c| {
            c.prepare_cached("SELECT COUNT(*), MAX(CASE WHEN enabled = 1 THEN id END) FROM workflows WHERE key = ?1")?
                .query_row(params![key], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))))
                .optional()
        })?;
        let state = match found {
            None | Some((0, _)) => KeyState::NotFound,
            Some((_, 0)) => KeyState::Disabled,
            Some((_, id)) => match self.flow(store, id)? {
                Some(f) => KeyState::Enabled(f),
                None => KeyState::NotFound,
            },
        };
        self.by_key.write().unwrap_or_else(|p| p.into_inner()).insert(key.to_string(), state.clone());
        Ok(state)
    }

    /// Call after any write to workflows or flow_nodes.
    pub fn invalidate(&self) {
        self.by_id.write().unwrap_or_else(|p| p.into_inner()).clear();
        self.by_key.write().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
