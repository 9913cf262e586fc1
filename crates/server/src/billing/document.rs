//! Documents as the API shows them: the printed snapshot taken at issue time from the GST
//! library's computed document, list rows, and the full detail with branding, IRN state and
//! linked notes.

use akashone_gst::draft::{Buyer, Seller, iso_date};
use akashone_gst::{
    ComputedInvoice, DocumentType, FinancialYear, Gstin, InvoiceNumber, IssuedInvoice, Paise,
    SupplyKind, TaxAmount, TaxRegime, irn_for,
};
use akashone_types::central::{
    BrandingOut, DocumentKind, EInvoiceOut, EInvoiceState, InvoiceDetail, InvoiceDocument,
    InvoiceSummary, LineOut, OriginalInvoiceOut, PartyOut, PaymentOut, PeriodOut, RateSummaryOut,
    SupplyOut, TaxOut, TaxRegimeOut, TotalsOut,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::profile::{address_out, bank_out, supply_kind};
use super::rupees;
use crate::context::AppState;
use crate::db::{DocumentHead, DocumentRecord};
use crate::error::{Error, Result};

/// The branding a document was issued with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BrandingSnapshot {
    pub display_name: String,
    pub brand_colour: Option<String>,
    /// SHA-256 (hex) of the logo in the logo store.
    pub logo_sha256: Option<String>,
}

/// What is stored for printing: the document (its number is stored beside it) and branding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub document: InvoiceDocument,
    pub branding: BrandingSnapshot,
}

/// The API's kind of a GST document type.
pub(crate) fn kind_of(t: DocumentType) -> DocumentKind {
    match t {
        DocumentType::Invoice => DocumentKind::Invoice,
        DocumentType::CreditNote => DocumentKind::CreditNote,
        DocumentType::DebitNote => DocumentKind::DebitNote,
    }
}

fn doc_type(k: DocumentKind) -> DocumentType {
    match k {
        DocumentKind::Invoice => DocumentType::Invoice,
        DocumentKind::CreditNote => DocumentType::CreditNote,
        DocumentKind::DebitNote => DocumentType::DebitNote,
    }
}

fn money(p: Paise) -> String {
    p.to_rupee_string()
}

fn taxes(t: &[TaxAmount]) -> Vec<TaxOut> {
    t.iter()
        .map(|t| TaxOut {
            head: t.head.as_str().to_owned(),
            rate: t.rate.to_string(),
            amount: money(t.amount),
        })
        .collect()
}

fn seller_party(s: &Seller) -> PartyOut {
    PartyOut {
        legal_name: s.legal_name.clone(),
        trade_name: s.trade_name.clone(),
        gstin: Some(s.gstin.to_string()),
        address: address_out(&s.address),
        state_code: Some(s.state.to_string()),
        state_name: Some(s.state.name().to_owned()),
        country: None,
        delivery_address: None,
        phone: s.phone.clone(),
        email: s.email.clone(),
    }
}

fn buyer_party(b: &Buyer) -> PartyOut {
    let state = b
        .state
        .or_else(|| b.gstin.as_ref().and_then(Gstin::state_code));
    PartyOut {
        legal_name: b.legal_name.clone(),
        trade_name: b.trade_name.clone(),
        gstin: b.gstin.as_ref().map(ToString::to_string),
        address: address_out(&b.address),
        state_code: state.map(|s| s.to_string()),
        state_name: state.map(|s| s.name().to_owned()),
        country: b.country.clone(),
        delivery_address: b.delivery_address.as_ref().map(address_out),
        phone: b.phone.clone(),
        email: b.email.clone(),
    }
}

