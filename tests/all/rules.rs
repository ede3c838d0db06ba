//! Every rule at its edges: below, at, between and above thresholds; both
//! linear directions; the maxEvents cap; the refusals.

use crate::common::*;
use customer_health::{Account, Model};
use serde_json::{json, Value};

/// A one-measure weighted model around `rule`.
fn one(rule: Value) -> Model {
    model(json!({
        "version": 1, "id": "one",
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [ { "id": "x", "weight": 1, "rule": rule } ] } ]
    }))
}

/// (partial, normalised) of the value, or the error code.
fn eval(m: &Model, v: Value) -> Result<(f64, f64), String> {
    let acc = Account::from_json(&json!({ "id": "a", "values": { "x": v } }).to_string()).unwrap();
    match m.score(&acc) {
        Ok(card) => {
            let r = &card.categories[0].measures[0];
            Ok((r.partial.unwrap(), r.normalized.unwrap()))
        }
        Err(e) => {
            assert_eq!(e[0].path, "values.x");
            Err(e[0].code.clone())
        }
    }
}

fn partial(m: &Model, v: Value) -> f64 {
    eval(m, v).unwrap().0
}

#[test]
fn steps_below_at_between_above() {
    let m = one(json!({ "type": "steps", "thresholds": [3, 6], "scores": [5, 3, 1] }));
    assert_eq!(partial(&m, json!(-10)), 5.0);
    assert_eq!(partial(&m, json!(2.999)), 5.0);
    assert_eq!(partial(&m, json!(3)), 3.0); // at a threshold: the upper step
    assert_eq!(partial(&m, json!(4.5)), 3.0);
    assert_eq!(partial(&m, json!(5.999)), 3.0);
    assert_eq!(partial(&m, json!(6)), 1.0);
    assert_eq!(partial(&m, json!(1e9)), 1.0);
    // min 1, max 5: normalised (3 − 1) / 4 = 0.5
    assert_eq!(eval(&m, json!(4)).unwrap().1, 0.5);
    assert_eq!(eval(&m, json!(0)).unwrap().1, 1.0);
    assert_eq!(eval(&m, json!(7)).unwrap().1, 0.0);
}

#[test]
fn linear_rising_clamped() {
    let m = one(json!({ "type": "linear", "points": [[0, 10], [60, 30]] }));
    assert_eq!(partial(&m, json!(-5)), 10.0);
    assert_eq!(partial(&m, json!(0)), 10.0);
    close(partial(&m, json!(45)), 25.0);
    assert_eq!(partial(&m, json!(60)), 30.0);
    assert_eq!(partial(&m, json!(600)), 30.0);
    close(eval(&m, json!(30)).unwrap().1, 0.5);
}

#[test]
fn linear_falling_lower_is_better() {
    // Days since last login: 0 → 100, 30 → 20, 90 → 0.
    let m = one(json!({ "type": "linear", "points": [[0, 100], [30, 20], [90, 0]] }));
    assert_eq!(partial(&m, json!(0)), 100.0);
    close(partial(&m, json!(15)), 60.0);
    assert_eq!(partial(&m, json!(30)), 20.0);
    close(partial(&m, json!(60)), 10.0);
    assert_eq!(partial(&m, json!(365)), 0.0);
    close(eval(&m, json!(15)).unwrap().1, 0.6);
}

#[test]
fn per_event_with_and_without_cap() {
    let m = one(json!({ "type": "perEvent", "points": -15, "maxEvents": 3 }));
    assert_eq!(partial(&m, json!(0)), 0.0);
    assert_eq!(partial(&m, json!(1)), -15.0);
    assert_eq!(partial(&m, json!(3)), -45.0);
    assert_eq!(partial(&m, json!(10)), -45.0); // counted up to maxEvents
                                               // min −45, max 0: one complaint is (−15 + 45) / 45 = 2/3.
    close(eval(&m, json!(1)).unwrap().1, 2.0 / 3.0);
    assert_eq!(eval(&m, json!(-1)), Err("negative_count".into()));
    assert_eq!(eval(&m, json!(1.5)), Err("fractional_count".into()));
    assert_eq!(eval(&m, json!("2")), Err("not_a_number".into()));

    // Unbounded in a points model with an explicit range.
    let p = model(json!({
        "version": 1, "id": "p", "aggregation": "points", "range": [-50, 50],
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 } ],
        "categories": [ { "id": "c", "measures": [
            { "id": "x", "rule": { "type": "perEvent", "points": 10 } },
            { "id": "y", "rule": { "type": "scale", "min": 0, "max": 10 } }
        ] } ]
    }));
    let card = score(&p, json!({ "id": "a", "values": { "x": 12, "y": 0 } }));
    // 120 points: the total is 120, the score clamps at 100.
    assert_eq!(card.total, Some(120.0));
    assert_eq!(card.score, Some(100.0));
    let card = score(&p, json!({ "id": "a", "values": { "x": 2, "y": 5 } }));
    // total 25 → 100 × (25 + 50) / 100 = 75
    close(card.score.unwrap(), 75.0);
    // x counts as spanning the whole range (0..100): contribution 100 × 20 / 100.
    close(card.categories[0].measures[0].contribution, 20.0);
}

