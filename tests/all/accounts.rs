//! Bad account input: a clear error with a code and a path, never a panic,
//! never a silent wrong number; and the next good call still works.

use crate::common::*;
use customer_health::{Account, Model};
use serde_json::{json, Value};

fn saas() -> Model {
    customer_health::presets::preset("saas-points").unwrap()
}

fn good() -> Value {
    json!({ "id": "p", "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } })
}

/// Every (code, path) for an account given as JSON.
fn refusals(m: &Model, account: Value) -> Vec<(String, String)> {
    let errs = match Account::from_json(&account.to_string()) {
        Err(e) => e.0,
        Ok(a) => m.score(&a).err().map(|e| e.0).unwrap_or_default(),
    };
    errs.into_iter().map(|e| (e.code, e.path)).collect()
}

#[track_caller]
fn refused(m: &Model, account: Value, code: &str, path: &str) {
    let got = refusals(m, account);
    assert!(
        got.contains(&(code.into(), path.into())),
        "expected {code} at {path}, got {got:?}"
    );
    // The model is not poisoned: the next good call gives the right answer.
    close(score(m, good()).score.unwrap(), 5700.0 / 94.0);
}

fn with_value(key: &str, v: Value) -> Value {
    let mut a = good();
    a["values"][key] = v;
    a
}

#[test]
fn value_errors() {
    let m = saas();
    refused(
        &m,
        with_value("usage", json!("45")),
        "not_a_number",
        "values.usage",
    );
    refused(
        &m,
        with_value("usage", json!([45])),
        "not_a_number",
        "values.usage",
    );
    refused(
        &m,
        with_value("usage", json!({ "minutes": 45 })),
        "not_a_number",
        "values.usage",
    );
    refused(
        &m,
        with_value("complaints", json!(-1)),
        "negative_count",
        "values.complaints",
    );
    refused(
        &m,
        with_value("complaints", json!(0.5)),
        "fractional_count",
        "values.complaints",
    );
    refused(
        &m,
        with_value("complaints", json!(1e300)),
        "out_of_range",
        "values.complaints",
    );
    refused(
        &m,
        json!({ "id": "a", "value": 1e300 }),
        "invalid_value",
        "value",
    );
    refused(
        &m,
        with_value("follows", json!(1)),
        "not_a_boolean",
        "values.follows",
    );
    refused(
        &m,
        with_value("csm", json!(11)),
        "out_of_range",
        "values.csm",
    );
    refused(
        &m,
        with_value("csm", json!(0)),
        "out_of_range",
        "values.csm",
    );
    refused(
        &m,
        with_value("sentiment", json!(5)),
        "unknown_measure",
        "values.sentiment",
    );
    refused(
        &m,
        with_value("two words", json!(5)),
        "unknown_measure",
        "values[\"two words\"]",
    );
}

#[test]
fn every_bad_value_is_reported() {
    let mut a = good();
    a["values"]["usage"] = json!("lots");
    a["values"]["csm"] = json!(42);
    a["values"]["extra"] = json!(1);
    let got = refusals(&saas(), a);
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn structure_errors() {
    let m = saas();
    refused(&m, json!("acme"), "wrong_type", "");
    refused(&m, json!({ "values": {} }), "missing_field", "id");
    refused(
        &m,
        json!({ "id": "a", "vals": {} }),
        "unknown_field",
        "vals",
    );
    refused(
        &m,
        json!({ "id": "a", "values": [1, 2] }),
        "wrong_type",
        "values",
    );
    refused(
        &m,
        json!({ "id": "a", "value": -5 }),
        "negative_value",
        "value",
    );
    refused(
        &m,
        json!({ "id": "a", "value": "big" }),
        "wrong_type",
        "value",
    );
    refused(
        &m,
        json!({ "id": "a", "segment": 3 }),
        "wrong_type",
        "segment",
    );
    refused(
        &m,
        json!({ "id": "a", "observedAt": { "csm": "last week" } }),
        "invalid_date",
        "observedAt.csm",
    );
    refused(
        &m,
        json!({ "id": "a", "observedAt": { "nps": "2026-09-30" } }),
        "unknown_measure",
        "observedAt.nps",
    );
}

#[test]
fn unknown_measure_suggests_the_nearest() {
    let a = Account::from_json(&with_value("complaint", json!(1)).to_string()).unwrap();
    let e = saas().score(&a).unwrap_err();
    assert!(
        e[0].help.contains("did you mean `complaints`"),
        "{:?}",
        e[0]
    );
}

#[test]
fn null_means_missing() {
    let card = score(&saas(), with_value("reacts", Value::Null));
    assert_eq!(card.missing, ["reacts"]);
    // Without reacts (0..15) the derived range is −34..45: total 23 → 100 × 57 / 79.
    close(card.score.unwrap(), 5700.0 / 79.0);
}

#[test]
fn account_fields_reach_the_scorecard() {
    let mut a = good();
    a["name"] = json!("Acme Corp");
    a["segment"] = json!("enterprise");
    a["value"] = json!(120000);
    let card = score(&saas(), a);
    assert_eq!(card.account_id, "p");
    assert_eq!(card.name.as_deref(), Some("Acme Corp"));
    assert_eq!(card.segment.as_deref(), Some("enterprise"));
    assert_eq!(card.value, Some(120000.0));
    assert_eq!(card.model_id, "saas-points");
    assert_eq!(card.model_hash, saas().hash());
    assert_eq!(card.at, None);
    let opts = customer_health::ScoreOptions {
        at: Some("2026-09-30".into()),
        ..Default::default()
    };
    let acc = Account::from_json(&good().to_string()).unwrap();
    assert_eq!(
        saas().score_with(&acc, &opts).unwrap().at.as_deref(),
        Some("2026-09-30")
    );
    let bad = customer_health::ScoreOptions {
        at: Some("30/09/2026".into()),
        ..Default::default()
    };
    assert_eq!(
        saas().score_with(&acc, &bad).unwrap_err()[0].code,
        "invalid_date"
    );
}

#[test]
fn scorecard_json_shape() {
    let card = score(&saas(), good());
    let v = serde_json::to_value(&card).unwrap();
    for key in [
        "accountId",
        "modelId",
        "modelHash",
        "score",
        "total",
        "band",
        "coverage",
        "missing",
        "caps",
        "categories",
        "levers",
        "at",
        "value",
        "segment",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let m = &v["categories"][0]["measures"][0];
    for key in [
        "id",
        "value",
        "partial",
        "normalized",
        "weight",
        "contribution",
        "pointsMissed",
        "status",
    ] {
        assert!(m.get(key).is_some(), "missing measure {key}");
    }
    assert!(v["levers"][0].get("toNextBand").is_some());
    // A scorecard reads back to the same value.
    let back: customer_health::Scorecard = serde_json::from_value(v).unwrap();
    assert_eq!(back, card);
}
