//! Combined plans: when no single change reaches the next band up, the
//! fewest changes across measures that do (`Model::plan`).

use crate::common::*;
use customer_health::{Account, Model, Plan};
use serde_json::{json, Value};

/// The sample model and its 200 accounts.
fn sample_portfolio() -> (Model, Vec<Value>) {
    let load = |name: &str| -> Value {
        let path = format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let m = Model::from_json(&load("model.json").to_string()).unwrap();
    let accounts = load("portfolio.json")["accounts"]
        .as_array()
        .unwrap()
        .clone();
    (m, accounts)
}

fn plan(m: &Model, values: Value) -> Option<Plan> {
    m.plan(&Account::from_json(&json!({ "id": "a", "values": values }).to_string()).unwrap())
        .unwrap()
}

/// Three equal categories of one 0..10 scale each; red below 50, amber from
/// 50, green above 75.
fn three() -> Model {
    let cat = |id: &str| {
        json!({ "id": id.to_uppercase(), "weight": 1, "measures": [
        { "id": id, "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] })
    };
    model(json!({
        "version": 1, "id": "three",
        "bands": [
            { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 },
            { "id": "amber", "label": "Amber", "color": "#e69f00", "from": 50 },
            { "id": "green", "label": "Green", "color": "#009e73", "above": 75 }
        ],
        "categories": [cat("a"), cat("b"), cat("c")]
    }))
}

#[test]
fn one_change_when_one_lever_reaches() {
    let m = three();
    // a 2, b 3, c 4: score 30. Amber needs 20 more points = 6 on one scale:
    // a → 8 (the lever with most points missed) does it alone.
    let p = plan(&m, json!({ "a": 2, "b": 3, "c": 4 })).unwrap();
    assert_eq!(p.band, "amber");
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.changes[0].measure_id, "a");
    assert_eq!(json!(p.changes[0].from), json!(2.0));
    assert_eq!(json!(p.changes[0].to), json!(8.0));
    close(p.score, 50.0);
}

#[test]
fn several_changes_when_no_single_one_reaches() {
    let m = three();
    // a 1, b 1, c 1: score 10. Amber needs 40 points: one scale gives at
    // most 30 (1 → 10). a to its best (10) gives 30 more, then b → 4 gives
    // the last 10: two changes, the second only as far as needed.
    let p = plan(&m, json!({ "a": 1, "b": 1, "c": 1 })).unwrap();
    assert_eq!(p.band, "amber");
    let changes: Vec<(&str, f64)> = p
        .changes
        .iter()
        .map(|c| {
            (
                c.measure_id.as_str(),
                c.to.as_ref().and_then(|v| v.as_f64()).unwrap(),
            )
        })
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0], ("a", 10.0));
    assert_eq!(changes[1].0, "b");
    close(changes[1].1, 4.0);
    close(p.score, 50.0);
    // Green (above 75) from amber with a 5, b 5, c 5 (50): needs more than
    // 25 points: a → 10 gives 16.67, then b beyond 7.5 (strict).
    let p = plan(&m, json!({ "a": 5, "b": 5, "c": 5 })).unwrap();
    assert_eq!(p.band, "green");
    assert_eq!(p.changes.len(), 2);
    close(
        p.changes[1].to.as_ref().and_then(|v| v.as_f64()).unwrap(),
        7.5,
    );
    assert!(p.changes[1].strict);
    assert!(p.score > 75.0);
}

#[test]
fn no_plan_in_the_top_band_with_too_little_data_or_under_a_cap() {
    let m = three();
    assert!(plan(&m, json!({ "a": 10, "b": 10, "c": 9 })).is_none());
    assert!(plan(&m, json!({})).is_none());
    let capped = model(json!({
        "version": 1, "id": "capped",
        "bands": [
            { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 },
            { "id": "amber", "label": "Amber", "color": "#e69f00", "from": 50 }
        ],
        "categories": [{ "id": "A", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "p1", "weight": 1, "rule": { "type": "flag", "ifTrue": 0, "ifFalse": 1 } } ] }],
        "caps": [{ "when": { "measure": "p1", "op": "==", "value": true }, "max": 40, "reason": "P1" }]
    }));
    // The cap holds the score at 40 whatever `a` does.
    assert!(plan(&capped, json!({ "a": 10, "p1": true })).is_none());
}

#[test]
fn every_plan_on_the_sample_portfolio_reaches_its_band() {
    let (m, accounts) = sample_portfolio();
    let mut multi = 0;
    for a in &accounts {
        let account = Account::from_json(&a.to_string()).unwrap();
        let card = m.score(&account).unwrap();
        let Some(p) = m.plan(&account).unwrap() else {
            continue;
        };
        let single = card
            .levers
            .iter()
            .find_map(|l| l.to_next_band.as_ref().map(|t| (l, t)));
        match single {
            // A single change is preferred, and it is the levers' path.
            Some((l, t)) => {
                assert_eq!(p.changes.len(), 1, "{}", card.account_id);
                assert_eq!(p.changes[0].measure_id, l.measure_id);
                // (the same value, or a hair beyond it when rounding left
                // the exact value short of the edge)
                match (
                    p.changes[0].to.as_ref().and_then(|v| v.as_f64()),
                    t.value.as_f64(),
                ) {
                    (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-6 * (1.0 + b.abs())),
                    _ => assert_eq!(p.changes[0].to, Some(t.value.clone())),
                }
            }
            None => {
                assert!(p.changes.len() >= 2, "{}", card.account_id);
                multi += 1;
            }
        }
        // Rescoring with every change (strict ones a hair beyond) reaches the band.
        // The same account (segment, observation dates), each changed
        // value new (observed now).
        let mut changed = a.clone();
        for c in &p.changes {
            changed["values"][&c.measure_id] = json!(c.to);
            if let Some(dates) = changed["observedAt"].as_object_mut() {
                dates.remove(&c.measure_id);
            }
        }
        let rank = |id: &str| m.bands().iter().position(|b| b.id == id).unwrap();
        // Strict changes go a hair beyond their value, each in the direction
        // that helps: try both directions for each.
        let strict: Vec<&customer_health::PlanChange> =
            p.changes.iter().filter(|c| c.strict).collect();
        let mut best = f64::NEG_INFINITY;
        for signs in 0..(1u32 << strict.len()) {
            let mut v = changed.clone();
            for (k, c) in strict.iter().enumerate() {
                let x = c.to.as_ref().and_then(|v| v.as_f64()).unwrap();
                let nudge = if signs >> k & 1 == 1 { 1e-6 } else { -1e-6 };
                v["values"][&c.measure_id] = json!(x + nudge * (1.0 + x.abs()));
            }
            let after = score(&m, v);
            if let Some(s) = after.score {
                if rank(&after.band.id) >= rank(&p.band) {
                    best = best.max(s);
                }
            }
        }
        assert!(
            best > f64::NEG_INFINITY,
            "{}: the plan does not reach {}",
            card.account_id,
            p.band
        );
    }
    assert!(multi > 20, "plans of several changes: {multi}");
}
