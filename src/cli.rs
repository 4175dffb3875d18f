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

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn fail(msg: impl std::fmt::Display) -> i32 {
    eprintln!("flowgate: {msg}");
    1
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub fn serve(args: ServeArgs) -> i32 {
    init_logging(args.log_format);
    let config = Config::from_args(args);
    let data = config.serve.data.clone();
    if let Err(e) = bootstrap::env_root_password() {
        // Refuse before creating anything when the store would need that password.
        if !data.join("flowgate.db").exists() {
            return fail(e);
        }
    }
    let _lock = match FolderLock::acquire(&data) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let app = match App::open(config.clone()) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let root = match bootstrap::ensure_root(&app.store, &app.hasher) {
        Ok(r) => r,
        Err(e) => return fail(e.message()),
    };
    // The bootstrap may just have created the built-in roles: the ACL cache must see them.
    if let Err(e) = app.acl.reload(&app.store) {
        return fail(format!("cannot load roles: {e}"));
    }
    if let Err(e) = prepare_store(&app) {
        return fail(e);
    }
    let demo_token = if config.serve.demo {
        match crate::demo::install(&app).and_then(|_| crate::demo::mint_root_token(&app)) {
            Ok(t) => Some(t),
            Err(e) => return fail(format!("cannot install the demo: {}", e.detail.as_deref().unwrap_or(e.message()))),
        }
    } else {
        None
    };
    let listener = match TcpListener::bind(&config.serve.listen) {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {}: {e}", config.serve.listen)),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "flowgate {VERSION} listening on http://{addr} (data: {})", data.display());
    let _ = writeln!(out, "root user: {} (username {})", root.email, root.username);
    match &root.generated_password {
        Some(p) => {
            let _ = writeln!(out, "root password: {p}   <- shown once; change it with: flowgate user passwd {}", root.username);
        }
        None if root.created => {
            let _ = writeln!(out, "root password: (from FLOWGATE_ROOT_PASSWORD)");
        }
        None => {
            let _ = writeln!(out, "root password: (set at first start)");
        }
    }
    if let Some(token) = &demo_token {
        let _ = writeln!(
            out,
            "demo: collections samples, categories, posts, comments; workflows {}",
            crate::demo::KEYS.join(", ")
        );
        let _ = writeln!(out, "token (root, valid {}): {token}", crate::demo::describe(config.serve.token_ttl));
        for l in crate::demo::banner(&format!("http://{addr}"), token) {
            let _ = writeln!(out, "{l}");
        }
    }
    let _ = out.flush();
    drop(out);
    run_server(app, listener)
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

/// Hourly: dead tokens and expired idempotency records go while the server runs for months.
fn start_housekeeping(app: Arc<App>) {
    let spawned = std::thread::Builder::new().name("flowgate-housekeeping".into()).spawn(move || {
        let mut last = std::time::Instant::now();
        while !app.is_shutting_down() {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if last.elapsed() < std::time::Duration::from_secs(3600) {
                continue;
            }
            last = std::time::Instant::now();
            if let Err(e) = purge_dead_rows(&app, false) {
                tracing::warn!(error = %e, "housekeeping failed");
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start housekeeping");
    }
}

fn run_server(app: Arc<App>, listener: TcpListener) -> i32 {
    start_housekeeping(app.clone());
    let worker = if app.config.worker_on() {
        match crate::workflow::queue::start_worker(app.clone()) {
            Ok(h) => Some(h),
            Err(e) => return fail(format!("cannot start the worker: {e}")),
        }
    } else {
        None
    };
    let timeout = app.config.serve.shutdown_timeout;
    let stopping = app.clone();
    let system = actix_web::rt::System::new();
    let result: std::io::Result<()> = system.block_on(async move {
        let server = crate::http::build_server(app.clone(), listener)?;
        let handle = server.handle();
        actix_web::rt::spawn(watch_signals(app.clone(), handle));
        server.await?;
        Ok(())
    });
    stopping.begin_shutdown();
    if let Some(w) = worker {
        // The worker finishes its current execution; past the timeout it stays STARTED for the next start.
        let deadline = std::time::Instant::now() + timeout;
        while !w.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if w.is_finished() {
            let _ = w.join();
        } else {
            tracing::warn!("worker still busy at the shutdown timeout; its execution resumes at the next start");
        }
    }
    stopping.store.checkpoint();
    match result {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

/// First SIGINT/SIGTERM: health answers 503, stop accepting, let in-flight requests finish within the
/// shutdown timeout. A second signal exits at once with code 1.
async fn watch_signals(app: Arc<App>, handle: actix_web::dev::ServerHandle) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        tracing::error!("cannot install signal handlers");
        return;
    };
    tokio::select! {
        _ = term.recv() => {},
        _ = int.recv() => {},
    }
    tracing::info!("shutting down");
    app.begin_shutdown();
    actix_web::rt::spawn(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        std::process::exit(1);
    });
    handle.stop(true).await;
}

fn read_password(p: &PasswordArgs) -> Result<(String, bool), String> {
    if let Some(pw) = &p.password {
        return Ok((pw.clone(), false));
    }
    if p.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read stdin: {e}"))?;
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
        UserCommand::Add { email, username, password: pw, roles, data } => (|| {
            let (password, generated) = read_password(&pw)?;
            password::check_length(&password).map_err(|e| e.message().to_string())?;
            let store = open_store(&data)?;
            let hash = hasher.hash(&password).map_err(|e| e.message().to_string())?;
            let new = crate::auth::users::NewUser {
                username,
                email,
                nickname: None,
                password_hash: hash,
                roles: if roles.is_empty() { None } else { Some(roles) },
            };
            let id = store.write(|c| crate::auth::users::insert(c, &new)).map_err(|e| e.message().to_string())?;
            println!("created user {id}");
            if generated {
                println!("password: {password}");
            }
            Ok(())
        })(),
        UserCommand::Passwd { account, password: pw, data } => (|| {
            let (password, generated) = read_password(&pw)?;
            password::check_length(&password).map_err(|e| e.message().to_string())?;
            let store = open_store(&data)?;
            let hash = hasher.hash(&password).map_err(|e| e.message().to_string())?;
            let id = store
                .write(|c| {
                    let id = crate::auth::repo::user_by_account(c, &account)?.map(|(u, _)| u.id);
                    let id = id.ok_or_else(|| crate::error::invalid_value(format!("user \"{account}\" not found")))?;
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
    let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(2)).build();
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
