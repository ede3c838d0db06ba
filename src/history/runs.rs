//! A model's run: the stretch of a history one model made. It is the one
//! definition `trend`, `alerts`, `update` (and so the edge service) use.
//!
//! A run starts at every snapshot whose model hash (a scorecard's, or a
//! point's `modelHash`) differs from the last hash before it, whether that
//! snapshot has a score or not: a model that scored nothing still ends the
//! run before it. A snapshot without a hash (a bare point) belongs to the
//! run of the snapshot before it. So A → B → A makes three runs, and the
//! second A is a model change like the first B.

use super::Snapshot;

/// The run of each snapshot (numbered from 0, in time order).
pub(crate) fn run_ids(snaps: &[Snapshot]) -> Vec<usize> {
    let mut run = 0;
    let mut last: Option<&str> = None;
    snaps
        .iter()
        .map(|s| {
            if let Some(h) = s.model_hash.as_deref() {
                if last.is_some_and(|l| l != h) {
                    run += 1;
                }
                last = Some(h);
            }
            run
        })
        .collect()
}

/// Where the last run starts (0 when one model, or bare points, make the
/// whole history).
pub(crate) fn run_start(snaps: &[Snapshot]) -> usize {
    let runs = run_ids(snaps);
    let Some(&last) = runs.last() else {
        return 0;
    };
    runs.iter().position(|&r| r == last).unwrap_or(0)
}
