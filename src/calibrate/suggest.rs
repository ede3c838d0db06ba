//! Building a model from a labelled table, and suggesting band edges.

use super::backtest::{number_text, BandOutcome};
use super::fit::{FitOptions, FitResult};
use super::metrics::auc;
use super::table::{number, Table};
use crate::error::Error;
use crate::model::{BandSpec, Model, ModelSpec};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Options for [`Model::suggest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SuggestOptions {
    /// The fit's options (split, seed, penalty).
    #[serde(flatten)]
    pub fit: FitOptions,
    /// Columns to leave out (besides the outcome and value columns).
    pub skip: Vec<String>,
    /// Robust range of numeric columns: the `low` and `1 − low` percentiles.
    pub percentile: f64,
    /// Target shares of accounts per band, lowest first.
    pub band_shares: Vec<f64>,
    /// The suggested model's id.
    pub id: String,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            fit: FitOptions::default(),
            skip: Vec::new(),
            percentile: 0.05,
            band_shares: vec![0.2, 0.5, 0.3],
            id: "suggested".into(),
        }
    }
}

/// What Suggest did with each column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ColumnUse {
    /// The column.
    pub column: String,
    /// `numeric`, `categorical` or `skipped`.
    pub kind: String,
    /// Why it was skipped, or how it is scored.
    pub note: String,
}

/// The result of [`Model::suggest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The suggested model (rules from the training rows, fitted weights, bands by share).
    pub model: ModelSpec,
    /// What was done with each column.
    pub columns: Vec<ColumnUse>,
    /// The fit: weights, reversed measures, before/after backtests on the held-out rows.
    pub fit: FitResult,
    /// The suggested model on the held-out rows (with its final bands).
    pub backtest: super::Backtest,
}

/// Target for band edges.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BandTargets {
    /// Shares of accounts per band, lowest first (summing to 1).
    #[serde(default)]
    pub shares: Option<Vec<f64>>,
    /// Churn rates per band except the top, lowest first (each band is made
    /// as large as it can be while its churn rate stays at least the target).
    #[serde(default)]
    pub churn_rates: Option<Vec<f64>>,
}

/// Suggested band edges and the outcomes they give.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandEdges {
    /// The `from` edge of each band after the first (whole numbers).
    pub edges: Vec<f64>,
    /// The model's bands with those edges.
    pub bands: Vec<BandSpec>,
    /// Count, churned and churn rate per band with those edges.
    pub outcomes: Vec<BandOutcome>,
}

impl Model {
    /// Suggests band edges from the rows' scores: by target shares of
    /// accounts, or by target churn rates per band. Edges are whole numbers.
    pub fn suggest_bands(&self, table: &Table, targets: &BandTargets) -> Result<BandEdges, Error> {
        let mut scored: Vec<(f64, bool)> = self
            .score_table(table)
            .into_iter()
            .enumerate()
            .filter_map(|(r, c)| Some((c.ok()?.score?, table.churned[r])))
            .collect();
        if scored.is_empty() {
            return Err(Error::new(
                "no_score",
                "",
                "no row has a score",
                "give rows with values for the model's measures",
            ));
        }
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n_bands = self.bands().len();
        let n = scored.len();
        let mut edges = Vec::new();
        match (&targets.shares, &targets.churn_rates) {
            (Some(shares), None) => {
                if shares.len() != n_bands
                    || shares.iter().any(|s| *s < 0.0)
                    || (shares.iter().sum::<f64>() - 1.0).abs() > 1e-6
                {
                    return Err(Error::new(
                        "invalid_value",
                        "shares",
                        format!("give {n_bands} shares, one per band, adding up to 1"),
                        "e.g. [0.2, 0.5, 0.3]",
                    ));
                }
                let mut cum = 0.0;
                for s in &shares[..n_bands - 1] {
                    cum += s;
                    let k = ((cum * n as f64).round() as usize).min(n - 1);
                    edges.push(scored[k].0.round());
                }
            }
            (None, Some(rates)) => {
                if rates.len() != n_bands - 1 {
                    return Err(Error::new(
                        "invalid_value",
                        "churnRates",
                        format!(
                            "give {} churn rates, one per band below the top",
                            n_bands - 1
                        ),
                        "e.g. [0.5, 0.2]",
                    ));
                }
                let mut start = 0;
                for &target in rates {
                    let mut best = start;
                    let mut churned = 0usize;
                    for (k, (_, c)) in scored.iter().enumerate().skip(start) {
                        churned += usize::from(*c);
                        let size = k + 1 - start;
                        if churned as f64 / size as f64 >= target {
                            best = k + 1;
                        }
                    }
                    start = best.min(n - 1);
                    edges.push(scored[start].0.round());
                }
            }
            _ => {
                return Err(Error::new(
                    "invalid_value",
                    "",
                    "give either shares or churnRates",
                    "e.g. { shares: [0.2, 0.5, 0.3] }",
                ));
            }
        }
        // Strictly increasing, within 1..100.
        let mut last = 0.0;
        for e in &mut edges {
            *e = e.max(last + 1.0).min(100.0);
            last = *e;
        }
        let mut bands = self.spec().bands.clone();
        for (b, e) in bands.iter_mut().skip(1).zip(&edges) {
            b.from = Some(*e);
            b.above = None;
        }
        let mut outcomes: Vec<BandOutcome> = bands
            .iter()
            .map(|b| BandOutcome {
                band: b.id.clone(),
                count: 0,
                churned: 0,
                churn_rate: None,
            })
            .collect();
        for (s, c) in &scored {
            let i = edges.iter().filter(|e| s >= e).count();
            outcomes[i].count += 1;
            outcomes[i].churned += usize::from(*c);
        }
        for o in &mut outcomes {
            o.churn_rate = (o.count > 0).then(|| o.churned as f64 / o.count as f64);
        }
        Ok(BandEdges {
            edges,
            bands,
            outcomes,
        })
    }