/// The printed document from the GST library's computation; `number` is filled when read.
pub(crate) fn document_of(c: &ComputedInvoice) -> InvoiceDocument {
    let supply = c.supply();
    let t = c.totals();
    let payment = c.seller().payment.as_ref().map(|p| PaymentOut {
        bank: p.bank.as_ref().map(bank_out),
        upi_id: p.upi_id.as_ref().map(|u| u.as_str().to_owned()),
        terms: p.terms.clone(),
        due_date: p.due_date.map(iso_date::format),
    });
    InvoiceDocument {
        document_type: kind_of(c.document_type()),
        title: c.document_type().title().to_owned(),
        number: c.number().map(ToString::to_string).unwrap_or_default(),
        date: iso_date::format(c.date()),
        financial_year: c.financial_year().to_string(),
        original_invoice: c.original_invoice().map(|o| OriginalInvoiceOut {
            number: o.number.to_string(),
            date: iso_date::format(o.date),
        }),
        reason: c.reason().map(str::to_owned),
        billing_period: c.billing_period().map(|p| PeriodOut {
            from: iso_date::format(p.from),
            to: iso_date::format(p.to),
        }),
        seller: seller_party(c.seller()),
        buyer: buyer_party(c.buyer()),
        supply: SupplyOut {
            kind: supply_kind(supply.kind),
            supplier_state_code: supply.supplier_state.to_string(),
            supplier_state_name: supply.supplier_state.name().to_owned(),
            place_of_supply_code: supply.place_of_supply.to_string(),
            place_of_supply_name: supply.place_of_supply.name().to_owned(),
            regime: match supply.regime {
                TaxRegime::CgstSgst => TaxRegimeOut::CgstSgst,
                TaxRegime::CgstUtgst => TaxRegimeOut::CgstUtgst,
                TaxRegime::Igst => TaxRegimeOut::Igst,
                TaxRegime::ZeroRatedLut => TaxRegimeOut::ZeroRatedLut,
            },
            inter_state: supply.is_inter_state(),
            zero_rated: supply.zero_rated,
            reverse_charge: supply.reverse_charge,
        },
        endorsement: c.endorsement().map(str::to_owned),
        lut_reference: c.lut_reference().map(str::to_owned),
        lines: c
            .lines()
            .iter()
            .map(|l| LineOut {
                sl_no: l.sl_no,
                description: l.description.clone(),
                sac: l.sac.to_string(),
                quantity: l.quantity.to_decimal_string(),
                unit: l.unit.clone(),
                unit_price: l.unit_price.to_rupee_string(),
                gross: money(l.gross),
                discount: money(l.discount),
                taxable_value: money(l.taxable_value),
                gst_rate: l.gst_rate.to_string(),
                taxes: taxes(&l.taxes),
                total_tax: money(l.total_tax),
                total: money(l.total),
            })
            .collect(),
        tax_summary: c
            .tax_summary()
            .iter()
            .map(|s| RateSummaryOut {
                gst_rate: s.gst_rate.to_string(),
                taxable_value: money(s.taxable_value),
                taxes: taxes(&s.taxes),
                total_tax: money(s.total_tax),
            })
            .collect(),
        totals: TotalsOut {
            gross: money(t.gross),
            discount: money(t.discount),
            taxable_value: money(t.taxable_value),
            cgst: money(t.cgst),
            sgst: money(t.sgst),
            utgst: money(t.utgst),
            igst: money(t.igst),
            total_tax: money(t.total_tax),
            total_before_round_off: money(t.total_before_round_off),
            round_off: money(t.round_off),
            total: money(t.total),
        },
        amount_in_words: c.amount_in_words().to_owned(),
        payment,
        notes: c.notes().map(str::to_owned),
    }
}

/// Whether a computed document must wait for an IRN (e-invoicing seller, not B2C).
pub(crate) fn requires_irn(c: &ComputedInvoice) -> bool {
    c.seller().e_invoicing && c.supply().kind != SupplyKind::B2c
}

/// A list row.
pub(crate) fn summary(h: &DocumentHead) -> InvoiceSummary {
    InvoiceSummary {
        id: h.id.clone(),
        document_type: h.kind,
        number: h.number.clone(),
        date: h.issue_date.clone(),
        financial_year: FinancialYear::starting_in(h.fy_start).to_string(),
        seller_tenant_id: h.seller_tenant_id.clone(),
        seller_name: h.seller_name.clone(),
        customer_tenant_id: h.customer_tenant_id.clone(),
        customer_name: h.customer_name.clone(),
        period: h.period.clone(),
        original_invoice_id: h.original_id.clone(),
        taxable_value: rupees(h.taxable_paise),
        total_tax: rupees(h.tax_paise),
        total: rupees(h.total_paise),
        einvoice_status: h.einvoice_state(),
        created_at: h.created_at,
    }
}

