//! The workflow model (workflows.md §1): workflows, nodes, executions and jobs as rows and as JSON,
//! with NocoBase's status numbers.

use rusqlite::Row;
use serde_json::{json, Value};

/// An enum of NocoBase status numbers: the integer is what is stored in SQL and sent on the wire.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            pub fn code(self) -> i64 {
                match self { $($name::$variant => $code,)* }
            }
            pub fn from_code(code: i64) -> Option<$name> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<$name, D::Error> {
                let code = <i64 as serde::Deserialize>::deserialize(d)?;
                $name::from_code(code)
                    .ok_or_else(|| serde::de::Error::custom(format!("{code} is not a {}", stringify!($name))))
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.code()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<$name> {
                let code = <i64 as rusqlite::types::FromSql>::column_result(v)?;
                $name::from_code(code).ok_or(rusqlite::types::FromSqlError::OutOfRange(code))
            }
        }
    };
}
pub(crate) use coded_enum;

/// The execution and job status enums: the same numbers but for `0`, which is an execution's STARTED and
/// a job's PENDING (so that one can not be passed for the other); a run's last job status maps to the
/// execution's with the same number, PENDING to STARTED.
macro_rules! run_statuses {
    ($exec_zero:ident, $job_zero:ident; $($(#[$vmeta:meta])* $variant:ident = $code:literal,)*) => {
        coded_enum! {
            /// An execution's status. QUEUEING is no variant: it is SQL `NULL` / JSON `null`, so a queued
            /// row is `Option::<ExecStatus>::None` (kept as NocoBase stores it).
            ExecStatus { $exec_zero = 0, $($(#[$vmeta])* $variant = $code,)* }
        }
        coded_enum! {
            /// A job's status.
            JobStatus { $job_zero = 0, $($(#[$vmeta])* $variant = $code,)* }
        }
        impl From<JobStatus> for ExecStatus {
            fn from(s: JobStatus) -> ExecStatus {
                match s {
                    JobStatus::$job_zero => ExecStatus::$exec_zero,
                    $(JobStatus::$variant => ExecStatus::$variant,)*
                }
            }
        }
    };
}

run_statuses! {
    Started, Pending;
    Resolved = 1,
    Failed = -1,
    Error = -2,
    Aborted = -3,
    /// In NocoBase's table; no flowgate node produces it.
    Canceled = -4,
    /// In NocoBase's table; no flowgate node produces it.
    Rejected = -5,
}

coded_enum! {
    /// A custom-action workflow's `config.type`: what its context data is.
    ContextType {
        Global = 0,
        SingleRecord = 1,
        MultipleRecords = 2,
    }
}

impl ExecStatus {
    /// Negative statuses: the run did not succeed (FAILED, ERROR, ABORTED, CANCELED, REJECTED).
    pub fn is_failure(self) -> bool {
        self.code() < 0
    }
}

pub const TRIGGER_TYPE: &str = "custom-action";

#[derive(Debug, Clone)]
pub struct Workflow {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: String,
    pub config: Value,
    pub enabled: bool,
    pub sync: bool,
    pub current: bool,
    pub options: Value,
    pub executed: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by_id: Option<i64>,
    pub updated_by_id: Option<i64>,
}

fn json_col(r: &Row, i: usize) -> rusqlite::Result<Value> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null))
}

impl Workflow {
    /// Reads `repo::workflows`' WORKFLOW_COLUMNS, in that order.
    pub fn from_row(r: &Row) -> rusqlite::Result<Workflow> {
        Ok(Workflow {
            id: r.get(0)?,
            key: r.get(1)?,
            title: r.get(2)?,
            description: r.get(3)?,
            kind: r.get(4)?,
            config: json_col(r, 5)?,
            enabled: r.get(6)?,
            sync: r.get(7)?,
            current: r.get::<_, Option<bool>>(8)?.unwrap_or(false),
            options: json_col(r, 9)?,
            executed: r.get(10)?,
            created_at: r.get(11)?,
            updated_at: r.get(12)?,
            created_by_id: r.get(13)?,
            updated_by_id: r.get(14)?,
        })
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "key": self.key, "title": self.title, "description": self.description,
            "type": self.kind, "config": self.config, "enabled": self.enabled, "sync": self.sync,
            "current": if self.current { json!(true) } else { Value::Null },
            "options": self.options, "executed": self.executed,
            "createdAt": self.created_at, "updatedAt": self.updated_at,
            "createdById": self.created_by_id, "updatedById": self.updated_by_id,
        })
    }

    /// `config.type`: global also when absent. The API accepts only 0, 1 and 2 (`validate_config`); a
    /// row written otherwise with another number is taken as global too.
    pub fn context_type(&self) -> ContextType {
        self.config
            .get("type")
            .and_then(Value::as_i64)
            .and_then(ContextType::from_code)
            .unwrap_or(ContextType::Global)
    }

    /// `config.collection` without a `main:` prefix.
    pub fn collection(&self) -> Option<&str> {
        let c = self.config.get("collection")?.as_str()?;
        Some(c.strip_prefix("main:").unwrap_or(c))
    }

    pub fn appends(&self) -> Vec<String> {
        self.config
            .get("appends")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// NocoBase's `options.deleteExecutionOnStatus`: a run that ends with one of these statuses is
    /// deleted with its jobs as it is saved (STARTED never: a pending run is not finished).
    pub fn deletes_execution_on(&self, status: ExecStatus) -> bool {
        status != ExecStatus::Started
            && self
                .options
                .get("deleteExecutionOnStatus")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v.as_i64() == Some(status.code())))
    }

    /// `options.retry`, as validated when the options were written (a policy that no longer parses:
    /// none).
    pub fn retry_policy(&self) -> Option<super::retry::Policy> {
        super::retry::Policy::parse(
            self.options.get("retry"),
            "options.retry",
            &super::retry::WORKFLOW,
        )
        .ok()
        .flatten()
    }

    pub fn timeout_ms(&self) -> i64 {
        self.options
            .get("timeout")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: i64,
    pub key: String,
    pub workflow_id: i64,
    pub upstream_id: Option<i64>,
    pub downstream_id: Option<i64>,
    pub branch_index: Option<i64>,
    pub kind: String,
    pub title: Option<String>,
    pub config: Value,
    pub created_at: String,
    pub updated_at: String,
}

impl Node {
    /// Reads `repo::workflows`' NODE_COLUMNS, in that order.
    pub fn from_row(r: &Row) -> rusqlite::Result<Node> {
        Ok(Node {
            id: r.get(0)?,
            key: r.get(1)?,
            workflow_id: r.get(2)?,
            upstream_id: r.get(3)?,
            downstream_id: r.get(4)?,
            branch_index: r.get(5)?,
            kind: r.get(6)?,
            title: r.get(7)?,
            config: json_col(r, 8)?,
            created_at: r.get(9)?,
            updated_at: r.get(10)?,
        })
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "key": self.key, "workflowId": self.workflow_id, "upstreamId": self.upstream_id,
            "downstreamId": self.downstream_id, "branchIndex": self.branch_index, "type": self.kind,
            "title": self.title, "config": self.config, "createdAt": self.created_at, "updatedAt": self.updated_at,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ExecutionRow {
    pub id: i64,
    pub key: String,
    pub workflow_id: i64,
    pub context: Value,
    pub status: Option<ExecStatus>,
    pub output: Value,
    pub reason: Option<String>,
    pub manually: bool,
    pub sync: bool,
    pub started_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The execution this one re-runs (`executions:rerun`).
    pub rerun_of: Option<i64>,
    /// `options.retry`: the attempt running now (1 for the first) and when the next one starts.
    pub attempt: i64,
    pub retry_at: Option<String>,
}

impl ExecutionRow {
    /// Reads `repo::executions`' EXECUTION_COLUMNS, in that order.
    pub fn from_row(r: &Row) -> rusqlite::Result<ExecutionRow> {
        Ok(ExecutionRow {
            id: r.get(0)?,
            key: r.get(1)?,
            workflow_id: r.get(2)?,
            context: json_col(r, 3)?,
            status: r.get(4)?,
            output: json_col(r, 5)?,
            reason: r.get(6)?,
            manually: r.get(7)?,
            sync: r.get(8)?,
            started_at: r.get(9)?,
            created_at: r.get(10)?,
            updated_at: r.get(11)?,
            rerun_of: r.get(12)?,
            attempt: r.get(13)?,
            retry_at: r.get(14)?,
        })
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "key": self.key, "workflowId": self.workflow_id, "context": self.context,
            "status": self.status, "output": self.output, "reason": self.reason, "manually": self.manually,
            "startedAt": self.started_at, "createdAt": self.created_at, "updatedAt": self.updated_at,
            "rerunOf": self.rerun_of, "attempt": self.attempt, "retryAt": self.retry_at,
        })
    }
}

/// A job as stored; the processor keeps its own in-memory form (engine.rs).
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: i64,
    pub execution_id: i64,
    pub node_id: Option<i64>,
    pub node_key: Option<String>,
    pub upstream_id: Option<i64>,
    pub status: JobStatus,
    pub result: Value,
    pub meta: Value,
    pub created_at: String,
    pub updated_at: String,
}

impl JobRow {
    /// Reads `repo::executions`' JOB_COLUMNS, in that order.
    pub fn from_row(r: &Row) -> rusqlite::Result<JobRow> {
        Ok(JobRow {
            id: r.get(0)?,
            execution_id: r.get(1)?,
            node_id: r.get(2)?,
            node_key: r.get(3)?,
            upstream_id: r.get(4)?,
            status: r.get(5)?,
            result: json_col(r, 6)?,
            meta: json_col(r, 7)?,
            created_at: r.get(8)?,
            updated_at: r.get(9)?,
        })
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "executionId": self.execution_id, "nodeId": self.node_id, "nodeKey": self.node_key,
            "upstreamId": self.upstream_id, "status": self.status, "result": self.result, "meta": self.meta,
            "createdAt": self.created_at, "updatedAt": self.updated_at,
        })
    }
}

