//! The `request-interception` trigger (triggers-and-nodes.md §4, acceptance cases 20–31 of §14): a
//! pre-action event. Runs happen inside the request before the action, so the executions are final
//! when the answer comes and every count below is exact at once.

mod common;
#[path = "common/tn.rs"]
mod tn;
#[path = "common/wf.rs"]
mod wf;

use common::*;
use tn::*;
use wf::*;

const TYPE: &str = "request-interception";

fn local(s: &Server, key: &str, extra: Value, nodes: &[Value]) -> i64 {
    bound(s, TYPE, key, json!({"collection":"tn_items"}), extra, nodes)
}

fn global_on(s: &Server, key: &str, actions: Value, nodes: &[Value]) -> i64 {
    bound(
        s,
        TYPE,
        key,
        json!({"collection":"tn_items","global":true,"actions":actions}),
        json!({}),
        nodes,
    )
}

fn create_with(s: &Server, keys: &str, values: Value) -> (u16, Value) {
    post(
        s,
        &format!("/api/tn_items:create?triggerWorkflows={keys}"),
        values,
    )
}

#[test]
fn case_20_local_run_finished_before_the_answer_with_the_request_context() {
    let s = Server::start();
    fixture(&s);
    // Stored `sync: false`: interception runs in the request anyway (§1.2).
    local(&s, "k", json!({"sync": false}), &[calc("c", "1 + 1")]);
    let (st, v) = create_with(&s, "k", json!({"title":"a","amount":3}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"]["title"], json!("a"));
    assert_eq!(items(&s).len(), 1);
    let list = runs_now(&s, "k");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], json!(1));
    let ctx = &list[0]["context"];
    assert_eq!(
        ctx["params"],
        json!({"values": {"title":"a","amount":3}}),
        "{ctx}"
    );
    assert_eq!(ctx["roleName"], json!("root"));
    assert_eq!(ctx["user"]["id"], v["data"]["createdById"]);
    let user = ctx["user"].as_object().expect("user");
    assert!(
        user.keys().all(|k| !k.to_lowercase().contains("password")),
        "no password in the context: {ctx}"
    );
}

#[test]
fn case_21_a_local_workflow_runs_only_when_named() {
    let s = Server::start();
    fixture(&s);
    local(&s, "stop", json!({}), &[end(-1)]);
    local(&s, "other", json!({}), &[calc("c", "1")]);
    // Bound to another collection: an items create never runs it, named or not.
    bound(
        &s,
        TYPE,
        "grp",
        json!({"collection":"tn_groups"}),
        json!({}),
        &[end(-1)],
    );
    let (st, v) = create_with(&s, "grp", json!({"title":"g"}));
    assert_eq!(st, 200, "{v}");
    assert!(runs_now(&s, "grp").is_empty());
    let (st, v) = post(&s, "/api/tn_items:create", json!({"title":"a"}));
    assert_eq!(st, 200, "{v}");
    let (st, v) = create_with(&s, "other", json!({"title":"b"}));
    assert_eq!(st, 200, "{v}");
    // Unknown keys are ignored too.
    let (st, v) = create_with(&s, "nosuchkey", json!({"title":"c"}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(items(&s).len(), 4);
    assert!(runs_now(&s, "stop").is_empty());
    assert_eq!(statuses(&s, "other"), vec![json!(1)]);
}

#[test]
fn case_22_message_and_failing_end_refuse_with_the_message() {
    let s = Server::start();
    fixture(&s);
    local(
        &s,
        "k",
        json!({}),
        &[say("bad {{$context.params.values.title}}"), end(-1)],
    );
    let (st, v) = create_with(&s, "k", json!({"title":"x"}));
    let list = runs_now(&s, "k");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], json!(-1));
    assert_eq!(st, 400, "{v}");
    assert_eq!(
        v,
        json!({"errors":[{"message":"bad x","code":"WORKFLOW_INTERCEPTED","executionId":list[0]["id"],"workflowKey":"k"}]})
    );
    assert!(items(&s).is_empty());
}

#[test]
fn case_23_failing_end_without_message_refuses_with_the_default_text() {
    let s = Server::start();
    fixture(&s);
    local(&s, "k", json!({}), &[end(-1)]);
    let (st, v) = create_with(&s, "k", json!({"title":"x"}));
    assert_eq!((st, code(&v)), (400, "WORKFLOW_INTERCEPTED"), "{v}");
    assert_eq!(message(&v), "Request is intercepted by workflow");
    assert!(items(&s).is_empty());
    assert_eq!(statuses(&s, "k"), vec![json!(-1)]);
}

