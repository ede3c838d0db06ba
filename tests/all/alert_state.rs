//! The four alert bugs of issue 14, each with the sequence that showed it:
//! a colour change kept with the last scorecard only, trends from snapshots
//! hours apart, float noise at the flat tolerance, and a model change blamed
//! on the account.

use crate::common::*;
use customer_health::model::{AlertKind, Direction};
use customer_health::{Model, Scorecard};
use serde_json::{json, Value};

/// One 0..100 scale (score = value) under the saas-points bands: at risk from
/// 0, neutral from 33, opportunity from 66.
fn doc(alerts: Value) -> Value {
    json!({
        "version": 1, "id": "one-scale",
        "bands": [
            { "id": "at_risk", "label": "At risk", "color": "#d55e00", "from": 0 },
            { "id": "neutral", "label": "Neutral", "color": "#e69f00", "from": 33 },
            { "id": "opportunity", "label": "Opportunity", "color": "#009e73", "from": 66 }
        ],
        "alerts": alerts,
        "categories": [{ "id": "c", "weight": 1, "measures": [
            { "id": "x", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 100 } } ] }]
    })
}

fn at(day: u32, hour: u32) -> String {
    format!("2026-03-{:02}T{hour:02}:00:00Z", day)
}

fn kinds(alerts: &[customer_health::history::Alert]) -> Vec<AlertKind> {
    alerts.iter().map(|a| a.kind).collect()
}

/// Scores `values` one update at a time, keeping only the last scorecard
/// (or the whole history when `keep_history`); every alert raised.
fn run(m: &Model, values: &[(f64, String)], keep_history: bool) -> (Scorecard, Vec<AlertKind>) {
    let mut card = score(m, json!({ "id": "a", "values": { "x": values[0].0 } }));
    card.at = Some(values[0].1.clone());
    let mut history = vec![serde_json::to_value(&card).unwrap()];
    let mut all = Vec::new();
    for (x, when) in &values[1..] {
        let h = Value::Array(history.clone());
        let u = m
            .update_json(
                &card,
                &json!({ "x": x }).to_string(),
                Some(when),
                keep_history.then_some(&h).map(|h| h.to_string()).as_deref(),
            )
            .unwrap();
        all.extend(kinds(&u.alerts));
        card = u.scorecard;
        history.push(serde_json::to_value(&card).unwrap());
    }
    (card, all)
}

#[test]
fn one_colour_change_gives_one_alert_with_the_last_scorecard_or_the_history() {
    let m = model(doc(json!({})));
    // 67 → 65 (1 point past the edge at 66, inside the 2-point margin: not
    // yet) → 65 (a second snapshot in neutral: bandConfirm 2, confirmed) →
    // 60 → 50: one bandChanged, at the second 65.
    let steps: Vec<(f64, String)> = [67.0, 65.0, 65.0, 60.0, 50.0]
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, at(1 + i as u32 * 7, 0)))
        .collect();
    for keep_history in [false, true] {
        let (card, alerts) = run(&m, &steps, keep_history);
        let changes = alerts
            .iter()
            .filter(|k| **k == AlertKind::BandChanged)
            .count();
        assert_eq!(changes, 1, "keep history {keep_history}: {alerts:?}");
        let state = card.alert_state.unwrap();
        assert_eq!(state.confirmed_band, "neutral");
        assert_eq!(state.streak, 0);
    }
    // The state after the first 65: opportunity confirmed, one snapshot in neutral.
    let (card, _) = run(&m, &steps[..2], false);
    let state = card.alert_state.clone().unwrap();
    assert_eq!(
        (state.confirmed_band.as_str(), state.streak),
        ("opportunity", 1)
    );
    // It survives JSON (a stored scorecard).
    let again: Scorecard = serde_json::from_value(serde_json::to_value(&card).unwrap()).unwrap();
    assert_eq!(again.alert_state.unwrap().streak, 1);
}

