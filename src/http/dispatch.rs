//! The processing order of http.md §2 for one API request, on the blocking pool:
//! public actions → authenticate → role → data source → resource and action → ACL → handler.
//!
//! Access control happens here, once, from the resolved [`Resource`]; handlers receive the decided
//! [`Scope`] and never check permissions themselves.

use std::sync::Arc;

use serde_json::json;

use super::request::Request;
use super::route::Route;
use super::Reply;
use crate::acl::{Scope, Target};
use crate::app::App;
use crate::auth::{self, Caller};
use crate::collections::{Collection, Field};
use crate::error::{bad, resource_not_found, Code, Error, Result};

/// What a handler gets: the request, the caller, and the ACL's decision.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub req: &'a Request,
    pub route: &'a Route,
    pub caller: &'a Caller,
    pub scope: Scope,
}

pub struct Outcome {
    pub result: Result<Reply>,
    pub user_id: Option<i64>,
}

/// The resource a route names, with whatever its resolution loaded.
pub enum Resource {
    Auth,
    Users,
    Roles,
    RoleResources(String),
    ApiKeys,
    Workflows,
    /// `/workflows/<id>/nodes`
    WorkflowNodes(i64),
    FlowNodes,
    Executions,
    Collections,
    /// `collections/<name>/fields`: the collection the fields belong to.
    CollectionFields(Arc<Collection>),
    /// `fields:create` with `collectionName`.
    Fields,
    Records(Arc<Collection>),
    /// `/<collection>/<sourceId>/<association>`: the association field and its target.
    Association { source: Arc<Collection>, source_id: i64, field: Field, target: Arc<Collection> },
}

pub fn action_not_found(route: &Route) -> Error {
    let name = match &route.association {
        Some(a) => format!("{}.{a}", route.resource),
        None => route.resource.clone(),
    };
    Error::new(Code::ActionNotFound, format!("Action \"{}\" is not available on resource \"{name}\"", route.action))
}

pub fn handle(app: &App, req: Request) -> Outcome {
    let mut user_id = None;
    let result = run(app, &req, &mut user_id);
    Outcome { result, user_id }
}

fn run(app: &App, req: &Request, user_id: &mut Option<i64>) -> Result<Reply> {
    if let Ok(route) = &req.route {
        if route.association.is_none() {
            match (route.resource.as_str(), route.action.as_str()) {
                ("health", _) => return health(app),
                ("auth", "signIn") => return auth::handlers::sign_in(app, req),
                _ => {}
            }
        }
    }
    let caller = auth::authenticate(app, req)?;
    *user_id = Some(caller.user.id);
    if let Some(ds) = &req.x_data_source {
        if ds != "main" {
            return Err(bad(Code::DataSourceNotFound, format!("data source \"{ds}\" does not exist")));
        }
    }
    let route = req.route()?;
    let resource = resolve(app, route)?;
    let target = acl_target(req, route, &resource)?;
    let scope = app.acl.check(&caller, &target)?;
    // Trigger actions check the Idempotency-Key first, then the query (http.md §2 steps 8–9).
    if route.action != "trigger" {
        req.query()?;
    }
    let ctx = Ctx { app, req, route, caller: &caller, scope };
    call(&ctx, &resource)
}

fn health(app: &App) -> Result<Reply> {
    if app.is_shutting_down() {
        return Err(Error::new(Code::ServiceUnavailable, "Service is shutting down"));
    }
    if !app.store.ping() {
        return Err(Error::new(Code::ServiceUnavailable, "Store is unavailable"));
    }
    Ok(Reply::data(json!({ "status": "ok" })))
}

/// The actions each resource kind offers; anything else is `404 ACTION_NOT_FOUND`.
fn allowed_actions(resource: &Resource) -> &'static [&'static str] {
    const CRUD: &[&str] = &["list", "get", "create", "update", "destroy"];
    match resource {
        Resource::Auth => &["check", "signOut", "changePassword"],
        Resource::Users | Resource::Roles | Resource::RoleResources(_) => CRUD,
        Resource::ApiKeys => &["create", "list", "destroy"],
        Resource::Workflows => &["list", "get", "create", "update", "destroy", "revision", "execute", "trigger"],
        Resource::WorkflowNodes(_) => &["list", "create"],
        Resource::FlowNodes => &["get", "update", "destroy"],
        Resource::Executions => &["list", "get", "cancel", "destroy"],
        Resource::Collections | Resource::CollectionFields(_) => CRUD,
        Resource::Fields => &["create"],
        Resource::Records(_) => &["list", "get", "create", "update", "destroy", "trigger"],
        Resource::Association { field, .. } if field.kind.is_to_one() => &["get", "update", "trigger"],
        Resource::Association { .. } => &["list", "get", "create", "update", "destroy", "trigger"],
    }
}

