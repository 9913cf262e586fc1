//! Issued documents: numbered, immutable, and (when e-invoicing applies) waiting for or
//! carrying their IRN. Credit and debit notes are computed against the issued invoice they
//! correct.

use crate::compute::{ComputedInvoice, compute};
use crate::draft::{DocumentType, InvoiceDraft};
use crate::einvoice::{IrnDetails, acceptable_irns, dmy_slash, irn_for};
use crate::supply::SupplyKind;
use crate::{GstError, InvoiceNumber, InvoiceNumberSequence, SeriesFormat};
use serde::Serialize;

/// Where a document stands with the Invoice Registration Portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EInvoiceStatus {
    /// No IRN needed: a B2C document, or a seller below the e-invoicing threshold. Printable.
    NotRequired,
    /// The seller is above the threshold and this is a B2B/SEZ/export document: it is not a
    /// valid invoice (rule 48(5)) and cannot be printed until the IRP's response is imported.
    AwaitingIrn,
    /// Registered with the IRP. Printable, with the signed QR code.
    Registered(Box<IrnDetails>),
}

/// A numbered document. There are no mutators: a correction is a credit or debit note, and
/// the only change of state is attaching the IRP's response ([`IssuedInvoice::with_irn`]),
/// which consumes the value and returns a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedInvoice {
    invoice: ComputedInvoice,
    number: InvoiceNumber,
    einvoice: EInvoiceStatus,
}

impl IssuedInvoice {
    /// Issues `invoice` under `number`. If the draft already carried a number it must be the
    /// same.
    pub fn issue(mut invoice: ComputedInvoice, number: InvoiceNumber) -> Result<Self, GstError> {
        if let Some(n) = invoice.number()
            && *n != number
        {
            return Err(GstError::Draft(format!(
                "the draft is numbered {n} but is being issued as {number}"
            )));
        }
        invoice.set_number(number.clone());
        let needs_irn = invoice.seller().e_invoicing && invoice.supply().kind != SupplyKind::B2c;
        Ok(IssuedInvoice {
            invoice,
            number,
            einvoice: if needs_irn {
                EInvoiceStatus::AwaitingIrn
            } else {
                EInvoiceStatus::NotRequired
            },
        })
    }

    /// Rebuilds a stored document from its draft (JSON) and the number it was issued under:
    /// the computation is deterministic, so this is the document that was issued (without its
    /// IRN, which [`IssuedInvoice::with_irn`] attaches again).
    pub fn restore(draft_json: &str, number: &str) -> Result<Self, GstError> {
        let mut draft = crate::InvoiceDraft::from_json(draft_json)?;
        let number = InvoiceNumber::parse(number)?;
        draft.number = Some(number.clone());
        Self::issue(crate::compute(&draft)?, number)
    }

    /// Issues `invoice` under its draft's number.
    pub fn issue_numbered(invoice: ComputedInvoice) -> Result<Self, GstError> {
        let number = invoice.number().cloned().ok_or_else(|| {
            GstError::Draft("the draft has no \"number\"; it cannot be issued".into())
        })?;
        Self::issue(invoice, number)
    }

    /// Issues `invoice` under the next number of `series` from `sequence`.
    pub fn issue_next(
        invoice: ComputedInvoice,
        sequence: &dyn InvoiceNumberSequence,
        series: &SeriesFormat,
    ) -> Result<Self, GstError> {
        if let Some(n) = invoice.number() {
            return Err(GstError::Draft(format!(
                "the draft is already numbered {n}"
            )));
        }
        let number = sequence.next_number(&invoice.seller().gstin, series, invoice.date())?;
        Self::issue(invoice, number)
    }

    /// The computed content.
    pub fn invoice(&self) -> &ComputedInvoice {
        &self.invoice
    }

    /// The number.
    pub fn number(&self) -> &InvoiceNumber {
        &self.number
    }

    /// The IRP state.
    pub fn einvoice_status(&self) -> &EInvoiceStatus {
        &self.einvoice
    }

    /// The IRN the IRP will assign.
    pub fn expected_irn(&self) -> String {
        irn_for(
            &self.invoice.seller().gstin,
            self.invoice.financial_year(),
            self.invoice.document_type(),
            &self.number,
        )
    }

    /// The IRP's registration, once attached.
    pub fn irn(&self) -> Option<&IrnDetails> {
        match &self.einvoice {
            EInvoiceStatus::Registered(d) => Some(d),
            _ => None,
        }
    }

