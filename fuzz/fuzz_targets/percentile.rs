//! Any numbers (raw f64: NaN, infinities, subnormals, extremes) → the
//! quantiles of a percentile rule: no panic; when they are given, they make
//! a rule that validates, and the kernel scores values bit for bit as the
//! engine does.
#![no_main]
use customer_health::model::quantiles;
use customer_health::{Account, Input, Model};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let values: Vec<f64> = rest
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let Ok(q) = quantiles(&values, 2 + usize::from(count % 40)) else {
        return;
    };
    assert!(q.iter().all(|x| x.is_finite()), "{q:?}");
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    // Model numbers are limited to ±1e12: such quantiles make a rule.
    if q.iter().any(|x| x.abs() > 1e12) {
        return;
    }
    let doc = json!({
        "version": 1, "id": "p", "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 }, { "id": "high", "label": "High", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [ { "id": "x", "weight": 1, "rule": { "type": "percentile", "quantiles": q } } ] } ]
    });
    let model = Model::from_json(&doc.to_string()).expect("quantiles make a valid percentile rule");
    let column: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| v.is_finite() && v.abs() < 1e300)
        .take(600)
        .collect();
    if column.is_empty() {
        return;
    }
    let out = model.score_columns(&[Some(&column)], column.len()).unwrap();
    for (r, &v) in column.iter().enumerate() {
        let card = model
            .score(&Account::new("a").with("x", Input::Number(v)))
            .unwrap();
        assert_eq!(
            out.scores[r].to_bits(),
            card.score.unwrap_or(f64::NAN).to_bits(),
            "row {r}: {v}"
        );
    }
});
