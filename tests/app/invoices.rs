//! Printing an invoice to PDF in the real app with the central server stopped: the invoice was
//! synced into the offline cache while the server answered, and the PDF is rendered locally.

use crate::central::{add_profile_and_enter_password, wait_signed_in};
use crate::central_fixture;
use crate::{WAIT, click, js, screenshot, visit, wait_for_js, wait_text};
use akashone_e2e::{open_app, require_app, start_display, start_driver};
use serde_json::Value;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_an_invoice_to_pdf_with_the_server_stopped() {
    let _serial = akashone_e2e::one_app_at_a_time().await;
    let app = require_app();

    // The platform invoices a customer for last month's VM.
    let running = central_fixture::start(2).await;
    let url = running.server.url();
    let (api, token) = central_fixture::admin(&url).await;
    let customer = central_fixture::customer_with_vm(&api, "Pune Analytics", "pune-web").await;
    let number = central_fixture::issue_invoice(&url, &token, &running.sim, &customer).await;

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
    add_profile_and_enter_password(&client, &url).await;
    wait_signed_in(&client).await;
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
    running.server.shutdown().await;
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
