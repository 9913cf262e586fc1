use super::support::*;
use akashone_gst::{
    Address, DocumentType, FinancialYear, GstError, InvoiceDraft, InvoiceNumber, IssuedInvoice,
    OriginalInvoice, Paise, PinCode, compute, import_irn_response, irn_for, irn_hash, to_einvoice,
    to_einvoice_json,
};
use serde_json::{Value, json};

/// Case (b) of the worked example: the same lines billed to a Maharashtra business.
fn einvoice_example_draft() -> InvoiceDraft {
    let mut d = example_draft();
    d.number = Some(InvoiceNumber::parse("NCS/25-26/000102").unwrap());
    d.billing_period = None;
    d.seller.email = None;
    d.place_of_supply = None;
    d.buyer.legal_name = "Sahyadri Fintech Private Limited".into();
    d.buyer.gstin = Some(akashone_gst::Gstin::parse("27AAKCS2345E1ZE").unwrap());
    d.buyer.state = Some(akashone_gst::StateCode::parse("27").unwrap());
    d.buyer.address = Address {
        line1: "Office 12, Example Business Bay, Baner Road".into(),
        line2: None,
        city: "Pune".into(),
        pin: Some(PinCode::parse("411045").unwrap()),
        postal_code: None,
    };
    for l in &mut d.lines {
        l.description.push_str(" (Oct 2025)");
    }
    d
}

fn einvoice_value(d: &InvoiceDraft) -> Value {
    let json = to_einvoice_json(&compute(d).unwrap()).unwrap();
    serde_json::from_str(&json).unwrap()
}

/// JSON numbers compared by value: `0`, `0.0` and `0.00` are the same amount (the fixture
/// writes both `"CgstAmt": 0` and `"Discount": 0.00`).
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let s = n.to_string();
            let s = if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            };
            Value::String(format!("#{s}"))
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        other => other.clone(),
    }
}

