//! Failures keep their cause: a node whose SQL fails records SQLite's message as its job result (not only
//! "Internal Server Error"), the queue's log names the cause of an execution that failed to run, and a
//! stored node config that no longer parses fails its job with a message naming the node.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

fn posts(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"posts","fields":[{"name":"title","type":"string"}]})),
    );
}

/// A write the records layer does not map to an API error: a trigger added behind flowgate's back
/// aborts every insert into `posts`.
#[test]
fn a_failed_insert_names_the_sqlite_cause() {
    let s = Server::start();
    posts(&s);
    s.db()
        .execute_batch("CREATE TRIGGER posts_closed BEFORE INSERT ON posts BEGIN SELECT RAISE(ABORT, 'posts are closed'); END;")
        .expect("create trigger");
    let (st, e) = one_shot(
        &s,
        "add-post",
        &[n(
            "create",
            "add",
            json!({"collection":"posts","params":{"values":{"title":"t"}}}),
        )],
    );
    assert_eq!((st, &e["status"]), (500, &json!(-2)), "{e}");
    let (key, status, result) = jobs(&e).pop().expect("a job");
    assert_eq!((key.as_str(), status), ("add", -2), "{e}");
    let message = result["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("posts are closed"),
        "the job result names the cause: {result}"
    );
    assert_ne!(message, "Internal Server Error");
}

/// A constraint the records layer does map keeps its API message (unchanged behaviour).
#[test]
fn a_mapped_constraint_keeps_its_message() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tags","fields":[{"name":"name","type":"string","unique":true}]})),
    );
    s.ok("POST", "/api/tags:create", Some(json!({"name":"a"})));
    let (st, e) = one_shot(
        &s,
        "add-tag",
        &[n(
            "create",
            "add",
            json!({"collection":"tags","params":{"values":{"name":"a"}}}),
        )],
    );
    assert_eq!(st, 500, "{e}");
    assert_eq!(
        result_of(&e, "add"),
        json!({"message":"name must be unique"}),
        "{e}"
    );
}

/// A stored config written past the API's validation does not break the version: the node's job fails
/// and says which node and why.
#[test]
fn a_stored_config_that_no_longer_parses_fails_its_job() {
    let s = Server::start();
    let wid = flow(
        &s,
        "stale",
        &[
            calc("first", "1 + 1"),
            n("end", "stop", json!({"endStatus":1})),
        ],
    );
    let changed = s
        .db()
        .execute("UPDATE flow_nodes SET config = '{\"endStatus\":5,\"ui\":{}}' WHERE workflowId = ?1 AND key = 'stop'", [wid])
        .expect("update config");
    assert_eq!(changed, 1);
    let (st, e) = run(&s, "stale");
    assert_eq!((st, &e["status"]), (500, &json!(-2)), "{e}");
    assert_eq!(
        jobs(&e),
        vec![
            ("first".to_string(), 1, json!(2)),
            (
                "stop".to_string(),
                -2,
                json!({"message":"Node \"stop\" (end) has an invalid config: endStatus: \"endStatus\" must be one of [1, -1]"})
            ),
        ]
    );
    // The API still answers the stored JSON verbatim.
    let nodes = s.ok("GET", &format!("/api/workflows/{wid}/nodes:list"), None);
    let stop = nodes
        .as_array()
        .and_then(|a| a.iter().find(|n| n["key"] == "stop"))
        .cloned()
        .expect("stop node");
    assert_eq!(stop["config"], json!({"endStatus":5,"ui":{}}));
}

/// The worker can not save a run (its jobs table is gone): the log line says why.
#[test]
fn the_queue_log_names_why_an_execution_failed_to_run() {
    // The log is the process's stderr: a spawned server.
    let s = Server::builder().spawned().start();
    let wid = global(&s, "queued", false);
    chain(&s, wid, &[calc("a", "1")]);
    s.db().execute_batch("DROP TABLE jobs;").expect("drop jobs");
    let id = enqueue(&s, "queued", json!({}));
    let status = s.wait_for(Duration::from_secs(10), || {
        let st: Option<i64> = s
            .db()
            .query_row("SELECT status FROM executions WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .expect("execution row");
        st.filter(|st| *st != 0)
    });
    assert_eq!(status, Some(-2));
    let log = s.stderr_text();
    let line = log
        .lines()
        .find(|l| l.contains("execution failed to run"))
        .unwrap_or_else(|| panic!("no failure line in {log}"));
    assert!(
        line.contains("no such table: jobs"),
        "the line names the cause: {line}"
    );
}
