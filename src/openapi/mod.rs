//! The API description of this instance (`GET /api/openapi.json`, issue 16 point 6): an OpenAPI 3.1
//! document built per call from the shape of the route table the door hands in, the live schema registry
//! and the enabled custom-action workflows, so it can never be stale.
//!
//! It knows no HTTP type: the door passes each route's shape ([`Route`]), the address the call came to,
//! and the access decision as a function ([`Need`] → may the caller call it), so a caller sees the
//! operations their role may call. The ACL question itself is the door's (`http::dispatch`).

mod schemas;
mod triggers;

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::app::App;
use crate::collections::{Collection, Field, Schema};
use crate::error::{Code, Result};

/// Where a route of the table lives.
#[derive(Debug, Clone, Copy)]
pub enum Path {
    /// `/api/<resource>:<action>` of a built-in resource.
    Fixed(&'static str),
    /// `/api/<source>/{<param>}/<assoc>:<action>`, e.g. `roles/{roleName}/resources`.
    Nested {
        source: &'static str,
        param: &'static str,
        assoc: &'static str,
    },
    /// `/api/<collection>:<action>` for each user collection.
    Rows,
    /// `/api/<collection>/{sourceId}/<association>:<action>` for each association field of a user
    /// collection of this cardinality and whose target is (or is not) the built-in `users`.
    Association { to_one: bool, users: bool },
}

/// One route of the door's table, as the description needs it.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The route's position in the door's table (what [`Need::Route`] names).
    pub index: usize,
    pub path: Path,
    pub action: &'static str,
    /// A read answers GET; a write is described as POST.
    pub reads: bool,
    /// Any signed-in caller may call it (no ACL question beyond the token).
    pub logged_in: bool,
}

/// An access question the door answers for the caller.
#[derive(Debug, Clone, Copy)]
pub enum Need<'a> {
    /// Route `index` of the door's table, on `collection` for a [`Path::Rows`] route.
    Route {
        index: usize,
        collection: Option<&'a str>,
    },
    /// A custom-action trigger: on `collection` (with a record key or not), or the global form.
    Trigger {
        collection: Option<&'a str>,
        with_id: bool,
    },
}

/// What a call for the document brings.
pub struct Ask<'a> {
    pub routes: &'a [Route],
    /// `http://<Host>` of the call, or `None` for a relative server.
    pub server: Option<String>,
    pub may: &'a dyn Fn(Need) -> bool,
}

/// The whole document for this caller, now.
pub fn document(app: &App, ask: &Ask) -> Result<Value> {
    let schema = app.registry.snapshot();
    let collections = schema.user_collections();
    let is_user = |name: &str| schema.get(name).is_some_and(|c| !c.builtin);
    let mut components = schemas::fixed();
    for c in &collections {
        for (name, s) in schemas::collection(c, &is_user) {
            components.insert(name, s);
        }
    }
    let mut doc = Doc::default();
    doc.public();
    for route in ask.routes {
        match route.path {
            Path::Rows => {
                for c in &collections {
                    let need = Need::Route {
                        index: route.index,
                        collection: Some(&c.name),
                    };
                    if (ask.may)(need) {
                        doc.rows(route, c, &Place::collection(c));
                    }
                }
            }
            Path::Association { to_one, users } => {
                for (source, field, target) in associations(&collections, &schema) {
                    let fits = field.kind.is_to_one() == to_one && target.builtin == users;
                    let need = Need::Route {
                        index: route.index,
                        collection: Some(&target.name),
                    };
                    if fits && (ask.may)(need) {
                        doc.rows(route, &target, &Place::association(source, field));
                    }
                }
            }
            _ if route.logged_in
                || (ask.may)(Need::Route {
                    index: route.index,
                    collection: None,
                }) =>
            {
                doc.builtin(route)
            }
            _ => {}
        }
    }
    for flow in triggers::enabled(app)? {
        triggers::add(&mut doc, &flow, &schema, ask.may);
    }
    Ok(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "flowgate",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The API of this flowgate instance: NocoBase's REST grammar (`/api/<resource>:<action>`), the records actions of each collection, and a trigger operation for each enabled custom-action workflow. Operations are those the caller's role may call; the document is built per request, so it follows every change of collections and workflows.",
        },
        "servers": [{ "url": ask.server.clone().unwrap_or_else(|| "/".into()) }],
        "security": [{ "bearer": [] }],
        "paths": doc.paths,
        "components": {
            "schemas": components,
            "parameters": parameters(),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `POST /api/auth:signIn` (`data.token`), or an API key; send `X-Role` to act in another of your roles."
                }
            }
        }
    }))
}

