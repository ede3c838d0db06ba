//! What crosses the JS boundary as JSON text.
//!
//! The JS side serialises its arguments with `JSON.stringify` and a replacer
//! that turns what JSON cannot carry into marked strings (a leading U+0000):
//! `"\0NaN"`, `"\0Infinity"`, `"\0-Infinity"`, `"\0BigInt"`, `"\0Symbol"`,
//! `"\0Function"`, `"\0Map"`, `"\0Set"`, `"\0LoneSurrogate"` (a string
//! with half of a character), `"\0LoneSurrogateKey"` (an object with such a
//! key), `"\0Unreadable:<why>"` and `"\0Cyclic:<why>"` (a batch item that
//! could not be serialised); a real string that starts with U+0000 gets a
//! second one. Here those marks become errors with the path where they
//! were found, so a NaN is reported as `not_finite` at `values.ops` instead of
//! silently becoming `null`.

use crate::error::{field, index, Error};
use serde_json::Value;

const MARK: char = '\u{0}';

/// Parses JSON text from the JS side and checks it for marked values.
pub(crate) fn parse(text: &str, what: &str) -> Result<Value, Vec<Error>> {
    let mut v = parse_raw(text, what)?;
    let errors = check(&mut v);
    if errors.is_empty() {
        Ok(v)
    } else {
        Err(errors)
    }
}

/// Parses JSON text without looking for marks (see [`check`]).
pub(crate) fn parse_raw(text: &str, what: &str) -> Result<Value, Vec<Error>> {
    serde_json::from_str(text).map_err(|e| vec![invalid_json(&e, what)])
}

/// A JSON reading error with help that fits what went wrong.
fn invalid_json(e: &serde_json::Error, what: &str) -> Error {
    let text = e.to_string();
    let help = if text.contains("recursion limit") {
        "nesting deeper than 128 levels is refused: flatten the data".to_string()
    } else if text.contains("surrogate") {
        "the text holds half of a character (a lone UTF-16 surrogate, e.g. a cut emoji): remove it or complete it".to_string()
    } else if e.is_eof() {
        "the text ends too early: a closing bracket, brace or quote is missing".to_string()
    } else {
        format!(
            "look at line {} column {}: a trailing comma, a missing comma or quote, or a comment are the usual causes",
            e.line(),
            e.column()
        )
    };
    Error::new(
        "invalid_json",
        "",
        format!("{what} is not valid JSON: {text}"),
        help,
    )
}

/// Parses a batch (JSON text of an array) and checks each item for marks on
/// its own: the document, and each item's errors (paths relative to the
/// item; empty when it has none, and no entries when the text is not an
/// array), so that one bad item is refused alone. (Scoring bindings only.)
#[cfg(not(feature = "only-calibration"))]
pub(crate) fn parse_items(text: &str, what: &str) -> Result<(Value, Vec<Vec<Error>>), Vec<Error>> {
    let mut doc = parse_raw(text, what)?;
    let marks = match &mut doc {
        Value::Array(items) => items.iter_mut().map(check).collect(),
        _ => Vec::new(),
    };
    Ok((doc, marks))
}

/// Turns marked values into errors (paths relative to `v`) and unescapes
/// real strings that began with U+0000.
pub(crate) fn check(v: &mut Value) -> Vec<Error> {
    let mut errors = Vec::new();
    unmark(v, "", &mut errors);
    errors
}

fn unmark(v: &mut Value, path: &str, errors: &mut Vec<Error>) {
    match v {
        Value::String(s) if s.starts_with(MARK) => {
            let rest = &s[MARK.len_utf8()..];
            if let Some(real) = rest.strip_prefix(MARK) {
                *s = format!("{MARK}{real}");
                return;
            }
            errors.push(marked(rest, path));
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                unmark(item, &index(path, i), errors);
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                unmark(item, &field(path, k), errors);
            }
        }
        _ => {}
    }
}

fn marked(kind: &str, path: &str) -> Error {
    match kind {
        "NaN" | "Infinity" | "-Infinity" => Error::new(
            "not_finite",
            path,
            format!("{kind} is not a finite number"),
            "send a finite number, or null when the value is unknown",
        ),
        "LoneSurrogate" | "LoneSurrogateKey" => Error::new(
            "invalid_text",
            path,
            if kind == "LoneSurrogate" {
                "the text holds half of a character (a lone UTF-16 surrogate)"
            } else {
                "a key of this object holds half of a character (a lone UTF-16 surrogate)"
            },
            "a cut emoji or a bad conversion leaves one: remove it or complete the character",
        ),
        "BigInt" => Error::new(
            "wrong_type",
            path,
            "a BigInt is not supported here",
            "convert it with Number(x) (exact up to 2^53)",
        ),
        k if k.starts_with("Unreadable:") => Error::new(
            "wrong_type",
            path,
            k["Unreadable:".len()..].to_string(),
            "pass plain data (numbers, booleans, strings, arrays, objects); a getter or proxy in it threw",
        ),
        k if k.starts_with("Cyclic:") => Error::new(
            "cyclic_input",
            path,
            k["Cyclic:".len()..].to_string(),
            "pass plain data without cycles",
        ),
        other => Error::new(
            "wrong_type",
            path,
            format!("a {other} cannot be sent as data"),
            "send numbers, booleans, strings, arrays and plain objects only",
        ),
    }
}
