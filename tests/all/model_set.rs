//! Model sets (issue 16, item 6): conditions on the account's `fields`, and
//! the history calls (update, trend, alerts, explainChange, levers, plan)
//! sent to the model that made the scorecards. Scores as in the shared
//! `a_and_b` model: (a + 3b) / 4 × 10.

use crate::common::*;
use customer_health::{Account, ModelSet, Scorecard};
use serde_json::{json, Value};

fn set() -> ModelSet {
    let spec = |extra: Value| serde_json::to_value(a_and_b(extra).spec()).unwrap();
    let doc = json!({
        "version": 1, "id": "by-tenure",
        "models": [
            { "when": { "fields": [ { "field": "tenure", "op": "<", "value": 90 } ] },
              "model": spec(json!({ "id": "onboarding", "alerts": { "dropPoints": 5 } })) },
            { "when": { "fields": [ { "field": "plan", "op": "==", "value": "pro" },
                                    { "field": "managed", "op": "==", "value": true } ] },
              "model": spec(json!({ "id": "pro" })) },
            { "default": true, "model": spec(json!({ "id": "standard" })) }
        ]
    });
    ModelSet::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{:#?}", e.0))
}

fn account(doc: Value) -> Account {
    Account::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn model_of(set: &ModelSet, fields: Value) -> String {
    let a = account(json!({ "id": "x", "values": { "a": 5 }, "fields": fields }));
    set.select(&a).id().to_string()
}

#[test]
fn conditions_on_fields_choose_the_model() {
    let s = set();
    assert_eq!(model_of(&s, json!({ "tenure": 30 })), "onboarding");
    assert_eq!(
        model_of(&s, json!({ "tenure": 90 })),
        "standard",
        "90 is not below 90"
    );
    // Every condition of an entry must hold.
    assert_eq!(
        model_of(&s, json!({ "plan": "pro", "managed": true })),
        "pro"
    );
    assert_eq!(
        model_of(&s, json!({ "plan": "pro", "managed": false })),
        "standard"
    );
    // A field that is absent, null or of another type does not hold.
    assert_eq!(model_of(&s, json!({})), "standard");
    assert_eq!(model_of(&s, json!({ "tenure": null })), "standard");
    assert_eq!(model_of(&s, json!({ "tenure": "30" })), "standard");
    // Fields are never scored: the same values, the same score.
    let a = account(json!({ "id": "x", "values": { "a": 8, "b": 8 }, "fields": { "tenure": 30 } }));
    close(
        s.score_with(&a, &Default::default())
            .unwrap()
            .score
            .unwrap(),
        80.0,
    );
}

#[test]
fn bad_fields_and_conditions_are_coded_errors() {
    let codes = |doc: Value| -> Vec<(String, String)> {
        Account::from_json(&doc.to_string())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.code, e.path))
            .collect()
    };
    assert_eq!(
        codes(json!({ "id": "x", "fields": { "tags": ["a"], "ok": 1 } })),
        [("wrong_type".to_string(), "fields.tags".to_string())]
    );
    assert_eq!(
        codes(json!({ "id": "x", "fields": 3 })),
        [("wrong_type".to_string(), "fields".to_string())]
    );
    let model = |id: &str| serde_json::to_value(a_and_b(json!({ "id": id })).spec()).unwrap();
    let errs = ModelSet::from_json(&json!({
        "version": 1, "id": "s",
        "models": [
            { "when": { "fields": [ { "field": "plan", "op": "<", "value": "pro" } ] }, "model": model("m0") },
            { "when": { "fields": [ { "field": "tenure", "op": "<", "value": 9, "unit": "days" } ] }, "model": model("m1") },
            { "default": true, "model": model("m2") }
        ]
    }).to_string())
    .unwrap_err();
    let mut got: Vec<(String, String)> = errs.0.into_iter().map(|e| (e.code, e.path)).collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "invalid_value".to_string(),
                "models[0].when.fields[0].op".to_string()
            ),
            (
                "unknown_field".into(),
                "models[1].when.fields[0].unit".into()
            ),
        ]
    );
}

fn card(s: &ModelSet, at: &str, values: Value) -> Scorecard {
    let a = account(json!({ "id": "acme", "values": values, "fields": { "tenure": 30 } }));
    let opts = customer_health::ScoreOptions {
        at: Some(at.into()),
        ..Default::default()
    };
    s.score_with(&a, &opts).unwrap()
}

