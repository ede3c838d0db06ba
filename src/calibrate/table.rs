//! Labelled rows for calibration: raw values, an outcome (churned or not) and
//! optionally a value; read from rows (`[{ column: value }]`) or columns
//! (`{ column: [values] }`). Bad rows are reported and left out.

use crate::error::{field, Error};
use crate::read;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Which columns hold the outcome and the value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TableOptions {
    /// The outcome column: true/false, 1/0, "Yes"/"No" (default `churned`).
    pub outcome: String,
    /// An optional value column (ARR or similar).
    pub value: Option<String>,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            outcome: "churned".into(),
            value: None,
        }
    }
}

/// A row refused, with its index and the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    /// The row's index in the input.
    pub index: usize,
    /// Stable code.
    pub code: String,
    /// Path like `[12].Churn`.
    pub path: String,
    /// Why.
    pub message: String,
}

impl RowError {
    /// The error of row `index`, its path prefixed with `[index]`.
    pub fn from(index: usize, e: Error) -> RowError {
        let e = e.prefixed(&crate::error::index("", index));
        RowError {
            index,
            code: e.code,
            path: e.path,
            message: e.message,
        }
    }
}

/// The usable rows: cells by column, outcome, value, and the input index.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Column names, in first-seen order (outcome and value excluded).
    pub columns: Vec<String>,
    /// Per kept row, its cells in `columns` order (null when absent).
    pub cells: Vec<Vec<Value>>,
    /// Per kept row: churned?
    pub churned: Vec<bool>,
    /// Per kept row: its value (None when not given).
    pub values: Vec<Option<f64>>,
    /// Per kept row: its index in the input.
    pub index: Vec<usize>,
    /// Rows left out, with reasons.
    pub errors: Vec<RowError>,
}

impl Table {
    /// Reads rows or columns. Fails only when the input is neither.
    pub fn from_json(input: &Value, opts: &TableOptions) -> Result<Table, Error> {
        let rows: Vec<Map<String, Value>> = match input {
            Value::Array(items) => items
                .iter()
                .map(|v| match v {
                    Value::Object(m) => m.clone(),
                    _ => Map::new(),
                })
                .collect(),
            Value::Object(cols) => columns_to_rows(cols)?,
            other => {
                return Err(Error::new(
                    "wrong_type",
                    "",
                    format!(
                        "rows must be an array of objects or an object of columns, not {}",
                        read::kind(other)
                    ),
                    "pass [{ column: value, … }] or { column: [values] }",
                ))
            }
        };
        let mut t = Table::default();
        for row in &rows {
            for k in row.keys() {
                if *k != opts.outcome && Some(k) != opts.value.as_ref() && !t.columns.contains(k) {
                    t.columns.push(k.clone());
                }
            }
        }
        for (i, row) in rows.iter().enumerate() {
            if let Value::Array(items) = input {
                if !items[i].is_object() {
                    t.errors.push(RowError::from(
                        i,
                        Error::new(
                            "wrong_type",
                            "",
                            format!("a row must be an object, not {}", read::kind(&items[i])),
                            "",
                        ),
                    ));
                    continue;
                }
            }
            let churned = match row.get(&opts.outcome).map(outcome) {
                Some(Some(b)) => b,
                Some(None) => {
                    t.errors.push(RowError::from(
                        i,
                        Error::new(
                            "invalid_outcome",
                            field("", &opts.outcome),
                            format!("`{}` is not an outcome", row[&opts.outcome]),
                            "",
                        ),
                    ));
                    continue;
                }
                None => {
                    t.errors.push(RowError::from(
                        i,
                        Error::new(
                            "missing_outcome",
                            field("", &opts.outcome),
                            format!("the row has no `{}`", opts.outcome),
                            "",
                        ),
                    ));
                    continue;
                }
            };
            let value = match opts.value.as_ref().and_then(|k| row.get(k).map(|v| (k, v))) {
                None | Some((_, Value::Null)) => None,
                Some((k, v)) => match number(v) {
                    Some(x) if x >= 0.0 => Some(x),
                    _ => {
                        t.errors.push(RowError::from(
                            i,
                            Error::new(
                                "invalid_value",
                                field("", k),
                                format!("`{v}` is not a value of 0 or more"),
                                "",
                            ),
                        ));
                        continue;
                    }
                },
            };
            t.cells.push(
                t.columns
                    .iter()
                    .map(|c| row.get(c).cloned().unwrap_or(Value::Null))
                    .collect(),
            );
            t.churned.push(churned);
            t.values.push(value);
            t.index.push(i);
        }
        Ok(t)
    }

    /// Number of usable rows.
    pub fn len(&self) -> usize {
        self.churned.len()
    }

    /// Whether there are no usable rows.
    pub fn is_empty(&self) -> bool {
        self.churned.is_empty()
    }

    /// The column's position.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The rows at `rows` (a split), keeping their input indexes.
    pub fn subset(&self, rows: &[usize]) -> Table {
        Table {
            columns: self.columns.clone(),
            cells: rows.iter().map(|&r| self.cells[r].clone()).collect(),
            churned: rows.iter().map(|&r| self.churned[r]).collect(),
            values: rows.iter().map(|&r| self.values[r]).collect(),
            index: rows.iter().map(|&r| self.index[r]).collect(),
            errors: Vec::new(),
        }
    }

    /// A stratified, seeded split: `test_share` of the churned rows and of the
    /// retained rows go to the test set. Returns (train, test) row positions.
    pub fn split(&self, test_share: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
        let mut rng = Rng(seed.max(1));
        let mut train = Vec::new();
        let mut test = Vec::new();
        for class in [true, false] {
            let mut rows: Vec<usize> = (0..self.len())
                .filter(|&r| self.churned[r] == class)
                .collect();
            // Fisher–Yates with a fixed generator: the same on every platform.
            for i in (1..rows.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                rows.swap(i, j);
            }
            let n_test = (rows.len() as f64 * test_share).round() as usize;
            test.extend_from_slice(&rows[..n_test]);
            train.extend_from_slice(&rows[n_test..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        (train, test)
    }
}

/// xorshift64*: small, fast and identical everywhere.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn columns_to_rows(cols: &Map<String, Value>) -> Result<Vec<Map<String, Value>>, Error> {
    let mut n = None;
    for (k, v) in cols {
        let Value::Array(items) = v else {
            return Err(Error::new(
                "wrong_type",
                field("", k),
                "a column must be an array",
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
    Ok((0..n)
        .map(|i| {
            cols.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_array().map_or(Value::Null, |a| a[i].clone()),
                    )
                })
                .collect()
        })
        .collect())
}

/// true/false, 1/0, "Yes"/"No" (any case, also "true"/"false"/"1"/"0").
pub(crate) fn outcome(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(1.0) => Some(true),
            Some(0.0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" | "y" => Some(true),
            "no" | "false" | "0" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A number, or a string that is one (CSV cells arrive as text).
pub(crate) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    }
}
