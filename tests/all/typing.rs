//! The typing policy at its edges (DESIGN-NOTES.md, "Column types"): text
//! sentinels are missing values, numbers are a `match` value by their text,
//! a measure's own `missingValues`, `missing: "impute"`, and scoring rows
//! wider than the model on purpose (`ignoreUnknown`).

use crate::common::*;
use customer_health::{Account, ScoreOptions};
use serde_json::{json, Value};

fn m() -> customer_health::Model {
    model(json!({
        "version": 1, "id": "typing",
        "bands": [ { "id": "low", "color": "#d55e00", "from": 0 }, { "id": "high", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "tenure", "weight": 1, "rule": { "type": "linear", "points": [[0, 0], [60, 100]] } },
            { "id": "price", "weight": 1, "missing": "impute", "missingScore": 20,
              "rule": { "type": "match", "scores": { "10": 100, "30": 60, "Unknown": 10 } } },
            { "id": "usage", "weight": 1, "missingValues": ["n.a."], "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "senior", "weight": 1, "rule": { "type": "flag", "ifTrue": 0, "ifFalse": 1 } }
        ] } ]
    }))
}

fn card(values: Value) -> customer_health::Scorecard {
    score(&m(), json!({ "id": "a", "values": values }))
}

fn measure(c: &customer_health::Scorecard, id: &str) -> customer_health::MeasureResult {
    c.categories[0]
        .measures
        .iter()
        .find(|x| x.id == id)
        .unwrap()
        .clone()
}

