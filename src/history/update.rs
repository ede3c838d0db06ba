//! Incremental updates (an event changes some values) and replaying stored
//! inputs under a model.

use super::alerts::Alert;
use super::Snapshot;
use crate::date::parse_iso;
use crate::error::{field, Error, Errors};
use crate::model::Model;
use crate::read::{self, Obj, Problems};
use crate::score::{Account, BatchError, Input, ScoreOptions, Scorecard};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// The result of [`Model::update`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Update {
    /// The new scorecard, with its trend and actions.
    pub scorecard: Scorecard,
    /// The alerts this change caused.
    pub alerts: Vec<Alert>,
}

/// One rescored snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReplayPoint {
    /// The account.
    pub account_id: String,
    /// The snapshot's date.
    pub at: Option<String>,
    /// The score under this model.
    pub score: Option<f64>,
    /// The band under this model.
    pub band: String,
}

/// The result of [`Model::replay`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Replay {
    /// The model's hash.
    pub model_hash: String,
    /// One point per snapshot that could be scored, in the order given.
    pub points: Vec<ReplayPoint>,
    /// Snapshots that could not be scored, with paths like `[4].values.csm`.
    pub errors: Vec<BatchError>,
}

/// The changed values [`Model::update`] applies: `{ measureId: value }`
/// in JSON, `null` removing a value, a series (`[{ at, value }, …]`) for a
/// measure with `series`, read as an account's `values` are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// Values by measure id.
    pub values: Vec<(String, Input)>,
    /// Series by measure id: (seconds since the epoch, value).
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

impl Changes {
    /// Reads changed values from JSON text (an object).
    pub fn from_json(text: &str) -> Result<Changes, Errors> {
        crate::limits::check_text(text, "the changed values", crate::limits::MAX_ACCOUNT_BYTES)?;
        let doc = crate::error::parse_json(text, "the changed values")?;
        Ok(Changes::from_doc(&doc)?)
    }

    pub(crate) fn from_doc(v: &Value) -> Result<Changes, Vec<Error>> {
        if !v.is_object() {
            return Err(vec![Error::new(
                "wrong_type",
                "",
                format!("changed values must be an object, not {}", read::kind(v)),
                "pass { measureId: value, ... }",
            )]);
        }
        let mut p = Problems::default();
        let mut series = Vec::new();
        let values = crate::score::read_values(v, "values", &mut series, &mut p);
        match values {
            Some(values) if p.is_empty() => Ok(Changes { values, series }),
            _ => Err(p.0),
        }
    }

    /// Whether a measure's value or series changes.
    fn has(&self, id: &str) -> bool {
        self.values.iter().any(|(k, _)| k == id) || self.series.iter().any(|(k, _)| k == id)
    }
}

/// Stored raw inputs of one snapshot, as [`Model::replay`] rescores them:
/// `{ accountId, at, values, observedAt?, name?, segment?, value? }`.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredInputs {
    /// The account (its id is the snapshot's `accountId`).
    pub account: Account,
    /// The snapshot's ISO date.
    pub at: String,
}

impl StoredInputs {
    /// Reads one stored snapshot from JSON text.
    pub fn from_json(text: &str) -> Result<StoredInputs, Errors> {
        crate::limits::check_text(text, "the snapshot", crate::limits::MAX_ACCOUNT_BYTES)?;
        let doc = crate::error::parse_json(text, "the snapshot")?;
        Ok(StoredInputs::from_doc(&doc)?)
    }

    /// Reads a JSON array of stored snapshots (text), each on its own (a
    /// snapshot that cannot be read keeps its errors). Text that is not an
    /// array, or more than [`crate::limits::MAX_BATCH_ACCOUNTS`] snapshots,
    /// is an error.
    pub fn many_from_json(text: &str) -> Result<Vec<Result<StoredInputs, Errors>>, Errors> {
        let doc = crate::error::parse_json(text, "the snapshots")?;
        let Value::Array(items) = &doc else {
            return Err(Error::new(
                "wrong_type",
                "",
                format!("snapshots must be an array, not {}", read::kind(&doc)),
                "pass an array of { accountId, at, values }",
            )
            .into());
        };
        crate::limits::check_batch(items.len(), "snapshots")?;
        Ok(items
            .iter()
            .map(|v| StoredInputs::from_doc(v).map_err(Errors))
            .collect())
    }

    pub(crate) fn from_doc(item: &Value) -> Result<StoredInputs, Vec<Error>> {
        let mut p = Problems::default();
        let Some(o) = Obj::new(item, "", "a stored snapshot", SNAPSHOT_FIELDS, &mut p) else {
            return Err(p.0);
        };
        let at = o.req("at", "the snapshot's ISO date", &mut p, read::string);
        let id = o.req("accountId", "the account's id", &mut p, read::string);
        if !p.is_empty() {
            return Err(p.0);
        }
        let mut doc = serde_json::Map::new();
        doc.insert("id".into(), Value::String(id.unwrap_or_default()));
        for key in ["values", "observedAt", "name", "segment", "value"] {
            if let Some(v) = o.get(key) {
                doc.insert(key.into(), v.clone());
            }
        }
        let account = Account::from_doc(&Value::Object(doc)).map_err(|es| {
            es.into_iter()
                .map(|mut e| {
                    if e.path == "id" {
                        e.path = field("", "accountId");
                    }
                    e
                })
                .collect::<Vec<_>>()
        })?;
        Ok(StoredInputs {
            account,
            at: at.unwrap_or_default(),
        })
    }
}

