//! The embedded admin page: files under assets/ compiled into the binary with rust-embed and served at
//! `/admin`; `/` redirects there. The page talks to the public API only.
//!
//! Every answer carries a strict Content-Security-Policy: the page loads its own script, style and icon
//! and talks to its own origin, nothing else (no inline script or style, no third-party fetches).

use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(redirect))
        .route("/admin", web::get().to(redirect))
        .route("/admin/{file:.*}", web::get().to(file));
}

async fn redirect() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/admin/"))
        .finish()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Scripts, styles, images and fetches from this origin only; no framing, no plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn file(req: HttpRequest) -> HttpResponse {
    let tail = req.match_info().get("file").unwrap_or("");
    // Unknown paths fall back to the page itself, which routes on the hash; a missing file (a name with an
    // extension) is a 404, so a stale script URL never receives HTML.
    let known = !tail.is_empty() && Assets::get(tail).is_some();
    let last = tail.rsplit('/').next().unwrap_or("");
    if !known && last.contains('.') {
        return crate::http::error_response(&crate::error::resource_not_found(req.path()));
    }
    let path = if known { tail } else { "index.html" };
    match Assets::get(path) {
        Some(f) => HttpResponse::Ok()
            .content_type(content_type(path))
            .insert_header(("Cache-Control", "no-cache"))
            .insert_header(("Content-Security-Policy", CSP))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Referrer-Policy", "no-referrer"))
            .body(f.data.into_owned()),
        None => crate::http::error_response(&crate::error::resource_not_found(req.path())),
    }
}
