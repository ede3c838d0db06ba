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
    let Some(t) = text.filter(|t| t.trim() != "null") else {
        return Ok(T::default());
    };
    // Read straight from the text (options such as a hierarchy's parents can
    // be large: no JSON value in between).
    let mut de = serde_json::Deserializer::from_str(t);
    let v = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) if e.inner().is_syntax() || e.inner().is_eof() => {
            return Err(crate::error::invalid_json(e.inner(), "the options").into());
        }
        Err(e) => return Err(option_error(e).into()),
    };
    de.end()
        .map_err(|e| crate::error::invalid_json(&e, "the options"))?;
    Ok(v)
}

/// [`from_json`] over a parsed document.
#[cfg_attr(not(feature = "calibrate"), allow(dead_code))]
pub(crate) fn read<T: serde::de::DeserializeOwned + Default>(
    doc: Option<&Value>,
) -> Result<T, Error> {
    let Some(doc) = doc.filter(|d| !d.is_null()) else {
        return Ok(T::default());
    };
    serde_path_to_error::deserialize(doc).map_err(option_error)
}

/// An option that could not be read, with its path and a code.
fn option_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Error {
    {
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
    }
}
