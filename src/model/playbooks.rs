//! Reading a model's `alerts` settings and `playbooks`.

use super::parse::list;
use super::spec::*;
use crate::names::fields;
use crate::read::{choice, id, number, string, Obj, Problems};
use serde_json::Value;

pub(crate) fn alert_settings(v: &Value, path: &str, p: &mut Problems) -> Option<AlertSettings> {
    let o = Obj::new(v, path, "the alert settings", fields::<AlertSettings>(), p)?;
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
    let trend_min_days = num("trendMinDays", d.trend_min_days, false, p);
    let sentiment_margin = num("sentimentMargin", d.sentiment_margin, false, p);
    let trend_min_snapshots = match o.opt("trendMinSnapshots", p, number) {
        Some(Some(x)) if x >= 2.0 && x.fract() == 0.0 && x <= 1000.0 => x as u32,
        Some(Some(x)) => {
            p.push(
                "invalid_value",
                &o.path_of("trendMinSnapshots"),
                format!("trendMinSnapshots {x} is not a whole number from 2"),
                "a slope needs two snapshots at least; 3 or more gives a steadier trend",
            );
            d.trend_min_snapshots
        }
        _ => d.trend_min_snapshots,
    };
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
        trend_min_days,
        trend_min_snapshots,
        sentiment_margin,
    })
}

fn strings(v: &Value, path: &str, p: &mut Problems) -> Option<Vec<String>> {
    list(v, path, p, string)
}

pub(crate) fn playbook(v: &Value, path: &str, p: &mut Problems) -> Option<Playbook> {
    let o = Obj::new(v, path, "a playbook rule", fields::<Playbook>(), p)?;
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
        choice::<Urgency>,
    );
    let when = o.opt("when", p, |v, path, p| {
        let w = Obj::new(v, path, "a playbook condition", fields::<PlaybookWhen>(), p)?;
        let before = p.len();
        let bands = w.opt("bands", p, strings);
        let directions = w.opt("directions", p, |v, path, p| {
            list(v, path, p, choice::<Direction>)
        });
        let alerts = w.opt("alerts", p, |v, path, p| {
            list(v, path, p, choice::<AlertKind>)
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
