//! The processing order of http.md §2 for one API request, on the blocking pool:
//! public actions → authenticate → role → data source → resource → route table → ACL → handler.
//!
//! [`ROUTES`] is the one route table: (resource kind, action) → the ACL question and the core function
//! that answers. Access control happens here, once; handlers receive the decided scope in their
//! [`Ctx`] and never check permissions themselves.

use std::sync::Arc;

use serde_json::json;

use super::request::Request;
use super::route::{Method, Route};
use super::Reply;
use crate::acl::{self, roles, Scope, Target};
use crate::action::{Ctx, Input, RowActions};
use crate::app::App;
use crate::auth::{self, api_keys, users, Credentials};
use crate::collections::record_api::{self as records, On};
use crate::collections::schema_api as schema;
use crate::collections::{Collection, Field};
use crate::error::{bad, resource_not_found, Code, Error, Result};
use crate::trigger;
use crate::workflow::api as wf;
use crate::workflow::node_edit;

pub struct Outcome {
    pub result: Result<Reply>,
    pub user_id: Option<i64>,
    /// The request's metrics slot ([`metric_labels`]).
    pub slot: usize,
}

/// The resource a route names, with whatever its resolution loaded.
pub enum Resource {
    Auth,
    /// `app:getInfo`: what server this is (bridge.md §2.1).
    App,
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
    Association {
        source: Arc<Collection>,
        source_id: i64,
        field: Box<Field>,
        target: Arc<Collection>,
    },
}

/// What the route table is keyed by: a resource's kind (associations by cardinality, and whether the
/// target is the built-in `users` table, whose writes belong to the users API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Auth,
    App,
    Users,
    Roles,
    RoleResources,
    ApiKeys,
    Workflows,
    WorkflowNodes,
    FlowNodes,
    Executions,
    Collections,
    CollectionFields,
    Fields,
    Records,
    ToOne,
    ToMany,
    ToOneBuiltin,
    ToManyBuiltin,
}

