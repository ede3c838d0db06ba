//! Scoring: one account → an explained [`Scorecard`]; many accounts → a
//! [`Batch`] with a portfolio [`Summary`].

mod account;
mod batch;
mod columns;
mod engine;
mod evaluate;
mod levers;
mod scorecard;

pub use account::{Account, AccountDoc, Input, RawValue};
pub use batch::{BandSummary, Batch, BatchError, Summary};
pub use columns::{ColumnScores, BAND_INSUFFICIENT, BAND_REFUSED};
pub use scorecard::*;

use crate::date::parse_iso;
use crate::error::{field, Error};
use crate::model::{Band, Model};
use serde_json::Value;

/// The id, label and colour of the band given to results with too little
/// data (no measure present, or coverage below `minCoverage`).
pub const INSUFFICIENT_DATA: &str = "insufficient_data";

/// The band given to results with too little data.
pub fn insufficient_band() -> Band {
    Band {
        id: INSUFFICIENT_DATA.into(),
        label: "Insufficient data".into(),
        color: "#8c8c8c".into(),
    }
}

/// Options for one scoring call.
#[derive(Clone, Debug, Default)]
pub struct ScoreOptions {
    /// The snapshot's ISO date, copied into the scorecard's `at`.
    pub at: Option<String>,
}

impl Model {
    /// Scores one account.
    pub fn score(&self, account: &Account) -> Result<Scorecard, Vec<Error>> {
        self.score_with(account, &ScoreOptions::default())
    }

    /// Scores one account with options (`at`).
    pub fn score_with(
        &self,
        account: &Account,
        options: &ScoreOptions,
    ) -> Result<Scorecard, Vec<Error>> {
        if let Some(at) = &options.at {
            if parse_iso(at).is_none() {
                return Err(vec![Error::new(
                    "invalid_date",
                    "at",
                    format!("`{at}` is not an ISO 8601 date"),
                    "write dates as 2026-09-30 or 2026-09-30T14:00:00Z",
                )]);
            }
        }
        let inputs = self.resolve(account)?;
        let refs: Vec<&Input> = inputs.iter().collect();
        let state = engine::compute(self, &refs)?;
        Ok(self.scorecard(account, &refs, &state, options.at.clone()))
    }

    /// Puts an account's values in model order and checks them: every
    /// problem (unknown measures and bad values alike) is reported.
    fn resolve(&self, account: &Account) -> Result<Vec<Input>, Vec<Error>> {
        let (inputs, mut errors) = self.place(account);
        if !errors.is_empty() {
            let refs: Vec<&Input> = inputs.iter().collect();
            if let Err(more) = engine::compute(self, &refs) {
                errors.extend(more);
            }
            return Err(errors);
        }
        Ok(inputs)
    }

    /// Reads an account from JSON and scores it.
    pub fn score_json(&self, account: &Value) -> Result<Scorecard, Vec<Error>> {
        self.score(&Account::from_json(account)?)
    }

    /// The levers of one account (the same list its scorecard carries).
    pub fn levers(&self, account: &Account) -> Result<Vec<Lever>, Vec<Error>> {
        let inputs = self.resolve(account)?;
        let refs: Vec<&Input> = inputs.iter().collect();
        let state = engine::compute(self, &refs)?;
        Ok(levers::levers(self, &refs, &state))
    }

    /// Puts an account's values in model order; unknown measures are errors.
    fn place(&self, account: &Account) -> (Vec<Input>, Vec<Error>) {
        let mut inputs = vec![Input::Missing; self.measures.len()];
        let mut seen = vec![false; self.measures.len()];
        let mut errors = Vec::new();
        for (key, input) in &account.values {
            match self.measure_index(key) {
                Some(i) if seen[i] => errors.push(Error::new(
                    "duplicate_id",
                    field("values", key),
                    format!("measure `{key}` is given twice"),
                    "give each measure one value",
                )),
                Some(i) => {
                    seen[i] = true;
                    inputs[i] = input.clone();
                }
                None => errors.push(self.unknown_measure(field("values", key), key)),
            }
        }
        for (key, _) in &account.observed_at {
            if self.measure_index(key).is_none() {
                errors.push(self.unknown_measure(field("observedAt", key), key));
            }
        }
        (inputs, errors)
    }

    fn unknown_measure(&self, path: String, key: &str) -> Error {
        let ids: Vec<&str> = self.measure_ids().collect();
        let hint = crate::read::closest(key, &ids)
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        Error::new(
            "unknown_measure",
            path,
            format!("model `{}` has no measure `{key}`", self.id()),
            format!("{hint}the measures are: {}", ids.join(", ")),
        )
    }

    fn scorecard(
        &self,
        account: &Account,
        inputs: &[&Input],
        s: &engine::State,
        at: Option<String>,
    ) -> Scorecard {
        let categories = self
            .categories
            .iter()
            .enumerate()
            .map(|(c, cat)| {
                let measures: Vec<MeasureResult> = cat
                    .measures
                    .clone()
                    .map(|i| {
                        let m = &self.measures[i];
                        let used = s.status[i] != Status::Skipped;
                        MeasureResult {
                            id: m.id.clone(),
                            label: m.label.clone(),
                            value: inputs[i].to_json(),
                            status: s.status[i],
                            partial: used.then_some(s.output[i]),
                            normalized: used.then_some(s.normalized[i]),
                            weight: s.measure_weight[i],
                            contribution: s.contribution[i],
                            points_missed: s.points_missed[i],
                        }
                    })
                    .collect();
                CategoryResult {
                    id: cat.id.clone(),
                    label: cat.label.clone(),
                    score: s.category_score[c]
                        .filter(|_| s.uncapped.is_some())
                        .map(|g| 100.0 * g),
                    weight: s.category_weight[c],
                    contribution: measures.iter().map(|m| m.contribution).sum(),
                    points_missed: measures.iter().map(|m| m.points_missed).sum(),
                    measures,
                }
            })
            .collect();
        Scorecard {
            account_id: account.id.clone(),
            name: account.name.clone(),
            segment: account.segment.clone(),
            value: account.value,
            at,
            model_id: self.id().to_string(),
            model_hash: self.hash().to_string(),
            score: s.score,
            total: s.total,
            band: s
                .band
                .map_or_else(insufficient_band, |b| self.bands[b].clone()),
            coverage: s.coverage,
            missing: self
                .measures
                .iter()
                .zip(&s.status)
                .filter(|(_, st)| **st != Status::Present)
                .map(|(m, _)| m.id.clone())
                .collect(),
            caps: s
                .caps
                .iter()
                .map(|&c| AppliedCap {
                    reason: self.caps[c].reason.clone(),
                    max: self.caps[c].max,
                })
                .collect(),
            categories,
            levers: levers::levers(self, inputs, s),
        }
    }
}
