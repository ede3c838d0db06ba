//! Suggest: a model built from a labelled table. Binning on tables whose
//! shape is known (a cliff, a U, "missing means risk"), the real Telco
//! fixture, numbers pinned across platforms, every row of a table scoring
//! under the model built from it, tables it cannot learn from, the job with
//! progress.

use crate::common::*;
use customer_health::calibrate::{SuggestOptions, Table, TableOptions};
use customer_health::model::{Aggregation, Rule};
use customer_health::{Account, Model, ScoreOptions};
use serde_json::{json, Value};

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
const PINNED_HASH: &str = "c8ac71baf12b9ccddc807edf0d5694cf62a3ea182df98aa8a82878e3aecc4649";

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
    let t = Table::from_json(&rows.to_string(), &opts).unwrap();
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
    let t = Table::from_json(&rows.to_string(), &opts).unwrap();
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    let m = Model::from_spec(&s.model).unwrap();
    let ignore = ScoreOptions {
        ignore_unknown: true,
        ..Default::default()
    };
    for (i, row) in rows.as_array().unwrap().iter().enumerate() {
        // As the row is: numbers, "Unknown", blanks, 0/1, plus the outcome and id.
        let account =
            Account::from_json(&json!({ "id": row["id"], "values": row }).to_string()).unwrap();
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
        &json!([{ "x": 1, "Churn": "Yes" }, { "x": 2, "Churn": "No" }]).to_string(),
        &opts,
    )
    .unwrap();
    assert_eq!(
        Model::suggest(&t, &SuggestOptions::default()).unwrap_err()[0].code,
        "too_few_rows"
    );
    // One outcome.
    let same: Vec<Value> = (0..100)
        .map(|i| json!({ "x": i, "Churn": "Yes" }))
        .collect();
    assert_eq!(
        Table::from_json(&Value::Array(same).to_string(), &opts).unwrap_err()[0].code,
        "one_outcome"
    );
    // Only a constant column: reported, then no usable column.
    let flat: Vec<Value> = (0..200)
        .map(|i| json!({ "x": 5, "Churn": if i % 3 == 0 { "Yes" } else { "No" } }))
        .collect();
    let t = Table::from_json(&Value::Array(flat).to_string(), &opts).unwrap();
    let e = Model::suggest(&t, &SuggestOptions::default()).unwrap_err();
    assert_eq!(e[0].code, "no_columns");
    // Too many columns: refused up front, with the limit in help.
    let mut wide = serde_json::Map::new();
    for c in 0..10_000 {
        wide.insert(format!("c{c}"), json!(1));
    }
    wide.insert("Churn".into(), json!("Yes"));
    let e =
        Table::from_json(&Value::Array(vec![Value::Object(wide)]).to_string(), &opts).unwrap_err();
    assert_eq!(e[0].code, "too_large");
    assert!(e[0].help.contains("1000"), "{}", e[0].help);
    // Bad options: a misspelt option, a bare outcome column, a negative penalty.
    let job = |o: Value| {
        customer_health::calibrate::Job::new(
            customer_health::calibrate::JobKind::Suggest,
            None,
            Some(&o.to_string()),
        )
    };
    let e = job(json!({ "outcome": { "column": "Churn", "churnedWhen": "Yes" }, "maxBin": 3 }))
        .err()
        .unwrap();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_field", "maxBin")
    );
    let e = job(json!({ "outcome": "Churn" })).err().unwrap();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_value", "outcome")
    );
    let e = job(json!({ "outcome": { "column": "Churn", "churnedWhen": "Yes" }, "lambda": -1 }))
        .err()
        .unwrap();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("invalid_value", "lambda")
    );
}

