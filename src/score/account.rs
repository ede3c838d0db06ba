//! An account: what is being scored.

use crate::date::parse_iso;
use crate::error::{field, Error};
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
    pub fn from_json(v: &Value) -> Input {
        match v {
            Value::Null => Input::Missing,
            Value::Bool(b) => Input::Bool(*b),
            Value::Number(n) => Input::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Input::Text(s.clone()),
            other => Input::Other(read::kind(other)),
        }
    }

    /// The value as JSON (`null` for missing, non-finite numbers and others).
    pub fn to_json(&self) -> Value {
        match self {
            Input::Number(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Input::Bool(b) => Value::Bool(*b),
            Input::Text(s) => Value::String(s.clone()),
            Input::Missing | Input::Other(_) => Value::Null,
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
        self.to_json().serialize(s)
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
    pub fn from_json(v: &Value) -> Result<Account, Vec<Error>> {
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
        let values = match o.get("values") {
            None => Some(Vec::new()),
            Some(Value::Object(map)) => Some(
                map.iter()
                    .map(|(k, v)| (k.clone(), Input::from_json(v)))
                    .collect(),
            ),
            Some(other) => {
                p.push(
                    "wrong_type",
                    &o.path_of("values"),
                    format!("values must be an object, not {}", read::kind(other)),
                    "write values as { \"measureId\": value, ... }",
                );
                None
            }
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
                match Input::from_json(x) {
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
        if !p.is_empty() {
            return Err(p.0);
        }
        Ok(Account {
            fields: fields.flatten().unwrap_or_default(),
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
            None => Input::Missing,
            Some(RawValue::Number(x)) => Input::Number(x),
            Some(RawValue::Bool(b)) => Input::Bool(b),
            Some(RawValue::Text(t)) => Input::Text(t),
        };
        Account {
            id: doc.id,
            name: doc.name,
            segment: doc.segment,
            value: doc.value,
            values: doc.values.into_iter().map(|(k, v)| (k, input(v))).collect(),
            observed_at: doc.observed_at.into_iter().collect(),
            fields: doc.fields.into_iter().map(|(k, v)| (k, input(v))).collect(),
        }
    }
}
