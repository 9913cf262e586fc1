//! Issued documents (tax invoices, credit notes, debit notes): as listed, and in full with every
//! rule 46 / rule 53 particular, so a client can print them offline exactly as issued.

use serde::{Deserialize, Serialize};

use super::{BankDetails, BillingAddress, SupplyKindOut};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A tax invoice (rule 46).
    Invoice,
    /// A credit note (s.34, rule 53).
    CreditNote,
    /// A debit note (s.34, rule 53).
    DebitNote,
}

impl DocumentKind {
    /// The wire name, e.g. `credit_note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit_note",
            Self::DebitNote => "debit_note",
        }
    }

    /// Reads the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Invoice, Self::CreditNote, Self::DebitNote]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a document stands with the Invoice Registration Portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EInvoiceState {
    /// No IRN needed (B2C, or the seller is below the e-invoicing threshold).
    NotRequired,
    /// Not a valid invoice until the IRP's response is imported (rule 48(5)).
    AwaitingIrn,
    /// Registered: IRN, acknowledgement and signed QR code attached.
    Registered,
}

impl EInvoiceState {
    /// The wire name, e.g. `awaiting_irn`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotRequired => "not_required",
            Self::AwaitingIrn => "awaiting_irn",
            Self::Registered => "registered",
        }
    }
}

/// Which documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InvoiceListQuery {
    /// Root of the subtree (default: the caller's tenant): documents issued by or to a tenant
    /// in it.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Only those addressed to this customer tenant.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Only those issued by this seller tenant.
    #[serde(default)]
    pub seller_id: Option<String>,
    /// Only invoices of this billing period, `YYYY-MM`.
    #[serde(default)]
    pub period: Option<String>,
    /// Only in this e-invoice state.
    #[serde(default)]
    pub status: Option<EInvoiceState>,
    /// Only this kind (default: every kind).
    #[serde(default)]
    pub document_type: Option<DocumentKind>,
    /// At most this many (1–200, default 50), newest first.
    #[serde(default)]
    pub limit: Option<u32>,
    /// Skip this many (paging).
    #[serde(default)]
    pub offset: Option<u64>,
}

/// A document as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvoiceSummary {
    /// Id.
    pub id: String,
    /// Invoice, credit note or debit note.
    pub document_type: DocumentKind,
    /// Number (unique per seller; consecutive per series and financial year).
    pub number: String,
    /// Date of issue.
    pub date: String,
    /// Financial year, e.g. `2026-27`.
    pub financial_year: String,
    /// The seller tenant.
    pub seller_tenant_id: String,
    /// The seller's legal name.
    pub seller_name: String,
    /// The customer tenant.
    pub customer_tenant_id: String,
    /// The buyer's legal name.
    pub customer_name: String,
    /// The billing period of an invoice from a run, `YYYY-MM`.
    pub period: Option<String>,
    /// For notes: the invoice corrected.
    pub original_invoice_id: Option<String>,
    /// Taxable value (rupees).
    pub taxable_value: String,
    /// Total tax (rupees).
    pub total_tax: String,
    /// Total after round-off (rupees).
    pub total: String,
    /// E-invoice state.
    pub einvoice_status: EInvoiceState,
    /// Issued (Unix seconds).
    pub created_at: i64,
}

/// A page of documents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvoicePage {
    /// The documents, newest first.
    pub items: Vec<InvoiceSummary>,
    /// How many match in all.
    pub total: u64,
    /// The limit applied.
    pub limit: u32,
    /// The offset applied.
    pub offset: u64,
}

/// A party as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PartyOut {
    /// Legal name.
    pub legal_name: String,
    /// Trade name.
    pub trade_name: Option<String>,
    /// GSTIN (absent for unregistered buyers and buyers abroad).
    pub gstin: Option<String>,
    /// Address.
    pub address: BillingAddress,
    /// State code.
    pub state_code: Option<String>,
    /// State name.
    pub state_name: Option<String>,
    /// Country abroad.
    pub country: Option<String>,
    /// Delivery address, if different.
    pub delivery_address: Option<BillingAddress>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// The one tax regime of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaxRegimeOut {
    /// Intra-State: CGST + SGST.
    CgstSgst,
    /// Inside a UT without legislature: CGST + UTGST.
    CgstUtgst,
    /// Inter-State, or zero-rated with IGST paid.
    Igst,
    /// Zero-rated under bond or LUT: IGST at nil.
    ZeroRatedLut,
}

