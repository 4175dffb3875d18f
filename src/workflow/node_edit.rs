//! The node actions that reshape a version's graph: `flow_nodes:move`, `flow_nodes:duplicate` and
//! `flow_nodes:destroyBranch` (NocoBase's `actions/nodes.ts`), and the placement rules `nodes:create`
//! shares with them. Each action reads the version's nodes once, computes the new links on an in-memory
//! [`Graph`], checks everything before the first write, then writes only the rows whose links changed,
//! all in one `Store::write`.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::api::{executed, node_not_found, one_id, validate_node};
use super::model::{random_key, Node};
use super::nodes;
use super::repo::workflows::{self, Links, NewNode};
use crate::action::Ctx;
use crate::error::{bad, invalid_param, invalid_value, Code, Error, Result};
use crate::reply::Reply;

/// Where a node goes: the workflow's head, right after a node, or the head of one of a node's branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Head,
    After(i64),
    BranchHead(i64, i64),
}

impl Place {
    /// Where `n` sits now.
    fn of(n: &Node) -> Place {
        match (n.upstream_id, n.branch_index) {
            (None, _) => Place::Head,
            (Some(up), None) => Place::After(up),
            (Some(up), Some(i)) => Place::BranchHead(up, i),
        }
    }

    fn upstream(self) -> Option<i64> {
        match self {
            Place::Head => None,
            Place::After(up) | Place::BranchHead(up, _) => Some(up),
        }
    }
}

/// `upstreamId` and `branchIndex` as sent in `values` (create, duplicate, move), unchecked.
pub fn sent_place(values: &Map<String, Value>) -> Result<(Option<i64>, Option<i64>)> {
    let upstream = match values.get("upstreamId") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            crate::action::parse_id(v)
                .ok_or_else(|| invalid_value("Field \"upstreamId\" expects an id"))?,
        ),
    };
    let branch = match values.get("branchIndex") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .ok_or_else(|| invalid_value("Field \"branchIndex\" expects an integer"))?,
        ),
    };
    Ok((upstream, branch))
}

/// Checks a sent place against the version's nodes: the upstream is one of them, a branch index comes
/// with an upstream whose type has that branch.
pub fn resolve_place(nodes: &[Node], upstream: Option<i64>, branch: Option<i64>) -> Result<Place> {
    let Some(u) = upstream else {
        return match branch {
            None => Ok(Place::Head),
            Some(_) => Err(bad(
                Code::InvalidUpstream,
                "branchIndex requires upstreamId",
            )),
        };
    };
    let up = nodes.iter().find(|n| n.id == u).ok_or_else(|| {
        bad(
            Code::InvalidUpstream,
            format!("Upstream node {u} is not in this workflow"),
        )
    })?;
    let Some(i) = branch else {
        return Ok(Place::After(u));
    };
    if !nodes::parse(&up.kind, &up.config).is_ok_and(|typed| typed.has_branch(i)) {
        return Err(no_branch(up, i));
    }
    Ok(Place::BranchHead(u, i))
}

fn no_branch(n: &Node, i: i64) -> Error {
    bad(
        Code::InvalidUpstream,
        format!("Node type \"{}\" has no branch {i}", n.kind),
    )
}

/// The links of a version's nodes, edited in memory; [`Graph::save`] writes the rows that changed.
pub struct Graph {
    links: BTreeMap<i64, Links>,
    stored: BTreeMap<i64, Links>,
}

impl Graph {
    pub fn of(nodes: &[Node]) -> Graph {
        let links: BTreeMap<i64, Links> = nodes
            .iter()
            .map(|n| {
                let l = Links {
                    upstream: n.upstream_id,
                    downstream: n.downstream_id,
                    branch: n.branch_index,
                };
                (n.id, l)
            })
            .collect();
        Graph {
            stored: links.clone(),
            links,
        }
    }

    /// Adds a node just inserted, unlinked (it is written by [`Graph::save`] whatever its links).
    pub fn add(&mut self, id: i64) {
        self.links.insert(id, Links::default());
    }

    fn link(&mut self, id: i64) -> &mut Links {
        self.links.entry(id).or_default()
    }

    /// The node other than `except` whose place is `place` (the one a node put there would push down).
    fn at(&self, place: Place, except: i64) -> Option<i64> {
        let (up, branch) = match place {
            Place::Head => (None, None),
            Place::After(up) => return self.links.get(&up).and_then(|l| l.downstream),
            Place::BranchHead(up, i) => (Some(up), Some(i)),
        };
        self.links
            .iter()
            .find(|(id, l)| **id != except && l.upstream == up && l.branch == branch)
            .map(|(id, _)| *id)
    }

