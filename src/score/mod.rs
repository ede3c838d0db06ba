//! Scoring: one account → an explained [`Scorecard`]; many accounts → a
//! [`Batch`] with a portfolio [`Summary`].

mod account;
mod batch;
mod columns;
mod derived;
mod engine;
mod evaluate;
mod kernel;
mod levers;
mod plan;
mod rescore;
mod row;
mod scorecard;
mod series;
mod set;
mod set_columns;
mod set_doc;
pub mod typing;

pub use crate::model::{insufficient_band, Action, INSUFFICIENT_DATA};
pub(crate) use account::read_values;
pub use account::{Account, AccountDoc, Input, Note, RawValue, SeriesPoint, MAX_NOTE_CHARS};
pub use batch::{BandCounts, BandSummary, Batch, BatchError, Summary};
pub use columns::{
    ColumnOptions, ColumnScores, FullColumns, BAND_INSUFFICIENT, BAND_OTHER, BAND_REFUSED,
};
pub use derived::ScorecardExtras;
pub use engine::COVERAGE_SLACK;
pub use plan::{Plan, PlanChange};
pub use row::{RowAccount, RowOptions};
pub use scorecard::*;
pub use set::{ModelSet, SetWhen};
pub use set_columns::{RowChoice, SetColumnScores};
pub use set_doc::{FieldCondition, ModelSetDoc, SetEntryDoc, SetWhenDoc};

use crate::date::parse_iso;
use crate::error::{field, Error, Errors};
use crate::model::{Model, Scalar};

/// Options for one scoring call (`{ at, asOf, ignoreUnknown, tableCells }` in JSON;
/// an unknown option is an error).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ScoreOptions {
    /// The snapshot's ISO date, copied into the scorecard's `at`.
    pub at: Option<String>,
    /// The date staleness is measured against (defaults to `at`); there is no
    /// hidden clock: without either, values do not decay.
    pub as_of: Option<String>,
    /// Score rows that carry more than the model (an outcome, an id, columns
    /// the model does not use): values and `observedAt` keys that are not
    /// measures are left out and listed in the scorecard's `ignored`, instead
    /// of refusing the account. Off by default: a misspelt measure id must
    /// not silently change a score.
    pub ignore_unknown: bool,
    /// Read the values as table cells, as `suggest`, `backtest` and
    /// `rowToAccount` read a table: a numeric text (`"30"`) is a number for
    /// a numeric rule, `yes`/`no`/`true`/`false`/`1`/`0` a boolean for a
    /// flag, a boolean 1 or 0 for a numeric rule. Off by default: a JSON
    /// account is strict, and `"45"` for a number is refused. With it, the
    /// rows a model was suggested from score as they were given.
    pub table_cells: bool,
}

impl ScoreOptions {
    /// Whether `at` and `asOf` (when given) are ISO 8601 dates; when not,
    /// every account scored with these options is refused (`invalid_date`).
    pub fn dates_valid(&self) -> bool {
        [&self.at, &self.as_of]
            .into_iter()
            .flatten()
            .all(|d| crate::date::parse_iso(d).is_some())
    }
}

impl Model {
    /// Scores one account.
    pub fn score(&self, account: &Account) -> Result<Scorecard, Errors> {
        self.score_with(account, &ScoreOptions::default())
    }

    /// Scores one account with options (`at`, `asOf`).
    pub fn score_with(
        &self,
        account: &Account,
        options: &ScoreOptions,
    ) -> Result<Scorecard, Errors> {
        Ok(self.score_inner(account, options)?)
    }

    pub(crate) fn score_inner(
        &self,
        account: &Account,
        options: &ScoreOptions,
    ) -> Result<Scorecard, Vec<Error>> {
        let ages = self.ages(account, options)?;
        let (inputs, ignored) =
            self.resolve(account, &ages, options.ignore_unknown, options.table_cells)?;
        let refs: Vec<&Input> = inputs.iter().collect();
        let state = engine::compute(self, &refs, &ages.decay)?;
        let mut card = self.scorecard(account, &refs, &ages, &state, options.at.clone());
        self.show_per(account, &mut card, options.table_cells);
        card.ignored = ignored;
        Ok(card)
    }

