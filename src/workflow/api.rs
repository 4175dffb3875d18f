//! The workflow management APIs (workflows.md §3): workflows, nodes, executions, manual execution.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::engine::{self, Flow};
use super::model::{random_key, valid_key, ContextType, ExecStatus, Node, Workflow, TRIGGER_TYPE};
use super::node_edit;
use super::nodes;
use super::repo::executions;
pub use super::repo::workflows::NewWorkflow;
use super::repo::workflows::{self, Links, NewNode, Text};
use super::triggers;
use crate::action::Ctx;
use crate::action::Tk;
use crate::collections::records::{self, ReadOptions};
use crate::collections::Schema;
use crate::error::{bad, invalid_value, Code, Entry, Error, Result};
use crate::reply::Reply;

fn workflow_not_found() -> Error {
    Error::new(Code::WorkflowNotFound, "workflow not found")
}

pub(super) fn node_not_found() -> Error {
    Error::new(Code::NodeNotFound, "node not found")
}

pub(super) fn one_id(ctx: &Ctx) -> Result<i64> {
    match ctx.input.filter_by_tk()? {
        Tk::One(id) => Ok(id),
        Tk::None => Err(bad(Code::MissingParameter, "filterByTk is required")),
        Tk::Many(_) => Err(crate::action::tk_invalid()),
    }
}

/// A list of a system table through the records layer (filter, sort, pagination, appends, fields,
/// except, as on a user collection), `scope` ANDed with the request's filter.
fn list_table(ctx: &Ctx, table: &str, scope: Option<Value>) -> Result<Reply> {
    list_counted(ctx, table, scope, |_| None)
}

/// [`list_table`], with the count of the rows the request's filter matches taken from `kept` when it
/// knows it (a count the store keeps) instead of counted.
fn list_counted(
    ctx: &Ctx,
    table: &str,
    scope: Option<Value>,
    kept: impl Fn(Option<&Value>) -> Option<executions::Counted>,
) -> Result<Reply> {
    let schema = ctx.app.registry.snapshot();
    let coll = system_collection(&schema, table)?;
    let page = ctx.input.page()?;
    let requested = read_filter(ctx)?;
    let counted = kept(requested.as_ref());
    let filter = match (requested, scope) {
        (Some(f), Some(s)) => Some(json!({ "$and": [f, s] })),
        (f, s) => f.or(s),
    };
    let (rows, count) = ctx.app.store.read(|c| {
        let known_count = counted
            .as_ref()
            .map(|which| executions::count(c, which))
            .transpose()?;
        records::list(
            c,
            &schema,
            &coll,
            &ReadOptions {
                filter,
                page,
                known_count,
                ..shape_options(ctx)
            },
        )
    })?;
    Ok(Reply::list(Value::Array(rows), page.map(|p| p.meta(count))))
}

/// The first row of a system table (by `sort`, then id) matching `filterByTk` and `filter`, both optional
/// as in NocoBase's `get` (`workflows:get?filter={"id":1}` is how its workflow canvas asks), shaped as
/// [`list_table`] shapes rows; `null` when none matches.
fn get_table(ctx: &Ctx, table: &str) -> Result<Reply> {
    let by_id = match ctx.input.filter_by_tk()? {
        Tk::None => None,
        Tk::One(id) => Some(json!({ "id": id })),
        Tk::Many(_) => return Err(crate::action::tk_invalid()),
    };
    let filter = match (by_id, read_filter(ctx)?) {
        (Some(a), Some(b)) => Some(json!({ "$and": [a, b] })),
        (a, b) => a.or(b),
    };
    let schema = ctx.app.registry.snapshot();
    let coll = system_collection(&schema, table)?;
    let opts = ReadOptions {
        filter,
        page: Some(crate::action::Page {
            page: 1,
            page_size: 1,
        }),
        ..shape_options(ctx)
    };
    let row = ctx
        .app
        .store
        .read(|c| records::list(c, &schema, &coll, &opts))?
        .0
        .into_iter()
        .next();
    Ok(Reply::data(row.unwrap_or(Value::Null)))
}

fn system_collection(
    schema: &Schema,
    table: &str,
) -> Result<std::sync::Arc<crate::collections::registry::Collection>> {
    schema
        .get(table)
        .cloned()
        .ok_or_else(|| Error::internal(format!("no built-in collection {table}")))
}

/// `appends`, `fields`, `except` and `sort` of the request.
fn shape_options(ctx: &Ctx) -> ReadOptions<'static> {
    ReadOptions {
        appends: ctx.input.list_param("appends"),
        fields: ctx.input.list_param("fields"),
        except: ctx.input.list_param("except"),
        sort: ctx.input.list_param("sort"),
        ..ReadOptions::default()
    }
}

