//! Operating on executions (issue 16 points 1 and 3): `executions:rerun` (a new execution of a finished
//! one, same context, on the version it ran or the current one, linked by `rerunOf`), NocoBase's
//! per-workflow `options.deleteExecutionOnStatus`, and the store-wide retention
//! (`serve --keep-executions N --keep-days D`) enforced by the housekeeping.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

fn rerun(s: &Server, token: &str, id: i64, extra: &str) -> (u16, Value) {
    s.post(
        token,
        &format!("/api/executions:rerun?filterByTk={id}{extra}"),
        json!({}),
    )
}

/// Every execution of `key` (id order) as `(id, status, rerunOf)`.
fn runs(s: &Server, key: &str) -> Vec<(i64, Value, Value)> {
    let filter = q(&json!({ "key": key }).to_string());
    let v = s.ok(
        "GET",
        &format!("/api/executions:list?filter={filter}&sort=id&paginate=false"),
        None,
    );
    v.as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap_or(0),
                e["status"].clone(),
                e["rerunOf"].clone(),
            )
        })
        .collect()
}

fn all_execution_ids(s: &Server) -> Vec<i64> {
    let v = s.ok("GET", "/api/executions:list?sort=id&paginate=false", None);
    v.as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect()
}

#[test]
fn a_finished_sync_run_is_run_again_with_its_context_and_linked_to_it() {
    let s = Server::start();
    flow(&s, "rr", &[calc("c", "{{$context.data.x}} * 2")]);
    let (st, first) = run_with(&s, "rr", json!({"x": 21}));
    assert_eq!((st, result_of(&first, "c")), (200, json!(42)), "{first}");
    let id = first["id"].as_i64().unwrap();

    let (st, v) = rerun(&s, &s.root(), id, "");
    assert_eq!(st, 200, "{v}");
    let again = &v["data"]["execution"];
    assert_eq!(
        (&again["status"], &again["rerunOf"], &again["workflowId"]),
        (&json!(1), &json!(id), &first["workflowId"]),
        "{v}"
    );
    let second = execution(&s, again["id"].as_i64().unwrap());
    assert_eq!(
        (
            &second["context"],
            &second["rerunOf"],
            result_of(&second, "c")
        ),
        (&first["context"], &json!(id), json!(42))
    );
    // The original is untouched: same row, same jobs.
    assert_eq!(execution(&s, id), first);
    assert_eq!(
        runs(&s, "rr"),
        [
            (id, json!(1), Value::Null),
            (second["id"].as_i64().unwrap(), json!(1), json!(id))
        ]
    );
}

#[test]
fn a_rerun_runs_on_the_version_it_ran_unless_asked_for_the_current_one() {
    let s = Server::start();
    let wid = flow(&s, "ver", &[calc("c", "{{$context.data.x}} * 2")]);
    let (_, first) = run_with(&s, "ver", json!({"x": 21}));
    let id = first["id"].as_i64().unwrap();
    // A new version, enabled (so current), whose node triples instead.
    let (st, v) = s.post(
        &s.root(),
        &format!(
            "/api/workflows:revision?filterByTk={wid}&filter={}",
            q(r#"{"key":"ver"}"#)
        ),
        json!({"enabled": true}),
    );
    assert_eq!(st, 200, "{v}");
    let rid = v["data"]["id"].as_i64().unwrap();
    let nodes = s.ok("GET", &format!("/api/workflows/{rid}/nodes:list"), None);
    let nid = nodes[0]["id"].as_i64().unwrap();
    s.ok(
        "POST",
        &format!("/api/flow_nodes:update?filterByTk={nid}"),
        Some(json!({"config": {"engine": "math.js", "expression": "{{$context.data.x}} * 3"}})),
    );

    let (st, v) = rerun(&s, &s.root(), id, "");
    assert_eq!(st, 200, "{v}");
    let on_old = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap());
    assert_eq!(
        (on_old["workflowId"].as_i64(), result_of(&on_old, "c")),
        (Some(wid), json!(42))
    );
    let (st, v) = rerun(&s, &s.root(), id, "&version=current");
    assert_eq!(st, 200, "{v}");
    let on_new = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap());
    assert_eq!(
        (on_new["workflowId"].as_i64(), result_of(&on_new, "c")),
        (Some(rid), json!(63))
    );
}

