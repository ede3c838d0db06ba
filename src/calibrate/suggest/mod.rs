//! Building a model from a labelled table, the way a credit-risk scorecard
//! is built: each usable column binned (numeric columns cut into steps,
//! categorical values grouped, missing values in a bin of their own), each
//! bin's weight of evidence, a regularised logistic regression on those,
//! and points per bin from the coefficients: a points table that reads as
//! "tenure below 6 months: 0 points, 6 to 18: 24 points, …". Then band
//! edges by shares of the training rows, checked on the held-out rows.
//!
//! [`Suggester`] runs it in small steps (so that a caller can report
//! progress and cancel); [`Model::suggest`] runs every step.

mod checks;
mod fitting;
mod playbooks;
mod points;
mod types;

pub use checks::{ID_SHARE, LEAK_AUC, LEAK_INFORMATION_VALUE};
pub use types::*;

use super::backtest::BandOutcome;
use super::bands::{edges_by_shares, falling, outcomes, set_edges};
use super::logistic;
use super::options::SuggestOptions;
use super::profile::{self, Bins, Feature, Profile};
use super::refine;
use super::table::Table;
use crate::error::{Error, Errors};
use crate::model::{
    Aggregation, BandSpec, CategorySpec, MeasureSpec, MissingPolicy, Model, ModelSpec, Rule,
};
use std::collections::BTreeMap;

/// Points per doubling of the odds of staying: a bin twice as safe as
/// another earns 20 points more (the usual "points to double the odds" of a
/// credit scorecard).
const POINTS_TO_DOUBLE: f64 = 20.0;

/// A column whose information value is below this separates churned from
/// retained accounts too little to earn a place in the model.
pub const MIN_INFORMATION_VALUE: f64 = 0.005;

/// The ridge penalty of the per-bin refinement (toward the
/// weight-of-evidence points).
const REFINE_PENALTY: f64 = 10.0;
/// Newton iterations of the refinement at most.
const REFINE_ITERATIONS: usize = 15;

/// The most columns the regression takes (those with the highest
/// information value).
pub const MAX_MEASURES: usize = 100;

/// Rows a table needs for `suggest` at least.
pub const MIN_ROWS: usize = 40;

enum Stage {
    Binning,
    Fitting,
    Refining,
    Scoring,
    Finishing(Box<points::Draft>),
    Done,
}

/// `suggest`, step by step.
pub struct Suggester {
    opts: SuggestOptions,
    table: Table,
    train: Table,
    test: Table,
    uses: Vec<ColumnUse>,
    warnings: Vec<SuggestWarning>,
    features: Vec<Feature>,
    next: usize,
    stage: Stage,
    /// Per feature, per bin (the missing bin last): the log-odds of churn it adds.
    theta: Vec<Vec<f64>>,
    /// The fit on weights of evidence in progress (`fitting.rs`).
    woe_fit: Option<fitting::WoeFit>,
    /// The points per bin being refined (features from `reversed` on
    /// came out reversed), one Newton step per `step`.
    refinement: Option<refine::Refinement>,
    reversed: usize,
    converged: bool,
    result: Option<Result<Suggestion, Error>>,
}

impl Suggester {
    /// Checks the options and the table, and splits it.
    pub fn new(table: Table, opts: SuggestOptions) -> Result<Suggester, Errors> {
        Ok(Suggester::new_inner(table, opts)?)
    }

