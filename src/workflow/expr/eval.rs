//! Evaluation of a parsed expression over JSON variables (spec §6).
//!
//! Numbers stay `f64` during evaluation so NaN and ±Infinity can flow through intermediate
//! steps; they only become JSON (rounded, or null) in [`Val::into_json`].

use serde_json::{Number, Value};

use super::super::compare::{operand_truthy, operands_cmp, operands_eq, Operand};
use super::super::num::{js_number_text, parse_number, round_half_away};
use super::super::template::{strip_ctx, Lookup};
use super::functions::call_function;
use super::parser::{BinaryOp, Expr, UnaryOp};

/// Decimals kept in results, so 0.1 + 0.2 gives 0.3.
const RESULT_DECIMALS: i32 = 9;

/// Largest integer an f64 holds exactly; integral results beyond it stay floats.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A runtime value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// An array or object from a variable, kept as JSON.
    Json(Value),
}

impl Val {
    pub(crate) fn from_json(v: Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(b),
            Value::Number(n) => Val::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Val::Str(s),
            compound => Val::Json(compound),
        }
    }

    /// Final conversion: numbers rounded to 9 decimals, integral ones as JSON integers,
    /// NaN and infinities as null.
    pub(crate) fn into_json(self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(b),
            Val::Num(n) => number_to_json(n),
            Val::Str(s) => Value::String(s),
            Val::Json(v) => v,
        }
    }

    pub(crate) fn operand(&self) -> Operand<'_> {
        match self {
            Val::Null => Operand::Null,
            Val::Bool(b) => Operand::Bool(*b),
            Val::Num(n) => Operand::Num(*n),
            Val::Str(s) => Operand::Str(s),
            Val::Json(v) => Operand::Compound(v),
        }
    }

    pub(crate) fn truthy(&self) -> bool {
        operand_truthy(self.operand())
    }

    /// Arithmetic view: null → 0, booleans → 1/0, numeric text → its number, else NaN.
    pub(crate) fn num(&self) -> f64 {
        match self {
            Val::Null => 0.0,
            Val::Bool(b) => f64::from(u8::from(*b)),
            Val::Num(n) => *n,
            Val::Str(s) => parse_number(s),
            Val::Json(_) => f64::NAN,
        }
    }

    /// Text view: null → "", numbers rounded like results, arrays/objects as compact JSON.
    pub(crate) fn text(&self) -> String {
        match self {
            Val::Null => String::new(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => js_number_text(round_half_away(*n, RESULT_DECIMALS)),
            Val::Str(s) => s.clone(),
            Val::Json(v) => v.to_string(),
        }
    }
}

pub(crate) fn number_to_json(n: f64) -> Value {
    if !n.is_finite() {
        return Value::Null;
    }
    let rounded = round_half_away(n, RESULT_DECIMALS);
    if rounded == rounded.trunc() && rounded.abs() <= MAX_SAFE_INTEGER {
        // Exact: the value is integral and within i64; also folds -0 into 0.
        return Value::from(rounded as i64);
    }
    Number::from_f64(rounded).map_or(Value::Null, Value::Number)
}

/// Evaluates an expression; errors are the detail of an "Error: …" message.
///
/// This function recurses once per tree level, so each arm delegates to a helper: in debug
/// builds a frame reserves room for every arm's temporaries, and keeping this one small is
/// what lets nested input stay within the stack (see `MAX_NESTING_TOKENS`).
pub(crate) fn eval(expr: &Expr, lookup: &Lookup) -> Result<Val, String> {
    match expr {
        Expr::Unary(op, operand) => eval_unary(*op, operand, lookup),
        Expr::Binary(op, lhs, rhs) => eval_binary(*op, lhs, rhs, lookup),
        Expr::Ternary(condition, then, otherwise) => {
            eval_ternary(condition, then, otherwise, lookup)
        }
        Expr::Call(name, args) => call_function(name, args, lookup),
        leaf => eval_leaf(leaf, lookup),
    }
}

#[inline(never)]
fn eval_leaf(expr: &Expr, lookup: &Lookup) -> Result<Val, String> {
    Ok(match expr {
        Expr::Num(n) => Val::Num(*n),
        Expr::Str(s) => Val::Str(s.clone()),
        Expr::Bool(b) => Val::Bool(*b),
        Expr::Var(path) => lookup(strip_ctx(path)).map_or(Val::Null, Val::from_json),
        Expr::Ident(name) => return Err(format!("Undefined symbol {name}")),
        _ => Val::Null,
    })
}

#[inline(never)]
fn eval_unary(op: UnaryOp, operand: &Expr, lookup: &Lookup) -> Result<Val, String> {
    let v = eval(operand, lookup)?;
    Ok(apply_unary(op, &v))
}

/// `and`/`or` short-circuit (the right side is not evaluated when the left decides).
#[inline(never)]
fn eval_binary(op: BinaryOp, lhs: &Expr, rhs: &Expr, lookup: &Lookup) -> Result<Val, String> {
    let left = eval(lhs, lookup)?;
    match op {
        BinaryOp::And if !left.truthy() => Ok(Val::Bool(false)),
        BinaryOp::Or if left.truthy() => Ok(Val::Bool(true)),
        _ => {
            let right = eval(rhs, lookup)?;
            Ok(apply_binary(op, &left, &right))
        }
    }
}

#[inline(never)]
fn eval_ternary(
    condition: &Expr,
    then: &Expr,
    otherwise: &Expr,
    lookup: &Lookup,
) -> Result<Val, String> {
    if eval(condition, lookup)?.truthy() {
        eval(then, lookup)
    } else {
        eval(otherwise, lookup)
    }
}

fn apply_unary(op: UnaryOp, v: &Val) -> Val {
    match op {
        UnaryOp::Neg => Val::Num(-v.num()),
        UnaryOp::Pos => Val::Num(v.num()),
        UnaryOp::Not => Val::Bool(!v.truthy()),
    }
}

/// Applies a binary operator to two evaluated operands (`and`/`or` arrive here only when the
/// left side did not decide, so the result is the right side's truthiness).
#[inline(never)]
fn apply_binary(op: BinaryOp, a: &Val, b: &Val) -> Val {
    use BinaryOp::*;
    let ordered = |accept: fn(std::cmp::Ordering) -> bool| {
        Val::Bool(operands_cmp(a.operand(), b.operand()).is_some_and(accept))
    };
    match op {
        Add if matches!(a, Val::Str(_)) || matches!(b, Val::Str(_)) => {
            Val::Str(a.text() + &b.text())
        }
        Add => Val::Num(a.num() + b.num()),
        Sub => Val::Num(a.num() - b.num()),
        Mul => Val::Num(a.num() * b.num()),
        Div => Val::Num(a.num() / b.num()),
        // f64 `%` keeps the dividend's sign, as JavaScript's does.
        Rem => Val::Num(a.num() % b.num()),
        Pow => Val::Num(a.num().powf(b.num())),
        Concat => Val::Str(a.text() + &b.text()),
        Lt => ordered(std::cmp::Ordering::is_lt),
        Le => ordered(std::cmp::Ordering::is_le),
        Gt => ordered(std::cmp::Ordering::is_gt),
        Ge => ordered(std::cmp::Ordering::is_ge),
        Eq => Val::Bool(operands_eq(a.operand(), b.operand())),
        Ne => Val::Bool(!operands_eq(a.operand(), b.operand())),
        And | Or => Val::Bool(b.truthy()),
    }
}
