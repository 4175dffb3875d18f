//! The store-wide retention of finished executions (`serve --keep-executions N --keep-days D`), which the
//! housekeeping thread of `cli` applies every few seconds. Per-workflow retention
//! (`options.deleteExecutionOnStatus`) is `engine::Processor::save`'s.

use super::repo::executions;
use crate::app::App;
use crate::error::Result;

/// Finished executions past the retention go in batches of this many, each batch a write of its own.
const PRUNE_BATCH: u64 = 1_000;

/// Deletes what the store-wide retention no longer keeps, a batch per write, until nothing is left
/// (or the server stops); returns how many went.
pub fn prune_executions(app: &App) -> Result<usize> {
    let serve = &app.config.serve;
    let before = (serve.keep_days > 0).then(|| {
        let days = i64::try_from(serve.keep_days).unwrap_or(i64::MAX / 86_400_000);
        crate::time::ms_to_iso(
            crate::time::now_ms().saturating_sub(days.saturating_mul(86_400_000)),
        )
    });
    let retention = executions::Retention {
        keep: serve.keep_executions,
        created_before: before.as_deref(),
    };
    if retention.keep == 0 && retention.created_before.is_none() {
        return Ok(0);
    }
    let mut total = 0;
    while !app.is_shutting_down() {
        let n = app
            .store
            .write(|c| executions::prune(c, retention, PRUNE_BATCH))?;
        total += n;
        if (n as u64) < PRUNE_BATCH {
            break;
        }
    }
    if total > 0 {
        tracing::info!(
            deleted = total,
            "finished executions past the retention deleted"
        );
    }
    Ok(total)
}
