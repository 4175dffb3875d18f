//! Executions (`executions`) with their jobs (`jobs`). Statuses are bound as [`ExecStatus`] and
//! [`JobStatus`], so the numbers stored are NocoBase's; QUEUEING is `NULL`.

use rusqlite::{params, Connection};
use serde_json::Value;

use super::workflows;
use crate::error::Result;
use crate::store::OptionalExt;
use crate::workflow::model::{ExecStatus, ExecutionRow, JobRow, JobStatus, Workflow};

/// The columns `ExecutionRow::from_row` reads, in its order.
const EXECUTION_COLUMNS: &str =
    "id, key, workflowId, context, status, output, reason, manually, sync, startedAt, createdAt, updatedAt, rerunOf, attempt, retryAt";

/// The columns `JobRow::from_row` reads, in its order.
const JOB_COLUMNS: &str =
    "id, executionId, nodeId, nodeKey, upstreamId, status, result, meta, createdAt, updatedAt";

pub fn get(c: &Connection, id: i64) -> Result<Option<ExecutionRow>> {
    c.prepare_cached(&format!(
        "SELECT {EXECUTION_COLUMNS} FROM executions WHERE id = ?1"
    ))?
    .query_row(params![id], ExecutionRow::from_row)
    .optional()
}

/// The status alone: `None` = no such execution, `Some(None)` = QUEUEING.
pub fn status(c: &Connection, id: i64) -> Result<Option<Option<ExecStatus>>> {
    c.prepare_cached("SELECT status FROM executions WHERE id = ?1")?
        .query_row(params![id], |r| r.get::<_, Option<ExecStatus>>(0))
        .optional()
}

