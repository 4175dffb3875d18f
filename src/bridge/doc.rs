//! The definitions document of bridge.md §4 as JSON, and its canonical form (§4.3): the objects the format
//! defines (the document, `source`, collections, fields, roles, grants, actions, workflows, their `history`
//! versions, nodes) have sorted keys and no null attributes (a node's `upstream` and `branchIndex` stay);
//! arrays are ordered by the format's rules; attribute values (`config`, `uiSchema`, `options`,
//! `strategy`, …) are copied as read, key order included. Written with two-space indentation, non-ASCII
//! as is, one final newline, so two exports of the same store are byte-identical.

use serde_json::{Map, Value};

pub const FORMAT: &str = "flowgate-app";
pub const VERSION: u64 = 1;

/// The document in canonical form, as `export` writes it.
pub fn to_canonical_string(doc: &Value) -> String {
    let mut out =
        serde_json::to_string_pretty(&canonical(doc)).expect("a JSON value always serialises");
    out.push('\n');
    out
}

/// A copy of `doc` in canonical form (key order and array order of §4.3).
pub fn canonical(doc: &Value) -> Value {
    let Value::Object(top) = doc else {
        return doc.clone();
    };
    let mut top = lean(top, &[]);
    if let Some(Value::Object(source)) = top.get("source") {
        let source = Value::Object(lean(source, &[]));
        top.insert("source".into(), source);
    }
    if let Some(Value::Array(cs)) = top.get("collections") {
        let mut cs: Vec<Value> = cs.iter().map(collection).collect();
        cs.sort_by(|a, b| name_of(a).cmp(name_of(b)));
        top.insert("collections".into(), Value::Array(cs));
    }
    if let Some(Value::Array(rs)) = top.get("roles") {
        let mut rs: Vec<Value> = rs.iter().map(role).collect();
        rs.sort_by(|a, b| name_of(a).cmp(name_of(b)));
        top.insert("roles".into(), Value::Array(rs));
    }
    if let Some(Value::Array(ws)) = top.get("workflows") {
        let mut ws: Vec<Value> = ws.iter().map(workflow).collect();
        ws.sort_by(|a, b| str_of(a, "key").cmp(str_of(b, "key")));
        top.insert("workflows".into(), Value::Array(ws));
    }
    Value::Object(sorted(top))
}

fn collection(c: &Value) -> Value {
    let Value::Object(c) = c else {
        return c.clone();
    };
    let mut c = lean(c, &[]);
    if let Some(Value::Array(fs)) = c.get("fields") {
        // Fields keep the server's order (bridge.md §2.3): sorting them would reorder NocoBase's form.
        let fs: Vec<Value> = fs.iter().map(|f| object(f, &[])).collect();
        c.insert("fields".into(), Value::Array(fs));
    }
    Value::Object(sorted(c))
}

fn role(r: &Value) -> Value {
    let Value::Object(r) = r else {
        return r.clone();
    };
    let mut r = lean(r, &[]);
    if let Some(Value::Array(gs)) = r.get("resources") {
        let mut gs: Vec<Value> = gs.iter().map(grant).collect();
        gs.sort_by(|a, b| name_of(a).cmp(name_of(b)));
        r.insert("resources".into(), Value::Array(gs));
    }
    Value::Object(sorted(r))
}

fn grant(g: &Value) -> Value {
    let Value::Object(g) = g else {
        return g.clone();
    };
    let mut g = lean(g, &[]);
    if let Some(Value::Array(acts)) = g.get("actions") {
        let mut acts: Vec<Value> = acts.iter().map(action).collect();
        acts.sort_by(|a, b| name_of(a).cmp(name_of(b)));
        g.insert("actions".into(), Value::Array(acts));
    }
    Value::Object(sorted(g))
}

fn action(a: &Value) -> Value {
    let Value::Object(a) = a else {
        return a.clone();
    };
    let mut a = lean(a, &[]);
    if let Some(Value::Array(fields)) = a.get("fields") {
        let mut fields = fields.clone();
        fields.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
        a.insert("fields".into(), Value::Array(fields));
    }
    Value::Object(sorted(a))
}

fn workflow(w: &Value) -> Value {
    let Value::Object(w) = w else {
        return w.clone();
    };
    // `current: null` marks a `history` version (§4.2); it is the one null a workflow keeps.
    let keep: &[&str] = if w.contains_key("current") {
        &["current"]
    } else {
        &[]
    };
    let mut w = lean(w, keep);
    if let Some(Value::Array(ns)) = w.get("nodes") {
        let ns: Vec<Value> = ns
            .iter()
            .map(|n| object(n, &["upstream", "branchIndex"]))
            .collect();
        w.insert("nodes".into(), Value::Array(ns));
    }
    if let Some(Value::Array(hs)) = w.get("history") {
        let hs: Vec<Value> = hs.iter().map(workflow).collect();
        w.insert("history".into(), Value::Array(hs));
    }
    Value::Object(sorted(w))
}

/// A format-defined object without nested format objects: sorted keys, nulls dropped but for `keep`.
fn object(v: &Value, keep: &[&str]) -> Value {
    match v {
        Value::Object(m) => Value::Object(sorted(lean(m, keep))),
        other => other.clone(),
    }
}

/// The object without its null attributes (NocoBase treats null as absent), except those in `keep`.
fn lean(m: &Map<String, Value>, keep: &[&str]) -> Map<String, Value> {
    m.iter()
        .filter(|(k, v)| !v.is_null() || keep.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Keys in code point order (`String`'s `Ord` on UTF-8 bytes is code point order).
fn sorted(m: Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<(String, Value)> = m.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().collect()
}

fn name_of(v: &Value) -> &str {
    str_of(v, "name")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference reader's document (tests/fixtures/nocobase/example-export.json, a copy of ../shared/nocobase-fixtures) is canonical.
    #[test]
    fn the_fixture_document_is_canonical() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/nocobase/example-export.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(to_canonical_string(&doc), text);
    }

    #[test]
    fn canonical_form_sorts_format_objects_and_keeps_attribute_values() {
        let doc = serde_json::json!({"version": 1, "format": "flowgate-app", "source": null,
            "workflows": [{"key": "b", "config": {"z": 1, "a": null}, "nodes": [{"upstream": null, "key": "n", "branchIndex": null, "title": null}]},
                          {"key": "a", "enabled": true}]});
        let text = to_canonical_string(&doc);
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(to_canonical_string(&back), text);
        assert!(text.ends_with("}\n"));
        let keys: Vec<&str> = back["workflows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(
            back["workflows"][1]["config"],
            serde_json::json!({"z": 1, "a": null})
        );
        assert_eq!(
            back["workflows"][1]["nodes"][0],
            serde_json::json!({"branchIndex": null, "key": "n", "upstream": null})
        );
        assert!(back.get("source").is_none());
    }
}