/// Place of supply and regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SupplyOut {
    /// Who is supplied.
    pub kind: SupplyKindOut,
    /// The supplier's State code.
    pub supplier_state_code: String,
    /// Its name.
    pub supplier_state_name: String,
    /// Place of supply, State code (96 for exports).
    pub place_of_supply_code: String,
    /// Its name.
    pub place_of_supply_name: String,
    /// The regime.
    pub regime: TaxRegimeOut,
    /// Inter-State supply.
    pub inter_state: bool,
    /// Zero-rated (export or SEZ).
    pub zero_rated: bool,
    /// Tax payable on reverse charge.
    pub reverse_charge: bool,
}

/// The tax of one head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaxOut {
    /// `CGST`, `SGST`, `UTGST` or `IGST`.
    pub head: String,
    /// Rate in percent (`9`, `18`).
    pub rate: String,
    /// Amount (rupees).
    pub amount: String,
}

/// One line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LineOut {
    /// Serial number from 1.
    pub sl_no: u32,
    /// Description.
    pub description: String,
    /// SAC (998315 for IaaS).
    pub sac: String,
    /// Quantity.
    pub quantity: String,
    /// Unit.
    pub unit: Option<String>,
    /// Price per unit (rupees, up to 3 decimals).
    pub unit_price: String,
    /// Quantity × unit price.
    pub gross: String,
    /// Discount.
    pub discount: String,
    /// Taxable value.
    pub taxable_value: String,
    /// GST rate, percent.
    pub gst_rate: String,
    /// Tax per head.
    pub taxes: Vec<TaxOut>,
    /// Total tax.
    pub total_tax: String,
    /// Taxable value + tax.
    pub total: String,
}

/// Taxable value and tax at one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RateSummaryOut {
    /// GST rate, percent.
    pub gst_rate: String,
    /// Taxable value.
    pub taxable_value: String,
    /// Tax per head.
    pub taxes: Vec<TaxOut>,
    /// Total tax.
    pub total_tax: String,
}

/// Header totals, each the sum of the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TotalsOut {
    /// Σ gross.
    pub gross: String,
    /// Σ discount.
    pub discount: String,
    /// Σ taxable value.
    pub taxable_value: String,
    /// Σ CGST.
    pub cgst: String,
    /// Σ SGST.
    pub sgst: String,
    /// Σ UTGST.
    pub utgst: String,
    /// Σ IGST.
    pub igst: String,
    /// Σ tax.
    pub total_tax: String,
    /// Taxable value + tax.
    pub total_before_round_off: String,
    /// Round off to the rupee (±0.50).
    pub round_off: String,
    /// Total.
    pub total: String,
}

/// How to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PaymentOut {
    /// Bank transfer.
    pub bank: Option<BankDetails>,
    /// UPI ID.
    pub upi_id: Option<String>,
    /// Terms.
    pub terms: Option<String>,
    /// Due date.
    pub due_date: Option<String>,
}

/// The invoice a note corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OriginalInvoiceOut {
    /// Its number.
    pub number: String,
    /// Its date.
    pub date: String,
}

/// A usage period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PeriodOut {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// The document as issued: what is printed, forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvoiceDocument {
    /// Invoice, credit note or debit note.
    pub document_type: DocumentKind,
    /// The heading: `Tax Invoice`, `Credit Note`, `Debit Note`.
    pub title: String,
    /// Number.
    pub number: String,
    /// Date of issue.
    pub date: String,
    /// Financial year.
    pub financial_year: String,
    /// For notes: the invoice corrected.
    pub original_invoice: Option<OriginalInvoiceOut>,
    /// For notes: why.
    pub reason: Option<String>,
    /// The usage period billed.
    pub billing_period: Option<PeriodOut>,
    /// Supplier.
    pub seller: PartyOut,
    /// Recipient.
    pub buyer: PartyOut,
    /// Place of supply and regime.
    pub supply: SupplyOut,
    /// The export/SEZ endorsement (rule 46), if any.
    pub endorsement: Option<String>,
    /// LUT reference, if any.
    pub lut_reference: Option<String>,
    /// Lines.
    pub lines: Vec<LineOut>,
    /// By GST rate.
    pub tax_summary: Vec<RateSummaryOut>,
    /// Totals.
    pub totals: TotalsOut,
    /// The total in words (Indian numbering).
    pub amount_in_words: String,
    /// How to pay.
    pub payment: Option<PaymentOut>,
    /// Free text.
    pub notes: Option<String>,
}

