//! What each rule type does with a value, in one place: the partial score
//! of a raw value (or why it cannot be scored), and back, the value that
//! reaches a wanted score (for levers and plans). The columnar kernel has
//! its own loops (`kernel/rules.rs`); reading and checking a rule, its
//! bounds and its scaled outputs are in `model/rules.rs`.

use super::account::Input;
use crate::model::{percentile_points, Rule, Scalar};

/// Slack for comparing normalised scores computed in different orders.
pub(crate) const EPS: f64 = 1e-12;

/// Why a value cannot be scored: a code, a message and help.
pub(crate) struct Refusal {
    pub code: &'static str,
    pub message: String,
    pub help: String,
}

fn refuse(code: &'static str, message: String, help: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message,
        help: help.into(),
    }
}

/// The rule's output for a present value (`Input::Missing` is handled by
/// the caller's missing policy).
pub(crate) fn output(rule: &Rule, input: &Input) -> Result<f64, Refusal> {
    match rule {
        Rule::Flag { if_true, if_false } => match input {
            Input::Bool(true) => Ok(*if_true),
            Input::Bool(false) => Ok(*if_false),
            other => Err(refuse(
                "not_a_boolean",
                format!("a flag takes true or false, not {}", other.describe()),
                "send true or false (not 1/0 or \"yes\"), or null when unknown",
            )),
        },
        Rule::Match { scores, otherwise } => match input {
            Input::Text(s) => scores.get(s).copied().or(*otherwise).ok_or_else(|| {
                let known: Vec<&str> = scores.keys().map(String::as_str).take(10).collect();
                refuse(
                    "unknown_value",
                    format!("{} is not one of the rule's values", input.describe()),
                    format!(
                        "use one of: {}; or give the rule an `otherwise` score",
                        known.join(", ")
                    ),
                )
            }),
            other => Err(refuse(
                "not_a_string",
                format!("a match rule takes a text value, not {}", other.describe()),
                "send the value as a string, or null when unknown",
            )),
        },
        _ => {
            let x = number(input)?;
            numeric(rule, x)
        }
    }
}

fn number(input: &Input) -> Result<f64, Refusal> {
    match input {
        Input::Number(x) if x.is_finite() => Ok(*x),
        Input::Number(x) => Err(refuse(
            "not_finite",
            format!("{x} is not a finite number"),
            "send a finite number, or null when the value is unknown",
        )),
        other => Err(refuse(
            "not_a_number",
            format!("expected a number, found {}", other.describe()),
            "send a JSON number (not a string), or null when the value is unknown",
        )),
    }
}

fn numeric(rule: &Rule, x: f64) -> Result<f64, Refusal> {
    Ok(match rule {
        Rule::Steps { thresholds, scores } => scores[steps_index(thresholds, x)],
        Rule::Linear { points } => linear(points, x),
        Rule::Percentile { quantiles } => percentile(quantiles, x),
        Rule::Scale { min, max } => {
            if x < *min || x > *max {
                return Err(refuse(
                    "out_of_range",
                    format!("{x} is outside the scale {min}..{max}"),
                    format!("send a value from {min} to {max}"),
                ));
            }
            x
        }
        Rule::PerEvent { points, max_events } => {
            if x < 0.0 {
                return Err(refuse(
                    "negative_count",
                    format!("an event count of {x} is negative"),
                    "send how many events happened: 0 or more",
                ));
            }
            if x > MAX_COUNT {
                return Err(refuse(
                    "out_of_range",
                    format!("an event count of {x} is too large to count exactly"),
                    "send at most 2^53 events",
                ));
            }
            if x.fract() != 0.0 {
                return Err(refuse(
                    "fractional_count",
                    format!("an event count of {x} is not a whole number"),
                    "send a whole number of events",
                ));
            }
            let n = match max_events {
                Some(m) => x.min(*m as f64),
                None => x,
            };
            points * n
        }
        Rule::Flag { .. } | Rule::Match { .. } => unreachable!("handled by output()"),
    })
}

