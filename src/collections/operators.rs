//! Column operators of the filter (the table of collections.md §9). Each turns `column <op> operand`
//! into SQL with the operand coerced to the field's type and bound.

use chrono::{Days, NaiveDate};
use serde_json::Value;

use super::filter::{invalid, truthy, Frag};
use super::registry::{Field, ScalarType};
use super::sql::{placeholders, SqlValue};
use super::values;
use crate::error::{bad, Code, Result};

/// `col` is the qualified, quoted column (`t0."title"`).
pub fn apply(col: &str, field: &Field, op: &str, v: &Value) -> Result<Frag> {
    let ty = field.scalar_type().unwrap_or(ScalarType::String);
    let operand = |v: &Value| operand(field, ty, v);
    match op {
        "$eq" => eq(col, v, &operand),
        "$ne" => ne(col, v, &operand),
        "$in" => in_list(col, listed(v), &operand),
        "$notIn" => not_in(col, listed(v), &operand),
        "$gt" | "$gte" | "$lt" | "$lte" => {
            let sym = match op {
                "$gt" => ">",
                "$gte" => ">=",
                "$lt" => "<",
                _ => "<=",
            };
            Ok(Frag::new(
                format!("{col} {sym} ?"),
                vec![scalar(op, v, &operand)?],
            ))
        }
        "$between" | "$notBetween" => {
            let [a, b] = pair(op, v)?;
            let frag = Frag::new(
                format!("{col} BETWEEN ? AND ?"),
                vec![scalar(op, a, &operand)?, scalar(op, b, &operand)?],
            );
            Ok(if op == "$between" { frag } else { frag.not() })
        }
        "$like" | "$iLike" => Ok(Frag::new(
            format!("{col} LIKE ?"),
            vec![SqlValue::Text(text(op, v)?)],
        )),
        "$notLike" | "$notILike" => Ok(Frag::new(
            format!("{col} NOT LIKE ?"),
            vec![SqlValue::Text(text(op, v)?)],
        )),
        "$includes" => pattern(col, op, v, Wrap::Both, false),
        "$notIncludes" => pattern(col, op, v, Wrap::Both, true),
        "$startsWith" => pattern(col, op, v, Wrap::Prefix, false),
        "$notStartsWith" => pattern(col, op, v, Wrap::Prefix, true),
        "$endWith" | "$endsWith" => pattern(col, op, v, Wrap::Suffix, false),
        "$notEndWith" | "$notEndsWith" => pattern(col, op, v, Wrap::Suffix, true),
        "$empty" | "$notEmpty" => {
            let textual = matches!(ty, ScalarType::String | ScalarType::Text);
            let sql = match (op == "$empty", textual) {
                (true, true) => format!("{col} IS NULL OR {col} = ''"),
                (false, true) => format!("{col} IS NOT NULL AND {col} <> ''"),
                (true, false) => format!("{col} IS NULL"),
                (false, false) => format!("{col} IS NOT NULL"),
            };
            Ok(Frag::raw(sql))
        }
        "$isTruly" => Ok(Frag::raw(format!("{col} = 1"))),
        "$isFalsy" => Ok(Frag::raw(format!("{col} IS NULL OR {col} = 0"))),
        "$exists" | "$notExists" => {
            let has = truthy(v, op)? == (op == "$exists");
            Ok(Frag::raw(format!(
                "{col} IS {}NULL",
                if has { "NOT " } else { "" }
            )))
        }
        "$dateOn" | "$dateNotOn" | "$dateBefore" | "$dateNotBefore" | "$dateAfter"
        | "$dateNotAfter" => date_op(col, field, ty, op, v),
        "$dateBetween" => {
            let [a, b] = pair(op, v)?;
            let lower = date_op(col, field, ty, "$dateNotBefore", a)?;
            let upper = date_op(col, field, ty, "$dateNotAfter", b)?;
            Ok(Frag::all(vec![lower, upper]).unwrap_or_else(|| Frag::raw("1")))
        }
        other => Err(bad(
            Code::InvalidFilter,
            format!("Unknown filter operator \"{other}\""),
        )),
    }
}

