//! Zero-rated supplies: exports and SEZ units, under the seller's Letter of Undertaking (no
//! IGST) or with IGST paid when the seller has none.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Scenario, customer_body, id, row, seller_body};
use crate::support::{Backend, on_both};

async fn put(s: &Scenario, token: &str, path: &str, body: Value) {
    let r = s.app.call(Method::PUT, Some(token), path, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "PUT {path}: {}", r.text);
}

async fn exports_and_sez_supplies_are_zero_rated(backend: Backend) {
    let s = Scenario::new(backend, 70).await;
    let lut = "AD290326000123X";
    let mut seller = seller_body(&s.reseller_gstin, "Sahyadri Cloud", "RSM", "400001");
    seller["lutNumber"] = json!(lut);
    put(&s, &s.r_admin, "/api/billing/seller", seller).await;
    // Bengaluru's customer moved abroad; Pune is a SEZ unit; the reseller itself a SEZ unit
    // billed by the platform, which has no LUT.
    put(
        &s,
        &s.r_admin,
        &format!("/api/billing/customer?tenantId={}", id(&s.blr)),
        json!({"legalName": "Lion City Apps Pte Ltd", "export": true, "country": "SG",
               "address": {"line1": "1 Example Quay", "city": "Singapore", "postalCode": "049315"}}),
    )
    .await;
    let mut sez = customer_body("Pune Analytics LLP", Some(&s.pune_gstin), "27", "411045");
    sez["sez"] = json!(true);
    put(
        &s,
        &s.r_admin,
        &format!("/api/billing/customer?tenantId={}", id(&s.pune)),
        sez,
    )
    .await;
    let mut r_sez = customer_body(
        "Sahyadri Cloud Private Limited",
        Some(&s.reseller_gstin),
        "27",
        "400001",
    );
    r_sez["sez"] = json!(true);
    put(
        &s,
        &s.app.admin,
        &format!("/api/billing/customer?tenantId={}", id(&s.reseller)),
        r_sez,
    )
    .await;

    let run = s.run(&s.r_admin, None).await;
    assert_eq!(run["issued"], 2, "{run}");
    let export = s
        .detail(&s.r_admin, row(&run, &s.blr)["invoiceId"].as_str().unwrap())
        .await;
    let doc = &export["document"];
    assert_eq!(doc["supply"]["kind"], "export");
    assert_eq!(doc["supply"]["regime"], "zero_rated_lut");
    assert_eq!(doc["supply"]["placeOfSupplyCode"], "96");
    assert_eq!(doc["supply"]["zeroRated"], true);
    assert_eq!(doc["lutReference"], lut);
    assert!(
        doc["endorsement"]
            .as_str()
            .unwrap()
            .contains("LETTER OF UNDERTAKING WITHOUT PAYMENT")
    );
    assert_eq!(doc["totals"]["totalTax"], "0.00");
    assert_eq!(doc["buyer"]["country"], "SG");
    let e = s
        .app
        .get(
            &s.r_admin,
            &format!(
                "/api/billing/invoices/{}/einvoice",
                export["summary"]["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.text);
    assert_eq!(e.body["TranDtls"]["SupTyp"], "EXPWOP");
    assert_eq!(e.body["BuyerDtls"]["Gstin"], "URP");
    assert_eq!(e.body["BuyerDtls"]["Pos"], "96");
    assert_eq!(e.body["ExpDtls"]["CntCode"], "SG");

    let sez = s
        .detail(
            &s.r_admin,
            row(&run, &s.pune)["invoiceId"].as_str().unwrap(),
        )
        .await;
    assert_eq!(sez["document"]["supply"]["kind"], "sez");
    assert_eq!(sez["document"]["supply"]["regime"], "zero_rated_lut");
    assert_eq!(sez["document"]["supply"]["interState"], true);

    // Without a LUT, a SEZ supply bears IGST (refundable), and says so.
    let platform = s.run(&s.app.admin, None).await;
    let to_reseller = s
        .detail(
            &s.app.admin,
            row(&platform, &s.reseller)["invoiceId"].as_str().unwrap(),
        )
        .await;
    let doc = &to_reseller["document"];
    assert_eq!(doc["supply"]["kind"], "sez");
    assert_eq!(doc["supply"]["regime"], "igst");
    assert!(
        doc["endorsement"]
            .as_str()
            .unwrap()
            .contains("ON PAYMENT OF INTEGRATED TAX")
    );
    assert_ne!(doc["totals"]["igst"], "0.00");
    s.app.shutdown().await;
}

on_both!(exports_and_sez_supplies_are_zero_rated);
