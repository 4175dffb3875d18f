//! operations.md: the CLI, the data folder and its lock, SQLite settings, the schema version, the request
//! log, graceful shutdown; and auth.md case 2 (a short FLOWGATE_ROOT_PASSWORD).
mod common;
use common::*;
use std::io::Write;
use std::time::Duration;

fn data_arg(s: &Server) -> String {
    s.dir.to_str().expect("utf-8 path").to_string()
}

/// The `store opened` debug line's `writer=…`/`reader=…` settings, from a text or JSON log.
fn store_settings(log: &str) -> (String, String) {
    let Some(line) = log.lines().find(|l| l.contains("store opened")) else {
        panic!("no `store opened` line in the log:\n{log}");
    };
    if let Ok(v) = serde_json::from_str::<Value>(line) {
        let f = &v["fields"];
        return (
            f["writer"].as_str().unwrap_or("").into(),
            f["reader"].as_str().unwrap_or("").into(),
        );
    }
    let w = line
        .split(" writer=")
        .nth(1)
        .and_then(|r| r.split(" reader=").next())
        .unwrap_or("");
    let r = line.split(" reader=").nth(1).unwrap_or("");
    (w.into(), r.into())
}

/// operations.md case 1 and usage errors (exit 2).
#[test]
fn version_and_usage_errors() {
    let (c, out, _) = run_cli(&["--version"], &[]);
    assert_eq!(
        (c, out.as_str()),
        (
            0,
            format!("flowgate {}\n", env!("CARGO_PKG_VERSION")).as_str()
        )
    );
    for args in [
        &["frobnicate"][..],
        &["serve", "--durability", "bogus"],
        &["serve", "--token-ttl", "5x"],
        &["serve", "--worker", "maybe"],
        &["user", "add", "--password", "pass-1234"],
    ] {
        let (c, _, err) = run_cli(args, &[]);
        assert_eq!(c, 2, "{args:?}: {err}");
    }
}

/// operations.md case 2 and §2: the banner, the lock, a crash leaving the lock file, a busy port.
#[test]
fn banner_lock_and_restart_after_a_crash() {
    let mut s = Server::builder().spawned().start();
    let first = s.stdout.lock().unwrap()[0].clone();
    assert_eq!(
        first,
        format!(
            "flowgate {} listening on http://127.0.0.1:{} (data: {})",
            env!("CARGO_PKG_VERSION"),
            s.port,
            s.dir.display()
        )
    );
    assert_eq!(
        s.req("GET", "/api/health").send(),
        (200, json!({"data": {"status": "ok"}}))
    );
    let token = s.root();

    let (c, err) = Server::builder()
        .spawned()
        .dir(&s.dir)
        .try_start()
        .err()
        .expect("a second serve on the folder must fail");
    assert_eq!(c, 1, "{err}");
    assert!(
        err.contains(&format!(
            "data folder {} is in use by another flowgate",
            s.dir.display()
        )),
        "{err}"
    );
    assert_eq!(
        s.req("GET", "/api/health").send().0,
        200,
        "the first server is unaffected"
    );

    let addr = s.base.trim_start_matches("http://").to_string();
    let (c, err) = Server::builder()
        .spawned()
        .listen(Some(&addr))
        .try_start()
        .err()
        .expect("a busy port must fail");
    assert_eq!(c, 1, "{err}");
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");

    // SIGKILL leaves flowgate.lock behind; the next start takes the folder and the address at once.
    s.kill();
    assert!(s.dir.join("flowgate.lock").exists());
    let s2 = s.restart_builder().listen(Some(&addr)).start();
    assert_eq!(s2.base, s.base);
    assert_eq!(
        s2.get(&token, "/api/auth:check").0,
        200,
        "the store survived the crash"
    );
}

/// auth.md case 2: a short FLOWGATE_ROOT_PASSWORD aborts a first start before anything is created.
#[test]
fn short_root_password_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (c, err) = Server::builder()
        .spawned()
        .dir(&dir)
        .env("FLOWGATE_ROOT_PASSWORD", "short")
        .try_start()
        .err()
        .expect("must fail");
    assert_eq!(c, 1, "{err}");
    assert!(
        err.contains("FLOWGATE_ROOT_PASSWORD must be at least 8 characters"),
        "{err}"
    );
    assert!(
        !dir.exists(),
        "nothing created: {:?}",
        std::fs::read_dir(tmp.path()).unwrap().collect::<Vec<_>>()
    );
}

