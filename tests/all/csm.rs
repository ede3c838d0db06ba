//! The CSM's voice, kept apart (issue 16, item 2): measures marked
//! `source: "csm"`, notes (author, date, comment, reason) that travel with a
//! value into the scorecard and through `update`, and the disagreement
//! between the CSM and the score (`sentimentDisagrees`, flag and alert).

use crate::common::*;
use customer_health::{Account, Model};
use serde_json::{json, Value};

/// Usage (weight 3): logins 0..10; relationship (weight 1): the CSM's
/// sentiment 1..10. Score = (3 × logins/10 + (sentiment − 1)/9) / 4 × 100.
fn csm_model(alerts: Value) -> Model {
    model(json!({
        "version": 1, "id": "csm",
        "bands": [
            { "id": "risk", "label": "At risk", "color": "#d55e00", "from": 0 },
            { "id": "ok", "label": "OK", "color": "#e69f00", "from": 50 },
            { "id": "opportunity", "label": "Opportunity", "color": "#009e73", "above": 80 }
        ],
        "categories": [
            { "id": "usage", "weight": 3, "measures": [
                { "id": "logins", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] },
            { "id": "relationship", "weight": 1, "measures": [
                { "id": "sentiment", "label": "CSM sentiment", "weight": 1, "source": "csm",
                  "rule": { "type": "scale", "min": 1, "max": 10 } } ] }
        ],
        "alerts": alerts,
        "playbooks": [ { "id": "ask-csm", "label": "Ask the CSM what they see", "urgency": "high",
                         "when": { "alerts": ["sentimentDisagrees"] } } ]
    }))
}

fn note() -> Value {
    json!({ "author": "ana", "at": "2026-11-01", "comment": "Champion left in October", "reason": "champion_left" })
}

#[test]
fn a_csm_far_from_the_score_is_flagged() {
    let m = csm_model(json!({}));
    // logins 10, sentiment 1: (3 × 1 + 0) / 4 = 75; the CSM says 0: 75 apart.
    let card = score(
        &m,
        json!({ "id": "a", "values": { "logins": 10, "sentiment": 1 } }),
    );
    close(card.score.unwrap(), 75.0);
    assert_eq!(card.sentiment_disagrees.len(), 1);
    let d = &card.sentiment_disagrees[0];
    assert_eq!(d.measure_id, "sentiment");
    close(d.sentiment, 0.0);
    close(d.gap, -75.0);
    // logins 9, sentiment 10: (2.7 + 1) / 4 = 92.5; the CSM's 100 is 7.5 away.
    let card = score(
        &m,
        json!({ "id": "b", "values": { "logins": 9, "sentiment": 10 } }),
    );
    close(card.score.unwrap(), 92.5);
    assert!(card.sentiment_disagrees.is_empty());
    // The margin is the model's: at 80, 75 apart is agreement.
    let lenient = csm_model(json!({ "sentimentMargin": 80 }));
    let card = score(
        &lenient,
        json!({ "id": "a", "values": { "logins": 10, "sentiment": 1 } }),
    );
    assert!(card.sentiment_disagrees.is_empty());
    // Without the CSM's value there is nothing to disagree with.
    let card = score(&m, json!({ "id": "c", "values": { "logins": 10 } }));
    assert!(card.sentiment_disagrees.is_empty());
}

#[test]
fn notes_travel_with_the_value() {
    let m = csm_model(json!({}));
    let account = json!({ "id": "a", "values": { "logins": 10, "sentiment": 1 }, "notes": { "sentiment": note() } });
    let card = score(&m, account);
    let measures: Vec<_> = card.categories.iter().flat_map(|c| &c.measures).collect();
    assert_eq!(measures[0].source, customer_health::model::Source::Data);
    assert_eq!(measures[0].note, None);
    assert_eq!(measures[1].source, customer_health::model::Source::Csm);
    let n = measures[1].note.as_ref().unwrap();
    assert_eq!(
        (
            n.author.as_deref(),
            n.at.as_deref(),
            n.comment.as_deref(),
            n.reason.as_deref()
        ),
        (
            Some("ana"),
            Some("2026-11-01"),
            Some("Champion left in October"),
            Some("champion_left")
        )
    );
    // update keeps the note of a value that did not change…
    let up = m
        .update_json(
            &card,
            &json!({ "logins": 4 }).to_string(),
            Some("2026-11-08"),
            None,
        )
        .unwrap();
    let sentiment = |c: &customer_health::Scorecard| c.categories[1].measures[0].note.clone();
    assert_eq!(sentiment(&up.scorecard), Some(n.clone()));
    // …and drops it when the value changes (the note was about the old one).
    let up = m
        .update_json(
            &card,
            &json!({ "sentiment": 6 }).to_string(),
            Some("2026-11-08"),
            None,
        )
        .unwrap();
    assert_eq!(sentiment(&up.scorecard), None);
}

#[test]
fn bad_notes_are_coded_errors_with_paths() {
    let m = csm_model(json!({}));
    let errors = |notes: Value| -> Vec<(String, String)> {
        let a = Account::from_json(
            &json!({ "id": "a", "values": { "logins": 1 }, "notes": notes }).to_string(),
        );
        let errs = match a {
            Err(e) => e,
            Ok(a) => m.score(&a).unwrap_err(),
        };
        errs.into_iter().map(|e| (e.code, e.path)).collect()
    };
    let pair = |c: &str, p: &str| vec![(c.to_string(), p.to_string())];
    assert_eq!(
        errors(json!({ "sentiment": { "at": "yesterday" } })),
        pair("invalid_date", "notes.sentiment.at")
    );
    assert_eq!(
        errors(json!({ "sentiment": { "mood": "sad" } })),
        pair("unknown_field", "notes.sentiment.mood")
    );
    assert_eq!(
        errors(json!({ "sentiment": { "comment": "x".repeat(2001) } })),
        pair("too_large", "notes.sentiment.comment")
    );
    assert_eq!(
        errors(json!({ "sentimnet": { "author": "ana" } })),
        pair("unknown_measure", "notes.sentimnet")
    );
    assert_eq!(errors(json!([])), pair("wrong_type", "notes"));
    // The next good account still scores.
    close(
        score(&m, json!({ "id": "ok", "values": { "logins": 10 } }))
            .score
            .unwrap(),
        100.0,
    );
    let bad_source = problems(json!({
        "version": 1, "id": "x",
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "m", "weight": 1, "source": "crm", "rule": { "type": "scale", "min": 0, "max": 1 } } ] } ]
    }));
    assert_eq!(bad_source[0].1, "categories[0].measures[0].source");
}

