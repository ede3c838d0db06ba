//! An account: what is being scored.

use crate::date::parse_iso;
use crate::error::{field, Error, Errors};
use crate::model::Scalar;
use crate::read::{self, Obj, Problems};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// One raw input value for a measure.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// `null` or absent: the measure's missing policy applies.
    Missing,
    /// A number (may be NaN or infinite when built in code; scoring refuses those).
    Number(f64),
    /// A boolean (for `flag` rules).
    Bool(bool),
    /// A text value (for `match` rules).
    Text(String),
    /// Anything else (an array or object), named by its JSON type; always refused.
    Other(&'static str),
}

impl Input {
    /// Reads a JSON value.
    pub(crate) fn from_doc(v: &Value) -> Input {
        match v {
            Value::Null => Input::Missing,
            Value::Bool(b) => Input::Bool(*b),
            Value::Number(n) => Input::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Input::Text(s.clone()),
            other => Input::Other(read::kind(other)),
        }
    }

    /// The value as JSON (`null` for missing, non-finite numbers and others).
    pub(crate) fn to_doc(&self) -> Value {
        match self {
            Input::Number(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Input::Bool(b) => Value::Bool(*b),
            Input::Text(s) => Value::String(s.clone()),
            Input::Missing | Input::Other(_) => Value::Null,
        }
    }

    /// The value as a scalar (`None` for missing, non-finite numbers and others).
    pub fn to_scalar(&self) -> Option<Scalar> {
        match self {
            Input::Number(x) if x.is_finite() => Some(Scalar::Number(*x)),
            Input::Bool(b) => Some(Scalar::Bool(*b)),
            Input::Text(s) => Some(Scalar::Text(s.clone())),
            _ => None,
        }
    }

    /// A scalar as an input (`None` is missing).
    pub fn from_scalar(v: Option<&Scalar>) -> Input {
        match v {
            None => Input::Missing,
            Some(Scalar::Number(x)) => Input::Number(*x),
            Some(Scalar::Bool(b)) => Input::Bool(*b),
            Some(Scalar::Text(s)) => Input::Text(s.clone()),
        }
    }

    /// A short description for messages: `"4"` (a string), `true`, an array.
    pub(crate) fn describe(&self) -> String {
        match self {
            Input::Missing => "null".into(),
            Input::Number(x) => format!("{x}"),
            Input::Bool(b) => format!("{b}"),
            Input::Text(s) => {
                let short: String = s.chars().take(40).collect();
                format!(
                    "the string {:?}{}",
                    short,
                    if short.len() < s.len() { "…" } else { "" }
                )
            }
            Input::Other(kind) => (*kind).into(),
        }
    }
}

impl Serialize for Input {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_doc().serialize(s)
    }
}

/// An account: `{ id, name?, segment?, value?, values: { measureId: value },
/// observedAt?: { measureId: ISO date } }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    /// The account's id, carried by its scorecard as `accountId`.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Segment (e.g. `enterprise`), used by playbooks and segments.
    pub segment: Option<String>,
    /// What the account is worth (ARR or similar), used to prioritise.
    pub value: Option<f64>,
    /// Raw values by measure id, in the order given.
    pub values: Vec<(String, Input)>,
    /// When each value was observed, by measure id (ISO dates).
    pub observed_at: Vec<(String, String)>,
    /// Attributes that are not measures (`tenure`, `plan`, `region`): read
    /// by model set conditions, never scored.
    pub fields: Vec<(String, Input)>,
    /// Who gave a value, when and why, by measure id (a CSM's pulse).
    pub notes: Vec<(String, Note)>,
    /// Series given for measures with a `series` (`values: { logins: [{ at,
    /// value }, …] }`), by measure id: (seconds since the epoch, value).
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

/// One point of a series: `{ at, value }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeriesPoint {
    /// When (ISO 8601 date).
    pub at: String,
    /// The value then (a finite number).
    pub value: f64,
}

