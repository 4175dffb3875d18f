//! `flowgate pull` (bridge.md §1, §2, §4, §6; acceptance cases 1–10): the binary against a mock NocoBase
//! that replays the recorded 2.2.15 answers of `tests/fixtures/nocobase` (answering by `index.json`,
//! method and path; `workflows:list` by whether `filter` has `current`), and against a real flowgate.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::{json, run_cli_stdin, Server, Value};
use flowgate::bridge::doc;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nocobase");
const PASSWORD: &str = "pull-test-password-8d1f";
/// What the recorded sign-in hands out (the fixture's stand-in for the real token).
const FIXTURE_TOKEN: &str = "<NOCOBASE_TOKEN>";

/// One request the mock saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    /// decoded query pairs, in order
    query: Vec<(String, String)>,
    headers: HashMap<String, String>,
}

/// The fixture files as a mock answers them: (file, status, body), editable before `start`.
struct Fixtures {
    calls: Vec<(String, String, String, u16)>,
    bodies: HashMap<String, Value>,
    /// extra (method, path) → (status, body), looked up first
    extra: HashMap<(String, String), (u16, Value)>,
}

impl Fixtures {
    fn load() -> Fixtures {
        let index = read_json(&Path::new(FIXTURES).join("index.json"));
        let mut calls = Vec::new();
        let mut bodies = HashMap::new();
        for c in index["calls"].as_array().unwrap() {
            if c.get("kind").is_some() {
                continue;
            }
            let file = c["file"].as_str().unwrap().to_string();
            calls.push((
                file.clone(),
                c["method"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
                c["status"].as_u64().unwrap() as u16,
            ));
            bodies.insert(file.clone(), read_json(&Path::new(FIXTURES).join(&file)));
        }
        Fixtures {
            calls,
            bodies,
            extra: HashMap::new(),
        }
    }

    /// The `data` of a file, to edit.
    fn data(&mut self, file: &str) -> &mut Value {
        &mut self.bodies.get_mut(file).unwrap()["data"]
    }

    fn answer(&mut self, method: &str, path: &str, status: u16, body: Value) -> &mut Fixtures {
        self.extra
            .insert((method.to_string(), path.to_string()), (status, body));
        self
    }

    /// The file a request gets, by method and path (`workflows:list` by its filter).
    fn file_for(&self, req: &Seen) -> Option<&str> {
        if req.path == "/api/workflows:list" {
            let current = req
                .query
                .iter()
                .any(|(k, v)| k == "filter" && v.contains("current"));
            return Some(if current {
                "workflows.list__current.json"
            } else {
                "workflows.list__all_versions.json"
            });
        }
        self.calls
            .iter()
            .find(|(_, m, p, _)| *m == req.method && *p == req.path)
            .map(|(f, ..)| f.as_str())
    }

    fn respond(&self, req: &Seen) -> (u16, Value) {
        if let Some(a) = self.extra.get(&(req.method.clone(), req.path.clone())) {
            return a.clone();
        }
        if let Some(file) = self.file_for(req) {
            let status = self
                .calls
                .iter()
                .find(|(f, ..)| f == file)
                .map(|c| c.3)
                .unwrap_or(200);
            return (status, self.bodies[file].clone());
        }
        // The recording has the grants of roles that have some; admin has none.
        if req.path.starts_with("/api/roles/") && req.path.ends_with("/resources:list") {
            return (200, json!({"data": []}));
        }
        (
            404,
            json!({"errors": [{"message": format!("{} not recorded", req.path), "code": "RESOURCE_NOT_FOUND"}]}),
        )
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A mock server on 127.0.0.1:0 answering from `Fixtures`, one connection at a time, each closed after
/// its answer. The thread ends with the test process.
struct Mock {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Mock {
    fn start(fixtures: Fixtures) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Some(req) = serve_one(stream, &fixtures) {
                    log.lock().unwrap().push(req);
                }
            }
        });
        Mock { url, seen }
    }

