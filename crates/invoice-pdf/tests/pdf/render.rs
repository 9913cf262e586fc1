use super::{poppler, support};
use akashone_gst::{
    DocumentType, GstError, InvoiceNumber, IssuedInvoice, OriginalInvoice, compute, compute_note,
};
use akashone_invoice_pdf::{Branding, InvoiceCopy, PdfError, render};

fn example_pdf(copy: InvoiceCopy) -> Vec<u8> {
    let issued = support::example_issued();
    let branding = Branding::for_seller(issued.invoice().seller()).with_logo_png(support::logo());
    render(&issued, &branding, copy).unwrap()
}

#[test]
fn worked_example_text_is_extractable() {
    let pdf = example_pdf(InvoiceCopy::Original);
    assert!(pdf.starts_with(b"%PDF-"));
    let text = poppler::text(&pdf);
    for needle in [
        "TAX INVOICE",
        "ORIGINAL FOR RECIPIENT",
        "Nimbus Cloud Services Private Limited",
        "29AAFCN1234C1ZU",
        "Ananta Analytics Private Limited",
        "29AAHCA5678D1ZF",
        "NCS/25-26/000101",
        "01 Nov 2025",
        "Place of Supply Karnataka (29)",
        "Reverse Charge No",
        "998315",
        "Compute: general-purpose VM, 4 vCPU / 16 GiB",
        "1,004.40",
        "7,365.60",
        "662.90",
        "174.29",
        "13,738.34",
        "1,236.46",
        "2,472.92",
        "16,211.26",
        "0.26",
        "₹16,211.00",
        "Rupees Sixteen Thousand Two Hundred Eleven Only",
        "CGST @ 9%",
        "SGST @ 9%",
        "nimbuscloud@exbank",
        "EXMP0001234",
        "Page 1 of 1",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
}

#[test]
fn copies_are_labelled() {
    let text = poppler::text(&example_pdf(InvoiceCopy::Duplicate));
    assert!(text.contains("DUPLICATE FOR SUPPLIER"));
    assert!(!text.contains("ORIGINAL FOR RECIPIENT"));
    let text = poppler::text(&example_pdf(InvoiceCopy::Triplicate));
    assert!(text.contains("TRIPLICATE"));
}

#[test]
fn fonts_are_embedded_subsets_with_unicode_maps() {
    let pdf = example_pdf(InvoiceCopy::Original);
    let fonts = poppler::fonts(&pdf);
    assert!(fonts.len() >= 3, "{fonts:?}");
    for (name, kind, emb, sub, uni) in &fonts {
        assert!(
            *emb && *sub && *uni,
            "{name} {kind}: emb {emb} sub {sub} uni {uni}"
        );
        assert!(
            name.contains("Inter") || name.contains("JetBrainsMono"),
            "{name}"
        );
    }
    // Subsetting keeps the file small even with three faces and a logo.
    assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
}

/// No word leaves the printable area and no two words overlap.
fn assert_clean_layout(pdf: &[u8]) {
    let words = poppler::words(pdf);
    assert!(!words.is_empty());
    for w in &words {
        assert!(
            w.x_min >= 35.0
                && w.x_max <= 595.28 - 35.0
                && w.y_min >= 20.0
                && w.y_max <= 841.89 - 15.0,
            "{w:?} is outside the margins"
        );
    }
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            if a.page != b.page {
                continue;
            }
            let dx = a.x_max.min(b.x_max) - a.x_min.max(b.x_min);
            let dy = a.y_max.min(b.y_max) - a.y_min.max(b.y_min);
            assert!(
                dx <= 0.3 || dy <= 0.5,
                "overlapping text on page {}: {:?} and {:?}",
                a.page,
                a,
                b
            );
        }
    }
}

#[test]
fn layouts_have_no_overlapping_or_clipped_text() {
    assert_clean_layout(&example_pdf(InvoiceCopy::Original));
    let irn = support::example_with_irn();
    assert_clean_layout(&render(&irn, &Branding::default(), InvoiceCopy::Original).unwrap());
    let long = support::long_issued(120);
    assert_clean_layout(&render(&long, &Branding::default(), InvoiceCopy::Original).unwrap());
}

