//! `GET /metrics` (issue 16 point 4): Prometheus text that parses line by line, counters that move by the
//! exact amounts of known requests, triggers and executions, the queue and file gauges, and who may read it.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use wf::*;

/// `GET /metrics` with an optional token: (status, content type, body).
fn scrape_as(s: &Server, token: Option<&str>) -> (u16, String, String) {
    let mut r = s.req("GET", "/metrics");
    if let Some(t) = token {
        r = r.bearer(t);
    }
    let res = r.raw(b"");
    let ct = res.header("content-type").unwrap_or("").to_string();
    (res.status, ct, res.text)
}

/// Every series of a scrape by `name{labels}` (labels as written), after checking the whole text.
fn scrape(s: &Server) -> BTreeMap<String, f64> {
    let (status, ct, text) = scrape_as(s, Some(&s.root()));
    assert_eq!(status, 200, "{text}");
    assert_eq!(ct, "text/plain; version=0.0.4; charset=utf-8");
    parse(&text)
}

/// Parses the text format strictly: each line is `# HELP name text`, `# TYPE name kind` (before that
/// family's samples, once) or `name{label="value",…} number`, and every sample belongs to a typed family.
fn parse(text: &str) -> BTreeMap<String, f64> {
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (word, name, tail) = (parts.next(), parts.next(), parts.next());
            let name = name.unwrap_or_else(|| panic!("comment without a name: {line:?}"));
            assert!(valid_name(name), "bad metric name in {line:?}");
            match word {
                Some("HELP") => assert!(tail.is_some_and(|t| !t.is_empty()), "{line:?}"),
                Some("TYPE") => {
                    let kind = tail.unwrap_or("");
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "{line:?}"
                    );
                    assert!(
                        typed.insert(name.to_string(), kind.to_string()).is_none(),
                        "TYPE twice: {line:?}"
                    );
                }
                _ => panic!("unknown comment {line:?}"),
            }
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line:?}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line:?}"));
        let name = series.split('{').next().unwrap_or("");
        assert!(valid_name(name), "bad name: {line:?}");
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            check_labels(labels, line);
        }
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| {
                name.strip_suffix(s)
                    .filter(|f| typed.get(*f).map(String::as_str) == Some("histogram"))
            })
            .unwrap_or(name);
        assert!(
            typed.contains_key(family),
            "sample before its TYPE: {line:?}"
        );
        assert!(
            out.insert(series.to_string(), value).is_none(),
            "series twice: {line:?}"
        );
    }
    out
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `{a="x",b="y\"z"}`: names valid, values quoted with only `\\`, `\"` and `\n` escapes.
fn check_labels(labels: &str, line: &str) {
    let inner = labels
        .strip_prefix('{')
        .and_then(|l| l.strip_suffix('}'))
        .unwrap_or_else(|| panic!("labels not braced: {line:?}"));
    let mut rest = inner;
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once("=\"")
            .unwrap_or_else(|| panic!("label without a value: {line:?}"));
        assert!(valid_name(name), "bad label name {name:?} in {line:?}");
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => {
                    let escaped = chars.next().map(|(_, c)| c);
                    assert!(
                        matches!(escaped, Some('\\' | '"' | 'n')),
                        "bad escape in {line:?}"
                    );
                }
                Some((i, '"')) => break i,
                Some(_) => {}
                None => panic!("unterminated label value in {line:?}"),
            }
        };
        rest = &after[end + 1..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

/// `after[series] - before[series]` (a series absent before counts as 0).
fn moved(before: &BTreeMap<String, f64>, after: &BTreeMap<String, f64>, series: &str) -> f64 {
    after.get(series).copied().unwrap_or(0.0) - before.get(series).copied().unwrap_or(0.0)
}

#[test]
fn request_counters_and_histograms_move_by_the_exact_amounts() {
    let s = Server::start();
    let member = s.user("m_member", &["member"]);
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"m_items","fields":[{"name":"n","type":"integer"}]})),
    );
    let before = scrape(&s);
    for _ in 0..3 {
        s.ok("GET", "/api/workflows:list", None);
    }
    for n in 0..2 {
        s.ok("POST", "/api/m_items:create", Some(json!({ "n": n })));
    }
    let (st, _) = s.get(&member, "/api/workflows:list");
    assert_eq!(st, 403);
    let (st, _) = s.req("GET", "/api/workflows:list").send();
    assert_eq!(st, 401);
    let (st, _) = s.get(&s.root(), "/api/health");
    assert_eq!(st, 200);
    let after = scrape(&s);

    let wl = r#"resource="workflows",action="list""#;
    let cases = [
        (
            format!("flowgate_http_requests_total{{{wl},status=\"2xx\"}}"),
            3.0,
        ),
        (
            format!("flowgate_http_requests_total{{{wl},status=\"4xx\"}}"),
            1.0,
        ),
        (
            "flowgate_http_requests_total{resource=\"records\",action=\"create\",status=\"2xx\"}"
                .to_string(),
            2.0,
        ),
        // No token: refused before any route is known.
        (
            "flowgate_http_requests_total{resource=\"unrouted\",action=\"\",status=\"4xx\"}"
                .to_string(),
            1.0,
        ),
        (
            "flowgate_http_requests_total{resource=\"health\",action=\"check\",status=\"2xx\"}"
                .to_string(),
            1.0,
        ),
        (
            format!("flowgate_http_request_duration_seconds_count{{{wl}}}"),
            4.0,
        ),
        (
            format!("flowgate_http_request_duration_seconds_bucket{{{wl},le=\"+Inf\"}}"),
            4.0,
        ),
        (
            "flowgate_http_request_duration_seconds_count{resource=\"records\",action=\"create\"}"
                .to_string(),
            2.0,
        ),
    ];
    for (series, amount) in &cases {
        assert_eq!(moved(&before, &after, series), *amount, "{series}");
    }
    // The buckets are cumulative in the order of their bounds and end at the count.
    let prefix = format!("flowgate_http_request_duration_seconds_bucket{{{wl},le=\"");
    let mut buckets: Vec<(f64, f64)> = after
        .iter()
        .filter_map(|(k, v)| {
            let le = k.strip_prefix(&prefix)?.strip_suffix("\"}")?;
            let bound = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().ok()?
            };
            Some((bound, *v))
        })
        .collect();
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(buckets.len(), 15, "{buckets:?}");
    assert!(buckets.windows(2).all(|w| w[0].1 <= w[1].1), "{buckets:?}");
    assert_eq!(
        buckets.last().map(|b| b.1),
        after
            .get(&format!(
                "flowgate_http_request_duration_seconds_count{{{wl}}}"
            ))
            .copied()
    );
    assert!(after[&format!("flowgate_http_request_duration_seconds_sum{{{wl}}}")] > 0.0);
    // A scrape is not an /api request: two scrapes in a row move nothing.
    let again = scrape(&s);
    let api: Vec<&String> = again
        .keys()
        .filter(|k| {
            k.starts_with("flowgate_http_") && again[*k] != after.get(*k).copied().unwrap_or(0.0)
        })
        .collect();
    assert!(api.is_empty(), "{api:?}");
}