#[test]
fn flag_takes_booleans_only() {
    let m = one(json!({ "type": "flag", "ifTrue": 5 }));
    assert_eq!(partial(&m, json!(true)), 5.0);
    assert_eq!(partial(&m, json!(false)), 0.0);
    assert_eq!(eval(&m, json!(1)), Err("not_a_boolean".into()));
    assert_eq!(eval(&m, json!("true")), Err("not_a_boolean".into()));
    // A negative flag: an open escalation costs 10.
    let m = one(json!({ "type": "flag", "ifTrue": -10, "ifFalse": 0 }));
    assert_eq!(eval(&m, json!(true)).unwrap(), (-10.0, 0.0));
    assert_eq!(eval(&m, json!(false)).unwrap(), (0.0, 1.0));
}

#[test]
fn scale_at_and_outside_its_ends() {
    let m = one(json!({ "type": "scale", "min": 1, "max": 10 }));
    assert_eq!(eval(&m, json!(1)).unwrap(), (1.0, 0.0));
    assert_eq!(eval(&m, json!(10)).unwrap(), (10.0, 1.0));
    close(eval(&m, json!(8)).unwrap().1, 7.0 / 9.0);
    assert_eq!(eval(&m, json!(0.999)), Err("out_of_range".into()));
    assert_eq!(eval(&m, json!(10.5)), Err("out_of_range".into()));
    assert_eq!(eval(&m, json!([1])), Err("not_a_number".into()));
    assert_eq!(eval(&m, json!({})), Err("not_a_number".into()));
    assert_eq!(eval(&m, json!(true)), Err("not_a_number".into()));
}

#[test]
fn match_with_and_without_otherwise() {
    let m = one(
        json!({ "type": "match", "scores": { "Two year": 100, "One year": 60, "Month-to-month": 0 } }),
    );
    assert_eq!(eval(&m, json!("Two year")).unwrap(), (100.0, 1.0));
    assert_eq!(eval(&m, json!("One year")).unwrap(), (60.0, 0.6));
    assert_eq!(eval(&m, json!("Lifetime")), Err("unknown_value".into()));
    // A number is read by its canonical text (DESIGN-NOTES, typing policy).
    assert_eq!(eval(&m, json!(2)), Err("unknown_value".into()));
    assert_eq!(eval(&m, json!(true)), Err("not_a_string".into()));
    let prices = one(json!({ "type": "match", "scores": { "10": 100, "30": 50, "Unknown": 0 } }));
    assert_eq!(eval(&prices, json!(10)).unwrap(), (100.0, 1.0));
    assert_eq!(eval(&prices, json!(30.0)).unwrap(), (50.0, 0.5));
    assert_eq!(eval(&prices, json!("Unknown")).unwrap(), (0.0, 0.0));
    // otherwise is part of the range: min 0 .. max 100 still, and −20 extends it.
    let m = one(
        json!({ "type": "match", "scores": { "Two year": 100, "Month-to-month": 0 }, "otherwise": -20 }),
    );
    assert_eq!(eval(&m, json!("Lifetime")).unwrap(), (-20.0, 0.0));
    close(eval(&m, json!("Month-to-month")).unwrap().1, 20.0 / 120.0);
}

#[test]
fn non_finite_numbers_are_refused() {
    let m = one(json!({ "type": "scale", "min": 1, "max": 5 }));
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let acc = Account::new("a").with("x", customer_health::Input::Number(x));
        let e = m.score(&acc).unwrap_err();
        assert_eq!(
            (e[0].code.as_str(), e[0].path.as_str()),
            ("not_finite", "values.x")
        );
    }
    // The next good call still works.
    assert_eq!(partial(&m, json!(3)), 3.0);
}
