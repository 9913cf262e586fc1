//! The draft: what a person (or the billing job) writes before tax is computed. Read from JSON
//! with serde; unknown fields are refused so a typo cannot silently drop data.
//!
//! Values are validated while reading (GSTINs, state codes, amounts, rates, numbers); the
//! rules that involve several fields are checked by [`crate::compute`].

use crate::{Discount, GstError, GstRate, Gstin, InvoiceNumber, Quantity, StateCode, UnitPrice};
use serde::{Deserialize, Serialize};
use time::Date;

mod values;

pub use values::{BrandColour, HsnSac, Ifsc, PinCode, UpiId};

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
