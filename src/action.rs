//! One call of a resource action as every door hands it to the core: what is asked (resource and action
//! names), its parameters and values (NocoBase's `ctx.action.params` and `values`: `filterByTk`, `filter`,
//! `appends`, `page`…), who asks ([`Caller`]) and what the ACL decided ([`Scope`]).
//!
//! The HTTP layer builds an [`Input`] from a request (query string, path key, JSON body); the CLI and
//! event triggers can build one from their own words. Nothing here knows HTTP. Parse errors of the query
//! or the body are kept and surface where a handler first reads them, so the order in which a bad
//! request's problems are reported stays the processing order of http.md §2.

use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::acl::{Rights, Scope};
use crate::app::App;
use crate::auth::Caller;
use crate::error::{bad, invalid_param, Code, Error, Result};

/// What a handler gets: the shared state, the input, the caller, and the ACL's decision.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub input: &'a Input,
    pub caller: &'a Caller,
    pub scope: Scope,
    /// The caller's rights on other collections, for what the action reaches through associations.
    pub rights: &'a dyn Rights,
    /// When the input asked for ACL meta on a records list or get: the ACL's decisions for the row
    /// actions, made by the same door that decided `scope`.
    pub row_actions: Option<RowActions>,
}

/// The caller's scope for `view`, `update` and `destroy` on a collection (`None`: not allowed), from
/// which a list's `meta.allowedActions` is computed (NocoBase's `X-With-ACL-Meta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowActions {
    pub view: Option<Scope>,
    pub update: Option<Scope>,
    pub destroy: Option<Scope>,
}

/// An `Idempotency-Key` as given, with the fingerprint of the call it came with (trigger.md §9).
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: Vec<u8>,
}

#[derive(Debug)]
pub struct Input {
    /// The resource as named in errors: `samples`, `posts.comments`.
    pub resource: String,
    pub action: String,
    /// Parameters (the parsed query); an error (nesting too deep) surfaces where they are first read.
    pub params: Result<Map<String, Value>>,
    /// The key given in the path (`/api/samples:get/1`); `filterByTk` in the parameters overrides it.
    pub path_tk: Option<String>,
    /// The values (the body): `None` when empty or null; an error (not JSON, a refused media type)
    /// surfaces where they are first read.
    pub body: Result<Option<Value>>,
    /// The caller's network address, for the sign-in rate limit.
    pub peer_ip: Option<IpAddr>,
    pub idempotency: Option<Idempotency>,
    /// The caller wants `meta.allowedActions` on a records list or get.
    pub with_acl_meta: bool,
}

/// `400 INVALID_VALUE` `Field "<key>" expects <expected>` with `field`: a body field of the wrong JSON
/// type is refused, never read as false, empty or the default.
pub fn wrong_type(key: &str, expected: &str) -> Error {
    Error::new(
        Code::InvalidValue,
        format!("Field \"{key}\" expects {expected}"),
    )
    .with("field", key)
}

/// A string field of a body; absent or `null` is `None` (NocoBase accepts `null` where a value is
/// optional), another type is [`wrong_type`].
pub fn opt_str<'v>(values: &'v Map<String, Value>, key: &str) -> Result<Option<&'v str>> {
    match values.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(key, "string")),
    }
}

/// A boolean field of a body (`true`/`false`; `"true"` is refused), as [`opt_str`].
pub fn opt_bool(values: &Map<String, Value>, key: &str) -> Result<Option<bool>> {
    match values.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(wrong_type(key, "boolean")),
    }
}

/// An object field of a body, as [`opt_str`].
pub fn opt_object<'v>(
    values: &'v Map<String, Value>,
    key: &str,
) -> Result<Option<&'v Map<String, Value>>> {
    match values.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(wrong_type(key, "object")),
    }
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

/// How deep a body's arrays and objects may nest. The store keeps a body inside an execution's context
/// and jobs' results (a few levels more) and must read it back, and serde_json stops at 128 levels.
pub const MAX_BODY_DEPTH: usize = 64;

