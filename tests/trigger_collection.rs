//! The `collection` trigger (triggers-and-nodes.md §2, acceptance cases 1–11 of §14): data events of
//! records written through the API, a workflow node or an association resource; async runs queued in
//! the writing transaction, sync runs inside the writing request; the recursion limit; manual runs.

mod common;
#[path = "common/tn.rs"]
mod tn;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use tn::fixture;
use wf::*;

/// An enabled collection workflow `key` with `config` (and extra `workflows:create` fields) and a chain
/// of nodes; returns its id.
fn on_items(s: &Server, key: &str, config: Value, extra: Value, nodes: &[Value]) -> i64 {
    tn::bound(s, "collection", key, config, extra, nodes)
}

/// The executions of `key` once every one has a final status. The rows of a data event exist as soon
/// as its write answered (queued in the write's transaction), so their count is exact at once.
fn runs(s: &Server, key: &str) -> Vec<Value> {
    poll(Duration::from_secs(10), || {
        let list = runs_now(s, key);
        list.iter()
            .all(|e| e["status"].as_i64().is_some_and(|st| st != 0))
            .then_some(list)
    })
    .unwrap_or_else(|| panic!("executions of {key} did not finish: {:?}", runs_now(s, key)))
}

fn create_item(s: &Server, values: Value) -> Value {
    s.ok("POST", "/api/tn_items:create", Some(values))
}

fn update_item(s: &Server, id: i64, values: Value) {
    s.ok(
        "POST",
        &format!("/api/tn_items:update?filterByTk={id}"),
        Some(values),
    );
}

fn destroy_item(s: &Server, id: i64) {
    s.ok(
        "POST",
        &format!("/api/tn_items:destroy?filterByTk={id}"),
        Some(json!({})),
    );
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().expect("id")
}

fn data_of(e: &Value) -> &Value {
    &e["context"]["data"]
}

#[test]
fn case_01_async_create_runs_once_with_the_record() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "c1",
        json!({"collection":"tn_items","mode":1}),
        json!({}),
        &[calc("c", "{{$context.data.amount}} * 2")],
    );
    let rec = create_item(&s, json!({"title":"a","amount":21}));
    let list = runs(&s, "c1");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], json!(1));
    assert_eq!(data_of(&list[0]), &rec);
    assert_eq!(result_of(&list[0], "c"), json!(42));
    assert_eq!(list[0]["context"].as_object().map(|o| o.len()), Some(1));
}

#[test]
fn case_02_sync_run_is_finished_when_the_create_answers() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "c2",
        json!({"collection":"tn_items","mode":1}),
        json!({"sync": true}),
        &[calc("c", "{{$context.data.amount}} + 1")],
    );
    create_item(&s, json!({"title":"a","amount":41}));
    let list = runs_now(&s, "c2");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(
        (&list[0]["status"], result_of(&list[0], "c")),
        (&json!(1), json!(42))
    );
}

#[test]
fn case_03_changed_fires_only_when_a_listed_field_really_changes() {
    let s = Server::start();
    fixture(&s);
    let id = id_of(&create_item(&s, json!({"title":"a","amount":5})));
    on_items(
        &s,
        "c3",
        json!({"collection":"tn_items","mode":2,"changed":["amount"]}),
        json!({}),
        &[calc("c", "1")],
    );
    update_item(&s, id, json!({"title":"b"}));
    update_item(&s, id, json!({"amount":5}));
    update_item(&s, id, json!({"amount":6}));
    let list = runs(&s, "c3");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(data_of(&list[0])["amount"], json!(6));
}

#[test]
fn changed_names_a_belongs_to_by_its_foreign_key_and_drops_to_many() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"g"})));
    let id = id_of(&create_item(&s, json!({"title":"a","amount":5})));
    on_items(
        &s,
        "cg",
        json!({"collection":"tn_items","mode":2,"changed":["group"]}),
        json!({}),
        &[calc("c", "1")],
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_tags","fields":[{"name":"label","type":"string"}]})),
    );
    let g = s.ok(
        "POST",
        "/api/workflows:create",
        Some(
            json!({"title":"only to-many","type":"collection","key":"cm","enabled":true,
            "config":{"collection":"tn_groups","mode":2,"changed":["items"]}}),
        ),
    );
    chain(&s, id_of(&g), &[calc("c", "1")]);
    update_item(&s, id, json!({"amount":7}));
    update_item(&s, id, json!({"group":1}));
    s.ok(
        "POST",
        "/api/tn_groups:update?filterByTk=1",
        Some(json!({"name":"h"})),
    );
    let list = runs(&s, "cg");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(data_of(&list[0])["groupId"], json!(1));
    assert!(runs(&s, "cm").is_empty());
}

