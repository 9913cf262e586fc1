//! The invoices and notes the user may read, synced from the server into the offline cache
//! (details fetched once, again only when their e-invoice state changes).

use std::collections::HashMap;

use akashone_cache::{CreditNote, Invoice, Stored};
use akashone_central::Central;
use akashone_gst::Paise;
use akashone_types::central::{DocumentKind, InvoiceDetail, InvoiceSummary, Permission};

use super::CentralCloud;
use crate::error::{AppError, Result};
use crate::store::Store;

/// Documents fetched per page.
const PAGE: u32 = 200;

/// An issued amount (rupees as text) in paise.
pub(crate) fn paise(what: &str, s: &str) -> Result<i64> {
    Paise::parse_rupees(s)
        .map(Paise::as_i64)
        .map_err(|e| AppError::Internal(format!("the server sent {what} {s:?}: {e}")))
}

/// Fetches the documents the user may read and replaces the cached ones. Details are fetched
/// only for documents not cached yet or whose e-invoice state changed (issued documents are
/// otherwise immutable).
impl CentralCloud {
    pub(super) async fn sync_invoices(&self, client: &Central, store: &Store) -> Result<()> {
        if !self
            .user()
            .is_some_and(|u| u.permissions.contains(&Permission::BillingRead))
        {
            return Ok(());
        }
        let tenant = self.acting_id();
        let mut summaries: Vec<InvoiceSummary> = Vec::new();
        loop {
            let page = client
                .invoices(tenant.as_deref(), PAGE, summaries.len() as u64)
                .await?;
            let n = page.items.len();
            summaries.extend(page.items);
            if n < PAGE as usize || summaries.len() as u64 >= page.total {
                break;
            }
        }
        let cached: HashMap<String, InvoiceDetail> = store
            .invoice_documents()?
            .into_iter()
            .map(|d| (d.summary.id.clone(), d))
            .collect();
        let mut details = Vec::with_capacity(summaries.len());
        for s in &summaries {
            match cached.get(&s.id) {
                Some(d) if d.summary.einvoice_status == s.einvoice_status => {
                    details.push(d.clone())
                }
                _ => details.push(client.invoice(&s.id).await?),
            }
        }
        let (invoices, notes) = records(details)?;
        store.replace_invoices(&invoices, &notes)
    }
}

fn to_json(d: &InvoiceDetail) -> Result<serde_json::Value> {
    serde_json::to_value(d).map_err(|e| {
        AppError::Internal(format!(
            "invoice {} cannot be encoded: {e}",
            d.summary.number
        ))
    })
}

/// Invoices and notes as cache rows.
type CacheRows = (Vec<Stored<Invoice>>, Vec<Stored<CreditNote>>);

/// Splits documents into cache rows: invoices, and the notes whose invoice is among them. A
/// number seen twice (two sellers with the same series) keeps its first document.
fn records(details: Vec<InvoiceDetail>) -> Result<CacheRows> {
    let mut numbers: HashMap<String, String> = HashMap::new();
    let mut invoices = Vec::new();
    let mut pending_notes = Vec::new();
    for d in details {
        if numbers.contains_key(&d.summary.number) {
            tracing::warn!(number = %d.summary.number, "two documents share a number; the second is not cached");
            continue;
        }
        numbers.insert(d.summary.number.clone(), d.summary.id.clone());
        if d.summary.document_type == DocumentKind::Invoice {
            let s = &d.summary;
            let record = Invoice {
                number: s.number.clone(),
                seller_gstin: d.document.seller.gstin.clone().unwrap_or_default(),
                buyer_name: Some(s.customer_name.clone()),
                buyer_gstin: d.document.buyer.gstin.clone(),
                invoice_date: s.date.clone(),
                taxable_paise: paise("taxable value", &s.taxable_value)?,
                tax_paise: paise("tax", &s.total_tax)?,
                total_paise: paise("total", &s.total)?,
                status: s.einvoice_status.as_str().to_owned(),
            };
            invoices.push(Stored::new(record, to_json(&d)?));
        } else {
            pending_notes.push(d);
        }
    }
    let by_id: HashMap<&String, &String> = numbers.iter().map(|(n, id)| (id, n)).collect();
    let mut notes = Vec::new();
    for d in &pending_notes {
        let s = &d.summary;
        let Some(invoice) = s.original_invoice_id.as_ref().and_then(|i| by_id.get(i)) else {
            tracing::info!(number = %s.number, "a note whose invoice is not visible is not cached");
            continue;
        };
        let record = CreditNote {
            number: s.number.clone(),
            invoice_number: (*invoice).clone(),
            note_date: s.date.clone(),
            taxable_paise: paise("taxable value", &s.taxable_value)?,
            tax_paise: paise("tax", &s.total_tax)?,
            total_paise: paise("total", &s.total)?,
            reason: d.document.reason.clone(),
            status: s.document_type.as_str().to_owned(),
        };
        notes.push(Stored::new(record, to_json(d)?));
    }
    Ok((invoices, notes))
}
