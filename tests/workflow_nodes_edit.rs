//! The node actions that reshape a version's graph — `flow_nodes:move`, `flow_nodes:duplicate` and
//! `flow_nodes:destroyBranch` (NocoBase's `actions/nodes.ts`) — over a real server: each happy path
//! checked by the resulting graph rendered as text, each refusal by its error and an unchanged graph.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use wf::*;

/// The nodes of `wid` by id.
fn by_id(s: &Server, wid: i64) -> BTreeMap<i64, Value> {
    nodes_of(s, wid)
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_i64().expect("id"), n.clone()))
        .collect()
}

/// The graph of `wid` as text: the main chain joined with ` > `, a node with branches followed by
/// `[i: chain | j: chain]` in branch order. Also asserts the links agree both ways and every node is
/// reached exactly once, so a rendering is a whole, sound graph.
fn render(s: &Server, wid: i64) -> String {
    let nodes = by_id(s, wid);
    for (id, n) in &nodes {
        if let Some(d) = n["downstreamId"].as_i64() {
            let dn = &nodes[&d];
            assert_eq!(
                (dn["upstreamId"].as_i64(), &dn["branchIndex"]),
                (Some(*id), &Value::Null),
                "downstream of {id} does not point back: {nodes:?}"
            );
        }
        if let (Some(u), Value::Null) = (n["upstreamId"].as_i64(), &n["branchIndex"]) {
            assert_eq!(
                nodes[&u]["downstreamId"].as_i64(),
                Some(*id),
                "upstream of {id}"
            );
        }
    }
    let heads: Vec<i64> = nodes
        .values()
        .filter(|n| n["upstreamId"].is_null())
        .map(|n| n["id"].as_i64().expect("id"))
        .collect();
    assert!(heads.len() <= 1, "more than one head: {heads:?}");
    let mut seen = BTreeSet::new();
    let text = heads
        .first()
        .map(|h| chain_text(&nodes, *h, &mut seen))
        .unwrap_or_default();
    assert_eq!(seen.len(), nodes.len(), "unreached nodes in {nodes:?}");
    text
}

fn chain_text(nodes: &BTreeMap<i64, Value>, head: i64, seen: &mut BTreeSet<i64>) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(head);
    while let Some(id) = cur {
        assert!(seen.insert(id), "node {id} reached twice");
        let n = &nodes[&id];
        let mut heads: Vec<(i64, i64)> = nodes
            .values()
            .filter(|b| b["upstreamId"].as_i64() == Some(id))
            .filter_map(|b| Some((b["branchIndex"].as_i64()?, b["id"].as_i64()?)))
            .collect();
        heads.sort();
        let mut text = n["key"].as_str().expect("key").to_string();
        if !heads.is_empty() {
            let branches: Vec<String> = heads
                .iter()
                .map(|(i, h)| format!("{i}: {}", chain_text(nodes, *h, seen)))
                .collect();
            text.push_str(&format!("[{}]", branches.join(" | ")));
        }
        parts.push(text);
        cur = n["downstreamId"].as_i64();
    }
    parts.join(" > ")
}

/// Everything stored about the nodes of `wid` but their times: what a refused action must leave as is.
fn stored(s: &Server, wid: i64) -> Vec<Value> {
    by_id(s, wid)
        .into_values()
        .map(|mut n| {
            let o = n.as_object_mut().expect("node");
            o.remove("updatedAt");
            n
        })
        .collect()
}

fn cond(key: &str) -> Value {
    n(
        "condition",
        key,
        json!({"rejectOnFalse":false,"engine":"math.js","expression":"1 == 1"}),
    )
}

fn par(key: &str) -> Value {
    n("parallel", key, json!({"mode":"allSettled"}))
}