    fn replay() -> Mock {
        Mock::start(Fixtures::load())
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve_one(stream: TcpStream, fixtures: &Fixtures) -> Option<Seen> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let req = Seen {
        method,
        path: decode(path),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect(),
        headers,
    };
    let (status, answer) = fixtures.respond(&req);
    let text = answer.to_string();
    let location = answer["location"]
        .as_str()
        .map(|l| format!("Location: {l}\r\n"))
        .unwrap_or_default();
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{location}Connection: close\r\n\r\n{text}",
        text.len()
    );
    Some(req)
}

/// Percent-decoding (`+` is a space in a query).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// A temp folder for the outputs.
struct Out {
    dir: tempfile::TempDir,
}

impl Out {
    fn new() -> Out {
        Out {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn s(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_string()
    }

    /// Every file in the folder.
    fn files(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

/// `flowgate pull --from <url> --account admin --password-stdin <extra…>`: (exit code, stdout, stderr).
fn pull(url: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "pull",
        "--from",
        url,
        "--account",
        "admin",
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    run_cli_stdin(&args, &[], &format!("{PASSWORD}\n"))
}

/// Pulls `-o out.json --report report.json` and returns (document text, report JSON, stderr).
fn pull_ok(url: &str, out: &Out, extra: &[&str]) -> (String, Value, String) {
    let (o, r) = (out.s("out.json"), out.s("report.json"));
    let mut args = vec!["-o", o.as_str(), "--report", r.as_str()];
    args.extend_from_slice(extra);
    let (code, _, stderr) = pull(url, &args);
    assert_eq!(code, 0, "pull failed: {stderr}");
    let text = std::fs::read_to_string(out.path("out.json")).unwrap();
    (text, read_json(&out.path("report.json")), stderr)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn example_text() -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join("example-export.json")).unwrap()
}

fn items_set(report: &Value) -> BTreeSet<String> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::to_string)
        .collect()
}

fn workflow<'a>(document: &'a Value, key: &str) -> &'a Value {
    document["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["key"] == key)
        .unwrap_or_else(|| panic!("no workflow {key}"))
}

fn collection<'a>(document: &'a Value, name: &str) -> Option<&'a Value> {
    document["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
}

// ---- case 1 ----

#[test]
fn case1_pull_writes_the_reference_document_and_report() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, report, stderr) = pull_ok(&mock.url, &out, &[]);
    // canonical as written, and equal to the reference once `source` is the reference's
    let mut got = parse(&text);
    assert_eq!(doc::to_canonical_string(&got), text, "not canonical");
    assert_eq!(got["source"]["kind"], "nocobase");
    let expected = example_text();
    got["source"] = parse(&expected)["source"].clone();
    assert_eq!(doc::to_canonical_string(&got), expected);
    let want = items_set(&read_json(&Path::new(FIXTURES).join("example-report.json")));
    assert_eq!(items_set(&report), want);
    let summary = &report["summary"];
    assert_eq!(
        (
            &summary["unsupported"],
            &summary["approximated"],
            &summary["warning"],
            &summary["skipped"]
        ),
        (&json!(9), &json!(3), &json!(1), &json!(2))
    );
    // one stderr line per item
    let lines = stderr
        .lines()
        .filter(|l| {
            l.starts_with("unsupported  ")
                || l.starts_with("approximated  ")
                || l.starts_with("warning  ")
                || l.starts_with("skipped  ")
        })
        .count();
    assert_eq!(lines, want.len(), "{stderr}");
    // The schedule trigger runs now: its workflow is no item of the report.
    assert!(!stderr.contains("br_wf_weekly_cleanup"), "{stderr}");
    assert!(stderr.contains(
        "unsupported  collections.br_products.fields.cost  field type decimal (interface number)"
    ), "{stderr}");
}

