//! Kubernetes clusters through the central server: it checks the tenant's limits and rate card,
//! runs each CloudStack job to its end and audits every kubeconfig download.

use super::CentralCloud;
use crate::cloud::{Job, Outcome, waited_by_server};
use crate::error::Result;
use akashone_cache::KubernetesCluster;
use akashone_cache::cloudstack::stored;
use akashone_types::kubernetes::{
    ClusterAction, ClusterPlan, ClusterRow, CreateCluster, KubeOffering, KubeVersion,
};
use zeroize::Zeroizing;

/// The server's cluster as the cache's row, with the server's answer kept beside it.
pub(crate) fn cluster(c: &ClusterRow) -> Result<akashone_cache::Stored<KubernetesCluster>> {
    Ok(stored(c, KubernetesCluster::from(c))?)
}

impl CentralCloud {
    pub(super) async fn kube_versions_of(&self, zone_id: Option<&str>) -> Result<Vec<KubeVersion>> {
        let t = self.acting_id();
        Ok(self.client()?.kube_versions(t.as_deref(), zone_id).await?)
    }

    pub(super) async fn kube_offerings_of(&self) -> Result<Vec<KubeOffering>> {
        let t = self.acting_id();
        Ok(self.client()?.kube_offerings(t.as_deref()).await?)
    }

    pub(super) async fn kube_plan_of(&self, req: &CreateCluster) -> Result<ClusterPlan> {
        let t = self.acting_id();
        Ok(self.client()?.kube_plan(t.as_deref(), req).await?)
    }

    pub(super) async fn kube_create_of(&self, req: &CreateCluster) -> Result<Job> {
        let (client, t, req) = (self.client()?, self.acting_id(), req.clone());
        Ok(waited_by_server(None, async move {
            let c = client.kube_create(t.as_deref(), &req).await?;
            Ok(Outcome::Cluster(Box::new(cluster(&c)?)))
        }))
    }

    pub(super) async fn kube_action_of(
        &self,
        row: &ClusterRow,
        action: &ClusterAction,
    ) -> Result<Job> {
        let (client, t, action) = (self.client()?, self.acting_id(), action.clone());
        let id = row.id.clone();
        Ok(waited_by_server(Some(id.clone()), async move {
            Ok(
                match client.kube_action(t.as_deref(), &id, &action).await? {
                    Some(c) => Outcome::Cluster(Box::new(cluster(&c)?)),
                    None => Outcome::Removed,
                },
            )
        }))
    }

    pub(super) async fn kubeconfig_of(&self, id: &str) -> Result<Zeroizing<String>> {
        let t = self.acting_id();
        let out = self.client()?.kubeconfig(t.as_deref(), id).await?;
        Ok(Zeroizing::new(out.kubeconfig))
    }
}
