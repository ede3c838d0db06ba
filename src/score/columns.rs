//! Columnar scoring for large portfolios: one `f64` column per measure,
//! NaN for missing, flags as 0/1. Returns scores and band indexes only; the
//! arithmetic is the same as [`Model::score`] (it runs the same engine).

use super::account::Input;
use super::batch::BatchError;
use super::engine;
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
            if matches!(m.rule, Rule::Match { .. }) {
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
        let fast = (self.spec().aggregation == crate::model::Aggregation::Weighted)
            .then(|| super::kernel::weighted(self, columns, rows, BAND_INSUFFICIENT));
        let mut scores = Vec::with_capacity(rows);
        let mut bands = Vec::with_capacity(rows);
        let mut errors = Vec::new();
        let mut inputs = vec![Input::Missing; self.measures.len()];
        for row in 0..rows {
            if let Some(k) = &fast {
                if !k.refused[row] {
                    scores.push(k.scores[row]);
                    bands.push(k.bands[row]);
                    continue;
                }
            }
            for (i, m) in self.measures.iter().enumerate() {
                inputs[i] = match columns[i] {
                    None => Input::Missing,
                    Some(col) => cell(&m.rule, col[row]),
                };
            }
            let refs: Vec<&Input> = inputs.iter().collect();
            match engine::compute(self, &refs, &[]) {
                Ok(s) => {
                    scores.push(s.score.unwrap_or(f64::NAN));
                    bands.push(s.band.map_or(BAND_INSUFFICIENT, |b| b as u8));
                }
                Err(es) => {
                    scores.push(f64::NAN);
                    bands.push(BAND_REFUSED);
                    errors.extend(es.into_iter().map(|e| BatchError::at(row, e)));
                }
            }
        }
        Ok(ColumnScores {
            scores,
            bands,
            errors,
        })
    }
}

/// One cell as an input: NaN is missing; flags take 1 and 0.
fn cell(rule: &Rule, x: f64) -> Input {
    if x.is_nan() {
        return Input::Missing;
    }
    match rule {
        Rule::Flag { .. } if x == 1.0 => Input::Bool(true),
        Rule::Flag { .. } if x == 0.0 => Input::Bool(false),
        _ => Input::Number(x),
    }
}
