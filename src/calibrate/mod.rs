//! Calibration: check a model against real outcomes (backtest), fit it to
//! them, suggest band edges, and build a model from a labelled table
//! (suggest). Everything is deterministic: the same rows and options give
//! the same model and numbers on every platform. Rows are scored with the
//! columnar kernel.
//!
//! - [`table`]: labelled rows by column, the outcome read by an explicit rule;
//! - [`options`]: one options type per call;
//! - `binning`, `profile`: optimal binning of a column, and what suggest
//!   makes of it;
//! - `suggest`, `fit`, `backtest`, `bands`: the calls.

mod backtest;
mod bands;
mod binning;
mod fit;
pub mod job;
pub mod logistic;
pub mod metrics;
pub mod options;
mod profile;
mod reader;
mod refine;
mod scoring;
mod suggest;
pub mod table;

pub use backtest::{Backtest, BandOutcome, Bin, LowestBand, MeasureCheck};
pub use bands::BandEdges;
pub use fit::{FitResult, FittedWeight, Reversal};
pub use job::{Job, JobKind, JobResult};
pub use options::{
    BacktestOptions, BandOptions, FitOptions, Outcome, SuggestOptions, TableOptions,
};
pub use profile::MAX_CATEGORIES;

pub use suggest::{
    BandCheck, ColumnUse, Progress, SuggestWarning, Suggester, Suggestion, ID_SHARE, LEAK_AUC,
    LEAK_INFORMATION_VALUE, MAX_MEASURES, MIN_INFORMATION_VALUE, MIN_ROWS,
};
pub use table::{ColumnData, OutcomeReading, Table, MAX_CELLS, MAX_COLUMNS};
