//! Batches: scorecards in order, refusals with indexed paths, the summary.

use crate::common::*;
use customer_health::Account;
use serde_json::json;

#[test]
fn batch_scores_in_order_and_reports_bad_accounts() {
    let m = model(composite([50.0, 30.0, 20.0]));
    let accounts = json!([
        { "id": "a", "value": 100, "values": { "ops": 5, "com": 5, "eng": 5 } },
        { "id": "b", "value": 50, "values": { "ops": 1, "com": 1, "eng": 1 } },
        { "id": "c", "values": { "ops": "4" } },
        { "id": "d", "value": 10, "values": { "ops": 4, "com": 3, "eng": 5 } },
        { "id": "e", "value": 7, "values": { "eng": 5 } },
        { "id": "f", "values": { "ops": 3, "com": 3, "eng": 3, "nps": 9 } }
    ]);
    let batch = m.score_many_json(&accounts.to_string()).unwrap();
    assert_eq!(batch.scorecards.len(), 6);
    let ids: Vec<Option<&str>> = batch
        .scorecards
        .iter()
        .map(|c| c.as_ref().map(|c| c.account_id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [Some("a"), Some("b"), None, Some("d"), Some("e"), None]
    );
    let errs: Vec<(usize, &str, &str)> = batch
        .errors
        .iter()
        .map(|e| (e.index, e.code.as_str(), e.path.as_str()))
        .collect();
    assert_eq!(
        errs,
        [
            (2, "not_a_number", "[2].values.ops"),
            (5, "unknown_measure", "[5].values.nps")
        ]
    );

    let s = &batch.summary;
    // a 100 (healthy), b 0 (action), d 72.5 (watch), e 100 but coverage 0.2 (insufficient).
    assert_eq!(s.count, 4);
    close(s.mean.unwrap(), (100.0 + 0.0 + 72.5 + 100.0) / 4.0);
    close(s.median.unwrap(), (72.5 + 100.0) / 2.0);
    let band = |id: &str| s.bands.get(id).unwrap().clone();
    assert_eq!(band("healthy").count, 1);
    assert_eq!(band("watch").count, 1);
    assert_eq!(band("action").count, 1);
    assert_eq!(band("insufficient_data").count, 1);
    close(band("healthy").share, 0.25);
    close(band("action").value, 50.0);
    close(band("insufficient_data").value, 7.0);
    // Band order is kept in the JSON object: the model's bands, then insufficient_data.
    let text = serde_json::to_string(&s.bands).unwrap();
    let pos = |k: &str| text.find(k).unwrap();
    assert!(
        pos("action") < pos("watch")
            && pos("watch") < pos("healthy")
            && pos("healthy") < pos("insufficient_data")
    );
}

#[test]
fn batch_of_typed_accounts_and_empty_batch() {
    let m = model(composite([1.0, 1.0, 1.0]));
    let batch = m.score_many(&[]);
    assert_eq!(batch.summary.count, 0);
    assert_eq!(batch.summary.mean, None);
    assert_eq!(batch.summary.median, None);
    assert_eq!(batch.summary.bands.get("watch").unwrap().share, 0.0);
    let acc = Account::from_json(
        &json!({ "id": "x", "values": { "ops": 3, "com": 3, "eng": 3 } }).to_string(),
    )
    .unwrap();
    let batch = m.score_many(&[acc.clone(), acc]);
    close(batch.summary.median.unwrap(), 50.0);
    let e = m
        .score_many_json(&json!({ "id": "x" }).to_string())
        .unwrap_err();
    assert_eq!(e[0].code, "wrong_type");
}
