//! The WebAssembly bindings: the only module that knows wasm-bindgen.
//!
//! A thin JSON-in / JSON-out layer over the core. The npm package's JS
//! wrapper (`js/api.mjs`) turns JS values into JSON text (marking what JSON
//! cannot carry, see [`boundary`]), calls these functions, parses the JSON
//! they return into plain objects, and turns the error JSON they throw into
//! `HealthScoreError`s. Nothing here keeps state between calls except the
//! model itself and a reusable column buffer, so a bad call never poisons an
//! instance.
//!
//! The package ships two modules built from this crate: the scoring module
//! (`model`, `set`: every call but calibration; built without the
//! `calibrate` feature) and the calibration module (`calibration`; built
//! with `only-calibration`), loaded only when calibration is first used.

mod boundary;
#[cfg(feature = "calibrate")]
mod calibration;
#[cfg(not(feature = "only-calibration"))]
mod columns;
#[cfg(not(feature = "only-calibration"))]
mod history;
#[cfg(not(feature = "only-calibration"))]
mod model;
#[cfg(not(feature = "only-calibration"))]
mod set;

#[cfg(feature = "calibrate")]
pub use calibration::CalibrationJob;
#[cfg(not(feature = "only-calibration"))]
pub use columns::{ColumnResult, PriorityOrder};
#[cfg(not(feature = "only-calibration"))]
pub use model::WasmModel;
#[cfg(not(feature = "only-calibration"))]
pub use set::WasmModelSet;

use crate::error::Error;
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// The error payload thrown to JS (as JSON text): the first error's fields
/// plus `errors`, the whole list.
pub(crate) fn thrown(errors: Vec<Error>) -> String {
    let first = errors.first().cloned().unwrap_or_else(|| {
        Error::new(
            "internal_error",
            "",
            "unknown error",
            "report this as a bug",
        )
    });
    json!({
        "code": first.code, "path": first.path, "message": first.message, "help": first.help,
        "errors": errors,
    })
    .to_string()
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        json!({ "code": "internal_error", "path": "", "message": e.to_string(), "help": "report this as a bug" }).to_string()
    })
}

/// Every problem with a model document (JSON text), as a JSON array; empty
/// when the model is valid. Never throws.
#[wasm_bindgen(js_name = validateModel)]
#[cfg(not(feature = "only-calibration"))]
pub fn validate_model(text: &str) -> String {
    let errors = match boundary::parse(text, "the model") {
        Ok(doc) => crate::Model::validate(&doc),
        Err(errors) => errors,
    };
    to_json(&errors)
}

/// Every error code with its meaning, as a JSON object.
#[wasm_bindgen(js_name = errorCodesJson)]
pub fn error_codes_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = crate::error::codes::ALL
        .iter()
        .map(|(c, m)| ((*c).into(), json!(m)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The path of `key` inside the object at `base`, written as every error
/// path is (`values.ops`, `values["a b"]`): the JS side writes its own paths
/// with this.
#[wasm_bindgen(js_name = fieldPath)]
pub fn field_path(base: &str, key: &str) -> String {
    crate::error::field(base, key)
}

/// `count` quantiles of the values (NaN left out) for a `percentile` rule,
/// as a JSON array; throws the error JSON.
#[wasm_bindgen(js_name = quantilesJson)]
pub fn quantiles_json(values: &[f64], count: usize) -> Result<String, String> {
    crate::model::quantiles(values, count)
        .map(|q| to_json(&q))
        .map_err(|e| thrown(vec![e]))
}

/// Facts the JS side uses (limits, band codes, the typing policy), as JSON:
/// one source for both languages.
#[wasm_bindgen(js_name = constantsJson)]
pub fn constants_json() -> String {
    use crate::score::typing;
    json!({
        "maxCells": crate::limits::MAX_TABLE_CELLS,
        "maxColumns": crate::limits::MAX_TABLE_COLUMNS,
        "maxColumnCells": crate::limits::MAX_COLUMN_CELLS,
        "maxAccounts": crate::limits::MAX_BATCH_ACCOUNTS,
        "maxBands": crate::limits::MAX_BANDS,
        "maxMeasures": crate::limits::MAX_MEASURES,
        "maxRuleEntries": crate::limits::MAX_RULE_ENTRIES,
        "maxSetModels": crate::limits::MAX_SET_MODELS,
        "maxHistory": crate::limits::MAX_HISTORY,
        "bandInsufficient": crate::score::BAND_INSUFFICIENT,
        "bandRefused": crate::score::BAND_REFUSED,
        "bandOther": crate::score::BAND_OTHER,
        "insufficientData": crate::score::insufficient_band(),
        "missingTexts": typing::MISSING_TEXTS,
        "trueTexts": typing::TRUE_TEXTS,
        "falseTexts": typing::FALSE_TEXTS,
    })
    .to_string()
}
