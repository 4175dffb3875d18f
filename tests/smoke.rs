mod common;
use common::*;

#[test]
fn health_and_sign_in() {
    let s = Server::start();
    let (st, v) = s.req("GET", "/api/health").send();
    assert_eq!((st, v), (200, json!({"data":{"status":"ok"}})));
    let (st, v) = s.get(&s.root(), "/api/auth:check");
    assert_eq!(st, 200);
    assert_eq!(v["data"]["id"], 1);
}
