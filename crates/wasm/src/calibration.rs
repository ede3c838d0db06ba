//! Calibration through the bindings: a job that takes rows in chunks and
//! works in steps (backtest, fit, band edges, suggest), so that the JS
//! wrapper can report progress and stop between steps.

use super::{boundary, thrown, to_json};
use customer_health::calibrate::{ColumnData, Job, JobKind};
use customer_health::error::{field, Error};
use customer_health::score::typing::CellRef;
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
                let text = boundary::clean(&text).map_err(thrown)?;
                Some(customer_health::Model::from_json(&text).map_err(thrown)?)
            }
            None => None,
        };
        let opts = match &options {
            Some(text) => Some(boundary::clean(text).map_err(thrown)?),
            None => None,
        };
        let job = Job::new(kind, model, opts.as_deref()).map_err(thrown)?;
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
                                        path: customer_health::error::join(&path, &e.path),
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
        job.add_json(&doc.to_string()).map_err(thrown)?;
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
        // Numeric columns borrow `numbers`; the others are read from `cells`.
        let mut kinds: Vec<Option<&[f64]>> = Vec::with_capacity(names.len());
        let mut cells: Vec<Vec<Value>> = Vec::new();
        for (name, is_number) in names.iter().zip(numeric) {
            if *is_number != 0 {
                kinds.push(Some(if rows == 0 {
                    &[]
                } else {
                    next_numbers.next().unwrap_or(&[])
                }));
                continue;
            }
            kinds.push(None);
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
                    let path = customer_health::error::join(&field("", name), &e.path);
                    refused.push((offset + k, Error { path, ..e }));
                    *cell = Value::Null;
                }
            }
            cells.push(col);
        }
        let mut cells = cells.iter();
        let cols: Vec<ColumnData> = kinds
            .into_iter()
            .map(|k| match k {
                Some(numbers) => ColumnData::Numbers(numbers),
                None => ColumnData::Cells(
                    cells
                        .next()
                        .map(|col| col.iter().map(cell_of).collect())
                        .unwrap_or_default(),
                ),
            })
            .collect();
        job.add_columns(&names, &cols).map_err(thrown)?;
        for (row, e) in refused {
            job.refuse_row(row, e);
        }
        Ok(())
    }

    /// Adds CSV text (with its header row).
    #[wasm_bindgen(js_name = addCsv)]
    pub fn add_csv(&mut self, text: &str) -> Result<(), String> {
        self.job()?.add_csv(text).map_err(thrown)
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
        job.finish().map(|r| to_json(&r)).map_err(thrown)
    }
}

/// A JSON cell as the core's table reader takes it.
fn cell_of(v: &Value) -> CellRef<'_> {
    match v {
        Value::Null => CellRef::Missing,
        Value::Bool(b) => CellRef::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(CellRef::Missing, CellRef::Number),
        Value::String(s) => CellRef::Text(s),
        Value::Array(_) => CellRef::Other("an array"),
        Value::Object(_) => CellRef::Other("an object"),
    }
}
