//! The columnar kernel for weighted models: the engine's arithmetic, in the
//! same order of operations, over blocks of rows, one measure column at a
//! time. Every loop is a straight run over a block with selects instead of
//! per-row branches and no allocation inside, so the compiler vectorises it
//! (SSE2 natively, simd128 in WebAssembly). It gives bit-for-bit the engine's
//! scores (tests compare them); rows with a value the engine would refuse are
//! flagged and left to the engine, which reports the error.

// Index loops over several parallel block arrays are the clearest form of a
// kernel meant to vectorise; and `v < 0.0 || v > MAX` is kept over a range's
// `contains`, which would also be true for NaN (missing, not refused).
#![allow(clippy::needless_range_loop, clippy::manual_range_contains)]

use super::engine::normalize;
use crate::model::{CapValue, Combine, Measure, MissingPolicy, Model, Op, Rule};

/// Rows per block: the block's working set (a few arrays of `BLOCK` f64 per
/// measure) stays in the L1/L2 cache.
const BLOCK: usize = 256;

/// The largest event count that is counted exactly (2^53), as in the engine.
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// Per row: the score (NaN when none), the band index, and whether the row
/// must go to the engine (`refused`: a bad value, or a missing value under
/// `error`; every row of a points model).
/// With a breakdown: category scores as scorecards show them (category-major,
/// NaN when none) and measure contributions (measure-major).
pub(crate) struct Kernel {
    pub scores: Vec<f64>,
    pub bands: Vec<u8>,
    pub refused: Vec<bool>,
    pub categories: Vec<f64>,
    pub contributions: Vec<f64>,
}

/// Scratch for one block: per measure the normalised score, NaN where the
/// measure takes no part (a value is present where its column is not NaN).
struct Block {
    /// The band index of a row with too little data.
    insufficient: u8,
    out: [f64; BLOCK],
    /// Per row: coverage so far, whether any value is present, band index.
    cov: [f64; BLOCK],
    any: [f64; BLOCK],
    band: [f64; BLOCK],
    bad: [bool; BLOCK],
    norm: Vec<[f64; BLOCK]>,
    /// Per category: the combined score g (0..1) and whether there is one.
    g: Vec<[f64; BLOCK]>,
    has: Vec<[f64; BLOCK]>,
    /// Per category: the sum of included weights (average) or the index of
    /// the chosen measure (min/max), for the breakdown.
    sw: Vec<[f64; BLOCK]>,
    num: [f64; BLOCK],
    den: [f64; BLOCK],
}

impl Kernel {
    /// Results for the engine to fill, every row of them (points models).
    pub(crate) fn for_engine(
        model: &Model,
        rows: usize,
        insufficient: u8,
        breakdown: bool,
    ) -> Kernel {
        let size = |per_row: usize| if breakdown { per_row * rows } else { 0 };
        Kernel {
            scores: vec![f64::NAN; rows],
            bands: vec![insufficient; rows],
            refused: vec![true; rows],
            categories: vec![f64::NAN; size(model.categories.len())],
            contributions: vec![0.0; size(model.measures.len())],
        }
    }
}

pub(crate) fn weighted(
    model: &Model,
    columns: &[Option<&[f64]>],
    rows: usize,
    insufficient: u8,
    breakdown: bool,
) -> Kernel {
    let n = model.measures.len();
    let nc = model.categories.len();
    // Every cell is written block by block; zeroed memory comes from the
    // allocator without a pass over it.
    let mut k = Kernel {
        scores: vec![0.0; rows],
        bands: vec![0; rows],
        refused: vec![false; rows],
        categories: if breakdown {
            vec![0.0; nc * rows]
        } else {
            Vec::new()
        },
        contributions: if breakdown {
            vec![0.0; n * rows]
        } else {
            Vec::new()
        },
    };
    let mut b = Block {
        insufficient,
        out: [0.0; BLOCK],
        cov: [0.0; BLOCK],
        any: [0.0; BLOCK],
        band: [0.0; BLOCK],
        bad: [false; BLOCK],
        norm: vec![[0.0; BLOCK]; n],
        g: vec![[0.0; BLOCK]; nc],
        has: vec![[0.0; BLOCK]; nc],
        sw: vec![[0.0; BLOCK]; nc],
        num: [0.0; BLOCK],
        den: [0.0; BLOCK],
    };
    let mut start = 0;
    while start < rows {
        let len = BLOCK.min(rows - start);
        block(model, columns, start, len, &mut b, &mut k, breakdown);
        start += len;
    }
    k
}

