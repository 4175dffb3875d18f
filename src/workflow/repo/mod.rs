//! The workflow tables' SQL, one module per aggregate: [`workflows`] (versions with their nodes) and
//! [`executions`] (executions with their jobs). Handlers, the processor and the queue say what to read or
//! write through these functions and hold no SQL text; the rows' Rust and JSON forms are in `model.rs`.
//!
//! Every function takes the caller's connection, so a handler still decides what one transaction holds.

pub mod executions;
pub mod workflows;
