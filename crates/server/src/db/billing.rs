//! Storage of GST billing behind its own trait, [`BillingStore`], a supertrait of
//! [`super::Database`]: seller profiles and logos, customers' billing details, rate-card
//! versions, numbering counters, issued documents with their IRP registrations, and runs.
//!
//! Guarantees every backend must keep:
//! - a document number is allocated in the same transaction that inserts the document, from a
//!   counter row per seller, document kind and financial year, so numbers have no gaps and no
//!   duplicates however many documents are issued at once;
//! - issued documents and their registrations are never updated or deleted;
//! - one invoice per seller, customer and period;
//! - the credit notes of an invoice never exceed it (plus its debit notes), checked in the
//!   issuing transaction.
//!
//! Money is integer paise, prices integer thousandths of a rupee, dates `YYYY-MM-DD` text,
//! periods `YYYY-MM`.

use akashone_billing::RateCard;
use akashone_gst::{Buyer, Seller, SeriesFormat};
use akashone_types::central::{DocumentKind, EInvoiceState, RunCustomerOut};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::DbResult;

/// What a seller prints on its documents, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerProfile {
    /// The supplier as the GST library takes it (name, address, GSTIN, State, contact, brand
    /// colour, bank and UPI details, e-invoicing).
    pub seller: Seller,
    /// White-label brand.
    pub display_name: String,
    /// Tax-invoice series prefix.
    pub invoice_prefix: String,
    /// Credit-note series prefix.
    pub credit_note_prefix: String,
    /// Debit-note series prefix.
    pub debit_note_prefix: String,
    /// Days from the invoice date to the due date.
    pub payment_due_days: Option<u16>,
    /// Letter of Undertaking reference (exports and SEZ without IGST).
    pub lut_reference: Option<String>,
}

/// A seller profile as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerRecord {
    /// The seller tenant.
    pub tenant_id: String,
    /// The profile.
    pub profile: SellerProfile,
    /// SHA-256 (hex) of its logo in the logo store.
    pub logo_sha256: Option<String>,
    /// Last change.
    pub updated_at: i64,
    /// Who made it.
    pub updated_by: String,
}

/// How a customer is invoiced, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProfile {
    /// The recipient as the GST library takes it.
    pub buyer: Buyer,
    /// Outside India (export of services).
    pub export: bool,
    /// A SEZ unit or developer.
    pub sez: bool,
}

/// A customer's billing details as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    /// The customer tenant.
    pub tenant_id: String,
    /// The details.
    pub profile: CustomerProfile,
    /// Last change.
    pub updated_at: i64,
    /// Who made it.
    pub updated_by: String,
}

/// One version of a seller's rate card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateCardRecord {
    /// The seller.
    pub seller_tenant_id: String,
    /// First day in force, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Prices and discount.
    pub card: RateCard,
    /// When added.
    pub created_at: i64,
    /// Who added it.
    pub created_by: String,
}

/// Outcome of adding a rate-card version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddRateCard {
    /// Stored.
    Added,
    /// A version with the same first day exists (versions are never changed).
    Exists,
    /// The seller already invoiced this period, which is on or after the version's first day.
    AlreadyInvoiced(String),
}

/// The most a credit note may take: the invoice's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditLimit {
    /// The invoice's taxable value.
    pub taxable_paise: i64,
    /// The invoice's total.
    pub total_paise: i64,
}

