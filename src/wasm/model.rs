//! The scoring bindings: a validated model and everything it does but
//! calibration (score, batches, columns, levers, history, portfolio).

use super::{boundary, thrown, to_json};
use crate::error::Error;
use crate::portfolio::Objective;
use crate::score::{Account, ScoreOptions, Scorecard};
use crate::Model;
use wasm_bindgen::prelude::*;

/// A validated model.
#[wasm_bindgen]
pub struct WasmModel {
    pub(crate) model: Model,
    /// Column staging memory for `scoreColumns`: measure-major, `rows` each.
    pub(super) columns: Vec<f64>,
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
        super::history::trend(&self.model, history)
    }

    /// Every alert over a history (JSON array).
    pub fn alerts(&self, history: &str) -> Result<String, String> {
        super::history::alerts(&self.model, history)
    }

    /// Rescores a previous scorecard with changed values: `{ scorecard, alerts }`.
    pub fn update(
        &self,
        previous: &str,
        changed: &str,
        at: Option<String>,
        history: Option<String>,
    ) -> Result<String, String> {
        super::history::update(&self.model, previous, changed, at, history)
    }

    /// Splits a score change into parts.
    #[wasm_bindgen(js_name = explainChange)]
    pub fn explain_change(&self, before: &str, after: &str) -> Result<String, String> {
        super::history::explain_change(&self.model, before, after)
    }

    /// Rescores stored raw inputs under this model.
    /// A snapshot holding a value JSON cannot carry is refused on its own.
    pub fn replay(&self, snapshots: &str) -> Result<String, String> {
        let (doc, marks) = boundary::parse_items(snapshots, "the snapshots").map_err(thrown)?;
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

    /// Parents' health from their children's scorecards (JSON array) and
    /// options `{ parents, method }`, as a JSON array.
    pub fn rollup(&self, cards: &str, options: &str) -> Result<String, String> {
        let cards = scorecards(cards)?;
        let doc = boundary::parse(options, "the options").map_err(thrown)?;
        let opts: crate::portfolio::RollupOptions =
            crate::options::read(Some(&doc)).map_err(|e| thrown(vec![e]))?;
        Ok(to_json(&self.model.rollup(&cards, &opts).map_err(thrown)?))
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
        let (doc, marks) = boundary::parse_items(accounts, "the accounts").map_err(thrown)?;
        let serde_json::Value::Array(items) = &doc else {
            return self
                .model
                .score_many_json(&doc)
                .map(|b| to_json(&b))
                .map_err(|e| thrown(vec![e]));
        };
        let index = |i: usize| {
            indexes
                .as_ref()
                .and_then(|x| x.get(i))
                .map_or(i, |&k| k as usize)
        };
        let batch = self
            .model
            .score_each_at(items, index, |i, v| match &marks[i] {
                m if m.is_empty() => self.model.score_with(&Account::from_json(v)?, &options),
                m => Err(m.clone()),
            });
        Ok(to_json(&batch))
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
pub(super) fn objective_of(name: &str) -> Result<Objective, String> {
    crate::names::variant::<Objective>(name).ok_or_else(|| {
        thrown(vec![Error::new(
            "invalid_value",
            "objective",
            format!("`{name}` is not an objective"),
            format!(
                "use one of: {}",
                crate::names::variants::<Objective>().join(", ")
            ),
        )])
    })
}

pub(crate) fn score_options(text: Option<String>) -> Result<ScoreOptions, String> {
    let doc = match text {
        Some(t) => Some(boundary::parse(&t, "the options").map_err(thrown)?),
        None => None,
    };
    crate::options::read(doc.as_ref()).map_err(|e| thrown(vec![e]))
}

pub(crate) fn scorecard(text: &str, what: &str) -> Result<Scorecard, String> {
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
