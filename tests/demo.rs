//! `serve --demo` (operations.md §4, acceptance cases 3–5): the banner's password, token and curl lines,
//! the printed calls run as curl sends them, and a second start that installs nothing twice.

mod common;
use common::*;

use std::time::Duration;

/// The banner: every stdout line once the last curl line (the global call) arrived.
fn banner(s: &Server) -> Vec<String> {
    let got = s.wait_for(Duration::from_secs(10), || {
        let lines = s.stdout.lock().map(|l| l.clone()).unwrap_or_default();
        lines
            .iter()
            .any(|l| l.contains("triggerWorkflows=demo_global"))
            .then_some(lines)
    });
    got.unwrap_or_else(|| panic!("no complete demo banner: {}", s.stdout_text()))
}

/// The value after `prefix` on the line that starts with it.
fn after<'a>(lines: &'a [String], prefix: &str) -> &'a str {
    lines
        .iter()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in {lines:#?}"))
}

/// The printed token, checked for its shape.
fn printed_token(lines: &[String]) -> String {
    let t = after(lines, "token (root, valid 7 days): ")
        .trim()
        .to_string();
    assert!(t.starts_with("fgs_") && t.len() == 47, "{t}");
    secrets::tokens_in(&t);
    t
}

/// The curl lines under `try:`.
fn curl_lines(lines: &[String]) -> Vec<Curl> {
    let at = lines
        .iter()
        .position(|l| l == "try:")
        .unwrap_or_else(|| panic!("no try: line in {lines:#?}"));
    lines[at + 1..]
        .iter()
        .filter(|l| l.trim_start().starts_with("curl "))
        .map(|l| Curl::parse(l.trim()))
        .collect()
}

/// Runs every printed curl line as curl sends it; returns each answer's messages.
fn run_printed(s: &Server, curls: &[Curl], token: &str) -> Vec<Value> {
    curls
        .iter()
        .map(|c| {
            assert!(
                c.url.starts_with(&format!("{}/api/", s.base)),
                "the printed URL reaches this server: {}",
                c.url
            );
            assert_eq!(c.method, "POST");
            assert!(
                c.headers
                    .contains(&("Authorization".to_string(), format!("Bearer {token}"))),
                "{c:?}"
            );
            assert!(
                c.headers
                    .contains(&("X-Role".to_string(), "root".to_string())),
                "{c:?}"
            );
            let (st, head, v) = c.send(s);
            assert_eq!(st, 200, "{c:?}\n→ {head}{v}");
            v["messages"].clone()
        })
        .collect()
}

fn msgs(text: &str) -> Value {
    json!([{ "message": text }])
}

