//! Issuing: a computed document numbered and stored with its printed snapshot; credit and
//! debit notes against an issued invoice; the IRP's response attached once.

use akashone_gst::draft::iso_date;
use akashone_gst::{
    ComputedInvoice, DocumentType, GstRate, HsnSac, InvoiceDraft, LineDraft, OriginalInvoice,
    Quantity, UnitPrice, compute_note, import_irn_response,
};
use akashone_types::central::{CreateNoteRequest, DocumentKind, ImportIrnRequest, NoteKind};
use time::Duration;

use super::document::{BrandingSnapshot, Snapshot, document_of, kind_of, reissue, requires_irn};
use super::{gst_error, rupees, today};
use crate::context::{AppState, Caller};
use crate::crypto;
use crate::db::{
    CreditLimit, DocumentRecord, IrnRecord, IssueOutcome, NewDocument, SellerRecord, User,
};
use crate::error::{Error, Result};

/// A computed document ready to be stored.
pub(crate) struct ToIssue<'a> {
    /// The seller's profile at issue time (series, branding).
    pub seller: &'a SellerRecord,
    /// The customer tenant.
    pub customer_tenant_id: &'a str,
    /// What was computed from.
    pub draft: &'a InvoiceDraft,
    /// The computation.
    pub computed: &'a ComputedInvoice,
    /// For a run's invoice: its period.
    pub period: Option<String>,
    /// For a run's invoice: the run.
    pub run_id: Option<String>,
    /// For notes: the invoice corrected.
    pub original_id: Option<String>,
    /// For credit notes: the invoice's values.
    pub credit_limit: Option<CreditLimit>,
}

/// Numbers and stores a document. Returns its id (meaningful when issued) and the outcome.
pub(crate) async fn store(
    state: &AppState,
    user: &User,
    t: ToIssue<'_>,
    now: i64,
) -> Result<(String, IssueOutcome)> {
    let kind = kind_of(t.computed.document_type());
    let profile = &t.seller.profile;
    let snapshot = Snapshot {
        document: document_of(t.computed),
        branding: BrandingSnapshot {
            display_name: profile.display_name.clone(),
            brand_colour: profile.seller.brand_colour.map(|c| c.to_string()),
            logo_sha256: t.seller.logo_sha256.clone(),
        },
    };
    let totals = t.computed.totals();
    let id = crypto::random_id();
    let doc = NewDocument {
        id: id.clone(),
        seller_tenant_id: t.seller.tenant_id.clone(),
        customer_tenant_id: t.customer_tenant_id.to_owned(),
        kind,
        original_id: t.original_id,
        period: t.period,
        run_id: t.run_id,
        issue_date: t.computed.date(),
        series: profile.series(kind)?,
        requires_irn: requires_irn(t.computed),
        seller_name: t.computed.seller().legal_name.clone(),
        customer_name: t.computed.buyer().legal_name.clone(),
        taxable_paise: totals.taxable_value.as_i64(),
        tax_paise: totals.total_tax.as_i64(),
        total_paise: totals.total.as_i64(),
        draft: serde_json::to_string(t.draft).map_err(|e| Error::Internal(e.to_string()))?,
        snapshot: serde_json::to_string(&snapshot).map_err(|e| Error::Internal(e.to_string()))?,
        created_at: now,
        created_by: user.username.clone(),
        credit_limit: t.credit_limit,
    };
    let outcome = state.db.issue_document(&doc).await?;
    Ok((id, outcome))
}

/// The refusal for an outcome other than issued.
pub(crate) fn refusal(outcome: &IssueOutcome, date: time::Date) -> Error {
    match outcome {
        IssueOutcome::Issued { .. } => Error::Internal("issued is not a refusal".into()),
        IssueOutcome::AlreadyIssued { number, .. } => Error::Conflict(format!(
            "Invoice {number} already covers this customer and period."
        )),
        IssueOutcome::DateBeforeSeries { last_date } => Error::Conflict(format!(
            "The date {date} precedes {last_date}, the date of the last document of this series; numbers follow dates within a financial year."
        )),
        IssueOutcome::SeriesExhausted(m) => Error::Conflict(m.clone()),
        IssueOutcome::ExceedsInvoice {
            taxable_left,
            total_left,
        } => Error::Invalid(format!(
            "The credit notes of an invoice may not exceed it: ₹{} of taxable value (₹{} in all) is left to credit.",
            rupees((*taxable_left).max(0)),
            rupees((*total_left).max(0))
        )),
    }
}

fn note_line(i: usize, l: &akashone_types::central::NoteLineIn) -> Result<LineDraft> {
    let field = |f: &str| format!("lines[{}].{f}", i + 1);
    let bad = |f: &str, e: akashone_gst::GstError| Error::Invalid(format!("{}: {e}", field(f)));
    let description = l.description.trim();
    if description.is_empty() || description.chars().count() > 300 {
        return Err(Error::Invalid(format!(
            "{}: must have 1–300 characters.",
            field("description")
        )));
    }
    Ok(LineDraft {
        description: description.to_owned(),
        sac: HsnSac::parse(l.sac.as_deref().unwrap_or("998315")).map_err(|e| bad("sac", e))?,
        quantity: Some(Quantity::parse(&l.quantity).map_err(|e| bad("quantity", e))?),
        quantity_milli: None,
        unit: l
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| u.chars().take(30).collect()),
        unit_price: Some(UnitPrice::parse_rupees(&l.unit_price).map_err(|e| bad("unitPrice", e))?),
        unit_price_paise: None,
        discount: None,
        gst_rate: match l.gst_rate.as_deref() {
            Some(r) => GstRate::parse(r).map_err(|e| bad("gstRate", e))?,
            None => GstRate::STANDARD,
        },
    })
}

