//! Documented limits: input beyond them is refused up front with
//! `too_large`, the limit in `help`, before any work or allocation.

/// The most columns a calibration table may have.
pub const MAX_TABLE_COLUMNS: usize = 1_000;
/// The most cells (rows × columns) a calibration table may have.
pub const MAX_TABLE_CELLS: usize = 20_000_000;
/// The most cells (rows × measures) one columnar scoring call may stage:
/// 512 MiB of numbers, which with its results fits a 32-bit WebAssembly
/// memory with room to spare. Score larger portfolios in parts.
pub const MAX_COLUMN_CELLS: usize = 1 << 26;
/// The most accounts one object-mode `scoreMany` call takes (their
/// scorecards are JS objects: a few hundred bytes each, more once their
/// breakdown is read). Score larger portfolios in parts, or as columns.
pub const MAX_BATCH_ACCOUNTS: usize = 2_000_000;

/// Refuses a batch of more than [`MAX_BATCH_ACCOUNTS`] items (`what`:
/// "accounts", "snapshots").
pub fn check_batch(count: usize, what: &str) -> Result<(), crate::error::Error> {
    if count > MAX_BATCH_ACCOUNTS {
        return Err(too_large(
            "",
            what,
            count,
            MAX_BATCH_ACCOUNTS,
            "score the portfolio in parts, or as columns",
        ));
    }
    Ok(())
}

/// The `too_large` error for `count` items over `limit`.
pub fn too_large(
    path: &str,
    what: &str,
    count: usize,
    limit: usize,
    advice: &str,
) -> crate::error::Error {
    too_large_with(
        path,
        format!("{count} {what} is more than the limit"),
        limit,
        what,
        advice,
    )
}

/// The `too_large` error with its own message (when the count is not known
/// exactly); `help` names the limit.
pub fn too_large_with(
    path: &str,
    message: String,
    limit: usize,
    what: &str,
    advice: &str,
) -> crate::error::Error {
    crate::error::Error::new(
        "too_large",
        path,
        message,
        format!("the limit is {limit} {what}; {advice}"),
    )
}

/// The most bytes of JSON text a model (or a model set) may be: a larger
/// document is refused before it is read.
pub const MAX_MODEL_BYTES: usize = 16 << 20;
/// The most bytes of JSON text one account (or one stored snapshot, or the
/// changed values of an update) may be: refused before it is read (the JS
/// package counts while it writes the text, and stops there).
pub const MAX_ACCOUNT_BYTES: usize = 4 << 20;

/// Refuses JSON text over `limit` bytes before it is read.
pub(crate) fn check_text(text: &str, what: &str, limit: usize) -> Result<(), crate::error::Error> {
    if text.len() > limit {
        return Err(too_large_with(
            "",
            format!("{what} is {} bytes of JSON, more than the limit", text.len()),
            limit,
            "bytes",
            "send less: a measure's series of at most 10,000 points, notes of at most 2,000 characters",
        ));
    }
    Ok(())
}

/// The most bands a model may have.
pub const MAX_BANDS: usize = 100;
/// The most measures a model may have (over all its categories).
pub const MAX_MEASURES: usize = 10_000;
/// The most entries one rule may list (match scores, steps thresholds,
/// linear points), and the most caps or playbooks a model may have.
pub const MAX_RULE_ENTRIES: usize = 10_000;
/// The most conditions one override may have (`all` and `any` together).
pub const MAX_OVERRIDE_CONDITIONS: usize = 1_000;
/// The most conditions a model may have in all (each cap's, and every
/// override's): scoring tests each once, a lever search those of one
/// measure.
pub const MAX_CONDITIONS: usize = 20_000;
/// The most candidate values a lever search tries through overrides for
/// one measure (the conditions' values nearest the measure's, distinct).
pub const MAX_OVERRIDE_CANDIDATES: usize = 100;
/// The most models a model set may hold.
pub const MAX_SET_MODELS: usize = 1_000;
/// The most snapshots one history (`trend`, `alerts`, `update`'s history)
/// may hold. `replay` takes up to [`MAX_BATCH_ACCOUNTS`] stored inputs.
pub const MAX_HISTORY: usize = 100_000;
/// The most changes a plan names: an account that needs more to reach the
/// next band gets no plan (a CSM acts on a few changes, and each one costs
/// a pass over the measures).
pub const MAX_PLAN_CHANGES: usize = 10;
/// The most levers a parent of a hierarchy lists (`rollup`).
pub const MAX_ROLLUP_LEVERS: usize = crate::portfolio::MAX_ROLLUP_LEVERS;
/// The most points a measure's series may hold in one account.
pub const MAX_SERIES_POINTS: usize = 10_000;

/// Refuses a model document over the limits, before it is read: the sizes
/// are counted on the raw JSON (a few array lengths), so a huge document
/// costs nothing to refuse.
pub(crate) fn check_model(doc: &serde_json::Value) -> Result<(), crate::error::Error> {
    let len = |v: &serde_json::Value| match v {
        serde_json::Value::Array(a) => a.len(),
        serde_json::Value::Object(o) => o.len(),
        _ => 0,
    };
    let bands = len(&doc["bands"]);
    if bands > MAX_BANDS {
        return Err(too_large(
            "bands",
            "bands",
            bands,
            MAX_BANDS,
            "a health score reads best with 3 to 5 bands",
        ));
    }
    for key in ["caps", "overrides", "playbooks"] {
        let n = len(&doc[key]);
        if n > MAX_RULE_ENTRIES {
            return Err(too_large(
                key,
                key,
                n,
                MAX_RULE_ENTRIES,
                "merge the ones that say the same",
            ));
        }
    }
    let mut conditions = len(&doc["caps"]);
    for (o, ov) in doc["overrides"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let n = len(&ov["when"]["all"]).saturating_add(len(&ov["when"]["any"]));
        if n > MAX_OVERRIDE_CONDITIONS {
            return Err(too_large(
                &format!("overrides[{o}].when"),
                "conditions",
                n,
                MAX_OVERRIDE_CONDITIONS,
                "split the override, or group the values upstream",
            ));
        }
        conditions = conditions.saturating_add(n);
    }
    if conditions > MAX_CONDITIONS {
        return Err(too_large(
            "overrides",
            "conditions (caps and overrides together)",
            conditions,
            MAX_CONDITIONS,
            "merge the caps and overrides that say the same",
        ));
    }
    let mut measures = 0usize;
    if let Some(categories) = doc["categories"].as_array() {
        if categories.len() > MAX_MEASURES {
            return Err(too_large(
                "categories",
                "categories",
                categories.len(),
                MAX_MEASURES,
                "group the measures into fewer categories",
            ));
        }
        for (c, cat) in categories.iter().enumerate() {
            let Some(list) = cat["measures"].as_array() else {
                continue;
            };
            measures = measures.saturating_add(list.len());
            if measures > MAX_MEASURES {
                return Err(too_large(
                    "categories",
                    "measures",
                    categories.iter().map(|c| len(&c["measures"])).sum(),
                    MAX_MEASURES,
                    "split the model, or combine measures upstream",
                ));
            }
            for (m, measure) in list.iter().enumerate() {
                let rule = &measure["rule"];
                for key in ["scores", "thresholds", "points", "quantiles"] {
                    let n = len(&rule[key]);
                    if n > MAX_RULE_ENTRIES {
                        return Err(too_large(
                            &format!("categories[{c}].measures[{m}].rule.{key}"),
                            "entries",
                            n,
                            MAX_RULE_ENTRIES,
                            "group the values into fewer entries",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
