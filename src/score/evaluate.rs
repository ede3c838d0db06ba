//! One rule applied to one raw value: the partial score, or why the value
//! cannot be scored.

use super::account::Input;
use crate::model::Rule;

/// Why a value cannot be scored: a code, a message and help.
pub(crate) struct Refusal {
    pub code: &'static str,
    pub message: String,
    pub help: String,
}

fn refuse(code: &'static str, message: String, help: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message,
        help: help.into(),
    }
}

/// The rule's output for a present value (`Input::Missing` is handled by
/// the caller's missing policy).
pub(crate) fn output(rule: &Rule, input: &Input) -> Result<f64, Refusal> {
    match rule {
        Rule::Flag { if_true, if_false } => match input {
            Input::Bool(true) => Ok(*if_true),
            Input::Bool(false) => Ok(*if_false),
            other => Err(refuse(
                "not_a_boolean",
                format!("a flag takes true or false, not {}", other.describe()),
                "send true or false (not 1/0 or \"yes\"), or null when unknown",
            )),
        },
        Rule::Match { scores, otherwise } => match input {
            Input::Text(s) => scores.get(s).copied().or(*otherwise).ok_or_else(|| {
                let known: Vec<&str> = scores.keys().map(String::as_str).take(10).collect();
                refuse(
                    "unknown_value",
                    format!("{} is not one of the rule's values", input.describe()),
                    format!(
                        "use one of: {}; or give the rule an `otherwise` score",
                        known.join(", ")
                    ),
                )
            }),
            other => Err(refuse(
                "not_a_string",
                format!("a match rule takes a text value, not {}", other.describe()),
                "send the value as a string, or null when unknown",
            )),
        },
        _ => {
            let x = number(input)?;
            numeric(rule, x)
        }
    }
}

fn number(input: &Input) -> Result<f64, Refusal> {
    match input {
        Input::Number(x) if x.is_finite() => Ok(*x),
        Input::Number(x) => Err(refuse(
            "not_finite",
            format!("{x} is not a finite number"),
            "send a finite number, or null when the value is unknown",
        )),
        other => Err(refuse(
            "not_a_number",
            format!("expected a number, found {}", other.describe()),
            "send a JSON number (not a string), or null when the value is unknown",
        )),
    }
}

fn numeric(rule: &Rule, x: f64) -> Result<f64, Refusal> {
    Ok(match rule {
        Rule::Steps { thresholds, scores } => scores[steps_index(thresholds, x)],
        Rule::Linear { points } => linear(points, x),
        Rule::Scale { min, max } => {
            if x < *min || x > *max {
                return Err(refuse(
                    "out_of_range",
                    format!("{x} is outside the scale {min}..{max}"),
                    format!("send a value from {min} to {max}"),
                ));
            }
            x
        }
        Rule::PerEvent { points, max_events } => {
            if x < 0.0 {
                return Err(refuse(
                    "negative_count",
                    format!("an event count of {x} is negative"),
                    "send how many events happened: 0 or more",
                ));
            }
            if x > MAX_COUNT {
                return Err(refuse(
                    "out_of_range",
                    format!("an event count of {x} is too large to count exactly"),
                    "send at most 2^53 events",
                ));
            }
            if x.fract() != 0.0 {
                return Err(refuse(
                    "fractional_count",
                    format!("an event count of {x} is not a whole number"),
                    "send a whole number of events",
                ));
            }
            let n = match max_events {
                Some(m) => x.min(*m as f64),
                None => x,
            };
            points * n
        }
        Rule::Flag { .. } | Rule::Match { .. } => unreachable!("handled by output()"),
    })
}

/// The largest event count that is counted exactly (2^53).
pub(crate) const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// Which step a value falls in: the number of thresholds at or below it.
pub(crate) fn steps_index(thresholds: &[f64], x: f64) -> usize {
    thresholds.iter().take_while(|t| **t <= x).count()
}

/// Piecewise-linear interpolation through `points`, clamped at the ends.
pub(crate) fn linear(points: &[[f64; 2]], x: f64) -> f64 {
    let first = points[0];
    let last = points[points.len() - 1];
    if x <= first[0] {
        return first[1];
    }
    if x >= last[0] {
        return last[1];
    }
    let i = points
        .iter()
        .position(|p| p[0] > x)
        .unwrap_or(points.len() - 1);
    let [x0, y0] = points[i - 1];
    let [x1, y1] = points[i];
    y0 + (x - x0) * (y1 - y0) / (x1 - x0)
}
