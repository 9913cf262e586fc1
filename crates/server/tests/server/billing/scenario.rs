//! The billing tests' setting: the platform's and a reseller's registrations, request bodies,
//! and the reseller with two customers whose usage is billed.

use std::time::Duration;

use akashone_billing::RateCard;
use akashone_gst::UnitPrice;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::support::{Backend, TestApp, spawn_on};

/// The platform's registration (Karnataka) and its fictitious but checksum-valid customers.
pub const PLATFORM_GSTIN: &str = "29AAFCN1234C1ZU";

/// A checksum-valid GSTIN: State code, PAN, entity number, `Z`, check character.
pub fn gstin(state: &str, pan: &str) -> String {
    let first14 = format!("{state}{pan}1Z");
    format!(
        "{first14}{}",
        akashone_gst::check_character(&first14).unwrap()
    )
}

/// Today in India.
pub fn today() -> Date {
    OffsetDateTime::now_utc()
        .to_offset(UtcOffset::from_hms(5, 30, 0).unwrap())
        .date()
}

/// The month before this one in India: (`YYYY-MM`, first day, last day).
pub fn last_month() -> (String, Date, Date) {
    let first_this = today().replace_day(1).unwrap();
    let last = first_this.previous_day().unwrap();
    let first = last.replace_day(1).unwrap();
    (
        format!("{:04}-{:02}", first.year(), u8::from(first.month())),
        first,
        last,
    )
}

/// `26-27`: the financial year of a date, as inside document numbers.
pub fn fy_label(d: Date) -> String {
    let start = if u8::from(d.month()) >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{:02}-{:02}", start % 100, (start + 1) % 100)
}

pub fn seller_body(gstin: &str, name: &str, prefix: &str, pin: &str) -> Value {
    json!({
        "legalName": format!("{name} Private Limited"),
        "tradeName": name,
        "gstin": gstin,
        "address": {"line1": "4th Floor, Example Tech Park", "line2": "Outer Ring Road", "city": "City", "pin": pin},
        "email": "billing@seller.example",
        "phone": "+91 80 4000 0000",
        "bank": {"accountName": format!("{name} Private Limited"), "accountNumber": "50200012345678",
                 "ifsc": "EXMP0001234", "bankName": "Example Bank", "branch": "Main"},
        "upiId": "seller@exbank",
        "paymentTerms": "Payable within 15 days.",
        "paymentDueDays": 15,
        "brandColour": "#1F4E8C",
        "invoicePrefix": prefix,
        "creditNotePrefix": format!("{prefix}C"),
        "debitNotePrefix": format!("{prefix}D"),
    })
}

pub fn customer_body(name: &str, gstin: Option<&str>, state: &str, pin: &str) -> Value {
    json!({
        "legalName": name,
        "gstin": gstin,
        "stateCode": state,
        "address": {"line1": "2nd Floor, Example Business Centre", "city": "City", "pin": pin},
        "email": "accounts@customer.example",
    })
}

/// Prices in milli-rupees: vCPU-h, GB-RAM-h, GB-month, IP-h, snapshot GB-month, k8s-h, DB-h.
pub fn card_body(from: &str, p: [&str; 7], discount: Option<&str>) -> Value {
    json!({
        "effectiveFrom": from,
        "vcpuHour": p[0], "gbRamHour": p[1], "gbStorageMonth": p[2], "publicIpHour": p[3],
        "snapshotGbMonth": p[4], "kubernetesClusterHour": p[5], "databaseInstanceHour": p[6],
        "discountPercent": discount,
    })
}

pub const PLATFORM_PRICES: [&str; 7] = ["0.900", "0.300", "6", "0.350", "3", "5", "3"];
pub const RESELLER_PRICES: [&str; 7] = ["1.250", "0.417", "8", "0.500", "4", "6", "3.500"];

pub fn card(p: [&str; 7], discount: Option<&str>) -> RateCard {
    let u = |s: &str| UnitPrice::parse_rupees(s).unwrap();
    RateCard {
        vcpu_hour: u(p[0]),
        gb_ram_hour: u(p[1]),
        gb_storage_month: u(p[2]),
        public_ip_hour: u(p[3]),
        snapshot_gb_month: u(p[4]),
        kubernetes_cluster_hour: u(p[5]),
        database_instance_hour: u(p[6]),
        discount: discount.map(|d| akashone_gst::Percent::parse(d).unwrap()),
    }
}

/// A reseller in Maharashtra with two customers: Pune (Maharashtra, two VMs) and Bengaluru
/// (Karnataka, one VM), whose CloudStack accounts are moved `backdate_days` into the past.
pub struct Scenario {
    pub app: TestApp,
    pub reseller: Value,
    pub pune: Value,
    pub blr: Value,
    pub r_admin: String,
    pub pune_admin: String,
    pub blr_admin: String,
    pub reseller_gstin: String,
    pub pune_gstin: String,
    pub blr_gstin: String,
    /// vCPUs of the VMs of Pune and Bengaluru.
    pub vcpus: (i64, i64),
}

pub fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

impl Scenario {
    pub async fn new(backend: Backend, backdate_days: u64) -> Scenario {
        Self::with_einvoicing(backend, backdate_days, false).await
    }

