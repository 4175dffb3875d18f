//! One API request as the blocking handlers see it: method, route, query, body and the headers that
//! matter, with the body and parameter rules of http.md §3–§4.

use std::net::IpAddr;

use actix_web::web::Bytes;
use serde_json::{Map, Value};

use super::route::{Method, Route};
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
    pub peer_ip: Option<IpAddr>,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl Request {
    /// The parsed query; a parse error (nesting too deep) surfaces at the step where parameters are read.
    pub fn query(&self) -> Result<&Map<String, Value>> {
        match &self.query {
            Ok(q) => Ok(q),
            Err(e) => Err(e.clone()),
        }
    }

    /// A query parameter, or `None` (also when the query failed to parse; `query()` reports that).
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.query.as_ref().unwrap_or_else(|_| EMPTY.get_or_init(Map::new)).get(name)
    }

    /// A query parameter as a string (the first when repeated).
    pub fn param_str(&self, name: &str) -> Option<&str> {
        match self.param(name)? {
            Value::String(s) => Some(s),
            Value::Array(a) => a.first().and_then(|v| v.as_str()),
            _ => None,
        }
    }

    /// The body as JSON whatever the content type (curl -d sends a form type); `None` when empty or null.
    pub fn json(&self) -> Result<Option<Value>> {
        if matches!(self.method, Method::Get) {
            return Ok(None);
        }
        if let Some(ct) = &self.content_type {
            if ct.to_ascii_lowercase().starts_with("multipart/form-data") {
                let shown = ct.split(';').next().unwrap_or(ct).trim();
                return Err(bad(Code::UnsupportedMediaType, format!("Unsupported content type \"{shown}\"")));
            }
        }
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(None);
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Null) => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(_) => Err(bad(Code::InvalidJson, "Request body is not valid JSON")),
        }
    }

    /// The body as the action's values: an object, or `None` when empty.
    pub fn values(&self) -> Result<Option<Map<String, Value>>> {
        match self.json()? {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(bad(Code::InvalidBody, "Request body must be a JSON object")),
        }
    }

    /// Values that must be present (create, update…): an empty body is `{}`.
    pub fn values_or_empty(&self) -> Result<Map<String, Value>> {
        Ok(self.values()?.unwrap_or_default())
    }

    /// The route; parse errors surface at the resource step of the processing order.
    pub fn route(&self) -> Result<&Route> {
        self.route.as_ref().map_err(Error::clone)
    }
}

/// Parses one id: a positive integer, or a digit string (spaces trimmed).
pub fn parse_id(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().filter(|i| *i > 0),
        Value::String(s) => parse_id_str(s),
        _ => None,
    }
}

/// An id from a path segment: digits (spaces trimmed), positive.
pub fn parse_id_str(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok().filter(|i| *i > 0)
}

/// `filterByTk` for id-keyed resources (http.md §3): the query overrides the path; arrays from `[]`
/// repeats or JSON text; the path is never split at commas.
#[derive(Debug, Clone, PartialEq)]
pub enum Tk {
    None,
    One(i64),
    Many(Vec<i64>),
}

pub fn tk_invalid() -> Error {
    bad(Code::InvalidParameter, "filterByTk is invalid")
}

impl Request {
    pub fn filter_by_tk(&self) -> Result<Tk> {
        if let Some(v) = self.param("filterByTk") {
            return match v {
                Value::Array(items) => many(items),
                Value::String(s) if s.trim_start().starts_with('[') => match serde_json::from_str::<Value>(s) {
                    Ok(Value::Array(items)) => many(&items),
                    _ => Err(tk_invalid()),
                },
                other => parse_id(other).map(Tk::One).ok_or_else(tk_invalid),
            };
        }
        match self.route.as_ref().ok().and_then(|r| r.tk.as_ref()) {
            Some(tk) => parse_id_str(tk).map(Tk::One).ok_or_else(tk_invalid),
            None => Ok(Tk::None),
        }
    }

    /// `filterByTk` for name-keyed resources (roles, collections, fields): a string.
    pub fn name_tk(&self) -> Option<String> {
        if let Some(s) = self.param_str("filterByTk") {
            return Some(s.to_string());
        }
        self.route.as_ref().ok().and_then(|r| r.tk.clone())
    }
}

fn many(items: &[Value]) -> Result<Tk> {
    if items.is_empty() {
        return Err(tk_invalid());
    }
    let ids: Option<Vec<i64>> = items.iter().map(parse_id).collect();
    ids.map(Tk::Many).ok_or_else(tk_invalid)
}

/// `page`, `pageSize`, `paginate` (http.md §3): `None` = all rows (`paginate=false`).
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: u64,
    pub page_size: u64,
}

impl Page {
    /// Rows before this page; saturates instead of overflowing on absurd page numbers.
    pub fn offset(&self) -> u64 {
        self.page.saturating_sub(1).saturating_mul(self.page_size)
    }

    /// SQL `LIMIT` and `OFFSET` of an optional page (`-1`: no limit), clamped to SQLite's integers.
    pub fn limit_offset(page: Option<Page>) -> (i64, i64) {
        match page {
            None => (-1, 0),
            Some(p) => (i64::try_from(p.page_size).unwrap_or(i64::MAX), i64::try_from(p.offset()).unwrap_or(i64::MAX)),
        }
    }

    pub fn meta(&self, count: u64) -> Value {
        serde_json::json!({
            "count": count,
            "page": self.page,
            "pageSize": self.page_size,
            "totalPage": count.div_ceil(self.page_size),
        })
    }
}

fn positive(req: &Request, name: &str, default: u64) -> Result<u64> {
    match req.param(name) {
        None => Ok(default),
        Some(v) => parse_id(v)
            .map(|n| n as u64)
            .ok_or_else(|| crate::error::invalid_param(name, "must be a positive integer")),
    }
}

impl Request {
    pub fn page(&self) -> Result<Option<Page>> {
        let paginate = match self.param_str("paginate") {
            None | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(_) => return Err(crate::error::invalid_param("paginate", "must be true or false")),
        };
        let page = positive(self, "page", 1)?;
        let page_size = positive(self, "pageSize", 20)?;
        Ok(paginate.then_some(Page { page, page_size }))
    }

    /// A comma string or array parameter (`appends`, `fields`, `except`, `sort`) as a list.
    pub fn list_param(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut push = |s: &str| {
            for part in s.split(',') {
                let t = part.trim();
                if !t.is_empty() && !out.iter().any(|o: &String| o == t) {
                    out.push(t.to_string());
                }
            }
        };
        match self.param(name) {
            Some(Value::String(s)) => push(s),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).for_each(push),
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn absurd_pages_saturate() {
        let p = Page { page: u64::MAX, page_size: u64::MAX };
        assert_eq!(p.offset(), u64::MAX);
        assert_eq!(Page::limit_offset(Some(p)), (i64::MAX, i64::MAX));
        assert_eq!(Page::limit_offset(Some(Page { page: 3, page_size: 20 })), (20, 40));
        assert_eq!(Page::limit_offset(None), (-1, 0));
    }
}
