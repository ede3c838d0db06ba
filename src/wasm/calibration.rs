//! Calibration through the bindings: a job that takes rows in chunks and
//! works in steps (backtest, fit, band edges, suggest), so that the JS
//! wrapper can report progress and stop between steps.

use super::{boundary, thrown, to_json};
use crate::calibrate::{ColumnData, Job, JobKind};
use crate::error::{field, Error};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// A calibration call in progress.
#[wasm_bindgen]
pub struct CalibrationJob {
    job: Option<Job>,
}

#[wasm_bindgen]
impl CalibrationJob {
    /// A calibration job: `kind` is `backtest`, `fit` or `suggestBands` (on
    /// `model`, its JSON text) or `suggest` (no model); `options` JSON text.
    #[wasm_bindgen(constructor)]
    pub fn new(
        kind: &str,
        model: Option<String>,
        options: Option<String>,
    ) -> Result<CalibrationJob, String> {
        let kind = JobKind::parse(kind).ok_or_else(|| {
            thrown(vec![Error::new(
                "internal_error",
                "",
                format!("`{kind}` is not a calibration call"),
                "report this as a bug",
            )])
        })?;
        let model = match model {
            Some(text) => {
                let doc = boundary::parse(&text, "the model").map_err(thrown)?;
                Some(crate::Model::from_value(&doc).map_err(|e| thrown(e.0))?)
            }
            None => None,
        };
        let opts = match options {
            Some(text) => Some(boundary::parse(&text, "the options").map_err(thrown)?),
            None => None,
        };
        let job = Job::new(kind, model, opts.as_ref()).map_err(|e| thrown(vec![e]))?;
        Ok(CalibrationJob { job: Some(job) })
    }

    fn job(&mut self) -> Result<&mut Job, String> {
        self.job.as_mut().ok_or_else(|| {
            thrown(vec![Error::new(
                "internal_error",
                "",
                "the job is finished",
                "start a new call",
            )])
        })
    }

    /// Adds a chunk of rows (`[{ column: value }]`) or columns
    /// (`{ column: [values] }`) as JSON text. A row holding a value JSON
    /// cannot carry (NaN…) is left out and reported like any bad row.
    #[wasm_bindgen(js_name = addRows)]
    pub fn add_rows(&mut self, text: &str) -> Result<(), String> {
        let job = self.job()?;
        let mut doc = boundary::parse_raw(text, "the rows").map_err(thrown)?;
        let offset = job.rows();
        let mut refused: Vec<(usize, Error)> = Vec::new();
        match &mut doc {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    for e in boundary::check(item) {
                        refused.push((offset + i, e));
                    }
                }
            }
            Value::Object(cols) => {
                for (name, col) in cols.iter_mut() {
                    if let Value::Array(cells) = col {
                        for (k, cell) in cells.iter_mut().enumerate() {
                            for e in boundary::check(cell) {
                                let path = field("", name);
                                refused.push((
                                    offset + k,
                                    Error {
                                        path: crate::error::join(&path, &e.path),
                                        ..e
                                    },
                                ));
                                *cell = Value::Null;
                            }
                        }
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
        if let Value::Array(items) = &mut doc {
            for (i, _) in &refused {
                items[i - offset] = Value::Null;
            }
        }
        job.add_json(&doc).map_err(|e| thrown(vec![e]))?;
        for (row, e) in refused {
            job.refuse_row(row, e);
        }
        Ok(())
    }

    /// Adds columns in the caller's order: `names` a JSON array of column
    /// names; `numeric[i]` 1 when column `i` is all numbers (then it is the
    /// next `rows` of `numbers`, NaN for missing), else the next array of
    /// `cells` (JSON text: an array of arrays of cells). A row holding a
    /// value JSON cannot carry (NaN…) is left out and reported.
    #[wasm_bindgen(js_name = addColumns)]
    pub fn add_columns(
        &mut self,
        names: &str,
        cells: &str,
        numbers: &[f64],
        numeric: &[u8],
        rows: usize,
    ) -> Result<(), String> {
        let job = self.job()?;
        let bug = |m: String| {
            thrown(vec![Error::new(
                "internal_error",
                "",
                m,
                "report this as a bug",
            )])
        };
        let names: Vec<String> =
            serde_json::from_str(names).map_err(|e| bug(format!("column names: {e}")))?;
        let doc = boundary::parse_raw(cells, "the rows").map_err(thrown)?;
        let Value::Array(texts) = doc else {
            return Err(bug("columns must be an array".into()));
        };
        if numeric.len() != names.len()
            || numbers.len() != rows * numeric.iter().filter(|n| **n != 0).count()
        {
            return Err(bug("numeric columns do not match".into()));
        }
        let offset = job.rows();
        let mut refused: Vec<(usize, Error)> = Vec::new();
        let mut texts = texts.into_iter();
        let mut next_numbers = numbers.chunks(rows.max(1));
        let mut cols = Vec::with_capacity(names.len());
        for (name, is_number) in names.iter().zip(numeric) {
            if *is_number != 0 {
                cols.push(ColumnData::Numbers(if rows == 0 {
                    &[]
                } else {
                    next_numbers.next().unwrap_or(&[])
                }));
                continue;
            }
            let Some(Value::Array(mut col)) = texts.next() else {
                return Err(thrown(vec![Error::new(
                    "wrong_type",
                    field("", name),
                    format!("column `{name}` must be an array"),
                    "pass { column: [values] }",
                )]));
            };
            for (k, cell) in col.iter_mut().enumerate() {
                for e in boundary::check(cell) {
                    let path = crate::error::join(&field("", name), &e.path);
                    refused.push((offset + k, Error { path, ..e }));
                    *cell = Value::Null;
                }
            }
            cols.push(ColumnData::Values(col));
        }
        job.add_columns(&names, &cols)
            .map_err(|e| thrown(vec![e]))?;
        for (row, e) in refused {
            job.refuse_row(row, e);
        }
        Ok(())
    }

    /// Adds CSV text (with its header row).
    #[wasm_bindgen(js_name = addCsv)]
    pub fn add_csv(&mut self, text: &str) -> Result<(), String> {
        self.job()?.add_csv(text).map_err(|e| thrown(vec![e]))
    }

    /// Does the next piece of work; returns the progress as JSON text
    /// (`{ phase, done, total }`), or nothing when the result is ready.
    pub fn step(&mut self) -> Result<Option<String>, String> {
        Ok(self.job()?.step().map(|p| to_json(&p)))
    }

    /// The result as JSON text (throws the call's error). Ends the job.
    pub fn result(&mut self) -> Result<String, String> {
        let job = self.job.take().ok_or_else(|| {
            thrown(vec![Error::new(
                "internal_error",
                "",
                "the job is finished",
                "start a new call",
            )])
        })?;
        job.finish()
            .map(|r| to_json(&r))
            .map_err(|e| thrown(vec![e]))
    }
}
