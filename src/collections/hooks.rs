//! What a records action (`create`, `update`, `destroy`, on a collection or an association resource)
//! asks before and after it writes: the pre-action (`request-interception`) and post-action (`action`)
//! triggers of triggers-and-nodes.md §4–§5. Plain functions the app sets (`App::hooks`), so the records
//! layer names no workflow type; the ACL was decided before the action, so a refused caller runs
//! nothing.
//!
//! Reads (`list`, `get`) ask nothing: flowgate's interception is about writes (§13 allows either;
//! NocoBase also runs local interception workflows on reads).

use rusqlite::Connection;
use serde_json::{json, Value};

use super::registry::{Collection, Schema};
use crate::action::Ctx;
use crate::error::{Error, Result};
use crate::reply::Reply;

/// The records action being done, by its NocoBase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Create,
    Update,
    Destroy,
}

impl Verb {
    pub fn name(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Destroy => "destroy",
        }
    }
}

/// What the workflows said about one action: the `response-message` texts (pre-action ones first), and
/// after the action, a failed post-action run (the status to answer with and the error; the write stays).
#[derive(Debug, Default)]
pub struct Said {
    pub messages: Vec<String>,
    pub failed_after: Option<(u16, Error)>,
}

/// The pre-action hook: see [`Hooks::before`].
pub type Before = fn(&Ctx, &Collection, Verb, &mut Said) -> Result<Option<Reply>>;

/// The post-action hook: see [`Hooks::after`].
pub type After = fn(&Ctx, &Connection, &Schema, &Collection, Verb, &[i64], &mut Said) -> Result<()>;

#[derive(Clone, Copy)]
pub struct Hooks {
    /// Before the action: runs its pre-action workflows, each committed in a write of its own.
    /// `Ok(Some(reply))` answers instead of the action (an `end` node resolved the run); `Err` refuses it.
    pub before: Before,
    /// In the action's writing transaction, after it wrote the rows `ids`: runs the sync post-action
    /// workflows and queues the async ones there, so what they queue commits with the write.
    pub after: After,
}

/// The action's answer `data` with what the workflows said: `messages` beside it, or, when a post-action
/// run failed, that run's error with `data` (the written rows: the write happened, §13).
pub fn answer(data: Value, said: Said) -> Reply {
    let messages: Vec<Value> = said
        .messages
        .iter()
        .map(|m| json!({ "message": m }))
        .collect();
    match said.failed_after {
        Some((status, err)) => {
            let mut body = err.body();
            body["data"] = data;
            Reply::raw(status, body)
        }
        None if messages.is_empty() => Reply::data(data),
        None => Reply::raw(200, json!({ "data": data, "messages": messages })),
    }
}
