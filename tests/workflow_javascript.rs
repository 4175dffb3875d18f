//! The `script` (JavaScript) node of NocoBase's plugin-workflow-javascript, over a real server: created and
//! validated through `nodes:create` and `flow_nodes:update`, run through the custom action trigger, and
//! carried through `app:export` and `flowgate import`.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::{Duration, Instant};

use common::*;
use wf::*;

fn script(key: &str, content: &str, arguments: Value) -> Value {
    n(
        "script",
        key,
        json!({ "content": content, "arguments": arguments }),
    )
}

/// `(status, result)` of the job of node `key`.
fn outcome(e: &Value, key: &str) -> (i64, Value) {
    jobs(e)
        .into_iter()
        .rev()
        .find(|(k, _, _)| k == key)
        .map(|(_, st, r)| (st, r))
        .unwrap_or_else(|| panic!("no job {key} in {e}"))
}

#[test]
fn a_script_returns_its_value_awaited_with_arguments_from_the_context_and_earlier_nodes() {
    let s = Server::start();
    flow(
        &s,
        "js",
        &[
            calc("c", "{{$context.data.n}} * 2"),
            script(
                "js",
                "const doubled = await Promise.resolve(twice);\n\
                 console.log('title is', title);\n\
                 return { text: title + 90, doubled, kinds: [typeof flag, typeof nil, typeof list], sum: list.reduce((a, b) => a + b, 0), at: new Date(0) };",
                json!([
                    {"name": "title", "value": "{{$context.data.title}}"},
                    {"name": "twice", "value": "{{$jobsMapByNodeKey.c}}"},
                    {"name": "flag", "value": true},
                    {"name": "nil"},
                    {"name": "list", "value": "{{$context.data.list}}"}
                ]),
            ),
            script("undef", "const x = 1;", json!([])),
            script("prev", "return prev.doubled + 1;", json!([{"name":"prev","value":"{{$jobsMapByNodeKey.js}}"}])),
        ],
    );
    let (st, e) = run_with(
        &s,
        "js",
        json!({"title": "post", "n": 21, "list": [1, 2, 3]}),
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        outcome(&e, "js"),
        (
            1,
            json!({"text": "post90", "doubled": 42, "kinds": ["boolean", "object", "object"], "sum": 6, "at": "1970-01-01T00:00:00.000Z"})
        )
    );
    assert_eq!(outcome(&e, "undef"), (1, Value::Null));
    assert_eq!(outcome(&e, "prev"), (1, json!(43)));
}

