//! query, create, update, destroy: record operations through the records layer (collections issue),
//! each in its own transaction, committed as it runs (nothing is rolled back later; kept from NocoBase).

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{invalid, lenient, Field, Instruction, ObjectOnly, Step, Strings};
use crate::action::Page;
use crate::collections::records::{self, ReadOptions};
use crate::collections::{Collection, Schema};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Query;
pub struct Create;
pub struct Update;
pub struct Destroy;

/// The config of query. `params` that is no object reads as empty params (kept).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QueryConfig {
    pub collection: Field<String>,
    #[serde(deserialize_with = "lenient")]
    pub multiple: bool,
    #[serde(deserialize_with = "lenient")]
    pub fail_on_empty: bool,
    #[serde(deserialize_with = "lenient")]
    pub params: QueryParams,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QueryParams {
    /// A template.
    pub filter: Value,
    pub appends: Strings,
    /// Items without a string `field` are left out.
    #[serde(deserialize_with = "lenient")]
    pub sort: Vec<Field<Sort>>,
    /// 1 when absent or not a positive integer.
    #[serde(deserialize_with = "lenient")]
    pub page: Option<Positive>,
    /// 20 when absent or not a positive integer.
    #[serde(deserialize_with = "lenient")]
    pub page_size: Option<Positive>,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

#[derive(Debug, Deserialize)]
pub struct Sort {
    pub field: String,
    /// `desc`, or ascending.
    #[serde(default, deserialize_with = "lenient")]
    pub direction: String,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

/// A positive integer, given as a number or as a numeric string.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(try_from = "Value")]
pub struct Positive(u64);

impl TryFrom<Value> for Positive {
    type Error = String;
    fn try_from(v: Value) -> Result<Positive, String> {
        let n = v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
        n.filter(|n| *n > 0)
            .map(Positive)
            .ok_or_else(|| format!("{v} is not a positive integer"))
    }
}

/// The config of create, update and destroy: each reads the params it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WriteConfig {
    pub collection: Field<String>,
    #[serde(deserialize_with = "lenient")]
    pub params: WriteParams,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WriteParams {
    /// A template (update, destroy).
    pub filter: Value,
    /// A template (create, update).
    pub values: Value,
    /// Read back with the created record (create).
    pub appends: Strings,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

/// Resolves `collection` (`posts` or `main:posts`) against the registry.
pub(super) fn resolve(
    schema: &Schema,
    collection: &Field<String>,
) -> Result<Arc<Collection>, String> {
    let Some(name) = collection.get().filter(|s| !s.is_empty()) else {
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

fn check_collection(collection: &Field<String>, schema: &Schema) -> Vec<Entry> {
    match resolve(schema, collection) {
        Ok(_) => Vec::new(),
        Err(e) => vec![invalid("collection", e)],
    }
}

/// A rendered filter: an object, or `{}` when absent.
pub(super) fn filter(p: &Processor, filter: &Value) -> Value {
    match p.render(filter) {
        Value::Object(m) => Value::Object(m),
        _ => json!({}),
    }
}

fn values(p: &Processor, values: &Value) -> Map<String, Value> {
    match p.render(values) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl QueryParams {
    /// `-field` for descending, as the records layer takes it.
    fn sort(&self) -> Vec<String> {
        let items = self.sort.iter().filter_map(Field::get);
        items
            .map(|s| {
                if s.direction == "desc" {
                    format!("-{}", s.field)
                } else {
                    s.field.clone()
                }
            })
            .collect()
    }

    /// A single result is the first row of the page (kept: NocoBase's findOne keeps the page's offset).
    fn page(&self) -> Page {
        Page {
            page: self.page.map_or(1, |p| p.0),
            page_size: self.page_size.map_or(20, |p| p.0),
        }
    }
}

impl Instruction for Query {
    type Config = QueryConfig;

    fn check_schema(&self, config: &QueryConfig, schema: &Schema) -> Vec<Entry> {
        check_collection(&config.collection, schema)
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &QueryConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let schema = p.app.registry.snapshot();
        let coll = match resolve(&schema, &config.collection) {
            Ok(c) => c,
            Err(e) => return Step::error(e),
        };
        let prm = &config.params;
        let opts = ReadOptions {
            filter: Some(filter(p, &prm.filter)),
            appends: prm.appends.0.clone(),
            sort: prm.sort(),
            page: Some(prm.page()),
            ..ReadOptions::default()
        };
        let rows = match p.read(|c| records::list(c, &schema, &coll, &opts)) {
            Ok((rows, _)) => rows,
            Err(e) => return Step::error(e.cause()),
        };
        let result = if config.multiple {
            Value::Array(rows.clone())
        } else {
            rows.first().cloned().unwrap_or(Value::Null)
        };
        if rows.is_empty() && config.fail_on_empty {
            return Step::with_status(JobStatus::Failed, result);
        }
        Step::resolved(result)
    }
}

/// Runs `op` on the node's collection; a missing collection or a failed operation is a job ERROR.
/// The job result names the cause of an internal failure (e.g. SQLite's message), not only
/// "Internal Server Error": the execution is where an administrator looks for why the run failed.
fn on_collection(
    p: &Processor,
    config: &WriteConfig,
    op: impl FnOnce(&Schema, &Collection) -> crate::error::Result<Value>,
) -> Step {
    let schema = p.app.registry.snapshot();
    match resolve(&schema, &config.collection) {
        Err(e) => Step::error(e),
        Ok(coll) => match op(&schema, &coll) {
            Ok(v) => Step::resolved(v),
            Err(e) => Step::error(e.cause()),
        },
    }
}

impl Instruction for Create {
    type Config = WriteConfig;

    fn check_schema(&self, config: &WriteConfig, schema: &Schema) -> Vec<Entry> {
        check_collection(&config.collection, schema)
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &WriteConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let vals = values(p, &config.params.values);
        let appends = &config.params.appends.0;
        on_collection(p, config, |schema, coll| {
            p.write(|c| {
                let rec = records::create(c, schema, coll, &vals, None, &p.origin())?;
                match (appends.is_empty(), rec.get("id").and_then(Value::as_i64)) {
                    (false, Some(id)) => {
                        Ok(records::get(c, schema, coll, id, appends, None)?.unwrap_or(rec))
                    }
                    _ => Ok(rec),
                }
            })
        })
    }
}

impl Instruction for Update {
    type Config = WriteConfig;

    fn check_schema(&self, config: &WriteConfig, schema: &Schema) -> Vec<Entry> {
        check_collection(&config.collection, schema)
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &WriteConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let f = filter(p, &config.params.filter);
        let vals = values(p, &config.params.values);
        on_collection(p, config, |schema, coll| {
            let ids =
                p.write(|c| records::update(c, schema, coll, &f, &vals, None, None, &p.origin()))?;
            Ok(json!(ids.len()))
        })
    }
}

impl Instruction for Destroy {
    type Config = WriteConfig;

    fn check_schema(&self, config: &WriteConfig, schema: &Schema) -> Vec<Entry> {
        check_collection(&config.collection, schema)
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &WriteConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let f = filter(p, &config.params.filter);
        on_collection(p, config, |schema, coll| {
            Ok(json!(p.write(|c| records::destroy(
                c,
                schema,
                coll,
                &f,
                None,
                &p.origin()
            ))?))
        })
    }
}
