//! Collections (user-defined tables), their fields and associations, and the records API over them.
//!
//! Schema side: `define` (field definitions → plans), `ddl` (tables, indexes, rebuilds, the schema
//! change transaction), `schema_ops` (the changes), `schema_api` (HTTP). Records side: `values` (type
//! coercion), `filter` + `operators` (filter → SQL), `rows`, `appends`, `view` (reading and shaping),
//! `write` (values → rows), `records` (the Rust API), `record_api` (HTTP).

pub mod appends;
pub mod ddl;
pub mod define;
pub mod events;
pub mod filter;
pub mod hooks;
pub mod names;
pub mod operators;
pub mod raw_sql;
pub mod record_api;
pub mod records;
pub mod registry;
pub mod rows;
pub mod schema_api;
pub mod schema_ops;
pub mod sql;
pub mod values;
pub mod view;
pub mod write;

pub use registry::{Collection, Field, Registry, Schema};
