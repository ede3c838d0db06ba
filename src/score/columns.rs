//! Columnar scoring for large portfolios: one `f64` column per measure,
//! NaN for missing, flags as 0/1. Returns scores and band indexes, and on
//! request a columnar breakdown (category scores and measure contributions)
//! or every number a scorecard shows; the arithmetic is the same as
//! [`Model::score`], bit for bit (a vectorised kernel for every row it can
//! score, the engine itself for refused rows, which it reports).

use super::account::Input;
use super::batch::BatchError;
use super::derived::{self, ScorecardExtras};
use super::engine::{self, State};
use super::kernel::{self, Kernel, Want, STATUS_PRESENT};
use crate::error::{field, Error};
use crate::model::{Model, Reads, Rule};
use serde::{Deserialize, Serialize};

/// Band index of a row with too little data.
pub const BAND_INSUFFICIENT: u8 = 255;
/// Band index of a refused row (a bad value; see `errors`).
pub const BAND_REFUSED: u8 = 254;
/// Band index of a row scored in a band this model does not have (a model
/// set's other models): counted in a summary, in none of its bands.
pub const BAND_OTHER: u8 = 253;

/// Scores and band indexes for a columnar batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnScores {
    /// Score per row; NaN where the row has no score (no value, or refused).
    pub scores: Vec<f64>,
    /// Index into the model's bands; 255 insufficient data, 254 refused.
    pub bands: Vec<u8>,
    /// One entry per problem in a refused row (paths like `[17].values.csm`).
    pub errors: Vec<BatchError>,
    /// With a breakdown: each category's score as a scorecard shows it
    /// (0–100), category-major (`categories[c * rows + row]`); NaN where the
    /// category has none. Empty without a breakdown.
    pub categories: Vec<f64>,
    /// With a breakdown: each measure's contribution in points,
    /// measure-major (`contributions[i * rows + row]`); NaN in refused rows.
    /// Empty without a breakdown.
    pub contributions: Vec<f64>,
    /// With [`ColumnOptions::full`]: the rest of every scorecard's numbers.
    pub full: Option<FullColumns>,
}

/// Every other number of a scorecard, as columns: per row, per measure
/// (measure-major, `[i * rows + row]`) and per category (category-major).
/// NaN stands for null. Values in refused rows are unspecified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FullColumns {
    /// The score before caps.
    pub uncapped: Vec<f64>,
    /// Points models: the raw total (NaN otherwise).
    pub totals: Vec<f64>,
    /// Coverage.
    pub coverage: Vec<f64>,
    /// The rest of a row's scorecard that follows from its aggregation (the
    /// low-coverage flag, the coverage penalty, caps, the CSM's
    /// disagreements, overrides), for the rows where any of it differs from
    /// its default, in row order: `(row, extras)`.
    pub extras: Vec<(usize, ScorecardExtras)>,
    /// Per measure: 0 present, 1 skipped, 2 neutral, 3 worst, 4 imputed.
    pub status: Vec<u8>,
    /// Per measure: the rule's output (NaN when skipped).
    pub partial: Vec<f64>,
    /// Per measure: the normalised score (NaN when skipped).
    pub normalized: Vec<f64>,
    /// Per measure: its effective weight in its category.
    pub weights: Vec<f64>,
    /// Per measure: points missed.
    pub points_missed: Vec<f64>,
    /// Per category: its effective weight.
    pub category_weights: Vec<f64>,
    /// Per category: its contribution in points (the sum of its measures').
    pub category_contributions: Vec<f64>,
    /// Per category: the points it missed (the sum of its measures').
    pub category_points_missed: Vec<f64>,
}

/// What [`Model::score_columns_with`] returns besides scores and bands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnOptions {
    /// Also return category scores and measure contributions as columns.
    pub breakdown: bool,
    /// `match` measures may be given as columns of codes: the index of the
    /// value among the rule's `scores` keys in sorted order (0, 1, …), and
    /// the number of keys for any other value when the rule has an
    /// `otherwise`. Without it a `match` column is refused (`match_in_columns`).
    pub match_codes: bool,
    /// Also return every other number of a scorecard ([`FullColumns`]);
    /// implies `breakdown`.
    pub full: bool,
    /// The index of the first row in the caller's batch (errors carry
    /// indexes and paths counted from it).
    pub first_row: usize,
}

impl Model {
    /// Scores `rows` accounts given as columns: `columns[i]` is the column of
    /// the model's measure `i` (in model order), or `None` when not given
    /// (all missing). NaN means missing; a `flag` column holds 1 (true) or
    /// 0 (false). `match` measures cannot be given as columns.
    pub fn score_columns(
        &self,
        columns: &[Option<&[f64]>],
        rows: usize,
    ) -> Result<ColumnScores, Error> {
        self.score_columns_with(columns, rows, ColumnOptions::default())
    }

