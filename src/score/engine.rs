//! The arithmetic: from per-measure inputs to the score, its band and the
//! breakdown. One exact order of operations, documented in DESIGN-NOTES.md,
//! so every build gives the same numbers.

use super::account::Input;
use super::evaluate;
use super::scorecard::Status;
use super::typing;
use crate::error::{field, Error};
use crate::model::{Aggregation, CapValue, Combine, MissingPolicy, Model, Op, Test};

/// Everything computed for one account.
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub status: Vec<Status>,
    /// Rule output before staleness decay (NaN when skipped).
    pub partial: Vec<f64>,
    /// Rule output after staleness decay: what the aggregation uses.
    pub output: Vec<f64>,
    /// Normalised score 0..1 (NaN when skipped).
    pub normalized: Vec<f64>,
    /// Effective weight within the category.
    pub measure_weight: Vec<f64>,
    pub contribution: Vec<f64>,
    pub points_missed: Vec<f64>,
    /// Category score 0..1 (None when none of its measures took part).
    pub category_score: Vec<Option<f64>>,
    /// Effective category weight (share of the overall score).
    pub category_weight: Vec<f64>,
    /// Score before caps.
    pub uncapped: Option<f64>,
    /// Points the coverage penalty took off (negative: added) before caps.
    pub penalty: f64,
    /// Score after the coverage penalty and caps.
    pub score: Option<f64>,
    /// Points models: raw total and the range (lo, hi) in use.
    pub total: Option<f64>,
    pub range: (f64, f64),
    pub coverage: f64,
    /// Indexes of the caps that fired.
    pub caps: Vec<usize>,
    /// The overrides that held, in order: (index, score before, after).
    pub overrides: Vec<(usize, f64, f64)>,
    /// Index into the model's bands; None for insufficient_data.
    pub band: Option<usize>,
}

/// Coverage is compared with `minCoverage` (and `lowCoverageBelow`) with
/// this slack, so that shares that add up to 0.5 in decimal but
/// 0.49999999999999994 in binary count.
pub const COVERAGE_SLACK: f64 = 1e-12;

