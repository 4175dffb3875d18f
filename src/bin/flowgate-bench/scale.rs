//! The scale phase: the same reads and the sync trigger over a small store and a large one (1,000 and
//! `BENCH_SCALE` records and executions, three jobs each), printed as large/small ratios. The stores are
//! filled straight through SQLite while no server holds them (setup is not what is measured).

use std::path::Path;
use std::sync::Arc;

use rusqlite::params;
use serde_json::json;

use crate::load::{load, next, request, Figures};
use crate::{sign_in, workflow, Fail, Server};

/// What one store size measured.
struct Sized {
    rows: u64,
    get: Figures,
    sync: Figures,
    by_key: Figures,
    overall: Figures,
    deep: Figures,
    indexed: Figures,
    rss_kb: u64,
}

/// `samples` rows with `indicator` spread over 0..n (indexed: `index: true`), and `n` executions of
/// `bench_sync`'s version 1 with three jobs each, oldest first.
fn fill(data: &Path, n: u64) -> Result<(), Fail> {
    let mut db = rusqlite::Connection::open(data.join("flowgate.db"))?;
    db.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;")?;
    let tx = db.transaction()?;
    {
        let mut st = tx.prepare(
            "INSERT INTO samples (title, indicator, createdAt, updatedAt, createdById, updatedById) VALUES (?1, ?2, ?3, ?3, 1, 1)",
        )?;
        for i in 0..n {
            st.execute(params![
                format!("Sample {i}"),
                ((i * 7919) % n) as i64,
                "2025-03-01T09:30:00.000Z"
            ])?;
        }
        let wid: i64 = tx.query_row(
            "SELECT id FROM workflows WHERE key = 'bench_sync'",
            [],
            |r| r.get(0),
        )?;
        let mut ex = tx.prepare(
            "INSERT INTO executions (key, workflowId, context, status, sync, createdAt, updatedAt) VALUES ('bench_sync', ?1, ?2, 1, 1, ?3, ?3)",
        )?;
        let mut job = tx.prepare(
            "INSERT INTO jobs (executionId, nodeId, nodeKey, status, result, createdAt, updatedAt) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5)",
        )?;
        for i in 0..n {
            let at = format!(
                "2025-03-01T09:{:02}:{:02}.{:03}Z",
                (i / 60_000) % 60,
                (i / 1000) % 60,
                i % 1000
            );
            let context = json!({"data": {"id": i + 1, "title": format!("Sample {i}"), "indicator": i % 100}}).to_string();
            ex.execute(params![wid, context, at])?;
            let e = tx.last_insert_rowid();
            for (node, key, result) in [(1, "check", "true"), (2, "calc", "42"), (3, "save", "1")] {
                job.execute(params![e, node, key, result, at])?;
            }
        }
        tx.execute(
            "UPDATE workflows SET executed = ?1 WHERE key = 'bench_sync'",
            params![n as i64],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A store of `n` rows and executions, measured for `seconds` per read.
fn measure(bin: &Path, dir: &Path, n: u64, seconds: u64, conns: u64) -> Result<Sized, Fail> {
    let data = dir.join(format!("scale-{n}"));
    let (server, _) = Server::start(bin, &data, &[])?;
    let token = sign_in(&server)?;
    server.ok("POST", "/api/collections:create", &token, json!({"name": "samples", "fields": [
        {"name": "title", "type": "string"}, {"name": "indicator", "type": "integer", "index": true}]}))?;
    workflow(&server, &token, "bench_sync", true)?;
    server.stop()?;
    fill(&data, n)?;
    // The store holds `n` executions on purpose: the retention (default 100,000) must leave them.
    let keep_all = ["--keep-executions", "0", "--keep-days", "0"];
    let (server, _) = Server::start(bin, &data, &keep_all)?;
    let token = sign_in(&server)?;
    let addr = server.addr.clone();
    let get_req = |make: Arc<dyn Fn(&mut u64) -> String + Send + Sync>| -> Result<Figures, Fail> {
        let (t, a) = (token.clone(), addr.clone());
        load(
            &addr,
            seconds,
            conns,
            Arc::new(move |rng| request("GET", &make(rng), &a, Some(&t), None)),
        )
    };
    let get = get_req(Arc::new(move |rng| {
        format!("/api/samples:get/{}", next(rng) % n + 1)
    }))?;
    let (t, a) = (token.clone(), addr.clone());
    let sync = load(
        &addr,
        seconds,
        conns,
        Arc::new(move |rng| {
            request(
                "POST",
                &format!(
                    "/api/samples:trigger/{}?triggerWorkflows=bench_sync",
                    next(rng) % n + 1
                ),
                &a,
                Some(&t),
                None,
            )
        }),
    )?;
    // As NocoBase's execution history asks: newest first, 20 a page, without the heavy columns.
    let shape = "pageSize=20&sort=-id&except[]=context&except[]=output";
    let by_key = format!(
        "/api/executions:list?filter={}&{shape}",
        enc(&json!({"key": "bench_sync"}).to_string())
    );
    let by_key = get_req(Arc::new(move |_| by_key.clone()))?;
    let overall = format!("/api/executions:list?{shape}");
    let overall = get_req(Arc::new(move |_| overall.clone()))?;
    let deep = format!("/api/executions:list?{shape}&page={}", (n / 20 / 2).max(1));
    let deep = get_req(Arc::new(move |_| deep.clone()))?;
    let indexed = get_req(Arc::new(move |rng| {
        let from = next(rng) % n;
        let filter = enc(&json!({"indicator": {"$gte": from, "$lt": from + 50}}).to_string());
        format!("/api/samples:list?filter={filter}&sort=-indicator&pageSize=20")
    }))?;
    let rss_kb = server.proc_status("VmRSS:");
    server.stop()?;
    let _ = std::fs::remove_dir_all(&data);
    Ok(Sized {
        rows: n,
        get,
        sync,
        by_key,
        overall,
        deep,
        indexed,
        rss_kb,
    })
}

fn ratio_line(name: &str, small: &Figures, large: &Figures, rows: (u64, u64), target: f64) {
    let r = large.rps / small.rps.max(1.0);
    println!(
        "scale {name:<18}{:>7.0} req/s at {}  {:>7.0} req/s at {}  p99 {:.1} ms  ratio {r:.3}  target >={target}x  {}",
        small.rps,
        rows.0,
        large.rps,
        rows.1,
        large.p99_ms,
        if r >= target { "ok" } else { "MISS" }
    );
}

/// Prints the large/small ratios of the scale phase.
pub fn run(bin: &Path, dir: &Path, large: u64, seconds: u64, conns: u64) -> Result<(), Fail> {
    let small = measure(bin, dir, 1_000, seconds, conns)?;
    let started = std::time::Instant::now();
    let big = measure(bin, dir, large, seconds, conns)?;
    let rows = (small.rows, big.rows);
    ratio_line("get by id", &small.get, &big.get, rows, 0.8);
    ratio_line("sync trigger", &small.sync, &big.sync, rows, 0.8);
    ratio_line("executions by key", &small.by_key, &big.by_key, rows, 0.5);
    ratio_line("executions all", &small.overall, &big.overall, rows, 0.5);
    ratio_line("indexed list", &small.indexed, &big.indexed, rows, 0.5);
    println!(
        "scale deep page         {:>7.0} req/s at page {} of {}  p99 {:.1} ms  (reference: no worse than linear in the offset)",
        big.deep.rps,
        (big.rows / 20 / 2).max(1),
        big.rows,
        big.deep.p99_ms
    );
    let mb = big.rss_kb as f64 / 1024.0;
    println!("scale RSS       {mb:>7.1} MB  after the load at {} rows and executions  target <=150MB  {}", big.rows, if mb <= 150.0 { "ok" } else { "MISS" });
    println!(
        "scale took {:.0} s for {} rows (fill included)",
        started.elapsed().as_secs_f64(),
        big.rows
    );
    Ok(())
}
