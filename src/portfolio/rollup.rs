//! Account hierarchies: a parent's health from its children's scorecards
//! (`rollup`), with the children in its breakdown and levers that name the
//! child to act on. Parents may have parents (bottom-up); cycles and
//! children without a scorecard are coded errors.

use crate::error::{field, Error};
use crate::model::{Band, Model};
use crate::score::{insufficient_band, BandCounts, BandSummary, Scorecard};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How a parent's score comes from its children's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum RollupMethod {
    /// The children's mean score, weighted by their `value` when every
    /// child has one above 0, else equally.
    #[default]
    Mean,
    /// The lowest child score.
    Worst,
}

/// Options of `rollup`: `{ parents: { childId: parentId }, method }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollupOptions {
    /// Each child's parent, by account id (a parent may have a parent).
    pub parents: BTreeMap<String, String>,
    /// `mean` (default) or `worst`.
    #[serde(default)]
    pub method: RollupMethod,
}

/// A parent's health.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Rollup {
    /// The parent's id.
    pub account_id: String,
    /// The rolled-up score (null when no child has one).
    pub score: Option<f64>,
    /// Its band under the model (or `insufficient_data`).
    pub band: Band,
    /// How the score came about.
    pub method: RollupMethod,
    /// `value` (weighted by the children's values) or `equal`.
    pub weighting: String,
    /// The sum of the children's values (unknown counts 0).
    pub value: f64,
    /// The children, the one costing the parent most points first.
    pub children: Vec<RollupChild>,
    /// Children per band id (the model's bands in order, then insufficient
    /// data): count, share of the children, total value.
    pub bands: BandCounts,
    /// Each child's best lever, as points of the parent, biggest first.
    pub levers: Vec<RollupLever>,
}

/// A child in its parent's breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RollupChild {
    /// The child's id (an account, or a parent one level down).
    pub account_id: String,
    /// Its score (null without one).
    pub score: Option<f64>,
    /// Its band id.
    pub band: String,
    /// Its share of the parent's score (0 for a child without a score; in
    /// `worst`, 1 for the worst child).
    pub weight: f64,
    /// Points of the parent's 100 it costs: `weight × (100 − score)`.
    pub points_missed: f64,
}

/// A lever of the parent: a child's measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RollupLever {
    /// The child to act on (an account with a scorecard).
    pub account_id: String,
    /// Its measure.
    pub measure_id: String,
    /// Points the parent would gain: the child's lever points times its
    /// weight (`mean`), or up to the next-worst child (`worst`).
    pub points: f64,
}

/// The most levels a hierarchy may have (a chain of parents is walked
/// level by level, and computed bottom-up).
pub const MAX_DEPTH: usize = 100;

/// How many parents are above `child`: `MAX_DEPTH + 1` once past the
/// limit; 0 when the chain runs into a cycle (reported as `cycle`).
fn depth(parents: &BTreeMap<String, String>, child: &str) -> usize {
    let mut seen = std::collections::HashSet::from([child]);
    let mut at = child;
    while let Some(p) = parents.get(at) {
        if !seen.insert(p.as_str()) {
            return 0;
        }
        if seen.len() > MAX_DEPTH + 1 {
            return MAX_DEPTH + 1;
        }
        at = p;
    }
    seen.len() - 1
}

/// A child's result on the way up: score, band, value, and its leaf
/// levers (account, measure, points of this child).
/// The hierarchy being rolled up: each parent's children, the scorecards
/// by account id, the method.
struct Tree<'a> {
    children: BTreeMap<&'a str, Vec<&'a str>>,
    by_id: HashMap<&'a str, &'a Scorecard>,
    method: RollupMethod,
}

struct Node {
    score: Option<f64>,
    band: String,
    value: f64,
    known_value: bool,
    levers: Vec<(String, String, f64)>,
}

