//! The columnar path gives the same scores and bands as scoring accounts.

use crate::common::*;
use customer_health::{Model, BAND_INSUFFICIENT, BAND_REFUSED};
use serde_json::{json, Value};

fn sample() -> (Model, Vec<Value>) {
    let dir = env!("CARGO_MANIFEST_DIR");
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/samples/model.json")).unwrap(),
    )
    .unwrap();
    let portfolio: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/samples/portfolio.json")).unwrap(),
    )
    .unwrap();
    (
        Model::from_json(&model.to_string()).unwrap(),
        portfolio["accounts"].as_array().unwrap().clone(),
    )
}

#[test]
fn columns_equal_scorecards_on_the_sample_portfolio() {
    let (model, mut accounts) = sample();
    // `contract` is a match rule: not a number column; leave it out of both.
    for a in &mut accounts {
        a["values"].as_object_mut().unwrap().remove("contract");
    }
    let ids: Vec<String> = model.measure_ids().map(String::from).collect();
    let cols: Vec<Option<Vec<f64>>> = ids
        .iter()
        .map(|id| {
            (id != "contract").then(|| {
                accounts
                    .iter()
                    .map(|a| match &a["values"][id] {
                        Value::Number(n) => n.as_f64().unwrap(),
                        Value::Bool(b) => f64::from(u8::from(*b)),
                        _ => f64::NAN,
                    })
                    .collect()
            })
        })
        .collect();
    let refs: Vec<Option<&[f64]>> = cols.iter().map(|c| c.as_deref()).collect();
    let out = model.score_columns(&refs, accounts.len()).unwrap();
    let batch = model
        .score_many_json(&Value::Array(accounts.clone()).to_string())
        .unwrap();
    assert!(out.errors.is_empty() && batch.errors.is_empty());
    for (i, card) in batch.scorecards.iter().enumerate() {
        let card = card.as_ref().unwrap();
        match card.score {
            Some(s) => assert_eq!(out.scores[i].to_bits(), s.to_bits(), "row {i}"),
            None => assert!(out.scores[i].is_nan()),
        }
        let band = model
            .bands()
            .iter()
            .position(|b| b.id == card.band.id)
            .map_or(BAND_INSUFFICIENT, |b| b as u8);
        assert_eq!(out.bands[i], band, "row {i}");
    }
}

#[test]
fn column_refusals() {
    let m = model(points_model());
    let usage = [45.0, f64::NAN, 10.0];
    let complaints = [1.0, 0.0, -1.0];
    let follows = [1.0, 0.5, 0.0];
    let out = m
        .score_columns(
            &[Some(&usage), Some(&complaints), Some(&follows), None, None],
            3,
        )
        .unwrap();
    assert_eq!(out.bands[1], BAND_REFUSED);
    assert_eq!(out.bands[2], BAND_REFUSED);
    assert!(out.scores[1].is_nan());
    let errs: Vec<(usize, &str, &str)> = out
        .errors
        .iter()
        .map(|e| (e.index, e.code.as_str(), e.path.as_str()))
        .collect();
    assert_eq!(
        errs,
        [
            (1, "not_a_boolean", "[1].values.follows"),
            (2, "negative_count", "[2].values.complaints")
        ]
    );
    // Row 0: usage 45 (25), one complaint (−15), follows (5); reacts and csm missing:
    // range −34 + 0 … 30 + 5 − 1 → lo = 10 − 45 + 0 = −35, hi = 30 + 0 + 5 = 35; total 15 → 100 × 50 / 70.
    close(out.scores[0], 100.0 * 50.0 / 70.0);
    let e = m
        .score_columns(&[Some(&usage[..2]), None, None, None, None], 3)
        .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("column_length", "columns.usage")
    );
}

#[test]
fn match_measures_cannot_be_columns() {
    let (model, _) = sample();
    let n = model.measure_ids().count();
    let col = [0.0];
    let mut cols: Vec<Option<&[f64]>> = vec![None; n];
    cols[model.measure_index("contract").unwrap()] = Some(&col);
    let e = model.score_columns(&cols, 1).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("match_in_columns", "columns.contract")
    );
    let _ = json!(null);
}

#[test]
fn more_cells_than_the_limit_are_refused_before_any_work() {
    let (model, _) = sample();
    let m = model.measure_ids().count();
    let rows = customer_health::limits::MAX_COLUMN_CELLS / m + 1;
    // No column is given: nothing would be read, yet the size is refused.
    let none: Vec<Option<&[f64]>> = vec![None; m];
    let e = model.score_columns(&none, rows).unwrap_err();
    assert_eq!(e.code, "too_large");
    assert!(
        e.help
            .contains(&customer_health::limits::MAX_COLUMN_CELLS.to_string()),
        "{}",
        e.help
    );
    // One row fewer per measure is within the limit.
    assert!(model
        .score_columns(&none, customer_health::limits::MAX_COLUMN_CELLS / m)
        .is_ok());
}
