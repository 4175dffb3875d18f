//! The trigger across server ends (trigger.md case 45, issue 5's hard-kill test, operations.md case 10,
//! idempotency records across restarts and crashes): graceful stops of in-process servers, SIGTERM and
//! SIGKILL of spawned ones, restarted on the same folder.

mod common;
#[path = "common/wf.rs"]
mod wf;
use common::*;

use std::time::Duration;

fn samples_flow(s: &Server, key: &str, sync: bool, chain: &[Value]) -> i64 {
    let id = wf::create(
        s,
        json!({"title": key, "key": key, "type": "custom-action", "sync": sync, "enabled": true,
               "config": {"type": 1, "collection": "samples"}}),
    )["id"]
        .as_i64()
        .expect("workflow id");
    wf::chain(s, id, chain);
    id
}

fn calc(expression: &str) -> Value {
    json!({"type": "calculation", "config": {"engine": "math.js", "expression": expression}})
}

fn request(url: &str) -> Value {
    json!({"type": "request", "config": {"url": url, "method": "GET", "timeout": 10000}})
}

/// (id, status, startedAt, reason) of an execution row.
type Row = (i64, Option<i64>, Option<String>, Option<String>);

/// The rows of the executions with these ids, by id.
fn statuses(s: &Server, ids: &[i64]) -> Vec<Row> {
    let db = s.open_db();
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut st = db
        .prepare(&format!(
            "SELECT id, status, startedAt, reason FROM executions WHERE id IN ({list}) ORDER BY id"
        ))
        .expect("prepare");
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// Waits until every id has status 1.
fn wait_resolved(s: &Server, ids: &[i64], timeout: Duration) {
    let done = s.wait_for(timeout, || {
        statuses(s, ids)
            .iter()
            .all(|r| r.1 == Some(1))
            .then_some(())
    });
    assert!(
        done.is_some(),
        "not all executions resolved: {:?}",
        statuses(s, ids)
            .iter()
            .filter(|r| r.1 != Some(1))
            .collect::<Vec<_>>()
    );
}

/// The one async execution id of a trigger answer (status null).
fn queued_id(v: &Value, key: &str) -> i64 {
    let e = v["data"]["executions"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["workflowKey"] == key))
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        (&e["sync"], &e["status"]),
        (&json!(false), &Value::Null),
        "{v}"
    );
    e["id"].as_i64().expect("execution id")
}

// ---- case 45 ------------------------------------------------------------------------------------