/// The ACL question of a route (auth.md §8 "Evaluation").
#[derive(Debug, Clone, Copy)]
pub enum Guard {
    /// Any authenticated caller.
    LoggedIn,
    /// Any authenticated caller except through an API key.
    LoggedInNoApiKey,
    /// A system resource: the `pm.*` snippet.
    System,
    /// The root role alone.
    Root,
    /// An action on the collection whose rows the route touches (for an association: the target).
    Rows(&'static str),
    /// `trigger` with a record key, `triggerNew` without.
    Trigger,
}

type Handler = fn(&Ctx, &Resource) -> Result<Reply>;

pub struct Entry {
    pub kind: Kind,
    pub action: &'static str,
    /// A read answers GET and HEAD; a write answers `405` to them (a token in a leaked URL must not be a
    /// one-click write), POST and the other methods.
    pub reads: bool,
    pub guard: Guard,
    pub handler: Handler,
}

/// A read action (`list`, `get`, `check`, `listMeta`): any method.
const fn read(kind: Kind, action: &'static str, guard: Guard, handler: Handler) -> Entry {
    Entry {
        kind,
        action,
        reads: true,
        guard,
        handler,
    }
}

/// A write action: never through GET or HEAD.
const fn write(kind: Kind, action: &'static str, guard: Guard, handler: Handler) -> Entry {
    Entry {
        kind,
        action,
        reads: false,
        guard,
        handler,
    }
}

use Guard::{LoggedIn, LoggedInNoApiKey, Root, Rows, System, Trigger};
use Kind::*;

/// Every action flowgate serves, each a read or a write. Anything else is `404 ACTION_NOT_FOUND`;
/// adding an action is one line.
pub static ROUTES: &[Entry] = &[
    read(Auth, "check", LoggedIn, |c, _| auth::handlers::check(c)),
    read(App, "getInfo", LoggedIn, |_, _| Ok(crate::app::info())),
    read(App, "export", System, |c, _| {
        crate::bridge::export::download(c)
    }),
    read(App, "backup", Root, |c, _| crate::ops::download(c)),
    write(Auth, "signOut", LoggedIn, |c, _| {
        auth::handlers::sign_out(c)
    }),
    write(Auth, "changePassword", LoggedInNoApiKey, |c, _| {
        auth::handlers::change_password(c)
    }),
    read(Users, "list", System, |c, _| users::list(c)),
    read(Users, "get", System, |c, _| users::get(c)),
    write(Users, "create", System, |c, _| users::create(c)),
    write(Users, "update", System, |c, _| users::update(c)),
    write(Users, "destroy", System, |c, _| users::destroy(c)),
    read(Roles, "check", LoggedIn, |c, _| roles::check(c)),
    read(Roles, "list", System, |c, _| roles::list(c)),
    read(Roles, "get", System, |c, _| roles::get(c)),
    write(Roles, "create", System, |c, _| {
        roles::writing(c, roles::create)
    }),
    write(Roles, "update", System, |c, _| {
        roles::writing(c, roles::update)
    }),
    write(Roles, "destroy", System, |c, _| {
        roles::writing(c, roles::destroy)
    }),
    read(RoleResources, "list", System, |c, r| {
        roles::resources_list(c, r.role()?)
    }),
    read(RoleResources, "get", System, |c, r| {
        roles::resources_get(c, r.role()?)
    }),
    write(RoleResources, "create", System, |c, r| {
        roles::writing_resources(c, r.role()?, roles::resources_create)
    }),
    write(RoleResources, "update", System, |c, r| {
        roles::writing_resources(c, r.role()?, roles::resources_update)
    }),
    write(RoleResources, "destroy", System, |c, r| {
        roles::writing_resources(c, r.role()?, roles::resources_destroy)
    }),
    write(ApiKeys, "create", LoggedInNoApiKey, |c, _| {
        api_keys::create(c)
    }),
    read(ApiKeys, "list", LoggedIn, |c, _| api_keys::list(c)),
    write(ApiKeys, "destroy", LoggedIn, |c, _| api_keys::destroy(c)),
    read(Workflows, "list", System, |c, _| wf::list_workflows(c)),
    read(Workflows, "get", System, |c, _| wf::get_workflow(c)),
    write(Workflows, "create", System, |c, _| {
        wf::writing(c, wf::create_workflow)
    }),
    write(Workflows, "update", System, |c, _| {
        wf::writing(c, wf::update_workflow)
    }),
    write(Workflows, "destroy", System, |c, _| {
        wf::writing(c, wf::destroy_workflow)
    }),
    write(Workflows, "revision", System, |c, _| {
        wf::writing(c, wf::revision)
    }),
    write(Workflows, "execute", System, |c, _| {
        crate::workflow::dry_run::execute(c)
    }),
    write(Workflows, "trigger", Trigger, |c, _| {
        trigger::handle_global(c)
    }),
    read(WorkflowNodes, "list", System, |c, r| {
        wf::list_nodes(c, r.workflow_id()?)
    }),
    write(WorkflowNodes, "create", System, |c, r| {
        wf::writing_nodes(c, r.workflow_id()?, wf::create_node)
    }),
    read(FlowNodes, "get", System, |c, _| wf::get_node(c)),
    write(FlowNodes, "update", System, |c, _| {
        wf::writing(c, wf::update_node)
    }),
    write(FlowNodes, "destroy", System, |c, _| {
        wf::writing(c, wf::destroy_node)
    }),
    write(FlowNodes, "move", System, |c, _| {
        wf::writing(c, node_edit::move_node)
    }),
    write(FlowNodes, "duplicate", System, |c, _| {
        wf::writing(c, node_edit::duplicate_node)
    }),
    write(FlowNodes, "destroyBranch", System, |c, _| {
        wf::writing(c, node_edit::destroy_branch)
    }),
    read(FlowNodes, "test", System, |c, _| {
        crate::workflow::node_test::test_node(c)
    }),
    read(Executions, "list", System, |c, _| wf::list_executions(c)),
    read(Executions, "get", System, |c, _| wf::get_execution(c)),
    read(Executions, "stats", System, |c, _| {
        crate::workflow::stats::stats(c)
    }),
    write(Executions, "cancel", System, |c, _| wf::cancel_execution(c)),
    write(Executions, "rerun", System, |c, _| {
        crate::workflow::rerun::rerun(c)
    }),
    write(Executions, "destroy", System, |c, _| {
        wf::destroy_executions(c)
    }),
    // Any signed-in caller may read the collection definitions, as in NocoBase (its client needs them).
    read(Collections, "list", LoggedIn, |c, _| {
        schema::list_collections(c)
    }),
    read(Collections, "listMeta", LoggedIn, |c, _| {
        schema::list_meta(c)
    }),
    read(Collections, "get", System, |c, _| schema::get_collection(c)),
    write(Collections, "create", System, |c, _| {
        schema::create_collection(c)
    }),
    write(Collections, "update", System, |c, _| {
        schema::update_collection(c)
    }),
    write(Collections, "destroy", System, |c, _| {
        schema::destroy_collection(c)
    }),
    read(CollectionFields, "list", System, |c, r| {
        schema::list_fields(c, r.collection()?)
    }),
    read(CollectionFields, "get", System, |c, r| {
        schema::get_field(c, r.collection()?)
    }),
    write(CollectionFields, "create", System, |c, r| {
        schema::create_collection_field(c, r.collection()?)
    }),
    write(CollectionFields, "update", System, |c, r| {
        schema::update_field(c, r.collection()?)
    }),
    write(CollectionFields, "destroy", System, |c, r| {
        schema::destroy_field(c, r.collection()?)
    }),
    write(Fields, "create", System, |c, _| {
        schema::create_named_field(c)
    }),
    read(Records, "list", Rows("view"), |c, r| {
        records::list(c, &r.rows(c)?)
    }),
    read(Records, "get", Rows("view"), |c, r| {
        records::get(c, &r.rows(c)?)
    }),
    write(Records, "create", Rows("create"), |c, r| {
        records::create(c, &r.rows(c)?)
    }),
    write(Records, "update", Rows("update"), |c, r| {
        records::update(c, &r.rows(c)?)
    }),
    write(Records, "destroy", Rows("destroy"), |c, r| {
        records::destroy(c, &r.rows(c)?)
    }),
    write(Records, "trigger", Trigger, |c, r| {
        trigger::handle_records(c, r.collection()?)
    }),
    read(ToMany, "list", Rows("view"), |c, r| {
        records::list(c, &r.rows(c)?)
    }),
    read(ToMany, "get", Rows("view"), |c, r| {
        records::get(c, &r.rows(c)?)
    }),
    write(ToMany, "create", Rows("create"), |c, r| {
        records::create(c, &r.rows(c)?)
    }),
    write(ToMany, "update", Rows("update"), |c, r| {
        records::update(c, &r.rows(c)?)
    }),
    write(ToMany, "destroy", Rows("destroy"), |c, r| {
        records::destroy(c, &r.rows(c)?)
    }),
    write(ToMany, "trigger", Trigger, association_trigger),
    read(ToOne, "get", Rows("view"), |c, r| {
        records::get(c, &r.rows(c)?)
    }),
    write(ToOne, "update", Rows("update"), |c, r| {
        records::update(c, &r.rows(c)?)
    }),
    write(ToOne, "trigger", Trigger, association_trigger),
    read(ToManyBuiltin, "list", Rows("view"), |c, r| {
        records::list(c, &r.rows(c)?)
    }),
    read(ToManyBuiltin, "get", Rows("view"), |c, r| {
        records::get(c, &r.rows(c)?)
    }),
    write(ToManyBuiltin, "trigger", Trigger, association_trigger),
    read(ToOneBuiltin, "get", Rows("view"), |c, r| {
        records::get(c, &r.rows(c)?)
    }),
    write(ToOneBuiltin, "trigger", Trigger, association_trigger),
];

fn association_trigger(ctx: &Ctx, r: &Resource) -> Result<Reply> {
    match r {
        Resource::Association {
            source,
            source_id,
            field,
            target,
        } => trigger::handle_association(ctx, source, *source_id, field, target),
        _ => Err(mismatch("association_trigger")),
    }
}

fn mismatch(accessor: &str) -> Error {
    Error::internal(format!(
        "route table: {accessor} called on a resource of another kind"
    ))
}

impl Resource {
    pub fn kind(&self) -> Kind {
        match self {
            Resource::Auth => Auth,
            Resource::App => App,
            Resource::Users => Users,
            Resource::Roles => Roles,
            Resource::RoleResources(_) => RoleResources,
            Resource::ApiKeys => ApiKeys,
            Resource::Workflows => Workflows,
            Resource::WorkflowNodes(_) => WorkflowNodes,
            Resource::FlowNodes => FlowNodes,
            Resource::Executions => Executions,
            Resource::Collections => Collections,
            Resource::CollectionFields(_) => CollectionFields,
            Resource::Fields => Fields,
            Resource::Records(_) => Records,
            Resource::Association { field, target, .. } => {
                match (field.kind.is_to_one(), target.builtin) {
                    (true, false) => ToOne,
                    (false, false) => ToMany,
                    (true, true) => ToOneBuiltin,
                    (false, true) => ToManyBuiltin,
                }
            }
        }
    }

