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
        let list = &tree.kids[id as usize];
        for &k in list {
            if !tree.kids[k as usize].is_empty() {
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
        let scored = (0..n).filter(|&i| kid(i).score.is_some());
        let by_value =
            scored.clone().next().is_some() && scored.clone().all(|i| kid(i).known_value);
        let raw = |node: View| if by_value { node.value } else { 1.0 };
        let total: f64 = scored.clone().map(|i| raw(kid(i))).sum();
        let mut weights: Vec<f64> = (0..n)
            .map(|i| match (kid(i).score, method) {
                (Some(_), RollupMethod::Mean) => raw(kid(i)) / total,
                _ => 0.0, // (worst: set below for the worst child)
            })
            .collect();
        // The lowest score and the one after it (ties: the first in order).
        let mut lowest: Option<(usize, f64)> = None;
        let mut second = 100.0f64;
        for i in 0..n {
            if let Some(s) = kid(i).score {
                match lowest {
                    Some((_, l)) if s >= l => second = second.min(s),
                    Some((_, l)) => {
                        second = second.min(l);
                        lowest = Some((i, s));
                    }
                    None => lowest = Some((i, s)),
                }
            }
        }
        let score = match method {
            // Σ(v·s) / Σv, within the children's range: equal children
            // give exactly their score (no rounding across a band edge).
            RollupMethod::Mean => lowest.map(|_| {
                let sum: f64 = scored
                    .clone()
                    .map(|i| raw(kid(i)) * kid(i).score.unwrap_or(0.0))
                    .sum();
                let (lo, hi) = scored
                    .clone()
                    .filter_map(|i| kid(i).score)
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                        (lo.min(x), hi.max(x))
                    });
                (sum / total).clamp(lo, hi)
            }),
            RollupMethod::Worst => {
                if let Some((i, _)) = lowest {
                    weights[i] = 1.0;
                }
                lowest.map(|(_, s)| s)
            }
        };
        // Levers: each child's best, in points of this parent; the biggest
        // few kept (ties: account id, then measure).
        let mut levers: Vec<(&str, &str, f64)> = Vec::new();
        for (i, w) in weights.iter().enumerate() {
            let node = kid(i);
            for &(account, measure, pts) in node.levers.iter().chain(&node.leaf_lever) {
                let points = match method {
                    RollupMethod::Mean => w * pts,
                    RollupMethod::Worst if *w == 1.0 => {
                        pts.min(second - node.score.unwrap_or(0.0)).max(0.0)
                    }
                    RollupMethod::Worst => 0.0,
                };
                if points > 0.0 {
                    levers.push((account, measure, points));
                }
            }
        }
        let order = |a: &(&str, &str, f64), b: &(&str, &str, f64)| {
            b.2.total_cmp(&a.2)
                .then_with(|| a.0.cmp(b.0))
                .then_with(|| a.1.cmp(b.1))
        };
        if levers.len() > MAX_ROLLUP_LEVERS {
            levers.select_nth_unstable_by(MAX_ROLLUP_LEVERS - 1, order);
            levers.truncate(MAX_ROLLUP_LEVERS);
        }
        levers.sort_by(order);
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
        for i in 0..n {
            let node = kid(i);
            if let Some(&b) = tree.band_index.get(node.band) {
                bands[b].1.count += 1;
                bands[b].1.value += node.value;
            }
        }
        for (_, b) in &mut bands {
            b.share = b.count as f64 / n as f64;
        }
        // The costliest children listed (the rest counted): their weight ×
        // (100 − score), ties by id.
        let costs: Vec<f64> = (0..n)
            .map(|i| kid(i).score.map_or(0.0, |s| weights[i] * (100.0 - s)))
            .collect();
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
        let value: f64 = (0..n).map(|i| kid(i).value).sum();
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
