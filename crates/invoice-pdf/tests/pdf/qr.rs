//! The printed QR codes decode to the UPI payment link and to the IRP's signed QR string.

use super::{poppler, support};
use akashone_invoice_pdf::{Branding, InvoiceCopy, render, upi_link};

fn decode_all(img: image::GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, content)| content))
        .collect()
}

#[test]
fn upi_link_format() {
    assert_eq!(
        upi_link(
            "nimbuscloud@exbank",
            "Nimbus Cloud",
            "16211.00",
            "Tax Invoice NCS/25-26/000101"
        ),
        "upi://pay?pa=nimbuscloud@exbank&pn=Nimbus%20Cloud&am=16211.00&cu=INR&tn=Tax%20Invoice%20NCS%2F25-26%2F000101"
    );
}

#[test]
fn printed_qr_codes_decode() {
    let issued = support::example_with_irn();
    let pdf = render(&issued, &Branding::default(), InvoiceCopy::Original).unwrap();
    let codes = decode_all(poppler::raster(&pdf, 1, 300));
    let expected_upi = upi_link(
        "nimbuscloud@exbank",
        "Nimbus Cloud",
        "16211.00",
        "Tax Invoice NCS/25-26/000101",
    );
    assert!(
        codes.contains(&expected_upi),
        "UPI QR not found in {codes:?}"
    );
    let signed = issued.irn().unwrap().signed_qr_code().to_string();
    assert!(codes.contains(&signed), "signed QR not found in {codes:?}");
}
