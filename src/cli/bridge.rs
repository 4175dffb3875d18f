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
    let outcome = match import_document(&store, doc, &opts) {
        Ok(o) => o,
        Err(e) => return fail(import_error(&e)),
    };
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
    let remote = match connect(&args.to, &args.auth) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    super::push::run(&*remote, &doc, &args)
}

/// A signed-in connection to a live server. // replaced by bridge::remote at merge
fn connect(
    url: &str,
    auth: &crate::config::RemoteAuth,
) -> Result<Box<dyn crate::bridge::push::Api>, String> {
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(std::time::Duration::from_secs(60))
        .build();
    let base = url.trim_end_matches('/').to_string();
    let mut c = Interim {
        agent,
        base,
        token: auth.token.clone().unwrap_or_default(),
        role: auth.role.clone(),
    };
    if c.token.is_empty() {
        let body = serde_json::json!({"account": auth.account, "password": auth.password});
        let answer =
            crate::bridge::push::Api::call(&c, "POST", "/api/auth:signIn", &[], Some(&body))
                .map_err(|e| format!("sign in: {e}"))?;
        c.token = answer["data"]["token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    Ok(Box::new(c))
}

struct Interim {
    agent: ureq::Agent,
    base: String,
    token: String,
    role: String,
}

impl crate::bridge::push::Api for Interim {
    fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, crate::bridge::push::RemoteError> {
        use crate::bridge::push::RemoteError;
        let mut req = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("X-Authenticator", "basic")
            .set("X-Role", &self.role);
        if !self.token.is_empty() {
            req = req.set("Authorization", &format!("Bearer {}", self.token));
        }
        for (k, v) in query {
            req = req.query(k, v);
        }
        let res = match body {
            Some(b) => req.send_json(b.clone()),
            None if method == "POST" => req.send_json(serde_json::json!({})),
            None => req.call(),
        };
        match res {
            Ok(r) => r.into_json().map_err(|e| RemoteError {
                status: None,
                message: format!("{path}: {e}"),
            }),
            Err(ureq::Error::Status(code, r)) => {
                let v: serde_json::Value = r.into_json().unwrap_or_default();
                let message = v["errors"][0]["message"]
                    .as_str()
                    .unwrap_or("(no message)")
                    .to_string();
                Err(RemoteError {
                    status: Some(code),
                    message,
                })
            }
            Err(e) => Err(RemoteError {
                status: None,
                message: e.to_string(),
            }),
        }
    }
}