    pub(crate) fn new_inner(table: Table, opts: SuggestOptions) -> Result<Suggester, Error> {
        opts.check()?;
        if table.len() < MIN_ROWS {
            return Err(Error::new(
                "too_few_rows",
                "",
                format!("{} usable rows: too few to learn from", table.len()),
                format!(
                    "suggest needs at least {MIN_ROWS} rows with an outcome, churned and retained"
                ),
            ));
        }
        for (path, names) in [
            ("keep", &opts.keep),
            ("notActionable", &opts.not_actionable),
        ] {
            if let Some((i, name)) = names
                .iter()
                .enumerate()
                .find(|(_, n)| !table.columns.iter().any(|c| &c.name == *n))
            {
                return Err(Error::new(
                    "unknown_column",
                    format!("{path}[{i}]"),
                    format!("`{name}` is not a column of the table"),
                    "name a column of the table (as in its header), or leave it out",
                ));
            }
        }
        let (train, test) = table.split(opts.test_share, opts.seed);
        let (train, test) = (table.subset(&train), table.subset(&test));
        for (part, t) in [("training", &train), ("held-out", &test)] {
            let churned = t.churned.iter().filter(|c| **c).count();
            if churned < 5 || t.len() - churned < 5 {
                return Err(Error::new(
                    "too_few_rows",
                    "",
                    format!("the {part} rows hold {churned} churned and {} retained accounts", t.len() - churned),
                    "suggest needs at least 5 of each in the training and the held-out rows: give more rows",
                ));
            }
        }
        Ok(Suggester {
            opts,
            table,
            train,
            test,
            uses: Vec::new(),
            warnings: Vec::new(),
            features: Vec::new(),
            next: 0,
            stage: Stage::Binning,
            theta: Vec::new(),
            woe_fit: None,
            refinement: None,
            reversed: 0,
            converged: false,
            result: None,
        })
    }

    /// What the last step did: the columns binned so far (`binning`, up
    /// to all of them), then `fitting`: 0 while the fit on weights of
    /// evidence runs (a Newton step each), 1 once it is done and 1 more
    /// per Newton step of the points per bin, of 1 + the most steps (the
    /// total when they converge sooner), then `bands`: 1 of 2 once the
    /// rows are scored by the draft, 2 of 2 at the end (before any step:
    /// `binning` 0 of all).
    pub fn progress(&self) -> Progress {
        let fitting = 1 + REFINE_ITERATIONS;
        let (phase, done, total) = match self.stage {
            Stage::Fitting if self.woe_fit.is_some() => ("fitting", 0, fitting),
            Stage::Binning | Stage::Fitting => ("binning", self.next, self.table.columns.len()),
            Stage::Refining => (
                "fitting",
                1 + self.refinement.as_ref().map_or(0, |r| r.taken),
                fitting,
            ),
            Stage::Scoring => ("fitting", fitting, fitting),
            Stage::Finishing(_) => ("bands", 1, 2),
            Stage::Done => ("bands", 2, 2),
        };
        Progress {
            phase: phase.into(),
            done,
            total,
        }
    }

    /// Does the next piece of work (a few columns, a Newton step of the
    /// fit or of the points, the rows scored by the draft, or the bands);
    /// false when everything is done.
    pub fn step(&mut self) -> bool {
        match self.stage {
            Stage::Binning => {
                // About 250,000 cells per step (~60–90 ms in Node on 35,000
                // rows: progress at least every 100 ms while binning).
                let per = (250_000 / self.train.len().max(1)).max(1);
                let end = (self.next + per).min(self.table.columns.len());
                for c in self.next..end {
                    self.bin(c);
                }
                self.next = end;
                if end == self.table.columns.len() {
                    self.stage = Stage::Fitting;
                }
            }
            Stage::Fitting => {
                if !self.fit_step() {
                    self.stage = Stage::Refining;
                }
            }
            Stage::Refining => {
                let cols = bins(&self.features, self.reversed);
                let y = &self.train.churned;
                let more = match self.refinement.as_mut() {
                    Some(r) => r.step(&cols, y),
                    None => false,
                };
                if !more {
                    if let Some(r) = self.refinement.take() {
                        self.converged &= r.finish(&cols, &mut self.theta);
                    }
                    self.stage = Stage::Scoring;
                }
            }
            Stage::Scoring => match self.draft_model() {
                Ok(draft) => self.stage = Stage::Finishing(Box::new(draft)),
                Err(e) => {
                    self.result = Some(Err(e));
                    self.stage = Stage::Done;
                }
            },
            Stage::Finishing(_) => {
                let Stage::Finishing(draft) = std::mem::replace(&mut self.stage, Stage::Done)
                else {
                    unreachable!("the stage was just matched")
                };
                self.result = Some(self.finish_model(*draft));
            }
            Stage::Done => return false,
        }
        !matches!(self.stage, Stage::Done)
    }