    /// Builds a model from a labelled table: for each numeric column a
    /// `linear` rule between its robust percentiles (5 % and 95 %) in the
    /// direction that goes with less churn; for each text column a `match`
    /// rule scoring each value by its churn rate; skipping ids, near-constant
    /// columns and columns with too many distinct values. Rules come from the
    /// training rows only; then the weights are fitted and band edges set by
    /// target shares. The result is an ordinary model.
    pub fn suggest(table: &Table, opts: &SuggestOptions) -> Result<Suggestion, Error> {
        let (train_rows, test_rows) = table.split(opts.fit.test_share, opts.fit.seed);
        let train = table.subset(&train_rows);
        let test = table.subset(&test_rows);
        let mut measures = Vec::new();
        let mut columns = Vec::new();
        for (c, name) in table.columns.iter().enumerate() {
            let (kind, note, measure) = if opts.skip.contains(name) {
                ("skipped", "left out by the options".to_string(), None)
            } else {
                column_rule(&train, c, name, opts.percentile)
            };
            columns.push(ColumnUse {
                column: name.clone(),
                kind: kind.into(),
                note,
            });
            if let Some(m) = measure {
                measures.push(m);
            }
        }
        if measures.is_empty() {
            return Err(Error::new(
                "no_columns",
                "",
                "no column could be used as a measure",
                "give numeric or text columns that vary",
            ));
        }
        let doc = json!({
            "version": 1, "id": opts.id, "name": "Suggested from data",
            "description": format!("Built by suggest() from {} labelled rows: rules from the training rows, weights fitted to churn.", table.len()),
            "aggregation": "weighted", "missing": "skip", "minCoverage": 0.5,
            "bands": default_bands(opts.band_shares.len()),
            "categories": [ { "id": "signals", "label": "Signals", "weight": 100, "measures": measures } ]
        });
        let draft = Model::from_value(&doc).map_err(|e| e.0[0].clone())?;
        let fit = draft.fit_split(&train, &test, &opts.fit, table.errors.clone())?;
        let fitted = Model::from_spec(&fit.model).map_err(|e| e.0[0].clone())?;
        let edges = fitted.suggest_bands(
            &train,
            &BandTargets {
                shares: Some(opts.band_shares.clone()),
                churn_rates: None,
            },
        )?;
        let mut spec = fit.model.clone();
        spec.bands = edges.bands;
        let model = Model::from_spec(&spec).map_err(|e| e.0[0].clone())?;
        Ok(Suggestion {
            backtest: model.backtest(&test),
            model: spec,
            columns,
            fit,
        })
    }
}

fn default_bands(n: usize) -> Value {
    let palette = [
        ("at_risk", "At risk", "#d55e00"),
        ("watch", "Watch", "#e69f00"),
        ("healthy", "Healthy", "#009e73"),
    ];
    let bands: Vec<Value> = (0..n.clamp(2, 3))
        .map(|i| {
            let (id, label, color) = if n == 2 {
                [palette[0], palette[2]][i]
            } else {
                palette[i]
            };
            json!({ "id": id, "label": label, "color": color, "from": (100 * i / n) as f64 })
        })
        .collect();
    Value::Array(bands)
}

