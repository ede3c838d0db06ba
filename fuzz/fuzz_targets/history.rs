//! Arbitrary history → trend and alerts (and explainChange over its
//! scorecards). The alerts of the one-pass sliding windows must equal those
//! of the direct computation (`alerts_direct`): same kinds at the same
//! snapshots, same numbers (slopes of large windows within 1e-9).
#![no_main]
use customer_health::presets;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let model = presets::preset("composite-kpi").unwrap();
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(snaps) = model.read_history(&value.to_string()) {
        let _ = model.trend_of(&snaps);
        let cards: Vec<_> = snaps.iter().filter_map(|s| s.card.clone()).collect();
        if cards.len() >= 2 {
            let _ = model.explain_change(&cards[0], &cards[1]);
            let _ = model.update_json(
                &cards[0],
                &serde_json::json!({ "operations": 3 }).to_string(),
                Some("2026-01-01"),
                Some(&value.to_string()),
            );
        }
    }
    let text = value.to_string();
    if let Ok(snaps) = model.read_history(&text) {
        let fast = model.alerts(&snaps);
        let direct = model.alerts_direct(&snaps);
        assert_eq!(
            fast.len(),
            direct.len(),
            "alerts differ:\n{fast:?}\n{direct:?}"
        );
        for (f, d) in fast.iter().zip(&direct) {
            assert_eq!(
                (f.kind, &f.at, f.score.to_bits()),
                (d.kind, &d.at, d.score.to_bits())
            );
            assert_eq!(f.change.map(f64::to_bits), d.change.map(f64::to_bits));
            match (f.slope_per_30_days, d.slope_per_30_days) {
                (Some(x), Some(y)) => {
                    assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}")
                }
                (x, y) => assert_eq!(x, y),
            }
        }
    }
});
