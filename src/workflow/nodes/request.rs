//! request: an outbound HTTP call. Runs inline in both modes, on the blocking pool, and never while a
//! store transaction is open (nodes open their own short transactions; this one opens none). A dry run
//! (`workflow::dry_run`) makes no call: the node is answered from a stub or its last recorded response.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{invalid, Field, Instruction, Step};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};
use crate::workflow::retry::{self, Policy};

pub struct Request;

/// The fields marked (T) are templates, rendered at run time.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RequestConfig {
    /// (T) Required, not blank.
    pub url: Field<String>,
    /// POST when absent.
    pub method: Field<Method>,
    /// JSON when absent.
    pub content_type: Field<ContentType>,
    /// (T) `[{name, value}]`.
    pub headers: Value,
    /// (T) `[{name, value}]`, the query string.
    pub params: Value,
    /// (T) The body.
    pub data: Value,
    /// (T) ms, 5000 when absent.
    pub timeout: Value,
    /// (T)
    pub ignore_fail: Value,
    /// (T)
    pub only_data: Value,
    /// flowgate's own: `{attempts, backoff, delay, maxDelay, jitter}` (workflow/retry.rs, node limits):
    /// the call is made again after a network error, a timeout, a 429 or a 5xx answer. Async runs only:
    /// inside a request (sync) the node makes one attempt.
    pub retry: Value,
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// An HTTP method of [`METHODS`], upper-cased (the config may have any case).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Method(String);

impl Method {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Method {
    type Error = String;
    fn try_from(m: String) -> Result<Method, String> {
        let upper = m.to_ascii_uppercase();
        METHODS
            .contains(&upper.as_str())
            .then_some(Method(upper))
            .ok_or_else(|| format!("{m} is not a method"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ContentType {
    #[serde(rename = "application/json")]
    Json,
    #[serde(rename = "application/x-www-form-urlencoded")]
    Form,
}

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
    (
        code,
        json!({ "status": code, "statusText": status_text, "headers": headers, "data": data }),
    )
}

fn is_timeout(e: &ureq::Transport) -> bool {
    let msg = e.to_string().to_lowercase();
    msg.contains("timed out") || msg.contains("timeout")
}

impl Instruction for Request {
    type Config = RequestConfig;

    fn waits(&self) -> bool {
        true
    }

    fn check(&self, config: &RequestConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        if config.url.get().is_none_or(|u| u.trim().is_empty()) {
            out.push(invalid("url", "\"url\" is required"));
        }
        config.method.check(
            "method",
            "\"method\" must be one of [GET, POST, PUT, PATCH, DELETE]",
            &mut out,
        );
        let content_type =
            "\"contentType\" must be application/json or application/x-www-form-urlencoded";
        config
            .content_type
            .check("contentType", content_type, &mut out);
        if let Err(m) = Policy::parse(Some(&config.retry), "retry", &retry::NODE) {
            out.push(invalid("retry", &m));
        }
        out
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &RequestConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        if let Some(sandbox) = &p.app.dry_run {
            // A dry run calls nothing: a stub or the node's last recorded response answers.
            return sandbox.request_step(p, node);
        }
        let policy = Policy::parse(Some(&config.retry), "retry", &retry::NODE)
            .ok()
            .flatten()
            .filter(|_| !p.sync);
        let mut attempts = Vec::new();
        let mut n = 1;
        loop {
            let (step, retryable) = call(p, config);
            let again = retryable && policy.is_some_and(|pol| pol.allows_after(n));
            if !again {
                return with_attempts(step, attempts);
            }
            let reason = match &step {
                Step::Done { result, .. } => result.get("message").cloned(),
                _ => None,
            };
            let wait = policy.map_or(0, |pol| pol.random_delay_ms(n));
            attempts.push(json!({ "attempt": n, "reason": reason, "waitMs": wait }));
            // An async run's worker waits here; never inside the writer (a request node's flow is not
            // run in one write) and never in a request (sync runs make one attempt).
            std::thread::sleep(Duration::from_millis(u64::try_from(wait).unwrap_or(0)));
            n += 1;
        }
    }
}

/// The failed attempts before the last, in the job's `meta.attempts` (none: meta untouched).
fn with_attempts(step: Step, attempts: Vec<Value>) -> Step {
    match step {
        Step::Done { status, result, .. } if !attempts.is_empty() => Step::Done {
            status,
            result,
            meta: Some(json!({ "attempts": attempts })),
        },
        other => other,
    }
}

/// One call of the node's request: the job's step, and whether another attempt could change it (a
/// network error, a timeout, 429 or 5xx).
fn call(p: &mut Processor, config: &RequestConfig) -> (Step, bool) {
    let url = text(
        &p.render(
            &config
                .url
                .get()
                .map_or(Value::Null, |u| Value::String(u.clone())),
        ),
    );
    let method = config.method.get().map_or("POST", Method::as_str);
    let content_type = config
        .content_type
        .get()
        .copied()
        .unwrap_or(ContentType::Json);
    let timeout = p.render(&config.timeout).as_u64().unwrap_or(5000);
    let ignore_fail = p.render(&config.ignore_fail).as_bool().unwrap_or(false);
    let only_data = p.render(&config.only_data).as_bool().unwrap_or(false);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_millis(timeout.max(1)))
        .build();
    let mut req = agent.request(method, &url);
    for (k, v) in pairs(&p.render(&config.headers)) {
        req = req.set(&k, &v);
    }
    for (k, v) in pairs(&p.render(&config.params)) {
        req = req.query(&k, &v);
    }
    let data = p.render(&config.data);
    let sent = if method == "GET" || data.is_null() {
        req.call()
    } else if content_type == ContentType::Form {
        let form: Vec<(String, String)> = data
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), text(v))).collect())
            .unwrap_or_default();
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        req.send_form(&refs)
    } else {
        req.set("Content-Type", "application/json")
            .send_string(&data.to_string())
    };
    let (st, result, retryable) = match sent {
        Ok(res) => return (Step::resolved(response_json(res, only_data).1), false),
        Err(ureq::Error::Status(code, res)) => {
            let status_text = res.status_text().to_string();
            let data = body_value(&res.into_string().unwrap_or_default());
            let message = format!("Request failed with status code {code}");
            (
                JobStatus::Failed,
                json!({ "message": message, "code": "ERR_BAD_RESPONSE", "status": code, "statusText": status_text, "data": data }),
                code == 429 || code >= 500,
            )
        }
        Err(ureq::Error::Transport(t)) => {
            let timed_out = is_timeout(&t);
            let code = if timed_out {
                "ECONNABORTED"
            } else {
                "ERR_NETWORK"
            };
            let st = if timed_out {
                JobStatus::Aborted
            } else {
                JobStatus::Failed
            };
            (
                st,
                json!({ "message": t.to_string(), "code": code, "status": null, "statusText": null, "data": null }),
                true,
            )
        }
    };
    if ignore_fail {
        // Retried all the same (the last attempt's failure is what ignoreFail resolves).
        return (Step::resolved(result), retryable);
    }
    (Step::with_status(st, result), retryable)
}
