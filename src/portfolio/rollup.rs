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
    /// The children, the one costing the parent most points first (at most
    /// [`MAX_ROLLUP_CHILDREN`] of them: the costliest).
    pub children: Vec<RollupChild>,
    /// How many children the parent has (all of them, listed or not).
    #[serde(default)]
    pub child_count: usize,
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

/// The most children a parent's result lists (the costliest first): a
/// parent over a million accounts shows the ones that cost it most, and
/// counts the rest (`childCount`, and per band in `bands`).
pub const MAX_ROLLUP_CHILDREN: usize = 1_000;

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

/// What `rollup` reads of a child, borrowed (no copy per child): the form
/// [`Model::rollup_rows`] takes, built from [`RollupInput`]s or straight
/// from columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RollupRow<'a> {
    /// The child's account id.
    pub account_id: &'a str,
    /// The model that made its scorecard.
    pub model_id: &'a str,
    /// Its score (None without one).
    pub score: Option<f64>,
    /// Its band id.
    pub band: &'a str,
    /// Its value (ARR or similar).
    pub value: Option<f64>,
    /// Its best lever: the measure and the points it would add.
    pub lever: Option<(&'a str, f64)>,
}

impl<'a> From<&'a RollupInput> for RollupRow<'a> {
    fn from(c: &'a RollupInput) -> RollupRow<'a> {
        RollupRow {
            account_id: &c.account_id,
            model_id: &c.model_id,
            score: c.score,
            band: &c.band,
            value: c.value,
            lever: c.lever.as_ref().map(|(m, p)| (m.as_str(), *p)),
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

/// A child as its parent reads it (a leaf's fields borrowed from its
/// scorecard, a parent's from its node).
#[derive(Clone, Copy)]
struct View<'n, 'a> {
    score: Option<f64>,
    band: &'a str,
    value: f64,
    known_value: bool,
    levers: &'n [(&'a str, &'a str, f64)],
    leaf_lever: Option<(&'a str, &'a str, f64)>,
}

/// The hierarchy being rolled up, every account and parent by an index.
struct Tree<'a> {
    /// Each index's name.
    names: Vec<&'a str>,
    /// Each index's children, in id order (empty for a leaf).
    kids: Vec<Vec<u32>>,
    /// Each index's place among the parents' nodes ([`LEAF`]: none).
    slot: Vec<u32>,
    /// Each index's scorecard (the first given for its id), if any.
    card: Vec<Option<&'a RollupRow<'a>>>,
    method: RollupMethod,
    /// Band index by id (the model's bands, then insufficient data).
    band_index: HashMap<&'a str, usize>,
}

/// The slot of an index that has no children.
const LEAF: u32 = u32::MAX;

/// Names to indexes, each name once.
struct Names<'a> {
    index: HashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn of(&mut self, name: &'a str) -> u32 {
        let next = self.names.len() as u32;
        let k = *self.index.entry(name).or_insert(next);
        if k == next {
            self.names.push(name);
        }
        k
    }
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
    /// Linear in the children: each account and parent gets an index once,
    /// the levels and cycles are found in one pass, each parent is computed
    /// once, and each lists at most [`MAX_ROLLUP_CHILDREN`] children and
    /// [`MAX_ROLLUP_LEVERS`] levers.
    pub fn rollup_inputs(
        &self,
        children: &[RollupInput],
        options: &RollupOptions,
    ) -> Result<Vec<Rollup>, Errors> {
        let rows: Vec<RollupRow> = children.iter().map(RollupRow::from).collect();
        let links: Vec<(&str, &str)> = options
            .parents
            .iter()
            .map(|(c, p)| (c.as_str(), p.as_str()))
            .collect();
        self.rollup_rows(&rows, &links, options.method)
    }

    /// [`Model::rollup`] of borrowed rows and `(child, parent)` links in any
    /// order (each child at most once: a second link of a child is
    /// `duplicate_id`). What the others call; the JS package passes columns
    /// here without building a map.
    pub fn rollup_rows(
        &self,
        children: &[RollupRow],
        parents: &[(&str, &str)],
        method: RollupMethod,
    ) -> Result<Vec<Rollup>, Errors> {
        // Children in id order (a BTreeMap's order, as the options give it).
        let mut sorted: Vec<(&str, &str)> = parents.to_vec();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        if let Some(w) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::new(
                "duplicate_id",
                field("parents", w[0].0),
                format!("`{}` is given more than one parent", w[0].0),
                "give each child one parent",
            )
            .into());
        }
        let parents = sorted;
        let mut errors = Vec::new();
        let capacity = children.len() + parents.len() + 1;
        let mut names = Names {
            index: HashMap::with_capacity(capacity),
            names: Vec::with_capacity(capacity),
        };
        let mut card: Vec<Option<&RollupRow>> = Vec::with_capacity(capacity);
        for (i, c) in children.iter().enumerate() {
            let k = names.of(c.account_id) as usize;
            card.resize(names.names.len(), None);
            if card[k].is_some() {
                errors.push(Error::new(
                    "duplicate_id",
                    format!("scorecards[{i}]"),
                    format!("`{}` has more than one scorecard", c.account_id),
                    "give each child's latest scorecard once",
                ));
            } else {
                card[k] = Some(c);
            }
        }
        // Each child's parent, and each parent's children in id order (the
        // options' map is sorted by child id).
        let mut parent: Vec<Option<u32>> = Vec::new();
        let mut links: Vec<(u32, u32)> = Vec::with_capacity(parents.len());
        for &(child, p) in &parents {
            let (c, p) = (names.of(child), names.of(p));
            links.push((c, p));
        }
        let total = names.names.len();
        card.resize(total, None);
        parent.resize(total, None);
        let mut kids: Vec<Vec<u32>> = vec![Vec::new(); total];
        for &(c, p) in &links {
            parent[c as usize] = Some(p);
            kids[p as usize].push(c);
        }
        let levels = levels(&parent);
        for (&(c, _), &(child, _)) in links.iter().zip(&parents) {
            let c = c as usize;
            let path = field("parents", child);
            if card[c].is_none() && kids[c].is_empty() {
                errors.push(Error::new(
                    "orphan",
                    &path,
                    format!("`{child}` has neither a scorecard nor children"),
                    "give its scorecard, or leave it out of parents",
                ));
            }
            match levels[c] {
                Level::Cycle(through) => errors.push(Error::new(
                    "cycle",
                    &path,
                    format!(
                        "`{child}` is its own ancestor (through `{}`)",
                        names.names[through as usize]
                    ),
                    "each account has at most one parent, and no chain of parents comes back to it",
                )),
                Level::Depth(d) if d > MAX_DEPTH => errors.push(Error::new(
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
                field("scorecards", c.account_id),
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
        // Each parent's place in `nodes` (leaves have none: a million
        // leaves under one parent keep one node, not a million).
        let mut slot = vec![LEAF; total];
        let mut count = 0;
        for (p, s) in slot.iter_mut().enumerate() {
            if !kids[p].is_empty() {
                *s = count;
                count += 1;
            }
        }
        let tree = Tree {
            names: names.names,
            kids,
            slot,
            card,
            method,
            band_index,
        };
        let mut nodes: Vec<Option<Node>> = (0..count).map(|_| None).collect();
        let mut out: Vec<Rollup> = Vec::new();
        for p in 0..total {
            if !tree.kids[p].is_empty() {
                self.roll(&tree, p as u32, &mut nodes, &mut out);
            }
        }
        out.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        Ok(out)
    }

    /// A parent's rollup into `out` (each parent once: `nodes` keeps what
    /// its own parent needs of it), its children's first.
    fn roll<'a>(
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

/// Where a child of a hierarchy stands: its depth (parents above it), or
/// the parent through which its chain comes back to it.
#[derive(Clone, Copy)]
enum Level {
    Depth(usize),
    Cycle(u32),
}

/// Every index's [`Level`] from its parent (`parent[i]`), in one pass over
/// the chains: each depth is computed once; a chain that runs into a cycle
/// without being part of it is at depth 0 (the cycle's members report it).
fn levels(parent: &[Option<u32>]) -> Vec<Level> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = parent.len();
    let mut out = vec![Level::Depth(0); n];
    let mut state = vec![NEW; n];
    let mut path: Vec<u32> = Vec::new();
    for start in 0..n {
        if state[start] != NEW {
            continue;
        }
        path.clear();
        let mut at = start as u32;
        // Walk up until a known index, the top, or one on this walk.
        let base = loop {
            match state[at as usize] {
                DONE => {
                    break match out[at as usize] {
                        Level::Depth(d) => Some(d),
                        Level::Cycle(_) => None,
                    }
                }
                ON_PATH => {
                    // The walk came back: path[k..] is a cycle, each member
                    // coming back through its parent.
                    let k = path.iter().position(|&m| m == at).unwrap_or(0);
                    for &m in &path[k..] {
                        out[m as usize] = Level::Cycle(parent[m as usize].unwrap_or(m));
                        state[m as usize] = DONE;
                    }
                    path.truncate(k);
                    break None;
                }
                _ => {}
            }
            state[at as usize] = ON_PATH;
            path.push(at);
            match parent[at as usize] {
                Some(p) => at = p,
                None => {
                    // The top of a hierarchy: depth 0.
                    path.pop();
                    out[at as usize] = Level::Depth(0);
                    state[at as usize] = DONE;
                    break Some(0);
                }
            }
        };
        // The rest of the walk, from the top down: one level more each
        // (below a cycle: depth 0, as when a walk came back).
        let mut d = base.unwrap_or(0);
        for &m in path.iter().rev() {
            d += usize::from(base.is_some());
            out[m as usize] = Level::Depth(d);
            state[m as usize] = DONE;
        }
    }
    out
}
