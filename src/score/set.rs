//! Model sets (segments): several models with conditions on the account;
//! the first whose condition holds applies, a default last.
//!
//! ```json
//! { "version": 1, "id": "by-segment", "models": [
//!   { "when": { "segments": ["enterprise"], "minValue": 100000 }, "model": { … } },
//!   { "default": true, "model": { … } } ] }
//! ```

use super::set_doc::{FieldCondition, ModelSetDoc, SetEntryDoc, SetWhenDoc};
use super::{Input, Model};
use crate::error::Errors;
use crate::model::{CapValue, Op};
use crate::names::fields;
use crate::read::{self, Obj, Problems};
use crate::score::{Account, Batch, ScoreOptions, Scorecard, Summary};
use serde_json::Value;

/// Conditions of a model set entry; each one given must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetWhen {
    /// The account's segment is one of these.
    pub segments: Option<Vec<String>>,
    /// The account's value is at least this.
    pub min_value: Option<f64>,
    /// The account's value is below this.
    pub max_value: Option<f64>,
    /// Conditions on the account's `fields`, all of which must hold.
    pub fields: Vec<FieldCondition>,
}

impl SetWhen {
    pub(crate) fn holds(&self, account: &Account) -> bool {
        self.holds_on(account.segment.as_deref(), account.value, |name| {
            account
                .fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, x)| x)
        })
    }

    /// Whether the condition holds on a row's segment, value and fields
    /// (`field(name)`: the row's field, None when not given).
    pub(crate) fn holds_on<'a>(
        &self,
        segment: Option<&str>,
        value: Option<f64>,
        field: impl Fn(&str) -> Option<&'a Input>,
    ) -> bool {
        let seg = self
            .segments
            .as_ref()
            .is_none_or(|s| segment.is_some_and(|x| s.iter().any(|y| y == x)));
        let v = value.unwrap_or(0.0);
        seg && self.min_value.is_none_or(|m| v >= m)
            && self.max_value.is_none_or(|m| v < m)
            && self
                .fields
                .iter()
                .all(|c| field(&c.field).is_some_and(|x| field_holds(c, x)))
    }
}

/// Whether `field op value` holds on a field's value: a value of another
/// type than the condition's (or null) does not hold.
fn field_holds(c: &FieldCondition, x: &Input) -> bool {
    match (x, &c.value) {
        (Input::Number(x), CapValue::Number(v)) => c.op.holds(*x, *v),
        (Input::Bool(x), CapValue::Bool(v)) => (x == v) == (c.op == Op::Eq),
        (Input::Text(x), CapValue::Text(v)) => (x == v) == (c.op == Op::Eq),
        _ => false,
    }
}

/// `{ field, op, value }`; `<`, `<=`, `>`, `>=` only with a number.
fn field_condition(v: &Value, path: &str, p: &mut Problems) -> Option<FieldCondition> {
    let o = Obj::new(
        v,
        path,
        "a condition on a field",
        fields::<FieldCondition>(),
        p,
    )?;
    let field = o.req(
        "field",
        "the name of one of the account's fields",
        p,
        read::string,
    );
    let op = o.req("op", "one of < <= > >= == !=", p, |v, path, p| {
        read::choice_as::<Op>(v, path, "invalid_value", p)
    });
    let value = o.req(
        "value",
        "a number, true/false or a string",
        p,
        crate::model::parse_conditions::compared_value,
    );
    let (field, op, value) = (field?, op?, value?);
    let ordered = !matches!(op, Op::Eq | Op::Ne);
    if ordered && !matches!(value, CapValue::Number(_)) {
        p.push(
            "invalid_value",
            &o.path_of("op"),
            "only numbers compare with <, <=, > and >=",
            "compare a boolean or a string with == or !=",
        );
        return None;
    }
    Some(FieldCondition { field, op, value })
}

/// A validated model set.
#[derive(Clone, Debug)]
pub struct ModelSet {
    id: String,
    pub(super) entries: Vec<(Option<SetWhen>, Model)>,
    canonical: String,
    hash: String,
}

impl ModelSet {
    /// Reads and validates a model set from JSON text.
    /// Every mistake is reported, with paths such as
    /// `models[1].model.categories[0].weight`.
    pub fn from_json(text: &str) -> Result<ModelSet, Errors> {
        crate::limits::check_text(
            text,
            "the model set",
            crate::limits::MAX_MODEL_BYTES * crate::limits::MAX_SET_MODELS.min(4),
        )?;
        let doc = crate::error::parse_json(text, "the model set")?;
        ModelSet::from_doc(&doc)
    }

