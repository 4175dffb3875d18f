//! Issue 11 ("No crack under hostile input or abuse"), the ACL points: association values and appends
//! pass the target's ACL, wrong types are refused instead of read as false, and writes never answer GET.
mod common;
use common::*;

/// A query value, percent-encoded.
fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn samples(s: &Server) {
    let (st, v) = s.post(
        &s.root(),
        "/api/collections:create",
        json!({"name": "samples", "fields": [{"name": "title", "type": "string"}]}),
    );
    assert_eq!(st, 200, "{v}");
    for t in ["a", "b", "c"] {
        let (st, v) = s.post(&s.root(), "/api/samples:create", json!({"title": t}));
        assert_eq!(st, 200, "{v}");
    }
}

#[track_caller]
fn assert_405(r: &Resp, what: &str) {
    assert_eq!(r.status, 405, "{what}: {}", r.text);
    assert_eq!(code(&r.body), "METHOD_NOT_ALLOWED", "{what}: {}", r.text);
    assert!(r.body["errors"][0]["message"].as_str().unwrap_or("").contains("POST"), "{what}: {}", r.text);
    assert_eq!(r.header("Allow"), Some("POST"), "{what}");
}

/// Point 12: `GET /api/samples:destroy/3?token=…` must not delete; write actions answer 405 to GET and
/// HEAD with `Allow: POST`, reads keep GET, and POST still writes.
#[test]
fn writes_refuse_get_and_head() {
    let s = Server::start();
    samples(&s);
    let root = s.root();
    for method in ["GET", "HEAD"] {
        for path in [
            format!("/api/samples:destroy/3?token={root}"),
            format!("/api/samples:update/3?token={root}"),
            format!("/api/samples:create?token={root}"),
            format!("/api/samples:trigger/3?triggerWorkflows=x&token={root}"),
            format!("/api/roles:destroy/member?token={root}"),
            format!("/api/users:create?token={root}"),
            format!("/api/auth:signOut?token={root}"),
            "/api/auth:signIn?account=root&password=x".to_string(),
        ] {
            let r = s.req(method, &path).raw(b"");
            if method == "HEAD" {
                assert_eq!((r.status, r.header("Allow")), (405, Some("POST")), "HEAD {path}");
            } else {
                assert_405(&r, &path);
            }
        }
    }
    assert_eq!(s.rows("samples"), 3, "nothing deleted");
    let (st, v) = s.get(&root, "/api/samples:get/3");
    assert_eq!((st, &v["data"]["title"]), (200, &json!("c")), "{v}");
    // The token still works: signOut through GET did nothing.
    for path in ["/api/samples:list", "/api/samples:get/1", "/api/auth:check", "/api/roles:check", "/api/collections:listMeta", "/api/samples"] {
        let (st, v) = s.get(&root, path);
        assert_eq!(st, 200, "GET {path}: {v}");
    }
    // POST still writes; DELETE on the method-only form too.
    let (st, v) = s.call(&root, "POST", "/api/samples:destroy/3", None);
    assert_eq!((st, &v["data"]), (200, &json!(1)), "{v}");
    let (st, v) = s.call(&root, "DELETE", "/api/samples/2", None);
    assert_eq!((st, &v["data"]), (200, &json!(1)), "{v}");
    assert_eq!(s.rows("samples"), 1);
}
