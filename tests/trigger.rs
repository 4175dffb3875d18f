//! The trigger endpoint over the real server (trigger.md, acceptance cases 1–44 and 46; case 45 and the
//! hard-kill test are in trigger_restart.rs). Every test builds the §11 fixture on its own `--demo`
//! server through the API and checks statuses, codes, messages, extra fields, response shapes, the
//! stored executions and their contexts.

mod common;
#[path = "common/wf.rs"]
mod wf;
use common::*;
use wf::FAILS_AT_RUN;

use std::collections::HashMap;
use std::time::Duration;

/// The §11 fixture: a `--demo` server with its users, collections, records and workflows.
struct Fx {
    s: Server,
    /// Tokens: root, m1, m2 (members), a1 (admin), z (no roles).
    r: String,
    m1: String,
    m2: String,
    a: String,
    z: String,
    /// Workflow id by key.
    wf: HashMap<String, i64>,
    m1_id: i64,
}

fn msg_node(text: &str) -> Value {
    json!({"type": "response-message", "config": {"message": text}})
}

fn calc_node(expression: &str) -> Value {
    json!({"type": "calculation", "config": {"engine": "math.js", "expression": expression}})
}

fn end_node(status: i64) -> Value {
    json!({"type": "end", "config": {"endStatus": status}})
}

/// A workflow made through the API (`workflows:create` with `def`, then `chain` one node after another);
/// returns its id.
fn make(s: &Server, def: Value, chain: &[Value]) -> i64 {
    let id = wf::create(s, def)["id"].as_i64().expect("workflow id");
    wf::chain(s, id, chain);
    id
}

/// The `context` of execution `id`.
fn context_of(s: &Server, id: i64) -> Value {
    wf::execution(s, id)["context"].clone()
}

fn fixture() -> Fx {
    let s = Server::builder().arg("--demo").start();
    let r = s.root();
    let m1 = s.user("m1", &["member"]);
    let m2 = s.user("m2", &["member"]);
    let a = s.user("a1", &["admin"]);
    let z = s.user("z", &[]);
    let (_, me) = s.get(&m1, "/api/auth:check");
    let m1_id = me["data"]["id"].as_i64().expect("m1 id");

    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tags","fields":[{"name":"name","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"details","fields":[{"name":"summary","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections/posts/fields:create",
        Some(json!({"name":"tags","type":"belongsToMany"})),
    );
    s.ok(
        "POST",
        "/api/collections/posts/fields:create",
        Some(json!({"name":"detail","type":"hasOne","target":"details"})),
    );
    s.ok(
        "POST",
        "/api/collections/comments/fields:create",
        Some(json!({"name":"post","type":"belongsTo"})),
    );
    // Not listed in §11, but case 40 addresses `categories/<id>/posts`: the inverse of posts.category.
    s.ok(
        "POST",
        "/api/collections/categories/fields:create",
        Some(json!({"name":"posts","type":"hasMany","foreignKey":"categoryId"})),
    );

    assert_eq!(
        s.ok(
            "POST",
            "/api/details:create",
            Some(json!({"summary":"S1","postId":1}))
        )["id"],
        1
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts/1/tags:create",
            Some(json!({"name":"t1"}))
        )["id"],
        1
    );
    assert_eq!(
        s.ok("POST", "/api/posts:create", Some(json!({"title":"Orphan"})))["id"],
        2
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/categories:create",
            Some(json!({"title":"Tech"}))
        )["id"],
        2
    );
    let grant = s.ok(
        "POST",
        "/api/roles/member/resources:create",
        Some(json!({"name":"samples","usingActionsConfig":true,"actions":[{"name":"create"}]})),
    );
    let (st, v) = s.post(
        &m1,
        "/api/samples:create",
        json!({"title":"Mine","indicator":50}),
    );
    assert_eq!(
        (st, &v["data"]["id"], &v["data"]["createdById"]),
        (200, &json!(2), &json!(m1_id)),
        "{v}"
    );
    s.ok(
        "POST",
        &format!("/api/roles/member/resources:destroy/{}", grant["id"]),
        None,
    );

    let samples = json!({"type": 1, "collection": "samples"});
    let defs: Vec<(&str, bool, bool, Value, Vec<Value>)> = vec![
        (
            "s_echo",
            true,
            true,
            samples.clone(),
            vec![msg_node("echo {{$context.data.title}}")],
        ),
        ("s_two", true, true, samples.clone(), vec![msg_node("two")]),
        (
            "s_async",
            false,
            true,
            samples.clone(),
            vec![calc_node("{{$context.data.indicator}} * 2")],
        ),
        (
            "s_multi",
            true,
            true,
            json!({"type": 2, "collection": "samples"}),
            vec![],
        ),
        ("s_end_ok", true, true, samples.clone(), vec![end_node(1)]),
        (
            "s_end_fail",
            true,
            true,
            samples.clone(),
            vec![end_node(-1)],
        ),
        (
            "s_msg_fail",
            true,
            true,
            samples.clone(),
            vec![msg_node("m1"), end_node(-1)],
        ),
        (
            "s_error",
            true,
            true,
            samples.clone(),
            vec![calc_node(FAILS_AT_RUN)],
        ),
        ("s_off", true, false, samples.clone(), vec![]),
        (
            "p_app",
            true,
            true,
            json!({"type": 1, "collection": "posts", "appends": ["category", "comments"]}),
            vec![],
        ),
        (
            "c_echo",
            true,
            true,
            json!({"type": 1, "collection": "categories"}),
            vec![msg_node("cat {{$context.data.title}}")],
        ),
        (
            "d_echo",
            true,
            true,
            json!({"type": 1, "collection": "details"}),
            vec![],
        ),
        (
            "k_comments",
            true,
            true,
            json!({"type": 1, "collection": "comments"}),
            vec![],
        ),
        (
            "g_hi",
            true,
            true,
            json!({"type": 0}),
            vec![msg_node("hi {{$context.user.username}}")],
        ),
    ];
    let mut wf = HashMap::new();
    for (key, sync, enabled, config, chain) in defs {
        let def = json!({"title": key, "key": key, "type": "custom-action", "sync": sync, "enabled": enabled, "config": config});
        wf.insert(key.to_string(), make(&s, def, &chain));
    }
    for key in [
        "demo_sample_sync",
        "demo_sample_async",
        "demo_category",
        "demo_global",
    ] {
        let (_, v) = s.get(
            &r,
            &format!(
                "/api/workflows:list?filter={}",
                enc(&json!({"key": key}).to_string())
            ),
        );
        wf.insert(
            key.to_string(),
            v["data"][0]["id"].as_i64().expect("demo workflow"),
        );
    }
    Fx {
        s,
        r,
        m1,
        m2,
        a,
        z,
        wf,
        m1_id,
    }
}

impl Fx {
    /// `POST` as `token` with an optional JSON body.
    fn t(&self, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.s.call(token, "POST", path, body)
    }

    /// Root `POST`, which must answer 200.
    fn ok(&self, path: &str, body: Option<Value>) -> Value {
        let (st, v) = self.t(&self.r, path, body);
        assert_eq!(st, 200, "POST {path} → {st} {v}");
        v
    }

    /// `data.executions` as (key, sync, status), checking every entry's exact fields and workflowId.
    #[track_caller]
    fn runs(&self, v: &Value) -> Vec<(String, bool, Value)> {
        let list = v["data"]["executions"]
            .as_array()
            .unwrap_or_else(|| panic!("no data.executions: {v}"));
        list.iter()
            .map(|e| {
                assert_eq!(
                    keys(e),
                    ["id", "workflowId", "workflowKey", "sync", "status"],
                    "{e}"
                );
                assert!(e["id"].as_i64().is_some_and(|i| i > 0), "{e}");
                let key = e["workflowKey"].as_str().unwrap_or_default().to_string();
                assert_eq!(
                    e["workflowId"].as_i64(),
                    self.wf.get(&key).copied(),
                    "workflowId of {key}: {e}"
                );
                (
                    key,
                    e["sync"].as_bool().unwrap_or_default(),
                    e["status"].clone(),
                )
            })
            .collect()
    }

    /// The id of the `i`-th execution in a trigger answer.
    fn exec_id(&self, v: &Value, i: usize) -> i64 {
        v["data"]["executions"][i]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no execution {i}: {v}"))
    }

    /// `ctx.data` of the only (first) execution of a 200 answer.
    fn data(&self, v: &Value) -> Value {
        wf::execution(&self.s, self.exec_id(v, 0))["context"]["data"].clone()
    }

    fn runs_of(&self, key: &str) -> i64 {
        self.s.db_i64(&format!(
            "SELECT COUNT(*) FROM executions WHERE key = '{key}'"
        ))
    }

    /// A root trigger that must fail with exactly `500 WORKFLOW_FAILED` for `key` with `status`; returns
    /// the failed execution's id.
    #[track_caller]
    fn failed(&self, path: &str, key: &str, status: i64) -> i64 {
        let (st, v) = self.t(&self.r, path, None);
        let e_id = v["errors"][0]["executionId"]
            .as_i64()
            .unwrap_or_else(|| panic!("{v}"));
        let message = "Workflow on your action failed, please contact the administrator";
        let want = json!({"errors":[{"message":message,"code":"WORKFLOW_FAILED","executionId":e_id,"workflowKey":key,"status":status}]});
        assert_body((st, v), 500, want);
        e_id
    }

    /// Root requests (`POST /api/<path>`, no body) that must fail with exactly (status, code, message).
    #[track_caller]
    fn refused(&self, cases: &[(&str, u16, &str, &str)]) {
        for (path, status, code, message) in cases {
            assert_err(
                self.t(&self.r, &format!("/api/{path}"), None),
                *status,
                code,
                message,
            );
        }
    }

    fn record(&self, path: &str) -> Value {
        self.s.ok("GET", path, None)
    }
}

fn run(key: &str, sync: bool, status: Value) -> (String, bool, Value) {
    (key.to_string(), sync, status)
}

fn messages(texts: &[&str]) -> Value {
    Value::Array(texts.iter().map(|t| json!({"message": t})).collect())
}

