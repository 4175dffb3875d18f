//! `executions:stats` (issue 16's pictures): runs per bucket by status and duration percentiles over the
//! last hour and day, overall and per workflow, from runs made at known times on the movable test clock.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

const MINUTE: u64 = 60_000;

/// Moves the clock to one second past the next 15-minute boundary, so that the runs made next fall in
/// one 1-minute and one 15-minute bucket whatever the real time is.
fn align(s: &Server) {
    let now = flowgate::time::now_ms();
    let q = 15 * MINUTE as i64;
    let to = (now.div_euclid(q) + 1) * q + 1_000;
    s.advance_clock(Duration::from_millis((to - now) as u64));
}

fn later(s: &Server, minutes: u64) {
    s.advance_clock(Duration::from_millis(minutes * MINUTE));
}

fn stats(s: &Server, token: &str, query: &str) -> (u16, Value) {
    s.get(token, &format!("/api/executions:stats?{query}"))
}

fn stats_ok(s: &Server, query: &str) -> Value {
    let (st, v) = stats(s, &s.root(), query);
    assert_eq!(st, 200, "{query}: {v}");
    v["data"].clone()
}

/// `window=<name>`, checked for its bucket width and count.
fn window(s: &Server, name: &str, bucket_seconds: u64, buckets: usize) -> Value {
    let d = stats_ok(s, &format!("window={name}"));
    assert_eq!(
        (&d["window"], &d["bucketSeconds"]),
        (&json!(name), &json!(bucket_seconds)),
        "{d}"
    );
    assert_eq!(d["buckets"].as_array().unwrap().len(), buckets);
    d
}

/// The buckets that counted something, as (index, {status: n}) with the zeros left out.
fn busy(data: &Value) -> Vec<(usize, Value)> {
    data["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let counts: serde_json::Map<String, Value> = b
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| *k != "start" && v.as_u64() != Some(0))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (!counts.is_empty()).then(|| (i, Value::Object(counts)))
        })
        .collect()
}

/// Nearest-rank percentiles of the finished runs' `updatedAt − startedAt`, computed here from the rows.
fn expected_durations(runs: &[Value]) -> Value {
    let mut d: Vec<i64> = runs
        .iter()
        .map(|e| ms(&e["updatedAt"]) - ms(&e["startedAt"]))
        .collect();
    d.sort_unstable();
    let rank = |p: usize| json!(d[(p * d.len()).div_ceil(100).max(1) - 1]);
    json!({"count": d.len(), "p50": rank(50), "p90": rank(90), "p99": rank(99)})
}

fn run_ok(s: &Server, key: &str) {
    let (st, v) = trigger(s, key, json!({}));
    assert_eq!(st, 200, "{v}");
}

