//! Levers: what would raise the score most, and for the next band up the raw
//! value each measure alone would need to reach it.

use super::account::Input;
use super::engine::{compute, State};
use super::evaluate::{linear, steps_index};
use super::scorecard::{Lever, Status, ToNextBand};
use crate::model::{Aggregation, Combine, Model, Rule};
use serde_json::Value;

/// Slack for comparing normalised scores computed in different orders.
const EPS: f64 = 1e-12;
/// A candidate value is accepted when rescoring with it lands within this of
/// the band's edge (floating-point rounding at the exact edge).
const EDGE_SLACK: f64 = 1e-9;

pub(crate) fn levers(model: &Model, inputs: &[&Input], decay: &[f64], s: &State) -> Vec<Lever> {
    let mut order: Vec<usize> = (0..model.measures.len())
        .filter(|&i| s.status[i] == Status::Present && s.points_missed[i] > 0.0)
        .collect();
    // Most points missed first; ties keep model order (stable sort).
    order.sort_by(|&a, &b| s.points_missed[b].total_cmp(&s.points_missed[a]));
    let target = next_band(model, s);
    order
        .into_iter()
        .map(|i| Lever {
            measure_id: model.measures[i].id.clone(),
            points_missed: s.points_missed[i],
            to_next_band: target.and_then(|b| to_next_band(model, inputs, decay, s, i, b)),
        })
        .collect()
}

/// The next band up, if the score can reach it by raising a measure: not in
/// the top band, not with too little data, not while a cap holds it down.
pub(super) fn next_band(model: &Model, s: &State) -> Option<usize> {
    let band = s.band?;
    let next = band + 1;
    let edge = *model.edges.get(next)?;
    let held = s.caps.iter().any(|&c| !edge.admits(model.caps[c].max));
    (!held).then_some(next)
}

pub(super) fn to_next_band(
    model: &Model,
    inputs: &[&Input],
    decay: &[f64],
    s: &State,
    i: usize,
    band: usize,
) -> Option<ToNextBand> {
    let edge = model.edges[band];
    let uncapped = s.uncapped?;
    let m = &model.measures[i];
    let n = s.normalized[i];
    let needed = match model.spec().aggregation {
        Aggregation::Weighted => {
            let c = m.category;
            let cat = &model.categories[c];
            let g = s.category_score[c]?;
            let g_star = g + (edge.at - uncapped) / (100.0 * s.category_weight[c]);
            match cat.combine {
                Combine::Average => n + (g_star - g) / s.measure_weight[i],
                Combine::Min => {
                    let others = cat
                        .measures
                        .clone()
                        .filter(|&j| j != i && s.status[j] != Status::Skipped)
                        .map(|j| s.normalized[j])
                        .fold(f64::INFINITY, f64::min);
                    if g_star > others + EPS {
                        return None;
                    }
                    g_star
                }
                Combine::Max => g_star,
            }
        }
        Aggregation::Points => {
            let (lo, hi) = s.range;
            let total = s.total?;
            let wanted_total = lo + edge.at * (hi - lo) / 100.0;
            let out = s.output[i].clamp(m.min, m.max) + (wanted_total - total);
            (out - m.min) / (m.max - m.min)
        }
    };
    // Past the rule's best, or exactly at it when the edge must be passed.
    if needed > 1.0 + EPS || (edge.strict && needed >= 1.0 - EPS) {
        return None;
    }
    let needed = needed.clamp(0.0, 1.0);
    let (value, strict, probe) = invert(&m.rule, m.min, m.max, needed, edge.strict, inputs[i])?;
    let probe = probe.unwrap_or_else(|| value.clone());
    // Check by rescoring with a value inside the target region: it must
    // reach the band, and no cap it triggers may hold the score below it.
    let candidate = match &probe {
        Value::Number(x) => Input::Number(x.as_f64()?),
        Value::Bool(b) => Input::Bool(*b),
        Value::String(t) => Input::Text(t.clone()),
        _ => return None,
    };
    let mut trial: Vec<&Input> = inputs.to_vec();
    trial[i] = &candidate;
    // A new value is a fresh observation: no decay for this measure.
    let mut fresh = decay.to_vec();
    if let Some(f) = fresh.get_mut(i) {
        *f = 1.0;
    }
    let after = compute(model, &trial, &fresh).ok()?;
    let reached = after.uncapped? >= edge.at - EDGE_SLACK;
    let capped = after.caps.iter().any(|&c| !edge.admits(model.caps[c].max));
    (reached && !capped).then(|| ToNextBand {
        band: model.bands[band].id.clone(),
        value,
        strict,
    })
}

