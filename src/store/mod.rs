//! The SQLite store: one writer connection and a pool of read-only connections over one file.
//!
//! Every write goes through [`Store::write`], which holds the single writer and runs the closure inside a
//! `BEGIN IMMEDIATE` transaction, so writers never deadlock on lock upgrades and a failed closure leaves
//! nothing behind. Reads use [`Store::read`] on a pooled `query_only` connection and never block the writer
//! (WAL). Neither knows about HTTP.
//!
//! Group commit: when other writers are already queued for the writer, a finished write leaves its
//! transaction open for them and waits until one of them commits it; the last in line (or a batch that
//! is old or large) commits for all. Each closure runs inside its own SAVEPOINT, so a failing closure
//! still leaves nothing behind, and `write` returns only after the COMMIT that holds its work — a caller
//! may answer its request as soon as `write` returns. Commits (and their WAL frames) are shared across
//! concurrent requests instead of paid by each. WAL checkpoints run on a background connection, off the
//! writer's path.

pub mod backup;
mod schema;

pub use schema::SCHEMA_VERSION;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// `--durability`: `normal` survives a process crash, `full` also a power cut (fsync per commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    Normal,
    Full,
}

pub struct Store {
    read: r2d2::Pool<SqliteConnectionManager>,
    writer: Mutex<Writer>,
    /// Threads blocked on (or about to block on) `writer`: a batch stays open only while this is > 0.
    queued: AtomicUsize,
    commits: Mutex<Commits>,
    committed: Condvar,
    checkpointer: Arc<AtomicBool>,
}

/// The single write connection and the batch transaction it may have open.
struct Writer {
    conn: Connection,
    /// The open batch (`BEGIN IMMEDIATE` done, COMMIT pending).
    batch: Option<Batch>,
    next_batch: u64,
}

struct Batch {
    id: u64,
    started: Instant,
    writes: usize,
}

/// Outcome of committed batches, for the writers waiting on them.
#[derive(Default)]
struct Commits {
    /// Every batch with an id up to this one is finished.
    done_through: u64,
    /// Batches whose COMMIT failed (rare), with the reason.
    failed: HashMap<u64, String>,
}

/// A batch is committed at the latest when it holds this many writes or is this old.
const BATCH_MAX_WRITES: usize = 64;
const BATCH_MAX_AGE: Duration = Duration::from_millis(2);
/// How often the background checkpointer folds the WAL back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// The writer, outside any batch: for statements that cannot run in a transaction (DDL with foreign
/// keys off, checkpoints). Derefs to the connection.
pub struct WriterGuard<'a>(MutexGuard<'a, Writer>);

impl std::ops::Deref for WriterGuard<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0.conn
    }
}

impl std::ops::DerefMut for WriterGuard<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.0.conn
    }
}

/// Why a store could not be opened; each maps to exit code 1 with this text.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create data folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("cannot restrict {0} to its owner: {1}")]
    Permissions(String, std::io::Error),
    #[error("cannot open store {0}: {1}")]
    Sqlite(String, rusqlite::Error),
    #[error("store {path} has schema version {found}, newer than this flowgate supports ({supported}); use a newer flowgate")]
    Newer {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot open read pool: {0}")]
    Pool(r2d2::Error),
}

fn pragmas(durability: Durability) -> String {
    let sync = match durability {
        Durability::Normal => "NORMAL",
        Durability::Full => "FULL",
    };
    format!(
        "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA synchronous={sync}; \
         PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;"
    )
}

