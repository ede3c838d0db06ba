//! A small reader over `serde_json::Value` that collects every problem with
//! its path instead of stopping at the first, and rejects unknown fields.
//!
//! `serde`'s derived deserialisers stop at the first error and report no
//! path; a model or account document needs all of its mistakes at once.

use crate::error::{field, index, Error};
use serde_json::{Map, Value};

/// Collected errors.
#[derive(Default)]
pub(crate) struct Problems(pub Vec<Error>);

impl Problems {
    pub fn push(
        &mut self,
        code: &str,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.0.push(Error::new(code, path, message, help));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The JSON type name of a value, for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An object being read: remembers which keys were asked for, so that
/// [`Obj::finish`] can report every other key as unknown.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    pub path: String,
    known: &'static [&'static str],
}

impl<'a> Obj<'a> {
    /// Reads `v` at `path` as an object whose fields are `known`.
    pub fn new(
        v: &'a Value,
        path: &str,
        what: &str,
        known: &'static [&'static str],
        p: &mut Problems,
    ) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => {
                let obj = Obj {
                    map,
                    path: path.to_string(),
                    known,
                };
                obj.check_unknown(what, p);
                Some(obj)
            }
            other => {
                p.push(
                    "wrong_type",
                    path,
                    format!("{what} must be an object, not {}", kind(other)),
                    format!("write {what} as a JSON object {{ ... }}"),
                );
                None
            }
        }
    }

    fn check_unknown(&self, what: &str, p: &mut Problems) {
        for key in self.map.keys() {
            if !self.known.contains(&key.as_str()) {
                let hint = closest(key, self.known)
                    .map(|k| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                p.push(
                    "unknown_field",
                    &field(&self.path, key),
                    format!("{what} has no field `{key}`"),
                    format!(
                        "{hint}the fields of {what} are: {}; unknown fields are rejected so that a typo cannot silently change a score",
                        self.known.join(", ")
                    ),
                );
            }
        }
    }

    pub fn path_of(&self, key: &str) -> String {
        field(&self.path, key)
    }

    /// The raw value of `key`, if present (a JSON `null` counts as absent).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// Reports a required field that is absent.
    pub fn missing(&self, key: &str, what: &str, p: &mut Problems) {
        p.push(
            "missing_field",
            &self.path_of(key),
            format!("`{key}` is required"),
            format!("add `{key}`: {what}"),
        );
    }

    pub fn req<T>(
        &self,
        key: &str,
        what: &str,
        p: &mut Problems,
        read: impl FnOnce(&'a Value, &str, &mut Problems) -> Option<T>,
    ) -> Option<T> {
        match self.get(key) {
            None => {
                self.missing(key, what, p);
                None
            }
            Some(v) => read(v, &self.path_of(key), p),
        }
    }

    /// `Some(None)` when absent, `Some(Some(x))` when present and valid,
    /// `None` when present and invalid (the problem is recorded).
    pub fn opt<T>(
        &self,
        key: &str,
        p: &mut Problems,
        read: impl FnOnce(&'a Value, &str, &mut Problems) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.get(key) {
            None => Some(None),
            Some(v) => read(v, &self.path_of(key), p).map(Some),
        }
    }
}

/// A finite JSON number.
pub(crate) fn number(v: &Value, path: &str, p: &mut Problems) -> Option<f64> {
    match v.as_f64() {
        Some(x) if x.is_finite() => Some(x),
        Some(_) => {
            p.push(
                "not_finite",
                path,
                "the number is not finite",
                "use a finite number",
            );
            None
        }
        None => {
            p.push(
                "wrong_type",
                path,
                format!("expected a number, found {}", kind(v)),
                "write a JSON number such as 3 or 0.5",
            );
            None
        }
    }
}

/// A non-empty string without control characters.
pub(crate) fn id(v: &Value, path: &str, p: &mut Problems) -> Option<String> {
    let s = string(v, path, p)?;
    if s.trim().is_empty() || s.chars().any(char::is_control) || s.len() > 200 {
        p.push(
            "invalid_value",
            path,
            format!(
                "`{}` is not a usable id",
                s.chars().take(40).collect::<String>()
            ),
            "an id is 1 to 200 characters, not blank, without control characters",
        );
        return None;
    }
    Some(s)
}

pub(crate) fn string(v: &Value, path: &str, p: &mut Problems) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => {
            p.push(
                "wrong_type",
                path,
                format!("expected a string, found {}", kind(other)),
                "write a JSON string in double quotes",
            );
            None
        }
    }
}

pub(crate) fn boolean(v: &Value, path: &str, p: &mut Problems) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        other => {
            p.push(
                "wrong_type",
                path,
                format!("expected true or false, found {}", kind(other)),
                "write true or false, without quotes",
            );
            None
        }
    }
}

pub(crate) fn array<'a>(v: &'a Value, path: &str, p: &mut Problems) -> Option<&'a Vec<Value>> {
    match v {
        Value::Array(a) => Some(a),
        other => {
            p.push(
                "wrong_type",
                path,
                format!("expected an array, found {}", kind(other)),
                "write a JSON array [ ... ]",
            );
            None
        }
    }
}

/// An array of numbers; every bad element is reported.
pub(crate) fn numbers(v: &Value, path: &str, p: &mut Problems) -> Option<Vec<f64>> {
    let items = array(v, path, p)?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match number(item, &index(path, i), p) {
            Some(x) => out.push(x),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// One of `choices`.
pub(crate) fn choice<T: serde::de::DeserializeOwned>(
    v: &Value,
    path: &str,
    p: &mut Problems,
) -> Option<T> {
    choice_as(v, path, "invalid_value", p)
}

/// [`choice`], reporting a name that is not a variant with `code`.
pub(crate) fn choice_as<T: serde::de::DeserializeOwned>(
    v: &Value,
    path: &str,
    code: &str,
    p: &mut Problems,
) -> Option<T> {
    let s = string(v, path, p)?;
    crate::names::variant::<T>(&s).or_else(|| {
        let names = crate::names::variants::<T>();
        let hint = closest(&s, names)
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        p.push(
            code,
            path,
            format!("`{s}` is not allowed here"),
            format!("{hint}use one of: {}", names.join(", ")),
        );
        None
    })
}

/// The known name nearest to a typo, if it is near enough.
pub(crate) fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (distance(&key, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        assert_eq!(closest("wieght", &["weight", "rule", "id"]), Some("weight"));
        assert_eq!(
            closest("maxevents", &["points", "maxEvents"]),
            Some("maxEvents")
        );
        assert_eq!(closest("zzzzzz", &["weight", "rule"]), None);
    }
}
