//! Portfolios: prioritisation and band movement. (Playbook matching is part
//! of the model, `crate::model::actions`; its context is re-exported here
//! where it always was.)

mod order;
mod prioritise;
mod rollup;

pub use crate::model::PlaybookContext;
pub use prioritise::{
    priority_order, BandChange, BandMovement, MovementRow, Objective, Prioritised, PriorityRow,
};
pub use rollup::{
    Rollup, RollupChild, RollupInput, RollupLever, RollupMethod, RollupOptions, RollupRow,
    MAX_DEPTH, MAX_ROLLUP_CHILDREN, MAX_ROLLUP_LEVERS,
};
