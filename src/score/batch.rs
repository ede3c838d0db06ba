//! Scoring many accounts in one call, with a portfolio summary.

use super::ScoreOptions;
use super::{Account, Scorecard, BAND_INSUFFICIENT, BAND_REFUSED, INSUFFICIENT_DATA};
use crate::error::Errors;
use crate::error::{index, Error};
use crate::model::Model;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The result of scoring a batch: a slot per account (null where the account
/// was refused), the refusals, and a summary of the scored ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    /// One per account, in order; `None` where the account had an error.
    pub scorecards: Vec<Option<Scorecard>>,
    /// One per problem, with the account's index and a path like `[3].values.ops`.
    pub errors: Vec<BatchError>,
    /// Over the scored accounts.
    pub summary: Summary,
}

/// A problem with one account of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchError {
    /// The account's index in the batch.
    pub index: usize,
    /// Stable code.
    pub code: String,
    /// Path into the batch: `[3].values.ops`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

/// A portfolio summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Accounts scored (refused ones are not counted).
    pub count: usize,
    /// Mean score of the accounts with a score (null when none).
    pub mean: Option<f64>,
    /// Median score (the mean of the middle two for an even count).
    pub median: Option<f64>,
    /// Per band id, in band order, then `insufficient_data`.
    pub bands: BandCounts,
    /// Accounts with a score flagged `lowCoverage` (their score rests on
    /// less of the model than its `lowCoverageBelow`). Absent from
    /// summaries stored by earlier versions.
    #[serde(default)]
    pub low_coverage: usize,
}

/// Count, share of the scored accounts and total value of one band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandSummary {
    /// Accounts in the band.
    pub count: usize,
    /// `count / summary.count` (0 when nothing was scored).
    pub share: f64,
    /// Sum of the accounts' `value` (an unknown value counts 0).
    pub value: f64,
}

/// Band id → [`BandSummary`], kept in band order; a JSON object.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BandCounts(pub Vec<(String, BandSummary)>);

impl BandCounts {
    /// The summary of one band.
    pub fn get(&self, id: &str) -> Option<&BandSummary> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for BandCounts {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BandCounts".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = generator.subschema_for::<BandSummary>();
        schemars::json_schema!({
            "type": "object",
            "description": "Band id → count, share and value, in band order, then insufficient_data.",
            "additionalProperties": item
        })
    }
}

impl Serialize for BandCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for BandCounts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BandCounts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from band id to band summary")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<BandCounts, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry()? {
                    out.push((k, v));
                }
                Ok(BandCounts(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl Model {
    /// Scores every account; a refused account leaves `None` in its slot and
    /// its errors (paths prefixed with `[index]`) in `errors`.
    pub fn score_many(&self, accounts: &[Account]) -> Batch {
        self.score_each(accounts, |_, a| self.score(a))
    }

    /// Scores every account with options (`at`, `asOf`, `ignoreUnknown`).
    pub fn score_many_with(&self, accounts: &[Account], options: &ScoreOptions) -> Batch {
        self.score_each(accounts, |_, a| self.score_with(a, options))
    }

    /// Reads a JSON array of accounts (text) and scores them; an account
    /// that cannot be read is refused like one that cannot be scored. Only
    /// text that is not an array of accounts is an error.
    pub fn score_many_json(&self, accounts: &str) -> Result<Batch, Errors> {
        let items = Account::many_from_json(accounts)?;
        Ok(self.score_each(&items, |_, a| match a {
            Ok(a) => self.score(a),
            Err(e) => Err(e.clone()),
        }))
    }

    /// Builds a batch from any items and a scoring function (given each
    /// item's index): refusals are collected with `[index]` paths and the
    /// summary is taken over the scorecards.
    pub fn score_each<T>(
        &self,
        items: &[T],
        score: impl Fn(usize, &T) -> Result<Scorecard, Errors>,
    ) -> Batch {
        self.score_each_at(items, |i| i, score)
    }

    /// [`Model::score_each`] for items that are part of a larger batch:
    /// `index(i)` is item `i`'s index there (errors carry it).
    pub fn score_each_at<T>(
        &self,
        items: &[T],
        index: impl Fn(usize) -> usize,
        score: impl Fn(usize, &T) -> Result<Scorecard, Errors>,
    ) -> Batch {
        let mut errors = Vec::new();
        let scorecards: Vec<Option<Scorecard>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| match score(i, item) {
                Ok(card) => Some(card),
                Err(es) => {
                    errors.extend(es.into_iter().map(|e| BatchError::at(index(i), e)));
                    None
                }
            })
            .collect();
        let summary = self.summarize(scorecards.iter().flatten());
        Batch {
            scorecards,
            errors,
            summary,
        }
    }

    /// The portfolio summary of some scorecards.
    pub fn summarize<'a>(&self, cards: impl Iterator<Item = &'a Scorecard>) -> Summary {
        let index = |id: &str| {
            if id == INSUFFICIENT_DATA {
                Some(self.bands().len())
            } else {
                self.bands().iter().position(|b| b.id == id)
            }
        };
        self.summary_of(cards.map(|c| (c.score, index(&c.band.id), c.value, c.low_coverage)))
    }

    /// The portfolio summary of columnar results: per row its score (NaN
    /// when none), its band index (255 insufficient data; 254, a refused
    /// row, is left out), its value (NaN when unknown) and whether it is
    /// flagged `lowCoverage` (non-zero; rows past the end of `low` are not).
    /// The same numbers as [`Model::summarize`] over the same accounts'
    /// scorecards.
    pub fn summarize_columns(
        &self,
        scores: &[f64],
        bands: &[u8],
        values: &[f64],
        low: &[u8],
    ) -> Summary {
        let ids: Vec<&str> = self.bands().iter().map(|b| b.id.as_str()).collect();
        summarize_columns_over(&ids, scores, bands, values, low)
    }

    /// The summary of scored accounts given as (score, band index — the
    /// model's bands, then insufficient data — value).
    fn summary_of(&self, rows: impl Iterator<Item = SummaryRow>) -> Summary {
        let ids: Vec<&str> = self.bands().iter().map(|b| b.id.as_str()).collect();
        summary_over(&ids, rows)
    }
}

