//! Trend measures (issue 16, item 5): a measure fed by a short series of
//! `{ at, value }` points, from which a slope, a ratio of two windows'
//! rates or an EWMA is derived before the rule applies. Worked by hand.

use crate::common::*;
use customer_health::{Account, Model, ScoreOptions};
use serde_json::{json, Value};

/// One measure `x` with the given series spec and a 0..100 scale (or the
/// rule given), so the score is the derived number itself.
fn one(series: Value, rule: Value) -> Model {
    model(json!({
        "version": 1, "id": "series",
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "x", "weight": 1, "series": series, "rule": rule } ] } ]
    }))
}

fn scale() -> Value {
    json!({ "type": "scale", "min": -1000, "max": 1000 })
}

/// The derived value (the breakdown's `value`) and the points counted.
fn derived(m: &Model, points: Value, as_of: Option<&str>) -> (Value, Option<usize>) {
    let a =
        Account::from_json(&json!({ "id": "a", "values": { "x": points } }).to_string()).unwrap();
    let opts = ScoreOptions {
        as_of: as_of.map(String::from),
        ..Default::default()
    };
    let card = m.score_with(&a, &opts).unwrap();
    let r = &card.categories[0].measures[0];
    (json!(r.value), r.series_points)
}

fn day(d: u32) -> String {
    format!("2026-10-{d:02}")
}

/// The ISO date `n` days after 2026-01-01 (2026 is not a leap year).
fn date(mut n: u32) -> String {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while n >= DAYS[month] {
        n -= DAYS[month];
        month += 1;
    }
    format!("2026-{:02}-{:02}", month + 1, n + 1)
}

#[test]
fn slope_per_30_days() {
    let m = one(json!({ "derive": "slope" }), scale());
    // 10, 20, 30 ten days apart: 1 a day, 30 per 30 days.
    let pts = json!([{ "at": day(1), "value": 10 }, { "at": day(11), "value": 20 }, { "at": day(21), "value": 30 }]);
    let (v, n) = derived(&m, pts.clone(), None);
    close(v.as_f64().unwrap(), 30.0);
    assert_eq!(n, Some(3));
    // Per 7 days, and only the last 10 days (20 → 30): still 1 a day.
    let m = one(
        json!({ "derive": "slope", "perDays": 7, "windowDays": 10 }),
        scale(),
    );
    close(derived(&m, pts, None).0.as_f64().unwrap(), 7.0);
    // One point: no slope, so the value is missing.
    let (v, _) = derived(&m, json!([{ "at": day(1), "value": 10 }]), None);
    assert_eq!(v, Value::Null);
}

#[test]
fn ratio_of_the_recent_window_to_the_prior_one() {
    // Last 4 weeks ÷ prior 8: weekly points, 5 a week lately, 10 before.
    let m = one(
        json!({ "derive": "ratio", "recentDays": 28, "priorDays": 56 }),
        scale(),
    );
    let end = 301; // 2026-10-29
    assert_eq!(date(end), "2026-10-29");
    let mut pts = Vec::new();
    for week in 0..12u32 {
        let value = if week < 4 { 5 } else { 10 };
        pts.push(json!({ "at": date(end - 7 * week), "value": value }));
    }
    // Recent: ages 0, 7, 14, 21 → 20 over 28 days; prior: ages 28..77 → 80
    // over 56 days: (20 / 28) / (80 / 56) = 0.5.
    let (v, n) = derived(&m, json!(pts), None);
    close(v.as_f64().unwrap(), 0.5);
    assert_eq!(n, Some(12));
    // The windows end at the scoring date: a week later the latest point is
    // 7 days old and the oldest falls out: recent ages 7, 14, 21 → 15 / 28;
    // prior ages 28..77 → 10 × 7 + 5 = 75 / 56 → 0.4.
    let (v, _) = derived(&m, json!(pts), Some("2026-11-05"));
    close(v.as_f64().unwrap(), (15.0 / 28.0) / (75.0 / 56.0));
    // Nothing in the prior window: no ratio.
    let (v, _) = derived(&m, json!([{ "at": day(1), "value": 5 }]), None);
    assert_eq!(v, Value::Null);
}

#[test]
fn ewma_with_a_half_life() {
    let m = one(json!({ "derive": "ewma", "halfLifeDays": 7 }), scale());
    // 20 a week before 10: weights 0.5 and 1 → (10 + 10) / 1.5.
    let (v, _) = derived(
        &m,
        json!([{ "at": day(1), "value": 20 }, { "at": day(8), "value": 10 }]),
        None,
    );
    close(v.as_f64().unwrap(), 20.0 / 1.5);
}

