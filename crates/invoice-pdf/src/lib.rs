//! Printable A4 PDFs of GST invoices, credit notes and debit notes.
//!
//! Everything rule 46 asks for is printed: supplier name, address and GSTIN; a consecutive
//! number and the date; the recipient's name, address, GSTIN (or State for unregistered
//! buyers, country for exports); SAC, description, quantity and unit; value, discount and
//! taxable value; the rate and amount of each tax head; place of supply with its State name;
//! whether tax is payable on reverse charge; the export/SEZ endorsement; and, for e-invoices,
//! the IRP's signed QR code with the IRN. Add the seller's logo and colour ([`Branding`]), a
//! summary by rate, the amount in words and payment details with a UPI QR code.
//!
//! Fonts (Inter, JetBrains Mono for the IRN) are embedded and subset, so text stays
//! selectable and extractable. Long invoices continue on further pages with the table header
//! repeated and "Page x of y" in the footer.
//!
//! ```no_run
//! use akashone_gst::{InvoiceDraft, IssuedInvoice, compute};
//! use akashone_invoice_pdf::{Branding, InvoiceCopy, render};
//! let draft = InvoiceDraft::from_json(&std::fs::read_to_string("draft.json")?)?;
//! let invoice = IssuedInvoice::issue_numbered(compute(&draft)?)?;
//! let pdf = render(&invoice, &Branding::for_seller(&draft.seller), InvoiceCopy::Original)?;
//! std::fs::write("invoice.pdf", pdf)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod canvas;
mod fonts;
mod layout;
mod qr;

use akashone_gst::{BrandColour, ComputedInvoice, GstError, IssuedInvoice, Seller};
use std::fmt;
use std::str::FromStr;

pub use qr::upi_link;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The document may not be printed (e.g. it still awaits its IRN).
    #[error(transparent)]
    NotPrintable(#[from] GstError),
    /// The logo is not a PNG that can be decoded.
    #[error("the logo could not be used: {0}")]
    Logo(String),
    /// A QR code could not be encoded.
    #[error("a QR code could not be encoded: {0}")]
    Qr(String),
    /// An embedded font could not be read (a build problem).
    #[error("{0}")]
    Font(String),
}

/// The seller's look: brand colour and logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branding {
    /// Colour of the title, rules and table header.
    pub colour: BrandColour,
    /// A PNG logo, drawn at most 46 pt high and 130 pt wide.
    pub logo_png: Option<Vec<u8>>,
}

impl Branding {
    /// The colour used when the seller has none: a deep blue.
    pub const DEFAULT_COLOUR: BrandColour = BrandColour {
        r: 0x1F,
        g: 0x4E,
        b: 0x8C,
    };

    /// The seller's brand colour (or the default), no logo.
    pub fn for_seller(seller: &Seller) -> Self {
        Branding {
            colour: seller.brand_colour.unwrap_or(Self::DEFAULT_COLOUR),
            logo_png: None,
        }
    }

    /// Adds a PNG logo.
    pub fn with_logo_png(mut self, png: Vec<u8>) -> Self {
        self.logo_png = Some(png);
        self
    }
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            colour: Self::DEFAULT_COLOUR,
            logo_png: None,
        }
    }
}

/// Which copy is printed (rule 48): the label in the top-right corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum InvoiceCopy {
    /// "ORIGINAL FOR RECIPIENT".
    #[default]
    Original,
    /// "DUPLICATE FOR SUPPLIER".
    Duplicate,
    /// "TRIPLICATE".
    Triplicate,
}

impl InvoiceCopy {
    /// The printed label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Original => "ORIGINAL FOR RECIPIENT",
            Self::Duplicate => "DUPLICATE FOR SUPPLIER",
            Self::Triplicate => "TRIPLICATE",
        }
    }
}

impl fmt::Display for InvoiceCopy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for InvoiceCopy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "original" => Ok(Self::Original),
            "duplicate" => Ok(Self::Duplicate),
            "triplicate" => Ok(Self::Triplicate),
            other => Err(format!(
                "unknown copy {other:?}; use original, duplicate or triplicate"
            )),
        }
    }
}

/// What can be rendered: an issued document, or a computed draft (printed with a "DRAFT —
/// not a tax invoice" banner and no IRN).
#[derive(Debug, Clone, Copy)]
pub enum Printable<'a> {
    /// A numbered, issued document. Refused while it awaits its IRN.
    Issued(&'a IssuedInvoice),
    /// A preview of a computed draft.
    Draft(&'a ComputedInvoice),
}

impl<'a> From<&'a IssuedInvoice> for Printable<'a> {
    fn from(i: &'a IssuedInvoice) -> Self {
        Printable::Issued(i)
    }
}

impl<'a> From<&'a ComputedInvoice> for Printable<'a> {
    fn from(c: &'a ComputedInvoice) -> Self {
        Printable::Draft(c)
    }
}

/// Renders an A4 PDF.
///
/// An issued invoice of a seller above the e-invoicing threshold is refused
/// ([`GstError::AwaitingIrn`]) until its IRN is attached; once attached, the IRN, the
/// acknowledgement and the signed QR code are printed.
pub fn render<'a>(
    document: impl Into<Printable<'a>>,
    branding: &Branding,
    copy: InvoiceCopy,
) -> Result<Vec<u8>, PdfError> {
    let doc = match document.into() {
        Printable::Issued(i) => {
            i.ensure_printable()?;
            layout::Source {
                invoice: i.invoice(),
                irn: i.irn(),
                draft: false,
            }
        }
        Printable::Draft(c) => layout::Source {
            invoice: c,
            irn: None,
            draft: true,
        },
    };
    layout::render(&doc, branding, copy)
}
