//! Optimal binning: a column's values cut into a few ordered bins, each
//! holding at least a minimum share of the rows, whose churn rates rise (or
//! fall) from bin to bin; a rise-then-fall (or fall-then-rise) only when the
//! data clearly show it. The method of credit-risk scorecards (as in the
//! `optbinning` library): pre-bins from a classification tree, then the
//! partition of the pre-bins that maximises the information value under
//! those constraints, found exactly by dynamic programming.
//!
//! Categorical values are ordered by their (smoothed) churn rate and grouped
//! the same way. Every bin gets a weight of evidence, `ln(share of retained /
//! share of churned)`: above 0 where accounts churn less than average.

/// Counts of a bin: rows and churned rows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Counts {
    pub n: f64,
    pub churned: f64,
}

impl Counts {
    fn add(self, o: Counts) -> Counts {
        Counts {
            n: self.n + o.n,
            churned: self.churned + o.churned,
        }
    }
    fn rate(self) -> f64 {
        self.churned / self.n
    }
}

/// The shape of a binning's churn rates along its bins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Churn falls as the value rises (higher is healthier).
    Falling,
    /// Churn rises as the value rises (lower is healthier).
    Rising,
    /// Churn is lowest in the middle.
    Valley,
    /// Churn is highest in the middle.
    Peak,
}

impl Shape {
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Falling => "higher is healthier",
            Shape::Rising => "lower is healthier",
            Shape::Valley => "healthiest in the middle",
            Shape::Peak => "riskiest in the middle",
        }
    }
}

/// A partition of ordered items (sorted distinct values, or categories in
/// churn order) into contiguous groups.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Grouping {
    /// Each group's first item; groups run to the next one's start.
    pub starts: Vec<usize>,
    /// Each group's counts.
    pub groups: Vec<Counts>,
    /// Their information value.
    pub iv: f64,
    /// The shape of the churn rates.
    pub shape: Shape,
}

/// Limits of a binning.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Groups at most.
    pub max_bins: usize,
    /// Rows in a group at least.
    pub min_rows: f64,
    /// Pre-bins at most (before the optimal merge).
    pub max_prebins: usize,
    /// The totals over every training row (missing ones included): the
    /// weight of evidence compares with them.
    pub total: Counts,
}

/// Smoothing: every group's churn rate is pulled toward the overall rate
/// by as many pseudo-rows as hold this many accounts of the rarer outcome
/// (and at least 10 rows). A group of a handful of rows (a rare category, a
/// few missing values, a bin holding two of a rare event) gets a weight of
/// evidence near 0 rather than an extreme one; a group of hundreds of rows
/// is barely moved.
pub(crate) const PRIOR_EVENTS: f64 = 3.0;

/// The weight of the smoothing, in rows.
pub(crate) fn prior_rows(total: Counts) -> f64 {
    let base = total.churned / total.n;
    (PRIOR_EVENTS / base.min(1.0 - base)).max(10.0)
}

/// A group's churn rate, smoothed toward the overall rate.
pub(crate) fn smoothed_rate(c: Counts, total: Counts) -> f64 {
    let base = total.churned / total.n;
    let k = prior_rows(total);
    (c.churned + k * base) / (c.n + k)
}

/// The weight of evidence of a group: `ln(retained share / churned share)`,
/// of its smoothed rate.
pub(crate) fn woe(c: Counts, total: Counts) -> f64 {
    let base = total.churned / total.n;
    let rate = smoothed_rate(c, total);
    ((1.0 - rate) / rate).ln() - ((1.0 - base) / base).ln()
}

/// A group's part of the information value.
fn iv_part(c: Counts, total: Counts) -> f64 {
    let retained = total.n - total.churned;
    let g = (c.n - c.churned + 0.5) / (retained + 0.5);
    let b = (c.churned + 0.5) / (total.churned + 0.5);
    (g - b) * (g / b).ln()
}

/// Bernoulli log-likelihood of the groups' own churn rates.
fn log_likelihood(groups: &[Counts]) -> f64 {
    groups
        .iter()
        .map(|c| {
            let p = c.rate();
            let term = |k: f64, q: f64| if k > 0.0 { k * q.ln() } else { 0.0 };
            term(c.churned, p) + term(c.n - c.churned, 1.0 - p)
        })
        .sum()
}

