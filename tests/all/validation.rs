//! Every validation error code, with its path into the caller's document.

use crate::common::*;
use customer_health::Model;
use serde_json::{json, Value};

fn base() -> Value {
    composite([50.0, 30.0, 20.0])
}

fn with(mut doc: Value, pointer: &str, v: Value) -> Value {
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = v;
    doc
}

#[track_caller]
fn expect(doc: Value, code: &str, path: &str) {
    let got = problems(doc);
    assert!(
        got.iter().any(|(c, p)| c == code && p == path),
        "expected {code} at {path}, got {got:?}"
    );
}

#[test]
fn the_base_model_is_valid() {
    assert_eq!(problems(base()), vec![]);
}

#[test]
fn invalid_json_and_version() {
    let e = Model::from_json("{ \"version\": 1, ").unwrap_err();
    assert_eq!(e.first().code, "invalid_json");
    expect(
        with(base(), "/version", json!(2)),
        "unsupported_version",
        "version",
    );
    expect(
        with(base(), "/version", json!("1")),
        "unsupported_version",
        "version",
    );
    let mut doc = base();
    doc.as_object_mut().unwrap().remove("version");
    expect(doc, "missing_field", "version");
    expect(json!([1, 2]), "wrong_type", "");
}

#[test]
fn unknown_fields_are_rejected_everywhere() {
    let mut doc = base();
    doc["colour"] = json!("red");
    doc["categories"][1]["wieght"] = json!(3);
    doc["categories"][2]["measures"][0]["rule"]["maximum"] = json!(5);
    doc["bands"][0]["to"] = json!(50);
    let got = problems(doc);
    for path in [
        "colour",
        "categories[1].wieght",
        "categories[2].measures[0].rule.maximum",
        "bands[0].to",
    ] {
        assert!(
            got.contains(&("unknown_field".into(), path.into())),
            "{path}: {got:?}"
        );
    }
    // The typo gets a suggestion.
    let mut doc = base();
    doc["categories"][1]["wieght"] = json!(3);
    let e = Model::validate(&doc.to_string());
    assert!(
        e.iter().any(|e| e.help.contains("did you mean `weight`")),
        "{e:?}"
    );
}

#[test]
fn every_mistake_is_reported_not_just_the_first() {
    let mut doc = base();
    doc["categories"][0]["weight"] = json!(-1);
    doc["categories"][2]["measures"][0]["rule"] = json!({ "type": "stepz" });
    doc["bands"][1]["from"] = json!(120);
    let got = problems(doc);
    assert!(
        got.contains(&("negative_weight".into(), "categories[0].weight".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "unknown_rule_type".into(),
            "categories[2].measures[0].rule.type".into()
        )),
        "{got:?}"
    );
    // Bands are checked even though categories had problems.
    assert!(
        got.contains(&("band_out_of_range".into(), "bands[1].from".into())),
        "{got:?}"
    );
}

#[test]
fn rule_errors() {
    let rule = "/categories/1/measures/0/rule";
    let at = "categories[1].measures[0].rule";
    expect(
        with(base(), rule, json!({ "type": "sigmoid" })),
        "unknown_rule_type",
        &format!("{at}.type"),
    );
    expect(
        with(base(), rule, json!({ "min": 1 })),
        "missing_field",
        &format!("{at}.type"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "steps", "thresholds": [6, 3], "scores": [1, 2, 3] }),
        ),
        "thresholds_not_increasing",
        &format!("{at}.thresholds[1]"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "steps", "thresholds": [3, 3], "scores": [1, 2, 3] }),
        ),
        "thresholds_not_increasing",
        &format!("{at}.thresholds[1]"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "steps", "thresholds": [3, 6], "scores": [1, 2] }),
        ),
        "steps_length_mismatch",
        &format!("{at}.scores"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "linear", "points": [[0, 10], [60, 30], [60, 40]] }),
        ),
        "points_not_increasing",
        &format!("{at}.points[2]"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "linear", "points": [[60, 30], [0, 10]] }),
        ),
        "points_not_increasing",
        &format!("{at}.points[1]"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "linear", "points": [[0, 10]] }),
        ),
        "too_few_points",
        &format!("{at}.points"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "linear", "points": [[0, 10], [5]] }),
        ),
        "invalid_value",
        &format!("{at}.points[1]"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "linear", "points": [[0, 10], [5, "x"]] }),
        ),
        "wrong_type",
        &format!("{at}.points[1][1]"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "linear", "points": [[0, 10], [60, 10]] }),
        ),
        "flat_rule",
        at,
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "perEvent", "points": -15, "maxEvents": 0 }),
        ),
        "invalid_max_events",
        &format!("{at}.maxEvents"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "perEvent", "points": -15, "maxEvents": 2.5 }),
        ),
        "invalid_max_events",
        &format!("{at}.maxEvents"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "perEvent", "points": 0, "maxEvents": 2 }),
        ),
        "flat_rule",
        &format!("{at}.points"),
    );
    expect(
        with(base(), rule, json!({ "type": "perEvent", "points": -15 })),
        "unbounded_rule",
        at,
    );
    expect(
        with(base(), rule, json!({ "type": "flag", "ifTrue": 0 })),
        "flat_rule",
        at,
    );
    expect(
        with(base(), rule, json!({ "type": "flag" })),
        "missing_field",
        &format!("{at}.ifTrue"),
    );
    expect(
        with(base(), rule, json!({ "type": "scale", "min": 5, "max": 1 })),
        "invalid_value",
        &format!("{at}.max"),
    );
    expect(
        with(base(), rule, json!({ "type": "scale", "min": 5, "max": 5 })),
        "flat_rule",
        at,
    );
    expect(
        with(base(), rule, json!({ "type": "match", "scores": {} })),
        "empty_match",
        &format!("{at}.scores"),
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "match", "scores": { "a": 1 } }),
        ),
        "flat_rule",
        at,
    );
    expect(
        with(
            base(),
            rule,
            json!({ "type": "match", "scores": { "Two year": "high", "b": 1 } }),
        ),
        "wrong_type",
        &format!("{at}.scores[\"Two year\"]"),
    );
}

