//! GST State/UT codes (the first two digits of a GSTIN, the e-invoice `Stcd`/`Pos`).
//!
//! The table is the project's `state_codes.csv`, embedded; a test checks it against the csv.

use crate::GstError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What kind of territory a code stands for; decides SGST versus UTGST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    /// A State: CGST + SGST inside it.
    State,
    /// A Union Territory with a legislature (Delhi, Puducherry, Jammu and Kashmir): SGST.
    UtWithLegislature,
    /// A Union Territory without a legislature: CGST + UTGST inside it.
    UtWithoutLegislature,
    /// "Other Territory" (97): UTGST.
    OtherTerritory,
    /// Outside India (96): the place of supply of an export.
    Foreign,
    /// Codes no longer used for new invoices (25 Daman and Diu, 28 undivided Andhra Pradesh).
    Legacy,
}

impl StateKind {
    /// The csv spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::UtWithLegislature => "ut_with_legislature",
            Self::UtWithoutLegislature => "ut_without_legislature",
            Self::OtherTerritory => "other_territory",
            Self::Foreign => "foreign",
            Self::Legacy => "legacy",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateInfo {
    /// The numeric code (1–38, 96, 97).
    pub code: u8,
    /// The name as printed.
    pub name: &'static str,
    /// Its kind.
    pub kind: StateKind,
}

use StateKind::*;

const fn row(code: u8, name: &'static str, kind: StateKind) -> StateInfo {
    StateInfo { code, name, kind }
}

/// Every code, in order.
pub static STATES: [StateInfo; 40] = [
    row(1, "Jammu and Kashmir", UtWithLegislature),
    row(2, "Himachal Pradesh", State),
    row(3, "Punjab", State),
    row(4, "Chandigarh", UtWithoutLegislature),
    row(5, "Uttarakhand", State),
    row(6, "Haryana", State),
    row(7, "Delhi", UtWithLegislature),
    row(8, "Rajasthan", State),
    row(9, "Uttar Pradesh", State),
    row(10, "Bihar", State),
    row(11, "Sikkim", State),
    row(12, "Arunachal Pradesh", State),
    row(13, "Nagaland", State),
    row(14, "Manipur", State),
    row(15, "Mizoram", State),
    row(16, "Tripura", State),
    row(17, "Meghalaya", State),
    row(18, "Assam", State),
    row(19, "West Bengal", State),
    row(20, "Jharkhand", State),
    row(21, "Odisha", State),
    row(22, "Chhattisgarh", State),
    row(23, "Madhya Pradesh", State),
    row(24, "Gujarat", State),
    row(25, "Daman and Diu (merged into 26 from 26-01-2020)", Legacy),
    row(
        26,
        "Dadra and Nagar Haveli and Daman and Diu",
        UtWithoutLegislature,
    ),
    row(27, "Maharashtra", State),
    row(28, "Andhra Pradesh (before bifurcation)", Legacy),
    row(29, "Karnataka", State),
    row(30, "Goa", State),
    row(31, "Lakshadweep", UtWithoutLegislature),
    row(32, "Kerala", State),
    row(33, "Tamil Nadu", State),
    row(34, "Puducherry", UtWithLegislature),
    row(35, "Andaman and Nicobar Islands", UtWithoutLegislature),
    row(36, "Telangana", State),
    row(37, "Andhra Pradesh", State),
    row(38, "Ladakh", UtWithoutLegislature),
    row(96, "Other Country (outside India)", Foreign),
    row(97, "Other Territory", OtherTerritory),
];

/// A code present in the table. Serialised as two digits: `"29"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateCode(u8);

impl StateCode {
    /// 96, the place of supply of exports.
    pub const FOREIGN: StateCode = StateCode(96);

    /// Looks `code` up in the table.
    pub fn new(code: u8) -> Result<Self, GstError> {
        STATES
            .iter()
            .find(|s| s.code == code)
            .map(|s| StateCode(s.code))
            .ok_or_else(|| GstError::UnknownStateCode(format!("{code:02}")))
    }

    /// Reads a two-digit code (`"29"`, also `"7"` for 07).
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let s = input.trim();
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GstError::UnknownStateCode(input.to_string()));
        }
        s.parse::<u8>()
            .map_err(|_| GstError::UnknownStateCode(input.to_string()))
            .and_then(Self::new)
    }

    /// Finds a code by its name, ignoring case (`"karnataka"`).
    pub fn from_name(name: &str) -> Option<Self> {
        let n = name.trim();
        STATES
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(n))
            .map(|s| StateCode(s.code))
    }

    /// The number.
    pub const fn code(self) -> u8 {
        self.0
    }

    /// Its row in the table.
    pub fn info(self) -> &'static StateInfo {
        // Construction guarantees presence.
        STATES
            .iter()
            .find(|s| s.code == self.0)
            .unwrap_or(&STATES[0])
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Its kind.
    pub fn kind(self) -> StateKind {
        self.info().kind
    }

    /// True when intra-territory supplies bear UTGST instead of SGST (UTs without
    /// legislature, Other Territory).
    pub fn uses_utgst(self) -> bool {
        matches!(self.kind(), UtWithoutLegislature | OtherTerritory)
    }

    /// Checks this code may be a supplier's State or a domestic place of supply on a new
    /// invoice: not legacy, not 96.
    pub fn for_new_domestic_invoice(self, role: &str) -> Result<Self, GstError> {
        let why = match self.kind() {
            Legacy => "this code is no longer used for new invoices",
            Foreign => "96 is only the place of supply of an export (set \"export\": true)",
            _ => return Ok(self),
        };
        Err(GstError::StateNotAllowed {
            code: self.to_string(),
            name: self.name().to_string(),
            why: format!("{why} ({role})"),
        })
    }
}

impl fmt::Display for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl Serialize for StateCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for StateCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u8),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) => StateCode::new(i),
            Raw::Text(s) => StateCode::parse(&s),
        }
        .map_err(serde::de::Error::custom)
    }
}
