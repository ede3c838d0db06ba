//! Account hierarchies: a parent's health from its children's scorecards
//! (`rollup`), with the children in its breakdown and levers that name the
//! child to act on. Parents may have parents (bottom-up); cycles and
//! children without a scorecard are coded errors.

use crate::error::{field, Error, Errors};
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

/// The most levers a parent lists (its children's best, biggest first):
/// a parent over a million accounts names the few that move it most, and
/// every level above keeps the same bound.
pub const MAX_ROLLUP_LEVERS: usize = 10;

/// What `rollup` reads of a child's scorecard (the JS package sends only
/// this; [`Model::rollup`] takes it from scorecards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RollupInput {
    /// The child's account id.
    pub account_id: String,
    /// The model that made its scorecard.
    pub model_id: String,
    /// Its score (null without one).
    pub score: Option<f64>,
    /// Its band id.
    pub band: String,
    /// Its value (ARR or similar).
    pub value: Option<f64>,
    /// Its best lever: the measure and the points it would add.
    pub lever: Option<(String, f64)>,
}

impl From<&Scorecard> for RollupInput {
    fn from(c: &Scorecard) -> RollupInput {
        RollupInput {
            account_id: c.account_id.clone(),
            model_id: c.model_id.clone(),
            score: c.score,
            band: c.band.id.clone(),
            value: c.value,
            lever: c
                .levers
                .first()
                .map(|l| (l.measure_id.clone(), l.points_missed)),
        }
    }
}

/// A child's result on the way up: its score, band, value, and its best
/// leaf levers (account, measure, points of this child), at most
/// [`MAX_ROLLUP_LEVERS`].
struct Node<'a> {
    score: Option<f64>,
    band: &'a str,
    value: f64,
    known_value: bool,
    levers: Vec<(&'a str, &'a str, f64)>,
}

/// The hierarchy being rolled up.
struct Tree<'a> {
    /// Each parent's children, by id (children in id order).
    children: BTreeMap<&'a str, Vec<&'a str>>,
    /// The inputs by account id (the first of duplicates).
    by_id: HashMap<&'a str, &'a RollupInput>,
    method: RollupMethod,
    /// Band index by id (the model's bands, then insufficient data).
    band_index: HashMap<&'a str, usize>,
}

impl Model {
    /// The health of every parent named in `options.parents`, from the
    /// children's scorecards (made by this model), parents in id order.
    pub fn rollup(
        &self,
        cards: &[Scorecard],
        options: &RollupOptions,
    ) -> Result<Vec<Rollup>, Errors> {
        let inputs: Vec<RollupInput> = cards.iter().map(RollupInput::from).collect();
        self.rollup_inputs(&inputs, options)
    }

    /// [`Model::rollup`] of what it reads of each child ([`RollupInput`]).
    /// Linear in the children (one pass per level, the levers of each
    /// parent capped at [`MAX_ROLLUP_LEVERS`]).
    pub fn rollup_inputs(
        &self,
        children: &[RollupInput],
        options: &RollupOptions,
    ) -> Result<Vec<Rollup>, Errors> {
        let mut errors = Vec::new();
        let mut by_id: HashMap<&str, &RollupInput> = HashMap::with_capacity(children.len());
        for (i, c) in children.iter().enumerate() {
            if by_id.insert(c.account_id.as_str(), c).is_some() {
                errors.push(Error::new(
                    "duplicate_id",
                    format!("scorecards[{i}]"),
                    format!("`{}` has more than one scorecard", c.account_id),
                    "give each child's latest scorecard once",
                ));
            }
        }
        // (the first scorecard of an id is the one kept)
        for c in children.iter().rev() {
            by_id.insert(c.account_id.as_str(), c);
        }
        let mut kids: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (child, parent) in &options.parents {
            kids.entry(parent.as_str())
                .or_default()
                .push(child.as_str());
        }
        let levels = levels(&options.parents);
        for child in options.parents.keys() {
            let path = field("parents", child);
            if !by_id.contains_key(child.as_str()) && !kids.contains_key(child.as_str()) {
                errors.push(Error::new(
                    "orphan",
                    &path,
                    format!("`{child}` has neither a scorecard nor children"),
                    "give its scorecard, or leave it out of parents",
                ));
            }
            match levels.get(child.as_str()) {
                Some(Level::Cycle(through)) => errors.push(Error::new(
                    "cycle",
                    &path,
                    format!("`{child}` is its own ancestor (through `{through}`)"),
                    "each account has at most one parent, and no chain of parents comes back to it",
                )),
                Some(Level::Depth(d)) if *d > MAX_DEPTH => errors.push(Error::new(
                    "too_large",
                    &path,
                    format!(
                        "`{child}` is more than {MAX_DEPTH} levels below the top of its hierarchy"
                    ),
                    format!(
                        "the limit is {MAX_DEPTH} levels; group the accounts into fewer levels"
                    ),
                )),
                _ => {}
            }
        }
        if let Some(c) = children.iter().find(|c| c.model_id != self.id()) {
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
            return Err(errors.into());
        }
        let band_index = self
            .bands()
            .iter()
            .map(|b| b.id.as_str())
            .chain([crate::score::INSUFFICIENT_DATA])
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let tree = Tree {
            children: kids,
            by_id,
            method: options.method,
            band_index,
        };
        let mut nodes: HashMap<&str, Node> = HashMap::new();
        let mut out: Vec<Rollup> = Vec::with_capacity(tree.children.len());
        for parent in tree.children.keys() {
            self.roll(&tree, parent, &mut nodes, &mut out);
        }
        out.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        Ok(out)
    }