#[test]
fn trigger_and_execution_counters_move_by_the_exact_amounts() {
    let s = Server::start();
    flow(&s, "m_ok", &[calc("c", "1 + 1")]);
    flow(&s, "m_bad", &[calc("c", FAILS_AT_RUN)]);
    let wid = global(&s, "m_queued", false);
    chain(&s, wid, &[calc("c", "2")]);
    let before = scrape(&s);
    for _ in 0..2 {
        let (st, _) = run(&s, "m_ok");
        assert_eq!(st, 200);
    }
    let (st, _) = run(&s, "m_bad");
    assert_eq!(st, 500);
    let (st, v) = trigger(&s, "m_ok,m_missing", json!({}));
    assert_eq!(st, 200, "{v}");
    let id = enqueue(&s, "m_queued", json!({}));
    let e = wait_final(&s, id, Duration::from_secs(20));
    assert_eq!(e["status"], 1);
    let (st, _) = trigger(&s, "m_missing", json!({}));
    assert_eq!(st, 400);
    let after = scrape(&s);
    let cases = [
        (
            "flowgate_workflow_triggers_total{key=\"m_ok\",outcome=\"resolved\"}",
            3.0,
        ),
        (
            "flowgate_workflow_triggers_total{key=\"m_bad\",outcome=\"failed\"}",
            1.0,
        ),
        (
            "flowgate_workflow_triggers_total{key=\"m_queued\",outcome=\"queued\"}",
            1.0,
        ),
        (
            "flowgate_workflow_triggers_total{key=\"\",outcome=\"not_matched\"}",
            2.0,
        ),
        ("flowgate_executions_total{status=\"resolved\"}", 4.0),
        ("flowgate_executions_total{status=\"error\"}", 1.0),
        ("flowgate_executions_total{status=\"failed\"}", 0.0),
    ];
    for (series, amount) in cases {
        assert_eq!(moved(&before, &after, series), amount, "{series}");
    }
}

