//! The HTTP layer: actix-web server, the `/api` entry, request ids, CORS, the request log, and the one
//! place where a `Result<Reply, Error>` becomes an HTTP response.
//!
//! Handlers never run on the async executor: after the body is read, the whole action runs through
//! `web::block` on the blocking pool, where SQLite, argon2 and outbound HTTP may block freely.

pub mod admin;
pub mod conn;
pub mod dispatch;
pub mod metrics;
mod openapi;
pub mod query;
pub mod request;
pub mod route;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::future::{ready, Either};
use futures_util::StreamExt;

use crate::app::App;
use crate::error::{Code, Error, ErrorCode, Result};
use crate::reply::DownloadBody;
pub use crate::reply::Reply;
pub use request::Request;

/// The user a response was served to, for the request log.
#[derive(Clone, Copy)]
struct LogUser(i64);

/// Keep-alive: an idle connection is closed after this long (actix's default).
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(5);
/// After an answer that leaves a request body unread, the connection lingers this long, then closes.
const DISCONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// The HTTP server: actix-web's application over actix-http's HTTP/1 service, with each connection
/// wrapped in [`conn::Conn`] so the dispatcher's own 400/408/431 answers carry the envelope too. The
/// request head must arrive within `--request-timeout` (else 408), and the body within it again
/// ([`read_body`]).
pub fn build_server(
    app: Arc<App>,
    listener: TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::from(app.clone());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let cors: Arc<Vec<String>> = Arc::new(app.config.serve.cors_origins.clone());
    let timeout = app.config.serve.request_timeout;
    let local = listener.local_addr()?;
    let server = actix_server::Server::build()
        .workers(workers)
        .disable_signals()
        .shutdown_timeout(app.config.serve.shutdown_timeout.as_secs().max(1))
        .listen("flowgate-http", listener, move || {
            let service = application(data.clone(), cors.clone());
            use actix_service::ServiceFactoryExt as _;
            actix_service::fn_service(move |io: actix_web::rt::net::TcpStream| {
                let peer = io.peer_addr().ok();
                ready(Ok::<_, actix_http::error::DispatchError>((
                    conn::Conn::new(io, timeout),
                    peer,
                )))
            })
            .and_then(
                actix_http::HttpService::build()
                    .keep_alive(actix_http::KeepAlive::Timeout(KEEP_ALIVE))
                    .client_request_timeout(timeout)
                    .client_disconnect_timeout(DISCONNECT_TIMEOUT)
                    .local_addr(local)
                    .h1(actix_service::map_config(service, |_| {
                        actix_web::dev::AppConfig::default()
                    })),
            )
        })?
        .run();
    Ok(server)
}

/// The application: the middleware (request id, CORS, methods refused before routing, the request
/// log), `/api`, the admin page and the JSON 404.
fn application(
    data: web::Data<App>,
    cors: Arc<Vec<String>>,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .app_data(data)
        .wrap_fn(move |req, srv| {
            let started = Instant::now();
            let rid = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty() && v.len() <= 200)
                .map(str::to_string)
                .unwrap_or_else(new_request_id);
            let origin = req
                .headers()
                .get("origin")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let allowed = origin.filter(|o| cors.iter().any(|c| c == o || c == "*"));
            let method = req.method().to_string();
            let target = redact_token(req.path(), req.query_string());
            if req.method() == actix_web::http::Method::OPTIONS {
                let res = req.into_response(preflight(allowed.as_deref(), &rid));
                return Either::Left(ready(Ok(res)));
            }
            // A CONNECT's body is the rest of the connection (a tunnel): answered before anything
            // waits for it to end.
            if req.method() == actix_web::http::Method::CONNECT {
                let mut res = error_response(&route::method_not_allowed("CONNECT"));
                finish_headers(res.headers_mut(), &rid, allowed.as_deref());
                log_request(&method, &target, res.status().as_u16(), started, &rid, None);
                return Either::Left(ready(Ok(req.into_response(res))));
            }
            let fut = srv.call(req);
            Either::Right(async move {
                let mut res: ServiceResponse = fut.await?;
                finish_headers(res.headers_mut(), &rid, allowed.as_deref());
                let user = res.response().extensions().get::<LogUser>().map(|u| u.0);
                log_request(&method, &target, res.status().as_u16(), started, &rid, user);
                Ok(res)
            })
        })
        // Before the `/api` catch-all: the description is no `<resource>:<action>`.
        .route("/api/openapi.json", web::get().to(openapi::entry))
        .route("/api/openapi.json", web::route().to(openapi::not_get))
        .route("/api/{tail:.*}", web::route().to(api_entry))
        .route("/metrics", web::get().to(metrics::entry))
        .configure(admin::routes)
        .default_service(web::route().to(not_found))
}