#[test]
fn pull_makes_exactly_the_reads_of_the_contract_in_order_with_bearer_and_role() {
    let mock = Mock::replay();
    let out = Out::new();
    pull_ok(&mock.url, &out, &["--role", "root"]);
    let seen = mock.seen();
    let calls: Vec<String> = seen
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        calls,
        [
            "POST /api/auth:signIn",
            "GET /api/app:getInfo",
            "GET /api/auth:check",
            "GET /api/collections:list",
            "GET /api/roles:list",
            "GET /api/roles/admin/resources:list",
            "GET /api/roles/br_sales/resources:list",
            "GET /api/roles/br_support/resources:list",
            "GET /api/roles/member/resources:list",
            "GET /api/dataSourcesRolesResourcesScopes:list",
            "GET /api/workflows:list",
        ]
    );
    assert_eq!(seen[0].headers["x-authenticator"], "basic");
    for s in &seen[1..] {
        assert_eq!(
            s.headers.get("authorization").map(String::as_str),
            Some("Bearer <NOCOBASE_TOKEN>"),
            "{}",
            s.path
        );
        assert_eq!(s.headers["x-role"], "root");
    }
    // the queries are index.json's pull_query
    let index = read_json(&Path::new(FIXTURES).join("index.json"));
    for c in index["calls"].as_array().unwrap() {
        let Some(want) = c.get("pull_query") else {
            continue;
        };
        if c["file"] == "workflows.list__all_versions.json" {
            continue;
        }
        let s = seen
            .iter()
            .find(|s| s.path == c["path"].as_str().unwrap())
            .unwrap();
        assert_eq!(query_json(&s.query), *want, "{}", s.path);
    }
}

/// Query pairs as index.json writes them: `k[]` keys collect arrays.
fn query_json(pairs: &[(String, String)]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        if k.ends_with("[]") {
            m.entry(k.clone())
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .unwrap()
                .push(json!(v));
        } else {
            m.insert(k.clone(), json!(v));
        }
    }
    Value::Object(m)
}

// ---- case 2 ----

#[test]
fn case2_system_collections_are_skipped_through_tables_kept_bookkeeping_dropped() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, _, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    assert!(collection(&d, "users").is_none());
    assert!(collection(&d, "roles").is_none());
    for through in ["t_1so8oezm7qk", "br_products_related"] {
        assert_eq!(collection(&d, through).unwrap()["isThrough"], true);
    }
    for c in d["collections"].as_array().unwrap() {
        assert!(c.get("key").is_none() && c.get("unavailableActions").is_none());
        for f in c["fields"].as_array().unwrap() {
            assert!(f.get("collectionName").is_none(), "{f}");
        }
    }
}

// ---- case 3 ----

#[test]
fn case3_nodes_are_rebuilt_in_pre_order_without_ids() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, _, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    let got: Vec<(String, Value, Value)> = workflow(&d, "br_wf_bulk_tier")["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["key"].as_str().unwrap().to_string(),
                n["upstream"].clone(),
                n["branchIndex"].clone(),
            )
        })
        .collect();
    let n = Value::Null;
    let want = [
        ("loop_each", n.clone(), n.clone()),
        ("mc_tier", json!("loop_each"), json!(0)),
        ("v_skip", json!("mc_tier"), json!(0)),
        ("u_gold", json!("mc_tier"), json!(1)),
        ("u_silver", json!("mc_tier"), json!(2)),
        ("par", json!("loop_each"), n.clone()),
        ("calc_n", json!("par"), json!(0)),
        ("jq_ids", json!("par"), json!(1)),
        ("out_n", json!("par"), n.clone()),
    ];
    let want: Vec<(String, Value, Value)> = want
        .into_iter()
        .map(|(k, u, b)| (k.to_string(), u, b))
        .collect();
    assert_eq!(got, want);
    for word in ["upstreamId", "downstreamId"] {
        assert!(!text.contains(word), "{word} in the document");
    }
    // `id` may be a word in configs (filters), never a node attribute
    for w in d["workflows"].as_array().unwrap() {
        for n in w["nodes"].as_array().unwrap() {
            assert!(n.get("id").is_none(), "{n}");
        }
        assert!(w.get("id").is_none());
    }
}

