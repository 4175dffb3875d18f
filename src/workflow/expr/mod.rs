//! Expression engines for `calculation` nodes and conditions with an `engine` (NocoBase's
//! `@nocobase/evaluators`; docs/expressions.md).
//!
//! `math.js` and `formula.js` run the real libraries — mathjs and @formulajs/formulajs, vendored —
//! inside a QuickJS sandbox (`js`): `{{path}}` placeholders become variables (`vars`), so the text
//! handed to the sandbox is fixed per node and values are never pasted into code. The `string`
//! engine is a template only and needs no sandbox.

mod arith;
mod js;
pub mod script;
pub mod vars;

use serde_json::Value;

use super::template::Lookup;

pub use js::{Doomed, TIME_LIMIT};

/// Evaluates `source` with the named engine as NocoBase does: `Ok` is the job's result,
/// `Err` the text NocoBase stores as a failed job's result (`e.toString()`).
pub fn evaluate(engine: &str, source: &str, lookup: &Lookup) -> Result<Value, String> {
    // NocoBase evaluates nothing for an empty expression (one of spaces is evaluated).
    if source.is_empty() {
        return Ok(Value::Null);
    }
    match engine {
        "math.js" | "formula.js" => {
            let bound = vars::bind(source, lookup);
            if engine == "math.js" {
                if let Some(v) = arith::evaluate(&bound.text, &bound.scope) {
                    return Ok(v);
                }
            }
            let scope = Value::Object(bound.scope).to_string();
            js::run(engine, &bound.text, &scope)
        }
        "string" => Ok(Value::String(vars::interpolate(source, lookup))),
        // NocoBase answers null for an engine it does not know (node configs refuse one anyway).
        _ => Ok(Value::Null),
    }
}

/// What fails every evaluation of `source` with `engine`, whatever the variables, found without
/// running it (node validation; see [`js::check`]). The text is checked as the engine receives it,
/// templates turned into `$$n` variables. `None` also for the string engine, an empty expression
/// and a sandbox that did not start: validation never refuses what it could not decide.
pub fn doomed(engine: &str, source: &str) -> Option<Doomed> {
    if source.is_empty() || !matches!(engine, "math.js" | "formula.js") {
        return None;
    }
    let bound = vars::bind(source, &|_| None);
    js::check(engine, &bound.text).ok().flatten()
}

impl Doomed {
    /// The refusal, naming what fails and the fix, for an `expression` evaluated with `engine`.
    pub fn message(&self, engine: &str) -> String {
        match self {
            Doomed::Fails(error) => format!(
                "{engine} cannot run this expression: {error} (every run would fail so, on NocoBase \
                 too); fix the expression"
            ),
            Doomed::UndefinedFunction {
                name,
                lower,
                formula,
            } => {
                let fix = match (lower, formula) {
                    (Some(l), true) => format!("use {l}, or the formula.js engine"),
                    (Some(l), false) => format!("use {l}"),
                    (None, true) => "use the formula.js engine".to_string(),
                    (None, false) => {
                        "use a mathjs function, or define it in the expression first".to_string()
                    }
                };
                format!(
                    "math.js has no function {name} (NocoBase: \"Undefined function {name}\"); {fix}"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests;
