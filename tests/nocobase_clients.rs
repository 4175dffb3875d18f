//! What NocoBase's own clients call right after sign-in and on every page (issue 10), in the shapes a
//! NocoBase 2.2.15 server answers (recorded against the real server): `roles:check`,
//! `collections:listMeta`, `X-With-ACL-Meta`, association destroys, and `meta` on every paged list.
mod common;
use common::*;

fn with_samples(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "samples", "fields": [{"name": "title", "type": "string"}]})),
    );
}

fn grant(s: &Server, role: &str, actions: Value) {
    s.ok(
        "POST",
        &format!("/api/roles/{role}/resources:create"),
        Some(json!({"name": "samples", "usingActionsConfig": true, "actions": actions})),
    );
}

#[test]
fn roles_check_describes_the_current_role() {
    let s = Server::start();
    with_samples(&s);
    let (st, v) = s.get(&s.root(), "/api/roles:check");
    assert_eq!(st, 200, "{v}");
    let d = &v["data"];
    assert_eq!(
        (
            d["role"].as_str(),
            d["allowAll"].as_bool(),
            d["allowConfigure"].as_bool()
        ),
        (Some("root"), Some(true), Some(false))
    );
    assert_eq!(d["roles"], json!(["root"]));
    assert_eq!(d["strategy"], json!({}));
    assert_eq!(d["snippets"], json!(["pm", "pm.*", "ui.*"]));
    assert_eq!(
        d["availableActions"],
        json!([
            "create",
            "view",
            "update",
            "destroy",
            "trigger",
            "triggerNew"
        ])
    );
    assert_eq!(d["actionAlias"]["list"], "view");
    assert_eq!(
        (d["actions"].clone(), d["resources"].clone()),
        (json!({}), json!([]))
    );
    assert_eq!(v["meta"], json!({"dataSources": {}}));

    grant(
        &s,
        "member",
        json!([{"name": "view", "scope": "own"}, {"name": "create"}]),
    );
    let member = s.user("m1", &["member"]);
    let (st, v) = s.get(&member, "/api/roles:check");
    assert_eq!(st, 200, "{v}");
    let d = &v["data"];
    assert_eq!(
        (d["role"].as_str(), d["allowAll"].as_bool()),
        (Some("member"), Some(false))
    );
    assert_eq!(d["strategy"], json!({"actions": ["view:own"]}));
    assert_eq!(d["resources"], json!(["samples"]));
    assert_eq!(
        d["actions"],
        json!({
            "samples:view": {"own": true, "filter": {"createdById": "{{ ctx.state.currentUser.id }}"}},
            "samples:create": {},
        })
    );
    // Still an authenticated action: no token, no answer.
    let (st, v) = s.req("GET", "/api/roles:check").send();
    assert_eq!((st, code(&v)), (401, "EMPTY_TOKEN"));
}

#[test]
fn collection_definitions_are_readable_by_any_signed_in_caller() {
    let s = Server::start();
    with_samples(&s);
    let member = s.user("m1", &["member"]);
    let (st, v) = s.get(&member, "/api/collections:listMeta");
    assert_eq!(st, 200, "{v}");
    assert!(v.get("meta").is_none(), "listMeta is not paged: {v}");
    let samples = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "samples")
        .expect("samples listed")
        .clone();
    assert_eq!(
        (
            samples["filterTargetKey"].as_str(),
            samples["unavailableActions"].clone()
        ),
        (Some("id"), json!([]))
    );
    assert!(
        samples["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "title"),
        "{samples}"
    );
    let (st, v) = s.get(&member, "/api/collections:list");
    assert_eq!((st, v["meta"]["count"].as_i64()), (200, Some(1)), "{v}");
    // Changing them still needs the pm snippet.
    let (st, v) = s.post(&member, "/api/collections:create", json!({"name": "x"}));
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"));
    let (st, v) = s.post(&member, "/api/collections:destroy/samples", json!({}));
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"));
    assert!(s.table_exists("samples"));
}

