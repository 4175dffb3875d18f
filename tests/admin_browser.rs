//! The admin page in a real browser: Debian's chromedriver drives headless Chromium over the W3C WebDriver
//! HTTP protocol (spoken with `ureq`), against the real server started with `--demo`.
//!
//! The first test signs in, reads a workflow key on the workflows list, copies a curl call, runs the
//! trigger through "Try it", follows the new execution to the executions list and the execution page,
//! and signs out. The authoring tests (issue 15) build without JSON: a person's whole loop (collection,
//! fields, records, a sync workflow with a condition and a response message, Try it, the execution),
//! associations and deletions, node moves and edits, every node and trigger form reading back what it
//! shows, and execution cancel and delete. It saves a PNG of each page under
//! `target/admin-screenshots/` for a person to look at (the README's table names them). Without
//! /usr/bin/chromium or /usr/bin/chromedriver it FAILS (`.ci/run` installs them); it never skips.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The key WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `target/admin-screenshots`, next to the binary under test (honours CARGO_TARGET_DIR).
fn screenshot_dir() -> PathBuf {
    let bin = Path::new(bin());
    let target = bin
        .parent()
        .and_then(Path::parent)
        .expect("target dir of the flowgate binary");
    let dir = target.join("admin-screenshots");
    std::fs::create_dir_all(&dir).expect("create target/admin-screenshots");
    // Once per run: the browser tests run in parallel, and a later start must not delete an earlier
    // test's pictures.
    static CLEAR: std::sync::Once = std::sync::Once::new();
    CLEAR.call_once(|| {
        for e in std::fs::read_dir(&dir)
            .expect("read screenshot dir")
            .flatten()
        {
            if e.path().extension().is_some_and(|x| x == "png") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    });
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A chromedriver process and one browser session.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(shots: PathBuf) -> Browser {
        for (path, pkg) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(
                Path::new(path).exists(),
                "{path} is missing: the admin browser test needs Debian's {pkg} \
                 (apt-get install -y chromium chromium-driver; .ci/run installs it)"
            );
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let port = free_port();
        let log =
            std::fs::File::create(profile.path().join("chromedriver.log")).expect("driver log");
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn chromedriver");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        let base = format!("http://127.0.0.1:{port}");
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            shots,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((200, v)) = b.raw("GET", "/status", None) {
                if v["value"]["ready"] == true {
                    break;
                }
            }
            if let Ok(Some(st)) = b.driver.try_wait() {
                panic!("chromedriver exited at start: {st}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let user_data = b._profile.path().join("chromium");
        // The flags of the brief, plus --disable-dev-shm-usage (small /dev/shm in containers) and
        // --no-default-browser-check; --window-size is the window, the viewport is set exactly below.
        let args = json!([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,800",
            format!("--user-data-dir={}", user_data.display()),
        ]);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let (st, v) = b.raw("POST", "/session", Some(caps)).expect("new session");
        assert_eq!(
            st, 200,
            "could not start Chromium through chromedriver: {v}"
        );
        b.session = v["value"]["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        b
    }

    fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Result<(u16, Value), String> {
        let req = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        let res = match body {
            Some(b) => req.send_json(b),
            None if method == "GET" || method == "DELETE" => req.call(),
            None => req.send_json(json!({})),
        };
        let res = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(e.to_string()),
        };
        let st = res.status();
        let v: Value = res.into_json().map_err(|e| e.to_string())?;
        Ok((st, v))
    }

    /// A session command that must succeed; returns `value`.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{}", self.session, path);
        match self.raw(method, &full, body) {
            Ok((200, v)) => v["value"].clone(),
            Ok((st, v)) => panic!("WebDriver {method} {path} → {st}: {}", v["value"]),
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        }
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Sets the viewport exactly (CSS pixels), `mobile` for the narrow layout.
    fn viewport(&self, width: u32, height: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs an async script: it ends by calling its last argument with the value.
    fn js_async(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// An attribute of `<html>`, where the page records what it copied or downloaded.
    fn root_attr(&self, name: &str) -> Option<String> {
        self.js(
            "return document.documentElement.getAttribute(arguments[0])",
            json!([name]),
        )
        .as_str()
        .map(str::to_string)
    }

    fn find(&self, css: &str) -> Option<String> {
        let full = format!("/session/{}/element", self.session);
        match self.raw(
            "POST",
            &full,
            Some(json!({"using": "css selector", "value": css})),
        ) {
            Ok((200, v)) => v["value"][ELEMENT].as_str().map(str::to_string),
            _ => None,
        }
    }

    /// Waits until `f` gives Some; on timeout saves `failure-<what>.png` and fails with the page text.
    fn wait<T>(&self, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(v) = f() {
                return v;
            }
            if Instant::now() > deadline {
                let name = format!(
                    "failure-{}.png",
                    what.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                );
                self.screenshot_viewport(&name);
                let text = self.js(
                    "return document.body ? document.body.innerText : ''",
                    json!([]),
                );
                panic!(
                    "timed out waiting for {what} at {}; screenshot {name}; page text:\n{}",
                    self.url(),
                    text.as_str()
                        .unwrap_or("")
                        .chars()
                        .take(3000)
                        .collect::<String>()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for an element matching `css` and returns its reference.
    fn el(&self, css: &str) -> String {
        self.wait(css, || self.find(css))
    }

    /// Clicks the element `css` names now: an element the page replaced between the find and the click
    /// (a re-render after a save) is found again, for up to 10 s.
    fn click(&self, css: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let id = self.el(css);
            let path = format!("/session/{}/element/{id}/click", self.session);
            match self.raw("POST", &path, Some(json!({}))) {
                Ok((200, _)) => return,
                Ok((_, v))
                    if v["value"]["error"] == "stale element reference"
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok((st, v)) => panic!("WebDriver click {css} → {st}: {}", v["value"]),
                Err(e) => panic!("WebDriver click {css}: {e}"),
            }
        }
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.el(css);
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        );
    }

    fn clear(&self, css: &str) {
        let id = self.el(css);
        self.cmd("POST", &format!("/element/{id}/clear"), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        let id = self.el(css);
        self.cmd("GET", &format!("/element/{id}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn attr(&self, css: &str, name: &str) -> Option<String> {
        let id = self.el(css);
        self.cmd("GET", &format!("/element/{id}/attribute/{name}"), None)
            .as_str()
            .map(str::to_string)
    }

    /// Waits until `css` matches an element whose text contains `needle`.
    fn wait_text(&self, css: &str, needle: &str) -> String {
        self.wait(&format!("{css} containing {needle:?}"), || {
            let id = self.find(css)?;
            let full = format!("/session/{}/element/{id}/text", self.session);
            match self.raw("GET", &full, None) {
                Ok((200, v)) => v["value"]
                    .as_str()
                    .filter(|t| t.contains(needle))
                    .map(str::to_string),
                _ => None,
            }
        })
    }

    fn save(&self, name: &str, b64: &str) {
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64 screenshot");
        assert!(
            png.starts_with(b"\x89PNG"),
            "screenshot {name} is not a PNG"
        );
        std::fs::write(self.shots.join(name), png).expect("write screenshot");
    }

    /// The whole page, beyond the viewport.
    fn screenshot(&self, name: &str) {
        let m = self.cdp("Page.getLayoutMetrics", json!({}));
        let size = &m["cssContentSize"];
        let clip =
            json!({"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1});
        let v = self.cdp(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true, "clip": clip}),
        );
        self.save(name, v["data"].as_str().expect("screenshot data"));
    }

    /// What the viewport shows now.
    fn screenshot_viewport(&self, name: &str) {
        let full = format!("/session/{}/screenshot", self.session);
        if let Ok((200, v)) = self.raw("GET", &full, None) {
            if let Some(d) = v["value"].as_str() {
                self.save(name, d);
            }
        }
    }

    /// Browser console entries since the last call.
    fn console(&self) -> Vec<Value> {
        self.cmd("POST", "/se/log", Some(json!({"type": "browser"})))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.raw("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Controls without an accessible name (label, aria-label, aria-labelledby or text) on the page now.
const UNNAMED: &str = "return Array.from(document.querySelectorAll('button, input, select, textarea, a[href]'))
  .filter(e => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent.trim()
    || (e.labels && Array.from(e.labels).some(l => l.textContent.trim()))))
  .map(e => e.outerHTML.slice(0, 160))";

fn assert_named(b: &Browser, page: &str) {
    let unnamed = b.js(UNNAMED, json!([]));
    assert_eq!(
        unnamed,
        json!([]),
        "controls without an accessible name on the {page}"
    );
    let fake = b.js("return document.querySelectorAll('[onclick], div[role=button], span[role=button], a:not([href])').length", json!([]));
    assert_eq!(fake, json!(0), "clickable non-buttons on the {page}");
}

/// Issue 13.6: root's "Download export" on the workflows list, pressed with the keyboard, saves the
/// document `app:export` answers; acting as `member` the control is not there.
fn download_export_by_keyboard(b: &Browser, s: &Server) {
    let downloads = tempfile::tempdir().expect("download dir");
    let dir = downloads.path().to_str().unwrap();
    let allow = json!({"behavior": "allow", "downloadPath": dir});
    b.cdp("Browser.setDownloadBehavior", allow);
    let label = b.attr("#download-export", "aria-label").unwrap_or_default();
    assert!(label.starts_with("Download export"), "{label}");
    let id = b.el("#download-export");
    b.cmd(
        "POST",
        &format!("/element/{id}/value"),
        Some(json!({"text": "\u{E007}"})),
    );
    let name = b.wait("the page's download", || b.root_attr("data-last-download"));
    let date = &flowgate::time::now_iso()[..10];
    assert_eq!(name, format!("flowgate-export-{date}.json"));
    let saved = b.wait("the export file in the download folder", || {
        let text = std::fs::read_to_string(downloads.path().join(&name)).ok()?;
        serde_json::from_str::<Value>(&text).ok()
    });
    let (st, served) = s.req("GET", "/api/app:export").bearer(&s.root()).send();
    assert_eq!(st, 200);
    assert_eq!(saved, served, "the saved file is the export");
    b.wait_text("#status", &format!("Downloaded {name}"));
    b.screenshot_viewport("10-download-export.png");
    let select_role = |role: &str| {
        b.js(
            "const s = document.getElementById('role-select'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
            json!([role]),
        );
    };
    select_role("member");
    b.wait_text("#view", "may not see this page");
    assert!(
        b.find("#download-export").is_none(),
        "a member is offered the export"
    );
    select_role("root");
    b.el("#download-export");
}

/// The console errors, except the 401 the deliberate wrong password provokes and the 403 of acting as
/// member.
fn console_errors(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or("").to_string())
        .filter(|m| !(m.contains("/api/auth:signIn") && m.contains("401")))
        // Acting as member, the workflows list is refused on purpose (download_export_by_keyboard).
        .filter(|m| !(m.contains("/api/workflows:list") && m.contains("403")))
        .collect()
}

#[test]
fn admin_page_signs_in_copies_a_call_tries_it_and_shows_the_execution() {
    // A spawned server: the page is tested against the binary as shipped.
    let s = Server::builder().spawned().arg("--demo").start();
    let b = Browser::start(screenshot_dir());
    b.viewport(1280, 800, false);

    // `/` redirects to the page, which asks to sign in.
    b.goto(&s.url("/"));
    b.el("#signin-account");
    assert!(
        b.url().ends_with("/admin/"),
        "/ should redirect to /admin/, got {}",
        b.url()
    );
    b.screenshot("01-sign-in.png");
    assert_named(&b, "sign-in page");

    // A wrong password is reported on the form.
    b.type_into("#signin-account", "admin");
    b.type_into("#signin-password", "not-the-password");
    b.click("#signin-submit");
    b.wait_text("#signin-error", "incorrect");

    b.clear("#signin-password");
    b.type_into("#signin-password", ROOT_PASSWORD);
    b.click("#signin-submit");

    // Workflows list: the demo keys, each in its own column and as the title's hover text.
    let row = "#workflows tbody tr[data-key=\"demo_sample_sync\"]";
    b.el(row);
    for key in [
        "demo_sample_sync",
        "demo_sample_async",
        "demo_category",
        "demo_global",
    ] {
        b.el(&format!("#workflows tbody tr[data-key=\"{key}\"]"));
    }
    let key = b.text(&format!("{row} .workflow-key"));
    assert_eq!(key, "demo_sample_sync");
    assert_eq!(
        b.attr(&format!("{row} a.workflow-link"), "title")
            .as_deref(),
        Some("demo_sample_sync")
    );
    let cells = b.js(
        "return Array.from(arguments[0] ? document.querySelectorAll(arguments[0] + ' td') : []).map(td => td.innerText.trim())",
        json!([row]),
    );
    let cells: Vec<String> = cells
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        cells[2].contains("Custom action") && cells[3] == "Single record" && cells[4] == "samples",
        "{cells:?}"
    );
    assert!(cells[5] == "Sync", "{cells:?}");
    b.screenshot("02-workflows.png");
    assert_named(&b, "workflows list");

    download_export_by_keyboard(&b, &s);

    // The text filter.
    b.type_into("#workflow-filter", "sample_sync");
    let visible = "return Array.from(document.querySelectorAll('#workflows tbody tr')).filter(r => !r.hidden).map(r => r.dataset.key)";
    b.wait("filtered rows", || {
        (b.js(visible, json!([])) == json!(["demo_sample_sync"])).then_some(())
    });
    b.clear("#workflow-filter");
    b.wait("all rows again", || {
        (b.js(visible, json!([])).as_array().map(|a| a.len()) == Some(4)).then_some(())
    });

    // The enabled toggle (root) calls workflows:update.
    let global_id = b
        .attr("#workflows tbody tr[data-key=\"demo_global\"]", "data-id")
        .expect("data-id");
    let enabled = |want: bool| {
        b.wait(&format!("demo_global enabled={want}"), || {
            let (st, v) = s.get(&s.root(), &format!("/api/workflows:get/{global_id}"));
            (st == 200 && v["data"]["enabled"] == want).then_some(())
        })
    };
    b.click(&format!("#enabled-{global_id}"));
    enabled(false);
    b.wait("toggle settles", || {
        (b.js(
            &format!("return document.getElementById('enabled-{global_id}').disabled"),
            json!([]),
        ) == false)
            .then_some(())
    });
    b.click(&format!("#enabled-{global_id}"));
    enabled(true);

    // The workflow page: its chain of nodes, and calls built from the real address.
    b.click(&format!("{row} a.workflow-link"));
    b.el("#node-chain .node[data-node-key=\"reply\"]");
    let chain = b.js("return Array.from(document.querySelectorAll('#node-chain .node[data-node-key]')).map(n => n.dataset.nodeKey)", json!([]));
    assert_eq!(chain, json!(["check", "score", "reply"]));
    b.type_into("#try-id", "1");
    b.click("[data-call=\"record\"] .btn-copy");
    let copied = b.wait("copied text", || b.root_attr("data-last-copied"));
    let url = format!(
        "{}/api/samples:trigger/1?triggerWorkflows=demo_sample_sync",
        s.base
    );
    assert!(copied.contains("demo_sample_sync"), "copied: {copied}");
    assert!(
        copied.contains(&s.base) && copied.contains(&url),
        "copied {copied:?} lacks {url}"
    );
    assert!(
        copied.starts_with(
            "curl -X POST -H 'Authorization: Bearer <your token>' -H 'X-Role: root' \\\n"
        ),
        "{copied}"
    );
    assert!(
        !copied.contains(" -d "),
        "the record-by-id call has no body: {copied}"
    );
    // The copied call works once the token is filled in.
    let (st, v) = s
        .req("POST", url.strip_prefix(&s.base).unwrap())
        .bearer(&s.root())
        .header("X-Role", "root")
        .send();
    assert_eq!(st, 200, "copied call: {v}");
    // The other forms are there too.
    let edited = b.text("#call-edited");
    assert!(
        edited.contains(" -d \\\n  '{") && edited.contains(&url),
        "{edited}"
    );
    assert!(b.text("#call-new").contains(&format!(
        "{}/api/samples:trigger?triggerWorkflows=demo_sample_sync",
        s.base
    )));
    // "Include my token" puts the session's token into the calls.
    let token = b.js(
        "return JSON.parse(sessionStorage.getItem('flowgate.admin.session')).token",
        json!([]),
    );
    let token = token.as_str().expect("token in sessionStorage").to_string();
    b.click("#include-token");
    b.wait_text("#call-record", &format!("Authorization: Bearer {token}"));
    b.click("#include-token");
    b.wait_text("#call-record", "Bearer <your token>");
    b.screenshot("03-workflow.png");
    assert_named(&b, "workflow page");

    // Try it with id 1.
    b.click("#try-run");
    let status = b.wait_text("#try-status", "200");
    assert!(status.starts_with("200"), "{status}");
    let response = b.text("#try-response");
    assert!(
        response.contains("Sample \\\"Sample 1\\\": indicator 91, score 100.1, high true"),
        "{response}"
    );
    let exec_id = b
        .attr("#try-result a.exec-link", "data-execution-id")
        .expect("execution link");
    let exec_id: i64 = exec_id.parse().expect("execution id");
    b.js(
        "document.getElementById('try-h').scrollIntoView()",
        json!([]),
    );
    b.screenshot_viewport("04-try-it.png");

    // The executions list, newest first, shows the new execution as RESOLVED.
    b.click("#nav-executions");
    let exec_row = format!("table.executions tr[data-execution-id=\"{exec_id}\"]");
    b.wait_text(&format!("{exec_row} .status"), "RESOLVED");
    let ids = b.js("return Array.from(document.querySelectorAll('table.executions tbody tr')).map(r => Number(r.dataset.executionId))", json!([]));
    let ids: Vec<i64> = ids
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.first(), Some(&exec_id), "newest first: {ids:?}");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    b.screenshot("05-executions.png");
    assert_named(&b, "executions list");

    // The execution page: context and jobs.
    b.click(&format!("{exec_row} a.exec-link"));
    b.wait_text("#execution-context", "Sample 1");
    let jobs = b.js("return Array.from(document.querySelectorAll('#jobs tbody tr')).map(r => [r.dataset.nodeKey, r.querySelector('.status').textContent])", json!([]));
    assert_eq!(
        jobs,
        json!([
            ["check", "RESOLVED"],
            ["score", "RESOLVED"],
            ["reply", "RESOLVED"]
        ])
    );
    assert!(b.text("h1").contains("RESOLVED"));
    b.screenshot("06-execution.png");
    assert_named(&b, "execution page");

    // The assoc form on the categories workflow and the global form.
    let by_key = |k: &str| -> String {
        let (_, v) = s.get(&s.root(), "/api/workflows:list?paginate=false");
        let w = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["key"] == k && w["current"] == true)
            .cloned();
        w.unwrap_or_else(|| panic!("no workflow {k}"))["id"].to_string()
    };
    b.goto(&s.url(&format!("/admin/#/workflows/{}", by_key("demo_category"))));
    let assoc = b.text("[data-call=\"assoc-posts-category\"] pre");
    let assoc_url = format!(
        "{}/api/posts:trigger/<id>?triggerWorkflows=demo_category!category",
        s.base
    );
    assert!(assoc.contains(&assoc_url), "{assoc}");
    // Issue 11.15: every call on the page pastes into an interactive bash (history expansion on) and
    // hands curl the URL whole; `key!association` in double quotes was "event not found".
    let calls = b.js(
        "return Array.from(document.querySelectorAll('pre.curl')).map(p => p.textContent)",
        json!([]),
    );
    let calls: Vec<String> = calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert!(calls.len() >= 3, "{calls:?}");
    for call in &calls {
        let words =
            words_in_interactive_bash(call).unwrap_or_else(|e| panic!("bash refuses {call}: {e}"));
        assert!(
            words
                .last()
                .is_some_and(|u| u.starts_with(&format!("{}/api/", s.base))),
            "{call} → {words:?}"
        );
    }
    assert!(
        calls.iter().any(|c| c.ends_with(&format!("'{assoc_url}'"))),
        "{calls:?}"
    );
    b.goto(&s.url(&format!("/admin/#/workflows/{}", by_key("demo_global"))));
    let global = b.text("#call-global");
    assert!(
        global.contains(&format!(
            "{}/api/workflows:trigger?triggerWorkflows=demo_global",
            s.base
        )),
        "{global}"
    );

    // Narrow screen: the list turns into cards without a horizontal scroll bar.
    b.viewport(390, 844, true);
    b.goto(&s.url("/admin/#/workflows"));
    b.el(row);
    no_sideways_scroll(&b, "list");
    let right = b
        .js(
            "const r = document.getElementById('download-export').getBoundingClientRect(); return r.width > 0 ? r.right : -1",
            json!([]),
        )
        .as_f64()
        .unwrap();
    assert!(
        (0.0..=390.0).contains(&right),
        "Download export is off the narrow screen: right edge {right}"
    );
    b.screenshot("07-workflows-narrow.png");
    b.goto(&s.url(&format!(
        "/admin/#/workflows/{}",
        by_key("demo_sample_sync")
    )));
    b.el("#node-chain .node[data-node-key=\"reply\"]");
    no_sideways_scroll(&b, "workflow page");
    b.screenshot("08-workflow-narrow.png");
    b.viewport(1280, 800, false);

    // No console errors on the way.
    assert_only_refusals(&b, &[]);

    // Sign-out revokes the token and shows the form again.
    b.click("#sign-out");
    b.el("#signin-account");
    let (st, v) = s.get(&token, "/api/auth:check");
    assert_eq!((st, code(&v)), (401, "BLOCKED_TOKEN"));
    let stored = b.js(
        "return sessionStorage.getItem('flowgate.admin.session')",
        json!([]),
    );
    assert_eq!(stored, Value::Null);
}

#[test]
fn admin_assets_are_served_with_a_strict_policy() {
    let s = Server::start();
    let r = s.req("GET", "/admin").raw(b"");
    assert_eq!(r.status, 200, "redirect followed to the page");
    assert!(r
        .text
        .contains("<script type=\"module\" src=\"/admin/app.js\">"));
    let csp = r
        .header("content-security-policy")
        .unwrap_or("")
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    for (path, ctype) in [
        ("/admin/app.js", "text/javascript"),
        ("/admin/app.css", "text/css"),
        ("/admin/favicon.svg", "image/svg+xml"),
    ] {
        let r = s.req("GET", path).raw(b"");
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap_or("").starts_with(ctype),
            "{path}"
        );
    }
    // A deep link falls back to the page; a missing file is a 404, never HTML in place of a script.
    assert!(s
        .req("GET", "/admin/workflows/1")
        .raw(b"")
        .text
        .contains("<main"));
    let r = s.req("GET", "/admin/nope.js").raw(b"");
    assert_eq!(r.status, 404);
    // The page's ES modules (issue 15.6: a few files that say what they hold) are scripts too.
    let modules = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"))
        .expect("assets")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".js"))
        .map(|n| format!("/admin/{n}"))
        .collect::<Vec<_>>();
    assert!(modules.len() >= 8, "{modules:?}");
    for path in &modules {
        let r = s.req("GET", path).raw(b"");
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type")
                .unwrap_or("")
                .starts_with("text/javascript"),
            "{path}"
        );
    }
    // Nothing is fetched from another origin.
    for path in ["/admin/", "/admin/app.css"]
        .into_iter()
        .chain(modules.iter().map(String::as_str))
    {
        // SVG's namespace is a name, never fetched (charts.js makes its elements in it).
        let t = s
            .req("GET", path)
            .raw(b"")
            .text
            .replace("'http://www.w3.org/2000/svg'", "");
        assert!(
            !t.contains("http://") && !t.contains("https://") && !t.contains("//cdn"),
            "{path} names another origin"
        );
    }
}

/// The node types of triggers-and-nodes.md §7–§11 are drawn with NocoBase's names and their main settings.
#[test]
fn admin_page_draws_the_newer_node_types_with_their_labels() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_items","fields":[{"name":"amount","type":"integer"}]})),
    );
    let w = s.ok(
        "POST",
        "/api/workflows:create",
        Some(json!({"title":"newer nodes","type":"custom-action","config":{"type":0}})),
    );
    let wid = w["id"].as_i64().expect("id");
    let nodes = [
        (
            "agg",
            "aggregate",
            json!({"aggregator":"sum","collection":"tn_items","params":{"field":"amount"}}),
        ),
        (
            "q",
            "sql",
            json!({"sql":"SELECT :n AS n","variables":[{"name":"n","value":1}]}),
        ),
        (
            "jq",
            "json-query",
            json!({"source":"{{$context.data}}","expression":"items[0]"}),
        ),
        (
            "map",
            "json-variable-mapping",
            json!({"dataSource":{"a":1},"variables":[{"key":"a","paths":["a"]}]}),
        ),
        (
            "date",
            "dateCalculation",
            json!({"steps":[{"function":"add","arguments":{"number":1,"unit":"day"}}]}),
        ),
    ];
    let mut upstream = Value::Null;
    for (key, kind, config) in &nodes {
        let n = s.ok(
            "POST",
            &format!("/api/workflows/{wid}/nodes:create"),
            Some(json!({"key":key,"type":kind,"config":config,"upstreamId":upstream})),
        );
        upstream = n["id"].clone();
    }

    let b = Browser::start(screenshot_dir());
    b.viewport(1280, 800, false);
    sign_in(&b, &s);
    b.goto(&s.url(&format!("/admin/#/workflows/{wid}")));
    b.el("#node-chain .node[data-node-key=\"date\"]");
    let drawn = b.js(
        "return Array.from(document.querySelectorAll('#node-chain .node[data-node-key]')).map(n => [n.dataset.nodeKey, n.querySelector('.node-type').textContent, n.querySelector('.node-type').title])",
        json!([]),
    );
    assert_eq!(
        drawn,
        json!([
            ["agg", "Aggregate", "aggregate"],
            ["q", "SQL action", "sql"],
            ["jq", "JSON query", "json-query"],
            ["map", "JSON variable mapping", "json-variable-mapping"],
            ["date", "Date calculation", "dateCalculation"]
        ])
    );
    let summary = b.text("#node-chain .node[data-node-key=\"agg\"] .node-config");
    assert!(
        summary.contains("sum(amount)") && summary.contains("tn_items"),
        "{summary}"
    );
    let summary = b.text("#node-chain .node[data-node-key=\"date\"] .node-config");
    assert!(
        summary.contains("now") && summary.contains("add"),
        "{summary}"
    );
    b.screenshot("09-workflow-newer-nodes.png");
    assert_only_refusals(&b, &[]);
}

/// Sets a <select> to an option value and fires `change`. The page's `select()` gives options JSON
/// texts as values (`"\"integer\""`, `"1"`); the variable picker's values are paths.
fn choose(b: &Browser, css: &str, value: &str) {
    let done = b.js(
        "const s = document.querySelector(arguments[0]); if (!s) return false; s.value = arguments[1];
         if (s.value !== arguments[1]) return false; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        json!([css, value]),
    );
    assert_eq!(done, json!(true), "no option {value} in {css}");
}

fn no_sideways_scroll(b: &Browser, page: &str) {
    let width = b
        .js("return document.documentElement.scrollWidth", json!([]))
        .as_i64()
        .unwrap();
    assert!(
        width <= 390,
        "the narrow {page} scrolls sideways: scrollWidth {width}"
    );
}

fn fields_of(s: &Server, collection: &str) -> Vec<(String, String)> {
    let v = s.ok("GET", &format!("/api/collections:get/{collection}"), None);
    v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["system"] != true)
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Issue 15.7: a person's whole loop through the page, without writing JSON: a collection with two
/// fields, two records, a sync custom-action workflow with a condition and a response message, enabled,
/// run with Try it, and its execution. Bad input on the way is answered next to its field and stores
/// nothing.
#[test]
fn admin_page_builds_a_collection_and_a_workflow_and_runs_it() {
    let s = Server::start();
    let b = Browser::start(screenshot_dir());
    b.viewport(1280, 800, false);
    sign_in(&b, &s);

    // Collections: create "orders".
    b.click("#nav-collections");
    b.el("#collection-form");
    b.type_into("#collection-name", "1orders");
    b.click("#collection-create");
    let err = b.wait_text(
        "#collection-form [data-field=\"name\"] .field-error",
        "Invalid name",
    );
    assert!(err.contains("1orders"), "{err}");
    let names = s.ok("GET", "/api/collections:list?paginate=false", None);
    assert_eq!(names, json!([]), "a refused collection was stored");
    b.clear("#collection-name");
    b.type_into("#collection-name", "orders");
    b.type_into("#collection-title", "Orders");
    b.click("#collection-create");
    b.el(".collection-page[data-collection=\"orders\"]");

    // Two fields; a bad name is answered next to the name and adds nothing.
    b.type_into("#field-name", "item name");
    b.click("#field-add");
    b.wait_text(
        "#field-form [data-field=\"name\"] .field-error",
        "Invalid name",
    );
    assert_eq!(fields_of(&s, "orders"), vec![]);
    b.clear("#field-name");
    b.type_into("#field-name", "item");
    b.click("#field-add");
    b.el("#fields tr[data-field-name=\"item\"]");
    b.type_into("#field-name", "qty");
    choose(&b, "#field-type", "\"integer\"");
    b.click("#field-required");
    b.click("#field-add");
    b.el("#fields tr[data-field-name=\"qty\"]");
    assert_eq!(
        fields_of(&s, "orders"),
        vec![
            ("item".to_string(), "string".to_string()),
            ("qty".to_string(), "integer".to_string())
        ]
    );
    let qty = s.ok("GET", "/api/collections/orders/fields:get/qty", None);
    assert_eq!(qty["allowNull"], false, "{qty}");
    b.screenshot("11-collection-fields.png");
    assert_named(&b, "collection page");

    // Records: two, from the form built from the field types.
    b.click("#collection-records");
    b.el(".records-page[data-collection=\"orders\"]");
    for (item, qty) in [("pens", "3"), ("ink", "12")] {
        b.click("#record-new");
        b.type_into("#rec-item", item);
        b.type_into("#rec-qty", qty);
        b.click("#record-save");
        b.wait_text(
            "#records-count",
            &format!("{} record", if item == "pens" { 1 } else { 2 }),
        );
    }
    let list = s.ok("GET", "/api/orders:list?sort=id", None);
    let got: Vec<(Value, Value)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["item"].clone(), r["qty"].clone()))
        .collect();
    assert_eq!(
        got,
        vec![(json!("pens"), json!(3)), (json!("ink"), json!(12))]
    );
    // A required field left empty is refused next to it; nothing is stored.
    b.click("#record-new");
    b.type_into("#rec-item", "nothing");
    b.click("#record-save");
    b.wait_text("#record-form [data-field=\"qty\"] .field-error", "qty");
    b.js(
        "document.querySelector('#record-dialog').close()",
        json!([]),
    );
    assert_eq!(
        s.ok("GET", "/api/orders:list", None)
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Filter qty > 5, then sort by qty descending.
    b.click("#records-filter .row-add");
    choose(&b, "#records-filter .filter-field", "\"qty\"");
    choose(&b, "#records-filter .filter-op", "\"$gt\"");
    b.type_into("#records-filter .filter-value", "5");
    b.click("#records-apply");
    b.wait_text("#records-count", "1 record match");
    assert_eq!(b.text("#records tbody tr td[data-field=\"item\"]"), "ink");
    b.click("#records-reset");
    b.wait_text("#records-count", "2 records.");
    b.click("a.sort-link[data-sort=\"qty\"]");
    b.wait("sorted ascending", || {
        (b.url().contains("sort=qty")).then_some(())
    });
    b.click("a.sort-link[data-sort=\"qty\"]");
    b.wait("sorted descending", || {
        (b.url().contains("sort=-qty")).then_some(())
    });
    b.wait_text(
        "#records tbody tr:first-child td[data-field=\"item\"]",
        "ink",
    );
    b.screenshot("12-records.png");
    assert_named(&b, "records page");

    // A sync custom-action workflow on one orders record; a record context without a collection is
    // refused next to the collection.
    b.click("#nav-workflows");
    b.click("#new-workflow");
    b.type_into("#wf-title", "Order check");
    b.type_into("#wf-key", "order_check");
    choose(&b, "#wf-config [data-field=\"type\"] select", "1");
    b.click("#wf-sync");
    b.click("#wf-create");
    b.wait_text(
        "#workflow-form [data-field=\"collection\"] .field-error",
        "Collection is required",
    );
    let (_, v) = s.get(&s.root(), "/api/workflows:list?paginate=false");
    assert_eq!(
        v["data"].as_array().unwrap().len(),
        0,
        "a refused workflow was stored"
    );
    choose(
        &b,
        "#wf-config [data-field=\"collection\"] select",
        "\"orders\"",
    );
    b.screenshot("13-new-workflow.png");
    assert_named(&b, "new workflow page");
    b.click("#wf-create");
    b.el(".workflow-page[data-key=\"order_check\"]");
    let of_key = |key: &str| -> Vec<Value> {
        let all = s.ok("GET", "/api/workflows:list?paginate=false", None);
        let all = all.as_array().unwrap().iter();
        all.filter(|w| w["key"] == key).cloned().collect()
    };
    let w = of_key("order_check")[0].clone();
    assert_eq!(
        (w["type"].as_str(), w["sync"].as_bool()),
        (Some("custom-action"), Some(true))
    );
    assert_eq!(w["config"], json!({"type": 1, "collection": "orders"}));
    let wid = w["id"].as_i64().unwrap();

    // A condition at the head: qty > 5, the left side picked from the variables in scope.
    b.click("button.add-node[data-upstream=\"none\"]");
    b.el("#node-dialog");
    b.type_into("#node-title", "Big order?");
    b.type_into("#node-key", "big");
    b.click("#node-form .rules-editor .row-add");
    let picker = "#node-form .rules-editor .row .template-input:has(.rule-left) .var-picker";
    choose(&b, picker, "$context.data.qty");
    choose(&b, "#node-form .rule-calculator", "\"gt\"");
    b.type_into("#node-form .rule-right", "5");
    b.screenshot_viewport("22-node-form.png");
    assert_named(&b, "node form");
    b.click("#node-save");
    let big = "#node-chain .node[data-node-key=\"big\"]";
    b.el(big);
    let big_id = b.attr(big, "data-node-id").unwrap();
    // A response message at the head of its "if true" branch.
    b.click(&format!(
        "button.add-node[data-upstream=\"{big_id}\"][data-branch=\"1\"]"
    ));
    choose(&b, "#node-type", "\"response-message\"");
    b.type_into("#node-key", "say");
    b.type_into(
        "#node-form [data-field=\"message\"] textarea",
        "Big order of ",
    );
    choose(
        &b,
        "#node-form [data-field=\"message\"] .var-picker",
        "$context.data.item",
    );
    b.click("#node-save");
    b.el("#node-chain .branch[data-branch-index=\"1\"] .node[data-node-key=\"say\"]");
    let nodes = s.ok(
        "GET",
        &format!("/api/workflows/{wid}/nodes:list?sort=id"),
        None,
    );
    let nodes = nodes.as_array().unwrap();
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    assert_eq!(nodes[0]["type"], "condition");
    assert_eq!(
        nodes[0]["config"]["calculation"],
        json!({"group": {"type": "and", "calculations": [{"calculator": "gt", "operands": ["{{$context.data.qty}}", 5]}]}})
    );
    assert_eq!(nodes[0]["config"]["rejectOnFalse"], false);
    assert_eq!(
        (
            &nodes[1]["type"],
            &nodes[1]["upstreamId"],
            &nodes[1]["branchIndex"]
        ),
        (&json!("response-message"), &nodes[0]["id"], &json!(1))
    );
    assert_eq!(
        nodes[1]["config"]["message"],
        "Big order of {{$context.data.item}}"
    );
    b.screenshot("14-workflow-drawing.png");
    assert_named(&b, "workflow drawing");

    // Enable it, then Try it with record 2.
    b.click("#wf-enabled");
    b.wait("enabled", || {
        (s.ok("GET", &format!("/api/workflows:get/{wid}"), None)["enabled"] == true).then_some(())
    });
    // The page redraws after the change: wait for the new switch (the old one stays disabled).
    b.el("#wf-enabled:checked:enabled");
    b.type_into("#try-id", "2");
    b.click("#try-run");
    b.wait_text("#try-status", "200");
    let response = b.text("#try-response");
    assert!(response.contains("Big order of ink"), "{response}");
    b.click("#try-result a.exec-link");
    b.wait_text("#execution-context", "ink");
    let jobs = b.js("return Array.from(document.querySelectorAll('#jobs tbody tr')).map(r => [r.dataset.nodeKey, r.querySelector('.status').textContent])", json!([]));
    assert_eq!(jobs, json!([["big", "RESOLVED"], ["say", "RESOLVED"]]));
    b.screenshot("15-execution-of-the-built-workflow.png");
    assert_named(&b, "execution page");

    // The version has run: it is frozen, and the page offers a new version.
    b.goto(&s.url(&format!("/admin/#/workflows/{wid}")));
    b.el("#frozen-notice");
    assert!(
        b.find("button.add-node").is_none(),
        "a frozen version offers to add nodes"
    );
    b.screenshot("16-workflow-frozen.png");
    b.click("#wf-frozen-revision");
    b.wait("the new version's page", || {
        let u = b.url();
        (!u.ends_with(&format!("/workflows/{wid}")) && u.contains("/workflows/")).then_some(())
    });
    b.el("button.add-node[data-upstream=\"none\"]");
    assert_eq!(of_key("order_check").len(), 2);
    // The new version links to the one that ran (still current until the new one is enabled).
    b.wait_text("#workflow-versions", &format!("#{wid} (current)"));
    b.el(&format!("#workflow-versions a[data-version-id=\"{wid}\"]"));

    b.goto(&s.url("/admin/#/collections"));
    b.el("#collections tr[data-collection=\"orders\"]");
    b.screenshot("26-collections.png");
    assert_named(&b, "collections list");

    // Narrow screen: the records page and the drawing fit 390 px.
    b.viewport(390, 844, true);
    b.goto(&s.url("/admin/#/collections/orders/records"));
    b.el("#records tbody tr");
    no_sideways_scroll(&b, "records page");
    b.screenshot("17-records-narrow.png");
    b.click("#record-new");
    b.el("#record-dialog #rec-item");
    let right = b.js(
        "return document.getElementById('record-dialog').getBoundingClientRect().right",
        json!([]),
    );
    assert!(
        right.as_f64().unwrap() <= 390.0,
        "the record form is wider than the screen: {right}"
    );
    no_sideways_scroll(&b, "record form");
    b.screenshot_viewport("24-record-form-narrow.png");
    b.js(
        "document.getElementById('record-dialog').close()",
        json!([]),
    );
    b.goto(&s.url("/admin/#/collections"));
    b.el("#collections tr[data-collection=\"orders\"]");
    no_sideways_scroll(&b, "collections list");
    b.goto(&s.url("/admin/#/workflows/new"));
    b.el("#wf-config");
    no_sideways_scroll(&b, "new workflow form");
    b.goto(&s.url(&format!("/admin/#/workflows/{wid}")));
    b.el("#node-chain .node[data-node-key=\"say\"]");
    no_sideways_scroll(&b, "built workflow page");
    b.viewport(1280, 800, false);

    // The browser logs the four refusals provoked above; nothing else.
    let refused = [
        "/api/collections:create",
        "/api/collections/orders/fields:create",
        "/api/orders:create",
        "/api/workflows:create",
    ];
    assert_only_refusals(&b, &refused);
}

