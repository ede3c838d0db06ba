//! Calibration: check a model against real outcomes (backtest), fit its
//! weights to them, suggest band edges, and build a model from a labelled
//! table. Everything is deterministic: the same rows and options give the
//! same model and numbers on every platform.

mod backtest;
mod fit;
pub mod logistic;
pub mod metrics;
mod suggest;
mod table;

pub use backtest::{Backtest, BandOutcome, Bin, LowestBand, MeasureCheck};
pub use fit::{FitOptions, FitResult, FittedWeight, Reversal};
pub use suggest::{BandEdges, BandTargets, ColumnUse, SuggestOptions, Suggestion};
pub use table::{RowError, Table, TableOptions};
