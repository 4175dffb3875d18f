//! Applying schema.sql and migrating older stores; `PRAGMA user_version` is the schema version.

use rusqlite::Connection;

use super::OpenError;

/// The schema version this binary writes. Raise it and add a step to `MIGRATIONS` when schema.sql changes.
pub const SCHEMA_VERSION: i64 = 5;

const SCHEMA: &str = include_str!("../../schema.sql");

/// `MIGRATIONS[i]` takes a store from version `i + 1` to `i + 2`; the last step ends where schema.sql is.
const MIGRATIONS: &[&str] = &[
    // 1 → 2: who created and last changed a workflow version (NocoBase's workflows have createdBy and
    // updatedBy); versions made before stay NULL.
    "ALTER TABLE workflows ADD COLUMN createdById INTEGER REFERENCES users(id) ON DELETE SET NULL;
     ALTER TABLE workflows ADD COLUMN updatedById INTEGER REFERENCES users(id) ON DELETE SET NULL;",
    // 2 → 3: executions counted per version by triggers (schema.sql's fg_execution_counts), from what
    // the store holds.
    "CREATE TABLE fg_execution_counts (workflowId INTEGER PRIMARY KEY, key TEXT NOT NULL, n INTEGER NOT NULL);
     CREATE INDEX fg_execution_counts_key ON fg_execution_counts(key);
     INSERT INTO fg_execution_counts (workflowId, key, n) SELECT workflowId, MIN(key), COUNT(*) FROM executions GROUP BY workflowId;
     CREATE TRIGGER fg_execution_counted AFTER INSERT ON executions BEGIN
       INSERT INTO fg_execution_counts (workflowId, key, n) VALUES (NEW.workflowId, NEW.key, 1)
         ON CONFLICT(workflowId) DO UPDATE SET n = n + 1;
     END;
     CREATE TRIGGER fg_execution_uncounted AFTER DELETE ON executions BEGIN
       UPDATE fg_execution_counts SET n = n - 1 WHERE workflowId = OLD.workflowId;
     END;",
    // 3 → 4: what an imported definitions document says that flowgate does not act on (bridge.md §5.1):
    // collection and role attributes, a workflow's triggerTitle and unknown attributes, and whole
    // definitions flowgate cannot host. Existing rows have none (NULL).
    "ALTER TABLE collections ADD COLUMN options TEXT;
     ALTER TABLE roles ADD COLUMN options TEXT;
     ALTER TABLE workflows ADD COLUMN extra TEXT;
     CREATE TABLE fg_bridge_kept (kind TEXT NOT NULL, path TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0,
       definition TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (kind, path));",
    // 4 → 5: a re-run execution names the one it re-runs (`executions:rerun`); options.retry's attempt
    // number, next start and the record of failed attempts.
    "ALTER TABLE executions ADD COLUMN rerunOf INTEGER;
     ALTER TABLE executions ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
     ALTER TABLE executions ADD COLUMN retryAt TEXT;
     CREATE TABLE fg_execution_attempts (id INTEGER PRIMARY KEY AUTOINCREMENT,
       executionId INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE, attempt INTEGER NOT NULL,
       status INTEGER NOT NULL, reason TEXT, nodeKey TEXT, createdAt TEXT NOT NULL);
     CREATE INDEX fg_execution_attempts_execution ON fg_execution_attempts(executionId);",
];

/// NocoBase's executed counts (`workflowStats` per key, `workflowVersionStats` per version) computed from
/// the stored versions and executions, never stored: temporary views each connection creates after the
/// schema is applied, so the store's schema (and its version) stays what schema.sql says. One row per
/// workflow version, keyed by its id; their names are the registry's (`fg_` names are reserved).
pub(super) const STATS_VIEWS: &str = "
CREATE TEMP VIEW IF NOT EXISTS fg_workflow_version_stats AS
  SELECT w.id AS id, w.executed AS executed, w.createdAt AS createdAt,
         COALESCE((SELECT e.createdAt FROM main.executions e WHERE e.workflowId = w.id ORDER BY e.id DESC LIMIT 1), w.createdAt) AS updatedAt
  FROM main.workflows w;
