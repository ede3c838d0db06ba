//! The model: how to score. A JSON document is read and validated once
//! ([`Model::from_json`]), then scores many accounts.

mod actions;
mod alert_spec;
mod conditions;
mod describe;
pub(crate) mod hash;
pub(crate) mod parse;
pub(crate) mod parse_conditions;
mod parse_series;
mod playbooks;
pub mod presets;
mod quantiles;
mod rule_spec;
pub(crate) mod rules;
pub mod spec;
mod validate;

pub use actions::{Action, PlaybookContext};
pub use describe::{CategoryInfo, MeasureInfo, ModelInfo, ReadsKind};
pub use quantiles::{quantiles, MAX_QUANTILES};
pub use spec::*;

use crate::error::{Error, Errors};
use crate::read::Problems;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

/// A band as scorecards show it: id, label and colour.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Band {
    /// Stable id (`healthy`, or `insufficient_data`).
    pub id: String,
    /// Text for people.
    pub label: String,
    /// `#rrggbb` or `#rgb`.
    pub color: String,
}

/// A band's lower edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Edge {
    pub at: f64,
    /// `above` (exclusive) rather than `from` (inclusive).
    pub strict: bool,
}

impl Edge {
    /// Whether a score is at or above this edge: the one definition the
    /// engine (`band_index`) and the columnar kernel both use.
    #[inline(always)]
    pub fn admits(self, score: f64) -> bool {
        if self.strict {
            score > self.at
        } else {
            score >= self.at
        }
    }
}

/// The id, label and colour of the band given to results with too little
/// data (no measure present, or coverage below `minCoverage`).
pub const INSUFFICIENT_DATA: &str = "insufficient_data";

/// The band given to results with too little data.
pub fn insufficient_band() -> Band {
    Band {
        id: INSUFFICIENT_DATA.into(),
        label: "Insufficient data".into(),
        color: "#8c8c8c".into(),
    }
}

/// A measure, compiled for scoring.
#[derive(Clone, Debug)]
pub(crate) struct Measure {
    pub id: String,
    pub label: String,
    pub category: usize,
    /// Relative weight within its category (0 in a points model).
    pub weight: f64,
    pub rule: Rule,
    pub missing: MissingPolicy,
    /// `csm`: a person's judgement, compared with the score.
    pub source: Source,
    /// Whether it may be a lever or a plan's change.
    pub actionable: bool,
    /// Derives the value from a series, when given one.
    pub series: Option<SeriesSpec>,
    /// Divides the value by the account's `value` or one of its fields.
    pub per: Option<String>,
    /// The rule's output range. An unbounded perEvent rule in a points model
    /// counts as spanning the model's whole range (see DESIGN-NOTES.md).
    pub min: f64,
    pub max: f64,
    /// Its share of the model's total weight, for `coverage`.
    pub share: f64,
    /// Staleness half-life, if any.
    pub half_life_days: Option<f64>,
    /// Age in days past which a value is listed as stale (the measure's
    /// own, else the model's).
    pub stale_after_days: Option<f64>,
    /// `missing: "impute"`: the output of a missing value (else NaN).
    pub missing_score: f64,
    /// Extra texts that mean "no value".
    pub missing_values: Vec<String>,
}

/// A category, compiled for scoring.
#[derive(Clone, Debug)]
pub(crate) struct Category {
    pub id: String,
    pub label: String,
    /// Relative weight (0 in a points model).
    pub weight: f64,
    pub combine: Combine,
    /// Its measures: a range of indexes into [`Model::measures`].
    pub measures: Range<usize>,
}

/// A cap, compiled.
#[derive(Clone, Debug)]
pub(crate) struct Cap {
    pub measure: usize,
    pub op: Op,
    pub value: CapValue,
    pub max: f64,
    pub reason: String,
}

/// A condition `measure op value`, compiled.
#[derive(Clone, Debug)]
pub(crate) struct Test {
    pub measure: usize,
    pub op: Op,
    pub value: CapValue,
}

/// An override, compiled: every test of `all` and (when `any` is not
/// empty) one of `any` hold.
#[derive(Clone, Debug)]
pub(crate) struct Override {
    pub all: Vec<Test>,
    pub any: Vec<Test>,
    pub kind: OverrideKind,
    pub value: f64,
    pub reason: String,
}

impl Override {
    /// The score after this override, from the score before it.
    #[inline(always)]
    pub fn apply(&self, score: f64) -> f64 {
        match self.kind {
            OverrideKind::Set => self.value,
            OverrideKind::Floor => score.max(self.value),
            OverrideKind::Cap => score.min(self.value),
        }
    }
}

/// A validated model, ready to score.
#[derive(Clone, Debug)]
pub struct Model {
    spec: ModelSpec,
    canonical: String,
    hash: String,
    pub(crate) measures: Vec<Measure>,
    pub(crate) categories: Vec<Category>,
    pub(crate) caps: Vec<Cap>,
    pub(crate) overrides: Vec<Override>,
    pub(crate) bands: Vec<Band>,
    pub(crate) edges: Vec<Edge>,
    /// Points models with an explicit range: `(lo, hi)`.
    pub(crate) range: Option<(f64, f64)>,
    index: HashMap<String, usize>,
}

impl Model {
    /// Reads and validates a model from JSON text: every mistake is
    /// reported, each with its path into the document.
    pub fn from_json(text: &str) -> Result<Model, Errors> {
        crate::limits::check_text(text, "the model", crate::limits::MAX_MODEL_BYTES)?;
        let doc = crate::error::parse_json(text, "the model")?;
        Model::from_doc(&doc)
    }

