//! Consistent copies of a store while a server writes to it, and restoring one into a folder.
//!
//! A copy is SQLite's online backup API run inside one read transaction of the copying connection: the
//! pages copied are one snapshot (WAL lets the writer go on committing meanwhile; the copy has none of
//! what committed after it began and all of what committed before), and because the snapshot is held
//! across steps the backup never restarts however busy the writer is, yet it copies in steps, so progress
//! can be reported. `VACUUM INTO` gives the same snapshot but rebuilds every table and index (slower on a
//! large store, measured in `tests/backup.rs`) and reports nothing until it is done. The copy is written
//! beside its target as `<name>.partial` (mode 0600 from its creation), switched out of WAL mode,
//! checked with `PRAGMA integrity_check`, synced, then renamed into place: a target either is a whole
//! checked copy or does not exist.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::schema::SCHEMA_VERSION;

/// Pages per backup step (4 MiB of 4 KiB pages): progress at that grain, and few steps.
const PAGES_PER_STEP: i32 = 1024;

/// What a finished copy holds.
#[derive(Debug, Clone, Copy)]
pub struct Copied {
    pub pages: u64,
    pub bytes: u64,
    pub schema_version: i64,
}

/// `progress(copied_pages, total_pages)` after each step.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// The store file of data folder `dir`.
pub fn store_file(dir: &Path) -> PathBuf {
    dir.join("flowgate.db")
}

/// Copies the store of data folder `dir` to `out`, which must not exist (a server may be running on
/// `dir`: the copy takes no lock a writer waits for).
pub fn backup(dir: &Path, out: &Path, progress: Progress) -> Result<Copied, String> {
    let db = store_file(dir);
    if !db.is_file() {
        return Err(format!(
            "no flowgate store in {}: {} does not exist",
            dir.display(),
            db.display()
        ));
    }
    if out.exists() {
        return Err(format!(
            "{} already exists; remove it or name another file",
            out.display()
        ));
    }
    // Read-write without create, but query_only: a read-only connection could not use the WAL index
    // of a store no server has open; nothing is ever written through it.
    let source = Connection::open_with_flags(
        &db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| {
        c.busy_timeout(Duration::from_secs(10))?;
        c.execute_batch("PRAGMA query_only=ON;")?;
        Ok(c)
    })
    .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    copy(&source, out, progress)
}

/// Restores `file` (a copy made by [`backup`]) as the store of data folder `dir`, which the caller holds
/// the folder lock of. Refused: a file that is not a flowgate store, one of a newer schema version, a
/// damaged one, and a folder that already holds a store unless `replace`.
pub fn restore(
    file: &Path,
    dir: &Path,
    replace: bool,
    progress: Progress,
) -> Result<Copied, String> {
    let source = open_backup(file)?;
    let db = store_file(dir);
    if db.exists() && !replace {
        return Err(format!(
            "{} already holds a store; pass --replace to overwrite it (back it up first)",
            dir.display()
        ));
    }
    let staged = partial(&db);
    let copied = copy(&source, &staged, progress)?;
    // The old store's WAL belongs to the old file: it must not be replayed into the restored one.
    for suffix in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                let _ = std::fs::remove_file(&staged);
                return Err(format!("cannot remove {}: {e}", Path::new(&p).display()));
            }
            _ => {}
        }
    }
    std::fs::rename(&staged, &db).map_err(|e| format!("cannot move the copy into place: {e}"))?;
    sync_folder(dir);
    Ok(copied)
}

