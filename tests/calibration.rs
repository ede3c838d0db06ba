//! Calibration: AUC with ties, lift and band rates by hand, the explicit
//! outcome, Fit recovering known weights (weighted and points models),
//! Suggest's binning on tables whose shape is known (a cliff, a U, "missing
//! means risk"), every row of a table scoring under the model built from
//! it, band edges, determinism, bad input.

mod common;
use common::*;
use customer_health::calibrate::options::OneOrMany;
use customer_health::calibrate::{
    BandOptions, FitOptions, Outcome, SuggestOptions, Table, TableOptions,
};
use customer_health::model::{Aggregation, Rule};
use customer_health::{Account, Model, ScoreOptions};
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
    Table::from_json(&rows, &yes_no("churned")).unwrap()
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
        &json!({ "x": [1, 9], "churned": [true, false] }),
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
    let t = Table::from_json(&rows, &TableOptions::outcome("renewed", false)).unwrap();
    assert_eq!(t.churned, [true, true, false, false]);
    assert_eq!((t.outcome.churned, t.outcome.retained), (2, 2));
    assert_eq!(one().backtest(&t).auc, Some(1.0));
    // No outcome given: an error, not a default column.
    let e = Table::from_json(&rows, &TableOptions::default()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("missing_field", "outcome")
    );
    // A value that matches nothing: the values found, in the error.
    let e = Table::from_json(&rows, &TableOptions::outcome("renewed", "no")).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("one_outcome", "outcome")
    );
    assert!(
        e.message.contains("\"false\" (2)") && e.message.contains("\"true\" (2)"),
        "{}",
        e.message
    );
    // More than two values without retainedWhen.
    let three = json!([{ "s": "active" }, { "s": "churned" }, { "s": "paused" }]);
    let e = Table::from_json(&three, &TableOptions::outcome("s", "churned")).unwrap_err();
    assert_eq!(e.code, "invalid_outcome");
    assert!(e.help.contains("retainedWhen"));
    // No such column.
    let e = Table::from_json(&rows, &TableOptions::outcome("Churn", "Yes")).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("missing_outcome", "outcome.column")
    );
    // Numbers and their text compare alike; case and spaces do not matter.
    let t = Table::from_json(
        &json!([{ "c": "1" }, { "c": 1.0 }, { "c": " YES " }, { "c": 0 }]),
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

/// A small xorshift generator for synthetic tables.
struct Rnd(u64);
impl Rnd {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
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
    assert_eq!(bad.unwrap_err().code, "invalid_value");
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

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn telco() -> Table {
    Table::from_csv(
        &fixture("telco-500.csv"),
        &TableOptions::outcome("Churn", "Yes"),
    )
    .unwrap()
}

fn suggest_opts() -> SuggestOptions {
    SuggestOptions {
        skip: vec!["customerID".into()],
        ..Default::default()
    }
}

#[test]
fn suggest_on_a_real_fixture() {
    let t = telco();
    assert_eq!(t.len(), 500);
    let s = Model::suggest(&t, &suggest_opts()).unwrap();
    let used = |c: &str| s.columns.iter().find(|x| x.column == c).unwrap();
    assert_eq!(used("customerID").kind, "skipped");
    assert_eq!(used("Contract").kind, "categorical");
    assert_eq!(used("tenure").kind, "numeric");
    assert!(
        used("tenure").note.contains("higher is healthier"),
        "{}",
        used("tenure").note
    );
    // A points table: steps for numbers, match for text, own points for missing.
    let m = Model::from_spec(&s.model).unwrap();
    assert_eq!(s.model.aggregation, Aggregation::Points);
    let measure = |id: &str| {
        s.model.categories[0]
            .measures
            .iter()
            .find(|m| m.id == id)
            .unwrap()
    };
    match &measure("Contract").rule {
        Rule::Match { scores, otherwise } => {
            assert!(
                scores["Two year"] >= scores["One year"]
                    && scores["One year"] > scores["Month-to-month"],
                "{scores:?}"
            );
            assert!(otherwise.is_some());
        }
        other => panic!("{other:?}"),
    }
    match &measure("tenure").rule {
        Rule::Steps { thresholds, scores } => {
            assert!(thresholds.len() <= 7 && scores.len() == thresholds.len() + 1);
            assert!(
                scores.windows(2).all(|w| w[0] <= w[1]),
                "tenure points rise: {scores:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(measure("tenure").missing_score.is_some());
    assert!(s.backtest.auc.unwrap() > 0.75, "{:?}", s.backtest.auc);
    assert_eq!(s.backtest.rows, 150);
    assert_eq!(m.bands().len(), s.bands.outcomes.len());
    assert!(s.bands.falling, "{:?}", s.bands);
    // Deterministic: the same rows and options give the same model.
    let again = Model::suggest(&t, &suggest_opts()).unwrap();
    assert_eq!(
        serde_json::to_string(&s.model).unwrap(),
        serde_json::to_string(&again.model).unwrap()
    );
    // The weighted form scores every row the same.
    let w = Model::suggest(
        &t,
        &SuggestOptions {
            aggregation: Aggregation::Weighted,
            ..suggest_opts()
        },
    )
    .unwrap();
    assert_eq!(w.model.aggregation, Aggregation::Weighted);
    let (a, b) = (
        m.score_table(&t, false),
        Model::from_spec(&w.model).unwrap().score_table(&t, false),
    );
    for r in 0..t.len() {
        assert!(
            (a.scores[r] - b.scores[r]).abs() < 1e-9,
            "row {r}: {} vs {}",
            a.scores[r],
            b.scores[r]
        );
    }
}

#[test]
fn suggest_numbers_are_pinned_across_platforms() {
    // The JS test (tests/js/calibration.test.mjs) checks the same numbers
    // through WebAssembly.
    let s = Model::suggest(&telco(), &suggest_opts()).unwrap();
    assert_eq!(s.backtest.auc, Some(PINNED_AUC));
    assert_eq!(Model::from_spec(&s.model).unwrap().hash(), PINNED_HASH);
}

const PINNED_AUC: f64 = 0.8628994360902256;
const PINNED_HASH: &str = "00e53de97f6f994ba768a9d3506959153ebf68a7e39c4a3eaa5aed132e200d73";

/// A table with known shapes: `logins` fine from 20 a month and a cliff
/// below; `usage` healthiest in the middle; `nps` missing means risk;
/// `price` "Unknown" for half the rows (risk) or a number; `senior` 0/1.
fn shapes(n: usize) -> Value {
    let mut r = Rnd(99);
    let rows: Vec<Value> = (0..n)
        .map(|_| {
            let logins = (r.next() * 60.0).floor();
            let usage = (r.next() * 100.0).round();
            let nps = if r.next() < 0.2 { Value::String(String::new()) } else { json!((r.next() * 10.0).round()) };
            let unknown = r.next() < 0.5;
            let price = if unknown { json!("Unknown") } else { json!([10, 30, 60][(r.next() * 3.0) as usize]) };
            let senior = u8::from(r.next() < 0.2);
            let mut z = -1.5;
            z += if logins < 20.0 { 2.0 } else { 0.0 };
            z += 0.0012 * (usage - 50.0) * (usage - 50.0);
            z += if nps.is_string() { 1.2 } else { 0.0 };
            z += if unknown { 0.6 } else { 0.0 };
            z += 0.5 * f64::from(senior);
            let churned = r.next() < 1.0 / (1.0 + (-z).exp());
            json!({ "id": format!("a{}", r.next()), "logins": logins, "usage": usage, "nps": nps, "price": price, "senior": senior, "Churn": if churned { "Yes" } else { "No" } })
        })
        .collect();
    Value::Array(rows)
}

#[test]
fn suggest_finds_a_cliff_a_u_and_missing_means_risk() {
    let rows = shapes(6000);
    let opts = TableOptions {
        id_column: Some("id".into()),
        ..TableOptions::outcome("Churn", "Yes")
    };
    let t = Table::from_json(&rows, &opts).unwrap();
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    let measure = |id: &str| {
        s.model.categories[0]
            .measures
            .iter()
            .find(|m| m.id == id)
            .unwrap_or_else(|| panic!("{id} in {:#?}", s.columns))
    };
    let steps = |id: &str| match &measure(id).rule {
        Rule::Steps { thresholds, scores } => (thresholds.clone(), scores.clone()),
        other => panic!("{id}: {other:?}"),
    };
    // The cliff: a cut at 20, everything below it far worse than above.
    let (t_logins, p_logins) = steps("logins");
    let at = t_logins
        .iter()
        .position(|t| *t == 20.0)
        .unwrap_or_else(|| panic!("a cut at 20: {t_logins:?}"));
    let below = p_logins[..=at]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let above = p_logins[at + 1..]
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    assert!(above - below >= 30.0, "{t_logins:?} {p_logins:?}");
    // The U: the middle bins score more than both ends.
    let (_, p_usage) = steps("usage");
    let mid = p_usage.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(
        p_usage[0] < mid && p_usage[p_usage.len() - 1] < mid,
        "{p_usage:?}"
    );
    assert!(s
        .columns
        .iter()
        .any(|c| c.column == "usage" && c.note.contains("healthiest in the middle")));
    // Missing means risk: a missing nps scores below every bin.
    let (_, p_nps) = steps("nps");
    let missing = measure("nps").missing_score.unwrap();
    assert!(
        p_nps.iter().all(|p| *p > missing),
        "{p_nps:?} vs missing {missing}"
    );
    // "Unknown" is a missing price, with its own (lower) points; prices are numbers.
    assert_eq!(
        s.columns.iter().find(|c| c.column == "price").unwrap().kind,
        "numeric"
    );
    let (_, p_price) = steps("price");
    assert!(
        p_price
            .iter()
            .all(|p| *p > measure("price").missing_score.unwrap()),
        "{p_price:?}"
    );
    // 0/1 is a number, never text.
    assert!(matches!(measure("senior").rule, Rule::Steps { .. }));
    assert!(s.bands.falling);
}

#[test]
fn every_row_of_the_table_scores_under_the_model_built_from_it() {
    let rows = shapes(3000);
    let opts = TableOptions {
        id_column: Some("id".into()),
        ..TableOptions::outcome("Churn", "Yes")
    };
    let t = Table::from_json(&rows, &opts).unwrap();
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    let m = Model::from_spec(&s.model).unwrap();
    let ignore = ScoreOptions {
        ignore_unknown: true,
        ..Default::default()
    };
    for (i, row) in rows.as_array().unwrap().iter().enumerate() {
        // As the row is: numbers, "Unknown", blanks, 0/1, plus the outcome and id.
        let account = Account::from_json(&json!({ "id": row["id"], "values": row })).unwrap();
        let card = m
            .score_with(&account, &ignore)
            .unwrap_or_else(|e| panic!("row {i}: {e:?}"));
        assert!(card.ignored.contains(&"Churn".to_string()));
        // Strict scoring names the extra columns instead.
        let e = m.score(&account).unwrap_err();
        assert!(e.iter().all(|e| e.code == "unknown_measure"), "{e:?}");
    }
}

#[test]
fn suggest_refuses_tables_it_cannot_learn_from() {
    let opts = TableOptions::outcome("Churn", "Yes");
    // One row.
    let t = Table::from_json(
        &json!([{ "x": 1, "Churn": "Yes" }, { "x": 2, "Churn": "No" }]),
        &opts,
    )
    .unwrap();
    assert_eq!(
        Model::suggest(&t, &SuggestOptions::default())
            .unwrap_err()
            .code,
        "too_few_rows"
    );
    // One outcome.
    let same: Vec<Value> = (0..100)
        .map(|i| json!({ "x": i, "Churn": "Yes" }))
        .collect();
    assert_eq!(
        Table::from_json(&Value::Array(same), &opts)
            .unwrap_err()
            .code,
        "one_outcome"
    );
    // Only a constant column: reported, then no usable column.
    let flat: Vec<Value> = (0..200)
        .map(|i| json!({ "x": 5, "Churn": if i % 3 == 0 { "Yes" } else { "No" } }))
        .collect();
    let t = Table::from_json(&Value::Array(flat), &opts).unwrap();
    let e = Model::suggest(&t, &SuggestOptions::default()).unwrap_err();
    assert_eq!(e.code, "no_columns");
    // Too many columns: refused up front, with the limit in help.
    let mut wide = serde_json::Map::new();
    for c in 0..10_000 {
        wide.insert(format!("c{c}"), json!(1));
    }
    wide.insert("Churn".into(), json!("Yes"));
    let e = Table::from_json(&Value::Array(vec![Value::Object(wide)]), &opts).unwrap_err();
    assert_eq!(e.code, "too_large");
    assert!(e.help.contains("1000"), "{}", e.help);
    // Bad options: a misspelt option, a bare outcome column, a negative penalty.
    let job = |o: Value| {
        customer_health::calibrate::Job::new(
            customer_health::calibrate::JobKind::Suggest,
            None,
            Some(&o),
        )
    };
    let e = job(json!({ "outcome": { "column": "Churn", "churnedWhen": "Yes" }, "maxBin": 3 }))
        .err()
        .unwrap();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("unknown_field", "maxBin")
    );
    let e = job(json!({ "outcome": "Churn" })).err().unwrap();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("invalid_value", "outcome")
    );
    let e = job(json!({ "outcome": { "column": "Churn", "churnedWhen": "Yes" }, "lambda": -1 }))
        .err()
        .unwrap();
    assert_eq!(
        (e.code.as_str(), e.path.as_str()),
        ("invalid_value", "lambda")
    );
}

#[test]
fn a_job_reports_progress_and_gives_the_same_result() {
    use customer_health::calibrate::{Job, JobKind, JobResult};
    let opts =
        json!({ "outcome": { "column": "Churn", "churnedWhen": "Yes" }, "skip": ["customerID"] });
    let mut job = Job::new(JobKind::Suggest, None, Some(&opts)).unwrap();
    job.add_csv(&fixture("telco-500.csv")).unwrap();
    let mut phases = Vec::new();
    while let Some(p) = job.step() {
        assert!(p.done <= p.total);
        if phases.last() != Some(&p.phase) {
            phases.push(p.phase.clone());
        }
    }
    assert_eq!(phases, ["binning", "fitting", "bands"]);
    let JobResult::Suggest(s) = job.finish().unwrap() else {
        panic!("a suggestion")
    };
    let direct = Model::suggest(&telco(), &suggest_opts()).unwrap();
    assert_eq!(
        serde_json::to_string(&s.model).unwrap(),
        serde_json::to_string(&direct.model).unwrap()
    );
}
