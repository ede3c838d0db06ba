//! Reading a calibration table: rows (`[{ column: value }]`), columns
//! (`{ column: [values] }`) or CSV text, in chunks if need be, into a
//! [`Table`]; then the outcome by the caller's explicit rule and the value
//! column, leaving out bad rows with their index.

use super::options::{Outcome, TableOptions};
use super::table::{Cell, Column, ColumnData, OutcomeValue, Table, MAX_CELLS, MAX_COLUMNS};
use crate::error::{field, Error};
use crate::limits::too_large_with;
use crate::read;
use crate::score::typing::{self, CellRef};
use crate::score::{BatchError, RawValue};
use serde_json::Value;
use std::collections::HashMap;

/// What to do about a table over the limits.
const ADVICE: &str = "split the table or sample its rows";

/// A column being read: cells and a dictionary of its texts.
#[derive(Default)]
struct Builder {
    column: Column,
    lookup: HashMap<String, u32>,
}

impl Builder {
    fn push(&mut self, v: &Value) {
        self.push_cell(CellRef::of(v));
    }

    fn push_cell(&mut self, v: CellRef) {
        let cell = match v {
            CellRef::Missing => Cell::Missing,
            CellRef::Bool(b) => Cell::Bool(b),
            CellRef::Number(x) => Cell::Number(x),
            CellRef::Text(s) => self.text(s),
            CellRef::Other(kind) => Cell::Other(kind),
        };
        self.column.cells.push(cell);
    }

    fn push_text(&mut self, s: &str) {
        let cell = if s.trim().is_empty() {
            Cell::Missing
        } else {
            self.text(s)
        };
        self.column.cells.push(cell);
    }

    fn text(&mut self, s: &str) -> Cell {
        if let Some(k) = self.lookup.get(s) {
            return Cell::Text(*k);
        }
        let k = self.column.texts.len() as u32;
        self.column.texts.push(s.to_string());
        self.lookup.insert(s.to_string(), k);
        Cell::Text(k)
    }
}

/// Reads a table in chunks (so that a caller can report progress), then
/// reads the outcome and value columns and leaves out bad rows.
pub struct TableReader {
    opts: TableOptions,
    outcome: Outcome,
    columns: Vec<Builder>,
    by_name: HashMap<String, usize>,
    rows: usize,
    /// Rows that are not objects: (index, JSON type).
    not_objects: Vec<(usize, &'static str)>,
    blank_rows: usize,
    outcome_values: Vec<OutcomeValue>,
    /// Rows refused while being read (a value JSON cannot carry), by index.
    refused: Vec<(usize, Error)>,
}

impl TableReader {
    /// A reader for rows labelled as `opts` says.
    pub fn new(opts: &TableOptions) -> Result<TableReader, Error> {
        let outcome = opts.outcome.clone().ok_or_else(|| {
            Error::new(
                "missing_field",
                "outcome",
                "the options do not say which column holds the outcome",
                "name the column and the values that mean churned, e.g. { outcome: { column: \"Churn\", churnedWhen: \"Yes\" } }",
            )
        })?;
        Ok(TableReader {
            opts: opts.clone(),
            outcome,
            columns: Vec::new(),
            by_name: HashMap::new(),
            rows: 0,
            not_objects: Vec::new(),
            blank_rows: 0,
            outcome_values: Vec::new(),
            refused: Vec::new(),
        })
    }

    /// Rows read so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Refuses row `row` (0 for the first row read) with an error whose
    /// path is within the row (`x`, not `[3].x`): it is left out and
    /// reported.
    pub fn refuse(&mut self, row: usize, error: Error) {
        self.refused.push((row, error));
    }

    fn column(&mut self, name: &str) -> Result<usize, Error> {
        if let Some(&i) = self.by_name.get(name) {
            return Ok(i);
        }
        if self.columns.len() >= MAX_COLUMNS + 3 {
            return Err(too_large_with(
                "",
                format!("more than {MAX_COLUMNS} columns"),
                MAX_COLUMNS,
                "columns",
                ADVICE,
            ));
        }
        let i = self.columns.len();
        let mut b = Builder::default();
        b.column.name = name.to_string();
        b.column.cells = vec![Cell::Missing; self.rows];
        self.columns.push(b);
        self.by_name.insert(name.to_string(), i);
        Ok(i)
    }

