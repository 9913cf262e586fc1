//! A billing run through the server over 10,000 VMs' usage: the simulator's generated domains
//! become the platform's customer tenants, and `POST /api/billing/runs` fetches last month's
//! usage records of each (its domain, recursively), rates them and issues one GST invoice per
//! customer — on SQLite, then on PostgreSQL (a throwaway cluster with default durability).
//! Printed as figures (never a timed test).
//!
//! `cargo bench -p akashone-server --bench billing` (`-- --vms 10000 --domains 20`).

use std::time::{Duration, Instant};

use akashone_cloudstack::api::ListDomains;
use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::SimHandle;
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_server::config::{CloudStackConfig, DatabaseUrl, Secret};
use akashone_server::db::Tenant;
use akashone_server::{Config, Server};
use akashone_testpg::{Cluster, Durability};
use serde_json::{Value, json};
use time::{OffsetDateTime, UtcOffset};

fn args() -> (usize, usize) {
    let (mut vms, mut domains) = (10_000, 20);
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{flag} needs a number"))
        };
        match flag.as_str() {
            "--vms" => vms = value(),
            "--domains" => domains = value(),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    (vms, domains)
}

/// The month before this one in India, `YYYY-MM`.
fn last_month() -> String {
    let today = OffsetDateTime::now_utc()
        .to_offset(UtcOffset::from_hms(5, 30, 0).unwrap())
        .date();
    let last = today.replace_day(1).unwrap().previous_day().unwrap();
    format!("{:04}-{:02}", last.year(), u8::from(last.month()))
}

fn gstin(state: &str, pan: &str) -> String {
    let first14 = format!("{state}{pan}1Z");
    format!(
        "{first14}{}",
        akashone_gst::check_character(&first14).unwrap()
    )
}

/// What one backend measured.
struct Figures {
    backend: &'static str,
    customers: usize,
    run: Value,
    first: Duration,
    rerun: Duration,
}

async fn measure(
    sim: &SimHandle,
    backend: &'static str,
    database: DatabaseUrl,
    connections: usize,
) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let password = "bench-admin-password";
    let mut config = Config::new(dir.path(), Secret::new("b".repeat(48)));
    config.database = database;
    config.db_connections = connections;
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_password = Some(Secret::new(password));
    let server = Server::start(config).await.expect("server");
    let base = server.url();
    let http = reqwest::Client::new();
    let call = async |method: reqwest::Method, token: &str, path: &str, body: Value| -> Value {
        let r = http
            .request(method, format!("{base}{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {v}");
        v
    };
    let token = call(
        reqwest::Method::POST,
        "",
        "/api/auth/login",
        json!({"username": "admin", "password": password}),
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // The platform's direct children: the generated domains right under ROOT (their
    // subdomains are billed with them).
    let cs = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .unwrap();
    let root = server.state().db.root_tenant().await.unwrap().unwrap();
    let top: Vec<_> = cs
        .list_domains(&ListDomains {
            listall: Some(true),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.level == Some(1))
        .filter_map(|d| Some((d.id?, d.name?)))
        .collect();
    for (i, (domain, name)) in top.iter().enumerate() {
        let id = format!("{i:016x}");
        server
            .state()
            .db
            .insert_tenant(&Tenant {
                path: Tenant::child_path(&root.path, &id),
                id: id.clone(),
                parent_id: Some(root.id.clone()),
                name: name.clone(),
                cs_domain_id: Some(domain.clone()),
                cs_account: None,
                suspended: false,
                created_at: 0,
            })
            .await
            .unwrap();
        let pan = format!("AABC{}{i:04}F", (b'A' + (i % 26) as u8) as char);
        call(
            reqwest::Method::PUT,
            &token,
            &format!("/api/billing/customer?tenantId={id}"),
            json!({"legalName": format!("{name} Private Limited"),
                   "gstin": gstin(if i % 2 == 0 { "29" } else { "27" }, &pan),
                   "address": {"line1": "1 Example Road", "city": "City", "pin": "560001"}}),
        )
        .await;
    }
    call(
        reqwest::Method::PUT,
        &token,
        "/api/billing/seller",
        json!({"legalName": "AkashOne Cloud Private Limited", "gstin": "29AAFCN1234C1ZU",
               "address": {"line1": "1 Example Tech Park", "city": "Bengaluru", "pin": "560103"},
               "invoicePrefix": "AKP", "creditNotePrefix": "AKPC", "debitNotePrefix": "AKPD"}),
    )
    .await;
    call(
        reqwest::Method::PUT,
        &token,
        "/api/billing/rate-card",
        json!({"effectiveFrom": "2020-01-01", "vcpuHour": "1.250", "gbRamHour": "0.417",
               "gbStorageMonth": "8", "publicIpHour": "0.5", "snapshotGbMonth": "4",
               "kubernetesClusterHour": "6", "databaseInstanceHour": "3.5"}),
    )
    .await;

    let period = json!({"period": last_month()});
    let t = Instant::now();
    let run = call(
        reqwest::Method::POST,
        &token,
        "/api/billing/runs",
        period.clone(),
    )
    .await;
    let first = t.elapsed();
    let t = Instant::now();
    let again = call(reqwest::Method::POST, &token, "/api/billing/runs", period).await;
    let rerun = t.elapsed();
    assert_eq!(again["issued"], 0);
    assert_eq!(again["skipped"], run["issued"]);
    server.shutdown().await;
    Figures {
        backend,
        customers: top.len(),
        run,
        first,
        rerun,
    }
}

#[tokio::main]
async fn main() {
    let (vms, domains) = args();
    let sim = Simulator::start(SimConfig {
        vms,
        domains,
        accounts: 200,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = measure(
        &sim,
        "SQLite",
        DatabaseUrl::Sqlite(sqlite_dir.path().join("server.db")),
        4,
    )
    .await;
    // A cluster of its own with PostgreSQL's default durability; stopped and removed when this
    // process ends.
    let cluster: &'static Cluster = Box::leak(Box::new(
        tokio::task::spawn_blocking(|| Cluster::start(Durability::Default))
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    let db = cluster.create_database().await.unwrap();
    let postgres = measure(
        &sim,
        "PostgreSQL",
        DatabaseUrl::parse(db.url()).unwrap(),
        16,
    )
    .await;
    sim.shutdown().await;
    for key in ["usageRecords", "issued", "issuedTotal"] {
        assert_eq!(
            sqlite.run[key], postgres.run[key],
            "{key} differs between the backends"
        );
    }

    println!(
        "Billing run through akashone-server over {vms} VMs' usage of {} (simulator on loopback; client, server and database share this machine)",
        last_month()
    );
    println!(
        "  {} customers under the platform, each billed for its CloudStack domain's subtree",
        sqlite.customers
    );
    for f in [&sqlite, &postgres] {
        let records = f.run["usageRecords"].as_f64().unwrap_or(0.0);
        println!(
            "  {:<10} POST /api/billing/runs {:.2} s wall: {} usage records fetched and rated ({:.0}/s), {} invoices issued (₹{}), {} failed; re-run {:.3} s ({} skipped)",
            f.backend,
            f.first.as_secs_f64(),
            f.run["usageRecords"],
            records / f.first.as_secs_f64(),
            f.run["issued"],
            f.run["issuedTotal"].as_str().unwrap_or("?"),
            f.run["failed"],
            f.rerun.as_secs_f64(),
            f.run["issued"],
        );
    }
}
