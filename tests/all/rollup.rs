//! Account hierarchies (issue 16, item 1): a parent's health from its
//! children by value-weighted mean or worst child, the children in its
//! breakdown, levers that name the child, shares per band; cycles and
//! orphans are coded errors. The shared `a_and_b` model: (a + 3b) / 4 × 10,
//! bands red 0, amber 50, green above 75.

use crate::common::*;
use customer_health::portfolio::{RollupMethod, RollupOptions};
use customer_health::Scorecard;
use serde_json::json;
use std::collections::BTreeMap;

fn cards() -> Vec<Scorecard> {
    let m = a_and_b(json!({}));
    vec![
        // 90 (a 6, b 10), value 300.
        score(
            &m,
            json!({ "id": "eu", "value": 300, "values": { "a": 6, "b": 10 } }),
        ),
        // 40 (a 4, b 4), value 100.
        score(
            &m,
            json!({ "id": "us", "value": 100, "values": { "a": 4, "b": 4 } }),
        ),
        // 60 (a 0, b 8), value 600.
        score(
            &m,
            json!({ "id": "apac", "value": 600, "values": { "a": 0, "b": 8 } }),
        ),
    ]
}

fn parents(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(c, p)| (c.to_string(), p.to_string()))
        .collect()
}

#[test]
fn value_weighted_mean_with_children_and_levers() {
    let m = a_and_b(json!({}));
    let opts = RollupOptions {
        parents: parents(&[("eu", "globex"), ("us", "globex"), ("apac", "globex")]),
        method: RollupMethod::Mean,
    };
    let r = &m.rollup(&cards(), &opts).unwrap()[0];
    assert_eq!(r.account_id, "globex");
    // (300 × 90 + 100 × 40 + 600 × 60) / 1000 = 67.
    close(r.score.unwrap(), 67.0);
    assert_eq!(
        (r.band.id.as_str(), r.weighting.as_str(), r.value),
        ("amber", "value", 1000.0)
    );
    // Children, costliest first: apac 0.6 × 40 = 24, us 0.1 × 60 = 6, eu 0.3 × 10 = 3.
    let order: Vec<(&str, f64)> = r
        .children
        .iter()
        .map(|c| (c.account_id.as_str(), c.points_missed))
        .collect();
    assert_eq!(
        order.iter().map(|x| x.0).collect::<Vec<_>>(),
        ["apac", "us", "eu"]
    );
    close(order[0].1, 24.0);
    // apac's best lever: a 0 → 10 adds 25 to apac, 0.6 × 25 = 15 to globex.
    assert_eq!(
        (
            r.levers[0].account_id.as_str(),
            r.levers[0].measure_id.as_str()
        ),
        ("apac", "a")
    );
    close(r.levers[0].points, 15.0);
    // Shares per band: green 1 (eu), amber 1 (apac), red 1 (us).
    let ids: Vec<&str> = r.bands.0.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["red", "amber", "green", "insufficient_data"],
        "the model's order"
    );
    assert_eq!(r.bands.get("green").unwrap().count, 1);
    close(r.bands.get("amber").unwrap().value, 600.0);
    close(r.bands.get("red").unwrap().share, 1.0 / 3.0);
}

#[test]
fn worst_child_and_equal_weights() {
    let m = a_and_b(json!({}));
    let worst = RollupOptions {
        parents: parents(&[("eu", "globex"), ("us", "globex"), ("apac", "globex")]),
        method: RollupMethod::Worst,
    };
    let r = &m.rollup(&cards(), &worst).unwrap()[0];
    assert_eq!((r.score, r.band.id.as_str()), (Some(40.0), "red"));
    assert_eq!(r.children[0].account_id, "us");
    // us's best lever: b 4 → 10 adds 45 to us, but the parent rises only
    // to the next-worst child (apac, 60): +20.
    assert_eq!(r.levers.len(), 1);
    assert_eq!(
        (
            r.levers[0].account_id.as_str(),
            r.levers[0].measure_id.as_str()
        ),
        ("us", "b")
    );
    close(r.levers[0].points, 20.0);
    // A child without a value: equal weights, (90 + 40 + 60) / 3.
    let mut cs = cards();
    cs[1].value = None;
    let mean = RollupOptions {
        method: RollupMethod::Mean,
        ..worst
    };
    let r = &m.rollup(&cs, &mean).unwrap()[0];
    assert_eq!(r.weighting, "equal");
    close(r.score.unwrap(), 190.0 / 3.0);
}

