//! History: trends, alerts (firing and not firing on noise), staleness,
//! update and explainChange, each worked out by hand (the portfolio side is
//! in tests/portfolio.rs).

use crate::common::*;
use customer_health::model::{AlertKind, Direction};
use customer_health::{Account, Model, ScoreOptions, Scorecard};
use serde_json::{json, Value};

/// `{ at, score }` points, one per (day offset from 2026-01-01, score).
fn points(days_scores: &[(u32, f64)]) -> Value {
    let base = customer_health::date::parse_iso("2026-01-01").unwrap();
    Value::Array(
        days_scores
            .iter()
            .map(|(d, s)| {
                let t = base + f64::from(*d) * 86_400.0;
                json!({ "at": iso(t), "score": s })
            })
            .collect(),
    )
}

fn iso(t: f64) -> String {
    // The date part of the date-time (whole days here).
    iso_datetime((t / 86_400.0).floor() as i64 * 86_400)[..10].to_string()
}

fn kpi() -> Model {
    model(composite([50.0, 30.0, 20.0]))
}

fn kinds(m: &Model, h: &Value) -> Vec<(AlertKind, f64)> {
    m.alerts_json(&h.to_string())
        .unwrap()
        .into_iter()
        .map(|a| (a.kind, a.score))
        .collect()
}

#[test]
fn trend_slope_by_hand() {
    let m = kpi();
    let snaps = m
        .read_history(&points(&[(30, 70.0), (0, 60.0), (20, 66.0), (10, 62.0)]).to_string())
        .unwrap();
    let t = m.trend_of(&snaps).unwrap();
    // x = 0, 10, 20, 30 (mean 15); y = 60, 62, 66, 70 (mean 64.5)
    // Sxy = (−15)(−4.5) + (−5)(−2.5) + 5·1.5 + 15·5.5 = 170; Sxx = 500
    // slope 0.34 / day = 10.2 per 30 days.
    close(t.slope_per_30_days.unwrap(), 10.2);
    assert_eq!(t.direction, Some(Direction::Up));
    assert_eq!(t.snapshots, 4);
    close(t.change_since_previous.unwrap(), 4.0);
    close(t.change_over_window.unwrap(), 10.0); // day 0 is exactly 30 days back
    assert_eq!(t.at.as_deref(), Some("2026-01-31"));
    // Flat within ±3 per 30 days; a single point has no slope; two points
    // have a slope but no direction (trendMinSnapshots is 3).
    let t = m
        .trend_of(
            &m.read_history(&points(&[(0, 60.0), (15, 61.0), (30, 62.0)]).to_string())
                .unwrap(),
        )
        .unwrap();
    assert_eq!(t.direction, Some(Direction::Flat));
    let t = m
        .trend_of(
            &m.read_history(&points(&[(0, 60.0), (30, 62.0)]).to_string())
                .unwrap(),
        )
        .unwrap();
    close(t.slope_per_30_days.unwrap(), 2.0);
    assert_eq!(t.direction, None);
    let t = m
        .trend_of(&m.read_history(&points(&[(0, 60.0)]).to_string()).unwrap())
        .unwrap();
    assert_eq!(
        (t.slope_per_30_days, t.direction, t.change_since_previous),
        (None, None, None)
    );
    // Outside the 90-day window a point does not count.
    let t = m
        .trend_of(
            &m.read_history(
                &points(&[(0, 0.0), (100, 50.0), (105, 50.0), (110, 50.0)]).to_string(),
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(t.snapshots, 3);
    assert_eq!(t.direction, Some(Direction::Flat));
}

#[test]
fn history_errors_have_paths() {
    let m = kpi();
    let e = m
        .read_history(
            &json!([{ "at": "2026-01-01", "score": 50 }, { "at": "2026-01-01", "score": 60 }])
                .to_string(),
        )
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("duplicate_date", "[1].at")
    );
    let e = m
        .read_history(&json!([{ "at": "yesterday", "score": 50 }]).to_string())
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_date", "[0].at")
    );
    let e = m
        .read_history(&json!([{ "score": 50 }]).to_string())
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("missing_field", "[0].at")
    );
    let e = m
        .read_history(&json!([{ "at": "2026-01-01", "score": 150 }]).to_string())
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("out_of_range", "[0].score")
    );
    let e = m
        .read_history(&json!([{ "at": "2026-01-01", "scor": 1 }]).to_string())
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_field", "[0].scor")
    );
    assert_eq!(
        m.read_history(&json!({}).to_string()).unwrap_err()[0].code,
        "wrong_type"
    );
}