/// A document ready to be numbered and stored.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Id.
    pub id: String,
    /// The seller tenant.
    pub seller_tenant_id: String,
    /// The customer tenant.
    pub customer_tenant_id: String,
    /// Invoice, credit note or debit note.
    pub kind: DocumentKind,
    /// For notes: the invoice corrected.
    pub original_id: Option<String>,
    /// For invoices of a run: the period, `YYYY-MM` (one invoice per seller, customer, period).
    pub period: Option<String>,
    /// The run that issued it.
    pub run_id: Option<String>,
    /// Date of issue, `YYYY-MM-DD`; decides the financial year.
    pub issue_date: time::Date,
    /// The series its number is formatted with.
    pub series: SeriesFormat,
    /// Whether it awaits an IRN until one is attached.
    pub requires_irn: bool,
    /// The seller's legal name (for lists).
    pub seller_name: String,
    /// The buyer's legal name (for lists).
    pub customer_name: String,
    /// Taxable value.
    pub taxable_paise: i64,
    /// Total tax.
    pub tax_paise: i64,
    /// Total after round-off.
    pub total_paise: i64,
    /// The GST draft it was computed from (JSON, without its number).
    pub draft: String,
    /// The computed document as printed (JSON, without its number).
    pub snapshot: String,
    /// When.
    pub created_at: i64,
    /// Who.
    pub created_by: String,
    /// For credit notes: the invoice's values, which all its credit notes together may not
    /// exceed (beyond its debit notes).
    pub credit_limit: Option<CreditLimit>,
}

/// Outcome of issuing a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueOutcome {
    /// Numbered and stored.
    Issued {
        /// Its number.
        number: String,
        /// Its place in the series.
        sequence: u64,
    },
    /// The seller already invoiced this customer for this period.
    AlreadyIssued {
        /// That invoice.
        id: String,
        /// Its number.
        number: String,
        /// Its total.
        total_paise: i64,
    },
    /// The date precedes the last document of the series in its financial year.
    DateBeforeSeries {
        /// That document's date.
        last_date: String,
    },
    /// The series has no numbers left this financial year.
    SeriesExhausted(String),
    /// A credit note beyond what is left to credit.
    ExceedsInvoice {
        /// Taxable value left.
        taxable_left: i64,
        /// Total left.
        total_left: i64,
    },
}

/// The IRP's registration of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrnRecord {
    /// IRN (64 lowercase hex).
    pub irn: String,
    /// Acknowledgement number.
    pub ack_no: String,
    /// Acknowledgement date as written by the IRP.
    pub ack_date: String,
    /// Signed QR code (JWT).
    pub signed_qr_code: String,
    /// Signed invoice (JWT).
    pub signed_invoice: Option<String>,
    /// When imported.
    pub imported_at: i64,
    /// Who imported it.
    pub imported_by: String,
}

/// What lists show of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentHead {
    /// Id.
    pub id: String,
    /// The seller tenant.
    pub seller_tenant_id: String,
    /// The customer tenant.
    pub customer_tenant_id: String,
    /// Kind.
    pub kind: DocumentKind,
    /// For notes: the invoice corrected.
    pub original_id: Option<String>,
    /// Period of a run's invoice.
    pub period: Option<String>,
    /// The run that issued it.
    pub run_id: Option<String>,
    /// Number.
    pub number: String,
    /// Date of issue.
    pub issue_date: String,
    /// Financial year's first calendar year.
    pub fy_start: i32,
    /// Place in the series.
    pub sequence: u64,
    /// Seller's legal name.
    pub seller_name: String,
    /// Buyer's legal name.
    pub customer_name: String,
    /// Taxable value.
    pub taxable_paise: i64,
    /// Total tax.
    pub tax_paise: i64,
    /// Total.
    pub total_paise: i64,
    /// Whether it needs an IRN.
    pub requires_irn: bool,
    /// Whether the IRN is attached.
    pub registered: bool,
    /// When issued.
    pub created_at: i64,
    /// Who issued it.
    pub created_by: String,
}

impl DocumentHead {
    /// The e-invoice state.
    pub fn einvoice_state(&self) -> EInvoiceState {
        if self.registered {
            EInvoiceState::Registered
        } else if self.requires_irn {
            EInvoiceState::AwaitingIrn
        } else {
            EInvoiceState::NotRequired
        }
    }
}

/// A document in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    /// What lists show.
    pub head: DocumentHead,
    /// The GST draft (JSON).
    pub draft: String,
    /// The printed document (JSON).
    pub snapshot: String,
    /// The IRP's registration.
    pub irn: Option<IrnRecord>,
}

/// Which documents to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    /// Documents issued by or to a tenant whose path starts with this.
    pub scope_path: String,
    /// Only to this customer.
    pub customer_id: Option<String>,
    /// Only from this seller.
    pub seller_id: Option<String>,
    /// Only of this period.
    pub period: Option<String>,
    /// Only in this e-invoice state.
    pub status: Option<EInvoiceState>,
    /// Only of this kind.
    pub kind: Option<DocumentKind>,
    /// At most this many.
    pub limit: u32,
    /// After skipping this many.
    pub offset: u64,
}

