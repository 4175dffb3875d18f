//! Retry (issue 16 point 2): a workflow's `options.retry` runs a failed async execution again from the
//! head on its timings (each failed attempt recorded in `attempts`), a `request` node's `retry` calls its
//! URL again inside the job; sync runs never retry; a waiting retry survives a restart and is canceled
//! with its execution. Timings are checked through the in-process servers' movable clock.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

/// `executions:get` with its failed attempts.
fn with_attempts(s: &Server, id: i64) -> Value {
    s.ok(
        "GET",
        &format!("/api/executions:get/{id}?appends=attempts&appends=jobs"),
        None,
    )
}

/// Polls until the execution waits for attempt `n` (STARTED, `retryAt` set).
fn waiting_for(s: &Server, id: i64, n: i64) -> Value {
    s.wait_for(Duration::from_secs(10), || {
        let e = with_attempts(s, id);
        (e["attempt"] == json!(n) && e["retryAt"].is_string() && e["status"] == json!(0))
            .then_some(e)
    })
    .unwrap_or_else(|| {
        panic!(
            "execution {id} does not wait for attempt {n}: {}",
            with_attempts(s, id)
        )
    })
}

fn async_flow(s: &Server, key: &str, retry: Value, nodes: &[Value]) -> i64 {
    let wid = global_with(s, key, json!({"sync": false, "options": {"retry": retry}}));
    chain(s, wid, nodes);
    wid
}

/// Moves the clock and wakes the worker (its timers are on the same clock).
fn advance(s: &Server, by: Duration) {
    s.advance_clock(by);
    s.app().queue.notify();
}