/// Reads a `values` object at `path`: each value as an input, and each
/// array holding an object (or empty) as a measure's series into `series`
/// (with paths to its points); any other array is refused by the rule it
/// meets (`[45]` is not a number). Not an object: `wrong_type`.
pub(crate) fn read_values(
    v: &Value,
    path: &str,
    series_out: &mut Vec<(String, Vec<(f64, f64)>)>,
    p: &mut Problems,
) -> Option<Vec<(String, Input)>> {
    let Value::Object(map) = v else {
        p.push(
            "wrong_type",
            path,
            format!("values must be an object, not {}", read::kind(v)),
            "write values as { \"measureId\": value, ... }",
        );
        return None;
    };
    Some(
        map.iter()
            .filter_map(|(k, v)| match v {
                Value::Array(items) if items.is_empty() || items.iter().any(Value::is_object) => {
                    if let Some(points) = series(items, &field(path, k), p) {
                        series_out.push((k.clone(), points));
                    }
                    None
                }
                _ => Some((k.clone(), Input::from_doc(v))),
            })
            .collect(),
    )
}

/// Reads `[{ at, value }, …]` at `path` (a measure's series).
fn series(items: &[Value], path: &str, p: &mut Problems) -> Option<Vec<(f64, f64)>> {
    if items.len() > crate::limits::MAX_SERIES_POINTS {
        p.0.push(crate::limits::too_large(
            path,
            "points",
            items.len(),
            crate::limits::MAX_SERIES_POINTS,
            "send the recent points the derivation uses",
        ));
        return None;
    }
    let before = p.len();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = crate::error::index(path, i);
        let Some(o) = Obj::new(
            item,
            &at,
            "a series point",
            crate::names::fields::<SeriesPoint>(),
            p,
        ) else {
            continue;
        };
        let t = o.req(
            "at",
            "the date of the point, e.g. \"2026-10-01\"",
            p,
            |v, path, p| {
                let s = read::string(v, path, p)?;
                parse_iso(&s).or_else(|| {
                    p.push(
                        "invalid_date",
                        path,
                        format!("`{s}` is not an ISO 8601 date"),
                        "write dates as 2026-09-30 or 2026-09-30T14:00:00Z",
                    );
                    None
                })
            },
        );
        let v = o.req("value", "the value at that date, a number", p, read::number);
        if let (Some(t), Some(v)) = (t, v) {
            out.push((t, v));
        }
    }
    (p.len() == before).then_some(out)
}

/// Who gave a value, when, and why: travels with the value into the
/// scorecard's breakdown (a CSM's pulse: `{ author, at, comment, reason }`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Note {
    /// Who gave the value (a name or an id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When (ISO 8601 date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Why, in the author's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Why, as a code the team agreed on (`champion_left`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The longest comment a note keeps (characters).
pub const MAX_NOTE_CHARS: usize = 2000;

fn note(v: &Value, path: &str, p: &mut Problems) -> Option<Note> {
    let o = Obj::new(v, path, "a note", crate::names::fields::<Note>(), p)?;
    let text = |key: &str, p: &mut Problems| {
        o.opt(key, p, |v, path, p| {
            let s = read::string(v, path, p)?;
            if s.chars().count() > MAX_NOTE_CHARS {
                p.push(
                    "too_large",
                    path,
                    format!("a note's {key} is longer than {MAX_NOTE_CHARS} characters"),
                    "keep notes short; link to the full text",
                );
                return None;
            }
            Some(s)
        })
    };
    let (author, comment, reason) = (text("author", p), text("comment", p), text("reason", p));
    let at = o.opt("at", p, |v, path, p| {
        let s = read::string(v, path, p)?;
        if parse_iso(&s).is_none() {
            p.push(
                "invalid_date",
                path,
                format!("`{s}` is not an ISO 8601 date"),
                "write dates as 2026-09-30 or 2026-09-30T14:00:00Z",
            );
            return None;
        }
        Some(s)
    });
    Some(Note {
        author: author?,
        at: at?,
        comment: comment?,
        reason: reason?,
    })
}

impl Account {
    /// A new account with no values.
    pub fn new(id: impl Into<String>) -> Account {
        Account {
            id: id.into(),
            ..Account::default()
        }
    }

    /// Adds a value (builder style).
    pub fn with(mut self, measure: &str, input: Input) -> Account {
        self.values.push((measure.to_string(), input));
        self
    }

