//! The canonical JSON of a model and its SHA-256.
//!
//! Canonical form: the normalised model (defaults filled in) with object keys
//! sorted by their UTF-8 bytes, no whitespace, and numbers written the same
//! way everywhere: a whole number of magnitude below 2^53 as an integer
//! (`50`, not `50.0`), any other number in the shortest form that reads back
//! to the same `f64` (`0.5`, `1e-7`).

use super::spec::ModelSpec;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write;

pub(crate) fn canonical(spec: &ModelSpec) -> String {
    canonical_of(spec)
}

/// The canonical JSON of any validated document (a model, a model set).
pub(crate) fn canonical_of<T: serde::Serialize>(doc: &T) -> String {
    // serde_json's Map is a BTreeMap (no `preserve_order`), so keys come out sorted.
    let v = serde_json::to_value(doc).expect("a validated document serialises");
    let mut out = String::new();
    write(&v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Bool(_) | Value::String(_) => out.push_str(&v.to_string()),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}");
            } else {
                let x = n.as_f64().unwrap_or(0.0);
                if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
                    let _ = write!(out, "{}", x as i64);
                } else {
                    out.push_str(&n.to_string());
                }
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(item, out);
            }
            out.push('}');
        }
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn whole_numbers_are_integers() {
        let mut s = String::new();
        write(
            &serde_json::json!({"b": 50.0, "a": [0.5, -0.0, 1e300]}),
            &mut s,
        );
        assert_eq!(s, r#"{"a":[0.5,0,1e+300],"b":50}"#);
    }
}