/// The paths being built, with the operation ids used so far (each unique, stable for the same store).
#[derive(Default)]
pub(crate) struct Doc {
    paths: Map<String, Value>,
    ids: std::collections::HashSet<String>,
}

impl Doc {
    /// Adds `op` under `path` and `method`; a second operation with the same id gets a numeric suffix.
    pub(crate) fn add(&mut self, path: String, method: &str, id: String, mut op: Value) {
        let mut unique = id.clone();
        let mut n = 2;
        while !self.ids.insert(unique.clone()) {
            unique = format!("{id}_{n}");
            n += 1;
        }
        op["operationId"] = json!(unique);
        let item = self.paths.entry(path).or_insert_with(|| json!({}));
        item[method] = op;
    }

    /// `auth:signIn` and the health check: callable without a token.
    fn public(&mut self) {
        let sign_in = json!({
            "tags": ["auth"],
            "summary": "auth:signIn — get a token",
            "description": "Signs in with an account (or `email`, `username`) and a password; `data.token` is the bearer token every other operation takes.",
            "security": [],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object",
                "properties": {
                    "account": { "type": "string" },
                    "email": { "type": "string" },
                    "username": { "type": "string" },
                    "password": { "type": "string" }
                },
                "required": ["password"]
            } } } },
            "responses": responses(
                schemas::success("Signed in.", json!({
                    "type": "object",
                    "properties": { "token": { "type": "string" }, "user": { "type": "object" } },
                    "required": ["token"]
                })),
                &[Code::AccountRequired, Code::InvalidCredentials, Code::TooManyAttempts,
                  Code::InvalidJson, Code::InvalidBody, Code::InternalError],
            ),
        });
        self.add(
            "/api/auth:signIn".into(),
            "post",
            "auth_signIn".into(),
            sign_in,
        );
        let health = json!({
            "tags": ["health"],
            "summary": "health — is the server up",
            "security": [],
            "responses": responses(
                schemas::success("Up.", json!({ "type": "object", "properties": { "status": { "const": "ok" } } })),
                &[Code::ServiceUnavailable],
            ),
        });
        self.add(
            "/api/health:check".into(),
            "get",
            "health_check".into(),
            health,
        );
    }

    /// A route of a built-in resource: its parameters and a generic body and answer.
    fn builtin(&mut self, r: &Route) {
        let (path, resource, mut params) = match r.path {
            Path::Fixed(res) => (format!("/api/{res}:{}", r.action), res.to_string(), vec![]),
            Path::Nested {
                source,
                param,
                assoc,
            } => (
                format!("/api/{source}/{{{param}}}/{assoc}:{}", r.action),
                format!("{source}.{assoc}"),
                vec![json!({
                    "name": param, "in": "path", "required": true, "schema": { "type": "string" }
                })],
            ),
            Path::Rows | Path::Association { .. } => return,
        };
        params.extend(query_params(r.action, r.reads));
        let mut codes = common_codes(r.logged_in);
        codes.extend([Code::RecordNotFound, Code::ResourceNotFound]);
        codes.extend(builtin_codes(&resource, r.action));
        let mut op = json!({
            "tags": [resource],
            "summary": format!("{resource}:{}", r.action),
            "parameters": params,
            "responses": responses(schemas::success("Done.", json!({})), &with_body(codes, r.reads)),
        });
        if !r.reads {
            op["requestBody"] =
                json!({ "content": { "application/json": { "schema": { "type": "object" } } } });
        }
        let id = format!("{}_{}", resource.replace('.', "_"), r.action);
        self.add(path, method(r.reads), id, op);
    }

    /// A records action on the rows of `c` at `place`, with the collection's fields as schemas (the
    /// built-in `users`, whose API owns its rows, as any object).
    fn rows(&mut self, r: &Route, c: &Collection, place: &Place) {
        let (record, values) = if c.builtin {
            (json!({ "type": "object" }), json!({ "type": "object" }))
        } else {
            (
                schemas::reference(&schemas::record_name(c)),
                schemas::reference(&schemas::values_name(c)),
            )
        };
        let mut codes = common_codes(false);
        codes.push(Code::ResourceNotFound);
        if place.under_source {
            codes.push(Code::RecordNotFound);
        }
        let (summary, data, body) = match r.action {
            "list" => {
                codes.extend([Code::InvalidFilter, Code::UnknownField]);
                (
                    "list records (`meta` unless paginate=false)",
                    json!({ "type": "array", "items": record }),
                    None,
                )
            }
            "get" => {
                codes.extend([Code::InvalidFilter, Code::UnknownField]);
                (
                    "get one record (`null` when none matches)",
                    json!({ "anyOf": [record, { "type": "null" }] }),
                    None,
                )
            }
            "create" => {
                codes.extend(WRITE_CODES);
                let required = schemas::required(c);
                let body = json!({ "allOf": [values], "required": required });
                ("create a record", record, Some(body))
            }
            "update" => {
                codes.extend(WRITE_CODES);
                codes.push(Code::InvalidFilter);
                (
                    "update the records filterByTk or filter selects",
                    json!({ "type": "array", "items": record }),
                    Some(values),
                )
            }
            "destroy" => {
                codes.extend([Code::InvalidFilter, Code::WorkflowIntercepted]);
                (
                    "destroy the records filterByTk or filter selects (answers their count)",
                    json!({ "type": "integer" }),
                    None,
                )
            }
            _ => ("", json!({}), None),
        };
        let mut params = place.params.clone();
        params.extend(query_params(r.action, r.reads));
        let mut op = json!({
            "tags": [place.tag],
            "summary": format!("{}:{} — {summary}", place.tag, r.action),
            "parameters": params,
            "responses": responses(schemas::success("Done.", data), &with_body(codes, r.reads)),
        });
        if let Some(schema) = body {
            op["requestBody"] = json!({
                "required": r.action == "create",
                "content": { "application/json": { "schema": schema } }
            });
        }
        let path = format!("{}:{}", place.path, r.action);
        let id = format!("{}_{}", place.id, r.action);
        self.add(path, method(r.reads), id, op);
    }
}

