//! `flowgate push` (bridge.md §3): make a live NocoBase hold a document's definitions. Preflight (a
//! NocoBase 2.x, a role that may configure), read the target (`target`), plan (`plan`, pure), then
//! apply the plan call by call, binding the ids the target makes (`apply`). Push never deletes what
//! the document lacks; a second push of the same definitions plans nothing and writes nothing.

pub mod graph;
pub mod plan;
pub mod rows;
pub mod target;

use std::collections::HashMap;

use serde_json::{json, Value};

use plan::{Bind, Call, Op, Phase, Plan};
use target::{str_at, Reads, Target};

/// The answer of a call that did not succeed: the status (none when the server was not reached) and
/// the server's first error message, or what went wrong on the way.
#[derive(Debug, Clone)]
pub struct RemoteError {
    pub status: Option<u16>,
    pub message: String,
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(s) => write!(f, "the target answered {s}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// A signed-in connection to the target. `call` returns the answer's body (the envelope) on 2xx.
pub trait Api {
    fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, RemoteError>;
}

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn data_list(answer: Value, what: &str) -> Result<Vec<Value>, RemoteError> {
    match answer.get("data") {
        Some(Value::Array(a)) => Ok(a.clone()),
        _ => Err(RemoteError {
            status: None,
            message: format!("{what}: the answer holds no data list"),
        }),
    }
}

/// The reads of §2.2 with 5′ (every version), which the plan compares with.
pub fn read_target(r: &dyn Api, doc: &Value, server: &Server) -> Result<Reads, String> {
    let get =
        |path: &str, query: Vec<(String, String)>, what: &str| -> Result<Vec<Value>, String> {
            let answer = r
                .call("GET", path, &query, None)
                .map_err(|e| format!("{what}: {e}"))?;
            data_list(answer, what).map_err(|e| e.message)
        };
    let collections = get(
        "/api/collections:list",
        q(&[
            ("paginate", "false"),
            ("appends[]", "fields"),
            ("sort[]", "sort"),
        ]),
        "read collections",
    )?;
    let roles = get(
        "/api/roles:list",
        q(&[("paginate", "false"), ("sort[]", "name")]),
        "read roles",
    )?;
    let mut grants = Vec::new();
    for role in roles
        .iter()
        .map(|r| str_at(r, "name").to_string())
        .filter(|n| n != "root")
    {
        let query = q(&[
            ("paginate", "false"),
            ("appends[]", "actions"),
            ("appends[]", "actions.scope"),
        ]);
        let rows = get(
            &format!("/api/roles/{role}/resources:list"),
            query,
            &format!("read the grants of role {role}"),
        )?;
        let main = rows
            .into_iter()
            .filter(|g| g.get("dataSourceKey").map_or(true, |k| k == "main"))
            .collect();
        grants.push((role, main));
    }
    // A flowgate names its two scopes (`all`, `own`) in the grant itself and has no scope rows.
    let scopes = if server.flowgate {
        Vec::new()
    } else {
        get(
            "/api/dataSourcesRolesResourcesScopes:list",
            q(&[("paginate", "false")]),
            "read scopes",
        )?
    };
    let workflows = get(
        "/api/workflows:list",
        q(&[
            ("paginate", "false"),
            ("sort[]", "id"),
            ("appends[]", "nodes"),
            ("appends[]", "versionStats"),
            ("appends[]", "stats"),
        ]),
        "read workflows",
    )?;
    let mut rows = Vec::new();
    let names: Vec<String> = doc
        .get("records")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for name in names
        .into_iter()
        .filter(|n| collections.iter().any(|c| str_at(c, "name") == n))
    {
        let list = get(
            &format!("/api/{name}:list"),
            q(&[("paginate", "false")]),
            &format!("read the rows of {name}"),
        )?;
        rows.push((name, list));
    }
    Ok(Reads {
        rows,
        flowgate: server.flowgate,
        collections,
        roles,
        grants,
        scopes,
        workflows,
    })
}

/// What the target is, from `app:getInfo` (§2.1): NocoBase with its version, or a flowgate (which
/// speaks NocoBase's API and answers `{"name":"flowgate"}` there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub flowgate: bool,
    pub version: String,
}

impl std::fmt::Display for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if self.flowgate {
            "flowgate"
        } else {
            "NocoBase"
        };
        write!(f, "{name} {}", self.version)
    }
}