/// `filter` as JSON text or bracket form.
pub(crate) fn read_filter(ctx: &Ctx) -> Result<Option<Value>> {
    match ctx.input.param("filter") {
        None => Ok(None),
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .map(Some)
            .map_err(|e| bad(Code::InvalidFilter, format!("Invalid filter: {e}"))),
        Some(v) => Ok(Some(v.clone())),
    }
}

// ---------------------------------------------------------------- workflows

/// Runs a write to workflows or their nodes, then drops the workflow cache (even when the write failed:
/// a partial failure must not leave a stale version cached).
pub fn writing(ctx: &Ctx, write: fn(&Ctx) -> Result<Reply>) -> Result<Reply> {
    let reply = write(ctx);
    ctx.app.workflows.invalidate();
    reply
}

/// [`writing`] for a workflow's own nodes (`workflows/<id>/nodes:create`).
pub fn writing_nodes(
    ctx: &Ctx,
    workflow_id: i64,
    write: fn(&Ctx, i64) -> Result<Reply>,
) -> Result<Reply> {
    let reply = write(ctx, workflow_id);
    ctx.app.workflows.invalidate();
    reply
}

pub fn list_workflows(ctx: &Ctx) -> Result<Reply> {
    list_table(ctx, "workflows", None)
}

pub fn get_workflow(ctx: &Ctx) -> Result<Reply> {
    get_table(ctx, "workflows")
}

/// The problems of `config` for trigger type `kind` (an unknown type has none here: it is refused
/// before, as not registered).
pub fn validate_config(kind: &str, config: &Value, schema: &Schema) -> Vec<Entry> {
    triggers::get(kind).map_or_else(Vec::new, |t| (t.validate)(config, schema))
}

fn check_options(options: &Value) -> Result<()> {
    let Some(obj) = options.as_object() else {
        return Err(invalid_value("options must be an object"));
    };
    if let Some(t) = obj.get("timeout") {
        if t.as_i64().is_none_or(|t| t < 0) {
            return Err(invalid_value(
                "options.timeout must be an integer >= 0 (milliseconds)",
            ));
        }
    }
    if let Some(s) = obj.get("stackLimit") {
        if s.as_i64().is_none_or(|s| s < 1) {
            return Err(invalid_value("options.stackLimit must be an integer >= 1"));
        }
    }
    check_delete_on_status(obj.get("deleteExecutionOnStatus"))?;
    super::retry::Policy::parse(obj.get("retry"), "options.retry", &super::retry::WORKFLOW)
        .map(|_| ())
        .map_err(|m| invalid_value(&m))
}

/// `options.deleteExecutionOnStatus`: absent, null or a list of execution statuses (NocoBase's numbers).
fn check_delete_on_status(v: Option<&Value>) -> Result<()> {
    let ok = match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a
            .iter()
            .all(|s| s.as_i64().and_then(ExecStatus::from_code).is_some()),
        Some(_) => false,
    };
    if ok {
        return Ok(());
    }
    Err(invalid_value(
        "options.deleteExecutionOnStatus must be a list of execution statuses (1, -1, -2, -3, -4, -5; 0 is never deleted)",
    ))
}

/// The stored options: the defaults with the given object laid over them, validated.
fn options_from(given: Option<&Value>) -> Result<Value> {
    if !matches!(given, None | Some(Value::Null) | Some(Value::Object(_))) {
        return Err(invalid_value("options must be an object"));
    }
    let o = default_options(given);
    check_options(&o)?;
    Ok(o)
}

/// The defaults with the given object laid over them.
pub fn default_options(given: Option<&Value>) -> Value {
    let mut o = json!({ "timeout": 0, "stackLimit": 1 });
    if let (Some(Value::Object(g)), Some(m)) = (given, o.as_object_mut()) {
        for (k, v) in g {
            m.insert(k.clone(), v.clone());
        }
    }
    o
}

fn opt_text(values: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    Ok(crate::action::opt_str(values, key)?.map(str::to_string))
}

