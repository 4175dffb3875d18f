//! Dry runs (issue 16 point 7): `?dryRun=true` on the custom action triggers and on `workflows:execute`
//! runs the workflows on a throwaway copy of the store and answers as a normal run would, with every
//! execution's jobs and `dryRun: true`; afterwards the store is what it was, table by table and byte for
//! byte. Delays are skipped, request nodes answered from the last recorded response or a stub.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

/// Every table's rows, by table name, each row as text, sorted: the store's logical state.
fn dump(s: &Server) -> Vec<(String, Vec<String>)> {
    let db = s.db();
    let mut st = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("tables");
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))
        .expect("tables")
        .map(|t| t.expect("table name"))
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let mut st = db
                .prepare(&format!("SELECT * FROM \"{t}\""))
                .expect("select");
            let n = st.column_count();
            let mut rows: Vec<String> = st
                .query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .expect("rows")
                .map(|r| r.expect("row"))
                .collect();
            rows.sort();
            (t, rows)
        })
        .collect()
}

/// The store file's bytes once the WAL is folded into it (`wal_checkpoint(TRUNCATE)`, again while the
/// server's own checkpointer or a reader keeps it busy).
fn file_bytes(s: &Server) -> Vec<u8> {
    let db = s.db();
    let done = s.wait_for(Duration::from_secs(10), || {
        let (busy, log, _): (i64, i64, i64) = db
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("checkpoint");
        (busy == 0 && log <= 0).then_some(())
    });
    assert!(done.is_some(), "the WAL could not be checkpointed");
    std::fs::read(s.dir.join("flowgate.db")).expect("read flowgate.db")
}

/// What a dry run must leave as it found: every table's rows and the file's bytes.
fn state(s: &Server) -> (Vec<(String, Vec<String>)>, Vec<u8>) {
    (dump(s), file_bytes(s))
}

/// A dry run's copies left in the data folder (none once it answered).
fn copies_left(s: &Server) -> Vec<String> {
    std::fs::read_dir(&s.dir)
        .expect("data folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("dry-run-"))
        .collect()
}

#[track_caller]
fn assert_unchanged(s: &Server, before: &(Vec<(String, Vec<String>)>, Vec<u8>)) {
    let after = state(s);
    assert_eq!(after.0, before.0, "a table changed");
    assert!(after.1 == before.1, "the store file's bytes changed");
    assert_eq!(copies_left(s), Vec::<String>::new());
}

/// `notes {text, n}` with record 1 (`{text: "first", n: 0}`).
fn notes(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"notes","fields":[{"name":"text","type":"string"},{"name":"n","type":"integer"}]})),
    );
    s.ok(
        "POST",
        "/api/notes:create",
        Some(json!({"text":"first","n":0})),
    );
}

/// `create` a note with the context's `t`, then `update` note 1's `n` to 5.
fn writes() -> [Value; 2] {
    [
        n(
            "create",
            "c",
            json!({"collection":"notes","params":{"values":{"text":"{{$context.data.t}}"}}}),
        ),
        n(
            "update",
            "u",
            json!({"collection":"notes","params":{"filter":{"id":1},"values":{"n":5}}}),
        ),
    ]
}

/// An async global workflow `key` whose request node `call` GETs the upstream's `/ok`, run once for
/// real so its response is recorded; returns its id.
fn recorded(s: &Server, up: &Upstream, key: &str) -> i64 {
    let wid = global(s, key, false);
    chain(
        s,
        wid,
        &[request(
            "call",
            json!({"url": up.url("/ok"), "method": "GET", "onlyData": true}),
        )],
    );
    let id = enqueue(s, key, json!({}));
    let real = wait_final(s, id, Duration::from_secs(10));
    assert_eq!(real["status"], json!(1), "{real}");
    assert_eq!(up.count("/ok"), 1);
    wid
}

/// `notes` and a sync global workflow `s` of [`writes`], root signed in; returns the workflow's id.
fn sync_writes(s: &Server) -> i64 {
    notes(s);
    let sw = global(s, "s", true);
    chain(s, sw, &writes());
    s.root();
    sw
}

/// `(node key, status)` of each job of an execution (or of an error entry carrying `jobs`).
#[track_caller]
fn assert_steps(e: &Value, expected: &[(&str, i64)]) {
    let got: Vec<(String, i64)> = jobs(e).into_iter().map(|(k, st, _)| (k, st)).collect();
    let want: Vec<(String, i64)> = expected
        .iter()
        .map(|(k, st)| (k.to_string(), *st))
        .collect();
    assert_eq!(got, want, "{e}");
}

