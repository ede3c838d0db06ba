//! Ordering a portfolio by objective, and band movement since a date.

use super::order::{f64_key, id_key, shared_prefix, sort_keyed, Keyed};
use crate::date::parse_iso;
use crate::error::{Error, Errors};
use crate::model::{Direction, Model};
use crate::score::Scorecard;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What to order accounts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Objective {
    /// Lowest and most valuable first: `(100 − score) × value`.
    Retention,
    /// Upsell candidates: accounts in the top band or rising, by `score × value`.
    Growth,
}

impl std::str::FromStr for Objective {
    type Err = Errors;

    /// An objective by its name (`retention`, `growth`); another name is
    /// `invalid_value` at `objective`.
    fn from_str(name: &str) -> Result<Objective, Errors> {
        crate::names::variant::<Objective>(name).ok_or_else(|| {
            Error::new(
                "invalid_value",
                "objective",
                format!("`{name}` is not an objective"),
                format!(
                    "use one of: {}",
                    crate::names::variants::<Objective>().join(", ")
                ),
            )
            .into()
        })
    }
}

/// A scorecard with its priority.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Prioritised {
    /// The priority (higher first).
    pub priority: f64,
    /// The scorecard.
    #[serde(flatten)]
    pub scorecard: Scorecard,
}

/// How accounts moved between bands since a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandMovement {
    /// The date compared with.
    pub since: String,
    /// `from band → to band → count`, over accounts with a snapshot at or
    /// before `since` and a later one.
    pub counts: BTreeMap<String, BTreeMap<String, usize>>,
    /// The accounts whose band changed: `{ accountId, from, to }`.
    pub changed: Vec<BandChange>,
}

/// One account's band change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandChange {
    /// The account.
    pub account_id: String,
    /// Band at `since`.
    pub from: String,
    /// Band now.
    pub to: String,
}

impl Model {
    /// Orders scorecards by objective (DESIGN.md): `retention` by
    /// `(100 − score) × value`, `growth` (top band or rising only) by
    /// `score × value`; an unknown value counts 1. Scorecards without a score
    /// are left out. Ties: lower score first for retention, higher for
    /// growth, then account id.
    pub fn prioritise(
        &self,
        cards: &[Scorecard],
        objective: Objective,
        limit: Option<usize>,
    ) -> Vec<Prioritised> {
        let top = self.bands().last().map(|b| b.id.as_str());
        let rows: Vec<PriorityRow> = cards
            .iter()
            .map(|c| PriorityRow {
                score: c.score,
                value: c.value,
                top_band: Some(c.band.id.as_str()) == top,
                rising: c.trend.as_ref().and_then(|t| t.direction) == Some(Direction::Up),
                id: &c.account_id,
            })
            .collect();
        let mut order = priority_order(&rows, objective);
        if let Some(n) = limit {
            order.truncate(n);
        }
        order
            .into_iter()
            .map(|(i, priority)| Prioritised {
                priority,
                scorecard: cards[i].clone(),
            })
            .collect()
    }

    /// Band movement since a date, from dated scorecards of many accounts:
    /// for each account, its latest snapshot at or before `since` against its
    /// latest snapshot overall.
    pub fn band_movement(
        &self,
        snapshots: &[Scorecard],
        since: &str,
    ) -> Result<BandMovement, Errors> {
        let rows: Vec<MovementRow> = snapshots.iter().map(MovementRow::from).collect();
        self.band_movement_rows(&rows, since)
    }

    /// [`Model::band_movement`] of what it reads of each scorecard.
    pub fn band_movement_rows(
        &self,
        snapshots: &[MovementRow],
        since: &str,
    ) -> Result<BandMovement, Errors> {
        Ok(self.band_movement_inner(snapshots, since)?)
    }