#[test]
fn a_thrown_error_or_rejected_promise_fails_the_job_unless_continue_is_set() {
    let s = Server::start();
    let (st, e) = one_shot(
        &s,
        "thrown",
        &[
            script("t", "throw new TypeError('bad input');", json!([])),
            calc("after", "1"),
        ],
    );
    assert_eq!((st, &e["status"]), (500, &json!(-2)), "{e}");
    assert_eq!(outcome(&e, "t"), (-2, json!("TypeError: bad input")));
    assert_eq!(job_keys(&e), ["t"], "the run stops at the failed node");

    let (_, e) = one_shot(
        &s,
        "rejected",
        &[script(
            "r",
            "return Promise.reject(new Error('fail'));",
            json!([]),
        )],
    );
    assert_eq!(outcome(&e, "r"), (-2, json!("Error: fail")));

    let (_, e) = one_shot(
        &s,
        "never",
        &[script("p", "return new Promise(() => {});", json!([]))],
    );
    assert_eq!(
        outcome(&e, "p"),
        (-2, json!("Script promise did not settle"))
    );

    let (st, e) = one_shot(
        &s,
        "goes_on",
        &[
            n(
                "script",
                "t",
                json!({"content": "throw new Error('fail')", "continue": true}),
            ),
            calc("after", "1 + 1"),
        ],
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(outcome(&e, "t"), (1, json!("Error: fail")));
    assert_eq!(outcome(&e, "after"), (1, json!(2)));
}

#[test]
fn an_endless_loop_ends_the_job_with_a_timeout_error_in_bounded_time() {
    let s = Server::start();
    flow(
        &s,
        "loop",
        &[n(
            "script",
            "l",
            json!({"content": "while (true) {}", "timeout": 300}),
        )],
    );
    flow(
        &s,
        "loop_async",
        &[n(
            "script",
            "l",
            json!({"content": "await null; for (;;) {}", "timeout": 200}),
        )],
    );
    let t = Instant::now();
    let (st, e) = run(&s, "loop");
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    assert_eq!((st, &e["status"]), (500, &json!(-2)), "{e}");
    assert_eq!(
        outcome(&e, "l"),
        (-2, json!("Script execution timed out after 300ms"))
    );
    let (_, e) = run(&s, "loop_async");
    assert_eq!(
        outcome(&e, "l"),
        (-2, json!("Script execution timed out after 200ms"))
    );
    // No timeout set: flowgate's 5 s cap still ends it.
    let t = Instant::now();
    let (_, e) = one_shot(&s, "loop_cap", &[script("l", "for (;;) {}", json!([]))]);
    assert_eq!(
        outcome(&e, "l"),
        (-2, json!("Script execution timed out after 5000ms"))
    );
    assert!(t.elapsed() < Duration::from_secs(9), "{:?}", t.elapsed());
    // The server still answers and runs scripts afterwards.
    let (_, e) = one_shot(&s, "after", &[script("ok", "return 7;", json!([]))]);
    assert_eq!(outcome(&e, "ok"), (1, json!(7)));
}

#[test]
fn a_script_reaches_nothing_of_the_host() {
    let s = Server::start();
    let probe = "const seen = {};\n\
        for (const name of ['require', 'process', 'Buffer', 'global', 'setTimeout', 'setImmediate', 'fetch', 'std', 'os', 'module']) {\n\
          seen[name] = eval('typeof ' + name);\n\
        }\n\
        let required;\n\
        try { require('fs'); required = 'loaded'; } catch (e) { required = e.message; }\n\
        let pid;\n\
        try { pid = process.pid; } catch (e) { pid = e.name; }\n\
        return { seen, required, pid, stdout: typeof console._stdout };";
    let (st, e) = one_shot(&s, "host", &[script("h", probe, json!([]))]);
    assert_eq!(st, 200, "{e}");
    let undefined = "undefined";
    assert_eq!(
        outcome(&e, "h"),
        (
            1,
            json!({
                "seen": {"require": undefined, "process": undefined, "Buffer": undefined, "global": undefined,
                         "setTimeout": undefined, "setImmediate": undefined, "fetch": undefined, "std": undefined,
                         "os": undefined, "module": undefined},
                "required": "require is not defined",
                "pid": "ReferenceError",
                "stdout": undefined
            })
        )
    );
    // One run leaves nothing for the next: each has its own context.
    flow(
        &s,
        "leak",
        &[script("l", "const before = typeof globalThis.kept; globalThis.kept = 1; Object.prototype.polluted = 1; return before;", json!([]))],
    );
    for _ in 0..2 {
        let (_, e) = run(&s, "leak");
        assert_eq!(outcome(&e, "l"), (1, json!("undefined")));
    }
}

#[test]
fn a_script_that_does_not_compile_or_a_wrong_config_is_refused_and_nothing_is_stored() {
    let s = Server::start();
    let wid = create(
        &s,
        json!({"title":"bad","type":"custom-action","key":"bad","config":{"type":0}}),
    )["id"]
        .as_i64()
        .expect("id");
    let cases = [
        (json!({"content": "const\nreturn 1;"}), vec!["content"]),
        (
            json!({"content": 5, "timeout": "soon", "continue": "yes", "arguments": {}}),
            vec!["content", "timeout", "continue", "arguments"],
        ),
        (
            json!({"content": "return 1;", "arguments": [{"value": 1}, {"name": 2}, "x"]}),
            vec!["arguments[0].name", "arguments[1].name", "arguments[2]"],
        ),
    ];
    for (config, expected) in cases {
        let before = nodes_of(&s, wid);
        let (st, v) = s.post(
            &s.root(),
            &format!("/api/workflows/{wid}/nodes:create"),
            json!({"type": "script", "config": config}),
        );
        assert_eq!(
            (st, v["errors"][0]["code"].as_str()),
            (400, Some("INVALID_NODE_CONFIG")),
            "{config} → {v}"
        );
        let got: Vec<String> = fields(&v).into_iter().map(|(f, _)| f).collect();
        assert_eq!(got, expected, "{config} → {v}");
        assert_eq!(nodes_of(&s, wid), before, "a refused node was stored");
    }
    let (_, v) = s.post(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:create"),
        json!({"type": "script", "config": {"content": "return (1"}}),
    );
    let message = v["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("The script does not compile: SyntaxError:")
            && message.ends_with("fix its syntax"),
        "{v}"
    );

    // flow_nodes:update checks the same and leaves the stored config as it was.
    let id = node(&s, wid, script("ok", "return 1;", json!([])))["id"]
        .as_i64()
        .expect("id");
    let before = nodes_of(&s, wid);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/flow_nodes:update/{id}"),
        json!({"config": {"content": "return }"}}),
    );
    assert_eq!(
        (
            st,
            fields(&v).into_iter().map(|(f, _)| f).collect::<Vec<_>>()
        ),
        (400, vec!["content".to_string()]),
        "{v}"
    );
    assert_eq!(nodes_of(&s, wid), before);
}

