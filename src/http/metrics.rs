//! `GET /metrics`: the core's counters (`crate::metrics`) and a few gauges read at scrape time (the queue
//! from the store, the SQLite files' sizes) in Prometheus's text format (version 0.0.4). Written by hand:
//! the format is a few lines of `name{labels} value`, the counters are plain atomics already, and a client
//! library would add a registry (and its lock) in front of them.
//!
//! Root and admin only (the `pm.*` snippet, decided by `dispatch::authorize_metrics`), or anyone with
//! `serve --metrics-public` (for a scraper on a private network).

use std::fmt::Write;

use actix_web::{web, HttpRequest, HttpResponse};

use super::{dispatch, error_response};
use crate::app::App;
use crate::error::{Error, Result};
use crate::metrics::{HistogramSnapshot, BUCKETS};

pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub async fn entry(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    let auth = super::HeaderAuth::of(&req);
    let app = app.into_inner();
    let answer = web::block(move || {
        if !app.config.serve.metrics_public {
            dispatch::authorize_metrics(&app, &auth.credentials())?;
        }
        render(&app)
    })
    .await
    .unwrap_or_else(|e| Err(Error::internal(format!("blocking task failed: {e}"))));
    match answer {
        Ok(text) => HttpResponse::Ok().content_type(CONTENT_TYPE).body(text),
        Err(e) => error_response(&e),
    }
}

/// The whole exposition text.
pub fn render(app: &App) -> Result<String> {
    let mut out = String::new();
    let requests = app.metrics.requests(dispatch::metric_labels);

    family(
        &mut out,
        "flowgate_http_requests_total",
        "counter",
        "Requests answered under /api, by route (resource kind and action) and status class.",
    );
    for ((resource, action), slot) in requests.used() {
        for (class, n) in slot.classes() {
            sample(
                &mut out,
                "flowgate_http_requests_total",
                &[
                    ("resource", resource),
                    ("action", action),
                    ("status", &class),
                ],
                n as f64,
            );
        }
    }

    family(
        &mut out,
        "flowgate_http_request_duration_seconds",
        "histogram",
        "Time from a request's arrival under /api to its response, by route.",
    );
    for ((resource, action), slot) in requests.used() {
        histogram(
            &mut out,
            "flowgate_http_request_duration_seconds",
            &[("resource", resource), ("action", action)],
            &slot.latency.snapshot(),
        );
    }

    family(
        &mut out,
        "flowgate_workflow_triggers_total",
        "counter",
        "workflows:trigger and <collection>:trigger runs by workflow key and outcome (resolved, failed, queued); keys that matched no workflow under key=\"\" outcome=\"not_matched\".",
    );
    for (key, outcome, n) in app.metrics.trigger_counts() {
        sample(
            &mut out,
            "flowgate_workflow_triggers_total",
            &[("key", &key), ("outcome", outcome)],
            n as f64,
        );
    }

    family(
        &mut out,
        "flowgate_executions_total",
        "counter",
        "Executions that reached a final status since the server started, by status.",
    );
    for (status, n) in app.metrics.execution_counts() {
        sample(
            &mut out,
            "flowgate_executions_total",
            &[("status", status)],
            n as f64,
        );
    }

    let (depth, oldest) = app.store.read(crate::workflow::repo::executions::queued)?;
    let age = oldest
        .as_deref()
        .and_then(crate::time::iso_to_ms)
        .map_or(0.0, |ms| {
            ((crate::time::now_ms() - ms).max(0) as f64) / 1000.0
        });
    gauge(
        &mut out,
        "flowgate_queue_depth",
        "Executions queued and not yet claimed by the worker.",
        depth as f64,
    );
    gauge(
        &mut out,
        "flowgate_queue_oldest_age_seconds",
        "Age of the oldest queued execution (0 when none is queued).",
        age,
    );

    let (db, wal) = crate::store::file_sizes(&app.config.serve.data);
    family(
        &mut out,
        "flowgate_sqlite_file_bytes",
        "gauge",
        "Size of the store's SQLite files: the database and its write-ahead log.",
    );
    sample(
        &mut out,
        "flowgate_sqlite_file_bytes",
        &[("file", "db")],
        db as f64,
    );
    sample(
        &mut out,
        "flowgate_sqlite_file_bytes",
        &[("file", "wal")],
        wal as f64,
    );
    Ok(out)
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {}", help.replace('\\', "\\\\"));
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    family(out, name, "gauge", help);
    sample(out, name, &[], value);
}

fn histogram(out: &mut String, name: &str, labels: &[(&str, &str)], h: &HistogramSnapshot) {
    let bucket = format!("{name}_bucket");
    for (i, n) in h.cumulative.iter().enumerate() {
        let le = BUCKETS.get(i).map_or("+Inf".to_string(), |b| b.to_string());
        let mut with_le = labels.to_vec();
        with_le.push(("le", &le));
        sample(out, &bucket, &with_le, *n as f64);
    }
    sample(out, &format!("{name}_sum"), labels, h.sum_seconds);
    sample(out, &format!("{name}_count"), labels, h.count as f64);
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

/// A label value as the text format wants it: backslash, double quote and newline escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
