//! Invoice numbers (rule 46(b)): consecutive, at most 16 characters from letters, digits, `-`
//! and `/`, unique per seller GSTIN and financial year (April–March).
//!
//! Formatting and validation are pure; handing out the next number is the job of an
//! [`InvoiceNumberSequence`]. [`InMemorySequence`] is one behind a mutex; the server will
//! implement the trait over its database.

use crate::{GstError, Gstin};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use time::{Date, Month};

/// A document number that satisfies rule 46(b): 1–16 characters, only `A-Z a-z 0-9 / -`.
///
/// ```
/// use akashone_gst::InvoiceNumber;
/// let n = InvoiceNumber::parse("NCS/25-26/000123").unwrap();
/// assert!(n.is_irp_compatible());
/// assert!(InvoiceNumber::parse("NCS/2025-26/000123").is_err()); // 18 characters
/// assert!(InvoiceNumber::parse("NCS 25").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InvoiceNumber(String);

impl InvoiceNumber {
    /// The longest number rule 46 allows.
    pub const MAX_LEN: usize = 16;

    /// Validates `input` (surrounding spaces are trimmed).
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim();
        let bad = |reason: &str| GstError::InvalidInvoiceNumber {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        if s.is_empty() {
            return Err(bad("it is empty"));
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(bad("rule 46(b) allows at most 16 characters"));
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '/' || *c == '-'))
        {
            return Err(bad(&format!(
                "{c:?} is not allowed; only letters, digits, '/' and '-'"
            )));
        }
        Ok(InvoiceNumber(s.to_string()))
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the IRP also accepts it: the first character may not be `0`, `/` or `-`
    /// (pattern `^[a-zA-Z1-9][a-zA-Z0-9/-]{0,15}$`).
    pub fn is_irp_compatible(&self) -> bool {
        !matches!(self.0.as_bytes().first(), Some(b'0' | b'/' | b'-') | None)
    }
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for InvoiceNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for InvoiceNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        InvoiceNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An Indian financial year, 1 April to 31 March, named by the calendar year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear {
    start_year: i32,
}

/// The financial year a date falls in: 2025-11-01 → 2025-26; 2026-03-31 → 2025-26.
///
/// ```
/// use akashone_gst::financial_year;
/// use time::macros::date;
/// assert_eq!(financial_year(date!(2025-11-01)).to_string(), "2025-26");
/// assert_eq!(financial_year(date!(2026-03-31)).to_string(), "2025-26");
/// assert_eq!(financial_year(date!(2026-04-01)).to_string(), "2026-27");
/// ```
pub fn financial_year(date: Date) -> FinancialYear {
    FinancialYear::of(date)
}

impl FinancialYear {
    /// The year `date` falls in.
    pub fn of(date: Date) -> Self {
        let y = date.year();
        FinancialYear {
            start_year: if date.month() >= Month::April {
                y
            } else {
                y - 1
            },
        }
    }

    /// The year starting on 1 April of `start_year`.
    pub const fn starting_in(start_year: i32) -> Self {
        FinancialYear { start_year }
    }

