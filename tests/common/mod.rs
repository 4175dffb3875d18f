//! Test harness: a real flowgate server on 127.0.0.1:0 over a temp data folder, spoken to over real HTTP;
//! nothing is mocked. Two kinds, chosen per test:
//!
//! - in-process (`Server::start()`, `Server::builder()…start()`): `flowgate::cli::start`, the start-up
//!   `flowgate serve` itself runs, inside the test process (its HTTP server in a thread of its own).
//!   Cheap; what needs a process (signals, kills, the banner, the stderr log, env-only settings) panics.
//! - spawned (`Server::builder().spawned()…start()`): the `flowgate` binary as a child process, for
//!   signals, hard kills, restarts after a kill, the banner on stdout and assertions on the stderr log.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use serde_json::{json, Value};

pub const ROOT_PASSWORD: &str = "root-pass-1234";

/// How the server runs.
enum Proc {
    Spawned(Option<Child>),
    /// `None` once stopped.
    InProcess(Option<flowgate::cli::Running>),
}

pub struct Server {
    proc: Proc,
    pub base: String,
    pub port: u16,
    /// The data folder (kept alive by `_tmp` unless a caller passed its own).
    pub dir: PathBuf,
    _tmp: Option<Arc<tempfile::TempDir>>,
    /// Spawned servers: the stdout lines so far.
    pub stdout: Arc<Mutex<Vec<String>>>,
    stderr_path: Option<PathBuf>,
    agent: ureq::Agent,
    root_token: Mutex<Option<String>>,
    /// Held by in-process servers: shared normally, exclusive for a server that moves the clock.
    _clock: Option<clock::Guard>,
    /// In-process servers: where the shared log stood when this server started.
    log_from: usize,
}

pub struct Builder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    dir: Option<PathBuf>,
    tmp: Option<Arc<tempfile::TempDir>>,
    root_password: Option<String>,
    listen: Option<String>,
    spawned: bool,
    clock: bool,
    spec_hashing: bool,
    /// Spawned servers: stderr a pipe whose reader is closed at once.
    stderr_closed: bool,
    /// Spawned servers: the umask the process starts with.
    umask: Option<u32>,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_flowgate")
}

impl Server {
    /// A connection to the server's database, to check what is stored (tests only read through it).
    pub fn db(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(self.dir.join("flowgate.db")).expect("open flowgate.db");
        c.busy_timeout(Duration::from_secs(10))
            .expect("busy_timeout");
        c
    }

