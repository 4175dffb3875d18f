//! Query strings with `qs` rules (http.md §3): brackets nest, repeats and `[]` make arrays, empty values
//! are absent, nesting deeper than 5 is refused.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::error::{invalid_param, Result};

const MAX_DEPTH: usize = 5;

fn decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_decode_str(&plus).decode_utf8_lossy().into_owned()
}

/// `a[b][]` → `["a", "b", ""]`.
fn split_key(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    if open == 0 || !key.ends_with(']') {
        return vec![key.to_string()];
    }
    let mut segs = vec![key[..open].to_string()];
    for part in key[open + 1..key.len() - 1].split("][") {
        segs.push(part.to_string());
    }
    segs
}

/// The parameter a raw key names: `%74oken[]` → `token`.
pub fn key_base(raw_key: &str) -> String {
    let key = decode(raw_key);
    split_key(&key).swap_remove(0)
}

/// Parses a raw query string into an object of strings, arrays and objects.
pub fn parse(raw: &str) -> Result<Map<String, Value>> {
    let mut root = Map::new();
    for pair in raw.split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if v.is_empty() {
            continue; // `a` and `a=` are absent (kept from qs)
        }
        let key = decode(k);
        let segs = split_key(&key);
        if segs.len() - 1 > MAX_DEPTH {
            return Err(invalid_param(&segs[0], "nesting is deeper than 5 levels"));
        }
        insert(&mut root, &segs, Value::String(decode(v)));
    }
    Ok(finalize_map(root))
}

fn insert(map: &mut Map<String, Value>, segs: &[String], value: Value) {
    let seg = if segs[0].is_empty() {
        map.len().to_string()
    } else {
        segs[0].clone()
    };
    if segs.len() == 1 {
        match map.get_mut(&seg) {
            None => {
                map.insert(seg, value);
            }
            Some(Value::Array(items)) => items.push(value),
            Some(existing @ Value::String(_)) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            Some(Value::Object(obj)) => {
                let next = obj.len().to_string();
                obj.insert(next, value);
            }
            Some(_) => {}
        }
        return;
    }
    let child = map.entry(seg).or_insert_with(|| Value::Object(Map::new()));
    match child {
        Value::Object(obj) => insert(obj, &segs[1..], value),
        Value::String(_) | Value::Array(_) => {
            // `a=1&a[b]=2`: qs turns the scalar into index 0 of an object.
            let prev = child.take();
            let mut obj = Map::new();
            match prev {
                Value::Array(items) => {
                    for (i, it) in items.into_iter().enumerate() {
                        obj.insert(i.to_string(), it);
                    }
                }
                other => {
                    obj.insert("0".into(), other);
                }
            }
            insert(&mut obj, &segs[1..], value);
            *child = Value::Object(obj);
        }
        _ => {}
    }
}

/// Objects whose keys are exactly 0..n become arrays.
fn finalize(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let is_array = !m.is_empty() && m.keys().enumerate().all(|(i, k)| k == &i.to_string());
            let m = finalize_map(m);
            if is_array {
                Value::Array(m.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(m)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(finalize).collect()),
        other => other,
    }
}

fn finalize_map(m: Map<String, Value>) -> Map<String, Value> {
    m.into_iter().map(|(k, v)| (k, finalize(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(s: &str) -> Value {
        Value::Object(parse(s).unwrap())
    }

    #[test]
    fn qs_rules() {
        assert_eq!(q("a=1"), json!({"a":"1"}));
        assert_eq!(q("a&b=&c=x"), json!({"c":"x"}));
        assert_eq!(q("a=1&a=2"), json!({"a":["1","2"]}));
        assert_eq!(q("a[]=1&a[]=2"), json!({"a":["1","2"]}));
        assert_eq!(q("a[0]=1&a[1]=2"), json!({"a":["1","2"]}));
        assert_eq!(q("a[b][$gt]=5"), json!({"a":{"b":{"$gt":"5"}}}));
        assert_eq!(q("filter=%7B%22a%22%3A1%7D"), json!({"filter":"{\"a\":1}"}));
        assert_eq!(q("t=a+b"), json!({"t":"a b"}));
    }

    #[test]
    fn key_bases() {
        assert_eq!(key_base("token"), "token");
        assert_eq!(key_base("%74oken"), "token");
        assert_eq!(key_base("token[]"), "token");
        assert_eq!(key_base("token%5B0%5D"), "token");
        assert_eq!(key_base("tokens"), "tokens");
    }

    #[test]
    fn depth_limit() {
        assert!(parse("a[1][2][3][4][5]=x").is_ok());
        assert!(parse("a[1][2][3][4][5][6]=x").is_err());
    }
}
