//! The real app against a central server on loopback: a central profile, sign-in with a TOTP
//! code (2FA on), a customer tenant created on the Super Admin page, the platform's seller
//! profile set on the White-Label page (its brand then shown in the sidebar), and the VM list
//! showing the customer's VMs only while acting as it, and the Security page listing a failed
//! sign-in.

use crate::central_fixture;
use crate::{WAIT, click, js, screenshot, type_into, visit, wait_for_js, wait_text};
use akashone_e2e::{open_app, require_app, start_display, start_driver};
use fantoccini::Client;
use serde_json::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

/// Names of the VM rows the list shows.
async fn vm_names(client: &Client) -> Value {
    js(
        client,
        "return [...document.querySelectorAll('.vm-row[data-vm]')].map(r => r.dataset.vm).sort()",
    )
    .await
}

/// Chooses a tenant in the top bar's "Acting as" selector.
async fn act_as(client: &Client, tenant_id: &str) {
    wait_for_js(
        client,
        "const s = document.querySelector('select#acting-as'); return !!s && !s.disabled",
        Value::Bool(true),
    )
    .await;
    js(
        client,
        &format!(
            "const s = document.querySelector('select#acting-as'); s.value = '{tenant_id}'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true"
        ),
    )
    .await;
}

/// Saves a central server profile named "Platform" for `url`, then types the administrator's
/// password into the sign-in dialog that saving opens, and submits it.
pub(crate) async fn add_profile_and_enter_password(client: &Client, url: &str) {
    visit(client, "connect").await;
    type_into(client, "#central-name", "Platform").await;
    type_into(client, "#central-url", url).await;
    type_into(client, "#central-username", "admin").await;
    click(client, "#central-submit").await;
    wait_for_js(
        client,
        "return !!document.querySelector('[data-profile-name=\"Platform\"]')",
        Value::Bool(true),
    )
    .await;
    type_into(client, "#signin-password", central_fixture::PASSWORD).await;
    click(client, "#signin-submit").await;
}