    /// [`Model::score_columns`] with options (a columnar breakdown, match
    /// codes, full results).
    pub fn score_columns_with(
        &self,
        columns: &[Option<&[f64]>],
        rows: usize,
        options: ColumnOptions,
    ) -> Result<ColumnScores, Error> {
        self.check_columns(columns, rows, options)?;
        Ok(self.score_columns_by_row(columns, rows, options, |row, i| {
            columns[i].map_or(Input::Missing, |c| cell(&self.measures[i].rule, c[row]))
        }))
    }

    fn check_columns(
        &self,
        columns: &[Option<&[f64]>],
        rows: usize,
        options: ColumnOptions,
    ) -> Result<(), Error> {
        if columns.len() != self.measures.len() {
            return Err(Error::new(
                "invalid_value",
                "columns",
                format!(
                    "{} columns for {} measures",
                    columns.len(),
                    self.measures.len()
                ),
                "give one entry per measure, in model order",
            ));
        }
        if rows.saturating_mul(self.measures.len()) > crate::limits::MAX_COLUMN_CELLS {
            return Err(crate::limits::too_large(
                "columns",
                "cells (rows × measures)",
                rows.saturating_mul(self.measures.len()),
                crate::limits::MAX_COLUMN_CELLS,
                "score the portfolio in parts",
            ));
        }
        if self.bands.len() >= BAND_REFUSED as usize {
            return Err(Error::new(
                "invalid_value",
                "bands",
                "too many bands for columnar results",
                "use at most 253 bands",
            ));
        }
        for (m, col) in self.measures.iter().zip(columns) {
            let Some(col) = col else { continue };
            let path = field("columns", &m.id);
            if matches!(m.rule.reads(), Reads::Text { .. }) && !options.match_codes {
                return Err(Error::new(
                    "match_in_columns",
                    path,
                    format!("measure `{}` is a match rule, whose text values cannot be a number column", m.id),
                    "score accounts with text values with scoreMany, or leave this column out (missing)",
                ));
            }
            if col.len() != rows {
                return Err(Error::new(
                    "column_length",
                    path,
                    format!("column `{}` has {} rows, expected {rows}", m.id, col.len()),
                    "give every column the same number of rows",
                ));
            }
        }
        Ok(())
    }

    /// The columnar path with the inputs of a refused row given by `input`
    /// (`input(row, measure)`): the kernel scores every row it can, the
    /// engine the rows it flags, with the inputs the caller knows (a
    /// calibration table keeps the text the cell came from).
    pub(crate) fn score_columns_by_row(
        &self,
        columns: &[Option<&[f64]>],
        rows: usize,
        options: ColumnOptions,
        input: impl Fn(usize, usize) -> Input,
    ) -> ColumnScores {
        let want = Want {
            breakdown: options.breakdown,
            full: options.full,
        };
        let mut k = kernel::run(self, columns, rows, BAND_INSUFFICIENT, want);
        let mut errors = Vec::new();
        let mut inputs = vec![Input::Missing; self.measures.len()];
        let refused: Vec<usize> = (0..rows).filter(|&r| k.refused[r]).collect();
        for row in refused {
            for (i, slot) in inputs.iter_mut().enumerate() {
                *slot = input(row, i);
            }
            let refs: Vec<&Input> = inputs.iter().collect();
            match engine::compute(self, &refs, &[]) {
                Ok(s) => self.write_row(&mut k, row, &s),
                Err(es) => {
                    k.scores[row] = f64::NAN;
                    k.bands[row] = BAND_REFUSED;
                    errors.extend(
                        es.into_iter()
                            .map(|e| BatchError::at(row + options.first_row, e)),
                    );
                    let rows = k.scores.len();
                    for c in 0..self.categories.len().min(k.categories.len()) {
                        k.categories[c * rows + row] = f64::NAN;
                    }
                    for i in 0..self.measures.len().min(k.contributions.len()) {
                        k.contributions[i * rows + row] = f64::NAN;
                    }
                }
            }
        }
        let full = k.full.take().map(|f| self.full_columns(&k, f));
        ColumnScores {
            scores: k.scores,
            bands: k.bands,
            errors,
            categories: k.categories,
            contributions: k.contributions,
            full,
        }
    }

