//! The scoring bindings: a validated model and everything it does but
//! calibration (score, batches, columns, levers, history, portfolio).

use super::{boundary, thrown, to_json};
use crate::error::Error;
use crate::portfolio::Objective;
use crate::score::{Account, ColumnOptions, FullColumns, ScoreOptions, Scorecard};
use crate::Model;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// A validated model.
#[wasm_bindgen]
pub struct WasmModel {
    pub(crate) model: Model,
    /// Column staging memory for `scoreColumns`: measure-major, `rows` each.
    columns: Vec<f64>,
}

/// The result of a columnar scoring call.
#[wasm_bindgen]
pub struct ColumnResult {
    scores: Vec<f64>,
    bands: Vec<u8>,
    errors: String,
    categories: Vec<f64>,
    contributions: Vec<f64>,
    full: Option<FullColumns>,
    caps: usize,
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
    /// `pointsMissed` (measure-major), `categoryWeights` (category-major).
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
    /// With full results: 1 where cap `c` fired in a row (cap-major).
    #[wasm_bindgen(js_name = takeCaps)]
    pub fn take_caps(&mut self) -> Vec<u8> {
        let Some(f) = self.full.as_ref() else {
            return Vec::new();
        };
        let rows = f.caps.len();
        let mut out = vec![0u8; self.caps * rows];
        for (r, bits) in f.caps.iter().enumerate() {
            for c in 0..self.caps {
                out[c * rows + r] = u8::from(bits & (1 << (c % 64)) != 0);
            }
        }
        out
    }
}