/// `A > C[0: F | 1: T > T2] > B` in a new enabled sync workflow `key`; returns its id and the ids by key.
fn sample(s: &Server, key: &str) -> (i64, BTreeMap<&'static str, i64>) {
    let wid = global(s, key, true);
    let main = chain(s, wid, &[calc("A", "1"), cond("C"), calc("B", "2")]);
    let t = branch(s, wid, main[1], 1, &[calc("T", "3"), calc("T2", "4")]);
    let f = branch(s, wid, main[1], 0, &[calc("F", "5")]);
    let ids = BTreeMap::from([
        ("A", main[0]),
        ("C", main[1]),
        ("B", main[2]),
        ("T", t[0]),
        ("T2", t[1]),
        ("F", f[0]),
    ]);
    assert_eq!(render(s, wid), "A > C[0: F | 1: T > T2] > B");
    (wid, ids)
}

/// Makes the server load workflow `key` with its nodes into its workflow cache without running it (a
/// global workflow triggered as a record's is matched, then refused): a run after an edit then shows the
/// edit only if the edit dropped the cache.
fn load_into_cache(s: &Server, key: &str) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": format!("{key}_things"), "fields": [{"name": "title", "type": "string"}]})),
    );
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/{key}_things:trigger?triggerWorkflows={key}"),
        json!({"title": "t"}),
    );
    assert_eq!(
        (st, code(&v), &v["errors"][0]["reason"]),
        (400, "WORKFLOW_NOT_MATCHED", &json!("GLOBAL_CONTEXT")),
        "{v}"
    );
}

fn move_to(s: &Server, id: i64, values: Value) -> (u16, Value) {
    s.post(
        &s.root(),
        &format!("/api/flow_nodes:move/{id}"),
        json!(values),
    )
}

fn moved(s: &Server, id: i64, values: Value) -> Value {
    let (st, v) = move_to(s, id, values);
    assert_eq!(st, 200, "move {id} → {v}");
    v["data"].clone()
}

#[test]
fn a_moved_node_keeps_its_id_and_branches_and_the_workflow_runs_in_the_new_order() {
    let s = Server::start();
    let (wid, ids) = sample(&s, "mv_run");
    load_into_cache(&s, "mv_run");
    let before = by_id(&s, wid);
    let data = moved(&s, ids["C"], json!({"upstreamId": ids["B"]}));
    assert_eq!(
        (
            data["id"].as_i64(),
            data["key"].as_str(),
            data["upstreamId"].as_i64()
        ),
        (Some(ids["C"]), Some("C"), Some(ids["B"]))
    );
    assert_eq!(render(&s, wid), "A > B > C[0: F | 1: T > T2]");
    // same rows, same keys and configs: only links changed
    let after = by_id(&s, wid);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (id, n) in &after {
        assert_eq!(
            (&n["key"], &n["config"]),
            (&before[id]["key"], &before[id]["config"])
        );
    }
    let (st, e) = run(&s, "mv_run");
    assert_eq!(st, 200, "{e}");
    assert_eq!(job_keys(&e), ["A", "B", "C", "T", "T2"]);
}

#[test]
fn move_to_the_head_after_a_downstream_and_into_branches() {
    let s = Server::start();
    let (wid, ids) = sample(&s, "mv_places");
    // to the workflow's head: the old head follows it
    moved(&s, ids["B"], json!({"upstreamId": null}));
    assert_eq!(render(&s, wid), "B > A > C[0: F | 1: T > T2]");
    // right after its own downstream
    moved(&s, ids["B"], json!({"upstreamId": ids["A"]}));
    assert_eq!(render(&s, wid), "A > B > C[0: F | 1: T > T2]");
    // a branch head leaves: its downstream becomes the branch's head
    moved(&s, ids["T"], json!({"upstreamId": ids["B"]}));
    assert_eq!(render(&s, wid), "A > B > T > C[0: F | 1: T2]");
    // to the head of a branch: the old branch head follows it
    moved(
        &s,
        ids["A"],
        json!({"upstreamId": ids["C"], "branchIndex": 0}),
    );
    assert_eq!(render(&s, wid), "B > T > C[0: A > F | 1: T2]");
    // into an empty branch, the ids as strings (as a form sends them)
    moved(
        &s,
        ids["F"],
        json!({"upstreamId": ids["C"].to_string(), "branchIndex": 1}),
    );
    moved(&s, ids["T2"], json!({"upstreamId": ids["B"]}));
    assert_eq!(render(&s, wid), "B > T2 > T > C[0: A | 1: F]");
    moved(&s, ids["F"], json!({"upstreamId": ids["T"]}));
    assert_eq!(render(&s, wid), "B > T2 > T > F > C[0: A]");
    moved(&s, ids["A"], json!({"upstreamId": null}));
    assert_eq!(render(&s, wid), "A > B > T2 > T > F > C");
    moved(
        &s,
        ids["T"],
        json!({"upstreamId": ids["C"], "branchIndex": 1}),
    );
    assert_eq!(render(&s, wid), "A > B > T2 > F > C[1: T]");
}

