//! The names serde gives a type's fields and variants, read from the type's
//! own `Deserialize` (its renames applied), so that the hand-written reader
//! (`crate::read`), which reports every mistake with its path, never keeps a
//! second list of them.
//!
//! A derived `Deserialize` for a struct calls `deserialize_struct(name,
//! FIELDS, …)` and for an enum `deserialize_enum(name, VARIANTS, …)`; the
//! small deserializer here records that list and stops.

use serde::de::{self, value::Error, DeserializeOwned, Deserializer, Visitor};
use serde::forward_to_deserialize_any;

struct Names<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for Names<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("names only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        *self.0 = fields;
        Err(de::Error::custom("names only"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        *self.0 = variants;
        Err(de::Error::custom("names only"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

fn names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut out: &'static [&'static str] = &[];
    let _ = T::deserialize(Names(&mut out));
    out
}

/// The JSON field names of struct `T` (empty for a type that is not a
/// derived struct).
pub(crate) fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    names::<T>()
}

/// The JSON names of the unit variants of enum `T`.
pub(crate) fn variants<T: DeserializeOwned>() -> &'static [&'static str] {
    names::<T>()
}

/// The variant of enum `T` that serde reads from `name`, if any.
pub(crate) fn variant<T: DeserializeOwned>(name: &str) -> Option<T> {
    T::deserialize(de::value::StrDeserializer::<Error>::new(name)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec::{Aggregation, AlertKind, MissingPolicy, ModelSpec, Op};

    #[test]
    fn names_follow_the_serde_renames() {
        assert_eq!(variants::<Aggregation>(), ["weighted", "points"]);
        assert_eq!(variants::<Op>(), ["<", "<=", ">", ">=", "==", "!="]);
        assert_eq!(
            variant::<MissingPolicy>("neutral"),
            Some(MissingPolicy::Neutral)
        );
        assert_eq!(variant::<MissingPolicy>("Neutral"), None);
        assert!(fields::<ModelSpec>().contains(&"minCoverage"));
        // `as_str` (serde's name at the variant's position) reads back as the variant.
        for k in [
            AlertKind::BandChanged,
            AlertKind::ScoreDropped,
            AlertKind::DecliningWhileHealthy,
            AlertKind::ApproachingBand,
            AlertKind::Improving,
            AlertKind::ModelChanged,
        ] {
            assert_eq!(variant::<AlertKind>(k.as_str()), Some(k));
        }
        for m in [
            MissingPolicy::Skip,
            MissingPolicy::Neutral,
            MissingPolicy::Worst,
            MissingPolicy::Error,
            MissingPolicy::Impute,
        ] {
            assert_eq!(variant::<MissingPolicy>(m.as_str()), Some(m));
        }
    }
}
