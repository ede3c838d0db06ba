//! Reading a measure's `series`: how a number is derived from points.

use super::spec::*;
use crate::names::fields;
use crate::read::{choice, number, Obj, Problems};
use serde_json::Value;

/// `{ derive, perDays?, windowDays?, recentDays?, priorDays?, halfLifeDays? }`:
/// the fields the kind of derivation needs, and only those.
pub(crate) fn series_spec(v: &Value, path: &str, p: &mut Problems) -> Option<SeriesSpec> {
    let o = Obj::new(v, path, "a series", fields::<SeriesSpec>(), p)?;
    let before = p.len();
    let derive = o.req("derive", "slope, ratio or ewma", p, choice::<Derive>);
    let positive = |key: &str, p: &mut Problems| {
        o.opt(key, p, |v, path, p| {
            let x = number(v, path, p)?;
            if x <= 0.0 {
                p.push(
                    "invalid_value",
                    path,
                    format!("{key} {x} is not above 0"),
                    format!("give {key} a number of days above 0"),
                );
                return None;
            }
            Some(x)
        })
    };
    let per_days = positive("perDays", p);
    let window_days = positive("windowDays", p);
    let recent_days = positive("recentDays", p);
    let prior_days = positive("priorDays", p);
    let half_life_days = positive("halfLifeDays", p);
    let given = |x: &Option<Option<f64>>| !matches!(x, Some(None));
    if let Some(kind) = derive {
        let (needs, allows): (&[&str], &[&str]) = match kind {
            Derive::Slope => (&[], &["perDays", "windowDays"]),
            Derive::Ratio => (&["recentDays", "priorDays"], &["recentDays", "priorDays"]),
            Derive::Ewma => (&["halfLifeDays"], &["halfLifeDays"]),
        };
        for (key, x) in [
            ("perDays", &per_days),
            ("windowDays", &window_days),
            ("recentDays", &recent_days),
            ("priorDays", &prior_days),
            ("halfLifeDays", &half_life_days),
        ] {
            if needs.contains(&key) && !given(x) {
                o.missing(
                    key,
                    &format!("the number of days ({key}) a {} needs", kind.as_str()),
                    p,
                );
            } else if given(x) && !allows.contains(&key) {
                p.push(
                    "invalid_value",
                    &o.path_of(key),
                    format!("{key} does not apply to derive \"{}\"", kind.as_str()),
                    format!(
                        "{} takes: {}",
                        kind.as_str(),
                        if allows.is_empty() {
                            "nothing else".to_string()
                        } else {
                            allows.join(", ")
                        }
                    ),
                );
            }
        }
    }
    if p.len() > before {
        return None;
    }
    Some(SeriesSpec {
        derive: derive?,
        per_days: per_days?,
        window_days: window_days?,
        recent_days: recent_days?,
        prior_days: prior_days?,
        half_life_days: half_life_days?,
    })
}
