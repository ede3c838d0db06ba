//! Calibration of a model: backtest (AUC with ties, lift and band rates by
//! hand), the explicit outcome, Fit recovering known weights (weighted and
//! points models), band edges, bad input. Building a model from a table
//! (Suggest) is tests/suggest.rs.

use crate::common::*;
use customer_health::calibrate::options::OneOrMany;
use customer_health::calibrate::{BandOptions, FitOptions, Outcome, Table, TableOptions};
use customer_health::model::Rule;
use customer_health::Model;
use serde_json::{json, Value};

/// Churned when the column holds true, "yes" or 1; retained when false, "no" or 0.
fn yes_no(column: &str) -> TableOptions {
    TableOptions {
        outcome: Some(Outcome {
            column: column.into(),
            churned_when: OneOrMany::Many(vec![true.into(), "yes".into(), 1.0.into()]),
            retained_when: Some(OneOrMany::Many(vec![false.into(), "no".into(), 0.0.into()])),
        }),
        ..Default::default()
    }
}

fn table(rows: Value) -> Table {
    Table::from_json(&rows.to_string(), &yes_no("churned")).unwrap()
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
    let b = one().backtest(&table(rows));
    assert_eq!((b.rows, b.churned), (10, 4));
    close(b.churn_rate, 0.4);
    // Pairs retained > churned out of 24: retained 2 ties both churned 2s
    // (½ each) and beats 1 → 2; 3 beats 1, 2, 2 → 3; 7, 8, 9, 9 beat all
    // four → 16. Total 21 / 24 = 0.875.
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
    let t = table(rows);
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
            (3, "not_a_number", "[3].x"),
            (4, "out_of_range", "[4].x"),
            (5, "wrong_type", "[5]"),
        ]
    );
    assert!(b.errors.iter().all(|e| !e.help.is_empty()));
    assert_eq!(b.rows, 2);
    // Columns work as rows do.
    let cols = Table::from_json(
        &json!({ "x": [1, 9], "churned": [true, false] }).to_string(),
        &yes_no("churned"),
    )
    .unwrap();
    assert_eq!(one().backtest(&cols).auc, Some(1.0));
}

