//! Playbooks: which recommended actions apply, given a band, a trend, an
//! alert, a segment and a value. Part of the model layer: scoring and
//! history call it, it calls neither.

use super::{AlertKind, Direction, Model, Playbook, Urgency};
use serde::{Deserialize, Serialize};

/// A recommended action from a playbook rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// The playbook rule's id.
    pub id: String,
    /// What to do.
    pub label: String,
    /// How soon.
    pub urgency: Urgency,
}

/// What a playbook rule is matched against.
#[derive(Clone, Copy, Debug)]
pub struct PlaybookContext<'a> {
    /// Band id (or `insufficient_data`).
    pub band: &'a str,
    /// Trend direction, when known.
    pub direction: Option<Direction>,
    /// The alert's kind, when matching for an alert.
    pub alert: Option<AlertKind>,
    /// The account's segment.
    pub segment: Option<&'a str>,
    /// The account's value.
    pub value: Option<f64>,
}

impl Model {
    /// The actions whose playbook conditions hold. A rule that names alert
    /// kinds matches only alerts of those kinds; a rule without alert kinds
    /// matches only scorecards. A rule that names directions needs a trend.
    /// Most urgent first, then in model order.
    pub fn actions(&self, cx: &PlaybookContext) -> Vec<Action> {
        let mut actions: Vec<Action> = self
            .spec()
            .playbooks
            .iter()
            .filter(|p| applies(p, cx))
            .map(|p| Action {
                id: p.id.clone(),
                label: p.label.clone(),
                urgency: p.urgency,
            })
            .collect();
        actions.sort_by_key(|a| a.urgency);
        actions
    }
}

fn applies(p: &Playbook, cx: &PlaybookContext) -> bool {
    let w = &p.when;
    let bands = w
        .bands
        .as_ref()
        .is_none_or(|b| b.iter().any(|x| x == cx.band));
    let directions = w
        .directions
        .as_ref()
        .is_none_or(|d| cx.direction.is_some_and(|x| d.contains(&x)));
    let alerts = match (&w.alerts, cx.alert) {
        (None, None) => true,
        (Some(kinds), Some(kind)) => kinds.contains(&kind),
        _ => false,
    };
    let segments = w
        .segments
        .as_ref()
        .is_none_or(|s| cx.segment.is_some_and(|x| s.iter().any(|y| y == x)));
    let value = cx.value.unwrap_or(0.0);
    let min = w.min_value.is_none_or(|m| value >= m);
    let max = w.max_value.is_none_or(|m| value < m);
    bands && directions && alerts && segments && min && max
}
