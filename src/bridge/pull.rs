//! `pull` (bridge.md §2): read a live NocoBase (or flowgate) app into the definitions document of §4.
//!
//! Two halves, kept apart so the conversion is tested straight from recorded answers: [`fetch`] makes the
//! calls of §2.1–§2.2 through [`Remote`] and keeps each answer's `data` in a [`Fetched`]; [`convert`] is a
//! pure function from those answers to the document and its report (§2.3–§2.6, §6.1).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::doc;
use super::lean;
use super::remote::Remote;
use super::report::{Kind, Report, Severity};
use super::support::{self, FieldKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    NocoBase,
    Flowgate,
}

impl ServerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::NocoBase => "nocobase",
            ServerKind::Flowgate => "flowgate",
        }
    }
}

/// What to read besides the definitions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// call 5′: every version of each key, earlier ones under `history`
    pub all_versions: bool,
    /// every pulled collection's rows under `records`
    pub records: bool,
}

/// The `data` of each read of §2.2, as the server answered it.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub kind: ServerKind,
    /// `app:getInfo`'s `version` (none from a flowgate that does not answer it)
    pub version: Option<String>,
    pub url: Option<String>,
    /// call 1
    pub collections: Value,
    /// call 2
    pub roles: Value,
    /// call 3: (role name, its grants), every role except root
    pub resources: Vec<(String, Value)>,
    /// call 4
    pub scopes: Value,
    /// call 5
    pub workflows: Value,
    /// call 5′ (with `--all-versions`)
    pub versions: Option<Value>,
}

/// Fetch, convert, and with `records` read each pulled collection's rows: the document and its report.
pub fn pull(remote: &Remote, opts: Options) -> Result<(Value, Report), String> {
    let fetched = fetch(remote, opts)?;
    let (mut document, report) = convert(&fetched)?;
    if opts.records {
        let records = fetch_records(remote, &document)?;
        document["records"] = records;
    }
    Ok((document, report))
}

