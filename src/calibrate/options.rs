//! The options of each calibration call: one type per call, read with
//! serde (`deny_unknown_fields`: a misspelt option is an error, never
//! ignored), checked by their `check` methods, and exported to the
//! JSON Schema from which the TypeScript types are generated.

use crate::error::Error;
use crate::model::Aggregation;
use crate::score::RawValue;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which column holds the outcome, and which of its values mean churned.
/// Nothing is guessed from the column's name: a column `renewed` whose
/// `true` means the account stayed is `{ column: "renewed", churnedWhen: false }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Outcome {
    /// The outcome column.
    pub column: String,
    /// The value, or values, that mean the account churned (compared as
    /// text, ignoring case and surrounding spaces; `1`, `1.0` and `"1"` are
    /// the same).
    pub churned_when: OneOrMany,
    /// The values that mean retained. Without it every other value means
    /// retained, and a column with more than two values is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_when: Option<OneOrMany>,
}

/// One value or a list of values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum OneOrMany {
    /// A list.
    Many(Vec<RawValue>),
    /// One value.
    One(RawValue),
}

impl OneOrMany {
    /// The values.
    pub fn values(&self) -> &[RawValue] {
        match self {
            OneOrMany::Many(vs) => vs,
            OneOrMany::One(v) => std::slice::from_ref(v),
        }
    }
}

/// How to read a labelled table: its outcome, and optionally its value and
/// id columns. These are the options of `backtest`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TableOptions {
    /// The outcome (required).
    pub outcome: Option<Outcome>,
    /// A column with each account's value (ARR or similar), a number ≥ 0.
    pub value_column: Option<String>,
    /// A column that identifies accounts; left out of the measures.
    pub id_column: Option<String>,
}

/// The options of `backtest`.
pub type BacktestOptions = TableOptions;

impl TableOptions {
    /// A table labelled by `column`, churned when it holds `churned_when`.
    pub fn outcome(column: &str, churned_when: impl Into<RawValue>) -> TableOptions {
        TableOptions {
            outcome: Some(Outcome {
                column: column.into(),
                churned_when: OneOrMany::One(churned_when.into()),
                retained_when: None,
            }),
            ..TableOptions::default()
        }
    }
}

/// The options of `fit`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FitOptions {
    /// The outcome (required).
    pub outcome: Option<Outcome>,
    /// A value column.
    pub value_column: Option<String>,
    /// An id column.
    pub id_column: Option<String>,
    /// Share of rows held out for the before/after backtest (stratified), 0..1 (default 0.3).
    pub test_share: f64,
    /// Seed of the split (default 42).
    pub seed: u64,
    /// L2 penalty of the logistic regression, 0 or more (default 1).
    pub lambda: f64,
    /// Newton iterations at most, 1..1000 (default 50).
    pub iterations: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            outcome: None,
            value_column: None,
            id_column: None,
            test_share: 0.3,
            seed: 42,
            lambda: 1.0,
            iterations: 50,
        }
    }
}

impl FitOptions {
    /// How to read the table.
    pub fn table(&self) -> TableOptions {
        TableOptions {
            outcome: self.outcome.clone(),
            value_column: self.value_column.clone(),
            id_column: self.id_column.clone(),
        }
    }

    /// Checks the numbers.
    pub(crate) fn check(&self) -> Result<(), Error> {
        check_fit(self.test_share, self.lambda, self.iterations)
    }
}

fn check_fit(test_share: f64, lambda: f64, iterations: usize) -> Result<(), Error> {
    if !(test_share > 0.0 && test_share < 1.0) {
        return Err(Error::new(
            "invalid_value",
            "testShare",
            format!("testShare {test_share} is not within 0..1"),
            "hold out a share of the rows to judge the result on, e.g. 0.3",
        ));
    }
    if !(lambda >= 0.0 && lambda.is_finite()) {
        return Err(Error::new(
            "invalid_value",
            "lambda",
            format!("lambda {lambda} is not 0 or more"),
            "the penalty on the coefficients: 0 (none) or more, e.g. 1",
        ));
    }
    if !(1..=1000).contains(&iterations) {
        return Err(Error::new(
            "invalid_value",
            "iterations",
            format!("{iterations} iterations is not within 1..1000"),
            "the regression converges in well under 50 iterations",
        ));
    }
    Ok(())
}