    /// Each measure's age and decay, from `observedAt` and `asOf` (or `at`).
    fn ages(&self, account: &Account, options: &ScoreOptions) -> Result<Ages, Vec<Error>> {
        let date = |key: &str, s: &Option<String>| -> Result<Option<f64>, Vec<Error>> {
            match s {
                None => Ok(None),
                Some(text) => parse_iso(text).map(Some).ok_or_else(|| {
                    vec![Error::new(
                        "invalid_date",
                        key,
                        format!("`{text}` is not an ISO 8601 date"),
                        "write dates as 2026-09-30 or 2026-09-30T14:00:00Z",
                    )]
                }),
            }
        };
        let at = date("at", &options.at)?;
        let as_of = date("asOf", &options.as_of)?.or(at);
        let n = self.measures.len();
        let mut ages = Ages {
            as_of,
            observed: vec![None; n],
            age_days: vec![None; n],
            decay: vec![1.0; n],
            applied: vec![false; n],
        };
        for (key, when) in &account.observed_at {
            let Some(i) = self.measure_index(key) else {
                continue;
            };
            ages.observed[i] = Some(when.clone());
            if let (Some(now), Some(t)) = (as_of, parse_iso(when)) {
                let days = ((now - t) / 86_400.0).max(0.0);
                ages.age_days[i] = Some(days);
                if let Some(h) = self.measures[i].half_life_days {
                    ages.decay[i] = 0.5f64.powf(days / h);
                    ages.applied[i] = true;
                }
            }
        }
        Ok(ages)
    }

    /// Reads an account from JSON text and scores it.
    pub fn score_json(&self, account: &str) -> Result<Scorecard, Errors> {
        self.score(&Account::from_json(account)?)
    }

    /// [`Model::levers`] with every candidate rescored by scoring the whole
    /// account again (quadratic in the measures): the reference the tests
    /// compare the incremental rescoring with. Not for production use.
    #[doc(hidden)]
    pub fn levers_direct(&self, account: &Account) -> Result<Vec<Lever>, Errors> {
        let ages = self.ages(account, &ScoreOptions::default())?;
        let (inputs, _) = self.resolve(account, &ages, false, false)?;
        let refs: Vec<&Input> = inputs.iter().collect();
        let s = engine::compute(self, &refs, &ages.decay)?;
        Ok(levers::levers_direct(self, &refs, &ages.decay, &s))
    }

    /// The levers of one account (the same list its scorecard carries).
    pub fn levers(&self, account: &Account) -> Result<Vec<Lever>, Errors> {
        Ok(self.score(account)?.levers)
    }

    /// Puts an account's values in model order and checks them: every
    /// problem (unknown measures and bad values alike) is reported. With
    /// `ignore_unknown`, keys that are not measures are returned instead;
    /// with `cells` (the `tableCells` option), values and `per` divisors
    /// are read as a table's cells.
    fn resolve(
        &self,
        account: &Account,
        ages: &Ages,
        ignore_unknown: bool,
        cells: bool,
    ) -> Result<(Vec<Input>, Vec<String>), Vec<Error>> {
        let (mut inputs, mut errors, ignored) = self.place(account, ignore_unknown);
        if cells {
            for (input, m) in inputs.iter_mut().zip(&self.measures) {
                typing::as_cell(&m.rule, input);
            }
        }
        // A series becomes its derived number (missing when none).
        for (key, points) in &account.series {
            let Some(i) = self.measure_index(key) else {
                continue;
            };
            if let Some(spec) = &self.measures[i].series {
                inputs[i] =
                    series::derive(spec, points, ages.as_of).map_or(Input::Missing, Input::Number);
            }
        }
        // Per seat (or per value): a number divided by the account's divisor;
        // no usable divisor (absent, not a number, 0 or less) is missing.
        for (i, m) in self.measures.iter().enumerate() {
            let (Some(per), Input::Number(x)) = (&m.per, &inputs[i]) else {
                continue;
            };
            inputs[i] = match self.divisor(per, account, cells) {
                Some(d) if d > 0.0 && d.is_finite() => Input::Number(x / d),
                _ => Input::Missing,
            };
        }
        if !errors.is_empty() {
            let refs: Vec<&Input> = inputs.iter().collect();
            if let Err(more) = engine::compute(self, &refs, &ages.decay) {
                errors.extend(more);
            }
            return Err(errors);
        }
        Ok((inputs, ignored))
    }

