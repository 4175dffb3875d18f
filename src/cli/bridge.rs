//! The bridge's commands (`export`, `import`, `pull`, `push`; bridge.md §1): flags in, exit code out.
//! The work is in `crate::bridge`; this file reads files, prints the report and picks the exit code
//! (0 done, 1 failure, 2 usage, 3 `--strict` with unsupported or approximated items, or push conflicts).

use std::io::{Read, Write};
use std::path::Path;

use serde_json::Value;

use super::{fail, open_store};
use crate::bridge::export::{export_document, ExportOptions};
use crate::bridge::import::{import_document, ImportError, ImportOptions, Outcome};
use crate::bridge::{doc, report::Report};
use crate::config::{ApplyArgs, ExportArgs, ImportArgs, PullArgs, PushArgs};
use crate::store::{Durability, FolderLock, Store};

/// `flowgate export`: reads the store without the folder lock (a server may hold it).
pub fn export(args: ExportArgs) -> i32 {
    let store = match open_store(&args.data) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let opts = ExportOptions {
        all_versions: args.all_versions,
        records: args.records,
    };
    let text = match export_document(&store, &opts) {
        Ok(d) => doc::to_canonical_string(&d),
        Err(e) => return fail(e.detail.as_deref().unwrap_or(e.message()).to_string()),
    };
    let written = match &args.out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write stdout: {e}")),
    };
    match written {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

/// `flowgate import FILE`.
pub fn import(args: ImportArgs) -> i32 {
    match read_document(&args.file) {
        Ok(doc) => import_into_folder(&args.data, &doc, &args.apply, args.replace),
        Err(e) => fail(e),
    }
}

/// Reads a document file (`-`: stdin) as JSON.
pub fn read_document(path: &Path) -> Result<Value, String> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Imports `doc` into the data folder `data`, which no server may hold: takes the folder lock, applies,
/// prints the report and the changes on stderr, writes `--report`, and returns the exit code. `import`
/// and `pull` (without `-o`) both end here.
pub fn import_into_folder(data: &Path, doc: &Value, apply: &ApplyArgs, replace: bool) -> i32 {
    import_into_folder_after(data, doc, apply, replace, &Report::default())
}

/// [`import_into_folder`] after a step that has its own report items (`pull`: skipped collections,
/// rewritten `$scopes`): `earlier` is printed and written with the import's items, as one report.
pub fn import_into_folder_after(
    data: &Path,
    doc: &Value,
    apply: &ApplyArgs,
    replace: bool,
    earlier: &Report,
) -> i32 {
    let _lock = match FolderLock::acquire(data) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let store = match Store::open(data, Durability::Normal, 1) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let opts = ImportOptions {
        dry_run: apply.dry_run,
        replace,
    };
    let mut outcome = match import_document(&store, doc, &opts) {
        Ok(o) => o,
        Err(e) => return fail(import_error(&e)),
    };
    let mut items = earlier.items.clone();
    items.append(&mut outcome.report.items);
    outcome.report.items = items;
    store.checkpoint();
    print_outcome(&outcome, apply.dry_run);
    finish(&outcome.report, apply)
}

fn import_error(e: &ImportError) -> String {
    match e {
        ImportError::Invalid(ps) if ps.len() == 1 && ps[0].path == "version" => {
            ps[0].message.clone()
        }
        other => other.to_string(),
    }
}

/// The report's lines, the changes and the summary line on stderr.
pub fn print_outcome(outcome: &Outcome, dry_run: bool) {
    let mut err = std::io::stderr().lock();
    for line in outcome.report.lines() {
        let _ = writeln!(err, "{line}");
    }
    let verb = if dry_run { "would change" } else { "changed" };
    for c in &outcome.changes {
        let _ = writeln!(err, "{verb}: {c}");
    }
    let n = outcome.changes.len();
    let summary = if dry_run {
        format!("dry run: {n} changes (nothing written)")
    } else {
        format!("{n} changes")
    };
    let _ = writeln!(err, "{summary}");
}

/// Writes `--report FILE` and picks the exit code (3: `--strict` and the report has unsupported or
/// approximated items).
pub fn finish(report: &Report, apply: &ApplyArgs) -> i32 {
    if let Some(path) = &apply.report {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(path, text) {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    if apply.strict && report.has_unsupported_or_approximated() {
        return 3;
    }
    0
}

pub fn pull(_args: PullArgs) -> i32 {
    eprintln!("flowgate pull: not built yet");
    1
}

pub fn push(_args: PushArgs) -> i32 {
    eprintln!("flowgate push: not built yet");
    1
}