    /// Reads an account from JSON, reporting every structural problem
    /// (unknown fields, wrong types) with its path. Values are checked
    /// against the model when scoring.
    pub fn from_json(text: &str) -> Result<Account, Errors> {
        crate::limits::check_text(text, "the account", crate::limits::MAX_ACCOUNT_BYTES)?;
        let doc = crate::error::parse_json(text, "the account")?;
        Ok(Account::from_doc(&doc)?)
    }

    /// Reads a JSON array of accounts (text): each read on its own (an
    /// account that cannot be read keeps its errors, paths relative to it).
    /// Text that is not an array, or more accounts than
    /// [`crate::limits::MAX_BATCH_ACCOUNTS`], is an error.
    pub fn many_from_json(text: &str) -> Result<Vec<Result<Account, Errors>>, Errors> {
        let doc = crate::error::parse_json(text, "the accounts")?;
        let items = super::batch::account_items(&doc)?;
        crate::limits::check_batch(items.len(), "accounts")?;
        Ok(items
            .iter()
            .map(|v| Account::from_doc(v).map_err(Errors))
            .collect())
    }

    /// [`Account::from_json`] over a parsed document.
    pub(crate) fn from_doc(v: &Value) -> Result<Account, Vec<Error>> {
        let mut p = Problems::default();
        let Some(o) = Obj::new(
            v,
            "",
            "an account",
            crate::names::fields::<AccountDoc>(),
            &mut p,
        ) else {
            return Err(p.0);
        };
        let id = o.req(
            "id",
            "the account's id, a string",
            &mut p,
            |v, path, p| match v {
                // Ids that arrive as numbers (CSV exports) are kept as their text.
                Value::Number(n) => Some(n.to_string()),
                _ => read::id(v, path, p),
            },
        );
        let name = o.opt("name", &mut p, read::string);
        let segment = o.opt("segment", &mut p, read::string);
        let value = o.opt("value", &mut p, |v, path, p| {
            let x = read::number(v, path, p)?;
            if x < 0.0 {
                p.push(
                    "negative_value",
                    path,
                    format!("an account's value of {x} is negative"),
                    "value is what the account is worth (ARR or similar): 0 or more",
                );
                return None;
            }
            if x > 1e15 {
                p.push(
                    "invalid_value",
                    path,
                    format!("an account's value of {x} is too large"),
                    "values up to 1e15 are summed exactly enough; use a larger currency unit",
                );
                return None;
            }
            Some(x)
        });
        let mut given_series = Vec::new();
        let values = match o.get("values") {
            None => Some(Vec::new()),
            Some(v) => read_values(v, &o.path_of("values"), &mut given_series, &mut p),
        };
        let observed_at = o.opt("observedAt", &mut p, |v, path, p| {
            let Value::Object(map) = v else {
                p.push(
                    "wrong_type",
                    path,
                    format!("observedAt must be an object, not {}", read::kind(v)),
                    "write observedAt as { \"measureId\": \"2026-09-30\", ... }",
                );
                return None;
            };
            let mut out = Vec::new();
            for (k, d) in map {
                let at = field(path, k);
                if let Some(s) = read::string(d, &at, p) {
                    if parse_iso(&s).is_none() {
                        p.push(
                            "invalid_date",
                            &at,
                            format!("`{s}` is not an ISO 8601 date"),
                            "write dates as 2026-09-30 or 2026-09-30T14:00:00Z",
                        );
                    } else {
                        out.push((k.clone(), s));
                    }
                }
            }
            Some(out)
        });
        let fields = o.opt("fields", &mut p, |v, path, p| {
            let Value::Object(map) = v else {
                p.push(
                    "wrong_type",
                    path,
                    format!("fields must be an object, not {}", read::kind(v)),
                    "write fields as { \"tenure\": 14, \"plan\": \"pro\" }",
                );
                return None;
            };
            let mut out = Vec::new();
            for (k, x) in map {
                match Input::from_doc(x) {
                    Input::Other(kind) => p.push(
                        "wrong_type",
                        &field(path, k),
                        format!("a field is a number, a boolean, a string or null, not {kind}"),
                        "give the field one plain value",
                    ),
                    Input::Number(n) if !n.is_finite() => p.push(
                        "not_finite",
                        &field(path, k),
                        format!("{n} is not a finite number"),
                        "give a finite number, or null",
                    ),
                    input => out.push((k.clone(), input)),
                }
            }
            Some(out)
        });
        let notes = o.opt("notes", &mut p, |v, path, p| {
            let Value::Object(map) = v else {
                p.push(
                    "wrong_type",
                    path,
                    format!("notes must be an object, not {}", read::kind(v)),
                    "write notes as { \"measureId\": { \"author\": \"ana\", \"comment\": \"…\" } }",
                );
                return None;
            };
            let read: Vec<Option<(String, Note)>> = map
                .iter()
                .map(|(k, x)| note(x, &field(path, k), p).map(|n| (k.clone(), n)))
                .collect();
            read.into_iter().collect::<Option<Vec<_>>>()
        });
        if !p.is_empty() {
            return Err(p.0);
        }
        Ok(Account {
            fields: fields.flatten().unwrap_or_default(),
            notes: notes.flatten().unwrap_or_default(),
            series: given_series,
            id: id.unwrap_or_default(),
            name: name.flatten(),
            segment: segment.flatten(),
            value: value.flatten(),
            values: values.unwrap_or_default(),
            observed_at: observed_at.flatten().unwrap_or_default(),
        })
    }
}