// ---- case 4 ----

#[test]
fn case4_only_the_current_version_unless_all_versions_puts_the_rest_in_history() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, _, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    let ws = d["workflows"].as_array().unwrap();
    assert_eq!(
        ws.iter()
            .filter(|w| w["key"] == "br_wf_price_check")
            .count(),
        1
    );
    let w = workflow(&d, "br_wf_price_check");
    assert_eq!(w["title"], "Price check v2");
    assert_eq!(w["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(w["config"]["appends"], json!(["related"]));
    assert!(w.get("history").is_none());

    let (text, _, _) = pull_ok(&mock.url, &out, &["--all-versions"]);
    let d = parse(&text);
    let w = workflow(&d, "br_wf_price_check");
    let history = w["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(history[0]["current"], Value::Null);
    assert!(history[0].as_object().unwrap().contains_key("current"));
    assert_eq!(w["title"], "Price check v2");
    let last = mock.seen().last().cloned().unwrap();
    assert_eq!(last.path, "/api/workflows:list");
    assert!(!last.query.iter().any(|(k, _)| k == "filter"));
}

// ---- case 5 ----

#[test]
fn case5_grant_scopes_are_names_and_never_server_ids() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, _, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    let roles = d["roles"].as_array().unwrap();
    assert!(!roles.iter().any(|r| r["name"] == "root"));
    let sales = roles.iter().find(|r| r["name"] == "br_sales").unwrap();
    let orders = sales["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "br_orders")
        .unwrap();
    let action = |name: &str| {
        orders["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        action("update"),
        json!({"fields": ["amount", "quantity", "title"], "name": "update", "scope": "own"})
    );
    assert_eq!(action("export")["scope"], "all");
    assert_eq!(action("triggerNew"), json!({"name": "triggerNew"}));
    assert!(!text.contains("400826641874946"));
}

// ---- case 6 ----

fn current_workflow<'a>(f: &'a mut Fixtures, key: &str) -> &'a mut Value {
    f.data("workflows.list__current.json")
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|w| w["key"] == key)
        .unwrap()
}

fn node_mut<'a>(w: &'a mut Value, key: &str) -> &'a mut Value {
    w["nodes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|n| n["key"] == key)
        .unwrap()
}

