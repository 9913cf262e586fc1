//! The real app on the demo profile: a Kubernetes cluster created with the wizard until Running,
//! scaled, its kubeconfig saved (0600) and read by Debian's kubectl with the new node count, its
//! health checked, upgraded, and deleted.

use crate::{WAIT, click, js, screenshot, type_into, visit, wait_for_js, wait_text};
use akashone_e2e::{open_app, require_app, start_display, start_driver};
use fantoccini::Client;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Debian's kubectl (package kubernetes-client), where the setup placed it.
fn kubectl() -> PathBuf {
    akashone_cloudstack_sim::kubectl().unwrap_or_else(|e| panic!("{e}"))
}

fn kubectl_node_count(config: &Path) -> usize {
    let cache = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(kubectl())
        .arg("--kubeconfig")
        .arg(config)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"])
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .count()
}

/// Clicks the last enabled card of a wizard's choices (versions come newest first: the last is
/// the oldest, which can then be upgraded).
async fn pick_last(client: &Client, choices: &str) {
    let script = format!(
        "const c = [...document.querySelectorAll('{choices} .choice:not([disabled])')]; \
         if (!c.length) return false; c[c.length - 1].click(); return true"
    );
    wait_for_js(client, &script, Value::Bool(true)).await;
}

async fn cluster_state(client: &Client, name: &str) -> Value {
    js(
        client,
        &format!(
            "const r = document.querySelector('[data-cluster-name=\"{name}\"]'); return r ? r.dataset.state : null"
        ),
    )
    .await
}

async fn wait_nodes(client: &Client, n: usize) {
    wait_for_js(
        client,
        "return document.querySelectorAll('#kube-nodes [data-node-name]').length",
        json!(n),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_from_the_wizard_to_delete_in_the_app() {
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

    // The list, from the cache: the demo's own cluster.
    visit(&client, "kubernetes").await;
    wait_for_js(
        &client,
        "return document.querySelectorAll('[data-cluster-name]').length > 0",
        Value::Bool(true),
    )
    .await;
    screenshot(&client, "kubernetes-list").await;

    // The wizard: name and zone, the oldest version, one control node and one worker, an
    // offering, a new network, the review.
    click(&client, "#kube-create").await;
    type_into(&client, "#kube-name", "e2e-k8s").await;
    click(&client, "#kube-zone .choice:not([disabled])").await;
    click(&client, "#kube-next").await;
    pick_last(&client, "#kube-version").await;
    screenshot(&client, "kubernetes-wizard-version").await;
    click(&client, "#kube-next").await;
    type_into(&client, "#kube-workers", "1").await;
    click(&client, "#kube-next").await;
    click(&client, "#kube-offering .choice:not([disabled])").await;
    click(&client, "#kube-next").await;
    click(&client, "#kube-next").await;
    wait_text(&client, "#kube-plan", "2", WAIT).await;
    wait_for_js(
        &client,
        "const p = document.querySelector('#kube-problems'); return p ? p.dataset.count : '0'",
        json!("0"),
    )
    .await;
    screenshot(&client, "kubernetes-wizard-review").await;
    click(&client, "#kube-submit").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    while cluster_state(&client, "e2e-k8s").await != json!("Running") {
        assert!(
            std::time::Instant::now() < deadline,
            "the new cluster is not Running: {}",
            cluster_state(&client, "e2e-k8s").await
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // Its detail: two nodes; scaled to two workers.
    click(&client, "[data-cluster-name=\"e2e-k8s\"]").await;
    wait_text(&client, "#kube-detail-state", "Running", WAIT).await;
    wait_nodes(&client, 2).await;
    type_into(&client, "#kube-scale-size", "2").await;
    click(&client, "#kube-scale").await;
    wait_nodes(&client, 3).await;
    screenshot(&client, "kubernetes-detail").await;

    // The kubeconfig, saved where the user says, read by kubectl: three nodes.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e2e-k8s.yaml");
    type_into(&client, "#kube-kubeconfig-path", file.to_str().unwrap()).await;
    click(&client, "#kube-kubeconfig-save").await;
    wait_text(&client, "#kube-kubeconfig-saved", "0600", WAIT).await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(kubectl_node_count(&file), 3);

    // Its health as the cluster itself sees it.
    click(&client, "#kube-health-check").await;
    wait_text(&client, "#kube-health", "3/3", WAIT).await;
    screenshot(&client, "kubernetes-health").await;

    // Upgraded to the next version CloudStack allows.
    let before = wait_text(&client, "#kube-detail", "v1.", WAIT).await;
    wait_for_js(
        &client,
        "const s = document.querySelector('#kube-upgrade-version'); return !!s && s.options.length > 0",
        Value::Bool(true),
    )
    .await;
    let target = js(
        &client,
        "const s = document.querySelector('#kube-upgrade-version'); \
         const o = [...s.options].find(o => o.value); s.value = o.value; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return o.textContent",
    )
    .await;
    click(&client, "#kube-upgrade").await;
    let version = target
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    wait_text(&client, "#kube-detail", &version, Duration::from_secs(60)).await;
    assert_ne!(before, "");

    // Deleted, with the name typed to confirm.
    click(&client, "#kube-delete").await;
    type_into(&client, "#kube-delete-name", "e2e-k8s").await;
    click(&client, "#kube-delete-go").await;
    wait_for_js(
        &client,
        "return !document.querySelector('[data-cluster-name=\"e2e-k8s\"]')",
        Value::Bool(true),
    )
    .await;
    screenshot(&client, "kubernetes-after-delete").await;
    let _ = client.close().await;
}
