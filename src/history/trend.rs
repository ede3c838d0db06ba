//! Trend over a history: change since the previous snapshot and over a
//! window, least-squares slope per 30 days, direction.

use super::Snapshot;
use crate::model::{Direction, Model};
use crate::score::Trend;

const DAY: f64 = 86_400.0;

impl Model {
    /// The trend at the end of a history (snapshots in time order, as
    /// [`Model::read_history`] gives them); None when no snapshot has a
    /// score. Only the last model's run counts (see `history::runs`):
    /// snapshots of an earlier model take no part.
    pub fn trend(&self, history: &[Snapshot]) -> Option<Trend> {
        self.trend_of(&history[super::runs::run_start(history)..])
    }

    /// [`Model::trend`] of a history given as JSON text (scorecards or
    /// `{ at, score }` points).
    pub fn trend_json(&self, history: &str) -> Result<Option<Trend>, crate::Errors> {
        Ok(self.trend(&self.read_history(history)?))
    }

    /// The trend at the last snapshot of `snaps` (in time order), all of
    /// them whatever their model ([`Model::trend`] takes the last run only).
    pub fn trend_of(&self, snaps: &[Snapshot]) -> Option<Trend> {
        let scored: Vec<&Snapshot> = snaps.iter().filter(|s| s.score.is_some()).collect();
        let last = *scored.last()?;
        let score = last.score?;
        let a = &self.spec().alerts;
        let within = |s: &Snapshot, days: f64| match (last.t, s.t) {
            (Some(t1), Some(t0)) => t1 - t0 <= days * DAY,
            _ => true, // an undated snapshot counts as inside every window
        };
        let change_since_previous = scored
            .len()
            .checked_sub(2)
            .map(|i| score - scored[i].score.unwrap_or(score));
        let change_over_window = scored[..scored.len() - 1]
            .iter()
            .find(|s| within(s, a.change_window_days))
            .map(|s| score - s.score.unwrap_or(score));
        let window: Vec<(f64, f64)> = scored
            .iter()
            .filter(|s| within(s, a.trend_window_days))
            .filter_map(|s| Some((s.t? / DAY, s.score?)))
            .collect();
        let slope = slope_per_day(&window).map(|m| m * 30.0);
        let span = match (window.first(), window.last()) {
            (Some(f), Some(l)) => l.0 - f.0,
            _ => 0.0,
        };
        let direction = slope
            .filter(|_| steady(window.len(), span, a))
            .map(|m| direction_of(m, a.flat_within));
        Some(Trend {
            snapshots: window.len(),
            at: last.at.clone(),
            score,
            change_since_previous,
            change_over_window,
            slope_per_30_days: slope,
            direction,
        })
    }
}

/// Whether a trend window is long enough to have a direction: at least
/// `trendMinSnapshots` scored snapshots spanning at least `trendMinDays`
/// days (three snapshots an hour apart are noise, not a trend).
pub(crate) fn steady(snapshots: usize, span_days: f64, a: &crate::model::AlertSettings) -> bool {
    snapshots >= a.trend_min_snapshots as usize && span_days >= a.trend_min_days
}

/// Up, down or flat for a slope per 30 days: flat within `±flat_within`,
/// with a tolerance of 1e-9 (relative) for rounding, so that a slope that
/// is the tolerance by hand (−3.0000000000000426 for −3) counts as flat.
pub(crate) fn direction_of(m: f64, flat_within: f64) -> Direction {
    let edge = flat_within + 1e-9 * flat_within.abs().max(1.0);
    if m > edge {
        Direction::Up
    } else if m < -edge {
        Direction::Down
    } else {
        Direction::Flat
    }
}

/// Least-squares slope of `(day, score)` points; None without two distinct days.
pub(crate) fn slope_per_day(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}