#[test]
fn a_job_reports_progress_and_gives_the_same_result() {
    use customer_health::calibrate::{Job, JobKind, JobResult};
    let opts =
        json!({ "outcome": { "column": "Churn", "churnedWhen": "Yes" }, "skip": ["customerID"] });
    let mut job = Job::new(JobKind::Suggest, None, Some(&opts.to_string())).unwrap();
    job.add_csv(&fixture("telco-500.csv")).unwrap();
    let mut phases = Vec::new();
    let mut reports = Vec::new();
    while let Some(p) = job.step() {
        assert!(p.done <= p.total);
        if phases.last() != Some(&p.phase) {
            phases.push(p.phase.clone());
        }
        reports.push((p.phase, p.done, p.total));
    }
    assert_eq!(phases, ["reading", "binning", "fitting", "bands"]);
    // Each report says what was done (issue 26: `done` was always 0): the
    // 500 rows read, every column binned, the fit and the bands finished.
    assert_eq!(reports[0], ("reading".to_string(), 500, 500));
    let binned = reports.iter().rfind(|r| r.0 == "binning").unwrap();
    assert!(binned.1 == binned.2 && binned.2 > 0, "{binned:?}");
    // Fitting reports each Newton step: 0 while the fit on weights of
    // evidence runs, 1 once it is done, then 1 more per Newton step of the
    // points per bin, ending at its total.
    let fitting: Vec<_> = reports.iter().filter(|r| r.0 == "fitting").collect();
    assert!(fitting.len() >= 5, "{fitting:?}");
    assert_eq!(fitting[0].1, 0, "{fitting:?}");
    assert!(fitting.iter().any(|r| r.1 == 1), "{fitting:?}");
    assert!(fitting
        .windows(2)
        .all(|w| w[0].1 <= w[1].1 && w[0].2 == w[1].2));
    let last = fitting[fitting.len() - 1];
    assert_eq!(last.1, last.2);
    // The bands: the rows scored by the draft, then the bands and the
    // held-out check.
    assert_eq!(
        reports[reports.len() - 2..],
        [("bands".to_string(), 1, 2), ("bands".to_string(), 2, 2)]
    );
    let JobResult::Suggest(s) = job.finish().unwrap() else {
        panic!("a suggestion")
    };
    let direct = Model::suggest(&telco(), &suggest_opts()).unwrap();
    assert_eq!(
        serde_json::to_string(&s.model).unwrap(),
        serde_json::to_string(&direct.model).unwrap()
    );
}

/// The `shapes` rows with a leaking column (a previous model's output:
/// churned rows 0.9 and up, retained below 0.1), a numeric id under a name
/// the old check missed (`CLIENTNUM`), and a text key (`ref`).
fn with_leak_and_ids(n: usize) -> Value {
    let mut r = Rnd(7);
    let rows = shapes(n);
    Value::Array(
        rows.as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut row = row.clone();
                let churned = row["Churn"] == "Yes";
                let p = if churned {
                    0.9 + 0.1 * r.next()
                } else {
                    0.1 * r.next()
                };
                row["prevModelScore"] = json!(p);
                row["CLIENTNUM"] = json!(700_000 + 3 * i);
                row["ref"] = json!(format!("K-{i:05}-X"));
                // Not ids: a sparse whole-number column written with "NA",
                // and whole cents nearly all different under a name ending
                // in "id" letters.
                row["lastPayment"] = if i % 5 < 3 {
                    json!("NA")
                } else {
                    json!(format!("{}", 1000 + i))
                };
                row["AmountPaid"] = json!(5000 + 7 * i);
                row
            })
            .collect(),
    )
}