/// §2.1 then the reads of §2.2, in that order and nothing else.
pub fn fetch(remote: &Remote, opts: Options) -> Result<Fetched, String> {
    let (kind, version) = server_kind(remote)?;
    check_role(remote)?;
    let collections = read(
        remote,
        "collections:list",
        &[
            ("paginate", "false"),
            ("appends[]", "fields"),
            ("sort[]", "sort"),
        ],
    )?;
    let roles = read(
        remote,
        "roles:list",
        &[("paginate", "false"), ("sort[]", "name")],
    )?;
    let mut resources = Vec::new();
    for name in list(&roles).iter().filter_map(|r| str_at(r, "name")) {
        if name == "root" {
            continue;
        }
        let grants = read(
            remote,
            &format!("roles/{name}/resources:list"),
            &[
                ("paginate", "false"),
                ("appends[]", "actions"),
                ("appends[]", "actions.scope"),
            ],
        )?;
        resources.push((name.to_string(), grants));
    }
    let scopes = scopes(remote, kind)?;
    let mut query = vec![
        ("paginate", "false"),
        ("sort[]", "id"),
        ("appends[]", "nodes"),
        ("appends[]", "versionStats"),
        ("appends[]", "stats"),
    ];
    let all = query.clone();
    query.push(("filter", r#"{"current":true}"#));
    let workflows = read(remote, "workflows:list", &query)?;
    let versions = if opts.all_versions {
        Some(read(remote, "workflows:list", &all)?)
    } else {
        None
    };
    Ok(Fetched {
        kind,
        version,
        url: Some(remote.base().to_string()),
        collections,
        roles,
        resources,
        scopes,
        workflows,
        versions,
    })
}

/// §2.1 step 2: `app:getInfo` says NocoBase (or flowgate, which answers it too); a 404 there and an ok
/// health check mean a flowgate that predates it.
fn server_kind(remote: &Remote) -> Result<(ServerKind, Option<String>), String> {
    let info = remote.get("app:getInfo", &[])?;
    if info.status == 200 {
        let data = &info.body["data"];
        let kind = if str_at(data, "name") == Some("flowgate") {
            ServerKind::Flowgate
        } else {
            ServerKind::NocoBase
        };
        return Ok((kind, str_at(data, "version").map(str::to_string)));
    }
    if info.status != 404 {
        return Err(format!(
            "GET /api/app:getInfo: {} {}",
            info.status,
            info.message()
        ));
    }
    let health = remote.get("health", &[])?;
    if health.status == 200 && health.body.pointer("/data/status") == Some(&json!("ok")) {
        return Ok((ServerKind::Flowgate, None));
    }
    Err(format!(
        "{} is neither a NocoBase (app:getInfo answered 404) nor a flowgate (GET /api/health: {} {})",
        remote.base(),
        health.status,
        health.message()
    ))
}

/// §2.1 step 3: the role must be one the user has and able to read roles and workflows (`pm.*`).
fn check_role(remote: &Remote) -> Result<(), String> {
    let user = remote
        .data("auth:check", &[])
        .map_err(|e| format!("the token was not accepted: {e}"))?;
    let role = remote.role();
    if role == "root" {
        return Ok(());
    }
    let Some(roles) = user.get("roles").and_then(Value::as_array) else {
        return Ok(());
    };
    let Some(found) = roles.iter().find(|r| str_at(r, "name") == Some(role)) else {
        return Err(format!(
            "the user does not have role {role}; choose one of its roles with --role"
        ));
    };
    let snippets: Vec<&str> = list(&found["snippets"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if snippets.contains(&"pm.*") && !snippets.contains(&"!pm.*") {
        return Ok(());
    }
    Err(format!(
        "role {role} cannot read roles and workflows (it lacks the pm.* snippet); pull as root or admin (--role)"
    ))
}

/// Call 4. A flowgate has no scope rows (its grants carry `"all"`/`"own"`): nothing to read.
fn scopes(remote: &Remote, kind: ServerKind) -> Result<Value, String> {
    if kind == ServerKind::Flowgate {
        return Ok(json!([]));
    }
    read(
        remote,
        "dataSourcesRolesResourcesScopes:list",
        &[("paginate", "false")],
    )
}

/// One read of §2.2: its `data`, or an error; a refusal (401/403) says which role cannot read what.
fn read(remote: &Remote, action: &str, query: &[(&str, &str)]) -> Result<Value, String> {
    let answer = remote.get(action, query)?;
    match answer.status {
        200 => Ok(answer.body.get("data").cloned().unwrap_or(Value::Null)),
        401 | 403 => Err(format!(
            "role {} cannot read {} (GET /api/{action}: {} {}); pull as root or admin (--role)",
            remote.role(),
            resource_of(action),
            answer.status,
            answer.message()
        )),
        status => Err(format!("GET /api/{action}: {status} {}", answer.message())),
    }
}

/// `workflows` of `workflows:list`, `roles/x/resources` of `roles/x/resources:list`.
fn resource_of(action: &str) -> &str {
    action.split(':').next().unwrap_or(action)
}

/// `--records`: each pulled collection's rows, `{"<collection>": [rows…]}` (the shape export writes).
pub fn fetch_records(remote: &Remote, document: &Value) -> Result<Value, String> {
    let mut out = Map::new();
    for name in list(&document["collections"])
        .iter()
        .filter_map(|c| str_at(c, "name"))
    {
        let rows = read(remote, &format!("{name}:list"), &[("paginate", "false")])?;
        out.insert(name.to_string(), rows);
    }
    Ok(Value::Object(out))
}

/// The document of §4 and the report of §6 from the answers (pure: no call, no clock).
pub fn convert(f: &Fetched) -> Result<(Value, Report), String> {
    let mut report = Report::default();
    let mut source = json!({"kind": f.kind.as_str()});
    if let Some(v) = &f.version {
        source["serverVersion"] = json!(v);
    }
    if let Some(u) = &f.url {
        source["url"] = json!(u);
    }
    let collections = collections(&f.collections, f.kind, &mut report);
    let roles = roles(&f.roles, &f.resources, &f.scopes, &mut report);
    let workflows = workflows(&f.workflows, f.versions.as_ref(), &mut report)?;
    let document = json!({
        "format": doc::FORMAT,
        "version": doc::VERSION,
        "source": source,
        "collections": collections,
        "roles": roles,
        "workflows": workflows,
    });
    Ok((doc::canonical(&document), report))
}

// ---- collections (§2.3, §2.6) ----

/// The flags that stand for flowgate's system fields in a document (§2.6, §5.3).
const SYSTEM_FLAGS: [&str; 5] = [
    "autoGenId",
    "createdAt",
    "updatedAt",
    "createdBy",
    "updatedBy",
];

pub fn collections(items: &Value, kind: ServerKind, report: &mut Report) -> Vec<Value> {
    let mut out = Vec::new();
    for c in list(items) {
        let name = str_at(c, "name").unwrap_or("");
        if is_system_collection(c) {
            report.add(
                Severity::Skipped,
                Kind::Collection,
                format!("collections.{name}"),
                "system collection (plugin-defined)",
                "not pulled",
            );
            continue;
        }
        let mut coll = lean(c, &["key", "unavailableActions", "fields"]);
        let mut fields = Vec::new();
        for f in list(&c["fields"]) {
            if kind == ServerKind::Flowgate && f.get("system") == Some(&json!(true)) {
                continue;
            }
            let path = format!(
                "collections.{name}.fields.{}",
                str_at(f, "name").unwrap_or("")
            );
            if field_report(f, &path, report) {
                fields.push(Value::Object(lean(f, &["collectionName"])));
            }
        }
        if kind == ServerKind::Flowgate {
            for flag in SYSTEM_FLAGS {
                coll.insert(flag.into(), json!(true));
            }
        }
        coll.insert("fields".into(), Value::Array(fields));
        out.push(Value::Object(coll));
    }
    out
}

/// `origin` (defined by a plugin) or `from: "db2cm"`.
fn is_system_collection(c: &Value) -> bool {
    str_at(c, "origin").is_some_and(|o| !o.is_empty()) || str_at(c, "from") == Some("db2cm")
}

/// Reports what flowgate cannot host of one field; false when the field is not pulled at all.
fn field_report(f: &Value, path: &str, report: &mut Report) -> bool {
    match support::field_kind(f) {
        FieldKind::Unsupported(what) => report.add(
            Severity::Unsupported,
            Kind::Field,
            path,
            what,
            "kept for export and push; not a column in flowgate",
        ),
        FieldKind::Skipped => {
            report.add(
                Severity::Skipped,
                Kind::Field,
                path,
                format!("field type {}", str_at(f, "type").unwrap_or("")),
                "not pulled",
            );
            return false;
        }
        FieldKind::Association(_) => {
            if let Some(what) = support::on_delete_difference(f) {
                report.add(
                    Severity::Approximated,
                    Kind::Field,
                    path,
                    what,
                    "kept; flowgate sets NULL",
                );
            }
        }
        FieldKind::Scalar(_) | FieldKind::System => {}
    }
    true
}

// ---- roles and grants (§2.4) ----

pub fn roles(
    items: &Value,
    resources: &[(String, Value)],
    scopes: &Value,
    report: &mut Report,
) -> Vec<Value> {
    let scope_rows: HashMap<i64, &Value> = list(scopes)
        .iter()
        .filter_map(|s| Some((id_of(&s["id"])?, s)))
        .collect();
    let mut out = Vec::new();
    for r in list(items) {
        let name = str_at(r, "name").unwrap_or("");
        if name == "root" {
            continue;
        }
        let mut role = lean(r, &["createdAt", "updatedAt", "id"]);
        strategy_report(r, name, report);
        let grants = resources
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, g)| list(g))
            .unwrap_or_default();
        let grants: Vec<Value> = grants
            .iter()
            .filter(|g| str_at(g, "dataSourceKey").unwrap_or("main") == "main")
            .map(|g| grant(g, name, &scope_rows, report))
            .collect();
        role.insert("resources".into(), Value::Array(grants));
        out.push(Value::Object(role));
    }
    out
}

fn strategy_report(r: &Value, role: &str, report: &mut Report) {
    for entry in list(&r["strategy"]["actions"])
        .iter()
        .filter_map(Value::as_str)
    {
        let action = entry.split(':').next().unwrap_or(entry);
        if action != "*" && !support::GRANT_ACTIONS.contains(&action) {
            report.add(
                Severity::Unsupported,
                Kind::Role,
                format!("roles.{role}.strategy"),
                format!("strategy action {entry}"),
                "kept; flowgate ignores it",
            );
        }
    }
}

/// One `dataSourcesRolesResources` row → `{name, usingActionsConfig, actions}`.
fn grant(g: &Value, role: &str, scopes: &HashMap<i64, &Value>, report: &mut Report) -> Value {
    let collection = str_at(g, "name").unwrap_or("");
    let actions: Vec<Value> = list(&g["actions"])
        .iter()
        .map(|a| {
            let path = format!(
                "roles.{role}.resources.{collection}.actions.{}",
                str_at(a, "name").unwrap_or("")
            );
            grant_action(a, &path, scopes, report)
        })
        .collect();
    json!({
        "name": collection,
        "usingActionsConfig": g["usingActionsConfig"].as_bool().unwrap_or(false),
        "actions": actions,
    })
}

/// An action row → `{name, fields?, scope?}`: scope ids never leave the server.
fn grant_action(
    a: &Value,
    path: &str,
    scopes: &HashMap<i64, &Value>,
    report: &mut Report,
) -> Value {
    let name = str_at(a, "name").unwrap_or("");
    let mut out = json!({ "name": name });
    let mut fields: Vec<Value> = list(&a["fields"]).to_vec();
    if !fields.is_empty() {
        fields.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
        out["fields"] = Value::Array(fields);
        report.add(
            Severity::Unsupported,
            Kind::Grant,
            path,
            "field-level permission",
            "kept; flowgate does not grant this action",
        );
    }
    if let Some(scope) = action_scope(a, scopes, path, report) {
        out["scope"] = scope;
    }
    if !support::GRANT_ACTIONS.contains(&name) {
        report.add(
            Severity::Unsupported,
            Kind::Grant,
            path,
            format!("action {name}"),
            "kept; unknown to flowgate",
        );
    }
    out
}

/// `"all"`/`"own"` for the built-in scopes (and flowgate's string scopes), the scope object for a custom
/// one (reported), nothing for `scopeId: null` (all records).
fn action_scope(
    a: &Value,
    scopes: &HashMap<i64, &Value>,
    path: &str,
    report: &mut Report,
) -> Option<Value> {
    if let Some(s) = a["scope"].as_str() {
        return Some(json!(s));
    }
    let row = match &a["scope"] {
        Value::Object(_) => &a["scope"],
        _ => *scopes.get(&id_of(&a["scopeId"])?)?,
    };
    let key = str_at(row, "key");
    if matches!(key, Some("all" | "own"))
        && row["resourceName"].is_null()
        && str_at(row, "name").is_some()
    {
        return key.map(|k| json!(k));
    }
    report.add(
        Severity::Unsupported,
        Kind::Grant,
        path,
        format!(
            "custom scope {} {}",
            key.unwrap_or(""),
            row.get("scope").unwrap_or(&Value::Null)
        ),
        "kept; flowgate does not grant this action",
    );
    Some(Value::Object(lean(
        row,
        &[
            "id",
            "createdAt",
            "updatedAt",
            "createdById",
            "updatedById",
            "dataSourceKey",
        ],
    )))
}

// ---- workflows and nodes (§2.5) ----

/// The workflow attributes a document keeps (§2.5); everything else is bookkeeping.
const WORKFLOW_KEEPS: [&str; 9] = [
    "key",
    "title",
    "description",
    "type",
    "triggerTitle",
    "config",
    "options",
    "enabled",
    "sync",
];

pub fn workflows(
    current: &Value,
    versions: Option<&Value>,
    report: &mut Report,
) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for w in list(current) {
        let key = str_at(w, "key").unwrap_or("");
        let mut wf = workflow(w, report)?;
        workflow_report(w, &wf, report);
        if let Some(all) = versions {
            let history = history(all, key)?;
            if !history.is_empty() {
                wf["history"] = Value::Array(history);
            }
        }
        out.push(wf);
    }
    Ok(out)
}

/// One version: the kept attributes and its nodes in pre-order.
fn workflow(w: &Value, report: &mut Report) -> Result<Value, String> {
    let key = str_at(w, "key").unwrap_or("");
    let mut wf = Map::new();
    for k in WORKFLOW_KEEPS {
        match w.get(k) {
            Some(v) if !v.is_null() => {
                wf.insert(k.into(), v.clone());
            }
            _ => {}
        }
    }
    let nodes = nodes(list(&w["nodes"]), key, report)?;
    wf.insert("nodes".into(), Value::Array(nodes));
    Ok(Value::Object(wf))
}

/// The key's earlier versions (`current` not true), oldest first, each with `current: null` (§4.2). Their
/// unsupported parts are not reported: history is informational and never imported.
fn history(all: &Value, key: &str) -> Result<Vec<Value>, String> {
    let mut earlier: Vec<&Value> = list(all)
        .iter()
        .filter(|v| str_at(v, "key") == Some(key) && v["current"] != json!(true))
        .collect();
    earlier.sort_by_key(|v| id_of(&v["id"]).unwrap_or(0));
    earlier
        .into_iter()
        .map(|v| {
            let mut version = workflow(v, &mut Report::default())?;
            version["current"] = Value::Null;
            Ok(version)
        })
        .collect()
}

/// Unsupported trigger, nodes, branches and categories; `$env` references (§6.1).
fn workflow_report(w: &Value, wf: &Value, report: &mut Report) {
    let key = str_at(w, "key").unwrap_or("");
    let path = format!("workflows.{key}");
    let trigger = str_at(w, "type").unwrap_or("");
    if !support::trigger_supported(trigger) {
        report.add(
            Severity::Unsupported,
            Kind::Workflow,
            &path,
            format!("trigger type {trigger}"),
            "kept for export and push; not runnable",
        );
    }
    let categories = list(&w["categories"]);
    if !categories.is_empty() {
        report.add(
            Severity::Unsupported,
            Kind::Workflow,
            &path,
            format!("{} workflow categories", categories.len()),
            "not pulled; flowgate has no workflow categories",
        );
    }
    let sync = w["sync"].as_bool().unwrap_or(false);
    let nodes = list(&wf["nodes"]);
    let by_key: HashMap<&str, &Value> = nodes
        .iter()
        .filter_map(|n| Some((str_at(n, "key")?, n)))
        .collect();
    for n in nodes {
        let node_path = format!("{path}.nodes.{}", str_at(n, "key").unwrap_or(""));
        if let Some(what) = node_problem(n, sync, &by_key) {
            report.add(
                Severity::Unsupported,
                Kind::Node,
                node_path,
                what,
                "workflow kept; not runnable",
            );
        }
    }
    for name in env_names(wf) {
        report.add(
            Severity::Warning,
            Kind::Workflow,
            &path,
            format!("$env.{name}"),
            format!("set FLOWGATE_ENV_{name} on flowgate"),
        );
    }
}

/// What flowgate cannot run of one node: its type or config, or a branch its upstream does not have.
fn node_problem(n: &Value, sync: bool, by_key: &HashMap<&str, &Value>) -> Option<String> {
    let ty = str_at(n, "type").unwrap_or("");
    if let Some(problem) = support::node_problem(ty, &n["config"], sync) {
        return Some(problem);
    }
    let index = n["branchIndex"].as_i64()?;
    let up = by_key.get(str_at(n, "upstream")?)?;
    let up_type = str_at(up, "type").unwrap_or("");
    // An upstream flowgate cannot parse is reported itself; its branches are not judged twice.
    if support::node_problem(up_type, &up["config"], sync).is_some()
        || support::has_branch(up_type, &up["config"], index)
    {
        return None;
    }
    Some(format!("branch {index} of a {up_type} node"))
}

/// The `{{$env.NAME}}` names a workflow refers to, sorted and once each.
fn env_names(wf: &Value) -> BTreeSet<String> {
    let text = wf.to_string();
    let mut names = BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("{{") {
        rest = &rest[at + 2..];
        let inner = rest.trim_start();
        if let Some(after) = inner.strip_prefix("$env.") {
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// A node row's links, by id.
struct Link<'a> {
    id: i64,
    key: &'a str,
    up: Option<i64>,
    down: Option<i64>,
    branch: Option<i64>,
    row: &'a Value,
}

/// The nodes of one version in pre-order (§2.5): the head, then each branch by ascending `branchIndex`,
/// then the downstream; ids become the `upstream` key. A graph NocoBase could not have made — not exactly
/// one head, links that disagree, a cycle, a node the head does not reach — fails naming the workflow.
pub fn nodes(rows: &[Value], wkey: &str, report: &mut Report) -> Result<Vec<Value>, String> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let links = links(rows, wkey)?;
    let by_id: HashMap<i64, &Link> = links.iter().map(|l| (l.id, l)).collect();
    // The head count first: a second head also breaks its old upstream's link, and the count is what
    // the contract names (bridge.md case 6).
    let heads: Vec<&Link> = links.iter().filter(|l| l.up.is_none()).collect();
    if heads.len() != 1 {
        return Err(format!("workflow {wkey}: {} head nodes", heads.len()));
    }
    check_links(&links, &by_id, wkey)?;
    let mut branches: HashMap<i64, BTreeMap<i64, &Link>> = HashMap::new();
    for l in links.iter().filter(|l| l.branch.is_some()) {
        let (up, index) = (l.up.unwrap_or_default(), l.branch.unwrap_or_default());
        if let Some(other) = branches.entry(up).or_default().insert(index, l) {
            return Err(format!(
                "workflow {wkey}: nodes {} and {} both head branch {index} of {}",
                other.key, l.key, by_id[&up].key
            ));
        }
    }
    let mut order = Vec::with_capacity(links.len());
    let mut seen = HashSet::new();
    walk(heads[0], &by_id, &branches, &mut seen, &mut order, wkey)?;
    if order.len() != links.len() {
        let lost: Vec<&str> = links
            .iter()
            .filter(|l| !seen.contains(&l.id))
            .map(|l| l.key)
            .collect();
        return Err(format!(
            "workflow {wkey}: {} unreachable nodes ({})",
            lost.len(),
            lost.join(", ")
        ));
    }
    let keys: HashMap<i64, &str> = links.iter().map(|l| (l.id, l.key)).collect();
    Ok(order
        .into_iter()
        .map(|l| node_json(l, &keys, wkey, report))
        .collect())
}

fn links<'a>(rows: &'a [Value], wkey: &str) -> Result<Vec<Link<'a>>, String> {
    rows.iter()
        .map(|row| {
            let key = str_at(row, "key").unwrap_or("");
            let id = id_of(&row["id"])
                .ok_or_else(|| format!("workflow {wkey}: node {key} has no id"))?;
            Ok(Link {
                id,
                key,
                up: id_of(&row["upstreamId"]),
                down: id_of(&row["downstreamId"]),
                branch: row["branchIndex"].as_i64(),
                row,
            })
        })
        .collect()
}