/// The stored document recomputed by the GST library, numbered as issued, and checked to be
/// the document that was issued (the stored snapshot stays what is printed either way).
pub(crate) fn reissue(rec: &DocumentRecord) -> Result<IssuedInvoice> {
    let issued = IssuedInvoice::restore(&rec.draft, &rec.head.number)
        .map_err(|e| Error::Internal(format!("stored draft of {}: {e}", rec.head.number)))?;
    let t = issued.invoice().totals();
    if t.taxable_value.as_i64() != rec.head.taxable_paise
        || t.total.as_i64() != rec.head.total_paise
        || t.total_tax.as_i64() != rec.head.tax_paise
    {
        return Err(Error::Internal(format!(
            "{} no longer recomputes to the amounts it was issued with",
            rec.head.number
        )));
    }
    Ok(issued)
}

/// The IRN the IRP will assign to a stored document.
fn expected_irn(rec: &DocumentRecord, snapshot: &InvoiceDocument) -> Option<String> {
    if snapshot.supply.kind == akashone_types::central::SupplyKindOut::B2c {
        return None;
    }
    let gstin = Gstin::parse(snapshot.seller.gstin.as_deref()?).ok()?;
    let number = InvoiceNumber::parse(&rec.head.number).ok()?;
    Some(irn_for(
        &gstin,
        FinancialYear::starting_in(rec.head.fy_start),
        doc_type(rec.head.kind),
        &number,
    ))
}

/// The full detail of a stored document.
pub(crate) async fn detail(state: &AppState, rec: &DocumentRecord) -> Result<InvoiceDetail> {
    let mut snap: Snapshot = serde_json::from_str(&rec.snapshot)
        .map_err(|e| Error::Internal(format!("stored snapshot of {}: {e}", rec.head.number)))?;
    snap.document.number = rec.head.number.clone();
    let logo = match &snap.branding.logo_sha256 {
        Some(h) => state.db.logo(h).await?.map(|png| STANDARD.encode(png)),
        None => None,
    };
    let status = rec.head.einvoice_state();
    let irn = rec.irn.as_ref();
    let einvoice = EInvoiceOut {
        status,
        expected_irn: rec
            .head
            .requires_irn
            .then(|| expected_irn(rec, &snap.document))
            .flatten(),
        irn: irn.map(|i| i.irn.clone()),
        ack_no: irn.map(|i| i.ack_no.clone()),
        ack_date: irn.map(|i| i.ack_date.clone()),
        signed_qr_code: irn.map(|i| i.signed_qr_code.clone()),
        signed_invoice: irn.and_then(|i| i.signed_invoice.clone()),
        imported_at: irn.map(|i| i.imported_at),
    };
    let (notes, creditable_taxable, creditable_total) = if rec.head.kind == DocumentKind::Invoice {
        let notes = state.db.notes_of(&rec.head.id).await?;
        let (mut taxable, mut total) = (rec.head.taxable_paise, rec.head.total_paise);
        for n in &notes {
            let sign = if n.kind == DocumentKind::CreditNote {
                -1
            } else {
                1
            };
            taxable += sign * n.taxable_paise;
            total += sign * n.total_paise;
        }
        (
            notes.iter().map(summary).collect(),
            Some(rupees(taxable)),
            Some(rupees(total)),
        )
    } else {
        (Vec::new(), None, None)
    };
    Ok(InvoiceDetail {
        summary: summary(&rec.head),
        document: snap.document,
        branding: BrandingOut {
            display_name: snap.branding.display_name,
            brand_colour: snap.branding.brand_colour,
            logo_png: logo,
        },
        einvoice,
        printable: status != EInvoiceState::AwaitingIrn,
        notes,
        creditable_taxable_value: creditable_taxable,
        creditable_total,
        draft: rec.draft.clone(),
    })
}
