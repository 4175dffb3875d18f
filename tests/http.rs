//! http.md: URL grammar, processing order, query parameters, body rules, envelopes, headers, health and
//! CORS — on system resources (`users`, `roles`); the same cases over a user collection are in
//! acl_records.rs.
mod common;
use common::*;
use std::io::Write;

const LIMIT: usize = 1_048_576;
const JSON_TYPE: &str = "application/json; charset=utf-8";

fn user_count(s: &Server) -> i64 {
    s.db_i64("SELECT COUNT(*) FROM users")
}

/// http.md cases 1–3 and the rest of §1.
#[test]
fn health_grammar_and_not_found() {
    let s = Server::start();
    let root = s.root();
    let r = s.req("GET", "/api/health").raw(b"");
    assert_eq!(
        (r.status, &r.body),
        (200, &json!({"data": {"status": "ok"}}))
    );
    assert_eq!(r.header("Content-Type"), Some(JSON_TYPE));

    let empty = |got| {
        assert_err(
            got,
            401,
            "EMPTY_TOKEN",
            "Unauthenticated. Please sign in to continue.",
        )
    };
    empty(s.req("GET", "/api/samples:list").send());
    empty(s.req("GET", "/api/nothing:list").send());
    empty(s.req("POST", "/api/users/1").send()); // authentication comes before the route's 405

    let r = s.req("GET", "/api/nothing:list").bearer(&root).raw(b"");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text,
        r#"{"errors":[{"message":"Resource \"nothing\" not found","code":"RESOURCE_NOT_FOUND"}]}"#
    );
    assert_eq!(r.header("Content-Type"), Some(JSON_TYPE));
    assert_err(
        s.get(&root, "/api/users:frobnicate"),
        404,
        "ACTION_NOT_FOUND",
        "Action \"frobnicate\" is not available on resource \"users\"",
    );
    assert_err(
        s.get(&root, "/api/users:1x"),
        404,
        "ACTION_NOT_FOUND",
        "Action \"1x\" is not available on resource \"users\"",
    );
    let (st, v) = s.get(&root, "/api/a/1/b/2/c");
    assert_eq!(
        (st, code(&v)),
        (404, "RESOURCE_NOT_FOUND"),
        "one association level only: {v}"
    );
    assert_err(
        s.get(&root, "/nothing"),
        404,
        "RESOURCE_NOT_FOUND",
        "Resource \"nothing\" not found",
    );

    // Forms that name the same action.
    let list = s.get(&root, "/api/users:list");
    assert_eq!(list.0, 200);
    for path in [
        "/api/users",
        "/api/users/",
        "/api/users:list/",
        "/api/main:users:list",
        "/api/main:users",
    ] {
        assert_eq!(s.get(&root, path), list, "{path}");
    }
    assert_eq!(
        s.call(&root, "POST", "/api/users:list", None),
        list,
        "an explicit action wins over the method"
    );
    let one = s.get(&root, "/api/users:get/1");
    assert_eq!(one.1["data"]["id"], 1);
    assert_eq!(s.get(&root, "/api/users/1"), one);
    assert_eq!(s.get(&root, "/api/users:get?filterByTk=1"), one);
    assert_err(
        s.call(&root, "POST", "/api/users/1", None),
        405,
        "METHOD_NOT_ALLOWED",
        "Method POST is not allowed here",
    );
    assert_err(
        s.call(&root, "PURGE", "/api/users", None),
        405,
        "METHOD_NOT_ALLOWED",
        "Method PURGE is not allowed here",
    );
    // A paged list carries meta, as every list NocoBase pages (issue 10, point 5).
    let empty_page =
        json!({"data": [], "meta": {"count": 0, "page": 1, "pageSize": 20, "totalPage": 0}});
    assert_eq!(
        s.get(&root, "/api/roles/member/resources"),
        (200, empty_page)
    );
    assert_eq!(
        s.get(&root, "/api/roles:get/%6Dember").1["data"]["name"],
        "member",
        "segments are percent-decoded"
    );

    // Method-only create, update, destroy.
    let (st, v) = s.call(
        &root,
        "POST",
        "/api/users",
        Some(json!({"username": "u2", "password": "u2-pass-1234"})),
    );
    assert_eq!(st, 200, "{v}");
    let id = v["data"]["id"].as_i64().unwrap();
    for (m, nick) in [("PUT", "put"), ("PATCH", "patch")] {
        let (st, v) = s.call(
            &root,
            m,
            &format!("/api/users/{id}"),
            Some(json!({"nickname": nick})),
        );
        assert_eq!(
            (st, &v["data"][0]["nickname"]),
            (200, &json!(nick)),
            "{m}: {v}"
        );
    }
    assert_eq!(
        s.call(&root, "DELETE", &format!("/api/users/{id}"), None),
        (200, json!({"data": 1}))
    );
}

