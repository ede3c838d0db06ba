//! Built-in models, shipped as plain JSON files in `presets/` that a user can
//! copy and edit.
//!
//! - `composite-kpi`: operational performance / commercial relationship /
//!   engagement, each a 1-5 `scale`, weights 40/35/25; bands action (< 50),
//!   watch (50..80), healthy (> 80).
//! - `composite-industrial`: the same, weighted 60/25/15.
//! - `composite-consulting`: the same, weighted 25/35/40.
//! - `saas-points`: the points system (usage, complaints, follows, reacts,
//!   CSM sentiment); bands at_risk (from 0), neutral (from 33), opportunity
//!   (from 66).

/// `(id, JSON text)` of every preset, in a stable order.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "composite-kpi",
        include_str!("../../presets/composite-kpi.json"),
    ),
    (
        "composite-industrial",
        include_str!("../../presets/composite-industrial.json"),
    ),
    (
        "composite-consulting",
        include_str!("../../presets/composite-consulting.json"),
    ),
    (
        "saas-points",
        include_str!("../../presets/saas-points.json"),
    ),
];

/// The JSON text of a preset, by id.
pub fn preset_json(id: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

/// A preset, built.
pub fn preset(id: &str) -> Option<crate::Model> {
    preset_json(id).map(|text| crate::Model::from_json(text).expect("presets are valid"))
}
