//! `flowgate export`: the store → the definitions document of bridge.md §4. Only reads (a server may run
//! on the folder). What an import kept verbatim comes back verbatim and in place (collection options,
//! field attributes with their positions, role attributes, workflow extras, `fg_bridge_kept`); what
//! flowgate made itself goes out API-shaped (§5.3), so NocoBase can take it as it is.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::repo::{self as kept_repo, Kept};
use super::support::nocobase_type;
use crate::acl::repo as acl_repo;
use crate::action::Ctx;
use crate::collections::registry::{Collection, Field, Kind, ScalarType, Schema};
use crate::collections::rows;
use crate::error::Result;
use crate::reply::Reply;
use crate::store::Store;
use crate::workflow::model::{Node, Workflow};
use crate::workflow::repo::workflows as wf_repo;

/// What to put in the document besides the current definitions.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// earlier versions of each workflow key under `history`, oldest first
    pub all_versions: bool,
    /// the rows of every collection under `records: {"<collection>": [rows by id]}`
    pub records: bool,
}

/// The document of the store, not yet in canonical form (see [`crate::bridge::doc::to_canonical_string`]).
pub fn export_document(store: &Store, opts: &ExportOptions) -> Result<Value> {
    store.read(|c| {
        // One read transaction: the document is one snapshot even while a server writes the store.
        // Dropping it rolls back, which for a reader only ends the snapshot.
        let _snapshot = c.unchecked_transaction()?;
        let schema = Schema::read(c, 0)?;
        let kept = kept_repo::all(c)?;
        let mut doc = json!({
            "format": super::doc::FORMAT,
            "version": super::doc::VERSION,
            "source": {"kind": "flowgate", "serverVersion": env!("CARGO_PKG_VERSION")},
            "collections": collections(&schema, &kept),
            "roles": roles(c)?,
            "workflows": workflows(c, &kept, opts.all_versions)?,
        });
        if opts.records {
            doc["records"] = records(c, &schema)?;
        }
        Ok(doc)
    })
}

/// `app:export` (root and admin: the dispatcher's system guard): the document of `flowgate export` as a
/// file, `allVersions` and `records` as its flags. flowgate's own action; NocoBase has none.
pub fn download(ctx: &Ctx) -> Result<Reply> {
    let opts = ExportOptions {
        all_versions: ctx.input.flag("allVersions")?.unwrap_or(false),
        records: ctx.input.flag("records")?.unwrap_or(false),
    };
    let doc = export_document(&ctx.app.store, &opts)?;
    let date = &crate::time::now_iso()[..10];
    Ok(Reply::download(
        format!("flowgate-export-{date}.json"),
        super::doc::to_canonical_string(&doc),
    ))
}

fn kept_of<'a>(kept: &'a [Kept], kind: &'a str) -> impl Iterator<Item = &'a Kept> + 'a {
    kept.iter().filter(move |k| k.kind == kind)
}

fn collections(schema: &Schema, kept: &[Kept]) -> Vec<Value> {
    let mut out: Vec<Value> = schema
        .user_collections()
        .iter()
        .map(|c| collection(c, kept))
        .collect();
    out.extend(kept_of(kept, "collection").map(|k| k.definition.clone()));
    out
}

fn collection(c: &Collection, kept: &[Kept]) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(c.name));
    m.insert("title".into(), json!(c.title));
    match &c.options {
        Some(o) => {
            for (k, v) in o {
                m.insert(k.clone(), v.clone());
            }
        }
        // A flowgate collection is what NocoBase makes through its API (§5.3, like `br_reviews`).
        None => {
            for flag in [
                "autoGenId",
                "createdAt",
                "updatedAt",
                "createdBy",
                "updatedBy",
            ] {
                m.insert(flag.into(), json!(true));
            }
        }
    }
    m.insert("fields".into(), Value::Array(fields(c, kept)));
    Value::Object(m)
}

/// The collection's fields in the document's order: imported ones at their positions (kept ones among
/// them), fields made in flowgate afterwards at the end in creation order.
fn fields(c: &Collection, kept: &[Kept]) -> Vec<Value> {
    let prefix = format!("collections.{}.fields.", c.name);
    let mut placed: Vec<(i64, usize, Value)> = Vec::new();
    for (i, f) in c.fields.iter().filter(|f| !f.system).enumerate() {
        match (&f.attributes, &f.fk_target) {
            (Some(a), _) => {
                placed.push((f.position.unwrap_or(i64::MAX), i, Value::Object(a.clone())))
            }
            // flowgate's FK columns are made by their association on the other side (§3.2).
            (None, Some(_)) => {}
            (None, None) => placed.push((i64::MAX, i, native_field(f))),
        }
    }
    for k in kept_of(kept, "field").filter(|k| k.path.starts_with(&prefix)) {
        placed.push((k.position, 0, k.definition.clone()));
    }
    placed.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    placed.into_iter().map(|(_, _, v)| v).collect()
}

