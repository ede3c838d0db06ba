//! Checks that need the whole model: ids, weights, bands, caps and the range
//! of a points model. Every problem is reported with its path.

use super::rules::bounds;
use super::spec::*;
use super::INSUFFICIENT_DATA;
use crate::read::Problems;
use std::collections::HashMap;

pub(crate) fn min_coverage(min: f64, p: &mut Problems) {
    if !(0.0..=1.0).contains(&min) {
        p.push(
            "invalid_min_coverage",
            "minCoverage",
            format!("minCoverage {min} is outside 0..1"),
            "minCoverage is the share of the total weight that must be present, e.g. 0.5",
        );
    }
}

pub(crate) fn structure(categories: &[CategorySpec], p: &mut Problems) {
    if categories.is_empty() {
        p.push(
            "empty_categories",
            "categories",
            "the model has no categories",
            "add at least one category with one measure",
        );
    }
    let mut cat_ids: HashMap<&str, usize> = HashMap::new();
    let mut measure_ids: HashMap<&str, (usize, usize)> = HashMap::new();
    for (ci, c) in categories.iter().enumerate() {
        if let Some(first) = cat_ids.insert(&c.id, ci) {
            cat_ids.insert(&c.id, first);
            p.push(
                "duplicate_id",
                &format!("categories[{ci}].id"),
                format!(
                    "category id `{}` is already used by categories[{first}]",
                    c.id
                ),
                "give every category its own id",
            );
        }
        if c.measures.is_empty() {
            p.push(
                "empty_measures",
                &format!("categories[{ci}].measures"),
                format!("category `{}` has no measures", c.id),
                "add a measure to it or remove the category",
            );
        }
        for (mi, ms) in c.measures.iter().enumerate() {
            if let Some((fc, fm)) = measure_ids.insert(&ms.id, (ci, mi)) {
                measure_ids.insert(&ms.id, (fc, fm));
                p.push(
                    "duplicate_id",
                    &format!("categories[{ci}].measures[{mi}].id"),
                    format!("measure id `{}` is already used by categories[{fc}].measures[{fm}]", ms.id),
                    "measure ids are the keys of an account's values, so each must be unique in the model",
                );
            }
        }
    }
}

pub(crate) fn weighted(categories: &[CategorySpec], has_range: bool, p: &mut Problems) {
    if has_range {
        p.push(
            "range_in_weighted_model",
            "range",
            "a weighted model has no range: its score is already 0..100",
            "remove `range`, or set \"aggregation\": \"points\"",
        );
    }
    let mut any_category_weight = false;
    let mut all_category_weights = true;
    for (ci, c) in categories.iter().enumerate() {
        match c.weight {
            None => {
                all_category_weights = false;
                p.push(
                    "missing_weight",
                    &format!("categories[{ci}].weight"),
                    format!("category `{}` has no weight", c.id),
                    "in a weighted model every category has a relative weight, e.g. 50",
                );
            }
            Some(w) => any_category_weight |= w > 0.0,
        }
        let mut any_measure_weight = false;
        let mut all_measure_weights = true;
        for (mi, ms) in c.measures.iter().enumerate() {
            let path = format!("categories[{ci}].measures[{mi}]");
            match ms.weight {
                None => {
                    all_measure_weights = false;
                    p.push(
                        "missing_weight",
                        &format!("{path}.weight"),
                        format!("measure `{}` has no weight", ms.id),
                        "in a weighted model every measure has a relative weight within its category, e.g. 1",
                    );
                }
                Some(w) => any_measure_weight |= w > 0.0,
            }
            if bounds(&ms.rule).is_none() {
                p.push(
                    "unbounded_rule",
                    &format!("{path}.rule"),
                    "a perEvent rule without maxEvents has no maximum, so it cannot be normalised in a weighted model",
                    "add \"maxEvents\", e.g. 3",
                );
            }
        }
        if all_measure_weights && !c.measures.is_empty() && !any_measure_weight {
            p.push(
                "zero_weights",
                &format!("categories[{ci}].measures"),
                format!("every measure of category `{}` has weight 0", c.id),
                "give at least one measure a positive weight, or remove the category",
            );
        }
    }
    if all_category_weights && !categories.is_empty() && !any_category_weight {
        p.push(
            "zero_weights",
            "categories",
            "every category has weight 0",
            "give at least one category a positive weight",
        );
    }
}

