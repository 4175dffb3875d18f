//! The `schedule` trigger (triggers-and-nodes.md §3, acceptance cases 12–19 of §14): static times and
//! date fields of records, fired by the scheduler thread and queued durably; the config's refusals;
//! manual runs; a plan that survives a restart without replaying missed fires.
//!
//! A fire that must not happen is checked on the computed plan: `Scheduler::settle` waits for a plan
//! rebuilt after the change (a positive event), then `Scheduler::planned` must hold no time for it.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

/// tn_groups {name}; tn_items {title, amount (integer), group → tn_groups, dueAt (datetime)}.
fn fixture(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_groups","fields":[{"name":"name","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_items","fields":[{"name":"title","type":"string"},{"name":"amount","type":"integer"},{"name":"group","type":"belongsTo","target":"tn_groups"},{"name":"dueAt","type":"datetime"}]})),
    );
}

fn now_ms() -> i64 {
    flowgate::time::now_ms()
}

fn iso(ms: i64) -> String {
    flowgate::time::ms_to_iso(ms)
}

fn second(ms: i64) -> i64 {
    ms.div_euclid(1000) * 1000
}

/// An enabled schedule workflow `key` with `config` and a chain of nodes, created disabled and enabled
/// once its nodes exist; returns its id.
fn schedule(s: &Server, key: &str, config: Value, nodes: &[Value]) -> i64 {
    let body = json!({"title": key, "type": "schedule", "key": key, "config": config});
    let id = create(s, body)["id"].as_i64().expect("id");
    chain(s, id, nodes);
    enable(s, id);
    id
}

fn enable(s: &Server, id: i64) {
    s.ok(
        "POST",
        &format!("/api/workflows:update?filterByTk={id}"),
        Some(json!({"enabled": true})),
    );
}

/// The plan of version `id` once the scheduler has rebuilt it after everything done so far.
fn planned(s: &Server, id: i64) -> Vec<(Option<i64>, i64)> {
    assert!(
        s.app().scheduler.settle(Duration::from_secs(10)),
        "the scheduler did not rebuild its plan"
    );
    s.app().scheduler.planned(id)
}

/// Waits (up to `secs`) for `n` executions of `key`, all final; returns them.
fn wait_runs(s: &Server, key: &str, n: usize, secs: u64) -> Vec<Value> {
    poll(Duration::from_secs(secs), || {
        let list = runs_now(s, key);
        (list.len() >= n
            && list
                .iter()
                .all(|e| e["status"].as_i64().is_some_and(|st| st != 0)))
        .then_some(list)
    })
    .unwrap_or_else(|| {
        panic!(
            "{n} finished runs of {key} expected: {:?}",
            runs_now(s, key)
        )
    })
}

fn date_of(e: &Value) -> i64 {
    ms(&e["context"]["date"])
}

fn create_item(s: &Server, values: Value) -> Value {
    s.ok("POST", "/api/tn_items:create", Some(values))
}

fn fields_of(v: &Value) -> Vec<(String, String)> {
    fields(v)
}

#[test]
fn case_12_once_at_starts_on() {
    let s = Server::start();
    // A few seconds ahead: the setup below must be done before it (the spec's case says 3 s).
    let start = now_ms() + 4_000;
    // Stored `sync: true` is ignored: schedules always queue (§1.2).
    let body = json!({"title":"s12","type":"schedule","key":"s12","sync":true,
        "config":{"mode":0,"startsOn":iso(start)}});
    let id = create(&s, body)["id"].as_i64().expect("id");
    chain(&s, id, &[calc("c", "1 + 1")]);
    enable(&s, id);
    assert_eq!(planned(&s, id), [(None, second(start))]);
    let list = wait_runs(&s, "s12", 1, 15);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], json!(1));
    let queued_sync: i64 = s
        .db()
        .query_row("SELECT sync FROM executions WHERE key = 's12'", [], |r| {
            r.get(0)
        })
        .expect("sync");
    assert_eq!(queued_sync, 0, "queued, not run in a request");
    assert_eq!(result_of(&list[0], "c"), json!(2));
    assert_eq!(date_of(&list[0]), second(start));
    assert_eq!(
        list[0]["context"].as_object().map(|o| o.len()),
        Some(1),
        "{}",
        list[0]["context"]
    );
    // Exactly one: nothing is planned after it, and nothing more was queued.
    assert_eq!(planned(&s, id), []);
    assert_eq!(runs_now(&s, "s12").len(), 1);
}

