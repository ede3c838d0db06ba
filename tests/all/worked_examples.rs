//! The worked examples of DESIGN.md, checked by hand.

use crate::common::*;
use serde_json::json;

#[test]
fn composite_kpi_72_5_is_watch() {
    let m = model(composite([50.0, 30.0, 20.0]));
    let card = score(
        &m,
        json!({ "id": "acme", "values": { "ops": 4, "com": 3, "eng": 5 } }),
    );
    // 100 × (0.5·0.75 + 0.3·0.5 + 0.2·1.0) = 37.5 + 15 + 20 = 72.5
    close(card.score.unwrap(), 72.5);
    assert_eq!(card.band.id, "watch");
    assert_eq!(card.band.label, "Watch");
    assert_eq!(card.band.color, "#e6a700");
    assert_eq!(card.coverage, 1.0);
    assert!(card.missing.is_empty());
    assert_eq!(card.total, None);
    let ops = &card.categories[0];
    close(ops.score.unwrap(), 75.0);
    close(ops.weight, 0.5);
    close(ops.contribution, 37.5);
    close(ops.points_missed, 12.5);
    let m0 = &ops.measures[0];
    assert_eq!(json!(m0.value), json!(4.0));
    close(m0.partial.unwrap(), 4.0);
    close(m0.normalized.unwrap(), 0.75);
    close(m0.weight, 1.0);
    close(m0.contribution, 37.5);
    close(m0.points_missed, 12.5);
    // commercial: 0.3 × 0.5 → 15 contributed, 15 missed; engagement: 20 and 0.
    close(card.categories[1].contribution, 15.0);
    close(card.categories[1].points_missed, 15.0);
    close(card.categories[2].contribution, 20.0);
    close(card.categories[2].points_missed, 0.0);
}

#[test]
fn relative_weights_give_the_same_model_score() {
    let a = model(composite([50.0, 30.0, 20.0]));
    let b = model(composite([5.0, 3.0, 2.0]));
    let acc = json!({ "id": "acme", "values": { "ops": 4, "com": 3, "eng": 5 } });
    close(
        score(&a, acc.clone()).score.unwrap(),
        score(&b, acc).score.unwrap(),
    );
}

#[test]
fn composite_levers_path_to_green() {
    let m = model(composite([50.0, 30.0, 20.0]));
    let card = score(
        &m,
        json!({ "id": "acme", "values": { "ops": 4, "com": 3, "eng": 5 } }),
    );
    // Points missed: com 15, ops 12.5 (eng 0 is not a lever).
    let ids: Vec<&str> = card.levers.iter().map(|l| l.measure_id.as_str()).collect();
    assert_eq!(ids, ["com", "ops"]);
    // Healthy is `above: 80`: 7.5 more points. ops alone: 7.5 / (100 × 0.5)
    // = 0.15 more normalised → 0.9 → 1 + 0.9 × 4 = 4.6, strictly beyond.
    let ops = card.levers[1].to_next_band.as_ref().unwrap();
    assert_eq!(ops.band, "healthy");
    close(ops.value.as_f64().unwrap(), 4.6);
    assert!(ops.strict);
    // com alone: 7.5 / 30 = 0.25 → 0.75 → 1 + 0.75 × 4 = 4.0, strictly beyond.
    let com = card.levers[0].to_next_band.as_ref().unwrap();
    close(com.value.as_f64().unwrap(), 4.0);
    assert!(com.strict);
}

#[test]
fn points_system_worked_example() {
    let m = model(points_model());
    let card = score(
        &m,
        json!({ "id": "p", "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } }),
    );
    // lo = 10 − 45 + 0 + 0 + 1 = −34; hi = 30 + 0 + 5 + 15 + 10 = 60.
    // usage 45 → 10 + 45/60 × 20 = 25; total 25 − 15 + 5 + 0 + 8 = 23.
    close(card.total.unwrap(), 23.0);
    // score = 100 × (23 + 34) / 94 = 60.6383…
    close(card.score.unwrap(), 100.0 * 57.0 / 94.0);
    assert_eq!(card.band.id, "neutral");
    // Contributions: 100 × (output − min) / 94; they add up to the score.
    let contrib = |id: &str| {
        card.categories
            .iter()
            .flat_map(|c| &c.measures)
            .find(|m| m.id == id)
            .unwrap()
            .contribution
    };
    close(contrib("usage"), 100.0 * 15.0 / 94.0);
    close(contrib("complaints"), 100.0 * 30.0 / 94.0);
    close(contrib("follows"), 100.0 * 5.0 / 94.0);
    close(contrib("reacts"), 0.0);
    close(contrib("csm"), 100.0 * 7.0 / 94.0);
    let sum: f64 = card.categories.iter().map(|c| c.contribution).sum();
    close(sum, card.score.unwrap());
}

#[test]
fn points_preset_matches_the_worked_example() {
    let m = customer_health::presets::preset("saas-points").unwrap();
    let card = score(
        &m,
        json!({ "id": "p", "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } }),
    );
    close(card.score.unwrap(), 5700.0 / 94.0);
    assert_eq!(card.band.id, "neutral");
    // 32.9 is at risk, 33 neutral, 66 opportunity (from-edges are inclusive).
    assert_eq!(m.bands()[m.band_index(32.9)].id, "at_risk");
    assert_eq!(m.bands()[m.band_index(33.0)].id, "neutral");
    assert_eq!(m.bands()[m.band_index(66.0)].id, "opportunity");
}

#[test]
fn points_levers_by_hand() {
    let m = model(points_model());
    let card = score(
        &m,
        json!({ "id": "p", "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } }),
    );
    // Opportunity needs a score of 66: total = −34 + 0.66 × 94 = 28.04, i.e. 5.04 more points.
    let lever = |id: &str| card.levers.iter().find(|l| l.measure_id == id).unwrap();
    // complaints and reacts each miss 15 points (100 × 15/94 = 15.96): a tie,
    // kept in model order; then usage (5 points) and csm (2 points).
    let ids: Vec<&str> = card.levers.iter().map(|l| l.measure_id.as_str()).collect();
    assert_eq!(ids, ["complaints", "reacts", "usage", "csm"]);
    close(card.levers[0].points_missed, 1500.0 / 94.0);
    close(card.levers[2].points_missed, 500.0 / 94.0);
    // reacts: true gives +15.
    assert_eq!(
        json!(lever("reacts").to_next_band.as_ref().unwrap().value),
        json!(true)
    );
    // complaints: 0 complaints gives +15.
    let c = lever("complaints").to_next_band.as_ref().unwrap();
    assert_eq!(json!(c.value), json!(0.0));
    assert!(!c.strict);
    // usage: needs 25 + 5.04 = 30.04 points > 30 max: cannot get there alone.
    assert!(lever("usage").to_next_band.is_none());
    // csm: needs 8 + 5.04 = 13.04 > 10: cannot.
    assert!(lever("csm").to_next_band.is_none());
}
