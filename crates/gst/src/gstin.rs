//! GSTIN (and UIN / OIDAR / non-resident ID) validation: length, layout per kind, State code
//! and the Luhn mod 36 check character.

use crate::{GstinError, StateCode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The kinds of 15-character GST identification numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GstinKind {
    /// A normal taxpayer: state code, PAN, entity number, `Z`, check.
    Regular,
    /// An e-commerce operator collecting tax at source (`C` in place of `Z`).
    TaxCollector,
    /// A (government) deductor of tax at source: TAN-based, `D` in place of `Z`.
    TaxDeductor,
    /// A government department ID.
    GovernmentDepartment,
    /// A UIN of a UN body, embassy or other notified person.
    UnBody,
    /// A non-resident taxable person.
    NonResident,
    /// A non-resident online information and database access/retrieval (OIDAR) supplier
    /// (prefix 99).
    Oidar,
}

/// Character classes for the layouts.
#[derive(Clone, Copy)]
enum C {
    Digit,
    Letter,
    Alnum,
    /// 1–9 or A–Z.
    Entity,
    Lit(u8),
    /// One of the given letters.
    OneOf(&'static [u8]),
}

fn matches(s: &[u8], layout: &[C; 15]) -> bool {
    s.iter().zip(layout).all(|(b, c)| match c {
        C::Digit => b.is_ascii_digit(),
        C::Letter => b.is_ascii_uppercase(),
        C::Alnum => b.is_ascii_digit() || b.is_ascii_uppercase(),
        C::Entity => (b'1'..=b'9').contains(b) || b.is_ascii_uppercase(),
        C::Lit(l) => b == l,
        C::OneOf(set) => set.contains(b),
    })
}

use C::*;

const LAYOUTS: [(GstinKind, [C; 15]); 7] = [
    (
        GstinKind::Regular,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Entity,
            Lit(b'Z'),
            Alnum,
        ],
    ),
    (
        GstinKind::TaxCollector,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Entity,
            Lit(b'C'),
            Alnum,
        ],
    ),
    (
        GstinKind::TaxDeductor,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Alnum,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Entity,
            Lit(b'D'),
            Alnum,
        ],
    ),
    (
        GstinKind::GovernmentDepartment,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Digit,
            Lit(b'Z'),
            Digit,
        ],
    ),
    (
        GstinKind::UnBody,
        [
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            OneOf(b"UO"),
            Lit(b'N'),
            Alnum,
        ],
    ),
    (
        GstinKind::NonResident,
        [
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            Lit(b'N'),
            Lit(b'R'),
            Alnum,
        ],
    ),
    (
        GstinKind::Oidar,
        [
            Lit(b'9'),
            Lit(b'9'),
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            Lit(b'O'),
            Lit(b'S'),
            Alnum,
        ],
    ),
];

/// The check character for the first 14 characters of a GSTIN: Luhn mod 36 over `0-9A-Z`,
/// weights 2, 1, 2, … from the right, each product contributing `p / 36 + p % 36`.
/// `None` if a character is outside `0-9A-Z`.
pub fn check_character(first14: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, b) in first14.bytes().rev().enumerate() {
        let v = ALPHABET.iter().position(|a| *a == b)? as u32;
        let p = v * if i % 2 == 0 { 2 } else { 1 };
        sum += p / 36 + p % 36;
    }
    Some(ALPHABET[((36 - sum % 36) % 36) as usize] as char)
}

/// A validated GST identification number. Construction trims spaces and upper-cases.
///
/// ```
/// use akashone_gst::{Gstin, GstinKind};
/// let g = Gstin::parse("29aaacb2894g1zj").unwrap();
/// assert_eq!(g.as_str(), "29AAACB2894G1ZJ");
/// assert_eq!(g.kind(), GstinKind::Regular);
/// assert_eq!(g.state_code().unwrap().name(), "Karnataka");
/// assert!(Gstin::parse("29AAACB2894G1ZK").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gstin {
    value: String,
    kind: GstinKind,
}

impl Gstin {
    /// Validates length, layout, State code (except OIDAR IDs, which start with 99) and the
    /// check character, in that order.
    pub fn parse(input: &str) -> Result<Self, GstinError> {
        let value = input.trim().to_ascii_uppercase();
        let len = value.chars().count();
        if len != 15 {
            return Err(GstinError::Length { input: value, len });
        }
        let bytes = value.as_bytes();
        let Some(kind) = LAYOUTS
            .iter()
            .find(|(_, layout)| matches(bytes, layout))
            .map(|(k, _)| *k)
        else {
            return Err(GstinError::Format { input: value });
        };
        if kind != GstinKind::Oidar {
            let code = &value[..2];
            let known = code
                .parse::<u8>()
                .ok()
                .and_then(|c| StateCode::new(c).ok())
                .is_some_and(|c| c.kind() != crate::StateKind::Foreign);
            if !known {
                return Err(GstinError::UnknownStateCode {
                    code: code.to_string(),
                    input: value,
                });
            }
        }
        let expected = check_character(&value[..14]).ok_or_else(|| GstinError::Format {
            input: value.clone(),
        })?;
        let found = value.as_bytes()[14] as char;
        if found != expected {
            return Err(GstinError::CheckCharacter {
                input: value,
                found,
                expected,
            });
        }
        Ok(Gstin { value, kind })
    }

    /// The 15 characters.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Its kind.
    pub fn kind(&self) -> GstinKind {
        self.kind
    }

    /// The State of registration; `None` for OIDAR IDs.
    pub fn state_code(&self) -> Option<StateCode> {
        if self.kind == GstinKind::Oidar {
            return None;
        }
        self.value[..2]
            .parse::<u8>()
            .ok()
            .and_then(|c| StateCode::new(c).ok())
    }

    /// The PAN inside a regular or TCS GSTIN.
    pub fn pan(&self) -> Option<&str> {
        matches!(self.kind, GstinKind::Regular | GstinKind::TaxCollector)
            .then(|| &self.value[2..12])
    }
}

impl fmt::Display for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl std::str::FromStr for Gstin {
    type Err = GstinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Gstin::parse(s)
    }
}

impl Serialize for Gstin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for Gstin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Gstin::parse(&s).map_err(serde::de::Error::custom)
    }
}
