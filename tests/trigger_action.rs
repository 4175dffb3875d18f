//! The `action` trigger (triggers-and-nodes.md §5, acceptance cases 32–41 of §14): a post-action event
//! after a records create or update. Sync runs happen in the action's write and async ones are queued
//! in it, so every execution row exists when the answer comes and a count is exact at once; async
//! results are waited for by their final status.

mod common;
#[path = "common/tn.rs"]
mod tn;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use tn::*;
use wf::*;

const TYPE: &str = "action";

fn on_items(s: &Server, key: &str, extra: Value, nodes: &[Value]) -> i64 {
    bound(s, TYPE, key, json!({"collection":"tn_items"}), extra, nodes)
}

fn sync_on_items(s: &Server, key: &str, nodes: &[Value]) -> i64 {
    on_items(s, key, json!({"sync": true}), nodes)
}

/// The executions of `key` once every one has a final status.
fn runs(s: &Server, key: &str) -> Vec<Value> {
    poll(Duration::from_secs(10), || {
        let list = runs_now(s, key);
        list.iter()
            .all(|e| e["status"].as_i64().is_some_and(|st| st != 0))
            .then_some(list)
    })
    .unwrap_or_else(|| panic!("executions of {key} did not finish: {:?}", runs_now(s, key)))
}

fn create_with(s: &Server, keys: &str, values: Value) -> (u16, Value) {
    post(
        s,
        &format!("/api/tn_items:create?triggerWorkflows={keys}"),
        values,
    )
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().expect("id")
}

#[test]
fn case_32_create_with_the_key_runs_once_with_the_record_and_the_caller() {
    let s = Server::start();
    fixture(&s);
    on_items(
        &s,
        "k",
        json!({}),
        &[calc("c", "{{$context.data.amount}} * 10")],
    );
    let (st, v) = create_with(&s, "k", json!({"title":"a","amount":4}));
    assert_eq!(st, 200, "{v}");
    // Queued in the create's transaction: the row is there when the answer comes.
    assert_eq!(runs_now(&s, "k").len(), 1);
    let list = runs(&s, "k");
    assert_eq!(list[0]["status"], json!(1));
    let ctx = &list[0]["context"];
    assert_eq!(ctx["data"], v["data"]);
    assert_eq!(result_of(&list[0], "c"), json!(40));
    assert_eq!(ctx["roleName"], json!("root"));
    assert_eq!(ctx["user"]["id"], v["data"]["createdById"]);
    let user = ctx["user"].as_object().expect("user");
    assert!(
        user.keys().all(|k| !k.to_lowercase().contains("password")),
        "{ctx}"
    );
}

#[test]
fn case_33_create_without_the_key_runs_nothing() {
    let s = Server::start();
    fixture(&s);
    on_items(&s, "k", json!({}), &[calc("c", "1")]);
    let (st, v) = post(&s, "/api/tn_items:create", json!({"title":"a"}));
    assert_eq!(st, 200, "{v}");
    let (st, v) = create_with(&s, "nosuchkey", json!({"title":"b"}));
    assert_eq!(st, 200, "{v}");
    assert!(runs_now(&s, "k").is_empty());
    // Unknown keys beside a known one are ignored.
    create_with(&s, "nosuchkey,k", json!({"title":"c"}));
    assert_eq!(runs(&s, "k").len(), 1);
}

#[test]
fn case_34_update_with_the_key_runs_per_answered_row() {
    let s = Server::start();
    fixture(&s);
    let a = id_of(&new_item(&s, json!({"title":"a","amount":1})));
    new_item(&s, json!({"title":"b","amount":1}));
    on_items(&s, "k", json!({}), &[calc("c", "1")]);
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:update?filterByTk={a}&triggerWorkflows=k"),
        json!({"title":"new"}),
    );
    assert_eq!(st, 200, "{v}");
    let list = runs(&s, "k");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["context"]["data"]["title"], json!("new"));
    // An update answering two rows: one event per row.
    let filter = q(&json!({"amount": 1}).to_string());
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:update?filter={filter}&triggerWorkflows=k"),
        json!({"title":"both"}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(runs(&s, "k").len(), 3);
}

#[test]
fn case_35_destroy_with_the_key_runs_nothing() {
    let s = Server::start();
    fixture(&s);
    let a = id_of(&new_item(&s, json!({"title":"a"})));
    on_items(&s, "k", json!({}), &[calc("c", "1")]);
    bound(
        &s,
        TYPE,
        "g",
        json!({"collection":"tn_items","global":true,"actions":["create","update"]}),
        json!({}),
        &[calc("c", "1")],
    );
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:destroy?filterByTk={a}&triggerWorkflows=k"),
        json!({}),
    );
    assert_eq!((st, &v["data"]), (200, &json!(1)), "{v}");
    assert!(runs_now(&s, "k").is_empty());
    assert!(runs_now(&s, "g").is_empty());
}

