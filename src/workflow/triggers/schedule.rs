//! The `schedule` trigger (triggers-and-nodes.md §3): time events, always async (§1.2).
//!
//! This file holds the trigger's rules, all pure: the config typed and validated ([`Schedule::parse`],
//! [`validate`]), the next fire time of a static schedule ([`next_static`]) and of one record of a
//! date-field schedule ([`next_for_record`]), and the check a fire makes against the stored state at
//! fire time ([`fires_at`]). Times are epoch milliseconds in UTC, whole seconds (ms dropped, §3.1).
//! `workflow::scheduler` keeps the plan and fires; the data events of a record save re-plan that
//! record ([`LISTENER`]).
//!
//! Decisions where NocoBase is loose (§13): `mode`, `startsOn` (and mode 1's `startsOn.field`) are
//! required, garbage dates and a bad cron are refused at create/update; a cron schedule whose
//! `startsOn` is still ahead fires at its first match from `startsOn` (NocoBase fires at `startsOn`
//! itself, match or not); `endsOn` bounds every fire, the first one too; `limit` is exact (checked
//! in the fire's transaction against the key's executions, all versions, manual runs included).

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::{mode_of, TriggerType};
use crate::app::App;
use crate::collections::events::{Event, Listener, Op, Origin};
use crate::collections::registry::{Kind, ScalarType};
use crate::collections::{records, Collection, Schema};
use crate::error::{Entry, Result};
use crate::workflow::engine::Flow;
use crate::workflow::repo::workflows;

pub const NAME: &str = "schedule";

pub const TYPE: TriggerType = TriggerType {
    name: NAME,
    validate,
    normalize: super::normalize_mode,
};

/// How far ahead the records of a date-field schedule are planned (NocoBase's 5-minute cache cycle;
/// the scheduler reloads every [`WINDOW_MS`] and plans up to twice that far, so no record falls
/// between two reloads).
pub const WINDOW_MS: i64 = 300_000;

/// NocoBase's default `unit` of an `{field, offset, unit}` time: a day.
const DAY_MS: i64 = 86_400_000;

/// `repeat`: a cron text (5 fields, or 6 with seconds first) or a period in milliseconds.
#[derive(Debug, Clone)]
pub enum Repeat {
    Cron(Box<croner::Cron>),
    Every(i64),
}

/// A time taken from a record's field, moved by `offset_ms` (`offset × unit`; positive = later).
#[derive(Debug, Clone, PartialEq)]
pub struct OnField {
    pub field: String,
    pub offset_ms: i64,
}

/// `endsOn`: a fixed instant, or a record's field (mode 1 only).
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    At(i64),
    Field(OnField),
}

#[derive(Debug, Clone)]
pub enum Mode {
    /// Mode 0: fixed times from `startsOn`.
    Static { starts_on: i64 },
    /// Mode 1: each record of `collection` on its own time.
    DateField {
        collection: String,
        starts_on: OnField,
    },
}

/// A schedule's start and end times for one record (or for the static schedule): `None` = none.
pub type Times = (Option<i64>, Option<i64>);

/// A schedule workflow's config, typed.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub mode: Mode,
    pub repeat: Option<Repeat>,
    pub ends_on: Option<End>,
    /// `None` (or 0 stored): no limit.
    pub limit: Option<u64>,
}

/// Drops the milliseconds (`parseDateWithoutMs`).
pub fn whole_second(ms: i64) -> i64 {
    ms.div_euclid(1000) * 1000
}

fn entry(field: &str, msg: impl Into<String>) -> Entry {
    Entry::new(msg.into()).with("field", field)
}

/// An ISO instant (`2026-01-02T03:04:05.678Z`, an offset, or a bare day), whole seconds.
fn instant(v: &Value) -> Option<i64> {
    let text = crate::collections::values::parse_datetime(v.as_str()?)?;
    crate::time::iso_to_ms(&text).map(whole_second)
}

