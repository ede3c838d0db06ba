//! Calibration: AUC with ties, lift and band rates by hand, Fit recovering
//! known weights, Suggest on a real fixture, band edges, determinism, bad rows.

mod common;
use common::*;
use customer_health::calibrate::{BandTargets, FitOptions, SuggestOptions, Table, TableOptions};
use customer_health::Model;
use serde_json::{json, Value};

fn table(rows: Value, outcome: &str) -> Table {
    Table::from_json(
        &rows,
        &TableOptions {
            outcome: outcome.into(),
            value: None,
        },
    )
    .unwrap()
}

/// One measure `x` on a 0..10 scale; bands low (< 50) and high.
fn one() -> Model {
    model(json!({
        "version": 1, "id": "one",
        "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 }, { "id": "high", "label": "High", "color": "#009e73", "from": 50 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [ { "id": "x", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ]
    }))
}

#[test]
fn backtest_by_hand() {
    // Scores 10·x: churned at x = 1, 2, 2, 6; retained at 2, 3, 7, 8, 9, 9.
    let rows = json!([
        { "x": 1, "churned": true }, { "x": 2, "churned": "Yes" }, { "x": 2, "churned": 1 }, { "x": 6, "churned": "yes" },
        { "x": 2, "churned": false }, { "x": 3, "churned": "No" }, { "x": 7, "churned": 0 }, { "x": 8, "churned": "no" },
        { "x": 9, "churned": false }, { "x": 9, "churned": false }
    ]);
    let b = one().backtest(&table(rows, "churned"));
    assert_eq!((b.rows, b.churned), (10, 4));
    close(b.churn_rate, 0.4);
    // Pairs retained > churned out of 24: vs 1: 6; vs 2 (×2): 2 + 2·... by rank:
    // retained 2 ties both churned 2s (½ each) and beats 1 → 2; 3 beats 1, 2, 2 → 3;
    // 7, 8, 9, 9 beat all four → 16. Total 21 / 24 = 0.875.
    close(b.auc.unwrap(), 21.0 / 24.0);
    // Lowest decile = one account (x = 1, churned): rate 1 / 0.4 = 2.5.
    close(b.top_decile_lift.unwrap(), 2.5);
    // low (< 50): x = 1, 2, 2, 2, 3 → 3 churned of 5; high: 6, 7, 8, 9, 9 → 1 of 5.
    assert_eq!((b.bands[0].count, b.bands[0].churned), (5, 3));
    close(b.bands[0].churn_rate.unwrap(), 0.6);
    close(b.bands[1].churn_rate.unwrap(), 0.2);
    close(b.lowest_band.precision.unwrap(), 0.6);
    close(b.lowest_band.recall.unwrap(), 0.75);
    assert_eq!(b.distribution[2].count, 3); // scores 20, 20, 20
    assert_eq!(
        b.measures[0].direction.as_deref(),
        Some("higherIsHealthier")
    );
    assert_eq!(b.measures[0].matches_rule, Some(true));
    assert_eq!(b.roc.first(), Some(&[0.0, 0.0]));
    assert_eq!(b.roc.last(), Some(&[1.0, 1.0]));
}

#[test]
fn bad_rows_are_reported_and_left_out() {
    let rows = json!([
        { "x": 5, "churned": true },
        { "x": 5, "churned": "maybe" },
        { "x": 5 },
        { "x": "high", "churned": false },
        { "x": 50, "churned": false },
        "not a row",
        { "x": 4, "churned": false }
    ]);
    let t = table(rows, "churned");
    assert_eq!(t.len(), 4);
    let b = one().backtest(&t);
    let errs: Vec<(usize, &str, &str)> = b
        .errors
        .iter()
        .map(|e| (e.index, e.code.as_str(), e.path.as_str()))
        .collect();
    assert_eq!(
        errs,
        [
            (1, "invalid_outcome", "[1].churned"),
            (2, "missing_outcome", "[2].churned"),
            (3, "not_a_number", "[3].values.x"),
            (4, "out_of_range", "[4].values.x"),
            (5, "wrong_type", "[5]"),
        ]
    );
    assert_eq!(b.rows, 2);
    // Columns work as rows do.
    let cols = Table::from_json(
        &json!({ "x": [1, 9], "churned": [true, false] }),
        &TableOptions::default(),
    )
    .unwrap();
    assert_eq!(one().backtest(&cols).auc, Some(1.0));
}