/// http.md cases 5 and 6 (on `users`) and the rest of §3.
#[test]
fn query_parameters() {
    let s = Server::start();
    let root = s.root();
    s.user("u2", &["member"]);
    s.user("u3", &["member"]);
    let (st, v) = s.get(&root, "/api/users:get/1?filterByTk=2");
    assert_eq!(
        (st, &v["data"]["id"]),
        (200, &json!(2)),
        "the query overrides the path: {v}"
    );
    assert_eq!(
        s.get(&root, "/api/users:get/%202%20").1["data"]["id"],
        2,
        "spaces trimmed"
    );
    let invalid_tk = |path: &str| {
        assert_err(
            s.get(&root, path),
            400,
            "INVALID_PARAMETER",
            "filterByTk is invalid",
        )
    };
    for path in [
        "/api/users:get/abc",
        "/api/users:get/0",
        "/api/users:get/-1",
        "/api/users:get/1,2",
        "/api/users:get/1.5",
    ] {
        invalid_tk(path);
    }
    invalid_tk("/api/users:get/1?filterByTk=x");
    for path in [
        "/api/users:destroy?filterByTk=[]",
        "/api/users:destroy?filterByTk[]=1&filterByTk[]=x",
    ] {
        assert_err(
            s.call(&root, "POST", path, None),
            400,
            "INVALID_PARAMETER",
            "filterByTk is invalid",
        );
    }
    let (st, v) = s.call(
        &root,
        "POST",
        "/api/users:destroy?filterByTk[]=2&filterByTk[]=3",
        None,
    );
    assert_eq!((st, &v), (200, &json!({"data": 2})), "array form");
    s.user("u4", &["member"]);
    s.user("u5", &["member"]);
    assert_eq!(
        s.call(
            &root,
            "POST",
            "/api/users:destroy?filterByTk=[4,%225%22]",
            None
        ),
        (200, json!({"data": 2})),
        "JSON form"
    );
    assert_err(
        s.call(&root, "POST", "/api/users:destroy", None),
        400,
        "MISSING_PARAMETER",
        "filterByTk is required",
    );

    for p in [
        "page=0",
        "page=-1",
        "page=x",
        "pageSize=0",
        "pageSize=1.5",
        "paginate=maybe",
    ] {
        let (st, v) = s.get(&root, &format!("/api/users:list?{p}"));
        assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{p}: {v}");
        let p_name = p.split('=').next().unwrap();
        assert!(
            message(&v).starts_with(&format!("Invalid parameter \"{p_name}\": ")),
            "{v}"
        );
    }
    for p in ["paginate=false", "paginate=0"] {
        let (st, v) = s.get(&root, &format!("/api/users:list?{p}"));
        assert_eq!(st, 200);
        assert!(v.get("meta").is_none(), "{p}: {v}");
    }
    let (_, v) = s.get(&root, "/api/users:list?paginate=true&page=&pageSize");
    assert_eq!(
        v["meta"],
        json!({"count": 1, "page": 1, "pageSize": 20, "totalPage": 1}),
        "empty values are absent"
    );
    let (st, v) = s.get(&root, "/api/users:list?a[1][2][3][4][5]=x");
    assert_eq!(st, 200, "nesting 5 is fine: {v}");
    let (st, v) = s.get(&root, "/api/users:list?a[1][2][3][4][5][6]=x");
    assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{v}");
    assert_eq!(
        s.get(&root, "/api/users:list?unknown=1&x[y]=2").0,
        200,
        "unknown parameters are ignored"
    );
}

