//! History: trends, alerts (firing and not firing on noise), staleness,
//! update, explainChange, replay, prioritisation, band movement, playbooks
//! and model sets, each worked out by hand.

mod common;
use common::*;
use customer_health::model::{AlertKind, Direction};
use customer_health::portfolio::Objective;
use customer_health::{Account, Model, ModelSet, ScoreOptions, Scorecard};
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
    // Days since the epoch → YYYY-MM-DD (civil from days, Howard Hinnant).
    let z = (t / 86_400.0).floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn kpi() -> Model {
    model(composite([50.0, 30.0, 20.0]))
}

fn kinds(m: &Model, h: &Value) -> Vec<(AlertKind, f64)> {
    m.alerts(h)
        .unwrap()
        .into_iter()
        .map(|a| (a.kind, a.score))
        .collect()
}

#[test]
fn trend_slope_by_hand() {
    let m = kpi();
    let snaps = m
        .read_history(&points(&[(30, 70.0), (0, 60.0), (20, 66.0), (10, 62.0)]))
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
    // Flat within ±3 per 30 days; a single point has no slope.
    let t = m
        .trend_of(&m.read_history(&points(&[(0, 60.0), (30, 62.0)])).unwrap())
        .unwrap();
    assert_eq!(t.direction, Some(Direction::Flat));
    let t = m
        .trend_of(&m.read_history(&points(&[(0, 60.0)])).unwrap())
        .unwrap();
    assert_eq!(
        (t.slope_per_30_days, t.direction, t.change_since_previous),
        (None, None, None)
    );
    // Outside the 90-day window a point does not count.
    let t = m
        .trend_of(
            &m.read_history(&points(&[(0, 0.0), (100, 50.0), (110, 50.0)]))
                .unwrap(),
        )
        .unwrap();
    assert_eq!(t.snapshots, 2);
    assert_eq!(t.direction, Some(Direction::Flat));
}