/// Preflight (§3.1): the target says what it is; a NocoBase must be 2.x (`force_version` accepts
/// another major).
pub fn preflight(r: &dyn Api, force_version: bool) -> Result<Server, String> {
    let info = r
        .call("GET", "/api/app:getInfo", &[], None)
        .map_err(|e| format!("read app:getInfo: {e}"))?;
    let name = info["data"]["name"].as_str().unwrap_or("");
    let version = info["data"]["version"].as_str().unwrap_or("").to_string();
    if version.is_empty() {
        return Err("the target did not say its version in app:getInfo; is it a NocoBase?".into());
    }
    let flowgate = name == "flowgate";
    if !flowgate && !version.starts_with("2.") && !force_version {
        return Err(format!("the target runs NocoBase {version}; push is checked against 2.x (--force-version to try anyway)"));
    }
    Ok(Server { flowgate, version })
}

/// How the apply step tells what it does.
pub trait Progress {
    fn step(&mut self, done: usize, total: usize, op: &Op);
}

/// Applies the plan in order. Each call's `@ref` strings are replaced by the ids bound so far. Once the
/// associations exist, the FK records NocoBase's hooks made are read back and touched up. A failed call
/// stops the push, destroys a version it made hidden and has not enabled yet, and names the op and the
/// target's answer. Returns the number of writes sent.
pub fn apply(
    r: &dyn Api,
    doc: &Value,
    plan: &Plan,
    progress: &mut dyn Progress,
) -> Result<usize, String> {
    let mut state = Applying {
        refs: HashMap::new(),
        hidden: Vec::new(),
        writes: 0,
    };
    let total = plan.ops.len();
    let associations = plan
        .ops
        .iter()
        .rposition(|o| o.phase == Phase::Associations);
    for (i, op) in plan.ops.iter().enumerate() {
        progress.step(i, total, op);
        state.op(r, op)?;
        if Some(i) == associations {
            let collections = read_collections(r)?;
            let target = Target::new(Reads {
                collections,
                ..Reads::default()
            });
            for touch in plan::touch_ups(doc, &target) {
                progress.step(i, total, &touch);
                state.op(r, &touch)?;
            }
        }
    }
    Ok(state.writes)
}

struct Applying {
    refs: HashMap<String, Value>,
    /// versions made hidden and not enabled yet
    hidden: Vec<String>,
    writes: usize,
}

impl Applying {
    fn op(&mut self, r: &dyn Api, op: &Op) -> Result<(), String> {
        if op.op == "enable" {
            self.hidden.clear();
        }
        for c in &op.calls {
            let result = send(r, c, &self.refs).and_then(|answer| bind(c, &answer, &mut self.refs));
            if c.method != "GET" {
                self.writes += 1;
            }
            if let Err(e) = result {
                let undone = undo_hidden(r, &self.hidden, &self.refs);
                return Err(format!("{}{}: {e}{undone}", op.line(), call_label(c)));
            }
        }
        if let Some(v) = &op.hidden_version {
            self.hidden.push(v.clone());
        }
        Ok(())
    }
}

/// Which node or action of an op a failed call was about, when the op sends several.
fn call_label(c: &Call) -> String {
    let key = c
        .body
        .as_ref()
        .and_then(|b| b.get("key"))
        .and_then(Value::as_str);
    match key {
        Some(k) if c.path.ends_with("/nodes:create") => format!(", node {k}"),
        _ if c.path.ends_with("/flow_nodes:destroy") => " (clearing the version)".to_string(),
        _ => String::new(),
    }
}

fn read_collections(r: &dyn Api) -> Result<Vec<Value>, String> {
    let query = q(&[
        ("paginate", "false"),
        ("appends[]", "fields"),
        ("sort[]", "sort"),
    ]);
    let answer = r
        .call("GET", "/api/collections:list", &query, None)
        .map_err(|e| format!("read collections: {e}"))?;
    data_list(answer, "read collections").map_err(|e| e.message)
}

fn send(r: &dyn Api, c: &Call, refs: &HashMap<String, Value>) -> Result<Value, RemoteError> {
    let path = resolve_text(&c.path, refs)?;
    let query: Vec<(String, String)> = c
        .query
        .iter()
        .map(|(k, v)| Ok((k.clone(), resolve_text(v, refs)?)))
        .collect::<Result<_, RemoteError>>()?;
    let body = c.body.as_ref().map(|b| resolve(b, refs)).transpose()?;
    r.call(c.method, &path, &query, body.as_ref())
}