#[wasm_bindgen]
impl WasmModel {
    /// Reads and validates a model (JSON text). Throws the error JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<WasmModel, String> {
        let doc = boundary::parse(text, "the model").map_err(thrown)?;
        let model = Model::from_value(&doc).map_err(|e| thrown(e.0))?;
        Ok(WasmModel {
            model,
            columns: Vec::new(),
        })
    }

    /// The model's id.
    pub fn id(&self) -> String {
        self.model.id().to_string()
    }

    /// The model's hash.
    pub fn hash(&self) -> String {
        self.model.hash().to_string()
    }

    /// The normalised model as canonical JSON text.
    #[wasm_bindgen(js_name = canonicalJson)]
    pub fn canonical_json(&self) -> String {
        self.model.canonical_json().to_string()
    }

    /// Measure ids in model order, as a JSON array, with each measure's rule type.
    #[wasm_bindgen(js_name = measuresJson)]
    pub fn measures_json(&self) -> String {
        let list: Vec<serde_json::Value> = self
            .model
            .spec()
            .categories
            .iter()
            .flat_map(|c| c.measures.iter().map(move |m| (c, m)))
            .map(|(c, m)| {
                let mut v = json!({ "id": m.id, "rule": m.rule.kind(), "category": c.id });
                if let crate::model::Rule::Match { scores, .. } = &m.rule {
                    // The codes of match columns: each key's index, in this order.
                    v["values"] = json!(scores.keys().collect::<Vec<_>>());
                }
                v
            })
            .collect();
        serde_json::Value::Array(list).to_string()
    }

    /// The bands as a JSON array.
    #[wasm_bindgen(js_name = bandsJson)]
    pub fn bands_json(&self) -> String {
        to_json(&self.model.bands())
    }

    /// Scores one account (JSON text) with options (JSON text: `{ at,
    /// asOf, ignoreUnknown }`); returns the scorecard as JSON text.
    pub fn score(&self, account: &str, options: Option<String>) -> Result<String, String> {
        let options = score_options(options)?;
        let account = self.account(account)?;
        let card = self.model.score_with(&account, &options).map_err(thrown)?;
        Ok(to_json(&card))
    }

    /// A table row (JSON text: `{ column: cell }`) as an account of this
    /// model, read by the typing policy for table cells; options (JSON
    /// text): `{ idColumn, nameColumn, segmentColumn, valueColumn }`.
    #[wasm_bindgen(js_name = rowToAccount)]
    pub fn row_to_account(&self, row: &str, options: Option<String>) -> Result<String, String> {
        let doc = boundary::parse(row, "the row").map_err(thrown)?;
        let opts_doc = match options {
            Some(t) => Some(boundary::parse(&t, "the options").map_err(thrown)?),
            None => None,
        };
        let opts: crate::score::RowOptions =
            crate::options::read(opts_doc.as_ref()).map_err(|e| thrown(vec![e]))?;
        Ok(to_json(
            &self.model.row_to_account(&doc, &opts).map_err(thrown)?,
        ))
    }

    /// The trend at the end of a history (JSON array), or `null`.
    pub fn trend(&self, history: &str) -> Result<String, String> {
        let doc = boundary::parse(history, "the history").map_err(thrown)?;
        Ok(to_json(&self.model.trend(&doc).map_err(thrown)?))
    }

    /// Every alert over a history (JSON array).
    pub fn alerts(&self, history: &str) -> Result<String, String> {
        let doc = boundary::parse(history, "the history").map_err(thrown)?;
        Ok(to_json(&self.model.alerts(&doc).map_err(thrown)?))
    }

    /// Rescores a previous scorecard with changed values: `{ scorecard, alerts }`.
    pub fn update(
        &self,
        previous: &str,
        changed: &str,
        at: Option<String>,
        history: Option<String>,
    ) -> Result<String, String> {
        let previous = scorecard(previous, "previous")?;
        let changed = boundary::parse(changed, "the changed values").map_err(thrown)?;
        let history = match history {
            Some(h) => Some(boundary::parse(&h, "the history").map_err(thrown)?),
            None => None,
        };
        let out = self
            .model
            .update(&previous, &changed, at.as_deref(), history.as_ref())
            .map_err(thrown)?;
        Ok(to_json(&out))
    }

    /// Splits a score change into parts.
    #[wasm_bindgen(js_name = explainChange)]
    pub fn explain_change(&self, before: &str, after: &str) -> Result<String, String> {
        let (before, after) = (scorecard(before, "before")?, scorecard(after, "after")?);
        Ok(to_json(
            &self
                .model
                .explain_change(&before, &after)
                .map_err(|e| thrown(vec![e]))?,
        ))
    }

    /// Rescores stored raw inputs under this model.
    /// A snapshot holding a value JSON cannot carry is refused on its own.
    pub fn replay(&self, snapshots: &str) -> Result<String, String> {
        let mut doc = boundary::parse_raw(snapshots, "the snapshots").map_err(thrown)?;
        let marks: Vec<Vec<Error>> = match &mut doc {
            serde_json::Value::Array(items) => items.iter_mut().map(boundary::check).collect(),
            _ => Vec::new(),
        };
        Ok(to_json(
            &self
                .model
                .replay_checked(&doc, &marks)
                .map_err(|e| thrown(vec![e]))?,
        ))
    }

    /// Orders scorecards by objective (`retention` or `growth`).
    pub fn prioritise(
        &self,
        cards: &str,
        objective: &str,
        limit: Option<u32>,
    ) -> Result<String, String> {
        let objective = objective_of(objective)?;
        let cards = scorecards(cards)?;
        Ok(to_json(&self.model.prioritise(
            &cards,
            objective,
            limit.map(|n| n as usize),
        )))
    }

    /// Band movement since a date over dated scorecards of many accounts.
    #[wasm_bindgen(js_name = bandMovement)]
    pub fn band_movement(&self, cards: &str, since: &str) -> Result<String, String> {
        let cards = scorecards(cards)?;
        Ok(to_json(
            &self
                .model
                .band_movement(&cards, since)
                .map_err(|e| thrown(vec![e]))?,
        ))
    }

    /// The portfolio summary of scorecards (JSON array; nulls are skipped).
    pub fn summarize(&self, cards: &str) -> Result<String, String> {
        let cards = scorecards(cards)?;
        Ok(to_json(&self.model.summarize(cards.iter())))
    }

    /// The levers of one account (JSON text), as a JSON array.
    pub fn levers(&self, account: &str) -> Result<String, String> {
        let account = self.account(account)?;
        Ok(to_json(&self.model.levers(&account).map_err(thrown)?))
    }

    /// The fewest changes that take one account (JSON text) to the next band
    /// up, as JSON (`{ band, changes, score }`), or `null`.
    pub fn plan(&self, account: &str) -> Result<String, String> {
        let account = self.account(account)?;
        Ok(to_json(&self.model.plan(&account).map_err(thrown)?))
    }

    /// Scores an array of accounts (JSON text); returns `{ scorecards, errors,
    /// summary }` as JSON text. Only a non-array throws; an account holding a
    /// value JSON cannot carry is refused on its own.
    ///
    /// `indexes` (optional) gives each account's index in the caller's batch,
    /// for the errors.
    #[wasm_bindgen(js_name = scoreMany)]
    pub fn score_many(
        &self,
        accounts: &str,
        options: Option<String>,
        indexes: Option<Vec<u32>>,
    ) -> Result<String, String> {
        let options = score_options(options)?;
        let doc = boundary::parse_raw(accounts, "the accounts").map_err(thrown)?;
        let serde_json::Value::Array(mut items) = doc else {
            return self
                .model
                .score_many_json(&doc)
                .map(|b| to_json(&b))
                .map_err(|e| thrown(vec![e]));
        };
        let marks: Vec<Vec<Error>> = items.iter_mut().map(boundary::check).collect();
        let index = |i: usize| {
            indexes
                .as_ref()
                .and_then(|x| x.get(i))
                .map_or(i, |&k| k as usize)
        };
        let batch = self
            .model
            .score_each_at(&items, index, |i, v| match &marks[i] {
                m if m.is_empty() => self.model.score_with(&Account::from_json(v)?, &options),
                m => Err(m.clone()),
            });
        Ok(to_json(&batch))
    }

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
            .filter(|&n| n <= crate::limits::MAX_COLUMN_CELLS)
            .ok_or_else(|| {
                thrown(vec![crate::limits::too_large(
                    "",
                    "cells (rows × measures)",
                    rows.saturating_mul(m),
                    crate::limits::MAX_COLUMN_CELLS,
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
    /// `match_codes`, match columns hold codes (see `measuresJson`).
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
            caps: self.model.spec().caps.len(),
        })
    }

    /// The priority order of accounts given as columns: score (NaN: none),
    /// value (NaN: unknown), band index (as `scoreColumns` gives them), 1
    /// where the trend is rising, and the ids as a JSON array (the last
    /// tie-break). The same order and priorities as `prioritise`.
    #[wasm_bindgen(js_name = priorityOrder)]
    pub fn priority_order(
        &self,
        scores: &[f64],
        values: &[f64],
        bands: &[u8],
        rising: &[u8],
        ids: &str,
        objective: &str,
    ) -> Result<PriorityOrder, String> {
        let objective = objective_of(objective)?;
        let ids: Vec<String> = serde_json::from_str(ids).map_err(|e| {
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
        let rows: Vec<crate::portfolio::PriorityRow> = (0..n)
            .map(|i| crate::portfolio::PriorityRow {
                score: (!scores[i].is_nan()).then_some(scores[i]),
                value: (!values[i].is_nan()).then_some(values[i]),
                top_band: bands[i] == top,
                rising: rising[i] != 0,
                id: &ids[i],
            })
            .collect();
        let order = crate::portfolio::priority_order(&rows, objective);
        Ok(PriorityOrder {
            indexes: order.iter().map(|&(i, _)| i as u32).collect(),
            priorities: order.iter().map(|&(_, p)| p).collect(),
        })
    }

    /// The portfolio summary of columnar results (scores, band indexes,
    /// values with NaN for unknown), as JSON: the same as `summarize` over
    /// the same accounts' scorecards.
    #[wasm_bindgen(js_name = summarizeColumns)]
    pub fn summarize_columns(&self, scores: &[f64], bands: &[u8], values: &[f64]) -> String {
        to_json(&self.model.summarize_columns(scores, bands, values))
    }

    /// What the JS wrapper builds scorecards with, as JSON: `{ id, hash,
    /// bands, insufficient, categories: [{ id, label, measures: [index] }],
    /// measures: [{ id, label, rule, values? }], caps: [{ reason, max }] }`.
    #[wasm_bindgen(js_name = metaJson)]
    pub fn meta_json(&self) -> String {
        let spec = self.model.spec();
        let mut i = 0usize;
        let categories: Vec<serde_json::Value> = spec
            .categories
            .iter()
            .map(|c| {
                let ids: Vec<usize> = (i..i + c.measures.len()).collect();
                i += c.measures.len();
                json!({ "id": c.id, "label": c.label, "measures": ids })
            })
            .collect();
        let measures: Vec<serde_json::Value> = spec
            .categories
            .iter()
            .flat_map(|c| &c.measures)
            .map(|m| {
                let mut v = json!({ "id": m.id, "label": m.label, "rule": m.rule.kind() });
                if let crate::model::Rule::Match { scores, .. } = &m.rule {
                    v["values"] = json!(scores.keys().collect::<Vec<_>>());
                }
                v
            })
            .collect();
        let caps: Vec<serde_json::Value> = spec
            .caps
            .iter()
            .map(|c| json!({ "reason": c.reason, "max": c.max }))
            .collect();
        json!({
            "id": self.model.id(), "hash": self.model.hash(), "bands": self.model.bands(),
            "insufficient": crate::score::insufficient_band(),
            "categories": categories, "measures": measures, "caps": caps,
            "maxColumnCaps": crate::score::MAX_COLUMN_CAPS,
        })
        .to_string()
    }

    fn account(&self, text: &str) -> Result<Account, String> {
        let doc = boundary::parse(text, "the account").map_err(thrown)?;
        Account::from_json(&doc).map_err(thrown)
    }
}

/// Score options from JSON text (`null` or absent: the defaults).
/// Reads score options (JSON text; unknown ones throw with their path) and
/// tells whether their dates are valid: when not, every account scored with
/// them is refused with `invalid_date`.
#[wasm_bindgen(js_name = scoreOptionsDated)]
pub fn score_options_dated(options: Option<String>) -> Result<bool, String> {
    Ok(score_options(options)?.dates_valid())
}

/// An objective by name, read by its serde type (`retention`, `growth`).
fn objective_of(name: &str) -> Result<Objective, String> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
        thrown(vec![Error::new(
            "invalid_value",
            "objective",
            format!("`{name}` is not an objective"),
            "use \"retention\" or \"growth\"",
        )])
    })
}

