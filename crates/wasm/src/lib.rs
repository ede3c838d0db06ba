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

#![cfg(target_arch = "wasm32")]

mod alloc;
mod boundary;
#[cfg(feature = "only-calibration")]
mod calibration;
#[cfg(not(feature = "only-calibration"))]
mod columns;
#[cfg(not(feature = "only-calibration"))]
mod model;
#[cfg(not(feature = "only-calibration"))]
mod rollup;
#[cfg(not(feature = "only-calibration"))]
mod set;

#[cfg(feature = "only-calibration")]
pub use calibration::CalibrationJob;
#[cfg(not(feature = "only-calibration"))]
pub use columns::{ColumnResult, PriorityOrder};
#[cfg(not(feature = "only-calibration"))]
pub use model::WasmModel;
#[cfg(not(feature = "only-calibration"))]
pub use set::WasmModelSet;

use customer_health::error::{Error, Errors};
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// The error payload thrown to JS (as JSON text): the first error's fields
/// plus `errors`, the whole list.
pub(crate) fn thrown(errors: impl Into<Errors>) -> String {
    let errors: Errors = errors.into();
    let first = errors.0.first().cloned().unwrap_or_else(|| {
        Error::new(
            "internal_error",
            "",
            "unknown error",
            "report this as a bug",
        )
    });
    json!({
        "code": first.code, "path": first.path, "message": first.message, "help": first.help,
        "errors": errors.0,
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
    let errors = match boundary::clean(text) {
        Ok(text) => customer_health::Model::validate(&text),
        Err(errors) => errors,
    };
    to_json(&errors)
}

/// Every error code with its meaning, as a JSON object.
#[wasm_bindgen(js_name = errorCodesJson)]
pub fn error_codes_json() -> String {
    let map: std::collections::BTreeMap<&str, &str> =
        customer_health::error::codes::ALL.iter().copied().collect();
    to_json(&map)
}

/// The path of `key` inside the object at `base`, written as every error
/// path is (`values.ops`, `values["a b"]`): the JS side writes its own paths
/// with this.
#[wasm_bindgen(js_name = fieldPath)]
pub fn field_path(base: &str, key: &str) -> String {
    customer_health::error::field(base, key)
}

/// `count` quantiles of the values (NaN left out) for a `percentile` rule,
/// as a JSON array; throws the error JSON.
#[wasm_bindgen(js_name = quantilesJson)]
pub fn quantiles_json(values: &[f64], count: usize) -> Result<String, String> {
    customer_health::model::quantiles(values, count)
        .map(|q| to_json(&q))
        .map_err(thrown)
}

/// Reads CSV text (the core's reader: delimiter from several lines,
/// decimal commas per column, line numbers in errors), as JSON.
#[wasm_bindgen(js_name = readCsv)]
#[cfg(not(feature = "only-calibration"))]
pub fn read_csv(text: &str) -> Result<String, String> {
    customer_health::csv::read(text)
        .map(|c| to_json(&c))
        .map_err(thrown)
}

/// Reads a CSV file's bytes (UTF-8, else Windows-1252), as JSON.
#[wasm_bindgen(js_name = readCsvBytes)]
#[cfg(not(feature = "only-calibration"))]
pub fn read_csv_bytes(bytes: &[u8]) -> Result<String, String> {
    customer_health::csv::read_bytes(bytes)
        .map(|c| to_json(&c))
        .map_err(thrown)
}

/// Facts the JS side uses (limits, band codes, the typing policy), as JSON:
/// one source for both languages.
#[wasm_bindgen(js_name = constantsJson)]
pub fn constants_json() -> String {
    use customer_health::score::typing;
    json!({
        "maxCells": customer_health::limits::MAX_TABLE_CELLS,
        "maxColumns": customer_health::limits::MAX_TABLE_COLUMNS,
        "maxColumnCells": customer_health::limits::MAX_COLUMN_CELLS,
        "maxAccounts": customer_health::limits::MAX_BATCH_ACCOUNTS,
        "maxBands": customer_health::limits::MAX_BANDS,
        "maxMeasures": customer_health::limits::MAX_MEASURES,
        "maxRuleEntries": customer_health::limits::MAX_RULE_ENTRIES,
        "maxSetModels": customer_health::limits::MAX_SET_MODELS,
        "maxHistory": customer_health::limits::MAX_HISTORY,
        "maxSeriesPoints": customer_health::limits::MAX_SERIES_POINTS,
        "maxAccountBytes": customer_health::limits::MAX_ACCOUNT_BYTES,
        "maxModelBytes": customer_health::limits::MAX_MODEL_BYTES,
        "maxOverrideConditions": customer_health::limits::MAX_OVERRIDE_CONDITIONS,
        "maxConditions": customer_health::limits::MAX_CONDITIONS,
        "maxOverrideCandidates": customer_health::limits::MAX_OVERRIDE_CANDIDATES,
        "maxPlanChanges": customer_health::limits::MAX_PLAN_CHANGES,
        "maxRollupLevers": customer_health::limits::MAX_ROLLUP_LEVERS,
        "maxRollupChildren": customer_health::portfolio::MAX_ROLLUP_CHILDREN,
        "maxRollupDepth": customer_health::portfolio::MAX_DEPTH,
        "maxNoteChars": customer_health::score::MAX_NOTE_CHARS,
        "bandInsufficient": customer_health::score::BAND_INSUFFICIENT,
        "bandRefused": customer_health::score::BAND_REFUSED,
        "bandOther": customer_health::score::BAND_OTHER,
        "insufficientData": customer_health::score::insufficient_band(),
        "missingTexts": typing::MISSING_TEXTS,
        "trueTexts": typing::TRUE_TEXTS,
        "falseTexts": typing::FALSE_TEXTS,
    })
    .to_string()
}
