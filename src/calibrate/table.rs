//! Labelled rows for calibration, held by column: raw cells, an outcome
//! (churned or not, read by the caller's explicit rule), optionally a value.
//! Read from rows (`[{ column: value }]`), columns (`{ column: [values] }`)
//! or CSV text, in chunks if need be (`TableReader`, in reader.rs). Bad
//! rows are reported with their index and left out.

use super::options::TableOptions;
use super::reader::TableReader;
use crate::error::{Error, Errors};
use crate::model::{Reads, Rule};
use crate::score::typing::{self, CellRef};
use crate::score::{BatchError, Input};
use serde_json::Value;

pub use crate::limits::{MAX_TABLE_CELLS as MAX_CELLS, MAX_TABLE_COLUMNS as MAX_COLUMNS};

/// One cell: compact, the text kept in its column's dictionary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// Null, absent, or an empty CSV field.
    Missing,
    /// A JSON number.
    Number(f64),
    /// A JSON boolean.
    Bool(bool),
    /// Text: an index into the column's `texts`.
    Text(u32),
    /// An array or object (always refused), named by its JSON type.
    Other(&'static str),
}

/// A column of a table.
#[derive(Clone, Debug, Default)]
pub struct Column {
    /// Its name (the header).
    pub name: String,
    /// One cell per kept row.
    pub cells: Vec<Cell>,
    /// The distinct texts of its cells.
    pub texts: Vec<String>,
}

impl Column {
    /// The cell of row `r` as the typing policy reads it.
    pub fn cell(&self, r: usize) -> CellRef<'_> {
        self.view(self.cells[r])
    }

    fn view(&self, c: Cell) -> CellRef<'_> {
        match c {
            Cell::Missing => CellRef::Missing,
            Cell::Number(x) => CellRef::Number(x),
            Cell::Bool(b) => CellRef::Bool(b),
            Cell::Text(k) => CellRef::Text(&self.texts[k as usize]),
            Cell::Other(kind) => CellRef::Other(kind),
        }
    }

    /// The cell of row `r` as an input for `rule` (the typing policy for
    /// table cells: numeric text is a number, yes/no a flag, …).
    pub fn input(&self, rule: &Rule, r: usize) -> Input {
        typing::cell_input(rule, self.cell(r))
    }

    /// The whole column as the kernel reads it for a measure with `rule`:
    /// NaN for missing, flags 1/0, match codes; `f64::INFINITY` for a cell
    /// the rule refuses (the engine then reports why).
    pub fn kernel_column(&self, rule: &Rule, extra_missing: &[String]) -> Vec<f64> {
        // Each distinct text is typed once.
        let texts: Vec<f64> = self
            .texts
            .iter()
            .map(|t| {
                kernel_cell(
                    rule,
                    extra_missing,
                    typing::cell_input(rule, CellRef::Text(t)),
                )
            })
            .collect();
        self.cells
            .iter()
            .map(|c| match c {
                Cell::Text(k) => texts[*k as usize],
                other => kernel_cell(
                    rule,
                    extra_missing,
                    typing::cell_input(rule, self.view(*other)),
                ),
            })
            .collect()
    }
}

/// An input as a kernel cell for a rule.
fn kernel_cell(rule: &Rule, extra: &[String], input: Input) -> f64 {
    const REFUSED: f64 = f64::INFINITY;
    let typed = typing::strict(rule, extra, &input);
    match (rule.reads(), &*typed) {
        (_, Input::Missing) => f64::NAN,
        (Reads::Text { scores, otherwise }, Input::Text(t)) => {
            match scores.keys().position(|k| k == t) {
                Some(p) => p as f64,
                None if otherwise.is_some() => scores.len() as f64,
                None => REFUSED,
            }
        }
        (Reads::Flag, Input::Bool(b)) => f64::from(u8::from(*b)),
        (Reads::Number, Input::Number(x)) => *x,
        _ => REFUSED,
    }
}

/// A column of cells: values of any type, or numbers (NaN for missing).
#[derive(Clone, Debug)]
pub enum ColumnData<'a> {
    /// Cells as given (numbers, booleans, text, missing).
    Cells(Vec<CellRef<'a>>),
    /// Numbers; NaN is missing.
    Numbers(&'a [f64]),
}

impl ColumnData<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            ColumnData::Cells(v) => v.len(),
            ColumnData::Numbers(x) => x.len(),
        }
    }
}

/// How the outcome column was read.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OutcomeReading {
    /// The outcome column.
    pub column: String,
    /// Rows read as churned.
    pub churned: usize,
    /// Rows read as retained.
    pub retained: usize,
    /// The distinct values found (up to 20), with their count and reading:
    /// `churned`, `retained`, or `refused` (rows left out).
    pub values: Vec<OutcomeValue>,
}

/// A value of the outcome column.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OutcomeValue {
    /// The value, as text.
    pub value: String,
    /// Rows holding it.
    pub count: usize,
    /// `churned`, `retained` or `refused`.
    pub read_as: String,
}

/// The usable rows of a labelled table, by column.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// The feature columns, in first-seen order (outcome, value and id
    /// columns excluded).
    pub columns: Vec<Column>,
    /// Per kept row: churned?
    pub churned: Vec<bool>,
    /// Per kept row: its value (None when not given).
    pub values: Vec<Option<f64>>,
    /// Per kept row: its index in the input (0 for the first data row).
    pub index: Vec<usize>,
    /// Rows left out, with reasons (paths like `[12].Churn`).
    pub errors: Vec<BatchError>,
    /// How the outcome was read.
    pub outcome: OutcomeReading,
    /// The id column, when one was named.
    pub id_column: Option<String>,
    /// CSV input: rows whose fields were all blank, skipped.
    pub blank_rows: usize,
}

impl Table {
    /// Reads rows (`[{ column: value }]`), columns (`{ column: [values] }`)
    /// in one go.
    pub fn from_json(text: &str, opts: &TableOptions) -> Result<Table, Errors> {
        let doc = crate::error::parse_json(text, "the rows")?;
        Ok(Table::from_doc(&doc, opts)?)
    }

    pub(crate) fn from_doc(input: &Value, opts: &TableOptions) -> Result<Table, Error> {
        let mut r = TableReader::new(opts)?;
        r.add_json(input)?;
        r.finish()
    }

    /// Reads CSV text with a header row.
    pub fn from_csv(text: &str, opts: &TableOptions) -> Result<Table, Errors> {
        let mut r = TableReader::new(opts)?;
        r.add_csv(text)?;
        Ok(r.finish()?)
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
        self.columns.iter().position(|c| c.name == name)
    }

    /// The rows at `rows` (a split), keeping their input indexes.
    pub fn subset(&self, rows: &[usize]) -> Table {
        Table {
            columns: self
                .columns
                .iter()
                .map(|c| Column {
                    name: c.name.clone(),
                    cells: rows.iter().map(|&r| c.cells[r]).collect(),
                    texts: c.texts.clone(),
                })
                .collect(),
            churned: rows.iter().map(|&r| self.churned[r]).collect(),
            values: rows.iter().map(|&r| self.values[r]).collect(),
            index: rows.iter().map(|&r| self.index[r]).collect(),
            errors: Vec::new(),
            outcome: self.outcome.clone(),
            id_column: self.id_column.clone(),
            blank_rows: 0,
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
