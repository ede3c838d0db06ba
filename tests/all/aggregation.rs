//! Missing policies, coverage, combine modes, caps and effective weights.

use crate::common::*;
use customer_health::{Model, Status};
use serde_json::{json, Value};

/// Category A (weight 60): a (w 3), b (w 1), each 0..10; category B (weight 40): c 0..10.
fn two_categories(policy: &str, combine: &str) -> Value {
    json!({
        "version": 1, "id": "m", "missing": policy,
        "bands": [
            { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 },
            { "id": "amber", "label": "Amber", "color": "#e69f00", "from": 50 },
            { "id": "green", "label": "Green", "color": "#009e73", "above": 80 }
        ],
        "categories": [
            { "id": "A", "weight": 60, "combine": combine, "measures": [
                { "id": "a", "weight": 3, "rule": { "type": "scale", "min": 0, "max": 10 } },
                { "id": "b", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } }
            ] },
            { "id": "B", "weight": 40, "measures": [
                { "id": "c", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } }
            ] }
        ]
    })
}

fn m(policy: &str, combine: &str) -> Model {
    model(two_categories(policy, combine))
}

#[test]
fn average_with_everything_present() {
    let card = score(
        &m("skip", "average"),
        json!({ "id": "x", "values": { "a": 8, "b": 4, "c": 5 } }),
    );
    // A = (3·0.8 + 1·0.4) / 4 = 0.7; score = 100 × (60·0.7 + 40·0.5) / 100 = 62
    close(card.score.unwrap(), 62.0);
    assert_eq!(card.band.id, "amber");
    close(card.categories[0].score.unwrap(), 70.0);
    close(card.categories[0].measures[0].weight, 0.75);
    close(
        card.categories[0].measures[0].contribution,
        100.0 * 0.6 * 0.75 * 0.8,
    );
    close(
        card.categories[0].measures[1].points_missed,
        100.0 * 0.6 * 0.25 * 0.6,
    );
}

#[test]
fn skip_renormalises_and_reports_coverage() {
    let card = score(
        &m("skip", "average"),
        json!({ "id": "x", "values": { "a": 8, "c": 5 } }),
    );
    // A = a alone = 0.8; score = 60·0.8 + 40·0.5 = 68; coverage = 0.6·0.75 + 0.4 = 0.85
    close(card.score.unwrap(), 68.0);
    close(card.coverage, 0.85);
    assert_eq!(card.missing, ["b"]);
    let b = &card.categories[0].measures[1];
    assert_eq!(b.status, Status::Skipped);
    assert_eq!((b.partial, b.normalized, b.weight), (None, None, 0.0));
    close(card.categories[0].measures[0].weight, 1.0);

    // A whole category missing: only B counts; weights renormalise to B = 1.
    let card = score(
        &m("skip", "average"),
        json!({ "id": "x", "values": { "c": 9 } }),
    );
    close(card.score.unwrap(), 90.0);
    close(card.coverage, 0.4);
    assert_eq!(card.band.id, "insufficient_data"); // 0.4 < minCoverage 0.5
    assert_eq!(card.categories[0].score, None);
    close(card.categories[1].weight, 1.0);
}

#[test]
fn neutral_and_worst_fill_in_but_do_not_cover() {
    let card = score(
        &m("neutral", "average"),
        json!({ "id": "x", "values": { "a": 8, "c": 5 } }),
    );
    // b = 0.5 → A = (2.4 + 0.5) / 4 = 0.725; score = 43.5 + 20 = 63.5
    close(card.score.unwrap(), 63.5);
    close(card.coverage, 0.85);
    assert_eq!(card.missing, ["b"]);
    let b = &card.categories[0].measures[1];
    assert_eq!(b.status, Status::Neutral);
    assert_eq!((b.partial, b.normalized), (Some(5.0), Some(0.5)));

    let card = score(
        &m("worst", "average"),
        json!({ "id": "x", "values": { "a": 8, "c": 5 } }),
    );
    // b = 0 → A = 2.4 / 4 = 0.6; score = 36 + 20 = 56
    close(card.score.unwrap(), 56.0);
    assert_eq!(card.categories[0].measures[1].status, Status::Worst);
}

#[test]
fn error_policy_refuses_the_account() {
    let model = m("error", "average");
    let acc = customer_health::Account::from_json(
        &json!({ "id": "x", "values": { "a": 8, "c": 5 } }).to_string(),
    )
    .unwrap();
    let e = model.score(&acc).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("missing_value", "values.b")
    );
    // A per-measure policy overrides the model's default.
    let mut doc = two_categories("error", "average");
    doc["categories"][0]["measures"][1]["missing"] = json!("skip");
    let card = score(
        &model_of(doc),
        json!({ "id": "x", "values": { "a": 8, "c": 5 } }),
    );
    close(card.score.unwrap(), 68.0);
}