/// http.md cases 7 and 8 (on `users:create`), and the order of §2 around the body.
#[test]
fn body_rules() {
    let s = Server::start();
    let root = s.root();
    let create = |ct: Option<&str>, body: &[u8]| {
        let mut r = s.req("POST", "/api/users:create").bearer(&root);
        if let Some(ct) = ct {
            r = r.header("Content-Type", ct);
        }
        let r = r.raw(body);
        (r.status, r.body)
    };
    let (st, v) = create(
        Some("application/x-www-form-urlencoded"),
        br#"{"username":"form","password":"form-pass-1234"}"#,
    );
    assert_eq!((st, &v["data"]["username"]), (200, &json!("form")), "{v}");
    let (st, v) = create(
        Some("text/plain"),
        br#"{"username":"plain","password":"form-pass-1234"}"#,
    );
    assert_eq!((st, &v["data"]["username"]), (200, &json!("plain")), "{v}");
    let (st, v) = create(None, br#"{"username":"none","password":"form-pass-1234"}"#);
    assert_eq!((st, &v["data"]["username"]), (200, &json!("none")), "{v}");
    let before = user_count(&s);

    let invalid_json = |got| assert_err(got, 400, "INVALID_JSON", "Request body is not valid JSON");
    invalid_json(create(Some("application/json"), br#"{"title":"#));
    invalid_json(create(None, b"{'a':1}"));
    invalid_json(s.req("POST", "/api/auth:signIn").raw(b"{").pair());
    let not_object = |got| {
        assert_err(
            got,
            400,
            "INVALID_BODY",
            "Request body must be a JSON object",
        )
    };
    not_object(create(Some("application/json"), b"[1]"));
    not_object(create(Some("application/json"), b"\"text\""));
    not_object(create(Some("application/json"), b"42"));
    assert_err(
        create(
            Some("multipart/form-data; boundary=xyz"),
            b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n",
        ),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Unsupported content type \"multipart/form-data\"",
    );
    // Empty body and `null` are no values (the handler then asks for an account).
    assert_eq!(
        code(&create(Some("application/json"), b"").1),
        "ACCOUNT_REQUIRED"
    );
    assert_eq!(
        code(&create(Some("application/json"), b"null").1),
        "ACCOUNT_REQUIRED"
    );

    // 1 MiB exactly is accepted; one byte more is 413, before anything else.
    let head = br#"{"username":"edge","password":"edge-pass-1234"}"#;
    let mut exact = head.to_vec();
    exact.resize(LIMIT, b' ');
    let (st, v) = create(Some("application/json"), &exact);
    assert_eq!(
        (st, &v["data"]["username"]),
        (200, &json!("edge")),
        "exactly the limit: {v}"
    );
    let head = br#"{"username":"over","password":"over-pass-1234"}"#;
    let mut over = head.to_vec();
    over.resize(LIMIT + 1, b' ');
    let too_large = |got| {
        assert_err(
            got,
            413,
            "PAYLOAD_TOO_LARGE",
            "Request body exceeds the limit of 1048576 bytes",
        )
    };
    too_large(create(Some("application/json"), &over));
    too_large(s.req("POST", "/api/users:create").raw(&over).pair()); // before authentication
                                                                     // Without a Content-Length (chunked), the limit holds while reading.
    let mut tcp = s.tcp();
    let mut req = format!(
        "POST /api/users:create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {root}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for chunk in over.chunks(64 * 1024) {
        write!(req, "{:x}\r\n", chunk.len()).unwrap();
        req.extend_from_slice(chunk);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let (st, _, body) = tcp_exchange(&mut tcp, &req);
    too_large((st, serde_json::from_str(&body).unwrap()));
    assert_eq!(user_count(&s), before + 1, "only the 1 MiB user was stored");
    assert_eq!(
        s.db_i64("SELECT COUNT(*) FROM users WHERE username = 'over'"),
        0
    );

    // Processing order: authentication, then ACL, then the body.
    let m = s.user("m", &["member"]);
    assert_err(
        s.req("POST", "/api/users:create").raw(b"{").pair(),
        401,
        "EMPTY_TOKEN",
        "Unauthenticated. Please sign in to continue.",
    );
    assert_err(
        s.req("POST", "/api/users:create")
            .bearer(&m)
            .raw(b"{")
            .pair(),
        403,
        "NO_PERMISSIONS",
        "No permissions",
    );
    // GET bodies are ignored.
    let r = s
        .req("GET", "/api/users:list")
        .bearer(&root)
        .raw(b"{not json");
    assert_eq!(r.status, 200, "{}", r.text);
}

/// http.md case 8 with `--body-limit`, and `FLOWGATE_BODY_LIMIT` / `FLOWGATE_CORS_ORIGINS` from the environment.
#[test]
fn body_limit_and_cors_from_the_environment() {
    let s = Server::builder()
        .spawned()
        .env("FLOWGATE_BODY_LIMIT", "100")
        .env("FLOWGATE_CORS_ORIGINS", "http://a.test,http://b.test")
        .start();
    let root = s.root();
    let body = format!(
        r#"{{"username":"u","password":"p-pass-1234","nickname":"{}"}}"#,
        "x".repeat(100)
    );
    let r = s
        .req("POST", "/api/users:create")
        .bearer(&root)
        .raw(body.as_bytes());
    assert_err(
        (r.status, r.body),
        413,
        "PAYLOAD_TOO_LARGE",
        "Request body exceeds the limit of 100 bytes",
    );
    for origin in ["http://a.test", "http://b.test"] {
        let r = s
            .req("OPTIONS", "/api/users:list")
            .header("Origin", origin)
            .raw(b"");
        assert_eq!(
            (r.status, r.header("Access-Control-Allow-Origin")),
            (204, Some(origin))
        );
    }
    let r = s
        .req("OPTIONS", "/api/users:list")
        .header("Origin", "http://c.test")
        .raw(b"");
    assert_eq!(
        (r.status, r.header("Access-Control-Allow-Origin")),
        (204, None)
    );

    // A flag beats its variable.
    let s2 = Server::builder()
        .spawned()
        .env("FLOWGATE_BODY_LIMIT", "100")
        .arg("--body-limit")
        .arg("200")
        .start();
    let r = s2.req("POST", "/api/auth:signIn").raw(body.as_bytes());
    assert_eq!(
        (r.status, code(&r.body)),
        (401, "INVALID_CREDENTIALS"),
        "{} bytes fit under 200",
        body.len()
    );
}

/// http.md cases 9 and 10.
#[test]
fn headers() {
    let s = Server::start();
    let root = s.root();
    assert_eq!(
        s.req("GET", "/api/users:list")
            .bearer(&root)
            .header("X-Data-Source", "other")
            .send(),
        (
            400,
            json!({"errors": [{"message": "data source \"other\" does not exist", "code": "DATA_SOURCE_NOT_FOUND"}]})
        )
    );
    assert_eq!(
        s.req("GET", "/api/users:list")
            .bearer(&root)
            .header("X-Data-Source", "main")
            .send()
            .0,
        200
    );
    // Step 5 comes after authentication and before the resource.
    assert_eq!(
        code(
            &s.req("GET", "/api/users:list")
                .header("X-Data-Source", "other")
                .send()
                .1
        ),
        "EMPTY_TOKEN"
    );
    assert_eq!(
        code(
            &s.req("GET", "/api/nothing:list")
                .bearer(&root)
                .header("X-Data-Source", "other")
                .send()
                .1
        ),
        "DATA_SOURCE_NOT_FOUND"
    );
    let r = s
        .req("GET", "/api/users:list")
        .bearer(&root)
        .header("X-Role", "nope")
        .header("X-Data-Source", "other")
        .send();
    assert_eq!(
        code(&r.1),
        "ROLE_NOT_FOUND_FOR_USER",
        "the role (step 4) before the data source (step 5)"
    );
    assert_err(
        s.req("GET", "/api/users:list")
            .bearer(&root)
            .header("X-Authenticator", "sms")
            .send(),
        401,
        "AUTHENTICATOR_NOT_FOUND",
        "Authenticator \"sms\" not found",
    );
    // Ignored headers.
    let r = s
        .req("GET", "/api/users:list")
        .bearer(&root)
        .header("X-Timezone", "+08:00")
        .header("X-Locale", "zh-CN")
        .send();
    assert_eq!(r.0, 200);

    let r = s
        .req("GET", "/api/health")
        .header("X-Request-Id", "abc")
        .raw(b"");
    assert_eq!(r.header("X-Request-Id"), Some("abc"));
    let r = s
        .req("GET", "/api/users:list")
        .header("X-Request-Id", "req-401")
        .raw(b"");
    assert_eq!(
        (r.status, r.header("X-Request-Id")),
        (401, Some("req-401")),
        "errors echo it too"
    );
    let mut seen = Vec::new();
    for path in ["/api/health", "/api/health", "/api/users:list", "/nothing"] {
        let r = s.req("GET", path).raw(b"");
        let id = r.header("X-Request-Id").unwrap_or_default().to_string();
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "a UUID for {path}: {id}");
        assert!(
            id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(!seen.contains(&id), "a new id each time");
        seen.push(id);
    }
}

/// http.md case 11: CORS closed by default, open to the listed origins with `--cors-origin`.
#[test]
fn cors() {
    let closed = Server::start();
    let open = Server::builder()
        .spawned()
        .arg("--cors-origin")
        .arg("http://app.test")
        .arg("--cors-origin")
        .arg("http://two.test")
        .env("FLOWGATE_CORS_ORIGINS", "http://env.test")
        .start();
    let preflight = |s: &Server, origin: &str| {
        s.req("OPTIONS", "/api/users:list")
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, x-role")
            .raw(b"")
    };
    let cors_headers = |r: &Resp| -> Vec<String> {
        r.headers
            .iter()
            .filter(|(k, _)| k.to_ascii_lowercase().starts_with("access-control-"))
            .map(|(k, _)| k.clone())
            .collect()
    };
    for origin in ["http://evil.test", "http://app.test"] {
        let r = preflight(&closed, origin);
        assert_eq!(r.status, 204);
        assert!(
            cors_headers(&r).is_empty(),
            "closed by default: {:?}",
            r.headers
        );
        let r = closed
            .req("GET", "/api/health")
            .header("Origin", origin)
            .raw(b"");
        assert!(cors_headers(&r).is_empty(), "{:?}", r.headers);
    }

    let r = preflight(&open, "http://app.test");
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("http://app.test")
    );
    assert_eq!(r.header("Access-Control-Max-Age"), Some("600"));
    assert!(r.header("Access-Control-Allow-Credentials").is_none());
    let methods = r
        .header("Access-Control-Allow-Methods")
        .unwrap_or_default()
        .to_ascii_uppercase();
    for m in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        assert!(methods.contains(m), "{methods}");
    }
    let allowed = r
        .header("Access-Control-Allow-Headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for h in [
        "authorization",
        "content-type",
        "x-role",
        "x-authenticator",
        "x-data-source",
        "idempotency-key",
        "x-request-id",
    ] {
        assert!(allowed.contains(h), "{h} in {allowed}");
    }
    assert!(
        r.body.is_null() && r.text.is_empty(),
        "204 has no body: {}",
        r.text
    );
    assert_eq!(
        preflight(&open, "http://two.test").header("Access-Control-Allow-Origin"),
        Some("http://two.test")
    );
    for origin in ["http://evil.test", "http://env.test"] {
        let r = preflight(&open, origin);
        assert_eq!(r.status, 204);
        assert!(cors_headers(&r).is_empty(), "{origin}: {:?}", r.headers);
    }
    let r = open
        .req("GET", "/api/health")
        .header("Origin", "http://app.test")
        .raw(b"");
    assert_eq!(
        (r.status, r.header("Access-Control-Allow-Origin")),
        (200, Some("http://app.test"))
    );
    assert!(r.header("Access-Control-Allow-Credentials").is_none());
    let r = open
        .req("GET", "/api/users:list")
        .header("Origin", "http://app.test")
        .raw(b"");
    assert_eq!(
        (r.status, r.header("Access-Control-Allow-Origin")),
        (401, Some("http://app.test")),
        "errors carry CORS too"
    );
    let r = open.req("GET", "/api/health").raw(b"");
    assert!(cors_headers(&r).is_empty(), "no Origin, no CORS headers");
}