/// `journal_mode=wal synchronous=1 …` as read back from a connection.
fn describe(c: &Connection) -> String {
    [
        "journal_mode",
        "synchronous",
        "foreign_keys",
        "busy_timeout",
        "query_only",
    ]
    .iter()
    .map(|p| {
        let v = c
            .query_row(&format!("PRAGMA {p}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
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
    pub fn open(
        dir: &Path,
        durability: Durability,
        read_pool: u32,
    ) -> std::result::Result<Store, OpenError> {
        configure_sqlite();
        create_folder(dir)?;
        let path = dir.join("flowgate.db");
        let shown = path.display().to_string();
        let mut writer =
            Connection::open(&path).map_err(|e| OpenError::Sqlite(shown.clone(), e))?;
        restrict_store_files(&path).map_err(|e| OpenError::Permissions(shown.clone(), e))?;
        writer
            .execute_batch(&pragmas(durability))
            .map_err(|e| OpenError::Sqlite(shown.clone(), e))?;
        // Checkpoints are the background checkpointer's job, not the committing request's.
        writer
            .execute_batch("PRAGMA wal_autocheckpoint=0;")
            .map_err(|e| OpenError::Sqlite(shown.clone(), e))?;
        writer.set_prepared_statement_cache_capacity(64);
        schema::apply(&mut writer, &shown)?;
        writer
            .execute_batch(schema::STATS_VIEWS)
            .map_err(|e| OpenError::Sqlite(shown.clone(), e))?;

        // The views before `query_only`, which refuses even temporary ones.
        let init = format!(
            "{}{} PRAGMA query_only=ON;",
            pragmas(durability),
            schema::STATS_VIEWS
        );
        let manager = SqliteConnectionManager::file(&path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_init(move |c| {
                c.set_prepared_statement_cache_capacity(64);
                c.execute_batch(&init)
            });
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
        let checkpointer = Arc::new(AtomicBool::new(true));
        start_checkpointer(path, checkpointer.clone());
        Ok(Store {
            read,
            writer: Mutex::new(Writer {
                conn: writer,
                batch: None,
                next_batch: 1,
            }),
            queued: AtomicUsize::new(0),
            commits: Mutex::new(Commits::default()),
            committed: Condvar::new(),
            checkpointer,
        })
    }

    /// Runs `f` on a read-only pooled connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.read.get()?;
        f(&conn)
    }

    /// Runs `f` inside the writer's `BEGIN IMMEDIATE` transaction (its own SAVEPOINT); an `Err` undoes
    /// `f`'s changes. Returns once the transaction holding them is committed (see the module comment).
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut w = self.acquire();
        if w.batch.is_none() {
            // Cached: parsing even a one-word statement per write batch showed in profiles.
            if let Err(e) = w
                .conn
                .prepare_cached("BEGIN IMMEDIATE")
                .and_then(|mut s| s.execute([]))
            {
                return Err(e.into());
            }
            let id = w.next_batch;
            w.next_batch += 1;
            w.batch = Some(Batch {
                id,
                started: Instant::now(),
                writes: 0,
            });
        }
        let out = run_in_savepoint(&w.conn, f);
        let Some(batch) = w.batch.as_mut() else {
            return Err(Error::internal("write batch vanished"));
        };
        batch.writes += 1;
        let id = batch.id;
        let commit_now = self.queued.load(Ordering::SeqCst) == 0
            || batch.writes >= BATCH_MAX_WRITES
            || batch.started.elapsed() >= BATCH_MAX_AGE;
        if commit_now {
            let committed = self.commit_batch(&mut w);
            drop(w);
            return committed.and(out);
        }
        // Someone is queued for the writer: they will commit this batch (or pass it on).
        drop(w);
        let value = out?;
        self.wait_committed(id)?;
        Ok(value)
    }

    /// Locks the writer, counted as queued while waiting.
    fn acquire(&self) -> MutexGuard<'_, Writer> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        // A panic while holding the writer poisons the mutex; the savepoint was rolled back on unwind
        // paths that return, and an open batch is committed or rolled back by the next holder.
        let w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.queued.fetch_sub(1, Ordering::SeqCst);
        w
    }

    /// COMMITs the open batch (ROLLBACK if COMMIT fails) and wakes the writers waiting on it.
    fn commit_batch(&self, w: &mut Writer) -> Result<()> {
        let Some(batch) = w.batch.take() else {
            return Ok(());
        };
        let committed = w
            .conn
            .prepare_cached("COMMIT")
            .and_then(|mut s| s.execute([]));
        let result = committed.map(|_| ()).map_err(|e| {
            let _ = w.conn.execute_batch("ROLLBACK");
            format!("commit failed: {e}")
        });
        let mut c = self.commits.lock().unwrap_or_else(|p| p.into_inner());
        c.done_through = c.done_through.max(batch.id);
        if let Err(e) = &result {
            c.failed.insert(batch.id, e.clone());
        }
        drop(c);
        self.committed.notify_all();
        result.map_err(Error::internal)
    }

    fn wait_committed(&self, id: u64) -> Result<()> {
        let mut c = self.commits.lock().unwrap_or_else(|p| p.into_inner());
        while c.done_through < id {
            c = self.committed.wait(c).unwrap_or_else(|p| p.into_inner());
        }
        match c.failed.remove(&id) {
            Some(e) => Err(Error::internal(e)),
            None => Ok(()),
        }
    }

    /// The writer with no transaction open (any open batch is committed first), for statements that
    /// cannot run inside one.
    pub fn lock_writer(&self) -> Result<WriterGuard<'_>> {
        let mut w = self.acquire();
        self.commit_batch(&mut w)?;
        Ok(WriterGuard(w))
    }

    /// `SELECT 1` on a reader: the health check.
    pub fn ping(&self) -> bool {
        self.read.get().is_ok_and(|c| answers(&c))
    }

    /// [`Store::ping`] only if a reader is idle (`None` otherwise): it never waits, so an async executor
    /// may call it (`SELECT 1` reads no table and takes no lock).
    pub fn try_ping(&self) -> Option<bool> {
        self.read.try_get().map(|c| answers(&c))
    }

    /// Folds the WAL back into the database file at shutdown.
    pub fn checkpoint(&self) {
        self.checkpointer.store(false, Ordering::SeqCst);
        match self.lock_writer() {
            Ok(conn) => {
                if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
                    tracing::warn!(error = %e, "WAL checkpoint at shutdown failed");
                }
            }
            Err(e) => tracing::warn!(error = %e, "WAL checkpoint at shutdown failed"),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.checkpointer.store(false, Ordering::SeqCst);
        let w = self.writer.get_mut().unwrap_or_else(|p| p.into_inner());
        if w.batch.take().is_some() {
            let _ = w.conn.execute_batch("COMMIT");
        }
    }
}

/// `f` inside `SAVEPOINT … RELEASE`, rolled back to the savepoint on `Err` — and on a panic, so a
/// half-done closure never rides along in the batch's COMMIT.
/// Whether `SELECT 1` answers on `c`.
fn answers(c: &Connection) -> bool {
    c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).is_ok()
}