#[test]
fn suggest_warns_of_leaks_and_ids_as_data_and_keeps_what_it_is_told() {
    let opts = TableOptions {
        id_column: Some("id".into()),
        ..TableOptions::outcome("Churn", "Yes")
    };
    let t = Table::from_json(&with_leak_and_ids(3000).to_string(), &opts).unwrap();
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    let warning = |code: &str, column: &str| {
        s.warnings
            .iter()
            .find(|w| w.code == code && w.column == column)
            .unwrap_or_else(|| panic!("no {code} for {column}: {:?}", s.warnings))
    };
    // The leak is used (it is the user's to leave out) and named, with its AUC.
    let leak = warning("leak", "prevModelScore");
    assert!(leak.auc.unwrap() > 0.99, "{leak:?}");
    assert!(leak.help.contains("skip"));
    assert!(s.backtest.auc.unwrap() > 0.99);
    // No other column leaks.
    assert_eq!(
        s.warnings.iter().filter(|w| w.code == "leak").count(),
        1,
        "{:?}",
        s.warnings
    );
    // Ids are left out, each with a warning: a whole number per row whose
    // name says id, and a text key whatever its name.
    let used = |c: &str| s.columns.iter().find(|x| x.column == c).unwrap().used;
    for id in ["CLIENTNUM", "ref"] {
        assert!(!used(id), "{id}");
        assert!(warning("id_like", id)
            .message
            .contains("2100 of its 2100 training rows"));
    }
    assert!(used("logins") && used("usage"));
    for not_id in ["lastPayment", "AmountPaid"] {
        let c = s.columns.iter().find(|x| x.column == not_id).unwrap();
        assert!(!c.note.contains("identifier"), "{c:?}");
        assert!(
            s.warnings.iter().all(|w| w.column != not_id),
            "{:?}",
            s.warnings
        );
    }
    // Without the leak, nothing to warn of but what is said.
    let clean = Model::suggest(
        &t,
        &SuggestOptions {
            skip: vec!["prevModelScore".into()],
            keep: vec!["CLIENTNUM".into()],
            not_actionable: vec!["senior".into(), "logins".into()],
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        clean.warnings.iter().all(|w| w.code != "leak"),
        "{:?}",
        clean.warnings
    );
    assert!(clean.backtest.auc.unwrap() < 0.95);
    // `keep`: used, still named as id-like.
    let kept = clean
        .warnings
        .iter()
        .find(|w| w.column == "CLIENTNUM")
        .unwrap();
    assert_eq!(kept.code, "id_like");
    assert!(kept.help.contains("keep"));
    // `notActionable`: in the score, out of levers.
    let measures = &clean.model.categories[0].measures;
    let actionable = |id: &str| measures.iter().find(|m| m.id == id).map(|m| m.actionable);
    assert_eq!(actionable("logins"), Some(Some(false)));
    assert_eq!(actionable("usage"), Some(None));
    let m = Model::from_spec(&clean.model).unwrap();
    let account = Account::from_json(&json!({ "id": "x", "values": { "logins": 3, "usage": 50, "nps": 2, "price": 10, "senior": 1 } }).to_string()).unwrap();
    let card = m.score(&account).unwrap();
    assert!(
        card.levers
            .iter()
            .all(|l| l.measure_id != "logins" && l.measure_id != "senior"),
        "{:?}",
        card.levers
    );
    // A column named in keep or notActionable that the table lacks.
    let e = Model::suggest(
        &t,
        &SuggestOptions {
            not_actionable: vec!["tenure".into()],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("unknown_column", "notActionable[0]")
    );
}

#[test]
fn the_telco_key_is_left_out_as_an_id_without_being_told() {
    let s = Model::suggest(&telco(), &SuggestOptions::default()).unwrap();
    let id = s.columns.iter().find(|x| x.column == "customerID").unwrap();
    assert!(!id.used && id.note.contains("identifier"), "{id:?}");
    assert!(s
        .warnings
        .iter()
        .any(|w| w.code == "id_like" && w.column == "customerID"));
    // Telco has no leak.
    assert!(
        s.warnings.iter().all(|w| w.code != "leak"),
        "{:?}",
        s.warnings
    );
}

#[test]
fn rows_given_to_suggest_with_numbers_as_text_score_as_given_with_table_cells() {
    // Each numeric column in every mix: JSON numbers, numeric text, the
    // standard missing text, booleans as text for a 0/1 column.
    let mut r = Rnd(11);
    let rows: Vec<Value> = shapes(3000)
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let mut row = row.clone();
            for key in ["logins", "usage", "price", "senior"] {
                if let Some(x) = row[key].as_f64() {
                    let pick = r.next();
                    row[key] = if pick < 0.3 {
                        json!(format!(" {x} "))
                    } else if pick < 0.35 && key == "senior" {
                        json!(if x == 1.0 { "1" } else { "0" })
                    } else {
                        json!(x)
                    };
                }
            }
            row
        })
        .collect();
    let opts = TableOptions {
        id_column: Some("id".into()),
        ..TableOptions::outcome("Churn", "Yes")
    };
    let t = Table::from_json(&Value::Array(rows.clone()).to_string(), &opts).unwrap();
    let s = Model::suggest(&t, &SuggestOptions::default()).unwrap();
    let m = Model::from_spec(&s.model).unwrap();
    let table = m.score_table(&t, false);
    let cells = ScoreOptions {
        ignore_unknown: true,
        table_cells: true,
        ..Default::default()
    };
    let accounts: Vec<Account> = rows
        .iter()
        .map(|row| {
            Account::from_json(&json!({ "id": row["id"], "values": row }).to_string()).unwrap()
        })
        .collect();
    let batch = m.score_many_with(&accounts, &cells);
    let mut refused_strictly = 0;
    for (i, account) in accounts.iter().enumerate() {
        let card = m
            .score_with(account, &cells)
            .unwrap_or_else(|e| panic!("row {i}: {e:?}"));
        let many = batch.scorecards[i].as_ref().unwrap();
        assert_eq!(card.score, many.score, "row {i}");
        assert!(
            (card.score.unwrap() - table.scores[i]).abs() < 1e-9,
            "row {i}: {:?} vs {}",
            card.score,
            table.scores[i]
        );
        // Strictly, a numeric text is refused.
        let strict = ScoreOptions {
            ignore_unknown: true,
            ..Default::default()
        };
        if let Err(e) = m.score_with(account, &strict) {
            assert!(
                e.iter().all(|e| e.code == "not_a_number"
                    || e.code == "not_a_boolean"
                    || e.code == "wrong_type"),
                "{e:?}"
            );
            refused_strictly += 1;
        }
    }
    assert!(refused_strictly > 1000, "{refused_strictly}");
}