#[test]
fn acl_meta_lists_the_rows_each_action_may_touch() {
    let s = Server::start();
    with_samples(&s);
    for t in ["r1", "r2"] {
        s.ok("POST", "/api/samples:create", Some(json!({"title": t})));
    }
    grant(
        &s,
        "member",
        json!([{"name": "view"}, {"name": "create"}, {"name": "update", "scope": "own"}]),
    );
    let member = s.user("m1", &["member"]);
    let (st, _) = s.post(&member, "/api/samples:create", json!({"title": "mine"}));
    assert_eq!(st, 200);

    let meta = |token: &str, path: &str| {
        let (st, v) = s
            .req("GET", path)
            .bearer(token)
            .header("X-With-ACL-Meta", "true")
            .send();
        assert_eq!(st, 200, "{v}");
        v
    };
    let v = meta(&s.root(), "/api/samples:list?sort=id");
    assert_eq!(
        v["meta"]["allowedActions"],
        json!({"view": [1, 2, 3], "update": [1, 2, 3], "destroy": [1, 2, 3]})
    );
    assert_eq!(v["meta"]["count"], 3, "the page meta stays: {v}");
    let v = meta(&member, "/api/samples:list?sort=-id");
    assert_eq!(
        v["meta"]["allowedActions"],
        json!({"view": [3, 2, 1], "update": [3], "destroy": []})
    );
    let v = meta(&member, "/api/samples:get/1");
    assert_eq!(v["data"]["title"], "r1");
    assert_eq!(
        v["meta"],
        json!({"allowedActions": {"view": [1], "update": [], "destroy": []}})
    );
    // Without the header, nothing is added.
    let (_, v) = s.get(&member, "/api/samples:get/1");
    assert!(v.get("meta").is_none(), "{v}");
    let (_, v) = s.get(&member, "/api/samples:list");
    assert!(v["meta"].get("allowedActions").is_none(), "{v}");
}

#[test]
fn paged_lists_carry_meta() {
    let s = Server::start();
    with_samples(&s);
    let w = s.ok(
        "POST",
        "/api/workflows:create",
        Some(json!({"type": "custom-action", "config": {"type": 0}, "sync": true})),
    );
    let wid = w["id"].as_i64().unwrap();
    for i in 0..3 {
        s.ok(
            "POST",
            &format!("/api/workflows/{wid}/nodes:create"),
            Some(json!({"type": "calculation", "title": format!("n{i}"), "config": {"engine": "formula.js", "expression": "1"}})),
        );
    }
    let (st, v) = s.get(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:list?pageSize=2"),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        v["meta"],
        json!({"count": 3, "page": 1, "pageSize": 2, "totalPage": 2})
    );
    assert_eq!(v["data"].as_array().map(Vec::len), Some(2));
    let (_, v) = s.get(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:list?paginate=false"),
    );
    assert_eq!(
        (v["data"].as_array().map(Vec::len), v.get("meta")),
        (Some(3), None)
    );

    grant(&s, "member", json!([{"name": "view"}]));
    let (_, v) = s.get(&s.root(), "/api/roles/member/resources:list");
    assert_eq!(
        v["meta"],
        json!({"count": 1, "page": 1, "pageSize": 20, "totalPage": 1})
    );
    assert_eq!(v["data"][0]["name"], "samples");

    let (st, _) = s.post(
        &s.root(),
        "/api/apiKeys:create",
        json!({"name": "k", "role": "root", "expiresIn": "1d"}),
    );
    assert_eq!(st, 200);
    let (_, v) = s.get(&s.root(), "/api/apiKeys:list");
    assert_eq!(
        v["meta"],
        json!({"count": 1, "page": 1, "pageSize": 20, "totalPage": 1})
    );
    let (st, v) = s.get(&s.root(), "/api/apiKeys:list?page=0");
    assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"));
}

/// A workflow with one node, run once through `workflows:trigger`; returns (workflow id, execution id).
fn run_once(s: &Server, config: Value) -> (i64, i64) {
    let w = s.ok("POST", "/api/workflows:create", Some(json!({"type": "custom-action", "title": "w", "config": config, "sync": true, "enabled": true})));
    let wid = w["id"].as_i64().unwrap();
    s.ok(
        "POST",
        &format!("/api/workflows/{wid}/nodes:create"),
        Some(json!({"type": "calculation", "title": "n1", "config": {"engine": "formula.js", "expression": "1+1"}})),
    );
    let key = w["key"].as_str().unwrap();
    let t = s.ok(
        "POST",
        &format!("/api/workflows:trigger?triggerWorkflows={key}"),
        Some(json!({})),
    );
    (
        wid,
        t["executions"][0]["id"].as_i64().expect("an execution"),
    )
}

