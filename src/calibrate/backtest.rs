//! Backtesting a model against outcomes.

use super::metrics::{auc, lift, roc};
use super::table::{number, RowError, Table};
use crate::error::Error;
use crate::model::{Model, Rule};
use crate::score::{Account, Input, Scorecard, Status, INSUFFICIENT_DATA};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    pub errors: Vec<RowError>,
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
    /// Scores every row and measures how the scores line up with outcomes.
    /// Columns named after measure ids are values; text cells are coerced as
    /// from a CSV (numeric text for numeric rules, yes/no/true/false/1/0 for
    /// flags, numbers as text for match rules, blank as missing).
    pub fn backtest(&self, table: &Table) -> Backtest {
        let scored = self.score_table(table);
        let mut errors = table.errors.clone();
        let mut scores = Vec::new();
        let mut churned = Vec::new();
        let mut cards: Vec<(Scorecard, bool)> = Vec::new();
        for (r, result) in scored.into_iter().enumerate() {
            match result {
                Ok(card) => match card.score {
                    Some(s) => {
                        scores.push(s);
                        churned.push(table.churned[r]);
                        cards.push((card, table.churned[r]));
                    }
                    None => errors.push(RowError::from(
                        table.index[r],
                        Error::new("no_score", "", "no measure had a value", ""),
                    )),
                },
                Err(es) => errors.extend(es.into_iter().map(|e| RowError::from(table.index[r], e))),
            }
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
        for (card, c) in &cards {
            if let Some(b) = bands.iter_mut().find(|b| b.band == card.band.id) {
                b.count += 1;
                b.churned += usize::from(*c);
            }
            let s = card.score.unwrap_or(0.0);
            let bin = &mut distribution[((s / 10.0).floor() as usize).min(9)];
            bin.count += 1;
            bin.churned += usize::from(*c);
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
            measures: self.measure_checks(&cards),
            roc: roc(&scores, &churned, 101),
            errors,
        }
    }

    /// Every row scored (in table order).
    pub(crate) fn score_table(&self, table: &Table) -> Vec<Result<Scorecard, Vec<Error>>> {
        let cols: Vec<(usize, Option<usize>)> = self
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| (i, table.column(&m.id)))
            .collect();
        (0..table.len())
            .map(|r| {
                let mut account = Account::new(table.index[r].to_string());
                account.value = table.values[r];
                for &(i, col) in &cols {
                    if let Some(c) = col {
                        account.values.push((
                            self.measures[i].id.clone(),
                            coerce(&self.measures[i].rule, &table.cells[r][c]),
                        ));
                    }
                }
                self.score(&account)
            })
            .collect()
    }

    fn measure_checks(&self, cards: &[(Scorecard, bool)]) -> Vec<MeasureCheck> {
        self.measures
            .iter()
            .map(|m| {
                let mut norm = Vec::new();
                let mut raw = Vec::new();
                let mut raw_churn = Vec::new();
                let mut outcome = Vec::new();
                for (card, c) in cards {
                    let Some(r) = card.categories[m.category].measures.iter().find(|x| x.id == m.id) else { continue };
                    if r.status != Status::Present {
                        continue;
                    }
                    norm.push(r.normalized.unwrap_or(0.0));
                    outcome.push(*c);
                    if let Some(x) = r.value.as_f64() {
                        raw.push(x);
                        raw_churn.push(*c);
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

/// A calibration cell as a rule's input, the way a CSV cell is read.
pub(crate) fn coerce(rule: &Rule, v: &Value) -> Input {
    match (rule, v) {
        (_, Value::Null) => Input::Missing,
        (_, Value::String(s)) if s.trim().is_empty() => Input::Missing,
        (Rule::Flag { .. }, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" | "y" => Input::Bool(true),
            "no" | "false" | "0" | "n" => Input::Bool(false),
            _ => Input::Text(s.clone()),
        },
        (Rule::Flag { .. }, Value::Number(n)) if n.as_f64() == Some(1.0) => Input::Bool(true),
        (Rule::Flag { .. }, Value::Number(n)) if n.as_f64() == Some(0.0) => Input::Bool(false),
        (Rule::Match { .. }, Value::Number(n)) => {
            Input::Text(number_text(n.as_f64().unwrap_or(f64::NAN)))
        }
        (Rule::Match { .. }, Value::Bool(b)) => {
            Input::Text(if *b { "true".into() } else { "false".into() })
        }
        (Rule::Match { .. }, _) | (Rule::Flag { .. }, _) => Input::from_json(v),
        (_, Value::String(_)) => number(v).map_or_else(|| Input::from_json(v), Input::Number),
        (_, Value::Bool(b)) => Input::Number(if *b { 1.0 } else { 0.0 }),
        _ => Input::from_json(v),
    }
}

/// A number as text the way a CSV writes it: `2`, not `2.0`.
pub(crate) fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
