use super::support::*;
use akashone_gst::{
    DocumentType, EInvoiceStatus, GstError, InMemorySequence, InvoiceDraft, InvoiceNumber,
    IssuedInvoice, OriginalInvoice, Quantity, SeriesFormat, compute, compute_note,
    import_irn_response,
};
use time::macros::date;

fn issued(draft: &InvoiceDraft) -> IssuedInvoice {
    IssuedInvoice::issue_numbered(compute(draft).unwrap()).unwrap()
}

fn e_invoicing_draft() -> InvoiceDraft {
    let mut d = example_draft();
    d.seller.e_invoicing = true;
    d
}

#[test]
fn below_threshold_and_b2c_print_immediately() {
    let inv = issued(&example_draft());
    assert_eq!(inv.einvoice_status(), &EInvoiceStatus::NotRequired);
    assert!(inv.ensure_printable().is_ok());
    let mut d = e_invoicing_draft();
    unregistered_buyer_in(&mut d, Some("29"));
    let inv = issued(&d);
    assert_eq!(inv.einvoice_status(), &EInvoiceStatus::NotRequired);
    assert!(inv.ensure_printable().is_ok());
}

#[test]
fn above_threshold_b2b_awaits_the_irn_then_prints() {
    let inv = issued(&e_invoicing_draft());
    assert_eq!(inv.einvoice_status(), &EInvoiceStatus::AwaitingIrn);
    let e = inv.ensure_printable().unwrap_err();
    assert!(matches!(e, GstError::AwaitingIrn { .. }));
    assert!(e.to_string().contains("NCS/25-26/000101"), "{e}");

    let response = irp_response_for(&inv, "2025-11-01 12:30:00").to_string();
    let details = import_irn_response(&response).unwrap();
    assert_eq!(details.irn(), inv.expected_irn());
    assert_eq!(details.ack_no(), "112510000012345");
    assert_eq!(details.ack_date_string(), "2025-11-01 12:30:00");
    let registered = inv.clone().with_irn(details.clone()).unwrap();
    assert!(registered.ensure_printable().is_ok());
    assert_eq!(registered.irn().unwrap().irn(), inv.expected_irn());
    // The content is unchanged.
    assert_eq!(registered.invoice(), inv.invoice());
    // A second IRN is refused.
    let e = registered.with_irn(details).unwrap_err();
    assert!(e.to_string().contains("already has IRN"), "{e}");
}

#[test]
fn exports_of_e_invoicing_sellers_also_wait() {
    let mut d = e_invoicing_draft();
    export_buyer(&mut d, true);
    assert_eq!(issued(&d).einvoice_status(), &EInvoiceStatus::AwaitingIrn);
}

#[test]
fn an_irn_for_another_document_is_refused() {
    let inv = issued(&e_invoicing_draft());
    let mut other = e_invoicing_draft();
    other.number = Some(InvoiceNumber::parse("NCS/25-26/000999").unwrap());
    let other = issued(&other);
    let response = irp_response_for(&other, "2025-11-01 12:30:00").to_string();
    let details = import_irn_response(&response).unwrap();
    let e = inv.with_irn(details).unwrap_err();
    assert!(
        e.to_string()
            .contains("is not the IRN of INV NCS/25-26/000101"),
        "{e}"
    );
}

#[test]
fn an_irn_for_a_b2c_invoice_is_refused() {
    let mut d = example_draft();
    unregistered_buyer_in(&mut d, None);
    let inv = issued(&d);
    let details =
        import_irn_response(&irp_response_for(&inv, "2025-11-01 12:30:00").to_string()).unwrap();
    assert!(matches!(
        inv.with_irn(details),
        Err(GstError::IrnNotExpected(_))
    ));
}

#[test]
fn acknowledgement_before_the_document_date_is_refused() {
    let inv = issued(&e_invoicing_draft());
    let details =
        import_irn_response(&irp_response_for(&inv, "2025-10-31 23:59:00").to_string()).unwrap();
    let e = inv.with_irn(details).unwrap_err();
    assert!(e.to_string().contains("before the document's date"), "{e}");
}

