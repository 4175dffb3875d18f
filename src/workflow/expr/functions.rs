//! Built-in functions of the expression engine (names are case-insensitive).

use chrono::{SecondsFormat, Utc};
use serde_json::Value;

use super::super::num::round_half_away;
use super::super::template::Lookup;
use super::eval::{eval, Val};
use super::parser::Expr;

/// Calls a built-in. `IF` receives its arguments unevaluated so only the chosen branch runs;
/// every other function evaluates all of its arguments first.
pub(crate) fn call_function(name: &str, args: &[Expr], lookup: &Lookup) -> Result<Val, String> {
    if name.eq_ignore_ascii_case("IF") {
        return call_if(args, lookup);
    }
    // A plain loop rather than iterator adapters: in debug builds every adapter adds a stack
    // frame to each nesting level of `ABS(ABS(…))`.
    let mut values = Vec::with_capacity(args.len());
    for arg in args {
        values.push(eval(arg, lookup)?);
    }
    apply_function(name, &values)
}

/// Kept out of `call_function` so its large frame is not part of the recursion per nesting level.
#[inline(never)]
fn apply_function(name: &str, values: &[Val]) -> Result<Val, String> {
    let upper = name.to_ascii_uppercase();
    let arity = |min: usize, max: usize| check_arity(name, values.len(), min, max);
    let number = |i: usize| values.get(i).map_or(0.0, Val::num);
    let text = |i: usize| values.get(i).map(Val::text).unwrap_or_default();
    Ok(match upper.as_str() {
        "ABS" => arity(1, 1).map(|_| Val::Num(number(0).abs()))?,
        "FLOOR" => arity(1, 1).map(|_| Val::Num(number(0).floor()))?,
        "CEIL" | "CEILING" => arity(1, 1).map(|_| Val::Num(number(0).ceil()))?,
        "SQRT" => arity(1, 1).map(|_| Val::Num(number(0).sqrt()))?,
        "ROUND" => arity(1, 2).map(|_| Val::Num(round(number(0), values.get(1).map(Val::num))))?,
        "POW" | "POWER" => arity(2, 2).map(|_| Val::Num(number(0).powf(number(1))))?,
        "MOD" => arity(2, 2).map(|_| Val::Num(modulo(number(0), number(1))))?,
        "MIN" => Val::Num(fold_numbers(values, f64::min)),
        "MAX" => Val::Num(fold_numbers(values, f64::max)),
        "SUM" => Val::Num(numbers(values).iter().sum()),
        "AVERAGE" => Val::Num(average(&numbers(values))),
        "AND" => Val::Bool(flatten(values).iter().all(Val::truthy)),
        "OR" => Val::Bool(flatten(values).iter().any(Val::truthy)),
        "NOT" => arity(1, 1).map(|_| Val::Bool(!values[0].truthy()))?,
        "CONCATENATE" | "CONCAT" => Val::Str(flatten(values).iter().map(Val::text).collect()),
        "LEN" => arity(1, 1).map(|_| Val::Num(length(&values[0])))?,
        "UPPER" => arity(1, 1).map(|_| Val::Str(text(0).to_uppercase()))?,
        "LOWER" => arity(1, 1).map(|_| Val::Str(text(0).to_lowercase()))?,
        "TRIM" => arity(1, 1).map(|_| Val::Str(text(0).trim().to_string()))?,
        "NOW" => arity(0, 0).map(|_| Val::Str(now_iso()))?,
        _ => return Err(format!("Unknown function {name}")),
    })
}

fn check_arity(name: &str, got: usize, min: usize, max: usize) -> Result<(), String> {
    if (min..=max).contains(&got) {
        return Ok(());
    }
    let expected = if min == max {
        min.to_string()
    } else {
        format!("{min} to {max}")
    };
    Err(format!(
        "Wrong number of arguments in function {name} ({got} provided, {expected} expected)"
    ))
}

/// IF(condition, then[, otherwise = false]).
fn call_if(args: &[Expr], lookup: &Lookup) -> Result<Val, String> {
    check_arity("IF", args.len(), 2, 3)?;
    if eval(&args[0], lookup)?.truthy() {
        eval(&args[1], lookup)
    } else {
        args.get(2)
            .map_or(Ok(Val::Bool(false)), |e| eval(e, lookup))
    }
}

/// ROUND half away from zero; the digit count is truncated to an integer like Excel does.
fn round(x: f64, digits: Option<f64>) -> f64 {
    let digits = digits.unwrap_or(0.0);
    if digits.is_nan() {
        return f64::NAN;
    }
    // Clamping keeps the cast defined; beyond ±400 digits every f64 rounds to itself or 0.
    round_half_away(x, digits.trunc().clamp(-400.0, 400.0) as i32)
}

/// MOD takes the divisor's sign (Excel), unlike `%` which takes the dividend's.
fn modulo(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && (r < 0.0) != (b < 0.0) {
        r + b
    } else {
        r
    }
}

/// Arguments with arrays flattened (nested too) and nulls skipped.
fn flatten(values: &[Val]) -> Vec<Val> {
    let mut out = Vec::new();
    for v in values {
        push_flat(v.clone(), &mut out);
    }
    out
}

fn push_flat(v: Val, out: &mut Vec<Val>) {
    match v {
        Val::Null => {}
        Val::Json(Value::Array(items)) => {
            for item in items {
                push_flat(Val::from_json(item), out);
            }
        }
        other => out.push(other),
    }
}

fn numbers(values: &[Val]) -> Vec<f64> {
    flatten(values).iter().map(Val::num).collect()
}

/// MIN/MAX over the flattened numbers: none → 0, any NaN → NaN (f64::min would skip it).
fn fold_numbers(values: &[Val], pick: fn(f64, f64) -> f64) -> f64 {
    let nums = numbers(values);
    if nums.iter().any(|n| n.is_nan()) {
        return f64::NAN;
    }
    nums.into_iter().reduce(pick).unwrap_or(0.0)
}

fn average(nums: &[f64]) -> f64 {
    if nums.is_empty() {
        0.0
    } else {
        nums.iter().sum::<f64>() / nums.len() as f64
    }
}

/// LEN: characters of the text; null → 0; an array counts its items.
fn length(v: &Val) -> f64 {
    match v {
        Val::Null => 0.0,
        Val::Json(Value::Array(items)) => items.len() as f64,
        other => other.text().chars().count() as f64,
    }
}

fn now_iso() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