#[test]
fn case_13_cron_with_seconds_and_a_limit_fires_twice() {
    let s = Server::start();
    let id = schedule(
        &s,
        "s13",
        json!({"mode":0,"startsOn":iso(now_ms() - 60_000),"repeat":"*/2 * * * * *","limit":2}),
        &[calc("c", "1 + 1")],
    );
    let list = wait_runs(&s, "s13", 2, 15);
    let dates: Vec<i64> = list.iter().map(date_of).collect();
    assert_eq!(dates.len(), 2, "{dates:?}");
    assert!(
        dates.iter().all(|d| d % 2_000 == 0),
        "even seconds: {dates:?}"
    );
    assert_eq!(dates[1] - dates[0], 2_000);
    // The limit is reached: no third time is planned, and none was queued.
    assert_eq!(planned(&s, id), []);
    assert_eq!(runs_now(&s, "s13").len(), 2);
    let (_, w) = s.get(
        &s.root(),
        &format!("/api/workflows:get?filterByTk={id}&appends=stats"),
    );
    assert_eq!(w["data"]["stats"]["executed"], json!(2), "{w}");
}

#[test]
fn case_14_interval_from_a_past_start_fires_on_the_grid_up_to_the_limit() {
    let s = Server::start();
    let start = second(now_ms()) - 10_000;
    let id = schedule(
        &s,
        "s14",
        json!({"mode":0,"startsOn":iso(start),"repeat":1000,"limit":2}),
        &[calc("c", "1 + 1")],
    );
    // A rebuild of the plan right after the first run (any workflow write asks for one) plans the
    // same next time as the run did.
    wait_runs(&s, "s14", 1, 15);
    s.app().scheduler.settle(Duration::from_secs(10));
    let list = wait_runs(&s, "s14", 2, 15);
    let dates: Vec<i64> = list.iter().map(date_of).collect();
    assert_eq!(dates.len(), 2, "{dates:?}");
    assert!(
        dates.iter().all(|d| d % 1_000 == 0),
        "whole seconds: {dates:?}"
    );
    // NocoBase's observable grid: a 1000 ms period fires every 2 s.
    assert_eq!(dates[1] - dates[0], 2_000);
    assert_eq!(planned(&s, id), []);
    assert_eq!(runs_now(&s, "s14").len(), 2);
}

#[test]
fn case_15_a_past_start_or_a_past_end_never_fires() {
    let s = Server::start();
    let past = schedule(
        &s,
        "s15a",
        json!({"mode":0,"startsOn":iso(now_ms() - 5_000)}),
        &[calc("c", "1")],
    );
    let ended = schedule(
        &s,
        "s15b",
        json!({"mode":0,"startsOn":iso(now_ms() - 60_000),"repeat":1000,"endsOn":iso(now_ms() - 1_000)}),
        &[calc("c", "1")],
    );
    // A control that does fire, so the plan is known to be live.
    let live = schedule(
        &s,
        "s15c",
        json!({"mode":0,"startsOn":iso(now_ms() + 60_000)}),
        &[calc("c", "1")],
    );
    assert_eq!(planned(&s, past), []);
    assert_eq!(planned(&s, ended), []);
    assert_eq!(planned(&s, live).len(), 1);
    assert!(runs_now(&s, "s15a").is_empty() && runs_now(&s, "s15b").is_empty());
}