    /// `Ok` when the document may be printed; [`GstError::AwaitingIrn`] otherwise.
    pub fn ensure_printable(&self) -> Result<(), GstError> {
        match self.einvoice {
            EInvoiceStatus::AwaitingIrn => Err(GstError::AwaitingIrn {
                number: self.number.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// Attaches the IRP's response (see [`crate::import_irn_response`]) after checking it
    /// belongs to this document: the IRN must be the hash of this seller, year, type and
    /// number, and the signed QR code's GSTINs, number and type must match.
    pub fn with_irn(self, details: IrnDetails) -> Result<Self, GstError> {
        match &self.einvoice {
            EInvoiceStatus::NotRequired => {
                return Err(GstError::IrnNotExpected(format!(
                    "{} {} needs no IRN (B2C, or the seller is below the e-invoicing threshold)",
                    self.invoice.document_type().title(),
                    self.number
                )));
            }
            EInvoiceStatus::Registered(d) => {
                return Err(GstError::IrnNotExpected(format!(
                    "{} {} already has IRN {}",
                    self.invoice.document_type().title(),
                    self.number,
                    d.irn()
                )));
            }
            EInvoiceStatus::AwaitingIrn => {}
        }
        let inv = &self.invoice;
        let seller = &inv.seller().gstin;
        let irns = acceptable_irns(
            seller,
            inv.financial_year(),
            inv.document_type(),
            &self.number,
        );
        if !irns.iter().any(|i| i == details.irn()) {
            return Err(GstError::IrpResponse(format!(
                "IRN {} is not the IRN of {} {} from {seller} (expected {})",
                details.irn(),
                inv.document_type().einvoice_code(),
                self.number,
                irns[0]
            )));
        }
        let q = details.qr_data();
        let mismatch = |what: &str, got: &str, want: &str| {
            GstError::IrpResponse(format!(
                "the signed QR code's {what} is {got}, but this document's is {want}"
            ))
        };
        if let Some(s) = &q.seller_gstin
            && !s.eq_ignore_ascii_case(seller.as_str())
        {
            return Err(mismatch("seller GSTIN", s, seller.as_str()));
        }
        let buyer = inv
            .buyer()
            .gstin
            .as_ref()
            .map_or_else(|| "URP".to_string(), ToString::to_string);
        if let Some(b) = &q.buyer_gstin
            && !b.eq_ignore_ascii_case(&buyer)
        {
            return Err(mismatch("buyer GSTIN", b, &buyer));
        }
        if let Some(n) = &q.doc_no
            && !n.eq_ignore_ascii_case(self.number.as_str())
        {
            return Err(mismatch("document number", n, self.number.as_str()));
        }
        let typ = inv.document_type().einvoice_code();
        if let Some(t) = &q.doc_typ
            && t != typ
        {
            return Err(mismatch("document type", t, typ));
        }
        if let Some(d) = &q.doc_dt
            && *d != dmy_slash(inv.date())
        {
            return Err(mismatch("document date", d, &dmy_slash(inv.date())));
        }
        if details.ack_date().date() < inv.date() {
            return Err(GstError::IrpResponse(format!(
                "acknowledged on {}, before the document's date {}",
                details.ack_date_string(),
                inv.date()
            )));
        }
        Ok(IssuedInvoice {
            einvoice: EInvoiceStatus::Registered(Box::new(details)),
            ..self
        })
    }
}

/// Computes a credit or debit note against the issued invoice it corrects: same seller, buyer,
/// place of supply and regime; dated on or after the invoice; a credit note's taxable value
/// at most the invoice's.
pub fn compute_note(
    original: &IssuedInvoice,
    note: &InvoiceDraft,
) -> Result<ComputedInvoice, GstError> {
    if note.document_type == DocumentType::Invoice {
        return Err(GstError::Note(
            "compute_note takes a credit or debit note draft (document_type)".into(),
        ));
    }
    if original.invoice().document_type() != DocumentType::Invoice {
        return Err(GstError::Note(format!(
            "{} is a {}; notes correct tax invoices",
            original.number(),
            original.invoice().document_type().title().to_lowercase()
        )));
    }
    let Some(reference) = &note.original_invoice else {
        return Err(GstError::Note(format!(
            "the note must name invoice {} of {} in \"original_invoice\"",
            original.number(),
            original.invoice().date()
        )));
    };
    if reference.number != *original.number() || reference.date != original.invoice().date() {
        return Err(GstError::Note(format!(
            "the note names invoice {} of {}, not {} of {}",
            reference.number,
            reference.date,
            original.number(),
            original.invoice().date()
        )));
    }
    let computed = compute(note)?;
    let inv = original.invoice();
    if computed.seller().gstin != inv.seller().gstin {
        return Err(GstError::Note(format!(
            "the note's seller {} is not the invoice's {}",
            computed.seller().gstin,
            inv.seller().gstin
        )));
    }
    if computed.buyer().gstin != inv.buyer().gstin {
        return Err(GstError::Note(
            "the note's buyer GSTIN differs from the invoice's".into(),
        ));
    }
    if computed.supply().place_of_supply != inv.supply().place_of_supply
        || computed.supply().regime != inv.supply().regime
    {
        return Err(GstError::Note(format!(
            "the note's place of supply/tax regime ({}, {:?}) differs from the invoice's ({}, {:?})",
            computed.supply().place_of_supply,
            computed.supply().regime,
            inv.supply().place_of_supply,
            inv.supply().regime
        )));
    }
    if note.document_type == DocumentType::CreditNote
        && computed.totals().taxable_value > inv.totals().taxable_value
    {
        return Err(GstError::Note(format!(
            "the credit note's taxable value {} exceeds the invoice's {}",
            computed.totals().taxable_value,
            inv.totals().taxable_value
        )));
    }
    Ok(computed)
}
