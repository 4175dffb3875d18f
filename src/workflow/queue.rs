//! The durable async queue (workflows.md §4.2–§4.3): QUEUEING rows in `executions` are claimed in id
//! order by one in-process worker thread; delay timers resume pending runs; a restart recovers every
//! row so that each queued execution reaches a final status exactly once.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::engine::{self, Processor};
use super::model::{ExecStatus, ExecutionRow};
use super::repo::executions;
use crate::app::App;
use crate::error::Result;

/// Rows claimed per transaction: amortises the commit; unrun ones are returned at shutdown.
const CLAIM_BATCH: i64 = 64;

#[derive(Default)]
pub struct Queue {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
pub struct State {
    shutdown: bool,
    poked: bool,
    timers: BinaryHeap<Reverse<(i64, i64)>>,
    /// Executions being processed now (by a request or the worker): cancel answers 409.
    pub busy: HashSet<i64>,
}

/// Removes an execution from the busy set when dropped.
pub struct Busy<'a> {
    queue: &'a Queue,
    ids: Vec<i64>,
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        let mut s = self.queue.lock();
        for id in &self.ids {
            s.busy.remove(id);
        }
    }
}

impl Queue {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// New rows were committed: wake the worker.
    pub fn notify(&self) {
        self.lock().poked = true;
        self.wake.notify_all();
    }

    /// New rows queued by a write still running (a data event's async runs): the worker may hold the
    /// state while it waits for that writer to claim rows, and then claims after this write and sees
    /// them, so a busy state needs no poke — and waiting for it here would deadlock.
    pub fn notify_from_write(&self) {
        match self.state.try_lock() {
            Ok(mut s) => s.poked = true,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().poked = true,
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
        self.wake.notify_all();
    }

    /// Resume execution `id` at `due_ms` (delay or timeout).
    pub fn arm(&self, id: i64, due_ms: i64) {
        self.lock().timers.push(Reverse((due_ms, id)));
        self.wake.notify_all();
    }

    pub fn mark_busy(&self, id: i64) -> Busy<'_> {
        self.lock().busy.insert(id);
        Busy {
            queue: self,
            ids: vec![id],
        }
    }

    pub fn shutdown(&self) {
        self.lock().shutdown = true;
        self.wake.notify_all();
    }

    fn is_shutdown(&self) -> bool {
        self.lock().shutdown
    }

    /// Waits until poked, a timer is due, or shutdown; returns the due timers.
    fn wait(&self, poll: Duration) -> Vec<i64> {
        let mut s = self.lock();
        loop {
            if s.shutdown {
                return Vec::new();
            }
            let now = crate::time::now_ms();
            let mut due = Vec::new();
            while let Some(Reverse((at, id))) = s.timers.peek().copied() {
                if at > now {
                    break;
                }
                s.timers.pop();
                due.push(id);
            }
            if !due.is_empty() || s.poked {
                s.poked = false;
                return due;
            }
            let until_timer = s
                .timers
                .peek()
                .map(|Reverse((at, _))| Duration::from_millis((at - now).max(1) as u64));
            let timeout = until_timer.map_or(poll, |t| t.min(poll));
            s = match self.wake.wait_timeout(s, timeout) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
            if !s.poked
                && s.timers
                    .peek()
                    .is_none_or(|Reverse((at, _))| *at > crate::time::now_ms())
            {
                // A plain timeout: look at the store once in a while anyway (rows queued by another
                // process, e.g. a restart of a crashed request, are picked up without a poke).
                s.poked = true;
            }
        }
    }
}

/// Start-up recovery (workflows.md §4.3). Runs before the server accepts requests.
pub fn recover(app: &App) -> Result<()> {
    let started: Vec<ExecutionRow> = app.store.read(executions::started)?;
    for exec in started {
        if let Some(at) = exec.retry_at.as_deref() {
            // Waiting for its next attempt (options.retry): the timer survives the restart.
            app.queue
                .arm(exec.id, crate::time::iso_to_ms(at).unwrap_or(0));
            continue;
        }
        let flow = app.workflows.flow(&app.store, exec.workflow_id)?;
        // A saved pending delay: whoever started the run (a manual run too) has had its answer;
        // the timer resumes it at its time, or earlier when options.timeout runs out first.
        let pending = match &flow {
            Some(f) => {
                let mut p = Processor::new(app, f.clone(), &exec);
                app.store.read(|c| p.restore(c))?;
                p.pending_delay().map(|(idx, _)| {
                    let due = p.delay_due_ms(idx);
                    p.deadline().map_or(due, |d| d.min(due))
                })
            }
            None => None,
        };
        if let Some(due) = pending {
            app.queue.arm(exec.id, due);
            continue;
        }
        if exec.sync {
            // Cut off inside its request, which is gone: nobody can receive the result.
            app.store
                .write(|c| executions::abort(c, exec.id, "interrupted"))?;
            tracing::warn!(
                execution = exec.id,
                "sync execution interrupted by a restart: aborted"
            );
            continue;
        }
        if flow.is_none() {
            mark_failed(app, exec.id, "workflow was deleted")?;
            continue;
        }
        // Interrupted mid-run before anything was saved: run it again from the head.
        app.store.write(|c| executions::requeue(c, exec.id))?;
        tracing::info!(
            execution = exec.id,
            "interrupted async execution queued again"
        );
    }
    Ok(())
}

fn mark_failed(app: &App, id: i64, reason: &str) -> Result<()> {
    app.store.write(|c| executions::fail(c, id, reason))
}

pub fn start_worker(app: Arc<App>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("flowgate-worker".into())
        .spawn(move || worker(&app))
}

