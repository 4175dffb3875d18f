//! The SQLite store: one writer connection and a pool of read-only connections over one file.
//!
//! Every write goes through [`Store::write`], which holds the single writer and runs the closure inside a
//! `BEGIN IMMEDIATE` transaction, so writers never deadlock on lock upgrades and a failed closure leaves
//! nothing behind. Reads use [`Store::read`] on a pooled `query_only` connection and never block the writer
//! (WAL). Neither knows about HTTP.

mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

/// `--durability`: `normal` survives a process crash, `full` also a power cut (fsync per commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    Normal,
    Full,
}

pub struct Store {
    path: PathBuf,
    read: r2d2::Pool<SqliteConnectionManager>,
    writer: Mutex<Connection>,
}

/// Why a store could not be opened; each maps to exit code 1 with this text.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create data folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("cannot open store {0}: {1}")]
    Sqlite(String, rusqlite::Error),
    #[error("store {path} has schema version {found}, newer than this flowgate supports ({supported}); use a newer flowgate")]
    Newer { path: String, found: i64, supported: i64 },
    #[error("cannot open read pool: {0}")]
    Pool(r2d2::Error),
}

fn pragmas(durability: Durability, read_only: bool) -> String {
    let sync = match durability {
        Durability::Normal => "NORMAL",
        Durability::Full => "FULL",
    };
    let mut s = format!(
        "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA synchronous={sync}; \
         PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;"
    );
    if read_only {
        s.push_str(" PRAGMA query_only=ON;");
    }
    s
}

/// `journal_mode=wal synchronous=1 …` as read back from a connection.
fn describe(c: &Connection) -> String {
    ["journal_mode", "synchronous", "foreign_keys", "busy_timeout", "query_only"]
        .iter()
        .map(|p| {
            let v = c
                .query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    _ => "?".to_string(),
                })
                .unwrap_or_else(|_| "?".to_string());
            format!("{p}={v}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store {
    /// Opens (creating if needed) `<dir>/flowgate.db`, applies schema.sql and migrations, and sets up the
    /// writer and `read_pool` readers.
    pub fn open(dir: &Path, durability: Durability, read_pool: u32) -> std::result::Result<Store, OpenError> {
        create_folder(dir)?;
        let path = dir.join("flowgate.db");
        let shown = path.display().to_string();
        let mut writer = Connection::open(&path).map_err(|e| OpenError::Sqlite(shown.clone(), e))?;
        writer
            .execute_batch(&pragmas(durability, false))
            .map_err(|e| OpenError::Sqlite(shown.clone(), e))?;
        schema::apply(&mut writer, &shown)?;

        let init = pragmas(durability, true);
        let manager = SqliteConnectionManager::file(&path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_init(move |c| c.execute_batch(&init));
        let read = r2d2::Pool::builder()
            .max_size(read_pool.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(OpenError::Pool)?;
        // The pragmas as the connections report them (RUST_LOG=debug), so a wrong setting shows.
        if tracing::enabled!(tracing::Level::DEBUG) {
            let reader = read.get().map(|c| describe(&c)).unwrap_or_default();
            tracing::debug!(path = %shown, writer = %describe(&writer), reader = %reader, "store opened");
        }
        Ok(Store { path, read, writer: Mutex::new(writer) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a read-only pooled connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.read.get()?;
        f(&conn)
    }

    /// Runs `f` inside `BEGIN IMMEDIATE … COMMIT` on the single writer; an `Err` rolls back.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.lock_writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The writer without a transaction, for statements that cannot run inside one (checkpoints).
    pub fn lock_writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the writer poisons the mutex; the transaction was rolled back on
        // unwind, so the connection is still sound and the store keeps serving.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `SELECT 1` on a reader: the health check.
    pub fn ping(&self) -> bool {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).is_ok()
    }

    /// Folds the WAL back into the database file at shutdown.
    pub fn checkpoint(&self) {
        let conn = self.lock_writer();
        if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
            tracing::warn!(error = %e, "WAL checkpoint at shutdown failed");
        }
    }
}

fn create_folder(dir: &Path) -> std::result::Result<(), OpenError> {
    let shown = dir.display().to_string();
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| OpenError::Folder(shown.clone(), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| OpenError::Folder(shown, e))?;
        }
    }
    Ok(())
}

/// The exclusive advisory lock a running `serve` holds on `<dir>/flowgate.lock`. The OS drops it however
/// the process ends, so a crash never blocks the next start.
pub struct FolderLock {
    _file: std::fs::File,
}

impl FolderLock {
    pub fn acquire(dir: &Path) -> std::result::Result<FolderLock, String> {
        create_folder(dir).map_err(|e| e.to_string())?;
        let path = dir.join("flowgate.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a file descriptor we own; no memory is shared with the call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return Err(format!("data folder {} is in use by another flowgate", dir.display()));
        }
        Ok(FolderLock { _file: file })
    }
}

/// Turns a rusqlite "no rows" into `None`.
pub trait OptionalExt<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExt<T> for rusqlite::Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(Error::from(e)),
        }
    }
}
