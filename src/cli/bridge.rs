//! The bridge's commands (`export`, `import`, `pull`, `push`; bridge.md §1): flags in, exit code out.
//! The work is in `crate::bridge`; this file reads files, prints the report and picks the exit code
//! (0 done, 1 failure, 2 usage, 3 `--strict` with unsupported or approximated items, or push conflicts).

use std::io::{BufRead, Read, Write};
use std::path::Path;

use serde_json::Value;

use super::{fail, open_store};
use crate::bridge::export::{export_document, ExportOptions};
use crate::bridge::import::{import_document, ImportError, ImportOptions, Outcome};
use crate::bridge::pull::{self, Options};
use crate::bridge::remote::{self, Auth, Remote};
use crate::bridge::{doc, report::Report};
use crate::config::{ApplyArgs, ExportArgs, ImportArgs, PullArgs, PushArgs, RemoteAuth};
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
        Ok(doc) => import_into_folder(
            &args.data,
            &doc,
            &args.apply,
            args.replace,
            Report::default(),
        ),
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
/// and `pull` (without `-o`) both end here; `earlier` holds what pull reported (skipped, rewritten,
/// warnings), printed and written in one report with import's items (an item both found, once).
pub fn import_into_folder(
    data: &Path,
    doc: &Value,
    apply: &ApplyArgs,
    replace: bool,
    earlier: Report,
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
    store.checkpoint();
    let mut report = earlier;
    for item in std::mem::take(&mut outcome.report.items) {
        if !report
            .items
            .iter()
            .any(|i| i.severity == item.severity && i.path == item.path && i.what == item.what)
        {
            report.items.push(item);
        }
    }
    outcome.report = report;
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

/// `flowgate pull --from URL AUTH [-o FILE | --data DIR] …` (bridge.md §1, §2): fetch and convert, print
/// the report, then write the document (`-o`) or import it into the data folder.
pub fn pull(args: PullArgs) -> i32 {
    let auth = match usage(&args) {
        Ok(auth) => auth,
        Err(msg) => return say("pull", &msg, 2),
    };
    let remote = match Remote::connect(&args.from, &auth, &args.auth.role) {
        Ok(r) => r,
        Err(msg) => return say("pull", &msg, 1),
    };
    let opts = Options {
        all_versions: args.all_versions,
        records: args.records,
    };
    let (document, report) = match pull::pull(&remote, opts) {
        Ok(done) => done,
        Err(msg) => return say("pull", &msg, 1),
    };
    let Some(out) = &args.out else {
        // Import prints and writes pull's items with its own, as one report.
        return import_into_folder(&args.data, &document, &args.apply, false, report);
    };
    if let Err(msg) = print_report(&report, args.apply.report.as_deref()) {
        return say("pull", &msg, 1);
    }
    // A dry run with -o fetches and reports but writes no document.
    if !args.apply.dry_run {
        if let Err(msg) = write_atomically(out, &doc::to_canonical_string(&document)) {
            return say("pull", &msg, 1);
        }
    }
    if args.apply.strict && report.has_unsupported_or_approximated() {
        return 3;
    }
    0
}

/// The flags clap cannot check: an http(s) address, and exactly one way to sign in (the password read
/// from stdin now, before any call).
fn usage(args: &PullArgs) -> Result<Auth, String> {
    remote::check_url(&args.from)?;
    remote_auth(&args.auth)
}

fn remote_auth(a: &RemoteAuth) -> Result<Auth, String> {
    if let Some(t) = &a.token {
        return Ok(Auth::Token(t.clone()));
    }
    let (Some(account), true) = (&a.account, a.password.is_some() || a.password_stdin) else {
        return Err(
            "sign in with --token T, or --account A with --password P or --password-stdin".into(),
        );
    };
    let password = match &a.password {
        Some(p) => p.clone(),
        None => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    Ok(Auth::Password {
        account: account.clone(),
        password,
    })
}

/// `flowgate <command>: <message>` on stderr; returns `code`.
fn say(command: &str, msg: &str, code: i32) -> i32 {
    // Not `eprintln!`, which panics when stderr has lost its reader.
    let _ = writeln!(std::io::stderr(), "flowgate {command}: {msg}");
    code
}

/// The report on stderr, one line per item, and as JSON in `file` when given.
fn print_report(report: &Report, file: Option<&Path>) -> Result<(), String> {
    let mut err = std::io::stderr().lock();
    for line in report.lines() {
        let _ = writeln!(err, "{line}");
    }
    match file {
        Some(path) => {
            let text = serde_json::to_string_pretty(&report.to_json())
                .expect("a JSON value always serialises");
            write_atomically(path, &(text + "\n"))
        }
        None => Ok(()),
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it: `path` is either the whole new
/// content or untouched.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

pub fn push(args: PushArgs) -> i32 {
    let doc = match &args.file {
        Some(file) => read_document(file),
        None => open_store(&args.data).and_then(|store| {
            let opts = ExportOptions {
                all_versions: false,
                records: false,
            };
            export_document(&store, &opts)
                .map_err(|e| e.detail.as_deref().unwrap_or(e.message()).to_string())
        }),
    };
    let doc = match doc {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let problems = crate::bridge::import::validate(&doc);
    if !problems.is_empty() {
        for p in &problems {
            let _ = writeln!(
                std::io::stderr(),
                "  {}: {}",
                if p.path.is_empty() {
                    "(document)"
                } else {
                    &p.path
                },
                p.message
            );
        }
        return fail(format!(
            "the document has {} problems; nothing was pushed",
            problems.len()
        ));
    }
    let auth = match remote::check_url(&args.to).and_then(|_| remote_auth(&args.auth)) {
        Ok(a) => a,
        Err(msg) => return say("push", &msg, 2),
    };
    let remote = match Remote::connect(&args.to, &auth, &args.auth.role) {
        Ok(r) => r,
        Err(e) => return say("push", &e, 1),
    };
    super::push::run(&remote, &doc, &args)
}
