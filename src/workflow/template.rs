//! `{{ path }}` templates in node configs (spec §5).

use serde_json::{Map, Value};

use super::num::js_number_text;

/// Resolves one dotted path (trimmed, without braces, `ctx.` prefix already stripped).
pub type Lookup<'a> = dyn Fn(&str) -> Option<Value> + 'a;

/// A piece of a template string: literal text or a placeholder's path.
#[derive(Debug, PartialEq)]
pub enum Piece<'s> {
    Text(&'s str),
    Var(&'s str),
}

/// Renders a config value: strings are templates, objects and arrays are processed recursively
/// (object keys too, as interpolated text); other values are returned unchanged.
pub fn render(v: &Value, lookup: &Lookup) -> Value {
    match v {
        Value::String(s) => render_str(s, lookup),
        Value::Array(items) => Value::Array(items.iter().map(|i| render(i, lookup)).collect()),
        Value::Object(map) => {
            let rendered: Map<String, Value> = map
                .iter()
                .map(|(k, v)| (interpolate(k, lookup), render(v, lookup)))
                .collect();
            Value::Object(rendered)
        }
        other => other.clone(),
    }
}

/// Renders one template string. A string that is exactly one placeholder yields the raw value
/// (so numbers and objects keep their type; missing → null); anything else is interpolated text.
pub fn render_str(s: &str, lookup: &Lookup) -> Value {
    let pieces = split_placeholders(s);
    if let [Piece::Var(path)] = pieces.as_slice() {
        return lookup(path).unwrap_or(Value::Null);
    }
    Value::String(join_pieces(&pieces, lookup))
}

/// Renders a template string as text, whatever its placeholders hold.
pub(crate) fn interpolate(s: &str, lookup: &Lookup) -> String {
    join_pieces(&split_placeholders(s), lookup)
}

fn join_pieces(pieces: &[Piece], lookup: &Lookup) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Var(path) => {
                if let Some(v) = lookup(path) {
                    out.push_str(&value_text(&v));
                }
            }
        }
    }
    out
}

/// The text a value contributes when interpolated: null → "", strings as-is, numbers and
/// booleans as JSON text (integral floats without ".0"), objects and arrays as compact JSON.
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            // i64/u64 print exactly via Number's Display; only floats need JS-style formatting.
            Some(f) if !(n.is_i64() || n.is_u64()) => js_number_text(f),
            _ => n.to_string(),
        },
        Value::Array(_) | Value::Object(_) => v.to_string(),
    }
}

/// Splits a string into literal text and placeholders. A placeholder is `{{`, optional spaces,
/// a non-empty path without braces, optional spaces, `}}`; anything else stays literal. Public for the
/// sql node, which binds each placeholder's value instead of pasting its text.
pub fn split_placeholders(s: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    let mut search_from = 0;
    while let Some(offset) = s[search_from..].find("{{") {
        let open = search_from + offset;
        let body_start = open + 2;
        let Some(body_len) = s[body_start..].find("}}") else {
            break;
        };
        let body = &s[body_start..body_start + body_len];
        let path = body.trim();
        if path.is_empty() || body.contains(['{', '}']) {
            // Not a placeholder here; a later `{` may still open one ("{{{a}}" → "{" + {{a}}).
            search_from = open + 1;
            continue;
        }
        if open > literal_start {
            pieces.push(Piece::Text(&s[literal_start..open]));
        }
        pieces.push(Piece::Var(strip_ctx(path)));
        search_from = body_start + body_len + 2;
        literal_start = search_from;
    }
    if literal_start < s.len() {
        pieces.push(Piece::Text(&s[literal_start..]));
    }
    pieces
}

/// `ctx.` is an accepted alias prefix for the variable root (`{{ctx.$context.data.x}}`).
pub(crate) fn strip_ctx(path: &str) -> &str {
    path.strip_prefix("ctx.").unwrap_or(path)
}

/// Walks a value by path segments. A numeric segment indexes an array; a non-numeric segment
/// applied to an array maps over its items and flattens one level, so `tags.name` over
/// `[{name:"t1"},{name:"t2"}]` gives `["t1","t2"]`. Items lacking the path are skipped.
pub fn walk(root: &Value, segments: &[&str]) -> Option<Value> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(root.clone());
    };
    match root {
        Value::Object(map) => walk(map.get(*first)?, rest),
        Value::Array(items) => match first.parse::<usize>() {
            Ok(index) if is_index(first) => walk(items.get(index)?, rest),
            _ => Some(map_over_items(items, segments)),
        },
        _ => None,
    }
}

/// True for plain decimal indexes ("0", "12"); rejects "+1" and similar that `parse` accepts.
fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

