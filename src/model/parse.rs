//! Reading a model document into [`ModelSpec`], reporting every structural
//! mistake (wrong types, missing or unknown fields, bad rules) with its path.
//! Checks that need the whole model (ids, bands, caps, ranges) are in
//! [`super::validate`].

use super::spec::*;
use super::validate;
use crate::error::index;
use crate::read::{self, array, choice, id, number, numbers, string, Obj, Problems};
use serde_json::Value;
use std::collections::BTreeMap;

const MODEL_FIELDS: &[&str] = &[
    "version",
    "id",
    "name",
    "description",
    "aggregation",
    "missing",
    "minCoverage",
    "range",
    "bands",
    "categories",
    "caps",
    "alerts",
    "playbooks",
    "$schema",
];
const ALERT_FIELDS: &[&str] = &[
    "bandMargin",
    "bandConfirm",
    "dropPoints",
    "dropWindowDays",
    "approachMargin",
    "trendWindowDays",
    "flatWithin",
    "changeWindowDays",
];
const PLAYBOOK_FIELDS: &[&str] = &["id", "label", "urgency", "when"];
const WHEN_FIELDS: &[&str] = &[
    "bands",
    "directions",
    "alerts",
    "segments",
    "minValue",
    "maxValue",
];
const ALERT_KINDS: &[&str] = &[
    "bandChanged",
    "scoreDropped",
    "decliningWhileHealthy",
    "approachingBand",
    "improving",
];
const BAND_FIELDS: &[&str] = &["id", "label", "color", "from", "above"];
const CATEGORY_FIELDS: &[&str] = &["id", "label", "weight", "combine", "measures"];
const MEASURE_FIELDS: &[&str] = &[
    "id",
    "label",
    "description",
    "weight",
    "missing",
    "rule",
    "halfLifeDays",
];
const CAP_FIELDS: &[&str] = &["when", "max", "reason"];
const CONDITION_FIELDS: &[&str] = &["measure", "op", "value"];

/// The six rule types.
pub const RULE_TYPES: &[&str] = &["steps", "linear", "perEvent", "flag", "scale", "match"];
const MISSING: &[&str] = &["skip", "neutral", "worst", "error"];

/// The largest magnitude a number in a model may have. Sums of weights,
/// spans and points then stay far from overflow and keep about 4 decimal
/// digits of precision below the point.
pub const MAX_MODEL_NUMBER: f64 = 1e12;

