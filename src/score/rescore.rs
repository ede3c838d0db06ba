//! Rescoring an account with one measure changed, without scoring it all
//! again: what levers and plans ask of every candidate value.
//!
//! It uses the engine's own pieces (`present_output`, `combine`, `overall`,
//! `points_score`, `finish_score`), so a score is bit for bit what
//! `engine::compute` gives; a candidate costs the changed measure's category
//! (or, in a points model, one sum), one pass over the categories, the caps
//! and conditions on that measure, and one pass over the overrides, instead
//! of every rule, cap and condition of the model (which made levers
//! quadratic in the measures: 22.5 s at 10,000 measures, issue 27).

use super::account::Input;
use super::engine::{
    self, combine, finish_score, overall, points_score, present_output, value_holds, State,
};
use super::scorecard::Status;
use super::typing;
use crate::model::{Aggregation, Model, Test};

/// What rescoring gives: the final score, the score before caps and the
/// coverage penalty, and the band (None for insufficient data).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome {
    pub score: f64,
    /// `uncapped − penalty`: the score the arithmetic made, before caps and
    /// overrides.
    pub arithmetic: f64,
}

impl Outcome {
    /// Whether a cap or an override moved the score off the arithmetic's.
    pub fn pinned(&self) -> bool {
        self.score != self.arithmetic
    }
}

/// One account's scoring state, ready to rescore with one measure changed.
pub(crate) struct Rescore<'a> {
    model: &'a Model,
    inputs: &'a [&'a Input],
    decay: &'a [f64],
    s: &'a State,
    /// Per category: its members (measures not skipped), in model order;
    /// points models: every member, in model order, at `categories.len()`.
    members: Vec<Vec<usize>>,
    /// Per override: how many of its `all` and its `any` conditions hold.
    all_true: Vec<usize>,
    any_true: Vec<usize>,
    /// Per measure: the override conditions on it, `(override, in all,
    /// index in its list, holds now)`, in override order.
    conditions_on: Vec<Vec<(usize, bool, usize, bool)>>,
    /// Per measure: the caps on it.
    caps_on: Vec<Vec<usize>>,
    /// Rescore every candidate by scoring the account again (the reference
    /// the fast path is tested against).
    direct: bool,
    /// The lowest `max` of the fired caps, its measure, and the lowest of
    /// the fired caps on any other measure.
    cap_low: (f64, usize, f64),
}

impl<'a> Rescore<'a> {
    /// The state of an account scored with `inputs` and `decay` (`s`, from
    /// `engine::compute`).
    pub fn new(model: &'a Model, inputs: &'a [&'a Input], decay: &'a [f64], s: &'a State) -> Self {
        let n = model.measures.len();
        let present = |i: usize| s.status[i] != Status::Skipped;
        let mut members: Vec<Vec<usize>> = model
            .categories
            .iter()
            .map(|c| c.measures.clone().filter(|&i| present(i)).collect())
            .collect();
        members.push((0..n).filter(|&i| present(i)).collect());
        let mut conditions_on = vec![Vec::new(); n];
        let mut all_true = vec![0; model.overrides.len()];
        let mut any_true = vec![0; model.overrides.len()];
        for (o, ov) in model.overrides.iter().enumerate() {
            for (list, in_all) in [(&ov.all, true), (&ov.any, false)] {
                for (k, t) in list.iter().enumerate() {
                    let h = engine::holds(model, inputs, &s.status, t.measure, t.op, &t.value);
                    if h {
                        if in_all {
                            all_true[o] += 1;
                        } else {
                            any_true[o] += 1;
                        }
                    }
                    conditions_on[t.measure].push((o, in_all, k, h));
                }
            }
        }
        let mut caps_on = vec![Vec::new(); n];
        for (c, cap) in model.caps.iter().enumerate() {
            caps_on[cap.measure].push(c);
        }
        let mut cap_low = (f64::INFINITY, usize::MAX, f64::INFINITY);
        let fired: Vec<(f64, usize)> = s
            .caps
            .iter()
            .map(|&c| (model.caps[c].max, model.caps[c].measure))
            .collect();
        for &(max, m) in &fired {
            if max < cap_low.0 {
                cap_low = (max, m, cap_low.2);
            }
        }
        cap_low.2 = fired
            .iter()
            .filter(|(_, m)| *m != cap_low.1)
            .map(|(max, _)| *max)
            .fold(f64::INFINITY, f64::min);
        Rescore {
            model,
            inputs,
            decay,
            s,
            members,
            all_true,
            any_true,
            conditions_on,
            caps_on,
            cap_low,
            direct: false,
        }
    }

    /// The same, rescoring every candidate the direct way.
    pub fn direct(mut self) -> Self {
        self.direct = true;
        self
    }

    /// The model.
    pub fn model(&self) -> &'a Model {
        self.model
    }

