//! `flowgate import` (and `pull` without `-o`, and `serve --import`): a definitions document → the store,
//! in one transaction, all or nothing (bridge.md §5.4). The whole document is validated first and refused
//! with every problem listed. Objects merge by name and key; what flowgate cannot host is kept verbatim in
//! `fg_bridge_kept` and reported (§6). Applying the same document twice changes nothing the second time.
//!
//! The bridge calls the repositories and the schema operations, never HTTP handlers.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::export;
use super::repo::{self as kept_repo, Kept};
use super::report::{Kind, Report, Severity};
use super::support::{self, FieldKind};
use crate::acl::{parse_strategy_entry, repo as acl_repo};
use crate::collections::ddl::{self, Change};
use crate::collections::{names, schema_ops};
use crate::error::Result;
use crate::store::Store;
use crate::workflow::model::{valid_key, Workflow};
use crate::workflow::nodes;
use crate::workflow::repo::workflows::{self as wf_repo, Links, NewNode, NewWorkflow};

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// apply inside the transaction, list the changes, then roll back
    pub dry_run: bool,
    /// make roles, grants and workflows exactly the document's (see [`import_document`])
    pub replace: bool,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    /// One line per change (`create collection br_orders`, `new version br_wf_order_check`, …); empty when
    /// the store already held the document.
    pub changes: Vec<String>,
}

/// One thing wrong with a document: where (`collections[2].fields[0].type`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

#[derive(Debug)]
pub enum ImportError {
    /// The document was refused whole; nothing was written.
    Invalid(Vec<Problem>),
    /// The store failed or refused a definition (at `path` of the document); the transaction was
    /// rolled back, so nothing was imported.
    Store {
        path: String,
        error: crate::error::Error,
    },
}

impl ImportError {
    /// Every problem, each with its document path.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ImportError::Invalid(ps) => ps.clone(),
            ImportError::Store { path, error } => vec![problem(
                path.clone(),
                error
                    .detail
                    .as_deref()
                    .unwrap_or(error.message())
                    .to_string(),
            )],
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Invalid(ps) => {
                let lines: Vec<String> = ps
                    .iter()
                    .map(|p| format!("{}: {}", p.path, p.message))
                    .collect();
                write!(f, "invalid document:\n  {}", lines.join("\n  "))
            }
            ImportError::Store { path, error } => write!(
                f,
                "{path}: {}; nothing was imported",
                error.detail.as_deref().unwrap_or(error.message())
            ),
        }
    }
}

/// Applies `doc` to `store` (which no server may serve: the caller holds the folder lock). Merge rules of
/// §5.4: collections in two phases (the tables with their scalars, then every association, then the
/// document's attributes and positions on every field); roles and their grants exactly as the document
/// says (root never touched); workflow versions by flowgate's rules. Nothing is deleted, except with
/// `opts.replace`: then roles other than root, admin and member that the document lacks are deleted
/// (with their grants and their assignments to users; the users stay), and so are the workflow keys it
/// lacks (every version; executions stay), kept ones included. Collections, fields, users and records are
/// never deleted.
pub fn import_document(
    store: &Store,
    doc: &Value,
    opts: &ImportOptions,
) -> std::result::Result<Outcome, ImportError> {
    let problems = validate(doc);
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    let mut run = Run {
        out: Outcome::default(),
        replace: opts.replace,
        at: String::new(),
    };
    match ddl::change_in(store, !opts.dry_run, |ch| run.apply(ch, doc)) {
        Ok(()) => Ok(run.out),
        Err(error) => Err(ImportError::Store {
            path: run.at,
            error,
        }),
    }
}

// ---------------------------------------------------------------- validation

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

fn items<'a>(v: &'a Value, key: &str, path: &str, out: &mut Vec<Problem>) -> &'a [Value] {
    match v.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(_) => {
            out.push(problem(join(path, key), "must be an array"));
            &[]
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A required non-empty string attribute; unique among its siblings when `seen` is given.
fn name_at<'a>(
    v: &'a Value,
    key: &str,
    path: &str,
    seen: &mut HashSet<String>,
    out: &mut Vec<Problem>,
) -> Option<&'a str> {
    match v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()) {
        None => {
            out.push(problem(join(path, key), "must be a non-empty string"));
            None
        }
        Some(n) => {
            if !seen.insert(n.to_ascii_lowercase()) {
                out.push(problem(join(path, key), format!("\"{n}\" appears twice")));
            }
            Some(n)
        }
    }
}

fn expect_kind(
    v: &Value,
    key: &str,
    path: &str,
    ok: fn(&Value) -> bool,
    what: &str,
    out: &mut Vec<Problem>,
) {
    if let Some(x) = v.get(key) {
        if !x.is_null() && !ok(x) {
            out.push(problem(join(path, key), format!("must be {what}")));
        }
    }
}