#[test]
fn band_changed_with_hysteresis() {
    let m = kpi();
    // Past the edge by the margin (50 + 2): fires at once.
    assert_eq!(
        kinds(&m, &points(&[(0, 45.0), (1, 52.5)])),
        [(AlertKind::BandChanged, 52.5)]
    );
    // Just past the edge: waits for a second snapshot in the new band.
    assert_eq!(kinds(&m, &points(&[(0, 45.0), (1, 51.0)])), []);
    let changes = |h: Value| {
        kinds(&m, &h)
            .into_iter()
            .filter(|(k, _)| *k == AlertKind::BandChanged)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        changes(points(&[(0, 45.0), (1, 51.0), (2, 51.5)])),
        [(AlertKind::BandChanged, 51.5)]
    );
    // Down: at most edge − margin (48) fires at once.
    let a = m
        .alerts_json(&points(&[(0, 55.0), (1, 48.0)]).to_string())
        .unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].from_band.as_deref(), a[0].to_band.as_deref()),
        (Some("watch"), Some("action"))
    );
    assert_eq!(
        a[0].message,
        "Moved from Watch to Action needed: the score fell to 48.0."
    );
    // A ±2-point wobble around the edge never flips the band.
    for h in [
        points(&[
            (0, 49.0),
            (1, 51.0),
            (2, 49.0),
            (3, 51.0),
            (4, 49.0),
            (5, 51.0),
        ]),
        points(&[(0, 51.0), (1, 49.0), (2, 51.0), (3, 49.0), (4, 51.0)]),
        points(&[(0, 48.5), (1, 50.5), (2, 48.5), (3, 50.5)]),
    ] {
        assert!(
            kinds(&m, &h)
                .iter()
                .all(|(k, _)| *k != AlertKind::BandChanged),
            "{h}"
        );
    }
}

#[test]
fn score_dropped_within_the_window_once() {
    let m = kpi();
    // 70 → 65 → 59 (−11 from the peak within 30 days) → 58: fires once, at 59.
    let a = m
        .alerts_json(&points(&[(0, 70.0), (10, 65.0), (20, 59.0), (25, 58.0)]).to_string())
        .unwrap();
    let drops: Vec<&customer_health::history::Alert> = a
        .iter()
        .filter(|a| a.kind == AlertKind::ScoreDropped)
        .collect();
    assert_eq!(drops.len(), 1);
    assert_eq!(drops[0].score, 59.0);
    close(drops[0].change.unwrap(), 11.0);
    assert_eq!(drops[0].at.as_deref(), Some("2026-01-21"));
    // 9.9 points is not enough; a drop spread over 40 days is outside the window.
    assert!(kinds(&m, &points(&[(0, 70.0), (10, 60.1)]))
        .iter()
        .all(|(k, _)| *k != AlertKind::ScoreDropped));
    assert!(kinds(&m, &points(&[(0, 70.0), (40, 59.0)]))
        .iter()
        .all(|(k, _)| *k != AlertKind::ScoreDropped));
}

#[test]
fn declining_while_healthy() {
    let m = kpi();
    // 95, 92, 88 at days 0, 30, 60: slope −3.5 per 30 days (down) at day 60;
    // at day 30 it is exactly −3: flat.
    let a = m
        .alerts_json(&points(&[(0, 95.0), (30, 92.0), (60, 88.0)]).to_string())
        .unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].kind, AlertKind::DecliningWhileHealthy);
    close(a[0].slope_per_30_days.unwrap(), -3.5);
    assert_eq!(
        a[0].message,
        "Still Healthy at 88.0, but falling 3.5 points per 30 days."
    );
}

