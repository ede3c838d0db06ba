//! Alerts over a history: bandChanged (with hysteresis), scoreDropped,
//! decliningWhileHealthy, approachingBand, improving.
//!
//! Every alert except bandChanged is edge-triggered: it fires at the snapshot
//! where its condition becomes true, not again while it stays true. The trend
//! alerts (decliningWhileHealthy, improving) need at least three snapshots in
//! the trend window.

use super::window::Windows;
use super::Snapshot;
use crate::error::Errors;
use crate::model::PlaybookContext;
use crate::model::{AlertKind, Direction, Model};
use crate::score::{Action, AlertState, INSUFFICIENT_DATA};
use serde::{Deserialize, Serialize};

const DAY: f64 = 86_400.0;

/// The edge-triggered alerts, in the order of their conditions.
const CONDITIONS: [AlertKind; 5] = [
    AlertKind::ScoreDropped,
    AlertKind::DecliningWhileHealthy,
    AlertKind::ApproachingBand,
    AlertKind::Improving,
    AlertKind::SentimentDisagrees,
];

/// Something a CSM should know about, with the numbers that triggered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// What happened.
    pub kind: AlertKind,
    /// The account (null for a history of bare points).
    pub account_id: Option<String>,
    /// The snapshot's date.
    pub at: Option<String>,
    /// The score at that snapshot.
    pub score: f64,
    /// The score at the snapshot before.
    pub previous_score: Option<f64>,
    /// bandChanged: the band left.
    pub from_band: Option<String>,
    /// bandChanged: the band entered; approachingBand: the band below.
    pub to_band: Option<String>,
    /// scoreDropped: the drop in points (positive); sentimentDisagrees: the gap.
    pub change: Option<f64>,
    /// Trend alerts: the slope in points per 30 days.
    pub slope_per_30_days: Option<f64>,
    /// approachingBand: the edge being approached.
    pub edge: Option<f64>,
    /// sentimentDisagrees: the CSM's measure (`change` is then its gap,
    /// `sentiment − score`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_id: Option<String>,
    /// A sentence a CSM can read.
    pub message: String,
    /// The playbook actions for this alert.
    pub actions: Vec<Action>,
}

impl Model {
    /// Every alert over a history (snapshots in time order, as
    /// [`Model::read_history`] gives them), each at the snapshot where it
    /// fired, in time order.
    pub fn alerts(&self, history: &[Snapshot]) -> Vec<Alert> {
        self.alerts_over(history)
            .0
            .into_iter()
            .map(|(_, a)| a)
            .collect()
    }

    /// [`Model::alerts`] of a history given as JSON text (scorecards or
    /// `{ at, score }` points).
    pub fn alerts_json(&self, history: &str) -> Result<Vec<Alert>, Errors> {
        Ok(self.alerts(&self.read_history(history)?))
    }

    /// [`Model::alerts`] computed the direct way (each snapshot's trend and
    /// peak afresh, quadratic in the history): the reference the fuzz target
    /// and tests compare the one-pass windows with. Not for production use.
    #[doc(hidden)]
    pub fn alerts_direct(&self, history: &[Snapshot]) -> Vec<Alert> {
        self.alerts_with(history, false, first_with_state(history))
            .0
            .into_iter()
            .map(|(_, a)| a)
            .collect()
    }

    /// Alerts over sorted snapshots, with the index of the snapshot each
    /// fired at, and the alerts' state after the last scored one.
    pub(crate) fn alerts_over(
        &self,
        snaps: &[Snapshot],
    ) -> (Vec<(usize, Alert)>, Option<AlertState>) {
        self.alerts_with(snaps, true, first_with_state(snaps))
    }

    /// Alerts over sorted snapshots for `update`: the hysteresis and the
    /// edge-triggered conditions start from the last snapshot whose
    /// scorecard carries an `alertState` (the previous scorecard), even one
    /// without a score; the snapshots before it only feed the trend and
    /// drop windows, and nothing fires again up to it.
    pub(crate) fn alerts_after_state(
        &self,
        snaps: &[Snapshot],
    ) -> (Vec<(usize, Alert)>, Option<AlertState>) {
        let last = snaps
            .iter()
            .rposition(|s| s.card.as_ref().is_some_and(|c| c.alert_state.is_some()));
        self.alerts_with(snaps, true, last)
    }

