//! Operations actions: `app:backup`, a fresh consistent copy of the store answered as a download.

use crate::action::Ctx;
use crate::error::{Error, Result};
use crate::reply::Reply;
use crate::store::backup;

/// `GET /api/app:backup` (root only): the store copied now (`store::backup`, the copy `flowgate backup`
/// makes), as `flowgate-backup-<YYYY-MM-DD>.db`. The copy is made in the data folder (the same disk,
/// mode 0600), opened, and unlinked before it is sent, so no copy outlives the answer.
pub fn download(ctx: &Ctx) -> Result<Reply> {
    let dir = &ctx.app.config.serve.data;
    let staged = dir.join(format!(".backup-{}.db", random_name()));
    let copied = backup::backup(dir, &staged, &mut |_, _| {})
        .map_err(|e| Error::internal(format!("backup failed: {e}")))?;
    let file = std::fs::File::open(&staged);
    let _ = std::fs::remove_file(&staged);
    let file = file.map_err(|e| Error::internal(format!("cannot reopen the backup: {e}")))?;
    tracing::info!(bytes = copied.bytes, "backup downloaded");
    let date = &crate::time::now_iso()[..10];
    Ok(Reply::file(
        format!("flowgate-backup-{date}.db"),
        "application/vnd.sqlite3",
        file,
        copied.bytes,
    ))
}

fn random_name() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("{n:016x}")
}
