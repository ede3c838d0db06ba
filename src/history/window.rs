//! The trend and the recent peak at every snapshot of a history, in one pass:
//! what `alerts` needs at each snapshot, in time linear in the history
//! (computing [`Model::trend_of`] afresh at each snapshot was quadratic).
//!
//! Windows slide forward with the snapshots (they are sorted by date), so
//! each snapshot enters and leaves each window once. The slope of a window
//! of up to [`EXACT_UP_TO`] snapshots is computed in two passes over it,
//! exactly as [`Model::trend_of`] does (the same bits); a larger window uses
//! running sums (the same value to about 1e-9 relative).

use super::trend::{direction_of, slope_per_day, steady};
use super::Snapshot;
use crate::model::{AlertSettings, Direction};
use std::collections::VecDeque;

const DAY: f64 = 86_400.0;

/// Windows up to this many snapshots get the two-pass slope.
pub(crate) const EXACT_UP_TO: usize = 256;

/// What the alerts read at one scored snapshot.
pub(crate) struct AtSnapshot {
    /// Scored snapshots in the trend window (this one included); read by
    /// the tests, which check it against `trend`'s count.
    #[cfg_attr(not(test), allow(dead_code))]
    pub snapshots: usize,
    /// Least-squares slope in points per 30 days.
    pub slope: Option<f64>,
    /// Up, down or flat (by the model's `flatWithin`).
    pub direction: Option<Direction>,
    /// The highest score of the earlier snapshots within the drop window.
    pub peak: f64,
}

/// Slides the trend and drop windows over dated, sorted snapshots.
pub(crate) struct Windows<'a> {
    snaps: &'a [Snapshot],
    a: &'a AlertSettings,
    origin: f64,
    /// Scored snapshots in the trend window: their seconds, and (day,
    /// score) as the slope reads them (kept apart so that no copy is made).
    times: VecDeque<f64>,
    trend: VecDeque<(f64, f64)>,
    sums: Sums,
    /// Earlier scored snapshots in the drop window whose score no later one
    /// in it reaches (the front is the peak).
    peaks: VecDeque<(f64, f64)>,
}

#[derive(Default)]
struct Sums {
    x: f64,
    y: f64,
    xx: f64,
    xy: f64,
}

impl<'a> Windows<'a> {
    /// None when a snapshot is undated (undated snapshots count as inside
    /// every window; the caller computes those few by the direct way).
    pub(crate) fn new(snaps: &'a [Snapshot], a: &'a AlertSettings) -> Option<Windows<'a>> {
        if snaps.iter().any(|s| s.t.is_none()) {
            return None;
        }
        Some(Windows {
            snaps,
            a,
            origin: snaps.first().and_then(|s| s.t).unwrap_or(0.0) / DAY,
            times: VecDeque::new(),
            trend: VecDeque::new(),
            sums: Sums::default(),
            peaks: VecDeque::new(),
        })
    }

    /// The windows at snapshot `k` (call with increasing `k`, scored
    /// snapshots only), then `k` joins them.
    pub(crate) fn at(&mut self, k: usize) -> AtSnapshot {
        let s = &self.snaps[k];
        let (t, score) = (s.t.unwrap_or(0.0), s.score.unwrap_or(f64::NAN));
        // The drop window: earlier snapshots at most dropWindowDays before.
        while self
            .peaks
            .front()
            .is_some_and(|&(t0, _)| t - t0 > self.a.drop_window_days * DAY)
        {
            self.peaks.pop_front();
        }
        let peak = self.peaks.front().map_or(f64::NEG_INFINITY, |p| p.1);
        while self.peaks.back().is_some_and(|&(_, y)| y <= score) {
            self.peaks.pop_back();
        }
        self.peaks.push_back((t, score));
        // The trend window: this snapshot and those at most trendWindowDays before.
        let day = t / DAY;
        self.times.push_back(t);
        self.trend.push_back((day, score));
        self.sums.add(day - self.origin, score, 1.0);
        while self
            .times
            .front()
            .is_some_and(|&t0| t - t0 > self.a.trend_window_days * DAY)
        {
            self.times.pop_front();
            if let Some((d0, y0)) = self.trend.pop_front() {
                self.sums.add(d0 - self.origin, y0, -1.0);
            }
        }
        let n = self.trend.len();
        let slope = if n <= EXACT_UP_TO {
            slope_per_day(self.trend.make_contiguous())
        } else {
            self.sums.slope(n)
        }
        .map(|m| m * 30.0);
        let span = self.trend.front().map_or(0.0, |&(d0, _)| day - d0);
        AtSnapshot {
            snapshots: n,
            slope,
            direction: slope
                .filter(|_| steady(n, span, self.a))
                .map(|m| direction_of(m, self.a.flat_within)),
            peak,
        }
    }
}

impl Sums {
    fn add(&mut self, x: f64, y: f64, sign: f64) {
        self.x += sign * x;
        self.y += sign * y;
        self.xx += sign * x * x;
        self.xy += sign * x * y;
    }

    fn slope(&self, n: usize) -> Option<f64> {
        let n = n as f64;
        let sxx = self.xx - self.x * self.x / n;
        let sxy = self.xy - self.x * self.y / n;
        (n >= 2.0 && sxx > 1e-9 * self.xx.abs().max(1.0)).then(|| sxy / sxx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn model() -> Model {
        Model::from_json(include_str!("../../presets/composite-kpi.json")).unwrap()
    }

    /// `n` snapshots `step` seconds apart, some without a score.
    fn snaps(n: usize, step: f64) -> Vec<Snapshot> {
        (0..n)
            .map(|i| Snapshot {
                at: Some(format!("t{i}")),
                model_hash: None,
                t: Some(1.7e9 + i as f64 * step),
                score: (i % 11 != 5)
                    .then(|| 50.0 + 40.0 * (i as f64 / 30.0).sin() + (i % 7) as f64),
                band: "x".into(),
                card: None,
            })
            .collect()
    }

    /// Every snapshot's windows equal the direct computation: the same bits
    /// for small windows, within 1e-9 for windows of running sums.
    #[test]
    fn sliding_windows_equal_the_direct_computation() {
        let m = model();
        let a = &m.spec().alerts;
        for (n, step) in [(400, 86_400.0), (3_000, 3_600.0), (200, 60.0)] {
            let s = snaps(n, step);
            let mut w = Windows::new(&s, a).unwrap();
            let mut large = 0;
            for k in 0..n {
                if s[k].score.is_none() {
                    continue;
                }
                let got = w.at(k);
                let want = m.trend_of(&s[..=k]).unwrap();
                assert_eq!(got.snapshots, want.snapshots, "n {n} k {k}");
                match (got.slope, want.slope_per_30_days) {
                    (Some(x), Some(y)) if got.snapshots <= EXACT_UP_TO => {
                        assert_eq!(x.to_bits(), y.to_bits())
                    }
                    (Some(x), Some(y)) => {
                        large += 1;
                        assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}");
                    }
                    (x, y) => assert_eq!(x, y),
                }
                let peak = s[..k]
                    .iter()
                    .filter(|p| s[k].t.unwrap() - p.t.unwrap() <= a.drop_window_days * DAY)
                    .filter_map(|p| p.score)
                    .fold(f64::NEG_INFINITY, f64::max);
                assert_eq!(got.peak, peak);
            }
            if step == 3_600.0 {
                assert!(large > 1_000, "the running sums were used: {large}");
            }
        }
    }
}