/// No console errors but the 400s of the deliberate bad inputs, on the endpoints named.
fn assert_only_refusals(b: &Browser, refused: &[&str]) {
    let errors: Vec<String> = console_errors(&b.console())
        .into_iter()
        .filter(|m| !(m.contains("status of 400") && refused.iter().any(|r| m.contains(r))))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// Runs `act`, which makes the page redraw the drawing, and waits for the new drawing: a click on the
/// old one would reach a node that is gone.
fn redrawn(b: &Browser, act: impl FnOnce()) {
    b.js(
        "document.getElementById('node-chain').dataset.stale = '1'",
        json!([]),
    );
    act();
    b.el("#node-chain:not([data-stale])");
}

fn sign_in(b: &Browser, s: &Server) {
    b.goto(&s.url("/admin/"));
    b.type_into("#signin-account", "admin");
    b.type_into("#signin-password", ROOT_PASSWORD);
    b.click("#signin-submit");
    b.el("#workflows, #view .empty");
}

/// A node of a workflow, by its key.
fn node_by_key(s: &Server, wid: i64, key: &str) -> Value {
    let nodes = s.ok(
        "GET",
        &format!("/api/workflows/{wid}/nodes:list?paginate=false"),
        None,
    );
    let found = nodes.as_array().unwrap().iter().find(|n| n["key"] == key);
    found
        .cloned()
        .unwrap_or_else(|| panic!("no node {key} in {nodes}"))
}

/// The main chain of a workflow's nodes by key, following downstream links from the head.
fn chain_keys(s: &Server, wid: i64) -> Vec<String> {
    let nodes = s.ok(
        "GET",
        &format!("/api/workflows/{wid}/nodes:list?paginate=false"),
        None,
    );
    let nodes = nodes.as_array().unwrap().clone();
    let mut out = vec![];
    let mut cur = nodes
        .iter()
        .find(|n| n["upstreamId"].is_null() && n["branchIndex"].is_null())
        .cloned();
    while let Some(n) = cur {
        out.push(n["key"].as_str().unwrap().to_string());
        cur = nodes.iter().find(|x| x["id"] == n["downstreamId"]).cloned();
    }
    out
}

/// Issue 15.1, 15.2: an association made in the field form, a record linked through its picker, and a
/// collection's deletion that names what goes with it (refused while another collection points at it).
#[test]
fn admin_page_links_records_and_deletes_collections_with_a_confirmation() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"authors","fields":[{"name":"name","type":"string"}]})),
    );
    s.ok("POST", "/api/authors:create", Some(json!({"name":"Ann"})));
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"books","fields":[{"name":"title","type":"string"},{"name":"out","type":"date"},{"name":"kept","type":"boolean"}]})),
    );
    let b = Browser::start(screenshot_dir());
    b.viewport(1280, 800, false);
    sign_in(&b, &s);

    // books.author: belongsTo authors, its key named by the page's default.
    b.goto(&s.url("/admin/#/collections/books"));
    b.type_into("#field-name", "author");
    choose(&b, "#field-type", "\"belongsTo\"");
    choose(&b, "#field-target", "\"authors\"");
    b.click("#field-add");
    b.el("#fields tr[data-field-name=\"author\"]");
    let f = s.ok("GET", "/api/collections/books/fields:get/author", None);
    assert_eq!(
        (&f["type"], &f["target"], &f["foreignKey"]),
        (&json!("belongsTo"), &json!("authors"), &json!("authorId"))
    );
    // A missing target is refused next to the target.
    b.type_into("#field-name", "shelf");
    choose(&b, "#field-type", "\"hasMany\"");
    b.js(
        "const s = document.getElementById('field-target'); s.appendChild(new Option('nope', '\"nope\"')); s.value = '\"nope\"';",
        json!([]),
    );
    b.click("#field-add");
    b.wait_text("#field-form [data-field=\"target\"] .field-error", "nope");
    let (st, _) = s.get(&s.root(), "/api/collections/books/fields:get/shelf");
    assert!(
        st == 404
            || s.ok("GET", "/api/collections/books/fields:get/shelf", None)
                .is_null(),
        "a refused field was stored"
    );

    // isbn: unique and indexed; then its title edited and its removal confirmed.
    choose(&b, "#field-type", "\"string\"");
    b.clear("#field-name");
    b.type_into("#field-name", "isbn");
    b.click("#field-unique");
    b.click("#field-index");
    b.click("#field-add");
    b.el("#fields tr[data-field-name=\"isbn\"]");
    let isbn = s.ok("GET", "/api/collections/books/fields:get/isbn", None);
    assert_eq!(
        (&isbn["unique"], &isbn["index"]),
        (&json!(true), &json!(true)),
        "{isbn}"
    );
    b.click("#fields tr[data-field-name=\"isbn\"] .field-edit");
    b.type_into("#field-edit-title", "ISBN");
    b.click("#field-edit-save");
    b.wait("isbn titled", || {
        (s.ok("GET", "/api/collections/books/fields:get/isbn", None)["title"] == "ISBN")
            .then_some(())
    });
    b.click("#fields tr[data-field-name=\"isbn\"] .field-remove");
    b.wait_text("#confirm-dialog", "books.isbn");
    b.click("#confirm-yes");
    b.wait("isbn removed", || {
        s.ok("GET", "/api/collections/books/fields:get/isbn", None)
            .is_null()
            .then_some(())
    });
    b.wait("isbn row gone", || {
        b.find("#fields tr[data-field-name=\"isbn\"]")
            .is_none()
            .then_some(())
    });

    // A book with a date, a switch and its author picked from the authors' records.
    b.click("#collection-records");
    b.click("#record-new");
    b.type_into("#rec-title", "Dune");
    b.js(
        "const d = document.getElementById('rec-out'); d.value = '1965-08-01'; d.dispatchEvent(new Event('input'));",
        json!([]),
    );
    assert_eq!(b.attr("#rec-out", "type").as_deref(), Some("date"));
    assert_eq!(b.attr("#rec-kept", "role").as_deref(), Some("switch"));
    b.click("#rec-kept");
    let picker = b.js(
        "return Array.from(document.querySelectorAll('#rec-author option')).map(o => o.textContent)",
        json!([]),
    );
    assert_eq!(picker, json!(["— none —", "Ann (#1)"]));
    choose(&b, "#rec-author", "1");
    b.screenshot_viewport("18-record-form.png");
    assert_named(&b, "record form");
    b.click("#record-save");
    b.wait_text("#records tbody tr td[data-field=\"author\"]", "Ann");
    let book = s.ok("GET", "/api/books:get/1", None);
    assert_eq!(
        (
            &book["title"],
            &book["out"],
            &book["kept"],
            &book["authorId"]
        ),
        (
            &json!("Dune"),
            &json!("1965-08-01"),
            &json!(true),
            &json!(1)
        )
    );
    // Edit: the form comes back filled; the title changes.
    b.click("#records tr[data-record-id=\"1\"] .record-edit");
    assert_eq!(
        b.js(
            "return document.getElementById('rec-author').value",
            json!([])
        ),
        json!("1")
    );
    b.clear("#rec-title");
    b.type_into("#rec-title", "Dune Messiah");
    b.click("#record-save");
    b.wait_text("#records tbody tr td[data-field=\"title\"]", "Messiah");
    // A second book, deleted after the confirmation.
    s.ok("POST", "/api/books:create", Some(json!({"title":"Extra"})));
    b.js(
        "window.dispatchEvent(new CustomEvent('flowgate:rerender'))",
        json!([]),
    );
    b.click("#records tr[data-record-id=\"2\"] .record-delete");
    b.wait_text("#confirm-dialog", "books record #2");
    b.click("#confirm-yes");
    b.wait("book 2 deleted", || {
        s.ok("GET", "/api/books:get/2", None)
            .is_null()
            .then_some(())
    });
    b.wait_text("#records-count", "1 record.");

    // Deleting authors names the books that point at it; the server refuses, and authors stays.
    b.goto(&s.url("/admin/#/collections/authors"));
    b.click("#collection-delete");
    let text = b.wait_text("#confirm-dialog", "1 record");
    assert!(text.contains("books"), "{text}");
    b.click("#confirm-yes");
    b.wait_text("#status", "Not deleted");
    assert!(s
        .ok("GET", "/api/collections:get/authors", None)
        .is_object());
    // Cancel leaves books alone; confirming deletes it.
    b.goto(&s.url("/admin/#/collections/books"));
    b.click("#collection-delete");
    b.wait_text("#confirm-dialog", "its 1 record");
    b.screenshot_viewport("19-delete-collection.png");
    b.click("#confirm-no");
    assert!(s.ok("GET", "/api/collections:get/books", None).is_object());
    b.click("#collection-delete");
    b.click("#confirm-yes");
    b.wait("books gone", || {
        s.ok("GET", "/api/collections:get/books", None)
            .is_null()
            .then_some(())
    });
    b.el("#collections tr[data-collection=\"authors\"]");
    let refused = [
        "/api/collections/books/fields:create",
        "/api/collections:destroy",
    ];
    assert_only_refusals(&b, &refused);
}