/// Point 6: `fields`, `except` and `appends` on the system resources' `get` as on a collection, nested
/// paths included; `users:list` with `filter`, `sort` and `fields`.
#[test]
fn system_resources_shape_like_collections() {
    let s = Server::start();
    let (wid, eid) = run_once(&s, json!({"type": 0}));
    let e = s.ok(
        "GET",
        &format!("/api/executions:get?filterByTk={eid}&fields[]=id&fields[]=status"),
        None,
    );
    assert_eq!(e, json!({"id": eid, "status": 1}));
    let e = s.ok(
        "GET",
        &format!("/api/executions:get/{eid}?appends[]=jobs&except[]=jobs.result&except[]=context"),
        None,
    );
    assert!(e.get("context").is_none() && e["key"].is_string(), "{e}");
    let job = &e["jobs"][0];
    assert!(job.get("result").is_none() && job["status"] == 1, "{job}");
    let keys: Vec<&String> = job.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "executionId",
            "nodeId",
            "nodeKey",
            "upstreamId",
            "status",
            "meta",
            "createdAt",
            "updatedAt"
        ],
        "order kept"
    );
    let w = s.ok(
        "GET",
        &format!("/api/workflows:get?filterByTk={wid}&fields[]=id&fields[]=nodes.title"),
        None,
    );
    assert_eq!(w, json!({"id": wid, "nodes": [{"title": "n1"}]}));
    let w = s.ok(
        "GET",
        &format!("/api/workflows:get/{wid}?appends[]=nodes&except[]=config&except[]=nodes.config"),
        None,
    );
    assert!(
        w.get("config").is_none()
            && w["nodes"][0].get("config").is_none()
            && w["nodes"][0]["title"] == "n1",
        "{w}"
    );
    let n = s.ok(
        "GET",
        "/api/flow_nodes:get?filterByTk=1&appends[]=workflow&fields[]=id&fields[]=title",
        None,
    );
    assert_eq!(
        (
            n["title"].clone(),
            n["workflow"]["id"].clone(),
            n.as_object().unwrap().len()
        ),
        (json!("n1"), json!(wid), 3),
        "{n}"
    );
    let n = s.ok("GET", "/api/flow_nodes:get/1?except[]=config", None);
    assert!(n.get("config").is_none() && n["key"].is_string(), "{n}");
    for path in [
        format!("/api/executions:get/{eid}?appends[]=nope"),
        format!("/api/workflows:get/{wid}?appends[]=nope"),
        "/api/flow_nodes:get/1?appends[]=nope".to_string(),
        format!("/api/executions:get/{eid}?fields[]=nope"),
        format!("/api/executions:get/{eid}?except[]=jobs.nope"),
    ] {
        let (st, v) = s.get(&s.root(), &path);
        assert_eq!((st, code(&v)), (400, "UNKNOWN_FIELD"), "{path}: {v}");
    }
    let (st, v) = s.get(
        &s.root(),
        &format!("/api/workflows:get/{wid}?appends[]=title"),
    );
    assert_eq!((st, code(&v)), (400, "NOT_AN_ASSOCIATION"));

    s.user("m1", &["member"]);
    s.user("m2", &["member"]);
    let u = s.ok("GET", "/api/users:list?filter=%7B%22username%22:%22m1%22%7D&sort=-id&fields[]=id&fields[]=username", None);
    assert_eq!(u, json!([{"id": 2, "username": "m1"}]));
    let u = s.ok(
        "GET",
        "/api/users:list?sort=-id&fields[]=username&appends[]=roles",
        None,
    );
    assert_eq!(
        (
            u[0]["username"].clone(),
            u[0]["roles"][0]["name"].clone(),
            u[0].get("id")
        ),
        (json!("m2"), json!("member"), None)
    );
    let (st, v) = s.get(&s.root(), "/api/users:list?fields[]=password");
    assert_eq!((st, code(&v)), (400, "UNKNOWN_FIELD"));
}