    /// The full results of a columnar call: the kernel's columns, and per
    /// row what follows from the aggregation (`derived`: the engine's own
    /// definitions), so a scorecard built from them computes nothing.
    fn full_columns(&self, k: &Kernel, mut f: kernel::Full) -> FullColumns {
        let rows = k.scores.len();
        // (rows the engine rescored were listed after the kernel's)
        f.fired.sort_by_key(|&(r, _)| r);
        f.held.sort_by_key(|&(r, ..)| r);
        let (mut fired, mut held) = (f.fired.iter().peekable(), f.held.iter().peekable());
        let mut extras = Vec::new();
        let (mut caps, mut overrides) = (Vec::new(), Vec::new());
        for r in 0..rows {
            caps.clear();
            overrides.clear();
            while let Some(&(_, c)) = fired.next_if(|x| x.0 as usize == r) {
                caps.push(c as usize);
            }
            while let Some(&(_, o, before, after)) = held.next_if(|x| x.0 as usize == r) {
                overrides.push((o as usize, before, after));
            }
            if k.bands[r] == BAND_REFUSED {
                continue;
            }
            let score = Some(k.scores[r]).filter(|s| !s.is_nan());
            let row = derived::Row {
                score,
                coverage: f.coverage[r],
                penalty: f.penalty[r],
                caps: &caps,
                overrides: &overrides,
            };
            let x = self.extras(&row, |i| {
                (f.status[i * rows + r] == STATUS_PRESENT).then(|| f.normalized[i * rows + r])
            });
            if !x.is_default() {
                extras.push((r, x));
            }
        }
        let nc = self.categories.len();
        let mut category_contributions = vec![0.0; nc * rows];
        let mut category_points_missed = vec![0.0; nc * rows];
        for (c, cat) in self.categories.iter().enumerate() {
            for r in 0..rows {
                let at = |i: usize| i * rows + r;
                category_contributions[c * rows + r] =
                    cat.measures.clone().map(|i| k.contributions[at(i)]).sum();
                category_points_missed[c * rows + r] =
                    cat.measures.clone().map(|i| f.missed[at(i)]).sum();
            }
        }
        FullColumns {
            uncapped: f.uncapped,
            totals: f.totals,
            coverage: f.coverage,
            extras,
            status: f.status,
            partial: f.partial,
            normalized: f.normalized,
            weights: f.weights,
            points_missed: f.missed,
            category_weights: f.category_weights,
            category_contributions,
            category_points_missed,
        }
    }

    /// One row's results from the engine's state.
    fn write_row(&self, k: &mut Kernel, row: usize, s: &State) {
        let rows = k.scores.len();
        k.scores[row] = s.score.unwrap_or(f64::NAN);
        k.bands[row] = s.band.map_or(BAND_INSUFFICIENT, |b| b as u8);
        if !k.categories.is_empty() {
            for c in 0..self.categories.len() {
                k.categories[c * rows + row] = s.category_score[c]
                    .filter(|_| s.uncapped.is_some())
                    .map_or(f64::NAN, |g| 100.0 * g);
            }
            for i in 0..self.measures.len() {
                k.contributions[i * rows + row] = s.contribution[i];
            }
        }
        if let Some(f) = k.full.as_mut() {
            f.uncapped[row] = s.uncapped.unwrap_or(f64::NAN);
            f.totals[row] = s.total.unwrap_or(f64::NAN);
            f.coverage[row] = s.coverage;
            f.penalty[row] = if s.score.is_some() { s.penalty } else { 0.0 };
            f.fired
                .extend(s.caps.iter().map(|&c| (row as u32, c as u32)));
            f.held.extend(
                s.overrides
                    .iter()
                    .map(|&(o, before, after)| (row as u32, o as u32, before, after)),
            );
            for i in 0..self.measures.len() {
                let at = i * rows + row;
                f.status[at] = s.status[i] as u8;
                f.partial[at] = s.partial[i];
                f.normalized[at] = s.normalized[i];
                f.weights[at] = s.measure_weight[i];
                f.missed[at] = s.points_missed[i];
            }
            for c in 0..self.categories.len() {
                f.category_weights[c * rows + row] = s.category_weight[c];
            }
        }
    }
}

/// One cell as an input: NaN is missing; flags take 1 and 0; a `match`
/// cell is a code (the index of a key of the rule's scores).
fn cell(rule: &Rule, x: f64) -> Input {
    if x.is_nan() {
        return Input::Missing;
    }
    match rule.reads() {
        Reads::Flag if x == 1.0 => Input::Bool(true),
        Reads::Flag if x == 0.0 => Input::Bool(false),
        Reads::Text { scores, .. } if x >= 0.0 && x.fract() == 0.0 => scores
            .keys()
            .nth(x as usize)
            .map_or(Input::Number(x), |k| Input::Text(k.clone())),
        _ => Input::Number(x),
    }
}