/// The one INFO line per answered request (operations.md §7).
fn log_request(
    method: &str,
    target: &str,
    status: u16,
    started: Instant,
    rid: &str,
    user: Option<i64>,
) {
    tracing::info!(
        method = %method,
        path = %target,
        status = status,
        ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
        request_id = %rid,
        user = user.map(|u| u.to_string()).unwrap_or_default(),
        "request"
    );
}

/// A preflight never reaches a handler: 204, with CORS headers only for an allowed origin (http.md §7).
fn preflight(allowed: Option<&str>, rid: &str) -> HttpResponse {
    let mut res = HttpResponse::NoContent().finish();
    finish_headers(res.headers_mut(), rid, allowed);
    if allowed.is_some() {
        let h = res.headers_mut();
        h.insert(
            HeaderName::from_static("access-control-allow-methods"),
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        h.insert(
            HeaderName::from_static("access-control-allow-headers"),
            HeaderValue::from_static(ALLOWED_HEADERS),
        );
        h.insert(
            HeaderName::from_static("access-control-max-age"),
            HeaderValue::from_static("600"),
        );
    }
    res
}

fn finish_headers(h: &mut actix_web::http::header::HeaderMap, rid: &str, allowed: Option<&str>) {
    // No response is to be sniffed into another type (a JSON error read as HTML, say).
    h.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(rid) {
        h.insert(HeaderName::from_static("x-request-id"), v);
    }
    if let Some(origin) = allowed {
        if let Ok(v) = HeaderValue::from_str(origin) {
            h.insert(HeaderName::from_static("access-control-allow-origin"), v);
            h.insert(
                HeaderName::from_static("vary"),
                HeaderValue::from_static("Origin"),
            );
            h.insert(
                HeaderName::from_static("access-control-expose-headers"),
                HeaderValue::from_static("X-Request-Id, Idempotent-Replayed, Retry-After"),
            );
        }
    }
}

const ALLOWED_HEADERS: &str =
    "Authorization, Content-Type, X-Role, X-Authenticator, X-Data-Source, Idempotency-Key, X-Timezone, X-Locale, X-Request-Id, X-With-ACL-Meta";

fn new_request_id() -> String {
    let b: [u8; 16] = rand::random();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
        u16::from_be_bytes([b[6], b[7]]) & 0x0fff,
        (u16::from_be_bytes([b[8], b[9]]) & 0x3fff) | 0x8000,
        u64::from_be_bytes([0, 0, b[10], b[11], b[12], b[13], b[14], b[15]])
    )
}

/// `path?query` with the value of `token` replaced, for the log.
pub fn redact_token(path: &str, query: &str) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let q: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            // Compare the key as the query parser reads it: `%74oken=` and `token[]=` are tokens too.
            Some((key, _)) if query::key_base(key) == "token" => format!("{key}=[redacted]"),
            _ => p.to_string(),
        })
        .collect();
    format!("{path}?{}", q.join("&"))
}

