//! Points models over a block: the sum of the rule outputs mapped onto
//! 0..100 by the model's range (or the range of the measures that take
//! part), as `engine::points` computes it.

use super::{pick, Block, Want};
use crate::model::{Measure, Model};

pub(super) fn aggregate(model: &Model, len: usize, b: &mut Block, want: Want) {
    let detail = want.breakdown || want.full;
    // Sums in model order; `-0.0` adds nothing, even to `-0.0` (the engine's
    // `sum()` starts there), and `0.0` adds nothing to a sum that starts at 0.
    let (total, lo, hi, all_span) = (&mut b.total, &mut b.s1, &mut b.s2, &mut b.s3);
    total[..len].fill(-0.0);
    lo[..len].fill(0.0);
    hi[..len].fill(0.0);
    all_span[..len].fill(-0.0);
    for (i, m) in model.measures.iter().enumerate() {
        let out = &b.out[i];
        let span = m.max - m.min;
        for r in 0..len {
            let on = !out[r].is_nan();
            total[r] += pick(on, out[r], -0.0);
            lo[r] += pick(on, m.min, 0.0);
            hi[r] += pick(on, m.max, 0.0);
            all_span[r] += pick(on, span, -0.0);
        }
    }
    if let Some((l, h)) = model.range {
        lo[..len].fill(l);
        hi[..len].fill(h);
    }
    for r in 0..len {
        b.width[r] = hi[r] - lo[r];
        // Some measure takes part (every span is above 0) and one is present.
        let ok = all_span[r] > 0.0 && b.any[r] != 0.0;
        let mapped = (100.0 * (total[r] - lo[r]) / b.width[r]).clamp(0.0, 100.0);
        b.uncapped[r] = pick(ok, mapped, f64::NAN);
    }
    if !detail {
        return;
    }
    let (span, got) = (&mut b.s1, &mut b.s2);
    for (c, cat) in model.categories.iter().enumerate() {
        span[..len].fill(0.0);
        got[..len].fill(0.0);
        for i in cat.measures.clone() {
            let m = &model.measures[i];
            let out = &b.out[i];
            for r in 0..len {
                let on = !out[r].is_nan();
                span[r] += pick(on, m.max - m.min, 0.0);
                got[r] += pick(on, out[r].clamp(m.min, m.max) - m.min, 0.0);
            }
        }
        let (g, cw) = (&mut b.g[c], &mut b.cw[c]);
        for r in 0..len {
            let some = span[r] > 0.0;
            g[r] = pick(some, got[r] / span[r], f64::NAN);
            cw[r] = pick(some, span[r] / all_span[r], 0.0);
        }
        for i in cat.measures.clone() {
            let m = &model.measures[i];
            let (out, weight) = (&b.out[i], &mut b.weight[i]);
            for r in 0..len {
                let on = !out[r].is_nan() && span[r] > 0.0;
                weight[r] = pick(on, (m.max - m.min) / span[r], 0.0);
            }
        }
    }
}

/// A measure's contribution: `100 × (output − min) / (hi − lo)`, its output
/// clamped to its bounds (0 when it takes no part).
pub(super) fn contributions(m: &Measure, out: &[f64], width: &[f64], len: usize, res: &mut [f64]) {
    for r in 0..len {
        let o = out[r].clamp(m.min, m.max);
        res[r] = pick(!out[r].is_nan(), 100.0 * (o - m.min) / width[r], 0.0);
    }
}

/// Points missed: `100 × (max − output) / (hi − lo)`.
pub(super) fn missed(m: &Measure, out: &[f64], width: &[f64], len: usize, res: &mut [f64]) {
    for r in 0..len {
        let o = out[r].clamp(m.min, m.max);
        res[r] = pick(!out[r].is_nan(), 100.0 * (m.max - o) / width[r], 0.0);
    }
}
