//! `make bench`: drives a release `flowgate` on 127.0.0.1:0 over a fresh folder with a keep-alive
//! HTTP/1.1 load generator and prints each phase beside GET /api/health measured in the same run
//! (operations.md §6). Figures are printed, not asserted: it exits 0 unless the run itself breaks.
//!
//! BENCH_SECONDS (10 per phase), BENCH_CONNECTIONS (16), BENCH_ROWS (100000), BENCH_DRAIN (20000).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "bench-root-pass";

type Fail = Box<dyn std::error::Error>;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
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

    fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Result<(u16, Value), Fail> {
        let mut conn = Conn::open(&self.addr)?;
        let req = request(method, path, &self.addr, token, body.map(|b| b.to_string()).as_deref());
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
        let text = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        text.lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) -> Result<(), Fail> {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
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

// ---------------------------------------------------------------- the load generator

fn request(method: &str, path: &str, host: &str, token: Option<&str>, body: Option<&str>) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n");
    if let Some(t) = token {
        r.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let body = body.unwrap_or("");
    r.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()));
    r.into_bytes()
}

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(addr: &str) -> Result<Conn, Fail> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn { writer: s.try_clone()?, reader: BufReader::with_capacity(64 * 1024, s) })
    }

    fn roundtrip(&mut self, req: &[u8]) -> Result<(u16, Vec<u8>), Fail> {
        self.writer.write_all(req)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("bad status line")?;
        let mut len = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    requests: u64,
}

/// Runs `connections` keep-alive clients for `seconds`; `make(i, rng)` builds each request.
fn load(addr: &str, seconds: u64, connections: u64, make: Arc<dyn Fn(&mut u64) -> Vec<u8> + Send + Sync>) -> Result<Figures, Fail> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for i in 0..connections {
        let addr = addr.to_string();
        let stop = stop.clone();
        let make = make.clone();
        handles.push(std::thread::spawn(move || -> Result<(Vec<u32>, u64), String> {
            let mut conn = Conn::open(&addr).map_err(|e| e.to_string())?;
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (i + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
            let mut lat = Vec::with_capacity(1 << 16);
            let mut errors = 0;
            while !stop.load(Ordering::Relaxed) {
                let req = make(&mut rng);
                let t = Instant::now();
                match conn.roundtrip(&req) {
                    Ok((s, _)) => {
                        lat.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                        if !(200..300).contains(&s) {
                            errors += 1;
                        }
                    }
                    Err(_) => {
                        errors += 1;
                        conn = Conn::open(&addr).map_err(|e| e.to_string())?;
                    }
                }
            }
            Ok((lat, errors))
        }));
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (lat, e) = h.join().map_err(|_| "client thread panicked")??;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0) as f64 / 1000.0;
    Ok(Figures { rps: all.len() as f64 / elapsed, p50_ms: pct(0.50), p99_ms: pct(0.99), errors, requests: all.len() as u64 })
}

fn next(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}

fn line(name: &str, f: &Figures, baseline: f64, target: &str, ok: bool) {
    println!(
        "{name:<14}{:>7.0} req/s  p50 {:.1} ms  p99 {:.1} ms  err {}  baseline {:.0} req/s  ratio {:.3}  target {target}  {}",
        f.rps,
        f.p50_ms,
        f.p99_ms,
        f.errors,
        baseline,
        f.rps / baseline.max(1.0),
        if ok { "ok" } else { "MISS" }
    );
}

// ---------------------------------------------------------------- setup

fn sign_in(s: &Server) -> Result<String, Fail> {
    let v = s.ok("POST", "/api/auth:signIn", "", json!({"account": "admin", "password": PASSWORD}))?;
    Ok(v["token"].as_str().ok_or("no token")?.to_string())
}