#[test]
fn trends_need_a_span_of_days_and_three_snapshots() {
    let m = model(doc(json!({})));
    // 90 → 89.9 → 89.8, an hour apart: −72 points per 30 days by the slope,
    // but an hour is not a trend.
    let hourly: Vec<(f64, String)> = [90.0, 89.9, 89.8]
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, at(2, i as u32)))
        .collect();
    let (card, alerts) = run(&m, &hourly, true);
    let trend = card.trend.unwrap();
    // (days since 1970 in the slope: a few 1e-9 of rounding)
    assert!((trend.slope_per_30_days.unwrap() + 72.0).abs() < 1e-6);
    assert_eq!(trend.direction, None);
    assert!(
        !alerts.contains(&AlertKind::DecliningWhileHealthy),
        "{alerts:?}"
    );
    // 55 → 55.2 in two hours: no `improving`.
    let rising: Vec<(f64, String)> = [55.0, 55.1, 55.2]
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, at(2, i as u32)))
        .collect();
    let (_, alerts) = run(&m, &rising, true);
    assert!(!alerts.contains(&AlertKind::Improving), "{alerts:?}");
    // The minimums are the model's to set: with none, the hourly fall is a trend.
    let eager = model(doc(json!({ "trendMinDays": 0, "trendMinSnapshots": 2 })));
    let (card, alerts) = run(&eager, &hourly, true);
    assert_eq!(card.trend.unwrap().direction, Some(Direction::Down));
    assert!(alerts.contains(&AlertKind::DecliningWhileHealthy));
    // Over weeks, the same fall per day is a trend with the defaults.
    let weekly: Vec<(f64, String)> = [90.0, 85.0, 80.0]
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, at(1 + i as u32 * 7, 0)))
        .collect();
    let (card, _) = run(&m, &weekly, true);
    assert_eq!(card.trend.unwrap().direction, Some(Direction::Down));
    // Bad settings are refused with their path.
    let p = problems(doc(json!({ "trendMinSnapshots": 1, "trendMinDays": -1 })));
    assert!(
        p.contains(&("invalid_value".into(), "alerts.trendMinSnapshots".into())),
        "{p:?}"
    );
    assert!(
        p.contains(&("invalid_value".into(), "alerts.trendMinDays".into())),
        "{p:?}"
    );
    // At their defaults they are not in the canonical JSON: hashes stay.
    assert!(!m.canonical_json().contains("trendMin"));
    assert!(eager.canonical_json().contains("\"trendMinSnapshots\":2"));
}

#[test]
fn a_slope_at_the_flat_tolerance_is_flat_despite_rounding() {
    let m = model(doc(json!({})));
    // Daily 90, 89.9, 89.8 … over a week and more: −3 per 30 days by hand
    // (−3.0000000000000426 in floating point), which is flat (±3).
    let daily: Vec<(f64, String)> = (0..8)
        .map(|i| (90.0 - 0.1 * f64::from(i), at(1 + i, 0)))
        .collect();
    let (card, alerts) = run(&m, &daily, true);
    let trend = card.trend.unwrap();
    close(trend.slope_per_30_days.unwrap(), -3.0);
    assert_eq!(trend.direction, Some(Direction::Flat));
    assert!(
        !alerts.contains(&AlertKind::DecliningWhileHealthy),
        "{alerts:?}"
    );
}

#[test]
fn a_model_change_is_reported_as_a_model_change_not_a_decline() {
    let lenient = model(doc(json!({})));
    // The same model id, stricter: the scale now runs to 200 (x 80 scores 40).
    let mut strict_doc = doc(json!({}));
    strict_doc["categories"][0]["measures"][0]["rule"]["max"] = json!(200);
    let strict = model(strict_doc);
    assert_ne!(lenient.hash(), strict.hash());
    let mut history = Vec::new();
    for (i, x) in [80.0, 81.0, 80.0].iter().enumerate() {
        let mut c = score(&lenient, json!({ "id": "a", "values": { "x": x } }));
        c.at = Some(at(1 + i as u32 * 7, 0));
        history.push(serde_json::to_value(&c).unwrap());
    }
    let mut c = score(&strict, json!({ "id": "a", "values": { "x": 80 } }));
    c.at = Some(at(22, 0));
    assert_eq!(c.band.id, "neutral");
    history.push(serde_json::to_value(&c).unwrap());
    let alerts = strict
        .alerts_json(&Value::Array(history.clone()).to_string())
        .unwrap();
    assert_eq!(kinds(&alerts), [AlertKind::ModelChanged]);
    close(alerts[0].score, 40.0);
    close(alerts[0].previous_score.unwrap(), 80.0);
    // update from the last lenient scorecard under the strict model: the
    // same, and the trend is the new model's alone.
    let prev: Scorecard = serde_json::from_value(history[2].clone()).unwrap();
    let h = Value::Array(history[..3].to_vec());
    let u = strict
        .update_json(
            &prev,
            &json!({}).to_string(),
            Some(&at(22, 0)),
            Some(&h.to_string()),
        )
        .unwrap();
    assert_eq!(kinds(&u.alerts), [AlertKind::ModelChanged]);
    assert_eq!(u.scorecard.trend.as_ref().unwrap().snapshots, 1);
    // After the change, a real decline is reported again.
    let next = strict
        .update_json(
            &u.scorecard,
            &json!({ "x": 20 }).to_string(),
            Some(&at(29, 0)),
            None,
        )
        .unwrap();
    assert!(kinds(&next.alerts).contains(&AlertKind::BandChanged));
    // A previous scorecard of another model id is refused.
    let mut other = doc(json!({}));
    other["id"] = json!("another");
    let e = model(other)
        .update_json(
            &prev,
            &json!({ "x": 1 }).to_string(),
            Some(&at(23, 0)),
            None,
        )
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("model_mismatch", "modelId")
    );
}

