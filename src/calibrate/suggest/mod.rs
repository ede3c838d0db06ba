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

mod points;

use super::backtest::{Backtest, BandOutcome};
use super::bands::{edges_by_shares, falling, outcomes, set_edges};
use super::logistic;
use super::options::SuggestOptions;
use super::profile::{self, Bins, Feature, Profile};
use super::refine;
use super::table::{OutcomeReading, Table};
use crate::error::{Error, Errors};
use crate::model::{
    Aggregation, BandSpec, CategorySpec, MeasureSpec, MissingPolicy, Model, ModelSpec, Rule,
};
use crate::score::BatchError;
use serde::{Deserialize, Serialize};
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

/// What Suggest did with each column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ColumnUse {
    /// The column.
    pub column: String,
    /// `numeric`, `boolean`, `categorical` or `skipped`.
    pub kind: String,
    /// How it is scored, or why it was left out.
    pub note: String,
    /// Its information value on the training rows (a column's power to
    /// separate churned from retained: below 0.02 useless, above 0.3 strong).
    pub information_value: Option<f64>,
    /// Whether it is a measure of the suggested model.
    pub used: bool,
}

/// The suggested bands on the held-out rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BandCheck {
    /// Whether churn falls from each band to the next on the held-out rows.
    pub falling: bool,
    /// Count, churned and churn rate per band on the held-out rows.
    pub outcomes: Vec<BandOutcome>,
    /// Why there are fewer bands than asked for, when there are.
    pub note: Option<String>,
}

/// Something about the table a person should know before adopting the
/// suggested model (a code to act on, the column, and the figures).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuggestWarning {
    /// `leak`: the column alone separates churned from retained almost
    /// perfectly (AUC above [`LEAK_AUC`] or information value above
    /// [`LEAK_INFORMATION_VALUE`]), as a column recorded after the outcome
    /// does; `id_like`: a different value in almost every row (left out
    /// unless in `keep`, when its name or its text says id); `reversed`:
    /// with the other columns in the model its own effect reverses.
    pub code: String,
    /// The column.
    pub column: String,
    /// What was seen.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// The column's AUC alone on the training rows (for `leak`).
    pub auc: Option<f64>,
    /// Its information value on the training rows.
    pub information_value: Option<f64>,
}

/// A column whose AUC alone is above this is a likely leak.
pub const LEAK_AUC: f64 = 0.95;

/// A column whose information value is above this is a likely leak. (The
/// scorecard literature's "suspicious" is 0.5, but real predictors pass it:
/// the Telco table's contract type holds about 1.2 and tenure 0.8; a
/// column that separates the outcomes almost perfectly holds 3 and more.)
pub const LEAK_INFORMATION_VALUE: f64 = 2.0;

/// A column with a different value in at least this share of its rows
/// looks like an id.
pub const ID_SHARE: f64 = 0.95;

/// The result of [`Model::suggest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The suggested model: an ordinary model document.
    pub model: ModelSpec,
    /// What was done with each column.
    pub columns: Vec<ColumnUse>,
    /// The suggested model on the held-out rows.
    pub backtest: Backtest,
    /// Its bands on the held-out rows.
    pub bands: BandCheck,
    /// How the outcome column was read.
    pub outcome: OutcomeReading,
    /// Rows the model was built from.
    pub train_rows: usize,
    /// Rows held out to judge it.
    pub test_rows: usize,
    /// Whether the regression converged.
    pub converged: bool,
    /// Rows left out, with reasons.
    pub errors: Vec<BatchError>,
    /// What to know before adopting it: likely leaks, id-like columns,
    /// reversed effects ([`SuggestWarning`]).
    #[serde(default)]
    pub warnings: Vec<SuggestWarning>,
}

/// How far a long calibration call has got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// `reading`, `binning`, `fitting` or `bands`.
    pub phase: String,
    /// Units of the phase done…
    pub done: usize,
    /// …of this many.
    pub total: usize,
}

