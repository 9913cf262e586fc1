//! Lenient deserialisation: CloudStack versions disagree on field types (numeric or string ids,
//! `"true"` or `true`, `"4"` or `4`), so every model field accepts all the reasonable forms.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

/// A type that can be read leniently from CloudStack JSON. `Ok(None)` means "treat as absent"
/// (e.g. `null`, or an empty string where a number is expected).
pub trait Lenient: Sized {
    /// Reads a value, accepting the alternative encodings CloudStack uses.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// `deserialize_with` target for every optional model field.
pub(crate) fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize_lenient(d)
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

macro_rules! lenient_number {
    ($t:ty, $name:literal) => {
        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Option<$t>;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($name)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                        <$t>::try_from(v).map(Some).map_err(E::custom)
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                        <$t>::try_from(v).map(Some).map_err(E::custom)
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                        if v.fract() == 0.0 && v.is_finite() {
                            // Integral float within range: exact conversion.
                            #[allow(clippy::cast_possible_truncation)]
                            let i = v as i64;
                            <$t>::try_from(i).map(Some).map_err(E::custom)
                        } else {
                            Err(E::custom(format!("{v} is not an integer")))
                        }
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                        let t = v.trim();
                        if t.is_empty() {
                            return Ok(None);
                        }
                        match t.parse::<$t>() {
                            Ok(n) => Ok(Some(n)),
                            // "Unlimited" and similar words: not a number, treat as absent.
                            Err(_) if !t.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                                Ok(None)
                            }
                            Err(e) => Err(E::custom(format!("{v:?}: {e}"))),
                        }
                    }
                    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                        Ok(Some(<$t>::from(u8::from(v))))
                    }
                    fn visit_map<A: de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<Self::Value, A::Error> {
                        while map
                            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                            .is_some()
                        {}
                        Ok(None)
                    }
                    fn visit_seq<A: de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<Self::Value, A::Error> {
                        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                        Ok(None)
                    }
                    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                        Ok(None)
                    }
                    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                        Ok(None)
                    }
                    fn visit_some<D: Deserializer<'de>>(
                        self,
                        d: D,
                    ) -> Result<Self::Value, D::Error> {
                        d.deserialize_any(self)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

lenient_number!(i64, "an integer (number or string)");
lenient_number!(u64, "a non-negative integer (number or string)");
lenient_number!(u32, "a non-negative integer (number or string)");
lenient_number!(i32, "an integer (number or string)");

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<f64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number (or a numeric string)")
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                // Tolerate units and percentages such as "1.78%".
                let t = v.trim().trim_end_matches('%').trim();
                Ok(t.parse::<f64>().ok())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(None)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean (or \"true\"/\"false\")")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match v.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => Ok(Some(true)),
                    "false" | "0" | "no" => Ok(Some(false)),
                    "" => Ok(None),
                    _ => Err(E::custom(format!("{v:?} is not a boolean"))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v != 0))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(v != 0))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(None)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
}

impl Lenient for serde_json::Value {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(if v.is_null() { None } else { Some(v) })
    }
}

/// Wrapper so that sequence elements can be read leniently too.
struct Item<T>(Option<T>);

impl<'de, T: Lenient> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(d).map(Item)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let items: Option<Vec<Item<T>>> = Option::deserialize(d)?;
        Ok(items.map(|v| v.into_iter().filter_map(|i| i.0).collect()))
    }
}

/// Strict delegate for nested model types (they are lenient field by field).
pub(crate) fn nested<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

/// Declares a response model: every field optional, lenient, skipped when absent on output.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "crate::de::lenient")]
                pub $field: Option<$ty>,
            )*
        }

        impl crate::de::Lenient for $name {
            fn deserialize_lenient<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                crate::de::nested(d)
            }
        }
    };
}

pub(crate) use model;
