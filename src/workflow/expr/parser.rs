//! Parsing: pest grammar → [`Expr`] tree, with operator precedence from pest's PrattParser.

use std::sync::OnceLock;

use pest::error::{InputLocation, LineColLocation};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;
use pest_derive::Parser;

// NOTE: pest resolves this path relative to `src/`; when the file moves to
// src/workflow/expr/grammar.pest the attribute must read "workflow/expr/grammar.pest".
#[derive(Parser)]
#[grammar = "workflow/expr/grammar.pest"]
struct ExprParser;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum UnaryOp {
    Neg,
    Pos,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum BinaryOp {
    Pow,
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Concat,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
    /// A `{{path}}` placeholder; the path keeps its `ctx.` prefix until lookup.
    Var(String),
    /// A bare name that is not a call; evaluating it is an error.
    Ident(String),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

/// Parses a whole expression; `Ok(None)` for an empty (whitespace-only) one.
/// Errors are the detail of a "SyntaxError: …" message.
pub(crate) fn parse(source: &str) -> Result<Option<Expr>, String> {
    let mut pairs =
        ExprParser::parse(Rule::program, source).map_err(|e| describe_error(&e, source))?;
    let program = pairs.next().ok_or("empty parse")?;
    match program.into_inner().find(|p| p.as_rule() == Rule::ternary) {
        Some(ternary) => build_ternary(ternary).map(Some),
        None => Ok(None),
    }
}

/// Operator table, lowest precedence first (spec §6).
fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::infix(Rule::eq, Assoc::Left) | Op::infix(Rule::ne, Assoc::Left))
            .op(Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left))
            .op(Op::infix(Rule::concat, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left)
                | Op::infix(Rule::div, Assoc::Left)
                | Op::infix(Rule::rem, Assoc::Left))
            .op(Op::infix(Rule::pow, Assoc::Right))
            .op(Op::prefix(Rule::neg) | Op::prefix(Rule::pos) | Op::prefix(Rule::not))
    })
}

fn build_ternary(pair: Pair<Rule>) -> Result<Expr, String> {
    let mut inner = pair.into_inner();
    let condition = build_binary(inner.next().ok_or("missing operand")?.into_inner())?;
    match (inner.next(), inner.next()) {
        (Some(then), Some(otherwise)) => Ok(Expr::Ternary(
            Box::new(condition),
            Box::new(build_ternary(then)?),
            Box::new(build_ternary(otherwise)?),
        )),
        _ => Ok(condition),
    }
}

fn build_binary(pairs: Pairs<Rule>) -> Result<Expr, String> {
    pratt()
        .map_primary(build_primary)
        .map_prefix(|op, operand| {
            let op = match op.as_rule() {
                Rule::neg => UnaryOp::Neg,
                Rule::pos => UnaryOp::Pos,
                _ => UnaryOp::Not,
            };
            Ok(Expr::Unary(op, Box::new(operand?)))
        })
        .map_infix(|lhs, op, rhs| {
            let op = binary_op(op.as_rule())
                .ok_or_else(|| format!("unexpected operator {}", op.as_str()))?;
            Ok(Expr::Binary(op, Box::new(lhs?), Box::new(rhs?)))
        })
        .parse(pairs)
}

fn binary_op(rule: Rule) -> Option<BinaryOp> {
    Some(match rule {
        Rule::pow => BinaryOp::Pow,
        Rule::mul => BinaryOp::Mul,
        Rule::div => BinaryOp::Div,
        Rule::rem => BinaryOp::Rem,
        Rule::add => BinaryOp::Add,
        Rule::sub => BinaryOp::Sub,
        Rule::concat => BinaryOp::Concat,
        Rule::lt => BinaryOp::Lt,
        Rule::le => BinaryOp::Le,
        Rule::gt => BinaryOp::Gt,
        Rule::ge => BinaryOp::Ge,
        Rule::eq => BinaryOp::Eq,
        Rule::ne => BinaryOp::Ne,
        Rule::and => BinaryOp::And,
        Rule::or => BinaryOp::Or,
        _ => return None,
    })
}