/// Fills `samples` to `rows` rows straight through SQLite (setup is not what is measured).
fn fill_samples(data: &Path, rows: u64) -> Result<(), Fail> {
    let mut db = rusqlite::Connection::open(data.join("flowgate.db"))?;
    db.busy_timeout(Duration::from_secs(30))?;
    let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let have: u64 = tx.query_row("SELECT COUNT(*) FROM samples", [], |r| r.get::<_, i64>(0))? as u64;
        let now = "2025-03-01T09:30:00.000Z";
        let mut st = tx.prepare("INSERT INTO samples (title, indicator, createdAt, updatedAt, createdById, updatedById) VALUES (?1, ?2, ?3, ?3, 1, 1)")?;
        for i in have..rows {
            st.execute(rusqlite::params![format!("Sample {i}"), (i % 100) as i64, now])?;
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
    let calc = s.ok("POST", &nodes, token, json!({"type": "calculation", "key": "calc", "upstreamId": check["id"],
        "config": {"expression": "{{$context.data.indicator}} + 1"}}))?;
    s.ok("POST", &nodes, token, json!({"type": "update", "key": "save", "upstreamId": calc["id"], "config": {
        "collection": "samples", "params": {"filter": {"id": "{{$context.data.id}}"},
        "values": {"indicator": "{{$jobsMapByNodeKey.calc}}"}}}}))?;
    Ok(())
}

fn open_executions(data: &Path) -> Result<u64, Fail> {
    let db = rusqlite::Connection::open_with_flags(data.join("flowgate.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    db.busy_timeout(Duration::from_secs(10))?;
    Ok(db.query_row("SELECT COUNT(*) FROM executions WHERE status IS NULL OR status = 0", [], |r| r.get::<_, i64>(0))? as u64)
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
    println!("flowgate bench: {seconds} s per phase, {conns} connections, {rows} rows, binary {}", bin.display());

    let (server, start_time) = Server::start(&bin, &data, &[])?;
    std::thread::sleep(Duration::from_secs(1));
    let idle_kb = server.proc_status("VmRSS:");
    println!("start         {:>7.1} ms  (spawn → first 200 on /api/health, empty folder)  target <=200ms  {}",
        start_time.as_secs_f64() * 1000.0, if start_time <= Duration::from_millis(200) { "ok" } else { "MISS" });
    println!("idle RSS      {:>7.1} MB  target <=20MB  {}", idle_kb as f64 / 1024.0, if idle_kb <= 20 * 1024 { "ok" } else { "MISS" });

    let token = sign_in(&server)?;
    server.ok("POST", "/api/collections:create", &token, json!({"name": "samples",
        "fields": [{"name": "title", "type": "string"}, {"name": "indicator", "type": "integer"}]}))?;
    workflow(&server, &token, "bench_sync", true)?;
    workflow(&server, &token, "bench_async", false)?;

    let addr = server.addr.clone();
    let health = request("GET", "/api/health", &addr, None, None);
    let base = load(&addr, seconds, conns, Arc::new(move |_| health.clone()))?;
    line("baseline", &base, base.rps, "reference", true);

    let (t, a) = (token.clone(), addr.clone());
    let create = load(&addr, seconds, conns, Arc::new(move |rng| {
        let body = format!("{{\"title\":\"bench\",\"indicator\":{}}}", next(rng) % 100);
        request("POST", "/api/samples:create", &a, Some(&t), Some(&body))
    }))?;
    line("create", &create, base.rps, ">=5000", create.rps >= 5000.0);

    fill_samples(&data, rows)?;
    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let get = load(&addr, seconds, conns, Arc::new(move |rng| {
        request("GET", &format!("/api/samples:get/{}", next(rng) % n + 1), &a, Some(&t), None)
    }))?;
    line("get by id", &get, base.rps, "reference (100k rows)", true);

    // A page of 20 through a filter on the primary key (an indexed field), with its count.
    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let list = load(&addr, seconds, conns, Arc::new(move |rng| {
        let from = next(rng) % n.saturating_sub(50).max(1) + 1;
        let filter = format!("%7B%22id%22%3A%7B%22%24between%22%3A%5B{from}%2C{}%5D%7D%7D", from + 49);
        request("GET", &format!("/api/samples:list?filter={filter}&pageSize=20"), &a, Some(&t), None)
    }))?;
    line("list filtered", &list, base.rps, "reference (100k rows)", true);

    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let sync = load(&addr, seconds, conns, Arc::new(move |rng| {
        let path = format!("/api/samples:trigger/{}?triggerWorkflows=bench_sync", next(rng) % n + 1);
        request("POST", &path, &a, Some(&t), None)
    }))?;
    line("sync trigger", &sync, base.rps, ">=3000, p99<=20ms", sync.rps >= 3000.0 && sync.p99_ms <= 20.0);

    let (t, a, n) = (token.clone(), addr.clone(), rows);
    let accept = load(&addr, seconds, conns, Arc::new(move |rng| {
        let path = format!("/api/samples:trigger/{}?triggerWorkflows=bench_async", next(rng) % n + 1);
        request("POST", &path, &a, Some(&t), None)
    }))?;
    line("async accept", &accept, base.rps, ">=5000", accept.rps >= 5000.0);
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
        let path = format!("/api/samples:trigger/{}?triggerWorkflows=bench_async", next(&mut rng) % rows.max(1) + 1);
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
        "queue drain   {drain_rate:>7.0} exec/s  ({queued} executions in {drain_secs:.2} s from restart)  baseline {:.0} req/s  ratio {:.3}  target >=2000  {}",
        base.rps, drain_rate / base.rps.max(1.0), if drain_rate >= 2000.0 { "ok" } else { "MISS" }
    );
    println!("peak RSS      {:>7.1} MB  (VmHWM over the run)", peak_kb as f64 / 1024.0);
    println!(
        "requests      baseline {}  create {}  get {}  list {}  sync {}  async {}",
        base.requests, create.requests, get.requests, list.requests, sync.requests, accept.requests
    );
    server.stop()?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
