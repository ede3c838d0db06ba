//! `rollup` over columns: what rollup reads of each child comes as typed
//! arrays and one JSON array of ids (UTF-8 bytes), and the links of
//! `parents` as the children's ids (a JSON array, or none: the scorecards'
//! ids) and each one's parent as an index into a JSON array of distinct
//! parents, read as borrowed text, so a million children cross without a
//! JSON value, a map or a string copy per child.

use super::boundary::Text;
use super::model::{internal, options_of, WasmModel};
use super::{thrown, to_json};
use customer_health::error::Error;
use customer_health::portfolio::{RollupOptions, RollupRow};
use wasm_bindgen::prelude::*;

/// "No lever" in the lever column.
const NONE: u32 = u32::MAX;

#[wasm_bindgen]
impl WasmModel {
    /// Parents' health from what rollup reads of each child, as columns
    /// (js/portfolio.mjs writes them): `ids` a JSON array of account ids
    /// (UTF-8); `names` `[models, bands, measures]`, the texts the index
    /// columns `model`, `band` and `lever` point into (`lever` 2³²−1: none);
    /// `scores`, `values` and `points` numbers (NaN: none). The links, when
    /// the package could write them so (text only, no lone surrogate):
    /// `children` a JSON array of ids (UTF-8; absent: the children are
    /// `ids`, in order), `parents` each child's parent as an index into
    /// `parent_names` (a JSON array of ids, UTF-8). No links: `options`
    /// holds `parents`. `options` is `{ parents, method }` (JSON text).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = rollupColumns)]
    pub fn rollup_columns(
        &self,
        ids: &[u8],
        names: &str,
        model: &[u32],
        scores: &[f64],
        band: &[u32],
        values: &[f64],
        lever: &[u32],
        points: &[f64],
        children: Option<Vec<u8>>,
        parents: Option<Vec<u32>>,
        parent_names: Option<Vec<u8>>,
        options: &str,
    ) -> Result<String, String> {
        let ids = texts(ids, "the ids")?;
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
        let result = match (children.as_deref(), parents.as_deref(), parent_names) {
            (kids, Some(ups), Some(up_names)) => {
                // (no children: they are the scorecards' ids, in order)
                let kids: Vec<Text> = match kids {
                    Some(text) => texts(text, "the links")?,
                    None => Vec::new(),
                };
                let kids: &[Text] = if children.is_some() { &kids } else { &ids };
                let up_names = texts(&up_names, "the parents")?;
                if kids.len() != ups.len() {
                    return Err(bad("the links differ in length"));
                }
                let links = kids
                    .iter()
                    .zip(ups)
                    .map(|(c, &p)| {
                        let p = up_names
                            .get(p as usize)
                            .ok_or_else(|| bad("a parent index is out of range"))?;
                        Ok((&*c.0, &*p.0))
                    })
                    .collect::<Result<Vec<(&str, &str)>, String>>()?;
                self.model.rollup_rows(&rows, &links, opts.method)
            }
            _ => {
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

/// A JSON array of texts, as UTF-8 bytes.
fn texts<'a>(bytes: &'a [u8], what: &str) -> Result<Vec<Text<'a>>, String> {
    super::boundary::texts(bytes).map_err(|e| bad(&format!("{what}: {e}")))
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
