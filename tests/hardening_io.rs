//! No crack under hostile input or abuse (issue 11): memory under a sign-in storm, a stderr that lost its
//! reader, CONNECT, endless and stalled bodies, the framework's own errors in the envelope, `nosniff`,
//! the fields limit of a collection, and the modes of the data folder and its files.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::*;

// ---- 1. memory under a storm of sign-ins ---------------------------------------------------------

/// A figure from `/proc/<pid>/status` in KiB (`VmRSS`, `VmHWM`).
fn proc_kib(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
}

/// The peak memory (VmHWM) a spawned server may reach under 32 parallel correct sign-ins at the spec's
/// argon2 cost (19 MiB a hash): at most 2 hashes run at a time, each in a buffer the hasher reuses.
/// Before, every verification allocated a fresh 19 MiB buffer that glibc kept: 64 parallel sign-ins for
/// 5 s took the process from 88 MiB to 6.6 GiB.
const STORM_PEAK_LIMIT_MIB: u64 = 200;

#[test]
fn a_storm_of_correct_sign_ins_keeps_memory_bounded() {
    // Spawned servers hash at the spec's cost (in-process test servers use the minimal one).
    let srv = Server::builder().spawned().start();
    let pid = srv.pid();
    let before = proc_kib(pid, "VmRSS");
    let until = Instant::now() + Duration::from_secs(2);
    let signed_in = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..32 {
            s.spawn(|| loop {
                let (st, v) = srv
                    .req("POST", "/api/auth:signIn")
                    .json(json!({"account": "admin", "password": ROOT_PASSWORD}));
                // Attempts count while they run (the attempt limit, issue 11.5), so past 5 at once for
                // one account some are 429 without hashing; the others hash, two at a time.
                assert!(st == 200 || st == 429, "{st} {v}");
                if st == 200 {
                    signed_in.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                if Instant::now() > until {
                    break;
                }
            });
        }
    });
    let n = signed_in.into_inner();
    let peak = proc_kib(pid, "VmHWM") / 1024;
    let after = proc_kib(pid, "VmRSS") / 1024;
    eprintln!("sign-in storm: {n} sign-ins, VmRSS {} MiB before, VmHWM {peak} MiB, VmRSS {after} MiB after", before / 1024);
    assert!(n >= 32, "only {n} sign-ins");
    assert!(
        peak < STORM_PEAK_LIMIT_MIB,
        "{n} sign-ins took the server from {} MiB to a peak of {peak} MiB (now {after} MiB); the limit is {STORM_PEAK_LIMIT_MIB} MiB",
        before / 1024
    );
}

// ---- 2. a stderr without a reader --------------------------------------------------------------

#[test]
fn a_stderr_without_reader_neither_breaks_requests_nor_the_stop() {
    let mut srv = Server::builder().spawned().stderr_closed().start();
    // Every request logs a line to the broken stderr (EPIPE); the answers are whole all the same.
    for _ in 0..3 {
        let (st, v) = srv.req("GET", "/api/health").send();
        assert_eq!((st, &v), (200, &json!({"data": {"status": "ok"}})));
    }
    let token = srv.root();
    let (st, v) = srv.get(&token, "/api/nothing:list");
    assert_eq!((st, code(&v)), (404, "RESOURCE_NOT_FOUND"));
    // SIGTERM still stops it (it logs "shutting down" on the way), with exit 0.
    assert_eq!(srv.stop(), 0);
}

// ---- 3. CONNECT, endless and stalled bodies -----------------------------------------------------

/// An in-process server whose request timeout is `t` (`--request-timeout`).
fn server_with_timeout(t: &str) -> Server {
    Server::builder().arg("--request-timeout").arg(t).start()
}

/// Sends `bytes` and reads the one answer (the connection's read timeout is 30 s, far above the
/// server's timeouts here, so a server that never answers fails the read).
fn exchange(srv: &Server, bytes: &[u8]) -> (u16, String, Value) {
    let mut c = srv.tcp();
    let (st, head, body) = tcp_exchange(&mut c, bytes);
    let v = serde_json::from_str(&body)
        .unwrap_or_else(|_| panic!("{st} without a JSON body: {head}{body:?}"));
    (st, head, v)
}

