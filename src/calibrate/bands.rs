//! Band edges from outcomes: by target shares of accounts or target churn
//! rates, and the check that churn falls from the lowest band to the top.

use super::backtest::BandOutcome;
use super::options::{check_shares, BandOptions};
use super::table::Table;
use crate::error::{Error, Errors};
use crate::model::{BandSpec, Model};
use serde::{Deserialize, Serialize};

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
    /// accounts, or by target churn rates per band. Edges are whole numbers
    /// from 1 to 100, strictly increasing.
    pub fn suggest_bands(&self, table: &Table, opts: &BandOptions) -> Result<BandEdges, Errors> {
        Ok(Self::suggest_bands_inner(self, table, opts)?)
    }

    pub(crate) fn suggest_bands_inner(
        &self,
        table: &Table,
        opts: &BandOptions,
    ) -> Result<BandEdges, Error> {
        let scored = self.score_table(table, false);
        let mut pairs: Vec<(f64, bool)> = (0..table.len())
            .filter(|&r| !scored.scores[r].is_nan())
            .map(|r| (scored.scores[r], table.churned[r]))
            .collect();
        if pairs.is_empty() {
            return Err(Error::new(
                "no_score",
                "",
                "no row has a score",
                "give rows with values for the model's measures",
            ));
        }
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n_bands = self.bands().len();
        if n_bands < 2 {
            return Err(Error::new(
                "invalid_value",
                "bands",
                "the model has one band: there is no edge to place",
                "give the model two bands or more",
            ));
        }
        let edges = match (&opts.shares, &opts.churn_rates) {
            (Some(shares), None) => {
                check_shares(shares, Some(n_bands), "shares")?;
                edges_by_shares(&pairs, shares)
            }
            (None, Some(rates)) => {
                if rates.len() != n_bands - 1 || rates.iter().any(|r| !(0.0..=1.0).contains(r)) {
                    return Err(Error::new(
                        "invalid_value",
                        "churnRates",
                        format!(
                            "give {} churn rates from 0 to 1, one per band below the top",
                            n_bands - 1
                        ),
                        "e.g. [0.5, 0.2]",
                    ));
                }
                edges_by_churn(&pairs, rates)
            }
            _ => {
                return Err(Error::new(
                    "invalid_value",
                    "",
                    "give either shares or churnRates",
                    "e.g. { shares: [0.2, 0.5, 0.3] }",
                ));
            }
        };
        let mut bands = self.spec().bands.clone();
        set_edges(&mut bands, &edges);
        let outcomes = outcomes(&bands, &edges, &pairs);
        Ok(BandEdges {
            edges,
            bands,
            outcomes,
        })
    }
}

/// Edges at the target shares of sorted `(score, churned)` pairs.
pub(crate) fn edges_by_shares(sorted: &[(f64, bool)], shares: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    let mut cum = 0.0;
    let mut edges = Vec::new();
    for s in &shares[..shares.len() - 1] {
        cum += s;
        let k = ((cum * n as f64).round() as usize).min(n - 1);
        edges.push(sorted[k].0.round());
    }
    increasing(edges)
}

/// Each band below the top as large as it can be while its churn rate stays
/// at least the target.
fn edges_by_churn(sorted: &[(f64, bool)], rates: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    let mut start = 0;
    let mut edges = Vec::new();
    for &target in rates {
        let mut best = start;
        let mut churned = 0usize;
        for (k, (_, c)) in sorted.iter().enumerate().skip(start) {
            churned += usize::from(*c);
            let size = k + 1 - start;
            if churned as f64 / size as f64 >= target {
                best = k + 1;
            }
        }
        start = best.min(n - 1);
        edges.push(sorted[start].0.round());
    }
    increasing(edges)
}

/// Strictly increasing whole numbers within 1..100 (the first band starts
/// at 0, so an edge at 0 would empty it).
fn increasing(mut edges: Vec<f64>) -> Vec<f64> {
    let k = edges.len() as f64;
    let mut last = 0.0;
    for (i, e) in edges.iter_mut().enumerate() {
        // Leave room for the edges after this one below 100.
        let room = 100.0 - (k - 1.0 - i as f64);
        *e = e.max(last + 1.0).min(room);
        last = *e;
    }
    edges
}

/// Bands with `from` edges at `edges` (the first keeps `from: 0`).
pub(crate) fn set_edges(bands: &mut [BandSpec], edges: &[f64]) {
    for (b, e) in bands.iter_mut().skip(1).zip(edges) {
        b.from = Some(*e);
        b.above = None;
    }
}

/// Count, churned and churn rate per band for scored rows.
pub(crate) fn outcomes(
    bands: &[BandSpec],
    edges: &[f64],
    pairs: &[(f64, bool)],
) -> Vec<BandOutcome> {
    let mut out: Vec<BandOutcome> = bands
        .iter()
        .map(|b| BandOutcome {
            band: b.id.clone(),
            count: 0,
            churned: 0,
            churn_rate: None,
        })
        .collect();
    for (s, c) in pairs {
        let i = edges.iter().filter(|e| s >= e).count();
        out[i].count += 1;
        out[i].churned += usize::from(*c);
    }
    for o in &mut out {
        o.churn_rate = (o.count > 0).then(|| o.churned as f64 / o.count as f64);
    }
    out
}

/// Whether churn falls strictly from each band to the next (empty bands fail).
pub(crate) fn falling(outcomes: &[BandOutcome]) -> bool {
    let rates: Vec<Option<f64>> = outcomes.iter().map(|o| o.churn_rate).collect();
    rates.iter().all(Option::is_some)
        && rates
            .windows(2)
            .all(|w| w[0].unwrap_or(0.0) > w[1].unwrap_or(0.0))
}