pub(crate) fn points(categories: &[CategorySpec], has_range: bool, p: &mut Problems) {
    for (ci, c) in categories.iter().enumerate() {
        if c.weight.is_some() {
            p.push(
                "weight_in_points_model",
                &format!("categories[{ci}].weight"),
                "in a points model the rules' outputs are the points, so categories carry no weight",
                "remove `weight`, or set \"aggregation\": \"weighted\"",
            );
        }
        if c.combine != Combine::Average {
            p.push(
                "combine_in_points_model",
                &format!("categories[{ci}].combine"),
                "a points model adds up its measures' points; it cannot combine them by min or max",
                "remove `combine`, or set \"aggregation\": \"weighted\"",
            );
        }
        for (mi, ms) in c.measures.iter().enumerate() {
            let path = format!("categories[{ci}].measures[{mi}]");
            if ms.weight.is_some() {
                p.push(
                    "weight_in_points_model",
                    &format!("{path}.weight"),
                    "in a points model the rule's output is the points, so a measure carries no weight",
                    "remove `weight`: scale the rule's scores instead",
                );
            }
            if !has_range && bounds(&ms.rule).is_none() {
                p.push(
                    "range_not_derivable",
                    &format!("{path}.rule"),
                    "this perEvent rule has no maxEvents, so the model's range cannot be derived from its rules",
                    "add \"maxEvents\" to the rule, or give the model an explicit \"range\": [lo, hi]",
                );
            }
        }
    }
}