/// Point 7: the parameter sets NocoBase's workflow pages send.
#[test]
fn the_workflow_pages_parameter_sets() {
    let s = Server::start();
    with_samples(&s);
    let (wid, eid) = run_once(&s, json!({"type": 0}));
    let w2 = s.ok("POST", "/api/workflows:create", Some(json!({"type": "custom-action", "config": {"type": 1, "collection": "samples"}, "enabled": true})));
    s.ok(
        "POST",
        "/api/workflows:create",
        Some(json!({"type": "custom-action", "config": {"type": 1, "collection": "samples"}})),
    );
    let filter = json!({"type": "custom-action", "enabled": true, "config.collection": "samples"})
        .to_string();
    let (st, v) = s.get(
        &s.root(),
        &format!("/api/workflows:list?filter={}&fields[]=id", enc(&filter)),
    );
    assert_eq!(
        (st, v["data"].clone()),
        (200, json!([{"id": w2["id"]}])),
        "{v}"
    );
    let filter = json!({"config.type": {"$in": [0]}}).to_string();
    let (_, v) = s.get(
        &s.root(),
        &format!("/api/workflows:list?filter={}&fields[]=id", enc(&filter)),
    );
    assert_eq!(v["data"], json!([{"id": wid}]));

    let v = s.ok("GET", &format!("/api/workflows:list?filter=%7B%22id%22:{wid}%7D&appends[]=stats&appends[]=versionStats"), None);
    let (stats, version) = (&v[0]["stats"], &v[0]["versionStats"]);
    assert_eq!(
        (
            stats["executed"].clone(),
            stats["key"].clone(),
            stats.get("id")
        ),
        (json!(1), v[0]["key"].clone(), None),
        "{stats}"
    );
    assert_eq!(
        (version["executed"].clone(), version["id"].clone()),
        (json!(1), json!(wid)),
        "{version}"
    );
    assert!(stats["createdAt"].is_string() && version["updatedAt"].is_string());
    let v = s.ok(
        "GET",
        "/api/workflows:list?sort=id&fields[]=versionStats.executed",
        None,
    );
    assert_eq!(
        v,
        json!([{"versionStats": {"executed": 1}}, {"versionStats": {"executed": 0}}, {"versionStats": {"executed": 0}}])
    );

    let (st, v) = s.get(&s.root(), "/api/executions:list?except[]=stack");
    assert_eq!((st, v["data"][0]["id"].clone()), (200, json!(eid)), "{v}");
    let e = s.ok(
        "GET",
        &format!("/api/executions:get?filterByTk={eid}&appends[]=jobs&appends[]=workflow&appends[]=workflow.nodes&except[]=jobs.result"),
        None,
    );
    assert_eq!(
        (
            e["workflow"]["id"].clone(),
            e["workflow"]["nodes"][0]["title"].clone()
        ),
        (json!(wid), json!("n1"))
    );
    assert!(
        e["jobs"][0].get("result").is_none() && e["jobs"][0]["nodeId"].is_i64(),
        "{e}"
    );
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Point 7, the workflow canvas (plugin-workflow's WorkflowPage): `workflows:get` by `filter` alone, with
/// `appends` `nodes`, `stats.executed`, `versionStats.executed`, `createdBy`, `updatedBy` — an append
/// ending in a column gives the association with that column — and the authors recorded per version.
#[test]
fn the_workflow_canvas_reads_a_workflow_as_nocobase_answers() {
    let s = Server::start();
    let (wid, _) = run_once(&s, json!({"type": 0}));
    let filter = enc(&json!({"id": wid}).to_string());
    let w = s.ok(
        "GET",
        &format!("/api/workflows:get?filter={filter}&appends[]=nodes&appends[]=stats.executed&appends[]=versionStats.executed&appends[]=createdBy&appends[]=updatedBy"),
        None,
    );
    assert_eq!(
        (w["id"].as_i64(), w["nodes"].as_array().map(Vec::len)),
        (Some(wid), Some(1)),
        "{w}"
    );
    assert_eq!(
        (w["stats"].clone(), w["versionStats"].clone()),
        (json!({"executed": 1}), json!({"executed": 1}))
    );
    assert_eq!(
        (w["createdById"].clone(), w["updatedById"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        (
            w["createdBy"]["username"].clone(),
            w["updatedBy"]["id"].clone()
        ),
        (json!("admin"), json!(1))
    );
    assert!(w["createdBy"].get("password").is_none(), "{w}");
    // filterByTk and filter together must both match; neither gives the first row.
    let nope = enc(&json!({"title": "nope"}).to_string());
    assert_eq!(
        s.ok(
            "GET",
            &format!("/api/workflows:get/{wid}?filter={nope}"),
            None
        ),
        Value::Null
    );
    assert_eq!(
        s.ok("GET", "/api/workflows:get?fields[]=id", None),
        json!({"id": wid})
    );

    // Another admin changes the version and makes a revision: updatedBy moves, createdBy stays; the
    // revision is the admin's.
    let admin = s.user("editor", &["admin"]);
    let editor = s.ok(
        "GET",
        "/api/users:list?filter=%7B%22username%22:%22editor%22%7D",
        None,
    )[0]["id"]
        .clone();
    let (st, v) = s.post(
        &admin,
        &format!("/api/workflows:update/{wid}"),
        json!({"title": "renamed"}),
    );
    assert_eq!(st, 200, "{v}");
    let w = s.ok(
        "GET",
        &format!(
            "/api/workflows:get/{wid}?appends[]=createdBy.username&appends[]=updatedBy.username"
        ),
        None,
    );
    assert_eq!(
        (w["createdBy"].clone(), w["updatedBy"].clone()),
        (json!({"username": "admin"}), json!({"username": "editor"}))
    );
    let (st, v) = s.post(&admin, &format!("/api/workflows:revision/{wid}"), json!({}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (
            v["data"]["createdById"].clone(),
            v["data"]["updatedById"].clone()
        ),
        (editor.clone(), editor)
    );
}
