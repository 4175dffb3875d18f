//! Test harness: starts the real `flowgate` binary on 127.0.0.1:0 over a temp data folder and speaks
//! HTTP to it. Every integration test goes through here; nothing is mocked.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use serde_json::{json, Value};

pub const ROOT_PASSWORD: &str = "root-pass-1234";

pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub port: u16,
    /// The data folder (kept alive by `_tmp` unless a caller passed its own).
    pub dir: PathBuf,
    _tmp: Option<Arc<tempfile::TempDir>>,
    pub stdout: Arc<Mutex<Vec<String>>>,
    pub stderr_path: PathBuf,
    agent: ureq::Agent,
    root_token: Mutex<Option<String>>,
}

pub struct Builder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    dir: Option<PathBuf>,
    tmp: Option<Arc<tempfile::TempDir>>,
    root_password: Option<String>,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_flowgate")
}

impl Server {
    pub fn builder() -> Builder {
        Builder { args: Vec::new(), env: Vec::new(), dir: None, tmp: None, root_password: Some(ROOT_PASSWORD.into()) }
    }

    /// A server on a fresh folder with root password `ROOT_PASSWORD`.
    pub fn start() -> Server {
        Server::builder().start()
    }

    /// A builder for another server on this server's folder (after this one stopped).
    pub fn restart_builder(&self) -> Builder {
        let mut b = Server::builder();
        b.dir = Some(self.dir.clone());
        b.tmp = self._tmp.clone();
        b
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request with the given method and path (`/api/...`), no auth.
    pub fn req(&self, method: &str, path: &str) -> Req<'_> {
        Req { server: self, method: method.to_string(), path: path.to_string(), headers: Vec::new() }
    }

    pub fn sign_in(&self, account: &str, password: &str) -> String {
        let (s, v) = self.req("POST", "/api/auth:signIn").json(json!({"account": account, "password": password}));
        assert_eq!(s, 200, "sign-in of {account} failed: {v}");
        v["data"]["token"].as_str().expect("token").to_string()
    }

    /// Root's token (signed in once per server).
    pub fn root(&self) -> String {
        let mut t = self.root_token.lock().unwrap();
        if t.is_none() {
            *t = Some(self.sign_in("admin", ROOT_PASSWORD));
        }
        t.clone().unwrap()
    }

    /// Authenticated call as `token`: (status, body).
    pub fn call(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let r = self.req(method, path).bearer(token);
        match body {
            Some(b) => r.json(b),
            None => r.send(),
        }
    }

    pub fn get(&self, token: &str, path: &str) -> (u16, Value) {
        self.call(token, "GET", path, None)
    }

