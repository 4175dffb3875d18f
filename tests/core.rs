//! The core without HTTP: the library's own functions, over a real store in a temp dir, called the way
//! the CLI or an event trigger would call them (no request, no server, no socket).

use std::sync::Arc;

use clap::Parser;
use flowgate::acl::{Scope, Target};
use flowgate::action::{Ctx, Input};
use flowgate::app::App;
use flowgate::auth::{self, Caller, Credentials};
use flowgate::collections::record_api::{self, On};
use flowgate::config::{Cli, Command, Config};
use flowgate::error::Code;
use serde_json::{json, Map, Value};

const PASSWORD: &str = "core-root-pass";

fn open(dir: &std::path::Path) -> Arc<App> {
    let cli = Cli::parse_from([
        "flowgate",
        "serve",
        "--data",
        dir.to_str().unwrap(),
        "--worker",
        "off",
    ]);
    let Command::Serve(args) = cli.command else {
        panic!("serve args")
    };
    let app = App::open(Config::from_args(args)).expect("open the store");
    auth::bootstrap::ensure_root(&app.store, &app.hasher, Some(PASSWORD), None).expect("root");
    flowgate::demo::install(&app).expect("demo");
    // As `serve` does after the bootstrap: the cache was loaded before the built-in roles existed.
    app.acl.reload(&app.store).expect("acl");
    app
}

fn params(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn sign_in(app: &App, account: &str, password: &str) -> Caller {
    let input = Input::new(
        "auth",
        "signIn",
        Map::new(),
        Some(json!({ "account": account, "password": password })),
    );
    let reply = auth::handlers::sign_in(app, &input).expect("sign-in");
    let token = reply.body["data"]["token"]
        .as_str()
        .expect("token")
        .to_string();
    let bearer = format!("Bearer {token}");
    auth::authenticate(
        app,
        &Credentials {
            authorization: Some(&bearer),
            ..Default::default()
        },
    )
    .expect("authenticate")
}

#[test]
fn records_and_a_sync_trigger_run_without_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let root = sign_in(&app, "admin", PASSWORD);
    assert_eq!(root.role, "root");
    let samples = app
        .registry
        .user_collection("samples")
        .expect("demo samples");

    let scope = app
        .acl
        .check(
            &root,
            &Target::Collection {
                name: "samples".into(),
                action: "view",
            },
        )
        .unwrap();
    let input = Input::new("samples", "list", params(json!({ "sort": "-id" })), None);
    let ctx = Ctx {
        app: &app,
        input: &input,
        caller: &root,
        scope,
        rights: &flowgate::acl::AllRights,
        row_actions: None,
    };
    let listed = record_api::list(&ctx, &On::collection(&samples)).expect("list");
    assert_eq!(listed.body["data"][0]["title"], "Sample 1");
    assert_eq!(listed.body["meta"]["count"], 1);

    let input = Input::new(
        "samples",
        "trigger",
        params(json!({ "triggerWorkflows": "demo_sample_sync", "filterByTk": "1" })),
        None,
    );
    let ctx = Ctx {
        app: &app,
        input: &input,
        caller: &root,
        scope: Scope::All,
        rights: &flowgate::acl::AllRights,
        row_actions: None,
    };
    let answered = flowgate::trigger::handle_records(&ctx, &samples).expect("trigger");
    assert_eq!(
        answered.body["messages"],
        json!([{ "message": "Sample \"Sample 1\": indicator 91, score 100.1, high true" }]),
        "{}",
        answered.body
    );
}

#[test]
fn the_acl_decides_on_a_domain_caller() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path());
    let root = sign_in(&app, "admin", PASSWORD);
    let mut member = root.clone();
    member.role = "member".into();
    member.roles = vec!["member".into()];
    assert_eq!(app.acl.check(&root, &Target::System).unwrap(), Scope::All);
    assert_eq!(
        app.acl.check(&member, &Target::System).unwrap_err().code,
        Code::NoPermissions
    );
    // member's strategy is `view:own`: rows are scoped to the caller's own.
    let own = app
        .acl
        .check(
            &member,
            &Target::Collection {
                name: "samples".into(),
                action: "view",
            },
        )
        .unwrap();
    assert_eq!(own, Scope::Own);
    assert_eq!(
        app.acl
            .check(
                &member,
                &Target::Collection {
                    name: "samples".into(),
                    action: "create"
                }
            )
            .unwrap_err()
            .code,
        Code::NoPermissions
    );
}
