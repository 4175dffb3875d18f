//! `triggerWorkflows` parsing (trigger.md §2): comma lists, trimmed, de-duplicated, `key!path`; and the
//! resolution of a `!path` through the schema. The custom action, pre-action and post-action triggers
//! all read the parameter this way.

use std::sync::Arc;

use serde_json::Value;

use crate::collections::{Collection, Field, Schema};
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

/// [`parse`] for a records action, where the parameter is optional: absent or empty is no entry.
pub fn parse_optional(param: Option<&Value>) -> Result<Vec<Entry>> {
    match parse(param) {
        Err(e) if e.code == Code::MissingParameter => Ok(Vec::new()),
        other => other,
    }
}

/// The association path of a `key!path` entry, resolved through the schema.
#[derive(Clone)]
pub struct Path {
    pub segments: Vec<String>,
    /// The association field of each segment.
    pub fields: Vec<Field>,
    /// The collection the path ends at.
    pub target: Arc<Collection>,
}

impl Path {
    pub fn text(&self) -> String {
        self.segments.join(".")
    }
}

/// Resolves `segments` from `coll`: every segment a belongsTo/hasOne association.
pub fn resolve_path(schema: &Schema, coll: &Arc<Collection>, segments: &[String]) -> Result<Path> {
    let mut current = coll.clone();
    let mut fields = Vec::new();
    for seg in segments {
        let field = current
            .field(seg)
            .filter(|f| f.is_association())
            .cloned()
            .ok_or_else(|| {
                bad(
                    Code::NotAnAssociation,
                    format!(
                        "\"{seg}\" is not an association of collection \"{}\"",
                        current.name
                    ),
                )
            })?;
        if !field.kind.is_to_one() {
            return Err(bad(
                Code::AssociationNotSupported,
                "one-to-many is not supported",
            )
            .with("path", segments.join(".")));
        }
        let target = field
            .kind
            .target()
            .and_then(|t| schema.get(t))
            .cloned()
            .ok_or_else(|| {
                bad(
                    Code::NotAnAssociation,
                    format!("\"{seg}\" has no target collection"),
                )
            })?;
        fields.push(field);
        current = target;
    }
    Ok(Path {
        segments: segments.to_vec(),
        fields,
        target: current,
    })
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