/// Where a records action is: a collection's own path, or an association's under its source record.
struct Place {
    /// The path before `:<action>`.
    path: String,
    /// The operation id before `_<action>`.
    id: String,
    tag: String,
    params: Vec<Value>,
    /// Under a source record, which may not exist (404 RECORD_NOT_FOUND).
    under_source: bool,
}

impl Place {
    fn collection(c: &Collection) -> Place {
        Place {
            path: format!("/api/{}", c.name),
            id: c.name.clone(),
            tag: c.name.clone(),
            params: vec![],
            under_source: false,
        }
    }

    fn association(source: &Collection, field: &Field) -> Place {
        let (s, f) = (&source.name, &field.name);
        Place {
            path: format!("/api/{s}/{{sourceId}}/{f}"),
            id: format!("{s}_{f}"),
            tag: format!("{s}.{f}"),
            params: vec![json!({
                "name": "sourceId", "in": "path", "required": true,
                "description": format!("The key of the \"{s}\" record whose \"{f}\" are meant."),
                "schema": { "type": "integer", "minimum": 1 }
            })],
            under_source: true,
        }
    }
}

/// Every association field of the user collections, with its source and its target.
fn associations<'a>(
    collections: &'a [Arc<Collection>],
    schema: &Schema,
) -> Vec<(&'a Collection, &'a Field, Arc<Collection>)> {
    collections
        .iter()
        .flat_map(|c| c.fields.iter().map(move |f| (c, f)))
        .filter(|(_, f)| f.is_association())
        .filter_map(|(c, f)| {
            let target = schema.get(f.kind.target()?)?.clone();
            Some((c.as_ref(), f, target))
        })
        .collect()
}

