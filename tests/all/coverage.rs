//! Honesty about missing data: the low-coverage flag, its count in the
//! summary, the coverage penalty, and stale values without a half-life
//! (issue 16, item 7). Every number worked out by hand in the comments.

use crate::common::*;
use customer_health::{Account, Model, ScoreOptions};
use serde_json::{json, Value};

/// The shared `a_and_b` model: `a` alone is a coverage of 0.25, and
/// `minCoverage` 0.2 lets such an account have a band, as a lenient model
/// would.
fn two(extra: Value) -> Model {
    a_and_b(extra)
}

#[test]
fn a_score_on_little_data_is_flagged_and_counted() {
    let m = two(json!({}));
    // a 9 alone: 90 on a quarter of the weight; a 7, b 7: 70 on all of it.
    let thin = score(&m, json!({ "id": "thin", "values": { "a": 9 } }));
    let full = score(&m, json!({ "id": "full", "values": { "a": 7, "b": 7 } }));
    close(thin.score.unwrap(), 90.0);
    close(thin.coverage, 0.25);
    assert!(thin.low_coverage, "0.25 is below the default 0.8");
    assert_eq!(thin.band.id, "green");
    close(full.score.unwrap(), 70.0);
    assert!(!full.low_coverage);
    // b alone is 0.75: still below 0.8.
    let most = score(&m, json!({ "id": "most", "values": { "b": 5 } }));
    assert!(most.low_coverage);
    // No value at all: no score, nothing to flag (the band says it).
    let none = score(&m, json!({ "id": "none", "values": {} }));
    assert_eq!(none.band.id, "insufficient_data");
    assert!(!none.low_coverage);

    let accounts: Vec<Account> = [
        json!({ "id": "thin", "values": { "a": 9 } }),
        json!({ "id": "full", "values": { "a": 7, "b": 7 } }),
        json!({ "id": "most", "values": { "b": 5 } }),
        json!({ "id": "none", "values": {} }),
    ]
    .iter()
    .map(|a| Account::from_json(&a.to_string()).unwrap())
    .collect();
    let batch = m.score_many(&accounts);
    assert_eq!(batch.summary.count, 4);
    assert_eq!(batch.summary.low_coverage, 2);
    // The columnar summary counts the same rows from a flag column.
    let scores = [90.0, 70.0, 50.0, f64::NAN];
    let s = m.summarize_columns(&scores, &[2, 1, 1, 255], &[f64::NAN; 4], &[1, 0, 1, 0]);
    assert_eq!(s.low_coverage, 2);
    assert_eq!(s, batch.summary);

    // The threshold is the model's: at 0.25 nothing above a quarter is low.
    let lenient = two(json!({ "lowCoverageBelow": 0.25 }));
    assert!(!score(&lenient, json!({ "id": "thin", "values": { "a": 9 } })).low_coverage);
    assert!(score(&lenient, json!({ "id": "thin", "values": { "a": 9 } })).coverage >= 0.25);
}

#[test]
fn the_penalty_pulls_toward_neutral_in_proportion_to_what_is_missing() {
    // penalty × (1 − coverage) × (score − 50).
    let half = two(json!({ "coveragePenalty": 0.5 }));
    let thin = score(&half, json!({ "id": "t", "values": { "a": 9 } }));
    // 0.5 × 0.75 × 40 = 15 off 90.
    close(thin.uncapped_score.unwrap(), 90.0);
    close(thin.coverage_penalty, 15.0);
    close(thin.score.unwrap(), 75.0);
    assert_eq!(thin.band.id, "amber", "75 is not above 75");
    // Below 50 the score is pulled up: 0.5 × 0.75 × (10 − 50) = −15.
    let low = score(&half, json!({ "id": "l", "values": { "a": 1 } }));
    close(low.coverage_penalty, -15.0);
    close(low.score.unwrap(), 25.0);
    // Full data: no penalty.
    let full = score(&half, json!({ "id": "f", "values": { "a": 7, "b": 7 } }));
    close(full.coverage_penalty, 0.0);
    close(full.score.unwrap(), 70.0);

    // A penalty of 1 counts the missing weight as neutral, like `neutral`.
    let one = two(json!({ "coveragePenalty": 1 }));
    let neutral = two(json!({ "missing": "neutral" }));
    let a = score(&one, json!({ "id": "t", "values": { "a": 9 } }));
    let b = score(&neutral, json!({ "id": "t", "values": { "a": 9 } }));
    // (0.9 × 1 + 0.5 × 3) / 4 = 0.6.
    close(a.score.unwrap(), 60.0);
    close(b.score.unwrap(), 60.0);
}

#[test]
fn caps_apply_after_the_penalty() {
    let m = two(json!({
        "coveragePenalty": 0.5,
        "caps": [ { "when": { "measure": "a", "op": ">=", "value": 9 }, "max": 50, "reason": "test cap" } ]
    }));
    let card = score(&m, json!({ "id": "t", "values": { "a": 9 } }));
    close(card.uncapped_score.unwrap(), 90.0);
    close(card.coverage_penalty, 15.0);
    close(card.score.unwrap(), 50.0);
    assert_eq!(card.caps.len(), 1);
}

