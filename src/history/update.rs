//! Incremental updates (an event changes some values) and replaying stored
//! inputs under a model.

use super::alerts::Alert;
use crate::date::parse_iso;
use crate::error::{field, Error};
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
    pub fn update(
        &self,
        previous: &Scorecard,
        changed: &Value,
        at: Option<&str>,
        history: Option<&Value>,
    ) -> Result<Update, Vec<Error>> {
        let Value::Object(changes) = changed else {
            return Err(vec![Error::new(
                "wrong_type",
                "",
                format!(
                    "changed values must be an object, not {}",
                    read::kind(changed)
                ),
                "pass { measureId: value, ... }",
            )]);
        };
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
        for m in previous.categories.iter().flat_map(|c| &c.measures) {
            if self.measure_index(&m.id).is_none() || changes.contains_key(&m.id) {
                continue;
            }
            if !m.value.is_null() {
                account
                    .values
                    .push((m.id.clone(), Input::from_json(&m.value)));
            }
            if let Some(t) = &m.observed_at {
                account.observed_at.push((m.id.clone(), t.clone()));
            }
            // A note stays with its value; a changed value drops it.
            if let Some(n) = &m.note {
                account.notes.push((m.id.clone(), n.clone()));
            }
        }
        for (k, v) in changes {
            account.values.push((k.clone(), Input::from_json(v)));
            if let (Some(at), false) = (at, v.is_null()) {
                account.observed_at.push((k.clone(), at.to_string()));
            }
        }
        let opts = ScoreOptions {
            at: at.map(String::from),
            as_of: None,
            ..Default::default()
        };
        let mut card = self.score_with(&account, &opts)?;
        let mut snaps = match history {
            Some(h) => self.read_history(h)?,
            None => Vec::new(),
        };
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
        let run = super::trend::run_start(&snaps);
        card.trend = self.trend_of(&snaps[run..]);
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

    /// Rescores stored raw inputs, `[{ accountId, at, values, observedAt?,
    /// name?, segment?, value? }]`, under this model, to compare score lines.
    pub fn replay(&self, snapshots: &Value) -> Result<Replay, Error> {
        self.replay_checked(snapshots, &[])
    }

    /// [`Model::replay`], where `refused[i]` (when not empty) holds errors
    /// found in snapshot `i` before (e.g. at the JS boundary): that snapshot
    /// is refused with them, the others are replayed.
    pub fn replay_checked(
        &self,
        snapshots: &Value,
        refused: &[Vec<Error>],
    ) -> Result<Replay, Error> {
        let Value::Array(items) = snapshots else {
            return Err(Error::new(
                "wrong_type",
                "",
                format!("snapshots must be an array, not {}", read::kind(snapshots)),
                "pass an array of { accountId, at, values }",
            ));
        };
        if items.len() > crate::limits::MAX_BATCH_ACCOUNTS {
            return Err(crate::limits::too_large(
                "",
                "snapshots",
                items.len(),
                crate::limits::MAX_BATCH_ACCOUNTS,
                "replay the stored inputs in parts",
            ));
        }
        let mut points = Vec::new();
        let mut errors = Vec::new();
        // The first snapshot of an (account, moment) pair is kept; another
        // one is refused with `duplicate_date`, never kept twice silently.
        let mut seen: HashSet<(String, u64)> = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(es) = refused.get(i).filter(|e| !e.is_empty()) {
                errors.extend(es.iter().cloned().map(|e| BatchError::at(i, e)));
                continue;
            }
            match self.replay_one(item) {
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
        Ok(Replay {
            model_hash: self.hash().to_string(),
            points,
            errors,
        })
    }

    fn replay_one(&self, item: &Value) -> Result<Scorecard, Vec<Error>> {
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
        let account = Account::from_json(&Value::Object(doc)).map_err(|es| {
            es.into_iter()
                .map(|mut e| {
                    if e.path == "id" {
                        e.path = field("", "accountId");
                    }
                    e
                })
                .collect::<Vec<_>>()
        })?;
        self.score_with(
            &account,
            &ScoreOptions {
                at,
                as_of: None,
                ..Default::default()
            },
        )
    }
}
