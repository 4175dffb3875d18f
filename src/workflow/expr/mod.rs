//! Expression engines for `calculation` nodes and conditions with an `engine` (NocoBase's
//! `@nocobase/evaluators`; docs/expressions.md).
//!
//! `math.js` and `formula.js` run the real libraries — mathjs and @formulajs/formulajs, vendored —
//! inside a QuickJS sandbox (`js`): `{{path}}` placeholders become variables (`vars`), so the text
//! handed to the sandbox is fixed per node and values are never pasted into code. The `string`
//! engine is a template only and needs no sandbox.

mod js;
pub mod vars;

use serde_json::Value;

use super::template::Lookup;

pub use js::TIME_LIMIT;

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
            let scope = Value::Object(bound.scope).to_string();
            js::run(engine, &bound.text, &scope)
        }
        "string" => Ok(Value::String(vars::interpolate(source, lookup))),
        // NocoBase answers null for an engine it does not know (node configs refuse one anyway).
        _ => Ok(Value::Null),
    }
}

#[cfg(test)]
mod tests;