/// A likelihood-ratio statistic above this (χ² with one degree of freedom
/// at p = 0.001) makes a rise-then-fall shape "clearly there".
const CLEAR: f64 = 10.83;

/// Pre-bins of ordered items: split points of a best-first classification
/// tree (Gini impurity), each leaf holding at least `min_rows` rows, at most
/// `max` leaves. Returns the start index of each pre-bin.
pub(crate) fn prebins(items: &[Counts], min_rows: f64, max: usize) -> Vec<usize> {
    let n = items.len();
    let mut cum = vec![Counts::default(); n + 1];
    for i in 0..n {
        cum[i + 1] = cum[i].add(items[i]);
    }
    let range = |a: usize, b: usize| Counts {
        n: cum[b].n - cum[a].n,
        churned: cum[b].churned - cum[a].churned,
    };
    let gini = |c: Counts| {
        if c.n <= 0.0 {
            0.0
        } else {
            let p = c.rate();
            c.n * 2.0 * p * (1.0 - p)
        }
    };
    // The best split of [a, b): (gain, split index).
    let best_split = |a: usize, b: usize| -> Option<(f64, usize)> {
        let whole = gini(range(a, b));
        let mut best: Option<(f64, usize)> = None;
        for s in a + 1..b {
            let (l, r) = (range(a, s), range(s, b));
            if l.n < min_rows || r.n < min_rows {
                continue;
            }
            let gain = whole - gini(l) - gini(r);
            if best.is_none_or(|(g, _)| gain > g + 1e-12) {
                best = Some((gain, s));
            }
        }
        best
    };
    // Leaves [a, b) with their best split (gain, where).
    type Leaf = (usize, usize, Option<(f64, usize)>);
    let mut leaves: Vec<Leaf> = vec![(0, n, best_split(0, n))];
    while leaves.len() < max {
        let Some(k) = (0..leaves.len())
            .filter(|&k| leaves[k].2.is_some_and(|(g, _)| g > 1e-12))
            .max_by(|&x, &y| leaves[x].2.unwrap().0.total_cmp(&leaves[y].2.unwrap().0))
        else {
            break;
        };
        let (a, b, split) = leaves[k];
        let s = split.map_or(a, |(_, s)| s);
        leaves[k] = (a, s, best_split(a, s));
        leaves.insert(k + 1, (s, b, best_split(s, b)));
    }
    leaves.iter().map(|l| l.0).collect()
}

/// The best grouping of pre-bins (given by their counts) under the limits:
/// monotone churn rates, or a single turn when it is clearly better.
/// `monotone_only`: categories (already in churn order) are never turned.
pub(crate) fn best_grouping(pre: &[Counts], limits: &Limits, monotone_only: bool) -> Grouping {
    let mut best = [Shape::Falling, Shape::Rising]
        .into_iter()
        .map(|s| optimal(pre, limits, s))
        .max_by(|a, b| a.iv.total_cmp(&b.iv))
        .expect("two shapes");
    if !monotone_only && pre.len() >= 3 {
        let ll = log_likelihood(&best.groups);
        for s in [Shape::Valley, Shape::Peak] {
            let g = optimal(pre, limits, s);
            let turns = g.groups.len() >= 3 && g.shape == s;
            if turns && 2.0 * (log_likelihood(&g.groups) - ll) > CLEAR && g.iv > best.iv {
                best = g;
            }
        }
    }
    best
}

