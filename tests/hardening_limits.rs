//! Issue 11, limits that are limits: the password attempt limit counted before the hash and per user,
//! one verification per sign-in whatever the account, filter operands and terms within what SQLite takes,
//! API key lifetimes that cannot overflow, and bodies no deeper than the store reads back.
mod common;
#[path = "common/wf.rs"]
mod wf;

use std::time::Duration;

use common::*;
use wf::*;

fn sign_in_status(s: &Server, account: &str, password: &str) -> (u16, Value) {
    s.req("POST", "/api/auth:signIn")
        .json(json!({ "account": account, "password": password }))
}

/// 11.5: 40 parallel wrong guesses for one account: exactly 5 reach the hash (401), the rest are 429,
/// and then the right password is 429 too; another account from the same address still signs in.
#[test]
fn parallel_guesses_are_counted_before_the_hash() {
    let s = Server::start();
    s.user("victim", &["member"]);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|i| {
                scope.spawn({
                    let s = &s;
                    move || sign_in_status(s, "victim", &format!("wrong-{i}")).0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let count = |code: u16| statuses.iter().filter(|s| **s == code).count();
    assert_eq!((count(401), count(429)), (5, 35), "{statuses:?}");
    let (st, v) = sign_in_status(&s, "victim", &user_password("victim"));
    assert_eq!((st, code(&v)), (429, "TOO_MANY_ATTEMPTS"), "{v}");
    let (st, v) = sign_in_status(&s, "admin", ROOT_PASSWORD);
    assert_eq!(st, 200, "{v}");
}

/// 11.5: the username and the email of one user are one account for the limit.
#[test]
fn username_and_email_count_together() {
    let s = Server::start();
    let password = user_password("dual");
    s.ok("POST", "/api/users:create", Some(json!({"username": "dual", "email": "dual@example.com", "password": password, "roles": ["member"]})));
    for account in [
        "dual",
        "dual",
        "dual",
        "dual@example.com",
        "DUAL@example.com",
    ] {
        assert_eq!(
            sign_in_status(&s, account, "wrong-pass").0,
            401,
            "{account}"
        );
    }
    let r = s
        .req("POST", "/api/auth:signIn")
        .json_full(json!({"account": "dual", "password": password}));
    assert_eq!(
        (r.status, code(&r.body)),
        (429, "TOO_MANY_ATTEMPTS"),
        "{}",
        r.body
    );
    assert!(
        r.header("Retry-After")
            .is_some_and(|v| v.parse::<u64>().is_ok_and(|n| n > 0)),
        "Retry-After"
    );
}

/// 11.5: `auth:changePassword` guesses of the old password count like sign-ins: after 5, the right old
/// password is 429 and the stored hash has not changed.
#[test]
fn change_password_guesses_are_limited() {
    let s = Server::start();
    let token = s.user("changer", &["member"]);
    let hash = || {
        s.open_db()
            .query_row(
                "SELECT password FROM users WHERE username = 'changer'",
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap()
    };
    let before = hash();
    let change = |old: &str| {
        s.post(&token, "/api/auth:changePassword", json!({"oldPassword": old, "newPassword": "new-pass-1234", "confirmPassword": "new-pass-1234"}))
    };
    for i in 0..5 {
        let (st, v) = change(&format!("guess-{i}"));
        assert_eq!((st, code(&v)), (401, "INVALID_PASSWORD"), "{v}");
    }
    let (st, v) = change(&user_password("changer"));
    assert_eq!((st, code(&v)), (429, "TOO_MANY_ATTEMPTS"), "{v}");
    assert_eq!(
        message(&v),
        "Too many failed password attempts, please try again later"
    );
    assert_eq!(hash(), before, "the password did not change");
}

/// 11.5: every sign-in that reaches the check costs one argon2 verification — unknown account, known
/// account with an empty password, wrong or right password — so the answer's time tells accounts apart
/// no more than the answer does.
#[test]
fn every_sign_in_costs_one_verification() {
    let s = Server::start();
    s.user("known", &["member"]);
    let verifications = || s.app().hasher.verifications();
    for (account, password, want) in [
        ("nobody-here", "whatever-1", 401),
        ("known", "", 401),
        ("known", "wrong-pass", 401),
        ("known", &user_password("known") as &str, 200),
    ] {
        let before = verifications();
        assert_eq!(
            sign_in_status(&s, account, password).0,
            want,
            "{account}/{password:?}"
        );
        assert_eq!(verifications() - before, 1, "{account} with {password:?}");
    }
}

fn samples_with_rows(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "samples", "fields": [{"name": "title", "type": "string"}]})),
    );
    for t in ["a", "b"] {
        s.ok("POST", "/api/samples:create", Some(json!({"title": t})));
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn titles(s: &Server) -> Vec<String> {
    let rows = s.ok("GET", "/api/samples:list?sort=id&paginate=false", None);
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap_or("").to_string())
        .collect()
}

/// 11.6: a LIKE-family operand over 10,000 characters is `400 INVALID_FILTER` naming the limit on list,
/// update and destroy (SQLite refused patterns over 50,000 bytes with a 500), and changes nothing.
#[test]
fn long_patterns_are_refused_with_the_limit() {
    let s = Server::start();
    samples_with_rows(&s);
    let root = s.root();
    let long = "x".repeat(10_001);
    for op in [
        "$includes",
        "$notIncludes",
        "$like",
        "$startsWith",
        "$endsWith",
    ] {
        let f = enc(&json!({ "title": { op: long } }).to_string());
        let want = format!("Invalid filter: {op} takes at most 10000 characters");
        for (method, path) in [
            ("GET", format!("/api/samples:list?filter={f}")),
            ("POST", format!("/api/samples:update?filter={f}")),
            ("POST", format!("/api/samples:destroy?filter={f}")),
        ] {
            let (st, v) = s.call(
                &root,
                method,
                &path,
                (method == "POST").then(|| json!({"title": "changed"})),
            );
            assert_eq!(
                (st, code(&v), message(&v)),
                (400, "INVALID_FILTER", want.as_str()),
                "{method} {op}: {}",
                &path[..60]
            );
        }
    }
    assert_eq!(titles(&s), ["a", "b"]);
    // At the limit the pattern runs (four-byte characters at the limit: operators' unit tests).
    let f = enc(&json!({ "title": { "$includes": "x".repeat(10_000) } }).to_string());
    assert_eq!(
        s.ok("GET", &format!("/api/samples:list?filter={f}"), None),
        json!([])
    );
}

/// 11.6: an `$or` or `$and` of 1,000 terms (past SQLite's expression depth when chained) works on list,
/// update and destroy; more than 10,000 bound values is `400` naming the limit.
#[test]
fn long_logical_filters_work_and_values_are_capped() {
    let s = Server::start();
    samples_with_rows(&s);
    let root = s.root();
    let mut terms: Vec<Value> = (0..999).map(|i| json!({"id": -i - 10})).collect();
    terms.push(json!({"title": "a"}));
    let or = enc(&json!({ "$or": terms }).to_string());
    let listed = s.ok("GET", &format!("/api/samples:list?filter={or}"), None);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let and = enc(
        &json!({ "$and": (0..1000).map(|i| json!({"id": {"$ne": -i - 10}})).collect::<Vec<_>>() })
            .to_string(),
    );
    assert_eq!(
        s.ok("GET", &format!("/api/samples:list?filter={and}"), None)
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let (st, v) = s.post(
        &root,
        &format!("/api/samples:update?filter={or}"),
        json!({"title": "A"}),
    );
    assert_eq!(
        (st, v["data"].as_array().map(Vec::len)),
        (200, Some(1)),
        "{v}"
    );
    let (st, v) = s.post(
        &root,
        &format!("/api/samples:destroy?filter={or}"),
        json!({}),
    );
    assert_eq!(
        (st, &v["data"]),
        (200, &json!(0)),
        "nothing is titled a any more: {v}"
    );
    assert_eq!(titles(&s), ["A", "b"]);

    // (Each value short: the URL must stay under the server's 64 KiB request line.)
    let many = json!({ "$or": [{ "id": { "$in": vec![1; 5_001] } }, { "id": { "$in": vec![2; 5_000] } }] });
    let (st, v) = s.post(
        &root,
        &format!("/api/samples:destroy?filter={}", enc(&many.to_string())),
        json!({}),
    );
    assert_eq!(
        (st, code(&v), message(&v)),
        (
            400,
            "INVALID_FILTER",
            "Invalid filter: a filter may hold at most 10000 values"
        )
    );
    assert_eq!(titles(&s), ["A", "b"]);
}

/// 11.7: `expiresIn` ending in a multi-byte character is a 400, not a panic; lifetimes past 100 years are
/// refused with the limit instead of overflowing into the past or tomorrow; no key is stored.
#[test]
fn api_key_lifetimes_are_checked() {
    let s = Server::start();
    let root = s.root();
    let create = |e: &str| {
        s.post(
            &root,
            "/api/apiKeys:create",
            json!({"name": "k", "role": "root", "expiresIn": e}),
        )
    };
    for e in ["1é", "5日", "🙂", "1w", "0d"] {
        let (st, v) = create(e);
        assert_eq!(
            (st, code(&v), message(&v)),
            (
                400,
                "INVALID_VALUE",
                "expiresIn must be <n>h, <n>d or never"
            ),
            "{e}"
        );
    }
    for (e, limit) in [
        ("106751991167301d", "36500d"),
        ("36501d", "36500d"),
        ("9223372036854775807h", "876000h"),
    ] {
        let (st, v) = create(e);
        assert_eq!(
            (st, message(&v)),
            (
                400,
                format!("expiresIn is at most {limit} (100 years), or never").as_str()
            ),
            "{e}"
        );
    }
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM tokens WHERE kind = 'api_key'"),
        0,
        "no key stored"
    );
    let (st, v) = create("36500d");
    assert_eq!(st, 200, "{v}");
    let year: i64 = v["data"]["expiresAt"].as_str().unwrap()[..4]
        .parse()
        .unwrap();
    let now: i64 = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
    assert!(
        (now + 99..=now + 100).contains(&year),
        "expires in 100 years: {v}"
    );
}

fn nested(levels: usize) -> Value {
    (1..levels).fold(json!({"leaf": 1}), |inner, _| json!({ "n": inner }))
}

/// 11.8: a body nested deeper than 64 levels is `400 INVALID_JSON` naming the limit and starts nothing;
/// at 64 levels the execution's context reads back whole from `executions:get` and `:list`, and the async
/// run sees it.
#[test]
fn bodies_nest_no_deeper_than_the_store_reads_back() {
    let s = Server::start();
    global(&s, "deep_sync", true);
    let wid = global(&s, "deep_async", false);
    node(&s, wid, calc("leaf", "1"));
    for levels in [65, 127] {
        let (st, v) = trigger(&s, "deep_sync", nested(levels));
        assert_eq!(
            (st, code(&v), message(&v)),
            (
                400,
                "INVALID_JSON",
                "Request body nests deeper than 64 levels"
            ),
            "{levels}"
        );
    }
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM executions"),
        0,
        "nothing ran"
    );

    let body = nested(64);
    let (st, v) = trigger(&s, "deep_sync", body.clone());
    assert_eq!(st, 200, "{v}");
    let id = execution_id(&v);
    assert_eq!(
        s.ok("GET", &format!("/api/executions:get/{id}"), None)["context"]["data"],
        body
    );
    let listed = s.ok("GET", "/api/executions:list?paginate=false", None);
    assert_eq!(
        listed[0]["context"]["data"], body,
        "the list reads the context as JSON too"
    );

    let queued = enqueue(&s, "deep_async", body.clone());
    let e = wait_final(&s, queued, Duration::from_secs(10));
    assert_eq!(
        (e["status"].clone(), e["context"]["data"].clone()),
        (json!(1), body)
    );
}
