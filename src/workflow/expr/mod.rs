//! Expression engines for `calculation` nodes and conditions with an `engine` (spec §6).
//!
//! `math.js` and `formula.js` select the same evaluator: source text is parsed with a pest
//! grammar into a tree and evaluated here; no host code is ever run. `{{path}}` placeholders
//! outside string literals are variables resolved through the lookup at evaluation time, so
//! values are never pasted into the source.

mod eval;
mod functions;
mod parser;

use serde_json::Value;

use super::template::{render_str, value_text, Lookup};

/// Operators, parentheses and words an expression may contain. Each one can add a level to
/// the tree, and building/evaluating the tree recurse per level (pest's own parse is guarded
/// by pest). The cap keeps hostile input from overflowing the stack of a 2 MiB runtime thread,
/// even in debug builds where a call nesting level costs several KiB (the
/// `limit_sized_inputs_*` test checks every nesting form at the cap on a 1 MiB thread), while
/// real formulas, a few dozen operators, stay far below it.
const MAX_NESTING_TOKENS: usize = 256;

/// Evaluates `source` with the named engine. Errors are `"SyntaxError: …"` for parse errors
/// and `"Error: …"` otherwise.
pub fn evaluate(engine: &str, source: &str, lookup: &Lookup) -> Result<Value, String> {
    match engine {
        "math.js" | "formula.js" => evaluate_formula(source, lookup),
        "string" => Ok(Value::String(string_engine(source, lookup))),
        other => Err(format!("Error: Unknown engine \"{other}\"")),
    }
}

/// The "string" engine: the template rendered as text (null → "").
fn string_engine(source: &str, lookup: &Lookup) -> String {
    value_text(&render_str(source, lookup))
}

fn evaluate_formula(source: &str, lookup: &Lookup) -> Result<Value, String> {
    if nesting_tokens(source) > MAX_NESTING_TOKENS {
        return Err(format!(
            "Error: Expression too complex (more than {MAX_NESTING_TOKENS} operators)"
        ));
    }
    let Some(tree) = parser::parse(source).map_err(|e| format!("SyntaxError: {e}"))? else {
        return Ok(Value::Null);
    };
    eval::eval(&tree, lookup)
        .map(eval::Val::into_json)
        .map_err(|e| format!("Error: {e}"))
}

/// Counts, outside string literals and placeholders, the characters and words that can open a
/// tree level: operator characters, parentheses, commas and identifiers/keywords. This bounds
/// the depth of the tree from above without parsing.
fn nesting_tokens(source: &str) -> usize {
    let mut count = 0;
    let mut chars = source.chars().peekable();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        let word_char = c.is_alphanumeric() || c == '_';
        if word_char && !in_word && !c.is_ascii_digit() {
            count += 1;
        }
        in_word = word_char;
        match c {
            '\'' | '"' => skip_string(&mut chars, c),
            '{' if chars.peek() == Some(&'{') => skip_placeholder(&mut chars),
            c if "()+-*/%^&|<>=!?:,".contains(c) => count += 1,
            _ => {}
        }
    }
    count
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>, quote: char) {
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == quote {
            return;
        }
    }
}

fn skip_placeholder(chars: &mut std::iter::Peekable<std::str::Chars>) {
    let mut previous = '\0';
    for c in chars.by_ref() {
        if previous == '}' && c == '}' {
            return;
        }
        previous = c;
    }
}

#[cfg(test)]
mod tests;
