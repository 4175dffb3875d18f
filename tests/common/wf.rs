//! Workflow helpers for the workflow test files (included with `#[path = "common/wf.rs"] mod wf;` next to
//! `mod common;`): building workflows and nodes over the API, running them, polling executions, and a tiny
//! local HTTP server for the `request` node.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::common::*;

/// `workflows:create` as root; must succeed. Returns the workflow.
pub fn create(s: &Server, body: Value) -> Value {
    s.ok("POST", "/api/workflows:create", Some(body))
}

/// An enabled global (`config.type` 0) workflow with `key`; returns its id.
pub fn global(s: &Server, key: &str, sync: bool) -> i64 {
    global_with(s, key, json!({ "sync": sync }))
}

/// Like [`global`], with extra `workflows:create` fields (`options`, `sync`, …).
pub fn global_with(s: &Server, key: &str, extra: Value) -> i64 {
    let mut body = json!({ "title": key, "type": "custom-action", "key": key, "enabled": true, "config": { "type": 0 } });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    create(s, body)["id"].as_i64().expect("workflow id")
}

/// `workflows/<wid>/nodes:create` as root; must succeed. Returns the node.
pub fn node(s: &Server, wid: i64, body: Value) -> Value {
    s.ok(
        "POST",
        &format!("/api/workflows/{wid}/nodes:create"),
        Some(body),
    )
}

/// The nodes of workflow `wid` (`workflows:get` with `appends=nodes`).
pub fn nodes_of(s: &Server, wid: i64) -> Value {
    s.ok(
        "GET",
        &format!("/api/workflows:get/{wid}?appends=nodes"),
        None,
    )["nodes"]
        .clone()
}

/// Creates `nodes` one after another (each after the previous, the first after `after` or as the head).
/// Returns their ids.
pub fn chain_after(s: &Server, wid: i64, after: Option<i64>, nodes: &[Value]) -> Vec<i64> {
    let mut prev = after;
    let mut ids = Vec::new();
    for n in nodes {
        let mut body = n.clone();
        if let Some(p) = prev {
            body["upstreamId"] = json!(p);
        }
        let id = node(s, wid, body)["id"].as_i64().expect("node id");
        ids.push(id);
        prev = Some(id);
    }
    ids
}

pub fn chain(s: &Server, wid: i64, nodes: &[Value]) -> Vec<i64> {
    chain_after(s, wid, None, nodes)
}

/// The head of branch `index` under `upstream`, then the rest of `nodes` after it. Returns their ids.
pub fn branch(s: &Server, wid: i64, upstream: i64, index: i64, nodes: &[Value]) -> Vec<i64> {
    let mut head = nodes[0].clone();
    head["upstreamId"] = json!(upstream);
    head["branchIndex"] = json!(index);
    let first = node(s, wid, head)["id"].as_i64().expect("node id");
    let mut ids = vec![first];
    ids.extend(chain_after(s, wid, Some(first), &nodes[1..]));
    ids
}

/// A math.js expression that passes node validation and fails every run with the syntax error of
/// `1 1` (`SyntaxError: Unexpected part "1" (char 3)`): node validation refuses `1 1` itself, and these
/// tests are about what a failing node does to its run.
pub const FAILS_AT_RUN: &str = "evaluate(\"1 1\")";

/// Writes `config` straight into node `id`'s row: a node stored before node validation refused such
/// configs (issue 13.5), which must keep loading and running as before. Call it before the workflow's
/// first run (a loaded version is cached).
pub fn store_config(s: &Server, id: i64, config: Value) {
    s.db()
        .execute(
            "UPDATE flow_nodes SET config = ?1 WHERE id = ?2",
            rusqlite::params![config.to_string(), id],
        )
        .expect("write a node's config behind the API");
}

/// [`flow`] with one calculation node whose math.js `expression` is stored behind the API (see
/// [`store_config`]), run once: (HTTP status, execution).
pub fn one_stored_calc(s: &Server, key: &str, expression: &str) -> (u16, Value) {
    let wid = global(s, key, true);
    let id = chain(s, wid, &[calc("bad", "1")])[0];
    store_config(
        s,
        id,
        json!({"engine": "math.js", "expression": expression}),
    );
    run(s, key)
}

/// A node config shorthand: `{"type": kind, "key": key, "config": config}`.
pub fn n(kind: &str, key: &str, config: Value) -> Value {
    json!({ "type": kind, "key": key, "config": config })
}

pub fn calc(key: &str, expression: &str) -> Value {
    n(
        "calculation",
        key,
        json!({ "engine": "math.js", "expression": expression }),
    )
}