/// STARTED executions in id order (start-up recovery).
pub fn started(c: &Connection) -> Result<Vec<ExecutionRow>> {
    let mut st = c.prepare(&format!(
        "SELECT {EXECUTION_COLUMNS} FROM executions WHERE status = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map(params![ExecStatus::Started], ExecutionRow::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Inserts a STARTED execution for an in-request run and counts it on the workflow.
pub fn insert_started(
    c: &Connection,
    w: &Workflow,
    context: &Value,
    manually: bool,
) -> Result<ExecutionRow> {
    insert_started_linked(c, w, context, manually, None)
}

/// [`insert_started`] of a re-run: `rerun_of` is the execution it re-runs.
pub fn insert_started_linked(
    c: &Connection,
    w: &Workflow,
    context: &Value,
    manually: bool,
    rerun_of: Option<i64>,
) -> Result<ExecutionRow> {
    let now = crate::time::now_iso();
    c.prepare_cached(
        "INSERT INTO executions (key, workflowId, context, status, manually, sync, startedAt, createdAt, updatedAt, rerunOf)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8)",
    )?
    .execute(params![w.key, w.id, context.to_string(), ExecStatus::Started, manually, w.sync || manually, now, rerun_of])?;
    let id = c.last_insert_rowid();
    workflows::count_execution(c, w.id)?;
    Ok(ExecutionRow {
        id,
        key: w.key.clone(),
        workflow_id: w.id,
        context: context.clone(),
        status: Some(ExecStatus::Started),
        output: Value::Null,
        reason: None,
        manually,
        sync: w.sync || manually,
        started_at: Some(now.clone()),
        created_at: now.clone(),
        updated_at: now,
        rerun_of,
        attempt: 1,
        retry_at: None,
    })
}

/// Inserts a QUEUEING execution (async trigger), counted on the workflow.
pub fn insert_queued(c: &Connection, w: &Workflow, context: &Value) -> Result<i64> {
    insert_queued_linked(c, w, context, None)
}

/// [`insert_queued`] of a re-run: `rerun_of` is the execution it re-runs.
pub fn insert_queued_linked(
    c: &Connection,
    w: &Workflow,
    context: &Value,
    rerun_of: Option<i64>,
) -> Result<i64> {
    let now = crate::time::now_iso();
    c.prepare_cached(
        "INSERT INTO executions (key, workflowId, context, status, manually, sync, createdAt, updatedAt, rerunOf)
         VALUES (?1, ?2, ?3, NULL, 0, 0, ?4, ?4, ?5)",
    )?
    .execute(params![w.key, w.id, context.to_string(), now, rerun_of])?;
    let id = c.last_insert_rowid();
    workflows::count_execution(c, w.id)?;
    Ok(id)
}

/// The `context.date` of the key's latest execution not run by hand: a schedule's last fire, which a
/// fire after a quick restart must not repeat.
pub fn last_fired(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(c.prepare_cached(
        "SELECT json_extract(context, '$.date') FROM executions
             WHERE key = ?1 AND manually = 0 ORDER BY id DESC LIMIT 1",
    )?
    .query_row(params![key], |r| r.get::<_, Option<String>>(0))
    .optional()?
    .flatten())
}

/// Claims up to `limit` QUEUEING rows in id order: they become STARTED at `now`.
pub fn claim(c: &Connection, now: &str, limit: i64) -> Result<Vec<ExecutionRow>> {
    let mut st = c.prepare_cached(&format!(
        "UPDATE executions SET status = ?3, startedAt = ?1, updatedAt = ?1
         WHERE id IN (SELECT id FROM executions WHERE status IS NULL ORDER BY id LIMIT ?2 + 0)
         RETURNING {EXECUTION_COLUMNS}"
    ))?;
    let rows = st.query_map(
        params![now, limit, ExecStatus::Started],
        ExecutionRow::from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A claimed row not run yet goes back to QUEUEING (if still STARTED).
pub fn unclaim(c: &Connection, id: i64) -> Result<()> {
    c.execute(
        "UPDATE executions SET status = NULL, startedAt = NULL WHERE id = ?1 AND status = ?2",
        params![id, ExecStatus::Started],
    )?;
    Ok(())
}

/// An interrupted run starts over: its jobs go and it is QUEUEING again.
pub fn requeue(c: &Connection, id: i64) -> Result<()> {
    c.execute("DELETE FROM jobs WHERE executionId = ?1", params![id])?;
    c.execute(
        "UPDATE executions SET status = NULL, startedAt = NULL WHERE id = ?1",
        params![id],
    )?;
    Ok(())
}

/// The execution ends ABORTED with `reason`; its pending jobs are ABORTED too.
pub fn abort(c: &Connection, id: i64, reason: &str) -> Result<()> {
    let now = crate::time::now_iso();
    c.execute(
        "UPDATE executions SET status = ?2, reason = ?3, updatedAt = ?4, retryAt = NULL WHERE id = ?1",
        params![id, ExecStatus::Aborted, reason, now],
    )?;
    c.execute(
        "UPDATE jobs SET status = ?2, updatedAt = ?3 WHERE executionId = ?1 AND status = ?4",
        params![id, JobStatus::Aborted, now, JobStatus::Pending],
    )?;
    Ok(())
}

/// The execution ends ERROR with `reason` and no further job (it could not run).
pub fn fail(c: &Connection, id: i64, reason: &str) -> Result<()> {
    c.execute(
        "UPDATE executions SET status = ?2, reason = ?3, updatedAt = ?4 WHERE id = ?1",
        params![id, ExecStatus::Error, reason, crate::time::now_iso()],
    )?;
    Ok(())
}

/// A run's status, with its output and reason when it has them (kept otherwise).
pub fn finish(
    c: &Connection,
    id: i64,
    status: ExecStatus,
    output: Option<&Value>,
    reason: Option<&str>,
) -> Result<()> {
    c.prepare_cached(
        "UPDATE executions SET status = ?2, output = COALESCE(?3, output), reason = COALESCE(?4, reason), updatedAt = ?5 WHERE id = ?1",
    )?
    .execute(params![id, status, output.map(Value::to_string), reason, crate::time::now_iso()])?;
    Ok(())
}

/// Deletes an execution unless QUEUEING or STARTED (the worker may be claiming it); returns how many.
pub fn delete_final(c: &Connection, id: i64) -> Result<usize> {
    Ok(c.execute(
        "DELETE FROM executions WHERE id = ?1 AND status IS NOT NULL AND status <> ?2",
        params![id, ExecStatus::Started],
    )?)
}

/// A failed attempt of a run that `options.retry` runs again: recorded, its jobs dropped (the next attempt
/// starts from the head), the execution left STARTED with the next attempt's number and start.
pub fn schedule_retry(
    c: &Connection,
    id: i64,
    failed: &FailedAttempt,
    retry_at: &str,
) -> Result<()> {
    let now = crate::time::now_iso();
    c.prepare_cached(
        "INSERT INTO fg_execution_attempts (executionId, attempt, status, reason, nodeKey, createdAt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, failed.attempt, failed.status, failed.reason, failed.node_key, now])?;
    c.prepare_cached("DELETE FROM jobs WHERE executionId = ?1")?
        .execute(params![id])?;
    c.prepare_cached(
        "UPDATE executions SET attempt = ?2, retryAt = ?3, updatedAt = ?4 WHERE id = ?1",
    )?
    .execute(params![id, failed.attempt + 1, retry_at, now])?;
    Ok(())
}

/// What [`schedule_retry`] records of a failed attempt.
#[derive(Debug, Clone)]
pub struct FailedAttempt {
    pub attempt: i64,
    pub status: ExecStatus,
    pub reason: Option<String>,
    pub node_key: Option<String>,
}

/// The next attempt begins: no longer waiting, started now.
pub fn begin_retry(c: &Connection, id: i64) -> Result<()> {
    let now = crate::time::now_iso();
    c.prepare_cached(
        "UPDATE executions SET retryAt = NULL, startedAt = ?2, updatedAt = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// The store-wide retention of finished executions (`serve --keep-executions N --keep-days D`).
#[derive(Debug, Clone, Copy)]
pub struct Retention<'a> {
    /// Keep the newest `keep` executions (0: no cap); finished ones older than those go.
    pub keep: u64,
    /// Finished executions created before this instant go (ISO text, as `createdAt` is stored).
    pub created_before: Option<&'a str>,
}

/// Deletes up to `batch` finished executions (with their jobs) that `r` no longer keeps, oldest first;
/// returns how many. QUEUEING and STARTED rows always stay. One short statement: the housekeeping calls
/// it in a loop, a write of its own each time, so the writer is never held long.
pub fn prune(c: &Connection, r: Retention, batch: u64) -> Result<usize> {
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let mut deleted = 0;
    if r.keep > 0 {
        // The id of the first execution past the cap (ids only grow: the newest have the largest).
        let edge: Option<i64> = c
            .prepare_cached("SELECT id FROM executions ORDER BY id DESC LIMIT 1 OFFSET ?1")?
            .query_row(params![as_i64(r.keep)], |row| row.get(0))
            .optional()?;
        if let Some(edge) = edge {
            deleted += c
                .prepare_cached(
                    "DELETE FROM executions WHERE id IN (SELECT id FROM executions
                       WHERE id <= ?1 AND status IS NOT NULL AND status <> ?2 ORDER BY id LIMIT ?3 + 0)",
                )?
                .execute(params![edge, ExecStatus::Started, as_i64(batch)])?;
        }
    }
    if let (Some(before), true) = (r.created_before, (deleted as u64) < batch) {
        deleted += c
            .prepare_cached(
                "DELETE FROM executions WHERE id IN (SELECT id FROM executions
                   WHERE createdAt < ?1 AND status IS NOT NULL AND status <> ?2 ORDER BY id LIMIT ?3 + 0)",
            )?
            .execute(params![before, ExecStatus::Started, as_i64(batch - deleted as u64)])?;
    }
    Ok(deleted)
}

/// Writes again, under new ids, an execution and its jobs that a rolled-back transaction undid (a sync
/// data-event run with `rollbackOnFailure`), counted on its version again; returns the new id.
pub fn restore(c: &Connection, e: &ExecutionRow, jobs: &[JobRow]) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO executions (key, workflowId, context, status, output, reason, manually, sync, startedAt, createdAt, updatedAt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.key, e.workflow_id, e.context.to_string(), e.status, (!e.output.is_null()).then(|| e.output.to_string()),
        e.reason, e.manually, e.sync, e.started_at, e.created_at, e.updated_at
    ])?;
    let id = c.last_insert_rowid();
    workflows::count_execution(c, e.workflow_id)?;
    let mut ids = std::collections::HashMap::new();
    for j in jobs {
        let write = JobWrite {
            execution_id: id,
            node_id: j.node_id.unwrap_or_default(),
            node_key: j.node_key.as_deref().unwrap_or_default(),
            upstream_id: j.upstream_id.and_then(|u| ids.get(&u).copied()),
            status: j.status,
            result: &j.result,
            meta: &j.meta,
            created_at: &j.created_at,
            updated_at: &j.updated_at,
        };
        ids.insert(j.id, insert_job(c, &write)?);
    }
    Ok(id)
}

// ---------------------------------------------------------------- jobs

/// An execution's jobs in id order.
pub fn jobs(c: &Connection, execution_id: i64) -> Result<Vec<JobRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE executionId = ?1 ORDER BY id"
    ))?;
    let rows = st.query_map(params![execution_id], JobRow::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What a job write stores; `meta` `null` is stored as `NULL`.
pub struct JobWrite<'a> {
    pub execution_id: i64,
    pub node_id: i64,
    pub node_key: &'a str,
    pub upstream_id: Option<i64>,
    pub status: JobStatus,
    pub result: &'a Value,
    pub meta: &'a Value,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

impl JobWrite<'_> {
    fn meta_text(&self) -> Option<String> {
        (!self.meta.is_null()).then(|| self.meta.to_string())
    }
}

/// Which executions a kept count covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Counted {
    All,
    Key(String),
    Version(i64),
}