/// Reads a model document. `None` when something was wrong (see `p`).
pub(crate) fn model(doc: &Value, p: &mut Problems) -> Option<ModelSpec> {
    let before = p.len();
    too_large(doc, "", p);
    let o = Obj::new(doc, "", "a model", MODEL_FIELDS, p)?;
    let version = o.req(
        "version",
        "the format version, 1",
        p,
        |v, path, p| match v.as_u64() {
            Some(1) => Some(1u32),
            _ => {
                p.push(
                    "unsupported_version",
                    path,
                    format!("model version {v} is not supported"),
                    "this library reads \"version\": 1",
                );
                None
            }
        },
    );
    let model_id = o.req(
        "id",
        "a stable id for the model, such as \"composite-kpi\"",
        p,
        id,
    );
    let name = o.opt("name", p, string);
    let description = o.opt("description", p, string);
    let aggregation = o.opt("aggregation", p, |v, path, p| {
        choice(v, path, &["weighted", "points"], p).map(|c| {
            if c == "points" {
                Aggregation::Points
            } else {
                Aggregation::Weighted
            }
        })
    });
    let missing = o.opt("missing", p, missing_policy);
    let min_coverage = o.opt("minCoverage", p, number);
    let range = o.opt("range", p, |v, path, p| {
        let xs = numbers(v, path, p)?;
        if xs.len() != 2 || xs[0] >= xs[1] {
            p.push(
                "invalid_range",
                path,
                "range must be [lo, hi] with lo < hi",
                "give the totals that map to a score of 0 and of 100, e.g. [-34, 60]",
            );
            return None;
        }
        Some([xs[0], xs[1]])
    });
    let bands = o.req("bands", "the score bands, lowest first", p, |v, path, p| {
        list(v, path, p, band)
    });
    let model_missing = missing.flatten().unwrap_or(MissingPolicy::Skip);
    let categories = o.req(
        "categories",
        "the categories with their measures",
        p,
        |v, path, p| list(v, path, p, |v, path, p| category(v, path, model_missing, p)),
    );
    let caps = o.opt("caps", p, |v, path, p| list(v, path, p, cap));
    let alerts = o.opt("alerts", p, alert_settings);
    let playbooks = o.opt("playbooks", p, |v, path, p| list(v, path, p, playbook));
    if let (Some(Some(books)), Some(bands)) = (&playbooks, &bands) {
        validate::playbooks(books, bands, p);
    }
    // Whole-model checks run on every part that could be read, so that a
    // mistake in one part does not hide the mistakes in another.
    if let Some(b) = &bands {
        validate::bands(b, p);
    }
    if let Some(min) = min_coverage.flatten() {
        validate::min_coverage(min, p);
    }
    if let Some(cats) = &categories {
        validate::structure(cats, p);
        match (aggregation, &range) {
            (Some(Some(Aggregation::Points)), Some(r)) => validate::points(cats, r.is_some(), p),
            (Some(_), Some(r)) => validate::weighted(cats, r.is_some(), p),
            _ => {}
        }
        if let Some(Some(caps)) = &caps {
            validate::caps(cats, caps, p);
        }
    }
    if p.len() > before {
        return None;
    }
    let model_id = model_id?;
    Some(ModelSpec {
        version: version?,
        name: name?.unwrap_or_else(|| model_id.clone()),
        id: model_id,
        description: description?,
        aggregation: aggregation?.unwrap_or(Aggregation::Weighted),
        missing: model_missing,
        min_coverage: min_coverage?.unwrap_or(0.5),
        range: range?,
        bands: bands?,
        categories: categories?,
        caps: caps?.unwrap_or_default(),
        alerts: alerts?.unwrap_or_default(),
        playbooks: playbooks?.unwrap_or_default(),
    })
}

fn alert_settings(v: &Value, path: &str, p: &mut Problems) -> Option<AlertSettings> {
    let o = Obj::new(v, path, "the alert settings", ALERT_FIELDS, p)?;
    let before = p.len();
    let d = AlertSettings::default();
    let num = |key: &str, default: f64, positive: bool, p: &mut Problems| -> f64 {
        match o.opt(key, p, number) {
            Some(Some(x)) if x < 0.0 || (positive && x == 0.0) => {
                let want = if positive { "above 0" } else { "0 or more" };
                p.push(
                    "invalid_value",
                    &o.path_of(key),
                    format!("{key} {x} must be {want}"),
                    format!("give {key} a number {want}"),
                );
                default
            }
            Some(Some(x)) => x,
            _ => default,
        }
    };
    let band_margin = num("bandMargin", d.band_margin, false, p);
    let drop_points = num("dropPoints", d.drop_points, true, p);
    let drop_window_days = num("dropWindowDays", d.drop_window_days, true, p);
    let approach_margin = num("approachMargin", d.approach_margin, false, p);
    let trend_window_days = num("trendWindowDays", d.trend_window_days, true, p);
    let flat_within = num("flatWithin", d.flat_within, false, p);
    let change_window_days = num("changeWindowDays", d.change_window_days, true, p);
    let band_confirm = match o.opt("bandConfirm", p, number) {
        Some(Some(x)) if x >= 1.0 && x.fract() == 0.0 && x <= 1000.0 => x as u32,
        Some(Some(x)) => {
            p.push(
                "invalid_value",
                &o.path_of("bandConfirm"),
                format!("bandConfirm {x} is not a whole number from 1"),
                "count snapshots: 1, 2, 3…",
            );
            d.band_confirm
        }
        _ => d.band_confirm,
    };
    (p.len() == before).then_some(AlertSettings {
        band_margin,
        band_confirm,
        drop_points,
        drop_window_days,
        approach_margin,
        trend_window_days,
        flat_within,
        change_window_days,
    })
}

