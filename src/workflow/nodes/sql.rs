//! sql (triggers-and-nodes.md §8): one statement on flowgate's own SQLite, in the node's write (the run's
//! transaction when it has one), its rows as the result.
//!
//! Values are always bound, never pasted into the text:
//! - by default `:name` placeholders are bound to the resolved `variables` (the text itself is not a
//!   template, as in NocoBase);
//! - with `unsafeInjection: true` NocoBase pastes each `{{…}}` into the text. flowgate binds it instead:
//!   outside quotes a placeholder becomes a parameter bound to its value (`{{v}} + 1` with v = 5 gives 6,
//!   a number stays a number); inside a quoted literal the literal is split and joined with `||` around
//!   a parameter bound to the value's text (`'a{{v}}b'` → `'a' || :p || 'b'`), so the result is NocoBase's
//!   while a quote in a value stays data. A placeholder cannot make SQL: one inside a double-quoted
//!   identifier fails the job, one inside a comment is dropped.
//!
//! What the statement may touch is the authorizer's rule in `collections::raw_sql`: rows of collection
//! tables only.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::{invalid, Field, Instruction, ObjectOnly, Step};
use crate::collections::raw_sql;
use crate::collections::sql::SqlValue;
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};
use crate::workflow::template::{self, Piece};