#[test]
fn a_node_with_nested_branches_moves_whole() {
    let s = Server::start();
    let wid = global(&s, "mv_nested", true);
    let main = chain(&s, wid, &[calc("A", "1"), par("P"), calc("B", "2")]);
    let b0 = branch(&s, wid, main[1], 0, &[cond("C"), calc("X", "3")]);
    branch(&s, wid, b0[0], 1, &[calc("Y", "4")]);
    branch(&s, wid, main[1], 2, &[calc("Z", "5")]);
    assert_eq!(render(&s, wid), "A > P[0: C[1: Y] > X | 2: Z] > B");
    moved(&s, main[1], json!({"upstreamId": null}));
    assert_eq!(render(&s, wid), "P[0: C[1: Y] > X | 2: Z] > A > B");
    moved(&s, b0[0], json!({"upstreamId": main[2]}));
    assert_eq!(render(&s, wid), "P[0: X | 2: Z] > A > B > C[1: Y]");
    let (st, e) = run(&s, "mv_nested");
    assert_eq!(st, 200, "{e}");
    assert_eq!(job_keys(&e), ["P", "X", "Z", "A", "B", "C", "Y"]);
}

#[test]
fn refused_moves_name_the_problem_and_leave_the_graph_unchanged() {
    let s = Server::start();
    let (wid, ids) = sample(&s, "mv_bad");
    let (other, _) = sample(&s, "mv_other");
    let foreign = by_id(&s, other).into_keys().next().expect("a node");
    let snapshot = stored(&s, wid);
    let c = ids["C"];
    let cases: Vec<(i64, Value, u16, &str, String)> = vec![
        (
            c,
            json!({"upstreamId": ids["T2"]}),
            400,
            "INVALID_UPSTREAM",
            format!(
                "Node {} is in a branch of node {c}: a node cannot move into its own branch",
                ids["T2"]
            ),
        ),
        (
            c,
            json!({"upstreamId": ids["F"], "branchIndex": null}),
            400,
            "INVALID_UPSTREAM",
            format!(
                "Node {} is in a branch of node {c}: a node cannot move into its own branch",
                ids["F"]
            ),
        ),
        (
            c,
            json!({"upstreamId": c, "branchIndex": 0}),
            400,
            "INVALID_UPSTREAM",
            format!("Node {c} cannot be its own upstream"),
        ),
        (
            c,
            json!({"upstreamId": 999_999}),
            400,
            "INVALID_UPSTREAM",
            "Upstream node 999999 is not in this workflow".into(),
        ),
        (
            c,
            json!({"upstreamId": foreign}),
            400,
            "INVALID_UPSTREAM",
            format!("Upstream node {foreign} is not in this workflow"),
        ),
        (
            ids["A"],
            json!({"upstreamId": c, "branchIndex": 2}),
            400,
            "INVALID_UPSTREAM",
            "Node type \"condition\" has no branch 2".into(),
        ),
        (
            ids["A"],
            json!({"upstreamId": ids["B"], "branchIndex": 0}),
            400,
            "INVALID_UPSTREAM",
            "Node type \"calculation\" has no branch 0".into(),
        ),
        (
            ids["B"],
            json!({"branchIndex": 0}),
            400,
            "INVALID_UPSTREAM",
            "branchIndex requires upstreamId".into(),
        ),
        (
            ids["B"],
            json!({"upstreamId": c, "branchIndex": "first"}),
            400,
            "INVALID_VALUE",
            "Field \"branchIndex\" expects an integer".into(),
        ),
        (
            ids["B"],
            json!({"upstreamId": "x"}),
            400,
            "INVALID_VALUE",
            "Field \"upstreamId\" expects an id".into(),
        ),
        (
            ids["B"],
            json!({"upstreamId": c}),
            400,
            "INVALID_UPSTREAM",
            format!(
                "Node {} is already there: it does not need to be moved",
                ids["B"]
            ),
        ),
        (
            ids["T"],
            json!({"upstreamId": c, "branchIndex": 1}),
            400,
            "INVALID_UPSTREAM",
            format!(
                "Node {} is already there: it does not need to be moved",
                ids["T"]
            ),
        ),
        (
            ids["A"],
            json!({}),
            400,
            "INVALID_UPSTREAM",
            format!(
                "Node {} is already there: it does not need to be moved",
                ids["A"]
            ),
        ),
        (
            999_999,
            json!({"upstreamId": c}),
            404,
            "NODE_NOT_FOUND",
            "node not found".into(),
        ),
    ];
    for (id, values, status, code_, msg) in cases {
        let (st, v) = move_to(&s, id, values.clone());
        assert_eq!(
            (st, code(&v), message(&v)),
            (status, code_, msg.as_str()),
            "move {id} {values}"
        );
        assert_eq!(
            stored(&s, wid),
            snapshot,
            "move {id} {values} changed the graph"
        );
    }
    let (st, v) = s.post(&s.root(), "/api/flow_nodes:move", json!({"upstreamId": c}));
    assert_eq!((st, code(&v)), (400, "MISSING_PARAMETER"), "{v}");
    assert_eq!(stored(&s, wid), snapshot);
}

