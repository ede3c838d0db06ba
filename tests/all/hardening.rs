//! Hardening, round two (issue 17): holes an adversarial pass found in the
//! core, each with the input that showed it.

use crate::common::iso_datetime;
use customer_health::date::parse_iso;

#[test]
fn offsets_beyond_a_day_are_not_dates() {
    assert_eq!(parse_iso("2026-01-01T00:00:00+25:00"), None);
    assert_eq!(parse_iso("2026-01-01T00:00:00-24:00"), None);
    assert_eq!(parse_iso("2026-01-01T00:00:00+01:60"), None);
    // The widest offsets there are still read.
    let utc = parse_iso("2026-01-01T00:00:00Z").unwrap();
    assert_eq!(
        parse_iso("2026-01-01T00:00:00+23:59"),
        Some(utc - (23.0 * 3600.0 + 59.0 * 60.0))
    );
    assert_eq!(
        parse_iso("2026-01-01T00:00:00-23:59"),
        Some(utc + (23.0 * 3600.0 + 59.0 * 60.0))
    );
}

#[test]
fn replay_refuses_a_second_snapshot_of_the_same_account_and_moment() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/presets/composite-kpi.json"
    ))
    .unwrap();
    let m = customer_health::Model::from_json(&text).unwrap();
    let values = serde_json::json!({ "operations": 4, "commercial": 3, "engagement": 5 });
    let r = m
        .replay_json(&serde_json::json!([
            { "accountId": "a", "at": "2026-01-01", "values": values },
            { "accountId": "a", "at": "2026-01-01T01:00:00+01:00", "values": { "operations": 1 } },
            { "accountId": "b", "at": "2026-01-01", "values": values },
            { "accountId": "a", "at": "2026-01-02", "values": values }
        ]).to_string())
        .unwrap();
    let points: Vec<(&str, Option<f64>)> = r
        .points
        .iter()
        .map(|p| (p.account_id.as_str(), p.score))
        .collect();
    assert_eq!(
        points,
        [("a", Some(72.5)), ("b", Some(72.5)), ("a", Some(72.5))]
    );
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].index, 1);
    assert_eq!(r.errors[0].code, "duplicate_date");
    assert_eq!(r.errors[0].path, "[1].at");
}

fn wide(measures: usize, bands: usize) -> serde_json::Value {
    let ms: Vec<serde_json::Value> = (0..measures)
        .map(|i| serde_json::json!({ "id": format!("m{i}"), "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } }))
        .collect();
    let bs: Vec<serde_json::Value> = (0..bands)
        .map(|i| serde_json::json!({ "id": format!("b{i}"), "color": "#777777", "from": 100.0 * i as f64 / bands as f64 }))
        .collect();
    serde_json::json!({ "version": 1, "id": "wide", "bands": bs,
        "categories": [ { "id": "c", "weight": 1, "measures": ms } ] })
}

fn too_large_at(e: customer_health::Errors) -> (String, String) {
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].code, "too_large");
    (e.0[0].path.clone(), e.0[0].help.clone())
}

#[test]
fn models_over_the_limits_are_refused_up_front_with_the_limit_in_help() {
    use customer_health::limits::{MAX_BANDS, MAX_MEASURES};
    use customer_health::Model;
    assert!(Model::from_json(&wide(MAX_MEASURES, MAX_BANDS).to_string()).is_ok());
    let (path, help) =
        too_large_at(Model::from_json(&wide(MAX_MEASURES + 1, 3).to_string()).unwrap_err());
    assert_eq!(path, "categories");
    assert!(help.contains("10000 measures"), "{help}");
    let (path, help) =
        too_large_at(Model::from_json(&wide(3, MAX_BANDS + 1).to_string()).unwrap_err());
    assert_eq!(path, "bands");
    assert!(help.contains("100 bands"), "{help}");
    let mut doc = wide(1, 3);
    doc["categories"][0]["measures"][0]["rule"] = serde_json::json!({ "type": "match",
        "scores": (0..10_001).map(|i| (format!("k{i}"), serde_json::json!(50))).collect::<serde_json::Map<_, _>>() });
    let (path, _) = too_large_at(Model::from_json(&doc.to_string()).unwrap_err());
    assert_eq!(path, "categories[0].measures[0].rule.scores");
    let set = serde_json::json!({ "version": 1, "id": "s",
        "models": (0..1_001).map(|_| serde_json::json!({ "default": true, "model": wide(1, 3) })).collect::<Vec<_>>() });
    let e = customer_health::ModelSet::from_json(&set.to_string()).unwrap_err();
    assert_eq!(e.0[0].code, "too_large");
    assert_eq!(e.0[0].path, "models");
}

#[test]
fn histories_over_the_limit_are_refused_up_front() {
    use customer_health::limits::MAX_HISTORY;
    let m = customer_health::Model::from_json(&wide(1, 3).to_string()).unwrap();
    let points = |n: usize| {
        serde_json::Value::Array(
            (0..n)
                .map(|i| serde_json::json!({ "at": format!("2026-01-01T00:00:{:02}Z", i % 60), "score": 50 }))
                .collect(),
        )
    };
    let e = m
        .trend_json(&points(MAX_HISTORY + 1).to_string())
        .unwrap_err();
    assert_eq!((e[0].code.as_str(), e[0].path.as_str()), ("too_large", ""));
    assert!(e[0].help.contains("100000 snapshots"));
    let e = m
        .alerts_json(&points(MAX_HISTORY + 1).to_string())
        .unwrap_err();
    assert_eq!(e[0].code, "too_large");
}

#[test]
fn one_pass_alerts_equal_the_direct_computation() {
    let m = customer_health::presets::preset("composite-kpi").unwrap();
    for (n, step) in [(2_000i64, 3_600i64), (1_500, 86_400)] {
        let history: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                let t = 1_767_225_600 + i * step;
                let score = 60.0 + 35.0 * (i as f64 / 90.0).sin() + ((i * 7919) % 13) as f64 * 0.4;
                serde_json::json!({ "at": iso_datetime(t), "score": score })
            })
            .collect();
        let history = serde_json::Value::Array(history);
        let fast = m.alerts_json(&history.to_string()).unwrap();
        let direct = m.alerts_direct(&m.read_history(&history.to_string()).unwrap());
        assert!(fast.len() > 10, "{} alerts", fast.len());
        assert_eq!(fast.len(), direct.len());
        for (f, d) in fast.iter().zip(&direct) {
            assert_eq!((f.kind, &f.at, f.score), (d.kind, &d.at, d.score));
            match (f.slope_per_30_days, d.slope_per_30_days) {
                (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0)),
                (x, y) => assert_eq!(x, y),
            }
        }
    }
}