#[track_caller]
fn assert_envelope(got: &(u16, String, Value), status: u16, code_: &str, message_: &str) {
    let (st, head, v) = got;
    assert_eq!(
        (*st, v),
        (
            status,
            &json!({"errors": [{"message": message_, "code": code_}]})
        ),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("x-content-type-options: nosniff"),
        "{head}"
    );
}

#[test]
fn connect_is_answered_405() {
    let srv = Server::start();
    let got = exchange(
        &srv,
        b"CONNECT /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    );
    assert_envelope(
        &got,
        405,
        "METHOD_NOT_ALLOWED",
        "Method CONNECT is not allowed here",
    );
    let got = exchange(
        &srv,
        b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n",
    );
    assert_eq!(got.0, 405);
}

#[test]
fn a_stalled_body_is_answered_408() {
    let srv = server_with_timeout("1s");
    // 1 of 100 declared bytes, then nothing.
    let got = exchange(
        &srv,
        b"POST /api/auth:signIn HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    assert_envelope(
        &got,
        408,
        "REQUEST_TIMEOUT",
        "Request body was not received within 1s",
    );
    // The server goes on answering.
    assert_eq!(srv.req("GET", "/api/health").send().0, 200);
}

#[test]
fn an_endless_chunk_is_answered_408_or_413() {
    let srv = Server::builder()
        .arg("--request-timeout")
        .arg("1s")
        .arg("--body-limit")
        .arg("1000")
        .start();
    // A chunk of 2^64-1 bytes announced, three sent, then nothing.
    let got = exchange(
        &srv,
        b"POST /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc",
    );
    assert_envelope(
        &got,
        408,
        "REQUEST_TIMEOUT",
        "Request body was not received within 1s",
    );
    // The same chunk with its bytes flowing: refused once they pass the limit, not after 2^64 of them.
    let mut req = b"POST /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n".to_vec();
    req.extend(std::iter::repeat_n(b'a', 2000));
    let got = exchange(&srv, &req);
    assert_envelope(
        &got,
        413,
        "PAYLOAD_TOO_LARGE",
        "Request body exceeds the limit of 1000 bytes",
    );
}

// ---- 14. the framework's own answers carry the envelope; nosniff everywhere ------------------------

#[test]
fn a_malformed_request_line_is_answered_400_in_the_envelope() {
    let srv = Server::start();
    let got = exchange(&srv, b"NOT A REQUEST\r\n\r\n");
    assert_envelope(&got, 400, "BAD_REQUEST", "Malformed HTTP request");
    let got = exchange(
        &srv,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    );
    assert_envelope(&got, 400, "BAD_REQUEST", "Malformed HTTP request");
}

#[test]
fn too_many_headers_are_answered_431_in_the_envelope() {
    let srv = Server::start();
    let mut req = String::from("GET /api/health HTTP/1.1\r\nHost: x\r\n");
    for i in 0..100 {
        req.push_str(&format!("X-H{i}: {i}\r\n"));
    }
    req.push_str("\r\n");
    let got = exchange(&srv, req.as_bytes());
    assert_envelope(
        &got,
        431,
        "REQUEST_HEADERS_TOO_LARGE",
        "Request headers exceed the limit of 128 KiB and 96 headers",
    );
}

#[test]
fn a_head_not_received_in_time_is_answered_408_in_the_envelope() {
    let srv = server_with_timeout("1s");
    // Half a request head, then nothing.
    let got = exchange(&srv, b"GET /api/health HTTP/1.1\r\nHost: x\r\n");
    assert_envelope(
        &got,
        408,
        "REQUEST_TIMEOUT",
        "Request headers were not received within 1s",
    );
}

#[test]
fn every_answer_says_nosniff() {
    let srv = Server::start();
    let token = srv.root();
    for (method, path, auth) in [
        ("GET", "/api/health", false),
        ("GET", "/api/samples:list", false),
        ("GET", "/api/nothing:list", true),
        ("GET", "/nowhere", false),
        ("GET", "/admin/", false),
        ("OPTIONS", "/api/health", false),
    ] {
        let mut r = srv.req(method, path);
        if auth {
            r = r.bearer(&token);
        }
        let res = r.raw(b"");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{method} {path} → {}",
            res.status
        );
    }
}

