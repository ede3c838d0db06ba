//! One rule over a block of cells: the same arithmetic as
//! `evaluate::output`, written as selects so that it vectorises. Steps and
//! linear rules with up to 8 thresholds or points get a loop specialised to
//! their size, so that the per-row work is straight-line code.

// Index loops over parallel block arrays are the clearest form of a kernel
// meant to vectorise; `v < 0.0 || v > MAX` is kept over a range's
// `contains`, which would also be true for NaN (missing, not refused).
#![allow(clippy::needless_range_loop, clippy::manual_range_contains)]

use super::pick;
use crate::model::{percentile_points, Rule};
use crate::score::engine::normalize;
use crate::score::evaluate::MAX_COUNT;

/// The rule's output for each cell (anything for NaN, which is missing), and
/// `bad` set where the engine refuses the value.
///
/// With `normalised`, rules with a few possible outputs (steps, flags) pick
/// among their outputs normalised beforehand with `lo` and `hi` (the same
/// function of the same output, so the same bits) and the function returns
/// true; otherwise `out` holds raw outputs and it returns false.
///
/// A `match` column holds codes: `k` for the rule's `k`-th key in sorted
/// order, and the number of keys for "another value" when the rule has an
/// `otherwise` score.
pub(crate) fn output(
    rule: &Rule,
    x: &[f64],
    out: &mut [f64],
    bad: &mut [bool],
    lo: f64,
    hi: f64,
    normalised: bool,
) -> bool {
    let len = x.len();
    match rule {
        Rule::Steps { thresholds, scores } if scores.len() <= 9 => {
            let mut picked = [0.0; 9];
            for (n, s) in picked.iter_mut().zip(scores) {
                *n = if normalised {
                    normalize(*s, lo, hi)
                } else {
                    *s
                };
            }
            let scores = &picked[..scores.len()];
            macro_rules! fixed {
                ($($n:literal)*) => {
                    match thresholds.len() {
                        $($n => steps_fixed::<$n>(thresholds[..].try_into().unwrap(), scores, x, out),)*
                        _ => steps_any(thresholds, scores, x, out),
                    }
                };
            }
            fixed!(1 2 3 4 5 6 7 8);
            for r in 0..len {
                bad[r] |= x[r].is_infinite();
            }
            return normalised;
        }
        Rule::Steps { thresholds, scores } => {
            steps_any(thresholds, scores, x, out);
            for r in 0..len {
                bad[r] |= x[r].is_infinite();
            }
        }
        Rule::Linear { points } => {
            macro_rules! fixed {
                ($($n:literal)*) => {
                    match points.len() {
                        $($n => linear_fixed::<$n>(points[..].try_into().unwrap(), x, out),)*
                        _ => linear_any(points, x, out),
                    }
                };
            }
            fixed!(2 3 4 5 6 7 8);
            for r in 0..len {
                bad[r] |= x[r].is_infinite();
            }
        }
        Rule::Percentile { quantiles } => {
            let points: Vec<[f64; 2]> = percentile_points(quantiles).collect();
            linear_any(&points, x, out);
            for r in 0..len {
                bad[r] |= x[r].is_infinite();
            }
        }
        Rule::Scale { min, max } => {
            out.copy_from_slice(x);
            for r in 0..len {
                bad[r] |= x[r] < *min || x[r] > *max;
            }
        }
        Rule::PerEvent { points, max_events } => {
            let cap = max_events.map_or(f64::INFINITY, |m| m as f64);
            for r in 0..len {
                let v = x[r];
                out[r] = points * pick(max_events.is_some(), v.min(cap), v);
                bad[r] |= v < 0.0 || v > MAX_COUNT || v.fract() != 0.0 && !v.is_nan();
            }
        }
        Rule::Flag { if_true, if_false } => {
            let (t, f) = if normalised {
                (normalize(*if_true, lo, hi), normalize(*if_false, lo, hi))
            } else {
                (*if_true, *if_false)
            };
            for r in 0..len {
                let v = x[r];
                out[r] = pick(v == 1.0, t, f);
                bad[r] |= !(v == 1.0 || v == 0.0 || v.is_nan());
            }
            return normalised;
        }
        Rule::Match { scores, otherwise } => {
            out.fill(f64::NAN);
            for (k, s) in scores.values().chain(otherwise).enumerate() {
                let code = k as f64;
                for r in 0..len {
                    out[r] = pick(x[r] == code, *s, out[r]);
                }
            }
            for r in 0..len {
                bad[r] |= !x[r].is_nan() && out[r].is_nan();
            }
        }
    }
    false
}

/// Steps: the score of the last threshold at or below the value (thresholds
/// are strictly increasing, so this is the engine's count of them).
fn steps_fixed<const T: usize>(t: &[f64; T], scores: &[f64], x: &[f64], out: &mut [f64]) {
    let s0 = scores[0];
    let s: &[f64; T] = scores[1..].try_into().unwrap();
    for (o, &v) in out.iter_mut().zip(x) {
        let mut y = s0;
        for k in 0..T {
            y = pick(v >= t[k], s[k], y);
        }
        *o = y;
    }
}

fn steps_any(t: &[f64], scores: &[f64], x: &[f64], out: &mut [f64]) {
    out.fill(scores[0]);
    for (t, s) in t.iter().zip(&scores[1..]) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = pick(v >= *t, *s, *o);
        }
    }
}

/// Linear: `y0 + (x − x0)·(y1 − y0)/(x1 − x0)` on the segment [x0, x1) that
/// holds the value (the last whose start is at or below it), clamped to the
/// first and last points: the engine's expression, term for term.
fn linear_fixed<const P: usize>(p: &[[f64; 2]; P], x: &[f64], out: &mut [f64]) {
    let (first, last) = (p[0], p[P - 1]);
    for (o, &v) in out.iter_mut().zip(x) {
        let (mut x0, mut y0, mut x1, mut y1) = (p[0][0], p[0][1], p[1][0], p[1][1]);
        for k in 1..P - 1 {
            let take = v >= p[k][0];
            x0 = pick(take, p[k][0], x0);
            y0 = pick(take, p[k][1], y0);
            x1 = pick(take, p[k + 1][0], x1);
            y1 = pick(take, p[k + 1][1], y1);
        }
        let mid = y0 + (v - x0) * (y1 - y0) / (x1 - x0);
        let end = pick(v >= last[0], last[1], mid);
        *o = pick(v <= first[0], first[1], end);
    }
}

fn linear_any(p: &[[f64; 2]], x: &[f64], out: &mut [f64]) {
    let (first, last) = (p[0], p[p.len() - 1]);
    for (o, &v) in out.iter_mut().zip(x) {
        let i = p
            .iter()
            .position(|q| q[0] > v)
            .unwrap_or(p.len() - 1)
            .max(1);
        let ([x0, y0], [x1, y1]) = (p[i - 1], p[i]);
        let mid = y0 + (v - x0) * (y1 - y0) / (x1 - x0);
        let end = pick(v >= last[0], last[1], mid);
        *o = pick(v <= first[0], first[1], end);
    }
}
