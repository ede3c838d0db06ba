//! Fitting a weighted model's weights to outcomes, keeping its rules.

use super::backtest::Backtest;
use super::logistic;
use super::table::{RowError, Table};
use crate::error::Error;
use crate::model::{Aggregation, Model, ModelSpec};
use crate::score::Status;
use serde::{Deserialize, Serialize};

/// Options for fitting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FitOptions {
    /// Share of rows held out for the before/after backtest (stratified).
    pub test_share: f64,
    /// Seed of the split.
    pub seed: u64,
    /// L2 penalty on the coefficients.
    pub lambda: f64,
    /// Newton iterations at most.
    pub iterations: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            test_share: 0.3,
            seed: 42,
            lambda: 1.0,
            iterations: 50,
        }
    }
}

/// The result of a fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FitResult {
    /// The fitted model: the same rules and bands, new weights.
    pub model: ModelSpec,
    /// Per measure: its share of the score before and after, and the coefficient.
    pub weights: Vec<FittedWeight>,
    /// Measures whose fitted effect is reversed (kept at weight 0).
    pub reversed: Vec<Reversal>,
    /// Rows the weights were fitted on.
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
    pub errors: Vec<RowError>,
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
    /// The logistic coefficient on its normalised score (negative: protects against churn).
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
    /// Fits the measure and category weights to outcomes: an L2-regularised
    /// logistic regression of churn on the measures' normalised scores
    /// (missing values count 0.5) over a stratified, seeded training split;
    /// weights are the negated coefficients, rounded to whole numbers
    /// (categories out of 100, measures out of 100 within their category).
    /// The rules, bands and everything else are kept. Weighted models only.
    pub fn fit(&self, table: &Table, opts: &FitOptions) -> Result<FitResult, Error> {
        if !(0.0..1.0).contains(&opts.test_share) {
            return Err(Error::new(
                "invalid_value",
                "testShare",
                "testShare must be within 0..1",
                "e.g. 0.3",
            ));
        }
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
        mut errors: Vec<RowError>,
    ) -> Result<FitResult, Error> {
        if self.spec().aggregation != Aggregation::Weighted {
            return Err(Error::new(
                "points_model_fit",
                "aggregation",
                "fit tunes weights, and a points model has none",
                "fit a weighted model, or build one from the data with suggest()",
            ));
        }
        let mut x = Vec::new();
        let mut y = Vec::new();
        for (r, result) in self.score_table(train).into_iter().enumerate() {
            match result {
                Ok(card) => {
                    let mut row = vec![0.5; self.measures.len()];
                    for (i, m) in self.measures.iter().enumerate() {
                        if let Some(res) = card.categories[m.category]
                            .measures
                            .iter()
                            .find(|x| x.id == m.id)
                        {
                            if res.status == Status::Present {
                                row[i] = res.normalized.unwrap_or(0.5);
                            }
                        }
                    }
                    x.push(row);
                    y.push(train.churned[r]);
                }
                Err(es) => errors.extend(es.into_iter().map(|e| RowError::from(train.index[r], e))),
            }
        }
        let churned = y.iter().filter(|v| **v).count();
        if churned == 0 || churned == y.len() {
            return Err(Error::new(
                "one_outcome",
                "",
                "the training rows have only one outcome",
                "fit needs both churned and retained accounts",
            ));
        }
        let lr = logistic::fit(&x, &y, opts.lambda, opts.iterations);
        let health: Vec<f64> = lr.coef.iter().map(|c| -c).collect();
        let mut reversed = Vec::new();
        for (i, m) in self.measures.iter().enumerate() {
            if health[i] < 0.0 {
                reversed.push(Reversal {
                    measure_id: m.id.clone(),
                    coefficient: lr.coef[i],
                    message: format!(
                        "{}: a higher score here went with more churn in the data (coefficient {:+.2}); kept at weight 0 rather than given a negative weight. Check the rule's direction.",
                        m.label, lr.coef[i]
                    ),
                });
            }
        }
        let spec = self.with_weights(&health.iter().map(|h| h.max(0.0)).collect::<Vec<_>>())?;
        let fitted = Model::from_spec(&spec).map_err(|e| e.0[0].clone())?;
        let weights = self
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| FittedWeight {
                measure_id: m.id.clone(),
                before: self.measures[i].share,
                after: fitted.measures[i].share,
                coefficient: lr.coef[i],
            })
            .collect();
        errors.sort_by_key(|e| e.index);
        Ok(FitResult {
            model: spec,
            weights,
            reversed,
            train_rows: x.len(),
            test_rows: test.len(),
            before: self.backtest(test),
            after: fitted.backtest(test),
            converged: lr.converged,
            errors,
        })
    }

    /// This model's spec with global measure weights `g` (any scale, ≥ 0),
    /// rounded: category weights to whole numbers out of 100, measure weights
    /// to whole numbers out of 100 within their category.
    fn with_weights(&self, g: &[f64]) -> Result<ModelSpec, Error> {
        let total: f64 = g.iter().sum();
        if total <= 0.0 {
            return Err(Error::new(
                "nothing_to_fit",
                "",
                "no measure goes with less churn in these rows",
                "check the outcome column (churned = true) and the rules' directions",
            ));
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
}
