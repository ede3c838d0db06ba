//! The browser store (localStorage via gloo-storage), in headless Chromium:
//!
//!     WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test store
#![cfg(target_arch = "wasm32")]

use customer_health::wasm::HealthStore;
use gloo_storage::Storage;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn model() -> String {
    customer_health::presets::preset_json("composite-kpi")
        .unwrap()
        .to_string()
}

fn code(e: String) -> (String, String) {
    let v: Value = serde_json::from_str(&e).unwrap();
    (
        v["code"].as_str().unwrap().to_string(),
        v["path"].as_str().unwrap().to_string(),
    )
}

struct Local;

impl Local {
    fn set_item(&self, key: &str, value: &str) {
        gloo_storage::LocalStorage::raw()
            .set_item(key, value)
            .unwrap();
    }
    fn get_item(&self, key: &str) -> Option<String> {
        gloo_storage::LocalStorage::raw().get_item(key).unwrap()
    }
}

fn local() -> Local {
    Local
}

#[wasm_bindgen_test]
fn saves_and_loads_a_model_with_a_format_version() {
    let store = HealthStore::new(Some("t1".into()));
    store.clear();
    assert_eq!(store.load_model("main").unwrap(), None);
    store
        .save_model("main", &model(), Some("2026-11-22".into()))
        .unwrap();
    let back: Value = serde_json::from_str(&store.load_model("main").unwrap().unwrap()).unwrap();
    assert_eq!(back["id"], "composite-kpi");
    let raw: Value =
        serde_json::from_str(&local().get_item("customer-health:t1:model:main").unwrap()).unwrap();
    assert_eq!(raw["format"], json!(1));
    assert_eq!(raw["kind"], "model");
    assert_eq!(raw["savedAt"], "2026-11-22");
    // An invalid model is refused, and nothing is overwritten.
    let e = store
        .save_model("main", r#"{ "version": 2 }"#, None)
        .unwrap_err();
    assert_eq!(code(e).0, "unsupported_version");
    assert!(store.load_model("main").unwrap().is_some());
    store.clear();
}

#[wasm_bindgen_test]
fn corrupt_or_old_entries_are_errors_not_resets() {
    let store = HealthStore::new(Some("t2".into()));
    store.clear();
    local().set_item("customer-health:t2:model:main", "{ not json");
    assert_eq!(
        code(store.load_model("main").unwrap_err()),
        (
            "corrupt_storage".into(),
            "customer-health:t2:model:main".into()
        )
    );
    // Still there: the store never resets on its own.
    assert_eq!(
        local().get_item("customer-health:t2:model:main").as_deref(),
        Some("{ not json")
    );
    local().set_item(
        "customer-health:t2:model:main",
        r#"{ "format": 0, "kind": "model", "data": {} }"#,
    );
    assert_eq!(
        code(store.load_model("main").unwrap_err()).0,
        "unsupported_storage_format"
    );
    local().set_item("customer-health:t2:model:main", r#"{ "hello": 1 }"#);
    assert_eq!(
        code(store.load_model("main").unwrap_err()).0,
        "corrupt_storage"
    );
    store.remove("model", "main");
    assert_eq!(store.load_model("main").unwrap(), None);
    store.clear();
}

#[wasm_bindgen_test]
fn histories_append_and_keep_the_last() {
    let store = HealthStore::new(Some("t3".into()));
    store.clear();
    for i in 0..5 {
        let n = store
            .append_history(
                "acme",
                &json!({ "accountId": "acme", "score": i }).to_string(),
                Some(3),
            )
            .unwrap();
        assert_eq!(n, (i + 1).min(3));
    }
    let h: Vec<Value> =
        serde_json::from_str(&store.load_history("acme").unwrap().unwrap()).unwrap();
    assert_eq!(
        h.iter()
            .map(|c| c["score"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [2, 3, 4]
    );
    store
        .save_data("portfolio", r#"[{ "id": "a" }]"#, None)
        .unwrap();
    assert_eq!(
        store.load_data("portfolio").unwrap().as_deref(),
        Some(r#"[{"id":"a"}]"#)
    );
    store.clear();
    assert_eq!(store.load_data("portfolio").unwrap(), None);
}