/// Pulls with `-o` from a mock that must make pull fail: exit 1, the error on stderr, no file at all.
fn pull_fails(mock: &Mock) -> String {
    let out = Out::new();
    let (o, r) = (out.s("out.json"), out.s("report.json"));
    let (code, stdout, stderr) = pull(&mock.url, &["-o", &o, "--report", &r]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(out.files(), Vec::<String>::new(), "a file was written");
    stderr
}

/// [`pull_fails`] against the fixtures with one call answered `status` and `message` instead.
fn pull_fails_when(method: &str, path: &str, status: u16, message: &str) -> String {
    let mut f = Fixtures::load();
    f.answer(
        method,
        path,
        status,
        json!({"errors": [{"message": message}]}),
    );
    pull_fails(&Mock::start(f))
}

#[test]
fn case6_two_head_nodes_fail_naming_the_workflow_and_write_nothing() {
    let mut f = Fixtures::load();
    let w = current_workflow(&mut f, "br_wf_price_check");
    let second = w["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| !n["upstreamId"].is_null())
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    node_mut(w, &second)["upstreamId"] = Value::Null;
    let stderr = pull_fails(&Mock::start(f));
    assert!(
        stderr.contains("workflow br_wf_price_check: 2 head nodes"),
        "{stderr}"
    );
}

#[test]
fn case6_a_downstream_that_disagrees_with_its_target_fails_and_writes_nothing() {
    let mut f = Fixtures::load();
    let w = current_workflow(&mut f, "br_wf_order_check");
    // q_customer → c_amount → calc_points: make the head point past its real downstream
    let calc = node_mut(w, "calc_points")["id"].clone();
    node_mut(w, "q_customer")["downstreamId"] = calc;
    let stderr = pull_fails(&Mock::start(f));
    assert!(
        stderr.contains("workflow br_wf_order_check: ") && stderr.contains("disagree"),
        "{stderr}"
    );
}

// ---- case 7 ----

#[test]
fn case7_a_scope_given_by_node_id_is_rewritten_to_the_node_key_and_reported() {
    let mut f = Fixtures::load();
    let w = current_workflow(&mut f, "br_wf_bulk_tier");
    let loop_node = node_mut(w, "loop_each");
    let id = loop_node["id"].as_i64().unwrap();
    let operands = &mut loop_node["config"]["condition"]["calculation"]["group"]["calculations"][0]
        ["operands"][0];
    assert_eq!(*operands, "{{$scopes.loop_each.item.id}}");
    *operands = json!(format!("{{{{$scopes.{id}.item.id}}}}"));
    let mock = Mock::start(f);
    let out = Out::new();
    let (text, report, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    let node = &workflow(&d, "br_wf_bulk_tier")["nodes"][0];
    assert_eq!(
        node["config"]["condition"]["calculation"]["group"]["calculations"][0]["operands"][0],
        "{{$scopes.loop_each.item.id}}"
    );
    assert!(!text.contains(&id.to_string()));
    let rewritten: Vec<&Value> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["severity"] == "rewritten")
        .collect();
    assert_eq!(rewritten.len(), 1);
    assert_eq!(rewritten[0]["path"], "workflows.br_wf_bulk_tier");
    assert_eq!(rewritten[0]["what"], format!("$scopes.{id}"));
}

// ---- case 8 ----

#[test]
fn case8_neither_the_token_nor_the_password_appears_in_any_output() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, report, stderr) = pull_ok(&mock.url, &out, &[]);
    let report_text = report.to_string();
    for secret in [FIXTURE_TOKEN, PASSWORD] {
        for (what, s) in [
            ("document", &text),
            ("report", &report_text),
            ("stderr", &stderr),
        ] {
            assert!(!s.contains(secret), "{secret} in the {what}");
        }
    }
    assert!(stderr.contains("warning  workflows.br_wf_order_created  $env.BR_CRM_TOKEN"));
    assert!(report["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["severity"] == "warning"
            && i["path"] == "workflows.br_wf_order_created"
            && i["what"] == "$env.BR_CRM_TOKEN"
            && i["effect"]
                .as_str()
                .unwrap()
                .contains("FLOWGATE_ENV_BR_CRM_TOKEN")));
}

#[test]
fn case8_errors_name_the_call_and_the_server_answer_but_no_secret() {
    let stderr = pull_fails_when(
        "POST",
        "/api/auth:signIn",
        401,
        "The username or password is incorrect, please re-enter",
    );
    assert!(
        stderr.contains("POST /api/auth:signIn: 401 The username or password is incorrect"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD));

    let stderr = pull_fails_when("GET", "/api/roles:list", 500, "boom");
    assert!(stderr.contains("GET /api/roles:list: 500 boom"), "{stderr}");
    assert!(!stderr.contains(FIXTURE_TOKEN) && !stderr.contains(PASSWORD));
}

// ---- case 9 ----

