//! dateCalculation (triggers-and-nodes.md §11): a date (or a number) through a list of steps — add,
//! subtract, diff, get, startOfTime, endOfTime, isLeapYear, format, transDuration, toTimestamp, tsToDate,
//! changeTimezone — each applied to the previous value, as NocoBase does with dayjs.
//!
//! Dates are instants kept as JavaScript does (milliseconds since the epoch as an `f64`, NaN for an
//! invalid date) and computed in UTC with chrono: NocoBase computes in its server's local zone, UTC on
//! the peer, so wall-clock units (day, month, startOf…) agree with a UTC NocoBase.
//!
//! `changeTimezone` keeps the instant: NocoBase re-labels the wall-clock time of the zone as UTC
//! (10:00Z in Asia/Tokyo gives 01:00Z, another instant), which silently shifts every later step;
//! flowgate's dates are instants serialised in UTC, so the same instant is the one correct answer (as
//! NocoBase answers without a zone).

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Timelike, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::{check_one_of, js_number, lenient, Field, Instruction, Step};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};
use crate::workflow::num::parse_number;

pub struct DateCalculation;

const INPUT_TYPES: [&str; 2] = ["date", "number"];

/// The config as stored; `run` reads the rendered config (the whole config is a template).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DateConfig {
    pub input_type: Field<String>,
}

/// The rendered config.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Rendered {
    input: Value,
    #[serde(deserialize_with = "lenient")]
    input_type: String,
    #[serde(deserialize_with = "lenient")]
    steps: Vec<StepConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepConfig {
    #[serde(deserialize_with = "lenient")]
    function: String,
    #[serde(deserialize_with = "lenient")]
    arguments: serde_json::Map<String, Value>,
}

/// A value between steps.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    /// Epoch milliseconds; NaN = an invalid date.
    Date(f64),
    Num(f64),
    Bool(bool),
    Text(String),
}

impl Instruction for DateCalculation {
    type Config = DateConfig;

    fn check(&self, c: &DateConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        check_one_of(&c.input_type, "inputType", &INPUT_TYPES, &mut out);
        out
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        _c: &DateConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let rendered = Rendered::deserialize(p.render(&node.config)).unwrap_or_default();
        match calculate(&rendered, crate::time::now_ms()) {
            Ok(v) => Step::resolved(v),
            Err(e) => Step::error_text(e),
        }
    }
}

/// The result, or the job's error text (`"Invalid input"`, `"TypeError: …"`).
fn calculate(r: &Rendered, now_ms: i64) -> Result<Value, String> {
    let mut value = input(r, now_ms).ok_or("Invalid input")?;
    for step in &r.steps {
        value = apply(&step.function, &step.arguments, value)?;
    }
    Ok(to_json(value))
}

fn input(r: &Rendered, now_ms: i64) -> Option<Val> {
    let number = r.input_type == "number";
    match &r.input {
        // An absent input, or a template that resolved to nothing: now (a date, so not a number).
        Value::Null => (!number).then_some(Val::Date(now_ms as f64)),
        Value::Number(n) if number => Some(Val::Num(n.as_f64()?)),
        v if !number => parse_date(v).map(Val::Date),
        _ => None,
    }
}

