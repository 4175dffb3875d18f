//! The scheduler: the third door, which raises triggers without a request (the `schedule` trigger,
//! triggers-and-nodes.md §3). One thread keeps the plan — the next fire time of every enabled static
//! schedule, and of every record of a date-field schedule due within the window — and at a fire time
//! queues an async execution durably, in one `Store::write`, through the same repository function the
//! other async triggers use; the worker runs it.
//!
//! The plan cannot go stale:
//! - it is rebuilt from the store whenever the workflow cache is invalidated (every committed write to
//!   workflows or their nodes, and every manual run: [`Scheduler::replan`] is the cache's watcher),
//!   every [`WINDOW_MS`](schedule::WINDOW_MS), and at start (so timers survive a restart, and fires
//!   missed while the server was down are not replayed: the plan starts from now);
//! - a record save re-plans that record from inside its writing transaction (`schedule::LISTENER`);
//!   a rebuild reads in the writer's turn too, so it sees every save raised before it, and keeps the
//!   entries raised after it began;
//! - a fire trusts nothing planned: in its transaction it re-reads the version (still enabled), its
//!   config, the key's execution count (`limit`, exact) and the record (deleted: skipped), and checks
//!   that the planned time is a fire time of what it read (`schedule::fires_at`).
//!
//! The scheduler never holds its own lock while it calls the store (a record save holds the writer
//! and then takes that lock), and never sleeps inside a write.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;
use serde_json::{json, Value};

use super::repo::executions;
use super::repo::workflows;
use super::triggers::schedule::{self, Mode, Schedule, Times, WINDOW_MS};
use crate::app::App;
use crate::collections::{filter, records};
use crate::error::Result;

/// What fires: a static schedule (`record: None`) or one record of a date-field schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub workflow: i64,
    pub record: Option<i64>,
}

/// A planned fire: what and when. A target may hold several (a saved record's new time beside the
/// old one, when the save may still roll back): each is checked when it comes, a stale one is skipped,
/// and the next rebuild keeps only what the store says.
type Planned = (Target, i64);

#[derive(Default)]
struct State {
    shutdown: bool,
    /// Rebuilds asked for and done (a waiter of [`Scheduler::settle`] waits for `done >= its ticket`).
    asked: u64,
    done: u64,
    /// Each planned fire with the sequence number of the plan step that put it there.
    plan: HashMap<Planned, u64>,
    /// The last fire time of each target: never planned again at or before it.
    fired: HashMap<Target, i64>,
}

pub struct Scheduler {
    state: Mutex<State>,
    wake: Condvar,
    /// The clock (epoch ms): injectable so a plan can be computed for any instant.
    clock: fn() -> i64,
    seq: AtomicU64,
}