#[test]
fn parents_of_parents_roll_up_bottom_up() {
    let m = a_and_b(json!({}));
    let opts = RollupOptions {
        parents: parents(&[
            ("eu", "europe"),
            ("us", "globex"),
            ("apac", "globex"),
            ("europe", "globex"),
        ]),
        method: RollupMethod::Mean,
    };
    let all = m.rollup(&cards(), &opts).unwrap();
    assert_eq!(
        all.iter()
            .map(|r| r.account_id.as_str())
            .collect::<Vec<_>>(),
        ["europe", "globex"]
    );
    close(all[0].score.unwrap(), 90.0);
    // europe (value 300, score 90) is a child of globex: the same 67.
    close(all[1].score.unwrap(), 67.0);
    // The lever still names the account to act on, not the middle parent.
    assert_eq!(all[1].levers[0].account_id, "apac");
}

#[test]
fn cycles_and_orphans_are_coded_errors() {
    let m = a_and_b(json!({}));
    let opts = RollupOptions {
        parents: parents(&[("eu", "globex"), ("globex", "eu"), ("ghost", "globex")]),
        method: RollupMethod::Mean,
    };
    let mut got: Vec<(String, String)> = m
        .rollup(&cards(), &opts)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.code, e.path))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("cycle".to_string(), "parents.eu".to_string()),
            ("cycle".into(), "parents.globex".into()),
            ("orphan".into(), "parents.ghost".into()),
        ]
    );
    // A chain deeper than 100 levels is refused, not walked.
    let chain: Vec<(String, String)> = (0..101)
        .map(|i| (format!("l{i}"), format!("l{}", i + 1)))
        .collect();
    let mut deep: BTreeMap<String, String> = chain.into_iter().collect();
    deep.insert("eu".into(), "l0".into());
    let e = m
        .rollup(
            &cards(),
            &RollupOptions {
                parents: deep,
                method: RollupMethod::Mean,
            },
        )
        .unwrap_err();
    assert!(
        e.iter()
            .any(|e| e.code == "too_large" && e.path == "parents.eu"),
        "{e:?}"
    );
    // Two scorecards of one child: which one counts would be a guess.
    let mut twice = cards();
    twice.push(twice[0].clone());
    let opts = RollupOptions {
        parents: parents(&[("eu", "globex")]),
        method: RollupMethod::Mean,
    };
    let e = m.rollup(&twice, &opts).unwrap_err();
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("duplicate_id", "scorecards[3]")
    );
    let other = a_and_b(json!({ "id": "other" }));
    let opts = RollupOptions {
        parents: parents(&[("eu", "globex")]),
        method: RollupMethod::Mean,
    };
    let e = other.rollup(&cards(), &opts).unwrap_err();
    assert_eq!(e[0].code, "model_mismatch");
}

#[test]
fn equal_children_give_exactly_their_score() {
    // Three children at 50 (a 5, b 5), values 1: the mean is 50 exactly, so
    // the parent is amber (from 50), not red through rounding.
    let m = a_and_b(json!({}));
    let cs: Vec<Scorecard> = (0..3)
        .map(|i| {
            score(
                &m,
                json!({ "id": format!("c{i}"), "value": 1, "values": { "a": 5, "b": 5 } }),
            )
        })
        .collect();
    let opts = RollupOptions {
        parents: parents(&[("c0", "p"), ("c1", "p"), ("c2", "mid"), ("mid", "p")]),
        method: RollupMethod::Mean,
    };
    let all = m.rollup(&cs, &opts).unwrap();
    assert!(
        all.iter()
            .all(|r| r.score == Some(50.0) && r.band.id == "amber"),
        "{all:?}"
    );
}