    /// The result (every remaining step is run first).
    pub fn finish(self) -> Result<Suggestion, Errors> {
        Ok(self.finish_inner()?)
    }

    pub(crate) fn finish_inner(mut self) -> Result<Suggestion, Error> {
        while self.step() {}
        self.result.unwrap_or_else(|| {
            Err(Error::new(
                "internal_error",
                "",
                "suggest did not finish",
                "report this as a bug",
            ))
        })
    }

    fn bin(&mut self, c: usize) {
        let col = &self.train.columns[c];
        let name = col.name.clone();
        let skip = |note: String| ColumnUse {
            column: name.clone(),
            kind: "skipped".into(),
            note,
            information_value: None,
            used: false,
        };
        if self.opts.skip.contains(&name) {
            self.uses.push(skip("left out by the options".into()));
            return;
        }
        if crate::read::id(
            &serde_json::Value::String(name.clone()),
            "",
            &mut Default::default(),
        )
        .is_none()
        {
            self.uses.push(skip(
                "its name is not a usable measure id (blank, too long or with control characters)"
                    .into(),
            ));
            return;
        }
        let keep = self.opts.keep.contains(&name);
        let id = checks::near_unique(col);
        if let Some((distinct, present)) = id.filter(|_| !keep) {
            if checks::looks_like_id(&name) || checks::id_text(col) {
                self.uses.push(skip(format!(
                    "an identifier: {distinct} different values in {present} rows"
                )));
                self.warnings
                    .push(checks::id_left_out(&name, distinct, present));
                return;
            }
        }
        let min_rows = (self.opts.min_bin_share * self.train.len() as f64).max(1.0);
        match profile::profile(
            c,
            &self.table.columns[c],
            col,
            &self.train.churned,
            self.opts.max_bins,
            min_rows,
        ) {
            Profile::Skipped(note) => self.uses.push(skip(note)),
            Profile::Used(f, kind, note) => {
                if f.iv < MIN_INFORMATION_VALUE && !keep {
                    let mut u = skip(format!(
                        "information value {:.3}: it barely separates churned from retained accounts",
                        f.iv
                    ));
                    u.information_value = Some(f.iv);
                    self.uses.push(u);
                    return;
                }
                let woe: Vec<f64> = (0..self.train.len()).map(|r| f.row_woe(r)).collect();
                let auc = super::metrics::auc(&woe, &self.train.churned);
                self.warnings.extend(checks::leak(&name, auc, f.iv));
                // (a measure of whole numbers that are nearly all
                // different, e.g. charges in whole dollars, is common: it is
                // named only when `keep` overrode the id check)
                if let Some(seen) = id.filter(|_| keep) {
                    self.warnings.push(checks::id_kept(&name, seen, auc, f.iv));
                }
                self.uses.push(ColumnUse {
                    column: name,
                    kind: kind.into(),
                    note,
                    information_value: Some(f.iv),
                    used: true,
                });
                self.features.push(*f);
            }
        }
    }
}

/// The kept features' bins for the refinement (those from `reversed` on
/// came out reversed).
fn bins(features: &[Feature], reversed: usize) -> Vec<refine::Bins<'_>> {
    features
        .iter()
        .enumerate()
        .map(|(j, f)| refine::Bins::of(f, j >= reversed))
        .collect()
}

impl Model {
    /// Builds a model from a labelled table (see the module documentation):
    /// rules from the training rows only, judged on the held-out rows.
    pub fn suggest(table: &Table, opts: &SuggestOptions) -> Result<Suggestion, Errors> {
        Suggester::new(table.clone(), opts.clone())?.finish()
    }
}