#[test]
fn the_disagreement_alert_fires_once_with_its_playbook() {
    let m = csm_model(json!({}));
    let card = |at: &str, logins: u32, sentiment: u32| {
        let a = Account::from_json(
            &json!({ "id": "a", "values": { "logins": logins, "sentiment": sentiment } })
                .to_string(),
        )
        .unwrap();
        let opts = customer_health::ScoreOptions {
            at: Some(at.into()),
            ..Default::default()
        };
        m.score_with(&a, &opts).unwrap()
    };
    // 92.5 (agree), then 75 with the CSM at 0 (disagree), then still so.
    let history = json!([
        card("2026-10-01", 9, 10),
        card("2026-10-08", 10, 1),
        card("2026-10-15", 10, 1)
    ]);
    let alerts: Vec<_> = m
        .alerts_json(&history.to_string())
        .unwrap()
        .into_iter()
        .filter(|a| a.kind.as_str() == "sentimentDisagrees")
        .collect();
    assert_eq!(alerts.len(), 1, "edge-triggered: once while it holds");
    let a = &alerts[0];
    assert_eq!(a.at.as_deref(), Some("2026-10-08"));
    assert_eq!(a.measure_id.as_deref(), Some("sentiment"));
    close(a.change.unwrap(), -75.0);
    assert_eq!(
        a.actions.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        ["ask-csm"]
    );
    assert!(a.message.contains("CSM sentiment"), "{}", a.message);
    // Through update: the change that makes them disagree fires it.
    let first = card("2026-10-01", 9, 10);
    let up = m
        .update_json(
            &first,
            &json!({ "sentiment": 1, "logins": 10 }).to_string(),
            Some("2026-10-08"),
            None,
        )
        .unwrap();
    assert!(up
        .alerts
        .iter()
        .any(|a| a.kind.as_str() == "sentimentDisagrees"));
    assert!(up
        .scorecard
        .alert_state
        .unwrap()
        .active
        .iter()
        .any(|k| k.as_str() == "sentimentDisagrees"));
}