#[test]
fn case_04_destroy_runs_with_the_deleted_record() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "c4",
        json!({"collection":"tn_items","mode":4}),
        json!({}),
        &[calc("c", "{{$context.data.amount}}")],
    );
    let rec = create_item(&s, json!({"title":"a","amount":3}));
    destroy_item(&s, id_of(&rec));
    let list = runs(&s, "c4");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(data_of(&list[0]), &rec);
    assert_eq!(result_of(&list[0], "c"), json!(3));
}

#[test]
fn case_05_mode_3_fires_on_create_and_update_not_destroy() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "c5",
        json!({"collection":"tn_items","mode":3}),
        json!({}),
        &[calc("c", "1")],
    );
    let id = id_of(&create_item(&s, json!({"title":"a","amount":1})));
    update_item(&s, id, json!({"amount":2}));
    destroy_item(&s, id);
    let list = runs(&s, "c5");
    let amounts: Vec<&Value> = list.iter().map(|e| &data_of(e)["amount"]).collect();
    assert_eq!(amounts, vec![&json!(1), &json!(2)]);
}

#[test]
fn a_filter_update_of_two_rows_raises_two_events() {
    let s = Server::start();
    fixture(&s);
    create_item(&s, json!({"title":"a","amount":1}));
    create_item(&s, json!({"title":"b","amount":2}));
    on_items(
        &s,
        "c2r",
        json!({"collection":"tn_items","mode":2}),
        json!({}),
        &[calc("c", "1")],
    );
    let filter = q(r#"{"amount":{"$gt":0}}"#);
    s.ok(
        "POST",
        &format!("/api/tn_items:update?filter={filter}"),
        Some(json!({"title":"z"})),
    );
    let list = runs(&s, "c2r");
    let ids: Vec<&Value> = list.iter().map(|e| &data_of(e)["id"]).collect();
    assert_eq!(ids, vec![&json!(1), &json!(2)]);
}

#[test]
fn case_06_condition_filters_the_records() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "c6",
        json!({"collection":"tn_items","mode":1,"condition":{"amount":{"$gt":10}}}),
        json!({}),
        &[calc("c", "1")],
    );
    create_item(&s, json!({"title":"a","amount":5}));
    create_item(&s, json!({"title":"b","amount":20}));
    let list = runs(&s, "c6");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(data_of(&list[0])["amount"], json!(20));
}

#[test]
fn case_07_appends_load_the_association_or_null() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"G"})));
    on_items(
        &s,
        "c7",
        json!({"collection":"tn_items","mode":1,"appends":["group"]}),
        json!({}),
        &[calc("c", "1")],
    );
    create_item(&s, json!({"title":"a","amount":1,"group":1}));
    create_item(&s, json!({"title":"b","amount":2}));
    let list = runs(&s, "c7");
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(data_of(&list[0])["group"]["name"], json!("G"));
    assert_eq!(data_of(&list[1])["group"], Value::Null);
}

#[test]
fn case_08_disabled_or_other_collection_never_fires() {
    let s = Server::start();
    fixture(&s);
    let off = create(
        &s,
        json!({"title":"off","type":"collection","key":"c8off","enabled":false,"config":{"collection":"tn_items","mode":1}}),
    );
    chain(&s, id_of(&off), &[calc("c", "1")]);
    on_items(
        &s,
        "c8g",
        json!({"collection":"tn_groups","mode":1}),
        json!({}),
        &[calc("c", "1")],
    );
    create_item(&s, json!({"title":"a","amount":1}));
    assert!(runs_now(&s, "c8off").is_empty());
    assert!(runs_now(&s, "c8g").is_empty());
}

#[test]
fn case_09_failed_sync_run_keeps_the_record_and_the_answer() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "c9",
        json!({"collection":"tn_items","mode":1}),
        json!({"sync": true}),
        &[calc("c", FAILS_AT_RUN)],
    );
    let (st, v) = s.post(
        &s.root(),
        "/api/tn_items:create",
        json!({"title":"a","amount":1}),
    );
    assert_eq!(st, 200, "{v}");
    let id = id_of(&v["data"]);
    assert_eq!(
        s.ok("GET", &format!("/api/tn_items:get/{id}"), None)["title"],
        json!("a")
    );
    let list = runs_now(&s, "c9");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], json!(-2));
}

