//! The result of scoring one account: the score, its band and the whole
//! explanation.

use crate::model::Scalar;
use crate::model::{Action, Band, Direction};
use serde::{Deserialize, Serialize};

/// How a measure took part in the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// The account gave a value.
    Present,
    /// No value; left out and the other weights renormalised (`skip`).
    Skipped,
    /// No value; counted as normalised 0.5 (`neutral`).
    Neutral,
    /// No value; counted as normalised 0 (`worst`).
    Worst,
    /// No value; counted as the measure's `missingScore` (`impute`).
    Imputed,
}

/// One scored account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Scorecard {
    /// The account's id.
    pub account_id: String,
    /// The account's name, if it had one.
    pub name: Option<String>,
    /// The account's segment, if it had one.
    pub segment: Option<String>,
    /// The account's value (ARR or similar), if it had one.
    pub value: Option<f64>,
    /// The snapshot's ISO date, or null when the caller gave none.
    pub at: Option<String>,
    /// The id of the model that produced this scorecard.
    pub model_id: String,
    /// The hash of that model.
    pub model_hash: String,
    /// 0..100, unrounded, after the coverage penalty and caps; null when no
    /// measure had a value.
    pub score: Option<f64>,
    /// The breakdown's score, before the coverage penalty and caps:
    /// `score = min(caps, uncappedScore − coveragePenalty)`.
    pub uncapped_score: Option<f64>,
    /// Points models: the raw sum of points (null in weighted models).
    pub total: Option<f64>,
    /// The band of `score`, or `insufficient_data`.
    pub band: Band,
    /// Share of the model's weight whose values were present (0..1).
    pub coverage: f64,
    /// True when the account has a score but its coverage is below the
    /// model's `lowCoverageBelow` (default 0.8): the score rests on little
    /// data and may flatter the account.
    // Absent from scorecards stored by earlier versions.
    #[serde(default)]
    pub low_coverage: bool,
    /// Points the model's `coveragePenalty` took off the score for missing
    /// data (negative when it pulled a score below 50 up toward 50; 0
    /// without a penalty).
    // Absent from scorecards stored by earlier versions.
    #[serde(default)]
    pub coverage_penalty: f64,
    /// Ids of the measures with no value.
    pub missing: Vec<String>,
    /// Ids of the measures whose value was observed more than their
    /// `staleAfterDays` before the scoring date (`asOf`, else `at`).
    // Absent from scorecards stored by earlier versions.
    #[serde(default)]
    pub stale: Vec<String>,
    /// Caps that fired.
    pub caps: Vec<AppliedCap>,
    /// The CSM's measures (`source: "csm"`) whose judgement is more than the
    /// model's `alerts.sentimentMargin` points from the score.
    // Absent from scorecards stored by earlier versions.
    #[serde(default)]
    pub sentiment_disagrees: Vec<Disagreement>,
    /// The model's overrides whose conditions held, in the order applied
    /// (after caps), each with the score before and after it.
    // Absent from scorecards stored by earlier versions.
    #[serde(default)]
    pub overrides: Vec<AppliedOverride>,
    /// The breakdown (uncapped).
    pub categories: Vec<CategoryResult>,
    /// What would raise the score most.
    pub levers: Vec<Lever>,
    /// The playbook actions that apply (band, segment, value; and the trend
    /// when the scorecard was made with a history).
    pub actions: Vec<Action>,
    /// The trend, when the scorecard was made with a history (`update`).
    #[serde(default)]
    pub trend: Option<Trend>,
    /// With `ignoreUnknown`: the keys of `values` and `observedAt` that are
    /// not measures of the model, left out (absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// The alerts' state after this snapshot (set by `update`; absent from
    /// `score`): what the next `update` needs to report each colour change
    /// and each edge-triggered alert exactly once when the caller keeps only
    /// the last scorecard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_state: Option<AlertState>,
}

/// The alerts' state after a snapshot: the band the hysteresis last
/// confirmed, how many snapshots in a row (ending with this one) sit in this
/// scorecard's band while it differs from the confirmed one, and the
/// edge-triggered alerts whose condition held here (they fire again only
/// after it stops holding).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertState {
    /// The band the last confirmed colour change (or the first snapshot) set.
    pub confirmed_band: String,
    /// Snapshots in a row in this scorecard's band, while it differs from
    /// `confirmedBand` (0 when they are the same).
    pub streak: u32,
    /// Edge-triggered alerts whose condition held at this snapshot.
    pub active: Vec<crate::model::AlertKind>,
}

/// How a score moves over a history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Trend {
    /// Snapshots with a score used for the slope.
    pub snapshots: usize,
    /// The latest snapshot's date (null when undated).
    pub at: Option<String>,
    /// The latest score.
    pub score: f64,
    /// Change since the previous snapshot with a score (null with only one).
    pub change_since_previous: Option<f64>,
    /// Change since the earliest snapshot within `changeWindowDays` before the latest.
    pub change_over_window: Option<f64>,
    /// Least-squares slope in points per 30 days over `trendWindowDays`
    /// (null with fewer than two dated snapshots there).
    pub slope_per_30_days: Option<f64>,
    /// `up` / `flat` / `down` outside ± `flatWithin` (null without a slope,
    /// or when the window holds fewer than `trendMinSnapshots` snapshots or
    /// spans fewer than `trendMinDays` days).
    pub direction: Option<Direction>,
}

