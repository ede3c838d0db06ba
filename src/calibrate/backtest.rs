//! Backtesting a model against outcomes.

use super::metrics::{auc, lift, roc};
use super::table::Table;
use crate::error::Error;
use crate::model::{Model, Rule};
use crate::score::{
    BatchError, ColumnScores, Input, BAND_INSUFFICIENT, BAND_REFUSED, INSUFFICIENT_DATA,
};
use serde::{Deserialize, Serialize};

/// How a model's scores line up with what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Backtest {
    /// The model's id and hash.
    pub model_id: String,
    /// The model's hash.
    pub model_hash: String,
    /// Rows scored (with a score).
    pub rows: usize,
    /// Of those, churned.
    pub churned: usize,
    /// `churned / rows`.
    pub churn_rate: f64,
    /// ROC AUC of "a lower score means churn" (ties count ½); null without both outcomes.
    pub auc: Option<f64>,
    /// Churn rate in the lowest-scoring 10 % over the overall rate.
    pub top_decile_lift: Option<f64>,
    /// Per band (the model's, then insufficient_data): count, churned, churn rate.
    pub bands: Vec<BandOutcome>,
    /// The lowest band as a churn alarm.
    pub lowest_band: LowestBand,
    /// Scores in ten bins of 10 points: count and churned.
    pub distribution: Vec<Bin>,
    /// Each measure's own link to churn.
    pub measures: Vec<MeasureCheck>,
    /// ROC curve points `[falsePositiveRate, truePositiveRate]` (≤ 101).
    pub roc: Vec<[f64; 2]>,
    /// Rows left out, with reasons (bad outcome, bad value, no score).
    pub errors: Vec<BatchError>,
}

/// Outcomes in one band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandOutcome {
    /// Band id.
    pub band: String,
    /// Rows in the band.
    pub count: usize,
    /// Of those, churned.
    pub churned: usize,
    /// `churned / count` (null when empty).
    pub churn_rate: Option<f64>,
}

/// Precision and recall of the lowest band as a churn alarm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LowestBand {
    /// Band id.
    pub band: String,
    /// Churned in the band / rows in the band.
    pub precision: Option<f64>,
    /// Churned in the band / all churned.
    pub recall: Option<f64>,
}

/// A bin of the score distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Bin {
    /// Lower edge (inclusive).
    pub from: f64,
    /// Upper edge (exclusive, except 100).
    pub to: f64,
    /// Rows.
    pub count: usize,
    /// Of those, churned.
    pub churned: usize,
}

/// One measure's own predictive power and direction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeasureCheck {
    /// The measure.
    pub measure_id: String,
    /// Rows where it had a value.
    pub present: usize,
    /// AUC of its normalised score alone ("lower means churn"); below 0.5 it
    /// points the other way.
    pub auc: Option<f64>,
    /// For numeric values: `higherIsHealthier` when higher raw values go with
    /// less churn, `lowerIsHealthier` otherwise (null for flags and text).
    pub direction: Option<String>,
    /// Whether the rule scores in the direction the data shows.
    pub matches_rule: Option<bool>,
    /// A sentence when the signal points the other way.
    pub message: Option<String>,
}

impl Model {
    /// Scores every row with the columnar kernel and measures how the scores
    /// line up with outcomes. Columns named after measure ids are the
    /// measures' values, read by the typing policy for table cells (numeric
    /// text is a number, yes/no a flag, numbers a `match` value by their
    /// text, blank and `NA`-like text missing).
    pub fn backtest(&self, table: &Table) -> Backtest {
        let scored = self.score_table(table, true);
        self.backtest_scored(table, &scored)
    }

