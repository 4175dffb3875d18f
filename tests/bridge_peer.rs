//! `flowgate push` against a live NocoBase 2.x (bridge.md acceptance cases 20, 22–29): opt-in, since it
//! needs the peer of ../shared/nocobase-peer. Run with
//! `NOCOBASE_URL=http://127.0.0.1:13100 NOCOBASE_ACCOUNT=admin@nocobase.com NOCOBASE_PASSWORD=admin123 cargo test --test bridge_peer`
//! (`make test-nocobase`). The test removes the recorded app's objects (`br_…`) from the peer first and at
//! the end, and leaves everything else alone.

mod common;

use std::process::Command;

use serde_json::{json, Value};

struct Peer {
    url: String,
    account: String,
    password: String,
    token: String,
}

/// The peer is one shared app: its cases run one at a time.
static PEER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn peer() -> Option<(Peer, std::sync::MutexGuard<'static, ()>)> {
    let url = std::env::var("NOCOBASE_URL").ok()?;
    let guard = PEER.lock().unwrap_or_else(|p| p.into_inner());
    Some((sign_in(url), guard))
}

fn sign_in(url: String) -> Peer {
    let account = std::env::var("NOCOBASE_ACCOUNT").unwrap_or_else(|_| "admin@nocobase.com".into());
    let password = std::env::var("NOCOBASE_PASSWORD").unwrap_or_else(|_| "admin123".into());
    let mut p = Peer {
        url,
        account,
        password,
        token: String::new(),
    };
    let (status, body) = p.call(
        "POST",
        "/api/auth:signIn",
        Some(json!({"account": p.account, "password": p.password})),
    );
    assert_eq!(status, 200, "sign in to the peer: {body}");
    p.token = body["data"]["token"].as_str().unwrap().to_string();
    p
}

impl Peer {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = ureq::request(method, &format!("{}{path}", self.url))
            .set("X-Authenticator", "basic")
            .set("X-Role", "root");
        if !self.token.is_empty() {
            req = req.set("Authorization", &format!("Bearer {}", self.token));
        }
        let res = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        match res {
            Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
            Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap_or(Value::Null)),
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, v) = self.call(method, path, body);
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["data"].clone()
    }

    fn list(&self, path: &str) -> Vec<Value> {
        self.ok("GET", path, None)
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn versions(&self, key: &str) -> Vec<Value> {
        let filter = enc(&json!({"key": key}).to_string());
        self.list(&format!(
            "/api/workflows:list?paginate=false&sort[]=id&appends[]=nodes&filter={filter}"
        ))
    }

    /// Removes the recorded app (workflows, roles, collections named `br_…` and its through tables).
    fn cleanup(&self) {
        for w in self.list("/api/workflows:list?paginate=false") {
            if w["key"].as_str().is_some_and(|k| k.starts_with("br_")) {
                self.call(
                    "POST",
                    &format!("/api/workflows:destroy?filterByTk={}", w["id"]),
                    None,
                );
            }
        }
        for r in ["br_sales", "br_support"] {
            self.call("POST", &format!("/api/roles:destroy?filterByTk={r}"), None);
        }
        for c in self.list("/api/collections:list?paginate=false") {
            let name = c["name"].as_str().unwrap_or("");
            if name.starts_with("br_") || name == "t_1so8oezm7qk" {
                self.call(
                    "POST",
                    &format!("/api/collections:destroy?filterByTk={name}"),
                    None,
                );
            }
        }
    }

    /// `flowgate push` with this peer's credentials and `args`: (exit code, stdout, stderr).
    fn push(&self, file: &std::path::Path, args: &[&str]) -> (i32, String, String) {
        let file = file.to_str().unwrap();
        let mut all = vec!["push", "--to", &self.url, "--file", file];
        all.extend_from_slice(args);
        self.cli(&all)
    }

    /// The binary with `args` and this peer's account and password.
    fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(common::bin())
            .args(args)
            .args(["--account", &self.account, "--password", &self.password])
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert!(
            !stdout.contains(&self.password) && !stderr.contains(&self.password),
            "the password is never printed"
        );
        (out.status.code().unwrap_or(-1), stdout, stderr)
    }

    fn names(&self, path: &str) -> Vec<String> {
        let mut n: Vec<String> = self
            .list(path)
            .iter()
            .map(|c| c["name"].as_str().unwrap_or("").to_string())
            .collect();
        n.sort();
        n
    }
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn fixture_doc() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/nocobase/example-export.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write_doc(dir: &tempfile::TempDir, name: &str, doc: &Value) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    p
}

fn workflow_mut<'a>(doc: &'a mut Value, key: &str) -> &'a mut Value {
    doc["workflows"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|w| w["key"] == key)
        .unwrap()
}