/// Issue 15.4, 15.5: nodes edited, moved and deleted (keeping a branch) on the drawing; a queued
/// execution canceled, and the finished ones of a key deleted from the filtered list.
#[test]
fn admin_page_edits_moves_and_deletes_nodes_and_manages_executions() {
    let s = Server::builder().arg("--worker").arg("off").start();
    let w = s.ok(
        "POST",
        "/api/workflows:create",
        Some(json!({"title":"chain","key":"chain","type":"custom-action","config":{"type":0}})),
    );
    let wid = w["id"].as_i64().unwrap();
    let node = |key: &str, kind: &str, config: Value, up: Value, branch: Value| -> Value {
        s.ok(
            "POST",
            &format!("/api/workflows/{wid}/nodes:create"),
            Some(json!({"key":key,"type":kind,"title":key,"config":config,"upstreamId":up,"branchIndex":branch})),
        )["id"]
            .clone()
    };
    let a = node(
        "a",
        "calculation",
        json!({"engine":"math.js","expression":"1 + 1"}),
        Value::Null,
        Value::Null,
    );
    let bn = node(
        "b",
        "output",
        json!({"value":"{{$jobsMapByNodeKey.a}}"}),
        a.clone(),
        Value::Null,
    );
    let c = node(
        "c",
        "condition",
        json!({"engine":"basic","rejectOnFalse":false,"calculation":{"group":{"type":"and","calculations":[]}}}),
        bn.clone(),
        Value::Null,
    );
    node("d", "end", json!({"endStatus":1}), c.clone(), json!(1));
    node("e", "end", json!({"endStatus":1}), c.clone(), json!(0));
    assert_eq!(chain_keys(&s, wid), ["a", "b", "c"]);

    let br = Browser::start(screenshot_dir());
    br.viewport(1280, 800, false);
    sign_in(&br, &s);
    br.goto(&s.url(&format!("/admin/#/workflows/{wid}")));
    let card = |k: &str| format!("#node-chain .node[data-node-key=\"{k}\"]");
    br.el(&card("d"));
    // The first cannot go up; a node with branches moves like any other (flow_nodes:move).
    assert_eq!(
        br.attr(&format!("{} .node-up", card("a")), "disabled"),
        Some("true".into())
    );
    assert_eq!(
        br.attr(&format!("{} .node-up", card("c")), "disabled"),
        None
    );
    // b up: b, a, c — b keeps its id.
    redrawn(&br, || br.click(&format!("{} .node-up", card("b"))));
    br.wait("b moved up", || {
        (chain_keys(&s, wid) == ["b", "a", "c"]).then_some(())
    });
    assert_eq!(node_by_key(&s, wid, "b")["id"], bn);
    // Drawn first: the trigger, its add button, then b.
    br.el("#node-chain > ol > li:nth-child(3) .node[data-node-key=\"b\"]");
    // a down: b, c, a — a keeps its id, key and config.
    redrawn(&br, || br.click(&format!("{} .node-down", card("a"))));
    br.wait("a moved down", || {
        (chain_keys(&s, wid) == ["b", "c", "a"]).then_some(())
    });
    let moved = node_by_key(&s, wid, "a");
    assert_eq!(moved["id"], a);
    assert_eq!(moved["config"]["expression"], "1 + 1");
    // c up with its two branches: c, b, a — c keeps its id, d and e stay in its branches.
    redrawn(&br, || br.click(&format!("{} .node-up", card("c"))));
    br.wait("c moved up", || {
        (chain_keys(&s, wid) == ["c", "b", "a"]).then_some(())
    });
    assert_eq!(node_by_key(&s, wid, "c")["id"], c);
    for (k, i) in [("d", 1), ("e", 0)] {
        let n = node_by_key(&s, wid, k);
        assert_eq!(
            (&n["upstreamId"], &n["branchIndex"]),
            (&c, &json!(i)),
            "{k}"
        );
    }
    // Edit a's expression in its form.
    br.el(&card("a"));
    br.click(&format!("{} .node-edit", card("a")));
    br.el("#node-dialog");
    let expr = "#node-form [data-field=\"expression\"] textarea";
    br.clear(expr);
    br.type_into(expr, "2 * 21");
    redrawn(&br, || br.click("#node-save"));
    br.wait("a edited", || {
        let n = s.ok("GET", &format!("/api/flow_nodes:get/{}", moved["id"]), None);
        (n["config"]["expression"] == "2 * 21").then_some(())
    });
    // Duplicate b: a copy (new key, same type, title and config) right after it.
    br.el(&card("b"));
    redrawn(&br, || br.click(&format!("{} .node-duplicate", card("b"))));
    let copy = br.wait("b duplicated", || {
        let keys = chain_keys(&s, wid);
        (keys.len() == 4).then(|| keys[2].clone())
    });
    assert_eq!(chain_keys(&s, wid), ["c", "b", copy.as_str(), "a"]);
    let (orig, dup) = (node_by_key(&s, wid, "b"), node_by_key(&s, wid, &copy));
    assert_ne!(dup["id"], orig["id"]);
    assert_eq!(
        (&dup["type"], &dup["title"], &dup["config"]),
        (&orig["type"], &orig["title"], &orig["config"])
    );
    // Delete c's "if false" branch (e) after the confirmation.
    let branch0 =
        "#node-chain section.branch[data-branch-of=\"c\"][data-branch-index=\"0\"] .branch-delete";
    br.click(branch0);
    let text = br.wait_text("#confirm-dialog", "1 node");
    assert!(text.contains("if false"), "{text}");
    redrawn(&br, || br.click("#confirm-yes"));
    br.wait("branch 0 gone", || {
        let nodes = s.ok(
            "GET",
            &format!("/api/workflows/{wid}/nodes:list?paginate=false"),
            None,
        );
        nodes
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["key"] != "e")
            .then_some(())
    });
    assert!(br.find(&card("e")).is_none());
    // Delete c keeping its "if true" branch: d takes its place.
    br.el(&card("c"));
    br.click(&format!("{} .node-delete", card("c")));
    br.el("#node-delete-dialog");
    br.screenshot_viewport("20-delete-node.png");
    br.click("#node-delete-dialog input[value=\"1\"]");
    redrawn(&br, || br.click("#node-delete-yes"));
    br.wait("c gone, d kept", || {
        (chain_keys(&s, wid) == ["d", "b", copy.as_str(), "a"]).then_some(())
    });
    br.el(&card("d"));
    assert!(br.find(&card("c")).is_none());

    // Two queued runs (the worker is off): cancel one on its page, then delete the finished ones.
    s.ok(
        "POST",
        &format!("/api/workflows:update/{wid}"),
        Some(json!({"enabled": true})),
    );
    let mut ids = vec![];
    for _ in 0..2 {
        let (st, v) = s.post(
            &s.root(),
            "/api/workflows:trigger?triggerWorkflows=chain",
            json!({}),
        );
        assert_eq!(st, 200, "{v}");
        ids.push(
            v["data"]["executions"][0]["id"]
                .as_i64()
                .expect("execution id"),
        );
    }
    br.goto(&s.url(&format!("/admin/#/executions/{}", ids[0])));
    br.click("#execution-cancel");
    br.click("#confirm-yes");
    br.wait("canceled", || {
        let e = s.ok("GET", &format!("/api/executions:get/{}", ids[0]), None);
        (e["status"] == -3).then_some(())
    });
    br.wait_text("h1", "ABORTED");
    br.el("#execution-delete");
    br.goto(&s.url("/admin/#/executions?key=chain"));
    br.click("#executions-delete");
    let text = br.wait_text("#confirm-dialog", "of chain");
    assert!(
        text.contains("Queued and running executions are kept"),
        "{text}"
    );
    br.click("#confirm-yes");
    br.wait_text("#status", "1 execution deleted");
    let left = s.ok(
        "GET",
        "/api/executions:list?paginate=false&filter[key]=chain",
        None,
    );
    let left: Vec<i64> = left
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, vec![ids[1]], "the queued run stays");
    assert_only_refusals(&br, &[]);
}