#[test]
fn worker_off_stop_then_restart_runs_the_queue_in_order() {
    let mut s = Server::builder()
        .arg("--demo")
        .arg("--worker")
        .arg("off")
        .start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"runlog","fields":[{"name":"n","type":"integer"}]})),
    );
    samples_flow(
        &s,
        "s_async",
        false,
        &[
            calc("{{$context.data.indicator}} * 2"),
            json!({"type":"create","config":{"collection":"runlog","params":{"values":{"n":"{{$context.data.indicator}}"}}}}),
        ],
    );
    let mut ids = Vec::new();
    let mut replayable = None;
    for n in 1..=3 {
        let r = s
            .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_async")
            .bearer(&s.root())
            .header("Idempotency-Key", &format!("restart-{n}"))
            .json_full(json!({"indicator": n}));
        assert_eq!(r.status, 200, "{}", r.text);
        ids.push(queued_id(&r.body, "s_async"));
        replayable.get_or_insert((n, r.text.clone()));
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let rows = statuses(&s, &ids);
    assert!(
        rows.iter().all(|r| r.1.is_none() && r.2.is_none()),
        "queued, not run: {rows:?}"
    );
    assert_eq!(s.stop(), 0, "a graceful stop exits 0");
    // The stop ended the server: nothing ran during its whole life.
    let rows = statuses(&s, &ids);
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter().all(|r| r.1.is_none() && r.2.is_none()),
        "still queued after the stop: {rows:?}"
    );
    assert_eq!(s.rows("runlog"), 0);

    let s2 = s.restart_builder().start();
    wait_resolved(&s2, &ids, Duration::from_secs(10));
    let rows = statuses(&s2, &ids);
    let started: Vec<&str> = rows.iter().map(|r| r.2.as_deref().unwrap_or("")).collect();
    assert!(
        started.windows(2).all(|w| w[0] <= w[1]),
        "startedAt follows id order: {started:?}"
    );
    // The runs' own writes show their order.
    let (st, v) = s2.get(&s2.root(), "/api/runlog:list?sort=id&paginate=false");
    assert_eq!(st, 200);
    let order: Vec<i64> = v["data"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["n"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(order, [1, 2, 3], "run in id order, once each");
    for (i, id) in ids.iter().enumerate() {
        let e = wf::execution(&s2, *id);
        assert_eq!(
            (&e["status"], &e["jobs"][0]["result"]),
            (&json!(1), &json!(2 * (i as i64 + 1))),
            "{e}"
        );
        assert_eq!(e["jobs"].as_array().map(Vec::len), Some(2));
    }
    // The idempotency record survived the restart: a replay, nothing runs.
    let (n, text) = replayable.expect("first answer");
    let before = s2.execution_count();
    let r = s2
        .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_async")
        .bearer(&s2.root())
        .header("Idempotency-Key", &format!("restart-{n}"))
        .json_full(json!({"indicator": n}));
    assert_eq!(
        (r.status, &r.text, r.header("Idempotent-Replayed")),
        (200, &text, Some("true"))
    );
    // Async rows are committed before the answer: a replay that queued anything would show now.
    assert_eq!(s2.execution_count(), before);
    let mut s2 = s2;
    assert_eq!(s2.stop(), 0);
    assert_eq!(
        s2.execution_count(),
        before,
        "nothing ran by the stop either"
    );
}

// ---- issue 5: the hard-kill test --------------------------------------------------------------------

#[test]
fn hard_kill_after_answered_async_triggers_loses_and_repeats_nothing() {
    const N: usize = 200;
    const DONE: usize = 20;
    // Each run calls a local server whose gate lets the first DONE calls through and holds the next, so
    // that at the kill DONE runs are finished, one is mid-run and the rest are queued.
    let slow = wf::Upstream::start();
    slow.close_gate(DONE);
    let mut s = Server::builder().spawned().arg("--demo").start();
    samples_flow(
        &s,
        "hk",
        false,
        &[
            request(&slow.url("/gate")),
            json!({"type":"calculation","key":"calc","config":{"engine":"math.js","expression":"{{$context.data.indicator}} * 2"}}),
            json!({"type":"output","config":{"value":"{{$jobsMapByNodeKey.calc}}"}}),
        ],
    );
    let token = s.root();
    let mut ids: Vec<i64> = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (s, token) = (&s, &token);
                sc.spawn(move || {
                    (0..N / 4)
                        .map(|_| {
                            let (st, v) = s.call(
                                token,
                                "POST",
                                "/api/samples:trigger/1?triggerWorkflows=hk",
                                None,
                            );
                            assert_eq!(st, 200, "{v}");
                            queued_id(&v, "hk")
                        })
                        .collect::<Vec<i64>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client thread"))
            .collect()
    });
    slow.wait_held(1);
    s.kill();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), N, "every answer names its own execution");
    let at_kill = statuses(&s, &ids);
    assert_eq!(
        at_kill.len(),
        N,
        "every answered execution was committed before its answer"
    );
    let finished = at_kill.iter().filter(|r| r.1 == Some(1)).count();
    let unfinished = at_kill
        .iter()
        .filter(|r| r.1.is_none() || r.1 == Some(0))
        .count();
    assert_eq!(
        (finished, unfinished),
        (DONE, N - DONE),
        "at the kill: {DONE} done, one mid-run, the rest queued"
    );

    slow.open_gate();
    let s2 = s.restart_builder().start();
    wait_resolved(&s2, &ids, Duration::from_secs(60));
    let db = s2.open_db();
    let total: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM executions WHERE key = 'hk'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(total, N as i64, "no execution beyond the answered ones");
    // One job set per execution: three jobs, one per node, all resolved.
    let mut st = db
        .prepare("SELECT executionId, COUNT(*), SUM(status = 1), COUNT(DISTINCT nodeId) FROM jobs WHERE executionId IN (SELECT id FROM executions WHERE key = 'hk') GROUP BY executionId")
        .expect("prepare");
    let sets: Vec<(i64, i64, i64, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("jobs")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(sets.len(), N, "every execution has jobs");
    for (id, jobs, resolved, nodes) in &sets {
        assert_eq!(
            (jobs, resolved, nodes),
            (&3, &3, &3),
            "execution {id}: one job per node, all resolved"
        );
    }
    for id in [ids[0], ids[N / 2], ids[N - 1]] {
        let e = wf::execution(&s2, id);
        assert_eq!(
            (&e["status"], &e["output"]),
            (&json!(1), &json!(182)),
            "{e}"
        );
    }
    // The run cut off mid-run is run again from its head; no other run calls twice.
    assert_eq!(
        slow.count("/gate"),
        N + 1,
        "one call per run, and one more for the run cut off by the kill"
    );
}