/// Both ends of every link agree: a node's downstream names it as upstream (not as a branch head), a chain
/// node's upstream names it as downstream, and every id points at a node of the version.
fn check_links(links: &[Link], by_id: &HashMap<i64, &Link>, wkey: &str) -> Result<(), String> {
    let missing = |from: &str, what: &str, id: i64| {
        format!("workflow {wkey}: node {from} has {what} {id}, which is not a node of this version")
    };
    for l in links {
        if let Some(d) = l.down {
            let next = by_id
                .get(&d)
                .ok_or_else(|| missing(l.key, "downstream", d))?;
            if next.up != Some(l.id) || next.branch.is_some() {
                return Err(format!(
                    "workflow {wkey}: node {}'s downstream is {}, but {}'s upstream is not {} (links disagree)",
                    l.key, next.key, next.key, l.key
                ));
            }
        }
        if let Some(u) = l.up {
            let prev = by_id.get(&u).ok_or_else(|| missing(l.key, "upstream", u))?;
            if l.branch.is_none() && prev.down != Some(l.id) {
                return Err(format!(
                    "workflow {wkey}: node {}'s upstream is {}, but {}'s downstream is not {} (links disagree)",
                    l.key, prev.key, prev.key, l.key
                ));
            }
        }
    }
    Ok(())
}

