//! The durable queue over restarts (workflows.md §4.2–§4.3, issue 4 point 7): queued executions survive a
//! stop and run once, in id order; delays resume at their time after a hard kill; an async run cut off
//! mid-run is run again; a sync run cut off mid-run is aborted with reason "interrupted".
//! Side effects are counted on a local HTTP server the `request` nodes call.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::{Duration, Instant};

use common::*;
use wf::*;

/// `GET <upstream>/hit?k=<tag>&n=<context n>` — one call per run of the node.
fn hit(up: &Upstream, tag: &str) -> Value {
    request(
        "r",
        json!({"url":up.url("/hit"),"method":"GET","params":[{"name":"k","value":tag},{"name":"n","value":"{{$context.data.n}}"}]}),
    )
}

/// Calls of `/hit` with tag `k`, as their `n` values in arrival order.
fn hits(up: &Upstream, k: &str) -> Vec<String> {
    let prefix = format!("/hit?k={k}&n=");
    up.requests()
        .iter()
        .filter_map(|r| r.target.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

fn statuses(s: &Server, ids: &[i64]) -> Vec<Value> {
    ids.iter()
        .map(|id| execution(s, *id)["status"].clone())
        .collect()
}

/// How many of `ids` are still queued (status null, never started), read from the store.
fn still_queued(s: &Server, ids: &[i64]) -> i64 {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    s.db_i64(&format!("SELECT COUNT(*) FROM executions WHERE id IN ({list}) AND status IS NULL AND startedAt IS NULL"))
}

#[test]
fn queued_executions_survive_a_stop_and_run_once_in_id_order() {
    let up = Upstream::start();
    let mut s = Server::builder().arg("--worker").arg("off").start();
    let wid = global(&s, "q", false);
    chain(
        &s,
        wid,
        &[
            hit(&up, "q"),
            n("output", "o", json!({"value":"{{$context.data.n}}"})),
        ],
    );
    let ids: Vec<i64> = (1..=5).map(|i| enqueue(&s, "q", json!({"n":i}))).collect();
    assert_eq!(statuses(&s, &ids), vec![Value::Null; 5]);
    assert_eq!(s.stop(), 0);
    // still queued after a start without the worker
    let mut s2 = s.restart_builder().arg("--worker").arg("off").start();
    assert_eq!(statuses(&s2, &ids), vec![Value::Null; 5]);
    assert_eq!(s2.stop(), 0);
    // The stop ended that server: nothing ran during its whole life.
    assert_eq!(still_queued(&s2, &ids), 5);
    assert!(up.requests().is_empty());
    // with the worker: each runs exactly once, in id order
    let mut s3 = s.restart_builder().start();
    for (i, id) in ids.iter().enumerate() {
        let e = wait_final(&s3, *id, Duration::from_secs(10));
        let n = i as i64 + 1;
        assert_eq!(
            (&e["status"], &e["output"], &e["reason"]),
            (&json!(1), &json!(n), &Value::Null),
            "{e}"
        );
        let js = jobs(&e);
        assert_eq!(js.len(), 2, "{e}");
        assert_eq!(
            (js[0].0.as_str(), js[0].1, js[1].0.as_str(), js[1].1),
            ("r", 1, "o", 1)
        );
        assert_eq!(js[0].2["status"], json!(200));
    }
    let started: Vec<i64> = ids
        .iter()
        .map(|id| ms(&execution(&s3, *id)["startedAt"]))
        .collect();
    assert!(started.windows(2).all(|w| w[0] <= w[1]), "{started:?}");
    let first_jobs: Vec<i64> = ids
        .iter()
        .map(|id| execution(&s3, *id)["jobs"][0]["id"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        first_jobs.windows(2).all(|w| w[0] < w[1]),
        "jobs written in id order: {first_jobs:?}"
    );
    // After a graceful stop the worker has done all it will: each call was made once, in id order.
    assert_eq!(s3.stop(), 0);
    assert_eq!(hits(&up, "q"), vec!["1", "2", "3", "4", "5"]);
}

#[test]
fn a_hard_kill_loses_nothing() {
    let up = Upstream::start();
    let mut s = Server::builder().spawned().start();
    // async: a 1.5 s delay, then a call and an output
    let dk = global(&s, "dk", false);
    chain(
        &s,
        dk,
        &[
            delay("d", json!(1500), 1, 1),
            hit(&up, "dk"),
            n("output", "o", json!({"value":"{{$context.data.n}}"})),
        ],
    );
    // async: a short delay, due before the server is back
    let ds = global(&s, "ds", false);
    chain(&s, ds, &[delay("d", json!(100), 1, 1), hit(&up, "ds")]);
    // async: a 60 s delay under a 2.5 s timeout
    let dt = global_with(&s, "dt", json!({"sync":false,"options":{"timeout":2500}}));
    chain(&s, dt, &[delay("d", json!(60), 1000, 1), hit(&up, "dt")]);
    // async: a slow call that is cut off by the kill
    let sa = global(&s, "sa", false);
    chain(
        &s,
        sa,
        &[request(
            "r",
            json!({"url":up.url("/slow?ms=700&k=sa"),"method":"GET"}),
        )],
    );
    // sync: a slow call inside a request that the kill cuts off
    let si = global(&s, "si", true);
    chain(
        &s,
        si,
        &[
            request(
                "r",
                json!({"url":up.url("/slow?ms=5000&k=si"),"method":"GET","timeout":10000}),
            ),
            calc("never", "1"),
        ],
    );

    // a manual run is synchronous up to its delay, which then waits like an async one
    let md = global(&s, "md", false);
    chain(
        &s,
        md,
        &[
            delay("d", json!(1200), 1, 1),
            n("output", "o", json!({"value":"manual"})),
        ],
    );
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:execute?filterByTk={md}"),
        json!({"userId":1}),
    );
    assert_eq!(
        (st, &v["data"]["execution"]["status"]),
        (200, &json!(0)),
        "{v}"
    );
    let manual = v["data"]["execution"]["id"].as_i64().expect("id");
    assert_eq!(
        jobs(&execution(&s, manual)),
        vec![("d".to_string(), 0, json!(1200))]
    );

    let delayed: Vec<i64> = (1..=3).map(|i| enqueue(&s, "dk", json!({"n":i}))).collect();
    let short = enqueue(&s, "ds", json!({"n":9}));
    let timed = enqueue(&s, "dt", json!({}));
    let mut all_delays = delayed.clone();
    all_delays.extend([short, timed]);
    // every delayed run is saved as STARTED with its PENDING delay job
    s.wait_for(Duration::from_secs(5), || {
        all_delays
            .iter()
            .all(|id| {
                let e = execution(&s, *id);
                e["status"] == json!(0) && jobs(&e).len() == 1 && jobs(&e)[0].1 == 0
            })
            .then_some(())
    })
    .expect("the delayed runs pend");
    let slow_async = enqueue(&s, "sa", json!({}));
    s.wait_for(Duration::from_secs(5), || {
        (up.count("k=sa") == 1).then_some(())
    })
    .expect("the async call started");
    let url = s.url("/api/workflows:trigger?triggerWorkflows=si");
    let token = s.root();
    let caller = std::thread::spawn(move || {
        ureq::post(&url)
            .set("Authorization", &format!("Bearer {token}"))
            .send_string("{}")
            .map(|r| r.status())
            .unwrap_or(0)
    });
    s.wait_for(Duration::from_secs(5), || {
        (up.count("k=si") == 1).then_some(())
    })
    .expect("the sync call started");
    let sync_id = slow_async + 1;
    assert_eq!(
        (
            execution(&s, sync_id)["key"].clone(),
            execution(&s, sync_id)["status"].clone()
        ),
        (json!("si"), json!(0))
    );
    assert_eq!(execution(&s, slow_async)["status"], json!(0));
    let killed = Instant::now();
    s.kill();
    assert_eq!(caller.join().ok(), Some(0), "the sync caller got no answer");
    assert!(hits(&up, "dk").is_empty() && hits(&up, "ds").is_empty());

    let s2 = s.restart_builder().start();
    // the sync run's request is gone: ABORTED, reason interrupted, at once
    let e = execution(&s2, sync_id);
    assert_eq!(
        (&e["status"], &e["reason"], jobs(&e).len()),
        (&json!(-3), &json!("interrupted"), 0),
        "{e}"
    );
    // the cut-off async run is run again from the head (at least once): it resolves with one job
    let e = wait_final(&s2, slow_async, Duration::from_secs(10));
    assert_eq!(
        (&e["status"], jobs(&e).len(), jobs(&e)[0].1),
        (&json!(1), 1, 1),
        "{e}"
    );
    assert_eq!(up.count("k=sa"), 2);
    // the delayed runs finish once, after their due time
    for (i, id) in delayed.iter().enumerate() {
        let e = wait_final(&s2, *id, Duration::from_secs(10));
        assert_eq!(
            (&e["status"], &e["output"]),
            (&json!(1), &json!(i as i64 + 1)),
            "{e}"
        );
        let js = jobs(&e);
        assert_eq!(
            js.iter()
                .map(|(k, st, _)| (k.as_str(), *st))
                .collect::<Vec<_>>(),
            vec![("d", 1), ("r", 1), ("o", 1)],
            "{e}"
        );
        assert_eq!(js[0].2, json!(1500));
        let due = ms(&e["jobs"][0]["createdAt"]) + 1500;
        assert!(
            ms(&e["jobs"][1]["createdAt"]) >= due,
            "resumed before its due time: {e}"
        );
    }
    let e = wait_final(&s2, manual, Duration::from_secs(10));
    assert_eq!(
        (&e["status"], &e["output"], &e["manually"], jobs(&e).len()),
        (&json!(1), &json!("manual"), &json!(true), 2),
        "{e}"
    );
    let e = wait_final(&s2, short, Duration::from_secs(10));
    assert_eq!(
        (&e["status"], job_keys(&e)),
        (&json!(1), vec!["d".to_string(), "r".to_string()])
    );
    // the timeout still applies to a run whose delay is far away
    let e = wait_final(&s2, timed, Duration::from_secs(10));
    assert_eq!(
        (&e["status"], &e["reason"], jobs(&e)),
        (
            &json!(-3),
            &json!("timeout"),
            vec![("d".to_string(), -3, json!(60000))]
        )
    );
    assert!(
        killed.elapsed() < Duration::from_secs(8),
        "{:?}",
        killed.elapsed()
    );
    // Every execution is final, so the worker calls no more.
    s2.wait_idle(Duration::from_secs(10));
    let mut dk_hits = hits(&up, "dk");
    dk_hits.sort();
    assert_eq!(
        (dk_hits, hits(&up, "ds"), hits(&up, "dt")),
        (
            vec!["1".to_string(), "2".into(), "3".into()],
            vec!["9".to_string()],
            vec![]
        )
    );
    assert_eq!(
        up.count("k=si"),
        1,
        "an interrupted sync run is not repeated"
    );
}

#[test]
fn a_stop_lets_the_running_execution_finish_and_keeps_the_rest_queued() {
    let up = Upstream::start();
    up.close_gate(0);
    let mut s = Server::start();
    // four async workflows queued by one trigger: committed together, claimed by the worker in one batch;
    // the first one's call is held at the gate until the stop has begun
    for n in 1..=4 {
        let w = global(&s, &format!("slow{n}"), false);
        chain(
            &s,
            w,
            &[request(
                "r",
                json!({"url":up.url(&format!("/gate?n={n}")),"method":"GET"}),
            )],
        );
    }
    let (st, v) = trigger(&s, "slow1,slow2,slow3,slow4", json!({}));
    assert_eq!(st, 200, "{v}");
    let ids: Vec<i64> = v["data"]["executions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 4);
    let calls = |n: i64| {
        up.requests()
            .iter()
            .filter(|r| r.target.ends_with(&format!("?n={n}")))
            .count()
    };
    up.wait_held(1);
    assert_eq!(calls(1), 1, "the first run is the one held");
    assert_eq!(
        execution(&s, ids[3])["status"],
        json!(0),
        "claimed with the first"
    );
    // the worker's waiting request holds no store lock
    let t0 = Instant::now();
    create(&s, json!({"title":"meanwhile","type":"custom-action"}));
    assert!(
        t0.elapsed() < Duration::from_millis(1000),
        "a write waited {:?}",
        t0.elapsed()
    );
    // the running one is busy; one claimed behind it can still be canceled
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/executions:cancel/{}", ids[0]),
        json!({}),
    );
    assert_eq!((st, code(&v)), (409, "EXECUTION_BUSY"), "{v}");
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/executions:cancel/{}", ids[3]),
        json!({}),
    );
    assert_eq!(
        (st, &v["data"]["status"], &v["data"]["reason"]),
        (200, &json!(-3), &json!("manual_cancel")),
        "{v}"
    );
    // a stop: the running execution finishes, the others are not started
    let port = s.port;
    let code = std::thread::scope(|sc| {
        sc.spawn(|| {
            // the stop has begun (the queue is shut down) once the listener is closed
            let closed = poll(Duration::from_secs(10), || {
                std::net::TcpStream::connect(("127.0.0.1", port))
                    .is_err()
                    .then_some(())
            });
            up.open_gate();
            assert!(
                closed.is_some(),
                "still accepting connections during the stop"
            );
        });
        s.stop()
    });
    assert_eq!(code, 0);
    let mut s2 = s.restart_builder().start();
    for id in &ids[..3] {
        let e = wait_final(&s2, *id, Duration::from_secs(10));
        assert_eq!(
            (&e["status"], jobs(&e).len(), jobs(&e)[0].1),
            (&json!(1), 1, 1),
            "{e}"
        );
    }
    let e = execution(&s2, ids[3]);
    assert_eq!(
        (&e["status"], &e["reason"], jobs(&e).len()),
        (&json!(-3), &json!("manual_cancel"), 0)
    );
    // After a graceful stop the worker has done all it will.
    assert_eq!(s2.stop(), 0);
    assert_eq!((calls(1), calls(2), calls(3), calls(4)), (1, 1, 1, 0));
}
