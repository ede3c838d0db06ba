//! A calibration call as a job: rows added in chunks, then the work done in
//! steps, so that a caller can report progress between them and stop.
//! `backtest`, `fit` and `suggestBands` are one step once the rows are in;
//! `suggest` is a few columns per step.

use super::bands::BandEdges;
use super::options::{self, BandOptions, FitOptions, SuggestOptions, TableOptions};
use super::reader::TableReader;
use super::suggest::{Progress, Suggester, Suggestion};
use super::table::Table;
use super::{Backtest, FitResult};
use crate::error::{Error, Errors};
use crate::Model;
use serde::Serialize;
use serde_json::Value;

/// Which calibration call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// `Model::backtest`.
    Backtest,
    /// `Model::fit`.
    Fit,
    /// `Model::suggest_bands`.
    SuggestBands,
    /// `Model::suggest`.
    Suggest,
}

impl JobKind {
    /// From its name in the JS API.
    pub fn parse(name: &str) -> Option<JobKind> {
        Some(match name {
            "backtest" => JobKind::Backtest,
            "fit" => JobKind::Fit,
            "suggestBands" => JobKind::SuggestBands,
            "suggest" => JobKind::Suggest,
            _ => return None,
        })
    }
}

/// The result of a job.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum JobResult {
    /// Of `backtest`.
    Backtest(Box<Backtest>),
    /// Of `fit`.
    Fit(Box<FitResult>),
    /// Of `suggestBands`.
    Bands(Box<BandEdges>),
    /// Of `suggest`.
    Suggest(Box<Suggestion>),
}

enum Call {
    Backtest,
    Fit(FitOptions),
    Bands(BandOptions),
    Suggest(SuggestOptions),
}

/// A calibration call in progress.
pub struct Job {
    model: Option<Model>,
    call: Call,
    reader: Option<TableReader>,
    suggester: Option<Suggester>,
    result: Option<Result<JobResult, Error>>,
}

impl Job {
    /// A job for `kind` (`model` is needed by every call but `suggest`),
    /// with its options (JSON; unknown options are errors).
    pub fn new(kind: JobKind, model: Option<Model>, opts: Option<&str>) -> Result<Job, Errors> {
        let doc = match opts {
            Some(t) => Some(crate::error::parse_json(t, "the options")?),
            None => None,
        };
        Ok(Job::with_options(kind, model, doc.as_ref())?)
    }

    fn with_options(
        kind: JobKind,
        model: Option<Model>,
        opts: Option<&Value>,
    ) -> Result<Job, Error> {
        options::check_outcome_shape(opts)?;
        let (call, table): (Call, TableOptions) = match kind {
            JobKind::Backtest => (Call::Backtest, options::read(opts)?),
            JobKind::Fit => {
                let o: FitOptions = options::read(opts)?;
                o.check()?;
                let t = o.table();
                (Call::Fit(o), t)
            }
            JobKind::SuggestBands => {
                let o: BandOptions = options::read(opts)?;
                let t = o.table();
                (Call::Bands(o), t)
            }
            JobKind::Suggest => {
                let o: SuggestOptions = options::read(opts)?;
                o.check()?;
                let t = o.table();
                (Call::Suggest(o), t)
            }
        };
        if model.is_none() && kind != JobKind::Suggest {
            return Err(Error::new(
                "internal_error",
                "",
                "this call needs a model",
                "report this as a bug",
            ));
        }
        Ok(Job {
            model,
            call,
            reader: Some(TableReader::new(&table)?),
            suggester: None,
            result: None,
        })
    }

    /// Adds rows (`[{ column: value }]`) or columns (`{ column: [values] }`).
    /// (JSON text; a null row is left out, as refused by the caller.)
    pub fn add_json(&mut self, rows: &str) -> Result<(), Errors> {
        let doc = crate::error::parse_json(rows, "the rows")?;
        Ok(self.reader_mut()?.add_json(&doc)?)
    }

    /// Adds columns in the caller's order.
    pub fn add_columns(
        &mut self,
        names: &[String],
        cells: &[super::table::ColumnData],
    ) -> Result<(), Errors> {
        Ok(self.reader_mut()?.add_columns(names, cells)?)
    }

    /// Leaves out row `row` (counted from the first row added), reporting
    /// `error` (its path within the row).
    pub fn refuse_row(&mut self, row: usize, error: Error) {
        if let Some(r) = self.reader.as_mut() {
            r.refuse(row, error);
        }
    }

    /// Adds CSV text (with its header row).
    pub fn add_csv(&mut self, text: &str) -> Result<(), Errors> {
        Ok(self.reader_mut()?.add_csv(text)?)
    }

    fn reader_mut(&mut self) -> Result<&mut TableReader, Error> {
        self.reader.as_mut().ok_or_else(|| {
            Error::new(
                "internal_error",
                "",
                "rows added after the job started",
                "add every row before the first step",
            )
        })
    }

    /// Rows read so far.
    pub fn rows(&self) -> usize {
        self.reader.as_ref().map_or(0, TableReader::rows)
    }

    /// Does the next piece of work; returns the progress, or `None` when the
    /// result is ready.
    pub fn step(&mut self) -> Option<Progress> {
        if self.result.is_some() {
            return None;
        }
        if let Some(reader) = self.reader.take() {
            let rows = reader.rows();
            match reader.finish() {
                Err(e) => self.result = Some(Err(e)),
                Ok(table) => self.start(table),
            }
            // (the rows are counted once read: CSV text has no count before)
            return self.result.is_none().then(|| Progress {
                phase: "reading".into(),
                done: rows,
                total: rows,
            });
        }
        if let Some(s) = self.suggester.as_mut() {
            // What this step did, the last step included (`bands` 2 of 2).
            let more = s.step();
            let progress = s.progress();
            if !more {
                let s = self.suggester.take().expect("a suggester");
                self.result = Some(s.finish_inner().map(|x| JobResult::Suggest(Box::new(x))));
            }
            return Some(progress);
        }
        None
    }

    fn start(&mut self, table: Table) {
        let model = self.model.as_ref();
        let done = match (&self.call, model) {
            (Call::Backtest, Some(m)) => Ok(JobResult::Backtest(Box::new(m.backtest(&table)))),
            (Call::Fit(o), Some(m)) => m.fit_inner(&table, o).map(|x| JobResult::Fit(Box::new(x))),
            (Call::Bands(o), Some(m)) => m
                .suggest_bands_inner(&table, o)
                .map(|x| JobResult::Bands(Box::new(x))),
            (Call::Suggest(o), _) => match Suggester::new_inner(table, o.clone()) {
                Ok(s) => {
                    self.suggester = Some(s);
                    return;
                }
                Err(e) => Err(e),
            },
            _ => Err(Error::new(
                "internal_error",
                "",
                "this call needs a model",
                "report this as a bug",
            )),
        };
        self.result = Some(done);
    }

    /// The result: every remaining step is run first.
    pub fn finish(self) -> Result<JobResult, Errors> {
        Ok(self.finish_inner()?)
    }

    fn finish_inner(mut self) -> Result<JobResult, Error> {
        while self.step().is_some() {}
        self.result.unwrap_or_else(|| {
            Err(Error::new(
                "internal_error",
                "",
                "the job did not finish",
                "report this as a bug",
            ))
        })
    }
}
