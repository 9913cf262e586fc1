//! Exact amounts: money in integer paise, unit prices in thousandths of a rupee, quantities in
//! thousandths of a unit, rates in hundredths of a percent. No floating point anywhere.
//!
//! Rounding is half-up (half away from zero for negatives), as the worked example requires:
//! 174.285 → 174.29, where banker's rounding would give 174.28.

use crate::GstError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Neg, Sub};

mod rate;

pub use rate::{Discount, GstRate, Percent};

/// The largest amount this library handles on one line or invoice: ₹10 lakh crore
/// (10^13 rupees = 10^15 paise). Sums of up to a thousand such amounts still fit an `i64`.
pub const MAX_PAISE: i64 = 1_000_000_000_000_000;

/// Divides `n` by `d` (> 0), rounding half away from zero.
pub(crate) fn div_round_half_up(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        if n >= 0 { q + 1 } else { q - 1 }
    } else {
        q
    }
}

/// Reads a plain decimal (`123`, `-0.26`, `7.200`) with at most `max_dp` decimals, scaled by
/// 10^`max_dp`. No signs other than a leading `-`, no exponents, no grouping commas.
fn parse_scaled(input: &str, max_dp: u32) -> Result<i128, String> {
    let s = input.trim();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            "expected a plain decimal number such as 1234.50 (no commas or exponents)".into(),
        );
    }
    if digits.contains('.') && frac_part.is_empty() {
        return Err("a decimal point must be followed by digits".into());
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a plain decimal number such as 1234.50".into());
    }
    if frac_part.len() > max_dp as usize {
        return Err(format!("at most {max_dp} decimal places are allowed"));
    }
    let int_trimmed = int_part.trim_start_matches('0');
    if int_trimmed.len() > 18 {
        return Err("the number is too large".into());
    }
    let mut value: i128 = 0;
    for b in int_part.bytes() {
        value = value * 10 + i128::from(b - b'0');
    }
    let mut frac_len = 0;
    for b in frac_part.bytes() {
        value = value * 10 + i128::from(b - b'0');
        frac_len += 1;
    }
    for _ in frac_len..max_dp {
        value *= 10;
    }
    Ok(if negative { -value } else { value })
}

/// Writes `value / 10^dp` with between `min_dp` and `dp` decimals (trailing zeros trimmed
/// down to `min_dp`).
fn format_scaled(value: i128, dp: u32, min_dp: u32) -> String {
    let scale = 10i128.pow(dp);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.abs();
    let int = abs / scale;
    let mut frac = format!("{:0width$}", abs % scale, width = dp as usize);
    while frac.len() > min_dp as usize && frac.ends_with('0') {
        frac.pop();
    }
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// Groups an integer's digits the Indian way: 1,23,45,678.
fn group_indian(int: u128) -> String {
    let digits = int.to_string();
    if digits.len() <= 3 {
        return digits;
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut groups = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (a, b) = rest.split_at(rest.len() - 2);
        groups.push(b);
        rest = a;
    }
    groups.push(rest);
    groups.reverse();
    format!("{},{last3}", groups.join(","))
}

/// An amount of money in paise (₹1 = 100 paise). Always within ±[`MAX_PAISE`].
///
/// Serialised as a decimal rupee string with two decimals, e.g. `"16211.26"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Paise(i64);

impl Paise {
    /// Zero rupees.
    pub const ZERO: Paise = Paise(0);

    /// An amount of `paise` paise; `None` beyond ±[`MAX_PAISE`].
    pub const fn new(paise: i64) -> Option<Self> {
        if paise > MAX_PAISE || paise < -MAX_PAISE {
            None
        } else {
            Some(Paise(paise))
        }
    }

    /// Whole rupees.
    pub const fn from_rupees(rupees: i64) -> Option<Self> {
        match rupees.checked_mul(100) {
            Some(p) => Self::new(p),
            None => None,
        }
    }

    /// Reads a rupee amount such as `"1004.40"`, `"-0.26"` or `"2000"` (at most two decimals).
    pub fn parse_rupees(input: &str) -> Result<Self, GstError> {
        let v = parse_scaled(input, 2).map_err(|r| GstError::invalid("amount", input, r))?;
        i64::try_from(v)
            .ok()
            .and_then(Self::new)
            .ok_or_else(|| GstError::invalid("amount", input, "the amount is too large"))
    }

    pub(crate) fn from_i128(v: i128, what: &str) -> Result<Self, GstError> {
        i64::try_from(v)
            .ok()
            .and_then(Self::new)
            .ok_or_else(|| GstError::Overflow(what.to_string()))
    }

    /// The amount in paise.
    pub const fn as_i64(self) -> i64 {
        self.0
    }

    /// Rupees with two decimals, no grouping: `16211.26`, `-0.26`.
    pub fn to_rupee_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Rupees with two decimals and Indian digit grouping: `16,211.26`, `1,18,000.00`.
    pub fn to_indian_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!(
            "{sign}{}.{:02}",
            group_indian(u128::from(abs / 100)),
            abs % 100
        )
    }

    /// Rounded to the nearest rupee, 50 paise and above going up (away from zero).
    pub fn round_to_rupee(self) -> Self {
        Paise(div_round_half_up(i128::from(self.0), 100) as i64 * 100)
    }

    /// Adds, or `None` beyond ±[`MAX_PAISE`].
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).and_then(Self::new)
    }

    /// Subtracts, or `None` beyond ±[`MAX_PAISE`].
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).and_then(Self::new)
    }

    /// `self × bp / 10_000`, rounded half-up to paise (`bp` in hundredths of a percent).
    pub(crate) fn percent_of(self, bp: u32, halves: bool) -> Self {
        let d: i128 = if halves { 20_000 } else { 10_000 };
        // |self| ≤ 10^15 and bp ≤ 10^4: the result is at most |self|, always in range.
        Paise(div_round_half_up(i128::from(self.0) * i128::from(bp), d) as i64)
    }

    /// True when below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl fmt::Display for Paise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rupee_string())
    }
}