fn to_json(v: Val) -> Value {
    match v {
        Val::Date(ms) => DateTime::<Utc>::from_timestamp_millis(ms as i64)
            .filter(|_| ms.is_finite())
            .map_or(Value::Null, |d| {
                Value::String(d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            }),
        Val::Num(n) => js_number(n),
        Val::Bool(b) => Value::Bool(b),
        Val::Text(t) => Value::String(t),
    }
}

// ---------------------------------------------------------------- the functions

type Args = serde_json::Map<String, Value>;

fn apply(function: &str, args: &Args, input: Val) -> Result<Val, String> {
    match function {
        "add" => shift(input, args, 1.0, "add"),
        "subtract" => shift(input, args, -1.0, "subtract"),
        "diff" => diff(date_of(&input, "diff")?, args),
        "get" => get(input, args),
        "startOfTime" => Ok(Val::Date(bound(date_of(&input, "startOf")?, args, false))),
        "endOfTime" => Ok(Val::Date(bound(date_of(&input, "endOf")?, args, true))),
        "isLeapYear" => {
            let year = parts(date_of(&input, "isLeapYear")?).map_or(0, |d| d.year());
            Ok(Val::Bool(NaiveDate::from_ymd_opt(year, 2, 29).is_some()))
        }
        "format" => format_step(date_of(&input, "format")?, args),
        "transDuration" => trans_duration(&input, args),
        "toTimestamp" => to_timestamp(&input, args),
        "tsToDate" => ts_to_date(&input, args),
        "changeTimezone" => change_timezone(input),
        _ => Err("TypeError: calculate is not a function".into()),
    }
}

/// The date a date method is called on; a number has no such method (JavaScript's TypeError).
fn date_of(v: &Val, method: &str) -> Result<f64, String> {
    match v {
        Val::Date(ms) => Ok(*ms),
        _ => Err(format!("TypeError: input.{method} is not a function")),
    }
}

/// JavaScript's `Number(v)`.
fn number(v: Option<&Value>) -> f64 {
    match v {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => parse_number(s),
        Some(_) => f64::NAN,
    }
}

/// JavaScript's `${v}` of an argument (`undefined` when absent).
fn text(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|i| match i {
                Value::Null => String::new(),
                other => text(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".into(),
        Some(other) => other.to_string(),
    }
}

/// dayjs's unit names: short forms (`M`, `d`, `ms`…) and plurals are accepted by add, subtract, diff.
fn unit(v: Option<&Value>) -> String {
    let u = text(v);
    let short = match u.as_str() {
        "M" => "month",
        "y" => "year",
        "w" => "week",
        "d" => "day",
        "D" => "date",
        "h" => "hour",
        "m" => "minute",
        "s" => "second",
        "ms" => "millisecond",
        "Q" => "quarter",
        _ => "",
    };
    if !short.is_empty() {
        return short.into();
    }
    let lower = u.to_lowercase();
    lower.strip_suffix('s').unwrap_or(&lower).to_string()
}

fn parts(ms: f64) -> Option<NaiveDateTime> {
    if !ms.is_finite() {
        return None;
    }
    DateTime::<Utc>::from_timestamp_millis(ms as i64).map(|d| d.naive_utc())
}

fn from_parts(d: NaiveDateTime) -> f64 {
    d.and_utc().timestamp_millis() as f64
}

/// `ms` moved by whole months (clamped to the month's last day, as dayjs's `set` is).
fn add_months(ms: f64, months: f64) -> f64 {
    let Some(d) = parts(ms).filter(|_| months.is_finite()) else {
        return f64::NAN;
    };
    let m = months.trunc();
    let moved = if m >= 0.0 {
        d.checked_add_months(Months::new(m as u32))
    } else {
        d.checked_sub_months(Months::new((-m) as u32))
    };
    moved.map_or(f64::NAN, from_parts)
}

/// add (`sign` 1) and subtract (-1): `number` `unit`s, dayjs's way per unit.
fn shift(input: Val, args: &Args, sign: f64, method: &str) -> Result<Val, String> {
    let ms = date_of(&input, method)?;
    let n = sign * number(args.get("number"));
    let day = 86_400_000.0;
    let moved = match unit(args.get("unit")).as_str() {
        "year" => add_months(ms, n.trunc() * 12.0),
        "quarter" => add_months(ms, n.trunc() * 3.0),
        "month" => add_months(ms, n),
        "week" => ms + js_round(n * 7.0) * day,
        "day" => ms + js_round(n) * day,
        "hour" => ms + n * 3_600_000.0,
        "minute" => ms + n * 60_000.0,
        "second" => ms + n * 1000.0,
        _ => ms + n,
    };
    Ok(Val::Date(moved.trunc()))
}

/// JavaScript's `Math.round` (halves toward +∞).
fn js_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// diff: input − `date` in `unit`s, fractional; then `isAbs` and `round` (-1 floor, 0 round, 1 ceil).
fn diff(ms: f64, args: &Args) -> Result<Val, String> {
    let other = args.get("date").and_then(parse_date).ok_or_else(|| {
        format!(
            "Error: Diff date [{}] is not a valid date",
            text(args.get("date"))
        )
    })?;
    let delta = ms - other;
    let mut d = match unit(args.get("unit")).as_str() {
        "year" => month_diff(ms, other) / 12.0,
        "quarter" => month_diff(ms, other) / 3.0,
        "month" => month_diff(ms, other),
        "week" => delta / 604_800_000.0,
        "day" => delta / 86_400_000.0,
        "hour" => delta / 3_600_000.0,
        "minute" => delta / 60_000.0,
        "second" => delta / 1000.0,
        _ => delta,
    };
    if truthy(args.get("isAbs")) {
        d = d.abs();
    }
    Ok(Val::Num(round_by(d, args.get("round"))))
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// `round`: -1 floor, 0 round, 1 ceil (numbers only, as NocoBase compares with `===`), else none.
fn round_by(x: f64, round: Option<&Value>) -> f64 {
    match round.and_then(Value::as_f64) {
        Some(r) if r == -1.0 => x.floor(),
        Some(r) if r == 0.0 => js_round(x),
        Some(r) if r == 1.0 => x.ceil(),
        _ => x,
    }
}

/// a − b in months with the fraction of the month around b (dayjs's `monthDiff`).
fn month_diff(a: f64, b: f64) -> f64 {
    let (Some(da), Some(db)) = (parts(a), parts(b)) else {
        return f64::NAN;
    };
    if da.day() < db.day() {
        return -month_diff(b, a);
    }
    let whole = f64::from((db.year() - da.year()) * 12 + (db.month() as i32 - da.month() as i32));
    let anchor = add_months(a, whole);
    let before = b - anchor < 0.0;
    let anchor2 = add_months(a, whole + if before { -1.0 } else { 1.0 });
    let span = if before {
        anchor - anchor2
    } else {
        anchor2 - anchor
    };
    let r = -(whole + (b - anchor) / span);
    if r.is_nan() || r == 0.0 {
        0.0
    } else {
        r
    }
}

/// get: one part of the date; `week` is the weekday (0 = Sunday), `month` 1-based; an unknown unit gives
/// the milliseconds. A number input comes back as it is (it has no such method; NocoBase returns it).
fn get(input: Val, args: &Args) -> Result<Val, String> {
    let u = text(args.get("unit"));
    let known = [
        "year",
        "month",
        "quarter",
        "week",
        "day",
        "hour",
        "minute",
        "second",
        "millisecond",
    ];
    let ms = match input {
        Val::Date(ms) => ms,
        other if known.contains(&u.as_str()) => return Ok(other),
        _ => return Err("TypeError: input.millisecond is not a function".into()),
    };
    let Some(d) = parts(ms) else {
        return Ok(Val::Num(f64::NAN));
    };
    let n = match u.as_str() {
        "year" => d.year(),
        "month" => d.month() as i32,
        "quarter" => d.month().div_ceil(3) as i32,
        "week" => d.weekday().num_days_from_sunday() as i32,
        "day" => d.day() as i32,
        "hour" => d.hour() as i32,
        "minute" => d.minute() as i32,
        "second" => d.second() as i32,
        _ => (d.and_utc().timestamp_subsec_millis()) as i32,
    };
    Ok(Val::Num(f64::from(n)))
}

/// startOfTime (`end` false) / endOfTime (true): the first / last millisecond of the `unit` holding
/// `ms`; `week` is the ISO week (from Monday). An unknown unit leaves the date as it is.
fn bound(ms: f64, args: &Args, end: bool) -> f64 {
    let Some(d) = parts(ms) else {
        return f64::NAN;
    };
    let date = d.date();
    let midnight = |day: NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis() as f64)
    };
    let (start, next) = match text(args.get("unit")).as_str() {
        "year" => {
            let first = NaiveDate::from_ymd_opt(date.year(), 1, 1);
            (
                first.and_then(midnight),
                add_months_opt(first, 12).and_then(midnight),
            )
        }
        "quarter" => {
            let month = (date.month() - 1) / 3 * 3 + 1;
            let first = NaiveDate::from_ymd_opt(date.year(), month, 1);
            (
                first.and_then(midnight),
                add_months_opt(first, 3).and_then(midnight),
            )
        }
        "month" => {
            let first = date.with_day(1);
            (
                first.and_then(midnight),
                add_months_opt(first, 1).and_then(midnight),
            )
        }
        "week" => {
            let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
            (midnight(monday), midnight(monday + Duration::days(7)))
        }
        "day" => (midnight(date), midnight(date + Duration::days(1))),
        "hour" => truncate(ms, 3_600_000.0),
        "minute" => truncate(ms, 60_000.0),
        "second" => truncate(ms, 1000.0),
        _ => (Some(ms), Some(ms + 1.0)),
    };
    let chosen = if end { next.map(|n| n - 1.0) } else { start };
    chosen.unwrap_or(f64::NAN)
}

fn add_months_opt(first: Option<NaiveDate>, months: u32) -> Option<NaiveDate> {
    first?.checked_add_months(Months::new(months))
}

/// The start of the `size`-millisecond period holding `ms` and the start of the next (UTC has no
/// offsets, so hours, minutes and seconds are plain divisions).
fn truncate(ms: f64, size: f64) -> (Option<f64>, Option<f64>) {
    let start = (ms / size).floor() * size;
    (Some(start), Some(start + size))
}

fn format_step(ms: f64, args: &Args) -> Result<Val, String> {
    match args.get("format") {
        Some(Value::String(f)) => Ok(Val::Text(format(ms, f))),
        other => Err(format!("TypeError: [{}] is not a string", text(other))),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// dayjs's `format` with the plugins NocoBase loads (checked on the peer): a first pass for the
/// advancedFormat, weekOfYear and isoWeek tokens (`Q Do k kk X x w ww wo W WW gggg GGGG z zzz`), then the
/// base tokens (`YYYY YY M MM MMM MMMM D DD d dd ddd dddd H HH h hh a A m mm s ss SSS Z ZZ`); `[text]` is
/// text, and any other letter stays as it is (`YYY` is `YY` then `Y`).
fn format(ms: f64, f: &str) -> String {
    let Some(d) = parts(ms) else {
        return "Invalid Date".into();
    };
    let first = replace_tokens(f, true, |rest| advanced_token(&d, rest));
    replace_tokens(&first, false, |rest| base_token(&d, rest))
}

/// Replaces the tokens `at` finds (its length in chars and its text) outside `[…]`; a bracketed text is
/// kept with its brackets (`keep`, for the next pass) or without.
fn replace_tokens(f: &str, keep: bool, at: impl Fn(&[char]) -> Option<(usize, String)>) -> String {
    let chars: Vec<char> = f.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            if let Some(close) = chars[i + 1..]
                .iter()
                .position(|&x| x == ']')
                .filter(|c| *c > 0)
            {
                let inner = &chars[i + 1..i + 1 + close];
                if keep {
                    out.push('[');
                    out.extend(inner);
                    out.push(']');
                } else {
                    out.extend(inner);
                }
                i += close + 2;
                continue;
            }
        }
        match at(&chars[i..]) {
            Some((len, text)) => {
                out.push_str(&text);
                i += len;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

fn starts(rest: &[char], token: &str) -> bool {
    let t: Vec<char> = token.chars().collect();
    rest.starts_with(&t)
}

/// The first pass's token at the start of `rest`, in the order of the plugin's alternatives.
fn advanced_token(d: &NaiveDateTime, rest: &[char]) -> Option<(usize, String)> {
    let iso = d.iso_week();
    let week = week_of_year(d);
    let hour24 = if d.hour() == 0 { 24 } else { d.hour() };
    let candidates: [(&str, String); 15] = [
        ("Q", d.month().div_ceil(3).to_string()),
        ("wo", format!("[{}]", ordinal(week))),
        ("ww", format!("{week:02}")),
        ("w", week.to_string()),
        ("WW", format!("{:02}", iso.week())),
        ("W", iso.week().to_string()),
        ("zzz", "[Coordinated Universal Time]".into()),
        ("z", "[UTC]".into()),
        ("gggg", week_year(d, week).to_string()),
        ("GGGG", iso.year().to_string()),
        ("Do", format!("[{}]", ordinal(d.day()))),
        ("X", d.and_utc().timestamp().to_string()),
        ("x", d.and_utc().timestamp_millis().to_string()),
        ("kk", format!("{hour24:02}")),
        ("k", hour24.to_string()),
    ];
    candidates
        .into_iter()
        .find(|(t, _)| starts(rest, t))
        .map(|(t, text)| (t.chars().count(), text))
}

/// The second pass's token at the start of `rest`: the longest run dayjs knows of that letter.
fn base_token(d: &NaiveDateTime, rest: &[char]) -> Option<(usize, String)> {
    let c = *rest.first()?;
    let lengths: &[usize] = match c {
        'Y' => &[4, 2],
        'M' | 'd' => &[4, 3, 2, 1],
        'D' | 'H' | 'h' | 'm' | 's' | 'Z' => &[2, 1],
        'a' | 'A' => &[1],
        'S' => &[3],
        _ => &[],
    };
    let run = rest.iter().take_while(|&&x| x == c).count();
    let n = *lengths.iter().find(|&&n| n <= run)?;
    Some((n, token(d, c, n)))
}

/// English ordinals, as dayjs's `en` locale writes them.
fn ordinal(n: u32) -> String {
    let v = n % 100;
    let suffix = match (v, v % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// dayjs's `week()` in the `en` locale: weeks start on Sunday and week 1 holds January 1st.
fn week_of_year(d: &NaiveDateTime) -> u32 {
    let date = d.date();
    let sunday_before =
        |day: NaiveDate| day - Duration::days(i64::from(day.weekday().num_days_from_sunday()));
    if date.month() == 12 && date.day() > 25 {
        let next_year = NaiveDate::from_ymd_opt(date.year() + 1, 1, 1);
        if next_year.is_some_and(|n| sunday_before(n) <= date) {
            return 1;
        }
    }
    let Some(jan1) = NaiveDate::from_ymd_opt(date.year(), 1, 1) else {
        return 0;
    };
    let first_sunday = sunday_before(jan1);
    ((date - first_sunday).num_days() / 7 + 1) as u32
}

/// dayjs's `weekYear()`: the year the `week()` belongs to.
fn week_year(d: &NaiveDateTime, week: u32) -> i32 {
    match (week, d.month()) {
        (1, 12) => d.year() + 1,
        (w, 1) if w >= 52 => d.year() - 1,
        _ => d.year(),
    }
}

fn token(d: &NaiveDateTime, c: char, n: usize) -> String {
    let h12 = match d.hour() % 12 {
        0 => 12,
        h => h,
    };
    let weekday = d.weekday().num_days_from_sunday() as usize;
    let month = d.month0() as usize;
    match (c, n) {
        ('Y', 2) => format!("{:02}", d.year().rem_euclid(100)),
        ('Y', 4) => format!("{:04}", d.year()),
        ('M', 1) => (month + 1).to_string(),
        ('M', 2) => format!("{:02}", month + 1),
        ('M', 3) => MONTHS[month][..3].to_string(),
        ('M', 4) => MONTHS[month].to_string(),
        ('D', 1) => d.day().to_string(),
        ('D', 2) => format!("{:02}", d.day()),
        ('d', 1) => weekday.to_string(),
        ('d', 2) => WEEKDAYS[weekday][..2].to_string(),
        ('d', 3) => WEEKDAYS[weekday][..3].to_string(),
        ('d', 4) => WEEKDAYS[weekday].to_string(),
        ('H', 1) => d.hour().to_string(),
        ('H', 2) => format!("{:02}", d.hour()),
        ('h', 1) => h12.to_string(),
        ('h', 2) => format!("{h12:02}"),
        ('a', _) => (if d.hour() < 12 { "am" } else { "pm" }).into(),
        ('A', _) => (if d.hour() < 12 { "AM" } else { "PM" }).into(),
        ('m', 1) => d.minute().to_string(),
        ('m', 2) => format!("{:02}", d.minute()),
        ('s', 1) => d.second().to_string(),
        ('s', 2) => format!("{:02}", d.second()),
        ('S', _) => format!("{:03}", d.and_utc().timestamp_subsec_millis()),
        ('Z', 1) => "+00:00".into(),
        _ => "+0000".into(),
    }
}

/// Milliseconds per unit of dayjs's durations (a year is 365 days, a month a twelfth of it).
fn duration_unit(u: &str) -> Option<f64> {
    let day = 86_400_000.0;
    Some(match u {
        "year" => 365.0 * day,
        "month" => 365.0 * day / 12.0,
        "week" => 7.0 * day,
        "day" => day,
        "hour" => 3_600_000.0,
        "minute" => 60_000.0,
        "second" => 1000.0,
        "millisecond" => 1.0,
        _ => return None,
    })
}

/// A value as a number (a date's epoch milliseconds, as JavaScript's valueOf).
fn numeric(v: &Val) -> f64 {
    match v {
        Val::Date(ms) | Val::Num(ms) => *ms,
        Val::Bool(b) => f64::from(u8::from(*b)),
        Val::Text(t) => parse_number(t),
    }
}

fn trans_duration(input: &Val, args: &Args) -> Result<Val, String> {
    let not_unit = |v: Option<&Value>| format!("TypeError: [{}] is not a unit string", text(v));
    let before = duration_unit(&text(args.get("unitBefore")))
        .ok_or_else(|| not_unit(args.get("unitBefore")))?;
    let after = duration_unit(&text(args.get("unitAfter")))
        .ok_or_else(|| not_unit(args.get("unitAfter")))?;
    let converted = numeric(input) * before / after;
    Ok(Val::Num(round_by(converted, args.get("round"))))
}

/// `unit`, `second` when absent; anything but second or millisecond is refused.
fn second_or_ms(args: &Args) -> Result<bool, String> {
    match args.get("unit") {
        None => Ok(true),
        Some(Value::String(u)) if u == "second" => Ok(true),
        Some(Value::String(u)) if u == "millisecond" => Ok(false),
        other => Err(format!(
            "TypeError: [{}] is not valid, only accept second or millisecond",
            text(other)
        )),
    }
}

fn to_timestamp(input: &Val, args: &Args) -> Result<Val, String> {
    let seconds = second_or_ms(args)?;
    let method = if seconds { "unix" } else { "valueOf" };
    let ms = match input {
        Val::Date(ms) => *ms,
        _ if !seconds => numeric(input),
        _ => {
            return Err(format!(
                "TypeError: input[method] is not a function ({method})"
            ))
        }
    };
    Ok(Val::Num(if seconds { (ms / 1000.0).floor() } else { ms }))
}

fn ts_to_date(input: &Val, args: &Args) -> Result<Val, String> {
    let seconds = second_or_ms(args)?;
    let n = numeric(input);
    let ms = if seconds { n * 1000.0 } else { n };
    Ok(Val::Date(ms.trunc()))
}

/// The same instant (see the module's comment), whatever the zone.
fn change_timezone(input: Val) -> Result<Val, String> {
    date_of(&input, "tz")?;
    Ok(input)
}

// ---------------------------------------------------------------- reading dates

/// Epoch milliseconds of what a JavaScript `Date` (and dayjs) accepts as a date: a number of
/// milliseconds, or a text: ISO 8601 with or without a zone (none = UTC, flowgate's local time; a date
/// alone is midnight UTC), dayjs's `YYYY[-/]MM[-/]DD HH:mm:ss.SSS` forms, or RFC 2822.
fn parse_date(v: &Value) -> Option<f64> {
    const MAX: f64 = 8.64e15;
    let ms = match v {
        Value::Number(n) => n.as_f64()?.trunc(),
        Value::String(s) => parse_date_text(s.trim())?,
        _ => return None,
    };
    (ms.is_finite() && ms.abs() <= MAX).then_some(ms)
}

fn parse_date_text(s: &str) -> Option<f64> {
    if let Some(ms) = parse_local(s) {
        return Some(ms);
    }
    let zoned = s.replacen(' ', "T", 1);
    let zoned = match zoned.strip_suffix(['Z', 'z']) {
        Some(rest) => format!("{rest}+00:00"),
        None => zoned,
    };
    let with_seconds = add_seconds(&zoned);
    if let Ok(d) = DateTime::parse_from_rfc3339(&with_seconds) {
        return Some(d.timestamp_millis() as f64);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.timestamp_millis() as f64);
    }
    // `March 1, 2025`, which JavaScript's Date reads as local (UTC) midnight.
    NaiveDate::parse_from_str(s, "%B %d, %Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%b %d, %Y"))
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(from_parts)
}

/// `2025-03-01T10:00+09:00` → `2025-03-01T10:00:00+09:00` (RFC 3339 wants seconds; JavaScript does not).
fn add_seconds(s: &str) -> String {
    let Some(t) = s.find('T') else {
        return s.to_string();
    };
    let time = &s[t + 1..];
    let zone_at = time.find(['+', '-']).unwrap_or(time.len());
    if time[..zone_at].matches(':').count() == 1 {
        format!("{}:00{}", &s[..t + 1 + zone_at], &time[zone_at..])
    } else {
        s.to_string()
    }
}

/// dayjs's own parse of a text without a zone, as wall-clock time in UTC: `YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, then optionally `[T ]HH[:mm[:ss[.SSS]]]` (`/` may separate the date too).
fn parse_local(s: &str) -> Option<f64> {
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], s[i + 1..].trim_start()),
        None => (s, ""),
    };
    let d: Vec<&str> = date.split(['-', '/']).collect();
    let digits = |x: &str, max: usize| {
        !x.is_empty() && x.len() <= max && x.bytes().all(|b| b.is_ascii_digit())
    };
    if d.len() > 3 || d[0].len() != 4 || !digits(d[0], 4) || !d[1..].iter().all(|x| digits(x, 2)) {
        return None;
    }
    let (clock, fraction) = match time.split_once('.') {
        Some((c, f)) => (c, f),
        None => (time, ""),
    };
    let t: Vec<&str> = if clock.is_empty() {
        Vec::new()
    } else {
        clock.split(':').collect()
    };
    if t.len() > 3
        || !t.iter().all(|x| digits(x, 2))
        || !(fraction.is_empty() || digits(fraction, 9))
    {
        return None;
    }
    if !fraction.is_empty() && t.len() < 3 {
        return None;
    }
    let num = |v: Option<&&str>, default: u32| v.map_or(Some(default), |x| x.parse().ok());
    let year: i32 = d[0].parse().ok()?;
    let day = NaiveDate::from_ymd_opt(year, num(d.get(1), 1)?, num(d.get(2), 1)?)?;
    // dayjs reads up to three digits as a number of milliseconds: `.5` is 5 ms, not 500.
    let millis: u32 = if fraction.is_empty() {
        0
    } else {
        fraction.chars().take(3).collect::<String>().parse().ok()?
    };
    let at = day.and_hms_milli_opt(
        num(t.first(), 0)?,
        num(t.get(1), 0)?,
        num(t.get(2), 0)?,
        millis,
    )?;
    Some(from_parts(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = "2025-03-01T10:00:00.000Z";

    fn run(input: Value, steps: Value) -> Result<Value, String> {
        let r: Rendered =
            serde_json::from_value(json!({ "input": input, "steps": steps })).expect("config");
        calculate(&r, 0)
    }

    fn one(function: &str, arguments: Value) -> Result<Value, String> {
        run(
            json!(BASE),
            json!([{ "function": function, "arguments": arguments }]),
        )
    }

    fn num(input: f64, function: &str, arguments: Value) -> Result<Value, String> {
        let r: Rendered = serde_json::from_value(json!({
            "input": input, "inputType": "number",
            "steps": [{ "function": function, "arguments": arguments }]
        }))
        .expect("config");
        calculate(&r, 0)
    }

    #[test]
    fn add_subtract_and_month_ends() {
        assert_eq!(
            one("add", json!({"number": 1, "unit": "day"})),
            Ok(json!("2025-03-02T10:00:00.000Z"))
        );
        assert_eq!(
            one("subtract", json!({"number": "2", "unit": "hour"})),
            Ok(json!("2025-03-01T08:00:00.000Z"))
        );
        assert_eq!(
            run(
                json!("2025-01-31"),
                json!([{ "function": "add", "arguments": {"number": 1, "unit": "month"} }])
            ),
            Ok(json!("2025-02-28T00:00:00.000Z"))
        );
        assert_eq!(
            one("add", json!({"number": 1, "unit": "quarter"})),
            Ok(json!("2025-06-01T10:00:00.000Z"))
        );
        assert_eq!(
            one("add", json!({"number": 1, "unit": "week"})),
            Ok(json!("2025-03-08T10:00:00.000Z"))
        );
        assert_eq!(run(json!(1740823200000_i64), json!([])), Ok(json!(BASE)));
    }

    #[test]
    fn diff_in_units_with_rounding() {
        let later = |args: Value| {
            run(
                json!("2025-03-04T22:00:00.000Z"),
                json!([{ "function": "diff", "arguments": args }]),
            )
        };
        assert_eq!(later(json!({"date": BASE, "unit": "day"})), Ok(json!(3.5)));
        assert_eq!(
            later(json!({"date": BASE, "unit": "day", "round": -1})),
            Ok(json!(3))
        );
        assert_eq!(later(json!({"date": BASE, "unit": "hour"})), Ok(json!(84)));
        assert_eq!(
            one(
                "diff",
                json!({"date": "2025-03-04T22:00:00.000Z", "unit": "day", "isAbs": true, "round": 1})
            ),
            Ok(json!(4))
        );
        assert_eq!(
            // dayjs: the fraction is taken of the month before the anchor (15 of December's 31 days).
            run(
                json!("2025-03-16"),
                json!([{ "function": "diff", "arguments": {"date": "2025-01-01", "unit": "month"} }])
            ),
            Ok(json!(2.0 + 15.0 / 31.0))
        );
        assert_eq!(
            one("diff", json!({"date": "soon", "unit": "day"})),
            Err("Error: Diff date [soon] is not a valid date".into())
        );
    }

    #[test]
    fn get_bounds_leap_year_and_format() {
        let get = |u: &str| one("get", json!({ "unit": u }));
        assert_eq!(
            ["year", "month", "day", "hour", "quarter", "week", "nope"].map(get),
            [2025, 3, 1, 10, 1, 6, 0].map(|n| Ok(json!(n)))
        );
        assert_eq!(
            one("startOfTime", json!({"unit": "month"})),
            Ok(json!("2025-03-01T00:00:00.000Z"))
        );
        assert_eq!(
            one("endOfTime", json!({"unit": "month"})),
            Ok(json!("2025-03-31T23:59:59.999Z"))
        );
        assert_eq!(
            one("startOfTime", json!({"unit": "week"})),
            Ok(json!("2025-02-24T00:00:00.000Z"))
        );
        assert_eq!(
            one("endOfTime", json!({"unit": "year"})),
            Ok(json!("2025-12-31T23:59:59.999Z"))
        );
        assert_eq!(one("startOfTime", json!({"unit": "hour"})), Ok(json!(BASE)));
        assert_eq!(
            run(json!("2024-05-05"), json!([{ "function": "isLeapYear" }])),
            Ok(json!(true))
        );
        assert_eq!(one("isLeapYear", json!({})), Ok(json!(false)));
        assert_eq!(
            one("format", json!({"format": "YYYY-MM-DD HH:mm"})),
            Ok(json!("2025-03-01 10:00"))
        );
        assert_eq!(
            one(
                "format",
                json!({"format": "dddd D MMM YY h:mm A [at] SSS Z"})
            ),
            Ok(json!("Saturday 1 Mar 25 10:00 AM at 000 +00:00"))
        );
        assert_eq!(
            one("format", json!({"format": 5})),
            Err("TypeError: [5] is not a string".into())
        );
        // What the peer answers (NocoBase 2.2.15, dayjs with advancedFormat, weekOfYear, isoWeek).
        let peer = |input: &str, f: &str| {
            run(
                json!(input),
                json!([{ "function": "format", "arguments": { "format": f } }]),
            )
        };
        assert_eq!(
            peer(
                "2025-03-02T00:05:09.045Z",
                "YYYYY|MMMMM|DDD|ddddd|HHH|hhh|k|kk|X|x|w|ww|wo|gggg|GGGG|z|Z|ZZ|ZZZ|SSSS|a|A|Do|Qo|E|e|W"
            ),
            Ok(json!("2025Y|March3|022|Sunday0|000|1212|24|24|1740873909|1740873909045|10|10|10th|2025|2025|UTC|+00:00|+0000|+0000+00:00|045S|am|AM|2nd|1o|E|e|9"))
        );
        assert_eq!(
            peer(BASE, "Y YYY Q Do [x] SS A"),
            Ok(json!("Y 25Y 1 1st x SS AM"))
        );
        assert_eq!(
            peer("2025-03-01T10:00:00.000Z", "[YYYY] M/D h:mm:ss a"),
            Ok(json!("YYYY 3/1 10:00:00 am"))
        );
    }

    #[test]
    fn timestamps_and_durations() {
        assert_eq!(one("toTimestamp", json!({})), Ok(json!(1740823200)));
        assert_eq!(
            one("toTimestamp", json!({"unit": "millisecond"})),
            Ok(json!(1740823200000_i64))
        );
        assert_eq!(
            one("toTimestamp", json!({"unit": "hour"})),
            Err("TypeError: [hour] is not valid, only accept second or millisecond".into())
        );
        assert_eq!(num(1740823200.0, "tsToDate", json!({})), Ok(json!(BASE)));
        assert_eq!(
            num(1740823200000.0, "tsToDate", json!({"unit": "millisecond"})),
            Ok(json!(BASE))
        );
        assert_eq!(
            num(
                90.0,
                "transDuration",
                json!({"unitBefore": "minute", "unitAfter": "hour"})
            ),
            Ok(json!(1.5))
        );
        assert_eq!(
            num(
                90.0,
                "transDuration",
                json!({"unitBefore": "minute", "unitAfter": "hour", "round": -1})
            ),
            Ok(json!(1))
        );
        assert_eq!(
            num(
                90.0,
                "transDuration",
                json!({"unitBefore": "eon", "unitAfter": "hour"})
            ),
            Err("TypeError: [eon] is not a unit string".into())
        );
        assert_eq!(
            one("changeTimezone", json!({"timezone": "Asia/Tokyo"})),
            Ok(json!(BASE))
        );
        assert_eq!(one("changeTimezone", json!({})), Ok(json!(BASE)));
        assert_eq!(
            num(5.0, "changeTimezone", json!({})),
            Err("TypeError: input.tz is not a function".into())
        );
    }

    #[test]
    fn inputs_and_unknown_functions() {
        assert_eq!(
            run(json!("2025-03-01"), json!([])),
            Ok(json!("2025-03-01T00:00:00.000Z"))
        );
        assert_eq!(
            run(json!("2025-03-01T19:00+09:00"), json!([])),
            Ok(json!(BASE))
        );
        assert_eq!(
            run(json!("2025-03-01 10:00:00"), json!([])),
            Ok(json!(BASE))
        );
        assert_eq!(
            run(json!(null), json!([])),
            Ok(json!("1970-01-01T00:00:00.000Z"))
        );
        assert_eq!(
            run(json!("not a date"), json!([])),
            Err("Invalid input".into())
        );
        let r: Rendered =
            serde_json::from_value(json!({"input": "90", "inputType": "number"})).expect("config");
        assert_eq!(calculate(&r, 0), Err("Invalid input".into()));
        assert_eq!(
            one("fly", json!({})),
            Err("TypeError: calculate is not a function".into())
        );
    }

    /// Inputs and steps run on the peer (NocoBase 2.2.15, `flow_nodes:test`) with its answers.
    #[test]
    fn the_peers_answers() {
        let cases = [
            (
                json!("2024-12-29T12:00:00Z"),
                json!([{"function": "format", "arguments": {"format": "w ww gggg W GGGG"}}]),
                json!("1 01 2025 52 2024"),
                1,
            ),
            (
                json!("2025-12-31T12:00:00Z"),
                json!([{"function": "format", "arguments": {"format": "w gggg W GGGG"}}]),
                json!("1 2026 1 2026"),
                1,
            ),
            (
                json!("2027-01-01T12:00:00Z"),
                json!([{"function": "format", "arguments": {"format": "w gggg W GGGG"}}]),
                json!("1 2027 53 2026"),
                1,
            ),
            (
                json!("2021-01-02T12:00:00Z"),
                json!([{"function": "format", "arguments": {"format": "w gggg W GGGG"}}]),
                json!("1 2021 53 2020"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "startOfTime", "arguments": {"unit": "quarter"}}]),
                json!("2025-01-01T00:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "endOfTime", "arguments": {"unit": "week"}}]),
                json!("2025-03-02T23:59:59.999Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "endOfTime", "arguments": {"unit": "nope"}}]),
                json!("2025-03-01T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "get", "arguments": {"unit": "minute"}}]),
                json!(0),
                1,
            ),
            (
                json!("2025-03-01T10:00:00.123Z"),
                json!([{"function": "get", "arguments": {"unit": "days"}}]),
                json!(123),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "diff", "arguments": {"date": "2023-09-15T00:00:00Z", "unit": "year"}}]),
                json!(1.4595734126984128),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "diff", "arguments": {"date": "2025-03-01T09:00:00Z", "unit": "quarter"}}]),
                json!(0.000496031746031746),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "diff", "arguments": {"date": "2025-02-01", "unit": "weeks"}}]),
                json!(4.059523809523809),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "diff", "arguments": {"date": 1740823200000_i64, "unit": "minute", "round": 0}}]),
                json!(0),
                1,
            ),
            (
                json!("2024-02-29T10:00:00Z"),
                json!([{"function": "add", "arguments": {"number": 1, "unit": "year"}}]),
                json!("2025-02-28T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "add", "arguments": {"number": 1.7, "unit": "month"}}]),
                json!("2025-04-01T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "add", "arguments": {"number": 1, "unit": "M"}}]),
                json!("2025-04-01T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "add", "arguments": {"number": 90, "unit": "nope"}}]),
                json!("2025-03-01T10:00:00.090Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "subtract", "arguments": {"number": 0.5, "unit": "hour"}}]),
                json!("2025-03-01T09:30:00.000Z"),
                1,
            ),
            (
                json!("2025/03/01 10:00"),
                json!([]),
                json!("2025-03-01T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01 10:00:05.5"),
                json!([]),
                json!("2025-03-01T10:00:05.005Z"),
                1,
            ),
            (
                json!("Sat, 01 Mar 2025 10:00:00 GMT"),
                json!([]),
                json!("2025-03-01T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00+02:00"),
                json!([]),
                json!("2025-03-01T08:00:00.000Z"),
                1,
            ),
            (
                json!("2025-3-1"),
                json!([]),
                json!("2025-03-01T00:00:00.000Z"),
                1,
            ),
            (
                json!("2025"),
                json!([]),
                json!("2025-01-01T00:00:00.000Z"),
                1,
            ),
            (
                json!("March 1, 2025"),
                json!([]),
                json!("2025-03-01T00:00:00.000Z"),
                1,
            ),
            (
                json!(1740823200000.7),
                json!([]),
                json!("2025-03-01T10:00:00.000Z"),
                1,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "toTimestamp", "arguments": {"unit": null}}]),
                json!("TypeError: [null] is not valid, only accept second or millisecond"),
                -2,
            ),
            (
                json!("2025-03-01T10:00:00Z"),
                json!([{"function": "isLeapYear", "arguments": {}}]),
                json!(false),
                1,
            ),
        ];
        for (input, steps, expected, status) in cases {
            let got = run(input.clone(), steps.clone());
            let want = if status == 1 {
                Ok(expected)
            } else {
                Err(expected.as_str().unwrap_or("").to_string())
            };
            assert_eq!(got, want, "{input} {steps}");
        }
    }
}
