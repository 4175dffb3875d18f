//! Access control (auth.md §8): one decision function between HTTP and the handlers.
//!
//! Roles, strategies and per-collection resource configs are cached in memory and reloaded after every
//! write to them (only the server writes them), so a decision costs no query.

pub mod repo;
pub mod roles;

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::Value;

use crate::auth::Caller;
use crate::error::{no_permissions, Result};
use crate::gencache::GenCell;
use crate::store::Store;

/// The rows an allowed action may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Only rows whose `createdById` is the caller.
    Own,
}

/// What a request asks to do, as ACL sees it.
#[derive(Debug, Clone)]
pub enum Target {
    /// Any authenticated caller (auth:check, apiKeys:list, workflows:trigger…).
    LoggedIn,
    /// Any authenticated caller except through an API key (apiKeys:create, auth:changePassword).
    LoggedInNoApiKey,
    /// System resources: need the `pm.*` snippet.
    System,
    /// The root role alone (`app:backup`: the whole store, password hashes included).
    Root,
    /// An action on a user collection: `view`, `create`, `update`, `destroy`, `trigger`, `triggerNew`.
    Collection { name: String, action: &'static str },
}

/// The caller's rights on the collections a records action reaches besides the one it was decided on
/// (association values, appends, filters through associations). The door that decided the action
/// answers from the same policy snapshot's rules; the records layer only asks, it never loads policy.
pub trait Rights {
    /// The scope of `action` on collection `name`, or `None`: not allowed.
    fn scope(&self, collection: &str, action: &'static str) -> Option<Scope>;
}

/// Every right with scope `all`: root, and callers without a role (the workflow engine, the CLI).
pub struct AllRights;

impl Rights for AllRights {
    fn scope(&self, _: &str, _: &'static str) -> Option<Scope> {
        Some(Scope::All)
    }
}

pub const ACTIONS: [&str; 6] = [
    "create",
    "view",
    "update",
    "destroy",
    "trigger",
    "triggerNew",
];

#[derive(Debug, Clone)]
pub struct Grant {
    /// An action name or `*`.
    pub action: String,
    pub scope: Scope,
}

#[derive(Debug, Clone, Default)]
pub struct RolePolicy {
    pub strategy: Vec<Grant>,
    pub pm: bool,
    /// Lower-case collection name → (usingActionsConfig, actions).
    pub resources: HashMap<String, (bool, Vec<Grant>)>,
}

pub struct Cache {
    roles: GenCell<HashMap<String, RolePolicy>>,
}

/// Parses `name`, `name:all`, `name:own` or `*` (an unknown scope yields None).
pub fn parse_strategy_entry(s: &str) -> Option<Grant> {
    let (action, scope) = match s.split_once(':') {
        Some((a, "all")) => (a, Scope::All),
        Some((a, "own")) => (a, Scope::Own),
        Some(_) => return None,
        None => (s, Scope::All),
    };
    Some(Grant {
        action: action.to_string(),
        scope,
    })
}

/// The grants of a resource config's actions. An action with field-level permissions (`fields`), a custom
/// scope (an object) or an unknown scope grants nothing here: it is kept for export, never widened to
/// every field or every record (bridge.md §6.2).
fn grants_from_actions(v: &Value) -> Vec<Grant> {
    v.as_array()
        .map(|items| items.iter().filter_map(grant_of_action).collect())
        .unwrap_or_default()
}

/// The grant one resource-config action gives, if any (see [`grants_from_actions`]).
pub(crate) fn grant_of_action(a: &Value) -> Option<Grant> {
    let name = a.get("name")?.as_str()?.to_string();
    let limited = a
        .get("fields")
        .is_some_and(|f| !f.is_null() && f.as_array().is_none_or(|f| !f.is_empty()));
    if limited {
        return None;
    }
    let scope = match a.get("scope") {
        None | Some(Value::Null) => Scope::All,
        Some(Value::String(s)) if s == "all" => Scope::All,
        Some(Value::String(s)) if s == "own" => Scope::Own,
        Some(_) => return None,
    };
    Some(Grant {
        action: name,
        scope,
    })
}

fn load_policies(c: &Connection) -> Result<HashMap<String, RolePolicy>> {
    let mut out: HashMap<String, RolePolicy> = HashMap::new();
    for (name, strategy, snippets) in repo::role_policies(c)? {
        let strategy: Value = serde_json::from_str(&strategy).unwrap_or(Value::Null);
        let snippets: Value = serde_json::from_str(&snippets).unwrap_or(Value::Null);
        let grants = strategy
            .get("actions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter_map(parse_strategy_entry)
                    .collect()
            })
            .unwrap_or_default();
        let pm = snippets.as_array().is_some_and(|s| {
            s.iter()
                .any(|x| matches!(x.as_str(), Some("pm.*") | Some("pm")))
        });
        out.insert(
            name.to_lowercase(),
            RolePolicy {
                strategy: grants,
                pm,
                resources: HashMap::new(),
            },
        );
    }
    for (role, coll, using, actions) in repo::resource_grants(c)? {
        let actions: Value = serde_json::from_str(&actions).unwrap_or(Value::Null);
        if let Some(p) = out.get_mut(&role.to_lowercase()) {
            p.resources
                .insert(coll.to_lowercase(), (using, grants_from_actions(&actions)));
        }
    }
    Ok(out)
}

impl Cache {
    pub fn load(store: &Store) -> Result<Cache> {
        let c = Cache {
            roles: GenCell::new(HashMap::new()),
        };
        c.reload(store)?;
        Ok(c)
    }

    /// Re-reads roles and resource configs; call after committing a change to them. Of two concurrent
    /// reloads the later one's result wins, whichever finishes first.
    pub fn reload(&self, store: &Store) -> Result<()> {
        let ticket = self.roles.ticket();
        let fresh = store.read(load_policies)?;
        self.roles.publish(ticket, fresh);
        Ok(())
    }

    /// The decision: allowed with a scope, or `403 NO_PERMISSIONS`.
    pub fn check(&self, caller: &Caller, target: &Target) -> Result<Scope> {
        match target {
            Target::LoggedIn => return Ok(Scope::All),
            Target::LoggedInNoApiKey if caller.via_api_key => return Err(no_permissions()),
            Target::LoggedInNoApiKey => return Ok(Scope::All),
            _ => {}
        }
        if caller.role == "root" {
            return Ok(Scope::All);
        }
        // One snapshot per decision, read in place: no policy is copied on the request path.
        let roles = self.roles.get();
        let policy = roles
            .get(&caller.role.to_lowercase())
            .ok_or_else(no_permissions)?;
        match target {
            Target::System if policy.pm => Ok(Scope::All),
            Target::Collection { name, action } => {
                let grants = match policy.resources.get(&name.to_lowercase()) {
                    Some((true, actions)) => actions,
                    _ => &policy.strategy,
                };
                best_scope(grants, action).ok_or_else(no_permissions)
            }
            _ => Err(no_permissions()),
        }
    }
}

/// The widest scope any grant gives the action (`all` beats `own`).
fn best_scope(grants: &[Grant], action: &str) -> Option<Scope> {
    let mut best = None;
    for g in grants
        .iter()
        .filter(|g| g.action == "*" || g.action == action)
    {
        if g.scope == Scope::All {
            return Some(Scope::All);
        }
        best = Some(Scope::Own);
    }
    best
}