    /// The alerts, snapshot by snapshot. At `restore_at` the hysteresis and
    /// the edge-triggered conditions are set from that snapshot's
    /// `alertState`, and nothing fires at or before it. A snapshot whose
    /// model hash differs from the one before fires `modelChanged` alone, and
    /// band changes, drops and trends start again from it.
    fn alerts_with(
        &self,
        snaps: &[Snapshot],
        one_pass: bool,
        restore_at: Option<usize>,
    ) -> (Vec<(usize, Alert)>, Option<AlertState>) {
        let a = &self.spec().alerts;
        let bands = self.bands();
        let top = bands.len() - 1;
        let band_index = |id: &str| bands.iter().position(|b| b.id == id);
        let mut out = Vec::new();
        let mut confirmed: Option<usize> = None;
        let mut recent: Vec<usize> = Vec::new(); // raw band indexes of recent snapshots with a band
        let mut previous_conditions = [false; 5];
        let mut previous_score: Option<f64> = None;
        // Dated histories (every one `alerts` reads) slide their windows in
        // one pass; a history with an undated snapshot (from `update`) is
        // computed directly.
        let mut windows = Windows::new(snaps, a).filter(|_| one_pass);
        // Where the current model's run of snapshots starts (see
        // `history::runs`), and the run of the last scored snapshot.
        let runs = super::runs::run_ids(snaps);
        let mut start = 0;
        let mut run: Option<usize> = None;
        let mut state = None;
        for k in 0..snaps.len() {
            let s = &snaps[k];
            // Restored from the scorecard: nothing fires here again.
            let restored = if restore_at == Some(k) {
                s.card.as_ref().and_then(|c| c.alert_state.clone())
            } else {
                None
            };
            if let (Some(st), None) = (&restored, s.score) {
                // A snapshot without a score still hands its state on.
                confirmed = band_index(&st.confirmed_band);
                recent.clear();
                previous_conditions = CONDITIONS.map(|kind| st.active.contains(&kind));
                state = Some(st.clone());
                continue;
            }
            let Some(score) = s.score else { continue };
            let replayed = restore_at.is_some_and(|r| k <= r);
            let model_changed = run.is_some_and(|r| r != runs[k]);
            if model_changed {
                start = k;
                windows = Windows::new(&snaps[start..], a).filter(|_| one_pass);
                confirmed = None;
                recent.clear();
            }
            run = Some(runs[k]);
            let quiet = replayed || model_changed;
            let band = if s.band == INSUFFICIENT_DATA {
                None
            } else {
                band_index(&s.band)
            };
            if let (Some(st), Some(b)) = (&restored, band) {
                confirmed = band_index(&st.confirmed_band).or(Some(b));
                recent = vec![b; (st.streak as usize).saturating_sub(1)];
            }
            let (direction, slope, peak) = match windows.as_mut() {
                Some(w) => {
                    let at = w.at(k - start);
                    (at.direction, at.slope, at.peak)
                }
                None => {
                    let trend = self.trend_of(&snaps[start..=k]);
                    let peak = snaps[start..k]
                        .iter()
                        .filter(|p| match (s.t, p.t) {
                            (Some(t1), Some(t0)) => t1 - t0 <= a.drop_window_days * DAY,
                            _ => true,
                        })
                        .filter_map(|p| p.score)
                        .fold(f64::NEG_INFINITY, f64::max);
                    (
                        trend.as_ref().and_then(|t| t.direction),
                        trend.as_ref().and_then(|t| t.slope_per_30_days),
                        peak,
                    )
                }
            };
            // (A trend alert needs a steady trend, trendMinSnapshots over
            // trendMinDays at least: the direction is null otherwise.)
            if model_changed && !replayed {
                out.push((
                    k,
                    Alert {
                        previous_score,
                        message: format!(
                            "The model changed: the score is {score:.1} under the new model (was {:.1}); band changes, drops and trends start again from here.",
                            previous_score.unwrap_or(f64::NAN)
                        ),
                        ..Alert::new(score)
                    }
                    .with(AlertKind::ModelChanged, self, s),
                ));
            }
            let mut fire = |kind: AlertKind, alert: Alert| {
                if !quiet {
                    out.push((k, alert.with(kind, self, s)));
                }
            };
            // bandChanged, with hysteresis.
            if let Some(b) = band {
                recent.push(b);
                match confirmed {
                    None => confirmed = Some(b),
                    Some(c) if c != b => {
                        let past_margin = if b > c {
                            score >= self.edges[b].at + a.band_margin
                        } else {
                            score <= self.edges[b + 1].at - a.band_margin
                        };
                        let n = a.band_confirm as usize;
                        let stayed =
                            recent.len() >= n && recent[recent.len() - n..].iter().all(|x| *x == b);
                        if past_margin || stayed {
                            let (from, to) = (&bands[c], &bands[b]);
                            let how = if b > c { "rose" } else { "fell" };
                            fire(
                                AlertKind::BandChanged,
                                Alert {
                                    from_band: Some(from.id.clone()),
                                    to_band: Some(to.id.clone()),
                                    previous_score,
                                    message: format!(
                                        "Moved from {} to {}: the score {how} to {score:.1}.",
                                        from.label, to.label
                                    ),
                                    ..Alert::new(score)
                                },
                            );
                            confirmed = Some(b);
                        }
                    }
                    _ => {}
                }
            }
            // scoreDropped: the highest score within the window, at least N above.
            let dropped = peak - score >= a.drop_points;
            // decliningWhileHealthy, improving.
            let declining = band == Some(top) && direction == Some(Direction::Down);
            let improving = band.is_some_and(|b| b < top) && direction == Some(Direction::Up);
            // approachingBand: within the margin above the current band's edge, falling.
            let falling = previous_score.is_some_and(|p| score < p);
            let approaching = band
                .is_some_and(|b| b > 0 && score - self.edges[b].at <= a.approach_margin)
                && falling;
            // sentimentDisagrees: a CSM's measure far from the score.
            let disagreement = s.card.as_ref().and_then(|c| c.sentiment_disagrees.first());
            let now = [
                dropped,
                declining,
                approaching,
                improving,
                disagreement.is_some(),
            ];
            if dropped && !previous_conditions[0] {
                fire(
                    AlertKind::ScoreDropped,
                    Alert {
                        change: Some(peak - score),
                        previous_score,
                        message: format!(
                        "Score dropped {:.1} points within {} days (from {peak:.1} to {score:.1}).",
                        peak - score,
                        a.drop_window_days
                    ),
                        ..Alert::new(score)
                    },
                );
            }
            if declining && !previous_conditions[1] {
                fire(
                    AlertKind::DecliningWhileHealthy,
                    Alert {
                        slope_per_30_days: slope,
                        previous_score,
                        message: format!(
                            "Still {} at {score:.1}, but falling {:.1} points per 30 days.",
                            bands[top].label,
                            -slope.unwrap_or(0.0)
                        ),
                        ..Alert::new(score)
                    },
                );
            }
            if approaching && !previous_conditions[2] {
                let b = band.unwrap_or(0);
                let edge = self.edges[b].at;
                fire(
                    AlertKind::ApproachingBand,
                    Alert {
                        to_band: Some(bands[b - 1].id.clone()),
                        edge: Some(edge),
                        previous_score,
                        message: format!(
                        "Falling toward {}: {score:.1} is {:.1} points above the edge at {edge}.",
                        bands[b - 1].label,
                        score - edge
                    ),
                        ..Alert::new(score)
                    },
                );
            }
            if improving && !previous_conditions[3] {
                fire(
                    AlertKind::Improving,
                    Alert {
                        slope_per_30_days: slope,
                        previous_score,
                        message: format!(
                            "Improving: rising {:.1} points per 30 days, now {score:.1} ({}).",
                            slope.unwrap_or(0.0),
                            s.band_label(self)
                        ),
                        ..Alert::new(score)
                    },
                );
            }
            if let (Some(d), false) = (disagreement, previous_conditions[4]) {
                let label = self
                    .measures
                    .iter()
                    .find(|m| m.id == d.measure_id)
                    .map_or(d.measure_id.as_str(), |m| m.label.as_str());
                let how = if d.gap < 0.0 {
                    "more worried than"
                } else {
                    "more confident than"
                };
                fire(
                    AlertKind::SentimentDisagrees,
                    Alert {
                        change: Some(d.gap),
                        previous_score,
                        measure_id: Some(d.measure_id.clone()),
                        message: format!(
                            "The CSM's {label} ({:.0} of 100) is {how} the score ({score:.1}): {:.0} points apart.",
                            d.sentiment,
                            d.gap.abs()
                        ),
                        ..Alert::new(score)
                    },
                );
            }
            previous_conditions = match &restored {
                Some(st) => CONDITIONS.map(|kind| st.active.contains(&kind)),
                None => now,
            };
            previous_score = Some(score);
            state = Some(AlertState {
                confirmed_band: confirmed.map_or_else(|| s.band.clone(), |c| bands[c].id.clone()),
                streak: match (band, confirmed) {
                    (Some(b), Some(c)) if b != c => {
                        recent.iter().rev().take_while(|&&x| x == b).count() as u32
                    }
                    _ => 0,
                },
                active: CONDITIONS
                    .iter()
                    .zip(previous_conditions)
                    .filter(|(_, on)| *on)
                    .map(|(kind, _)| *kind)
                    .collect(),
            });
        }
        (out, state)
    }
}

