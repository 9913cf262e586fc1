//! A central server with one issued invoice: the platform as a registered seller in Karnataka,
//! a customer tenant in Maharashtra with a VM whose usage is moved into last month, and the
//! platform's billing run for that month. Shared with the end-to-end tests (included by path).

use akashone_cloudstack_sim::SimHandle;
use akashone_types::central::TenantOut;
use serde_json::{Value, json};
use std::time::Duration;

/// The platform's GSTIN (Karnataka), checksum-valid and fictitious.
pub const SELLER_GSTIN: &str = "29AAFCN1234C1ZU";

/// Last month, `YYYY-MM`, in India.
pub fn last_month() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+5:30));
    let first = now.date().replace_day(1).unwrap().previous_day().unwrap();
    format!("{:04}-{:02}", first.year(), u8::from(first.month()))
}

async fn send(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Value,
) -> Value {
    let r = http
        .request(method, &url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Issues the invoice of `customer` (a child of the platform that has deployed a VM) as the
/// platform administrator `token`; returns the invoice's number.
pub async fn issue_invoice(
    server: &str,
    token: &str,
    sim: &SimHandle,
    customer: &TenantOut,
) -> String {
    let account = customer.cloudstack_account.as_deref().expect("an account");
    let user = sim
        .user_of(account)
        .expect("the customer's CloudStack account");
    assert!(sim.backdate_account(&user.account_id, Duration::from_secs(70 * 86_400)));
    let buyer_gstin = {
        let first14 = "27AADCA4321K1Z";
        format!(
            "{first14}{}",
            akashone_gst::check_character(first14).unwrap()
        )
    };
    let http = reqwest::Client::new();
    let put = reqwest::Method::PUT;
    send(&http, put.clone(), format!("{server}/api/billing/seller"), token, json!({
        "legalName": "AkashOne Cloud Private Limited",
        "tradeName": "AkashOne Cloud",
        "gstin": SELLER_GSTIN,
        "address": {"line1": "4th Floor, Example Tech Park", "line2": "Outer Ring Road", "city": "Bengaluru", "pin": "560103"},
        "email": "billing@akashone.example",
        "phone": "+91 80 4000 0000",
        "bank": {"accountName": "AkashOne Cloud Private Limited", "accountNumber": "50200012345678",
                 "ifsc": "EXMP0001234", "bankName": "Example Bank", "branch": "Main"},
        "upiId": "akashone@exbank",
        "paymentTerms": "Payable within 15 days.",
        "paymentDueDays": 15,
        "brandColour": "#1F4E8C",
        "invoicePrefix": "AKP",
        "creditNotePrefix": "AKPC",
        "debitNotePrefix": "AKPD",
    })).await;
    send(&http, put.clone(), format!("{server}/api/billing/rate-card"), token, json!({
        "effectiveFrom": "2025-01-01",
        "vcpuHour": "0.900", "gbRamHour": "0.300", "gbStorageMonth": "6", "publicIpHour": "0.350",
        "snapshotGbMonth": "3", "kubernetesClusterHour": "5", "databaseInstanceHour": "3",
        "discountPercent": null,
    })).await;
    send(&http, put, format!("{server}/api/billing/customer?tenantId={}", customer.id), token, json!({
        "legalName": "Pune Analytics LLP",
        "gstin": buyer_gstin,
        "stateCode": "27",
        "address": {"line1": "2nd Floor, Example Business Centre", "city": "Pune", "pin": "411045"},
        "email": "accounts@pune.example",
    })).await;
    let run = send(
        &http,
        reqwest::Method::POST,
        format!("{server}/api/billing/runs"),
        token,
        json!({"period": last_month()}),
    )
    .await;
    let invoice_id = run["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["tenantId"] == customer.id.as_str())
        .and_then(|c| c["invoiceId"].as_str())
        .unwrap_or_else(|| panic!("no invoice in the run: {run}"))
        .to_owned();
    let detail = http
        .get(format!("{server}/api/billing/invoices/{invoice_id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    detail["summary"]["number"].as_str().unwrap().to_owned()
}
