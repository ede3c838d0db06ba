//! The model document: the JSON a user writes, as Rust types.
//!
//! These types are the normalised form of a model (defaults filled in). They
//! serialise to the canonical JSON that [`crate::Model::hash`] is taken over
//! and that `toJSON()` returns. Reading a document goes through
//! `model::parse`, which reports every mistake with its path;
//! `serde`'s derived `Deserialize` reads the same shape (a test checks both
//! agree).

use serde::{Deserialize, Serialize};

pub use super::alert_spec::*;
pub use super::conditions::*;
pub use super::rule_spec::*;

/// A whole model document, `"version": 1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelSpec {
    /// Format version; only `1` exists.
    pub version: u32,
    /// Stable id, carried by every scorecard as `modelId`.
    pub id: String,
    /// Human name (defaults to the id).
    #[serde(default)]
    pub name: String,
    /// Free text for the people who maintain the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `weighted` (composite KPI, default) or `points` (points system).
    #[serde(default = "defaults::aggregation")]
    pub aggregation: Aggregation,
    /// Default missing-data policy for every measure (default `skip`).
    #[serde(default = "defaults::missing")]
    pub missing: MissingPolicy,
    /// Share of the total weight that must be present for a band (default 0.5).
    #[serde(default = "defaults::min_coverage")]
    pub min_coverage: f64,
    /// A scorecard whose coverage is below this share is flagged
    /// `lowCoverage` (default 0.8): its score rests on little data.
    #[serde(
        default = "defaults::low_coverage_below",
        skip_serializing_if = "is_default_low_coverage"
    )]
    pub low_coverage_below: f64,
    /// How far a score with missing data is pulled toward neutral (50), in
    /// proportion to what is missing: `penalty × (1 − coverage) × (score − 50)`
    /// points (0..1, default 0; 1 counts missing weight as neutral).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub coverage_penalty: f64,
    /// Values observed more than this many days before the scoring date are
    /// listed in the scorecard's `stale` (every measure; a measure's own
    /// `staleAfterDays` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<f64>,
    /// Points models only: the totals that map to 0 and 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Bands, lowest first.
    pub bands: Vec<BandSpec>,
    /// Categories (groups of measures).
    pub categories: Vec<CategorySpec>,
    /// Conditions that cap the score.
    #[serde(default)]
    pub caps: Vec<CapSpec>,
    /// Exceptions applied after caps, in order: each whose condition holds
    /// sets the score, raises it to a floor or caps it, with a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<OverrideSpec>,
    /// Alert thresholds (every field has a default).
    #[serde(default)]
    pub alerts: AlertSettings,
    /// Rules from band, trend, alert, segment and value to recommended actions.
    #[serde(default)]
    pub playbooks: Vec<Playbook>,
}

// Settings added after models were first hashed are left out of the
// canonical JSON at their defaults, so that every model keeps its hash.
fn is_default_low_coverage(x: &f64) -> bool {
    *x == defaults::low_coverage_below()
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// How measure scores become the overall score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Aggregation {
    /// Weighted average of normalised scores, times 100.
    Weighted,
    /// Sum of rule outputs, mapped onto 0..100 by a range.
    Points,
}

/// What to do when a measure has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MissingPolicy {
    /// Leave it out and renormalise the other weights.
    Skip,
    /// Count it as normalised 0.5.
    Neutral,
    /// Count it as normalised 0.
    Worst,
    /// Refuse to score the account.
    Error,
    /// Count it as the measure's `missingScore` (a rule output, e.g. learned
    /// from data by `suggest`).
    Impute,
}

impl MissingPolicy {
    /// The JSON name (serde's, at the variant's position: one source).
    pub fn as_str(self) -> &'static str {
        crate::names::variants::<MissingPolicy>()[self as usize]
    }
}

/// How a category combines its measures (weighted models).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Combine {
    /// Weighted average.
    Average,
    /// Worst of: the lowest normalised score decides.
    Min,
    /// Best of: the highest normalised score decides.
    Max,
}

