//! Model JSON → validate. A valid model's canonical form must read back to
//! the same model and hash.
#![no_main]
use customer_health::Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(model) = Model::from_json(&text) {
        let again = Model::from_json(model.canonical_json()).expect("the canonical form is valid");
        assert_eq!(again.hash(), model.hash());
    }
});