enum Stage {
    Binning,
    Fitting,
    Finishing,
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
            converged: false,
            result: None,
        })
    }

    /// What the last step did: the columns binned so far (`binning`, up
    /// to all of them), then `fitting` 1 of 1 and `bands` 1 of 1 as each
    /// finishes (before any step: `binning` 0 of all).
    pub fn progress(&self) -> Progress {
        let (phase, done, total) = match self.stage {
            Stage::Binning => ("binning", self.next, self.table.columns.len()),
            Stage::Fitting => ("binning", self.next, self.table.columns.len()),
            Stage::Finishing => ("fitting", 1, 1),
            Stage::Done => ("bands", 1, 1),
        };
        Progress {
            phase: phase.into(),
            done,
            total,
        }
    }

    /// Does the next piece of work (a few columns, the fit, or the bands);
    /// false when everything is done.
    pub fn step(&mut self) -> bool {
        match self.stage {
            Stage::Binning => {
                // About a million cells per step.
                let per = (1_000_000 / self.train.len().max(1)).max(1);
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
                self.fit();
                self.stage = Stage::Finishing;
            }
            Stage::Finishing => {
                self.result = Some(self.finish_model());
                self.stage = Stage::Done;
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
        let id = near_unique(col);
        if let Some((distinct, present)) = id.filter(|_| !keep) {
            if looks_like_id(&name) || id_text(col) {
                self.uses.push(skip(format!(
                    "an identifier: {distinct} different values in {present} rows"
                )));
                self.warnings.push(SuggestWarning {
                    code: "id_like".into(),
                    column: name.clone(),
                    message: format!(
                        "`{name}` has a different value in {distinct} of its {present} training rows: an id, left out"
                    ),
                    help: "give it as idColumn; to use it as a measure anyway, list it in keep".into(),
                    auc: None,
                    information_value: None,
                });
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
                if auc.is_some_and(|a| a > LEAK_AUC) || f.iv > LEAK_INFORMATION_VALUE {
                    self.warnings.push(SuggestWarning {
                        code: "leak".into(),
                        column: name.clone(),
                        message: format!(
                            "`{name}` alone separates churned from retained accounts almost perfectly (AUC {}, information value {:.2})",
                            auc.map_or("—".into(), |a| format!("{a:.3}")),
                            f.iv
                        ),
                        help: "a column recorded after the outcome (a cancellation date, a previous model's output, a closing status) makes the model look perfect and fail on new accounts: leave it out with skip unless it is known before churn".into(),
                        auc,
                        information_value: Some(f.iv),
                    });
                }
                // (a measure of whole numbers that are nearly all
                // different, e.g. charges in whole dollars, is common: it is
                // named only when `keep` overrode the id check)
                if let Some((distinct, present)) = id.filter(|_| keep) {
                    self.warnings.push(SuggestWarning {
                        code: "id_like".into(),
                        column: name.clone(),
                        message: format!(
                            "`{name}` has a different value in {distinct} of its {present} training rows; it is used as a measure"
                        ),
                        help: "it is in keep; take it out of keep if it is an id".into(),
                        auc,
                        information_value: Some(f.iv),
                    });
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

    /// Points per bin: a logistic regression on the bins' weights of
    /// evidence gives each column a coefficient (columns whose coefficient
    /// comes out reversed, their signal carried by the others, are set
    /// aside at 0); then the per-bin refinement ([`super::refine`]) lets
    /// every bin, set-aside columns' included, carry what it adds, and puts
    /// numeric bins back in order.
    fn fit(&mut self) {
        if self.features.len() > MAX_MEASURES {
            self.features.sort_by(|a, b| b.iv.total_cmp(&a.iv));
            for f in self.features.drain(MAX_MEASURES..) {
                let name = &self.train.columns[f.column].name;
                if let Some(u) = self.uses.iter_mut().find(|u| &u.column == name) {
                    u.used = false;
                    u.note = format!(
                        "left out: {MAX_MEASURES} columns with a higher information value are used"
                    );
                }
            }
            self.features.sort_by_key(|f| f.column);
        }
        let y = &self.train.churned;
        let mut kept: Vec<Feature> = std::mem::take(&mut self.features);
        let mut aside: Vec<Feature> = Vec::new();
        let mut coef = Vec::new();
        while !kept.is_empty() {
            let p = kept.len();
            let mut x = Vec::with_capacity(y.len() * p);
            for r in 0..y.len() {
                x.extend(kept.iter().map(|f| f.row_woe(r)));
            }
            let lr = logistic::fit(&x, p, y, self.opts.lambda, 100);
            self.converged = lr.converged;
            // A weight of evidence is evidence of staying: its coefficient
            // on churn must be negative.
            let wrong: Vec<usize> = (0..p).filter(|&j| lr.coef[j] >= 0.0).collect();
            if wrong.is_empty() {
                coef = lr.coef;
                break;
            }
            for &j in wrong.iter().rev() {
                aside.push(kept.remove(j));
            }
        }
        let mut theta: Vec<Vec<f64>> = kept
            .iter()
            .zip(&coef)
            .map(|(f, b)| {
                f.woe
                    .iter()
                    .chain([&f.missing_woe])
                    .map(|w| b * w)
                    .collect()
            })
            .collect();
        let reversed = kept.len();
        for f in &aside {
            theta.push(vec![0.0; f.counts.len() + 1]);
            let name = &self.train.columns[f.column].name;
            if let Some(u) = self.uses.iter_mut().find(|u| &u.column == name) {
                u.note.push_str("; with the other columns in the model its own effect reverses, so its points follow what it adds to them, not its own churn rates");
                self.warnings.push(SuggestWarning {
                    code: "reversed".into(),
                    column: name.clone(),
                    message: format!("with the other columns in the model, `{name}`'s own effect reverses: its points follow what it adds to them, not its own churn rates"),
                    help: "it is likely carried by a related column (a total and its parts, two counts of one thing); leave one of them out with skip for points that read as its churn rates".into(),
                    auc: None,
                    information_value: u.information_value,
                });
            }
        }
        kept.append(&mut aside);
        let cols: Vec<refine::Bins> = kept
            .iter()
            .enumerate()
            .map(|(j, f)| refine::Bins::of(f, j >= reversed))
            .collect();
        let refined = refine::refine(&cols, &mut theta, y, REFINE_PENALTY, REFINE_ITERATIONS);
        self.converged &= refined;
        self.features = kept;
        self.theta = theta;
    }
}

/// How many different values a column's training rows hold, and in how
/// many rows, when nearly every row holds its own ([`ID_SHARE`]) and the
/// values are whole numbers or texts (measured quantities with decimals
/// are often all different without being ids).
fn near_unique(col: &super::table::Column) -> Option<(usize, usize)> {
    use super::table::Cell;
    let mut seen = std::collections::HashSet::new();
    let mut present = 0;
    for c in &col.cells {
        let key = match *c {
            Cell::Number(x) if x.fract() == 0.0 => x.to_bits(),
            Cell::Text(k) => {
                let t = &col.texts[k as usize];
                if crate::score::typing::is_missing_text(t) {
                    continue;
                }
                match crate::score::typing::number_of_text(t) {
                    Some(x) if x.fract() == 0.0 => x.to_bits(),
                    Some(_) => return None,
                    // (texts apart from numbers: their index, tagged)
                    None => u64::MAX - u64::from(k),
                }
            }
            Cell::Missing => continue,
            _ => return None,
        };
        present += 1;
        seen.insert(key);
    }
    let distinct = seen.len();
    (present >= 10 && distinct as f64 >= ID_SHARE * present as f64).then_some((distinct, present))
}

/// A name that says id: its last word (words split at spaces, `_`, `-`,
/// `.` and a lower-case letter followed by a capital) is `id`, `num`,
/// `number`, `key` or `code` (`customerID`, `account_id`, `ClientNum`), or
/// a single capitalised word ends in `NUM`, `NUMBER`, `KEY` or `CODE`
/// (`CLIENTNUM`), or the name is `customer`, `account` or `client`.
/// (`AmountPaid` and `PAID` are not ids. ASCII letters only: the
/// Unicode case tables would weigh 3 KB in the module.)
fn looks_like_id(name: &str) -> bool {
    const LAST: [&str; 5] = ["id", "num", "number", "key", "code"];
    let mut words: Vec<String> = vec![String::new()];
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, ' ' | '_' | '-' | '.') {
            words.push(String::new());
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            words.push(String::new());
        }
        prev_lower = c.is_ascii_lowercase();
        if let Some(w) = words.last_mut() {
            w.push(c.to_ascii_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    let Some(last) = words.last() else {
        return false;
    };
    let shouting = name.bytes().any(|b| b.is_ascii_alphabetic())
        && !name.bytes().any(|b| b.is_ascii_lowercase());
    LAST.contains(&last.as_str())
        || (shouting && words.len() == 1 && LAST[1..].iter().any(|e| last.ends_with(e)))
        || (words.len() == 1 && ["customer", "account", "client"].contains(&last.as_str()))
}

/// Most of a near-unique column's present values are texts that are not
/// numbers (`7590-VHVEG`): a key, whatever its name. (Missing texts are
/// not counted: a sparse numeric column with "NA" is no key.)
fn id_text(col: &super::table::Column) -> bool {
    use super::table::Cell;
    let (mut texts, mut present) = (0usize, 0usize);
    for c in &col.cells {
        match c {
            Cell::Missing => {}
            Cell::Text(k) => {
                let t = &col.texts[*k as usize];
                if crate::score::typing::is_missing_text(t) {
                    continue;
                }
                present += 1;
                texts += usize::from(crate::score::typing::number_of_text(t).is_none());
            }
            _ => present += 1,
        }
    }
    texts * 2 > present
}

impl Model {
    /// Builds a model from a labelled table (see the module documentation):
    /// rules from the training rows only, judged on the held-out rows.
    pub fn suggest(table: &Table, opts: &SuggestOptions) -> Result<Suggestion, Errors> {
        Suggester::new(table.clone(), opts.clone())?.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_id;

    #[test]
    fn names_that_say_id_and_names_that_only_end_so() {
        for id in [
            "customerID",
            "account_id",
            "ClientNum",
            "CLIENTNUM",
            "Customer Number",
            "id",
            "client",
            "order-key",
            "ZIP.code",
        ] {
            assert!(looks_like_id(id), "{id}");
        }
        for not in [
            "AmountPaid",
            "PAID",
            "Prepaid",
            "TotalCharges",
            "tenure",
            "Valid",
            "fluid",
            "Unpaid_balance",
            "Numbers",
        ] {
            assert!(!looks_like_id(not), "{not}");
        }
    }
}
