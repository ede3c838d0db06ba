//! Benchmark (not a test): `score_columns` natively on the model of
//! bench/bench12.model.json and the same data as bench/bench12.mjs (same
//! generator), so Node and Chromium can report their ratio to native.
//!
//!     cargo run --release --example bench_columns [rows] [rounds]
//!
//! Prints one JSON line: `{ "rows", "columnsMs", "breakdownMs", "checksum" }`
//! (medians; the checksum is the sum of the scores, which the JS runs compare).

use customer_health::{ColumnOptions, Model};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rows = args.first().copied().unwrap_or(1_000_000);
    let rounds = args.get(1).copied().unwrap_or(7);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/bench/bench12.model.json"
    ))
    .expect("bench/bench12.model.json");
    let model = Model::from_json(&text).expect("a valid model");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules: Vec<String> = doc["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["measures"].as_array().unwrap())
        .map(|m| m["rule"]["type"].as_str().unwrap().to_string())
        .collect();
    let cols = generate(&rules, rows);
    let refs: Vec<Option<&[f64]>> = cols.iter().map(|c| Some(&c[..])).collect();
    let mut plain = Vec::new();
    let mut breakdown = Vec::new();
    let mut checksum = 0.0;
    for _ in 0..rounds {
        let t0 = Instant::now();
        let out = model.score_columns(&refs, rows).unwrap();
        plain.push(t0.elapsed().as_secs_f64() * 1e3);
        checksum = out.scores.iter().sum::<f64>();
        let t0 = Instant::now();
        let opts = ColumnOptions {
            breakdown: true,
            ..Default::default()
        };
        std::hint::black_box(model.score_columns_with(&refs, rows, opts).unwrap());
        breakdown.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{{\"rows\":{rows},\"columnsMs\":{},\"breakdownMs\":{},\"checksum\":{checksum}}}",
        median(plain),
        median(breakdown)
    );
}

/// The generator of bench/bench12.mjs: a 32-bit LCG, value by value in row
/// order, measure by measure.
fn generate(rules: &[String], rows: usize) -> Vec<Vec<f64>> {
    let mut s: u32 = 12345;
    let mut rnd = || {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        f64::from(s) / 4_294_967_296.0
    };
    let mut cols = vec![vec![0.0; rows]; rules.len()];
    for r in 0..rows {
        for (col, rule) in cols.iter_mut().zip(rules) {
            let x = rnd();
            col[r] = match rule.as_str() {
                "flag" => f64::from(u8::from(x < 0.5)),
                "steps" => (x * 12.0).floor(),
                _ => (x * 1000.0).round() / 10.0,
            };
        }
    }
    cols
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}
