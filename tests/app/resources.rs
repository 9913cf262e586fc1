//! The real app on the demo profile: a network created from the Networks page, two VMs deployed
//! on it (its delete then refused with their names), an address acquired for it, one rule set
//! opening 22 and 443 to one CIDR (previewed, then applied), 2222 forwarded to a VM's 22, a load
//! balancer over both VMs, a data volume created on the Storage page, attached to a VM, its delete refused with the
//! reason while attached, a snapshot taken, a daily policy saved, detached and deleted; in both
//! themes.

use crate::{WAIT, click, js, screenshot, type_into, visit, wait_for_js, wait_text};
use akashone_e2e::{open_app, require_app, start_display, start_driver};
use fantoccini::Client;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// Chooses the first option of a `<select>` whose text contains `text` (any real option when
/// empty), as a user would; its text.
async fn choose(client: &Client, select: &str, text: &str) -> String {
    let script = format!(
        "const s = document.querySelector('{select}'); if (!s || s.disabled) return null; \
         const o = [...s.options].find(o => o.value && !o.disabled && o.text.includes({text:?})); \
         if (!o) return null; s.value = o.value; \
         s.dispatchEvent(new Event('change', {{bubbles: true}})); return o.text"
    );
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Value::String(t) = js(client, &script).await {
            return t;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no option with {text:?} in {select}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Clicks an operation's button once the console has checked it can go ahead, and its
/// confirmation when it asks for one.
async fn op(client: &Client, id: &str) {
    wait_for_js(
        client,
        &format!(
            "const b = document.querySelector('#{id}'); \
             return !!b && !b.disabled && b.dataset.checking !== 'true'"
        ),
        Value::Bool(true),
    )
    .await;
    click(client, &format!("#{id}")).await;
    let confirm = format!("#{id}-confirm");
    for _ in 0..10 {
        let ready = js(
            client,
            &format!("const b = document.querySelector('{confirm}'); return !!b && !b.disabled"),
        )
        .await;
        if ready == Value::Bool(true) {
            click(client, &confirm).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn count(client: &Client, css: &str) -> Value {
    js(
        client,
        &format!("return document.querySelectorAll('{css}').length"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_and_storage_in_the_app() {
    let _serial = akashone_e2e::one_app_at_a_time().await;
    let app = require_app();
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let display = start_display();
    let driver = start_driver(
        &display,
        &[
            ("AKASHONE_DATA_DIR", data.path()),
            ("XDG_CONFIG_HOME", config.path()),
            ("AKASHONE_VAULT", Path::new("file")),
            ("AKASHONE_HEARTBEAT_MS", Path::new("1000")),
        ],
    );
    let client = open_app(&driver, &app).await;
    visit(&client, "connect").await;
    click(&client, "#add-demo").await;
    wait_text(&client, "#connection-pill", "Demo cloud", WAIT).await;

    // A network from the form.
    visit(&client, "networks").await;
    wait_for_js(
        &client,
        "return document.querySelectorAll('[data-network-name]').length > 0",
        Value::Bool(true),
    )
    .await;
    screenshot(&client, "networks-list").await;
    click(&client, "#net-create").await;
    choose(&client, "#net-zone", "").await;
    choose(&client, "#net-offering", "").await;
    type_into(&client, "#net-name", "e2e-net").await;
    op(&client, "net-create-submit").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('[data-network-name=\"e2e-net\"]')",
        Value::Bool(true),
    )
    .await;

    // Two VMs on it, from the deploy wizard.
    for name in ["e2e-web-1", "e2e-web-2"] {
        visit(&client, "virtual-machines").await;
        click(&client, "#deploy-button").await;
        click(&client, ".choices[data-kind=\"zone\"] .choice").await;
        click(&client, "#wizard-next").await;
        click(&client, ".choices[data-kind=\"template\"] .choice").await;
        click(&client, "#wizard-next").await;
        click(&client, ".choices[data-kind=\"offering\"] .choice").await;
        click(&client, "#wizard-next").await;
        type_into(&client, "#deploy-name", name).await;
        choose(&client, "#deploy-network", "e2e-net").await;
        click(&client, "#wizard-next").await;
        wait_text(&client, "#deploy-review", name, WAIT).await;
        click(&client, "#wizard-deploy").await;
        type_into(&client, "#vm-filter", name).await;
        wait_for_js(
            &client,
            &format!(
                "const r = [...document.querySelectorAll('.vm-row')].find(r => r.dataset.vm === '{name}'); \
                 return !!r && r.textContent.includes('Running')"
            ),
            Value::Bool(true),
        )
        .await;
    }
    visit(&client, "networks").await;

    // Deleting the network is refused while they use it, with their names.
    click(&client, "[data-network-name=\"e2e-net\"]").await;
    wait_for_js(
        &client,
        "const w = document.querySelector('#net-delete-why'); \
         return !!w && w.textContent.includes('e2e-web-1') && w.textContent.includes('e2e-web-2')",
        Value::Bool(true),
    )
    .await;
    visit(&client, "dashboard").await;
    visit(&client, "networks").await;

    // An address for it, from the network's detail.
    click(&client, "[data-network-name=\"e2e-net\"]").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#net-detail')",
        Value::Bool(true),
    )
    .await;
    assert_eq!(count(&client, "#net-ips [data-ip-address]").await, json!(0));
    op(&client, "net-acquire-ip").await;
    // The acquired address (the network's source NAT address may come with it).
    let acquired = "const r = [...document.querySelectorAll('#net-ips [data-ip-address]')] \
                    .find(r => !r.textContent.includes('source NAT')); \
                    return r ? r.dataset.ipAddress : null";
    wait_for_js(
        &client,
        &format!("return (() => {{ {acquired} }})() !== null"),
        Value::Bool(true),
    )
    .await;
    let address = js(&client, acquired).await;
    let address = address.as_str().expect("the new address").to_owned();
    screenshot(&client, "networks-network-detail").await;

    // One rule set: 22 and 443 from one CIDR, previewed, then applied.
    click(
        &client,
        &format!("#net-ips [data-ip-address=\"{address}\"] button"),
    )
    .await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#ip-detail')",
        Value::Bool(true),
    )
    .await;
    click(&client, "#ip-tab-firewall").await;
    type_into(&client, "#rules-ports", "22, 443").await;
    type_into(&client, "#rules-cidrs", "198.51.100.0/24").await;
    let chosen = js(
        &client,
        &format!(
            "const c = document.querySelector('#rules-ips [data-ip-address=\"{address}\"] input'); \
             return c ? c.checked : null"
        ),
    )
    .await;
    if chosen == Value::Bool(false) {
        click(
            &client,
            &format!("#rules-ips [data-ip-address=\"{address}\"] input"),
        )
        .await;
    }
    assert_eq!(
        js(
            &client,
            "return !!document.querySelector('#rules-world-warning')"
        )
        .await,
        Value::Bool(false),
        "no warning without 0.0.0.0/0"
    );
    click(&client, "#rules-preview").await;
    wait_for_js(
        &client,
        "const p = document.querySelector('#rules-plan'); return p ? p.dataset.add : null",
        json!("2"),
    )
    .await;
    screenshot(&client, "networks-rule-set-preview").await;
    op(&client, "rules-apply").await;
    wait_for_js(
        &client,
        "return document.querySelectorAll('[data-firewall-rule]').length",
        json!(2),
    )
    .await;
    screenshot(&client, "networks-ip-firewall").await;

    // 2222 forwarded to e2e-web-1's 22, open to the same CIDR only.
    click(&client, "#ip-tab-port-forwarding").await;
    type_into(&client, "#pf-public", "2222").await;
    type_into(&client, "#pf-private", "22").await;
    choose(&client, "#pf-vm", "e2e-web-1").await;
    type_into(&client, "#pf-cidrs", "198.51.100.0/24").await;
    op(&client, "pf-create").await;
    wait_for_js(
        &client,
        "return document.querySelectorAll('[data-port-forward][data-public=\"2222\"]').length",
        json!(1),
    )
    .await;
    screenshot(&client, "networks-port-forward").await;

    // A load balancer over both VMs.
    click(&client, "#ip-tab-load-balancing").await;
    click(&client, "#lb-create").await;
    type_into(&client, "#lb-name", "e2e-lb").await;
    type_into(&client, "#lb-public", "80").await;
    type_into(&client, "#lb-private", "8080").await;
    type_into(&client, "#lb-cidrs", "198.51.100.0/24").await;
    for vm in ["e2e-web-1", "e2e-web-2"] {
        click(&client, &format!("#lb-members [data-vm=\"{vm}\"] input")).await;
    }
    op(&client, "lb-submit").await;
    wait_for_js(
        &client,
        "const l = document.querySelector('[data-lb-name=\"e2e-lb\"]'); \
         return l ? l.querySelectorAll('[data-member]').length : 0",
        json!(2),
    )
    .await;
    screenshot(&client, "networks-load-balancer").await;

    // A data volume on the Storage page.
    visit(&client, "storage").await;
    click(&client, "#vol-create").await;
    choose(&client, "#vol-zone", "").await;
    choose(&client, "#vol-offering", "Custom").await;
    type_into(&client, "#vol-name", "e2e-data").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#vol-size')",
        Value::Bool(true),
    )
    .await;
    type_into(&client, "#vol-size", "5").await;
    op(&client, "vol-create-submit").await;
    let row = "[data-volume-name=\"e2e-data\"]";
    wait_for_js(
        &client,
        &format!("return !!document.querySelector('{row}')"),
        Value::Bool(true),
    )
    .await;
    click(&client, row).await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#vol-detail')",
        Value::Bool(true),
    )
    .await;

    // Attached to a VM; deleting it is refused with the reason while it is.
    choose(&client, "#vol-attach-vm", "").await;
    op(&client, "vol-attach").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#vol-detach') && !document.querySelector('#vol-attach')",
        Value::Bool(true),
    )
    .await;
    wait_for_js(
        &client,
        "const w = document.querySelector('#vol-delete-why'); return !!w && w.textContent.length > 0",
        Value::Bool(true),
    )
    .await;
    screenshot(&client, "storage-volume-attached").await;

    // A snapshot and a daily policy.
    op(&client, "snap-take").await;
    wait_for_js(
        &client,
        "return document.querySelectorAll('[data-snapshot-name]').length > 0",
        Value::Bool(true),
    )
    .await;
    wait_text(&client, "#policy-describe", "Asia/Kolkata", WAIT).await;
    op(&client, "policy-save").await;
    wait_for_js(
        &client,
        "return document.querySelectorAll('[data-policy]').length",
        json!(1),
    )
    .await;
    screenshot(&client, "storage-snapshots-policy").await;

    // Detached, then deleted.
    op(&client, "vol-detach").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#vol-attach')",
        Value::Bool(true),
    )
    .await;
    op(&client, "vol-delete").await;
    wait_for_js(
        &client,
        &format!("return !document.querySelector('{row}')"),
        Value::Bool(true),
    )
    .await;

    // Both themes.
    click(&client, "#theme-toggle").await;
    visit(&client, "networks").await;
    screenshot(&client, "networks-light").await;
    visit(&client, "storage").await;
    screenshot(&client, "storage-light").await;
    client.close().await.unwrap();
}
