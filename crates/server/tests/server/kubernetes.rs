//! Kubernetes clusters through the server: created in the tenant's CloudStack account, seen and
//! operated only within the tenant's subtree and only with the right permissions, refused before
//! CloudStack is asked when CloudStack would refuse, and their kubeconfig read by Debian's
//! kubectl.

use std::path::{Path, PathBuf};
use std::process::Command;

use akashone_cloudstack::api::ListKubernetesClusters;
use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::LimitedResource;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::billing::{PLATFORM_GSTIN, PLATFORM_PRICES, card_body, seller_body};
use crate::support::{Backend, TestApp, on_both, spawn_on};

/// Debian's kubectl (package kubernetes-client), where the setup placed it.
fn kubectl() -> PathBuf {
    akashone_cloudstack_sim::kubectl().unwrap_or_else(|e| panic!("{e}"))
}

/// `kubectl get nodes` with the kubeconfig `text`: the node names.
async fn kubectl_nodes(dir: &Path, text: &str) -> Vec<String> {
    let file = dir.join("kubeconfig");
    std::fs::write(&file, text).unwrap();
    let cache = dir.join("kube-cache");
    let mut cmd = Command::new(kubectl());
    cmd.arg("--kubeconfig")
        .arg(&file)
        .arg("--cache-dir")
        .arg(&cache)
        .args(["--request-timeout=10s", "get", "nodes", "-o", "json"])
        .env_remove("KUBECONFIG");
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("kubectl runs"))
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl get nodes failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).expect("kubectl prints JSON");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["metadata"]["name"].as_str().unwrap().to_owned())
        .collect()
}