#[test]
fn a_reversed_signal_is_flagged() {
    // Higher x goes with churn here.
    let rows: Vec<Value> = (0..40)
        .map(|i| json!({ "x": f64::from(i % 10), "churned": i % 10 >= 6 }))
        .collect();
    let t = table(Value::Array(rows), "churned");
    let b = one().backtest(&t);
    assert_eq!(b.measures[0].matches_rule, Some(false));
    assert_eq!(b.measures[0].direction.as_deref(), Some("lowerIsHealthier"));
    assert!(b.measures[0]
        .message
        .as_ref()
        .unwrap()
        .contains("points the other way"));
}

/// Rows from a known model: churn log-odds 2 − 8 · (0.5·a + 0.3·b + 0.2·c).
fn synthetic(n: usize) -> Value {
    let mut state = 12345u64;
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let rows: Vec<Value> = (0..n)
        .map(|_| {
            let (a, b, c) = (rnd(), rnd(), rnd());
            let z = 2.0 - 8.0 * (0.5 * a + 0.3 * b + 0.2 * c);
            let p = 1.0 / (1.0 + (-z).exp());
            json!({ "a": a, "b": b, "c": c, "reversed": 1.0 - a + 0.0 * rnd(), "churned": rnd() < p })
        })
        .collect();
    Value::Array(rows)
}

fn abc(with_reversed: bool) -> Model {
    let m = |id: &str| json!({ "id": id, "weight": 1, "rule": { "type": "scale", "min": 0, "max": 1 } });
    let mut cats = vec![
        json!({ "id": "A", "weight": 1, "measures": [m("a")] }),
        json!({ "id": "B", "weight": 1, "measures": [m("b")] }),
        json!({ "id": "C", "weight": 1, "measures": [m("c")] }),
    ];
    if with_reversed {
        cats.push(json!({ "id": "R", "weight": 1, "measures": [m("reversed")] }));
    }
    model(
        json!({ "version": 1, "id": "abc", "bands": [ { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 } ], "categories": cats }),
    )
}

