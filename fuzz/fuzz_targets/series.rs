//! A model with a measure derived from a series (slope, ratio or EWMA,
//! settings from the input) × points from the input (dates, values,
//! extremes) → score and update: no panic; the derived value is finite or
//! missing; an update that sends the points again gives the score the
//! account gets when scored at that date.
#![no_main]
use customer_health::{Account, Model, ScoreOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let series = match data[0] % 3 {
        0 => json!({ "derive": "slope", "perDays": 1 + u32::from(data[1] % 60) }),
        1 => {
            json!({ "derive": "ratio", "recentDays": 1 + u32::from(data[1] % 60), "priorDays": 1 + u32::from(data[2] % 90) })
        }
        _ => json!({ "derive": "ewma", "halfLifeDays": 1 + u32::from(data[1] % 60) }),
    };
    let doc = json!({
        "version": 1, "id": "s", "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "x", "weight": 1, "series": series, "rule": { "type": "linear", "points": [[-1e6, 0], [1e6, 100]] } },
            { "id": "y", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ]
    });
    let Ok(model) = Model::from_json(&doc.to_string()) else {
        return;
    };
    let points: Vec<_> = data[3..]
        .chunks(3)
        .map(|c| {
            let day = 1 + u32::from(c[0] % 28);
            let month = 1 + u32::from(c.get(1).copied().unwrap_or(0) % 12);
            let raw = i64::from(c.get(2).copied().unwrap_or(0)) - 128;
            let value = if raw == 127 {
                1e15
            } else if raw == -128 {
                -1e15
            } else {
                raw as f64
            };
            json!({ "at": format!("2026-{month:02}-{day:02}"), "value": value })
        })
        .collect();
    let at = "2026-12-31";
    let account = json!({ "id": "a", "values": { "x": points, "y": 5 } });
    let Ok(a) = Account::from_json(&account.to_string()) else {
        return;
    };
    let opts = ScoreOptions {
        at: Some(at.into()),
        ..Default::default()
    };
    let Ok(card) = model.score_with(&a, &opts) else {
        return;
    };
    if let Some(v) = card.categories[0].measures[0]
        .value
        .as_ref()
        .and_then(|v| v.as_f64())
    {
        assert!(v.is_finite(), "derived {v}");
    }
    let first = json!({ "id": "a", "values": { "y": 5 } });
    let Ok(start) = model.score_with(
        &Account::from_json(&first.to_string()).unwrap(),
        &ScoreOptions {
            at: Some("2026-01-01".into()),
            ..Default::default()
        },
    ) else {
        return;
    };
    if let Ok(u) = model.update_json(
        &start,
        &json!({ "x": account["values"]["x"] }).to_string(),
        Some(at),
        None,
    ) {
        assert_eq!(
            u.scorecard.score.map(f64::to_bits),
            card.score.map(f64::to_bits)
        );
    }
});