#[test]
fn approaching_a_lower_band() {
    let m = kpi();
    // Watch starts at 50: 57 is 7 above (no), 54 is 4 above and falling (yes).
    let a = m
        .alerts_json(&points(&[(0, 60.0), (10, 57.0), (20, 54.0)]).to_string())
        .unwrap();
    assert_eq!(
        a.iter().map(|a| a.kind).collect::<Vec<_>>(),
        [AlertKind::ApproachingBand]
    );
    assert_eq!(a[0].edge, Some(50.0));
    assert_eq!(a[0].to_band.as_deref(), Some("action"));
    // Rising inside the margin is not approaching.
    assert_eq!(kinds(&m, &points(&[(0, 51.0), (10, 53.0)])), []);
}

#[test]
fn improving_from_a_low_band() {
    let m = kpi();
    // 30, 34, 38, 42 every 30 days: +4 per 30 days (up); a steady trend needs
    // three snapshots, so it fires at 38, and once.
    let a = m
        .alerts_json(&points(&[(0, 30.0), (30, 34.0), (60, 38.0), (90, 42.0)]).to_string())
        .unwrap();
    assert_eq!(
        a.iter().map(|a| (a.kind, a.score)).collect::<Vec<_>>(),
        [(AlertKind::Improving, 38.0)]
    );
    // The same rise in the top band is not "improving".
    assert_eq!(kinds(&m, &points(&[(0, 85.0), (30, 89.0), (60, 93.0)])), []);
}

#[test]
fn a_constant_history_raises_nothing() {
    let m = kpi();
    for s in [0.0, 49.9, 50.0, 52.0, 80.0, 80.1, 100.0] {
        let h: Vec<(u32, f64)> = (0..12).map(|d| (d * 7, s)).collect();
        assert_eq!(kinds(&m, &points(&h)), [], "constant {s}");
    }
}

/// One measure, 0..10, with a 30-day half-life.
fn stale_model() -> Model {
    model(json!({
        "version": 1, "id": "stale",
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "csm", "weight": 1, "halfLifeDays": 30, "rule": { "type": "scale", "min": 0, "max": 10 } }
        ] } ]
    }))
}