#[test]
fn a_suggested_model_says_what_to_do_per_band_and_per_alert() {
    let s = Model::suggest(&telco(), &suggest_opts()).unwrap();
    let bands: Vec<&str> = s.model.bands.iter().map(|b| b.id.as_str()).collect();
    let ids: Vec<&str> = s.model.playbooks.iter().map(|p| p.id.as_str()).collect();
    // One per band (lowest: recover; top: grow; between: review usage),
    // one for insufficient data, one per alert kind.
    assert_eq!(ids.len(), bands.len() + 1 + 7, "{ids:?}");
    assert_eq!(ids[0], format!("recover-{}", bands[0]));
    assert_eq!(
        ids[bands.len() - 1],
        format!("grow-{}", bands[bands.len() - 1])
    );
    assert_eq!(ids[bands.len()], "complete-data");
    let model = Model::from_spec(&s.model).unwrap();
    // An account in the lowest band gets its recovery call; one in the top
    // band with no history is not sold to (growth waits for a trend that
    // is not falling).
    let t = telco();
    let cards = model.score_table(&t, false);
    let low = (0..t.len())
        .find(|&r| cards.bands[r] == 0)
        .expect("a row in the lowest band");
    let top = (0..t.len())
        .find(|&r| usize::from(cards.bands[r]) == bands.len() - 1)
        .expect("a row in the top band");
    let actions = |r: usize| {
        model.actions(&customer_health::model::PlaybookContext {
            band: bands[usize::from(cards.bands[r])],
            direction: None,
            alert: None,
            segment: None,
            value: None,
        })
    };
    assert_eq!(actions(low)[0].id, ids[0]);
    assert!(actions(top).is_empty());
}