// ---- 4. fields per collection ------------------------------------------------------------------

fn scalar_fields(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"name": format!("f{i}"), "type": "string"}))
        .collect()
}

#[test]
fn a_collection_with_too_many_fields_is_refused_before_any_work() {
    let srv = Server::start();
    let token = srv.root();
    let collections_before = srv.rows("collections");
    let fields_before = srv.rows("fields");
    let got = srv.post(
        &token,
        "/api/collections:create",
        json!({"name": "wide", "fields": scalar_fields(10_000)}),
    );
    assert_err(
        got,
        400,
        "INVALID_VALUE",
        "Collection \"wide\" would have 10000 fields; a collection has at most 500 fields",
    );
    assert!(!srv.table_exists("wide"));
    assert_eq!(
        (srv.rows("collections"), srv.rows("fields")),
        (collections_before, fields_before)
    );

    // The limit itself is allowed, and a field past it is refused, on either route.
    let (st, v) = srv.post(
        &token,
        "/api/collections:create",
        json!({"name": "wide", "fields": scalar_fields(500)}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        srv.columns("wide")
            .iter()
            .filter(|c| c.starts_with('f'))
            .count(),
        500
    );
    let past = srv.post(
        &token,
        "/api/collections/wide/fields:create",
        json!({"name": "one_more", "type": "string"}),
    );
    assert_err(
        past,
        400,
        "INVALID_VALUE",
        "Collection \"wide\" would have 501 fields; a collection has at most 500 fields",
    );
    let past = srv.post(
        &token,
        "/api/fields:create",
        json!({"collectionName": "wide", "name": "one_more", "type": "integer"}),
    );
    assert_eq!(code(&past.1), "INVALID_VALUE");
    // An association whose FK column would land on the full collection is refused too.
    srv.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "notes"})),
    );
    let fk = srv.post(
        &token,
        "/api/collections/notes/fields:create",
        json!({"name": "wides", "type": "hasMany", "target": "wide"}),
    );
    assert_err(
        fk,
        400,
        "INVALID_VALUE",
        "Collection \"wide\" would have 501 fields; a collection has at most 500 fields",
    );
    assert!(!srv.columns("wide").iter().any(|c| c == "noteId"));
    // The other writes went on all along; the collection is usable.
    let (st, v) = srv.post(&token, "/api/wide:create", json!({"f0": "a", "f499": "z"}));
    assert_eq!((st, &v["data"]["f499"]), (200, &json!("z")), "{v}");
}

// ---- 13. the modes of the data folder and its files ----------------------------------------------

fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_data_folder_is_the_owners_alone_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A lock file an older start left open to all.
    let lock = dir.join("flowgate.lock");
    std::fs::File::create(&lock)
        .unwrap()
        .write_all(b"")
        .unwrap();
    std::fs::set_permissions(&lock, std::fs::Permissions::from_mode(0o666)).unwrap();

    let srv = Server::builder().spawned().umask(0o000).dir(&dir).start();
    // A write, so the WAL holds something.
    srv.root();
    assert_eq!(mode(&dir), 0o700, "the data folder");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(mode(&p), 0o600, "{name} is {:o}", mode(&p));
        names.push(name);
    }
    names.sort();
    assert_eq!(
        names,
        [
            "flowgate.db",
            "flowgate.db-shm",
            "flowgate.db-wal",
            "flowgate.lock"
        ]
    );
}

