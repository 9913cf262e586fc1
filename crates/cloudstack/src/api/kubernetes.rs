//! The Kubernetes Service: clusters and their supported versions.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;

request! {
    /// `createKubernetesCluster` (async).
    CreateKubernetesCluster => "createKubernetesCluster" {
        /// Name (required).
        name: String,
        /// Description.
        description: String,
        /// Zone id (required).
        zoneid: String,
        /// Kubernetes version id (required).
        kubernetesversionid: String,
        /// Service offering id (required for CloudManaged).
        serviceofferingid: String,
        /// Worker nodes.
        size: i64,
        /// Control nodes.
        controlnodes: i64,
        /// Network id (default: a new isolated network).
        networkid: String,
        /// SSH key pair name.
        keypair: String,
        /// External load balancer IP (HA).
        externalloadbalanceripaddress: String,
        /// Root disk size (GiB).
        noderootdisksize: i64,
        /// `CloudManaged` (default) or `ExternalManaged`.
        clustertype: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listKubernetesClusters`.
    ListKubernetesClusters => "listKubernetesClusters" {
        /// Cluster id.
        id: String,
        /// Name.
        name: String,
        /// State.
        state: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `scaleKubernetesCluster` (async): change the size or offering, or enable autoscaling
    /// (`autoscalingenabled=true` with `minsize` and `maxsize`, without `size`).
    ScaleKubernetesCluster => "scaleKubernetesCluster" {
        /// Cluster id (required).
        id: String,
        /// New worker count.
        size: i64,
        /// New service offering.
        serviceofferingid: String,
        /// Enable or disable autoscaling.
        autoscalingenabled: bool,
        /// Autoscaling minimum (≥ 1).
        minsize: i64,
        /// Autoscaling maximum (> minsize).
        maxsize: i64,
        /// Worker VMs to remove (scale in).
        nodeids: Vec<String>,
    }
}

impl ScaleKubernetesCluster {
    /// Sets a fixed worker count.
    pub fn to_size(id: impl Into<String>, size: i64) -> Self {
        Self {
            id: Some(id.into()),
            size: Some(size),
            ..Self::default()
        }
    }

    /// Enables autoscaling between `minsize` and `maxsize` workers.
    pub fn autoscale(id: impl Into<String>, minsize: i64, maxsize: i64) -> Self {
        Self {
            id: Some(id.into()),
            autoscalingenabled: Some(true),
            minsize: Some(minsize),
            maxsize: Some(maxsize),
            ..Self::default()
        }
    }
}

list_request! {
    /// `listKubernetesSupportedVersions`.
    ListKubernetesSupportedVersions => "listKubernetesSupportedVersions" {
        /// Version id.
        id: String,
        /// Zone id.
        zoneid: String,
        /// Only versions at least this one.
        minimumsemanticversion: String,
        /// Only versions usable with this offering.
        minimumkubernetesversionid: String,
    }
}

impl Client {
    /// `createKubernetesCluster` (async).
    pub async fn create_kubernetes_cluster(
        &self,
        req: &CreateKubernetesCluster,
    ) -> Result<AsyncJob<KubernetesCluster>> {
        self.submit(CreateKubernetesCluster::NAME, &req.to_params())
            .await
    }

    /// `listKubernetesClusters`, every page.
    pub async fn list_kubernetes_clusters(
        &self,
        req: &ListKubernetesClusters,
    ) -> Result<Vec<KubernetesCluster>> {
        self.list_typed(req, "kubernetescluster").await
    }

    /// `scaleKubernetesCluster` (async), including autoscaling.
    pub async fn scale_kubernetes_cluster(
        &self,
        req: &ScaleKubernetesCluster,
    ) -> Result<AsyncJob<KubernetesCluster>> {
        self.submit(ScaleKubernetesCluster::NAME, &req.to_params())
            .await
    }

    /// `startKubernetesCluster` (async).
    pub async fn start_kubernetes_cluster(&self, id: &str) -> Result<AsyncJob<KubernetesCluster>> {
        self.submit("startKubernetesCluster", &id_params(id)).await
    }

    /// `stopKubernetesCluster` (async).
    pub async fn stop_kubernetes_cluster(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("stopKubernetesCluster", &id_params(id)).await
    }

    /// `deleteKubernetesCluster` (async); optionally also deletes the cluster's network and VMs' volumes.
    pub async fn delete_kubernetes_cluster(
        &self,
        id: &str,
        cleanup: bool,
    ) -> Result<AsyncJob<Success>> {
        let mut p = id_params(id);
        if cleanup {
            p.set("cleanup", true).set("expunge", true);
        }
        self.submit("deleteKubernetesCluster", &p).await
    }

    /// `upgradeKubernetesCluster` to another supported version (async).
    pub async fn upgrade_kubernetes_cluster(
        &self,
        id: &str,
        kubernetesversionid: &str,
    ) -> Result<AsyncJob<KubernetesCluster>> {
        let p = id_params(id).with("kubernetesversionid", kubernetesversionid);
        self.submit("upgradeKubernetesCluster", &p).await
    }

    /// `getKubernetesClusterConfig`: the kubeconfig (`configdata`).
    pub async fn get_kubernetes_cluster_config(&self, id: &str) -> Result<KubernetesClusterConfig> {
        self.sync_object(
            "getKubernetesClusterConfig",
            &id_params(id),
            "clusterconfig",
        )
        .await
    }

    /// `listKubernetesSupportedVersions`, every page.
    pub async fn list_kubernetes_supported_versions(
        &self,
        req: &ListKubernetesSupportedVersions,
    ) -> Result<Vec<KubernetesSupportedVersion>> {
        self.list_typed(req, "kubernetessupportedversion").await
    }
}
