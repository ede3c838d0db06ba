//! What `rollup` takes and gives: its options, a parent's result, and
//! what it reads of each child (owned, and borrowed).

use crate::model::Band;
use crate::score::{BandCounts, Scorecard};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a parent's score comes from its children's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum RollupMethod {
    /// The children's mean score, weighted by their `value` when every
    /// child has one above 0, else equally.
    #[default]
    Mean,
    /// The lowest child score.
    Worst,
}

/// Options of `rollup`: `{ parents: { childId: parentId }, method }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollupOptions {
    /// Each child's parent, by account id (a parent may have a parent).
    pub parents: BTreeMap<String, String>,
    /// `mean` (default) or `worst`.
    #[serde(default)]
    pub method: RollupMethod,
}

/// A parent's health.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Rollup {
    /// The parent's id.
    pub account_id: String,
    /// The rolled-up score (null when no child has one).
    pub score: Option<f64>,
    /// Its band under the model (or `insufficient_data`).
    pub band: Band,
    /// How the score came about.
    pub method: RollupMethod,
    /// `value` (weighted by the children's values) or `equal`.
    pub weighting: String,
    /// The sum of the children's values (unknown counts 0).
    pub value: f64,
    /// The children, the one costing the parent most points first (at most
    /// [`MAX_ROLLUP_CHILDREN`] of them: the costliest).
    pub children: Vec<RollupChild>,
    /// How many children the parent has (all of them, listed or not).
    #[serde(default)]
    pub child_count: usize,
    /// Children per band id (the model's bands in order, then insufficient
    /// data): count, share of the children, total value.
    pub bands: BandCounts,
    /// Each child's best lever, as points of the parent, biggest first.
    pub levers: Vec<RollupLever>,
}

/// A child in its parent's breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RollupChild {
    /// The child's id (an account, or a parent one level down).
    pub account_id: String,
    /// Its score (null without one).
    pub score: Option<f64>,
    /// Its band id.
    pub band: String,
    /// Its share of the parent's score (0 for a child without a score; in
    /// `worst`, 1 for the worst child).
    pub weight: f64,
    /// Points of the parent's 100 it costs: `weight × (100 − score)`.
    pub points_missed: f64,
}

/// A lever of the parent: a child's measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RollupLever {
    /// The child to act on (an account with a scorecard).
    pub account_id: String,
    /// Its measure.
    pub measure_id: String,
    /// Points the parent would gain: the child's lever points times its
    /// weight (`mean`), or up to the next-worst child (`worst`).
    pub points: f64,
}

/// The most levels a hierarchy may have (a chain of parents is walked
/// level by level, and computed bottom-up).
pub const MAX_DEPTH: usize = 100;

/// The most children a parent's result lists (the costliest first): a
/// parent over a million accounts shows the ones that cost it most, and
/// counts the rest (`childCount`, and per band in `bands`).
pub const MAX_ROLLUP_CHILDREN: usize = 1_000;

/// The most levers a parent lists (its children's best, biggest first):
/// a parent over a million accounts names the few that move it most, and
/// every level above keeps the same bound.
pub const MAX_ROLLUP_LEVERS: usize = 10;

/// What `rollup` reads of a child's scorecard (the JS package sends only
/// this; [`Model::rollup`](crate::Model::rollup) takes it from scorecards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RollupInput {
    /// The child's account id.
    pub account_id: String,
    /// The model that made its scorecard.
    pub model_id: String,
    /// Its score (null without one).
    pub score: Option<f64>,
    /// Its band id.
    pub band: String,
    /// Its value (ARR or similar).
    pub value: Option<f64>,
    /// Its best lever: the measure and the points it would add.
    pub lever: Option<(String, f64)>,
}

impl From<&Scorecard> for RollupInput {
    fn from(c: &Scorecard) -> RollupInput {
        RollupInput {
            account_id: c.account_id.clone(),
            model_id: c.model_id.clone(),
            score: c.score,
            band: c.band.id.clone(),
            value: c.value,
            lever: c
                .levers
                .first()
                .map(|l| (l.measure_id.clone(), l.points_missed)),
        }
    }
}

/// What `rollup` reads of a child, borrowed (no copy per child): the form
/// [`Model::rollup_rows`](crate::Model::rollup_rows) takes, built from [`RollupInput`]s or straight
/// from columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RollupRow<'a> {
    /// The child's account id.
    pub account_id: &'a str,
    /// The model that made its scorecard.
    pub model_id: &'a str,
    /// Its score (None without one).
    pub score: Option<f64>,
    /// Its band id.
    pub band: &'a str,
    /// Its value (ARR or similar).
    pub value: Option<f64>,
    /// Its best lever: the measure and the points it would add.
    pub lever: Option<(&'a str, f64)>,
}

impl<'a> From<&'a RollupInput> for RollupRow<'a> {
    fn from(c: &'a RollupInput) -> RollupRow<'a> {
        RollupRow {
            account_id: &c.account_id,
            model_id: &c.model_id,
            score: c.score,
            band: &c.band,
            value: c.value,
            lever: c.lever.as_ref().map(|(m, p)| (m.as_str(), *p)),
        }
    }
}