/// One `WORKFLOW_NOT_MATCHED` entry.
fn unmatched(key: &str, reason: &str, message: &str) -> Value {
    json!({"message": message, "code": "WORKFLOW_NOT_MATCHED", "key": key, "reason": reason})
}

#[track_caller]
fn assert_body(got: (u16, Value), status: u16, body: Value) {
    assert_eq!(got, (status, body));
}

// ---- cases 1–7, 24–27: record data -------------------------------------------------------------

#[test]
fn record_data_by_id_body_and_ids() {
    let fx = fixture();
    let s = &fx.s;
    let sample1 = fx.record("/api/samples:get/1");
    assert_eq!(
        (&sample1["id"], &sample1["title"], &sample1["indicator"]),
        (&json!(1), &json!("Sample 1"), &json!(91))
    );

    // 1. Record by id, no body.
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=s_echo", None);
    assert_eq!(keys(&v), ["data", "messages"], "{v}");
    assert_eq!(
        keys(&v["data"]),
        ["executions"],
        "no skipped when nothing was skipped: {v}"
    );
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);
    assert_eq!(v["messages"], messages(&["echo Sample 1"]));
    let e = wf::execution(s, fx.exec_id(&v, 0));
    assert_eq!(
        (&e["status"], &e["key"], &e["workflowId"]),
        (&json!(1), &json!("s_echo"), &json!(fx.wf["s_echo"]))
    );
    assert_eq!(
        e["context"]["data"], sample1,
        "ctx.data is samples#1 as loaded"
    );
    assert_eq!(e["context"]["roleName"], "root");
    assert_eq!(e["context"]["user"]["id"], 1);
    assert_eq!(e["context"]["user"]["username"], "admin");
    assert!(
        e["context"]["user"].get("password").is_none(),
        "no password in the context: {}",
        e["context"]
    );

    // 2. New form: the body is the data, no id added.
    let body = json!({"title":"Sample 1","indicator":91});
    let v = fx.ok(
        "/api/samples:trigger?triggerWorkflows=s_echo",
        Some(body.clone()),
    );
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);
    assert_eq!(fx.data(&v), body);
    // An empty body is {}.
    let v = fx.ok("/api/samples:trigger?triggerWorkflows=s_echo", None);
    assert_eq!(fx.data(&v), json!({}));
    assert_eq!(v["messages"], messages(&["echo "]));

    // 3. Edited form: the body over the record; nothing written.
    let rows_before = s.rows("samples");
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_echo",
        Some(json!({"title":"Changed"})),
    );
    let d = fx.data(&v);
    assert_eq!(
        (&d["title"], &d["indicator"], &d["id"]),
        (&json!("Changed"), &json!(91), &json!(1))
    );
    let mut want = sample1.clone();
    want["title"] = json!("Changed");
    assert_eq!(d, want, "only title differs from the record");
    assert_eq!(v["messages"], messages(&["echo Changed"]));
    assert_eq!(
        fx.record("/api/samples:get/1"),
        sample1,
        "the row is unchanged"
    );
    assert_eq!(s.rows("samples"), rows_before);

    // 5. Shallow overlay: the body wins, null included; unknown keys kept; even id.
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_echo",
        Some(json!({"id":99,"indicator":null,"extra":true})),
    );
    let d = fx.data(&v);
    assert_eq!(
        (&d["id"], &d["indicator"], &d["extra"], &d["title"]),
        (&json!(99), &Value::Null, &json!(true), &json!("Sample 1"))
    );
    assert!(
        d.as_object().is_some_and(|m| m.contains_key("indicator")),
        "indicator is present as null: {d}"
    );
    assert_eq!(fx.record("/api/samples:get/1"), sample1);

    // 6. Appends: the workflow's config.appends are loaded.
    let post1 = fx.record("/api/posts:get/1?appends=category,comments");
    let v = fx.ok("/api/posts:trigger/1?triggerWorkflows=p_app", None);
    assert_eq!(fx.runs(&v), [run("p_app", true, json!(1))]);
    assert!(
        v.get("messages").is_none(),
        "no messages key without messages: {v}"
    );
    let d = fx.data(&v);
    assert_eq!(d, post1);
    assert_eq!(d["category"], fx.record("/api/categories:get/1"));
    assert_eq!(d["comments"].as_array().map(|a| a.len()), Some(1));
    assert_eq!(
        (&d["comments"][0]["id"], &d["comments"][0]["content"]),
        (&json!(1), &json!("First comment"))
    );

    // 7. Submitted associations replace the loaded ones (the §1 warning); nothing is written.
    let cat1 = fx.record("/api/categories:get/1");
    let v = fx.ok(
        "/api/posts:trigger/1?triggerWorkflows=p_app",
        Some(json!({"category":{"title":"X"},"comments":[]})),
    );
    let d = fx.data(&v);
    assert_eq!(
        (&d["category"], &d["comments"], &d["title"]),
        (&json!({"title":"X"}), &json!([]), &json!("Hello flowgate"))
    );
    assert_eq!(
        fx.record("/api/categories:get/1"),
        cat1,
        "categories#1 unchanged"
    );
    assert_eq!(
        fx.record("/api/posts:get/1?appends=category,comments"),
        post1,
        "post 1 unchanged"
    );

    // 24. Several ids: an array in primary-key order, the body over each.
    let sample2 = fx.record("/api/samples:get/2");
    let with_t = |mut r: Value| {
        r["t"] = json!("x");
        r
    };
    let want = json!([with_t(sample1.clone()), with_t(sample2.clone())]);
    for q in [
        "filterByTk[]=2&filterByTk[]=1",
        "filterByTk=[2,1]",
        "filterByTk=%5B2%2C1%5D",
        "filterByTk[]=2&filterByTk[]=1&filterByTk[]=2",
        "filterByTk=[%222%22,1]",
    ] {
        let v = fx.ok(
            &format!("/api/samples:trigger?triggerWorkflows=s_multi&{q}"),
            Some(json!({"t":"x"})),
        );
        assert_eq!(fx.runs(&v), [run("s_multi", true, json!(1))], "{q}");
        assert_eq!(fx.data(&v), want, "{q}");
    }
    // One id in the array form is still an array.
    let v = fx.ok(
        "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=2",
        None,
    );
    assert_eq!(fx.data(&v), json!([sample2.clone()]));
    // A type 1 workflow matches the record form too; a single id gives an object.
    let v = fx.ok("/api/samples:trigger/2?triggerWorkflows=s_multi", None);
    assert_eq!(fx.data(&v), sample2);

    // 25. A missing id among several → 404, nothing runs.
    let none = s.no_runs();
    let got = fx.t(
        &fx.r,
        "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=1&filterByTk[]=999",
        Some(json!({"t":"x"})),
    );
    assert_err(
        got,
        404,
        "RECORD_NOT_FOUND",
        "Record 999 of \"samples\" not found",
    );
    let got = fx.t(&fx.r, "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=998&filterByTk[]=1&filterByTk[]=999", None);
    assert_err(
        got,
        404,
        "RECORD_NOT_FOUND",
        "Record 998,999 of \"samples\" not found",
    );

    // 27. Bad ids, missing id.
    for path in [
        "/api/samples:trigger/1,2?triggerWorkflows=s_echo",
        "/api/samples:trigger/abc?triggerWorkflows=s_echo",
    ] {
        assert_err(
            fx.t(&fx.r, path, None),
            400,
            "INVALID_PARAMETER",
            "filterByTk is invalid",
        );
    }
    for q in [
        "filterByTk=0",
        "filterByTk=-1",
        "filterByTk[]=1&filterByTk[]=x",
        "filterByTk=[]",
    ] {
        let path = format!("/api/samples:trigger?triggerWorkflows=s_echo&{q}");
        assert_err(
            fx.t(&fx.r, &path, None),
            400,
            "INVALID_PARAMETER",
            "filterByTk is invalid",
        );
    }
    assert_err(
        fx.t(
            &fx.r,
            "/api/samples:trigger/999?triggerWorkflows=s_echo",
            None,
        ),
        404,
        "RECORD_NOT_FOUND",
        "Record 999 of \"samples\" not found",
    );
    none.settle("failed triggers");

    // 26. The query filterByTk overrides the path.
    let v = fx.ok(
        "/api/samples:trigger/1?filterByTk=2&triggerWorkflows=s_echo",
        None,
    );
    assert_eq!(fx.data(&v)["id"], 2);
    assert_eq!(v["messages"], messages(&["echo Mine"]));
    // A digit string with spaces is an id.
    let v = fx.ok(
        "/api/samples:trigger?filterByTk=%202%20&triggerWorkflows=s_echo",
        None,
    );
    assert_eq!(fx.data(&v)["id"], 2);
}

// ---- case 4: the §1 curl lines ------------------------------------------------------------------

/// The three calls of trigger.md §1, as written there (with the trailing `\` on the body lines).
const SECTION_1_CALLS: [&str; 3] = [
    r#"curl -X POST -H 'Authorization: Bearer <your token>' -H 'X-Role: <roleName>' \
  "http://localhost:3000/api/samples:trigger/<:id>?triggerWorkflows=workflowKey""#,
    r#"curl -X POST -H 'Authorization: Bearer <your token>' -H 'X-Role: <roleName>' -d \
  '{
    "title": "Sample 1",
    "indicator": 91
  }' \
  "http://localhost:3000/api/samples:trigger?triggerWorkflows=workflowKey""#,
    r#"curl -X POST -H 'Authorization: Bearer <your token>' -H 'X-Role: <roleName>' -d \
  '{
    "title": "Sample 1",
    "indicator": 91
  }' \
  "http://localhost:3000/api/samples:trigger/<:id>?triggerWorkflows=workflowKey""#,
];