#[test]
fn reproduces_the_fixture_exactly() {
    let expected: Value = serde_json::from_str(&fixture("einvoice_example.json")).unwrap();
    let got = einvoice_value(&einvoice_example_draft());
    assert_eq!(
        normalise(&got),
        normalise(&expected),
        "\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

#[test]
fn amounts_are_written_as_exact_decimals() {
    let json = to_einvoice_json(&compute(&einvoice_example_draft()).unwrap()).unwrap();
    assert!(json.contains("\"TotInvVal\": 16211.00"), "{json}");
    assert!(json.contains("\"UnitPrice\": 0.417"), "{json}");
    assert!(json.contains("\"Qty\": 512.5"), "{json}");
    assert!(json.contains("\"RndOffAmt\": -0.24"), "{json}");
}

/// Amount of a JSON number, exactly (via its text).
fn amt(v: &Value) -> Paise {
    Paise::parse_rupees(&v.to_string()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

const REQUIRED: &[(&str, &[&str])] = &[
    ("TranDtls", &["TaxSch", "SupTyp"]),
    ("DocDtls", &["Typ", "No", "Dt"]),
    (
        "SellerDtls",
        &["Gstin", "LglNm", "Addr1", "Loc", "Pin", "Stcd"],
    ),
    (
        "BuyerDtls",
        &["Gstin", "LglNm", "Pos", "Addr1", "Loc", "Stcd"],
    ),
    ("ValDtls", &["AssVal", "TotInvVal"]),
];
const ITEM_REQUIRED: &[&str] = &[
    "SlNo",
    "IsServc",
    "HsnCd",
    "UnitPrice",
    "TotAmt",
    "AssAmt",
    "GstRt",
    "TotItemVal",
];

/// Required fields of INV-01 v1.1 present, and every header total the sum of its lines.
pub(crate) fn check_schema_and_totals(v: &Value) {
    assert_eq!(v["Version"], "1.1");
    for (object, fields) in REQUIRED {
        for f in *fields {
            assert!(!v[object][f].is_null(), "{object}.{f} missing in {v}");
        }
    }
    let items = v["ItemList"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 1000);
    let sum = |k: &str| items.iter().map(|i| amt(&i[k])).sum::<Paise>();
    for (i, item) in items.iter().enumerate() {
        for f in ITEM_REQUIRED {
            assert!(!item[f].is_null(), "ItemList[{i}].{f} missing");
        }
        assert_eq!(item["SlNo"], (i + 1).to_string());
        assert_eq!(
            amt(&item["AssAmt"]),
            amt(&item["TotAmt"]) - amt(&item["Discount"])
        );
        assert_eq!(
            amt(&item["TotItemVal"]),
            amt(&item["AssAmt"])
                + amt(&item["IgstAmt"])
                + amt(&item["CgstAmt"])
                + amt(&item["SgstAmt"])
                + amt(&item["CesAmt"])
                + amt(&item["OthChrg"])
        );
    }
    let val = &v["ValDtls"];
    assert_eq!(amt(&val["AssVal"]), sum("AssAmt"));
    assert_eq!(amt(&val["IgstVal"]), sum("IgstAmt"));
    assert_eq!(amt(&val["CgstVal"]), sum("CgstAmt"));
    assert_eq!(amt(&val["SgstVal"]), sum("SgstAmt"));
    let total = amt(&val["AssVal"])
        + amt(&val["CgstVal"])
        + amt(&val["SgstVal"])
        + amt(&val["IgstVal"])
        + amt(&val["CesVal"])
        + amt(&val["OthChrg"])
        - amt(&val["Discount"])
        + amt(&val["RndOffAmt"]);
    assert_eq!(amt(&val["TotInvVal"]), total);
    assert!(amt(&val["RndOffAmt"]).as_i64().abs() <= 50);
}

#[test]
fn every_supply_type_has_the_required_fields_and_consistent_totals() {
    let mut cases: Vec<(&str, InvoiceDraft)> =
        vec![("B2B", einvoice_example_draft()), ("B2B", example_draft())];
    let mut d = example_draft();
    seller_in(&mut d, "04");
    registered_buyer_in(&mut d, "04");
    cases.push(("B2B", d));
    let mut d = example_draft();
    export_buyer(&mut d, true);
    cases.push(("EXPWOP", d));
    let mut d = example_draft();
    export_buyer(&mut d, false);
    cases.push(("EXPWP", d));
    let mut d = example_draft();
    d.sez = true;
    cases.push(("SEZWP", d));
    let mut d = example_draft();
    d.sez = true;
    d.lut = true;
    cases.push(("SEZWOP", d));
    for (sup_typ, d) in cases {
        let v = einvoice_value(&d);
        assert_eq!(v["TranDtls"]["SupTyp"], sup_typ);
        check_schema_and_totals(&v);
    }
}

#[test]
fn intra_state_and_utgst_heads() {
    let v = einvoice_value(&example_draft());
    assert_eq!(v["ValDtls"]["CgstVal"], json!(1236.46));
    assert_eq!(v["ValDtls"]["SgstVal"], json!(1236.46));
    assert_eq!(amt(&v["ValDtls"]["IgstVal"]), Paise::ZERO);
    assert_eq!(v["RefDtls"]["DocPerdDtls"]["InvStDt"], "01/10/2025");
    let mut d = example_draft();
    seller_in(&mut d, "38");
    registered_buyer_in(&mut d, "38");
    let v = einvoice_value(&d);
    // UTGST is reported in SgstAmt.
    assert_eq!(v["ItemList"][0]["SgstAmt"], json!(662.90));
    assert_eq!(v["ValDtls"]["SgstVal"], json!(1236.46));
}

#[test]
fn export_shape() {
    let mut d = example_draft();
    export_buyer(&mut d, true);
    let v = einvoice_value(&d);
    assert_eq!(v["BuyerDtls"]["Gstin"], "URP");
    assert_eq!(v["BuyerDtls"]["Pos"], "96");
    assert_eq!(v["BuyerDtls"]["Stcd"], "96");
    assert_eq!(v["BuyerDtls"]["Pin"], json!(999999));
    assert_eq!(v["ExpDtls"]["CntCode"], "US");
    assert_eq!(amt(&v["ItemList"][0]["IgstAmt"]), Paise::ZERO);
    assert_eq!(v["ItemList"][0]["GstRt"], json!(18));
}

#[test]
fn credit_note_refers_to_its_invoice() {
    let original = IssuedInvoice::issue_numbered(compute(&example_draft()).unwrap()).unwrap();
    let mut n = example_draft();
    n.document_type = DocumentType::CreditNote;
    n.number = Some(InvoiceNumber::parse("NCC/25-26/000001").unwrap());
    n.date = time::macros::date!(2025 - 11 - 20);
    n.billing_period = None;
    n.original_invoice = Some(OriginalInvoice {
        number: original.number().clone(),
        date: original.invoice().date(),
    });
    n.lines.truncate(1);
    let c = akashone_gst::compute_note(&original, &n).unwrap();
    let v: Value = serde_json::to_value(to_einvoice(&c).unwrap()).unwrap();
    assert_eq!(v["DocDtls"]["Typ"], "CRN");
    assert_eq!(v["RefDtls"]["PrecDocDtls"][0]["InvNo"], "NCS/25-26/000101");
    assert_eq!(v["RefDtls"]["PrecDocDtls"][0]["InvDt"], "01/11/2025");
}

#[test]
fn refusals() {
    let mut d = example_draft();
    unregistered_buyer_in(&mut d, None);
    let e = to_einvoice(&compute(&d).unwrap()).unwrap_err();
    assert!(e.to_string().contains("B2C"), "{e}");
    let mut d = example_draft();
    d.number = None;
    assert!(
        to_einvoice(&compute(&d).unwrap())
            .unwrap_err()
            .to_string()
            .contains("no number")
    );
    let mut d = example_draft();
    d.number = Some(InvoiceNumber::parse("0001").unwrap());
    assert!(
        to_einvoice(&compute(&d).unwrap())
            .unwrap_err()
            .to_string()
            .contains("'0'")
    );
    let mut d = example_draft();
    d.seller.address.pin = None;
    assert!(
        to_einvoice(&compute(&d).unwrap())
            .unwrap_err()
            .to_string()
            .contains("seller.address.pin")
    );
    let mut d = example_draft();
    let line = d.lines[0].clone();
    d.lines = vec![line; 1001];
    let e = to_einvoice(&compute(&d).unwrap()).unwrap_err();
    assert!(
        matches!(e, GstError::EInvoice(_)) && e.to_string().contains("1000"),
        "{e}"
    );
}

/// IRNs of NIC sandbox responses (recorded in india-compliance's e-invoice tests): the number
/// as typed before 01-06-2025, hence the mixed-case one.
#[test]
fn irn_matches_nic_sandbox_vectors() {
    let fy = FinancialYear::starting_in(2022);
    assert_eq!(
        irn_hash(
            "01AMBPG7773M002",
            fy,
            DocumentType::Invoice,
            "SINV-CFY-00067"
        ),
        "706daeccda0ef6f818da78f3a2a05a1288731057373002289b46c3229289a2e7"
    );
    assert_eq!(
        irn_hash("01AMBPG7773M002", fy, DocumentType::Invoice, "g2qxhY"),
        "68fb4fab44aee99fb23292478c4bd838e664837c9f1b04e3d9134ffed0b40b60"
    );
}

#[test]
fn irn_upper_cases_the_number() {
    let g = akashone_gst::Gstin::parse("29AAFCN1234C1ZU").unwrap();
    let fy = FinancialYear::starting_in(2025);
    let lower = InvoiceNumber::parse("ncs/25-26/1").unwrap();
    let upper = InvoiceNumber::parse("NCS/25-26/1").unwrap();
    assert_eq!(
        irn_for(&g, fy, DocumentType::Invoice, &lower),
        irn_for(&g, fy, DocumentType::Invoice, &upper)
    );
    assert_ne!(
        irn_for(&g, fy, DocumentType::Invoice, &upper),
        irn_for(&g, fy, DocumentType::CreditNote, &upper)
    );
    assert_eq!(irn_for(&g, fy, DocumentType::Invoice, &upper).len(), 64);
}

fn awaiting() -> IssuedInvoice {
    let mut d = example_draft();
    d.seller.e_invoicing = true;
    IssuedInvoice::issue_numbered(compute(&d).unwrap()).unwrap()
}

#[test]
fn import_accepts_the_documented_envelopes() {
    let inv = awaiting();
    let data = irp_response_for(&inv, "2025-11-01 12:30:00");
    let bare = import_irn_response(&data.to_string()).unwrap();
    let nic = import_irn_response(
        &json!({"Status": "1", "Data": data.to_string(), "ErrorDetails": null}).to_string(),
    )
    .unwrap();
    let nic_obj = import_irn_response(&json!({"Status": 1, "Data": data}).to_string()).unwrap();
    let gsp = import_irn_response(
        &json!({"success": true, "message": "IRN generated successfully", "result": data})
            .to_string(),
    )
    .unwrap();
    assert_eq!(bare, nic);
    assert_eq!(bare, nic_obj);
    assert_eq!(bare, gsp);
    assert_eq!(bare.qr_data().doc_no.as_deref(), Some("NCS/25-26/000101"));
    assert_eq!(bare.qr_data().item_cnt, Some(4));
    // AckNo as a string is fine too.
    let mut s = data.clone();
    s["AckNo"] = json!("112510000012345");
    assert_eq!(
        import_irn_response(&s.to_string()).unwrap().ack_no(),
        "112510000012345"
    );
}

#[test]
fn import_rejections_are_explained() {
    let inv = awaiting();
    let data = irp_response_for(&inv, "2025-11-01 12:30:00");
    let err = |v: Value| import_irn_response(&v.to_string()).unwrap_err().to_string();

    let e = err(
        json!({"Status": "0", "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}]}),
    );
    assert_eq!(e, "the IRP rejected the document: 2150: Duplicate IRN");
    let e = err(json!({"success": false, "message": "Invalid GSTIN"}));
    assert_eq!(e, "the IRP rejected the document: Invalid GSTIN");
    assert!(
        import_irn_response("not json")
            .unwrap_err()
            .to_string()
            .contains("not JSON")
    );
    assert!(err(json!({"foo": 1})).contains("expected the IRP's Generate IRN answer"));

    let with = |k: &str, v: Value| {
        let mut d = data.clone();
        d[k] = v;
        err(d)
    };
    assert!(with("Irn", json!("abc")).contains("64 hexadecimal"));
    assert!(with("AckNo", json!("12x")).contains("AckNo"));
    assert!(with("AckDt", json!("01/11/2025")).contains("AckDt"));
    assert!(with("Status", json!("CNL")).contains("\"CNL\""));
    assert!(with("SignedQRCode", json!("not-a-jwt")).contains("not a JWT"));
    assert!(with("SignedQRCode", json!(jwt(&json!({"iss": "NIC"})))).contains("no data claim"));
    let other_irn = "0".repeat(64);
    assert!(with("Irn", json!(other_irn)).contains("signed QR code is for IRN"));
    let mut d = data.clone();
    d.as_object_mut().unwrap().remove("SignedQRCode");
    assert!(err(d).contains("SignedQRCode is missing"));
}

#[test]
fn qr_contents_must_match_the_document() {
    let inv = awaiting();
    let mut data = irp_response_for(&inv, "2025-11-01 12:30:00");
    // Rebuild the QR with a different buyer.
    let payload = {
        let qr = data["SignedQRCode"].as_str().unwrap();
        let body = qr.split('.').nth(1).unwrap();
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        let mut inner: Value = serde_json::from_str(v["data"].as_str().unwrap()).unwrap();
        inner["BuyerGstin"] = json!("27AAKCS2345E1ZE");
        json!({"data": inner.to_string(), "iss": "NIC"})
    };
    data["SignedQRCode"] = json!(jwt(&payload));
    let details = import_irn_response(&data.to_string()).unwrap();
    let e = inv.with_irn(details).unwrap_err();
    assert!(
        e.to_string().contains("buyer GSTIN is 27AAKCS2345E1ZE"),
        "{e}"
    );
}