    fn check_size(&self, more_rows: usize, columns: usize) -> Result<(), Error> {
        let cells = (self.rows + more_rows).saturating_mul(columns.max(1));
        if cells > MAX_CELLS {
            return Err(too_large_with(
                "",
                format!(
                    "{} rows × {columns} columns is more than {MAX_CELLS} cells",
                    self.rows + more_rows
                ),
                MAX_CELLS,
                "cells",
                ADVICE,
            ));
        }
        Ok(())
    }

    /// Adds rows (`[{ column: value }]`) or columns (`{ column: [values] }`).
    pub fn add_json(&mut self, input: &Value) -> Result<(), Error> {
        match input {
            Value::Array(items) => {
                let width = items
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|o| o.len())
                    .max()
                    .unwrap_or(0);
                self.check_size(items.len(), width.max(self.columns.len()))?;
                for item in items {
                    match item {
                        Value::Object(map) => {
                            for (k, v) in map {
                                let c = self.column(k)?;
                                self.columns[c].push(v);
                            }
                        }
                        other => self.not_objects.push((self.rows, read::kind(other))),
                    }
                    self.rows += 1;
                    self.pad();
                }
                Ok(())
            }
            Value::Object(cols) => {
                let mut n = None;
                for (k, v) in cols {
                    let Value::Array(items) = v else {
                        return Err(Error::new(
                            "wrong_type",
                            field("", k),
                            format!("column `{k}` must be an array, not {}", read::kind(v)),
                            "pass { column: [values] }",
                        ));
                    };
                    match n {
                        None => n = Some(items.len()),
                        Some(m) if m != items.len() => {
                            return Err(Error::new(
                                "column_length",
                                field("", k),
                                format!("column `{k}` has {} rows, expected {m}", items.len()),
                                "give every column the same number of rows",
                            ))
                        }
                        _ => {}
                    }
                }
                let n = n.unwrap_or(0);
                self.check_size(n, cols.len().max(self.columns.len()))?;
                for (k, v) in cols {
                    let c = self.column(k)?;
                    for item in v.as_array().into_iter().flatten() {
                        self.columns[c].push(item);
                    }
                }
                self.rows += n;
                self.pad();
                Ok(())
            }
            other => Err(Error::new(
                "wrong_type",
                "",
                format!(
                    "rows must be an array of objects or an object of columns, not {}",
                    read::kind(other)
                ),
                "pass [{ column: value, … }] or { column: [values] }",
            )),
        }
    }

    /// Adds columns in the caller's order: `names[i]` holds `cells[i]`
    /// (every column as long as the first).
    pub fn add_columns(&mut self, names: &[String], cells: &[ColumnData]) -> Result<(), Error> {
        let n = cells.first().map_or(0, ColumnData::len);
        if names.len() != cells.len() {
            return Err(Error::new(
                "internal_error",
                "",
                "column names and columns do not match",
                "report this as a bug",
            ));
        }
        for (name, col) in names.iter().zip(cells) {
            if col.len() != n {
                return Err(Error::new(
                    "column_length",
                    field("", name),
                    format!("column `{name}` has {} rows, expected {n}", col.len()),
                    "give every column the same number of rows",
                ));
            }
        }
        self.check_size(n, names.len().max(self.columns.len()))?;
        for (name, col) in names.iter().zip(cells) {
            let c = self.column(name)?;
            let b = &mut self.columns[c];
            match col {
                ColumnData::Cells(items) => items.iter().for_each(|v| b.push_cell(*v)),
                // NaN is a missing number.
                ColumnData::Numbers(xs) => b.column.cells.extend(xs.iter().map(|&x| {
                    if x.is_finite() {
                        Cell::Number(x)
                    } else {
                        Cell::Missing
                    }
                })),
            }
        }
        self.rows += n;
        self.pad();
        Ok(())
    }

    /// Adds the rows of CSV text (with its header row; a later chunk must
    /// repeat the header).
    pub fn add_csv(&mut self, text: &str) -> Result<(), Error> {
        let csv = crate::csv::read_inner(text)?;
        self.check_size(csv.rows.len(), csv.header.len().max(self.columns.len()))?;
        let cols: Vec<usize> = csv
            .header
            .iter()
            .map(|h| self.column(h))
            .collect::<Result<_, _>>()?;
        for row in &csv.rows {
            for (c, f) in cols.iter().zip(row) {
                self.columns[*c].push_text(f);
            }
            self.rows += 1;
            self.pad();
        }
        self.blank_rows += csv.blank_rows;
        Ok(())
    }

    /// Every column as long as the rows read (absent keys are missing).
    fn pad(&mut self) {
        for b in &mut self.columns {
            b.column.cells.resize(self.rows, Cell::Missing);
        }
    }