fn worker(app: &App) {
    tracing::debug!("worker started");
    let mut due: Vec<i64> = Vec::new();
    loop {
        for id in due.drain(..) {
            if let Err(e) = resume(app, id) {
                tracing::error!(execution = id, error = %e, cause = e.cause(), "resuming execution failed");
            }
        }
        if app.queue.is_shutdown() {
            break;
        }
        match drain_batch(app) {
            Ok(0) => due = app.queue.wait(Duration::from_secs(5)),
            Ok(_) => due = app.queue.wait(Duration::ZERO),
            Err(e) => {
                tracing::error!(error = %e, cause = e.cause(), "claiming queued executions failed");
                due = app.queue.wait(Duration::from_secs(1));
            }
        }
        if app.queue.is_shutdown() {
            break;
        }
    }
    tracing::debug!("worker stopped");
}

/// Runs every queued execution to its end on the calling thread, also those the runs queue (a dry
/// run's copy, which has no worker: its delays are skipped, so no run waits on a timer).
pub fn drain_inline(app: &App) -> Result<()> {
    while drain_batch(app)? > 0 {}
    Ok(())
}

/// Claims up to a batch of QUEUEING rows in id order and runs them one at a time. Returns how many ran.
fn drain_batch(app: &App) -> Result<usize> {
    let claimed: Vec<ExecutionRow> = {
        // Under the queue lock, like `executions:cancel`'s check and write.
        let guard = app.queue.lock();
        let now = crate::time::now_iso();
        let mut rows = app
            .store
            .write(|c| executions::claim(c, &now, CLAIM_BATCH))?;
        drop(guard);
        rows.sort_by_key(|r| r.id);
        rows
    };
    let mut ran = 0;
    for (i, claim) in claimed.iter().enumerate() {
        if app.queue.is_shutdown() {
            unclaim(app, &claimed[i..])?;
            break;
        }
        // Claimed rows wait their turn as cancelable as queued ones.
        let Some(_busy) = take(app, claim.id)? else {
            continue;
        };
        let exec = claim;
        let Some(flow) = app.workflows.flow(&app.store, exec.workflow_id)? else {
            // Destroyed after the trigger (executions stay): the run can not happen; say why.
            mark_failed(app, exec.id, "workflow was deleted")?;
            continue;
        };
        match engine::run_claimed(app, flow, exec) {
            Ok(out) => {
                if let Some(due) = out.due_ms {
                    app.queue.arm(exec.id, due);
                }
            }
            Err(e) => {
                tracing::error!(execution = exec.id, error = %e, cause = e.cause(), "execution failed to run");
                mark_failed(app, exec.id, &e.to_string())?;
            }
        }
        ran += 1;
    }
    Ok(ran)
}

/// Returns claimed-but-unrun rows to the queue (shutdown): queued executions stay queued.
fn unclaim(app: &App, rows: &[ExecutionRow]) -> Result<()> {
    app.store
        .write(|c| rows.iter().try_for_each(|r| executions::unclaim(c, r.id)))
}

/// Takes execution `id` for running if it is still STARTED (not canceled or finished meanwhile): checked
/// and marked busy under the queue lock, which `executions:cancel` holds while it checks and writes.
/// Only the status is read; the caller already has (or then loads) the row.
fn take(app: &App, id: i64) -> Result<Option<Busy<'_>>> {
    let mut s = app.queue.lock();
    let st: Option<ExecStatus> = app.store.read(|c| executions::status(c, id))?.flatten();
    if st != Some(ExecStatus::Started) {
        return Ok(None);
    }
    s.busy.insert(id);
    drop(s);
    Ok(Some(Busy {
        queue: &app.queue,
        ids: vec![id],
    }))
}

/// The next attempt of a run `options.retry` runs again, from the head, once it is due.
fn retry(app: &App, flow: Arc<engine::Flow>, mut exec: ExecutionRow, at: &str) -> Result<()> {
    let due = crate::time::iso_to_ms(at).unwrap_or(0);
    if due > crate::time::now_ms() {
        app.queue.arm(exec.id, due);
        return Ok(());
    }
    app.store.write(|c| executions::begin_retry(c, exec.id))?;
    exec.retry_at = None;
    exec.started_at = Some(crate::time::now_iso());
    tracing::info!(
        execution = exec.id,
        attempt = exec.attempt,
        "retrying execution"
    );
    let out = engine::run_claimed(app, flow, &exec)?;
    if let Some(due) = out.due_ms {
        app.queue.arm(exec.id, due);
    }
    Ok(())
}

/// A timer fired: finish the pending delay (or time the run out) and continue.
fn resume(app: &App, id: i64) -> Result<()> {
    let Some(_busy) = take(app, id)? else {
        return Ok(());
    };
    let Some(exec) = app.store.read(|c| executions::get(c, id))? else {
        return Ok(());
    };
    let Some(flow) = app.workflows.flow(&app.store, exec.workflow_id)? else {
        return mark_failed(app, id, "workflow was deleted");
    };
    if let Some(at) = exec.retry_at.as_deref() {
        return retry(app, flow, exec.clone(), at);
    }
    let mut p = Processor::new(app, flow, &exec);
    app.store.read(|c| p.restore(c))?;
    let Some((idx, end_status)) = p.pending_delay() else {
        return Ok(());
    };
    let now = crate::time::now_ms();
    let st = if p.past_deadline(now) {
        p.time_out();
        ExecStatus::Aborted
    } else {
        let due = p.delay_due_ms(idx);
        if due > now {
            app.queue.arm(id, due.min(p.deadline().unwrap_or(due)));
            return Ok(());
        }
        let chain = p.resume_from(idx, end_status);
        p.final_status(chain)
    };
    app.store.write(|c| p.save(c, st))?;
    let out = p.outcome(st);
    if let Some(due) = out.due_ms {
        app.queue.arm(id, due);
    }
    Ok(())
}
