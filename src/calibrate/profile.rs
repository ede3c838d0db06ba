//! What `suggest` makes of one column: its type (numeric, boolean or
//! categorical, by the typing policy), its bins from the training rows, and
//! each training row's bin. Or why it is left out.

use super::binning::{self, best_grouping, prebins, woe, Counts, Limits, Shape};
use super::table::{Cell, Column};
use crate::score::typing::{self, is_missing_text};
use std::collections::HashMap;

/// A categorical column with more distinct values than this is left out
/// (an identifier or free text).
pub const MAX_CATEGORIES: usize = 1_000;

/// Pre-bins before the optimal merge.
const MAX_PREBINS: usize = 20;

/// The bin of a training row that has no value.
pub(crate) const MISSING: u16 = u16::MAX;

/// A value held by fewer rows than this share (and at least 30 rows) is
/// rare: a categorical column pools its rare values as "other values" (the
/// rule's `otherwise`); a two-valued column keeps a rare value as a bin of
/// its own (there is no cut to choose, so nothing to overfit).
pub const RARE_SHARE: f64 = 0.005;

/// The key of the pooled rare values of a categorical column.
pub(crate) const OTHER: &str = "\u{0}other";

fn rare_rows(n: usize) -> f64 {
    (RARE_SHARE * n as f64).max(30.0)
}

/// How a column is binned.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Bins {
    /// Numbers cut at `thresholds` (bin `k`: from `thresholds[k-1]` up to
    /// below `thresholds[k]`).
    Numeric { thresholds: Vec<f64> },
    /// True and false.
    Boolean,
    /// Each bin's values (texts; numbers by their canonical text).
    Categorical { values: Vec<Vec<String>> },
}

/// A column that becomes a measure.
#[derive(Clone, Debug)]
pub(crate) struct Feature {
    pub column: usize,
    pub bins: Bins,
    /// Per bin (false then true for a boolean): counts and weight of evidence.
    pub counts: Vec<Counts>,
    pub woe: Vec<f64>,
    pub missing: Counts,
    pub missing_woe: f64,
    pub iv: f64,
    pub shape: Shape,
    /// Texts read as missing in a numeric column, besides the standard ones.
    pub missing_values: Vec<String>,
    /// Per training row, its bin (or [`MISSING`]).
    pub rows: Vec<u16>,
}

impl Feature {
    /// The weight of evidence of each training row.
    pub fn row_woe(&self, r: usize) -> f64 {
        match self.rows[r] {
            MISSING => self.missing_woe,
            b => self.woe[b as usize],
        }
    }
}