/// What a built-in action answers besides the common codes (the handlers' own checks, http.md §8).
fn builtin_codes(resource: &str, action: &str) -> &'static [Code] {
    use Code::*;
    match (resource, action) {
        ("auth", "changePassword") => &[MissingParameter, InvalidPassword, PasswordMismatch],
        ("users", "create" | "update") => &[
            MissingParameter,
            AccountRequired,
            ConstraintViolation,
            ProtectedResource,
        ],
        ("users", "destroy") => &[ProtectedResource],
        ("roles" | "roles.resources", "create" | "update" | "destroy") => &[
            MissingParameter,
            ConstraintViolation,
            FieldNotUpdatable,
            ProtectedResource,
            ReservedName,
        ],
        ("apiKeys", "create") => &[MissingParameter],
        ("workflows", "create" | "update" | "revision") => &[
            TriggerTypeRequired,
            TriggerTypeNotRegistered,
            InvalidConfig,
            InvalidKey,
            KeyExists,
            ConfigLocked,
            FieldNotUpdatable,
            WorkflowNotFound,
        ],
        ("workflows", "execute") => &[MissingParameter, ExecuteFailed, WorkflowNotFound],
        ("workflows.nodes" | "flow_nodes", "create" | "update" | "destroy") => &[
            NodeTypeRequired,
            NodeTypeNotRegistered,
            InvalidNodeConfig,
            InvalidUpstream,
            DelayInSyncWorkflow,
            WorkflowExecuted,
            WorkflowNotFound,
            NodeNotFound,
        ],
        ("flow_nodes", "get") => &[NodeNotFound],
        ("executions", "cancel") => &[ExecutionNotFound, ExecutionNotCancelable, ExecutionBusy],
        ("executions", "rerun") => &[
            MissingParameter,
            ExecutionNotFound,
            ExecutionNotFinished,
            WorkflowNotFound,
        ],
        ("collections" | "collections.fields" | "fields", "create" | "update") => &[
            MissingParameter,
            InvalidIdentifier,
            ReservedName,
            CollectionExists,
            FieldExists,
            UnknownFieldType,
            TargetNotFound,
            FieldNotUpdatable,
            InvalidValue,
        ],
        ("collections" | "collections.fields", "destroy") => &[CollectionInUse],
        ("executions" | "workflows", "list" | "get") => &[InvalidFilter, UnknownField],
        _ => &[],
    }
}

/// What a records write can answer besides the common codes: the values' checks, and the pre- and
/// post-action workflows bound to the collection (triggers-and-nodes.md).
const WRITE_CODES: [Code; 6] = [
    Code::InvalidValue,
    Code::UnknownField,
    Code::ConstraintViolation,
    Code::WorkflowIntercepted,
    Code::WorkflowRollbackOnFailure,
    Code::WorkflowFailedAfterAction,
];

fn method(reads: bool) -> &'static str {
    if reads {
        "get"
    } else {
        "post"
    }
}

/// The codes any signed-in call can answer: bad parameters, the data source, the 401s, 403 unless any
/// signed-in caller may call it, and the unexpected.
fn common_codes(logged_in: bool) -> Vec<Code> {
    let mut v = vec![Code::InvalidParameter, Code::DataSourceNotFound];
    v.extend(schemas::UNAUTHORIZED);
    if !logged_in {
        v.push(Code::NoPermissions);
    }
    v.push(Code::InternalError);
    v
}

/// A write reads a body: its codes too.
fn with_body(mut codes: Vec<Code>, reads: bool) -> Vec<Code> {
    if !reads {
        codes.extend(schemas::BODY);
    }
    codes
}

