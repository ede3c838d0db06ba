//! The history calls of a model and a model set through the bindings: one
//! wrapper each, over [`Histories`].

use super::model::scorecard;
use super::{boundary, thrown, to_json};
use crate::history::Histories;

/// The trend at the end of a history (JSON array), or `null`.
pub(crate) fn trend(of: &impl Histories, history: &str) -> Result<String, String> {
    let doc = boundary::parse(history, "the history").map_err(thrown)?;
    Ok(to_json(&of.trend_of_history(&doc).map_err(thrown)?))
}

/// Every alert over a history (JSON array).
pub(crate) fn alerts(of: &impl Histories, history: &str) -> Result<String, String> {
    let doc = boundary::parse(history, "the history").map_err(thrown)?;
    Ok(to_json(&of.alerts_of_history(&doc).map_err(thrown)?))
}

/// Rescores a previous scorecard with changed values: `{ scorecard, alerts }`.
pub(crate) fn update(
    of: &impl Histories,
    previous: &str,
    changed: &str,
    at: Option<String>,
    history: Option<String>,
) -> Result<String, String> {
    let previous = scorecard(previous, "previous")?;
    let changed = boundary::parse(changed, "the changed values").map_err(thrown)?;
    let history = match history {
        Some(h) => Some(boundary::parse(&h, "the history").map_err(thrown)?),
        None => None,
    };
    let out = of
        .update_card(&previous, &changed, at.as_deref(), history.as_ref())
        .map_err(thrown)?;
    Ok(to_json(&out))
}

/// Splits a score change into parts.
pub(crate) fn explain_change(
    of: &impl Histories,
    before: &str,
    after: &str,
) -> Result<String, String> {
    let (before, after) = (scorecard(before, "before")?, scorecard(after, "after")?);
    Ok(to_json(
        &of.explain(&before, &after).map_err(|e| thrown(vec![e]))?,
    ))
}