#[test]
fn counts_runs_per_bucket_and_percentiles_over_the_hour_and_the_day() {
    let s = Server::builder().clock().start();
    flow(&s, "ok", &[calc("c", "1 + 1")]);
    flow(&s, "bad", &[calc("c", FAILS_AT_RUN)]);

    align(&s);
    run_ok(&s, "ok"); // two hours before the others: in the day, not in the hour
    later(&s, 120);
    for _ in 0..3 {
        run_ok(&s, "ok");
    }
    let (st, v) = trigger(&s, "bad", json!({}));
    assert_eq!(
        (st, &v["errors"][0]["status"]),
        (500, &json!(-2)),
        "an erroneous sync run: {v}"
    );
    later(&s, 5);
    run_ok(&s, "ok");
    run_ok(&s, "ok");
    later(&s, 20);
    run_ok(&s, "ok");

    // The hour: 60 one-minute buckets, the last one holding now (25 minutes after the first runs).
    let hour = window(&s, "hour", 60, 60);
    assert_eq!(
        busy(&hour),
        vec![
            (34, json!({"resolved": 3, "error": 1})),
            (39, json!({"resolved": 2})),
            (59, json!({"resolved": 1})),
        ]
    );
    let b = &hour["buckets"][59];
    assert_eq!(
        ms(&b["start"]) % (MINUTE as i64),
        0,
        "buckets start on the minute: {b}"
    );
    for name in [
        "queueing", "started", "failed", "aborted", "canceled", "rejected",
    ] {
        assert_eq!(b[name], 0, "every status is in every bucket: {b}");
    }

    // The day: 96 buckets of 15 minutes; the run two hours earlier is 8 buckets before the others.
    let day = window(&s, "day", 900, 96);
    assert_eq!(
        busy(&day),
        vec![
            (86, json!({"resolved": 1})),
            (94, json!({"resolved": 5, "error": 1})),
            (95, json!({"resolved": 1})),
        ]
    );

    // Durations: the finished runs of the window, exactly as their rows say.
    let mut all = runs_now(&s, "ok");
    all.extend(runs_now(&s, "bad"));
    assert_eq!(all.len(), 8);
    assert_eq!(day["durations"], expected_durations(&all));
    let in_hour: Vec<Value> = all
        .iter()
        .filter(|e| ms(&e["createdAt"]) >= ms(&hour["buckets"][0]["start"]))
        .cloned()
        .collect();
    assert_eq!(in_hour.len(), 7);
    assert_eq!(hour["durations"], expected_durations(&in_hour));

    // One workflow, by key or by version.
    let bad = stats_ok(&s, &format!("window=hour&filter={}", q(r#"{"key":"bad"}"#)));
    assert_eq!(busy(&bad), vec![(34, json!({"error": 1}))]);
    assert_eq!(bad["durations"], expected_durations(&runs_now(&s, "bad")));
    let version = runs_now(&s, "ok")[0]["workflowId"].clone();
    let ok = stats_ok(
        &s,
        &format!(
            "window=day&filter={}",
            q(&json!({"workflowId": version}).to_string())
        ),
    );
    assert_eq!(
        busy(&ok),
        vec![
            (86, json!({"resolved": 1})),
            (94, json!({"resolved": 5})),
            (95, json!({"resolved": 1})),
        ]
    );

    // A window with nothing in it: zeros and null percentiles.
    later(&s, 24 * 60 + 30);
    let empty = stats_ok(&s, "window=day");
    assert!(busy(&empty).is_empty(), "{empty}");
    assert_eq!(
        empty["durations"],
        json!({"count": 0, "p50": null, "p90": null, "p99": null})
    );
}

#[test]
fn the_hour_is_the_default_window() {
    let s = Server::start();
    let d = stats_ok(&s, "");
    assert_eq!(
        (&d["window"], &d["bucketSeconds"]),
        (&json!("hour"), &json!(60))
    );
    assert_eq!(d["buckets"].as_array().unwrap().len(), 60);
}

#[test]
fn bad_windows_and_filters_are_400_naming_the_fix() {
    let s = Server::start();
    let root = s.root();
    let (st, v) = stats(&s, &root, "window=week");
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["errors"][0]["code"], "INVALID_PARAMETER", "{v}");
    let m = v["errors"][0]["message"].as_str().unwrap();
    assert!(
        m.contains("window")
            && m.contains("\"hour\"")
            && m.contains("\"day\"")
            && m.contains("week"),
        "{m}"
    );

    let (st, v) = stats(&s, &root, &format!("filter={}", q(r#"{"status":1}"#)));
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["errors"][0]["code"], "INVALID_FILTER", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("{\"key\""),
        "{v}"
    );
    let (st, v) = stats(&s, &root, &format!("filter={}", q("{not json")));
    assert_eq!(st, 400, "{v}");
    assert_eq!(v["errors"][0]["code"], "INVALID_FILTER", "{v}");
}

#[test]
fn root_and_admin_read_the_stats_and_a_member_gets_403() {
    let s = Server::start();
    let admin = s.user("a1", &["admin"]);
    let member = s.user("m1", &["member"]);
    let (st, v) = stats(&s, &admin, "window=day");
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"]["window"], "day");
    let (st, v) = stats(&s, &member, "window=day");
    assert_eq!(st, 403, "{v}");
    assert!(v["errors"][0]["message"].is_string(), "{v}");
}

/// Indicative cost of `executions:stats` over a store at the retention's default cap (100,000
/// executions spread over the last 22 hours, each with a 400-byte context): run by hand with
/// `cargo test --test executions_stats -- --ignored --nocapture` (debug build; prints, asserts little).
#[test]
#[ignore = "a timing harness over 100,000 executions (figures, asserts little): run by hand with -- --ignored --nocapture"]
fn measure_stats_over_100k_executions() {
    let s = Server::builder()
        .arg("--keep-executions")
        .arg("0")
        .arg("--keep-days")
        .arg("0")
        .start();
    s.app()
        .store
        .write(|c| {
            Ok(c.execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                 INSERT INTO executions (key, workflowId, context, status, sync, startedAt, createdAt, updatedAt)
                 SELECT CASE WHEN i % 10 = 0 THEN 'one' ELSE 'load' END, 1,
                        '{\"data\":{\"pad\":\"' || hex(randomblob(200)) || '\"}}', 1, 1, t, t, t
                 FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ((100000 - i) * 0.8) || ' seconds') AS t FROM n)",
            )?)
        })
        .unwrap();
    for (what, query) in [
        (
            "hour, overall (4,500 runs in the window)",
            "window=hour".to_string(),
        ),
        (
            "day, overall (100,000 runs in the window)",
            "window=day".to_string(),
        ),
        (
            "day, one key (10,000 runs)",
            format!("window=day&filter={}", q(r#"{"key":"one"}"#)),
        ),
    ] {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let d = stats_ok(&s, &query);
            best = best.min(t.elapsed());
            assert!(d["durations"]["count"].as_u64().unwrap() > 0);
        }
        println!("executions:stats {what}: best of 5 {best:?}");
    }
}
