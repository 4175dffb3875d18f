//! `make bench`: drives a release `flowgate` on 127.0.0.1:0 over a fresh folder with a keep-alive
//! HTTP/1.1 load generator and prints each phase beside GET /api/health measured in the same run
//! (operations.md §6). Figures are printed, not asserted: it exits 0 unless the run itself breaks.
//!
//! BENCH_SECONDS (10 per phase), BENCH_CONNECTIONS (16), BENCH_ROWS (100000), BENCH_DRAIN (20000),
//! BENCH_SCALE (1000000 records and executions for the scale phase; 0 skips it), BENCH_ONLY_SCALE
//! (set: the scale phase alone).

mod ceiling;
mod load;
mod scale;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use load::{load, next, request, Conn, Figures};

const PASSWORD: &str = "bench-root-pass";

pub type Fail = Box<dyn std::error::Error>;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------- the server under test

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(bin: &Path, data: &Path, extra: &[&str]) -> Result<(Server, Duration), Fail> {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra)
            .env("FLOWGATE_ROOT_PASSWORD", PASSWORD)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(out).lines();
        let first = lines.next().ok_or("server exited")??;
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .ok_or("no address in the first line")?
            .to_string();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let server = Server { child, addr };
        loop {
            if let Ok((200, _)) = server.call("GET", "/api/health", None, None) {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                return Err("server did not become healthy".into());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        Ok((server, started.elapsed()))
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<(u16, Value), Fail> {
        let mut conn = Conn::open(&self.addr)?;
        let req = request(
            method,
            path,
            &self.addr,
            token,
            body.map(|b| b.to_string()).as_deref(),
        );
        let (status, text) = conn.roundtrip(&req)?;
        Ok((status, serde_json::from_slice(&text).unwrap_or(Value::Null)))
    }

    fn ok(&self, method: &str, path: &str, token: &str, body: Value) -> Result<Value, Fail> {
        let (s, v) = self.call(method, path, Some(token), Some(&body))?;
        if s != 200 {
            return Err(format!("{method} {path} → {s} {v}").into());
        }
        Ok(v["data"].clone())
    }

    fn proc_status(&self, field: &str) -> u64 {
        let text = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        text.lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) -> Result<(), Fail> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A measured ceiling: a name and its rate.
#[derive(Clone, Copy)]
struct Ceiling {
    name: &'static str,
    rps: f64,
}

impl Ceiling {
    fn ratio(&self, rps: f64) -> f64 {
        rps / self.rps.max(1.0)
    }
}

fn line(name: &str, f: &Figures, ceiling: Ceiling, target: &str, ok: bool) {
    println!(
        "{name:<16}{:>7.0} req/s  p50 {:.1} ms  p99 {:.1} ms  err {}  {} {:.0} req/s  ratio {:.3}  target {target}  {}",
        f.rps,
        f.p50_ms,
        f.p99_ms,
        f.errors,
        ceiling.name,
        ceiling.rps,
        ceiling.ratio(f.rps),
        if ok { "ok" } else { "MISS" }
    );
}

// ---------------------------------------------------------------- setup

fn sign_in(s: &Server) -> Result<String, Fail> {
    let v = s.ok(
        "POST",
        "/api/auth:signIn",
        "",
        json!({"account": "admin", "password": PASSWORD}),
    )?;
    Ok(v["token"].as_str().ok_or("no token")?.to_string())
}

/// Fills `samples` to `rows` rows straight through SQLite (setup is not what is measured).
fn fill_samples(data: &Path, rows: u64) -> Result<(), Fail> {
    let mut db = rusqlite::Connection::open(data.join("flowgate.db"))?;
    db.busy_timeout(Duration::from_secs(30))?;
    let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let have: u64 =
            tx.query_row("SELECT COUNT(*) FROM samples", [], |r| r.get::<_, i64>(0))? as u64;
        let now = "2025-03-01T09:30:00.000Z";
        let mut st = tx.prepare("INSERT INTO samples (title, indicator, createdAt, updatedAt, createdById, updatedById) VALUES (?1, ?2, ?3, ?3, 1, 1)")?;
        for i in have..rows {
            st.execute(rusqlite::params![
                format!("Sample {i}"),
                (i % 100) as i64,
                now
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn workflow(s: &Server, token: &str, key: &str, sync: bool) -> Result<(), Fail> {
    let w = s.ok(
        "POST",
        "/api/workflows:create",
        token,
        json!({"title": key, "key": key, "type": "custom-action", "sync": sync, "enabled": true,
               "config": {"type": 1, "collection": "samples"}}),
    )?;
    let id = w["id"].as_i64().ok_or("no workflow id")?;
    let nodes = format!("/api/workflows/{id}/nodes:create");
    let check = s.ok("POST", &nodes, token, json!({"type": "condition", "key": "check", "config": {
        "rejectOnFalse": true, "calculation": {"calculator": "gte", "operands": ["{{$context.data.indicator}}", 0]}}}))?;
    let calc = s.ok(
        "POST",
        &nodes,
        token,
        json!({"type": "calculation", "key": "calc", "upstreamId": check["id"],
        "config": {"expression": "{{$context.data.indicator}} + 1"}}),
    )?;
    s.ok(
        "POST",
        &nodes,
        token,
        json!({"type": "update", "key": "save", "upstreamId": calc["id"], "config": {
        "collection": "samples", "params": {"filter": {"id": "{{$context.data.id}}"},
        "values": {"indicator": "{{$jobsMapByNodeKey.calc}}"}}}}),
    )?;
    Ok(())
}

fn open_executions(data: &Path) -> Result<u64, Fail> {
    let db = rusqlite::Connection::open_with_flags(
        data.join("flowgate.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    db.busy_timeout(Duration::from_secs(10))?;
    Ok(db.query_row(
        "SELECT COUNT(*) FROM executions WHERE status IS NULL OR status = 0",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench failed: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Fail> {
    let seconds = env_num("BENCH_SECONDS", 10);
    let conns = env_num("BENCH_CONNECTIONS", 16);
    let rows = env_num("BENCH_ROWS", 100_000);
    let drain_n = env_num("BENCH_DRAIN", 20_000);
    let bin: PathBuf = std::env::current_exe()?.with_file_name("flowgate");
    let tmp = std::env::temp_dir().join(format!("flowgate-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let data = tmp.join("data");
    println!(
        "flowgate bench: {seconds} s per phase, {conns} connections, {rows} rows, binary {}",
        bin.display()
    );

    if std::env::var_os("BENCH_ONLY_SCALE").is_some() {
        scale::run(
            &bin,
            &tmp,
            env_num("BENCH_SCALE", 1_000_000),
            (seconds / 2).max(1),
            conns,
        )?;
        let _ = std::fs::remove_dir_all(&tmp);
        return Ok(());
    }
    let (server, start_time) = Server::start(&bin, &data, &[])?;
    std::thread::sleep(Duration::from_secs(1));
    let idle_kb = server.proc_status("VmRSS:");
    println!("start         {:>7.1} ms  (spawn → first 200 on /api/health, empty folder)  target <=200ms  {}",
        start_time.as_secs_f64() * 1000.0, if start_time <= Duration::from_millis(200) { "ok" } else { "MISS" });
    println!(
        "idle RSS      {:>7.1} MB  target <=20MB  {}",
        idle_kb as f64 / 1024.0,
        if idle_kb <= 20 * 1024 { "ok" } else { "MISS" }
    );

    let token = sign_in(&server)?;
    server.ok(
        "POST",
        "/api/collections:create",
        &token,
        json!({"name": "samples",
        "fields": [{"name": "title", "type": "string"}, {"name": "indicator", "type": "integer"}]}),
    )?;
    workflow(&server, &token, "bench_sync", true)?;
    workflow(&server, &token, "bench_async", false)?;

    let addr = server.addr.clone();
    let health = request("GET", "/api/health", &addr, None, None);
    // The ceilings, on the same box in the same run (ceiling.rs).
    let bare = ceiling::health()?;
    let bare_health = request("GET", "/api/health", &bare.addr, None, None);
    let bare_fig = load(
        &bare.addr,
        seconds,
        conns,
        Arc::new(move |_| bare_health.clone()),
    )?;
    drop(bare);
    let bare_health = Ceiling {
        name: "bare-health",
        rps: bare_fig.rps,
    };
    line(
        "ceiling health",
        &bare_fig,
        bare_health,
        "reference (actix-web alone)",
        true,
    );
    let bare = ceiling::trigger(&tmp.join("bare"), rows)?;
    let a = bare.addr.clone();
    let bare_fig = load(
        &bare.addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            request(
                "POST",
                &format!("/bare/trigger/{}", next(rng) % rows.max(1) + 1),
                &a,
                None,
                None,
            )
        }),
    )?;
    drop(bare);
    let bare_trigger = Ceiling {
        name: "bare-trigger",
        rps: bare_fig.rps,
    };
    line(
        "ceiling trigger",
        &bare_fig,
        bare_trigger,
        "reference (actix-web + one SQLite writer)",
        true,
    );

    let base = load(&addr, seconds, conns, Arc::new(move |_| health.clone()))?;
    let ok = bare_health.ratio(base.rps) >= 0.5;
    line("health", &base, bare_health, ">=0.5x bare-health", ok);

    let (t, a) = (token.clone(), addr.clone());
    let create = load(
        &addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            let body = format!("{{\"title\":\"bench\",\"indicator\":{}}}", next(rng) % 100);
            request("POST", "/api/samples:create", &a, Some(&t), Some(&body))
        }),
    )?;
    line(
        "create",
        &create,
        bare_health,
        ">=5000",
        create.rps >= 5000.0,
    );

    fill_samples(&data, rows)?;
    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let get = load(
        &addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            request(
                "GET",
                &format!("/api/samples:get/{}", next(rng) % n + 1),
                &a,
                Some(&t),
                None,
            )
        }),
    )?;
    line(
        "get by id",
        &get,
        bare_health,
        "reference (100k rows)",
        true,
    );

    // A page of 20 through a filter on the primary key (an indexed field), with its count.
    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let list = load(
        &addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            let from = next(rng) % n.saturating_sub(50).max(1) + 1;
            let filter = format!(
                "%7B%22id%22%3A%7B%22%24between%22%3A%5B{from}%2C{}%5D%7D%7D",
                from + 49
            );
            request(
                "GET",
                &format!("/api/samples:list?filter={filter}&pageSize=20"),
                &a,
                Some(&t),
                None,
            )
        }),
    )?;
    line(
        "list filtered",
        &list,
        bare_health,
        "reference (100k rows)",
        true,
    );

    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let sync = load(
        &addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            let path = format!(
                "/api/samples:trigger/{}?triggerWorkflows=bench_sync",
                next(rng) % n + 1
            );
            request("POST", &path, &a, Some(&t), None)
        }),
    )?;
    let ok = bare_trigger.ratio(sync.rps) >= 0.8 && sync.p99_ms <= 10.0;
    line(
        "sync trigger",
        &sync,
        bare_trigger,
        ">=0.8x bare-trigger, p99<=10ms",
        ok,
    );

    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let accept = load(
        &addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            let path = format!(
                "/api/samples:trigger/{}?triggerWorkflows=bench_async",
                next(rng) % n + 1
            );
            request("POST", &path, &a, Some(&t), None)
        }),
    )?;
    let ok = accept.rps >= 8000.0 && accept.p99_ms <= 20.0;
    line(
        "async accept",
        &accept,
        bare_trigger,
        ">=8000, p99<=20ms (worker draining)",
        ok,
    );
    // Let the worker finish the accept phase's backlog so the drain phase times exactly its own rows.
    let backlog = Instant::now();
    while open_executions(&data)? > 0 && backlog.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let peak_kb = server.proc_status("VmHWM:");
    server.stop()?;

    // Queue drain: queue rows with the worker off, then time a worker-on start until none is open.
    let (server, _) = Server::start(&bin, &data, &["--worker", "off"])?;
    let token = sign_in(&server)?;
    let mut conn = Conn::open(&server.addr)?;
    let mut rng = 42u64;
    for _ in 0..drain_n {
        let path = format!(
            "/api/samples:trigger/{}?triggerWorkflows=bench_async",
            next(&mut rng) % rows.max(1) + 1
        );
        let (s, _) = conn.roundtrip(&request("POST", &path, &server.addr, Some(&token), None))?;
        if s != 200 {
            return Err(format!("queueing for the drain failed with {s}").into());
        }
    }
    server.stop()?;
    let queued = open_executions(&data)?;
    let started = Instant::now();
    let (server, _) = Server::start(&bin, &data, &[])?;
    while open_executions(&data)? > 0 {
        if started.elapsed() > Duration::from_secs(600) {
            return Err("queue did not drain in 10 minutes".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let drain_secs = started.elapsed().as_secs_f64();
    let drain_rate = queued as f64 / drain_secs;
    let peak_kb = peak_kb.max(server.proc_status("VmHWM:"));
    println!(
        "queue drain     {drain_rate:>7.0} exec/s  ({queued} executions in {drain_secs:.2} s from restart)  bare-trigger {:.0} req/s  ratio {:.3}  target >=8000  {}",
        bare_trigger.rps, bare_trigger.ratio(drain_rate), if drain_rate >= 8000.0 { "ok" } else { "MISS" }
    );
    println!(
        "peak RSS      {:>7.1} MB  (VmHWM over the run)",
        peak_kb as f64 / 1024.0
    );
    println!(
        "requests      baseline {}  create {}  get {}  list {}  sync {}  async {}",
        base.requests, create.requests, get.requests, list.requests, sync.requests, accept.requests
    );
    server.stop()?;
    let scale_rows = env_num("BENCH_SCALE", 1_000_000);
    if scale_rows > 0 {
        scale::run(&bin, &tmp, scale_rows, (seconds / 2).max(1), conns)?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
