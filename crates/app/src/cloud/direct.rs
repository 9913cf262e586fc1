//! A CloudStack API signed with the user's keys: a real cloud, or the demo simulator.

use super::{Cloud, Job, Outcome, Watch, memory};
use crate::error::{AppError, Result};
use akashone_cache::cloudstack::{self as rows, CLOUD_KINDS};
use akashone_cache::sync::Snapshot;
use akashone_cloudstack::api::{
    DeployVirtualMachine, ListNetworks, ListServiceOfferings, ListSshKeyPairs, ListTemplates,
    ListVirtualMachines, ListZones, TemplateFilter,
};
use akashone_cloudstack::model::VirtualMachine;
use akashone_cloudstack::{AsyncJob, Client, JobOptions, JobProgress};
use akashone_types::kubernetes::{
    ClusterAction, ClusterPlan, ClusterRow, CreateCluster, KubeOffering, KubeVersion,
};
use akashone_types::network::LbMemberRow;
use akashone_types::ops::Operation;
use akashone_types::{Choice, DeployRequest, ErrorCode, VmAction, VmMetrics};
use zeroize::Zeroizing;

/// A CloudStack API.
pub(crate) struct DirectCloud {
    client: Client,
}

impl DirectCloud {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    pub(super) fn client(&self) -> &Client {
        &self.client
    }
}

