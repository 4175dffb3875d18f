//! Data events (triggers-and-nodes.md §2.2): every create, update and destroy of a collection row made
//! through the records repository, one event per record, handed to the app's listener inside the
//! writing transaction — so what the listener queues or runs commits with the write or not at all.
//!
//! The records layer knows nothing of workflows: it asks [`Listener::wants`] before doing the extra
//! reads an event needs (the old values of an update, the row of a destroy), and hands the events to
//! [`Listener::raise`] on the same connection.

use rusqlite::Connection;
use serde_json::Value;

use super::registry::{Collection, Schema};
use crate::app::App;
use crate::error::Result;

/// What happened to a record; the numbers are the collection trigger's mode bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create = 1,
    Update = 2,
    Destroy = 4,
}

impl Op {
    pub fn bit(self) -> i64 {
        self as i64
    }
}

/// One record's event.
#[derive(Debug, Clone)]
pub struct Event {
    pub op: Op,
    pub id: i64,
    /// Destroy: the row as it was (the listener cannot read it any more).
    pub before: Option<Value>,
    /// Update: the columns whose stored value really changed (writing the same value is no change).
    pub changed: Vec<String>,
}

/// Who writes: the app (its listener) and the chain of workflow versions whose runs led to this write
/// (empty for a request's own write; a workflow node's write carries its run's chain, for the recursion
/// limit).
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    /// `None`: nobody listens (the records layer's own unit tests, which have no app).
    pub app: Option<&'a App>,
    pub stack: &'a [i64],
}

impl<'a> Origin<'a> {
    /// A write made for a request or a start-up step, not by a workflow run.
    pub fn request(app: &'a App) -> Origin<'a> {
        Origin {
            app: Some(app),
            stack: &[],
        }
    }

    /// A write nobody hears.
    pub fn unheard() -> Origin<'static> {
        Origin {
            app: None,
            stack: &[],
        }
    }
}

/// The app's data-event listener (the collection trigger); plain functions so the records layer needs
/// no workflow type.
#[derive(Clone, Copy)]
pub struct Listener {
    /// Whether any enabled workflow listens to `op` on `coll` (read in the writing transaction).
    pub wants: fn(&App, &Connection, &Collection, Op) -> Result<bool>,
    /// Handles the events of one records call, in the writing transaction.
    pub raise: fn(&Origin, &Connection, &Schema, &Collection, Vec<Event>) -> Result<()>,
}

impl Origin<'_> {
    pub fn wants(&self, conn: &Connection, coll: &Collection, op: Op) -> Result<bool> {
        match self.app {
            Some(app) => (app.listener.wants)(app, conn, coll, op),
            None => Ok(false),
        }
    }

    pub fn raise(
        &self,
        conn: &Connection,
        schema: &Schema,
        coll: &Collection,
        events: Vec<Event>,
    ) -> Result<()> {
        match self.app {
            Some(app) if !events.is_empty() => {
                (app.listener.raise)(self, conn, schema, coll, events)
            }
            _ => Ok(()),
        }
    }
}