fn block(
    model: &Model,
    columns: &[Option<&[f64]>],
    start: usize,
    len: usize,
    b: &mut Block,
    k: &mut Kernel,
    breakdown: bool,
) {
    let insufficient = b.insufficient;
    b.bad[..len].fill(false);
    b.cov[..len].fill(0.0);
    b.any[..len].fill(0.0);
    for (i, m) in model.measures.iter().enumerate() {
        measure(m, columns[i].map(|c| &c[start..start + len]), len, b, i);
    }
    b.num[..len].fill(0.0);
    b.den[..len].fill(0.0);
    for (c, cat) in model.categories.iter().enumerate() {
        let (g, has, sw) = (&mut b.g[c], &mut b.has[c], &mut b.sw[c]);
        match cat.combine {
            Combine::Average => {
                sw[..len].fill(0.0);
                let sum = &mut b.out;
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
                    has[r] = pick(sw[r] > 0.0, 1.0, 0.0);
                    g[r] = sum[r] / sw[r];
                }
            }
            Combine::Min | Combine::Max => {
                let min = cat.combine == Combine::Min;
                g[..len].fill(if min {
                    f64::INFINITY
                } else {
                    f64::NEG_INFINITY
                });
                has[..len].fill(0.0);
                for i in cat.measures.clone() {
                    let norm = &b.norm[i];
                    let at = i as f64;
                    for r in 0..len {
                        let v = norm[r];
                        let on = !norm[r].is_nan();
                        let better = on && if min { v < g[r] } else { v > g[r] };
                        g[r] = pick(better, v, g[r]);
                        sw[r] = pick(better, at, sw[r]);
                        has[r] = pick(on, 1.0, has[r]);
                    }
                }
            }
        }
        let cw = cat.weight;
        for r in 0..len {
            let some = has[r] != 0.0;
            b.num[r] += pick(some, cw * g[r], 0.0);
            b.den[r] += pick(some, cw, 0.0);
        }
    }
    // The score (NaN without one), then each cap, then the band: selects.
    let score = &mut b.out;
    for r in 0..len {
        let ok = b.any[r] != 0.0 && b.den[r] > 0.0;
        score[r] = pick(ok, 100.0 * b.num[r] / b.den[r], f64::NAN);
    }
    for c in &model.caps {
        let Some(col) = columns[c.measure].map(|col| &col[start..start + len]) else {
            continue;
        };
        let rule = &model.measures[c.measure].rule;
        let max = c.max;
        macro_rules! cap {
            ($holds:expr) => {
                for r in 0..len {
                    let x = col[r];
                    let fires = !x.is_nan() && $holds(x);
                    score[r] = pick(fires && max < score[r], max, score[r]);
                }
            };
        }
        match (rule, &c.value) {
            (Rule::Flag { .. }, CapValue::Bool(v)) => {
                let want = *v == (c.op == Op::Eq);
                cap!(|x: f64| (x == 1.0) == want)
            }
            (Rule::Flag { .. } | Rule::Match { .. }, _) => {}
            (_, CapValue::Number(v)) => {
                let v = *v;
                match c.op {
                    Op::Lt => cap!(|x: f64| x < v),
                    Op::Le => cap!(|x: f64| x <= v),
                    Op::Gt => cap!(|x: f64| x > v),
                    Op::Ge => cap!(|x: f64| x >= v),
                    Op::Eq => cap!(|x: f64| x == v),
                    Op::Ne => cap!(|x: f64| x != v),
                }
            }
            _ => {}
        }
    }
    let min_coverage = model.spec().min_coverage;
    let band = &mut b.band;
    band[..len].fill(0.0);
    for (e, edge) in model.edges.iter().enumerate() {
        let (at, strict, idx) = (edge.at, edge.strict, e as f64);
        for r in 0..len {
            let admits = if strict {
                score[r] > at
            } else {
                score[r] >= at
            };
            band[r] = pick(admits, idx, band[r]);
        }
    }
    for r in 0..len {
        let row = start + r;
        k.refused[row] = b.bad[r];
        k.scores[row] = pick(b.bad[r], f64::NAN, score[r]);
        let banded = !b.bad[r]
            && !score[r].is_nan()
            && b.cov[r].min(1.0) + super::engine::COVERAGE_SLACK >= min_coverage;
        k.bands[row] = if banded { band[r] as u8 } else { insufficient };
    }
    if breakdown {
        breakdown_block(model, start, len, b, k);
    }
}