    /// Reads and validates a model from a parsed JSON document.
    pub(crate) fn from_doc(doc: &Value) -> Result<Model, Errors> {
        crate::limits::check_model(doc)?;
        let mut p = Problems::default();
        match parse::model(doc, &mut p) {
            Some(spec) if p.is_empty() => Ok(Model::compile(spec)),
            _ => Err(Errors(p.0)),
        }
    }

    /// Validates a typed model (built in Rust rather than read from JSON):
    /// it must pass exactly what a document passes.
    pub fn from_spec(spec: &ModelSpec) -> Result<Model, Errors> {
        let doc = serde_json::to_value(spec).map_err(|e| {
            Errors(vec![Error::new(
                "invalid_value",
                "",
                e.to_string(),
                "use finite numbers",
            )])
        })?;
        Model::from_doc(&doc)
    }

    /// Every problem with a model given as JSON text, without building it
    /// (empty when the model is valid).
    pub fn validate(text: &str) -> Vec<Error> {
        match Model::from_json(text) {
            Ok(_) => Vec::new(),
            Err(e) => e.0,
        }
    }

    fn compile(spec: ModelSpec) -> Model {
        let points = spec.aggregation == Aggregation::Points;
        let range = spec.range.map(|[lo, hi]| (lo, hi));
        let total_category_weight: f64 = spec.categories.iter().filter_map(|c| c.weight).sum();
        let mut measures = Vec::new();
        let mut categories = Vec::new();
        for (ci, c) in spec.categories.iter().enumerate() {
            let start = measures.len();
            let measure_weight: f64 = c.measures.iter().filter_map(|m| m.weight).sum();
            for m in &c.measures {
                let (min, max) = rules::measure_bounds(m).unwrap_or_else(|| {
                    // Only possible in a points model with an explicit range.
                    let width = range.map(|(lo, hi)| hi - lo).unwrap_or(1.0);
                    rules::open_bounds(&m.rule, width)
                });
                let weight = if points { 0.0 } else { m.weight.unwrap_or(0.0) };
                let share = if points {
                    max - min
                } else {
                    c.weight.unwrap_or(0.0) / total_category_weight * weight / measure_weight
                };
                measures.push(Measure {
                    id: m.id.clone(),
                    label: m.label.clone(),
                    category: ci,
                    weight,
                    rule: m.rule.clone(),
                    missing: m.missing,
                    source: m.source,
                    actionable: m.actionable.unwrap_or(m.source.actionable_by_default()),
                    series: m.series.clone(),
                    per: m.per.clone(),
                    min,
                    max,
                    share,
                    half_life_days: m.half_life_days,
                    stale_after_days: m.stale_after_days.or(spec.stale_after_days),
                    missing_score: match m.missing {
                        MissingPolicy::Impute => m.missing_score.unwrap_or(f64::NAN),
                        _ => f64::NAN,
                    },
                    missing_values: m.missing_values.clone(),
                });
            }
            categories.push(Category {
                id: c.id.clone(),
                label: c.label.clone(),
                weight: if points { 0.0 } else { c.weight.unwrap_or(0.0) },
                combine: c.combine,
                measures: start..measures.len(),
            });
        }
        if points {
            let total: f64 = measures.iter().map(|m| m.share).sum();
            for m in &mut measures {
                m.share /= total;
            }
        }
        let index: HashMap<String, usize> = measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let caps = spec
            .caps
            .iter()
            .map(|c| Cap {
                measure: index[&c.when.measure],
                op: c.when.op,
                value: c.when.value.clone(),
                max: c.max,
                reason: c.reason.clone(),
            })
            .collect();
        let test = |c: &Condition| Test {
            measure: index[&c.measure],
            op: c.op,
            value: c.value.clone(),
        };
        let overrides = spec
            .overrides
            .iter()
            .map(|o| {
                let (kind, value) = o.action();
                Override {
                    all: o.when.all.iter().flatten().map(test).collect(),
                    any: o.when.any.iter().flatten().map(test).collect(),
                    kind,
                    value,
                    reason: o.reason.clone(),
                }
            })
            .collect();
        let bands = spec
            .bands
            .iter()
            .map(|b| Band {
                id: b.id.clone(),
                label: b.label.clone(),
                color: b.color.clone(),
            })
            .collect();
        let edges = spec
            .bands
            .iter()
            .map(|b| match (b.from, b.above) {
                (_, Some(a)) => Edge {
                    at: a,
                    strict: true,
                },
                (f, None) => Edge {
                    at: f.unwrap_or(0.0),
                    strict: false,
                },
            })
            .collect();
        let canonical = hash::canonical(&spec);
        let hash = hash::sha256_hex(canonical.as_bytes());
        Model {
            spec,
            canonical,
            hash,
            measures,
            categories,
            caps,
            overrides,
            bands,
            edges,
            range,
            index,
        }
    }

    /// The model's id.
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// Lowercase hex SHA-256 of the canonical JSON (defaults filled in, keys
    /// sorted, no whitespace). Same model, same hash, on every platform.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The normalised model document (defaults filled in).
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// The canonical JSON text the hash is taken over.
    pub fn canonical_json(&self) -> &str {
        &self.canonical
    }

    /// The bands, lowest first (without `insufficient_data`).
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The measure ids, in model order.
    pub fn measure_ids(&self) -> impl Iterator<Item = &str> {
        self.measures.iter().map(|m| m.id.as_str())
    }

    /// The index of a measure id in model order.
    pub fn measure_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The band index for an unrounded score (the last band whose lower edge
    /// admits it).
    pub fn band_index(&self, score: f64) -> usize {
        self.edges
            .iter()
            .rposition(|e| e.admits(score))
            .unwrap_or(0)
    }
}