/// Issue 14.4 and 15.3: every trigger type's settings read on the drawing (the schedule, interception
/// and action types arrive from other branches, so their summaries are asked of the page's module
/// itself); a collection workflow made on the page runs with Try it as workflows:execute with a record;
/// the variables in scope inside a loop include the loop's scope.
#[test]
fn admin_page_shows_every_trigger_and_runs_a_collection_workflow_by_hand() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tickets","fields":[{"name":"title","type":"string"},{"name":"dueAt","type":"datetime"}]})),
    );
    s.ok(
        "POST",
        "/api/tickets:create",
        Some(json!({"title":"Printer"})),
    );
    let b = Browser::start(screenshot_dir());
    b.viewport(1280, 800, false);
    sign_in(&b, &s);

    let summaries = b.js_async(
        "const done = arguments[arguments.length - 1];
         import('/admin/drawing.js').then(m => done([
           {type: 'schedule', config: {mode: 0, startsOn: '2026-01-01T09:00:00.000Z', repeat: '0 9 * * *', limit: 3}},
           {type: 'schedule', config: {mode: 1, collection: 'tickets', startsOn: {field: 'dueAt', offset: -1, unit: 3600000}, repeat: 86400000}},
           {type: 'request-interception', config: {collection: 'tickets', global: true, actions: ['create', 'destroy']}},
           {type: 'action', config: {collection: 'tickets', global: false}, sync: true},
         ].map(w => m.triggerSummary(w).map(([k, v]) => `${k}: ${v}`).join('; '))), e => done(String(e)));",
        json!([]),
    );
    assert_eq!(
        summaries,
        json!([
            "starts: 2026-01-01T09:00:00.000Z; repeat: cron 0 9 * * *; limit: 3 runs",
            "when: tickets.dueAt − 1 h; repeat: every 1 d",
            "collection: tickets; actions: global: create, destroy; runs: before the action, inside the request",
            "collection: tickets; actions: local: only requests naming the key in triggerWorkflows; runs: after the action; mode: sync, inside the request"
        ])
    );
    // Each trigger type's form reads back the config it shows (the types of the other branches too).
    let kept = b.js_async(
        "const done = arguments[arguments.length - 1];
         Promise.all([import('/admin/workflow-edit.js'), import('/admin/config-form.js')]).then(([we, cf]) => {
           const cols = [{name: 'tickets', fields: [{name: 'title', type: 'string'}, {name: 'dueAt', type: 'datetime'}]}];
           done(arguments[0].map(([type, config]) => {
             const form = cf.configForm(we.TRIGGER_SPECS[type], config, {collections: cols, scope: []});
             return JSON.stringify(form.read()) === JSON.stringify(config) ? 'kept' : JSON.stringify(form.read());
           }));
         }, e => done(String(e)));",
        json!([[
            ["custom-action", {"type": 1, "collection": "tickets", "appends": ["a", "b"]}],
            ["collection", {"collection": "tickets", "mode": 2, "changed": ["title"], "condition": {"$and": [{"title": {"$includes": "x"}}]}, "appends": ["a"], "rollbackOnFailure": true}],
            ["schedule", {"mode": 0, "startsOn": "2026-01-01T09:00:00.000Z", "repeat": "0 9 * * *", "endsOn": "2026-02-01T00:00:00.000Z", "limit": 3}],
            ["schedule", {"mode": 1, "collection": "tickets", "startsOn": {"field": "dueAt", "offset": -1, "unit": 3600000}, "repeat": 86400000, "limit": 2, "appends": ["a"]}],
            ["request-interception", {"collection": "tickets", "global": true, "actions": ["create", "destroy"]}],
            ["action", {"collection": "tickets", "global": true, "actions": ["update"], "appends": ["a"]}]
        ]]),
    );
    assert_eq!(
        kept,
        json!(["kept", "kept", "kept", "kept", "kept", "kept"])
    );
    let scope = b.js_async(
        "const done = arguments[arguments.length - 1];
         import('/admin/node-forms.js').then(m => {
           const w = {type: 'collection', config: {collection: 'tickets', mode: 1}};
           const nodes = [
             {id: 1, key: 'q', type: 'query', title: 'Find', config: {collection: 'tickets'}, upstreamId: null, branchIndex: null},
             {id: 2, key: 'each', type: 'loop', title: 'Each', config: {target: 3}, upstreamId: 1, branchIndex: null},
           ];
           const cols = [{name: 'tickets', fields: [{name: 'title', type: 'string'}]}];
           done(m.scopeAt(w, nodes, cols, {upstreamId: 2, branchIndex: 0}).map(v => v.path));
         }, e => done(String(e)));",
        json!([]),
    );
    assert_eq!(
        scope,
        json!([
            "$context.data",
            "$context.data.title",
            "$scopes.each.item",
            "$scopes.each.index",
            "$scopes.each.sequence",
            "$scopes.each.length",
            "$jobsMapByNodeKey.q",
            "$jobsMapByNodeKey.q.title",
            "$system.now"
        ])
    );

    // A collection workflow made on the page: its trigger settings, then a run by hand with record 1.
    b.click("#new-workflow");
    b.type_into("#wf-title", "New ticket");
    b.type_into("#wf-key", "new_ticket");
    choose(&b, "#wf-type", "\"collection\"");
    choose(
        &b,
        "#wf-config [data-field=\"collection\"] select",
        "\"tickets\"",
    );
    choose(&b, "#wf-config [data-field=\"mode\"] select", "3");
    b.type_into("#wf-config [data-field=\"changed\"] input", "title");
    b.click("#wf-create");
    b.el(".workflow-page[data-key=\"new_ticket\"]");
    let w = s.ok("GET", "/api/workflows:list?paginate=false", None)[0].clone();
    assert_eq!(
        w["config"],
        json!({"collection": "tickets", "mode": 3, "changed": ["title"], "rollbackOnFailure": false})
    );
    let trigger = b.text("#trigger-node");
    assert!(
        trigger.contains("create, update")
            && trigger.contains("tickets")
            && trigger.contains("title"),
        "{trigger}"
    );
    // An output node from the form: the record's title.
    b.click("button.add-node[data-upstream=\"none\"]");
    choose(&b, "#node-type", "\"output\"");
    b.type_into("#node-key", "out");
    choose(
        &b,
        "#node-form [data-field=\"value\"] .var-picker",
        "$context.data.title",
    );
    b.click("#node-save");
    b.el("#node-chain .node[data-node-key=\"out\"]");
    // A multi-conditions node after it, its conditions as rows of rules (no JSON).
    b.click(&format!(
        "button.add-node[data-upstream=\"{}\"][data-branch=\"none\"]",
        b.attr("#node-chain .node[data-node-key=\"out\"]", "data-node-id")
            .unwrap()
    ));
    choose(&b, "#node-type", "\"multi-conditions\"");
    b.type_into("#node-key", "route");
    b.click("#node-form [data-field=\"conditions\"] .row-add");
    b.type_into("#node-form .condition-title", "urgent");
    b.click("#node-form .condition-item .row-add");
    b.type_into(
        "#node-form .condition-item .rule-left",
        "{{$context.data.title}}",
    );
    choose(
        &b,
        "#node-form .condition-item .rule-calculator",
        "\"includes\"",
    );
    b.type_into("#node-form .condition-item .rule-right", "!");
    b.click("#node-save");
    b.el("#node-chain .branch[data-branch-of=\"route\"][data-branch-index=\"1\"]");
    let wid = w["id"].as_i64().unwrap();
    let route = node_by_key(&s, wid, "route");
    let cond = &route["config"]["conditions"][0];
    assert_eq!(cond["title"], "urgent", "{route}");
    assert_eq!(
        cond["calculation"],
        json!({"group": {"type": "and", "calculations": [{"calculator": "includes", "operands": ["{{$context.data.title}}", "!"]}]}})
    );
    b.type_into("#try-id", "1");
    let call = b.text("#call-execute");
    assert!(
        call.contains("workflows:execute?filterByTk=") && call.contains("\"data\": 1"),
        "{call}"
    );
    b.click("#try-run");
    b.wait_text("#try-status", "200");
    b.screenshot("21-collection-workflow-try-it.png");
    b.click("#try-result a.exec-link");
    b.wait_text("#execution-context", "Printer");
    let exec_id = b.url().rsplit('/').next().unwrap().to_string();
    let e = s.ok("GET", &format!("/api/executions:get/{exec_id}"), None);
    assert_eq!(
        (&e["output"], &e["manually"]),
        (&json!("Printer"), &json!(true))
    );

    // Edit title and timeout (the version has run: its trigger settings are frozen), then delete.
    let wid = w["id"].as_i64().unwrap();
    b.goto(&s.url(&format!("/admin/#/workflows/{wid}")));
    b.click("#wf-edit");
    b.el("#workflow-edit-form");
    assert!(b.text("#workflow-edit-form").contains("frozen"));
    b.clear("#wf-edit-title");
    b.type_into("#wf-edit-title", "Ticket opened");
    b.clear("#wf-edit-timeout");
    b.type_into("#wf-edit-timeout", "5000");
    // Retention and retry (issue 16): a bad policy is refused with the server's words, nothing stored.
    b.click("#wf-edit-delete-error");
    b.type_into("#wf-edit-retry-attempts", "3");
    b.type_into("#wf-edit-retry-jitter", "2");
    b.click("#wf-edit-save");
    b.wait_text(
        "#workflow-edit-form",
        "options.retry.jitter must be a number from 0 to 1",
    );
    b.screenshot("34-workflow-options.png");
    assert_eq!(
        s.ok("GET", &format!("/api/workflows:get/{wid}"), None)["options"]["retry"],
        Value::Null
    );
    b.clear("#wf-edit-retry-jitter");
    choose(&b, "#wf-edit-retry-backoff", "exponential");
    b.type_into("#wf-edit-retry-delay", "500");
    b.click("#wf-edit-save");
    b.wait_text("h1", "Ticket opened");
    let saved = s.ok("GET", &format!("/api/workflows:get/{wid}"), None);
    assert_eq!(
        (&saved["title"], &saved["options"]["timeout"]),
        (&json!("Ticket opened"), &json!(5000))
    );
    assert_eq!(
        (
            &saved["options"]["deleteExecutionOnStatus"],
            &saved["options"]["retry"]
        ),
        (
            &json!([-2]),
            &json!({"attempts": 3, "backoff": "exponential", "delay": 500})
        ),
        "{saved}"
    );
    b.click("#wf-delete");
    let text = b.wait_text("#confirm-dialog", "new_ticket");
    assert!(text.contains("1 version"), "{text}");
    b.click("#confirm-yes");
    b.el("#workflows, #view .empty");
    assert_eq!(
        s.ok("GET", "/api/workflows:list?paginate=false", None),
        json!([])
    );
    assert_only_refusals(&b, &["workflows:update"]);
}

