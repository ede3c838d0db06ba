//! Reading and checking one rule: the seven rule types, their output ranges.

use super::parse::list;
use super::spec::*;
use crate::error::{field, index};
use crate::read::{self, number, numbers, Obj, Problems};
use serde_json::Value;
use std::collections::BTreeMap;

/// The seven rule types.
pub const RULE_TYPES: &[&str] = &[
    "steps",
    "linear",
    "perEvent",
    "flag",
    "scale",
    "percentile",
    "match",
];

const STEPS_FIELDS: &[&str] = &["type", "thresholds", "scores"];
const LINEAR_FIELDS: &[&str] = &["type", "points"];
const PER_EVENT_FIELDS: &[&str] = &["type", "points", "maxEvents"];
const FLAG_FIELDS: &[&str] = &["type", "ifTrue", "ifFalse"];
const SCALE_FIELDS: &[&str] = &["type", "min", "max"];
const MATCH_FIELDS: &[&str] = &["type", "scores", "otherwise"];
const PERCENTILE_FIELDS: &[&str] = &["type", "quantiles"];

/// Reads a rule and checks it on its own (sorted thresholds, flat ranges…).
pub(crate) fn rule(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let ty = match v {
        Value::Object(map) => match map.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => {
                p.push(
                    "wrong_type",
                    &field(path, "type"),
                    format!("a rule's type must be a string, not {}", read::kind(other)),
                    format!("use one of: {}", RULE_TYPES.join(", ")),
                );
                return None;
            }
            None => {
                p.push(
                    "missing_field",
                    &field(path, "type"),
                    "a rule needs a `type`",
                    format!("add \"type\": one of {}", RULE_TYPES.join(", ")),
                );
                return None;
            }
        },
        _ => {
            Obj::new(v, path, "a rule", &[], p);
            return None;
        }
    };
    let before = p.len();
    let rule = match ty.as_str() {
        "steps" => steps(v, path, p),
        "linear" => linear(v, path, p),
        "perEvent" => per_event(v, path, p),
        "flag" => flag(v, path, p),
        "scale" => scale(v, path, p),
        "percentile" => percentile(v, path, p),
        "match" => match_rule(v, path, p),
        other => {
            let hint = read::closest(other, RULE_TYPES)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            p.push(
                "unknown_rule_type",
                &field(path, "type"),
                format!("`{other}` is not a rule type"),
                format!("{hint}the rule types are: {}", RULE_TYPES.join(", ")),
            );
            None
        }
    }?;
    if p.len() > before {
        return None;
    }
    if let Some((lo, hi)) = bounds(&rule) {
        if lo == hi {
            p.push(
                "flat_rule",
                path,
                format!("this rule always gives {lo}, so it cannot tell accounts apart"),
                "give the rule at least two different scores",
            );
            return None;
        }
    }
    Some(rule)
}

/// The rule's output range `(min, max)`, or `None` when it has no bound
/// (perEvent without maxEvents).
pub(crate) fn bounds(rule: &Rule) -> Option<(f64, f64)> {
    let span = |xs: &mut dyn Iterator<Item = f64>| {
        xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        })
    };
    Some(match rule {
        Rule::Steps { scores, .. } => span(&mut scores.iter().copied()),
        Rule::Linear { points } => span(&mut points.iter().map(|p| p[1])),
        Rule::PerEvent { points, max_events } => {
            let end = points * (*max_events)? as f64;
            (end.min(0.0), end.max(0.0))
        }
        Rule::Flag { if_true, if_false } => (if_true.min(*if_false), if_true.max(*if_false)),
        Rule::Scale { min, max } => (*min, *max),
        // A rank runs from 0 to 100 whatever the reference's ties.
        Rule::Percentile { .. } => (0.0, 100.0),
        Rule::Match { scores, otherwise } => span(&mut scores.values().copied().chain(*otherwise)),
    })
}

/// A measure's output range: its rule's, widened to include the
/// `missingScore` of a measure that imputes missing values.
pub(crate) fn measure_bounds(m: &MeasureSpec) -> Option<(f64, f64)> {
    let (lo, hi) = bounds(&m.rule)?;
    Some(match (m.missing, m.missing_score) {
        (MissingPolicy::Impute, Some(s)) => (lo.min(s), hi.max(s)),
        _ => (lo, hi),
    })
}

/// The rule with every output `y` replaced by `f(y)` (an increasing map,
/// such as a scale: fitting weights into a points model). A `scale` rule
/// becomes the `linear` rule it equals, since its outputs are its inputs.
#[cfg_attr(not(feature = "calibrate"), allow(dead_code))]
pub(crate) fn map_outputs(rule: &Rule, f: impl Fn(f64) -> f64) -> Rule {
    match rule {
        Rule::Steps { thresholds, scores } => Rule::Steps {
            thresholds: thresholds.clone(),
            scores: scores.iter().map(|s| f(*s)).collect(),
        },
        Rule::Linear { points } => Rule::Linear {
            points: points.iter().map(|[x, y]| [*x, f(*y)]).collect(),
        },
        Rule::PerEvent { points, max_events } => Rule::PerEvent {
            points: f(*points),
            max_events: *max_events,
        },
        Rule::Flag { if_true, if_false } => Rule::Flag {
            if_true: f(*if_true),
            if_false: f(*if_false),
        },
        Rule::Scale { min, max } => Rule::Linear {
            points: vec![[*min, f(*min)], [*max, f(*max)]],
        },
        Rule::Percentile { quantiles } => Rule::Linear {
            points: percentile_points(quantiles)
                .map(|[x, y]| [x, f(y)])
                .collect(),
        },
        Rule::Match { scores, otherwise } => Rule::Match {
            scores: scores.iter().map(|(key, s)| (key.clone(), f(*s))).collect(),
            otherwise: otherwise.map(&f),
        },
    }
}