#[test]
fn levers_count_the_penalty_they_remove() {
    let m = two(json!({ "coveragePenalty": 1 }));
    let card = score(&m, json!({ "id": "t", "values": { "a": 9 } }));
    close(card.score.unwrap(), 60.0);
    let gain = |id: &str| {
        card.levers
            .iter()
            .find(|l| l.measure_id == id)
            .map(|l| l.points_missed)
    };
    // a at 10: 100 − 1 × 0.75 × 50 = 62.5, so +2.5, though the breakdown
    // (without the penalty) shows a missing 10 of its 100.
    close(gain("a").unwrap(), 2.5);
    close(card.categories[0].measures[0].points_missed, 10.0);
    // b has no value: filling it in is data to collect, not a lever.
    assert_eq!(gain("b"), None);
}

#[test]
fn stale_values_are_listed_without_decay() {
    let m = model(json!({
        "version": 1, "id": "stale", "staleAfterDays": 30,
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "usage", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "b", "weight": 1, "staleAfterDays": 90, "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "c", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } }
        ] } ]
    }));
    let options = ScoreOptions {
        as_of: Some("2026-10-01".into()),
        ..ScoreOptions::default()
    };
    let card = |observed: Value| {
        let a = Account::from_json(
            &json!({
                "id": "s", "values": { "a": 8, "b": 6, "c": null }, "observedAt": observed
            })
            .to_string(),
        )
        .unwrap();
        m.score_with(&a, &options).unwrap()
    };
    // a: 30 days (not past 30); b: 61 days (not past its own 90).
    let fresh = card(json!({ "a": "2026-09-01", "b": "2026-08-01" }));
    assert!(fresh.stale.is_empty(), "{:?}", fresh.stale);
    // a: 31 days; b: 122 days; c has no value, so it is missing, not stale.
    let old = card(json!({ "a": "2026-08-31", "b": "2026-06-01", "c": "2020-01-01" }));
    assert_eq!(old.stale, ["a", "b"]);
    // Staleness alone changes no number: (0.8 + 0.6) / 2.
    close(old.score.unwrap(), 70.0);
    close(fresh.score.unwrap(), 70.0);
    // Without a scoring date there is no age, so nothing is stale.
    let a = Account::from_json(
        &json!({
            "id": "s", "values": { "a": 8 }, "observedAt": { "a": "2000-01-01" }
        })
        .to_string(),
    )
    .unwrap();
    assert!(m.score(&a).unwrap().stale.is_empty());
}

#[test]
fn bad_settings_are_coded_errors_with_paths() {
    let mut doc = json!({
        "version": 1, "id": "bad", "lowCoverageBelow": 1.5, "coveragePenalty": -0.1, "staleAfterDays": 0,
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "usage", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "staleAfterDays": "soon", "rule": { "type": "scale", "min": 0, "max": 10 } }
        ] } ]
    });
    let mut got = problems(doc.clone());
    got.sort();
    assert_eq!(
        got,
        [
            ("invalid_value".to_string(), "coveragePenalty".to_string()),
            ("invalid_value".into(), "lowCoverageBelow".into()),
            ("invalid_value".into(), "staleAfterDays".into()),
            (
                "wrong_type".into(),
                "categories[0].measures[0].staleAfterDays".into()
            ),
        ]
    );
    // Left out at their defaults, the settings keep a model's hash.
    doc = json!({
        "version": 1, "id": "h",
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "usage", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ]
    });
    let plain = model(doc.clone());
    doc["lowCoverageBelow"] = json!(0.8);
    doc["coveragePenalty"] = json!(0);
    assert_eq!(model(doc).hash(), plain.hash());
    assert!(!plain.canonical_json().contains("lowCoverageBelow"));
    assert!(!plain.canonical_json().contains("coveragePenalty"));
}

#[test]
fn scorecards_stored_before_these_fields_still_read() {
    // A scorecard as an earlier version wrote it: no lowCoverage,
    // coveragePenalty, stale or overrides. `update` continues from it.
    let m = a_and_b(json!({}));
    let card = score(&m, json!({ "id": "old", "values": { "a": 7, "b": 7 } }));
    let mut stored = serde_json::to_value(&card).unwrap();
    for key in ["lowCoverage", "coveragePenalty", "stale", "overrides"] {
        stored.as_object_mut().unwrap().remove(key);
    }
    let previous: customer_health::Scorecard = serde_json::from_value(stored).unwrap();
    assert!(!previous.low_coverage && previous.stale.is_empty() && previous.overrides.is_empty());
    let next = m
        .update_json(&previous, &json!({ "b": 1 }).to_string(), None, None)
        .unwrap();
    // (7 + 3 × 1) / 4 × 10 = 25.
    close(next.scorecard.score.unwrap(), 25.0);
}
