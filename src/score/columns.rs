//! Columnar scoring for large portfolios: one `f64` column per measure,
//! NaN for missing, flags as 0/1. Returns scores and band indexes, and on
//! request a columnar breakdown (category scores and measure contributions);
//! the arithmetic is the same as [`Model::score`], bit for bit (weighted
//! models go through a vectorised kernel, points models and refused rows
//! through the engine itself).

use super::account::Input;
use super::batch::BatchError;
use super::engine;
use super::kernel::Kernel;
use crate::error::{field, Error};
use crate::model::{Model, Rule};
use serde::{Deserialize, Serialize};

/// Band index of a row with too little data.
pub const BAND_INSUFFICIENT: u8 = 255;
/// Band index of a refused row (a bad value; see `errors`).
pub const BAND_REFUSED: u8 = 254;

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
}

/// What [`Model::score_columns_with`] returns besides scores and bands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnOptions {
    /// Also return category scores and measure contributions as columns.
    pub breakdown: bool,
    /// `match` measures may be given as columns of codes: the index of the
    /// value among the rule's `scores` keys in sorted order (0, 1, …).
    /// Without it a `match` column is refused (`match_in_columns`).
    pub match_codes: bool,
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

    /// [`Model::score_columns`] with options (a columnar breakdown).
    pub fn score_columns_with(
        &self,
        columns: &[Option<&[f64]>],
        rows: usize,
        options: ColumnOptions,
    ) -> Result<ColumnScores, Error> {
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
            if matches!(m.rule, Rule::Match { .. }) && !options.match_codes {
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
        // Weighted models go through the kernel, which leaves to the engine
        // only the rows it flags; points models go through the engine whole.
        let weighted = self.spec().aggregation == crate::model::Aggregation::Weighted;
        let mut k = if weighted {
            super::kernel::weighted(self, columns, rows, BAND_INSUFFICIENT, options.breakdown)
        } else {
            Kernel::for_engine(self, rows, BAND_INSUFFICIENT, options.breakdown)
        };
        let (n, nc) = (self.measures.len(), self.categories.len());
        let Kernel {
            scores,
            bands,
            refused,
            categories,
            contributions,
        } = &mut k;
        let mut errors = Vec::new();
        let mut inputs = vec![Input::Missing; n];
        for row in (0..rows).filter(|&r| refused[r]) {
            for (i, m) in self.measures.iter().enumerate() {
                inputs[i] = match columns[i] {
                    None => Input::Missing,
                    Some(col) => cell(&m.rule, col[row]),
                };
            }
            let refs: Vec<&Input> = inputs.iter().collect();
            match engine::compute(self, &refs, &[]) {
                Ok(s) => {
                    scores[row] = s.score.unwrap_or(f64::NAN);
                    bands[row] = s.band.map_or(BAND_INSUFFICIENT, |b| b as u8);
                    if options.breakdown {
                        for c in 0..nc {
                            categories[c * rows + row] = s.category_score[c]
                                .filter(|_| s.uncapped.is_some())
                                .map_or(f64::NAN, |g| 100.0 * g);
                        }
                        for i in 0..n {
                            contributions[i * rows + row] = s.contribution[i];
                        }
                    }
                }
                Err(es) => {
                    scores[row] = f64::NAN;
                    bands[row] = BAND_REFUSED;
                    errors.extend(es.into_iter().map(|e| BatchError::at(row, e)));
                    if options.breakdown {
                        for c in 0..nc {
                            categories[c * rows + row] = f64::NAN;
                        }
                        for i in 0..n {
                            contributions[i * rows + row] = f64::NAN;
                        }
                    }
                }
            }
        }
        Ok(ColumnScores {
            scores: k.scores,
            bands: k.bands,
            errors,
            categories: k.categories,
            contributions: k.contributions,
        })
    }
}

/// One cell as an input: NaN is missing; flags take 1 and 0; a `match`
/// cell is a code (the index of a key of the rule's scores).
fn cell(rule: &Rule, x: f64) -> Input {
    if x.is_nan() {
        return Input::Missing;
    }
    match rule {
        Rule::Flag { .. } if x == 1.0 => Input::Bool(true),
        Rule::Flag { .. } if x == 0.0 => Input::Bool(false),
        Rule::Match { scores, .. } if x >= 0.0 && x.fract() == 0.0 => scores
            .keys()
            .nth(x as usize)
            .map_or(Input::Number(x), |k| Input::Text(k.clone())),
        _ => Input::Number(x),
    }
}