#[test]
fn section_1_curl_lines() {
    let fx = fixture();
    let s = &fx.s;
    let sample1 = fx.record("/api/samples:get/1");
    let expected_data = [
        sample1.clone(),
        json!({"title":"Sample 1","indicator":91}),
        {
            let mut d = sample1.clone();
            d["title"] = json!("Sample 1");
            d["indicator"] = json!(91);
            d
        },
    ];
    for (line, want) in SECTION_1_CALLS.iter().zip(expected_data) {
        let line = line
            .replace("<your token>", &fx.r)
            .replace("<roleName>", "root")
            .replace("<:id>", "1")
            .replace("workflowKey", "demo_sample_sync");
        let curl = Curl::parse(&line);
        assert_eq!(curl.method, "POST");
        assert_eq!(curl.headers[1], ("X-Role".to_string(), "root".to_string()));
        assert_eq!(
            curl.body.is_some(),
            line.contains(" -d "),
            "a -d line has a body: {line}"
        );
        if let Some(b) = &curl.body {
            assert!(
                b.contains('\n'),
                "the body is sent as written, newlines included"
            );
        }
        let bytes = curl.request_bytes(&s.base);
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(
            text.contains("application/x-www-form-urlencoded"),
            curl.body.is_some(),
            "{text}"
        );
        assert!(
            !text.contains("Content-Length") || curl.body.is_some(),
            "curl -X POST without -d sends no length: {text}"
        );
        let (st, head, v) = curl.send(s);
        assert_eq!(st, 200, "{line}\n→ {head}{v}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{head}"
        );
        assert_eq!(
            fx.runs(&v),
            [run("demo_sample_sync", true, json!(1))],
            "{line}"
        );
        assert_eq!(
            v["messages"],
            messages(&["Sample \"Sample 1\": indicator 91, score 100.1, high true"]),
            "{line}"
        );
        let e = wf::execution(s, fx.exec_id(&v, 0));
        assert_eq!(e["status"], 1);
        assert_eq!(e["context"]["data"], want, "{line}");
        assert_eq!(e["context"]["roleName"], "root");
        let jobs: Vec<(&str, &Value)> = e["jobs"]
            .as_array()
            .map(|j| {
                j.iter()
                    .map(|j| (j["nodeKey"].as_str().unwrap_or(""), &j["result"]))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            jobs,
            [
                ("check", &json!(true)),
                ("score", &json!(100.1)),
                (
                    "reply",
                    &json!("Sample \"Sample 1\": indicator 91, score 100.1, high true")
                )
            ]
        );
    }
    assert_eq!(fx.runs_of("demo_sample_sync"), 3, "one execution per call");
    assert_eq!(fx.record("/api/samples:get/1"), sample1);
}

// ---- cases 8–14, 40: key!path and association resources -----------------------------------------

#[test]
fn association_paths_and_resources() {
    let fx = fixture();
    let s = &fx.s;
    let cat1 = fx.record("/api/categories:get/1");
    assert_eq!(cat1["title"], "News");

    // 8. !category fires the event of categories with categories#1.
    let v = fx.ok(
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category",
        None,
    );
    assert_eq!(fx.runs(&v), [run("c_echo", true, json!(1))]);
    assert_eq!(v["messages"], messages(&["cat News"]));
    assert_eq!(fx.data(&v), cat1);
    let v = fx.ok(
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category",
        Some(json!({"category":{"title":"Renamed"}})),
    );
    let d = fx.data(&v);
    assert_eq!((&d["id"], &d["title"]), (&json!(1), &json!("Renamed")));
    let mut want = cat1.clone();
    want["title"] = json!("Renamed");
    assert_eq!(d, want);
    assert_eq!(v["messages"], messages(&["cat Renamed"]));
    assert_eq!(fx.record("/api/categories:get/1"), cat1, "nothing written");
    // body[path] null is absent: the loaded record stays.
    let v = fx.ok(
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category",
        Some(json!({"category":null,"title":"x"})),
    );
    assert_eq!(fx.data(&v), cat1);
    // An empty path is none: `c_echo!` is bound to categories, not posts.
    let got = fx.t(&fx.r, "/api/posts:trigger/1?triggerWorkflows=c_echo!", None);
    assert_eq!(
        (got.0, &got.1["errors"][0]["reason"]),
        (400, &json!("OTHER_COLLECTION")),
        "{}",
        got.1
    );
    let v = fx.ok(
        "/api/categories:trigger/1?triggerWorkflows=c_echo!%20",
        None,
    );
    assert_eq!(fx.data(&v), cat1);
    // Spaces around the key, the `!` and the path are trimmed.
    let v = fx.ok(
        &format!(
            "/api/posts:trigger/1?triggerWorkflows={}",
            enc(" c_echo ! category ")
        ),
        None,
    );
    assert_eq!(fx.data(&v), cat1);

    // 9. No id: body[path].
    let v = fx.ok(
        "/api/posts:trigger?triggerWorkflows=c_echo!category",
        Some(json!({"title":"P","category":{"title":"New"}})),
    );
    assert_eq!(fx.data(&v), json!({"title":"New"}));
    let none = s.no_runs();
    for body in [
        Some(json!({"title":"P"})),
        None,
        Some(json!({"category":null})),
        Some(json!({"category":"x"})),
        Some(json!({"category":[1]})),
    ] {
        let got = fx.t(
            &fx.r,
            "/api/posts:trigger?triggerWorkflows=c_echo!category",
            body.clone(),
        );
        assert_err(
            got,
            400,
            "INVALID_BODY",
            "Request body has no object at \"category\"",
        );
        none.now(&format!("{body:?}"));
    }
    // With an id, body[path] must be an object too.
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category",
        Some(json!({"category":5})),
    );
    assert_err(
        got,
        400,
        "INVALID_BODY",
        "Request body has no object at \"category\"",
    );

    // 10. A post without a category.
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/2?triggerWorkflows=c_echo!category",
        None,
    );
    assert_err(
        got,
        404,
        "RECORD_NOT_FOUND",
        "Record 2 of \"posts\" has no \"category\"",
    );
    // A missing source record.
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/999?triggerWorkflows=c_echo!category",
        None,
    );
    assert_err(
        got,
        404,
        "RECORD_NOT_FOUND",
        "Record 999 of \"posts\" not found",
    );
    none.now("no category");
    let v = fx.ok(
        "/api/posts:trigger/2?triggerWorkflows=c_echo!category",
        Some(json!({"category":{"title":"C"}})),
    );
    assert_eq!(fx.data(&v), json!({"title":"C"}));
    // An empty object is an object: it is the data (§5.3), with an id as without one.
    let v = fx.ok(
        "/api/posts:trigger/2?triggerWorkflows=c_echo!category",
        Some(json!({"category":{}})),
    );
    assert_eq!(fx.data(&v), json!({}));
    let v = fx.ok(
        "/api/posts:trigger?triggerWorkflows=c_echo!category",
        Some(json!({"category":{}})),
    );
    assert_eq!(fx.data(&v), json!({}));

    // Several ids with a path: the associated records in the source's primary-key order.
    let post3 = fx.ok(
        "/api/posts:create",
        Some(json!({"title":"Third","category":2})),
    );
    assert_eq!(post3["data"]["id"], 3);
    let cat2 = fx.record("/api/categories:get/2");
    let v = fx.ok(
        "/api/posts:trigger?triggerWorkflows=c_echo!category&filterByTk[]=3&filterByTk[]=1",
        None,
    );
    assert_eq!(fx.data(&v), json!([cat1, cat2]));
    assert_eq!(
        v["messages"],
        messages(&["cat [\"News\",\"Tech\"]"]),
        "the template maps over the array"
    );
    let v = fx.ok(
        "/api/posts:trigger?triggerWorkflows=c_echo!category&filterByTk=[1,3]",
        Some(json!({"category":{"x":1}})),
    );
    let (mut a, mut b) = (cat1.clone(), cat2.clone());
    a["x"] = json!(1);
    b["x"] = json!(1);
    assert_eq!(fx.data(&v), json!([a, b]));
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger?triggerWorkflows=c_echo!category&filterByTk[]=1&filterByTk[]=2",
        None,
    );
    assert_err(
        got,
        404,
        "RECORD_NOT_FOUND",
        "Record 2 of \"posts\" has no \"category\"",
    );

    // 11. hasOne.
    let v = fx.ok("/api/posts:trigger/1?triggerWorkflows=d_echo!detail", None);
    assert_eq!(fx.runs(&v), [run("d_echo", true, json!(1))]);
    let detail = fx.record("/api/details:get/1");
    assert_eq!(
        (&detail["summary"], &detail["postId"]),
        (&json!("S1"), &json!(1))
    );
    assert_eq!(fx.data(&v), detail);

    // 12. Two levels.
    let v = fx.ok(
        "/api/comments:trigger/1?triggerWorkflows=c_echo!post.category",
        None,
    );
    assert_eq!(fx.data(&v), cat1);
    assert_eq!(v["messages"], messages(&["cat News"]));
    let v = fx.ok(
        "/api/comments:trigger?triggerWorkflows=c_echo!post.category",
        Some(json!({"post":{"category":{"title":"Deep"}}})),
    );
    assert_eq!(fx.data(&v), json!({"title":"Deep"}));
    let v = fx.ok(
        "/api/comments:trigger/1?triggerWorkflows=c_echo!post.category",
        Some(json!({"post":{"category":{"title":"Over"}}})),
    );
    let mut want = cat1.clone();
    want["title"] = json!("Over");
    assert_eq!(fx.data(&v), want);
    let got = fx.t(
        &fx.r,
        "/api/comments:trigger?triggerWorkflows=c_echo!post.category",
        Some(json!({"post":{"title":"x"}})),
    );
    assert_err(
        got,
        400,
        "INVALID_BODY",
        "Request body has no object at \"post.category\"",
    );

    // 13. To-many paths.
    let none = s.no_runs();
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/1?triggerWorkflows=k_comments!comments",
        None,
    );
    assert_body(
        got,
        400,
        json!({"errors":[{"message":"one-to-many is not supported","code":"ASSOCIATION_NOT_SUPPORTED","path":"comments"}]}),
    );
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/1?triggerWorkflows=c_echo!tags",
        None,
    );
    assert_body(
        got,
        400,
        json!({"errors":[{"message":"one-to-many is not supported","code":"ASSOCIATION_NOT_SUPPORTED","path":"tags"}]}),
    );
    // A to-many segment deeper in the path names the whole path.
    let got = fx.t(
        &fx.r,
        "/api/comments:trigger/1?triggerWorkflows=k_comments!post.comments",
        None,
    );
    assert_body(
        got,
        400,
        json!({"errors":[{"message":"one-to-many is not supported","code":"ASSOCIATION_NOT_SUPPORTED","path":"post.comments"}]}),
    );

    // 14. Not an association; a workflow of another collection.
    fx.refused(&[
        (
            "posts:trigger/1?triggerWorkflows=c_echo!title",
            400,
            "NOT_AN_ASSOCIATION",
            "\"title\" is not an association of collection \"posts\"",
        ),
        (
            "posts:trigger/1?triggerWorkflows=c_echo!nope",
            400,
            "NOT_AN_ASSOCIATION",
            "\"nope\" is not an association of collection \"posts\"",
        ),
        (
            "comments:trigger/1?triggerWorkflows=c_echo!post.title",
            400,
            "NOT_AN_ASSOCIATION",
            "\"title\" is not an association of collection \"posts\"",
        ),
    ]);
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/1?triggerWorkflows=p_app!category",
        None,
    );
    assert_body(
        got,
        400,
        json!({"errors":[unmatched("p_app", "OTHER_COLLECTION", "Workflow \"p_app\" is bound to collection \"posts\", not \"categories\"")]}),
    );
    // A bad path is a 400 whatever the workflow, even an unknown one.
    let got = fx.t(
        &fx.r,
        "/api/posts:trigger/1?triggerWorkflows=nope!comments",
        None,
    );
    assert_eq!((got.0, code(&got.1)), (400, "ASSOCIATION_NOT_SUPPORTED"));
    none.settle("bad paths");

    // 40. Association resources.
    let post1 = fx.record("/api/posts:get/1?appends=category,comments");
    let v = fx.ok(
        "/api/categories/1/posts:trigger/1?triggerWorkflows=p_app",
        None,
    );
    assert_eq!(fx.runs(&v), [run("p_app", true, json!(1))]);
    assert_eq!(fx.data(&v), post1);
    let none = s.no_runs();
    fx.refused(&[
        (
            "categories/2/posts:trigger/1?triggerWorkflows=p_app",
            404,
            "RECORD_NOT_FOUND",
            "Record 1 of \"posts\" not found",
        ),
        (
            "categories/999/posts:trigger/1?triggerWorkflows=p_app",
            404,
            "RECORD_NOT_FOUND",
            "Record 999 of \"categories\" not found",
        ),
        (
            "categories/1/nothing:trigger/1?triggerWorkflows=p_app",
            404,
            "RESOURCE_NOT_FOUND",
            "Resource \"categories.nothing\" not found",
        ),
    ]);
    // The association's target decides the match.
    let got = fx.t(
        &fx.r,
        "/api/posts/1/category:trigger?triggerWorkflows=p_app",
        None,
    );
    assert_body(
        got,
        400,
        json!({"errors":[unmatched("p_app", "OTHER_COLLECTION", "Workflow \"p_app\" is bound to collection \"posts\", not \"categories\"")]}),
    );
    none.settle("association 404s and mismatch");
    let v = fx.ok(
        "/api/posts/1/category:trigger?triggerWorkflows=c_echo",
        Some(json!({"title":"F"})),
    );
    assert_eq!(fx.runs(&v), [run("c_echo", true, json!(1))]);
    assert_eq!(fx.data(&v), json!({"title":"F"}));
    assert_eq!(v["messages"], messages(&["cat F"]));
    // hasMany association form with an id of a linked row.
    let v = fx.ok(
        "/api/posts/1/comments:trigger/1?triggerWorkflows=k_comments",
        None,
    );
    assert_eq!(fx.data(&v), fx.record("/api/comments:get/1"));
}