fn walk<'a>(
    start: &'a Link<'a>,
    by_id: &HashMap<i64, &'a Link<'a>>,
    branches: &HashMap<i64, BTreeMap<i64, &'a Link<'a>>>,
    seen: &mut HashSet<i64>,
    order: &mut Vec<&'a Link<'a>>,
    wkey: &str,
) -> Result<(), String> {
    let mut at = Some(start);
    while let Some(l) = at {
        if !seen.insert(l.id) {
            return Err(format!("workflow {wkey}: cycle at node {}", l.key));
        }
        order.push(l);
        for head in branches.get(&l.id).into_iter().flat_map(|b| b.values()) {
            walk(head, by_id, branches, seen, order, wkey)?;
        }
        at = l.down.and_then(|d| by_id.get(&d).copied());
    }
    Ok(())
}

/// `{key, type, title?, config, upstream, branchIndex}` with `$scopes.<id>` turned into keys.
fn node_json(l: &Link, keys: &HashMap<i64, &str>, wkey: &str, report: &mut Report) -> Value {
    let config = match &l.row["config"] {
        Value::Null => json!({}),
        c => rewrite_scopes(c, keys, wkey, report),
    };
    let mut n = json!({
        "key": l.key,
        "type": l.row["type"],
        "config": config,
        "upstream": l.up.and_then(|u| keys.get(&u)).map(|k| json!(k)).unwrap_or(Value::Null),
        "branchIndex": l.branch.map(|b| json!(b)).unwrap_or(Value::Null),
    });
    if let Some(t) = l.row.get("title").filter(|t| !t.is_null()) {
        n["title"] = t.clone();
    }
    n
}