fn model_of(doc: Value) -> Model {
    model(doc)
}

#[test]
fn no_value_at_all_has_no_score() {
    for policy in ["skip", "neutral", "worst"] {
        let card = score(
            &m(policy, "average"),
            json!({ "id": "x", "values": { "a": null } }),
        );
        assert_eq!(card.score, None, "{policy}");
        assert_eq!(card.band.id, "insufficient_data");
        assert!(card.coverage == 0.0 && card.coverage.is_sign_positive());
        assert_eq!(card.missing, ["a", "b", "c"]);
        assert!(card.levers.is_empty());
    }
}

#[test]
fn min_coverage_edge() {
    // Exactly 0.5 covered is enough; minCoverage 0 gives a band to any score.
    let mut doc = two_categories("skip", "average");
    doc["categories"][1]["weight"] = json!(60);
    let card = score(
        &model(doc.clone()),
        json!({ "id": "x", "values": { "c": 9 } }),
    );
    close(card.coverage, 0.5);
    assert_eq!(card.band.id, "green");
    doc["minCoverage"] = json!(0.51);
    let card = score(
        &model(doc.clone()),
        json!({ "id": "x", "values": { "c": 9 } }),
    );
    assert_eq!(card.band.id, "insufficient_data");
    doc["minCoverage"] = json!(0);
    let card = score(&model(doc), json!({ "id": "x", "values": { "b": 9 } }));
    assert_eq!(card.band.id, "green");
}

#[test]
fn combine_min_and_max() {
    let card = score(
        &m("skip", "min"),
        json!({ "id": "x", "values": { "a": 8, "b": 4, "c": 5 } }),
    );
    // A = min(0.8, 0.4) = 0.4; score = 24 + 20 = 44; b decides with weight 1.
    close(card.score.unwrap(), 44.0);
    assert_eq!(card.band.id, "red");
    let ms = &card.categories[0].measures;
    assert_eq!((ms[0].weight, ms[1].weight), (0.0, 1.0));
    assert_eq!(ms[0].contribution, 0.0);
    close(ms[1].contribution, 24.0);

    let card = score(
        &m("skip", "max"),
        json!({ "id": "x", "values": { "a": 8, "b": 4, "c": 5 } }),
    );
    close(card.score.unwrap(), 68.0);
    let ms = &card.categories[0].measures;
    assert_eq!((ms[0].weight, ms[1].weight), (1.0, 0.0));

    // Ties: the first in model order decides.
    let card = score(
        &m("skip", "min"),
        json!({ "id": "x", "values": { "a": 4, "b": 4, "c": 5 } }),
    );
    let ms = &card.categories[0].measures;
    assert_eq!((ms[0].weight, ms[1].weight), (1.0, 0.0));
}

#[test]
fn caps_fire_after_aggregation() {
    let mut doc = two_categories("skip", "average");
    doc["categories"][1]["measures"].as_array_mut().unwrap().push(json!(
        { "id": "p1", "weight": 0, "rule": { "type": "perEvent", "points": -1, "maxEvents": 5 } }
    ));
    doc["caps"] = json!([
        { "when": { "measure": "p1", "op": ">=", "value": 1 }, "max": 49, "reason": "Open P1 incident" },
        { "when": { "measure": "p1", "op": ">=", "value": 3 }, "max": 30, "reason": "Three P1 incidents" },
        { "when": { "measure": "a", "op": "<", "value": 2 }, "max": 60, "reason": "Ops failing" }
    ]);
    let model = model(doc);
    let card = score(
        &model,
        json!({ "id": "x", "values": { "a": 10, "b": 10, "c": 10, "p1": 0 } }),
    );
    assert_eq!(card.score, Some(100.0));
    assert!(card.caps.is_empty());

    let card = score(
        &model,
        json!({ "id": "x", "values": { "a": 10, "b": 10, "c": 10, "p1": 1 } }),
    );
    assert_eq!(card.score, Some(49.0));
    assert_eq!(card.band.id, "red"); // the band follows the capped score
    assert_eq!(card.caps.len(), 1);
    assert_eq!(card.caps[0].reason, "Open P1 incident");
    assert_eq!(card.caps[0].max, 49.0);
    // The breakdown stays uncapped.
    close(
        card.categories.iter().map(|c| c.contribution).sum::<f64>(),
        100.0,
    );
    // A cap holds the score down: no path to the next band.
    assert!(card.levers.iter().all(|l| l.to_next_band.is_none()));

    // Several caps: the lowest max wins; all are listed.
    let card = score(
        &model,
        json!({ "id": "x", "values": { "a": 10, "b": 10, "c": 10, "p1": 4 } }),
    );
    assert_eq!(card.score, Some(30.0));
    assert_eq!(card.caps.len(), 2);

    // A cap above the score changes nothing.
    let card = score(
        &model,
        json!({ "id": "x", "values": { "a": 1, "b": 0, "c": 0, "p1": 0 } }),
    );
    close(card.score.unwrap(), 4.5);
    assert_eq!(card.caps.len(), 1);

    // A missing measure never fires its cap.
    let card = score(
        &model,
        json!({ "id": "x", "values": { "a": 10, "b": 10, "c": 10 } }),
    );
    assert_eq!(card.score, Some(100.0));
}