pub struct Sql;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SqlConfig {
    pub sql: Field<String>,
    pub variables: Field<Vec<Variable>>,
    pub unsafe_injection: Field<bool>,
    pub with_meta: Field<bool>,
    /// `main` when absent; flowgate has no other.
    pub data_source: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Variable {
    pub name: Field<String>,
    /// A template.
    pub value: Value,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

/// The prefix of the parameters flowgate makes for `unsafeInjection` placeholders.
const TEMPLATE_PARAM: &str = "__fg_t";

impl Instruction for Sql {
    type Config = SqlConfig;

    fn check(&self, c: &SqlConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        c.sql.check("sql", "\"sql\" must be a string", &mut out);
        c.variables
            .check("variables", "\"variables\" must be an array", &mut out);
        for (i, v) in c.variables.get().into_iter().flatten().enumerate() {
            let field = format!("variables[{i}].name");
            match &v.name {
                Field::Valid(n) if n.is_empty() => {
                    out.push(invalid(
                        &field,
                        format!("\"{field}\" is not allowed to be empty"),
                    ));
                }
                name => name.require(&field, &format!("\"{field}\" is required"), &mut out),
            }
        }
        c.unsafe_injection.check(
            "unsafeInjection",
            "\"unsafeInjection\" must be a boolean",
            &mut out,
        );
        c.with_meta
            .check("withMeta", "\"withMeta\" must be a boolean", &mut out);
        c.data_source
            .check("dataSource", "\"dataSource\" must be a string", &mut out);
        out
    }

    /// flowgate checks the data source at creation (§13); NocoBase finds an unknown one at run time.
    fn check_schema(&self, c: &SqlConfig, _schema: &Schema) -> Vec<Entry> {
        data_source(c)
            .err()
            .map(|e| invalid("dataSource", e))
            .into_iter()
            .collect()
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        c: &SqlConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        if let Err(e) = data_source(c) {
            return Step::error(e);
        }
        let text = c.sql.get().map_or("", |s| s.trim());
        if text.is_empty() {
            return Step::resolved(Value::Null);
        }
        let (sql, params) = if c.unsafe_injection.get() == Some(&true) {
            match bind_templates(text, &|path| p.lookup(path)) {
                Ok(bound) => bound,
                Err(e) => return Step::error(e),
            }
        } else {
            (text.to_string(), variables(p, c))
        };
        let schema = p.app.registry.snapshot();
        match p.write(|conn| raw_sql::run(conn, schema, &sql, &params)) {
            Ok(ran) if c.with_meta.get() == Some(&true) => {
                Step::resolved(json!([ran.rows, { "changes": ran.changes }]))
            }
            Ok(ran) => Step::resolved(Value::Array(ran.rows)),
            Err(e) => Step::error(e.cause()),
        }
    }
}

fn data_source(c: &SqlConfig) -> Result<(), String> {
    match c.data_source.get().map(String::as_str) {
        None | Some("main") => Ok(()),
        Some(other) => Err(format!("Data source \"{other}\" does not exist")),
    }
}

/// The variables' resolved values by name (a later one of the same name wins; nameless ones are left out).
fn variables(p: &Processor, c: &SqlConfig) -> HashMap<String, SqlValue> {
    let vars = c.variables.get().into_iter().flatten();
    vars.filter_map(|v| {
        let name = v.name.get().filter(|n| !n.is_empty())?;
        Some((name.clone(), sql_value(&p.render(&v.value))))
    })
    .collect()
}

/// A JSON value as the value bound: numbers stay numbers, booleans are 1/0 (SQLite has no booleans),
/// objects and arrays their JSON text.
fn sql_value(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// Where the scanner of a template's literal text is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    Code,
    /// Inside `'…'`.
    Literal,
    /// Inside `"…"` (or `[…]`, `` `…` ``): an identifier.
    Identifier(char),
    LineComment,
    BlockComment,
}

/// `unsafeInjection`: each placeholder of `text` replaced by a parameter bound to its value (see the
/// module's comment). Errors when a placeholder stands inside an identifier.
fn bind_templates(
    text: &str,
    lookup: &template::Lookup,
) -> Result<(String, HashMap<String, SqlValue>), String> {
    let mut sql = String::new();
    let mut params = HashMap::new();
    let mut at = At::Code;
    for piece in template::split_placeholders(text) {
        match piece {
            Piece::Text(t) => {
                at = scan(t, at);
                sql.push_str(t);
            }
            Piece::Var(path) => {
                let value = lookup(path).unwrap_or(Value::Null);
                let name = format!("{TEMPLATE_PARAM}{}", params.len());
                match at {
                    At::Code => {
                        sql.push_str(&format!(":{name}"));
                        params.insert(name, sql_value(&value));
                    }
                    At::Literal => {
                        sql.push_str(&format!("' || :{name} || '"));
                        params.insert(name, SqlValue::Text(template::value_text(&value)));
                    }
                    At::Identifier(_) => {
                        return Err(format!(
                        "A template cannot name a table or column in the sql node: {{{{{path}}}}}"
                    ))
                    }
                    At::LineComment | At::BlockComment => {}
                }
            }
        }
    }
    Ok((sql, params))
}

/// The state after the literal text `t`, starting `at` (quotes doubled inside a literal toggle twice).
fn scan(t: &str, mut at: At) -> At {
    let mut chars = t.chars().peekable();
    while let Some(ch) = chars.next() {
        at = match (at, ch) {
            (At::Code, '\'') => At::Literal,
            (At::Code, '"' | '`') => At::Identifier(ch),
            (At::Code, '[') => At::Identifier(']'),
            (At::Code, '-') if chars.peek() == Some(&'-') => At::LineComment,
            (At::Code, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                At::BlockComment
            }
            (At::Literal, '\'') => At::Code,
            (At::Identifier(close), c) if c == close => At::Code,
            (At::LineComment, '\n') => At::Code,
            (At::BlockComment, '*') if chars.peek() == Some(&'/') => {
                chars.next();
                At::Code
            }
            (same, _) => same,
        };
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(text: &str) -> (String, Vec<(String, SqlValue)>) {
        let lookup = |path: &str| match path {
            "$context.data.v" => Some(json!(5)),
            "$context.data.t" => Some(json!("it's")),
            _ => None,
        };
        let (sql, params) = bind_templates(text, &lookup).expect("bound");
        let mut params: Vec<_> = params.into_iter().collect();
        params.sort_by(|a, b| a.0.cmp(&b.0));
        (sql, params)
    }

    #[test]
    fn templates_become_bound_parameters_never_text() {
        assert_eq!(
            bound("select {{$context.data.v}} + 1 as n"),
            (
                "select :__fg_t0 + 1 as n".to_string(),
                vec![("__fg_t0".to_string(), SqlValue::Integer(5))]
            )
        );
        assert_eq!(
            bound("select 'x{{$context.data.t}}y' as s, '{{$context.data.v}}' as n"),
            (
                "select 'x' || :__fg_t0 || 'y' as s, '' || :__fg_t1 || '' as n".to_string(),
                vec![
                    ("__fg_t0".to_string(), SqlValue::Text("it's".into())),
                    ("__fg_t1".to_string(), SqlValue::Text("5".into())),
                ]
            )
        );
        assert_eq!(
            bound("select 1 -- {{$context.data.v}}\n, 'a''{{$context.data.missing}}' /* {{x}} */"),
            (
                "select 1 -- \n, 'a''' || :__fg_t0 || '' /*  */".to_string(),
                vec![("__fg_t0".to_string(), SqlValue::Text(String::new()))]
            )
        );
        let lookup = |_: &str| Some(json!("samples"));
        assert!(bind_templates("select * from \"{{t}}\"", &lookup).is_err());
        assert!(bind_templates("select * from [{{t}}]", &lookup).is_err());
    }
}
