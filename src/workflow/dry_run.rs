//! Dry runs (`?dryRun=true` on the custom action triggers and on `workflows:execute`): the action runs
//! as it would, on a throwaway copy of the store, and nothing of it remains.
//!
//! The copy is made with the stepped online backup of `store::backup` (one snapshot; the writer goes on
//! committing meanwhile) into a private folder inside the data folder, and opened as a second `App` of
//! its own (store, registry, ACL snapshot, workflow cache, queue; no worker, no scheduler, no HTTP) with
//! [`Sandbox`] set. The same core handler runs on it, then every execution it queued is run to its end
//! inline, and the answer is read from the copy before the copy and its folder are deleted. Never a
//! savepoint held across the run: the copy is one read transaction of its own connection, which the
//! real store's writer never waits for.
//!
//! In the copy, nodes that would wait or reach out do neither: a `delay` ends at once, a `request`
//! calls nothing and is answered from a stub the caller passed (`dryRunStubs`) or else from the last
//! RESOLVED job of that node the real store held when the copy was made, and `options.retry` makes no
//! second attempt. The ids in the answer are the copy's: they name nothing in the real store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Map, Value};

use super::api;
use super::engine::Processor;
use super::model::{JobStatus, Node};
use super::nodes::Step;
use super::queue;
use super::repo::executions;
use crate::action::{Ctx, Input};
use crate::app::App;
use crate::collections::records::{self, ReadOptions};
use crate::config::Config;
use crate::error::{invalid_param, Code, Error, Result};
use crate::reply::Reply;
use crate::store::backup;

/// What a dry run's copy knows that a serving app does not.
pub struct Sandbox {
    /// `dryRunStubs`: node key → the result its request job resolves with.
    stubs: Map<String, Value>,
    /// The last job id of the copy as made: recorded responses are read from jobs up to it, never from
    /// the dry run's own.
    jobs_up_to: i64,
}

impl Sandbox {
    /// A `request` node's job in a dry run: the caller's stub, else the node's last recorded response,
    /// else FAILED with the way out.
    pub fn request_step(&self, p: &Processor, node: &Node) -> Step {
        if let Some(stub) = self.stubs.get(&node.key) {
            return Step::resolved(stub.clone());
        }
        let workflow_key = p.flow.workflow.key.clone();
        let recorded = p.read(|c| {
            executions::last_resolved_result(c, self.jobs_up_to, node.id, &workflow_key, &node.key)
        });
        let key = &node.key;
        match recorded {
            Ok(Some(result)) => Step::resolved(result),
            Ok(None) => Step::with_status(
                JobStatus::Failed,
                json!({ "message": format!(
                    "dry run: no recorded response for request node {key}; pass dryRunStubs={{\"{key}\": …}}"
                ) }),
            ),
            Err(e) => Step::with_status(
                JobStatus::Failed,
                json!({ "message": format!(
                    "dry run: cannot read the recorded response of request node {key}: {e}"
                ) }),
            ),
        }
    }
}

/// `dryRun` and `dryRunStubs` of an input: `None` for a normal run (the only cost a normal run pays),
/// the stubs for a dry run.
pub fn asked(input: &Input) -> Result<Option<Map<String, Value>>> {
    let on = match input.param("dryRun") {
        None => false,
        Some(Value::String(s)) if s == "true" || s == "1" => true,
        Some(Value::String(s)) if s == "false" || s == "0" => false,
        Some(_) => {
            return Err(invalid_param(
                "dryRun",
                "must be true or 1 (a dry run), false or 0 (a normal run), given once",
            ))
        }
    };
    let stubs = input.param("dryRunStubs");
    if !on {
        return match stubs {
            None => Ok(None),
            Some(_) => Err(invalid_param(
                "dryRunStubs",
                "stubs answer a dry run's request nodes; add dryRun=true or leave them out",
            )),
        };
    }
    Ok(Some(match stubs {
        None => Map::new(),
        Some(v) => parse_stubs(v)?,
    }))
}

/// `{"<nodeKey>": <job result>, …}` as JSON text (or already an object, from the bracket form).
fn parse_stubs(v: &Value) -> Result<Map<String, Value>> {
    const SHAPE: &str = "must be a JSON object {\"<request node key>\": <its job result>, …}";
    let parsed = match v {
        Value::String(s) => serde_json::from_str::<Value>(s)
            .map_err(|e| invalid_param("dryRunStubs", &format!("{SHAPE}; {e}")))?,
        other => other.clone(),
    };
    match parsed {
        Value::Object(m) => Ok(m),
        _ => Err(invalid_param("dryRunStubs", SHAPE)),
    }
}

/// Runs `handler` as `ctx` asks, but on a throwaway copy of the store: the handler's answer with
/// `data.dryRun = true` and every execution it names carrying its `jobs` (and its final status).
pub fn run(
    ctx: &Ctx,
    stubs: Map<String, Value>,
    handler: impl FnOnce(&Ctx) -> Result<Reply>,
) -> Result<Reply> {
    let real = ctx.app;
    check_size(&real.config)?;
    let scratch = Scratch::make(&real.config.serve.data)?;
    let db = backup::store_file(&scratch.dir);
    backup::backup(&real.config.serve.data, &db, &mut |_, _| {})
        .map_err(|e| Error::internal(format!("dry run: cannot copy the store: {e}")))?;
    let jobs_up_to = rusqlite::Connection::open(&db)
        .map_err(Error::from)
        .and_then(|c| executions::last_job_id(&c))?;
    let mut config = real.config.clone();
    config.serve.data = scratch.dir.clone();
    config.read_pool = 2;
    let copy = App::open_with(config, Some(Sandbox { stubs, jobs_up_to }))
        .map_err(|e| Error::internal(format!("dry run: cannot open the copy: {e}")))?;
    let on_copy = Ctx {
        app: &copy,
        input: ctx.input,
        caller: ctx.caller,
        scope: ctx.scope,
        rights: ctx.rights,
        row_actions: ctx.row_actions,
    };
    let reply = handler(&on_copy).map_err(|e| failed_with_jobs(&copy, e))?;
    // As if the worker ran them at once (the copy has none): what the handler queued, and what those
    // runs queue in turn.
    queue::drain_inline(&copy)?;
    with_jobs(&copy, reply)
    // `copy` is dropped here, before `scratch` deletes its folder.
}

