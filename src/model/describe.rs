//! A model described for a caller that builds on its columns (the JS
//! package packs account values and builds scorecards from columnar
//! results): its bands, its categories and measures in order, and what each
//! measure reads. One typed description; its TypeScript type is generated
//! from it like every other document's.

use super::{insufficient_band, Band, Model, Reads, Source};
use serde::{Deserialize, Serialize};

/// What a caller needs to know of a model to stage its columns and read
/// its columnar results ([`Model::describe`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    /// The model's id.
    pub id: String,
    /// The model's hash.
    pub hash: String,
    /// The bands, lowest first (a columnar band code is an index here).
    pub bands: Vec<Band>,
    /// The band of a result without enough data.
    pub insufficient: Band,
    /// The categories in model order, each with its measures.
    pub categories: Vec<CategoryInfo>,
    /// The measures in model order (a column index is an index here).
    pub measures: Vec<MeasureInfo>,
    /// The coverage below which a scorecard is flagged `lowCoverage`.
    pub low_coverage_below: f64,
    /// How far back, in days, a trend, a drop or a change looks: the
    /// history an update needs before its previous snapshot.
    pub history_days: f64,
    /// Whether a score can change with time alone (a half-life, a staleness
    /// limit, a series window): such accounts are worth rescoring daily.
    pub ages: bool,
}

/// A category of a [`ModelInfo`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryInfo {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its measures: indexes into [`ModelInfo::measures`], in order.
    pub measures: Vec<usize>,
}

/// A measure of a [`ModelInfo`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeasureInfo {
    /// Its id (the key of its value in an account's `values`).
    pub id: String,
    /// Its label.
    pub label: String,
    /// What its rule reads.
    pub reads: ReadsKind,
    /// Who gives its value.
    pub source: Source,
    /// Whether it may be a lever or a plan's change (`actionable`, with its
    /// default filled in).
    pub actionable: bool,
    /// The account field its value is divided by, if any.
    pub per: Option<String>,
    /// A `match` rule's texts, in the order of their codes in a column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// A `match` rule with an `otherwise` score: any other text scores
    /// that (in a column: the code after the last of `values`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub otherwise: bool,
    /// Texts that mean "no value" for this measure besides the standard
    /// ones (`constants().missingTexts`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_values: Vec<String>,
}

/// What a rule reads: a number, a flag or a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReadsKind {
    /// A number.
    Number,
    /// true or false (1 or 0 in a column).
    Flag,
    /// A text (its code in a column).
    Text,
}

impl Model {
    /// The model as a caller of its columns needs it.
    pub fn describe(&self) -> ModelInfo {
        let spec = self.spec();
        let mut next = 0usize;
        let categories = spec
            .categories
            .iter()
            .map(|c| {
                let measures = (next..next + c.measures.len()).collect();
                next += c.measures.len();
                CategoryInfo {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    measures,
                }
            })
            .collect();
        let measures = spec
            .categories
            .iter()
            .flat_map(|c| &c.measures)
            .map(|m| {
                let (reads, values, otherwise) = match m.rule.reads() {
                    Reads::Number => (ReadsKind::Number, None, false),
                    Reads::Flag => (ReadsKind::Flag, None, false),
                    Reads::Text { scores, otherwise } => (
                        ReadsKind::Text,
                        Some(scores.keys().cloned().collect()),
                        otherwise.is_some(),
                    ),
                };
                MeasureInfo {
                    id: m.id.clone(),
                    label: m.label.clone(),
                    reads,
                    source: m.source,
                    actionable: m.actionable.unwrap_or(m.source.actionable_by_default()),
                    per: m.per.clone(),
                    values,
                    otherwise,
                    missing_values: m.missing_values.clone(),
                }
            })
            .collect();
        ModelInfo {
            id: self.id().to_string(),
            hash: self.hash().to_string(),
            bands: self.bands().to_vec(),
            insufficient: insufficient_band(),
            categories,
            measures,
            low_coverage_below: spec.low_coverage_below,
            history_days: spec
                .alerts
                .trend_window_days
                .max(spec.alerts.drop_window_days)
                .max(spec.alerts.change_window_days),
            ages: spec.stale_after_days.is_some()
                || spec.categories.iter().flat_map(|c| &c.measures).any(|m| {
                    m.half_life_days.is_some() || m.stale_after_days.is_some() || m.series.is_some()
                }),
        }
    }
}