fn bind(c: &Call, answer: &Value, refs: &mut HashMap<String, Value>) -> Result<(), RemoteError> {
    match &c.bind {
        Bind::None => Ok(()),
        Bind::Id(name) => {
            let id = answer["data"].get("id").cloned().filter(|v| !v.is_null());
            let id = id.ok_or_else(|| RemoteError {
                status: None,
                message: "the answer holds no id".into(),
            })?;
            refs.insert(name.clone(), id);
            Ok(())
        }
        Bind::ExpectId(want) => {
            let got = answer["data"].get("id").and_then(Value::as_i64);
            if got == Some(*want) {
                return Ok(());
            }
            let got = got.map(|g| g.to_string()).unwrap_or_else(|| "no id".into());
            Err(RemoteError {
                status: None,
                message: format!("the target gave the row id {got} where it had {want}: its id sequence was not where an empty collection starts (rows were created and deleted there before); push the rows into a fresh collection"),
            })
        }
        Bind::NodesOf { prefix, .. } => {
            for n in data_list(answer.clone(), "nodes")? {
                refs.insert(format!("{prefix}{}", str_at(&n, "key")), n["id"].clone());
            }
            Ok(())
        }
    }
}

fn undo_hidden(r: &dyn Api, hidden: &[String], refs: &HashMap<String, Value>) -> String {
    let mut out = String::new();
    for v in hidden {
        let Some(id) = refs.get(v) else { continue };
        let query = vec![("filterByTk".to_string(), id.to_string())];
        match r.call("POST", "/api/workflows:destroy", &query, None) {
            Ok(_) => out.push_str(&format!(
                "; the hidden version {id} it made was destroyed again"
            )),
            Err(e) => out.push_str(&format!(
                "; destroying the hidden version {id} failed too ({e})"
            )),
        }
    }
    out
}

fn unbound(name: &str) -> RemoteError {
    RemoteError {
        status: None,
        message: format!("internal: @{name} was used before the call that makes it"),
    }
}

/// `@ref` path segments and query values replaced by their ids.
fn resolve_text(text: &str, refs: &HashMap<String, Value>) -> Result<String, RemoteError> {
    if !text.contains('@') {
        return Ok(text.to_string());
    }
    let mut out = Vec::new();
    for seg in text.split('/') {
        match seg.strip_prefix('@') {
            Some(name) => out.push(refs.get(name).map(id_text).ok_or_else(|| unbound(name))?),
            None => out.push(seg.to_string()),
        }
    }
    Ok(out.join("/"))
}

fn id_text(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

/// A body with every string `@<ref>` replaced by its id. Document values never start with a ref's
/// prefix (`@wf:`, `@rev:`, `@node:`, `@scope:`) in practice; the plan only writes refs into
/// `upstreamId`, `scopeId` and paths.
fn resolve(v: &Value, refs: &HashMap<String, Value>) -> Result<Value, RemoteError> {
    Ok(match v {
        Value::String(s) if s.strip_prefix('@').is_some_and(is_ref) => {
            refs.get(&s[1..]).cloned().ok_or_else(|| unbound(&s[1..]))?
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| resolve(x, refs))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), resolve(x, refs)?)))
                .collect::<Result<_, RemoteError>>()?,
        ),
        other => other.clone(),
    })
}

fn is_ref(name: &str) -> bool {
    ["wf:", "rev:", "node:", "scope:"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The `--json` form of a plan (§3.6).
pub fn plan_json(plan: &Plan) -> Value {
    let ops: Vec<Value> = plan
        .ops
        .iter()
        .map(|o| {
            let calls: Vec<Value> = o
                .calls
                .iter()
                .map(|c| {
                    let query: serde_json::Map<String, Value> =
                        c.query.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                    json!({"method": c.method, "path": c.path, "query": query, "body": c.body})
                })
                .collect();
            json!({"op": o.op, "target": o.target, "note": o.note, "calls": calls})
        })
        .collect();
    json!({"operations": ops, "conflicts": plan.conflicts, "extra": plan.extra})
}

/// Reads the target and plans (preflight included).
pub fn prepare(
    r: &dyn Api,
    doc: &Value,
    opts: plan::Options,
    force_version: bool,
) -> Result<(Server, Plan), String> {
    let server = preflight(r, force_version)?;
    let reads = read_target(r, doc, &server)?;
    Ok((server, plan::plan(doc, &Target::new(reads), opts)))
}