pub fn create_workflow(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let trigger = match values.get("type").and_then(Value::as_str) {
        None => return Err(bad(Code::TriggerTypeRequired, "Trigger type is required")),
        Some(t) => triggers::get(t).ok_or_else(|| {
            bad(
                Code::TriggerTypeNotRegistered,
                format!("Trigger type \"{t}\" is not registered"),
            )
        })?,
    };
    let mut config = values.get("config").cloned().unwrap_or(json!({}));
    // A custom-action workflow may be created without a config (workflows.md §3.1); a collection
    // workflow without one could never fire (§13: refused).
    if values.contains_key("config") || trigger.name != TRIGGER_TYPE {
        let problems = (trigger.validate)(&config, &ctx.app.registry.snapshot());
        if !problems.is_empty() {
            return Err(Error::many(Code::InvalidConfig, problems));
        }
        (trigger.normalize)(&mut config);
    }
    let options = options_from(values.get("options"))?;
    let key = match values.get("key") {
        None | Some(Value::Null) => None,
        Some(Value::String(k)) if valid_key(k) => Some(k.clone()),
        Some(other) => {
            let shown = other
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| other.to_string());
            return Err(bad(
                Code::InvalidKey,
                format!("Workflow key \"{shown}\" is invalid"),
            ));
        }
    };
    let mut flags = [false; 2];
    for (i, name) in ["enabled", "sync"].into_iter().enumerate() {
        flags[i] = match values.get(name) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(invalid_value(format!("Field \"{name}\" expects boolean"))),
        };
    }
    let [enabled, sync] = flags;
    let new = NewWorkflow {
        key,
        title: opt_text(&values, "title")?,
        description: opt_text(&values, "description")?,
        config,
        enabled,
        sync,
        options,
    };
    let w = ctx.app.store.write(|c| {
        let id = insert_workflow(c, trigger.name, &new, Some(ctx.caller.user.id))?;
        workflows::get(c, id)?.ok_or_else(|| Error::internal("workflow vanished"))
    })?;
    Ok(Reply::data(w.to_json()))
}

/// Inserts the first (current) version of a key, made by user `actor`; an existing key is `KEY_EXISTS`.
pub fn insert_workflow(
    c: &Connection,
    kind: &str,
    w: &NewWorkflow,
    actor: Option<i64>,
) -> Result<i64> {
    let key = match &w.key {
        Some(k) if workflows::key_exists(c, k)? => {
            return Err(bad(
                Code::KeyExists,
                format!("Workflow key \"{k}\" is already used; create a revision instead"),
            ))
        }
        Some(k) => k.clone(),
        None => random_key(),
    };
    workflows::insert(c, &key, kind, w, true, actor)
}

/// Appends a chain of `(key, type, config)` nodes to an empty workflow (the demo's fixed flows).
pub fn insert_chain(c: &Connection, workflow_id: i64, chain: &[(&str, &str, Value)]) -> Result<()> {
    let mut ids = Vec::new();
    for (key, kind, config) in chain {
        ids.push(workflows::insert_node(
            c,
            &NewNode {
                key,
                workflow_id,
                branch_index: None,
                kind,
                title: None,
                config,
            },
        )?);
    }
    for (i, id) in ids.iter().enumerate() {
        let upstream = i.checked_sub(1).map(|p| ids[p]);
        set_links(c, *id, upstream, ids.get(i + 1).copied(), None)?;
    }
    Ok(())
}

/// A field that may be sent back unchanged but never changed.
fn fixed_field(values: &Map<String, Value>, name: &str, stored: Value) -> Result<()> {
    match values.get(name) {
        None => Ok(()),
        Some(v) if *v == stored => Ok(()),
        Some(Value::Null) if name == "current" && stored == json!(false) => Ok(()),
        Some(_) => Err(bad(
            Code::FieldNotUpdatable,
            format!("Field \"{name}\" can not be updated"),
        )),
    }
}

pub fn update_workflow(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let schema = ctx.app.registry.snapshot();
    ctx.app.store.write(|c| {
        let w = workflows::get(c, id)?.ok_or_else(workflow_not_found)?;
        fixed_field(&values, "key", json!(w.key))?;
        fixed_field(&values, "type", json!(w.kind))?;
        fixed_field(&values, "sync", json!(w.sync))?;
        fixed_field(&values, "current", json!(w.current))?;
        fixed_field(&values, "executed", json!(w.executed))?;
        fixed_field(&values, "id", json!(w.id))?;
        if let Some(config) = values.get("config") {
            if *config != w.config {
                if w.executed > 0 {
                    return Err(bad(
                        Code::ConfigLocked,
                        "config of executed workflow can not be updated",
                    ));
                }
                let problems = validate_config(&w.kind, config, &schema);
                if !problems.is_empty() {
                    return Err(Error::many(Code::InvalidConfig, problems));
                }
                let mut config = config.clone();
                if let Some(t) = triggers::get(&w.kind) {
                    (t.normalize)(&mut config);
                }
                workflows::set_config(c, id, &config)?;
            }
        }
        if let Some(o) = values.get("options") {
            let options = options_from(Some(o))?;
            workflows::set_options(c, id, &options)?;
        }
        for (key, field) in [("title", Text::Title), ("description", Text::Description)] {
            if values.contains_key(key) {
                workflows::set_text(c, id, field, crate::action::opt_str(&values, key)?)?;
            }
        }
        match values.get("enabled") {
            Some(Value::Bool(true)) => {
                workflows::set_enabled(c, id, true)?;
                workflows::make_current(c, &w)?;
            }
            Some(Value::Bool(false)) => workflows::set_enabled(c, id, false)?,
            Some(_) => return Err(invalid_value("Field \"enabled\" expects boolean")),
            None => {}
        }
        workflows::touch(c, id, Some(ctx.caller.user.id))?;
        let w = workflows::get(c, id)?.ok_or_else(|| Error::internal("workflow vanished"))?;
        Ok(Reply::data(json!([w.to_json()])))
    })
}