/// A recorded billing run.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// Id.
    pub id: String,
    /// The seller.
    pub seller_tenant_id: String,
    /// The month billed.
    pub period: String,
    /// Date of its invoices.
    pub invoice_date: String,
    /// Started.
    pub started_at: i64,
    /// Finished.
    pub finished_at: i64,
    /// Acting user id.
    pub actor_id: Option<String>,
    /// Acting user name.
    pub actor: String,
    /// Usage records rated.
    pub usage_records: u64,
    /// Invoices issued.
    pub issued: u32,
    /// Customers invoiced before.
    pub skipped: u32,
    /// Customers without usage.
    pub no_usage: u32,
    /// Customers not invoiced.
    pub failed: u32,
    /// Sum of the issued totals.
    pub issued_total_paise: i64,
    /// Per customer.
    pub customers: Vec<RunCustomerOut>,
}

/// Everything billing stores. Each method is one atomic step.
#[async_trait]
pub trait BillingStore: Send + Sync + 'static {
    /// A seller's profile.
    async fn seller_profile(&self, tenant_id: &str) -> DbResult<Option<SellerRecord>>;
    /// Inserts or replaces a seller's profile; `new_logo` (the PNG whose hash is
    /// `record.logo_sha256`) is stored first when given.
    async fn put_seller_profile(
        &self,
        record: &SellerRecord,
        new_logo: Option<&[u8]>,
    ) -> DbResult<()>;
    /// A logo by its SHA-256 (hex). Logos are kept forever: issued documents refer to them.
    async fn logo(&self, sha256: &str) -> DbResult<Option<Vec<u8>>>;

    /// A customer's billing details.
    async fn customer_profile(&self, tenant_id: &str) -> DbResult<Option<CustomerRecord>>;
    /// Inserts or replaces a customer's billing details.
    async fn put_customer_profile(&self, record: &CustomerRecord) -> DbResult<()>;

    /// Every version of a seller's rate card, newest first.
    async fn rate_cards(&self, seller_tenant_id: &str) -> DbResult<Vec<RateCardRecord>>;
    /// The version in force on `date` (`YYYY-MM-DD`): the latest starting on or before it.
    async fn rate_card_at(
        &self,
        seller_tenant_id: &str,
        date: &str,
    ) -> DbResult<Option<RateCardRecord>>;
    /// Adds a version, unless one starts the same day or the seller has invoiced a period on
    /// or after that day.
    async fn add_rate_card(&self, record: &RateCardRecord) -> DbResult<AddRateCard>;

    /// Numbers and stores a document in one transaction (see the module documentation).
    async fn issue_document(&self, doc: &NewDocument) -> DbResult<IssueOutcome>;
    /// The invoice of a seller to a customer for a period, if issued.
    async fn invoice_for_period(
        &self,
        seller_tenant_id: &str,
        customer_tenant_id: &str,
        period: &str,
    ) -> DbResult<Option<DocumentHead>>;
    /// One document.
    async fn document(&self, id: &str) -> DbResult<Option<DocumentRecord>>;
    /// Documents matching `filter`, latest date first (then latest issued), and how many match
    /// in all.
    async fn documents(&self, filter: &DocumentFilter) -> DbResult<(Vec<DocumentHead>, u64)>;
    /// The credit and debit notes of an invoice, in the order they were issued.
    async fn notes_of(&self, invoice_id: &str) -> DbResult<Vec<DocumentHead>>;
    /// Attaches the IRP's registration once; false when the document already has one.
    async fn attach_irn(&self, document_id: &str, irn: &IrnRecord) -> DbResult<bool>;

    /// Records a billing run.
    async fn insert_run(&self, run: &RunRecord) -> DbResult<()>;
    /// A seller's runs, newest first.
    async fn runs(&self, seller_tenant_id: &str, limit: u32) -> DbResult<Vec<RunRecord>>;
}
