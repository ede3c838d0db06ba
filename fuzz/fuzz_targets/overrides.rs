//! Random models with caps, overrides and coverage settings (the property
//! tests' generator, seeded by the input) × random accounts: the levers
//! rescored one measure at a time are the direct ones (every measure scored
//! again), bit for bit; an override that changes nothing (a floor of 0)
//! changes no lever; nothing panics. (The kernel against the engine on such
//! models is the property test `columns_agree_with_score`.)
#![no_main]
use customer_health::Account;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

#[path = "../../tests/all/properties/gen.rs"]
#[allow(dead_code)]
mod gen;

fuzz_target!(|data: &[u8]| {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for &b in data.iter().take(64) {
        seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
    }
    let mut g = gen::Gen(seed | 1);
    let mut doc = g.model(false);
    if doc.get("overrides").is_none() {
        let when = g.cap(&doc)["when"].clone();
        doc["overrides"] =
            json!([{ "when": { "any": [when] }, "set": g.below(100), "reason": "fuzz" }]);
    }
    let Some(model) = gen::build(&doc) else {
        return;
    };
    let accounts: Vec<Value> = (0..8).map(|_| gen::account(&mut g, &doc)).collect();
    let parsed: Vec<Option<Account>> = accounts
        .iter()
        .map(|a| Account::from_json(&a.to_string()).ok())
        .collect();
    for (a, acc) in parsed.iter().zip(&accounts) {
        let Some(a) = a else { continue };
        let Ok(card) = model.score(a) else { continue };
        let Ok(direct) = model.levers_direct(a) else {
            continue;
        };
        assert_eq!(
            card.levers, direct,
            "levers differ from the direct ones: {acc}"
        );
        // A floor of 0 on any condition changes nothing.
        let mut noop = doc.clone();
        let when = g.cap(&doc)["when"].clone();
        noop["overrides"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "when": { "any": [when] }, "floor": 0, "reason": "no-op" }));
        if let Some(m2) = gen::build(&noop) {
            if let Ok(c2) = m2.score(a) {
                assert_eq!(
                    c2.levers, card.levers,
                    "a no-op override changed the levers: {acc}"
                );
            }
        }
    }
});
