//! query, create, update, destroy: record operations through the records layer (collections issue),
//! each in its own transaction, committed as it runs (nothing is rolled back later; kept from NocoBase).

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{invalid, Instruction, Step};
use crate::collections::records::{self, ReadOptions};
use crate::collections::{Collection, Schema};
use crate::error::Entry;
use crate::action::Page;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct Query;
pub struct Create;
pub struct Update;
pub struct Destroy;

/// Resolves `config.collection` (`posts` or `main:posts`) against the registry.
fn resolve(schema: &Schema, config: &Value) -> Result<Arc<Collection>, String> {
    let Some(name) = config.get("collection").and_then(Value::as_str).filter(|s| !s.is_empty()) else {
        return Err("Collection is not configured".into());
    };
    let name = match name.split_once(':') {
        Some(("main", n)) => n,
        Some((ds, _)) => return Err(format!("Data source \"{ds}\" does not exist")),
        None => name,
    };
    schema
        .get(name)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| format!("Collection \"{name}\" does not exist in data source \"main\""))
}

fn validate_collection(config: &Value, schema: &Schema) -> Vec<Entry> {
    match resolve(schema, config) {
        Ok(_) => Vec::new(),
        Err(e) => vec![invalid("collection", e)],
    }
}

fn params(config: &Value) -> &Value {
    config.get("params").unwrap_or(&Value::Null)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

/// A rendered filter: an object, or `{}` when absent.
fn filter(p: &Processor, config: &Value) -> Value {
    match p.render(params(config).get("filter").unwrap_or(&Value::Null)) {
        Value::Object(m) => Value::Object(m),
        _ => json!({}),
    }
}

fn values(p: &Processor, config: &Value) -> Map<String, Value> {
    match p.render(params(config).get("values").unwrap_or(&Value::Null)) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn positive(v: Option<&Value>, default: u64) -> u64 {
    v.and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))).filter(|n| *n > 0).unwrap_or(default)
}

impl Instruction for Query {
    fn validate(&self, config: &Value, schema: &Schema) -> Vec<Entry> {
        validate_collection(config, schema)
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let schema = p.app.registry.snapshot();
        let coll = match resolve(&schema, &node.config) {
            Ok(c) => c,
            Err(e) => return Step::error(e),
        };
        let prm = params(&node.config);
        let multiple = node.config.get("multiple").and_then(Value::as_bool).unwrap_or(false);
        let sort = prm
            .get("sort")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|s| {
                        let field = s.get("field")?.as_str()?;
                        let desc = s.get("direction").and_then(Value::as_str) == Some("desc");
                        Some(if desc { format!("-{field}") } else { field.to_string() })
                    })
                    .collect()
            })
            .unwrap_or_default();
        // A single result is the first row of the page (kept: NocoBase's findOne keeps the page's offset).
        let page = Page { page: positive(prm.get("page"), 1), page_size: positive(prm.get("pageSize"), 20) };
        let opts = ReadOptions {
            filter: Some(filter(p, &node.config)),
            appends: strings(prm.get("appends")),
            sort,
            page: Some(page),
            ..ReadOptions::default()
        };
        let rows = match p.app.store.read(|c| records::list(c, &schema, &coll, &opts)) {
            Ok((rows, _)) => rows,
            Err(e) => return Step::error(e.message()),
        };
        let fail_on_empty = node.config.get("failOnEmpty").and_then(Value::as_bool).unwrap_or(false);
        let result = if multiple { Value::Array(rows.clone()) } else { rows.first().cloned().unwrap_or(Value::Null) };
        if rows.is_empty() && fail_on_empty {
            return Step::with_status(status::FAILED, result);
        }
        Step::resolved(result)
    }
}

/// Runs `op` on the node's collection; a missing collection or a failed operation is a job ERROR.
fn on_collection(p: &Processor, node: &Node, op: impl FnOnce(&Schema, &Collection) -> crate::error::Result<Value>) -> Step {
    let schema = p.app.registry.snapshot();
    match resolve(&schema, &node.config) {
        Err(e) => Step::error(e),
        Ok(coll) => match op(&schema, &coll) {
            Ok(v) => Step::resolved(v),
            Err(e) => Step::error(e.message()),
        },
    }
}

impl Instruction for Create {
    fn validate(&self, config: &Value, schema: &Schema) -> Vec<Entry> {
        validate_collection(config, schema)
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let vals = values(p, &node.config);
        let appends = strings(params(&node.config).get("appends"));
        on_collection(p, node, |schema, coll| {
            p.app.store.write(|c| {
                let rec = records::create(c, schema, coll, &vals, None)?;
                match (appends.is_empty(), rec.get("id").and_then(Value::as_i64)) {
                    (false, Some(id)) => Ok(records::get(c, schema, coll, id, &appends, None)?.unwrap_or(rec)),
                    _ => Ok(rec),
                }
            })
        })
    }
}

impl Instruction for Update {
    fn validate(&self, config: &Value, schema: &Schema) -> Vec<Entry> {
        validate_collection(config, schema)
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let f = filter(p, &node.config);
        let vals = values(p, &node.config);
        on_collection(p, node, |schema, coll| {
            let ids = p.app.store.write(|c| records::update(c, schema, coll, &f, &vals, None, None))?;
            Ok(json!(ids.len()))
        })
    }
}

impl Instruction for Destroy {
    fn validate(&self, config: &Value, schema: &Schema) -> Vec<Entry> {
        validate_collection(config, schema)
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let f = filter(p, &node.config);
        on_collection(p, node, |schema, coll| Ok(json!(p.app.store.write(|c| records::destroy(c, schema, coll, &f, None))?)))
    }
}