fn strings(v: &Value, path: &str, p: &mut Problems) -> Option<Vec<String>> {
    list(v, path, p, string)
}

fn playbook(v: &Value, path: &str, p: &mut Problems) -> Option<Playbook> {
    let o = Obj::new(v, path, "a playbook rule", PLAYBOOK_FIELDS, p)?;
    let before = p.len();
    let pid = o.req(
        "id",
        "a stable id for the action, e.g. \"call-today\"",
        p,
        id,
    );
    let label = o.req(
        "label",
        "what to do, e.g. \"Call the account today\"",
        p,
        string,
    );
    let urgency = o.req(
        "urgency",
        "critical, high, medium or low",
        p,
        |v, path, p| {
            Some(
                match choice(v, path, &["critical", "high", "medium", "low"], p)? {
                    "critical" => Urgency::Critical,
                    "high" => Urgency::High,
                    "medium" => Urgency::Medium,
                    _ => Urgency::Low,
                },
            )
        },
    );
    let when = o.opt("when", p, |v, path, p| {
        let w = Obj::new(v, path, "a playbook condition", WHEN_FIELDS, p)?;
        let before = p.len();
        let bands = w.opt("bands", p, strings);
        let directions = w.opt("directions", p, |v, path, p| {
            list(v, path, p, |v, path, p| {
                Some(match choice(v, path, &["up", "flat", "down"], p)? {
                    "up" => Direction::Up,
                    "down" => Direction::Down,
                    _ => Direction::Flat,
                })
            })
        });
        let alerts = w.opt("alerts", p, |v, path, p| {
            list(v, path, p, |v, path, p| {
                Some(match choice(v, path, ALERT_KINDS, p)? {
                    "bandChanged" => AlertKind::BandChanged,
                    "scoreDropped" => AlertKind::ScoreDropped,
                    "decliningWhileHealthy" => AlertKind::DecliningWhileHealthy,
                    "approachingBand" => AlertKind::ApproachingBand,
                    _ => AlertKind::Improving,
                })
            })
        });
        let segments = w.opt("segments", p, strings);
        let min_value = w.opt("minValue", p, number);
        let max_value = w.opt("maxValue", p, number);
        if p.len() > before {
            return None;
        }
        Some(PlaybookWhen {
            bands: bands?,
            directions: directions?,
            alerts: alerts?,
            segments: segments?,
            min_value: min_value?,
            max_value: max_value?,
        })
    });
    if p.len() > before {
        return None;
    }
    Some(Playbook {
        id: pid?,
        label: label?,
        urgency: urgency?,
        when: when?.unwrap_or_default(),
    })
}

fn too_large(v: &Value, path: &str, p: &mut Problems) {
    match v {
        Value::Number(n) if n.as_f64().is_some_and(|x| x.abs() > MAX_MODEL_NUMBER) => p.push(
            "invalid_value",
            path,
            format!("{n} is too large for a model"),
            "numbers in a model are limited to ±1e12; rescale the rule or the weights",
        ),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, x)| too_large(x, &index(path, i), p)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, x)| too_large(x, &crate::error::field(path, k), p)),
        _ => {}
    }
}

