//! `Model::advance` (issue 24): an update from an account's full inputs, as
//! the edge service keeps them, so fields, per-seat divisors, notes and
//! series change as freely as values. Worked by hand.

use crate::common::*;
use customer_health::Account;
use serde_json::json;

fn account(v: serde_json::Value) -> Account {
    Account::from_json(&v.to_string()).unwrap()
}

#[test]
fn advance_takes_new_fields_series_and_notes_and_raises_the_alerts_update_would() {
    // Logins per seat on 0..10 (weight 1), and weekly usage as a slope per
    // 30 days on -100..100 (weight 1): score = mean of the two.
    let m = model(json!({
        "version": 1, "id": "adv",
        "bands": [
            { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 },
            { "id": "high", "label": "High", "color": "#009e73", "from": 50 }
        ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "logins", "weight": 1, "per": "seats", "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "usage", "weight": 1, "series": { "derive": "slope" }, "rule": { "type": "scale", "min": -100, "max": 100 } }
        ] } ]
    }));
    // 80 logins over 10 seats: 8 → 80; usage +30 per 30 days → 65. Mean 72.5.
    let first = m
        .score_with(
            &account(json!({ "id": "a", "fields": { "seats": 10 }, "values": { "logins": 80,
                "usage": [{ "at": "2026-10-01", "value": 10 }, { "at": "2026-10-11", "value": 20 }, { "at": "2026-10-21", "value": 30 }] } })),
            &customer_health::ScoreOptions { at: Some("2026-10-21".into()), ..Default::default() },
        )
        .unwrap();
    close(first.score.unwrap(), 72.5);
    // Seats double (4 per seat → 40) and usage falls 1 a day (-30 → 35): mean 37.5, low.
    let next = account(
        json!({ "id": "a", "fields": { "seats": 20 }, "values": { "logins": 80,
        "usage": [{ "at": "2026-10-21", "value": 30 }, { "at": "2026-10-31", "value": 20 }] },
        "notes": { "logins": { "author": "csm@example.com", "at": "2026-10-31", "comment": "seats doubled at renewal" } } }),
    );
    let up = m.advance(&first, &next, Some("2026-10-31"), &[]).unwrap();
    close(up.scorecard.score.unwrap(), 37.5);
    assert_eq!(up.scorecard.band.id, "low");
    let logins = &up.scorecard.categories[0].measures[0];
    assert_eq!(logins.per.as_ref().unwrap().divisor, Some(20.0));
    assert_eq!(
        logins.note.as_ref().unwrap().comment.as_deref(),
        Some("seats doubled at renewal")
    );
    let kinds: Vec<_> = up.alerts.iter().map(|a| a.kind.as_str()).collect();
    assert!(kinds.contains(&"bandChanged"), "{kinds:?}");
    // update() cannot do this: the series is not carried and the seats are the old ones.
    let err = m
        .update_json(
            &first,
            &json!({ "logins": 80 }).to_string(),
            Some("2026-10-31"),
            None,
        )
        .unwrap_err();
    assert_eq!(err[0].code, "series_required");
    // A previous scorecard of another model id is refused, as by update.
    let other = model(json!({
        "version": 1, "id": "other",
        "bands": [ { "id": "all", "label": "All", "color": "#009e73", "from": 0 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [
            { "id": "logins", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ]
    }));
    let err = other.advance(&first, &next, None, &[]).unwrap_err();
    assert_eq!(err[0].code, "model_mismatch");
}
