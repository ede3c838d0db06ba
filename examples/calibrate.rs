//! Calibration on a labelled CSV: backtest a hand-written model, fit it,
//! and suggest a model from the data, each judged on the same stratified
//! 30 % held-out rows.
//!
//!     cargo run --release --example calibrate -- DATA.csv OUTCOME CHURNED_VALUE [MODEL.json] [--skip COLUMN ...] [--weighted] [--json]
//!
//! e.g. `… -- ../shared/data/telco_customer_churn.csv Churn Yes examples/calibration/telco-model.json --skip customerID`.
//! With `--json` it prints one line of JSON (the figures `bench/calibration-quality.sh` reads).
//! `PRINT_MODEL=1` also prints the suggested model.

use customer_health::calibrate::{FitOptions, SuggestOptions, Table, TableOptions};
use customer_health::model::Aggregation;
use customer_health::Model;
use serde_json::json;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json_out = take_flag(&mut args, "--json");
    let weighted = take_flag(&mut args, "--weighted");
    let skip: Vec<String> = match args.iter().position(|a| a == "--skip") {
        Some(i) => args.split_off(i).into_iter().skip(1).collect(),
        None => Vec::new(),
    };
    let [csv, outcome, churned, rest @ ..] = args.as_slice() else {
        eprintln!("usage: calibrate DATA.csv OUTCOME CHURNED_VALUE [MODEL.json] [--skip COLUMN ...] [--weighted] [--json]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(csv).expect("read the CSV");
    let opts = TableOptions::outcome(outcome, churned.as_str());
    let t0 = Instant::now();
    let table = Table::from_csv(&text, &opts).unwrap_or_else(|e| fail(&e.to_string()));
    let read_ms = t0.elapsed().as_secs_f64() * 1e3;
    let mut out = json!({ "data": csv, "rows": table.len(), "leftOut": table.errors.len(), "readMs": read_ms });
    let log = |s: String| {
        if !json_out {
            println!("{s}");
        }
    };
    log(format!(
        "{csv}: {} rows used, {} left out, churn rate {:.1} %",
        table.len(),
        table.errors.len(),
        100.0 * table.outcome.churned as f64 / table.len() as f64
    ));
    let auc = |x: Option<f64>| x.map_or("—".into(), |a| format!("{a:.4}"));
    if let Some(model_path) = rest.first() {
        let model = Model::from_json(&std::fs::read_to_string(model_path).expect("read the model"))
            .unwrap_or_else(|e| fail(&e.to_string()));
        let t0 = Instant::now();
        let fit = model
            .fit(&table, &FitOptions::default())
            .unwrap_or_else(|e| fail(&e.to_string()));
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        log(format!(
            "(a) {} before fitting, test AUC {}",
            model.id(),
            auc(fit.before.auc)
        ));
        for m in &fit.before.measures {
            if let Some(msg) = &m.message {
                log(format!("    {msg}"));
            }
        }
        log(format!(
            "(b) after Fit, test AUC {} (fit {ms:.0} ms)",
            auc(fit.after.auc)
        ));
        for r in &fit.reversed {
            log(format!("    reversed: {}", r.message));
        }
        out["handWritten"] = json!(fit.before.auc);
        out["fitted"] = json!(fit.after.auc);
        out["fitMs"] = json!(ms);
    }
    let t0 = Instant::now();
    let opts = SuggestOptions {
        skip,
        aggregation: if weighted {
            Aggregation::Weighted
        } else {
            Aggregation::Points
        },
        ..Default::default()
    };
    let s = Model::suggest(&table, &opts).unwrap_or_else(|e| fail(&e.to_string()));
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    log(format!(
        "(c) Suggest, test AUC {} (suggest {ms:.0} ms)",
        auc(s.backtest.auc)
    ));
    log(format!(
        "    lift in the lowest decile {:.2}; churn per band on the held-out rows{}:",
        s.backtest.top_decile_lift.unwrap_or(f64::NAN),
        if s.bands.falling {
            " (falling)"
        } else {
            " (NOT falling)"
        }
    ));
    for b in &s.bands.outcomes {
        log(format!(
            "      {:<12} {:>5} accounts, churn {:.1} %",
            b.band,
            b.count,
            100.0 * b.churn_rate.unwrap_or(0.0)
        ));
    }
    if let Some(note) = &s.bands.note {
        log(format!("    {note}"));
    }
    for c in &s.columns {
        let iv = c
            .information_value
            .map_or(String::new(), |v| format!("IV {v:.3}"));
        log(format!(
            "    {:<26} {:<11} {:<9} {}",
            c.column, c.kind, iv, c.note
        ));
    }
    for w in &s.warnings {
        log(format!(
            "    warning {}: {} ({})",
            w.code, w.message, w.help
        ));
    }
    out["warnings"] = json!(s
        .warnings
        .iter()
        .map(|w| format!("{} {}", w.code, w.column))
        .collect::<Vec<_>>());
    out["suggested"] = json!(s.backtest.auc);
    out["suggestMs"] = json!(ms);
    out["bandsFalling"] = json!(s.bands.falling);
    out["bands"] = json!(s
        .bands
        .outcomes
        .iter()
        .map(|b| b.churn_rate)
        .collect::<Vec<_>>());
    if std::env::var("PRINT_MODEL").is_ok() {
        println!("{}", serde_json::to_string_pretty(&s.model).unwrap());
    }
    if json_out {
        println!("{out}");
    }
}

fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(1)
}
