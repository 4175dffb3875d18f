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
    assert_eq!((d["role"].as_str(), d["allowAll"].as_bool(), d["allowConfigure"].as_bool()), (Some("root"), Some(true), Some(false)));
    assert_eq!(d["roles"], json!(["root"]));
    assert_eq!(d["strategy"], json!({}));
    assert_eq!(d["snippets"], json!(["pm", "pm.*", "ui.*"]));
    assert_eq!(d["availableActions"], json!(["create", "view", "update", "destroy", "trigger", "triggerNew"]));
    assert_eq!(d["actionAlias"]["list"], "view");
    assert_eq!((d["actions"].clone(), d["resources"].clone()), (json!({}), json!([])));
    assert_eq!(v["meta"], json!({"dataSources": {}}));

    grant(&s, "member", json!([{"name": "view", "scope": "own"}, {"name": "create"}]));
    let member = s.user("m1", &["member"]);
    let (st, v) = s.get(&member, "/api/roles:check");
    assert_eq!(st, 200, "{v}");
    let d = &v["data"];
    assert_eq!((d["role"].as_str(), d["allowAll"].as_bool()), (Some("member"), Some(false)));
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
    let samples = v["data"].as_array().unwrap().iter().find(|c| c["name"] == "samples").expect("samples listed").clone();
    assert_eq!((samples["filterTargetKey"].as_str(), samples["unavailableActions"].clone()), (Some("id"), json!([])));
    assert!(samples["fields"].as_array().unwrap().iter().any(|f| f["name"] == "title"), "{samples}");
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
    grant(&s, "member", json!([{"name": "view"}, {"name": "create"}, {"name": "update", "scope": "own"}]));
    let member = s.user("m1", &["member"]);
    let (st, _) = s.post(&member, "/api/samples:create", json!({"title": "mine"}));
    assert_eq!(st, 200);

    let meta = |token: &str, path: &str| {
        let (st, v) = s.req("GET", path).bearer(token).header("X-With-ACL-Meta", "true").send();
        assert_eq!(st, 200, "{v}");
        v
    };
    let v = meta(&s.root(), "/api/samples:list?sort=id");
    assert_eq!(v["meta"]["allowedActions"], json!({"view": [1, 2, 3], "update": [1, 2, 3], "destroy": [1, 2, 3]}));
    assert_eq!(v["meta"]["count"], 3, "the page meta stays: {v}");
    let v = meta(&member, "/api/samples:list?sort=-id");
    assert_eq!(v["meta"]["allowedActions"], json!({"view": [3, 2, 1], "update": [3], "destroy": []}));
    let v = meta(&member, "/api/samples:get/1");
    assert_eq!(v["data"]["title"], "r1");
    assert_eq!(v["meta"], json!({"allowedActions": {"view": [1], "update": [], "destroy": []}}));
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
    let w = s.ok("POST", "/api/workflows:create", Some(json!({"type": "custom-action", "config": {"type": 0}, "sync": true})));
    let wid = w["id"].as_i64().unwrap();
    for i in 0..3 {
        s.ok(
            "POST",
            &format!("/api/workflows/{wid}/nodes:create"),
            Some(json!({"type": "calculation", "title": format!("n{i}"), "config": {"engine": "formula.js", "expression": "1"}})),
        );
    }
    let (st, v) = s.get(&s.root(), &format!("/api/workflows/{wid}/nodes:list?pageSize=2"));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["meta"], json!({"count": 3, "page": 1, "pageSize": 2, "totalPage": 2}));
    assert_eq!(v["data"].as_array().map(Vec::len), Some(2));
    let (_, v) = s.get(&s.root(), &format!("/api/workflows/{wid}/nodes:list?paginate=false"));
    assert_eq!((v["data"].as_array().map(Vec::len), v.get("meta")), (Some(3), None));

    grant(&s, "member", json!([{"name": "view"}]));
    let (_, v) = s.get(&s.root(), "/api/roles/member/resources:list");
    assert_eq!(v["meta"], json!({"count": 1, "page": 1, "pageSize": 20, "totalPage": 1}));
    assert_eq!(v["data"][0]["name"], "samples");

    let (st, _) = s.post(&s.root(), "/api/apiKeys:create", json!({"name": "k", "role": "root", "expiresIn": "1d"}));
    assert_eq!(st, 200);
    let (_, v) = s.get(&s.root(), "/api/apiKeys:list");
    assert_eq!(v["meta"], json!({"count": 1, "page": 1, "pageSize": 20, "totalPage": 1}));
    let (st, v) = s.get(&s.root(), "/api/apiKeys:list?page=0");
    assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"));
}
