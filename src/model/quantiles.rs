//! The reference quantiles a `percentile` rule stores, from a portfolio's
//! values: computed here, in the core, so that every runtime derives the same
//! rule from the same data.

use crate::error::{Error, Errors};

/// The most quantiles a percentile rule is given from this helper.
pub const MAX_QUANTILES: usize = 1001;

/// `count` quantiles of `values` at evenly spaced ranks, 0th to 100th (NaN
/// values are left out), by linear interpolation between order statistics:
/// at rank `p`, `h = (n − 1) p`, `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`
/// (the usual default, "type 7").
pub fn quantiles(values: &[f64], count: usize) -> Result<Vec<f64>, Errors> {
    Ok(quantiles_inner(values, count)?)
}

fn quantiles_inner(values: &[f64], count: usize) -> Result<Vec<f64>, Error> {
    if !(2..=MAX_QUANTILES).contains(&count) {
        return Err(Error::new(
            "invalid_value",
            "count",
            format!("{count} quantiles is not from 2 to {MAX_QUANTILES}"),
            "ask for e.g. 11 (every 10th percentile) or 101 (every percentile)",
        ));
    }
    if let Some(i) = values.iter().position(|x| x.is_infinite()) {
        return Err(Error::new(
            "not_finite",
            format!("values[{i}]"),
            format!("{} is not a finite number", values[i]),
            "leave unknown values out (or NaN / null)",
        ));
    }
    let mut xs: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if xs.len() < 2 {
        return Err(Error::new(
            "invalid_value",
            "values",
            format!("{} known values are too few for a distribution", xs.len()),
            "give the measure's values across a portfolio (at least two)",
        ));
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    // A constant column has no distribution: its quantiles would be a
    // reference the percentile rule itself refuses (issue 27).
    if xs[0] == xs[n - 1] {
        return Err(Error::new(
            "too_few_points",
            "values",
            format!("all {n} known values are {}: there is no distribution to rank against", xs[0] + 0.0),
            "a percentile rule needs values that differ; score a measure that is the same everywhere with another rule, or leave it out",
        ));
    }
    Ok((0..count)
        .map(|k| {
            let h = (n - 1) as f64 * k as f64 / (count - 1) as f64;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let f = h - lo as f64;
            let gap = xs[hi] - xs[lo];
            if gap.is_finite() {
                xs[lo] + f * gap
            } else {
                // (values near ±1e308: the gap overflows, a weighted sum does not)
                xs[lo] * (1.0 - f) + xs[hi] * f
            }
        })
        .collect())
}
