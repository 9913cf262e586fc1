//! The CloudStack simulator with running clusters, and their kubeconfigs through the signed API.

#![allow(dead_code)]

use std::time::Duration;

use akashone_cloudstack::api::{
    CreateKubernetesCluster, ListKubernetesSupportedVersions, ListServiceOfferings, ListZones,
};
use akashone_cloudstack::model::KubernetesCluster;
use akashone_cloudstack::{Client, ClientConfig, JobOptions};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};

/// A simulator without seeded clusters and without delays, and an admin client for it.
pub async fn start() -> (SimHandle, Cloud) {
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("the simulator starts");
    let client = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .expect("a client");
    let cloud = Cloud::new(client).await;
    (sim, cloud)
}

/// What creating clusters needs: a zone, the newest enabled version and the CKS node offering.
pub struct Cloud {
    pub client: Client,
    zone: String,
    version_id: String,
    /// The semantic version new clusters run (`1.30.2`).
    pub version: String,
    offering: String,
}

impl Cloud {
    async fn new(client: Client) -> Self {
        let zone = client.list_zones(&ListZones::default()).await.unwrap()[0]
            .id
            .clone()
            .unwrap();
        let versions = client
            .list_kubernetes_supported_versions(&ListKubernetesSupportedVersions::default())
            .await
            .unwrap();
        let v = versions
            .iter()
            .filter(|v| v.state.as_deref() == Some("Enabled"))
            .max_by_key(|v| semver(v.semanticversion.as_deref().unwrap_or_default()))
            .expect("an enabled version")
            .clone();
        let offering = client
            .list_service_offerings(&ListServiceOfferings::default())
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.name.as_deref() == Some("CKS Node"))
            .expect("the CKS node offering")
            .id
            .unwrap();
        Cloud {
            client,
            zone,
            version_id: v.id.unwrap(),
            version: v.semanticversion.unwrap(),
            offering,
        }
    }

    /// Creates a running cluster with one control node and `workers` workers.
    pub async fn create(&self, name: &str, workers: i64) -> KubernetesCluster {
        let job = self
            .client
            .create_kubernetes_cluster(&CreateKubernetesCluster {
                name: Some(name.into()),
                zoneid: Some(self.zone.clone()),
                kubernetesversionid: Some(self.version_id.clone()),
                serviceofferingid: Some(self.offering.clone()),
                size: Some(workers),
                ..Default::default()
            })
            .await
            .expect("createKubernetesCluster is accepted");
        let jobs = JobOptions::default()
            .with_poll_interval(Duration::from_millis(10), Duration::from_millis(50));
        let cluster = job.wait(&jobs).await.expect("the cluster is created");
        assert_eq!(cluster.state.as_deref(), Some("Running"));
        cluster
    }

    /// The cluster's kubeconfig (YAML), as getKubernetesClusterConfig hands it out.
    pub async fn kubeconfig(&self, id: &str) -> String {
        self.client
            .get_kubernetes_cluster_config(id)
            .await
            .expect("getKubernetesClusterConfig")
            .configdata
            .expect("configdata")
    }
}

/// The names of a cluster's node VMs, control nodes first.
pub fn vm_names(cluster: &KubernetesCluster) -> Vec<String> {
    cluster
        .virtualmachines
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.name.clone())
        .collect()
}

/// `(major, minor, patch)`.
pub fn semver(v: &str) -> (u32, u32, u32) {
    let mut p = v.split('.').map(|x| x.parse().unwrap_or(0));
    (
        p.next().unwrap_or(0),
        p.next().unwrap_or(0),
        p.next().unwrap_or(0),
    )
}

/// The kubeconfig with its server's port replaced.
pub fn with_port(yaml: &str, port: u16) -> String {
    yaml.lines()
        .map(|l| match l.trim_start().strip_prefix("server: ") {
            Some(server) => {
                let (base, _) = server.rsplit_once(':').expect("a port");
                format!(
                    "{}server: {base}:{port}",
                    &l[..l.len() - l.trim_start().len()]
                )
            }
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A loopback TCP server that accepts connections and never answers (a black hole: the check
/// must give up at its timeout). Stops when the returned guard is dropped.
pub async fn silent_server() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    (port, task)
}
