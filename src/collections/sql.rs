//! Small SQL helpers shared by the collection modules: identifier quoting, placeholder lists, id lists
//! and the mapping of SQLite constraint errors to API errors.
//!
//! Identifiers passed to [`q`] come from the schema registry (validated by `names`), never from request
//! text; values are always bound.

use rusqlite::ffi;

use crate::error::{bad, Code, Error};

pub use rusqlite::types::Value as SqlValue;

/// `IN (…)` over a list of ids bound as one parameter ([`id_list`], a JSON array): the SQL text and the
/// number of variables stay the same whatever the list's length (SQLite refuses over 32,766 variables,
/// and a text per length would crowd the statement cache).
pub const IN_IDS: &str = "IN (SELECT value FROM json_each(?))";

/// The one bound value of [`IN_IDS`].
pub fn id_list(ids: &[i64]) -> SqlValue {
    SqlValue::Text(serde_json::Value::from(ids.to_vec()).to_string())
}

/// `<column> = ?` for one id (the common case: a primary-key lookup the planner sees directly), else
/// `<column> IN (json_each(?))`; one bound value either way.
pub fn ids_match(column: &str, ids: &[i64]) -> (String, SqlValue) {
    match ids {
        [one] => (format!("{column} = ?"), SqlValue::Integer(*one)),
        _ => (format!("{column} {IN_IDS}"), id_list(ids)),
    }
}

/// `"name"`. Registry names cannot hold a quote; doubling one anyway keeps this safe on its own.
pub fn q(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// `?, ?, ?` for `n` bound values.
pub fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('?');
    }
    s
}

/// Ids without repeats, first occurrence kept.
pub fn dedup_ids(ids: &[i64]) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|i| seen.insert(*i)).collect()
}

pub fn constraint(message: impl Into<String>) -> Error {
    bad(Code::ConstraintViolation, message)
}

/// A failed write statement: UNIQUE and NOT NULL failures name their column (`<f> must be unique`), a
/// foreign key failure is a missing record; anything else is internal.
pub fn write_error(e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(err, Some(msg)) = &e {
        // "UNIQUE constraint failed: posts.title" → "title"
        let column = msg.rsplit(['.', ' ']).next().unwrap_or("").to_string();
        match err.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return constraint(format!("{column} must be unique"));
            }
            ffi::SQLITE_CONSTRAINT_NOTNULL => {
                return constraint(format!("{column} cannot be null"))
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                return constraint("record references a missing record")
            }
            _ => {}
        }
    }
    Error::from(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(q("posts"), "\"posts\"");
        assert_eq!(q("a\"b"), "\"a\"\"b\"");
        assert_eq!(placeholders(3), "?, ?, ?");
        assert_eq!(placeholders(0), "");
        assert_eq!(dedup_ids(&[3, 1, 3, 2, 1]), vec![3, 1, 2]);
    }
}