/// Panics on overflow beyond `i64`; amounts built by this crate stay far below that.
impl Add for Paise {
    type Output = Paise;
    fn add(self, rhs: Paise) -> Paise {
        Paise(self.0 + rhs.0)
    }
}

/// Panics on overflow beyond `i64`; amounts built by this crate stay far below that.
impl Sub for Paise {
    type Output = Paise;
    fn sub(self, rhs: Paise) -> Paise {
        Paise(self.0 - rhs.0)
    }
}

impl Neg for Paise {
    type Output = Paise;
    fn neg(self) -> Paise {
        Paise(-self.0)
    }
}

impl Sum for Paise {
    fn sum<I: Iterator<Item = Paise>>(iter: I) -> Paise {
        iter.fold(Paise::ZERO, |a, b| a + b)
    }
}

impl<'a> Sum<&'a Paise> for Paise {
    fn sum<I: Iterator<Item = &'a Paise>>(iter: I) -> Paise {
        iter.copied().sum()
    }
}

impl Serialize for Paise {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rupee_string())
    }
}

impl<'de> Deserialize<'de> for Paise {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Paise::parse_rupees(&s).map_err(serde::de::Error::custom)
    }
}

/// A unit price in thousandths of a rupee (the e-invoice `UnitPrice` has three decimals),
/// never negative, at most ₹10^12 a unit.
///
/// Serialised as a decimal rupee string: `"11.25"`, `"0.417"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitPrice(i64);

impl UnitPrice {
    const MAX_MILLI: i64 = 1_000_000_000_000_000;

    /// A price of `milli_rupees` thousandths of a rupee.
    pub fn from_milli_rupees(milli_rupees: i64) -> Result<Self, GstError> {
        if !(0..=Self::MAX_MILLI).contains(&milli_rupees) {
            return Err(GstError::invalid(
                "unit_price",
                milli_rupees.to_string(),
                "a unit price must be between 0 and ₹10^12",
            ));
        }
        Ok(UnitPrice(milli_rupees))
    }

    /// A price in whole paise.
    pub fn from_paise(paise: i64) -> Result<Self, GstError> {
        paise
            .checked_mul(10)
            .ok_or_else(|| GstError::invalid("unit_price_paise", paise.to_string(), "too large"))
            .and_then(Self::from_milli_rupees)
            .map_err(|_| {
                GstError::invalid(
                    "unit_price_paise",
                    paise.to_string(),
                    "a unit price must be between 0 and ₹10^12",
                )
            })
    }

    /// Reads a rupee price with at most three decimals: `"11.250"`, `"0.417"`.
    pub fn parse_rupees(input: &str) -> Result<Self, GstError> {
        let v = parse_scaled(input, 3).map_err(|r| GstError::invalid("unit_price", input, r))?;
        if v < 0 {
            return Err(GstError::invalid(
                "unit_price",
                input,
                "a unit price cannot be negative",
            ));
        }
        i64::try_from(v)
            .ok()
            .filter(|v| *v <= Self::MAX_MILLI)
            .map(UnitPrice)
            .ok_or_else(|| GstError::invalid("unit_price", input, "the price is too large"))
    }

    /// The price in thousandths of a rupee.
    pub const fn milli_rupees(self) -> i64 {
        self.0
    }

