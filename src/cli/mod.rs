//! The commands: `serve`, `user add|passwd`, `healthcheck` (operations.md §1). Exit codes: 0 normal,
//! 1 failure (one line on stderr), 2 usage error (clap).

use std::io::{BufRead, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use crate::app::App;
use crate::auth::{bootstrap, password};
use crate::config::{Config, LogFormat, PasswordArgs, ServeArgs, UserCommand};
use crate::store::{Durability, FolderLock, Store};

pub mod backup;
pub mod bridge;
pub mod push;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn fail(msg: impl std::fmt::Display) -> i32 {
    // Not `eprintln!`, which panics when stderr has lost its reader.
    let _ = writeln!(std::io::stderr(), "flowgate: {msg}");
    1
}

/// stderr for the log, where a write that fails (the reader of a pipe gone: `serve 2>&1 | head -1`, a
/// dead log collector) is dropped instead of failing the request or the shutdown that logged it.
struct LossyStderr;

impl Write for LossyStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    // `log_internal_errors(false)`: tracing-subscriber would report a failed write with `eprintln!`,
    // which panics on the same broken stderr (in a worker: an empty reply; in the signal task: no stop).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| LossyStderr)
        .log_internal_errors(false)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub fn serve(args: ServeArgs) -> i32 {
    // Whatever the process creates is its owner's alone (the store also sets its files' modes itself).
    // SAFETY: umask only swaps the process's file-creation mask.
    unsafe { libc::umask(0o077) };
    init_logging(args.log_format);
    let mut running = match start(Config::from_args(args)) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    // Handlers before the banner: a signal sent as soon as the banner is read already stops gracefully.
    let signals = match Signals::install() {
        Ok(s) => s,
        Err(e) => {
            let _ = running.stop();
            return fail(format!("cannot start a runtime: {e}"));
        }
    };
    print_banner(&running);
    signals.wait(&mut running);
    running.stop()
}

/// A server started by [`start`]: the store open and bootstrapped, the worker and housekeeping running,
/// HTTP served on `addr` by an actix System in its own thread. [`Running::stop`] ends it gracefully.
/// `flowgate serve` is `start`, the banner, signals, `stop`; tests start servers in-process the same way.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub app: Arc<App>,
    pub root: bootstrap::RootInfo,
    /// The root token minted for `--demo` (printed in the banner).
    pub demo_token: Option<String>,
    handle: actix_web::dev::ServerHandle,
    /// Answers once the HTTP server has ended (stopped, or failed on its own).
    ended: Option<tokio::sync::oneshot::Receiver<()>>,
    http: std::thread::JoinHandle<std::io::Result<()>>,
    worker: Option<std::thread::JoinHandle<()>>,
    /// The schedule trigger's thread (`workflow::scheduler`).
    scheduler: Option<std::thread::JoinHandle<()>>,
    _lock: FolderLock,
}

