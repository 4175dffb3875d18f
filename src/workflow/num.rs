//! Number helpers shared by templates, comparisons and the expression evaluator.

/// Converts text to a number the way JavaScript's `Number()` does for the forms people type:
/// surrounding whitespace is ignored, empty text is 0, anything that is not a decimal number is NaN.
/// (Rust's own parser also accepts "inf"/"nan", which JavaScript does not, hence the pre-check.)
pub(crate) fn parse_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let decimal_chars = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !decimal_chars || !t.bytes().any(|b| b.is_ascii_digit()) {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// Formats a number like JavaScript's `String(n)`: integral values without a fraction
/// ("1", not "1.0"), NaN and infinities by name.
pub(crate) fn js_number_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == n.trunc() && n.abs() < 1e21 {
        // i128 holds every integer below 1e21 exactly; this also turns -0 into "0".
        return format!("{}", n as i128);
    }
    if n.abs() >= 1e21 || n.abs() < 1e-6 {
        // JavaScript writes large and tiny numbers as 1e+21 and 1e-7; Rust would print all digits.
        let sci = format!("{:e}", n);
        return match sci.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => sci,
        };
    }
    format!("{}", n)
}

/// Rounds half away from zero to `digits` decimals (negative digits round to tens, hundreds, …).
///
/// Works on the shortest decimal representation of `x` rather than on `x * 10^digits`, because
/// the latter turns 2.345 into 234.49999… and would round it down; users expect the decimal
/// digits they see to be rounded.
pub(crate) fn round_half_away(x: f64, digits: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    // `{:e}` gives the shortest round-trip digits: "2.345e0", "1e-7", "1.2e21".
    let sci = format!("{:e}", x.abs());
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return x;
    };
    let Ok(exp) = exp.parse::<i64>() else {
        return x;
    };
    let all_digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    // The value is 0.D1D2…Dn × 10^(exp+1); keep this many leading digits.
    let keep = exp + 1 + i64::from(digits);
    if keep >= all_digits.len() as i64 {
        return x; // already has no more decimals than asked for
    }
    if keep < 0 {
        return 0.0; // the first digit lies below the rounding position, so it cannot round up
    }
    let (head, tail) = all_digits.split_at(keep as usize);
    let mut kept = head.to_vec();
    if tail.first().is_some_and(|d| *d >= b'5') {
        increment_decimal(&mut kept);
    }
    if kept.is_empty() {
        return 0.0;
    }
    // kept is now an integer scaled by 10^-digits.
    let text = format!("{}e{}", String::from_utf8_lossy(&kept), -i64::from(digits));
    text.parse::<f64>().map(|v| v.copysign(x)).unwrap_or(x)
}

/// Adds one to a decimal digit string in place, growing it on carry ("99" → "100", "" → "1").
fn increment_decimal(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_number_follows_javascript() {
        assert_eq!(parse_number(""), 0.0);
        assert_eq!(parse_number("  "), 0.0);
        assert_eq!(parse_number(" 12 "), 12.0);
        assert_eq!(parse_number("-1.5e2"), -150.0);
        assert_eq!(parse_number(".5"), 0.5);
        assert_eq!(parse_number("Infinity"), f64::INFINITY);
        assert!(parse_number("abc").is_nan());
        assert!(parse_number("inf").is_nan());
        assert!(parse_number("nan").is_nan());
        assert!(parse_number("1e").is_nan());
        assert!(parse_number("-").is_nan());
        assert!(parse_number("2025-03-01").is_nan());
    }

    #[test]
    fn number_text_is_javascript_like() {
        assert_eq!(js_number_text(1.0), "1");
        assert_eq!(js_number_text(-0.0), "0");
        assert_eq!(js_number_text(1.5), "1.5");
        assert_eq!(js_number_text(f64::NAN), "NaN");
        assert_eq!(js_number_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(js_number_text(1e21), "1e+21");
        assert_eq!(js_number_text(1.5e-7), "1.5e-7");
        assert_eq!(js_number_text(0.000001), "0.000001");
    }

    #[test]
    fn rounding_is_decimal_and_half_away_from_zero() {
        assert_eq!(round_half_away(2.345, 2), 2.35);
        assert_eq!(round_half_away(-2.345, 2), -2.35);
        assert_eq!(round_half_away(2.5, 0), 3.0);
        assert_eq!(round_half_away(-2.5, 0), -3.0);
        assert_eq!(round_half_away(1.005, 2), 1.01);
        assert_eq!(round_half_away(91.0 * 1.1, 2), 100.1);
        assert_eq!(round_half_away(0.1 + 0.2, 9), 0.3);
        assert_eq!(round_half_away(1234.0, -2), 1200.0);
        assert_eq!(round_half_away(1250.0, -2), 1300.0);
        assert_eq!(round_half_away(9.99, 1), 10.0);
        assert_eq!(round_half_away(0.004, 2), 0.0);
        assert_eq!(round_half_away(0.005, 2), 0.01);
        assert_eq!(round_half_away(0.0004, 2), 0.0);
        assert_eq!(round_half_away(1.5, 400), 1.5);
        assert_eq!(round_half_away(1e300, 9), 1e300);
        assert_eq!(round_half_away(1.5, -400), 0.0);
        assert!(round_half_away(f64::NAN, 2).is_nan());
    }
}