    /// The calendar year of its 1 April.
    pub const fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 April.
    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.start_year, Month::April, 1).unwrap_or(Date::MIN)
    }

    /// 31 March of the next calendar year.
    pub fn last_day(self) -> Date {
        Date::from_calendar_date(self.start_year + 1, Month::March, 31).unwrap_or(Date::MAX)
    }

    /// Whether `date` lies in it.
    pub fn contains(self, date: Date) -> bool {
        Self::of(date) == self
    }

    /// The next one.
    pub const fn next(self) -> Self {
        FinancialYear {
            start_year: self.start_year + 1,
        }
    }

    /// `25-26`, as used inside invoice numbers.
    pub fn short_label(self) -> String {
        format!(
            "{:02}-{:02}",
            self.start_year.rem_euclid(100),
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

/// `2025-26` (the form the IRN hash uses).
impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// How a series writes its numbers: `{prefix}/{yy-yy}/{sequence, zero-padded}`, e.g.
/// `NCS/25-26/000123`. An empty prefix gives `25-26/000123`.
///
/// Each prefix is its own series (tax invoices, exports, credit notes, debit notes), numbered
/// per seller GSTIN and financial year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "SeriesFormatRaw", into = "SeriesFormatRaw")]
pub struct SeriesFormat {
    prefix: String,
    digits: u8,
}

#[derive(Serialize, Deserialize)]
struct SeriesFormatRaw {
    prefix: String,
    digits: u8,
}

impl TryFrom<SeriesFormatRaw> for SeriesFormat {
    type Error = GstError;
    fn try_from(r: SeriesFormatRaw) -> Result<Self, GstError> {
        SeriesFormat::new(&r.prefix, r.digits)
    }
}

impl From<SeriesFormat> for SeriesFormatRaw {
    fn from(s: SeriesFormat) -> Self {
        SeriesFormatRaw {
            prefix: s.prefix,
            digits: s.digits,
        }
    }
}

impl SeriesFormat {
    /// A series whose every number fits 16 characters and the IRP's pattern.
    ///
    /// ```
    /// use akashone_gst::SeriesFormat;
    /// assert!(SeriesFormat::new("NCS", 6).is_ok());   // NCS/25-26/000001: 16 characters
    /// assert!(SeriesFormat::new("NCSX", 6).is_err()); // 17 characters
    /// ```
    pub fn new(prefix: &str, digits: u8) -> Result<Self, GstError> {
        let bad = |reason: String| GstError::InvalidValue {
            field: "series".into(),
            input: format!("{prefix} with {digits} digits"),
            reason,
        };
        if !(1..=12).contains(&digits) {
            return Err(bad("the sequence needs 1 to 12 digits".into()));
        }
        if let Some(c) = prefix
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '/' || *c == '-'))
        {
            return Err(bad(format!(
                "{c:?} is not allowed in a prefix; only letters, digits, '/' and '-'"
            )));
        }
        if matches!(prefix.as_bytes().first(), Some(b'0' | b'/' | b'-')) {
            return Err(bad(
                "the IRP refuses numbers starting with '0', '/' or '-'".into()
            ));
        }
        let len = if prefix.is_empty() {
            0
        } else {
            prefix.len() + 1
        } + 5
            + 1
            + digits as usize;
        if len > InvoiceNumber::MAX_LEN {
            return Err(bad(format!(
                "numbers would be {len} characters long; rule 46(b) allows 16"
            )));
        }
        Ok(SeriesFormat {
            prefix: prefix.to_string(),
            digits,
        })
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Digits of the zero-padded sequence.
    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// The largest sequence number that fits.
    pub fn max_sequence(&self) -> u64 {
        10u64.pow(u32::from(self.digits)) - 1
    }

    /// The `sequence`-th number (from 1) of `fy`.
    pub fn format(&self, fy: FinancialYear, sequence: u64) -> Result<InvoiceNumber, GstError> {
        if sequence == 0 {
            return Err(GstError::invalid("sequence", "0", "sequences start at 1"));
        }
        if sequence > self.max_sequence() {
            return Err(GstError::SeriesExhausted {
                series: self.prefix.clone(),
                financial_year: fy.to_string(),
                last: self.max_sequence(),
            });
        }
        let seq = format!("{sequence:0width$}", width = self.digits as usize);
        let s = if self.prefix.is_empty() {
            format!("{}/{seq}", fy.short_label())
        } else {
            format!("{}/{}/{seq}", self.prefix, fy.short_label())
        };
        InvoiceNumber::parse(&s)
    }
}

/// Hands out consecutive numbers: per seller GSTIN, series and financial year, starting at 1,
/// never repeating, never skipping.
pub trait InvoiceNumberSequence {
    /// The next number of `series` for `seller` in the financial year of `date`.
    fn next_number(
        &self,
        seller: &Gstin,
        series: &SeriesFormat,
        date: Date,
    ) -> Result<InvoiceNumber, GstError>;
}

type SeriesKey = (Gstin, String, FinancialYear);

/// An [`InvoiceNumberSequence`] in memory, safe to share between threads.
#[derive(Debug, Default)]
pub struct InMemorySequence {
    last: Mutex<HashMap<SeriesKey, u64>>,
}

impl InMemorySequence {
    /// Empty: every series starts at 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resumes a series whose last number handed out was `last`.
    pub fn resume(&self, seller: &Gstin, series: &SeriesFormat, fy: FinancialYear, last: u64) {
        let mut map = self.last.lock().unwrap_or_else(|p| p.into_inner());
        map.insert((seller.clone(), series.prefix.clone(), fy), last);
    }

    /// The last sequence number handed out (0 if none).
    pub fn last(&self, seller: &Gstin, series: &SeriesFormat, fy: FinancialYear) -> u64 {
        let map = self.last.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(seller.clone(), series.prefix.clone(), fy))
            .copied()
            .unwrap_or(0)
    }
}

impl InvoiceNumberSequence for InMemorySequence {
    fn next_number(
        &self,
        seller: &Gstin,
        series: &SeriesFormat,
        date: Date,
    ) -> Result<InvoiceNumber, GstError> {
        let fy = FinancialYear::of(date);
        // The map only changes after the number is formatted, so a poisoned lock still holds
        // a consistent state.
        let mut map = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let last = map
            .entry((seller.clone(), series.prefix.clone(), fy))
            .or_insert(0);
        let number = series.format(fy, *last + 1)?;
        *last += 1;
        Ok(number)
    }
}
