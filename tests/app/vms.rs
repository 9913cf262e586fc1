//! Virtual machines in the real app: the demo profile's whole lifecycle through the UI (deploy
//! with the wizard, stop, start, destroy), then a direct CloudStack profile against a simulator
//! process that is stopped (offline banner, list still readable, actions disabled) and started
//! again (the app recovers by itself).

use crate::{WAIT, click, js, screenshot, type_into, visit, wait_for_js, wait_text};
use akashone_e2e::{
    free_port, open_app, require_app, start_display, start_driver, start_simulator,
};
use fantoccini::Client;
use serde_json::Value;
use std::time::Duration;

/// The state shown in the list for the VM named `name`.
async fn row_state(client: &Client, name: &str) -> String {
    let v = js(
        client,
        &format!(
            "const r = document.querySelector('.vm-row[data-vm=\"{name}\"] .c-state'); return r ? r.textContent : ''"
        ),
    )
    .await;
    v.as_str().unwrap_or_default().to_owned()
}

async fn wait_row_state(client: &Client, name: &str, state: &str, within: Duration) {
    let deadline = std::time::Instant::now() + within;
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        last = row_state(client, name).await;
        if last == state {
            return;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!("VM {name} did not become {state} within {within:?}; it shows {last:?}");
}

async fn filter(client: &Client, text: &str) {
    type_into(client, "#vm-filter", text).await;
    wait_for_js(
        client,
        "return document.querySelector('#vm-filter').value",
        Value::String(text.to_owned()),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_lifecycle_then_offline_and_recovery() {
    let _serial = akashone_e2e::one_app_at_a_time().await;
    let app = require_app();
    let data = tempfile::tempdir().unwrap();
    let display = start_display();
    let config = tempfile::tempdir().unwrap();
    let vault_file = std::path::Path::new("file");
    let beat = std::path::Path::new("700");
    let driver = start_driver(
        &display,
        &[
            ("AKASHONE_DATA_DIR", data.path()),
            ("XDG_CONFIG_HOME", config.path()),
            ("AKASHONE_VAULT", vault_file),
            ("AKASHONE_HEARTBEAT_MS", beat),
        ],
    );
    let client = open_app(&driver, &app).await;

    // The demo profile: the built-in simulator, synced into the cache.
    visit(&client, "connect").await;
    click(&client, "#add-demo").await;
    wait_text(&client, "#connection-pill", "Demo cloud", WAIT).await;
    visit(&client, "virtual-machines").await;
    let count = wait_text(&client, "#vm-count", "VMs", WAIT).await;
    assert!(!count.starts_with("0 "), "the demo has VMs: {count}");
    screenshot(&client, "vms-demo").await;

    // Filter as you type, then sort by a column.
    filter(&client, "Running").await;
    wait_text(&client, "#vm-count", " of ", WAIT).await;
    filter(&client, "").await;
    click(&client, ".sortable[data-sort=\"memory\"]").await;

    // Deploy with the wizard.
    click(&client, "#deploy-button").await;
    click(&client, ".choices[data-kind=\"zone\"] .choice").await;
    click(&client, "#wizard-next").await;
    click(&client, ".choices[data-kind=\"template\"] .choice").await;
    click(&client, "#wizard-next").await;
    click(&client, ".choices[data-kind=\"offering\"] .choice").await;
    click(&client, "#wizard-next").await;
    type_into(&client, "#deploy-name", "e2e-web-01").await;
    click(&client, "#wizard-next").await;
    wait_text(&client, "#deploy-review", "e2e-web-01", WAIT).await;
    screenshot(&client, "vms-deploy-review").await;
    click(&client, "#wizard-deploy").await;

    filter(&client, "e2e-web-01").await;
    wait_row_state(&client, "e2e-web-01", "Running", Duration::from_secs(40)).await;

    // Stop, start, destroy from the detail panel.
    click(&client, ".vm-row[data-vm=\"e2e-web-01\"]").await;
    wait_text(&client, "#detail-state", "Running", WAIT).await;
    wait_text(&client, "#vm-metrics", "CPU used", WAIT).await;
    screenshot(&client, "vms-detail").await;
    click(&client, "#vm-detail [data-action=\"stop\"]").await;
    wait_row_state(&client, "e2e-web-01", "Stopped", Duration::from_secs(40)).await;
    click(&client, "#vm-detail [data-action=\"start\"]").await;
    wait_row_state(&client, "e2e-web-01", "Running", Duration::from_secs(40)).await;
    click(&client, "#vm-detail [data-action=\"destroy\"]").await;
    click(&client, "#expunge").await;
    click(&client, "#confirm-destroy").await;
    wait_text(&client, "#vm-count", "0 of", Duration::from_secs(40)).await;

    // Dashboard figures come from the cache.
    visit(&client, "dashboard").await;
    wait_text(&client, "#dashboard-figures", "Virtual machines", WAIT).await;
    screenshot(&client, "dashboard-demo").await;

    // What the last sync found, read-only: clusters, networks and addresses, volumes.
    // The Kubernetes page has its own cluster list; the others are the cached tables.
    let cached = |list: &str| {
        format!(
            "return document.querySelectorAll('.cached[data-list=\"{list}\"] .table-row[data-row]').length > 0"
        )
    };
    for (slug, script) in [
        (
            "kubernetes",
            "return document.querySelectorAll('[data-cluster-name]').length > 0".to_string(),
        ),
        ("networks", cached("networks")),
        ("networks", cached("public_ips")),
        ("storage", cached("volumes")),
    ] {
        visit(&client, slug).await;
        wait_for_js(&client, &script, Value::Bool(true)).await;
        screenshot(&client, &format!("{slug}-demo")).await;
    }

    // A direct CloudStack profile against a simulator process.
    let port = free_port();
    let args = ["--vms", "120", "--seed", "7"];
    let sim = start_simulator(port, &args);
    visit(&client, "connect").await;
    type_into(&client, "#cloudstack-form input[name=\"name\"]", "Staging").await;
    type_into(&client, "#cloudstack-form input[name=\"url\"]", &sim.url).await;
    type_into(
        &client,
        "#cloudstack-form input[name=\"api_key\"]",
        &sim.api_key,
    )
    .await;
    type_into(
        &client,
        "#cloudstack-form input[name=\"secret_key\"]",
        "wrong-secret",
    )
    .await;
    click(&client, "#cloudstack-form button[type=\"submit\"]").await;
    wait_text(&client, ".toasts", "refused", WAIT).await;
    type_into(
        &client,
        "#cloudstack-form input[name=\"secret_key\"]",
        &sim.secret_key,
    )
    .await;
    click(&client, "#cloudstack-form button[type=\"submit\"]").await;
    wait_text(&client, "#connection-pill", "Staging", WAIT).await;
    let profiles = std::fs::read_to_string(data.path().join("profiles.json")).unwrap();
    assert!(
        !profiles.contains(&sim.secret_key),
        "no secret in the profile file"
    );
    visit(&client, "virtual-machines").await;
    wait_text(&client, "#vm-count", "120 VMs", WAIT).await;

    // The cloud goes away: offline banner, the list still there, actions disabled.
    drop(sim);
    wait_text(&client, "#offline-banner", "Offline — data from", WAIT).await;
    assert!(
        wait_text(&client, "#vm-count", "VMs", WAIT)
            .await
            .starts_with("120")
    );
    let deploy_disabled = js(
        &client,
        "return document.querySelector('#deploy-button').disabled",
    )
    .await;
    assert_eq!(
        deploy_disabled,
        Value::Bool(true),
        "no deploy while offline"
    );
    screenshot(&client, "vms-offline").await;

    // It comes back on the same address (same seed, same keys): the app recovers by itself.
    let _sim = start_simulator(port, &args);
    wait_for_js(
        &client,
        "return document.querySelector('#offline-banner') === null",
        Value::Bool(true),
    )
    .await;
    wait_text(&client, "#connection-pill", "Staging", WAIT).await;

    // The same page in the light theme, with a VM open.
    click(&client, "#theme-toggle").await;
    click(&client, ".vm-scroller .vm-row").await;
    wait_text(&client, "#vm-metrics", "CPU used", WAIT).await;
    screenshot(&client, "vms-light").await;
    client.close().await.unwrap();
}
