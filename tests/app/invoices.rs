//! Printing an invoice to PDF in the real app with the central server stopped: the invoice was
//! synced into the offline cache while the server answered, and the PDF is rendered locally.

use crate::{WAIT, click, js, screenshot, type_into, visit, wait_for_js, wait_text};
use akashone_central::{Central, Token};
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_e2e::{open_app, require_app, start_display, start_driver};
use akashone_server::config::{CloudStackConfig, Secret};
use akashone_server::crypto::PasswordCost;
use akashone_server::{Config, Server};
use akashone_types::central::{CreateTenant, DeployVm, LoginResponse};
use serde_json::Value;
use std::time::Duration;

#[path = "../../crates/app/tests/app/billing_fixture.rs"]
mod billing_fixture;

const PASSWORD: &str = "platform-admin-pass";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_an_invoice_to_pdf_with_the_server_stopped() {
    let _serial = akashone_e2e::one_app_at_a_time().await;
    let app = require_app();

    let sim = Simulator::start(SimConfig {
        vms: 2,
        start_delay: Duration::from_millis(100),
        job_delay: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(server_dir.path(), Secret::new("i".repeat(40)));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_user = "admin".into();
    config.admin_password = Some(Secret::new(PASSWORD));
    config.password_cost = PasswordCost::fast_for_tests();
    let server = Server::start(config).await.unwrap();
    let url = server.url();

    // The platform invoices a customer for last month's VM.
    let anon = Central::new(&url, Duration::from_secs(20)).unwrap();
    let LoginResponse::Authenticated(session) = anon.login("admin", PASSWORD).await.unwrap() else {
        panic!("2FA is off");
    };
    let token = session.token.clone();
    let api = anon.with_token(Token::new(session.token));
    let customer = api
        .create_tenant(&CreateTenant {
            parent_id: None,
            name: "Pune Analytics".into(),
        })
        .await
        .unwrap();
    let zones = api.zones(Some(&customer.id)).await.unwrap();
    let templates = api
        .templates(Some(&customer.id), &zones[0].id)
        .await
        .unwrap();
    let offerings = api.offerings(Some(&customer.id)).await.unwrap();
    api.deploy(&DeployVm {
        tenant_id: Some(customer.id.clone()),
        name: Some("pune-web".into()),
        zone_id: zones[0].id.clone(),
        template_id: templates[0].id.clone(),
        service_offering_id: offerings[0].id.clone(),
    })
    .await
    .unwrap();
    let number = billing_fixture::issue_invoice(&url, &token, &sim, &customer).await;

    let data = tempfile::tempdir().unwrap();
    let config_home = tempfile::tempdir().unwrap();
    let invoices = tempfile::tempdir().unwrap();
    let display = start_display();
    let driver = start_driver(
        &display,
        &[
            ("AKASHONE_DATA_DIR", data.path()),
            ("XDG_CONFIG_HOME", config_home.path()),
            ("AKASHONE_VAULT", std::path::Path::new("file")),
            ("AKASHONE_HEARTBEAT_MS", std::path::Path::new("700")),
            ("AKASHONE_INVOICE_DIR", invoices.path()),
        ],
    );
    let client = open_app(&driver, &app).await;

    // Sign in (2FA off): the invoice is synced into the cache.
    visit(&client, "connect").await;
    type_into(&client, "#central-name", "Platform").await;
    type_into(&client, "#central-url", &url).await;
    type_into(&client, "#central-username", "admin").await;
    click(&client, "#central-submit").await;
    type_into(&client, "#signin-password", PASSWORD).await;
    click(&client, "#signin-submit").await;
    wait_for_js(
        &client,
        "const u = document.querySelector('#topbar-user'); return !!u && u.textContent.includes('admin')",
        Value::Bool(true),
    )
    .await;
    visit(&client, "billing").await;
    let row = format!("#invoice-list [data-number=\"{number}\"]");
    wait_for_js(
        &client,
        &format!(
            "return !!document.querySelector('{}')",
            row.replace('\'', "\\'")
        ),
        Value::Bool(true),
    )
    .await;

    // The server stops; the app notices, and printing still works from the cache.
    server.shutdown().await;
    wait_text(
        &client,
        "#connection-pill",
        "ffline",
        Duration::from_secs(30),
    )
    .await;
    click(&client, &row).await;
    wait_text(&client, "#invoice-number", &number, WAIT).await;
    screenshot(&client, "billing-offline-detail").await;
    click(&client, "#pdf-save").await;
    wait_text(&client, "#pdf-saved-path", ".pdf", WAIT).await;
    let path = js(
        &client,
        "return document.querySelector('#pdf-saved-path').textContent.trim()",
    )
    .await;
    let path = path.as_str().unwrap().to_owned();
    assert!(
        path.starts_with(&invoices.path().display().to_string()),
        "{path}"
    );
    let pdf = std::fs::read(&path).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", &path, "-"])
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("Pune Analytics LLP"), "{text}");
    screenshot(&client, "billing-offline-saved").await;
    // Kept beside the screenshots, for a person to look at.
    std::fs::copy(&path, akashone_e2e::e2e_dir().join("billing-offline.pdf")).unwrap();
    let _ = client.close().await;
}
