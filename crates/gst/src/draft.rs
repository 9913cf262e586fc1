//! The draft: what a person (or the billing job) writes before tax is computed. Read from JSON
//! with serde; unknown fields are refused so a typo cannot silently drop data.
//!
//! Values are validated while reading (GSTINs, state codes, amounts, rates, numbers); the
//! rules that involve several fields are checked by [`crate::compute`].

use crate::{Discount, GstError, GstRate, Gstin, InvoiceNumber, Quantity, StateCode, UnitPrice};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::Date;

/// `YYYY-MM-DD` dates.
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::macros::format_description;

    /// Writes `2025-11-01`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*d))
    }

    /// Reads `2025-11-01`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }

    /// `2025-11-01`.
    pub fn format(d: Date) -> String {
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// Reads `2025-11-01`.
    pub fn parse(s: &str) -> Result<Date, String> {
        Date::parse(s.trim(), format_description!("[year]-[month]-[day]"))
            .map_err(|e| format!("date {s:?} is not a valid YYYY-MM-DD date ({e})"))
    }

    /// `01-11-2025`, the way dates are printed on Indian invoices.
    pub fn format_dmy(d: Date) -> String {
        format!("{:02}-{:02}-{:04}", d.day(), u8::from(d.month()), d.year())
    }

    /// Optional dates.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        /// Writes `null` or `2025-11-01`.
        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_str(&super::format(*d)),
                None => s.serialize_none(),
            }
        }

        /// Reads `null` or `2025-11-01`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| super::parse(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

/// Which document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// A tax invoice (rule 46).
    #[default]
    Invoice,
    /// A credit note (s.34, rule 53): value or tax charged was too high.
    CreditNote,
    /// A debit note (s.34, rule 53): value or tax charged was too low.
    DebitNote,
}

impl DocumentType {
    /// The e-invoice `DocDtls.Typ` code (also part of the IRN hash).
    pub fn einvoice_code(self) -> &'static str {
        match self {
            Self::Invoice => "INV",
            Self::CreditNote => "CRN",
            Self::DebitNote => "DBN",
        }
    }

    /// The heading printed on the document.
    pub fn title(self) -> &'static str {
        match self {
            Self::Invoice => "Tax Invoice",
            Self::CreditNote => "Credit Note",
            Self::DebitNote => "Debit Note",
        }
    }
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// First line (building, street). Required.
    pub line1: String,
    /// Second line (area, locality).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// City or town (e-invoice `Loc`).
    pub city: String,
    /// Indian PIN code; required for e-invoices (sellers, Indian buyers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<PinCode>,
    /// Postal code abroad (exports), printed only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

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

/// A bank account for payment by transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    /// Account holder.
    pub account_name: String,
    /// Account number.
    pub account_number: String,
    /// IFSC of the branch.
    pub ifsc: Ifsc,
    /// Bank name.
    pub bank_name: String,
    /// Branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
}

/// How to pay.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentDetails {
    /// Bank transfer details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<BankAccount>,
    /// UPI ID; the PDF prints a `upi://pay` QR code for the invoice total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upi_id: Option<UpiId>,
    /// Payment terms, e.g. "Payable within 15 days of the invoice date".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// Due date.
    #[serde(
        default,
        with = "iso_date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub due_date: Option<Date>,
}

/// The supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seller {
    /// Legal name (as registered).
    pub legal_name: String,
    /// Trade name, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// Address of the place of business.
    pub address: Address,
    /// GSTIN; its first two digits must be `state`.
    pub gstin: Gstin,
    /// State/UT of the registration.
    pub state: StateCode,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Logo file (PNG), relative to the draft file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Brand colour for the printed invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_colour: Option<BrandColour>,
    /// Bank / UPI details printed on the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentDetails>,
    /// True when e-invoicing applies to this seller: aggregate turnover above ₹5 crore in any
    /// financial year since 2017-18 and not an exempt class. Its B2B, SEZ and export documents
    /// then cannot be printed before the IRP has returned an IRN.
    #[serde(default)]
    pub e_invoicing: bool,
}

/// The recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// Legal name.
    pub legal_name: String,
    /// Trade name, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// Billing address.
    pub address: Address,
    /// GSTIN (or UIN); absent for unregistered (B2C) buyers and buyers abroad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<Gstin>,
    /// State/UT of the address. For registered buyers it must match the GSTIN; for
    /// unregistered buyers it is the "location on record" that decides the place of supply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<StateCode>,
    /// Country of destination, ISO 3166 alpha-2 (`US`), for exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Delivery/service address, if different from the billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_address: Option<Address>,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
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

