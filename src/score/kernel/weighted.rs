//! Weighted models over a block: each category's combined score (average,
//! min or max of its present measures' normalised scores) and the weighted
//! mean of the categories, as `engine::weighted` computes them.

use super::{pick, Block, Want};
use crate::model::{Combine, Measure, Model};

pub(super) fn aggregate(model: &Model, len: usize, b: &mut Block, want: Want) {
    let detail = want.breakdown || want.full;
    let (num, den) = (&mut b.s1, &mut b.s2);
    num[..len].fill(0.0);
    den[..len].fill(0.0);
    for (c, cat) in model.categories.iter().enumerate() {
        let g = &mut b.g[c];
        match cat.combine {
            Combine::Average => {
                let (sw, sum) = (&mut b.tmp, &mut b.s3);
                sw[..len].fill(0.0);
                sum[..len].fill(0.0);
                for i in cat.measures.clone() {
                    let w = model.measures[i].weight;
                    let norm = &b.norm[i];
                    for r in 0..len {
                        let on = !norm[r].is_nan();
                        sw[r] += pick(on, w, 0.0);
                        sum[r] += pick(on, w * norm[r], 0.0);
                    }
                }
                for r in 0..len {
                    g[r] = pick(sw[r] > 0.0, sum[r] / sw[r], f64::NAN);
                }
                if detail {
                    for i in cat.measures.clone() {
                        let w = model.measures[i].weight;
                        let (norm, weight) = (&b.norm[i], &mut b.weight[i]);
                        for r in 0..len {
                            let on = !norm[r].is_nan() && sw[r] > 0.0;
                            weight[r] = pick(on, w / sw[r], 0.0);
                        }
                    }
                }
            }
            Combine::Min | Combine::Max => {
                // The deciding measure: the first lowest (highest) in model order.
                let min = cat.combine == Combine::Min;
                let chosen = &mut b.s3;
                g[..len].fill(if min {
                    f64::INFINITY
                } else {
                    f64::NEG_INFINITY
                });
                chosen[..len].fill(-1.0);
                for i in cat.measures.clone() {
                    let norm = &b.norm[i];
                    let at = i as f64;
                    for r in 0..len {
                        let v = norm[r];
                        let on = !v.is_nan();
                        let better = on && if min { v < g[r] } else { v > g[r] };
                        g[r] = pick(better, v, g[r]);
                        chosen[r] = pick(better, at, chosen[r]);
                    }
                }
                for r in 0..len {
                    g[r] = pick(chosen[r] >= 0.0, g[r], f64::NAN);
                }
                if detail {
                    for i in cat.measures.clone() {
                        let (at, weight) = (i as f64, &mut b.weight[i]);
                        for r in 0..len {
                            weight[r] = pick(chosen[r] == at, 1.0, 0.0);
                        }
                    }
                }
            }
        }
        let cw = cat.weight;
        for r in 0..len {
            let some = !g[r].is_nan();
            num[r] += pick(some, cw * g[r], 0.0);
            den[r] += pick(some, cw, 0.0);
        }
    }
    for r in 0..len {
        let ok = b.any[r] != 0.0 && den[r] > 0.0;
        b.uncapped[r] = pick(ok, 100.0 * num[r] / den[r], f64::NAN);
    }
    if detail {
        for (c, cat) in model.categories.iter().enumerate() {
            let (g, cw) = (&b.g[c], &mut b.cw[c]);
            for r in 0..len {
                cw[r] = pick(!g[r].is_nan(), cat.weight / den[r], 0.0);
            }
        }
    }
}

/// A measure's contribution: `100 × Wc × wm × n` (0 when it takes no part).
pub(super) fn contributions(
    _m: &Measure,
    norm: &[f64],
    cw: &[f64],
    weight: &[f64],
    len: usize,
    out: &mut [f64],
) {
    for r in 0..len {
        let v = 100.0 * cw[r] * weight[r] * norm[r];
        out[r] = pick(!norm[r].is_nan(), v, 0.0);
    }
}

/// Points missed: `100 × Wc × wm × (1 − n)`.
pub(super) fn missed(
    _m: &Measure,
    norm: &[f64],
    cw: &[f64],
    weight: &[f64],
    len: usize,
    out: &mut [f64],
) {
    for r in 0..len {
        let v = 100.0 * cw[r] * weight[r] * (1.0 - norm[r]);
        out[r] = pick(!norm[r].is_nan(), v, 0.0);
    }
}