#[test]
fn caps_on_flags_and_matches() {
    let doc = json!({
        "version": 1, "id": "m",
        "bands": [ { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 }, { "id": "green", "label": "Green", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "A", "weight": 1, "measures": [
            { "id": "churnRisk", "weight": 1, "rule": { "type": "flag", "ifTrue": 0, "ifFalse": 1 } },
            { "id": "plan", "weight": 1, "rule": { "type": "match", "scores": { "gold": 10, "free": 0 } } }
        ] } ],
        "caps": [
            { "when": { "measure": "churnRisk", "op": "==", "value": true }, "max": 20, "reason": "Announced churn" },
            { "when": { "measure": "plan", "op": "!=", "value": "gold" }, "max": 70, "reason": "Not on gold" }
        ]
    });
    let model = model(doc);
    let card = score(
        &model,
        json!({ "id": "x", "values": { "churnRisk": false, "plan": "gold" } }),
    );
    assert_eq!(card.score, Some(100.0));
    let card = score(
        &model,
        json!({ "id": "x", "values": { "churnRisk": false, "plan": "free" } }),
    );
    assert_eq!(card.score, Some(50.0));
    let card = score(
        &model,
        json!({ "id": "x", "values": { "churnRisk": true, "plan": "gold" } }),
    );
    assert_eq!(card.score, Some(20.0));
}

#[test]
fn effective_weights_sum_to_one() {
    let card = score(
        &m("skip", "average"),
        json!({ "id": "x", "values": { "a": 3, "b": 7, "c": 1 } }),
    );
    close(card.categories.iter().map(|c| c.weight).sum(), 1.0);
    for c in &card.categories {
        close(c.measures.iter().map(|m| m.weight).sum(), 1.0);
    }
}

#[test]
fn points_model_skip_leaves_the_derived_range() {
    let model = model(points_model());
    // Only usage and csm: lo = 10 + 1 = 11, hi = 30 + 10 = 40.
    let card = score(
        &model,
        json!({ "id": "x", "values": { "usage": 30, "csm": 5.5 } }),
    );
    // total = 20 + 5.5 = 25.5 → 100 × 14.5 / 29
    close(card.total.unwrap(), 25.5);
    close(card.score.unwrap(), 50.0);
    // coverage = spans present / all spans = (20 + 9) / (20 + 45 + 5 + 15 + 9) = 29/94
    close(card.coverage, 29.0 / 94.0);
    assert_eq!(card.band.id, "insufficient_data");
    assert_eq!(card.missing, ["complaints", "follows", "reacts"]);
}

#[test]
fn points_model_explicit_range_clamps() {
    let mut doc = points_model();
    doc["range"] = json!([0, 50]);
    let model = model(doc);
    let all = |usage: f64, complaints: u32| json!({ "id": "x", "values": { "usage": usage, "complaints": complaints, "follows": true, "reacts": true, "csm": 10 } });
    // total 30 + 0 + 5 + 15 + 10 = 60 > 50 → 100
    assert_eq!(score(&model, all(60.0, 0)).score, Some(100.0));
    // total 10 − 45 + 30 = −5 < 0 → 0
    assert_eq!(score(&model, all(0.0, 3)).score, Some(0.0));
    // total 20 − 15 + 30 = 35 → 70
    close(score(&model, all(30.0, 1)).score.unwrap(), 70.0);
}

#[test]
fn band_edges_from_is_inclusive_above_is_exclusive() {
    let model = m("skip", "average");
    let band = |s: f64| model.bands()[model.band_index(s)].id.clone();
    assert_eq!(band(0.0), "red");
    assert_eq!(band(49.999), "red");
    assert_eq!(band(50.0), "amber");
    assert_eq!(band(80.0), "amber");
    assert_eq!(band(80.0001), "green");
    assert_eq!(band(100.0), "green");
}
