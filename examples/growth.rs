//! Benchmark (not a test): time against input size for the calls whose work
//! could grow faster than their input: `trend` and `alerts` over a history,
//! building a model of many measures or many bands, `suggest` on many
//! columns, `replay`, `rollup` of many children under one parent. Each size doubles; a linear call's time doubles too.
//!
//!     cargo run --release --example growth [largest exponent of 2]
//!     cargo run --release --example growth rollup      (rollup only)
//!
//! Prints one line per call and size: `call  size  ms  ms-per-item`.

use customer_health::calibrate::{SuggestOptions, Table, TableOptions};
use customer_health::portfolio::{RollupMethod, RollupRow};
use customer_health::Model;
use serde_json::{json, Value};
use std::time::Instant;

fn ms<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed().as_secs_f64() * 1e3, out)
}

fn row(call: &str, n: usize, t: f64) {
    println!(
        "{call:<22} {n:>9} {t:>10.1} ms {:>10.4} µs/item",
        t * 1e3 / n as f64
    );
}

fn kpi() -> Model {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/presets/composite-kpi.json"
    ))
    .unwrap();
    Model::from_json(&text).unwrap()
}

/// `n` daily points (an hour apart when `hourly`), a slow sine with noise.
fn history(n: usize, hourly: bool) -> Value {
    let step = if hourly { 3_600 } else { 86_400 };
    let base = 1_767_225_600i64; // 2026-01-01
    Value::Array(
        (0..n)
            .map(|i| {
                let t = base + (i as i64) * step;
                let score =
                    60.0 + 30.0 * ((i as f64) / 40.0).sin() + ((i * 7919) % 13) as f64 * 0.3;
                json!({ "at": iso(t), "score": score })
            })
            .collect(),
    )
}

fn iso(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // civil from days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn model_of_measures(n: usize) -> Value {
    let measures: Vec<Value> = (0..n)
        .map(|i| json!({ "id": format!("m{i}"), "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } }))
        .collect();
    json!({ "version": 1, "id": "wide",
        "bands": [ { "id": "r", "color": "#d55e00", "from": 0 }, { "id": "g", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": measures } ] })
}

fn model_of_bands(n: usize) -> Value {
    let bands: Vec<Value> = (0..n)
        .map(|i| json!({ "id": format!("b{i}"), "color": "#777777", "from": 100.0 * i as f64 / n as f64 }))
        .collect();
    json!({ "version": 1, "id": "banded", "bands": bands,
        "categories": [ { "id": "c", "weight": 1, "measures": [ { "id": "x", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ] })
}

fn table_of_columns(cols: usize, rows: usize) -> Table {
    let mut doc = serde_json::Map::new();
    for c in 0..cols {
        let col: Vec<f64> = (0..rows)
            .map(|r| ((r * (c + 3) * 2_654_435_761) % 1000) as f64)
            .collect();
        doc.insert(format!("x{c}"), json!(col));
    }
    let churned: Vec<bool> = (0..rows).map(|r| (r * 2_654_435_761) % 7 < 2).collect();
    doc.insert("churned".into(), json!(churned));
    let opts: TableOptions = serde_json::from_value(json!({
        "outcome": { "column": "churned", "churnedWhen": true }
    }))
    .unwrap();
    Table::from_json(&Value::Object(doc).to_string(), &opts).unwrap()
}

fn main() {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("rollup") {
        return rollups();
    }
    let top: u32 = arg.and_then(|a| a.parse().ok()).unwrap_or(16);
    let model = kpi();
    for k in 10..=top.min(16) {
        let n = 1usize << k;
        let h = history(n, true);
        let (t, trend) = ms(|| model.trend_json(&h.to_string()));
        assert!(trend.is_ok());
        row("trend (hourly)", n, t);
        let (t, alerts) = ms(|| model.alerts_json(&h.to_string()));
        assert!(alerts.is_ok());
        row("alerts (hourly)", n, t);
        let h = history(n, false);
        let (t, _) = ms(|| model.alerts_json(&h.to_string()));
        row("alerts (daily)", n, t);
    }
    for k in 8..=top.min(17) {
        let n = 1usize << k;
        let doc = model_of_measures(n);
        let (t, m) = ms(|| Model::from_json(&doc.to_string()));
        assert!(m.is_ok(), "{:?}", m.err());
        row("model: measures", n, t);
    }
    for k in 2..=6 {
        let n = 1usize << k;
        let doc = model_of_bands(n);
        let (t, m) = ms(|| Model::from_json(&doc.to_string()));
        assert!(m.is_ok(), "{:?}", m.err());
        row("model: bands", n, t);
    }
    for k in 4..=top.min(9) {
        let n = 1usize << k;
        let table = table_of_columns(n, 2_000);
        let opts: SuggestOptions = serde_json::from_value(json!({
            "outcome": { "column": "churned", "churnedWhen": true }
        }))
        .unwrap();
        let (t, s) = ms(|| Model::suggest(&table, &opts));
        assert!(s.is_ok(), "{:?}", s.err());
        row("suggest: columns", n, t);
    }
    rollups();
}

/// `rollup` of 2^14 to 2^20 children under one parent (`growth rollup`
/// runs only these).
fn rollups() {
    let model = kpi();
    let band = model.bands()[0].id.clone();
    for k in 14..=20 {
        let n = 1usize << k;
        let ids: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        let rows: Vec<RollupRow> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| RollupRow {
                account_id: id,
                model_id: model.id(),
                score: Some(((i * 37) % 100) as f64),
                band: &band,
                value: Some(1.0 + (i % 1000) as f64),
                lever: Some(("m1", ((i % 13) + 1) as f64)),
            })
            .collect();
        let links: Vec<(&str, &str)> = ids.iter().map(|c| (c.as_str(), "top")).collect();
        let (t, r) = ms(|| model.rollup_rows(&rows, &links, RollupMethod::Mean));
        assert!(r.is_ok(), "{:?}", r.err());
        row("rollup: one parent", n, t);
        // The links in another order than the scorecards (sorted and joined).
        let reversed: Vec<(&str, &str)> = links.iter().rev().copied().collect();
        let (t, r) = ms(|| model.rollup_rows(&rows, &reversed, RollupMethod::Mean));
        assert!(r.is_ok(), "{:?}", r.err());
        row("rollup: links reversed", n, t);
    }
}
