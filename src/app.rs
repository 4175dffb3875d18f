//! The shared state of a running server and its start-up: open the store, bootstrap root, load caches.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::acl;
use crate::auth;
use crate::collections::events::Listener;
use crate::collections::hooks::Hooks;
use crate::collections::Registry;
use crate::config::Config;
use crate::error::Result;
use crate::store::Store;
use crate::workflow::cache::Flows;
use crate::workflow::queue::Queue;
use crate::workflow::scheduler::Scheduler;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub registry: Registry,
    pub acl: acl::Cache,
    pub limiter: auth::ratelimit::RateLimiter,
    pub hasher: auth::password::Hasher,
    pub workflows: Flows,
    pub queue: Queue,
    /// The counters `GET /metrics` shows.
    pub metrics: crate::metrics::Metrics,
    /// The plan of schedule workflows; re-planned whenever the workflow cache is invalidated.
    pub scheduler: Arc<Scheduler>,
    /// Who hears the records layer's data events: the collection and schedule triggers.
    pub listener: Listener,
    /// What the records actions ask before and after they write: the pre- and post-action triggers.
    pub hooks: Hooks,
    /// Writes that must outlive a rolled-back transaction (a failed sync run whose `rollbackOnFailure`
    /// undid the write it ran in: its execution stays visible). Done by [`App::write`] after the write.
    rescued: Mutex<Vec<Rescue>>,
    /// The chains of queued data-event executions raised by a workflow run's writes (kept in memory:
    /// after a restart such an execution starts a chain of its own).
    pub stacks: Stacks,
    shutting_down: AtomicBool,
    /// Set on the throwaway copy a dry run works in (`workflow::dry_run`): delays are skipped, request
    /// nodes answered from recorded responses or stubs, retries not made. `None` on a serving app.
    pub dry_run: Option<crate::workflow::dry_run::Sandbox>,
}

/// Execution id → the chain of workflow versions that queued it.
#[derive(Default)]
pub struct Stacks(Mutex<std::collections::HashMap<i64, Vec<i64>>>);

impl Stacks {
    pub fn put(&self, execution: i64, stack: Vec<i64>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(execution, stack);
    }

    pub fn take(&self, execution: i64) -> Option<Vec<i64>> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&execution)
    }
}

/// A write kept aside to be done in a transaction of its own.
pub type Rescue = Box<dyn FnOnce(&Connection) -> Result<()> + Send>;

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
        App::open_with(config, None)
    }

    /// [`App::open`] of a dry run's copy of a store: the same state, with `sandbox` set.
    pub fn open_with(
        config: Config,
        dry_run: Option<crate::workflow::dry_run::Sandbox>,
    ) -> Result<Arc<App>, String> {
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
        let scheduler = Arc::new(Scheduler::new(crate::time::now_ms));
        let workflows = Flows::default();
        let watcher = scheduler.clone();
        workflows.watch(Box::new(move || watcher.replan()));
        Ok(Arc::new(App {
            config,
            store,
            registry,
            acl,
            limiter: auth::ratelimit::RateLimiter::default(),
            hasher,
            workflows,
            queue: Queue::default(),
            metrics: Default::default(),
            scheduler,
            listener: crate::workflow::triggers::LISTENER,
            hooks: crate::workflow::triggers::HOOKS,
            rescued: Mutex::new(Vec::new()),
            stacks: Stacks::default(),
            shutting_down: AtomicBool::new(false),
            dry_run,
        }))
    }

    /// A `Store::write` that may raise data events: after it (committed or rolled back), the writes its
    /// events kept aside are done in a write of their own.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let out = self.store.write(f);
        self.write_rescued();
        out
    }

    /// Keeps `w` to be written after the current write, whatever becomes of it.
    pub fn rescue(&self, w: Rescue) {
        self.rescued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(w);
    }

    fn write_rescued(&self) {
        let list: Vec<Rescue> =
            std::mem::take(&mut *self.rescued.lock().unwrap_or_else(|p| p.into_inner()));
        if list.is_empty() {
            return;
        }
        let done = self
            .store
            .write(|c| list.into_iter().try_for_each(|w| w(c)));
        if let Err(e) = done {
            tracing::error!(error = %e, cause = e.cause(), "writing a rolled-back run's execution failed");
        }
    }

    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.queue.shutdown();
        self.scheduler.shutdown();
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}
