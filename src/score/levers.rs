//! Levers: what would raise the score most, and for the next band up the raw
//! value each measure alone would need to reach it.

use super::account::Input;
use super::engine::State;
use super::evaluate::{invert, value_input};
use super::rescore::Rescore;
use super::scorecard::{Lever, Status, ToNextBand};
use crate::model::{Aggregation, CapValue, Combine, Model, Op, OverrideKind, Scalar};

use super::evaluate::EPS;
/// A candidate value is accepted when rescoring with it lands within this of
/// the band's edge (floating-point rounding at the exact edge).
const EDGE_SLACK: f64 = 1e-9;

pub(crate) fn levers(model: &Model, inputs: &[&Input], decay: &[f64], s: &State) -> Vec<Lever> {
    levers_with(Rescore::new(model, inputs, decay, s), s)
}

/// The levers with each candidate rescored the direct way (every measure
/// scored again): the reference the fast rescoring is tested against.
pub(crate) fn levers_direct(
    model: &Model,
    inputs: &[&Input],
    decay: &[f64],
    s: &State,
) -> Vec<Lever> {
    levers_with(Rescore::new(model, inputs, decay, s).direct(), s)
}

fn levers_with(r: Rescore, s: &State) -> Vec<Lever> {
    let model = r.model();
    let target = next_band(model, s);
    gains(&r, s)
        .into_iter()
        .map(|(i, g)| Lever {
            measure_id: model.measures[i].id.clone(),
            points_missed: g,
            to_next_band: target.and_then(|b| to_next_band(&r, s, i, b)),
        })
        .collect()
}

/// The measures that would raise the score, with what each adds (checked
/// by rescoring), biggest first; ties keep model order.
pub(super) fn gains(r: &Rescore, s: &State) -> Vec<(usize, f64)> {
    let mut gains: Vec<(usize, f64)> = (0..r.model().measures.len())
        .filter(|&i| s.status[i] == Status::Present && s.points_missed[i] > 0.0)
        // (a measure nobody can act on stays in the score, not here)
        .filter(|&i| r.model().measures[i].actionable)
        .filter_map(|i| Some((i, gain(r, s, i)?)))
        .filter(|&(_, g)| g > EPS)
        .collect();
    gains.sort_by(|a, b| b.1.total_cmp(&a.1));
    gains
}

/// What measure `i` at its rule's best value (a fresh observation) adds to
/// the score, checked by rescoring: in a `min` category only the lowest
/// measure gains, a cap can hold the score, missing data renormalises. Where
/// that is exactly the share the breakdown shows missing (a plain average,
/// no cap), the breakdown's number is kept, so both read the same.
fn gain(r: &Rescore, s: &State, i: usize) -> Option<f64> {
    let m = &r.model().measures[i];
    let (best, _, probe) = invert(&m.rule, m.min, m.max, 1.0, false, r.input(i))?;
    let candidate = value_input(probe.as_ref().unwrap_or(&best));
    let after = r.with(i, &candidate)?;
    let g = (after.score - s.score?).max(0.0);
    let missed = s.points_missed[i];
    Some(if (g - missed).abs() <= 1e-9 * (1.0 + missed) {
        missed
    } else {
        g
    })
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

pub(super) fn to_next_band(r: &Rescore, s: &State, i: usize, band: usize) -> Option<ToNextBand> {
    by_arithmetic(r, s, i, band).or_else(|| by_override(r, i, band))
}

/// The path through an override that raises the score (`set` or `floor`)
/// with a condition on measure `i`: the condition's own value (just past it
/// for `>` and `<`), nearest the current value first, checked by rescoring.
fn by_override(r: &Rescore, i: usize, band: usize) -> Option<ToNextBand> {
    let model = r.model();
    let current = match r.input(i) {
        Input::Number(x) => Some(*x),
        _ => None,
    };
    let mut candidates: Vec<(Scalar, bool, Scalar)> = Vec::new();
    // (the conditions on this measure only, in override order)
    for t in r.conditions_on(i) {
        let ov = &model.overrides[t.0];
        // (a floor at 0 or below never raises a score: no path)
        if !(ov.kind == OverrideKind::Set || (ov.kind == OverrideKind::Floor && ov.value > 0.0)) {
            continue;
        }
        {
            let t = t.1;
            let value = match &t.value {
                CapValue::Number(v) => Scalar::Number(v + 0.0),
                other => other.clone(),
            };
            let candidate = match (t.op, &t.value) {
                (Op::Eq | Op::Ge | Op::Le, _) => (value.clone(), false, value),
                (Op::Gt | Op::Lt, CapValue::Number(v)) => {
                    let step = 1e-9 * (1.0 + v.abs());
                    let past = if t.op == Op::Gt { v + step } else { v - step };
                    (value, true, Scalar::Number(past))
                }
                _ => continue,
            };
            candidates.push(candidate);
        }
    }
    let distance = |v: &Scalar| match (v, current) {
        (Scalar::Number(x), Some(c)) => (x - c).abs(),
        _ => 0.0,
    };
    candidates.sort_by(|a, b| distance(&a.2).total_cmp(&distance(&b.2)));
    // Each distinct value once, the nearest few (bounded work per measure).
    candidates.dedup_by(|a, b| a == b);
    candidates
        .into_iter()
        .take(crate::limits::MAX_OVERRIDE_CANDIDATES)
        .find(|(_, _, probe)| reaches(r, i, band, probe))
        .map(|(value, strict, _)| ToNextBand {
            band: model.bands[band].id.clone(),
            value,
            strict,
        })
}

/// Whether measure `i` at `probe` (a fresh observation) puts the final
/// score (after the coverage penalty, caps and overrides) in `band`: within
/// rounding of its edge only when the rule's arithmetic made it, not when a
/// cap or an override set it.
pub(super) fn reaches(r: &Rescore, i: usize, band: usize, probe: &Scalar) -> bool {
    let edge = r.model().edges[band];
    let candidate = value_input(probe);
    if candidate == Input::Missing {
        return false;
    }
    // Pinned: a cap or an override moved the score off the arithmetic's
    // (one that held but changed nothing, such as a floor of 0, does not
    // pin it: issue 27).
    let Some(a) = r.with(i, &candidate) else {
        return false;
    };
    let (fin, pinned) = (a.score, a.pinned());
    if pinned {
        edge.admits(fin)
    } else {
        fin >= edge.at - EDGE_SLACK
    }
}

fn by_arithmetic(r: &Rescore, s: &State, i: usize, band: usize) -> Option<ToNextBand> {
    let model = r.model();
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
    let (value, strict, probe) = invert(&m.rule, m.min, m.max, needed, edge.strict, r.input(i))?;
    let probe = probe.unwrap_or_else(|| value.clone());
    // Check by rescoring with a value inside the target region: it must
    // reach the band, and no cap it triggers may hold the score below it.
    reaches(r, i, band, &probe).then(|| ToNextBand {
        band: model.bands[band].id.clone(),
        value,
        strict,
    })
}
