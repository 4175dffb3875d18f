//! Plain arithmetic under math.js without the sandbox: an expression of number literals, `$$n`
//! variables bound to JSON numbers, `+ - * /`, unary minus and parentheses is what most calculation
//! nodes hold (`{{$context.data.amount}} * 1.1`), and mathjs evaluates it as IEEE doubles. Running it
//! here gives the same answer without a trip into QuickJS inside the write transaction (where a run's
//! nodes execute, holding the store's writer). Anything else — another operator or function, implicit
//! multiplication, a literal mathjs reads its own way, a variable that is not a number, a result that is
//! not finite or too large to be an exact integer — returns `None` and goes to the sandbox. The answer
//! is rounded as `math.round(x, 9)` does (mathjs 15: first to its relTol's 12 decimals when that is
//! nearly equal, then to 9, each half away from zero on the shortest decimal digits). The differential
//! test in `tests.rs` checks this against the sandbox on random expressions.

use serde_json::{Map, Value};

use crate::workflow::num::round_half_away;

/// mathjs's default tolerances (`config.relTol`, `config.absTol`).
const REL_TOL: f64 = 1e-12;
const ABS_TOL: f64 = 1e-15;

/// The result mathjs would store, or `None` when the expression is not plain arithmetic over numbers.
pub fn evaluate(text: &str, scope: &Map<String, Value>) -> Option<Value> {
    let tokens = tokens(text)?;
    let mut p = Parser {
        tokens: &tokens,
        at: 0,
        scope,
        depth: 0,
    };
    let x = p.sum()?;
    if p.at != tokens.len() || !x.is_finite() {
        return None;
    }
    json_number(round9(x))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Num(f64),
    Var(&'a str),
    Op(u8),
    Open,
    Close,
}

fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'+' | b'-' | b'*' | b'/' => {
                out.push(Token::Op(c));
                i += 1;
            }
            b'(' => {
                out.push(Token::Open);
                i += 1;
            }
            b')' => {
                out.push(Token::Close);
                i += 1;
            }
            b'$' if b.get(i + 1) == Some(&b'$') => {
                let start = i;
                i += 2;
                let digits = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == digits {
                    return None;
                }
                out.push(Token::Var(&text[start..i]));
            }
            b'0'..=b'9' => {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                // A leading zero before more digits is read otherwise by some parsers: leave it to mathjs.
                if b[start] == b'0' && i - start > 1 {
                    return None;
                }
                if i < b.len() && b[i] == b'.' {
                    i += 1;
                    let frac = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    if i == frac {
                        return None;
                    }
                }
                out.push(Token::Num(text[start..i].parse().ok()?));
            }
            _ => return None,
        }
        // Juxtaposition (`2 $$0`, `2(3)`, `(1)(2)`) is implicit multiplication in mathjs: not here.
        if let [.., a, b] = out.as_slice() {
            let operand_end = matches!(a, Token::Num(_) | Token::Var(_) | Token::Close);
            let operand_start = matches!(b, Token::Num(_) | Token::Var(_) | Token::Open);
            if operand_end && operand_start {
                return None;
            }
        }
    }
    Some(out)
}

struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
    scope: &'t Map<String, Value>,
    /// Open parentheses and unary minuses: deeper nesting goes to the sandbox, which limits its stack.
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl<'t, 'a> Parser<'t, 'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.at).copied()
    }

    fn sum(&mut self) -> Option<f64> {
        let mut x = self.product()?;
        while let Some(Token::Op(op @ (b'+' | b'-'))) = self.peek() {
            self.at += 1;
            let y = self.product()?;
            x = if op == b'+' { x + y } else { x - y };
        }
        Some(x)
    }

    fn product(&mut self) -> Option<f64> {
        let mut x = self.unary()?;
        while let Some(Token::Op(op @ (b'*' | b'/'))) = self.peek() {
            self.at += 1;
            let y = self.unary()?;
            x = if op == b'*' { x * y } else { x / y };
        }
        Some(x)
    }

    fn unary(&mut self) -> Option<f64> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let x = match self.peek()? {
            Token::Op(b'-') => {
                self.at += 1;
                -self.unary()?
            }
            _ => self.atom()?,
        };
        self.depth -= 1;
        Some(x)
    }

    fn atom(&mut self) -> Option<f64> {
        let t = self.peek()?;
        self.at += 1;
        match t {
            Token::Num(n) => Some(n),
            // Only a JSON number is a mathjs number; text, null, booleans go to the sandbox.
            Token::Var(name) => self.scope.get(name)?.as_f64(),
            Token::Open => {
                let x = self.sum()?;
                (self.peek()? == Token::Close).then_some(())?;
                self.at += 1;
                Some(x)
            }
            _ => None,
        }
    }
}

/// `math.round(x, 9)` of mathjs 15 for a finite number.
pub fn round9(x: f64) -> f64 {
    let at_tolerance = round_half_away(x, 12);
    let chosen = if nearly_equal(x, at_tolerance) {
        at_tolerance
    } else {
        x
    };
    round_half_away(chosen, 9)
}

fn nearly_equal(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= (REL_TOL * a.abs().max(b.abs())).max(ABS_TOL)
}

/// The number as JSON.stringify writes it and serde reads it back: an integer when integral and exact.
fn json_number(x: f64) -> Option<Value> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 {
        // Larger integers print as digits in JavaScript too, but serde would read some as u64: leave
        // them to the sandbox rather than guess.
        return (x.abs() < EXACT).then(|| Value::from(x as i64));
    }
    serde_json::Number::from_f64(x).map(Value::Number)
}