    // The accessors below are called by route table entries of the matching kind; a mismatch (a wrong
    // table line) answers 500 naming the accessor instead of panicking on the request path.

    fn role(&self) -> Result<&str> {
        match self {
            Resource::RoleResources(role) => Ok(role),
            _ => Err(mismatch("role")),
        }
    }

    fn workflow_id(&self) -> Result<i64> {
        match self {
            Resource::WorkflowNodes(id) => Ok(*id),
            _ => Err(mismatch("workflow_id")),
        }
    }

    fn collection(&self) -> Result<&Arc<Collection>> {
        match self {
            Resource::CollectionFields(c) | Resource::Records(c) => Ok(c),
            _ => Err(mismatch("collection")),
        }
    }

    /// The rows a records action works on: a collection's, or an association's target rows.
    fn rows(&self, ctx: &Ctx) -> Result<On<'_>> {
        match self {
            Resource::Records(c) => Ok(On::collection(c)),
            Resource::Association {
                source,
                source_id,
                field,
                target,
            } => On::association(ctx, source, *source_id, field, target),
            _ => Err(mismatch("rows")),
        }
    }

    /// The collection whose ACL applies to a rows guard.
    fn acl_collection(&self) -> &str {
        match self {
            Resource::Records(c) => &c.name,
            Resource::Association { target, .. } => &target.name,
            _ => "",
        }
    }
}

