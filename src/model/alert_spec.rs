//! The model document's alert settings and playbooks (part of the model
//! document; see `spec.rs`, which re-exports these types).

use serde::{Deserialize, Serialize};

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
