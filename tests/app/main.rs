//! The real desktop app, in a real window on a virtual display, driven through WebDriver.

mod central;
#[path = "../../crates/app/tests/app/central_fixture.rs"]
mod central_fixture;
mod invoices;
mod kubernetes;
mod resources;
mod vms;

use akashone_e2e::{Display, e2e_dir, open_app, require_app, start_display, start_driver};
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::time::Duration;

/// Every page in the sidebar: (slug, heading).
const PAGES: &[(&str, &str)] = &[
    ("dashboard", "Dashboard"),
    ("monitoring", "Monitoring"),
    ("virtual-machines", "Virtual Machines"),
    ("kubernetes", "Kubernetes"),
    ("databases", "Databases"),
    ("networks", "Networks"),
    ("storage", "Storage"),
    ("billing", "Billing"),
    ("resellers", "Resellers"),
    ("white-label", "White-Label"),
    ("reseller-customers", "Reseller Customers"),
    ("super-admin", "Super Admin"),
    ("admin-rights", "Admin Rights"),
    ("security", "Security"),
    ("connect", "Connect"),
];

pub(crate) const WAIT: Duration = Duration::from_secs(20);

pub(crate) async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
}

/// Waits until `script` returns `expected`, failing with what it last returned.
pub(crate) async fn wait_for_js(client: &Client, script: &str, expected: Value) {
    let deadline = std::time::Instant::now() + WAIT;
    let mut last = Value::Null;
    while std::time::Instant::now() < deadline {
        last = js(client, script).await;
        if last == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("waited {WAIT:?} for `{script}` to be {expected}, last value {last}");
}

pub(crate) async fn heading_of(client: &Client, slug: &str) -> String {
    let css = format!("section[data-page=\"{slug}\"] h1");
    let el = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("page {slug} did not render its heading: {e}"));
    el.text().await.unwrap()
}

pub(crate) async fn screenshot(client: &Client, name: &str) {
    // Let web fonts and the last style change settle before the picture.
    js(client, "return document.fonts.ready.then(() => true)").await;
    js(
        client,
        "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(true), 50))))",
    )
    .await;
    let png = client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(e2e_dir().join(format!("{name}.png")), png).unwrap();
}

/// Clicks `css` once it exists and is enabled. The page re-renders while data arrives, so a
/// click that meets a replaced element looks the element up again.
pub(crate) async fn click(client: &Client, css: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        let el = client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"));
        // Buttons are disabled while the app is busy or offline.
        if el.attr("disabled").await.ok().flatten().is_some() {
            last = "disabled".into();
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        match el.click().await {
            Ok(_) => return,
            Err(e) => {
                last = e.to_string();
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        }
    }
    panic!("cannot click {css}: {last}");
}

/// Sets the text of an input as typing does.
pub(crate) async fn type_into(client: &Client, css: &str, text: &str) {
    let el = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no input {css}: {e}"));
    // Set the text and fire the `input` event the app listens to, as typing does. (WebDriver's
    // own typing into WebKitGTK fails now and then while the page re-renders.)
    client
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::to_value(&el).unwrap(), Value::String(text.to_owned())],
        )
        .await
        .unwrap();
}