fn text(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// Some CloudStack versions answer an empty filtered list with 431 "not found": treat as empty.
fn not_found_as_empty<T>(e: akashone_cloudstack::Error) -> akashone_cloudstack::Result<Vec<T>> {
    if e.code() == ErrorCode::NotFound {
        Ok(Vec::new())
    } else {
        Err(e)
    }
}

pub(super) fn options(watch: Watch) -> JobOptions {
    let progress = watch.progress;
    JobOptions::default()
        .with_timeout(watch.timeout)
        .with_cancel(watch.cancel)
        .with_progress(move |p: &JobProgress| progress(p.polls))
}

/// What a CloudStack job answers, as the cache's change.
fn outcome(vm: Option<&VirtualMachine>, expunge: bool, destroy: bool) -> Result<Outcome> {
    Ok(match vm {
        _ if expunge => Outcome::Removed,
        Some(vm) if vm.id.as_deref().is_some_and(|i| !i.is_empty()) => {
            Outcome::Vm(Box::new(rows::vm(vm)?))
        }
        _ if destroy => Outcome::Destroyed,
        _ => Outcome::Unchanged,
    })
}

fn vm_job(job: AsyncJob<VirtualMachine>, vm_id: Option<String>) -> Job {
    Job {
        job_id: Some(job.jobid().to_owned()),
        vm_id,
        wait: Box::new(move |watch| {
            Box::pin(async move {
                let vm = job.wait(&options(watch)).await?;
                outcome(Some(&vm), false, false)
            })
        }),
    }
}

fn gone_job(job: AsyncJob<Option<VirtualMachine>>, vm_id: &str, expunge: bool) -> Job {
    Job {
        job_id: Some(job.jobid().to_owned()),
        vm_id: Some(vm_id.to_owned()),
        wait: Box::new(move |watch| {
            Box::pin(async move {
                let vm = job.wait(&options(watch)).await?;
                outcome(vm.as_ref(), expunge, true)
            })
        }),
    }
}

#[async_trait::async_trait]
impl Cloud for DirectCloud {
    async fn probe(&self) -> Result<()> {
        self.client.list_zones(&ListZones::default()).await?;
        Ok(())
    }

    async fn snapshot(&self) -> Result<Snapshot> {
        Ok(rows::fetch(&self.client, &CLOUD_KINDS).await)
    }

    async fn snapshot_of(&self, kinds: &[akashone_cache::ListKind]) -> Result<Snapshot> {
        Ok(rows::fetch(&self.client, kinds).await)
    }

    async fn zones(&self) -> Result<Vec<Choice>> {
        let zones = self.client.list_zones(&ListZones::default()).await?;
        Ok(zones
            .into_iter()
            .filter(|z| {
                matches!(
                    z.allocationstate.as_deref(),
                    None | Some("") | Some("Enabled")
                )
            })
            .map(|z| {
                let detail = match text(z.description) {
                    d if d.is_empty() => format!("{} networking", text(z.networktype)),
                    d => d,
                };
                Choice {
                    id: text(z.id),
                    name: text(z.name),
                    detail,
                }
            })
            .collect())
    }

    async fn templates(&self, zone_id: &str) -> Result<Vec<Choice>> {
        let mut list = self
            .client
            .list_templates(&ListTemplates {
                templatefilter: Some(TemplateFilter::Executable),
                zoneid: Some(zone_id.to_owned()),
                ..Default::default()
            })
            .await
            .or_else(not_found_as_empty)?;
        list.retain(|t| t.zoneid.as_deref() == Some(zone_id) && t.isready.unwrap_or(true));
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list.dedup_by(|a, b| a.id == b.id);
        Ok(list
            .into_iter()
            .map(|t| {
                let detail = match text(t.ostypename) {
                    d if d.is_empty() => text(t.displaytext),
                    d => d,
                };
                Choice {
                    id: text(t.id),
                    name: text(t.name),
                    detail,
                }
            })
            .collect())
    }

    async fn offerings(&self) -> Result<Vec<Choice>> {
        let list = self
            .client
            .list_service_offerings(&ListServiceOfferings::default())
            .await?;
        Ok(list
            .into_iter()
            .filter(|o| !o.issystem.unwrap_or(false))
            .map(|o| Choice {
                detail: format!(
                    "{} vCPU · {}",
                    o.cpunumber.unwrap_or_default(),
                    memory(o.memory.unwrap_or_default())
                ),
                id: text(o.id),
                name: text(o.name),
            })
            .collect())
    }

    async fn keypairs(&self) -> Result<Vec<Choice>> {
        let list = self
            .client
            .list_ssh_key_pairs(&ListSshKeyPairs::default())
            .await?;
        Ok(list
            .into_iter()
            .map(|k| Choice {
                id: text(k.name.clone()),
                name: text(k.name),
                detail: text(k.fingerprint),
            })
            .collect())
    }

    async fn networks(&self, zone_id: &str) -> Result<Vec<Choice>> {
        let list = self
            .client
            .list_networks(&ListNetworks {
                zoneid: Some(zone_id.to_owned()),
                ..Default::default()
            })
            .await
            .or_else(not_found_as_empty)?;
        Ok(list
            .into_iter()
            .filter(|n| {
                matches!(n.zoneid.as_deref(), None | Some(""))
                    || n.zoneid.as_deref() == Some(zone_id)
            })
            .map(|n| {
                let detail = match text(n.cidr) {
                    d if d.is_empty() => text(n.network_type),
                    d => d,
                };
                Choice {
                    id: text(n.id),
                    name: text(n.name),
                    detail,
                }
            })
            .collect())
    }

    /// Refuses a template that is not available in the chosen zone before submitting.
    async fn deploy(&self, req: &DeployRequest) -> Result<Job> {
        let templates = self
            .client
            .list_templates(&ListTemplates {
                templatefilter: Some(TemplateFilter::Executable),
                zoneid: Some(req.zone_id.clone()),
                id: Some(req.template_id.clone()),
                ..Default::default()
            })
            .await
            .or_else(not_found_as_empty)?;
        if !templates.iter().any(|t| {
            t.id.as_deref() == Some(req.template_id.as_str())
                && t.zoneid.as_deref() == Some(req.zone_id.as_str())
        }) {
            return Err(AppError::Invalid(format!(
                "template {} is not available in zone {}",
                req.template_id, req.zone_id
            )));
        }
        let mut deploy = DeployVirtualMachine::new(
            req.zone_id.clone(),
            req.offering_id.clone(),
            req.template_id.clone(),
        );
        deploy.name = Some(req.name.clone());
        deploy.displayname = Some(req.name.clone());
        if let Some(k) = req.keypair.as_ref().filter(|k| !k.is_empty()) {
            deploy.keypair = Some(k.clone());
        }
        if let Some(n) = req.network_id.as_ref().filter(|n| !n.is_empty()) {
            deploy.networkids = Some(vec![n.clone()]);
        }
        let job = self.client.deploy_virtual_machine(&deploy).await?;
        let vm_id = job.id().map(str::to_owned);
        Ok(vm_job(job, vm_id))
    }

    async fn vm_action(&self, id: &str, action: VmAction) -> Result<Job> {
        let c = &self.client;
        let vm = Some(id.to_owned());
        Ok(match action {
            VmAction::Start => vm_job(c.start_virtual_machine(id).await?, vm),
            VmAction::Stop => vm_job(c.stop_virtual_machine(id, false).await?, vm),
            VmAction::ForceStop => vm_job(c.stop_virtual_machine(id, true).await?, vm),
            VmAction::Reboot => vm_job(c.reboot_virtual_machine(id).await?, vm),
            VmAction::Destroy => gone_job(c.destroy_virtual_machine(id, false).await?, id, false),
            VmAction::DestroyExpunge => {
                gone_job(c.destroy_virtual_machine(id, true).await?, id, true)
            }
        })
    }

    async fn vm_metrics(&self, id: &str) -> Result<VmMetrics> {
        let vm = self
            .client
            .list_virtual_machines_metrics(&ListVirtualMachines {
                id: Some(id.to_owned()),
                listall: Some(true),
                ..Default::default()
            })
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::NotFound(format!("virtual machine {id}")))?;
        Ok(VmMetrics {
            cpu_used: vm.cpuused.unwrap_or_default(),
            memory_used_kib: None,
            network_read_kib: vm.networkkbsread,
            network_write_kib: vm.networkkbswrite,
            disk_read_kib: vm.diskkbsread,
            disk_write_kib: vm.diskkbswrite,
            disk_read_ops: vm.diskioread,
            disk_write_ops: vm.diskiowrite,
        })
    }

    async fn kube_versions(&self, zone_id: Option<&str>) -> Result<Vec<KubeVersion>> {
        self.kube_versions_of(zone_id).await
    }

    async fn kube_offerings(&self) -> Result<Vec<KubeOffering>> {
        self.kube_offerings_of().await
    }

    async fn kube_plan(&self, req: &CreateCluster) -> Result<ClusterPlan> {
        self.kube_plan_of(req).await
    }

    async fn kube_create(&self, req: &CreateCluster) -> Result<Job> {
        self.kube_create_of(req).await
    }

    async fn kube_action(&self, cluster: &ClusterRow, action: &ClusterAction) -> Result<Job> {
        self.kube_action_of(cluster, action).await
    }

    async fn kubeconfig(&self, cluster_id: &str) -> Result<Zeroizing<String>> {
        self.kubeconfig_of(cluster_id).await
    }

    async fn operate(&self, op: &Operation) -> Result<Job> {
        self.operate_of(op).await
    }

    async fn lb_members(&self, lb_id: &str) -> Result<Vec<LbMemberRow>> {
        self.lb_members_of(lb_id).await
    }

    async fn network_offerings(&self, zone_id: &str, for_vpc: bool) -> Result<Vec<Choice>> {
        self.network_offerings_of(zone_id, for_vpc).await
    }

    fn cloudstack(&self) -> Option<&Client> {
        Some(&self.client)
    }
}