    /// [`ModelSet::from_json`] over a parsed document.
    pub(crate) fn from_doc(doc: &Value) -> Result<ModelSet, Errors> {
        let n = doc["models"].as_array().map_or(0, Vec::len);
        if n > crate::limits::MAX_SET_MODELS {
            return Err(Errors(vec![crate::limits::too_large(
                "models",
                "models",
                n,
                crate::limits::MAX_SET_MODELS,
                "group segments that share a model",
            )]));
        }
        let mut p = Problems::default();
        let Some(o) = Obj::new(doc, "", "a model set", fields::<ModelSetDoc>(), &mut p) else {
            return Err(Errors(p.0));
        };
        let version = o.req("version", "the format version, 1", &mut p, |v, path, p| {
            (v.as_u64() == Some(1)).then_some(()).or_else(|| {
                p.push(
                    "unsupported_version",
                    path,
                    format!("model set version {v} is not supported"),
                    "write \"version\": 1",
                );
                None
            })
        });
        let id = o.req("id", "a stable id for the model set", &mut p, read::id);
        let mut entries = Vec::new();
        let items = o.req(
            "models",
            "the models with their conditions, a default last",
            &mut p,
            read::array,
        );
        let mut default_at: Option<usize> = None;
        for (i, item) in items.into_iter().flatten().enumerate() {
            let path = format!("models[{i}]");
            let Some(e) = Obj::new(
                item,
                &path,
                "a model set entry",
                fields::<SetEntryDoc>(),
                &mut p,
            ) else {
                continue;
            };
            let is_default = matches!(e.get("default"), Some(Value::Bool(true)));
            let when = e.opt("when", &mut p, |v, path, p| {
                let w = Obj::new(v, path, "a model set condition", fields::<SetWhenDoc>(), p)?;
                Some(SetWhen {
                    segments: w.opt("segments", p, |v, path, p| {
                        let items = read::array(v, path, p)?;
                        items
                            .iter()
                            .enumerate()
                            .map(|(j, x)| read::string(x, &format!("{path}[{j}]"), p))
                            .collect()
                    })?,
                    min_value: w.opt("minValue", p, read::number)?,
                    max_value: w.opt("maxValue", p, read::number)?,
                    fields: w
                        .opt("fields", p, |v, path, p| {
                            let items = read::array(v, path, p)?;
                            let conds: Vec<_> = items
                                .iter()
                                .enumerate()
                                .map(|(j, x)| field_condition(x, &format!("{path}[{j}]"), p))
                                .collect();
                            conds.into_iter().collect::<Option<Vec<_>>>()
                        })?
                        .unwrap_or_default(),
                })
            });
            // (a `when` that could not be read was reported where it failed)
            let readable = when.is_some();
            let when = when.flatten();
            if readable && is_default == when.is_some() {
                p.push(
                    "invalid_value",
                    &path,
                    "an entry has either a `when` condition or \"default\": true",
                    "give conditional models a `when`, and the last model \"default\": true",
                );
            }
            if let Some(d) = default_at {
                p.push(
                    "unreachable_model",
                    &path,
                    format!(
                        "this model comes after the default (models[{d}]), so it is never chosen"
                    ),
                    "put the default model last",
                );
            } else if let Some(w) = &when {
                if let Some(j) = entries
                    .iter()
                    .position(|(x, _): &(Option<SetWhen>, Model)| x.as_ref() == Some(w))
                {
                    p.push("unreachable_model", &path, format!("models[{j}] has the same condition and comes first, so this one is never chosen"), "change or remove one of the two conditions");
                }
            }
            if is_default && default_at.is_none() {
                default_at = Some(i);
            }
            let model =
                e.req(
                    "model",
                    "a model document",
                    &mut p,
                    |v, path, p| match Model::from_doc(v) {
                        Ok(m) => Some(m),
                        Err(errs) => {
                            for err in errs.0 {
                                p.0.push(err.prefixed(path));
                            }
                            None
                        }
                    },
                );
            if when.as_ref().is_some_and(|w| *w == SetWhen::default()) {
                p.push(
                    "invalid_value",
                    &format!("{path}.when"),
                    "a `when` without a condition always holds, so the models after it are never chosen",
                    "give it segments, minValue, maxValue or fields; or make it the default",
                );
            }
            if let Some(m) = model {
                if let Some(j) = entries.iter().position(|(_, x)| x.id() == m.id()) {
                    p.push(
                        "duplicate_id",
                        &format!("{path}.model.id"),
                        format!("models[{j}] has the id `{}` too", m.id()),
                        "give each model of a set its own id: scorecards name their model by it",
                    );
                }
                entries.push((if is_default { None } else { when }, m));
            }
        }
        if items.is_some() && default_at.is_none() {
            p.push(
                "missing_default",
                "models",
                "the model set has no default model",
                "end the list with { \"default\": true, \"model\": { … } }",
            );
        }
        if !p.is_empty() || version.is_none() {
            return Err(Errors(p.0));
        }
        Ok(ModelSet::new(id.unwrap_or_default(), entries))
    }

    fn new(id: String, entries: Vec<(Option<SetWhen>, Model)>) -> ModelSet {
        let doc = ModelSetDoc {
            version: 1,
            id: id.clone(),
            models: entries
                .iter()
                .map(|(when, m)| SetEntryDoc {
                    when: when.as_ref().map(|w| SetWhenDoc {
                        segments: w.segments.clone(),
                        min_value: w.min_value,
                        max_value: w.max_value,
                        fields: (!w.fields.is_empty()).then(|| w.fields.clone()),
                    }),
                    default: when.is_none().then_some(true),
                    model: m.spec().clone(),
                })
                .collect(),
        };
        let canonical = crate::model::hash::canonical_of(&doc);
        let hash = crate::model::hash::sha256_hex(canonical.as_bytes());
        ModelSet {
            id,
            entries,
            canonical,
            hash,
        }
    }