#[test]
fn the_graph_actions_are_refused_on_an_executed_version_and_to_members() {
    let s = Server::start();
    let (wid, ids) = sample(&s, "mv_frozen");
    let m = s.user("m1", &["member"]);
    let snapshot = stored(&s, wid);
    let calls = [
        format!("/api/flow_nodes:move/{}", ids["B"]),
        format!("/api/flow_nodes:duplicate/{}", ids["B"]),
        format!("/api/flow_nodes:destroyBranch/{}?branchIndex=1", ids["C"]),
    ];
    let body = json!({"upstreamId": ids["A"]});
    for path in &calls {
        let (st, v) = s.post(&m, path, body.clone());
        assert_eq!(
            (st, code(&v), message(&v)),
            (403, "NO_PERMISSIONS", "No permissions"),
            "member {path}"
        );
    }
    assert_eq!(stored(&s, wid), snapshot);
    let (st, e) = run(&s, "mv_frozen");
    assert_eq!(st, 200, "{e}");
    let snapshot = stored(&s, wid);
    let messages = [
        "Nodes in executed workflow could not be moved",
        "Node could not be created in executed workflow",
        "Branches in executed workflow could not be deleted",
    ];
    for (path, msg) in calls.iter().zip(messages) {
        let (st, v) = s.post(&s.root(), path, body.clone());
        assert_eq!(
            (st, code(&v), message(&v)),
            (400, "WORKFLOW_EXECUTED", msg),
            "{path}"
        );
    }
    assert_eq!(stored(&s, wid), snapshot);
}

fn duplicate(s: &Server, id: i64, values: Value) -> (u16, Value) {
    s.post(
        &s.root(),
        &format!("/api/flow_nodes:duplicate/{id}"),
        values,
    )
}

/// The key of node `id` in `wid`'s nodes.
fn key_of(s: &Server, wid: i64, id: i64) -> String {
    by_id(s, wid)[&id]["key"].as_str().expect("key").to_string()
}

