//! Levers and the path to the next band, checked by hand for every rule.

use crate::common::*;
use customer_health::{Model, ToNextBand};
use serde_json::{json, Value};

/// Two categories of equal weight: `x` (rule under test) and `y` (0..10 scale).
fn pair(rule: Value, combine: &str) -> Model {
    model(json!({
        "version": 1, "id": "pair",
        "bands": [
            { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 },
            { "id": "amber", "label": "Amber", "color": "#e69f00", "from": 50 },
            { "id": "green", "label": "Green", "color": "#009e73", "above": 75 }
        ],
        "categories": [
            { "id": "X", "weight": 1, "combine": combine, "measures": [
                { "id": "x", "weight": 1, "rule": rule },
                { "id": "z", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } }
            ] },
            { "id": "Y", "weight": 1, "measures": [ { "id": "y", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] }
        ]
    }))
}

fn path(m: &Model, values: Value, measure: &str) -> Option<ToNextBand> {
    let card = score(m, json!({ "id": "a", "values": values }));
    card.levers
        .into_iter()
        .find(|l| l.measure_id == measure)
        .and_then(|l| l.to_next_band)
}

#[test]
fn scale_needs_the_exact_value() {
    let m = pair(json!({ "type": "scale", "min": 0, "max": 10 }), "average");
    // x 2, z 4, y 6: X = 0.3, Y = 0.6, score 45 (red). Amber (from 50) needs
    // 5 more points: X must rise by 0.1 → x by 0.2 normalised → x = 4.
    let t = path(&m, json!({ "x": 2, "z": 4, "y": 6 }), "x").unwrap();
    assert_eq!(t.band, "amber");
    close(t.value.as_f64().unwrap(), 4.0);
    assert!(!t.strict);
    // y alone: Y must rise by 0.1 → y = 7.
    close(
        path(&m, json!({ "x": 2, "z": 4, "y": 6 }), "y")
            .unwrap()
            .value
            .as_f64()
            .unwrap(),
        7.0,
    );
}

#[test]
fn linear_falling_gives_the_highest_value_that_reaches() {
    // Days since last login: 0 → 10, 50 → 0 (lower is better).
    let m = pair(
        json!({ "type": "linear", "points": [[0, 10], [50, 0]] }),
        "average",
    );
    // x 40 → 2 → 0.2; z 4; y 6: X = 0.3, score 45. x must reach normalised
    // 0.4, output 4 → 30 days.
    let t = path(&m, json!({ "x": 40, "z": 4, "y": 6 }), "x").unwrap();
    close(t.value.as_f64().unwrap(), 30.0);
}

#[test]
fn steps_up_and_down() {
    // Tickets: < 3 → 10, 3..6 → 5, ≥ 6 → 0 (fewer is better).
    let m = pair(
        json!({ "type": "steps", "thresholds": [3, 6], "scores": [10, 5, 0] }),
        "average",
    );
    // x 7 → 0; z 4; y 6: X = 0.2, score 40. Needs X ≥ 0.3 → x normalised ≥ 0.2
    // → the middle step (0.5): fewer than 6 tickets, strictly.
    let t = path(&m, json!({ "x": 7, "z": 4, "y": 6 }), "x").unwrap();
    assert_eq!(json!(t.value), json!(6.0));
    assert!(t.strict);
    // Rising steps: < 3 → 0, ≥ 3 → 10; from x 1 the step up is reached at 3 itself.
    let m = pair(
        json!({ "type": "steps", "thresholds": [3], "scores": [0, 10] }),
        "average",
    );
    let t = path(&m, json!({ "x": 1, "z": 4, "y": 6 }), "x").unwrap();
    assert_eq!(json!(t.value), json!(3.0));
    assert!(!t.strict);
}

#[test]
fn per_event_counts() {
    let m = pair(
        json!({ "type": "perEvent", "points": -1, "maxEvents": 10 }),
        "average",
    );
    // x 8 → −8 → 0.2; z 4: X 0.3; y 6: score 45. Need x normalised 0.4 → −6 → 6 events.
    let t = path(&m, json!({ "x": 8, "z": 4, "y": 6 }), "x").unwrap();
    assert_eq!(json!(t.value), json!(6.0));
    // Positive points: +2 per referral up to 5 (0..10): from 1 (0.2) to 0.4 → 2 referrals.
    let m = pair(
        json!({ "type": "perEvent", "points": 2, "maxEvents": 5 }),
        "average",
    );
    assert_eq!(
        json!(
            path(&m, json!({ "x": 1, "z": 4, "y": 6 }), "x")
                .unwrap()
                .value
        ),
        json!(2.0)
    );
}

#[test]
fn flag_and_match() {
    let m = pair(
        json!({ "type": "flag", "ifTrue": 1, "ifFalse": 0 }),
        "average",
    );
    // x false; z 4, y 6: X = 0.2, score 40; true makes X 0.7 → 65: amber.
    assert_eq!(
        json!(
            path(&m, json!({ "x": false, "z": 4, "y": 6 }), "x")
                .unwrap()
                .value
        ),
        json!(true)
    );
    let m = pair(
        json!({ "type": "match", "scores": { "gold": 10, "silver": 5, "free": 0 } }),
        "average",
    );
    // From free: silver (0.5) is the smallest step that reaches 0.2.
    assert_eq!(
        json!(
            path(&m, json!({ "x": "free", "z": 4, "y": 6 }), "x")
                .unwrap()
                .value
        ),
        json!("silver")
    );
}

