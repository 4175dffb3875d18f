//! The expression corpus (tests/expressions/corpus.json): every case run through flowgate's
//! `workflow::expr::evaluate` and compared with the answer recorded from NocoBase 2.2.15's own
//! evaluators (tests/expressions/record.js). Prints each engine's agreement and every difference.
//!
//! A case may carry `"differs": "<reason>"`: a known, reasoned difference. The test fails when a
//! case without it disagrees (agreement dropped) and when a case with it agrees (the note is stale).

use std::collections::BTreeMap;

use flowgate::workflow::{expr, template};
use serde_json::Value;

const CORPUS: &str = include_str!("expressions/corpus.json");

#[derive(Default)]
struct Tally {
    total: usize,
    agree: usize,
}

/// What flowgate answers, in the corpus's `expect` shape.
fn flowgate_answer(engine: &str, expression: &str, scope: &Value) -> Value {
    let lookup = |path: &str| template::walk(scope, &path.split('.').collect::<Vec<_>>());
    match expr::evaluate(engine, expression, &lookup) {
        Ok(v) => serde_json::json!({ "result": v }),
        Err(e) => serde_json::json!({ "error": e }),
    }
}

/// JSON equality with numbers compared by value (2 and 2.0 are one number in JavaScript).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn corpus_agrees_with_nocobase() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("corpus.json is JSON");
    let default_scope = &corpus["scope"];
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut known = Vec::new();
    for case in corpus["cases"].as_array().expect("cases") {
        let engine = case["engine"].as_str().expect("engine");
        let expression = case["expression"].as_str().expect("expression");
        let scope = case.get("scope").unwrap_or(default_scope);
        let got = flowgate_answer(engine, expression, scope);
        let agrees = same(&got, &case["expect"]);
        let tally = tallies.entry(engine.to_string()).or_default();
        tally.total += 1;
        tally.agree += usize::from(agrees);
        let line = format!(
            "{engine} {expression:?}\n    nocobase: {}\n    flowgate: {got}",
            case["expect"]
        );
        match (agrees, case.get("differs").and_then(Value::as_str)) {
            (false, None) => unexpected.push(line),
            (false, Some(reason)) => known.push(format!("{line}\n    reason:   {reason}")),
            (true, Some(_)) => stale.push(line),
            (true, None) => {}
        }
    }
    for (engine, t) in &tallies {
        let percent = 100.0 * t.agree as f64 / t.total as f64;
        println!("{engine}: {}/{} agree ({percent:.1}%)", t.agree, t.total);
    }
    println!("known differences ({}):", known.len());
    for line in &known {
        println!("  {line}");
    }
    for line in &stale {
        println!("STALE (agrees now, drop its \"differs\"): {line}");
    }
    for line in &unexpected {
        println!("DIFFERS: {line}");
    }
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} unexpected differences, {} stale notes (see the output above)",
        unexpected.len(),
        stale.len()
    );
}

/// The cost figures of ARCHITECTURE.md's expression section (by hand, indicative in a debug build):
/// `cargo test --test expressions -- --ignored --nocapture`.
#[test]
#[ignore]
fn cost_of_evaluations() {
    let scope = serde_json::json!({"$context": {"data": {"price": 19.99, "qty": 3}}});
    let lookup = |path: &str| template::walk(&scope, &path.split('.').collect::<Vec<_>>());
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_string();
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .unwrap_or(0)
    };
    let before = rss();
    let started = std::time::Instant::now();
    expr::evaluate("math.js", "1", &lookup).unwrap();
    println!(
        "first evaluation (starts a sandbox): {:?}, RSS {} -> {} KiB",
        started.elapsed(),
        before,
        rss()
    );
    for (engine, source) in [
        (
            "math.js",
            "round({{$context.data.price}} * {{$context.data.qty}} * 1.1, 2)",
        ),
        (
            "formula.js",
            "ROUND({{$context.data.price}} * {{$context.data.qty}} * 1.1, 2)",
        ),
        ("string", "{{$context.data.price}} x {{$context.data.qty}}"),
    ] {
        let n = 2000;
        let started = std::time::Instant::now();
        for _ in 0..n {
            expr::evaluate(engine, source, &lookup).unwrap();
        }
        let per = started.elapsed() / n;
        println!(
            "{engine}: {per:?} per evaluation ({:.0}/s)",
            1.0 / per.as_secs_f64()
        );
    }
    println!("RSS after: {} KiB", rss());
}