impl Scheduler {
    pub fn new(clock: fn() -> i64) -> Scheduler {
        Scheduler {
            state: Mutex::new(State {
                asked: 1, // the first rebuild, at start
                ..State::default()
            }),
            wake: Condvar::new(),
            clock,
            seq: AtomicU64::new(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Workflows changed (committed): rebuild the plan.
    pub fn replan(&self) {
        self.lock().asked += 1;
        self.wake.notify_all();
    }

    /// Asks for a rebuild and waits until one that started after this call is done (or `timeout`).
    /// Returns whether it was. What tests wait for before they read [`Scheduler::planned`].
    pub fn settle(&self, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        let mut s = self.lock();
        s.asked += 1;
        let ticket = s.asked;
        self.wake.notify_all();
        while s.done < ticket && !s.shutdown {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            s = match self.wake.wait_timeout(s, left) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        s.done >= ticket
    }

    /// The planned fires of workflow version `workflow`: `(record, due)` in time order.
    pub fn planned(&self, workflow: i64) -> Vec<(Option<i64>, i64)> {
        let mut out: Vec<(Option<i64>, i64)> = self
            .lock()
            .plan
            .keys()
            .filter(|(t, _)| t.workflow == workflow)
            .map(|(t, due)| (t.record, *due))
            .collect();
        out.sort_by_key(|(r, due)| (*due, *r));
        out
    }

    /// A saved record's next fire. Called inside the record's writing transaction, which may still
    /// roll back: what was planned before stays (a fire checks the record it reads), and takes the
    /// lock only briefly.
    pub fn plan_record(&self, workflow: i64, record: i64, due: i64) {
        let target = Target {
            workflow,
            record: Some(record),
        };
        let seq = self.seq.fetch_add(1, Ordering::SeqCst);
        put(&mut self.lock(), (target, due), seq);
        self.wake.notify_all();
    }

    pub fn shutdown(&self) {
        self.lock().shutdown = true;
        self.wake.notify_all();
    }
}

/// Plans a fire, unless its target already fired at or after that time.
fn put(s: &mut State, (target, due): Planned, seq: u64) {
    if s.fired.get(&target).is_some_and(|last| *last >= due) {
        return;
    }
    s.plan.insert((target, due), seq);
}

pub fn start(app: Arc<App>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("flowgate-scheduler".into())
        .spawn(move || run(&app))
}

/// What the thread does next.
enum Step {
    Stop,
    Rebuild(u64),
    Fire(Vec<Planned>),
}

fn run(app: &App) {
    let sched = &app.scheduler;
    let mut next_reload = i64::MIN;
    loop {
        let step = next_step(sched, next_reload);
        match step {
            Step::Stop => break,
            Step::Rebuild(ticket) => {
                match rebuild(app) {
                    Ok(()) => next_reload = sched.now() + WINDOW_MS,
                    Err(e) => {
                        tracing::error!(error = %e, cause = e.cause(), "planning schedules failed; retrying in 1 s");
                        next_reload = sched.now() + 1000;
                    }
                }
                let mut s = sched.lock();
                s.done = s.done.max(ticket);
                drop(s);
                sched.wake.notify_all();
            }
            Step::Fire(due) => {
                for (target, at) in due {
                    if let Err(e) = fire(app, target, at) {
                        tracing::error!(workflow = target.workflow, record = ?target.record, error = %e,
                            cause = e.cause(), "scheduled fire failed");
                    }
                }
            }
        }
    }
    tracing::debug!("scheduler stopped");
}

/// Waits for the next thing to do: a rebuild asked for or due, fires due, or shutdown.
fn next_step(sched: &Scheduler, next_reload: i64) -> Step {
    let mut s = sched.lock();
    loop {
        if s.shutdown {
            return Step::Stop;
        }
        let now = sched.now();
        if s.asked > s.done || now >= next_reload {
            return Step::Rebuild(s.asked);
        }
        let mut due: Vec<Planned> = s
            .plan
            .keys()
            .filter(|(_, at)| *at <= now)
            .copied()
            .collect();
        if !due.is_empty() {
            due.sort_by_key(|(t, at)| (*at, *t));
            for (t, at) in &due {
                s.plan.remove(&(*t, *at));
                let last = s.fired.entry(*t).or_insert(*at);
                *last = (*last).max(*at);
            }
            return Step::Fire(due);
        }
        let until = s
            .plan
            .keys()
            .map(|(_, at)| *at)
            .min()
            .unwrap_or(next_reload)
            .min(next_reload);
        let wait = Duration::from_millis((until - now).clamp(1, 60_000) as u64);
        s = match sched.wake.wait_timeout(s, wait) {
            Ok((g, _)) => g,
            Err(p) => p.into_inner().0,
        };
    }
}

// ---------------------------------------------------------------- planning

/// Rebuilds the whole plan. Reads in a `Store::write` turn (reading only), so that it comes after every
/// record save already raised; the entries those saves plan meanwhile (a later sequence) are kept.
fn rebuild(app: &App) -> Result<()> {
    let sched = &app.scheduler;
    let fired = sched.lock().fired.clone();
    let (seq0, plan) = app.store.write(|c| {
        let seq0 = sched.seq.fetch_add(1, Ordering::SeqCst);
        Ok((seq0, compute_plan(app, c, sched.now(), &fired)?))
    })?;
    let mut s = sched.lock();
    s.plan.retain(|_, seq| *seq > seq0);
    for p in plan {
        put(&mut s, p, seq0);
    }
    // A plan starts from the current second: an older fire can no longer be planned again.
    let recent = schedule::whole_second(sched.now()) - 1000;
    s.fired.retain(|_, last| *last >= recent);
    Ok(())
}

/// Where a target's next fire is computed from: `now`, or right after its last fire when that was in
/// this second or the one before (as the fire itself computes it, so that a rebuild just after a fire
/// plans the same time: a 1000 ms grid still fires every 2 s).
fn reference(fired: &HashMap<Target, i64>, target: Target, now: i64) -> (i64, bool) {
    match fired.get(&target) {
        Some(last) if *last >= schedule::whole_second(now) - 1000 => (now.max(*last), true),
        _ => (now, false),
    }
}

/// The plan as the store holds it at `now`: every enabled schedule's next fire (static), and each
/// record's next fire within twice the window (date field). `fired`: the targets' last fires in this
/// process.
pub fn compute_plan(
    app: &App,
    c: &Connection,
    now: i64,
    fired: &HashMap<Target, i64>,
) -> Result<Vec<Planned>> {
    let mut out = Vec::new();
    for w in workflows::enabled_of_type(c, schedule::NAME)? {
        let s = match Schedule::parse(&w.config) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(workflow = w.id, key = %w.key, problem = %e[0].message,
                    "schedule workflow not planned: its config no longer parses");
                continue;
            }
        };
        let executed = workflows::key_executed(c, &w.key)?;
        match &s.mode {
            Mode::Static { .. } => {
                let target = Target {
                    workflow: w.id,
                    record: None,
                };
                let (from, after_run) = reference(fired, target, now);
                if let Some(due) = schedule::next_static(&s, executed, from, after_run) {
                    out.push((target, due));
                }
            }
            Mode::DateField { .. } => {
                for (id, times) in records_in_window(app, c, &s, now)? {
                    let target = Target {
                        workflow: w.id,
                        record: Some(id),
                    };
                    let (from, after_run) = reference(fired, target, now);
                    let next = schedule::next_for_record(
                        &s,
                        times,
                        executed,
                        from,
                        after_run,
                        2 * WINDOW_MS,
                    );
                    if let Some(due) = next {
                        out.push((target, due));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The records of a date-field schedule that may fire before `now + 2·window`, with their times:
/// a start before the horizon, and (without `repeat`) not already past.
fn records_in_window(
    app: &App,
    c: &Connection,
    s: &Schedule,
    now: i64,
) -> Result<Vec<(i64, Times)>> {
    let Mode::DateField { starts_on: on, .. } = &s.mode else {
        return Ok(Vec::new());
    };
    let schema = app.registry.snapshot();
    let Some(coll) = s.collection().and_then(|n| schema.get(n)).cloned() else {
        return Ok(Vec::new());
    };
    let iso = crate::time::ms_to_iso;
    let field_before = now + 2 * WINDOW_MS - on.offset_ms + 1000;
    let mut conds = vec![json!({ on.field.clone(): { "$dateBefore": iso(field_before) } })];
    if s.repeat.is_none() {
        let field_from = schedule::whole_second(now) - on.offset_ms;
        conds.push(json!({ on.field.clone(): { "$dateNotBefore": iso(field_from) } }));
    }
    let w = filter::compile(&schema, &coll, Some(&json!({ "$and": conds })))?;
    let ids = records::matching_ids(c, &coll, &w)?;
    let rows = records::get_many(c, &schema, &coll, &ids, &[], None)?;
    Ok(rows
        .iter()
        .filter_map(|r| Some((r.get("id")?.as_i64()?, s.record_times(r))))
        .collect())
}

// ---------------------------------------------------------------- firing

/// What a fire found: the schedule and the record's times, to plan the next one from.
struct Fired {
    schedule: Schedule,
    times: Times,
    executed: u64,
}

/// Fires `target` planned at `at`: queues its execution if the store still says it is due, then plans
/// its next fire.
fn fire(app: &App, target: Target, at: i64) -> Result<()> {
    let fired = app.store.write(|c| queue_if_due(app, c, target, at))?;
    let Some(f) = fired else {
        return Ok(());
    };
    app.queue.notify();
    let sched = &app.scheduler;
    if f.schedule.repeat.is_none() {
        return Ok(());
    }
    // From the run's second, or later if the fire itself was late.
    let now = sched.now().max(at);
    let next = match target.record {
        None => schedule::next_static(&f.schedule, f.executed, now, true),
        Some(_) => {
            schedule::next_for_record(&f.schedule, f.times, f.executed, now, true, 2 * WINDOW_MS)
        }
    };
    if let Some(due) = next {
        let seq = sched.seq.fetch_add(1, Ordering::SeqCst);
        put(&mut sched.lock(), (target, due), seq);
        sched.wake.notify_all();
    }
    Ok(())
}

/// In the fire's transaction: the version still enabled, `at` a fire time of its config (and of the
/// record, re-read with `appends`; a deleted one is skipped), the limit not reached, no fire of the
/// same time already (a restart within the second) → one QUEUEING execution with `{date}` or
/// `{data, date}`.
fn queue_if_due(app: &App, c: &Connection, target: Target, at: i64) -> Result<Option<Fired>> {
    let Some(w) = workflows::get(c, target.workflow)? else {
        return Ok(None);
    };
    if !w.enabled || w.kind != schedule::NAME {
        return Ok(None);
    }
    let Ok(s) = Schedule::parse(&w.config) else {
        return Ok(None);
    };
    let executed = workflows::key_executed(c, &w.key)?;
    if s.limit_reached(executed) {
        return Ok(None);
    }
    let date = crate::time::ms_to_iso(at);
    let (context, times) = match (target.record, &s.mode) {
        (None, Mode::Static { .. }) => {
            let times = s.record_times(&Value::Null);
            let repeated = executions::last_fired(c, &w.key)?
                .and_then(|d| crate::time::iso_to_ms(&d))
                .is_some_and(|last| last >= at);
            if repeated || !schedule::fires_at(&s, times, at) {
                return Ok(None);
            }
            (json!({ "date": date }), times)
        }
        (Some(id), Mode::DateField { .. }) => {
            let schema = app.registry.snapshot();
            let Some(coll) = s.collection().and_then(|n| schema.get(n)).cloned() else {
                return Ok(None);
            };
            let appends = super::triggers::collection::with_prefixes(&w.appends());
            let Some(data) = records::get(c, &schema, &coll, id, &appends, None)? else {
                tracing::info!(
                    workflow = w.id,
                    record = id,
                    "scheduled record no longer exists: skipped"
                );
                return Ok(None);
            };
            let times = s.record_times(&data);
            if !schedule::fires_at(&s, times, at) {
                return Ok(None);
            }
            (json!({ "data": data, "date": date }), times)
        }
        _ => return Ok(None),
    };
    executions::insert_queued(c, &w, &context)?;
    app.metrics.trigger_run(&w.key, None);
    tracing::info!(workflow = w.id, key = %w.key, record = ?target.record, date = %date, "schedule fired");
    Ok(Some(Fired {
        schedule: s,
        times,
        executed: executed + 1,
    }))
}
