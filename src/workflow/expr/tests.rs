//! Tests of the expression engines through the public `evaluate` entry point.

use serde_json::{json, Value};

use super::super::template::walk;
use super::evaluate;

fn context() -> Value {
    json!({
        "$context": {"data": {
            "indicator": 91, "price": 19.99, "qty": "3", "name": "Widget", "empty": "",
            "none": null, "flag": true, "list": [1, 2, [3, null]], "tags": [{"name": "t1"}, {"name": "t2"}],
            "obj": {"a": 1}, "date": "2025-03-02"
        }},
        "$jobsMapByNodeKey": {"v1": 5},
        "$system": {"now": "2025-03-01T09:30:00.000Z"},
        "$scopes": {"loop-1": {"item": 2, "index": 1}}
    })
}

fn eval_with(engine: &str, source: &str) -> Result<Value, String> {
    let root = context();
    let lookup = move |p: &str| walk(&root, &p.split('.').collect::<Vec<_>>());
    evaluate(engine, source, &lookup)
}

fn math(source: &str) -> Value {
    eval_with("math.js", source).unwrap_or_else(|e| panic!("{source:?} failed: {e}"))
}

fn math_err(source: &str) -> String {
    eval_with("math.js", source).expect_err(source)
}

#[test]
fn acceptance_case_10() {
    assert_eq!(math(" 1 + 1 "), json!(2));
    assert_eq!(math("{{$context.data.missing}} + 1"), json!(1));
    assert_eq!(math("0.1 + 0.2"), json!(0.3));
    assert_eq!(math("1/0"), Value::Null);
    assert_eq!(math("'a' & 1"), json!("a1"));
    assert_eq!(math("ROUND(2.345, 2)"), json!(2.35));
    assert_eq!(
        math("IF({{$context.data.indicator}} > 90, 'high', 'low')"),
        json!("high")
    );
    assert_eq!(math("{{$system.now}}"), json!("2025-03-01T09:30:00.000Z"));
    assert!(math_err("1 1").starts_with("SyntaxError: "));
}

#[test]
fn acceptance_cases_8_9_15_17_shapes() {
    assert_eq!(math("1 == 1"), json!(true));
    assert_eq!(math("{{$jobsMapByNodeKey.v1}} + 1"), json!(6));
    assert_eq!(math("{{$scopes.loop-1.item}} * 10"), json!(20));
    assert_eq!(math("ROUND(91 * 1.1, 2)"), json!(100.1));
}

#[test]
fn unknown_engine() {
    assert_eq!(
        eval_with("python", "1"),
        Err("Error: Unknown engine \"python\"".into())
    );
}

#[test]
fn string_engine_renders_text() {
    assert_eq!(
        eval_with("string", "Hi {{$context.data.name}}!"),
        Ok(json!("Hi Widget!"))
    );
    assert_eq!(
        eval_with("string", "{{$context.data.indicator}}"),
        Ok(json!("91"))
    );
    assert_eq!(
        eval_with("string", "{{$context.data.missing}}"),
        Ok(json!(""))
    );
    assert_eq!(eval_with("string", "{{$context.data.none}}"), Ok(json!("")));
    assert_eq!(
        eval_with("string", "{{$context.data.obj}}"),
        Ok(json!("{\"a\":1}"))
    );
    assert_eq!(eval_with("string", "1 + 1"), Ok(json!("1 + 1")));
}

#[test]
fn literals() {
    assert_eq!(math("42"), json!(42));
    assert_eq!(math("1.5e2"), json!(150));
    assert_eq!(math("'single'"), json!("single"));
    assert_eq!(math("\"double\""), json!("double"));
    assert_eq!(math("'it\\'s'"), json!("it's"));
    assert_eq!(math("true"), json!(true));
    assert_eq!(math("false"), json!(false));
    assert_eq!(math("null"), Value::Null);
    assert_eq!(math(""), Value::Null);
    assert_eq!(math("  \n\t "), Value::Null);
}

