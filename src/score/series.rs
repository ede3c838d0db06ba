//! Numbers derived from a short series of `{ at, value }` points (a
//! measure's `series`): a slope, a ratio of two windows' rates, or an
//! exponentially weighted mean. The windows end at the scoring date
//! (`asOf`, else `at`), else at the latest point; points after the end are
//! left out. No derivable number (too few points, an empty prior window)
//! is a missing value, and the measure's missing policy applies.

use crate::model::{Derive, SeriesSpec};

const DAY: f64 = 86_400.0;

/// The derived number of `points` (seconds since the epoch, value).
pub(crate) fn derive(spec: &SeriesSpec, points: &[(f64, f64)], end: Option<f64>) -> Option<f64> {
    let latest = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let end = end.unwrap_or(latest);
    // (age in days before the end, value), oldest first.
    let mut aged: Vec<(f64, f64)> = points
        .iter()
        .filter(|(t, _)| *t <= end)
        .map(|(t, v)| ((end - t) / DAY, *v))
        .collect();
    aged.sort_by(|a, b| b.0.total_cmp(&a.0));
    match spec.derive {
        Derive::Slope => {
            let window = spec.window_days.unwrap_or(f64::INFINITY);
            let pts: Vec<(f64, f64)> = aged
                .iter()
                .filter(|(age, _)| *age <= window)
                .map(|(age, v)| (-age, *v))
                .collect();
            if pts.len() < 2 {
                return None;
            }
            let n = pts.len() as f64;
            let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
            let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
            let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
            let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
            (sxx > 0.0).then(|| sxy / sxx * spec.per_days.unwrap_or(30.0))
        }
        Derive::Ratio => {
            let recent = spec.recent_days?;
            let prior = spec.prior_days?;
            let sum = |lo: f64, hi: f64| -> (f64, usize) {
                aged.iter()
                    .filter(|(age, _)| *age >= lo && *age < hi)
                    .fold((0.0, 0), |(s, k), (_, v)| (s + v, k + 1))
            };
            let (r, _) = sum(0.0, recent);
            let (q, k) = sum(recent, recent + prior);
            let prior_rate = q / prior;
            (k > 0 && prior_rate != 0.0).then(|| (r / recent) / prior_rate)
        }
        Derive::Ewma => {
            let h = spec.half_life_days?;
            let (num, den) = aged.iter().fold((0.0, 0.0), |(num, den), (age, v)| {
                let w = 0.5f64.powf(age / h);
                (num + w * v, den + w)
            });
            (den > 0.0).then(|| num / den)
        }
    }
}