/// How many executions there are, from the counts SQLite keeps per version (schema.sql's
/// `fg_execution_counts`, maintained by triggers on every insert and delete).
pub fn count(c: &Connection, which: &Counted) -> Result<u64> {
    let n: i64 = match which {
        Counted::All => c
            .prepare_cached("SELECT COALESCE(SUM(n), 0) FROM fg_execution_counts")?
            .query_row([], |r| r.get(0))?,
        Counted::Key(k) => c
            .prepare_cached("SELECT COALESCE(SUM(n), 0) FROM fg_execution_counts WHERE key = ?1")?
            .query_row(params![k], |r| r.get(0))?,
        Counted::Version(id) => c
            .prepare_cached(
                "SELECT COALESCE(SUM(n), 0) FROM fg_execution_counts WHERE workflowId = ?1",
            )?
            .query_row(params![id], |r| r.get(0))?,
    };
    Ok(n.max(0) as u64)
}

/// How many executions are queued (QUEUEING: `status` NULL) and the `createdAt` of the oldest, through
/// the partial index of open executions (its condition is repeated so SQLite may use it).
pub fn queued(c: &Connection) -> Result<(u64, Option<String>)> {
    let (n, oldest): (i64, Option<String>) = c
        .prepare_cached(
            "SELECT COUNT(*), MIN(createdAt) FROM executions \
             WHERE (status IS NULL OR status = 0) AND status IS NULL",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((n.max(0) as u64, oldest))
}

/// One execution as `executions:stats` counts it: when it was created, its status, and its start and
/// last update (the duration of a finished run).
pub struct Timing {
    pub created_at: String,
    pub status: Option<ExecStatus>,
    pub started_at: Option<String>,
    pub updated_at: String,
}

/// The executions of `which` created at `since` or later, newest first, read by id downwards (the
/// primary key, or the key's and the version's indexes, which hold the rowid): ids grow with
/// `createdAt`, so the walk stops at the first row older than `since` by `slack_ms` (which covers two
/// writers whose clocks were read a little out of order) and never reads the older history.
pub fn created_since(
    c: &Connection,
    which: &Counted,
    since_ms: i64,
    slack_ms: i64,
) -> Result<Vec<Timing>> {
    const COLUMNS: &str = "createdAt, status, startedAt, updatedAt";
    let (sql, arg): (String, Option<rusqlite::types::Value>) = match which {
        Counted::All => (
            format!("SELECT {COLUMNS} FROM executions ORDER BY id DESC"),
            None,
        ),
        Counted::Key(k) => (
            format!("SELECT {COLUMNS} FROM executions WHERE key = ?1 ORDER BY id DESC"),
            Some(k.clone().into()),
        ),
        Counted::Version(id) => (
            format!("SELECT {COLUMNS} FROM executions WHERE workflowId = ?1 ORDER BY id DESC"),
            Some((*id).into()),
        ),
    };
    let mut stmt = c.prepare_cached(&sql)?;
    let mut rows = match &arg {
        Some(v) => stmt.query(params![v])?,
        None => stmt.query([])?,
    };
    let since = crate::time::ms_to_iso(since_ms);
    let stop = crate::time::ms_to_iso(since_ms - slack_ms);
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let created_at: String = r.get(0)?;
        // The stored form is `time::ms_to_iso`'s fixed-width UTC text, so text order is time order.
        if created_at < stop {
            break;
        }
        if created_at < since {
            continue;
        }
        out.push(Timing {
            created_at,
            status: r.get(1)?,
            started_at: r.get(2)?,
            updated_at: r.get(3)?,
        });
    }
    Ok(out)
}