#[test]
fn options_retry_must_be_a_valid_policy() {
    let s = Server::start();
    let before = s.rows("workflows");
    let cases = [
        (json!(3), "options.retry must be an object"),
        (json!({}), "options.retry.attempts is required"),
        (
            json!({"attempts": 0}),
            "options.retry.attempts must be an integer from 1 to 100",
        ),
        (
            json!({"attempts": 2, "backoff": "linear"}),
            "options.retry.backoff must be \"fixed\" or \"exponential\"",
        ),
        (
            json!({"attempts": 2, "delay": "1s"}),
            "options.retry.delay must be an integer",
        ),
        (
            json!({"attempts": 2, "maxDelay": -5}),
            "options.retry.maxDelay must be an integer",
        ),
        (
            json!({"attempts": 2, "jitter": 1.5}),
            "options.retry.jitter must be a number from 0 to 1",
        ),
    ];
    for (retry, msg) in cases {
        let (st, v) = s.post(
            &s.root(),
            "/api/workflows:create",
            json!({"type": "custom-action", "title": "t", "options": {"retry": retry}}),
        );
        assert_eq!(st, 400, "{retry}: {v}");
        let got = v["errors"][0]["message"].as_str().unwrap_or("");
        assert!(got.starts_with(msg), "{retry}: {got}");
    }
    assert_eq!(s.rows("workflows"), before);
    let (st, v) = s.post(
        &s.root(),
        "/api/workflows:create",
        json!({"type": "custom-action", "title": "t", "options": {"retry": {"attempts": 3, "backoff": "exponential", "delay": 500, "maxDelay": 2000, "jitter": 0.2}}}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"]["options"]["retry"]["attempts"], json!(3));
}

#[test]
fn an_async_run_that_errors_is_retried_on_its_timings_each_attempt_recorded() {
    let s = Server::builder().clock().start();
    async_flow(
        &s,
        "flaky",
        json!({"attempts": 3, "backoff": "exponential", "delay": 60000}),
        &[calc("c", FAILS_AT_RUN)],
    );
    let id = enqueue(&s, "flaky", json!({}));
    let e = waiting_for(&s, id, 2);
    let first = &e["attempts"][0];
    assert_eq!(
        (&first["attempt"], &first["status"], &first["nodeKey"]),
        (&json!(1), &json!(-2), &json!("c")),
        "{e}"
    );
    assert!(
        first["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{e}"
    );
    assert_eq!(
        e["jobs"],
        json!([]),
        "the failed attempt's jobs are dropped: {e}"
    );
    let gap = ms(&e["retryAt"]) - ms(&first["createdAt"]);
    assert!((59_900..=60_100).contains(&gap), "first wait {gap} ms");

    advance(&s, Duration::from_secs(61));
    let e = waiting_for(&s, id, 3);
    let gap = ms(&e["retryAt"]) - ms(&e["attempts"][1]["createdAt"]);
    assert!(
        (119_900..=120_100).contains(&gap),
        "second wait {gap} ms (exponential)"
    );

    advance(&s, Duration::from_secs(121));
    let done = s
        .wait_for(Duration::from_secs(10), || {
            let e = with_attempts(&s, id);
            (e["status"] == json!(-2)).then_some(e)
        })
        .unwrap_or_else(|| panic!("no last attempt: {}", with_attempts(&s, id)));
    assert_eq!(
        (
            &done["attempt"],
            &done["retryAt"],
            done["attempts"].as_array().map(Vec::len)
        ),
        (&json!(3), &Value::Null, Some(2)),
        "{done}"
    );
    assert_eq!(
        jobs(&done).len(),
        1,
        "the last attempt's job is kept: {done}"
    );
}

#[test]
fn a_run_failing_at_a_request_node_is_retried_and_can_resolve() {
    let s = Server::start();
    let up = Upstream::start();
    async_flow(
        &s,
        "call",
        json!({"attempts": 2, "delay": 0}),
        &[request(
            "r",
            json!({"url": up.url("/flaky?fails=1&k=run"), "method": "GET"}),
        )],
    );
    let id = enqueue(&s, "call", json!({}));
    let done = wait_final(&s, id, Duration::from_secs(10));
    let e = with_attempts(&s, done["id"].as_i64().unwrap());
    assert_eq!(
        (
            &e["status"],
            &e["attempt"],
            result_of(&e, "r")["data"].clone()
        ),
        (&json!(1), &json!(2), json!({"flaky": true})),
        "{e}"
    );
    assert_eq!(
        (&e["attempts"][0]["status"], &e["attempts"][0]["reason"]),
        (&json!(-1), &json!("Request failed with status code 503"))
    );
    assert_eq!(up.count("/flaky?fails=1&k=run"), 2);
}

#[test]
fn a_request_node_retries_its_own_call_in_async_runs_only() {
    let s = Server::start();
    let up = Upstream::start();
    let retry = json!({"attempts": 3, "delay": 10});
    let node = |k: &str, path: &str| {
        request(
            k,
            json!({"url": up.url(path), "method": "GET", "retry": retry}),
        )
    };
    async_flow(&s, "own", Value::Null, &[node("r", "/flaky?fails=2&k=own")]);
    let done = wait_final(&s, enqueue(&s, "own", json!({})), Duration::from_secs(10));
    let job = &done["jobs"][0];
    assert_eq!(
        (
            &done["status"],
            &job["result"]["data"],
            job["meta"]["attempts"].as_array().map(Vec::len)
        ),
        (&json!(1), &json!({"flaky": true}), Some(2)),
        "{done}"
    );
    assert_eq!(
        job["meta"]["attempts"][0]["reason"],
        json!("Request failed with status code 503")
    );
    assert_eq!(up.count("/flaky?fails=2&k=own"), 3);

    // A 404 does not change by calling again: one call.
    async_flow(&s, "lost", Value::Null, &[node("r", "/status?code=404")]);
    let done = wait_final(&s, enqueue(&s, "lost", json!({})), Duration::from_secs(10));
    assert_eq!(
        (&done["status"], up.count("/status?code=404")),
        (&json!(-1), 1)
    );

    // Inside a request: one attempt.
    let wid = global(&s, "inline", true);
    chain(&s, wid, &[node("r", "/flaky?fails=1&k=inline")]);
    let (_, e) = run(&s, "inline");
    assert_eq!(
        (&e["status"], up.count("/flaky?fails=1&k=inline")),
        (&json!(-1), 1),
        "{e}"
    );

    // Validated with the node.
    let wid = global(&s, "bad", false);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:create"),
        json!({"type": "request", "key": "r", "config": {"url": up.url("/ok"), "retry": {"attempts": 11}}}),
    );
    assert_eq!(
        (st, &v["errors"][0]["code"], &v["errors"][0]["field"]),
        (400, &json!("INVALID_NODE_CONFIG"), &json!("retry")),
        "{v}"
    );
}

#[test]
fn sync_runs_are_never_retried() {
    let s = Server::start();
    let wid = global_with(
        &s,
        "now",
        json!({"sync": true, "options": {"retry": {"attempts": 3, "delay": 0}}}),
    );
    chain(&s, wid, &[calc("c", FAILS_AT_RUN)]);
    let (_, e) = run(&s, "now");
    let e = with_attempts(&s, e["id"].as_i64().unwrap());
    assert_eq!(
        (&e["status"], &e["attempt"], &e["attempts"], &e["retryAt"]),
        (&json!(-2), &json!(1), &json!([]), &Value::Null),
        "{e}"
    );
}

#[test]
fn a_waiting_retry_survives_a_restart() {
    let mut s = Server::start();
    async_flow(
        &s,
        "later",
        json!({"attempts": 2, "delay": 3000}),
        &[calc("c", FAILS_AT_RUN)],
    );
    let id = enqueue(&s, "later", json!({}));
    waiting_for(&s, id, 2);
    s.stop();
    let restarted_at = flowgate::time::now_ms();
    // The stopped server goes first: it holds a share of the test clock, which a clock test of this
    // binary may be waiting to take whole (and the new server would queue behind that test).
    let again = s.restart_builder();
    drop(s);
    let s = again.start();
    let done = wait_final(&s, id, Duration::from_secs(15));
    let e = with_attempts(&s, id);
    assert_eq!(
        (
            &done["status"],
            &e["attempt"],
            e["attempts"].as_array().map(Vec::len)
        ),
        (&json!(-2), &json!(2), Some(1)),
        "{e}"
    );
    assert!(
        ms(&e["startedAt"]) >= restarted_at,
        "attempt 2 ran after the restart: {e}"
    );
}

#[test]
fn canceling_a_waiting_retry_ends_it() {
    let s = Server::builder().clock().start();
    async_flow(
        &s,
        "stop",
        json!({"attempts": 3, "delay": 60000}),
        &[calc("c", FAILS_AT_RUN)],
    );
    let id = enqueue(&s, "stop", json!({}));
    waiting_for(&s, id, 2);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/executions:cancel?filterByTk={id}"),
        json!({}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (&v["data"]["status"], &v["data"]["retryAt"]),
        (&json!(-3), &Value::Null),
        "{v}"
    );
    // Past the retry's time, the worker handles its timers before it drains the queue: once a run
    // queued after that has finished, the canceled one's timer has been seen.
    advance(&s, Duration::from_secs(61));
    let wid = global(&s, "after", false);
    chain(&s, wid, &[calc("c", "1")]);
    wait_final(&s, enqueue(&s, "after", json!({})), Duration::from_secs(10));
    let e = with_attempts(&s, id);
    assert_eq!(
        (
            &e["status"],
            &e["attempt"],
            e["attempts"].as_array().map(Vec::len)
        ),
        (&json!(-3), &json!(2), Some(1)),
        "{e}"
    );
}
