//! The `sql` node's statements (triggers-and-nodes.md §8): one statement of a workflow author's text run on
//! flowgate's own SQLite, inside the node's write (the run's transaction, a savepoint), with its named
//! parameters bound to values.
//!
//! The text is the workflow author's (a root-level configuration, like a collection's fields), never a
//! request's: templates reach it only as bound values (`workflow/nodes/sql.rs`). What it may touch is
//! decided by SQLite itself: the statement is prepared under an authorizer that allows reading and
//! writing the rows of collection tables (and their through tables) and nothing else — no `PRAGMA`,
//! `ATTACH`, `VACUUM`, transaction or savepoint statement (the run's transaction is the store's), no DDL,
//! and no access to flowgate's own tables (`users`, `tokens`, `workflows`, `fg_*`…) or `sqlite_*` beyond
//! the `id` column foreign keys check (`users.id`, which records show as `createdById` anyway). A
//! check of the text could be fooled by quoting, comments or views; the authorizer sees every table and
//! column the compiled statement uses.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Statement};
use serde_json::{Map, Value};

use super::registry::Schema;
use super::sql::SqlValue;
use crate::error::{Error, Result};

/// How long one statement may run: it holds the store's write transaction, so an endless one (a
/// recursive CTE without a bound) would stop every write of the server. It is interrupted instead.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// SQLite virtual-machine steps between two looks at the clock.
const PROGRESS_STEPS: i32 = 10_000;

/// What a statement gave: its rows as objects keyed by column name (`[]` for a statement without rows)
/// and how many rows it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    pub rows: Vec<Value>,
    pub changes: u64,
}

/// Runs the one statement `sql` with its `:name` parameters bound from `params` (names without the
/// prefix). A failure (syntax, a refused table or action, a parameter without a value, a constraint) is an
/// internal error whose cause is the database's message, for the job's `{message}`.
pub fn run(
    conn: &Connection,
    schema: Arc<Schema>,
    sql: &str,
    params: &HashMap<String, SqlValue>,
) -> Result<Ran> {
    let refusal = Arc::new(Mutex::new(None::<String>));
    let stored = stored_names(conn)?;
    let guard = Authorizer::install(conn, Rule::new(schema, stored), refusal.clone())?;
    let deadline = Instant::now() + TIME_LIMIT;
    conn.progress_handler(PROGRESS_STEPS, Some(move || Instant::now() > deadline))?;
    let result = prepare_and_run(conn, sql, params);
    conn.progress_handler(0, None::<fn() -> bool>)?;
    drop(guard);
    result.map_err(|e| {
        let refused = refusal.lock().ok().and_then(|mut r| r.take());
        let message = match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                format!(
                    "The statement ran longer than {} s and was stopped",
                    TIME_LIMIT.as_secs()
                )
            }
            _ => database_message(&e),
        };
        Error::internal(refused.unwrap_or(message))
    })
}

fn prepare_and_run(
    conn: &Connection,
    sql: &str,
    params: &HashMap<String, SqlValue>,
) -> rusqlite::Result<Ran> {
    // Never `prepare_cached`: the text is the author's and the authorizer decides at prepare time.
    let mut st = conn.prepare(sql)?;
    bind(&mut st, params)?;
    let columns: Vec<String> = st.column_names().iter().map(|c| c.to_string()).collect();
    let readonly = st.readonly();
    let mut rows = Vec::new();
    let mut cursor = st.raw_query();
    while let Some(row) = cursor.next()? {
        let mut record = Map::new();
        for (i, name) in columns.iter().enumerate() {
            record.insert(name.clone(), json_of(row.get_ref(i)?));
        }
        rows.push(Value::Object(record));
    }
    let changes = if readonly { 0 } else { conn.changes() };
    Ok(Ran { rows, changes })
}

/// Binds each named parameter; a positional `?` or a name without a value is refused (NocoBase's text for
/// the latter).
fn bind(st: &mut Statement, params: &HashMap<String, SqlValue>) -> rusqlite::Result<()> {
    for i in 1..=st.parameter_count() {
        let Some(name) = st.parameter_name(i).map(str::to_string) else {
            return Err(user_error(
                "Positional parameters (?) are not supported: name them (:name) and give each a variable"
                    .into(),
            ));
        };
        let bare = name.trim_start_matches([':', '@', '$']);
        let value = params.get(bare).ok_or_else(|| {
            user_error(format!(
                "Named replacement \":{bare}\" has no entry in the replacement map."
            ))
        })?;
        st.raw_bind_parameter(i, value)?;
    }
    Ok(())
}

/// An error of ours carried through rusqlite's result type (shown as its text alone).
fn user_error(message: String) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(message.into())
}

/// The database's own message, without rusqlite's wrapping.
fn database_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        // Prepare errors carry the text and an offset too; the message alone is the database's answer.
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::ToSqlConversionFailure(m) => m.to_string(),
        other => other.to_string(),
    }
}

/// A column value as JSON: SQLite's integers and reals as numbers, text as text, a blob as base64.
fn json_of(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
    }
}

/// The authorizer, installed for one statement and removed when dropped (also on an early return).
struct Authorizer<'c>(&'c Connection);

