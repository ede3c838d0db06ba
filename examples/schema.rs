//! Writes the JSON Schemas of the documents, generated from the Rust types:
//!
//!     cargo run --features schema --example schema -- OUT_DIR
//!
//! - `model.schema.json`: the model document (for editors: `"$schema"`).
//! - `types.schema.json`: every document type (model, account, scorecard,
//!   batch, error) under `$defs`, from which the TypeScript types are made.

use customer_health::calibrate::{
    Backtest, BandEdges, BandOptions, FitOptions, FitResult, Progress, SuggestOptions, Suggestion,
    TableOptions,
};
use customer_health::history::{Alert, Explanation, Replay, Update};
use customer_health::portfolio::{BandMovement, Prioritised, Rollup, RollupOptions};
use customer_health::score::Trend;
use customer_health::score::{ModelSetDoc, RowAccount, RowOptions, ScoreOptions};
use customer_health::{AccountDoc, Batch, Error, Lever, ModelSpec, Plan, Scorecard, Summary};
use schemars::{schema_for, JsonSchema};
use serde_json::{json, Map, Value};

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&out).expect("create the output folder");
    let mut model = serde_json::to_value(schema_for!(ModelSpec)).unwrap();
    model["$id"] = json!("https://customer-health.dev/schema/model.schema.json");
    model["title"] = json!("customer-health model");
    // Editors may put "$schema" in the document itself.
    if let Some(props) = model["properties"].as_object_mut() {
        props.insert("$schema".into(), json!({ "type": "string" }));
    }
    write(&out, "model.schema.json", &model);

    let mut defs = Map::new();
    add::<ModelSpec>(&mut defs, "Model");
    add::<AccountDoc>(&mut defs, "Account");
    add::<Scorecard>(&mut defs, "Scorecard");
    add::<Lever>(&mut defs, "Lever");
    add::<Plan>(&mut defs, "Plan");
    add::<Batch>(&mut defs, "Batch");
    add::<Summary>(&mut defs, "Summary");
    add::<ModelSetDoc>(&mut defs, "ModelSet");
    add::<Error>(&mut defs, "ErrorData");
    add::<Trend>(&mut defs, "Trend");
    add::<Alert>(&mut defs, "Alert");
    add::<Update>(&mut defs, "Update");
    add::<Explanation>(&mut defs, "Explanation");
    add::<Replay>(&mut defs, "Replay");
    add::<Prioritised>(&mut defs, "Prioritised");
    add::<BandMovement>(&mut defs, "BandMovement");
    add::<Rollup>(&mut defs, "Rollup");
    add::<RollupOptions>(&mut defs, "RollupOptions");
    add::<Backtest>(&mut defs, "Backtest");
    add::<FitResult>(&mut defs, "FitResult");
    add::<BandEdges>(&mut defs, "BandEdges");
    add::<Suggestion>(&mut defs, "Suggestion");
    add::<Progress>(&mut defs, "Progress");
    // The options of each call (one type per call, from the Rust types).
    add::<ScoreOptions>(&mut defs, "ScoreOptionsData");
    add::<TableOptions>(&mut defs, "BacktestOptionsData");
    add::<FitOptions>(&mut defs, "FitOptionsData");
    add::<SuggestOptions>(&mut defs, "SuggestOptionsData");
    add::<BandOptions>(&mut defs, "BandOptionsData");
    add::<RowOptions>(&mut defs, "RowOptions");
    add::<RowAccount>(&mut defs, "RowAccount");
    add::<customer_health::model::ModelInfo>(&mut defs, "ModelInfo");
    add::<customer_health::csv::Csv>(&mut defs, "CsvFile");
    let names: Vec<Value> = [
        "Model",
        "Account",
        "Scorecard",
        "Lever",
        "Plan",
        "Batch",
        "Summary",
        "ModelSet",
        "ErrorData",
        "Trend",
        "Alert",
        "Update",
        "Explanation",
        "Replay",
        "Prioritised",
        "BandMovement",
        "Rollup",
        "RollupOptions",
        "Backtest",
        "FitResult",
        "BandEdges",
        "Suggestion",
        "Progress",
        "ScoreOptionsData",
        "BacktestOptionsData",
        "FitOptionsData",
        "SuggestOptionsData",
        "BandOptionsData",
        "RowOptions",
        "RowAccount",
        "ModelInfo",
        "CsvFile",
    ]
    .iter()
    .map(|n| json!({ "$ref": format!("#/$defs/{n}") }))
    .collect();
    let all = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CustomerHealthTypes",
        "type": "object",
        "properties": { "all": { "anyOf": names } },
        "$defs": defs
    });
    write(&out, "types.schema.json", &all);
}

/// Adds `T`'s schema as `$defs[name]`, hoisting its own `$defs`.
fn add<T: JsonSchema>(defs: &mut Map<String, Value>, name: &str) {
    let mut s = serde_json::to_value(schema_for!(T)).unwrap();
    if let Some(Value::Object(inner)) = s.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (k, v) in inner {
            defs.insert(k, v);
        }
    }
    if let Some(o) = s.as_object_mut() {
        o.remove("$schema");
        o.insert("title".into(), json!(name));
    }
    defs.insert(name.into(), s);
}

fn write(dir: &str, name: &str, v: &Value) {
    let path = format!("{dir}/{name}");
    std::fs::write(&path, serde_json::to_string_pretty(v).unwrap() + "\n")
        .expect("write the schema");
    eprintln!("wrote {path}");
}
