//! GST billing: seller profiles, customers' billing details, versioned rate cards, billing runs,
//! issued invoices with credit and debit notes, and their e-invoice (IRN) state.
//!
//! Money is exact on the wire: rupee amounts are decimal strings with two decimals
//! (`"16211.26"`, `"-0.26"`), unit prices have up to three (`"0.417"`), quantities up to three
//! (`"744"`, `"512.5"`), percentages are decimal strings (`"18"`, `"12.5"`). JSON numbers with
//! fractions are never used. Dates are `YYYY-MM-DD`, billing periods `YYYY-MM`, times Unix
//! seconds.

mod document;

pub use document::*;

use serde::{Deserialize, Serialize};

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BillingAddress {
    /// Building and street.
    pub line1: String,
    /// Area or locality.
    #[serde(default)]
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// Six-digit Indian PIN code (needed for e-invoices).
    #[serde(default)]
    pub pin: Option<String>,
    /// Postal code abroad (exports).
    #[serde(default)]
    pub postal_code: Option<String>,
}

/// A bank account for payment by transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BankDetails {
    /// Account holder.
    pub account_name: String,
    /// Account number.
    pub account_number: String,
    /// IFSC of the branch (4 letters, `0`, 6 letters or digits).
    pub ifsc: String,
    /// Bank.
    pub bank_name: String,
    /// Branch.
    #[serde(default)]
    pub branch: Option<String>,
}

/// A seller's profile as set: the platform, or a reseller tenant, invoicing its direct
/// children. Replaces the whole profile except the logo, which is kept unless `logoPng` or
/// `removeLogo` is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SellerProfileIn {
    /// Legal name as registered.
    pub legal_name: String,
    /// Trade name, if different.
    #[serde(default)]
    pub trade_name: Option<String>,
    /// White-label brand shown on invoices and in the console (default: trade or legal name).
    #[serde(default)]
    pub display_name: Option<String>,
    /// GSTIN of the registration invoices are issued under.
    pub gstin: String,
    /// Place of business.
    pub address: BillingAddress,
    /// Two-digit State code; must be the GSTIN's first two digits (derived when absent).
    #[serde(default)]
    pub state_code: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Bank transfer details printed on invoices.
    #[serde(default)]
    pub bank: Option<BankDetails>,
    /// UPI ID (`name@bank`); invoices print a `upi://pay` QR code for their total.
    #[serde(default)]
    pub upi_id: Option<String>,
    /// Payment terms printed on invoices.
    #[serde(default)]
    pub payment_terms: Option<String>,
    /// Days from the invoice date to the due date (0–365).
    #[serde(default)]
    pub payment_due_days: Option<u16>,
    /// Brand colour, `#RRGGBB`.
    #[serde(default)]
    pub brand_colour: Option<String>,
    /// A new logo: a PNG of at most 256 KiB, base64. Absent: the current logo stays.
    #[serde(default)]
    pub logo_png: Option<String>,
    /// Remove the current logo.
    #[serde(default)]
    pub remove_logo: bool,
    /// Prefix of the tax-invoice series (1–5 of `A-Z a-z 0-9 / -`, not starting with `0`, `/`
    /// or `-`): numbers read `{prefix}/{yy-yy}/{sequence}`, at most 16 characters.
    pub invoice_prefix: String,
    /// Prefix of the credit-note series (different from the others).
    pub credit_note_prefix: String,
    /// Prefix of the debit-note series (different from the others).
    pub debit_note_prefix: String,
    /// Whether e-invoicing applies (aggregate turnover above ₹5 crore): B2B, SEZ and export
    /// documents then await an IRN before they are valid.
    #[serde(default)]
    pub e_invoicing: bool,
    /// Letter of Undertaking reference: exports and SEZ supplies are then invoiced without IGST.
    #[serde(default)]
    pub lut_number: Option<String>,
}

