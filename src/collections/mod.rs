//! Collections (user-defined tables), their fields and associations, and the records API over them.

pub mod names;
pub mod records;
pub mod registry;

pub use registry::{Collection, Field, Registry, Schema};