#[test]
fn operator_precedence() {
    assert_eq!(math("1 + 2 * 3"), json!(7));
    assert_eq!(math("(1 + 2) * 3"), json!(9));
    assert_eq!(math("10 - 4 - 3"), json!(3));
    assert_eq!(math("2 * 3 ^ 2"), json!(18));
    assert_eq!(math("-2 ^ 2"), json!(4)); // unary binds tighter than power (spec order)
    assert_eq!(math("2 ^ -1"), json!(0.5));
    assert_eq!(math("1 + 2 & 3"), json!("33")); // & is below + -
    assert_eq!(math("'x' & 1 < 2"), json!(false)); // "x1" < 2 → NaN → false
    assert_eq!(math("1 < 2 == true"), json!(true)); // < above ==
    assert_eq!(math("1 == 1 && 2 == 2"), json!(true));
    assert_eq!(math("1 || 0 && 0"), json!(true)); // && above ||
    assert_eq!(math("0 || 1 ? 'y' : 'n'"), json!("y")); // ?: lowest
    assert_eq!(math("7 % 4 * 2"), json!(6));
}

#[test]
fn power_is_right_associative() {
    assert_eq!(math("2 ^ 3 ^ 2"), json!(512));
    assert_eq!(math("2 ** 3 ** 2"), json!(512));
    assert_eq!(math("(2 ^ 3) ^ 2"), json!(64));
}

#[test]
fn ternary() {
    assert_eq!(math("1 ? 'a' : 'b'"), json!("a"));
    assert_eq!(math("0 ? 'a' : 'b'"), json!("b"));
    assert_eq!(math("false ? 1 : true ? 2 : 3"), json!(2));
    assert_eq!(math("true ? false ? 1 : 2 : 3"), json!(2));
    assert_eq!(math("1 ? 2 : FOO()"), json!(2)); // the branch not taken is not evaluated
}

#[test]
fn unary_operators() {
    assert_eq!(math("-3"), json!(-3));
    assert_eq!(math("+'4'"), json!(4));
    assert_eq!(math("- -3"), json!(3));
    assert_eq!(math("!0"), json!(true));
    assert_eq!(math("!'a'"), json!(false));
    assert_eq!(math("not 1"), json!(false));
    assert_eq!(math("not not 1"), json!(true));
}

#[test]
fn plus_concatenates_or_adds() {
    assert_eq!(math("'a' + 1"), json!("a1"));
    assert_eq!(math("1 + '2'"), json!("12"));
    assert_eq!(math("null + 1"), json!(1));
    assert_eq!(math("true + true"), json!(2));
    assert_eq!(math("'n=' + null"), json!("n="));
    assert_eq!(math("'v=' + 0.1 * 3"), json!("v=0.3"));
    assert_eq!(math("{{$context.data.name}} + '!'"), json!("Widget!"));
}

#[test]
fn arithmetic_conversions() {
    assert_eq!(math("'6' - 2"), json!(4));
    assert_eq!(math("'6' * '2'"), json!(12));
    assert_eq!(math("'6' / 4"), json!(1.5));
    assert_eq!(math("'7' % 4"), json!(3));
    assert_eq!(math("'2' ^ 3"), json!(8));
    assert_eq!(math("'abc' * 2"), Value::Null); // NaN
    assert_eq!(math("{{$context.data.qty}} * 2"), json!(6));
    assert_eq!(
        math("{{$context.data.price}} * {{$context.data.qty}}"),
        json!(59.97)
    );
    assert_eq!(math("null * 5"), json!(0));
    assert_eq!(math("false - 1"), json!(-1));
    assert_eq!(math("-7 % 3"), json!(-1)); // remainder keeps the dividend's sign
    assert_eq!(math("-1/0"), Value::Null);
    assert_eq!(math("0/0"), Value::Null);
    assert_eq!(math("{{$context.data.obj}} * 1"), Value::Null);
    assert_eq!(math("1/3"), json!(0.333333333));
    assert_eq!(math("2/3"), json!(0.666666667));
    assert_eq!(math("10000000000 * 10000000000"), json!(1e20));
}

