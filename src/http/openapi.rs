//! `GET /api/openapi.json`: the instance's API description (`crate::openapi`), for the signed-in caller
//! (`dispatch::describe` decides). The document itself is the body, not wrapped in the envelope: client
//! generators read it as it is. Errors are the envelope as everywhere.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{dispatch, error_response};
use crate::app::App;
use crate::error::{Code, Error};

pub async fn entry(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    let auth = match super::HeaderAuth::of(&req).with_token_param(&req) {
        Ok(auth) => auth,
        Err(e) => return error_response(&e),
    };
    let server = super::header(&req, "host")
        .filter(|h| plain_host(h))
        .map(|h| format!("http://{h}"));
    let app = app.into_inner();
    let answer = web::block(move || dispatch::describe(&app, &auth.credentials(), server))
        .await
        .unwrap_or_else(|e| Err(Error::internal(format!("blocking task failed: {e}"))));
    match answer {
        Ok(doc) => HttpResponse::Ok().json(doc),
        Err(e) => error_response(&e),
    }
}

/// Any other method: the description is only read.
pub async fn not_get(req: HttpRequest) -> HttpResponse {
    let e = Error::new(
        Code::MethodNotAllowed,
        format!(
            "Method {} is not allowed for /api/openapi.json; read it with GET",
            req.method()
        ),
    )
    .header("Allow", "GET".to_string());
    error_response(&e)
}

/// A Host header fit to be a server URL (name or address, optional port); anything else gives a
/// relative server, so a forged header cannot put text of its own into the document's URLs.
fn plain_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}