    /// With the reseller above the e-invoicing threshold when `einvoicing`.
    pub async fn with_einvoicing(
        backend: Backend,
        backdate_days: u64,
        einvoicing: bool,
    ) -> Scenario {
        let app = spawn_on(backend).await;
        let reseller = app.tenant(&app.admin, None, "Reseller Mumbai").await;
        let r_admin = app
            .user(&app.admin, id(&reseller), "r-admin", "reseller-admin")
            .await;
        let pune = app
            .tenant(&r_admin, Some(id(&reseller)), "Customer Pune")
            .await;
        let blr = app
            .tenant(&r_admin, Some(id(&reseller)), "Customer Bengaluru")
            .await;
        let pune_admin = app
            .user(&r_admin, id(&pune), "pune-admin", "customer-admin")
            .await;
        let blr_admin = app
            .user(&r_admin, id(&blr), "blr-admin", "customer-admin")
            .await;
        let cpus = |v: &Value| v["cpuNumber"].as_i64().unwrap();
        let p1 = app.deploy(&pune_admin, "pune-web-1").await;
        let p2 = app.deploy(&pune_admin, "pune-db-1").await;
        let b1 = app.deploy(&blr_admin, "blr-app-1").await;
        for t in [&pune, &blr] {
            let account = t["cloudstackAccount"].as_str().unwrap();
            let user = app.sim.user_of(account).expect("the tenant's account");
            assert!(app.sim.backdate_account(
                &user.account_id,
                Duration::from_secs(backdate_days * 86_400)
            ));
        }
        let reseller_gstin = gstin("27", "AABCR1234F");
        let pune_gstin = gstin("27", "AADCP5678G");
        let blr_gstin = gstin("29", "AAECB9012H");

        let put = async |token: &str, path: &str, body: Value| {
            let r = app
                .call(reqwest::Method::PUT, Some(token), path, Some(body))
                .await;
            assert_eq!(r.status, StatusCode::OK, "PUT {path}: {}", r.text);
            r.body
        };
        put(
            &app.admin,
            "/api/billing/seller",
            seller_body(PLATFORM_GSTIN, "AkashOne Cloud", "AKP", "560103"),
        )
        .await;
        put(
            &app.admin,
            "/api/billing/rate-card",
            card_body("2025-01-01", PLATFORM_PRICES, None),
        )
        .await;
        let mut rs = seller_body(&reseller_gstin, "Sahyadri Cloud", "RSM", "400001");
        rs["eInvoicing"] = json!(einvoicing);
        put(
            &r_admin,
            &format!("/api/billing/seller?tenantId={}", id(&reseller)),
            rs,
        )
        .await;
        put(
            &r_admin,
            "/api/billing/rate-card",
            card_body("2025-01-01", RESELLER_PRICES, Some("5")),
        )
        .await;
        put(
            &app.admin,
            &format!("/api/billing/customer?tenantId={}", id(&reseller)),
            customer_body(
                "Sahyadri Cloud Private Limited",
                Some(&reseller_gstin),
                "27",
                "400001",
            ),
        )
        .await;
        put(
            &r_admin,
            &format!("/api/billing/customer?tenantId={}", id(&pune)),
            customer_body("Pune Analytics LLP", Some(&pune_gstin), "27", "411045"),
        )
        .await;
        put(
            &r_admin,
            &format!("/api/billing/customer?tenantId={}", id(&blr)),
            customer_body(
                "Bengaluru Apps Private Limited",
                Some(&blr_gstin),
                "29",
                "560001",
            ),
        )
        .await;
        Scenario {
            vcpus: (cpus(&p1) + cpus(&p2), cpus(&b1)),
            app,
            reseller,
            pune,
            blr,
            r_admin,
            pune_admin,
            blr_admin,
            reseller_gstin,
            pune_gstin,
            blr_gstin,
        }
    }

    /// Runs billing of last month as `token` for `seller` (None: the caller's tenant).
    pub async fn run(&self, token: &str, seller: Option<&str>) -> Value {
        let (period, _, _) = last_month();
        let r = self
            .app
            .post(
                token,
                "/api/billing/runs",
                json!({"tenantId": seller, "period": period}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "run: {}", r.text);
        r.body
    }

    pub async fn detail(&self, token: &str, invoice: &str) -> Value {
        let r = self
            .app
            .get(token, &format!("/api/billing/invoices/{invoice}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "detail: {}", r.text);
        r.body
    }
}

/// Sets up the platform as a seller, `tenant` (a child of the platform with a VM) as its
/// registered customer, moves the tenant's usage into last month and runs the platform's
/// billing; returns the tenant's invoice id.
pub async fn platform_invoice_for(app: &TestApp, tenant: &Value, legal_name: &str) -> String {
    let user = app
        .sim
        .user_of(tenant["cloudstackAccount"].as_str().unwrap())
        .unwrap();
    assert!(
        app.sim
            .backdate_account(&user.account_id, Duration::from_secs(70 * 86_400))
    );
    for (path, body) in [
        (
            "/api/billing/seller".to_owned(),
            seller_body(PLATFORM_GSTIN, "AkashOne Cloud", "AKP", "560103"),
        ),
        (
            "/api/billing/rate-card".to_owned(),
            card_body("2025-01-01", PLATFORM_PRICES, None),
        ),
        (
            format!("/api/billing/customer?tenantId={}", id(tenant)),
            customer_body(legal_name, Some(&gstin("27", "AADCA4321K")), "27", "411001"),
        ),
    ] {
        let r = app
            .call(reqwest::Method::PUT, Some(&app.admin), &path, Some(body))
            .await;
        assert_eq!(r.status, StatusCode::OK, "PUT {path}: {}", r.text);
    }
    let r = app
        .post(
            &app.admin,
            "/api/billing/runs",
            json!({"period": last_month().0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    row(&r.body, tenant)["invoiceId"]
        .as_str()
        .expect("an invoice")
        .to_owned()
}

/// The run's row for a customer.
pub fn row<'a>(run: &'a Value, tenant: &Value) -> &'a Value {
    run["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["tenantId"] == tenant["id"])
        .expect("the customer is in the run")
}