/// How a column becomes a measure (or why it does not).
fn column_rule(t: &Table, c: usize, name: &str, pct: f64) -> (&'static str, String, Option<Value>) {
    let present: Vec<(usize, &Value)> = t
        .cells
        .iter()
        .enumerate()
        .map(|(r, row)| (r, &row[c]))
        .filter(|(_, v)| !v.is_null() && !matches!(v, Value::String(s) if s.trim().is_empty()))
        .collect();
    if present.len() < 10 {
        return ("skipped", "fewer than 10 values".into(), None);
    }
    let nums: Vec<(f64, bool)> = present
        .iter()
        .filter_map(|(r, v)| Some((number(v)?, t.churned[*r])))
        .collect();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (r, v) in &present {
        let key = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => number_text(n.as_f64().unwrap_or(0.0)),
            other => other.to_string(),
        };
        let e = counts.entry(key).or_default();
        e.0 += 1;
        e.1 += usize::from(t.churned[*r]);
    }
    let top = counts.values().map(|x| x.0).max().unwrap_or(0);
    if top as f64 >= 0.99 * present.len() as f64 {
        return (
            "skipped",
            "near-constant (one value in 99 % of rows)".into(),
            None,
        );
    }
    let numeric = nums.len() as f64 >= 0.95 * present.len() as f64;
    let looks_like_id = name.to_ascii_lowercase().ends_with("id")
        && counts.len() as f64 > 0.9 * present.len() as f64;
    if looks_like_id {
        return (
            "skipped",
            "an id (almost every value distinct)".into(),
            None,
        );
    }
    if numeric && counts.len() > 2 {
        let mut xs: Vec<f64> = nums.iter().map(|p| p.0).collect();
        xs.sort_by(f64::total_cmp);
        let q = |p: f64| xs[((p * (xs.len() - 1) as f64).round() as usize).min(xs.len() - 1)];
        let (lo, hi) = (q(pct), q(1.0 - pct));
        if lo >= hi {
            return (
                "skipped",
                "near-constant between the 5th and 95th percentiles".into(),
                None,
            );
        }
        let scores: Vec<f64> = nums.iter().map(|p| p.0).collect();
        let churned: Vec<bool> = nums.iter().map(|p| p.1).collect();
        let higher_is_healthier = auc(&scores, &churned).unwrap_or(0.5) >= 0.5;
        let points = if higher_is_healthier {
            json!([[lo, 0], [hi, 100]])
        } else {
            json!([[lo, 100], [hi, 0]])
        };
        let dir = if higher_is_healthier {
            "higher is healthier"
        } else {
            "lower is healthier"
        };
        return (
            "numeric",
            format!(
                "linear between {} and {} (5th–95th percentile), {dir}",
                number_text(lo),
                number_text(hi)
            ),
            Some(
                json!({ "id": name, "label": name, "weight": 1, "rule": { "type": "linear", "points": points } }),
            ),
        );
    }
    if counts.len() > 50 || counts.len() as f64 > 0.5 * present.len() as f64 {
        return (
            "skipped",
            format!("too many distinct values ({})", counts.len()),
            None,
        );
    }
    // Smoothed churn rate per value, scored 100 (lowest churn) to 0 (highest).
    let total = present.len() as f64;
    let base = present.iter().filter(|(r, _)| t.churned[*r]).count() as f64 / total;
    let rate = |(n, k): (usize, usize)| (k as f64 + 10.0 * base) / (n as f64 + 10.0);
    let rates: Vec<(String, f64)> = counts.iter().map(|(k, v)| (k.clone(), rate(*v))).collect();
    let (min, max) = rates
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, r)| {
            (a.min(*r), b.max(*r))
        });
    if max - min < 1e-12 {
        return (
            "skipped",
            "every value has the same churn rate".into(),
            None,
        );
    }
    let score = |r: f64| (100.0 * (max - r) / (max - min)).round();
    let scores: serde_json::Map<String, Value> = rates
        .iter()
        .map(|(k, r)| (k.clone(), json!(score(*r))))
        .collect();
    (
        "categorical",
        format!("match on {} values, scored by churn rate", rates.len()),
        Some(
            json!({ "id": name, "label": name, "weight": 1, "rule": { "type": "match", "scores": scores, "otherwise": score(base) } }),
        ),
    )
}