/// 11 random characters of `[0-9a-z]` (workflow and node keys).
pub fn random_key() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    (0..11)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// `^[A-Za-z0-9_][A-Za-z0-9_-]*$`, at most 255 characters.
pub fn valid_key(k: &str) -> bool {
    let b = k.as_bytes();
    !b.is_empty()
        && b.len() <= 255
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

#[cfg(test)]
mod tests {
    use rusqlite::{params, Connection};

    use super::*;

    #[test]
    fn statuses_keep_nocobase_numbers_on_the_wire() {
        assert_eq!(
            json!([
                ExecStatus::Started,
                ExecStatus::Resolved,
                ExecStatus::Aborted
            ]),
            json!([0, 1, -3])
        );
        assert_eq!(
            json!([JobStatus::Pending, JobStatus::Failed, JobStatus::Error]),
            json!([0, -1, -2])
        );
        let queued: Option<ExecStatus> = None;
        assert_eq!(json!({ "status": queued }), json!({ "status": null }));
        assert_eq!(
            serde_json::from_value::<ContextType>(json!(2)).ok(),
            Some(ContextType::MultipleRecords)
        );
        assert!(serde_json::from_value::<ContextType>(json!(3)).is_err());
    }

    #[test]
    fn pending_job_leaves_the_execution_started() {
        assert_eq!(ExecStatus::from(JobStatus::Pending), ExecStatus::Started);
        for code in [1, -1, -2, -3, -4, -5] {
            let job = JobStatus::from_code(code).expect("job status");
            assert_eq!(ExecStatus::from(job).code(), code);
        }
    }

    #[test]
    fn statuses_round_trip_through_sql() {
        let c = Connection::open_in_memory().expect("db");
        c.execute("CREATE TABLE t (s INTEGER)", []).expect("table");
        c.execute(
            "INSERT INTO t VALUES (?1), (NULL), (7)",
            params![JobStatus::Aborted],
        )
        .expect("insert");
        let got: Vec<Option<i64>> = c
            .prepare("SELECT s FROM t")
            .expect("select")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect();
        assert_eq!(got, vec![Some(-3), None, Some(7)]);
        let read = |sql: &str| c.query_row(sql, [], |r| r.get::<_, Option<ExecStatus>>(0));
        assert_eq!(
            read("SELECT s FROM t WHERE s = -3").ok(),
            Some(Some(ExecStatus::Aborted))
        );
        assert_eq!(read("SELECT s FROM t WHERE s IS NULL").ok(), Some(None));
        assert!(
            read("SELECT s FROM t WHERE s = 7").is_err(),
            "an unknown number is refused, not guessed"
        );
    }
}
