//! Tables behind the registry: CREATE TABLE text generated from a collection's definition (one function
//! for creation and rebuilds), indexes, through tables, column additions and removals, and the
//! transaction every schema change runs in.
//!
//! A schema change holds the single writer with `PRAGMA foreign_keys=OFF` (it must be set outside a
//! transaction), so that dropping or rebuilding a table never fires `ON DELETE` actions on other
//! tables' rows; `PRAGMA foreign_key_check` on the rebuilt tables guards the result before COMMIT.

use rusqlite::{Connection, TransactionBehavior};

use super::define::Through;
use super::registry::{Collection, Field, Schema};
use super::sql::{q, write_error};
use crate::app::App;
use crate::error::{Error, Result};
use crate::store::{OptionalExt, Store, WriterGuard};

/// The column clause of a field.
fn column_def(f: &Field) -> String {
    if f.system && f.name == "id" {
        return "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT".into();
    }
    let ty = f.scalar_type().map_or("TEXT", |t| t.column_type());
    match &f.fk_target {
        Some(t) => format!(
            "{} {ty} REFERENCES {}(\"id\") ON DELETE SET NULL",
            q(&f.name),
            q(t)
        ),
        None => format!("{} {ty}", q(&f.name)),
    }
}

/// `CREATE TABLE "<table>" (…)` for `coll`'s columns (system columns first). `table` differs from the
/// collection's name only while rebuilding.
pub fn create_table_sql(coll: &Collection, table: &str) -> String {
    let cols: Vec<String> = coll.columns().map(column_def).collect();
    format!("CREATE TABLE {} ({})", q(table), cols.join(", "))
}

/// Index names hold `:` and `.`, which no collection or field name can, so they never clash.
fn index_name(kind: &str, table: &str, column: &str) -> String {
    q(&format!("fg_{kind}:{table}.{column}"))
}

/// The index a column needs: unique fields get a unique index, FK columns and `index: true` fields a
/// plain one.
fn index_sql(table: &str, f: &Field) -> Option<String> {
    if f.unique {
        return Some(format!(
            "CREATE UNIQUE INDEX {} ON {}({})",
            index_name("uq", table, &f.name),
            q(table),
            q(&f.name)
        ));
    }
    let kind = match (&f.fk_target, f.index) {
        (Some(_), _) => "fk",
        (None, true) => "ix",
        (None, false) => return None,
    };
    Some(format!(
        "CREATE INDEX {} ON {}({})",
        index_name(kind, table, &f.name),
        q(table),
        q(&f.name)
    ))
}

fn create_indexes(conn: &Connection, coll: &Collection) -> Result<()> {
    for sql in coll.columns().filter_map(|f| index_sql(&coll.name, f)) {
        conn.execute_batch(&sql).map_err(write_error)?;
    }
    Ok(())
}

/// The table and indexes of a new collection.
pub fn create_table(conn: &Connection, coll: &Collection) -> Result<()> {
    conn.execute_batch(&create_table_sql(coll, &coll.name))?;
    create_indexes(conn, coll)
}

/// Adds a column (and its index) to an existing table.
pub fn add_column(conn: &Connection, table: &str, f: &Field) -> Result<()> {
    conn.execute_batch(&format!(
        "ALTER TABLE {} ADD COLUMN {}",
        q(table),
        column_def(f)
    ))?;
    if let Some(sql) = index_sql(table, f) {
        conn.execute_batch(&sql).map_err(write_error)?;
    }
    Ok(())
}

/// Re-creates the index of a column whose `unique` or `index` changed; existing duplicates → `<f> must
/// be unique`.
pub fn reindex(conn: &Connection, table: &str, f: &Field) -> Result<()> {
    conn.execute_batch(&format!(
        "DROP INDEX IF EXISTS {}; DROP INDEX IF EXISTS {}; DROP INDEX IF EXISTS {};",
        index_name("uq", table, &f.name),
        index_name("fk", table, &f.name),
        index_name("ix", table, &f.name)
    ))?;
    if let Some(sql) = index_sql(table, f) {
        conn.execute_batch(&sql).map_err(write_error)?;
    }
    Ok(())
}

/// A belongsToMany link table: PK (fk, other), both cascading, the second column indexed.
pub fn create_through(conn: &Connection, t: &Through) -> Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE {name} ({fk} INTEGER NOT NULL REFERENCES {ft}(\"id\") ON DELETE CASCADE, \
         {other} INTEGER NOT NULL REFERENCES {ot}(\"id\") ON DELETE CASCADE, PRIMARY KEY ({fk}, {other})) WITHOUT ROWID; \
         CREATE INDEX {idx} ON {name}({other});",
        name = q(&t.name),
        fk = q(&t.fk),
        ft = q(&t.fk_target),
        other = q(&t.other),
        ot = q(&t.other_target),
        idx = index_name("fk", &t.name, &t.other),
    ))?;
    Ok(())
}

pub fn drop_table(conn: &Connection, name: &str) -> Result<()> {
    conn.execute_batch(&format!("DROP TABLE IF EXISTS {}", q(name)))?;
    Ok(())
}

