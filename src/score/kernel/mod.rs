//! The columnar kernel: the engine's arithmetic, in the same order of
//! operations, over blocks of rows, one measure column at a time. Every loop
//! is a straight run over a block with selects instead of per-row branches
//! and no allocation inside, so the compiler vectorises it (SSE2 natively,
//! simd128 in WebAssembly). It gives bit-for-bit the engine's scores,
//! breakdown and per-measure results (property tests compare them); rows
//! with a value the engine would refuse are flagged and left to the engine,
//! which reports the error.
//!
//! - `rules`: one rule over a block of cells;
//! - `weighted`, `points`: the aggregation of each mode;
//! - this file: the driver, the measure pass, caps, coverage, bands and the
//!   outputs.

#![allow(clippy::needless_range_loop)]

mod points;
mod rules;
mod weighted;

use super::engine::{coverage_penalty, normalize, COVERAGE_SLACK};
use crate::model::{Aggregation, CapValue, Edge, Measure, MissingPolicy, Model, Op, Reads, Test};

/// Rows per block: the block's working set (a few arrays of `BLOCK` f64 per
/// measure) stays in the L1/L2 cache.
pub(crate) const BLOCK: usize = 256;

/// Status codes of the full output, in the order of [`crate::Status`].
pub(crate) const STATUS_PRESENT: u8 = 0;
const STATUS_SKIPPED: u8 = 1;
const STATUS_NEUTRAL: u8 = 2;
const STATUS_WORST: u8 = 3;
const STATUS_IMPUTED: u8 = 4;

/// What to compute besides scores and bands.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Want {
    /// Category scores and measure contributions.
    pub breakdown: bool,
    /// Everything a scorecard shows (implies `breakdown`).
    pub full: bool,
}

/// Per row: the score (NaN when none), the band index, and whether the row
/// must go to the engine (`refused`: a bad value, or a missing value under
/// `error`). With a breakdown: category scores as scorecards show them
/// (category-major, NaN when none) and measure contributions
/// (measure-major). With `full`, [`Full`].
pub(crate) struct Kernel {
    pub scores: Vec<f64>,
    pub bands: Vec<u8>,
    pub refused: Vec<bool>,
    pub categories: Vec<f64>,
    pub contributions: Vec<f64>,
    pub full: Option<Full>,
}

/// The rest of a scorecard, as columns (measure-major or category-major).
pub(crate) struct Full {
    pub uncapped: Vec<f64>,
    pub totals: Vec<f64>,
    pub coverage: Vec<f64>,
    /// Points the coverage penalty took off (0 without a score).
    pub penalty: Vec<f64>,
    /// The caps that fired: (row, cap), in row order within a block and
    /// cap order within a row (rows the engine rescores are not listed).
    pub fired: Vec<(u32, u32)>,
    /// The overrides that held: (row, override, score before, after), in
    /// override order within a row.
    pub held: Vec<(u32, u32, f64, f64)>,
    pub status: Vec<u8>,
    pub partial: Vec<f64>,
    pub normalized: Vec<f64>,
    pub weights: Vec<f64>,
    pub missed: Vec<f64>,
    pub category_weights: Vec<f64>,
}

/// Scratch for one block.
pub(crate) struct Block {
    /// Per measure: the normalised score, NaN where the measure takes no
    /// part (missing under `skip` or `error`).
    pub norm: Vec<[f64; BLOCK]>,
    /// Per measure (points models and full results): the rule's output,
    /// the filled-in output of a missing value, NaN where it takes no part.
    pub out: Vec<[f64; BLOCK]>,
    /// Per measure (full results): the measure's effective weight.
    pub weight: Vec<[f64; BLOCK]>,
    /// Per category: the combined score g (0..1), NaN when it has none.
    pub g: Vec<[f64; BLOCK]>,
    /// Per category: its share of the score (effective weight).
    pub cw: Vec<[f64; BLOCK]>,
    /// Per row: coverage so far, whether any value is present, the score
    /// before caps, the score, the points total, the band, refusals.
    pub cov: [f64; BLOCK],
    pub any: [f64; BLOCK],
    pub uncapped: [f64; BLOCK],
    pub score: [f64; BLOCK],
    pub total: [f64; BLOCK],
    pub band: [f64; BLOCK],
    pub bad: [bool; BLOCK],
    /// Scratch for conditions: one test, an override's `all` and `any`.
    pub mask: [bool; BLOCK],
    pub held: [bool; BLOCK],
    pub either: [bool; BLOCK],
    /// Points models: the width of the range (hi − lo) per row.
    pub width: [f64; BLOCK],
    /// Scratch: one rule's outputs, and sums.
    pub tmp: [f64; BLOCK],
    pub s1: [f64; BLOCK],
    pub s2: [f64; BLOCK],
    pub s3: [f64; BLOCK],
}

