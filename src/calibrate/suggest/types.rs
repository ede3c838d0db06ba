//! What `suggest` gives: the suggestion, what it did with each column, its
//! bands on the held-out rows, its warnings and its progress.

use super::super::backtest::{Backtest, BandOutcome};
use super::super::table::OutcomeReading;
use crate::model::ModelSpec;
use crate::score::BatchError;
use serde::{Deserialize, Serialize};

/// What Suggest did with each column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ColumnUse {
    /// The column.
    pub column: String,
    /// `numeric`, `boolean`, `categorical` or `skipped`.
    pub kind: String,
    /// How it is scored, or why it was left out.
    pub note: String,
    /// Its information value on the training rows (a column's power to
    /// separate churned from retained: below 0.02 useless, above 0.3 strong).
    pub information_value: Option<f64>,
    /// Whether it is a measure of the suggested model.
    pub used: bool,
}

/// The suggested bands on the held-out rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandCheck {
    /// Whether churn falls from each band to the next on the held-out rows.
    pub falling: bool,
    /// Count, churned and churn rate per band on the held-out rows.
    pub outcomes: Vec<BandOutcome>,
    /// Why there are fewer bands than asked for, when there are.
    pub note: Option<String>,
}

/// Something about the table a person should know before adopting the
/// suggested model (a code to act on, the column, and the figures).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuggestWarning {
    /// `leak`: the column alone separates churned from retained almost
    /// perfectly (AUC above [`LEAK_AUC`](super::LEAK_AUC) or information value above
    /// [`LEAK_INFORMATION_VALUE`](super::LEAK_INFORMATION_VALUE)), as a column recorded after the outcome
    /// does; `id_like`: a different value in almost every row (left out
    /// unless in `keep`, when its name or its text says id); `reversed`:
    /// with the other columns in the model its own effect reverses.
    pub code: String,
    /// The column.
    pub column: String,
    /// What was seen.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// The column's AUC alone on the training rows (for `leak`).
    pub auc: Option<f64>,
    /// Its information value on the training rows.
    pub information_value: Option<f64>,
}

/// The result of [`Model::suggest`](crate::Model::suggest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The suggested model: an ordinary model document.
    pub model: ModelSpec,
    /// What was done with each column.
    pub columns: Vec<ColumnUse>,
    /// The suggested model on the held-out rows.
    pub backtest: Backtest,
    /// Its bands on the held-out rows.
    pub bands: BandCheck,
    /// How the outcome column was read.
    pub outcome: OutcomeReading,
    /// Rows the model was built from.
    pub train_rows: usize,
    /// Rows held out to judge it.
    pub test_rows: usize,
    /// Whether the regression converged.
    pub converged: bool,
    /// Rows left out, with reasons.
    pub errors: Vec<BatchError>,
    /// What to know before adopting it: likely leaks, id-like columns,
    /// reversed effects ([`SuggestWarning`]).
    #[serde(default)]
    pub warnings: Vec<SuggestWarning>,
}

/// How far a long calibration call has got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// `reading` (rows), `binning` (columns), `fitting` (0 during the fit
    /// on weights of evidence, then 1 and each Newton step of the points
    /// per bin, of the most there can be: the total once they converge) or
    /// `bands` (the rows scored by the draft, then the bands).
    pub phase: String,
    /// Units of the phase done…
    pub done: usize,
    /// …of this many.
    pub total: usize,
}