#[test]
fn missing_texts_are_missing_values() {
    for text in ["", " ", "NA", "n/a", "Unknown", "null", "?", "-", "#N/A"] {
        let c = card(json!({ "tenure": text, "senior": true }));
        let t = measure(&c, "tenure");
        assert_eq!(t.status, customer_health::Status::Skipped, "{text:?}");
        assert_eq!(
            json!(t.value),
            json!(text),
            "the value shown is the one given"
        );
        assert!(c.missing.contains(&"tenure".to_string()));
    }
    // Any other text is still refused: "45" is not silently 45.
    let e = m()
        .score(
            &Account::from_json(&json!({ "id": "a", "values": { "tenure": "45" } }).to_string())
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("not_a_number", "values.tenure")
    );
    // A flag takes booleans only, but a missing text is missing.
    let e = m()
        .score(
            &Account::from_json(&json!({ "id": "a", "values": { "senior": "yes" } }).to_string())
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(e[0].code, "not_a_boolean");
    assert_eq!(
        measure(&card(json!({ "senior": "NA", "tenure": 6 })), "senior").status,
        customer_health::Status::Skipped
    );
    // The measure's own missing texts.
    assert_eq!(
        measure(&card(json!({ "usage": "n.a.", "tenure": 6 })), "usage").status,
        customer_health::Status::Skipped
    );
}

#[test]
fn numbers_are_match_values_by_their_text() {
    let c = card(json!({ "price": 10 }));
    assert_eq!(measure(&c, "price").partial, Some(100.0));
    assert_eq!(
        json!(measure(&c, "price").value),
        json!(10.0),
        "the value shown is the one given"
    );
    assert_eq!(
        measure(&card(json!({ "price": 30.0 })), "price").partial,
        Some(60.0)
    );
    // A listed "Unknown" is a value of the rule, not a missing one.
    assert_eq!(
        measure(&card(json!({ "price": "Unknown" })), "price").partial,
        Some(10.0)
    );
    // Unlisted: refused (no otherwise); a missing text: missing, so imputed.
    let e = m()
        .score(
            &Account::from_json(&json!({ "id": "a", "values": { "price": 20 } }).to_string())
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(e[0].code, "unknown_value");
    let c = card(json!({ "price": "NA", "tenure": 30 }));
    let p = measure(&c, "price");
    assert_eq!(p.status, customer_health::Status::Imputed);
    // Imputed: the rule output 20 of 10..100 is normalised (20 − 10) / 90.
    assert_eq!(p.partial, Some(20.0));
    close(p.normalized.unwrap(), 10.0 / 90.0);
    // It takes part in the score, but not in coverage.
    close(c.score.unwrap(), 100.0 * (0.5 + 10.0 / 90.0) / 2.0);
    close(c.coverage, 0.25);
}

#[test]
fn impute_needs_a_missing_score_and_caps_name_listed_values() {
    let base = |measure: Value| {
        json!({
            "version": 1, "id": "x", "bands": [ { "id": "b", "color": "#000", "from": 0 } ],
            "categories": [ { "id": "c", "weight": 1, "measures": [measure] } ]
        })
    };
    let rule = json!({ "type": "scale", "min": 0, "max": 1 });
    assert_eq!(
        problems(base(
            json!({ "id": "m", "weight": 1, "missing": "impute", "rule": rule })
        )),
        [(
            "missing_field".to_string(),
            "categories[0].measures[0].missingScore".to_string()
        )]
    );
    assert_eq!(
        problems(base(
            json!({ "id": "m", "weight": 1, "missingScore": 3, "rule": rule })
        )),
        [(
            "invalid_value".to_string(),
            "categories[0].measures[0].missingScore".to_string()
        )]
    );
    // A missing score outside the rule's outputs widens its range.
    let wide = model(base(
        json!({ "id": "m", "weight": 1, "missing": "impute", "missingScore": -1, "rule": rule }),
    ));
    let c = score(&wide, json!({ "id": "a", "values": { "m": 1 } }));
    close(c.categories[0].measures[0].normalized.unwrap(), 1.0);
    let mut doc = base(
        json!({ "id": "m", "weight": 1, "rule": { "type": "match", "scores": { "a": 1, "b": 0 } } }),
    );
    doc["caps"] =
        json!([{ "when": { "measure": "m", "op": "==", "value": "z" }, "max": 10, "reason": "?" }]);
    assert_eq!(
        problems(doc),
        [("invalid_cap".to_string(), "caps[0].when.value".to_string())]
    );
}

#[test]
fn rows_wider_than_the_model_score_on_purpose() {
    let account = Account::from_json(&json!({
        "id": "a", "values": { "tenure": 30, "Churn": "Yes", "customerID": "7590" }, "observedAt": { "lastLogin": "2026-01-01" }
    }).to_string())
    .unwrap();
    let e = m().score(&account).unwrap_err();
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["values.Churn", "values.customerID", "observedAt.lastLogin"]
    );
    let opts = ScoreOptions {
        ignore_unknown: true,
        ..Default::default()
    };
    let c = m().score_with(&account, &opts).unwrap();
    assert_eq!(c.ignored, ["Churn", "customerID", "lastLogin"]);
    close(measure(&c, "tenure").partial.unwrap(), 50.0);
    // The list travels in the scorecard's JSON; without ignored keys it is absent.
    assert_eq!(
        serde_json::to_value(&c).unwrap()["ignored"],
        json!(["Churn", "customerID", "lastLogin"])
    );
    assert!(serde_json::to_value(card(json!({ "tenure": 3 })))
        .unwrap()
        .get("ignored")
        .is_none());
    // A bad value of a real measure is still an error.
    let bad = Account::from_json(
        &json!({ "id": "a", "values": { "tenure": "x", "Churn": "Yes" } }).to_string(),
    )
    .unwrap();
    assert_eq!(
        m().score_with(&bad, &opts).unwrap_err()[0].path,
        "values.tenure"
    );
}

#[test]
fn score_options_refuse_unknown_fields() {
    let e = serde_json::from_value::<ScoreOptions>(json!({ "at": "2026-01-01", "override": true }))
        .unwrap_err();
    assert!(e.to_string().contains("override"), "{e}");
}

#[test]
fn table_cells_reads_values_divisors_and_match_texts_as_a_table_does() {
    // logins per seat on 0..10; plan by name; churn-risk flag.
    let m = model(json!({
        "version": 1, "id": "cells",
        "bands": [ { "id": "low", "color": "#d55e00", "from": 0 }, { "id": "high", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "logins", "weight": 1, "per": "seats", "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "plan", "weight": 1, "rule": { "type": "match", "scores": { "Basic": 20, "true": 100, "false": 0 }, "otherwise": 50 } },
            { "id": "risk", "weight": 1, "rule": { "type": "flag", "ifTrue": 0, "ifFalse": 100 } }
        ] } ]
    }));
    let cells = customer_health::ScoreOptions {
        table_cells: true,
        ..Default::default()
    };
    let run = |values: serde_json::Value, fields: serde_json::Value| {
        let a = customer_health::Account::from_json(
            &json!({ "id": "a", "fields": fields, "values": values }).to_string(),
        )
        .unwrap();
        m.score_with(&a, &cells)
    };
    // "80" over "10" seats is 8 per seat → 80 (the text divided, as a number
    // would be); " Basic " is the key Basic → 20; "no" → false → 100.
    // Mean (80 + 20 + 100) / 3.
    let card = run(
        json!({ "logins": "80", "plan": " Basic ", "risk": "no" }),
        json!({ "seats": "10" }),
    )
    .unwrap();
    assert!(
        (card.score.unwrap() - 200.0 / 3.0).abs() < 1e-9,
        "{:?}",
        card.score
    );
    // The same as numbers and a boolean, strictly.
    let strict = m
        .score(
            &customer_health::Account::from_json(
                &json!({ "id": "a", "fields": { "seats": 10 }, "values": { "logins": 80, "plan": "Basic", "risk": false } }).to_string(),
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(card.score, strict.score);
    // A boolean for a match rule is its text: true → the key "true" → 100.
    let card = run(
        json!({ "logins": 80, "plan": true, "risk": 0 }),
        json!({ "seats": 10 }),
    )
    .unwrap();
    assert!((card.score.unwrap() - (80.0 + 100.0 + 100.0) / 3.0).abs() < 1e-9);
    // Strictly, each of these is refused.
    let a = customer_health::Account::from_json(
        &json!({ "id": "a", "fields": { "seats": 10 }, "values": { "logins": "80", "plan": true, "risk": "no" } }).to_string(),
    )
    .unwrap();
    let codes: Vec<String> = m
        .score(&a)
        .unwrap_err()
        .iter()
        .map(|e| e.code.clone())
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
}
