//! Peer-relative measures (issue 16, item 4): the `percentile` rule scores a
//! value's rank in a reference distribution stored in the model (quantiles
//! from `quantiles`), and `per` divides a value by seats (an account field)
//! or by the account's value before the rule. Worked by hand.

use crate::common::*;
use customer_health::model::quantiles;
use customer_health::Model;
use serde_json::{json, Value};

fn one(measure: Value) -> Model {
    model(json!({
        "version": 1, "id": "peers",
        "bands": [
            { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 },
            { "id": "high", "label": "High", "color": "#009e73", "from": 50 }
        ],
        "categories": [ { "id": "c", "weight": 1, "measures": [ measure ] } ]
    }))
}

fn score_of(m: &Model, account: Value) -> Option<f64> {
    score(m, account).score
}

#[test]
fn percentile_rank_in_the_reference() {
    // Quantiles at ranks 0, 25, 50, 75, 100: the three zeros are one run at
    // its middle rank (0 + 50) / 2 = 25; then (10, 75), (20, 100).
    let m = one(
        json!({ "id": "x", "weight": 1, "rule": { "type": "percentile", "quantiles": [0, 0, 0, 10, 20] } }),
    );
    let at = |x: f64| score_of(&m, json!({ "id": "a", "values": { "x": x } })).unwrap();
    close(at(0.0), 25.0);
    close(at(5.0), 50.0); // halfway from 25 to 75
    close(at(10.0), 75.0);
    close(at(15.0), 87.5);
    close(at(30.0), 100.0); // above the reference's top
    close(at(-1.0), 25.0); // below it: the lowest run's rank (documented)
                           // A lever names the value that reaches the next band: rank 50 is 5.
    let card = score(&m, json!({ "id": "a", "values": { "x": 2 } }));
    let t = card.levers[0].to_next_band.as_ref().unwrap();
    assert_eq!(t.band, "high");
    close(t.value.as_f64().unwrap(), 5.0);
}

#[test]
fn quantiles_from_a_portfolio() {
    // 1..11: h = 10 p → 1, 3.5, 6, 8.5, 11.
    let xs: Vec<f64> = (1..=11).map(f64::from).collect();
    assert_eq!(quantiles(&xs, 5).unwrap(), [1.0, 3.5, 6.0, 8.5, 11.0]);
    // Unknown values are left out; order does not matter.
    let mixed = [11.0, f64::NAN, 1.0, 6.0];
    assert_eq!(quantiles(&mixed, 3).unwrap(), [1.0, 6.0, 11.0]);
    let e = quantiles(&xs, 1).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_value", "count")
    );
    let e = quantiles(&[f64::NAN, 3.0], 5).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_value", "values")
    );
    let e = quantiles(&[1.0, f64::INFINITY], 5).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("not_finite", "values[1]")
    );
    // Issue 27: a constant column has no distribution (its quantiles were a
    // reference the rule itself refuses), −0 and 0 alike.
    for same in [&[5.0, 5.0, 5.0][..], &[-0.0, 0.0]] {
        let e = quantiles(same, 11).unwrap_err();
        assert_eq!(
            (e[0].code.as_str(), e[0].path.as_str()),
            ("too_few_points", "values")
        );
    }
    // Near the ends of the doubles the gap overflows; the quantiles do not.
    let q = quantiles(&[-1.7e308, 1.7e308], 3).unwrap();
    assert!(q.iter().all(|x| x.is_finite()), "{q:?}");
    // The quantiles make a valid rule.
    let q = quantiles(&xs, 11).unwrap();
    let m =
        one(json!({ "id": "x", "weight": 1, "rule": { "type": "percentile", "quantiles": q } }));
    close(
        score_of(&m, json!({ "id": "a", "values": { "x": 6 } })).unwrap(),
        50.0,
    );
}

#[test]
fn bad_percentile_rules_are_coded_errors() {
    let doc = |q: Value| {
        json!({
            "version": 1, "id": "bad",
            "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
            "categories": [ { "id": "c", "weight": 1, "measures": [
                { "id": "x", "weight": 1, "rule": { "type": "percentile", "quantiles": q } } ] } ]
        })
    };
    let path = "categories[0].measures[0].rule.quantiles";
    assert_eq!(
        problems(doc(json!([0, 5, 3]))),
        [("points_not_increasing".to_string(), format!("{path}[2]"))]
    );
    assert_eq!(
        problems(doc(json!([4, 4, 4]))),
        [("too_few_points".to_string(), path.to_string())]
    );
}

#[test]
fn per_seat_divides_by_a_field() {
    // Logins per seat on a 0..10 scale.
    let m = one(
        json!({ "id": "logins", "weight": 1, "per": "seats", "rule": { "type": "scale", "min": 0, "max": 10 } }),
    );
    let card = score(
        &m,
        json!({ "id": "a", "values": { "logins": 50 }, "fields": { "seats": 10 } }),
    );
    close(card.score.unwrap(), 50.0);
    let r = &card.categories[0].measures[0];
    assert_eq!(json!(r.value), json!(50.0), "the value as given");
    let per = r.per.as_ref().unwrap();
    assert_eq!(
        (per.by.as_str(), per.divisor, per.value),
        ("seats", Some(10.0), Some(5.0))
    );
    // No seats (or 0): the measure is missing, not divided by nothing.
    let card = score(&m, json!({ "id": "b", "values": { "logins": 50 } }));
    assert_eq!(card.score, None);
    assert_eq!(card.missing, ["logins"]);
    let card = score(
        &m,
        json!({ "id": "c", "values": { "logins": 50 }, "fields": { "seats": 0 } }),
    );
    assert_eq!(card.score, None);
    // update keeps the divisor: 80 logins over the same 10 seats.
    let first = score(
        &m,
        json!({ "id": "a", "values": { "logins": 50 }, "fields": { "seats": 10 } }),
    );
    let up = m
        .update_json(&first, &json!({ "logins": 80 }).to_string(), None, None)
        .unwrap();
    close(up.scorecard.score.unwrap(), 80.0);
    // Per value: tickets per 1,000 of ARR, scored lower-is-better.
    let m = one(json!({ "id": "tickets", "weight": 1, "per": "value",
        "rule": { "type": "linear", "points": [[0, 10], [0.01, 0]] } }));
    let card = score(
        &m,
        json!({ "id": "a", "value": 1000, "values": { "tickets": 5 } }),
    );
    close(card.score.unwrap(), 50.0); // 0.005 is halfway
}
