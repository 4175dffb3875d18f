//! auth:signIn, auth:check, auth:signOut, auth:changePassword (auth.md §2).

use serde_json::{json, Map, Value};

use super::{password, ratelimit, repo, token};
use crate::action::Ctx;
use crate::action::Input;
use crate::app::App;
use crate::error::{bad, Code, Error, Result};
use crate::reply::Reply;

fn str_value<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// `429 TOO_MANY_ATTEMPTS` with `Retry-After` (auth.md §5), for `what` (sign-in, password).
fn too_many(what: &str) -> impl Fn(u64) -> Error + '_ {
    move |retry_after_secs| {
        bad(
            Code::TooManyAttempts,
            format!("Too many failed {what} attempts, please try again later"),
        )
        .header("Retry-After", retry_after_secs.to_string())
    }
}

/// Public: `{account|email|username, password}` → `{token, user}`. The rate limit counts the attempt
/// before the hash is checked (auth.md §5), per user (username and email together) and per IP.
pub fn sign_in(app: &App, req: &Input) -> Result<Reply> {
    let values = req.values_or_empty()?;
    let account = str_value(&values, "account")
        .or_else(|| str_value(&values, "email"))
        .or_else(|| str_value(&values, "username"))
        .map(str::trim)
        .ok_or_else(|| bad(Code::AccountRequired, "Please enter your username or email"))?;
    let given = values.get("password").and_then(Value::as_str).unwrap_or("");
    let found = app.store.read(|c| repo::user_by_account(c, account))?;
    let key = ratelimit::account_key(found.as_ref().map(|(u, _)| u.id), account);
    let attempt = app
        .limiter
        .begin(&key, req.peer_ip)
        .map_err(too_many("sign-in"))?;
    // One argon2 verification whatever the account and the password (unknown account: a decoy hash;
    // empty password: verified and then refused), so the answer's time tells nothing.
    let verified = match &found {
        Some((_, phc)) => app.hasher.verify(given, phc),
        None => app.hasher.verify_decoy(given),
    };
    let user = match found {
        Some((user, _)) if verified && !given.is_empty() => user,
        _ => {
            return Err(bad(
                Code::InvalidCredentials,
                "The username/email or password is incorrect, please re-enter",
            ))
        }
    };
    app.limiter.succeed(attempt);
    let ttl = app.config.serve.token_ttl.as_millis() as i64;
    let token = app.store.write(|c| token::issue_session(c, user.id, ttl))?;
    Ok(Reply::data(
        json!({ "token": token, "user": user.to_json() }),
    ))
}

/// The current user with roles.
pub fn check(ctx: &Ctx) -> Result<Reply> {
    let roles = ctx
        .app
        .store
        .read(|c| repo::roles_json(c, ctx.caller.user.id))?;
    let mut user = ctx.caller.user.to_json();
    user["roles"] = roles;
    Ok(Reply::data(user))
}

pub fn sign_out(ctx: &Ctx) -> Result<Reply> {
    let id = ctx.caller.token_id;
    let via_key = ctx.caller.via_api_key;
    ctx.app.store.write(|c| {
        // Signing out with an API key does not destroy the key; only apiKeys:destroy does.
        if !via_key {
            repo::revoke_token(c, id, repo::Revoked::SignOut)?;
        }
        Ok(())
    })?;
    Ok(Reply::empty())
}

pub fn change_password(ctx: &Ctx) -> Result<Reply> {
    let values = ctx.input.values_or_empty()?;
    let old = values
        .get("oldPassword")
        .and_then(Value::as_str)
        .unwrap_or("");
    let new = values
        .get("newPassword")
        .and_then(Value::as_str)
        .unwrap_or("");
    let confirm = values
        .get("confirmPassword")
        .and_then(Value::as_str)
        .unwrap_or("");
    if new != confirm {
        return Err(bad(
            Code::PasswordMismatch,
            "The password is inconsistent, please re-enter",
        ));
    }
    password::check_length(new)?;
    let user_id = ctx.caller.user.id;
    let phc: String = ctx
        .app
        .store
        .read(|c| repo::password_hash(c, user_id))?
        .ok_or_else(|| {
            Error::new(
                Code::NotExistUser,
                "User not found. Please sign in again to continue.",
            )
        })?;
    // The old password is guessed like a sign-in: the same limit, counted for the same user.
    let attempt = ctx
        .app
        .limiter
        .begin(
            &ratelimit::account_key(Some(user_id), ""),
            ctx.input.peer_ip,
        )
        .map_err(too_many("password"))?;
    if !ctx.app.hasher.verify(old, &phc) {
        return Err(bad(
            Code::InvalidPassword,
            "The password is incorrect, please re-enter",
        ));
    }
    ctx.app.limiter.succeed(attempt);
    let hashed = ctx.app.hasher.hash(new)?;
    let user = ctx
        .app
        .store
        .write(|c| super::users::set_password(c, user_id, &hashed))?;
    Ok(Reply::data(user.to_json()))
}