#[test]
fn concat_operator() {
    assert_eq!(math("'a' & 'b' & 'c'"), json!("abc"));
    assert_eq!(math("1 & 2"), json!("12"));
    assert_eq!(math("'x' & null & true"), json!("xtrue"));
    assert_eq!(math("'x' & {{$context.data.obj}}"), json!("x{\"a\":1}"));
}

#[test]
fn comparisons_use_loose_rules() {
    assert_eq!(math("'1' == 1"), json!(true));
    assert_eq!(math("0 == null"), json!(false));
    assert_eq!(math("null == null"), json!(true));
    assert_eq!(math("false == 0"), json!(true));
    assert_eq!(math("'' == 0"), json!(true));
    assert_eq!(math("'a' != 'b'"), json!(true));
    assert_eq!(math("'10' < 9"), json!(false));
    assert_eq!(math("'10' < '9'"), json!(true)); // two strings: code points
    assert_eq!(
        math("'2025-03-02' > '2025-03-01T12:00:00.000Z'"),
        json!(true)
    );
    assert_eq!(
        math("{{$context.data.date}} >= '2025-03-02T00:00:00Z'"),
        json!(true)
    );
    assert_eq!(math("null < '2025-03-01'"), json!(false));
    assert_eq!(math("true != '2025-03-01'"), json!(true));
    assert_eq!(math("0/0 == 0/0"), json!(false));
    assert_eq!(math("0/0 < 1"), json!(false));
    assert_eq!(math("1/0 > 1e300"), json!(true));
    assert_eq!(math("null <= 0"), json!(true));
    assert_eq!(
        math("{{$context.data.list}} == {{$context.data.list}}"),
        json!(true)
    );
}

#[test]
fn logical_operators_return_booleans() {
    assert_eq!(math("1 && 'x'"), json!(true));
    assert_eq!(math("'' || 0"), json!(false));
    assert_eq!(math("1 and 0"), json!(false));
    assert_eq!(math("0 or 'a'"), json!(true));
    assert_eq!(math("0 && FOO()"), json!(false)); // short-circuit
    assert_eq!(math("1 || FOO()"), json!(true));
    assert_eq!(math("0/0 || null"), json!(false)); // NaN is falsy
}

#[test]
fn placeholders() {
    assert_eq!(math("{{ $context.data.indicator }} + 1"), json!(92));
    assert_eq!(math("{{ctx.$context.data.indicator}}"), json!(91));
    assert_eq!(math("{{$context.data.tags.name}}"), json!(["t1", "t2"]));
    assert_eq!(math("{{$context.data.obj}}"), json!({"a": 1}));
    assert_eq!(math("{{$context.data.none}} == null"), json!(true));
    assert_eq!(
        math("'{{$context.data.indicator}}'"),
        json!("{{$context.data.indicator}}")
    );
    assert_eq!(
        math("\"x {{$context.data.name}}\" & {{$context.data.name}}"),
        json!("x {{$context.data.name}}Widget")
    );
}

#[test]
fn values_are_never_pasted_into_source() {
    // A variable holding source text stays a string: pasting it would have evaluated it.
    let lookup = |p: &str| (p == "x").then(|| json!("1) + (2"));
    assert_eq!(evaluate("math.js", "{{x}}", &lookup), Ok(json!("1) + (2")));
    let lookup = |p: &str| (p == "x").then(|| json!("FOO()"));
    assert_eq!(evaluate("math.js", "LEN({{x}})", &lookup), Ok(json!(5)));
}

