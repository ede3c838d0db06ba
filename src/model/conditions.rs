//! The model document's conditions on raw values: caps, overrides, and the
//! comparison they share; part of the model document, re-exported by
//! `spec.rs`.

use serde::{Deserialize, Serialize};

/// A cap: when the condition holds, the score is at most `max`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapSpec {
    /// The condition.
    pub when: Condition,
    /// The highest score allowed while it holds (0..100).
    pub max: f64,
    /// Shown in the scorecard.
    pub reason: String,
}

/// An override (an exception, applied after caps and in order): when its
/// condition holds, exactly one of `set`, `floor` or `cap` applies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverrideSpec {
    /// The conditions: every one of `all` and at least one of `any` (each
    /// given list must hold; at least one list is given).
    pub when: OverrideWhen,
    /// The score becomes this (0..100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<f64>,
    /// The score is raised to at least this (0..100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<f64>,
    /// The score is lowered to at most this (0..100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// Shown in the scorecard.
    pub reason: String,
}

/// An override's conditions, on the measures' raw values. A condition on a
/// measure without a value does not hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverrideWhen {
    /// Every one of these holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    /// At least one of these holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
}

/// What an override does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum OverrideKind {
    /// The score becomes the value.
    Set,
    /// The score is raised to at least the value.
    Floor,
    /// The score is lowered to at most the value.
    Cap,
}

impl OverrideSpec {
    /// What the override does and its value (validated: exactly one given).
    pub fn action(&self) -> (OverrideKind, f64) {
        match (self.set, self.floor, self.cap) {
            (Some(v), _, _) => (OverrideKind::Set, v),
            (_, Some(v), _) => (OverrideKind::Floor, v),
            (_, _, v) => (OverrideKind::Cap, v.unwrap_or(100.0)),
        }
    }
}

/// `measure op value`, on the measure's raw value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// A measure id of the model.
    pub measure: String,
    /// `<`, `<=`, `>`, `>=`, `==`, `!=`.
    pub op: Op,
    /// A number (numeric rules), a boolean (flag) or a string (match).
    pub value: CapValue,
}

/// Comparison operators for caps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Op {
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    Ge,
    /// Equal.
    #[serde(rename = "==")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=")]
    Ne,
}

impl Op {
    /// The JSON name (`<`, `==`, …: serde's, at the variant's position).
    pub fn as_str(self) -> &'static str {
        crate::names::variants::<Op>()[self as usize]
    }

    /// Whether `x op v` holds: the one definition the scalar engine and the
    /// columnar kernel both use (inlined, so a kernel loop with a constant
    /// operator stays a plain comparison).
    #[inline(always)]
    pub fn holds(self, x: f64, v: f64) -> bool {
        match self {
            Op::Lt => x < v,
            Op::Le => x <= v,
            Op::Gt => x > v,
            Op::Ge => x >= v,
            Op::Eq => x == v,
            Op::Ne => x != v,
        }
    }
}

/// One raw value as a rule reads it: a number, a boolean or a text (in
/// JSON: `4`, `true`, `"Two year"`). A condition compares with one; a
/// scorecard shows one per measure (`null` where there is none), and a
/// lever or a plan names one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Scalar {
    /// For numeric rules.
    Number(f64),
    /// For flags.
    Bool(bool),
    /// For match rules.
    Text(String),
}

impl Scalar {
    /// The number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Number(x) => Some(*x),
            _ => None,
        }
    }
    /// The boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The text, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl From<f64> for Scalar {
    fn from(x: f64) -> Scalar {
        Scalar::Number(x)
    }
}

impl From<bool> for Scalar {
    fn from(b: bool) -> Scalar {
        Scalar::Bool(b)
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Scalar {
        Scalar::Text(s.to_string())
    }
}

/// The value a cap or an override's condition compares with.
pub type CapValue = Scalar;
