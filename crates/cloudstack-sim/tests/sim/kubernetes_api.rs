//! The clusters' Kubernetes API, checked with clients nobody here wrote: Debian's kubectl 1.20
//! (`kubernetes-client`) and the Python `kubernetes` package, using the kubeconfig that
//! getKubernetesClusterConfig returns. One simulator and one cluster walk through the lifecycle.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use akashone_cloudstack_sim::{KubeNodeHealth, SimConfig};
use serde_json::Value;

use crate::python::python;
use crate::support::{Client, start};

/// Debian's kubectl (package kubernetes-client), where the setup placed it.
fn kubectl() -> PathBuf {
    akashone_cloudstack_sim::kubectl().unwrap_or_else(|e| panic!("{e}"))
}

struct Kube {
    bin: PathBuf,
    cache: PathBuf,
}

impl Kube {
    async fn run(&self, kubeconfig: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--kubeconfig")
            .arg(kubeconfig)
            .arg("--cache-dir")
            .arg(&self.cache)
            .arg("--request-timeout=10s")
            .args(args)
            .env_remove("KUBECONFIG");
        tokio::task::spawn_blocking(move || cmd.output().expect("kubectl runs"))
            .await
            .unwrap()
    }

    /// Runs kubectl and parses its JSON output (panics on failure).
    async fn json(&self, kubeconfig: &Path, args: &[&str]) -> Value {
        let out = self.run(kubeconfig, args).await;
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("kubectl prints JSON")
    }

    /// Node name -> Ready condition status.
    async fn nodes(&self, kubeconfig: &Path) -> Vec<(String, String)> {
        let list = self.json(kubeconfig, &["get", "nodes", "-o", "json"]).await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let ready = n["status"]["conditions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["type"] == "Ready")
                    .map(|c| c["status"].as_str().unwrap().to_string())
                    .unwrap_or_default();
                (n["metadata"]["name"].as_str().unwrap().to_string(), ready)
            })
            .collect()
    }
}

const PY: &str = r#"
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
nodes = client.CoreV1Api(api).list_node()
pods = client.CoreV1Api(api).list_pod_for_all_namespaces()
version = client.VersionApi(api).get_code()
out = {
    "nodes": [
        {"name": n.metadata.name,
         "ready": [c.status for c in n.status.conditions if c.type == "Ready"][0],
         "control": "node-role.kubernetes.io/control-plane" in (n.metadata.labels or {}),
         "kubelet": n.status.node_info.kubelet_version,
         "ip": [a.address for a in n.status.addresses if a.type == "InternalIP"][0]}
        for n in nodes.items],
    "pods": sorted(p.metadata.name for p in pods.items),
    "pod_phases": sorted(set(p.status.phase for p in pods.items)),
    "git_version": version.git_version,
    "minor": version.minor,
}
print(json.dumps(out))
"#;

async fn python_view(kubeconfig: &Path) -> Value {
    let py = python();
    let check = Command::new(&py)
        .args(["-c", "import kubernetes"])
        .output()
        .expect("python runs");
    assert!(
        check.status.success(),
        "the Python `kubernetes` package is missing from {}: run `cargo xtask setup`",
        py.display()
    );
    let path = kubeconfig.to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg("-c")
            .arg(PY)
            .arg(path)
            .env_remove("KUBECONFIG")
            .output()
    })
    .await
    .unwrap()
    .expect("python runs");
    assert!(
        out.status.success(),
        "python kubernetes client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(port: u16) -> bool {
    matches!(
        std::net::TcpStream::connect(("127.0.0.1", port)),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused
    )
}

fn port_of(kubeconfig: &str) -> u16 {
    let server = kubeconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .expect("a server line");
    let port = server
        .strip_prefix("https://127.0.0.1:")
        .expect("a loopback server");
    port.parse().unwrap()
}

async fn job_ok(c: &Client, reply: &Value) -> Value {
    let job = c.wait_job(reply["jobid"].as_str().unwrap()).await;
    assert_eq!(job["jobstatus"], 1, "{job}");
    job
}

async fn cluster(c: &Client, id: &str) -> Value {
    let list = c.ok("listKubernetesClusters", &[("id", id)]).await;
    list["kubernetescluster"][0].clone()
}

fn enabled_versions(versions: &Value) -> Vec<Value> {
    versions["kubernetessupportedversion"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["state"] == "Enabled")
        .cloned()
        .collect()
}