/// Parses a cron text as NocoBase's cron-parser reads it: 5 fields, or 6 with a leading seconds
/// field; day-of-month and day-of-week match either (vixie cron's OR), in UTC.
pub fn parse_cron(text: &str) -> Option<croner::Cron> {
    croner::Cron::new(text.trim())
        .with_seconds_optional()
        .parse()
        .ok()
}

fn parse_repeat(v: Option<&Value>, out: &mut Vec<Entry>) -> Option<Repeat> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match parse_cron(s) {
            Some(c) => Some(Repeat::Cron(Box::new(c))),
            None => {
                out.push(entry("repeat", "\"repeat\" is not a valid cron expression"));
                None
            }
        },
        Some(Value::Number(n)) if n.as_i64().is_some_and(|n| n > 0) => {
            n.as_i64().map(Repeat::Every)
        }
        Some(_) => {
            out.push(entry(
                "repeat",
                "\"repeat\" must be a cron expression or a positive number of milliseconds",
            ));
            None
        }
    }
}

/// `{field, offset = 0, unit = 86400000}` of mode 1.
fn parse_on_field(name: &str, v: &Value, out: &mut Vec<Entry>) -> Option<OnField> {
    let shape = format!("\"{name}\" must be {{\"field\": <a date field>, \"offset\": <number>, \"unit\": <milliseconds>}}");
    let Some(obj) = v.as_object() else {
        out.push(entry(name, shape));
        return None;
    };
    let field = match obj.get("field").and_then(Value::as_str) {
        Some(f) if !f.is_empty() => f.to_string(),
        _ => {
            out.push(entry(name, format!("\"{name}.field\" is required")));
            return None;
        }
    };
    let number = |key: &str, default: f64| match obj.get(key) {
        None | Some(Value::Null) => Some(default),
        Some(v) => v.as_f64(),
    };
    let (Some(offset), Some(unit)) = (number("offset", 0.0), number("unit", DAY_MS as f64)) else {
        out.push(entry(name, shape));
        return None;
    };
    if unit <= 0.0 {
        out.push(entry(
            name,
            format!("\"{name}.unit\" must be a positive number of milliseconds"),
        ));
        return None;
    }
    Some(OnField {
        field,
        offset_ms: (offset * unit).round() as i64,
    })
}

fn parse_limit(v: Option<&Value>, out: &mut Vec<Entry>) -> Option<u64> {
    match v {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(0) => None,
            Some(n) => Some(n),
            None => {
                out.push(entry(
                    "limit",
                    "\"limit\" must be a whole number >= 0 (0: no limit)",
                ));
                None
            }
        },
    }
}