#[test]
fn case_36_a_global_sync_workflow_speaks_in_the_update_answer() {
    let s = Server::start();
    fixture(&s);
    bound(
        &s,
        TYPE,
        "g",
        json!({"collection":"tn_items","global":true,"actions":["update"]}),
        json!({"sync": true}),
        &[say("updated {{$context.data.title}}")],
    );
    let a = id_of(&new_item(&s, json!({"title":"a"})));
    assert!(runs_now(&s, "g").is_empty(), "no run for the create");
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:update?filterByTk={a}"),
        json!({"title":"b"}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"][0]["title"], json!("b"));
    assert_eq!(v["messages"], json!([{"message":"updated b"}]));
    assert_eq!(statuses(&s, "g"), vec![json!(1)]);
}

#[test]
fn case_37_a_failing_end_answers_400_and_the_record_stays() {
    let s = Server::start();
    fixture(&s);
    sync_on_items(&s, "k", &[say("checked"), end(-1)]);
    let (st, v) = create_with(&s, "k", json!({"title":"a"}));
    let list = runs_now(&s, "k");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], json!(-1));
    assert_eq!(st, 400, "{v}");
    let rows = items(&s);
    assert_eq!(rows.len(), 1, "the record was written");
    assert_eq!(
        v,
        json!({"errors":[{"message":"checked","code":"WORKFLOW_FAILED_AFTER_ACTION","executionId":list[0]["id"],"workflowKey":"k"}],"data":rows[0]})
    );
    // Without a message: a default text naming the workflow.
    sync_on_items(&s, "bare", &[end(-1)]);
    let (st, v) = create_with(&s, "bare", json!({"title":"b"}));
    assert_eq!((st, code(&v)), (400, "WORKFLOW_FAILED_AFTER_ACTION"), "{v}");
    assert_eq!(
        message(&v),
        "Request failed: workflow \"bare\" ended with a failure after the action was done"
    );
    assert_eq!(v["data"]["title"], json!("b"));
    assert_eq!(items(&s).len(), 2);
}

#[test]
fn case_38_a_resolving_end_stops_the_later_workflows() {
    let s = Server::start();
    fixture(&s);
    sync_on_items(&s, "stop", &[end(1)]);
    sync_on_items(&s, "later", &[calc("c", "1")]);
    on_items(&s, "later_async", json!({}), &[calc("c", "1")]);
    let (st, v) = create_with(&s, "stop,later,later_async", json!({"title":"a"}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"]["title"], json!("a"));
    assert_eq!(statuses(&s, "stop"), vec![json!(1)]);
    assert!(runs_now(&s, "later").is_empty());
    assert!(
        runs_now(&s, "later_async").is_empty(),
        "async ones are skipped too"
    );
    let (st, _) = create_with(&s, "later,stop", json!({"title":"b"}));
    assert_eq!(st, 200);
    assert_eq!(statuses(&s, "later"), vec![json!(1)]);
    assert_eq!(statuses(&s, "stop"), vec![json!(1), json!(1)]);
}

#[test]
fn case_39_a_failing_node_answers_500_and_the_record_stays() {
    let s = Server::start();
    fixture(&s);
    sync_on_items(&s, "k", &[calc("c", FAILS_AT_RUN)]);
    let (st, v) = create_with(&s, "k", json!({"title":"a"}));
    let list = runs_now(&s, "k");
    assert_eq!((st, code(&v)), (500, "WORKFLOW_FAILED_AFTER_ACTION"), "{v}");
    let e = &v["errors"][0];
    assert_eq!(
        (
            &e["message"],
            &e["executionId"],
            &e["workflowKey"],
            &e["status"]
        ),
        (
            &json!("Workflow on your action failed, please contact the administrator"),
            &list[0]["id"],
            &json!("k"),
            &json!(-2)
        )
    );
    assert_eq!(items(&s).len(), 1);
    assert_eq!(v["data"], items(&s)[0]);
}

#[test]
fn case_40_appends_load_the_association() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"G"})));
    bound(
        &s,
        TYPE,
        "k",
        json!({"collection":"tn_items","appends":["group"]}),
        json!({}),
        &[calc("c", "1")],
    );
    create_with(&s, "k", json!({"title":"a","group":1}));
    create_with(&s, "k", json!({"title":"b"}));
    let list = runs(&s, "k");
    assert_eq!(list[0]["context"]["data"]["group"]["name"], json!("G"));
    assert_eq!(list[1]["context"]["data"]["group"], Value::Null);
}