/// Takes the data folder, opens and prepares the store (root, roles, demo, recovery, purge), starts the
/// housekeeping, the worker and the HTTP server on `config.serve.listen`. Installs no signal handler and
/// no log subscriber (the caller's business). Errors are the one line `serve` prints.
pub fn start(config: Config) -> Result<Running, String> {
    let data = config.serve.data.clone();
    if let Err(e) = bootstrap::check_root_password(config.root_password.as_deref()) {
        // Refuse before creating anything when the store would need that password.
        if !data.join("flowgate.db").exists() {
            return Err(e);
        }
    }
    let lock = FolderLock::acquire(&data)?;
    crate::workflow::dry_run::sweep(&data);
    if let Some(file) = &config.serve.import {
        import_at_start(&data, file)?;
    }
    let app = App::open(config.clone())?;
    let root = bootstrap::ensure_root(
        &app.store,
        &app.hasher,
        config.root_password.as_deref(),
        config.root_email.as_deref(),
    )
    .map_err(|e| e.message().to_string())?;
    // The bootstrap may just have created the built-in roles: the ACL cache must see them.
    app.acl
        .reload(&app.store)
        .map_err(|e| format!("cannot load roles: {e}"))?;
    prepare_store(&app)?;
    let demo_token = if config.serve.demo {
        let token = crate::demo::install(&app).and_then(|_| crate::demo::mint_root_token(&app));
        Some(token.map_err(|e| {
            format!(
                "cannot install the demo: {}",
                e.detail.as_deref().unwrap_or(e.message())
            )
        })?)
    } else {
        None
    };
    let listener = TcpListener::bind(&config.serve.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", config.serve.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    start_housekeeping(app.clone());
    let worker = if app.config.worker_on() {
        Some(
            crate::workflow::queue::start_worker(app.clone())
                .map_err(|e| format!("cannot start the worker: {e}"))?,
        )
    } else {
        None
    };
    let scheduler = Some(
        crate::workflow::scheduler::start(app.clone())
            .map_err(|e| format!("cannot start the scheduler: {e}"))?,
    );
    let (handle_tx, handle_rx) = std::sync::mpsc::channel();
    let (ended_tx, ended) = tokio::sync::oneshot::channel();
    let served = app.clone();
    let http = std::thread::Builder::new()
        .name("flowgate-http".into())
        .spawn(move || {
            let result = actix_web::rt::System::new().block_on(async move {
                let server = crate::http::build_server(served, listener)?;
                let _ = handle_tx.send(server.handle());
                server.await
            });
            let _ = ended_tx.send(());
            result
        });
    let started = http
        .map_err(|e| e.to_string())
        .and_then(|http| match handle_rx.recv() {
            Ok(handle) => Ok((http, handle)),
            // The server was not built: the thread's result says why.
            Err(_) => Err(match http.join() {
                Ok(Err(e)) => e.to_string(),
                _ => "the HTTP server thread failed".to_string(),
            }),
        });
    let (http, handle) = match started {
        Ok(s) => s,
        Err(e) => {
            finish_worker(&app, worker);
            finish_scheduler(scheduler);
            return Err(e);
        }
    };
    Ok(Running {
        addr,
        app,
        root,
        demo_token,
        handle,
        ended: Some(ended),
        http,
        worker,
        scheduler,
        _lock: lock,
    })
}

impl Running {
    /// Graceful stop: health answers 503, no new connections, in-flight requests finish within the
    /// shutdown timeout, the worker finishes its current execution (past the timeout it stays STARTED for
    /// the next start), the WAL is checkpointed and the folder lock released. Returns `serve`'s exit code.
    pub fn stop(self) -> i32 {
        self.app.begin_shutdown();
        let handle = self.handle.clone();
        block_on(async move { handle.stop(true).await });
        let result = match self.http.join() {
            Ok(r) => r,
            Err(_) => Err(std::io::Error::other("the HTTP server thread panicked")),
        };
        finish_worker(&self.app, self.worker);
        finish_scheduler(self.scheduler);
        match result {
            Ok(()) => 0,
            Err(e) => fail(e),
        }
    }
}

/// Runs a future to completion on a small runtime of its own (the HTTP server has its own System).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(f),
        Err(e) => panic!("cannot build a runtime: {e}"),
    }
}

/// Waits for the scheduler thread, already told to stop by `begin_shutdown` (it ends after the fire it
/// may be writing, which takes no longer than one write).
fn finish_scheduler(scheduler: Option<std::thread::JoinHandle<()>>) {
    if let Some(s) = scheduler {
        let _ = s.join();
    }
}

/// Stops the worker within the shutdown timeout and checkpoints the store.
fn finish_worker(app: &App, worker: Option<std::thread::JoinHandle<()>>) {
    app.begin_shutdown();
    if let Some(w) = worker {
        let deadline = std::time::Instant::now() + app.config.serve.shutdown_timeout;
        while !w.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if w.is_finished() {
            let _ = w.join();
        } else {
            tracing::warn!("worker still busy at the shutdown timeout; its execution resumes at the next start");
        }
    }
    app.store.checkpoint();
}

