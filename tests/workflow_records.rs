//! Workflow cases that need collections and records (workflows.md cases 1, 2, 12, 13, 22; `workflows:list`,
//! `executions:list` and `executions:destroy?filter=`, which read through the records layer; record-bound
//! workflows; the query/create/update/destroy nodes). They need `collections:create` and the records layer
//! of the collections issue.

mod common;
#[path = "common/wf.rs"]
mod wf;

use common::*;
use wf::*;

fn q(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// categories {title}; posts {title, indicator, category}; categories.posts; empty `notes {text}`.
fn blog(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"categories","fields":[{"name":"title","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"posts","fields":[{"name":"title","type":"string"},{"name":"indicator","type":"integer"},{"name":"category","type":"belongsTo"}]})),
    );
    s.ok(
        "POST",
        "/api/collections/categories/fields:create",
        Some(json!({"name":"posts","type":"hasMany","foreignKey":"categoryId"})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"notes","fields":[{"name":"text","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"News"})),
    );
    for (i, t) in ["t1", "t2", "t3", "t4"].iter().enumerate() {
        s.ok(
            "POST",
            "/api/posts:create",
            Some(json!({"title":t,"indicator":90 + i as i64,"category":1})),
        );
    }
}

fn invalid_config(s: &Server, config: Value) -> Vec<(String, String)> {
    let (st, v) = s.post(
        &s.root(),
        "/api/workflows:create",
        json!({"title":"x","type":"custom-action","config":config}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{config} → {v}");
    fields(&v)
}

fn field(f: &str, m: &str) -> (String, String) {
    (f.to_string(), m.to_string())
}

#[test]
fn record_bound_workflows_lists_and_manual_runs() {
    let s = Server::start();
    blog(&s);
    let r = s.root();
    // 1
    let w = create(
        &s,
        json!({"title":"w","type":"custom-action","config":{"type":1,"collection":"posts"}}),
    );
    let key = w["key"].as_str().expect("key");
    assert!(
        key.len() == 11
            && key
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
        "{key}"
    );
    assert_eq!(
        (&w["current"], &w["enabled"], &w["config"]),
        (
            &json!(true),
            &json!(false),
            &json!({"type":1,"collection":"posts"})
        )
    );
    // 2, the collection-dependent checks
    create(
        &s,
        json!({"title":"w","type":"custom-action","config":{"type":2,"collection":"main:posts","appends":["category","category.posts"]}}),
    );
    let bad_appends = field(
        "appends",
        "\"appends\" must be an array of association paths of \"posts\"",
    );
    assert_eq!(
        invalid_config(
            &s,
            json!({"type":1,"collection":"posts","appends":["nope"]})
        ),
        vec![bad_appends.clone()]
    );
    assert_eq!(
        invalid_config(
            &s,
            json!({"type":1,"collection":"posts","appends":"category"})
        ),
        vec![bad_appends.clone()]
    );
    assert_eq!(
        invalid_config(
            &s,
            json!({"type":1,"collection":"posts","appends":["title"]})
        ),
        vec![bad_appends]
    );
    assert_eq!(
        invalid_config(&s, json!({"type":1,"collection":"nope"})),
        vec![field(
            "collection",
            "Collection \"nope\" does not exist in data source \"main\""
        )]
    );

    // workflows:list: standard list, filter, appends=nodes
    let g = global(&s, "g", true);
    chain(&s, g, &[calc("c", "{{$context.data.n}} * 2")]);
    let (st, v) = s.get(&r, "/api/workflows:list");
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        v["meta"],
        json!({"count":3,"page":1,"pageSize":20,"totalPage":1})
    );
    let (st, v) = s.get(
        &r,
        &format!(
            "/api/workflows:list?filter={}&appends=nodes",
            q(r#"{"key":"g"}"#)
        ),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&v["data"][0]["id"], &v["data"][0]["nodes"][0]["key"]),
        (&json!(g), &json!("c"))
    );
    let (st, v) = s.get(&r, "/api/workflows:list?paginate=false&sort=-id");
    assert_eq!(
        (st, v.get("meta"), &v["data"][0]["id"]),
        (200, None, &json!(g))
    );

    // executions:list with filter, sort, pages and appends; destroy by filter keeps queued rows
    let (_, e1) = run_with(&s, "g", json!({"n":1}));
    let (_, e2) = run_with(&s, "g", json!({"n":2}));
    let (st, v) = s.get(
        &r,
        &format!(
            "/api/executions:list?filter={}&sort=-id&pageSize=1&appends=jobs",
            q(r#"{"key":"g"}"#)
        ),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        v["meta"],
        json!({"count":2,"page":1,"pageSize":1,"totalPage":2})
    );
    assert_eq!(
        (&v["data"][0]["id"], &v["data"][0]["jobs"][0]["result"]),
        (&e2["id"], &json!(4))
    );
    let aq = global(&s, "aq", false);
    chain(&s, aq, &[calc("c", "1")]);
    let (st, v) = s.get(
        &r,
        &format!(
            "/api/executions:list?filter={}",
            q(r#"{"key":"g","status":1}"#)
        ),
    );
    assert_eq!((st, v["meta"]["count"].clone()), (200, json!(2)));

    let (st, v) = s.post(
        &r,
        &format!("/api/executions:destroy?filter={}", q(r#"{"key":"g"}"#)),
        json!({}),
    );
    assert_eq!((st, &v["data"]), (200, &json!(2)));
    assert_eq!(
        s.ok("GET", &format!("/api/executions:get/{}", e1["id"]), None),
        Value::Null
    );

    // a type-1 workflow over its collection's trigger
    let p = create(
        &s,
        json!({"title":"p","type":"custom-action","key":"p","enabled":true,"sync":true,"config":{"type":1,"collection":"posts","appends":["category"]}}),
    );
    chain(
        &s,
        p["id"].as_i64().expect("id"),
        &[n(
            "output",
            "o",
            json!({"value":"{{$context.data.category.title}}"}),
        )],
    );
    let (st, v) = s.post(&r, "/api/posts:trigger/1?triggerWorkflows=p", json!({}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, execution_id(&v));
    assert_eq!(
        (&e["output"], &e["context"]["data"]["title"]),
        (&json!("News"), &json!("t1"))
    );

    // 22: manual run of a disabled type-1 workflow with appends
    s.user("u2", &["member"]);
    s.user("u3", &["member"]);
    let m = s.user("u4", &["member"]);
    let w22 = create(
        &s,
        json!({"title":"w22","type":"custom-action","config":{"type":1,"collection":"posts","appends":["category"]}}),
    );
    let wid = w22["id"].as_i64().expect("id");
    chain(&s, wid, &[calc("c", "{{$context.data.indicator}} + 1")]);
    let (st, v) = s.post(
        &r,
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({"data":{"id":1},"userId":3}),
    );
    assert_eq!(
        (st, &v["data"]["execution"]["status"]),
        (200, &json!(1)),
        "{v}"
    );
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap_or(0));
    assert_eq!(
        (
            &e["context"]["data"]["category"]["title"],
            &e["context"]["user"]["id"]
        ),
        (&json!("News"), &json!(3))
    );
    assert_eq!(
        (result_of(&e, "c"), &e["manually"]),
        (json!(91), &json!(true))
    );
    // a scalar id is loaded
    let (_, v) = s.post(
        &r,
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({"data":2,"userId":1}),
    );
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap_or(0));
    assert_eq!(
        (&e["context"]["data"]["title"], result_of(&e, "c")),
        (&json!("t2"), json!(92))
    );
    // without appends a data object is taken as given
    let w1 = create(
        &s,
        json!({"title":"w1","type":"custom-action","config":{"type":1,"collection":"posts"}}),
    );
    chain(&s, w1["id"].as_i64().expect("id"), &[calc("c", "1")]);
    let (_, v) = s.post(
        &r,
        &format!("/api/workflows:execute?filterByTk={}", w1["id"]),
        json!({"data":{"id":1,"title":"given"},"userId":1}),
    );
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap_or(0));
    assert_eq!(e["context"]["data"], json!({"id":1,"title":"given"}));
    // type 2: the records of filterByTk
    let w2 = create(
        &s,
        json!({"title":"w2","type":"custom-action","config":{"type":2,"collection":"posts"}}),
    );
    let w2id = w2["id"].as_i64().expect("id");
    chain(&s, w2id, &[calc("c", "1")]);
    let (_, v) = s.post(
        &r,
        &format!("/api/workflows:execute?filterByTk={w2id}"),
        json!({"filterByTk":[2,1],"userId":1}),
    );
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap_or(0));
    let titles: Vec<Value> = e["context"]["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["title"].clone())
        .collect();
    assert_eq!(titles.len(), 2, "{e}");
    assert!(
        titles.contains(&json!("t1")) && titles.contains(&json!("t2")),
        "{e}"
    );
    let (st, v) = s.post(
        &r,
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({"data":{"id":1}}),
    );
    assert_eq!(
        (st, code(&v), message(&v)),
        (400, "EXECUTE_FAILED", "user is not provided")
    );
    let (st, v) = s.post(
        &m,
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({"data":{"id":1},"userId":1}),
    );
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"));
    // a collection dropped after the workflow was made
    let wn = create(
        &s,
        json!({"title":"wn","type":"custom-action","config":{"type":1,"collection":"notes"}}),
    );
    s.ok("POST", "/api/collections:destroy/notes", None);
    let (st, v) = s.post(
        &r,
        &format!("/api/workflows:execute?filterByTk={}", wn["id"]),
        json!({"data":{"id":1},"userId":1}),
    );
    assert_eq!(
        (st, code(&v), message(&v)),
        (400, "EXECUTE_FAILED", "Collection notes not found")
    );
}

#[test]
fn query_create_update_destroy_nodes() {
    let s = Server::start();
    blog(&s);
    // validation against the registry
    let wid = global(&s, "v", true);
    node(
        &s,
        wid,
        n("query", "ok", json!({"collection":"main:posts"})),
    );
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:create"),
        json!({"type":"query","config":{"collection":"users"}}),
    );
    assert_eq!(
        (st, fields(&v)),
        (
            400,
            vec![field(
                "collection",
                "Collection \"users\" does not exist in data source \"main\""
            )]
        )
    );

    // 12: an empty collection with failOnEmpty → job -1, execution -1; multiple → []
    let (st, e) = one_shot(
        &s,
        "q1",
        &[
            n(
                "query",
                "q",
                json!({"collection":"notes","failOnEmpty":true}),
            ),
            calc("never", "1"),
        ],
    );
    assert_eq!(
        (st, &e["status"], jobs(&e)),
        (500, &json!(-1), vec![("q".to_string(), -1, Value::Null)])
    );
    let (_, e) = one_shot(
        &s,
        "q2",
        &[n(
            "query",
            "q",
            json!({"collection":"notes","multiple":true,"failOnEmpty":true}),
        )],
    );
    assert_eq!((&e["status"], result_of(&e, "q")), (&json!(-1), json!([])));
    let (_, e) = one_shot(&s, "q3", &[n("query", "q", json!({"collection":"notes"}))]);
    assert_eq!((&e["status"], result_of(&e, "q")), (&json!(1), Value::Null));
    // t1…t4 sorted by id desc, page 2, pageSize 2 → t2 (single) / [t2, t1] (multiple)
    let params = json!({"sort":[{"field":"id","direction":"desc"}],"page":2,"pageSize":2});
    let (_, e) = one_shot(
        &s,
        "q4",
        &[n(
            "query",
            "q",
            json!({"collection":"posts","params":params}),
        )],
    );
    assert_eq!(result_of(&e, "q")["title"], json!("t2"), "{e}");
    let (_, e) = one_shot(
        &s,
        "q5",
        &[n(
            "query",
            "q",
            json!({"collection":"posts","multiple":true,"params":params}),
        )],
    );
    let titles: Vec<Value> = result_of(&e, "q")
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["title"].clone())
        .collect();
    assert_eq!(titles, vec![json!("t2"), json!("t1")]);
    // a templated filter and appends
    let wid = global(&s, "q6", true);
    chain(
        &s,
        wid,
        &[n(
            "query",
            "q",
            json!({"collection":"posts","params":{"filter":{"title":"{{$context.data.t}}"},"appends":["category"]}}),
        )],
    );
    let (_, e) = run_with(&s, "q6", json!({"t":"t3"}));
    let rec = result_of(&e, "q");
    assert_eq!(
        (&rec["title"], &rec["category"]["title"]),
        (&json!("t3"), &json!("News"))
    );

    // a filter on an unknown field is a node error
    let (st, e) = one_shot(
        &s,
        "q7",
        &[n(
            "query",
            "q",
            json!({"collection":"posts","params":{"filter":{"nope":1}}}),
        )],
    );
    assert_eq!((st, &e["status"], jobs(&e)[0].1), (500, &json!(-2), -2));
    assert!(
        result_of(&e, "q")["message"]
            .as_str()
            .is_some_and(|m| m.contains("nope")),
        "{e}"
    );

    // 13: update filter {"id":"{{$context.data.id}}"} values {"indicator":5} → 1; destroy with {} → 0
    let wid = global(&s, "u", true);
    chain(
        &s,
        wid,
        &[
            n(
                "update",
                "u",
                json!({"collection":"posts","params":{"filter":{"id":"{{$context.data.id}}"},"values":{"indicator":5}}}),
            ),
            n(
                "destroy",
                "d",
                json!({"collection":"posts","params":{"filter":{}}}),
            ),
        ],
    );
    let (st, e) = run_with(&s, "u", json!({"id":1}));
    assert_eq!(
        (st, result_of(&e, "u"), result_of(&e, "d")),
        (200, json!(1), json!(0))
    );
    assert_eq!(s.ok("GET", "/api/posts:get/1", None)["indicator"], json!(5));
    let (st, v) = s.get(&s.root(), "/api/posts:list");
    assert_eq!((st, &v["meta"]["count"]), (200, &json!(4)));
    // destroy with a filter; update of every row with an empty filter
    let (_, e) = one_shot(
        &s,
        "d2",
        &[
            n(
                "destroy",
                "d",
                json!({"collection":"posts","params":{"filter":{"title":"t4"}}}),
            ),
            n(
                "update",
                "u",
                json!({"collection":"posts","params":{"values":{"indicator":0}}}),
            ),
        ],
    );
    assert_eq!(
        (result_of(&e, "d"), result_of(&e, "u")),
        (json!(1), json!(3))
    );
    // create: the record, createdById null; invalid values → -2 with a message
    flow(
        &s,
        "c",
        &[n(
            "create",
            "c",
            json!({"collection":"posts","params":{"values":{"title":"{{$context.data.t}}","indicator":"{{$context.data.i}}"},"appends":["category"]}}),
        )],
    );
    let (st, e) = run_with(&s, "c", json!({"t":"new","i":7}));
    assert_eq!(st, 200, "{e}");
    let rec = result_of(&e, "c");
    assert_eq!(
        (&rec["title"], &rec["indicator"], &rec["createdById"]),
        (&json!("new"), &json!(7), &Value::Null)
    );
    assert!(rec["id"].as_i64().is_some());
    let (st, e) = run_with(&s, "c", json!({"t":"bad","i":"abc"}));
    assert_eq!((st, &e["status"], jobs(&e)[0].1), (500, &json!(-2), -2));
    assert!(
        result_of(&e, "c")["message"]
            .as_str()
            .is_some_and(|m| m.contains("indicator")),
        "{e}"
    );
    // writes commit as they run: a later failure rolls nothing back
    let (st, _) = one_shot(
        &s,
        "c2",
        &[
            n(
                "create",
                "c",
                json!({"collection":"notes","params":{"values":{"text":"kept"}}}),
            ),
            calc("bad", FAILS_AT_RUN),
        ],
    );
    assert_eq!(st, 500);
    let (_, v) = s.get(&s.root(), "/api/notes:list");
    assert_eq!(v["data"][0]["text"], json!("kept"));
}

/// Issue 12: a sync run with no waiting node is one write transaction, each node's writes in a savepoint
/// of it: a later node reads what an earlier one wrote, a failing node undoes only its own writes, and
/// what the earlier nodes wrote stays (as when each node committed on its own).
#[test]
fn a_sync_run_in_one_transaction_keeps_node_semantics() {
    let s = Server::start();
    blog(&s);
    let posts_before = s.rows("posts");
    let wid = global(&s, "one_tx", true);
    chain(
        &s,
        wid,
        &[
            n(
                "create",
                "note",
                json!({"collection": "notes", "params": {"values": {"text": "kept"}}}),
            ),
            n(
                "query",
                "seen",
                json!({"collection": "notes", "params": {"filter": {"text": "kept"}}}),
            ),
            n(
                "create",
                "bad",
                json!({"collection": "posts", "params": {"values": {"title": "never", "indicator": "not a number"}}}),
            ),
        ],
    );
    let (st, e) = run(&s, "one_tx");
    assert_eq!(st, 500, "a failed sync run: {e}");
    let got = jobs(&e);
    assert_eq!(
        got.iter()
            .map(|(k, st, _)| (k.as_str(), *st))
            .collect::<Vec<_>>(),
        [("note", 1), ("seen", 1), ("bad", -2)],
        "{e}"
    );
    assert_eq!(
        got[1].2["text"], "kept",
        "the query saw the run's own write: {e}"
    );
    assert_eq!(e["status"], -2, "{e}");
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM notes WHERE text = 'kept'"),
        1,
        "the first node's write stays"
    );
    assert_eq!(
        s.rows("posts"),
        posts_before,
        "the failed node wrote nothing"
    );
}