/// An operand as the column compares it; string columns compare any scalar as text (§9 `$eq`).
fn operand(field: &Field, ty: ScalarType, v: &Value) -> Result<SqlValue> {
    let coerced = match ty {
        ScalarType::Integer | ScalarType::BigInt | ScalarType::Float | ScalarType::Double => {
            match v {
                Value::Number(n) => n
                    .as_i64()
                    .map(SqlValue::Integer)
                    .or_else(|| n.as_f64().map(SqlValue::Real)),
                Value::String(_) => values::integer(v)
                    .map(SqlValue::Integer)
                    .or_else(|| values::float(v).map(SqlValue::Real)),
                _ => None,
            }
        }
        ScalarType::Json => serde_json::to_string(v).ok().map(SqlValue::Text),
        _ => values::to_column(ty, v),
    };
    coerced
        .filter(|c| *c != SqlValue::Null)
        .ok_or_else(|| invalid(values::expects(&field.name, ty)))
}

/// A non-null, non-array operand.
fn scalar(op: &str, v: &Value, operand: &dyn Fn(&Value) -> Result<SqlValue>) -> Result<SqlValue> {
    match v {
        Value::Null | Value::Array(_) | Value::Object(_) => {
            Err(invalid(format!("{op} expects a single value")))
        }
        _ => operand(v),
    }
}

fn pair<'v>(op: &str, v: &'v Value) -> Result<[&'v Value; 2]> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok([a, b]),
        _ => Err(invalid(format!("{op} expects an array of two values"))),
    }
}

fn eq(col: &str, v: &Value, operand: &dyn Fn(&Value) -> Result<SqlValue>) -> Result<Frag> {
    match v {
        Value::Null => Ok(Frag::raw(format!("{col} IS NULL"))),
        Value::Array(items) => {
            let has_null = items.iter().any(Value::is_null);
            let list = in_list(col, Some(items.as_slice()), operand)?;
            Ok(if has_null {
                Frag::any(vec![list, Frag::raw(format!("{col} IS NULL"))]).unwrap_or(list_none())
            } else {
                list
            })
        }
        _ => Ok(Frag::new(
            format!("{col} = ?"),
            vec![scalar("$eq", v, operand)?],
        )),
    }
}

fn ne(col: &str, v: &Value, operand: &dyn Fn(&Value) -> Result<SqlValue>) -> Result<Frag> {
    match v {
        Value::Null => Ok(Frag::raw(format!("{col} IS NOT NULL"))),
        Value::Array(items) => not_in(col, Some(items.as_slice()), operand),
        _ => Ok(Frag::new(
            format!("({col} <> ? OR {col} IS NULL)"),
            vec![scalar("$ne", v, operand)?],
        )),
    }
}

/// `$in`'s operand as a list: a scalar is wrapped, `null` is no list.
fn listed(v: &Value) -> Option<&[Value]> {
    match v {
        Value::Null => None,
        Value::Array(items) => Some(items.as_slice()),
        other => Some(std::slice::from_ref(other)),
    }
}

fn list_none() -> Frag {
    Frag::raw("0")
}

fn bound_list(
    items: &[Value],
    operand: &dyn Fn(&Value) -> Result<SqlValue>,
) -> Result<Vec<SqlValue>> {
    items
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| scalar("$in", v, operand))
        .collect()
}

/// `IN (…)`; nulls never match; an empty list matches nothing.
fn in_list(
    col: &str,
    items: Option<&[Value]>,
    operand: &dyn Fn(&Value) -> Result<SqlValue>,
) -> Result<Frag> {
    let values = bound_list(items.unwrap_or(&[]), operand)?;
    if values.is_empty() {
        return Ok(list_none());
    }
    Ok(Frag::new(
        format!("{col} IN ({})", placeholders(values.len())),
        values,
    ))
}

/// `(NOT IN (…) OR IS NULL)`; an empty list keeps every row.
fn not_in(
    col: &str,
    items: Option<&[Value]>,
    operand: &dyn Fn(&Value) -> Result<SqlValue>,
) -> Result<Frag> {
    let values = bound_list(items.unwrap_or(&[]), operand)?;
    if values.is_empty() {
        return Ok(Frag::raw("1"));
    }
    Ok(Frag::new(
        format!(
            "({col} NOT IN ({}) OR {col} IS NULL)",
            placeholders(values.len())
        ),
        values,
    ))
}