/// Turns off SQLite's memory statistics before the library starts (process-wide, once): with them every
/// allocation of every connection takes one global mutex, which the profile of the sync trigger showed
/// contended between the writer and the readers. flowgate reads no SQLite memory statistics.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config must run before sqlite3_initialize or after sqlite3_shutdown, with no
        // connection open; it is called once, before this process opens its first connection. If the
        // library was already initialised (a test opened a connection first), it answers SQLITE_MISUSE
        // and nothing changes, which is harmless.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            );
        }
    });
}

/// Runs `f` in a SAVEPOINT of the transaction `conn` is in (a write inside a [`Store::write`]): an `Err`
/// undoes `f`'s changes and leaves the rest of the transaction alone.
pub fn savepoint<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    run_in_savepoint(conn, f)
}

fn run_in_savepoint<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    struct Undo<'a>(&'a Connection, bool);
    impl Drop for Undo<'_> {
        fn drop(&mut self) {
            if self.1 {
                let _ = self
                    .0
                    .execute_batch("ROLLBACK TO fg_write; RELEASE fg_write;");
            }
        }
    }
    conn.prepare_cached("SAVEPOINT fg_write")?.execute([])?;
    let mut undo = Undo(conn, true);
    let out = f(conn)?;
    undo.1 = false;
    conn.prepare_cached("RELEASE fg_write")?.execute([])?;
    Ok(out)
}

