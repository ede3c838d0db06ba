//! A valid model × arbitrary account → score. The first byte picks the model.
#![no_main]
use customer_health::{presets, Model};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn models() -> &'static Vec<Model> {
    static MODELS: OnceLock<Vec<Model>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let mut v: Vec<Model> = presets::PRESETS.iter().map(|(_, t)| Model::from_json(t).unwrap()).collect();
        v.push(Model::from_json(include_str!("../../samples/model.json")).unwrap());
        v
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let model = &models()[pick as usize % models().len()];
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    if let Ok(card) = model.score_json(&value) {
        if let Some(s) = card.score {
            assert!((0.0..=100.0).contains(&s), "score {s}");
        }
        assert!((0.0..=1.0).contains(&card.coverage));
    }
    if let serde_json::Value::Array(_) = value {
        let _ = model.score_many_json(&value);
    }
});