/// A cap that fired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppliedCap {
    /// Why.
    pub reason: String,
    /// The highest score allowed.
    pub max: f64,
}

/// A `per` measure's division.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PerResult {
    /// `value` or the name of the account's field.
    pub by: String,
    /// The divisor found (null when the account gave none).
    pub divisor: Option<f64>,
    /// The value divided by it, which the rule scored (null without a
    /// usable divisor: the measure then counts as missing).
    pub value: Option<f64>,
}

/// A CSM's measure that disagrees with the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Disagreement {
    /// The measure (its `source` is `csm`).
    pub measure_id: String,
    /// Its normalised score on 0..100 (`100 × normalized`).
    pub sentiment: f64,
    /// The scorecard's score.
    pub score: f64,
    /// `sentiment − score`: negative when the CSM is more worried than the
    /// data, positive when more confident.
    pub gap: f64,
}

/// An override that held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppliedOverride {
    /// Why (the model's text).
    pub reason: String,
    /// `set`, `floor` or `cap`.
    pub kind: crate::model::OverrideKind,
    /// The override's value.
    pub value: f64,
    /// The score before it.
    pub before: f64,
    /// The score after it (equal to `before` when a floor or cap did not bind).
    pub after: f64,
}

/// A category's part of the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryResult {
    /// Category id.
    pub id: String,
    /// Category label.
    pub label: String,
    /// 0..100; null when none of its measures took part.
    pub score: Option<f64>,
    /// Effective weight: its share of the overall score (0..1).
    pub weight: f64,
    /// Points of the 100 it contributed.
    pub contribution: f64,
    /// Points of the 100 it would add at its rule's best value, checked by
    /// rescoring (a `min` category, a cap or missing data count); the
    /// breakdown's share when that is exactly the gain.
    pub points_missed: f64,
    /// Its measures.
    pub measures: Vec<MeasureResult>,
}

/// A measure's part of the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeasureResult {
    /// Measure id.
    pub id: String,
    /// Measure label.
    pub label: String,
    /// The raw value (null when missing).
    pub value: Option<Scalar>,
    /// How it took part.
    pub status: Status,
    /// The rule's output before staleness decay (null when skipped).
    pub partial: Option<f64>,
    /// `(partial − min) / (max − min)`, 0..1, after staleness decay (null when skipped).
    pub normalized: Option<f64>,
    /// Effective weight: its share of its category (0..1).
    pub weight: f64,
    /// Points of the 100 it contributed.
    pub contribution: f64,
    /// Points of the 100 it would add at its rule's best value, checked by
    /// rescoring (a `min` category, a cap or missing data count); the
    /// breakdown's share when that is exactly the gain.
    pub points_missed: f64,
    /// When the value was observed (from the account's `observedAt`).
    #[serde(default)]
    pub observed_at: Option<String>,
    /// Days between `observedAt` and the scoring date (`asOf`, else `at`).
    #[serde(default)]
    pub age_days: Option<f64>,
    /// With a `halfLifeDays`: `0.5^(ageDays / halfLifeDays)`, how much of the
    /// value's distance from neutral (0.5) still counts.
    #[serde(default)]
    pub decayed_weight: Option<f64>,
    /// With a measure's `series`: how many points the account gave (`value`
    /// is then the number derived from them); null otherwise.
    #[serde(default)]
    pub series_points: Option<usize>,
    /// With a measure's `per`: what the value was divided by and the
    /// quotient the rule scored (`value` is then the value as given); null
    /// otherwise.
    #[serde(default)]
    pub per: Option<PerResult>,
    /// `data` or `csm` (a person's judgement), from the model.
    #[serde(default)]
    pub source: crate::model::Source,
    /// Who gave the value, when and why (the account's `notes`), or null.
    #[serde(default)]
    pub note: Option<super::Note>,
}

/// A lever: a measure that would raise the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Lever {
    /// The measure.
    pub measure_id: String,
    /// Points of the 100 it would add at its rule's best value, checked by
    /// rescoring (a `min` category, a cap or missing data count); the
    /// breakdown's share when that is exactly the gain.
    pub points_missed: f64,
    /// The value this measure alone would need to reach the next band up;
    /// null in the top band, when a cap holds the score down, or when no
    /// value of the rule gets there.
    pub to_next_band: Option<ToNextBand>,
}

/// The path to the next band through one measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ToNextBand {
    /// The band reached.
    pub band: String,
    /// The raw value needed (a number, `true`/`false` or a text value).
    pub value: Scalar,
    /// When true the value itself is not enough: go beyond it (above it for
    /// a rising rule, below it for a falling one).
    pub strict: bool,
}

impl<'a> crate::model::PlaybookContext<'a> {
    /// The context of a scorecard (its band, trend, segment and value).
    pub fn of(card: &'a Scorecard) -> Self {
        crate::model::PlaybookContext {
            band: &card.band.id,
            direction: card.trend.as_ref().and_then(|t| t.direction),
            alert: None,
            segment: card.segment.as_deref(),
            value: card.value,
        }
    }
}

impl crate::model::Model {
    /// The actions that apply to a scorecard.
    pub fn actions_for(&self, card: &Scorecard) -> Vec<crate::model::Action> {
        self.actions(&crate::model::PlaybookContext::of(card))
    }
}