fn cloudstack(app: &TestApp) -> Client {
    Client::new(ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap()
}

/// Clusters in the whole cloud, as CloudStack counts them.
async fn clusters_in_cloudstack(app: &TestApp) -> usize {
    cloudstack(app)
        .list_kubernetes_clusters(&ListKubernetesClusters {
            listall: Some(true),
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

/// The id of the version or offering named `name` in a list.
fn id_of(list: &Value, key: &str, name: &str) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v[key] == name)
        .unwrap_or_else(|| panic!("{name} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Versions and offerings by name, and the first zone, as `token` sees them.
struct Catalog {
    zone: String,
    zone_name: String,
    versions: Value,
    offerings: Value,
}

impl Catalog {
    async fn of(app: &TestApp, token: &str) -> Catalog {
        let z = app.get(token, "/api/cloudstack/zones").await;
        assert_eq!(z.status, StatusCode::OK, "{}", z.text);
        let v = app.get(token, "/api/kubernetes/versions").await;
        assert_eq!(v.status, StatusCode::OK, "{}", v.text);
        let o = app.get(token, "/api/kubernetes/offerings").await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.text);
        Catalog {
            zone: z.body[0]["id"].as_str().unwrap().to_owned(),
            zone_name: z.body[0]["name"].as_str().unwrap().to_owned(),
            versions: v.body,
            offerings: o.body,
        }
    }

    fn version(&self, semantic: &str) -> String {
        id_of(&self.versions, "semanticVersion", semantic)
    }

    fn offering(&self, name: &str) -> String {
        id_of(&self.offerings, "name", name)
    }

    /// A create body: `control` control nodes, `workers` as sent.
    fn body(&self, name: &str, version: &str, control: u32, workers: Value) -> Value {
        json!({
            "name": name, "zoneId": self.zone, "versionId": self.version(version),
            "controlNodes": control, "workers": workers, "offeringId": self.offering("CKS Node"),
            "network": {"kind": "new"},
        })
    }
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn delete(app: &TestApp, token: &str, path: &str) -> crate::support::Reply {
    app.call(Method::DELETE, Some(token), path, None).await
}

async fn a_cluster_lives_in_the_tenant_account_and_only_its_subtree_may_touch_it(backend: Backend) {
    let app = spawn_on(backend).await;
    let x = app.tenant(&app.admin, None, "Tenant X").await;
    let y = app.tenant(&app.admin, None, "Tenant Y").await;
    let xid = x["id"].as_str().unwrap();
    let yid = y["id"].as_str().unwrap();
    let xadmin = app.user(&app.admin, xid, "x-admin", "customer-admin").await;
    let xop = app.user(&xadmin, xid, "x-operator", "operator").await;
    let xviewer = app.user(&xadmin, xid, "x-viewer", "viewer").await;
    let yadmin = app.user(&app.admin, yid, "y-admin", "customer-admin").await;
    let cat = Catalog::of(&app, &xop).await;
    let v = &cat.versions[0];
    assert_eq!(
        v["semanticVersion"], "1.29.2",
        "oldest first: {}",
        cat.versions
    );
    assert_eq!(v["enabled"], true);
    assert_eq!(v["isoReady"], true);
    assert_eq!(v["supportsHa"], true);
    assert_eq!(v["minCpu"], 2);
    assert_eq!(v["minMemoryMb"], 2048);
    let disabled = id_of(&cat.versions, "semanticVersion", "1.32.0");
    assert!(
        cat.versions
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["id"] == disabled.as_str() && v["enabled"] == false)
    );
    let node = cat
        .offerings
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "CKS Node")
        .unwrap();
    assert_eq!(
        (node["cpu"].as_i64(), node["memoryMb"].as_i64()),
        (Some(2), Some(4096))
    );

    // Created by an operator, in X's account, until Running.
    let created = app
        .post(
            &xop,
            "/api/kubernetes/clusters",
            cat.body("web", "1.29.8", 1, json!({"mode": "fixed", "size": 1})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let c = &created.body;
    let id = c["id"].as_str().unwrap().to_owned();
    let path = format!("/api/kubernetes/clusters/{id}");
    assert_eq!(c["state"], "Running");
    assert_eq!(c["account"], x["cloudstackAccount"]);
    assert_eq!(c["zoneId"], cat.zone.as_str());
    assert_eq!(c["zoneName"], cat.zone_name.as_str());
    assert_eq!(c["version"], "v1.29.8");
    assert_eq!(
        (c["controlNodes"].as_u64(), c["workers"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(c["autoscale"], Value::Null);
    assert_eq!(
        c["networkName"], "web-network",
        "CloudStack made its network"
    );
    assert_eq!(
        (c["cpu"].as_i64(), c["memoryMb"].as_i64()),
        (Some(4), Some(8192))
    );
    let found = cloudstack(&app)
        .list_kubernetes_clusters(&ListKubernetesClusters {
            id: Some(id.clone()),
            listall: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found[0].domainid.as_deref(),
        x["cloudstackDomainId"].as_str()
    );

    // Listed with its nodes, control nodes first, each with its address.
    let listed = app.get(&xviewer, "/api/kubernetes/clusters").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    assert_eq!(names(&listed.body), ["web"]);
    let nodes = listed.body[0]["nodes"].as_array().unwrap();
    let roles: Vec<&str> = nodes.iter().map(|n| n["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["control", "worker"]);
    assert!(
        nodes[0]["name"]
            .as_str()
            .unwrap()
            .starts_with("web-control-")
    );
    for n in nodes {
        assert_eq!(n["state"], "Running");
        assert!(n["ip"].as_str().is_some_and(|ip| ip.contains('.')), "{n}");
    }
    assert_eq!(
        names(
            &app.get(&xadmin, &format!("/api/kubernetes/clusters?tenantId={xid}"))
                .await
                .body
        ),
        ["web"]
    );

    // A sibling sees nothing and reaches nothing.
    let ylist = app.get(&yadmin, "/api/kubernetes/clusters").await;
    assert_eq!(ylist.body, json!([]), "{}", ylist.text);
    let peek = app
        .get(&yadmin, &format!("/api/kubernetes/clusters?tenantId={xid}"))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    for r in [
        app.patch(&yadmin, &path, json!({"action": "stop"})).await,
        delete(&app, &yadmin, &path).await,
        app.get(&yadmin, &format!("{path}/kubeconfig")).await,
    ] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert!(!r.text.contains("web"), "{}", r.text);
    }

    // A viewer cannot operate; an operator cannot download the kubeconfig.
    let r = app.patch(&xviewer, &path, json!({"action": "stop"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("kubernetes.operate"), "{}", r.text);
    let r = delete(&app, &xviewer, &path).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            &xviewer,
            "/api/kubernetes/clusters",
            cat.body("sneaky", "1.29.8", 1, json!({"mode": "fixed", "size": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for t in [&xop, &xviewer] {
        let r = app.get(t, &format!("{path}/kubeconfig")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert!(r.text.contains("kubernetes.kubeconfig"), "{}", r.text);
    }

    // Scale 1 → 2 workers.
    let r = app
        .patch(&xop, &path, json!({"action": "scale", "size": 2}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["workers"], 2);
    assert_eq!(r.body["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(r.body["state"], "Running");

    // The admin downloads the kubeconfig; kubectl sees every node.
    let k = app.get(&xadmin, &format!("{path}/kubeconfig")).await;
    assert_eq!(k.status, StatusCode::OK, "{}", k.text);
    assert_eq!(k.body["clusterId"], id.as_str());
    assert_eq!(k.body["name"], "web");
    let kubeconfig = k.body["kubeconfig"].as_str().unwrap().to_owned();
    let seen = kubectl_nodes(app.dir.path(), &kubeconfig).await;
    assert_eq!(seen.len(), 3, "1 control node + 2 workers: {seen:?}");

    // Autoscale 1–3, then a fixed size turns it off again.
    let r = app
        .patch(
            &xop,
            &path,
            json!({"action": "autoscale", "min": 1, "max": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["autoscale"], json!([1, 3]));
    let r = app
        .patch(
            &xop,
            &path,
            json!({"action": "remove_nodes", "node_ids": ["x"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "The autoscaler chooses the workers while autoscaling is on; turn it off first."
    );
    let r = app
        .patch(&xop, &path, json!({"action": "scale", "size": 2}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["autoscale"], Value::Null);
    assert_eq!(r.body["workers"], 2);
    // Scale in by choosing the worker to remove; a control node is no worker.
    let nodes = r.body["nodes"].as_array().unwrap().clone();
    let control = nodes[0]["vmId"].as_str().unwrap();
    let last = nodes[2]["vmId"].as_str().unwrap();
    let r = app
        .patch(
            &xop,
            &path,
            json!({"action": "remove_nodes", "node_ids": [control]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(
        r.body["message"],
        format!("{control} is not a worker of cluster web.")
    );
    let r = app
        .patch(
            &xop,
            &path,
            json!({"action": "remove_nodes", "node_ids": [last]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["workers"], 1);
    let left: Vec<&str> = r.body["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["vmId"].as_str().unwrap())
        .collect();
    assert_eq!(left, [control, nodes[1]["vmId"].as_str().unwrap()]);

    // Upgrades go one minor at a time: 1.29.8 → 1.31.1 is refused up front, → 1.30.4 runs.
    let r = app
        .patch(
            &xop,
            &path,
            json!({"action": "upgrade", "version_id": cat.version("1.31.1")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "A cluster on Kubernetes 1.29.8 cannot be upgraded to 1.31.1: CloudStack upgrades to a newer patch or the next minor version only (1.29.8 first to a 1.30.x)."
    );
    let r = app
        .patch(
            &xop,
            &path,
            json!({"action": "upgrade", "version_id": cat.version("1.30.4")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["version"], "v1.30.4");

    // Stop and start; stopping twice is refused in the types crate's words.
    let r = app.patch(&xop, &path, json!({"action": "stop"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["state"], "Stopped");
    assert_eq!(r.body["endpoint"], "");
    let r = app.patch(&xop, &path, json!({"action": "stop"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "A cluster in state Stopped cannot stop; it can in Running, Alert."
    );
    let r = app.patch(&xop, &path, json!({"action": "start"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["state"], "Running");

    // A scale in a full zone leaves the cluster in Alert with CloudStack's reason; then every
    // scale is refused up front, and start recovers it.
    assert!(app.sim.set_zone_capacity(&cat.zone, Some(0)));
    let r = app
        .patch(&xop, &path, json!({"action": "scale", "size": 3}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "Scaling failed for Kubernetes cluster : web, unable to provision node VM in the cluster"
    );
    let listed = app.get(&xop, "/api/kubernetes/clusters").await;
    assert_eq!(listed.body[0]["state"], "Alert");
    let r = app
        .patch(&xop, &path, json!({"action": "scale", "size": 2}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "A cluster in state Alert cannot scale; it can in Created, Running, Stopped."
    );
    assert!(app.sim.set_zone_capacity(&cat.zone, None));
    let r = app.patch(&xop, &path, json!({"action": "start"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["state"], "Running");
    let workers = r.body["workers"].as_u64().unwrap() as usize;
    let k = app.get(&xadmin, &format!("{path}/kubeconfig")).await;
    assert_eq!(k.status, StatusCode::OK, "{}", k.text);
    let seen = kubectl_nodes(app.dir.path(), k.body["kubeconfig"].as_str().unwrap()).await;
    assert_eq!(seen.len(), 1 + workers, "{seen:?}");

    // Delete: gone from the list and from CloudStack, and a second delete finds nothing.
    let r = delete(&app, &xop, &path).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(
        app.get(&xop, "/api/kubernetes/clusters").await.body,
        json!([])
    );
    assert_eq!(clusters_in_cloudstack(&app).await, 0);
    assert_eq!(
        delete(&app, &xop, &path).await.status,
        StatusCode::NOT_FOUND
    );

    // Every change is in X's audit log, failures too; kubeconfig downloads name the cluster and
    // never hold the file.
    let audit = app.get(&xadmin, "/api/audit?limit=200").await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let rows = audit.body.as_array().unwrap();
    let has = |action: &str, ok: bool| {
        rows.iter()
            .any(|r| r["action"] == action && (r["result"] == "ok") == ok && r["tenantId"] == xid)
    };
    for a in [
        "kubernetes.create",
        "kubernetes.scale",
        "kubernetes.autoscale",
        "kubernetes.upgrade",
        "kubernetes.stop",
        "kubernetes.start",
        "kubernetes.remove_nodes",
        "kubernetes.delete",
    ] {
        assert!(has(a, true), "{a} ok in {}", audit.text);
    }
    for a in [
        "kubernetes.upgrade",
        "kubernetes.stop",
        "kubernetes.scale",
        "kubernetes.remove_nodes",
    ] {
        assert!(has(a, false), "{a} failed in {}", audit.text);
    }
    let downloads: Vec<&Value> = rows
        .iter()
        .filter(|r| r["action"] == "kubernetes.kubeconfig")
        .collect();
    assert_eq!(downloads.len(), 2, "{}", audit.text);
    for d in downloads {
        assert_eq!(d["actor"], "x-admin");
        assert_eq!(d["result"], "ok");
        assert_eq!(d["target"], format!("web ({id})"));
    }
    assert!(!audit.text.contains("certificate-authority-data"));
    assert!(!audit.text.contains(&kubeconfig[..40]));
    app.shutdown().await;
}

async fn requests_cloudstack_would_refuse_are_refused_before_it_is_asked(backend: Backend) {
    let app = spawn_on(backend).await;
    let x = app.tenant(&app.admin, None, "Tenant X").await;
    let xid = x["id"].as_str().unwrap();
    let account = x["cloudstackAccount"].as_str().unwrap();
    let xop = app.user(&app.admin, xid, "x-operator", "operator").await;
    let old = app.sim.add_kube_version("1.15.12", false).unwrap();
    let cat = Catalog::of(&app, &xop).await;
    assert_eq!(cat.version("1.15.12"), old);
    assert_eq!(clusters_in_cloudstack(&app).await, 0);

    // The plan of a good cluster: needs, no problems, no price without a rate card.
    let good = cat.body("good", "1.29.8", 1, json!({"mode": "fixed", "size": 2}));
    let p = app.post(&xop, "/api/kubernetes/plan", good.clone()).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(p.body["problems"], json!([]));
    assert_eq!(
        p.body["needs"],
        json!({"vms": 3, "cpu": 6, "memoryMb": 12288})
    );
    assert_eq!(p.body["available"], Value::Null, "no limits yet");
    assert_eq!(p.body["monthlyPaise"], Value::Null);

    // With the platform's rate card: 3 nodes × (2 × ₹0.90 + 4 GB × ₹0.30) + ₹5 for the
    // cluster = ₹14 an hour, × 730 hours.
    for (path, body) in [
        (
            "/api/billing/seller",
            seller_body(PLATFORM_GSTIN, "AkashOne Cloud", "AKP", "560103"),
        ),
        (
            "/api/billing/rate-card",
            card_body("2025-01-01", PLATFORM_PRICES, None),
        ),
    ] {
        let r = app
            .call(Method::PUT, Some(&app.admin), path, Some(body))
            .await;
        assert_eq!(r.status, StatusCode::OK, "PUT {path}: {}", r.text);
    }
    let p = app.post(&xop, "/api/kubernetes/plan", good.clone()).await;
    assert_eq!(p.body["monthlyPaise"], 1_022_000, "{}", p.text);
    let p = app
        .post(
            &xop,
            "/api/kubernetes/plan",
            cat.body(
                "auto",
                "1.29.8",
                1,
                json!({"mode": "autoscale", "min": 1, "max": 4}),
            ),
        )
        .await;
    assert_eq!(p.body["problems"], json!([]), "{}", p.text);
    assert_eq!(
        p.body["most"],
        json!({"vms": 5, "cpu": 10, "memoryMb": 20480})
    );

    // Each refusal in the types crate's words, in the plan and on create, where nothing reaches
    // CloudStack.
    let mut small = cat.body("small", "1.29.8", 1, json!({"mode": "fixed", "size": 1}));
    small["offeringId"] = json!(cat.offering("Small Instance"));
    let cases = [
        (
            cat.body("ha", "1.15.12", 3, json!({"mode": "fixed", "size": 1})),
            vec!["3 control nodes (HA) need Kubernetes 1.16.0 or later; 1.15.12 runs one."],
        ),
        (
            cat.body(
                "auto",
                "1.29.8",
                1,
                json!({"mode": "autoscale", "min": 3, "max": 3}),
            ),
            vec!["The largest size (3) must be greater than the smallest (3)."],
        ),
        (
            small,
            vec![
                "The node offering Small Instance has 1 vCPU and 1024 MB; Kubernetes 1.29.8 needs at least 2 vCPUs and 2048 MB per node.",
            ],
        ),
    ];
    for (body, problems) in &cases {
        let p = app.post(&xop, "/api/kubernetes/plan", body.clone()).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        assert_eq!(p.body["problems"], json!(problems), "{}", p.text);
        let r = app
            .post(&xop, "/api/kubernetes/clusters", body.clone())
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert_eq!(r.body["message"], problems.join(" "));
    }
    assert_eq!(clusters_in_cloudstack(&app).await, 0);

    // The account's limits: one VM left for three nodes.
    assert!(
        app.sim
            .set_account_limit(account, LimitedResource::UserVm, Some(1))
    );
    let p = app.post(&xop, "/api/kubernetes/plan", good.clone()).await;
    let shortfall = "Not enough VMs left in your resource limits: needs 3, 1 left (2 short).";
    assert_eq!(p.body["problems"], json!([shortfall]), "{}", p.text);
    assert_eq!(p.body["available"]["vms"], 1);
    let r = app
        .post(&xop, "/api/kubernetes/clusters", good.clone())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.body["message"], shortfall);
    assert_eq!(clusters_in_cloudstack(&app).await, 0);

    // Unknown ids, a malformed body and a wrong worker combination: 400, nothing created.
    let mut unknown_version = good.clone();
    unknown_version["versionId"] = json!("no-such-version");
    let mut unknown_offering = good.clone();
    unknown_offering["offeringId"] = json!("no-such-offering");
    let mut unknown_zone = good.clone();
    unknown_zone["zoneId"] = json!("no-such-zone");
    let mut unknown_network = good.clone();
    unknown_network["network"] = json!({"kind": "existing", "id": "no-such-network"});
    let mut both = good.clone();
    both["workers"] = json!({"mode": "autoscale", "size": 2});
    let mut no_mode = good.clone();
    no_mode["workers"] = json!({"size": 2});
    for (body, words) in [
        (
            unknown_version,
            "Kubernetes version no-such-version does not exist.",
        ),
        (
            unknown_offering,
            "The node offering no-such-offering does not exist or is not available to Tenant X.",
        ),
        (
            unknown_zone,
            "Zone no-such-zone does not exist or is not available to Tenant X.",
        ),
        (
            unknown_network,
            "Network no-such-network does not exist in Tenant X's account.",
        ),
        (both, "The request body is not valid"),
        (no_mode, "The request body is not valid"),
        (json!({"name": "x"}), "The request body is not valid"),
    ] {
        for path in ["/api/kubernetes/plan", "/api/kubernetes/clusters"] {
            let r = app.post(&xop, path, body.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::BAD_REQUEST,
                "{path} {body}: {}",
                r.text
            );
            assert!(
                r.body["message"].as_str().unwrap().starts_with(words),
                "{path}: {}",
                r.text
            );
        }
    }
    assert_eq!(clusters_in_cloudstack(&app).await, 0);

    // With room again a cluster is made; a scale beyond the limits is refused with the
    // shortfall and leaves it as it was.
    assert!(
        app.sim
            .set_account_limit(account, LimitedResource::UserVm, Some(2))
    );
    let one = cat.body("one", "1.29.8", 1, json!({"mode": "fixed", "size": 1}));
    let r = app.post(&xop, "/api/kubernetes/clusters", one).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let path = format!(
        "/api/kubernetes/clusters/{}",
        r.body["id"].as_str().unwrap()
    );
    let r = app
        .patch(&xop, &path, json!({"action": "scale", "size": 2}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "Not enough VMs left in your resource limits: needs 1, 0 left (1 short)."
    );
    let listed = app.get(&xop, "/api/kubernetes/clusters").await;
    assert_eq!(listed.body[0]["state"], "Running");
    assert_eq!(listed.body[0]["workers"], 1);
    // Malformed actions, a delete sent as PATCH and an unknown version are refused too.
    for (body, status) in [
        (json!({"action": "explode"}), StatusCode::BAD_REQUEST),
        (json!({"action": "scale"}), StatusCode::BAD_REQUEST),
        (json!({"action": "delete"}), StatusCode::BAD_REQUEST),
        (
            json!({"action": "upgrade", "version_id": "no-such-version"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"action": "autoscale", "min": 2, "max": 2}),
            StatusCode::CONFLICT,
        ),
        (
            json!({"action": "remove_nodes", "node_ids": ["not-a-node"]}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let r = app.patch(&xop, &path, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
    }
    assert_eq!(clusters_in_cloudstack(&app).await, 1);

    // Autoscaling from the start, with the workers' own offering.
    assert!(
        app.sim
            .set_account_limit(account, LimitedResource::UserVm, None)
    );
    let mut auto = cat.body(
        "auto",
        "1.29.8",
        1,
        json!({"mode": "autoscale", "min": 1, "max": 3}),
    );
    auto["workerOfferingId"] = json!(cat.offering("Large Instance"));
    let p = app.post(&xop, "/api/kubernetes/plan", auto.clone()).await;
    assert_eq!(p.body["problems"], json!([]), "{}", p.text);
    assert_eq!(
        p.body["needs"],
        json!({"vms": 2, "cpu": 6, "memoryMb": 12288})
    );
    assert_eq!(
        p.body["most"],
        json!({"vms": 4, "cpu": 14, "memoryMb": 28672})
    );
    // 1 × (2 × ₹0.90 + 4 × ₹0.30) + 1 × (4 × ₹0.90 + 8 × ₹0.30) + ₹5 = ₹14/h.
    assert_eq!(p.body["monthlyPaise"], 1_022_000);
    let r = app.post(&xop, "/api/kubernetes/clusters", auto).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["autoscale"], json!([1, 3]));
    assert_eq!(r.body["workers"], 1);
    assert_eq!(
        (r.body["cpu"].as_i64(), r.body["memoryMb"].as_i64()),
        (Some(6), Some(12288))
    );

    // A suspended tenant creates nothing.
    let s = app
        .patch(
            &app.admin,
            &format!("/api/tenants/{xid}"),
            json!({"suspended": true}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let r = app
        .post(
            &app.admin,
            &format!("/api/kubernetes/clusters?tenantId={xid}"),
            cat.body("late", "1.29.8", 1, json!({"mode": "fixed", "size": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(clusters_in_cloudstack(&app).await, 2);
    let audit = app.get(&app.admin, "/api/audit?limit=200").await;
    assert!(
        audit.body.as_array().unwrap().iter().any(|r| {
            r["action"] == "kubernetes.create"
                && r["result"]
                    .as_str()
                    .unwrap()
                    .starts_with("failed: Not enough VMs")
        }),
        "{}",
        audit.text
    );
    app.shutdown().await;
}

on_both!(
    a_cluster_lives_in_the_tenant_account_and_only_its_subtree_may_touch_it,
    requests_cloudstack_would_refuse_are_refused_before_it_is_asked,
);
