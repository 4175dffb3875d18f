//! One API request as received: method, route, query, body and the headers that matter. The dispatcher
//! turns it into the core's [`Input`] (http.md §3–§4 body rules applied here).

use std::net::IpAddr;

use actix_web::web::Bytes;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::route::{Method, Route};
use crate::action::{Idempotency, Input};
use crate::error::{bad, Code, Error, Result};

#[derive(Debug)]
pub struct Request {
    pub method: Method,
    pub method_name: String,
    /// Path as received, e.g. `/api/samples:trigger/1`.
    pub path: String,
    pub raw_query: String,
    pub route: Result<Route>,
    pub query: Result<Map<String, Value>>,
    pub body: Bytes,
    pub content_type: Option<String>,
    pub authorization: Option<String>,
    pub x_role: Option<String>,
    pub x_authenticator: Option<String>,
    pub x_data_source: Option<String>,
    pub idempotency_key: Option<String>,
    /// `X-With-ACL-Meta` given with any non-empty value (NocoBase reads it as truthy).
    pub with_acl_meta: bool,
    pub peer_ip: Option<IpAddr>,
}

impl Request {
    /// The route; parse errors surface at the resource step of the processing order.
    pub fn route(&self) -> Result<&Route> {
        self.route.as_ref().map_err(Error::clone)
    }

    /// The body as JSON whatever the content type (curl -d sends a form type); `None` when empty or null.
    fn json(&self) -> Result<Option<Value>> {
        if matches!(self.method, Method::Get) {
            return Ok(None);
        }
        if let Some(ct) = &self.content_type {
            if ct.to_ascii_lowercase().starts_with("multipart/form-data") {
                let shown = ct.split(';').next().unwrap_or(ct).trim();
                return Err(bad(
                    Code::UnsupportedMediaType,
                    format!("Unsupported content type \"{shown}\""),
                ));
            }
        }
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(None);
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Null) => Ok(None),
            Ok(v) => crate::action::check_depth(&v).map(|()| Some(v)),
            Err(_) => Err(bad(Code::InvalidJson, "Request body is not valid JSON")),
        }
    }

    /// SHA-256 over method, path, sorted query without `token`, `X-Role` and the raw body.
    fn fingerprint(&self) -> Vec<u8> {
        let mut query: Vec<&str> = self
            .raw_query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("token="))
            .collect();
        query.sort_unstable();
        let mut h = Sha256::new();
        for part in [
            self.method_name.as_str(),
            self.path.as_str(),
            &query.join("&"),
            self.x_role.as_deref().unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        h.update(&self.body);
        h.finalize().to_vec()
    }

    /// The core's view of this request. The parsed query moves into it (the request keeps an empty one).
    pub fn input(&mut self) -> Input {
        let (resource, action, path_tk) = match &self.route {
            Ok(r) => {
                let name = match &r.association {
                    Some(a) => format!("{}.{a}", r.resource),
                    None => r.resource.clone(),
                };
                (name, r.action.clone(), r.tk.clone())
            }
            Err(_) => (String::new(), String::new(), None),
        };
        Input {
            resource,
            action,
            params: std::mem::replace(&mut self.query, Ok(Map::new())),
            path_tk,
            body: self.json(),
            peer_ip: self.peer_ip,
            idempotency: self.idempotency_key.as_ref().map(|key| Idempotency {
                key: key.clone(),
                fingerprint: self.fingerprint(),
            }),
            with_acl_meta: self.with_acl_meta,
        }
    }
}