CREATE TEMP VIEW IF NOT EXISTS fg_workflow_stats AS
  SELECT w.id AS id, w.key AS key,
         (SELECT SUM(x.executed) FROM main.workflows x WHERE x.key = w.key) AS executed,
         (SELECT MIN(x.createdAt) FROM main.workflows x WHERE x.key = w.key) AS createdAt,
         COALESCE((SELECT e.createdAt FROM main.executions e WHERE e.key = w.key ORDER BY e.id DESC LIMIT 1),
                  (SELECT MIN(x.createdAt) FROM main.workflows x WHERE x.key = w.key)) AS updatedAt
  FROM main.workflows w;
";

pub(super) fn apply(conn: &mut Connection, shown: &str) -> Result<(), OpenError> {
    let err = |e| OpenError::Sqlite(shown.to_string(), e);
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    if found > SCHEMA_VERSION {
        return Err(OpenError::Newer {
            path: shown.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    if found == 0 {
        tx.execute_batch(SCHEMA).map_err(err)?;
    } else {
        for step in &MIGRATIONS[(found - 1) as usize..] {
            tx.execute_batch(step).map_err(err)?;
        }
    }
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};"))
        .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removes `part` from `schema`, checking it was there.
    fn without(schema: &str, part: &str, instead: &str) -> String {
        assert!(
            schema.contains(part),
            "schema.sql changed; update this test's older versions ({part})"
        );
        schema.replacen(part, instead, 1)
    }

    /// schema.sql as version 4 wrote it: without the re-run link and the retry columns and table of
    /// version 5.
    fn version_4_schema() -> String {
        let s = SCHEMA;
        let (from, to) = (
            s.find(",\n  rerunOf     INTEGER,").unwrap(),
            s.find("-- schema version 5: when the next attempt starts (STARTED, no job)\n")
                .unwrap(),
        );
        let to = to + "-- schema version 5: when the next attempt starts (STARTED, no job)\n".len();
        let s = format!("{}\n{}", &s[..from], &s[to..]);
        let (from, to) = (
            s.find("-- Attempts of an execution").unwrap(),
            s.find("-- Idempotency records").unwrap(),
        );
        format!("{}{}", &s[..from], &s[to..])
    }

    /// schema.sql as version 3 wrote it: without the bridge's columns and table of version 4.
    fn version_3_schema() -> String {
        let s = without(
            &version_4_schema(),
            ",\n  options     TEXT                                      -- schema version 4: a document's other attributes, json (bridge.md §5.1)",
            "",
        );
        let s = without(
            &s,
            ",\n  options     TEXT                      -- schema version 4: a document's other attributes, json (bridge.md §5.1)",
            "",
        );
        let s = without(
            &s,
            ",\n  extra       TEXT                                              -- schema version 4: triggerTitle and unknown attributes, json",
            "",
        );
        let from = s.find("\n-- Definitions of an imported document").unwrap();
        s[..from].to_string() + "\n"
    }

    /// schema.sql as version 1 wrote it: without the workflow authors of version 2 and the execution
    /// counts of version 3.
    fn version_1_schema() -> String {
        let v2 = "  updatedAt   TEXT NOT NULL,\n  createdById INTEGER REFERENCES users(id) ON DELETE SET NULL,   -- schema version 2\n  updatedById INTEGER REFERENCES users(id) ON DELETE SET NULL\n);";
        let s = without(&version_3_schema(), v2, "  updatedAt   TEXT NOT NULL\n);");
        let (from, to) = (
            s.find("-- Executions per workflow version").unwrap(),
            s.find("CREATE TABLE IF NOT EXISTS jobs").unwrap(),
        );
        format!("{}{}", &s[..from], &s[to..])
    }

    fn columns(c: &Connection, table: &str) -> Vec<String> {
        let mut st = c
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    /// A version 1 store with a workflow is migrated in place: the row stays, the authors are NULL, and the
    /// result has the columns a fresh store has.
    #[test]
    fn a_version_1_store_migrates_to_the_current_schema() {
        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(&version_1_schema()).unwrap();
        old.execute_batch("PRAGMA user_version = 1;
            INSERT INTO workflows (key, type, createdAt, updatedAt) VALUES ('k', 'custom-action', 'x', 'x');
            INSERT INTO executions (key, workflowId, createdAt, updatedAt) VALUES ('k', 1, 'x', 'x'), ('k', 1, 'x', 'x'), ('j', 7, 'x', 'x');").unwrap();
        assert!(!columns(&old, "workflows").contains(&"createdById".to_string()));
        apply(&mut old, "old").unwrap();
        let mut fresh = Connection::open_in_memory().unwrap();
        apply(&mut fresh, "fresh").unwrap();
        assert_eq!(columns(&old, "workflows"), columns(&fresh, "workflows"));
        let v: i64 = old
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let row: (String, Option<i64>) = old
            .query_row("SELECT key, createdById FROM workflows", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(row, ("k".to_string(), None));
        // The counts start from what the store held and follow inserts and deletes from then on.
        let counts = |c: &Connection| -> Vec<(i64, String, i64)> {
            let mut st = c
                .prepare("SELECT workflowId, key, n FROM fg_execution_counts ORDER BY workflowId")
                .unwrap();
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(
            counts(&old),
            [(1, "k".to_string(), 2), (7, "j".to_string(), 1)]
        );
        old.execute_batch("INSERT INTO executions (key, workflowId, createdAt, updatedAt) VALUES ('k', 1, 'x', 'x');
            DELETE FROM executions WHERE workflowId = 7;").unwrap();
        assert_eq!(
            counts(&old),
            [(1, "k".to_string(), 3), (7, "j".to_string(), 0)]
        );
        let objects = |c: &Connection| -> Vec<String> {
            let mut st = c.prepare("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1").unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(
            objects(&old),
            objects(&fresh),
            "a migrated store has what a fresh one has"
        );
    }

    /// A version 3 store keeps its rows; the bridge's columns start NULL and its table empty, and the
    /// result has what a fresh store has.
    #[test]
    fn a_version_3_store_migrates_to_version_4() {
        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(&version_3_schema()).unwrap();
        old.execute_batch("PRAGMA user_version = 3;
            INSERT INTO collections (name, title, createdAt, updatedAt) VALUES ('posts', 'Posts', 'x', 'x');
            INSERT INTO roles (name, createdAt, updatedAt) VALUES ('sales', 'x', 'x');
            INSERT INTO workflows (key, type, createdAt, updatedAt) VALUES ('k', 'custom-action', 'x', 'x');").unwrap();
        assert!(!columns(&old, "workflows").contains(&"extra".to_string()));
        apply(&mut old, "old").unwrap();
        let mut fresh = Connection::open_in_memory().unwrap();
        apply(&mut fresh, "fresh").unwrap();
        for table in ["collections", "roles", "workflows", "fg_bridge_kept"] {
            assert_eq!(columns(&old, table), columns(&fresh, table), "{table}");
        }
        let kept: (Option<String>, Option<String>, Option<String>) = old
            .query_row(
                "SELECT (SELECT options FROM collections), (SELECT options FROM roles), (SELECT extra FROM workflows)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, (None, None, None));
        old.execute(
            "INSERT INTO fg_bridge_kept (kind, path, definition, reason) VALUES ('workflow', 'workflows.k', '{}', 'r')",
            [],
        )
        .unwrap();
        let v: i64 = old
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    /// A version 4 store keeps its executions; their re-run link starts NULL.
    #[test]
    fn a_version_4_store_migrates_to_version_5() {
        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(&version_4_schema()).unwrap();
        old.execute_batch("PRAGMA user_version = 4;
            INSERT INTO executions (key, workflowId, createdAt, updatedAt) VALUES ('k', 1, 'x', 'x');").unwrap();
        assert!(!columns(&old, "executions").contains(&"rerunOf".to_string()));
        apply(&mut old, "old").unwrap();
        let mut fresh = Connection::open_in_memory().unwrap();
        apply(&mut fresh, "fresh").unwrap();
        for table in ["executions", "fg_execution_attempts"] {
            assert_eq!(columns(&old, table), columns(&fresh, table), "{table}");
        }
        let row: (Option<i64>, i64, Option<String>) = old
            .query_row(
                "SELECT rerunOf, attempt, retryAt FROM executions",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(row, (None, 1, None));
    }
}