#[test]
fn rows_and_links_in_any_order_equal_the_options_form() {
    use customer_health::portfolio::{RollupInput, RollupRow};
    let m = a_and_b(json!({}));
    let cards = cards();
    let pairs = [
        ("eu", "acme"),
        ("us", "acme"),
        ("apac", "acme"),
        ("acme", "group"),
    ];
    let opts = RollupOptions {
        parents: parents(&pairs),
        method: RollupMethod::Mean,
    };
    let expected = m.rollup(&cards, &opts).unwrap();
    let inputs: Vec<RollupInput> = cards.iter().map(RollupInput::from).collect();
    let rows: Vec<RollupRow> = inputs.iter().map(RollupRow::from).collect();
    // Links in reverse order give the same parents, children in id order.
    let reversed: Vec<(&str, &str)> = pairs.iter().rev().copied().collect();
    let got = m.rollup_rows(&rows, &reversed, RollupMethod::Mean).unwrap();
    assert_eq!(got, expected);
    let acme = got.iter().find(|r| r.account_id == "acme").unwrap();
    // (300·90 + 100·40 + 600·60) / 1000 = 67.
    assert!((acme.score.unwrap() - 67.0).abs() < 1e-9);
    // A child linked twice is refused at its path, whatever the order.
    let twice = [("us", "acme"), ("eu", "acme"), ("us", "other")];
    let e = m
        .rollup_rows(&rows, &twice, RollupMethod::Mean)
        .unwrap_err();
    assert_eq!(e[0].code, "duplicate_id");
    assert_eq!(e[0].path, "parents.us");
}

#[test]
fn rows_in_the_links_order_join_as_the_sorted_walk_does() {
    use customer_health::portfolio::{RollupInput, RollupRow};
    let m = a_and_b(json!({}));
    let inputs: Vec<RollupInput> = cards().iter().map(RollupInput::from).collect();
    let rows: Vec<RollupRow> = inputs.iter().map(RollupRow::from).collect();
    // Each row's link in the rows' order (row i is link i: no sort of the
    // rows), and the same links in another order (the rows sorted and walked).
    let same: Vec<(&str, &str)> = rows.iter().map(|r| (r.account_id, "acme")).collect();
    let other: Vec<(&str, &str)> = same.iter().rev().copied().collect();
    let a = m.rollup_rows(&rows, &same, RollupMethod::Mean).unwrap();
    let b = m.rollup_rows(&rows, &other, RollupMethod::Mean).unwrap();
    assert_eq!(a, b);
    assert!((a[0].score.unwrap() - 67.0).abs() < 1e-9);
    // A scorecard given twice: refused at the second one's index, in the
    // scorecards' order, however the links come.
    let mut twice = rows.clone();
    twice.push(rows[1]);
    twice.push(rows[0]);
    for links in [&same, &other] {
        let e = m
            .rollup_rows(&twice, links, RollupMethod::Mean)
            .unwrap_err();
        let got: Vec<(&str, &str)> = e
            .iter()
            .map(|e| (e.code.as_str(), e.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("duplicate_id", "scorecards[3]"),
                ("duplicate_id", "scorecards[4]")
            ]
        );
    }
    // A scorecard that no link names is read by nobody (and no error).
    let extra = [rows[0], rows[1]];
    let one = [(rows[0].account_id, "acme")];
    let r = m.rollup_rows(&extra, &one, RollupMethod::Mean).unwrap();
    assert_eq!(r[0].child_count, 1);
    assert_eq!(r[0].score, rows[0].score);
}