/// The outcome of profiling a column.
pub(crate) enum Profile {
    /// Used, with a note for people.
    Used(Box<Feature>, &'static str, String),
    /// Left out, and why.
    Skipped(String),
}

/// The rows of a column's cells read as missing: null, blank, a standard
/// missing text.
fn missing_cell(col: &Column, c: Cell) -> bool {
    match c {
        Cell::Missing => true,
        Cell::Text(k) => is_missing_text(&col.texts[k as usize]),
        _ => false,
    }
}

/// Profiles a column: its type from every row of the table (`all`: no
/// outcome is looked at, and a value seen only in held-out rows must still
/// score), its bins from the training rows (`col`).
pub(crate) fn profile(
    index: usize,
    all: &Column,
    col: &Column,
    churned: &[bool],
    max_bins: usize,
    min_rows: f64,
) -> Profile {
    let n = churned.len();
    let total = Counts {
        n: n as f64,
        churned: churned.iter().filter(|c| **c).count() as f64,
    };
    let limits = Limits {
        max_bins,
        min_rows,
        max_prebins: MAX_PREBINS,
        total,
    };
    // Numeric texts are read once per distinct text.
    let text_number: Vec<Option<f64>> = col
        .texts
        .iter()
        .map(|t| typing::number_of_text(t))
        .collect();
    let (mut present, mut numbers, mut bools, mut others) = (0usize, 0usize, 0usize, 0usize);
    for &c in &all.cells {
        if missing_cell(all, c) {
            continue;
        }
        present += 1;
        match c {
            Cell::Number(_) => numbers += 1,
            Cell::Text(k) if text_number[k as usize].is_some() => numbers += 1,
            Cell::Bool(_) => bools += 1,
            Cell::Other(_) => others += 1,
            _ => {}
        }
    }
    if present < 10 {
        return Profile::Skipped(format!("{present} values: fewer than 10"));
    }
    if others > 0 {
        return Profile::Skipped(format!("{others} cells hold arrays or objects"));
    }
    if bools == present {
        return boolean(index, col, churned, &limits);
    }
    if bools == 0 && numbers as f64 >= 0.95 * present as f64 {
        return numeric(index, all, col, churned, &limits, &text_number);
    }
    categorical(index, col, churned, &limits, present)
}

fn boolean(index: usize, col: &Column, churned: &[bool], limits: &Limits) -> Profile {
    let mut counts = [Counts::default(); 2];
    let mut missing = Counts::default();
    let mut rows = Vec::with_capacity(churned.len());
    for (r, &c) in col.cells.iter().enumerate() {
        let slot = match c {
            Cell::Bool(b) => {
                let k = usize::from(b);
                counts[k].n += 1.0;
                counts[k].churned += f64::from(u8::from(churned[r]));
                k as u16
            }
            _ => {
                missing.n += 1.0;
                missing.churned += f64::from(u8::from(churned[r]));
                MISSING
            }
        };
        rows.push(slot);
    }
    let least = rare_rows(churned.len()).min(limits.min_rows);
    if counts.iter().any(|c| c.n < least) {
        return Profile::Skipped(format!("true or false in fewer than {} rows", least.ceil()));
    }
    let shape = if counts[1].churned / counts[1].n < counts[0].churned / counts[0].n {
        Shape::Falling
    } else {
        Shape::Rising
    };
    finish(
        index,
        Bins::Boolean,
        counts.to_vec(),
        missing,
        shape,
        Vec::new(),
        rows,
        limits,
        "boolean",
        "true or false".into(),
    )
}

fn numeric(
    index: usize,
    all: &Column,
    col: &Column,
    churned: &[bool],
    limits: &Limits,
    text_number: &[Option<f64>],
) -> Profile {
    // The texts read as missing: every text of the column (held-out rows
    // included) that is neither a number nor a standard missing text.
    let mut odd: HashMap<String, usize> = HashMap::new();
    for &c in &all.cells {
        if let Cell::Text(k) = c {
            let t = &all.texts[k as usize];
            if text_number[k as usize].is_none() && !is_missing_text(t) {
                *odd.entry(t.trim().to_string()).or_default() += 1;
            }
        }
    }
    let mut values: Vec<(f64, bool)> = Vec::new();
    let mut missing = Counts::default();
    for (r, &c) in col.cells.iter().enumerate() {
        let x = match c {
            Cell::Number(x) => Some(x),
            Cell::Text(k) => text_number[k as usize],
            _ => None,
        };
        match x {
            Some(x) => values.push((x, churned[r])),
            None => {
                missing.n += 1.0;
                missing.churned += f64::from(u8::from(churned[r]));
            }
        }
    }
    let mut missing_values: Vec<String> = odd.into_keys().collect();
    missing_values.sort();
    if missing_values.len() > 20 {
        return Profile::Skipped(format!(
            "mostly numbers, with {} different texts: too many to read as missing values",
            missing_values.len()
        ));
    }
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut distinct: Vec<f64> = Vec::new();
    let mut items: Vec<Counts> = Vec::new();
    for &(x, c) in &values {
        if distinct.last() != Some(&x) {
            distinct.push(x);
            items.push(Counts::default());
        }
        let last = items.last_mut().expect("pushed");
        last.n += 1.0;
        last.churned += f64::from(u8::from(c));
    }
    // Two values: no cut to choose, so a rare one may be a bin of its own.
    let limits = &binary(limits, items.len(), churned.len());
    let starts = prebins(&items, limits.min_rows, limits.max_prebins);
    let pre: Vec<Counts> = group_counts(&items, &starts);
    let g = best_grouping(&pre, limits, false);
    if g.groups.len() < 2 {
        return Profile::Skipped(format!(
            "no cut leaves {:.0} % of the rows on each side",
            100.0 * limits.min_rows / limits.total.n
        ));
    }
    // Group boundaries in distinct values: the first value of each group.
    let first: Vec<usize> = g.starts.iter().map(|&s| starts[s]).collect();
    let thresholds: Vec<f64> = first[1..]
        .iter()
        .map(|&k| binning::cut(distinct[k - 1], distinct[k]))
        .collect();
    let rows = col
        .cells
        .iter()
        .map(|&c| {
            let x = match c {
                Cell::Number(x) => Some(x),
                Cell::Text(k) => text_number[k as usize],
                _ => None,
            };
            x.map_or(MISSING, |x| {
                thresholds.iter().take_while(|t| **t <= x).count() as u16
            })
        })
        .collect();
    let note = format!(
        "{} bins cut at {}, {}",
        g.groups.len(),
        thresholds
            .iter()
            .map(|t| typing::number_text(*t))
            .collect::<Vec<_>>()
            .join(", "),
        g.shape.describe()
    );
    finish(
        index,
        Bins::Numeric { thresholds },
        g.groups,
        missing,
        g.shape,
        missing_values,
        rows,
        limits,
        "numeric",
        note,
    )
}

fn categorical(
    index: usize,
    col: &Column,
    churned: &[bool],
    limits: &Limits,
    present: usize,
) -> Profile {
    // Each cell's key: text trimmed, numbers and booleans as text.
    let mut keys: Vec<String> = Vec::new();
    let mut lookup: HashMap<String, usize> = HashMap::new();
    let mut counts: Vec<Counts> = Vec::new();
    let mut missing = Counts::default();
    let mut cell_key: Vec<Option<usize>> = Vec::with_capacity(col.cells.len());
    for (r, &c) in col.cells.iter().enumerate() {
        let key = match c {
            _ if missing_cell(col, c) => None,
            Cell::Number(x) => Some(typing::number_text(x)),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Text(k) => Some(col.texts[k as usize].trim().to_string()),
            _ => None,
        };
        let y = f64::from(u8::from(churned[r]));
        match key {
            None => {
                missing.n += 1.0;
                missing.churned += y;
                cell_key.push(None);
            }
            Some(key) => {
                let k = *lookup.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    counts.push(Counts::default());
                    keys.len() - 1
                });
                counts[k].n += 1.0;
                counts[k].churned += y;
                cell_key.push(Some(k));
                if keys.len() > MAX_CATEGORIES {
                    return Profile::Skipped(format!(
                        "more than {MAX_CATEGORIES} different values: an identifier or free text"
                    ));
                }
            }
        }
    }
    if keys.len() as f64 > 0.5 * present as f64 {
        return Profile::Skipped(format!(
            "{} different values in {present} rows: an identifier or free text",
            keys.len()
        ));
    }
    // Rare values pooled as "other values".
    let rare = rare_rows(churned.len());
    let mut pooled: Vec<usize> = (0..keys.len()).collect();
    if counts.iter().any(|c| c.n < rare) {
        let other = keys.len();
        keys.push(OTHER.to_string());
        counts.push(Counts::default());
        for k in 0..other {
            if counts[k].n < rare {
                pooled[k] = other;
                let c = counts[k];
                counts[other].n += c.n;
                counts[other].churned += c.churned;
                counts[k] = Counts::default();
            }
        }
        pooled.push(other);
    }
    let live: Vec<usize> = (0..keys.len()).filter(|&k| counts[k].n > 0.0).collect();
    // Categories in order of their smoothed churn rate, then grouped.
    let base = limits.total.churned / limits.total.n;
    let k = binning::prior_rows(limits.total);
    let smoothed = |c: Counts| (c.churned + k * base) / (c.n + k);
    let mut order: Vec<usize> = live.clone();
    order.sort_by(|&a, &b| {
        smoothed(counts[a])
            .total_cmp(&smoothed(counts[b]))
            .then(keys[a].cmp(&keys[b]))
    });
    let items: Vec<Counts> = order.iter().map(|&k| counts[k]).collect();
    let limits = &binary(limits, items.len(), churned.len());
    let starts = prebins(&items, limits.min_rows, limits.max_prebins);
    let pre = group_counts(&items, &starts);
    let g = best_grouping(&pre, limits, true);
    if g.groups.len() < 2 {
        return Profile::Skipped(format!(
            "no grouping of its {} values leaves {:.0} % of the rows in each group",
            keys.len(),
            100.0 * limits.min_rows / limits.total.n
        ));
    }
    let first: Vec<usize> = g.starts.iter().map(|&s| starts[s]).collect();
    let mut group_of = vec![0u16; keys.len()];
    let mut values: Vec<Vec<String>> = vec![Vec::new(); first.len()];
    for (pos, &k) in order.iter().enumerate() {
        let grp = first.iter().rposition(|&f| f <= pos).unwrap_or(0);
        group_of[k] = grp as u16;
        values[grp].push(keys[k].clone());
    }
    let rows = cell_key
        .iter()
        .map(|k| k.map_or(MISSING, |k| group_of[pooled[k]]))
        .collect();
    let listed = live.iter().filter(|&&k| keys[k] != OTHER).count();
    let rare_note = if live.iter().any(|&k| keys[k] == OTHER) {
        format!(
            " and the values held by fewer than {} rows as other values",
            rare.ceil()
        )
    } else {
        String::new()
    };
    let note = format!("{listed} values{rare_note} in {} groups", g.groups.len());
    finish(
        index,
        Bins::Categorical { values },
        g.groups,
        missing,
        g.shape,
        Vec::new(),
        rows,
        limits,
        "categorical",
        note,
    )
}