// ---- cases 15, 16, 22, 23, 35–39: keys, matching, resources --------------------------------------

#[test]
fn keys_matching_and_resources() {
    let fx = fixture();
    let s = &fx.s;

    // 15. Lists, order, de-duplication, trimming, repeats.
    for q in [
        "triggerWorkflows=s_echo,s_two",
        "triggerWorkflows=%20s_echo%20,,%20,s_two",
        "triggerWorkflows=s_echo&triggerWorkflows=s_two",
        "triggerWorkflows[]=s_echo&triggerWorkflows[]=s_two",
        "triggerWorkflows=s_echo,s_two,s_echo",
    ] {
        let v = fx.ok(&format!("/api/samples:trigger/1?{q}"), None);
        assert_eq!(
            fx.runs(&v),
            [run("s_echo", true, json!(1)), run("s_two", true, json!(1))],
            "{q}"
        );
        assert_eq!(v["messages"], messages(&["echo Sample 1", "two"]), "{q}");
    }
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=s_two,s_echo", None);
    assert_eq!(
        fx.runs(&v),
        [run("s_two", true, json!(1)), run("s_echo", true, json!(1))]
    );
    assert_eq!(v["messages"], messages(&["two", "echo Sample 1"]));
    let before = fx.runs_of("s_echo");
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_echo,s_echo",
        None,
    );
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);
    assert_eq!(v["messages"], messages(&["echo Sample 1"]));
    assert_eq!(fx.runs_of("s_echo"), before + 1);
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows[0]=s_echo&triggerWorkflows[1]=s_two",
        None,
    );
    assert_eq!(
        fx.runs(&v),
        [run("s_echo", true, json!(1)), run("s_two", true, json!(1))]
    );
    // Any method but GET and HEAD works with the explicit :trigger; those two answer 405 (a write, README).
    for method in ["PUT", "PATCH", "DELETE"] {
        let (st, v) = s.call(
            &fx.r,
            method,
            "/api/samples:trigger/1?triggerWorkflows=s_echo",
            None,
        );
        assert_eq!(
            (st, &v["messages"]),
            (200, &messages(&["echo Sample 1"])),
            "{method}: {v}"
        );
    }
    let before_get = fx.runs_of("s_echo");
    let r = s
        .req("GET", "/api/samples:trigger/1?triggerWorkflows=s_echo")
        .bearer(&fx.r)
        .raw(b"{\"title\":\"ignored\"}");
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED")),
        "{}",
        r.text
    );
    assert_eq!(fx.runs_of("s_echo"), before_get, "a GET runs nothing");
    // triggerWorkflows and filterByTk come only from the query and the path; in the body they are data.
    let got = fx.t(
        &fx.r,
        "/api/samples:trigger/1",
        Some(json!({"triggerWorkflows":"s_echo"})),
    );
    assert_err(
        got,
        400,
        "MISSING_PARAMETER",
        "parameter \"triggerWorkflows\" is required",
    );
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_echo",
        Some(json!({"filterByTk":2})),
    );
    let d = fx.data(&v);
    assert_eq!(
        (&d["id"], &d["filterByTk"], &d["title"]),
        (&json!(1), &json!(2), &json!("Sample 1"))
    );
    // Duplicates: the first occurrence and its path win.
    let v = fx.ok(
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category,c_echo",
        None,
    );
    assert_eq!(fx.data(&v)["title"], "News");

    // 16. No keys; an empty key.
    let none = s.no_runs();
    for path in [
        "/api/samples:trigger/1",
        "/api/samples:trigger/1?triggerWorkflows=,%20,",
        "/api/samples:trigger/1?triggerWorkflows=",
        "/api/samples:trigger/1?triggerWorkflows",
    ] {
        assert_err(
            fx.t(&fx.r, path, None),
            400,
            "MISSING_PARAMETER",
            "parameter \"triggerWorkflows\" is required",
        );
    }
    for q in ["!category", "s_echo,!category", "%20!category"] {
        let (st, v) = fx.t(
            &fx.r,
            &format!("/api/posts:trigger/1?triggerWorkflows={q}"),
            None,
        );
        assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{q}: {v}");
        assert!(
            message(&v).starts_with("Invalid parameter \"triggerWorkflows\": "),
            "{v}"
        );
        assert_eq!(v["errors"].as_array().map(Vec::len), Some(1));
    }
    none.now("no keys");

    // 35 and 23. Unmatched keys, one entry each, in key order; global and record forms.
    let not_enabled =
        |k: &str| unmatched(k, "DISABLED", &format!("Workflow \"{k}\" is not enabled"));
    let not_found =
        |k: &str| unmatched(k, "NOT_FOUND", &format!("Workflow \"{k}\" does not exist"));
    let cases: [(&str, Vec<Value>); 6] = [
        (
            "samples:trigger/1?triggerWorkflows=s_off",
            vec![not_enabled("s_off")],
        ),
        (
            "samples:trigger/1?triggerWorkflows=k_comments",
            vec![unmatched(
                "k_comments",
                "OTHER_COLLECTION",
                "Workflow \"k_comments\" is bound to collection \"comments\", not \"samples\"",
            )],
        ),
        (
            "samples:trigger/1?triggerWorkflows=nope",
            vec![not_found("nope")],
        ),
        (
            "samples:trigger/1?triggerWorkflows=nope,s_off",
            vec![not_found("nope"), not_enabled("s_off")],
        ),
        (
            "samples:trigger?triggerWorkflows=g_hi",
            vec![unmatched(
                "g_hi",
                "GLOBAL_CONTEXT",
                "Workflow \"g_hi\" has a global context; trigger it with workflows:trigger",
            )],
        ),
        (
            "workflows:trigger?triggerWorkflows=s_echo,s_off,nope",
            vec![
                unmatched(
                    "s_echo",
                    "RECORD_CONTEXT",
                    "Workflow \"s_echo\" is bound to a collection; trigger it with samples:trigger",
                ),
                not_enabled("s_off"),
                not_found("nope"),
            ],
        ),
    ];
    for (path, entries) in cases {
        assert_body(
            fx.t(&fx.r, &format!("/api/{path}"), None),
            400,
            json!({ "errors": entries }),
        );
    }
    for (q, name) in [
        ("/1?triggerWorkflows=g_hi", "filterByTk"),
        ("?triggerWorkflows=g_hi&filterByTk=1", "filterByTk"),
        ("?triggerWorkflows=g_hi&filterByTk[]=1", "filterByTk"),
        ("?triggerWorkflows=g_hi!category", "triggerWorkflows"),
    ] {
        let (st, v) = fx.t(&fx.r, &format!("/api/workflows:trigger{q}"), None);
        assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{q}: {v}");
        assert!(
            message(&v).starts_with(&format!("Invalid parameter \"{name}\": ")),
            "{q}: {v}"
        );
    }
    assert_err(
        s.req("POST", "/api/workflows:trigger?triggerWorkflows=g_hi")
            .send(),
        401,
        "EMPTY_TOKEN",
        "Unauthenticated. Please sign in to continue.",
    );
    // 38. Unknown collection (resolved before the ACL: a member gets the 404 too).
    assert_err(
        fx.t(
            &fx.m1,
            "/api/nothing:trigger/1?triggerWorkflows=s_echo",
            None,
        ),
        404,
        "RESOURCE_NOT_FOUND",
        "Resource \"nothing\" not found",
    );
    assert_err(
        fx.t(&fx.r, "/api/nothing:trigger?triggerWorkflows=s_echo", None),
        404,
        "RESOURCE_NOT_FOUND",
        "Resource \"nothing\" not found",
    );
    assert_err(
        fx.t(
            &fx.r,
            "/api/nothing:trigger/1?triggerWorkflows=s_echo",
            None,
        ),
        404,
        "RESOURCE_NOT_FOUND",
        "Resource \"nothing\" not found",
    );
    // 39. Data source.
    let (st, v) = s
        .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_echo")
        .bearer(&fx.r)
        .header("X-Data-Source", "another")
        .send();
    assert_body(
        (st, v),
        400,
        json!({"errors":[{"message":"data source \"another\" does not exist","code":"DATA_SOURCE_NOT_FOUND"}]}),
    );
    none.settle("unmatched keys and refused requests");
    let (st, v) = s
        .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_echo")
        .bearer(&fx.r)
        .header("X-Data-Source", "main")
        .send();
    assert_eq!(st, 200, "{v}");
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);

    // 36. Some matched: they run, the others are listed in data.skipped.
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=s_echo,nope", None);
    assert_eq!(keys(&v["data"]), ["executions", "skipped"]);
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);
    assert_eq!(
        v["data"]["skipped"],
        json!([{"key":"nope","reason":"NOT_FOUND"}])
    );
    assert_eq!(v["messages"], messages(&["echo Sample 1"]));
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_off,s_echo,g_hi,k_comments",
        None,
    );
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);
    assert_eq!(
        v["data"]["skipped"],
        json!([{"key":"s_off","reason":"DISABLED"},{"key":"g_hi","reason":"GLOBAL_CONTEXT"},{"key":"k_comments","reason":"OTHER_COLLECTION"}])
    );

    // 22. Global trigger: any logged-in user, body as data.
    let v = {
        let (st, v) = fx.t(
            &fx.m1,
            "/api/workflows:trigger?triggerWorkflows=g_hi",
            Some(json!({"a":1})),
        );
        assert_eq!(st, 200, "{v}");
        v
    };
    assert_eq!(fx.runs(&v), [run("g_hi", true, json!(1))]);
    assert_eq!(v["messages"], messages(&["hi m1"]));
    let ctx = context_of(s, fx.exec_id(&v, 0));
    assert_eq!(keys(&ctx), ["data", "user", "roleName"]);
    assert_eq!(
        (&ctx["data"], &ctx["user"]["id"], &ctx["roleName"]),
        (&json!({"a":1}), &json!(fx.m1_id), &json!("member"))
    );
    assert_eq!(ctx["user"]["username"], "m1");
    assert!(ctx["user"].get("password").is_none(), "{ctx}");
    let v = fx.ok(
        "/api/workflows:trigger?triggerWorkflows=g_hi,demo_global",
        None,
    );
    assert_eq!(
        fx.runs(&v),
        [
            run("g_hi", true, json!(1)),
            run("demo_global", true, json!(1))
        ]
    );
    assert_eq!(v["messages"], messages(&["hi admin", "Hello, admin"]));
    assert_eq!(fx.data(&v), json!({}));
    let (st, v) = fx.t(&fx.a, "/api/workflows:trigger?triggerWorkflows=g_hi", None);
    assert_eq!((st, &v["messages"]), (200, &messages(&["hi a1"])));

    // 37. A workflow bound to main:samples matches samples:trigger.
    make(
        s,
        json!({"title":"main","key":"s_main","type":"custom-action","sync":true,"enabled":true,"config":{"type":1,"collection":"main:samples"}}),
        &[msg_node("main {{$context.data.id}}")],
    );
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=s_main", None);
    assert_eq!(v["data"]["executions"][0]["workflowKey"], "s_main");
    assert_eq!(v["messages"], messages(&["main 1"]));
    let got = fx.t(&fx.r, "/api/posts:trigger/1?triggerWorkflows=s_main", None);
    assert_eq!(
        (got.0, &got.1["errors"][0]["reason"]),
        (400, &json!("OTHER_COLLECTION"))
    );
}

