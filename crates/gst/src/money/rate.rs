//! Percentages, GST rates and discounts.

use super::{Paise, format_scaled, parse_scaled};
use crate::GstError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A percentage in hundredths of a percent (basis points), from 0 to 100 %.
///
/// Serialised as a decimal string: `"18"`, `"12.5"`, `"0.25"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(u32);

impl Percent {
    /// 0 %.
    pub const ZERO: Percent = Percent(0);

    /// From hundredths of a percent (1800 = 18 %).
    pub fn from_basis_points(bp: u32) -> Result<Self, GstError> {
        if bp > 10_000 {
            return Err(GstError::invalid(
                "percent",
                format_scaled(i128::from(bp), 2, 0),
                "a percentage must be between 0 and 100",
            ));
        }
        Ok(Percent(bp))
    }

    /// Reads `"12"`, `"12.5"`, `"0.25"` (at most two decimals).
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let v = parse_scaled(input, 2).map_err(|r| GstError::invalid("percent", input, r))?;
        if !(0..=10_000).contains(&v) {
            return Err(GstError::invalid(
                "percent",
                input,
                "a percentage must be between 0 and 100",
            ));
        }
        Ok(Percent(v as u32))
    }

    /// Hundredths of a percent.
    pub const fn basis_points(self) -> u32 {
        self.0
    }

    /// Half of this rate (for CGST + SGST/UTGST), exact to a thousandth of a percent; written
    /// as a string: `9`, `2.5`, `0.125`.
    pub fn half_string(self) -> String {
        format_scaled(i128::from(self.0) * 5, 3, 0)
    }

    /// Decimal with trailing zeros trimmed: `18`, `12.5`.
    pub fn to_decimal_string(self) -> String {
        format_scaled(i128::from(self.0), 2, 0)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal_string())
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = text_or_integer(d, "percentage")?;
        Percent::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Reads a JSON string, or an integer as its decimal text; refuses JSON floats (inexact).
fn text_or_integer<'de, D: Deserializer<'de>>(d: D, what: &str) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Text(String),
        Float(f64),
    }
    match Raw::deserialize(d)? {
        Raw::Int(i) => Ok(i.to_string()),
        Raw::Text(s) => Ok(s),
        Raw::Float(f) => Err(serde::de::Error::custom(format!(
            "{what} {f} must be written as a string (\"{f}\") or an integer, so it stays exact"
        ))),
    }
}

/// A GST rate: one of the notified slabs (0, 0.1, 0.25, 1, 1.5, 3, 5, 6, 7.5, 12, 18, 28,
/// 40 %). Heading 9983 (cloud/IaaS, SAC 998315) is 18 %.
///
/// Serialised as a decimal string (`"18"`); read from a string or an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct GstRate(Percent);

impl GstRate {
    /// The slabs accepted, in basis points.
    pub const SLABS_BP: [u32; 13] = [
        0, 10, 25, 100, 150, 300, 500, 600, 750, 1200, 1800, 2800, 4000,
    ];

    /// 18 %, the rate for SAC 9983xx services.
    pub const STANDARD: GstRate = GstRate(Percent(1800));

    /// Checks `rate` against the slabs.
    pub fn new(rate: Percent) -> Result<Self, GstError> {
        if Self::SLABS_BP.contains(&rate.0) {
            Ok(GstRate(rate))
        } else {
            Err(GstError::invalid(
                "gst_rate",
                rate.to_decimal_string(),
                "not a GST rate; expected one of 0, 0.1, 0.25, 1, 1.5, 3, 5, 6, 7.5, 12, 18, 28, 40",
            ))
        }
    }

    /// Reads `"18"`.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let p = Percent::parse(input).map_err(|e| e.in_field("gst_rate."))?;
        Self::new(p)
    }

    /// The rate as a percentage.
    pub const fn percent(self) -> Percent {
        self.0
    }
}

impl fmt::Display for GstRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for GstRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = text_or_integer(d, "GST rate")?;
        GstRate::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A discount shown on the invoice before supply (s.15(3)(a) CGST Act: excluded from the
/// taxable value).
///
/// JSON: `{"percent": "12"}` or `{"amount": "1004.40"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Discount {
    /// A percentage of the line's gross value, rounded half-up to paise.
    Percent(Percent),
    /// A fixed amount, at most the line's gross value.
    Amount(Paise),
}

impl Discount {
    /// The discount on a line of gross value `gross`.
    pub fn on(self, gross: Paise) -> Result<Paise, GstError> {
        match self {
            Discount::Percent(p) => Ok(gross.percent_of(p.0, false)),
            Discount::Amount(a) if a.is_negative() => Err(GstError::invalid(
                "discount.amount",
                a.to_rupee_string(),
                "a discount cannot be negative",
            )),
            Discount::Amount(a) if a > gross => Err(GstError::invalid(
                "discount.amount",
                a.to_rupee_string(),
                format!("the discount exceeds the line's value {gross}"),
            )),
            Discount::Amount(a) => Ok(a),
        }
    }
}
