//! The cases of auth.md (13, 14, scope `own`) and http.md (3–8) that need a user collection. They create
//! `samples` through the collections API and fail with 404 until that API is merged.
mod common;
use common::*;

/// A query value, percent-encoded.
fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A server with collection `samples {title string, indicator integer}`.
fn with_samples() -> Server {
    let s = Server::start();
    let (st, v) = s.post(
        &s.root(),
        "/api/collections:create",
        json!({"name": "samples", "fields": [{"name": "title", "type": "string"}, {"name": "indicator", "type": "integer"}]}),
    );
    assert_eq!(
        st, 200,
        "collections:create (the collections API must be merged): {v}"
    );
    s
}

fn create(s: &Server, token: &str, role: &str, values: Value) -> Value {
    let (st, v) = s
        .req("POST", "/api/samples:create")
        .bearer(token)
        .header("X-Role", role)
        .json(values);
    assert_eq!(st, 200, "{v}");
    v["data"].clone()
}

fn ids(v: &Value) -> Vec<i64> {
    v["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[track_caller]
fn denied(got: (u16, Value)) {
    assert_eq!(
        got,
        (
            403,
            json!({"errors": [{"message": "No permissions", "code": "NO_PERMISSIONS"}]})
        )
    );
}

/// auth.md case 13 and §8 "Scope own": member's default `view:own`, and own update/destroy.
#[test]
fn member_sees_only_its_own_rows() {
    let s = with_samples();
    let root = s.root();
    let (st, v) = s.post(
        &root,
        "/api/roles:create",
        json!({"name": "author", "strategy": {"actions": ["create", "update:own", "destroy:own"]}}),
    );
    assert_eq!(st, 200, "{v}");
    let m = s.user("m", &["member", "author"]);
    let m_id = s.get(&m, "/api/auth:check").1["data"]["id"]
        .as_i64()
        .unwrap();
    let r1 = create(
        &s,
        &root,
        "root",
        json!({"title": "root row", "indicator": 10}),
    )["id"]
        .as_i64()
        .unwrap();
    let m1 = create(&s, &m, "author", json!({"title": "mine", "indicator": 95}));
    assert_eq!(m1["createdById"], m_id);
    let m1 = m1["id"].as_i64().unwrap();
    let m2 = create(
        &s,
        &m,
        "author",
        json!({"title": "mine too", "indicator": 96}),
    )["id"]
        .as_i64()
        .unwrap();

    // Default role member: view:own.
    let (st, v) = s.get(&m, "/api/samples:list");
    assert_eq!(st, 200, "{v}");
    assert_eq!(ids(&v), [m1, m2]);
    assert!(v["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["createdById"] == m_id));
    assert_eq!(v["meta"]["count"], 2);
    assert_eq!(
        s.get(&m, &format!("/api/samples:get/{r1}")),
        (200, json!({"data": null}))
    );
    assert_eq!(
        s.get(&m, &format!("/api/samples:get/{m1}")).1["data"]["id"],
        m1
    );
    assert_eq!(
        ids(&s
            .get(
                &m,
                &format!(
                    "/api/samples:list?filter={}",
                    enc(&format!("{{\"id\":{r1}}}"))
                )
            )
            .1),
        Vec::<i64>::new()
    );
    denied(s.post(&m, "/api/samples:create", json!({"title": "no"})));
    denied(s.call(&m, "POST", &format!("/api/samples:destroy/{m1}"), None));

    // Role author: update/destroy own only; a foreign row reads as absent.
    let as_author = |method: &str, path: &str, body: Option<Value>| {
        let r = s.req(method, path).bearer(&m).header("X-Role", "author");
        match body {
            Some(b) => r.json(b),
            None => r.send(),
        }
    };
    assert_eq!(
        as_author(
            "POST",
            &format!("/api/samples:update/{r1}"),
            Some(json!({"title": "x"}))
        ),
        (200, json!({"data": []}))
    );
    assert_eq!(
        as_author("POST", &format!("/api/samples:destroy/{r1}"), None),
        (200, json!({"data": 0}))
    );
    let (st, v) = as_author(
        "POST",
        &format!("/api/samples:update/{m1}"),
        Some(json!({"title": "edited"})),
    );
    assert_eq!((st, &v["data"][0]["title"]), (200, &json!("edited")), "{v}");
    assert_eq!(
        as_author("POST", &format!("/api/samples:destroy/{m2}"), None),
        (200, json!({"data": 1}))
    );
    let (_, v) = s.get(&root, &format!("/api/samples:get/{r1}"));
    assert_eq!(
        v["data"]["title"], "root row",
        "the foreign row is untouched"
    );
    assert_eq!(ids(&s.get(&root, "/api/samples:list").1), [r1, m1]);
    // Admin's strategy allows everything on user collections.
    let a = s.user("a", &["admin"]);
    assert_eq!(ids(&s.get(&a, "/api/samples:list").1), [r1, m1]);
    assert_eq!(
        s.post(&a, "/api/samples:create", json!({"title": "by admin"}))
            .0,
        200
    );
}

/// auth.md case 14 and the resource-config API of §8.
#[test]
fn resource_configs_override_the_strategy() {
    let s = with_samples();
    let root = s.root();
    let m = s.user("m", &["member"]);
    for i in 0..3 {
        create(
            &s,
            &root,
            "root",
            json!({"title": format!("r{i}"), "indicator": i}),
        );
    }
    assert_eq!(
        ids(&s.get(&m, "/api/samples:list").1),
        Vec::<i64>::new(),
        "view:own, no own rows"
    );

    let (st, v) = s.post(
        &root,
        "/api/roles/member/resources:create",
        json!({"name": "samples", "usingActionsConfig": true, "actions": [{"name": "view"}]}),
    );
    assert_eq!(st, 200, "{v}");
    let cfg = v["data"].clone();
    assert_eq!(keys(&cfg), ["id", "name", "usingActionsConfig", "actions"]);
    assert_eq!(
        (&cfg["name"], &cfg["usingActionsConfig"]),
        (&json!("samples"), &json!(true))
    );
    assert_eq!(cfg["actions"], json!([{"name": "view", "scope": "all"}]));
    let id = cfg["id"].as_i64().unwrap();
    assert_eq!(
        s.get(&root, &format!("/api/roles/member/resources:get/{id}"))
            .1["data"],
        cfg
    );
    assert_eq!(
        s.get(&root, "/api/roles/member/resources:list").1["data"],
        json!([cfg])
    );

    assert_eq!(
        ids(&s.get(&m, "/api/samples:list").1),
        [1, 2, 3],
        "member sees all rows"
    );
    denied(s.post(&m, "/api/samples:create", json!({"title": "no"})));

    // Revoking the NocoBase way: the body repeats the config's name.
    let (st, v) = s.post(
        &root,
        &format!("/api/roles/member/resources:update/{id}"),
        json!({"name": "samples", "usingActionsConfig": true, "actions": []}),
    );
    assert_eq!((st, &v["data"][0]["actions"]), (200, &json!([])), "{v}");
    denied(s.get(&m, "/api/samples:list"));
    denied(s.get(&m, "/api/samples:get/1"));
    // usingActionsConfig false: the strategy (view:own) applies again.
    s.post(
        &root,
        &format!("/api/roles/member/resources:update/{id}"),
        json!({"usingActionsConfig": false}),
    );
    assert_eq!(
        s.get(&m, "/api/samples:list"),
        (
            200,
            json!({"data": [], "meta": {"count": 0, "page": 1, "pageSize": 20, "totalPage": 0}})
        )
    );

    let bad = |body: Value| {
        let (st, v) = s.post(&root, "/api/roles/member/resources:create", body.clone());
        (st, code(&v).to_string(), message(&v).to_string(), v)
    };
    let (st, c, _, v) = bad(
        json!({"name": "samples", "usingActionsConfig": true, "actions": [{"name": "frobnicate"}]}),
    );
    assert_eq!((st, c.as_str()), (400, "INVALID_VALUE"), "{v}");
    let (st, c, _, v) = bad(
        json!({"name": "samples", "usingActionsConfig": true, "actions": [{"name": "view", "scope": "some"}]}),
    );
    assert_eq!((st, c.as_str()), (400, "INVALID_VALUE"), "{v}");
    let (st, c, msg, _) =
        bad(json!({"name": "samples", "usingActionsConfig": true, "actions": []}));
    assert_eq!(
        (st, c.as_str(), msg.as_str()),
        (400, "CONSTRAINT_VIOLATION", "name must be unique")
    );
    assert_eq!(
        s.get(&root, "/api/roles/member/resources:list").1["data"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    denied(s.get(&m, "/api/roles/member/resources:list"));

    // The spec's example, on another role: scopes made explicit.
    s.post(&root, "/api/roles:create", json!({"name": "triggerer"}));
    let (st, v) = s.post(
        &root,
        "/api/roles/triggerer/resources:create",
        json!({"name": "samples", "usingActionsConfig": true, "actions": [{"name": "trigger", "scope": "own"}, {"name": "triggerNew"}]}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        v["data"]["actions"],
        json!([{"name": "trigger", "scope": "own"}, {"name": "triggerNew", "scope": "all"}])
    );

    assert_eq!(
        s.call(
            &root,
            "POST",
            &format!("/api/roles/member/resources:destroy/{id}"),
            None
        ),
        (200, json!({"data": 1}))
    );
    assert_eq!(
        s.get(&root, "/api/roles/member/resources:list"),
        (
            200,
            json!({"data": [], "meta": {"count": 0, "page": 1, "pageSize": 20, "totalPage": 0}})
        )
    );
}

/// http.md cases 3–8 over `samples`.
#[test]
fn http_cases_over_samples() {
    let s = with_samples();
    let root = s.root();
    for (t, i) in [("Sample 1", 91), ("Sample 2", 77), ("Sample 3", 95)] {
        create(&s, &root, "root", json!({"title": t, "indicator": i}));
    }
    assert_eq!(
        s.get(&root, "/api/samples:frobnicate"),
        (
            404,
            json!({"errors": [{"message": "Action \"frobnicate\" is not available on resource \"samples\"", "code": "ACTION_NOT_FOUND"}]})
        )
    );
    let list = s.get(&root, "/api/samples:list");
    assert_eq!(list.0, 200);
    assert_eq!(
        list.1["meta"],
        json!({"count": 3, "page": 1, "pageSize": 20, "totalPage": 1})
    );
    assert_eq!(s.get(&root, "/api/samples"), list);
    assert_eq!(s.get(&root, "/api/main:samples:list"), list);
    assert_eq!(s.call(&root, "POST", "/api/samples:list", None), list);
    let one = s.get(&root, "/api/samples:get/1");
    assert_eq!((one.0, &one.1["data"]["title"]), (200, &json!("Sample 1")));
    assert_eq!(s.get(&root, "/api/samples/1"), one);
    assert_eq!(s.call(&root, "POST", "/api/samples/1", None).0, 405);
    assert_eq!(
        s.get(&root, "/api/samples:get/1?filterByTk=2").1["data"]["id"],
        2
    );

    let bracket = s.get(&root, "/api/samples:list?filter[indicator][$gt]=90");
    assert_eq!(ids(&bracket.1), [1, 3]);
    assert_eq!(
        s.get(
            &root,
            &format!(
                "/api/samples:list?filter={}",
                enc(r#"{"indicator":{"$gt":90}}"#)
            )
        ),
        bracket
    );
    let (st, v) = s.get(&root, &format!("/api/samples:list?filter={}", enc("{bad")));
    assert_eq!((st, code(&v)), (400, "INVALID_FILTER"), "{v}");
    assert_eq!(
        code(&s.get(&root, "/api/samples:list?page=0").1),
        "INVALID_PARAMETER"
    );
    let (_, v) = s.get(&root, "/api/samples:list?paginate=false");
    assert!(v.get("meta").is_none() && ids(&v) == [1, 2, 3], "{v}");

    let (st, v) = s
        .req("POST", "/api/samples:create")
        .bearer(&root)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .raw(br#"{"title":"x"}"#)
        .pair();
    assert_eq!((st, &v["data"]["title"]), (200, &json!("x")), "{v}");
    let count = s.db_i64("SELECT COUNT(*) FROM samples");
    let post = |ct: &str, body: &[u8]| {
        s.req("POST", "/api/samples:create")
            .bearer(&root)
            .header("Content-Type", ct)
            .raw(body)
            .pair()
    };
    assert_err(
        post("application/json", br#"{"title":"#),
        400,
        "INVALID_JSON",
        "Request body is not valid JSON",
    );
    assert_err(
        post("application/json", b"[1]"),
        400,
        "INVALID_BODY",
        "Request body must be a JSON object",
    );
    assert_eq!(post("multipart/form-data; boundary=b", b"--b--\r\n").0, 415);
    let mut big = br#"{"title":"big"}"#.to_vec();
    big.resize(1_048_577, b' ');
    assert_err(
        post("application/json", &big),
        413,
        "PAYLOAD_TOO_LARGE",
        "Request body exceeds the limit of 1048576 bytes",
    );
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM samples"),
        count,
        "nothing stored"
    );
    assert_eq!(
        code(&s.req("GET", "/api/samples:list").send().1),
        "EMPTY_TOKEN"
    );
    assert_eq!(
        code(
            &s.req("GET", "/api/samples:list")
                .bearer(&root)
                .header("X-Data-Source", "other")
                .send()
                .1
        ),
        "DATA_SOURCE_NOT_FOUND"
    );
}
