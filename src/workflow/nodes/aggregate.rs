//! aggregate (triggers-and-nodes.md §7): count, sum, avg, min or max of one field over the rows a filter
//! matches, or over the rows of one record's association; rounded to `precision` decimals, 0 over no rows.
//! The SQL is the records layer's (`records::aggregate`): the filter compiled with bound values, the
//! column named from the registry.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::collection_ops::{filter, resolve};
use super::{invalid, js_number, Field, Instruction, ObjectOnly, Step};
use crate::collections::filter as filters;
use crate::collections::records::{self, Aggregator, Link};
use crate::collections::registry::Field as RegField;
use crate::collections::sql::SqlValue;
use crate::collections::{Collection, Schema};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};
use crate::workflow::num::{parse_number, round_half_away};

pub struct Aggregate;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AggregateConfig {
    /// Not required (kept): an absent aggregator fails the job.
    pub aggregator: Field<String>,
    pub collection: Field<String>,
    pub associated: Field<bool>,
    /// Only with `associated: true`; `null` is allowed either way.
    pub association: Field<Option<Association>>,
    pub params: Field<Params>,
    /// 0…14, default 2.
    pub precision: Field<serde_json::Number>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Association {
    pub associated_collection: Field<String>,
    pub name: Field<String>,
    /// A template: the id of the record whose association is aggregated.
    pub associated_key: Field<Value>,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Params {
    pub field: Field<String>,
    /// A template; an object or `null`.
    pub filter: Field<Option<serde_json::Map<String, Value>>>,
    /// `COUNT(DISTINCT field)` and the like.
    pub distinct: Field<bool>,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

impl AggregateConfig {
    fn associated(&self) -> bool {
        self.associated.get() == Some(&true)
    }

    fn association(&self) -> Option<&Association> {
        self.association.get().and_then(Option::as_ref)
    }

    fn precision(&self) -> i32 {
        self.precision
            .get()
            .and_then(serde_json::Number::as_i64)
            .map_or(2, |p| p.clamp(0, 14) as i32)
    }
}

impl Instruction for Aggregate {
    type Config = AggregateConfig;

    fn check(&self, c: &AggregateConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        let names = Aggregator::NAMES.join(", ");
        if c.aggregator
            .get()
            .is_some_and(|a| Aggregator::parse(a).is_none())
            || matches!(c.aggregator, Field::Invalid)
        {
            out.push(invalid(
                "aggregator",
                format!("\"aggregator\" must be one of [{names}]"),
            ));
        }
        c.collection
            .check("collection", "\"collection\" must be a string", &mut out);
        c.associated
            .check("associated", "\"associated\" must be a boolean", &mut out);
        check_association(c, &mut out);
        check_params(&c.params, &mut out);
        check_precision(&c.precision, &mut out);
        out
    }

    /// flowgate checks the collections at creation (§13); NocoBase finds an unknown one at run time.
    fn check_schema(&self, c: &AggregateConfig, schema: &Schema) -> Vec<Entry> {
        let target = match c.association().filter(|_| c.associated()) {
            Some(a) => association_target(schema, a)
                .map(|_| ())
                .map_err(|(f, e)| invalid(f, e)),
            None => resolve(schema, &c.collection)
                .map(|_| ())
                .map_err(|e| invalid("collection", e)),
        };
        target.err().into_iter().collect()
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        c: &AggregateConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        match aggregate(p, c) {
            Ok(v) => Step::resolved(v),
            Err(e) => Step::error(e),
        }
    }
}

fn check_association(c: &AggregateConfig, out: &mut Vec<Entry>) {
    if !c.associated() {
        if c.association().is_some() || matches!(c.association, Field::Invalid) {
            out.push(invalid("association", "\"association\" is not allowed"));
        }
        return;
    }
    let Some(a) = c.association() else {
        out.push(invalid("association", "\"association\" is required"));
        return;
    };
    let required = |f: &Field<String>, key: &str, out: &mut Vec<Entry>| {
        let field = format!("association.{key}");
        f.require(&field, &format!("\"{field}\" is required"), out);
    };
    required(&a.associated_collection, "associatedCollection", out);
    required(&a.name, "name", out);
    let key = a.associated_key.get();
    if !key.is_some_and(|k| k.is_string() || k.is_number()) {
        let field = "association.associatedKey";
        out.push(invalid(field, format!("\"{field}\" is required")));
    }
}

fn check_params(params: &Field<Params>, out: &mut Vec<Entry>) {
    let Field::Valid(p) = params else {
        out.push(invalid("params.field", "\"params.field\" is required"));
        return;
    };
    p.field
        .require("params.field", "\"params.field\" is required", out);
    p.filter.check(
        "params.filter",
        "\"params.filter\" must be of type object",
        out,
    );
    p.distinct.check(
        "params.distinct",
        "\"params.distinct\" must be a boolean",
        out,
    );
}

fn check_precision(precision: &Field<serde_json::Number>, out: &mut Vec<Entry>) {
    let message = match precision {
        Field::Absent => return,
        Field::Invalid => "\"precision\" must be a number",
        Field::Valid(n) => match (n.as_i64(), n.as_f64()) {
            (Some(p), _) if p > 14 => "\"precision\" must be less than or equal to 14",
            (Some(p), _) if p < 0 => "\"precision\" must be greater than or equal to 0",
            (Some(_), _) => return,
            // u64 beyond i64, or a fraction
            (None, Some(f)) if f.fract() == 0.0 => "\"precision\" must be less than or equal to 14",
            _ => "\"precision\" must be an integer",
        },
    };
    out.push(invalid("precision", message));
}

/// The source collection and its association field of an `associated` aggregate, or the entry to refuse.
fn association_target(
    schema: &Schema,
    a: &Association,
) -> Result<(Arc<Collection>, RegField), (&'static str, String)> {
    let source = resolve(schema, &a.associated_collection)
        .map_err(|e| ("association.associatedCollection", e))?;
    let name = a.name.get().map_or("", String::as_str);
    let field = source
        .field(name)
        .filter(|f| f.is_association())
        .cloned()
        .ok_or_else(|| {
            (
                "association.name",
                format!(
                    "Association \"{name}\" does not exist in collection \"{}\"",
                    source.name
                ),
            )
        })?;
    Ok((source, field))
}

/// The rounded aggregate, or the job's error message.
fn aggregate(p: &Processor, c: &AggregateConfig) -> Result<Value, String> {
    let Some(func) = c.aggregator.get().and_then(|a| Aggregator::parse(a)) else {
        return Err("Aggregator is not configured".into());
    };
    let Some(params) = c.params.get() else {
        return Err("\"params.field\" is required".into());
    };
    let field = params.field.get().map_or("", String::as_str);
    let distinct = params.distinct.get() == Some(&true);
    let filter = match params.filter.get().and_then(Option::as_ref) {
        Some(f) => filter(p, &Value::Object(f.clone())),
        None => Value::Object(Default::default()),
    };
    let schema = p.app.registry.snapshot();
    let scope = match c.association().filter(|_| c.associated()) {
        Some(a) => Some(scope(p, &schema, a)?),
        None => None,
    };
    let target = match &scope {
        Some(sc) => sc.target.clone(),
        None => resolve(&schema, &c.collection)?,
    };
    let raw = p
        .read(|conn| {
            let mut w = filters::compile(&schema, &target, Some(&filter))?;
            if let Some(sc) = &scope {
                Link::of(conn, &sc.source, sc.id, &sc.field)?.restrict(&mut w);
            }
            records::aggregate(conn, &target, &w, func, field, distinct)
        })
        .map_err(|e| e.cause().to_string())?;
    let n = to_number(raw)?;
    Ok(js_number(round_half_away(n, c.precision())))
}

/// The rows of an `associated` aggregate: association `field` of record `id` of `source`.
struct Scope {
    source: Arc<Collection>,
    field: RegField,
    id: i64,
    target: Arc<Collection>,
}

/// The [`Scope`] of `a`, its `associatedKey` rendered.
fn scope(p: &Processor, schema: &Schema, a: &Association) -> Result<Scope, String> {
    let (source, field) = association_target(schema, a).map_err(|(_, e)| e)?;
    let key = a.associated_key.get().map(|k| p.render(k));
    let id = key.as_ref().and_then(|k| {
        k.as_i64()
            .or_else(|| k.as_str().and_then(|s| s.trim().parse().ok()))
    });
    let Some(id) = id else {
        return Err(format!(
            "\"association.associatedKey\" is not a record id: {}",
            key.unwrap_or(Value::Null)
        ));
    };
    let target = schema
        .get(field.kind.target().unwrap_or(""))
        .cloned()
        .ok_or_else(|| format!("{}.{} has no target collection", source.name, field.name))?;
    Ok(Scope {
        source,
        field,
        id,
        target,
    })
}

/// The aggregate as a number: SQL NULL (no rows) is 0; text must read as a number, as mathjs converts it.
fn to_number(v: SqlValue) -> Result<f64, String> {
    match v {
        SqlValue::Null => Ok(0.0),
        SqlValue::Integer(i) => Ok(i as f64),
        SqlValue::Real(f) => Ok(f),
        SqlValue::Text(t) => {
            let n = parse_number(&t);
            if n.is_nan() || t.trim().is_empty() {
                Err(format!("Cannot convert \"{t}\" to a number"))
            } else {
                Ok(n)
            }
        }
        SqlValue::Blob(_) => Err("Cannot convert a binary value to a number".into()),
    }
}
