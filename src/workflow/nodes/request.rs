//! request: an outbound HTTP call. Runs inline in both modes, on the blocking pool, and never while a
//! store transaction is open (nodes open their own short transactions; this one opens none).

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::{invalid, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{status, Node};

pub struct Request;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `[{name, value}]` rendered.
fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| {
                    let name = i.get("name")?.as_str()?.to_string();
                    (!name.is_empty()).then(|| (name, text(i.get("value").unwrap_or(&Value::Null))))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn body_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

fn response_json(res: ureq::Response, only_data: bool) -> (u16, Value) {
    let code = res.status();
    let status_text = res.status_text().to_string();
    let mut headers = Map::new();
    for name in res.headers_names() {
        if let Some(v) = res.header(&name) {
            headers.insert(name.clone(), json!(v));
        }
    }
    let data = body_value(&res.into_string().unwrap_or_default());
    if only_data {
        return (code, data);
    }
    (code, json!({ "status": code, "statusText": status_text, "headers": headers, "data": data }))
}

fn is_timeout(e: &ureq::Transport) -> bool {
    let msg = e.to_string().to_lowercase();
    msg.contains("timed out") || msg.contains("timeout")
}

impl Instruction for Request {
    fn validate(&self, config: &Value, _schema: &Schema) -> Vec<Entry> {
        let mut out = Vec::new();
        if config.get("url").and_then(Value::as_str).is_none_or(|u| u.trim().is_empty()) {
            out.push(invalid("url", "\"url\" is required"));
        }
        if let Some(m) = config.get("method") {
            if !m.as_str().is_some_and(|m| METHODS.contains(&m.to_ascii_uppercase().as_str())) {
                out.push(invalid("method", "\"method\" must be one of [GET, POST, PUT, PATCH, DELETE]"));
            }
        }
        if let Some(ct) = config.get("contentType") {
            if !matches!(ct.as_str(), Some("application/json") | Some("application/x-www-form-urlencoded")) {
                out.push(invalid("contentType", "\"contentType\" must be application/json or application/x-www-form-urlencoded"));
            }
        }
        out
    }

    fn run(&self, p: &mut Processor, node: &Node, _job: usize, _resume: Option<(Value, i64)>) -> Step {
        let c = p.render(&node.config);
        let url = text(c.get("url").unwrap_or(&Value::Null));
        let method = c.get("method").and_then(Value::as_str).unwrap_or("POST").to_ascii_uppercase();
        let content_type = c.get("contentType").and_then(Value::as_str).unwrap_or("application/json").to_string();
        let timeout = c.get("timeout").and_then(Value::as_u64).unwrap_or(5000);
        let ignore_fail = c.get("ignoreFail").and_then(Value::as_bool).unwrap_or(false);
        let only_data = c.get("onlyData").and_then(Value::as_bool).unwrap_or(false);
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_millis(timeout.max(1))).build();
        let mut req = agent.request(&method, &url);
        for (k, v) in pairs(c.get("headers").unwrap_or(&Value::Null)) {
            req = req.set(&k, &v);
        }
        for (k, v) in pairs(c.get("params").unwrap_or(&Value::Null)) {
            req = req.query(&k, &v);
        }
        let data = c.get("data").cloned().unwrap_or(Value::Null);
        let sent = if method == "GET" || data.is_null() {
            req.call()
        } else if content_type == "application/x-www-form-urlencoded" {
            let form: Vec<(String, String)> = data
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), text(v))).collect())
                .unwrap_or_default();
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            req.send_form(&refs)
        } else {
            req.set("Content-Type", "application/json").send_string(&data.to_string())
        };
        let (st, result) = match sent {
            Ok(res) => return Step::resolved(response_json(res, only_data).1),
            Err(ureq::Error::Status(code, res)) => {
                let status_text = res.status_text().to_string();
                let data = body_value(&res.into_string().unwrap_or_default());
                let message = format!("Request failed with status code {code}");
                (status::FAILED, json!({ "message": message, "code": "ERR_BAD_RESPONSE", "status": code, "statusText": status_text, "data": data }))
            }
            Err(ureq::Error::Transport(t)) => {
                let timed_out = is_timeout(&t);
                let code = if timed_out { "ECONNABORTED" } else { "ERR_NETWORK" };
                let st = if timed_out { status::ABORTED } else { status::FAILED };
                (st, json!({ "message": t.to_string(), "code": code, "status": null, "statusText": null, "data": null }))
            }
        };
        if ignore_fail {
            return Step::resolved(result);
        }
        Step::with_status(st, result)
    }
}