    /// Takes `id` out of its chain, its branches staying with it: its downstream takes its place.
    pub fn detach(&mut self, id: i64) {
        let l = self.links[&id];
        if let (Some(up), None) = (l.upstream, l.branch) {
            self.link(up).downstream = l.downstream;
        }
        if let Some(d) = l.downstream {
            let dl = self.link(d);
            dl.upstream = l.upstream;
            dl.branch = l.branch;
        }
        self.links.insert(id, Links::default());
    }

    /// Puts the detached `id` at `place`; whatever was there follows it.
    pub fn insert(&mut self, id: i64, place: Place) {
        let next = self.at(place, id);
        let branch = match place {
            Place::BranchHead(_, i) => Some(i),
            _ => None,
        };
        *self.link(id) = Links {
            upstream: place.upstream(),
            downstream: next,
            branch,
        };
        if let Place::After(up) = place {
            self.link(up).downstream = Some(id);
        }
        if let Some(n) = next {
            let nl = self.link(n);
            nl.upstream = Some(id);
            nl.branch = None;
        }
    }

    /// The heads of `owner`'s branches, in branch order.
    fn branch_heads(&self, owner: i64) -> Vec<(i64, i64)> {
        let mut heads: Vec<(i64, i64)> = self
            .links
            .iter()
            .filter(|(_, l)| l.upstream == Some(owner))
            .filter_map(|(id, l)| l.branch.map(|b| (b, *id)))
            .collect();
        heads.sort();
        heads
    }

    /// Every node of the chain starting at `head`, with everything in their branches.
    fn chain_with_branches(&self, head: i64, into: &mut BTreeSet<i64>) {
        let mut cur = Some(head);
        while let Some(id) = cur {
            if !into.insert(id) {
                break; // a damaged, cyclic chain: never loop
            }
            self.inside(id, into);
            cur = self.links.get(&id).and_then(|l| l.downstream);
        }
    }

    /// Every node in `owner`'s branches, nested ones included (not `owner` itself).
    pub fn inside(&self, owner: i64, into: &mut BTreeSet<i64>) {
        for (_, head) in self.branch_heads(owner) {
            self.chain_with_branches(head, into);
        }
    }

    /// Drops nodes deleted from the store: their rows need no new links.
    fn forget(&mut self, ids: &BTreeSet<i64>) {
        for id in ids {
            self.links.remove(id);
            self.stored.remove(id);
        }
    }

    /// Writes the links of every node whose links differ from the stored ones.
    pub fn save(&self, c: &Connection) -> Result<()> {
        for (id, l) in &self.links {
            if self.stored.get(id) != Some(l) {
                workflows::set_links(c, *id, *l)?;
            }
        }
        Ok(())
    }
}

/// The node `id` of a version that may still change, with that version's nodes.
fn editable(c: &Connection, id: i64, frozen: &str) -> Result<(Node, Vec<Node>)> {
    let n = workflows::node(c, id)?.ok_or_else(node_not_found)?;
    if executed(c, n.workflow_id)? {
        return Err(bad(Code::WorkflowExecuted, frozen));
    }
    let all = workflows::nodes(c, n.workflow_id)?;
    Ok((n, all))
}

fn reread(c: &Connection, id: i64) -> Result<Node> {
    workflows::node(c, id)?.ok_or_else(|| Error::internal("node vanished"))
}

/// `flow_nodes:move/<id>` `{upstreamId?, branchIndex?}`: the node, with its branches, goes to the
/// workflow's head (no upstream), right after the upstream, or to the head of its branch; its old
/// downstream takes its old place.
pub fn move_node(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let (upstream, branch) = sent_place(&ctx.input.values_or_empty()?)?;
    let moved = ctx.app.store.write(|c| {
        let (n, all) = editable(c, id, "Nodes in executed workflow could not be moved")?;
        let place = resolve_place(&all, upstream, branch)?;
        let mut graph = Graph::of(&all);
        if let Some(up) = place.upstream() {
            check_not_inside(&graph, id, up)?;
        }
        if place == Place::of(&n) {
            return Err(bad(
                Code::InvalidUpstream,
                format!("Node {id} is already there: it does not need to be moved"),
            ));
        }
        graph.detach(id);
        graph.insert(id, place);
        graph.save(c)?; // the moved node's links always change, which sets its updatedAt
        reread(c, id)
    })?;
    Ok(Reply::data(moved.to_json()))
}

