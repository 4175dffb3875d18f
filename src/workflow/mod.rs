//! Workflows: the model and management API, the processor, node types, templates and expressions, and
//! the durable async queue.

pub mod basic;
pub mod compare;
pub mod expr;
mod num;
pub mod template;
