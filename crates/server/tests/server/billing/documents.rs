//! Issued documents: immutable, corrected only by credit and debit notes within the invoice's
//! value, and registered with the IRP once.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Scenario, card_body, customer_body, fy_label, id, last_month, row, today};
use crate::support::{Backend, TestStore, on_both};

/// Runs `sql` on the test's database directly, bypassing the server.
async fn try_execute(store: &TestStore, sql: &str) -> Result<(), String> {
    match store {
        TestStore::Sqlite(dir) => rusqlite::Connection::open(dir.path().join("server.db"))
            .unwrap()
            .execute_batch(sql)
            .map_err(|e| e.to_string()),
        TestStore::Postgres(db) => db
            .connect()
            .await
            .unwrap()
            .batch_execute(sql)
            .await
            .map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_owned())
            }),
    }
}

fn paise(rupees: &Value) -> i64 {
    let s = rupees.as_str().unwrap();
    let (r, p) = s.split_once('.').unwrap();
    r.parse::<i64>().unwrap() * 100 + p.parse::<i64>().unwrap()
}

fn rupees(p: i64) -> String {
    format!("{}.{:02}", p / 100, p % 100)
}

fn note(kind: &str, amount_paise: i64) -> Value {
    json!({
        "kind": kind,
        "reason": "Service credit for downtime on the 12th",
        "lines": [{"description": "Service credit", "quantity": "1", "unitPrice": rupees(amount_paise)}],
    })
}