fn build_primary(pair: Pair<Rule>) -> Result<Expr, String> {
    Ok(match pair.as_rule() {
        Rule::ternary => build_ternary(pair)?,
        Rule::number => Expr::Num(pair.as_str().parse::<f64>().map_err(|e| e.to_string())?),
        Rule::string => Expr::Str(unescape(
            pair.into_inner().next().map_or("", |b| b.as_str()),
        )),
        Rule::placeholder => Expr::Var(
            pair.into_inner()
                .next()
                .map_or("", |p| p.as_str())
                .to_string(),
        ),
        Rule::true_lit => Expr::Bool(true),
        Rule::false_lit => Expr::Bool(false),
        Rule::null_lit => Expr::Null,
        Rule::ident => Expr::Ident(pair.as_str().to_string()),
        Rule::call => {
            let mut inner = pair.into_inner();
            let name = inner.next().map_or("", |n| n.as_str()).to_string();
            let mut args = Vec::new();
            for arg in inner {
                args.push(build_ternary(arg)?);
            }
            Expr::Call(name, args)
        }
        other => return Err(format!("unexpected {other:?}")),
    })
}

/// Resolves backslash escapes in a string literal; an unknown escape keeps the character.
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => out.push_str(&unicode_escape(&mut chars)),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// `\uXXXX`: four hex digits; when they are not, the text is kept as written.
fn unicode_escape(chars: &mut std::str::Chars) -> String {
    let hex: String = chars.clone().take(4).collect();
    let decoded = (hex.len() == 4)
        .then(|| u32::from_str_radix(&hex, 16).ok())
        .flatten()
        .and_then(char::from_u32);
    match decoded {
        Some(c) => {
            chars.nth(3);
            c.to_string()
        }
        None => "u".to_string(),
    }
}

/// A short, single-line description of a pest error.
fn describe_error(e: &pest::error::Error<Rule>, source: &str) -> String {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((p, _)) => p,
    };
    let (line, col) = match e.line_col {
        LineColLocation::Pos(lc) | LineColLocation::Span(lc, _) => lc,
    };
    let found = source.get(pos..).and_then(|rest| rest.chars().next());
    let what = match found {
        None => "Unexpected end of expression".to_string(),
        Some(c) => format!("Unexpected \"{c}\""),
    };
    format!("{what} at line {line}, column {col}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s).expect("parses").expect("not empty")
    }
    fn num(n: f64) -> Box<Expr> {
        Box::new(Expr::Num(n))
    }

    #[test]
    fn precedence_and_associativity() {
        use BinaryOp::*;
        assert_eq!(
            p("1 + 2 * 3"),
            Expr::Binary(
                Add,
                num(1.0),
                Box::new(Expr::Binary(Mul, num(2.0), num(3.0)))
            )
        );
        assert_eq!(
            p("2 ^ 3 ^ 2"),
            Expr::Binary(
                Pow,
                num(2.0),
                Box::new(Expr::Binary(Pow, num(3.0), num(2.0)))
            )
        );
        assert_eq!(
            p("8 - 3 - 2"),
            Expr::Binary(
                Sub,
                Box::new(Expr::Binary(Sub, num(8.0), num(3.0))),
                num(2.0)
            )
        );
        assert_eq!(
            p("-2 ** 2"),
            Expr::Binary(Pow, Box::new(Expr::Unary(UnaryOp::Neg, num(2.0))), num(2.0))
        );
    }

    #[test]
    fn literals_placeholders_and_calls() {
        assert_eq!(p("'it\\'s'"), Expr::Str("it's".into()));
        assert_eq!(p("\"a\\nb\\u0041\""), Expr::Str("a\nbA".into()));
        assert_eq!(p("'{{x}}'"), Expr::Str("{{x}}".into()));
        assert_eq!(
            p("{{ $context.data.x }}"),
            Expr::Var("$context.data.x".into())
        );
        assert_eq!(p("TRUE"), Expr::Bool(true));
        assert_eq!(p("null"), Expr::Null);
        assert_eq!(p("nullx"), Expr::Ident("nullx".into()));
        assert_eq!(p("f()"), Expr::Call("f".into(), vec![]));
        assert_eq!(p("1e3"), Expr::Num(1000.0));
        assert_eq!(p(".5"), Expr::Num(0.5));
        assert_eq!(parse("  "), Ok(None));
    }

    #[test]
    fn keyword_operators_need_word_boundaries() {
        assert!(matches!(p("1 and 0"), Expr::Binary(BinaryOp::And, ..)));
        assert!(matches!(p("not 1"), Expr::Unary(UnaryOp::Not, _)));
        assert!(matches!(p("NOT(1)"), Expr::Call(..)));
        assert!(parse("1 andy 2").is_err());
        assert!(parse("1 1").is_err());
    }
}
