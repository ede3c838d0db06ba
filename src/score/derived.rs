//! What a scorecard shows besides its aggregation: the low-coverage flag,
//! the coverage penalty, the caps that fired, the CSM's disagreements, the
//! overrides that held, and each category's contribution and points missed.
//!
//! One definition for the engine's scorecards (`score`) and for the
//! scorecards the JS package builds from columns (`scoreMany`), which
//! receive these numbers as data ([`crate::score::FullColumns`]) and copy
//! them: the JS side computes no score. A new scorecard field that follows
//! from the aggregation is added here (and to [`Scorecard`]); see
//! DESIGN-NOTES, "Adding a scorecard field".

use super::engine::low_coverage;
use super::scorecard::{AppliedCap, AppliedOverride, Disagreement, Scorecard};
use crate::model::{Model, Source};
use serde::{Deserialize, Serialize};

/// One row's aggregation, as the engine has it or the kernel's columns
/// hold it.
pub(crate) struct Row<'a> {
    /// The final score (None without one).
    pub score: Option<f64>,
    pub coverage: f64,
    /// Points the coverage penalty took off.
    pub penalty: f64,
    /// Indexes of the caps that fired.
    pub caps: &'a [usize],
    /// The overrides that held: (index, score before, after).
    pub overrides: &'a [(usize, f64, f64)],
}

/// The parts of a scorecard that follow from its aggregation, each left
/// out of the JSON at its default (a scorecard built from columns starts
/// from the defaults and takes what is given).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScorecardExtras {
    /// Scored on less of the model than `lowCoverageBelow`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub low_coverage: bool,
    /// Points the coverage penalty took off (0 without a score).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub coverage_penalty: f64,
    /// The caps that fired.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<AppliedCap>,
    /// The CSM's measures that disagree with the score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentiment_disagrees: Vec<Disagreement>,
    /// The overrides that held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<AppliedOverride>,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0 && x.is_sign_positive()
}

impl ScorecardExtras {
    /// Whether every part is at its default (then a row needs none).
    pub fn is_default(&self) -> bool {
        *self == ScorecardExtras::default() && self.coverage_penalty.is_sign_positive()
    }

    /// Puts every part into its scorecard field.
    pub(crate) fn apply(self, card: &mut Scorecard) {
        card.low_coverage = self.low_coverage;
        card.coverage_penalty = self.coverage_penalty;
        card.caps = self.caps;
        card.sentiment_disagrees = self.sentiment_disagrees;
        card.overrides = self.overrides;
    }
}

impl Model {
    /// The extras of one row: `normalized(i)` is measure `i`'s normalised
    /// score when it is present (for the CSM's disagreements).
    pub(crate) fn extras(
        &self,
        row: &Row,
        normalized: impl Fn(usize) -> Option<f64>,
    ) -> ScorecardExtras {
        ScorecardExtras {
            low_coverage: low_coverage(self, row.score, row.coverage),
            coverage_penalty: if row.score.is_some() {
                row.penalty
            } else {
                0.0
            },
            caps: row
                .caps
                .iter()
                .map(|&c| AppliedCap {
                    reason: self.caps[c].reason.clone(),
                    max: self.caps[c].max,
                })
                .collect(),
            sentiment_disagrees: self.disagreements(row.score, normalized),
            overrides: row
                .overrides
                .iter()
                .map(|&(o, before, after)| AppliedOverride {
                    reason: self.overrides[o].reason.clone(),
                    kind: self.overrides[o].kind,
                    value: self.overrides[o].value,
                    before,
                    after,
                })
                .collect(),
        }
    }

    /// The CSM's measures (`source: "csm"`) more than `sentimentMargin`
    /// points from the score: `100 × normalized` against the score.
    fn disagreements(
        &self,
        score: Option<f64>,
        normalized: impl Fn(usize) -> Option<f64>,
    ) -> Vec<Disagreement> {
        let Some(score) = score else {
            return Vec::new();
        };
        let margin = self.spec().alerts.sentiment_margin;
        self.measures
            .iter()
            .enumerate()
            .filter(|(_, m)| m.source == Source::Csm)
            .filter_map(|(i, m)| {
                let sentiment = 100.0 * normalized(i)?;
                let gap = sentiment - score;
                (gap.abs() > margin).then(|| Disagreement {
                    measure_id: m.id.clone(),
                    sentiment,
                    score,
                    gap,
                })
            })
            .collect()
    }
}
