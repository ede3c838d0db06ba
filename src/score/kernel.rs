//! The columnar kernel for weighted models: the engine's arithmetic, in the
//! same order of operations, one measure column at a time, with no per-row
//! allocation. It gives bit-for-bit the engine's scores (tests compare them);
//! rows with a value the engine would refuse are left to the engine, which
//! reports the error.

use super::account::Input;
use super::engine::compare;
use super::evaluate;
use crate::model::{CapValue, Combine, MissingPolicy, Model, Op, Rule};

/// Per row: the score (NaN when none), the band index, or `None` when the
/// row must go to the engine (a bad value, or a missing value under `error`).
pub(crate) struct Kernel {
    pub scores: Vec<f64>,
    pub bands: Vec<u8>,
    pub refused: Vec<bool>,
}

const PRESENT: u8 = 1;
const FILLED: u8 = 2;

pub(crate) fn weighted(
    model: &Model,
    columns: &[Option<&[f64]>],
    rows: usize,
    insufficient: u8,
) -> Kernel {
    let n = model.measures.len();
    let mut refused = vec![false; rows];
    // Normalised score and state (0 absent, PRESENT, FILLED) per measure and row.
    let mut norm = vec![0.0f64; n * rows];
    let mut state = vec![0u8; n * rows];
    let mut raw = vec![f64::NAN; n * rows];
    for (i, m) in model.measures.iter().enumerate() {
        let base = i * rows;
        for r in 0..rows {
            let x = columns[i].map_or(f64::NAN, |c| c[r]);
            if x.is_nan() {
                match m.missing {
                    MissingPolicy::Skip => {}
                    MissingPolicy::Neutral => {
                        state[base + r] = FILLED;
                        norm[base + r] = 0.5;
                    }
                    MissingPolicy::Worst => {
                        state[base + r] = FILLED;
                        norm[base + r] = 0.0;
                    }
                    MissingPolicy::Error => refused[r] = true,
                }
                continue;
            }
            let out = match output(&m.rule, x) {
                Some(o) => o,
                None => {
                    refused[r] = true;
                    continue;
                }
            };
            state[base + r] = PRESENT;
            raw[base + r] = x;
            norm[base + r] = ((out - m.min) / (m.max - m.min)).clamp(0.0, 1.0);
        }
    }
    let mut num = vec![0.0f64; rows];
    let mut den = vec![0.0f64; rows];
    for cat in &model.categories {
        let members = cat.measures.clone();
        for r in 0..rows {
            let g = match cat.combine {
                Combine::Average => {
                    let mut sw = 0.0;
                    for i in members.clone() {
                        if state[i * rows + r] != 0 {
                            sw += model.measures[i].weight;
                        }
                    }
                    if sw > 0.0 {
                        let mut sum = 0.0;
                        for i in members.clone() {
                            if state[i * rows + r] != 0 {
                                sum += model.measures[i].weight * norm[i * rows + r];
                            }
                        }
                        Some(sum / sw)
                    } else {
                        None
                    }
                }
                Combine::Min | Combine::Max => {
                    let mut best: Option<f64> = None;
                    for i in members.clone() {
                        if state[i * rows + r] != 0 {
                            let v = norm[i * rows + r];
                            let better = match best {
                                None => true,
                                Some(b) if cat.combine == Combine::Min => v < b,
                                Some(b) => v > b,
                            };
                            if better {
                                best = Some(v);
                            }
                        }
                    }
                    best
                }
            };
            if let Some(g) = g {
                num[r] += cat.weight * g;
                den[r] += cat.weight;
            }
        }
    }
    let min_coverage = model.spec().min_coverage;
    let mut scores = vec![f64::NAN; rows];
    let mut bands = vec![insufficient; rows];
    for r in 0..rows {
        if refused[r] {
            continue;
        }
        let mut coverage = -0.0f64;
        let mut any = false;
        for (i, m) in model.measures.iter().enumerate() {
            if state[i * rows + r] == PRESENT {
                coverage += m.share;
                any = true;
            }
        }
        let coverage = coverage.min(1.0) + 0.0;
        if !any || den[r] <= 0.0 {
            continue;
        }
        let score = 100.0 * num[r] / den[r];
        let mut cap = f64::INFINITY;
        for c in &model.caps {
            if state[c.measure * rows + r] != PRESENT {
                continue;
            }
            let x = raw[c.measure * rows + r];
            let holds = match (&model.measures[c.measure].rule, &c.value) {
                (Rule::Flag { .. }, CapValue::Bool(v)) => ((x == 1.0) == *v) == (c.op == Op::Eq),
                (_, CapValue::Number(v)) => compare(x, c.op, *v),
                _ => false,
            };
            if holds {
                cap = cap.min(c.max);
            }
        }
        let capped = score.min(cap);
        scores[r] = capped;
        if coverage + 1e-12 >= min_coverage {
            bands[r] = model.band_index(capped) as u8;
        }
    }
    Kernel {
        scores,
        bands,
        refused,
    }
}

/// The rule's output for a column cell (flags as 1/0), or None where the
/// engine refuses it: the engine's own evaluation, so both always agree.
fn output(rule: &Rule, x: f64) -> Option<f64> {
    let input = match rule {
        Rule::Flag { .. } if x == 1.0 => Input::Bool(true),
        Rule::Flag { .. } if x == 0.0 => Input::Bool(false),
        Rule::Flag { .. } | Rule::Match { .. } => return None,
        _ => Input::Number(x),
    };
    evaluate::output(rule, &input).ok()
}
