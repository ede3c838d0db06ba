//! Model sets (segments) through the bindings.

use super::{boundary, thrown, to_json};
use crate::score::Account;
use crate::ModelSet;
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
        let doc = boundary::parse(text, "the model set").map_err(thrown)?;
        Ok(WasmModelSet {
            set: ModelSet::from_value(&doc).map_err(|e| thrown(e.0))?,
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
        let options = super::model::score_options(options)?;
        let doc = boundary::parse(account, "the account").map_err(thrown)?;
        let account = Account::from_json(&doc).map_err(thrown)?;
        Ok(to_json(
            &self.set.score_with(&account, &options).map_err(thrown)?,
        ))
    }

    /// The trend at the end of a history, by the model of its latest entry.
    pub fn trend(&self, history: &str) -> Result<String, String> {
        super::history::trend(&self.set, history)
    }

    /// Every alert over a history, by the model of its latest entry.
    pub fn alerts(&self, history: &str) -> Result<String, String> {
        super::history::alerts(&self.set, history)
    }

    /// Rescores a previous scorecard with the model that made it.
    pub fn update(
        &self,
        previous: &str,
        changed: &str,
        at: Option<String>,
        history: Option<String>,
    ) -> Result<String, String> {
        super::history::update(&self.set, previous, changed, at, history)
    }

    /// Splits a score change into parts, with the model that made `after`.
    #[wasm_bindgen(js_name = explainChange)]
    pub fn explain_change(&self, before: &str, after: &str) -> Result<String, String> {
        super::history::explain_change(&self.set, before, after)
    }

    /// The levers of one account under the model that applies to it.
    pub fn levers(&self, account: &str) -> Result<String, String> {
        let doc = boundary::parse(account, "the account").map_err(thrown)?;
        let account = Account::from_json(&doc).map_err(thrown)?;
        Ok(to_json(&self.set.levers(&account).map_err(thrown)?))
    }

    /// The plan of one account under the model that applies to it, or `null`.
    pub fn plan(&self, account: &str) -> Result<String, String> {
        let doc = boundary::parse(account, "the account").map_err(thrown)?;
        let account = Account::from_json(&doc).map_err(thrown)?;
        Ok(to_json(&self.set.plan(&account).map_err(thrown)?))
    }

    /// Scores many accounts, each with the model that applies. `first`
    /// (optional) is the index of the first of them in the caller's batch,
    /// for the errors.
    #[wasm_bindgen(js_name = scoreMany)]
    pub fn score_many(&self, accounts: &str, first: Option<usize>) -> Result<String, String> {
        // An account holding a value JSON cannot carry is refused on its own.
        let (doc, marks) = boundary::parse_items(accounts, "the accounts").map_err(thrown)?;
        Ok(to_json(
            &self
                .set
                .score_many_checked(&doc, first.unwrap_or(0), &marks)
                .map_err(|e| thrown(vec![e]))?,
        ))
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
        ids.push(crate::score::INSUFFICIENT_DATA);
        to_json(&ids)
    }
}
