//! Workflows: the model and management API, the processor, node types, templates and expressions, and
//! the durable async queue, and the scheduler (the door of time events).

pub mod api;
pub mod basic;
pub mod cache;
pub mod compare;
pub mod dry_run;
pub mod engine;
pub mod expr;
pub mod model;
pub mod node_edit;
pub mod node_test;
pub mod nodes;
mod num;
pub mod queue;
pub mod repo;
pub mod rerun;
pub mod retention;
pub mod retry;
pub mod scheduler;
pub mod stats;
pub mod template;
pub mod triggers;
