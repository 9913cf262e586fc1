//! Shared helpers: fixtures, the example draft, a stand-in IRP response.

use akashone_gst::{InvoiceDraft, IssuedInvoice};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use std::path::PathBuf;

/// A file from `tests/gst/fixtures/` (copies of the project's shared GST fixtures).
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/gst/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example draft (worked example (a)).
pub fn example_draft() -> InvoiceDraft {
    InvoiceDraft::from_json(include_str!("../../examples/draft.json")).expect("example draft")
}

/// Splits a simple CSV line, honouring double quotes.
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// A JWT with the given payload and a dummy signature (signatures are not verified).
pub fn jwt(payload: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT","iss":"NIC"}"#);
    let body = URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("{header}.{body}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk")
}

/// What the IRP would answer for `issued` (bare "Data" object), acknowledged at `ack_dt`.
pub fn irp_response_for(issued: &IssuedInvoice, ack_dt: &str) -> serde_json::Value {
    let inv = issued.invoice();
    let irn = issued.expected_irn();
    let d = inv.date();
    let qr_data = json!({
        "SellerGstin": inv.seller().gstin.to_string(),
        "BuyerGstin": inv.buyer().gstin.as_ref().map_or("URP".to_string(), |g| g.to_string()),
        "DocNo": issued.number().to_string(),
        "DocTyp": inv.document_type().einvoice_code(),
        "DocDt": format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
        "TotInvVal": inv.totals().total.to_rupee_string().parse::<f64>().unwrap(),
        "ItemCnt": inv.lines().len(),
        "MainHsnCode": inv.lines()[0].sac.to_string(),
        "Irn": irn,
        "IrnDt": ack_dt,
    });
    json!({
        "AckNo": 112510000012345u64,
        "AckDt": ack_dt,
        "Irn": irn,
        "SignedInvoice": jwt(&json!({"data": "{}", "iss": "NIC"})),
        "SignedQRCode": jwt(&json!({"data": qr_data.to_string(), "iss": "NIC"})),
        "Status": "ACT",
        "EwbNo": null,
        "EwbDt": null,
        "EwbValidTill": null,
        "Remarks": null
    })
}

/// A checksum-valid regular GSTIN for `state` and a fictitious PAN.
pub fn gstin(state: &str, pan: &str) -> akashone_gst::Gstin {
    let first14 = format!("{state}{pan}1Z");
    let check = akashone_gst::check_character(&first14).unwrap();
    akashone_gst::Gstin::parse(&format!("{first14}{check}")).unwrap()
}

/// The example draft with the seller moved to `state` (new GSTIN).
pub fn seller_in(draft: &mut InvoiceDraft, state: &str) {
    draft.seller.gstin = gstin(state, "AAFCN1234C");
    draft.seller.state = akashone_gst::StateCode::parse(state).unwrap();
}

/// The example draft with a registered buyer in `state`.
pub fn registered_buyer_in(draft: &mut InvoiceDraft, state: &str) {
    draft.buyer.gstin = Some(gstin(state, "AAHCA5678D"));
    draft.buyer.state = Some(akashone_gst::StateCode::parse(state).unwrap());
    draft.place_of_supply = None;
}

/// The example draft with an unregistered buyer in `state` (or no state).
pub fn unregistered_buyer_in(draft: &mut InvoiceDraft, state: Option<&str>) {
    draft.buyer.gstin = None;
    draft.buyer.state = state.map(|s| akashone_gst::StateCode::parse(s).unwrap());
    draft.place_of_supply = None;
}

/// The example draft billed to a buyer abroad.
pub fn export_buyer(draft: &mut InvoiceDraft, lut: bool) {
    draft.buyer.gstin = None;
    draft.buyer.state = None;
    draft.buyer.country = Some("US".into());
    draft.buyer.address.pin = None;
    draft.buyer.address.postal_code = Some("94105".into());
    draft.place_of_supply = None;
    draft.export = true;
    draft.lut = lut;
}