#[test]
fn demo_first_start_banner_calls_and_second_start() {
    let mut s = Server::builder()
        .spawned()
        .no_root_password()
        .arg("--demo")
        .start();
    let lines = banner(&s);
    assert!(
        lines[0].starts_with("flowgate 0.1.0 listening on http://127.0.0.1:"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with(&format!("(data: {})", s.dir.display())),
        "{}",
        lines[0]
    );
    assert_eq!(
        after(&lines, "root user: "),
        "admin@flowgate.local (username admin)"
    );
    let pw_line = after(&lines, "root password: ");
    let (password, note) = pw_line
        .split_once("   ")
        .unwrap_or_else(|| panic!("{pw_line}"));
    assert_eq!(
        note,
        "<- shown once; change it with: flowgate user passwd admin"
    );
    assert_eq!(password.chars().count(), 20, "{password}");
    secrets::password(password);
    assert_eq!(
        after(&lines, "demo: "),
        "collections samples, categories, posts, comments; workflows demo_sample_sync, demo_sample_async, demo_category, demo_global"
    );
    let token = printed_token(&lines);
    let curls = curl_lines(&lines);
    assert_eq!(curls.len(), 5, "{lines:#?}");
    // Issue 11.15: every line pastes into an interactive bash as printed (`!category` in double quotes
    // would be history-expanded: "event not found"), and bash passes curl the words the test sends.
    let at = lines.iter().position(|l| l == "try:").unwrap();
    for (line, c) in lines[at + 1..]
        .iter()
        .filter(|l| l.trim_start().starts_with("curl "))
        .zip(&curls)
    {
        let words = words_in_interactive_bash(line.trim())
            .unwrap_or_else(|e| panic!("bash refuses {line}: {e}"));
        assert_eq!(words.last(), Some(&c.url), "{line}");
    }

    // Case 3: the first line is the seed's call by id, the answer its message.
    assert_eq!(
        curls[0].url,
        format!(
            "{}/api/samples:trigger/1?triggerWorkflows=demo_sample_sync",
            s.base
        )
    );
    assert_eq!(curls[0].body, None);
    let sample = "Sample \"Sample 1\": indicator 91, score 100.1, high true";
    let got = run_printed(&s, &curls, &token);
    assert_eq!(
        got,
        [
            msgs(sample),
            msgs(sample),
            msgs("Sample \"Edited\": indicator 95, score 104.5, high true"),
            msgs("Category \"News\" received"),
            msgs("Hello, admin"),
        ]
    );
    // The printed password signs in.
    let (st, v) = s
        .req("POST", "/api/auth:signIn")
        .json(json!({"account": "admin", "password": password}));
    assert_eq!(st, 200, "{v}");

    // Case 4, as written there, with the printed token.
    let (st, v) = s.call(
        &token,
        "POST",
        "/api/posts:trigger/1?triggerWorkflows=demo_category!category",
        None,
    );
    assert_eq!(
        (st, &v["messages"]),
        (200, &msgs("Category \"News\" received"))
    );
    let (st, v) = s.call(
        &token,
        "POST",
        "/api/workflows:trigger?triggerWorkflows=demo_global",
        None,
    );
    assert_eq!((st, &v["messages"]), (200, &msgs("Hello, admin")));
    // The async demo workflow: queued, then RESOLVED with output 182 (workflows.md §3.3).
    let (st, v) = s.call(
        &token,
        "POST",
        "/api/samples:trigger/1?triggerWorkflows=demo_sample_async",
        None,
    );
    assert_eq!(
        (st, &v["data"]["executions"][0]["status"]),
        (200, &Value::Null),
        "{v}"
    );
    let id = v["data"]["executions"][0]["id"]
        .as_i64()
        .expect("execution id");
    let e = s
        .wait_for(Duration::from_secs(5), || {
            let (_, e) = s.get(&token, &format!("/api/executions:get/{id}?appends=jobs"));
            (e["data"]["status"] == 1).then(|| e["data"].clone())
        })
        .expect("the async demo run finished");
    assert_eq!(e["output"], 182);
    let jobs: Vec<(&str, &Value)> = e["jobs"]
        .as_array()
        .map(|j| {
            j.iter()
                .map(|j| (j["nodeKey"].as_str().unwrap_or(""), &j["result"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(jobs, [("double", &json!(182)), ("out", &json!(182))]);
    // Nothing the calls sent was written.
    let (_, v) = s.get(&token, "/api/samples:get/1");
    assert_eq!(
        (&v["data"]["title"], &v["data"]["indicator"]),
        (&json!("Sample 1"), &json!(91))
    );

    // Case 5: a second start with --demo.
    assert_eq!(s.stop(), 0);
    let s2 = s.restart_builder().no_root_password().arg("--demo").start();
    let lines2 = banner(&s2);
    assert_eq!(after(&lines2, "root password: "), "(set at first start)");
    assert!(
        !lines2.iter().any(|l| l.contains(password)),
        "the password is shown once"
    );
    let token2 = printed_token(&lines2);
    assert_ne!(token2, token, "a new token at every --demo start");
    let (st, v) = s2.get(&token2, "/api/samples:list");
    assert_eq!(
        (st, &v["meta"]["count"]),
        (200, &json!(1)),
        "demo not duplicated: {v}"
    );
    for (coll, n) in [("categories", 1), ("posts", 1), ("comments", 1)] {
        let (_, v) = s2.get(&token2, &format!("/api/{coll}:list"));
        assert_eq!(v["meta"]["count"], n, "{coll}: {v}");
    }
    let (_, v) = s2.get(&token2, "/api/workflows:list?paginate=false");
    let mut wf_keys: Vec<&str> = v["data"]
        .as_array()
        .map(|a| a.iter().filter_map(|w| w["key"].as_str()).collect())
        .unwrap_or_default();
    wf_keys.sort_unstable();
    assert_eq!(
        wf_keys,
        [
            "demo_category",
            "demo_global",
            "demo_sample_async",
            "demo_sample_sync"
        ]
    );
    // The new banner's calls work too.
    let got = run_printed(&s2, &curl_lines(&lines2), &token2);
    assert_eq!(got[0], msgs(sample));
    assert_eq!(got.len(), 5);
}

#[test]
fn demo_is_not_installed_over_an_existing_samples_collection() {
    let mut s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"samples","fields":[{"name":"name","type":"string"}]})),
    );
    assert_eq!(s.stop(), 0);
    let s2 = s.restart_builder().spawned().arg("--demo").start();
    let lines = banner(&s2);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("token (root, valid 7 days): fgs_")),
        "{lines:#?}"
    );
    let (_, v) = s2.get(&s2.root(), "/api/workflows:list");
    assert_eq!(v["meta"]["count"], 0, "no demo workflows: {v}");
    let (st, v) = s2.get(&s2.root(), "/api/categories:list");
    assert_eq!(
        (st, code(&v)),
        (404, "RESOURCE_NOT_FOUND"),
        "no demo collections"
    );
}