pub fn destroy_workflow(ctx: &Ctx) -> Result<Reply> {
    let ids = match ctx.input.filter_by_tk()? {
        Tk::One(id) => vec![id],
        Tk::Many(ids) => ids,
        Tk::None => return Err(bad(Code::MissingParameter, "filterByTk is required")),
    };
    let n = ctx.app.store.write(|c| {
        let mut n = 0;
        for id in ids {
            let Some(w) = workflows::get(c, id)? else {
                continue;
            };
            n += if w.current {
                workflows::delete_key(c, &w.key)?
            } else {
                workflows::delete(c, id)?
            };
        }
        Ok(n)
    })?;
    Ok(Reply::data(json!(n)))
}

/// Copies `w` and its nodes into a new version, under the same key or a new one.
/// The copy starts disabled; the caller enables it when asked.
fn copy_version(
    c: &Connection,
    w: &Workflow,
    key: &str,
    title: Option<String>,
    current: bool,
    actor: Option<i64>,
) -> Result<i64> {
    let copy = NewWorkflow {
        key: None,
        title,
        description: w.description.clone(),
        config: w.config.clone(),
        enabled: false,
        sync: w.sync,
        options: w.options.clone(),
    };
    let new_id = workflows::insert(c, key, &w.kind, &copy, current, actor)?;
    let nodes = workflows::nodes(c, w.id)?;
    let mut map = std::collections::HashMap::new();
    for n in &nodes {
        let copy = NewNode {
            key: &n.key,
            workflow_id: new_id,
            branch_index: n.branch_index,
            kind: &n.kind,
            title: n.title.as_deref(),
            config: &n.config,
        };
        map.insert(n.id, workflows::insert_node(c, &copy)?);
    }
    for n in &nodes {
        let upstream = n.upstream_id.and_then(|u| map.get(&u).copied());
        let downstream = n.downstream_id.and_then(|d| map.get(&d).copied());
        workflows::set_links(
            c,
            map[&n.id],
            Links {
                upstream,
                downstream,
                branch: n.branch_index,
            },
        )?;
    }
    Ok(new_id)
}

pub fn revision(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let values = ctx.input.values()?.unwrap_or_default();
    let same_key =
        read_filter(ctx)?.and_then(|f| f.get("key").and_then(Value::as_str).map(str::to_string));
    let enabled = crate::action::opt_bool(&values, "enabled")?.unwrap_or(false);
    let title = opt_text(&values, "title")?;
    let actor = Some(ctx.caller.user.id);
    let w = ctx.app.store.write(|c| {
        let w = workflows::get(c, id)?.ok_or_else(workflow_not_found)?;
        let new_id = match &same_key {
            Some(k) if *k == w.key => copy_version(
                c,
                &w,
                &w.key,
                title.clone().or(w.title.clone()),
                false,
                actor,
            )?,
            Some(k) => {
                return Err(bad(
                    Code::InvalidKey,
                    format!("Workflow key \"{k}\" is not the key of workflow {id}"),
                ))
            }
            None => {
                let title = title
                    .clone()
                    .unwrap_or_else(|| format!("{} copy", w.title.clone().unwrap_or_default()));
                copy_version(c, &w, &random_key(), Some(title), true, actor)?
            }
        };
        let created =
            workflows::get(c, new_id)?.ok_or_else(|| Error::internal("revision vanished"))?;
        if enabled {
            workflows::set_enabled(c, new_id, true)?;
            workflows::make_current(c, &created)?;
        }
        workflows::get(c, new_id)?.ok_or_else(|| Error::internal("revision vanished"))
    })?;
    Ok(Reply::data(w.to_json()))
}

// ---------------------------------------------------------------- manual execution (§3.4)