fn dry_trigger(s: &Server, keys: &str, extra: &str, body: Value) -> (u16, Value) {
    s.post(
        &s.root(),
        &format!("/api/workflows:trigger?triggerWorkflows={keys}&dryRun=true{extra}"),
        body,
    )
}

fn code(v: &Value) -> &str {
    v["errors"][0]["code"].as_str().unwrap_or("")
}

#[test]
fn sync_and_async_dry_runs_answer_every_job_and_leave_the_store_as_it_was() {
    let s = Server::start();
    notes(&s);
    let sw = global(&s, "s", true);
    chain(&s, sw, &writes());
    let aw = global(&s, "a", false);
    chain(&s, aw, &writes());
    s.root();
    let before = state(&s);

    let (st, v) = dry_trigger(&s, "s,a", "", json!({"t":"dry"}));
    assert_eq!(st, 200, "{v}");
    let data = &v["data"];
    assert_eq!(data["dryRun"], json!(true), "{v}");
    let list = data["executions"].as_array().expect("executions");
    assert_eq!(list.len(), 2, "{v}");
    for (e, key, sync) in [(&list[0], "s", true), (&list[1], "a", false)] {
        assert_eq!(
            (&e["workflowKey"], &e["sync"], &e["status"]),
            (&json!(key), &json!(sync), &json!(1)),
            "{v}"
        );
        assert_steps(e, &[("c", 1), ("u", 1)]);
        assert_eq!(result_of(e, "c")["text"], json!("dry"), "{v}");
        assert_eq!(result_of(e, "u"), json!(1), "{v}");
    }
    assert_unchanged(&s, &before);

    // The same request without dryRun does write: the comparison sees it.
    let (st, v) = trigger(&s, "s", json!({"t":"real"}));
    assert_eq!(st, 200, "{v}");
    assert!(v["data"].get("dryRun").is_none(), "{v}");
    assert_ne!(dump(&s), before.0);
    let (_, v) = s.get(&s.root(), "/api/notes:list?sort=id");
    assert_eq!(v["data"][1]["text"], json!("real"), "{v}");
}

#[test]
fn a_dry_workflows_execute_answers_its_execution_with_jobs() {
    let s = Server::start();
    let sw = sync_writes(&s);
    let before = state(&s);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:execute?filterByTk={sw}&dryRun=1"),
        json!({"userId": 1, "data": {"t": "manual"}}),
    );
    assert_eq!(st, 200, "{v}");
    let e = &v["data"]["execution"];
    assert_eq!(
        (&v["data"]["dryRun"], &e["status"]),
        (&json!(true), &json!(1)),
        "{v}"
    );
    assert_eq!(job_keys(e), ["c", "u"], "{v}");
    assert_eq!(result_of(e, "c")["text"], json!("manual"), "{v}");
    assert_unchanged(&s, &before);
}

#[test]
fn request_nodes_are_answered_from_the_last_recorded_response_or_a_stub() {
    let s = Server::start();
    let up = Upstream::start();
    recorded(&s, &up, "r");
    let before = state(&s);

    let (st, v) = dry_trigger(&s, "r", "", json!({}));
    assert_eq!(st, 200, "{v}");
    let e = &v["data"]["executions"][0];
    assert_eq!(e["status"], json!(1), "{v}");
    assert_eq!(result_of(e, "call"), json!({"ok": true}), "{v}");

    let stubs = q(&json!({"call": {"stub": 1}}).to_string());
    let (st, v) = dry_trigger(&s, "r", &format!("&dryRunStubs={stubs}"), json!({}));
    assert_eq!(st, 200, "{v}");
    let e = &v["data"]["executions"][0];
    assert_eq!(
        (&e["status"], result_of(e, "call")),
        (&json!(1), json!({"stub": 1})),
        "{v}"
    );

    // A request node with neither fails its job and says how to stub it.
    let never = global(&s, "never", false);
    chain(
        &s,
        never,
        &[request("fresh", json!({"url": up.url("/ok")}))],
    );
    let before_never = state(&s);
    let (st, v) = dry_trigger(&s, "never", "", json!({}));
    assert_eq!(st, 200, "{v}");
    let e = &v["data"]["executions"][0];
    assert_eq!(jobs(e)[0].1, -1, "{v}");
    assert_eq!(
        result_of(e, "fresh")["message"],
        json!(
            "dry run: no recorded response for request node fresh; pass dryRunStubs={\"fresh\": …}"
        ),
        "{v}"
    );
    // Each dry run answered after its request nodes ran: none of them reached the upstream.
    assert_eq!(up.count("/ok"), 1);
    assert_unchanged(&s, &before_never);
    drop(before);
}

