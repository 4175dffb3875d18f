//! `triggerWorkflows` parsing (trigger.md §2): comma lists, trimmed, de-duplicated, `key!path`.

use serde_json::Value;

use crate::error::{bad, invalid_param, Code, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// Association path segments after `!` (empty = none).
    pub path: Vec<String>,
}

/// Every `triggerWorkflows` value (repeats and `[]` forms) as one ordered list of entries.
pub fn parse(param: Option<&Value>) -> Result<Vec<Entry>> {
    let mut raw: Vec<&str> = Vec::new();
    match param {
        Some(Value::String(s)) => raw.push(s),
        Some(Value::Array(items)) => raw.extend(items.iter().filter_map(Value::as_str)),
        Some(Value::Object(m)) => raw.extend(m.values().filter_map(Value::as_str)),
        _ => {}
    }
    let mut out: Vec<Entry> = Vec::new();
    for part in raw.iter().flat_map(|s| s.split(',')) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (key, path) = match part.split_once('!') {
            Some((k, p)) => (k.trim(), p.trim()),
            None => (part, ""),
        };
        if key.is_empty() {
            return Err(invalid_param(
                "triggerWorkflows",
                &format!("entry \"{part}\" has no workflow key"),
            ));
        }
        if out.iter().any(|e| e.key == key) {
            continue; // the first occurrence (and its path) wins
        }
        let path: Vec<String> = if path.is_empty() {
            Vec::new()
        } else {
            path.split('.').map(|s| s.trim().to_string()).collect()
        };
        if path.iter().any(String::is_empty) {
            return Err(invalid_param(
                "triggerWorkflows",
                &format!("entry \"{part}\" has an empty path segment"),
            ));
        }
        out.push(Entry {
            key: key.to_string(),
            path,
        });
    }
    if out.is_empty() {
        return Err(bad(
            Code::MissingParameter,
            "parameter \"triggerWorkflows\" is required",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(v: Value) -> Vec<(String, String)> {
        parse(Some(&v))
            .unwrap()
            .into_iter()
            .map(|e| (e.key.clone(), e.path.join(".")))
            .collect()
    }

    #[test]
    fn lists_trim_and_dedupe() {
        assert_eq!(
            keys(json!(" s_echo ,, , s_two")),
            vec![("s_echo".into(), "".into()), ("s_two".into(), "".into())]
        );
        assert_eq!(
            keys(json!(["a", "b,a!x"])),
            vec![("a".into(), "".into()), ("b".into(), "".into())]
        );
        assert_eq!(
            keys(json!("k ! post . category")),
            vec![("k".into(), "post.category".into())]
        );
        assert_eq!(keys(json!("k!")), vec![("k".into(), "".into())]);
    }

    #[test]
    fn errors() {
        assert_eq!(parse(None).unwrap_err().code, Code::MissingParameter);
        assert_eq!(
            parse(Some(&json!(", ,"))).unwrap_err().code,
            Code::MissingParameter
        );
        assert_eq!(
            parse(Some(&json!("!category"))).unwrap_err().code,
            Code::InvalidParameter
        );
    }
}
