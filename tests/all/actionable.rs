//! `actionable: false` (issues 25 and 26): a measure nobody on the account
//! team can change (tenure, age, the CSM's own rating) stays in the score
//! and its breakdown, and is never a lever or a plan's change. A `csm`
//! measure is not actionable unless it says so. The shared `a_and_b` model:
//! (a + 3b) / 4 × 10, bands red 0, amber 50, green above 75.

use crate::common::*;
use customer_health::Model;
use serde_json::{json, Value};

/// `a_and_b` with extra fields on measure `a`.
fn with_a(extra: Value) -> Model {
    let mut a = json!({ "id": "a", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } });
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    a_and_b(
        json!({ "categories": [ { "id": "usage", "weight": 1, "measures": [
        a,
        { "id": "b", "weight": 3, "rule": { "type": "scale", "min": 0, "max": 10 } }
    ] } ] }),
    )
}

#[test]
fn a_measure_that_is_not_actionable_scores_but_is_no_lever() {
    let m = with_a(json!({ "actionable": false }));
    // a 4, b 4: (4 + 12) / 4 × 10 = 40, red. `a` misses 0.25 × 0.6 × 100
    // = 15 points, `b` 0.75 × 0.6 × 100 = 45.
    let card = score(&m, json!({ "id": "x", "values": { "a": 4, "b": 4 } }));
    assert!((card.score.unwrap() - 40.0).abs() < 1e-9);
    let a = &card.categories[0].measures[0];
    assert_eq!(a.id, "a");
    assert!(
        (a.points_missed - 15.0).abs() < 1e-9,
        "the breakdown keeps it"
    );
    let ids: Vec<&str> = card.levers.iter().map(|l| l.measure_id.as_str()).collect();
    assert_eq!(ids, ["b"]);
    // b alone reaches amber at (4 + 3b) / 4 × 10 = 50: b = 16/3.
    let path = card.levers[0].to_next_band.as_ref().unwrap();
    assert_eq!(path.band, "amber");
    assert!((path.value.as_f64().unwrap() - 16.0 / 3.0).abs() < 1e-9);
    // The same account under the plain model has both levers, `b` first.
    let plain = score(
        &a_and_b(json!({})),
        json!({ "id": "x", "values": { "a": 4, "b": 4 } }),
    );
    let ids: Vec<&str> = plain.levers.iter().map(|l| l.measure_id.as_str()).collect();
    assert_eq!(ids, ["b", "a"]);
    assert_eq!(plain.score, card.score);
}

#[test]
fn a_plan_never_changes_a_measure_that_is_not_actionable() {
    // a 0, b 7: (0 + 21) / 4 × 10 = 52.5, amber. Green is above 75: b alone
    // gives at most (0 + 30) / 4 × 10 = 75 (not above), a alone does past 9.
    let account = json!({ "id": "x", "values": { "a": 0, "b": 7 } });
    let plain = a_and_b(json!({}));
    let lever_a = score(&plain, account.clone()).levers;
    let a = lever_a.iter().find(|l| l.measure_id == "a").unwrap();
    let path = a.to_next_band.as_ref().unwrap();
    assert!((path.value.as_f64().unwrap() - 9.0).abs() < 1e-9 && path.strict);
    let acc = customer_health::Account::from_json(&account.to_string()).unwrap();
    assert!(plain.plan(&acc).unwrap().is_some());
    // Not actionable: b's lever has no path, and there is no plan.
    let m = with_a(json!({ "actionable": false }));
    let card = score(&m, account.clone());
    let ids: Vec<&str> = card.levers.iter().map(|l| l.measure_id.as_str()).collect();
    assert_eq!(ids, ["b"]);
    assert!(card.levers[0].to_next_band.is_none());
    assert_eq!(m.plan(&acc).unwrap(), None);
}

#[test]
fn a_csm_measure_is_not_actionable_unless_it_says_so() {
    let account = json!({ "id": "x", "values": { "a": 4, "b": 4 } });
    let csm = with_a(json!({ "source": "csm" }));
    let ids: Vec<String> = score(&csm, account.clone())
        .levers
        .into_iter()
        .map(|l| l.measure_id)
        .collect();
    assert_eq!(ids, ["b"]);
    let asked = with_a(json!({ "source": "csm", "actionable": true }));
    let ids: Vec<String> = score(&asked, account)
        .levers
        .into_iter()
        .map(|l| l.measure_id)
        .collect();
    assert_eq!(ids, ["b", "a"]);
    // describe() fills the default in.
    let info = csm.describe();
    assert!(!info.measures[0].actionable && info.measures[1].actionable);
    assert!(asked.describe().measures[0].actionable);
}

#[test]
fn the_default_written_out_is_the_same_model_and_a_wrong_type_is_coded() {
    // One canonical form: `actionable` is kept only where it differs from
    // its source's default, so writing the default changes no hash.
    assert_eq!(
        with_a(json!({ "actionable": true })).hash(),
        a_and_b(json!({})).hash()
    );
    assert_eq!(
        with_a(json!({ "source": "csm", "actionable": false })).hash(),
        with_a(json!({ "source": "csm" })).hash()
    );
    assert_ne!(
        with_a(json!({ "actionable": false })).hash(),
        a_and_b(json!({})).hash()
    );
    let doc = json!({
        "version": 1, "id": "m",
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "actionable": "no", "rule": { "type": "scale", "min": 0, "max": 10 } }
        ] } ]
    });
    let e = Model::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(e[0].code, "wrong_type");
    assert_eq!(e[0].path, "categories[0].measures[0].actionable");
}