#[test]
fn a_queued_run_is_queued_again() {
    let s = Server::start();
    let wid = global(&s, "later", false);
    chain(&s, wid, &[calc("c", "{{$context.data.x}} + 1")]);
    let id = enqueue(&s, "later", json!({"x": 1}));
    wait_final(&s, id, Duration::from_secs(10));
    let (st, v) = rerun(&s, &s.root(), id, "");
    assert_eq!(st, 202, "{v}");
    let again = &v["data"]["execution"];
    assert_eq!(
        (&again["status"], &again["rerunOf"]),
        (&Value::Null, &json!(id)),
        "{v}"
    );
    let done = wait_final(&s, again["id"].as_i64().unwrap(), Duration::from_secs(10));
    assert_eq!(
        (&done["status"], result_of(&done, "c"), &done["rerunOf"]),
        (&json!(1), json!(2), &json!(id))
    );
}

#[test]
fn a_rerun_is_refused_with_a_precise_answer_and_runs_nothing() {
    let s = Server::start();
    flow(&s, "ok", &[calc("c", "1")]);
    let (_, done) = run(&s, "ok");
    let done_id = done["id"].as_i64().unwrap();
    // An execution still running: an async one waiting on a long delay.
    let wid = global(&s, "waits", false);
    chain(&s, wid, &[delay("d", json!(3600), 1000, 1)]);
    let waiting = enqueue(&s, "waits", json!({}));
    s.wait_for(Duration::from_secs(10), || {
        (execution(&s, waiting)["status"] == json!(0)).then_some(())
    })
    .expect("the delayed run starts");
    let before = all_execution_ids(&s);
    let member = s.user("m1", &["member"]);

    let cases: Vec<(String, &str, u16, &str)> = vec![
        (
            "/api/executions:rerun?filterByTk=999999".to_string(),
            "root",
            404,
            "EXECUTION_NOT_FOUND",
        ),
        (
            "/api/executions:rerun".to_string(),
            "root",
            400,
            "MISSING_PARAMETER",
        ),
        (
            format!("/api/executions:rerun?filterByTk={done_id}&version=latest"),
            "root",
            400,
            "INVALID_PARAMETER",
        ),
        (
            format!("/api/executions:rerun?filterByTk={waiting}"),
            "root",
            400,
            "EXECUTION_NOT_FINISHED",
        ),
        (
            format!("/api/executions:rerun?filterByTk={done_id}"),
            "member",
            403,
            "NO_PERMISSIONS",
        ),
        (
            format!("/api/executions:rerun?filterByTk={done_id}"),
            "anonymous",
            401,
            "",
        ),
    ];
    for (path, who, status, code) in cases {
        let token = match who {
            "root" => s.root(),
            "member" => member.clone(),
            _ => String::new(),
        };
        let (st, v) = s.post(&token, &path, json!({}));
        assert_eq!(st, status, "{path} as {who}: {v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{v}"
        );
        if !code.is_empty() {
            assert_eq!(v["errors"][0]["code"], json!(code), "{path}: {v}");
        }
    }
    let (_, v) = rerun(&s, &s.root(), waiting, "");
    let msg = v["errors"][0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("cancel it first"), "{msg}");

    // The version it ran is gone (destroying the current version deletes the key's versions).
    s.ok(
        "POST",
        &format!(
            "/api/workflows:destroy?filterByTk={}",
            done["workflowId"].as_i64().unwrap()
        ),
        None,
    );
    let (st, v) = rerun(&s, &s.root(), done_id, "");
    assert_eq!(
        (st, &v["errors"][0]["code"]),
        (404, &json!("WORKFLOW_NOT_FOUND")),
        "{v}"
    );
    assert!(v["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("version=current")));
    let (st, v) = rerun(&s, &s.root(), done_id, "&version=current");
    assert_eq!(
        (st, v["errors"][0]["message"].as_str()),
        (404, Some("workflow ok has no current version")),
        "{v}"
    );
    assert_eq!(
        all_execution_ids(&s),
        before,
        "no refused re-run made an execution"
    );
}

#[test]
fn delete_execution_on_status_deletes_a_finished_run_of_a_listed_status_only() {
    let s = Server::start();
    let wid = global_with(
        &s,
        "gone",
        json!({"sync": true, "options": {"deleteExecutionOnStatus": [1]}}),
    );
    chain(&s, wid, &[calc("c", "1")]);
    let (st, v) = trigger(&s, "gone", json!({}));
    assert_eq!(st, 200, "{v}");
    let id = execution_id(&v);
    // executions:get of a missing row answers `{"data": null}`, as NocoBase's get does.
    let gone = |id: i64| {
        s.get(&s.root(), &format!("/api/executions:get/{id}")) == (200, json!({"data": null}))
    };
    assert!(gone(id));
    assert!(runs(&s, "gone").is_empty());
    // Counted all the same (NocoBase's stats are counters, not a count of rows).
    let w = s.ok(
        "GET",
        &format!("/api/workflows:get?filterByTk={wid}&appends=stats&appends=versionStats"),
        None,
    );
    assert_eq!(
        (&w["stats"]["executed"], &w["versionStats"]["executed"]),
        (&json!(1), &json!(1)),
        "{w}"
    );

    // A failed run is kept when only RESOLVED is listed; an async one listed as FAILED/ERROR goes.
    let kept = global_with(
        &s,
        "kept",
        json!({"sync": true, "options": {"deleteExecutionOnStatus": [1]}}),
    );
    chain(&s, kept, &[calc("c", FAILS_AT_RUN)]);
    let (_, v) = trigger(&s, "kept", json!({}));
    assert_eq!(execution(&s, execution_id(&v))["status"], json!(-2));
    let later = global_with(
        &s,
        "later",
        json!({"sync": false, "options": {"deleteExecutionOnStatus": [-1, -2]}}),
    );
    chain(&s, later, &[calc("c", FAILS_AT_RUN)]);
    let queued = enqueue(&s, "later", json!({}));
    s.wait_for(Duration::from_secs(10), || gone(queued).then_some(()))
        .expect("the failed async run is deleted when it ends");
}

#[test]
fn delete_execution_on_status_must_be_a_list_of_statuses() {
    let s = Server::start();
    let before = s.rows("workflows");
    for bad in [json!("1"), json!([7]), json!(["x"]), json!({"a": 1})] {
        let (st, v) = s.post(
            &s.root(),
            "/api/workflows:create",
            json!({"type": "custom-action", "title": "t", "options": {"deleteExecutionOnStatus": bad}}),
        );
        assert_eq!(st, 400, "{bad}: {v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("options.deleteExecutionOnStatus")),
            "{v}"
        );
    }
    assert_eq!(s.rows("workflows"), before);
}

#[test]
fn the_store_keeps_the_newest_executions_up_to_the_cap_and_never_an_open_one() {
    let s = Server::builder().arg("--keep-executions").arg("3").start();
    let wid = global(&s, "waits", false);
    chain(&s, wid, &[delay("d", json!(3600), 1000, 1)]);
    let waiting = enqueue(&s, "waits", json!({}));
    flow(&s, "many", &[calc("c", "1")]);
    let ids: Vec<i64> = (0..8)
        .map(|_| run(&s, "many").1["id"].as_i64().unwrap())
        .collect();
    let kept = s
        .wait_for(Duration::from_secs(15), || {
            let now = all_execution_ids(&s);
            (now.len() == 4).then_some(now)
        })
        .unwrap_or_else(|| panic!("the cap is not enforced: {:?}", all_execution_ids(&s)));
    assert_eq!(kept, [&[waiting][..], &ids[5..]].concat());
}

#[test]
fn finished_executions_older_than_keep_days_go() {
    let s = Server::builder()
        .clock()
        .arg("--keep-days")
        .arg("1")
        .arg("--keep-executions")
        .arg("0")
        .start();
    flow(&s, "old", &[calc("c", "1")]);
    let old: Vec<i64> = (0..2)
        .map(|_| run(&s, "old").1["id"].as_i64().unwrap())
        .collect();
    s.advance_clock(Duration::from_secs(2 * 86_400));
    let fresh = run(&s, "old").1["id"].as_i64().unwrap();
    let kept = s
        .wait_for(Duration::from_secs(15), || {
            let now = all_execution_ids(&s);
            (now.len() == 1).then_some(now)
        })
        .unwrap_or_else(|| panic!("old runs {old:?} stay: {:?}", all_execution_ids(&s)));
    assert_eq!(kept, [fresh]);
}
