//! A valid model × arbitrary account → score. The first byte picks the model.
//! When the second byte is 0xff (never the start of JSON) the rest is read as raw f64 cells (NaN,
//! infinities, subnormals, anything) of a columnar batch instead, and
//! `score_columns` (the vectorised kernel) must give each row bit-for-bit the
//! engine's score, band, category scores and contributions, or refuse the
//! rows the engine refuses.
#![no_main]
use customer_health::{presets, Account, ColumnOptions, Input, Model};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn models() -> &'static Vec<Model> {
    static MODELS: OnceLock<Vec<Model>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let mut v: Vec<Model> = presets::PRESETS
            .iter()
            .map(|(_, t)| Model::from_json(t).unwrap())
            .collect();
        v.push(Model::from_json(include_str!("../../samples/model.json")).unwrap());
        v
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let model = &models()[pick as usize % models().len()];
    if let Some((&mode, cells)) = rest.split_first() {
        if mode == 0xff {
            columns(model, cells);
            return;
        }
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    if let Ok(card) = model.score_json(&value.to_string()) {
        if let Some(s) = card.score {
            assert!((0.0..=100.0).contains(&s), "score {s}");
        }
        assert!((0.0..=1.0).contains(&card.coverage));
    }
    if let serde_json::Value::Array(_) = value {
        let _ = model.score_many_json(&value.to_string());
    }
});

fn columns(model: &Model, bytes: &[u8]) {
    let ids: Vec<String> = model.measure_ids().map(String::from).collect();
    let n = ids.len();
    let cells: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let rows = (cells.len() / n).min(600);
    if rows == 0 {
        return;
    }
    // Column i holds cells[r * n + i]; a match measure's column is left out
    // (its codes are not numbers the engine could take).
    let doc: serde_json::Value = serde_json::from_str(model.canonical_json()).unwrap();
    let rules: Vec<String> = doc["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["measures"].as_array().unwrap())
        .map(|m| m["rule"]["type"].as_str().unwrap().to_string())
        .collect();
    let cols: Vec<Option<Vec<f64>>> = (0..n)
        .map(|i| (rules[i] != "match").then(|| (0..rows).map(|r| cells[r * n + i]).collect()))
        .collect();
    let refs: Vec<Option<&[f64]>> = cols.iter().map(|c| c.as_deref()).collect();
    let out = model
        .score_columns_with(
            &refs,
            rows,
            ColumnOptions {
                breakdown: true,
                ..Default::default()
            },
        )
        .unwrap();
    for r in 0..rows {
        let values = (0..n)
            .filter_map(|i| cols[i].as_ref().map(|c| (i, c[r])))
            .map(|(i, x)| {
                let input = if x.is_nan() {
                    Input::Missing
                } else if rules[i] == "flag" && (x == 1.0 || x == 0.0) {
                    Input::Bool(x == 1.0)
                } else {
                    Input::Number(x)
                };
                (ids[i].clone(), input)
            })
            .collect();
        let account = Account {
            id: "a".into(),
            values,
            ..Default::default()
        };
        match model.score(&account) {
            Ok(card) => {
                assert_eq!(
                    out.scores[r].to_bits(),
                    card.score.unwrap_or(f64::NAN).to_bits(),
                    "row {r}"
                );
                let band = model
                    .bands()
                    .iter()
                    .position(|b| b.id == card.band.id)
                    .map_or(255, |b| b as u8);
                assert_eq!(out.bands[r], band, "row {r}");
                let measures: Vec<_> = card.categories.iter().flat_map(|c| &c.measures).collect();
                for (c, cat) in card.categories.iter().enumerate() {
                    let got = out.categories[c * rows + r];
                    assert_eq!(
                        got.to_bits(),
                        cat.score.unwrap_or(f64::NAN).to_bits(),
                        "row {r} category {c}"
                    );
                }
                for (i, m) in measures.iter().enumerate() {
                    assert_eq!(
                        out.contributions[i * rows + r].to_bits(),
                        m.contribution.to_bits(),
                        "row {r} measure {i}"
                    );
                }
            }
            Err(_) => assert_eq!(out.bands[r], 254, "row {r}"),
        }
    }
}
