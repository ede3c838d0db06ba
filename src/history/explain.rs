//! Explaining a score change: per-measure effects, renormalisation from
//! missing data, caps, staleness and a model change, adding up to the total.

use crate::error::{Error, Errors};
use crate::model::Model;
use crate::model::Scalar;
use crate::score::{MeasureResult, Scorecard, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a score change splits into parts. `total` equals
/// `Σ measures.effect + renormalization + caps + staleness + modelChange`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// `after.score − before.score`.
    pub total: f64,
    /// Per measure, largest effect first.
    pub measures: Vec<MeasureEffect>,
    /// Weight moved between measures: data went missing or arrived, a
    /// different measure decides a min/max category, or a points model's
    /// derived range changed.
    pub renormalization: f64,
    /// Change in how far the score sits from the breakdown's score
    /// (`score − uncappedScore`): caps, overrides and the coverage penalty.
    pub caps: f64,
    /// Change from values ageing (half-life decay).
    pub staleness: f64,
    /// Change from rescoring the before-values under the after-model (0 when
    /// both scorecards have the same model hash).
    pub model_change: f64,
}

/// One measure's part of a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeasureEffect {
    /// The measure.
    pub measure_id: String,
    /// Its raw value before (null when missing).
    pub before: Option<Scalar>,
    /// Its raw value after.
    pub after: Option<Scalar>,
    /// Points of the score this change in value moved.
    pub effect: f64,
}

impl Model {
    /// Splits `after.score − before.score` into parts that add up to it.
    /// `after` must come from this model; when `before` came from another
    /// model (a different hash), its values are rescored under this one and
    /// the difference is the `modelChange`.
    pub fn explain_change(
        &self,
        before: &Scorecard,
        after: &Scorecard,
    ) -> Result<Explanation, Errors> {
        Ok(self.explain_inner(before, after)?)
    }

    fn explain_inner(&self, before: &Scorecard, after: &Scorecard) -> Result<Explanation, Error> {
        let (Some(b0), Some(a)) = (before.score, after.score) else {
            return Err(Error::new(
                "no_score",
                if before.score.is_none() {
                    "before.score"
                } else {
                    "after.score"
                },
                "a scorecard without a score has no change to explain",
                "explain changes between scorecards that both have a score",
            ));
        };
        if after.model_hash != self.hash() {
            return Err(Error::new(
                "model_mismatch",
                "after.modelHash",
                "`after` was not produced by this model",
                "call explainChange on the model that produced the later scorecard",
            ));
        }
        let total = a - b0;
        let (base, model_change) = if before.model_hash == self.hash() {
            (before.clone(), 0.0)
        } else {
            let rescored = self.rescore(before)?;
            let s = rescored.score.ok_or_else(|| {
                Error::new(
                    "no_score",
                    "before",
                    "the earlier values give no score under this model",
                    "the models share no measure with a value",
                )
            })?;
            (rescored, s - b0)
        };
        let b = base.score.unwrap_or(b0);
        let caps = (a - after.uncapped_score.unwrap_or(a)) - (b - base.uncapped_score.unwrap_or(b));
        let before_m = by_id(&base);
        let after_m = by_id(after);
        let mut staleness = 0.0;
        let mut measures = Vec::new();
        let mut ids: Vec<&str> = self.measure_ids().collect();
        ids.dedup();
        for id in ids {
            let (mb, ma) = (before_m.get(id).copied(), after_m.get(id).copied());
            let (pb, pa) = (present(mb), present(ma));
            staleness += pa.map_or(0.0, decay_part) - pb.map_or(0.0, decay_part);
            let effect = match (pb, pa) {
                (Some(x), Some(y)) => 100.0 * share(x) * (fresh(y) - fresh(x)),
                (Some(x), None) => -100.0 * share(x) * fresh(x),
                (None, Some(y)) => 100.0 * share(y) * fresh(y),
                (None, None) => 0.0,
            };
            let value = |m: Option<&MeasureResult>| m.and_then(|m| m.value.clone());
            if effect != 0.0 || value(mb) != value(ma) {
                measures.push(MeasureEffect {
                    measure_id: id.to_string(),
                    before: value(mb),
                    after: value(ma),
                    effect,
                });
            }
        }
        measures.sort_by(|x, y| y.effect.abs().total_cmp(&x.effect.abs()));
        let explained: f64 =
            measures.iter().map(|m| m.effect).sum::<f64>() + caps + staleness + model_change;
        Ok(Explanation {
            total,
            measures,
            renormalization: total - explained,
            caps,
            staleness,
            model_change,
        })
    }

    /// The scorecard's values scored under this model (values of measures it
    /// lacks are dropped).
    fn rescore(&self, card: &Scorecard) -> Result<Scorecard, Error> {
        let mut account = crate::score::Account {
            id: card.account_id.clone(),
            name: card.name.clone(),
            segment: card.segment.clone(),
            value: card.value,
            ..Default::default()
        };
        for m in card.categories.iter().flat_map(|c| &c.measures) {
            if self.measure_index(&m.id).is_some() && m.value.is_some() {
                account.values.push((
                    m.id.clone(),
                    crate::score::Input::from_scalar(m.value.as_ref()),
                ));
            }
        }
        let opts = crate::score::ScoreOptions {
            at: card.at.clone(),
            as_of: None,
            ..Default::default()
        };
        self.score_with(&account, &opts)
            .map_err(|mut es| es.0.remove(0))
    }
}

fn present(m: Option<&MeasureResult>) -> Option<&MeasureResult> {
    m.filter(|m| m.status != Status::Skipped)
}

fn by_id(card: &Scorecard) -> BTreeMap<&str, &MeasureResult> {
    card.categories
        .iter()
        .flat_map(|c| &c.measures)
        .map(|m| (m.id.as_str(), m))
        .collect()
}

/// The measure's share of the score: `(contribution + pointsMissed) / 100`
/// (category weight × measure weight in weighted models, span / range in
/// points models).
fn share(m: &MeasureResult) -> f64 {
    (m.contribution + m.points_missed) / 100.0
}

/// The normalised score before decay.
fn fresh(m: &MeasureResult) -> f64 {
    let n = m.normalized.unwrap_or(0.0);
    match m.decayed_weight {
        Some(f) if f > 1e-9 => 0.5 + (n - 0.5) / f,
        _ => n,
    }
}

/// Points the decay moved this measure's contribution.
fn decay_part(m: &MeasureResult) -> f64 {
    100.0 * share(m) * (m.normalized.unwrap_or(0.0) - fresh(m))
}