/// Reads every element of an array; `None` if any element was bad.
fn list<T>(
    v: &Value,
    path: &str,
    p: &mut Problems,
    mut item: impl FnMut(&Value, &str, &mut Problems) -> Option<T>,
) -> Option<Vec<T>> {
    let items = array(v, path, p)?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, v) in items.iter().enumerate() {
        match item(v, &index(path, i), p) {
            Some(x) => out.push(x),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn missing_policy(v: &Value, path: &str, p: &mut Problems) -> Option<MissingPolicy> {
    Some(match choice(v, path, MISSING, p)? {
        "skip" => MissingPolicy::Skip,
        "neutral" => MissingPolicy::Neutral,
        "worst" => MissingPolicy::Worst,
        _ => MissingPolicy::Error,
    })
}

fn band(v: &Value, path: &str, p: &mut Problems) -> Option<BandSpec> {
    let o = Obj::new(v, path, "a band", BAND_FIELDS, p)?;
    let before = p.len();
    let band_id = o.req("id", "a stable id such as \"healthy\"", p, id);
    let label = o.opt("label", p, string);
    let color = o.req("color", "a colour such as \"#009e73\"", p, |v, path, p| {
        let c = string(v, path, p)?;
        let hex = c.strip_prefix('#').unwrap_or("");
        if (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Some(c)
        } else {
            p.push(
                "invalid_color",
                path,
                format!("`{c}` is not a colour this library accepts"),
                "write the colour as #rgb or #rrggbb, e.g. \"#009e73\"",
            );
            None
        }
    });
    let from = o.opt("from", p, number);
    let above = o.opt("above", p, number);
    if let (Some(f), Some(a)) = (&from, &above) {
        if f.is_some() == a.is_some() {
            p.push(
                "invalid_band_edge",
                &o.path,
                "a band needs exactly one lower edge: `from` (inclusive) or `above` (exclusive)",
                "write \"from\": 50 for scores of 50 and up, or \"above\": 80 for scores over 80",
            );
        }
    }
    if p.len() > before {
        return None;
    }
    let band_id = band_id?;
    Some(BandSpec {
        label: label?.unwrap_or_else(|| band_id.clone()),
        id: band_id,
        color: color?,
        from: from?,
        above: above?,
    })
}

fn category(
    v: &Value,
    path: &str,
    model_missing: MissingPolicy,
    p: &mut Problems,
) -> Option<CategorySpec> {
    let o = Obj::new(v, path, "a category", CATEGORY_FIELDS, p)?;
    let before = p.len();
    let cat_id = o.req("id", "a stable id such as \"engagement\"", p, id);
    let label = o.opt("label", p, string);
    let weight = o.opt("weight", p, weight);
    let combine = o.opt("combine", p, |v, path, p| {
        Some(match choice(v, path, &["average", "min", "max"], p)? {
            "min" => Combine::Min,
            "max" => Combine::Max,
            _ => Combine::Average,
        })
    });
    let measures = o.req(
        "measures",
        "the measures of this category",
        p,
        |v, path, p| list(v, path, p, |v, path, p| measure(v, path, model_missing, p)),
    );
    if p.len() > before {
        return None;
    }
    let cat_id = cat_id?;
    Some(CategorySpec {
        label: label?.unwrap_or_else(|| cat_id.clone()),
        id: cat_id,
        weight: weight?,
        combine: combine?.unwrap_or(Combine::Average),
        measures: measures?,
    })
}

fn weight(v: &Value, path: &str, p: &mut Problems) -> Option<f64> {
    let w = number(v, path, p)?;
    if w < 0.0 {
        p.push(
            "negative_weight",
            path,
            format!("weight {w} is negative"),
            "weights are relative shares: use 0 to switch something off, never a negative number",
        );
        return None;
    }
    Some(w)
}

fn measure(
    v: &Value,
    path: &str,
    model_missing: MissingPolicy,
    p: &mut Problems,
) -> Option<MeasureSpec> {
    let o = Obj::new(v, path, "a measure", MEASURE_FIELDS, p)?;
    let before = p.len();
    let measure_id = o.req(
        "id",
        "a stable id, the key of this measure in an account's values",
        p,
        id,
    );
    let label = o.opt("label", p, string);
    let description = o.opt("description", p, string);
    let weight = o.opt("weight", p, weight);
    let missing = o.opt("missing", p, missing_policy);
    let rule = o.req(
        "rule",
        "how the raw value becomes a score, e.g. { \"type\": \"scale\", \"min\": 1, \"max\": 5 }",
        p,
        rule,
    );
    let half_life_days = o.opt("halfLifeDays", p, |v, path, p| {
        let x = number(v, path, p)?;
        if x <= 0.0 {
            p.push(
                "invalid_value",
                path,
                format!("a half-life of {x} days is not above 0"),
                "give the number of days after which a value counts half, e.g. 90",
            );
            return None;
        }
        Some(x)
    });
    if p.len() > before {
        return None;
    }
    let measure_id = measure_id?;
    Some(MeasureSpec {
        label: label?.unwrap_or_else(|| measure_id.clone()),
        id: measure_id,
        description: description?,
        weight: weight?,
        missing: missing?.unwrap_or(model_missing),
        rule: rule?,
        half_life_days: half_life_days?,
    })
}

const STEPS_FIELDS: &[&str] = &["type", "thresholds", "scores"];
const LINEAR_FIELDS: &[&str] = &["type", "points"];
const PER_EVENT_FIELDS: &[&str] = &["type", "points", "maxEvents"];
const FLAG_FIELDS: &[&str] = &["type", "ifTrue", "ifFalse"];
const SCALE_FIELDS: &[&str] = &["type", "min", "max"];
const MATCH_FIELDS: &[&str] = &["type", "scores", "otherwise"];

/// Reads a rule and checks it on its own (sorted thresholds, flat ranges…).
pub(crate) fn rule(v: &Value, path: &str, p: &mut Problems) -> Option<Rule> {
    let ty = match v {
        Value::Object(map) => match map.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => {
                p.push(
                    "wrong_type",
                    &crate::error::field(path, "type"),
                    format!("a rule's type must be a string, not {}", read::kind(other)),
                    format!("use one of: {}", RULE_TYPES.join(", ")),
                );
                return None;
            }
            None => {
                p.push(
                    "missing_field",
                    &crate::error::field(path, "type"),
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
        "match" => match_rule(v, path, p),
        other => {
            let hint = read::closest(other, RULE_TYPES)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            p.push(
                "unknown_rule_type",
                &crate::error::field(path, "type"),
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
        Rule::Match { scores, otherwise } => span(&mut scores.values().copied().chain(*otherwise)),
    })
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
                match number(v, &crate::error::field(path, k), p) {
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

fn cap(v: &Value, path: &str, p: &mut Problems) -> Option<CapSpec> {
    let o = Obj::new(v, path, "a cap", CAP_FIELDS, p)?;
    let before = p.len();
    let when = o.req(
        "when",
        "the condition, e.g. { \"measure\": \"p1Open\", \"op\": \">=\", \"value\": 1 }",
        p,
        |v, path, p| {
            let c = Obj::new(v, path, "a cap condition", CONDITION_FIELDS, p)?;
            let measure = c.req("measure", "the id of a measure of this model", p, id);
            let op = c.req("op", "one of < <= > >= == !=", p, |v, path, p| {
                let s = string(v, path, p)?;
                Op::parse(&s).or_else(|| {
                    p.push(
                        "invalid_cap",
                        path,
                        format!("`{s}` is not an operator"),
                        format!("use one of: {}", Op::ALL.join(" ")),
                    );
                    None
                })
            });
            let value = c.req(
                "value",
                "a number, true/false or a text value",
                p,
                |v, path, p| match v {
                    Value::Number(_) => number(v, path, p).map(CapValue::Number),
                    Value::Bool(b) => Some(CapValue::Bool(*b)),
                    Value::String(s) => Some(CapValue::Text(s.clone())),
                    other => {
                        p.push(
                            "wrong_type",
                            path,
                            format!(
                                "a cap compares with a number, boolean or string, not {}",
                                read::kind(other)
                            ),
                            "write a number, true/false or a string",
                        );
                        None
                    }
                },
            );
            Some(Condition {
                measure: measure?,
                op: op?,
                value: value?,
            })
        },
    );
    let max = o.req(
        "max",
        "the highest score allowed while the condition holds, e.g. 49",
        p,
        number,
    );
    let reason = o.req(
        "reason",
        "a sentence shown in the scorecard, e.g. \"Open P1 incident\"",
        p,
        string,
    );
    if let Some(m) = max {
        if !(0.0..=100.0).contains(&m) {
            p.push(
                "invalid_cap",
                &o.path_of("max"),
                format!("a cap of {m} is outside 0..100"),
                "scores run from 0 to 100",
            );
        }
    }
    if p.len() > before {
        return None;
    }
    Some(CapSpec {
        when: when?,
        max: max?,
        reason: reason?,
    })
}
