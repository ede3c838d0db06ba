//! Calibration on a labelled CSV: backtest a hand-written model, fit its
//! weights, and suggest a model from the data, each judged on the same
//! stratified 30 % held-out rows.
//!
//!     cargo run --release --example calibrate -- ../shared/data/telco_customer_churn.csv Churn examples/calibration/telco-model.json [customerID]
//!
//! Arguments: CSV, outcome column, model JSON, then columns to leave out of Suggest.

use customer_health::calibrate::{FitOptions, SuggestOptions, Table, TableOptions};
use customer_health::Model;
use serde_json::{Map, Value};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [csv, outcome, model_path, skip @ ..] = args.as_slice() else {
        eprintln!("usage: calibrate DATA.csv OUTCOME_COLUMN MODEL.json [SKIP_COLUMN ...]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(csv).expect("read the CSV");
    let rows = parse_csv(&text);
    let table = Table::from_json(
        &Value::Array(rows),
        &TableOptions {
            outcome: outcome.clone(),
            value: None,
        },
    )
    .expect("rows");
    println!(
        "{}: {} rows used, {} left out, churn rate {:.1} %",
        csv,
        table.len(),
        table.errors.len(),
        100.0 * table.churned.iter().filter(|c| **c).count() as f64 / table.len() as f64
    );
    let model = Model::from_json(&std::fs::read_to_string(model_path).expect("read the model"))
        .expect("valid model");
    let t0 = std::time::Instant::now();
    let fit = model.fit(&table, &FitOptions::default()).expect("fit");
    let fit_time = t0.elapsed();
    let auc = |x: Option<f64>| x.map_or("—".into(), |a| format!("{a:.3}"));
    println!(
        "(a) {} before fitting, test AUC {}",
        model.id(),
        auc(fit.before.auc)
    );
    for m in &fit.before.measures {
        if let Some(msg) = &m.message {
            println!("    {msg}");
        }
    }
    println!(
        "(b) after Fit, test AUC {} (fit {:.0} ms)",
        auc(fit.after.auc),
        fit_time.as_secs_f64() * 1e3
    );
    for r in &fit.reversed {
        println!("    reversed: {}", r.message);
    }
    let t0 = std::time::Instant::now();
    let opts = SuggestOptions {
        skip: skip.to_vec(),
        ..Default::default()
    };
    let s = Model::suggest(&table, &opts).expect("suggest");
    println!(
        "(c) Suggest, test AUC {} (suggest {:.0} ms)",
        auc(s.backtest.auc),
        t0.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "    lift in the lowest decile {:.2}; churn per band:",
        s.backtest.top_decile_lift.unwrap_or(f64::NAN)
    );
    for b in &s.backtest.bands {
        if b.count > 0 {
            println!(
                "      {:<12} {:>5} accounts, churn {:.1} %",
                b.band,
                b.count,
                100.0 * b.churn_rate.unwrap_or(0.0)
            );
        }
    }
    for c in &s.columns {
        println!("    {:<26} {:<11} {}", c.column, c.kind, c.note);
    }
    if std::env::var("PRINT_MODEL").is_ok() {
        println!("{}", serde_json::to_string_pretty(&s.model).unwrap());
    }
}

/// A small RFC 4180 reader: quoted fields, doubled quotes.
fn parse_csv(text: &str) -> Vec<Value> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let header = rows.remove(0);
    rows.into_iter()
        .filter(|r| r.len() == header.len())
        .map(|r| {
            Value::Object(
                header
                    .iter()
                    .cloned()
                    .zip(r.into_iter().map(Value::String))
                    .collect::<Map<_, _>>(),
            )
        })
        .collect()
}