// ---- cases 17–21: running and responding ------------------------------------------------------------

#[test]
fn sync_and_async_groups() {
    let fx = fixture();
    let s = &fx.s;

    // 17. Sync first (key order among sync), then async with status null; async readable at once.
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_async,s_echo",
        None,
    );
    assert_eq!(
        fx.runs(&v),
        [
            run("s_echo", true, json!(1)),
            run("s_async", false, Value::Null)
        ]
    );
    assert_eq!(v["messages"], messages(&["echo Sample 1"]));
    let async_id = fx.exec_id(&v, 1);
    assert!(async_id > fx.exec_id(&v, 0));
    let (st, e) = s.get(&fx.r, &format!("/api/executions:get/{async_id}"));
    assert_eq!(
        (st, &e["data"]["id"], &e["data"]["key"]),
        (200, &json!(async_id), &json!("s_async")),
        "readable at once"
    );
    let e = wf::wait_final(s, async_id, Duration::from_secs(2));
    assert_eq!(e["status"], 1);
    assert_eq!(e["jobs"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&e["jobs"][0]["status"], &e["jobs"][0]["result"]),
        (&json!(1), &json!(182))
    );
    assert_eq!(e["context"]["data"]["id"], 1);
    // Only async: no messages, status null, then 1.
    let v = fx.ok(
        "/api/samples:trigger?triggerWorkflows=s_async,demo_sample_async",
        Some(json!({"indicator":5})),
    );
    assert_eq!(keys(&v), ["data"]);
    assert_eq!(
        fx.runs(&v),
        [
            run("s_async", false, Value::Null),
            run("demo_sample_async", false, Value::Null)
        ]
    );
    let (a, b) = (fx.exec_id(&v, 0), fx.exec_id(&v, 1));
    assert!(a < b, "async rows are committed in key order");
    assert_eq!(
        wf::wait_final(s, a, Duration::from_secs(2))["jobs"][0]["result"],
        10
    );
    let e = wf::wait_final(s, b, Duration::from_secs(2));
    assert_eq!((&e["status"], &e["output"]), (&json!(1), &json!(10)));

    // response-message nodes speak only in sync runs.
    make(
        s,
        json!({"title":"am","key":"a_msg","type":"custom-action","sync":false,"enabled":true,"config":{"type":1,"collection":"samples"}}),
        &[msg_node("async says")],
    );
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=a_msg", None);
    assert_eq!(keys(&v), ["data"], "{v}");
    let e = wf::wait_final(
        s,
        v["data"]["executions"][0]["id"]
            .as_i64()
            .unwrap_or_default(),
        Duration::from_secs(2),
    );
    assert_eq!(
        (&e["status"], &e["jobs"][0]["result"]),
        (&json!(1), &json!("async says"))
    );

    // 18. An end(1) stops: later sync workflows skipped, the async group not committed.
    let (echo, asy) = (fx.runs_of("s_echo"), fx.runs_of("s_async"));
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_end_ok,s_echo,s_async",
        None,
    );
    assert_eq!(keys(&v), ["data"], "no messages: {v}");
    assert_eq!(fx.runs(&v), [run("s_end_ok", true, json!(1))]);
    // The async one is listed first in the keys, the end still stops it.
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_async,s_end_ok,s_echo",
        None,
    );
    assert_eq!(fx.runs(&v), [run("s_end_ok", true, json!(1))]);
    // Messages pushed before the stop are answered.
    let v = fx.ok(
        "/api/samples:trigger/1?triggerWorkflows=s_two,s_end_ok,s_echo",
        None,
    );
    assert_eq!(
        fx.runs(&v),
        [
            run("s_two", true, json!(1)),
            run("s_end_ok", true, json!(1))
        ]
    );
    assert_eq!(v["messages"], messages(&["two"]));
    s.wait_idle(Duration::from_secs(10));
    assert_eq!(
        (fx.runs_of("s_echo"), fx.runs_of("s_async")),
        (echo, asy),
        "no s_echo/s_async executions ever"
    );

    // 19. end(-1): intercepted.
    let (st, v) = fx.t(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_end_fail",
        None,
    );
    let e_id = v["errors"][0]["executionId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{v}"));
    assert_body(
        (st, v),
        400,
        json!({"errors":[{"message":"Request is intercepted by workflow","code":"WORKFLOW_INTERCEPTED","executionId":e_id}]}),
    );
    let e = wf::execution(s, e_id);
    assert_eq!(
        (&e["status"], &e["key"]),
        (&json!(-1), &json!("s_end_fail"))
    );

    // 20. Intercepted with messages: every message of this request, in order.
    let (st, v) = fx.t(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_msg_fail",
        None,
    );
    let e_id = v["errors"][0]["executionId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{v}"));
    assert_body(
        (st, v),
        400,
        json!({"errors":[{"message":"m1","code":"WORKFLOW_INTERCEPTED","executionId":e_id}]}),
    );
    assert_eq!(wf::execution(s, e_id)["status"], -1);
    let (asy, before) = (fx.runs_of("s_async"), s.execution_count());
    let (st, v) = fx.t(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_echo,s_msg_fail,s_async,s_two",
        None,
    );
    let e_id = v["errors"][1]["executionId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(wf::execution(s, e_id)["key"], "s_msg_fail");
    // Each entry carries the intercepting execution's id (trigger.md §7 names one executionId per entry).
    assert_body(
        (st, v),
        400,
        json!({"errors":[
            {"message":"echo Sample 1","code":"WORKFLOW_INTERCEPTED","executionId":e_id},
            {"message":"m1","code":"WORKFLOW_INTERCEPTED","executionId":e_id}]}),
    );
    assert_eq!(
        s.execution_count(),
        before + 2,
        "s_echo and s_msg_fail ran, s_two did not"
    );

    // 21. A node error: 500 with the execution, key and status; nothing later runs.
    let e_id = fx.failed(
        "/api/samples:trigger/1?triggerWorkflows=s_error",
        "s_error",
        -2,
    );
    let e = wf::execution(s, e_id);
    assert_eq!(
        (&e["status"], &e["jobs"][0]["status"]),
        (&json!(-2), &json!(-2))
    );
    let result = e["jobs"][0]["result"].as_str().unwrap_or_default();
    assert!(result.starts_with("SyntaxError: "), "{}", e["jobs"][0]);
    let echo = fx.runs_of("s_echo");
    let (st, v) = fx.t(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_error,s_echo,s_async",
        None,
    );
    assert_eq!(
        (st, code(&v), &v["errors"][0]["workflowKey"]),
        (500, "WORKFLOW_FAILED", &json!("s_error"))
    );
    // A failure after an earlier sync success: the earlier one is not rolled back, async not committed.
    let (st, v) = fx.t(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_echo,s_error,s_async",
        None,
    );
    assert_eq!((st, code(&v)), (500, "WORKFLOW_FAILED"), "{v}");
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(1), "{v}");
    s.wait_idle(Duration::from_secs(10));
    assert_eq!(
        fx.runs_of("s_echo"),
        echo + 1,
        "only the s_echo before the failure ran"
    );
    assert_eq!(
        fx.runs_of("s_async"),
        asy,
        "no async execution was committed after an error"
    );
}