/// Characters a LIKE operand may have: escaped and wrapped in `%`, it stays under SQLite's 50,000-byte
/// pattern limit even when every character takes four bytes.
pub const MAX_PATTERN: usize = 10_000;

/// LIKE operands: strings, or numbers and booleans as their text, at most [`MAX_PATTERN`] characters.
fn text(op: &str, v: &Value) -> Result<String> {
    let s = match v {
        Value::Array(_) | Value::Object(_) | Value::Null => {
            return Err(invalid(format!("{op} expects a string")))
        }
        other => values::text_of(other).ok_or_else(|| invalid(format!("{op} expects a string")))?,
    };
    if s.chars().count() > MAX_PATTERN {
        return Err(invalid(format!(
            "{op} takes at most {MAX_PATTERN} characters"
        )));
    }
    Ok(s)
}

#[derive(Clone, Copy)]
enum Wrap {
    Both,
    Prefix,
    Suffix,
}

/// `%`, `_` and the escape character itself are matched literally.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `$includes`-like operators: LIKE with the operand escaped (case-insensitive for ASCII, as SQLite's
/// LIKE is); an array ORs (negations AND); `null` tests for NULL.
fn pattern(col: &str, op: &str, v: &Value, wrap: Wrap, negate: bool) -> Result<Frag> {
    let one = |v: &Value| -> Result<Frag> {
        let esc = escape_like(&text(op, v)?);
        let pat = match wrap {
            Wrap::Both => format!("%{esc}%"),
            Wrap::Prefix => format!("{esc}%"),
            Wrap::Suffix => format!("%{esc}"),
        };
        let not = if negate { "NOT " } else { "" };
        Ok(Frag::new(
            format!("{col} {not}LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(pat)],
        ))
    };
    match v {
        Value::Null => Ok(Frag::raw(format!(
            "{col} IS {}NULL",
            if negate { "NOT " } else { "" }
        ))),
        Value::Array(items) => {
            let parts = items.iter().map(one).collect::<Result<Vec<_>>>()?;
            let joined = if negate {
                Frag::all(parts)
            } else {
                Frag::any(parts)
            };
            Ok(joined.unwrap_or_else(|| Frag::raw(if negate { "1" } else { "0" })))
        }
        other => one(other),
    }
}

/// A `$date*` operand: a whole UTC day, or one instant.
enum When {
    Day { start: String, next: String },
    Instant(String),
}

fn when(field: &Field, ty: ScalarType, op: &str, v: &Value) -> Result<When> {
    let bad_operand = || invalid(format!("{op} expects a date (YYYY-MM-DD) or a datetime"));
    let s = v.as_str().ok_or_else(bad_operand)?;
    let day_text = |d: NaiveDate| -> String {
        match ty {
            ScalarType::Date => d.format("%Y-%m-%d").to_string(),
            _ => format!("{}T00:00:00.000Z", d.format("%Y-%m-%d")),
        }
    };
    let day = |d: NaiveDate| -> Result<When> {
        let next = d.checked_add_days(Days::new(1)).ok_or_else(bad_operand)?;
        Ok(When::Day {
            start: day_text(d),
            next: day_text(next),
        })
    };
    match ty {
        ScalarType::Date | ScalarType::Datetime | ScalarType::String | ScalarType::Text => {}
        _ => {
            return Err(invalid(format!(
                "{op} does not apply to {} field \"{}\"",
                ty.as_str(),
                field.name
            )))
        }
    }
    if let Some(d) = values::parse_day(s) {
        return day(d);
    }
    let instant = values::parse_datetime(s).ok_or_else(bad_operand)?;
    if ty == ScalarType::Date {
        // A date column holds days: an instant stands for its UTC day.
        return values::parse_day(&instant[..10]).map_or_else(|| Err(bad_operand()), day);
    }
    Ok(When::Instant(instant))
}

fn date_op(col: &str, field: &Field, ty: ScalarType, op: &str, v: &Value) -> Result<Frag> {
    let t = |s: String| SqlValue::Text(s);
    Ok(match (when(field, ty, op, v)?, op) {
        (When::Day { start, next }, "$dateOn") => {
            Frag::new(format!("{col} >= ? AND {col} < ?"), vec![t(start), t(next)])
        }
        (When::Day { start, next }, "$dateNotOn") => {
            Frag::new(format!("{col} < ? OR {col} >= ?"), vec![t(start), t(next)])
        }
        (When::Day { start, .. }, "$dateBefore") => Frag::new(format!("{col} < ?"), vec![t(start)]),
        (When::Day { start, .. }, "$dateNotBefore") => {
            Frag::new(format!("{col} >= ?"), vec![t(start)])
        }
        (When::Day { next, .. }, "$dateAfter") => Frag::new(format!("{col} >= ?"), vec![t(next)]),
        (When::Day { next, .. }, _) => Frag::new(format!("{col} < ?"), vec![t(next)]),
        (When::Instant(i), op) => {
            let sym = match op {
                "$dateOn" => "=",
                "$dateNotOn" => "<>",
                "$dateBefore" => "<",
                "$dateNotBefore" => ">=",
                "$dateAfter" => ">",
                _ => "<=",
            };
            Frag::new(format!("{col} {sym} ?"), vec![t(i)])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::registry::Kind;
    use serde_json::json;

    fn field(ty: ScalarType) -> Field {
        Field {
            name: "c".into(),
            kind: Kind::Scalar(ty),
            title: None,
            allow_null: true,
            unique: false,
            index: false,
            default_value: Value::Null,
            system: false,
            fk_target: None,
            attributes: None,
            position: None,
        }
    }

    fn sql(ty: ScalarType, op: &str, v: Value) -> (String, Vec<SqlValue>) {
        let f = apply("c", &field(ty), op, &v).unwrap();
        (f.sql, f.params)
    }

    fn text(s: &str) -> SqlValue {
        SqlValue::Text(s.into())
    }

    #[test]
    fn equality_family() {
        assert_eq!(
            sql(ScalarType::String, "$eq", json!(5)),
            ("c = ?".into(), vec![text("5")])
        );
        assert_eq!(sql(ScalarType::String, "$eq", json!(null)).0, "c IS NULL");
        assert_eq!(
            sql(ScalarType::String, "$eq", json!(["a", "b"])).0,
            "c IN (?, ?)"
        );
        assert_eq!(
            sql(ScalarType::String, "$ne", json!("a")).0,
            "(c <> ? OR c IS NULL)"
        );
        assert_eq!(
            sql(ScalarType::String, "$ne", json!(null)).0,
            "c IS NOT NULL"
        );
        assert_eq!(
            sql(ScalarType::String, "$ne", json!(["a"])).0,
            "(c NOT IN (?) OR c IS NULL)"
        );
        assert_eq!(sql(ScalarType::String, "$in", json!(null)).0, "0");
        assert_eq!(sql(ScalarType::String, "$in", json!("a")).0, "c IN (?)");
        assert_eq!(sql(ScalarType::String, "$notIn", json!([])).0, "1");
        assert_eq!(
            sql(ScalarType::Integer, "$in", json!(["1", 2])).1,
            vec![SqlValue::Integer(1), SqlValue::Integer(2)]
        );
        assert_eq!(
            sql(ScalarType::Integer, "$gt", json!(1.5)).1,
            vec![SqlValue::Real(1.5)]
        );
        assert_eq!(
            sql(ScalarType::Boolean, "$eq", json!("true")).1,
            vec![SqlValue::Integer(1)]
        );
        assert_eq!(
            sql(ScalarType::Integer, "$between", json!([1, "3"])).0,
            "c BETWEEN ? AND ?"
        );
        assert_eq!(
            sql(ScalarType::Integer, "$notBetween", json!([1, 3])).0,
            "NOT (c BETWEEN ? AND ?)"
        );
    }

    #[test]
    fn text_family() {
        assert_eq!(
            sql(ScalarType::String, "$includes", json!("a%_")),
            ("c LIKE ? ESCAPE '\\'".into(), vec![text("%a\\%\\_%")])
        );
        assert_eq!(
            sql(ScalarType::String, "$includes", json!(["a", "b"])).0,
            "(c LIKE ? ESCAPE '\\') OR (c LIKE ? ESCAPE '\\')"
        );
        assert_eq!(
            sql(ScalarType::String, "$notIncludes", json!(["a", "b"])).0,
            "(c NOT LIKE ? ESCAPE '\\') AND (c NOT LIKE ? ESCAPE '\\')"
        );
        assert_eq!(
            sql(ScalarType::String, "$includes", json!(null)).0,
            "c IS NULL"
        );
        assert_eq!(
            sql(ScalarType::String, "$notIncludes", json!(null)).0,
            "c IS NOT NULL"
        );
        assert_eq!(
            sql(ScalarType::String, "$startsWith", json!("a")).1,
            vec![text("a%")]
        );
        assert_eq!(
            sql(ScalarType::String, "$endWith", json!("a")).1,
            vec![text("%a")]
        );
        assert_eq!(
            sql(ScalarType::String, "$like", json!("a%")).1,
            vec![text("a%")]
        );
        assert_eq!(
            sql(ScalarType::String, "$empty", json!(true)).0,
            "c IS NULL OR c = ''"
        );
        assert_eq!(
            sql(ScalarType::Integer, "$notEmpty", json!(true)).0,
            "c IS NOT NULL"
        );
        assert_eq!(
            sql(ScalarType::Boolean, "$isFalsy", json!(true)).0,
            "c IS NULL OR c = 0"
        );
    }

    #[test]
    fn dates() {
        let (s, p) = sql(ScalarType::Datetime, "$dateOn", json!("2025-03-01"));
        assert_eq!(s, "c >= ? AND c < ?");
        assert_eq!(
            p,
            vec![
                text("2025-03-01T00:00:00.000Z"),
                text("2025-03-02T00:00:00.000Z")
            ]
        );
        assert_eq!(
            sql(ScalarType::Datetime, "$dateAfter", json!("2025-03-01")).1,
            vec![text("2025-03-02T00:00:00.000Z")]
        );
        assert_eq!(
            sql(ScalarType::Date, "$dateBefore", json!("2025-03-01")).1,
            vec![text("2025-03-01")]
        );
        assert_eq!(
            sql(
                ScalarType::Datetime,
                "$dateOn",
                json!("2025-03-01T10:00:00+01:00")
            ),
            ("c = ?".into(), vec![text("2025-03-01T09:00:00.000Z")])
        );
        let (s, _) = sql(
            ScalarType::Datetime,
            "$dateBetween",
            json!(["2025-03-01", "2025-03-02"]),
        );
        assert_eq!(s, "(c >= ?) AND (c < ?)");
    }

    #[test]
    fn bad_operands() {
        let f = field(ScalarType::Integer);
        for (op, v) in [
            ("$gt", json!(null)),
            ("$gt", json!([1])),
            ("$eq", json!("x")),
            ("$dateOn", json!("x")),
            ("$like", json!({})),
        ] {
            assert_eq!(
                apply("c", &f, op, &v).unwrap_err().code,
                Code::InvalidFilter,
                "{op} {v}"
            );
        }
    }

    /// A LIKE operand at the limit, every character four bytes, escaped and wrapped, is a pattern SQLite
    /// takes (its limit is 50,000 bytes); one character more is refused before SQL.
    #[test]
    fn patterns_at_the_limit_run_in_sqlite() {
        let at = json!("🙂".repeat(MAX_PATTERN));
        let (sql, params) = sql(ScalarType::String, "$includes", at);
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let SqlValue::Text(pattern) = &params[0] else {
            panic!("{params:?}")
        };
        let query = format!("SELECT {}", sql.replacen('c', "'a🙂'", 1));
        let hit: bool = conn.query_row(&query, [pattern], |r| r.get(0)).unwrap();
        assert!(!hit);
        let over = json!("x".repeat(MAX_PATTERN + 1));
        assert!(apply("c", &field(ScalarType::String), "$includes", &over).is_err());
    }
}