// ---- operations.md case 10 -------------------------------------------------------------------------

#[test]
fn sigterm_during_a_sync_trigger_answers_it_and_keeps_the_queue() {
    let slow = wf::Upstream::start();
    slow.close_gate(0);
    let mut s = Server::builder().spawned().arg("--demo").start();
    samples_flow(
        &s,
        "slow_sync",
        true,
        &[
            request(&slow.url("/gate")),
            json!({"type":"response-message","config":{"message":"slow done"}}),
        ],
    );
    samples_flow(
        &s,
        "q_async",
        false,
        &[calc("{{$context.data.indicator}} * 2")],
    );
    let token = s.root();
    let (st, v) = std::thread::scope(|sc| {
        let h = sc.spawn(|| {
            s.call(
                &token,
                "POST",
                "/api/samples:trigger/1?triggerWorkflows=slow_sync,q_async",
                None,
            )
        });
        slow.wait_held(1);
        s.signal("TERM");
        // The signal was handled once the listener is closed; only then the request node gets its answer.
        let closed = s.wait_for(Duration::from_secs(10), || {
            std::net::TcpStream::connect(("127.0.0.1", s.port))
                .is_err()
                .then_some(())
        });
        assert!(
            closed.is_some(),
            "still accepting connections after SIGTERM"
        );
        slow.open_gate();
        h.join().expect("trigger thread")
    });
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["messages"], json!([{"message":"slow done"}]));
    assert_eq!(v["data"]["executions"][0]["status"], 1);
    let queued = queued_id(&v, "q_async");
    assert_eq!(s.wait(), 0, "exit 0 after the in-flight request");
    let rows = statuses(&s, &[queued]);
    assert_eq!(
        (rows[0].1, rows[0].2.as_deref()),
        (None, None),
        "the async row committed during shutdown stays queued"
    );
    // The next start runs it.
    let s2 = s.restart_builder().start();
    wait_resolved(&s2, &[queued], Duration::from_secs(10));
    assert_eq!(wf::execution(&s2, queued)["jobs"][0]["result"], 182);
}

// ---- an in-progress idempotency record left by a crash -------------------------------------------