/// A seller's profile as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SellerProfileOut {
    /// The seller tenant.
    pub tenant_id: String,
    /// Legal name.
    pub legal_name: String,
    /// Trade name.
    pub trade_name: Option<String>,
    /// White-label brand.
    pub display_name: String,
    /// GSTIN.
    pub gstin: String,
    /// PAN inside the GSTIN.
    pub pan: Option<String>,
    /// Place of business.
    pub address: BillingAddress,
    /// State code of the registration.
    pub state_code: String,
    /// State name.
    pub state_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Bank transfer details.
    pub bank: Option<BankDetails>,
    /// UPI ID.
    pub upi_id: Option<String>,
    /// Payment terms.
    pub payment_terms: Option<String>,
    /// Days to the due date.
    pub payment_due_days: Option<u16>,
    /// Brand colour, `#RRGGBB`.
    pub brand_colour: Option<String>,
    /// The logo (PNG, base64), if any.
    pub logo_png: Option<String>,
    /// Tax-invoice series prefix.
    pub invoice_prefix: String,
    /// Credit-note series prefix.
    pub credit_note_prefix: String,
    /// Debit-note series prefix.
    pub debit_note_prefix: String,
    /// The first invoice number of the current financial year, as an example.
    pub invoice_number_example: String,
    /// Whether e-invoicing applies.
    pub e_invoicing: bool,
    /// Letter of Undertaking reference.
    pub lut_number: Option<String>,
    /// Last change (Unix seconds).
    pub updated_at: i64,
    /// Who made it.
    pub updated_by: String,
}

/// The white-label brand a signed-in user sees in the console: that of the nearest tenant,
/// from the user's own up to the platform, with a seller profile (for a customer, the reseller
/// that invoices it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BrandOut {
    /// The seller tenant whose brand it is.
    pub tenant_id: String,
    /// The brand name.
    pub display_name: String,
    /// Brand colour, `#RRGGBB`.
    pub brand_colour: Option<String>,
    /// SHA-256 (hex) of the logo: changes when the logo does.
    pub logo_sha256: Option<String>,
    /// The logo (PNG, base64), if any.
    pub logo_png: Option<String>,
}

/// A customer tenant's billing details, as its seller invoices it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerBillingIn {
    /// Legal name.
    pub legal_name: String,
    /// Trade name.
    #[serde(default)]
    pub trade_name: Option<String>,
    /// GSTIN; absent for an unregistered (B2C) customer or one abroad.
    #[serde(default)]
    pub gstin: Option<String>,
    /// Billing address.
    pub address: BillingAddress,
    /// Two-digit State code of the address: the place of supply. Derived from the GSTIN when
    /// registered; required for an unregistered customer in India.
    #[serde(default)]
    pub state_code: Option<String>,
    /// Country (ISO 3166 alpha-2) of a customer abroad.
    #[serde(default)]
    pub country: Option<String>,
    /// The customer is outside India: export of services (zero-rated).
    #[serde(default)]
    pub export: bool,
    /// The customer is a SEZ unit or developer (zero-rated; GSTIN required).
    #[serde(default)]
    pub sez: bool,
    /// Where services are delivered, if different.
    #[serde(default)]
    pub delivery_address: Option<BillingAddress>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
}

/// Who is supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SupplyKindOut {
    /// A registered recipient in India.
    B2b,
    /// An unregistered recipient in India.
    B2c,
    /// A recipient abroad.
    Export,
    /// A SEZ unit or developer.
    Sez,
}

/// A customer tenant's billing details as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerBillingOut {
    /// The customer tenant.
    pub tenant_id: String,
    /// Legal name.
    pub legal_name: String,
    /// Trade name.
    pub trade_name: Option<String>,
    /// GSTIN, when registered.
    pub gstin: Option<String>,
    /// Billing address.
    pub address: BillingAddress,
    /// State code of the address.
    pub state_code: Option<String>,
    /// State name.
    pub state_name: Option<String>,
    /// Country abroad.
    pub country: Option<String>,
    /// Export of services.
    pub export: bool,
    /// SEZ unit or developer.
    pub sez: bool,
    /// How it is supplied.
    pub supply_kind: SupplyKindOut,
    /// Delivery address.
    pub delivery_address: Option<BillingAddress>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Last change (Unix seconds).
    pub updated_at: i64,
    /// Who made it.
    pub updated_by: String,
}