impl Model {
    /// The health of every parent named in `options.parents`, from the
    /// children's scorecards (made by this model), parents in id order.
    pub fn rollup(
        &self,
        cards: &[Scorecard],
        options: &RollupOptions,
    ) -> Result<Vec<Rollup>, Vec<Error>> {
        let by_id: HashMap<&str, &Scorecard> =
            cards.iter().map(|c| (c.account_id.as_str(), c)).collect();
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (child, parent) in &options.parents {
            children
                .entry(parent.as_str())
                .or_default()
                .push(child.as_str());
        }
        let mut errors = Vec::new();
        for (i, c) in cards.iter().enumerate() {
            if cards[..i].iter().any(|x| x.account_id == c.account_id) {
                errors.push(Error::new(
                    "duplicate_id",
                    format!("scorecards[{i}]"),
                    format!("`{}` has more than one scorecard", c.account_id),
                    "give each child's latest scorecard once",
                ));
            }
        }
        for (child, parent) in &options.parents {
            let path = field("parents", child);
            if !by_id.contains_key(child.as_str()) && !children.contains_key(child.as_str()) {
                errors.push(Error::new(
                    "orphan",
                    &path,
                    format!("`{child}` has neither a scorecard nor children"),
                    "give its scorecard, or leave it out of parents",
                ));
            }
            if depth(&options.parents, child) > MAX_DEPTH {
                errors.push(Error::new(
                    "too_large",
                    &path,
                    format!(
                        "`{child}` is more than {MAX_DEPTH} levels below the top of its hierarchy"
                    ),
                    format!(
                        "the limit is {MAX_DEPTH} levels; group the accounts into fewer levels"
                    ),
                ));
                continue;
            }
            if child == parent || self.reaches(&options.parents, parent, child) {
                errors.push(Error::new(
                    "cycle",
                    &path,
                    format!("`{child}` is its own ancestor (through `{parent}`)"),
                    "each account has at most one parent, and no chain of parents comes back to it",
                ));
            }
        }
        if let Some(c) = cards.iter().find(|c| c.model_id != self.id()) {
            errors.push(Error::new(
                "model_mismatch",
                field("scorecards", &c.account_id),
                format!(
                    "scorecard of `{}` is of model `{}`, not `{}`",
                    c.account_id,
                    c.model_id,
                    self.id()
                ),
                "roll up scorecards of one model (score the children with it first)",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let tree = Tree {
            children,
            by_id,
            method: options.method,
        };
        let mut memo = HashMap::new();
        Ok(tree
            .children
            .keys()
            .map(|parent| self.roll(&tree, parent, &mut memo))
            .collect())
    }

    /// Whether following parents from `from` reaches `to` (within the depth
    /// limit).
    fn reaches(&self, parents: &BTreeMap<String, String>, from: &str, to: &str) -> bool {
        let mut at = from;
        for _ in 0..=MAX_DEPTH + 1 {
            if at == to {
                return true;
            }
            match parents.get(at) {
                Some(p) => at = p,
                None => return false,
            }
        }
        false
    }

    fn node(&self, tree: &Tree, id: &str, memo: &mut HashMap<String, Rollup>) -> Node {
        if tree.children.contains_key(id) {
            let r = self.roll(tree, id, memo);
            let levers = r
                .levers
                .iter()
                .map(|l| (l.account_id.clone(), l.measure_id.clone(), l.points))
                .collect();
            return Node {
                score: r.score,
                band: r.band.id,
                value: r.value,
                known_value: r.value > 0.0,
                levers,
            };
        }
        let c = tree.by_id[id];
        Node {
            score: c.score,
            band: c.band.id.clone(),
            value: c.value.unwrap_or(0.0),
            known_value: c.value.is_some_and(|v| v > 0.0),
            levers: c
                .levers
                .first()
                .map(|l| (c.account_id.clone(), l.measure_id.clone(), l.points_missed))
                .into_iter()
                .collect(),
        }
    }

    /// A parent's rollup (each parent computed once: `memo`).
    fn roll(&self, tree: &Tree, id: &str, memo: &mut HashMap<String, Rollup>) -> Rollup {
        let method = tree.method;
        if let Some(r) = memo.get(id) {
            return r.clone();
        }
        let kids: Vec<(String, Node)> = tree.children[id]
            .iter()
            .map(|k| (k.to_string(), self.node(tree, k, memo)))
            .collect();
        let scored: Vec<&(String, Node)> = kids.iter().filter(|(_, n)| n.score.is_some()).collect();
        let by_value = !scored.is_empty() && scored.iter().all(|(_, n)| n.known_value);
        let total: f64 = scored
            .iter()
            .map(|(_, n)| if by_value { n.value } else { 1.0 })
            .sum();
        let weight = |n: &Node| match (n.score, method) {
            (None, _) => 0.0,
            (Some(_), RollupMethod::Mean) => (if by_value { n.value } else { 1.0 }) / total,
            (Some(_), RollupMethod::Worst) => 0.0, // set below for the worst child
        };
        let mut weights: Vec<f64> = kids.iter().map(|(_, n)| weight(n)).collect();
        let score = match method {
            // Σ(v·s) / Σv, within the children's range: equal children
            // give exactly their score (no rounding across a band edge).
            RollupMethod::Mean => (!scored.is_empty()).then(|| {
                let raw = |n: &Node| if by_value { n.value } else { 1.0 };
                let sum: f64 = scored
                    .iter()
                    .map(|(_, n)| raw(n) * n.score.unwrap_or(0.0))
                    .sum();
                let (lo, hi) = scored
                    .iter()
                    .filter_map(|(_, n)| n.score)
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                        (lo.min(x), hi.max(x))
                    });
                (sum / total).clamp(lo, hi)
            }),
            RollupMethod::Worst => {
                let worst = kids
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (_, n))| n.score.map(|s| (i, s)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((i, _)) = worst {
                    weights[i] = 1.0;
                }
                worst.map(|(_, s)| s)
            }
        };
        // Levers: each child's best, in points of this parent.
        let next_worst = |i: usize| {
            kids.iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, (_, n))| n.score)
                .fold(100.0f64, f64::min)
        };
        let mut levers: Vec<RollupLever> = Vec::new();
        for (i, (_, n)) in kids.iter().enumerate() {
            for (account, measure, pts) in &n.levers {
                let points = match method {
                    RollupMethod::Mean => weights[i] * pts,
                    RollupMethod::Worst if weights[i] == 1.0 => {
                        pts.min(next_worst(i) - n.score.unwrap_or(0.0)).max(0.0)
                    }
                    RollupMethod::Worst => 0.0,
                };
                if points > 0.0 {
                    levers.push(RollupLever {
                        account_id: account.clone(),
                        measure_id: measure.clone(),
                        points,
                    });
                }
            }
        }
        levers.sort_by(|a, b| {
            b.points
                .total_cmp(&a.points)
                .then_with(|| a.account_id.cmp(&b.account_id))
        });
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
        for (_, n) in &kids {
            if let Some((_, b)) = bands.iter_mut().find(|(id, _)| *id == n.band) {
                b.count += 1;
                b.value += n.value;
            }
        }
        for (_, b) in &mut bands {
            b.share = b.count as f64 / kids.len() as f64;
        }
        let mut list: Vec<RollupChild> = kids
            .iter()
            .zip(&weights)
            .map(|((k, n), w)| RollupChild {
                account_id: k.clone(),
                score: n.score,
                band: n.band.clone(),
                weight: *w,
                points_missed: n.score.map_or(0.0, |s| w * (100.0 - s)),
            })
            .collect();
        list.sort_by(|a, b| {
            b.points_missed
                .total_cmp(&a.points_missed)
                .then_with(|| a.account_id.cmp(&b.account_id))
        });
        let value: f64 = kids.iter().map(|(_, n)| n.value).sum();
        let band = score.map_or_else(insufficient_band, |s| {
            self.bands()[self.band_index(s)].clone()
        });
        let r = Rollup {
            account_id: id.to_string(),
            score,
            band,
            method,
            weighting: if by_value { "value" } else { "equal" }.into(),
            value,
            children: list,
            bands: BandCounts(bands),
            levers,
        };
        memo.insert(id.to_string(), r.clone());
        r
    }
}
