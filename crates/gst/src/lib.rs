//! Indian GST invoicing for a cloud (IaaS) console: a pure library, no I/O, no clock.
//!
//! - [`Gstin`], [`StateCode`], [`InvoiceNumber`], [`Paise`], [`Quantity`], [`UnitPrice`],
//!   [`GstRate`]: validated values; invalid data cannot be constructed.
//! - [`InvoiceDraft`] (serde JSON) → [`compute`] → [`ComputedInvoice`]: place of supply and the
//!   one tax regime (CGST+SGST, CGST+UTGST, IGST or zero-rated), per-line tax half-up to
//!   paise, summary by rate, total rounded to the rupee with a visible round-off, amount in
//!   words (lakh, crore).
//! - [`IssuedInvoice`]: numbered and immutable; [`EInvoiceStatus`] keeps B2B/export documents
//!   of sellers above the e-invoicing threshold unprintable until the IRP's response is
//!   attached ([`import_irn_response`], [`IssuedInvoice::with_irn`]).
//! - [`compute_note`]: credit and debit notes against an issued invoice.
//! - [`to_einvoice`]: the INV-01 v1.1 request JSON; [`irn_for`]: the IRN it will get.
//! - [`financial_year`], [`SeriesFormat`], [`InvoiceNumberSequence`], [`InMemorySequence`]:
//!   consecutive numbers per seller, series and financial year.
//!
//! ```
//! use akashone_gst::{InvoiceDraft, compute};
//! let draft = InvoiceDraft::from_json(include_str!("../examples/draft.json")).unwrap();
//! let invoice = compute(&draft).unwrap();
//! assert_eq!(invoice.totals().total.to_rupee_string(), "16211.00");
//! assert_eq!(invoice.totals().round_off.to_rupee_string(), "-0.26");
//! assert_eq!(invoice.amount_in_words(), "Rupees Sixteen Thousand Two Hundred Eleven Only");
//! ```
#![deny(missing_docs)]

pub mod compute;
pub mod draft;
pub mod einvoice;
mod error;
mod gstin;
pub mod issued;
mod money;
mod number;
mod state;
pub mod supply;
mod words;

pub use compute::{ComputedInvoice, ComputedLine, RateSummary, TaxAmount, Totals, compute};
pub use draft::{
    Address, BankAccount, BillingPeriod, BrandColour, Buyer, DocumentType, HsnSac, InvoiceDraft,
    LineDraft, OriginalInvoice, PaymentDetails, PinCode, Seller, UpiId,
};
pub use einvoice::{
    EInvoice, IrnDetails, import_irn_response, irn_for, irn_hash, to_einvoice, to_einvoice_json,
};
pub use error::{GstError, GstinError};
pub use gstin::{Gstin, GstinKind, check_character};
pub use issued::{EInvoiceStatus, IssuedInvoice, compute_note};
pub use money::{Discount, GstRate, MAX_PAISE, Paise, Percent, Quantity, UnitPrice};
pub use number::{
    FinancialYear, InMemorySequence, InvoiceNumber, InvoiceNumberSequence, SeriesFormat,
    financial_year,
};
pub use state::{STATES, StateCode, StateInfo, StateKind};
pub use supply::{Supply, SupplyKind, TaxHead, TaxRegime, classify};
pub use words::{amount_in_words, number_in_words};