/// Every `$scopes.<digits>` in the strings of `v` whose id is a node of the version becomes
/// `$scopes.<key>` (ids differ per server, keys do not), each reported `rewritten`.
pub fn rewrite_scopes(
    v: &Value,
    keys: &HashMap<i64, &str>,
    wkey: &str,
    report: &mut Report,
) -> Value {
    match v {
        Value::String(s) => Value::String(rewrite_text(s, keys, wkey, report)),
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| rewrite_scopes(x, keys, wkey, report))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), rewrite_scopes(x, keys, wkey, report)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn rewrite_text(s: &str, keys: &HashMap<i64, &str>, wkey: &str, report: &mut Report) -> String {
    const MARK: &str = "$scopes.";
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..at + MARK.len()]);
        let key = after[..digits]
            .parse::<i64>()
            .ok()
            .and_then(|id| keys.get(&id));
        match key {
            Some(key) => {
                report.add(
                    Severity::Rewritten,
                    Kind::Node,
                    format!("workflows.{wkey}"),
                    format!("$scopes.{}", &after[..digits]),
                    format!("now $scopes.{key}"),
                );
                out.push_str(key);
            }
            None => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

// ---- helpers ----

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A server id: a JSON integer (NocoBase's snowflakes are JS-safe), or its decimal text.
fn id_of(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/tests/fixtures/nocobase/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str::<Value>(&text).unwrap()["data"].take()
    }

    /// The fixture's answers as a pull from NocoBase 2.2.15 fetches them (admin's grants were not
    /// recorded: it has none).
    fn fetched() -> Fetched {
        let roles = fixture("roles.list.json");
        let resources = list(&roles)
            .iter()
            .filter_map(|r| str_at(r, "name"))
            .filter(|n| *n != "root")
            .map(|n| {
                let path = format!(
                    "{}/tests/fixtures/nocobase/roles__{n}__resources.list.json",
                    env!("CARGO_MANIFEST_DIR")
                );
                let grants = if std::path::Path::new(&path).exists() {
                    fixture(&format!("roles__{n}__resources.list.json"))
                } else {
                    json!([])
                };
                (n.to_string(), grants)
            })
            .collect();
        Fetched {
            kind: ServerKind::NocoBase,
            version: Some("2.2.15".into()),
            url: None,
            collections: fixture("collections.list.json"),
            roles,
            resources,
            scopes: fixture("dataSourcesRolesResourcesScopes.list.json"),
            workflows: fixture("workflows.list__current.json"),
            versions: None,
        }
    }

    #[test]
    fn the_fixture_answers_convert_to_the_reference_document() {
        let (document, _) = convert(&fetched()).unwrap();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/nocobase/example-export.json"
        );
        let expected = std::fs::read_to_string(path).unwrap();
        assert_eq!(doc::to_canonical_string(&document), expected);
    }

    #[test]
    fn the_fixture_report_is_the_reference_report() {
        let (_, report) = convert(&fetched()).unwrap();
        let got: BTreeSet<String> = report.to_json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect();
        let want: BTreeSet<String> = fixture_items();
        assert_eq!(got, want);
        assert_eq!(report.items.len(), want.len(), "no item twice");
    }

    fn fixture_items() -> BTreeSet<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/nocobase/example-report.json"
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect()
    }

    fn node(id: i64, key: &str, up: Option<i64>, down: Option<i64>, branch: Option<i64>) -> Value {
        json!({"id": id, "key": key, "type": "calculation", "config": {},
               "upstreamId": up, "downstreamId": down, "branchIndex": branch})
    }

    fn order(rows: &[Value]) -> Result<Vec<(String, Value, Value)>, String> {
        let out = nodes(rows, "w", &mut Report::default())?;
        Ok(out
            .iter()
            .map(|n| {
                (
                    n["key"].as_str().unwrap().to_string(),
                    n["upstream"].clone(),
                    n["branchIndex"].clone(),
                )
            })
            .collect())
    }

    #[test]
    fn nodes_come_out_in_pre_order_with_branches_by_index_before_the_downstream() {
        // head(1) → cond(2) with branches 1: t(3)→t2(4), 0: f(5); then end(6) after cond
        let rows = vec![
            node(6, "end", Some(2), None, None),
            node(3, "t", Some(2), Some(4), Some(1)),
            node(5, "f", Some(2), None, Some(0)),
            node(2, "cond", Some(1), Some(6), None),
            node(4, "t2", Some(3), None, None),
            node(1, "head", None, Some(2), None),
        ];
        let got = order(&rows).unwrap();
        let keys: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(keys, ["head", "cond", "f", "t", "t2", "end"]);
        assert_eq!(got[0].1, Value::Null);
        assert_eq!(got[2], ("f".into(), json!("cond"), json!(0)));
        assert_eq!(got[4], ("t2".into(), json!("t"), Value::Null));
        assert_eq!(got[5], ("end".into(), json!("cond"), Value::Null));
    }

    #[test]
    fn a_graph_nocobase_could_not_make_fails_naming_the_workflow() {
        let two_heads = vec![
            node(1, "a", None, None, None),
            node(2, "b", None, None, None),
        ];
        assert_eq!(order(&two_heads).unwrap_err(), "workflow w: 2 head nodes");
        let disagree = vec![
            node(1, "a", None, Some(2), None),
            node(2, "b", Some(1), None, None),
            node(3, "c", Some(2), None, None),
        ];
        let e = order(&disagree).unwrap_err();
        assert!(e.contains("workflow w") && e.contains("disagree"), "{e}");
        let cycle = vec![
            node(1, "a", None, Some(2), None),
            node(2, "b", Some(3), Some(3), None),
            node(3, "c", Some(2), Some(2), None),
        ];
        let e = order(&cycle).unwrap_err();
        assert!(e.starts_with("workflow w: "), "{e}");
        let dangling = vec![
            node(1, "a", None, None, None),
            node(2, "b", Some(9), None, Some(0)),
        ];
        assert!(order(&dangling).unwrap_err().contains("not a node"));
    }

    #[test]
    fn an_unreachable_loop_of_nodes_is_refused() {
        // b and c point at each other and at nothing the head reaches.
        let rows = vec![
            node(1, "a", None, None, None),
            node(2, "b", Some(3), Some(3), Some(0)),
            node(3, "c", Some(2), Some(2), Some(0)),
        ];
        let e = order(&rows).unwrap_err();
        assert!(e.starts_with("workflow w: "), "{e}");
    }

    #[test]
    fn a_branch_its_upstream_type_does_not_have_is_unsupported() {
        let mut calc = node(1, "calc", None, None, None);
        calc["config"] = json!({"engine": "math.js", "expression": "1 + 1"});
        let mut odd = node(2, "odd", Some(1), None, Some(7));
        odd["config"] = calc["config"].clone();
        let wf = json!({"key": "w", "type": "custom-action", "sync": true, "nodes": [calc, odd]});
        let mut report = Report::default();
        let converted = workflow(&wf, &mut report).unwrap();
        workflow_report(&wf, &converted, &mut report);
        let items: Vec<(&str, &str)> = report
            .items
            .iter()
            .map(|i| (i.path.as_str(), i.what.as_str()))
            .collect();
        assert_eq!(
            items,
            [("workflows.w.nodes.odd", "branch 7 of a calculation node")]
        );
    }

    #[test]
    fn scope_ids_become_node_keys_and_are_reported() {
        let keys: HashMap<i64, &str> = [(400834392883239, "loop_each")].into_iter().collect();
        let mut report = Report::default();
        let config = json!({"calculation": {"a": "{{$scopes.400834392883239.item.id}}", "b": "{{$scopes.77.x}}", "c": ["$scopes.400834392883239"]}});
        let got = rewrite_scopes(&config, &keys, "w", &mut report);
        assert_eq!(
            got,
            json!({"calculation": {"a": "{{$scopes.loop_each.item.id}}", "b": "{{$scopes.77.x}}", "c": ["$scopes.loop_each"]}})
        );
        assert_eq!(report.count(Severity::Rewritten), 2);
        assert_eq!(report.items[0].what, "$scopes.400834392883239");
        assert_eq!(report.items[0].effect, "now $scopes.loop_each");
        assert_eq!(report.items[0].path, "workflows.w");
    }

    #[test]
    fn env_references_are_named_once_each() {
        let wf =
            json!({"a": "{{$env.B_TOKEN}} {{ $env.A }}", "b": ["{{$env.B_TOKEN}}", "$env.NOT"]});
        let names: Vec<String> = env_names(&wf).into_iter().collect();
        assert_eq!(names, ["A", "B_TOKEN"]);
    }

    #[test]
    fn a_flowgate_collection_has_flags_instead_of_system_fields() {
        let items = json!([{"name": "posts", "title": "Posts", "createdAt": "2026-01-01T00:00:00.000Z",
            "fields": [{"name": "id", "type": "bigInt", "system": true, "collectionName": "posts"},
                       {"name": "title", "type": "string", "collectionName": "posts", "defaultValue": null}]}]);
        let got = collections(&items, ServerKind::Flowgate, &mut Report::default());
        assert_eq!(
            got[0],
            json!({"name": "posts", "title": "Posts", "createdAt": true, "autoGenId": true,
                   "updatedAt": true, "createdBy": true, "updatedBy": true,
                   "fields": [{"name": "title", "type": "string"}]})
        );
    }

    #[test]
    fn grant_scopes_are_names_or_objects_never_ids() {
        let scopes = fixture("dataSourcesRolesResourcesScopes.list.json");
        let rows: HashMap<i64, &Value> = list(&scopes)
            .iter()
            .filter_map(|s| Some((id_of(&s["id"])?, s)))
            .collect();
        let own_id = list(&scopes)
            .iter()
            .find(|s| s["key"] == "own")
            .and_then(|s| id_of(&s["id"]))
            .unwrap();
        let mut report = Report::default();
        let by_id = json!({"name": "view", "scopeId": own_id, "scope": null, "fields": []});
        assert_eq!(
            grant_action(&by_id, "p", &rows, &mut report),
            json!({"name": "view", "scope": "own"})
        );
        let custom = json!({"name": "view", "scopeId": 5, "scope": {"id": 5, "key": "mine", "name": "Mine",
            "resourceName": "br_orders", "scope": {"status": "new"}, "dataSourceKey": "main"}});
        assert_eq!(
            grant_action(&custom, "p", &rows, &mut report),
            json!({"name": "view", "scope": {"key": "mine", "name": "Mine", "resourceName": "br_orders", "scope": {"status": "new"}}})
        );
        assert_eq!(report.count(Severity::Unsupported), 1);
        assert!(report.items[0].what.starts_with("custom scope mine"));
    }
}