fn route_entry(kind: Kind, action: &str) -> Option<(usize, &'static Entry)> {
    ROUTES
        .iter()
        .enumerate()
        .find(|(_, e)| e.kind == kind && e.action == action)
}

/// Metrics slots past the routes: `health`, `auth:signIn`, and whatever matched no route.
pub const SLOT_HEALTH: usize = ROUTES_LEN;
const SLOT_SIGN_IN: usize = ROUTES_LEN + 1;
pub const SLOT_OTHER: usize = ROUTES_LEN + 2;
const ROUTES_LEN: usize = ROUTES.len();

/// The `(resource, action)` labels of the metrics slots: one per route (a fixed list, whatever the
/// collections are called), then health, sign-in and the unrouted.
pub fn metric_labels() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = ROUTES
        .iter()
        .map(|e| (e.kind.label().to_string(), e.action.to_string()))
        .collect();
    out.push(("health".into(), "check".into()));
    out.push(("auth".into(), "signIn".into()));
    out.push(("unrouted".into(), "".into()));
    out
}

impl Kind {
    /// The resource label of the kind's metrics: a collection's rows are `records`, an association's
    /// target rows `association`, whatever the names.
    fn label(self) -> &'static str {
        match self {
            Kind::Auth => "auth",
            Kind::App => "app",
            Kind::Users => "users",
            Kind::Roles => "roles",
            Kind::RoleResources => "roles.resources",
            Kind::ApiKeys => "apiKeys",
            Kind::Workflows => "workflows",
            Kind::WorkflowNodes => "workflows.nodes",
            Kind::FlowNodes => "flow_nodes",
            Kind::Executions => "executions",
            Kind::Collections => "collections",
            Kind::CollectionFields => "collections.fields",
            Kind::Fields => "fields",
            Kind::Records => "records",
            Kind::ToOne | Kind::ToMany => "association",
            Kind::ToOneBuiltin | Kind::ToManyBuiltin => "users.association",
        }
    }
}

