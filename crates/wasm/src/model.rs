//! The scoring bindings: a validated model and everything it does but
//! calibration (score, batches, columns, levers, history, portfolio).

use super::{boundary, thrown, to_json};
use customer_health::error::{Error, Errors};
use customer_health::history::StoredInputs;
use customer_health::portfolio::{MovementRow, Objective};
use customer_health::score::{Account, Batch, ScoreOptions, Scorecard};
use customer_health::Model;
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
        let text = boundary::clean(text).map_err(thrown)?;
        let model = Model::from_json(&text).map_err(thrown)?;
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
        let account = account_of(account)?;
        let card = self.model.score_with(&account, &options).map_err(thrown)?;
        Ok(to_json(&card))
    }

    /// A table row (JSON text: `{ column: cell }`) as an account of this
    /// model, read by the typing policy for table cells; options (JSON
    /// text): `{ idColumn, nameColumn, segmentColumn, valueColumn }`.
    #[wasm_bindgen(js_name = rowToAccount)]
    pub fn row_to_account(&self, row: &str, options: Option<String>) -> Result<String, String> {
        let row = boundary::clean(row).map_err(thrown)?;
        let opts = options_of(options)?;
        Ok(to_json(
            &self.model.row_to_account(&row, &opts).map_err(thrown)?,
        ))
    }

    /// The trend at the end of a history (JSON array), or `null`.
    pub fn trend(&self, history: &str) -> Result<String, String> {
        let history = boundary::clean(history).map_err(thrown)?;
        Ok(to_json(&self.model.trend_json(&history).map_err(thrown)?))
    }

    /// Every alert over a history (JSON array).
    pub fn alerts(&self, history: &str) -> Result<String, String> {
        let history = boundary::clean(history).map_err(thrown)?;
        Ok(to_json(&self.model.alerts_json(&history).map_err(thrown)?))
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
        let changed = boundary::clean(changed).map_err(thrown)?;
        let history = clean_optional(history.as_deref())?;
        let out = self
            .model
            .update_json(&previous, &changed, at.as_deref(), history.as_deref())
            .map_err(thrown)?;
        Ok(to_json(&out))
    }

    /// Rescores an account whose full inputs are given, compared with the
    /// previous scorecard: `{ scorecard, alerts }` (see `Model::advance`).
    pub fn advance(
        &self,
        previous: &str,
        account: &str,
        at: Option<String>,
        history: Option<String>,
    ) -> Result<String, String> {
        let previous = scorecard(previous, "previous")?;
        let account = boundary::clean(account).map_err(thrown)?;
        let history = clean_optional(history.as_deref())?;
        let out = self
            .model
            .advance_json(&previous, &account, at.as_deref(), history.as_deref())
            .map_err(thrown)?;
        Ok(to_json(&out))
    }

    /// Splits a score change into parts.
    #[wasm_bindgen(js_name = explainChange)]
    pub fn explain_change(&self, before: &str, after: &str) -> Result<String, String> {
        let (before, after) = (scorecard(before, "before")?, scorecard(after, "after")?);
        Ok(to_json(
            &self.model.explain_change(&before, &after).map_err(thrown)?,
        ))
    }

    /// Rescores stored raw inputs under this model. A snapshot holding a
    /// value JSON cannot carry is refused on its own.
    pub fn replay(&self, snapshots: &str) -> Result<String, String> {
        let items = stored_of(snapshots)?;
        Ok(to_json(&self.model.replay_each(&items)))
    }

    /// Band movement since a date over dated scorecards of many accounts,
    /// given as `[[accountId, at, bandId], …]` (JSON text, as
    /// js/portfolio.mjs writes it).
    #[wasm_bindgen(js_name = bandMovement)]
    pub fn band_movement(&self, rows: &str, since: &str) -> Result<String, String> {
        let rows: Vec<(String, Option<String>, String)> = internal(rows, "movement rows")?;
        let rows: Vec<MovementRow> = rows
            .iter()
            .map(|(id, at, band)| MovementRow {
                account_id: id,
                at: at.as_deref(),
                band,
            })
            .collect();
        Ok(to_json(
            &self
                .model
                .band_movement_rows(&rows, since)
                .map_err(thrown)?,
        ))
    }

    /// The levers of one account (JSON text), as a JSON array.
    pub fn levers(&self, account: &str) -> Result<String, String> {
        let account = account_of(account)?;
        Ok(to_json(&self.model.levers(&account).map_err(thrown)?))
    }

    /// The fewest changes that take one account (JSON text) to the next band
    /// up, as JSON (`{ band, changes, score }`), or `null`.
    pub fn plan(&self, account: &str) -> Result<String, String> {
        let account = account_of(account)?;
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
        let accounts = accounts_of(accounts)?;
        let index = |i: usize| {
            indexes
                .as_ref()
                .and_then(|x| x.get(i))
                .map_or(i, |&k| k as usize)
        };
        let batch: Batch = self.model.score_each_at(&accounts, index, |_, a| match a {
            Ok(a) => self.model.score_with(a, &options),
            Err(e) => Err(e.clone()),
        });
        Ok(to_json(&batch))
    }
}

