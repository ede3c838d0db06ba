//! One parent's result from its children (read in place): the score by
//! value-weighted mean or worst child, shares per band, the costliest
//! children and the biggest levers, each bounded.

use super::types::*;
use super::{Node, Tree, View, LEAF};
use crate::model::Model;
use crate::score::{insufficient_band, BandCounts, BandSummary};

impl Model {
    /// A parent's rollup into `out` (each parent once: `nodes` keeps what
    /// its own parent needs of it), its children's first.
    pub(super) fn roll<'a>(
        &'a self,
        tree: &Tree<'a>,
        id: u32,
        nodes: &mut Vec<Option<Node<'a>>>,
        out: &mut Vec<Rollup>,
    ) {
        let slot = tree.slot[id as usize] as usize;
        if nodes[slot].is_some() {
            return;
        }
        let list = tree.kids(id);
        for &k in list {
            if tree.slot[k as usize] != LEAF {
                self.roll(tree, k, nodes, out);
            }
        }
        // A child as its parent sees it: a leaf from its scorecard (read in
        // place: no copy per child), a parent from its own rollup.
        let kid = |i: usize| -> View {
            let k = list[i] as usize;
            match tree.slot[k] {
                LEAF => {
                    let c = tree.card[k].expect("an orphan is refused before");
                    View {
                        score: c.score,
                        band: c.band,
                        value: c.value.unwrap_or(0.0),
                        known_value: c.value.is_some_and(|v| v > 0.0),
                        levers: &[],
                        leaf_lever: c.lever.map(|(m, p)| (c.account_id, m, p)),
                    }
                }
                s => {
                    let node = nodes[s as usize]
                        .as_ref()
                        .expect("a parent's children roll first");
                    View {
                        score: node.score,
                        band: node.band,
                        value: node.value,
                        known_value: node.known_value,
                        levers: &node.levers,
                        leaf_lever: None,
                    }
                }
            }
        };
        let method = tree.method;
        let n = list.len();
        // One pass: what the score needs (sums by value and equal, the
        // range, the lowest and the one after it: ties, the first in
        // order) and the counts per band (a few bands: the last one found
        // is tried first).
        let mut bands: Vec<(String, BandSummary)> = self
            .bands()
            .iter()
            .map(|b| b.id.clone())
            .chain([crate::score::INSUFFICIENT_DATA.to_string()])
            .map(|b| {
                let empty = BandSummary {
                    count: 0,
                    share: 0.0,
                    value: 0.0,
                };
                (b, empty)
            })
            .collect();
        let mut last = 0;
        let (mut by_value, mut any) = (true, false);
        let (mut total_value, mut sum_value, mut total_equal, mut sum_equal) = (0.0, 0.0, 0.0, 0.0);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut lowest: Option<(usize, f64)> = None;
        let mut second = 100.0f64;
        let mut value = 0.0;
        for i in 0..n {
            let node = kid(i);
            value += node.value;
            if let Some(s) = node.score {
                any = true;
                by_value &= node.known_value;
                total_value += node.value;
                sum_value += node.value * s;
                total_equal += 1.0;
                sum_equal += s;
                (lo, hi) = (lo.min(s), hi.max(s));
                match lowest {
                    Some((_, l)) if s >= l => second = second.min(s),
                    Some((_, l)) => {
                        second = second.min(l);
                        lowest = Some((i, s));
                    }
                    None => lowest = Some((i, s)),
                }
            }
            if tree.band_ids[last] != node.band {
                match tree.band_ids.iter().position(|&b| b == node.band) {
                    Some(b) => last = b,
                    None => continue,
                }
            }
            bands[last].1.count += 1;
            bands[last].1.value += node.value;
        }
        for (_, b) in &mut bands {
            b.share = b.count as f64 / n as f64;
        }
        let by_value = any && by_value;
        let (total, sum) = if by_value {
            (total_value, sum_value)
        } else {
            (total_equal, sum_equal)
        };
        let score = match method {
            // Σ(v·s) / Σv, within the children's range: equal children
            // give exactly their score (no rounding across a band edge).
            RollupMethod::Mean => lowest.map(|_| (sum / total).clamp(lo, hi)),
            RollupMethod::Worst => lowest.map(|(_, s)| s),
        };
        // A second pass: each child's weight and cost (weight × (100 −
        // score)), and its best levers in points of this parent.
        let mut weights: Vec<f64> = Vec::with_capacity(n);
        let mut costs: Vec<f64> = Vec::with_capacity(n);
        let mut levers: Vec<(&str, &str, f64)> = Vec::new();
        for i in 0..n {
            let node = kid(i);
            let w = match (node.score, method) {
                (Some(_), RollupMethod::Mean) => (if by_value { node.value } else { 1.0 }) / total,
                (Some(_), RollupMethod::Worst) if lowest.is_some_and(|(k, _)| k == i) => 1.0,
                _ => 0.0,
            };
            weights.push(w);
            costs.push(node.score.map_or(0.0, |s| w * (100.0 - s)));
            for &(account, measure, pts) in node.levers.iter().chain(&node.leaf_lever) {
                let points = match method {
                    RollupMethod::Mean => w * pts,
                    RollupMethod::Worst if w == 1.0 => {
                        pts.min(second - node.score.unwrap_or(0.0)).max(0.0)
                    }
                    RollupMethod::Worst => 0.0,
                };
                if points > 0.0 {
                    levers.push((account, measure, points));
                    if levers.len() == 4096 {
                        keep_biggest(&mut levers);
                    }
                }
            }
        }
        keep_biggest(&mut levers);
        levers.sort_by(biggest_first);
        // The costliest children listed (the rest counted), ties by id.
        let cost = |i: usize| costs[i];
        let name = |i: usize| tree.names[list[i] as usize];
        let costliest = |a: &usize, b: &usize| {
            cost(*b)
                .total_cmp(&cost(*a))
                .then_with(|| name(*a).cmp(name(*b)))
        };
        let mut shown: Vec<usize> = (0..n).collect();
        if n > MAX_ROLLUP_CHILDREN {
            shown.select_nth_unstable_by(MAX_ROLLUP_CHILDREN - 1, costliest);
            shown.truncate(MAX_ROLLUP_CHILDREN);
        }
        shown.sort_by(costliest);
        let children: Vec<RollupChild> = shown
            .into_iter()
            .map(|i| RollupChild {
                account_id: name(i).to_string(),
                score: kid(i).score,
                band: kid(i).band.to_string(),
                weight: weights[i],
                points_missed: cost(i),
            })
            .collect();
        let band = score.map_or_else(insufficient_band, |s| {
            self.bands()[self.band_index(s)].clone()
        });
        let node = Node {
            score,
            band: score.map_or(crate::score::INSUFFICIENT_DATA, |s| {
                self.bands()[self.band_index(s)].id.as_str()
            }),
            value,
            known_value: value > 0.0,
            levers: levers.clone(),
        };
        out.push(Rollup {
            account_id: tree.names[id as usize].to_string(),
            score,
            band,
            method,
            weighting: if by_value { "value" } else { "equal" }.into(),
            value,
            children,
            child_count: n,
            bands: BandCounts(bands),
            levers: levers
                .into_iter()
                .map(|(a, m, points)| RollupLever {
                    account_id: a.to_string(),
                    measure_id: m.to_string(),
                    points,
                })
                .collect(),
        });
        nodes[slot] = Some(node);
    }
}

/// A parent's levers, biggest first (ties: account id, then measure).
fn biggest_first(a: &Lever, b: &Lever) -> std::cmp::Ordering {
    b.2.total_cmp(&a.2)
        .then_with(|| a.0.cmp(b.0))
        .then_with(|| a.1.cmp(b.1))
}

/// Keeps the [`MAX_ROLLUP_LEVERS`] biggest levers (in any order). Called
/// as they come too: a million children hold a few thousand levers at a
/// time, not a million.
fn keep_biggest(levers: &mut Vec<Lever>) {
    if levers.len() > MAX_ROLLUP_LEVERS {
        levers.select_nth_unstable_by(MAX_ROLLUP_LEVERS - 1, biggest_first);
        levers.truncate(MAX_ROLLUP_LEVERS);
    }
}

/// A lever on the way up: (account, measure, points of the parent).
type Lever<'a> = (&'a str, &'a str, f64);
