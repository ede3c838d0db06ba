//! A combined plan: when no single change reaches the next band up, the
//! fewest changes across measures that do.

use super::account::{Account, Input};
use super::engine::compute;
use super::evaluate::output;
use super::evaluate::{invert, value_input};
use super::levers::{gains, next_band, to_next_band};
use super::rescore::Rescore;
use super::scorecard::Status;
use super::ScoreOptions;
use crate::error::{Error, Errors};
use crate::limits::MAX_PLAN_CHANGES;
use crate::model::Model;
use crate::model::Scalar;
use serde::{Deserialize, Serialize};

/// The fewest changes that take an account to the next band up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The band reached.
    pub band: String,
    /// The changes, biggest gain first: every one but the last takes its
    /// measure to the rule's best value; the last goes only as far as needed.
    pub changes: Vec<PlanChange>,
    /// The score with every change made (checked by rescoring).
    pub score: f64,
}

/// One change of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanChange {
    /// The measure.
    pub measure_id: String,
    /// Its value now.
    pub from: Option<Scalar>,
    /// The value to reach (go beyond it when `strict`).
    pub to: Option<Scalar>,
    /// When true, `to` itself is not enough: go beyond it.
    pub strict: bool,
}

impl Model {
    /// The fewest changes across measures that take the account to the next
    /// band up, or `None` when it is in the top band, has too little data,
    /// is held down by a cap that the changes do not lift, or cannot get
    /// there with every present measure at its best. A single change is
    /// preferred (the first lever, biggest checked gain first, whose path
    /// reaches the band); otherwise the biggest gain left is taken to its
    /// best value, one measure at a time, until one more measure alone
    /// reaches the band. With additive gains (weighted averages, points)
    /// this is the fewest changes; under `min`/`max` categories it is a
    /// good plan, not always the shortest.
    pub fn plan(&self, account: &Account) -> Result<Option<Plan>, Errors> {
        Ok(self.plan_inner(account)?)
    }

    fn plan_inner(&self, account: &Account) -> Result<Option<Plan>, Vec<Error>> {
        let ages = self.ages(account, &ScoreOptions::default())?;
        let (mut inputs, _) = self.resolve(account, &ages, false, false)?;
        let mut decay = ages.decay.clone();
        let refs: Vec<&Input> = inputs.iter().collect();
        let start = compute(self, &refs, &decay)?;
        let Some(target) = next_band(self, &start) else {
            return Ok(None);
        };
        // The levers' order (biggest checked gain first), then the measures
        // that gain nothing alone yet (in a `min` category, those above the
        // lowest), most points missed first: they may gain once others rose.
        let mut order: Vec<usize> = gains(&Rescore::new(self, &refs, &decay, &start), &start)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        let mut ordered = vec![false; self.measures.len()];
        for &i in &order {
            ordered[i] = true;
        }
        let mut rest: Vec<usize> = (0..self.measures.len())
            .filter(|&i| start.status[i] == Status::Present && start.points_missed[i] > 0.0)
            .filter(|&i| self.measures[i].actionable && !ordered[i])
            .collect();
        rest.sort_by(|&a, &b| start.points_missed[b].total_cmp(&start.points_missed[a]));
        order.extend(rest);
        let mut changes = Vec::new();
        let mut left = order;
        while !left.is_empty() {
            if changes.len() >= MAX_PLAN_CHANGES {
                // More changes than a CSM can act on: no plan.
                return Ok(None);
            }
            let refs: Vec<&Input> = inputs.iter().collect();
            let now = compute(self, &refs, &decay)?;
            // With the changes so far, does one more measure alone get there?
            // (the first such in the levers' order)
            let r = Rescore::new(self, &refs, &decay, &now);
            let found = left
                .iter()
                .find_map(|&i| to_next_band(&r, &now, i, target).map(|path| (i, path)));
            if let Some((i, path)) = found {
                let m = &self.measures[i];
                let from = inputs[i].to_scalar();
                let (mut to, mut strict) = (path.value.clone(), path.strict);
                inputs[i] = probe_input(&m.rule, &to, strict);
                decay[i] = 1.0;
                let mut after = compute(self, &inputs.iter().collect::<Vec<_>>(), &decay)?;
                // Rounding can leave the exact value a hair short of the
                // edge: then the plan names a value a hair beyond it.
                let edge = self.edges[target];
                if !strict && !after.score.is_some_and(|u| edge.admits(u)) {
                    inputs[i] = probe_input(&m.rule, &to, true);
                    after = compute(self, &inputs.iter().collect::<Vec<_>>(), &decay)?;
                    if let Some(v) = inputs[i].to_scalar() {
                        to = v;
                    }
                    strict = false;
                }
                changes.push(PlanChange {
                    measure_id: m.id.clone(),
                    from,
                    to: Some(to),
                    strict,
                });
                return Ok(after.score.map(|score| Plan {
                    band: self.bands[target].id.clone(),
                    changes,
                    score,
                }));
            }
            // Otherwise the biggest gain left goes to its best, and on.
            let i = left.remove(0);
            let m = &self.measures[i];
            let Some((best, strict, probe)) = invert(&m.rule, m.min, m.max, 1.0, false, &inputs[i])
            else {
                continue;
            };
            changes.push(PlanChange {
                measure_id: m.id.clone(),
                from: inputs[i].to_scalar(),
                to: Some(best.clone()),
                strict,
            });
            inputs[i] = value_input(probe.as_ref().unwrap_or(&best));
            decay[i] = 1.0;
        }
        Ok(None)
    }
}

/// A value inside the region a path leads to (for a strict path, a hair
/// beyond its value, in the direction the rule rises).
fn probe_input(rule: &crate::model::Rule, to: &Scalar, strict: bool) -> Input {
    let input = value_input(to);
    match (input, strict) {
        (Input::Number(x), true) => {
            let step = 1e-9 * (1.0 + x.abs());
            let (lo, hi) = (x - step, x + step);
            let out = |v: f64| output(rule, &Input::Number(v)).unwrap_or(f64::NEG_INFINITY);
            Input::Number(if out(hi) > out(lo) { hi } else { lo })
        }
        (input, _) => input,
    }
}
