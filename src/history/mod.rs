//! History: trends, alerts, incremental updates, explaining a change, and
//! replaying stored inputs under a new model.
//!
//! A history is a list of dated scorecards or `{ at, score }` points, in any
//! order. Nothing here reads a clock: every date comes from the caller.

mod alerts;
mod explain;
mod set;
mod snapshots;
mod trend;
mod update;
mod window;

pub use alerts::Alert;
pub use explain::{Explanation, MeasureEffect};
pub use snapshots::Snapshot;
pub use update::{Replay, ReplayPoint, Update};

/// The history calls a model and a model set share (the bindings use one
/// wrapper for both): each delegates to the type's own method.
pub trait Histories {
    /// The trend at the end of a history.
    fn trend_of_history(
        &self,
        history: &serde_json::Value,
    ) -> Result<Option<crate::score::Trend>, Vec<crate::Error>>;
    /// Every alert over a history.
    fn alerts_of_history(
        &self,
        history: &serde_json::Value,
    ) -> Result<Vec<Alert>, Vec<crate::Error>>;
    /// Rescores a previous scorecard with changed values.
    fn update_card(
        &self,
        previous: &crate::Scorecard,
        changed: &serde_json::Value,
        at: Option<&str>,
        history: Option<&serde_json::Value>,
    ) -> Result<Update, Vec<crate::Error>>;
    /// Splits a score change into parts.
    fn explain(
        &self,
        before: &crate::Scorecard,
        after: &crate::Scorecard,
    ) -> Result<Explanation, crate::Error>;
}

macro_rules! histories {
    ($t:ty) => {
        impl Histories for $t {
            fn trend_of_history(
                &self,
                history: &serde_json::Value,
            ) -> Result<Option<crate::score::Trend>, Vec<crate::Error>> {
                self.trend(history)
            }
            fn alerts_of_history(
                &self,
                history: &serde_json::Value,
            ) -> Result<Vec<Alert>, Vec<crate::Error>> {
                self.alerts(history)
            }
            fn update_card(
                &self,
                previous: &crate::Scorecard,
                changed: &serde_json::Value,
                at: Option<&str>,
                history: Option<&serde_json::Value>,
            ) -> Result<Update, Vec<crate::Error>> {
                self.update(previous, changed, at, history)
            }
            fn explain(
                &self,
                before: &crate::Scorecard,
                after: &crate::Scorecard,
            ) -> Result<Explanation, crate::Error> {
                self.explain_change(before, after)
            }
        }
    };
}

histories!(crate::Model);
histories!(crate::ModelSet);
