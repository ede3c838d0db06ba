//! Model sets (segments) through the bindings.

use super::model::{account_of, accounts_of, score_options, scorecard};
use super::{boundary, thrown, to_json};
use customer_health::ModelSet;
use wasm_bindgen::prelude::*;

/// A validated model set (segments).
#[wasm_bindgen]
pub struct WasmModelSet {
    set: ModelSet,
}

#[wasm_bindgen]
impl WasmModelSet {
    /// Reads and validates a model set (JSON text). Throws the error JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<WasmModelSet, String> {
        let text = boundary::clean(text).map_err(thrown)?;
        Ok(WasmModelSet {
            set: ModelSet::from_json(&text).map_err(thrown)?,
        })
    }

    /// The set's id.
    pub fn id(&self) -> String {
        self.set.id().to_string()
    }

    /// The ids of the models, in order.
    #[wasm_bindgen(js_name = modelIdsJson)]
    pub fn model_ids_json(&self) -> String {
        to_json(&self.set.models().map(|m| m.id()).collect::<Vec<_>>())
    }

    /// Scores one account with the model that applies.
    pub fn score(&self, account: &str, options: Option<String>) -> Result<String, String> {
        let options = score_options(options)?;
        let account = account_of(account)?;
        Ok(to_json(
            &self.set.score_with(&account, &options).map_err(thrown)?,
        ))
    }

    /// The trend at the end of a history, by the model of its latest entry.
    pub fn trend(&self, history: &str) -> Result<String, String> {
        let history = boundary::clean(history).map_err(thrown)?;
        Ok(to_json(&self.set.trend_json(&history).map_err(thrown)?))
    }

    /// Every alert over a history, each from the model that made its snapshot.
    pub fn alerts(&self, history: &str) -> Result<String, String> {
        let history = boundary::clean(history).map_err(thrown)?;
        Ok(to_json(&self.set.alerts_json(&history).map_err(thrown)?))
    }

    /// Rescores a previous scorecard with the model that made it.
    pub fn update(
        &self,
        previous: &str,
        changed: &str,
        at: Option<String>,
        history: Option<String>,
    ) -> Result<String, String> {
        let previous = scorecard(previous, "previous")?;
        let changed = boundary::clean(changed).map_err(thrown)?;
        let history = match &history {
            Some(h) => Some(boundary::clean(h).map_err(thrown)?),
            None => None,
        };
        let out = self
            .set
            .update_json(&previous, &changed, at.as_deref(), history.as_deref())
            .map_err(thrown)?;
        Ok(to_json(&out))
    }

    /// Splits a score change into parts, with the model that made `after`.
    #[wasm_bindgen(js_name = explainChange)]
    pub fn explain_change(&self, before: &str, after: &str) -> Result<String, String> {
        let (before, after) = (scorecard(before, "before")?, scorecard(after, "after")?);
        Ok(to_json(
            &self.set.explain_change(&before, &after).map_err(thrown)?,
        ))
    }

    /// The levers of one account under the model that applies to it.
    pub fn levers(&self, account: &str) -> Result<String, String> {
        let account = account_of(account)?;
        Ok(to_json(&self.set.levers(&account).map_err(thrown)?))
    }

    /// The plan of one account under the model that applies to it, or `null`.
    pub fn plan(&self, account: &str) -> Result<String, String> {
        let account = account_of(account)?;
        Ok(to_json(&self.set.plan(&account).map_err(thrown)?))
    }

    /// Scores many accounts (JSON text), each with the model that applies,
    /// with options (JSON text: `{ at, asOf, ignoreUnknown }`, as a model's).
    /// `first` (optional) is the index of the first of them in the caller's
    /// batch, for the errors. An account holding a value JSON cannot carry
    /// is refused on its own.
    #[wasm_bindgen(js_name = scoreMany)]
    pub fn score_many(
        &self,
        accounts: &str,
        options: Option<String>,
        first: Option<usize>,
    ) -> Result<String, String> {
        let options = score_options(options)?;
        let accounts = accounts_of(accounts)?;
        let first = first.unwrap_or(0);
        let batch = self.set.score_each_at(
            &accounts,
            |i| first + i,
            |_, a| match a {
                Ok(a) => self.set.score_with(a, &options),
                Err(e) => Err(e.clone()),
            },
        );
        Ok(to_json(&batch))
    }

    /// The portfolio summary (by the default model's bands) of columnar
    /// results, as `WasmModel.summarizeColumns`.
    #[wasm_bindgen(js_name = summarizeColumns)]
    pub fn summarize_columns(
        &self,
        scores: &[f64],
        bands: &[u8],
        values: &[f64],
        low: &[u8],
    ) -> String {
        to_json(&self.set.summarize_columns(scores, bands, values, low))
    }

    /// Every model's band ids (the default model's first), then the
    /// insufficient-data band's, as JSON (for `summarizeColumns`).
    #[wasm_bindgen(js_name = bandIdsJson)]
    pub fn band_ids_json(&self) -> String {
        let mut ids = self.set.band_ids();
        ids.push(customer_health::score::INSUFFICIENT_DATA);
        to_json(&ids)
    }
}
