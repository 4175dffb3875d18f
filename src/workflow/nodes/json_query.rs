//! json-query (triggers-and-nodes.md §9): queries a value with JMESPath (default), JSONPath (NocoBase's
//! `jsonpathplus`, unwrapped) or JSONata, then optionally reshapes the result with `model`.
//!
//! An engine error fails the job with result `null` and the engine's message in the job's `meta.log`
//! (NocoBase: a `log` column with the stack trace; flowgate's jobs have `meta` and no stack is shown).

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{check_engine, lenient, Field, Instruction, ObjectOnly, Step};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};
use crate::workflow::template;

pub struct JsonQuery;

const ENGINES: [&str; 3] = ["jmespath", "jsonpathplus", "jsonata"];

/// JSONata's evaluation limits: a recursive or endless expression fails the job instead of the server.
const JSONATA_MAX_DEPTH: usize = 200;
const JSONATA_TIME_LIMIT_MS: usize = 1_000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct JsonQueryConfig {
    /// `jmespath` when absent; another value is refused (§13: NocoBase passes the source through).
    pub engine: Field<String>,
    /// A template: the value queried.
    pub source: Value,
    /// A template (its text is resolved before querying).
    pub expression: Value,
    #[serde(deserialize_with = "lenient")]
    pub model: Vec<Field<ModelItem>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ModelItem {
    pub path: String,
    #[serde(default, deserialize_with = "lenient")]
    pub alias: Option<String>,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

impl Instruction for JsonQuery {
    type Config = JsonQueryConfig;

    fn check(&self, c: &JsonQueryConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        check_engine(&c.engine, &ENGINES, &mut out);
        out
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        c: &JsonQueryConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let source = p.render(&c.source);
        let expression = match p.render(&c.expression) {
            Value::Null => String::new(),
            v => template::value_text(&v),
        };
        let engine = c.engine.get().map_or("jmespath", String::as_str);
        match query(engine, &expression, &source) {
            Ok(result) => Step::resolved(reshape(result, &c.model)),
            Err(log) => Step::Done {
                status: JobStatus::Error,
                result: Value::Null,
                meta: Some(json!({ "log": log })),
            },
        }
    }
}

/// The engine's answer, or its error message.
pub fn query(engine: &str, expression: &str, source: &Value) -> Result<Value, String> {
    match engine {
        "jsonpathplus" => jsonpath(expression, source),
        "jsonata" => jsonata(expression, source),
        _ => jmespath_search(expression, source),
    }
}

fn jmespath_search(expression: &str, source: &Value) -> Result<Value, String> {
    let compiled = jmespath::compile(expression).map_err(|e| e.to_string())?;
    let data = jmespath::Variable::from_serializable(source).map_err(|e| e.to_string())?;
    let found = compiled.search(data).map_err(|e| e.to_string())?;
    serde_json::to_value(&*found).map_err(|e| e.to_string())
}

/// JSONPath-plus with `wrap: false`: no match → null; one match → the value, unless the path went
/// through an array expression (a wildcard, filter, slice, union, or a descent below its own level), which
/// keeps the array (checked on the peer: `$.items[?(@.v>2)].n` → `["c"]`, `$..name` → `"top"`,
/// `$..y` → `[5]`); several → an array. A path without its `$` root is read from the root.
fn jsonpath(expression: &str, source: &Value) -> Result<Value, String> {
    let text = expression.trim();
    let rooted = match text.chars().next() {
        Some('$') => text.to_string(),
        Some('[') => format!("${text}"),
        _ => format!("$.{text}"),
    };
    let path = serde_json_path::JsonPath::parse(&rooted).map_err(|e| e.to_string())?;
    let found = path.query_located(source).all();
    let shape = PathShape::of(&rooted);
    Ok(match found.as_slice() {
        [] => Value::Null,
        [one]
            if !shape.array_expression
                && (!shape.descendant || one.location().len() == shape.segments) =>
        {
            one.node().clone()
        }
        many => Value::Array(many.iter().map(|n| n.node().clone()).collect()),
    })
}

/// What JSONPath-plus's unwrapping looks at in a path.
#[derive(Debug, Default, PartialEq)]
struct PathShape {
    /// A wildcard, filter, slice or union.
    array_expression: bool,
    /// A `..` segment.
    descendant: bool,
    /// Segments after `$`.
    segments: usize,
}

impl PathShape {
    fn of(path: &str) -> PathShape {
        let chars: Vec<char> = path.chars().collect();
        let mut shape = PathShape::default();
        let (mut depth, mut quote, mut i) = (0usize, None::<char>, 0);
        while i < chars.len() {
            let c = chars[i];
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), '\\') => i += 1,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[') => {
                    if depth == 0 && !(i > 0 && chars[i - 1] == '.') {
                        shape.segments += 1;
                    }
                    depth += 1;
                }
                (None, ']') => depth = depth.saturating_sub(1),
                (None, '*' | '?' | ':' | ',') if depth <= 1 => shape.array_expression = true,
                (None, '.') if depth == 0 => {
                    if chars.get(i + 1) == Some(&'.') {
                        shape.descendant = true;
                        i += 1;
                    }
                    shape.segments += 1;
                }
                _ => {}
            }
            i += 1;
        }
        shape
    }
}