impl Kernel {
    fn new(model: &Model, rows: usize, want: Want) -> Kernel {
        let (n, nc) = (model.measures.len(), model.categories.len());
        let per = |k: usize, on: bool| if on { k * rows } else { 0 };
        // Zeroed memory comes from the allocator without a pass over it;
        // every cell is written block by block.
        let breakdown = want.breakdown || want.full;
        Kernel {
            scores: vec![0.0; rows],
            bands: vec![0; rows],
            refused: vec![false; rows],
            categories: vec![0.0; per(nc, breakdown)],
            contributions: vec![0.0; per(n, breakdown)],
            full: want.full.then(|| Full {
                uncapped: vec![0.0; rows],
                totals: vec![0.0; rows],
                coverage: vec![0.0; rows],
                penalty: vec![0.0; rows],
                fired: Vec::new(),
                held: Vec::new(),
                status: vec![0; n * rows],
                partial: vec![0.0; n * rows],
                normalized: vec![0.0; n * rows],
                weights: vec![0.0; n * rows],
                missed: vec![0.0; n * rows],
                category_weights: vec![0.0; nc * rows],
            }),
        }
    }
}

/// Runs the kernel over `rows` rows of `columns` (one per measure, in model
/// order; `None` when not given: all missing). NaN is missing; a flag holds
/// 1 or 0; a `match` column holds codes (see [`rules::output`]).
pub(crate) fn run(
    model: &Model,
    columns: &[Option<&[f64]>],
    rows: usize,
    insufficient: u8,
    want: Want,
) -> Kernel {
    let (n, nc) = (model.measures.len(), model.categories.len());
    let mut k = Kernel::new(model, rows, want);
    let mut b = Block {
        norm: vec![[0.0; BLOCK]; n],
        out: vec![[0.0; BLOCK]; n],
        weight: vec![[0.0; BLOCK]; n],
        g: vec![[0.0; BLOCK]; nc],
        cw: vec![[0.0; BLOCK]; nc],
        cov: [0.0; BLOCK],
        any: [0.0; BLOCK],
        uncapped: [0.0; BLOCK],
        score: [0.0; BLOCK],
        total: [0.0; BLOCK],
        band: [0.0; BLOCK],
        bad: [false; BLOCK],
        mask: [false; BLOCK],
        held: [false; BLOCK],
        either: [false; BLOCK],
        width: [0.0; BLOCK],
        tmp: [0.0; BLOCK],
        s1: [0.0; BLOCK],
        s2: [0.0; BLOCK],
        s3: [0.0; BLOCK],
    };
    let points = model.spec().aggregation == Aggregation::Points;
    // Points models add raw outputs; full results show them.
    let outputs = points || want.full;
    let mut start = 0;
    while start < rows {
        let len = BLOCK.min(rows - start);
        b.bad[..len].fill(false);
        b.cov[..len].fill(0.0);
        b.any[..len].fill(0.0);
        for (i, m) in model.measures.iter().enumerate() {
            let col = columns[i].map(|c| &c[start..start + len]);
            measure(m, col, len, &mut b, i, outputs);
        }
        if points {
            points::aggregate(model, len, &mut b, want);
        } else {
            weighted::aggregate(model, len, &mut b, want);
        }
        finish(model, columns, start, len, &mut b, &mut k, insufficient);
        start += len;
    }
    k
}