/// A new version of a seller's rate card. Versions are never changed: a new price takes effect
/// from the first day of a month, and a period is rated with the version in force on its
/// first day.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateCardIn {
    /// First day the prices apply, `YYYY-MM-01`.
    pub effective_from: String,
    /// Rupees per vCPU-hour (up to 3 decimals).
    pub vcpu_hour: String,
    /// Rupees per GB of memory per hour.
    pub gb_ram_hour: String,
    /// Rupees per GB of volume storage per month.
    pub gb_storage_month: String,
    /// Rupees per public IP address per hour.
    pub public_ip_hour: String,
    /// Rupees per GB of snapshots per month.
    pub snapshot_gb_month: String,
    /// Rupees per Kubernetes cluster per hour.
    pub kubernetes_cluster_hour: String,
    /// Rupees per managed database instance per hour.
    pub database_instance_hour: String,
    /// A discount on every line, percent.
    #[serde(default)]
    pub discount_percent: Option<String>,
}

/// One version of a rate card.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RateCardOut {
    /// The seller.
    pub seller_tenant_id: String,
    /// First day the prices apply.
    pub effective_from: String,
    /// Rupees per vCPU-hour.
    pub vcpu_hour: String,
    /// Rupees per GB-RAM-hour.
    pub gb_ram_hour: String,
    /// Rupees per GB-storage-month.
    pub gb_storage_month: String,
    /// Rupees per public-IP-hour.
    pub public_ip_hour: String,
    /// Rupees per snapshot GB-month.
    pub snapshot_gb_month: String,
    /// Rupees per Kubernetes cluster-hour.
    pub kubernetes_cluster_hour: String,
    /// Rupees per database instance-hour.
    pub database_instance_hour: String,
    /// Discount percent.
    pub discount_percent: Option<String>,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// Who added it.
    pub created_by: String,
}

/// A seller's rate card: the version in force today and every version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RateCardsOut {
    /// The seller.
    pub seller_tenant_id: String,
    /// In force today.
    pub current: Option<RateCardOut>,
    /// Every version, newest first.
    pub versions: Vec<RateCardOut>,
}

/// Starts a billing run: one invoice per direct child of the seller with usage in the period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BillingRunRequest {
    /// The seller (default: the caller's tenant).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// The month billed, `YYYY-MM`; it must have ended.
    pub period: String,
    /// Date of the invoices (default: today in India): after the period, not in the future,
    /// and not before the last document of the seller's series in its financial year.
    #[serde(default)]
    pub invoice_date: Option<String>,
}

/// What a run did for one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// An invoice was issued.
    Issued,
    /// The period was invoiced before; nothing new was issued.
    Skipped,
    /// No usage in the period: no invoice.
    NoUsage,
    /// Not invoiced; the message says why (nothing was stored, no number was used).
    Failed,
}

/// One customer of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RunCustomerOut {
    /// The customer tenant.
    pub tenant_id: String,
    /// Its name.
    pub tenant_name: String,
    /// What happened.
    pub outcome: RunOutcome,
    /// The invoice issued now, or found from before.
    pub invoice_id: Option<String>,
    /// Its number.
    pub invoice_number: Option<String>,
    /// Its total (rupees).
    pub total: Option<String>,
    /// Usage records rated for it.
    pub usage_records: u64,
    /// Why it failed, or a remark.
    pub message: Option<String>,
}

/// A recorded billing run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BillingRunOut {
    /// Id.
    pub id: String,
    /// The seller.
    pub seller_tenant_id: String,
    /// The month billed.
    pub period: String,
    /// Date of its invoices.
    pub invoice_date: String,
    /// Started (Unix seconds).
    pub started_at: i64,
    /// Finished (Unix seconds).
    pub finished_at: i64,
    /// Who ran it.
    pub actor: String,
    /// Usage records rated.
    pub usage_records: u64,
    /// Invoices issued.
    pub issued: u32,
    /// Customers invoiced before.
    pub skipped: u32,
    /// Customers without usage.
    pub no_usage: u32,
    /// Customers that could not be invoiced.
    pub failed: u32,
    /// Sum of the totals of the invoices issued (rupees).
    pub issued_total: String,
    /// Each direct child of the seller.
    pub customers: Vec<RunCustomerOut>,
}

/// Which runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RunListQuery {
    /// The seller (default: the caller's tenant).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// At most this many (1–100, default 20), newest first.
    #[serde(default)]
    pub limit: Option<u32>,
}