/// What SQLite says of a table: columns (name, type, not null, default, pk), foreign keys and indexes,
/// with the table's own name replaced by `T`.
fn table_shape(srv: &Server, table: &str) -> Vec<String> {
    let db = srv.open_db();
    let mut out = Vec::new();
    for (pragma, cols) in [
        ("table_info", 6),
        ("foreign_key_list", 8),
        ("index_list", 5),
    ] {
        let mut st = db
            .prepare(&format!("PRAGMA {pragma}(\"{table}\")"))
            .unwrap();
        let rows = st
            .query_map([], |r| {
                let vals: Vec<String> = (0..cols)
                    .map(|i| match r.get_ref(i) {
                        Ok(rusqlite::types::ValueRef::Text(t)) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        Ok(v) => format!("{v:?}"),
                        Err(e) => format!("{e}"),
                    })
                    .collect();
                Ok(format!("{pragma}: {}", vals.join(" | ")))
            })
            .unwrap();
        let mut rows: Vec<String> = rows.map(|r| r.unwrap().replace(table, "T")).collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

#[test]
fn a_collection_created_with_its_fields_is_the_one_built_field_by_field() {
    let srv = Server::start();
    srv.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "tags"})),
    );
    srv.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "notes"})),
    );
    let fields = |me: &str| {
        json!([
            {"name": "title", "type": "string", "allowNull": false, "defaultValue": "x"},
            {"name": "code", "type": "string", "unique": true},
            {"name": "parent", "type": "belongsTo", "target": me, "foreignKey": "parentId"},
            {"name": "children", "type": "hasMany", "target": me, "foreignKey": "parentId"},
            {"name": "tags", "type": "belongsToMany", "target": "tags"},
            {"name": "notes", "type": "hasMany", "target": "notes"},
            {"name": "score", "type": "integer"},
        ])
    };
    // At once…
    let at_once = srv.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "once", "fields": fields("once")})),
    );
    // …and one by one.
    srv.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "stepwise"})),
    );
    for f in fields("stepwise").as_array().unwrap() {
        srv.ok(
            "POST",
            "/api/collections/stepwise/fields:create",
            Some(f.clone()),
        );
    }
    let stepwise = srv.ok("GET", "/api/collections:get/stepwise", None);
    let strip = |v: &Value, me: &str| {
        let mut v = v.clone();
        for k in ["createdAt", "updatedAt"] {
            v.as_object_mut().unwrap().remove(k);
        }
        v.to_string().replace(me, "T")
    };
    assert_eq!(strip(&at_once, "once"), strip(&stepwise, "stepwise"));
    assert_eq!(table_shape(&srv, "once"), table_shape(&srv, "stepwise"));
    assert!(
        srv.columns("notes").iter().any(|c| c == "onceId")
            && srv.columns("notes").iter().any(|c| c == "stepwiseId")
    );
    // The table works: a record with its parent, a unique code refused twice.
    let (st, v) = srv.post(
        &srv.root(),
        "/api/once:create",
        json!({"title": "a", "code": "c1"}),
    );
    assert_eq!(st, 200, "{v}");
    let (st, v) = srv.post(
        &srv.root(),
        "/api/once:create",
        json!({"title": "b", "code": "c2", "parentId": v["data"]["id"]}),
    );
    assert_eq!(st, 200, "{v}");
    let dup = srv.post(
        &srv.root(),
        "/api/once:create",
        json!({"title": "c", "code": "c1"}),
    );
    assert_eq!(code(&dup.1), "CONSTRAINT_VIOLATION");
}

#[test]
fn a_websocket_upgrade_is_answered_as_plain_http() {
    // actix-http streams such a request's payload until the connection ends; flowgate answers at once.
    let srv = Server::start();
    let got = exchange(
        &srv,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    );
    assert_eq!(
        (got.0, &got.2),
        (200, &json!({"data": {"status": "ok"}})),
        "{}",
        got.1
    );
    // With a declared body, that body is the request's.
    let body = json!({"account": "admin", "password": ROOT_PASSWORD}).to_string();
    let req = format!(
        "POST /api/auth:signIn HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let got = exchange(&srv, req.as_bytes());
    assert_eq!(got.0, 200, "{}", got.2);
    assert!(got.2["data"]["token"].is_string());
}