/// `GET /metrics` without `--metrics-public`: a caller with the `pm.*` snippet (root, admin), decided
/// here like every other access.
pub fn authorize_metrics(app: &App, creds: &Credentials) -> Result<()> {
    let caller = auth::authenticate(app, creds)?;
    app.acl.check(&caller, &Target::System).map(|_| ())
}

/// `GET /api/openapi.json` (issue 16 point 6): any signed-in caller, who sees the operations their role
/// may call, each decided here by the same question its route's guard poses; anonymous → 401 like every
/// non-public action (there is no anonymous role, and the document names collections and workflow keys).
pub fn describe(
    app: &App,
    creds: &Credentials,
    server: Option<String>,
) -> Result<serde_json::Value> {
    let caller = auth::authenticate(app, creds)?;
    let routes = openapi_routes();
    let may = |need: crate::openapi::Need| {
        let target = match need {
            crate::openapi::Need::Route { index, collection } => {
                let rows = |action| Target::Collection {
                    name: collection.unwrap_or_default().to_string(),
                    action,
                };
                match ROUTES[index].guard {
                    Guard::LoggedIn | Guard::Trigger => Target::LoggedIn,
                    Guard::LoggedInNoApiKey => Target::LoggedInNoApiKey,
                    Guard::System => Target::System,
                    Guard::Root => Target::Root,
                    Guard::Rows(action) => rows(action),
                }
            }
            crate::openapi::Need::Trigger {
                collection: None, ..
            } => Target::LoggedIn,
            crate::openapi::Need::Trigger {
                collection: Some(name),
                with_id,
            } => Target::Collection {
                name: name.to_string(),
                action: if with_id { "trigger" } else { "triggerNew" },
            },
        };
        app.acl.check(&caller, &target).is_ok()
    };
    let ask = crate::openapi::Ask {
        routes: &routes,
        server,
        may: &may,
    };
    crate::openapi::document(app, &ask)
}

/// The route table's shape for the description: every route but the trigger actions (described per
/// workflow key).
fn openapi_routes() -> Vec<crate::openapi::Route> {
    use crate::openapi::Path;
    ROUTES
        .iter()
        .enumerate()
        .filter(|(_, e)| e.action != "trigger")
        .map(|(index, e)| {
            let nested = |source, param, assoc| Path::Nested {
                source,
                param,
                assoc,
            };
            let path = match e.kind {
                Records => Path::Rows,
                RoleResources => nested("roles", "roleName", "resources"),
                WorkflowNodes => nested("workflows", "workflowId", "nodes"),
                CollectionFields => nested("collections", "collectionName", "fields"),
                ToOne | ToMany | ToOneBuiltin | ToManyBuiltin => Path::Association {
                    to_one: matches!(e.kind, ToOne | ToOneBuiltin),
                    users: matches!(e.kind, ToOneBuiltin | ToManyBuiltin),
                },
                kind => Path::Fixed(kind.label()),
            };
            crate::openapi::Route {
                index,
                path,
                action: e.action,
                reads: e.reads,
                logged_in: matches!(e.guard, Guard::LoggedIn),
            }
        })
        .collect()
}

pub fn handle(app: &App, mut req: Request) -> Outcome {
    let mut user_id = None;
    let mut slot = SLOT_OTHER;
    let result = run(app, &mut req, &mut user_id, &mut slot);
    Outcome {
        result,
        user_id,
        slot,
    }
}

/// The public actions: answered before authentication.
enum Public {
    Health,
    SignIn,
}

fn public(req: &Request) -> Option<Public> {
    let route = req
        .route
        .as_ref()
        .ok()
        .filter(|r| r.association.is_none())?;
    match (route.resource.as_str(), route.action.as_str()) {
        ("health", _) => Some(Public::Health),
        ("auth", "signIn") => Some(Public::SignIn),
        _ => None,
    }
}