/// Dynamic programming over the pre-bins: the partition into at most
/// `max_bins` contiguous groups, each of at least `min_rows`, whose churn
/// rates follow `shape`, with the largest information value.
fn optimal(pre: &[Counts], limits: &Limits, shape: Shape) -> Grouping {
    let p = pre.len();
    let k_max = limits.max_bins.min(p).max(1);
    let mut cum = vec![Counts::default(); p + 1];
    for i in 0..p {
        cum[i + 1] = cum[i].add(pre[i]);
    }
    let group = |a: usize, b: usize| Counts {
        n: cum[b].n - cum[a].n,
        churned: cum[b].churned - cum[a].churned,
    };
    let ok = |a: usize, b: usize| group(a, b).n >= limits.min_rows;
    // state[k][i][j][phase]: best IV of [0, j) in k+1 groups, the last [i, j);
    // phase 1 once the rates have turned (valley, peak).
    const NONE: f64 = f64::NEG_INFINITY;
    let idx = |k: usize, i: usize, j: usize, ph: usize| ((k * (p + 1) + i) * (p + 1) + j) * 2 + ph;
    let mut best = vec![NONE; k_max * (p + 1) * (p + 1) * 2];
    let mut from = vec![usize::MAX; best.len()];
    // Does going from a group of rate `r0` to one of rate `r1` fit the shape
    // in this phase? Returns the phase after.
    let step = |r0: f64, r1: f64, ph: usize| -> Option<usize> {
        let (up, down) = (r1 > r0, r1 < r0);
        match (shape, ph) {
            (Shape::Rising, _) => up.then_some(0),
            (Shape::Falling, _) => down.then_some(0),
            (Shape::Peak, 0) => {
                if up {
                    Some(0)
                } else {
                    down.then_some(1)
                }
            }
            (Shape::Peak, _) => down.then_some(1),
            (Shape::Valley, 0) => {
                if down {
                    Some(0)
                } else {
                    up.then_some(1)
                }
            }
            (Shape::Valley, _) => up.then_some(1),
        }
    };
    let total = limits.total;
    for j in 1..=p {
        if ok(0, j) {
            best[idx(0, 0, j, 0)] = iv_part(group(0, j), total);
        }
    }
    for k in 1..k_max {
        for j in 1..=p {
            for i in 1..j {
                if !ok(i, j) {
                    continue;
                }
                let r1 = group(i, j).rate();
                let gain = iv_part(group(i, j), total);
                for h in 0..i {
                    for ph in 0..2 {
                        let prev = best[idx(k - 1, h, i, ph)];
                        if prev == NONE {
                            continue;
                        }
                        let Some(next) = step(group(h, i).rate(), r1, ph) else {
                            continue;
                        };
                        let v = prev + gain;
                        let at = idx(k, i, j, next);
                        if v > best[at] {
                            best[at] = v;
                            from[at] = idx(k - 1, h, i, ph);
                        }
                    }
                }
            }
        }
    }
    // The best final state covering every pre-bin; a turned shape must
    // have turned.
    let mut end = None;
    let mut end_iv = NONE;
    for k in 0..k_max {
        for i in 0..p {
            for ph in 0..2 {
                let at = idx(k, i, p, ph);
                if best[at] > end_iv {
                    end_iv = best[at];
                    end = Some(at);
                }
            }
        }
    }
    let mut starts = Vec::new();
    let mut turned = false;
    let mut at = end;
    while let Some(a) = at {
        let i = (a / 2) / (p + 1) % (p + 1);
        turned |= a % 2 == 1;
        starts.push(i);
        at = (from[a] != usize::MAX).then_some(from[a]);
    }
    if starts.is_empty() {
        starts.push(0);
    }
    starts.reverse();
    let groups: Vec<Counts> = starts
        .iter()
        .enumerate()
        .map(|(g, &a)| group(a, starts.get(g + 1).copied().unwrap_or(p)))
        .collect();
    let iv = groups.iter().map(|c| iv_part(*c, total)).sum();
    let shape = match shape {
        Shape::Peak | Shape::Valley if !turned => {
            if groups.len() > 1 && groups[1].rate() > groups[0].rate() {
                Shape::Rising
            } else {
                Shape::Falling
            }
        }
        s => s,
    };
    Grouping {
        starts,
        groups,
        iv,
        shape,
    }
}

