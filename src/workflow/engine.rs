//! The processor (workflows.md §4): runs a workflow version's nodes from the head, following downstream
//! links and branches, keeping one job per node run, and maps the last job to the execution status.
//!
//! Jobs live in memory while a run goes on and are written with the execution's status in one
//! transaction at the end (or when a `delay` leaves the run pending). Branching nodes are resumable state
//! machines (see `nodes::Step`), so a run paused inside a loop or branch continues after a restart.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Connection;
use serde_json::{json, Value};

use super::model::{ExecStatus, ExecutionRow, JobStatus, Node, Workflow};
use super::nodes::{self, Step, Typed};
use super::repo::{executions, workflows};
use super::template;
use crate::app::App;
use crate::collections::events::Origin;
use crate::error::Result;

/// A workflow version with its nodes, immutable once loaded.
#[derive(Debug)]
pub struct Flow {
    pub workflow: Workflow,
    pub nodes: HashMap<i64, FlowNode>,
    pub head: Option<i64>,
    /// No node waits (`Instruction::waits`: a `request`, a `delay`): a run can be one write transaction
    /// from the execution's insert (or claim) to its last job, with each node's writes in a savepoint.
    pub in_one_write: bool,
}

/// A node of a loaded version: the stored row (config JSON verbatim) and its parsed config.
#[derive(Debug, Clone)]
pub struct FlowNode {
    pub row: Node,
    /// The node type with the parsed config, or why the node can not run: the message its job gets.
    pub typed: std::result::Result<Typed, String>,
}

impl FlowNode {
    /// A stored config that no longer parses (a type unregistered since, a rule added since, a row written
    /// by hand) must not fail the load: that would take the whole version, and every trigger of its key,
    /// down with a 500. The version loads; running that node ends its job ERROR with a message naming the
    /// node and each problem (`Refused::job_message`), so the execution fails and says why.
    fn parse(row: Node) -> FlowNode {
        let typed = nodes::parse(&row.kind, &row.config).map_err(|refused| {
            let message = refused.job_message(&row);
            tracing::warn!(workflow = row.workflow_id, node = row.id, %message, "stored node config refused");
            message
        });
        FlowNode { row, typed }
    }
}

impl Flow {
    pub fn load(c: &Connection, id: i64) -> Result<Option<Flow>> {
        let Some(workflow) = workflows::get(c, id)? else {
            return Ok(None);
        };
        let list = workflows::nodes(c, id)?;
        let head = list
            .iter()
            .filter(|n| n.upstream_id.is_none() && n.branch_index.is_none())
            .map(|n| n.id)
            .min();
        let in_one_write = !list
            .iter()
            .any(|n| nodes::get(&n.kind).is_some_and(|i| i.waits()));
        let nodes = list
            .into_iter()
            .map(|n| (n.id, FlowNode::parse(n)))
            .collect();
        Ok(Some(Flow {
            workflow,
            nodes,
            head,
            in_one_write,
        }))
    }

    pub fn node(&self, id: i64) -> Option<&FlowNode> {
        self.nodes.get(&id)
    }

    pub fn node_by_key(&self, key: &str) -> Option<&FlowNode> {
        self.nodes.values().find(|n| n.row.key == key)
    }

    /// The head of branch `index` under `parent`.
    pub fn branch_head(&self, parent: i64, index: i64) -> Option<&FlowNode> {
        self.nodes
            .values()
            .find(|n| n.row.upstream_id == Some(parent) && n.row.branch_index == Some(index))
    }

    /// Branch indexes present under `parent`, ascending.
    pub fn branch_indexes(&self, parent: i64) -> Vec<i64> {
        let mut v: Vec<i64> = self
            .nodes
            .values()
            .filter(|n| n.row.upstream_id == Some(parent))
            .filter_map(|n| n.row.branch_index)
            .collect();
        v.sort_unstable();
        v
    }