/// The output range of a rule without bounds (a per-event rule without
/// `maxEvents`, allowed in a points model with an explicit `range` of
/// `width`): a penalty down to −width, a reward up to width.
pub(crate) fn open_bounds(rule: &Rule, width: f64) -> (f64, f64) {
    match rule {
        Rule::PerEvent { points, .. } if *points < 0.0 => (-width, 0.0),
        _ => (0.0, width),
    }
}

fn increasing(xs: &[f64], path: &str, what: &str, code: &str, p: &mut Problems) -> bool {
    for i in 1..xs.len() {
        if xs[i] <= xs[i - 1] {
            p.push(
                code,
                &index(path, i),
                format!(
                    "{what} {} does not come after {} (they must be strictly increasing)",
                    xs[i],
                    xs[i - 1]
                ),
                format!("sort the {what}s from low to high, each different from the one before"),
            );
            return false;
        }
    }
    true
}

fn steps(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a steps rule", STEPS_FIELDS, p)?;
    let thresholds = o.req(
        "thresholds",
        "the edges between steps, e.g. [3, 6]",
        p,
        numbers,
    );
    let scores = o.req("scores", "one score per step, e.g. [5, 3, 1]", p, numbers);
    let (thresholds, scores) = (thresholds?, scores?);
    if !increasing(
        &thresholds,
        &o.path_of("thresholds"),
        "threshold",
        "thresholds_not_increasing",
        p,
    ) {
        return None;
    }
    if thresholds.is_empty() || scores.len() != thresholds.len() + 1 {
        p.push(
            "steps_length_mismatch",
            &o.path_of("scores"),
            format!("{} thresholds need {} scores, found {}", thresholds.len(), thresholds.len() + 1, scores.len()),
            "give at least one threshold, and one score for below the first threshold plus one per threshold",
        );
        return None;
    }
    Some(Rule::Steps { thresholds, scores })
}

fn linear(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a linear rule", LINEAR_FIELDS, p)?;
    let pts_path = o.path_of("points");
    let pts = o.req(
        "points",
        "(value, score) pairs, e.g. [[0, 10], [60, 30]]",
        p,
        |v, path, p| {
            list(v, path, p, |v, path, p| {
                let xy = numbers(v, path, p)?;
                if xy.len() != 2 {
                    p.push(
                        "invalid_value",
                        path,
                        "a point is [value, score]",
                        "write each point as a pair, e.g. [60, 30]",
                    );
                    return None;
                }
                Some([xy[0], xy[1]])
            })
        },
    )?;
    if pts.len() < 2 {
        p.push(
            "too_few_points",
            &pts_path,
            "a linear rule needs at least two points",
            "give the value and score at each end, e.g. [[0, 10], [60, 30]]",
        );
        return None;
    }
    for i in 1..pts.len() {
        if pts[i][0] <= pts[i - 1][0] {
            p.push(
                "points_not_increasing",
                &index(&pts_path, i),
                format!("value {} does not come after {} (point values must be strictly increasing)", pts[i][0], pts[i - 1][0]),
                "sort the points by value, each value different from the one before; a falling score is written with falling scores, not falling values",
            );
            return None;
        }
    }
    Some(Rule::Linear { points: pts })
}

fn percentile(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a percentile rule", PERCENTILE_FIELDS, p)?;
    let at = o.path_of("quantiles");
    let quantiles = o.req(
        "quantiles",
        "the reference values at evenly spaced percentiles, e.g. [0, 3, 8, 20, 95] (quantiles())",
        p,
        numbers,
    )?;
    if let Some(i) = (1..quantiles.len()).find(|&i| quantiles[i] < quantiles[i - 1]) {
        p.push(
            "points_not_increasing",
            &index(&at, i),
            format!(
                "quantile {} comes after {}, which is larger",
                quantiles[i],
                quantiles[i - 1]
            ),
            "list the quantiles from the lowest (0th percentile) to the highest (100th)",
        );
        return None;
    }
    if percentile_points(&quantiles).count() < 2 {
        p.push(
            "too_few_points",
            &at,
            "a percentile rule needs at least two different quantiles",
            "compute the quantiles from a portfolio where the measure varies (quantiles())",
        );
        return None;
    }
    Some(Rule::Percentile { quantiles })
}

