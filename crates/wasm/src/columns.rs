//! The columnar bindings of a model: column staging memory filled in place
//! from JS, the kernel's results as typed arrays (scores, bands, the full
//! breakdown a scorecard is built from), their summary, and the priority
//! order of a portfolio given as columns.

use super::model::{objective_of, WasmModel};
use super::{thrown, to_json};
use customer_health::error::Error;
use customer_health::score::{ColumnOptions, FullColumns};
use wasm_bindgen::prelude::*;

/// The result of a columnar scoring call.
#[wasm_bindgen]
pub struct ColumnResult {
    scores: Vec<f64>,
    bands: Vec<u8>,
    errors: String,
    categories: Vec<f64>,
    contributions: Vec<f64>,
    full: Option<FullColumns>,
}

#[wasm_bindgen]
impl ColumnResult {
    /// Scores (NaN where refused or without any value).
    #[wasm_bindgen(js_name = takeScores)]
    pub fn take_scores(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.scores)
    }
    /// Band indexes (255 insufficient data, 254 refused).
    #[wasm_bindgen(js_name = takeBands)]
    pub fn take_bands(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bands)
    }
    /// Refused rows as a JSON array of `{ index, code, path, message, help }`.
    pub fn errors(&self) -> String {
        self.errors.clone()
    }
    /// With a breakdown: category scores, category-major (empty otherwise).
    #[wasm_bindgen(js_name = takeCategories)]
    pub fn take_categories(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.categories)
    }
    /// With a breakdown: measure contributions, measure-major (empty otherwise).
    #[wasm_bindgen(js_name = takeContributions)]
    pub fn take_contributions(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.contributions)
    }
    /// With full results, a column of numbers by name: `uncapped`,
    /// `totals`, `coverage` (per row), `partial`, `normalized`, `weights`,
    /// `pointsMissed` (measure-major), `categoryWeights`,
    /// `categoryContributions`, `categoryPointsMissed` (category-major).
    #[wasm_bindgen(js_name = takeFull)]
    pub fn take_full(&mut self, name: &str) -> Vec<f64> {
        let Some(f) = self.full.as_mut() else {
            return Vec::new();
        };
        std::mem::take(match name {
            "uncapped" => &mut f.uncapped,
            "totals" => &mut f.totals,
            "coverage" => &mut f.coverage,
            "partial" => &mut f.partial,
            "normalized" => &mut f.normalized,
            "weights" => &mut f.weights,
            "pointsMissed" => &mut f.points_missed,
            "categoryWeights" => &mut f.category_weights,
            "categoryContributions" => &mut f.category_contributions,
            "categoryPointsMissed" => &mut f.category_points_missed,
            _ => return Vec::new(),
        })
    }
    /// With full results: each measure's status per row (measure-major: 0
    /// present, 1 skipped, 2 neutral, 3 worst, 4 imputed).
    #[wasm_bindgen(js_name = takeStatus)]
    pub fn take_status(&mut self) -> Vec<u8> {
        self.full
            .as_mut()
            .map_or_else(Vec::new, |f| std::mem::take(&mut f.status))
    }
    /// With full results: what else each row's scorecard shows besides its
    /// aggregation (the low-coverage flag, the coverage penalty, caps, the
    /// CSM's disagreements, overrides), as JSON text: `[[row, extras], …]`
    /// for the rows where any of it differs from its default.
    #[wasm_bindgen(js_name = extrasJson)]
    pub fn extras_json(&self) -> String {
        self.full
            .as_ref()
            .map_or_else(|| "[]".into(), |f| to_json(&f.extras))
    }
}

#[wasm_bindgen]
impl WasmModel {
    /// Makes room for `rows` rows of every measure and returns a view of it
    /// (measure-major: measure `i` at `i * rows`). The view is valid until the
    /// next call into this module. With `missing`, every cell starts as NaN
    /// (missing); without, cells keep what they held (the caller writes every
    /// cell of the columns it marks as given, and the others are not read).
    #[wasm_bindgen(js_name = columnBuffer)]
    pub fn column_buffer(
        &mut self,
        rows: usize,
        missing: bool,
    ) -> Result<js_sys::Float64Array, String> {
        let m = self.model.measure_ids().count();
        // Checked before any allocation; an allocation that still fails is
        // refused, not a trap.
        let len = rows
            .checked_mul(m)
            .filter(|&n| n <= customer_health::limits::MAX_COLUMN_CELLS)
            .ok_or_else(|| {
                thrown(vec![customer_health::limits::too_large(
                    "",
                    "cells (rows × measures)",
                    rows.saturating_mul(m),
                    customer_health::limits::MAX_COLUMN_CELLS,
                    "score the portfolio in parts",
                )])
            })?;
        if missing {
            self.columns.clear();
        }
        self.columns.truncate(len);
        if self
            .columns
            .try_reserve_exact(len - self.columns.len())
            .is_err()
        {
            return Err(thrown(vec![Error::new(
                "too_large",
                "",
                format!("there is no memory for {len} cells (rows × measures)"),
                "score the portfolio in smaller parts",
            )]));
        }
        self.columns.resize(len, f64::NAN);
        // SAFETY: the view is handed straight to JS, which fills it before any
        // other call into this module (that could grow memory) is made.
        Ok(unsafe { js_sys::Float64Array::view(&self.columns) })
    }