#[test]
fn unreachable_top_band_and_insufficient_data() {
    let m = pair(json!({ "type": "scale", "min": 0, "max": 10 }), "average");
    // x 0, z 0, y 10: score 50 (amber). Green (> 75): X must exceed 0.5 → x > 10: no.
    assert!(path(&m, json!({ "x": 0, "z": 0, "y": 10 }), "x").is_none());
    // y is already at its best: not a lever at all.
    let card = score(
        &m,
        json!({ "id": "a", "values": { "x": 0, "z": 0, "y": 10 } }),
    );
    assert!(card.levers.iter().all(|l| l.measure_id != "y"));
    // In the top band there is no next band.
    let card = score(
        &m,
        json!({ "id": "a", "values": { "x": 9, "z": 9, "y": 9 } }),
    );
    assert_eq!(card.band.id, "green");
    assert!(card.levers.iter().all(|l| l.to_next_band.is_none()));
    // Insufficient data: no path.
    let card = score(&m, json!({ "id": "a", "values": { "x": 1 } }));
    assert_eq!(card.band.id, "insufficient_data");
    assert!(card.levers.iter().all(|l| l.to_next_band.is_none()));
}

#[test]
fn combine_min_is_held_by_the_other_measure() {
    let m = pair(json!({ "type": "scale", "min": 0, "max": 10 }), "min");
    // x 2, z 3 → X = min = 0.2; y 6 → score 40. Amber needs X = 0.4: x alone
    // can only lift X to z's 0.3, so x has no path.
    assert!(path(&m, json!({ "x": 2, "z": 3, "y": 6 }), "x").is_none());
    // With z at 5, x = 4 does it.
    close(
        path(&m, json!({ "x": 2, "z": 5, "y": 6 }), "x")
            .unwrap()
            .value
            .as_f64()
            .unwrap(),
        4.0,
    );
}

#[test]
fn a_cap_the_value_would_trigger_blocks_the_path() {
    let mut doc = json!({
        "version": 1, "id": "c",
        "bands": [ { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 }, { "id": "green", "label": "Green", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "A", "weight": 1, "measures": [
            { "id": "logins", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 100 } },
            { "id": "y", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 100 } }
        ] } ]
    });
    let m1 = model(doc.clone());
    // logins 20, y 40: score 30; green needs 50 → logins 60.
    close(
        path(&m1, json!({ "logins": 20, "y": 40 }), "logins")
            .unwrap()
            .value
            .as_f64()
            .unwrap(),
        60.0,
    );
    // A cap (suspicious activity) at logins > 55 holds the score at 40.
    doc["caps"] = json!([{ "when": { "measure": "logins", "op": ">", "value": 55 }, "max": 40, "reason": "Bot traffic" }]);
    let m2 = model(doc);
    assert!(path(&m2, json!({ "logins": 20, "y": 40 }), "logins").is_none());
}

#[test]
fn a_lever_claims_what_rescoring_gives_in_a_min_category() {
    let m = pair(json!({ "type": "scale", "min": 0, "max": 10 }), "min");
    // x 2, z 3 → X = min(0.2, 0.3) = 0.2; y 6 → score 50 × 0.2 + 50 × 0.6 = 40.
    let card = score(
        &m,
        json!({ "id": "a", "values": { "x": 2, "z": 3, "y": 6 } }),
    );
    close(card.score.unwrap(), 40.0);
    let gain = |id: &str| {
        card.levers
            .iter()
            .find(|l| l.measure_id == id)
            .map(|l| l.points_missed)
    };
    // x at its best lifts X only to z's 0.3: +5, not the 40 its share misses.
    close(gain("x").unwrap(), 5.0);
    // z alone changes nothing (x stays the minimum): not a lever.
    assert_eq!(gain("z"), None);
    // y (a plain average) gains exactly what the breakdown shows it missing: 50 × 0.4 = 20.
    close(gain("y").unwrap(), 20.0);
    let missed = card.categories[1].measures[0].points_missed;
    assert_eq!(gain("y").unwrap(), missed);
    // Biggest checked gain first.
    let order: Vec<&str> = card.levers.iter().map(|l| l.measure_id.as_str()).collect();
    assert_eq!(order, ["y", "x"]);
}

#[test]
fn a_lever_under_a_cap_claims_only_what_the_cap_lets_through() {
    let m = model(json!({
        "version": 1, "id": "capped",
        "bands": [
            { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 },
            { "id": "green", "label": "Green", "color": "#009e73", "from": 50 }
        ],
        "categories": [ { "id": "C", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "p1", "weight": 1, "rule": { "type": "flag", "ifTrue": 0, "ifFalse": 1 } }
        ] } ],
        "caps": [ { "when": { "measure": "p1", "op": "==", "value": true }, "max": 30, "reason": "open P1" } ]
    }));
    // a 2 (0.2), p1 true (0) → 10, under the cap of 30.
    let card = score(&m, json!({ "id": "c", "values": { "a": 2, "p1": true } }));
    close(card.score.unwrap(), 10.0);
    let gain = |id: &str| {
        card.levers
            .iter()
            .find(|l| l.measure_id == id)
            .map(|l| l.points_missed)
    };
    // a at 10 would give 50, but the cap holds it at 30: +20, not +40.
    close(gain("a").unwrap(), 20.0);
    // Closing the P1 lifts the cap: 10 → 60, +50 (the breakdown's share).
    close(gain("p1").unwrap(), 50.0);
}