/// One measure over a block: its rule's output, normalised, with the missing
/// policy applied, into `b.norm[i]` (and the output into `b.out[i]` when
/// `outputs`); adds its share to the coverage; bad values set `b.bad`.
fn measure(m: &Measure, col: Option<&[f64]>, len: usize, b: &mut Block, i: usize, outputs: bool) {
    let (lo, hi, share) = (m.min, m.max, m.share);
    let (fill_norm, fill_out) = match m.missing {
        MissingPolicy::Skip | MissingPolicy::Error => (f64::NAN, f64::NAN),
        MissingPolicy::Neutral => (0.5, lo + 0.5 * (hi - lo)),
        MissingPolicy::Worst => (0.0, lo),
        MissingPolicy::Impute => (normalize(m.missing_score, lo, hi), m.missing_score),
    };
    let refuse_missing = m.missing == MissingPolicy::Error;
    let Some(x) = col else {
        b.norm[i][..len].fill(fill_norm);
        b.out[i][..len].fill(fill_out);
        if refuse_missing {
            b.bad[..len].fill(true);
        }
        return;
    };
    let (tmp, bad) = (&mut b.tmp, &mut b.bad);
    let normalised = rules::output(
        &m.rule,
        x,
        &mut tmp[..len],
        &mut bad[..len],
        lo,
        hi,
        !outputs,
    );
    let (norm, out) = (&mut b.norm[i], &mut b.out[i]);
    let (cov, any) = (&mut b.cov, &mut b.any);
    for r in 0..len {
        let miss = x[r].is_nan();
        // (−0 is 0 on every path, as in the engine)
        let v = if normalised {
            tmp[r] + 0.0
        } else {
            normalize(tmp[r] + 0.0, lo, hi) + 0.0
        };
        norm[r] = pick(miss, fill_norm, v);
        cov[r] += pick(miss, 0.0, share);
        any[r] = pick(miss, any[r], 1.0);
        bad[r] |= miss && refuse_missing;
    }
    if outputs {
        for r in 0..len {
            out[r] = pick(x[r].is_nan(), fill_out, tmp[r] + 0.0);
        }
    }
}

/// Caps, coverage and the band of a block, then its results into `k`.
fn finish(
    model: &Model,
    columns: &[Option<&[f64]>],
    start: usize,
    len: usize,
    b: &mut Block,
    k: &mut Kernel,
    insufficient: u8,
) {
    for r in 0..len {
        b.cov[r] = b.cov[r].min(1.0) + 0.0;
    }
    b.score[..len].copy_from_slice(&b.uncapped[..len]);
    let penalty = model.spec().coverage_penalty;
    if penalty > 0.0 {
        for r in 0..len {
            b.score[r] = b.uncapped[r] - coverage_penalty(penalty, b.cov[r], b.uncapped[r]);
        }
    }
    for (c, cap) in model.caps.iter().enumerate() {
        test_mask(
            model,
            columns,
            start,
            len,
            cap.measure,
            cap.op,
            &cap.value,
            &mut b.mask,
        );
        let max = cap.max;
        let (score, uncapped, mask) = (&mut b.score, &b.uncapped, &b.mask);
        for r in 0..len {
            // A cap fires on a present value of a row with a score.
            let fires = mask[r] && !uncapped[r].is_nan();
            score[r] = pick(fires && max < score[r], max, score[r]);
        }
        if let Some(f) = k.full.as_mut() {
            for r in 0..len {
                if b.mask[r] && !b.uncapped[r].is_nan() && !b.bad[r] {
                    f.fired.push(((start + r) as u32, c as u32));
                }
            }
        }
    }
    overrides(model, columns, start, len, b, k.full.as_mut());
    let score = &b.score;
    let band = &mut b.band;
    band[..len].fill(0.0);
    for (e, &edge) in model.edges.iter().enumerate() {
        let idx = e as f64;
        // One loop per kind of edge, each a constant for `admits`.
        if edge.strict {
            for r in 0..len {
                band[r] = pick(
                    Edge {
                        strict: true,
                        ..edge
                    }
                    .admits(score[r]),
                    idx,
                    band[r],
                );
            }
        } else {
            for r in 0..len {
                band[r] = pick(
                    Edge {
                        strict: false,
                        ..edge
                    }
                    .admits(score[r]),
                    idx,
                    band[r],
                );
            }
        }
    }
    let min_coverage = model.spec().min_coverage;
    for r in 0..len {
        let row = start + r;
        k.refused[row] = b.bad[r];
        k.scores[row] = pick(b.bad[r], f64::NAN, score[r] + 0.0);
        let banded = !b.bad[r] && !score[r].is_nan() && b.cov[r] + COVERAGE_SLACK >= min_coverage;
        k.bands[row] = if banded { band[r] as u8 } else { insufficient };
    }
    if !k.categories.is_empty() {
        breakdown(model, start, len, b, k);
    }
    if k.full.is_some() {
        full(model, columns, start, len, b, k);
    }
}

