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
}