/// Waits until the top bar shows the administrator signed in.
pub(crate) async fn wait_signed_in(client: &Client) {
    wait_for_js(
        client,
        "const u = document.querySelector('#topbar-user'); return !!u && u.textContent.includes('admin')",
        Value::Bool(true),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signs_in_with_2fa_and_sees_a_customers_vms_only_when_acting_as_it() {
    let _serial = akashone_e2e::one_app_at_a_time().await;
    let app = require_app();

    // The server, with the CloudStack simulator behind it, on loopback; 2FA on for the
    // administrator, with the previous step's code, so the sign-in below can use the current one
    // (a code is never accepted twice).
    let running = central_fixture::start(3).await;
    let url = running.server.url();
    let (api, _) = central_fixture::admin(&url).await;
    // A wrong password: the Security page lists it, with the address, at the end.
    let anon = akashone_central::Central::new(&url, std::time::Duration::from_secs(20)).unwrap();
    assert!(anon.login("admin", "not-the-password").await.is_err());
    let totp = totp_rs::Totp::from_url(api.twofa_setup().await.unwrap().otpauth_uri).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    api.twofa_enable(&totp.generate(now - 30).to_string())
        .await
        .unwrap();

    let data = tempfile::tempdir().unwrap();
    let config_home = tempfile::tempdir().unwrap();
    let display = start_display();
    let driver = start_driver(
        &display,
        &[
            ("AKASHONE_DATA_DIR", data.path()),
            ("XDG_CONFIG_HOME", config_home.path()),
            ("AKASHONE_VAULT", std::path::Path::new("file")),
            ("AKASHONE_HEARTBEAT_MS", std::path::Path::new("1000")),
        ],
    );
    let client = open_app(&driver, &app).await;

    // A central server profile, then the two-step sign-in.
    add_profile_and_enter_password(&client, &url).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    type_into(&client, "#signin-code", &totp.generate(now).to_string()).await;
    screenshot(&client, "central-signin-code").await;
    click(&client, "#signin-submit").await;
    wait_signed_in(&client).await;
    wait_text(&client, "#connection-pill", "Platform", WAIT).await;

    // A customer tenant from the Super Admin page.
    visit(&client, "super-admin").await;
    click(&client, "#tenant-add-top").await;
    type_into(&client, "#tenant-add-name", "Customer A").await;
    click(&client, "#tenant-add-submit").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('[data-tenant-name=\"Customer A\"]')",
        Value::Bool(true),
    )
    .await;
    screenshot(&client, "central-super-admin").await;

    // The platform's seller profile on the White-Label page: none yet, then filled in and saved.
    visit(&client, "white-label").await;
    wait_for_js(
        &client,
        "return !!document.querySelector('#seller-missing')",
        Value::Bool(true),
    )
    .await;
    type_into(&client, "#seller-display-name", "AkashOne Cloud").await;
    type_into(&client, "#seller-colour", "#0F766E").await;
    type_into(
        &client,
        "#seller-legal-name",
        "AkashOne Cloud Private Limited",
    )
    .await;
    type_into(&client, "#seller-gstin", central_fixture::SELLER_GSTIN).await;
    type_into(&client, "#seller-line1", "4th Floor, Example Tech Park").await;
    type_into(&client, "#seller-city", "Bengaluru").await;
    type_into(&client, "#seller-pin", "560103").await;
    type_into(&client, "#seller-gstin", "not a gstin").await;
    click(&client, "#seller-save").await;
    wait_text(&client, "#seller-error", "gstin", WAIT).await;
    type_into(&client, "#seller-gstin", central_fixture::SELLER_GSTIN).await;
    click(&client, "#seller-save").await;
    wait_text(&client, "#seller-updated", "by admin", WAIT).await;
    wait_text(&client, "#preview-brand", "AkashOne Cloud", WAIT).await;
    // The administrator sits at the platform: its brand replaces AkashOne's in the sidebar.
    // (Read as textContent: WebDriver's visible text of this ellipsised span is empty.)
    wait_for_js(
        &client,
        "const b = document.querySelector('#brand-name'); return b ? b.textContent : null",
        json!("AkashOne Cloud"),
    )
    .await;
    js(
        &client,
        "document.querySelector('#seller-form').scrollIntoView(); return true",
    )
    .await;
    screenshot(&client, "central-white-label").await;
    let seller = api.seller(None).await.expect("saved through the app");
    assert_eq!(seller.legal_name, "AkashOne Cloud Private Limited");
    assert_eq!(seller.brand_colour.as_deref(), Some("#0F766E"));
    assert_eq!(seller.address.pin.as_deref(), Some("560103"));
    let tenants = api.tenants(None).await.unwrap();
    let own = tenants[0].id.clone();
    let customer = tenants
        .iter()
        .find(|t| t.name == "Customer A")
        .expect("created through the app")
        .id
        .clone();

    // The customer has one VM of its own.
    central_fixture::deploy(&api, &customer, "customer-web").await;

    // Acting as the customer: its VM only.
    visit(&client, "virtual-machines").await;
    act_as(&client, &customer).await;
    wait_text(&client, "#vm-count", "1 VM", WAIT).await;
    assert_eq!(vm_names(&client).await, json!(["customer-web"]));
    screenshot(&client, "central-vms-as-customer").await;

    // Back to the platform: every VM, the customer's among them.
    act_as(&client, &own).await;
    wait_text(&client, "#vm-count", "4 VMs", WAIT).await;
    let names = vm_names(&client).await;
    assert!(
        names.as_array().unwrap().contains(&json!("customer-web")),
        "{names}"
    );
    visit(&client, "security").await;
    wait_text(&client, "#twofa-status", "n", WAIT).await;
    wait_text(
        &client,
        "#failures-list",
        "Wrong user name or password.",
        WAIT,
    )
    .await;
    wait_text(&client, "#failures-list", "127.0.0.1", WAIT).await;
    screenshot(&client, "central-security").await;
    js(
        &client,
        "document.querySelector('#sign-in-failures').scrollIntoView(); return true",
    )
    .await;
    screenshot(&client, "central-security-failures").await;
    let _ = client.close().await;
    running.server.shutdown().await;
}