#[test]
fn case_24_resolving_end_answers_its_messages_and_skips_the_action() {
    let s = Server::start();
    fixture(&s);
    local(&s, "k", json!({}), &[say("done"), end(1)]);
    let (st, v) = create_with(&s, "k", json!({"title":"x"}));
    assert_eq!((st, &v), (200, &json!({"messages":[{"message":"done"}]})));
    assert!(items(&s).is_empty());
    assert_eq!(statuses(&s, "k"), vec![json!(1)]);
}

#[test]
fn case_25_a_failing_node_is_a_500_and_nothing_is_written() {
    let s = Server::start();
    fixture(&s);
    local(&s, "k", json!({}), &[calc("c", FAILS_AT_RUN)]);
    let (st, v) = create_with(&s, "k", json!({"title":"x"}));
    let list = runs_now(&s, "k");
    assert_eq!(list.len(), 1);
    assert_eq!((st, code(&v)), (500, "WORKFLOW_FAILED"), "{v}");
    assert_eq!(
        message(&v),
        "Workflow on your action failed, please contact the administrator"
    );
    let e = &v["errors"][0];
    assert_eq!(
        (&e["executionId"], &e["workflowKey"], &e["status"]),
        (&list[0]["id"], &json!("k"), &json!(-2))
    );
    assert_eq!(list[0]["status"], json!(-2));
    assert!(items(&s).is_empty());
}