#[test]
fn duplicate_copies_one_node_with_its_config_where_asked() {
    let s = Server::start();
    let (wid, ids) = sample(&s, "dup");
    load_into_cache(&s, "dup");
    s.ok(
        "POST",
        &format!("/api/flow_nodes:update/{}", ids["B"]),
        Some(json!({"title": "Bee"})),
    );
    let (st, v) = duplicate(&s, ids["B"], json!({"upstreamId": ids["A"]}));
    assert_eq!(st, 200, "{v}");
    let copy = &v["data"];
    let ckey = copy["key"].as_str().expect("key").to_string();
    assert_ne!(ckey, "B");
    let b = &by_id(&s, wid)[&ids["B"]];
    assert_eq!(
        (
            &copy["type"],
            &copy["title"],
            &copy["config"],
            copy["upstreamId"].as_i64()
        ),
        (&b["type"], &json!("Bee"), &b["config"], Some(ids["A"]))
    );
    assert_eq!(
        render(&s, wid),
        format!("A > {ckey} > C[0: F | 1: T > T2] > B")
    );
    // a branching node is copied without its branches; a sent config replaces the origin's
    let (st, v) = duplicate(
        &s,
        ids["C"],
        json!({"upstreamId": ids["C"], "branchIndex": 0, "config": {"rejectOnFalse": false, "engine": "math.js", "expression": "1 == 2"}}),
    );
    assert_eq!(st, 200, "{v}");
    let c2 = v["data"]["id"].as_i64().expect("id");
    let c2key = key_of(&s, wid, c2);
    assert_eq!(v["data"]["config"]["expression"], json!("1 == 2"));
    assert_eq!(
        render(&s, wid),
        format!("A > {ckey} > C[0: {c2key} > F | 1: T > T2] > B")
    );
    // no upstream: the new head
    let (st, v) = duplicate(&s, ids["T2"], json!({}));
    assert_eq!(st, 200, "{v}");
    let hkey = key_of(&s, wid, v["data"]["id"].as_i64().expect("id"));
    assert_eq!(
        render(&s, wid),
        format!("{hkey} > A > {ckey} > C[0: {c2key} > F | 1: T > T2] > B")
    );
    // the copies run
    let (st, e) = run(&s, "dup");
    assert_eq!(st, 200, "{e}");
    assert_eq!(
        job_keys(&e),
        [hkey.as_str(), "A", &ckey, "C", "T", "T2", "B"]
    );
    assert_eq!(result_of(&e, &ckey), result_of(&e, "B"));
}

#[test]
fn refused_duplicates_leave_the_graph_unchanged() {
    let s = Server::start();
    let (wid, ids) = sample(&s, "dup_bad");
    let snapshot = stored(&s, wid);
    let cases: Vec<(i64, Value, u16, &str, String)> = vec![
        (
            999_999,
            json!({}),
            404,
            "NODE_NOT_FOUND",
            "node not found".into(),
        ),
        (
            ids["B"],
            json!({"upstreamId": 999_999}),
            400,
            "INVALID_UPSTREAM",
            "Upstream node 999999 is not in this workflow".into(),
        ),
        (
            ids["B"],
            json!({"upstreamId": ids["C"], "branchIndex": 5}),
            400,
            "INVALID_UPSTREAM",
            "Node type \"condition\" has no branch 5".into(),
        ),
        (
            ids["B"],
            json!({"branchIndex": 1}),
            400,
            "INVALID_UPSTREAM",
            "branchIndex requires upstreamId".into(),
        ),
        (
            ids["B"],
            json!({"upstreamId": ids["A"], "config": {"engine": "nope"}}),
            400,
            "INVALID_NODE_CONFIG",
            String::new(),
        ),
    ];
    for (id, values, status, code_, msg) in cases {
        let (st, v) = duplicate(&s, id, values.clone());
        assert_eq!(
            (st, code(&v)),
            (status, code_),
            "duplicate {id} {values}: {v}"
        );
        if !msg.is_empty() {
            assert_eq!(message(&v), msg, "duplicate {id} {values}");
        }
        assert_eq!(
            stored(&s, wid),
            snapshot,
            "duplicate {id} {values} changed the graph"
        );
    }
}