#[test]
fn history_calls_go_to_the_model_that_made_the_scorecards() {
    let s = set();
    let onboarding = s.model("onboarding").unwrap();
    // 80 on 1 October; b falls to 6 on 8 October: (8 + 18) / 4 × 10 = 65.
    let first = card(&s, "2026-10-01", json!({ "a": 8, "b": 8 }));
    assert_eq!(first.model_id, "onboarding");
    let up = s
        .update_json(
            &first,
            &json!({ "b": 6 }).to_string(),
            Some("2026-10-08"),
            None,
        )
        .unwrap();
    assert_eq!(up.scorecard.model_id, "onboarding");
    close(up.scorecard.score.unwrap(), 65.0);
    // A drop of 15 is past this model's dropPoints of 5 (the default 10
    // would fire too; its band change confirms later): the same alerts as
    // the model's own update.
    let direct = onboarding
        .update_json(
            &first,
            &json!({ "b": 6 }).to_string(),
            Some("2026-10-08"),
            None,
        )
        .unwrap();
    assert_eq!(up, direct);
    assert!(up.alerts.iter().any(|a| a.kind.as_str() == "scoreDropped"));

    let history = json!([first, up.scorecard.clone()]);
    assert_eq!(
        s.alerts_json(&history.to_string()).unwrap(),
        onboarding.alerts_json(&history.to_string()).unwrap()
    );
    assert_eq!(
        s.trend_json(&history.to_string()).unwrap(),
        onboarding.trend_json(&history.to_string()).unwrap()
    );
    let why = s.explain_change(&first, &up.scorecard).unwrap();
    close(why.total, -15.0);
    assert_eq!(
        why,
        onboarding.explain_change(&first, &up.scorecard).unwrap()
    );

    // A scorecard of a model the set lacks.
    let mut stray = first.clone();
    stray.model_id = "retired".into();
    let e = s
        .update_json(&stray, &json!({}).to_string(), None, None)
        .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_model", "modelId")
    );
    let e = s.explain_change(&first, &stray).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_model", "after.modelId")
    );
    // A history naming none of the set's models is read by the default.
    let points = json!([{ "at": "2026-10-01", "score": 80 }, { "at": "2026-10-08", "score": 65 }]);
    assert_eq!(
        s.alerts_json(&points.to_string()).unwrap(),
        s.default_model().alerts_json(&points.to_string()).unwrap()
    );
}

#[test]
fn levers_and_plans_use_the_model_that_applies() {
    let s = set();
    let a =
        account(json!({ "id": "acme", "values": { "a": 2, "b": 4 }, "fields": { "tenure": 30 } }));
    // (2 + 12) / 4 × 10 = 35. b at 10: (2 + 30) / 4 × 10 = 80, +45;
    // a at 10: (10 + 12) / 4 × 10 = 55, +20.
    let levers = s.levers(&a).unwrap();
    assert_eq!(levers, s.model("onboarding").unwrap().levers(&a).unwrap());
    close(levers[0].points_missed, 45.0);
    assert_eq!(levers[0].measure_id, "b");
    close(levers[1].points_missed, 20.0);
    assert_eq!(
        s.plan(&a).unwrap(),
        s.model("onboarding").unwrap().plan(&a).unwrap()
    );
}

#[test]
fn each_alert_comes_from_the_model_that_made_its_snapshot() {
    let s = set();
    // onboarding (dropPoints 5): 80, then 72.5 (b 8 → 7): a drop of 7.5
    // fires under onboarding's settings (the default's 10 would not); then
    // the account leaves onboarding and the standard model scores it.
    let first = card(&s, "2026-10-01", json!({ "a": 8, "b": 8 }));
    let second = card(&s, "2026-10-08", json!({ "a": 8, "b": 7 }));
    let later = {
        let a = account(
            json!({ "id": "acme", "values": { "a": 8, "b": 7 }, "fields": { "tenure": 120 } }),
        );
        let opts = customer_health::ScoreOptions {
            at: Some("2026-10-15".into()),
            ..Default::default()
        };
        s.score_with(&a, &opts).unwrap()
    };
    assert_eq!(later.model_id, "standard");
    let history = json!([first, second, later]);
    let kinds: Vec<(String, &str)> = s
        .alerts_json(&history.to_string())
        .unwrap()
        .iter()
        .map(|a| (a.at.clone().unwrap(), a.kind.as_str()))
        .collect();
    assert!(
        kinds.contains(&("2026-10-08".to_string(), "scoreDropped")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("2026-10-15".to_string(), "modelChanged")),
        "{kinds:?}"
    );
    // The trend is the standard model's run alone: one snapshot, no change.
    let t = s.trend_json(&history.to_string()).unwrap().unwrap();
    assert_eq!((t.snapshots, t.change_since_previous), (1, None));
}

#[test]
fn a_set_refuses_two_models_with_one_id_and_an_empty_condition() {
    let spec = |extra: Value| serde_json::to_value(a_and_b(extra).spec()).unwrap();
    let errs = ModelSet::from_json(
        &json!({
            "version": 1, "id": "s",
            "models": [
                { "when": {}, "model": spec(json!({ "id": "a" })) },
                { "default": true, "model": spec(json!({ "id": "a" })) }
            ]
        })
        .to_string(),
    )
    .unwrap_err();
    let mut got: Vec<(String, String)> = errs.0.into_iter().map(|e| (e.code, e.path)).collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("duplicate_id".to_string(), "models[1].model.id".to_string()),
            ("invalid_value".into(), "models[0].when".into()),
        ]
    );
}