/// The first scored snapshot, when its scorecard carries an alert state (a
/// history that starts where an earlier one was cut).
fn first_with_state(snaps: &[Snapshot]) -> Option<usize> {
    snaps.iter().position(|s| s.score.is_some()).filter(|&k| {
        snaps[k]
            .card
            .as_ref()
            .is_some_and(|c| c.alert_state.is_some())
    })
}

impl Alert {
    fn new(score: f64) -> Alert {
        Alert {
            kind: AlertKind::BandChanged,
            account_id: None,
            at: None,
            score,
            previous_score: None,
            from_band: None,
            to_band: None,
            change: None,
            slope_per_30_days: None,
            edge: None,
            measure_id: None,
            message: String::new(),
            actions: Vec::new(),
        }
    }

    fn with(mut self, kind: AlertKind, model: &Model, s: &Snapshot) -> Alert {
        self.kind = kind;
        self.at = s.at.clone();
        self.account_id = s.card.as_ref().map(|c| c.account_id.clone());
        let card = s.card.as_ref();
        let cx = PlaybookContext {
            band: &s.band,
            direction: None,
            alert: Some(kind),
            segment: card.and_then(|c| c.segment.as_deref()),
            value: card.and_then(|c| c.value),
        };
        self.actions = model.actions(&cx);
        self
    }
}

impl Snapshot {
    fn band_label<'a>(&'a self, model: &'a Model) -> &'a str {
        model
            .bands()
            .iter()
            .find(|b| b.id == self.band)
            .map_or(self.band.as_str(), |b| b.label.as_str())
    }
}