    /// `SELECT COUNT(*)` of a table named by the test.
    pub fn rows(&self, table: &str) -> i64 {
        self.db()
            .query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })
            .expect("count rows")
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
        let mut st = db
            .prepare(&format!("PRAGMA table_info(\"{table}\")"))
            .expect("table_info");
        let names = st
            .query_map([], |r| r.get::<_, String>(1))
            .expect("table_info rows");
        names.map(|n| n.expect("column name")).collect()
    }

    /// An in-process server by default; `.spawned()` for a child process.
    pub fn builder() -> Builder {
        Builder {
            args: Vec::new(),
            env: Vec::new(),
            dir: None,
            tmp: None,
            root_password: Some(ROOT_PASSWORD.into()),
            listen: Some("127.0.0.1:0".into()),
            spawned: false,
            clock: false,
            spec_hashing: false,
            stderr_closed: false,
            umask: None,
        }
    }

    /// An in-process server on a fresh folder with root password `ROOT_PASSWORD`.
    pub fn start() -> Server {
        Server::builder().start()
    }

    /// A builder for another server of the same kind on this server's folder (after this one stopped).
    pub fn restart_builder(&self) -> Builder {
        let mut b = Server::builder();
        b.dir = Some(self.dir.clone());
        b.tmp = self._tmp.clone();
        b.spawned = self.is_spawned();
        b
    }

    pub fn is_spawned(&self) -> bool {
        matches!(self.proc, Proc::Spawned(_))
    }

    /// Panics unless this server is a process: `what` needs one.
    #[track_caller]
    fn child(&mut self, what: &str) -> &mut Option<Child> {
        match &mut self.proc {
            Proc::Spawned(c) => c,
            Proc::InProcess(_) => {
                panic!("{what} needs a spawned server: use Server::builder().spawned()")
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request with the given method and path (`/api/...`), no auth.
    pub fn req(&self, method: &str, path: &str) -> Req<'_> {
        Req {
            server: self,
            method: method.to_string(),
            path: path.to_string(),
            headers: Vec::new(),
        }
    }

    pub fn sign_in(&self, account: &str, password: &str) -> String {
        secrets::password(password);
        let (s, v) = self
            .req("POST", "/api/auth:signIn")
            .json(json!({"account": account, "password": password}));
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
        let password = user_password(username);
        self.ok(
            "POST",
            "/api/users:create",
            Some(json!({"username": username, "password": password, "roles": roles})),
        );
        self.sign_in(username, &password)
    }

    /// Spawned servers: stdout so far (the banner).
    #[track_caller]
    pub fn stdout_text(&self) -> String {
        assert!(
            self.is_spawned(),
            "stdout needs a spawned server: use Server::builder().spawned()"
        );
        self.stdout.lock().unwrap().join("\n")
    }

    /// Spawned servers: the stderr log so far.
    #[track_caller]
    pub fn stderr_text(&self) -> String {
        let path = self
            .stderr_path
            .as_ref()
            .expect("the stderr log needs a spawned server: use Server::builder().spawned()");
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// In-process servers: the core's state, for what HTTP does not show (counters, caches).
    #[track_caller]
    pub fn app(&self) -> &flowgate::app::App {
        match &self.proc {
            Proc::InProcess(Some(r)) => &r.app,
            _ => panic!("the app is reachable in an in-process server only"),
        }
    }

    #[track_caller]
    pub fn pid(&self) -> u32 {
        match &self.proc {
            Proc::Spawned(c) => c.as_ref().map(|c| c.id()).unwrap_or(0),
            Proc::InProcess(_) => {
                panic!("a pid needs a spawned server: use Server::builder().spawned()")
            }
        }
    }

    #[track_caller]
    pub fn signal(&self, sig: &str) {
        let pid = self.pid();
        let st = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string())
            .status()
            .expect("run kill");
        assert!(st.success(), "kill -{sig} {pid} failed");
    }

    /// SIGKILL and reap.
    #[track_caller]
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child("a hard kill").take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Graceful stop: SIGTERM for a process, `Running::stop` in-process. Returns the exit code.
    pub fn stop(&mut self) -> i32 {
        match &mut self.proc {
            Proc::InProcess(r) => r.take().map(|r| r.stop()).unwrap_or(-1),
            Proc::Spawned(_) => {
                self.signal("TERM");
                self.wait()
            }
        }
    }

    /// Waits for the process to exit; its exit code.
    #[track_caller]
    pub fn wait(&mut self) -> i32 {
        match self.child("waiting for an exit").take() {
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
    pub fn wait_for<T>(&self, timeout: Duration, f: impl FnMut() -> Option<T>) -> Option<T> {
        poll(timeout, f)
    }

    /// Moves this server's clock forward (token, API key and idempotency expiry) without waiting.
    /// Needs `Server::builder().clock()`, which runs the test alone among this binary's in-process servers.
    #[track_caller]
    pub fn advance_clock(&self, by: Duration) {
        assert!(
            self._clock.as_ref().is_some_and(clock::Guard::may_move),
            "advance_clock needs a server started with Server::builder().clock()"
        );
        flowgate::time::test_clock::advance_for_tests_only(by);
    }
}

/// Polls `f` every 25 ms until it returns Some or `timeout` passes.
pub fn poll<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
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

impl Drop for Server {
    fn drop(&mut self) {
        // Idle keep-alive connections would hold a graceful in-process stop.
        self.agent = ureq::AgentBuilder::new().build();
        match &mut self.proc {
            Proc::Spawned(c) => {
                if let Some(mut c) = c.take() {
                    let _ = c.kill();
                    let _ = c.wait();
                }
            }
            Proc::InProcess(r) => {
                if let Some(r) = r.take() {
                    r.stop();
                }
            }
        }
        // The invariants every server must keep, checked for every test that did not already fail.
        if !std::thread::panicking() {
            secrets::assert_responses_clean();
            self.assert_log_clean();
        }
    }
}

impl Server {
    /// The log never holds a token, a password or a password hash the tests have seen: the stderr of a
    /// spawned server, or everything the in-process servers of this test binary logged.
    pub fn assert_log_clean(&self) {
        let log = self.log_text();
        if let Some(found) = secrets::find_secret_in(&log, true) {
            panic!("the log of {} contains a secret ({found})", self.base);
        }
    }

    /// The server's log so far: the stderr of a spawned server, or what was logged while this in-process
    /// server ran (in-process servers of one test binary share the log; each reads its own stretch).
    pub fn log_text(&self) -> String {
        match &self.stderr_path {
            Some(_) => self.stderr_text(),
            // A spawned server whose stderr went nowhere (`Builder::stderr_closed`).
            None if self.is_spawned() => String::new(),
            None => log::text_from(self.log_from),
        }
    }

    /// A read-only connection to the server's `flowgate.db` (WAL lets it read beside the server).
    pub fn open_db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(
            self.dir.join("flowgate.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open flowgate.db read-only")
    }

    /// One scalar from the store, read-only (`SELECT COUNT(*) FROM users`).
    pub fn db_i64(&self, sql: &str) -> i64 {
        self.open_db().query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    /// A raw TCP connection to the server, for what an HTTP client library hides (chunked bodies,
    /// requests held open across a signal).
    pub fn tcp(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).ok();
        s
    }
}

/// The log of the in-process servers: one subscriber for the test process (tracing allows one), the
/// format `flowgate serve` logs in, into a buffer.
mod log {
    use std::sync::Mutex;

    static BUF: Mutex<Vec<u8>> = Mutex::new(Vec::new());

    struct Writer;

    impl std::io::Write for Writer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            BUF.lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    pub fn install() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
                .with_writer(|| Writer)
                .with_ansi(false)
                .try_init();
        });
    }

    /// The log from byte `from` on.
    pub fn text_from(from: usize) -> String {
        let buf = BUF.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&buf[from.min(buf.len())..]).into_owned()
    }

    pub fn len() -> usize {
        BUF.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// The clock is one per process (`flowgate::time`): in-process servers share it, and a server that moves
/// it (`Builder::clock`) waits until it is the only one and keeps the others out until it is dropped,
/// which puts the clock back. Later servers of the same test (thread) run under that first one's hold, on
/// the moved clock (a restart sees the time the test reached).
mod clock {
    use std::cell::Cell;
    use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

    static CLOCK: RwLock<()> = RwLock::new(());

    thread_local! {
        static HOLDS_CLOCK: Cell<bool> = const { Cell::new(false) };
    }

    pub enum Guard {
        Shared(RwLockReadGuard<'static, ()>),
        Exclusive(RwLockWriteGuard<'static, ()>),
        /// A server started while this thread holds the clock.
        Nested,
    }

    impl Guard {
        pub fn may_move(&self) -> bool {
            !matches!(self, Guard::Shared(_))
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if let Guard::Exclusive(_) = self {
                flowgate::time::test_clock::reset_for_tests_only();
                HOLDS_CLOCK.with(|h| h.set(false));
            }
        }
    }

    pub fn shared() -> Guard {
        if HOLDS_CLOCK.with(Cell::get) {
            return Guard::Nested;
        }
        Guard::Shared(CLOCK.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn exclusive() -> Guard {
        if HOLDS_CLOCK.with(Cell::get) {
            return Guard::Nested;
        }
        let g = CLOCK.write().unwrap_or_else(|p| p.into_inner());
        HOLDS_CLOCK.with(|h| h.set(true));
        Guard::Exclusive(g)
    }
}

/// Writes a raw request to a connection and reads one response: (status, head, body).
pub fn tcp_exchange(stream: &mut TcpStream, bytes: &[u8]) -> (u16, String, String) {
    stream.write_all(bytes).expect("write request");
    read_response(stream)
}

/// Reads one HTTP/1.1 response with a Content-Length (or until close).
pub fn read_response(stream: &mut TcpStream) -> (u16, String, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).expect("read response");
        if n == 0 {
            panic!(
                "connection closed before a response: {:?}",
                String::from_utf8_lossy(&buf)
            );
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let len = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        })
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    let mut body = buf[head_end..].to_vec();
    match len {
        Some(n) => {
            while body.len() < n {
                let k = stream.read(&mut chunk).expect("read body");
                if k == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..k]);
            }
        }
        None => {
            let _ = stream.read_to_end(&mut body);
        }
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    secrets::check_response(&body);
    (status, head, body)
}

/// The variables an in-process server reads (`Config::from_args_and_env`); every other `FLOWGATE_*`
/// variable is a clap default of `flowgate serve` or is read by the engine, so needs a process.
const IN_PROCESS_ENV: [&str; 3] = [
    "FLOWGATE_ROOT_PASSWORD",
    "FLOWGATE_ROOT_EMAIL",
    "FLOWGATE_LOOP_LIMIT",
];

impl Builder {
    pub fn arg(mut self, a: &str) -> Builder {
        self.args.push(a.to_string());
        self
    }
    /// An environment variable of the server (in-process: only those of `IN_PROCESS_ENV`).
    pub fn env(mut self, k: &str, v: &str) -> Builder {
        self.env.push((k.to_string(), v.to_string()));
        self
    }
    pub fn dir(mut self, d: &Path) -> Builder {
        self.dir = Some(d.to_path_buf());
        self
    }
    /// `Some(addr)`: pass `--listen addr` (the default is 127.0.0.1:0); `None`: no flag, so
    /// `FLOWGATE_LISTEN` (or the built-in default) decides.
    pub fn listen(mut self, addr: Option<&str>) -> Builder {
        self.listen = addr.map(str::to_string);
        self
    }
    /// Let the server generate the root password (first start prints it).
    pub fn no_root_password(mut self) -> Builder {
        self.root_password = None;
        self
    }
    /// Run `flowgate serve` as a child process (signals, kills, stdout, stderr, environment).
    pub fn spawned(mut self) -> Builder {
        self.spawned = true;
        self
    }
    /// An in-process server that hashes passwords with the spec's argon2 parameters (spawned servers always
    /// do; in-process ones use `Cost::TestOnlyMinimal` otherwise, as hashing dominated their cost).
    pub fn spec_hashing(mut self) -> Builder {
        self.spec_hashing = true;
        self
    }
    /// A spawned server whose stderr is a pipe nobody reads any more (`serve 2>&1 | head -1` after the
    /// first line, a dead log collector): every write to it fails with EPIPE. Its log is not checked.
    pub fn stderr_closed(mut self) -> Builder {
        self.stderr_closed = true;
        self
    }
    /// A spawned server started under this umask (`sh -c 'umask 000; exec flowgate serve'`).
    pub fn umask(mut self, mask: u32) -> Builder {
        self.umask = Some(mask);
        self
    }
    /// An in-process server whose clock the test moves (`Server::advance_clock`).
    pub fn clock(mut self) -> Builder {
        self.clock = true;
        self
    }

    /// The data folder and the temp dir that holds it.
    fn folder(&mut self) -> (PathBuf, Option<Arc<tempfile::TempDir>>) {
        match (self.dir.take(), self.tmp.take()) {
            (Some(d), t) => (d, t),
            (None, _) => {
                let t = Arc::new(tempfile::tempdir().expect("tempdir"));
                (t.path().join("data"), Some(t))
            }
        }
    }

    /// `serve` and its arguments as the command line gets them.
    fn serve_args(&self, dir: &Path) -> Vec<String> {
        let mut args = vec!["serve".to_string()];
        if let Some(l) = &self.listen {
            args.extend(["--listen".to_string(), l.clone()]);
        }
        args.extend(["--data".to_string(), dir.display().to_string()]);
        args.extend(self.args.iter().cloned());
        args
    }

    /// Starts the server: `Err((exit code, stderr))` when it refuses to.
    pub fn try_start(self) -> Result<Server, (i32, String)> {
        assert!(
            !(self.spawned && self.clock),
            "the clock of a spawned server cannot be moved"
        );
        if let Some(p) = &self.root_password {
            secrets::password(p);
        }
        for (_, v) in self.env.iter().filter(|(k, _)| k.contains("PASSWORD")) {
            secrets::password(v);
        }
        if self.spawned {
            self.spawn()
        } else if self.stderr_closed || self.umask.is_some() {
            panic!("stderr and the umask need a spawned server: use Server::builder().spawned()")
        } else {
            self.in_process()
        }
    }

    fn in_process(mut self) -> Result<Server, (i32, String)> {
        use clap::{CommandFactory, FromArgMatches};
        if let Some((k, _)) = self
            .env
            .iter()
            .find(|(k, _)| !IN_PROCESS_ENV.contains(&k.as_str()))
        {
            panic!("{k} needs a spawned server: use Server::builder().spawned()");
        }
        log::install();
        let guard = if self.clock {
            clock::exclusive()
        } else {
            clock::shared()
        };
        let log_from = log::len();
        let (dir, tmp) = self.folder();
        // The command line of `flowgate serve`, without the process environment's FLOWGATE_* defaults.
        let command = flowgate::config::Cli::command()
            .mut_subcommand("serve", |c| c.mut_args(|a| a.env(None)));
        let mut argv = vec!["flowgate".to_string()];
        argv.extend(self.serve_args(&dir));
        let matches = command
            .try_get_matches_from(&argv)
            .unwrap_or_else(|e| panic!("{argv:?}: {e}"));
        let cli = flowgate::config::Cli::from_arg_matches(&matches).expect("serve args");
        let flowgate::config::Command::Serve(args) = cli.command else {
            unreachable!("serve was parsed")
        };
        let env = std::mem::take(&mut self.env);
        let root_password = self.root_password.clone();
        let mut config = flowgate::config::Config::from_args_and_env(args, |name| {
            let given = env
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone());
            given.or_else(|| {
                (name == "FLOWGATE_ROOT_PASSWORD")
                    .then(|| root_password.clone())
                    .flatten()
            })
        });
        if !self.spec_hashing {
            config.password_cost = flowgate::auth::password::Cost::TestOnlyMinimal;
        }
        let running = flowgate::cli::start(config).map_err(|e| (1, format!("flowgate: {e}\n")))?;
        let base = format!("http://{}", running.addr);
        Ok(Server {
            port: running.addr.port(),
            proc: Proc::InProcess(Some(running)),
            base,
            dir,
            _tmp: tmp,
            stdout: Arc::new(Mutex::new(Vec::new())),
            stderr_path: None,
            agent: agent(),
            root_token: Mutex::new(None),
            _clock: Some(guard),
            log_from,
        })
    }

    /// Spawns `flowgate serve` and waits for its banner.
    fn spawn(mut self) -> Result<Server, (i32, String)> {
        let (dir, tmp) = self.folder();
        let stderr_path = dir.with_extension(format!(
            "stderr-{}.log",
            std::process::id() as u64 * 1000 + rand_suffix()
        ));
        let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
        let mut cmd = Command::new(bin());
        cmd.args(self.serve_args(&dir));
        clean_env(&mut cmd);
        cmd.env("RUST_LOG", "info");
        if let Some(p) = &self.root_password {
            cmd.env("FLOWGATE_ROOT_PASSWORD", p);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.stdout(Stdio::piped()).stdin(Stdio::null());
        if self.stderr_closed {
            cmd.stderr(Stdio::piped());
        } else {
            cmd.stderr(stderr);
        }
        if let Some(mask) = self.umask {
            use std::os::unix::process::CommandExt;
            // SAFETY: umask is async-signal-safe and touches nothing but the child's creation mask.
            unsafe {
                cmd.pre_exec(move || {
                    libc::umask(mask as libc::mode_t);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().expect("spawn flowgate");
        // The reader goes away before the server writes a line.
        drop(child.stderr.take());
        let stderr_path = (!self.stderr_closed).then_some(stderr_path);
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
        // The banner: "listening on" first, "root password:" last (the demo's lines follow; demo.rs waits
        // for them).
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut base = None;
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Some(l)) => {
                    if let Some(i) = l.find("listening on http://") {
                        let rest = &l[i + "listening on ".len()..];
                        base = Some(rest.split_whitespace().next().unwrap_or("").to_string());
                    }
                    if base.is_some() && l.starts_with("root password: ") {
                        break;
                    }
                }
                _ => {
                    let code = child.wait().ok().and_then(|s| s.code()).unwrap_or(-1);
                    let mut err = String::new();
                    if let Some(p) = &stderr_path {
                        let _ = std::fs::File::open(p).and_then(|mut f| f.read_to_string(&mut err));
                    }
                    return Err((code, err));
                }
            }
        }
        let base = base.unwrap_or_default();
        let port = base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        Ok(Server {
            proc: Proc::Spawned(Some(child)),
            base,
            port,
            dir,
            _tmp: tmp,
            stdout: lines,
            stderr_path,
            agent: agent(),
            root_token: Mutex::new(None),
            _clock: None,
            log_from: 0,
        })
    }

    #[track_caller]
    pub fn start(self) -> Server {
        match self.try_start() {
            Ok(s) => s,
            Err((code, err)) => panic!("flowgate did not start (exit {code}): {err}"),
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build()
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
    /// (status, body), as `send` and `json` return.
    pub fn pair(self) -> (u16, Value) {
        (self.status, self.body)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
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
        secrets::passwords_in(&body);
        let r = self
            .header("Content-Type", "application/json")
            .raw(body.to_string().as_bytes());
        (r.status, r.body)
    }
    /// A JSON body with the full response (headers included).
    pub fn json_full(self, body: Value) -> Resp {
        secrets::passwords_in(&body);
        self.header("Content-Type", "application/json")
            .raw(body.to_string().as_bytes())
    }
    pub fn send(self) -> (u16, Value) {
        let r = self.raw(b"");
        (r.status, r.body)
    }
    /// Sends raw bytes as the body (no content type unless set).
    pub fn raw(self, body: &[u8]) -> Resp {
        let mut r = self
            .server
            .agent
            .request(&self.method, &self.server.url(&self.path));
        for (k, v) in &self.headers {
            r = r.set(k, v);
        }
        let res = if body.is_empty() && self.method == "GET" {
            r.call()
        } else {
            r.send_bytes(body)
        };
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
        secrets::check_response(&text);
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }
}

/// The `code` of the first error entry.
pub fn code(v: &Value) -> &str {
    v["errors"][0]["code"].as_str().unwrap_or("")
}

pub fn message(v: &Value) -> &str {
    v["errors"][0]["message"].as_str().unwrap_or("")
}

/// Asserts an exact one-entry error envelope: status, code and message.
#[track_caller]
pub fn assert_err(got: (u16, Value), status: u16, code: &str, message: &str) {
    let want = json!({"errors": [{"message": message, "code": code}]});
    assert_eq!(
        (got.0, &got.1),
        (status, &want),
        "expected {status} {code} \"{message}\""
    );
}

/// `2025-03-01T09:30:00.000Z`
pub fn is_iso_ms(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    let b = s.as_bytes();
    s.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && b[23] == b'Z'
        && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// The keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Runs the binary with arguments (CLI tests): (exit code, stdout, stderr).
pub fn run_cli(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    run_cli_stdin(args, env, "")
}

/// `run_cli` with `input` on stdin.
pub fn run_cli_stdin(args: &[&str], env: &[(&str, &str)], input: &str) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args);
    clean_env(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run flowgate");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().expect("run flowgate");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    secrets::tokens_in(&stdout);
    (
        out.status.code().unwrap_or(-1),
        stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The password `Server::user` gives `username`.
pub fn user_password(username: &str) -> String {
    format!("{username}-pass-1234")
}

/// Children see none of the `FLOWGATE_*` variables (or `RUST_LOG`) of the environment running the tests.
fn clean_env(cmd: &mut Command) {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("FLOWGATE_") || k == "RUST_LOG" {
            cmd.env_remove(&k);
        }
    }
}

/// What must never leave the server: password hashes, token hashes, and (in logs) tokens and passwords.
/// Every response the harness reads goes through `check_response`, which also learns the tokens it
/// carries; `assert_responses_clean` re-checks everything seen against every token learnt since.
pub mod secrets {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    use std::sync::Mutex;

    use super::Value;

    /// Every token learnt, with the forms its hash could leak in (computed once).
    static TOKENS: Mutex<Vec<Known>> = Mutex::new(Vec::new());
    static PASSWORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    /// Every response body, with how many of `TOKENS` it has been checked against.
    static BODIES: Mutex<Vec<(String, usize)>> = Mutex::new(Vec::new());

    #[derive(Clone)]
    struct Known {
        token: String,
        hash_forms: Vec<String>,
    }

    fn lock<T>(m: &'static Mutex<T>) -> std::sync::MutexGuard<'static, T> {
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every `fgs_…`/`fgk_…` token (prefix + 43 base64url characters) in `text`.
    pub fn scan_tokens(text: &str) -> Vec<String> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i + 47 <= b.len() {
            if (b[i..].starts_with(b"fgs_") || b[i..].starts_with(b"fgk_"))
                && b[i + 4..i + 47]
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
            {
                out.push(text[i..i + 47].to_string());
                i += 47;
            } else {
                i += 1;
            }
        }
        out
    }

    pub fn tokens_in(text: &str) {
        let found = scan_tokens(text);
        if !found.is_empty() {
            let mut t = lock(&TOKENS);
            for f in found {
                if !t.iter().any(|k| k.token == f) {
                    let hash_forms = hash_forms(&f);
                    t.push(Known {
                        token: f,
                        hash_forms,
                    });
                }
            }
        }
    }

    /// Remembers a password sent to a server (8+ characters; shorter ones are refused anyway and would
    /// match unrelated log text).
    pub fn password(p: &str) {
        if p.chars().count() >= 8 {
            let mut all = lock(&PASSWORDS);
            if !all.iter().any(|x| x == p) {
                all.push(p.to_string());
            }
        }
    }

    /// Remembers the values of password-like keys in a request body.
    pub fn passwords_in(v: &Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k.to_ascii_lowercase().contains("password") {
                        if let Some(s) = x.as_str() {
                            password(s);
                        }
                    }
                    passwords_in(x);
                }
            }
            Value::Array(items) => items.iter().for_each(passwords_in),
            _ => {}
        }
    }

    /// The forms a leaked SHA-256 of a token could take in JSON or a log.
    fn hash_forms(token: &str) -> Vec<String> {
        let h = Sha256::digest(token.as_bytes());
        let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
        let nums: Vec<String> = h.iter().map(|b| b.to_string()).collect();
        vec![
            hex.clone(),
            hex.to_uppercase(),
            base64::engine::general_purpose::STANDARD.encode(h),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h),
            format!("[{}]", nums.join(",")),
        ]
    }

    /// Describes the first secret found in `text`: a password hash, a token hash, and with `log` also a
    /// plain token or password.
    pub fn find_secret_in(text: &str, log: bool) -> Option<String> {
        if text.contains("$argon2") {
            return Some("an argon2 password hash".into());
        }
        let tokens = lock(&TOKENS).clone();
        find_token_in(text, log, &tokens)
            .or_else(|| if log { find_password_in(text) } else { None })
    }

    /// A token (with `log`) or a token's hash from `tokens` in `text`.
    fn find_token_in(text: &str, log: bool, tokens: &[Known]) -> Option<String> {
        for Known {
            token: t,
            hash_forms,
        } in tokens
        {
            if log && text.contains(t.as_str()) {
                return Some(format!("token {}…", &t[..8]));
            }
            if hash_forms.iter().any(|f| text.contains(f.as_str())) {
                return Some(format!("the hash of token {}…", &t[..8]));
            }
        }
        None
    }

    fn find_password_in(text: &str) -> Option<String> {
        for p in lock(&PASSWORDS).iter() {
            if text.contains(p.as_str()) {
                return Some(format!(
                    "password {}…",
                    p.chars().take(3).collect::<String>()
                ));
            }
        }
        None
    }

    /// The hook every response body goes through.
    pub fn check_response(text: &str) {
        tokens_in(text);
        let known = lock(&TOKENS).len();
        if let Some(found) = find_secret_in(text, false) {
            panic!("a response contains {found}: {text}");
        }
        lock(&BODIES).push((text.to_string(), known));
    }

    /// Re-checks every response seen so far against every token learnt since it was checked.
    pub fn assert_responses_clean() {
        let tokens = lock(&TOKENS).clone();
        let mut bodies = lock(&BODIES);
        for (b, checked) in bodies.iter_mut() {
            if let Some(found) = find_token_in(b, false, tokens.get(*checked..).unwrap_or_default())
            {
                panic!("a response contains {found}: {b}");
            }
            *checked = tokens.len();
        }
    }

    /// How many responses the hook has seen (so a test can show the check had material).
    pub fn responses_seen() -> usize {
        lock(&BODIES).len()
    }
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

// ---- executions --------------------------------------------------------------------------------

impl Server {
    /// Rows of `executions` in the store.
    pub fn execution_count(&self) -> i64 {
        self.db_i64("SELECT COUNT(*) FROM executions")
    }

    /// Remembers the execution count, for "no executions" checks.
    pub fn no_runs(&self) -> NoRuns<'_> {
        NoRuns {
            server: self,
            before: self.execution_count(),
        }
    }

    /// Executions queued or started (status null or 0), pending delays included.
    pub fn unfinished_executions(&self) -> i64 {
        self.db_i64("SELECT COUNT(*) FROM executions WHERE status IS NULL OR status = 0")
    }

    /// Waits until the queue is idle: every execution final. Fails the test past `timeout`.
    #[track_caller]
    pub fn wait_idle(&self, timeout: Duration) {
        let idle = self.wait_for(timeout, || {
            (self.unfinished_executions() == 0).then_some(())
        });
        assert!(
            idle.is_some(),
            "{} executions still unfinished after {timeout:?}",
            self.unfinished_executions()
        );
    }
}

/// "No executions" (trigger.md §11): the count is unchanged, at once and once the queue is idle.
pub struct NoRuns<'a> {
    server: &'a Server,
    before: i64,
}

impl NoRuns<'_> {
    /// Nothing ran so far (a sync run or a committed async row would already show).
    #[track_caller]
    pub fn now(&self, what: &str) {
        assert_eq!(
            self.server.execution_count(),
            self.before,
            "executions appeared after {what}"
        );
    }

    /// Nothing appeared, also once everything queued so far has run. Async rows are committed before the
    /// answer (trigger.md §7), so `now` is the check; this adds that no run queued earlier made more.
    #[track_caller]
    pub fn settle(self, what: &str) {
        self.now(what);
        self.server.wait_idle(Duration::from_secs(10));
        self.now(what);
    }
}

// ---- curl lines -----------------------------------------------------------------------------------

/// A request as a `curl` command line gives it: method, headers, body (`-d`) and URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Curl {
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub url: String,
}