#[test]
fn fit_recovers_known_weights() {
    let t = table(synthetic(20_000), "churned");
    let fit = abc(false)
        .fit(
            &t,
            &FitOptions {
                lambda: 0.01,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(fit.converged);
    let w: Vec<f64> = fit
        .model
        .categories
        .iter()
        .map(|c| c.weight.unwrap())
        .collect();
    for (got, want) in w.iter().zip([50.0, 30.0, 20.0]) {
        assert!((got - want).abs() <= 4.0, "weights {w:?}");
    }
    assert_eq!(w.iter().sum::<f64>(), 100.0);
    assert!(fit.after.auc.unwrap() > fit.before.auc.unwrap());
    assert_eq!((fit.train_rows, fit.test_rows), (14_000, 6_000));
    // The same rows and options give the same model and numbers.
    let again = abc(false)
        .fit(
            &t,
            &FitOptions {
                lambda: 0.01,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        serde_json::to_string(&fit).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

#[test]
fn fit_reports_reversed_measures_instead_of_negative_weights() {
    let t = table(synthetic(5_000), "churned");
    let fit = abc(true).fit(&t, &FitOptions::default()).unwrap();
    // `reversed` = 1 − a: its rule scores high exactly where churn is high.
    assert_eq!(
        fit.reversed
            .iter()
            .map(|r| r.measure_id.as_str())
            .collect::<Vec<_>>(),
        ["reversed"]
    );
    assert!(fit.reversed[0].coefficient > 0.0);
    let r = fit.model.categories.iter().find(|c| c.id == "R").unwrap();
    assert_eq!(r.weight, Some(0.0));
    assert!(fit
        .model
        .categories
        .iter()
        .flat_map(|c| &c.measures)
        .all(|m| m.weight.unwrap() >= 0.0));
    // Points models have no weights to fit.
    let p = customer_health::presets::preset("saas-points").unwrap();
    assert_eq!(
        p.fit(&t, &FitOptions::default()).unwrap_err().code,
        "points_model_fit"
    );
}

#[test]
fn band_edges_by_share_and_by_churn_rate() {
    // Scores 0, 10, …, 90 (x = 0..9); churned: x ≤ 2 and x = 5.
    let rows: Vec<Value> = (0..10)
        .map(|x| json!({ "x": x, "churned": x <= 2 || x == 5 }))
        .collect();
    let t = table(Value::Array(rows), "churned");
    let m = one();
    let e = m
        .suggest_bands(
            &t,
            &BandTargets {
                shares: Some(vec![0.3, 0.7]),
                churn_rates: None,
            },
        )
        .unwrap();
    // 30 % of 10 accounts: the edge is the 4th score (30).
    assert_eq!(e.edges, [30.0]);
    assert_eq!((e.outcomes[0].count, e.outcomes[0].churned), (3, 3));
    assert_eq!((e.outcomes[1].count, e.outcomes[1].churned), (7, 1));
    // The largest lowest band with churn ≥ 60 %: scores 0..50 (4 of 6) → edge 60.
    let e = m
        .suggest_bands(
            &t,
            &BandTargets {
                shares: None,
                churn_rates: Some(vec![0.6]),
            },
        )
        .unwrap();
    assert_eq!(e.edges, [60.0]);
    close(e.outcomes[0].churn_rate.unwrap(), 4.0 / 6.0);
    assert_eq!(e.bands[1].from, Some(60.0));
    assert_eq!(
        m.suggest_bands(
            &t,
            &BandTargets {
                shares: Some(vec![0.5]),
                churn_rates: None
            }
        )
        .unwrap_err()
        .code,
        "invalid_value"
    );
}

#[test]
fn suggest_on_a_real_fixture() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/telco-500.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let t = table(Value::Array(csv_rows(&text)), "Churn");
    assert_eq!(t.len(), 500);
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    let kind = |c: &str| {
        s.columns
            .iter()
            .find(|x| x.column == c)
            .unwrap()
            .kind
            .clone()
    };
    assert_eq!(kind("customerID"), "skipped");
    assert_eq!(kind("Contract"), "categorical");
    assert_eq!(kind("tenure"), "numeric");
    assert!(s
        .columns
        .iter()
        .find(|x| x.column == "tenure")
        .unwrap()
        .note
        .contains("higher is healthier"));
    // The suggested model is an ordinary model: it validates and scores.
    let m = Model::from_spec(&s.model).unwrap();
    let contract = s.model.categories[0]
        .measures
        .iter()
        .find(|m| m.id == "Contract")
        .unwrap();
    match &contract.rule {
        customer_health::model::Rule::Match { scores, .. } => {
            assert_eq!(scores["Two year"], 100.0);
            assert_eq!(scores["Month-to-month"], 0.0);
        }
        other => panic!("{other:?}"),
    }
    assert!(s.backtest.auc.unwrap() > 0.75, "{:?}", s.backtest.auc);
    assert_eq!(s.backtest.rows, 150);
    assert!(m.bands().len() == 3);
    // Deterministic: the same rows and options give the same model.
    let again = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    assert_eq!(
        serde_json::to_string(&s.model).unwrap(),
        serde_json::to_string(&again.model).unwrap()
    );
}

#[test]
fn suggest_numbers_are_pinned_across_platforms() {
    // The JS test (tests/js/calibration.test.mjs) checks the same numbers
    // through WebAssembly.
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/telco-500.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let t = table(Value::Array(csv_rows(&text)), "Churn");
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    assert_eq!(s.backtest.auc, Some(0.850328947368421));
    assert_eq!(
        Model::from_spec(&s.model).unwrap().hash(),
        "969cc0886b041caef60c5b78bf439983021fe16bd024f76346e9b5a399016dae"
    );
}