/// A band: a range of scores with a label and a colour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BandSpec {
    /// Stable id (`healthy`); `insufficient_data` is reserved.
    pub id: String,
    /// Text shown to people (never colour alone; defaults to the id).
    #[serde(default)]
    pub label: String,
    /// `#rgb` or `#rrggbb`.
    pub color: String,
    /// Inclusive lower edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Exclusive lower edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
}

/// A category: a group of measures with a weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CategorySpec {
    /// Stable id, unique among categories.
    pub id: String,
    /// Text shown to people (defaults to the id).
    #[serde(default)]
    pub label: String,
    /// Relative weight (weighted models only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// How measures combine (default `average`).
    #[serde(default = "defaults::combine")]
    pub combine: Combine,
    /// The measures.
    pub measures: Vec<MeasureSpec>,
}

/// A measure: one input signal, its rule and its weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeasureSpec {
    /// Stable id, unique in the model; the key in an account's `values`.
    pub id: String,
    /// Text shown to people (defaults to the id).
    #[serde(default)]
    pub label: String,
    /// Free text: where the value comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Relative weight within its category (weighted models only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Where the value comes from: `data` (default: a system) or `csm` (a
    /// person's judgement, compared with the score: `sentimentDisagrees`).
    #[serde(default, skip_serializing_if = "Source::is_data")]
    pub source: Source,
    /// Missing-data policy (defaults to the model's).
    #[serde(default = "defaults::missing")]
    pub missing: MissingPolicy,
    /// Whether the account team can change it: `false` keeps the measure in
    /// the score and its breakdown, and out of levers and plans (tenure,
    /// age, contract terms). Defaults to true, and to false for `source:
    /// "csm"` (a CSM's own rating is never a lever for the CSM). Written only
    /// when it differs from that default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actionable: Option<bool>,
    /// How the raw value becomes a partial score.
    pub rule: Rule,
    /// Divide the value by the account's `value` (`"value"`) or by one of
    /// its `fields` (`"seats"`) before the rule: per seat, per dollar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// The measure may be fed a short series (`[{ at, value }, …]`) from
    /// which a number is derived (slope, ratio of windows, EWMA) before the
    /// rule applies; a plain number is taken as already derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<SeriesSpec>,
    /// Staleness: the normalised score decays toward 0.5 with this half-life
    /// as the value's `observedAt` ages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
    /// With `missing: "impute"`: the rule output a missing value counts as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_score: Option<f64>,
    /// A value observed more than this many days before the scoring date is
    /// listed in the scorecard's `stale` (no decay: that is `halfLifeDays`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<f64>,
    /// Texts that mean "no value" for this measure, besides the blank string
    /// and the standard ones (`NA`, `Unknown`, …; see DESIGN-NOTES.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_values: Vec<String>,
}

/// Where a measure's value comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// A system (product usage, support, billing).
    #[default]
    Data,
    /// A person: the CSM's judgement (sentiment, pulse).
    Csm,
}

impl Source {
    /// Whether this is the default, `data`.
    pub fn is_data(&self) -> bool {
        *self == Source::Data
    }

    /// Whether a measure of this source is a lever unless it says
    /// otherwise: a system's data is; a CSM's own rating is not.
    pub fn actionable_by_default(self) -> bool {
        self != Source::Csm
    }
}
/// The defaults of absent fields: serde's `#[serde(default = …)]` and the
/// reader (`parse.rs`) both take them from here.
pub(crate) mod defaults {
    use super::*;
    pub fn aggregation() -> Aggregation {
        Aggregation::Weighted
    }
    pub fn missing() -> MissingPolicy {
        MissingPolicy::Skip
    }
    pub fn min_coverage() -> f64 {
        0.5
    }
    pub fn low_coverage_below() -> f64 {
        0.8
    }
    pub fn combine() -> Combine {
        Combine::Average
    }
}