/// operations.md §2: a store newer than the binary is refused, and left as it was.
#[test]
fn newer_schema_version_is_refused() {
    let mut s = Server::start();
    assert_eq!(
        s.db_i64("PRAGMA user_version"),
        flowgate::store::SCHEMA_VERSION
    );
    assert_eq!(s.stop(), 0);
    {
        let c = rusqlite::Connection::open(s.dir.join("flowgate.db")).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let (c, err) = s
        .restart_builder()
        .spawned()
        .try_start()
        .err()
        .expect("a newer store must be refused");
    assert_eq!(c, 1, "{err}");
    assert!(
        err.contains(&format!(
            "has schema version 99, newer than this flowgate supports ({})",
            flowgate::store::SCHEMA_VERSION
        )),
        "{err}"
    );
    let (c, _, err) = run_cli(
        &[
            "user",
            "add",
            "--username",
            "x",
            "--password",
            "pass-1234",
            "--data",
            &data_arg(&s),
        ],
        &[],
    );
    assert_eq!(c, 1, "{err}");
    assert!(err.contains("newer than this flowgate supports"), "{err}");
    let db = rusqlite::Connection::open_with_flags(
        s.dir.join("flowgate.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    assert_eq!(
        db.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        99
    );
    assert_eq!(
        db.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
}

/// auth.md §3: dead token rows are purged 7 days after expiry or revocation (at start); younger ones
/// still answer with their precise code.
#[test]
fn dead_tokens_are_purged_after_seven_days() {
    let mut s = Server::start();
    let root = s.root();
    assert_eq!(s.stop(), 0);
    let now = chrono::Utc::now().timestamp_millis();
    let day = 86_400_000i64;
    {
        let db = rusqlite::Connection::open(s.dir.join("flowgate.db")).unwrap();
        let insert = |hash: u8, expires: i64, revoked_ms: Option<i64>| {
            db.execute(
                "INSERT INTO tokens (kind, hash, userId, expires_ms, revoked, revoked_ms, createdAt) VALUES ('session', ?1, 1, ?2, ?3, ?4, '2025-01-01T00:00:00.000Z')",
                rusqlite::params![vec![hash; 32], expires, revoked_ms.map(|_| "signout"), revoked_ms],
            )
            .unwrap();
        };
        insert(1, now - 8 * day, None);
        insert(2, now - day, None);
        insert(3, now + day, Some(now - 8 * day));
        insert(4, now + day, Some(now - day));
    }
    let s2 = s.restart_builder().start();
    let db = s2.open_db();
    let left: Vec<u8> = db
        .prepare("SELECT hash FROM tokens WHERE createdAt = '2025-01-01T00:00:00.000Z' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|h| h.unwrap()[0])
        .collect();
    assert_eq!(left, [2, 4], "rows dead for more than 7 days are gone");
    assert_eq!(s2.get(&root, "/api/auth:check").0, 200, "live tokens stay");
}

/// operations.md case 6: `user add` and `user passwd`, also while the server runs.
#[test]
fn user_add_and_passwd() {
    let s = Server::start();
    let data = data_arg(&s);
    let d = data.as_str();
    let (c, out, err) = run_cli(
        &[
            "user",
            "add",
            "--username",
            "u1",
            "--password",
            "pass-1234",
            "--data",
            d,
        ],
        &[],
    );
    assert_eq!((c, out.as_str()), (0, "created user 2\n"), "{err}");
    let t = s.sign_in("u1", "pass-1234");
    let (_, v) = s.get(&s.root(), "/api/users:get/2?appends=roles");
    assert_eq!(
        v["data"]["roles"],
        json!([{"name": "member", "title": "Member"}]),
        "default role member"
    );

    // Generated password; --role; --password-stdin; FLOWGATE_DATA.
    let (c, out, err) = run_cli(&["user", "add", "--email", "g@x.test", "--data", d], &[]);
    assert_eq!(c, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "created user 3");
    let generated = lines[1]
        .strip_prefix("password: ")
        .expect("a generated password line");
    assert!(
        generated.len() == 20 && generated.chars().all(|c| c.is_ascii_alphanumeric()),
        "{generated}"
    );
    s.sign_in("g@x.test", generated);
    let (c, _, err) = run_cli(
        &[
            "user",
            "add",
            "--username",
            "adm",
            "--password",
            "pass-1234",
            "--role",
            "admin",
            "--role",
            "member",
            "--data",
            d,
        ],
        &[],
    );
    assert_eq!(c, 0, "{err}");
    let (_, v) = s.get(&s.root(), "/api/users:get/4?appends=roles");
    assert_eq!(
        v["data"]["roles"],
        json!([{"name": "admin", "title": "Admin"}, {"name": "member", "title": "Member"}])
    );
    let (c, out, err) = run_cli_stdin(
        &["user", "add", "--username", "piped", "--password-stdin"],
        &[("FLOWGATE_DATA", d)],
        "stdin-pass-1234\n",
    );
    assert_eq!((c, out.as_str()), (0, "created user 5\n"), "{err}");
    s.sign_in("piped", "stdin-pass-1234");

    // Errors: exit 1 and one stderr line.
    for (args, msg) in [
        (
            &[
                "user",
                "add",
                "--username",
                "U1",
                "--password",
                "pass-1234",
                "--data",
                d,
            ][..],
            "username must be unique",
        ),
        (
            &[
                "user",
                "add",
                "--username",
                "u9",
                "--password",
                "short",
                "--data",
                d,
            ],
            "Password must be at least 8 characters",
        ),
        (
            &[
                "user",
                "add",
                "--username",
                "u9",
                "--password",
                "pass-1234",
                "--role",
                "nope",
                "--data",
                d,
            ],
            "Role \"nope\" does not exist",
        ),
        (
            &[
                "user",
                "passwd",
                "nobody",
                "--password",
                "pass-1234",
                "--data",
                d,
            ],
            "not found",
        ),
        (
            &[
                "user",
                "passwd",
                "u1",
                "--password",
                "pass-1234",
                "--data",
                "/nonexistent/flowgate-data",
            ],
            "no flowgate store",
        ),
    ] {
        let (c, _, err) = run_cli(args, &[]);
        assert_eq!(c, 1, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: {err}");
    }
    assert!(!std::path::Path::new("/nonexistent/flowgate-data").exists());

    // passwd while the server runs: tokens are read from the store on every request.
    let (c, _, err) = run_cli(
        &[
            "user",
            "passwd",
            "u1",
            "--password",
            "pass-5678",
            "--data",
            d,
        ],
        &[],
    );
    assert_eq!(c, 0, "{err}");
    assert_err(
        s.get(&t, "/api/auth:check"),
        401,
        "INVALID_TOKEN",
        "User password changed, please signin again.",
    );
    let (st, v) = s
        .req("POST", "/api/auth:signIn")
        .json(json!({"account": "u1", "password": "pass-1234"}));
    assert_eq!((st, code(&v)), (401, "INVALID_CREDENTIALS"));
    s.sign_in("u1", "pass-5678");
    let (c, out, err) = run_cli(&["user", "passwd", "G@X.TEST", "--data", d], &[]);
    assert_eq!(c, 0, "{err}");
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a generated password");
    assert_eq!(generated.len(), 20);
    s.sign_in("g@x.test", generated);
}

/// operations.md case 7.
#[test]
fn healthcheck() {
    let s = Server::start();
    let (c, out, err) = run_cli(&["healthcheck", "--url", &s.base], &[]);
    assert_eq!((c, out.trim()), (0, "ok"), "{err}");
    let addr = s.base.trim_start_matches("http://");
    assert_eq!(
        run_cli(&["healthcheck"], &[("FLOWGATE_LISTEN", addr)]).0,
        0,
        "the default URL comes from FLOWGATE_LISTEN"
    );
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (c, _, err) = run_cli(
        &[
            "healthcheck",
            "--url",
            &format!("http://127.0.0.1:{closed}"),
        ],
        &[],
    );
    assert_eq!(c, 1, "{err}");
    assert_eq!(
        run_cli(
            &["healthcheck", "--url", &format!("{}/nothing", s.base)],
            &[]
        )
        .0,
        1,
        "a 404 is not ok"
    );
}

/// operations.md case 8: FLOWGATE_LISTEN is used alone; the flag beats it.
#[test]
fn listen_from_the_environment() {
    let s = Server::builder()
        .spawned()
        .listen(None)
        .env("FLOWGATE_LISTEN", "127.0.0.1:0")
        .start();
    assert!(
        s.base.starts_with("http://127.0.0.1:") && s.port != 0 && s.port != 13000,
        "{}",
        s.base
    );
    assert_eq!(s.req("GET", "/api/health").send().0, 200);
    // An unusable address in the variable does not matter when --listen is given.
    let s2 = Server::builder()
        .spawned()
        .env("FLOWGATE_LISTEN", "256.0.0.1:1")
        .start();
    assert_eq!(s2.req("GET", "/api/health").send().0, 200);
}

/// operations.md case 9 and §3: the folder's files, WAL, the pragmas of writer and readers, and
/// `--durability full`; the JSON log format.
#[test]
fn data_folder_and_sqlite_settings() {
    let s = Server::builder()
        .spawned()
        .arg("--durability")
        .arg("full")
        .arg("--log-format")
        .arg("json")
        .env("RUST_LOG", "debug")
        .start();
    s.root();
    for f in [
        "flowgate.db",
        "flowgate.db-wal",
        "flowgate.db-shm",
        "flowgate.lock",
    ] {
        assert!(s.dir.join(f).exists(), "{f} while running");
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&s.dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{mode:o}");
    let db = s.open_db();
    assert_eq!(
        db.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "wal"
    );
    assert_eq!(
        db.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        flowgate::store::SCHEMA_VERSION
    );

    let log = s.stderr_text();
    let (writer, reader) = store_settings(&log);
    for want in [
        "journal_mode=wal",
        "synchronous=2",
        "foreign_keys=1",
        "busy_timeout=10000",
    ] {
        assert!(writer.contains(want), "writer: {writer}");
        assert!(reader.contains(want), "reader: {reader}");
    }
    assert!(
        writer.contains("query_only=0") && reader.contains("query_only=1"),
        "{writer} / {reader}"
    );
    // --log-format json: every line is a JSON object; the request line has its fields.
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            serde_json::from_str::<Value>(line).is_ok_and(|v| v.is_object()),
            "not JSON: {line}"
        );
    }
    let request = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["fields"]["message"] == "request" && v["fields"]["path"] == "/api/auth:signIn")
        .expect("a request line for the sign-in");
    assert_eq!(request["fields"]["method"], "POST");
    assert_eq!(request["fields"]["status"], 200);
}

/// operations.md case 11 and §7, and the default `synchronous=1`.
#[test]
fn request_log_redacts_tokens() {
    let s = Server::builder().spawned().env("RUST_LOG", "debug").start();
    let root = s.root();
    let (writer, _) = store_settings(&s.stderr_text());
    assert!(
        writer.contains("synchronous=1") && writer.contains("foreign_keys=1"),
        "{writer}"
    );

    for q in [
        format!("token={root}&x=1"),
        format!("%74oken={root}"),
        format!("token[]={root}"),
    ] {
        assert_eq!(
            s.req("GET", &format!("/api/auth:check?{q}")).send().0,
            200,
            "{q}"
        );
    }
    s.req("GET", "/api/nothing:list")
        .header("X-Request-Id", "rid-404")
        .bearer(&root)
        .send();
    let log = s
        .wait_for(Duration::from_secs(5), || {
            let l = s.stderr_text();
            l.contains("rid-404").then_some(l)
        })
        .expect("request lines in the log");
    let line = log
        .lines()
        .find(|l| l.contains("path=/api/auth:check?token=[redacted]&x=1"))
        .expect("the redacted request line");
    for part in [
        "INFO",
        "method=GET",
        "status=200",
        "ms=",
        "request_id=",
        "user=\"1\"",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
    assert!(
        log.contains("path=/api/auth:check?%74oken=[redacted]"),
        "{log}"
    );
    assert!(
        log.contains("path=/api/auth:check?token[]=[redacted]"),
        "{log}"
    );
    let line = log.lines().find(|l| l.contains("rid-404")).unwrap();
    assert!(
        line.contains("status=404") && line.contains("path=/api/nothing:list"),
        "{line}"
    );
    assert!(
        !log.contains(root.as_str()) && !log.contains(ROOT_PASSWORD),
        "no token or password in the log"
    );
    s.assert_log_clean();
}

/// operations.md §8: SIGTERM lets an in-flight request finish (health answers 503 then) and exits 0;
/// a second signal exits at once with 1.
#[test]
fn graceful_shutdown() {
    // A request whose body arrives after the signal is in flight across it. The connection first carries
    // a whole request, so a worker holds it; the pause lets the worker read the second head.
    let start_in_flight = |s: &Server| {
        let mut tcp = s.tcp();
        let (st, _, _) = tcp_exchange(&mut tcp, b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(st, 200);
        tcp.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n")
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        tcp
    };
    // The first signal was handled once the listener is closed (the shutdown began before it closes).
    let stopped_listening = |s: &Server| {
        let closed = s.wait_for(Duration::from_secs(10), || {
            std::net::TcpStream::connect(("127.0.0.1", s.port))
                .is_err()
                .then_some(())
        });
        assert!(
            closed.is_some(),
            "still accepting connections after SIGTERM"
        );
    };
    let mut s = Server::builder().spawned().start();
    let mut tcp = start_in_flight(&s);
    s.signal("TERM");
    stopped_listening(&s);
    tcp.write_all(b"{}").unwrap();
    let (st, _, body) = read_response(&mut tcp);
    assert_err(
        (st, serde_json::from_str(&body).unwrap()),
        503,
        "SERVICE_UNAVAILABLE",
        "Service is shutting down",
    );
    drop(tcp);
    assert_eq!(s.wait(), 0);
    assert!(
        !s.dir.join("flowgate.db-wal").exists()
            || std::fs::metadata(s.dir.join("flowgate.db-wal"))
                .unwrap()
                .len()
                == 0,
        "WAL checkpointed"
    );

    let mut s = Server::builder().spawned().start();
    let _tcp = start_in_flight(&s);
    s.signal("TERM");
    stopped_listening(&s);
    s.signal("TERM");
    assert_eq!(s.wait(), 1, "a second signal exits at once with 1");
}