#[test]
fn math_functions() {
    assert_eq!(math("ABS(-3.5)"), json!(3.5));
    assert_eq!(math("ROUND(2.5)"), json!(3));
    assert_eq!(math("ROUND(-2.5)"), json!(-3));
    assert_eq!(math("ROUND(-2.345, 2)"), json!(-2.35));
    assert_eq!(math("ROUND(1.005, 2)"), json!(1.01));
    assert_eq!(math("ROUND(1234.5, -2)"), json!(1200));
    assert_eq!(math("ROUND(2.7, 0.9)"), json!(3)); // digits truncated
    assert_eq!(math("FLOOR(-1.5)"), json!(-2));
    assert_eq!(math("CEIL(1.2)"), json!(2));
    assert_eq!(math("SQRT(16)"), json!(4));
    assert_eq!(math("SQRT(-1)"), Value::Null);
    assert_eq!(math("POW(2, 10)"), json!(1024));
    assert_eq!(math("POWER(9, 0.5)"), json!(3));
    assert_eq!(math("MOD(-7, 3)"), json!(2)); // sign of the divisor
    assert_eq!(math("MOD(7, -3)"), json!(-2));
    assert_eq!(math("MOD(7, 3)"), json!(1));
    assert_eq!(math("MOD(6, 3)"), json!(0));
    assert_eq!(math("MOD(1, 0)"), Value::Null);
}

#[test]
fn aggregate_functions() {
    assert_eq!(math("SUM(1, 2, 3)"), json!(6));
    assert_eq!(math("SUM({{$context.data.list}})"), json!(6)); // nested arrays flattened, null skipped
    assert_eq!(math("SUM()"), json!(0));
    assert_eq!(math("SUM(null, 1)"), json!(1));
    assert_eq!(math("AVERAGE({{$context.data.list}}, 4)"), json!(2.5));
    assert_eq!(math("AVERAGE()"), json!(0));
    assert_eq!(math("AVERAGE(null)"), json!(0));
    assert_eq!(math("MIN(3, {{$context.data.list}})"), json!(1));
    assert_eq!(math("MAX(3, {{$context.data.list}}, '7')"), json!(7));
    assert_eq!(math("MIN()"), json!(0));
    assert_eq!(math("MAX('x', 1)"), Value::Null);
}

#[test]
fn logical_functions() {
    assert_eq!(math("IF(1, 'a', 'b')"), json!("a"));
    assert_eq!(math("IF(0, 'a')"), json!(false));
    assert_eq!(math("IF(0, FOO(), 'b')"), json!("b"));
    assert_eq!(math("AND(1, 'x', true)"), json!(true));
    assert_eq!(math("AND(1, 0)"), json!(false));
    assert_eq!(math("OR(0, '', 3)"), json!(true));
    assert_eq!(math("OR(0, null)"), json!(false));
    assert_eq!(math("NOT(0)"), json!(true));
    assert_eq!(math("not(0)"), json!(true));
}

#[test]
fn text_functions() {
    assert_eq!(math("CONCATENATE('a', null, 1, true)"), json!("a1true"));
    assert_eq!(math("CONCAT('x', 'y')"), json!("xy"));
    assert_eq!(math("LEN('héllo')"), json!(5));
    assert_eq!(math("LEN(null)"), json!(0));
    assert_eq!(math("LEN(12.5)"), json!(4));
    assert_eq!(math("LEN({{$context.data.tags.name}})"), json!(2));
    assert_eq!(math("UPPER('abc')"), json!("ABC"));
    assert_eq!(math("LOWER('ÀB')"), json!("àb"));
    assert_eq!(math("TRIM('  a b  ')"), json!("a b"));
    assert_eq!(math("UPPER(null)"), json!(""));
}

#[test]
fn functions_are_case_insensitive() {
    assert_eq!(math("round(2.345, 2)"), json!(2.35));
    assert_eq!(math("Sum(1, 2)"), json!(3));
    assert_eq!(math("iF(1, 2, 3)"), json!(2));
}

#[test]
fn now_is_an_iso_string() {
    let now = math("NOW()");
    let text = now.as_str().expect("a string");
    assert_eq!(text.len(), 24, "{text}");
    assert!(text.ends_with('Z') && text.as_bytes()[10] == b'T' && text.as_bytes()[19] == b'.');
    assert!(super::super::compare::parse_instant(text).is_some());
}

