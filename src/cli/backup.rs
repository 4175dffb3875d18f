//! `flowgate backup` and `flowgate restore` (store::backup does the copying). Backup takes no folder
//! lock: it reads one snapshot beside a running server. Restore takes the lock, so it is refused while a
//! server (or another command) holds the folder.

use std::io::Write;

use crate::config::{BackupArgs, RestoreArgs};
use crate::store::backup::{self, Copied};
use crate::store::FolderLock;

use super::fail;

/// Stores of at least this many pages (10 MiB of 4 KiB pages) report their progress on stderr.
const LARGE: u64 = 2560;

pub fn backup(args: BackupArgs) -> i32 {
    match backup::backup(&args.data, &args.out, &mut progress("backup")) {
        Ok(copied) => done(&copied, &format!("backed up to {}", args.out.display())),
        Err(e) => fail(format!("backup of {} failed: {e}", args.data.display())),
    }
}

pub fn restore(args: RestoreArgs) -> i32 {
    let _lock = match FolderLock::acquire(&args.data) {
        Ok(l) => l,
        Err(e) => {
            return fail(format!(
                "cannot restore: {e}; stop the server that holds it first"
            ))
        }
    };
    match backup::restore(
        &args.file,
        &args.data,
        args.replace,
        &mut progress("restore"),
    ) {
        Ok(copied) => done(&copied, &format!("restored into {}", args.data.display())),
        Err(e) => fail(format!("cannot restore {}: {e}", args.file.display())),
    }
}

/// Prints `<what>: 40% (1024 of 2560 pages)` on stderr at each tenth of a large store.
fn progress(what: &'static str) -> impl FnMut(u64, u64) {
    let mut shown = 0u64;
    move |copied, total| {
        if total < LARGE || total == 0 {
            return;
        }
        let tenth = copied * 10 / total;
        if tenth > shown {
            shown = tenth;
            let _ = writeln!(
                std::io::stderr(),
                "{what}: {}% ({copied} of {total} pages)",
                tenth * 10
            );
        }
    }
}

fn done(copied: &Copied, what: &str) -> i32 {
    let _ = writeln!(
        std::io::stdout(),
        "{what}: {} bytes, schema version {}, integrity ok",
        copied.bytes,
        copied.schema_version
    );
    0
}
