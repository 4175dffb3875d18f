//! The bridge: an app's definitions in and out of flowgate (../shared/spec/bridge.md). A definitions
//! document (`doc`) is what `export` writes and `import` applies; `pull` reads a live NocoBase (or
//! flowgate) into one, `push` writes one to a live NocoBase. Every command reports what it could not carry
//! as it is (`report`). The bridge is a door like `cli`: it calls the core's repositories, never HTTP
//! handlers, and its network client (`remote`, used by `pull` and `push`) is the only code here that
//! opens a connection.

pub mod doc;
pub mod export;
pub mod import;
pub mod pull;
pub mod push;
pub mod remote;
pub mod repo;
pub mod report;
pub mod support;

use serde_json::{Map, Value};

/// A row a server answered, as an object without the attributes `drop` names and without null ones
/// (NocoBase treats null as absent): what `pull` keeps of a row and what `push` compares.
pub fn lean(v: &Value, drop: &[&str]) -> Map<String, Value> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, x)| !x.is_null() && !drop.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect()
        })
        .unwrap_or_default()
}