/// The raw value whose normalised score is `needed` (or more; strictly more
/// when `strict`), nearest the current value: the value, whether it must be
/// passed rather than reached, and (when the value itself is not inside the
/// target region) a value to check it with.
type Inverted = (Value, bool, Option<Value>);

pub(super) fn invert(
    rule: &Rule,
    min: f64,
    max: f64,
    needed: f64,
    strict: bool,
    current: &Input,
) -> Option<Inverted> {
    let norm = |out: f64| (out - min) / (max - min);
    let enough = |out: f64| {
        if strict {
            norm(out) > needed + EPS
        } else {
            norm(out) >= needed - EPS
        }
    };
    let target = min + needed * (max - min);
    match rule {
        Rule::Scale { .. } => Some((number(target)?, strict, None)),
        Rule::Linear { points } => {
            let x = match current {
                Input::Number(x) => *x,
                _ => return None,
            };
            let mut best: Option<f64> = None;
            for w in points.windows(2) {
                let ([x0, y0], [x1, y1]) = (w[0], w[1]);
                if y0 == y1 || target < y0.min(y1) || target > y0.max(y1) {
                    continue;
                }
                let at = x0 + (target - y0) * (x1 - x0) / (y1 - y0);
                if best.is_none_or(|b| (at - x).abs() < (b - x).abs()) {
                    best = Some(at);
                }
            }
            let at = best?;
            // The crossing must lead into values that are enough: check just
            // beyond it, away from the current value.
            let beyond = if at >= x {
                at + 1e-9 * (1.0 + at.abs())
            } else {
                at - 1e-9 * (1.0 + at.abs())
            };
            (linear(points, beyond) >= target - EPS * (1.0 + target.abs())).then_some(())?;
            Some((number(at)?, strict, None))
        }
        Rule::Steps { thresholds, scores } => {
            let x = match current {
                Input::Number(x) => *x,
                _ => return None,
            };
            let j = steps_index(thresholds, x);
            let i = (0..scores.len())
                .filter(|&k| enough(scores[k]))
                .min_by_key(|&k| (k.abs_diff(j), usize::MAX - k))?;
            if i == j {
                // The current step is already enough within rounding: the
                // score sits on the edge and no other step is nearer.
                return None;
            }
            if i > j {
                Some((number(thresholds[i - 1])?, false, None))
            } else {
                // Below thresholds[i]: check with a value inside that step.
                let inside = if i > 0 {
                    thresholds[i - 1]
                } else {
                    thresholds[0] - 1.0
                };
                Some((number(thresholds[i])?, true, Some(number(inside)?)))
            }
        }
        Rule::PerEvent { points, max_events } => {
            let cap = max_events.map_or(f64::INFINITY, |m| m as f64);
            let count = if *points < 0.0 {
                let mut c = (target / points + 1e-9).floor();
                if !enough(points * c) {
                    c -= 1.0;
                }
                c
            } else {
                let mut c = (target / points - 1e-9).ceil().max(0.0);
                if !enough(points * c.min(cap)) {
                    c += 1.0;
                }
                c
            };
            (count >= 0.0 && count <= cap && enough(points * count.min(cap))).then_some(())?;
            Some((number(count)?, false, None))
        }
        Rule::Flag { if_true, if_false } => {
            let other = !matches!(current, Input::Bool(true));
            let out = if other { *if_true } else { *if_false };
            enough(out).then_some((Value::Bool(other), false, None))
        }
        Rule::Match { scores, .. } => scores
            .iter()
            .filter(|(_, s)| enough(**s))
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, _)| (Value::String(k.clone()), false, None)),
    }
}

fn number(x: f64) -> Option<Value> {
    serde_json::Number::from_f64(x).map(Value::Number)
}