/// Opens `file` read-only after checking it is a whole flowgate store this flowgate can serve.
fn open_backup(file: &Path) -> Result<Connection, String> {
    let shown = file.display();
    let mut magic = [0u8; 16];
    let read = std::fs::File::open(file)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .map_err(|e| format!("cannot read {shown}: {e}"));
    if read.is_err() || &magic != b"SQLite format 3\0" {
        return Err(read.err().unwrap_or_else(|| {
            format!("{shown} is not a flowgate backup: it is not an SQLite database")
        }));
    }
    let c = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {shown}: {e}"))?;
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    let tables: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('users', 'tokens', 'roles', 'workflows', 'flow_nodes', 'executions', 'jobs')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if version < 1 || tables < 7 {
        return Err(format!(
            "{shown} is not a flowgate backup: it lacks flowgate's tables or schema version"
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(format!(
            "{shown} has schema version {version}, newer than this flowgate supports ({SCHEMA_VERSION}); restore it with a newer flowgate"
        ));
    }
    integrity(&c).map_err(|e| format!("{shown} is damaged ({e}); restore another backup"))?;
    Ok(c)
}

/// Copies `source` (its main database, as one snapshot) to `out` through `<out>.partial`.
fn copy(source: &Connection, out: &Path, progress: Progress) -> Result<Copied, String> {
    let staged = partial(out);
    let made = (|| {
        create_private(&staged)?;
        let mut dest = Connection::open(&staged)
            .map_err(|e| format!("cannot open {}: {e}", staged.display()))?;
        snapshot_copy(source, &mut dest, progress)?;
        // The copy carries the store's WAL mode in its header: a single file is what a backup should be.
        dest.execute_batch("PRAGMA journal_mode=DELETE;")
            .map_err(|e| format!("cannot finish the copy: {e}"))?;
        integrity(&dest).map_err(|e| format!("the copy failed its integrity check ({e})"))?;
        let schema_version: i64 = dest
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| format!("cannot read the copy: {e}"))?;
        let pages: i64 = dest
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .map_err(|e| format!("cannot read the copy: {e}"))?;
        drop(dest);
        let file =
            std::fs::File::open(&staged).map_err(|e| format!("cannot sync the copy: {e}"))?;
        file.sync_all()
            .map_err(|e| format!("cannot sync the copy: {e}"))?;
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(Copied {
            pages: pages as u64,
            bytes,
            schema_version,
        })
    })();
    match made {
        Ok(copied) => {
            std::fs::rename(&staged, out)
                .map_err(|e| format!("cannot move the copy to {}: {e}", out.display()))?;
            if let Some(folder) = out.parent() {
                sync_folder(folder);
            }
            Ok(copied)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            Err(e)
        }
    }
}

/// The backup API in steps inside one read transaction of `source`, so the copy is one snapshot and
/// never restarts when others commit.
fn snapshot_copy(
    source: &Connection,
    dest: &mut Connection,
    progress: Progress,
) -> Result<(), String> {
    let fail = |e: rusqlite::Error| format!("the copy failed: {e}");
    source
        .execute_batch("BEGIN DEFERRED; SELECT COUNT(*) FROM sqlite_master;")
        .map_err(fail)?;
    let result = (|| {
        let backup = Backup::new(source, dest).map_err(fail)?;
        loop {
            let step = backup.step(PAGES_PER_STEP).map_err(fail)?;
            let p = backup.progress();
            let total = p.pagecount.max(0) as u64;
            progress(total.saturating_sub(p.remaining.max(0) as u64), total);
            match step {
                StepResult::Done => return Ok(()),
                StepResult::More => {}
                // Only the destination can be busy (it is ours alone) or a source lock held by a writer in
                // rollback-journal mode: wait a little and go on.
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    })();
    let _ = source.execute_batch("COMMIT;");
    result
}

/// `PRAGMA integrity_check`'s first complaint, or `Ok` when it answers "ok".
fn integrity(c: &Connection) -> Result<(), String> {
    let answer: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if answer == "ok" {
        Ok(())
    } else {
        Err(answer)
    }
}

fn partial(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_os_string();
    p.push(".partial");
    PathBuf::from(p)
}

/// Creates `path` empty with mode 0600 whatever the umask (it will hold password hashes); a leftover
/// of an interrupted copy is replaced.
fn create_private(path: &Path) -> Result<(), String> {
    let _ = std::fs::remove_file(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .and_then(|_| file.flush())
        .map_err(|e| format!("cannot restrict {}: {e}", path.display()))
}

/// Makes a rename in `dir` durable; best effort (a folder that cannot be opened is left as it is).
fn sync_folder(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}
