//! Fitting a model to outcomes, keeping its rules: a weighted model's
//! weights, or a points model's points per measure.

use super::backtest::Backtest;
use super::logistic;
use super::options::FitOptions;
use super::table::Table;
use crate::error::{Error, Errors};
use crate::model::{Aggregation, Model, ModelSpec, Rule};
use crate::score::{BatchError, ColumnScores, BAND_REFUSED};
use serde::{Deserialize, Serialize};

/// The result of a fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FitResult {
    /// The fitted model: the same rules and bands; new weights (weighted
    /// models) or rescaled points (points models).
    pub model: ModelSpec,
    /// Per measure: its share of the score before and after, and the coefficient.
    pub weights: Vec<FittedWeight>,
    /// Measures whose fitted effect is reversed (weight 0 in a weighted
    /// model; left out of a points model).
    pub reversed: Vec<Reversal>,
    /// Rows the model was fitted on.
    pub train_rows: usize,
    /// Rows held out.
    pub test_rows: usize,
    /// The original model on the held-out rows.
    pub before: Backtest,
    /// The fitted model on the held-out rows.
    pub after: Backtest,
    /// Whether the regression converged within its iteration budget.
    pub converged: bool,
    /// Rows left out of the fit, with reasons.
    pub errors: Vec<BatchError>,
}

/// A measure's weight before and after fitting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FittedWeight {
    /// The measure.
    pub measure_id: String,
    /// Its share of the score before (0..1).
    pub before: f64,
    /// Its share of the score after rounding (0..1).
    pub after: f64,
    /// The logistic coefficient on its normalised score (weighted models) or
    /// on its points (points models); negative: it protects against churn.
    pub coefficient: f64,
}

/// A measure the data says points the other way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reversal {
    /// The measure.
    pub measure_id: String,
    /// Its coefficient (positive: a higher rule score went with more churn).
    pub coefficient: f64,
    /// A sentence for people.
    pub message: String,
}

impl Model {
    /// Fits the model to outcomes over a stratified, seeded training split
    /// and backtests it before and after on the held-out rows. A weighted
    /// model: an L2-regularised logistic regression of churn on the
    /// measures' normalised scores (a measure left out counts 0.5); weights
    /// are the negated coefficients, rounded to whole numbers (categories
    /// out of 100, measures out of 100 within their category). A points
    /// model: the same regression on each measure's points; each measure's
    /// points are multiplied by its negated coefficient (scaled so that the
    /// total span of points stays the same) and rounded to one decimal. The
    /// rules' shapes, the bands and everything else are kept.
    pub fn fit(&self, table: &Table, opts: &FitOptions) -> Result<FitResult, Errors> {
        Ok(Self::fit_inner(self, table, opts)?)
    }

    pub(crate) fn fit_inner(&self, table: &Table, opts: &FitOptions) -> Result<FitResult, Error> {
        opts.check()?;
        let (train, test) = table.split(opts.test_share, opts.seed);
        self.fit_split(
            &table.subset(&train),
            &table.subset(&test),
            opts,
            table.errors.clone(),
        )
    }

