//! The rows of a document made with `export --records` (issue 13 point 4): created or updated on the
//! target after its collections, roles and grants and before any workflow is created, so no collection
//! event of the target fires for them. Rows keep their ids, since clients hold them:
//! - a row whose id the target has is updated where its values differ;
//! - a missing row of a collection whose ids the application makes (snowflake, uid) is created with its id;
//! - a collection with an autoincrement id (every collection flowgate makes, and NocoBase's API-made
//!   ones) cannot take ids through the API without leaving its sequence behind, so that the target's next
//!   own create would collide (tried on NocoBase 2.2.15: after a row created with id 5, the next rows get
//!   1, 2, … and the sixth fails). Its rows are created without ids, in id order, into a collection that
//!   holds none yet: the sequence then hands out exactly the ids the rows had, gaps filled by stand-in rows
//!   destroyed again at once; each answer's id is checked. A target collection that already holds rows is
//!   a conflict.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use super::plan::{Bind, Call, Op, Phase, Plan};
use super::target::{fields_of, id_of, str_at, Target};

/// Columns the target sets itself.
const SYSTEM: [&str; 4] = ["createdAt", "updatedAt", "createdById", "updatedById"];

pub fn plan_rows(doc: &Value, target: &Target, p: &mut Plan) {
    let Some(records) = doc.get("records").and_then(Value::as_object) else {
        return;
    };
    for name in order(doc, records) {
        let rows = records[&name].as_array().cloned().unwrap_or_default();
        collection_rows(doc, &name, &rows, target, p);
    }
}

/// Collections whose rows others point at come first: a `belongsTo` target before the collection holding
/// the foreign key, and the source of a `hasMany`/`hasOne` before its target (which holds the key).
fn order(doc: &Value, records: &Map<String, Value>) -> Vec<String> {
    let collections = doc
        .get("collections")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let needs = |name: &str| -> Vec<String> {
        let mut out = Vec::new();
        for c in &collections {
            for f in fields_of(c) {
                let (ty, target) = (str_at(f, "type"), str_at(f, "target"));
                if ty == "belongsTo" && str_at(c, "name") == name {
                    out.push(target.to_string());
                }
                if (ty == "hasMany" || ty == "hasOne") && target == name {
                    out.push(str_at(c, "name").to_string());
                }
            }
        }
        out
    };
    let mut done: Vec<String> = Vec::new();
    let mut left: Vec<String> = records.keys().cloned().collect();
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|n| needs(n).iter().all(|t| t == n || !left.contains(t)));
        // A cycle of keys: take the first; NocoBase does not enforce its associations' foreign keys.
        let i = ready.unwrap_or(0);
        done.push(left.remove(i));
    }
    done
}

fn doc_collection<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.get("collections")?
        .as_array()?
        .iter()
        .find(|c| str_at(c, "name") == name)
}

/// Whether the collection's ids come from a database sequence on the target.
fn sequenced(doc: &Value, name: &str, target: &Target) -> bool {
    let id_field = |c: &Value| {
        fields_of(c)
            .iter()
            .find(|f| str_at(f, "name") == "id")
            .cloned()
    };
    let c = target
        .collections
        .get(name)
        .or_else(|| doc_collection(doc, name));
    match c.and_then(id_field) {
        Some(f) => f
            .get("autoIncrement")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        None => c
            .and_then(|c| c.get("autoGenId"))
            .and_then(Value::as_bool)
            .unwrap_or(true),
    }
}

fn collection_rows(doc: &Value, name: &str, rows: &[Value], target: &Target, p: &mut Plan) {
    let have: HashMap<i64, &Value> = target
        .rows
        .get(name)
        .into_iter()
        .flatten()
        .filter_map(|r| Some((id_of(r)?, r)))
        .collect();
    let mut missing: BTreeMap<i64, Map<String, Value>> = BTreeMap::new();
    let mut updates = Vec::new();
    for row in rows {
        let Some(id) = id_of(row) else { continue };
        let values = values_of(row);
        match have.get(&id) {
            Some(there) => {
                let diff: Map<String, Value> = values
                    .into_iter()
                    .filter(|(k, v)| !same(there.get(k), v))
                    .collect();
                if !diff.is_empty() {
                    updates.push(call(
                        "POST",
                        format!("/api/{name}:update"),
                        vec![("filterByTk".into(), id.to_string())],
                        Some(Value::Object(diff)),
                    ));
                }
            }
            None => {
                missing.insert(id, values);
            }
        }
    }
    if !updates.is_empty() {
        p.ops.push(row_op("update rows", name, updates));
    }
    if missing.is_empty() {
        return;
    }
    if !sequenced(doc, name, target) {
        let creates = missing
            .into_iter()
            .map(|(id, mut v)| {
                v.insert("id".into(), json!(id));
                call(
                    "POST",
                    format!("/api/{name}:create"),
                    vec![],
                    Some(Value::Object(v)),
                )
            })
            .collect();
        p.ops.push(row_op("create rows", name, creates));
        return;
    }
    if !have.is_empty() {
        p.conflicts.push(format!(
            "collections.{name}.records the target already holds {} rows; rows of a collection with an autoincrement id keep their ids only in an empty one",
            have.len()
        ));
        return;
    }
    p.ops
        .push(row_op("create rows", name, in_sequence(name, missing)));
}

