//! Model identity: the hash, the canonical form, presets and the serde shape.

use crate::common::*;
use customer_health::{presets, Model, ModelSpec};
use serde_json::json;

#[test]
fn hash_ignores_key_order_whitespace_and_defaults() {
    let a = model(composite([50.0, 30.0, 20.0]));
    let text = serde_json::to_string_pretty(&composite([50.0, 30.0, 20.0])).unwrap();
    let b = Model::from_json(&format!("\n\n{text}\n")).unwrap();
    assert_eq!(a.hash(), b.hash());
    // Defaults written out give the same model.
    let mut explicit = composite([50.0, 30.0, 20.0]);
    explicit["aggregation"] = json!("weighted");
    explicit["missing"] = json!("skip");
    explicit["minCoverage"] = json!(0.5);
    explicit["caps"] = json!([]);
    explicit["categories"][0]["combine"] = json!("average");
    explicit["categories"][0]["label"] = json!("operational");
    assert_eq!(model(explicit).hash(), a.hash());
    // 50 and 50.0 are the same number.
    let c = Model::from_json(&text.replace("\"weight\": 50.0", "\"weight\": 5e1")).unwrap();
    assert_eq!(c.hash(), a.hash());
    // A real change changes the hash.
    assert_ne!(model(composite([50.0, 30.0, 21.0])).hash(), a.hash());
    assert_eq!(a.hash().len(), 64);
    assert!(a
        .hash()
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
}

#[test]
fn canonical_form_is_sorted_and_compact() {
    let m = model(composite([50.0, 30.0, 20.0]));
    let canon = m.canonical_json();
    assert!(!canon.contains(": ") && !canon.contains(", ") && !canon.contains('\n'));
    assert!(
        canon.starts_with("{\"aggregation\":\"weighted\",\"alerts\":{\"approachMargin\":5,"),
        "{canon}"
    );
    assert!(canon.contains("\"weight\":50}"), "{canon}");
    // The canonical form reads back to the same model and hash.
    let again = Model::from_json(canon).unwrap();
    assert_eq!(again.hash(), m.hash());
    assert_eq!(again.canonical_json(), canon);
}

#[test]
fn known_hash_is_stable_across_platforms() {
    // Pinned: if this changes, every stored scorecard's modelHash changes.
    // The package tests check the same value on wasm32.
    let m = presets::preset("composite-kpi").unwrap();
    assert_eq!(m.hash(), PINNED_COMPOSITE_KPI_HASH);
    // And it is the SHA-256 of the canonical text (checked with sha256sum).
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum (coreutils) is on every machine this runs on");
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        m.canonical_json().as_bytes(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(&String::from_utf8_lossy(&out.stdout)[..64], m.hash());
}

const PINNED_COMPOSITE_KPI_HASH: &str =
    "cb88eade3a959d9c9cee31f4939ec5bfbacbd062d00f0c3328fd6388f80e1f3e";

#[test]
fn presets_are_valid_and_as_documented() {
    let ids: Vec<&str> = presets::PRESETS.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        ids,
        [
            "composite-kpi",
            "composite-industrial",
            "composite-consulting",
            "saas-points"
        ]
    );
    for (id, text) in presets::PRESETS {
        let m = Model::from_json(text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(m.id(), *id);
    }
    let weights = |id: &str| -> Vec<f64> {
        presets::preset(id)
            .unwrap()
            .spec()
            .categories
            .iter()
            .map(|c| c.weight.unwrap())
            .collect()
    };
    assert_eq!(weights("composite-kpi"), [40.0, 35.0, 25.0]);
    assert_eq!(weights("composite-industrial"), [60.0, 25.0, 15.0]);
    assert_eq!(weights("composite-consulting"), [25.0, 35.0, 40.0]);
    let kpi = presets::preset("composite-kpi").unwrap();
    let measures: Vec<&str> = kpi.measure_ids().collect();
    assert_eq!(measures, ["operations", "commercial", "engagement"]);
    let bands: Vec<&str> = kpi.bands().iter().map(|b| b.id.as_str()).collect();
    assert_eq!(bands, ["action", "watch", "healthy"]);
    // Action below 50, watch 50..80, healthy above 80.
    assert_eq!(kpi.bands()[kpi.band_index(49.99)].id, "action");
    assert_eq!(kpi.bands()[kpi.band_index(80.0)].id, "watch");
    assert_eq!(kpi.bands()[kpi.band_index(80.01)].id, "healthy");
    // Industrial weighting: 4/3/5 → 100 × (0.6·0.75 + 0.25·0.5 + 0.15·1) = 72.5 as well; 5/1/1 differs.
    let ind = presets::preset("composite-industrial").unwrap();
    let card = score(
        &ind,
        json!({ "id": "a", "values": { "operations": 5, "commercial": 1, "engagement": 1 } }),
    );
    close(card.score.unwrap(), 60.0);
    let con = presets::preset("composite-consulting").unwrap();
    let card = score(
        &con,
        json!({ "id": "a", "values": { "operations": 5, "commercial": 1, "engagement": 1 } }),
    );
    close(card.score.unwrap(), 25.0);
}

#[test]
fn spec_round_trips_through_serde() {
    for (_, text) in presets::PRESETS {
        let m = Model::from_json(text).unwrap();
        let v = serde_json::to_value(m.spec()).unwrap();
        let back: ModelSpec = serde_json::from_value(v).unwrap();
        assert_eq!(&back, m.spec());
        assert_eq!(Model::from_spec(&back).unwrap().hash(), m.hash());
    }
}