/// A batch of accounts (JSON text of an array), each read on its own: an
/// account holding a value JSON cannot carry, or that cannot be read, keeps
/// its errors. Text that is not an array throws.
pub(crate) fn accounts_of(text: &str) -> Result<Vec<Result<Account, Errors>>, String> {
    let Some(items) = boundary::items(text) else {
        return Err(thrown(Account::many_from_json(text).err().unwrap_or_else(
            || {
                Errors::from(Error::new(
                    "wrong_type",
                    "",
                    "accounts must be an array",
                    "pass an array of account objects",
                ))
            },
        )));
    };
    customer_health::limits::check_batch(items.len(), "accounts").map_err(thrown)?;
    Ok(items
        .into_iter()
        .map(|i| i.map_err(Errors::from).and_then(|t| Account::from_json(&t)))
        .collect())
}

/// Stored snapshots (JSON text of an array), each read on its own: one
/// holding a value JSON cannot carry, or that cannot be read, keeps its
/// errors. Text that is not an array throws.
pub(crate) fn stored_of(snapshots: &str) -> Result<Vec<Result<StoredInputs, Errors>>, String> {
    let Some(items) = boundary::items(snapshots) else {
        return Err(thrown(
            StoredInputs::many_from_json(snapshots)
                .err()
                .unwrap_or_else(|| {
                    Errors::from(Error::new(
                        "wrong_type",
                        "",
                        "snapshots must be an array",
                        "pass an array of { accountId, at, values }",
                    ))
                }),
        ));
    };
    customer_health::limits::check_batch(items.len(), "snapshots").map_err(thrown)?;
    Ok(items
        .into_iter()
        .map(|i| {
            i.map_err(Errors::from)
                .and_then(|t| StoredInputs::from_json(&t))
        })
        .collect())
}

/// One account (JSON text).
pub(crate) fn account_of(text: &str) -> Result<Account, String> {
    let text = boundary::clean(text).map_err(thrown)?;
    Account::from_json(&text).map_err(thrown)
}

/// Columns the JS wrapper wrote itself (JSON text): a shape it did not
/// write is a bug.
pub(crate) fn internal<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| {
        thrown(Error::new(
            "internal_error",
            "",
            format!("{what}: {e}"),
            "report this as a bug",
        ))
    })
}

/// Reads score options (JSON text; unknown ones throw with their path) and
/// tells whether their dates are valid: when not, every account scored with
/// them is refused with `invalid_date`.
#[wasm_bindgen(js_name = scoreOptionsDated)]
pub fn score_options_dated(options: Option<String>) -> Result<bool, String> {
    Ok(score_options(options)?.dates_valid())
}

/// An objective by name (`retention`, `growth`).
pub(super) fn objective_of(name: &str) -> Result<Objective, String> {
    name.parse().map_err(thrown)
}

/// Options of a call from JSON text (`null` or absent: the defaults).
pub(crate) fn options_of<T: serde::de::DeserializeOwned + Default>(
    text: Option<String>,
) -> Result<T, String> {
    let text = match &text {
        Some(t) => Some(boundary::clean(t).map_err(thrown)?),
        None => None,
    };
    customer_health::options::from_json(text.as_deref()).map_err(thrown)
}

/// Score options from JSON text (`null` or absent: the defaults).
pub(crate) fn score_options(text: Option<String>) -> Result<ScoreOptions, String> {
    options_of(text)
}

/// Optional JSON text (a history) with its marks cleaned.
pub(crate) fn clean_optional(
    text: Option<&str>,
) -> Result<Option<std::borrow::Cow<'_, str>>, String> {
    text.map(|t| boundary::clean(t).map_err(thrown)).transpose()
}

pub(crate) fn scorecard(text: &str, what: &str) -> Result<Scorecard, String> {
    let doc = boundary::parse(text, what).map_err(thrown)?;
    serde_json::from_value(doc).map_err(|e| {
        thrown(Error::new(
            "invalid_value",
            what,
            format!("{what} is not a scorecard: {e}"),
            "pass a scorecard as returned by score()",
        ))
    })
}
