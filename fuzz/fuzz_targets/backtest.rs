//! Arbitrary rows → backtest and band edges.
#![no_main]
use customer_health::calibrate::{BandTargets, Table, TableOptions};
use customer_health::Model;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::from_json(include_str!("../../samples/model.json")).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let Ok(table) = Table::from_json(&value, &TableOptions::default()) else { return };
    let b = model().backtest(&table);
    if let Some(auc) = b.auc {
        assert!((0.0..=1.0).contains(&auc));
    }
    let _ = model().suggest_bands(&table, &BandTargets { shares: Some(vec![0.2, 0.5, 0.3]), churn_rates: None });
});