// ---- cases 28–34: ACL and auth ---------------------------------------------------------------------

#[test]
fn acl_and_auth() {
    let fx = fixture();
    let s = &fx.s;
    let t1 = "/api/samples:trigger/1?triggerWorkflows=s_echo";
    let t2 = "/api/samples:trigger/2?triggerWorkflows=s_echo";
    let t_new = "/api/samples:trigger?triggerWorkflows=s_echo";
    let forbidden = |token: &str, path: &str| {
        assert_err(
            fx.t(token, path, None),
            403,
            "NO_PERMISSIONS",
            "No permissions",
        )
    };
    let allowed = |token: &str, path: &str| {
        let (st, v) = fx.t(token, path, None);
        assert_eq!(st, 200, "{path}: {v}");
        assert_eq!(v["data"]["executions"][0]["status"], 1, "{v}");
        v
    };

    // 28. Member without grants.
    let none = s.no_runs();
    forbidden(&fx.m1, t1);
    forbidden(&fx.m1, t_new);
    forbidden(
        &fx.m1,
        "/api/samples:trigger?triggerWorkflows=s_echo&filterByTk=1",
    );
    forbidden(
        &fx.m1,
        "/api/posts/1/category:trigger?triggerWorkflows=c_echo",
    );
    // ACL comes before keys: an unknown key is still 403.
    forbidden(&fx.m1, "/api/samples:trigger/1?triggerWorkflows=nope");
    forbidden(&fx.m1, "/api/samples:trigger/1");
    none.settle("member without grants");

    // 29. Both actions granted.
    let cfg = s.ok(
        "POST",
        "/api/roles/member/resources:create",
        Some(json!({"name":"samples","usingActionsConfig":true,"actions":[{"name":"trigger"},{"name":"triggerNew"}]})),
    );
    let cfg_path = format!("/api/roles/member/resources:update/{}", cfg["id"]);
    let v = allowed(&fx.m1, t1);
    let ctx = context_of(s, fx.exec_id(&v, 0));
    assert_eq!(
        (&ctx["user"]["id"], &ctx["roleName"]),
        (&json!(fx.m1_id), &json!("member"))
    );
    allowed(&fx.m1, t_new);
    allowed(
        &fx.m1,
        "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=1&filterByTk[]=2",
    );

    // 30. Only trigger, then only triggerNew.
    s.ok(
        "POST",
        &cfg_path,
        Some(json!({"usingActionsConfig":true,"actions":[{"name":"trigger"}]})),
    );
    let none = s.no_runs();
    forbidden(&fx.m1, t_new);
    none.now("triggerNew refused");
    allowed(&fx.m1, t1);
    s.ok(
        "POST",
        &cfg_path,
        Some(json!({"usingActionsConfig":true,"actions":[{"name":"triggerNew"}]})),
    );
    let none = s.no_runs();
    forbidden(&fx.m1, t1);
    forbidden(
        &fx.m1,
        "/api/samples:trigger?triggerWorkflows=s_echo&filterByTk=1",
    );
    none.now("trigger refused");
    allowed(&fx.m1, t_new);

    // 31. trigger scope own: m1's samples#2 only; missing and foreign ids are 403, before anything runs.
    s.ok(
        "POST",
        &cfg_path,
        Some(json!({"usingActionsConfig":true,"actions":[{"name":"trigger","scope":"own"}]})),
    );
    let v = allowed(&fx.m1, t2);
    assert_eq!(v["messages"], messages(&["echo Mine"]));
    let none = s.no_runs();
    forbidden(&fx.m1, t1);
    forbidden(&fx.m1, "/api/samples:trigger/999?triggerWorkflows=s_echo");
    forbidden(
        &fx.m1,
        "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=1&filterByTk[]=2",
    );
    forbidden(
        &fx.m1,
        "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=2&filterByTk[]=999",
    );
    forbidden(
        &fx.m1,
        "/api/samples:trigger/2?triggerWorkflows=s_echo,s_async&filterByTk=1",
    );
    // m2 (same role, not the creator) is refused m1's record.
    forbidden(&fx.m2, t2);
    none.settle("own scope refusals");
    allowed(
        &fx.m1,
        "/api/samples:trigger?triggerWorkflows=s_multi&filterByTk[]=2",
    );

    // Own scope with !path: the source record is the one checked.
    let posts_cfg = s.ok(
        "POST",
        "/api/roles/member/resources:create",
        Some(json!({"name":"posts","usingActionsConfig":true,"actions":[{"name":"trigger","scope":"own"},{"name":"create"}]})),
    );
    // The member may not view category 2 (root's), so it cannot link it itself (hardening_acl.rs): root does.
    let (st, mine) = s.post(&fx.m1, "/api/posts:create", json!({"title":"m1 post"}));
    assert_eq!(st, 200, "{mine}");
    let mine = mine["data"]["id"].as_i64().expect("post id");
    s.ok(
        "POST",
        &format!("/api/posts:update/{mine}"),
        Some(json!({"category": 2})),
    );
    let v = allowed(
        &fx.m1,
        &format!("/api/posts:trigger/{mine}?triggerWorkflows=c_echo!category"),
    );
    assert_eq!(v["messages"], messages(&["cat Tech"]));
    let none = s.no_runs();
    forbidden(
        &fx.m1,
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category",
    );
    forbidden(
        &fx.m1,
        "/api/categories/1/posts:trigger/1?triggerWorkflows=p_app",
    );
    forbidden(
        &fx.m1,
        "/api/posts:trigger?triggerWorkflows=c_echo!category",
    );
    none.now("own scope with paths");
    s.ok(
        "POST",
        &format!("/api/roles/member/resources:destroy/{}", posts_cfg["id"]),
        None,
    );

    // 32. actions [] denies all again; admin has both by default.
    s.ok(
        "POST",
        &cfg_path,
        Some(json!({"name":"samples","usingActionsConfig":true,"actions":[]})),
    );
    let none = s.no_runs();
    forbidden(&fx.m1, t2);
    forbidden(&fx.m1, t_new);
    none.now("actions []");
    allowed(&fx.a, t1);
    allowed(&fx.a, t_new);
    allowed(
        &fx.a,
        "/api/posts:trigger/1?triggerWorkflows=c_echo!category",
    );

    // 33. Tokens.
    let r2 = s.sign_in("admin", ROOT_PASSWORD);
    allowed(&r2, t1);
    let (st, _) = s.call(&r2, "POST", "/api/auth:signOut", None);
    assert_eq!(st, 200);
    let none = s.no_runs();
    assert_err(
        s.req("POST", t1).send(),
        401,
        "EMPTY_TOKEN",
        "Unauthenticated. Please sign in to continue.",
    );
    assert_err(
        s.req("POST", t1).bearer("garbage").send(),
        401,
        "INVALID_TOKEN",
        "Your session has expired. Please sign in again.",
    );
    assert_err(
        fx.t(&r2, t1, None),
        401,
        "BLOCKED_TOKEN",
        "Your session has expired. Please sign in again.",
    );
    none.settle("401s");
    let v = {
        let (st, v) = s.req("POST", &format!("{t1}&token={}", fx.r)).send();
        assert_eq!(st, 200, "{v}");
        v
    };
    assert_eq!(fx.runs(&v), [run("s_echo", true, json!(1))]);

    // 34. Roles.
    let none = s.no_runs();
    let got = s
        .req("POST", t1)
        .bearer(&fx.m1)
        .header("X-Role", "admin")
        .send();
    assert_err(
        got,
        401,
        "ROLE_NOT_FOUND_FOR_USER",
        "The role does not belong to the user",
    );
    assert_err(
        fx.t(&fx.z, t1, None),
        401,
        "USER_HAS_NO_ROLES_ERR",
        "The current user has no roles. Please try another account.",
    );
    assert_err(
        s.req("POST", "/api/workflows:trigger?triggerWorkflows=g_hi")
            .bearer(&fx.z)
            .send(),
        401,
        "USER_HAS_NO_ROLES_ERR",
        "The current user has no roles. Please try another account.",
    );
    // Headers that are not ASCII are refused as what they claim to be, never taken as absent.
    for (header, status, want) in [
        ("X-Role", 401, "ROLE_NOT_FOUND_FOR_USER"),
        ("X-Data-Source", 400, "DATA_SOURCE_NOT_FOUND"),
        ("X-Authenticator", 401, "AUTHENTICATOR_NOT_FOUND"),
    ] {
        let mut conn = s.tcp();
        let req = format!("POST {t1} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n{header}: r\u{f4}le\r\nContent-Length: 0\r\n\r\n", fx.r);
        let (st, _, body) = tcp_exchange(&mut conn, req.as_bytes());
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert_eq!((st, code(&v)), (status, want), "{header}: {body}");
    }
    none.settle("401s");
    let v = allowed(&fx.r, t1);
    assert_eq!(context_of(s, fx.exec_id(&v, 0))["roleName"], "root");
    let (st, v) = s
        .req("POST", t1)
        .bearer(&fx.r)
        .header("X-Role", "root")
        .send();
    assert_eq!(st, 200);
    assert_eq!(context_of(s, fx.exec_id(&v, 0))["roleName"], "root");
}