impl Curl {
    /// Parses `curl -X M -H '…' -d '…' "URL"` (single and double quotes, `\` line continuations).
    pub fn parse(line: &str) -> Curl {
        let words = shell_words(line);
        assert_eq!(
            words.first().map(String::as_str),
            Some("curl"),
            "not a curl line: {line}"
        );
        let mut c = Curl {
            method: String::new(),
            headers: Vec::new(),
            body: None,
            url: String::new(),
        };
        let mut it = words.into_iter().skip(1);
        while let Some(w) = it.next() {
            match w.as_str() {
                "-X" => c.method = it.next().expect("-X value"),
                "-H" => {
                    let h = it.next().expect("-H value");
                    let (k, v) = h.split_once(':').expect("header with a colon");
                    c.headers.push((k.trim().to_string(), v.trim().to_string()));
                }
                "-d" => c.body = Some(it.next().expect("-d value")),
                other if other.starts_with('-') => panic!("unexpected curl option {other}"),
                url => c.url = url.to_string(),
            }
        }
        if c.method.is_empty() {
            c.method = if c.body.is_some() {
                "POST".into()
            } else {
                "GET".into()
            };
        }
        c
    }

    /// The bytes curl sends for this line to `127.0.0.1:<port>` (HTTP/1.1; `-d` adds curl's
    /// `Content-Type: application/x-www-form-urlencoded`), with `base` standing in for the URL's origin.
    pub fn request_bytes(&self, base: &str) -> Vec<u8> {
        let rest = self
            .url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.url);
        let (host, target) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let host = base.split_once("://").map(|(_, h)| h).unwrap_or(host);
        let mut out = format!(
            "{} {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n",
            self.method
        );
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(b) = &self.body {
            out.push_str(&format!(
                "Content-Length: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                b.len()
            ));
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        if let Some(b) = &self.body {
            bytes.extend_from_slice(b.as_bytes());
        }
        bytes
    }