const SNAPSHOT_FIELDS: &[&str] = &[
    "accountId",
    "at",
    "values",
    "observedAt",
    "name",
    "segment",
    "value",
];

impl Model {
    /// Rescores `previous` with `changed` values (`{ measureId: value }`,
    /// null removes a value) at date `at`, and returns the new scorecard with
    /// its trend and the alerts the change caused. `history` (earlier
    /// scorecards or points) makes trends and the `confirm` hysteresis
    /// meaningful; without it only `previous` is known. An undated previous
    /// scorecard counts as inside every window. Values of measures this model
    /// does not have (a previous model's) are dropped.
    ///
    /// A measure derived from a series is derived again from the points
    /// given in `changed`; a scorecard keeps only the derived number, so
    /// such a measure whose points are not given again is refused
    /// (`series_required`) rather than carried forward stale.
    pub fn update(
        &self,
        previous: &Scorecard,
        changed: &Changes,
        at: Option<&str>,
        history: &[Snapshot],
    ) -> Result<Update, Errors> {
        Ok(self.update_inner(previous, changed, at, history.to_vec())?)
    }

    /// [`Model::update`] with the changed values and the history as JSON
    /// text (earlier scorecards or `{ at, score }` points).
    pub fn update_json(
        &self,
        previous: &Scorecard,
        changed: &str,
        at: Option<&str>,
        history: Option<&str>,
    ) -> Result<Update, Errors> {
        let changes = Changes::from_json(changed)?;
        let snaps = self.optional_history(history)?;
        Ok(self.update_inner(previous, &changes, at, snaps)?)
    }

    pub(crate) fn update_inner(
        &self,
        previous: &Scorecard,
        changes: &Changes,
        at: Option<&str>,
        snaps: Vec<Snapshot>,
    ) -> Result<Update, Vec<Error>> {
        self.check_previous(previous)?;
        let mut account = Account {
            id: previous.account_id.clone(),
            name: previous.name.clone(),
            segment: previous.segment.clone(),
            value: previous.value,
            ..Account::default()
        };
        // Per-seat measures divide again by the divisors they had (a
        // scorecard keeps them; the account's fields are not in it).
        for per in previous
            .categories
            .iter()
            .flat_map(|c| &c.measures)
            .filter_map(|m| m.per.as_ref())
        {
            if let (Some(d), false) = (
                per.divisor,
                per.by == "value" || account.fields.iter().any(|(k, _)| *k == per.by),
            ) {
                account.fields.push((per.by.clone(), Input::Number(d)));
            }
        }
        let mut stale_series = Vec::new();
        for m in previous.categories.iter().flat_map(|c| &c.measures) {
            if self.measure_index(&m.id).is_none() || changes.has(&m.id) {
                continue;
            }
            if m.series_points.is_some() && m.value.is_some() {
                stale_series.push(Error::new(
                    "series_required",
                    field("values", &m.id),
                    format!(
                        "`{}` is derived from a series, and a scorecard keeps only the derived number",
                        m.id
                    ),
                    "send the measure's points again with the changed values, so it is derived at the new date",
                ));
                continue;
            }
            if m.value.is_some() {
                account
                    .values
                    .push((m.id.clone(), Input::from_scalar(m.value.as_ref())));
            }
            if let Some(t) = &m.observed_at {
                account.observed_at.push((m.id.clone(), t.clone()));
            }
            // A note stays with its value; a changed value drops it.
            if let Some(n) = &m.note {
                account.notes.push((m.id.clone(), n.clone()));
            }
        }
        if !stale_series.is_empty() {
            return Err(stale_series);
        }
        for (k, v) in &changes.values {
            account.values.push((k.clone(), v.clone()));
            if let (Some(at), false) = (at, *v == Input::Missing) {
                account.observed_at.push((k.clone(), at.to_string()));
            }
        }
        account.series.extend(changes.series.iter().cloned());
        self.advance_inner(previous, &account, at, snaps)
    }

    /// Rescores an account whose full inputs are known (values, series,
    /// fields, value, notes, observation dates) at date `at`, and compares
    /// the new scorecard with `previous` as [`Model::update`] does: the
    /// trend, the alerts it raises and the alert state carried on. For a
    /// caller that keeps each account's inputs (the edge service): fields,
    /// per-seat divisors, notes and series change as freely as values, and
    /// nothing is read back from the previous scorecard but its alert state.
    pub fn advance(
        &self,
        previous: &Scorecard,
        account: &Account,
        at: Option<&str>,
        history: &[Snapshot],
    ) -> Result<Update, Errors> {
        self.check_previous(previous)?;
        Ok(self.advance_inner(previous, account, at, history.to_vec())?)
    }