pub fn execute(ctx: &Ctx) -> Result<Reply> {
    let Some(values) = ctx.input.values()? else {
        return Err(bad(Code::MissingParameter, "values is required"));
    };
    let id = one_id(ctx)?;
    let auto_revision = matches!(
        ctx.input.param_str("autoRevision"),
        Some("1") | Some("true")
    );
    let app = ctx.app;
    let flow = app
        .workflows
        .flow(&app.store, id)?
        .ok_or_else(workflow_not_found)?;
    let context = match flow.workflow.kind.as_str() {
        triggers::collection::NAME => {
            let schema = app.registry.snapshot();
            json!({ "data": triggers::collection::manual_data(app, &schema, &flow, &values)? })
        }
        triggers::request_interception::NAME => {
            triggers::request_interception::manual_context(app, &flow, &values)?
        }
        triggers::action::NAME => triggers::action::manual_context(app, &flow, &values)?,
        triggers::schedule::NAME => {
            let schema = app.registry.snapshot();
            triggers::schedule::manual_context(app, &schema, &flow, &values)?
        }
        _ => custom_action_context(ctx, &flow, &values)?,
    };
    let executed_before = app
        .store
        .read(|c| workflows::get(c, id))?
        .map(|w| w.executed)
        .unwrap_or(0);
    let outcome = engine::run_in_request(app, flow.clone(), context, true, false)?;
    let mut out = json!({ "execution": { "id": outcome.execution_id, "status": outcome.status } });
    if auto_revision && executed_before == 0 {
        let new_id = app.store.write(|c| {
            copy_version(
                c,
                &flow.workflow,
                &flow.workflow.key,
                flow.workflow.title.clone(),
                false,
                Some(ctx.caller.user.id),
            )
        })?;
        out["newVersionId"] = json!(new_id);
    }
    app.workflows.invalidate();
    Ok(Reply::data(out))
}

/// The context of a manual run of a custom-action workflow: its data by context type, the user and role.
fn custom_action_context(ctx: &Ctx, flow: &Flow, values: &Map<String, Value>) -> Result<Value> {
    let (user, role) = triggers::manual_actor(ctx.app, values, "user is not provided")?;
    let data = manual_data(ctx, flow, values)?;
    Ok(json!({ "data": data, "user": user, "roleName": role }))
}

/// The context data of a manual run, by the workflow's context type.
fn manual_data(ctx: &Ctx, flow: &Flow, values: &Map<String, Value>) -> Result<Value> {
    let w = &flow.workflow;
    let given = values.get("data").cloned().unwrap_or(Value::Null);
    if w.context_type() == ContextType::Global {
        return Ok(given);
    }
    let name = w.collection().unwrap_or("");
    let schema = ctx.app.registry.snapshot();
    let coll = schema
        .get(name)
        .filter(|c| !c.builtin)
        .cloned()
        .ok_or_else(|| bad(Code::ExecuteFailed, format!("Collection {name} not found")))?;
    let appends = w.appends();
    if w.context_type() == ContextType::MultipleRecords {
        let ids: Vec<i64> = match values.get("filterByTk") {
            Some(Value::Array(a)) => a.iter().filter_map(crate::action::parse_id).collect(),
            Some(v) => crate::action::parse_id(v).into_iter().collect(),
            None => Vec::new(),
        };
        return Ok(Value::Array(ctx.app.store.read(|c| {
            records::get_many(c, &schema, &coll, &ids, &appends, None)
        })?));
    }
    let id = match &given {
        Value::Object(o) if !appends.is_empty() => o.get("id").and_then(crate::action::parse_id),
        Value::Object(_) => None,
        other => crate::action::parse_id(other),
    };
    match id {
        Some(id) => Ok(ctx
            .app
            .store
            .read(|c| records::get(c, &schema, &coll, id, &appends, None))?
            .unwrap_or(given)),
        None => Ok(given),
    }
}

// ---------------------------------------------------------------- nodes

/// The workflow of `/workflows/<id>/nodes`, for the dispatcher's source check.
pub fn find_workflow(c: &Connection, id: i64) -> Result<Option<Workflow>> {
    workflows::get(c, id)
}

pub fn list_nodes(ctx: &Ctx, workflow_id: i64) -> Result<Reply> {
    list_table(
        ctx,
        "flow_nodes",
        Some(json!({ "workflowId": workflow_id })),
    )
}