/// Folds the WAL into the database every so often from its own connection: a PASSIVE checkpoint never
/// waits for the writer or readers, so committing requests never pay for it.
fn start_checkpointer(path: PathBuf, running: Arc<AtomicBool>) {
    let spawned = std::thread::Builder::new()
        .name("flowgate-checkpoint".into())
        .spawn(move || {
            let conn = match Connection::open(&path) {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "checkpointer cannot open the store");
                    return;
                }
            };
            let _ = conn.execute_batch("PRAGMA busy_timeout=10000;");
            while running.load(Ordering::SeqCst) {
                std::thread::sleep(CHECKPOINT_EVERY);
                let wal_pages: i64 = conn
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
                    .unwrap_or(0);
                if wal_pages < 0 {
                    tracing::warn!("WAL checkpoint failed");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start the checkpointer");
    }
}

/// The sizes in bytes of the store file of data folder `dir` and of its WAL (0 for a file that does not
/// exist).
pub fn file_sizes(dir: &Path) -> (u64, u64) {
    let db = backup::store_file(dir);
    let mut wal = db.as_os_str().to_os_string();
    wal.push("-wal");
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    (size(&db), size(Path::new(&wal)))
}

/// Creates the data folder if needed and makes it 0700 either way: an existing 0755 folder would let
/// any local user read the store (password hashes included).
fn create_folder(dir: &Path) -> std::result::Result<(), OpenError> {
    let shown = dir.display().to_string();
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| OpenError::Folder(shown.clone(), e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| OpenError::Folder(shown, e))?;
    }
    Ok(())
}

/// Makes `<dir>/flowgate.db` and its `-wal`/`-shm` files 0600 where they exist. SQLite creates a new
/// database 0644 whatever the umask, and its WAL and shared-memory files with the database's mode, so
/// the database is narrowed right after it is opened, before the first pragma creates the others, and
/// files an older version left wider are narrowed too.
fn restrict_store_files(db: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let name = db.as_os_str().to_os_string();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = name.clone();
        p.push(suffix);
        match std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
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
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        // `mode` is masked by the umask and ignored for a file that exists: set it exactly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot restrict {}: {e}", path.display()))?;
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a file descriptor we own; no memory is shared with the call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return Err(format!(
                "data folder {} is in use by another flowgate",
                dir.display()
            ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    fn store() -> (tempfile::TempDir, Arc<Store>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Store::open(&dir.path().join("data"), Durability::Normal, 2).expect("open");
        s.write(|c| Ok(c.execute_batch("CREATE TABLE t (n INTEGER)")?))
            .expect("table");
        (dir, Arc::new(s))
    }

    /// Concurrent writes share commits; each returns only once its row is visible to readers, and a
    /// failing write leaves nothing while its neighbours in the batch are kept.
    #[test]
    fn group_commit_keeps_each_write_atomic_and_visible_on_return() {
        let (_dir, s) = store();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let s = s.clone();
                std::thread::spawn(move || {
                    for i in 0..200 {
                        let n = t * 1000 + i;
                        let r = s.write(|c| {
                            c.execute("INSERT INTO t (n) VALUES (?1)", params![n])?;
                            if n % 7 == 0 {
                                return Err(Error::internal("refused"));
                            }
                            Ok(())
                        });
                        let seen: i64 = s
                            .read(|c| {
                                Ok(c.query_row(
                                    "SELECT COUNT(*) FROM t WHERE n = ?1",
                                    params![n],
                                    |r| r.get(0),
                                )?)
                            })
                            .expect("read");
                        assert_eq!(
                            (r.is_ok(), seen),
                            (n % 7 != 0, if n % 7 == 0 { 0 } else { 1 }),
                            "write {n}"
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("writer thread");
        }
        let total: i64 = s
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))?))
            .expect("count");
        let expected = (0..8)
            .flat_map(|t| (0..200).map(move |i| t * 1000 + i))
            .filter(|n| n % 7 != 0)
            .count() as i64;
        assert_eq!(total, expected);
    }

    #[test]
    fn lock_writer_commits_an_open_batch_first() {
        let (_dir, s) = store();
        s.write(|c| Ok(c.execute("INSERT INTO t (n) VALUES (1)", [])?))
            .expect("write");
        let w = s.lock_writer().expect("writer");
        assert!(w.is_autocommit(), "no transaction may be open on the guard");
    }
}