/// `measure op value` per row of a block into `out`: true where the value
/// is present and the comparison holds (the engine's `holds`).
#[allow(clippy::too_many_arguments)]
fn test_mask(
    model: &Model,
    columns: &[Option<&[f64]>],
    start: usize,
    len: usize,
    measure: usize,
    op: Op,
    value: &CapValue,
    out: &mut [bool; BLOCK],
) {
    let Some(col) = columns[measure].map(|col| &col[start..start + len]) else {
        out[..len].fill(false);
        return;
    };
    macro_rules! test {
        ($holds:expr) => {
            for r in 0..len {
                let x = col[r];
                out[r] = !x.is_nan() && $holds(x);
            }
        };
    }
    match (model.measures[measure].rule.reads(), value) {
        (Reads::Flag, CapValue::Bool(v)) => {
            let want = *v == (op == Op::Eq);
            test!(|x: f64| (x == 1.0) == want)
        }
        (Reads::Text { scores, .. }, CapValue::Text(v)) => {
            // Validation makes a condition name a listed value: compare codes.
            let code = scores
                .keys()
                .position(|k| k == v)
                .map_or(-1.0, |p| p as f64);
            let eq = op == Op::Eq;
            test!(|x: f64| (x == code) == eq)
        }
        (Reads::Number, CapValue::Number(v)) => {
            let v = *v;
            // One loop per operator, each a constant for `holds`, so
            // every loop stays a plain vectorised comparison.
            match op {
                Op::Lt => test!(|x: f64| Op::Lt.holds(x, v)),
                Op::Le => test!(|x: f64| Op::Le.holds(x, v)),
                Op::Gt => test!(|x: f64| Op::Gt.holds(x, v)),
                Op::Ge => test!(|x: f64| Op::Ge.holds(x, v)),
                Op::Eq => test!(|x: f64| Op::Eq.holds(x, v)),
                Op::Ne => test!(|x: f64| Op::Ne.holds(x, v)),
            }
        }
        _ => out[..len].fill(false),
    }
}

/// The overrides, in order, on the score after caps: where every `all`
/// test and one `any` test hold in a row with a score, the override
/// applies (and, with full results, is listed with the score before and
/// after it).
fn overrides(
    model: &Model,
    columns: &[Option<&[f64]>],
    start: usize,
    len: usize,
    b: &mut Block,
    mut full: Option<&mut Full>,
) {
    // Every test of a list into `out`: their `and` (all) or `or` (any).
    let fold = |tests: &[Test], all: bool, mask: &mut [bool; BLOCK], out: &mut [bool; BLOCK]| {
        out[..len].fill(all);
        for t in tests {
            test_mask(model, columns, start, len, t.measure, t.op, &t.value, mask);
            for r in 0..len {
                out[r] = if all {
                    out[r] & mask[r]
                } else {
                    out[r] | mask[r]
                };
            }
        }
    };
    for (o, ov) in model.overrides.iter().enumerate() {
        fold(&ov.all, true, &mut b.mask, &mut b.held);
        if !ov.any.is_empty() {
            fold(&ov.any, false, &mut b.mask, &mut b.either);
            for r in 0..len {
                b.held[r] &= b.either[r];
            }
        }
        if let Some(f) = full.as_deref_mut() {
            for r in 0..len {
                if b.held[r] && !b.uncapped[r].is_nan() && !b.bad[r] {
                    let before = b.score[r];
                    f.held
                        .push(((start + r) as u32, o as u32, before, ov.apply(before)));
                }
            }
        }
        let (score, uncapped, held) = (&mut b.score, &b.uncapped, &b.held);
        for r in 0..len {
            let h = held[r] && !uncapped[r].is_nan();
            score[r] = pick(h, ov.apply(score[r]), score[r]);
        }
    }
}