#[test]
fn errors() {
    assert_eq!(math_err("FOO(1)"), "Error: Unknown function FOO");
    assert!(math_err("ROUND()").starts_with("Error: Wrong number of arguments"));
    assert!(math_err("NOW(1)").starts_with("Error: Wrong number of arguments"));
    assert!(math_err("IF(1)").starts_with("Error: Wrong number of arguments"));
    assert_eq!(math_err("x + 1"), "Error: Undefined symbol x");
    for bad in [
        "1 +", "(1", "1)", "'abc", "1 ? 2", "{{a b}}", "1 = 1", "SUM(1,)", "@", "1 andy 2", "{{}}",
    ] {
        let e = math_err(bad);
        assert!(e.starts_with("SyntaxError: "), "{bad:?} → {e}");
        assert!(!e.contains('\n'), "single-line message: {e}");
    }
    assert_eq!(
        math_err("1 1"),
        "SyntaxError: Unexpected \"1\" at line 1, column 3"
    );
    assert_eq!(
        math_err("1 +"),
        "SyntaxError: Unexpected end of expression at line 1, column 4"
    );
}

#[test]
fn results_are_rounded_and_integral_when_possible() {
    assert_eq!(math("3.0"), json!(3));
    assert!(math("3.0").is_i64());
    assert_eq!(math("-0"), json!(0));
    assert_eq!(math("1.0000000004"), json!(1));
    assert_eq!(math("1.0000000006"), json!(1.000000001));
    assert_eq!(math("0.0000000001"), json!(0));
    assert_eq!(math("1e300 * 1e300"), Value::Null);
}

#[test]
fn deep_but_reasonable_nesting_works() {
    let depth = 60;
    let source = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(math(&source), json!(1));
    let chain = vec!["1"; 150].join(" + ");
    assert_eq!(math(&chain), json!(150));
}

#[test]
fn hostile_nesting_is_rejected_without_overflow() {
    let n = 100_000;
    let inputs = [
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}1", "-".repeat(n)),
        format!("{}1", "not ".repeat(n)),
        vec!["2"; n].join("^"),
        vec!["1"; n].join("+"),
        format!("{}1", "1?".repeat(n)),
        format!("{}1{}", "ABS(".repeat(n), ")".repeat(n)),
    ];
    for source in inputs {
        let e = math_err(&source);
        assert!(e.starts_with("Error: Expression too complex"), "{e}");
    }
}

#[test]
fn limit_sized_inputs_do_not_overflow_a_small_stack() {
    // At the cap, on a 1 MiB thread (half of a typical runtime thread's stack). Token costs per
    // level: "(…)" 2, "-" 1, "not" 1, "^" 1, "+" 1, "1?1:" 2, "ABS(…)" 3.
    let cap = super::MAX_NESTING_TOKENS;
    let inputs = vec![
        format!("{}1{}", "(".repeat(cap / 2), ")".repeat(cap / 2)),
        format!("{}1", "-".repeat(cap)),
        format!("{}1", "not ".repeat(cap)),
        vec!["2"; cap + 1].join("^"),
        vec!["1"; cap + 1].join("+"),
        format!("{}0", "1?1:".repeat(cap / 2)),
        format!("{}1{}", "ABS(".repeat(cap / 3), ")".repeat(cap / 3)),
        format!("{}1{}", "-ABS(".repeat(cap / 4), ")".repeat(cap / 4)),
    ];
    for source in &inputs {
        assert!(super::nesting_tokens(source) <= cap, "{source}");
    }
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            inputs
                .iter()
                .map(|s| eval_with("math.js", s).is_ok())
                .collect::<Vec<_>>()
        })
        .expect("spawn");
    let results = handle.join().expect("no stack overflow");
    assert!(results.iter().all(|ok| *ok), "{results:?}");
}
