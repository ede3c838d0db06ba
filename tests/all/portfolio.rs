//! Portfolio: prioritisation, band movement, playbooks, replay and model
//! sets (segments), worked out by hand.

use crate::common::*;
use customer_health::model::Direction;
use customer_health::portfolio::Objective;
use customer_health::{Account, Model, ModelSet, ScoreOptions};
use serde_json::{json, Value};

fn kpi() -> Model {
    model(composite([50.0, 30.0, 20.0]))
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
        let acc = Account::from_json(
            &json!({ "id": id, "values": { "ops": v, "com": v, "eng": v } }).to_string(),
        )
        .unwrap();
        m.score_with(
            &acc,
            &ScoreOptions {
                at: Some(at.into()),
                as_of: None,
                ..Default::default()
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
        m.band_movement(&cards, "soon").unwrap_err()[0].code,
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
    let e = Model::validate(&doc.to_string());
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
    let r = sample
        .replay_json(&history["snapshots"].to_string())
        .unwrap();
    assert_eq!(r.points.len(), 1200);
    assert!(r.errors.is_empty());
    assert_eq!(r.model_hash, sample.hash());
    // Under a model without `contract`, those values are unknown measures: refused with paths.
    let e = kpi().replay_json(&json!([{ "accountId": "a", "at": "2026-01-01", "values": { "ops": 3 } }, { "accountId": "b", "at": "2026-01-01", "values": { "nps": 3 } }]).to_string()).unwrap();
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
    let set = ModelSet::from_json(&set.to_string()).unwrap();
    let pick = |seg: &str, value: f64| {
        let a = Account::from_json(
            &json!({ "id": "x", "segment": seg, "value": value, "values": { "ops": 3 } })
                .to_string(),
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
        ModelSet::from_json(&doc.to_string())
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

#[test]
fn a_model_set_summary_counts_the_bands_of_every_model() {
    // The default model has the composite's bands; the enterprise model has
    // its own two bands (`at-risk` below 60, `fine` from 60).
    let mut enterprise = composite([1.0, 1.0, 1.0]);
    enterprise["id"] = json!("enterprise");
    enterprise["bands"] = json!([
        { "id": "at-risk", "label": "At risk", "color": "#d55e00", "from": 0 },
        { "id": "fine", "label": "Fine", "color": "#009e73", "from": 60 }
    ]);
    let set = ModelSet::from_json(
        &json!({ "version": 1, "id": "s", "models": [
        { "when": { "segments": ["enterprise"] }, "model": enterprise },
        { "default": true, "model": composite([1.0, 1.0, 1.0]) }
    ] })
        .to_string(),
    )
    .unwrap();
    let default_bands: Vec<String> = set
        .default_model()
        .bands()
        .iter()
        .map(|b| b.id.clone())
        .collect();
    let mut ids = default_bands.clone();
    ids.extend(["at-risk".to_string(), "fine".to_string()]);
    assert_eq!(set.band_ids(), ids);
    // ops/com/eng 5 → 100 (fine under enterprise, the default's top band
    // otherwise); 1 → 0 (at-risk / the default's lowest band).
    let batch = set
        .score_many_json(&json!([
            { "id": "e1", "segment": "enterprise", "value": 10, "values": { "ops": 5, "com": 5, "eng": 5 } },
            { "id": "e2", "segment": "enterprise", "value": 20, "values": { "ops": 1, "com": 1, "eng": 1 } },
            { "id": "s1", "segment": "smb", "value": 30, "values": { "ops": 5, "com": 5, "eng": 5 } },
            { "id": "s2", "segment": "smb", "values": {} }
        ]).to_string())
        .unwrap();
    let count = |id: &str| batch.summary.bands.get(id).map(|b| b.count);
    assert_eq!(batch.summary.count, 4);
    assert_eq!(count("fine"), Some(1));
    assert_eq!(count("at-risk"), Some(1));
    assert_eq!(count(&default_bands[default_bands.len() - 1]), Some(1));
    assert_eq!(count("insufficient_data"), Some(1));
    // Every account is in exactly one band.
    let total: usize = ids
        .iter()
        .chain(["insufficient_data".to_string()].iter())
        .filter_map(|id| count(id))
        .sum();
    assert_eq!(total, 4);
    assert_eq!(batch.summary.bands.get("fine").unwrap().value, 10.0);
}
