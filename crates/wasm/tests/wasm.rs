//! The core and the bindings compiled to wasm32, run by wasm-bindgen-test in
//! Node and in headless Chromium (scripts/test.sh runs both):
//!
//!     cargo test --target wasm32-unknown-unknown --test wasm
//!     WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm
#![cfg(target_arch = "wasm32")]

use customer_health::{presets, Model};
use customer_health_wasm::{validate_model, WasmModel};
use serde_json::{json, Value};
use wasm_bindgen_test::*;

fn composite() -> String {
    json!({
        "version": 1, "id": "composite",
        "bands": [
            { "id": "action", "label": "Action needed", "color": "#c0392b", "from": 0 },
            { "id": "watch", "label": "Watch", "color": "#e6a700", "from": 50 },
            { "id": "healthy", "label": "Healthy", "color": "#2e8b57", "above": 80 }
        ],
        "categories": [
            { "id": "operational", "weight": 50, "measures": [ { "id": "ops", "weight": 1, "rule": { "type": "scale", "min": 1, "max": 5 } } ] },
            { "id": "commercial", "weight": 30, "measures": [ { "id": "com", "weight": 1, "rule": { "type": "scale", "min": 1, "max": 5 } } ] },
            { "id": "engagement", "weight": 20, "measures": [ { "id": "eng", "weight": 1, "rule": { "type": "scale", "min": 1, "max": 5 } } ] }
        ]
    })
    .to_string()
}

const ACME: &str = r#"{ "id": "acme", "values": { "ops": 4, "com": 3, "eng": 5 } }"#;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[wasm_bindgen_test]
fn worked_example_through_the_bindings() {
    let m = WasmModel::new(&composite()).unwrap();
    let card = parse(&m.score(ACME, None).unwrap());
    assert_eq!(card["score"], json!(72.5));
    assert_eq!(card["band"]["id"], "watch");
    let lever = &card["levers"][1]["toNextBand"];
    assert!((lever["value"].as_f64().unwrap() - 4.6).abs() < 1e-9);
}

#[wasm_bindgen_test]
fn points_worked_example_in_the_core() {
    let m = presets::preset("saas-points").unwrap();
    let acc = customer_health::Account::from_json(&json!({ "id": "p", "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } }).to_string()).unwrap();
    let card = m.score(&acc).unwrap();
    assert_eq!(card.total, Some(23.0));
    assert!((card.score.unwrap() - 5700.0 / 94.0).abs() < 1e-9);
    assert_eq!(card.band.id, "neutral");
}

#[wasm_bindgen_test]
fn the_hash_is_the_same_as_natively() {
    // Pinned in tests/models.rs for the native build.
    let m = presets::preset("composite-kpi").unwrap();
    assert_eq!(
        m.hash(),
        "cb88eade3a959d9c9cee31f4939ec5bfbacbd062d00f0c3328fd6388f80e1f3e"
    );
}

#[wasm_bindgen_test]
fn errors_are_thrown_as_data_and_the_instance_keeps_working() {
    let m = WasmModel::new(&composite()).unwrap();
    let e = parse(
        &m.score(r#"{ "id": "a", "values": { "ops": "\u0000NaN" } }"#, None)
            .unwrap_err(),
    );
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("not_finite"), Some("values.ops"))
    );
    let e = parse(
        &m.score(r#"{ "id": "a", "values": { "ops": "4" } }"#, None)
            .unwrap_err(),
    );
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("not_a_number"), Some("values.ops"))
    );
    assert_eq!(parse(&m.score(ACME, None).unwrap())["score"], json!(72.5));
    let e =
        WasmModel::new(r#"{ "version": 1, "id": "x", "bands": [], "categories": [], "typo": 1 }"#)
            .err()
            .unwrap();
    let e = parse(&e);
    assert_eq!(e["errors"].as_array().unwrap().len(), 3);
    assert_eq!(parse(&validate_model(&composite())), json!([]));
}

#[wasm_bindgen_test]
fn columns_through_the_staging_buffer() {
    let mut m = WasmModel::new(&composite()).unwrap();
    // More cells than the limit: refused before any allocation, and the model still works.
    let e = parse(&m.column_buffer(1 << 25, true).unwrap_err());
    assert_eq!(e["code"], "too_large");
    let view = m.column_buffer(2, true).unwrap();
    view.copy_from(&[4.0, 1.0, 3.0, 1.0, 5.0, f64::NAN]);
    let mut out = m
        .score_staged(2, &[1, 1, 1], true, false, false, 0)
        .unwrap();
    let scores = out.take_scores();
    assert_eq!(scores[0], 72.5);
    // Row 1: ops 1, com 1, eng missing: 0 with coverage 0.8.
    assert_eq!(scores[1], 0.0);
    assert_eq!(out.take_bands(), vec![1, 0]);
    // The breakdown: three categories (category-major), 100 · (v − 1) / 4 each.
    assert_eq!(out.take_categories()[..2], [75.0, 0.0]);
    assert_eq!(out.take_contributions().len(), 6);
    let core = Model::from_json(&composite()).unwrap();
    assert_eq!(
        core.score_columns(&[Some(&[4.0]), Some(&[3.0]), Some(&[5.0])], 1)
            .unwrap()
            .scores,
        vec![72.5]
    );
}