/// The columnar breakdown of a block, one category and one measure at a
/// time: category scores (NaN without one) and contributions (0 when not
/// used, NaN in refused rows), the engine's expressions.
fn breakdown_block(model: &Model, start: usize, len: usize, b: &Block, k: &mut Kernel) {
    let rows = k.scores.len();
    let score = &b.out;
    for (c, cat) in model.categories.iter().enumerate() {
        let (g, has, sw) = (&b.g[c], &b.has[c], &b.sw[c]);
        let out = &mut k.categories[c * rows + start..c * rows + start + len];
        for r in 0..len {
            let shown = has[r] != 0.0 && !score[r].is_nan();
            out[r] = pick(shown && !b.bad[r], 100.0 * g[r], f64::NAN);
        }
        for i in cat.measures.clone() {
            let norm = &b.norm[i];
            let w = model.measures[i].weight;
            let at = i as f64;
            let average = cat.combine == Combine::Average;
            let out = &mut k.contributions[i * rows + start..i * rows + start + len];
            for r in 0..len {
                let cw = cat.weight / b.den[r];
                let mw = if average {
                    w / sw[r]
                } else {
                    pick(sw[r] == at, 1.0, 0.0)
                };
                let used = !norm[r].is_nan() && has[r] != 0.0 && !score[r].is_nan();
                let v = pick(used, 100.0 * cw * mw * norm[r], 0.0);
                out[r] = pick(b.bad[r], f64::NAN, v);
            }
        }
    }
}

/// One measure over a block: its rule's output, normalised, with the missing
/// policy applied, into `b.norm[i]` (NaN when the measure takes no part:
/// missing under `skip` or `error`); adds its share
/// to the coverage; bad values set `b.bad`.
fn measure(m: &Measure, col: Option<&[f64]>, len: usize, b: &mut Block, i: usize) {
    let fill = match m.missing {
        MissingPolicy::Skip | MissingPolicy::Error => f64::NAN,
        MissingPolicy::Neutral => 0.5,
        MissingPolicy::Worst => 0.0,
    };
    let refuse_missing = m.missing == MissingPolicy::Error;
    let Some(x) = col else {
        b.norm[i][..len].fill(fill);
        if refuse_missing {
            b.bad[..len].fill(true);
        }
        return;
    };
    let (out, bad) = (&mut b.out, &mut b.bad);
    let (lo, hi, share) = (m.min, m.max, m.share);
    let normalised = rule_output(&m.rule, x, &mut out[..len], &mut bad[..len], lo, hi);
    let norm = &mut b.norm[i];
    let (cov, any) = (&mut b.cov, &mut b.any);
    for r in 0..len {
        let miss = x[r].is_nan();
        let v = if normalised {
            out[r]
        } else {
            normalize(out[r], lo, hi)
        };
        norm[r] = pick(miss, fill, v);
        cov[r] += pick(miss, 0.0, share);
        any[r] = pick(miss, any[r], 1.0);
        bad[r] |= miss && refuse_missing;
    }
}

/// The rule's output for each cell (anything for NaN, which is missing), and
/// `bad` set where the engine refuses the value: the same arithmetic as
/// `evaluate::output`, written as selects over the block. Steps and linear
/// rules with up to 8 thresholds or points get a loop specialised to their
/// size, so that the per-row work is straight-line code that vectorises.
///
/// Rules with a few possible outputs (steps, flags) pick among their outputs
/// normalised beforehand with `lo` and `hi` (the same function of the same
/// output, so the same bits) and return true; the others return raw outputs
/// and false.
fn rule_output(
    rule: &Rule,
    x: &[f64],
    out: &mut [f64],
    bad: &mut [bool],
    lo: f64,
    hi: f64,
) -> bool {
    let len = x.len();
    match rule {
        Rule::Steps { thresholds, scores } if scores.len() <= 9 => {
            let mut normalised = [0.0; 9];
            for (n, s) in normalised.iter_mut().zip(scores) {
                *n = normalize(*s, lo, hi);
            }
            let scores = &normalised[..scores.len()];
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
            return true;
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
            let (t, f) = (normalize(*if_true, lo, hi), normalize(*if_false, lo, hi));
            for r in 0..len {
                let v = x[r];
                out[r] = pick(v == 1.0, t, f);
                bad[r] |= !(v == 1.0 || v == 0.0 || v.is_nan());
            }
            return true;
        }
        // A match column holds codes: the index of a key of `scores`
        // (score_columns refuses match columns unless asked for codes).
        Rule::Match { scores, .. } => {
            out.fill(f64::NAN);
            for (k, s) in scores.values().enumerate() {
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

/// `if c { a } else { b }` as a bitwise blend, which compilers keep
/// branch-free (a plain `if` on loaded values becomes a mispredicted branch
/// on x86_64); exact, since it moves bits rather than doing arithmetic.
#[inline(always)]
fn pick(c: bool, a: f64, b: f64) -> f64 {
    let m = (c as u64).wrapping_neg();
    f64::from_bits((a.to_bits() & m) | (b.to_bits() & !m))
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
