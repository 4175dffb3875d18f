//! The sandbox's own guarantees; what the engines answer is checked against NocoBase by the
//! corpus (tests/expressions.rs).

use serde_json::{json, Value};

use super::evaluate;

fn none(_: &str) -> Option<Value> {
    None
}

#[test]
fn a_runaway_loop_ends_as_an_error_and_the_sandbox_recovers() {
    let started = std::time::Instant::now();
    let err = evaluate("formula.js", "while (true) {}", &none).unwrap_err();
    assert!(err.contains("longer than"), "{err}");
    assert!(started.elapsed() < super::TIME_LIMIT * 3);
    assert_eq!(evaluate("formula.js", "1 + 1", &none), Ok(json!(2)));
}

#[test]
fn memory_and_stack_exhaustion_are_errors() {
    let err = evaluate(
        "formula.js",
        "let a = []; while (true) a.push(new Array(1e5).fill(1))",
        &none,
    )
    .unwrap_err();
    assert!(
        err.contains("out of memory") || err.contains("longer than"),
        "{err}"
    );
    let err = evaluate("formula.js", "(function f() { return f() + 1 })()", &none).unwrap_err();
    assert!(
        err.contains("stack") || err.contains("too much recursion"),
        "{err}"
    );
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    assert!(evaluate("math.js", &deep, &none).is_err());
    assert!(evaluate("formula.js", &deep, &none).is_err());
}

#[test]
fn one_expression_cannot_change_what_the_next_one_sees() {
    for attempt in [
        "Array.prototype.map = () => 1",
        "Math.max = () => 1",
        "Function('return this')().SUM = 1",
        "Object.prototype.x = 1",
        "globalThis.y = 1",
        "var z = 1",
    ] {
        let _ = evaluate("formula.js", attempt, &none);
    }
    assert_eq!(
        evaluate("formula.js", "[1, 2].map(v => v * 2)", &none),
        Ok(json!([2, 4]))
    );
    assert_eq!(
        evaluate("formula.js", "Math.max(1, 2)", &none),
        Ok(json!(2))
    );
    assert_eq!(evaluate("formula.js", "SUM(1, 2)", &none), Ok(json!(3)));
    assert_eq!(evaluate("formula.js", "({}).x", &none), Ok(Value::Null));
    assert_eq!(
        evaluate("formula.js", "typeof z", &none),
        Ok(json!("undefined"))
    );
}

#[test]
fn the_sandbox_has_no_host_access() {
    for probe in [
        "typeof std",
        "typeof os",
        "typeof print",
        "typeof console",
        "typeof require",
        "typeof process",
    ] {
        assert_eq!(
            evaluate("formula.js", probe, &none),
            Ok(json!("undefined")),
            "{probe}"
        );
    }
}

#[test]
fn pooled_sandboxes_serve_parallel_threads() {
    let threads: Vec<_> = (0..4)
        .map(|i| std::thread::spawn(move || evaluate("math.js", &format!("{i} * 2"), &none)))
        .collect();
    for (i, t) in threads.into_iter().enumerate() {
        assert_eq!(t.join().unwrap(), Ok(json!(i * 2)));
    }
}

/// A burst of runs on many threads builds no more sandboxes than the pool allows (each costs ~14 MiB).
#[test]
fn a_burst_of_runs_shares_a_bounded_number_of_sandboxes() {
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                for _ in 0..2 {
                    assert_eq!(
                        evaluate("math.js", &format!("{i} + 1"), &none),
                        Ok(json!(i + 1))
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let live = super::js::live();
    assert!(
        live >= 1 && live <= super::js::max_live(),
        "{live} sandboxes"
    );
}