/// A priority order: indexes into the rows given, highest priority first,
/// and each one's priority.
#[wasm_bindgen]
pub struct PriorityOrder {
    indexes: Vec<u32>,
    priorities: Vec<f64>,
}

#[wasm_bindgen]
impl PriorityOrder {
    #[wasm_bindgen(js_name = takeIndexes)]
    pub fn take_indexes(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.indexes)
    }
    #[wasm_bindgen(js_name = takePriorities)]
    pub fn take_priorities(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.priorities)
    }
}

pub(crate) fn score_options(text: Option<String>) -> Result<ScoreOptions, String> {
    let doc = match text {
        Some(t) => Some(boundary::parse(&t, "the options").map_err(thrown)?),
        None => None,
    };
    crate::options::read(doc.as_ref()).map_err(|e| thrown(vec![e]))
}

fn scorecard(text: &str, what: &str) -> Result<Scorecard, String> {
    let doc = boundary::parse(text, what).map_err(thrown)?;
    serde_json::from_value(doc).map_err(|e| {
        thrown(vec![Error::new(
            "invalid_value",
            what,
            format!("{what} is not a scorecard: {e}"),
            "pass a scorecard as returned by score()",
        )])
    })
}

fn scorecards(text: &str) -> Result<Vec<Scorecard>, String> {
    let doc = boundary::parse(text, "the scorecards").map_err(thrown)?;
    let serde_json::Value::Array(items) = doc else {
        return Err(thrown(vec![Error::new(
            "wrong_type",
            "",
            "scorecards must be an array",
            "pass an array of scorecards",
        )]));
    };
    items
        .into_iter()
        .enumerate()
        .filter(|(_, v)| !v.is_null())
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|e| {
                thrown(vec![Error::new(
                    "invalid_value",
                    format!("[{i}]"),
                    format!("not a scorecard: {e}"),
                    "pass scorecards as returned by score()",
                )])
            })
        })
        .collect()
}