pub fn request(key: &str, config: Value) -> Value {
    n("request", key, config)
}

pub fn delay(key: &str, duration: Value, unit: i64, end_status: i64) -> Value {
    n(
        "delay",
        key,
        json!({"duration":duration,"unit":unit,"endStatus":end_status}),
    )
}

/// Triggers async `key` and returns the queued execution id (checking the answer's shape).
pub fn enqueue(s: &Server, key: &str, body: Value) -> i64 {
    let (st, v) = trigger(s, key, body);
    assert_eq!(st, 200, "{v}");
    let ex = &v["data"]["executions"][0];
    assert_eq!(
        (&ex["workflowKey"], &ex["sync"], &ex["status"]),
        (&json!(key), &json!(false), &Value::Null),
        "{v}"
    );
    ex["id"].as_i64().expect("id")
}

/// `POST /api/workflows:trigger?triggerWorkflows=<keys>` as root.
pub fn trigger(s: &Server, keys: &str, body: Value) -> (u16, Value) {
    s.post(
        &s.root(),
        &format!("/api/workflows:trigger?triggerWorkflows={keys}"),
        body,
    )
}

/// The execution id a trigger answer names (success or error).
pub fn execution_id(v: &Value) -> i64 {
    v["data"]["executions"][0]["id"]
        .as_i64()
        .or_else(|| v["errors"][0]["executionId"].as_i64())
        .unwrap_or_else(|| panic!("no execution id in {v}"))
}

/// `executions:get/<id>?appends=jobs`.
pub fn execution(s: &Server, id: i64) -> Value {
    s.ok(
        "GET",
        &format!("/api/executions:get/{id}?appends=jobs"),
        None,
    )
}

/// Triggers the global workflow `key` with `body`; returns (HTTP status, execution with jobs).
pub fn run_with(s: &Server, key: &str, body: Value) -> (u16, Value) {
    let (st, v) = trigger(s, key, body);
    (st, execution(s, execution_id(&v)))
}

pub fn run(s: &Server, key: &str) -> (u16, Value) {
    run_with(s, key, json!({}))
}

/// An enabled sync global workflow `key` made of `nodes` (a chain); returns its id.
pub fn flow(s: &Server, key: &str, nodes: &[Value]) -> i64 {
    let wid = global(s, key, true);
    chain(s, wid, nodes);
    wid
}

/// [`flow`], run once: (HTTP status, execution).
pub fn one_shot(s: &Server, key: &str, nodes: &[Value]) -> (u16, Value) {
    flow(s, key, nodes);
    run(s, key)
}

/// `(nodeKey, status, result)` of each job, in id order.
pub fn jobs(e: &Value) -> Vec<(String, i64, Value)> {
    e["jobs"]
        .as_array()
        .unwrap_or_else(|| panic!("no jobs in {e}"))
        .iter()
        .map(|j| {
            (
                j["nodeKey"].as_str().unwrap_or("").to_string(),
                j["status"].as_i64().unwrap_or(99),
                j["result"].clone(),
            )
        })
        .collect()
}

/// The result of the latest job of node `key`.
pub fn result_of(e: &Value, key: &str) -> Value {
    jobs(e)
        .into_iter()
        .rev()
        .find(|(k, _, _)| k == key)
        .map(|(_, _, r)| r)
        .unwrap_or_else(|| panic!("no job {key} in {e}"))
}

/// Node keys of the jobs, in order.
pub fn job_keys(e: &Value) -> Vec<String> {
    jobs(e).into_iter().map(|(k, _, _)| k).collect()
}

/// Polls `executions:get` until the execution has a final status (not null, not 0).
pub fn wait_final(s: &Server, id: i64, timeout: Duration) -> Value {
    s.wait_for(timeout, || {
        let e = execution(s, id);
        e["status"].as_i64().filter(|st| *st != 0).map(|_| e)
    })
    .unwrap_or_else(|| panic!("execution {id} did not finish: {}", execution(s, id)))
}