impl Schedule {
    /// The typed config, or one entry per problem (schema-free: the collection and its fields are
    /// checked by [`validate`]).
    pub fn parse(config: &Value) -> std::result::Result<Schedule, Vec<Entry>> {
        let Some(obj) = config.as_object() else {
            return Err(vec![entry("config", "\"config\" must be an object")]);
        };
        let mut out = Vec::new();
        let mode = match obj.get("mode") {
            None | Some(Value::Null) => {
                out.push(entry("mode", "\"mode\" is required"));
                None
            }
            Some(v) => match mode_of(v).filter(|m| *m == 0 || *m == 1) {
                None => {
                    out.push(entry("mode", "\"mode\" must be one of [0, 1]"));
                    None
                }
                m => m,
            },
        };
        let starts = obj.get("startsOn").filter(|v| !v.is_null());
        let mode = match (mode, starts) {
            (Some(_), None) => {
                out.push(entry("startsOn", "\"startsOn\" is required"));
                None
            }
            (Some(0), Some(v)) => match instant(v) {
                Some(t) => Some(Mode::Static { starts_on: t }),
                None => {
                    out.push(entry("startsOn", "\"startsOn\" must be an ISO date-time"));
                    None
                }
            },
            (Some(_), Some(v)) => {
                let collection = match obj.get("collection").and_then(Value::as_str) {
                    Some(c) if !c.is_empty() => Some(c.to_string()),
                    _ => {
                        out.push(entry("collection", "\"collection\" is required"));
                        None
                    }
                };
                let on = parse_on_field("startsOn", v, &mut out);
                collection
                    .zip(on)
                    .map(|(collection, starts_on)| Mode::DateField {
                        collection,
                        starts_on,
                    })
            }
            (None, _) => None,
        };
        let ends_on = match obj.get("endsOn") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(v @ Value::String(_)) => match instant(v) {
                Some(t) => Some(End::At(t)),
                None => {
                    out.push(entry("endsOn", "\"endsOn\" must be an ISO date-time"));
                    None
                }
            },
            Some(v @ Value::Object(_)) if matches!(mode, Some(Mode::DateField { .. })) => {
                parse_on_field("endsOn", v, &mut out).map(End::Field)
            }
            Some(_) => {
                out.push(entry("endsOn", "\"endsOn\" must be an ISO date-time"));
                None
            }
        };
        let repeat = parse_repeat(obj.get("repeat"), &mut out);
        let limit = parse_limit(obj.get("limit"), &mut out);
        match mode {
            Some(mode) if out.is_empty() => Ok(Schedule {
                mode,
                repeat,
                ends_on,
                limit,
            }),
            _ => Err(out),
        }
    }

    pub fn limit_reached(&self, executed: u64) -> bool {
        self.limit.is_some_and(|l| executed >= l)
    }

    /// The collection of a date-field schedule.
    pub fn collection(&self) -> Option<&str> {
        match &self.mode {
            Mode::DateField { collection, .. } => {
                Some(collection.strip_prefix("main:").unwrap_or(collection))
            }
            Mode::Static { .. } => None,
        }
    }

    /// A record's start and end times (ms dropped from the field's value, then the offset).
    pub fn record_times(&self, record: &Value) -> Times {
        let on = |f: &OnField| record_time(record, f);
        let start = match &self.mode {
            Mode::DateField { starts_on, .. } => on(starts_on),
            Mode::Static { starts_on } => Some(*starts_on),
        };
        let end = match &self.ends_on {
            Some(End::At(t)) => Some(*t),
            Some(End::Field(f)) => on(f),
            None => None,
        };
        (start, end)
    }

    /// The static schedule's fixed end.
    fn fixed_end(&self) -> Option<i64> {
        match &self.ends_on {
            Some(End::At(t)) => Some(*t),
            _ => None,
        }
    }
}

fn record_time(record: &Value, f: &OnField) -> Option<i64> {
    instant(record.get(&f.field)?).map(|t| t + f.offset_ms)
}