/// Parses a sent config with its node type's rules: `NODE_TYPE_NOT_REGISTERED`, or one
/// `INVALID_NODE_CONFIG` entry per problem, with `field`.
pub(super) fn parse_node(kind: &str, config: &Value) -> Result<nodes::Typed> {
    nodes::parse(kind, config).map_err(|refused| match refused {
        nodes::Refused::NotRegistered => bad(
            Code::NodeTypeNotRegistered,
            format!("Node type \"{kind}\" is not registered"),
        ),
        nodes::Refused::Invalid(problems) => Error::many(Code::InvalidNodeConfig, problems),
    })
}

/// Parses a sent config with its node type's rules, then checks it against the collections: one
/// `INVALID_NODE_CONFIG` entry per problem, with `field`.
pub(super) fn validate_node(kind: &str, config: &Value, schema: &Schema) -> Result<()> {
    let typed = parse_node(kind, config)?;
    let problems = typed.check_schema(schema);
    if !problems.is_empty() {
        return Err(Error::many(Code::InvalidNodeConfig, problems));
    }
    Ok(())
}

/// [`workflows::set_links`] with the three links in their usual order.
fn set_links(
    c: &Connection,
    id: i64,
    upstream: Option<i64>,
    downstream: Option<i64>,
    branch: Option<i64>,
) -> Result<()> {
    workflows::set_links(
        c,
        id,
        Links {
            upstream,
            downstream,
            branch,
        },
    )
}

pub fn create_node(ctx: &Ctx, workflow_id: i64) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let kind = values
        .get("type")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad(Code::NodeTypeRequired, "Node type is required"))?
        .to_string();
    let config = values
        .get("config")
        .filter(|c| !c.is_null())
        .cloned()
        .unwrap_or(json!({}));
    let schema = ctx.app.registry.snapshot();
    let (upstream_id, branch_index) = node_edit::sent_place(&values)?;
    let key = match values.get("key") {
        None | Some(Value::Null) => random_key(),
        Some(Value::String(k)) if valid_key(k) => k.clone(),
        Some(_) => {
            return Err(invalid_value(
                "Node key must match ^[A-Za-z0-9_][A-Za-z0-9_-]*$",
            ))
        }
    };
    let title = opt_text(&values, "title")?;
    let node = ctx.app.store.write(|c| {
        let w = workflows::get(c, workflow_id)?.ok_or_else(workflow_not_found)?;
        if w.executed > 0 {
            return Err(bad(
                Code::WorkflowExecuted,
                "Node could not be created in executed workflow",
            ));
        }
        validate_node(&kind, &config, &schema)?;
        if kind == "delay" && w.sync {
            return Err(bad(
                Code::DelayInSyncWorkflow,
                "Node type \"delay\" is not allowed in a sync workflow",
            ));
        }
        let existing = workflows::nodes(c, workflow_id)?;
        let place = node_edit::resolve_place(&existing, upstream_id, branch_index)?;
        if existing.iter().any(|n| n.key == key) {
            return Err(invalid_value(format!(
                "Node key \"{key}\" is already used in this workflow"
            )));
        }
        let new = NewNode {
            key: &key,
            workflow_id,
            branch_index: None,
            kind: &kind,
            title: title.as_deref(),
            config: &config,
        };
        let id = workflows::insert_node(c, &new)?;
        let mut graph = node_edit::Graph::of(&existing);
        graph.add(id);
        graph.insert(id, place);
        graph.save(c)?;
        workflows::node(c, id)?.ok_or_else(|| Error::internal("node vanished"))
    })?;
    Ok(Reply::data(node.to_json()))
}

pub fn get_node(ctx: &Ctx) -> Result<Reply> {
    get_table(ctx, "flow_nodes")
}

pub(super) fn executed(c: &Connection, workflow_id: i64) -> Result<bool> {
    Ok(workflows::get(c, workflow_id)?.is_some_and(|w| w.executed > 0))
}

pub fn update_node(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let values = ctx.input.values_or_empty()?;
    let schema = ctx.app.registry.snapshot();
    let node = ctx.app.store.write(|c| {
        let n = workflows::node(c, id)?.ok_or_else(node_not_found)?;
        if executed(c, n.workflow_id)? {
            return Err(bad(
                Code::WorkflowExecuted,
                "Nodes in executed workflow could not be reconfigured",
            ));
        }
        fixed_field(&values, "type", json!(n.kind))?;
        fixed_field(&values, "upstreamId", json!(n.upstream_id))?;
        fixed_field(&values, "branchIndex", json!(n.branch_index))?;
        if let Some(config) = values.get("config") {
            validate_node(&n.kind, config, &schema)?;
            workflows::set_node_config(c, id, config)?;
        }
        if values.contains_key("title") {
            workflows::set_node_title(c, id, crate::action::opt_str(&values, "title")?)?;
        }
        workflows::touch_node(c, id)?;
        workflows::node(c, id)?.ok_or_else(|| Error::internal("node vanished"))
    })?;
    Ok(Reply::data(json!([node.to_json()])))
}

