//! `serve --demo` (operations.md §4): the demo collections, records and workflows, installed in one
//! transaction while collection `samples` does not exist, so the seed's curl calls work at once.

use serde_json::{json, Map, Value};

use crate::app::App;
use crate::collections::events::Origin;
use crate::collections::{ddl, records, schema_ops};
use crate::error::{Error, Result};
use crate::workflow::api::{default_options, insert_chain, insert_workflow, NewWorkflow};

pub const KEYS: [&str; 4] = [
    "demo_sample_sync",
    "demo_sample_async",
    "demo_category",
    "demo_global",
];

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Installs the demo unless `samples` exists; returns whether it did.
pub fn install(app: &App) -> Result<bool> {
    if app.registry.user_collection("samples").is_some() {
        return Ok(false);
    }
    ddl::change(app, |ch| {
        for def in [
            json!({"name": "samples", "title": "Samples", "fields": [
                {"name": "title", "type": "string"}, {"name": "indicator", "type": "integer"}]}),
            json!({"name": "categories", "title": "Categories", "fields": [{"name": "title", "type": "string"}]}),
            json!({"name": "comments", "title": "Comments", "fields": [{"name": "content", "type": "text"}]}),
            json!({"name": "posts", "title": "Posts", "fields": [
                {"name": "title", "type": "string"},
                {"name": "category", "type": "belongsTo", "target": "categories"},
                {"name": "comments", "type": "hasMany", "target": "comments"}]}),
        ] {
            schema_ops::create_collection(ch, &object(def))?;
        }
        ch.refresh()?;
        let root = Some(root_id(ch.conn)?);
        for (coll, values) in [
            ("samples", json!({"title": "Sample 1", "indicator": 91})),
            ("categories", json!({"title": "News"})),
            ("posts", json!({"title": "Hello flowgate", "categoryId": 1})),
            ("comments", json!({"content": "First comment", "postId": 1})),
        ] {
            let c = ch
                .schema
                .get(coll)
                .cloned()
                .ok_or_else(|| Error::internal(format!("demo collection {coll} missing")))?;
            records::create(
                ch.conn,
                &ch.schema,
                &c,
                &object(values),
                root,
                &Origin::request(app),
            )?;
        }
        install_workflows(ch.conn)
    })?;
    app.workflows.invalidate();
    Ok(true)
}

fn workflow(
    c: &rusqlite::Connection,
    key: &str,
    title: &str,
    sync: bool,
    config: Value,
    chain: &[(&str, &str, Value)],
) -> Result<()> {
    let root = Some(root_id(c)?);
    let id = insert_workflow(
        c,
        crate::workflow::model::TRIGGER_TYPE,
        &NewWorkflow {
            key: Some(key.into()),
            title: Some(title.into()),
            description: Some("Installed by flowgate --demo".into()),
            config,
            enabled: true,
            sync,
            options: default_options(None),
        },
        root,
    )?;
    insert_chain(c, id, chain)
}

fn install_workflows(c: &rusqlite::Connection) -> Result<()> {
    let samples = json!({"type": 1, "collection": "samples"});
    workflow(
        c,
        "demo_sample_sync",
        "Score a sample (sync)",
        true,
        samples.clone(),
        &[
            (
                "check",
                "condition",
                json!({"rejectOnFalse": false, "engine": "basic",
            "calculation": {"calculator": "gte", "operands": ["{{$context.data.indicator}}", 90]}}),
            ),
            (
                "score",
                "calculation",
                json!({"engine": "formula.js", "expression": "ROUND({{$context.data.indicator}} * 1.1, 2)"}),
            ),
            (
                "reply",
                "response-message",
                json!({"message":
            "Sample \"{{$context.data.title}}\": indicator {{$context.data.indicator}}, score {{$jobsMapByNodeKey.score}}, high {{$jobsMapByNodeKey.check}}"}),
            ),
        ],
    )?;
    workflow(
        c,
        "demo_sample_async",
        "Double a sample (async)",
        false,
        samples,
        &[
            (
                "double",
                "calculation",
                json!({"engine": "math.js", "expression": "{{$context.data.indicator}} * 2"}),
            ),
            (
                "out",
                "output",
                json!({"value": "{{$jobsMapByNodeKey.double}}"}),
            ),
        ],
    )?;
    workflow(
        c,
        "demo_category",
        "Greet a category",
        true,
        json!({"type": 1, "collection": "categories"}),
        &[(
            "reply",
            "response-message",
            json!({"message": "Category \"{{$context.data.title}}\" received"}),
        )],
    )?;
    workflow(
        c,
        "demo_global",
        "Say hello",
        true,
        json!({"type": 0}),
        &[(
            "reply",
            "response-message",
            json!({"message": "Hello, {{$context.user.username}}"}),
        )],
    )
}

fn root_id(c: &rusqlite::Connection) -> Result<i64> {
    let root = crate::auth::repo::first_root(c)?;
    root.map(|(id, _, _)| id)
        .ok_or_else(|| crate::error::Error::internal("the store has no root user"))
}

/// A root sign-in token, minted at every `--demo` start.
pub fn mint_root_token(app: &App) -> Result<String> {
    let ttl = app.config.serve.token_ttl.as_millis() as i64;
    app.store
        .write(|c| crate::auth::token::issue_session(c, root_id(c)?, ttl))
}

/// `7 days`, `1 hour`, `90 seconds`: the token lifetime for the banner.
pub fn describe(d: std::time::Duration) -> String {
    let s = d.as_secs();
    let (n, unit) = match s {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, "day"),
        s if s >= 3_600 && s % 3_600 == 0 => (s / 3_600, "hour"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The banner lines after the root lines. Every word is in single quotes: an interactive bash expands
/// `!category` inside double quotes (history expansion) and answers "event not found".
pub fn banner(base: &str, token: &str) -> Vec<String> {
    let h = format!("-H 'Authorization: Bearer {token}' -H 'X-Role: root'");
    let url = |path: &str| format!("'{base}/api/{path}'");
    vec![
        "try:".to_string(),
        format!(
            "  curl -X POST {h} {}",
            url("samples:trigger/1?triggerWorkflows=demo_sample_sync")
        ),
        format!(
            "  curl -X POST {h} -d '{{\"title\":\"Sample 1\",\"indicator\":91}}' {}",
            url("samples:trigger?triggerWorkflows=demo_sample_sync")
        ),
        format!(
            "  curl -X POST {h} -d '{{\"title\":\"Edited\",\"indicator\":95}}' {}",
            url("samples:trigger/1?triggerWorkflows=demo_sample_sync")
        ),
        format!(
            "  curl -X POST {h} {}",
            url("posts:trigger/1?triggerWorkflows=demo_category!category")
        ),
        format!(
            "  curl -X POST {h} {}",
            url("workflows:trigger?triggerWorkflows=demo_global")
        ),
    ]
}