pub(crate) fn bands(bands: &[BandSpec], p: &mut Problems) {
    if bands.is_empty() {
        p.push(
            "empty_bands",
            "bands",
            "the model has no bands",
            "add bands, the first with \"from\": 0",
        );
        return;
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut prev: Option<f64> = None;
    for (i, b) in bands.iter().enumerate() {
        let path = format!("bands[{i}]");
        if b.id == INSUFFICIENT_DATA {
            p.push(
                "reserved_id",
                &format!("{path}.id"),
                "`insufficient_data` is the band of a result with too little data",
                "choose another id",
            );
        }
        if let Some(first) = ids.insert(&b.id, i) {
            ids.insert(&b.id, first);
            p.push(
                "duplicate_id",
                &format!("{path}.id"),
                format!("band id `{}` is already used by bands[{first}]", b.id),
                "give every band its own id",
            );
        }
        let (edge, key) = match (b.from, b.above) {
            (Some(f), None) => (f, "from"),
            (None, Some(a)) => (a, "above"),
            _ => continue,
        };
        if i == 0 && (key != "from" || edge != 0.0) {
            p.push(
                "bands_not_from_zero",
                &format!("{path}.{key}"),
                "the first band must start with \"from\": 0 so that every score has a band",
                "write \"from\": 0 on the lowest band",
            );
        }
        let top_ok = if key == "from" {
            edge <= 100.0
        } else {
            edge < 100.0
        };
        if edge < 0.0 || !top_ok {
            p.push(
                "band_out_of_range",
                &format!("{path}.{key}"),
                format!(
                    "a band starting {key} {edge} can never be reached: scores run from 0 to 100"
                ),
                "put every band edge within 0..100",
            );
        }
        if let Some(before) = prev {
            if edge <= before {
                p.push(
                    "bands_out_of_order",
                    &format!("{path}.{key}"),
                    format!(
                        "band edge {edge} does not come after the previous band's edge {before}"
                    ),
                    "list bands from lowest to highest, each edge above the one before",
                );
            }
        }
        prev = Some(edge);
    }
}

pub(crate) fn caps(categories: &[CategorySpec], caps: &[CapSpec], p: &mut Problems) {
    let rules = rules_by_measure(categories);
    for (i, cap) in caps.iter().enumerate() {
        condition(
            &rules,
            &cap.when,
            &format!("caps[{i}].when"),
            "invalid_cap",
            p,
        );
    }
}

/// Each override's conditions name measures of the model and compare them
/// with values their rules can tell apart.
pub(crate) fn overrides(categories: &[CategorySpec], overrides: &[OverrideSpec], p: &mut Problems) {
    let rules = rules_by_measure(categories);
    for (i, o) in overrides.iter().enumerate() {
        for (key, list) in [("all", &o.when.all), ("any", &o.when.any)] {
            for (j, c) in list.iter().flatten().enumerate() {
                let path = format!("overrides[{i}].when.{key}[{j}]");
                condition(&rules, c, &path, "invalid_override", p);
            }
        }
    }
}

fn rules_by_measure(categories: &[CategorySpec]) -> HashMap<&str, &Rule> {
    categories
        .iter()
        .flat_map(|c| c.measures.iter())
        .map(|ms| (ms.id.as_str(), &ms.rule))
        .collect()
}

/// One condition `{ measure, op, value }` at `path`.
fn condition(
    rules: &HashMap<&str, &Rule>,
    when: &Condition,
    path: &str,
    code: &str,
    p: &mut Problems,
) {
    let Some(rule) = rules.get(when.measure.as_str()) else {
        p.push(
            "unknown_measure",
            &format!("{path}.measure"),
            format!("the model has no measure `{}`", when.measure),
            "name a measure id defined in the model's categories",
        );
        return;
    };
    let equality = matches!(when.op, Op::Eq | Op::Ne);
    if let (CapValue::Text(t), Reads::Text { scores, .. }) = (&when.value, rule.reads()) {
        if equality && !scores.contains_key(t) {
            let known: Vec<&str> = scores.keys().map(String::as_str).take(10).collect();
            p.push(
                code,
                &format!("{path}.value"),
                format!(
                    "the match rule of `{}` does not list `{t}`, so this condition compares with a value the rule cannot tell apart",
                    when.measure
                ),
                format!("compare with one of the rule's values ({}), or add `{t}` to its scores", known.join(", ")),
            );
            return;
        }
    }
    let fits = match (&when.value, rule.reads()) {
        (CapValue::Bool(_), Reads::Flag) => equality,
        (CapValue::Text(_), Reads::Text { .. }) => equality,
        (CapValue::Number(_), Reads::Number) => true,
        _ => false,
    };
    if !fits {
        let want = match rule.reads() {
            Reads::Flag => "true or false, with == or !=",
            Reads::Text { .. } => "a text value, with == or !=",
            Reads::Number => "a number",
        };
        p.push(
            code,
            &format!("{path}.value"),
            format!(
                "a condition on the {} measure `{}` cannot compare with {} using {}",
                rule.kind(),
                when.measure,
                serde_json::to_string(&when.value).unwrap_or_default(),
                when.op.as_str()
            ),
            format!("compare this measure with {want}"),
        );
    }
}

pub(crate) fn playbooks(books: &[Playbook], bands: &[BandSpec], p: &mut Problems) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, b) in books.iter().enumerate() {
        if let Some(first) = ids.insert(&b.id, i) {
            ids.insert(&b.id, first);
            p.push(
                "duplicate_id",
                &format!("playbooks[{i}].id"),
                format!(
                    "playbook id `{}` is already used by playbooks[{first}]",
                    b.id
                ),
                "give every playbook rule its own id",
            );
        }
        for (j, band) in b.when.bands.iter().flatten().enumerate() {
            if band != INSUFFICIENT_DATA && !bands.iter().any(|x| &x.id == band) {
                let known: Vec<&str> = bands.iter().map(|x| x.id.as_str()).collect();
                p.push(
                    "unknown_band",
                    &format!("playbooks[{i}].when.bands[{j}]"),
                    format!("the model has no band `{band}`"),
                    format!("use one of: {}, insufficient_data", known.join(", ")),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (b.when.min_value, b.when.max_value) {
            if lo >= hi {
                p.push(
                    "invalid_value",
                    &format!("playbooks[{i}].when.maxValue"),
                    format!("maxValue {hi} is not above minValue {lo}"),
                    "give a value range with minValue below maxValue",
                );
            }
        }
    }
}
