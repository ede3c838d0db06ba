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

use customer_health::error::{field, index, Error};
#[cfg(not(feature = "only-calibration"))]
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;

const MARK: char = '\u{0}';

/// Text borrowed from JSON when it has no escapes.
#[cfg(not(feature = "only-calibration"))]
#[derive(serde::Deserialize)]
pub(crate) struct Text<'a>(#[serde(borrow)] pub(crate) Cow<'a, str>);

/// A JSON array of texts the package wrote as UTF-8 bytes (`TextEncoder`:
/// copied into the module as they are, where a JS string is copied one
/// character at a time), each borrowed unless escaped. Read as text (the
/// module's reader of text is there already; one of bytes would add a
/// second copy of it). `Err` is what went wrong, for the caller's error.
#[cfg(not(feature = "only-calibration"))]
pub(crate) fn texts(bytes: &[u8]) -> Result<Vec<Text<'_>>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// JSON text from the JS side with its marked values turned into errors
/// (paths relative to the text's root). Text without a U+0000 escape holds
/// no mark and passes as it is (no copy); otherwise real strings that began
/// with U+0000 are unescaped and the text written again. Text that is not
/// JSON passes as it is, for the core's `invalid_json` with line and column.
pub(crate) fn clean(text: &str) -> Result<Cow<'_, str>, Vec<Error>> {
    if !text.contains("\\u0000") {
        return Ok(Cow::Borrowed(text));
    }
    let Ok(mut v) = serde_json::from_str::<Value>(text) else {
        return Ok(Cow::Borrowed(text));
    };
    let errors = check(&mut v);
    if errors.is_empty() {
        Ok(Cow::Owned(v.to_string()))
    } else {
        Err(errors)
    }
}

#[cfg(not(feature = "only-calibration"))]
/// The items of a batch (JSON text of an array), each cleaned on its own, so
/// that an item holding a value JSON cannot carry is refused alone (paths
/// relative to the item). None when the text is not a JSON array: the
/// core's reader of the whole text then says why.
pub(crate) fn items(text: &str) -> Option<Vec<Result<Cow<'_, str>, Vec<Error>>>> {
    let raw: Vec<&RawValue> = serde_json::from_str(text).ok()?;
    Some(raw.into_iter().map(|r| clean(r.get())).collect())
}

/// Parses JSON text from the JS side (a document the binding reads itself:
/// a scorecard, calibration rows) and checks it for marked values.
#[cfg(not(feature = "only-calibration"))]
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
    serde_json::from_str(text).map_err(|e| {
        // The core's `invalid_json`, with help that fits what went wrong.
        vec![customer_health::error::not_json(text, what)
            .unwrap_or_else(|| Error::new("invalid_json", "", e.to_string(), "send valid JSON"))]
    })
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
        k if k.starts_with("TooLarge:") => Error::new(
            "too_large",
            path,
            k["TooLarge:".len()..].to_string(),
            "an item over a limit is refused before it crosses (see limits())",
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
