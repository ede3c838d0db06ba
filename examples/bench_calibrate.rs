//! Benchmark (not a test): Fit and Suggest on 50,000 rows × 20 measures.
//!
//!     cargo run --release --example bench_calibrate [rows] [rounds]
//!
//! The same rows as bench/node-calibrate.mjs (same generator), so the two
//! can be compared.

use customer_health::calibrate::{FitOptions, SuggestOptions, Table, TableOptions};
use customer_health::Model;
use serde_json::{json, Map, Value};
use std::time::Instant;

const MEASURES: usize = 20;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rows = args.first().copied().unwrap_or(50_000);
    let rounds = args.get(1).copied().unwrap_or(3);
    let data = synthetic(rows);
    let model = model();
    let t0 = Instant::now();
    let table = Table::from_json(&data, &TableOptions::outcome("churned", true)).unwrap();
    let read = t0.elapsed().as_secs_f64() * 1e3;
    let mut fit_ms = Vec::new();
    let mut suggest_ms = Vec::new();
    let mut aucs = (0.0, 0.0);
    for _ in 0..rounds {
        let t = Instant::now();
        let f = model.fit(&table, &FitOptions::default()).unwrap();
        fit_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let s = Model::suggest(&table, &SuggestOptions::default()).unwrap();
        suggest_ms.push(t.elapsed().as_secs_f64() * 1e3);
        aucs = (f.after.auc.unwrap_or(0.0), s.backtest.auc.unwrap_or(0.0));
    }
    println!("native: {rows} rows × {MEASURES} measures, median of {rounds} (reading the rows: {read:.0} ms)");
    println!(
        "fit:     {:.0} ms (test AUC {:.4})",
        median(&mut fit_ms),
        aucs.0
    );
    println!(
        "suggest: {:.0} ms (test AUC {:.4})",
        median(&mut suggest_ms),
        aucs.1
    );
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// xorshift64 rows: 20 uniform measures m0..m19, churn from a known logistic
/// model with weights falling from m0 to m19.
pub fn synthetic(n: usize) -> Value {
    let mut s = 2024u64;
    let mut rnd = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    Value::Array(
        (0..n)
            .map(|_| {
                let mut row = Map::new();
                let mut z = 3.0;
                for j in 0..MEASURES {
                    let x = (rnd() * 1000.0).round() / 1000.0;
                    z -= 6.0 * x * (MEASURES - j) as f64 / MEASURES as f64 / 3.0;
                    row.insert(format!("m{j}"), json!(x));
                }
                row.insert("churned".into(), json!(rnd() < 1.0 / (1.0 + (-z).exp())));
                Value::Object(row)
            })
            .collect(),
    )
}

fn model() -> Model {
    let measures: Vec<Value> = (0..MEASURES)
        .map(|j| json!({ "id": format!("m{j}"), "weight": 1, "rule": { "type": "linear", "points": [[0, 0], [1, 100]] } }))
        .collect();
    Model::from_value(&json!({
        "version": 1, "id": "bench",
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 }, { "id": "high", "label": "High", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "all", "weight": 1, "measures": measures } ]
    }))
    .unwrap()
}