/// Every trigger type counts its runs: a data event's sync and async runs, a pre-action run.
#[test]
fn data_event_and_pre_action_runs_are_counted_as_triggers() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "m_items", "fields": [{"name": "title", "type": "string"}]})),
    );
    let bind = |key: &str, ty: &str, sync: bool, config: Value| {
        let w = create(
            &s,
            json!({"title": key, "key": key, "type": ty, "sync": sync, "enabled": true, "config": config}),
        );
        chain(&s, w["id"].as_i64().unwrap(), &[calc("c", "1")]);
    };
    bind(
        "m_created",
        "collection",
        false,
        json!({"collection": "m_items", "mode": 1}),
    );
    bind(
        "m_created_now",
        "collection",
        true,
        json!({"collection": "m_items", "mode": 1}),
    );
    bind(
        "m_before",
        "request-interception",
        true,
        json!({"collection": "m_items"}),
    );
    let before = scrape(&s);
    let (st, v) = s.post(
        &s.root(),
        "/api/m_items:create?triggerWorkflows=m_before",
        json!({"title": "a"}),
    );
    assert_eq!(st, 200, "{v}");
    let after = scrape(&s);
    let cases = [
        (
            "flowgate_workflow_triggers_total{key=\"m_created\",outcome=\"queued\"}",
            1.0,
        ),
        (
            "flowgate_workflow_triggers_total{key=\"m_created_now\",outcome=\"resolved\"}",
            1.0,
        ),
        (
            "flowgate_workflow_triggers_total{key=\"m_before\",outcome=\"resolved\"}",
            1.0,
        ),
    ];
    for (series, amount) in cases {
        assert_eq!(moved(&before, &after, series), amount, "{series}");
    }
}

#[test]
fn queue_and_file_gauges_read_the_store() {
    let s = Server::builder().arg("--worker").arg("off").start();
    let wid = global(&s, "m_waiting", false);
    chain(&s, wid, &[calc("c", "1")]);
    let m = scrape(&s);
    assert_eq!(
        (
            m["flowgate_queue_depth"],
            m["flowgate_queue_oldest_age_seconds"]
        ),
        (0.0, 0.0)
    );
    for _ in 0..2 {
        enqueue(&s, "m_waiting", json!({}));
    }
    let m = scrape(&s);
    assert_eq!(m["flowgate_queue_depth"], 2.0);
    let age = m["flowgate_queue_oldest_age_seconds"];
    assert!((0.0..60.0).contains(&age), "{age}");
    let db = std::fs::metadata(s.dir.join("flowgate.db")).unwrap().len() as f64;
    assert_eq!(m["flowgate_sqlite_file_bytes{file=\"db\"}"], db);
    assert!(m.contains_key("flowgate_sqlite_file_bytes{file=\"wal\"}"));
}

#[test]
fn metrics_are_for_root_and_admin_unless_public() {
    let s = Server::start();
    let admin = s.user("m_admin", &["admin"]);
    let member = s.user("m_member", &["member"]);
    for (token, status) in [
        (Some(s.root()), 200),
        (Some(admin.clone()), 200),
        (Some(member.clone()), 403),
        (None, 401),
        (Some("not-a-token".to_string()), 401),
    ] {
        let (st, ct, text) = scrape_as(&s, token.as_deref());
        assert_eq!(st, status, "{text}");
        if status != 200 {
            let v: Value = serde_json::from_str(&text).unwrap();
            assert!(v["errors"][0]["message"].is_string(), "{v}");
            assert!(ct.starts_with("application/json"), "{ct}");
        } else {
            parse(&text);
        }
    }
    let open = Server::builder().arg("--metrics-public").start();
    let (st, _, text) = scrape_as(&open, None);
    assert_eq!(st, 200, "{text}");
    assert!(parse(&text).contains_key("flowgate_queue_depth"));
}
