//! CloudStack Kubernetes Service clusters on a CloudStack API signed with the user's keys.

use super::direct::{DirectCloud, options};
use super::{Job, Outcome};
use crate::error::{AppError, Result};
use akashone_cache::KubernetesCluster;
use akashone_cache::cloudstack as rows;
use akashone_cloudstack::api::{
    CreateKubernetesCluster, ListAccounts, ListKubernetesClusters, ListKubernetesSupportedVersions,
    ListServiceOfferings, ScaleKubernetesCluster,
};
use akashone_cloudstack::model as cs;
use akashone_cloudstack::{AsyncJob, Client};
use akashone_types::kubernetes::{
    ClusterAction, ClusterNetwork, ClusterPlan, ClusterRow, CreateCluster, KubeOffering,
    KubeVersion, Resources, Workers, plan,
};
use zeroize::Zeroizing;

fn text(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// CloudStack's answer as a version the rules read.
pub(crate) fn version(v: cs::KubernetesSupportedVersion) -> KubeVersion {
    KubeVersion {
        id: text(v.id),
        name: text(v.name),
        semantic_version: text(v.semanticversion),
        zone_id: v.zoneid.filter(|z| !z.is_empty()),
        enabled: v
            .state
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("Enabled")),
        iso_ready: v
            .isostate
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("Ready")),
        supports_ha: v.supportsha.unwrap_or(false),
        supports_autoscaling: v.supportsautoscaling.unwrap_or(false),
        min_cpu: v.mincpunumber.unwrap_or(0),
        min_memory_mb: v.minmemory.unwrap_or(0),
    }
}

/// `"12"` → 12; `"Unlimited"` (or nothing) → unlimited.
fn available(s: Option<&str>) -> Option<i64> {
    s.and_then(|s| s.trim().parse().ok())
}

/// What the caller's account may still use: the account whose users hold this API key (an
/// administrator sees other accounts too). `None` when unlimited or unknown.
async fn remaining(client: &Client) -> Result<Option<Resources>> {
    let accounts = client.list_accounts(&ListAccounts::default()).await?;
    let key = &client.config().api_key;
    let mine = accounts
        .iter()
        .find(|a| {
            a.user
                .iter()
                .flatten()
                .any(|u| u.apikey.as_deref() == Some(key.as_str()))
        })
        .or_else(|| (accounts.len() == 1).then(|| &accounts[0]));
    let Some(a) = mine else { return Ok(None) };
    let (vms, cpu, mem) = (
        available(a.vmavailable.as_deref()),
        available(a.cpuavailable.as_deref()),
        available(a.memoryavailable.as_deref()),
    );
    if vms.is_none() && cpu.is_none() && mem.is_none() {
        return Ok(None);
    }
    Ok(Some(Resources {
        vms: vms.unwrap_or(i64::MAX),
        cpu: cpu.unwrap_or(i64::MAX),
        memory_mb: mem.unwrap_or(i64::MAX),
    }))
}

fn cluster_outcome(c: &cs::KubernetesCluster) -> Result<Outcome> {
    Ok(Outcome::Cluster(Box::new(rows::stored(
        c,
        KubernetesCluster::from(c),
    )?)))
}

/// A job that answers the cluster.
fn cluster_job(job: AsyncJob<cs::KubernetesCluster>, id: Option<String>) -> Job {
    Job {
        job_id: Some(job.jobid().to_owned()),
        vm_id: id,
        wait: Box::new(move |watch| {
            Box::pin(async move { cluster_outcome(&job.wait(&options(watch)).await?) })
        }),
    }
}

/// A job that answers only success: the cluster is read again afterwards (or is gone).
fn then_read(client: Client, job: AsyncJob<cs::Success>, id: &str, deleted: bool) -> Job {
    let cluster = id.to_owned();
    Job {
        job_id: Some(job.jobid().to_owned()),
        vm_id: Some(cluster.clone()),
        wait: Box::new(move |watch| {
            Box::pin(async move {
                job.wait(&options(watch)).await?;
                if deleted {
                    return Ok(Outcome::Removed);
                }
                match read(&client, &cluster).await? {
                    Some(c) => cluster_outcome(&c),
                    None => Ok(Outcome::Removed),
                }
            })
        }),
    }
}

async fn read(client: &Client, id: &str) -> Result<Option<cs::KubernetesCluster>> {
    Ok(client
        .list_kubernetes_clusters(&ListKubernetesClusters {
            id: Some(id.to_owned()),
            listall: Some(true),
            ..Default::default()
        })
        .await?
        .into_iter()
        .next())
}

impl DirectCloud {
    pub(super) async fn kube_versions_of(&self, zone_id: Option<&str>) -> Result<Vec<KubeVersion>> {
        let list = self
            .client()
            .list_kubernetes_supported_versions(&ListKubernetesSupportedVersions {
                zoneid: zone_id.map(str::to_owned),
                ..Default::default()
            })
            .await?;
        let mut out: Vec<KubeVersion> = list.into_iter().map(version).collect();
        out.sort_by_key(|v| std::cmp::Reverse(v.semver()));
        Ok(out)
    }

    pub(super) async fn kube_offerings_of(&self) -> Result<Vec<KubeOffering>> {
        let list = self
            .client()
            .list_service_offerings(&ListServiceOfferings::default())
            .await?;
        Ok(list
            .into_iter()
            .filter(|o| !o.issystem.unwrap_or(false))
            .map(|o| KubeOffering {
                id: text(o.id),
                name: text(o.name),
                cpu: o.cpunumber.unwrap_or_default(),
                memory_mb: o.memory.unwrap_or_default(),
            })
            .collect())
    }

