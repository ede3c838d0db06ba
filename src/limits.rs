//! Documented limits: input beyond them is refused up front with
//! `too_large`, the limit in `help`, before any work or allocation.

/// The most columns a calibration table may have.
pub const MAX_TABLE_COLUMNS: usize = 1_000;
/// The most cells (rows × columns) a calibration table may have.
pub const MAX_TABLE_CELLS: usize = 20_000_000;
