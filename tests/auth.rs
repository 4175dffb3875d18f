//! auth.md: root bootstrap, sign-in, tokens and every 401, the rate limit, users, roles, the ACL of
//! system resources, and API keys — against the real binary. Cases that need a user collection live in
//! acl_records.rs.
mod common;
use common::*;
use std::time::Duration;

const EXPIRED: &str = "Your session has expired. Please sign in again.";
const EMPTY: &str = "Unauthenticated. Please sign in to continue.";
const BAD_CREDENTIALS: &str = "The username/email or password is incorrect, please re-enter";
const NO_PERMISSIONS: (u16, &str, &str) = (403, "NO_PERMISSIONS", "No permissions");
const USER_FIELDS: [&str; 6] = [
    "id",
    "username",
    "email",
    "nickname",
    "createdAt",
    "updatedAt",
];

fn sign_in_raw(s: &Server, body: Value) -> (u16, Value) {
    s.req("POST", "/api/auth:signIn").json(body)
}

#[track_caller]
fn denied(got: (u16, Value)) {
    assert_err(got, NO_PERMISSIONS.0, NO_PERMISSIONS.1, NO_PERMISSIONS.2);
}

/// auth.md case 1 and the second half of case 2.
#[test]
fn first_start_prints_a_generated_root_password_once() {
    let mut s = Server::builder().spawned().no_root_password().start();
    let out = s.stdout_text();
    assert!(
        out.contains("root user: admin@flowgate.local (username admin)"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.starts_with("root password: "))
        .expect("a root password line");
    let pw = line["root password: ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(pw.len(), 20, "{line}");
    assert!(pw.chars().all(|c| c.is_ascii_alphanumeric()), "{pw}");
    assert_eq!(
        out.matches(pw.as_str()).count(),
        1,
        "the password is printed once: {out}"
    );

    let (st, v) = sign_in_raw(&s, json!({"account": "admin", "password": pw}));
    assert_eq!(st, 200, "{v}");
    let token = v["data"]["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("fgs_") && token.len() == 47, "{token}");
    assert_eq!(keys(&v["data"]), ["token", "user"]);
    let user = &v["data"]["user"];
    assert_eq!(keys(user), USER_FIELDS, "no password in {user}");
    assert_eq!(user["id"], 1);
    assert_eq!(user["username"], "admin");
    assert_eq!(user["email"], "admin@flowgate.local");
    assert_eq!(user["nickname"], "Super Admin");
    assert!(
        is_iso_ms(&user["createdAt"]) && is_iso_ms(&user["updatedAt"]),
        "{user}"
    );
    assert_eq!(s.stop(), 0, "SIGTERM → exit 0");

    // A later start never touches credentials, even with FLOWGATE_ROOT_PASSWORD set (the harness sets it).
    let s2 = s.restart_builder().start();
    let out = s2.stdout_text();
    assert!(out.contains("root password: (set at first start)"), "{out}");
    assert!(!out.contains(pw.as_str()), "{out}");
    assert_err(
        sign_in_raw(&s2, json!({"account": "admin", "password": ROOT_PASSWORD})),
        401,
        "INVALID_CREDENTIALS",
        BAD_CREDENTIALS,
    );
    assert_eq!(
        sign_in_raw(&s2, json!({"account": "admin", "password": pw})).0,
        200
    );
    // Tokens live in the store: the one issued before the restart still works.
    let (st, v) = s2.get(&token, "/api/auth:check");
    assert_eq!((st, &v["data"]["id"]), (200, &json!(1)), "{v}");
}

/// auth.md case 3.
#[test]
fn sign_in_errors_and_account_forms() {
    let s = Server::start();
    let required = |got| {
        assert_err(
            got,
            400,
            "ACCOUNT_REQUIRED",
            "Please enter your username or email",
        )
    };
    required(sign_in_raw(&s, json!({})));
    required(sign_in_raw(
        &s,
        json!({"account": "  ", "password": ROOT_PASSWORD}),
    ));
    required(s.req("POST", "/api/auth:signIn").send());
    let bad = |got| assert_err(got, 401, "INVALID_CREDENTIALS", BAD_CREDENTIALS);
    bad(sign_in_raw(
        &s,
        json!({"account": "nobody", "password": ROOT_PASSWORD}),
    ));
    bad(sign_in_raw(
        &s,
        json!({"account": "admin", "password": "wrong-password"}),
    ));
    bad(sign_in_raw(&s, json!({"account": "admin"})));
    bad(sign_in_raw(&s, json!({"account": "admin", "password": ""})));

    // A public action ignores whatever authentication headers come with it.
    let (st, _) = s
        .req("POST", "/api/auth:signIn")
        .bearer("garbage")
        .header("X-Role", "nope")
        .json(json!({"account": "admin", "password": ROOT_PASSWORD}));
    assert_eq!(st, 200);
    assert_eq!(
        s.req("GET", "/api/health")
            .header("Authorization", "Basic xyz")
            .send()
            .0,
        200
    );

    let mut tokens = Vec::new();
    for body in [
        json!({"email": "ADMIN@flowgate.local", "password": ROOT_PASSWORD}),
        json!({"username": "admin", "password": ROOT_PASSWORD}),
        json!({"account": "Admin", "password": ROOT_PASSWORD}),
        json!({"account": "admin@FLOWGATE.local", "password": ROOT_PASSWORD}),
    ] {
        let (st, v) = sign_in_raw(&s, body.clone());
        assert_eq!(st, 200, "{body} → {v}");
        assert_eq!(v["data"]["user"]["id"], 1);
        assert!(v["data"]["user"].get("password").is_none());
        tokens.push(v["data"]["token"].as_str().unwrap().to_string());
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 4, "every sign-in issues its own token");
    // A success cleared admin's 3 failures: 4 more still leave the right password working.
    for _ in 0..4 {
        bad(sign_in_raw(
            &s,
            json!({"account": "admin", "password": "wrong-password"}),
        ));
    }
    assert_eq!(
        sign_in_raw(&s, json!({"account": "admin", "password": ROOT_PASSWORD})).0,
        200
    );
}

/// auth.md case 4: five failures lock the account even for the right password; the IP limit is 20.
#[test]
fn sign_in_rate_limit() {
    let s = Server::start();
    s.user("other", &["member"]);
    let bad = |got| assert_err(got, 401, "INVALID_CREDENTIALS", BAD_CREDENTIALS);
    for _ in 0..5 {
        bad(sign_in_raw(
            &s,
            json!({"account": "admin", "password": "wrong-password"}),
        ));
    }
    let too_many = |r: Resp| {
        assert_err(
            (r.status, r.body.clone()),
            429,
            "TOO_MANY_ATTEMPTS",
            "Too many failed sign-in attempts, please try again later",
        );
        let secs: u64 = r
            .header("Retry-After")
            .expect("Retry-After")
            .parse()
            .expect("seconds");
        assert!((1..=900).contains(&secs), "Retry-After {secs}");
    };
    too_many(
        s.req("POST", "/api/auth:signIn")
            .json_full(json!({"account": "admin", "password": ROOT_PASSWORD})),
    );
    too_many(
        s.req("POST", "/api/auth:signIn")
            .json_full(json!({"account": "ADMIN", "password": ROOT_PASSWORD})),
    );
    // Another account from the same IP still signs in.
    s.sign_in("other", &user_password("other"));
    // 15 more failures make 20 from this IP: now every account of the IP is refused.
    for i in 0..15 {
        bad(sign_in_raw(
            &s,
            json!({"account": format!("ghost{i}"), "password": "wrong-password"}),
        ));
    }
    too_many(
        s.req("POST", "/api/auth:signIn")
            .json_full(json!({"account": "other", "password": user_password("other")})),
    );
}

/// auth.md cases 5 and 6 (all but expiry) and http.md case 9 (X-Authenticator).
#[test]
fn check_and_every_token_failure() {
    let s = Server::start();
    let root = s.root();
    let (st, v) = s.get(&root, "/api/auth:check");
    assert_eq!(st, 200, "{v}");
    let d = &v["data"];
    assert_eq!(
        keys(d),
        [
            "id",
            "username",
            "email",
            "nickname",
            "createdAt",
            "updatedAt",
            "roles"
        ]
    );
    assert_eq!(d["id"], 1);
    assert_eq!(
        d["roles"],
        json!([{"name":"root","title":"Root"},{"name":"admin","title":"Admin"},{"name":"member","title":"Member"}])
    );
    assert_eq!(s.call(&root, "POST", "/api/auth:check", None).0, 200);

    // ?token=, and the header winning over it.
    let (st, v) = s
        .req("GET", &format!("/api/auth:check?token={root}"))
        .send();
    assert_eq!((st, &v["data"]["id"]), (200, &json!(1)), "{v}");
    let (st, _) = s
        .req("GET", "/api/auth:check?token=garbage")
        .bearer(&root)
        .send();
    assert_eq!(st, 200, "good header + bad query token");
    assert_err(
        s.req("GET", &format!("/api/auth:check?token={root}"))
            .bearer("garbage")
            .send(),
        401,
        "INVALID_TOKEN",
        EXPIRED,
    );
    for scheme in ["bearer", "BEARER"] {
        let (st, _) = s
            .req("GET", "/api/auth:check")
            .header("Authorization", &format!("{scheme} {root}"))
            .send();
        assert_eq!(st, 200, "scheme {scheme} is case-insensitive");
    }

    let empty = |got| assert_err(got, 401, "EMPTY_TOKEN", EMPTY);
    empty(s.req("GET", "/api/auth:check").send());
    empty(s.req("GET", "/api/auth:check?token=").send());
    empty(
        s.req("GET", "/api/auth:check")
            .header("Authorization", "Bearer ")
            .send(),
    );
    let invalid = |got| assert_err(got, 401, "INVALID_TOKEN", EXPIRED);
    invalid(s.req("GET", "/api/auth:check").bearer("garbage").send());
    invalid(
        s.req("GET", "/api/auth:check")
            .header("Authorization", "Basic xyz")
            .send(),
    );
    invalid(
        s.req("GET", "/api/auth:check")
            .header("Authorization", &format!("Basic {root}"))
            .send(),
    );
    invalid(
        s.req("GET", "/api/auth:check")
            .bearer(&format!("fgs_{}", "A".repeat(43)))
            .send(),
    );
    invalid(
        s.req("GET", "/api/auth:check")
            .bearer(&format!("fgk_{}", "A".repeat(43)))
            .send(),
    );
    invalid(
        s.req("GET", "/api/auth:check")
            .bearer(&format!("{root}x"))
            .send(),
    );

    // X-Authenticator is checked first, before the token.
    let sms = |got| {
        assert_err(
            got,
            401,
            "AUTHENTICATOR_NOT_FOUND",
            "Authenticator \"sms\" not found",
        )
    };
    sms(s
        .req("GET", "/api/auth:check")
        .header("X-Authenticator", "sms")
        .bearer(&root)
        .send());
    sms(s
        .req("GET", "/api/auth:check")
        .header("X-Authenticator", "sms")
        .send());
    assert_eq!(
        s.req("GET", "/api/auth:check")
            .header("X-Authenticator", "basic")
            .bearer(&root)
            .send()
            .0,
        200
    );

    // Sign-out revokes only the token used.
    let t2 = s.sign_in("admin", ROOT_PASSWORD);
    assert_eq!(
        s.call(&t2, "POST", "/api/auth:signOut", None),
        (200, json!({}))
    );
    assert_err(s.get(&t2, "/api/auth:check"), 401, "BLOCKED_TOKEN", EXPIRED);
    assert_err(
        s.call(&t2, "POST", "/api/auth:signOut", None),
        401,
        "BLOCKED_TOKEN",
        EXPIRED,
    );
    assert_err(
        s.req("GET", &format!("/api/users:list?token={t2}")).send(),
        401,
        "BLOCKED_TOKEN",
        EXPIRED,
    );
    assert_eq!(
        s.get(&root, "/api/auth:check").0,
        200,
        "other tokens survive a sign-out"
    );
}

/// auth.md case 6: with `--token-ttl 1h`, a sign-in token is refused once the clock passed the hour (and
/// not a millisecond before); API keys have their own expiry.
#[test]
fn expired_session() {
    let s = Server::builder()
        .clock()
        .arg("--token-ttl")
        .arg("1h")
        .start();
    let root = s.root();
    assert_eq!(s.get(&root, "/api/auth:check").0, 200);
    let (st, v) = s.post(
        &root,
        "/api/apiKeys:create",
        json!({"name": "k", "role": "root", "expiresIn": "1d"}),
    );
    assert_eq!(st, 200, "{v}");
    let key = v["data"]["token"].as_str().unwrap().to_string();
    let signed_out = s.sign_in("admin", ROOT_PASSWORD);
    assert_eq!(
        s.call(&signed_out, "POST", "/api/auth:signOut", None).0,
        200
    );
    s.advance_clock(Duration::from_secs(3500));
    assert_eq!(
        s.get(&root, "/api/auth:check").0,
        200,
        "still valid 100 s before the hour"
    );
    s.advance_clock(Duration::from_secs(101));
    assert_err(
        s.get(&root, "/api/auth:check"),
        401,
        "EXPIRED_SESSION",
        EXPIRED,
    );
    assert_err(
        s.get(&signed_out, "/api/auth:check"),
        401,
        "BLOCKED_TOKEN",
        EXPIRED,
    ); // revocation is checked first
    assert_err(
        s.req("GET", &format!("/api/auth:check?token={root}"))
            .send(),
        401,
        "EXPIRED_SESSION",
        EXPIRED,
    );
    assert_eq!(
        s.get(&key, "/api/auth:check").0,
        200,
        "--token-ttl is for sign-in tokens only"
    );
    s.advance_clock(Duration::from_secs(86_400));
    assert_err(
        s.get(&key, "/api/auth:check"),
        401,
        "EXPIRED_SESSION",
        EXPIRED,
    );
    let fresh = s.sign_in("admin", ROOT_PASSWORD);
    assert_eq!(
        s.get(&fresh, "/api/auth:check").0,
        200,
        "a token signed in after the jump lives its hour"
    );
}

/// auth.md case 7, and a password set through users:update.
#[test]
fn change_password_revokes_sign_in_tokens() {
    let s = Server::start();
    let t = s.user("cp", &["member"]);
    let old = user_password("cp");
    let t2 = s.sign_in("cp", &old);
    let (_, v) = s.post(
        &t,
        "/api/apiKeys:create",
        json!({"name": "k", "role": "member", "expiresIn": "never"}),
    );
    let key = v["data"]["token"].as_str().expect("api key").to_string();
    let change = |tok: &str, o: &str, n: &str, c: &str| {
        s.post(
            tok,
            "/api/auth:changePassword",
            json!({"oldPassword": o, "newPassword": n, "confirmPassword": c}),
        )
    };

    assert_err(
        change(&t, &old, "new-pass-5678", "new-pass-5679"),
        400,
        "PASSWORD_MISMATCH",
        "The password is inconsistent, please re-enter",
    );
    assert_err(
        change(&t, "not-the-password", "new-pass-5678", "new-pass-5678"),
        401,
        "INVALID_PASSWORD",
        "The password is incorrect, please re-enter",
    );
    assert_err(
        change(&t, &old, "short", "short"),
        400,
        "INVALID_VALUE",
        "Password must be at least 8 characters",
    );
    denied(change(&key, &old, "new-pass-5678", "new-pass-5678"));
    assert_eq!(
        s.get(&t, "/api/auth:check").0,
        200,
        "failed attempts change nothing"
    );

    let (st, v) = change(&t, &old, "new-pass-5678", "new-pass-5678");
    assert_eq!(st, 200, "{v}");
    assert_eq!(keys(&v["data"]), USER_FIELDS);
    assert_eq!(v["data"]["username"], "cp");
    let changed = |tok: &str| {
        assert_err(
            s.get(tok, "/api/auth:check"),
            401,
            "INVALID_TOKEN",
            "User password changed, please signin again.",
        )
    };
    changed(&t);
    changed(&t2);
    assert_eq!(
        s.get(&key, "/api/auth:check").0,
        200,
        "API keys survive a password change"
    );
    assert_err(
        sign_in_raw(&s, json!({"account": "cp", "password": old})),
        401,
        "INVALID_CREDENTIALS",
        BAD_CREDENTIALS,
    );
    let t3 = s.sign_in("cp", "new-pass-5678");

    // users:update with a password does the same.
    let id = v["data"]["id"].as_i64().unwrap();
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/users:update/{id}"),
        json!({"password": "reset-pass-1234"}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"][0]["id"], id);
    changed(&t3);
    s.sign_in("cp", "reset-pass-1234");
    assert_err(
        s.post(
            &s.root(),
            &format!("/api/users:update/{id}"),
            json!({"password": "123"}),
        ),
        400,
        "INVALID_VALUE",
        "Password must be at least 8 characters",
    );
}

/// auth.md cases 8, 9 and 12.
#[test]
fn users_api() {
    let s = Server::start();
    let root = s.root();
    let (st, v) = s.post(
        &root,
        "/api/users:create",
        json!({"username": "m1", "password": "member-pass"}),
    );
    assert_eq!(st, 200, "{v}");
    let m1 = &v["data"];
    assert_eq!(keys(m1), USER_FIELDS, "no password in {m1}");
    assert_eq!(
        (&m1["username"], &m1["email"], &m1["nickname"]),
        (&json!("m1"), &Value::Null, &Value::Null)
    );
    assert!(is_iso_ms(&m1["createdAt"]));
    let id = m1["id"].as_i64().unwrap();
    assert_eq!(id, 2, "ids ascend from root's 1");

    let (st, v) = s.get(&root, &format!("/api/users:get/{id}?appends=roles"));
    assert_eq!(st, 200);
    assert_eq!(
        v["data"]["roles"],
        json!([{"name": "member", "title": "Member"}])
    );
    let (_, v) = s.get(&root, &format!("/api/users:get/{id}"));
    assert_eq!(keys(&v["data"]), USER_FIELDS);
    assert_eq!(
        s.get(&root, "/api/users:get/999"),
        (200, json!({"data": null}))
    );

    let create = |body: Value| s.post(&root, "/api/users:create", body);
    assert_err(
        create(json!({"username": "M1", "password": "member-pass"})),
        400,
        "CONSTRAINT_VIOLATION",
        "username must be unique",
    );
    assert_err(
        create(json!({"username": "m2", "password": "123"})),
        400,
        "INVALID_VALUE",
        "Password must be at least 8 characters",
    );
    assert_err(
        create(json!({"password": "member-pass"})),
        400,
        "ACCOUNT_REQUIRED",
        "Please enter your username or email",
    );
    assert_err(
        create(json!({"username": "m2", "password": "member-pass", "roles": ["nope"]})),
        400,
        "INVALID_VALUE",
        "Role \"nope\" does not exist",
    );
    for bad in ["a b", "a@b", &"x".repeat(51)] {
        let (st, v) = create(json!({"username": bad, "password": "member-pass"}));
        assert_eq!(
            (st, code(&v)),
            (400, "INVALID_VALUE"),
            "username {bad:?}: {v}"
        );
    }
    for bad in ["no-at-sign", "two@@x.test", "a@b@c"] {
        let (st, v) = create(json!({"email": bad, "password": "member-pass"}));
        assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "email {bad:?}: {v}");
    }
    assert_eq!(
        create(json!({"email": "E1@x.test", "password": "member-pass"})).0,
        200
    );
    assert_err(
        create(json!({"email": "e1@X.TEST", "password": "member-pass"})),
        400,
        "CONSTRAINT_VIOLATION",
        "email must be unique",
    );
    let (st, v) = create(
        json!({"username": "both", "password": "member-pass", "roles": [{"name": "admin"}, "member"]}),
    );
    assert_eq!(st, 200, "{v}");
    let (_, v) = s.get(
        &root,
        &format!("/api/users:get/{}?appends=roles", v["data"]["id"]),
    );
    assert_eq!(
        v["data"]["roles"],
        json!([{"name": "admin", "title": "Admin"}, {"name": "member", "title": "Member"}])
    );
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM users"),
        4,
        "failed creates stored nothing"
    );

    // list, pagination
    let (st, v) = s.get(&root, "/api/users:list?appends=roles");
    assert_eq!(st, 200);
    assert_eq!(v["data"].as_array().unwrap().len(), 4);
    assert_eq!(
        v["meta"],
        json!({"count": 4, "page": 1, "pageSize": 20, "totalPage": 1})
    );
    assert_eq!(v["data"][0]["roles"][0]["name"], "root");
    let (_, v) = s.get(&root, "/api/users:list?page=2&pageSize=3");
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["meta"],
        json!({"count": 4, "page": 2, "pageSize": 3, "totalPage": 2})
    );
    let (_, v) = s.get(&root, "/api/users:list?paginate=false");
    assert!(
        v.get("meta").is_none() && v["data"].as_array().unwrap().len() == 4,
        "{v}"
    );

    // update
    let (st, v) = s.post(
        &root,
        &format!("/api/users:update/{id}"),
        json!({"nickname": "Em"}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(v["data"][0]["nickname"], "Em");
    assert_err(
        s.post(
            &root,
            &format!("/api/users:update/{id}"),
            json!({"username": "BOTH"}),
        ),
        400,
        "CONSTRAINT_VIOLATION",
        "username must be unique",
    );
    assert_eq!(
        s.post(&root, "/api/users:update/999", json!({"nickname": "x"})),
        (200, json!({"data": []}))
    );

    // case 9: no roles
    let (st, _) = create(json!({"username": "noroles", "password": "member-pass", "roles": []}));
    assert_eq!(st, 200);
    let nr = s.sign_in("noroles", "member-pass");
    let no_roles = |got| {
        assert_err(
            got,
            401,
            "USER_HAS_NO_ROLES_ERR",
            "The current user has no roles. Please try another account.",
        )
    };
    no_roles(s.get(&nr, "/api/auth:check"));
    no_roles(s.get(&nr, "/api/apiKeys:list"));
    no_roles(
        s.req("GET", "/api/auth:check")
            .bearer(&nr)
            .header("X-Role", "admin")
            .send(),
    ); // before the role check

    // case 12: a deleted user's token
    let t = s.sign_in("m1", "member-pass");
    assert_eq!(
        s.call(&root, "POST", &format!("/api/users:destroy/{id}"), None),
        (200, json!({"data": 1}))
    );
    assert_err(
        s.get(&t, "/api/auth:check"),
        401,
        "NOT_EXIST_USER",
        "User not found. Please sign in again to continue.",
    );
    assert_err(
        s.req("GET", "/api/auth:check")
            .bearer(&t)
            .header("X-Role", "nope")
            .send(),
        401,
        "NOT_EXIST_USER",
        "User not found. Please sign in again to continue.",
    );
    assert_err(
        sign_in_raw(&s, json!({"account": "m1", "password": "member-pass"})),
        401,
        "INVALID_CREDENTIALS",
        BAD_CREDENTIALS,
    );
    assert_eq!(
        s.db_i64(&format!(
            "SELECT COUNT(*) FROM fg_user_roles WHERE userId = {id}"
        )),
        0,
        "roles cascade (foreign_keys=ON)"
    );
    assert_eq!(
        s.call(&root, "DELETE", &format!("/api/users/{id}"), None),
        (200, json!({"data": 0}))
    );
}

/// auth.md cases 10 and 11: role selection and who may manage users and roles.
#[test]
fn role_selection_and_management_permissions() {
    let s = Server::start();
    let root = s.root();
    let m = s.user("m", &["member"]);
    let a = s.user("a", &["admin"]);
    let both = s.user("both", &["member", "admin"]);
    let (_, v) = s.get(&m, "/api/auth:check");
    let m_id = v["data"]["id"].as_i64().unwrap();

    // case 10
    let role_not_found = |got| {
        assert_err(
            got,
            401,
            "ROLE_NOT_FOUND_FOR_USER",
            "The role does not belong to the user",
        )
    };
    for role in ["admin", "root", "__union__", "anonymous", "nope"] {
        role_not_found(
            s.req("GET", "/api/auth:check")
                .bearer(&m)
                .header("X-Role", role)
                .send(),
        );
    }
    assert_eq!(
        s.req("GET", "/api/auth:check")
            .bearer(&m)
            .header("X-Role", "member")
            .send()
            .0,
        200
    );
    assert_eq!(
        s.get(&m, "/api/auth:check").0,
        200,
        "no X-Role: the default role"
    );
    denied(s.get(&m, "/api/users:list"));
    denied(s.get(&both, "/api/users:list")); // first assigned role (member) is the default
    assert_eq!(
        s.req("GET", "/api/users:list")
            .bearer(&both)
            .header("X-Role", "admin")
            .send()
            .0,
        200
    );
    denied(
        s.req("GET", "/api/users:list")
            .bearer(&root)
            .header("X-Role", "member")
            .send(),
    ); // only the current role counts
       // logged-in actions need no permission
    assert_eq!(s.get(&m, "/api/apiKeys:list").0, 200);

    // case 11
    assert_eq!(
        s.get(&m, "/api/users:list"),
        (
            403,
            json!({"errors": [{"message": "No permissions", "code": "NO_PERMISSIONS"}]})
        )
    );
    denied(s.get(&m, "/api/roles:list"));
    denied(s.post(
        &m,
        "/api/users:create",
        json!({"username": "x", "password": "member-pass"}),
    ));
    assert_eq!(s.get(&a, "/api/users:list").0, 200);
    assert_eq!(s.get(&a, "/api/roles:list").0, 200);
    denied(s.post(
        &a,
        "/api/users:create",
        json!({"username": "r2", "password": "member-pass", "roles": ["root"]}),
    ));
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM users WHERE username = 'r2'"),
        0
    );
    assert_eq!(
        s.post(
            &a,
            "/api/users:create",
            json!({"username": "made_by_admin", "password": "member-pass"})
        )
        .0,
        200
    );
    denied(s.post(
        &a,
        &format!("/api/users:update/{m_id}"),
        json!({"roles": ["root"]}),
    ));
    let (st, v) = s.post(
        &a,
        &format!("/api/users:update/{m_id}"),
        json!({"nickname": "by admin"}),
    );
    assert_eq!(
        (st, &v["data"][0]["nickname"]),
        (200, &json!("by admin")),
        "{v}"
    );
    denied(s.post(&a, "/api/users:update/1", json!({"nickname": "x"})));
    denied(s.call(&a, "POST", "/api/users:destroy/1", None));
    let (_, v) = s.get(&a, "/api/auth:check");
    let a_id = v["data"]["id"].as_i64().unwrap();
    assert_err(
        s.call(&a, "POST", &format!("/api/users:destroy/{a_id}"), None),
        400,
        "PROTECTED_RESOURCE",
        "You can not delete your own account",
    );

    assert_err(
        s.call(&root, "POST", "/api/users:destroy/1", None),
        400,
        "PROTECTED_RESOURCE",
        "You can not delete your own account",
    );
    assert_err(
        s.post(&root, "/api/users:update/1", json!({"roles": ["admin"]})),
        400,
        "PROTECTED_RESOURCE",
        "At least one user must keep the root role",
    );
    for r in ["root", "admin", "member"] {
        assert_err(
            s.call(&root, "POST", &format!("/api/roles:destroy/{r}"), None),
            400,
            "PROTECTED_RESOURCE",
            &format!("Built-in role \"{r}\" can not be deleted"),
        );
    }
    assert_err(
        s.post(&root, "/api/roles:update/root", json!({"title": "X"})),
        400,
        "PROTECTED_RESOURCE",
        "Role \"root\" can not be changed",
    );

    // Root may give root and take it from a non-last root user.
    let (st, v) = s.post(
        &root,
        "/api/users:create",
        json!({"username": "r2", "password": "member-pass", "roles": ["root"]}),
    );
    assert_eq!(st, 200, "{v}");
    let r2 = v["data"]["id"].as_i64().unwrap();
    denied(s.call(&a, "POST", &format!("/api/users:destroy/{r2}"), None));
    let (st, v) = s.post(
        &root,
        &format!("/api/users:update/{r2}?appends=roles"),
        json!({"roles": ["member"]}),
    );
    assert_eq!(
        (st, &v["data"][0]["roles"]),
        (200, &json!([{"name": "member", "title": "Member"}])),
        "{v}"
    );
    assert_eq!(
        s.call(&a, "POST", &format!("/api/users:destroy/{r2}"), None),
        (200, json!({"data": 1}))
    );
}

/// auth.md §8: the roles API, built-in roles, role-resource configs that need no collection.
#[test]
fn roles_api() {
    let s = Server::start();
    let root = s.root();
    let (st, v) = s.get(&root, "/api/roles:list");
    assert_eq!(st, 200);
    let by_name = |n: &str| {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let admin = by_name("admin");
    assert_eq!(
        admin["strategy"],
        json!({"actions": ["create", "view", "update", "destroy", "trigger", "triggerNew"]})
    );
    assert_eq!(
        (&admin["snippets"], &admin["default"]),
        (&json!(["pm.*"]), &json!(false))
    );
    let member = by_name("member");
    assert_eq!(member["strategy"], json!({"actions": ["view:own"]}));
    assert_eq!(
        (&member["snippets"], &member["default"]),
        (&json!(["!pm.*"]), &json!(true))
    );
    assert_eq!(by_name("root")["name"], "root");
    assert_eq!(v["meta"]["count"], 3);

    let (st, v) = s.post(&root, "/api/roles:create", json!({"name": "editor", "title": "Editor", "strategy": {"actions": ["view", "update:own"]}}));
    assert_eq!(st, 200, "{v}");
    let d = &v["data"];
    assert_eq!(
        (&d["name"], &d["title"], &d["default"]),
        (&json!("editor"), &json!("Editor"), &json!(false))
    );
    assert_eq!(
        (&d["strategy"], &d["snippets"]),
        (&json!({"actions": ["view", "update:own"]}), &json!([]))
    );
    assert_eq!(
        s.get(&root, "/api/roles:get/editor").1["data"]["title"],
        "Editor"
    );
    assert_eq!(
        s.get(&root, "/api/roles:get/nope"),
        (200, json!({"data": null}))
    );

    assert_err(
        s.post(&root, "/api/roles:create", json!({"name": "anonymous"})),
        400,
        "RESERVED_NAME",
        "Name \"anonymous\" is reserved",
    );
    assert_err(
        s.post(&root, "/api/roles:create", json!({"name": "__union__"})),
        400,
        "RESERVED_NAME",
        "Name \"__union__\" is reserved",
    );
    assert_err(
        s.post(&root, "/api/roles:create", json!({"name": "bad-name"})),
        400,
        "INVALID_IDENTIFIER",
        "Invalid name \"bad-name\": must match ^[A-Za-z_][A-Za-z0-9_]{0,62}$",
    );
    for bad in [
        json!({"actions": ["frobnicate"]}),
        json!({"actions": ["view:some"]}),
        json!({"actions": "view"}),
    ] {
        let (st, v) = s.post(
            &root,
            "/api/roles:create",
            json!({"name": "r_bad", "strategy": bad}),
        );
        assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "{v}");
    }
    assert_eq!(s.get(&root, "/api/roles:get/r_bad").1["data"], Value::Null);

    let (st, v) = s.post(
        &root,
        "/api/roles:update/editor",
        json!({"title": "Editors"}),
    );
    assert_eq!(
        (st, &v["data"][0]["title"]),
        (200, &json!("Editors")),
        "{v}"
    );

    // A user holding only `editor` loses every role when it is destroyed.
    let e = s.user("e", &["editor"]);
    denied(s.get(&e, "/api/users:list"));
    assert_eq!(
        s.call(&root, "POST", "/api/roles:destroy/editor", None),
        (200, json!({"data": 1}))
    );
    assert_eq!(
        s.get(&root, "/api/roles:get/editor"),
        (200, json!({"data": null}))
    );
    assert_err(
        s.get(&e, "/api/auth:check"),
        401,
        "USER_HAS_NO_ROLES_ERR",
        "The current user has no roles. Please try another account.",
    );

    // roles/<role>/resources without any collection.
    assert_eq!(
        s.get(&root, "/api/roles/member/resources:list"),
        (
            200,
            json!({"data": [], "meta": {"count": 0, "page": 1, "pageSize": 20, "totalPage": 0}})
        )
    );
    let (st, v) = s.post(
        &root,
        "/api/roles/member/resources:create",
        json!({"name": "nothing", "usingActionsConfig": true, "actions": []}),
    );
    assert_eq!(
        (st, code(&v)),
        (400, "INVALID_VALUE"),
        "unknown collection: {v}"
    );
    let (st, v) = s.get(&root, "/api/roles/ghost/resources:list");
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"), "{v}");
    let m = s.user("m", &["member"]);
    denied(s.get(&m, "/api/roles/member/resources:list"));
    let a = s.user("a", &["admin"]);
    assert_eq!(s.get(&a, "/api/roles/member/resources:list").0, 200);
}

/// auth.md cases 15 and 16.
#[test]
fn api_keys() {
    let s = Server::start();
    let m = s.user("m", &["member"]);
    let both = s.user("both", &["member", "admin"]);
    let started = chrono::Utc::now();
    let (st, v) = s.post(
        &m,
        "/api/apiKeys:create",
        json!({"name": "ci", "role": "member", "expiresIn": "30d"}),
    );
    assert_eq!(st, 200, "{v}");
    let d = v["data"].clone();
    assert_eq!(
        keys(&d),
        ["id", "name", "roleName", "expiresAt", "createdAt", "token"]
    );
    assert_eq!(
        (&d["name"], &d["roleName"]),
        (&json!("ci"), &json!("member"))
    );
    let key = d["token"].as_str().unwrap().to_string();
    assert!(key.starts_with("fgk_") && key.len() == 47, "{key}");
    assert!(
        is_iso_ms(&d["expiresAt"]) && is_iso_ms(&d["createdAt"]),
        "{d}"
    );
    let expires = chrono::DateTime::parse_from_rfc3339(d["expiresAt"].as_str().unwrap()).unwrap();
    let days = (expires.with_timezone(&chrono::Utc) - started).num_minutes() as f64 / 1440.0;
    assert!((29.99..30.01).contains(&days), "expires in {days} days");
    let key_id = d["id"].as_i64().unwrap();

    let (st, v) = s.get(&m, "/api/apiKeys:list");
    assert_eq!(st, 200);
    let items = v["data"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(
        keys(&items[0]),
        ["id", "name", "roleName", "expiresAt", "createdAt"],
        "no token in the list"
    );
    assert_eq!(items[0]["id"], key_id);

    // The key acts as m with role member; X-Role is ignored.
    let (st, v) = s
        .req("GET", "/api/auth:check")
        .bearer(&key)
        .header("X-Role", "admin")
        .send();
    assert_eq!((st, &v["data"]["username"]), (200, &json!("m")), "{v}");
    assert_eq!(
        s.req("GET", &format!("/api/auth:check?token={key}"))
            .send()
            .0,
        200
    );
    denied(
        s.req("GET", "/api/users:list")
            .bearer(&key)
            .header("X-Role", "admin")
            .send(),
    );
    let (_, v) = s.post(
        &both,
        "/api/apiKeys:create",
        json!({"name": "as-member", "role": {"name": "member"}, "expiresIn": "12h"}),
    );
    let both_member = v["data"]["token"].as_str().expect("key").to_string();
    denied(
        s.req("GET", "/api/users:list")
            .bearer(&both_member)
            .header("X-Role", "admin")
            .send(),
    );
    let (_, v) = s.post(
        &both,
        "/api/apiKeys:create",
        json!({"name": "as-admin", "role": "admin", "expiresIn": "never"}),
    );
    assert_eq!(v["data"]["expiresAt"], Value::Null, "{v}");
    let both_admin = v["data"]["token"].as_str().expect("key").to_string();
    assert_eq!(s.get(&both_admin, "/api/users:list").0, 200);

    assert_err(
        s.post(
            &m,
            "/api/apiKeys:create",
            json!({"name": "x", "role": "admin", "expiresIn": "1d"}),
        ),
        400,
        "INVALID_VALUE",
        "Role \"admin\" does not belong to the user",
    );
    for bad in [
        json!({"role": "member", "expiresIn": "1d"}),
        json!({"name": "x", "expiresIn": "1d"}),
        json!({"name": "x", "role": "member", "expiresIn": "5x"}),
        json!({"name": "x", "role": "member", "expiresIn": "0d"}),
    ] {
        let (st, v) = s.post(&m, "/api/apiKeys:create", bad.clone());
        assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "{bad} → {v}");
    }
    denied(s.post(
        &key,
        "/api/apiKeys:create",
        json!({"name": "x", "role": "member", "expiresIn": "1d"}),
    ));
    assert_eq!(
        s.get(&key, "/api/apiKeys:list").1["data"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // An expired key (its expiry moved into the past in the store, as a running server reads it).
    {
        let (_, v) = s.post(
            &m,
            "/api/apiKeys:create",
            json!({"name": "short", "role": "member", "expiresIn": "1h"}),
        );
        let short = v["data"]["token"].as_str().expect("key").to_string();
        let db = rusqlite::Connection::open(s.dir.join("flowgate.db")).unwrap();
        db.busy_timeout(Duration::from_secs(10)).unwrap();
        db.execute(
            "UPDATE tokens SET expires_ms = 1000 WHERE id = ?1",
            [v["data"]["id"].as_i64().unwrap()],
        )
        .unwrap();
        assert_err(
            s.get(&short, "/api/auth:check"),
            401,
            "EXPIRED_SESSION",
            EXPIRED,
        );
        s.call(
            &m,
            "POST",
            &format!("/api/apiKeys:destroy/{}", v["data"]["id"]),
            None,
        );
    }

    // case 16
    let (st, v) = s.call(
        &both,
        "POST",
        &format!("/api/apiKeys:destroy/{key_id}"),
        None,
    );
    assert_eq!(
        (st, code(&v)),
        (404, "RECORD_NOT_FOUND"),
        "another user's key: {v}"
    );
    assert_eq!(s.get(&key, "/api/auth:check").0, 200);
    assert_eq!(
        s.call(&m, "POST", &format!("/api/apiKeys:destroy/{key_id}"), None),
        (200, json!({"data": 1}))
    );
    assert_err(
        s.get(&key, "/api/auth:check"),
        401,
        "BLOCKED_TOKEN",
        EXPIRED,
    );
    assert_eq!(
        s.get(&m, "/api/apiKeys:list"),
        (
            200,
            json!({"data": [], "meta": {"count": 0, "page": 1, "pageSize": 20, "totalPage": 0}})
        )
    );
    let (st, v) = s.call(&m, "POST", &format!("/api/apiKeys:destroy/{key_id}"), None);
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"), "{v}");

    // A key whose role its user no longer holds.
    let (_, v) = s.get(&both, "/api/auth:check");
    let both_id = v["data"]["id"].as_i64().unwrap();
    assert_eq!(
        s.post(
            &s.root(),
            &format!("/api/users:update/{both_id}"),
            json!({"roles": ["member"]})
        )
        .0,
        200
    );
    assert_err(
        s.get(&both_admin, "/api/auth:check"),
        401,
        "ROLE_NOT_FOUND_FOR_USER",
        "The role does not belong to the user",
    );
    assert_eq!(s.get(&both_member, "/api/auth:check").0, 200);
    s.post(
        &s.root(),
        &format!("/api/users:update/{both_id}"),
        json!({"roles": ["member", "admin"]}),
    );

    // A key ends with its user.
    let (_, v) = s.get(&both, "/api/auth:check");
    s.call(
        &s.root(),
        "POST",
        &format!("/api/users:destroy/{}", v["data"]["id"]),
        None,
    );
    assert_err(
        s.get(&both_admin, "/api/auth:check"),
        401,
        "NOT_EXIST_USER",
        "User not found. Please sign in again to continue.",
    );
}

/// No response ever carries a password hash or a token hash (the harness checks every response; this
/// looks at the stored values themselves and at the endpoints that show users and keys).
#[test]
fn no_password_or_token_hash_leaves_the_server() {
    let s = Server::builder().spec_hashing().start();
    let root = s.root();
    let m = s.user("m", &["member"]);
    s.post(
        &m,
        "/api/apiKeys:create",
        json!({"name": "k", "role": "member", "expiresIn": "1d"}),
    );
    let db = s.open_db();
    let mut secrets_stored: Vec<String> = Vec::new();
    let mut st = db.prepare("SELECT password FROM users").unwrap();
    for p in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        let p = p.unwrap();
        assert!(
            p.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "argon2id with the spec's parameters: {p}"
        );
        secrets_stored.push(p);
    }
    let mut st = db.prepare("SELECT hash FROM tokens").unwrap();
    for h in st.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
        let h = h.unwrap();
        assert_eq!(h.len(), 32, "SHA-256");
        secrets_stored.push(h.iter().map(|b| format!("{b:02x}")).collect());
    }
    let mut texts = Vec::new();
    for (tok, path) in [
        (&root, "/api/users:list?appends=roles"),
        (&root, "/api/users:get/1?appends=roles"),
        (&root, "/api/auth:check"),
        (&m, "/api/auth:check"),
        (&m, "/api/apiKeys:list"),
        (&root, "/api/roles:list"),
    ] {
        let r = s.req("GET", path).bearer(tok).raw(b"");
        assert_eq!(r.status, 200, "{path}");
        texts.push(r.text);
    }
    texts.push(
        s.req("POST", "/api/auth:signIn")
            .json_full(json!({"account": "m", "password": user_password("m")}))
            .text,
    );
    for t in &texts {
        for secret in &secrets_stored {
            assert!(!t.contains(secret.as_str()), "a stored secret in {t}");
        }
        for k in ["\"password\"", "\"hash\"", "$argon2"] {
            assert!(!t.contains(k), "{k} in {t}");
        }
    }
    secrets::assert_responses_clean();
    assert!(secrets::responses_seen() >= texts.len());
    s.assert_log_clean();
}
