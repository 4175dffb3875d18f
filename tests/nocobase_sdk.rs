//! NocoBase's own JavaScript SDK (`@nocobase/sdk` 2.2.15 from npm, pinned by `tests/sdk/package.json`
//! and its `package-lock.json`) run from Node against a real flowgate server over a temp store
//! (issue 10): sign-in, the role, records, associations, every trigger form, the workflow pages'
//! parameter sets, the error cases and sign-out. `tests/sdk/run.js` prints one line per check and
//! exits non-zero at the first failure; each point of the issue is one or more of its checks.
//!
//! The packages are installed once with `npm ci` into `target/nocobase-sdk/` and reused while the lock
//! file is unchanged. Node and npm are required (`.ci/run` installs Debian's); the test fails, never
//! skips, without them.
mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command, what: &str) -> std::process::Output {
    cmd.output().unwrap_or_else(|e| {
        panic!("{what}: cannot start ({e}); install Node and npm (.ci/run does)")
    })
}

/// `target/nocobase-sdk` with the pinned packages installed; `npm ci` runs only when the lock file
/// differs from the one installed there.
fn installed() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = manifest.join("tests/sdk");
    let dir = manifest.join("target/nocobase-sdk");
    let lock = std::fs::read(src.join("package-lock.json")).expect("tests/sdk/package-lock.json");
    let stamp = dir.join("installed-lock.json");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice())
        && dir.join("node_modules/@nocobase/sdk").is_dir()
    {
        return dir;
    }
    std::fs::create_dir_all(&dir).expect("create target/nocobase-sdk");
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap_or_else(|e| panic!("copy {f}: {e}"));
    }
    let out = run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
        "npm ci",
    );
    assert!(
        out.status.success(),
        "npm ci failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&stamp, &lock).expect("write the install stamp");
    dir
}

#[test]
fn nocobase_sdk_works_unchanged() {
    let modules = installed().join("node_modules");
    let s = Server::start();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/run.js");
    let out = run(
        Command::new("node")
            .arg(&script)
            .arg(&s.base)
            .arg(ROOT_PASSWORD)
            .env("NODE_PATH", &modules)
            .env_remove("SDK_CHECK_ALL"),
        "node tests/sdk/run.js",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the SDK script failed ({}):\n{stdout}\n{stderr}\n--- server log ---\n{}",
        out.status,
        s.log_text()
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
    for point in 1..=7 {
        assert!(
            stdout.contains(&format!("point {point}:")),
            "point {point} is checked:\n{stdout}"
        );
    }
}