    /// Scores the rows staged with `columnBuffer`. `given[i]` is 0 when the
    /// caller passed no column for measure `i` (all missing). With
    /// `breakdown`, category scores and contributions come back too; with
    /// `match_codes`, match columns hold codes (see `metaJson`).
    #[wasm_bindgen(js_name = scoreStaged)]
    pub fn score_staged(
        &self,
        rows: usize,
        given: &[u8],
        breakdown: bool,
        match_codes: bool,
        full: bool,
        first_row: usize,
    ) -> Result<ColumnResult, String> {
        let m = self.model.measure_ids().count();
        if self.columns.len() != rows * m || given.len() != m {
            return Err(thrown(vec![Error::new(
                "internal_error",
                "",
                "the column buffer does not match the call",
                "call columnBuffer(rows) right before scoreStaged(rows)",
            )]));
        }
        let columns: Vec<Option<&[f64]>> = (0..m)
            .map(|i| (given[i] != 0).then(|| &self.columns[i * rows..(i + 1) * rows]))
            .collect();
        let out = self
            .model
            .score_columns_with(
                &columns,
                rows,
                ColumnOptions {
                    breakdown,
                    match_codes,
                    full,
                    first_row,
                },
            )
            .map_err(|e| thrown(vec![e]))?;
        Ok(ColumnResult {
            scores: out.scores,
            bands: out.bands,
            errors: to_json(&out.errors),
            categories: out.categories,
            contributions: out.contributions,
            full: out.full,
        })
    }

    /// The priority order of accounts given as columns: score (NaN: none),
    /// value (NaN: unknown), band index (as `scoreColumns` gives them), 1
    /// where the trend is rising, and the ids as a JSON array (the last
    /// tie-break; UTF-8). The same order and priorities as `prioritise`.
    #[wasm_bindgen(js_name = priorityOrder)]
    pub fn priority_order(
        &self,
        scores: &[f64],
        values: &[f64],
        bands: &[u8],
        rising: &[u8],
        ids: &[u8],
        objective: &str,
    ) -> Result<PriorityOrder, String> {
        let objective = objective_of(objective)?;
        let ids = super::boundary::texts(ids).map_err(|e| {
            thrown(vec![Error::new(
                "wrong_type",
                "ids",
                format!("the ids are not a JSON array of text: {e}"),
                "pass the account ids",
            )])
        })?;
        let n = scores.len();
        if [values.len(), bands.len(), rising.len(), ids.len()]
            .iter()
            .any(|&l| l != n)
        {
            return Err(thrown(vec![Error::new(
                "column_length",
                "",
                "the columns differ in length",
                "give one entry per account in every column",
            )]));
        }
        let top = u8::try_from(self.model.bands().len().saturating_sub(1)).unwrap_or(u8::MAX);
        let rows: Vec<customer_health::portfolio::PriorityRow> = (0..n)
            .map(|i| customer_health::portfolio::PriorityRow {
                score: (!scores[i].is_nan()).then_some(scores[i]),
                value: (!values[i].is_nan()).then_some(values[i]),
                top_band: bands[i] == top,
                rising: rising[i] != 0,
                id: &ids[i].0,
            })
            .collect();
        let order = customer_health::portfolio::priority_order(&rows, objective);
        Ok(PriorityOrder::of(order))
    }

    /// The portfolio summary of columnar results (scores, band indexes,
    /// values with NaN for unknown), as JSON: the same as `summarize` over
    /// the same accounts' scorecards.
    #[wasm_bindgen(js_name = summarizeColumns)]
    pub fn summarize_columns(
        &self,
        scores: &[f64],
        bands: &[u8],
        values: &[f64],
        low: &[u8],
    ) -> String {
        to_json(&self.model.summarize_columns(scores, bands, values, low))
    }

    /// The model as the JS wrapper uses it (read once per model), as JSON:
    /// a `ModelInfo` (bands, categories with their measures, what each
    /// measure reads, a match rule's texts in the order of their codes).
    #[wasm_bindgen(js_name = metaJson)]
    pub fn meta_json(&self) -> String {
        to_json(&self.model.describe())
    }
}

/// A priority order: indexes into the rows given, highest priority first,
/// and each one's priority.
#[wasm_bindgen]
pub struct PriorityOrder {
    indexes: Vec<u32>,
    priorities: Vec<f64>,
}

impl PriorityOrder {
    /// From `(index, priority)` pairs in priority order.
    pub(crate) fn of(order: Vec<(usize, f64)>) -> PriorityOrder {
        PriorityOrder {
            indexes: order.iter().map(|&(i, _)| i as u32).collect(),
            priorities: order.iter().map(|&(_, p)| p).collect(),
        }
    }
}

#[wasm_bindgen]
impl PriorityOrder {
    /// The indexes, highest priority first (moved out: a second call is empty).
    #[wasm_bindgen(js_name = takeIndexes)]
    pub fn take_indexes(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.indexes)
    }
    /// Each index's priority, in the same order (moved out).
    #[wasm_bindgen(js_name = takePriorities)]
    pub fn take_priorities(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.priorities)
    }
}