    /// Two decimals, or three when the third is not zero: `11.25`, `7.20`, `0.417`.
    pub fn to_rupee_string(self) -> String {
        format_scaled(i128::from(self.0), 3, 2)
    }
}

impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rupee_string())
    }
}

impl Serialize for UnitPrice {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rupee_string())
    }
}

impl<'de> Deserialize<'de> for UnitPrice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        UnitPrice::parse_rupees(&s).map_err(serde::de::Error::custom)
    }
}

/// A quantity in thousandths of a unit (three decimals, like the e-invoice `Qty`), greater than
/// zero and at most 10^12 units.
///
/// Serialised as a decimal string with trailing zeros trimmed: `"744"`, `"512.5"`. Read from a
/// decimal string or a JSON integer (whole units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i64);

impl Quantity {
    const MAX_MILLI: i64 = 1_000_000_000_000_000;

    /// A quantity of `milli` thousandths of a unit.
    pub fn from_milli(milli: i64) -> Result<Self, GstError> {
        if milli <= 0 || milli > Self::MAX_MILLI {
            return Err(GstError::invalid(
                "quantity_milli",
                milli.to_string(),
                "a quantity must be greater than zero and at most 10^12 units",
            ));
        }
        Ok(Quantity(milli))
    }

    /// Reads `"512.5"`, `"744"` (at most three decimals).
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let v = parse_scaled(input, 3).map_err(|r| GstError::invalid("quantity", input, r))?;
        i64::try_from(v)
            .ok()
            .filter(|v| *v > 0 && *v <= Self::MAX_MILLI)
            .map(Quantity)
            .ok_or_else(|| {
                GstError::invalid(
                    "quantity",
                    input,
                    "a quantity must be greater than zero and at most 10^12 units",
                )
            })
    }

    /// The quantity in thousandths of a unit.
    pub const fn milli(self) -> i64 {
        self.0
    }

    /// Decimal with trailing zeros trimmed: `744`, `512.5`.
    pub fn to_decimal_string(self) -> String {
        format_scaled(i128::from(self.0), 3, 0)
    }

    /// Like [`Quantity::to_decimal_string`] with Indian grouping of the integer part: `2,232`.
    pub fn to_indian_string(self) -> String {
        let s = self.to_decimal_string();
        match s.split_once('.') {
            Some((i, f)) => format!("{}.{f}", group_indian(i.parse().unwrap_or(0))),
            None => group_indian(s.parse().unwrap_or(0)),
        }
    }

    /// `quantity × price`, rounded half-up to paise.
    pub fn times(self, price: UnitPrice) -> Result<Paise, GstError> {
        // milli-units × milli-rupees = 10^-6 rupees = 10^-4 paise.
        let v = div_round_half_up(i128::from(self.0) * i128::from(price.0), 10_000);
        Paise::from_i128(v, "quantity × unit price")
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal_string())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Text(String),
            Float(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Int(units) => units
                .checked_mul(1000)
                .ok_or_else(|| serde::de::Error::custom("quantity is too large"))
                .and_then(|m| Quantity::from_milli(m).map_err(serde::de::Error::custom)),
            Raw::Text(s) => Quantity::parse(&s).map_err(serde::de::Error::custom),
            Raw::Float(f) => Err(serde::de::Error::custom(format!(
                "quantity {f} must be written as a string (\"{f}\") or an integer, so it stays exact"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up() {
        assert_eq!(div_round_half_up(174285, 1000), 174);
        assert_eq!(div_round_half_up(1742850, 10000), 174);
        assert_eq!(div_round_half_up(15, 10), 2);
        assert_eq!(div_round_half_up(-15, 10), -2);
        assert_eq!(div_round_half_up(-14, 10), -1);
    }

    #[test]
    fn scaled() {
        assert_eq!(parse_scaled("7.2", 3), Ok(7200));
        assert_eq!(parse_scaled("-0.26", 2), Ok(-26));
        assert!(parse_scaled("1e3", 2).is_err());
        assert!(parse_scaled("1,000", 2).is_err());
        assert!(parse_scaled(".5", 2).is_err());
        assert!(parse_scaled("5.", 2).is_err());
        assert!(parse_scaled("0.001", 2).is_err());
        assert_eq!(format_scaled(11250, 3, 2), "11.25");
        assert_eq!(format_scaled(417, 3, 2), "0.417");
        assert_eq!(format_scaled(744000, 3, 0), "744");
    }

    #[test]
    fn indian_grouping() {
        assert_eq!(group_indian(100000000), "10,00,00,000");
        assert_eq!(group_indian(118000), "1,18,000");
        assert_eq!(group_indian(999), "999");
        assert_eq!(group_indian(1000), "1,000");
    }
}
