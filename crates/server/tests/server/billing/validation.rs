//! Bad input is refused with `{code, message}` and stores nothing; viewers and other subtrees
//! are refused everywhere.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{
    PLATFORM_GSTIN, RESELLER_PRICES, Scenario, card_body, customer_body, gstin, id, last_month,
    row, seller_body, today,
};
use crate::support::{Backend, TestApp, on_both, spawn_on};

/// A `w`×`h` PNG, base64.
pub fn png_b64(w: u32, h: u32) -> String {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 128]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    STANDARD.encode(png)
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> crate::support::Reply {
    app.call(Method::PUT, Some(token), path, Some(body)).await
}

fn assert_invalid(r: &crate::support::Reply, what: &str, mentions: &str) {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}: {}", r.text);
    let obj = r.body.as_object().unwrap();
    assert_eq!(obj.len(), 2, "{what}: only code and message: {}", r.text);
    assert_eq!(r.body["code"], "invalid_input", "{what}");
    let msg = r.body["message"].as_str().unwrap();
    assert!(
        msg.to_lowercase().contains(&mentions.to_lowercase()),
        "{what}: {msg:?} should mention {mentions:?}"
    );
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

async fn bad_seller_customer_and_rate_card_input_is_refused_and_nothing_stored(backend: Backend) {
    let app = spawn_on(backend).await;
    let admin = app.admin.clone();
    let good = seller_body(PLATFORM_GSTIN, "AkashOne Cloud", "AKP", "560103");
    let mut bad_address = good.clone();
    bad_address["address"]["pin"] = json!("060001");
    let mut bad_ifsc = good.clone();
    bad_ifsc["bank"]["ifsc"] = json!("EXMP1001234");
    let big = STANDARD.encode(vec![0x89u8; 300 * 1024]);
    for (what, body, mentions) in [
        (
            "mistyped GSTIN",
            with(good.clone(), "gstin", json!("29AAFCN1234C1ZV")),
            "gstin",
        ),
        (
            "short GSTIN",
            with(good.clone(), "gstin", json!("29AAFCN1234")),
            "gstin",
        ),
        (
            "State not the GSTIN's",
            with(good.clone(), "stateCode", json!("27")),
            "stateCode",
        ),
        (
            "empty name",
            with(good.clone(), "legalName", json!("  ")),
            "legalName",
        ),
        (
            "long prefix",
            with(good.clone(), "invoicePrefix", json!("ABCDEF")),
            "invoicePrefix",
        ),
        (
            "prefix with /",
            with(good.clone(), "invoicePrefix", json!("/A")),
            "invoicePrefix",
        ),
        (
            "prefix with space",
            with(good.clone(), "invoicePrefix", json!("A B")),
            "invoicePrefix",
        ),
        (
            "same prefixes",
            with(good.clone(), "creditNotePrefix", json!("akp")),
            "creditNotePrefix",
        ),
        ("PIN", bad_address, "pin"),
        ("IFSC", bad_ifsc, "ifsc"),
        (
            "UPI",
            with(good.clone(), "upiId", json!("no-handle")),
            "upiId",
        ),
        (
            "colour",
            with(good.clone(), "brandColour", json!("blue")),
            "brandColour",
        ),
        (
            "e-mail",
            with(good.clone(), "email", json!("billing at x")),
            "email",
        ),
        (
            "due days",
            with(good.clone(), "paymentDueDays", json!(400)),
            "paymentDueDays",
        ),
        (
            "logo not base64",
            with(good.clone(), "logoPng", json!("%%%")),
            "logoPng",
        ),
        (
            "logo not PNG",
            with(
                good.clone(),
                "logoPng",
                json!(STANDARD.encode(b"GIF89a....")),
            ),
            "PNG",
        ),
        (
            "logo too big",
            with(good.clone(), "logoPng", json!(big)),
            "KiB",
        ),
        (
            "unknown field",
            with(good.clone(), "gstNumber", json!("x")),
            "gstNumber",
        ),
        (
            "number for text",
            with(good.clone(), "legalName", json!(5)),
            "legalName",
        ),
    ] {
        let r = put(&app, &admin, "/api/billing/seller", body).await;
        assert_invalid(&r, what, mentions);
    }
    let r = app
        .http
        .put(format!("{}/api/billing/seller", app.server.url()))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get(&admin, "/api/billing/seller").await.status,
        StatusCode::NOT_FOUND,
        "nothing was stored"
    );

    // A good profile with a logo; the logo stays until replaced or removed.
    let logo = png_b64(32, 32);
    let r = put(
        &app,
        &admin,
        "/api/billing/seller",
        with(good.clone(), "logoPng", json!(logo)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["pan"], "AAFCN1234C");
    assert_eq!(r.body["stateName"], "Karnataka");
    assert_eq!(
        r.body["invoiceNumberExample"],
        format!("AKP/{}/000001", super::fy_label(today()))
    );
    let r = put(&app, &admin, "/api/billing/seller", good.clone()).await;
    assert_eq!(r.body["logoPng"], logo.as_str());
    let r = put(
        &app,
        &admin,
        "/api/billing/seller",
        with(good.clone(), "removeLogo", json!(true)),
    )
    .await;
    assert!(r.body["logoPng"].is_null());

    // Customers.
    let t = app.tenant(&admin, None, "Customer").await;
    let path = format!("/api/billing/customer?tenantId={}", id(&t));
    let b2b = customer_body(
        "Buyer Ltd",
        Some(&gstin("27", "AADCP5678G")),
        "27",
        "411045",
    );
    let valid = gstin("27", "AADCP5678G");
    let mistyped = format!(
        "{}{}",
        &valid[..14],
        if valid.ends_with('X') { 'Y' } else { 'X' }
    );
    let export = json!({"legalName": "Overseas Inc", "export": true, "country": "US",
                        "address": {"line1": "1 Main St", "city": "Austin", "postalCode": "73301"}});
    for (what, body, mentions) in [
        (
            "B2C without State",
            customer_body("Buyer", None, "", "411045"),
            "stateCode",
        ),
        (
            "State not the GSTIN's",
            with(b2b.clone(), "stateCode", json!("29")),
            "stateCode",
        ),
        (
            "GSTIN",
            with(b2b.clone(), "gstin", json!(mistyped)),
            "gstin",
        ),
        (
            "export with GSTIN",
            with(export.clone(), "gstin", json!(gstin("27", "AADCP5678G"))),
            "gstin",
        ),
        (
            "export without country",
            with(export.clone(), "country", Value::Null),
            "country",
        ),
        (
            "export to India",
            with(export.clone(), "country", json!("IN")),
            "country",
        ),
        (
            "SEZ without GSTIN",
            with(
                customer_body("Unit", None, "27", "411045"),
                "sez",
                json!(true),
            ),
            "gstin",
        ),
        (
            "export and SEZ",
            with(export.clone(), "sez", json!(true)),
            "sez",
        ),
        (
            "country at home",
            with(b2b.clone(), "country", json!("US")),
            "country",
        ),
        (
            "Indian address without PIN",
            customer_body("Buyer", None, "27", ""),
            "pin",
        ),
        (
            "legacy State",
            customer_body("Buyer", None, "28", "500001"),
            "28",
        ),
    ] {
        let r = put(&app, &admin, &path, body).await;
        assert_invalid(&r, what, mentions);
    }
    assert_eq!(
        app.get(
            &admin,
            &format!("/api/billing/customer?tenantId={}", id(&t))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = put(&app, &admin, "/api/billing/customer", b2b.clone()).await;
    assert_invalid(&r, "the platform as a customer", "platform");
    let r = put(&app, &admin, &path, export).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["supplyKind"], "export");
    let r = put(&app, &admin, &path, b2b).await;
    assert_eq!(r.body["supplyKind"], "b2b");
    assert_eq!(r.body["stateName"], "Maharashtra");

    // Rate cards.
    let p = RESELLER_PRICES;
    for (what, body, mentions) in [
        (
            "four decimals",
            card_body(
                "2026-01-01",
                ["1.2345", p[1], p[2], p[3], p[4], p[5], p[6]],
                None,
            ),
            "vcpuHour",
        ),
        (
            "negative",
            card_body(
                "2026-01-01",
                [p[0], "-1", p[2], p[3], p[4], p[5], p[6]],
                None,
            ),
            "gbRamHour",
        ),
        (
            "float",
            with(card_body("2026-01-01", p, None), "publicIpHour", json!(0.5)),
            "publicIpHour",
        ),
        ("mid-month", card_body("2026-01-15", p, None), "first day"),
        ("no date", card_body("January", p, None), "effectiveFrom"),
        (
            "full discount",
            card_body("2026-01-01", p, Some("100")),
            "discountPercent",
        ),
    ] {
        let r = put(&app, &admin, "/api/billing/rate-card", body).await;
        assert_invalid(&r, what, mentions);
    }
    let r = app.get(&admin, "/api/billing/rate-card").await;
    assert_eq!(r.body["versions"], json!([]));
    app.shutdown().await;
}

async fn bad_runs_and_filters_are_refused_and_record_nothing(backend: Backend) {
    let app = spawn_on(backend).await;
    let admin = app.admin.clone();
    let (_, first, _) = last_month();
    let this_month = format!("{:04}-{:02}", today().year(), u8::from(today().month()));
    let tomorrow = today().next_day().unwrap().to_string();
    let (period, _, last) = last_month();
    for (body, mentions) in [
        (json!({"period": "2026-13"}), "period"),
        (json!({"period": "Oct 2026"}), "period"),
        (json!({"period": this_month}), "not ended"),
        (json!({"period": period, "invoiceDate": tomorrow}), "future"),
        (
            json!({"period": period, "invoiceDate": last.to_string()}),
            "not ended",
        ),
        (
            json!({"period": period, "invoiceDate": "31-10-2026"}),
            "invoiceDate",
        ),
        (json!({"period": period, "sellerId": "x"}), "sellerId"),
    ] {
        let r = app.post(&admin, "/api/billing/runs", body.clone()).await;
        assert_invalid(&r, &body.to_string(), mentions);
    }
    // Not set up yet.
    let r = app
        .post(&admin, "/api/billing/runs", json!({"period": period}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("seller profile")
    );
    let r = put(
        &app,
        &admin,
        "/api/billing/seller",
        seller_body(PLATFORM_GSTIN, "P", "AKP", "560103"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .post(&admin, "/api/billing/runs", json!({"period": period}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.body["message"].as_str().unwrap().contains("rate card"));
    // A card from after the period does not rate it.
    let later = today().replace_day(1).unwrap().to_string();
    let r = put(
        &app,
        &admin,
        "/api/billing/rate-card",
        card_body(&later, RESELLER_PRICES, None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .post(&admin, "/api/billing/runs", json!({"period": period}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{first}: {}", r.text);
    assert_eq!(app.get(&admin, "/api/billing/runs").await.body, json!([]));

    for query in [
        "period=2026-1",
        "status=paid",
        "documentType=receipt",
        "limit=ten",
    ] {
        let r = app
            .get(&admin, &format!("/api/billing/invoices?{query}"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text);
        assert_eq!(r.body["code"], "invalid_input");
    }
    app.shutdown().await;
}

async fn viewers_and_other_subtrees_are_refused_on_every_billing_endpoint(backend: Backend) {
    let s = Scenario::new(backend, 70).await;
    let run = s.run(&s.r_admin, None).await;
    let inv = row(&run, &s.pune)["invoiceId"].as_str().unwrap().to_owned();
    let rid = id(&s.reseller).to_owned();
    let viewer = s.app.user(&s.r_admin, &rid, "r-viewer", "viewer").await;
    let delhi = s.app.tenant(&s.app.admin, None, "Reseller Delhi").await;
    let delhi_billing = s
        .app
        .user(&s.app.admin, id(&delhi), "delhi-billing", "billing")
        .await;
    let seller = seller_body(&s.reseller_gstin, "Hijack", "HJK", "400001");
    let card = card_body("2030-01-01", RESELLER_PRICES, None);
    let customer = customer_body("Hijack", None, "27", "400001");
    let note =
        json!({"reason": "r", "lines": [{"description": "x", "quantity": "1", "unitPrice": "1"}]});
    let irn = json!({"response": "{}"});
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::GET,
            format!("/api/billing/seller?tenantId={rid}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/billing/seller?tenantId={rid}"),
            Some(seller),
        ),
        (
            Method::GET,
            format!("/api/billing/customer?tenantId={}", id(&s.pune)),
            None,
        ),
        (
            Method::PUT,
            format!("/api/billing/customer?tenantId={}", id(&s.pune)),
            Some(customer),
        ),
        (
            Method::GET,
            format!("/api/billing/rate-card?tenantId={rid}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/billing/rate-card?tenantId={rid}"),
            Some(card),
        ),
        (
            Method::GET,
            format!("/api/billing/runs?tenantId={rid}"),
            None,
        ),
        (
            Method::POST,
            "/api/billing/runs".into(),
            Some(json!({"tenantId": rid, "period": last_month().0})),
        ),
        (
            Method::GET,
            format!("/api/billing/invoices?tenantId={rid}"),
            None,
        ),
        (Method::GET, format!("/api/billing/invoices/{inv}"), None),
        (
            Method::GET,
            format!("/api/billing/invoices/{inv}/einvoice"),
            None,
        ),
        (
            Method::POST,
            format!("/api/billing/invoices/{inv}/irn"),
            Some(irn),
        ),
        (
            Method::POST,
            format!("/api/billing/invoices/{inv}/credit-notes"),
            Some(note),
        ),
    ];
    for (method, path, body) in &calls {
        let r = s
            .app
            .call(method.clone(), Some(&viewer), path, body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "viewer {method} {path}: {}",
            r.text
        );
        assert_eq!(r.body["code"], "forbidden");
        let r = s
            .app
            .call(method.clone(), Some(&delhi_billing), path, body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "other reseller {method} {path}: {}",
            r.text
        );
        for secret in ["Sahyadri", "Pune Analytics", "RSM/", &s.reseller_gstin] {
            assert!(!r.text.contains(secret), "{method} {path} leaked {secret}");
        }
    }
    // Nothing changed: the seller, the rate card, the customer, the invoices.
    let me = s.app.get(&s.r_admin, "/api/billing/seller").await;
    assert_eq!(me.body["tradeName"], "Sahyadri Cloud");
    let cards = s.app.get(&s.r_admin, "/api/billing/rate-card").await;
    assert_eq!(cards.body["versions"].as_array().unwrap().len(), 1);
    let list = s.app.get(&s.r_admin, "/api/billing/invoices").await;
    assert_eq!(list.body["total"], 2);
    let detail = s.detail(&s.r_admin, &inv).await;
    assert!(detail["notes"].as_array().unwrap().is_empty());
    s.app.shutdown().await;
}

async fn each_user_sees_the_brand_of_the_seller_nearest_above_them(backend: Backend) {
    let s = Scenario::new(backend, 0).await;
    let brand = async |token: &str| {
        let r = s.app.get(token, "/api/branding").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body
    };
    // The reseller's customers and the reseller itself: the reseller's brand.
    for token in [&s.pune_admin, &s.blr_admin, &s.r_admin] {
        let b = brand(token).await;
        assert_eq!(b["tenantId"], id(&s.reseller), "{b}");
        assert_eq!(b["displayName"], "Sahyadri Cloud");
        assert_eq!(b["brandColour"], "#1F4E8C");
        assert!(b["logoPng"].is_null() && b["logoSha256"].is_null());
    }
    // Another reseller without a profile, and the platform: the platform's brand, never the
    // other reseller's.
    let delhi = s.app.tenant(&s.app.admin, None, "Reseller Delhi").await;
    let delhi_admin = s
        .app
        .user(&s.app.admin, id(&delhi), "delhi-admin", "reseller-admin")
        .await;
    for token in [&delhi_admin, &s.app.admin] {
        let b = brand(token).await;
        assert_eq!(b["displayName"], "AkashOne Cloud", "{b}");
        assert_ne!(b["tenantId"], id(&s.reseller));
    }
    // A logo set by the reseller reaches its customers, with its hash.
    let b64 = png_b64(48, 24);
    let mut body = seller_body(&s.reseller_gstin, "Sahyadri Cloud", "RSM", "400001");
    body["displayName"] = json!("Sahyadri");
    body["logoPng"] = json!(b64);
    let r = put(&s.app, &s.r_admin, "/api/billing/seller", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let b = brand(&s.pune_admin).await;
    assert_eq!(b["displayName"], "Sahyadri");
    assert_eq!(b["logoPng"], b64);
    assert_eq!(b["logoSha256"].as_str().unwrap().len(), 64);
    // Without a session: refused.
    let r = s.app.call(Method::GET, None, "/api/branding", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    s.app.shutdown().await;
}

on_both!(
    each_user_sees_the_brand_of_the_seller_nearest_above_them,
    bad_seller_customer_and_rate_card_input_is_refused_and_nothing_stored,
    bad_runs_and_filters_are_refused_and_record_nothing,
    viewers_and_other_subtrees_are_refused_on_every_billing_endpoint
);