fn print_banner(running: &Running) {
    let (addr, root, config) = (running.addr, &running.root, &running.app.config);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "flowgate {VERSION} listening on http://{addr} (data: {})",
        config.serve.data.display()
    );
    let _ = writeln!(
        out,
        "root user: {} (username {})",
        root.email, root.username
    );
    match &root.generated_password {
        Some(p) => {
            let _ = writeln!(
                out,
                "root password: {p}   <- shown once; change it with: flowgate user passwd {}",
                root.username
            );
        }
        None if root.created => {
            let _ = writeln!(out, "root password: (from FLOWGATE_ROOT_PASSWORD)");
        }
        None => {
            let _ = writeln!(out, "root password: (set at first start)");
        }
    }
    if let Some(token) = &running.demo_token {
        let _ = writeln!(
            out,
            "demo: collections samples, categories, posts, comments; workflows {}",
            crate::demo::KEYS.join(", ")
        );
        let _ = writeln!(
            out,
            "token (root, valid {}): {token}",
            crate::demo::describe(config.serve.token_ttl)
        );
        for l in crate::demo::banner(&format!("http://{addr}"), token) {
            let _ = writeln!(out, "{l}");
        }
    }
    let _ = out.flush();
}

/// `serve --import FILE`: the document applied before the store is served (idempotent: a document the
/// store already holds changes nothing). The report goes to stderr; a refused document stops the start.
fn import_at_start(data: &Path, file: &Path) -> Result<(), String> {
    let doc = bridge::read_document(file)?;
    let store = Store::open(data, Durability::Normal, 1).map_err(|e| e.to_string())?;
    let outcome = crate::bridge::import::import_document(
        &store,
        &doc,
        &crate::bridge::import::ImportOptions::default(),
    )
    .map_err(|e| format!("cannot import {}: {e}", file.display()))?;
    store.checkpoint();
    bridge::print_outcome(&outcome, false);
    Ok(())
}

/// Start-up housekeeping before requests are accepted: recover executions, drop dead tokens and
/// idempotency records left in progress by a crash.
fn prepare_store(app: &App) -> Result<(), String> {
    crate::workflow::queue::recover(app).map_err(|e| format!("cannot recover executions: {e}"))?;
    purge_dead_rows(app, true).map_err(|e| format!("cannot clean the store: {e}"))
}

/// Dead tokens and expired idempotency records (and, at start, records left in progress by a crash).
fn purge_dead_rows(app: &App, at_start: bool) -> crate::error::Result<()> {
    app.store.write(|c| {
        crate::auth::token::purge(c)?;
        crate::trigger::idempotency::purge(c, at_start)
    })
}

/// Every 5 s: finished executions past `--keep-executions` / `--keep-days` (at 3,000 runs a second the
/// cap is reached in half a minute, so hourly would be too late). Hourly: dead tokens and expired
/// idempotency records go while the server runs for months.
fn start_housekeeping(app: Arc<App>) {
    let spawned = std::thread::Builder::new()
        .name("flowgate-housekeeping".into())
        .spawn(move || {
            let start = std::time::Instant::now();
            let (mut last_purge, mut last_prune) = (start, None::<std::time::Instant>);
            while !app.is_shutting_down() {
                if last_prune.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(5)) {
                    last_prune = Some(std::time::Instant::now());
                    if let Err(e) = crate::workflow::retention::prune_executions(&app) {
                        tracing::warn!(error = %e, "execution retention failed");
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(500));
                if last_purge.elapsed() < std::time::Duration::from_secs(3600) {
                    continue;
                }
                last_purge = std::time::Instant::now();
                if let Err(e) = purge_dead_rows(&app, false) {
                    tracing::warn!(error = %e, "housekeeping failed");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start housekeeping");
    }
}

/// SIGINT/SIGTERM for `serve`: the first begins the graceful stop, a second exits at once with code 1.
/// Without handlers (an error, logged) the server runs until it ends on its own.
struct Signals {
    rt: tokio::runtime::Runtime,
    handlers: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{signal, SignalKind};
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let entered = rt.enter();
        let handlers = match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(term), Ok(int)) => Some((term, int)),
            _ => {
                tracing::error!("cannot install signal handlers");
                None
            }
        };
        drop(entered);
        Ok(Signals { rt, handlers })
    }

    /// Waits for the first signal (or for the server to end on its own), then stops accepting and lets
    /// in-flight requests finish within the shutdown timeout, exiting with 1 on a second signal.
    fn wait(self, running: &mut Running) {
        let Signals { rt, handlers } = self;
        let ended = running.ended.take();
        let app = running.app.clone();
        let handle = running.handle.clone();
        rt.block_on(async move {
            let ended = async move {
                if let Some(rx) = ended {
                    let _ = rx.await;
                }
            };
            let Some((mut term, mut int)) = handlers else {
                return ended.await;
            };
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
                _ = ended => return,
            }
            tracing::info!("shutting down");
            app.begin_shutdown();
            tokio::select! {
                _ = handle.stop(true) => {},
                _ = term.recv() => std::process::exit(1),
                _ = int.recv() => std::process::exit(1),
            }
        });
    }
}

