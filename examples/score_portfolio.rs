//! Scores the built-in sample portfolio with the sample model and prints a
//! table, lowest score first, with each account's band, coverage and top lever.
//!
//!     cargo run --release --example score_portfolio
//!     cargo run --release --example score_portfolio -- path/to/model.json path/to/portfolio.json

use customer_health::model::Scalar;
use customer_health::{Model, Scorecard};
use serde_json::Value;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (model_text, portfolio_text) = match args.as_slice() {
        [] => (
            include_str!("../samples/model.json").to_string(),
            include_str!("../samples/portfolio.json").to_string(),
        ),
        [m, p] => match (std::fs::read_to_string(m), std::fs::read_to_string(p)) {
            (Ok(m), Ok(p)) => (m, p),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("cannot read input: {e}");
                return ExitCode::FAILURE;
            }
        },
        _ => {
            eprintln!("usage: score_portfolio [model.json portfolio.json]");
            return ExitCode::FAILURE;
        }
    };
    let model = match Model::from_json(&model_text) {
        Ok(m) => m,
        Err(errors) => {
            for e in errors.all() {
                eprintln!("model: {e}\n  help: {}", e.help);
            }
            return ExitCode::FAILURE;
        }
    };
    let portfolio: Value = match serde_json::from_str(&portfolio_text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("portfolio is not JSON: {e}");
            return ExitCode::FAILURE;
        }
    };
    let accounts = portfolio.get("accounts").unwrap_or(&portfolio);
    let batch = match model.score_many_json(&accounts.to_string()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("portfolio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut cards: Vec<&Scorecard> = batch.scorecards.iter().flatten().collect();
    cards.sort_by(|a, b| a.score.unwrap_or(-1.0).total_cmp(&b.score.unwrap_or(-1.0)));

    println!(
        "Model {} ({}), hash {}…",
        model.spec().name,
        model.id(),
        &model.hash()[..12]
    );
    println!();
    println!(
        "{:<8} {:<30} {:<11} {:>6}  {:<18} {:>5}  top lever",
        "id", "account", "segment", "score", "band", "cov"
    );
    println!("{}", "-".repeat(110));
    for c in &cards {
        let score = c.score.map_or("—".to_string(), |s| format!("{s:.1}"));
        let lever = c.levers.first().map_or(String::new(), |l| {
            let path = l.to_next_band.as_ref().map_or(String::new(), |t| {
                format!(
                    " → {} at {}{}",
                    t.band,
                    show(&t.value),
                    if t.strict { " (must pass it)" } else { "" }
                )
            });
            format!("{} (+{:.1}){path}", l.measure_id, l.points_missed)
        });
        let caps = if c.caps.is_empty() {
            String::new()
        } else {
            format!("  [capped: {}]", c.caps[0].reason)
        };
        println!(
            "{:<8} {:<30} {:<11} {:>6}  {:<18} {:>4.0}%  {lever}{caps}",
            c.account_id,
            c.name.as_deref().unwrap_or(""),
            c.segment.as_deref().unwrap_or(""),
            score,
            c.band.label,
            100.0 * c.coverage
        );
    }
    let s = &batch.summary;
    println!();
    println!(
        "{} accounts scored, {} refused; mean {:.1}, median {:.1}",
        s.count,
        batch.errors.len(),
        s.mean.unwrap_or(f64::NAN),
        s.median.unwrap_or(f64::NAN)
    );
    for (id, b) in &s.bands.0 {
        println!(
            "  {id:<18} {:>4} accounts  {:>5.1}%  value {:>12.0}",
            b.count,
            100.0 * b.share,
            b.value
        );
    }
    for e in &batch.errors {
        println!("  refused {}: {} ({})", e.path, e.message, e.code);
    }
    ExitCode::SUCCESS
}

fn show(v: &Scalar) -> String {
    match v {
        Scalar::Number(x) => {
            let x = *x;
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.2}")
            }
        }
        Scalar::Bool(b) => b.to_string(),
        Scalar::Text(t) => format!("{t:?}"),
    }
}
