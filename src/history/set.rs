//! History on a model set: each call goes to the set's model that made the
//! scorecards concerned, named by their `modelId`.
//!
//! - `update` continues with the model of the previous scorecard. A
//!   scorecard does not carry the account's `fields`, so a set cannot tell
//!   from it whether another model now applies; when an account's segment,
//!   value or fields change, score it again with `score` (its scorecard
//!   names the new model) and update from that.
//! - `trend` uses the model of the latest history entry that names one of
//!   the set's models (the default model when none does), over that model's
//!   run only. `alerts` gives each alert from the model that made the
//!   snapshot it fired at (its bands, settings and playbooks); a change of
//!   model inside the history is a `modelChanged`, as for one model whose
//!   hash changed.
//! - `explainChange` goes to the model of `after`.

use super::{Alert, Explanation, Update};
use crate::error::Error;
use crate::model::Model;
use crate::score::{Scorecard, Trend};
use crate::ModelSet;
use serde_json::Value;

impl ModelSet {
    /// The set's model named by a scorecard's `modelId` at `path`.
    fn model_named(&self, id: &str, path: &str) -> Result<&Model, Error> {
        self.model(id).ok_or_else(|| {
            let ids: Vec<&str> = self.models().map(Model::id).collect();
            Error::new(
                "unknown_model",
                path,
                format!("model set `{}` has no model `{id}`", self.id()),
                format!(
                    "the set's models are: {}; score the account with this set first",
                    ids.join(", ")
                ),
            )
        })
    }

    /// The model of a history: that of its latest entry (by date, then
    /// position) naming one of the set's models, else the default.
    fn model_of_history(&self, history: &Value) -> &Model {
        let mut best: Option<(Option<&str>, usize, &Model)> = None;
        for (i, item) in history.as_array().into_iter().flatten().enumerate() {
            let Some(m) = item["modelId"].as_str().and_then(|id| self.model(id)) else {
                continue;
            };
            let at = item["at"].as_str();
            if best.is_none_or(|(b, _, _)| at >= b) {
                best = Some((at, i, m));
            }
        }
        best.map_or(self.default_model(), |(_, _, m)| m)
    }

    /// The trend at the end of a history, by the model of its latest entry.
    pub fn trend(&self, history: &Value) -> Result<Option<Trend>, Vec<Error>> {
        self.model_of_history(history).trend(history)
    }

    /// Every alert over a history: each alert from the model that made
    /// the snapshot it fired at (so an earlier model's band changes keep
    /// their own bands), points and other models' snapshots by the model of
    /// the latest entry.
    pub fn alerts(&self, history: &Value) -> Result<Vec<Alert>, Vec<Error>> {
        let latest = self.model_of_history(history);
        let items = history.as_array().map(Vec::as_slice).unwrap_or(&[]);
        // Which of the set's models made the snapshot at each date.
        let maker = |at: Option<&str>| -> &Model {
            items
                .iter()
                .find(|i| i["at"].as_str() == at)
                .and_then(|i| i["modelId"].as_str())
                .and_then(|id| self.model(id))
                .unwrap_or(latest)
        };
        let mut models: Vec<&Model> = vec![latest];
        for item in items {
            if let Some(m) = item["modelId"].as_str().and_then(|id| self.model(id)) {
                if !models.iter().any(|x| std::ptr::eq(*x, m)) {
                    models.push(m);
                }
            }
        }
        let mut out: Vec<Alert> = Vec::new();
        for m in models {
            let mine = m.alerts(history)?;
            out.extend(
                mine.into_iter()
                    .filter(|a| std::ptr::eq(maker(a.at.as_deref()), m)),
            );
        }
        // In time order (dates compare as ISO text of one form per history).
        out.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(out)
    }

    /// [`Model::update`] with the model that made `previous`.
    pub fn update(
        &self,
        previous: &Scorecard,
        changed: &Value,
        at: Option<&str>,
        history: Option<&Value>,
    ) -> Result<Update, Vec<Error>> {
        let model = self
            .model_named(&previous.model_id, "modelId")
            .map_err(|e| vec![e])?;
        model.update(previous, changed, at, history)
    }

    /// [`Model::explain_change`] with the model that made `after`.
    pub fn explain_change(
        &self,
        before: &Scorecard,
        after: &Scorecard,
    ) -> Result<Explanation, Error> {
        self.model_named(&after.model_id, "after.modelId")?
            .explain_change(before, after)
    }
}