#[test]
fn crash_during_a_keyed_sync_trigger_frees_the_key_and_aborts_the_run() {
    let slow = wf::Upstream::start();
    slow.close_gate(0);
    let mut s = Server::builder().spawned().arg("--demo").start();
    samples_flow(&s, "slow_sync", true, &[request(&slow.url("/gate"))]);
    let token = s.root();
    let path = "/api/samples:trigger/1?triggerWorkflows=slow_sync";
    // A raw connection: the harness's client would panic when the server dies under it.
    let mut conn = s.tcp();
    let req = format!("POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: c1\r\nContent-Length: 0\r\n\r\n");
    std::io::Write::write_all(&mut conn, req.as_bytes()).expect("send");
    slow.wait_held(1);
    let busy = s
        .req("POST", path)
        .bearer(&token)
        .header("Idempotency-Key", "c1")
        .raw(b"");
    assert_eq!(
        (busy.status, code(&busy.body)),
        (409, "IDEMPOTENCY_KEY_IN_PROGRESS")
    );
    let started: i64 =
        s.db_i64("SELECT COUNT(*) FROM executions WHERE key = 'slow_sync' AND status = 0");
    assert_eq!(started, 1, "the sync run is STARTED while it waits");
    s.kill();
    drop(conn);
    slow.open_gate();

    let s2 = s.restart_builder().start();
    let (st, reason): (Option<i64>, Option<String>) = s2
        .open_db()
        .query_row(
            "SELECT status, reason FROM executions WHERE key = 'slow_sync'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("execution");
    assert_eq!(
        (st, reason.as_deref()),
        (Some(-3), Some("interrupted")),
        "a sync run whose request is gone is aborted"
    );
    let r = s2
        .req("POST", path)
        .bearer(&token)
        .header("Idempotency-Key", "c1")
        .raw(b"");
    assert_eq!(
        (r.status, r.header("Idempotent-Replayed")),
        (200, None),
        "the key runs again: {}",
        r.text
    );
    assert_eq!(r.body["data"]["executions"][0]["status"], 1);
    let again = s2
        .req("POST", path)
        .bearer(&token)
        .header("Idempotency-Key", "c1")
        .raw(b"");
    assert_eq!(
        (
            again.status,
            &again.body,
            again.header("Idempotent-Replayed")
        ),
        (200, &r.body, Some("true"))
    );
    assert_eq!(slow.count("/gate"), 2);
}

// ---- WRONG_TYPE and WORKFLOW_HANGS: workflows written outside the API ---------------------------------

#[test]
fn workflows_written_outside_the_api_wrong_type_and_hangs() {
    let mut s = Server::builder().arg("--demo").start();
    samples_flow(&s, "s_other", true, &[]);
    // An async workflow with a delay, made sync behind the API's back: its sync run cannot finish.
    samples_flow(
        &s,
        "s_hang",
        false,
        &[json!({"type":"delay","config":{"duration":60,"unit":1000,"endStatus":1}})],
    );
    assert_eq!(s.stop(), 0);
    s.db()
        .execute(
            "UPDATE workflows SET type = 'schedule' WHERE key = 's_other'",
            [],
        )
        .expect("edit the stopped store");
    s.db()
        .execute("UPDATE workflows SET sync = 1 WHERE key = 's_hang'", [])
        .expect("edit the stopped store");
    let s2 = s.restart_builder().start();
    let got = s2.call(
        &s2.root(),
        "POST",
        "/api/samples:trigger/1?triggerWorkflows=s_other",
        None,
    );
    assert_eq!(
        got,
        (
            400,
            json!({"errors":[{"message":"Workflow \"s_other\" is not a custom action workflow","code":"WORKFLOW_NOT_MATCHED","key":"s_other","reason":"WRONG_TYPE"}]})
        )
    );
    let (st, v) = s2.call(
        &s2.root(),
        "POST",
        "/api/samples:trigger/1?triggerWorkflows=s_other,demo_sample_sync",
        None,
    );
    assert_eq!(
        (st, &v["data"]["skipped"]),
        (200, &json!([{"key":"s_other","reason":"WRONG_TYPE"}])),
        "{v}"
    );
    let (st, v) = s2.call(
        &s2.root(),
        "POST",
        "/api/samples:trigger/1?triggerWorkflows=s_hang,demo_sample_async",
        None,
    );
    let e_id = v["errors"][0]["executionId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        (st, v),
        (
            500,
            json!({"errors":[{"message":"Workflow on your action hangs, please contact the administrator","code":"WORKFLOW_HANGS","executionId":e_id,"workflowKey":"s_hang"}]})
        )
    );
    assert_eq!(wf::execution(&s2, e_id)["status"], 0, "still STARTED");
    assert_eq!(
        s2.db_i64("SELECT COUNT(*) FROM executions WHERE key = 'demo_sample_async'"),
        0,
        "the async group is not committed"
    );
}