fn run(app: &App, req: &mut Request, user_id: &mut Option<i64>, slot: &mut usize) -> Result<Reply> {
    // The health check reads nothing of the request: it is answered before the input is built.
    let public = public(req);
    if let Some(Public::Health) = public {
        *slot = SLOT_HEALTH;
        return health(app);
    }
    let input = req.input();
    if let Some(Public::SignIn) = public {
        *slot = SLOT_SIGN_IN;
        refuse_get(req, false, &input)?;
        return auth::handlers::sign_in(app, &input);
    }
    let creds = Credentials {
        authorization: req.authorization.as_deref(),
        token_param: input.param_str("token"),
        role: req.x_role.as_deref(),
        authenticator: req.x_authenticator.as_deref(),
    };
    let caller = auth::authenticate(app, &creds)?;
    *user_id = Some(caller.user.id);
    if let Some(ds) = &req.x_data_source {
        if ds != "main" {
            return Err(bad(
                Code::DataSourceNotFound,
                format!("data source \"{ds}\" does not exist"),
            ));
        }
    }
    let route = req.route()?;
    let resource = resolve(app, route)?;
    let (index, entry) =
        route_entry(resource.kind(), &route.action).ok_or_else(|| input.action_not_found())?;
    *slot = index;
    refuse_get(req, entry.reads, &input)?;
    let scope = app
        .acl
        .check(&caller, &target(&input, entry.guard, &resource))?;
    // Trigger actions check the Idempotency-Key first, then the query (http.md §2 steps 8–9).
    if !matches!(entry.guard, Guard::Trigger) {
        input.query()?;
    }
    let rights = CallerRights {
        app,
        caller: &caller,
    };
    let row_actions = row_actions(&rights, &input, entry, &resource, scope);
    let ctx = Ctx {
        app,
        input: &input,
        caller: &caller,
        scope,
        rights: &rights,
        row_actions,
    };
    (entry.handler)(&ctx, &resource)
}

/// The caller's rights on other collections, answered by the same ACL decision as the route's guard.
struct CallerRights<'a> {
    app: &'a App,
    caller: &'a auth::Caller,
}

impl acl::Rights for CallerRights<'_> {
    fn scope(&self, collection: &str, action: &'static str) -> Option<Scope> {
        self.app
            .acl
            .check(
                self.caller,
                &Target::Collection {
                    name: collection.to_string(),
                    action,
                },
            )
            .ok()
    }
}

/// A write through GET or HEAD (a link someone follows) → `405 METHOD_NOT_ALLOWED` with `Allow: POST`.
fn refuse_get(req: &Request, reads: bool, input: &Input) -> Result<()> {
    if reads || req.method != Method::Get {
        return Ok(());
    }
    let (m, resource, action) = (&req.method_name, &input.resource, &input.action);
    Err(Error::new(
        Code::MethodNotAllowed,
        format!(
            "Method {m} is not allowed for {resource}:{action}, a write action; send it with POST"
        ),
    )
    .header("Allow", "POST".to_string()))
}

/// With `X-With-ACL-Meta` on a collection's list or get (not an association's, as in NocoBase): the
/// caller's scope for each row action, for `meta.allowedActions`; `view` is the one just decided.
fn row_actions(
    rights: &CallerRights,
    input: &Input,
    entry: &Entry,
    resource: &Resource,
    view: Scope,
) -> Option<RowActions> {
    if !input.with_acl_meta || entry.kind != Records || !matches!(entry.guard, Guard::Rows("view"))
    {
        return None;
    }
    let may = |action: &'static str| acl::Rights::scope(rights, resource.acl_collection(), action);
    Some(RowActions {
        view: Some(view),
        update: may("update"),
        destroy: may("destroy"),
    })
}

/// The health check's answer without waiting for anything, or `None` when it would wait (no idle reader):
/// the HTTP door answers it on its executor, without the hop to the blocking pool.
pub fn health_at_once(app: &App, req: &Request) -> Option<Result<Reply>> {
    if !matches!(public(req), Some(Public::Health)) {
        return None;
    }
    app.store.try_ping().map(|pinged| health_from(app, pinged))
}

fn health(app: &App) -> Result<Reply> {
    health_from(app, app.store.ping())
}