#[test]
fn case9_nocobase_source_carries_its_version() {
    let mock = Mock::replay();
    let out = Out::new();
    let (text, _, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    assert_eq!(d["source"]["kind"], "nocobase");
    assert_eq!(d["source"]["serverVersion"], "2.2.15");
}

#[test]
fn case9_a_server_without_app_get_info_and_with_health_is_read_as_flowgate() {
    let mut f = Fixtures::load();
    f.answer(
        "GET",
        "/api/app:getInfo",
        404,
        json!({"errors": [{"message": "Resource app not found", "code": "RESOURCE_NOT_FOUND"}]}),
    )
    .answer("GET", "/api/health", 200, json!({"data": {"status": "ok"}}));
    let mock = Mock::start(f);
    let out = Out::new();
    let (text, _, _) = pull_ok(&mock.url, &out, &[]);
    let d = parse(&text);
    assert_eq!(d["source"]["kind"], "flowgate");
    assert!(d["source"].get("serverVersion").is_none());
    // no scope rows on a flowgate: call 4 is not made
    assert!(!mock
        .seen()
        .iter()
        .any(|s| s.path == "/api/dataSourcesRolesResourcesScopes:list"));
}

/// `flowgate pull --from <flowgate> <args…> -o out.json` with `stdin`: (exit code, stderr, document).
fn pull_flowgate(s: &Server, args: &[&str], stdin: &str) -> (i32, String, Value) {
    let out = Out::new();
    let o = out.s("out.json");
    let mut all = vec!["pull", "--from", s.base.as_str()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", &o]);
    let (code, _, stderr) = run_cli_stdin(&all, &[], stdin);
    let d = std::fs::read_to_string(out.path("out.json"))
        .map(|t| parse(&t))
        .unwrap_or(Value::Null);
    (code, stderr, d)
}

#[test]
fn case9_pull_from_flowgate_turns_system_fields_into_collection_flags() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "posts", "title": "Posts", "fields": [{"name": "title", "type": "string"}]})),
    );
    let wid = wf::global(&s, "wf_hello", true);
    let cond = wf::n(
        "condition",
        "c",
        json!({"rejectOnFalse": false, "engine": "basic",
               "calculation": {"group": {"type": "and", "calculations": []}}}),
    );
    let ids = wf::chain(&s, wid, &[wf::calc("a", "1"), cond]);
    wf::chain_after(&s, wid, Some(ids[1]), &[wf::calc("z", "3")]);
    wf::branch(&s, wid, ids[1], 1, &[wf::calc("t", "2")]);
    let (status, info) = s.get(&s.root(), "/api/app:getInfo");
    assert_eq!(status, 200, "{info}");
    assert_eq!(
        info["data"],
        json!({"name": "flowgate", "version": env!("CARGO_PKG_VERSION"), "database": {"dialect": "sqlite"}})
    );
    // signed in with a password, as a user would
    let (code, stderr, d) = pull_flowgate(
        &s,
        &["--account", "admin", "--password-stdin"],
        &format!("{}\n", common::ROOT_PASSWORD),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(d["source"]["kind"], "flowgate");
    assert_eq!(d["source"]["serverVersion"], env!("CARGO_PKG_VERSION"));
    let posts = collection(&d, "posts").expect("posts pulled");
    for flag in [
        "autoGenId",
        "createdAt",
        "updatedAt",
        "createdBy",
        "updatedBy",
    ] {
        assert_eq!(posts[flag], true, "{flag}: {posts}");
    }
    let names: Vec<&str> = posts["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["title"]);
    let w = workflow(&d, "wf_hello");
    assert_eq!(w["type"], "custom-action");
    let links: Vec<Value> = w["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| json!([n["key"], n["upstream"], n["branchIndex"]]))
        .collect();
    assert_eq!(
        links,
        [
            json!(["a", null, null]),
            json!(["c", "a", null]),
            json!(["t", "c", 1]),
            json!(["z", "c", null])
        ]
    );
    assert_eq!(w["enabled"], true);
}

#[test]
fn records_puts_each_pulled_collections_rows_under_records() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "posts", "fields": [{"name": "title", "type": "string"}]})),
    );
    s.ok("POST", "/api/posts:create", Some(json!({"title": "one"})));
    s.ok("POST", "/api/posts:create", Some(json!({"title": "two"})));
    let (code, stderr, d) = pull_flowgate(&s, &["--token", &s.root(), "--records"], "");
    assert_eq!(code, 0, "{stderr}");
    let titles: Vec<&str> = d["records"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["one", "two"]);
}

#[test]
fn app_get_info_needs_a_signed_in_caller() {
    let s = Server::start();
    let (status, _) = s.req("GET", "/api/app:getInfo").send();
    assert_eq!(status, 401);
}