    pub(crate) fn fit_split(
        &self,
        train: &Table,
        test: &Table,
        opts: &FitOptions,
        mut errors: Vec<BatchError>,
    ) -> Result<FitResult, Error> {
        let points = self.spec().aggregation == Aggregation::Points;
        if points {
            if let Some(m) = self
                .measures
                .iter()
                .find(|m| crate::model::rules::bounds(&m.rule).is_none())
            {
                return Err(Error::new(
                    "invalid_value",
                    "aggregation",
                    format!("measure `{}` has a perEvent rule without maxEvents, so a fitted points model would have no range", m.id),
                    "give the rule a maxEvents, then fit",
                ));
            }
        }
        let scored = self.score_table(train, true);
        errors.extend(scored.errors.iter().cloned());
        let (x, y) = self.features(train, &scored, points);
        let p = self.measures.len();
        let churned = y.iter().filter(|v| **v).count();
        if churned == 0 || churned == y.len() {
            return Err(Error::new(
                "one_outcome",
                "",
                "the training rows have only one outcome",
                "fit needs both churned and retained accounts",
            ));
        }
        let lr = logistic::fit(&x, p, &y, opts.lambda, opts.iterations);
        let health: Vec<f64> = lr.coef.iter().map(|c| -c).collect();
        let reversed: Vec<Reversal> = self
            .measures
            .iter()
            .enumerate()
            .filter(|(i, _)| health[*i] < 0.0)
            .map(|(i, m)| Reversal {
                measure_id: m.id.clone(),
                coefficient: lr.coef[i],
                message: if points {
                    format!(
                        "{}: more of its points went with more churn in the data (coefficient {:+.2}); left out of the fitted model. Check the rule's direction.",
                        m.label, lr.coef[i]
                    )
                } else {
                    format!(
                        "{}: a higher score here went with more churn in the data (coefficient {:+.2}); kept at weight 0 rather than given a negative weight. Check the rule's direction.",
                        m.label, lr.coef[i]
                    )
                },
            })
            .collect();
        let kept: Vec<f64> = health.iter().map(|h| h.max(0.0)).collect();
        let spec = if points {
            self.with_points(&kept)?
        } else {
            self.with_weights(&kept)?
        };
        let fitted = Model::from_spec(&spec).map_err(|e| e.0[0].clone())?;
        let share = |m: &Model, id: &str| m.measure_index(id).map_or(0.0, |i| m.measures[i].share);
        let weights = self
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| FittedWeight {
                measure_id: m.id.clone(),
                before: m.share,
                after: share(&fitted, &m.id),
                coefficient: lr.coef[i],
            })
            .collect();
        errors.sort_by_key(|e| e.index);
        Ok(FitResult {
            model: spec,
            weights,
            reversed,
            train_rows: y.len(),
            test_rows: test.len(),
            before: self.backtest(test),
            after: fitted.backtest(test),
            converged: lr.converged,
            errors,
        })
    }

    /// The regression's features per scored row: each measure's normalised
    /// score (weighted) or points (points models); a measure that takes no
    /// part counts as the middle of its range.
    fn features(
        &self,
        table: &Table,
        scored: &ColumnScores,
        points: bool,
    ) -> (Vec<f64>, Vec<bool>) {
        let n = table.len();
        let p = self.measures.len();
        let full = scored.full.as_ref().expect("full results");
        let mut x = Vec::with_capacity(n * p);
        let mut y = Vec::with_capacity(n);
        for r in 0..n {
            if scored.bands[r] == BAND_REFUSED || scored.scores[r].is_nan() {
                continue;
            }
            for (i, m) in self.measures.iter().enumerate() {
                let at = i * n + r;
                let skipped = full.status[at] == 1;
                x.push(match (points, skipped) {
                    (false, true) => 0.5,
                    (false, false) => full.normalized[at],
                    (true, true) => (m.min + m.max) / 2.0,
                    (true, false) => full.partial[at].clamp(m.min, m.max),
                });
            }
            y.push(table.churned[r]);
        }
        (x, y)
    }

    /// This model's spec with global measure weights `g` (any scale, ≥ 0),
    /// rounded: category weights to whole numbers out of 100, measure weights
    /// to whole numbers out of 100 within their category.
    fn with_weights(&self, g: &[f64]) -> Result<ModelSpec, Error> {
        let total: f64 = g.iter().sum();
        if total <= 0.0 {
            return Err(nothing_to_fit());
        }
        let mut spec = self.spec().clone();
        let mut i = 0;
        for cat in &mut spec.categories {
            let range = i..i + cat.measures.len();
            i += cat.measures.len();
            let sum: f64 = g[range.clone()].iter().sum();
            let cw = (100.0 * sum / total).round();
            cat.weight = Some(cw);
            for (m, gi) in cat.measures.iter_mut().zip(&g[range]) {
                m.weight = Some(if sum > 0.0 {
                    (100.0 * gi / sum).round()
                } else {
                    1.0
                });
            }
            if cat.measures.iter().all(|m| m.weight == Some(0.0)) {
                for m in &mut cat.measures {
                    m.weight = Some(1.0);
                }
            }
        }
        if spec.categories.iter().all(|c| c.weight == Some(0.0)) {
            // Every category rounded to 0: keep the largest.
            let best = (0..spec.categories.len())
                .max_by(|&a, &b| {
                    let s = |c: usize| -> f64 {
                        self.categories[c].measures.clone().map(|m| g[m]).sum()
                    };
                    s(a).total_cmp(&s(b))
                })
                .unwrap_or(0);
            spec.categories[best].weight = Some(1.0);
        }
        Ok(spec)
    }

    /// This points model with each measure's points multiplied by `g[i]`
    /// (scaled so that the total span of points is unchanged), rounded to
    /// one decimal; measures at 0 (or whose points round flat) are left out.
    fn with_points(&self, g: &[f64]) -> Result<ModelSpec, Error> {
        let span = |i: usize| self.measures[i].max - self.measures[i].min;
        let before: f64 = (0..g.len()).map(span).sum();
        let after: f64 = (0..g.len()).map(|i| g[i] * span(i)).sum();
        if after <= 0.0 {
            return Err(nothing_to_fit());
        }
        let scale = before / after;
        let mut spec = self.spec().clone();
        spec.range = None;
        let mut i = 0;
        for cat in &mut spec.categories {
            let mut kept = Vec::new();
            for mut m in std::mem::take(&mut cat.measures) {
                let k = g[i] * scale;
                i += 1;
                if k <= 0.0 {
                    continue;
                }
                m.rule = scaled(&m.rule, k);
                m.missing_score = m.missing_score.map(|s| round1(s * k));
                let flat = crate::model::rules::bounds(&m.rule).is_some_and(|(lo, hi)| lo == hi);
                if !flat {
                    kept.push(m);
                }
            }
            cat.measures = kept;
        }
        spec.categories.retain(|c| !c.measures.is_empty());
        if spec.categories.is_empty() {
            return Err(nothing_to_fit());
        }
        let ids: Vec<&str> = spec
            .categories
            .iter()
            .flat_map(|c| &c.measures)
            .map(|m| m.id.as_str())
            .collect();
        spec.caps.retain(|c| ids.contains(&c.when.measure.as_str()));
        Ok(spec)
    }
}

fn nothing_to_fit() -> Error {
    Error::new(
        "nothing_to_fit",
        "",
        "no measure goes with less churn in these rows",
        "check the outcome (churnedWhen) and the rules' directions",
    )
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

/// A rule whose outputs are multiplied by `k` (> 0), rounded to one decimal.
fn scaled(rule: &Rule, k: f64) -> Rule {
    crate::model::rules::map_outputs(rule, |y| round1(y * k))
}