/// The largest event count that is counted exactly (2^53).
pub(crate) const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// Which step a value falls in: the number of thresholds at or below it.
pub(crate) fn steps_index(thresholds: &[f64], x: f64) -> usize {
    thresholds.iter().take_while(|t| **t <= x).count()
}

/// Piecewise-linear interpolation through `points`, clamped at the ends.
pub(crate) fn linear(points: &[[f64; 2]], x: f64) -> f64 {
    let first = points[0];
    let last = points[points.len() - 1];
    if x <= first[0] {
        return first[1];
    }
    if x >= last[0] {
        return last[1];
    }
    let i = points
        .iter()
        .position(|p| p[0] > x)
        .unwrap_or(points.len() - 1);
    let [x0, y0] = points[i - 1];
    let [x1, y1] = points[i];
    y0 + (x - x0) * (y1 - y0) / (x1 - x0)
}

/// A percentile rule's output: [`linear`] through its points, term for
/// term, walked without collecting them (the kernel's `linear_any` gives
/// the same bits).
pub(crate) fn percentile(quantiles: &[f64], x: f64) -> f64 {
    let mut points = percentile_points(quantiles);
    let Some(first) = points.next() else {
        return f64::NAN; // (validation keeps two points at least)
    };
    if x <= first[0] {
        return first[1];
    }
    let mut prev = first;
    for p in points {
        if p[0] > x {
            let ([x0, y0], [x1, y1]) = (prev, p);
            return y0 + (x - x0) * (y1 - y0) / (x1 - x0);
        }
        prev = p;
    }
    prev[1]
}

/// The raw value whose normalised score is `needed` (or more; strictly more
/// when `strict`), nearest the current value: the value, whether it must be
/// passed rather than reached, and (when the value itself is not inside the
/// target region) a value to check it with.
type Inverted = (Scalar, bool, Option<Scalar>);

pub(crate) fn invert(
    rule: &Rule,
    min: f64,
    max: f64,
    needed: f64,
    strict: bool,
    current: &Input,
) -> Option<Inverted> {
    if let Rule::Percentile { quantiles } = rule {
        let points = percentile_points(quantiles).collect();
        return invert(&Rule::Linear { points }, min, max, needed, strict, current);
    }
    let norm = |out: f64| (out - min) / (max - min);
    let enough = |out: f64| {
        if strict {
            norm(out) > needed + EPS
        } else {
            norm(out) >= needed - EPS
        }
    };
    let mut target = min + needed * (max - min);
    // A measure's bounds can be wider than its rule's outputs (an imputed
    // score outside them): the rule's best is then the most it can give,
    // and a target beyond it is out of reach.
    if let Some((lo, hi)) = crate::model::rules::bounds(rule) {
        if target > hi {
            if needed < 1.0 {
                return None;
            }
            target = hi;
        }
        target = target.max(lo);
    }
    match rule {
        Rule::Percentile { .. } => unreachable!("inverted as its linear rule above"),
        Rule::Scale { .. } => Some((json_number(target)?, strict, None)),
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
            Some((json_number(at)?, strict, None))
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
                Some((json_number(thresholds[i - 1])?, false, None))
            } else {
                // Below thresholds[i]: check with a value inside that step.
                let inside = if i > 0 {
                    thresholds[i - 1]
                } else {
                    thresholds[0] - 1.0
                };
                Some((
                    json_number(thresholds[i])?,
                    true,
                    Some(json_number(inside)?),
                ))
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
            Some((json_number(count)?, false, None))
        }
        Rule::Flag { if_true, if_false } => {
            let other = !matches!(current, Input::Bool(true));
            let out = if other { *if_true } else { *if_false };
            enough(out).then_some((Scalar::Bool(other), false, None))
        }
        Rule::Match { scores, .. } => scores
            .iter()
            .filter(|(_, s)| enough(**s))
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, _)| (Scalar::Text(k.clone()), false, None)),
    }
}

/// A finite number as a value (−0 written as 0).
fn json_number(x: f64) -> Option<Scalar> {
    x.is_finite().then_some(Scalar::Number(x + 0.0))
}

/// A value (a lever's or plan's target) as an input.
pub(crate) fn value_input(v: &Scalar) -> Input {
    Input::from_scalar(Some(v))
}
