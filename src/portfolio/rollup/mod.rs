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

use super::order::{id_key, shared_prefix, sort_keyed, Keyed};
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

/// The hierarchy being rolled up, every linked child and parent by an
/// index: the children of `parents` in id order first, then the parents
/// that are nobody's child.
struct Tree<'a> {
    /// Each index's name.
    names: Vec<&'a str>,
    /// Each index's children (`kids[start[i]..start[i + 1]]`), in id order.
    start: Vec<u32>,
    kids: Vec<u32>,
    /// Each index's place among the parents' nodes ([`LEAF`]: none).
    slot: Vec<u32>,
    /// Each index's scorecard (the first given for its id), if any.
    card: Vec<Option<&'a RollupRow<'a>>>,
    method: RollupMethod,
    /// Band ids, their index their place in a parent's band counts (the
    /// model's bands, then insufficient data).
    band_ids: Vec<&'a str>,
}

impl Tree<'_> {
    /// The children of index `i`.
    fn kids(&self, i: u32) -> &[u32] {
        &self.kids[self.start[i as usize] as usize..self.start[i as usize + 1] as usize]
    }
}

/// The slot of an index that has no children.
const LEAF: u32 = u32::MAX;

/// No index.
const NONE: u32 = u32::MAX;

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
    ///
    /// No hashing of the children's ids (a crafted set of ids cannot make
    /// it slow; only top parents, usually few, go through a hash map): the
    /// links are sorted by child id, the rows by id (unless they come in
    /// the links' order, the usual case when both are made from one list)
    /// and joined by walking both; a parent's index is found by a binary
    /// search among the children (once per run of links to one parent).
    pub fn rollup_rows(
        &self,
        children: &[RollupRow],
        parents: &[(&str, &str)],
        method: RollupMethod,
    ) -> Result<Vec<Rollup>, Errors> {
        // The links in child id order, each with its place as given.
        let mut links: Vec<(&str, &str, u32)> = parents
            .iter()
            .enumerate()
            .map(|(i, &(c, p))| (c, p, i as u32))
            .collect();
        sort_by_id(&mut links);
        if let Some(w) = links.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::new(
                "duplicate_id",
                field("parents", w[0].0),
                format!("`{}` is given more than one parent", w[0].0),
                "give each child one parent",
            )
            .into());
        }
        let m = links.len();
        let (card, mut errors) = join(children, parents, &links);
        // Each link's parent: a child of another link, or a top parent.
        let mut tops: Vec<&str> = Vec::new();
        let mut top_index: HashMap<&str, u32> = HashMap::new();
        let mut parent: Vec<Option<u32>> = Vec::with_capacity(m);
        let mut last: Option<(&str, u32)> = None;
        for &(_, p, _) in &links {
            let k = match last {
                Some((name, k)) if name == p => k,
                _ => match links.binary_search_by(|l| l.0.cmp(p)) {
                    Ok(j) => j as u32,
                    Err(_) => *top_index.entry(p).or_insert_with(|| {
                        tops.push(p);
                        (m + tops.len() - 1) as u32
                    }),
                },
            };
            last = Some((p, k));
            parent.push(Some(k));
        }
        drop(top_index);
        let total = m + tops.len();
        parent.resize(total, None);
        // Each index's children, in id order (the links are).
        let mut start = vec![0u32; total + 1];
        for p in parent.iter().flatten() {
            start[*p as usize + 1] += 1;
        }
        for i in 0..total {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut kids = vec![0u32; m];
        for (c, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                kids[fill[*p as usize] as usize] = c as u32;
                fill[*p as usize] += 1;
            }
        }
        drop(fill);
        let levels = levels(&parent);
        drop(parent);
        let has_kids = |i: usize| start[i + 1] > start[i];
        for (c, &(child, _, _)) in links.iter().enumerate() {
            if card[c] == NONE && !has_kids(c) {
                errors.push(Error::new(
                    "orphan",
                    field("parents", child),
                    format!("`{child}` has neither a scorecard nor children"),
                    "give its scorecard, or leave it out of parents",
                ));
            }
            match levels[c] {
                Level::Cycle(through) => errors.push(Error::new(
                    "cycle",
                    field("parents", child),
                    format!(
                        "`{child}` is its own ancestor (through `{}`)",
                        name_of(&links, &tops, through)
                    ),
                    "each account has at most one parent, and no chain of parents comes back to it",
                )),
                Level::Depth(d) if d > MAX_DEPTH => errors.push(Error::new(
                    "too_large",
                    field("parents", child),
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
        drop(levels);
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
        let band_ids = self
            .bands()
            .iter()
            .map(|b| b.id.as_str())
            .chain([crate::score::INSUFFICIENT_DATA])
            .collect();
        // Each parent's place in `nodes` (leaves have none: a million
        // leaves under one parent keep one node, not a million).
        let mut slot = vec![LEAF; total];
        let mut count = 0;
        for (p, s) in slot.iter_mut().enumerate() {
            if has_kids(p) {
                *s = count;
                count += 1;
            }
        }
        let tree = Tree {
            names: links.iter().map(|l| l.0).chain(tops).collect(),
            start,
            kids,
            slot,
            card: card
                .iter()
                .map(|&k| children.get(k as usize))
                .chain(std::iter::repeat(None))
                .take(total)
                .collect(),
            method,
            band_ids,
        };
        drop(links);
        let mut nodes: Vec<Option<Node>> = (0..count).map(|_| None).collect();
        let mut out: Vec<Rollup> = Vec::new();
        for p in 0..total as u32 {
            if !tree.kids(p).is_empty() {
                self.roll(&tree, p, &mut nodes, &mut out);
            }
        }
        // (parents in id order, by the sort the links had: one sort in the
        // module, not two; each parent once, so no ties)
        let mut order: Vec<(&str, &str, u32)> = out
            .iter()
            .enumerate()
            .map(|(i, r)| (r.account_id.as_str(), "", i as u32))
            .collect();
        sort_by_id(&mut order);
        let order: Vec<u32> = order.iter().map(|o| o.2).collect();
        let mut slots: Vec<Option<Rollup>> = out.into_iter().map(Some).collect();
        Ok(order
            .iter()
            .filter_map(|&i| slots[i as usize].take())
            .collect())
    }
}

/// Sorts links (child, parent, place as given) by child id, unless they
/// are in order already, by the keyed sort (`order.rs`).
fn sort_by_id(links: &mut Vec<(&str, &str, u32)>) {
    if links.windows(2).all(|w| w[0].0 <= w[1].0) {
        return;
    }
    let shared = shared_prefix(links.iter().map(|l| l.0));
    let mut keyed: Vec<Keyed> = links
        .iter()
        .enumerate()
        .map(|(k, l)| Keyed {
            key: [id_key(l.0, shared), 0, 0],
            id: l.0,
            at: k as u32,
        })
        .collect();
    sort_keyed(&mut keyed);
    *links = keyed.iter().map(|k| links[k.at as usize]).collect();
}

/// The name of index `i`: a linked child's, or a top parent's.
fn name_of<'a>(links: &[(&'a str, &'a str, u32)], tops: &[&'a str], i: u32) -> &'a str {
    let i = i as usize;
    links.get(i).map_or_else(|| tops[i - links.len()], |l| l.0)
}

