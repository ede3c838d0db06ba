//! A browser store for models, portfolios and score histories, on
//! `localStorage` through gloo-storage, so a web portal keeps its model and
//! trends client-side with no backend.
//!
//! Every entry is saved as `{ "format": 1, "kind": …, "savedAt": …, "data": … }`
//! under a key prefixed with `customer-health:`. Loading an entry that is not
//! JSON, not in that envelope, of another kind, or of another format version
//! is an error with a code (`corrupt_storage`, `unsupported_storage_format`),
//! never a silent reset: the caller decides whether to reset.

use crate::error::Error;
use gloo_storage::{LocalStorage, Storage};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// The format version of stored entries.
pub const STORE_FORMAT: u64 = 1;
const PREFIX: &str = "customer-health:";

fn err(code: &str, path: &str, message: String, help: &str) -> String {
    super::thrown(vec![Error::new(code, path, message, help)])
}

/// A namespace in the browser's `localStorage`.
#[wasm_bindgen]
pub struct HealthStore {
    namespace: String,
}

#[wasm_bindgen]
impl HealthStore {
    /// A store whose keys start with `customer-health:<namespace>:`.
    #[wasm_bindgen(constructor)]
    pub fn new(namespace: Option<String>) -> HealthStore {
        HealthStore {
            namespace: namespace.unwrap_or_else(|| "default".into()),
        }
    }

    /// The format version entries are written with.
    #[wasm_bindgen(getter)]
    pub fn format(&self) -> u32 {
        STORE_FORMAT as u32
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{PREFIX}{}:{kind}:{name}", self.namespace)
    }

    /// Saves JSON text (validated as JSON) under `kind`/`name`, with the date given.
    fn put(
        &self,
        kind: &str,
        name: &str,
        text: &str,
        saved_at: Option<String>,
    ) -> Result<(), String> {
        let data: Value = serde_json::from_str(text).map_err(|e| {
            err(
                "invalid_json",
                "",
                format!("not JSON: {e}"),
                "pass JSON text",
            )
        })?;
        let entry =
            json!({ "format": STORE_FORMAT, "kind": kind, "savedAt": saved_at, "data": data });
        LocalStorage::set(self.key(kind, name), entry).map_err(|e| {
            err(
                "storage_unavailable",
                "",
                format!("could not write to localStorage: {e}"),
                "the browser may be out of storage space or storage may be disabled",
            )
        })
    }

    /// Loads the data saved under `kind`/`name` as JSON text, or None.
    fn get(&self, kind: &str, name: &str) -> Result<Option<String>, String> {
        let key = self.key(kind, name);
        let raw: Option<String> = LocalStorage::raw().get_item(&key).map_err(|_| {
            err(
                "storage_unavailable",
                &key,
                "could not read localStorage".into(),
                "storage may be disabled in this browser",
            )
        })?;
        let Some(raw) = raw else { return Ok(None) };
        let entry: Value = serde_json::from_str(&raw).map_err(|e| {
            err(
                "corrupt_storage",
                &key,
                format!("the stored {kind} is not JSON: {e}"),
                "reset it (store.remove) and save it again",
            )
        })?;
        let format = entry.get("format").and_then(Value::as_u64);
        match (
            format,
            entry.get("kind").and_then(Value::as_str),
            entry.get("data"),
        ) {
            (Some(STORE_FORMAT), Some(k), Some(data)) if k == kind => Ok(Some(data.to_string())),
            (Some(f), Some(_), Some(_)) if f != STORE_FORMAT => Err(err(
                "unsupported_storage_format",
                &key,
                format!(
                    "the stored {kind} has format {f}; this version reads format {STORE_FORMAT}"
                ),
                "export it with the version that wrote it, or reset it",
            )),
            _ => Err(err(
                "corrupt_storage",
                &key,
                format!("the stored {kind} is not an entry of this library"),
                "reset it (store.remove) and save it again",
            )),
        }
    }

    /// Saves a model document (JSON text).
    #[wasm_bindgen(js_name = saveModel)]
    pub fn save_model(
        &self,
        name: &str,
        model: &str,
        saved_at: Option<String>,
    ) -> Result<(), String> {
        crate::Model::from_json(model).map_err(|e| super::thrown(e.0))?;
        self.put("model", name, model, saved_at)
    }

    /// Loads a model document as JSON text (None when nothing is saved).
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&self, name: &str) -> Result<Option<String>, String> {
        self.get("model", name)
    }

    /// Saves any JSON data (a portfolio of accounts, settings) under a name.
    #[wasm_bindgen(js_name = saveData)]
    pub fn save_data(
        &self,
        name: &str,
        data: &str,
        saved_at: Option<String>,
    ) -> Result<(), String> {
        self.put("data", name, data, saved_at)
    }

    /// Loads data saved with `saveData` as JSON text.
    #[wasm_bindgen(js_name = loadData)]
    pub fn load_data(&self, name: &str) -> Result<Option<String>, String> {
        self.get("data", name)
    }

    /// Appends a scorecard (JSON text) to an account's history, keeping the
    /// last `keep` snapshots (default 100), and returns the history length.
    #[wasm_bindgen(js_name = appendHistory)]
    pub fn append_history(
        &self,
        account_id: &str,
        scorecard: &str,
        keep: Option<u32>,
    ) -> Result<u32, String> {
        let card: Value = serde_json::from_str(scorecard).map_err(|e| {
            err(
                "invalid_json",
                "",
                format!("not JSON: {e}"),
                "pass a scorecard",
            )
        })?;
        let mut list: Vec<Value> = match self.get("history", account_id)? {
            Some(text) => serde_json::from_str(&text).unwrap_or_default(),
            None => Vec::new(),
        };
        list.push(card);
        let keep = keep.unwrap_or(100).max(1) as usize;
        if list.len() > keep {
            list.drain(..list.len() - keep);
        }
        let n = list.len() as u32;
        self.put("history", account_id, &Value::Array(list).to_string(), None)?;
        Ok(n)
    }

    /// An account's stored history (a JSON array of scorecards), or None.
    #[wasm_bindgen(js_name = loadHistory)]
    pub fn load_history(&self, account_id: &str) -> Result<Option<String>, String> {
        self.get("history", account_id)
    }

    /// Removes one entry (`kind`: model, data or history).
    pub fn remove(&self, kind: &str, name: &str) {
        LocalStorage::delete(self.key(kind, name));
    }

    /// Removes every entry of this namespace.
    pub fn clear(&self) {
        let prefix = format!("{PREFIX}{}:", self.namespace);
        let storage = LocalStorage::raw();
        let keys: Vec<String> = (0..LocalStorage::length())
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(&prefix))
            .collect();
        for k in keys {
            LocalStorage::delete(k);
        }
    }
}