/// (zone id, version id, semantic version, offering id) for new clusters.
async fn catalogue(c: &Client) -> (String, String, String, String) {
    let zone = c.ok("listZones", &[]).await["zone"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let versions = c.ok("listKubernetesSupportedVersions", &[]).await;
    // The second newest enabled version, so that the newest is an upgrade.
    let enabled = enabled_versions(&versions);
    let v = enabled[enabled.len() - 2].clone();
    let offerings = c.ok("listServiceOfferings", &[]).await;
    let so = offerings["serviceoffering"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "CKS Node")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (
        zone,
        v["id"].as_str().unwrap().to_string(),
        v["semanticversion"].as_str().unwrap().to_string(),
        so,
    )
}

async fn create(
    c: &Client,
    name: &str,
    size: &str,
    cat: &(String, String, String, String),
) -> Value {
    let reply = c
        .ok(
            "createKubernetesCluster",
            &[
                ("name", name),
                ("zoneid", &cat.0),
                ("kubernetesversionid", &cat.1),
                ("serviceofferingid", &cat.3),
                ("size", size),
            ],
        )
        .await;
    let job = job_ok(c, &reply).await;
    job["jobresult"]["kubernetescluster"].clone()
}

async fn kubeconfig(c: &Client, id: &str, dir: &Path, file: &str) -> (PathBuf, String) {
    let cfg = c.ok("getKubernetesClusterConfig", &[("id", id)]).await;
    let data = cfg["clusterconfig"]["configdata"]
        .as_str()
        .unwrap()
        .to_string();
    let path = dir.join(file);
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

#[tokio::test]
async fn kubeconfig_reaches_the_cluster_api_through_its_lifecycle() {
    let kube = Kube {
        bin: kubectl(),
        cache: tempfile::tempdir().unwrap().keep(),
    };
    let dir = tempfile::tempdir().unwrap();
    let sim = start(SimConfig::default()).await;
    let c = Client::admin(&sim);
    let cat = catalogue(&c).await;
    let created = create(&c, "kube-a", "2", &cat).await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["state"], "Running");

    let (cfg_a, data) = kubeconfig(&c, &id, dir.path(), "a.yaml").await;
    for needle in [
        "apiVersion: v1",
        "kind: Config",
        "certificate-authority-data: ",
        "client-certificate-data: ",
        "client-key-data: ",
        "current-context: \"kubernetes-admin@kube-a\"",
    ] {
        assert!(data.contains(needle), "{needle} missing from {data}");
    }
    let port = port_of(&data);
    // The cluster keeps its public endpoint; the kubeconfig points at the loopback listener.
    let listed = cluster(&c, &id).await;
    assert_eq!(
        listed["endpoint"],
        format!("https://{}:6443/", listed["ipaddress"].as_str().unwrap())
    );
    let info = sim.kube_api(&id).expect("an API");
    assert_eq!(info.port, port);
    assert!(info.listening);
    let created_at = time::OffsetDateTime::parse(
        listed["created"].as_str().unwrap(),
        time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
        ),
    )
    .unwrap();
    assert_eq!(
        info.client_cert_not_after,
        created_at + time::Duration::days(365)
    );

    // kubectl: nodes (one control, two workers, all Ready), version, pods.
    let nodes = kube.nodes(&cfg_a).await;
    assert_eq!(nodes.len(), 3, "{nodes:?}");
    assert!(nodes.iter().all(|(_, r)| r == "True"), "{nodes:?}");
    let vm_names: Vec<String> = listed["virtualmachines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect();
    let mut node_names: Vec<String> = nodes.iter().map(|n| n.0.clone()).collect();
    let mut sorted_vms = vm_names.clone();
    node_names.sort();
    sorted_vms.sort();
    assert_eq!(node_names, sorted_vms);
    let version = kube.json(&cfg_a, &["version", "-o", "json"]).await;
    assert_eq!(
        version["serverVersion"]["gitVersion"],
        format!("v{}", cat.2)
    );
    let pods = kube.run(&cfg_a, &["get", "pods", "-A"]).await;
    let text = String::from_utf8_lossy(&pods.stdout);
    assert!(
        pods.status.success(),
        "{}",
        String::from_utf8_lossy(&pods.stderr)
    );
    assert!(
        text.contains("coredns-") && text.contains("kube-proxy-"),
        "{text}"
    );
    let plain = kube.run(&cfg_a, &["get", "nodes"]).await;
    assert!(plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stdout).contains(&vm_names[0]));
    let readyz = kube.run(&cfg_a, &["get", "--raw", "/readyz"]).await;
    assert_eq!(String::from_utf8_lossy(&readyz.stdout), "ok");

    // The Python client agrees.
    let py = python_view(&cfg_a).await;
    assert_eq!(py["git_version"], format!("v{}", cat.2));
    let py_nodes = py["nodes"].as_array().unwrap();
    assert_eq!(py_nodes.len(), 3, "{py}");
    assert!(py_nodes.iter().all(|n| n["ready"] == "True"));
    assert_eq!(py_nodes.iter().filter(|n| n["control"] == true).count(), 1);
    assert!(
        py_nodes
            .iter()
            .all(|n| n["kubelet"] == format!("v{}", cat.2))
    );
    let vm_ips: Vec<&str> = listed["virtualmachines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["ipaddress"].as_str().unwrap())
        .collect();
    assert!(
        py_nodes
            .iter()
            .all(|n| vm_ips.contains(&n["ip"].as_str().unwrap()))
    );
    let py_pods = py["pods"].as_array().unwrap();
    assert_eq!(
        py_pods
            .iter()
            .filter(|p| p.as_str().unwrap().starts_with("coredns-"))
            .count(),
        2
    );
    assert_eq!(
        py_pods
            .iter()
            .filter(|p| p.as_str().unwrap().starts_with("kube-proxy-"))
            .count(),
        3
    );
    assert_eq!(py["pod_phases"], serde_json::json!(["Running"]));

    // Scale up: a new node appears; scale in by node id: it goes.
    let scaled = c
        .ok("scaleKubernetesCluster", &[("id", &id), ("size", "3")])
        .await;
    job_ok(&c, &scaled).await;
    let nodes = kube.nodes(&cfg_a).await;
    assert_eq!(nodes.len(), 4, "{nodes:?}");
    let listed = cluster(&c, &id).await;
    let last = listed["virtualmachines"][3].clone();
    let removed = c
        .ok(
            "scaleKubernetesCluster",
            &[("id", &id), ("nodeids", last["id"].as_str().unwrap())],
        )
        .await;
    job_ok(&c, &removed).await;
    let nodes = kube.nodes(&cfg_a).await;
    assert_eq!(nodes.len(), 3);
    assert!(!nodes.iter().any(|n| n.0 == last["name"].as_str().unwrap()));

    // Running in CloudStack, NotReady in Kubernetes; then never joined at all.
    let worker = listed["virtualmachines"][1]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(sim.set_kube_node_health(&worker, KubeNodeHealth::NotReady));
    let nodes = kube.nodes(&cfg_a).await;
    assert_eq!(
        nodes.iter().find(|n| n.0 == worker).map(|n| n.1.as_str()),
        Some("Unknown")
    );
    let plain = kube.run(&cfg_a, &["get", "nodes"]).await;
    assert!(plain.status.success());
    assert!(cluster(&c, &id).await["state"] == "Running");
    assert!(sim.set_kube_node_health(&worker, KubeNodeHealth::Missing));
    assert_eq!(kube.nodes(&cfg_a).await.len(), 2);
    assert!(sim.set_kube_node_health(&worker, KubeNodeHealth::Ready));

    // Stopped: the API is gone (connection refused); started: back on the same port.
    let stop = c.ok("stopKubernetesCluster", &[("id", &id)]).await;
    job_ok(&c, &stop).await;
    assert!(refused(port));
    let out = kube.run(&cfg_a, &["get", "nodes"]).await;
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refused"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!sim.kube_api(&id).unwrap().listening);
    let started = c.ok("startKubernetesCluster", &[("id", &id)]).await;
    job_ok(&c, &started).await;
    assert_eq!(kube.nodes(&cfg_a).await.len(), 3);

    // Unreachable although CloudStack says Running; readyz failing.
    assert!(sim.set_kube_api_reachable("kube-a", false));
    assert_eq!(cluster(&c, &id).await["state"], "Running");
    assert!(refused(port));
    assert!(sim.set_kube_api_reachable("kube-a", true));
    assert!(!refused(port));
    assert!(sim.set_kube_api_ready("kube-a", false));
    let readyz = kube.run(&cfg_a, &["get", "--raw", "/readyz"]).await;
    assert!(!readyz.status.success());
    assert!(sim.set_kube_api_ready("kube-a", true));

    // Upgraded: the API server and the kubelets report the new version.
    let versions = c.ok("listKubernetesSupportedVersions", &[]).await;
    let newest = enabled_versions(&versions).pop().unwrap();
    let up = c
        .ok(
            "upgradeKubernetesCluster",
            &[
                ("id", &id),
                ("kubernetesversionid", newest["id"].as_str().unwrap()),
            ],
        )
        .await;
    job_ok(&c, &up).await;
    let version = kube.json(&cfg_a, &["version", "-o", "json"]).await;
    let new_git = format!("v{}", newest["semanticversion"].as_str().unwrap());
    assert_eq!(version["serverVersion"]["gitVersion"], new_git.as_str());

    // Cluster A's kubeconfig does not open cluster B: each cluster has its own CA.
    let b = create(&c, "kube-b", "1", &cat).await;
    let b_id = b["id"].as_str().unwrap().to_string();
    let (cfg_b, data_b) = kubeconfig(&c, &b_id, dir.path(), "b.yaml").await;
    let port_b = port_of(&data_b);
    assert_ne!(port_b, port);
    assert_eq!(kube.nodes(&cfg_b).await.len(), 2);
    let crossed = dir.path().join("a-to-b.yaml");
    std::fs::write(
        &crossed,
        data.replace(&format!(":{port}"), &format!(":{port_b}")),
    )
    .unwrap();
    let out = kube.run(&crossed, &["get", "nodes"]).await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("certificate"), "{err}");
    // Deleted: its port is free and refuses connections.
    let del = c.ok("deleteKubernetesCluster", &[("id", &b_id)]).await;
    job_ok(&c, &del).await;
    c.ok("listKubernetesClusters", &[]).await;
    assert!(refused(port_b));
    sim.shutdown().await;
}
