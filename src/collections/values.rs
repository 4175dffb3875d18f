//! Scalar values between JSON and SQLite (collections.md §3): what each field type accepts, how it is
//! stored, and how a stored value reads back.
//!
//! Storage: integers and booleans as INTEGER, floats as REAL, `date` as `YYYY-MM-DD`, `datetime` as
//! `YYYY-MM-DDTHH:MM:SS.sssZ` (fixed width, so text order is time order), `json` as its text.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use serde_json::{Number, Value};

use super::registry::ScalarType;
use super::sql::SqlValue;

/// `Field "<f>" expects <type>`: the message of every rejected value.
pub fn expects(field: &str, ty: ScalarType) -> String {
    format!("Field \"{field}\" expects {}", ty.as_str())
}

/// A request value as its column stores it; `None` when the type does not accept it. JSON `null` is SQL
/// NULL for every type (whether null is allowed is the caller's rule).
pub fn to_column(ty: ScalarType, v: &Value) -> Option<SqlValue> {
    if v.is_null() {
        return Some(SqlValue::Null);
    }
    match ty {
        ScalarType::String | ScalarType::Text => text_of(v).map(SqlValue::Text),
        ScalarType::Integer => integer(v)
            .filter(|i| i32::try_from(*i).is_ok())
            .map(SqlValue::Integer),
        ScalarType::BigInt => integer(v).map(SqlValue::Integer),
        ScalarType::Float | ScalarType::Double => float(v).map(SqlValue::Real),
        ScalarType::Boolean => boolean(v).map(|b| SqlValue::Integer(b as i64)),
        ScalarType::Date => v
            .as_str()
            .and_then(parse_day)
            .map(|d| SqlValue::Text(d.format("%Y-%m-%d").to_string())),
        ScalarType::Datetime => v.as_str().and_then(parse_datetime).map(SqlValue::Text),
        ScalarType::Json => serde_json::to_string(v).ok().map(SqlValue::Text),
    }
}

/// Strings as they are; numbers and booleans as their text.
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer, an integral float (`12.0`) or a digit string with an optional sign.
pub fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A finite number or numeric string.
pub fn float(v: &Value) -> Option<f64> {
    let f = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    f.is_finite().then_some(f)
}

/// `true/false`, `1/0`, `"true"/"false"`, `"1"/"0"`.
pub fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Exactly `YYYY-MM-DD` and a real calendar day.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// RFC 3339 (converted to UTC) or a day (midnight UTC), as the stored `…sssZ` text. Years past 9999
/// are refused: their text would no longer sort as time.
pub fn parse_datetime(s: &str) -> Option<String> {
    let s = s.trim();
    let utc = match parse_day(s) {
        Some(d) => d.and_hms_opt(0, 0, 0)?.and_utc(),
        None => DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc),
    };
    iso(utc)
}

pub fn iso(t: DateTime<Utc>) -> Option<String> {
    use chrono::Datelike;
    (0..=9999)
        .contains(&t.year())
        .then(|| t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// A stored value as the API shows it.
pub fn to_json(ty: ScalarType, v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => match ty {
            ScalarType::Boolean => Value::Bool(i != 0),
            ScalarType::Float | ScalarType::Double => Number::from_f64(i as f64)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            ScalarType::String | ScalarType::Text | ScalarType::Date | ScalarType::Datetime => {
                Value::String(i.to_string())
            }
            _ => Value::from(i),
        },
        ValueRef::Real(f) => match ty {
            ScalarType::Boolean => Value::Bool(f != 0.0),
            _ => Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
        },
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t);
            match ty {
                ScalarType::Json => {
                    serde_json::from_str(&s).unwrap_or_else(|_| Value::String(s.into_owned()))
                }
                _ => Value::String(s.into_owned()),
            }
        }
        ValueRef::Blob(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
    }
}

/// A bound value back as JSON (normalised default values).
pub fn sql_to_json(ty: ScalarType, v: &SqlValue) -> Value {
    to_json(ty, ValueRef::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn col(ty: ScalarType, v: Value) -> Option<SqlValue> {
        to_column(ty, &v)
    }

    #[test]
    fn coercion_table() {
        assert_eq!(
            col(ScalarType::String, json!(5)),
            Some(SqlValue::Text("5".into()))
        );
        assert_eq!(
            col(ScalarType::String, json!(true)),
            Some(SqlValue::Text("true".into()))
        );
        assert_eq!(col(ScalarType::String, json!([1])), None);
        assert_eq!(
            col(ScalarType::Integer, json!("12")),
            Some(SqlValue::Integer(12))
        );
        assert_eq!(
            col(ScalarType::Integer, json!(" -3 ")),
            Some(SqlValue::Integer(-3))
        );
        assert_eq!(col(ScalarType::Integer, json!(1.5)), None);
        assert_eq!(
            col(ScalarType::Integer, json!(12.0)),
            Some(SqlValue::Integer(12))
        );
        assert_eq!(col(ScalarType::Integer, json!(2147483648i64)), None);
        assert_eq!(
            col(ScalarType::BigInt, json!(2147483648i64)),
            Some(SqlValue::Integer(2147483648))
        );
        assert_eq!(col(ScalarType::BigInt, json!("x")), None);
        assert_eq!(
            col(ScalarType::Float, json!("1.5")),
            Some(SqlValue::Real(1.5))
        );
        assert_eq!(col(ScalarType::Float, json!("NaN")), None);
        assert_eq!(
            col(ScalarType::Boolean, json!("true")),
            Some(SqlValue::Integer(1))
        );
        assert_eq!(
            col(ScalarType::Boolean, json!(0)),
            Some(SqlValue::Integer(0))
        );
        assert_eq!(col(ScalarType::Boolean, json!("yes")), None);
        assert_eq!(
            col(ScalarType::Date, json!("2025-03-01")),
            Some(SqlValue::Text("2025-03-01".into()))
        );
        assert_eq!(col(ScalarType::Date, json!("2025-02-30")), None);
        assert_eq!(col(ScalarType::Date, json!("2025-3-1")), None);
        assert_eq!(
            col(ScalarType::Datetime, json!("2025-03-01T10:30:00+02:00")),
            Some(SqlValue::Text("2025-03-01T08:30:00.000Z".into()))
        );
        assert_eq!(
            col(ScalarType::Datetime, json!("2025-03-01")),
            Some(SqlValue::Text("2025-03-01T00:00:00.000Z".into()))
        );
        assert_eq!(col(ScalarType::Datetime, json!("yesterday")), None);
        assert_eq!(
            col(ScalarType::Json, json!({"a":[1]})),
            Some(SqlValue::Text("{\"a\":[1]}".into()))
        );
        assert_eq!(col(ScalarType::Integer, Value::Null), Some(SqlValue::Null));
    }

    #[test]
    fn output() {
        assert_eq!(
            to_json(ScalarType::Boolean, ValueRef::Integer(1)),
            json!(true)
        );
        assert_eq!(
            to_json(ScalarType::Json, ValueRef::Text(b"{\"a\":1}")),
            json!({"a":1})
        );
        assert_eq!(to_json(ScalarType::Integer, ValueRef::Integer(7)), json!(7));
        assert_eq!(to_json(ScalarType::Float, ValueRef::Real(1.5)), json!(1.5));
    }
}