#[test]
fn staleness_at_zero_one_and_two_half_lives() {
    let m = stale_model();
    let acc = Account::from_json(
        &json!({ "id": "a", "values": { "csm": 10 }, "observedAt": { "csm": "2026-01-01" } })
            .to_string(),
    )
    .unwrap();
    let at = |as_of: &str| {
        m.score_with(
            &acc,
            &ScoreOptions {
                at: None,
                as_of: Some(as_of.into()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    // 0 days: 1.0 → 100. 30 days: 0.5 + 0.5 × 0.5 = 0.75 → 75. 60 days: 0.5 + 0.5 × 0.25 → 62.5.
    for (date, days, weight, score) in [
        ("2026-01-01", 0.0, 1.0, 100.0),
        ("2026-01-31", 30.0, 0.5, 75.0),
        ("2026-03-02", 60.0, 0.25, 62.5),
    ] {
        let card = at(date);
        close(card.score.unwrap(), score);
        let r = &card.categories[0].measures[0];
        assert_eq!(r.age_days, Some(days));
        close(r.decayed_weight.unwrap(), weight);
        assert_eq!(r.partial, Some(10.0)); // the rule's output, before decay
        assert_eq!(r.observed_at.as_deref(), Some("2026-01-01"));
    }
    // A low value decays upward, toward neutral: 0 → 0.25 after one half-life.
    let low = Account::from_json(
        &json!({ "id": "a", "values": { "csm": 0 }, "observedAt": { "csm": "2026-01-01" } })
            .to_string(),
    )
    .unwrap();
    let card = m
        .score_with(
            &low,
            &ScoreOptions {
                at: Some("2026-01-31".into()),
                as_of: None,
                ..Default::default()
            },
        )
        .unwrap();
    close(card.score.unwrap(), 25.0);
    // No date given: no decay (there is no hidden clock).
    close(m.score(&acc).unwrap().score.unwrap(), 100.0);
}

fn card(m: &Model, values: Value, at: &str) -> Scorecard {
    let acc = Account::from_json(&json!({ "id": "acme", "values": values }).to_string()).unwrap();
    m.score_with(
        &acc,
        &ScoreOptions {
            at: Some(at.into()),
            as_of: None,
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn explain_change_adds_up() {
    let m = kpi();
    let before = card(&m, json!({ "ops": 4, "com": 3, "eng": 5 }), "2026-01-01");
    let after = card(&m, json!({ "ops": 5, "com": 2, "eng": 5 }), "2026-02-01");
    let e = m.explain_change(&before, &after).unwrap();
    // 72.5 → 77.5: ops +0.5 × 0.25 × 100 = +12.5, com 0.3 × (−0.25) × 100 = −7.5.
    close(e.total, 5.0);
    assert_eq!(
        e.measures
            .iter()
            .map(|x| x.measure_id.as_str())
            .collect::<Vec<_>>(),
        ["ops", "com"]
    );
    close(e.measures[0].effect, 12.5);
    close(e.measures[1].effect, -7.5);
    assert_eq!(
        (json!(e.measures[0].before), json!(e.measures[0].after)),
        (json!(4.0), json!(5.0))
    );
    close(e.renormalization, 0.0);
    assert_eq!((e.caps, e.staleness, e.model_change), (0.0, 0.0, 0.0));

    // com goes missing: its 15 points go, and its weight moves to ops and eng.
    let after = card(&m, json!({ "ops": 5, "eng": 5 }), "2026-02-01");
    let e = m.explain_change(&before, &after).unwrap();
    close(e.total, 27.5); // 72.5 → 100
    let com = e.measures.iter().find(|x| x.measure_id == "com").unwrap();
    close(com.effect, -15.0);
    close(e.renormalization, 30.0);
    let sum: f64 = e.measures.iter().map(|x| x.effect).sum::<f64>()
        + e.renormalization
        + e.caps
        + e.staleness
        + e.model_change;
    close(sum, e.total);

    // A model change: the same values under 40/35/25 instead of 50/30/20.
    let other = model(composite([40.0, 35.0, 25.0]));
    let before = card(&m, json!({ "ops": 5, "com": 1, "eng": 1 }), "2026-01-01");
    let after = card(
        &other,
        json!({ "ops": 5, "com": 1, "eng": 1 }),
        "2026-02-01",
    );
    let e = other.explain_change(&before, &after).unwrap();
    close(e.total, -10.0); // 50 → 40
    close(e.model_change, -10.0);
    assert!(e.measures.is_empty());
    // `after` must come from the model asked.
    assert_eq!(
        m.explain_change(&before, &after).unwrap_err()[0].code,
        "model_mismatch"
    );
}

#[test]
fn explain_change_with_caps_and_staleness() {
    let mut doc = composite([50.0, 30.0, 20.0]);
    doc["caps"] = json!([{ "when": { "measure": "eng", "op": "<=", "value": 1 }, "max": 40, "reason": "No engagement" }]);
    doc["categories"][0]["measures"][0]["halfLifeDays"] = json!(30);
    let m = model(doc);
    let acc = |eng: f64| {
        Account::from_json(&json!({ "id": "a", "values": { "ops": 5, "com": 5, "eng": eng }, "observedAt": { "ops": "2026-01-01" } }).to_string()).unwrap()
    };
    let before = m
        .score_with(
            &acc(5.0),
            &ScoreOptions {
                at: Some("2026-01-01".into()),
                as_of: None,
                ..Default::default()
            },
        )
        .unwrap();
    let after = m
        .score_with(
            &acc(1.0),
            &ScoreOptions {
                at: Some("2026-01-31".into()),
                as_of: None,
                ..Default::default()
            },
        )
        .unwrap();
    // before 100. after: ops decays to 0.75 (−12.5), eng 1.0 → 0 (−20): 67.5, capped at 40.
    close(before.score.unwrap(), 100.0);
    close(after.uncapped_score.unwrap(), 67.5);
    assert_eq!(after.score, Some(40.0));
    let e = m.explain_change(&before, &after).unwrap();
    close(e.total, -60.0);
    close(e.staleness, -12.5);
    close(e.caps, -27.5);
    close(e.measures[0].effect, -20.0);
    close(e.renormalization, 0.0);
}

#[test]
fn update_rescores_and_reports_the_alerts_it_caused() {
    let m = customer_health::presets::preset("saas-points").unwrap();
    let acc = Account::from_json(&json!({ "id": "p", "segment": "smb", "value": 5000, "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } }).to_string()).unwrap();
    let previous = m
        .score_with(
            &acc,
            &ScoreOptions {
                at: Some("2026-09-01".into()),
                as_of: None,
                ..Default::default()
            },
        )
        .unwrap();
    close(previous.score.unwrap(), 5700.0 / 94.0);
    // Two more complaints: total 25 − 45 + 5 + 0 + 8 = −7 → 100 × 27 / 94 = 28.72: at risk.
    let u = m
        .update_json(
            &previous,
            &json!({ "complaints": 3 }).to_string(),
            Some("2026-09-05"),
            None,
        )
        .unwrap();
    close(u.scorecard.score.unwrap(), 2700.0 / 94.0);
    assert_eq!(u.scorecard.band.id, "at_risk");
    assert_eq!(u.scorecard.at.as_deref(), Some("2026-09-05"));
    let mut got: Vec<AlertKind> = u.alerts.iter().map(|a| a.kind).collect();
    got.sort_by_key(|k| k.as_str());
    assert_eq!(got, [AlertKind::BandChanged, AlertKind::ScoreDropped]);
    let drop = u
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::ScoreDropped)
        .unwrap();
    close(drop.change.unwrap(), 3000.0 / 94.0);
    assert_eq!(drop.account_id.as_deref(), Some("p"));
    assert_eq!(
        drop.actions
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        ["check-in"]
    );
    assert_eq!(u.scorecard.actions[0].id, "act-today");
    // The measure changed is observed at the update's date.
    let c = u
        .scorecard
        .categories
        .iter()
        .flat_map(|c| &c.measures)
        .find(|m| m.id == "complaints")
        .unwrap();
    assert_eq!(c.observed_at.as_deref(), Some("2026-09-05"));
    // A small change raises nothing; null removes a value.
    let u2 = m
        .update_json(
            &previous,
            &json!({ "csm": 9 }).to_string(),
            Some("2026-09-06"),
            None,
        )
        .unwrap();
    assert!(u2.alerts.is_empty());
    let u3 = m
        .update_json(
            &previous,
            &json!({ "reacts": null }).to_string(),
            Some("2026-09-06"),
            None,
        )
        .unwrap();
    assert!(u3.scorecard.missing.contains(&"reacts".to_string()));
    // Bad changes are errors with paths; an undated previous still works.
    assert_eq!(
        m.update_json(&previous, &json!({ "csm": 99 }).to_string(), None, None)
            .unwrap_err()[0]
            .path,
        "values.csm"
    );
    assert_eq!(
        m.update_json(&previous, &json!([1]).to_string(), None, None)
            .unwrap_err()[0]
            .code,
        "wrong_type"
    );
    let mut undated = previous.clone();
    undated.at = None;
    assert_eq!(
        m.update_json(
            &undated,
            &json!({ "complaints": 3 }).to_string(),
            Some("2026-09-05"),
            None
        )
        .unwrap()
        .alerts
        .len(),
        2
    );
}
