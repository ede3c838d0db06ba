//! Portfolios: prioritisation, band movement, playbooks.

mod playbooks;
mod prioritise;

pub use playbooks::PlaybookContext;
pub use prioritise::{
    priority_order, BandChange, BandMovement, Objective, Prioritised, PriorityRow,
};