#[test]
fn the_state_crosses_a_snapshot_without_a_score() {
    let m = model(doc(json!({})));
    // 80 (opportunity) → no value (insufficient data) → 30 (at risk) → 30:
    // one colour change, as alerts over the whole history says.
    let mut card = score(&m, json!({ "id": "a", "values": { "x": 80 } }));
    card.at = Some(at(1, 0));
    let mut history = vec![serde_json::to_value(&card).unwrap()];
    let mut changes = 0;
    for (i, x) in [Value::Null, json!(30), json!(30)].into_iter().enumerate() {
        let u = m
            .update_json(
                &card,
                &json!({ "x": x }).to_string(),
                Some(&at(8 + 7 * i as u32, 0)),
                None,
            )
            .unwrap();
        changes += u
            .alerts
            .iter()
            .filter(|a| a.kind == AlertKind::BandChanged)
            .count();
        card = u.scorecard;
        history.push(serde_json::to_value(&card).unwrap());
    }
    assert_eq!(changes, 1);
    let all = m.alerts_json(&Value::Array(history).to_string()).unwrap();
    assert_eq!(
        all.iter()
            .filter(|a| a.kind == AlertKind::BandChanged)
            .count(),
        1
    );
}

#[test]
fn a_points_history_before_the_previous_scorecard_gives_trends_and_drops() {
    let m = model(doc(json!({})));
    // Points 90, 88, 86 a week apart (kept by the caller as points), then
    // the previous scorecard at 84 and an update to 70: the trend is down
    // over four weeks and the drop from 90 within 30 days is reported.
    let points: Vec<Value> = [90.0, 88.0, 86.0]
        .iter()
        .enumerate()
        .map(|(i, s)| json!({ "at": at(1 + 7 * i as u32, 0), "score": s }))
        .collect();
    let mut prev = score(&m, json!({ "id": "a", "values": { "x": 84 } }));
    prev.at = Some(at(22, 0));
    let u = m
        .update_json(
            &prev,
            &json!({ "x": 70 }).to_string(),
            Some(&at(29, 0)),
            Some(&Value::Array(points).to_string()),
        )
        .unwrap();
    assert_eq!(u.scorecard.trend.as_ref().unwrap().snapshots, 5);
    assert_eq!(
        u.scorecard.trend.as_ref().unwrap().direction,
        Some(Direction::Down)
    );
    assert!(
        kinds(&u.alerts).contains(&AlertKind::ScoreDropped),
        "{:?}",
        kinds(&u.alerts)
    );
}

/// Issue 22: one definition of a model's run. A history A → B → A where B's
/// snapshot has no score: the second A is a model change like the first B
/// (trend, alerts and update agree), so it raises `modelChanged` alone,
/// never a band change or a drop measured across the switch.
#[test]
fn a_model_that_scored_nothing_still_ends_the_run() {
    let a = model(doc(json!({})));
    // The same id, another version (another hash), whose measure the
    // account lacks: its snapshot has no score.
    let mut b_doc = doc(json!({}));
    b_doc["categories"][0]["measures"][0]["id"] = json!("y");
    let b = model(b_doc);
    assert_ne!(a.hash(), b.hash());
    let mut a1 = score(&a, json!({ "id": "acc", "values": { "x": 100 } }));
    a1.at = Some(at(1, 0));
    let mut b1 = score(&b, json!({ "id": "acc", "values": {} }));
    b1.at = Some(at(8, 0));
    assert_eq!(b1.score, None);
    let mut a2 = score(&a, json!({ "id": "acc", "values": { "x": 50 } }));
    a2.at = Some(at(15, 0));
    let history = json!([a1, b1, a2]).to_string();
    let alerts = a.alerts_json(&history).unwrap();
    assert_eq!(kinds(&alerts), [AlertKind::ModelChanged]);
    assert_eq!(alerts[0].at.as_deref(), Some(at(15, 0).as_str()));
    // The trend starts at the second A: one snapshot, no change yet.
    let trend = a.trend_json(&history).unwrap().unwrap();
    assert_eq!(trend.change_since_previous, None);
    // update from B's scorecard under A, with A's first snapshot before it.
    let u = a
        .update_json(
            &b1,
            &json!({ "x": 50 }).to_string(),
            Some(&at(15, 0)),
            Some(&json!([a1]).to_string()),
        )
        .unwrap();
    assert_eq!(kinds(&u.alerts), [AlertKind::ModelChanged]);
    // History points that name their model's hash draw the same line.
    let points = json!([
        { "at": at(1, 0), "score": 100, "modelHash": a.hash() },
        { "at": at(8, 0), "modelHash": b.hash() },
        { "at": at(15, 0), "score": 50, "modelHash": a.hash() },
    ]);
    let alerts = a.alerts_json(&points.to_string()).unwrap();
    assert_eq!(kinds(&alerts), [AlertKind::ModelChanged]);
}
