//! Invoices of central server profiles: synced from the server into the offline cache, listed,
//! shown and rendered to PDF on this computer from the cache, so a reseller prints with the
//! network off.
//!
//! The server is the one authority for documents; the desktop never issues or changes one. The
//! PDF is recomputed from the document's draft as issued (the computation is deterministic) and
//! checked against the issued totals before anything is printed.

use std::path::{Path, PathBuf};

use akashone_cache::ListKind;
use akashone_gst::{BrandColour, IssuedInvoice, import_irn_response};
use akashone_invoice_pdf::Branding;
use akashone_types::central::{EInvoiceState, InvoiceDetail, InvoiceSummary};
use akashone_types::{InvoiceCopy, InvoiceList, SavedPdf};
use base64::Engine;

use crate::cloud::central::paise;
use crate::console::Console;
use crate::error::{AppError, Result};

/// The PDF of a cached document, recomputed from its draft and checked against its totals.
pub fn render(detail: &InvoiceDetail, copy: InvoiceCopy) -> Result<Vec<u8>> {
    let s = &detail.summary;
    if !detail.printable || s.einvoice_status == EInvoiceState::AwaitingIrn {
        return Err(AppError::Invalid(format!(
            "{} awaits its IRN: import the portal's response on the server first; it cannot be printed before",
            s.number
        )));
    }
    let mut issued = IssuedInvoice::restore(&detail.draft, &s.number)
        .map_err(|e| AppError::Invalid(format!("{} cannot be rebuilt: {e}", s.number)))?;
    let t = issued.invoice().totals();
    if t.total.as_i64() != paise("total", &s.total)?
        || t.taxable_value.as_i64() != paise("taxable value", &s.taxable_value)?
        || t.total_tax.as_i64() != paise("tax", &s.total_tax)?
    {
        return Err(AppError::Invalid(format!(
            "{} does not recompute to the amounts it was issued with; it is not printed",
            s.number
        )));
    }
    if s.einvoice_status == EInvoiceState::Registered {
        let e = &detail.einvoice;
        let response = serde_json::json!({
            "Irn": e.irn,
            "AckNo": e.ack_no,
            "AckDt": e.ack_date,
            "SignedQRCode": e.signed_qr_code,
            "SignedInvoice": e.signed_invoice,
        });
        let irn = import_irn_response(&response.to_string())
            .map_err(|e| AppError::Invalid(format!("the IRN of {}: {e}", s.number)))?;
        issued = issued
            .with_irn(irn)
            .map_err(|e| AppError::Invalid(format!("the IRN of {}: {e}", s.number)))?;
    }
    let mut branding = Branding::for_seller(issued.invoice().seller());
    if let Some(c) = detail.branding.brand_colour.as_deref()
        && let Ok(c) = BrandColour::parse(c)
    {
        branding.colour = c;
    }
    if let Some(logo) = &detail.branding.logo_png {
        let png = base64::engine::general_purpose::STANDARD
            .decode(logo)
            .map_err(|e| AppError::Invalid(format!("the seller's logo: {e}")))?;
        branding = branding.with_logo_png(png);
    }
    let copy = match copy {
        InvoiceCopy::Original => akashone_invoice_pdf::InvoiceCopy::Original,
        InvoiceCopy::Duplicate => akashone_invoice_pdf::InvoiceCopy::Duplicate,
    };
    akashone_invoice_pdf::render(&issued, &branding, copy)
        .map_err(|e| AppError::Invalid(format!("{} could not be rendered: {e}", s.number)))
}

/// The folder PDFs go to: the configured one, else the documents folder's `AkashOne Invoices`.
fn invoice_dir(configured: Option<&Path>, data_dir: &Path) -> PathBuf {
    if let Some(d) = configured {
        return d.to_owned();
    }
    dirs::document_dir()
        .map(|d| d.join("AkashOne Invoices"))
        .unwrap_or_else(|| data_dir.join("invoices"))
}

/// A file name for a document number (`AKP/26-27/0001` → `AKP-26-27-0001`).
fn file_name(number: &str, copy: InvoiceCopy) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let copy = match copy {
        InvoiceCopy::Original => "original",
        InvoiceCopy::Duplicate => "duplicate",
    };
    format!("{safe}-{copy}.pdf")
}

impl Console {
    fn invoice_store(&self) -> Result<std::sync::Arc<crate::session::Session>> {
        match self.central_session() {
            Ok((session, _)) => Ok(session),
            Err(AppError::WrongProfile(_)) => Err(AppError::WrongProfile(
                "invoices come from a central server profile: add one on the Connect page".into(),
            )),
            Err(e) => Err(e),
        }
    }

    /// The cached invoices and notes, newest first (readable offline and signed out).
    pub fn invoice_list(&self) -> Result<InvoiceList> {
        let session = self.invoice_store()?;
        let mut documents: Vec<InvoiceSummary> = session
            .store
            .invoice_documents()?
            .into_iter()
            .map(|d| d.summary)
            .collect();
        documents.sort_by(|a, b| (&b.date, b.created_at).cmp(&(&a.date, a.created_at)));
        let state = session.store.sync_state(ListKind::Invoices)?;
        Ok(InvoiceList {
            documents,
            last_synced: state.as_ref().and_then(|s| s.last_synced.clone()),
            last_error: state.and_then(|s| s.last_error),
        })
    }

    /// One cached document in full.
    pub fn invoice_get(&self, number: &str) -> Result<InvoiceDetail> {
        let session = self.invoice_store()?;
        session
            .store
            .invoice_document(number)?
            .ok_or_else(|| AppError::NotFound(format!("invoice {number}")))
    }

    /// Renders a cached document's PDF into the invoices folder; no network needed.
    pub fn invoice_save_pdf(&self, number: &str, copy: InvoiceCopy) -> Result<SavedPdf> {
        let detail = self.invoice_get(number)?;
        let pdf = render(&detail, copy)?;
        let dir = invoice_dir(self.options.invoice_dir.as_deref(), self.data_dir());
        let path = dir.join(file_name(number, copy));
        akashone_settings::write_bytes_atomically(&path, &pdf).map_err(|e| AppError::Profiles {
            path: path.display().to_string(),
            reason: format!("the PDF cannot be saved: {e}"),
        })?;
        tracing::info!(number, path = %path.display(), bytes = pdf.len(), "invoice PDF saved");
        Ok(SavedPdf {
            path: path.display().to_string(),
            bytes: pdf.len() as u64,
        })
    }

    /// Saves the PDF, then opens it in the system's PDF viewer, from which it is printed.
    pub fn invoice_print(&self, number: &str, copy: InvoiceCopy) -> Result<SavedPdf> {
        let saved = self.invoice_save_pdf(number, copy)?;
        open::that_detached(&saved.path).map_err(|e| {
            AppError::Invalid(format!(
                "the PDF was saved to {} but no PDF viewer could be opened: {e}",
                saved.path
            ))
        })?;
        Ok(saved)
    }
}
