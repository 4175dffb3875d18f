//! A target version's nodes in the document's pre-order (bridge.md §2.5): the head, each branch by
//! ascending index depth first, then the downstream; with each node's id, so push can address it.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::target::{id_of, str_at};

#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// document-shaped nodes `{branchIndex, config, key, title, type, upstream}` in pre-order
    pub nodes: Vec<Value>,
    /// node key → id on the target
    pub ids: HashMap<String, i64>,
    /// the ids of the main chain, head first: what `flow_nodes:destroy` of the head removes one by one
    pub main: Vec<i64>,
}

pub fn preorder(raw: &[Value]) -> Result<Graph, String> {
    let by_id: HashMap<i64, &Value> = raw.iter().filter_map(|n| Some((id_of(n)?, n))).collect();
    let heads: Vec<&Value> = raw
        .iter()
        .filter(|n| n.get("upstreamId").map_or(true, Value::is_null))
        .collect();
    let mut g = Graph::default();
    if raw.is_empty() {
        return Ok(g);
    }
    if heads.len() != 1 {
        return Err(format!("{} head nodes", heads.len()));
    }
    let mut seen = HashSet::new();
    let head = id_of(heads[0]).ok_or("a node without id")?;
    g.main = chain(&by_id, head, None, None, &mut g, &mut seen)?;
    if seen.len() != raw.len() {
        return Err(format!("{} unreachable nodes", raw.len() - seen.len()));
    }
    Ok(g)
}

/// Emits the chain starting at `start` (and, depth first, the branches of each node on it); returns the
/// chain's ids.
fn chain(
    by_id: &HashMap<i64, &Value>,
    start: i64,
    upstream: Option<&str>,
    branch: Option<i64>,
    g: &mut Graph,
    seen: &mut HashSet<i64>,
) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    let mut next = Some(start);
    let mut up = upstream.map(str::to_string);
    let mut index = branch;
    while let Some(id) = next {
        let node = by_id
            .get(&id)
            .ok_or_else(|| format!("node {id} is missing"))?;
        if !seen.insert(id) {
            return Err(format!(
                "node {} is reached twice (a cycle)",
                str_at(node, "key")
            ));
        }
        let key = str_at(node, "key").to_string();
        g.nodes.push(json!({
            "branchIndex": index, "config": node.get("config").cloned().unwrap_or(json!({})),
            "key": key, "title": node.get("title").cloned().unwrap_or(Value::Null),
            "type": node.get("type").cloned().unwrap_or(Value::Null), "upstream": up,
        }));
        g.ids.insert(key.clone(), id);
        ids.push(id);
        let mut branches: Vec<(i64, i64)> = by_id
            .values()
            .filter(|n| n.get("upstreamId").and_then(Value::as_i64) == Some(id))
            .filter_map(|n| Some((n.get("branchIndex")?.as_i64()?, id_of(n)?)))
            .collect();
        branches.sort();
        for (i, head) in branches {
            chain(by_id, head, Some(&key), Some(i), g, seen)?;
        }
        next = node.get("downstreamId").and_then(Value::as_i64);
        if let Some(d) = next {
            let back = by_id
                .get(&d)
                .and_then(|n| n.get("upstreamId"))
                .and_then(Value::as_i64);
            if back != Some(id) {
                return Err(format!("node {key}'s downstream does not point back at it"));
            }
        }
        up = Some(key);
        index = None;
    }
    Ok(ids)
}

/// Two node lists have the same graph when keys, types, upstreams and branch indexes agree in order.
pub fn same_shape(a: &[Value], b: &[Value]) -> bool {
    let shape = |n: &Value| {
        (
            n.get("key").cloned(),
            n.get("type").cloned(),
            n.get("upstream").cloned(),
            n.get("branchIndex").cloned(),
        )
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| shape(x) == shape(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_nodes(key: &str) -> Vec<Value> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/nocobase/workflows.list__current.json"
        );
        let list: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let w = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["key"] == key)
            .unwrap();
        w["nodes"].as_array().unwrap().clone()
    }

    #[test]
    fn branches_come_before_the_downstream() {
        let g = preorder(&fixture_nodes("br_wf_bulk_tier")).unwrap();
        let order: Vec<(String, Value, Value)> = g
            .nodes
            .iter()
            .map(|n| {
                (
                    n["key"].as_str().unwrap().to_string(),
                    n["upstream"].clone(),
                    n["branchIndex"].clone(),
                )
            })
            .collect();
        let expect = [
            ("loop_each", Value::Null, Value::Null),
            ("mc_tier", json!("loop_each"), json!(0)),
            ("v_skip", json!("mc_tier"), json!(0)),
            ("u_gold", json!("mc_tier"), json!(1)),
            ("u_silver", json!("mc_tier"), json!(2)),
            ("par", json!("loop_each"), Value::Null),
            ("calc_n", json!("par"), json!(0)),
            ("jq_ids", json!("par"), json!(1)),
            ("out_n", json!("par"), Value::Null),
        ];
        let expect: Vec<(String, Value, Value)> = expect
            .into_iter()
            .map(|(k, u, b)| (k.to_string(), u, b))
            .collect();
        assert_eq!(order, expect);
        assert_eq!(g.main.len(), 3, "loop_each, par, out_n");
    }

    #[test]
    fn two_heads_are_refused() {
        let mut nodes = fixture_nodes("br_wf_price_check");
        for n in nodes.iter_mut() {
            n["upstreamId"] = Value::Null;
        }
        assert!(preorder(&nodes).unwrap_err().contains("head nodes"));
    }
}