    /// [`Model::advance`] with the account and the history as JSON text.
    pub fn advance_json(
        &self,
        previous: &Scorecard,
        account: &str,
        at: Option<&str>,
        history: Option<&str>,
    ) -> Result<Update, Errors> {
        let account = Account::from_json(account)?;
        let snaps = self.optional_history(history)?;
        self.advance(previous, &account, at, &snaps)
    }

    /// A history given as JSON text, or none.
    fn optional_history(&self, history: Option<&str>) -> Result<Vec<Snapshot>, Errors> {
        match history {
            Some(h) => self.read_history(h),
            None => Ok(Vec::new()),
        }
    }

    /// The previous scorecard of an update must be of this model's id.
    fn check_previous(&self, previous: &Scorecard) -> Result<(), Vec<Error>> {
        if previous.model_id != self.id() {
            return Err(vec![Error::new(
                "model_mismatch",
                "modelId",
                format!(
                    "the previous scorecard is of model `{}`, not `{}`",
                    previous.model_id,
                    self.id()
                ),
                "replay the account's stored inputs under this model first (replay), then update from that scorecard",
            )]);
        }
        Ok(())
    }

    fn advance_inner(
        &self,
        previous: &Scorecard,
        account: &Account,
        at: Option<&str>,
        mut snaps: Vec<Snapshot>,
    ) -> Result<Update, Vec<Error>> {
        let opts = ScoreOptions {
            at: at.map(String::from),
            as_of: None,
            ..Default::default()
        };
        let mut card = self.score_inner(account, &opts)?;
        // The previous scorecard stands for its own snapshot in the history
        // (it carries the alert state a point of the history lacks).
        if previous.at.is_some() {
            snaps.retain(|s| s.at != previous.at);
        }
        snaps.push(self.snapshot_of(previous.clone()));
        snaps.push(self.snapshot_of(card.clone()));
        let last = snaps.len() - 1;
        // The trend is this model's: snapshots of an earlier model (another
        // hash) take no part in it.
        card.trend = self.trend(&snaps);
        card.actions = self.actions_for(&card);
        if let Some(s) = snaps.last_mut() {
            s.card = Some(card.clone());
        }
        let (fired, state) = self.alerts_after_state(&snaps);
        let alerts = fired
            .into_iter()
            .filter(|(k, _)| *k == last)
            .map(|(_, a)| a)
            .collect();
        card.alert_state = state;
        Ok(Update {
            scorecard: card,
            alerts,
        })
    }

    /// Rescores stored raw inputs under this model, to compare score lines.
    pub fn replay(&self, snapshots: &[StoredInputs]) -> Replay {
        let items: Vec<Result<&StoredInputs, Errors>> = snapshots.iter().map(Ok).collect();
        self.replay_each(&items)
    }

    /// [`Model::replay`] of stored snapshots given as JSON text (`[{
    /// accountId, at, values, observedAt?, name?, segment?, value? }]`); a
    /// snapshot that cannot be read is refused alone.
    pub fn replay_json(&self, snapshots: &str) -> Result<Replay, Errors> {
        let items = StoredInputs::many_from_json(snapshots)?;
        let items: Vec<Result<&StoredInputs, Errors>> = items
            .iter()
            .map(|r| r.as_ref().map_err(Clone::clone))
            .collect();
        Ok(self.replay_each(&items))
    }

    /// [`Model::replay`] over snapshots some of which were refused when they
    /// were read (each keeps its errors, reported at its index).
    pub fn replay_each<S: std::borrow::Borrow<StoredInputs>>(
        &self,
        items: &[Result<S, Errors>],
    ) -> Replay {
        let mut points = Vec::new();
        let mut errors = Vec::new();
        // The first snapshot of an (account, moment) pair is kept; another
        // one is refused with `duplicate_date`, never kept twice silently.
        let mut seen: HashSet<(String, u64)> = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            let item = match item {
                Ok(item) => item.borrow(),
                Err(es) => {
                    errors.extend(es.iter().cloned().map(|e| BatchError::at(i, e)));
                    continue;
                }
            };
            match self.score_inner(
                &item.account,
                &ScoreOptions {
                    at: Some(item.at.clone()),
                    ..Default::default()
                },
            ) {
                Ok(card) => {
                    let moment = card.at.as_deref().and_then(parse_iso).unwrap_or(f64::NAN);
                    if !seen.insert((card.account_id.clone(), moment.to_bits())) {
                        errors.push(BatchError::at(
                            i,
                            Error::new(
                                "duplicate_date",
                                "at",
                                format!(
                                    "account {} already has a snapshot at {}: the first one is kept",
                                    card.account_id,
                                    card.at.as_deref().unwrap_or("")
                                ),
                                "keep one snapshot per account and moment",
                            ),
                        ));
                        continue;
                    }
                    points.push(ReplayPoint {
                        account_id: card.account_id,
                        at: card.at,
                        score: card.score,
                        band: card.band.id,
                    });
                }
                Err(es) => errors.extend(es.into_iter().map(|e| BatchError::at(i, e))),
            }
        }
        Replay {
            model_hash: self.hash().to_string(),
            points,
            errors,
        }
    }
}
