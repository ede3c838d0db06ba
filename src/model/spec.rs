//! The model document: the JSON a user writes, as Rust types.
//!
//! These types are the normalised form of a model (defaults filled in). They
//! serialise to the canonical JSON that [`crate::Model::hash`] is taken over
//! and that `toJSON()` returns. Reading a document goes through
//! `model::parse`, which reports every mistake with its path;
//! `serde`'s derived `Deserialize` reads the same shape (a test checks both
//! agree).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// Alert thresholds. Defaults: bandChanged margin 2 / confirm 2; scoreDropped
/// 10 points within 30 days; approachingBand within 5 points; trend slope
/// over 90 days, flat within ±3 points per 30 days, change over 30 days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct AlertSettings {
    /// A band change counts once the score is this many points past the edge…
    pub band_margin: f64,
    /// …or has stayed in the new band for this many consecutive snapshots.
    pub band_confirm: u32,
    /// `scoreDropped` fires at a drop of at least this many points…
    pub drop_points: f64,
    /// …within this many days.
    pub drop_window_days: f64,
    /// `approachingBand` fires within this many points above a lower band's edge, while falling.
    pub approach_margin: f64,
    /// The least-squares slope is taken over this many days.
    pub trend_window_days: f64,
    /// A slope within ± this many points per 30 days is flat.
    pub flat_within: f64,
    /// `changeOverWindow` looks back this many days.
    pub change_window_days: f64,
    /// A trend has a direction only when its window spans at least this many
    /// days (default 7)…
    #[serde(skip_serializing_if = "is_default_min_days")]
    pub trend_min_days: f64,
    /// …and holds at least this many snapshots with a score (default 3).
    #[serde(skip_serializing_if = "is_default_min_snapshots")]
    pub trend_min_snapshots: u32,
    /// A CSM's measure (`source: "csm"`) and the score disagree when they
    /// are more than this many points apart on 0..100 (default 40).
    #[serde(skip_serializing_if = "is_default_sentiment_margin")]
    pub sentiment_margin: f64,
}

fn is_default_sentiment_margin(x: &f64) -> bool {
    *x == AlertSettings::default().sentiment_margin
}

// Settings added after models were first hashed are left out of the
// canonical JSON at their defaults, so that every model keeps its hash.
fn is_default_low_coverage(x: &f64) -> bool {
    *x == defaults::low_coverage_below()
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

// The two settings added after models were first hashed are left out of the
// canonical JSON at their defaults, so that every model keeps its hash.
fn is_default_min_days(x: &f64) -> bool {
    *x == AlertSettings::default().trend_min_days
}

fn is_default_min_snapshots(x: &u32) -> bool {
    *x == AlertSettings::default().trend_min_snapshots
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            band_margin: 2.0,
            band_confirm: 2,
            drop_points: 10.0,
            drop_window_days: 30.0,
            approach_margin: 5.0,
            trend_window_days: 90.0,
            flat_within: 3.0,
            change_window_days: 30.0,
            trend_min_days: 7.0,
            trend_min_snapshots: 3,
            sentiment_margin: 40.0,
        }
    }
}

/// A playbook rule: when every condition given holds, recommend the action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Playbook {
    /// Stable id of the action.
    pub id: String,
    /// What to do, for people.
    pub label: String,
    /// How soon.
    pub urgency: Urgency,
    /// The conditions (all must hold; an empty `when` always holds).
    #[serde(default)]
    pub when: PlaybookWhen,
}

/// Conditions of a playbook rule; each one given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaybookWhen {
    /// The scorecard's band is one of these ids (`insufficient_data` allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<String>>,
    /// The trend's direction is one of these (needs a history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directions: Option<Vec<Direction>>,
    /// The alert is one of these kinds (only alerts match such a rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<AlertKind>>,
    /// The account's segment is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<String>>,
    /// The account's value is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// The account's value is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
}

/// How soon an action is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Urgency {
    /// Today.
    Critical,
    /// This week.
    High,
    /// This month.
    Medium,
    /// At the next review.
    Low,
}

/// A trend's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    /// Rising faster than the noise tolerance.
    Up,
    /// Within the noise tolerance.
    Flat,
    /// Falling faster than the noise tolerance.
    Down,
}

/// The kinds of alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AlertKind {
    /// The band changed (with hysteresis).
    BandChanged,
    /// The score fell by at least `dropPoints` within `dropWindowDays`.
    ScoreDropped,
    /// A downward trend in the top band.
    DecliningWhileHealthy,
    /// Within `approachMargin` above a lower band's edge and falling.
    ApproachingBand,
    /// An upward trend from a lower or middle band.
    Improving,
    /// The model changed between two snapshots (its hash differs): the
    /// score moved because of the model, not the account. Band changes,
    /// drops and trends start again from this snapshot.
    ModelChanged,
    /// A CSM's measure and the score are more than `sentimentMargin`
    /// points apart (the scorecard's `sentimentDisagrees`).
    SentimentDisagrees,
}

impl AlertKind {
    /// The JSON name (serde's, at the variant's position: one source).
    pub fn as_str(self) -> &'static str {
        crate::names::variants::<AlertKind>()[self as usize]
    }
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
/// its ranks (the mid-rank), so values strictly increase.
pub fn percentile_points(quantiles: &[f64]) -> Vec<[f64; 2]> {
    let n = quantiles.len();
    let rank = |k: usize| 100.0 * k as f64 / (n - 1).max(1) as f64;
    let mut out: Vec<[f64; 2]> = Vec::new();
    let mut a = 0;
    while a < n {
        let mut b = a;
        while b + 1 < n && quantiles[b + 1] == quantiles[a] {
            b += 1;
        }
        out.push([quantiles[a], (rank(a) + rank(b)) / 2.0]);
        a = b + 1;
    }
    out
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

/// The value a cap compares with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum CapValue {
    /// For numeric rules.
    Number(f64),
    /// For flags.
    Bool(bool),
    /// For match rules.
    Text(String),
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