fn resolve(app: &App, route: &Route) -> Result<Resource> {
    let resource = match (route.resource.as_str(), route.association.as_deref()) {
        ("auth", None) => Resource::Auth,
        ("users", None) => Resource::Users,
        ("roles", None) => Resource::Roles,
        ("roles", Some("resources")) => {
            let name = route.source_id.clone().unwrap_or_default();
            let role = app
                .store
                .read(|c| crate::acl::roles::find_role(c, &name))?
                .ok_or_else(|| crate::error::record_not_found(&name, "roles"))?;
            Resource::RoleResources(role)
        }
        ("apiKeys", None) => Resource::ApiKeys,
        ("workflows", None) => Resource::Workflows,
        ("workflows", Some("nodes")) => {
            let raw = route.source_id.clone().unwrap_or_default();
            let id = super::request::parse_id_str(&raw)
                .ok_or_else(|| Error::new(Code::WorkflowNotFound, "workflow not found"))?;
            app.store
                .read(|c| crate::workflow::api::find_workflow(c, id))?
                .ok_or_else(|| Error::new(Code::WorkflowNotFound, "workflow not found"))?;
            Resource::WorkflowNodes(id)
        }
        ("flow_nodes", None) => Resource::FlowNodes,
        ("executions", None) => Resource::Executions,
        ("collections", None) => Resource::Collections,
        ("collections", Some("fields")) => {
            let name = route.source_id.clone().unwrap_or_default();
            let coll = app
                .registry
                .user_collection(&name)
                .ok_or_else(|| crate::collections::schema_ops::missing_collection(&name))?;
            Resource::CollectionFields(coll)
        }
        ("fields", None) => Resource::Fields,
        (name, None) => Resource::Records(app.registry.user_collection(name).ok_or_else(|| resource_not_found(name))?),
        (name, Some(assoc)) => resolve_association(app, name, route.source_id.as_deref().unwrap_or(""), assoc)?,
    };
    if !allowed_actions(&resource).contains(&route.action.as_str()) {
        return Err(action_not_found(route));
    }
    Ok(resource)
}

fn resolve_association(app: &App, name: &str, source_id: &str, assoc: &str) -> Result<Resource> {
    let full = format!("{name}.{assoc}");
    let source = app.registry.user_collection(name).ok_or_else(|| resource_not_found(&full))?;
    let field = source.field(assoc).filter(|f| f.is_association()).cloned().ok_or_else(|| resource_not_found(&full))?;
    let target = field
        .kind
        .target()
        .and_then(|t| app.registry.get(t))
        .ok_or_else(|| resource_not_found(&full))?;
    let id = super::request::parse_id_str(source_id)
        .ok_or_else(|| crate::error::record_not_found(source_id, &source.name))?;
    if !crate::collections::records::exists(app, &source, id)? {
        return Err(crate::error::record_not_found(id, &source.name));
    }
    Ok(Resource::Association { source, source_id: id, field, target })
}

/// The ACL question a resource and action pose (auth.md §8 "Evaluation").
fn acl_target(req: &Request, route: &Route, resource: &Resource) -> Result<Target> {
    let action = route.action.as_str();
    Ok(match resource {
        Resource::Auth if action == "changePassword" => Target::LoggedInNoApiKey,
        Resource::Auth => Target::LoggedIn,
        Resource::ApiKeys if action == "create" => Target::LoggedInNoApiKey,
        Resource::ApiKeys => Target::LoggedIn,
        Resource::Workflows if action == "trigger" => Target::LoggedIn,
        Resource::Users
        | Resource::Roles
        | Resource::RoleResources(_)
        | Resource::Workflows
        | Resource::WorkflowNodes(_)
        | Resource::FlowNodes
        | Resource::Executions
        | Resource::Collections
        | Resource::CollectionFields(_)
        | Resource::Fields => Target::System,
        Resource::Records(c) => Target::Collection { name: c.name.clone(), action: collection_action(req, route) },
        Resource::Association { target, .. } => {
            Target::Collection { name: target.name.clone(), action: collection_action(req, route) }
        }
    })
}

/// list/get → view; trigger with a filterByTk → trigger, without → triggerNew.
fn collection_action(req: &Request, route: &Route) -> &'static str {
    match route.action.as_str() {
        "list" | "get" => "view",
        "create" => "create",
        "update" => "update",
        "destroy" => "destroy",
        "trigger" if route.tk.is_some() || req.param("filterByTk").is_some() => "trigger",
        "trigger" => "triggerNew",
        _ => "view",
    }
}

fn call(ctx: &Ctx, resource: &Resource) -> Result<Reply> {
    match resource {
        Resource::Auth => match ctx.route.action.as_str() {
            "check" => auth::handlers::check(ctx),
            "signOut" => auth::handlers::sign_out(ctx),
            _ => auth::handlers::change_password(ctx),
        },
        Resource::Users => auth::users::handle(ctx),
        Resource::Roles => crate::acl::roles::handle(ctx),
        Resource::RoleResources(role) => crate::acl::roles::handle_resources(ctx, role),
        Resource::ApiKeys => auth::api_keys::handle(ctx),
        Resource::Workflows if ctx.route.action == "trigger" => crate::trigger::handle_global(ctx),
        Resource::Workflows => crate::workflow::api::handle_workflows(ctx),
        Resource::WorkflowNodes(id) => crate::workflow::api::handle_workflow_nodes(ctx, *id),
        Resource::FlowNodes => crate::workflow::api::handle_flow_nodes(ctx),
        Resource::Executions => crate::workflow::api::handle_executions(ctx),
        Resource::Records(c) if ctx.route.action == "trigger" => crate::trigger::handle_records(ctx, c),
        Resource::Collections => crate::collections::schema_api::handle_collections(ctx),
        Resource::CollectionFields(c) => crate::collections::schema_api::handle_fields(ctx, c),
        Resource::Fields => crate::collections::schema_api::handle_fields_resource(ctx),
        Resource::Records(c) => crate::collections::records::handle(ctx, c),
        Resource::Association { source, source_id, field, target } if ctx.route.action == "trigger" => {
            crate::trigger::handle_association(ctx, source, *source_id, field, target)
        }
        Resource::Association { source, source_id, field, target } => {
            crate::collections::records::handle_association(ctx, source, *source_id, field, target)
        }
    }
}
