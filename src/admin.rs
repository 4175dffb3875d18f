//! The embedded admin page: files under assets/ compiled into the binary with rust-embed and served at
//! `/admin`; `/` redirects there. The page talks to the public API only.

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
    HttpResponse::Found().insert_header(("Location", "/admin/")).finish()
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

async fn file(req: HttpRequest) -> HttpResponse {
    let tail = req.match_info().get("file").unwrap_or("");
    // Unknown paths fall back to the page itself, which routes on the hash.
    let path = if tail.is_empty() || Assets::get(tail).is_none() { "index.html" } else { tail };
    match Assets::get(path) {
        Some(f) => HttpResponse::Ok()
            .content_type(content_type(path))
            .insert_header(("Cache-Control", "no-cache"))
            .body(f.data.into_owned()),
        None => crate::http::error_response(&crate::error::resource_not_found(req.path())),
    }
}
