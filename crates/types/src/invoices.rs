//! Invoices as the desktop keeps them: synced from the central server into the offline cache,
//! listed, shown and printed from there, with or without the network.

use serde::{Deserialize, Serialize};

use crate::central::InvoiceSummary;

/// The cached invoices, credit notes and debit notes of the active profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InvoiceList {
    /// Every cached document, newest first: invoices, and notes (whose `original_invoice_id`
    /// names their invoice's `id`).
    pub documents: Vec<InvoiceSummary>,
    /// When the invoices were last synced (RFC 3339), if ever.
    pub last_synced: Option<String>,
    /// Why the last sync of the invoices failed, if it did (the cached ones stay).
    pub last_error: Option<String>,
}

/// Which copy of a document is printed (rule 48).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceCopy {
    /// "Original for recipient".
    #[default]
    Original,
    /// "Duplicate for supplier".
    Duplicate,
}

/// Where a rendered PDF went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPdf {
    /// The file written.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}