#[test]
fn a_delay_is_skipped() {
    let s = Server::start();
    notes(&s);
    let wid = global(&s, "d", false);
    chain(
        &s,
        wid,
        &[delay("wait", json!(1), 3_600_000, 1), writes()[0].clone()],
    );
    s.root();
    let before = state(&s);
    let (st, v) = dry_trigger(&s, "d", "", json!({"t":"later"}));
    assert_eq!(st, 200, "{v}");
    let e = &v["data"]["executions"][0];
    assert_eq!(e["status"], json!(1), "{v}");
    assert_steps(e, &[("wait", 1), ("c", 1)]);
    assert_eq!(result_of(e, "c")["text"], json!("later"), "{v}");
    assert_unchanged(&s, &before);
}

#[test]
fn bad_dry_run_parameters_are_refused_and_change_nothing() {
    let s = Server::start();
    let sw = sync_writes(&s);
    let before = state(&s);
    let root = s.root();
    let cases = [
        (
            "/api/workflows:trigger?triggerWorkflows=s&dryRun=yes".to_string(),
            "dryRun",
        ),
        (
            "/api/workflows:trigger?triggerWorkflows=s&dryRun=true&dryRun=true".to_string(),
            "dryRun",
        ),
        (
            format!("/api/workflows:execute?filterByTk={sw}&dryRun=maybe"),
            "dryRun",
        ),
        (
            format!(
                "/api/workflows:trigger?triggerWorkflows=s&dryRun=true&dryRunStubs={}",
                q("{not json")
            ),
            "dryRunStubs",
        ),
        (
            format!(
                "/api/workflows:trigger?triggerWorkflows=s&dryRun=true&dryRunStubs={}",
                q("[1]")
            ),
            "dryRunStubs",
        ),
        (
            format!(
                "/api/workflows:trigger?triggerWorkflows=s&dryRunStubs={}",
                q("{}")
            ),
            "dryRunStubs",
        ),
    ];
    for (path, name) in cases {
        let (st, v) = s.post(&root, &path, json!({"userId": 1, "t": "x"}));
        assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{path}: {v}");
        let message = v["errors"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.starts_with(&format!("Invalid parameter \"{name}\"")),
            "{path}: {v}"
        );
    }
    assert_unchanged(&s, &before);
    // dryRun=false (and 0) is a normal run.
    let (st, v) = s.post(
        &root,
        "/api/workflows:trigger?triggerWorkflows=s&dryRun=false",
        json!({"t": "kept"}),
    );
    assert_eq!(st, 200, "{v}");
    assert!(v["data"].get("dryRun").is_none(), "{v}");
    let (_, v) = s.get(&root, "/api/notes:list?sort=id");
    assert_eq!(v["data"][1]["text"], json!("kept"), "{v}");
}

#[test]
fn a_store_over_the_bound_refuses_a_dry_run() {
    let s = Server::builder().arg("--dry-run-max-mb").arg("0").start();
    sync_writes(&s);
    let before = state(&s);
    let (st, v) = dry_trigger(&s, "s", "", json!({"t": "x"}));
    assert_eq!((st, code(&v)), (413, "PAYLOAD_TOO_LARGE"), "{v}");
    let message = v["errors"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("dry run refused: the store is ")
            && message.contains("more than the 0 MiB a dry run copies")
            && message.contains("--dry-run-max-mb"),
        "{v}"
    );
    assert_unchanged(&s, &before);
}