fn map_over_items(items: &[Value], segments: &[&str]) -> Value {
    let mut out = Vec::new();
    for item in items {
        match walk(item, segments) {
            Some(Value::Array(inner)) => out.extend(inner),
            Some(v) => out.push(v),
            None => {}
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> Value {
        json!({
            "$context": {
                "data": {
                    "id": 7, "title": "Hello", "price": 1.5, "whole": 2.0, "ok": true, "none": null,
                    "tags": [{"name": "t1"}, {"name": "t2"}, {"other": 1}],
                    "posts": [{"tags": [{"name": "a"}, {"name": "b"}]}, {"tags": [{"name": "c"}]}],
                    "obj": {"a": 1, "b": [1, 2]},
                    "list": [10, 20, 30]
                }
            },
            "$system": {"now": "2025-03-01T09:30:00.000Z"}
        })
    }

    fn with_ctx<T>(f: impl FnOnce(&Lookup) -> T) -> T {
        let root = ctx();
        let lookup = move |p: &str| walk(&root, &p.split('.').collect::<Vec<_>>());
        f(&lookup)
    }

    #[test]
    fn walk_indexes_objects_and_arrays() {
        let root = ctx();
        assert_eq!(walk(&root, &["$context", "data", "id"]), Some(json!(7)));
        assert_eq!(
            walk(&root, &["$context", "data", "list", "1"]),
            Some(json!(20))
        );
        assert_eq!(walk(&root, &["$context", "data", "list", "9"]), None);
        assert_eq!(walk(&root, &["$context", "data", "missing"]), None);
        assert_eq!(walk(&root, &["$context", "data", "id", "x"]), None);
        assert_eq!(walk(&root, &[]), Some(root.clone()));
    }

    #[test]
    fn walk_maps_over_arrays_and_flattens() {
        let root = ctx();
        assert_eq!(
            walk(&root, &["$context", "data", "tags", "name"]),
            Some(json!(["t1", "t2"]))
        );
        assert_eq!(
            walk(&root, &["$context", "data", "posts", "tags", "name"]),
            Some(json!(["a", "b", "c"]))
        );
        assert_eq!(
            walk(&root, &["$context", "data", "tags", "0", "name"]),
            Some(json!("t1"))
        );
        assert_eq!(
            walk(&root, &["$context", "data", "tags", "nope"]),
            Some(json!([]))
        );
    }

    #[test]
    fn exact_placeholder_yields_raw_value() {
        with_ctx(|l| {
            assert_eq!(render_str("{{$context.data.id}}", l), json!(7));
            assert_eq!(
                render_str("{{ $context.data.obj }}", l),
                json!({"a": 1, "b": [1, 2]})
            );
            assert_eq!(render_str("{{$context.data.missing}}", l), Value::Null);
            assert_eq!(
                render_str("{{$context.data.tags.name}}", l),
                json!(["t1", "t2"])
            );
        });
    }

    #[test]
    fn interpolation_formats_values() {
        with_ctx(|l| {
            assert_eq!(
                render_str("id={{$context.data.id}} t={{ $context.data.title }}", l),
                json!("id=7 t=Hello")
            );
            assert_eq!(render_str("[{{$context.data.missing}}]", l), json!("[]"));
            assert_eq!(render_str("[{{$context.data.none}}]", l), json!("[]"));
            assert_eq!(render_str("{{$context.data.price}}x", l), json!("1.5x"));
            assert_eq!(render_str("{{$context.data.whole}}x", l), json!("2x"));
            assert_eq!(render_str("{{$context.data.ok}}!", l), json!("true!"));
            assert_eq!(
                render_str("o={{$context.data.obj}}", l),
                json!("o={\"a\":1,\"b\":[1,2]}")
            );
            assert_eq!(render_str(" {{$context.data.id}}", l), json!(" 7"));
        });
    }

    #[test]
    fn ctx_prefix_is_stripped() {
        with_ctx(|l| {
            assert_eq!(render_str("{{ctx.$context.data.id}}", l), json!(7));
            assert_eq!(render_str("a{{ ctx.$context.data.id }}", l), json!("a7"));
        });
    }

    #[test]
    fn non_placeholders_stay_literal() {
        with_ctx(|l| {
            assert_eq!(render_str("{{}}", l), json!("{{}}"));
            assert_eq!(render_str("{{  }}", l), json!("{{  }}"));
            assert_eq!(render_str("{{ unclosed", l), json!("{{ unclosed"));
            assert_eq!(render_str("{{{$context.data.id}}}", l), json!("{7}"));
            assert_eq!(render_str("{{a}b}}", l), json!("{{a}b}}"));
            assert_eq!(render_str("plain", l), json!("plain"));
            assert_eq!(render_str("", l), json!(""));
            assert_eq!(render_str("é{{$context.data.id}}ü", l), json!("é7ü"));
        });
    }

    #[test]
    fn render_recurses_into_objects_arrays_and_keys() {
        with_ctx(|l| {
            let config = json!({
                "filter": {"id": "{{$context.data.id}}"},
                "{{$context.data.title}}": ["{{$context.data.list.0}}", 5, null, true],
                "k{{$context.data.id}}": "v",
                "{{$context.data.obj}}": 1
            });
            assert_eq!(
                render(&config, l),
                json!({
                    "filter": {"id": 7},
                    "Hello": [10, 5, null, true],
                    "k7": "v",
                    "{\"a\":1,\"b\":[1,2]}": 1
                })
            );
            assert_eq!(render(&json!(3), l), json!(3));
        });
    }
}