/// Limits for a column of two values: the least bin is the rare-value size.
fn binary(limits: &Limits, values: usize, rows: usize) -> Limits {
    let mut l = *limits;
    if values == 2 {
        l.min_rows = l.min_rows.min(rare_rows(rows));
    }
    l
}

fn group_counts(items: &[Counts], starts: &[usize]) -> Vec<Counts> {
    starts
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let b = starts.get(k + 1).copied().unwrap_or(items.len());
            items[a..b].iter().fold(Counts::default(), |s, c| Counts {
                n: s.n + c.n,
                churned: s.churned + c.churned,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn finish(
    index: usize,
    bins: Bins,
    counts: Vec<Counts>,
    missing: Counts,
    shape: Shape,
    missing_values: Vec<String>,
    rows: Vec<u16>,
    limits: &Limits,
    kind: &'static str,
    note: String,
) -> Profile {
    let total = limits.total;
    let woe: Vec<f64> = counts.iter().map(|c| woe(*c, total)).collect();
    let missing_woe = woe_of(missing, total);
    let iv = counts
        .iter()
        .chain([&missing])
        .filter(|c| c.n > 0.0)
        .map(|c| iv(*c, total))
        .sum();
    let note = if missing.n > 0.0 {
        format!(
            "{note}; {} rows without a value get their own points",
            missing.n
        )
    } else {
        note
    };
    Profile::Used(
        Box::new(Feature {
            column: index,
            bins,
            counts,
            woe,
            missing,
            missing_woe,
            iv,
            shape,
            missing_values,
            rows,
        }),
        kind,
        note,
    )
}

fn woe_of(c: Counts, total: Counts) -> f64 {
    binning::woe(c, total)
}

/// Information value of one group (smoothed like its weight of evidence).
fn iv(c: Counts, total: Counts) -> f64 {
    let retained = total.n - total.churned;
    let share_good = (c.n - c.churned) / retained;
    let share_bad = c.churned / total.churned;
    (share_good - share_bad) * binning::woe(c, total)
}