/// A field made in flowgate as NocoBase's API would hold it: its type in NocoBase's vocabulary, the
/// default interface and uiSchema of §5.3, and every key name explicit.
fn native_field(f: &Field) -> Value {
    let title = f.title.clone().unwrap_or_else(|| f.name.clone());
    let mut m = Map::new();
    m.insert("name".into(), json!(f.name));
    let (ty, interface, ui) = match &f.kind {
        Kind::Scalar(t) => {
            let (interface, ui) = scalar_ui(*t);
            (nocobase_type(*t), interface, ui)
        }
        Kind::BelongsTo { .. } => ("belongsTo", "m2o", association_ui(false)),
        Kind::HasOne { .. } => ("hasOne", "oho", association_ui(false)),
        Kind::HasMany { .. } => ("hasMany", "o2m", association_ui(true)),
        Kind::BelongsToMany { .. } => ("belongsToMany", "m2m", association_ui(true)),
    };
    // The key names as flowgate's API shows them, every one explicit.
    let own = f.to_json("");
    for k in KEY_NAMES {
        if let Some(v) = own.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    m.insert("type".into(), json!(ty));
    m.insert("interface".into(), json!(interface));
    let mut ui_schema = Map::new();
    ui_schema.insert("title".into(), json!(title));
    if let Value::Object(rest) = ui {
        ui_schema.extend(rest);
    }
    m.insert("uiSchema".into(), Value::Object(ui_schema));
    if f.is_column() {
        if !f.allow_null {
            m.insert("allowNull".into(), json!(false));
        }
        if f.unique {
            m.insert("unique".into(), json!(true));
        }
        if f.index {
            m.insert("index".into(), json!(true));
        }
        if !f.default_value.is_null() {
            m.insert("defaultValue".into(), f.default_value.clone());
        }
    }
    Value::Object(m)
}

pub(super) const KEY_NAMES: [&str; 6] = [
    "target",
    "foreignKey",
    "through",
    "otherKey",
    "sourceKey",
    "targetKey",
];

/// The interface and uiSchema of §5.3 for a scalar type.
fn scalar_ui(t: ScalarType) -> (&'static str, Value) {
    use ScalarType::*;
    match t {
        String => ("input", json!({"type": "string", "x-component": "Input"})),
        Text => (
            "textarea",
            json!({"type": "string", "x-component": "Input.TextArea"}),
        ),
        Integer | BigInt => (
            "integer",
            json!({"type": "number", "x-component": "InputNumber",
                   "x-component-props": {"stringMode": true, "step": "1"}, "x-validator": "integer"}),
        ),
        Float | Double => (
            "number",
            json!({"type": "number", "x-component": "InputNumber",
                   "x-component-props": {"stringMode": true, "step": "0.01"}}),
        ),
        Boolean => (
            "checkbox",
            json!({"type": "boolean", "x-component": "Checkbox"}),
        ),
        Date => (
            "dateOnly",
            json!({"type": "string", "x-component": "DatePicker",
                   "x-component-props": {"dateOnly": true, "showTime": false}}),
        ),
        Datetime => (
            "datetime",
            json!({"type": "string", "x-component": "DatePicker",
                   "x-component-props": {"showTime": true, "utc": true}}),
        ),
        Json => (
            "json",
            json!({"type": "object", "x-component": "Input.JSON"}),
        ),
    }
}

fn association_ui(multiple: bool) -> Value {
    json!({"type": if multiple { "array" } else { "object" }, "x-component": "AssociationField",
           "x-component-props": {"multiple": multiple, "fieldNames": {"label": "id", "value": "id"}}})
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Every role but root, with its grants. An imported role's attributes come back as given; flowgate's
/// columns (title, strategy, snippets, default) give their current values.
fn roles(c: &Connection) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for r in acl_repo::stored_roles(c)? {
        if r.name == "root" {
            continue;
        }
        let mut m = match r.options.as_deref().map(parse) {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        };
        m.insert("name".into(), json!(r.name));
        let current = [
            ("title", json!(r.title), Value::Null),
            ("strategy", parse(&r.strategy), json!({"actions": []})),
            ("snippets", parse(&r.snippets), json!([])),
            ("default", json!(r.default), json!(false)),
        ];
        for (key, now, absent) in current {
            if m.contains_key(key) || now != absent {
                m.insert(key.into(), now);
            }
        }
        let grants: Vec<Value> = acl_repo::list_resources(c, &r.name)?
            .into_iter()
            .map(|g| {
                json!({"name": g["name"], "usingActionsConfig": g["usingActionsConfig"],
                       "actions": g["actions"]})
            })
            .collect();
        m.insert("resources".into(), Value::Array(grants));
        out.push(Value::Object(m));
    }
    Ok(out)
}

fn workflows(c: &Connection, kept: &[Kept], all_versions: bool) -> Result<Vec<Value>> {
    let kept_keys: Vec<&str> = kept_of(kept, "workflow")
        .filter_map(|k| k.definition.get("key").and_then(Value::as_str))
        .collect();
    let mut by_key: BTreeMap<String, Vec<Workflow>> = BTreeMap::new();
    for w in wf_repo::all_versions(c)? {
        by_key.entry(w.key.clone()).or_default().push(w);
    }
    let mut out = Vec::new();
    for (key, versions) in by_key {
        // A key the last import kept (its definition became unsupported) goes out as kept.
        if kept_keys.contains(&key.as_str()) {
            continue;
        }
        let Some(current) = versions.iter().find(|w| w.current) else {
            continue;
        };
        let mut doc = workflow(c, current)?;
        if all_versions {
            let mut history = Vec::new();
            for w in versions.iter().filter(|w| !w.current) {
                let mut h = workflow(c, w)?;
                h["current"] = Value::Null;
                history.push(h);
            }
            if !history.is_empty() {
                doc["history"] = Value::Array(history);
            }
        }
        out.push(doc);
    }
    out.extend(kept_of(kept, "workflow").map(|k| k.definition.clone()));
    Ok(out)
}

/// One version as the document holds it (§4.1), nodes in pre-order.
pub fn workflow(c: &Connection, w: &Workflow) -> Result<Value> {
    let mut m = match wf_repo::extra(c, w.id)? {
        Some(Value::Object(e)) => e,
        _ => Map::new(),
    };
    m.insert("key".into(), json!(w.key));
    m.insert("title".into(), json!(w.title));
    m.insert("description".into(), json!(w.description));
    m.insert("type".into(), json!(w.kind));
    m.insert("config".into(), w.config.clone());
    m.insert("options".into(), w.options.clone());
    m.insert("enabled".into(), json!(w.enabled));
    m.insert("sync".into(), json!(w.sync));
    m.insert(
        "nodes".into(),
        Value::Array(preorder(&wf_repo::nodes(c, w.id)?)),
    );
    Ok(Value::Object(m))
}

/// The nodes in pre-order (§2.5): the head, each branch by ascending index, then the downstream.
pub fn preorder(nodes: &[Node]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Some(head) = nodes.iter().find(|n| n.upstream_id.is_none()) {
        walk(nodes, head, &mut out, &mut seen);
    }
    out
}

fn walk<'a>(
    nodes: &'a [Node],
    start: &'a Node,
    out: &mut Vec<Value>,
    seen: &mut std::collections::HashSet<i64>,
) {
    let mut at = Some(start);
    while let Some(n) = at {
        if !seen.insert(n.id) {
            return;
        }
        let upstream = n
            .upstream_id
            .and_then(|u| nodes.iter().find(|x| x.id == u))
            .map(|u| u.key.clone());
        out.push(
            json!({"key": n.key, "type": n.kind, "title": n.title, "config": n.config,
                        "upstream": upstream, "branchIndex": n.branch_index}),
        );
        let mut branches: Vec<&Node> = nodes
            .iter()
            .filter(|b| b.upstream_id == Some(n.id) && b.branch_index.is_some())
            .collect();
        branches.sort_by_key(|b| b.branch_index);
        for b in branches {
            walk(nodes, b, out, seen);
        }
        at = n
            .downstream_id
            .and_then(|d| nodes.iter().find(|x| x.id == d));
    }
}

/// `records: {"<collection>": [rows by id]}`, collections by name.
fn records(c: &Connection, schema: &Schema) -> Result<Value> {
    let mut colls = schema.user_collections();
    colls.sort_by(|a, b| a.name.cmp(&b.name));
    let mut m = Map::new();
    for coll in colls {
        let rows: Vec<Value> = rows::all(c, &coll)?
            .into_iter()
            .map(Value::Object)
            .collect();
        m.insert(coll.name.clone(), Value::Array(rows));
    }
    Ok(Value::Object(m))
}