    /// Puts an account's values in model order; unknown measures are errors
    /// (or, with `ignore_unknown`, listed).
    fn place(
        &self,
        account: &Account,
        ignore_unknown: bool,
    ) -> (Vec<Input>, Vec<Error>, Vec<String>) {
        let mut inputs = vec![Input::Missing; self.measures.len()];
        let mut seen = vec![false; self.measures.len()];
        let mut errors = Vec::new();
        let mut ignored: Vec<String> = Vec::new();
        // Values and series name measures alike: each measure once.
        let given = account
            .values
            .iter()
            .map(|(k, v)| (k, Some(v)))
            .chain(account.series.iter().map(|(k, _)| (k, None)));
        for (key, input) in given {
            match self.measure_index(key) {
                Some(i) if seen[i] => errors.push(Error::new(
                    "duplicate_id",
                    field("values", key),
                    format!("measure `{key}` is given twice"),
                    "give each measure one value",
                )),
                Some(i) if input.is_none() && self.measures[i].series.is_none() => {
                    errors.push(Error::new(
                        "not_a_number",
                        field("values", key),
                        format!("measure `{key}` takes one value, not a series"),
                        "send one value, or give the measure a `series` to derive it from points",
                    ))
                }
                Some(i) => {
                    seen[i] = true;
                    if let Some(v) = input {
                        inputs[i] = v.clone();
                    }
                }
                None if ignore_unknown => ignored.push(key.clone()),
                None => errors.push(self.unknown_measure(field("values", key), key)),
            }
        }
        let keyed = [
            (
                "observedAt",
                account
                    .observed_at
                    .iter()
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>(),
            ),
            ("notes", account.notes.iter().map(|(k, _)| k).collect()),
        ];
        for (what, keys) in keyed {
            for key in keys {
                if self.measure_index(key).is_some() {
                    continue;
                }
                if ignore_unknown {
                    if !ignored.contains(key) {
                        ignored.push(key.clone());
                    }
                } else {
                    errors.push(self.unknown_measure(field(what, key), key));
                }
            }
        }
        (inputs, errors, ignored)
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
        ages: &Ages,
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
                            value: inputs[i].to_scalar(),
                            status: s.status[i],
                            partial: used.then_some(s.partial[i]),
                            normalized: used.then_some(s.normalized[i]),
                            weight: s.measure_weight[i],
                            contribution: s.contribution[i],
                            points_missed: s.points_missed[i],
                            observed_at: ages.observed[i].clone(),
                            age_days: ages.age_days[i],
                            decayed_weight: ages.applied[i].then_some(ages.decay[i]),
                            source: m.source,
                            per: None,
                            series_points: m
                                .series
                                .as_ref()
                                .and_then(|_| account.series.iter().find(|(k, _)| *k == m.id))
                                .map(|(_, pts)| pts.len()),
                            note: account
                                .notes
                                .iter()
                                .find(|(k, _)| *k == m.id)
                                .map(|(_, n)| n.clone()),
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
        let extras = self.extras(
            &derived::Row {
                score: s.score,
                coverage: s.coverage,
                penalty: s.penalty,
                caps: &s.caps,
                overrides: &s.overrides,
            },
            |i| (s.status[i] == Status::Present).then_some(s.normalized[i]),
        );
        let mut card = Scorecard {
            account_id: account.id.clone(),
            name: account.name.clone(),
            segment: account.segment.clone(),
            value: account.value,
            at,
            model_id: self.id().to_string(),
            model_hash: self.hash().to_string(),
            score: s.score,
            uncapped_score: s.uncapped.filter(|_| s.score.is_some()),
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
            stale: self
                .measures
                .iter()
                .zip(ages.age_days.iter().zip(&s.status))
                .filter(|(m, (age, st))| {
                    **st == Status::Present
                        && matches!((m.stale_after_days, age), (Some(limit), Some(a)) if *a > limit)
                })
                .map(|(m, _)| m.id.clone())
                .collect(),
            categories,
            levers: levers::levers(self, inputs, &ages.decay, s),
            // (what follows from the aggregation: `extras`, below)
            ..Scorecard::default()
        };
        extras.apply(&mut card);
        card.actions = self.actions_for(&card);
        card
    }
}

impl Model {
    /// The divisor of a `per` measure for an account: its `value`, or the
    /// number in one of its `fields`.
    fn divisor(&self, per: &str, account: &Account, cells: bool) -> Option<f64> {
        if per == "value" {
            return account.value;
        }
        account
            .fields
            .iter()
            .find(|(k, _)| k == per)
            .and_then(|(_, v)| match v {
                Input::Number(d) => Some(*d),
                Input::Text(t) if cells => typing::number_of_text(t),
                _ => None,
            })
    }

    /// A `per` measure's result shows the value as given and, in `per`, the
    /// divisor and the quotient the rule scored.
    fn show_per(&self, account: &Account, card: &mut Scorecard, cells: bool) {
        for r in card
            .categories
            .iter_mut()
            .flat_map(|c| c.measures.iter_mut())
        {
            let Some(i) = self.measure_index(&r.id) else {
                continue;
            };
            let Some(per) = &self.measures[i].per else {
                continue;
            };
            let Some((_, raw)) = account
                .values
                .iter()
                .find(|(k, _)| *k == r.id)
                .filter(|(_, v)| !matches!(v, Input::Missing))
            else {
                continue;
            };
            let divisor = self.divisor(per, account, cells);
            r.per = Some(PerResult {
                by: per.clone(),
                divisor,
                value: match r.value {
                    Some(Scalar::Number(x)) => Some(x),
                    _ => None,
                },
            });
            r.value = raw.to_scalar();
        }
    }
}

/// Per measure: when observed, how old, and the decay that applies; and
/// the scoring date (seconds), where series windows end.
struct Ages {
    as_of: Option<f64>,
    observed: Vec<Option<String>>,
    age_days: Vec<Option<f64>>,
    decay: Vec<f64>,
    applied: Vec<bool>,
}