/// Every problem of the document (§4.2 and the shapes of §4.1); empty when it can be applied.
pub fn validate(doc: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    if !doc.is_object() {
        return vec![problem("", "the document must be a JSON object")];
    }
    match doc.get("format").and_then(Value::as_str) {
        Some(super::doc::FORMAT) => {}
        Some(f) => out.push(problem(
            "format",
            format!("unsupported document format \"{f}\" (expected \"flowgate-app\")"),
        )),
        None => out.push(problem("format", "must be \"flowgate-app\"")),
    }
    match doc.get("version") {
        Some(v) if v.as_u64() == Some(super::doc::VERSION) => {}
        Some(v) => out.push(problem(
            "version",
            format!("unsupported document version {v}"),
        )),
        None => out.push(problem("version", "must be 1")),
    }
    if !out.is_empty() {
        return out;
    }
    let mut names = HashSet::new();
    for (i, c) in items(doc, "collections", "", &mut out).iter().enumerate() {
        let path = format!("collections[{i}]");
        if !c.is_object() {
            out.push(problem(path, "must be an object"));
            continue;
        }
        name_at(c, "name", &path, &mut names, &mut out);
        let mut fields = HashSet::new();
        for (j, f) in items(c, "fields", &path, &mut out).iter().enumerate() {
            let fp = format!("{path}.fields[{j}]");
            if !f.is_object() {
                out.push(problem(fp, "must be an object"));
                continue;
            }
            name_at(f, "name", &fp, &mut fields, &mut out);
            name_at(f, "type", &fp, &mut HashSet::new(), &mut out);
        }
    }
    let mut roles = HashSet::new();
    for (i, r) in items(doc, "roles", "", &mut out).iter().enumerate() {
        let path = format!("roles[{i}]");
        if !r.is_object() {
            out.push(problem(path, "must be an object"));
            continue;
        }
        name_at(r, "name", &path, &mut roles, &mut out);
        expect_kind(
            r,
            "strategy",
            &path,
            |s| {
                s.get("actions")
                    .is_none_or(|a| a.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
            },
            "an object whose actions are strings",
            &mut out,
        );
        expect_kind(
            r,
            "snippets",
            &path,
            |s| s.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            "an array of strings",
            &mut out,
        );
        expect_kind(
            r,
            "default",
            &path,
            Value::is_boolean,
            "a boolean",
            &mut out,
        );
        let mut grants = HashSet::new();
        for (j, g) in items(r, "resources", &path, &mut out).iter().enumerate() {
            let gp = format!("{path}.resources[{j}]");
            name_at(g, "name", &gp, &mut grants, &mut out);
            expect_kind(
                g,
                "usingActionsConfig",
                &gp,
                Value::is_boolean,
                "a boolean",
                &mut out,
            );
            let mut acts = HashSet::new();
            for (k, a) in items(g, "actions", &gp, &mut out).iter().enumerate() {
                name_at(
                    a,
                    "name",
                    &format!("{gp}.actions[{k}]"),
                    &mut acts,
                    &mut out,
                );
            }
        }
    }
    let mut keys = HashSet::new();
    for (i, w) in items(doc, "workflows", "", &mut out).iter().enumerate() {
        validate_workflow(w, &format!("workflows[{i}]"), &mut keys, &mut out);
    }
    out
}

fn validate_workflow(w: &Value, path: &str, keys: &mut HashSet<String>, out: &mut Vec<Problem>) {
    if !w.is_object() {
        out.push(problem(path, "must be an object"));
        return;
    }
    if let Some(k) = name_at(w, "key", path, keys, out) {
        if !valid_key(k) {
            out.push(problem(
                join(path, "key"),
                format!("\"{k}\" is not a valid workflow key"),
            ));
        }
    }
    name_at(w, "type", path, &mut HashSet::new(), out);
    expect_kind(w, "config", path, Value::is_object, "an object", out);
    expect_kind(w, "options", path, Value::is_object, "an object", out);
    expect_kind(w, "enabled", path, Value::is_boolean, "a boolean", out);
    expect_kind(w, "sync", path, Value::is_boolean, "a boolean", out);
    let mut seen = HashSet::new();
    let mut earlier: HashSet<String> = HashSet::new();
    let mut heads = 0;
    for (j, n) in items(w, "nodes", path, out).iter().enumerate() {
        let np = format!("{path}.nodes[{j}]");
        if !n.is_object() {
            out.push(problem(np, "must be an object"));
            continue;
        }
        let key = name_at(n, "key", &np, &mut seen, out).map(str::to_string);
        name_at(n, "type", &np, &mut HashSet::new(), out);
        expect_kind(
            n,
            "branchIndex",
            &np,
            |b| b.as_i64().is_some(),
            "an integer or null",
            out,
        );
        match n.get("upstream") {
            None | Some(Value::Null) => heads += 1,
            Some(Value::String(u)) if earlier.contains(u) => {}
            Some(Value::String(u)) => out.push(problem(
                format!("{np}.upstream"),
                format!("\"{u}\" is not a node before this one (nodes are in pre-order)"),
            )),
            Some(_) => out.push(problem(
                format!("{np}.upstream"),
                "must be a node key or null",
            )),
        }
        earlier.extend(key);
    }
    if !earlier.is_empty() && heads != 1 {
        out.push(problem(
            join(path, "nodes"),
            format!("{heads} head nodes (exactly one has upstream null)"),
        ));
    }
}

// ---------------------------------------------------------------- applying

struct Run {
    out: Outcome,
    replace: bool,
    /// The document path being applied (a store error names it).
    at: String,
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn array_at<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The object without `drop` keys.
fn without(v: &Value, drop: &[&str]) -> Map<String, Value> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// How one document field lands in flowgate.
enum Landing {
    /// a column of this flowgate type (`fk`: an FK record an association makes)
    Scalar { def: Value, fk: bool },
    /// an association, made in phase B
    Association(Value),
    /// kept verbatim in `fg_bridge_kept`, with the report item (none for system records)
    Kept {
        reason: String,
        reported: Option<(Severity, String, String)>,
    },
}

const UNSUPPORTED_FIELD: &str = "kept for export and push; not a column in flowgate";

impl Run {
    fn change(&mut self, line: String) {
        self.out.changes.push(line);
    }

    fn report(
        &mut self,
        severity: Severity,
        kind: Kind,
        path: &str,
        what: impl Into<String>,
        effect: &str,
    ) {
        self.out.report.add(severity, kind, path, what, effect);
    }

    fn apply(&mut self, ch: &mut Change, doc: &Value) -> Result<()> {
        let collections = array_at(doc, "collections");
        let mut pending: Vec<(String, usize, Value)> = Vec::new();
        for c in collections {
            self.collection(ch, c, &mut pending)?;
        }
        self.associations(ch, collections, &pending)?;
        self.roles(ch.conn, array_at(doc, "roles"))?;
        self.workflows(ch, array_at(doc, "workflows"))?;
        if doc.get("records").is_some() {
            self.report(
                Severity::Warning,
                Kind::Collection,
                "records",
                "records",
                "not imported; import records through the API",
            );
        }
        Ok(())
    }

    /// Keeps `definition` at `path` unless it is kept there already (then nothing changes).
    fn keep(
        &mut self,
        c: &Connection,
        kind: &str,
        path: &str,
        position: i64,
        definition: &Value,
        reason: &str,
    ) -> Result<()> {
        let k = Kept {
            kind: kind.into(),
            path: path.into(),
            position,
            definition: definition.clone(),
            reason: reason.into(),
        };
        if kept_repo::get(c, kind, path)?.as_ref() != Some(&k) {
            kept_repo::put(c, &k)?;
            self.change(format!("keep {path} ({reason})"));
        }
        Ok(())
    }

    fn unkeep(&mut self, c: &Connection, kind: &str, path: &str) -> Result<()> {
        if kept_repo::delete(c, kind, path)? > 0 {
            self.change(format!("no longer kept: {path}"));
        }
        Ok(())
    }

    // ---- collections

    /// Phase A for one collection: the table with its scalar fields (or the whole definition kept);
    /// associations are queued in `pending` for phase B as (collection, position, field).
    fn collection(
        &mut self,
        ch: &mut Change,
        c: &Value,
        pending: &mut Vec<(String, usize, Value)>,
    ) -> Result<()> {
        let name = str_at(c, "name").unwrap_or_default().to_string();
        let path = format!("collections.{name}");
        self.at = path.clone();
        if let Some(why) = collection_problem(c, &name) {
            let reason = why.clone();
            let through = c.get("isThrough") == Some(&json!(true));
            if !through {
                self.report(
                    Severity::Unsupported,
                    Kind::Collection,
                    &path,
                    why,
                    "kept for export and push; not a collection in flowgate",
                );
            }
            return self.keep(ch.conn, "collection", &path, 0, c, &reason);
        }
        if c.get("template").and_then(Value::as_str) == Some("tree") {
            self.report(Severity::Approximated, Kind::Collection, &path, "template tree", "imported as a plain collection; its parent and children associations work, the tree semantics do not");
        }
        let title = str_at(c, "title").unwrap_or(&name).to_string();
        let options = without(c, &["name", "title", "fields"]);
        let fields = array_at(c, "fields");
        let mut scalars = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let fpath = format!("{path}.fields.{}", str_at(f, "name").unwrap_or_default());
            let landed = landing(f);
            let association = matches!(landed, Landing::Association(_));
            if matches!(landed, Landing::Scalar { .. }) {
                // kept by an earlier import, hosted now (flowgate learned the type)
                self.unkeep(ch.conn, "field", &fpath)?;
            }
            match landed {
                Landing::Scalar { def, fk: false } => scalars.push(def),
                Landing::Scalar { fk: true, .. } => {}
                Landing::Association(def) => pending.push((name.clone(), i, def)),
                Landing::Kept { reason, reported } => {
                    if let Some((sev, what, effect)) = reported {
                        self.report(sev, Kind::Field, &fpath, what, &effect);
                    }
                    self.keep(ch.conn, "field", &fpath, i as i64, f, &reason)?;
                }
            }
            if let Some(on_delete) = str_at(f, "onDelete").filter(|d| *d != "SET NULL") {
                if association {
                    self.report(
                        Severity::Approximated,
                        Kind::Field,
                        &fpath,
                        format!("onDelete {on_delete}"),
                        "kept; flowgate sets NULL",
                    );
                }
            }
        }
        let existing = ch.schema.get(&name).filter(|x| !x.builtin).cloned();
        match existing {
            None => {
                let mut values = Map::new();
                values.insert("name".into(), json!(name));
                values.insert("title".into(), json!(title));
                values.insert("fields".into(), Value::Array(scalars));
                schema_ops::create_collection(ch, &values)?;
                schema_ops::set_collection_options(ch, &name, &title, &options)?;
                self.change(format!("create collection {name}"));
            }
            Some(now) => {
                if now.title != title || now.options.as_ref() != Some(&options) {
                    schema_ops::set_collection_options(ch, &now.name, &title, &options)?;
                    self.change(format!("update collection {name}"));
                }
                for def in scalars {
                    let fname = str_at(&def, "name").unwrap_or_default();
                    self.add_field_unless_there(ch, &name, fname, &def)?;
                }
            }
        }
        Ok(())
    }

    fn add_field_unless_there(
        &mut self,
        ch: &mut Change,
        coll: &str,
        field: &str,
        def: &Value,
    ) -> Result<()> {
        self.at = format!("collections.{coll}.fields.{field}");
        let there = ch.schema.get(coll).and_then(|c| c.field(field).cloned());
        match there {
            None => {
                schema_ops::add_field(ch, coll, def)?;
                self.change(format!("create field {coll}.{field}"));
            }
            Some(f) if f.kind.type_name() != str_at(def, "type").unwrap_or_default() => {
                self.report(
                    Severity::Warning,
                    Kind::Field,
                    &format!("collections.{coll}.fields.{field}"),
                    format!(
                        "type {} in flowgate, {} in the document",
                        f.kind.type_name(),
                        str_at(def, "type").unwrap_or_default()
                    ),
                    "left as flowgate has it",
                );
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Phase B (every association, once all tables exist), then the FK records no association made, then
    /// the document's attributes and positions on every field flowgate holds.
    fn associations(
        &mut self,
        ch: &mut Change,
        collections: &[Value],
        pending: &[(String, usize, Value)],
    ) -> Result<()> {
        for (coll, i, def) in pending {
            let field = str_at(def, "name").unwrap_or_default().to_string();
            self.at = format!("collections.{coll}.fields.{field}");
            let target = str_at(def, "target").unwrap_or_default();
            let hosted = target == "users" || ch.schema.get(target).is_some_and(|t| !t.builtin);
            if !hosted {
                let fpath = format!("collections.{coll}.fields.{field}");
                let original = &array_at(
                    collections
                        .iter()
                        .find(|c| str_at(c, "name") == Some(coll))
                        .unwrap_or(&Value::Null),
                    "fields",
                )[*i];
                let what = format!("association to {target}, which flowgate does not host");
                self.report(
                    Severity::Unsupported,
                    Kind::Field,
                    &fpath,
                    what.clone(),
                    UNSUPPORTED_FIELD,
                );
                self.keep(ch.conn, "field", &fpath, *i as i64, original, &what)?;
                continue;
            }
            self.unkeep(
                ch.conn,
                "field",
                &format!("collections.{coll}.fields.{field}"),
            )?;
            self.add_field_unless_there(ch, coll, &field, def)?;
        }
        for c in collections {
            let name = str_at(c, "name").unwrap_or_default();
            if ch.schema.get(name).is_none_or(|x| x.builtin) {
                continue;
            }
            for (i, f) in array_at(c, "fields").iter().enumerate() {
                let fname = str_at(f, "name").unwrap_or_default();
                if let Landing::Scalar { def, fk: true } = landing(f) {
                    self.add_field_unless_there(ch, name, fname, &def)?;
                }
                let held = ch.schema.get(name).and_then(|x| x.field(fname).cloned());
                let Some(held) = held.filter(|h| !h.system) else {
                    continue;
                };
                let attrs = f.as_object().cloned().unwrap_or_default();
                if held.attributes.as_ref() != Some(&attrs) || held.position != Some(i as i64) {
                    schema_ops::set_field_attributes(ch, name, fname, &attrs, i as i64)?;
                }
            }
        }
        Ok(())
    }

    // ---- roles

    fn roles(&mut self, c: &Connection, roles: &[Value]) -> Result<()> {
        let mut named = HashSet::new();
        for r in roles {
            let name = str_at(r, "name").unwrap_or_default();
            named.insert(name.to_ascii_lowercase());
            if name.eq_ignore_ascii_case("root") {
                self.report(
                    Severity::Skipped,
                    Kind::Role,
                    "roles.root",
                    "role root",
                    "never written; root may do anything",
                );
                continue;
            }
            self.role(c, r, name)?;
        }
        if self.replace {
            for r in acl_repo::stored_roles(c)? {
                let builtin = ["root", "admin", "member"]
                    .iter()
                    .any(|b| b.eq_ignore_ascii_case(&r.name));
                if !builtin && !named.contains(&r.name.to_ascii_lowercase()) {
                    crate::auth::repo::remove_role_assignments(c, &r.name)?;
                    for g in acl_repo::list_resources(c, &r.name)? {
                        acl_repo::delete_resource(c, &r.name, g["id"].as_i64().unwrap_or(0))?;
                    }
                    acl_repo::delete_role(c, &r.name)?;
                    self.change(format!("delete role {} (--replace)", r.name));
                }
            }
        }
        Ok(())
    }

    fn role(&mut self, c: &Connection, r: &Value, name: &str) -> Result<()> {
        self.at = format!("roles.{name}");
        let strategy = r
            .get("strategy")
            .filter(|s| !s.is_null())
            .cloned()
            .unwrap_or(json!({"actions": []}));
        let snippets = r
            .get("snippets")
            .filter(|s| !s.is_null())
            .cloned()
            .unwrap_or(json!([]));
        let title = str_at(r, "title");
        let default = r.get("default").and_then(Value::as_bool).unwrap_or(false);
        let options = Value::Object(without(r, &["name", "resources"])).to_string();
        for a in array_at(&strategy, "actions")
            .iter()
            .filter_map(Value::as_str)
        {
            let evaluated = parse_strategy_entry(a).is_some_and(|g| {
                g.action == "*" || support::GRANT_ACTIONS.contains(&g.action.as_str())
            });
            if !evaluated {
                self.report(
                    Severity::Unsupported,
                    Kind::Role,
                    &format!("roles.{name}.strategy"),
                    format!("strategy action {a}"),
                    "kept; flowgate ignores it",
                );
            }
        }
        let stored = acl_repo::stored_roles(c)?
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name));
        match stored {
            None => {
                acl_repo::insert_role(
                    c,
                    &acl_repo::NewRole {
                        name,
                        title: title.unwrap_or(name),
                        strategy: &strategy.to_string(),
                        snippets: &snippets.to_string(),
                        default,
                    },
                    false,
                )?;
                if title.is_none() {
                    acl_repo::set_role_column(
                        c,
                        name,
                        acl_repo::RoleColumn::Title,
                        &Option::<String>::None,
                    )?;
                }
                acl_repo::set_role_options(c, name, Some(&options))?;
                self.change(format!("create role {name}"));
            }
            Some(s) => {
                let parse = |t: &str| serde_json::from_str::<Value>(t).unwrap_or(Value::Null);
                let same = s.title.as_deref() == title
                    && parse(&s.strategy) == strategy
                    && parse(&s.snippets) == snippets
                    && s.default == default
                    && s.options.as_deref().map(parse) == Some(parse(&options));
                if !same {
                    use acl_repo::RoleColumn::*;
                    acl_repo::set_role_column(c, &s.name, Title, &title)?;
                    acl_repo::set_role_column(c, &s.name, Strategy, &strategy.to_string())?;
                    acl_repo::set_role_column(c, &s.name, Snippets, &snippets.to_string())?;
                    acl_repo::set_role_column(c, &s.name, Default, &default)?;
                    acl_repo::set_role_options(c, &s.name, Some(&options))?;
                    acl_repo::touch_role(c, &s.name)?;
                    self.change(format!("update role {name}"));
                }
            }
        }
        self.grants(c, name, array_at(r, "resources"))
    }

    /// The role's grants become exactly the document's.
    fn grants(&mut self, c: &Connection, role: &str, grants: &[Value]) -> Result<()> {
        let stored = acl_repo::list_resources(c, role)?;
        for g in grants {
            let coll = str_at(g, "name").unwrap_or_default();
            let using = g
                .get("usingActionsConfig")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let actions = g
                .get("actions")
                .filter(|a| a.is_array())
                .cloned()
                .unwrap_or(json!([]));
            for a in actions.as_array().into_iter().flatten() {
                self.report_action(role, coll, a);
            }
            match stored.iter().find(|s| {
                s["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(coll))
            }) {
                None => {
                    acl_repo::insert_resource(c, role, coll, using, &actions.to_string())?;
                    self.change(format!("create grant {role} → {coll}"));
                }
                Some(s) if s["usingActionsConfig"] != json!(using) || s["actions"] != actions => {
                    let id = s["id"].as_i64().unwrap_or(0);
                    acl_repo::set_resource_using(c, id, using)?;
                    acl_repo::set_resource_actions(c, id, &actions.to_string())?;
                    acl_repo::touch_resource(c, id)?;
                    self.change(format!("update grant {role} → {coll}"));
                }
                Some(_) => {}
            }
        }
        for s in &stored {
            let coll = s["name"].as_str().unwrap_or_default();
            if !grants
                .iter()
                .any(|g| str_at(g, "name").is_some_and(|n| n.eq_ignore_ascii_case(coll)))
            {
                acl_repo::delete_resource(c, role, s["id"].as_i64().unwrap_or(0))?;
                self.change(format!("delete grant {role} → {coll}"));
            }
        }
        Ok(())
    }

    fn report_action(&mut self, role: &str, coll: &str, a: &Value) {
        let name = str_at(a, "name").unwrap_or_default();
        let path = format!("roles.{role}.resources.{coll}.actions.{name}");
        const NOT_GRANTED: &str = "kept; flowgate does not grant this action";
        if !support::GRANT_ACTIONS.contains(&name) {
            self.report(
                Severity::Unsupported,
                Kind::Grant,
                &path,
                format!("action {name}"),
                "kept; unknown to flowgate",
            );
        } else if a
            .get("fields")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty())
        {
            self.report(
                Severity::Unsupported,
                Kind::Grant,
                &path,
                "field-level permission",
                NOT_GRANTED,
            );
        } else if a
            .get("scope")
            .is_some_and(|s| !s.is_null() && s != "all" && s != "own")
        {
            self.report(
                Severity::Unsupported,
                Kind::Grant,
                &path,
                "custom scope",
                NOT_GRANTED,
            );
        }
    }

    // ---- workflows

    fn workflows(&mut self, ch: &mut Change, workflows: &[Value]) -> Result<()> {
        let mut named = HashSet::new();
        for w in workflows {
            let key = str_at(w, "key").unwrap_or_default().to_string();
            named.insert(key.clone());
            self.env_warnings(&key, w);
            let path = format!("workflows.{key}");
            self.at = path.clone();
            let problems = self.workflow_problems(ch, w, &key);
            if let Some(reason) = problems.first() {
                let definition = Value::Object(without(w, &["history"]));
                self.keep(ch.conn, "workflow", &path, 0, &definition, reason)?;
                if let Some(cur) = wf_repo::current_of(ch.conn, &key)?.filter(|c| c.enabled) {
                    wf_repo::set_enabled(ch.conn, cur.id, false)?;
                    self.change(format!(
                        "disable workflow {key} (its document version is not runnable)"
                    ));
                }
                continue;
            }
            self.unkeep(ch.conn, "workflow", &path)?;
            self.workflow(ch.conn, w, &key)?;
        }
        if self.replace {
            let keys: HashSet<String> = wf_repo::all_versions(ch.conn)?
                .into_iter()
                .map(|w| w.key)
                .collect();
            for key in keys.iter().filter(|k| !named.contains(*k)) {
                wf_repo::delete_key(ch.conn, key)?;
                self.change(format!("delete workflow {key} (--replace)"));
            }
            for k in kept_repo::all(ch.conn)?
                .into_iter()
                .filter(|k| k.kind == "workflow")
            {
                let key = k
                    .definition
                    .get("key")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if !named.contains(key) {
                    self.unkeep(ch.conn, "workflow", &k.path)?;
                }
            }
        }
        Ok(())
    }

    /// `{{$env.NAME}}` references: flowgate reads FLOWGATE_ENV_NAME (§6.1).
    fn env_warnings(&mut self, key: &str, w: &Value) {
        let text = w.to_string();
        let mut seen = Vec::new();
        for part in text.split("$env.").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !seen.contains(&name) {
                self.report(
                    Severity::Warning,
                    Kind::Workflow,
                    &format!("workflows.{key}"),
                    format!("$env.{name}"),
                    &format!("set FLOWGATE_ENV_{name} on flowgate"),
                );
                seen.push(name);
            }
        }
    }

    /// Why flowgate cannot run the workflow (each also reported); empty when it can. The first reason is
    /// what the trigger answers (`uses node type "aggregate"`).
    fn workflow_problems(&mut self, ch: &Change, w: &Value, key: &str) -> Vec<String> {
        let path = format!("workflows.{key}");
        let mut reasons = Vec::new();
        let ty = str_at(w, "type").unwrap_or_default();
        let sync = w.get("sync").and_then(Value::as_bool).unwrap_or(false);
        if !support::trigger_supported(ty) {
            self.report(
                Severity::Unsupported,
                Kind::Workflow,
                &path,
                format!("trigger type {ty}"),
                "kept for export and push; not runnable",
            );
            reasons.push(format!("trigger type \"{ty}\""));
        } else {
            let config = w.get("config").cloned().unwrap_or(json!({}));
            let entries = crate::workflow::api::validate_config(ty, &config, &ch.schema);
            if !entries.is_empty() {
                let msgs: Vec<String> = entries.iter().map(|e| e.message.to_string()).collect();
                let what = format!("trigger config: {}", msgs.join("; "));
                self.report(
                    Severity::Unsupported,
                    Kind::Workflow,
                    &path,
                    what.clone(),
                    "kept for export and push; not runnable",
                );
                reasons.push(what);
            }
        }
        let list = array_at(w, "nodes");
        for n in list {
            let nkey = str_at(n, "key").unwrap_or_default();
            let kind = str_at(n, "type").unwrap_or_default();
            let config = n
                .get("config")
                .filter(|c| !c.is_null())
                .cloned()
                .unwrap_or(json!({}));
            let what = node_problem(ch, kind, &config, sync).or_else(|| branch_problem(list, n));
            if let Some(what) = what {
                self.report(
                    Severity::Unsupported,
                    Kind::Node,
                    &format!("{path}.nodes.{nkey}"),
                    what.clone(),
                    "workflow kept; not runnable",
                );
                let quoted = format!("node type \"{kind}\"");
                reasons.push(if what == format!("node type {kind}") {
                    quoted
                } else {
                    what
                });
            }
        }
        reasons
    }

    /// Applies a runnable workflow by flowgate's version rules (§5.4).
    fn workflow(&mut self, c: &Connection, w: &Value, key: &str) -> Result<()> {
        let doc_nodes: Vec<Value> = array_at(w, "nodes").iter().map(node_shape).collect();
        let new = NewWorkflow {
            key: None,
            title: str_at(w, "title").map(str::to_string),
            description: str_at(w, "description").map(str::to_string),
            config: w
                .get("config")
                .filter(|c| !c.is_null())
                .cloned()
                .unwrap_or(json!({})),
            enabled: w.get("enabled").and_then(Value::as_bool).unwrap_or(false),
            sync: w.get("sync").and_then(Value::as_bool).unwrap_or(false),
            options: w
                .get("options")
                .filter(|c| !c.is_null())
                .cloned()
                .unwrap_or(json!({})),
        };
        let kind = str_at(w, "type").unwrap_or_default();
        let extra = without(
            w,
            &[
                "key",
                "title",
                "description",
                "type",
                "config",
                "options",
                "enabled",
                "sync",
                "nodes",
                "history",
                "current",
            ],
        );
        let extra = (!extra.is_empty()).then_some(Value::Object(extra));
        let Some(cur) = wf_repo::current_of(c, key)? else {
            self.new_version(c, key, kind, &new, extra.as_ref(), &doc_nodes)?;
            self.change(format!("create workflow {key}"));
            return Ok(());
        };
        let now_nodes = export::preorder(&wf_repo::nodes(c, cur.id)?);
        let body_differs = cur.config != new.config || now_nodes != doc_nodes;
        if cur.kind != kind || cur.sync != new.sync || (body_differs && cur.executed > 0) {
            self.new_version(c, key, kind, &new, extra.as_ref(), &doc_nodes)?;
            self.change(format!("new version of workflow {key}"));
            return Ok(());
        }
        let mut changed = false;
        if body_differs {
            wf_repo::set_config(c, cur.id, &new.config)?;
            for n in wf_repo::nodes(c, cur.id)? {
                wf_repo::delete_node(c, n.id)?;
            }
            insert_nodes(c, cur.id, &doc_nodes)?;
            changed = true;
        }
        if cur.title != new.title || cur.description != new.description {
            wf_repo::set_text(c, cur.id, wf_repo::Text::Title, new.title.as_deref())?;
            wf_repo::set_text(
                c,
                cur.id,
                wf_repo::Text::Description,
                new.description.as_deref(),
            )?;
            changed = true;
        }
        if cur.options != new.options {
            wf_repo::set_options(c, cur.id, &new.options)?;
            changed = true;
        }
        if cur.enabled != new.enabled {
            wf_repo::set_enabled(c, cur.id, new.enabled)?;
            changed = true;
        }
        if wf_repo::extra(c, cur.id)? != extra {
            wf_repo::set_extra(c, cur.id, extra.as_ref())?;
            changed = true;
        }
        if changed {
            wf_repo::touch(c, cur.id, None)?;
            self.change(format!("update workflow {key}"));
        }
        Ok(())
    }

    /// A new version of `key` with the document's nodes, made current with the document's `enabled`
    /// (the key's other versions keep their executions).
    fn new_version(
        &mut self,
        c: &Connection,
        key: &str,
        kind: &str,
        new: &NewWorkflow,
        extra: Option<&Value>,
        nodes: &[Value],
    ) -> Result<()> {
        let id = wf_repo::insert(c, key, kind, new, false, None)?;
        wf_repo::set_extra(c, id, extra)?;
        insert_nodes(c, id, nodes)?;
        let made: Workflow = wf_repo::get(c, id)?
            .ok_or_else(|| crate::error::Error::internal("workflow version vanished"))?;
        wf_repo::make_current(c, &made)?;
        wf_repo::set_enabled(c, id, new.enabled)
    }
}

/// Where a document field lands (§5.2): system records, unsupported types and names are kept.
fn landing(f: &Value) -> Landing {
    let name = str_at(f, "name").unwrap_or_default();
    let kept = |sev: Severity, what: String, effect: &str| Landing::Kept {
        reason: what.clone(),
        reported: Some((sev, what, effect.to_string())),
    };
    let kind = support::field_kind(f);
    if !matches!(kind, FieldKind::System | FieldKind::Skipped) {
        if let Err(e) = names::check_identifier(name) {
            return kept(
                Severity::Unsupported,
                format!("name {name} ({})", e.message()),
                UNSUPPORTED_FIELD,
            );
        }
        if names::is_reserved_field(name) {
            return kept(
                Severity::Unsupported,
                format!("name {name} (reserved in flowgate)"),
                UNSUPPORTED_FIELD,
            );
        }
    }
    let title = f.pointer("/uiSchema/title").and_then(Value::as_str);
    match kind {
        FieldKind::System => Landing::Kept {
            reason: "system field".into(),
            reported: None,
        },
        FieldKind::Skipped => Landing::Kept {
            reason: format!("field type {}", str_at(f, "type").unwrap_or_default()),
            reported: None,
        },
        FieldKind::Unsupported(what) => kept(Severity::Unsupported, what, UNSUPPORTED_FIELD),
        FieldKind::Scalar(t) => {
            let mut def = json!({"name": name, "type": t.as_str()});
            for k in ["allowNull", "unique", "index", "defaultValue"] {
                if let Some(v) = f.get(k).filter(|v| !v.is_null()) {
                    def[k] = v.clone();
                }
            }
            if let Some(t) = title {
                def["title"] = json!(t);
            }
            let fk = f.get("isForeignKey") == Some(&json!(true));
            Landing::Scalar { def, fk }
        }
        FieldKind::Association(ty) => {
            let mut def = json!({"name": name, "type": ty});
            for k in export::KEY_NAMES {
                if let Some(v) = f.get(k).filter(|v| !v.is_null()) {
                    def[k] = v.clone();
                }
            }
            if let Some(t) = title {
                def["title"] = json!(t);
            }
            Landing::Association(def)
        }
    }
}

/// Why a collection is kept whole instead of made (§6.1), if it is.
fn collection_problem(c: &Value, name: &str) -> Option<String> {
    if c.get("isThrough") == Some(&json!(true)) {
        return Some("through table (flowgate makes it with its belongsToMany)".into());
    }
    if let Some(t) =
        str_at(c, "template").filter(|t| ["view", "sql", "file", "inherit"].contains(t))
    {
        return Some(format!("collection template {t}"));
    }
    if c.get("view") == Some(&json!(true)) || c.get("sql").is_some_and(|s| !s.is_null()) {
        return Some("view or sql collection".into());
    }
    if c.get("inherits")
        .is_some_and(|i| i.as_array().map_or(!i.is_null(), |a| !a.is_empty()))
    {
        return Some("inherited collection".into());
    }
    if let Err(e) = names::check_identifier(name) {
        return Some(format!("name {name} ({})", e.message()));
    }
    if names::is_reserved_collection(name) {
        return Some(format!("name {name} (reserved in flowgate)"));
    }
    None
}

/// What flowgate cannot run of a node: its type or its config (also checked against the collections).
fn node_problem(ch: &Change, kind: &str, config: &Value, sync: bool) -> Option<String> {
    if let Some(p) = support::node_problem(kind, config, sync) {
        return Some(p);
    }
    let typed = nodes::parse(kind, config).ok()?;
    // An expression every run of which fails is refused when a node is authored (nodes:create), not
    // here: the document's node fails on flowgate exactly as it does where it came from.
    let entries: Vec<_> = typed
        .check_schema(&ch.schema)
        .into_iter()
        .filter(|e| e.extra.get("field").and_then(Value::as_str) != Some("expression"))
        .collect();
    if entries.is_empty() {
        return None;
    }
    let msgs: Vec<String> = entries.iter().map(|e| e.message.to_string()).collect();
    Some(format!("node config of type {kind}: {}", msgs.join("; ")))
}

/// A branch head whose `branchIndex` its branching node does not have.
fn branch_problem(list: &[Value], n: &Value) -> Option<String> {
    let index = n.get("branchIndex").and_then(Value::as_i64)?;
    let up = str_at(n, "upstream")?;
    let parent = list.iter().find(|p| str_at(p, "key") == Some(up))?;
    let kind = str_at(parent, "type").unwrap_or_default();
    let config = parent.get("config").cloned().unwrap_or(json!({}));
    (!support::has_branch(kind, &config, index))
        .then(|| format!("branchIndex {index} under a node of type {kind}"))
}

/// A document node in the shape export gives (so equal nodes compare equal).
fn node_shape(n: &Value) -> Value {
    json!({"key": n.get("key"), "type": n.get("type"), "title": n.get("title").cloned().unwrap_or(Value::Null),
           "config": n.get("config").filter(|c| !c.is_null()).cloned().unwrap_or(json!({})),
           "upstream": n.get("upstream").cloned().unwrap_or(Value::Null),
           "branchIndex": n.get("branchIndex").cloned().unwrap_or(Value::Null)})
}

/// Inserts nodes given in pre-order and links them: a chain node is its upstream's downstream, a branch
/// head hangs off its branching node by index.
fn insert_nodes(c: &Connection, workflow_id: i64, list: &[Value]) -> Result<()> {
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut links: Vec<(i64, Links)> = Vec::new();
    for n in list {
        let key = str_at(n, "key").unwrap_or_default();
        let branch = n.get("branchIndex").and_then(Value::as_i64);
        let config = n.get("config").cloned().unwrap_or(json!({}));
        let id = wf_repo::insert_node(
            c,
            &NewNode {
                key,
                workflow_id,
                branch_index: branch,
                kind: str_at(n, "type").unwrap_or_default(),
                title: str_at(n, "title"),
                config: &config,
            },
        )?;
        let upstream = str_at(n, "upstream").and_then(|u| ids.get(u).copied());
        if let (Some(u), None) = (upstream, branch) {
            if let Some((_, l)) = links.iter_mut().find(|(i, _)| *i == u) {
                l.downstream = Some(id);
            }
        }
        links.push((
            id,
            Links {
                upstream,
                downstream: None,
                branch,
            },
        ));
        ids.insert(key.to_string(), id);
    }
    for (id, l) in links {
        wf_repo::set_links(c, id, l)?;
    }
    Ok(())
}
