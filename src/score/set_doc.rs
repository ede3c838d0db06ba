//! The model set document as serde types: for JSON Schema and TypeScript
//! generation, and for the reader's field lists (`ModelSet::from_value`
//! reads the same shape with paths in its errors).

use crate::model::{CapValue, ModelSpec, Op};
use serde::{Deserialize, Serialize};

/// `{ version: 1, id, models: [{ when, model }, …, { default: true, model }] }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelSetDoc {
    /// Format version; only `1` exists.
    pub version: u32,
    /// Stable id of the set.
    pub id: String,
    /// The models with their conditions, in order; the default last.
    pub models: Vec<SetEntryDoc>,
}

/// One model of a set: a condition, or `default: true` (the last entry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetEntryDoc {
    /// When this model applies (every condition given must hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<SetWhenDoc>,
    /// The model that applies when no condition before it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// The model document.
    pub model: ModelSpec,
}

/// Conditions on the account; each one given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetWhenDoc {
    /// The account's segment is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<String>>,
    /// The account's value is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// The account's value is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    /// Conditions on the account's `fields` (all must hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldCondition>>,
}

/// `field op value` on one of the account's `fields`. A field the account
/// does not give (or gives as null, or as another type) does not hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldCondition {
    /// The field's name, a key of the account's `fields`.
    pub field: String,
    /// `<`, `<=`, `>`, `>=` for numbers; `==`, `!=` for any value.
    pub op: Op,
    /// A number, a boolean or a string.
    pub value: CapValue,
}