/// Issue 15.4: every node type's form reads back what it shows. Each node, stored with a config that
/// uses its form's fields, is opened and saved unchanged; its config must come back the same (a form
/// that dropped a key, retyped a value or added one would change it).
#[test]
fn admin_page_node_forms_keep_every_config_they_show() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"items","fields":[{"name":"name","type":"string"},{"name":"amount","type":"integer"}]})),
    );
    let w = s.ok(
        "POST",
        "/api/workflows:create",
        Some(json!({"title":"forms","type":"custom-action","config":{"type":0}})),
    );
    let wid = w["id"].as_i64().unwrap();
    let basic = |calculator: &str, left: &str, right: Value| json!({"group": {"type": "and", "calculations": [{"calculator": calculator, "operands": [left, right]}]}});
    let nodes = [
        (
            "cond",
            "condition",
            json!({"engine":"basic","rejectOnFalse":true,"calculation":{"group":{"type":"or","calculations":[
            {"calculator":"equal","operands":["{{$context.data.a}}",1]},{"calculator":"includes","operands":["{{$context.data.b}}","x"]}]}}}),
        ),
        (
            "multi",
            "multi-conditions",
            json!({"conditions":[{"uid":"u1","title":"one","engine":"basic",
            "calculation": basic("gt", "{{$context.data.a}}", json!(2))}],"continueOnNoMatch":true}),
        ),
        (
            "calc",
            "calculation",
            json!({"engine":"formula.js","expression":"1 + {{$context.data.a}}"}),
        ),
        (
            "find",
            "query",
            json!({"collection":"items","multiple":true,"params":{"filter":{"$and":[{"amount":{"$gt":3}}]},
            "sort":[{"field":"amount","direction":"desc"}],"pageSize":5},"failOnEmpty":true}),
        ),
        (
            "add",
            "create",
            json!({"collection":"items","params":{"values":{"amount":"{{$context.data.a}}","name":"n"}}}),
        ),
        (
            "change",
            "update",
            json!({"collection":"items","params":{"filter":{"$and":[{"id":{"$eq":1}}]},"values":{"amount":2}}}),
        ),
        (
            "drop",
            "destroy",
            json!({"collection":"items","params":{"filter":{"$and":[{"name":{"$includes":"old"}}]}}}),
        ),
        (
            "say",
            "response-message",
            json!({"message":"hi {{$context.data.a}}"}),
        ),
        ("out", "output", json!({"value":"{{$context.data}}"})),
        ("set", "variable", json!({"target":"calc","value":"2"})),
        (
            "each",
            "loop",
            json!({"target":"{{$context.data.list}}","exit":1,"condition":{"checkpoint":1,"continueOnFalse":true,
            "engine":"basic","calculation": basic("lt", "{{$context.data.a}}", json!(10))}}),
        ),
        ("fork", "parallel", json!({"mode":"race"})),
        (
            "call",
            "request",
            json!({"method":"PUT","url":"{{$context.data.url}}","contentType":"application/json",
            "headers":[{"name":"X-A","value":"1"}],"params":[{"name":"q","value":"{{$context.data.a}}"}],
            "data":{"a":"{{$context.data.a}}"},"timeout":2000,"ignoreFail":true,"onlyData":false}),
        ),
        (
            "wait",
            "delay",
            json!({"duration":2,"unit":60000,"endStatus":1}),
        ),
        (
            "sum",
            "aggregate",
            json!({"aggregator":"sum","collection":"items","params":{"field":"amount",
            "filter":{"$and":[{"amount":{"$gte":1}}]}},"precision":3}),
        ),
        (
            "raw",
            "sql",
            json!({"sql":"SELECT :n AS n","variables":[{"name":"n","value":"{{$context.data.a}}"}],"unsafeInjection":false,"withMeta":false}),
        ),
        (
            "jq",
            "json-query",
            json!({"engine":"jsonata","source":"{{$context.data}}","expression":"items",
            "model":[{"path":"a.b","alias":"b"},{"path":"c"}]}),
        ),
        (
            "map",
            "json-variable-mapping",
            json!({"dataSource":"{{$context.data}}","variables":[{"key":"x","paths":["list","0","x"]}],"parseArray":false}),
        ),
        (
            "when",
            "dateCalculation",
            json!({"input":"{{$context.data.d}}","inputType":"date","steps":[
            {"function":"add","arguments":{"number":1,"unit":"day"}},
            {"function":"diff","arguments":{"date":"2025-01-01","unit":"hour","isAbs":true,"round":-1}},
            {"function":"format","arguments":{"format":"YYYY"}}]}),
        ),
        ("end", "end", json!({"endStatus":-1})),
    ];
    let mut up = Value::Null;
    for (key, kind, config) in &nodes {
        up = s.ok(
            "POST",
            &format!("/api/workflows/{wid}/nodes:create"),
            Some(json!({"key":key,"type":kind,"title":key,"config":config,"upstreamId":up})),
        )["id"]
            .clone();
    }
    let b = Browser::start(screenshot_dir());
    b.viewport(1280, 800, false);
    sign_in(&b, &s);
    b.goto(&s.url(&format!("/admin/#/workflows/{wid}")));
    // Keyboard (issue 15.6): Enter on a node's Edit opens its dialog with the focus inside; Escape
    // closes it and gives the focus back to that button.
    let edit = "#node-chain .node[data-node-key=\"calc\"] .node-edit";
    let id = b.el(edit);
    b.cmd(
        "POST",
        &format!("/element/{id}/value"),
        Some(json!({"text": "\u{E007}"})),
    );
    b.el("#node-dialog");
    let inside = "return !!document.activeElement.closest('#node-dialog')";
    assert_eq!(
        b.js(inside, json!([])),
        json!(true),
        "the focus stays outside the dialog"
    );
    let active = b.js("return document.activeElement", json!([]));
    let active = active[ELEMENT]
        .as_str()
        .expect("the focused element")
        .to_string();
    b.cmd(
        "POST",
        &format!("/element/{active}/value"),
        Some(json!({"text": "\u{E00C}"})),
    );
    b.wait("the dialog closed by Escape", || {
        b.find("#node-dialog").is_none().then_some(())
    });
    let back = b.js(
        "return document.activeElement === document.querySelector(arguments[0])",
        json!([edit]),
    );
    assert_eq!(back, json!(true), "the focus did not return to Edit");
    for (key, kind, config) in &nodes {
        let card = format!("#node-chain .node[data-node-key=\"{key}\"]");
        b.click(&format!("{card} .node-edit"));
        b.el("#node-dialog #node-form");
        if *key == "when" {
            b.screenshot_viewport("23-date-calculation-form.png");
            assert_named(&b, "dateCalculation form");
        }
        redrawn(&b, || b.click("#node-save"));
        let got = node_by_key(&s, wid, key)["config"].clone();
        assert_eq!(&got, config, "the {kind} form changed the config of {key}");
    }
    // A refused node config: each error stands under its own field, and no node is added.
    b.click("button.add-node[data-upstream=\"none\"]");
    choose(&b, "#node-type", "\"aggregate\"");
    choose(
        &b,
        "#node-form [data-field=\"collection\"] select",
        "\"items\"",
    );
    b.type_into("#node-form [data-field=\"precision\"] input", "20");
    b.click("#node-save");
    let field_err = b.wait_text(
        "#node-form [data-field=\"params.field\"] .field-error",
        "required",
    );
    assert!(field_err.contains("params.field"), "{field_err}");
    b.wait_text(
        "#node-form [data-field=\"precision\"] .field-error",
        "less than or equal to 14",
    );
    let count = s.ok(
        "GET",
        &format!("/api/workflows/{wid}/nodes:list?paginate=false"),
        None,
    );
    assert_eq!(
        count.as_array().unwrap().len(),
        nodes.len(),
        "a refused node was stored"
    );
    b.screenshot_viewport("25-node-errors.png");
    assert_only_refusals(&b, &["nodes:create"]);
}