#[test]
fn weight_errors() {
    let mut doc = base();
    doc["categories"][1]
        .as_object_mut()
        .unwrap()
        .remove("weight");
    expect(doc, "missing_weight", "categories[1].weight");
    let mut doc = base();
    doc["categories"][2]["measures"][0]
        .as_object_mut()
        .unwrap()
        .remove("weight");
    expect(doc, "missing_weight", "categories[2].measures[0].weight");
    expect(
        with(base(), "/categories/0/measures/0/weight", json!(-0.5)),
        "negative_weight",
        "categories[0].measures[0].weight",
    );
    expect(
        with(base(), "/categories/0/measures/0/weight", json!(0)),
        "zero_weights",
        "categories[0].measures",
    );
    let doc = with(
        with(
            with(base(), "/categories/0/weight", json!(0)),
            "/categories/1/weight",
            json!(0),
        ),
        "/categories/2/weight",
        json!(0),
    );
    expect(doc, "zero_weights", "categories");
    expect(
        with(base(), "/categories/0/weight", json!("50")),
        "wrong_type",
        "categories[0].weight",
    );
    let mut doc = base();
    doc["range"] = json!([0, 10]);
    expect(doc, "range_in_weighted_model", "range");
}

#[test]
fn structure_errors() {
    expect(
        with(base(), "/categories", json!([])),
        "empty_categories",
        "categories",
    );
    expect(
        with(base(), "/categories/1/measures", json!([])),
        "empty_measures",
        "categories[1].measures",
    );
    expect(
        with(base(), "/categories/2/id", json!("operational")),
        "duplicate_id",
        "categories[2].id",
    );
    expect(
        with(base(), "/categories/2/measures/0/id", json!("ops")),
        "duplicate_id",
        "categories[2].measures[0].id",
    );
    expect(
        with(base(), "/categories/0/id", json!("")),
        "invalid_value",
        "categories[0].id",
    );
    let mut doc = base();
    doc["categories"][0]["combine"] = json!("median");
    doc["categories"][0]["measures"][0]["missing"] = json!("zero");
    expect(doc.clone(), "invalid_value", "categories[0].combine");
    expect(doc, "invalid_value", "categories[0].measures[0].missing");
    let mut doc = base();
    doc["minCoverage"] = json!(1.5);
    expect(doc, "invalid_min_coverage", "minCoverage");
}

