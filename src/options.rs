//! Reading a call's options (`{ at, ignoreUnknown }`, the calibration
//! options, …) from JSON with serde: one options type per call, declared
//! once in Rust (`deny_unknown_fields`, defaults in the type), exported to
//! the JSON Schema from which the TypeScript types are generated.

use crate::error::{Error, Errors};
use serde_json::Value;

/// Reads options from JSON text (`None` or `null`: the defaults). A
/// misspelt option is `unknown_field`, a wrong type `wrong_type`, a bad
/// value `invalid_value`, each with the option's path.
pub fn from_json<T: serde::de::DeserializeOwned + Default>(
    text: Option<&str>,
) -> Result<T, Errors> {
    let doc = match text {
        Some(t) => Some(crate::error::parse_json(t, "the options")?),
        None => None,
    };
    Ok(read(doc.as_ref())?)
}

/// [`from_json`] over a parsed document.
pub(crate) fn read<T: serde::de::DeserializeOwned + Default>(
    doc: Option<&Value>,
) -> Result<T, Error> {
    let Some(doc) = doc.filter(|d| !d.is_null()) else {
        return Ok(T::default());
    };
    serde_path_to_error::deserialize(doc.clone()).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner().to_string();
        let (code, help) = if inner.starts_with("unknown field") {
            (
                "unknown_field",
                "unknown options are refused so that a typo cannot silently change a result; see the options of this call in the docs",
            )
        } else if inner.starts_with("invalid type") {
            ("wrong_type", "see the type of this option in the docs")
        } else {
            ("invalid_value", "see the options of this call in the docs")
        };
        Error::new(code, path, format!("bad option: {inner}"), help)
    })
}