fn jsonata(expression: &str, source: &Value) -> Result<Value, String> {
    let arena = bumpalo::Bump::new();
    let compiled = jsonata_rs::JsonAta::new(expression, &arena).map_err(|e| e.to_string())?;
    let input = source.to_string();
    let found = compiled
        .evaluate_timeboxed(
            Some(&input),
            Some(JSONATA_MAX_DEPTH),
            Some(JSONATA_TIME_LIMIT_MS),
        )
        .map_err(|e| e.to_string())?;
    // Undefined (no match) serialises as nothing.
    let text = found.serialize(false);
    if text.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// `model`: each object becomes `{alias or the path with dots as underscores: value at path}`; an array
/// item by item; other results as they are.
fn reshape(result: Value, model: &[Field<ModelItem>]) -> Value {
    let items: Vec<&ModelItem> = model.iter().filter_map(Field::get).collect();
    if items.is_empty() {
        return result;
    }
    match result {
        Value::Array(list) => Value::Array(list.iter().map(|v| map_model(v, &items)).collect()),
        Value::Object(_) => map_model(&result, &items),
        other => other,
    }
}

fn map_model(data: &Value, items: &[&ModelItem]) -> Value {
    let mut out = Map::new();
    if !(data.is_object() || data.is_array()) {
        return Value::Object(out);
    }
    for item in items {
        let key = match item.alias.as_deref().filter(|a| !a.is_empty()) {
            Some(alias) => alias.to_string(),
            None => item.path.replace('.', "_"),
        };
        // lodash's `get`: `a.b`, `a[0].b`; a missing path is undefined, left out of the JSON.
        if let Some(v) = get_path(data, &item.path) {
            out.insert(key, v);
        }
    }
    Value::Object(out)
}

fn get_path(data: &Value, path: &str) -> Option<Value> {
    let normalised = path.replace('[', ".").replace(']', "");
    let mut at = data;
    for seg in normalised.split('.').filter(|s| !s.is_empty()) {
        at = match at {
            Value::Object(m) => m.get(seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Value {
        json!({"name":"top","items":[{"n":"a","v":1},{"n":"b","v":2},{"n":"c","v":3}]})
    }

    #[test]
    fn each_engine_gives_the_spec_results() {
        let d = data();
        let cases = [
            ("jmespath", "name", json!("top")),
            ("jmespath", "items[?v > `1`].n", json!(["b", "c"])),
            ("jmespath", "nope", Value::Null),
            ("jsonpathplus", "$.items[*].v", json!([1, 2, 3])),
            ("jsonpathplus", "$.name", json!("top")),
            ("jsonpathplus", "$.nope", Value::Null),
            ("jsonpathplus", "$.items[?(@.v>1)].n", json!(["b", "c"])),
            ("jsonata", "$sum(items.v)", json!(6)),
            ("jsonata", "items[v>1].n", json!(["b", "c"])),
            ("jsonata", "items[v=2].n", json!("b")),
            ("jsonata", "items[v>5].n", Value::Null),
        ];
        for (engine, expr, expected) in cases {
            assert_eq!(query(engine, expr, &d), Ok(expected), "{engine} {expr}");
        }
        // JSONPath-plus's unwrapping, as the peer answers.
        let peer = [
            ("$.items[?(@.v>2)].n", json!(["c"])),
            ("$.items[0:1]", json!([{"n":"a","v":1}])),
            ("$..name", json!("top")),
            ("$..v", json!([1, 2, 3])),
            ("$.items[2].n", json!("c")),
            ("$['name']", json!("top")),
            ("$.items[0,1]", json!([{"n":"a","v":1},{"n":"b","v":2}])),
            ("$.nope[*]", Value::Null),
            ("items[*].v", json!([1, 2, 3])),
        ];
        for (expr, expected) in peer {
            assert_eq!(query("jsonpathplus", expr, &d), Ok(expected), "{expr}");
        }
        let nested = json!({"o":{"x":{"y":5}},"one":[{"v":9}]});
        for (expr, expected) in [
            ("$..y", json!([5])),
            ("$.o.*", json!([{"y":5}])),
            ("$.one[*].v", json!([9])),
            ("$.one", json!([{"v":9}])),
        ] {
            assert_eq!(query("jsonpathplus", expr, &nested), Ok(expected), "{expr}");
        }
        assert_eq!(query("jmespath", "name", &json!("text")), Ok(Value::Null));
        assert!(query("jmespath", "", &d).is_err());
        assert!(query("jmespath", "items[?", &d).is_err());
    }

    #[test]
    fn model_renames_on_objects_and_arrays() {
        let model: Vec<Field<ModelItem>> = serde_json::from_value(
            json!([{"path":"n","alias":"name"},{"path":"o.x"},{"path":"gone"}]),
        )
        .expect("model");
        let one = json!({"n":"a","o":{"x":10}});
        assert_eq!(reshape(one.clone(), &model), json!({"name":"a","o_x":10}));
        assert_eq!(
            reshape(json!([one, {"n":"b"}]), &model),
            json!([{"name":"a","o_x":10},{"name":"b"}])
        );
        assert_eq!(reshape(json!(5), &model), json!(5));
    }
}
