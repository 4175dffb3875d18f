//! Workflow engine over the real server (workflows.md): management APIs, node types, sync and async
//! runs, cancel and destroy of executions, manual execution. Every workflow here has a global context
//! (`config.type` 0) and runs through `POST /api/workflows:trigger` or `workflows:execute`; cases that
//! need collections and records live in workflow_records.rs, restarts in workflow_queue.rs.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::{Duration, Instant};

use common::*;
use wf::*;

/// Percent-encodes a query value.
fn q(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn err(v: &Value) -> (String, String) {
    (code(v).to_string(), message(v).to_string())
}

fn pair(c: &str, m: &str) -> (String, String) {
    (c.to_string(), m.to_string())
}

fn field(f: &str, m: &str) -> (String, String) {
    (f.to_string(), m.to_string())
}

/// The node keys of a chain: the main chain (`parent` None) or branch `index` of `parent`.
fn chain_keys(nodes: &Value, parent: Option<i64>, index: Option<i64>) -> Vec<String> {
    let list = nodes.as_array().expect("nodes");
    let by_id = |id: i64| list.iter().find(|n| n["id"] == json!(id));
    let head = list.iter().find(|n| n["upstreamId"] == json!(parent) && n["branchIndex"] == json!(index));
    let mut out = Vec::new();
    let mut cur = head;
    let mut prev = parent;
    while let Some(n) = cur {
        assert_eq!(n["upstreamId"], json!(prev), "upstream link of {n}");
        out.push(n["key"].as_str().unwrap_or("").to_string());
        prev = n["id"].as_i64();
        cur = n["downstreamId"].as_i64().and_then(by_id);
        assert!(out.len() <= list.len(), "cycle in {nodes}");
    }
    out
}

fn nodes_of(s: &Server, wid: i64) -> Value {
    s.ok("GET", &format!("/api/workflows/{wid}/nodes:list"), None)
}

fn keys(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn ms(iso: &Value) -> i64 {
    let t = iso.as_str().unwrap_or_else(|| panic!("not a time: {iso}"));
    chrono::DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("{t}: {e}")).timestamp_millis()
}

// ------------------------------------------------------------------ workflows API (cases 1–5)

#[test]
fn workflow_create_validation_update_and_freeze() {
    let s = Server::start();
    let r = s.root();
    // 1 (global form; the type-1 form is in workflow_records.rs)
    let w = create(&s, json!({"title":"w","type":"custom-action","config":{"type":0,"extra":"kept"}}));
    let key = w["key"].as_str().expect("key");
    assert_eq!(key.len(), 11);
    assert!(key.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()), "{key}");
    assert_eq!(w["current"], json!(true));
    assert_eq!(w["enabled"], json!(false));
    assert_eq!(w["sync"], json!(false));
    assert_eq!(w["executed"], json!(0));
    assert_eq!(w["type"], json!("custom-action"));
    assert_eq!(w["title"], json!("w"));
    assert_eq!(w["config"], json!({"type":0,"extra":"kept"}));
    assert_eq!(w["options"], json!({"timeout":0,"stackLimit":1}));
    assert!(is_iso_ms(&w["createdAt"]) && is_iso_ms(&w["updatedAt"]), "{w}");
    let other = create(&s, json!({"title":"w2","type":"custom-action"}));
    assert_eq!(other["config"], json!({}));
    assert_ne!(other["key"], w["key"]);
    assert_eq!(other["id"].as_i64(), w["id"].as_i64().map(|i| i + 1));
    let got = s.ok("GET", &format!("/api/workflows:get/{}", w["id"]), None);
    assert_eq!(got["key"], w["key"]);
    assert_eq!(s.ok("GET", "/api/workflows:get/999", None), Value::Null);

    // 2: config problems, one entry per problem, with `field`
    let bad_config = |config: Value| {
        let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"x","type":"custom-action","config":config}));
        assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{config} → {v}");
        fields(&v)
    };
    assert_eq!(bad_config(json!({})), vec![field("type", "\"type\" is required")]);
    assert_eq!(bad_config(json!({"type":99})), vec![field("type", "\"type\" must be one of [0, 1, 2]")]);
    assert_eq!(bad_config(json!({"type":"1"})), vec![field("type", "\"type\" must be one of [0, 1, 2]")]);
    assert_eq!(bad_config(json!({"type":1})), vec![field("collection", "Collection is required for record-based context")]);
    assert_eq!(bad_config(json!({"type":2})), vec![field("collection", "Collection is required for record-based context")]);
    assert_eq!(
        bad_config(json!({"type":1,"collection":"nope"})),
        vec![field("collection", "Collection \"nope\" does not exist in data source \"main\"")]
    );
    assert_eq!(
        bad_config(json!({"type":1,"collection":"main:nope"})),
        vec![field("collection", "Collection \"nope\" does not exist in data source \"main\"")]
    );
    assert_eq!(bad_config(json!({"type":1,"collection":"other:posts"})), vec![field("collection", "Data source \"other\" does not exist")]);
    assert_eq!(
        bad_config(json!({"type":1,"collection":"a:b:c"})),
        vec![field("collection", "\"collection\" must be in the format \"dataSourceName:collectionName\"")]
    );
    assert_eq!(
        bad_config(json!({"type":99,"collection":"nope"})),
        vec![
            field("type", "\"type\" must be one of [0, 1, 2]"),
            field("collection", "Collection \"nope\" does not exist in data source \"main\"")
        ]
    );
    // users and other system tables are not collections a workflow can bind to
    assert_eq!(
        bad_config(json!({"type":1,"collection":"workflows"})),
        vec![field("collection", "Collection \"workflows\" does not exist in data source \"main\"")]
    );
    let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"x"}));
    assert_eq!((st, err(&v)), (400, pair("TRIGGER_TYPE_REQUIRED", "Trigger type is required")));
    let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"x","type":"schedule"}));
    assert_eq!((st, err(&v)), (400, pair("TRIGGER_TYPE_NOT_REGISTERED", "Trigger type \"schedule\" is not registered")));
    for bad in ["a b", "-a", "", "a/b", "ключ"] {
        let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"x","type":"custom-action","key":bad}));
        assert_eq!((st, err(&v)), (400, pair("INVALID_KEY", &format!("Workflow key \"{bad}\" is invalid"))), "{bad}");
    }
    let long = "k".repeat(256);
    let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"x","type":"custom-action","key":long}));
    assert_eq!((st, code(&v)), (400, "INVALID_KEY"));
    let w255 = create(&s, json!({"title":"x","type":"custom-action","key":"_".to_string() + &"k".repeat(254)}));
    assert_eq!(w255["key"].as_str().map(str::len), Some(255));
    let k1 = create(&s, json!({"title":"k1","type":"custom-action","key":"k1-A_9"}));
    assert_eq!(k1["key"], json!("k1-A_9"));
    let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"again","type":"custom-action","key":"k1-A_9"}));
    assert_eq!(
        (st, err(&v)),
        (400, pair("KEY_EXISTS", "Workflow key \"k1-A_9\" is already used; create a revision instead"))
    );
    // options
    for bad in [json!({"timeout":-1}), json!({"timeout":1.5}), json!({"timeout":"10"}), json!({"stackLimit":0}), json!("x")] {
        let (st, v) = s.post(&r, "/api/workflows:create", json!({"title":"x","type":"custom-action","options":bad}));
        assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "{bad} → {v}");
    }
    let wo = create(&s, json!({"title":"o","type":"custom-action","options":{"timeout":100,"other":true}}));
    assert_eq!(wo["options"], json!({"timeout":100,"stackLimit":1,"other":true}));
    // nothing was stored by the failed creates: the next id follows
    let next = create(&s, json!({"title":"n","type":"custom-action"}));
    assert_eq!(next["id"].as_i64(), wo["id"].as_i64().map(|i| i + 1));

    // 3: update
    let wid = w["id"].as_i64().expect("id");
    let up = |body: Value| s.post(&r, &format!("/api/workflows:update/{wid}"), body);
    let (st, v) = up(json!({"sync":true}));
    assert_eq!((st, err(&v)), (400, pair("FIELD_NOT_UPDATABLE", "Field \"sync\" can not be updated")));
    for (f, val) in [("key", json!("other")), ("type", json!("schedule")), ("executed", json!(3)), ("id", json!(999)), ("current", json!(null))] {
        let (st, v) = up(json!({ f: val }));
        assert_eq!((st, err(&v)), (400, pair("FIELD_NOT_UPDATABLE", &format!("Field \"{f}\" can not be updated"))), "{f}");
    }
    let (st, v) = up(json!({"title":"w-renamed","description":"d","sync":false,"key":key,"type":"custom-action","current":true,"executed":0,"id":wid}));
    assert_eq!(st, 200, "{v}");
    let arr = v["data"].as_array().expect("update answers an array");
    assert_eq!(arr.len(), 1);
    assert_eq!((arr[0]["id"].as_i64(), &arr[0]["title"], &arr[0]["description"]), (Some(wid), &json!("w-renamed"), &json!("d")));
    assert_eq!(arr[0]["sync"], json!(false));
    let (st, v) = up(json!({"config":{"type":7}}));
    assert_eq!((st, code(&v), fields(&v)), (400, "INVALID_CONFIG", vec![field("type", "\"type\" must be one of [0, 1, 2]")]));
    let (st, v) = up(json!({"options":{"stackLimit":0}}));
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"));
    let (st, v) = up(json!({"enabled":"yes"}));
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"));
    let (st, v) = up(json!({"config":{"type":0,"v":2},"options":{"timeout":5}}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"][0]["config"], json!({"type":0,"v":2}));
    assert_eq!(v["data"][0]["options"], json!({"timeout":5,"stackLimit":1}));
    let (st, v) = s.post(&r, "/api/workflows:update/999", json!({"title":"x"}));
    assert_eq!((st, err(&v)), (404, pair("WORKFLOW_NOT_FOUND", "workflow not found")));

    // 4: after one execution the config and the nodes are frozen, `enabled` is not
    let fid = global(&s, "frozen", true);
    let ids = chain(&s, fid, &[calc("a", "1 + 1")]);
    let (st, e) = run(&s, "frozen");
    assert_eq!((st, e["status"].as_i64()), (200, Some(1)));
    let fw = s.ok("GET", &format!("/api/workflows:get/{fid}"), None);
    assert_eq!(fw["executed"], json!(1));
    let (st, v) = s.post(&r, &format!("/api/workflows:update/{fid}"), json!({"config":{"type":0,"new":1}}));
    assert_eq!((st, err(&v)), (400, pair("CONFIG_LOCKED", "config of executed workflow can not be updated")));
    let (st, v) = s.post(&r, &format!("/api/workflows:update/{fid}"), json!({"config":{"type":0},"title":"same config is fine"}));
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.post(&r, &format!("/api/workflows:update/{fid}"), json!({"enabled":false}));
    assert_eq!((st, &v["data"][0]["enabled"]), (200, &json!(false)), "{v}");
    let (st, v) = s.post(&r, &format!("/api/workflows/{fid}/nodes:create"), calc("b", "2"));
    assert_eq!((st, err(&v)), (400, pair("WORKFLOW_EXECUTED", "Node could not be created in executed workflow")));
    let (st, v) = s.post(&r, &format!("/api/flow_nodes:update/{}", ids[0]), json!({"config":{"expression":"3"}}));
    assert_eq!((st, err(&v)), (400, pair("WORKFLOW_EXECUTED", "Nodes in executed workflow could not be reconfigured")));
    let (st, v) = s.post(&r, &format!("/api/flow_nodes:destroy/{}", ids[0]), json!({}));
    assert_eq!((st, err(&v)), (400, pair("WORKFLOW_EXECUTED", "Nodes in executed workflow could not be deleted")));
    assert_eq!(nodes_of(&s, fid).as_array().map(Vec::len), Some(1));
    // the disabled key is no longer triggered
    let (st, v) = trigger(&s, "frozen", json!({}));
    assert_eq!((st, code(&v), &v["errors"][0]["reason"]), (400, "WORKFLOW_NOT_MATCHED", &json!("DISABLED")));

    // members get 403 on every management API; admins manage
    let m = s.user("m1", &["member"]);
    let a = s.user("a1", &["admin"]);
    let exec_id = e["id"].as_i64().expect("execution id");
    let node_id = ids[0];
    let calls: Vec<(&str, String)> = vec![
        ("GET", "/api/workflows:list".into()),
        ("GET", format!("/api/workflows:get/{fid}")),
        ("POST", "/api/workflows:create".into()),
        ("POST", format!("/api/workflows:update/{fid}")),
        ("POST", format!("/api/workflows:destroy/{fid}")),
        ("POST", format!("/api/workflows:revision?filterByTk={fid}")),
        ("POST", format!("/api/workflows:execute?filterByTk={fid}")),
        ("POST", format!("/api/workflows/{fid}/nodes:create")),
        ("GET", format!("/api/workflows/{fid}/nodes:list")),
        ("GET", format!("/api/flow_nodes:get/{node_id}")),
        ("POST", format!("/api/flow_nodes:update/{node_id}")),
        ("POST", format!("/api/flow_nodes:destroy/{node_id}")),
        ("GET", "/api/executions:list".into()),
        ("GET", format!("/api/executions:get/{exec_id}")),
        ("POST", format!("/api/executions:cancel/{exec_id}")),
        ("POST", format!("/api/executions:destroy/{exec_id}")),
    ];
    for (method, path) in &calls {
        let (st, v) = s.call(&m, method, path, Some(json!({"title":"x","type":"custom-action"})));
        assert_eq!((st, err(&v)), (403, pair("NO_PERMISSIONS", "No permissions")), "member {method} {path}");
    }
    assert_eq!(nodes_of(&s, fid).as_array().map(Vec::len), Some(1));
    assert_eq!(execution(&s, exec_id)["id"], json!(exec_id));
    let (st, v) = s.post(&a, "/api/workflows:create", json!({"title":"by admin","type":"custom-action"}));
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.get(&a, &format!("/api/executions:get/{exec_id}"));
    assert_eq!((st, &v["data"]["status"]), (200, &json!(1)));
    // a member may still trigger a global workflow (trigger.md §8)
    s.ok("POST", &format!("/api/workflows:update/{fid}"), Some(json!({"enabled":true})));
    let (st, v) = s.post(&m, "/api/workflows:trigger?triggerWorkflows=frozen", json!({}));
    assert_eq!((st, &v["data"]["executions"][0]["status"]), (200, &json!(1)), "{v}");
}

#[test]
fn revisions_and_destroy() {
    let s = Server::start();
    let r = s.root();
    // 5: a revision under the same key
    let wid = global(&s, "rev", true);
    let first = chain(&s, wid, &[calc("n1", "1"), n("output", "n2", json!({"value":"{{$jobsMapByNodeKey.n1}}"}))]);
    let (_, e1) = run(&s, "rev");
    assert_eq!((e1["workflowId"].as_i64(), &e1["output"]), (Some(wid), &json!(1)));
    let path = format!("/api/workflows:revision?filterByTk={wid}&filter={}", q(r#"{"key":"rev"}"#));
    let (st, v) = s.post(&r, &path, json!({}));
    assert_eq!(st, 200, "{v}");
    let rev = v["data"].clone();
    let rid = rev["id"].as_i64().expect("revision id");
    assert_ne!(rid, wid);
    assert_eq!((&rev["key"], &rev["current"], &rev["enabled"], &rev["executed"]), (&json!("rev"), &Value::Null, &json!(false), &json!(0)));
    assert_eq!((&rev["title"], &rev["sync"], &rev["config"]), (&json!("rev"), &json!(true), &json!({"type":0})));
    let rev_nodes = nodes_of(&s, rid);
    assert_eq!(chain_keys(&rev_nodes, None, None), keys(&["n1", "n2"]));
    assert!(rev_nodes.as_array().into_iter().flatten().all(|n| n["workflowId"] == json!(rid) && !first.contains(&n["id"].as_i64().unwrap_or(0))));
    assert_eq!(rev_nodes[0]["config"], json!({"engine":"math.js","expression":"1"}));
    // the old version is still current and enabled; the key runs it
    let old = s.ok("GET", &format!("/api/workflows:get/{wid}"), None);
    assert_eq!((&old["current"], &old["enabled"]), (&json!(true), &json!(true)));
    // the revision is not executed: its nodes can change
    let n1 = rev_nodes.as_array().and_then(|a| a.iter().find(|n| n["key"] == json!("n1"))).expect("n1")["id"].clone();
    let (st, v) = s.post(&r, &format!("/api/flow_nodes:update/{n1}"), json!({"config":{"engine":"math.js","expression":"2"},"title":"two"}));
    assert_eq!((st, &v["data"][0]["title"], &v["data"][0]["config"]["expression"]), (200, &json!("two"), &json!("2")), "{v}");
    let (_, e) = run(&s, "rev");
    assert_eq!((e["workflowId"].as_i64(), &e["output"]), (Some(wid), &json!(1)));
    // enabling the revision switches the current version
    let (st, v) = s.post(&r, &format!("/api/workflows:update/{rid}"), json!({"enabled":true}));
    assert_eq!((st, &v["data"][0]["enabled"], &v["data"][0]["current"]), (200, &json!(true), &json!(true)), "{v}");
    let old = s.ok("GET", &format!("/api/workflows:get/{wid}"), None);
    assert_eq!((&old["current"], &old["enabled"]), (&Value::Null, &json!(false)));
    let (st, e) = run(&s, "rev");
    assert_eq!((st, e["workflowId"].as_i64(), &e["output"]), (200, Some(rid), &json!(2)));
    // executions keep their own version
    assert_eq!(execution(&s, e1["id"].as_i64().unwrap_or(0))["workflowId"].as_i64(), Some(wid));
    // a filter naming another key is refused
    let path = format!("/api/workflows:revision?filterByTk={wid}&filter={}", q(r#"{"key":"other"}"#));
    let (st, v) = s.post(&r, &path, json!({}));
    assert_eq!((st, code(&v)), (400, "INVALID_KEY"), "{v}");
    // `enabled` in the body makes the new revision current at once
    let path = format!("/api/workflows:revision?filterByTk={wid}&filter={}", q(r#"{"key":"rev"}"#));
    let (st, v) = s.post(&r, &path, json!({"enabled":true}));
    assert_eq!((st, &v["data"]["enabled"], &v["data"]["current"]), (200, &json!(true), &json!(true)), "{v}");
    let rid2 = v["data"]["id"].as_i64().expect("id");
    let prev = s.ok("GET", &format!("/api/workflows:get/{rid}"), None);
    assert_eq!((&prev["current"], &prev["enabled"]), (&Value::Null, &json!(false)));
    let (_, e) = run(&s, "rev");
    assert_eq!((e["workflowId"].as_i64(), &e["output"]), (Some(rid2), &json!(1)));

    // without a filter: a copy under a new key
    let (st, v) = s.post(&r, &format!("/api/workflows:revision?filterByTk={wid}"), json!({}));
    assert_eq!(st, 200, "{v}");
    let copy = v["data"].clone();
    let ck = copy["key"].as_str().expect("key");
    assert_eq!(ck.len(), 11);
    assert_ne!(ck, "rev");
    assert_eq!((&copy["title"], &copy["current"], &copy["enabled"]), (&json!("rev copy"), &json!(true), &json!(false)));
    assert_eq!(chain_keys(&nodes_of(&s, copy["id"].as_i64().unwrap_or(0)), None, None), keys(&["n1", "n2"]));
    let (st, v) = s.post(&r, &format!("/api/workflows:revision/{wid}"), json!({"title":"named"}));
    assert_eq!((st, &v["data"]["title"]), (200, &json!("named")), "{v}");
    let (st, v) = s.post(&r, "/api/workflows:revision?filterByTk=999", json!({}));
    assert_eq!((st, err(&v)), (404, pair("WORKFLOW_NOT_FOUND", "workflow not found")));

    // destroy: a version that is not current goes alone
    let (st, v) = s.post(&r, &format!("/api/workflows:destroy/{rid}"), json!({}));
    assert_eq!((st, &v["data"]), (200, &json!(1)));
    assert_eq!(s.ok("GET", &format!("/api/workflows:get/{wid}"), None)["key"], json!("rev"));
    // the current version takes every version of its key, nodes cascade, executions stay
    let (st, v) = s.post(&r, &format!("/api/workflows:destroy/{rid2}"), json!({}));
    assert_eq!((st, &v["data"]), (200, &json!(2)));
    for id in [wid, rid, rid2] {
        assert_eq!(s.ok("GET", &format!("/api/workflows:get/{id}"), None), Value::Null, "version {id}");
    }
    assert_eq!(s.ok("GET", &format!("/api/flow_nodes:get/{}", first[0]), None), Value::Null);
    let kept = execution(&s, e1["id"].as_i64().unwrap_or(0));
    assert_eq!((&kept["status"], jobs(&kept).len()), (&json!(1), 2));
    let (st, v) = trigger(&s, "rev", json!({}));
    assert_eq!((st, &v["errors"][0]["reason"]), (400, &json!("NOT_FOUND")));
    // the copy under its own key is untouched
    assert_eq!(s.ok("GET", &format!("/api/workflows:get/{}", copy["id"]), None)["key"], json!(ck));
    let (st, v) = s.post(&r, "/api/workflows:destroy/999", json!({}));
    assert_eq!((st, &v["data"]), (200, &json!(0)));
    let (st, v) = s.post(&r, "/api/workflows:destroy", json!({}));
    assert_eq!((st, err(&v)), (400, pair("MISSING_PARAMETER", "filterByTk is required")));
}

// ------------------------------------------------------------------ nodes API (cases 6–7)

#[test]
fn node_insertion_relinking_and_validation() {
    let s = Server::start();
    let r = s.root();
    // 6: A; B after A; C without upstream → C, A, B
    let wid = global(&s, "nodes", true);
    let a = node(&s, wid, calc("A", "1"));
    assert_eq!((&a["key"], &a["upstreamId"], &a["downstreamId"], &a["branchIndex"]), (&json!("A"), &Value::Null, &Value::Null, &Value::Null));
    let aid = a["id"].as_i64().expect("id");
    let b = node(&s, wid, json!({"type":"calculation","upstreamId":aid,"key":"B","title":"bee","config":{"expression":"2"}}));
    assert_eq!((&b["upstreamId"], &b["title"]), (&json!(aid), &json!("bee")));
    node(&s, wid, calc("C", "3"));
    assert_eq!(chain_keys(&nodes_of(&s, wid), None, None), keys(&["C", "A", "B"]));
    // D after A → A, D, B
    let d = node(&s, wid, json!({"type":"calculation","upstreamId":aid.to_string(),"key":"D","config":{"expression":"4"}}));
    assert_eq!(chain_keys(&nodes_of(&s, wid), None, None), keys(&["C", "A", "D", "B"]));
    let (st, v) = s.post(&r, &format!("/api/flow_nodes:destroy/{}", d["id"]), json!({}));
    assert_eq!((st, &v["data"]["key"]), (200, &json!("D")), "{v}");
    assert_eq!(chain_keys(&nodes_of(&s, wid), None, None), keys(&["C", "A", "B"]));
    // a random key when none is given
    let x = node(&s, wid, json!({"type":"calculation","upstreamId":b["id"],"config":{"expression":"5"}}));
    let xk = x["key"].as_str().expect("key");
    assert!(xk.len() == 11 && xk.bytes().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()), "{xk}");
    s.ok("POST", &format!("/api/flow_nodes:destroy/{}", x["id"]), None);
    // destroying the head makes its downstream the head
    let c = nodes_of(&s, wid).as_array().and_then(|l| l.iter().find(|n| n["key"] == json!("C")).cloned()).expect("C");
    s.ok("POST", &format!("/api/flow_nodes:destroy/{}", c["id"]), None);
    assert_eq!(chain_keys(&nodes_of(&s, wid), None, None), keys(&["A", "B"]));
    // (a run would freeze the workflow: runs below go through copies made by `workflows:revision`)
    let run_copy = || {
        let copy = s.ok("POST", &format!("/api/workflows:revision?filterByTk={wid}"), Some(json!({})));
        let ck = copy["key"].as_str().expect("key").to_string();
        s.ok("POST", &format!("/api/workflows:update/{}", copy["id"]), Some(json!({"enabled":true})));
        run(&s, &ck).1
    };
    let e = run_copy();
    assert_eq!(job_keys(&e), keys(&["A", "B"]));
    assert_eq!(jobs(&e)[1].2, json!(2));
    // the job of B names A's job as upstream
    assert_eq!(e["jobs"][1]["upstreamId"], e["jobs"][0]["id"]);

    // branches: X is a condition after B; T1 heads branch 1, then T0 becomes its head; F heads branch 0
    let bid = b["id"].as_i64().expect("id");
    let xn = node(&s, wid, json!({"type":"condition","key":"X","upstreamId":bid,"config":{"rejectOnFalse":false,"engine":"math.js","expression":"1 == 1"}}));
    let xid = xn["id"].as_i64().expect("id");
    chain_after(&s, wid, Some(xid), &[calc("Z", "'after'")]);
    let t1 = node(&s, wid, json!({"type":"calculation","key":"T1","upstreamId":xid,"branchIndex":1,"config":{"expression":"'t1'"}}));
    assert_eq!(t1["branchIndex"], json!(1));
    let t0 = node(&s, wid, json!({"type":"calculation","key":"T0","upstreamId":xid,"branchIndex":1,"config":{"expression":"'t0'"}}));
    chain_after(&s, wid, t1["id"].as_i64(), &[calc("T2", "'t2'")]);
    node(&s, wid, json!({"type":"calculation","key":"F","upstreamId":xid,"branchIndex":0,"config":{"expression":"'f'"}}));
    let all = nodes_of(&s, wid);
    assert_eq!(chain_keys(&all, None, None), keys(&["A", "B", "X", "Z"]));
    assert_eq!(chain_keys(&all, Some(xid), Some(1)), keys(&["T0", "T1", "T2"]));
    assert_eq!(chain_keys(&all, Some(xid), Some(0)), keys(&["F"]));
    let t1_after = all.as_array().and_then(|l| l.iter().find(|n| n["key"] == json!("T1")).cloned()).expect("T1");
    assert_eq!((&t1_after["upstreamId"], &t1_after["branchIndex"]), (&t0["id"], &Value::Null));
    let e = run_copy();
    assert_eq!(job_keys(&e), keys(&["A", "B", "X", "T0", "T1", "T2", "Z"]));
    // keepBranch=1 splices T0, T1, T2 into X's place; branch 0 goes
    let (st, v) = s.post(&r, &format!("/api/flow_nodes:destroy/{xid}?keepBranch=1"), json!({}));
    assert_eq!((st, &v["data"]["key"]), (200, &json!("X")), "{v}");
    let all = nodes_of(&s, wid);
    assert_eq!(chain_keys(&all, None, None), keys(&["A", "B", "T0", "T1", "T2", "Z"]));
    assert_eq!(all.as_array().map(Vec::len), Some(6), "{all}");
    assert!(all.as_array().into_iter().flatten().all(|n| n["branchIndex"].is_null()), "{all}");
    let e = run_copy();
    assert_eq!(job_keys(&e), keys(&["A", "B", "T0", "T1", "T2", "Z"]));
    // without keepBranch a branching node takes its branches along
    let t2 = all.as_array().and_then(|l| l.iter().find(|n| n["key"] == json!("T2")).cloned()).expect("T2");
    let p = node(&s, wid, json!({"type":"parallel","key":"P","upstreamId":t2["id"],"config":{"mode":"all"}}));
    let pid = p["id"].as_i64().expect("id");
    branch(&s, wid, pid, 0, &[calc("P0", "0"), calc("P0b", "0")]);
    branch(&s, wid, pid, 3, &[calc("P3", "3")]);
    assert_eq!(nodes_of(&s, wid).as_array().map(Vec::len), Some(10));
    s.ok("POST", &format!("/api/flow_nodes:destroy/{pid}"), None);
    let all = nodes_of(&s, wid);
    assert_eq!(chain_keys(&all, None, None), keys(&["A", "B", "T0", "T1", "T2", "Z"]));
    assert_eq!(all.as_array().map(Vec::len), Some(6));
    // keepBranch of a single-node branch placed at the head
    let h = node(&s, wid, json!({"type":"condition","key":"H","config":{"rejectOnFalse":false}}));
    branch(&s, wid, h["id"].as_i64().expect("id"), 0, &[calc("H0", "0")]);
    s.ok("POST", &format!("/api/flow_nodes:destroy/{}?keepBranch=0", h["id"]), None);
    assert_eq!(chain_keys(&nodes_of(&s, wid), None, None), keys(&["H0", "A", "B", "T0", "T1", "T2", "Z"]));

    // 7: validation
    let create_err = |body: Value| {
        let (st, v) = s.post(&r, &format!("/api/workflows/{wid}/nodes:create"), body.clone());
        assert_eq!(st, 400, "{body} → {v}");
        v
    };
    let v = create_err(json!({"type":"end","config":{"endStatus":99}}));
    assert_eq!((code(&v), fields(&v)), ("INVALID_NODE_CONFIG", vec![field("endStatus", "\"endStatus\" must be one of [1, -1]")]));
    let v = create_err(json!({"type":"query","config":{}}));
    assert_eq!((code(&v), fields(&v)), ("INVALID_NODE_CONFIG", vec![field("collection", "Collection is not configured")]));
    let v = create_err(json!({"type":"create"}));
    assert_eq!(fields(&v), vec![field("collection", "Collection is not configured")]);
    let v = create_err(json!({"type":"update","config":{"collection":"nope"}}));
    assert_eq!(fields(&v), vec![field("collection", "Collection \"nope\" does not exist in data source \"main\"")]);
    let v = create_err(json!({"type":"destroy","config":{"collection":"ds:posts"}}));
    assert_eq!(fields(&v), vec![field("collection", "Data source \"ds\" does not exist")]);
    let v = create_err(json!({"type":"nope"}));
    assert_eq!(err(&v), pair("NODE_TYPE_NOT_REGISTERED", "Node type \"nope\" is not registered"));
    let v = create_err(json!({"config":{}}));
    assert_eq!(err(&v), pair("NODE_TYPE_REQUIRED", "Node type is required"));
    let v = create_err(json!({"type":""}));
    assert_eq!(code(&v), "NODE_TYPE_REQUIRED");
    let v = create_err(json!({"type":"delay","config":{"endStatus":1}}));
    assert_eq!(err(&v), pair("DELAY_IN_SYNC_WORKFLOW", "Node type \"delay\" is not allowed in a sync workflow"));
    let v = create_err(json!({"type":"condition","config":{}}));
    assert_eq!(fields(&v), vec![field("rejectOnFalse", "\"rejectOnFalse\" is required")]);
    let v = create_err(json!({"type":"condition","config":{"rejectOnFalse":true,"engine":"lua"}}));
    assert_eq!(fields(&v), vec![field("engine", "\"engine\" must be one of [basic, math.js, formula.js]")]);
    let v = create_err(json!({"type":"calculation","config":{"engine":"basic"}}));
    assert_eq!(fields(&v), vec![field("engine", "\"engine\" must be one of [math.js, formula.js, string]")]);
    let v = create_err(json!({"type":"loop","config":{"exit":5}}));
    assert_eq!(fields(&v), vec![field("target", "\"target\" is required"), field("exit", "\"exit\" must be one of [0, 1, 2]")]);
    let v = create_err(json!({"type":"parallel","config":{"mode":"some"}}));
    assert_eq!(fields(&v), vec![field("mode", "\"mode\" must be one of [all, any, race, allSettled]")]);
    let v = create_err(json!({"type":"request","config":{"method":"FETCH"}}));
    assert_eq!(
        fields(&v),
        vec![field("url", "\"url\" is required"), field("method", "\"method\" must be one of [GET, POST, PUT, PATCH, DELETE]")]
    );
    let v = create_err(json!({"type":"multi-conditions","config":{"conditions":{}}}));
    assert_eq!(fields(&v), vec![field("conditions", "\"conditions\" must be an array")]);
    // branches the upstream lacks
    let cond = node(&s, wid, json!({"type":"condition","key":"K","config":{"rejectOnFalse":false}}));
    let kid = cond["id"].as_i64().expect("id");
    let v = create_err(json!({"type":"calculation","upstreamId":kid,"branchIndex":2}));
    assert_eq!(err(&v), pair("INVALID_UPSTREAM", "Node type \"condition\" has no branch 2"));
    let v = create_err(json!({"type":"calculation","branchIndex":0}));
    assert_eq!(err(&v), pair("INVALID_UPSTREAM", "branchIndex requires upstreamId"));
    let v = create_err(json!({"type":"calculation","upstreamId":aid,"branchIndex":0}));
    assert_eq!(err(&v), pair("INVALID_UPSTREAM", "Node type \"calculation\" has no branch 0"));
    let lp = node(&s, wid, json!({"type":"loop","key":"L","config":{"target":2}}));
    let v = create_err(json!({"type":"calculation","upstreamId":lp["id"],"branchIndex":1}));
    assert_eq!(err(&v), pair("INVALID_UPSTREAM", "Node type \"loop\" has no branch 1"));
    let mc = node(&s, wid, json!({"type":"multi-conditions","key":"M","config":{"conditions":[{"engine":"basic"},{"engine":"basic"}]}}));
    node(&s, wid, json!({"type":"calculation","upstreamId":mc["id"],"branchIndex":2}));
    let v = create_err(json!({"type":"calculation","upstreamId":mc["id"],"branchIndex":3}));
    assert_eq!(err(&v), pair("INVALID_UPSTREAM", "Node type \"multi-conditions\" has no branch 3"));
    let par = node(&s, wid, json!({"type":"parallel","key":"PP"}));
    node(&s, wid, json!({"type":"calculation","upstreamId":par["id"],"branchIndex":7}));
    let v = create_err(json!({"type":"calculation","upstreamId":par["id"],"branchIndex":-1}));
    assert_eq!(err(&v), pair("INVALID_UPSTREAM", "Node type \"parallel\" has no branch -1"));
    let other = global(&s, "other-wf", false);
    let (st, v) = s.post(&r, &format!("/api/workflows/{other}/nodes:create"), json!({"type":"calculation","upstreamId":aid}));
    assert_eq!((st, err(&v)), (400, pair("INVALID_UPSTREAM", &format!("Upstream node {aid} is not in this workflow"))));
    let (st, v) = s.post(&r, &format!("/api/workflows/{other}/nodes:create"), json!({"type":"calculation","upstreamId":99999}));
    assert_eq!((st, err(&v)), (400, pair("INVALID_UPSTREAM", "Upstream node 99999 is not in this workflow")));
    let (st, v) = s.post(&r, &format!("/api/workflows/{other}/nodes:create"), json!({"type":"delay","config":{"endStatus":0,"unit":7}}));
    assert_eq!(
        (st, code(&v), fields(&v)),
        (
            400,
            "INVALID_NODE_CONFIG",
            vec![
                field("endStatus", "\"endStatus\" must be one of [1, -1]"),
                field("unit", "\"unit\" must be one of [1, 1000, 60000, 3600000, 86400000, 604800000]")
            ]
        )
    );
    let delay = node(&s, other, json!({"type":"delay","key":"wait","config":{"endStatus":1,"duration":2}}));
    assert_eq!(delay["config"], json!({"endStatus":1,"duration":2}));
    let (st, v) = s.post(&r, "/api/workflows/999/nodes:create", calc("q", "1"));
    assert_eq!((st, err(&v)), (404, pair("WORKFLOW_NOT_FOUND", "workflow not found")));
    // nothing was created by the refused requests
    assert_eq!(nodes_of(&s, other).as_array().map(Vec::len), Some(1));

    // flow_nodes:update
    let upd = |id: &Value, body: Value| s.post(&r, &format!("/api/flow_nodes:update/{id}"), body);
    let (st, v) = upd(&a["id"], json!({"type":"end"}));
    assert_eq!((st, err(&v)), (400, pair("FIELD_NOT_UPDATABLE", "Field \"type\" can not be updated")));
    let (st, v) = upd(&a["id"], json!({"upstreamId":bid}));
    assert_eq!((st, err(&v)), (400, pair("FIELD_NOT_UPDATABLE", "Field \"upstreamId\" can not be updated")));
    let (st, v) = upd(&a["id"], json!({"branchIndex":0}));
    assert_eq!((st, err(&v)), (400, pair("FIELD_NOT_UPDATABLE", "Field \"branchIndex\" can not be updated")));
    let (st, v) = upd(&cond["id"], json!({"config":{"rejectOnFalse":"yes"}}));
    assert_eq!((st, code(&v), fields(&v)), (400, "INVALID_NODE_CONFIG", vec![field("rejectOnFalse", "\"rejectOnFalse\" is required")]));
    let (st, v) = upd(&a["id"], json!({"type":"calculation","branchIndex":null,"title":"A!","config":{"expression":"40 + 2"}}));
    assert_eq!(st, 200, "{v}");
    let arr = v["data"].as_array().expect("array");
    assert_eq!((arr.len(), &arr[0]["title"], &arr[0]["config"], &arr[0]["key"]), (1, &json!("A!"), &json!({"expression":"40 + 2"}), &json!("A")));
    let got = s.ok("GET", &format!("/api/flow_nodes:get/{}", a["id"]), None);
    assert_eq!((&got["title"], &got["workflowId"]), (&json!("A!"), &json!(wid)));
    let (st, v) = s.post(&r, "/api/flow_nodes:update/99999", json!({"title":"x"}));
    assert_eq!((st, err(&v)), (404, pair("NODE_NOT_FOUND", "node not found")));
    let (st, v) = s.post(&r, "/api/flow_nodes:destroy/99999", json!({}));
    assert_eq!((st, err(&v)), (404, pair("NODE_NOT_FOUND", "node not found")));
    assert_eq!(s.ok("GET", "/api/flow_nodes:get/99999", None), Value::Null);
}