#[test]
fn the_rule_scores_the_derived_value_and_a_number_counts_as_derived() {
    // Falling usage is bad: a slope of −30 per 30 days or worse scores 0,
    // flat or rising scores 10.
    let m = one(
        json!({ "derive": "slope" }),
        json!({ "type": "linear", "points": [[-30, 0], [0, 10]] }),
    );
    let falling = json!([{ "at": day(1), "value": 30 }, { "at": day(11), "value": 20 }, { "at": day(21), "value": 10 }]);
    let a =
        Account::from_json(&json!({ "id": "a", "values": { "x": falling } }).to_string()).unwrap();
    assert_eq!(m.score(&a).unwrap().score, Some(0.0));
    // A number is taken as the derived value itself (columns, CSV): −15 → 5 of 10.
    let card = score(&m, json!({ "id": "b", "values": { "x": -15 } }));
    close(card.score.unwrap(), 50.0);
    assert_eq!(card.categories[0].measures[0].series_points, None);
}

#[test]
fn bad_series_are_coded_errors_with_paths() {
    let errs = Account::from_json(
        &json!({ "id": "a", "values": { "x": [
        { "at": "yesterday", "value": 1 }, { "at": day(2) }, { "at": day(3), "value": "7" }, 5
    ] } })
        .to_string(),
    )
    .unwrap_err();
    let got: Vec<(String, String)> = errs.into_iter().map(|e| (e.code, e.path)).collect();
    assert_eq!(
        got,
        [
            ("invalid_date".to_string(), "values.x[0].at".to_string()),
            ("missing_field".into(), "values.x[1].value".into()),
            ("wrong_type".into(), "values.x[2].value".into()),
            ("wrong_type".into(), "values.x[3]".into()),
        ]
    );
    // A series for a measure without `series`.
    let plain = a_and_b(json!({}));
    let a = Account::from_json(
        &json!({ "id": "a", "values": { "a": [{ "at": day(1), "value": 1 }] } }).to_string(),
    )
    .unwrap();
    let e = plain.score(&a).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("not_a_number", "values.a")
    );
    // Model errors: the fields a derivation needs, and only those.
    let mut got = problems(json!({
        "version": 1, "id": "bad",
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "r", "weight": 1, "series": { "derive": "ratio", "recentDays": 28 }, "rule": { "type": "scale", "min": 0, "max": 9 } },
            { "id": "e", "weight": 1, "series": { "derive": "ewma", "halfLifeDays": 7, "perDays": 30 }, "rule": { "type": "scale", "min": 0, "max": 9 } },
            { "id": "f", "weight": 1, "series": { "derive": "slope" }, "rule": { "type": "flag", "ifTrue": 1 } },
            { "id": "g", "weight": 1, "series": { "derive": "median" }, "rule": { "type": "scale", "min": 0, "max": 9 } }
        ] } ]
    }));
    got.sort();
    assert_eq!(
        got,
        [
            (
                "invalid_value".to_string(),
                "categories[0].measures[1].series.perDays".to_string()
            ),
            (
                "invalid_value".into(),
                "categories[0].measures[2].series".into()
            ),
            (
                "invalid_value".into(),
                "categories[0].measures[3].series.derive".into()
            ),
            (
                "missing_field".into(),
                "categories[0].measures[0].series.priorDays".into()
            ),
        ]
    );
}

/// Issue 27: `update` takes a series as `score` does (it refused one as
/// `not_a_number`), derives it again at the new date, and never carries the
/// derived number of an earlier date forward without its points.
#[test]
fn update_derives_a_series_again() {
    let m = model(json!({
        "version": 1, "id": "series",
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "x", "weight": 1, "series": { "derive": "slope" }, "rule": scale() },
            { "id": "y", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ]
    }));
    let first = json!([{ "at": day(1), "value": 10 }, { "at": day(11), "value": 20 }]);
    let a = Account::from_json(&json!({ "id": "a", "values": { "x": first, "y": 5 } }).to_string())
        .unwrap();
    let opts = ScoreOptions {
        at: Some(day(11)),
        ..Default::default()
    };
    let card = m.score_with(&a, &opts).unwrap();
    close(
        card.categories[0].measures[0]
            .value
            .as_ref()
            .unwrap()
            .as_f64()
            .unwrap(),
        30.0,
    );
    // Three points now: the slope is derived again (10, 20, 40: 1.5 a day, 45 per 30 days).
    let more = json!({ "x": [{ "at": day(1), "value": 10 }, { "at": day(11), "value": 20 }, { "at": day(21), "value": 40 }] });
    let u = m
        .update_json(&card, &more.to_string(), Some(&day(21)), None)
        .unwrap();
    let x = &u.scorecard.categories[0].measures[0];
    close(x.value.as_ref().unwrap().as_f64().unwrap(), 45.0);
    assert_eq!(x.series_points, Some(3));
    // Changing only y would carry x's slope of 2026-10-11 to 2026-10-21: refused.
    let e = m
        .update_json(&card, &json!({ "y": 6 }).to_string(), Some(&day(21)), None)
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("series_required", "values.x")
    );
    // A series' point that is not one is refused at its path, as in score.
    let e = m
        .update_json(
            &card,
            &json!({ "x": [{ "at": "soon", "value": 1 }] }).to_string(),
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_date", "values.x[0].at")
    );
}