/// `workflows:execute`, dry when asked.
pub fn execute(ctx: &Ctx) -> Result<Reply> {
    match asked(ctx.input)? {
        Some(stubs) => run(ctx, stubs, |copy| api::writing(copy, api::execute)),
        None => api::writing(ctx, api::execute),
    }
}

/// Refuses a store bigger than `--dry-run-max-mb`: copying it would take long and as much disk again.
fn check_size(config: &Config) -> Result<()> {
    let (db, wal) = crate::store::file_sizes(&config.serve.data);
    let max_mb = config.serve.dry_run_max_mb;
    if db + wal <= max_mb.saturating_mul(1 << 20) {
        return Ok(());
    }
    let mb = (db + wal).div_ceil(1 << 20);
    Err(Error::new(
        Code::PayloadTooLarge,
        format!(
            "dry run refused: the store is {mb} MiB, more than the {max_mb} MiB a dry run copies; \
             raise serve --dry-run-max-mb (FLOWGATE_DRY_RUN_MAX_MB) or run without dryRun"
        ),
    ))
}

/// `data.dryRun = true`, and each of `data.executions[i]` (triggers) and `data.execution`
/// (`workflows:execute`) read again from the copy with its jobs, as `executions:get?appends=jobs`
/// shows them.
fn with_jobs(copy: &App, mut reply: Reply) -> Result<Reply> {
    let Some(data) = reply.body.get_mut("data").and_then(Value::as_object_mut) else {
        return Ok(reply);
    };
    if let Some(list) = data.get_mut("executions").and_then(Value::as_array_mut) {
        for e in list {
            complete(copy, e)?;
        }
    }
    if let Some(e) = data.get_mut("execution") {
        complete(copy, e)?;
    }
    data.insert("dryRun".into(), Value::Bool(true));
    Ok(reply)
}

/// Adds the copy's `jobs` and final `status` to an execution of the answer (`{id, …}`).
fn complete(copy: &App, execution: &mut Value) -> Result<()> {
    let Some(id) = execution.get("id").and_then(Value::as_i64) else {
        return Ok(());
    };
    if let (Some(row), Some(out)) = (with_jobs_of(copy, id)?, execution.as_object_mut()) {
        out.insert("status".into(), row["status"].clone());
        out.insert("jobs".into(), row["jobs"].clone());
    }
    Ok(())
}

/// A dry run's error (a failed or intercepted sync run, a refused input): each entry marked
/// `dryRun: true`, and one naming an execution given that execution's jobs.
fn failed_with_jobs(copy: &App, mut e: Error) -> Error {
    for entry in &mut e.entries {
        entry.extra.insert("dryRun".into(), Value::Bool(true));
        let id = entry.extra.get("executionId").and_then(Value::as_i64);
        if let Some(Ok(Some(row))) = id.map(|id| with_jobs_of(copy, id)) {
            entry.extra.insert("jobs".into(), row["jobs"].clone());
        }
    }
    e
}

/// Execution `id` of the copy with its jobs, as `executions:get?appends=jobs` shows it.
fn with_jobs_of(copy: &App, id: i64) -> Result<Option<Value>> {
    let schema = copy.registry.snapshot();
    let coll = schema
        .get("executions")
        .cloned()
        .ok_or_else(|| Error::internal("no built-in collection executions"))?;
    let opts = ReadOptions {
        filter: Some(json!({ "id": id })),
        appends: vec!["jobs".into()],
        ..ReadOptions::default()
    };
    Ok(copy
        .store
        .read(|c| records::list(c, &schema, &coll, &opts))?
        .0
        .into_iter()
        .next())
}

/// Deletes the copies of dry runs a crash cut short (`dry-run-*` folders of the data folder). Called at
/// start, under the folder lock, so no dry run of this folder is under way.
pub fn sweep(data: &Path) {
    let Ok(entries) = std::fs::read_dir(data) else {
        return;
    };
    for entry in entries.flatten() {
        let is_copy = entry
            .file_name()
            .to_string_lossy()
            .starts_with(SCRATCH_PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if is_copy {
            let path = entry.path();
            match std::fs::remove_dir_all(&path) {
                Ok(()) => {
                    tracing::info!(folder = %path.display(), "deleted a dry run's leftover copy")
                }
                Err(e) => {
                    tracing::warn!(folder = %path.display(), error = %e, "cannot delete a dry run's leftover copy")
                }
            }
        }
    }
}

/// The name every dry run's folder starts with.
const SCRATCH_PREFIX: &str = "dry-run-";

/// The private folder a copy lives in, deleted with everything in it when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// `<data>/dry-run-<pid>-<n>`, mode 0700 (the copy holds password hashes): in the data folder, so on
    /// the same disk and under the same protection as the store.
    fn make(data: &Path) -> Result<Scratch> {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = data.join(format!("{SCRATCH_PREFIX}{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&dir)
            .map_err(|e| {
                Error::internal(format!("dry run: cannot create {}: {e}", dir.display()))
            })?;
        Ok(Scratch { dir })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            tracing::warn!(folder = %self.dir.display(), error = %e, "cannot delete a dry run's copy");
        }
    }
}
