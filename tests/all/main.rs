//! The native integration tests, one test binary (one link instead of one
//! per file): each module holds the tests of one idea.

mod common;

mod accounts;
mod actionable;
mod advance;
mod aggregation;
mod alert_state;
mod batch;
mod calibration;
mod columns;
mod coverage;
mod csm;
mod hardening;
mod history;
mod levers;
mod model_set;
mod models;
mod overrides;
mod percentile;
mod plan;
mod portfolio;
mod properties;
mod rollup;
mod rules;
mod sample;
mod series;
mod suggest;
mod typing;
mod validation;
mod worked_examples;
