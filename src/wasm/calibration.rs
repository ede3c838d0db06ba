//! Calibration through the bindings: backtest, fit, band edges, suggest.

use super::{boundary, thrown, to_json, WasmModel};
use crate::calibrate::{BandTargets, FitOptions, RowError, SuggestOptions, Table, TableOptions};
use crate::error::Error;
use crate::Model;
use wasm_bindgen::prelude::*;

/// Options for the calibration calls (each call uses the ones it needs).
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CalibrationOptions {
    outcome: Option<String>,
    value: Option<String>,
    test_share: Option<f64>,
    seed: Option<u64>,
    lambda: Option<f64>,
    iterations: Option<usize>,
    skip: Option<Vec<String>>,
    percentile: Option<f64>,
    band_shares: Option<Vec<f64>>,
    id: Option<String>,
    shares: Option<Vec<f64>>,
    churn_rates: Option<Vec<f64>>,
}

impl CalibrationOptions {
    fn read(text: Option<String>) -> Result<CalibrationOptions, String> {
        let Some(text) = text else {
            return Ok(CalibrationOptions::default());
        };
        let doc = boundary::parse(&text, "the options").map_err(thrown)?;
        serde_json::from_value(doc).map_err(|e| {
            thrown(vec![Error::new(
                "invalid_value",
                "options",
                format!("bad options: {e}"),
                "see the calibration options in the docs",
            )])
        })
    }

    /// Reads the rows; a row holding a value JSON cannot carry (NaN…) is
    /// left out and reported like any bad row.
    fn table(&self, rows: &str) -> Result<Table, String> {
        let mut doc = boundary::parse_raw(rows, "the rows").map_err(thrown)?;
        let mut marked: Vec<(usize, Vec<Error>)> = Vec::new();
        match &mut doc {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let errors = boundary::check(item);
                    if !errors.is_empty() {
                        *item = serde_json::Value::Null;
                        marked.push((i, errors));
                    }
                }
            }
            other => {
                let errors = boundary::check(other);
                if !errors.is_empty() {
                    return Err(thrown(errors));
                }
            }
        }
        let opts = TableOptions {
            outcome: self.outcome.clone().unwrap_or_else(|| "churned".into()),
            value: self.value.clone(),
        };
        let mut table = Table::from_json(&doc, &opts).map_err(|e| thrown(vec![e]))?;
        for (i, errors) in marked {
            table.errors.retain(|e| e.index != i);
            table
                .errors
                .extend(errors.into_iter().map(|e| RowError::from(i, e)));
        }
        table.errors.sort_by_key(|e| e.index);
        Ok(table)
    }

    fn fit(&self) -> FitOptions {
        let d = FitOptions::default();
        FitOptions {
            test_share: self.test_share.unwrap_or(d.test_share),
            seed: self.seed.unwrap_or(d.seed),
            lambda: self.lambda.unwrap_or(d.lambda),
            iterations: self.iterations.unwrap_or(d.iterations),
        }
    }
}

/// Builds a model from labelled rows: `{ model, columns, fit, backtest }`.
#[wasm_bindgen(js_name = suggestModel)]
pub fn suggest_model(rows: &str, options: Option<String>) -> Result<String, String> {
    let o = CalibrationOptions::read(options)?;
    let table = o.table(rows)?;
    let d = SuggestOptions::default();
    let opts = SuggestOptions {
        fit: o.fit(),
        skip: o.skip.clone().unwrap_or_default(),
        percentile: o.percentile.unwrap_or(d.percentile),
        band_shares: o.band_shares.clone().unwrap_or(d.band_shares),
        id: o.id.clone().unwrap_or(d.id),
    };
    Ok(to_json(
        &Model::suggest(&table, &opts).map_err(|e| thrown(vec![e]))?,
    ))
}

#[wasm_bindgen]
impl WasmModel {
    /// Backtests the model on labelled rows.
    pub fn backtest(&self, rows: &str, options: Option<String>) -> Result<String, String> {
        let o = CalibrationOptions::read(options)?;
        Ok(to_json(&self.model.backtest(&o.table(rows)?)))
    }

    /// Fits the weights to labelled rows.
    pub fn fit(&self, rows: &str, options: Option<String>) -> Result<String, String> {
        let o = CalibrationOptions::read(options)?;
        let table = o.table(rows)?;
        Ok(to_json(
            &self
                .model
                .fit(&table, &o.fit())
                .map_err(|e| thrown(vec![e]))?,
        ))
    }

    /// Suggests band edges from labelled rows.
    #[wasm_bindgen(js_name = suggestBands)]
    pub fn suggest_bands(&self, rows: &str, options: Option<String>) -> Result<String, String> {
        let o = CalibrationOptions::read(options)?;
        let table = o.table(rows)?;
        let targets = BandTargets {
            shares: o.shares.clone(),
            churn_rates: o.churn_rates.clone(),
        };
        Ok(to_json(
            &self
                .model
                .suggest_bands(&table, &targets)
                .map_err(|e| thrown(vec![e]))?,
        ))
    }
}