    /// A parent's rollup into `out` (each parent once: `nodes` keeps what
    /// its own parent needs of it), its children's first.
    fn roll<'a>(
        &'a self,
        tree: &Tree<'a>,
        id: &'a str,
        nodes: &mut HashMap<&'a str, Node<'a>>,
        out: &mut Vec<Rollup>,
    ) {
        if nodes.contains_key(id) {
            return;
        }
        let list = &tree.children[id];
        for k in list {
            if tree.children.contains_key(k) {
                self.roll(tree, k, nodes, out);
            }
        }
        let leaf = |k: &'a str| {
            let c = tree.by_id[k];
            Node {
                score: c.score,
                band: c.band.as_str(),
                value: c.value.unwrap_or(0.0),
                known_value: c.value.is_some_and(|v| v > 0.0),
                levers: c
                    .lever
                    .as_ref()
                    .map(|(m, p)| (c.account_id.as_str(), m.as_str(), *p))
                    .into_iter()
                    .collect(),
            }
        };
        let leaves: Vec<Option<Node>> = list
            .iter()
            .map(|k| (!tree.children.contains_key(k)).then(|| leaf(k)))
            .collect();
        let kid = |i: usize| -> &Node { leaves[i].as_ref().unwrap_or_else(|| &nodes[list[i]]) };
        let method = tree.method;
        let n = list.len();
        let scored = (0..n).filter(|&i| kid(i).score.is_some());
        let by_value =
            scored.clone().next().is_some() && scored.clone().all(|i| kid(i).known_value);
        let raw = |node: &Node| if by_value { node.value } else { 1.0 };
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
        // few kept (ties: account id).
        let mut levers: Vec<(&str, &str, f64)> = Vec::new();
        for (i, w) in weights.iter().enumerate() {
            let node = kid(i);
            for &(account, measure, pts) in &node.levers {
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
        let mut children: Vec<RollupChild> = (0..n)
            .map(|i| {
                let node = kid(i);
                RollupChild {
                    account_id: list[i].to_string(),
                    score: node.score,
                    band: node.band.to_string(),
                    weight: weights[i],
                    points_missed: node.score.map_or(0.0, |s| weights[i] * (100.0 - s)),
                }
            })
            .collect();
        children.sort_by(|a, b| {
            b.points_missed
                .total_cmp(&a.points_missed)
                .then_with(|| a.account_id.cmp(&b.account_id))
        });
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
        drop(leaves);
        out.push(Rollup {
            account_id: id.to_string(),
            score,
            band,
            method,
            weighting: if by_value { "value" } else { "equal" }.into(),
            value,
            children,
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
        nodes.insert(id, node);
    }
}

/// Where each child of a hierarchy stands: its depth (parents above it), or
/// the parent through which its chain comes back to it.
enum Level<'a> {
    Depth(usize),
    Cycle(&'a str),
}

/// Every child's [`Level`], in one pass over the chains (each child's depth
/// is computed once; a chain that runs into a cycle without being part of
/// it takes no `Cycle`, as the cycle's members report it).
fn levels(parents: &BTreeMap<String, String>) -> HashMap<&str, Level<'_>> {
    let mut out: HashMap<&str, Level> = HashMap::with_capacity(parents.len());
    let mut path: Vec<&str> = Vec::new();
    let mut on_path: HashMap<&str, usize> = HashMap::new();
    for start in parents.keys() {
        if out.contains_key(start.as_str()) {
            continue;
        }
        path.clear();
        on_path.clear();
        let mut at = start.as_str();
        // Walk up until a known child, the top, or a repeat.
        let base = loop {
            if let Some(level) = out.get(at) {
                break match level {
                    Level::Depth(d) => Some(*d),
                    Level::Cycle(_) => None,
                };
            }
            if let Some(&k) = on_path.get(at) {
                // path[k..] is a cycle: each member comes back through its parent.
                for m in &path[k..] {
                    out.insert(m, Level::Cycle(parents[*m].as_str()));
                }
                path.truncate(k);
                break None;
            }
            match parents.get(at) {
                Some(p) => {
                    on_path.insert(at, path.len());
                    path.push(at);
                    at = p;
                }
                None => break Some(0), // the top of the hierarchy
            }
        };
        // The rest of the path, from the top down: one more level each
        // (below a cycle: depth 0, as when the walk came back).
        let mut d = base.unwrap_or(0);
        for m in path.iter().rev() {
            d += usize::from(base.is_some());
            out.entry(m).or_insert(Level::Depth(d));
        }
    }
    out
}
