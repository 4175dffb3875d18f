//! The plan of a push (bridge.md §3): what to write on the target so that it holds the document's
//! definitions, as operations of NocoBase calls, in the order §3.1 requires (collections, then their
//! associations, roles, grants, workflows). Pure: it compares the document with what the target
//! holds (`Target`) and never calls the network. Ids the target has not made yet are placeholders
//! (`Ref`) that the apply step binds from the answers of earlier calls.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Map, Value};

use super::graph;
use super::target::{fields_of, frozen, grant_action, id_of, is_system, lean, str_at, Target};
use crate::bridge::report::{Kind, Report, Severity};

/// A value the target makes while the push runs: a new workflow version's id, a new node's id, a new
/// custom scope's id. In a call it is written as the string `@<name>` and replaced before sending.
pub type Ref = String;

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: &'static str,
    /// the path, possibly holding a `@ref` segment
    pub path: String,
    /// query parameters in order (a filter is a JSON string)
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// what to take from the answer
    pub bind: Bind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    None,
    /// `data.id` of the answer becomes this ref
    Id(Ref),
    /// the nodes of the version this ref names are read back, and each `@<prefix><node key>` bound
    NodesOf {
        version: Ref,
        prefix: String,
    },
    /// the answer's `data.id` must be this id (rows created into an id sequence)
    ExpectId(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Collections,
    Associations,
    Roles,
    Grants,
    Records,
    Workflows,
}

#[derive(Debug, Clone)]
pub struct Op {
    pub phase: Phase,
    /// `create collection`, `update node`, `revision`, …
    pub op: &'static str,
    /// what it concerns: `br_orders`, `br_orders.customer`, `br_wf_order_check.msg_ok`
    pub target: String,
    /// extra words for the dry-run line (`reverse of br_customers.orders`, `executed 1×`)
    pub note: Option<String>,
    pub calls: Vec<Call>,
    /// a workflow version this op makes hidden (`current: null`): destroyed again if the push fails
    /// before it is enabled
    pub hidden_version: Option<Ref>,
}

impl Op {
    pub fn line(&self) -> String {
        match &self.note {
            Some(n) => format!("{} {} ({n})", self.op, self.target),
            None => format!("{} {}", self.op, self.target),
        }
    }
}

#[derive(Debug, Default)]
pub struct Plan {
    pub ops: Vec<Op>,
    /// `collections.br_orders.fields.amount type double ≠ string`
    pub conflicts: Vec<String>,
    /// objects the target has and the document lacks (never deleted)
    pub extra: Vec<String>,
    pub report: Report,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// make the built-in admin and member roles exactly the document's (default: only add)
    pub exact_roles: bool,
}

const ASSOCIATIONS: [&str; 4] = ["belongsTo", "hasOne", "hasMany", "belongsToMany"];
/// Field attributes whose difference push refuses to write over (§3.2).
const KEY_ATTRIBUTES: [&str; 8] = [
    "type",
    "interface",
    "target",
    "foreignKey",
    "otherKey",
    "through",
    "sourceKey",
    "targetKey",
];
const KINDS: [&str; 4] = ["view", "sql", "inherits", "isThrough"];
const BUILTIN_ROLES: [&str; 2] = ["admin", "member"];
const WORKFLOW_META: [&str; 5] = ["title", "description", "options", "triggerTitle", "enabled"];

