//! `flowgate backup`, `flowgate restore` and `GET /api/app:backup` (issue 16 point 5): a copy taken while
//! a writer commits is one consistent snapshot, restore then serve gives the same records, and every
//! refusal says why and leaves the folder as it was.

mod common;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// A collection `bk_items {n integer, pad text}`.
fn collection(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"bk_items","fields":[{"name":"n","type":"integer"},{"name":"pad","type":"text"}]})),
    );
}

/// Makes the store large (`rows` rows of 4 KiB behind the API, in one transaction), so a copy takes a
/// while and reports its progress. `n` is negative for them: the writer's rows are 0, 1, 2, …
fn bulk(s: &Server, rows: i64) {
    let mut c = s.db();
    let tx = c.transaction().unwrap();
    for i in 0..rows {
        tx.execute(
            "INSERT INTO bk_items (n, pad) VALUES (?1, ?2)",
            rusqlite::params![-1 - i, "x".repeat(4096)],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// `n` of every writer row in the store file `db`, sorted.
fn writer_rows(db: &Path) -> Vec<i64> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare("SELECT n FROM bk_items WHERE n >= 0 ORDER BY n")
        .unwrap();
    let rows = st.query_map([], |r| r.get(0)).unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// `flowgate backup --data dir --out out`: (exit code, stdout, stderr).
fn cli_backup(dir: &Path, out: &Path) -> (i32, String, String) {
    run_cli(
        &[
            "backup",
            "--data",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    )
}

fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A writer thread creating `bk_items` with n = 0, 1, 2, … one after another over HTTP; each `n` is
/// pushed to `done` once its create answered 200 (so it is committed).
struct Writer {
    done: Arc<Mutex<Vec<i64>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    fn start(s: &Server) -> Writer {
        let done = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (url, token) = (s.url("/api/bk_items:create"), s.root());
        let (d, st) = (done.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let agent = ureq::agent();
            let mut n = 0i64;
            while !st.load(Ordering::SeqCst) {
                let r = agent
                    .post(&url)
                    .set("Authorization", &format!("Bearer {token}"))
                    .send_json(json!({ "n": n }));
                assert!(r.is_ok(), "create {n}: {r:?}");
                d.lock().unwrap().push(n);
                n += 1;
            }
        });
        Writer {
            done,
            stop,
            thread: Some(thread),
        }
    }

    fn count(&self) -> usize {
        self.done.lock().unwrap().len()
    }

    /// Waits until at least `n` rows are committed.
    fn wait_for(&self, n: usize) {
        let until = Instant::now() + Duration::from_secs(30);
        while self.count() < n {
            assert!(
                Instant::now() < until,
                "the writer is stuck at {}",
                self.count()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn stop(mut self) -> Vec<i64> {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.done.lock().unwrap().clone()
    }
}

/// The backup holds every row committed before it began and is a prefix of the writer's sequence (one
/// snapshot: no row without the rows committed before it).
fn assert_consistent_snapshot(db: &Path, before: usize, all: &[i64]) {
    assert_eq!(integrity(db), "ok");
    let rows = writer_rows(db);
    assert!(
        rows.len() >= before,
        "{} rows in the copy, {before} committed before it began",
        rows.len()
    );
    assert_eq!(
        rows,
        all[..rows.len()].to_vec(),
        "the copy is a prefix of what was committed"
    );
}

#[test]
fn a_cli_backup_under_concurrent_writes_is_one_consistent_snapshot() {
    let s = Server::start();
    collection(&s);
    bulk(&s, 4000);
    let writer = Writer::start(&s);
    writer.wait_for(20);
    let before = writer.count();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("copy.db");
    let (code, stdout, stderr) = cli_backup(&s.dir, &out);
    // Writes went on around the copy (the prefix check below is what shows it is one snapshot).
    let during = writer.count() - before;
    writer.wait_for(writer.count() + 5);
    let all = writer.stop();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("integrity ok"), "{stdout}");
    assert!(
        stderr.contains("backup: 100% ("),
        "a large store reports its progress: {stderr}"
    );
    assert!(during > 0, "no write committed around the copy");
    assert_consistent_snapshot(&out, before, &all);
    assert!(
        writer_rows(&out).len() < all.len(),
        "later rows are not in the copy"
    );
    assert_eq!(mode(&out), 0o600);
    assert!(!Path::new(&format!("{}.partial", out.display())).exists());

    // An existing file is never overwritten.
    let size = std::fs::metadata(&out).unwrap().len();
    let (code, _, stderr) = cli_backup(&s.dir, &out);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("already exists; remove it or name another file"),
        "{stderr}"
    );
    assert_eq!(std::fs::metadata(&out).unwrap().len(), size);
    // A folder without a store.
    let empty = tmp.path().join("nothing");
    let (code, _, stderr) = cli_backup(&empty, &tmp.path().join("x.db"));
    assert_eq!(code, 1);
    assert!(stderr.contains("no flowgate store in"), "{stderr}");
}

/// `GET /api/app:backup` with `token`: (status, headers, body bytes).
fn http_backup(s: &Server, token: Option<&str>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut r = ureq::get(&s.url("/api/app:backup"));
    if let Some(t) = token {
        r = r.set("Authorization", &format!("Bearer {t}"));
    }
    let res = match r.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("app:backup: {e}"),
    };
    let status = res.status();
    let headers = res
        .headers_names()
        .into_iter()
        .filter_map(|n| res.header(&n).map(|v| (n.to_lowercase(), v.to_string())))
        .collect();
    let mut body = Vec::new();
    res.into_reader().read_to_end(&mut body).unwrap();
    (status, headers, body)
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn app_backup_answers_root_a_fresh_consistent_copy_under_writes() {
    let s = Server::start();
    collection(&s);
    bulk(&s, 2000);
    let writer = Writer::start(&s);
    writer.wait_for(20);
    let before = writer.count();
    let (status, headers, body) = http_backup(&s, Some(&s.root()));
    writer.wait_for(writer.count() + 5);
    let all = writer.stop();
    assert_eq!(
        status,
        200,
        "{}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    let date = &flowgate::time::now_iso()[..10];
    assert_eq!(
        header(&headers, "content-disposition"),
        Some(format!("attachment; filename=\"flowgate-backup-{date}.db\"").as_str())
    );
    assert_eq!(
        header(&headers, "content-type"),
        Some("application/vnd.sqlite3")
    );
    assert_eq!(
        header(&headers, "content-length").map(|l| l.parse::<usize>().unwrap()),
        Some(body.len())
    );
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("downloaded.db");
    std::fs::write(&file, &body).unwrap();
    assert_consistent_snapshot(&file, before, &all);
    // No copy is left in the data folder.
    let left: Vec<PathBuf> = std::fs::read_dir(&s.dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("backup"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn app_backup_is_for_root_alone() {
    let s = Server::start();
    let admin = s.user("bk_admin", &["admin"]);
    let member = s.user("bk_member", &["member"]);
    for (token, status) in [
        (Some(admin.as_str()), 403),
        (Some(member.as_str()), 403),
        (None, 401),
    ] {
        let (st, _, body) = http_backup(&s, token);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(st, status, "{v}");
        assert!(v["errors"][0]["message"].is_string(), "{v}");
    }
}

/// A folder with a few records, backed up by the CLI into `out` after the writes stopped.
fn backed_up(tmp: &Path) -> (Server, PathBuf) {
    let s = Server::start();
    collection(&s);
    for n in 0..5 {
        s.ok(
            "POST",
            "/api/bk_items:create",
            Some(json!({"n": n, "pad": format!("p{n}")})),
        );
    }
    let out = tmp.join("backup.db");
    let (code, _, stderr) = cli_backup(&s.dir, &out);
    assert_eq!(code, 0, "{stderr}");
    (s, out)
}

fn restore(file: &Path, data: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "restore",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_cli(&args, &[])
}

fn items(s: &Server) -> Value {
    s.ok("GET", "/api/bk_items:list?paginate=false&sort=n", None)
}

#[test]
fn restore_then_serve_gives_the_same_records_and_users() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, out) = backed_up(tmp.path());
    let data = tmp.path().join("restored");
    let (code, stdout, stderr) = restore(&out, &data, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("restored into"), "{stdout}");
    assert_eq!(mode(&data.join("flowgate.db")), 0o600);
    let t = Server::builder().dir(&data).start();
    assert_eq!(items(&t), items(&s));
    assert_eq!(items(&t).as_array().map(Vec::len), Some(5));
    // root signs in with the same password (Server::root signs in).
    assert!(!t.root().is_empty());
}

#[test]
fn restore_refuses_a_held_folder_a_foreign_file_a_newer_schema_and_an_existing_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, out) = backed_up(tmp.path());

    // A folder a server holds: refused, its store untouched.
    let held = Server::start();
    let before = held.rows("users");
    let (code, _, stderr) = restore(&out, &held.dir, &["--replace"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is in use by another flowgate; stop the server that holds it first"),
        "{stderr}"
    );
    assert_eq!(held.rows("users"), before);
    assert!(held.db_i64("SELECT COUNT(*) FROM sqlite_master WHERE name = 'bk_items'") == 0);

    let target = tmp.path().join("target");
    let refused = |file: &Path, needle: &str| {
        let (code, _, stderr) = restore(file, &target, &[]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(needle), "{needle} in {stderr}");
        assert!(
            !target.join("flowgate.db").exists(),
            "a refused restore wrote a store"
        );
    };
    // Not SQLite at all.
    let text = tmp.path().join("notes.txt");
    std::fs::write(&text, "not a database, just some text long enough").unwrap();
    refused(
        &text,
        "is not a flowgate backup: it is not an SQLite database",
    );
    // SQLite, but not flowgate's.
    let other = tmp.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;")
        .unwrap();
    refused(
        &other,
        "is not a flowgate backup: it lacks flowgate's tables",
    );
    // A newer schema version.
    let newer = tmp.path().join("newer.db");
    std::fs::copy(&out, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    refused(
        &newer,
        "has schema version 99, newer than this flowgate supports",
    );
    // A missing file.
    refused(&tmp.path().join("missing.db"), "cannot read");

    // A folder that already holds a store: refused without --replace, replaced with it.
    let existing = Server::start();
    existing.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"bk_other"})),
    );
    let mut existing = existing;
    existing.stop();
    let (code, _, stderr) = restore(&out, &existing.dir, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("already holds a store; pass --replace to overwrite it"),
        "{stderr}"
    );
    let kept: i64 = rusqlite::Connection::open(existing.dir.join("flowgate.db"))
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'bk_other'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1, "the refused restore left the store as it was");
    let (code, _, stderr) = restore(&out, &existing.dir, &["--replace"]);
    assert_eq!(code, 0, "{stderr}");
    let t = existing.restart_builder().start();
    assert_eq!(items(&t), items(&s));
}

/// Why the online backup API (in one read transaction) and not `VACUUM INTO`: figures for the same
/// store, printed; a timing harness, so no assertion (run with `-- --ignored --nocapture`).
#[test]
#[ignore = "a timing harness (figures, no assertion): run by hand with -- --ignored --nocapture"]
fn backup_api_and_vacuum_into_cost() {
    let s = Server::start();
    collection(&s);
    bulk(&s, 20_000);
    let db = s.dir.join("flowgate.db");
    let size = std::fs::metadata(&db).unwrap().len();
    let tmp = tempfile::tempdir().unwrap();

    let out = tmp.path().join("api.db");
    let t = Instant::now();
    flowgate::store::backup::backup(&s.dir, &out, &mut |_, _| {}).unwrap();
    let api = t.elapsed();

    let vacuumed = tmp.path().join("vacuum.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    let t = Instant::now();
    c.execute("VACUUM INTO ?1", [vacuumed.to_str().unwrap()])
        .unwrap();
    let vacuum = t.elapsed();
    let t = Instant::now();
    integrity(&vacuumed);
    let check = t.elapsed();
    println!(
        "store {:.1} MiB: backup API in steps + integrity_check {api:?}; VACUUM INTO {vacuum:?} (+ integrity_check {check:?})",
        size as f64 / 1048576.0
    );
}