#[test]
fn case_16_a_record_fires_at_its_date_field_with_its_data() {
    let s = Server::start();
    fixture(&s);
    let g = s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"g1"})));
    let due = now_ms() + 5_000;
    let soon = create_item(
        &s,
        json!({"title":"soon","amount":7,"group":g["id"],"dueAt":iso(due)}),
    );
    let gone = create_item(
        &s,
        json!({"title":"past","amount":1,"dueAt":iso(now_ms() - 10_000)}),
    );
    let id = schedule(
        &s,
        "s16",
        json!({"mode":1,"collection":"tn_items","startsOn":{"field":"dueAt"},"appends":["group"]}),
        &[calc("c", "{{$context.data.amount}} * 3")],
    );
    // Planned on enabling: the record due soon, not the one whose time is past.
    let plan = planned(&s, id);
    assert_eq!(plan, [(soon["id"].as_i64(), second(due))], "{gone}");
    let list = wait_runs(&s, "s16", 1, 15);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], json!(1));
    assert_eq!(result_of(&list[0], "c"), json!(21));
    let data = &list[0]["context"]["data"];
    assert_eq!(data["id"], soon["id"]);
    assert_eq!(data["title"], json!("soon"));
    assert_eq!(data["group"]["name"], json!("g1"));
    // `date` is the field's second (ms dropped), slightly before the value.
    assert_eq!(date_of(&list[0]), second(due));
    assert_eq!(planned(&s, id), []);
    assert_eq!(runs_now(&s, "s16").len(), 1);
}

#[test]
fn case_17_offset_moves_the_fire_time() {
    let s = Server::start();
    fixture(&s);
    let id = schedule(
        &s,
        "s17",
        json!({"mode":1,"collection":"tn_items","startsOn":{"field":"dueAt","offset":2,"unit":1000}}),
        &[calc("c", "1")],
    );
    // Saved after enabling: the save plans it.
    let due = now_ms() + 3_000;
    let rec = create_item(&s, json!({"title":"a","amount":1,"dueAt":iso(due)}));
    assert_eq!(planned(&s, id), [(rec["id"].as_i64(), second(due) + 2_000)]);
    let list = wait_runs(&s, "s17", 1, 15);
    assert_eq!(date_of(&list[0]), second(due) + 2_000);
    assert_eq!(list[0]["context"]["data"]["id"], rec["id"]);
}

#[test]
fn case_18_a_due_date_set_by_an_update_fires_at_it() {
    let s = Server::start();
    fixture(&s);
    let id = schedule(
        &s,
        "s18",
        json!({"mode":1,"collection":"tn_items","startsOn":{"field":"dueAt"}}),
        &[calc("c", "{{$context.data.title}}")],
    );
    let rec = create_item(&s, json!({"title":"later","amount":1}));
    let rid = rec["id"].as_i64().expect("id");
    assert_eq!(planned(&s, id), [], "no due date: nothing planned");
    let due = now_ms() + 3_000;
    s.ok(
        "POST",
        &format!("/api/tn_items:update?filterByTk={rid}"),
        Some(json!({"dueAt": iso(due)})),
    );
    assert_eq!(planned(&s, id), [(Some(rid), second(due))]);
    let list = wait_runs(&s, "s18", 1, 15);
    assert_eq!(date_of(&list[0]), second(due));
    assert_eq!(result_of(&list[0], "c"), json!("later"));
    // A record deleted before its time is skipped: planned, then nothing queued at the fire.
    let due = now_ms() + 3_000;
    let doomed = create_item(&s, json!({"title":"doomed","amount":1,"dueAt":iso(due)}));
    let did = doomed["id"].as_i64();
    assert_eq!(planned(&s, id), [(did, second(due))]);
    s.ok(
        "POST",
        &format!("/api/tn_items:destroy?filterByTk={}", did.unwrap_or(0)),
        Some(json!({})),
    );
    // Wait for a later positive event: a control workflow firing after the doomed record's time.
    let control = schedule(
        &s,
        "s18c",
        json!({"mode":0,"startsOn":iso(second(due) + 2_000)}),
        &[calc("c", "1")],
    );
    wait_runs(&s, "s18c", 1, 15);
    assert!(planned(&s, control).is_empty());
    assert_eq!(
        runs_now(&s, "s18").len(),
        1,
        "the deleted record did not fire"
    );
}

