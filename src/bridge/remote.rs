//! A small blocking client for a live NocoBase or flowgate (bridge.md §1, §2.1): `http://`/`https://`
//! only, sign-in with the basic authenticator (or a given token), then `Authorization: Bearer` and
//! `X-Role` on every call. Redirects are followed only within the same origin, so the token never goes to
//! another host. Errors name the call and the server's answer, never the token or the password.

use std::io::Read;
use std::time::Duration;

use serde_json::{json, Value};

/// One call's deadline (connect, send and read): a pull reads a few lists, each answered in well under a
/// second by a healthy server; a minute means it is not answering.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Same-origin redirects followed before giving up (a proxy's `/api` → `/api/` rewrite, no more).
const MAX_REDIRECTS: usize = 5;
/// An answer larger than this is refused rather than held in memory (ureq's own string limit is 10 MB,
/// too small for a large app's `collections:list` or `--records`).
const MAX_BODY: u64 = 512 * 1024 * 1024;

/// How to sign in.
pub enum Auth {
    /// A NocoBase API key or a flowgate token: used as is.
    Token(String),
    /// `auth:signIn` with `X-Authenticator: basic`.
    Password { account: String, password: String },
}

/// A server's answer to one call: its status and its body as JSON (`null` when it was not JSON).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    /// The server's own words: `errors[0].message`, else a short statement of what came back.
    pub fn message(&self) -> String {
        match self
            .body
            .pointer("/errors/0/message")
            .and_then(Value::as_str)
        {
            Some(m) => m.to_string(),
            None if self.body.is_null() => "no JSON body".to_string(),
            None => "no error message".to_string(),
        }
    }
}

/// A signed-in session with one server.
pub struct Remote {
    agent: ureq::Agent,
    /// `scheme://host[:port][/prefix]` without a trailing slash.
    base: String,
    /// `scheme://host:port`, what a redirect must keep.
    origin: String,
    token: String,
    role: String,
}

impl std::fmt::Debug for Remote {
    // The token stays out of every debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("base", &self.base)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Checks the address: `http://` or `https://`, a host, no credentials inside it (they would show in
/// errors). Returns the base without a trailing slash and its origin.
pub fn check_url(url: &str) -> Result<(String, String), String> {
    let base = url.trim_end_matches('/');
    let origin = origin_of(base).ok_or_else(|| {
        format!("{url} is not an http:// or https:// address; give the server's address, e.g. http://127.0.0.1:13000")
    })?;
    if authority(base).is_some_and(|a| a.contains('@')) {
        return Err(
            "the address holds credentials; give them with --account/--password or --token".into(),
        );
    }
    Ok((base.to_string(), origin))
}

/// `scheme://host:port` of an absolute http(s) URL, lower-cased, with the scheme's default port filled in.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let host_port = authority(url)?;
    let host_port = host_port.rsplit('@').next().unwrap_or(host_port);
    if host_port.is_empty() {
        return None;
    }
    let has_port = host_port
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let host_port = host_port.to_ascii_lowercase();
    Some(if has_port {
        format!("{scheme}://{host_port}")
    } else {
        format!("{scheme}://{host_port}:{default_port}")
    })
}

fn authority(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(""))
}

