//! Reading the model document's conditions: caps and overrides, and the
//! `{ measure, op, value }` comparison they share (checked against the
//! model's measures in `validate.rs`).

use super::parse::list;
use super::spec::*;
use crate::names::fields;
use crate::read::{self, choice_as, id, number, string, Obj, Problems};
use serde_json::Value;

/// The value a condition compares with: a number, a boolean or a string.
pub(crate) fn compared_value(v: &Value, path: &str, p: &mut Problems) -> Option<CapValue> {
    match v {
        Value::Number(_) => number(v, path, p).map(CapValue::Number),
        Value::Bool(b) => Some(CapValue::Bool(*b)),
        Value::String(s) => Some(CapValue::Text(s.clone())),
        other => {
            p.push(
                "wrong_type",
                path,
                format!(
                    "a condition compares with a number, boolean or string, not {}",
                    read::kind(other)
                ),
                "write a number, true/false or a string",
            );
            None
        }
    }
}

/// `{ measure, op, value }`: a cap's or an override's condition (`code`:
/// the code of a wrong operator).
pub(crate) fn condition(v: &Value, path: &str, p: &mut Problems, code: &str) -> Option<Condition> {
    let c = Obj::new(v, path, "a condition", fields::<Condition>(), p)?;
    let measure = c.req("measure", "the id of a measure of this model", p, id);
    let op = c.req("op", "one of < <= > >= == !=", p, |v, path, p| {
        choice_as::<Op>(v, path, code, p)
    });
    let value = c.req(
        "value",
        "a number, true/false or a text value",
        p,
        compared_value,
    );
    Some(Condition {
        measure: measure?,
        op: op?,
        value: value?,
    })
}

/// An override: `{ when: { all?, any? }, set | floor | cap, reason }`.
pub(crate) fn override_spec(v: &Value, path: &str, p: &mut Problems) -> Option<OverrideSpec> {
    let o = Obj::new(v, path, "an override", fields::<OverrideSpec>(), p)?;
    let before = p.len();
    let when = o.req(
        "when",
        "the conditions, e.g. { \"all\": [{ \"measure\": \"nps\", \"op\": \"<=\", \"value\": 3 }] }",
        p,
        |v, path, p| {
            let w = Obj::new(v, path, "an override's conditions", fields::<OverrideWhen>(), p)?;
            let test = |v: &Value, path: &str, p: &mut Problems| {
                condition(v, path, p, "invalid_override")
            };
            let all = w.opt("all", p, |v, path, p| list(v, path, p, test));
            let any = w.opt("any", p, |v, path, p| list(v, path, p, test));
            let (all, any) = (all?, any?);
            if all.as_ref().is_none_or(Vec::is_empty) && any.as_ref().is_none_or(Vec::is_empty) {
                p.push(
                    "invalid_override",
                    path,
                    "an override needs at least one condition",
                    "give `all` (every condition holds) or `any` (at least one holds), each a list of { measure, op, value }",
                );
                return None;
            }
            Some(OverrideWhen { all, any })
        },
    );
    let score = |key: &str, p: &mut Problems| {
        o.opt(key, p, |v, path, p| {
            let x = number(v, path, p)?;
            if !(0.0..=100.0).contains(&x) {
                p.push(
                    "invalid_override",
                    path,
                    format!("{x} is outside 0..100"),
                    "scores run from 0 to 100",
                );
                return None;
            }
            Some(x)
        })
    };
    let (set, floor, cap) = (score("set", p), score("floor", p), score("cap", p));
    let reason = o.req(
        "reason",
        "a sentence shown in the scorecard, e.g. \"Strategic logo: reviewed by the VP\"",
        p,
        string,
    );
    // `Some(None)`: not given; `None`: given but wrong (reported already).
    let given = [&set, &floor, &cap]
        .iter()
        .filter(|x| !matches!(x, Some(None)))
        .count();
    if given != 1 {
        p.push(
            "invalid_override",
            path,
            format!("an override does one thing; this one gives {given} of set, floor and cap"),
            "give exactly one of `set` (the score becomes it), `floor` (raised to at least it) or `cap` (lowered to at most it)",
        );
    }
    if p.len() > before {
        return None;
    }
    Some(OverrideSpec {
        when: when?,
        set: set?,
        floor: floor?,
        cap: cap?,
        reason: reason?,
    })
}

pub(crate) fn cap(v: &Value, path: &str, p: &mut Problems) -> Option<CapSpec> {
    let o = Obj::new(v, path, "a cap", fields::<CapSpec>(), p)?;
    let before = p.len();
    let when = o.req(
        "when",
        "the condition, e.g. { \"measure\": \"p1Open\", \"op\": \">=\", \"value\": 1 }",
        p,
        |v, path, p| condition(v, path, p, "invalid_cap"),
    );
    let max = o.req(
        "max",
        "the highest score allowed while the condition holds, e.g. 49",
        p,
        number,
    );
    let reason = o.req(
        "reason",
        "a sentence shown in the scorecard, e.g. \"Open P1 incident\"",
        p,
        string,
    );
    if let Some(m) = max {
        if !(0.0..=100.0).contains(&m) {
            p.push(
                "invalid_cap",
                &o.path_of("max"),
                format!("a cap of {m} is outside 0..100"),
                "scores run from 0 to 100",
            );
        }
    }
    if p.len() > before {
        return None;
    }
    Some(CapSpec {
        when: when?,
        max: max?,
        reason: reason?,
    })
}