fn read_password(p: &PasswordArgs) -> Result<(String, bool), String> {
    if let Some(pw) = &p.password {
        return Ok((pw.clone(), false));
    }
    if p.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_string(), false));
    }
    Ok((password::random_password(20), true))
}

fn open_store(data: &Path) -> Result<Store, String> {
    if !data.join("flowgate.db").exists() {
        return Err(format!("no flowgate store in {}", data.display()));
    }
    Store::open(data, Durability::Normal, 1).map_err(|e| e.to_string())
}

pub fn user(cmd: UserCommand) -> i32 {
    let hasher = password::Hasher::new(1);
    let result: Result<(), String> = match cmd {
        UserCommand::Add {
            email,
            username,
            password: pw,
            roles,
            data,
        } => (|| {
            let (password, generated) = read_password(&pw)?;
            password::check_length(&password).map_err(|e| e.message().to_string())?;
            let store = open_store(&data)?;
            let hash = hasher
                .hash(&password)
                .map_err(|e| e.message().to_string())?;
            let new = crate::auth::users::NewUser {
                username,
                email,
                nickname: None,
                password_hash: hash,
                roles: if roles.is_empty() { None } else { Some(roles) },
            };
            let id = store
                .write(|c| crate::auth::users::insert(c, &new))
                .map_err(|e| e.message().to_string())?;
            println!("created user {id}");
            if generated {
                println!("password: {password}");
            }
            Ok(())
        })(),
        UserCommand::Passwd {
            account,
            password: pw,
            data,
        } => (|| {
            let (password, generated) = read_password(&pw)?;
            password::check_length(&password).map_err(|e| e.message().to_string())?;
            let store = open_store(&data)?;
            let hash = hasher
                .hash(&password)
                .map_err(|e| e.message().to_string())?;
            let id = store
                .write(|c| {
                    let id = crate::auth::repo::user_by_account(c, &account)?.map(|(u, _)| u.id);
                    let id = id.ok_or_else(|| {
                        crate::error::invalid_value(format!("user \"{account}\" not found"))
                    })?;
                    crate::auth::users::set_password(c, id, &hash)?;
                    Ok(id)
                })
                .map_err(|e| e.message().to_string())?;
            println!("password of user {id} changed; their sign-in tokens are revoked");
            if generated {
                println!("password: {password}");
            }
            Ok(())
        })(),
    };
    match result {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

pub fn healthcheck(url: Option<String>) -> i32 {
    let base = url.unwrap_or_else(|| {
        let listen = std::env::var("FLOWGATE_LISTEN").unwrap_or_else(|_| "127.0.0.1:13000".into());
        format!("http://{listen}")
    });
    let url = format!("{}/api/health", base.trim_end_matches('/'));
    let agent = ureq::AgentBuilder::new()
        .timeout(std::time::Duration::from_secs(2))
        .build();
    match agent.get(&url).call() {
        Ok(res) if res.status() == 200 => {
            let ok = res
                .into_json::<serde_json::Value>()
                .map(|v| v["data"]["status"] == "ok")
                .unwrap_or(false);
            if ok {
                println!("ok");
                0
            } else {
                fail(format!("{url}: unexpected answer"))
            }
        }
        Ok(res) => fail(format!("{url}: status {}", res.status())),
        Err(e) => fail(format!("{url}: {e}")),
    }
}