// ---- cases 42–44: Idempotency-Key -----------------------------------------------------------------

#[test]
fn idempotency_keys() {
    let fx = fixture();
    let s = &fx.s;
    let path = "/api/samples:trigger/1?triggerWorkflows=s_echo,s_async";
    let send = |token: &str, p: &str, key: &str, body: &[u8]| {
        s.req("POST", p)
            .bearer(token)
            .header("Idempotency-Key", key)
            .raw(body)
    };

    // 42. Replay: same status and body, the header, one execution of each.
    let before = s.execution_count();
    let first = send(&fx.r, path, "k1", b"{\"title\":\"T\"}");
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.header("Idempotent-Replayed"), None);
    assert_eq!(
        fx.runs(&first.body),
        [
            run("s_echo", true, json!(1)),
            run("s_async", false, Value::Null)
        ]
    );
    let second = send(&fx.r, path, "k1", b"{\"title\":\"T\"}");
    assert_eq!((second.status, &second.body), (200, &first.body));
    assert_eq!(second.text, first.text, "the stored body, byte for byte");
    assert_eq!(second.header("Idempotent-Replayed"), Some("true"));
    // The token may move to the query (it is not part of the fingerprint).
    let third = s
        .req("POST", &format!("{path}&token={}", fx.r))
        .header("Idempotency-Key", "k1")
        .raw(b"{\"title\":\"T\"}");
    assert_eq!(
        (
            third.status,
            &third.body,
            third.header("Idempotent-Replayed")
        ),
        (200, &first.body, Some("true"))
    );
    // Query order does not matter either.
    let fourth = send(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_echo,s_async",
        "k1",
        b"{\"title\":\"T\"}",
    );
    assert_eq!(fourth.header("Idempotent-Replayed"), Some("true"));
    let async_id = fx.exec_id(&first.body, 1);
    wf::wait_final(s, async_id, Duration::from_secs(2));
    s.wait_idle(Duration::from_secs(10));
    assert_eq!(
        s.execution_count(),
        before + 2,
        "one execution of each workflow"
    );

    // 43. Another request with k1 → 409; another user's k1 runs normally.
    let none = s.no_runs();
    let conflict = |r: Resp| {
        assert_body(
            r.pair(),
            409,
            json!({"errors":[{"message":"Idempotency-Key \"k1\" was already used for a different request","code":"IDEMPOTENCY_KEY_CONFLICT"}]}),
        )
    };
    conflict(send(&fx.r, path, "k1", b"{\"title\":\"U\"}"));
    conflict(send(&fx.r, path, "k1", b""));
    conflict(send(
        &fx.r,
        "/api/samples:trigger/2?triggerWorkflows=s_echo,s_async",
        "k1",
        b"{\"title\":\"T\"}",
    ));
    conflict(
        s.req("POST", path)
            .bearer(&fx.r)
            .header("Idempotency-Key", "k1")
            .header("X-Role", "root")
            .raw(b"{\"title\":\"T\"}"),
    );
    conflict(
        s.req("PUT", path)
            .bearer(&fx.r)
            .header("Idempotency-Key", "k1")
            .raw(b"{\"title\":\"T\"}"),
    );
    none.settle("conflicts");
    let other = send(&fx.a, path, "k1", b"{\"title\":\"T\"}");
    assert_eq!(
        (other.status, other.header("Idempotent-Replayed")),
        (200, None),
        "{}",
        other.text
    );
    assert_ne!(fx.exec_id(&other.body, 0), fx.exec_id(&first.body, 0));
    // M2 with k1: processed as M2's own request (members have no grant: 403, neither 409 nor a replay
    // of root's answer); with k1 on a global trigger it runs.
    let m2 = send(&fx.m2, path, "k1", b"{\"title\":\"T\"}");
    assert_eq!(
        (m2.status, code(&m2.body), m2.header("Idempotent-Replayed")),
        (403, "NO_PERMISSIONS", None),
        "{}",
        m2.text
    );
    let m2 = send(
        &fx.m2,
        "/api/workflows:trigger?triggerWorkflows=g_hi",
        "k1",
        b"{\"title\":\"T\"}",
    );
    assert_eq!(
        (m2.status, m2.header("Idempotent-Replayed")),
        (200, None),
        "{}",
        m2.text
    );
    assert_eq!(m2.body["messages"], messages(&["hi m2"]));

    // Invalid keys → 400 before anything else (even before the keys are parsed); nothing runs.
    let none = s.no_runs();
    let long = "k".repeat(256);
    for key in ["a b", long.as_str(), "tab\there"] {
        let r = send(&fx.r, "/api/samples:trigger/1", key, b"");
        assert_err(
            r.pair(),
            400,
            "IDEMPOTENCY_KEY_INVALID",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        );
    }
    for raw_key in ["", "\u{e9}t\u{e9}"] {
        let mut conn = s.tcp();
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nIdempotency-Key: {raw_key}\r\nContent-Length: 0\r\n\r\n",
            fx.r
        );
        let (st, _, body) = tcp_exchange(&mut conn, req.as_bytes());
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert_err(
            (st, v),
            400,
            "IDEMPOTENCY_KEY_INVALID",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        );
    }
    // The key is checked before the query parameters (http.md §2 steps 8 and 9).
    let deep = "/api/samples:trigger/1?triggerWorkflows=s_echo&a[b][c][d][e][f][g]=1";
    let r = send(&fx.r, deep, "a b", b"");
    assert_err(
        r.pair(),
        400,
        "IDEMPOTENCY_KEY_INVALID",
        "Idempotency-Key must be 1 to 255 visible ASCII characters",
    );
    let r = send(&fx.r, deep, "deep", b"");
    assert_eq!(
        (r.status, code(&r.body)),
        (400, "INVALID_PARAMETER"),
        "{}",
        r.text
    );
    let again = send(&fx.r, deep, "deep", b"");
    assert_eq!(
        (
            again.status,
            &again.body,
            again.header("Idempotent-Replayed")
        ),
        (400, &r.body, Some("true")),
        "{}",
        again.text
    );
    none.settle("invalid keys");
    let max = "~".repeat(255);
    let r = send(&fx.r, path, &max, b"");
    assert_eq!(
        r.status, 200,
        "255 visible characters are a valid key: {}",
        r.text
    );

    // 44. A failing (500) request is stored and replayed; nothing more runs.
    let e500 = send(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_error,s_echo",
        "k2",
        b"",
    );
    assert_eq!(
        (e500.status, code(&e500.body)),
        (500, "WORKFLOW_FAILED"),
        "{}",
        e500.text
    );
    let none = s.no_runs();
    let again = send(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_error,s_echo",
        "k2",
        b"",
    );
    assert_eq!(
        (
            again.status,
            &again.body,
            again.header("Idempotent-Replayed")
        ),
        (500, &e500.body, Some("true"))
    );
    none.settle("500 replay");
    assert_eq!(fx.runs_of("s_error"), 1, "one execution");
    // Client errors are stored too.
    let bad = send(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=nope",
        "k3",
        b"",
    );
    let bad_again = send(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=nope",
        "k3",
        b"",
    );
    assert_eq!((bad.status, code(&bad.body)), (400, "WORKFLOW_NOT_MATCHED"));
    assert_eq!(
        (
            bad_again.status,
            &bad_again.body,
            bad_again.header("Idempotent-Replayed")
        ),
        (400, &bad.body, Some("true"))
    );
    // Keys of global triggers.
    let g = send(
        &fx.m1,
        "/api/workflows:trigger?triggerWorkflows=g_hi",
        "g1",
        b"{}",
    );
    let g_again = send(
        &fx.m1,
        "/api/workflows:trigger?triggerWorkflows=g_hi",
        "g1",
        b"{}",
    );
    assert_eq!(
        (g.status, g_again.status, &g_again.body),
        (200, 200, &g.body)
    );
    assert_eq!(g_again.header("Idempotent-Replayed"), Some("true"));
    assert_eq!(fx.runs_of("g_hi"), 2, "m2's run with k1 and m1's with g1");
    // Keys are stored per user in the store.
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'k1'"),
        3
    );

    // IN_PROGRESS: a second request with the key while the first still runs.
    let slow = wf::Upstream::start();
    slow.close_gate(0);
    let slow_url = slow.url("/slow?ms=1500");
    make(
        s,
        json!({"title":"slow","key":"s_slow","type":"custom-action","sync":true,"enabled":true,"config":{"type":1,"collection":"samples"}}),
        &[
            json!({"type":"request","config":{"url": slow.url("/gate"), "method":"GET", "timeout": 10000}}),
            msg_node("slow done"),
        ],
    );
    let slow_path = "/api/samples:trigger/1?triggerWorkflows=s_slow";
    let first = std::thread::scope(|sc| {
        let h = sc.spawn(|| send(&fx.r, slow_path, "k4", b""));
        slow.wait_held(1);
        let none = s.no_runs();
        let busy = send(&fx.r, slow_path, "k4", b"");
        assert_body(
            busy.pair(),
            409,
            json!({"errors":[{"message":"A request with Idempotency-Key \"k4\" is still being processed","code":"IDEMPOTENCY_KEY_IN_PROGRESS"}]}),
        );
        // A different request with the running key is still a conflict.
        conflict_k4(send(&fx.r, slow_path, "k4", b"{}"));
        none.now("in progress");
        slow.open_gate();
        h.join().expect("first slow request")
    });
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["messages"], messages(&["slow done"]));
    let replay = send(&fx.r, slow_path, "k4", b"");
    assert_eq!(
        (
            replay.status,
            &replay.body,
            replay.header("Idempotent-Replayed")
        ),
        (200, &first.body, Some("true"))
    );
    assert_eq!(slow.count("/gate"), 1, "the replay ran nothing");

    // A request node timing out fails the sync run: 500 with status -3 (ABORTED).
    make(
        s,
        json!({"title":"t","key":"s_timeout","type":"custom-action","sync":true,"enabled":true,"config":{"type":1,"collection":"samples"}}),
        &[
            json!({"type":"request","config":{"url": slow_url, "method":"GET", "timeout": 100}}),
            msg_node("never"),
        ],
    );
    let e_id = fx.failed(
        "/api/samples:trigger/1?triggerWorkflows=s_timeout",
        "s_timeout",
        -3,
    );
    let e = wf::execution(s, e_id);
    assert_eq!(
        (
            &e["status"],
            &e["jobs"][0]["status"],
            e["jobs"].as_array().map(Vec::len)
        ),
        (&json!(-3), &json!(-3), Some(1))
    );
}

