//! The shared state of a running server and its start-up: open the store, bootstrap root, load caches.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::acl;
use crate::auth;
use crate::collections::Registry;
use crate::config::Config;
use crate::store::Store;
use crate::workflow::cache::Flows;
use crate::workflow::queue::Queue;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub registry: Registry,
    pub acl: acl::Cache,
    pub limiter: auth::ratelimit::RateLimiter,
    pub hasher: auth::password::Hasher,
    pub workflows: Flows,
    pub queue: Queue,
    shutting_down: AtomicBool,
}

/// `app:getInfo` (bridge.md §2.1): the server's name and version, in NocoBase's shape, so a bridge tells a
/// flowgate from a NocoBase before reading anything else.
pub fn info() -> crate::reply::Reply {
    crate::reply::Reply::data(serde_json::json!({
        "name": "flowgate",
        "version": env!("CARGO_PKG_VERSION"),
        "database": {"dialect": "sqlite"},
    }))
}

impl App {
    /// Opens the store and loads what the server keeps in memory. Does not bootstrap users (see `start`).
    pub fn open(config: Config) -> Result<Arc<App>, String> {
        let store = Store::open(
            &config.serve.data,
            config.serve.durability,
            config.read_pool,
        )
        .map_err(|e| e.to_string())?;
        let registry =
            Registry::load(&store).map_err(|e| format!("cannot load collections: {e}"))?;
        let acl = acl::Cache::load(&store).map_err(|e| format!("cannot load roles: {e}"))?;
        let hasher = auth::password::Hasher::with_cost(2, config.password_cost);
        Ok(Arc::new(App {
            config,
            store,
            registry,
            acl,
            limiter: auth::ratelimit::RateLimiter::default(),
            hasher,
            workflows: Flows::default(),
            queue: Queue::default(),
            shutting_down: AtomicBool::new(false),
        }))
    }

    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.queue.shutdown();
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}