    /// The first node of the chain `id` is on: the main head or a branch head.
    fn chain_head(&self, id: i64) -> Option<&Node> {
        let mut n = &self.node(id)?.row;
        while n.branch_index.is_none() {
            match n.upstream_id.and_then(|u| self.node(u)).map(|u| &u.row) {
                Some(up) => n = up,
                None => break,
            }
        }
        Some(n)
    }
}

/// One job in memory; `id` is set once written.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Option<i64>,
    pub node_id: i64,
    pub node_key: String,
    /// Index in `Processor::jobs` of the upstream job.
    pub upstream: Option<usize>,
    pub status: JobStatus,
    pub result: Value,
    pub meta: Value,
    pub created_at: String,
    pub created_ms: i64,
    pub updated_at: String,
    dirty: bool,
}

/// How a run ended, for the trigger and the queue.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub execution_id: i64,
    /// Final execution status; STARTED = a pending delay.
    pub status: ExecStatus,
    /// The last job was an `end` node (trigger.md §7 stop / intercept).
    pub ended_by_end: bool,
    pub messages: Vec<String>,
    /// When a pending delay is due (epoch ms), for the queue's timer.
    pub due_ms: Option<i64>,
}

pub struct Processor<'a> {
    pub app: &'a App,
    /// The writer's transaction the whole run is in (a sync run of a flow `in_one_write`), or `None`:
    /// then each node's write is a [`crate::store::Store::write`] of its own.
    tx: Option<&'a Connection>,
    pub flow: Arc<Flow>,
    pub execution_id: i64,
    pub context: Value,
    pub jobs: Vec<Job>,
    /// Node key → index of its latest job ($jobsMapByNodeKey).
    latest: HashMap<String, usize>,
    /// Enclosing loops by node key and id ($scopes).
    scopes: HashMap<String, Value>,
    /// `response-message` texts are collected only for a sync run of an HTTP trigger.
    pub collect_messages: bool,
    pub messages: Vec<String>,
    pub output: Option<Value>,
    /// The workflow versions whose runs led to this one, this one last (NocoBase's execution `stack`,
    /// by version): a data event raised by this run's writes carries it, for `options.stackLimit`.
    pub stack: Vec<i64>,
    /// The status an `end` node ended the run with.
    ended: Option<JobStatus>,
    deadline_ms: Option<i64>,
    timed_out: bool,
    due_ms: Option<i64>,
    /// The run is inside a request (sync or manual): never retried (`options.retry` is for async runs).
    pub sync: bool,
    /// `options.retry`'s attempt this run is (1 for the first).
    attempt: i64,
    /// Set by `save` when this attempt failed and another is due then (epoch ms).
    retry_due_ms: Option<i64>,
}

