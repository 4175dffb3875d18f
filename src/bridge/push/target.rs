//! What the target NocoBase holds, as push reads it (bridge.md §3.1: the calls of §2.2 including 5′),
//! indexed by the names and keys the document uses, with the server ids push needs to address objects.
//! The raw rows are kept; `lean` gives an object the way the document would hold it.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The target's answers to the reads of §2.2, each the `data` array of its list call.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    pub collections: Vec<Value>,
    pub roles: Vec<Value>,
    /// per role name (root excluded): its `roles/<role>/resources:list` rows
    pub grants: Vec<(String, Vec<Value>)>,
    pub scopes: Vec<Value>,
    /// every version of every key (call 5′), with `nodes`, `versionStats`, `stats`
    pub workflows: Vec<Value>,
    /// the rows of the collections whose rows the document holds (`export --records`)
    pub rows: Vec<(String, Vec<Value>)>,
    /// the target is a flowgate: grants name their scope (`"all"`, `"own"`), there are no scope rows
    pub flowgate: bool,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub collections: HashMap<String, Value>,
    pub roles: HashMap<String, Value>,
    pub grants: HashMap<String, Vec<Value>>,
    pub scopes: Vec<Value>,
    pub rows: HashMap<String, Vec<Value>>,
    pub flowgate: bool,
    /// per key, every version, oldest first
    pub workflows: HashMap<String, Vec<Value>>,
    /// names in the target's order, for `extra` lines
    pub collection_names: Vec<String>,
    pub role_names: Vec<String>,
    pub workflow_keys: Vec<String>,
}

impl Target {
    pub fn new(mut reads: Reads) -> Target {
        if reads.flowgate {
            reads.collections = reads
                .collections
                .iter()
                .map(as_nocobase_would_hold)
                .collect();
        }
        let collection_names: Vec<String> = reads
            .collections
            .iter()
            .map(|c| str_at(c, "name").to_string())
            .collect();
        let role_names: Vec<String> = reads
            .roles
            .iter()
            .map(|r| str_at(r, "name").to_string())
            .collect();
        let mut workflow_keys = Vec::new();
        let mut workflows: HashMap<String, Vec<Value>> = HashMap::new();
        let mut versions = reads.workflows;
        versions.sort_by_key(|w| w.get("id").and_then(Value::as_i64).unwrap_or(0));
        for w in versions {
            let key = str_at(&w, "key").to_string();
            if !workflows.contains_key(&key) {
                workflow_keys.push(key.clone());
            }
            workflows.entry(key).or_default().push(w);
        }
        Target {
            collections: reads
                .collections
                .into_iter()
                .map(|c| (str_at(&c, "name").to_string(), c))
                .collect(),
            roles: reads
                .roles
                .into_iter()
                .map(|r| (str_at(&r, "name").to_string(), r))
                .collect(),
            grants: reads.grants.into_iter().collect(),
            scopes: reads.scopes,
            rows: reads.rows.into_iter().collect(),
            flowgate: reads.flowgate,
            workflows,
            collection_names,
            role_names,
            workflow_keys,
        }
    }

    pub fn field<'a>(&'a self, collection: &str, field: &str) -> Option<&'a Value> {
        fields_of(self.collections.get(collection)?)
            .iter()
            .find(|f| str_at(f, "name") == field)
    }

    /// The current version of `key` (`current: true`).
    pub fn current(&self, key: &str) -> Option<&Value> {
        self.workflows
            .get(key)?
            .iter()
            .find(|w| w.get("current").and_then(Value::as_bool) == Some(true))
    }

    /// The id of a built-in scope (`all`, `own`: `resourceName` null) on the target.
    pub fn builtin_scope(&self, key: &str) -> Option<i64> {
        self.scopes
            .iter()
            .find(|s| str_at(s, "key") == key && s.get("resourceName").map_or(true, Value::is_null))
            .and_then(|s| s.get("id")?.as_i64())
    }

    /// A custom scope of `resource` with `key`.
    pub fn custom_scope(&self, resource: &str, key: &str) -> Option<i64> {
        self.scopes
            .iter()
            .find(|s| str_at(s, "key") == key && str_at(s, "resourceName") == resource)
            .and_then(|s| s.get("id")?.as_i64())
    }
}

