//! Benchmark (not a test): `suggest` and `fit` natively on the tables that
//! bench/calibration-speed.mjs writes (the same rows Node and Chromium
//! score), so the three can be compared. Prints one line of JSON.
//!
//!     cargo run --release --example bench_calibrate -- WIDE.csv LINEAR.csv [rounds]

use customer_health::calibrate::{FitOptions, SuggestOptions, Table, TableOptions};
use customer_health::Model;
use serde_json::json;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [wide, linear, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench_calibrate WIDE.csv LINEAR.csv [rounds]  (written by bench/calibration-speed.mjs)");
        std::process::exit(2);
    };
    let rounds: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(3);
    let read = |path: &str, outcome: &str, churned: &str, id: Option<&str>| {
        let text = std::fs::read_to_string(path).expect("read the table");
        let opts = TableOptions {
            id_column: id.map(String::from),
            ..TableOptions::outcome(outcome, churned)
        };
        Table::from_csv(&text, &opts).expect("a table")
    };
    let t0 = Instant::now();
    let wide = read(wide, "Churn", "Yes", Some("CustomerID"));
    let linear = read(linear, "churned", "true", None);
    let read_ms = t0.elapsed().as_secs_f64() * 1e3;
    let model = model();
    let (mut suggest, mut fit) = (Vec::new(), Vec::new());
    let mut aucs = (0.0, 0.0);
    for _ in 0..rounds {
        let t = Instant::now();
        let s = Model::suggest(&wide, &SuggestOptions::default()).expect("suggest");
        suggest.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let f = model.fit(&linear, &FitOptions::default()).expect("fit");
        fit.push(t.elapsed().as_secs_f64() * 1e3);
        aucs = (s.backtest.auc.unwrap_or(0.0), f.after.auc.unwrap_or(0.0));
    }
    println!(
        "{}",
        json!({ "readCsvMs": read_ms, "suggestMs": median(&mut suggest), "fitMs": median(&mut fit), "suggestAuc": aucs.0, "fitAuc": aucs.1 })
    );
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The model of bench/calibration-bench.mjs: 20 linear measures, equal weights.
fn model() -> Model {
    let measures: Vec<_> = (0..20)
        .map(|j| json!({ "id": format!("m{j}"), "weight": 1, "rule": { "type": "linear", "points": [[0, 0], [1, 100]] } }))
        .collect();
    Model::from_json(&json!({
        "version": 1, "id": "bench",
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 }, { "id": "high", "label": "High", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "all", "weight": 1, "measures": measures } ]
    }).to_string())
    .expect("the bench model")
}
