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

use super::{Alert, Changes, Explanation, Snapshot, Update};
use crate::error::{Error, Errors};
use crate::model::Model;
use crate::score::{Scorecard, Trend};
use crate::ModelSet;
use serde_json::Value;
use std::collections::HashMap;

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
    fn model_of_history(&self, items: &[Value]) -> &Model {
        let mut best: Option<(Option<&str>, usize, &Model)> = None;
        for (i, item) in items.iter().enumerate() {
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

    /// The trend at the end of a history (JSON text: scorecards or points),
    /// by the model of its latest entry.
    pub fn trend_json(&self, history: &str) -> Result<Option<Trend>, Errors> {
        let doc = crate::error::parse_json(history, "the history")?;
        let items = doc.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let m = self.model_of_history(items);
        Ok(m.trend(&m.history_of(&doc)?))
    }

    /// Every alert over a history (JSON text: scorecards or points): each
    /// alert from the model that made the snapshot it fired at (so an
    /// earlier model's band changes keep their own bands), points and other
    /// models' snapshots by the model of the latest entry. The history is
    /// read once per model of the set it names (a point's band depends on
    /// the model's bands), and each snapshot's maker is looked up once.
    pub fn alerts_json(&self, history: &str) -> Result<Vec<Alert>, Errors> {
        let doc = crate::error::parse_json(history, "the history")?;
        let items = doc.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let latest = self.model_of_history(items);
        // Which of the set's models made the snapshot at each date (the
        // first entry at a date, as before).
        let mut maker: HashMap<&str, &Model> = HashMap::with_capacity(items.len());
        let mut models: Vec<&Model> = vec![latest];
        for item in items {
            let m = item["modelId"].as_str().and_then(|id| self.model(id));
            if let Some(at) = item["at"].as_str() {
                maker.entry(at).or_insert(m.unwrap_or(latest));
            }
            if let Some(m) = m {
                if !models.iter().any(|x| std::ptr::eq(*x, m)) {
                    models.push(m);
                }
            }
        }
        let made_by = |at: Option<&str>| at.and_then(|a| maker.get(a).copied()).unwrap_or(latest);
        let mut out: Vec<Alert> = Vec::new();
        for m in models {
            let snaps = m.history_of(&doc)?;
            out.extend(
                m.alerts(&snaps)
                    .into_iter()
                    .filter(|a| std::ptr::eq(made_by(a.at.as_deref()), m)),
            );
        }
        // In time order (dates compare as ISO text of one form per history).
        out.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(out)
    }

    /// [`Model::update`] with the model that made `previous` (`history`
    /// read by that model).
    pub fn update(
        &self,
        previous: &Scorecard,
        changed: &Changes,
        at: Option<&str>,
        history: &[Snapshot],
    ) -> Result<Update, Errors> {
        let model = self.model_named(&previous.model_id, "modelId")?;
        model.update(previous, changed, at, history)
    }

    /// [`ModelSet::update`] with the changed values and the history as JSON text.
    pub fn update_json(
        &self,
        previous: &Scorecard,
        changed: &str,
        at: Option<&str>,
        history: Option<&str>,
    ) -> Result<Update, Errors> {
        let model = self.model_named(&previous.model_id, "modelId")?;
        model.update_json(previous, changed, at, history)
    }

    /// [`Model::explain_change`] with the model that made `after`.
    pub fn explain_change(
        &self,
        before: &Scorecard,
        after: &Scorecard,
    ) -> Result<Explanation, Errors> {
        self.model_named(&after.model_id, "after.modelId")?
            .explain_change(before, after)
    }
}