/// Waits until the text of `css` contains `needle`.
pub(crate) async fn wait_text(
    client: &Client,
    css: &str,
    needle: &str,
    within: Duration,
) -> String {
    let deadline = std::time::Instant::now() + within;
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(el) = client.find(Locator::Css(css)).await {
            last = el.text().await.unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let toasts = js(
        client,
        "const t = document.querySelector('.toasts'); return t ? t.textContent : ''",
    )
    .await;
    let input = js(
        client,
        "const f = document.querySelector('#vm-filter'); return f ? f.value : null",
    )
    .await;
    panic!(
        "waited {within:?} for {css} to contain {needle:?}; last text {last:?} (filter {input}, toasts {toasts})"
    );
}

async fn theme(client: &Client) -> Value {
    wait_for_js(
        client,
        "return document.documentElement.dataset.themeLoaded",
        "true".into(),
    )
    .await;
    js(client, "return document.documentElement.dataset.theme").await
}

pub(crate) async fn visit(client: &Client, slug: &str) -> String {
    // Retried: a dialog closing (e.g. sign-in) can still cover the sidebar for a moment.
    click(client, &format!("[data-nav=\"{slug}\"]")).await;
    heading_of(client, slug).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walks_every_page_and_keeps_the_theme_across_a_restart() {
    let _serial = akashone_e2e::one_app_at_a_time().await;
    let app = require_app();
    let data = tempfile::tempdir().unwrap();
    let display: Display = start_display();
    let config = tempfile::tempdir().unwrap();
    let driver = start_driver(
        &display,
        &[
            ("AKASHONE_DATA_DIR", data.path()),
            ("XDG_CONFIG_HOME", config.path()),
            ("AKASHONE_VAULT", std::path::Path::new("file")),
        ],
    );

    // First start: the dashboard, dark by default.
    let client = open_app(&driver, &app).await;
    assert_eq!(heading_of(&client, "dashboard").await, "Dashboard");
    assert_eq!(theme(&client).await, "dark");

    // The bundled fonts are the ones in use.
    let family = js(&client, "return getComputedStyle(document.body).fontFamily").await;
    assert!(
        family.as_str().unwrap_or_default().starts_with("\"Inter\"")
            || family.as_str().unwrap_or_default().starts_with("Inter"),
        "{family}"
    );

    // Every page through the sidebar, each with its heading.
    for (slug, title) in PAGES {
        assert_eq!(&visit(&client, slug).await, title, "heading of {slug}");
        let active = js(
            &client,
            &format!("return document.querySelector('[data-nav=\"{slug}\"]').closest('.nav-item').classList.contains('active')"),
        )
        .await;
        assert_eq!(
            active,
            Value::Bool(true),
            "{slug} is highlighted in the sidebar"
        );
        screenshot(&client, &format!("dark-{slug}")).await;
    }

    // Pages not built yet say so plainly.
    visit(&client, "databases").await;
    let body = client
        .find(Locator::Css("section[data-page=\"databases\"]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Not built yet"), "{body}");

    // The about box names the company; IDs and paths use the monospace font.
    click(&client, "#about-button").await;
    let company = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("about-company"))
        .await
        .unwrap();
    assert_eq!(company.text().await.unwrap(), "Mieux Technologies Pvt Ltd");
    screenshot(&client, "dark-about").await;
    let loaded = js(
        &client,
        "return document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, '')))",
    )
    .await;
    let loaded: Vec<&str> = loaded
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(loaded.contains(&"Inter"), "{loaded:?}");
    assert!(loaded.contains(&"JetBrains Mono"), "{loaded:?}");
    click(&client, ".modal-close").await;

    // Switch to light.
    click(&client, "#theme-toggle").await;
    wait_for_js(
        &client,
        "return document.documentElement.dataset.theme",
        "light".into(),
    )
    .await;
    for slug in ["dashboard", "virtual-machines", "connect"] {
        visit(&client, slug).await;
        screenshot(&client, &format!("light-{slug}")).await;
    }
    client.close().await.unwrap();

    // Second start on the same data: still light.
    let client = open_app(&driver, &app).await;
    assert_eq!(heading_of(&client, "dashboard").await, "Dashboard");
    assert_eq!(
        theme(&client).await,
        "light",
        "the theme survives a restart"
    );
    screenshot(&client, "light-after-restart").await;

    // And back to dark, which also persists.
    click(&client, "#theme-toggle").await;
    wait_for_js(
        &client,
        "return document.documentElement.dataset.theme",
        "dark".into(),
    )
    .await;
    client.close().await.unwrap();
    let saved = std::fs::read_to_string(data.path().join("settings.json")).unwrap();
    assert!(saved.contains("\"dark\""), "{saved}");
}
