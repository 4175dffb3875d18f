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

/// Document equality of §4.4: equal as JSON values (object key order ignored, array order kept) after
/// [`normalise`].
pub fn equal(a: &Value, b: &Value) -> bool {
    normalise(a) == normalise(b)
}

/// The document as §4.4 compares it: canonical, without `source` and `history`; fields as an object keyed
/// by name, without `key`, with `reverseKey` as the partner's `collection.field`, without the `sourceKey`
/// NocoBase derives on a belongsTo, and FK records and through-table fields reduced to name and type; a
/// missing action `scope` is `"all"`.
pub fn normalise(doc: &Value) -> Value {
    let mut doc = canonical(doc);
    let Value::Object(top) = &mut doc else {
        return doc;
    };
    top.remove("source");
    if let Some(Value::Array(ws)) = top.get_mut("workflows") {
        for w in ws.iter_mut().filter_map(Value::as_object_mut) {
            w.remove("history");
        }
    }
    let partners = field_keys(top.get("collections"));
    if let Some(Value::Array(cs)) = top.get_mut("collections") {
        for c in cs.iter_mut().filter_map(Value::as_object_mut) {
            let through = c.get("isThrough") == Some(&Value::Bool(true));
            let fields = match c.remove("fields") {
                Some(Value::Array(fs)) => fs,
                _ => Vec::new(),
            };
            let by_name: Map<String, Value> = fields
                .iter()
                .map(|f| {
                    (
                        str_of(f, "name").to_string(),
                        field_for_equality(f, through, &partners),
                    )
                })
                .collect();
            c.insert("fields".into(), Value::Object(sorted(by_name)));
        }
    }
    if let Some(Value::Array(rs)) = top.get_mut("roles") {
        for r in rs.iter_mut() {
            for g in r
                .get_mut("resources")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                for a in g
                    .get_mut("actions")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if let Some(a) = a.as_object_mut() {
                        a.entry("scope")
                            .or_insert_with(|| Value::String("all".into()));
                    }
                }
            }
        }
    }
    doc
}

/// Field `key` → `collection.field`, for reverse pairs.
fn field_keys(collections: Option<&Value>) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for c in collections.and_then(Value::as_array).into_iter().flatten() {
        for f in c
            .get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(k) = f.get("key").and_then(Value::as_str) {
                out.insert(k.to_string(), format!("{}.{}", name_of(c), name_of(f)));
            }
        }
    }
    out
}

fn field_for_equality(
    f: &Value,
    through: bool,
    partners: &std::collections::HashMap<String, String>,
) -> Value {
    let Value::Object(m) = f else {
        return f.clone();
    };
    if through || m.get("isForeignKey") == Some(&Value::Bool(true)) {
        let keep = ["name", "type"];
        return Value::Object(
            m.iter()
                .filter(|(k, _)| keep.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
    }
    let mut m = m.clone();
    m.remove("key");
    if str_of(f, "type") == "belongsTo" {
        m.remove("sourceKey");
    }
    if let Some(Value::String(r)) = m.get("reverseKey") {
        let partner = partners.get(r).cloned().unwrap_or_else(|| r.clone());
        m.insert("reverseKey".into(), Value::String(partner));
    }
    Value::Object(m)
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

    #[test]
    fn equality_ignores_source_history_field_keys_and_order_and_defaults_scope() {
        let a = serde_json::json!({"format": "flowgate-app", "version": 1, "source": {"kind": "nocobase"},
            "collections": [{"name": "a", "fields": [
                {"name": "x", "type": "string", "key": "k1"},
                {"name": "b", "type": "belongsTo", "key": "k2", "reverseKey": "k3", "sourceKey": "id"}]},
                {"name": "c", "fields": [{"name": "as", "type": "hasMany", "key": "k3", "reverseKey": "k2"}]}],
            "roles": [{"name": "r", "resources": [{"name": "a", "actions": [{"name": "view"}]}]}],
            "workflows": [{"key": "w", "history": [{"key": "w"}]}]});
        let b = serde_json::json!({"version": 1, "format": "flowgate-app", "source": {"kind": "flowgate"},
            "collections": [{"name": "c", "fields": [{"name": "as", "type": "hasMany", "key": "z3", "reverseKey": "z2"}]},
                {"name": "a", "fields": [
                {"name": "b", "type": "belongsTo", "key": "z2", "reverseKey": "z3"},
                {"name": "x", "type": "string", "key": "z1"}]}],
            "roles": [{"name": "r", "resources": [{"name": "a", "actions": [{"name": "view", "scope": "all"}]}]}],
            "workflows": [{"key": "w"}]});
        assert!(equal(&a, &b));
        let mut c = b.clone();
        c["roles"][0]["resources"][0]["actions"][0]["scope"] = serde_json::json!("own");
        assert!(!equal(&a, &c));
        let mut d = b.clone();
        d["collections"][0]["fields"][0]["reverseKey"] = serde_json::json!("z1");
        assert!(!equal(&a, &d), "a reverse key naming another field differs");
    }
}
