#![cfg(not(target_arch = "wasm32"))]
//! Property tests over random valid models and accounts: the score is always
//! within 0..100, rising rules never lower it, scoring is deterministic,
//! effective weights sum to 1, contributions add up, and the hash ignores
//! key order and whitespace.
//!
//! Each case is built from a random seed by a small deterministic generator,
//! so a failure prints the seed that reproduces it.

use customer_health::{Account, ColumnOptions, Input, Model};
use proptest::prelude::*;
use serde_json::{json, Value};

#[path = "properties/gen.rs"]
mod gen;
use gen::{account, build, Gen};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn score_is_within_0_and_100_and_weights_add_up(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        for _ in 0..5 {
            let acc = account(&mut g, &doc);
            let card = model.score_json(&acc.to_string()).unwrap_or_else(|e| panic!("{e:?} for {acc}"));
            if let Some(s) = card.score {
                prop_assert!((0.0..=100.0).contains(&s), "score {s}");
                prop_assert!(card.categories.iter().any(|c| c.score.is_some()));
                let cw: f64 = card.categories.iter().map(|c| c.weight).sum();
                if doc["aggregation"] == "weighted" || card.total.is_some() {
                    prop_assert!((cw - 1.0).abs() < 1e-9, "category weights sum {cw}");
                }
                for c in card.categories.iter().filter(|c| c.score.is_some()) {
                    let mw: f64 = c.measures.iter().map(|m| m.weight).sum();
                    prop_assert!((mw - 1.0).abs() < 1e-9, "measure weights sum {mw} in {}", c.id);
                }
                if doc["aggregation"] == "weighted" || doc.get("range").is_none() {
                    let sum: f64 = card.categories.iter().map(|c| c.contribution).sum();
                    let uncapped = card.uncapped_score.unwrap();
                    prop_assert!((sum - uncapped).abs() < 1e-9, "contributions {sum} vs score {uncapped}");
                }
            }
            prop_assert!((0.0..=1.0 + 1e-12).contains(&card.coverage));
        }
    }

    #[test]
    fn raising_a_rising_measure_never_lowers_the_score(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(true);
        let Some(model) = build(&doc) else { return Ok(()) };
        let acc = account(&mut g, &doc);
        let base = Account::from_json(&acc.to_string()).unwrap();
        let before = model.score(&base).unwrap();
        let Some(s0) = before.score else { return Ok(()) };
        for (i, (id, input)) in base.values.iter().enumerate() {
            if let Input::Number(x) = input {
                let bump = if id.is_empty() { 0.0 } else { g.float(0.0, 30.0).round() };
                let mut raised = base.clone();
                let rule = &model.spec().categories.iter().flat_map(|c| &c.measures).find(|m| &m.id == id).unwrap().rule;
                let y = match rule {
                    customer_health::model::Rule::Scale { max, .. } => (x + bump).min(*max),
                    _ => x + bump,
                };
                raised.values[i].1 = Input::Number(y);
                let after = model.score(&raised).unwrap();
                let s1 = after.score.unwrap();
                prop_assert!(s1 >= s0 - 1e-9, "raising {id} from {x} to {y} lowered {s0} to {s1}");
            }
        }
    }

    #[test]
    fn scoring_is_deterministic_and_survives_the_canonical_form(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let again = Model::from_json(model.canonical_json()).unwrap();
        prop_assert_eq!(again.hash(), model.hash());
        let acc = account(&mut g, &doc);
        let a = model.score_json(&acc.to_string()).unwrap();
        let b = model.score_json(&acc.to_string()).unwrap();
        let c = again.score_json(&acc.to_string()).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.score, c.score);
        prop_assert_eq!(a.levers, c.levers);
    }

    #[test]
    fn hash_ignores_key_order_and_whitespace(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let mut text = String::new();
        write_shuffled(&doc, &mut g, &mut text);
        let shuffled = Model::from_json(&text).unwrap();
        prop_assert_eq!(shuffled.hash(), model.hash());
    }

    /// Issue 27: an override that changes nothing (a floor of 0 whose
    /// condition holds) changes no lever and no plan. It used to pin the
    /// score, dropping the slack at a band's edge: strict paths vanished
    /// and plans took a useless step.
    #[test]
    fn a_no_op_override_changes_no_lever_or_plan(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let mut noop = doc.clone();
        let cond = g.cap(&doc)["when"].clone();
        let mut list = noop["overrides"].as_array().cloned().unwrap_or_default();
        list.push(json!({ "when": { "any": [cond] }, "floor": 0, "reason": "no-op" }));
        noop["overrides"] = Value::Array(list);
        let with_noop = build(&noop).unwrap();
        let acc = account(&mut g, &doc).to_string();
        let base = Account::from_json(&acc).unwrap();
        let (a, b) = (model.score(&base), with_noop.score(&base));
        let (Ok(a), Ok(b)) = (a, b) else { return Ok(()) };
        prop_assert_eq!(a.score.map(f64::to_bits), b.score.map(f64::to_bits));
        prop_assert_eq!(&a.levers, &b.levers);
        prop_assert_eq!(model.plan(&base).unwrap(), with_noop.plan(&base).unwrap());
    }

    /// Issue 27: levers rescore one measure at a time without scoring the
    /// whole account again; they are bit for bit those of the direct way.
    #[test]
    fn levers_rescored_incrementally_are_the_direct_ones(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let acc = Account::from_json(&account(&mut g, &doc).to_string()).unwrap();
        let (Ok(fast), Ok(direct)) = (model.levers(&acc), model.levers_direct(&acc)) else { return Ok(()) };
        prop_assert_eq!(fast.len(), direct.len());
        for (f, d) in fast.iter().zip(&direct) {
            prop_assert_eq!(&f.measure_id, &d.measure_id);
            prop_assert_eq!(f.points_missed.to_bits(), d.points_missed.to_bits());
            prop_assert_eq!(&f.to_next_band, &d.to_next_band);
        }
    }

    #[test]
    fn levers_reach_the_band_they_name(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let acc = account(&mut g, &doc);
        let base = Account::from_json(&acc.to_string()).unwrap();
        let card = model.score(&base).unwrap();
        for lever in &card.levers {
            let Some(t) = &lever.to_next_band else { continue };
            if t.strict { continue; }
            let mut moved = base.clone();
            let slot = moved.values.iter_mut().find(|(k, _)| *k == lever.measure_id).unwrap();
            slot.1 = Input::from_scalar(Some(&t.value));
            let after = model.score(&moved).unwrap();
            let target = model.bands().iter().position(|b| b.id == t.band).unwrap();
            let spec = &model.spec().bands[target];
            let edge = spec.from.or(spec.above).unwrap();
            let reached = model.bands().iter().position(|b| b.id == after.band.id);
            let s1 = after.score.unwrap();
            // In the band, or within rounding of its edge.
            prop_assert!(
                reached.is_some_and(|r| r >= target) || (s1 - edge).abs() < 1e-9,
                "{lever:?} gave {s1} in {:?}", after.band
            );
            prop_assert!(s1 > card.score.unwrap());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn alerts_never_fire_on_a_constant_history(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let score = (g.float(0.0, 100.0) * 100.0).round() / 100.0;
        let mut day = 0u64;
        let history: Vec<Value> = (0..2 + g.below(15))
            .map(|_| {
                day += 1 + g.below(40);
                json!({ "at": format!("2026-{:02}-{:02}", 1 + (day / 28) % 12, 1 + day % 28), "score": score })
            })
            .collect();
        // Dates may repeat after the modulo: keep the first of each.
        let mut seen = std::collections::HashSet::new();
        let history: Vec<Value> = history.into_iter().filter(|h| seen.insert(h["at"].to_string())).collect();
        let alerts = model.alerts_json(&Value::Array(history).to_string()).unwrap();
        prop_assert!(alerts.is_empty(), "{alerts:?}");
    }

    #[test]
    fn explain_change_parts_sum_to_the_change(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let opts = |at: &str| customer_health::ScoreOptions { at: Some(at.into()), as_of: None, ..Default::default() };
        let a = Account::from_json(&account(&mut g, &doc).to_string()).unwrap();
        let b = Account::from_json(&account(&mut g, &doc).to_string()).unwrap();
        let before = model.score_with(&a, &opts("2026-01-01")).unwrap();
        let after = model.score_with(&b, &opts("2026-02-01")).unwrap();
        if before.score.is_none() || after.score.is_none() {
            return Ok(());
        }
        let e = model.explain_change(&before, &after).unwrap();
        let parts = e.measures.iter().map(|m| m.effect).sum::<f64>() + e.renormalization + e.caps + e.staleness + e.model_change;
        prop_assert!((parts - e.total).abs() < 1e-9, "{parts} vs {}", e.total);
        prop_assert!((e.total - (after.score.unwrap() - before.score.unwrap())).abs() < 1e-12);
        // With the same measures present and weighted averages only (min/max
        // move the weight to the deciding measure), nothing is renormalised.
        let averages = doc["categories"].as_array().unwrap().iter().all(|c| c["combine"] == "average");
        if before.missing == after.missing && doc["aggregation"] == "weighted" && averages {
            prop_assert!(e.renormalization.abs() < 1e-9, "renormalization {}", e.renormalization);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_columnar_path_equals_scoring_each_account(seed in 1u64..) {
        let mut g = Gen(seed);
        let doc = g.model(false);
        let Some(model) = build(&doc) else { return Ok(()) };
        let ids: Vec<String> = model.measure_ids().map(String::from).collect();
        let rules: Vec<Value> = doc["categories"].as_array().unwrap().iter()
            .flat_map(|c| c["measures"].as_array().unwrap().iter().map(|m| m["rule"].clone())).collect();
        // Sometimes more rows than one kernel block (256), to cross a block edge.
        let rows = if g.below(5) == 0 { 250 + g.below(300) } else { 1 + g.below(20) } as usize;
        let mut accounts = Vec::new();
        // Some columns are left out (all missing); match columns hold codes.
        let mut cols: Vec<Option<Vec<f64>>> = rules.iter().map(|_| (g.below(8) != 0).then(Vec::new)).collect();
        for _ in 0..rows {
            let mut values = serde_json::Map::new();
            for (i, r) in rules.iter().enumerate() {
                let Some(col) = cols[i].as_mut() else { continue };
                let mut v = g.value(r);
                if g.below(15) == 0 {
                    v = json!(-3.5); // sometimes a value some rules refuse
                }
                col.push(match &v {
                    Value::Bool(b) => f64::from(u8::from(*b)),
                    Value::Number(n) => n.as_f64().unwrap(),
                    Value::String(t) => ["a", "b", "c"].iter().position(|k| k == t).unwrap() as f64,
                    _ => f64::NAN,
                });
                values.insert(ids[i].clone(), v);
            }
            accounts.push(json!({ "id": "a", "values": values }));
        }
        let refs: Vec<Option<&[f64]>> = cols.iter().map(|c| c.as_deref()).collect();
        let opts = |breakdown, full| ColumnOptions { breakdown, full, match_codes: true, ..Default::default() };
        let out = model.score_columns_with(&refs, rows, opts(false, true)).unwrap();
        let plain = model.score_columns_with(&refs, rows, opts(false, false)).unwrap();
        let bd = model.score_columns_with(&refs, rows, opts(true, false)).unwrap();
        prop_assert_eq!(&plain.bands, &out.bands);
        let all_bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(all_bits(&bd.contributions), all_bits(&out.contributions));
        let f = out.full.as_ref().unwrap();
        let (nc, n) = (out.categories.len() / rows, out.contributions.len() / rows);
        let bits = |x: Option<f64>| x.unwrap_or(f64::NAN).to_bits();
        for (r, acc) in accounts.iter().enumerate() {
            match model.score_json(&acc.to_string()) {
                Ok(card) => {
                    prop_assert_eq!(out.scores[r].to_bits(), bits(card.score), "row {}", r);
                    prop_assert_eq!(plain.scores[r].to_bits(), bits(card.score), "row {}", r);
                    let band = model.bands().iter().position(|b| b.id == card.band.id).map_or(255u8, |b| b as u8);
                    prop_assert_eq!(out.bands[r], band, "row {}", r);
                    prop_assert_eq!(f.uncapped[r].to_bits(), bits(card.uncapped_score.or(card.score.and(None))), "uncapped row {}", r);
                    prop_assert_eq!(f.totals[r].to_bits(), bits(card.total), "total row {}", r);
                    prop_assert_eq!(f.coverage[r].to_bits(), card.coverage.to_bits(), "coverage row {}", r);
                    // What follows from the aggregation (caps, overrides, the
                    // penalty, the flags): the scorecard's own, bit for bit.
                    let x = f.extras.iter().find(|(row, _)| *row == r).map(|(_, x)| x.clone()).unwrap_or_default();
                    prop_assert_eq!(&x.caps, &card.caps, "caps row {}", r);
                    prop_assert_eq!(&x.overrides, &card.overrides, "overrides row {}", r);
                    prop_assert_eq!(&x.sentiment_disagrees, &card.sentiment_disagrees, "disagreements row {}", r);
                    prop_assert_eq!(x.low_coverage, card.low_coverage, "low coverage row {}", r);
                    prop_assert_eq!(x.coverage_penalty.to_bits(), card.coverage_penalty.to_bits(), "penalty row {}", r);
                    prop_assert_eq!(nc, card.categories.len());
                    let measures: Vec<_> = card.categories.iter().flat_map(|c| &c.measures).collect();
                    prop_assert_eq!(n, measures.len());
                    for (c, cat) in card.categories.iter().enumerate() {
                        prop_assert_eq!(out.categories[c * rows + r].to_bits(), bits(cat.score), "row {} category {}", r, c);
                        prop_assert_eq!(f.category_weights[c * rows + r].to_bits(), cat.weight.to_bits(), "row {} category weight {}", r, c);
                        prop_assert_eq!(f.category_contributions[c * rows + r].to_bits(), cat.contribution.to_bits(), "row {} category contribution {}", r, c);
                        prop_assert_eq!(f.category_points_missed[c * rows + r].to_bits(), cat.points_missed.to_bits(), "row {} category missed {}", r, c);
                    }
                    for (i, m) in measures.iter().enumerate() {
                        let at = i * rows + r;
                        prop_assert_eq!(out.contributions[at].to_bits(), m.contribution.to_bits(), "row {} measure {}", r, i);
                        prop_assert_eq!(f.points_missed[at].to_bits(), m.points_missed.to_bits(), "row {} missed {}", r, i);
                        prop_assert_eq!(f.weights[at].to_bits(), m.weight.to_bits(), "row {} weight {}", r, i);
                        prop_assert_eq!(f.partial[at].to_bits(), bits(m.partial), "row {} partial {}", r, i);
                        prop_assert_eq!(f.normalized[at].to_bits(), bits(m.normalized), "row {} normalized {}", r, i);
                        let status = serde_json::to_value(m.status).unwrap();
                        let want = ["present", "skipped", "neutral", "worst", "imputed"][f.status[at] as usize];
                        prop_assert_eq!(status.as_str().unwrap(), want, "row {} status {}", r, i);
                    }
                }
                Err(_) => {
                    prop_assert_eq!(out.bands[r], 254u8);
                    prop_assert!(out.categories.iter().skip(r).step_by(rows).all(|x| x.is_nan()));
                }
            }
        }
    }
}

/// Writes JSON with object keys in a random order and random whitespace.
fn write_shuffled(v: &Value, g: &mut Gen, out: &mut String) {
    let ws = |g: &mut Gen| [" ", "", "\n  ", "\t"][g.below(4) as usize];
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            for i in (1..keys.len()).rev() {
                keys.swap(i, g.below(i as u64 + 1) as usize);
            }
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(ws(g));
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push(':');
                out.push_str(ws(g));
                write_shuffled(&map[*k], g, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(ws(g));
                write_shuffled(item, g, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[test]
fn the_generator_mostly_builds_valid_models() {
    let mut built = 0;
    let mut with_levers = 0;
    for seed in 1..500u64 {
        let mut g = Gen(seed * 7919);
        let doc = g.model(false);
        if let Some(m) = build(&doc) {
            built += 1;
            let card = m.score_json(&account(&mut g, &doc).to_string()).unwrap();
            with_levers += usize::from(card.levers.iter().any(|l| l.to_next_band.is_some()));
        }
    }
    assert!(
        built > 400,
        "only {built} of 499 generated models were valid"
    );
    assert!(
        with_levers > 50,
        "only {with_levers} cases exercised a path to the next band"
    );
}

/// A random labelled table: numeric columns (with blanks, `NA`, `Unknown`
/// and odd texts), 0/1 columns, booleans, categorical columns (with rare
/// values, numbers mixed in, blanks), a column of ids, and an outcome that
/// depends on some of them.
fn random_table(g: &mut Gen, rows: usize) -> Vec<Value> {
    let columns = 2 + g.below(6) as usize;
    let kinds: Vec<u64> = (0..columns).map(|_| g.below(5)).collect();
    let odd = ["NA", "Unknown", "", " ", "n.a.", "?"];
    (0..rows)
        .map(|r| {
            let mut row = serde_json::Map::new();
            let mut z = -1.0;
            for (c, kind) in kinds.iter().enumerate() {
                let name = format!("c{c}");
                let v = match kind {
                    0 => {
                        let x = (g.float(-50.0, 150.0) * 10.0).round() / 10.0;
                        z += x / 100.0;
                        match g.below(20) {
                            0 => {
                                let k = g.below(odd.len() as u64) as usize;
                                json!(odd[k])
                            }
                            1 => json!(x.to_string()),
                            _ => json!(x),
                        }
                    }
                    1 => {
                        let b = g.below(4) == 0;
                        z += if b { 1.0 } else { 0.0 };
                        json!(u8::from(b))
                    }
                    2 => match g.below(10) {
                        0 => Value::Null,
                        k => json!(k % 2 == 0),
                    },
                    3 => {
                        let k = g.below(12);
                        z += (k as f64) / 10.0;
                        match k {
                            0 => json!(""),
                            1 => json!(7),
                            11 => {
                                let k = g.below(1000);
                                json!(format!("rare{k}"))
                            }
                            _ => json!(["a", "b", "c", "d", "e"][(k % 5) as usize]),
                        }
                    }
                    _ => json!(format!("id-{r}")),
                };
                row.insert(name, v);
            }
            let churned = g.float(0.0, 1.0) < 1.0 / (1.0 + (-z).exp());
            row.insert("Churn".into(), json!(if churned { "Yes" } else { "No" }));
            row.insert("id".into(), json!(r));
            Value::Object(row)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn every_row_of_a_suggest_table_scores(seed in 1u64..) {
        use customer_health::calibrate::{SuggestOptions, Table, TableOptions};
        let mut g = Gen(seed);
        let n = 100 + g.below(600) as usize;
        let rows = random_table(&mut g, n);
        let Ok(table) = Table::from_json(&Value::Array(rows.clone()).to_string(), &TableOptions::outcome("Churn", "Yes")) else {
            return Ok(()); // one outcome only
        };
        let Ok(s) = Model::suggest(&table, &SuggestOptions::default()) else { return Ok(()) };
        let model = Model::from_spec(&s.model).unwrap();
        // Through the columnar path, as calibration scores them.
        let scored = model.score_table(&table, false);
        prop_assert!(scored.errors.is_empty(), "{:?}", scored.errors.first());
        // Each row read as an account (cells typed as table cells), then
        // scored strictly; and, where its numbers are JSON numbers, as it is
        // with the extra columns ignored.
        let row_opts = customer_health::RowOptions { id_column: Some("id".into()), ..Default::default() };
        let ignore = customer_health::ScoreOptions { ignore_unknown: true, ..Default::default() };
        for (i, row) in rows.iter().enumerate() {
            let read = model.row_to_account(&row.to_string(), &row_opts);
            prop_assert!(read.is_ok(), "row {i} {row}: {:?}", read.err());
            let account: Account = read.unwrap().account.into();
            let card = model.score(&account);
            prop_assert!(card.is_ok(), "row {i} {row}: {:?}", card.err());
            let numeric_text = row.as_object().unwrap().values().any(|v| v.as_str().is_some_and(|t| t.trim().parse::<f64>().is_ok()));
            if !numeric_text {
                let account = Account::from_json(&json!({ "id": "a", "values": row }).to_string()).unwrap();
                let card = model.score_with(&account, &ignore);
                prop_assert!(card.is_ok(), "row {i} {row}: {:?}", card.err());
            }
        }
    }
}
