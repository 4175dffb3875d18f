//! The "basic" condition engine (spec §7): named calculators over two rendered operands,
//! combined with nestable and/or groups.

use std::cmp::Ordering;

use serde_json::Value;

use super::compare::{loose_cmp, loose_eq};
use super::template::{render, value_text, Lookup};

/// Applies one calculator, by name or symbol, to two values.
pub fn calculate(calculator: &str, a: &Value, b: &Value) -> Result<bool, String> {
    let ordered = |accept: fn(Ordering) -> bool| loose_cmp(a, b).is_some_and(accept);
    Ok(match calculator {
        "equal" | "==" => loose_eq(a, b),
        "notEqual" | "!=" => !loose_eq(a, b),
        "gt" | ">" => ordered(Ordering::is_gt),
        "gte" | ">=" => ordered(Ordering::is_ge),
        "lt" | "<" => ordered(Ordering::is_lt),
        "lte" | "<=" => ordered(Ordering::is_le),
        "includes" => includes(a, b),
        "notIncludes" => !includes(a, b),
        "startsWith" => on_text(a, b, |x, y| x.starts_with(y)),
        "notStartsWith" => !on_text(a, b, |x, y| x.starts_with(y)),
        "endsWith" => on_text(a, b, |x, y| x.ends_with(y)),
        "notEndsWith" => !on_text(a, b, |x, y| x.ends_with(y)),
        _ => {
            return Err(format!(
                "no calculator function registered for \"{calculator}\""
            ))
        }
    })
}

/// Evaluates a calculation config: `{calculator, operands:[a, b]}` or
/// `{group:{type:"and"|"or", calculations:[…]}}`, nested to any depth.
/// A missing calculation, or an item lacking calculator/operands, passes (true).
pub fn evaluate_calculation(calc: &Value, lookup: &Lookup) -> Result<bool, String> {
    let Value::Object(item) = calc else {
        return Ok(true);
    };
    if let Some(group) = item.get("group") {
        return evaluate_group(group, lookup);
    }
    let (Some(Value::String(calculator)), Some(Value::Array(operands))) =
        (item.get("calculator"), item.get("operands"))
    else {
        return Ok(true);
    };
    let operand = |i: usize| render(operands.get(i).unwrap_or(&Value::Null), lookup);
    calculate(calculator, &operand(0), &operand(1))
}