/// One line as drafted. Quantity: `quantity` (decimal string, or integer whole units) or
/// `quantity_milli` (integer thousandths). Price: `unit_price` (rupee string, ≤ 3 decimals) or
/// `unit_price_paise` (integer). Exactly one of each pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineDraft {
    /// What was supplied.
    pub description: String,
    /// SAC (services) or HSN (goods).
    pub sac: HsnSac,
    /// Quantity in units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// Quantity in thousandths of a unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_milli: Option<i64>,
    /// Unit as printed (`hours`, `GB-month`); the e-invoice uses `OTH` unless this is a UQC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Price per unit in rupees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<UnitPrice>,
    /// Price per unit in paise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price_paise: Option<i64>,
    /// Discount on this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Discount>,
    /// GST rate in percent (18 for SAC 998315).
    pub gst_rate: GstRate,
}

impl LineDraft {
    /// The quantity, from whichever field is set.
    pub fn resolved_quantity(&self) -> Result<Quantity, GstError> {
        match (self.quantity, self.quantity_milli) {
            (Some(q), None) => Ok(q),
            (None, Some(m)) => Quantity::from_milli(m),
            (None, None) => Err(GstError::invalid(
                "quantity",
                "",
                "missing; give \"quantity\" or \"quantity_milli\"",
            )),
            (Some(q), Some(m)) => Err(GstError::invalid(
                "quantity",
                format!("{q} and quantity_milli {m}"),
                "give either \"quantity\" or \"quantity_milli\", not both",
            )),
        }
    }

    /// The unit price, from whichever field is set.
    pub fn resolved_unit_price(&self) -> Result<UnitPrice, GstError> {
        match (self.unit_price, self.unit_price_paise) {
            (Some(p), None) => Ok(p),
            (None, Some(p)) => UnitPrice::from_paise(p),
            (None, None) => Err(GstError::invalid(
                "unit_price",
                "",
                "missing; give \"unit_price\" (rupees) or \"unit_price_paise\"",
            )),
            (Some(p), Some(pp)) => Err(GstError::invalid(
                "unit_price",
                format!("{p} and unit_price_paise {pp}"),
                "give either \"unit_price\" or \"unit_price_paise\", not both",
            )),
        }
    }
}

/// The invoice a credit or debit note corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginalInvoice {
    /// Its number.
    pub number: InvoiceNumber,
    /// Its date.
    #[serde(with = "iso_date")]
    pub date: Date,
}

/// A period of usage being billed (printed; e-invoice `RefDtls.DocPerdDtls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingPeriod {
    /// First day.
    #[serde(with = "iso_date")]
    pub from: Date,
    /// Last day.
    #[serde(with = "iso_date")]
    pub to: Date,
}

/// A tax invoice, credit note or debit note before computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceDraft {
    /// Invoice (default), credit note or debit note.
    #[serde(default)]
    pub document_type: DocumentType,
    /// The document number, if already allocated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<InvoiceNumber>,
    /// Date of issue.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// For credit/debit notes: the invoice corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_invoice: Option<OriginalInvoice>,
    /// For credit/debit notes: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The usage period billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<BillingPeriod>,
    /// The supplier.
    pub seller: Seller,
    /// The recipient.
    pub buyer: Buyer,
    /// Place of supply. Optional: derived by s.12(2) IGST Act (registered buyer → GSTIN's
    /// State; unregistered → `buyer.state`, else the supplier's State; export → 96). If given,
    /// it must agree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_supply: Option<StateCode>,
    /// Export of services (recipient outside India).
    #[serde(default)]
    pub export: bool,
    /// Supply to a SEZ unit or developer.
    #[serde(default)]
    pub sez: bool,
    /// Export/SEZ supply under bond or Letter of Undertaking, without payment of IGST
    /// (otherwise zero-rated with IGST paid).
    #[serde(default)]
    pub lut: bool,
    /// The LUT's ARN or reference, printed with the endorsement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lut_reference: Option<String>,
    /// Tax payable on reverse charge.
    #[serde(default)]
    pub reverse_charge: bool,
    /// The lines, in order.
    pub lines: Vec<LineDraft>,
    /// Free text printed at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl InvoiceDraft {
    /// Reads a draft from JSON; the message of a failure names the line and column.
    pub fn from_json(json: &str) -> Result<Self, GstError> {
        serde_json::from_str(json).map_err(|e| GstError::Draft(format!("invalid draft JSON: {e}")))
    }
}