fn destroy_branch(s: &Server, id: i64, query: &str) -> (u16, Value) {
    s.post(
        &s.root(),
        &format!("/api/flow_nodes:destroyBranch/{id}?{query}"),
        json!({}),
    )
}

/// `A > P[0: X | 1: C[1: Y] > Z | 2: W] > B`: a parallel node with three branches, the middle one nested.
fn parallel_sample(s: &Server, key: &str) -> (i64, BTreeMap<&'static str, i64>) {
    let wid = global(s, key, true);
    let main = chain(s, wid, &[calc("A", "1"), par("P"), calc("B", "2")]);
    let x = branch(s, wid, main[1], 0, &[calc("X", "3")]);
    let b1 = branch(s, wid, main[1], 1, &[cond("C"), calc("Z", "4")]);
    let y = branch(s, wid, b1[0], 1, &[calc("Y", "5")]);
    let w = branch(s, wid, main[1], 2, &[calc("W", "6")]);
    assert_eq!(render(s, wid), "A > P[0: X | 1: C[1: Y] > Z | 2: W] > B");
    let ids = BTreeMap::from([
        ("A", main[0]),
        ("P", main[1]),
        ("B", main[2]),
        ("X", x[0]),
        ("C", b1[0]),
        ("Z", b1[1]),
        ("Y", y[0]),
        ("W", w[0]),
    ]);
    (wid, ids)
}

#[test]
fn destroy_branch_deletes_the_branch_with_everything_in_it() {
    let s = Server::start();
    let (wid, ids) = parallel_sample(&s, "db");
    load_into_cache(&s, "db");
    let rows = s.rows("flow_nodes");
    let (st, v) = destroy_branch(&s, ids["P"], "branchIndex=1");
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["data"]["id"].as_i64(), v["data"]["key"].as_str()),
        (Some(ids["C"]), Some("C"))
    );
    assert_eq!(render(&s, wid), "A > P[0: X | 2: W] > B");
    assert_eq!(s.rows("flow_nodes"), rows - 3);
    // an empty branch: nothing deleted, data null
    let (st, v) = destroy_branch(&s, ids["P"], "branchIndex=1");
    assert_eq!((st, &v["data"]), (200, &Value::Null), "{v}");
    assert_eq!(render(&s, wid), "A > P[0: X | 2: W] > B");
    // shift=1: the later branches move down one index (2 → 1)
    let (st, v) = destroy_branch(&s, ids["P"], "branchIndex=0&shift=1");
    assert_eq!(st, 200, "{v}");
    assert_eq!(render(&s, wid), "A > P[1: W] > B");
    let (st, e) = run(&s, "db");
    assert_eq!(st, 200, "{e}");
    assert_eq!(job_keys(&e), ["A", "P", "W", "B"]);
}

