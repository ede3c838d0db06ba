//! The typing policy: what a raw value means for a rule. One policy for
//! scoring and calibration alike (DESIGN-NOTES.md, "Column types"):
//!
//! - **Missing text.** A blank string, or one of [`MISSING_TEXTS`] (any case,
//!   surrounding spaces ignored), or one of the measure's own
//!   `missingValues`, is a missing value for a numeric or flag rule, and for
//!   a `match` rule that does not list it.
//! - **Numbers for `match` rules** are read by their canonical text
//!   ([`number_text`]: `10`, `2.5`), so a column that mixes `10`, `30` and
//!   `"Unknown"` scores the same whether its cells arrive as numbers or text.
//! - **Cells of a table** (calibration rows, CSV imports, [`crate::Model::row_to_account`])
//!   are read more loosely than JSON accounts: numeric text is a number for a
//!   numeric rule, `yes`/`no`/`true`/`false`/`y`/`n`/`1`/`0` are booleans for
//!   a flag. A JSON account stays strict: `"45"` for a number is refused.

use super::account::Input;
use crate::model::{Reads, Rule};
use serde_json::Value;
use std::borrow::Cow;

/// Texts that mean "no value" everywhere (compared trimmed, ignoring case),
/// besides the blank string.
pub const MISSING_TEXTS: &[&str] = &[
    "na",
    "n/a",
    "nan",
    "null",
    "none",
    "nil",
    "unknown",
    "?",
    "-",
    "--",
    "#n/a",
    "missing",
    "undefined",
];

/// Texts read as `true` and `false` by a flag in a table cell (ignoring case).
pub const TRUE_TEXTS: &[&str] = &["true", "yes", "y", "1"];
/// See [`TRUE_TEXTS`].
pub const FALSE_TEXTS: &[&str] = &["false", "no", "n", "0"];

/// Whether a text is blank or one of the standard missing texts.
pub fn is_missing_text(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || MISSING_TEXTS.iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// Whether a text means "no value" for a measure with these extra missing texts.
pub fn means_missing(s: &str, extra: &[String]) -> bool {
    is_missing_text(s) || {
        let t = s.trim();
        extra.iter().any(|m| m.trim() == t)
    }
}

/// A number's canonical text: a whole number below 10^15 without a decimal
/// point (`10`, `-3`), any other the shortest decimal that reads back to the
/// same `f64` (`2.5`, `0.001`).
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A text that is a finite number (`" 12 "`, `"-3.5"`, `"1e3"`), read as one.
pub fn number_of_text(s: &str) -> Option<f64> {
    let t = s.trim();
    // Rust also reads "inf" and "NaN"; a number here is finite and written with digits.
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A flag's reading of a table cell's text.
pub fn bool_of_text(s: &str) -> Option<bool> {
    let t = s.trim();
    if TRUE_TEXTS.iter().any(|m| t.eq_ignore_ascii_case(m)) {
        Some(true)
    } else if FALSE_TEXTS.iter().any(|m| t.eq_ignore_ascii_case(m)) {
        Some(false)
    } else {
        None
    }
}

/// An input as the rule reads it (the strict policy for JSON accounts):
/// missing texts become [`Input::Missing`], a number for a `match` rule
/// becomes its canonical text. Anything else is left for the rule to accept
/// or refuse.
pub(crate) fn strict<'a>(rule: &Rule, extra: &[String], input: &'a Input) -> Cow<'a, Input> {
    match (rule.reads(), input) {
        (Reads::Text { scores, .. }, Input::Text(s)) => {
            if !scores.contains_key(s) && means_missing(s, extra) {
                Cow::Owned(Input::Missing)
            } else {
                Cow::Borrowed(input)
            }
        }
        (Reads::Text { scores, .. }, Input::Number(x)) if x.is_finite() => {
            let text = number_text(*x);
            if !scores.contains_key(&text) && means_missing(&text, extra) {
                Cow::Owned(Input::Missing)
            } else {
                Cow::Owned(Input::Text(text))
            }
        }
        (_, Input::Text(s)) if means_missing(s, extra) => Cow::Owned(Input::Missing),
        _ => Cow::Borrowed(input),
    }
}