/// Whether any table, index or view is named `name` (case-insensitively, as SQLite resolves names).
pub fn object_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE name = ?1 COLLATE NOCASE",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Rewrites `after.name`'s table to `after`'s columns (the generalized ALTER TABLE of the SQLite manual):
/// new table, copy, drop, rename, indexes. Ids and the AUTOINCREMENT counter are kept. Needs
/// `foreign_keys=OFF` (see [`change`]).
pub fn rebuild(conn: &Connection, after: &Collection) -> Result<()> {
    let table = &after.name;
    let temp = format!("fg_rebuild:{table}");
    let seq: Option<i64> = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .optional()?;
    let cols: Vec<String> = after.columns().map(|f| q(&f.name)).collect();
    let cols = cols.join(", ");
    conn.execute_batch(&create_table_sql(after, &temp))?;
    conn.execute_batch(&format!(
        "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
        q(&temp),
        q(table)
    ))?;
    drop_table(conn, table)?;
    conn.execute_batch(&format!("ALTER TABLE {} RENAME TO {}", q(&temp), q(table)))?;
    create_indexes(conn, after)?;
    if let Some(seq) = seq {
        conn.execute(
            "DELETE FROM sqlite_sequence WHERE name IN (?1, ?2)",
            [table, &temp],
        )?;
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
            rusqlite::params![table, seq],
        )?;
    }
    Ok(())
}

/// One schema change in progress: its connection (inside the transaction), the registry as the
/// transaction sees it, and the tables rebuilt so far (checked before COMMIT).
pub struct Change<'c> {
    pub conn: &'c Connection,
    pub schema: Schema,
    rebuilt: Vec<String>,
}

impl<'c> Change<'c> {
    /// A change on a connection already inside a transaction (tests build schemas this way).
    #[cfg(test)]
    pub fn on(conn: &'c Connection) -> Result<Change<'c>> {
        Ok(Change {
            conn,
            schema: Schema::read(conn, 0)?,
            rebuilt: Vec::new(),
        })
    }

    /// Re-reads the registry after rows changed.
    pub fn refresh(&mut self) -> Result<()> {
        self.schema = Schema::read(self.conn, 0)?;
        Ok(())
    }

    /// Drops columns `names` of `table` by rebuilding it from the registry definition without them.
    pub fn drop_columns(&mut self, table: &str, names: &[String]) -> Result<()> {
        let coll = self
            .schema
            .get(table)
            .ok_or_else(|| Error::internal(format!("no collection {table}")))?;
        let mut after: Collection = (**coll).clone();
        after
            .fields
            .retain(|f| !names.iter().any(|n| n.eq_ignore_ascii_case(&f.name)));
        rebuild(self.conn, &after)?;
        self.rebuilt.push(after.name.clone());
        Ok(())
    }
}

/// The writer with foreign keys off; turns them back on however the change ends.
struct ForeignKeysOff<'a>(WriterGuard<'a>);

impl<'a> ForeignKeysOff<'a> {
    fn new(conn: WriterGuard<'a>) -> Result<ForeignKeysOff<'a>> {
        conn.execute_batch("PRAGMA foreign_keys=OFF")?;
        Ok(ForeignKeysOff(conn))
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.execute_batch("PRAGMA foreign_keys=ON") {
            tracing::error!(error = %e, "could not turn foreign keys back on");
        }
    }
}

/// Runs a schema change: one `BEGIN IMMEDIATE` transaction holding the DDL and the registry rows; after
/// COMMIT the registry snapshot read inside the transaction is installed.
pub fn change<T>(app: &App, f: impl FnOnce(&mut Change) -> Result<T>) -> Result<T> {
    let (out, next) = change_in(&app.store, true, |ch| {
        let out = f(ch)?;
        Ok((out, Schema::read(ch.conn, app.registry.new_version())?))
    })?;
    app.registry.install(next);
    Ok(out)
}

/// A schema change on a store no server serves (the bridge's import): the same transaction as
/// [`change`], committed only when `commit` (a dry run sees its own effects, then rolls them back).
/// Whoever holds a registry of this store must reload it afterwards.
pub fn change_in<T>(
    store: &Store,
    commit: bool,
    f: impl FnOnce(&mut Change) -> Result<T>,
) -> Result<T> {
    let mut writer = ForeignKeysOff::new(store.lock_writer()?)?;
    let tx = writer
        .0
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut ch = Change {
        conn: &tx,
        schema: Schema::read(&tx, 0)?,
        rebuilt: Vec::new(),
    };
    let out = f(&mut ch)?;
    for table in &ch.rebuilt {
        check_foreign_keys(&tx, table)?;
    }
    if commit {
        tx.commit()?;
    }
    Ok(out)
}

fn check_foreign_keys(conn: &Connection, table: &str) -> Result<()> {
    let mut st = conn.prepare(&format!("PRAGMA foreign_key_check({})", q(table)))?;
    let bad = st.query([])?.next()?.is_some();
    if bad {
        return Err(Error::internal(format!(
            "foreign key check failed on {table} after a rebuild"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::define::fk_field;
    use crate::collections::registry::system_fields;

    fn coll() -> Collection {
        let mut fields = system_fields();
        fields.push(fk_field("categoryId", "categories"));
        Collection {
            name: "posts".into(),
            title: "p".into(),
            created_at: String::new(),
            updated_at: String::new(),
            fields,
            builtin: false,
            options: None,
        }
    }

    #[test]
    fn table_text() {
        assert_eq!(
            create_table_sql(&coll(), "posts"),
            "CREATE TABLE \"posts\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"createdAt\" TEXT, \"updatedAt\" TEXT, \
             \"createdById\" INTEGER REFERENCES \"users\"(\"id\") ON DELETE SET NULL, \
             \"updatedById\" INTEGER REFERENCES \"users\"(\"id\") ON DELETE SET NULL, \
             \"categoryId\" INTEGER REFERENCES \"categories\"(\"id\") ON DELETE SET NULL)"
        );
    }
}
