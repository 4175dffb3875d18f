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
                        // A function call: plain arithmetic would not reach the sandbox.
                        evaluate("math.js", &format!("abs(-{i}) + 1"), &none),
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

/// Node validation refuses only what fails every run, whatever the variables.
#[test]
fn doomed_expressions_are_only_those_that_fail_every_run() {
    use super::{doomed, Doomed};
    let undefined = |name: &str, lower: Option<&str>, formula: bool| {
        Some(Doomed::UndefinedFunction {
            name: name.into(),
            lower: lower.map(str::to_string),
            formula,
        })
    };
    assert_eq!(
        doomed("math.js", "ROUND(1.234, 2)"),
        undefined("ROUND", Some("round"), true)
    );
    assert_eq!(
        doomed("math.js", "1 + FOO({{$context.data.x}})"),
        undefined("FOO", None, false)
    );
    assert_eq!(
        doomed("math.js", "round(SUM(1, 2))"),
        undefined("SUM", Some("sum"), true)
    );
    let fails = |engine: &str, source: &str| match doomed(engine, source) {
        Some(Doomed::Fails(e)) => e,
        other => panic!("{engine} {source}: {other:?}"),
    };
    assert!(fails("math.js", "1 +").starts_with("SyntaxError: "));
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    // The same text a run gives as the job's result.
    assert_eq!(
        Err(fails("math.js", "{{$context.data.x}} +")),
        evaluate("math.js", "{{$context.data.x}} +", &none)
    );
    assert!(fails("formula.js", "1 +").starts_with("SyntaxError: "));
    assert!(fails("formula.js", "ROUND(1, 2))").starts_with("SyntaxError: "));
    assert!(fails("formula.js", "eval('1')").contains("SES_EVAL_REJECTED"));
    for (engine, source) in [
        ("math.js", "round(1.234, 2)"),
        ("math.js", "{{$context.data.x}} + 1"),
        ("math.js", ""),
        ("math.js", "   "),
        // Branches that may not run, names the expression defines, calls a run may skip.
        ("math.js", "{{$context.data.x}} > 1 ? ROUND(1) : 2"),
        ("math.js", "{{$context.data.x}} or ROUND(1)"),
        ("math.js", "ROUND(x) = round(x); ROUND(1.5)"),
        ("math.js", "f(g) = g(2); f(sqrt)"),
        ("math.js", "map([1, 2], f(x) = ROUND(x))"),
        ("math.js", "$$0(1)"),
        ("math.js", "{{$context.data.obj}}.ROUND(1)"),
        ("formula.js", "ROUND(1.234, 2)"),
        ("formula.js", "{{$context.data.x}} + 1"),
        ("formula.js", "NOPE(1)"),
        ("formula.js", "while (true) {}"),
        ("formula.js", "new.target"),
        // The sandbox's stack limit is flowgate's own: NocoBase might parse this.
        ("math.js", deep.as_str()),
        ("formula.js", deep.as_str()),
        ("string", "{{ nope"),
        ("basic", "1 +"),
    ] {
        assert_eq!(doomed(engine, source), None, "{engine} {source}");
    }
}

/// Checking never runs the code: a script that would loop or throw is only compiled.
#[test]
fn checking_a_formula_runs_nothing() {
    let started = std::time::Instant::now();
    assert_eq!(super::doomed("formula.js", "while (true) {}"), None);
    assert_eq!(super::doomed("formula.js", "throw new Error('x')"), None);
    assert!(started.elapsed() < super::TIME_LIMIT);
}

/// The arithmetic fast path declines what is not plain arithmetic over numbers (its agreement with
/// mathjs on V8, NocoBase's engine, is tests/expressions.rs's).
#[test]
fn plain_arithmetic_outside_the_sandbox_declines_the_rest() {
    let none = serde_json::Map::new();
    for declined in [
        "2 ^ 3",
        "2 $$0",
        "5 % 3",
        "1 / 0",
        "round(1.5)",
        "0x10",
        "1e3",
        "07",
        "+1",
        "'a' + 1",
        "(1)(2)",
    ] {
        assert_eq!(super::arith::evaluate(declined, &none), None, "{declined}");
    }
    let text_var: serde_json::Map<String, Value> =
        [("$$0".to_string(), json!("1"))].into_iter().collect();
    assert_eq!(
        super::arith::evaluate("$$0 + 2", &text_var),
        None,
        "a text operand is mathjs's business"
    );
    let n: serde_json::Map<String, Value> = [("$$0".to_string(), json!(91))].into_iter().collect();
    assert_eq!(super::arith::evaluate("$$0 * 1.1", &n), Some(json!(100.1)));
    assert_eq!(
        super::arith::evaluate("-($$0 - 1) / 2", &n),
        Some(json!(-45))
    );
}