#[test]
fn history_errors_have_paths() {
    let m = kpi();
    let e = m
        .read_history(
            &json!([{ "at": "2026-01-01", "score": 50 }, { "at": "2026-01-01", "score": 60 }]),
        )
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("duplicate_date", "[1].at")
    );
    let e = m
        .read_history(&json!([{ "at": "yesterday", "score": 50 }]))
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_date", "[0].at")
    );
    let e = m.read_history(&json!([{ "score": 50 }])).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("missing_field", "[0].at")
    );
    let e = m
        .read_history(&json!([{ "at": "2026-01-01", "score": 150 }]))
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("out_of_range", "[0].score")
    );
    let e = m
        .read_history(&json!([{ "at": "2026-01-01", "scor": 1 }]))
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_field", "[0].scor")
    );
    assert_eq!(
        m.read_history(&json!({})).unwrap_err()[0].code,
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
    let a = m.alerts(&points(&[(0, 55.0), (1, 48.0)])).unwrap();
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
        .alerts(&points(&[(0, 70.0), (10, 65.0), (20, 59.0), (25, 58.0)]))
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
        .alerts(&points(&[(0, 95.0), (30, 92.0), (60, 88.0)]))
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
        .alerts(&points(&[(0, 60.0), (10, 57.0), (20, 54.0)]))
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
        .alerts(&points(&[(0, 30.0), (30, 34.0), (60, 38.0), (90, 42.0)]))
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
        &json!({ "id": "a", "values": { "csm": 10 }, "observedAt": { "csm": "2026-01-01" } }),
    )
    .unwrap();
    let at = |as_of: &str| {
        m.score_with(
            &acc,
            &ScoreOptions {
                at: None,
                as_of: Some(as_of.into()),
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
        &json!({ "id": "a", "values": { "csm": 0 }, "observedAt": { "csm": "2026-01-01" } }),
    )
    .unwrap();
    let card = m
        .score_with(
            &low,
            &ScoreOptions {
                at: Some("2026-01-31".into()),
                as_of: None,
            },
        )
        .unwrap();
    close(card.score.unwrap(), 25.0);
    // No date given: no decay (there is no hidden clock).
    close(m.score(&acc).unwrap().score.unwrap(), 100.0);
}

fn card(m: &Model, values: Value, at: &str) -> Scorecard {
    let acc = Account::from_json(&json!({ "id": "acme", "values": values })).unwrap();
    m.score_with(
        &acc,
        &ScoreOptions {
            at: Some(at.into()),
            as_of: None,
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
        (e.measures[0].before.clone(), e.measures[0].after.clone()),
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
        m.explain_change(&before, &after).unwrap_err().code,
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
        Account::from_json(&json!({ "id": "a", "values": { "ops": 5, "com": 5, "eng": eng }, "observedAt": { "ops": "2026-01-01" } })).unwrap()
    };
    let before = m
        .score_with(
            &acc(5.0),
            &ScoreOptions {
                at: Some("2026-01-01".into()),
                as_of: None,
            },
        )
        .unwrap();
    let after = m
        .score_with(
            &acc(1.0),
            &ScoreOptions {
                at: Some("2026-01-31".into()),
                as_of: None,
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
    let acc = Account::from_json(&json!({ "id": "p", "segment": "smb", "value": 5000, "values": { "usage": 45, "complaints": 1, "follows": true, "reacts": false, "csm": 8 } })).unwrap();
    let previous = m
        .score_with(
            &acc,
            &ScoreOptions {
                at: Some("2026-09-01".into()),
                as_of: None,
            },
        )
        .unwrap();
    close(previous.score.unwrap(), 5700.0 / 94.0);
    // Two more complaints: total 25 − 45 + 5 + 0 + 8 = −7 → 100 × 27 / 94 = 28.72: at risk.
    let u = m
        .update(
            &previous,
            &json!({ "complaints": 3 }),
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
        .update(&previous, &json!({ "csm": 9 }), Some("2026-09-06"), None)
        .unwrap();
    assert!(u2.alerts.is_empty());
    let u3 = m
        .update(
            &previous,
            &json!({ "reacts": null }),
            Some("2026-09-06"),
            None,
        )
        .unwrap();
    assert!(u3.scorecard.missing.contains(&"reacts".to_string()));
    // Bad changes are errors with paths; an undated previous still works.
    assert_eq!(
        m.update(&previous, &json!({ "csm": 99 }), None, None)
            .unwrap_err()[0]
            .path,
        "values.csm"
    );
    assert_eq!(
        m.update(&previous, &json!([1]), None, None).unwrap_err()[0].code,
        "wrong_type"
    );
    let mut undated = previous.clone();
    undated.at = None;
    assert_eq!(
        m.update(
            &undated,
            &json!({ "complaints": 3 }),
            Some("2026-09-05"),
            None
        )
        .unwrap()
        .alerts
        .len(),
        2
    );
}

#[test]
fn prioritise_by_objective() {
    let m = kpi();
    let mut cards = Vec::new();
    for (id, v, value) in [
        ("A", [3.0, 3.0, 3.0], Some(100.0)),
        ("B", [2.0, 1.0, 1.0], Some(10.0)),
        ("C", [5.0, 5.0, 3.0], Some(1000.0)),
        ("D", [1.5, 1.0, 1.0], None),
    ] {
        let mut a = json!({ "id": id, "values": { "ops": v[0], "com": v[1], "eng": v[2] } });
        if let Some(x) = value {
            a["value"] = json!(x);
        }
        cards.push(score(&m, a));
    }
    // Scores: A 50, B 12.5, C 90, D 6.25.
    // Retention (100 − s) × value: C 10 × 1000 = 10000, A 5000, B 875, D 93.75 × 1.
    let r = m.prioritise(&cards, Objective::Retention, None);
    assert_eq!(
        r.iter()
            .map(|p| p.scorecard.account_id.as_str())
            .collect::<Vec<_>>(),
        ["C", "A", "B", "D"]
    );
    close(r[0].priority, 10_000.0);
    close(r[3].priority, 93.75);
    assert_eq!(m.prioritise(&cards, Objective::Retention, Some(2)).len(), 2);
    // Growth: top band (C) or rising (A, given a trend) by score × value.
    cards[0].trend = Some(customer_health::score::Trend {
        snapshots: 3,
        at: None,
        score: 50.0,
        change_since_previous: Some(5.0),
        change_over_window: Some(8.0),
        slope_per_30_days: Some(6.0),
        direction: Some(Direction::Up),
    });
    let g = m.prioritise(&cards, Objective::Growth, None);
    assert_eq!(
        g.iter()
            .map(|p| (p.scorecard.account_id.as_str(), p.priority))
            .collect::<Vec<_>>(),
        [("C", 90_000.0), ("A", 5_000.0)]
    );
}

#[test]
fn band_movement_since_a_date() {
    let m = kpi();
    let snap = |id: &str, v: f64, at: &str| {
        let acc =
            Account::from_json(&json!({ "id": id, "values": { "ops": v, "com": v, "eng": v } }))
                .unwrap();
        m.score_with(
            &acc,
            &ScoreOptions {
                at: Some(at.into()),
                as_of: None,
            },
        )
        .unwrap()
    };
    let cards = vec![
        snap("a", 2.0, "2026-01-01"),
        snap("a", 4.0, "2026-03-01"),
        snap("b", 5.0, "2026-01-15"),
        snap("b", 5.0, "2026-03-01"),
        snap("c", 4.0, "2026-01-01"),
        snap("c", 2.0, "2026-02-20"),
        snap("d", 1.0, "2026-02-10"),
    ];
    let mv = m.band_movement(&cards, "2026-02-01").unwrap();
    // a: action → watch; b: healthy → healthy; c: watch → action; d: nothing before.
    assert_eq!(mv.counts["action"]["watch"], 1);
    assert_eq!(mv.counts["healthy"]["healthy"], 1);
    assert_eq!(mv.counts["watch"]["action"], 1);
    assert_eq!(mv.changed.len(), 2);
    assert_eq!(
        m.band_movement(&cards, "soon").unwrap_err().code,
        "invalid_date"
    );
}

#[test]
fn playbooks_depend_on_band_segment_value_and_trend() {
    let m = customer_health::presets::preset("composite-kpi").unwrap();
    let s = |seg: &str, v: f64| {
        score(
            &m,
            json!({ "id": "x", "segment": seg, "value": 1, "values": { "operations": v, "commercial": v, "engagement": v } }),
        )
    };
    // Red → act today, whatever the segment.
    assert_eq!(
        s("smb", 1.0)
            .actions
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        ["act-today"]
    );
    // Watch: nothing for a small account without a trend…
    assert!(s("smb", 3.0).actions.is_empty());
    // …and a strategic account escalates sooner once its trend is flat or down.
    let mut card = s("enterprise", 3.0);
    assert!(card.actions.is_empty());
    card.trend = Some(customer_health::score::Trend {
        snapshots: 2,
        at: None,
        score: 50.0,
        change_since_previous: None,
        change_over_window: None,
        slope_per_30_days: Some(-1.0),
        direction: Some(Direction::Flat),
    });
    assert_eq!(
        m.actions_for(&card)
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        ["escalate-strategic"]
    );
    // Playbook validation: unknown bands are errors.
    let mut doc: Value =
        serde_json::from_str(customer_health::presets::preset_json("composite-kpi").unwrap())
            .unwrap();
    doc["playbooks"][0]["when"]["bands"] = json!(["red"]);
    let e = Model::validate(&doc);
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_band", "playbooks[0].when.bands[0]")
    );
}

#[test]
fn replay_rescores_stored_inputs() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let history: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/samples/history.json")).unwrap(),
    )
    .unwrap();
    let sample =
        Model::from_json(&std::fs::read_to_string(format!("{dir}/samples/model.json")).unwrap())
            .unwrap();
    let r = sample.replay(&history["snapshots"]).unwrap();
    assert_eq!(r.points.len(), 1200);
    assert!(r.errors.is_empty());
    assert_eq!(r.model_hash, sample.hash());
    // Under a model without `contract`, those values are unknown measures: refused with paths.
    let e = kpi().replay(&json!([{ "accountId": "a", "at": "2026-01-01", "values": { "ops": 3 } }, { "accountId": "b", "at": "2026-01-01", "values": { "nps": 3 } }])).unwrap();
    assert_eq!(e.points.len(), 1);
    assert_eq!(
        (e.errors[0].index, e.errors[0].path.as_str()),
        (1, "[1].values.nps")
    );
}

#[test]
fn model_sets_choose_the_first_match() {
    let m = |id: &str| {
        let mut d = composite([1.0, 1.0, 1.0]);
        d["id"] = json!(id);
        d
    };
    let set = json!({ "version": 1, "id": "by-segment", "models": [
        { "when": { "segments": ["enterprise"] }, "model": m("enterprise") },
        { "when": { "minValue": 100000 }, "model": m("big") },
        { "default": true, "model": m("rest") }
    ] });
    let set = ModelSet::from_value(&set).unwrap();
    let pick = |seg: &str, value: f64| {
        let a = Account::from_json(
            &json!({ "id": "x", "segment": seg, "value": value, "values": { "ops": 3 } }),
        )
        .unwrap();
        set.score_with(&a, &ScoreOptions::default())
            .unwrap()
            .model_id
    };
    assert_eq!(pick("enterprise", 200_000.0), "enterprise");
    assert_eq!(pick("smb", 200_000.0), "big");
    assert_eq!(pick("smb", 1_000.0), "rest");
    // Validation: no default; a model after the default; a repeated condition; a bad model.
    let codes = |doc: Value| {
        ModelSet::from_value(&doc)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.code, e.path))
            .collect::<Vec<_>>()
    };
    assert!(codes(json!({ "version": 1, "id": "s", "models": [ { "when": { "minValue": 1 }, "model": m("a") } ] })).contains(&("missing_default".into(), "models".into())));
    assert!(codes(json!({ "version": 1, "id": "s", "models": [ { "default": true, "model": m("a") }, { "when": { "minValue": 1 }, "model": m("b") } ] })).contains(&("unreachable_model".into(), "models[1]".into())));
    assert!(codes(json!({ "version": 1, "id": "s", "models": [ { "when": { "minValue": 1 }, "model": m("a") }, { "when": { "minValue": 1 }, "model": m("b") }, { "default": true, "model": m("c") } ] })).contains(&("unreachable_model".into(), "models[1]".into())));
    let mut bad = m("bad");
    bad["categories"][0]["weight"] = json!(-1);
    assert!(codes(
        json!({ "version": 1, "id": "s", "models": [ { "default": true, "model": bad } ] })
    )
    .contains(&(
        "negative_weight".into(),
        "models[0].model.categories[0].weight".into()
    )));
}
