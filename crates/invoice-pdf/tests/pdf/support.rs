//! Sample documents shared by the tests, the bench and the example.

#![allow(dead_code)]

use akashone_gst::{
    InvoiceDraft, InvoiceNumber, IssuedInvoice, LineDraft, Quantity, UnitPrice, compute,
    import_irn_response,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

/// The worked example (a): Karnataka to Karnataka, four lines.
pub fn example_draft() -> InvoiceDraft {
    InvoiceDraft::from_json(include_str!("../../../gst/examples/draft.json")).expect("example")
}

/// The example, issued.
pub fn example_issued() -> IssuedInvoice {
    IssuedInvoice::issue_numbered(compute(&example_draft()).unwrap()).unwrap()
}

const SERVICES: [(&str, &str, &str); 8] = [
    (
        "Compute: general-purpose VM, 4 vCPU / 16 GiB",
        "hours",
        "11.250",
    ),
    (
        "Compute: memory-optimised VM, 8 vCPU / 64 GiB, reserved for the analytics cluster",
        "hours",
        "38.400",
    ),
    ("Block storage, SSD volumes", "GB-month", "7.200"),
    ("Object storage, standard tier", "GB-month", "1.500"),
    ("Public IPv4 addresses", "IP-hours", "0.417"),
    (
        "Load balancer, regional, with health checks and TLS termination",
        "hours",
        "2.750",
    ),
    ("Snapshot storage", "GB-month", "2.100"),
    (
        "Outbound data transfer beyond the free allowance",
        "GB",
        "0.950",
    ),
];

/// An invoice with `n` lines (to a Maharashtra buyer: IGST), e.g. 120 VMs itemised.
pub fn long_draft(n: usize) -> InvoiceDraft {
    let mut d = example_draft();
    d.number = Some(InvoiceNumber::parse("NCS/25-26/000777").unwrap());
    d.buyer.legal_name = "Sahyadri Fintech Private Limited".into();
    d.buyer.gstin = Some(akashone_gst::Gstin::parse("27AAKCS2345E1ZE").unwrap());
    d.buyer.state = Some(akashone_gst::StateCode::parse("27").unwrap());
    d.buyer.address.line1 = "Office 12, Example Business Bay, Baner Road".into();
    d.buyer.address.city = "Pune".into();
    d.buyer.address.pin = Some(akashone_gst::PinCode::parse("411045").unwrap());
    d.place_of_supply = None;
    d.lines = (0..n)
        .map(|i| {
            let (desc, unit, price) = SERVICES[i % SERVICES.len()];
            LineDraft {
                description: format!("{desc} — vm-{:04}", i + 1),
                sac: akashone_gst::HsnSac::parse("998315").unwrap(),
                quantity: Some(
                    Quantity::from_milli(
                        ((i as i64 * 7919) % 900 + 24) * 1000 + (i as i64 % 4) * 250,
                    )
                    .unwrap(),
                ),
                quantity_milli: None,
                unit: Some(unit.into()),
                unit_price: Some(UnitPrice::parse_rupees(price).unwrap()),
                unit_price_paise: None,
                discount: None,
                gst_rate: akashone_gst::GstRate::STANDARD,
            }
        })
        .collect();
    d
}

/// The long invoice, issued.
pub fn long_issued(n: usize) -> IssuedInvoice {
    IssuedInvoice::issue_numbered(compute(&long_draft(n)).unwrap()).unwrap()
}

fn jwt(payload: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"0123456789ABCDEF","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(payload.to_string());
    // A stand-in for NIC's 256-byte RS256 signature (not verified anywhere).
    let sig = URL_SAFE_NO_PAD.encode([0x5Au8; 256]);
    format!("{header}.{body}.{sig}")
}

/// The example for an e-invoicing seller, with a stand-in IRP response attached.
pub fn example_with_irn() -> IssuedInvoice {
    let mut d = example_draft();
    d.seller.e_invoicing = true;
    let issued = IssuedInvoice::issue_numbered(compute(&d).unwrap()).unwrap();
    let irn = issued.expected_irn();
    let qr = json!({
        "SellerGstin": "29AAFCN1234C1ZU",
        "BuyerGstin": "29AAHCA5678D1ZF",
        "DocNo": "NCS/25-26/000101",
        "DocTyp": "INV",
        "DocDt": "01/11/2025",
        "TotInvVal": 16211.0,
        "ItemCnt": 4,
        "MainHsnCode": "998315",
        "Irn": irn,
        "IrnDt": "2025-11-01 12:30:00"
    });
    let response = json!({
        "AckNo": 112510000012345u64,
        "AckDt": "2025-11-01 12:30:00",
        "Irn": irn,
        "SignedInvoice": jwt(&json!({"data": "{}", "iss": "NIC"})),
        "SignedQRCode": jwt(&json!({"data": qr.to_string(), "iss": "NIC"})),
        "Status": "ACT"
    });
    let details = import_irn_response(&response.to_string()).unwrap();
    issued.with_irn(details).unwrap()
}

/// The seller's sample logo.
pub fn logo() -> Vec<u8> {
    include_bytes!("../fixtures/logo.png").to_vec()
}

/// The example billed to a buyer in Singapore under LUT.
pub fn export_issued() -> IssuedInvoice {
    let mut d = example_draft();
    d.number = Some(InvoiceNumber::parse("NCX/25-26/000007").unwrap());
    d.buyer.legal_name = "Merlion Analytics Pte. Ltd.".into();
    d.buyer.gstin = None;
    d.buyer.state = None;
    d.buyer.country = Some("SG".into());
    d.buyer.address.line1 = "80 Robinson Road, #10-01".into();
    d.buyer.address.pin = None;
    d.buyer.address.postal_code = Some("068898".into());
    d.buyer.address.city = "Singapore".into();
    d.place_of_supply = None;
    d.export = true;
    d.lut = true;
    d.lut_reference = Some("AD2903250123456".into());
    IssuedInvoice::issue_numbered(compute(&d).unwrap()).unwrap()
}

/// A credit note against the example: a service credit on the compute line.
pub fn credit_note_issued() -> IssuedInvoice {
    let original = example_issued();
    let mut n = example_draft();
    n.document_type = akashone_gst::DocumentType::CreditNote;
    n.number = Some(InvoiceNumber::parse("NCC/25-26/000001").unwrap());
    n.date = time::macros::date!(2025 - 11 - 20);
    n.billing_period = None;
    n.original_invoice = Some(akashone_gst::OriginalInvoice {
        number: original.number().clone(),
        date: original.invoice().date(),
    });
    n.reason = Some("Service credit for the compute outage of 14 Oct 2025 (SLA 99.9 %)".into());
    n.notes = None;
    n.lines.truncate(1);
    n.lines[0].description = "Service credit: general-purpose VM hours (10 %)".into();
    n.lines[0].quantity = Some(Quantity::parse("74.4").unwrap());
    IssuedInvoice::issue_numbered(akashone_gst::compute_note(&original, &n).unwrap()).unwrap()
}