fn per_event(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a perEvent rule", PER_EVENT_FIELDS, p)?;
    let points = o.req("points", "points per event, e.g. -15", p, number);
    let max_events = o.opt("maxEvents", p, |v, path, p| match v.as_f64() {
        Some(x) if x >= 1.0 && x.fract() == 0.0 && x <= 1e9 => Some(x as u64),
        _ => {
            p.push(
                "invalid_max_events",
                path,
                format!("maxEvents must be a whole number from 1, found {v}"),
                "count events up to a cap such as 3",
            );
            None
        }
    });
    let points = points?;
    if points == 0.0 {
        p.push(
            "flat_rule",
            &o.path_of("points"),
            "0 points per event never changes a score",
            "give a positive or negative number of points",
        );
        return None;
    }
    Some(Rule::PerEvent {
        points,
        max_events: max_events?,
    })
}

fn flag(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a flag rule", FLAG_FIELDS, p)?;
    let if_true = o.req(
        "ifTrue",
        "the score when the flag is true, e.g. 5",
        p,
        number,
    );
    let if_false = o.opt("ifFalse", p, number);
    Some(Rule::Flag {
        if_true: if_true?,
        if_false: if_false?.unwrap_or(0.0),
    })
}

fn scale(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a scale rule", SCALE_FIELDS, p)?;
    let min = o.req("min", "the lowest value on the scale, e.g. 1", p, number);
    let max = o.req("max", "the highest value on the scale, e.g. 5", p, number);
    let (min, max) = (min?, max?);
    if min > max {
        p.push(
            "invalid_value",
            &o.path_of("max"),
            format!("max {max} is below min {min}"),
            "a scale runs from min up to max; a scale where lower is better is a linear rule with falling scores",
        );
        return None;
    }
    Some(Rule::Scale { min, max })
}

fn match_rule(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let o = Obj::new(v, path, "a match rule", MATCH_FIELDS, p)?;
    let scores_path = o.path_of("scores");
    let scores = o.req(
        "scores",
        "a score per value, e.g. { \"Two year\": 100, \"Month-to-month\": 0 }",
        p,
        |v, path, p| {
            let map = match v {
                Value::Object(m) => m,
                other => {
                    p.push(
                        "wrong_type",
                        path,
                        format!("scores must be an object, not {}", read::kind(other)),
                        "map each value to its score",
                    );
                    return None;
                }
            };
            let mut out = BTreeMap::new();
            let mut ok = true;
            for (k, v) in map {
                match number(v, &field(path, k), p) {
                    Some(x) => {
                        out.insert(k.clone(), x);
                    }
                    None => ok = false,
                }
            }
            ok.then_some(out)
        },
    );
    let otherwise = o.opt("otherwise", p, number);
    let scores = scores?;
    if scores.is_empty() {
        p.push(
            "empty_match",
            &scores_path,
            "a match rule needs at least one value",
            "map each expected value to its score",
        );
        return None;
    }
    Some(Rule::Match {
        scores,
        otherwise: otherwise?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The backticked names after "expected" in a serde error message.
    fn expected(message: &str) -> Vec<String> {
        let tail = &message[message.find("expected").expect(message)..];
        tail.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    /// serde reads the rule document too (`Model::from_spec`, the schema):
    /// the reader's type names and field lists must be serde's, so that a
    /// new field or rule type cannot be added to one and not the other.
    #[test]
    fn the_reader_knows_what_serde_knows() {
        let unknown_type = serde_json::from_value::<Rule>(serde_json::json!({ "type": "zzz" }))
            .unwrap_err()
            .to_string();
        assert_eq!(expected(&unknown_type), RULE_TYPES);
        for (ty, fields) in [
            ("steps", STEPS_FIELDS),
            ("linear", LINEAR_FIELDS),
            ("perEvent", PER_EVENT_FIELDS),
            ("flag", FLAG_FIELDS),
            ("scale", SCALE_FIELDS),
            ("percentile", PERCENTILE_FIELDS),
            ("match", MATCH_FIELDS),
        ] {
            let e = serde_json::from_value::<Rule>(serde_json::json!({ "type": ty, "zzz": 1 }))
                .unwrap_err()
                .to_string();
            let mut serde_fields = expected(&e);
            serde_fields.insert(0, "type".into());
            assert_eq!(serde_fields, fields, "{ty}: {e}");
        }
        // Rule::kind is serde's tag, for every type.
        for doc in [
            serde_json::json!({ "type": "steps", "thresholds": [1], "scores": [0, 1] }),
            serde_json::json!({ "type": "linear", "points": [[0, 0], [1, 1]] }),
            serde_json::json!({ "type": "perEvent", "points": -1 }),
            serde_json::json!({ "type": "flag", "ifTrue": 1 }),
            serde_json::json!({ "type": "scale", "min": 0, "max": 1 }),
            serde_json::json!({ "type": "percentile", "quantiles": [0, 1] }),
            serde_json::json!({ "type": "match", "scores": { "a": 1 } }),
        ] {
            let rule: Rule = serde_json::from_value(doc.clone()).unwrap();
            assert_eq!(doc["type"], rule.kind());
        }
    }
}
