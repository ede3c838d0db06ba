//! Reading a history: dated scorecards or `{ at, score, band? }` points.

use crate::date::parse_iso;
use crate::error::{index, Error, Errors};
use crate::model::Model;
use crate::read::{self, Obj, Problems};
use crate::score::{Scorecard, INSUFFICIENT_DATA};
use serde_json::Value;

/// One point of a history, in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The date as given (None for an undated scorecard in `update`).
    pub at: Option<String>,
    /// Seconds since the epoch (None when undated: inside every window).
    pub t: Option<f64>,
    /// The score (None when there was none).
    pub score: Option<f64>,
    /// The band id.
    pub band: String,
    /// The scorecard, when the history held scorecards.
    pub card: Option<Scorecard>,
    /// The hash of the model that made it (a scorecard's, or a point's
    /// `modelHash` when given): where it changes, a model's run starts.
    pub model_hash: Option<String>,
}

impl Snapshot {
    /// The snapshot a scorecard stands for.
    pub fn of_card(card: Scorecard) -> Snapshot {
        Snapshot {
            t: card.at.as_deref().and_then(parse_iso),
            at: card.at.clone(),
            score: card.score,
            band: card.band.id.clone(),
            model_hash: Some(card.model_hash.clone()),
            card: Some(card),
        }
    }
}

const POINT_FIELDS: &[&str] = &["at", "score", "band", "modelHash"];

impl Model {
    /// Reads a history (JSON text: an array of scorecards or `{ at, score,
    /// band?, modelHash? }` points) into snapshots sorted by date. Missing,
    /// bad and duplicate dates are errors with paths (`[3].at`). A point's
    /// band is taken from the model's bands unless it gives one.
    pub fn read_history(&self, history: &str) -> Result<Vec<Snapshot>, Errors> {
        let doc = crate::error::parse_json(history, "the history")?;
        Ok(self.history_of(&doc)?)
    }

    /// Snapshots of scorecards, sorted by date (duplicate and missing dates
    /// are errors, as in [`Model::read_history`]).
    pub fn history_of_cards(&self, cards: &[Scorecard]) -> Result<Vec<Snapshot>, Errors> {
        let doc = serde_json::to_value(cards)
            .map_err(|e| Error::new("invalid_value", "", e.to_string(), "pass finite numbers"))?;
        Ok(self.history_of(&doc)?)
    }

    /// [`Model::read_history`] over a parsed document.
    pub(crate) fn history_of(&self, history: &Value) -> Result<Vec<Snapshot>, Vec<Error>> {
        let Value::Array(items) = history else {
            return Err(vec![Error::new(
                "wrong_type",
                "",
                format!("a history must be an array, not {}", read::kind(history)),
                "pass an array of scorecards or { at, score } points",
            )]);
        };
        if items.len() > crate::limits::MAX_HISTORY {
            return Err(vec![crate::limits::too_large(
                "",
                "snapshots",
                items.len(),
                crate::limits::MAX_HISTORY,
                "pass the recent part of the history (the trend and alerts look back weeks, not years)",
            )]);
        }
        let mut p = Problems::default();
        let mut out: Vec<(usize, Snapshot)> = Vec::new();
        // Where each moment was first seen (a duplicate is an error).
        let mut at_time: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let path = index("", i);
            let snap = if item.get("accountId").is_some() {
                match serde_json::from_value::<Scorecard>(item.clone()) {
                    Ok(card) => Some(self.snapshot_of(card)),
                    Err(e) => {
                        p.push(
                            "invalid_value",
                            &path,
                            format!("not a scorecard: {e}"),
                            "pass scorecards as returned by score(), or { at, score } points",
                        );
                        None
                    }
                }
            } else {
                self.point(item, &path, &mut p)
            };
            let Some(snap) = snap else { continue };
            match (&snap.at, snap.t) {
                (None, _) => p.push(
                    "missing_field",
                    &format!("{path}.at"),
                    "a history snapshot needs a date",
                    "give every snapshot an `at` date",
                ),
                (Some(at), None) => p.push(
                    "invalid_date",
                    &format!("{path}.at"),
                    format!("`{at}` is not an ISO 8601 date"),
                    "write dates as 2026-09-30 or 2026-09-30T14:00:00Z",
                ),
                (Some(_), Some(t)) => {
                    if let Some(&j) = at_time.get(&t.to_bits()) {
                        p.push(
                            "duplicate_date",
                            &format!("{path}.at"),
                            format!("two snapshots at the same time (this one and [{j}])"),
                            "keep one snapshot per date",
                        );
                    } else {
                        at_time.insert(t.to_bits(), i);
                        out.push((i, snap));
                    }
                }
            }
        }
        if !p.is_empty() {
            return Err(p.0);
        }
        let mut snaps: Vec<Snapshot> = out.into_iter().map(|(_, s)| s).collect();
        snaps.sort_by(|a, b| {
            a.t.unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&b.t.unwrap_or(f64::NEG_INFINITY))
        });
        Ok(snaps)
    }

    pub(crate) fn snapshot_of(&self, card: Scorecard) -> Snapshot {
        Snapshot::of_card(card)
    }

    fn point(&self, item: &Value, path: &str, p: &mut Problems) -> Option<Snapshot> {
        let o = Obj::new(item, path, "a history point", POINT_FIELDS, p)?;
        let before = p.len();
        let at = o.req("at", "the ISO date of the snapshot", p, read::string);
        let score = o.opt("score", p, |v, path, p| {
            let x = read::number(v, path, p)?;
            if !(0.0..=100.0).contains(&x) {
                p.push(
                    "out_of_range",
                    path,
                    format!("a score of {x} is outside 0..100"),
                    "scores run from 0 to 100",
                );
                return None;
            }
            Some(x)
        });
        let band = o.opt("band", p, read::string);
        let model_hash = o.opt("modelHash", p, read::string);
        if p.len() > before {
            return None;
        }
        let score = score?;
        let band = band?.unwrap_or_else(|| match score {
            Some(s) => self.bands()[self.band_index(s)].id.clone(),
            None => INSUFFICIENT_DATA.to_string(),
        });
        let at = at?;
        Some(Snapshot {
            t: parse_iso(&at),
            at: Some(at),
            score,
            band,
            card: None,
            model_hash: model_hash.flatten(),
        })
    }
}