#[test]
fn the_outcome_is_read_by_the_callers_rule_never_guessed() {
    let rows = json!([
        { "x": 1, "renewed": false }, { "x": 2, "renewed": false },
        { "x": 8, "renewed": true }, { "x": 9, "renewed": true }
    ]);
    // `renewed` true means the account stayed: say so.
    let t = Table::from_json(&rows.to_string(), &TableOptions::outcome("renewed", false)).unwrap();
    assert_eq!(t.churned, [true, true, false, false]);
    assert_eq!((t.outcome.churned, t.outcome.retained), (2, 2));
    assert_eq!(one().backtest(&t).auc, Some(1.0));
    // No outcome given: an error, not a default column.
    let e = Table::from_json(&rows.to_string(), &TableOptions::default()).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("missing_field", "outcome")
    );
    // A value that matches nothing: the values found, in the error.
    let e =
        Table::from_json(&rows.to_string(), &TableOptions::outcome("renewed", "no")).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("one_outcome", "outcome")
    );
    assert!(
        e[0].message.contains("\"false\" (2)") && e[0].message.contains("\"true\" (2)"),
        "{}",
        e[0].message
    );
    // More than two values without retainedWhen.
    let three = json!([{ "s": "active" }, { "s": "churned" }, { "s": "paused" }]);
    let e =
        Table::from_json(&three.to_string(), &TableOptions::outcome("s", "churned")).unwrap_err();
    assert_eq!(e[0].code, "invalid_outcome");
    assert!(e[0].help.contains("retainedWhen"));
    // No such column.
    let e =
        Table::from_json(&rows.to_string(), &TableOptions::outcome("Churn", "Yes")).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("missing_outcome", "outcome.column")
    );
    // Numbers and their text compare alike; case and spaces do not matter.
    let t = Table::from_json(
        &json!([{ "c": "1" }, { "c": 1.0 }, { "c": " YES " }, { "c": 0 }]).to_string(),
        &TableOptions {
            outcome: Some(Outcome {
                column: "c".into(),
                churned_when: OneOrMany::Many(vec![1.0.into(), "yes".into()]),
                retained_when: Some(OneOrMany::One("0".into())),
            }),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(t.churned, [true, true, true, false]);
}

#[test]
fn a_reversed_signal_is_flagged() {
    // Higher x goes with churn here.
    let rows: Vec<Value> = (0..40)
        .map(|i| json!({ "x": f64::from(i % 10), "churned": i % 10 >= 6 }))
        .collect();
    let b = one().backtest(&table(Value::Array(rows)));
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
    let mut r = Rnd(12345);
    let rows: Vec<Value> = (0..n)
        .map(|_| {
            let (a, b, c) = (r.next(), r.next(), r.next());
            let z = 2.0 - 8.0 * (0.5 * a + 0.3 * b + 0.2 * c);
            let p = 1.0 / (1.0 + (-z).exp());
            json!({ "a": a, "b": b, "c": c, "reversed": 1.0 - a + 0.0 * r.next(), "churned": r.next() < p })
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
    let t = table(synthetic(20_000));
    let opts = FitOptions {
        lambda: 0.01,
        ..Default::default()
    };
    let fit = abc(false).fit(&t, &opts).unwrap();
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
    let again = abc(false).fit(&t, &opts).unwrap();
    assert_eq!(
        serde_json::to_string(&fit).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

#[test]
fn fit_reports_reversed_measures_instead_of_negative_weights() {
    let t = table(synthetic(5_000));
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
}

#[test]
fn fit_rescales_a_points_models_points() {
    // Points a, b, c on 0..10 each, equal today; the data weighs them
    // 0.5 / 0.3 / 0.2: the fitted points keep the total span (30) and
    // follow the data.
    let pm =
        |id: &str| json!({ "id": id, "rule": { "type": "linear", "points": [[0, 0], [1, 10]] } });
    let points = |ids: &[&str]| {
        model(json!({
            "version": 1, "id": "pts", "aggregation": "points",
            "bands": [ { "id": "low", "color": "#d55e00", "from": 0 }, { "id": "high", "color": "#009e73", "from": 50 } ],
            "categories": [ { "id": "all", "measures": ids.iter().map(|i| pm(i)).collect::<Vec<_>>() } ]
        }))
    };
    let t = table(synthetic(20_000));
    let fit = points(&["a", "b", "c"])
        .fit(
            &t,
            &FitOptions {
                lambda: 0.01,
                ..Default::default()
            },
        )
        .unwrap();
    let measures = &fit.model.categories[0].measures;
    let top = |i: usize| match &measures[i].rule {
        Rule::Linear { points } => points[1][1],
        other => panic!("{other:?}"),
    };
    let (a, b, c) = (top(0), top(1), top(2));
    assert!(
        (a + b + c - 30.0).abs() < 0.5,
        "the span of points stays 30: {a} {b} {c}"
    );
    assert!(
        (a / 30.0 - 0.5).abs() < 0.04 && (b / 30.0 - 0.3).abs() < 0.04,
        "{a} {b} {c}"
    );
    assert!(fit.after.auc.unwrap() > fit.before.auc.unwrap());
    assert!(Model::from_spec(&fit.model).is_ok());
    // A measure that points the other way is reported and left out.
    let fit = points(&["a", "b", "reversed"])
        .fit(&t, &FitOptions::default())
        .unwrap();
    assert_eq!(
        fit.reversed
            .iter()
            .map(|r| r.measure_id.as_str())
            .collect::<Vec<_>>(),
        ["reversed"]
    );
    let ids: Vec<&str> = fit.model.categories[0]
        .measures
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn band_edges_by_share_and_by_churn_rate() {
    // Scores 0, 10, …, 90 (x = 0..9); churned: x ≤ 2 and x = 5.
    let rows: Vec<Value> = (0..10)
        .map(|x| json!({ "x": x, "churned": x <= 2 || x == 5 }))
        .collect();
    let t = table(Value::Array(rows));
    let m = one();
    let e = m
        .suggest_bands(
            &t,
            &BandOptions {
                shares: Some(vec![0.3, 0.7]),
                ..Default::default()
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
            &BandOptions {
                churn_rates: Some(vec![0.6]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e.edges, [60.0]);
    close(e.outcomes[0].churn_rate.unwrap(), 4.0 / 6.0);
    assert_eq!(e.bands[1].from, Some(60.0));
    let bad = m.suggest_bands(
        &t,
        &BandOptions {
            shares: Some(vec![0.5]),
            ..Default::default()
        },
    );
    assert_eq!(bad.unwrap_err()[0].code, "invalid_value");
    // Every score at 100: the edges stay within 1..100 and the model they
    // give is valid.
    let top: Vec<Value> = (0..10)
        .map(|i| json!({ "x": 10, "churned": i < 3 }))
        .collect();
    let m3 = model(json!({
        "version": 1, "id": "three",
        "bands": [ { "id": "a", "color": "#d55e00", "from": 0 }, { "id": "b", "color": "#e69f00", "from": 40 }, { "id": "c", "color": "#009e73", "from": 80 } ],
        "categories": [ { "id": "c", "weight": 1, "measures": [ { "id": "x", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } } ] } ]
    }));
    let e = m3
        .suggest_bands(
            &table(Value::Array(top)),
            &BandOptions {
                shares: Some(vec![0.2, 0.5, 0.3]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e.edges, [99.0, 100.0]);
    let mut spec = m3.spec().clone();
    spec.bands = e.bands;
    assert!(Model::from_spec(&spec).is_ok());
}