/// The 200 answer and one answer per error status.
pub(crate) fn responses(ok: Value, codes: &[Code]) -> Value {
    let mut m = Map::new();
    m.insert("200".into(), ok);
    m.extend(schemas::errors(codes));
    Value::Object(m)
}

/// The query parameters of http.md §3 an action reads, as references to `components.parameters`.
fn query_params(action: &str, reads: bool) -> Vec<Value> {
    let names: &[&str] = match action {
        "list" => &[
            "filter", "appends", "fields", "except", "sort", "page", "pageSize", "paginate",
        ],
        "get" => &["filterByTk", "filter", "appends", "fields", "except"],
        "update" | "destroy" => &["filterByTk", "filter"],
        // workflows:execute (the only action of that name) runs dry on request (README "Dry runs").
        "execute" => &["filterByTk", "dryRun", "dryRunStubs"],
        _ if reads => &["filterByTk"],
        _ => &[],
    };
    let mut v: Vec<Value> = names
        .iter()
        .map(|n| json!({ "$ref": format!("#/components/parameters/{n}") }))
        .collect();
    v.push(json!({ "$ref": "#/components/parameters/XRole" }));
    v
}

/// `components.parameters`: the query parameters of http.md §3 and the role header.
fn parameters() -> Value {
    let list = |name: &str, what: &str| {
        json!({
            "name": name, "in": "query", "required": false,
            "description": format!("{what}; a comma-separated string or repeated parameter"),
            "style": "form", "explode": false,
            "schema": { "type": "array", "items": { "type": "string" } }
        })
    };
    json!({
        "filter": {
            "name": "filter", "in": "query", "required": false,
            "description": "A filter as JSON text (`{\"title\":{\"$eq\":\"a\"}}`), or in bracket form (`filter[title]=a`). Bad JSON, operator or value: 400 INVALID_FILTER.",
            "content": { "application/json": { "schema": { "type": "object" } } }
        },
        "filterByTk": {
            "name": "filterByTk", "in": "query", "required": false,
            "description": "The record's primary key (positive integer); `filterByTk[]=1&filterByTk[]=2` or `[1,2]` for several.",
            "schema": { "type": "string" }
        },
        "appends": list("appends", "associations to embed, dotted for deeper ones"),
        "fields": list("fields", "columns to keep"),
        "except": list("except", "columns to drop"),
        "sort": list("sort", "columns to sort by, `-` first for descending"),
        "page": {
            "name": "page", "in": "query", "required": false,
            "schema": { "type": "integer", "minimum": 1, "default": 1 }
        },
        "pageSize": {
            "name": "pageSize", "in": "query", "required": false,
            "schema": { "type": "integer", "minimum": 1, "default": 20 }
        },
        "paginate": {
            "name": "paginate", "in": "query", "required": false,
            "description": "`false` answers every row and no `meta`.",
            "schema": { "type": "boolean", "default": true }
        },
        "XRole": {
            "name": "X-Role", "in": "header", "required": false,
            "description": "The role to act in (one of the caller's); the default role without it.",
            "schema": { "type": "string" }
        },
        "dryRun": {
            "name": "dryRun", "in": "query", "required": false,
            "description": "`true` (or `1`): run on a throwaway copy of the store and keep nothing; the answer adds `dryRun: true` and each execution's `jobs` (ids of the copy). Another value than true/1/false/0: 400 INVALID_PARAMETER; a store over `--dry-run-max-mb`: 413.",
            "schema": { "type": "string", "enum": ["true", "false", "1", "0"] }
        },
        "dryRunStubs": {
            "name": "dryRunStubs", "in": "query", "required": false,
            "description": "With `dryRun`: what each `request` node answers, `{\"<nodeKey>\": <job result>}`, instead of its last recorded response.",
            "content": { "application/json": { "schema": { "type": "object" } } }
        },
        "IdempotencyKey": {
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "1–255 visible ASCII characters: a repeat within 24 hours answers the first outcome without running anything (trigger.md §9).",
            "schema": { "type": "string", "minLength": 1, "maxLength": 255 }
        }
    })
}