impl<'a> Processor<'a> {
    pub fn new(app: &'a App, flow: Arc<Flow>, execution: &ExecutionRow) -> Processor<'a> {
        let timeout = flow.workflow.timeout_ms();
        let started = execution
            .started_at
            .as_deref()
            .and_then(crate::time::iso_to_ms)
            .unwrap_or_else(crate::time::now_ms);
        let flow_id = flow.workflow.id;
        Processor {
            app,
            tx: None,
            flow,
            execution_id: execution.id,
            context: execution.context.clone(),
            jobs: Vec::new(),
            latest: HashMap::new(),
            scopes: HashMap::new(),
            collect_messages: false,
            messages: Vec::new(),
            output: None,
            stack: vec![flow_id],
            ended: None,
            deadline_ms: (timeout > 0).then_some(started + timeout),
            timed_out: false,
            due_ms: None,
            sync: execution.sync,
            attempt: execution.attempt,
            retry_due_ms: None,
        }
    }

    /// A node's write: a savepoint of the run's transaction, or a write of its own.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match self.tx {
            Some(c) => crate::store::savepoint(c, f),
            None => self.app.write(f),
        }
    }

    /// Who a node's records write comes from: this run's chain, for the data events it raises.
    pub fn origin(&self) -> Origin<'_> {
        Origin {
            app: Some(self.app),
            stack: &self.stack,
        }
    }

    /// A node's read: inside the run's transaction (it sees the run's own writes), or from the pool.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match self.tx {
            Some(c) => f(c),
            None => self.app.store.read(f),
        }
    }

    // ---- variables and templates ----

    /// Resolves `$context…`, `$jobsMapByNodeKey…`, `$scopes…`, `$system.now`, `$env.X` (workflows.md §5).
    pub fn lookup(&self, path: &str) -> Option<Value> {
        let segs: Vec<&str> = path.split('.').collect();
        match segs[0] {
            "$context" => template::walk(&self.context, &segs[1..]),
            "$jobsMapByNodeKey" => {
                let job = &self.jobs[*self.latest.get(*segs.get(1)?)?];
                template::walk(&job.result, &segs[2..])
            }
            "$scopes" => template::walk(self.scopes.get(*segs.get(1)?)?, &segs[2..]),
            "$system" => match segs.get(1) {
                Some(&"now") => Some(Value::String(crate::time::now_iso())),
                _ => None,
            },
            "$env" => {
                let name = segs.get(1)?;
                let v = std::env::var(format!("FLOWGATE_ENV_{name}"))
                    .ok()
                    .map(Value::String)
                    .unwrap_or(Value::Null);
                template::walk(&v, &segs[2..])
            }
            _ => None,
        }
    }

    pub fn render(&self, v: &Value) -> Value {
        template::render(v, &|p: &str| self.lookup(p))
    }

    pub fn evaluate(&self, engine: &str, source: &str) -> std::result::Result<Value, String> {
        super::expr::evaluate(engine, source, &|p: &str| self.lookup(p))
    }

    pub fn set_scope(&mut self, node: &Node, value: Value) {
        self.scopes.insert(node.id.to_string(), value.clone());
        self.scopes.insert(node.key.clone(), value);
    }

    pub fn clear_scope(&mut self, node: &Node) {
        self.scopes.remove(&node.id.to_string());
        self.scopes.remove(&node.key);
    }

    pub fn end(&mut self, st: JobStatus) {
        self.ended = Some(st);
    }

    pub fn set_output(&mut self, v: Value) {
        self.output = Some(v);
    }

    pub fn push_message(&mut self, m: String) {
        if self.collect_messages && !m.is_empty() {
            self.messages.push(m);
        }
    }

    /// A delay job became pending and is due at `due_ms`.
    pub fn pend_until(&mut self, due_ms: i64) {
        self.due_ms = Some(self.due_ms.map_or(due_ms, |d| d.min(due_ms)));
    }

    /// Records an extra RESOLVED job for another node (the `variable` node's target).
    pub fn record_for(&mut self, node: &Node, result: Value, upstream: Option<usize>) {
        let idx = self.push_job(node, upstream, JobStatus::Resolved);
        self.jobs[idx].result = result;
    }

    // ---- running ----

    fn push_job(&mut self, node: &Node, upstream: Option<usize>, st: JobStatus) -> usize {
        let now = crate::time::now_iso();
        self.jobs.push(Job {
            id: None,
            node_id: node.id,
            node_key: node.key.clone(),
            upstream,
            status: st,
            result: Value::Null,
            meta: Value::Null,
            created_at: now.clone(),
            created_ms: crate::time::now_ms(),
            updated_at: now,
            dirty: true,
        });
        let idx = self.jobs.len() - 1;
        self.latest.insert(node.key.clone(), idx);
        idx
    }

    fn set_job(&mut self, idx: usize, st: JobStatus, result: Option<Value>, meta: Option<Value>) {
        let job = &mut self.jobs[idx];
        job.status = st;
        if let Some(r) = result {
            job.result = r;
        }
        if let Some(m) = meta {
            job.meta = m;
        }
        job.updated_at = crate::time::now_iso();
        job.dirty = true;
    }

    fn check_deadline(&mut self) -> bool {
        if self.past_deadline(crate::time::now_ms()) {
            self.timed_out = true;
        }
        self.timed_out
    }

    pub fn past_deadline(&self, now_ms: i64) -> bool {
        self.deadline_ms.is_some_and(|d| now_ms >= d)
    }

    pub fn deadline(&self) -> Option<i64> {
        self.deadline_ms
    }

    /// The run is past `options.timeout`: it ends ABORTED, reason `timeout`.
    pub fn time_out(&mut self) {
        self.timed_out = true;
    }

    /// Whether the run must unwind now (an `end` node ran or the timeout passed).
    fn stopping(&self) -> bool {
        self.ended.is_some() || self.timed_out
    }

    /// Runs from the head; returns the chain's final status.
    pub fn start(&mut self) -> JobStatus {
        let flow = self.flow.clone();
        match flow.head {
            Some(h) => self.run_chain(h, None),
            None => JobStatus::Resolved,
        }
    }

    /// Runs `start` and its downstream nodes while jobs resolve.
    fn run_chain(&mut self, start: i64, prev: Option<usize>) -> JobStatus {
        let flow = self.flow.clone();
        let mut current = flow.node(start);
        let mut prev = prev;
        while let Some(node) = current {
            if self.check_deadline() {
                return JobStatus::Aborted;
            }
            let (st, idx) = self.run_node(node, prev);
            if self.stopping() || st != JobStatus::Resolved {
                return st;
            }
            prev = Some(idx);
            current = node.row.downstream_id.and_then(|d| flow.node(d));
        }
        JobStatus::Resolved
    }

    fn run_node(&mut self, node: &FlowNode, prev: Option<usize>) -> (JobStatus, usize) {
        let idx = self.push_job(&node.row, prev, JobStatus::Pending);
        tracing::debug!(execution = self.execution_id, node = node.row.id, kind = %node.row.kind, "node");
        (self.drive(node, idx, None), idx)
    }

    /// Steps a node's instruction until it is done, running the branches it asks for.
    fn drive(
        &mut self,
        flow_node: &FlowNode,
        idx: usize,
        mut resume: Option<(Value, JobStatus)>,
    ) -> JobStatus {
        let node = &flow_node.row;
        let typed = match &flow_node.typed {
            Ok(t) => t,
            Err(message) => {
                self.set_job(
                    idx,
                    JobStatus::Error,
                    Some(json!({ "message": message })),
                    None,
                );
                return JobStatus::Error;
            }
        };
        loop {
            let step = typed
                .instruction
                .run(self, node, &typed.config, idx, resume.take());
            match step {
                Step::Done {
                    status: st,
                    result,
                    meta,
                } => {
                    let st = self.ended.filter(|_| node.kind == "end").unwrap_or(st);
                    self.set_job(idx, st, Some(result), meta);
                    return st;
                }
                Step::Pending { result, due_ms } => {
                    self.set_job(idx, JobStatus::Pending, Some(result), None);
                    self.pend_until(due_ms);
                    return JobStatus::Pending;
                }
                Step::Branch { index, state } => {
                    let st = match self.flow.clone().branch_head(node.id, index) {
                        Some(head) => self.run_chain(head.row.id, Some(idx)),
                        None => JobStatus::Resolved,
                    };
                    if st == JobStatus::Pending || self.stopping() {
                        let meta = json!({ "state": state, "branch": index });
                        let job_status = self.ended.unwrap_or(if self.timed_out {
                            JobStatus::Aborted
                        } else {
                            JobStatus::Pending
                        });
                        self.set_job(idx, job_status, None, Some(meta));
                        return st;
                    }
                    resume = Some((state, st));
                }
            }
        }
    }

    /// The execution status for a chain that ended with `chain`.
    pub fn final_status(&self, chain: JobStatus) -> ExecStatus {
        if let Some(e) = self.ended {
            return e.into();
        }
        if self.timed_out {
            return ExecStatus::Aborted;
        }
        chain.into()
    }

    fn ended_by_end(&self) -> bool {
        self.ended.is_some()
    }

    // ---- resuming ----

    /// Loads the saved jobs of an execution (a run paused by a delay).
    pub fn restore(&mut self, c: &Connection) -> Result<()> {
        let rows = executions::jobs(c, self.execution_id)?;
        let by_id: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        for r in rows {
            let key = r.node_key.clone().unwrap_or_default();
            self.jobs.push(Job {
                id: Some(r.id),
                node_id: r.node_id.unwrap_or(0),
                node_key: key.clone(),
                upstream: r.upstream_id.and_then(|u| by_id.get(&u).copied()),
                status: r.status,
                result: r.result,
                meta: r.meta,
                created_ms: crate::time::iso_to_ms(&r.created_at).unwrap_or(0),
                created_at: r.created_at,
                updated_at: r.updated_at,
                dirty: false,
            });
            self.latest.insert(key, self.jobs.len() - 1);
        }
        // Re-enter the scopes of loops that were waiting for their branch.
        let flow = self.flow.clone();
        let waiting: Vec<(i64, Value)> = self
            .jobs
            .iter()
            .filter(|j| j.status == JobStatus::Pending)
            .filter_map(|j| Some((j.node_id, j.meta.get("state")?.get("scope")?.clone())))
            .collect();
        for (node_id, scope) in waiting {
            if let Some(node) = flow.node(node_id) {
                self.set_scope(&node.row, scope);
            }
        }
        Ok(())
    }

    /// The pending delay job, if any, and the status it ends with.
    pub fn pending_delay(&self) -> Option<(usize, JobStatus)> {
        self.jobs.iter().enumerate().rev().find_map(|(i, j)| {
            let typed = self.flow.node(j.node_id)?.typed.as_ref().ok()?;
            let end_status = typed
                .delay_end_status()
                .filter(|_| j.status == JobStatus::Pending)?;
            Some((i, end_status))
        })
    }

    /// When the saved delay is due: job creation + duration (its result holds the duration in ms).
    pub fn delay_due_ms(&self, idx: usize) -> i64 {
        let job = &self.jobs[idx];
        job.created_ms + job.result.as_i64().unwrap_or(0)
    }

    /// Finishes job `idx` with `st` and continues the run from there, returning through every branch
    /// owner up to the main chain. Returns the chain status like `start`.
    pub fn resume_from(&mut self, idx: usize, st: JobStatus) -> JobStatus {
        self.set_job(idx, st, None, None);
        let flow = self.flow.clone();
        let mut node_id = self.jobs[idx].node_id;
        let mut job_idx = idx;
        let mut st = st;
        loop {
            if st == JobStatus::Resolved {
                if let Some(down) = flow.node(node_id).and_then(|n| n.row.downstream_id) {
                    st = self.run_chain(down, Some(job_idx));
                }
            }
            if st == JobStatus::Pending || self.stopping() {
                return st;
            }
            let Some(head) = flow.chain_head(node_id) else {
                return st;
            };
            let (Some(_), Some(parent_id)) = (head.branch_index, head.upstream_id) else {
                return st;
            };
            let Some(parent) = flow.node(parent_id) else {
                return st;
            };
            let Some(parent_idx) = self.jobs.iter().rposition(|j| j.node_id == parent_id) else {
                return st;
            };
            let state = self.jobs[parent_idx]
                .meta
                .get("state")
                .cloned()
                .unwrap_or(Value::Null);
            st = self.drive(parent, parent_idx, Some((state, st)));
            node_id = parent_id;
            job_idx = parent_idx;
        }
    }

    // ---- saving ----

    /// Marks jobs still pending as ABORTED (timeout, cancel).
    fn abort_pending(&mut self, st: JobStatus) {
        for i in 0..self.jobs.len() {
            if self.jobs[i].status == JobStatus::Pending {
                self.set_job(i, st, None, None);
            }
        }
    }

    /// Whether this run's end is a failure `options.retry` runs again: an async run that ended ERROR, or
    /// failed at a `request` node (not a timeout, not an `end` node's choice). Returns what to record.
    fn retry_of(&self, exec_status: ExecStatus) -> Option<(executions::FailedAttempt, i64)> {
        // A dry run answers at once: its runs make one attempt.
        if self.sync
            || self.app.dry_run.is_some()
            || !exec_status.is_failure()
            || self.timed_out
            || self.ended.is_some()
        {
            return None;
        }
        let policy = self.flow.workflow.retry_policy()?;
        if !policy.allows_after(self.attempt) {
            return None;
        }
        let failed = self.jobs.iter().rev().find(|j| j.status.code() < 0);
        let at_request = failed
            .and_then(|j| self.flow.node(j.node_id))
            .is_some_and(|n| n.row.kind == "request");
        if exec_status != ExecStatus::Error && !at_request {
            return None;
        }
        // A thrown error's `{message}`, or a node's text result (a calculation's error).
        let reason = failed.and_then(|j| match &j.result {
            Value::String(s) => Some(s.clone()),
            r => r.get("message").and_then(Value::as_str).map(str::to_string),
        });
        let attempt = executions::FailedAttempt {
            attempt: self.attempt,
            status: exec_status,
            reason,
            node_key: failed.map(|j| j.node_key.clone()),
        };
        let due = crate::time::now_ms() + policy.random_delay_ms(self.attempt);
        Some((attempt, due))
    }

    /// Writes new and changed jobs and the execution's status, output and reason — or, when the run is
    /// to be retried (`options.retry`), records the failed attempt and leaves the execution STARTED
    /// until the next one is due.
    pub fn save(&mut self, c: &Connection, exec_status: ExecStatus) -> Result<()> {
        if let Some((failed, due)) = self.retry_of(exec_status) {
            executions::schedule_retry(
                c,
                self.execution_id,
                &failed,
                &crate::time::ms_to_iso(due),
            )?;
            self.retry_due_ms = Some(due);
            return Ok(());
        }
        if exec_status.is_failure() && self.timed_out {
            self.abort_pending(JobStatus::Aborted);
        }
        for i in 0..self.jobs.len() {
            if !self.jobs[i].dirty {
                continue;
            }
            let upstream_id = self.jobs[i].upstream.and_then(|u| self.jobs[u].id);
            let j = &self.jobs[i];
            let write = executions::JobWrite {
                execution_id: self.execution_id,
                node_id: j.node_id,
                node_key: &j.node_key,
                upstream_id,
                status: j.status,
                result: &j.result,
                meta: &j.meta,
                created_at: &j.created_at,
                updated_at: &j.updated_at,
            };
            match j.id {
                Some(id) => executions::update_job(c, id, &write)?,
                None => {
                    let id = executions::insert_job(c, &write)?;
                    self.jobs[i].id = Some(id);
                }
            }
            self.jobs[i].dirty = false;
        }
        let reason = if self.timed_out {
            Some("timeout")
        } else {
            None
        };
        executions::finish(
            c,
            self.execution_id,
            exec_status,
            self.output.as_ref(),
            reason,
        )?;
        // Retention per workflow (NocoBase's Dispatcher deletes a finished run the same way): in the
        // saving transaction, so nobody reads the run between its end and its deletion.
        if self.flow.workflow.deletes_execution_on(exec_status) {
            executions::delete_final(c, self.execution_id)?;
        }
        Ok(())
    }

    pub fn outcome(&self, exec_status: ExecStatus) -> Outcome {
        if let Some(due) = self.retry_due_ms {
            return Outcome {
                execution_id: self.execution_id,
                status: ExecStatus::Started,
                ended_by_end: false,
                messages: self.messages.clone(),
                due_ms: Some(due),
            };
        }
        if exec_status != ExecStatus::Started {
            self.app.metrics.execution_finished(exec_status.code());
        }
        Outcome {
            execution_id: self.execution_id,
            status: exec_status,
            ended_by_end: self.ended_by_end(),
            messages: self.messages.clone(),
            due_ms: match (
                exec_status == ExecStatus::Started,
                self.due_ms,
                self.deadline_ms,
            ) {
                (false, _, _) => None,
                (true, Some(a), Some(b)) => Some(a.min(b)),
                (true, a, b) => a.or(b),
            },
        }
    }
}