/// A table cell, as [`cell_input`] reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellRef<'a> {
    /// Null or absent.
    Missing,
    /// A JSON number.
    Number(f64),
    /// A JSON boolean.
    Bool(bool),
    /// Text (a CSV cell is always text).
    Text(&'a str),
    /// An array or object, named by its JSON type.
    Other(&'static str),
}

impl<'a> CellRef<'a> {
    /// A JSON value as a cell.
    pub(crate) fn of(v: &'a Value) -> CellRef<'a> {
        match v {
            Value::Null => CellRef::Missing,
            Value::Bool(b) => CellRef::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(CellRef::Missing, CellRef::Number),
            Value::String(s) => CellRef::Text(s),
            other => CellRef::Other(crate::read::kind(other)),
        }
    }
}

/// A table cell (a CSV cell or a calibration row's value) as an input for a
/// rule: numeric text is a number for numeric rules, yes/no/true/false/1/0
/// (any case) a boolean for flags, numbers and booleans text for `match`.
/// The strict policy then applies as for any input.
pub fn cell_input(rule: &Rule, cell: CellRef) -> Input {
    match (rule.reads(), cell) {
        (_, CellRef::Missing) => Input::Missing,
        (_, CellRef::Other(kind)) => Input::Other(kind),
        (Reads::Text { .. }, CellRef::Text(s)) => Input::Text(s.trim().to_string()),
        (Reads::Text { .. }, CellRef::Bool(b)) => Input::Text(b.to_string()),
        (Reads::Text { .. }, CellRef::Number(x)) => Input::Number(x),
        (Reads::Flag, CellRef::Text(s)) => {
            bool_of_text(s).map_or_else(|| Input::Text(s.to_string()), Input::Bool)
        }
        (Reads::Flag, CellRef::Number(x)) if x == 1.0 || x == 0.0 => Input::Bool(x == 1.0),
        (Reads::Flag, CellRef::Number(x)) => Input::Number(x),
        (Reads::Flag, CellRef::Bool(b)) => Input::Bool(b),
        (_, CellRef::Text(s)) => {
            number_of_text(s).map_or_else(|| Input::Text(s.to_string()), Input::Number)
        }
        (_, CellRef::Bool(b)) => Input::Number(if b { 1.0 } else { 0.0 }),
        (_, CellRef::Number(x)) => Input::Number(x),
    }
}

/// An input of a JSON account read as a table cell (`tableCells`), as
/// [`cell_input`] reads one: a numeric text is a number for a numeric rule
/// and a boolean is 1 or 0; a yes/no/true/false/1/0 text or a 1 or 0 is a
/// boolean for a flag; for a `match` rule a text is trimmed and a boolean
/// is `"true"` or `"false"`.
pub(crate) fn as_cell(rule: &Rule, input: &mut Input) {
    let cell = match (rule.reads(), &*input) {
        (Reads::Text { .. }, Input::Text(s)) if s.trim().len() != s.len() => {
            Some(Input::Text(s.trim().to_string()))
        }
        (Reads::Text { .. }, Input::Bool(b)) => Some(Input::Text(b.to_string())),
        (Reads::Text { .. }, _) => None,
        (Reads::Flag, Input::Text(s)) => bool_of_text(s).map(Input::Bool),
        (Reads::Flag, Input::Number(x)) if *x == 1.0 || *x == 0.0 => Some(Input::Bool(*x == 1.0)),
        (Reads::Flag, _) => None,
        (_, Input::Text(s)) => number_of_text(s).map(Input::Number),
        (_, Input::Bool(b)) => Some(Input::Number(if *b { 1.0 } else { 0.0 })),
        _ => None,
    };
    if let Some(cell) = cell {
        *input = cell;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_texts_and_numbers() {
        assert!(is_missing_text(" "));
        assert!(is_missing_text("Unknown"));
        assert!(is_missing_text(" N/A "));
        assert!(!is_missing_text("0"));
        assert!(means_missing("unk", &["unk".into()]));
        assert_eq!(number_text(10.0), "10");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_of_text(" 12 "), Some(12.0));
        assert_eq!(number_of_text("inf"), None);
        assert_eq!(number_of_text("NaN"), None);
        assert_eq!(number_of_text("1e3"), Some(1000.0));
        assert_eq!(bool_of_text("Yes"), Some(true));
        assert_eq!(bool_of_text("0"), Some(false));
    }

    #[test]
    fn cells_by_rule() {
        let linear = Rule::Linear {
            points: vec![[0.0, 0.0], [1.0, 1.0]],
        };
        let flag = Rule::Flag {
            if_true: 1.0,
            if_false: 0.0,
        };
        let mut scores = std::collections::BTreeMap::new();
        scores.insert("10".to_string(), 1.0);
        scores.insert("Unknown".to_string(), 0.0);
        let m = Rule::Match {
            scores,
            otherwise: None,
        };
        let cell = |v: Value| cell_input(&linear, CellRef::of(&v));
        assert_eq!(cell(json!("3.5")), Input::Number(3.5));
        assert_eq!(cell(json!("abc")), Input::Text("abc".into()));
        assert_eq!(
            cell_input(&flag, CellRef::of(&json!("Yes"))),
            Input::Bool(true)
        );
        assert_eq!(
            cell_input(&flag, CellRef::of(&json!(0))),
            Input::Bool(false)
        );
        assert_eq!(cell_input(&m, CellRef::of(&json!(10))), Input::Number(10.0));
        // Strict reading: the number by its text; a listed text is kept even
        // when it is a missing text.
        assert_eq!(
            *strict(&m, &[], &Input::Number(10.0)),
            Input::Text("10".into())
        );
        assert_eq!(
            *strict(&m, &[], &Input::Text("Unknown".into())),
            Input::Text("Unknown".into())
        );
        assert_eq!(
            *strict(&linear, &[], &Input::Text("Unknown".into())),
            Input::Missing
        );
        assert_eq!(
            *strict(&linear, &[], &Input::Text("45".into())),
            Input::Text("45".into())
        );
    }
}
