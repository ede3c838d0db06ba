//! Helpers shared by the integration tests.
#![allow(dead_code)]

use customer_health::{Account, Model, Scorecard};
use serde_json::{json, Value};

/// Builds a model, panicking with every error if it is invalid.
pub fn model(doc: Value) -> Model {
    match Model::from_json(&doc.to_string()) {
        Ok(m) => m,
        Err(e) => panic!("model should be valid: {:#?}", e.0),
    }
}

/// Scores an account given as JSON.
pub fn score(model: &Model, account: Value) -> Scorecard {
    let account =
        Account::from_json(&account.to_string()).unwrap_or_else(|e| panic!("bad account: {e:#?}"));
    model
        .score(&account)
        .unwrap_or_else(|e| panic!("scoring failed: {e:#?}"))
}

/// The codes and paths of a model's validation errors.
pub fn problems(doc: Value) -> Vec<(String, String)> {
    Model::validate(&doc.to_string())
        .into_iter()
        .map(|e| (e.code, e.path))
        .collect()
}

/// Asserts two floats agree to 1e-9.
#[track_caller]
pub fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

/// A weighted model with one measure per category, each a 1..5 scale.
pub fn composite(weights: [f64; 3]) -> Value {
    json!({
        "version": 1, "id": "composite", "name": "Composite",
        "bands": [
            { "id": "action", "label": "Action needed", "color": "#c0392b", "from": 0 },
            { "id": "watch", "label": "Watch", "color": "#e6a700", "from": 50 },
            { "id": "healthy", "label": "Healthy", "color": "#2e8b57", "above": 80 }
        ],
        "categories": [
            { "id": "operational", "weight": weights[0], "measures": [ { "id": "ops", "weight": 1, "rule": { "type": "scale", "min": 1, "max": 5 } } ] },
            { "id": "commercial", "weight": weights[1], "measures": [ { "id": "com", "weight": 1, "rule": { "type": "scale", "min": 1, "max": 5 } } ] },
            { "id": "engagement", "weight": weights[2], "measures": [ { "id": "eng", "weight": 1, "rule": { "type": "scale", "min": 1, "max": 5 } } ] }
        ]
    })
}

/// One category of two 0..10 scales, `a` (weight 1) and `b` (weight 3), so
/// `a` alone is a coverage of 0.25 and the score is (a + 3b) / 4 × 10;
/// bands red 0, amber 50, green above 75; `minCoverage` 0.2. The fields of
/// `extra` are added at the top level.
pub fn a_and_b(extra: Value) -> Model {
    let mut doc = json!({
        "version": 1, "id": "a-and-b", "minCoverage": 0.2,
        "bands": [
            { "id": "red", "label": "Red", "color": "#d55e00", "from": 0 },
            { "id": "amber", "label": "Amber", "color": "#e69f00", "from": 50 },
            { "id": "green", "label": "Green", "color": "#009e73", "above": 75 }
        ],
        "categories": [ { "id": "usage", "weight": 1, "measures": [
            { "id": "a", "weight": 1, "rule": { "type": "scale", "min": 0, "max": 10 } },
            { "id": "b", "weight": 3, "rule": { "type": "scale", "min": 0, "max": 10 } }
        ] } ]
    });
    for (k, v) in extra.as_object().expect("extra is an object") {
        doc[k] = v.clone();
    }
    model(doc)
}

/// The points model of DESIGN.md's worked example.
pub fn points_model() -> Value {
    json!({
        "version": 1, "id": "points", "aggregation": "points",
        "bands": [
            { "id": "at_risk", "label": "At risk", "color": "#d55e00", "from": 0 },
            { "id": "neutral", "label": "Neutral", "color": "#e69f00", "from": 33 },
            { "id": "opportunity", "label": "Opportunity", "color": "#009e73", "from": 66 }
        ],
        "categories": [
            { "id": "usage", "measures": [ { "id": "usage", "rule": { "type": "linear", "points": [[0, 10], [60, 30]] } } ] },
            { "id": "support", "measures": [ { "id": "complaints", "rule": { "type": "perEvent", "points": -15, "maxEvents": 3 } } ] },
            { "id": "social", "measures": [
                { "id": "follows", "rule": { "type": "flag", "ifTrue": 5, "ifFalse": 0 } },
                { "id": "reacts", "rule": { "type": "flag", "ifTrue": 15, "ifFalse": 0 } }
            ] },
            { "id": "relationship", "measures": [ { "id": "csm", "rule": { "type": "scale", "min": 1, "max": 10 } } ] }
        ]
    })
}

/// Reads a CSV (quoted fields, doubled quotes) into row objects of strings.
pub fn csv_rows(text: &str) -> Vec<Value> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let header = rows.remove(0);
    rows.into_iter()
        .map(|r| {
            Value::Object(
                header
                    .iter()
                    .cloned()
                    .zip(r.into_iter().map(Value::String))
                    .collect(),
            )
        })
        .collect()
}

/// Seconds since the epoch as an ISO date-time, UTC (civil from days,
/// Howard Hinnant): `2026-01-01T05:00:00Z`.
pub fn iso_datetime(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A small xorshift generator for synthetic tables (0..1).
pub struct Rnd(pub u64);
impl Rnd {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}
