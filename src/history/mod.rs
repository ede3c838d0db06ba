//! History: trends, alerts, incremental updates, explaining a change, and
//! replaying stored inputs under a new model.
//!
//! A history is a list of dated scorecards or `{ at, score }` points, in any
//! order. Nothing here reads a clock: every date comes from the caller.

mod alerts;
mod explain;
mod runs;
mod set;
mod snapshots;
mod trend;
mod update;
mod window;

pub use alerts::Alert;
pub use explain::{Explanation, MeasureEffect};
pub use snapshots::Snapshot;
pub use update::{Changes, Replay, ReplayPoint, StoredInputs, Update};
