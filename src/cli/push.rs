//! `flowgate push` (bridge.md §1, §3): the document (a data folder's export or `--file`), the target's
//! plan, then either the plan printed (`--dry-run`, `--json`) or applied with progress. Exit 0 done, 1
//! failure (what was applied stays; a re-run completes it), 3 conflicts without `--skip-conflicts`.

use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::bridge::push::{self, plan, Api, Progress};

// Writes that a closed stdout or stderr cannot turn into a panic (`println!` would).
macro_rules! err {
    () => { let _ = writeln!(std::io::stderr()); };
    ($($t:tt)*) => { let _ = writeln!(std::io::stderr(), $($t)*); };
}
macro_rules! err_part {
    ($($t:tt)*) => { let _ = write!(std::io::stderr(), $($t)*); };
}
macro_rules! out {
    ($($t:tt)*) => { let _ = writeln!(std::io::stdout(), $($t)*); };
}
use crate::config::PushArgs;

/// Runs a push against a connected target.
pub fn run(remote: &dyn Api, doc: &Value, args: &PushArgs) -> i32 {
    let opts = plan::Options {
        exact_roles: args.exact_roles,
    };
    let (version, plan) = match push::prepare(remote, doc, opts, args.force_version) {
        Ok(p) => p,
        Err(e) => {
            err!("flowgate push: {e}");
            return 1;
        }
    };
    for line in plan.report.lines() {
        err!("{line}");
    }
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&plan.report.to_json()).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(path, text) {
            err!(
                "flowgate push: cannot write the report to {}: {e}",
                path.display()
            );
            return 1;
        }
    }
    let blocked = !plan.conflicts.is_empty() && !args.skip_conflicts;
    if args.dry_run || blocked {
        print_plan(&plan, args.json, &version.to_string());
        if blocked {
            err!("flowgate push: {} conflicts; nothing was written (--skip-conflicts leaves them out)", plan.conflicts.len());
            return 3;
        }
        return 0;
    }
    let mut progress = Lines {
        terminal: std::io::stderr().is_terminal(),
    };
    match push::apply(remote, doc, &plan, &mut progress) {
        Ok(writes) => {
            progress.done();
            out!(
                "pushed to {version}: {} operations, {writes} writes",
                plan.ops.len()
            );
            0
        }
        Err(e) => {
            progress.done();
            err!("flowgate push: {e}");
            err!("what was applied before stays; push again to complete it");
            1
        }
    }
}

fn print_plan(plan: &plan::Plan, json: bool, version: &str) {
    let mut out = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string_pretty(&push::plan_json(plan)).unwrap_or_default();
        let _ = writeln!(out, "{text}");
        return;
    }
    for op in &plan.ops {
        let _ = writeln!(out, "{}", op.line());
    }
    for c in &plan.conflicts {
        let _ = writeln!(out, "conflict {c}");
    }
    for e in &plan.extra {
        let _ = writeln!(out, "extra {e} (on the target only; left alone)");
    }
    let writes: usize = plan
        .ops
        .iter()
        .map(|o| o.calls.iter().filter(|c| c.method != "GET").count())
        .sum();
    let _ = writeln!(
        out,
        "plan for {version}: {} operations ({writes} writes), {} conflicts, {} extra",
        plan.ops.len(),
        plan.conflicts.len(),
        plan.extra.len()
    );
}

/// Progress on stderr: one rewritten line on a terminal, one line per operation otherwise.
struct Lines {
    terminal: bool,
}

impl Progress for Lines {
    fn step(&mut self, done: usize, total: usize, op: &plan::Op) {
        let line = format!("[{}/{total}] {}", done + 1, op.line());
        if self.terminal {
            err_part!("\r\x1b[2K{line}");
        } else {
            err!("{line}");
        }
    }
}

impl Lines {
    fn done(&self) {
        if self.terminal {
            err!();
        }
    }
}