#[track_caller]
fn conflict_k4(r: Resp) {
    assert_body(
        r.pair(),
        409,
        json!({"errors":[{"message":"Idempotency-Key \"k4\" was already used for a different request","code":"IDEMPOTENCY_KEY_CONFLICT"}]}),
    );
}

// ---- cases 41, 46 ---------------------------------------------------------------------------------

#[test]
fn revisions_and_bodies() {
    let fx = fixture();
    let s = &fx.s;

    // 46. Body errors: nothing runs.
    let none = s.no_runs();
    let big = vec![b' '; 1_048_577];
    let r = s
        .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_echo")
        .bearer(&fx.r)
        .raw(&big);
    assert_err(
        r.pair(),
        413,
        "PAYLOAD_TOO_LARGE",
        "Request body exceeds the limit of 1048576 bytes",
    );
    // The body limit comes before authentication.
    let r = s
        .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_echo")
        .raw(&big);
    assert_eq!((r.status, code(&r.body)), (413, "PAYLOAD_TOO_LARGE"));
    let mut big_json = b"{\"title\":\"".to_vec();
    big_json.extend(std::iter::repeat_n(b'x', 1_048_576));
    big_json.extend_from_slice(b"\"}");
    let r = s
        .req(
            "POST",
            "/api/samples:trigger?triggerWorkflows=s_echo,s_async",
        )
        .bearer(&fx.r)
        .raw(&big_json);
    assert_eq!((r.status, code(&r.body)), (413, "PAYLOAD_TOO_LARGE"));
    for (body, st, c, m) in [
        (
            &b"[1]"[..],
            400,
            "INVALID_BODY",
            "Request body must be a JSON object",
        ),
        (
            b"\"text\"",
            400,
            "INVALID_BODY",
            "Request body must be a JSON object",
        ),
        (
            b"5",
            400,
            "INVALID_BODY",
            "Request body must be a JSON object",
        ),
        (
            b"{bad",
            400,
            "INVALID_JSON",
            "Request body is not valid JSON",
        ),
        (
            b"title=x",
            400,
            "INVALID_JSON",
            "Request body is not valid JSON",
        ),
    ] {
        for path in [
            "/api/samples:trigger/1?triggerWorkflows=s_echo,s_async",
            "/api/workflows:trigger?triggerWorkflows=g_hi",
        ] {
            let r = s
                .req("POST", path)
                .bearer(&fx.r)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .raw(body);
            assert_err(r.pair(), st, c, m);
        }
    }
    let r = s
        .req("POST", "/api/samples:trigger/1?triggerWorkflows=s_echo")
        .bearer(&fx.r)
        .header("Content-Type", "multipart/form-data; boundary=x")
        .raw(b"--x--");
    assert_err(
        r.pair(),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Unsupported content type \"multipart/form-data\"",
    );
    none.settle("body errors");
    // A JSON null body is no body.
    let r = s
        .req("POST", "/api/samples:trigger?triggerWorkflows=s_echo")
        .bearer(&fx.r)
        .raw(b"null");
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(fx.data(&r.body), json!({}));

    // 41. An enabled revision runs instead of the first version.
    let old = fx.wf["s_echo"];
    let rev = s.ok(
        "POST",
        &format!(
            "/api/workflows:revision?filterByTk={old}&filter={}",
            enc(&json!({"key":"s_echo"}).to_string())
        ),
        Some(json!({})),
    );
    let rev_id = rev["id"].as_i64().expect("revision id");
    assert_ne!(rev_id, old);
    assert_eq!(
        (&rev["key"], &rev["enabled"]),
        (&json!("s_echo"), &json!(false))
    );
    // Not enabled yet: the old version still runs.
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=s_echo", None);
    assert_eq!(v["data"]["executions"][0]["workflowId"], old);
    s.ok(
        "POST",
        &format!("/api/workflows:update/{rev_id}"),
        Some(json!({"enabled":true})),
    );
    let v = fx.ok("/api/samples:trigger/1?triggerWorkflows=s_echo", None);
    assert_eq!(v["data"]["executions"][0]["workflowId"], rev_id);
    assert_eq!(v["data"]["executions"][0]["workflowKey"], "s_echo");
    assert_eq!(v["messages"], messages(&["echo Sample 1"]));
    assert_eq!(wf::execution(s, fx.exec_id(&v, 0))["workflowId"], rev_id);
    // Disabling the current version: the key is DISABLED, not a fall-back to the old one.
    s.ok(
        "POST",
        &format!("/api/workflows:update/{rev_id}"),
        Some(json!({"enabled":false})),
    );
    let got = fx.t(
        &fx.r,
        "/api/samples:trigger/1?triggerWorkflows=s_echo",
        None,
    );
    assert_body(
        got,
        400,
        json!({"errors":[unmatched("s_echo", "DISABLED", "Workflow \"s_echo\" is not enabled")]}),
    );
    // A deleted key is NOT_FOUND.
    s.ok(
        "POST",
        &format!("/api/workflows:destroy/{}", fx.wf["s_two"]),
        None,
    );
    let got = fx.t(&fx.r, "/api/samples:trigger/1?triggerWorkflows=s_two", None);
    assert_body(
        got,
        400,
        json!({"errors":[unmatched("s_two", "NOT_FOUND", "Workflow \"s_two\" does not exist")]}),
    );
}

// ---- the log (a spawned server: its stderr) ------------------------------------------------------

/// Skipped keys, failed and intercepted runs are logged at WARN with their workflow key.
#[test]
fn skipped_failed_and_intercepted_triggers_are_logged_at_warn() {
    let s = Server::builder().spawned().arg("--demo").start();
    let samples = json!({"type": 1, "collection": "samples"});
    for (key, chain) in [
        ("w_echo", vec![msg_node("echo")]),
        ("w_end_fail", vec![end_node(-1)]),
        ("w_msg_fail", vec![msg_node("m1"), end_node(-1)]),
        ("w_error", vec![calc_node(FAILS_AT_RUN)]),
    ] {
        let def = json!({"title": key, "key": key, "type": "custom-action", "sync": true, "enabled": true, "config": samples});
        make(&s, def, &chain);
    }
    let warned = |key: &str| {
        s.stderr_text()
            .lines()
            .any(|l| l.contains("WARN") && l.contains(key))
    };
    assert!(!warned("w_nope"), "nothing logged yet");
    let root = s.root();
    let trigger = |keys: &str| {
        s.call(
            &root,
            "POST",
            &format!("/api/samples:trigger/1?triggerWorkflows={keys}"),
            None,
        )
        .0
    };
    assert_eq!(trigger("w_echo,w_nope"), 200);
    assert_eq!(trigger("w_end_fail"), 400);
    assert_eq!(trigger("w_msg_fail"), 400);
    assert_eq!(trigger("w_error"), 500);
    for key in ["w_nope", "w_end_fail", "w_msg_fail", "w_error"] {
        let logged = s.wait_for(Duration::from_secs(5), || warned(key).then_some(()));
        assert!(
            logged.is_some(),
            "{key} is logged at WARN: {}",
            s.stderr_text()
        );
    }
    assert!(
        !warned("w_echo"),
        "a run that succeeded is no warning: {}",
        s.stderr_text()
    );
}

// ---- idempotency records expire (an in-process server with its own clock) --------------------------

/// trigger.md §9: a record is replayed for 24 hours, then the key is free again (a new run, no conflict for
/// another request), and a start purges expired records.
#[test]
fn idempotency_records_expire_after_24_hours() {
    let mut s = Server::builder().clock().arg("--demo").start();
    let root = s.root();
    let send = |s: &Server, body: &[u8]| {
        s.req(
            "POST",
            "/api/workflows:trigger?triggerWorkflows=demo_global",
        )
        .bearer(&root)
        .header("Idempotency-Key", "day")
        .raw(body)
    };
    let first = send(&s, b"{}");
    assert_eq!(
        (first.status, first.header("Idempotent-Replayed")),
        (200, None),
        "{}",
        first.text
    );
    s.advance_clock(Duration::from_secs(24 * 3600 - 60));
    let replay = send(&s, b"{}");
    assert_eq!(
        (
            replay.status,
            &replay.text,
            replay.header("Idempotent-Replayed")
        ),
        (200, &first.text, Some("true"))
    );
    assert_eq!(
        send(&s, b"{\"a\":1}").status,
        409,
        "another request within the 24 hours is a conflict"
    );
    s.advance_clock(Duration::from_secs(120));
    let again = send(&s, b"{}");
    assert_eq!(
        (again.status, again.header("Idempotent-Replayed")),
        (200, None),
        "an expired record is not replayed: {}",
        again.text
    );
    assert_ne!(
        wf::execution_id(&again.body),
        wf::execution_id(&first.body),
        "the key ran again"
    );
    s.advance_clock(Duration::from_secs(24 * 3600 + 60));
    let other = send(&s, b"{\"a\":1}");
    assert_eq!(
        (other.status, other.header("Idempotent-Replayed")),
        (200, None),
        "no conflict with an expired record: {}",
        other.text
    );
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'day'"),
        1,
        "one record per user and key"
    );
    s.advance_clock(Duration::from_secs(24 * 3600 + 60));
    assert_eq!(s.stop(), 0);
    let s2 = s.restart_builder().clock().start();
    assert_eq!(
        s2.db_i64("SELECT COUNT(*) FROM idempotency_keys"),
        0,
        "the start purged the expired record"
    );
}
