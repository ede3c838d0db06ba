//! A model set over columns: the model chosen per row (by its segment,
//! value and fields, as for an account), each model's kernel over its rows,
//! the results merged with band codes into the set's band ids; and the
//! set's replay and priority order.

use super::columns::{BAND_INSUFFICIENT, BAND_OTHER, BAND_REFUSED};
use super::{Account, BatchError, Input, ModelSet};
use crate::error::{Error, Errors};
use crate::history::{Replay, StoredInputs};
use crate::portfolio::{priority_order, Objective, PriorityRow};

/// What a set reads of each row of columns to choose its model: the rows'
/// segments, values (NaN when unknown) and fields (by name, a value per
/// row). Any of them may be absent: a condition on what is absent does not
/// hold.
#[derive(Clone, Debug, Default)]
pub struct RowChoice<'a> {
    /// Each row's segment.
    pub segments: Option<&'a [Option<String>]>,
    /// Each row's value (NaN: unknown).
    pub values: Option<&'a [f64]>,
    /// Fields by name, a value per row.
    pub fields: Vec<(String, Vec<Input>)>,
}

/// The result of [`ModelSet::score_columns`].
#[derive(Clone, Debug, PartialEq)]
pub struct SetColumnScores {
    /// Score per row (NaN without one).
    pub scores: Vec<f64>,
    /// Band code per row: an index into [`ModelSet::band_ids`], 255
    /// insufficient data, 254 refused.
    pub bands: Vec<u8>,
    /// The model that scored each row: its index in the set.
    pub models: Vec<u8>,
    /// One entry per problem in a refused row.
    pub errors: Vec<BatchError>,
}