#[test]
fn a_dry_run_asks_the_acl_as_a_normal_run_does() {
    let s = Server::start();
    notes(&s);
    let wid = wf::create(
        &s,
        json!({"title":"k","type":"custom-action","key":"k","enabled":true,"sync":true,"config":{"type":1,"collection":"notes"}}),
    )["id"]
        .as_i64()
        .expect("id");
    chain(&s, wid, &[calc("x", "1 + 1")]);
    let member = s.user("m", &["member"]);
    let before = state(&s);
    for path in [
        "/api/notes:trigger/1?triggerWorkflows=k&dryRun=true".to_string(),
        format!("/api/workflows:execute?filterByTk={wid}&dryRun=true"),
    ] {
        let (st, v) = s.post(&member, &path, json!({"userId": 1}));
        assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{path}: {v}");
    }
    assert_unchanged(&s, &before);
    // Root may: the same dry trigger runs.
    let (st, v) = s.post(
        &s.root(),
        "/api/notes:trigger/1?triggerWorkflows=k&dryRun=true",
        json!({}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(result_of(&v["data"]["executions"][0], "x"), json!(2), "{v}");
}

#[test]
fn a_new_version_answers_from_the_node_key_of_an_older_one() {
    let s = Server::start();
    let up = Upstream::start();
    let wid = recorded(&s, &up, "v");
    // A new version, enabled: its request node has a new id and the same key.
    let (st, v) = s.post(
        &s.root(),
        &format!(
            "/api/workflows:revision?filterByTk={wid}&filter={}",
            q(r#"{"key":"v"}"#)
        ),
        json!({"enabled": true}),
    );
    assert_eq!(st, 200, "{v}");
    let rid = v["data"]["id"].as_i64().expect("version id");
    let before = state(&s);
    let (st, v) = dry_trigger(&s, "v", "", json!({}));
    assert_eq!(st, 200, "{v}");
    let e = &v["data"]["executions"][0];
    assert_eq!(
        (&e["workflowId"], &e["status"], result_of(e, "call")),
        (&json!(rid), &json!(1), json!({"ok": true})),
        "{v}"
    );
    assert_eq!(up.count("/ok"), 1);
    assert_unchanged(&s, &before);
}

#[test]
fn a_failed_sync_dry_run_answers_its_error_with_the_jobs() {
    let s = Server::start();
    notes(&s);
    let sw = global(&s, "f", true);
    chain(&s, sw, &[writes()[0].clone(), calc("bad", FAILS_AT_RUN)]);
    s.root();
    let before = state(&s);
    let (st, v) = dry_trigger(&s, "f", "", json!({"t": "gone"}));
    assert_eq!((st, code(&v)), (500, "WORKFLOW_FAILED"), "{v}");
    let entry = &v["errors"][0];
    assert_eq!(entry["dryRun"], json!(true), "{v}");
    assert_steps(entry, &[("c", 1), ("bad", -2)]);
    assert_unchanged(&s, &before);
}

#[test]
fn a_copy_a_crash_left_is_deleted_at_start() {
    let mut s = Server::start();
    s.stop();
    let left = s.dir.join("dry-run-1-0");
    std::fs::create_dir(&left).expect("a leftover copy");
    std::fs::write(left.join("flowgate.db"), b"left over").expect("its file");
    let s = s.restart_builder().start();
    assert_eq!(copies_left(&s), Vec::<String>::new());
}

#[test]
fn an_idempotency_key_is_not_recorded_by_a_dry_run() {
    let s = Server::start();
    sync_writes(&s);
    let before = state(&s);
    let path = "/api/workflows:trigger?triggerWorkflows=s";
    let (st, v) = s
        .req("POST", &format!("{path}&dryRun=true"))
        .bearer(&s.root())
        .header("Idempotency-Key", "k-1")
        .json(json!({"t": "dry"}));
    assert_eq!((st, &v["data"]["dryRun"]), (200, &json!(true)), "{v}");
    assert_unchanged(&s, &before);
    // The same key then runs for real: nothing was kept for it to replay.
    let (st, v) = s
        .req("POST", path)
        .bearer(&s.root())
        .header("Idempotency-Key", "k-1")
        .json(json!({"t": "real"}));
    assert_eq!(st, 200, "{v}");
    assert!(v["data"].get("dryRun").is_none(), "{v}");
    let (_, v) = s.get(&s.root(), "/api/notes:list?sort=id");
    assert_eq!(v["data"][1]["text"], json!("real"), "{v}");
}

#[test]
fn the_association_form_dry_runs_too() {
    let s = Server::start();
    notes(&s);
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"shelves","fields":[{"name":"name","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections/shelves/fields:create",
        Some(json!({"name":"notes","type":"hasMany","target":"notes","foreignKey":"shelfId"})),
    );
    s.ok("POST", "/api/shelves:create", Some(json!({"name":"S"})));
    s.ok(
        "POST",
        "/api/shelves/1/notes:create",
        Some(json!({"text":"on shelf"})),
    );
    let wid = wf::create(
        &s,
        json!({"title":"k","type":"custom-action","key":"k","enabled":true,"sync":true,"config":{"type":1,"collection":"notes"}}),
    )["id"]
        .as_i64()
        .expect("id");
    chain(
        &s,
        wid,
        &[n(
            "create",
            "copy",
            json!({"collection":"notes","params":{"values":{"text":"copy of {{$context.data.text}}"}}}),
        )],
    );
    let before = state(&s);
    let (st, v) = s.post(
        &s.root(),
        "/api/shelves/1/notes:trigger/2?triggerWorkflows=k&dryRun=true",
        json!({}),
    );
    assert_eq!((st, &v["data"]["dryRun"]), (200, &json!(true)), "{v}");
    let e = &v["data"]["executions"][0];
    assert_steps(e, &[("copy", 1)]);
    assert_eq!(
        result_of(e, "copy")["text"],
        json!("copy of on shelf"),
        "{v}"
    );
    assert_unchanged(&s, &before);
}
