//! Native benchmarks of the core (criterion): score one account, 100,000
//! accounts, explain a change, a trend, Fit on 50,000 rows.
//!
//!     cargo bench --bench core
//!
//! Figures and the machine are in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use customer_health::calibrate::{FitOptions, Table, TableOptions};
use customer_health::{Account, Model, ScoreOptions};
use serde_json::{json, Value};
use std::hint::black_box;

fn sample() -> (Model, Vec<Account>) {
    let model = Model::from_json(include_str!("../samples/model.json")).unwrap();
    let p: Value = serde_json::from_str(include_str!("../samples/portfolio.json")).unwrap();
    let accounts = p["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| Account::from_json(&a.to_string()).unwrap())
        .collect();
    (model, accounts)
}

fn bench(c: &mut Criterion) {
    let (model, accounts) = sample();
    let one = accounts[3].clone();
    c.bench_function("score one account (full scorecard)", |b| {
        b.iter(|| model.score(black_box(&one)).unwrap())
    });

    let many: Vec<Account> = (0..100_000)
        .map(|i| accounts[i % accounts.len()].clone())
        .collect();
    let mut g = c.benchmark_group("batches");
    g.sample_size(10);
    g.bench_function("score 100,000 accounts (full scorecards)", |b| {
        b.iter(|| model.score_many(black_box(&many)))
    });
    let ids: Vec<String> = model.measure_ids().map(String::from).collect();
    let cols: Vec<Option<Vec<f64>>> = ids
        .iter()
        .map(|id| {
            (id != "contract").then(|| {
                many.iter()
                    .map(
                        |a| match a.values.iter().find(|(k, _)| k == id).map(|(_, v)| v) {
                            Some(customer_health::Input::Number(x)) => *x,
                            Some(customer_health::Input::Bool(b)) => f64::from(u8::from(*b)),
                            _ => f64::NAN,
                        },
                    )
                    .collect()
            })
        })
        .collect();
    let refs: Vec<Option<&[f64]>> = cols.iter().map(|c| c.as_deref()).collect();
    g.bench_function("score_columns 100,000 accounts (scores and bands)", |b| {
        b.iter(|| model.score_columns(black_box(&refs), many.len()).unwrap())
    });
    g.finish();

    let before = model
        .score_with(
            &accounts[3],
            &ScoreOptions {
                at: Some("2026-10-01".into()),
                as_of: None,
                ..Default::default()
            },
        )
        .unwrap();
    let after = model
        .score_with(
            &accounts[4],
            &ScoreOptions {
                at: Some("2026-11-01".into()),
                as_of: None,
                ..Default::default()
            },
        )
        .unwrap();
    c.bench_function("explain a change", |b| {
        b.iter(|| {
            model
                .explain_change(black_box(&before), black_box(&after))
                .unwrap()
        })
    });

    let history: String = Value::Array(
        (0..24).map(|i| json!({ "at": format!("2026-{:02}-{:02}", 1 + i / 2, 1 + (i % 2) * 14), "score": 50.0 + (i as f64).sin() * 10.0 })).collect(),
    )
    .to_string();
    c.bench_function("trend and alerts over 24 snapshots", |b| {
        b.iter(|| {
            let snaps = model.read_history(black_box(&history)).unwrap();
            (model.trend_of(&snaps), model.alerts(&snaps))
        })
    });

    let rows: Vec<Value> = (0..50_000)
        .map(|i| {
            let a = &accounts[i % accounts.len()];
            let mut row = serde_json::Map::new();
            for (k, v) in &a.values {
                row.insert(k.clone(), json!(v.to_scalar()));
            }
            row.insert("churned".into(), json!(i % 7 == 0));
            Value::Object(row)
        })
        .collect();
    let table = Table::from_json(
        &Value::Array(rows).to_string(),
        &TableOptions::outcome("churned", true),
    )
    .unwrap();
    let mut g = c.benchmark_group("calibration");
    g.sample_size(10);
    g.bench_function("fit on 50,000 rows", |b| {
        b.iter(|| {
            model
                .fit(black_box(&table), &FitOptions::default())
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
