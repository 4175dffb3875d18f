//! How NocoBase's evaluators read `{{path}}` templates in an expression (`@nocobase/evaluators`):
//! the trimmed text's placeholders — `{{`, spaces, a path of `[A-Za-z0-9_$.-]`, spaces, `}}`,
//! wherever they stand, inside quotes too — become the variables `$$0`, `$$1`, … (one per distinct
//! path, in order of appearance) bound to the path's value (missing → null). So an expression's
//! text depends on the node's config only, never on the data. The string engine pastes the values
//! as JavaScript's `${value}` writes them instead.

use serde_json::{Map, Value};

use super::super::num::js_number_text;
use super::super::template::Lookup;

/// An expression with its placeholders replaced by variable names, and those variables' values.
pub struct Bound {
    pub text: String,
    pub scope: Map<String, Value>,
}

/// Replaces each placeholder with its variable (`$$0`…) and binds the variables (math.js, formula.js).
pub fn bind(source: &str, lookup: &Lookup) -> Bound {
    let mut paths: Vec<&str> = Vec::new();
    let mut scope = Map::new();
    let text = replace_placeholders(source.trim(), |path| {
        let index = match paths.iter().position(|p| *p == path) {
            Some(i) => i,
            None => {
                paths.push(path);
                scope.insert(format!("$${}", paths.len() - 1), value_of(path, lookup));
                paths.len() - 1
            }
        };
        format!("$${index}")
    });
    Bound { text, scope }
}

/// The string engine: the trimmed text with each placeholder replaced by its value's text
/// (null and missing → "").
pub fn interpolate(source: &str, lookup: &Lookup) -> String {
    replace_placeholders(source.trim(), |path| match value_of(path, lookup) {
        Value::Null => String::new(),
        v => js_text(&v),
    })
}

fn value_of(path: &str, lookup: &Lookup) -> Value {
    lookup(path).unwrap_or(Value::Null)
}

/// JavaScript's `String(value)` for a JSON value: arrays joined by "," (null items → ""),
/// objects "[object Object]", numbers as JavaScript prints them.
pub fn js_text(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number_text(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                if i.is_null() {
                    String::new()
                } else {
                    js_text(i)
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".into(),
    }
}

/// Replaces every placeholder with `with(path)`, scanning as the regular expression
/// `/{{\s*([\w$.-]+)\s*}}/g` does; a `{{this.…}}` placeholder stays as written (Handlebars').
fn replace_placeholders<'t>(text: &'t str, mut with: impl FnMut(&'t str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        match placeholder(&rest[open + 2..]) {
            Some((path, len)) => {
                out.push_str(&rest[..open]);
                if path.starts_with("this.") {
                    out.push_str(&format!("{{{{{path}}}}}"));
                } else {
                    out.push_str(&with(path));
                }
                rest = &rest[open + 2 + len..];
            }
            None => {
                // No placeholder here; one may start at the next brace ("{{{a}}" → "{" + {{a}}).
                out.push_str(&rest[..open + 1]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// After a `{{`: the path and the length up to and including `}}`, if a placeholder is there.
fn placeholder(after: &str) -> Option<(&str, usize)> {
    let start = after.len() - after.trim_start().len();
    let path_len = after[start..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.' | b'-'))
        .count();
    if path_len == 0 {
        return None;
    }
    let path = &after[start..start + path_len];
    let tail = &after[start + path_len..];
    let spaces = tail.len() - tail.trim_start().len();
    tail[spaces..]
        .starts_with("}}")
        .then_some((path, start + path_len + spaces + 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lookup(path: &str) -> Option<Value> {
        let root = json!({"$context": {"data": {"a": 3, "list": [1, null, [2, 3]], "o": {}}}});
        super::super::super::template::walk(&root, &path.split('.').collect::<Vec<_>>())
    }

    #[test]
    fn placeholders_become_variables_even_inside_quotes() {
        let b = bind(
            " {{$context.data.a}} + '{{ $context.data.a }}' * {{$context.data.x}} ",
            &lookup,
        );
        assert_eq!(b.text, "$$0 + '$$0' * $$1");
        assert_eq!(Value::Object(b.scope), json!({"$$0": 3, "$$1": null}));
        assert_eq!(bind("{{{$context.data.a}}}", &lookup).text, "{$$0}");
        assert_eq!(
            bind("{{this.x}} {{a b}} {{}}", &lookup).text,
            "{{this.x}} {{a b}} {{}}"
        );
    }

    #[test]
    fn string_engine_writes_values_as_javascript() {
        let text = interpolate(
            "  {{$context.data.a}}|{{$context.data.list}}|{{$context.data.o}}|{{$context.data.x}}  ",
            &lookup,
        );
        assert_eq!(text, "3|1,,2,3|[object Object]|");
    }
}