    /// Lowercase hex SHA-256 of the set's canonical JSON (each model in its
    /// canonical form): same set, same hash, everywhere.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The canonical JSON text the hash is taken over (keys sorted,
    /// defaults filled in).
    pub fn canonical_json(&self) -> &str {
        &self.canonical
    }

    /// The model set's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The models, in order.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.entries.iter().map(|(_, m)| m)
    }

    /// The set's model with this id (the first, should two share it).
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models().find(|m| m.id() == id)
    }

    /// The levers of one account under the model that applies to it.
    pub fn levers(&self, account: &Account) -> Result<Vec<super::Lever>, Errors> {
        self.select(account).levers(account)
    }

    /// The plan of one account under the model that applies to it.
    pub fn plan(&self, account: &Account) -> Result<Option<super::Plan>, Errors> {
        self.select(account).plan(account)
    }

    /// The default model (the last one).
    pub fn default_model(&self) -> &Model {
        &self.entries[self.entries.len() - 1].1
    }

    /// The model that applies to an account: the first whose condition holds.
    pub fn select(&self, account: &Account) -> &Model {
        self.entries
            .iter()
            .find(|(w, _)| w.as_ref().is_none_or(|w| w.holds(account)))
            .map(|(_, m)| m)
            .unwrap_or(&self.entries[self.entries.len() - 1].1)
    }

    /// Scores an account with the model that applies (named by `modelId`).
    pub fn score_with(
        &self,
        account: &Account,
        options: &ScoreOptions,
    ) -> Result<Scorecard, Errors> {
        self.select(account).score_with(account, options)
    }

    /// Scores many accounts, each with the model that applies, with
    /// options (`at`, `asOf`, `ignoreUnknown`). The summary counts bands by
    /// id across every model of the set.
    pub fn score_many_with(&self, accounts: &[Account], options: &ScoreOptions) -> Batch {
        self.score_each(accounts, |_, a| self.score_with(a, options))
    }

    /// Reads a JSON array of accounts (text) and scores each with the model
    /// that applies; an account that cannot be read is refused alone.
    pub fn score_many_json(&self, accounts: &str) -> Result<Batch, Errors> {
        let items = Account::many_from_json(accounts)?;
        Ok(self.score_each(&items, |_, a| match a {
            Ok(a) => self.score_with(a, &ScoreOptions::default()),
            Err(e) => Err(e.clone()),
        }))
    }

    /// A batch from any items and a scoring function, as
    /// [`Model::score_each_at`], summarised over every model's bands.
    pub fn score_each_at<T>(
        &self,
        items: &[T],
        index: impl Fn(usize) -> usize,
        score: impl Fn(usize, &T) -> Result<Scorecard, Errors>,
    ) -> Batch {
        let mut batch = self.default_model().score_each_at(items, index, score);
        batch.summary = self.summarize(batch.scorecards.iter().flatten());
        batch
    }

    fn score_each<T>(
        &self,
        items: &[T],
        score: impl Fn(usize, &T) -> Result<Scorecard, Errors>,
    ) -> Batch {
        self.score_each_at(items, |i| i, score)
    }

    /// Every band of the set's models by id, once: the default model's
    /// first, then each other model's bands it does not have, in model
    /// order. A summary over the set counts every account in one of these
    /// (or insufficient data).
    pub fn band_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .default_model()
            .bands()
            .iter()
            .map(|b| b.id.as_str())
            .collect();
        for m in self.models() {
            for b in m.bands() {
                if !ids.contains(&b.id.as_str()) {
                    ids.push(&b.id);
                }
            }
        }
        ids
    }

    /// The summary of scorecards made by any of the set's models: counts
    /// per band id over all models' bands ([`ModelSet::band_ids`]).
    pub fn summarize<'a>(&self, cards: impl Iterator<Item = &'a Scorecard>) -> Summary {
        let ids = self.band_ids();
        let index = |id: &str| {
            if id == crate::model::INSUFFICIENT_DATA {
                Some(ids.len())
            } else {
                ids.iter().position(|b| *b == id)
            }
        };
        let rows: Vec<_> = cards
            .map(|c| (c.score, index(&c.band.id), c.value, c.low_coverage))
            .collect();
        super::batch::summary_over(&ids, rows.into_iter())
    }

    /// The summary of columnar results whose band codes index
    /// [`ModelSet::band_ids`] (255 insufficient data, 254 refused), with
    /// the rows flagged `lowCoverage` non-zero in `low`.
    pub fn summarize_columns(
        &self,
        scores: &[f64],
        bands: &[u8],
        values: &[f64],
        low: &[u8],
    ) -> Summary {
        super::batch::summarize_columns_over(&self.band_ids(), scores, bands, values, low)
    }
}
