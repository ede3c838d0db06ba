//! Portfolios: prioritisation, band movement, playbooks.

mod playbooks;
mod prioritise;

pub use playbooks::PlaybookContext;
pub use prioritise::{BandChange, BandMovement, Objective, Prioritised};
