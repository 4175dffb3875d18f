//! `flowgate push` to a flowgate server, which speaks NocoBase's API (issue 13 point 7): the plan and its
//! apply over HTTP without a NocoBase. The target is an in-process server on its own folder; push is the
//! spawned binary. The cases against a real NocoBase are in bridge_peer.rs (opt-in).

mod common;

use common::{json, run_cli_stdin, Server, Value, ROOT_PASSWORD};

/// `flowgate push --to <target> --account admin --password-stdin <args…>`: (exit code, stdout, stderr).
fn push(target: &Server, args: &[&str]) -> (i32, String, String) {
    let mut all = vec![
        "push",
        "--to",
        target.base.as_str(),
        "--account",
        "admin",
        "--password-stdin",
    ];
    all.extend_from_slice(args);
    run_cli_stdin(&all, &[], &format!("{ROOT_PASSWORD}\n"))
}

fn keys(s: &Server) -> Vec<String> {
    let list = s.ok("GET", "/api/workflows:list?paginate=false&sort[]=key", None);
    list.as_array()
        .unwrap()
        .iter()
        .map(|w| w["key"].as_str().unwrap().to_string())
        .collect()
}

fn demo() -> Server {
    Server::builder().arg("--demo").start()
}

#[test]
fn the_demo_pushed_to_another_flowgate_runs_there_and_a_second_push_writes_nothing() {
    let source = demo();
    let target = Server::start();
    let data = source.dir.to_str().unwrap().to_string();

    let (code, out, err) = push(&target, &["--data", &data, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("create collection posts"), "{out}");
    assert!(out.contains("create field posts.comments"), "{out}");
    assert!(out.contains("create workflow demo_global"), "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("plan for flowgate "),
        "{out}"
    );
    assert!(keys(&target).is_empty(), "a dry run writes nothing");

    let (code, out, err) = push(&target, &["--data", &data]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("pushed to flowgate "), "{out}");
    assert_eq!(keys(&target), keys(&source), "the keys came along");
    // The same answer but for the ids each server gave its executions and workflows.
    let call = |s: &Server| {
        let (status, v) = s.call(
            &s.root(),
            "POST",
            "/api/workflows:trigger?triggerWorkflows=demo_global",
            Some(json!({})),
        );
        let statuses: Vec<Value> = v["data"]["executions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["status"].clone())
            .collect();
        (status, v["messages"].clone(), statuses)
    };
    let on_target = call(&target);
    assert_eq!(
        on_target,
        call(&source),
        "the global demo call answers the same on both"
    );
    assert_eq!(on_target.0, 200);

    let (code, out, err) = push(&target, &["--data", &data]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(": 0 operations, 0 writes"), "{out}");
}

#[test]
fn a_field_changed_on_the_target_is_a_conflict_and_nothing_is_written() {
    let source = demo();
    let target = Server::start();
    let data = source.dir.to_str().unwrap().to_string();
    assert_eq!(push(&target, &["--data", &data]).0, 0);
    let root = target.root();
    let (status, _) = target.call(
        &root,
        "POST",
        "/api/collections/posts/fields:destroy?filterByTk=title",
        None,
    );
    assert_eq!(status, 200);
    let (status, body) = target.post(
        &root,
        "/api/collections/posts/fields:create",
        json!({"name": "title", "type": "integer"}),
    );
    assert_eq!(status, 200, "{body}");
    let before = target.ok("GET", "/api/workflows:list?paginate=false&sort[]=id", None);

    // The demo's own workflow title changed, so the push would write, but for the conflict.
    let doc_path = source.dir.join("doc.json");
    let (code, text, err) = run_cli_stdin(&["export", "--data", &data], &[], "");
    assert_eq!(code, 0, "{err}");
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let w = doc["workflows"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|w| w["key"] == "demo_global")
        .unwrap();
    w["title"] = json!("retitled");
    std::fs::write(&doc_path, serde_json::to_string(&doc).unwrap()).unwrap();

    let (code, out, err) = push(&target, &["--file", doc_path.to_str().unwrap()]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        out.contains("conflict collections.posts.fields.title type string ≠ integer"),
        "{out}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(
        target.ok("GET", "/api/workflows:list?paginate=false&sort[]=id", None),
        before
    );

    let (code, _, err) = push(
        &target,
        &["--file", doc_path.to_str().unwrap(), "--skip-conflicts"],
    );
    assert_eq!(code, 0, "{err}");
    let titles = target.ok(
        "GET",
        "/api/workflows:list?paginate=false&filter=%7B%22key%22%3A%22demo_global%22%7D",
        None,
    );
    assert_eq!(titles[0]["title"], json!("retitled"));
}

#[test]
fn bad_targets_and_documents_give_clear_errors_and_write_nothing() {
    let target = Server::start();
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let doc = dir.path().join("doc.json");
    std::fs::write(
        &doc,
        r#"{"format":"flowgate-app","version":1,"collections":[],"roles":[],"workflows":[]}"#,
    )
    .unwrap();
    let file = doc.to_str().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let (code, _, err) = run_cli_stdin(
        &["push", "--to", &url, "--token", "t", "--file", file],
        &[],
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot reach"), "{err}");

    let (code, _, err) = run_cli_stdin(
        &["push", "--to", "ftp://x", "--token", "t", "--file", file],
        &[],
        "",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not an http:// or https:// address"), "{err}");

    let (code, _, err) = run_cli_stdin(
        &[
            "push",
            "--to",
            &target.base,
            "--account",
            "admin",
            "--password-stdin",
            "--file",
            file,
        ],
        &[],
        "wrong-password\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("sign-in as admin failed"), "{err}");
    assert!(
        !err.contains("wrong-password"),
        "the password is never printed"
    );

    std::fs::write(&doc, r#"{"format":"flowgate-app","version":2}"#).unwrap();
    let (code, _, err) = push(&target, &["--file", file]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unsupported document version 2"), "{err}");

    std::fs::write(
        &doc,
        r#"{"format":"flowgate-app","version":1,"collections":[{"fields":[{"name":""}]}]}"#,
    )
    .unwrap();
    let (code, _, err) = push(&target, &["--file", file]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("collections[0]"),
        "each problem by its path: {err}"
    );
    assert!(keys(&target).is_empty());
}