/// Deletes `id`'s branches (every node reachable from its branch heads), except branch `keep`.
fn delete_branches(c: &Connection, nodes: &[Node], id: i64, keep: Option<i64>) -> Result<()> {
    for head in nodes
        .iter()
        .filter(|n| n.upstream_id == Some(id) && n.branch_index.is_some() && n.branch_index != keep)
    {
        let mut cur = Some(head.id);
        while let Some(nid) = cur {
            delete_branches(c, nodes, nid, None)?;
            cur = nodes
                .iter()
                .find(|n| n.id == nid)
                .and_then(|n| n.downstream_id);
            workflows::delete_node(c, nid)?;
        }
    }
    Ok(())
}

pub fn destroy_node(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    let keep = match ctx.input.param("keepBranch") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| {
                    crate::error::invalid_param("keepBranch", "must be a branch index")
                })?,
        ),
    };
    let removed = ctx.app.store.write(|c| {
        let n = workflows::node(c, id)?.ok_or_else(node_not_found)?;
        if executed(c, n.workflow_id)? {
            return Err(bad(
                Code::WorkflowExecuted,
                "Nodes in executed workflow could not be deleted",
            ));
        }
        let nodes = workflows::nodes(c, n.workflow_id)?;
        let find = |nid: i64| nodes.iter().find(|x| x.id == nid);
        delete_branches(c, &nodes, id, keep)?;
        // What takes the node's place: the kept branch (head…tail) or nothing.
        let kept = keep.and_then(|k| {
            nodes
                .iter()
                .find(|x| x.upstream_id == Some(id) && x.branch_index == Some(k))
        });
        let (first, last) = match kept {
            Some(head) => {
                let mut tail = head;
                while let Some(d) = tail.downstream_id.and_then(find) {
                    tail = d;
                }
                (Some(head.id), Some(tail.id))
            }
            None => (None, None),
        };
        let down = n.downstream_id.and_then(find);
        // Link upstream → (kept branch) → downstream.
        let after = first.or(down.map(|d| d.id));
        if let Some(up) = n.upstream_id.and_then(find) {
            if n.branch_index.is_none() {
                set_links(c, up.id, up.upstream_id, after, up.branch_index)?;
            }
        }
        if let Some(f) = first {
            let head = find(f).ok_or_else(|| Error::internal("kept branch vanished"))?;
            let tail_down = if last == Some(f) {
                n.downstream_id
            } else {
                head.downstream_id
            };
            set_links(c, f, n.upstream_id, tail_down, n.branch_index)?;
            if let Some(l) = last.filter(|l| *l != f) {
                let tail = find(l).ok_or_else(|| Error::internal("kept branch vanished"))?;
                set_links(c, l, tail.upstream_id, n.downstream_id, None)?;
            }
            if let Some(d) = down {
                set_links(c, d.id, last, d.downstream_id, None)?;
            }
        } else if let Some(d) = down {
            set_links(c, d.id, n.upstream_id, d.downstream_id, n.branch_index)?;
        }
        workflows::delete_node(c, id)?;
        Ok(n)
    })?;
    Ok(Reply::data(removed.to_json()))
}

// ---------------------------------------------------------------- executions

pub fn list_executions(ctx: &Ctx) -> Result<Reply> {
    list_counted(ctx, "executions", None, kept_count_of)
}

/// The executions filters whose count the store keeps (what NocoBase's execution history and the admin
/// page ask): none, `{"key": k}` or `{"workflowId": id}`, as a bare value or `$eq`.
pub(crate) fn kept_count_of(filter: Option<&Value>) -> Option<executions::Counted> {
    let Some(filter) = filter else {
        return Some(executions::Counted::All);
    };
    let obj = filter.as_object()?;
    if obj.is_empty() {
        return Some(executions::Counted::All);
    }
    if obj.len() != 1 {
        return None;
    }
    let (name, value) = obj.iter().next()?;
    let value = match value {
        Value::Object(ops) if ops.len() == 1 => ops.get("$eq")?,
        Value::Object(_) => return None,
        v => v,
    };
    match (name.as_str(), value) {
        ("key", Value::String(k)) => Some(executions::Counted::Key(k.clone())),
        ("workflowId", v) => crate::action::parse_id(v).map(executions::Counted::Version),
        _ => None,
    }
}

pub fn get_execution(ctx: &Ctx) -> Result<Reply> {
    get_table(ctx, "executions")
}