impl Remote {
    /// Opens a session: checks the address and signs in (or takes the token). `role` goes out as `X-Role`.
    pub fn connect(url: &str, auth: &Auth, role: &str) -> Result<Remote, String> {
        let (base, origin) = check_url(url)?;
        let agent = ureq::AgentBuilder::new()
            .timeout(TIMEOUT)
            .redirects(0)
            .build();
        let mut remote = Remote {
            agent,
            base,
            origin,
            token: String::new(),
            role: role.to_string(),
        };
        remote.token = match auth {
            Auth::Token(t) => t.clone(),
            Auth::Password { account, password } => remote.sign_in(account, password)?,
        };
        Ok(remote)
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn role(&self) -> &str {
        &self.role
    }

    fn sign_in(&self, account: &str, password: &str) -> Result<String, String> {
        let body = json!({"account": account, "password": password});
        let call = "POST /api/auth:signIn";
        let answer = self.send("POST", "auth:signIn", &[], Some(&body), call)?;
        if answer.status != 200 {
            return Err(format!(
                "sign-in as {account} failed ({call}: {} {})",
                answer.status,
                answer.message()
            ));
        }
        answer
            .body
            .pointer("/data/token")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "{call}: 200 without data.token; is {} a NocoBase or flowgate?",
                    self.base
                )
            })
    }

    /// `GET /api/<action>` with `query`, whatever the status.
    pub fn get(&self, action: &str, query: &[(&str, &str)]) -> Result<Answer, String> {
        self.send("GET", action, query, None, &format!("GET /api/{action}"))
    }

    /// `<method> /api/<action>` with `query` and `body`, whatever the status (push's writes).
    pub fn call(
        &self,
        method: &str,
        action: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Answer, String> {
        self.send(
            method,
            action,
            query,
            body,
            &format!("{method} /api/{action}"),
        )
    }

    /// `GET /api/<action>`'s `data` when it answers 200; any other status is an error naming the call.
    pub fn data(&self, action: &str, query: &[(&str, &str)]) -> Result<Value, String> {
        let answer = self.get(action, query)?;
        if answer.status != 200 {
            return Err(format!(
                "GET /api/{action}: {} {}",
                answer.status,
                answer.message()
            ));
        }
        Ok(answer.body.get("data").cloned().unwrap_or(Value::Null))
    }

    fn send(
        &self,
        method: &str,
        action: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        call: &str,
    ) -> Result<Answer, String> {
        let mut url = format!("{}/api/{action}", self.base);
        for _ in 0..=MAX_REDIRECTS {
            let mut req = self.agent.request(method, &url);
            for (k, v) in query {
                req = req.query(k, v);
            }
            req = req.set("X-Authenticator", "basic");
            if !self.token.is_empty() {
                req = req
                    .set("Authorization", &format!("Bearer {}", self.token))
                    .set("X-Role", &self.role);
            }
            let sent = match body {
                Some(b) => req
                    .set("Content-Type", "application/json")
                    .send_string(&b.to_string()),
                // NocoBase's writes read a JSON body; an action without one gets `{}`.
                None if method == "POST" => req
                    .set("Content-Type", "application/json")
                    .send_string("{}"),
                None => req.call(),
            };
            let res = match sent {
                Ok(res) => res,
                Err(ureq::Error::Status(_, res)) => res,
                Err(ureq::Error::Transport(t)) => {
                    let detail = t.message().map(|m| format!(" ({m})")).unwrap_or_default();
                    return Err(format!(
                        "{call}: cannot reach {}: {}{detail}",
                        self.base,
                        t.kind()
                    ));
                }
            };
            if !(300..400).contains(&res.status()) {
                return Ok(read_answer(res, call));
            }
            url = self.redirect_target(&res, call)?;
        }
        Err(format!("{call}: more than {MAX_REDIRECTS} redirects"))
    }

    /// Where a 3xx answer points, when it stays on the same origin.
    fn redirect_target(&self, res: &ureq::Response, call: &str) -> Result<String, String> {
        let location = res
            .header("Location")
            .ok_or_else(|| format!("{call}: {} without a Location", res.status()))?;
        let target = if location.starts_with('/') {
            format!("{}{location}", self.origin)
        } else {
            location.to_string()
        };
        if origin_of(&target).as_deref() != Some(self.origin.as_str()) {
            return Err(format!(
                "{call}: the server redirects to another host ({}); the bridge does not follow it, give that address with --from/--to if you trust it",
                origin_of(&target).unwrap_or_else(|| "not an http(s) address".into())
            ));
        }
        Ok(target)
    }
}

fn read_answer(res: ureq::Response, call: &str) -> Answer {
    let status = res.status();
    let mut bytes = Vec::new();
    let read = res.into_reader().take(MAX_BODY + 1).read_to_end(&mut bytes);
    let body = match read {
        Ok(n) if (n as u64) <= MAX_BODY => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        Ok(_) => {
            json!({"errors": [{"message": format!("{call}: answer larger than {MAX_BODY} bytes")}]})
        }
        Err(e) => json!({"errors": [{"message": format!("answer cut off: {e}")}]}),
    };
    Answer { status, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_addresses_without_credentials_are_accepted() {
        assert_eq!(
            check_url("http://127.0.0.1:13000/").unwrap(),
            (
                "http://127.0.0.1:13000".to_string(),
                "http://127.0.0.1:13000".to_string()
            )
        );
        assert_eq!(
            check_url("https://Example.com/app").unwrap().1,
            "https://example.com:443"
        );
        assert!(check_url("ftp://example.com").is_err());
        assert!(check_url("example.com").is_err());
        assert!(check_url("http://").is_err());
        assert!(check_url("http://u:secret@example.com").is_err());
    }

    #[test]
    fn a_redirect_keeps_the_origin_only_when_host_scheme_and_port_match() {
        assert_eq!(
            origin_of("http://a.example/x"),
            Some("http://a.example:80".into())
        );
        assert_eq!(
            origin_of("http://a.example:80/y"),
            origin_of("http://a.example/x")
        );
        assert_ne!(
            origin_of("https://a.example/x"),
            origin_of("http://a.example/x")
        );
        assert_ne!(
            origin_of("http://b.example/x"),
            origin_of("http://a.example/x")
        );
    }
}

/// Push speaks to the target through this client; an answer other than 2xx is an error with the status
/// and every message the target gave (NocoBase lists one per validation problem).
impl crate::bridge::push::Api for Remote {
    fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, crate::bridge::push::RemoteError> {
        let action = path.strip_prefix("/api/").unwrap_or(path);
        let query: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let answer = Remote::call(self, method, action, &query, body).map_err(|message| {
            crate::bridge::push::RemoteError {
                status: None,
                message,
            }
        })?;
        if (200..300).contains(&answer.status) {
            return Ok(answer.body);
        }
        let messages: Vec<&str> = answer
            .body
            .get("errors")
            .and_then(Value::as_array)
            .map(|es| {
                es.iter()
                    .filter_map(|e| e.get("message")?.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let message = if messages.is_empty() {
            answer.message()
        } else {
            messages.join("; ")
        };
        Err(crate::bridge::push::RemoteError {
            status: Some(answer.status),
            message,
        })
    }
}
