//! The fixture of triggers-and-nodes.md §14 for the pre- and post-action trigger tests (included with
//! `#[path = "common/tn.rs"] mod tn;` next to `mod common;` and `mod wf;`): `tn_groups {name, items}`,
//! `tn_items {title, amount, group}`, workflows bound to them, their executions.
#![allow(dead_code)]

use crate::common::*;
use crate::wf;
use crate::wf::runs_now;

/// tn_groups {name, items → tn_items}; tn_items {title, amount (integer), group → tn_groups}.
pub fn fixture(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_groups","fields":[{"name":"name","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_items","fields":[{"name":"title","type":"string"},{"name":"amount","type":"integer"},{"name":"group","type":"belongsTo","target":"tn_groups"}]})),
    );
    s.ok(
        "POST",
        "/api/collections/tn_groups/fields:create",
        Some(json!({"name":"items","type":"hasMany","target":"tn_items","foreignKey":"groupId"})),
    );
}

/// An enabled workflow of trigger type `ty`, key `key`, with `config`, extra `workflows:create` fields
/// and a chain of nodes; returns its id.
pub fn bound(s: &Server, ty: &str, key: &str, config: Value, extra: Value, nodes: &[Value]) -> i64 {
    let mut body = json!({"title": key, "type": ty, "key": key, "enabled": true, "config": config});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let id = wf::create(s, body)["id"].as_i64().expect("id");
    wf::chain(s, id, nodes);
    id
}

/// The final statuses of `key`'s executions as they are now.
pub fn statuses(s: &Server, key: &str) -> Vec<Value> {
    runs_now(s, key)
        .iter()
        .map(|e| e["status"].clone())
        .collect()
}

pub fn say(text: &str) -> Value {
    json!({"type": "response-message", "config": {"message": text}})
}

pub fn end(status: i64) -> Value {
    json!({"type": "end", "config": {"endStatus": status}})
}

/// The rows of `tn_items`, by id.
pub fn items(s: &Server) -> Vec<Value> {
    let (st, v) = s.get(&s.root(), "/api/tn_items:list?sort=id&paginate=false");
    assert_eq!(st, 200, "{v}");
    v["data"].as_array().cloned().unwrap_or_default()
}

/// `POST <path>` as root with `body`: (status, body).
pub fn post(s: &Server, path: &str, body: Value) -> (u16, Value) {
    s.post(&s.root(), path, body)
}

/// The `workflows` rows as the API lists them (to show a refused create changed nothing).
pub fn workflow_rows(s: &Server) -> Value {
    let (st, v) = s.get(&s.root(), "/api/workflows:list?paginate=false&sort=id");
    assert_eq!(st, 200, "{v}");
    v["data"].clone()
}

/// `workflows:create` of a `ty` workflow with `config`, which must be refused `400 INVALID_CONFIG`:
/// its `(field, message)` pairs.
pub fn refused(s: &Server, ty: &str, config: Value) -> Vec<(String, String)> {
    let (st, v) = post(
        s,
        "/api/workflows:create",
        json!({"title":"x","type":ty,"config":config}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{config} → {v}");
    wf::fields(&v)
}

/// A `(field, message)` pair as [`refused`] answers them.
pub fn fm(field: &str, message: &str) -> (String, String) {
    (field.to_string(), message.to_string())
}

/// The refusals both pre- and post-action types share (§4.1, §5.1, §13): no collection, an unknown one,
/// `global` without `actions`.
pub fn assert_collection_and_global_rules(s: &Server, ty: &str) {
    assert_eq!(
        refused(s, ty, json!({})),
        vec![fm("collection", "\"collection\" is required")]
    );
    assert_eq!(
        refused(s, ty, json!({"collection":"nope"})),
        vec![fm(
            "collection",
            "Collection \"nope\" does not exist in data source \"main\""
        )]
    );
    // §13: NocoBase's action trigger stores this and never fires it.
    assert_eq!(
        refused(s, ty, json!({"collection":"tn_items","global":true})),
        vec![fm("actions", "\"actions\" is required")]
    );
}

/// `workflows:execute` of workflow `wid` as root with `body`: (status, body).
pub fn execute(s: &Server, wid: i64, body: Value) -> (u16, Value) {
    post(s, &format!("/api/workflows:execute?filterByTk={wid}"), body)
}

/// A `tn_items` record created as root (no workflow named); the answered record.
pub fn new_item(s: &Server, values: Value) -> Value {
    s.ok("POST", "/api/tn_items:create", Some(values))
}

/// A member (no grant on `tn_items`) creates an item naming `key`: `403 NO_PERMISSIONS`, and neither
/// the workflows `keys` ran nor anything was written — the ACL decides before either trigger.
pub fn assert_member_refused_before_workflows(s: &Server, key: &str, keys: &[&str]) {
    let m = s.user("m1", &["member"]);
    let (st, v) = s.post(
        &m,
        &format!("/api/tn_items:create?triggerWorkflows={key}"),
        json!({"title":"x"}),
    );
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{v}");
    for k in keys {
        assert!(runs_now(s, k).is_empty(), "{k} ran");
    }
    assert!(items(s).is_empty());
}