impl<'c> Authorizer<'c> {
    fn install(
        conn: &'c Connection,
        rule: Rule,
        refusal: Arc<Mutex<Option<String>>>,
    ) -> Result<Authorizer<'c>> {
        conn.authorizer(Some(move |ctx: AuthContext<'_>| match rule.decide(&ctx) {
            Ok(()) => Authorization::Allow,
            Err(why) => {
                if let Ok(mut slot) = refusal.lock() {
                    slot.get_or_insert(why);
                }
                Authorization::Deny
            }
        }))?;
        Ok(Authorizer(conn))
    }
}

impl Drop for Authorizer<'_> {
    fn drop(&mut self) {
        let none: Option<fn(AuthContext<'_>) -> Authorization> = None;
        if let Err(e) = self.0.authorizer(none) {
            tracing::error!(error = %e, "could not remove the sql node's authorizer");
        }
    }
}

/// The rule: a SELECT (with CTEs and functions), INSERT, UPDATE or DELETE whose every table is a
/// collection table of the main database, used by the statement itself (not a view or trigger). Also
/// read: the statement's own names (CTEs, `json_each`…), and the `id` of a table a collection's foreign
/// key points at (`users.id` for `createdById`): SQLite reads it to enforce the key when a collection
/// row is written.
struct Rule {
    schema: Arc<Schema>,
    /// Lower-case names of the tables collection columns reference.
    fk_targets: HashSet<String>,
    /// Lower-case names of the tables and views stored in the main and temp schemas: a name read that
    /// is none of them is the statement's own (a CTE, a subquery's alias, `json_each`).
    stored: HashSet<String>,
}

/// The tables and views of the main and temp schemas, lower-cased (read before the authorizer is on).
fn stored_names(conn: &Connection) -> Result<HashSet<String>> {
    let mut st = conn.prepare_cached(
        "SELECT lower(name) FROM sqlite_schema WHERE type IN ('table', 'view') \
         UNION SELECT lower(name) FROM sqlite_temp_schema WHERE type IN ('table', 'view')",
    )?;
    let names = st.query_map([], |r| r.get::<_, String>(0))?;
    Ok(names.collect::<rusqlite::Result<HashSet<_>>>()?)
}

impl Rule {
    fn new(schema: Arc<Schema>, stored: HashSet<String>) -> Rule {
        let fk_targets = schema
            .user_collections()
            .iter()
            .flat_map(|c| c.fields.iter().filter_map(|f| f.fk_target.clone()))
            .map(|t| t.to_ascii_lowercase())
            .collect();
        Rule {
            schema,
            fk_targets,
            stored,
        }
    }

    /// A name the statement made itself: not stored, and not one of SQLite's own virtual tables
    /// (`sqlite_dbpage` would read raw pages, `pragma_*` the schema, `dbstat` the file's layout).
    fn own_name(&self, table: &str) -> bool {
        let lower = table.to_ascii_lowercase();
        !self.stored.contains(&lower)
            && !lower.starts_with("sqlite_")
            && !lower.starts_with("pragma_")
            && lower != "dbstat"
    }

    fn decide(&self, ctx: &AuthContext) -> std::result::Result<(), String> {
        let table = match ctx.action {
            AuthAction::Select | AuthAction::Recursive => return Ok(()),
            AuthAction::Function { function_name } => {
                return if function_name.eq_ignore_ascii_case("load_extension") {
                    Err(not_allowed("load_extension()"))
                } else {
                    Ok(())
                };
            }
            AuthAction::Read {
                table_name,
                column_name,
            } if column_name == "id"
                && self.fk_targets.contains(&table_name.to_ascii_lowercase()) =>
            {
                return Ok(());
            }
            AuthAction::Read { table_name, .. } if self.own_name(table_name) => return Ok(()),
            AuthAction::Read { table_name, .. }
            | AuthAction::Insert { table_name }
            | AuthAction::Update { table_name, .. }
            | AuthAction::Delete { table_name } => table_name,
            other => return Err(not_allowed(&action_name(&other))),
        };
        let writes = !matches!(ctx.action, AuthAction::Read { .. });
        if writes && SCHEMA_TABLES.iter().any(|t| t.eq_ignore_ascii_case(table)) {
            // DDL writes the schema table before SQLite asks about the CREATE or DROP itself.
            return Err(not_allowed("A schema change"));
        }
        let schema = &self.schema;
        let collection = schema.get(table).is_some_and(|c| !c.builtin) || schema.is_through(table);
        if collection && ctx.database_name == Some("main")
            // SQLite names a CTE as the accessor of what it reads; a stored view or trigger is refused.
            && ctx.accessor.is_none_or(|a| self.own_name(a))
        {
            Ok(())
        } else {
            Err(format!(
                "Table \"{table}\" is not a collection table: the sql node reads and writes collection tables only"
            ))
        }
    }
}

/// The names SQLite's own schema table goes by.
const SCHEMA_TABLES: [&str; 4] = [
    "sqlite_master",
    "sqlite_schema",
    "sqlite_temp_master",
    "sqlite_temp_schema",
];

fn not_allowed(what: &str) -> String {
    format!(
        "{what} is not allowed in the sql node: it runs one SELECT, INSERT, UPDATE or DELETE on collection tables"
    )
}

/// `Pragma`, `CreateTable`, `Attach`… from the action's debug form.
fn action_name(action: &AuthAction) -> String {
    let text = format!("{action:?}");
    text.split([' ', '{', '('])
        .next()
        .unwrap_or("This statement")
        .to_string()
}
