//! The scoring bindings: a validated model and everything it does but
//! calibration (score, batches, columns, levers, history, portfolio).

use super::{boundary, thrown, to_json};
use crate::error::Error;
use crate::portfolio::Objective;
use crate::score::{Account, ColumnOptions, ScoreOptions, Scorecard};
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
        let snaps = self.model.read_history(&doc).map_err(thrown)?;
        Ok(to_json(&self.model.trend_of(&snaps)))
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
    pub fn replay(&self, snapshots: &str) -> Result<String, String> {
        let doc = boundary::parse(snapshots, "the snapshots").map_err(thrown)?;
        Ok(to_json(
            &self.model.replay(&doc).map_err(|e| thrown(vec![e]))?,
        ))
    }

    /// Orders scorecards by objective (`retention` or `growth`).
    pub fn prioritise(
        &self,
        cards: &str,
        objective: &str,
        limit: Option<u32>,
    ) -> Result<String, String> {
        let objective = match objective {
            "retention" => Objective::Retention,
            "growth" => Objective::Growth,
            other => {
                return Err(thrown(vec![Error::new(
                    "invalid_value",
                    "objective",
                    format!("`{other}` is not an objective"),
                    "use \"retention\" or \"growth\"",
                )]))
            }
        };
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

    /// Scores an array of accounts (JSON text); returns `{ scorecards, errors,
    /// summary }` as JSON text. Only a non-array throws; an account holding a
    /// value JSON cannot carry is refused on its own.
    #[wasm_bindgen(js_name = scoreMany)]
    pub fn score_many(&self, accounts: &str, options: Option<String>) -> Result<String, String> {
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
        let batch = self.model.score_each(&items, |i, v| match &marks[i] {
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
    pub fn column_buffer(&mut self, rows: usize, missing: bool) -> js_sys::Float64Array {
        let len = rows * self.model.measure_ids().count();
        if missing {
            self.columns.clear();
        }
        self.columns.truncate(len);
        self.columns.resize(len, f64::NAN);
        // SAFETY: the view is handed straight to JS, which fills it before any
        // other call into this module (that could grow memory) is made.
        unsafe { js_sys::Float64Array::view(&self.columns) }
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
                    full: false,
                },
            )
            .map_err(|e| thrown(vec![e]))?;
        Ok(ColumnResult {
            scores: out.scores,
            bands: out.bands,
            errors: to_json(&out.errors),
            categories: out.categories,
            contributions: out.contributions,
        })
    }

    fn account(&self, text: &str) -> Result<Account, String> {
        let doc = boundary::parse(text, "the account").map_err(thrown)?;
        Account::from_json(&doc).map_err(thrown)
    }
}

/// Score options from JSON text (`null` or absent: the defaults).
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
