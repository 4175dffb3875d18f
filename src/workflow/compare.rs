//! JavaScript-like loose equality and ordering over JSON values (spec §7 "Loose rules").
//!
//! The rules are written once over [`Operand`], a borrowed view that can also carry NaN and
//! infinities, so the expression evaluator (whose numbers may be non-finite) shares them.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::num::parse_number;

/// A value as the loose rules see it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Operand<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    /// An array or object: only ever equal to a deeply equal array or object.
    Compound(&'a Value),
}

impl<'a> Operand<'a> {
    pub(crate) fn from_json(v: &'a Value) -> Self {
        match v {
            Value::Null => Operand::Null,
            Value::Bool(b) => Operand::Bool(*b),
            Value::Number(n) => Operand::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Operand::Str(s),
            Value::Array(_) | Value::Object(_) => Operand::Compound(v),
        }
    }

    /// Numeric view for mixed comparisons: null → 0, booleans → 1/0, text via `Number()`,
    /// arrays and objects → NaN (so they never order).
    fn to_number(self) -> f64 {
        match self {
            Operand::Null => 0.0,
            Operand::Bool(b) => f64::from(u8::from(b)),
            Operand::Num(n) => n,
            Operand::Str(s) => parse_number(s),
            Operand::Compound(_) => f64::NAN,
        }
    }
}

/// Loose equality: null equals only null; arrays/objects only deeply equal ones; two strings
/// compare as text; every other pair compares as numbers (booleans 1/0, text via `Number()`).
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    operands_eq(Operand::from_json(a), Operand::from_json(b))
}

/// Loose ordering; `None` when the pair is incomparable (NaN involved, arrays/objects, or a
/// boolean/null against a date string).
pub fn loose_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    operands_cmp(Operand::from_json(a), Operand::from_json(b))
}

/// JavaScript truthiness over JSON: false, null, 0 and "" are falsy; arrays and objects truthy.
pub fn truthy(v: &Value) -> bool {
    operand_truthy(Operand::from_json(v))
}

pub(crate) fn operand_truthy(v: Operand) -> bool {
    match v {
        Operand::Null => false,
        Operand::Bool(b) => b,
        Operand::Num(n) => n != 0.0 && !n.is_nan(),
        Operand::Str(s) => !s.is_empty(),
        Operand::Compound(_) => true,
    }
}

pub(crate) fn operands_eq(a: Operand, b: Operand) -> bool {
    use Operand::*;
    match (a, b) {
        (Null, Null) => true,
        (Null, _) | (_, Null) => false,
        (Compound(x), Compound(y)) => deep_eq(x, y),
        (Compound(_), _) | (_, Compound(_)) => false,
        (Str(x), Str(y)) => x == y,
        // A boolean against a date string lands here too and is false: the date is NaN as a number.
        _ => a.to_number() == b.to_number(),
    }
}

pub(crate) fn operands_cmp(a: Operand, b: Operand) -> Option<Ordering> {
    use Operand::*;
    match (a, b) {
        (Str(x), Str(y)) => match (parse_instant(x), parse_instant(y)) {
            (Some(dx), Some(dy)) => Some(dx.cmp(&dy)),
            // Rust compares str byte-wise, which for UTF-8 is code point order.
            _ => Some(x.cmp(y)),
        },
        (Bool(_) | Null, Str(s)) | (Str(s), Bool(_) | Null) if parse_instant(s).is_some() => None,
        _ => a.to_number().partial_cmp(&b.to_number()),
    }
}