pub fn plan(doc: &Value, target: &Target, opts: Options) -> Plan {
    let mut p = Plan::default();
    let collections = array(doc, "collections");
    collections_phase(collections, target, &mut p);
    associations_phase(collections, target, &mut p);
    roles_and_grants(array(doc, "roles"), target, opts, &mut p);
    super::rows::plan_rows(doc, target, &mut p);
    for w in array(doc, "workflows") {
        workflow(w, target, &mut p);
    }
    extras(doc, target, &mut p);
    p
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn call(
    method: &'static str,
    path: impl Into<String>,
    query: Vec<(String, String)>,
    body: Option<Value>,
) -> Call {
    Call {
        method,
        path: path.into(),
        query,
        body,
        bind: Bind::None,
    }
}

fn tk(v: impl ToString) -> Vec<(String, String)> {
    vec![("filterByTk".to_string(), v.to_string())]
}

fn is_association(f: &Value) -> bool {
    ASSOCIATIONS.contains(&str_at(f, "type"))
}

fn is_fk(f: &Value) -> bool {
    f.get("isForeignKey").and_then(Value::as_bool) == Some(true)
}

fn is_through(c: &Value) -> bool {
    c.get("isThrough").and_then(Value::as_bool) == Some(true)
}

/// Fields a collection can be created with (phase A): scalars and the associations to `users`, without
/// FK records (NocoBase's hooks make them) and without `reverseKey`.
fn phase_a_field(f: &Value) -> bool {
    !is_fk(f) && (!is_association(f) || str_at(f, "target") == "users")
}

/// A field's write body in the target's words: a flowgate names some types differently (§5.2).
fn field_body(f: &Value, drop: &[&str], target: &Target) -> Value {
    let mut body = lean(f, drop);
    if target.flowgate {
        if let Some(Value::String(t)) = body.get("type") {
            let t = super::target::flowgate_type(t).to_string();
            body.insert("type".into(), Value::String(t));
        }
    }
    Value::Object(body)
}

/// The attributes of `want` whose values `have` does not hold (attributes only `have` holds stay: push
/// never removes).
///
/// A flowgate target keeps only what it acts on (no `interface`, `uiSchema`, `key`…): there, an attribute
/// it does not hold is not a difference (`only_held`), or every push would send it again.
fn differing(
    want: &Map<String, Value>,
    have: &Map<String, Value>,
    only_held: bool,
) -> Map<String, Value> {
    want.iter()
        .filter(|(k, _)| !only_held || have.contains_key(*k))
        .filter(|(k, v)| have.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn collections_phase(collections: &[Value], target: &Target, p: &mut Plan) {
    for c in collections {
        let name = str_at(c, "name");
        let Some(have) = target.collections.get(name) else {
            if is_through(c) {
                continue; // made by its belongsToMany field (§3.2)
            }
            let fields: Vec<Value> = fields_of(c)
                .iter()
                .filter(|f| phase_a_field(f))
                .map(|f| field_body(f, &["reverseKey"], target))
                .collect();
            let mut body = lean(c, &["fields"]);
            body.insert("fields".into(), Value::Array(fields));
            p.ops.push(op(
                Phase::Collections,
                "create collection",
                name,
                vec![call(
                    "POST",
                    "/api/collections:create",
                    vec![],
                    Some(Value::Object(body)),
                )],
            ));
            continue;
        };
        if is_system(have) {
            p.conflicts.push(format!(
                "collections.{name} is a system collection on the target"
            ));
            continue;
        }
        if let Some(kind) = KINDS
            .iter()
            .find(|k| c.get(**k).filter(|v| !v.is_null()) != have.get(**k).filter(|v| !v.is_null()))
        {
            p.conflicts
                .push(format!("collections.{name} {kind} differs on the target"));
            continue;
        }
        let diff = differing(
            &lean(c, &["fields"]),
            &lean(have, &["key", "unavailableActions", "fields"]),
            target.flowgate,
        );
        if !diff.is_empty() {
            p.ops.push(op(
                Phase::Collections,
                "update collection",
                name,
                vec![call(
                    "POST",
                    "/api/collections:update",
                    tk(name),
                    Some(Value::Object(diff)),
                )],
            ));
        }
        for f in fields_of(c) {
            existing_collection_field(c, f, target, p);
        }
    }
}

/// A field of a collection the target already has: created when missing (scalars now, associations in
/// phase B), compared when present.
fn existing_collection_field(c: &Value, f: &Value, target: &Target, p: &mut Plan) {
    let (cname, fname) = (str_at(c, "name"), str_at(f, "name"));
    let path = format!("collections.{cname}.fields.{fname}");
    let Some(have) = target.field(cname, fname) else {
        if phase_a_field(f) {
            let body = field_body(f, &["reverseKey"], target);
            let calls = vec![call(
                "POST",
                format!("/api/collections/{cname}/fields:create"),
                vec![],
                Some(body),
            )];
            p.ops.push(op(
                Phase::Collections,
                "create field",
                format!("{cname}.{fname}"),
                calls,
            ));
        }
        return;
    };
    let loose = is_fk(f) || is_through(c);
    let compared: &[&str] = if loose { &["type"] } else { &KEY_ATTRIBUTES };
    for attr in compared {
        let (want, got) = (
            f.get(*attr).filter(|v| !v.is_null()),
            have.get(*attr).filter(|v| !v.is_null()),
        );
        // A flowgate holds no `interface`: only what it holds can conflict there.
        let held = got.is_some() || !target.flowgate;
        if want.is_some() && want != got && held {
            p.conflicts
                .push(format!("{path} {attr} {} ≠ {}", show(want), show(got)));
            return;
        }
    }
    if loose {
        touch_up(cname, f, have, target.flowgate, p);
        return;
    }
    let mut want = lean(f, &["key", "reverseKey"]);
    let have_lean = lean(have, &["key", "collectionName", "reverseKey"]);
    if str_at(f, "type") == "belongsTo" && !have_lean.contains_key("sourceKey") {
        want.remove("sourceKey");
    }
    let diff = differing(&want, &have_lean, target.flowgate);
    field_update(p, "update field", cname, fname, diff);
}

/// `fields:update` of the attributes in `diff`, when there are any.
fn field_update(
    p: &mut Plan,
    what: &'static str,
    cname: &str,
    fname: &str,
    diff: Map<String, Value>,
) {
    if diff.is_empty() {
        return;
    }
    let calls = vec![call(
        "POST",
        format!("/api/collections/{cname}/fields:update"),
        tk(fname),
        Some(Value::Object(diff)),
    )];
    p.ops.push(op(
        Phase::Collections,
        what,
        format!("{cname}.{fname}"),
        calls,
    ));
}

/// An FK record NocoBase's hooks made (or a through table's field) whose attributes differ from the
/// document's, typically `uiSchema.title` (§3.2). Its key and `isForeignKey` are the hook's.
fn touch_up(cname: &str, f: &Value, have: &Value, only_held: bool, p: &mut Plan) {
    let want = lean(f, &["key", "isForeignKey", "reverseKey"]);
    let diff = differing(&want, &lean(have, &["key", "collectionName"]), only_held);
    field_update(p, "touch up field", cname, str_at(f, "name"), diff);
}

/// The touch-ups of FK records once the associations exist: planned again after phase B from a fresh
/// read, since the records did not exist when the push was planned.
pub fn touch_ups(doc: &Value, target: &Target) -> Vec<Op> {
    let mut p = Plan::default();
    for c in array(doc, "collections") {
        for f in fields_of(c).iter().filter(|f| is_fk(f) || is_through(c)) {
            if let Some(have) = target.field(str_at(c, "name"), str_at(f, "name")) {
                touch_up(str_at(c, "name"), f, have, target.flowgate, &mut p);
            }
        }
    }
    p.ops
}

fn show(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => "(none)".into(),
    }
}

/// Phase B (§3.2): every missing association, in document order, after every collection exists. The
/// first half of a reverse pair goes without `reverseKey`, the second names the first's key.
fn associations_phase(collections: &[Value], target: &Target, p: &mut Plan) {
    // The field keys that will exist on the target by the time a field is created: (doc key → key there).
    let mut made: BTreeMap<String, String> = BTreeMap::new();
    for c in collections {
        for f in fields_of(c) {
            if let (Some(have), Some(k)) = (
                target.field(str_at(c, "name"), str_at(f, "name")),
                f.get("key").and_then(Value::as_str),
            ) {
                made.insert(k.to_string(), str_at(have, "key").to_string());
            }
        }
    }
    for c in collections {
        let cname = str_at(c, "name");
        for f in fields_of(c) {
            if !is_association(f)
                || phase_a_field(f)
                || target.field(cname, str_at(f, "name")).is_some()
            {
                continue;
            }
            let mut body = lean(f, &["reverseKey"]);
            let mut note = None;
            if let Some(partner) = f.get("reverseKey").and_then(Value::as_str) {
                if let Some(there) = made.get(partner) {
                    body.insert("reverseKey".into(), json!(there));
                    note = partner_name(collections, partner).map(|n| format!("reverse of {n}"));
                }
            }
            if let Some(k) = f.get("key").and_then(Value::as_str) {
                made.insert(k.to_string(), k.to_string());
            }
            let calls = vec![call(
                "POST",
                format!("/api/collections/{cname}/fields:create"),
                vec![],
                Some(Value::Object(body)),
            )];
            let mut o = op(
                Phase::Associations,
                "create field",
                format!("{cname}.{}", str_at(f, "name")),
                calls,
            );
            o.note = note;
            p.ops.push(o);
        }
    }
}

fn partner_name(collections: &[Value], key: &str) -> Option<String> {
    collections.iter().find_map(|c| {
        let f = fields_of(c).iter().find(|f| str_at(f, "key") == key)?;
        Some(format!("{}.{}", str_at(c, "name"), str_at(f, "name")))
    })
}

fn op(phase: Phase, op: &'static str, target: impl Into<String>, calls: Vec<Call>) -> Op {
    Op {
        phase,
        op,
        target: target.into(),
        note: None,
        calls,
        hidden_version: None,
    }
}

fn roles_and_grants(roles: &[Value], target: &Target, opts: Options, p: &mut Plan) {
    let mut scopes_made = HashSet::new();
    for r in roles {
        let name = str_at(r, "name");
        if name == "root" {
            continue;
        }
        let add_only = BUILTIN_ROLES.contains(&name) && !opts.exact_roles;
        let want = lean(r, &["resources"]);
        match target.roles.get(name) {
            None => p.ops.push(op(
                Phase::Roles,
                "create role",
                name,
                vec![call(
                    "POST",
                    "/api/roles:create",
                    vec![],
                    Some(Value::Object(want)),
                )],
            )),
            Some(have) => {
                let have = lean(have, &["createdAt", "updatedAt"]);
                let want = if add_only {
                    added_to(&want, &have)
                } else {
                    want
                };
                let diff = differing(&want, &have, target.flowgate);
                if !diff.is_empty() {
                    p.ops.push(op(
                        Phase::Roles,
                        "update role",
                        name,
                        vec![call(
                            "POST",
                            "/api/roles:update",
                            tk(name),
                            Some(Value::Object(diff)),
                        )],
                    ));
                }
            }
        }
        for g in array(r, "resources") {
            grant(name, g, target, add_only, &mut scopes_made, p);
        }
    }
}

/// A built-in role's attributes with the target's strategy actions and snippets kept: push only adds
/// to them (§3.3).
fn added_to(want: &Map<String, Value>, have: &Map<String, Value>) -> Map<String, Value> {
    let mut out = want.clone();
    let union = |a: Option<&Value>, b: Option<&Value>| -> Value {
        let mut items: Vec<Value> = b.and_then(Value::as_array).cloned().unwrap_or_default();
        for x in a.and_then(Value::as_array).into_iter().flatten() {
            if !items.contains(x) {
                items.push(x.clone());
            }
        }
        Value::Array(items)
    };
    if let Some(s) = want.get("strategy") {
        let mut strategy = s.clone();
        strategy["actions"] = union(
            s.get("actions"),
            have.get("strategy").and_then(|h| h.get("actions")),
        );
        out.insert("strategy".into(), strategy);
    }
    if want.contains_key("snippets") {
        out.insert(
            "snippets".into(),
            union(want.get("snippets"), have.get("snippets")),
        );
    }
    out
}

fn grant(
    role: &str,
    g: &Value,
    target: &Target,
    add_only: bool,
    scopes_made: &mut HashSet<String>,
    p: &mut Plan,
) {
    let resource = str_at(g, "name");
    let rows: Vec<&Value> = target
        .grants
        .get(role)
        .into_iter()
        .flatten()
        .filter(|row| str_at(row, "name") == resource)
        .collect();
    let have_actions: Vec<Value> = rows
        .first()
        .map(|row| array(row, "actions").iter().map(grant_action).collect())
        .unwrap_or_default();
    let mut actions: Vec<Value> = array(g, "actions").to_vec();
    if add_only {
        for a in &have_actions {
            if !actions.iter().any(|x| x.get("name") == a.get("name")) {
                actions.push(a.clone());
            }
        }
    }
    let using = g.get("usingActionsConfig").cloned().unwrap_or(json!(false));
    if let Some(row) = rows.first() {
        let same_using = row.get("usingActionsConfig").unwrap_or(&Value::Null) == &using;
        if same_using && same_actions(&actions, &have_actions) {
            return;
        }
    }
    if rows.len() > 1 {
        p.report.add(
            Severity::Warning,
            Kind::Grant,
            format!("roles.{role}.resources.{resource}"),
            format!("{} grant rows on the target", rows.len()),
            "the first is updated",
        );
    }
    let mut calls = Vec::new();
    let mut sent = Vec::new();
    for a in &actions {
        let mut out = Map::new();
        out.insert("name".into(), a.get("name").cloned().unwrap_or(Value::Null));
        if let Some(fields) = a.get("fields") {
            out.insert("fields".into(), fields.clone());
        }
        if target.flowgate {
            // A flowgate grant names its scope; it has no custom scopes to point at.
            match a.get("scope") {
                Some(named @ Value::String(_)) => {
                    out.insert("scope".into(), named.clone());
                }
                Some(custom) if !custom.is_null() => {
                    let name = str_at(a, "name");
                    p.conflicts.push(format!("roles.{role}.resources.{resource}.actions.{name} a custom scope, which a flowgate target cannot hold"));
                    return;
                }
                _ => {}
            }
            sent.push(Value::Object(out));
            continue;
        }
        match scope_id(resource, a.get("scope"), target, scopes_made, &mut calls) {
            Ok(Some(id)) => {
                out.insert("scopeId".into(), id);
            }
            Ok(None) => {}
            Err(e) => {
                p.conflicts.push(format!(
                    "roles.{role}.resources.{resource}.actions.{} {e}",
                    str_at(a, "name")
                ));
                return;
            }
        }
        sent.push(Value::Object(out));
    }
    let body = json!({"name": resource, "usingActionsConfig": using, "actions": sent});
    let (what, c) = match rows.first().and_then(|r| id_of(r)) {
        Some(id) => (
            "update grant",
            call(
                "POST",
                format!("/api/roles/{role}/resources:update"),
                tk(id),
                Some(body),
            ),
        ),
        None => (
            "create grant",
            call(
                "POST",
                format!("/api/roles/{role}/resources:create"),
                vec![],
                Some(body),
            ),
        ),
    };
    calls.push(c);
    p.ops
        .push(op(Phase::Grants, what, format!("{role}.{resource}"), calls));
}

/// Actions compare as sets by name, a missing scope equal to `"all"`, fields as sets (§4.4).
fn same_actions(a: &[Value], b: &[Value]) -> bool {
    let norm = |list: &[Value]| -> BTreeMap<String, (Value, Value)> {
        list.iter()
            .map(|x| {
                let scope = x.get("scope").cloned().unwrap_or(json!("all"));
                let mut fields: Vec<String> = array(x, "fields")
                    .iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect();
                fields.sort();
                (str_at(x, "name").to_string(), (scope, json!(fields)))
            })
            .collect()
    };
    norm(a) == norm(b)
}

/// The target's id for an action's scope: built-in scopes by key; a custom scope found by
/// `(resourceName, key)` or created first (its id bound to a ref). Never `{"key":"own"}` without an id:
/// NocoBase would insert a new scope with no filter (push/38).
fn scope_id(
    resource: &str,
    scope: Option<&Value>,
    target: &Target,
    made: &mut HashSet<String>,
    calls: &mut Vec<Call>,
) -> Result<Option<Value>, String> {
    match scope {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(key)) => target
            .builtin_scope(key)
            .map(|id| Some(json!(id)))
            .ok_or_else(|| format!("the target has no built-in scope {key}")),
        Some(custom) => {
            let key = str_at(custom, "key");
            if let Some(id) = target.custom_scope(resource, key) {
                return Ok(Some(json!(id)));
            }
            let r = format!("scope:{resource}:{key}");
            if made.insert(r.clone()) {
                let mut body = lean(custom, &[]);
                body.insert("resourceName".into(), json!(resource));
                body.insert("dataSourceKey".into(), json!("main"));
                let mut c = call(
                    "POST",
                    "/api/dataSourcesRolesResourcesScopes:create",
                    vec![],
                    Some(Value::Object(body)),
                );
                c.bind = Bind::Id(r.clone());
                calls.push(c);
            }
            Ok(Some(json!(format!("@{r}"))))
        }
    }
}

/// One document workflow against the target's versions of its key (§3.4).
fn workflow(w: &Value, target: &Target, p: &mut Plan) {
    let key = str_at(w, "key");
    let nodes = array(w, "nodes");
    check_nodes(key, nodes, p);
    let enabled = w.get("enabled").and_then(Value::as_bool).unwrap_or(false);
    let Some(cur) = target.current(key) else {
        new_version(w, false, p);
        return;
    };
    let cur_id = id_of(cur).unwrap_or(0);
    let have = match graph::preorder(array(cur, "nodes")) {
        Ok(g) => g,
        Err(_) => graph::Graph::default(),
    };
    if cur.get("type") != w.get("type")
        || cur.get("sync").and_then(Value::as_bool) != w.get("sync").and_then(Value::as_bool)
    {
        new_version(w, true, p);
        return;
    }
    let config_differs = cur.get("config") != w.get("config");
    let nodes_differ = have.nodes != nodes_as_read(nodes);
    let meta = meta_diff(w, cur);
    if !config_differs && !nodes_differ {
        if !meta.is_empty() {
            p.ops.push(op(
                Phase::Workflows,
                "update workflow",
                key,
                vec![call(
                    "POST",
                    "/api/workflows:update",
                    tk(cur_id),
                    Some(Value::Object(meta)),
                )],
            ));
        }
        return;
    }
    let cur_enabled = cur.get("enabled").and_then(Value::as_bool).unwrap_or(false);
    if frozen(cur) || cur_enabled {
        revision(w, cur, &have, enabled, p);
    } else {
        let ids: BTreeMap<String, String> = have
            .ids
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        edit_version(w, cur, &cur_id.to_string(), &have, &ids, meta, p);
    }
}

/// The document's nodes the way `graph::preorder` gives a target's (nulls kept where the document
/// omits them).
fn nodes_as_read(nodes: &[Value]) -> Vec<Value> {
    nodes
        .iter()
        .map(|n| {
            json!({"branchIndex": n.get("branchIndex").cloned().unwrap_or(Value::Null),
                   "config": n.get("config").cloned().unwrap_or(json!({})),
                   "key": n.get("key").cloned().unwrap_or(Value::Null),
                   "title": n.get("title").cloned().unwrap_or(Value::Null),
                   "type": n.get("type").cloned().unwrap_or(Value::Null),
                   "upstream": n.get("upstream").cloned().unwrap_or(Value::Null)})
        })
        .collect()
}

/// `title`, `description`, `options`, `triggerTitle`, `enabled` where the document differs.
fn meta_diff(w: &Value, cur: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for k in WORKFLOW_META {
        let want = w.get(k).cloned().unwrap_or(if k == "enabled" {
            json!(false)
        } else {
            Value::Null
        });
        let have = cur.get(k).cloned().unwrap_or(Value::Null);
        if want != have && !(want.is_null() && k != "enabled") {
            out.insert(k.to_string(), want);
        }
    }
    out
}

/// A first version of a key, or (`same_key_exists`) a new version beside the current one because
/// `type` or `sync` changed, which neither `update` nor `revision` can do (§3.4).
fn new_version(w: &Value, same_key_exists: bool, p: &mut Plan) {
    let key = str_at(w, "key");
    let enabled = w.get("enabled").and_then(Value::as_bool).unwrap_or(false);
    let version: Ref = format!("wf:{key}");
    let mut body = Map::new();
    for k in [
        "key",
        "title",
        "description",
        "type",
        "sync",
        "config",
        "options",
        "triggerTitle",
    ] {
        if let Some(v) = w.get(k).filter(|v| !v.is_null()) {
            body.insert(k.to_string(), v.clone());
        }
    }
    body.insert("enabled".into(), json!(false));
    // A disabled new version of an existing key is made current at once: nothing would make it so later.
    if same_key_exists && !enabled {
        body.insert("current".into(), json!(true));
    }
    let mut create = call(
        "POST",
        "/api/workflows:create",
        vec![],
        Some(Value::Object(body)),
    );
    create.bind = Bind::Id(version.clone());
    let mut o = op(
        Phase::Workflows,
        if same_key_exists {
            "new version"
        } else {
            "create workflow"
        },
        key,
        vec![create],
    );
    if same_key_exists {
        o.note = Some("type or sync changed".into());
        if enabled {
            o.hidden_version = Some(version.clone());
        }
    }
    p.ops.push(o);
    let mut calls = Vec::new();
    create_nodes(
        key,
        &format!("@{version}"),
        array(w, "nodes"),
        p,
        &mut calls,
    );
    if !calls.is_empty() {
        p.ops.push(op(Phase::Workflows, "create nodes", key, calls));
    }
    if enabled {
        p.ops.push(op(
            Phase::Workflows,
            "enable",
            key,
            vec![call(
                "POST",
                "/api/workflows:update",
                tk(format!("@{version}")),
                Some(json!({"enabled": true})),
            )],
        ));
    }
}

/// A new version through `workflows:revision` of the current one (same key, nodes copied with their
/// keys), then edited, then enabled (§3.4).
fn revision(w: &Value, cur: &Value, have: &graph::Graph, enabled: bool, p: &mut Plan) {
    let key = str_at(w, "key");
    let cur_id = id_of(cur).unwrap_or(0);
    let version: Ref = format!("rev:{key}");
    let cur_enabled = cur.get("enabled").and_then(Value::as_bool).unwrap_or(false);
    let body = if cur_enabled && enabled {
        json!({})
    } else {
        json!({"current": true})
    };
    let filter = json!({"key": key}).to_string();
    let mut rev = call(
        "POST",
        "/api/workflows:revision",
        vec![
            ("filterByTk".into(), cur_id.to_string()),
            ("filter".into(), filter),
        ],
        Some(body),
    );
    rev.bind = Bind::Id(version.clone());
    let prefix = format!("{version}:");
    let read_back = Call {
        method: "GET",
        path: format!("/api/workflows/@{version}/nodes:list"),
        query: vec![("paginate".into(), "false".into())],
        body: None,
        bind: Bind::NodesOf {
            version: version.clone(),
            prefix: prefix.clone(),
        },
    };
    let executed = cur
        .get("versionStats")
        .and_then(|s| s.get("executed"))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let mut o = op(Phase::Workflows, "revision", key, vec![rev, read_back]);
    o.note = Some(if executed > 0 {
        format!("executed {executed}×")
    } else {
        "enabled".into()
    });
    if cur_enabled && enabled {
        o.hidden_version = Some(version.clone());
    }
    p.ops.push(o);
    let ids: BTreeMap<String, String> = have
        .ids
        .keys()
        .map(|k| (k.clone(), format!("@{prefix}{k}")))
        .collect();
    let mut meta = meta_diff(w, cur);
    if enabled {
        meta.insert("enabled".into(), json!(true));
    } else {
        meta.remove("enabled");
    }
    edit_version(w, cur, &format!("@{version}"), have, &ids, meta, p);
}

/// The edits of an editable version (the current one in place, or a fresh revision of it): its config
/// when it differs (never an unchanged one: NocoBase refuses any config on an executed version), its
/// nodes, then `meta` (enabling it when that is asked).
fn edit_version(
    w: &Value,
    cur: &Value,
    version: &str,
    have: &graph::Graph,
    ids: &BTreeMap<String, String>,
    meta: Map<String, Value>,
    p: &mut Plan,
) {
    let key = str_at(w, "key");
    if cur.get("config") != w.get("config") {
        let body = Some(json!({"config": w["config"]}));
        let calls = vec![call("POST", "/api/workflows:update", tk(version), body)];
        p.ops
            .push(op(Phase::Workflows, "update config", key, calls));
    }
    node_edits(key, version, array(w, "nodes"), have, ids, p);
    if !meta.is_empty() {
        let what = if meta.get("enabled") == Some(&json!(true)) {
            "enable"
        } else {
            "update workflow"
        };
        let calls = vec![call(
            "POST",
            "/api/workflows:update",
            tk(version),
            Some(Value::Object(meta)),
        )];
        p.ops.push(op(Phase::Workflows, what, key, calls));
    }
}

/// The node edits that turn a version whose nodes are `have` (ids in `ids`) into the document's: updates
/// of the differing nodes when the graph is the same, or clearing the version head by head and creating
/// the document's nodes in pre-order (§3.4). Each update is its own op line.
fn node_edits(
    key: &str,
    version: &str,
    nodes: &[Value],
    have: &graph::Graph,
    ids: &BTreeMap<String, String>,
    p: &mut Plan,
) {
    let want = nodes_as_read(nodes);
    if graph::same_shape(&want, &have.nodes) {
        for (n, h) in want.iter().zip(&have.nodes) {
            if n["title"] != h["title"] || n["config"] != h["config"] {
                let nk = str_at(n, "key");
                let id = ids.get(nk).cloned().unwrap_or_default();
                let body = json!({"title": n["title"], "config": n["config"]});
                p.ops.push(op(
                    Phase::Workflows,
                    "update node",
                    format!("{key}.{nk}"),
                    vec![call("POST", "/api/flow_nodes:update", tk(id), Some(body))],
                ));
            }
        }
        return;
    }
    let mut calls = Vec::new();
    for main in &have.main {
        let nk = have
            .ids
            .iter()
            .find(|(_, id)| *id == main)
            .map(|(k, _)| k.clone())
            .unwrap_or_default();
        let id = ids.get(&nk).cloned().unwrap_or_else(|| main.to_string());
        calls.push(call("POST", "/api/flow_nodes:destroy", tk(id), None));
    }
    create_nodes(key, version, nodes, p, &mut calls);
    let mut o = op(Phase::Workflows, "rebuild nodes", key, calls);
    o.note = Some(format!("{} → {} nodes", have.nodes.len(), nodes.len()));
    p.ops.push(o);
}

/// `nodes:create` for each node in pre-order: every upstream exists first and has no downstream yet, so
/// NocoBase's insert rules give the document's graph (push/02–04).
fn create_nodes(key: &str, version: &str, nodes: &[Value], _p: &mut Plan, calls: &mut Vec<Call>) {
    let prefix = format!("node:{key}:");
    for n in nodes {
        let mut body = Map::new();
        for k in ["key", "type", "title", "config"] {
            if let Some(v) = n.get(k).filter(|v| !v.is_null()) {
                body.insert(k.to_string(), v.clone());
            }
        }
        if let Some(up) = n.get("upstream").and_then(Value::as_str) {
            body.insert("upstreamId".into(), json!(format!("@{prefix}{up}")));
        }
        if let Some(b) = n.get("branchIndex").filter(|b| !b.is_null()) {
            body.insert("branchIndex".into(), b.clone());
        }
        let mut c = call(
            "POST",
            format!("/api/workflows/{version}/nodes:create"),
            vec![],
            Some(Value::Object(body)),
        );
        c.bind = Bind::Id(format!("{prefix}{}", str_at(n, "key")));
        calls.push(c);
    }
}

/// What push checks itself because NocoBase does not: a branch head's `branchIndex` must be one its
/// owner has (§3.4, push/05), for the node types flowgate knows. And §6.3: what flowgate runs and
/// NocoBase does not (upper-case function names under math.js, `$env`).
fn check_nodes(key: &str, nodes: &[Value], p: &mut Plan) {
    for n in nodes {
        let nk = str_at(n, "key");
        let path = format!("workflows.{key}.nodes.{nk}");
        if let (Some(up), Some(b)) = (
            n.get("upstream").and_then(Value::as_str),
            n.get("branchIndex").and_then(Value::as_i64),
        ) {
            if let Some(owner) = nodes.iter().find(|o| str_at(o, "key") == up) {
                let kind = str_at(owner, "type");
                let config = owner.get("config").cloned().unwrap_or(json!({}));
                if crate::workflow::nodes::get(kind).is_some()
                    && !crate::bridge::support::has_branch(kind, &config, b)
                {
                    p.conflicts.push(format!(
                        "{path} branch {b} of a {kind} node, which has no such branch"
                    ));
                }
            }
        }
        let config = n.get("config").cloned().unwrap_or(Value::Null);
        if str_at(n, "type") == "calculation" && str_at(&config, "engine") == "math.js" {
            if let Some(f) = upper_case_call(str_at(&config, "expression")) {
                p.report.add(Severity::Warning, Kind::Node, path.clone(), format!("math.js expression calls {f}"), "NocoBase's math.js has no such function (Undefined function); use the formula.js engine there");
            }
        }
        let text = config.to_string();
        for name in env_names(&text) {
            p.report.add(
                Severity::Warning,
                Kind::Node,
                path.clone(),
                format!("$env.{name}"),
                "set it in NocoBase's environment variables; flowgate reads FLOWGATE_ENV_"
                    .to_string()
                    + &name,
            );
        }
    }
}

/// The first upper-case function call in an expression (`ROUND(`), outside quotes and `{{…}}`.
fn upper_case_call(expr: &str) -> Option<String> {
    let bytes = expr.as_bytes();
    let mut i = 0;
    let mut quote = None;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c.is_ascii_uppercase()
                && (i == 0
                    || !(bytes[i - 1].is_ascii_alphanumeric()
                        || bytes[i - 1] == b'_'
                        || bytes[i - 1] == b'.')) =>
            {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_uppercase()
                        || bytes[i].is_ascii_digit()
                        || bytes[i] == b'_')
                {
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'(' && !expr[start..i].is_empty() {
                    return Some(expr[start..i].to_string());
                }
                continue;
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// The names in `{{$env.NAME}}` references.
fn env_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split("$env.").skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Objects the target has and the document lacks: listed, never deleted (§3.1).
fn extras(doc: &Value, target: &Target, p: &mut Plan) {
    let names = |key: &str, attr: &str| -> HashSet<String> {
        array(doc, key)
            .iter()
            .map(|v| str_at(v, attr).to_string())
            .collect()
    };
    let (cs, rs, ws) = (
        names("collections", "name"),
        names("roles", "name"),
        names("workflows", "key"),
    );
    for n in &target.collection_names {
        if !cs.contains(n) && target.collections.get(n).is_some_and(|c| !is_system(c)) {
            p.extra.push(format!("collection {n}"));
        }
    }
    for n in &target.role_names {
        if !rs.contains(n) && n != "root" {
            p.extra.push(format!("role {n}"));
        }
    }
    for k in &target.workflow_keys {
        if !ws.contains(k) && target.current(k).is_some() {
            p.extra.push(format!("workflow {k}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::target::Reads;
    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/tests/fixtures/nocobase/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn data(name: &str) -> Vec<Value> {
        fixture(name)["data"].as_array().unwrap().clone()
    }

    /// The recorded app as the target holds it.
    fn recorded() -> Reads {
        let roles = data("roles.list.json");
        let grants = roles
            .iter()
            .map(|r| str_at(r, "name").to_string())
            .filter(|n| n != "root")
            .map(|n| {
                let rows = std::fs::read_to_string(format!(
                    "{}/tests/fixtures/nocobase/roles__{n}__resources.list.json",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .map(|t| {
                    serde_json::from_str::<Value>(&t).unwrap()["data"]
                        .as_array()
                        .unwrap()
                        .clone()
                })
                .unwrap_or_default();
                (n, rows)
            })
            .collect();
        Reads {
            collections: data("collections.list.json"),
            roles,
            grants,
            scopes: data("dataSourcesRolesResourcesScopes.list.json"),
            workflows: data("workflows.list__all_versions.json"),
            rows: Vec::new(),
            flowgate: false,
        }
    }

    /// A NocoBase without the app: only what the fresh peer has (system collections, root/admin/member).
    fn fresh() -> Reads {
        let mut r = recorded();
        r.collections.retain(is_system);
        r.roles.retain(|x| !str_at(x, "name").starts_with("br_"));
        r.grants.retain(|(n, _)| !n.starts_with("br_"));
        r.workflows.clear();
        r
    }

    fn count(p: &Plan, op: &str) -> usize {
        p.ops.iter().filter(|o| o.op == op).count()
    }

    /// bridge.md acceptance case 20: the plan for a NocoBase without the app.
    #[test]
    fn a_fresh_target_gets_every_definition() {
        let doc = fixture("example-export.json");
        let p = plan(&doc, &Target::new(fresh()), Options::default());
        assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
        assert_eq!(count(&p, "create collection"), 5);
        let associations: Vec<&Op> = p
            .ops
            .iter()
            .filter(|o| o.phase == Phase::Associations)
            .collect();
        assert_eq!(
            associations.len(),
            9,
            "{:?}",
            associations.iter().map(|o| o.line()).collect::<Vec<_>>()
        );
        assert!(associations.iter().any(
            |o| o.line() == "create field br_orders.customer (reverse of br_customers.orders)"
        ));
        assert_eq!(count(&p, "create role"), 2);
        assert_eq!(count(&p, "create grant"), 4);
        assert_eq!(count(&p, "create workflow"), 6);
        let nodes: usize = p
            .ops
            .iter()
            .filter(|o| o.op == "create nodes")
            .map(|o| o.calls.len())
            .sum();
        assert_eq!(nodes, 29);
        assert_eq!(count(&p, "enable"), 5);
        let text = serde_json::to_string(
            &p.ops
                .iter()
                .flat_map(|o| o.calls.iter().map(|c| c.body.clone()))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(
            text.contains("400826641874946"),
            "own scope resolved to the target's id"
        );
        assert!(
            !text.contains("\"key\":\"own\""),
            "never a scope by key (push/38)"
        );
    }

    /// Case 22's core: the target already holds the document, so nothing is planned.
    #[test]
    fn the_recorded_app_needs_no_write() {
        let doc = fixture("example-export.json");
        let p = plan(&doc, &Target::new(recorded()), Options::default());
        let lines: Vec<String> = p.ops.iter().map(Op::line).collect();
        assert!(lines.is_empty(), "{lines:#?}");
        assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    }

    /// Case 23: an executed version whose node changed goes through a revision.
    #[test]
    fn an_executed_version_gets_a_revision() {
        let mut doc = fixture("example-export.json");
        let w = doc["workflows"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|w| w["key"] == "br_wf_order_check")
            .unwrap();
        let n = w["nodes"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|n| n["key"] == "msg_ok")
            .unwrap();
        n["config"]["message"] = json!("changed");
        let p = plan(&doc, &Target::new(recorded()), Options::default());
        let lines: Vec<String> = p.ops.iter().map(Op::line).collect();
        assert_eq!(
            lines,
            [
                "revision br_wf_order_check (executed 1×)",
                "update node br_wf_order_check.msg_ok",
                "enable br_wf_order_check"
            ]
        );
    }

    /// Case 28: a field whose type differs on the target is a conflict.
    #[test]
    fn a_changed_field_type_is_a_conflict() {
        let mut reads = recorded();
        let orders = reads
            .collections
            .iter_mut()
            .find(|c| c["name"] == "br_orders")
            .unwrap();
        let amount = orders["fields"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|f| f["name"] == "amount")
            .unwrap();
        amount["type"] = json!("string");
        let p = plan(
            &fixture("example-export.json"),
            &Target::new(reads),
            Options::default(),
        );
        assert_eq!(
            p.conflicts,
            ["collections.br_orders.fields.amount type double ≠ string"]
        );
    }

    #[test]
    fn upper_case_calls_under_math_js_are_found() {
        assert_eq!(
            upper_case_call("ROUND({{$context.data.score}} * 1.1, 2)"),
            Some("ROUND".into())
        );
        assert_eq!(upper_case_call("round(1.5) + 'ROUND(x)'"), None);
        assert_eq!(
            env_names("{{$env.BR_CRM_TOKEN}} and $env.X"),
            ["BR_CRM_TOKEN", "X"]
        );
    }
}