impl ModelSet {
    /// Every measure id of the set's models, once, in model order.
    pub fn measure_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for m in self.models() {
            for id in m.measure_ids() {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// The index (in the set) of the model that applies to row `r`.
    fn choose(&self, choice: &RowChoice, r: usize) -> usize {
        let segment = choice
            .segments
            .and_then(|s| s.get(r))
            .and_then(Option::as_deref);
        let value = choice
            .values
            .and_then(|v| v.get(r))
            .copied()
            .filter(|v| !v.is_nan());
        self.entries
            .iter()
            .position(|(w, _)| {
                w.as_ref().is_none_or(|w| {
                    w.holds_on(segment, value, |name| {
                        choice
                            .fields
                            .iter()
                            .find(|(k, _)| k == name)
                            .and_then(|(_, col)| col.get(r))
                            .filter(|x| **x != Input::Missing)
                    })
                })
            })
            .unwrap_or(self.entries.len() - 1)
    }

    /// Scores rows given as columns (`columns`: by measure id, any of the
    /// set's measures), each with the model its segment, value and fields
    /// choose: each model's columnar kernel over its rows, bit for bit what
    /// that model's `score_columns` gives them. Band codes index
    /// [`ModelSet::band_ids`].
    pub fn score_columns(
        &self,
        columns: &[(&str, &[f64])],
        rows: usize,
        choice: &RowChoice,
    ) -> Result<SetColumnScores, Errors> {
        let ids = self.measure_ids();
        for (id, col) in columns {
            let path = crate::error::field("columns", id);
            if !ids.contains(id) {
                return Err(Error::new(
                    "unknown_measure",
                    path,
                    format!("no model of the set has a measure `{id}`"),
                    format!("the measures are: {}", ids.join(", ")),
                )
                .into());
            }
            if col.len() != rows {
                return Err(Error::new(
                    "column_length",
                    path,
                    format!("column `{id}` has {} rows, expected {rows}", col.len()),
                    "give every column the same number of rows",
                )
                .into());
            }
        }
        let chosen: Vec<usize> = (0..rows).map(|r| self.choose(choice, r)).collect();
        let band_ids = self.band_ids();
        let mut out = SetColumnScores {
            scores: vec![f64::NAN; rows],
            bands: vec![BAND_REFUSED; rows],
            models: chosen.iter().map(|&m| m as u8).collect(),
            errors: Vec::new(),
        };
        for (k, (_, model)) in self.entries.iter().enumerate() {
            let mine: Vec<usize> = (0..rows).filter(|&r| chosen[r] == k).collect();
            if mine.is_empty() {
                continue;
            }
            // This model's columns, for its rows.
            let cols: Vec<Option<Vec<f64>>> = model
                .measure_ids()
                .map(|id| {
                    columns
                        .iter()
                        .find(|(c, _)| *c == id)
                        .map(|(_, col)| mine.iter().map(|&r| col[r]).collect())
                })
                .collect();
            let refs: Vec<Option<&[f64]>> = cols.iter().map(|c| c.as_deref()).collect();
            let got = model.score_columns(&refs, mine.len())?;
            let code: Vec<u8> = model
                .bands()
                .iter()
                .map(|b| {
                    band_ids
                        .iter()
                        .position(|id| *id == b.id)
                        .map_or(BAND_OTHER, |i| i as u8)
                })
                .collect();
            for (j, &r) in mine.iter().enumerate() {
                out.scores[r] = got.scores[j];
                out.bands[r] = match got.bands[j] {
                    b @ (BAND_INSUFFICIENT | BAND_REFUSED) => b,
                    b => code[b as usize],
                };
            }
            out.errors.extend(got.errors.into_iter().map(|e| {
                let row = mine[e.index];
                let rest = e.path.strip_prefix(&format!("[{}]", e.index)).unwrap_or("");
                BatchError {
                    index: row,
                    path: format!("[{row}]{rest}"),
                    ..e
                }
            }));
        }
        out.errors.sort_by_key(|e| e.index);
        Ok(out)
    }

    /// Rescores stored raw inputs, each under the model that applies to
    /// it (some refused when read keep their errors); the replay's
    /// `modelHash` is the set's hash.
    pub fn replay_each<S: std::borrow::Borrow<StoredInputs>>(
        &self,
        items: &[Result<S, Errors>],
    ) -> Replay {
        let mut out = Replay {
            model_hash: self.hash().to_string(),
            points: Vec::new(),
            errors: Vec::new(),
        };
        // Each model replays the snapshots it applies to, at their indexes.
        let chosen: Vec<Option<usize>> = items
            .iter()
            .map(|i| {
                i.as_ref().ok().map(|s| {
                    let a: &Account = &s.borrow().account;
                    self.entries
                        .iter()
                        .position(|(w, _)| w.as_ref().is_none_or(|w| w.holds(a)))
                        .unwrap_or(self.entries.len() - 1)
                })
            })
            .collect();
        let mut points: Vec<(usize, crate::history::ReplayPoint)> = Vec::new();
        for (k, (_, model)) in self.entries.iter().enumerate() {
            let mine: Vec<usize> = (0..items.len()).filter(|&i| chosen[i] == Some(k)).collect();
            if mine.is_empty() {
                continue;
            }
            // (only readable snapshots were given a model)
            let part: Vec<Result<&StoredInputs, Errors>> = mine
                .iter()
                .filter_map(|&i| items[i].as_ref().ok().map(|s| Ok(s.borrow())))
                .collect();
            let r = model.replay_each(&part);
            let mut at = r.points.into_iter();
            // (replay keeps the order given, so the points follow `mine`
            // less the refused ones)
            let refused: std::collections::HashSet<usize> =
                r.errors.iter().map(|e| e.index).collect();
            for (j, &i) in mine.iter().enumerate() {
                if !refused.contains(&j) {
                    if let Some(p) = at.next() {
                        points.push((i, p));
                    }
                }
            }
            out.errors.extend(r.errors.into_iter().map(|e| {
                let i = mine[e.index];
                let rest = e.path.strip_prefix(&format!("[{}]", e.index)).unwrap_or("");
                BatchError {
                    index: i,
                    path: format!("[{i}]{rest}"),
                    ..e
                }
            }));
        }
        for (i, item) in items.iter().enumerate() {
            if let Err(es) = item {
                out.errors
                    .extend(es.iter().cloned().map(|e| BatchError::at(i, e)));
            }
        }
        points.sort_by_key(|(i, _)| *i);
        out.points = points.into_iter().map(|(_, p)| p).collect();
        out.errors.sort_by_key(|e| e.index);
        out
    }

    /// The priority order of scorecards made by the set's models, given as
    /// columns: as [`crate::portfolio::priority_order`], each row's top
    /// band being that of the model that made it (`models[r]`: its index
    /// in the set; band codes index [`ModelSet::band_ids`]).
    #[allow(clippy::too_many_arguments)]
    pub fn priority_order(
        &self,
        scores: &[f64],
        values: &[f64],
        bands: &[u8],
        models: &[u8],
        rising: &[u8],
        ids: &[&str],
        objective: Objective,
    ) -> Vec<(usize, f64)> {
        let band_ids = self.band_ids();
        let tops: Vec<Option<u8>> = self
            .models()
            .map(|m| {
                m.bands()
                    .last()
                    .and_then(|b| band_ids.iter().position(|id| *id == b.id))
                    .map(|i| i as u8)
            })
            .collect();
        let rows: Vec<PriorityRow> = (0..scores.len())
            .map(|i| PriorityRow {
                score: Some(scores[i]).filter(|s| !s.is_nan()),
                value: values.get(i).copied().filter(|v| !v.is_nan()),
                top_band: tops
                    .get(usize::from(models.get(i).copied().unwrap_or(0)))
                    .copied()
                    .flatten()
                    .is_some_and(|t| bands.get(i) == Some(&t)),
                rising: rising.get(i).is_some_and(|x| *x != 0),
                id: ids.get(i).copied().unwrap_or(""),
            })
            .collect();
        priority_order(&rows, objective)
    }
}