#[test]
fn case_26_a_message_joins_the_actions_answer() {
    let s = Server::start();
    fixture(&s);
    local(
        &s,
        "k",
        json!({}),
        &[say("hello {{$context.params.values.title}}")],
    );
    let (st, v) = create_with(&s, "k", json!({"title":"x"}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"]["title"], json!("x"));
    assert_eq!(v["messages"], json!([{"message":"hello x"}]));
    assert_eq!(items(&s).len(), 1);
}

#[test]
fn case_27_messages_accumulate_over_the_workflows_in_key_order() {
    let s = Server::start();
    fixture(&s);
    local(&s, "k2", json!({}), &[say("second"), end(-1)]);
    local(&s, "k1", json!({}), &[say("first")]);
    let (st, v) = create_with(&s, "k1,k2", json!({"title":"x"}));
    assert_eq!(st, 400, "{v}");
    let texts: Vec<&Value> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| &e["message"])
        .collect();
    assert_eq!(texts, vec![&json!("first"), &json!("second")]);
    assert!(items(&s).is_empty());
    // The order is the list's, not the ids': k2 first stops before k1 runs.
    let (st, _) = create_with(&s, "k2,k1", json!({"title":"y"}));
    assert_eq!(st, 400);
    assert_eq!(runs_now(&s, "k1").len(), 1);
    assert_eq!(runs_now(&s, "k2").len(), 2);
}

#[test]
fn case_28_a_global_workflow_hears_only_its_actions() {
    let s = Server::start();
    fixture(&s);
    global_on(&s, "g", json!(["create"]), &[calc("c", "1")]);
    let (st, v) = post(&s, "/api/tn_items:create", json!({"title":"a"}));
    assert_eq!(st, 200, "{v}");
    let id = v["data"]["id"].as_i64().expect("id");
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:update?filterByTk={id}"),
        json!({"title":"b"}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(statuses(&s, "g"), vec![json!(1)]);
    // `main:<c>` is `<c>` (§13).
    bound(
        &s,
        TYPE,
        "gm",
        json!({"collection":"main:tn_items","global":true,"actions":["create"]}),
        json!({}),
        &[calc("c", "1")],
    );
    post(&s, "/api/tn_items:create", json!({"title":"c"}));
    assert_eq!(statuses(&s, "gm"), vec![json!(1)]);
}

#[test]
fn case_29_reject_on_false_refuses_an_update_and_keeps_the_row() {
    let s = Server::start();
    fixture(&s);
    let id = new_item(&s, json!({"title":"a","amount":1}))["id"]
        .as_i64()
        .expect("id");
    global_on(
        &s,
        "g",
        json!(["update"]),
        &[
            json!({"type":"condition","config":{"rejectOnFalse":true,"engine":"math.js","expression":"{{$context.params.values.amount}} >= 0"}}),
        ],
    );
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:update?filterByTk={id}"),
        json!({"amount":-5}),
    );
    assert_eq!((st, code(&v)), (500, "WORKFLOW_FAILED"), "{v}");
    assert_eq!(items(&s)[0]["amount"], json!(1));
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:update/{id}"),
        json!({"amount":5}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(items(&s)[0]["amount"], json!(5));
    let list = runs_now(&s, "g");
    let got: Vec<&Value> = list.iter().map(|e| &e["status"]).collect();
    assert_eq!(got, vec![&json!(-1), &json!(1)]);
    // filterByTk as the client sent it: the query's text, the path's text.
    assert_eq!(
        list[0]["context"]["params"]["filterByTk"],
        json!(id.to_string())
    );
    assert_eq!(
        list[1]["context"]["params"]["filterByTk"],
        json!(id.to_string())
    );
    assert_eq!(list[1]["context"]["params"]["values"], json!({"amount":5}));
}

#[test]
fn case_30_a_global_destroy_interception_keeps_the_record() {
    let s = Server::start();
    fixture(&s);
    let id = new_item(&s, json!({"title":"a"}))["id"]
        .as_i64()
        .expect("id");
    global_on(&s, "g", json!(["destroy"]), &[end(-1)]);
    let (st, v) = post(
        &s,
        &format!("/api/tn_items:destroy?filterByTk={id}"),
        json!({}),
    );
    assert_eq!((st, code(&v)), (400, "WORKFLOW_INTERCEPTED"), "{v}");
    assert_eq!(items(&s).len(), 1);
    let list = runs_now(&s, "g");
    assert_eq!(list.len(), 1);
    // destroy's values are `{}` (§4.4).
    assert_eq!(
        list[0]["context"]["params"],
        json!({"filterByTk": id.to_string(), "values": {}})
    );
}

#[test]
fn case_31_invalid_configs_are_refused_and_store_nothing() {
    let s = Server::start();
    fixture(&s);
    let before = workflow_rows(&s);
    let refused = |config: Value| refused(&s, TYPE, config);
    let f = fm;
    assert_collection_and_global_rules(&s, TYPE);
    assert_eq!(
        refused(json!({"collection":"tn_items","global":true,"actions":[]})),
        vec![f(
            "actions",
            "At least one action is required in global mode"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","global":true,"actions":["list"]})),
        vec![f(
            "actions",
            "\"actions[0]\" must be one of [create, update, updateOrCreate, destroy]"
        )]
    );
    assert_eq!(
        refused(json!({"collection":"tn_items","global":"yes","actions":["create"]})),
        vec![f("global", "\"global\" must be a boolean")]
    );
    assert_eq!(workflow_rows(&s), before, "a refused config stores nothing");
    // workflows:update checks the same rules and leaves the row as it was.
    let id = local(&s, "ok", json!({}), &[]);
    let stored = workflow_rows(&s);
    let (st, v) = post(
        &s,
        &format!("/api/workflows:update?filterByTk={id}"),
        json!({"config":{"collection":"tn_items","global":true}}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{v}");
    assert_eq!(workflow_rows(&s), stored);
    // Accepted: local with any actions (ignored), global with the four names.
    create(
        &s,
        json!({"title":"y","type":TYPE,"config":{"collection":"tn_items","actions":["whatever"]}}),
    );
    create(
        &s,
        json!({"title":"z","type":TYPE,"config":{"collection":"tn_items","global":true,"actions":["create","update","updateOrCreate","destroy"]}}),
    );
}

#[test]
fn a_run_left_waiting_is_a_hang_and_the_action_does_not_happen() {
    let s = Server::start();
    fixture(&s);
    // Stored async, so the delay node is accepted; interception still needs the run's end.
    local(
        &s,
        "k",
        json!({"sync": false}),
        &[delay("d", json!(50), 1, 1)],
    );
    let (st, v) = create_with(&s, "k", json!({"title":"x"}));
    assert_eq!((st, code(&v)), (500, "WORKFLOW_HANGS"), "{v}");
    assert_eq!(
        message(&v),
        "Workflow on your action hangs, please contact the administrator"
    );
    let e = &v["errors"][0];
    assert_eq!(e["workflowKey"], json!("k"));
    let id = e["executionId"].as_i64().expect("executionId");
    // The delay finishes the run later; the refused create stays refused.
    assert_eq!(
        wait_final(&s, id, std::time::Duration::from_secs(10))["status"],
        json!(1)
    );
    assert!(items(&s).is_empty());
}

#[test]
fn enabling_and_disabling_take_effect_at_once() {
    let s = Server::start();
    fixture(&s);
    let create = |title: &str| post(&s, "/api/tn_items:create", json!({ "title": title })).0;
    assert_eq!(create("before"), 200);
    let id = global_on(&s, "g", json!(["create"]), &[end(-1)]);
    assert_eq!(create("refused"), 400);
    let set = |enabled: bool| {
        let (st, v) = post(
            &s,
            &format!("/api/workflows:update?filterByTk={id}"),
            json!({ "enabled": enabled }),
        );
        assert_eq!(st, 200, "{v}");
    };
    set(false);
    assert_eq!(create("allowed"), 200);
    set(true);
    assert_eq!(create("refused again"), 400);
    let titles: Vec<Value> = items(&s).iter().map(|r| r["title"].clone()).collect();
    assert_eq!(titles, vec![json!("before"), json!("allowed")]);
}

#[test]
fn reads_run_no_interception() {
    let s = Server::start();
    fixture(&s);
    local(&s, "k", json!({}), &[end(-1)]);
    new_item(&s, json!({"title":"a"}));
    let (st, v) = s.get(&s.root(), "/api/tn_items:list?triggerWorkflows=k");
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.get(&s.root(), "/api/tn_items:get/1?triggerWorkflows=k");
    assert_eq!(st, 200, "{v}");
    assert!(runs_now(&s, "k").is_empty());
}

#[test]
fn an_association_resource_is_intercepted_on_its_target() {
    let s = Server::start();
    fixture(&s);
    s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"g"})));
    local(
        &s,
        "k",
        json!({}),
        &[say("no {{$context.params.values.title}}"), end(-1)],
    );
    let (st, v) = post(
        &s,
        "/api/tn_groups/1/items:create?triggerWorkflows=k",
        json!({"title":"x"}),
    );
    assert_eq!((st, code(&v)), (400, "WORKFLOW_INTERCEPTED"), "{v}");
    assert_eq!(message(&v), "no x");
    assert!(items(&s).is_empty());
    // Without the key the association create goes through.
    let (st, v) = post(&s, "/api/tn_groups/1/items:create", json!({"title":"y"}));
    assert_eq!(st, 200, "{v}");
    assert_eq!(items(&s)[0]["groupId"], json!(1));
    assert_eq!(runs_now(&s, "k").len(), 1);
}

#[test]
fn an_acl_refusal_runs_nothing() {
    let s = Server::start();
    fixture(&s);
    global_on(&s, "g", json!(["create"]), &[calc("c", "1")]);
    local(&s, "k", json!({}), &[calc("c", "1")]);
    assert_member_refused_before_workflows(&s, "k", &["g", "k"]);
}

#[test]
fn a_bad_request_is_refused_before_any_run() {
    let s = Server::start();
    fixture(&s);
    global_on(&s, "g", json!(["update", "destroy"]), &[calc("c", "1")]);
    // No filterByTk: 400 before the workflows (nothing ran, nothing written).
    let (st, v) = post(&s, "/api/tn_items:update", json!({"title":"x"}));
    assert_eq!((st, code(&v)), (400, "MISSING_PARAMETER"), "{v}");
    let (st, v) = post(&s, "/api/tn_items:destroy?filter=%7Bbad", json!({}));
    assert_eq!(st, 400, "{v}");
    let (st, v) = create_with(&s, "!x", json!({"title":"x"}));
    assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{v}");
    assert!(runs_now(&s, "g").is_empty());
    assert!(items(&s).is_empty());
}

#[test]
fn manual_run_takes_a_target_and_a_user() {
    let s = Server::start();
    fixture(&s);
    let rec = new_item(&s, json!({"title":"a","amount":2}));
    let wid = local(
        &s,
        "k",
        json!({}),
        &[calc("c", "{{$context.params.values.amount}} * 3")],
    );
    let exec = |body: Value| execute(&s, wid, body);
    let (st, v) = exec(json!({"userId": 1}));
    assert_eq!((st, code(&v)), (400, "EXECUTE_FAILED"), "{v}");
    assert_eq!(message(&v), "Target data or key is required");
    let (st, v) = exec(json!({"target": rec["id"]}));
    assert_eq!((st, code(&v)), (400, "EXECUTE_FAILED"), "{v}");
    assert_eq!(message(&v), "UserId is required");
    assert!(runs_now(&s, "k").is_empty());
    let (st, v) = exec(json!({"target": rec["id"], "userId": rec["createdById"]}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().expect("id"));
    assert_eq!(e["context"]["params"]["values"]["title"], json!("a"));
    assert_eq!(e["context"]["roleName"], json!("root"));
    assert_eq!(result_of(&e, "c"), json!(6));
    let (st, v) =
        exec(json!({"target": rec["id"], "userId": rec["createdById"], "action": "destroy"}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().expect("id"));
    assert_eq!(e["context"]["params"], json!({"filterByTk": rec["id"]}));
}