/// A query-string value, percent-encoded.
pub fn q(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The executions of `key`, oldest first, with their jobs (a final status is not waited for).
pub fn runs_now(s: &Server, key: &str) -> Vec<Value> {
    let filter = q(&json!({ "key": key }).to_string());
    let (st, v) = s.get(
        &s.root(),
        &format!("/api/executions:list?filter={filter}&sort=id&appends=jobs&paginate=false"),
    );
    assert_eq!(st, 200, "{v}");
    v["data"].as_array().cloned().unwrap_or_default()
}

/// Epoch milliseconds of an ISO timestamp.
pub fn ms(iso: &Value) -> i64 {
    let t = iso.as_str().unwrap_or_else(|| panic!("not a time: {iso}"));
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap_or_else(|e| panic!("{t}: {e}"))
        .timestamp_millis()
}

/// The `(field, message)` pairs of a validation error body.
pub fn fields(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["message"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------- a local HTTP server

/// A request the local server received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path with query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 server on 127.0.0.1:0 in a thread, one thread per connection:
/// `/ok` → 200 `{"ok":true}`; `/fail` → 500 `{"error":"boom"}`; `/flaky?fails=N&…` → 503 for the first N
/// calls of that exact target, then 200 `{"flaky":true}`; `/status?code=C` → C; `/slow?ms=N` → waits N ms, then 200
/// `{"slow":true}`; `/gate` → 200 `{"gate":true}`, held while the gate is closed (see `close_gate`);
/// anything else → 200 with `{"method","target","body"}`. Every request is recorded on arrival.
pub struct Upstream {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    gate: Arc<Gate>,
}

/// The `/gate` endpoint's state: open, or closed after `free` more calls; `held` calls wait in it.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    closed: bool,
    free: usize,
    held: usize,
}

impl Gate {
    /// Passes at once, or waits (at most 60 s, so no test hangs on it) until the gate opens.
    fn pass(&self) {
        let mut st = self.state.lock().unwrap();
        if !st.closed {
            return;
        }
        if st.free > 0 {
            st.free -= 1;
            return;
        }
        st.held += 1;
        self.changed.notify_all();
        let (mut st, _) = self
            .changed
            .wait_timeout_while(st, Duration::from_secs(60), |st| st.closed)
            .unwrap();
        st.held -= 1;
    }
}

impl Upstream {
    pub fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind local server");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let gate = Arc::new(Gate::default());
        let (log, g) = (seen.clone(), gate.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, g) = (log.clone(), g.clone());
                std::thread::spawn(move || serve(stream, &log, &g));
            }
        });
        Upstream { base, seen, gate }
    }

    /// Closes `/gate` after `free` more calls: later calls are held until `open_gate`.
    pub fn close_gate(&self, free: usize) {
        let mut st = self.gate.state.lock().unwrap();
        st.closed = true;
        st.free = free;
    }

    pub fn open_gate(&self) {
        self.gate.state.lock().unwrap().closed = false;
        self.gate.changed.notify_all();
    }

    /// Waits until `n` calls are held at the closed gate; fails the test after 10 s.
    #[track_caller]
    pub fn wait_held(&self, n: usize) {
        let st = self.gate.state.lock().unwrap();
        let (st, _) = self
            .gate
            .changed
            .wait_timeout_while(st, Duration::from_secs(10), |st| st.held < n)
            .unwrap();
        assert!(
            st.held >= n,
            "{} calls held at the gate, expected {n}",
            st.held
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests had a target containing `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.target.contains(needle))
            .count()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>, gate: &Gate) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    let _ = reader.read_exact(&mut body);
    let body = String::from_utf8_lossy(&body).into_owned();
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        target: target.clone(),
        headers,
        body: body.clone(),
    });
    let (code, text) = if target.starts_with("/ok") {
        (200, json!({ "ok": true }))
    } else if let Some(q) = target.strip_prefix("/flaky?fails=") {
        // The first N calls of this exact target answer 503, later ones 200.
        let fails: usize = q
            .split('&')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let so_far = log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.target == target)
            .count();
        if so_far <= fails {
            (503, json!({ "error": "try later" }))
        } else {
            (200, json!({ "flaky": true }))
        }
    } else if let Some(q) = target.strip_prefix("/status?code=") {
        (q.parse().unwrap_or(500), json!({ "status": q }))
    } else if target.starts_with("/fail") {
        (500, json!({ "error": "boom" }))
    } else if target.starts_with("/gate") {
        gate.pass();
        (200, json!({ "gate": true }))
    } else if let Some(q) = target.strip_prefix("/slow?ms=") {
        let ms: u64 = q
            .split('&')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(1000);
        std::thread::sleep(Duration::from_millis(ms));
        (200, json!({ "slow": true }))
    } else {
        (
            200,
            json!({ "method": method, "target": target, "body": body }),
        )
    };
    let reason = match code {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let text = text.to_string();
    let answer = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let mut out = stream;
    let _ = out.write_all(answer.as_bytes());
    let _ = out.flush();
}