/// The console errors, except the refusals a test provokes on purpose (each of `allowed`: the parts of
/// one such message).
fn console_errors_but(b: &Browser, allowed: &[&[&str]]) -> Vec<String> {
    console_errors(&b.console())
        .into_iter()
        .filter(|m| {
            !allowed
                .iter()
                .any(|parts| parts.iter().all(|a| m.contains(a)))
        })
        .collect()
}

/// The id of the execution the page shows.
fn shown_execution(b: &Browser) -> i64 {
    let id = b
        .attr(".execution-page", "data-execution-id")
        .unwrap_or_default();
    id.parse()
        .unwrap_or_else(|_| panic!("no execution page: {id:?}"))
}

/// Selects a role of root's in the header's role picker.
fn act_as(b: &Browser, role: &str) {
    b.js(
        "const s = document.getElementById('role-select'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
        json!([role]),
    );
}

/// Issue 16 points 1, 5, 7 and 8 on the page: re-run from the list and the execution (on the version it
/// ran and on the current one, a 200, a 202 and a 404 shown as an error), the retry attempts, the
/// backup download for root only, Try it's dry run switch, and the run charts with their numbers.
#[test]
fn admin_page_reruns_backs_up_dry_runs_and_draws_the_run_charts() {
    use wf::*;
    let s = Server::start();
    // A sync workflow that fails; its next version (current) does not.
    let v1 = flow(&s, "flaky", &[calc("c", FAILS_AT_RUN)]);
    let (st, v) = trigger(&s, "flaky", json!({"n": 1}));
    assert_eq!(st, 500, "{v}");
    let e1 = execution_id(&v);
    let path = format!(
        "/api/workflows:revision?filterByTk={v1}&filter={}",
        q(r#"{"key":"flaky"}"#)
    );
    let v2 = s.ok("POST", &path, Some(json!({})))["id"].as_i64().unwrap();
    let c2 = nodes_of(&s, v2)[0]["id"].as_i64().unwrap();
    s.ok(
        "POST",
        &format!("/api/flow_nodes:update?filterByTk={c2}"),
        Some(json!({"config": {"engine": "math.js", "expression": "1 + 1"}})),
    );
    s.ok(
        "POST",
        &format!("/api/workflows:update?filterByTk={v2}"),
        Some(json!({"enabled": true})),
    );
    assert_eq!(
        s.ok("GET", &format!("/api/workflows:get/{v2}"), None)["current"],
        true
    );

    let br = Browser::start(screenshot_dir());
    br.viewport(1280, 900, false);
    sign_in(&br, &s);

    // 1. Re-run from the list: on the version it ran, so it fails again; the page opens the new run.
    br.goto(&s.url("/admin/#/executions?key=flaky"));
    br.click(&format!("#rerun-{e1}"));
    let e2: i64 = br
        .wait("the re-run's page", || {
            let id = br.attr(".execution-page", "data-execution-id")?;
            (id != e1.to_string()).then_some(id)
        })
        .parse()
        .unwrap();
    let notice = br.wait_text("#rerun-notice", "ran in the request (200)");
    assert!(
        notice.contains(&format!("Re-run of execution #{e1}")),
        "{notice}"
    );
    assert_eq!(
        br.attr("#rerun-of", "href").unwrap_or_default(),
        format!("#/executions/{e1}")
    );
    br.wait_text("h1", "ERROR");
    let x2 = execution(&s, e2);
    assert_eq!(
        (x2["rerunOf"].as_i64(), x2["workflowId"].as_i64()),
        (Some(e1), Some(v1)),
        "{x2}"
    );

    // On the current version (the choice on the execution's page): it resolves.
    br.click("#rerun-current");
    br.click("#execution-rerun");
    let notice = br.wait_text("#rerun-notice", "on the current version");
    assert!(notice.contains("ran in the request (200)"), "{notice}");
    br.wait_text("h1", "RESOLVED");
    let e3: i64 = shown_execution(&br);
    let x3 = execution(&s, e3);
    assert_eq!(
        (
            x3["rerunOf"].as_i64(),
            x3["workflowId"].as_i64(),
            &x3["status"]
        ),
        (Some(e2), Some(v2), &json!(1)),
        "{x3}"
    );
    assert_eq!(
        x3["context"],
        execution(&s, e1)["context"],
        "the same context"
    );
    br.screenshot("27-execution-rerun.png");

    // A refusal is shown in the page's error style: the execution went away meanwhile (404).
    br.goto(&s.url(&format!("/admin/#/executions/{e1}")));
    br.el("#execution-rerun");
    s.ok("POST", &format!("/api/executions:destroy/{e1}"), None);
    br.click("#execution-rerun");
    let err = br.wait_text("#execution-action-errors .alert", "was not re-run");
    assert!(err.contains("EXECUTION_NOT_FOUND"), "{err}");
    assert!(
        br.url().ends_with(&format!("#/executions/{e1}")),
        "stays on the page: {}",
        br.url()
    );

    // 202: an async run is queued again; its page follows it until it finishes. Retry attempts show.
    let a = global_with(
        &s,
        "later",
        json!({"sync": false, "options": {"retry": {"attempts": 2, "delay": 0}}}),
    );
    chain(&s, a, &[calc("c", FAILS_AT_RUN)]);
    let q1 = enqueue(&s, "later", json!({}));
    let done = wait_final(&s, q1, Duration::from_secs(15));
    assert_eq!(
        (&done["status"], &done["attempt"]),
        (&json!(-2), &json!(2)),
        "{done}"
    );
    br.goto(&s.url(&format!("/admin/#/executions/{q1}")));
    br.wait_text("#attempts", "#1");
    assert_eq!(br.text("#execution-attempt"), "2");
    br.screenshot("28-execution-attempts.png");
    br.click("#execution-rerun");
    br.wait_text("#rerun-notice", "queued (202)");
    br.wait_text("h1", "ERROR");
    let q2: i64 = shown_execution(&br);
    assert_eq!(execution(&s, q2)["rerunOf"].as_i64(), Some(q1));

    // 8. The charts: per workflow and overall, with their numbers.
    let runs_of = |key: &str| runs_now(&s, key).len();
    br.goto(&s.url(&format!("/admin/#/workflows/{v2}")));
    let svg = br.el("#stats #chart-rate");
    let _ = svg;
    let runs = br.wait("the chart's runs", || {
        br.find("#stats .stats-body[data-window=hour] #chart-rate")
            .and_then(|_| br.attr("#chart-rate", "data-runs"))
    });
    assert_eq!(runs, runs_of("flaky").to_string());
    let desc = br.js(
        "return document.querySelector('#chart-rate desc').textContent",
        json!([]),
    );
    let desc = desc.as_str().unwrap();
    assert!(
        desc.contains("1 RESOLVED") && desc.contains("ERROR"),
        "{desc}"
    );
    let stats = s.ok(
        "GET",
        &format!(
            "/api/executions:stats?window=hour&filter={}",
            q(r#"{"key":"flaky"}"#)
        ),
        None,
    );
    assert_eq!(
        br.text("#stats [data-stat=count]"),
        stats["durations"]["count"].to_string()
    );
    assert_eq!(
        br.attr("#stats [data-stat=p90]", "data-ms").unwrap(),
        stats["durations"]["p90"].to_string()
    );
    br.click("#stats-day");
    br.el("#stats .stats-body[data-window=day] #chart-rate");
    br.click("#stats summary");
    br.el("#stats .stats-buckets tbody tr");
    br.screenshot("29-workflow-charts.png");
    br.goto(&s.url("/admin/#/executions"));
    let all = br.wait("the overall chart", || {
        br.find("#stats .stats-body[data-window=hour] #chart-rate")
            .and_then(|_| br.attr("#chart-rate", "data-runs"))
    });
    assert_eq!(all, (runs_of("flaky") + runs_of("later")).to_string());
    let overall = s.ok("GET", "/api/executions:stats?window=hour", None)["durations"].clone();
    let label = br
        .attr("#chart-durations", "aria-label")
        .unwrap_or_default();
    let count = format!("Durations of {} finished runs: p50 ", overall["count"]);
    assert!(
        label.starts_with(&count) && label.contains(", p99 "),
        "{label} / {overall}"
    );
    assert_named(&br, "executions page with charts");
    br.screenshot("30-executions-charts.png");
    br.viewport(390, 844, true);
    br.goto(&s.url("/admin/#/executions"));
    br.el("#stats .stats-body[data-window=hour] #chart-rate");
    no_sideways_scroll(&br, "executions page with charts");
    br.screenshot("31-executions-charts-narrow.png");
    br.goto(&s.url(&format!("/admin/#/workflows/{v2}")));
    br.el("#stats .stats-body[data-window=hour] #chart-rate");
    no_sideways_scroll(&br, "workflow page with charts");
    br.goto(&s.url(&format!("/admin/#/executions/{e3}")));
    br.el("#execution-rerun");
    no_sideways_scroll(&br, "execution page with Re-run");
    br.viewport(1280, 900, false);

    // 7. Dry run: the switch adds dryRun=true to the call (the stubs field only with request nodes).
    br.goto(&s.url(&format!("/admin/#/workflows/{v2}")));
    br.click("#try-dry-run");
    br.wait_text("#try-url", "dryRun=true");
    assert!(
        br.find("#try-dry-stubs").is_none(),
        "no request node, no stubs field"
    );
    let before = runs_of("flaky");
    br.click("#try-run");
    br.el("#try-status");
    // The jobs come from the answer, nothing is kept, nothing is linked.
    br.el("#try-result[data-dry-run]");
    {
        br.el("#dry-run-notice");
        br.el("#try-result .dry-jobs tr[data-node-key=c]");
        assert!(
            br.find("#try-result a.exec-link").is_none(),
            "a link to a copy's execution"
        );
        assert_eq!(runs_of("flaky"), before, "a dry run keeps nothing");
        // A failing dry run answers an error marked dryRun, with the jobs.
        let f = flow(&s, "dryfail", &[calc("c", FAILS_AT_RUN)]);
        br.goto(&s.url(&format!("/admin/#/workflows/{f}")));
        br.click("#try-dry-run");
        br.click("#try-run");
        br.el("#try-result[data-dry-run] #dry-run-errors");
        br.el("#try-result .dry-jobs tr[data-node-key=c]");
        assert!(br.find("#try-result a.exec-link").is_none());
        assert_eq!(runs_of("dryfail"), 0, "a failed dry run keeps nothing");
    }
    br.screenshot("33-try-it-dry-run.png");
    let r = global(&s, "calls", true);
    chain(
        &s,
        r,
        &[request(
            "r",
            json!({"url": "http://127.0.0.1:9/", "method": "GET"}),
        )],
    );
    br.goto(&s.url(&format!("/admin/#/workflows/{r}")));
    assert_eq!(
        br.attr("#try-dry-stubs-field", "hidden"),
        Some("true".into())
    );
    br.click("#try-dry-run");
    br.type_into("#try-dry-stubs", "{not json");
    br.wait_text("#try-url", "not a JSON object");
    br.clear("#try-dry-stubs");
    br.type_into("#try-dry-stubs", r#"{"r": {"status": 200}}"#);
    br.wait_text("#try-url", "dryRunStubs=");
    {
        // The stub answers the request node (nothing is called).
        br.click("#try-run");
        br.wait_text("#try-result .dry-jobs tr[data-node-key=r]", "200");
        assert_eq!(runs_of("calls"), 0);
    }

    // 5. The backup: root downloads a fresh copy of the store; admin and member are not offered it.
    let downloads = tempfile::tempdir().expect("download dir");
    let allow = json!({"behavior": "allow", "downloadPath": downloads.path().to_str().unwrap()});
    br.cdp("Browser.setDownloadBehavior", allow);
    br.goto(&s.url("/admin/#/workflows"));
    br.click("#download-backup");
    let name = br.wait("the backup download", || {
        br.root_attr("data-last-download")
            .filter(|n| n.ends_with(".db"))
    });
    assert_eq!(
        name,
        format!("flowgate-backup-{}.db", &flowgate::time::now_iso()[..10])
    );
    let bytes: u64 = br
        .root_attr("data-last-download-bytes")
        .unwrap()
        .parse()
        .unwrap();
    let saved = br.wait("the backup file in the download folder", || {
        let b = std::fs::read(downloads.path().join(&name)).ok()?;
        (b.len() as u64 == bytes).then_some(b)
    });
    assert!(
        saved.starts_with(b"SQLite format 3\0"),
        "the file is an SQLite database"
    );
    let used = br.root_attr("data-last-download-path").unwrap();
    assert_eq!(used, "/api/app:backup");
    // Fetched again as the page does (raw bytes: a store copy holds password hashes by design).
    let res = ureq::get(&s.url(&used))
        .set("Authorization", &format!("Bearer {}", s.root()))
        .call()
        .expect("the URL the page used answers root");
    let disposition = res
        .header("Content-Disposition")
        .unwrap_or_default()
        .to_string();
    assert!(disposition.contains(&name), "{disposition}");
    let mut again = Vec::new();
    std::io::Read::read_to_end(&mut res.into_reader(), &mut again).unwrap();
    assert!(
        again.starts_with(b"SQLite format 3\0"),
        "a fresh copy of the store"
    );
    br.wait_text("#status", &format!("Downloaded {name}"));
    br.screenshot_viewport("32-download-backup.png");
    act_as(&br, "admin");
    br.el("#download-export");
    assert!(
        br.find("#download-backup").is_none(),
        "admin is offered the backup"
    );
    let admin = s.user("ops", &["admin"]);
    let (st, v) = s.get(&admin, "/api/app:backup");
    assert_eq!(st, 403, "{v}");
    act_as(&br, "root");
    br.el("#download-backup");

    let errors = console_errors_but(
        &br,
        &[
            &["executions:rerun", "404"],
            // The failing dry run (its 500 is the answer the page shows).
            &["workflows:trigger", "500"],
        ],
    );
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
