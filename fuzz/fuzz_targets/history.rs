//! Arbitrary history → trend and alerts (and explainChange over its
//! scorecards).
#![no_main]
use customer_health::presets;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let model = presets::preset("composite-kpi").unwrap();
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Ok(snaps) = model.read_history(&value) {
        let _ = model.trend_of(&snaps);
        let cards: Vec<_> = snaps.iter().filter_map(|s| s.card.clone()).collect();
        if cards.len() >= 2 {
            let _ = model.explain_change(&cards[0], &cards[1]);
            let _ = model.update(&cards[0], &serde_json::json!({ "operations": 3 }), Some("2026-01-01"), Some(&value));
        }
    }
    let _ = model.alerts(&value);
});