    /// The table: outcome read, bad rows left out.
    pub fn finish(mut self) -> Result<Table, Error> {
        let outcome_name = self.outcome.column.clone();
        let Some(&oc) = self.by_name.get(&outcome_name) else {
            let names: Vec<&str> = self
                .columns
                .iter()
                .map(|b| b.column.name.as_str())
                .take(20)
                .collect();
            return Err(Error::new(
                "missing_outcome",
                "outcome.column",
                format!("there is no column `{outcome_name}`"),
                format!(
                    "name the outcome column; the columns are: {}",
                    names.join(", ")
                ),
            ));
        };
        let readings = self.read_outcome(oc)?;
        let vc = self
            .opts
            .value_column
            .as_ref()
            .and_then(|v| self.by_name.get(v).copied());
        let ic = self
            .opts
            .id_column
            .as_ref()
            .and_then(|v| self.by_name.get(v).copied());
        let mut t = Table {
            id_column: self.opts.id_column.clone(),
            blank_rows: self.blank_rows,
            ..Table::default()
        };
        let mut keep = Vec::new();
        let mut not_objects = self.not_objects.iter().peekable();
        self.refused.sort_by_key(|(r, _)| *r);
        let mut refused = self.refused.iter().peekable();
        for (r, reading) in readings.iter().enumerate() {
            let mut bad = false;
            while let Some((_, e)) = refused.next_if(|(i, _)| *i == r) {
                t.errors.push(BatchError::at(r, e.clone()));
                bad = true;
            }
            if bad {
                continue;
            }
            if let Some((_, kind)) = not_objects.next_if(|(i, _)| *i == r) {
                t.errors.push(BatchError::at(
                    r,
                    Error::new(
                        "wrong_type",
                        "",
                        format!("a row must be an object, not {kind}"),
                        "pass each row as { column: value, … }",
                    ),
                ));
                continue;
            }
            let churned = match reading {
                Ok(c) => *c,
                Err(e) => {
                    t.errors.push(BatchError::at(r, e.clone()));
                    continue;
                }
            };
            let value = match vc {
                None => None,
                Some(c) => match self.columns[c].column.cell(r) {
                    CellRef::Missing => None,
                    cell => match number(cell) {
                        Some(x) if x >= 0.0 => Some(x),
                        _ => {
                            let name = &self.columns[c].column.name;
                            t.errors.push(BatchError::at(
                                r,
                                Error::new(
                                    "invalid_value",
                                    field("", name),
                                    format!("`{}` is not a value of 0 or more", show(cell)),
                                    "give the account's value (ARR or similar) as a number, or leave it blank",
                                ),
                            ));
                            continue;
                        }
                    },
                },
            };
            keep.push(r);
            t.churned.push(churned);
            t.values.push(value);
            t.index.push(r);
        }
        let all = keep.len() == self.rows;
        for (c, b) in self.columns.into_iter().enumerate() {
            if c == oc || Some(c) == vc || Some(c) == ic {
                continue;
            }
            let mut column = b.column;
            if !all {
                column.cells = keep.iter().map(|&r| column.cells[r]).collect();
            }
            t.columns.push(column);
        }
        let churned = t.churned.iter().filter(|c| **c).count();
        t.outcome.churned = churned;
        t.outcome.retained = t.len() - churned;
        t.outcome.column = outcome_name;
        t.outcome.values = self.outcome_values;
        Ok(t)
    }
}