/// Issues a credit or debit note against an invoice on the caller's seller side. Returns the
/// note's id.
pub(crate) async fn create_note(
    state: &AppState,
    caller: &Caller,
    invoice: &DocumentRecord,
    req: &CreateNoteRequest,
    now: i64,
) -> Result<String> {
    if invoice.head.kind != DocumentKind::Invoice {
        return Err(Error::Invalid(format!(
            "{} is a note; notes correct tax invoices.",
            invoice.head.number
        )));
    }
    if invoice.head.requires_irn && invoice.irn.is_none() {
        return Err(Error::Conflict(format!(
            "Invoice {} awaits its IRN: import the IRP's response before correcting it.",
            invoice.head.number
        )));
    }
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::Invalid("reason: must have 1–500 characters.".into()));
    }
    if req.lines.is_empty() || req.lines.len() > 100 {
        return Err(Error::Invalid("lines: give 1–100 lines.".into()));
    }
    let lines = req
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| note_line(i, l))
        .collect::<Result<Vec<_>>>()?;
    let seller = state
        .db
        .seller_profile(&invoice.head.seller_tenant_id)
        .await?
        .ok_or_else(|| Error::Conflict("The seller has no billing profile any more.".into()))?;
    let original = reissue(invoice)?;
    let orig = original.invoice();
    let date = today(now);
    let kind = match req.kind {
        NoteKind::Credit => DocumentType::CreditNote,
        NoteKind::Debit => DocumentType::DebitNote,
    };
    let mut seller_party = orig.seller().clone();
    seller_party.payment = match kind {
        // A credit note asks for no payment.
        DocumentType::CreditNote => None,
        _ => seller_party.payment.map(|mut p| {
            p.due_date = seller
                .profile
                .payment_due_days
                .map(|d| date + Duration::days(i64::from(d)));
            p
        }),
    };
    let draft = InvoiceDraft {
        document_type: kind,
        number: None,
        date,
        original_invoice: Some(OriginalInvoice {
            number: original.number().clone(),
            date: orig.date(),
        }),
        reason: Some(reason.to_owned()),
        billing_period: None,
        seller: seller_party,
        buyer: orig.buyer().clone(),
        place_of_supply: Some(orig.supply().place_of_supply),
        export: orig.supply().kind == akashone_gst::SupplyKind::Export,
        sez: orig.supply().kind == akashone_gst::SupplyKind::Sez,
        lut: orig.lut_reference().is_some(),
        lut_reference: orig.lut_reference().map(str::to_owned),
        reverse_charge: orig.supply().reverse_charge,
        lines,
        notes: None,
    };
    let computed = compute_note(&original, &draft).map_err(gst_error)?;
    let credit_limit = (kind == DocumentType::CreditNote).then_some(CreditLimit {
        taxable_paise: invoice.head.taxable_paise,
        total_paise: invoice.head.total_paise,
    });
    let (id, outcome) = store(
        state,
        &caller.user,
        ToIssue {
            seller: &seller,
            customer_tenant_id: &invoice.head.customer_tenant_id,
            draft: &draft,
            computed: &computed,
            period: None,
            run_id: None,
            original_id: Some(invoice.head.id.clone()),
            credit_limit,
        },
        now,
    )
    .await?;
    let IssueOutcome::Issued { number, .. } = &outcome else {
        return Err(refusal(&outcome, date));
    };
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&invoice.head.seller_tenant_id),
            "note.issue",
            &format!(
                "{} {number} ({id}) on {} for ₹{}",
                kind.title(),
                invoice.head.number,
                computed.totals().total
            ),
            "ok",
        )
        .await?;
    Ok(id)
}

/// Attaches the IRP's response to a document awaiting its IRN, once, after checking it belongs
/// to the document.
pub(crate) async fn import_irn(
    state: &AppState,
    caller: &Caller,
    rec: &DocumentRecord,
    req: &ImportIrnRequest,
    now: i64,
) -> Result<()> {
    if let Some(i) = &rec.irn {
        return Err(Error::Conflict(format!(
            "{} already has IRN {}; a registration is imported once.",
            rec.head.number, i.irn
        )));
    }
    if !rec.head.requires_irn {
        return Err(Error::Conflict(format!(
            "{} needs no IRN: it is B2C, or the seller is below the e-invoicing threshold.",
            rec.head.number
        )));
    }
    if req.response.len() > 256 * 1024 {
        return Err(Error::Invalid(
            "response: an IRP response is at most 256 KiB.".into(),
        ));
    }
    let details = import_irn_response(&req.response).map_err(gst_error)?;
    let registered = reissue(rec)?.with_irn(details).map_err(gst_error)?;
    let d = registered
        .irn()
        .ok_or_else(|| Error::Internal("registration lost".into()))?;
    let record = IrnRecord {
        irn: d.irn().to_owned(),
        ack_no: d.ack_no().to_owned(),
        ack_date: d.ack_date_string(),
        signed_qr_code: d.signed_qr_code().to_owned(),
        signed_invoice: d.signed_invoice().map(str::to_owned),
        imported_at: now,
        imported_by: caller.user.username.clone(),
    };
    if !state.db.attach_irn(&rec.head.id, &record).await? {
        return Err(Error::Conflict(format!(
            "{} already has an IRN; a registration is imported once.",
            rec.head.number
        )));
    }
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&rec.head.seller_tenant_id),
            "invoice.irn",
            &format!(
                "{} ({}) IRN {} ack {} of {}",
                rec.head.number,
                rec.head.id,
                record.irn,
                record.ack_no,
                iso_date::format(d.ack_date().date())
            ),
            "ok",
        )
        .await?;
    Ok(())
}