/// The options of `suggest`: build a model from a labelled table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SuggestOptions {
    /// The outcome (required).
    pub outcome: Option<Outcome>,
    /// A value column.
    pub value_column: Option<String>,
    /// An id column.
    pub id_column: Option<String>,
    /// Columns to leave out.
    pub skip: Vec<String>,
    /// Columns to use even where the checks would leave them out (an
    /// information value below the floor, values that look like an id).
    pub keep: Vec<String>,
    /// Columns that become measures nobody can act on (tenure, age,
    /// contract terms): in the score, out of levers and plans
    /// (`actionable: false` on the measure).
    pub not_actionable: Vec<String>,
    /// `points` (points per bin, summed and mapped onto 0–100; default) or
    /// `weighted` (the same scores, as a weighted model).
    pub aggregation: Aggregation,
    /// Bins per numeric column at most (default 8, 2..20).
    pub max_bins: usize,
    /// The smallest bin, as a share of the training rows (default 0.05).
    pub min_bin_share: f64,
    /// Held-out share (default 0.3).
    pub test_share: f64,
    /// Seed of the split (default 42).
    pub seed: u64,
    /// L2 penalty of the logistic regression (default 1).
    pub lambda: f64,
    /// Target shares of accounts per band, lowest first (default 0.2, 0.5, 0.3).
    pub band_shares: Vec<f64>,
    /// The suggested model's id (default `suggested`).
    pub model_id: String,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            outcome: None,
            value_column: None,
            id_column: None,
            skip: Vec::new(),
            keep: Vec::new(),
            not_actionable: Vec::new(),
            aggregation: Aggregation::Points,
            max_bins: 8,
            min_bin_share: 0.05,
            test_share: 0.3,
            seed: 42,
            lambda: 1.0,
            band_shares: vec![0.2, 0.5, 0.3],
            model_id: "suggested".into(),
        }
    }
}

impl SuggestOptions {
    /// How to read the table.
    pub fn table(&self) -> TableOptions {
        TableOptions {
            outcome: self.outcome.clone(),
            value_column: self.value_column.clone(),
            id_column: self.id_column.clone(),
        }
    }

    /// Checks the numbers.
    pub(crate) fn check(&self) -> Result<(), Error> {
        check_fit(self.test_share, self.lambda, 50)?;
        if !(2..=20).contains(&self.max_bins) {
            return Err(Error::new(
                "invalid_value",
                "maxBins",
                format!("maxBins {} is not within 2..20", self.max_bins),
                "e.g. 8",
            ));
        }
        if !(self.min_bin_share > 0.0 && self.min_bin_share <= 0.5) {
            return Err(Error::new(
                "invalid_value",
                "minBinShare",
                format!("minBinShare {} is not within 0..0.5", self.min_bin_share),
                "e.g. 0.05: every bin holds at least 5 % of the rows",
            ));
        }
        check_shares(&self.band_shares, None, "bandShares")?;
        if crate::read::id(
            &Value::String(self.model_id.clone()),
            "modelId",
            &mut Default::default(),
        )
        .is_none()
        {
            return Err(Error::new(
                "invalid_value",
                "modelId",
                "modelId is not a usable id",
                "an id is 1 to 200 characters, not blank, without control characters",
            ));
        }
        Ok(())
    }
}

/// The options of `suggestBands`: band edges by target shares of accounts
/// or by target churn rates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct BandOptions {
    /// The outcome (required).
    pub outcome: Option<Outcome>,
    /// A value column.
    pub value_column: Option<String>,
    /// An id column.
    pub id_column: Option<String>,
    /// Shares of accounts per band, lowest first (summing to 1).
    pub shares: Option<Vec<f64>>,
    /// Churn rates per band except the top, lowest first (each band is made
    /// as large as it can be while its churn rate stays at least the target).
    pub churn_rates: Option<Vec<f64>>,
}

impl BandOptions {
    /// How to read the table.
    pub fn table(&self) -> TableOptions {
        TableOptions {
            outcome: self.outcome.clone(),
            value_column: self.value_column.clone(),
            id_column: self.id_column.clone(),
        }
    }
}

/// Shares: `n` of them (when given), each 0..1, adding up to 1.
pub(crate) fn check_shares(shares: &[f64], n: Option<usize>, path: &str) -> Result<(), Error> {
    let sum: f64 = shares.iter().sum();
    let ok = n.is_none_or(|n| shares.len() == n)
        && (2..=10).contains(&shares.len())
        && shares.iter().all(|s| *s > 0.0 && *s < 1.0)
        && (sum - 1.0).abs() < 1e-6;
    if ok {
        return Ok(());
    }
    let count = n.map_or("2 to 10 shares".to_string(), |n| {
        format!("{n} shares, one per band,")
    });
    Err(Error::new(
        "invalid_value",
        path,
        format!("give {count} each above 0, adding up to 1"),
        "e.g. [0.2, 0.5, 0.3]",
    ))
}

/// An `outcome` given as a bare column name is refused with help: which
/// values mean churned is never guessed.
pub(crate) fn check_outcome_shape(doc: Option<&Value>) -> Result<(), Error> {
    match doc.and_then(|d| d.get("outcome")) {
        Some(Value::String(column)) => Err(Error::new(
            "invalid_value",
            "outcome",
            format!("outcome names the column `{column}` but not which of its values mean churned"),
            format!("write {{ outcome: {{ column: {column:?}, churnedWhen: \"Yes\" }} }} with the value (or list of values) that means churned; nothing is guessed from the column's name"),
        )),
        _ => Ok(()),
    }
}

pub(crate) use crate::options::read;