#[test]
fn case_10_rollback_on_failure_undoes_the_write_and_keeps_the_run() {
    let s = Server::start();
    fixture(&s);
    // An async listener created first: its queued row is in the same transaction, rolled back too.
    on_items(
        &s,
        "c10async",
        json!({"collection":"tn_items","mode":1}),
        json!({}),
        &[calc("c", "1")],
    );
    on_items(
        &s,
        "c10",
        json!({"collection":"tn_items","mode":1,"rollbackOnFailure":true}),
        json!({"sync": true}),
        &[calc("c", "1"), n("end", "stop", json!({"endStatus":-1}))],
    );
    let (st, v) = s.post(
        &s.root(),
        "/api/tn_items:create",
        json!({"title":"a","amount":1}),
    );
    assert_eq!(
        (st, &v),
        (
            422,
            &json!({"errors":[{"message":"System process failed, please contact administrator.","code":"WORKFLOW_ROLLBACK_ON_FAILURE"}]})
        )
    );
    let (_, list) = s.get(&s.root(), "/api/tn_items:list");
    assert_eq!(list["meta"]["count"], json!(0), "{list}");
    let failed = runs_now(&s, "c10");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["status"], json!(-1));
    assert_eq!(job_keys(&failed[0]), vec!["c", "stop"]);
    assert_eq!(data_of(&failed[0])["title"], json!("a"));
    assert!(
        runs_now(&s, "c10async").is_empty(),
        "queued with a rolled-back write"
    );
    // The version counts its run.
    let (_, w) = s.get(
        &s.root(),
        "/api/workflows:get?filter[key]=c10&appends=versionStats",
    );
    assert_eq!(w["data"]["versionStats"]["executed"], json!(1), "{w}");
}

#[test]
fn case_11_invalid_configs_are_refused_with_the_field() {
    let s = Server::start();
    fixture(&s);
    let refused = |config: Value| -> Vec<(String, String)> {
        let (st, v) = s.post(
            &s.root(),
            "/api/workflows:create",
            json!({"title":"x","type":"collection","config":config}),
        );
        assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{config} → {v}");
        fields(&v)
    };
    let f = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        refused(json!({})),
        vec![
            f("collection", "\"collection\" is required"),
            f("mode", "\"mode\" is required")
        ]
    );
    assert_eq!(
        refused(json!({"collection":"nope","mode":1})),
        vec![f(
            "collection",
            "Collection \"nope\" does not exist in data source \"main\""
        )]
    );
    assert_eq!(
        refused(json!({"collection":"other:tn_items","mode":1})),
        vec![f("collection", "Data source \"other\" does not exist")]
    );
    for mode in [0, 5, 7] {
        assert_eq!(
            refused(json!({"collection":"tn_items","mode":mode})),
            vec![f("mode", "\"mode\" must be one of [1, 2, 4, 3]")]
        );
    }
    // §13: options the mode ignores are refused, not stored and ignored.
    assert_eq!(
        refused(json!({"collection":"tn_items","mode":1,"changed":["amount"]})),
        vec![f(
            "changed",
            "\"changed\" applies only to a mode with update (2, 3)"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","mode":4,"condition":{"amount":1}})),
        vec![f(
            "condition",
            "\"condition\" does not apply to a mode with destroy (4)"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","mode":4,"appends":["group"]})),
        vec![f(
            "appends",
            "\"appends\" does not apply to a mode with destroy (4)"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","mode":1,"appends":["nope"]})),
        vec![f(
            "appends",
            "\"appends\" must be an array of association paths of \"tn_items\""
        )]
    );
    // Accepted: a numeric string mode (stored as its number), empty changed/condition as the recorded
    // app has them, `main:` prefix.
    let w = create(
        &s,
        json!({"title":"ok","type":"collection","config":{"collection":"main:tn_items","mode":"3","changed":[],"condition":{"$and":[]}}}),
    );
    assert_eq!(w["config"]["mode"], json!(3));
    assert_eq!(w["type"], json!("collection"));
    // workflows:update validates with the same rules.
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:update?filterByTk={}", id_of(&w)),
        json!({"config":{"collection":"tn_items","mode":5}}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{v}");
}

#[test]
fn a_workflow_nodes_write_raises_events() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "listen",
        json!({"collection":"tn_items","mode":3}),
        json!({}),
        &[calc("c", "{{$context.data.amount}}")],
    );
    // A custom-action workflow whose nodes create then update an item.
    let wid = global(&s, "writer", true);
    chain(
        &s,
        wid,
        &[
            n(
                "create",
                "mk",
                json!({"collection":"tn_items","params":{"values":{"title":"n","amount":8}}}),
            ),
            n(
                "update",
                "up",
                json!({"collection":"tn_items","params":{"filter":{"id":"{{$jobsMapByNodeKey.mk.id}}"},"values":{"amount":9}}}),
            ),
        ],
    );
    let (st, v) = trigger(&s, "writer", json!({}));
    assert_eq!(st, 200, "{v}");
    let list = runs(&s, "listen");
    let amounts: Vec<Value> = list.iter().map(|e| result_of(e, "c")).collect();
    assert_eq!(amounts, vec![json!(8), json!(9)]);
}

#[test]
fn an_association_write_raises_events() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"G"})));
    on_items(
        &s,
        "assoc",
        json!({"collection":"tn_items","mode":1,"appends":["group"]}),
        json!({}),
        &[calc("c", "1")],
    );
    s.ok(
        "POST",
        "/api/tn_groups/1/items:create",
        Some(json!({"title":"via","amount":4})),
    );
    let list = runs(&s, "assoc");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(
        (
            &data_of(&list[0])["title"],
            &data_of(&list[0])["group"]["name"]
        ),
        (&json!("via"), &json!("G"))
    );
}

