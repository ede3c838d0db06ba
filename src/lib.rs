//! # customer-health
//!
//! An open, explainable Customer Health Score engine. A [`Model`] (a JSON
//! document: categories, measures, rules, bands, caps) turns an [`Account`]
//! into a [`Scorecard`]: a 0..100 score, its band, and per category and
//! measure the raw value, partial and normalised score, effective weight,
//! contribution and points missed, plus [`Lever`]s that say what would raise
//! the score and what value would reach the next band.
//!
//! ```
//! use customer_health::{Model, Account, Input};
//!
//! let model = Model::from_json(customer_health::presets::preset_json("composite-kpi").unwrap()).unwrap();
//! let account = Account::new("acme")
//!     .with("operations", Input::Number(4.0))
//!     .with("commercial", Input::Number(3.0))
//!     .with("engagement", Input::Number(5.0));
//! let card = model.score(&account).unwrap();
//! // 100 × (0.40·0.75 + 0.35·0.5 + 0.25·1.0) = 72.5
//! assert!((card.score.unwrap() - 72.5).abs() < 1e-9);
//! assert_eq!(card.band.id, "watch");
//! ```
//!
//! Errors are data ([`Error`]: `code`, `path`, `message`, `help`); nothing a
//! caller sends makes the library panic. The semantics are in DESIGN.md and
//! DESIGN-NOTES.md; every error code is listed in [`error::codes::ALL`].
//!
//! The core is plain Rust: it knows nothing of JavaScript. The WebAssembly
//! binding is its own crate (`crates/wasm`), over this typed API: no JSON
//! value type in a public signature; JSON text is read where paths into the
//! caller's document matter (`Model::from_json`, `Account::from_json`, …).

#![warn(missing_docs)]

#[cfg(feature = "calibrate")]
pub mod calibrate;
pub mod csv;
pub mod date;
pub mod error;
pub mod history;
pub mod limits;
pub mod model;
mod names;
pub mod options;
pub mod portfolio;
mod read;
pub mod score;

pub use error::{Error, Errors};
pub use model::presets;
pub use model::{Band, Model, ModelSpec};
pub use score::ModelSet;
pub use score::{
    Account, AccountDoc, BandSummary, Batch, BatchError, CategoryResult, ColumnOptions,
    ColumnScores, Input, Lever, MeasureResult, Plan, PlanChange, RawValue, RowAccount, RowOptions,
    ScoreOptions, Scorecard, Status, Summary, ToNextBand, BAND_INSUFFICIENT, BAND_OTHER,
    BAND_REFUSED, INSUFFICIENT_DATA,
};

/// The README's Rust example compiles (`cargo test --doc` builds it).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