#[test]
fn issuing_from_a_sequence() {
    let mut d = example_draft();
    d.number = None;
    let seq = InMemorySequence::new();
    let series = SeriesFormat::new("NCS", 6).unwrap();
    let a = IssuedInvoice::issue_next(compute(&d).unwrap(), &seq, &series).unwrap();
    let b = IssuedInvoice::issue_next(compute(&d).unwrap(), &seq, &series).unwrap();
    assert_eq!(a.number().as_str(), "NCS/25-26/000001");
    assert_eq!(b.number().as_str(), "NCS/25-26/000002");
    assert_eq!(a.invoice().number(), Some(a.number()));
    // A numbered draft is not renumbered.
    let e = IssuedInvoice::issue_next(compute(&example_draft()).unwrap(), &seq, &series);
    assert!(e.is_err());
    let e = IssuedInvoice::issue(
        compute(&example_draft()).unwrap(),
        InvoiceNumber::parse("OTHER/1").unwrap(),
    );
    assert!(
        e.unwrap_err()
            .to_string()
            .contains("being issued as OTHER/1")
    );
    assert!(IssuedInvoice::issue_numbered(compute(&d).unwrap()).is_err());
}

fn credit_note_for(original: &IssuedInvoice) -> InvoiceDraft {
    let mut n = example_draft();
    n.document_type = DocumentType::CreditNote;
    n.number = Some(InvoiceNumber::parse("NCC/25-26/000001").unwrap());
    n.date = date!(2025 - 11 - 20);
    n.billing_period = None;
    n.original_invoice = Some(OriginalInvoice {
        number: original.number().clone(),
        date: original.invoice().date(),
    });
    n.reason = Some("Service credit: SLA breach on 14-10-2025".into());
    // Credit 10 % of the compute line.
    n.lines.truncate(1);
    n.lines[0].description = "Service credit on compute (SLA)".into();
    n.lines[0].quantity = Some(Quantity::parse("74.4").unwrap());
    n
}

#[test]
fn credit_note_against_its_invoice() {
    let original = issued(&example_draft());
    let note = credit_note_for(&original);
    let c = compute_note(&original, &note).unwrap();
    assert_eq!(c.document_type(), DocumentType::CreditNote);
    assert_eq!(c.original_invoice().unwrap().number, *original.number());
    // 74.4 h × 11.25 = 837.00, less 12 % = 736.56; CGST = SGST = 66.29 (66.2904).
    assert_eq!(c.totals().taxable_value.to_rupee_string(), "736.56");
    assert_eq!(c.totals().cgst.to_rupee_string(), "66.29");
    assert_eq!(
        c.totals().total_before_round_off.to_rupee_string(),
        "869.14"
    );
    assert_eq!(c.totals().total.to_rupee_string(), "869.00");
    assert_eq!(c.amount_in_words(), "Rupees Eight Hundred Sixty Nine Only");
    let issued_note = IssuedInvoice::issue_numbered(c).unwrap();
    assert_eq!(issued_note.number().as_str(), "NCC/25-26/000001");
}

#[test]
fn note_errors() {
    let original = issued(&example_draft());
    let base = credit_note_for(&original);

    let mut n = base.clone();
    n.original_invoice.as_mut().unwrap().number = InvoiceNumber::parse("NCS/25-26/000777").unwrap();
    assert!(
        compute_note(&original, &n)
            .unwrap_err()
            .to_string()
            .contains("not NCS/25-26/000101")
    );

    let mut n = base.clone();
    n.date = date!(2025 - 10 - 30);
    n.original_invoice.as_mut().unwrap().date = date!(2025 - 11 - 01);
    assert!(
        compute_note(&original, &n)
            .unwrap_err()
            .to_string()
            .contains("cannot precede")
    );

    let mut n = base.clone();
    n.date = date!(2026 - 12 - 01); // deadline for FY 2025-26 is 30-11-2026
    let e = compute_note(&original, &n).unwrap_err();
    assert!(e.to_string().contains("2026-11-30"), "{e}");
    n.date = date!(2026 - 11 - 30);
    assert!(compute_note(&original, &n).is_ok());
    n.document_type = DocumentType::DebitNote; // no such deadline for debit notes
    n.date = date!(2027 - 01 - 10);
    assert!(compute_note(&original, &n).is_ok());

    let mut n = base.clone();
    registered_buyer_in(&mut n, "27");
    assert!(
        compute_note(&original, &n)
            .unwrap_err()
            .to_string()
            .contains("buyer GSTIN")
    );

    let mut n = base.clone();
    n.lines[0].quantity = Some(Quantity::parse("100000").unwrap());
    let e = compute_note(&original, &n).unwrap_err();
    assert!(
        e.to_string().contains("exceeds the invoice's 13738.34"),
        "{e}"
    );

    let mut n = base.clone();
    n.document_type = DocumentType::Invoice;
    n.original_invoice = None;
    assert!(compute_note(&original, &n).is_err());
    let mut n = base;
    n.original_invoice = None;
    assert!(
        compute_note(&original, &n)
            .unwrap_err()
            .to_string()
            .contains("original_invoice")
    );
}