async fn issued_invoices_never_change(backend: Backend) {
    let s = Scenario::new(backend, 70).await;
    let run = s.run(&s.r_admin, None).await;
    let inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let before = s.detail(&s.r_admin, &inv).await;

    // No operation changes or removes a document.
    let doc = s
        .app
        .call(Method::GET, None, "/api/openapi.json", None)
        .await;
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        if path.starts_with("/api/billing/invoices") {
            for method in ["put", "patch", "delete"] {
                assert!(item.get(method).is_none(), "{method} {path}");
            }
        }
    }
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        let r = s
            .app
            .call(
                method.clone(),
                Some(&s.r_admin),
                &format!("/api/billing/invoices/{inv}"),
                Some(json!({"total": "1.00"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }

    // New prices apply from a later month only; the invoiced month's card cannot be replaced.
    let (_, first, _) = last_month();
    let next = today().replace_day(1).unwrap();
    let put = |body: Value| {
        s.app.call(
            Method::PUT,
            Some(&s.r_admin),
            "/api/billing/rate-card",
            Some(body),
        )
    };
    let r = put(card_body(&first.to_string(), ["9"; 7], None)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.body["message"].as_str().unwrap().contains("invoiced"));
    let r = put(card_body("2025-01-01", ["9"; 7], None)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = put(card_body(&next.to_string(), ["9"; 7], None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["versions"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["current"]["vcpuHour"], "9.00");

    // A new name, colour and logo for the seller.
    let mut seller = super::seller_body(&s.reseller_gstin, "Renamed Cloud", "RSM", "400001");
    seller["brandColour"] = json!("#AA0000");
    seller["logoPng"] = json!(super::validation::png_b64(16, 16));
    let r = s
        .app
        .call(
            Method::PUT,
            Some(&s.r_admin),
            "/api/billing/seller",
            Some(seller),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // The re-run skips, and the invoice reads exactly as before.
    let again = s.run(&s.r_admin, None).await;
    assert_eq!(again["issued"], 0);
    assert_eq!(s.detail(&s.r_admin, &inv).await, before);
    assert_eq!(before["branding"]["brandColour"], "#1F4E8C");
    assert!(before["branding"]["logoPng"].is_null());

    // The database itself refuses to change or delete an issued document.
    for sql in [
        format!("UPDATE billing_documents SET total_paise = 1 WHERE id = '{inv}'"),
        format!("DELETE FROM billing_documents WHERE id = '{inv}'"),
    ] {
        let refused = try_execute(&s.app.store, &sql).await;
        assert!(refused.unwrap_err().contains("immutable"), "{sql}");
    }
    assert_eq!(s.detail(&s.r_admin, &inv).await, before);
    s.app.shutdown().await;
}

async fn credit_notes_never_exceed_the_invoice(backend: Backend) {
    let s = Scenario::new(backend, 70).await;
    let run = s.run(&s.r_admin, None).await;
    let inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let invoice = s.detail(&s.r_admin, &inv).await;
    let taxable = paise(&invoice["document"]["totals"]["taxableValue"]);
    let path = format!("/api/billing/invoices/{inv}/credit-notes");
    let fy = fy_label(today());

    // The customer reads its invoice but cannot credit it, even with billing.manage.
    let r = s.app.post(&s.pune_admin, &path, note("credit", 100)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let pune_billing = s
        .app
        .user(&s.r_admin, id(&s.pune), "pune-billing", "billing")
        .await;
    let r = s.app.post(&pune_billing, &path, note("credit", 100)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.body["message"].as_str().unwrap().contains("seller"));

    // Bad notes are refused and use no number.
    for bad in [
        note("credit", taxable + 100),
        json!({"reason": "", "lines": [{"description": "x", "quantity": "1", "unitPrice": "1"}]}),
        json!({"reason": "r", "lines": []}),
        json!({"reason": "r", "lines": [{"description": "x", "quantity": "0", "unitPrice": "1"}]}),
        json!({"reason": "r", "lines": [{"description": "x", "quantity": "1", "unitPrice": "1.2345"}]}),
        json!({"reason": "r", "lines": [{"description": "x", "quantity": "1", "unitPrice": "1", "gstRate": "17"}]}),
        json!({"reason": "r", "lines": [{"description": "x", "quantity": "1", "unitPrice": "1"}], "amount": 5}),
        json!({"kind": "refund", "reason": "r", "lines": []}),
    ] {
        let r = s.app.post(&s.r_admin, &path, bad.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
        assert_eq!(r.body["code"], "invalid_input");
        assert!(!r.body["message"].as_str().unwrap().is_empty());
    }

    let sixty = taxable * 6 / 10;
    let r = s.app.post(&s.r_admin, &path, note("credit", sixty)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let credit = &r.body;
    assert_eq!(credit["summary"]["number"], format!("RSMC/{fy}/00001"));
    assert_eq!(credit["document"]["title"], "Credit Note");
    assert_eq!(credit["document"]["documentType"], "credit_note");
    assert_eq!(
        credit["document"]["originalInvoice"]["number"],
        invoice["summary"]["number"]
    );
    assert_eq!(
        credit["document"]["reason"],
        "Service credit for downtime on the 12th"
    );
    assert_eq!(credit["document"]["supply"]["regime"], "cgst_sgst");
    assert!(credit["document"]["payment"].is_null());
    assert_eq!(credit["summary"]["originalInvoiceId"], inv.as_str());

    // Another 60 % would credit more than the invoice.
    let r = s.app.post(&s.r_admin, &path, note("credit", sixty)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("left to credit")
    );

    // A debit note raises what may be credited.
    let twenty = taxable * 2 / 10;
    let r = s.app.post(&s.r_admin, &path, note("debit", twenty)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["summary"]["number"], format!("RSMD/{fy}/00001"));
    assert_eq!(r.body["document"]["title"], "Debit Note");
    let fifty = taxable / 2;
    let r = s.app.post(&s.r_admin, &path, note("credit", fifty)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["summary"]["number"], format!("RSMC/{fy}/00002"));

    // Listed with their invoice, oldest first; the customer sees them too.
    let after = s.detail(&s.pune_admin, &inv).await;
    let kinds: Vec<&str> = after["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["documentType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["credit_note", "debit_note", "credit_note"]);
    assert_eq!(
        paise(&after["creditableTaxableValue"]),
        taxable - sixty + twenty - fifty
    );
    let notes = s
        .app
        .get(
            &s.pune_admin,
            "/api/billing/invoices?documentType=credit_note",
        )
        .await;
    assert_eq!(notes.body["total"], 2);
    // A note is not corrected by another note.
    let note_id = after["notes"][0]["id"].as_str().unwrap();
    let r = s
        .app
        .post(
            &s.r_admin,
            &format!("/api/billing/invoices/{note_id}/credit-notes"),
            note("credit", 1),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let audit = s.app.get(&s.r_admin, "/api/audit?limit=500").await;
    let issued = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "note.issue")
        .count();
    assert_eq!(issued, 3);
    s.app.shutdown().await;
}

async fn fifty_concurrent_notes_are_numbered_one_to_fifty(backend: Backend) {
    let s = Scenario::new(backend, 70).await;
    let run = s.run(&s.r_admin, None).await;
    let inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let path = format!("/api/billing/invoices/{inv}/credit-notes");
    let replies = futures::future::join_all(
        (0..50).map(|_| s.app.post(&s.r_admin, &path, note("credit", 100))),
    )
    .await;
    let fy = fy_label(today());
    let mut numbers: Vec<String> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.body["summary"]["number"].as_str().unwrap().to_owned()
        })
        .collect();
    numbers.sort();
    let want: Vec<String> = (1..=50).map(|n| format!("RSMC/{fy}/{n:05}")).collect();
    assert_eq!(numbers, want);
    s.app.shutdown().await;
}

/// The IRP's answer for a document, as a GSP would pass it on.
fn irp_response(irn: &str, seller: &str, buyer: &str, number: &str) -> String {
    let d = today();
    let data = json!({
        "SellerGstin": seller, "BuyerGstin": buyer, "DocNo": number, "DocTyp": "INV",
        "DocDt": format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
        "TotInvVal": 1, "ItemCnt": 1, "MainHsnCode": "998315", "Irn": irn,
        "IrnDt": format!("{d} 12:30:00"),
    });
    let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let jwt = format!(
        "{}.{}.c2lnbmF0dXJl",
        part(json!({"alg": "RS256", "typ": "JWT"})),
        part(json!({"iss": "NIC", "data": data.to_string()}))
    );
    json!({"Status": "1", "Data": {
        "AckNo": 112510000012345u64, "AckDt": format!("{d} 12:30:00"), "Irn": irn,
        "SignedInvoice": jwt, "SignedQRCode": jwt, "Status": "ACT",
    }})
    .to_string()
}

async fn e_invoicing_sellers_await_the_irn_and_register_once(backend: Backend) {
    let s = Scenario::with_einvoicing(backend, 70, true).await;
    // An unregistered customer too: B2C needs no IRN.
    let retail = s
        .app
        .tenant(&s.r_admin, Some(id(&s.reseller)), "Retail Buyer")
        .await;
    let retail_admin = s
        .app
        .user(&s.r_admin, id(&retail), "retail-admin", "customer-admin")
        .await;
    s.app.deploy(&retail_admin, "retail-vm").await;
    let user = s
        .app
        .sim
        .user_of(retail["cloudstackAccount"].as_str().unwrap())
        .unwrap();
    s.app.sim.backdate_account(
        &user.account_id,
        std::time::Duration::from_secs(70 * 86_400),
    );
    let r = s
        .app
        .call(
            Method::PUT,
            Some(&s.r_admin),
            &format!("/api/billing/customer?tenantId={}", id(&retail)),
            Some(customer_body("Retail Buyer", None, "27", "400050")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["supplyKind"], "b2c");

    let run = s.run(&s.r_admin, None).await;
    assert_eq!(run["issued"], 3, "{run}");
    let inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let other = row(&run, &s.blr)["invoiceId"].as_str().unwrap().to_owned();
    let b2c = row(&run, &retail)["invoiceId"].as_str().unwrap().to_owned();
    let detail = s.detail(&s.r_admin, &inv).await;
    assert_eq!(detail["einvoice"]["status"], "awaiting_irn");
    assert_eq!(detail["printable"], false);
    let irn = detail["einvoice"]["expectedIrn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(irn.len(), 64);
    let number = detail["summary"]["number"].as_str().unwrap().to_owned();
    let b2c_detail = s.detail(&s.r_admin, &b2c).await;
    assert_eq!(b2c_detail["einvoice"]["status"], "not_required");
    assert_eq!(b2c_detail["printable"], true);
    let awaiting = s
        .app
        .get(&s.r_admin, "/api/billing/invoices?status=awaiting_irn")
        .await;
    assert_eq!(awaiting.body["total"], 2);

    // The INV-01 request has the schema's required fields, amounts as exact decimals.
    let e = s
        .app
        .get(&s.r_admin, &format!("/api/billing/invoices/{inv}/einvoice"))
        .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.text);
    let j = &e.body;
    assert_eq!(j["Version"], "1.1");
    for (obj, keys) in [
        ("TranDtls", &["TaxSch", "SupTyp", "RegRev"][..]),
        ("DocDtls", &["Typ", "No", "Dt"]),
        (
            "SellerDtls",
            &["Gstin", "LglNm", "Addr1", "Loc", "Pin", "Stcd"],
        ),
        (
            "BuyerDtls",
            &["Gstin", "LglNm", "Pos", "Addr1", "Loc", "Pin", "Stcd"],
        ),
        (
            "ValDtls",
            &[
                "AssVal",
                "CgstVal",
                "SgstVal",
                "IgstVal",
                "RndOffAmt",
                "TotInvVal",
            ],
        ),
    ] {
        for k in keys {
            assert!(!j[obj][k].is_null(), "{obj}.{k} in {}", e.text);
        }
    }
    assert_eq!(j["TranDtls"]["SupTyp"], "B2B");
    assert_eq!(j["DocDtls"]["Typ"], "INV");
    assert_eq!(j["DocDtls"]["No"], number.as_str());
    assert_eq!(j["SellerDtls"]["Gstin"], s.reseller_gstin.as_str());
    assert_eq!(j["BuyerDtls"]["Pos"], "27");
    for item in j["ItemList"].as_array().unwrap() {
        for k in [
            "SlNo",
            "PrdDesc",
            "IsServc",
            "HsnCd",
            "Qty",
            "Unit",
            "UnitPrice",
            "TotAmt",
            "Discount",
            "AssAmt",
            "GstRt",
            "IgstAmt",
            "CgstAmt",
            "SgstAmt",
            "TotItemVal",
        ] {
            assert!(!item[k].is_null(), "ItemList.{k}");
        }
        assert_eq!(item["HsnCd"], "998315");
        assert_eq!(item["IsServc"], "Y");
    }
    let total = detail["document"]["totals"]["total"].as_str().unwrap();
    assert!(
        e.text.contains(&format!("\"TotInvVal\": {total}")),
        "{}",
        e.text
    );
    let r = s
        .app
        .get(&s.r_admin, &format!("/api/billing/invoices/{b2c}/einvoice"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // It is corrected only once it is a valid invoice.
    let note =
        json!({"reason": "r", "lines": [{"description": "x", "quantity": "1", "unitPrice": "1"}]});
    let r = s
        .app
        .post(
            &s.r_admin,
            &format!("/api/billing/invoices/{inv}/credit-notes"),
            note.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

    // Responses that do not belong to the invoice are refused, and nothing is stored.
    let path = format!("/api/billing/invoices/{inv}/irn");
    let other_irn = s.detail(&s.r_admin, &other).await["einvoice"]["expectedIrn"]
        .as_str()
        .unwrap()
        .to_owned();
    let bad = [
        "not json".to_owned(),
        irp_response("abc", &s.reseller_gstin, &s.pune_gstin, &number),
        irp_response(&other_irn, &s.reseller_gstin, &s.pune_gstin, &number),
        irp_response(&irn, &s.blr_gstin, &s.pune_gstin, &number),
        irp_response(&irn, &s.reseller_gstin, &s.blr_gstin, &number),
        json!({"Status": "0", "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}]})
            .to_string(),
    ];
    for response in bad {
        let r = s
            .app
            .post(&s.r_admin, &path, json!({"response": response}))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{response}: {}", r.text);
        assert_eq!(r.body["code"], "invalid_input");
    }
    let good = irp_response(&irn, &s.reseller_gstin, &s.pune_gstin, &number);
    // Only the seller's side registers.
    let r = s
        .app
        .post(&s.pune_admin, &path, json!({"response": good}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.detail(&s.r_admin, &inv).await["einvoice"]["status"],
        "awaiting_irn"
    );

    let r = s
        .app
        .post(&s.r_admin, &path, json!({"response": good}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["einvoice"]["status"], "registered");
    assert_eq!(r.body["einvoice"]["irn"], irn.as_str());
    assert_eq!(r.body["einvoice"]["ackNo"], "112510000012345");
    assert!(
        r.body["einvoice"]["signedQrCode"]
            .as_str()
            .unwrap()
            .contains('.')
    );
    assert_eq!(r.body["printable"], true);
    // Once only.
    let again = s
        .app
        .post(&s.r_admin, &path, json!({"response": good}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let r = s
        .app
        .post(
            &s.r_admin,
            &format!("/api/billing/invoices/{b2c}/irn"),
            json!({"response": good}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let registered = s
        .app
        .get(&s.pune_admin, "/api/billing/invoices?status=registered")
        .await;
    assert_eq!(registered.body["total"], 1);
    // Registered, it can be credited; the B2B credit note awaits its own IRN.
    let r = s
        .app
        .post(
            &s.r_admin,
            &format!("/api/billing/invoices/{inv}/credit-notes"),
            note,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["einvoice"]["status"], "awaiting_irn");
    let crn = s
        .app
        .get(
            &s.r_admin,
            &format!(
                "/api/billing/invoices/{}/einvoice",
                r.body["summary"]["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(crn.body["DocDtls"]["Typ"], "CRN");
    assert_eq!(
        crn.body["RefDtls"]["PrecDocDtls"][0]["InvNo"],
        number.as_str()
    );
    let audit = s.app.get(&s.r_admin, "/api/audit?limit=500").await;
    assert!(
        audit
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "invoice.irn")
    );
    s.app.shutdown().await;
}

on_both!(
    issued_invoices_never_change,
    credit_notes_never_exceed_the_invoice,
    e_invoicing_sellers_await_the_irn_and_register_once
);

on_both!(multi_thread: fifty_concurrent_notes_are_numbered_one_to_fifty);