// ---- case 10 ----

#[test]
fn case10_a_refused_workflows_read_fails_naming_the_role_and_writes_nothing() {
    let stderr = pull_fails_when("GET", "/api/workflows:list", 403, "No permissions");
    assert!(
        stderr.contains("role root cannot read workflows"),
        "{stderr}"
    );
}

// ---- §1: addresses, redirects, usage, strict ----

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = Mock::replay();
    let mut f = Fixtures::load();
    let target = format!(
        "{}/api/app:getInfo",
        elsewhere.url.replace("127.0.0.1", "localhost")
    );
    f.answer("GET", "/api/app:getInfo", 302, json!({"location": target}));
    let stderr = pull_fails(&Mock::start(f));
    assert!(stderr.contains("redirects to another host"), "{stderr}");
    assert!(
        elsewhere.seen().is_empty(),
        "the token went to the other host"
    );
}

#[test]
fn only_http_addresses_and_one_way_to_sign_in_are_accepted() {
    let (code, _, stderr) = pull("ftp://127.0.0.1:1", &["-o", "x.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not an http:// or https:// address"));
    let (code, _, stderr) = run_cli_stdin(
        &["pull", "--from", "http://127.0.0.1:1", "-o", "x.json"],
        &[],
        "",
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--token"));
}

#[test]
fn strict_exits_3_after_writing_the_document_when_something_is_unsupported() {
    let mock = Mock::replay();
    let out = Out::new();
    let o = out.s("out.json");
    let (code, _, stderr) = pull(&mock.url, &["-o", &o, "--strict"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(out.path("out.json").exists());
}

#[test]
fn a_token_skips_the_sign_in() {
    let mock = Mock::replay();
    let out = Out::new();
    let o = out.s("out.json");
    let (code, _, stderr) = run_cli_stdin(
        &["pull", "--from", &mock.url, "--token", "tok-123", "-o", &o],
        &[],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let seen = mock.seen();
    assert_eq!(seen[0].path, "/api/app:getInfo");
    assert_eq!(seen[0].headers["authorization"], "Bearer tok-123");
}

#[test]
fn dry_run_with_out_fetches_and_reports_but_writes_no_file() {
    let mock = Mock::replay();
    let out = Out::new();
    let o = out.s("out.json");
    let (code, _, stderr) = pull(&mock.url, &["-o", &o, "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("skipped  collections.users"));
    assert_eq!(out.files(), Vec::<String>::new());
}

/// Pull without `-o` is "fetch, then import" (bridge.md §1): the store gets the app, and the report is
/// one: pull's items (skipped system collections, the `$env` warning) and import's, each once.
#[test]
fn pull_without_out_imports_into_the_data_folder_with_one_report() {
    let mock = Mock::replay();
    let out = Out::new();
    let (data, r) = (out.s("data"), out.s("report.json"));
    let (code, _, stderr) = pull(&mock.url, &["--data", &data, "--report", &r]);
    assert_eq!(code, 0, "{stderr}");
    let report = read_json(&out.path("report.json"));
    let items = report["items"].as_array().unwrap();
    let mut seen = BTreeSet::new();
    for i in items {
        assert!(seen.insert(i.to_string()), "reported twice: {i}");
    }
    let want = items_set(&read_json(&Path::new(FIXTURES).join("example-report.json")));
    assert_eq!(
        items_set(&report),
        want,
        "the fixture's report, each item once"
    );
    let (code, text, stderr) = run_cli_stdin(&["export", "--data", &data], &[], "");
    assert_eq!(code, 0, "{stderr}");
    let mut got = parse(&text);
    got["source"] = parse(&example_text())["source"].clone();
    assert_eq!(
        doc::to_canonical_string(&got),
        example_text(),
        "the store holds the pulled app"
    );
    let (code, _, stderr) = pull(&mock.url, &["--data", &data]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("\n0 changes") || stderr.starts_with("0 changes"),
        "a second pull changes nothing: {stderr}"
    );
}
