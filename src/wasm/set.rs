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

    /// Scores many accounts, each with the model that applies.
    #[wasm_bindgen(js_name = scoreMany)]
    pub fn score_many(&self, accounts: &str) -> Result<String, String> {
        let doc = boundary::parse(accounts, "the accounts").map_err(thrown)?;
        Ok(to_json(
            &self
                .set
                .score_many_json(&doc)
                .map_err(|e| thrown(vec![e]))?,
        ))
    }
}