/// Runs a workflow inside the current request: insert STARTED, run, save (workflows.md §4.2). A flow
/// with no waiting node runs in one write transaction: nobody sees the execution before it is saved
/// (so no worker or recovery can touch it: it is not marked busy), and it costs one commit, not three.
pub fn run_in_request(
    app: &App,
    flow: Arc<Flow>,
    context: Value,
    manually: bool,
    collect_messages: bool,
) -> Result<Outcome> {
    run_in_request_linked(app, flow, context, manually, collect_messages, None)
}

/// [`run_in_request`] of a re-run: the new execution names `rerun_of`.
pub fn run_in_request_linked(
    app: &App,
    flow: Arc<Flow>,
    context: Value,
    manually: bool,
    collect_messages: bool,
    rerun_of: Option<i64>,
) -> Result<Outcome> {
    let insert = |c: &Connection| {
        executions::insert_started_linked(c, &flow.workflow, &context, manually, rerun_of)
    };
    if flow.in_one_write {
        let outcome = app.write(|c| {
            let exec = insert(c)?;
            let stack = vec![flow.workflow.id];
            run_within(app, c, flow.clone(), &exec, collect_messages, stack)
        })?;
        if let Some(due) = outcome.due_ms {
            app.queue.arm(outcome.execution_id, due);
        }
        return Ok(outcome);
    }
    let exec = app.store.write(insert)?;
    let _busy = app.queue.mark_busy(exec.id);
    let mut p = Processor::new(app, flow, &exec);
    p.collect_messages = collect_messages;
    let chain = p.start();
    let st = p.final_status(chain);
    app.write(|c| p.save(c, st))?;
    let outcome = p.outcome(st);
    if let Some(due) = outcome.due_ms {
        app.queue.arm(exec.id, due);
    }
    Ok(outcome)
}

