//! The built-in sample portfolio (samples/): every account scores, the planted
//! edge cases behave as documented, and the history is valid for the model.

use crate::common::*;
use customer_health::Model;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sample_model() -> Model {
    Model::from_json(&load("model.json").to_string()).expect("the sample model is valid")
}

#[test]
fn every_sample_account_scores() {
    let m = sample_model();
    let portfolio = load("portfolio.json");
    assert_eq!(portfolio["model"], m.id());
    let batch = m
        .score_many_json(&portfolio["accounts"].to_string())
        .unwrap();
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);
    assert_eq!(batch.summary.count, 200);
    // A realistic spread: every band has accounts, none dominates.
    for id in ["action", "watch", "healthy"] {
        let share = batch.summary.bands.get(id).unwrap().share;
        assert!((0.1..0.6).contains(&share), "{id}: {share}");
    }
    let card = |id: &str| {
        batch
            .scorecards
            .iter()
            .flatten()
            .find(|c| c.account_id == id)
            .unwrap()
            .clone()
    };
    // acc-196: no data at all.
    let c = card("acc-196");
    assert_eq!((c.score, c.band.id.as_str()), (None, "insufficient_data"));
    // acc-197: one signal (csmSentiment 4): coverage 0.2 × 1/2 (weights nps 1, csm 1, p1Open 0;
    // nps filled in as neutral does not count).
    let c = card("acc-197");
    assert_eq!(c.band.id, "insufficient_data");
    close(c.coverage, 0.1);
    // acc-198: healthy values but an open P1: capped at 49.
    let c = card("acc-198");
    assert_eq!(c.score, Some(49.0));
    assert_eq!(c.band.id, "action");
    assert_eq!(c.caps[0].reason, "Open P1 incident");
    // acc-199: everything at its best.
    let c = card("acc-199");
    close(c.score.unwrap(), 100.0);
    assert_eq!(c.band.id, "healthy");
    assert!(c.levers.is_empty());
    // acc-200: everything at its worst.
    let c = card("acc-200");
    close(c.score.unwrap(), 0.0);
    assert_eq!(c.band.id, "action");
}

#[test]
fn sample_history_is_valid_and_ends_with_the_portfolio() {
    let m = sample_model();
    let history = load("history.json");
    let snaps = history["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len(), 1200);
    let portfolio = load("portfolio.json");
    for s in snaps {
        let account = serde_json::json!({ "id": s["accountId"], "values": s["values"] });
        m.score_json(&account.to_string())
            .unwrap_or_else(|e| panic!("{}: {e:?}", s["accountId"]));
        customer_health::date::parse_iso(s["at"].as_str().unwrap()).expect("ISO date");
    }
    for acc in portfolio["accounts"].as_array().unwrap() {
        let last = snaps
            .iter()
            .rev()
            .find(|s| s["accountId"] == acc["id"])
            .unwrap();
        assert_eq!(last["at"], "2026-11-01");
        assert_eq!(last["values"], acc["values"]);
    }
}