pub fn cancel_execution(ctx: &Ctx) -> Result<Reply> {
    let id = one_id(ctx)?;
    // Holding the queue lock keeps the worker from claiming this row between the check and the write.
    let state = ctx.app.queue.lock();
    let exec = ctx
        .app
        .store
        .read(|c| executions::get(c, id))?
        .ok_or_else(|| Error::new(Code::ExecutionNotFound, "execution not found"))?;
    if !matches!(exec.status, None | Some(ExecStatus::Started)) {
        return Err(bad(
            Code::ExecutionNotCancelable,
            "Only queued or started executions can be canceled",
        ));
    }
    if state.busy.contains(&id) {
        return Err(Error::new(
            Code::ExecutionBusy,
            "Execution is being processed",
        ));
    }
    let exec = ctx.app.store.write(|c| {
        executions::abort(c, id, "manual_cancel")?;
        executions::get(c, id)?.ok_or_else(|| Error::internal("execution vanished"))
    })?;
    drop(state);
    Ok(Reply::data(exec.to_json()))
}

pub fn destroy_executions(ctx: &Ctx) -> Result<Reply> {
    let ids: Vec<i64> = match ctx.input.filter_by_tk()? {
        Tk::One(id) => vec![id],
        Tk::Many(ids) => ids,
        Tk::None => {
            let filter = read_filter(ctx)?
                .ok_or_else(|| bad(Code::MissingParameter, "filterByTk or filter is required"))?;
            let schema = ctx.app.registry.snapshot();
            let coll = schema
                .get("executions")
                .cloned()
                .ok_or_else(|| Error::internal("no executions collection"))?;
            let opts = ReadOptions {
                filter: Some(filter),
                fields: vec!["id".into()],
                ..ReadOptions::default()
            };
            let (rows, _) = ctx
                .app
                .store
                .read(|c| records::list(c, &schema, &coll, &opts))?;
            rows.iter()
                .filter_map(|r| r.get("id").and_then(Value::as_i64))
                .collect()
        }
    };
    let n = ctx.app.store.write(|c| {
        let mut n = 0;
        for id in ids {
            n += executions::delete_final(c, id)?;
        }
        Ok(n)
    })?;
    Ok(Reply::data(json!(n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Durability, Store};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Store::open(&dir.path().join("data"), Durability::Normal, 1).expect("open");
        (dir, s)
    }

    fn new_workflow() -> NewWorkflow {
        NewWorkflow {
            key: Some("w".into()),
            title: Some("w".into()),
            description: None,
            config: json!({ "type": 0 }),
            enabled: true,
            sync: true,
            options: default_options(None),
        }
    }

    /// `(key, upstream key, downstream key, branchIndex)` of each node, in id order.
    fn shape(nodes: &[Node]) -> Vec<(String, Option<String>, Option<String>, Option<i64>)> {
        let key = |id: Option<i64>| {
            id.and_then(|id| nodes.iter().find(|n| n.id == id))
                .map(|n| n.key.clone())
        };
        nodes
            .iter()
            .map(|n| {
                (
                    n.key.clone(),
                    key(n.upstream_id),
                    key(n.downstream_id),
                    n.branch_index,
                )
            })
            .collect()
    }

    fn link(
        key: &str,
        up: Option<&str>,
        down: Option<&str>,
    ) -> (String, Option<String>, Option<String>, Option<i64>) {
        (
            key.into(),
            up.map(str::to_string),
            down.map(str::to_string),
            None,
        )
    }

    #[test]
    fn a_chain_links_each_node_to_both_neighbours_and_a_copy_keeps_the_shape() {
        let (_dir, s) = store();
        let (orig, copy) = s
            .write(|c| {
                let id = insert_workflow(c, TRIGGER_TYPE, &new_workflow(), None)?;
                let chain = [
                    ("a", "calculation", json!({})),
                    ("b", "calculation", json!({})),
                    ("c", "end", json!({ "x": 1 })),
                ];
                insert_chain(c, id, &chain)?;
                let w = workflows::get(c, id)?.expect("workflow");
                let copy_id = copy_version(c, &w, &w.key, None, false, None)?;
                Ok((workflows::nodes(c, id)?, workflows::nodes(c, copy_id)?))
            })
            .expect("write");
        let expected = vec![
            link("a", None, Some("b")),
            link("b", Some("a"), Some("c")),
            link("c", Some("b"), None),
        ];
        assert_eq!(shape(&orig), expected);
        assert_eq!(shape(&copy), expected);
        assert_eq!(copy[2].config, json!({ "x": 1 }));
    }
}
