//! Arbitrary rows (JSON, or the same bytes as CSV text) → backtest, band
//! edges and suggest: no panic, metrics in range, and every row of the
//! table scores under a suggested model.
#![no_main]
use customer_health::calibrate::{BandOptions, SuggestOptions, Table, TableOptions};
use customer_health::{Account, Model, ScoreOptions};
use libfuzzer_sys::fuzz_target;

use std::sync::OnceLock;

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::from_json(include_str!("../../samples/model.json")).unwrap())
}

fn check(table: &Table) {
    let b = model().backtest(table);
    if let Some(auc) = b.auc {
        assert!((0.0..=1.0).contains(&auc));
    }
    let bands = BandOptions {
        shares: Some(vec![0.2, 0.5, 0.3]),
        ..Default::default()
    };
    if let Ok(e) = model().suggest_bands(table, &bands) {
        let mut spec = model().spec().clone();
        spec.bands = e.bands;
        assert!(
            Model::from_spec(&spec).is_ok(),
            "suggested edges give a valid model"
        );
    }
    if let Ok(s) = Model::suggest(table, &SuggestOptions::default()) {
        let m = Model::from_spec(&s.model).expect("a suggested model is valid");
        let scored = m.score_table(table, false);
        assert!(
            scored.errors.is_empty(),
            "every row scores: {:?}",
            scored.errors.first()
        );
        let _ = m.score_with(
            &Account::new("x"),
            &ScoreOptions {
                ignore_unknown: true,
                ..Default::default()
            },
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let opts = TableOptions::outcome("churned", true);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(table) = Table::from_json(&value.to_string(), &opts) {
            check(&table);
        }
    } else if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(table) = Table::from_csv(text, &opts) {
            check(&table);
        }
    }
});