/// §3.1–§3.3 with §13's answers: the typed parse, plus (mode 1) the collection must exist, its
/// `startsOn.field` (and a field `endsOn`) must be a date or datetime field, `appends` its associations.
fn validate(config: &Value, schema: &Schema) -> Vec<Entry> {
    let schedule = match Schedule::parse(config) {
        Ok(s) => s,
        Err(mut entries) => {
            // An unknown collection is worth saying even when something else is wrong too.
            if let Some(c) = config.get("collection").and_then(Value::as_str) {
                if mode_of(config.get("mode").unwrap_or(&Value::Null)) == Some(1) {
                    if let Err(e) = super::resolve_collection(c, schema) {
                        entries.push(e);
                    }
                }
            }
            return entries;
        }
    };
    let Mode::DateField {
        collection,
        starts_on,
    } = &schedule.mode
    else {
        return Vec::new();
    };
    let coll = match super::resolve_collection(collection, schema) {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    let mut out = Vec::new();
    check_date_field(&coll, "startsOn", &starts_on.field, &mut out);
    if let Some(End::Field(f)) = &schedule.ends_on {
        check_date_field(&coll, "endsOn", &f.field, &mut out);
    }
    if let Some(obj) = config.as_object() {
        super::check_appends(obj, collection, Some(&coll), schema, &mut out);
    }
    out
}

fn check_date_field(coll: &Collection, key: &str, name: &str, out: &mut Vec<Entry>) {
    let is_date = coll.field(name).is_some_and(|f| {
        matches!(
            f.kind,
            Kind::Scalar(ScalarType::Date | ScalarType::Datetime)
        )
    });
    if !is_date {
        out.push(entry(
            key,
            format!(
                "\"{key}.field\" must be a date field of \"{}\" (\"{name}\" is not)",
                coll.name
            ),
        ));
    }
}

// ---------------------------------------------------------------- next fire times

/// The first cron match strictly after `t` (whole seconds), in UTC.
fn cron_after(cron: &croner::Cron, t: i64) -> Option<i64> {
    let at = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(t)?;
    cron.find_next_occurrence(&at, false)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// The first grid point `start + k·period` strictly after `t` (NocoBase's formula; `t >= start`).
fn grid_after(start: i64, period: i64, t: i64) -> i64 {
    t + period - (t - start).rem_euclid(period)
}

/// "Now" as NocoBase reads it: ms dropped, plus one second right after a run (so a 1000 ms grid
/// fires every 2 s, §3.2).
fn reference(now: i64, after_run: bool) -> i64 {
    whole_second(now) + if after_run { 1000 } else { 0 }
}

/// The next fire of a repeating schedule from `start` after `t`, or `None`.
fn repeat_after(repeat: &Repeat, start: i64, t: i64) -> Option<i64> {
    match repeat {
        Repeat::Every(period) => Some(grid_after(start, *period, t)),
        Repeat::Cron(cron) => cron_after(cron, t),
    }
}

/// The next fire time of a static schedule (§3.2), given the key's executions so far. `after_run`:
/// computed right after a fire (NocoBase's `nextSecond`).
pub fn next_static(s: &Schedule, executed: u64, now: i64, after_run: bool) -> Option<i64> {
    let Mode::Static { starts_on } = s.mode else {
        return None;
    };
    if s.limit_reached(executed) {
        return None;
    }
    let t = reference(now, after_run);
    let next = match &s.repeat {
        None if starts_on >= t => starts_on,
        None => return None,
        Some(Repeat::Cron(cron)) if starts_on > t => {
            if cron_matches(cron, starts_on) {
                starts_on
            } else {
                cron_after(cron, starts_on)?
            }
        }
        Some(_) if starts_on > t => starts_on,
        Some(repeat) => repeat_after(repeat, starts_on, t)?,
    };
    within_end(next, s.fixed_end())
}

fn within_end(next: i64, end: Option<i64>) -> Option<i64> {
    match end {
        Some(end) if next > end => None,
        _ => Some(next),
    }
}

fn cron_matches(cron: &croner::Cron, t: i64) -> bool {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(t)
        .is_some_and(|at| cron.is_time_matching(&at).unwrap_or(false))
}

/// The next fire time of one record of a date-field schedule (§3.3) whose times are `start`/`end`,
/// if it falls before `now + horizon` (later ones are planned by a later reload).
pub fn next_for_record(
    s: &Schedule,
    (start, end): Times,
    executed: u64,
    now: i64,
    after_run: bool,
    horizon: i64,
) -> Option<i64> {
    let start = start?;
    if s.limit_reached(executed) {
        return None;
    }
    let t = reference(now, after_run);
    let next = if start >= t {
        start
    } else {
        repeat_after(s.repeat.as_ref()?, start, t)?
    };
    if next > t + horizon {
        return None;
    }
    within_end(next, end)
}

/// Whether `t` is a fire time of a schedule starting at `start` and ending at `end`: the check a fire
/// makes against the state it reads in its transaction (the config or the record may have changed
/// since the time was planned).
pub fn fires_at(s: &Schedule, (start, end): Times, t: i64) -> bool {
    let Some(start) = start else {
        return false;
    };
    if t < start || end.is_some_and(|e| t > e) {
        return false;
    }
    match &s.repeat {
        None => t == start,
        Some(Repeat::Every(period)) => (t - start) % period == 0,
        Some(Repeat::Cron(cron)) => cron_matches(cron, t),
    }
}

// ---------------------------------------------------------------- record saves

/// Record saves re-plan the records of date-field schedules (§3.3: "on every save").
pub const LISTENER: Listener = Listener { wants, raise };

/// The enabled date-field schedules of `coll`, read in the writing transaction (not through the
/// workflow cache: see the collection trigger's `listeners`).
fn listeners(conn: &Connection, coll: &Collection) -> Result<Vec<(i64, String, Schedule)>> {
    let ids = workflows::enabled_on_collection(conn, NAME, &coll.name)?;
    let mut out = Vec::new();
    for id in ids {
        let Some(w) = workflows::get(conn, id)? else {
            continue;
        };
        if let Ok(
            s @ Schedule {
                mode: Mode::DateField { .. },
                ..
            },
        ) = Schedule::parse(&w.config)
        {
            out.push((id, w.key, s));
        }
    }
    Ok(out)
}

fn wants(_app: &App, conn: &Connection, coll: &Collection, op: Op) -> Result<bool> {
    Ok(op != Op::Destroy && !listeners(conn, coll)?.is_empty())
}

/// Computes each saved record's next fire in the writing transaction and hands it to the scheduler.
/// If the write rolls back, the plan holds a time the record does not have: the fire re-reads the
/// record and checks it ([`fires_at`]) before it queues anything.
fn raise(
    origin: &Origin,
    conn: &Connection,
    schema: &Schema,
    coll: &Collection,
    events: Vec<Event>,
) -> Result<()> {
    let Some(app) = origin.app else {
        return Ok(());
    };
    let saved: Vec<i64> = events
        .iter()
        .filter(|e| e.op != Op::Destroy)
        .map(|e| e.id)
        .collect();
    if saved.is_empty() {
        return Ok(());
    }
    let now = app.scheduler.now();
    for (workflow_id, key, s) in listeners(conn, coll)? {
        let executed = workflows::key_executed(conn, &key)?;
        for row in records::get_many(conn, schema, coll, &saved, &[], None)? {
            let Some(id) = row.get("id").and_then(Value::as_i64) else {
                continue;
            };
            let next = next_for_record(
                &s,
                s.record_times(&row),
                executed,
                now,
                false,
                2 * WINDOW_MS,
            );
            if let Some(due) = next {
                app.scheduler.plan_record(workflow_id, id, due);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- manual execution

/// `workflows:execute` of a schedule workflow (§3.2–§3.3): the body's fields plus `date` (given or
/// now); mode 1 also needs `data` (a record id, or an object re-read when `appends` are set).
pub fn manual_context(
    app: &App,
    schema: &Schema,
    flow: &Flow,
    values: &Map<String, Value>,
) -> Result<Value> {
    let mut context = values.clone();
    if context.get("date").is_none_or(Value::is_null) {
        context.insert("date".into(), json!(crate::time::now_iso()));
    }
    if mode_of(flow.workflow.config.get("mode").unwrap_or(&Value::Null)) == Some(1) {
        let data = super::collection::manual_data(app, schema, flow, values)?;
        context.insert("data".into(), data);
    }
    Ok(Value::Object(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    fn iso(ms: i64) -> String {
        crate::time::ms_to_iso(ms)
    }

    fn stat(extra: Value) -> Schedule {
        let mut c = json!({"mode": 0, "startsOn": iso(T0)});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        Schedule::parse(&c).unwrap_or_else(|e| panic!("{c}: {e:?}"))
    }

    fn fields(v: &Value) -> Vec<String> {
        match Schedule::parse(v) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| e.message.clone()).collect(),
        }
    }

    /// Fires a static schedule as the scheduler does, from `now`, `n` times at most.
    fn fires(s: &Schedule, now: i64, n: usize) -> Vec<i64> {
        let mut out = Vec::new();
        let mut next = next_static(s, 0, now, false);
        while let Some(t) = next {
            if out.len() == n {
                break;
            }
            assert!(
                fires_at(s, s.record_times(&Value::Null), t),
                "{t} planned but not due"
            );
            out.push(t);
            next = next_static(s, out.len() as u64, t + 3, true);
        }
        out
    }

    #[test]
    fn config_problems_name_the_field() {
        assert_eq!(fields(&json!({})), ["\"mode\" is required"]);
        assert_eq!(
            fields(&json!({"mode": 2, "startsOn": iso(T0)})),
            ["\"mode\" must be one of [0, 1]"]
        );
        assert_eq!(fields(&json!({"mode": 0})), ["\"startsOn\" is required"]);
        assert_eq!(
            fields(&json!({"mode": 0, "startsOn": "soon"})),
            ["\"startsOn\" must be an ISO date-time"]
        );
        assert_eq!(
            fields(&json!({"mode": 0, "startsOn": iso(T0), "endsOn": "never"})),
            ["\"endsOn\" must be an ISO date-time"]
        );
        assert_eq!(
            fields(&json!({"mode": 0, "startsOn": iso(T0), "repeat": "bad"})),
            ["\"repeat\" is not a valid cron expression"]
        );
        assert_eq!(
            fields(&json!({"mode": 0, "startsOn": iso(T0), "repeat": -5})).len(),
            1
        );
        assert_eq!(
            fields(&json!({"mode": 0, "startsOn": iso(T0), "limit": "2"})).len(),
            1
        );
        assert_eq!(
            fields(&json!({"mode": 1, "startsOn": {"field": "dueAt"}})),
            ["\"collection\" is required"]
        );
        assert_eq!(
            fields(&json!({"mode": 1, "collection": "c", "startsOn": {"offset": 1}})),
            ["\"startsOn.field\" is required"]
        );
        assert!(
            fields(&json!({"mode": "1", "collection": "c", "startsOn": {"field": "d"}})).is_empty()
        );
    }

    #[test]
    fn cron_takes_five_or_six_fields() {
        assert!(parse_cron("*/5 * * * *").is_some());
        assert!(parse_cron("*/2 * * * * *").is_some());
        assert!(parse_cron("0 0 12 * * 1-5").is_some());
        assert!(parse_cron("bad").is_none());
        assert!(parse_cron("* * *").is_none());
        assert!(parse_cron("61 * * * *").is_none());
        // Day of month OR day of week, as cron-parser: the 13th or any Friday.
        let c = parse_cron("0 0 13 * 5").unwrap();
        let jan_2 = T0 + DAY_MS; // Friday 2026-01-02
        assert!(cron_matches(&c, jan_2));
        assert!(cron_matches(&c, T0 + 12 * DAY_MS)); // Tuesday the 13th
        assert!(!cron_matches(&c, T0 + 2 * DAY_MS));
    }

    #[test]
    fn once_at_a_future_start_never_at_a_past_one() {
        let s = stat(json!({}));
        assert_eq!(fires(&s, T0 - 3_500, 5), [T0]);
        // The start's own second still fires (ms dropped), a second later not.
        assert_eq!(next_static(&s, 0, T0 + 400, false), Some(T0));
        assert_eq!(next_static(&s, 0, T0 + 1_000, false), None);
        // A fired one-shot is never planned again right after its run.
        assert_eq!(next_static(&s, 1, T0 + 10, true), None);
    }

    #[test]
    fn cron_with_seconds_fires_on_its_matches_up_to_the_limit() {
        let s = stat(json!({"repeat": "*/2 * * * * *", "limit": 2}));
        let now = T0 + 60_001; // a started schedule: the next even second after now
        assert_eq!(fires(&s, now, 10), [T0 + 62_000, T0 + 64_000]);
        assert_eq!(next_static(&s, 2, now, false), None);
        // A start ahead: its first match from the start.
        let s = stat(json!({"repeat": "*/2 * * * * *"}));
        assert_eq!(next_static(&s, 0, T0 - 10_000, false), Some(T0));
        let s =
            Schedule::parse(&json!({"mode":0,"startsOn":iso(T0 + 1000),"repeat":"*/2 * * * * *"}))
                .unwrap();
        assert_eq!(next_static(&s, 0, T0 - 10_000, false), Some(T0 + 2_000));
    }

    #[test]
    fn interval_grid_from_the_start_and_the_one_second_rule() {
        let s = stat(json!({"repeat": 1000, "limit": 3}));
        // Started in the past: the grid point after now, then every 2 s (NocoBase's observable grid).
        assert_eq!(
            fires(&s, T0 + 5_300, 10),
            [T0 + 6_000, T0 + 8_000, T0 + 10_000]
        );
        let s = stat(json!({"repeat": 2000}));
        assert_eq!(
            fires(&s, T0 + 5_300, 3),
            [T0 + 6_000, T0 + 8_000, T0 + 10_000]
        );
        let s = stat(json!({"repeat": 60_000}));
        assert_eq!(fires(&s, T0 + 5_300, 2), [T0 + 60_000, T0 + 120_000]);
        assert!(!fires_at(&s, (Some(T0), None), T0 + 30_000));
    }

    #[test]
    fn ends_on_bounds_every_fire() {
        let s = stat(json!({"repeat": 1000, "endsOn": iso(T0 + 4_000)}));
        assert_eq!(fires(&s, T0 - 100, 10), [T0, T0 + 2_000, T0 + 4_000]);
        // Already past: never.
        assert_eq!(next_static(&s, 0, T0 + 4_100, false), None);
        let s = stat(json!({"endsOn": iso(T0 - 1_000)}));
        assert_eq!(next_static(&s, 0, T0 - 5_000, false), None);
    }

    #[test]
    fn a_record_fires_at_its_field_plus_offset_within_the_window() {
        let s = Schedule::parse(
            &json!({"mode":1,"collection":"c","startsOn":{"field":"dueAt","offset":2,"unit":1000}}),
        )
        .unwrap();
        let row = json!({"dueAt": iso(T0 + 216)});
        let times = s.record_times(&row);
        assert_eq!(times, (Some(T0 + 2_000), None));
        assert_eq!(
            next_for_record(&s, times, 0, T0 - 3_000, false, WINDOW_MS),
            Some(T0 + 2_000)
        );
        // Past without repeat: never; beyond the horizon: not yet.
        assert_eq!(
            next_for_record(&s, times, 0, T0 + 3_000, false, WINDOW_MS),
            None
        );
        assert_eq!(
            next_for_record(&s, times, 0, T0 - 2 * WINDOW_MS, false, WINDOW_MS),
            None
        );
        assert_eq!(
            next_for_record(&s, (None, None), 0, T0, false, WINDOW_MS),
            None
        );
        // Limit.
        let l = Schedule::parse(
            &json!({"mode":1,"collection":"c","startsOn":{"field":"dueAt"},"limit":1}),
        )
        .unwrap();
        assert_eq!(
            next_for_record(&l, (Some(T0), None), 1, T0 - 1000, false, WINDOW_MS),
            None
        );
        // Repeat: the grid from the record's start, up to its end field.
        let r = Schedule::parse(&json!({"mode":1,"collection":"c","startsOn":{"field":"dueAt"},"repeat":5000,"endsOn":{"field":"doneAt"}})).unwrap();
        let row = json!({"dueAt": iso(T0), "doneAt": iso(T0 + 10_000)});
        let times = r.record_times(&row);
        assert_eq!(
            next_for_record(&r, times, 0, T0 + 1_000, false, WINDOW_MS),
            Some(T0 + 5_000)
        );
        assert_eq!(
            next_for_record(&r, times, 0, T0 + 10_000, false, WINDOW_MS),
            None
        );
        assert!(fires_at(&r, times, T0 + 10_000));
        assert!(!fires_at(&r, times, T0 + 15_000));
    }
}