/// A workflow whose own node updates the record that triggered it: with the default `stackLimit` 1 it
/// runs once per outside write; with 3, three times; never forever.
#[test]
fn recursion_stops_at_the_stack_limit() {
    let s = Server::start();
    fixture(&s);
    let touch = || {
        n(
            "update",
            "touch",
            json!({"collection":"tn_items","params":{"filter":{"id":"{{$context.data.id}}"},"values":{"title":"touched"}}}),
        )
    };
    on_items(
        &s,
        "self1",
        json!({"collection":"tn_items","mode":2}),
        json!({}),
        &[touch()],
    );
    let id = id_of(&create_item(&s, json!({"title":"a","amount":1})));
    update_item(&s, id, json!({"amount":2}));
    let list = runs(&s, "self1");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(result_of(&list[0], "touch"), json!(1));

    s.ok(
        "POST",
        "/api/workflows:update?filterByTk=1",
        Some(json!({"enabled": false})),
    );
    on_items(
        &s,
        "self3",
        json!({"collection":"tn_items","mode":2}),
        json!({"options":{"stackLimit":3}}),
        &[touch()],
    );
    update_item(&s, id, json!({"amount":3}));
    // Each run's event is queued in its own transaction: the third run's end leaves nothing queued.
    let list = poll(Duration::from_secs(10), || {
        let l = runs(&s, "self3");
        (l.len() >= 3).then_some(l)
    })
    .expect("three runs");
    assert_eq!(runs(&s, "self3").len(), 3, "{list:?}");

    // Sync: the nested run happens inside the write and stops the same way.
    s.ok(
        "POST",
        "/api/workflows:update?filterByTk=2",
        Some(json!({"enabled": false})),
    );
    on_items(
        &s,
        "selfsync",
        json!({"collection":"tn_items","mode":2}),
        json!({"sync": true, "options":{"stackLimit":2}}),
        &[touch()],
    );
    update_item(&s, id, json!({"amount":4}));
    assert_eq!(runs_now(&s, "selfsync").len(), 2);
}

#[test]
fn execute_needs_data_and_loads_a_record_id() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"G"})));
    create_item(&s, json!({"title":"a","amount":5,"group":1}));
    let wid = on_items(
        &s,
        "ex",
        json!({"collection":"tn_items","mode":1,"appends":["group"]}),
        json!({}),
        &[calc("c", "{{$context.data.amount}} * 3")],
    );
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({}),
    );
    assert_eq!((st, code(&v)), (400, "EXECUTE_FAILED"), "{v}");
    assert_eq!(v["errors"][0]["message"], json!("data is required"));
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({"data": 1}),
    );
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap_or(0));
    assert_eq!(
        (
            result_of(&e, "c"),
            &data_of(&e)["group"]["name"],
            &e["manually"]
        ),
        (json!(15), &json!("G"), &json!(true))
    );
}

#[test]
fn queued_data_event_runs_survive_a_restart() {
    let mut s = Server::builder().arg("--worker").arg("off").start();
    fixture(&s);
    on_items(
        &s,
        "later",
        json!({"collection":"tn_items","mode":1}),
        json!({}),
        &[calc("c", "{{$context.data.amount}} + 1")],
    );
    create_item(&s, json!({"title":"a","amount":1}));
    let queued = runs_now(&s, "later");
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(queued[0]["status"], Value::Null, "queued, not run");
    assert_eq!(s.stop(), 0);
    let s2 = s.restart_builder().start();
    let list = runs(&s2, "later");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(
        (&list[0]["id"], &list[0]["status"], result_of(&list[0], "c")),
        (&queued[0]["id"], &json!(1), json!(2))
    );
}