/// `400 INVALID_JSON` when `body` nests deeper than [`MAX_BODY_DEPTH`] (counted without recursion).
pub fn check_depth(body: &Value) -> Result<()> {
    let mut stack = vec![(body, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        if !(v.is_array() || v.is_object()) {
            continue;
        }
        if depth > MAX_BODY_DEPTH {
            return Err(bad(
                Code::InvalidJson,
                format!("Request body nests deeper than {MAX_BODY_DEPTH} levels"),
            ));
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, depth + 1))),
            Value::Object(o) => stack.extend(o.values().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

impl Input {
    /// An input with parameters and values only (for doors other than HTTP, and tests).
    pub fn new(
        resource: &str,
        action: &str,
        params: Map<String, Value>,
        body: Option<Value>,
    ) -> Input {
        Input {
            resource: resource.to_string(),
            action: action.to_string(),
            params: Ok(params),
            path_tk: None,
            body: match body {
                Some(b) => check_depth(&b).map(|()| Some(b)),
                None => Ok(None),
            },
            peer_ip: None,
            idempotency: None,
            with_acl_meta: false,
        }
    }

    /// The parameters; a parse error surfaces at the step where parameters are read.
    pub fn query(&self) -> Result<&Map<String, Value>> {
        match &self.params {
            Ok(q) => Ok(q),
            Err(e) => Err(e.clone()),
        }
    }

    /// A parameter, or `None` (also when the parameters failed to parse; `query()` reports that).
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params
            .as_ref()
            .unwrap_or_else(|_| EMPTY.get_or_init(Map::new))
            .get(name)
    }

    /// A parameter as a string (the first when repeated).
    pub fn param_str(&self, name: &str) -> Option<&str> {
        match self.param(name)? {
            Value::String(s) => Some(s),
            Value::Array(a) => a.first().and_then(|v| v.as_str()),
            _ => None,
        }
    }

    /// The values as JSON; `None` when empty or null.
    pub fn json(&self) -> Result<Option<Value>> {
        self.body.clone()
    }

    /// The values as an object, or `None` when empty.
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

    /// `404 ACTION_NOT_FOUND` for this input's action on its resource.
    pub fn action_not_found(&self) -> Error {
        action_not_found(&self.resource, &self.action)
    }

    /// `filterByTk` for id-keyed resources (http.md §3): the parameter overrides the path; arrays from
    /// `[]` repeats or JSON text; the path is never split at commas.
    pub fn filter_by_tk(&self) -> Result<Tk> {
        if let Some(v) = self.param("filterByTk") {
            return match v {
                Value::Array(items) => many(items),
                Value::String(s) if s.trim_start().starts_with('[') => {
                    match serde_json::from_str::<Value>(s) {
                        Ok(Value::Array(items)) => many(&items),
                        _ => Err(tk_invalid()),
                    }
                }
                other => parse_id(other).map(Tk::One).ok_or_else(tk_invalid),
            };
        }
        match &self.path_tk {
            Some(tk) => parse_id_str(tk).map(Tk::One).ok_or_else(tk_invalid),
            None => Ok(Tk::None),
        }
    }

    /// `filterByTk` for name-keyed resources (roles, collections, fields): a string.
    pub fn name_tk(&self) -> Option<String> {
        if let Some(s) = self.param_str("filterByTk") {
            return Some(s.to_string());
        }
        self.path_tk.clone()
    }

    /// `page`, `pageSize`, `paginate`; `None` = all rows.
    pub fn page(&self) -> Result<Option<Page>> {
        let paginate = self.flag("paginate")?.unwrap_or(true);
        let page = self.positive("page", 1)?;
        let page_size = self.positive("pageSize", 20)?;
        Ok(paginate.then_some(Page { page, page_size }))
    }

    /// A boolean parameter: `true`/`1` or `false`/`0`; absent is `None`, anything else `400
    /// INVALID_PARAMETER`.
    pub fn flag(&self, name: &str) -> Result<Option<bool>> {
        match self.param(name).map(|_| self.param_str(name)) {
            None => Ok(None),
            Some(Some("true" | "1")) => Ok(Some(true)),
            Some(Some("false" | "0")) => Ok(Some(false)),
            Some(_) => Err(invalid_param(name, "must be true or false")),
        }
    }

    fn positive(&self, name: &str, default: u64) -> Result<u64> {
        match self.param(name) {
            None => Ok(default),
            Some(v) => parse_id(v)
                .map(|n| n as u64)
                .ok_or_else(|| invalid_param(name, "must be a positive integer")),
        }
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

pub fn action_not_found(resource: &str, action: &str) -> Error {
    Error::new(
        Code::ActionNotFound,
        format!("Action \"{action}\" is not available on resource \"{resource}\""),
    )
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

/// `filterByTk` of an id-keyed resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Tk {
    None,
    One(i64),
    Many(Vec<i64>),
}

pub fn tk_invalid() -> Error {
    bad(Code::InvalidParameter, "filterByTk is invalid")
}

fn many(items: &[Value]) -> Result<Tk> {
    if items.is_empty() {
        return Err(tk_invalid());
    }
    let ids: Option<Vec<i64>> = items.iter().map(parse_id).collect();
    ids.map(Tk::Many).ok_or_else(tk_invalid)
}

/// `page`, `pageSize` (http.md §3).
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
            Some(p) => (
                i64::try_from(p.page_size).unwrap_or(i64::MAX),
                i64::try_from(p.offset()).unwrap_or(i64::MAX),
            ),
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

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn absurd_pages_saturate() {
        let p = Page {
            page: u64::MAX,
            page_size: u64::MAX,
        };
        assert_eq!(p.offset(), u64::MAX);
        assert_eq!(Page::limit_offset(Some(p)), (i64::MAX, i64::MAX));
        assert_eq!(
            Page::limit_offset(Some(Page {
                page: 3,
                page_size: 20
            })),
            (20, 40)
        );
        assert_eq!(Page::limit_offset(None), (-1, 0));
    }
}