/// The one place an `Error` becomes a response (status, envelope, headers).
pub fn error_response(e: &Error) -> HttpResponse {
    if e.code == Code::InternalError {
        tracing::error!(detail = e.detail.as_deref().unwrap_or(""), "internal error");
    }
    let mut b = HttpResponse::build(
        StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    for (k, v) in &e.headers {
        b.insert_header((*k, v.as_str()));
    }
    b.content_type("application/json; charset=utf-8")
        .body(e.body().to_string())
}

pub fn reply_response(r: &Reply) -> HttpResponse {
    let mut b = HttpResponse::build(StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK));
    for (k, v) in &r.headers {
        b.insert_header((*k, v.as_str()));
    }
    match &r.download {
        // The file name is flowgate's own (a date and fixed words), never a request's text.
        Some(d) => {
            b.content_type(d.content_type).insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", d.file_name),
            ));
            match &d.body {
                DownloadBody::Text(text) => b.body(text.clone()),
                DownloadBody::File { file, len } => b.body(actix_web::body::SizedStream::new(
                    *len,
                    file_chunks(file.clone(), *len),
                )),
            }
        }
        None => b
            .content_type("application/json; charset=utf-8")
            .body(r.body.to_string()),
    }
}

/// The bytes of `file` up to `len`, read in 256 KiB chunks on the blocking pool (never on the executor).
fn file_chunks(
    file: Arc<std::fs::File>,
    len: u64,
) -> impl futures_util::Stream<Item = std::result::Result<Bytes, std::io::Error>> {
    const CHUNK: u64 = 256 << 10;
    futures_util::stream::unfold(0u64, move |offset| {
        let file = file.clone();
        async move {
            if offset >= len {
                return None;
            }
            let want = CHUNK.min(len - offset) as usize;
            let read = web::block(move || {
                use std::os::unix::fs::FileExt;
                let mut buf = vec![0u8; want];
                file.read_exact_at(&mut buf, offset).map(|_| buf)
            })
            .await
            .map_err(std::io::Error::other)
            .and_then(|r| r);
            Some(match read {
                Ok(buf) => (Ok(Bytes::from(buf)), offset + want as u64),
                // The stream ends after an error: the client sees a short body against Content-Length.
                Err(e) => (Err(e), len),
            })
        }
    })
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    error_response(&crate::error::resource_not_found(
        req.path().trim_start_matches('/'),
    ))
}

/// The body, whole, within `--request-timeout` of the handler starting to read it (else `408
/// REQUEST_TIMEOUT`; a body stalled halfway, or a chunk declared larger than anything that follows, would
/// otherwise hold the connection forever) and within the limit (else `413`, as soon as the declared length
/// or the bytes received pass it).
async fn read_body(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Bytes> {
    match actix_web::rt::time::timeout(timeout, read_body_within(req, payload, limit)).await {
        Ok(read) => read,
        Err(_) => Err(Error::new(
            Code::RequestTimeout,
            format!(
                "Request body was not received within {}",
                crate::time::format_duration(timeout)
            ),
        )),
    }
}

async fn read_body_within(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Bytes> {
    let too_large = || {
        Error::new(
            Code::PayloadTooLarge,
            format!("Request body exceeds the limit of {limit} bytes"),
        )
    };
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    // A WebSocket upgrade's payload, to actix, is the rest of the connection; flowgate speaks no
    // WebSocket, so the request is answered as plain HTTP with the body its Content-Length declares
    // (none for a handshake) instead of waiting for the connection to end.
    let until = is_websocket_upgrade(req).then(|| declared.unwrap_or(0));
    let mut buf = BytesMut::new();
    while until.is_none_or(|n| buf.len() < n) {
        let Some(chunk) = payload.next().await else {
            break;
        };
        let chunk = chunk.map_err(|e| {
            Error::new(
                Code::InvalidBody,
                format!("Request body could not be read: {e}"),
            )
        })?;
        if buf.len() + chunk.len() > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    if let Some(n) = until {
        buf.truncate(n);
    }
    Ok(buf.freeze())
}

/// `Upgrade: websocket` without a chunked body: the requests whose payload actix-http streams until the
/// connection ends.
fn is_websocket_upgrade(req: &HttpRequest) -> bool {
    let has = |name: &str, value: &str| {
        req.headers().get_all(name).any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|p| p.trim().eq_ignore_ascii_case(value)))
        })
    };
    has("upgrade", "websocket") && !has("transfer-encoding", "chunked")
}