/// A system collection on the target: defined by a plugin (`origin`) or loaded from the database
/// (`from: "db2cm"`), §2.3.
pub fn is_system(collection: &Value) -> bool {
    collection.get("origin").is_some_and(|o| !o.is_null()) || str_at(collection, "from") == "db2cm"
}

pub fn fields_of(collection: &Value) -> &[Value] {
    collection
        .get("fields")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub use crate::bridge::lean;

pub fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub fn id_of(v: &Value) -> Option<i64> {
    v.get("id").and_then(Value::as_i64)
}

/// Whether a version has run: only `versionStats.executed` says so on NocoBase (`executed` stays 0,
/// §2.5); a server without that append is read by `executed`.
pub fn frozen(version: &Value) -> bool {
    let by_stats = version
        .get("versionStats")
        .and_then(|s| s.get("executed"))
        .and_then(Value::as_i64);
    by_stats
        .or_else(|| version.get("executed").and_then(Value::as_i64))
        .unwrap_or(0)
        > 0
}

/// A grant action the way the document holds it: `{name, fields?, scope?}` with `scope` `"all"`,
/// `"own"` or the custom scope object, `fields` sorted and dropped when empty.
pub fn grant_action(raw: &Value) -> Value {
    let mut out = Map::new();
    out.insert(
        "name".into(),
        raw.get("name").cloned().unwrap_or(Value::Null),
    );
    if let Some(Value::Array(fields)) = raw.get("fields") {
        if !fields.is_empty() {
            let mut fields = fields.clone();
            fields.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            out.insert("fields".into(), Value::Array(fields));
        }
    }
    if let Some(named @ Value::String(_)) = raw.get("scope") {
        out.insert("scope".into(), named.clone()); // a flowgate's grant
    } else if let Some(scope) = raw.get("scope").filter(|s| s.is_object()) {
        let builtin = scope.get("resourceName").map_or(true, Value::is_null);
        let key = str_at(scope, "key");
        if builtin && (key == "all" || key == "own") {
            out.insert("scope".into(), Value::String(key.to_string()));
        } else {
            let custom = lean(scope, &["id", "dataSourceKey", "createdAt", "updatedAt"]);
            out.insert("scope".into(), Value::Object(custom));
        }
    }
    Value::Object(out)
}

/// A flowgate's collection the way the document holds it (bridge.md §2.6): its system fields (`system:
/// true`) dropped and the five flags set instead, and field types in NocoBase's words (a flowgate
/// `datetime` is NocoBase's `date`, a flowgate `date` its `dateOnly`).
fn as_nocobase_would_hold(c: &Value) -> Value {
    let mut c = c.clone();
    for flag in [
        "autoGenId",
        "createdAt",
        "updatedAt",
        "createdBy",
        "updatedBy",
    ] {
        c[flag] = Value::Bool(true);
    }
    if let Some(Value::Array(fields)) = c.get_mut("fields") {
        fields.retain(|f| f.get("system").and_then(Value::as_bool) != Some(true));
        for f in fields.iter_mut() {
            let ty = f
                .get("type")
                .and_then(Value::as_str)
                .and_then(crate::collections::registry::ScalarType::parse);
            if let Some(t) = ty {
                f["type"] = Value::String(crate::bridge::support::nocobase_type(t).to_string());
            }
        }
    }
    c
}

/// A field type of the document in a flowgate's words, for writing to a flowgate target.
pub fn flowgate_type(nocobase: &str) -> &str {
    match nocobase {
        "date" => "datetime",
        "dateOnly" => "date",
        "jsonb" => "json",
        other => other,
    }
}
