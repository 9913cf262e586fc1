//! VM actions and deploys as background jobs with live progress, the deploy wizard's choices,
//! and live metrics.

use crate::console::{Console, Session};
use crate::error::{AppError, Result};
use crate::sync::note_call;
use akashone_cloudstack::api::{
    DeployVirtualMachine, ListNetworks, ListServiceOfferings, ListSshKeyPairs, ListTemplates,
    ListVirtualMachines, ListZones, TemplateFilter,
};
use akashone_cloudstack::model::VirtualMachine;
use akashone_cloudstack::{AsyncJob, JobOptions, JobProgress};
use akashone_types::{Choice, DeployRequest, JobEvent, JobPhase, VmAction, VmMetrics};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest a VM job is waited for before it is reported as timed out.
const JOB_TIMEOUT: Duration = Duration::from_secs(30 * 60);

impl Console {
    /// Starts `action` on a VM. Checks the cached state first (CloudStack would refuse anyway,
    /// but the user learns why at once). Progress arrives as job events; returns the task id.
    pub async fn vm_action(self: &Arc<Self>, id: &str, action: VmAction) -> Result<u64> {
        let session = self.require_session()?;
        self.require_online(&session)?;
        let vm = self.vm_get(id)?;
        if !action.allowed_in(&vm.state) {
            return Err(AppError::Invalid(format!(
                "cannot {} {}: it is {}",
                action.verb(),
                vm.name,
                vm.state
            )));
        }
        let task = self.next_task_id();
        let mut event = JobEvent {
            task_id: task,
            job_id: None,
            vm_id: Some(vm.id.clone()),
            vm_name: vm.name.clone(),
            action: action.verb().to_owned(),
            phase: JobPhase::Submitting,
            polls: 0,
            elapsed_ms: 0,
            error: None,
        };
        self.events.job(&event);
        if let Some(link) = session.central().cloned() {
            return self
                .central_vm_action(session, link, vm.id.clone(), action, event)
                .await;
        }
        let client = session.cs()?;
        let submitted = match action {
            VmAction::Start => client.start_virtual_machine(id).await.map(Job::Vm),
            VmAction::Stop => client.stop_virtual_machine(id, false).await.map(Job::Vm),
            VmAction::ForceStop => client.stop_virtual_machine(id, true).await.map(Job::Vm),
            VmAction::Reboot => client.reboot_virtual_machine(id).await.map(Job::Vm),
            VmAction::Destroy => client
                .destroy_virtual_machine(id, false)
                .await
                .map(Job::Gone),
            VmAction::DestroyExpunge => client
                .destroy_virtual_machine(id, true)
                .await
                .map(Job::Gone),
        };
        let job = match submitted {
            Ok(job) => job,
            Err(e) => {
                note_call(self, &session, Err(&e));
                event.phase = JobPhase::Failed;
                event.error = Some(e.to_string());
                self.events.job(&event);
                return Err(e.into());
            }
        };
        let expunge = action == VmAction::DestroyExpunge;
        let destroy = matches!(action, VmAction::Destroy | VmAction::DestroyExpunge);
        let vm_id = vm.id.clone();
        self.follow(session, job, event, move |session, vm| match vm {
            _ if expunge => session.store.remove_vm(&vm_id),
            Some(vm) if vm.id.as_deref().is_some_and(|i| !i.is_empty()) => {
                session.store.put_vm(&vm)
            }
            _ if destroy => session.store.set_vm_state(&vm_id, "Destroyed"),
            _ => Ok(()),
        });
        Ok(task)
    }

    /// Deploys a VM from the wizard. Refuses a template that is not available in the chosen
    /// zone, an unknown offering and a name CloudStack would refuse.
    pub async fn deploy_vm(self: &Arc<Self>, req: &DeployRequest) -> Result<u64> {
        let session = self.require_session()?;
        self.require_online(&session)?;
        if let Some(problem) = akashone_types::vm_name_problem(&req.name) {
            return Err(AppError::Invalid(format!(
                "VM name {:?}: {problem}",
                req.name
            )));
        }
        for (what, v) in [
            ("a zone", &req.zone_id),
            ("a template", &req.template_id),
            ("a service offering", &req.offering_id),
        ] {
            if v.trim().is_empty() {
                return Err(AppError::Invalid(format!("Choose {what}.")));
            }
        }
        if let Some(link) = session.central().cloned() {
            let task = self.next_task_id();
            let event = JobEvent {
                task_id: task,
                job_id: None,
                vm_id: None,
                vm_name: req.name.clone(),
                action: "deploy".into(),
                phase: JobPhase::Submitting,
                polls: 0,
                elapsed_ms: 0,
                error: None,
            };
            self.events.job(&event);
            return self.central_deploy(session, link, req, event).await;
        }
        let client = session.cs()?;
        let templates = client
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
        let task = self.next_task_id();
        let mut event = JobEvent {
            task_id: task,
            job_id: None,
            vm_id: None,
            vm_name: req.name.clone(),
            action: "deploy".into(),
            phase: JobPhase::Submitting,
            polls: 0,
            elapsed_ms: 0,
            error: None,
        };
        self.events.job(&event);
        let job = match client.deploy_virtual_machine(&deploy).await {
            Ok(job) => job,
            Err(e) => {
                note_call(self, &session, Err(&e));
                event.phase = JobPhase::Failed;
                event.error = Some(e.to_string());
                self.events.job(&event);
                return Err(e.into());
            }
        };
        event.vm_id = job.id().map(str::to_owned);
        self.follow(session, Job::Vm(job), event, |session, vm| match vm {
            Some(vm) => session.store.put_vm(&vm),
            None => Ok(()),
        });
        Ok(task)
    }