    pub fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.call(token, "POST", path, Some(body))
    }

    /// Root call that must succeed; returns `data`.
    pub fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (s, v) = self.call(&self.root(), method, path, body);
        assert_eq!(s, 200, "{method} {path} → {s} {v}");
        v["data"].clone()
    }

    /// Creates a user with roles and returns its token.
    pub fn user(&self, username: &str, roles: &[&str]) -> String {
        let password = format!("{username}-pass-1234");
        self.ok("POST", "/api/users:create", Some(json!({"username": username, "password": password, "roles": roles})));
        self.sign_in(username, &password)
    }

    /// On a first start the ACL cache is loaded before the built-in roles exist (reported to the lead);
    /// any roles write reloads it. Call before acting as a non-root user.
    pub fn reload_acl(&self) {
        self.ok("POST", "/api/roles:update/member", Some(json!({})));
    }

    /// A connection to the server's database, to check what is stored (tests only read through it).
    pub fn db(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(self.dir.join("flowgate.db")).expect("open flowgate.db");
        c.busy_timeout(Duration::from_secs(10)).expect("busy_timeout");
        c
    }

    /// `SELECT COUNT(*)` of a table named by the test.
    pub fn rows(&self, table: &str) -> i64 {
        self.db().query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| r.get(0)).expect("count rows")
    }

    /// Whether a table of that name exists (case-insensitive, as SQLite names are).
    pub fn table_exists(&self, name: &str) -> bool {
        self.db()
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE", [name], |r| {
                r.get::<_, i64>(0)
            })
            .expect("sqlite_master")
            > 0
    }

    /// The column names of a table, in order.
    pub fn columns(&self, table: &str) -> Vec<String> {
        let db = self.db();
        let mut st = db.prepare(&format!("PRAGMA table_info(\"{table}\")")).expect("table_info");
        let names = st.query_map([], |r| r.get::<_, String>(1)).expect("table_info rows");
        names.map(|n| n.expect("column name")).collect()
    }

    pub fn stdout_text(&self) -> String {
        self.stdout.lock().unwrap().join("\n")
    }

    pub fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    pub fn signal(&self, sig: &str) {
        let _ = Command::new("kill").arg(format!("-{sig}")).arg(self.pid().to_string()).status();
    }

    /// SIGKILL and reap.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait for the exit code.
    pub fn stop(&mut self) -> i32 {
        self.signal("TERM");
        self.wait()
    }

    pub fn wait(&mut self) -> i32 {
        match self.child.take() {
            Some(mut c) => {
                let deadline = Instant::now() + Duration::from_secs(40);
                loop {
                    if let Ok(Some(st)) = c.try_wait() {
                        return st.code().unwrap_or(-1);
                    }
                    if Instant::now() > deadline {
                        let _ = c.kill();
                        panic!("server did not exit");
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            None => -1,
        }
    }

    /// Polls `f` until it returns Some or the timeout passes.
    pub fn wait_for<T>(&self, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = f() {
                return Some(v);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Builder {
    pub fn arg(mut self, a: &str) -> Builder {
        self.args.push(a.to_string());
        self
    }
    pub fn env(mut self, k: &str, v: &str) -> Builder {
        self.env.push((k.to_string(), v.to_string()));
        self
    }
    pub fn dir(mut self, d: &Path) -> Builder {
        self.dir = Some(d.to_path_buf());
        self
    }
    /// Let the server generate the root password (first start prints it).
    pub fn no_root_password(mut self) -> Builder {
        self.root_password = None;
        self
    }

    /// Spawns `flowgate serve` and waits for its "listening on" line.
    pub fn try_start(self) -> Result<Server, (i32, String)> {
        let (dir, tmp) = match (self.dir, self.tmp) {
            (Some(d), t) => (d, t),
            (None, _) => {
                let t = Arc::new(tempfile::tempdir().expect("tempdir"));
                (t.path().join("data"), Some(t))
            }
        };
        let stderr_path = dir.with_extension(format!("stderr-{}.log", std::process::id() as u64 * 1000 + rand_suffix()));
        let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
        let mut cmd = Command::new(bin());
        cmd.arg("serve").arg("--listen").arg("127.0.0.1:0").arg("--data").arg(&dir);
        cmd.args(&self.args);
        cmd.env_remove("FLOWGATE_ROOT_PASSWORD").env_remove("FLOWGATE_LISTEN").env_remove("FLOWGATE_DATA");
        cmd.env("RUST_LOG", "info");
        if let Some(p) = &self.root_password {
            cmd.env("FLOWGATE_ROOT_PASSWORD", p);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.stdout(Stdio::piped()).stderr(stderr).stdin(Stdio::null());
        let mut child = cmd.spawn().expect("spawn flowgate");
        let out = child.stdout.take().expect("stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel::<Option<String>>();
        {
            let lines = lines.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(out);
                let mut line = String::new();
                loop {
                    line.clear();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => {
                            let _ = tx.send(None);
                            break;
                        }
                        Ok(_) => {
                            let l = line.trim_end().to_string();
                            lines.lock().unwrap().push(l.clone());
                            let _ = tx.send(Some(l));
                        }
                    }
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let base = loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Some(l)) => {
                    if let Some(i) = l.find("listening on http://") {
                        let rest = &l[i + "listening on ".len()..];
                        break rest.split_whitespace().next().unwrap_or("").to_string();
                    }
                }
                _ => {
                    let code = child.wait().ok().and_then(|s| s.code()).unwrap_or(-1);
                    let mut err = String::new();
                    let _ = std::fs::File::open(&stderr_path).and_then(|mut f| f.read_to_string(&mut err));
                    return Err((code, err));
                }
            }
        };
        let port = base.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(0);
        // Give the rest of the banner a moment to arrive.
        std::thread::sleep(Duration::from_millis(50));
        Ok(Server {
            child: Some(child),
            base,
            port,
            dir,
            _tmp: tmp,
            stdout: lines,
            stderr_path,
            agent: ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build(),
            root_token: Mutex::new(None),
        })
    }

    pub fn start(self) -> Server {
        match self.try_start() {
            Ok(s) => s,
            Err((code, err)) => panic!("flowgate did not start (exit {code}): {err}"),
        }
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// A request under construction.
pub struct Req<'a> {
    server: &'a Server,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

/// A full response: status, headers and parsed body.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl<'a> Req<'a> {
    pub fn header(mut self, k: &str, v: &str) -> Req<'a> {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    pub fn bearer(self, token: &str) -> Req<'a> {
        let v = format!("Bearer {token}");
        self.header("Authorization", &v)
    }
    pub fn json(self, body: Value) -> (u16, Value) {
        let r = self.header("Content-Type", "application/json").raw(body.to_string().as_bytes());
        (r.status, r.body)
    }
    pub fn send(self) -> (u16, Value) {
        let r = self.raw(b"");
        (r.status, r.body)
    }
    /// Sends raw bytes as the body (no content type unless set).
    pub fn raw(self, body: &[u8]) -> Resp {
        let mut r = self.server.agent.request(&self.method, &self.server.url(&self.path));
        for (k, v) in &self.headers {
            r = r.set(k, v);
        }
        let res = if body.is_empty() && self.method == "GET" { r.call() } else { r.send_bytes(body) };
        let res = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{} {}: {e}", self.method, self.path),
        };
        let status = res.status();
        let headers = res
            .headers_names()
            .into_iter()
            .filter_map(|n| res.header(&n).map(|v| (n.clone(), v.to_string())))
            .collect();
        let text = res.into_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, body, text }
    }
}

/// The `code` of the first error entry.
pub fn code(v: &Value) -> &str {
    v["errors"][0]["code"].as_str().unwrap_or("")
}

pub fn message(v: &Value) -> &str {
    v["errors"][0]["message"].as_str().unwrap_or("")
}

/// Runs the binary with arguments (CLI tests): (exit code, stdout, stderr).
pub fn run_cli(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args).env_remove("FLOWGATE_ROOT_PASSWORD").env_remove("FLOWGATE_LISTEN").env_remove("FLOWGATE_DATA");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run flowgate");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