/// Refuses a move that would put `id` after itself or into its own branches (a cycle).
fn check_not_inside(graph: &Graph, id: i64, up: i64) -> Result<()> {
    if up == id {
        return Err(bad(
            Code::InvalidUpstream,
            format!("Node {id} cannot be its own upstream"),
        ));
    }
    let mut inside = BTreeSet::new();
    graph.inside(id, &mut inside);
    if inside.contains(&up) {
        return Err(bad(
            Code::InvalidUpstream,
            format!(
                "Node {up} is in a branch of node {id}: a node cannot move into its own branch"
            ),
        ));
    }
    Ok(())
}

/// `flow_nodes:duplicate/<id>` `{upstreamId?, branchIndex?, config?}`: a new node of the same type and
/// title with the origin's config (or the one sent), a new key, placed as `nodes:create` places one;
/// the origin's branches are not copied (as NocoBase).
pub fn duplicate_node(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let (upstream, branch) = sent_place(&values)?;
    let sent_config = values.get("config").filter(|c| !c.is_null()).cloned();
    let schema = ctx.app.registry.snapshot();
    let copy = ctx.app.store.write(|c| {
        let (origin, all) = editable(c, id, "Node could not be created in executed workflow")?;
        let place = resolve_place(&all, upstream, branch)?;
        let config = sent_config.unwrap_or_else(|| origin.config.clone());
        validate_node(&origin.kind, &config, &schema)?;
        let key = unused_key(&all);
        let new = NewNode {
            key: &key,
            workflow_id: origin.workflow_id,
            branch_index: None,
            kind: &origin.kind,
            title: origin.title.as_deref(),
            config: &config,
        };
        let copy = workflows::insert_node(c, &new)?;
        let mut graph = Graph::of(&all);
        graph.add(copy);
        graph.insert(copy, place);
        graph.save(c)?;
        reread(c, copy)
    })?;
    Ok(Reply::data(copy.to_json()))
}

/// A random node key no node of the version has.
pub fn unused_key(nodes: &[Node]) -> String {
    loop {
        let key = random_key();
        if nodes.iter().all(|n| n.key != key) {
            return key;
        }
    }
}

/// `flow_nodes:destroyBranch/<id>?branchIndex=<i>[&shift=1]`: deletes branch `i` of the node with
/// everything in it; with `shift=1` the later branches move down one index. Answers the deleted
/// branch's head, or `null` for a branch that was empty.
pub fn destroy_branch(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let index = branch_param(ctx.input.param("branchIndex"))?;
    let shift = match ctx.input.param("shift") {
        None => false,
        Some(v) => int_param(v).ok_or_else(|| invalid_param("shift", "must be 1 or 0"))? == 1,
    };
    let head = ctx.app.store.write(|c| {
        let (n, all) = editable(c, id, "Branches in executed workflow could not be deleted")?;
        if !nodes::parse(&n.kind, &n.config).is_ok_and(|typed| typed.has_branch(index)) {
            return Err(no_branch(&n, index));
        }
        let mut graph = Graph::of(&all);
        let heads = graph.branch_heads(id);
        let head = heads.iter().find(|(b, _)| *b == index).map(|(_, h)| *h);
        let head_node = head.and_then(|h| all.iter().find(|x| x.id == h)).cloned();
        let mut gone = BTreeSet::new();
        if let Some(h) = head {
            graph.chain_with_branches(h, &mut gone);
        }
        for d in &gone {
            workflows::delete_node(c, *d)?;
        }
        graph.forget(&gone);
        if shift {
            for (b, h) in heads.iter().filter(|(b, _)| *b > index) {
                graph.link(*h).branch = Some(b - 1);
            }
        }
        graph.save(c)?;
        Ok(head_node)
    })?;
    Ok(Reply::data(head.map_or(Value::Null, |h| h.to_json())))
}

fn int_param(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn branch_param(v: Option<&Value>) -> Result<i64> {
    match v {
        None | Some(Value::Null) => Err(bad(Code::MissingParameter, "branchIndex is required")),
        Some(v) => int_param(v).ok_or_else(|| invalid_param("branchIndex", "must be an integer")),
    }
}
