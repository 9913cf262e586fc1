//! A central server on loopback with the CloudStack simulator behind it, a signed-in API
//! client, a customer tenant with a VM, and an issued invoice. Shared by the app's tests and the
//! end-to-end tests (included by path).
#![allow(dead_code)]

use akashone_central::{Central, Token};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use akashone_server::config::{CloudStackConfig, Secret};
use akashone_server::crypto::PasswordCost;
use akashone_server::{Config, Server};
use akashone_types::central::{CreateTenant, DeployVm, LoginResponse, TenantOut};
use serde_json::{Value, json};
use std::time::Duration;

/// The platform administrator's password.
pub const PASSWORD: &str = "platform-admin-pass";

/// A running server; everything stops when it is dropped (the server by `shutdown`).
pub struct Running {
    pub server: Server,
    pub sim: SimHandle,
    _dir: tempfile::TempDir,
}

/// Starts the simulator with `vms` seeded VMs and a server in front of it, the administrator
/// `admin` with [`PASSWORD`] (2FA off).
pub async fn start(vms: usize) -> Running {
    let sim = Simulator::start(SimConfig {
        vms,
        start_delay: Duration::from_millis(100),
        job_delay: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), Secret::new("k".repeat(40)));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_user = "admin".into();
    config.admin_password = Some(Secret::new(PASSWORD));
    config.password_cost = PasswordCost::fast_for_tests();
    Running {
        server: Server::start(config).await.unwrap(),
        sim,
        _dir: dir,
    }
}

/// The administrator's API client, signed in (2FA must be off), and its token.
pub async fn admin(url: &str) -> (Central, String) {
    let anon = Central::new(url, Duration::from_secs(20)).unwrap();
    let LoginResponse::Authenticated(session) = anon.login("admin", PASSWORD).await.unwrap() else {
        panic!("2FA is off for the administrator");
    };
    let token = session.token.clone();
    (anon.with_token(Token::new(session.token)), token)
}

/// A customer tenant of the platform with one running VM named `vm`.
pub async fn customer_with_vm(api: &Central, name: &str, vm: &str) -> TenantOut {
    let customer = api
        .create_tenant(&CreateTenant {
            parent_id: None,
            name: name.into(),
        })
        .await
        .unwrap();
    deploy(api, &customer.id, vm).await;
    customer
}

/// Deploys a VM named `vm` for `tenant` with the first zone, template and offering.
pub async fn deploy(api: &Central, tenant: &str, vm: &str) {
    let zones = api.zones(Some(tenant)).await.unwrap();
    let templates = api.templates(Some(tenant), &zones[0].id).await.unwrap();
    let offerings = api.offerings(Some(tenant)).await.unwrap();
    api.deploy(&DeployVm {
        tenant_id: Some(tenant.to_owned()),
        name: Some(vm.into()),
        zone_id: zones[0].id.clone(),
        template_id: templates[0].id.clone(),
        service_offering_id: offerings[0].id.clone(),
    })
    .await
    .unwrap();
}

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