    /// Measure `i`'s input as given.
    pub fn input(&self, i: usize) -> &'a Input {
        self.inputs[i]
    }

    /// The override conditions on measure `i`, in override order (each
    /// override's `all`, then its `any`): `(override, condition)`.
    pub fn conditions_on(&self, i: usize) -> impl Iterator<Item = (usize, &'a Test)> + '_ {
        self.conditions_on[i].iter().map(|&(o, in_all, k, _)| {
            let ov = &self.model.overrides[o];
            (o, if in_all { &ov.all[k] } else { &ov.any[k] })
        })
    }

    /// The outcome with measure `i` at `candidate`, a fresh observation (no
    /// staleness decay); None when the candidate is refused or there is no
    /// score.
    pub fn with(&self, i: usize, candidate: &Input) -> Option<Outcome> {
        let (model, s) = (self.model, self.s);
        let m = &model.measures[i];
        let typed = typing::strict(&m.rule, &m.missing_values, candidate);
        if self.direct
            || s.status[i] != Status::Present
            || s.uncapped.is_none()
            || *typed == Input::Missing
        {
            return self.full(i, candidate);
        }
        let (out, n) = present_output(m, &typed).ok()?;
        let uncapped = match model.spec().aggregation {
            Aggregation::Weighted => {
                let c = m.category;
                let g = combine(
                    model,
                    model.categories[c].combine,
                    &self.members[c],
                    |j| if j == i { n } else { s.normalized[j] },
                    |_, _| {},
                );
                overall(model, |k| if k == c { g } else { s.category_score[k] })?.0
            }
            Aggregation::Points => {
                let all = &self.members[model.categories.len()];
                let total: f64 = all
                    .iter()
                    .map(|&j| if j == i { out } else { s.output[j] })
                    .sum();
                points_score(total, s.range)
            }
        };
        // Caps: those on other measures as they were; those on `i` tested
        // with the candidate.
        let mut cap = if self.cap_low.1 == i {
            self.cap_low.2
        } else {
            self.cap_low.0
        };
        for &c in &self.caps_on[i] {
            let k = &model.caps[c];
            if value_holds(model, i, &typed, k.op, &k.value) {
                cap = cap.min(k.max);
            }
        }
        // Overrides: the counts of conditions that hold, those on `i` again.
        let mut changes: Vec<(usize, isize, isize)> = Vec::new();
        for &(o, in_all, k, before) in &self.conditions_on[i] {
            let ov = &model.overrides[o];
            let t = if in_all { &ov.all[k] } else { &ov.any[k] };
            let after = value_holds(model, i, &typed, t.op, &t.value);
            let delta = isize::from(after) - isize::from(before);
            match changes.last_mut() {
                Some(last) if last.0 == o => {
                    if in_all {
                        last.1 += delta
                    } else {
                        last.2 += delta
                    }
                }
                _ => changes.push((
                    o,
                    if in_all { delta } else { 0 },
                    if in_all { 0 } else { delta },
                )),
            }
        }
        let mut next = changes.iter().peekable();
        let (score, arithmetic) = finish_score(
            model,
            uncapped,
            s.coverage,
            cap,
            |o| {
                let ov = &model.overrides[o];
                let (mut all, mut any) = (self.all_true[o] as isize, self.any_true[o] as isize);
                if let Some(&(_, da, dn)) = next.next_if(|x| x.0 == o) {
                    all += da;
                    any += dn;
                }
                all == ov.all.len() as isize && (ov.any.is_empty() || any > 0)
            },
            |_, _, _| {},
        );
        Some(Outcome { score, arithmetic })
    }

    /// The outcome by scoring every measure again (when the candidate
    /// changes which measures are present, or the account had no score).
    fn full(&self, i: usize, candidate: &Input) -> Option<Outcome> {
        let mut trial: Vec<&Input> = self.inputs.to_vec();
        trial[i] = candidate;
        let mut fresh = self.decay.to_vec();
        if let Some(f) = fresh.get_mut(i) {
            *f = 1.0;
        }
        let a = engine::compute(self.model, &trial, &fresh).ok()?;
        Some(Outcome {
            score: a.score?,
            arithmetic: a.uncapped? - a.penalty,
        })
    }
}