/// The seller's white-label branding as it was when the document was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BrandingOut {
    /// Brand name.
    pub display_name: String,
    /// `#RRGGBB`.
    pub brand_colour: Option<String>,
    /// Logo, PNG base64.
    pub logo_png: Option<String>,
}

/// The IRP registration of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EInvoiceOut {
    /// State.
    pub status: EInvoiceState,
    /// The IRN the IRP will assign (documents reported to the IRP).
    pub expected_irn: Option<String>,
    /// IRN, once registered.
    pub irn: Option<String>,
    /// Acknowledgement number.
    pub ack_no: Option<String>,
    /// Acknowledgement date and time as the IRP wrote it (`YYYY-MM-DD HH:MM:SS`, IST).
    pub ack_date: Option<String>,
    /// The signed QR code (a JWT): print it as the QR image.
    pub signed_qr_code: Option<String>,
    /// The signed invoice (a JWT), if returned.
    pub signed_invoice: Option<String>,
    /// When the response was imported (Unix seconds).
    pub imported_at: Option<i64>,
}

/// A document in full.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvoiceDetail {
    /// As listed.
    pub summary: InvoiceSummary,
    /// Every printed particular.
    pub document: InvoiceDocument,
    /// The seller's branding.
    pub branding: BrandingOut,
    /// E-invoice state.
    pub einvoice: EInvoiceOut,
    /// Whether it may be printed (not awaiting an IRN).
    pub printable: bool,
    /// For invoices: its credit and debit notes, oldest first.
    pub notes: Vec<InvoiceSummary>,
    /// For invoices: the taxable value still creditable (invoice + debit notes − credit notes).
    pub creditable_taxable_value: Option<String>,
    /// For invoices: the total still creditable.
    pub creditable_total: Option<String>,
    /// The document's draft as issued (the GST library's input, JSON): with the number, it
    /// recomputes to exactly this document, so a client renders the same PDF offline.
    pub draft: String,
}

/// The IRP's "Generate IRN" response for a document awaiting its IRN.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportIrnRequest {
    /// The response as received, JSON text: the decrypted object (`Irn`, `AckNo`, `AckDt`,
    /// `SignedQRCode`…), the IRP envelope `{"Status": "1", "Data": …}` or a GSP's
    /// `{"success": true, "result": …}`.
    pub response: String,
}

/// Credit or debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Reduces the value charged.
    #[default]
    Credit,
    /// Increases it.
    Debit,
}

/// One line of a note.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteLineIn {
    /// What is credited or debited.
    pub description: String,
    /// Quantity (decimal string, up to 3 decimals).
    pub quantity: String,
    /// Unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// Rupees per unit (up to 3 decimals).
    pub unit_price: String,
    /// SAC (default 998315).
    #[serde(default)]
    pub sac: Option<String>,
    /// GST rate, percent (default 18).
    #[serde(default)]
    pub gst_rate: Option<String>,
}

/// A credit or debit note against an issued invoice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateNoteRequest {
    /// Credit (default) or debit.
    #[serde(default)]
    pub kind: NoteKind,
    /// Why (printed; 1–500 characters).
    pub reason: String,
    /// The lines (1–100).
    pub lines: Vec<NoteLineIn>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_stable() {
        for k in [
            DocumentKind::Invoice,
            DocumentKind::CreditNote,
            DocumentKind::DebitNote,
        ] {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        for s in [
            EInvoiceState::NotRequired,
            EInvoiceState::AwaitingIrn,
            EInvoiceState::Registered,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        let note: CreateNoteRequest = serde_json::from_str(
            r#"{"reason": "r", "lines": [{"description": "d", "quantity": "1", "unitPrice": "2.5"}]}"#,
        )
        .unwrap();
        assert_eq!(note.kind, NoteKind::Credit);
        assert_eq!(note.lines[0].unit_price, "2.5");
        assert!(
            serde_json::from_str::<CreateNoteRequest>(r#"{"reason": "r", "lines": [], "x": 1}"#)
                .is_err()
        );
    }
}