#[test]
fn refused_branch_deletions_leave_the_graph_unchanged() {
    let s = Server::start();
    let (wid, ids) = parallel_sample(&s, "db_bad");
    let snapshot = stored(&s, wid);
    let cases: Vec<(i64, &str, u16, &str, &str)> = vec![
        (
            ids["P"],
            "",
            400,
            "MISSING_PARAMETER",
            "branchIndex is required",
        ),
        (
            ids["P"],
            "branchIndex=one",
            400,
            "INVALID_PARAMETER",
            "Invalid parameter \"branchIndex\": must be an integer",
        ),
        (
            ids["P"],
            "branchIndex=1&shift=yes",
            400,
            "INVALID_PARAMETER",
            "Invalid parameter \"shift\": must be 1 or 0",
        ),
        (
            ids["C"],
            "branchIndex=2",
            400,
            "INVALID_UPSTREAM",
            "Node type \"condition\" has no branch 2",
        ),
        (
            ids["A"],
            "branchIndex=0",
            400,
            "INVALID_UPSTREAM",
            "Node type \"calculation\" has no branch 0",
        ),
        (
            ids["P"],
            "branchIndex=-1",
            400,
            "INVALID_UPSTREAM",
            "Node type \"parallel\" has no branch -1",
        ),
        (
            999_999,
            "branchIndex=0",
            404,
            "NODE_NOT_FOUND",
            "node not found",
        ),
    ];
    for (id, query, status, code_, msg) in cases {
        let (st, v) = destroy_branch(&s, id, query);
        assert_eq!(
            (st, code(&v), message(&v)),
            (status, code_, msg),
            "destroyBranch {id}?{query}"
        );
        assert_eq!(
            stored(&s, wid),
            snapshot,
            "destroyBranch {id}?{query} changed the graph"
        );
    }
}

fn test_node(s: &Server, token: &str, values: Value) -> (u16, Value) {
    s.post(token, "/api/flow_nodes:test", values)
}

#[test]
fn test_runs_a_calculation_or_condition_config_alone() {
    let s = Server::start();
    let r = s.root();
    let ok = |values: Value| -> Value {
        let (st, v) = test_node(&s, &r, values.clone());
        assert_eq!(st, 200, "{values} → {v}");
        v["data"].clone()
    };
    assert_eq!(
        ok(json!({"type":"calculation","config":{"engine":"math.js","expression":"1 + 2 * 3"}})),
        json!({"result": 7, "status": 1})
    );
    assert_eq!(
        ok(json!({"type":"calculation","config":{"engine":"formula.js","expression":"SUM(1, 2)"}})),
        json!({"result": 3, "status": 1})
    );
    assert_eq!(
        ok(json!({"type":"calculation","config":{"engine":"string","expression":"ab"}})),
        json!({"result": "ab", "status": 1})
    );
    // what a run's job would hold when the expression fails: status -2 with the error text
    let failed = ok(json!({"type":"calculation","config":{"expression": FAILS_AT_RUN}}));
    assert_eq!(failed["status"], json!(-2));
    assert!(
        failed["result"]
            .as_str()
            .is_some_and(|t| t.contains("SyntaxError")),
        "{failed}"
    );
    assert_eq!(
        ok(
            json!({"type":"condition","config":{"rejectOnFalse":false,"engine":"math.js","expression":"1 == 2"}})
        ),
        json!({"result": false, "status": 1})
    );
    let basic =
        json!({"group":{"type":"and","calculations":[{"calculator":"equal","operands":[1, 1]}]}});
    assert_eq!(
        ok(json!({"type":"condition","config":{"rejectOnFalse":false,"calculation": basic}})),
        json!({"result": true, "status": 1})
    );
    // refusals
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (json!({"config":{}}), 400, "NODE_TYPE_REQUIRED", "Node type is required"),
        (
            json!({"type":"nope"}),
            400,
            "NODE_TYPE_NOT_REGISTERED",
            "Node type \"nope\" is not registered",
        ),
        (
            json!({"type":"query","config":{"collection":"users"}}),
            400,
            "INVALID_VALUE",
            "test method of instruction \"query\" not implemented: only calculation and condition nodes can be tested",
        ),
    ];
    for (values, status, code_, msg) in cases {
        let (st, v) = test_node(&s, &r, values.clone());
        assert_eq!(
            (st, code(&v), message(&v)),
            (status, code_, msg),
            "{values}"
        );
    }
    let (st, v) = test_node(
        &s,
        &r,
        json!({"type":"calculation","config":{"engine":"lua","expression":"1"}}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_NODE_CONFIG"), "{v}");
    let m = s.user("m1", &["member"]);
    let (st, v) = test_node(
        &s,
        &m,
        json!({"type":"calculation","config":{"expression":"1"}}),
    );
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{v}");
}