/// Structural equality where numbers compare by value (1 equals 1.0) and key order is ignored.
fn deep_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(i, j)| deep_eq(i, j))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Parses an ISO-8601 date or date-time into a UTC instant. Date-only and offset-less forms
/// are taken as UTC (the server's reference zone).
pub(crate) fn parse_instant(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if !looks_like_iso_date(s) {
        return None; // cheap filter: plain numbers and words never reach chrono
    }
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0);
    }
    // Normalise the separator and a trailing Z so a handful of formats cover the variants.
    let mut t = s.replacen(' ', "T", 1);
    if t.ends_with(['Z', 'z']) {
        t.pop();
        t.push_str("+00:00");
    }
    const WITH_OFFSET: [&str; 3] = [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
    ];
    const NAIVE: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"];
    WITH_OFFSET
        .iter()
        .find_map(|f| DateTime::parse_from_str(&t, f).ok().map(|d| d.naive_utc()))
        .or_else(|| {
            NAIVE
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
        })
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space and more.
fn looks_like_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eq(a: Value, b: Value) -> bool {
        loose_eq(&a, &b)
    }
    fn cmp(a: Value, b: Value) -> Option<Ordering> {
        loose_cmp(&a, &b)
    }

    #[test]
    fn null_equals_only_null() {
        assert!(eq(json!(null), json!(null)));
        assert!(!eq(json!(0), json!(null)));
        assert!(!eq(json!(null), json!("")));
        assert!(!eq(json!(null), json!(false)));
    }

    #[test]
    fn numbers_strings_and_booleans() {
        assert!(eq(json!("1"), json!(1)));
        assert!(eq(json!(1), json!("1.0")));
        assert!(eq(json!(""), json!(0)));
        assert!(!eq(json!("abc"), json!(0)));
        assert!(eq(json!(false), json!(0)));
        assert!(eq(json!(true), json!(1)));
        assert!(eq(json!(true), json!("1")));
        assert!(!eq(json!(true), json!("true")));
        assert!(eq(json!(1), json!(1.0)));
        assert!(eq(json!("a"), json!("a")));
        assert!(!eq(json!("1"), json!("1.0")));
    }

    #[test]
    fn compounds_only_deeply_equal() {
        assert!(eq(json!([1, {"a": 2}]), json!([1.0, {"a": 2}])));
        assert!(eq(json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1})));
        assert!(!eq(json!([1]), json!([1, 2])));
        assert!(!eq(json!([1]), json!(1)));
        assert!(!eq(json!([1]), json!("1")));
        assert!(!eq(json!({}), json!({"a": null})));
    }

    #[test]
    fn boolean_or_null_against_date_string() {
        for other in [json!(true), json!(false), json!(null)] {
            let date = json!("2025-03-01");
            assert!(!eq(other.clone(), date.clone()));
            assert_eq!(cmp(other.clone(), date.clone()), None);
            assert_eq!(cmp(date, other), None);
        }
    }

    #[test]
    fn ordering_of_strings_dates_and_numbers() {
        assert_eq!(cmp(json!("b"), json!("a")), Some(Ordering::Greater));
        assert_eq!(cmp(json!("10"), json!("9")), Some(Ordering::Less)); // text, like JS
        assert_eq!(
            cmp(json!("2025-03-02"), json!("2025-03-01T12:00:00.000Z")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            cmp(
                json!("2025-03-01T10:00:00+02:00"),
                json!("2025-03-01T09:00:00Z")
            ),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(json!("2025-03-01"), json!("2025-03-01T00:00:00.000Z")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            cmp(json!("2025-03-01 08:00"), json!("2025-03-01T07:59:59")),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp(json!(2), json!("10")), Some(Ordering::Less));
        assert_eq!(cmp(json!(null), json!(0)), Some(Ordering::Equal));
        assert_eq!(cmp(json!(null), json!(-1)), Some(Ordering::Greater));
        assert_eq!(cmp(json!(true), json!(0)), Some(Ordering::Greater));
        assert_eq!(cmp(json!("abc"), json!(1)), None);
        assert_eq!(cmp(json!([1]), json!(1)), None);
        assert_eq!(cmp(json!(null), json!("5")), Some(Ordering::Less));
    }

    #[test]
    fn iso_detection() {
        assert!(parse_instant("2025-03-01").is_some());
        assert!(parse_instant("2025-03-01T09:30:00.000Z").is_some());
        assert!(parse_instant("2025-03-01T09:30Z").is_some());
        assert!(parse_instant("2025-03-01T09:30:00+0800").is_some());
        assert!(parse_instant("2025-13-01").is_none());
        assert!(parse_instant("2025-03-01x").is_none());
        assert!(parse_instant("20250301").is_none());
        assert!(parse_instant("2025").is_none());
        assert!(parse_instant("2025-03-01T").is_none());
    }

    #[test]
    fn truthiness() {
        for v in [json!(false), json!(null), json!(0), json!(0.0), json!("")] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [
            json!(true),
            json!(1),
            json!(-0.5),
            json!("0"),
            json!([]),
            json!({}),
        ] {
            assert!(truthy(&v), "{v}");
        }
        assert!(!operand_truthy(Operand::Num(f64::NAN)));
    }
}