/// Only the collections, roles and workflows `like` names, and in roles only the grants on its
/// collections (the peer holds other apps too).
fn restrict_to(doc: &mut Value, like: &Value) {
    let names = |list: &str, key: &str| -> Vec<Value> {
        like[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[key].clone())
            .collect()
    };
    let collections = names("collections", "name");
    for (list, key) in [
        ("collections", "name"),
        ("roles", "name"),
        ("workflows", "key"),
    ] {
        let keep = names(list, key);
        doc[list]
            .as_array_mut()
            .unwrap()
            .retain(|x| keep.contains(&x[key]));
    }
    for role in doc["roles"].as_array_mut().unwrap() {
        if let Some(grants) = role.get_mut("resources").and_then(Value::as_array_mut) {
            grants.retain(|g| collections.contains(&g["name"]));
        }
    }
}

fn plan_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| !l.starts_with("extra ") && !l.starts_with("plan for "))
        .collect()
}

#[test]
fn push_writes_the_recorded_app_into_a_live_nocobase_and_keeps_it_in_step() {
    let Some((peer, _one_at_a_time)) = peer() else {
        eprintln!("bridge_peer: NOCOBASE_URL is not set; the live NocoBase cases (bridge.md 20, 22-29) did not run");
        return;
    };
    peer.cleanup();
    let dir = tempfile::tempdir().unwrap();
    let doc = fixture_doc();
    // Push only adds to the built-in roles; start them from the document's own so that pulling back
    // compares like with like (earlier pushes to this shared peer may have added actions).
    for r in doc["roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "admin" || r["name"] == "member")
    {
        let name = r["name"].as_str().unwrap();
        let body = json!({"strategy": r["strategy"], "snippets": r["snippets"]});
        peer.ok(
            "POST",
            &format!("/api/roles:update?filterByTk={name}"),
            Some(body),
        );
    }
    let file = write_doc(&dir, "app.json", &doc);
    let scopes_before = peer.list("/api/dataSourcesRolesResourcesScopes:list?paginate=false");
    let admin_before = peer.ok("GET", "/api/roles:get?filterByTk=admin", None)["strategy"].clone();

    // Case 20: the dry run's plan, and the target unchanged.
    let collections_before = peer.names("/api/collections:list?paginate=false");
    let (code, out, _) = peer.push(&file, &["--dry-run"]);
    assert_eq!(code, 0, "{out}");
    let count = |prefix: &str| out.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("create collection "), 5, "{out}");
    let associations: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("create field "))
        .collect();
    assert_eq!(associations.len(), 9, "{out}");
    assert!(
        out.contains("create field br_orders.customer (reverse of br_customers.orders)"),
        "{out}"
    );
    assert_eq!(count("create role "), 2);
    assert_eq!(count("create grant "), 4);
    assert_eq!(count("create workflow "), 6);
    assert_eq!(count("enable "), 5);
    assert_eq!(
        peer.names("/api/collections:list?paginate=false"),
        collections_before,
        "a dry run writes nothing"
    );

    // The push itself, then case 22: a second push plans nothing and changes nothing.
    let (code, out, err) = peer.push(&file, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let workflows_after = peer.list("/api/workflows:list?paginate=false&sort[]=id");
    let (code, out, _) = peer.push(&file, &[]);
    assert_eq!(code, 0);
    assert!(out.contains(": 0 operations, 0 writes"), "{out}");
    assert_eq!(
        peer.list("/api/workflows:list?paginate=false&sort[]=id"),
        workflows_after,
        "nothing was written"
    );

    // Case 21: pulled back, restricted to the document's names and keys, the app equals the document.
    let again = dir.path().join("again.json");
    let (code, _, err) = peer.cli(&["pull", "--from", &peer.url, "-o", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut pulled: Value =
        serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap();
    restrict_to(&mut pulled, &doc);
    if !flowgate::bridge::doc::equal(&pulled, &doc) {
        // Both sides as compared, for a diff.
        let show = |v: &Value| {
            flowgate::bridge::doc::to_canonical_string(&flowgate::bridge::doc::normalise(v))
        };
        let target = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        std::fs::write(format!("{target}/bridge_peer_pulled.json"), show(&pulled)).unwrap();
        std::fs::write(format!("{target}/bridge_peer_pushed.json"), show(&doc)).unwrap();
        panic!("pulled back ≠ pushed under §4.4: diff target/bridge_peer_pushed.json target/bridge_peer_pulled.json");
    }

    // Case 26: the scopes are the target's own; none was added.
    assert_eq!(
        peer.list("/api/dataSourcesRolesResourcesScopes:list?paginate=false")
            .len(),
        scopes_before.len()
    );
    let own = scopes_before.iter().find(|s| s["key"] == "own").unwrap()["id"].clone();
    let grants = peer.list("/api/roles/br_sales/resources:list?paginate=false&appends[]=actions");
    let orders = grants.iter().find(|g| g["name"] == "br_orders").unwrap();
    let update = orders["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "update")
        .unwrap();
    assert_eq!(update["scopeId"], own);

    // Case 27: the reverse pair is linked both ways.
    let fields = |c: &str| peer.list(&format!("/api/collections/{c}/fields:list?paginate=false"));
    let (customers, orders) = (fields("br_customers"), fields("br_orders"));
    let orders_field = customers.iter().find(|f| f["name"] == "orders").unwrap();
    let customer_field = orders.iter().find(|f| f["name"] == "customer").unwrap();
    assert_eq!(orders_field["reverseKey"], customer_field["key"]);
    assert_eq!(customer_field["reverseKey"], orders_field["key"]);

    // Case 23: an executed version with a changed node goes through a revision.
    let customer = peer.ok(
        "POST",
        "/api/br_customers:create",
        Some(json!({"name": "Ada"})),
    );
    let order = peer.ok(
        "POST",
        "/api/br_orders:create",
        Some(json!({"title": "o1", "amount": 39, "customerId": customer["id"]})),
    );
    let (status, answer) = peer.call(
        "POST",
        &format!(
            "/api/br_orders:trigger/{}?triggerWorkflows=br_wf_order_check",
            order["id"]
        ),
        Some(json!({})),
    );
    assert_eq!(status, 200, "{answer}");
    let old = peer.versions("br_wf_order_check")[0]["id"].clone();
    let mut changed = fixture_doc();
    let w = workflow_mut(&mut changed, "br_wf_order_check");
    let msg = w["nodes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|n| n["key"] == "msg_ok")
        .unwrap();
    msg["config"]["message"] = json!("Approved: {{$context.data.title}}");
    let changed_file = write_doc(&dir, "changed.json", &changed);
    let (_, out, _) = peer.push(&changed_file, &["--dry-run"]);
    assert_eq!(
        plan_lines(&out),
        [
            "revision br_wf_order_check (executed 1×)",
            "update node br_wf_order_check.msg_ok",
            "enable br_wf_order_check"
        ]
    );
    assert_eq!(peer.push(&changed_file, &[]).0, 0);
    let versions = peer.versions("br_wf_order_check");
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (
            versions[0]["current"].clone(),
            versions[1]["current"].clone(),
            versions[1]["enabled"].clone()
        ),
        (Value::Null, json!(true), json!(true))
    );
    let filter = enc(&json!({"key": "br_wf_order_check"}).to_string());
    let executions = peer.list(&format!(
        "/api/executions:list?paginate=false&sort[]=-id&filter={filter}"
    ));
    assert_eq!(
        executions[0]["workflowId"], old,
        "the execution keeps the old version"
    );

    // Case 24: a sync change makes a new version of the same key.
    let w = workflow_mut(&mut changed, "br_wf_price_check");
    w["sync"] = json!(false);
    // Case 25: a node added to a never-executed, disabled version rebuilds it in place.
    let w = workflow_mut(&mut changed, "br_wf_weekly_cleanup");
    w["nodes"].as_array_mut().unwrap().push(json!({"branchIndex": null, "config": {"endStatus": 1}, "key": "end_after", "title": "after", "type": "end", "upstream": "end_ok"}));
    let cleanup_id = peer.versions("br_wf_weekly_cleanup")[0]["id"].clone();
    let changed_file = write_doc(&dir, "changed2.json", &changed);
    assert_eq!(peer.push(&changed_file, &[]).0, 0);
    let price = peer.versions("br_wf_price_check");
    let current: Vec<&Value> = price
        .iter()
        .filter(|v| v["current"] == json!(true))
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(
        (current[0]["sync"].clone(), current[0]["enabled"].clone()),
        (json!(false), json!(true))
    );
    let cleanup = peer.versions("br_wf_weekly_cleanup");
    assert_eq!(cleanup.len(), 1);
    assert_eq!(cleanup[0]["id"], cleanup_id);
    assert_eq!(cleanup[0]["nodes"].as_array().unwrap().len(), 5);
    let (_, out, _) = peer.push(&changed_file, &["--dry-run"]);
    assert_eq!(plan_lines(&out), Vec::<&str>::new(), "in step again");

    // Case 28: a field changed by hand on the target is a conflict; nothing is written.
    peer.ok(
        "POST",
        "/api/collections/br_orders/fields:update?filterByTk=amount",
        Some(json!({"type": "string"})),
    );
    let (_, out, _) = peer.push(&changed_file, &["--dry-run"]);
    assert!(
        out.contains("conflict collections.br_orders.fields.amount type double ≠ string"),
        "{out}"
    );
    let mut retitled = changed.clone();
    workflow_mut(&mut retitled, "br_wf_order_check")["title"] = json!("retitled");
    let retitled_file = write_doc(&dir, "retitled.json", &retitled);
    let (code, _, err) = peer.push(&retitled_file, &[]);
    assert_eq!(code, 3, "{err}");
    assert_ne!(
        peer.versions("br_wf_order_check")[1]["title"],
        json!("retitled"),
        "nothing was written"
    );
    assert_eq!(peer.push(&retitled_file, &["--skip-conflicts"]).0, 0);
    assert_eq!(
        peer.versions("br_wf_order_check")[1]["title"],
        json!("retitled")
    );
    peer.ok(
        "POST",
        "/api/collections/br_orders/fields:update?filterByTk=amount",
        Some(json!({"type": "double"})),
    );

    // Case 29: admin's strategy only grows, unless --exact-roles.
    let mut admin = changed.clone();
    let role = admin["roles"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["name"] == "admin")
        .unwrap();
    role["strategy"] =
        json!({"actions": ["create", "view", "update", "destroy", "trigger", "triggerNew"]});
    let admin_file = write_doc(&dir, "admin.json", &admin);
    assert_eq!(peer.push(&admin_file, &[]).0, 0);
    let actions =
        peer.ok("GET", "/api/roles:get?filterByTk=admin", None)["strategy"]["actions"].clone();
    for a in ["export", "importXlsx", "trigger", "triggerNew"] {
        assert!(actions.as_array().unwrap().contains(&json!(a)), "{actions}");
    }
    assert_eq!(peer.push(&admin_file, &["--exact-roles"]).0, 0);
    let actions =
        peer.ok("GET", "/api/roles:get?filterByTk=admin", None)["strategy"]["actions"].clone();
    assert_eq!(
        actions,
        json!([
            "create",
            "view",
            "update",
            "destroy",
            "trigger",
            "triggerNew"
        ])
    );

    peer.ok(
        "POST",
        "/api/roles:update?filterByTk=admin",
        Some(json!({"strategy": admin_before})),
    );
    peer.cleanup();
}

/// Case 30: flowgate → NocoBase. The demo store's definitions pushed into the peer run there: the global
/// demo workflow answers as it does on flowgate.
#[test]
fn the_demo_pushed_into_nocobase_runs_there() {
    let Some((peer, _one_at_a_time)) = peer() else {
        eprintln!("bridge_peer: NOCOBASE_URL is not set; bridge.md case 30 did not run");
        return;
    };
    let demo = ["categories", "comments", "posts"];
    let keys = [
        "demo_category",
        "demo_global",
        "demo_sample_async",
        "demo_sample_sync",
    ];
    let clean = |p: &Peer| {
        for w in p.list("/api/workflows:list?paginate=false") {
            if keys.contains(&w["key"].as_str().unwrap_or("")) {
                p.call(
                    "POST",
                    &format!("/api/workflows:destroy?filterByTk={}", w["id"]),
                    None,
                );
            }
        }
        for c in demo {
            p.call(
                "POST",
                &format!("/api/collections:destroy?filterByTk={c}"),
                None,
            );
        }
    };
    clean(&peer);
    let roles_before: Vec<Value> = peer.list("/api/roles:list?paginate=false");
    let s = common::Server::builder().arg("--demo").start();
    let data = s.dir.to_str().unwrap().to_string();
    let (code, _, err) = peer.cli(&["push", "--to", &peer.url, "--data", &data]);
    assert_eq!(code, 0, "{err}");
    // The demo's expressions run on NocoBase as they are (its ROUND is under formula.js).
    assert!(!err.contains("math.js expression calls"), "{err}");
    let (status, answer) = peer.call(
        "POST",
        "/api/workflows:trigger?triggerWorkflows=demo_global",
        Some(json!({})),
    );
    assert_eq!(
        (status, answer),
        (200, json!({"messages": [{"message": "Hello, nocobase"}]}))
    );
    let collections = peer.list("/api/collections:list?paginate=false");
    for c in demo {
        let c = collections.iter().find(|x| x["name"] == c).unwrap();
        assert_eq!(c["autoGenId"], json!(true), "{c}");
    }
    for r in roles_before
        .iter()
        .filter(|r| r["name"] == "admin" || r["name"] == "member")
    {
        let name = r["name"].as_str().unwrap();
        let body = json!({"strategy": r["strategy"], "snippets": r["snippets"]});
        peer.ok(
            "POST",
            &format!("/api/roles:update?filterByTk={name}"),
            Some(body),
        );
    }
    clean(&peer);
}