impl TableReader {
    /// Reads every row's outcome by the caller's rule; a table-wide problem
    /// (a column whose values cannot be read as churned or retained) is an
    /// error that lists the values found.
    fn read_outcome(&mut self, oc: usize) -> Result<Vec<Result<bool, Error>>, Error> {
        let col = &self.columns[oc].column;
        let key = |v: &RawValue| match v {
            RawValue::Number(x) => outcome_key(CellRef::Number(*x)),
            RawValue::Bool(b) => outcome_key(CellRef::Bool(*b)),
            RawValue::Text(t) => outcome_key(CellRef::Text(t)),
            RawValue::Series(_) => outcome_key(CellRef::Other("a series")),
        };
        let churned_when: Vec<String> =
            self.outcome.churned_when.values().iter().map(key).collect();
        let retained_when: Option<Vec<String>> = self
            .outcome
            .retained_when
            .as_ref()
            .map(|vs| vs.values().iter().map(key).collect());
        if churned_when.is_empty() {
            return Err(Error::new(
                "invalid_value",
                "outcome.churnedWhen",
                "churnedWhen names no value",
                "give the value (or values) of the outcome column that mean churned, e.g. \"Yes\" or 1",
            ));
        }
        // The distinct values, with counts, in first-seen order.
        let mut seen: Vec<(String, String, usize)> = Vec::new();
        let mut keys = Vec::with_capacity(self.rows);
        for r in 0..self.rows {
            let cell = col.cell(r);
            let k = match cell {
                CellRef::Missing | CellRef::Other(_) => None,
                CellRef::Text(t) if t.trim().is_empty() => None,
                c => Some(outcome_key(c)),
            };
            if let Some(k) = &k {
                match seen.iter_mut().find(|(x, _, _)| x == k) {
                    Some(e) => e.2 += 1,
                    None => seen.push((k.clone(), show(cell), 1)),
                }
            }
            keys.push(k);
        }
        let read_as = |k: &str| -> &'static str {
            if churned_when.iter().any(|c| c == k) {
                "churned"
            } else {
                match &retained_when {
                    Some(r) if !r.iter().any(|x| x == k) => "refused",
                    _ => "retained",
                }
            }
        };
        self.outcome_values = seen
            .iter()
            .take(20)
            .map(|(k, shown, n)| OutcomeValue {
                value: shown.clone(),
                count: *n,
                read_as: read_as(k).into(),
            })
            .collect();
        let found = || {
            seen.iter()
                .take(10)
                .map(|(_, shown, n)| format!("\"{shown}\" ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let name = col.name.clone();
        if retained_when.is_none() && seen.len() > 2 {
            return Err(Error::new(
                "invalid_outcome",
                "outcome",
                format!("the outcome column `{name}` has {} different values: {}", seen.len(), found()),
                "an outcome has two values; to read a column with more, list the values that mean retained too: { column, churnedWhen, retainedWhen }",
            ));
        }
        let n_churned: usize = seen
            .iter()
            .filter(|(k, _, _)| read_as(k) == "churned")
            .map(|e| e.2)
            .sum();
        let n_retained: usize = seen
            .iter()
            .filter(|(k, _, _)| read_as(k) == "retained")
            .map(|e| e.2)
            .sum();
        if n_churned == 0 || n_retained == 0 {
            let which = if n_churned == 0 {
                "churned"
            } else {
                "retained"
            };
            return Err(Error::new(
                "one_outcome",
                "outcome",
                format!("no row of `{name}` reads as {which}; the values found are: {}", found()),
                "check outcome.churnedWhen against the values found: calibration needs churned and retained accounts",
            ));
        }
        Ok(keys
            .into_iter()
            .map(|k| match k {
                None => Err(Error::new(
                    "missing_outcome",
                    field("", &name),
                    format!("the row has no `{name}`"),
                    "give every row an outcome, or leave the row out",
                )),
                Some(k) => match read_as(&k) {
                    "churned" => Ok(true),
                    "retained" => Ok(false),
                    _ => Err(Error::new(
                        "invalid_outcome",
                        field("", &name),
                        format!("`{k}` is neither a churned nor a retained value"),
                        "add it to outcome.churnedWhen or outcome.retainedWhen",
                    )),
                },
            })
            .collect())
    }
}

/// An outcome value compared by its text: trimmed, any case; numbers by
/// their canonical text (`1`, `1.0` and `"1"` are the same), booleans as
/// `true`/`false`.
fn outcome_key(c: CellRef) -> String {
    match c {
        CellRef::Number(x) => typing::number_text(x),
        CellRef::Bool(b) => b.to_string(),
        CellRef::Text(t) => match typing::number_of_text(t) {
            Some(x) => typing::number_text(x),
            None => t.trim().to_lowercase(),
        },
        CellRef::Missing | CellRef::Other(_) => String::new(),
    }
}

/// A cell for messages.
fn show(c: CellRef) -> String {
    match c {
        CellRef::Missing => "null".into(),
        CellRef::Number(x) => typing::number_text(x),
        CellRef::Bool(b) => b.to_string(),
        CellRef::Text(t) => t.chars().take(40).collect(),
        CellRef::Other(kind) => kind.into(),
    }
}

/// A number, or text that is one (CSV cells arrive as text).
fn number(c: CellRef) -> Option<f64> {
    match c {
        CellRef::Number(x) => Some(x),
        CellRef::Text(t) => typing::number_of_text(t),
        _ => None,
    }
}
