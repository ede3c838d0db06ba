//! Scoring a labelled table with the columnar kernel: every calibration
//! call scores its rows this way (not with one full scorecard per row).

use super::table::Table;
use crate::score::{BatchError, ColumnOptions, ColumnScores, Input};
use crate::Model;

impl Model {
    /// Scores every row of a table (columns named after measure ids are the
    /// measures' values, read by the typing policy for table cells). Refused
    /// rows have band 254 and their errors, with the row's input index, in
    /// `errors`. With `full`, every number a scorecard shows.
    pub fn score_table(&self, table: &Table, full: bool) -> ColumnScores {
        let cols: Vec<Option<usize>> = self.measures.iter().map(|m| table.column(&m.id)).collect();
        let data: Vec<Option<Vec<f64>>> = self
            .measures
            .iter()
            .zip(&cols)
            .map(|(m, c)| c.map(|c| table.columns[c].kernel_column(&m.rule, &m.missing_values)))
            .collect();
        let refs: Vec<Option<&[f64]>> = data.iter().map(|c| c.as_deref()).collect();
        let options = ColumnOptions {
            match_codes: true,
            full,
            ..Default::default()
        };
        // A refused row is rescored by the engine from the cells themselves,
        // so that its error names what the cell holds.
        let mut out =
            self.score_columns_by_row(&refs, table.len(), options, |row, i| match cols[i] {
                None => Input::Missing,
                Some(c) => table.columns[c].input(&self.measures[i].rule, row),
            });
        for e in &mut out.errors {
            let at = table.index[e.index];
            *e = BatchError::at(
                at,
                crate::Error::new(&e.code, strip(&e.path), &e.message, &e.help),
            );
        }
        out
    }
}

/// `[3].values.x` → `x`: a table cell's path is its column.
fn strip(path: &str) -> String {
    let rest = path.split_once(']').map_or(path, |(_, r)| r);
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    rest.strip_prefix("values")
        .map_or(rest, |r| r.strip_prefix('.').unwrap_or(r))
        .to_string()
}
