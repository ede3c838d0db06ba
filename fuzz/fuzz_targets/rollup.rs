//! Random hierarchies (children under parents up to a few levels, now and
//! then a cycle, an orphan or a duplicate) → rollup: no panic; a coded
//! error, or every parent's mean score within its children's, each listing
//! at most the documented children and levers, costliest and biggest first.
#![no_main]
use customer_health::portfolio::{
    RollupInput, RollupMethod, RollupOptions, MAX_ROLLUP_CHILDREN, MAX_ROLLUP_LEVERS,
};
use customer_health::Model;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::from_json(include_str!("../../samples/model.json")).unwrap())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let mut at = 0usize;
    let mut byte = || {
        let b = data[at % data.len()];
        at += 1;
        b
    };
    let n = 1 + usize::from(byte()) * 4;
    let groups = 1 + usize::from(byte() % 16);
    let method = if byte() % 2 == 0 {
        RollupMethod::Mean
    } else {
        RollupMethod::Worst
    };
    let mut children = Vec::new();
    let mut opts = RollupOptions {
        method,
        ..Default::default()
    };
    for i in 0..n {
        let b = byte();
        let id = if b == 255 && i > 0 {
            "c0".to_string()
        } else {
            format!("c{i}")
        };
        children.push(RollupInput {
            account_id: id.clone(),
            model_id: model().id().to_string(),
            score: (b % 7 != 0).then(|| f64::from(b) * 100.0 / 255.0),
            band: ["action", "watch", "healthy", "insufficient_data"][usize::from(b % 4)].into(),
            value: (b % 5 != 0).then(|| f64::from(byte()) * 1000.0),
            lever: (b % 3 != 0).then(|| ("activeSeats".to_string(), f64::from(byte() % 40))),
        });
        opts.parents
            .insert(id, format!("g{}", usize::from(b) % groups));
    }
    // Parents of parents, now and then a cycle or an orphan.
    for g in 0..groups {
        match byte() % 8 {
            0 => {}
            1 => {
                opts.parents
                    .insert(format!("g{g}"), format!("g{}", (g + 1) % groups));
            }
            2 => {
                opts.parents.insert(format!("orphan{g}"), format!("g{g}"));
            }
            _ => {
                opts.parents.insert(format!("g{g}"), "top".to_string());
            }
        }
    }
    match model().rollup_inputs(&children, &opts) {
        Ok(out) => {
            for r in &out {
                assert!(r.children.len() <= MAX_ROLLUP_CHILDREN);
                assert!(r.children.len() <= r.child_count);
                assert!(r.levers.len() <= MAX_ROLLUP_LEVERS);
                assert!(r.levers.windows(2).all(|w| w[0].points >= w[1].points));
                assert!(r
                    .children
                    .windows(2)
                    .all(|w| w[0].points_missed >= w[1].points_missed));
                if let (Some(s), RollupMethod::Mean) = (r.score, method) {
                    let scores = r.children.iter().filter_map(|c| c.score);
                    let (lo, hi) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                        (l.min(x), h.max(x))
                    });
                    if r.children.len() == r.child_count {
                        assert!(s >= lo && s <= hi, "{s} outside {lo}..{hi}");
                    }
                }
            }
        }
        Err(e) => {
            for x in e.iter() {
                assert!(
                    [
                        "cycle",
                        "orphan",
                        "duplicate_id",
                        "too_large",
                        "model_mismatch"
                    ]
                    .contains(&x.code.as_str()),
                    "{x:?}"
                );
            }
        }
    }
});
