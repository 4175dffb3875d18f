//! json-variable-mapping (triggers-and-nodes.md §10): picks values out of an object or array by path
//! segments into `{key: value}`. A pure function of the resolved `dataSource`, with NocoBase's walking
//! rules: JavaScript truthiness decides where a walk stops, the `___arr$___` segment collects a path over
//! an array's items (dropping falsy values), and a missing value leaves its key out.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{lenient, Instruction, Step};
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct JsonVariableMapping;

/// The segment that maps the rest of a path over an array's items.
const ARRAY_SEGMENT: &str = "___arr$___";

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MappingConfig {
    /// A template or a literal.
    pub data_source: Value,
    /// `[{key, paths, children?, path?}]`; not an array → `{}`.
    pub variables: Value,
    #[serde(deserialize_with = "lenient")]
    pub parse_array: bool,
}

impl Instruction for JsonVariableMapping {
    type Config = MappingConfig;

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        c: &MappingConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let input = p.render(&c.data_source);
        if !(input.is_object() || input.is_array()) {
            return Step::with_status(
                JobStatus::Failed,
                Value::String("The input data is not an object nor an array".into()),
            );
        }
        let mut out = Map::new();
        match map_variables(&input, &c.variables, c.parse_array, &mut out) {
            Ok(()) => Step::resolved(Value::Object(out)),
            Err(e) => Step::error(e),
        }
    }
}

/// Adds each variable's value to `out` (children first, then the parent, as NocoBase spreads them).
fn map_variables(
    input: &Value,
    variables: &Value,
    parse_array: bool,
    out: &mut Map<String, Value>,
) -> Result<(), String> {
    let Some(items) = variables.as_array() else {
        return Ok(());
    };
    for item in items {
        let key = item
            .get("key")
            .map(js_key)
            .unwrap_or_else(|| "undefined".into());
        let children = item.get("children").and_then(Value::as_array);
        let value = if children.is_some_and(|c| !c.is_empty()) {
            map_variables(input, &item["children"], parse_array, out)?;
            // NocoBase reads a parent from `path` (a text is walked character by character).
            let segments = segments(item.get("path")).unwrap_or_default();
            get_value(Some(input), &segments, parse_array)
        } else {
            let segments = segments(item.get("paths")).ok_or("paths is not iterable")?;
            get_value(Some(input), &segments, parse_array)
        };
        match value {
            Some(v) => out.insert(key, v),
            None => out.remove(&key),
        };
    }
    Ok(())
}

/// A path as segments: an array's items as text, a text's characters (JavaScript spreads a string);
/// anything else is not iterable.
fn segments(paths: Option<&Value>) -> Option<Vec<String>> {
    match paths? {
        Value::Array(items) => Some(items.iter().map(js_key).collect()),
        Value::String(s) => Some(s.chars().map(String::from).collect()),
        _ => None,
    }
}

/// A value used as a property name, as JavaScript turns it into text.
fn js_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// `data[key]`: an object's member, an array's item by index text; `None` = undefined.
fn index<'v>(data: Option<&'v Value>, key: Option<&String>) -> Option<&'v Value> {
    match (data?, key?) {
        (Value::Object(m), k) => m.get(k),
        (Value::Array(a), k) => a.get(k.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The value at `paths` (`None` = undefined); a falsy value ends the walk and is the answer.
fn get_value(data: Option<&Value>, paths: &[String], parse_array: bool) -> Option<Value> {
    if !truthy(data) {
        return data.cloned();
    }
    let mut path = paths;
    if path.first().map(String::as_str) == Some(ARRAY_SEGMENT) {
        path = &path[1..];
        if !parse_array {
            return Some(Value::Array(get_array_values(data, path, parse_array)));
        }
    }
    let (key, rest) = match path.split_first() {
        Some((k, r)) => (Some(k), r),
        None => (None, path),
    };
    let value = index(data, key);
    if rest.is_empty() || !truthy(value) {
        return value.cloned();
    }
    get_value(value, rest, parse_array)
}

/// The rest of a path read from each item of an array, falsy values dropped (a nested `___arr$___`
/// over an array item replaces what was collected, as NocoBase does).
fn get_array_values(data: Option<&Value>, paths: &[String], parse_array: bool) -> Vec<Value> {
    let Some(Value::Array(items)) = data else {
        return Vec::new();
    };
    let (key, rest) = match paths.split_first() {
        Some((k, r)) => (Some(k), r),
        None => (None, paths),
    };
    let mut out = Vec::new();
    for item in items {
        if rest.is_empty() {
            let v = index(Some(item), key);
            if truthy(v) {
                out.extend(v.cloned());
            }
        } else if key.map(String::as_str) == Some(ARRAY_SEGMENT) && item.is_array() {
            out = get_array_values(Some(item), rest, parse_array);
        } else {
            let v = get_value(index(Some(item), key), rest, parse_array);
            if truthy(v.as_ref()) {
                out.extend(v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(input: Value, variables: Value, parse_array: bool) -> Result<Value, String> {
        let mut out = Map::new();
        map_variables(&input, &variables, parse_array, &mut out).map(|_| Value::Object(out))
    }

    #[test]
    fn paths_walk_objects_arrays_and_collect_over_items() {
        let input = json!({"a":{"b":5},"s":"str","xs":[1,2],"list":[{"x":1},{"x":2},{"x":0}],"tags":[{"t":"p"},{"t":"q"}]});
        let vars = json!([
            {"key":"k1","paths":["a","b"]},
            {"key":"k2","paths":["s"]},
            {"key":"k3","paths":["xs"]},
            {"key":"gone","paths":["a","zz"]},
            {"key":"arr","paths":["list","___arr$___","x"]},
            {"key":"tags","paths":["tags","___arr$___","t"]},
            {"key":"first","paths":["list","0","x"]}
        ]);
        assert_eq!(
            map(input.clone(), vars, false),
            Ok(json!({"k1":5,"k2":"str","k3":[1,2],"arr":[1,2],"tags":["p","q"],"first":1}))
        );
        let indexed = json!([{"key":"i","paths":["list","___arr$___","0","x"]}]);
        assert_eq!(map(input.clone(), indexed, true), Ok(json!({"i":1})));
        assert_eq!(map(input.clone(), json!([]), false), Ok(json!({})));
        assert_eq!(map(input.clone(), json!("x"), false), Ok(json!({})));
        assert_eq!(
            map(input, json!([{"key":"k"}]), false),
            Err("paths is not iterable".into())
        );
        // children are mapped too; the parent is read from `path`, a text walked by its characters
        let nested = json!([{"key":"p","path":"a","children":[{"key":"c","paths":["a","b"]}]}]);
        assert_eq!(
            map(json!({"a":{"b":1}}), nested, false),
            Ok(json!({"c":1,"p":{"b":1}}))
        );
    }
}
