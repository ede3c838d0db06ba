//! Account hierarchies: a parent's health from its children's scorecards
//! (`rollup`), with the children in its breakdown and levers that name the
//! child to act on. Parents may have parents (bottom-up); cycles and
//! children without a scorecard are coded errors. The public types are in
//! `types.rs`, one parent's arithmetic in `parent.rs`, the levels and
//! cycles of a hierarchy in `levels.rs`; this file reads the children and
//! links into a tree of indexes, checks it and rolls it up.

mod levels;
mod parent;
mod types;

pub use types::*;

use crate::error::{field, Error, Errors};
use crate::model::Model;
use crate::score::Scorecard;
use levels::{levels, Level};
use std::collections::HashMap;

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
}