#[test]
fn band_errors() {
    expect(with(base(), "/bands", json!([])), "empty_bands", "bands");
    expect(
        with(base(), "/bands/0/from", json!(10)),
        "bands_not_from_zero",
        "bands[0].from",
    );
    let mut doc = base();
    doc["bands"][0] = json!({ "id": "action", "label": "A", "color": "#c0392b", "above": 0 });
    expect(doc, "bands_not_from_zero", "bands[0].above");
    expect(
        with(base(), "/bands/1/from", json!(90)),
        "bands_out_of_order",
        "bands[2].above",
    );
    expect(
        with(base(), "/bands/2/above", json!(50)),
        "bands_out_of_order",
        "bands[2].above",
    );
    expect(
        with(base(), "/bands/2/above", json!(100)),
        "band_out_of_range",
        "bands[2].above",
    );
    expect(
        with(base(), "/bands/1/from", json!(-5)),
        "band_out_of_range",
        "bands[1].from",
    );
    let mut doc = base();
    doc["bands"][1]["above"] = json!(50);
    expect(doc, "invalid_band_edge", "bands[1]");
    let mut doc = base();
    doc["bands"][1].as_object_mut().unwrap().remove("from");
    expect(doc, "invalid_band_edge", "bands[1]");
    expect(
        with(base(), "/bands/1/color", json!("orange")),
        "invalid_color",
        "bands[1].color",
    );
    expect(
        with(base(), "/bands/1/id", json!("insufficient_data")),
        "reserved_id",
        "bands[1].id",
    );
    expect(
        with(base(), "/bands/1/id", json!("action")),
        "duplicate_id",
        "bands[1].id",
    );
}

#[test]
fn points_model_errors() {
    let mut doc = points_model();
    doc["categories"][0]["weight"] = json!(1);
    doc["categories"][1]["measures"][0]["weight"] = json!(1);
    doc["categories"][2]["combine"] = json!("min");
    let got = problems(doc);
    for (code, path) in [
        ("weight_in_points_model", "categories[0].weight"),
        ("weight_in_points_model", "categories[1].measures[0].weight"),
        ("combine_in_points_model", "categories[2].combine"),
    ] {
        assert!(
            got.contains(&(code.into(), path.into())),
            "{code} {path}: {got:?}"
        );
    }
    // An unbounded rule and no range: the range cannot be derived.
    let doc = with(
        points_model(),
        "/categories/1/measures/0/rule",
        json!({ "type": "perEvent", "points": -15 }),
    );
    expect(
        doc.clone(),
        "range_not_derivable",
        "categories[1].measures[0].rule",
    );
    let mut ok = doc;
    ok["range"] = json!([-60, 60]);
    assert_eq!(problems(ok), vec![]);
    let mut doc = points_model();
    doc["range"] = json!([10, 10]);
    expect(doc, "invalid_range", "range");
    let mut doc = points_model();
    doc["range"] = json!([0]);
    expect(doc, "invalid_range", "range");
    let mut doc = points_model();
    doc["aggregation"] = json!("sum");
    expect(doc, "invalid_value", "aggregation");
}

#[test]
fn cap_errors() {
    let cap = |measure: &str, op: &str, value: Value| {
        let mut doc = base();
        doc["caps"] = json!([{ "when": { "measure": measure, "op": op, "value": value }, "max": 49, "reason": "r" }]);
        doc
    };
    expect(
        cap("p1Open", ">=", json!(1)),
        "unknown_measure",
        "caps[0].when.measure",
    );
    expect(cap("ops", "=>", json!(1)), "invalid_cap", "caps[0].when.op");
    expect(
        cap("ops", ">=", json!("1")),
        "invalid_cap",
        "caps[0].when.value",
    );
    expect(
        cap("ops", ">=", json!([1])),
        "wrong_type",
        "caps[0].when.value",
    );
    assert_eq!(problems(cap("ops", "<", json!(2))), vec![]);
    let mut doc = cap("ops", "<", json!(2));
    doc["caps"][0]["max"] = json!(120);
    expect(doc, "invalid_cap", "caps[0].max");
    let mut doc = cap("ops", "<", json!(2));
    doc["caps"][0].as_object_mut().unwrap().remove("reason");
    expect(doc, "missing_field", "caps[0].reason");
}

#[test]
fn numbers_too_large_for_a_model() {
    expect(
        with(base(), "/categories/0/weight", json!(1e300)),
        "invalid_value",
        "categories[0].weight",
    );
    expect(
        with(base(), "/categories/1/measures/0/rule/max", json!(-2e12)),
        "invalid_value",
        "categories[1].measures[0].rule.max",
    );
}

#[test]
fn every_listed_code_has_a_meaning_and_errors_have_help() {
    let codes: Vec<&str> = customer_health::error::codes::ALL
        .iter()
        .map(|(c, _)| *c)
        .collect();
    let mut doc = base();
    doc["x"] = json!(1);
    doc["categories"][0]["weight"] = json!(-1);
    for e in Model::validate(&doc.to_string()) {
        assert!(codes.contains(&e.code.as_str()), "unlisted code {}", e.code);
        assert!(!e.message.is_empty() && !e.help.is_empty());
    }
}
