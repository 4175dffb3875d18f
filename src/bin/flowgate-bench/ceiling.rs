//! The box's ceiling, measured in the same run as flowgate: servers with nothing but the framework and
//! the storage work, so every figure of flowgate can be read as a share of what the box can do.
//!
//! - `bare health`: an actix-web handler answering `/api/health`'s body, with flowgate's worker count.
//! - `bare trigger`: actix-web and one SQLite writer (WAL, `synchronous=NORMAL`, flowgate's schema.sql)
//!   doing the write shape of the bench's sync trigger in one transaction per request: read a random
//!   row, insert an execution and three jobs, update the row and the execution.

use std::path::Path;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection};

use crate::Fail;

const SCHEMA: &str = include_str!("../../../schema.sql");
const HEALTH: &str = r#"{"data":{"status":"ok"}}"#;

/// A ceiling server on its own thread and actix system; stopped on drop.
pub struct Bare {
    pub addr: String,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Bare {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        // The handle's stop future needs an executor; a small one of its own is enough.
        let _ = actix_web::rt::System::new().block_on(handle.stop(true));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Serves `configure`'s routes on 127.0.0.1:0 with flowgate's worker count.
fn serve<F>(configure: F) -> Result<Bare, Fail>
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let sys = actix_web::rt::System::new();
        sys.block_on(async move {
            let server = HttpServer::new(move || App::new().configure(configure.clone()))
                .workers(workers())
                .bind(("127.0.0.1", 0));
            let server = match server {
                Ok(s) => s,
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    return;
                }
            };
            let addr = server
                .addrs()
                .first()
                .map(|a| a.to_string())
                .unwrap_or_default();
            let running = server.run();
            let _ = tx.send(Ok((addr, running.handle())));
            let _ = running.await;
        });
    });
    let (addr, handle) = rx.recv()?.map_err(|e| -> Fail { e.into() })?;
    Ok(Bare {
        addr,
        handle,
        thread: Some(thread),
    })
}

pub fn health() -> Result<Bare, Fail> {
    serve(|cfg| {
        cfg.route(
            "/api/health",
            web::get().to(|| async {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(HEALTH)
            }),
        );
    })
}

/// The bare trigger over a fresh store in `dir` with `rows` sample rows.
pub fn trigger(dir: &Path, rows: u64) -> Result<Bare, Fail> {
    std::fs::create_dir_all(dir)?;
    let mut db = Connection::open(dir.join("bare.db"))?;
    db.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;")?;
    db.execute_batch(SCHEMA)?;
    db.execute_batch(
        "CREATE TABLE samples (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, indicator INTEGER,
           createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL, createdById INTEGER, updatedById INTEGER);
         INSERT INTO workflows (key, type, config, enabled, sync, current, createdAt, updatedAt)
           VALUES ('bare', 'custom-action', '{\"type\":1,\"collection\":\"samples\"}', 1, 1, 1, 'x', 'x');",
    )?;
    let tx = db.transaction()?;
    {
        let mut st = tx.prepare("INSERT INTO samples (title, indicator, createdAt, updatedAt, createdById, updatedById) VALUES (?1, ?2, ?3, ?3, 1, 1)")?;
        for i in 0..rows {
            st.execute(params![
                format!("Sample {i}"),
                (i % 100) as i64,
                "2025-03-01T09:30:00.000Z"
            ])?;
        }
    }
    tx.commit()?;
    let db = Arc::new(Mutex::new(db));
    serve(move |cfg| {
        let db = db.clone();
        cfg.app_data(web::Data::new(db))
            .route("/bare/trigger/{id}", web::post().to(bare_trigger));
    })
}

async fn bare_trigger(db: web::Data<Arc<Mutex<Connection>>>, id: web::Path<i64>) -> HttpResponse {
    let db = db.get_ref().clone();
    let id = id.into_inner();
    // On the worker thread itself: the fastest a bare server does it (no hand-off to a thread pool).
    match write_shape(&db, id) {
        Ok(body) => HttpResponse::Ok()
            .content_type("application/json")
            .body(body),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// One request's storage work, in one transaction.
fn write_shape(db: &Mutex<Connection>, id: i64) -> rusqlite::Result<String> {
    let mut c = db.lock().unwrap_or_else(|p| p.into_inner());
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let (title, indicator): (String, i64) = tx
        .prepare_cached("SELECT title, indicator FROM samples WHERE id = ?1")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let context =
        serde_json::json!({ "data": { "id": id, "title": title, "indicator": indicator } })
            .to_string();
    tx.prepare_cached("INSERT INTO executions (key, workflowId, context, status, sync, createdAt, updatedAt) VALUES ('bare', 1, ?1, 0, 1, ?2, ?2)")?
        .execute(params![context, now])?;
    let exec = tx.last_insert_rowid();
    let mut job = tx.prepare_cached(
        "INSERT INTO jobs (executionId, nodeId, nodeKey, status, result, createdAt, updatedAt) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5)",
    )?;
    for (n, key, result) in [
        (1, "check", "true".to_string()),
        (2, "calc", (indicator + 1).to_string()),
        (3, "save", "1".to_string()),
    ] {
        job.execute(params![exec, n, key, result, now])?;
    }
    drop(job);
    tx.prepare_cached("UPDATE samples SET indicator = ?2, updatedAt = ?3 WHERE id = ?1")?
        .execute(params![id, indicator + 1, now])?;
    tx.prepare_cached("UPDATE executions SET status = 1, updatedAt = ?2 WHERE id = ?1")?
        .execute(params![exec, now])?;
    tx.commit()?;
    Ok(format!(
        r#"{{"data":{{"executions":[{{"id":{exec},"workflowId":1,"workflowKey":"bare","sync":true,"status":1}}]}}}}"#
    ))
}