/// Each link's scorecard (an index into `children`, [`NONE`] without one),
/// and a `duplicate_id` error for every scorecard after the first of its id
/// (in the order given). When the rows come in the links' order as given,
/// row `i` is link `i`'s and a duplicate row is a duplicate link (refused
/// before); else the rows are sorted by id and walked beside the links.
fn join(
    children: &[RollupRow],
    parents: &[(&str, &str)],
    links: &[(&str, &str, u32)],
) -> (Vec<u32>, Vec<Error>) {
    if children.len() == parents.len()
        && children
            .iter()
            .zip(parents)
            .all(|(c, l)| c.account_id == l.0)
    {
        return (links.iter().map(|l| l.2).collect(), Vec::new());
    }
    // (sorted as the links are: one sort in the module, not two)
    let mut rows: Vec<(&str, &str, u32)> = children
        .iter()
        .enumerate()
        .map(|(i, c)| (c.account_id, "", i as u32))
        .collect();
    sort_by_id(&mut rows);
    // Each id's first scorecard (the lowest index) first in its run; the
    // others are duplicates.
    let mut duplicates: Vec<u32> = Vec::new();
    for run in rows.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            let first = (0..run.len()).min_by_key(|&k| run[k].2).unwrap_or(0);
            run.swap(0, first);
            duplicates.extend(run[1..].iter().map(|r| r.2));
        }
    }
    duplicates.sort_unstable();
    let errors = duplicates
        .into_iter()
        .map(|i| {
            Error::new(
                "duplicate_id",
                format!("scorecards[{i}]"),
                format!(
                    "`{}` has more than one scorecard",
                    children[i as usize].account_id
                ),
                "give each child's latest scorecard once",
            )
        })
        .collect();
    let mut card = vec![NONE; links.len()];
    let mut r = 0;
    for (c, l) in links.iter().enumerate() {
        while r < rows.len() && rows[r].0 < l.0 {
            r += 1;
        }
        if r < rows.len() && rows[r].0 == l.0 {
            card[c] = rows[r].2;
        }
    }
    (card, errors)
}

#[cfg(test)]
mod tests {
    use super::sort_by_id;

    /// The keyed sort orders as a plain sort of the ids does: ids that
    /// share a long prefix, shorter ids, zero bytes, several-byte
    /// characters, equal ids.
    #[test]
    fn keyed_sort_orders_as_the_ids_do() {
        let mut ids: Vec<String> = Vec::new();
        for i in 0..600u32 {
            let tail = match i % 6 {
                0 => format!("{i}"),
                1 => format!("{}", i / 7),
                2 => format!("{i}\0"),
                3 => format!("é{}", i % 5),
                4 => format!("{:09}", i * 7919 % 1000),
                _ => String::new(),
            };
            ids.push(format!("account-{tail}"));
        }
        for shared in [true, false] {
            let ids: Vec<String> = if shared {
                ids.clone()
            } else {
                ids.iter()
                    .enumerate()
                    .map(|(i, s)| format!("{}{s}", i % 3))
                    .collect()
            };
            let mut links: Vec<(&str, &str, u32)> = ids
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), "p", i as u32))
                .collect();
            sort_by_id(&mut links);
            let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
            want.sort_unstable();
            assert_eq!(links.iter().map(|l| l.0).collect::<Vec<_>>(), want);
            // Each link keeps its place as given.
            assert!(links.iter().all(|l| ids[l.2 as usize] == l.0));
        }
    }
}
