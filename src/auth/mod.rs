//! Authentication: who is calling (token → user → role), sign-in and its rate limit, passwords, API keys
//! and the users API. ACL decisions live in `acl`.

pub mod api_keys;
pub mod bootstrap;
pub mod handlers;
pub mod password;
pub mod ratelimit;
pub mod repo;
pub mod token;
pub mod users;

use serde_json::{json, Value};

use crate::app::App;
use crate::error::{Code, Error, Result};

/// A user as the API shows it: never with a password or its hash.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: Option<String>,
    pub email: Option<String>,
    pub nickname: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl User {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "username": self.username,
            "email": self.email,
            "nickname": self.nickname,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The current role (X-Role, the API key's role, or the default).
    pub role: String,
    /// All roles of the user in assignment order.
    pub roles: Vec<String>,
    pub token_id: i64,
    pub via_api_key: bool,
}

const SESSION_EXPIRED: &str = "Your session has expired. Please sign in again.";

fn fail(code: Code, message: &str) -> Error {
    Error::new(code, message)
}

/// What a caller presents (auth.md §4): an `Authorization` value, a `token` parameter, the wanted role
/// and authenticator. Doors fill it from their own words (HTTP headers and query).
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials<'a> {
    pub authorization: Option<&'a str>,
    pub token_param: Option<&'a str>,
    pub role: Option<&'a str>,
    pub authenticator: Option<&'a str>,
}

/// The bearer token, by the rules of auth.md §4 (`Authorization` wins over the `token` parameter).
fn extract_token(creds: &Credentials) -> Result<String> {
    if let Some(h) = creds.authorization {
        let h = h.trim();
        let (scheme, rest) = h.split_once(char::is_whitespace).unwrap_or((h, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(fail(Code::InvalidToken, SESSION_EXPIRED));
        }
        let t = rest.trim();
        if t.is_empty() {
            return Err(fail(
                Code::EmptyToken,
                "Unauthenticated. Please sign in to continue.",
            ));
        }
        return Ok(t.to_string());
    }
    match creds.token_param {
        Some(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        _ => Err(fail(
            Code::EmptyToken,
            "Unauthenticated. Please sign in to continue.",
        )),
    }
}

/// Token → user → role, with every 401 of auth.md §4 in its checking order.
pub fn authenticate(app: &App, creds: &Credentials) -> Result<Caller> {
    if let Some(a) = creds.authenticator {
        if a != "basic" {
            return Err(Error::new(
                Code::AuthenticatorNotFound,
                format!("Authenticator \"{a}\" not found"),
            ));
        }
    }
    let token = extract_token(creds)?;
    if !token::well_formed(&token) {
        return Err(fail(Code::InvalidToken, SESSION_EXPIRED));
    }
    let hash = token::hash(&token);
    let (row, roles) = app.store.read(|c| {
        let row = repo::token_by_hash(c, &hash)?;
        let roles = match row.as_ref().and_then(|t| t.user.as_ref()) {
            Some(u) => repo::user_roles(c, u.id)?,
            None => Vec::new(),
        };
        Ok((row, roles))
    })?;
    let row = row.ok_or_else(|| fail(Code::InvalidToken, SESSION_EXPIRED))?;
    match row.revoked.as_deref() {
        Some("password") => {
            return Err(fail(
                Code::InvalidToken,
                "User password changed, please signin again.",
            ))
        }
        Some(_) => return Err(fail(Code::BlockedToken, SESSION_EXPIRED)),
        None => {}
    }
    if row.expires_ms.is_some_and(|e| e <= crate::time::now_ms()) {
        return Err(fail(Code::ExpiredSession, SESSION_EXPIRED));
    }
    let user = row.user.ok_or_else(|| {
        fail(
            Code::NotExistUser,
            "User not found. Please sign in again to continue.",
        )
    })?;
    if roles.is_empty() {
        return Err(fail(
            Code::UserHasNoRoles,
            "The current user has no roles. Please try another account.",
        ));
    }
    let via_api_key = row.kind == "apikey";
    let wanted = if via_api_key {
        row.role_name.clone()
    } else {
        creds.role.filter(|r| !r.is_empty()).map(str::to_string)
    };
    let role = match wanted {
        Some(r) => roles
            .iter()
            .find(|held| held.eq_ignore_ascii_case(&r))
            .cloned()
            .ok_or_else(|| {
                fail(
                    Code::RoleNotFoundForUser,
                    "The role does not belong to the user",
                )
            })?,
        None => roles[0].clone(),
    };
    Ok(Caller {
        user,
        role,
        roles,
        token_id: row.id,
        via_api_key,
    })
}

pub use repo::{load_user, user_roles};
