//! `rollup` over columns: what rollup reads of each child comes as typed
//! arrays and one JSON array of ids, and the links of `parents` as two JSON
//! arrays (children, their parents) read as borrowed text, so a million children
//! cross without a JSON value, a map or a string copy per child.

use super::model::{internal, options_of, WasmModel};
use super::{thrown, to_json};
use customer_health::error::Error;
use customer_health::portfolio::{RollupOptions, RollupRow};
use serde::Deserialize;
use std::borrow::Cow;
use wasm_bindgen::prelude::*;

/// Text borrowed from the JSON when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

/// "No lever" in the lever column.
const NONE: u32 = u32::MAX;

#[wasm_bindgen]
impl WasmModel {
    /// Parents' health from what rollup reads of each child, as columns
    /// (js/portfolio.mjs writes them): `ids` a JSON array of account ids;
    /// `names` `[models, bands, measures]`, the texts the index columns
    /// `model`, `band` and `lever` point into (`lever` 2³²−1: none);
    /// `scores`, `values` and `points` numbers (NaN: none). `children`
    /// and `parents` are JSON arrays of ids of one length (each child's
    /// parent), when the package could write them so (text only, no lone
    /// surrogate); `children` absent with `parents` given: the children are
    /// `ids`, in order. Both absent: `options` holds `parents`.
    /// `options` is `{ parents, method }` (JSON text).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = rollupColumns)]
    pub fn rollup_columns(
        &self,
        ids: &str,
        names: &str,
        model: &[u32],
        scores: &[f64],
        band: &[u32],
        values: &[f64],
        lever: &[u32],
        points: &[f64],
        children: Option<String>,
        parents: Option<String>,
        options: &str,
    ) -> Result<String, String> {
        let ids: Vec<Text> =
            serde_json::from_str(ids).map_err(|e| bad(&format!("the ids: {e}")))?;
        let (models, bands, measures): (Vec<String>, Vec<String>, Vec<String>) =
            internal(names, "rollup names")?;
        let n = ids.len();
        if [
            model.len(),
            scores.len(),
            band.len(),
            values.len(),
            lever.len(),
            points.len(),
        ]
        .iter()
        .any(|&len| len != n)
        {
            return Err(bad("the columns differ in length"));
        }
        let mut rows = Vec::with_capacity(n);
        for (i, Text(id)) in ids.iter().enumerate() {
            let lever = match lever[i] {
                NONE => None,
                k => Some((
                    pick(&measures, k).ok_or_else(|| bad("a lever index is out of range"))?,
                    points[i],
                )),
            };
            rows.push(RollupRow {
                account_id: id,
                model_id: pick(&models, model[i])
                    .ok_or_else(|| bad("a model index is out of range"))?,
                score: Some(scores[i]).filter(|s| !s.is_nan()),
                band: pick(&bands, band[i]).ok_or_else(|| bad("a band index is out of range"))?,
                value: Some(values[i]).filter(|v| !v.is_nan()),
                lever,
            });
        }
        let opts: RollupOptions = options_of(Some(options.into()))?;
        let result = match (children.as_deref(), parents.as_deref()) {
            (kids, Some(ups)) => {
                // (no children: they are the scorecards' ids, in order)
                let kids: Vec<Text> = match kids {
                    Some(text) => {
                        serde_json::from_str(text).map_err(|e| bad(&format!("the links: {e}")))?
                    }
                    None => Vec::new(),
                };
                let kids: &[Text] = if children.is_some() { &kids } else { &ids };
                let ups: Vec<Text> =
                    serde_json::from_str(ups).map_err(|e| bad(&format!("the links: {e}")))?;
                if kids.len() != ups.len() {
                    return Err(bad("the links differ in length"));
                }
                let links: Vec<(&str, &str)> =
                    kids.iter().zip(&ups).map(|(c, p)| (&*c.0, &*p.0)).collect();
                self.model.rollup_rows(&rows, &links, opts.method)
            }
            (_, None) => {
                let links: Vec<(&str, &str)> = opts
                    .parents
                    .iter()
                    .map(|(c, p)| (c.as_str(), p.as_str()))
                    .collect();
                self.model.rollup_rows(&rows, &links, opts.method)
            }
        };
        Ok(to_json(&result.map_err(thrown)?))
    }
}

/// The text at index `k` of a list of names.
fn pick(list: &[String], k: u32) -> Option<&str> {
    list.get(k as usize).map(String::as_str)
}

/// A column the package wrote wrongly (a bug, not the user's input).
fn bad(what: &str) -> String {
    thrown(Error::new(
        "internal_error",
        "",
        format!("rollup columns: {what}"),
        "report this as a bug",
    ))
}