    /// Waits for a job in the background, reporting progress, then lets `done` update the cache.
    fn follow<F>(self: &Arc<Self>, session: Arc<Session>, job: Job, mut event: JobEvent, done: F)
    where
        F: FnOnce(&Session, Option<VirtualMachine>) -> Result<()> + Send + 'static,
    {
        let console = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            event.job_id = Some(job.jobid().to_owned());
            event.phase = JobPhase::Running;
            console.events.job(&event);
            let progress = {
                let console = console.clone();
                let event = event.clone();
                move |p: &JobProgress| {
                    let mut e = event.clone();
                    e.polls = p.polls;
                    e.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                    console.events.job(&e);
                }
            };
            let opts = JobOptions::default()
                .with_timeout(JOB_TIMEOUT)
                .with_cancel(session.stop.clone())
                .with_progress(progress);
            let result = match job {
                Job::Vm(j) => j.wait(&opts).await.map(Some),
                Job::Gone(j) => j.wait(&opts).await,
            };
            event.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            match result {
                Ok(vm) => {
                    note_call(&console, &session, Ok(()));
                    if event.vm_id.is_none() {
                        event.vm_id = vm.as_ref().and_then(|v| v.id.clone());
                    }
                    if let Err(e) = done(&session, vm) {
                        tracing::warn!(error = %e, "could not update the cache after a job");
                    }
                    event.phase = JobPhase::Succeeded;
                    console.events.job(&event);
                    console.events.data_changed();
                }
                Err(e) => {
                    note_call(&console, &session, Err(&e));
                    event.phase = JobPhase::Failed;
                    event.error = Some(e.to_string());
                    console.events.job(&event);
                    // The VM's state may have changed anyway (e.g. a deploy that failed late).
                    crate::sync::sync_once(&console, &session).await;
                }
            }
        });
    }

    fn require_online(&self, session: &Session) -> Result<()> {
        let st = session
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if st.reachability == akashone_types::Reachability::Offline {
            return Err(AppError::Offline(
                st.last_error.unwrap_or_else(|| "no answer".into()),
            ));
        }
        Ok(())
    }

    /// Live metrics of one VM.
    pub async fn vm_metrics(&self, id: &str) -> Result<VmMetrics> {
        let session = self.require_session()?;
        let result = session
            .cs()?
            .list_virtual_machines_metrics(&ListVirtualMachines {
                id: Some(id.to_owned()),
                listall: Some(true),
                ..Default::default()
            })
            .await;
        note_call(self, &session, result.as_ref().map(|_| ()));
        let vm = result?
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

    /// Zones to deploy into.
    pub async fn deploy_zones(&self) -> Result<Vec<Choice>> {
        let s = self.require_session()?;
        if s.central().is_some() {
            return self.central_zones().await;
        }
        let zones = s.cs()?.list_zones(&ListZones::default()).await?;
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

    /// Templates ready to use in a zone.
    pub async fn deploy_templates(&self, zone_id: &str) -> Result<Vec<Choice>> {
        if zone_id.trim().is_empty() {
            return Err(AppError::Invalid("Choose a zone first.".into()));
        }
        let s = self.require_session()?;
        if s.central().is_some() {
            return self.central_templates(zone_id).await;
        }
        let mut list = s
            .cs()?
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

    /// Service offerings.
    pub async fn deploy_offerings(&self) -> Result<Vec<Choice>> {
        let s = self.require_session()?;
        if s.central().is_some() {
            return self.central_offerings().await;
        }
        let list = s
            .cs()?
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

    /// SSH key pairs of the caller.
    pub async fn deploy_keypairs(&self) -> Result<Vec<Choice>> {
        let s = self.require_session()?;
        // The central server deploys without key pairs (see `central_deploy`).
        if s.central().is_some() {
            return Ok(Vec::new());
        }
        let list = s
            .cs()?
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

    /// Guest networks in a zone.
    pub async fn deploy_networks(&self, zone_id: &str) -> Result<Vec<Choice>> {
        if zone_id.trim().is_empty() {
            return Err(AppError::Invalid("Choose a zone first.".into()));
        }
        let s = self.require_session()?;
        // The central server deploys into the tenant's default network.
        if s.central().is_some() {
            return Ok(Vec::new());
        }
        let list = s
            .cs()?
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
}

fn text(v: Option<String>) -> String {
    v.unwrap_or_default()
}

enum Job {
    Vm(AsyncJob<VirtualMachine>),
    Gone(AsyncJob<Option<VirtualMachine>>),
}

impl Job {
    fn jobid(&self) -> &str {
        match self {
            Self::Vm(j) => j.jobid(),
            Self::Gone(j) => j.jobid(),
        }
    }
}

/// Some CloudStack versions answer an empty filtered list with 431 "not found": treat as empty.
fn not_found_as_empty<T>(e: akashone_cloudstack::Error) -> akashone_cloudstack::Result<Vec<T>> {
    if e.code() == akashone_types::ErrorCode::NotFound {
        Ok(Vec::new())
    } else {
        Err(e)
    }
}

pub(crate) fn memory(mb: i64) -> String {
    if mb >= 1024 && mb % 1024 == 0 {
        format!("{} GB", mb / 1024)
    } else {
        format!("{mb} MB")
    }
}