/// Category scores (NaN without one) and contributions (0 when not used,
/// NaN in refused rows).
fn breakdown(model: &Model, start: usize, len: usize, b: &Block, k: &mut Kernel) {
    let rows = k.scores.len();
    let scored = |r: usize| !b.uncapped[r].is_nan() && !b.bad[r];
    for c in 0..model.categories.len() {
        let g = &b.g[c];
        let out = &mut k.categories[c * rows + start..c * rows + start + len];
        for r in 0..len {
            out[r] = pick(scored(r) && !g[r].is_nan(), 100.0 * g[r], f64::NAN);
        }
    }
    let points = model.spec().aggregation == Aggregation::Points;
    for (i, m) in model.measures.iter().enumerate() {
        let out = &mut k.contributions[i * rows + start..i * rows + start + len];
        if points {
            points::contributions(m, &b.out[i], &b.width, len, out);
        } else {
            weighted::contributions(m, &b.norm[i], &b.cw[m.category], &b.weight[i], len, out);
        }
        for r in 0..len {
            out[r] = pick(b.bad[r], f64::NAN, pick(scored(r), out[r], 0.0));
        }
    }
}

/// The rest of a scorecard's numbers.
fn full(
    model: &Model,
    columns: &[Option<&[f64]>],
    start: usize,
    len: usize,
    b: &Block,
    k: &mut Kernel,
) {
    let rows = k.scores.len();
    let points = model.spec().aggregation == Aggregation::Points;
    let Some(f) = k.full.as_mut() else { return };
    let scored = |r: usize| !b.uncapped[r].is_nan() && !b.bad[r];
    for r in 0..len {
        let row = start + r;
        f.uncapped[row] = b.uncapped[r];
        f.totals[row] = pick(points && scored(r), b.total[r], f64::NAN);
        f.coverage[row] = b.cov[r];
        f.penalty[row] = if scored(r) {
            coverage_penalty(model.spec().coverage_penalty, b.cov[r], b.uncapped[r])
        } else {
            0.0
        };
    }
    for (i, m) in model.measures.iter().enumerate() {
        let at = i * rows + start;
        let missing = match m.missing {
            MissingPolicy::Skip | MissingPolicy::Error => STATUS_SKIPPED,
            MissingPolicy::Neutral => STATUS_NEUTRAL,
            MissingPolicy::Worst => STATUS_WORST,
            MissingPolicy::Impute => STATUS_IMPUTED,
        };
        let x = columns[i].map(|c| &c[start..start + len]);
        for r in 0..len {
            let present = x.is_some_and(|x| !x[r].is_nan());
            f.status[at + r] = if present { STATUS_PRESENT } else { missing };
            f.partial[at + r] = b.out[i][r];
            f.normalized[at + r] = b.norm[i][r];
            f.weights[at + r] = b.weight[i][r];
        }
        let missed = &mut f.missed[at..at + len];
        if points {
            points::missed(m, &b.out[i], &b.width, len, missed);
        } else {
            weighted::missed(m, &b.norm[i], &b.cw[m.category], &b.weight[i], len, missed);
        }
        for r in 0..len {
            missed[r] = pick(scored(r), missed[r], 0.0);
        }
    }
    for c in 0..model.categories.len() {
        let out = &mut f.category_weights[c * rows + start..c * rows + start + len];
        for r in 0..len {
            out[r] = pick(scored(r), b.cw[c][r], 0.0);
        }
    }
}

/// `if c { a } else { b }` as a bitwise blend, which compilers keep
/// branch-free (a plain `if` on loaded values becomes a mispredicted branch
/// on x86_64); exact, since it moves bits rather than doing arithmetic.
#[inline(always)]
pub(crate) fn pick(c: bool, a: f64, b: f64) -> f64 {
    let m = (c as u64).wrapping_neg();
    f64::from_bits((a.to_bits() & m) | (b.to_bits() & !m))
}