/// 503 while shutting down or when the store did not answer its ping.
fn health_from(app: &App, pinged: bool) -> Result<Reply> {
    if app.is_shutting_down() {
        return Err(Error::new(
            Code::ServiceUnavailable,
            "Service is shutting down",
        ));
    }
    if !pinged {
        return Err(Error::new(Code::ServiceUnavailable, "Store is unavailable"));
    }
    Ok(Reply::data(json!({ "status": "ok" })))
}

/// The ACL question a route's guard poses for a resource.
fn target(input: &Input, guard: Guard, resource: &Resource) -> Target {
    let rows = |action: &'static str| Target::Collection {
        name: resource.acl_collection().to_string(),
        action,
    };
    match guard {
        Guard::LoggedIn => Target::LoggedIn,
        Guard::LoggedInNoApiKey => Target::LoggedInNoApiKey,
        Guard::System => Target::System,
        Guard::Root => Target::Root,
        Guard::Rows(action) => rows(action),
        // `workflows:trigger` has no collection: any signed-in caller (trigger.md §2).
        Guard::Trigger if matches!(resource, Resource::Workflows) => Target::LoggedIn,
        Guard::Trigger if input.path_tk.is_some() || input.param("filterByTk").is_some() => {
            rows("trigger")
        }
        Guard::Trigger => rows("triggerNew"),
    }
}

fn resolve(app: &App, route: &Route) -> Result<Resource> {
    Ok(
        match (route.resource.as_str(), route.association.as_deref()) {
            ("auth", None) => Resource::Auth,
            // `app` is not a reserved collection name, and a store may hold one: its records win, and a
            // pull then reads this server as flowgate through the health check (bridge.md §2.1).
            ("app", None) if app.registry.user_collection("app").is_none() => Resource::App,
            ("users", None) => Resource::Users,
            ("roles", None) => Resource::Roles,
            ("roles", Some("resources")) => {
                let name = route.source_id.clone().unwrap_or_default();
                let role = app
                    .store
                    .read(|c| acl::roles::find_role(c, &name))?
                    .ok_or_else(|| crate::error::record_not_found(&name, "roles"))?;
                Resource::RoleResources(role)
            }
            ("apiKeys", None) => Resource::ApiKeys,
            ("workflows", None) => Resource::Workflows,
            ("workflows", Some("nodes")) => {
                let raw = route.source_id.clone().unwrap_or_default();
                let id = crate::action::parse_id_str(&raw)
                    .ok_or_else(|| Error::new(Code::WorkflowNotFound, "workflow not found"))?;
                app.store
                    .read(|c| wf::find_workflow(c, id))?
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
            (name, None) => Resource::Records(
                app.registry
                    .user_collection(name)
                    .ok_or_else(|| resource_not_found(name))?,
            ),
            (name, Some(assoc)) => {
                resolve_association(app, name, route.source_id.as_deref().unwrap_or(""), assoc)?
            }
        },
    )
}

fn resolve_association(app: &App, name: &str, source_id: &str, assoc: &str) -> Result<Resource> {
    let full = format!("{name}.{assoc}");
    let source = app
        .registry
        .user_collection(name)
        .ok_or_else(|| resource_not_found(&full))?;
    let field = source
        .field(assoc)
        .filter(|f| f.is_association())
        .cloned()
        .ok_or_else(|| resource_not_found(&full))?;
    let target = field
        .kind
        .target()
        .and_then(|t| app.registry.get(t))
        .ok_or_else(|| resource_not_found(&full))?;
    let id = crate::action::parse_id_str(source_id)
        .ok_or_else(|| crate::error::record_not_found(source_id, &source.name))?;
    if !crate::collections::records::exists(app, &source, id)? {
        return Err(crate::error::record_not_found(id, &source.name));
    }
    Ok(Resource::Association {
        source,
        source_id: id,
        field: Box::new(field),
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_listed_once() {
        for (i, e) in ROUTES.iter().enumerate() {
            let first = ROUTES
                .iter()
                .position(|o| o.kind == e.kind && o.action == e.action);
            assert_eq!(first, Some(i), "{:?}:{} is listed twice", e.kind, e.action);
        }
    }
}