/// A number to cut between `a` and `b` (a < b): `b` when both are whole
/// numbers (values from `b` up fall in the upper bin), else the roundest
/// number in the middle half of the gap (a multiple of 5, 2 or 1 times a
/// power of ten, the largest such step first).
pub(crate) fn cut(a: f64, b: f64) -> f64 {
    if a.fract() == 0.0 && b.fract() == 0.0 {
        return b;
    }
    let (lo, hi) = (a + (b - a) / 4.0, b - (b - a) / 4.0);
    let top = hi.abs().max(lo.abs()).max(1e-300).log10().ceil() as i32 + 1;
    for e in (top - 18..=top).rev() {
        for m in [5.0, 2.0, 1.0] {
            let step = m * 10f64.powi(e);
            let x = (lo / step).ceil() * step;
            // Written with the step's decimals, so that 0.15 is not 0.15000000000000002.
            let decimals = (-e).max(0) as usize;
            let x: f64 = format!("{x:.decimals$}").parse().unwrap_or(x);
            if x >= lo && x <= hi && x > a && x <= b {
                return x + 0.0;
            }
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: f64, churned: f64) -> Counts {
        Counts { n, churned }
    }

    fn limits(items: &[Counts], max_bins: usize, min_rows: f64) -> Limits {
        let total = items.iter().fold(Counts::default(), |a, b| a.add(*b));
        Limits {
            max_bins,
            min_rows,
            max_prebins: 20,
            total,
        }
    }

    #[test]
    fn cuts_are_short_numbers() {
        assert_eq!(cut(12.0, 13.0), 13.0);
        assert_eq!(cut(0.0, 1.0), 1.0);
        assert_eq!(cut(2.5, 3.7), 3.0);
        assert_eq!(cut(0.12, 0.19), 0.15);
        assert_eq!(cut(-7.5, -2.5), -5.0);
        assert_eq!(cut(1e-9, 3e-9), 2e-9);
        assert_eq!(cut(99.5, 150.25), 120.0);
    }

    #[test]
    fn a_falling_signal_gets_falling_bins() {
        // Four values, churn 60 %, 40 %, 20 %, 10 %: by hand, the best two
        // groups under a 30-row minimum are {1, 2} and {3, 4}.
        let items = [c(25.0, 15.0), c(25.0, 10.0), c(25.0, 5.0), c(25.0, 2.5)];
        let l = limits(&items, 2, 30.0);
        let g = best_grouping(&items, &l, false);
        assert_eq!(g.starts, [0, 2]);
        assert_eq!(g.shape, Shape::Falling);
        assert_eq!(g.groups, [c(50.0, 25.0), c(50.0, 7.5)]);
        // With room for four groups of 25, every value is its own bin.
        let g = best_grouping(&items, &limits(&items, 8, 25.0), false);
        assert_eq!(g.starts, [0, 1, 2, 3]);
    }

    #[test]
    fn a_u_shape_only_when_it_is_clearly_there() {
        // Healthy in the middle, strongly: churn 50 %, 10 %, 50 %.
        let items = [c(300.0, 150.0), c(300.0, 30.0), c(300.0, 150.0)];
        let g = best_grouping(&items, &limits(&items, 8, 30.0), false);
        assert_eq!(g.shape, Shape::Valley);
        assert_eq!(g.starts, [0, 1, 2]);
        // The same shape on a handful of rows is noise: stay monotone.
        let few = [c(10.0, 5.0), c(10.0, 3.0), c(10.0, 5.0)];
        let g = best_grouping(&few, &limits(&few, 8, 5.0), false);
        assert!(matches!(g.shape, Shape::Falling | Shape::Rising), "{g:?}");
        // Categories never turn.
        let g = best_grouping(&items, &limits(&items, 8, 30.0), true);
        assert!(matches!(g.shape, Shape::Falling | Shape::Rising));
    }

    #[test]
    fn every_group_is_large_enough() {
        let items: Vec<Counts> = (0..40).map(|i| c(10.0, (i % 7) as f64)).collect();
        let l = limits(&items, 8, 50.0);
        let pre = prebins(&items, 50.0, 20);
        assert!(pre.len() <= 20 && pre[0] == 0);
        let g = best_grouping(&items, &l, false);
        assert!(g.groups.iter().all(|c| c.n >= 50.0), "{g:?}");
        assert!(g.groups.len() <= 8);
    }

    #[test]
    fn weight_of_evidence_by_hand() {
        // Total 1000 rows, 200 churned: the smoothing weighs 3 / 0.2 = 15
        // rows. A group of 100 with 10 churned: rate (10 + 15·0.2) / (100 +
        // 15) = 13/115; WoE = ln(102/13) − ln(4).
        let w = woe(c(100.0, 10.0), c(1000.0, 200.0));
        assert!((w - ((102.0f64 / 13.0).ln() - 4.0f64.ln())).abs() < 1e-12);
        // A rare outcome (1 %) smooths with 300 rows; a common one with at least 10.
        assert_eq!(prior_rows(c(10_000.0, 100.0)), 300.0);
        assert_eq!(prior_rows(c(100.0, 50.0)), 10.0);
        // No rows: the overall rate, WoE 0.
        assert!(woe(c(0.0, 0.0), c(1000.0, 200.0)).abs() < 1e-12);
    }
}