fn header(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The `Authorization` and `X-Role` headers of a call answered beside the `/api` dispatcher (`/metrics`,
/// `/api/openapi.json`), owned so the blocking pool can take them.
pub(crate) struct HeaderAuth {
    authorization: Option<String>,
    role: Option<String>,
    token: Option<String>,
}

impl HeaderAuth {
    pub(crate) fn of(req: &HttpRequest) -> HeaderAuth {
        HeaderAuth {
            authorization: header(req, "authorization"),
            role: header(req, "x-role"),
            token: None,
        }
    }

    /// With the `token` query parameter too (http.md §3: the token when there is no `Authorization`).
    pub(crate) fn with_token_param(mut self, req: &HttpRequest) -> Result<HeaderAuth> {
        let params = query::parse(req.query_string())?;
        self.token = params
            .get("token")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        Ok(self)
    }

    pub(crate) fn credentials(&self) -> crate::auth::Credentials<'_> {
        crate::auth::Credentials {
            authorization: self.authorization.as_deref(),
            token_param: self.token.as_deref(),
            role: self.role.as_deref(),
            authenticator: None,
        }
    }
}

/// A header kept even when it is not visible ASCII, so that its check refuses it (a 400 or 401) instead of
/// the request going on as if the header were absent.
fn header_lossy(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn build_request(req: &HttpRequest, body: Bytes) -> Request {
    let method_name = req.method().as_str().to_string();
    let method = route::Method::parse(&method_name);
    let path = req.path().to_string();
    let tail = path.strip_prefix("/api/").unwrap_or("");
    Request {
        route: route::parse(tail, method, &method_name),
        query: query::parse(req.query_string()),
        raw_query: req.query_string().to_string(),
        method,
        method_name,
        path,
        body,
        content_type: header(req, "content-type"),
        authorization: header_lossy(req, "authorization"),
        x_role: header_lossy(req, "x-role"),
        x_authenticator: header_lossy(req, "x-authenticator"),
        x_data_source: header_lossy(req, "x-data-source"),
        idempotency_key: header_lossy(req, "idempotency-key"),
        with_acl_meta: req
            .headers()
            .get("x-with-acl-meta")
            .is_some_and(|v| !v.is_empty()),
        peer_ip: req.peer_addr().map(|a| a.ip()),
    }
}

async fn api_entry(req: HttpRequest, payload: web::Payload, app: web::Data<App>) -> HttpResponse {
    let started = Instant::now();
    let (slot, res) = api_answer(req, payload, app.clone()).await;
    app.metrics.requests(dispatch::metric_labels).observe(
        slot,
        res.status().as_u16(),
        started.elapsed(),
    );
    res
}

/// The answer to an `/api` request and its metrics slot.
async fn api_answer(
    req: HttpRequest,
    payload: web::Payload,
    app: web::Data<App>,
) -> (usize, HttpResponse) {
    let body = match read_body(
        &req,
        payload,
        app.config.serve.body_limit,
        app.config.serve.request_timeout,
    )
    .await
    {
        Ok(b) => b,
        Err(e) => return (dispatch::SLOT_OTHER, error_response(&e)),
    };
    let request = build_request(&req, body);
    if let Some(result) = dispatch::health_at_once(&app, &request) {
        let res = match &result {
            Ok(r) => reply_response(r),
            Err(e) => error_response(e),
        };
        return (dispatch::SLOT_HEALTH, res);
    }
    let app = app.into_inner();
    let outcome = web::block(move || dispatch::handle(&app, request)).await;
    let (result, user, slot) = match outcome {
        Ok(o) => (o.result, o.user_id, o.slot),
        Err(e) => (
            Err(Error::internal(format!("blocking task failed: {e}"))),
            None,
            dispatch::SLOT_OTHER,
        ),
    };
    let mut res = match &result {
        Ok(r) => reply_response(r),
        Err(e) => error_response(e),
    };
    if let Some(u) = user {
        res.extensions_mut().insert(LogUser(u));
    }
    (slot, res)
}
