//! The URL grammar of http.md §1: `/api/<resource>:<action>[/<tk>]`, the association form and the
//! method-only forms, parsed into a [`Route`].

use percent_encoding::percent_decode_str;

use crate::error::{Code, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Options,
    Other,
}

impl Method {
    pub fn parse(m: &str) -> Method {
        match m {
            "GET" | "HEAD" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            "OPTIONS" => Method::Options,
            _ => Method::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Collection or system resource, without a `main:` prefix.
    pub resource: String,
    /// Association form: the source record's key and the association name.
    pub source_id: Option<String>,
    pub association: Option<String>,
    pub action: String,
    /// The `/<tk>` path segment, percent-decoded.
    pub tk: Option<String>,
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn is_action_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Splits `name[:action]` (with an optional `main:` data source prefix) into name and explicit action.
fn split_action(segment: &str) -> Result<(String, Option<String>)> {
    let parts: Vec<&str> = segment.split(':').collect();
    let (name, action) = match parts.as_slice() {
        [name] => (*name, None),
        ["main", name] if !name.is_empty() => (*name, None),
        [name, action] => (*name, Some(*action)),
        ["main", name, action] => (*name, Some(*action)),
        _ => return Err(crate::error::resource_not_found(&decode(segment))),
    };
    let name = decode(name);
    if name.is_empty() {
        return Err(crate::error::resource_not_found(""));
    }
    match action {
        Some(a) if !is_action_name(a) => Err(Error::new(
            Code::ActionNotFound,
            format!(
                "Action \"{}\" is not available on resource \"{name}\"",
                decode(a)
            ),
        )),
        Some(a) => Ok((name, Some(a.to_string()))),
        None => Ok((name, None)),
    }
}

/// The action of a method-only form.
fn method_action(method: Method, has_tk: bool) -> Result<String> {
    let action = match method {
        Method::Get if has_tk => "get",
        Method::Get => "list",
        Method::Post if has_tk => return Err(method_not_allowed("POST")),
        Method::Post => "create",
        Method::Put | Method::Patch => "update",
        Method::Delete => "destroy",
        Method::Options => return Err(method_not_allowed("OPTIONS")),
        Method::Other => return Err(method_not_allowed("this method")),
    };
    Ok(action.to_string())
}

pub fn method_not_allowed(m: &str) -> Error {
    Error::new(
        Code::MethodNotAllowed,
        format!("Method {m} is not allowed here"),
    )
}

/// Parses the part of the path after `/api/`.
pub fn parse(path: &str, method: Method, method_name: &str) -> Result<Route> {
    let trimmed = path.trim_end_matches('/');
    let segs: Vec<&str> = trimmed.split('/').collect();
    if trimmed.is_empty() || segs.iter().any(|s| s.is_empty()) {
        return Err(crate::error::resource_not_found(&decode(trimmed)));
    }
    let (resource, source_id, association, action, tk) = match segs.as_slice() {
        [res] => {
            let (r, a) = split_action(res)?;
            (r, None, None, a, None)
        }
        [res, tk] => {
            let (r, a) = split_action(res)?;
            (r, None, None, a, Some(decode(tk)))
        }
        [res, src, assoc] => {
            let (r, _) = split_action_plain(res)?;
            let (assoc, a) = split_action(assoc)?;
            (r, Some(decode(src)), Some(assoc), a, None)
        }
        [res, src, assoc, tk] => {
            let (r, _) = split_action_plain(res)?;
            let (assoc, a) = split_action(assoc)?;
            (r, Some(decode(src)), Some(assoc), a, Some(decode(tk)))
        }
        _ => return Err(crate::error::resource_not_found(&decode(trimmed))),
    };
    let action = match action {
        Some(a) => a,
        None => method_action(method, tk.is_some()).map_err(|e| {
            if method == Method::Other {
                method_not_allowed(method_name)
            } else {
                e
            }
        })?,
    };
    Ok(Route {
        resource,
        source_id,
        association,
        action,
        tk,
    })
}

/// The source part of an association form takes no action.
fn split_action_plain(segment: &str) -> Result<(String, ())> {
    match split_action(segment)? {
        (name, None) => Ok((name, ())),
        (name, Some(_)) => Err(crate::error::resource_not_found(&name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &str, m: Method) -> Result<Route> {
        parse(path, m, "GET")
    }

    #[test]
    fn action_form() {
        let r = p("samples:list", Method::Get).unwrap();
        assert_eq!(
            (r.resource.as_str(), r.action.as_str(), r.tk),
            ("samples", "list", None)
        );
        let r = p("samples:get/1", Method::Post).unwrap();
        assert_eq!(r.tk.as_deref(), Some("1"));
        let r = p("main:samples:trigger/1/", Method::Post).unwrap();
        assert_eq!(
            (r.resource.as_str(), r.action.as_str()),
            ("samples", "trigger")
        );
    }

    #[test]
    fn method_forms() {
        assert_eq!(p("samples", Method::Get).unwrap().action, "list");
        assert_eq!(p("samples/1", Method::Get).unwrap().action, "get");
        assert_eq!(
            p("samples/1", Method::Post).unwrap_err().code,
            Code::MethodNotAllowed
        );
        assert_eq!(p("samples:list", Method::Post).unwrap().action, "list");
        assert_eq!(p("main:samples", Method::Get).unwrap().resource, "samples");
        assert_eq!(p("samples/1", Method::Patch).unwrap().action, "update");
    }

    #[test]
    fn association_form() {
        let r = p("posts/1/comments:list", Method::Get).unwrap();
        assert_eq!(r.source_id.as_deref(), Some("1"));
        assert_eq!(r.association.as_deref(), Some("comments"));
        let r = p("posts/1/comments/2", Method::Delete).unwrap();
        assert_eq!((r.action.as_str(), r.tk.as_deref()), ("destroy", Some("2")));
        assert_eq!(
            p("a/1/b/2/c", Method::Get).unwrap_err().code,
            Code::ResourceNotFound
        );
        assert_eq!(
            p("samples/a%20b", Method::Get).unwrap().tk.as_deref(),
            Some("a b")
        );
    }

    #[test]
    fn bad_action_names() {
        assert_eq!(
            p("samples:1x", Method::Get).unwrap_err().code,
            Code::ActionNotFound
        );
        assert_eq!(p("", Method::Get).unwrap_err().code, Code::ResourceNotFound);
    }
}