/// Runs `exec` of `flow` from the head inside the writer's transaction `c` (a flow `in_one_write`): every
/// node's store access goes through it, and the jobs and the status are saved in it. `stack` is the
/// chain of versions that led to this run, this one last.
fn run_within(
    app: &App,
    c: &Connection,
    flow: Arc<Flow>,
    exec: &ExecutionRow,
    collect_messages: bool,
    stack: Vec<i64>,
) -> Result<Outcome> {
    let mut p = Processor::new(app, flow, exec);
    p.tx = Some(c);
    p.collect_messages = collect_messages;
    p.stack = stack;
    let chain = p.start();
    let st = p.final_status(chain);
    p.save(c, st)?;
    Ok(p.outcome(st))
}

/// Runs a sync data-event or post-action workflow (a flow `in_one_write`) inside the writing transaction
/// `c`, in a savepoint of its own: the execution is inserted, run and saved there, so it commits with the
/// write. `collect_messages`: the run belongs to an HTTP request, whose answer carries its messages.
pub fn run_in_write(
    app: &App,
    c: &Connection,
    flow: Arc<Flow>,
    context: &Value,
    stack: Vec<i64>,
    collect_messages: bool,
) -> Result<Outcome> {
    crate::store::savepoint(c, |c| {
        let exec = executions::insert_started(c, &flow.workflow, context, false)?;
        run_within(app, c, flow.clone(), &exec, collect_messages, stack)
    })
}

/// Runs a claimed async execution of `flow` from the head. A flow with no waiting node runs in one write
/// transaction: one commit for the whole run, and a crash mid-run leaves nothing of it behind (the claimed
/// row is run again by the recovery).
pub fn run_claimed(app: &App, flow: Arc<Flow>, exec: &ExecutionRow) -> Result<Outcome> {
    let stack = app
        .stacks
        .take(exec.id)
        .unwrap_or_else(|| vec![flow.workflow.id]);
    if flow.in_one_write {
        return app.write(|c| run_within(app, c, flow.clone(), exec, false, stack.clone()));
    }
    let mut p = Processor::new(app, flow, exec);
    p.stack = stack;
    let chain = p.start();
    let st = p.final_status(chain);
    app.write(|c| p.save(c, st))?;
    Ok(p.outcome(st))
}