/// [`Model::summarize_columns`] over any list of band ids (a model set's
/// bands): band index `b` is `band_ids[b]`, 255 insufficient data, 254 a
/// refused row (left out).
pub(crate) fn summarize_columns_over(
    band_ids: &[&str],
    scores: &[f64],
    bands: &[u8],
    values: &[f64],
    low: &[u8],
) -> Summary {
    let n = band_ids.len();
    summary_over(
        band_ids,
        (0..scores.len().min(bands.len()))
            .filter(|&r| bands[r] != BAND_REFUSED)
            .map(|r| {
                let band = match bands[r] {
                    BAND_INSUFFICIENT => Some(n),
                    b if usize::from(b) < n => Some(usize::from(b)),
                    _ => None,
                };
                let s = scores[r];
                let v = values.get(r).copied().filter(|v| !v.is_nan());
                let flagged = low.get(r).is_some_and(|x| *x != 0);
                ((!s.is_nan()).then_some(s), band, v, flagged)
            }),
    )
}

/// One scored account as a summary counts it: its score, its band index
/// (into the band ids, then insufficient data), its value, whether it is
/// flagged `lowCoverage`.
pub(crate) type SummaryRow = (Option<f64>, Option<usize>, Option<f64>, bool);

/// The summary of scored accounts.
pub(crate) fn summary_over(band_ids: &[&str], rows: impl Iterator<Item = SummaryRow>) -> Summary {
    {
        let mut bands: Vec<(String, BandSummary)> = band_ids
            .iter()
            .map(|b| b.to_string())
            .chain([INSUFFICIENT_DATA.to_string()])
            .map(|id| {
                (
                    id,
                    BandSummary {
                        count: 0,
                        share: 0.0,
                        value: 0.0,
                    },
                )
            })
            .collect();
        let mut scores = Vec::new();
        let mut count = 0;
        let mut low_coverage = 0;
        for (score, band, value, low) in rows {
            count += 1;
            low_coverage += usize::from(low);
            if let Some(s) = score {
                scores.push(s);
            }
            if let Some((_, b)) = band.and_then(|b| bands.get_mut(b)) {
                b.count += 1;
                b.value += value.unwrap_or(0.0);
            }
        }
        for (_, b) in &mut bands {
            b.share = if count > 0 {
                b.count as f64 / count as f64
            } else {
                0.0
            };
        }
        Summary {
            count,
            mean: mean(&scores),
            median: median(&mut scores),
            bands: BandCounts(bands),
            low_coverage,
        }
    }
}

impl BatchError {
    /// The error of item `i`, its path prefixed with `[i]`.
    pub fn at(i: usize, e: Error) -> BatchError {
        let e = e.prefixed(&index("", i));
        BatchError {
            index: i,
            code: e.code,
            path: e.path,
            message: e.message,
            help: e.help,
        }
    }
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    Some(if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    })
}

/// The items of a JSON batch of accounts (an array), or why it is not one.
/// The items of a batch document (an array), or `wrong_type`.
pub(crate) fn account_items(accounts: &Value) -> Result<&[Value], Error> {
    match accounts {
        Value::Array(items) => Ok(items),
        other => Err(Error::new(
            "wrong_type",
            "",
            format!(
                "accounts must be an array, not {}",
                crate::read::kind(other)
            ),
            "pass an array of account objects",
        )),
    }
}