/// Scores per-measure inputs (`inputs[i]` for the model's measure `i`);
/// `decay[i]` (1 = fresh) pulls a present measure's normalised score toward
/// 0.5: `0.5 + (n − 0.5) × decay`. Errors carry paths `values.<measureId>`.
pub(crate) fn compute(
    model: &Model,
    inputs: &[&Input],
    decay: &[f64],
) -> Result<State, Vec<Error>> {
    let n = model.measures.len();
    let mut errors = Vec::new();
    let mut status = vec![Status::Skipped; n];
    let mut output = vec![f64::NAN; n];
    let mut partial = vec![f64::NAN; n];
    let mut normalized = vec![f64::NAN; n];
    for (i, m) in model.measures.iter().enumerate() {
        let path = field("values", &m.id);
        let typed = typing::strict(&m.rule, &m.missing_values, inputs[i]);
        let input: &Input = &typed;
        if matches!(input, Input::Missing) {
            match m.missing {
                MissingPolicy::Skip => {}
                MissingPolicy::Neutral => {
                    status[i] = Status::Neutral;
                    normalized[i] = 0.5;
                    output[i] = m.min + 0.5 * (m.max - m.min);
                    partial[i] = output[i];
                }
                MissingPolicy::Worst => {
                    status[i] = Status::Worst;
                    normalized[i] = 0.0;
                    output[i] = m.min;
                    partial[i] = output[i];
                }
                MissingPolicy::Impute => {
                    status[i] = Status::Imputed;
                    output[i] = m.missing_score;
                    partial[i] = output[i];
                    normalized[i] = normalize(output[i], m.min, m.max);
                }
                MissingPolicy::Error => errors.push(Error::new(
                    "missing_value",
                    path,
                    format!(
                        "measure `{}` has no value and its missing policy is `error`",
                        m.id
                    ),
                    "send a value for it, or change the measure's `missing` policy",
                )),
            }
            continue;
        }
        match present_output(m, input) {
            Ok((out, n)) => {
                status[i] = Status::Present;
                partial[i] = out;
                output[i] = out;
                normalized[i] = n;
                let f = decay.get(i).copied().unwrap_or(1.0);
                if f < 1.0 {
                    normalized[i] = 0.5 + (normalized[i] - 0.5) * f;
                    output[i] = m.min + normalized[i] * (m.max - m.min);
                }
            }
            Err(r) => errors.push(Error::new(r.code, path, r.message, r.help)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut s = State {
        status,
        partial,
        output,
        normalized,
        measure_weight: vec![0.0; n],
        contribution: vec![0.0; n],
        points_missed: vec![0.0; n],
        category_score: vec![None; model.categories.len()],
        category_weight: vec![0.0; model.categories.len()],
        uncapped: None,
        penalty: 0.0,
        score: None,
        total: None,
        range: (0.0, 0.0),
        coverage: 0.0,
        caps: Vec::new(),
        overrides: Vec::new(),
        band: None,
    };
    match model.spec().aggregation {
        Aggregation::Weighted => weighted(model, &mut s),
        Aggregation::Points => points(model, &mut s),
    }
    s.coverage = model
        .measures
        .iter()
        .zip(&s.status)
        .filter(|(_, st)| **st == Status::Present)
        .map(|(m, _)| m.share)
        .sum::<f64>()
        .min(1.0)
        + 0.0; // an empty sum is -0.0; coverage is never negative zero
    let any_present = s.status.contains(&Status::Present);
    if !any_present {
        // Only filled-in values: no score, and nothing to explain.
        s.uncapped = None;
        s.contribution
            .iter_mut()
            .chain(&mut s.points_missed)
            .for_each(|x| *x = 0.0);
        s.category_weight.iter_mut().for_each(|x| *x = 0.0);
    }
    if let Some(score) = s.uncapped {
        s.caps = fired_caps(model, inputs, &s.status);
        s.penalty = coverage_penalty(model.spec().coverage_penalty, s.coverage, score);
        let mut applied = Vec::new();
        let (last, _) = finish_score(
            model,
            score,
            s.coverage,
            s.caps
                .iter()
                .map(|&c| model.caps[c].max)
                .fold(f64::INFINITY, f64::min),
            |o| override_holds(model, inputs, &s.status, o),
            |o, before, after| applied.push((o, before, after)),
        );
        s.overrides = applied;
        s.score = Some(last);
        if s.coverage + COVERAGE_SLACK >= model.spec().min_coverage {
            s.band = Some(model.band_index(last));
        }
    } else {
        s.total = None;
    }
    Ok(s)
}

/// A present value's rule output and normalised score (−0 is 0 on every
/// path: an input of −0, a −0 in the model), before any staleness decay.
#[inline]
pub(crate) fn present_output(
    m: &crate::model::Measure,
    input: &Input,
) -> Result<(f64, f64), evaluate::Refusal> {
    let out = evaluate::output(&m.rule, input)? + 0.0;
    Ok((out, normalize(out, m.min, m.max) + 0.0))
}

/// The score after the coverage penalty, the caps (`cap`: the lowest `max`
/// of those that fired, infinity when none did) and the overrides that hold
/// (`held(o)`, asked in order), from the score before caps: `(final score,
/// score after the penalty alone)`; `applied(o, before, after)` is
/// told of each override that held. One definition for the engine and the
/// levers' rescoring.
pub(crate) fn finish_score(
    model: &Model,
    uncapped: f64,
    coverage: f64,
    cap: f64,
    mut held: impl FnMut(usize) -> bool,
    mut applied: impl FnMut(usize, f64, f64),
) -> (f64, f64) {
    let penalty = coverage_penalty(model.spec().coverage_penalty, coverage, uncapped);
    let capped = (uncapped - penalty).min(cap);
    let mut score = capped;
    for (o, ov) in model.overrides.iter().enumerate() {
        if held(o) {
            let before = score;
            score = ov.apply(score);
            applied(o, before, score);
        }
    }
    (score + 0.0, uncapped - penalty)
}

/// The points a model's `coveragePenalty` takes off a score before caps:
/// `penalty × (1 − coverage) × (score − 50)` (negative below 50: the score
/// is pulled up toward neutral), 0 without a penalty. One definition for the
/// engine and the kernel; the JS scorecards repeat it operation for operation.
#[inline(always)]
pub(crate) fn coverage_penalty(penalty: f64, coverage: f64, score: f64) -> f64 {
    if penalty > 0.0 {
        penalty * (1.0 - coverage) * (score - 50.0) + 0.0
    } else {
        0.0
    }
}

/// Whether a scored result rests on less of the model than
/// `lowCoverageBelow` (with the coverage slack).
pub(crate) fn low_coverage(model: &Model, score: Option<f64>, coverage: f64) -> bool {
    score.is_some() && coverage + COVERAGE_SLACK < model.spec().low_coverage_below
}

/// `(output − min) / (max − min)`, clamped to 0..1 (only an unbounded
/// perEvent rule can fall outside).
pub(crate) fn normalize(out: f64, min: f64, max: f64) -> f64 {
    ((out - min) / (max - min)).clamp(0.0, 1.0)
}

/// A weighted model's category score from its present measures (`members`,
/// in model order) and their normalised scores `n(i)`: the weight-average,
/// or the lowest or highest (ties: the first); `weight(i, w)` is told each
/// deciding member's effective weight. One definition for the engine and
/// the levers' rescoring.
pub(crate) fn combine(
    model: &Model,
    combine: Combine,
    members: &[usize],
    n: impl Fn(usize) -> f64,
    mut weight: impl FnMut(usize, f64),
) -> Option<f64> {
    match combine {
        Combine::Average => {
            let sw: f64 = members.iter().map(|&i| model.measures[i].weight).sum();
            if sw > 0.0 {
                let mut sum = 0.0;
                for &i in members {
                    let w = model.measures[i].weight;
                    weight(i, w / sw);
                    sum += w * n(i);
                }
                Some(sum / sw)
            } else {
                None
            }
        }
        Combine::Min | Combine::Max => {
            let mut best: Option<usize> = None;
            for &i in members {
                let better = match best {
                    None => true,
                    Some(b) if combine == Combine::Min => n(i) < n(b),
                    Some(b) => n(i) > n(b),
                };
                if better {
                    best = Some(i);
                }
            }
            best.map(|b| {
                weight(b, 1.0);
                n(b)
            })
        }
    }
}

/// A weighted model's score before caps from its category scores `g(c)`:
/// `(100 × Σ Wc·gc / Σ Wc, Σ Wc)` over the categories with a score, in
/// model order; None when their weights add up to nothing.
pub(crate) fn overall(model: &Model, g: impl Fn(usize) -> Option<f64>) -> Option<(f64, f64)> {
    let mut num = 0.0;
    let mut den = 0.0;
    for (c, cat) in model.categories.iter().enumerate() {
        if let Some(g) = g(c) {
            num += cat.weight * g;
            den += cat.weight;
        }
    }
    (den > 0.0).then(|| (100.0 * num / den, den))
}

/// A points model's score before caps: `clamp(100 × (total − lo) / (hi −
/// lo), 0, 100)`.
pub(crate) fn points_score(total: f64, (lo, hi): (f64, f64)) -> f64 {
    (100.0 * (total - lo) / (hi - lo)).clamp(0.0, 100.0)
}

fn weighted(model: &Model, s: &mut State) {
    for (c, cat) in model.categories.iter().enumerate() {
        let members: Vec<usize> = cat
            .measures
            .clone()
            .filter(|&i| s.status[i] != Status::Skipped)
            .collect();
        let normalized = &s.normalized;
        let weights = &mut s.measure_weight;
        s.category_score[c] = combine(
            model,
            cat.combine,
            &members,
            |i| normalized[i],
            |i, w| {
                weights[i] = w;
            },
        );
    }
    let Some((uncapped, den)) = overall(model, |c| s.category_score[c]) else {
        return;
    };
    s.uncapped = Some(uncapped);
    for (c, cat) in model.categories.iter().enumerate() {
        if s.category_score[c].is_none() {
            continue;
        }
        let cw = cat.weight / den;
        s.category_weight[c] = cw;
        for i in cat.measures.clone() {
            if s.status[i] != Status::Skipped {
                let share = 100.0 * cw * s.measure_weight[i];
                s.contribution[i] = share * s.normalized[i];
                s.points_missed[i] = share * (1.0 - s.normalized[i]);
            }
        }
    }
}

fn points(model: &Model, s: &mut State) {
    let members: Vec<usize> = (0..model.measures.len())
        .filter(|&i| s.status[i] != Status::Skipped)
        .collect();
    if members.is_empty() {
        return;
    }
    let (lo, hi) = model.range.unwrap_or_else(|| {
        members.iter().fold((0.0, 0.0), |(lo, hi), &i| {
            (lo + model.measures[i].min, hi + model.measures[i].max)
        })
    });
    let total: f64 = members.iter().map(|&i| s.output[i]).sum();
    let width = hi - lo;
    s.range = (lo, hi);
    s.total = Some(total);
    s.uncapped = Some(points_score(total, (lo, hi)));
    let all_span: f64 = members
        .iter()
        .map(|&i| model.measures[i].max - model.measures[i].min)
        .sum();
    for (c, cat) in model.categories.iter().enumerate() {
        let mut span = 0.0;
        let mut got = 0.0;
        for i in cat
            .measures
            .clone()
            .filter(|&i| s.status[i] != Status::Skipped)
        {
            let m = &model.measures[i];
            let o = s.output[i].clamp(m.min, m.max);
            span += m.max - m.min;
            got += o - m.min;
            s.contribution[i] = 100.0 * (o - m.min) / width;
            s.points_missed[i] = 100.0 * (m.max - o) / width;
        }
        if span > 0.0 {
            s.category_score[c] = Some(got / span);
            s.category_weight[c] = span / all_span;
            for i in cat
                .measures
                .clone()
                .filter(|&i| s.status[i] != Status::Skipped)
            {
                s.measure_weight[i] = (model.measures[i].max - model.measures[i].min) / span;
            }
        }
    }
}

fn fired_caps(model: &Model, inputs: &[&Input], status: &[Status]) -> Vec<usize> {
    (0..model.caps.len())
        .filter(|&c| {
            let cap = &model.caps[c];
            holds(model, inputs, status, cap.measure, cap.op, &cap.value)
        })
        .collect()
}

/// Whether override `o`'s conditions hold: every `all` test and (when
/// `any` is not empty) one of `any`.
fn override_holds(model: &Model, inputs: &[&Input], status: &[Status], o: usize) -> bool {
    let ov = &model.overrides[o];
    let test = |t: &Test| holds(model, inputs, status, t.measure, t.op, &t.value);
    ov.all.iter().all(test) && (ov.any.is_empty() || ov.any.iter().any(test))
}

/// Whether `measure op value` holds on a present value (a condition on a
/// missing value does not hold).
pub(crate) fn holds(
    model: &Model,
    inputs: &[&Input],
    status: &[Status],
    measure: usize,
    op: Op,
    value: &CapValue,
) -> bool {
    status[measure] == Status::Present && value_holds(model, measure, inputs[measure], op, value)
}

/// Whether `op value` holds on a present value of `measure` (as its rule
/// reads it).
pub(crate) fn value_holds(
    model: &Model,
    measure: usize,
    input: &Input,
    op: Op,
    value: &CapValue,
) -> bool {
    let m = &model.measures[measure];
    let typed = typing::strict(&m.rule, &m.missing_values, input);
    match (&*typed, value) {
        (Input::Number(x), CapValue::Number(v)) => op.holds(*x, *v),
        (Input::Bool(x), CapValue::Bool(v)) => (x == v) == (op == Op::Eq),
        (Input::Text(x), CapValue::Text(v)) => (x == v) == (op == Op::Eq),
        _ => false,
    }
}
