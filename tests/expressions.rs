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
#[ignore = "a timing harness (figures, no assertion): run by hand, as the comment above says"]
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

/// Plain arithmetic over numbers (`{{a}} * 1.1 - {{b}}`) is evaluated outside the sandbox
/// (workflow::expr::arith); its answers are compared here with mathjs on V8, NocoBase's engine: the
/// vendored bundle run by node over a few hundred random expressions of that shape. (It also found
/// that serde_json's default float parser lands some 17-digit numbers one unit in the last place off:
/// flowgate parses with `float_roundtrip`.)
#[test]
fn plain_arithmetic_agrees_with_mathjs_on_v8() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    fn expr(rng: &mut rand::rngs::StdRng, depth: u32) -> String {
        if depth == 0 || rng.gen_bool(0.3) {
            return match rng.gen_range(0..3) {
                0 => format!("{{{{$context.data.v{}}}}}", rng.gen_range(0..3)),
                1 => format!("{}", rng.gen_range(0..500)),
                _ => format!("{}.{}", rng.gen_range(0..50), rng.gen_range(1..999)),
            };
        }
        let op = ["+", "-", "*", "/"][rng.gen_range(0..4)];
        let (a, b) = (expr(rng, depth - 1), expr(rng, depth - 1));
        match rng.gen_range(0..3) {
            0 => format!("({a} {op} {b})"),
            1 => format!("-{a} {op} {b}"),
            _ => format!("{a} {op} {b}"),
        }
    }
    let mut cases = Vec::new();
    for _ in 0..400 {
        let mut data = serde_json::Map::new();
        for i in 0..3 {
            let v: f64 = match rng.gen_range(0..4) {
                0 => rng.gen_range(-1000..1000) as f64,
                1 => rng.gen_range(-1e6..1e6),
                2 => (rng.gen_range(0..100000) as f64) / 1000.0,
                _ => rng.gen_range(-1.0..1.0) * 1e-6,
            };
            data.insert(format!("v{i}"), serde_json::json!(v));
        }
        cases.push(serde_json::json!({"expression": expr(&mut rng, 4), "data": data}));
    }
    // node evaluates each as NocoBase's evaluator does: templates become $$n variables, the result
    // rounded with math.round(x, 9) when it is a finite number.
    let script = r#"
        const math = require(process.argv[1]);
        const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const out = cases.map(({ expression, data }) => {
          const scope = {}; let n = 0;
          const text = expression.replace(/\{\{\s*\$context\.data\.(\w+)\s*\}\}/g, (_, k) => {
            const name = '$$' + n++; scope[name] = data[k]; return name;
          });
          try {
            const r = math.evaluate(text, scope);
            return { result: typeof r === 'number' ? (Number.isFinite(r) ? math.round(r, 9) : null) : r };
          } catch (e) { return { error: String(e) }; }
        });
        process.stdout.write(JSON.stringify(out));
    "#;
    let bundle = concat!(env!("CARGO_MANIFEST_DIR"), "/vendor/expr/math.js");
    let mut child = std::process::Command::new("node")
        .args(["-e", script, bundle])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node is needed for this test (.ci/run installs it)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(Value::Array(cases.clone()).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v8: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut differences = Vec::new();
    for (case, want) in cases.iter().zip(&v8) {
        let scope = serde_json::json!({"$context": {"data": case["data"]}});
        let got = flowgate_answer("math.js", case["expression"].as_str().unwrap(), &scope);
        if !same(&got, want) {
            differences.push(format!(
                "{} over {}: flowgate {got}, mathjs on V8 {want}",
                case["expression"], case["data"]
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} differ:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
}