    fn band_movement_inner(
        &self,
        snapshots: &[MovementRow],
        since: &str,
    ) -> Result<BandMovement, Error> {
        let cut = parse_iso(since).ok_or_else(|| {
            Error::new(
                "invalid_date",
                "since",
                format!("`{since}` is not an ISO 8601 date"),
                "write dates as 2026-09-30",
            )
        })?;
        // (hash maps: one insert per snapshot; the accounts are put in id
        // order once, below)
        let mut before: HashMap<&str, (f64, &str)> = HashMap::new();
        let mut latest: HashMap<&str, (f64, &str)> = HashMap::new();
        for (i, c) in snapshots.iter().enumerate() {
            let at = c.at.ok_or_else(|| {
                Error::new(
                    "missing_field",
                    format!("[{i}].at"),
                    "a snapshot without a date cannot be placed in time",
                    "give every snapshot an `at` date",
                )
            })?;
            let t = parse_iso(at).ok_or_else(|| {
                Error::new(
                    "invalid_date",
                    format!("[{i}].at"),
                    format!("`{at}` is not an ISO 8601 date"),
                    "write dates as 2026-09-30",
                )
            })?;
            let id = c.account_id;
            if t <= cut && before.get(id).is_none_or(|(bt, _)| t >= *bt) {
                before.insert(id, (t, c.band));
            }
            if latest.get(id).is_none_or(|(lt, _)| t >= *lt) {
                latest.insert(id, (t, c.band));
            }
        }
        let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut changed = Vec::new();
        let mut ids: Vec<&&str> = before.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let (t0, from) = &before[*id];
            let Some((t1, to)) = latest.get(id) else {
                continue;
            };
            if t1 <= t0 {
                continue;
            }
            *counts
                .entry(from.to_string())
                .or_default()
                .entry(to.to_string())
                .or_default() += 1;
            if from != to {
                changed.push(BandChange {
                    account_id: id.to_string(),
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
        }
        Ok(BandMovement {
            since: since.to_string(),
            counts,
            changed,
        })
    }
}

/// What band movement reads of one dated scorecard.
#[derive(Clone, Copy, Debug)]
pub struct MovementRow<'a> {
    /// The account id.
    pub account_id: &'a str,
    /// The snapshot's ISO date (required: an undated one is an error).
    pub at: Option<&'a str>,
    /// Its band id.
    pub band: &'a str,
}

impl<'a> From<&'a Scorecard> for MovementRow<'a> {
    fn from(c: &'a Scorecard) -> MovementRow<'a> {
        MovementRow {
            account_id: &c.account_id,
            at: c.at.as_deref(),
            band: &c.band.id,
        }
    }
}

/// What ordering needs of one account.
#[derive(Clone, Copy, Debug)]
pub struct PriorityRow<'a> {
    /// The score (`None`: left out).
    pub score: Option<f64>,
    /// The account's value (`None` counts 1).
    pub value: Option<f64>,
    /// Whether the account is in the model's top band.
    pub top_band: bool,
    /// Whether its trend is rising.
    pub rising: bool,
    /// The account id (the last tie-break).
    pub id: &'a str,
}

/// The rows `priority_order` orders, as `(index, priority)`, in their
/// order as given.
pub(crate) fn candidates(rows: &[PriorityRow], objective: Objective) -> Vec<(usize, f64)> {
    rows.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let score = r.score?;
            let value = r.value.unwrap_or(1.0);
            match objective {
                Objective::Retention => Some((i, (100.0 - score) * value)),
                Objective::Growth => (r.top_band || r.rising).then_some((i, score * value)),
            }
        })
        .collect()
}

/// The rows in priority order, as `(index, priority)`; rows without a score
/// (and, for growth, rows neither in the top band nor rising) are left out.
/// [`Model::prioritise`] orders scorecards with it; callers that hold
/// columns use it directly.
pub fn priority_order(rows: &[PriorityRow], objective: Objective) -> Vec<(usize, f64)> {
    let out = candidates(rows, objective);
    // (one keyed sort: the priority, the score, the id's leading bytes as
    // numbers; the whole id only where those tie; stable)
    let shared = shared_prefix(out.iter().map(|&(i, _)| rows[i].id));
    let mut keyed: Vec<Keyed> = out
        .iter()
        .enumerate()
        .map(|(k, &(i, priority))| {
            let score = f64_key(rows[i].score.unwrap_or(0.0));
            let tie = match objective {
                Objective::Retention => score,
                Objective::Growth => !score,
            };
            Keyed {
                key: [!f64_key(priority), tie, id_key(rows[i].id, shared)],
                id: rows[i].id,
                at: k as u32,
            }
        })
        .collect();
    sort_keyed(&mut keyed);
    keyed.iter().map(|k| out[k.at as usize]).collect()
}