/// Issue 27: −0 is 0 on every path, bit for bit: scores, partials,
/// normalised scores, contributions, points missed, levers (an input of −0
/// in a points and a weighted model; a −0 in the model itself).
#[test]
fn negative_zero_is_zero_everywhere() {
    use customer_health::{ColumnOptions, Input};
    for aggregation in ["points", "weighted"] {
        let mut doc = serde_json::json!({
            "version": 1, "id": "z", "aggregation": aggregation,
            "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 },
                       { "id": "high", "label": "High", "color": "#009e73", "from": 50 } ],
            "categories": [ { "id": "c", "measures": [
                { "id": "x", "rule": { "type": "scale", "min": 0, "max": 10 } },
                { "id": "y", "rule": { "type": "steps", "thresholds": [1], "scores": [-0.0, 4] } } ] } ]
        });
        if aggregation == "weighted" {
            doc["categories"][0]["weight"] = serde_json::json!(1);
            for m in doc["categories"][0]["measures"].as_array_mut().unwrap() {
                m["weight"] = serde_json::json!(1);
            }
        }
        let m = crate::common::model(doc);
        let acc = customer_health::Account::new("a")
            .with("x", Input::Number(-0.0))
            .with("y", Input::Number(0.0));
        let card = m.score(&acc).unwrap();
        let zero = 0.0f64.to_bits();
        assert_eq!(card.score.unwrap().to_bits(), zero, "{aggregation} score");
        for r in &card.categories[0].measures {
            assert_eq!(
                r.partial.unwrap().to_bits(),
                zero,
                "{aggregation} {} partial",
                r.id
            );
            assert_eq!(
                r.normalized.unwrap().to_bits(),
                zero,
                "{aggregation} {} normalized",
                r.id
            );
            assert_eq!(
                r.contribution.to_bits(),
                zero,
                "{aggregation} {} contribution",
                r.id
            );
        }
        let x = [-0.0];
        let y = [0.0];
        let cols = m
            .score_columns_with(
                &[Some(&x[..]), Some(&y[..])],
                1,
                ColumnOptions {
                    full: true,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(cols.scores[0].to_bits(), zero, "{aggregation} columns");
        assert!(cols.contributions.iter().all(|c| c.to_bits() == zero));
        let f = cols.full.unwrap();
        assert!(f
            .partial
            .iter()
            .chain(&f.normalized)
            .all(|c| c.to_bits() == zero));
    }
}
