//! Reading a model document into [`ModelSpec`], reporting every structural
//! mistake (wrong types, missing or unknown fields, bad rules) with its path.
//! Checks that need the whole model (ids, bands, caps, ranges) are in
//! [`super::validate`].

use super::parse_conditions::{cap, override_spec};
use super::parse_series::series_spec;
use super::playbooks::{alert_settings, playbook};
use super::rules::rule;
use super::spec::*;
use super::validate;
use crate::error::index;
use crate::names::fields;
use crate::read::{array, boolean, choice, id, number, numbers, string, Obj, Problems};
use serde_json::Value;

/// The model's fields as serde reads them, and `$schema` (an editor's hint,
/// accepted and left out).
fn model_fields() -> &'static [&'static str] {
    static FIELDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| [fields::<ModelSpec>(), &["$schema"]].concat())
}

/// The largest magnitude a number in a model may have. Sums of weights,
/// spans and points then stay far from overflow and keep about 4 decimal
/// digits of precision below the point.
pub const MAX_MODEL_NUMBER: f64 = 1e12;

/// Reads a model document. `None` when something was wrong (see `p`).
pub(crate) fn model(doc: &Value, p: &mut Problems) -> Option<ModelSpec> {
    let before = p.len();
    too_large(doc, "", p);
    let o = Obj::new(doc, "", "a model", model_fields(), p)?;
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
        choice::<Aggregation>(v, path, p)
    });
    let missing = o.opt("missing", p, missing_policy);
    let min_coverage = o.opt("minCoverage", p, number);
    let low_coverage_below = o.opt("lowCoverageBelow", p, |v, path, p| {
        share(
            v,
            path,
            p,
            "the coverage below which a score is flagged, e.g. 0.8",
        )
    });
    let coverage_penalty = o.opt("coveragePenalty", p, |v, path, p| {
        share(
            v,
            path,
            p,
            "how far missing data pulls a score toward 50: 0 (not at all) to 1 (as neutral values)",
        )
    });
    let stale_after_days = o.opt("staleAfterDays", p, days);
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
    let model_missing = missing.flatten().unwrap_or_else(defaults::missing);
    let categories = o.req(
        "categories",
        "the categories with their measures",
        p,
        |v, path, p| list(v, path, p, |v, path, p| category(v, path, model_missing, p)),
    );
    let caps = o.opt("caps", p, |v, path, p| list(v, path, p, cap));
    let overrides = o.opt("overrides", p, |v, path, p| list(v, path, p, override_spec));
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
        if let Some(Some(overrides)) = &overrides {
            validate::overrides(cats, overrides, p);
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
        aggregation: aggregation?.unwrap_or_else(defaults::aggregation),
        missing: model_missing,
        min_coverage: min_coverage?.unwrap_or_else(defaults::min_coverage),
        low_coverage_below: low_coverage_below?.unwrap_or_else(defaults::low_coverage_below),
        coverage_penalty: coverage_penalty?.unwrap_or(0.0),
        stale_after_days: stale_after_days?,
        range: range?,
        bands: bands?,
        categories: categories?,
        caps: caps?.unwrap_or_default(),
        overrides: overrides?.unwrap_or_default(),
        alerts: alerts?.unwrap_or_default(),
        playbooks: playbooks?.unwrap_or_default(),
    })
}

/// A share from 0 to 1.
fn share(v: &Value, path: &str, p: &mut Problems, help: &str) -> Option<f64> {
    let x = number(v, path, p)?;
    if !(0.0..=1.0).contains(&x) {
        p.push(
            "invalid_value",
            path,
            format!("{x} is outside 0..1"),
            help.to_string(),
        );
        return None;
    }
    Some(x)
}