    /// Sends the line's request to `server` over a fresh connection: (status, head, body as JSON).
    pub fn send(&self, server: &Server) -> (u16, String, Value) {
        let mut conn = server.tcp();
        let (st, head, body) = tcp_exchange(&mut conn, &self.request_bytes(&server.base));
        (st, head, serde_json::from_str(&body).unwrap_or(Value::Null))
    }
}

/// Splits a shell line into words: `'…'` literal, `"…"` with `\"` escapes, `\`-newline joins.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                has = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                has = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            cur.push(chars.next().unwrap_or('\\'))
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            c if c.is_whitespace() => {
                if has {
                    words.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            c => {
                has = true;
                cur.push(c);
            }
        }
    }
    if has {
        words.push(cur);
    }
    words
}

/// The words an interactive bash (history expansion on, as in a terminal) passes to `curl` for `line`,
/// which may span lines with `\` continuations; `Err` with bash's complaint ("event not found") when
/// bash refuses the line.
pub fn words_in_interactive_bash(line: &str) -> Result<Vec<String>, String> {
    let mut child = Command::new("bash")
        .args(["--norc", "--noprofile", "-i"])
        .env("HISTFILE", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    let script = format!("curl() {{ printf '%s\\0' \"$@\"; }}\n{line}\nexit\n");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write to bash");
    let out = child.wait_with_output().expect("bash output");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    if err.contains("event not found") || err.contains("unexpected EOF") {
        return Err(err);
    }
    let words = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    Ok(words)
}
