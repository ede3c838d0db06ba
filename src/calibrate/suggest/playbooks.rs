//! The playbooks a suggested model starts with: one action per band (the
//! insufficient-data band included) and one per alert kind, in plain words
//! a CS team can edit. Without them a suggested model scored accounts but
//! told nobody what to do.

use crate::model::{AlertKind, BandSpec, Direction, Playbook, PlaybookWhen, Urgency};
use crate::score::INSUFFICIENT_DATA;

/// One playbook per band, lowest first, then one per alert kind.
pub(super) fn default_playbooks(bands: &[BandSpec]) -> Vec<Playbook> {
    let mut out = Vec::new();
    let n = bands.len();
    for (i, b) in bands.iter().enumerate() {
        let (id, label, urgency, directions) = if i == 0 {
            (
                "recover",
                "Call the account this week and agree a recovery plan",
                Urgency::High,
                None,
            )
        } else if i + 1 == n {
            // (only when not falling: a falling healthy account is checked
            // in with, not sold to)
            (
                "grow",
                "Propose an upgrade or the referral programme",
                Urgency::Low,
                Some(vec![Direction::Up, Direction::Flat]),
            )
        } else {
            (
                "review-usage",
                "Review usage with the champion: what is used less, and why",
                Urgency::Medium,
                None,
            )
        };
        out.push(Playbook {
            id: format!("{id}-{}", b.id),
            label: label.into(),
            urgency,
            when: PlaybookWhen {
                bands: Some(vec![b.id.clone()]),
                directions,
                ..PlaybookWhen::default()
            },
        });
    }
    out.push(Playbook {
        id: "complete-data".into(),
        label: "Fill in the missing measures: without them the score says little".into(),
        urgency: Urgency::Medium,
        when: PlaybookWhen {
            bands: Some(vec![INSUFFICIENT_DATA.into()]),
            ..PlaybookWhen::default()
        },
    });
    for (kind, id, label, urgency) in ALERTS {
        out.push(Playbook {
            id: id.into(),
            label: label.into(),
            urgency,
            when: PlaybookWhen {
                alerts: Some(vec![kind]),
                ..PlaybookWhen::default()
            },
        });
    }
    out
}

/// Each alert kind's action.
const ALERTS: [(AlertKind, &str, &str, Urgency); 7] = [
    (
        AlertKind::ScoreDropped,
        "check-in",
        "Check in this week: ask what changed",
        Urgency::High,
    ),
    (
        AlertKind::DecliningWhileHealthy,
        "check-in-healthy",
        "Check in before it slips: the score is falling",
        Urgency::Medium,
    ),
    (
        AlertKind::ApproachingBand,
        "offer-review",
        "Offer a review meeting before the account drops a band",
        Urgency::Medium,
    ),
    (
        AlertKind::BandChanged,
        "review-band-change",
        "Go through the band change with the account owner: which measures moved",
        Urgency::Medium,
    ),
    (
        AlertKind::Improving,
        "recognise-progress",
        "Tell the team: what they did is working",
        Urgency::Low,
    ),
    (
        AlertKind::ModelChanged,
        "read-model-change",
        "Read the model change before acting: the score moved because the model did",
        Urgency::Low,
    ),
    (
        AlertKind::SentimentDisagrees,
        "reconcile-sentiment",
        "Ask the CSM why their rating and the score disagree",
        Urgency::Medium,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every alert kind has its action (a new kind fails here until it has one).
    #[test]
    fn every_alert_kind_has_an_action() {
        let kinds = crate::names::variants::<AlertKind>();
        for name in kinds {
            assert!(
                ALERTS.iter().any(|(k, ..)| k.as_str() == *name),
                "no default playbook for the alert kind {name}"
            );
        }
        assert_eq!(ALERTS.len(), kinds.len());
    }
}