#[test]
fn case_19_and_13_configs_are_refused_with_the_field() {
    let s = Server::start();
    fixture(&s);
    let t = iso(now_ms() + 60_000);
    let refused = [
        (json!({"startsOn": t}), "mode", "\"mode\" is required"),
        (
            json!({"mode": 2, "startsOn": t}),
            "mode",
            "\"mode\" must be one of [0, 1]",
        ),
        (json!({"mode": 0}), "startsOn", "\"startsOn\" is required"),
        (
            json!({"mode": 0, "startsOn": "tomorrow"}),
            "startsOn",
            "\"startsOn\" must be an ISO date-time",
        ),
        (
            json!({"mode": 0, "startsOn": t, "endsOn": "never"}),
            "endsOn",
            "\"endsOn\" must be an ISO date-time",
        ),
        (
            json!({"mode": 0, "startsOn": t, "repeat": "bad"}),
            "repeat",
            "\"repeat\" is not a valid cron expression",
        ),
        (
            json!({"mode": 1, "collection": "nope", "startsOn": {"field": "dueAt"}}),
            "collection",
            "Collection \"nope\" does not exist in data source \"main\"",
        ),
        (
            json!({"mode": 1, "collection": "tn_items", "startsOn": {"field": "title"}}),
            "startsOn",
            "\"startsOn.field\" must be a date field of \"tn_items\" (\"title\" is not)",
        ),
    ];
    for (config, field, message) in refused {
        let (st, v) = s.post(
            &s.root(),
            "/api/workflows:create",
            json!({"type":"schedule","title":"x","config":config}),
        );
        assert_eq!(st, 400, "{config}: {v}");
        assert_eq!(code(&v), "INVALID_CONFIG", "{v}");
        assert!(
            fields_of(&v).contains(&(field.to_string(), message.to_string())),
            "{config}: {v}"
        );
    }
    // A schedule without any config is refused as well (it could never fire).
    let (st, v) = s.post(
        &s.root(),
        "/api/workflows:create",
        json!({"type":"schedule","title":"x"}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_CONFIG"), "{v}");
    let (_, v) = s.get(&s.root(), "/api/workflows:list?paginate=false");
    assert_eq!(
        v["data"].as_array().map(Vec::len),
        Some(0),
        "nothing stored: {v}"
    );
    // Valid ones are stored; a bad cron in an update is refused and leaves the config as it was.
    let good = json!({"mode": "0", "startsOn": t, "repeat": "0 */5 * * *"});
    let w = create(&s, json!({"type":"schedule","title":"ok","config":good}));
    assert_eq!(w["config"]["mode"], json!(0), "{w}");
    let id = w["id"].as_i64().expect("id");
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:update?filterByTk={id}"),
        json!({"config": {"mode": 0, "startsOn": t, "repeat": "*/61 * * *"}}),
    );
    assert_eq!(st, 400, "{v}");
    assert!(fields_of(&v).contains(&(
        "repeat".to_string(),
        "\"repeat\" is not a valid cron expression".to_string()
    )));
    let (_, v) = s.get(&s.root(), &format!("/api/workflows:get?filterByTk={id}"));
    assert_eq!(v["data"]["config"]["repeat"], json!("0 */5 * * *"), "{v}");
    let mode1 = json!({"mode": 1, "collection": "tn_items", "startsOn": {"field": "dueAt", "offset": -1}, "endsOn": {"field": "createdAt"}, "appends": ["group"]});
    create(&s, json!({"type":"schedule","title":"ok1","config":mode1}));
}

#[test]
fn manual_runs_take_the_body_and_a_date() {
    let s = Server::start();
    fixture(&s);
    let id = schedule(
        &s,
        "m0",
        json!({"mode":0,"startsOn":iso(now_ms() + 3_600_000)}),
        &[calc("c", "1 + 1")],
    );
    let run = |id: i64, body: Value| {
        s.post(
            &s.root(),
            &format!("/api/workflows:execute?filterByTk={id}"),
            body,
        )
    };
    let before = now_ms();
    let (st, v) = run(id, json!({"note": "hi"}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().expect("id"));
    assert_eq!(e["context"]["note"], json!("hi"));
    assert!(date_of(&e) >= second(before), "{e}");
    let (st, v) = run(id, json!({"date": "2026-01-01T00:00:00.000Z"}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().expect("id"));
    assert_eq!(e["context"]["date"], json!("2026-01-01T00:00:00.000Z"));
    // Mode 1: `data` is required; an id is loaded with the appends.
    let m1 = schedule(
        &s,
        "m1",
        json!({"mode":1,"collection":"tn_items","startsOn":{"field":"dueAt"},"appends":["group"]}),
        &[calc("c", "{{$context.data.amount}} * 3")],
    );
    let (st, v) = run(m1, json!({}));
    assert_err((st, v), 400, "EXECUTE_FAILED", "data is required");
    let g = s.ok("POST", "/api/tn_groups:create", Some(json!({"name":"g"})));
    let rec = create_item(&s, json!({"title":"r","amount":4,"group":g["id"]}));
    let (st, v) = run(m1, json!({"data": rec["id"]}));
    assert_eq!(st, 200, "{v}");
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().expect("id"));
    assert_eq!(e["context"]["data"]["group"]["name"], json!("g"));
    assert_eq!(result_of(&e, "c"), json!(12));
    assert!(e["context"]["date"].is_string());
}

#[test]
fn limit_counts_the_keys_runs_across_versions_and_manual_runs() {
    let s = Server::start();
    let id = schedule(
        &s,
        "lim",
        json!({"mode":0,"startsOn":iso(now_ms() - 60_000),"repeat":1000,"limit":2}),
        &[calc("c", "1")],
    );
    // Two manual runs reach the limit before any fire: nothing is planned.
    for _ in 0..2 {
        let (st, v) = s.post(
            &s.root(),
            &format!("/api/workflows:execute?filterByTk={id}"),
            json!({}),
        );
        assert_eq!(st, 200, "{v}");
    }
    assert_eq!(planned(&s, id), []);
    // Deleting the runs does not lower the count (`stats.executed` is kept on the versions).
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/executions:destroy?filter={}", q(r#"{"key":"lim"}"#)),
        json!({}),
    );
    assert_eq!(st, 200, "{v}");
    assert!(runs_now(&s, "lim").is_empty());
    assert_eq!(planned(&s, id), []);
    // A new version of the key does not reset it.
    let (st, v) = s.post(
        &s.root(),
        &format!(
            "/api/workflows:revision?filterByTk={id}&filter={}",
            q(&json!({"key":"lim"}).to_string())
        ),
        json!({"enabled": true}),
    );
    assert_eq!(st, 200, "{v}");
    let v2 = v["data"]["id"].as_i64().expect("id");
    assert_eq!(planned(&s, v2), []);
    assert_eq!(planned(&s, id), []);
}

#[test]
fn disabling_or_deleting_unplans_and_restart_keeps_future_fires_only() {
    let s = Server::start();
    let off = schedule(
        &s,
        "off",
        json!({"mode":0,"startsOn":iso(now_ms() + 60_000)}),
        &[calc("c", "1")],
    );
    assert_eq!(planned(&s, off).len(), 1);
    s.ok(
        "POST",
        &format!("/api/workflows:update?filterByTk={off}"),
        Some(json!({"enabled": false})),
    );
    assert_eq!(planned(&s, off), []);
    let gone = schedule(
        &s,
        "gone",
        json!({"mode":0,"startsOn":iso(now_ms() + 60_000)}),
        &[calc("c", "1")],
    );
    assert_eq!(planned(&s, gone).len(), 1);
    s.ok(
        "POST",
        &format!("/api/workflows:destroy?filterByTk={gone}"),
        Some(json!({})),
    );
    assert_eq!(planned(&s, gone), []);
}

#[test]
fn restart_rebuilds_the_plan_without_replaying_missed_fires() {
    let mut s = Server::start();
    let base = second(now_ms());
    // A graceful stop waits for the HTTP connections (seconds): the later time is well after it.
    let later_at = base + 16_000;
    let later = schedule(
        &s,
        "later",
        json!({"mode":0,"startsOn":iso(later_at)}),
        &[calc("c", "1 + 1")],
    );
    let every = schedule(
        &s,
        "every",
        json!({"mode":0,"startsOn":iso(base - 60_000),"repeat":2000}),
        &[calc("c", "1")],
    );
    // Made last, just before the stop, so that its time comes while the server is down.
    let missed_at = second(now_ms()) + 4_000;
    let missed = schedule(
        &s,
        "missed",
        json!({"mode":0,"startsOn":iso(missed_at)}),
        &[calc("c", "1")],
    );
    assert_eq!(planned(&s, missed), [(None, missed_at)]);
    assert_eq!(planned(&s, later), [(None, later_at)]);
    // The stop ends the scheduler first.
    assert_eq!(s.stop(), 0);
    assert_eq!(
        runs_now_db(&s, "missed"),
        0,
        "the stop must begin before {missed_at} for this test to mean anything"
    );
    let fired_before = runs_now_db(&s, "every");
    // The missed time passes while no server runs (a wait for the clock, not for an event).
    while now_ms() < missed_at + 1_000 {
        std::thread::sleep(Duration::from_millis(50));
    }
    let restarted = now_ms();
    let s2 = s.restart_builder().start();
    // Rebuilt at start: the missed one is not replayed, the later one and the repeat are planned.
    assert_eq!(planned(&s2, missed), []);
    assert_eq!(planned(&s2, later), [(None, later_at)]);
    let next = planned(&s2, every);
    assert_eq!(next.len(), 1);
    assert!(
        next[0].1 >= second(restarted),
        "no repeat time from the downtime: {next:?}"
    );
    let list = wait_runs(&s2, "later", 1, 30);
    assert_eq!(date_of(&list[0]), later_at);
    assert_eq!(result_of(&list[0], "c"), json!(2));
    assert!(runs_now(&s2, "missed").is_empty());
    // The repeat's runs after the restart are all later than the restart: none replayed.
    let replayed: Vec<i64> = runs_now(&s2, "every")
        .iter()
        .skip(fired_before)
        .map(date_of)
        .filter(|d| *d < second(restarted))
        .collect();
    assert!(replayed.is_empty(), "replayed downtime fires: {replayed:?}");
}

/// Executions of `key` counted in the data folder (a stopped server answers no HTTP).
fn runs_now_db(s: &Server, key: &str) -> usize {
    s.db()
        .query_row(
            "SELECT COUNT(*) FROM executions WHERE key = ?1",
            [key],
            |r| r.get::<_, i64>(0),
        )
        .expect("count") as usize
}

#[test]
fn records_are_planned_within_the_window_as_the_clock_moves() {
    let s = Server::start();
    fixture(&s);
    let now = now_ms();
    let far = now + 20 * 60_000;
    let rec = create_item(&s, json!({"title":"far","amount":1,"dueAt":iso(far)}));
    let rid = rec["id"].as_i64();
    let id = schedule(
        &s,
        "win",
        json!({"mode":1,"collection":"tn_items","startsOn":{"field":"dueAt"}}),
        &[calc("c", "1")],
    );
    // Twenty minutes ahead is beyond the window (twice 5 minutes): not planned yet.
    assert_eq!(planned(&s, id), []);
    // The plan the store gives at later instants, computed without waiting for them.
    let plan_at = |at: i64| -> Vec<(Option<i64>, i64)> {
        let app = s.app();
        app.store
            .read(|c| flowgate::workflow::scheduler::compute_plan(app, c, at, &Default::default()))
            .expect("plan")
            .into_iter()
            .filter(|(t, _)| t.workflow == id)
            .map(|(t, due)| (t.record, due))
            .collect()
    };
    assert_eq!(plan_at(now), []);
    assert_eq!(plan_at(far - 9 * 60_000), [(rid, second(far))]);
    assert_eq!(plan_at(far - 1_000), [(rid, second(far))]);
    assert_eq!(plan_at(far + 1_000), [], "past, no repeat");
}
