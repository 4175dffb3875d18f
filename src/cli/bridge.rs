//! The bridge's commands (`export`, `import`, `pull`, `push`; bridge.md §1): flags in, exit code out.
//! The work is in `crate::bridge`; this file reads files, prints the report and picks the exit code
//! (0 done, 1 failure, 2 usage, 3 `--strict` with unsupported or approximated items, or push conflicts).

use std::io::{BufRead, Write};
use std::path::Path;

use crate::bridge::doc;
use crate::bridge::pull::{self, Options};
use crate::bridge::remote::{self, Auth, Remote};
use crate::bridge::report::Report;
use crate::config::{ApplyArgs, ExportArgs, ImportArgs, PullArgs, PushArgs, RemoteAuth};

pub fn export(_args: ExportArgs) -> i32 {
    eprintln!("flowgate export: not built yet");
    1
}

pub fn import(_args: ImportArgs) -> i32 {
    eprintln!("flowgate import: not built yet");
    1
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
    if let Err(msg) = print_report(&report, args.apply.report.as_deref()) {
        return say("pull", &msg, 1);
    }
    let code = match &args.out {
        // A dry run with -o fetches and reports but writes no document.
        Some(_) if args.apply.dry_run => 0,
        Some(out) => match write_atomically(out, &doc::to_canonical_string(&document)) {
            Ok(()) => 0,
            Err(msg) => return say("pull", &msg, 1),
        },
        None => import_into_folder(&args.data, &document, &args.apply, false),
    };
    if code == 0 && args.apply.strict && report.has_unsupported_or_approximated() {
        return 3;
    }
    code
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

pub fn push(_args: PushArgs) -> i32 {
    eprintln!("flowgate push: not built yet");
    1
}

// replaced by the import side at merge
/// Applies `doc` to the data folder `data` (bridge.md §5.4); pull without `-o` is "fetch, then import".
pub fn import_into_folder(
    _data: &Path,
    _doc: &serde_json::Value,
    _apply: &ApplyArgs,
    _replace: bool,
) -> i32 {
    say("pull", "import is not built on this branch; use -o FILE", 1)
}