/// A number of days above 0.
fn days(v: &Value, path: &str, p: &mut Problems) -> Option<f64> {
    let x = number(v, path, p)?;
    if x <= 0.0 {
        p.push(
            "invalid_value",
            path,
            format!("{x} days is not above 0"),
            "give the number of days after which a value is stale, e.g. 30",
        );
        return None;
    }
    Some(x)
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
pub(crate) fn list<T>(
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
    choice(v, path, p)
}

fn band(v: &Value, path: &str, p: &mut Problems) -> Option<BandSpec> {
    let o = Obj::new(v, path, "a band", fields::<BandSpec>(), p)?;
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
    let o = Obj::new(v, path, "a category", fields::<CategorySpec>(), p)?;
    let before = p.len();
    let cat_id = o.req("id", "a stable id such as \"engagement\"", p, id);
    let label = o.opt("label", p, string);
    let weight = o.opt("weight", p, weight);
    let combine = o.opt("combine", p, choice::<Combine>);
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
        combine: combine?.unwrap_or_else(defaults::combine),
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
    let o = Obj::new(v, path, "a measure", fields::<MeasureSpec>(), p)?;
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
    let source = o.opt("source", p, choice::<Source>);
    let actionable = o.opt("actionable", p, boolean);
    let missing = o.opt("missing", p, missing_policy);
    let rule = o.req(
        "rule",
        "how the raw value becomes a score, e.g. { \"type\": \"scale\", \"min\": 1, \"max\": 5 }",
        p,
        rule,
    );
    let series = o.opt("series", p, series_spec);
    let per = o.opt("per", p, string);
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
    let missing_score = o.opt("missingScore", p, number);
    let stale_after_days = o.opt("staleAfterDays", p, days);
    let missing_values = o.opt("missingValues", p, |v, path, p| list(v, path, p, string));
    let policy = missing.flatten().unwrap_or(model_missing);
    match (policy, &missing_score) {
        (MissingPolicy::Impute, Some(None)) => o.missing(
            "missingScore",
            "the rule output a missing value counts as, e.g. 12 (needed by \"missing\": \"impute\")",
            p,
        ),
        (MissingPolicy::Impute, _) | (_, Some(None)) | (_, None) => {}
        (_, Some(Some(_))) => p.push(
            "invalid_value",
            &o.path_of("missingScore"),
            "missingScore is used only when the measure's missing policy is \"impute\"",
            "add \"missing\": \"impute\" to the measure, or remove missingScore",
        ),
    }
    if let (Some(Some(_)), Some(r)) = (&per, &rule) {
        if r.reads() != Reads::Number {
            p.push(
                "invalid_value",
                &o.path_of("per"),
                format!("a {} rule does not read a number to divide", r.kind()),
                "use `per` with a numeric rule",
            );
        }
    }
    if let (Some(Some(_)), Some(Some(_))) = (&series, &per) {
        p.push(
            "invalid_value",
            &o.path_of("per"),
            "a measure derived from a series cannot also be divided per seat or per value",
            "divide the points before sending them (a series of logins per seat), or use two measures",
        );
    }
    if let (Some(Some(_)), Some(r)) = (&series, &rule) {
        if r.reads() != Reads::Number {
            p.push(
                "invalid_value",
                &o.path_of("series"),
                format!(
                    "a series derives a number, which a {} rule does not read",
                    r.kind()
                ),
                "use a numeric rule (steps, linear, scale) with a series",
            );
        }
    }
    if p.len() > before {
        return None;
    }
    let measure_id = measure_id?;
    let source = source?.unwrap_or_default();
    Some(MeasureSpec {
        series: series?,
        per: per?,
        label: label?.unwrap_or_else(|| measure_id.clone()),
        id: measure_id,
        description: description?,
        weight: weight?,
        source,
        // (kept only when it differs from the default: one canonical form)
        actionable: actionable?.filter(|&a| a != source.actionable_by_default()),
        missing: missing?.unwrap_or(model_missing),
        rule: rule?,
        half_life_days: half_life_days?,
        missing_score: missing_score?,
        stale_after_days: stale_after_days?,
        missing_values: missing_values?.unwrap_or_default(),
    })
}