/// The JSON shape of an account, as a serde type: for JSON Schema and
/// TypeScript generation, and for Rust callers who deserialise accounts with
/// serde. [`Account::from_json`] reads the same shape with paths in its errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountDoc {
    /// The account's id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Segment, e.g. `enterprise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// What the account is worth (ARR or similar), 0..1e15.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Raw values by measure id; null means missing.
    #[serde(default)]
    pub values: BTreeMap<String, Option<RawValue>>,
    /// When each value was observed (ISO 8601 dates), by measure id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub observed_at: BTreeMap<String, String>,
    /// Attributes that are not measures (`tenure`, `plan`), read by model
    /// set conditions (`when.fields`), never scored; null means unknown.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Option<RawValue>>,
    /// Who gave a value, when and why, by measure id; shown with the value
    /// in the scorecard's breakdown.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, Note>,
}

/// A raw value: a number (numeric rules), a boolean (`flag`) or a string (`match`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum RawValue {
    /// For steps, linear, perEvent and scale rules.
    Number(f64),
    /// For flag rules.
    Bool(bool),
    /// For match rules.
    Text(String),
    /// For measures with a `series`: points from which a number is derived.
    Series(Vec<SeriesPoint>),
}

impl From<f64> for RawValue {
    fn from(x: f64) -> RawValue {
        RawValue::Number(x)
    }
}

impl From<bool> for RawValue {
    fn from(b: bool) -> RawValue {
        RawValue::Bool(b)
    }
}

impl From<&str> for RawValue {
    fn from(s: &str) -> RawValue {
        RawValue::Text(s.to_string())
    }
}

impl From<AccountDoc> for Account {
    fn from(doc: AccountDoc) -> Account {
        let input = |v: Option<RawValue>| match v {
            None | Some(RawValue::Series(_)) => Input::Missing,
            Some(RawValue::Number(x)) => Input::Number(x),
            Some(RawValue::Bool(b)) => Input::Bool(b),
            Some(RawValue::Text(t)) => Input::Text(t),
        };
        // A point whose date cannot be read is left out (from_json reports it).
        let series = doc
            .values
            .iter()
            .filter_map(|(k, v)| match v {
                Some(RawValue::Series(points)) => Some((
                    k.clone(),
                    points
                        .iter()
                        .filter_map(|pt| Some((parse_iso(&pt.at)?, pt.value)))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        let values = doc
            .values
            .into_iter()
            .filter(|(_, v)| !matches!(v, Some(RawValue::Series(_))))
            .map(|(k, v)| (k, input(v)))
            .collect();
        Account {
            id: doc.id,
            name: doc.name,
            segment: doc.segment,
            value: doc.value,
            values,
            observed_at: doc.observed_at.into_iter().collect(),
            fields: doc.fields.into_iter().map(|(k, v)| (k, input(v))).collect(),
            notes: doc.notes.into_iter().collect(),
            series,
        }
    }
}