    /// A backtest from scores already taken (`score_table(table, true)`).
    pub(crate) fn backtest_scored(&self, table: &Table, scored: &ColumnScores) -> Backtest {
        let mut errors = table.errors.clone();
        errors.extend(scored.errors.iter().cloned());
        let mut scores = Vec::new();
        let mut churned = Vec::new();
        let mut rows = Vec::new();
        for r in 0..table.len() {
            if scored.bands[r] == BAND_REFUSED {
                continue;
            }
            let s = scored.scores[r];
            if s.is_nan() {
                errors.push(BatchError::at(
                    table.index[r],
                    Error::new(
                        "no_score",
                        "",
                        "no measure had a value",
                        "give the row values for the model's measures",
                    ),
                ));
                continue;
            }
            scores.push(s);
            churned.push(table.churned[r]);
            rows.push(r);
        }
        errors.sort_by_key(|e| e.index);
        let total_churned = churned.iter().filter(|c| **c).count();
        let mut bands: Vec<BandOutcome> = self
            .bands()
            .iter()
            .map(|b| b.id.clone())
            .chain([INSUFFICIENT_DATA.to_string()])
            .map(|band| BandOutcome {
                band,
                count: 0,
                churned: 0,
                churn_rate: None,
            })
            .collect();
        let mut distribution: Vec<Bin> = (0..10)
            .map(|k| Bin {
                from: 10.0 * k as f64,
                to: 10.0 * (k + 1) as f64,
                count: 0,
                churned: 0,
            })
            .collect();
        let last = bands.len() - 1;
        for (k, &r) in rows.iter().enumerate() {
            let b = scored.bands[r];
            let slot = if b == BAND_INSUFFICIENT {
                last
            } else {
                usize::from(b).min(last)
            };
            bands[slot].count += 1;
            bands[slot].churned += usize::from(churned[k]);
            let bin = &mut distribution[((scores[k] / 10.0).floor() as usize).min(9)];
            bin.count += 1;
            bin.churned += usize::from(churned[k]);
        }
        for b in &mut bands {
            b.churn_rate = (b.count > 0).then(|| b.churned as f64 / b.count as f64);
        }
        let lowest = &bands[0];
        let lowest_band = LowestBand {
            band: lowest.band.clone(),
            precision: lowest.churn_rate,
            recall: (total_churned > 0).then(|| lowest.churned as f64 / total_churned as f64),
        };
        Backtest {
            model_id: self.id().to_string(),
            model_hash: self.hash().to_string(),
            rows: scores.len(),
            churned: total_churned,
            churn_rate: if scores.is_empty() {
                0.0
            } else {
                total_churned as f64 / scores.len() as f64
            },
            auc: auc(&scores, &churned),
            top_decile_lift: lift(&scores, &churned, 0.1),
            bands,
            lowest_band,
            distribution,
            measures: self.measure_checks(table, scored, &rows),
            roc: roc(&scores, &churned, 101),
            errors,
        }
    }

    fn measure_checks(
        &self,
        table: &Table,
        scored: &ColumnScores,
        rows: &[usize],
    ) -> Vec<MeasureCheck> {
        let n = table.len();
        let full = scored.full.as_ref();
        self.measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let column = table.column(&m.id);
                let mut norm = Vec::new();
                let mut outcome = Vec::new();
                let mut raw = Vec::new();
                let mut raw_churn = Vec::new();
                for &r in rows {
                    let at = i * n + r;
                    let present = full.is_some_and(|f| f.status[at] == 0);
                    if !present {
                        continue;
                    }
                    norm.push(full.map_or(0.0, |f| f.normalized[at]));
                    outcome.push(table.churned[r]);
                    if let (Some(c), false) = (column, matches!(m.rule, Rule::Flag { .. } | Rule::Match { .. })) {
                        if let Input::Number(x) = table.columns[c].input(&m.rule, r) {
                            raw.push(x);
                            raw_churn.push(table.churned[r]);
                        }
                    }
                }
                let a = auc(&norm, &outcome);
                let numeric = !matches!(m.rule, Rule::Flag { .. } | Rule::Match { .. });
                let direction = if numeric {
                    auc(&raw, &raw_churn).map(|x| if x >= 0.5 { "higherIsHealthier" } else { "lowerIsHealthier" }.to_string())
                } else {
                    None
                };
                let matches_rule = a.map(|x| x >= 0.5);
                let message = match (a, matches_rule) {
                    (Some(x), Some(false)) => Some(format!(
                        "{}: accounts this rule scores higher churned more often (AUC {:.2}); the signal points the other way.",
                        m.label, x
                    )),
                    _ => None,
                };
                MeasureCheck { measure_id: m.id.clone(), present: norm.len(), auc: a, direction, matches_rule, message }
            })
            .collect()
    }
}