/// Short-circuits like JavaScript's every/some: an `and` stops at the first false item.
fn evaluate_group(group: &Value, lookup: &Lookup) -> Result<bool, String> {
    let items = match group.get("calculations") {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    match group.get("type").and_then(Value::as_str).unwrap_or("and") {
        "and" => {
            for item in items {
                if !evaluate_calculation(item, lookup)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        "or" => {
            for item in items {
                if evaluate_calculation(item, lookup)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => Err(format!("unknown calculation group type \"{other}\"")),
    }
}

/// `includes`: an array has an item loosely equal to `b`; text contains `b` as text.
fn includes(a: &Value, b: &Value) -> bool {
    match a {
        Value::Array(items) => items.iter().any(|item| loose_eq(item, b)),
        _ => on_text(a, b, |x, y| x.contains(y)),
    }
}

/// Runs a text test when both sides have a text form (strings, numbers, booleans);
/// null, arrays and objects make the test false.
fn on_text(a: &Value, b: &Value, test: fn(&str, &str) -> bool) -> bool {
    match (as_text(a), as_text(b)) {
        (Some(x), Some(y)) => test(&x, &y),
        _ => false,
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Some(value_text(v)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::template::walk;
    use super::*;
    use serde_json::json;

    fn calc(name: &str, a: Value, b: Value) -> bool {
        calculate(name, &a, &b).expect("known calculator")
    }

    #[test]
    fn acceptance_case_11() {
        assert!(calc("equal", json!("1"), json!(1)));
        assert!(!calc("equal", json!(0), json!(null)));
        assert!(calc("equal", json!(false), json!(0)));
        assert!(calc(
            "gt",
            json!("2025-03-02"),
            json!("2025-03-01T12:00:00.000Z")
        ));
        assert_eq!(
            calculate("foo", &json!(1), &json!(1)),
            Err("no calculator function registered for \"foo\"".to_string())
        );
    }

    #[test]
    fn symbols_and_names_agree() {
        let pairs = [
            ("equal", "=="),
            ("notEqual", "!="),
            ("gt", ">"),
            ("gte", ">="),
            ("lt", "<"),
            ("lte", "<="),
        ];
        for (a, b) in [
            (json!(1), json!(2)),
            (json!(2), json!(2)),
            (json!("b"), json!("a")),
        ] {
            for (name, symbol) in pairs {
                assert_eq!(
                    calc(name, a.clone(), b.clone()),
                    calc(symbol, a.clone(), b.clone())
                );
            }
        }
        assert!(calc("gte", json!(2), json!("2")));
        assert!(calc("lte", json!(null), json!(0)));
        assert!(calc("lt", json!(1), json!(2)));
        assert!(!calc("gt", json!("abc"), json!(1)));
        assert!(!calc("lt", json!("abc"), json!(1)));
    }

    #[test]
    fn boolean_or_null_against_date() {
        for name in ["equal", "gt", "gte", "lt", "lte"] {
            assert!(!calc(name, json!(null), json!("2025-03-01")), "{name}");
            assert!(!calc(name, json!(true), json!("2025-03-01")), "{name}");
        }
        assert!(calc("notEqual", json!(null), json!("2025-03-01")));
        assert!(calc("notEqual", json!(false), json!("2025-03-01")));
    }

    #[test]
    fn includes_and_text_tests() {
        assert!(calc("includes", json!([1, 2, 3]), json!("2")));
        assert!(!calc("includes", json!([1, 2, 3]), json!(4)));
        assert!(calc("includes", json!("Hello"), json!("ell")));
        assert!(!calc("includes", json!("Hello"), json!("ELL")));
        assert!(!calc("includes", json!(null), json!("a")));
        assert!(calc("notIncludes", json!(null), json!("a")));
        assert!(calc("includes", json!(12345), json!(234)));
        assert!(calc("startsWith", json!("Hello"), json!("He")));
        assert!(!calc("startsWith", json!(null), json!("He")));
        assert!(!calc("startsWith", json!("Hello"), json!(null)));
        assert!(calc("notStartsWith", json!("Hello"), json!("lo")));
        assert!(calc("endsWith", json!("Hello"), json!("lo")));
        assert!(!calc("endsWith", json!(null), json!("")));
        assert!(calc("notEndsWith", json!("Hello"), json!("He")));
        assert!(!calc("includes", json!({"a": 1}), json!("a")));
    }

    fn run(calc: Value) -> Result<bool, String> {
        let root = json!({"$context": {"data": {"n": 5, "s": "abc", "tags": [{"name": "t1"}]}}});
        let lookup = move |p: &str| walk(&root, &p.split('.').collect::<Vec<_>>());
        evaluate_calculation(&calc, &lookup)
    }

    #[test]
    fn calculations_and_groups() {
        assert_eq!(run(json!(null)), Ok(true));
        assert_eq!(run(json!({})), Ok(true));
        assert_eq!(run(json!({"calculator": "equal"})), Ok(true));
        assert_eq!(run(json!({"operands": [1, 2]})), Ok(true));
        assert_eq!(
            run(json!({"calculator": "equal", "operands": [0, 1]})),
            Ok(false)
        );
        assert_eq!(
            run(json!({"calculator": "equal", "operands": ["{{$context.data.n}}", "5"]})),
            Ok(true)
        );
        assert_eq!(
            run(json!({"calculator": "equal", "operands": ["n={{$context.data.n}}", "n=5"]})),
            Ok(true)
        );
        assert_eq!(
            run(
                json!({"calculator": "includes", "operands": ["{{$context.data.tags.name}}", "t1"]})
            ),
            Ok(true)
        );
        assert_eq!(
            run(json!({"calculator": "equal", "operands": ["{{$context.data.missing}}"]})),
            Ok(true)
        );
        assert_eq!(
            run(json!({"group": {"type": "and", "calculations": []}})),
            Ok(true)
        );
        assert_eq!(
            run(json!({"group": {"type": "or", "calculations": []}})),
            Ok(false)
        );
        let nested = json!({"group": {"type": "and", "calculations": [
            {"calculator": "gt", "operands": ["{{$context.data.n}}", 3]},
            {"group": {"type": "or", "calculations": [
                {"calculator": "startsWith", "operands": ["{{$context.data.s}}", "x"]},
                {"calculator": "endsWith", "operands": ["{{$context.data.s}}", "bc"]}
            ]}}
        ]}});
        assert_eq!(run(nested), Ok(true));
        let failing = json!({"group": {"type": "or", "calculations": [
            {"calculator": "lt", "operands": [2, 1]},
            {"calculator": "foo", "operands": [1, 1]}
        ]}});
        assert_eq!(
            run(failing),
            Err("no calculator function registered for \"foo\"".into())
        );
        assert!(run(json!({"group": {"type": "xor", "calculations": []}})).is_err());
    }
}
