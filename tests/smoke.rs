mod common;
use common::*;

#[test]
fn health_and_sign_in() {
    let s = Server::start();
    let (st, v) = s.req("GET", "/api/health").send();
    assert_eq!((st, v), (200, json!({"data":{"status":"ok"}})));
    let (st, v) = s.get(&s.root(), "/api/auth:check");
    assert_eq!(st, 200);
    assert_eq!(v["data"]["id"], 1);
}

/// What needs a process fails loudly on an in-process server instead of passing vacuously.
#[test]
fn process_only_features_panic_on_an_in_process_server() {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    let mut s = Server::start();
    let cases: Vec<(&str, Box<dyn FnOnce(&mut Server)>)> = vec![
        ("stdout", Box::new(|s| drop(s.stdout_text()))),
        ("stderr", Box::new(|s| drop(s.stderr_text()))),
        (
            "pid",
            Box::new(|s| {
                s.pid();
            }),
        ),
        ("signal", Box::new(|s| s.signal("TERM"))),
        ("kill", Box::new(|s| s.kill())),
        (
            "wait",
            Box::new(|s| {
                s.wait();
            }),
        ),
        (
            "advance_clock",
            Box::new(|s| s.advance_clock(std::time::Duration::from_secs(1))),
        ),
    ];
    for (what, f) in cases {
        let got = catch_unwind(AssertUnwindSafe(|| f(&mut s)));
        let msg = got.err().and_then(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|m| m.to_string()))
        });
        let msg = msg.unwrap_or_else(|| panic!("{what} did not panic on an in-process server"));
        assert!(msg.contains("Server::builder()"), "{what}: {msg}");
    }
    assert_eq!(
        s.req("GET", "/api/health").send().0,
        200,
        "the server is unaffected"
    );
    for var in ["FLOWGATE_BODY_LIMIT", "RUST_LOG", "FLOWGATE_ENV_X"] {
        let got = catch_unwind(|| drop(Server::builder().env(var, "1").start()));
        assert!(got.is_err(), "{var} on an in-process server must panic");
    }
    assert_eq!(s.stop(), 0);
}
