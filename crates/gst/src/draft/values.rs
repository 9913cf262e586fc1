//! The validated values a draft names: PIN codes, brand colours, UPI ids, IFSCs and HSN/SAC
//! codes. Each is checked when it is read.

use crate::GstError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A six-digit Indian PIN code, first digit 1–9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinCode(u32);

impl PinCode {
    /// Validates `"560103"`.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim();
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0') {
            s.parse()
                .map(PinCode)
                .map_err(|_| GstError::invalid("pin", input, "expected six digits"))
        } else {
            Err(GstError::invalid(
                "pin",
                input,
                "a PIN code has six digits and does not start with 0",
            ))
        }
    }

    /// The number.
    pub const fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for PinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for PinCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for PinCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u32),
            Text(String),
        }
        let s = match Raw::deserialize(d)? {
            Raw::Int(i) => i.to_string(),
            Raw::Text(s) => s,
        };
        PinCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An `#RRGGBB` colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BrandColour {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl BrandColour {
    /// Reads `#1f6feb` or `1F6FEB`.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim().trim_start_matches('#');
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(GstError::invalid(
                "brand_colour",
                input,
                "expected a colour like \"#1F6FEB\"",
            ));
        }
        let c = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0);
        Ok(BrandColour {
            r: c(0),
            g: c(2),
            b: c(4),
        })
    }
}

impl fmt::Display for BrandColour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

impl Serialize for BrandColour {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for BrandColour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BrandColour::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A UPI virtual payment address, `name@handle`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpiId(String);

impl UpiId {
    /// Validates `nimbus@okaxis`.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim();
        let ok = s.split_once('@').is_some_and(|(name, handle)| {
            !name.is_empty()
                && name.len() <= 256
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                && handle.len() >= 2
                && handle.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if ok {
            Ok(UpiId(s.to_string()))
        } else {
            Err(GstError::invalid(
                "upi_id",
                input,
                "expected a UPI ID like \"name@bank\"",
            ))
        }
    }

    /// The ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for UpiId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for UpiId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        UpiId::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An Indian Financial System Code: four letters, `0`, six letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ifsc(String);

impl Ifsc {
    /// Validates `HDFC0000523`.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = b.len() == 11
            && b[..4].iter().all(u8::is_ascii_uppercase)
            && b[4] == b'0'
            && b[5..].iter().all(u8::is_ascii_alphanumeric);
        if ok {
            Ok(Ifsc(s))
        } else {
            Err(GstError::invalid(
                "ifsc",
                input,
                "an IFSC is 4 letters, 0, then 6 letters or digits",
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Ifsc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Ifsc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ifsc::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A six-digit SAC (services) or a 4/6/8-digit HSN code (goods).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HsnSac(String);

impl HsnSac {
    /// Validates `998315`.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim();
        if matches!(s.len(), 4 | 6 | 8) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(HsnSac(s.to_string()))
        } else {
            Err(GstError::invalid(
                "sac",
                input,
                "a SAC/HSN code has 4, 6 or 8 digits (998315 for cloud hosting/IaaS)",
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for SAC codes (chapter 99): services.
    pub fn is_service(&self) -> bool {
        self.0.starts_with("99")
    }
}

impl fmt::Display for HsnSac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for HsnSac {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for HsnSac {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u64),
            Text(String),
        }
        let s = match Raw::deserialize(d)? {
            Raw::Int(i) => i.to_string(),
            Raw::Text(s) => s,
        };
        HsnSac::parse(&s).map_err(serde::de::Error::custom)
    }
}