/// Creates without ids from 1 up, each answer checked for the id it must have; a gap becomes a stand-in
/// row destroyed right after.
fn in_sequence(name: &str, rows: BTreeMap<i64, Map<String, Value>>) -> Vec<Call> {
    let mut calls = Vec::new();
    let mut next = 1;
    for (id, values) in rows {
        while next < id {
            let mut filler = call(
                "POST",
                format!("/api/{name}:create"),
                vec![],
                Some(json!({})),
            );
            filler.bind = Bind::ExpectId(next);
            calls.push(filler);
            calls.push(call(
                "POST",
                format!("/api/{name}:destroy"),
                vec![("filterByTk".into(), next.to_string())],
                None,
            ));
            next += 1;
        }
        let mut c = call(
            "POST",
            format!("/api/{name}:create"),
            vec![],
            Some(Value::Object(values)),
        );
        c.bind = Bind::ExpectId(id);
        calls.push(c);
        next = id + 1;
    }
    calls
}

/// A row's values as a write body: without its id and the columns the target sets itself.
fn values_of(row: &Value) -> Map<String, Value> {
    row.as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.as_str() != "id" && !SYSTEM.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Equal values, numbers by value (NocoBase answers some numbers as text: bigint, decimal).
fn same(there: Option<&Value>, want: &Value) -> bool {
    match (there, want) {
        (Some(a), b) if a == b => true,
        (None, Value::Null) => true,
        (Some(Value::String(s)), Value::Number(n)) => s.parse::<f64>().ok() == n.as_f64(),
        (Some(Value::Number(a)), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => false,
    }
}

fn call(
    method: &'static str,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
) -> Call {
    Call {
        method,
        path,
        query,
        body,
        bind: Bind::None,
    }
}

fn row_op(what: &'static str, name: &str, calls: Vec<Call>) -> Op {
    let n = calls
        .iter()
        .filter(|c| {
            c.method == "POST"
                && c.body
                    .as_ref()
                    .is_some_and(|b| b.as_object().is_some_and(|m| !m.is_empty()))
        })
        .count();
    Op {
        phase: Phase::Records,
        op: what,
        target: name.to_string(),
        note: Some(format!("{n} rows")),
        calls,
        hidden_version: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::target::Reads;
    use super::*;

    fn doc() -> Value {
        json!({"collections": [
            {"name": "posts", "autoGenId": true, "fields": [{"name": "title", "type": "string"},
                {"name": "category", "type": "belongsTo", "target": "categories", "foreignKey": "categoryId"}]},
            {"name": "categories", "autoGenId": true, "fields": [{"name": "title", "type": "string"}]}],
            "records": {"posts": [{"id": 1, "title": "a", "categoryId": 3, "createdAt": "x"}],
                        "categories": [{"id": 1, "title": "c1"}, {"id": 3, "title": "c3"}]}})
    }

    fn target(rows: Vec<(String, Vec<Value>)>) -> Target {
        let collections = vec![
            json!({"name": "posts", "fields": [{"name": "id", "type": "bigInt", "autoIncrement": true}]}),
            json!({"name": "categories", "fields": [{"name": "id", "type": "bigInt", "autoIncrement": true}]}),
        ];
        Target::new(Reads {
            collections,
            rows,
            ..Reads::default()
        })
    }

    fn lines(p: &Plan) -> Vec<String> {
        p.ops.iter().map(Op::line).collect()
    }

    #[test]
    fn rows_keep_their_ids_through_the_sequence_with_stand_ins_for_gaps() {
        let mut p = Plan::default();
        plan_rows(
            &doc(),
            &target(vec![
                ("posts".into(), vec![]),
                ("categories".into(), vec![]),
            ]),
            &mut p,
        );
        assert_eq!(
            lines(&p),
            [
                "create rows categories (2 rows)",
                "create rows posts (1 rows)"
            ],
            "targets of belongsTo first"
        );
        let calls: Vec<(String, Option<Value>, Bind)> = p.ops[0]
            .calls
            .iter()
            .map(|c| (c.path.clone(), c.body.clone(), c.bind.clone()))
            .collect();
        assert_eq!(
            calls,
            [
                (
                    "/api/categories:create".to_string(),
                    Some(json!({"title": "c1"})),
                    Bind::ExpectId(1)
                ),
                (
                    "/api/categories:create".to_string(),
                    Some(json!({})),
                    Bind::ExpectId(2)
                ),
                ("/api/categories:destroy".to_string(), None, Bind::None),
                (
                    "/api/categories:create".to_string(),
                    Some(json!({"title": "c3"})),
                    Bind::ExpectId(3)
                ),
            ]
        );
        assert_eq!(
            p.ops[1].calls[0].body,
            Some(json!({"title": "a", "categoryId": 3})),
            "no id, no system columns"
        );
    }

    #[test]
    fn rows_the_target_holds_are_updated_only_where_they_differ() {
        let mut p = Plan::default();
        let there = vec![
            (
                "categories".into(),
                vec![
                    json!({"id": 1, "title": "c1"}),
                    json!({"id": 3, "title": "old"}),
                ],
            ),
            (
                "posts".into(),
                vec![json!({"id": 1, "title": "a", "categoryId": "3"})],
            ),
        ];
        plan_rows(&doc(), &target(there), &mut p);
        assert_eq!(lines(&p), ["update rows categories (1 rows)"]);
        assert_eq!(p.ops[0].calls[0].body, Some(json!({"title": "c3"})));
        assert!(p.conflicts.is_empty());
    }

    #[test]
    fn a_sequenced_collection_with_rows_cannot_take_more_with_their_ids() {
        let mut p = Plan::default();
        let there = vec![
            ("categories".into(), vec![json!({"id": 1, "title": "c1"})]),
            ("posts".into(), vec![]),
        ];
        plan_rows(&doc(), &target(there), &mut p);
        assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
        assert!(p.conflicts[0]
            .starts_with("collections.categories.records the target already holds 1 rows"));
    }
}
