//! Model sets (segments) through the bindings.

use super::model::{account_of, accounts_of, score_options, scorecard};
use super::{boundary, thrown, to_json};
use customer_health::model::Scalar;
use customer_health::score::{Input, RowChoice};
use customer_health::ModelSet;
use wasm_bindgen::prelude::*;

/// The result of a set's columnar call: scores, band codes (into
/// `bandIdsJson`), each row's model index, and the refused rows' errors.
#[wasm_bindgen]
pub struct SetColumnResult {
    scores: Vec<f64>,
    bands: Vec<u8>,
    models: Vec<u8>,
    errors: String,
}

#[wasm_bindgen]
impl SetColumnResult {
    /// Scores (NaN without one).
    #[wasm_bindgen(js_name = takeScores)]
    pub fn take_scores(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.scores)
    }
    /// Band codes.
    #[wasm_bindgen(js_name = takeBands)]
    pub fn take_bands(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bands)
    }
    /// Each row's model index in the set.
    #[wasm_bindgen(js_name = takeModels)]
    pub fn take_models(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.models)
    }
    /// The refused rows' errors (JSON array).
    pub fn errors(&self) -> String {
        self.errors.clone()
    }
}

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

    /// The set's hash (SHA-256 of its canonical JSON).
    pub fn hash(&self) -> String {
        self.set.hash().to_string()
    }

    /// The set's canonical JSON text.
    #[wasm_bindgen(js_name = canonicalJson)]
    pub fn canonical_json(&self) -> String {
        self.set.canonical_json().to_string()
    }

    /// Every measure id of the set's models, once (JSON array).
    #[wasm_bindgen(js_name = measureIdsJson)]
    pub fn measure_ids_json(&self) -> String {
        to_json(&self.set.measure_ids())
    }

    /// Each model of the set described as `WasmModel.metaJson` does (JSON array).
    #[wasm_bindgen(js_name = modelsJson)]
    pub fn models_json(&self) -> String {
        to_json(&self.set.models().map(|m| m.describe()).collect::<Vec<_>>())
    }

    /// Rescores stored raw inputs, each under the model that applies to it.
    pub fn replay(&self, snapshots: &str) -> Result<String, String> {
        let items = super::model::stored_of(snapshots)?;
        Ok(to_json(&self.set.replay_each(&items)))
    }

    /// The priority order of scorecards of the set's models given as
    /// columns (band codes index `bandIdsJson`, `models` each row's model
    /// index in the set; `ids` a JSON array, UTF-8).
    #[wasm_bindgen(js_name = priorityOrder)]
    #[allow(clippy::too_many_arguments)]
    pub fn priority_order(
        &self,
        scores: &[f64],
        values: &[f64],
        bands: &[u8],
        models: &[u8],
        rising: &[u8],
        ids: &[u8],
        objective: &str,
    ) -> Result<super::columns::PriorityOrder, String> {
        let objective = super::model::objective_of(objective)?;
        let ids = super::boundary::texts(ids).map_err(|e| {
            super::thrown(customer_health::error::Error::new(
                "internal_error",
                "",
                format!("ids: {e}"),
                "report this as a bug",
            ))
        })?;
        let ids: Vec<&str> = ids.iter().map(|t| &*t.0).collect();
        let order = self
            .set
            .priority_order(scores, values, bands, models, rising, &ids, objective);
        Ok(super::columns::PriorityOrder::of(order))
    }

    /// Scores rows given as columns, each with the model its segment, value
    /// and fields choose: `names` (JSON array of measure ids), their
    /// columns one after the other in `cells` (`rows` each), the rows'
    /// segments and fields (JSON: `[segment|null, …]`, `{ name: [value,
    /// …] }`) and values (NaN: unknown).
    #[wasm_bindgen(js_name = scoreColumns)]
    pub fn score_columns(
        &self,
        names: &str,
        cells: &[f64],
        rows: usize,
        segments: Option<String>,
        values: Option<Vec<f64>>,
        fields: Option<String>,
    ) -> Result<SetColumnResult, String> {
        let names: Vec<String> = super::model::internal(names, "column names")?;
        if cells.len() != names.len() * rows {
            return Err(thrown(customer_health::Error::new(
                "internal_error",
                "",
                "the columns do not match their names",
                "report this as a bug",
            )));
        }
        let segments: Option<Vec<Option<String>>> = match &segments {
            Some(t) => Some(given(t, "segments", "a segment (text) or null per row")?),
            None => None,
        };
        let fields: std::collections::BTreeMap<String, Vec<Option<Scalar>>> = match &fields {
            Some(t) => given(t, "fields", "a number, boolean, text or null per row")?,
            None => Default::default(),
        };
        let choice = RowChoice {
            segments: segments.as_deref(),
            values: values.as_deref(),
            fields: fields
                .into_iter()
                .map(|(k, col)| {
                    (
                        k,
                        col.iter().map(|v| Input::from_scalar(v.as_ref())).collect(),
                    )
                })
                .collect(),
        };
        let columns: Vec<(&str, &[f64])> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), &cells[i * rows..(i + 1) * rows]))
            .collect();
        let out = self
            .set
            .score_columns(&columns, rows, &choice)
            .map_err(thrown)?;
        Ok(SetColumnResult {
            scores: out.scores,
            bands: out.bands,
            models: out.models,
            errors: to_json(&out.errors),
        })
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
        let history = crate::model::clean_optional(history.as_deref())?;
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

/// Data the caller gave beside the columns (JSON text), checked for values
/// JSON cannot carry and read as `T`; another shape is `wrong_type` at
/// `path`.
fn given<T: serde::de::DeserializeOwned>(text: &str, path: &str, want: &str) -> Result<T, String> {
    let text = boundary::clean(text)
        .map_err(|es| thrown(es.into_iter().map(|e| e.prefixed(path)).collect::<Vec<_>>()))?;
    serde_json::from_str(&text).map_err(|e| {
        thrown(customer_health::Error::new(
            "wrong_type",
            path,
            format!("{path} are not as expected: {e}"),
            format!("give {want}"),
        ))
    })
}