/// A script stored before validation refused it keeps loading and fails its runs with the syntax error.
#[test]
fn a_stored_script_that_does_not_compile_fails_its_job() {
    let s = Server::start();
    let wid = global(&s, "stored", true);
    let id = chain(&s, wid, &[script("bad", "return 1;", json!([]))])[0];
    store_config(&s, id, json!({"content": "const\nreturn 1;"}));
    let (st, e) = run(&s, "stored");
    assert_eq!(st, 500, "{e}");
    let (status, result) = outcome(&e, "bad");
    assert_eq!(status, -2);
    assert!(
        result
            .as_str()
            .is_some_and(|r| r.starts_with("SyntaxError:")),
        "{result}"
    );
}

#[test]
fn a_script_workflow_runs_async_too() {
    let s = Server::start();
    let wid = global(&s, "queued", false);
    chain(
        &s,
        wid,
        &[script(
            "q",
            "return await Promise.resolve(x * 3);",
            json!([{"name":"x","value":"{{$context.data.x}}"}]),
        )],
    );
    let id = enqueue(&s, "queued", json!({"x": 5}));
    let e = wait_final(&s, id, Duration::from_secs(20));
    assert_eq!(outcome(&e, "q"), (1, json!(15)));
}

/// `app:export` carries the node; `flowgate import` of that document into a fresh folder gives a server
/// whose workflow runs the same script.
#[test]
fn a_script_node_round_trips_through_export_and_import() {
    let s = Server::start();
    flow(
        &s,
        "round",
        &[script(
            "js",
            "return name.toUpperCase();",
            json!([{"name":"name","value":"{{$context.data.name}}"}]),
        )],
    );
    let r = s.req("GET", "/api/app:export").bearer(&s.root()).raw(b"");
    assert_eq!(r.status, 200, "{}", r.text);
    let doc = r.body;
    let wf = doc["workflows"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["key"] == "round"))
        .unwrap_or_else(|| panic!("no workflow round in {doc}"));
    assert_eq!(wf["nodes"][0]["type"], "script", "{wf}");

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("doc.json");
    std::fs::write(&file, serde_json::to_string(&doc).unwrap()).unwrap();
    let data = tmp.path().join("data");
    let (code, _, err) = run_cli(
        &[
            "import",
            file.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--strict",
        ],
        &[],
    );
    assert_eq!(code, 0, "import: {err}");
    let t = Server::builder().dir(&data).start();
    let (st, e) = run_with(&t, "round", json!({"name": "ada"}));
    assert_eq!((st, outcome(&e, "js")), (200, (1, json!("ADA"))), "{e}");
}

/// The heap and the stack are bounded: a script that allocates without end or recurses without end
/// fails its job, and the server goes on.
#[test]
fn a_script_that_exhausts_its_heap_or_stack_fails_its_job() {
    let s = Server::start();
    let (_, e) = one_shot(
        &s,
        "heap",
        &[script(
            "h",
            "const all = []; for (;;) all.push(new Array(100000).fill(all.length));",
            json!([]),
        )],
    );
    assert_eq!(
        outcome(&e, "h"),
        (-2, json!("InternalError: out of memory"))
    );
    let (_, e) = one_shot(
        &s,
        "stack",
        &[script(
            "r",
            "function f(n) { return f(n + 1) + 1; } return f(0);",
            json!([]),
        )],
    );
    assert_eq!(
        outcome(&e, "r"),
        (-2, json!("RangeError: Maximum call stack size exceeded"))
    );
    // Async runs go through the queue's worker thread: the same bound holds there.
    let wid = global(&s, "stack_async", false);
    chain(
        &s,
        wid,
        &[script(
            "r",
            "function f(n) { return f(n + 1) + 1; } return f(0);",
            json!([]),
        )],
    );
    let id = enqueue(&s, "stack_async", json!({}));
    let e = wait_final(&s, id, Duration::from_secs(20));
    assert_eq!(
        outcome(&e, "r"),
        (-2, json!("RangeError: Maximum call stack size exceeded"))
    );
    let (_, e) = one_shot(&s, "after", &[script("ok", "return 1;", json!([]))]);
    assert_eq!(outcome(&e, "ok"), (1, json!(1)));
}

/// `console.*` lines reach the server's log with the execution and node, as NocoBase's reach the
/// workflow's logger; they are not part of the job's result.
#[test]
fn console_lines_go_to_the_log() {
    let s = Server::builder().spawned().start();
    let (_, e) = one_shot(
        &s,
        "logs",
        &[script(
            "l",
            "console.log('hello from', who); console.warn({ n: 1 }); return 'done';",
            json!([{"name":"who","value":"{{$context.data.who}}"}]),
        )],
    );
    assert_eq!(outcome(&e, "l"), (1, json!("done")));
    let log = s
        .wait_for(Duration::from_secs(10), || {
            let text = s.stderr_text();
            text.contains("{\"n\":1}").then_some(text)
        })
        .unwrap_or_else(|| panic!("no console line in the log: {}", s.stderr_text()));
    let line = log
        .lines()
        .find(|l| l.contains("hello from"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        line.contains("script console") && line.contains("execution="),
        "{line}"
    );
}