    /// The rules and the account's limits; a direct profile has no rate card, so no cost.
    pub(super) async fn kube_plan_of(&self, req: &CreateCluster) -> Result<ClusterPlan> {
        let versions = self.kube_versions_of(Some(&req.zone_id)).await?;
        let v = versions
            .iter()
            .find(|v| v.id == req.version_id)
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "Kubernetes version {} is not offered in this zone.",
                    req.version_id
                ))
            })?;
        let offerings = self.kube_offerings_of().await?;
        let find = |id: &str| {
            offerings
                .iter()
                .find(|o| o.id == id)
                .ok_or_else(|| AppError::Invalid(format!("compute offering {id} does not exist.")))
        };
        let offering = find(&req.offering_id)?;
        let control = req.control_offering_id.as_deref().map(find).transpose()?;
        let worker = req.worker_offering_id.as_deref().map(find).transpose()?;
        let left = remaining(self.client()).await?;
        Ok(plan(req, v, offering, control, worker, left, None))
    }

    pub(super) async fn kube_create_of(&self, req: &CreateCluster) -> Result<Job> {
        let mut create = CreateKubernetesCluster {
            name: Some(req.name.trim().to_owned()),
            description: Some(
                req.description
                    .clone()
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or_else(|| req.name.trim().to_owned()),
            ),
            zoneid: Some(req.zone_id.clone()),
            kubernetesversionid: Some(req.version_id.clone()),
            serviceofferingid: Some(req.offering_id.clone()),
            size: Some(i64::from(req.workers.initial())),
            controlnodes: Some(i64::from(req.control_nodes)),
            keypair: req.keypair.clone().filter(|k| !k.is_empty()),
            ..Default::default()
        };
        if let ClusterNetwork::Existing { id } = &req.network {
            create.networkid = Some(id.clone());
        }
        let roles = [
            ("control", &req.control_offering_id),
            ("worker", &req.worker_offering_id),
        ];
        for (i, (role, o)) in roles
            .iter()
            .filter_map(|(r, o)| o.as_ref().map(|o| (r, o)))
            .enumerate()
        {
            create.extra.set(&format!("nodeofferings[{i}].node"), *role);
            create
                .extra
                .set(&format!("nodeofferings[{i}].offering"), o.as_str());
        }
        let client = self.client().clone();
        let job = client.create_kubernetes_cluster(&create).await?;
        let id = job.id().map(str::to_owned);
        let autoscale = match req.workers {
            Workers::Autoscale { min, max } => Some((min, max)),
            Workers::Fixed { .. } => None,
        };
        let Some((min, max)) = autoscale else {
            return Ok(cluster_job(job, id));
        };
        // CloudStack creates with a size; autoscaling is turned on once the cluster runs.
        Ok(Job {
            job_id: Some(job.jobid().to_owned()),
            vm_id: id,
            wait: Box::new(move |watch| {
                Box::pin(async move {
                    let again = super::Watch {
                        cancel: watch.cancel.clone(),
                        timeout: watch.timeout,
                        progress: watch.progress.clone(),
                    };
                    let made = job.wait(&options(watch)).await?;
                    let id = text(made.id.clone());
                    let scale = ScaleKubernetesCluster::autoscale(id, min.into(), max.into());
                    let c = client
                        .scale_kubernetes_cluster(&scale)
                        .await?
                        .wait(&options(again))
                        .await?;
                    cluster_outcome(&c)
                })
            }),
        })
    }

    pub(super) async fn kube_action_of(
        &self,
        cluster: &ClusterRow,
        action: &ClusterAction,
    ) -> Result<Job> {
        let c = self.client();
        let id = cluster.id.as_str();
        let me = Some(id.to_owned());
        Ok(match action {
            ClusterAction::Start => cluster_job(c.start_kubernetes_cluster(id).await?, me),
            ClusterAction::Stop => {
                then_read(c.clone(), c.stop_kubernetes_cluster(id).await?, id, false)
            }
            ClusterAction::Delete => then_read(
                c.clone(),
                c.delete_kubernetes_cluster(id, true).await?,
                id,
                true,
            ),
            ClusterAction::Scale { size } => {
                let mut scale = ScaleKubernetesCluster::to_size(id, i64::from(*size));
                if cluster.autoscale.is_some() {
                    scale.autoscalingenabled = Some(false);
                }
                cluster_job(c.scale_kubernetes_cluster(&scale).await?, me)
            }
            ClusterAction::RemoveNodes { node_ids } => {
                let scale = ScaleKubernetesCluster {
                    id: Some(id.to_owned()),
                    nodeids: Some(node_ids.clone()),
                    ..Default::default()
                };
                cluster_job(c.scale_kubernetes_cluster(&scale).await?, me)
            }
            ClusterAction::Autoscale { min, max } => {
                let scale = ScaleKubernetesCluster::autoscale(id, (*min).into(), (*max).into());
                cluster_job(c.scale_kubernetes_cluster(&scale).await?, me)
            }
            ClusterAction::Upgrade { version_id } => {
                cluster_job(c.upgrade_kubernetes_cluster(id, version_id).await?, me)
            }
        })
    }

    pub(super) async fn kubeconfig_of(&self, id: &str) -> Result<Zeroizing<String>> {
        let config = self.client().get_kubernetes_cluster_config(id).await?;
        config
            .configdata
            .map(Zeroizing::new)
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| AppError::NotFound(format!("the kubeconfig of cluster {id}")))
    }
}