#[test]
fn a_long_invoice_flows_over_pages_with_repeated_headers() {
    let long = support::long_issued(120);
    let pdf = render(&long, &Branding::default(), InvoiceCopy::Original).unwrap();
    let pages = poppler::pages(&pdf);
    assert!(pages >= 3, "{pages} pages");
    for p in 1..=pages {
        let t = poppler::page_layout(&pdf, p);
        assert!(
            t.contains(&format!("Page {p} of {pages}")),
            "page {p}:\n{t}"
        );
        if p > 1 {
            assert!(t.contains("(continued)"), "page {p}");
        }
        let has_rows = t.contains("vm-0");
        if has_rows {
            assert!(
                t.contains("Description of Service"),
                "page {p} lacks the table header"
            );
        }
    }
    let text = poppler::text(&pdf);
    for i in 1..=120 {
        let id = format!("vm-{i:04}");
        assert_eq!(text.matches(&id).count(), 1, "{id}");
    }
    let t = long.invoice().totals();
    assert!(text.contains(&format!("₹{}", t.total.to_indian_string())));
    assert!(text.contains(long.invoice().amount_in_words()));
    assert!(text.contains("IGST 18%"));
}

#[test]
fn e_invoice_prints_irn_and_ack_and_refuses_before() {
    let mut d = support::example_draft();
    d.seller.e_invoicing = true;
    let waiting = IssuedInvoice::issue_numbered(compute(&d).unwrap()).unwrap();
    let err = render(&waiting, &Branding::default(), InvoiceCopy::Original).unwrap_err();
    assert!(
        matches!(err, PdfError::NotPrintable(GstError::AwaitingIrn { .. })),
        "{err}"
    );

    let issued = support::example_with_irn();
    let pdf = render(&issued, &Branding::default(), InvoiceCopy::Original).unwrap();
    let text = poppler::text(&pdf);
    let irn = issued.irn().unwrap();
    assert!(text.contains(irn.irn()), "{text}");
    assert!(text.contains("112510000012345"));
    assert!(text.contains("2025-11-01 12:30:00"));
}

#[test]
fn drafts_are_marked() {
    let computed = compute(&support::example_draft()).unwrap();
    let pdf = render(&computed, &Branding::default(), InvoiceCopy::Original).unwrap();
    let text = poppler::text(&pdf);
    assert!(text.contains("DRAFT — NOT A TAX INVOICE"), "{text}");
    // No payment QR on a draft.
    assert!(!text.contains("Scan to pay"));
}

#[test]
fn credit_note_refers_to_the_invoice() {
    let original = support::example_issued();
    let mut n = support::example_draft();
    n.document_type = DocumentType::CreditNote;
    n.number = Some(InvoiceNumber::parse("NCC/25-26/000001").unwrap());
    n.date = time::macros::date!(2025 - 11 - 20);
    n.billing_period = None;
    n.original_invoice = Some(OriginalInvoice {
        number: original.number().clone(),
        date: original.invoice().date(),
    });
    n.reason = Some("Service credit for the outage of 14 Oct 2025".into());
    n.lines.truncate(1);
    let note = IssuedInvoice::issue_numbered(compute_note(&original, &n).unwrap()).unwrap();
    let pdf = render(&note, &Branding::default(), InvoiceCopy::Original).unwrap();
    let text = poppler::text(&pdf);
    for needle in [
        "CREDIT NOTE",
        "NCC/25-26/000001",
        "Against Invoice NCS/25-26/000101",
        "Service credit for the outage of 14 Oct 2025",
        "Credit Note Total",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    assert!(
        !text.contains("Scan to pay"),
        "no payment request on a credit note"
    );
    assert_clean_layout(&pdf);
}

#[test]
fn exports_carry_the_endorsement_and_country() {
    let mut d = support::example_draft();
    d.buyer.gstin = None;
    d.buyer.state = None;
    d.buyer.country = Some("SG".into());
    d.buyer.address.pin = None;
    d.buyer.address.postal_code = Some("018989".into());
    d.buyer.address.city = "Singapore".into();
    d.place_of_supply = None;
    d.export = true;
    d.lut = true;
    d.lut_reference = Some("AD2903250123456".into());
    let issued = IssuedInvoice::issue_numbered(compute(&d).unwrap()).unwrap();
    let pdf = render(&issued, &Branding::default(), InvoiceCopy::Original).unwrap();
    let text = poppler::text(&pdf);
    for needle in [
        "UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX",
        "Country of destination SG",
        "Outside India (96)",
        "Nil, under LUT AD2903250123456",
        "Export of services (zero-rated)",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    assert_clean_layout(&pdf);
}

#[test]
fn a_broken_logo_is_reported() {
    let issued = support::example_issued();
    let branding = Branding::default().with_logo_png(b"not a png".to_vec());
    let err = render(&issued, &branding, InvoiceCopy::Original).unwrap_err();
    assert!(matches!(err, PdfError::Logo(_)), "{err}");
}

#[test]
fn copy_names_parse() {
    assert_eq!(
        "duplicate".parse::<InvoiceCopy>(),
        Ok(InvoiceCopy::Duplicate)
    );
    assert!("quadruplicate".parse::<InvoiceCopy>().is_err());
}
