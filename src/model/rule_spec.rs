//! The model document's rules (how one raw value becomes a partial score)
//! and series (how a number is derived from points); part of the model
//! document, re-exported by `spec.rs`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a number is derived from a series of `{ at, value }` points. The
/// windows end at the scoring date (`asOf`, else `at`), else at the latest
/// point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeriesSpec {
    /// `slope`, `ratio` or `ewma`.
    pub derive: Derive,
    /// slope: points per this many days (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_days: Option<f64>,
    /// slope: only points within this many days before the end (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<f64>,
    /// ratio: the recent window's length in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_days: Option<f64>,
    /// ratio: the earlier window's length in days (right before the recent one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_days: Option<f64>,
    /// ewma: a point this many days older counts half as much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
}

/// The number derived from a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Derive {
    /// Least-squares slope of value over time, per `perDays` days.
    Slope,
    /// The recent window's rate (sum ÷ days) over the prior window's.
    Ratio,
    /// Exponentially weighted mean, weights `0.5^(age / halfLifeDays)`.
    Ewma,
}

impl Derive {
    /// The JSON name (serde's, at the variant's position: one source).
    pub fn as_str(self) -> &'static str {
        crate::names::variants::<Derive>()[self as usize]
    }
}

/// A rule: turns one raw value into a partial score with a known range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Rule {
    /// `value < thresholds[0]` → `scores[0]`, …, `value ≥ last` → last score.
    Steps {
        /// Strictly increasing.
        thresholds: Vec<f64>,
        /// One more than thresholds.
        scores: Vec<f64>,
    },
    /// Piecewise linear through `(value, score)` points, clamped at the ends.
    Linear {
        /// Values strictly increasing.
        points: Vec<[f64; 2]>,
    },
    /// `points × min(count, maxEvents)`.
    #[serde(rename_all = "camelCase")]
    PerEvent {
        /// Points per event (negative for penalties).
        points: f64,
        /// Count cap; without it the rule has no bound.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_events: Option<u64>,
    },
    /// `ifTrue` or `ifFalse`; takes booleans only.
    #[serde(rename_all = "camelCase")]
    Flag {
        /// Score when true.
        if_true: f64,
        /// Score when false (default 0).
        #[serde(default)]
        if_false: f64,
    },
    /// The value itself, which must lie within `min..max`.
    Scale {
        /// Lowest allowed value.
        min: f64,
        /// Highest allowed value.
        max: f64,
    },
    /// The value's percentile rank (0..100) in a reference distribution
    /// stored in the model: linear between the given quantiles, a run of
    /// equal quantiles at its middle rank (see DESIGN-NOTES.md).
    Percentile {
        /// The values at evenly spaced percentiles, lowest (0th) to highest
        /// (100th): non-decreasing, at least two different.
        quantiles: Vec<f64>,
    },
    /// A score per text value.
    Match {
        /// Score per value.
        scores: BTreeMap<String, f64>,
        /// Score of any other value (without it, other values are errors).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        otherwise: Option<f64>,
    },
}

/// A percentile rule's points `(value, percentile rank)`: the quantiles at
/// evenly spaced ranks, each run of equal quantiles once, at the middle of
/// its ranks (the mid-rank), so values strictly increase. An iterator, so
/// that scoring one account allocates nothing.
pub fn percentile_points(quantiles: &[f64]) -> impl Iterator<Item = [f64; 2]> + '_ {
    let n = quantiles.len();
    let rank = move |k: usize| 100.0 * k as f64 / (n - 1).max(1) as f64;
    let mut a = 0;
    std::iter::from_fn(move || {
        if a >= n {
            return None;
        }
        let mut b = a;
        while b + 1 < n && quantiles[b + 1] == quantiles[a] {
            b += 1;
        }
        let point = [quantiles[a], (rank(a) + rank(b)) / 2.0];
        a = b + 1;
        Some(point)
    })
}

impl Rule {
    /// The rule's `type` in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Steps { .. } => "steps",
            Rule::Linear { .. } => "linear",
            Rule::PerEvent { .. } => "perEvent",
            Rule::Flag { .. } => "flag",
            Rule::Scale { .. } => "scale",
            Rule::Percentile { .. } => "percentile",
            Rule::Match { .. } => "match",
        }
    }

    /// What the rule reads. Everything that depends on the kind of value
    /// (typing a cell, packing a column, a cap's comparison) asks this, not
    /// the rule type, so a new numeric rule type changes none of it.
    pub fn reads(&self) -> Reads<'_> {
        match self {
            Rule::Flag { .. } => Reads::Flag,
            Rule::Match { scores, otherwise } => Reads::Text {
                scores,
                otherwise: *otherwise,
            },
            _ => Reads::Number,
        }
    }
}

/// What a rule reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reads<'a> {
    /// A number.
    Number,
    /// true or false.
    Flag,
    /// A text, one of `scores`' keys (or any, scored `otherwise`).
    Text {
        /// The score of each known text.
        scores: &'a BTreeMap<String, f64>,
        /// The score of any other text.
        otherwise: Option<f64>,
    },
}

impl Reads<'_> {
    /// Its name in the JSON that describes a model to the JS side.
    pub fn name(self) -> &'static str {
        match self {
            Reads::Number => "number",
            Reads::Flag => "flag",
            Reads::Text { .. } => "text",
        }
    }
}