pub fn insert_job(c: &Connection, j: &JobWrite) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO jobs (executionId, nodeId, nodeKey, upstreamId, status, result, meta, createdAt, updatedAt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        j.execution_id, j.node_id, j.node_key, j.upstream_id, j.status, j.result.to_string(), j.meta_text(),
        j.created_at, j.updated_at
    ])?;
    Ok(c.last_insert_rowid())
}

/// Rewrites a saved job's status, result, meta and updatedAt.
pub fn update_job(c: &Connection, id: i64, j: &JobWrite) -> Result<()> {
    c.prepare_cached(
        "UPDATE jobs SET status = ?2, result = ?3, meta = ?4, updatedAt = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id,
        j.status,
        j.result.to_string(),
        j.meta_text(),
        j.updated_at
    ])?;
    Ok(())
}

/// The highest job id so far (0 for none): a dry run's copy answers request nodes only from jobs up to
/// it, those the real store held when the copy was made.
pub fn last_job_id(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT COALESCE(MAX(id), 0) FROM jobs", [], |r| r.get(0))?)
}

/// The result of the latest RESOLVED job up to job `up_to` of node `node_id`, else of a node keyed
/// `node_key` in a version of workflow key `workflow_key` (a dry run's recorded response).
pub fn last_resolved_result(
    c: &Connection,
    up_to: i64,
    node_id: i64,
    workflow_key: &str,
    node_key: &str,
) -> Result<Option<Value>> {
    let by_node: Option<Option<String>> = c
        .prepare_cached(
            "SELECT result FROM jobs WHERE nodeId = ?1 AND status = ?2 AND id <= ?3 \
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![node_id, JobStatus::Resolved, up_to], |r| r.get(0))
        .optional()?;
    let text = match by_node {
        Some(t) => Some(t),
        None => c
            .prepare_cached(
                "SELECT j.result FROM jobs j JOIN executions e ON e.id = j.executionId \
                 WHERE e.key = ?1 AND j.nodeKey = ?2 AND j.status = ?3 AND j.id <= ?4 \
                 ORDER BY j.id DESC LIMIT 1",
            )?
            .query_row(
                params![workflow_key, node_key, JobStatus::Resolved, up_to],
                |r| r.get(0),
            )
            .optional()?,
    };
    Ok(text.map(|t| {
        t.and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null)
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::{Durability, Store};
    use crate::workflow::repo::workflows::NewWorkflow;

    /// QUEUEING → claimed STARTED → back to QUEUEING → STARTED → ABORTED with its pending job, and only
    /// a final row can be deleted.
    #[test]
    fn an_execution_moves_through_its_statuses() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Store::open(&dir.path().join("data"), Durability::Normal, 1).expect("open");
        s.write(|c| {
            let new = NewWorkflow {
                key: None,
                title: None,
                description: None,
                config: json!({}),
                enabled: true,
                sync: false,
                options: json!({}),
            };
            let wid = workflows::insert(c, "k", "custom-action", &new, true, None)?;
            let w = workflows::get(c, wid)?.expect("workflow");
            let id = insert_queued(c, &w, &json!({ "data": 1 }))?;
            assert_eq!(status(c, id)?, Some(None));
            assert_eq!(
                claim(c, "2026-01-01T00:00:00.000Z", 10)?
                    .iter()
                    .map(|e| e.id)
                    .collect::<Vec<_>>(),
                vec![id]
            );
            assert_eq!(status(c, id)?, Some(Some(ExecStatus::Started)));
            assert_eq!(delete_final(c, id)?, 0, "a STARTED row stays");
            unclaim(c, id)?;
            assert_eq!(status(c, id)?, Some(None));
            claim(c, "2026-01-01T00:00:01.000Z", 10)?;
            let job = JobWrite {
                execution_id: id,
                node_id: 1,
                node_key: "n",
                upstream_id: None,
                status: JobStatus::Pending,
                result: &json!(5),
                meta: &Value::Null,
                created_at: "t",
                updated_at: "t",
            };
            insert_job(c, &job)?;
            abort(c, id, "manual_cancel")?;
            let e = get(c, id)?.expect("execution");
            assert_eq!(
                (e.status, e.reason.as_deref()),
                (Some(ExecStatus::Aborted), Some("manual_cancel"))
            );
            assert_eq!(
                jobs(c, id)?
                    .iter()
                    .map(|j| (j.status, j.meta.clone()))
                    .collect::<Vec<_>>(),
                vec![(JobStatus::Aborted, Value::Null)]
            );
            assert_eq!(workflows::get(c, wid)?.map(|w| w.executed), Some(1));
            assert_eq!(delete_final(c, id)?, 1);
            Ok(())
        })
        .expect("write");
    }
}