#[test]
fn case_41_invalid_configs_are_refused_and_store_nothing() {
    let s = Server::start();
    fixture(&s);
    let before = workflow_rows(&s);
    let refused = |config: Value| refused(&s, TYPE, config);
    let f = fm;
    assert_collection_and_global_rules(&s, TYPE);
    assert_eq!(
        refused(json!({"collection":"tn_items","global":true,"actions":["bogus"]})),
        vec![f(
            "actions",
            "\"actions[0]\" must be one of [create, update]"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","global":true,"actions":["destroy"]})),
        vec![f(
            "actions",
            "\"actions[0]\" must be one of [create, update]"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","appends":["nope"]})),
        vec![f(
            "appends",
            "\"appends\" must be an array of association paths of \"tn_items\""
        )]
    );
    assert_eq!(workflow_rows(&s), before, "a refused config stores nothing");
    let w = create(
        &s,
        json!({"title":"ok","type":TYPE,"config":{"collection":"main:tn_items","global":true,"actions":["create","update"],"appends":["group"]}}),
    );
    assert_eq!(w["type"], json!(TYPE));
}

#[test]
fn a_key_path_runs_the_workflow_of_the_associated_record() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"G"})));
    bound(
        &s,
        TYPE,
        "kg",
        json!({"collection":"tn_groups"}),
        json!({"sync": true}),
        &[say("group {{$context.data.name}}")],
    );
    let (st, v) = create_with(&s, "kg!group", json!({"title":"a","group":1}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["messages"], json!([{"message":"group G"}]));
    let list = runs_now(&s, "kg");
    assert_eq!(list[0]["context"]["data"]["name"], json!("G"));
    // Without the path the workflow (bound to groups) does not hear an items create.
    let (st, v) = create_with(&s, "kg", json!({"title":"b","group":1}));
    assert_eq!((st, v.get("messages")), (200, None), "{v}");
    // An item without a group: the path reaches no record, no event.
    create_with(&s, "kg!group", json!({"title":"c"}));
    assert_eq!(runs_now(&s, "kg").len(), 1);
    // A path that is no association is refused before the write.
    let (st, v) = create_with(&s, "kg!title", json!({"title":"d"}));
    assert_eq!((st, code(&v)), (400, "NOT_AN_ASSOCIATION"), "{v}");
    assert_eq!(items(&s).len(), 3);
    // A path on a key that names no post-action workflow is not this trigger's business.
    let (st, v) = create_with(&s, "nosuchkey!title", json!({"title":"e"}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(items(&s).len(), 4);
}

#[test]
fn an_association_resource_create_is_heard_on_its_target() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"G"})));
    sync_on_items(
        &s,
        "k",
        &[say(
            "item {{$context.data.title}} in {{$context.data.groupId}}",
        )],
    );
    let (st, v) = post(
        &s,
        "/api/tn_groups/1/items:create?triggerWorkflows=k",
        json!({"title":"x"}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["messages"], json!([{"message":"item x in 1"}]));
}

#[test]
fn an_acl_refusal_runs_nothing() {
    let s = Server::start();
    fixture(&s);
    on_items(&s, "k", json!({}), &[calc("c", "1")]);
    assert_member_refused_before_workflows(&s, "k", &["k"]);
}

#[test]
fn a_sync_run_with_a_waiting_node_is_queued() {
    let s = Server::start();
    fixture(&s);
    let up = Upstream::start();
    sync_on_items(
        &s,
        "k",
        &[
            request("r", json!({"url":up.url("/ok"),"method":"GET"})),
            calc("c", "{{$context.data.amount}} + 1"),
        ],
    );
    let (st, v) = create_with(&s, "k", json!({"title":"a","amount":1}));
    assert_eq!(st, 200, "{v}");
    let list = runs(&s, "k");
    assert_eq!(list.len(), 1);
    assert_eq!(result_of(&list[0], "c"), json!(2));
}

#[test]
fn manual_run_takes_data_and_a_user() {
    let s = Server::start();
    fixture(&s);
    let rec = new_item(&s, json!({"title":"a","amount":2}));
    let wid = on_items(
        &s,
        "k",
        json!({}),
        &[calc("c", "{{$context.data.amount}} * 5")],
    );
    let exec = |body: Value| execute(&s, wid, body);
    let (st, v) = exec(json!({"userId": rec["createdById"]}));
    assert_eq!((st, message(&v)), (400, "Data is required"), "{v}");
    let (st, v) = exec(json!({"data": rec["id"]}));
    assert_eq!((st, message(&v)), (400, "UserId is required"), "{v}");
    let (st, v) = exec(json!({"data": 999, "userId": rec["createdById"]}));
    assert_eq!((st, code(&v)), (400, "EXECUTE_FAILED"), "{v}");
    assert!(runs_now(&s, "k").is_empty());
    let (st, v) =
        exec(json!({"data": rec["id"], "userId": rec["createdById"], "roleName": "admin"}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().expect("id"));
    assert_eq!(e["context"]["data"], rec);
    assert_eq!(e["context"]["roleName"], json!("admin"));
    assert_eq!(result_of(&e, "c"), json!(10));
}

#[test]
fn queued_post_action_runs_survive_a_restart() {
    let mut s = Server::builder().arg("--worker").arg("off").start();
    fixture(&s);
    on_items(
        &s,
        "later",
        json!({}),
        &[calc("c", "{{$context.data.amount}} + 1")],
    );
    let (st, v) = create_with(&s, "later", json!({"title":"a","amount":1}));
    assert_eq!(st, 200, "{v}");
    let queued = runs_now(&s, "later");
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(queued[0]["status"], Value::Null, "queued, not run");
    assert_eq!(s.stop(), 0);
    let s2 = s.restart_builder().start();
    let list = runs(&s2, "later");
    assert_eq!(
        (&list[0]["id"], &list[0]["status"], result_of(&list[0], "c")),
        (&queued[0]["id"], &json!(1), json!(2))
    );
}
