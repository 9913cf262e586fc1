//! VM actions, deploys and the deploy wizard's choices through the central server, reported
//! with the same job events as a direct profile.

use std::sync::Arc;

use akashone_central::{CentralError, VmOperation};
use akashone_types::central::{DeployVm, VmOut};
use akashone_types::{Choice, DeployRequest, JobEvent, JobPhase, VmAction};

use super::{Link, choice, note_call, vm_model};
use crate::console::{Console, Session};
use crate::error::{AppError, Result};
use crate::store::Store;

impl Console {
    // ---- VMs and the deploy wizard through the server -------------------------------------------

    /// Runs a VM action through the server (which waits for CloudStack's job), reporting the
    /// same job events as a direct profile.
    pub(crate) async fn central_vm_action(
        self: &Arc<Self>,
        session: Arc<Session>,
        link: Arc<Link>,
        vm_id: String,
        action: VmAction,
        event: JobEvent,
    ) -> Result<u64> {
        let op = match action {
            VmAction::Start => Some(VmOperation::Start),
            VmAction::Stop => Some(VmOperation::Stop),
            VmAction::Reboot => Some(VmOperation::Reboot),
            VmAction::Destroy => None,
            VmAction::ForceStop => {
                return Err(AppError::Invalid(
                    "A forced stop is not offered through the central server; use Stop.".into(),
                ));
            }
            VmAction::DestroyExpunge => {
                return Err(AppError::Invalid(
                    "The central server destroys without expunging (an administrator can still recover the VM); untick Expunge.".into(),
                ));
            }
        };
        let client = link.client()?;
        let task = event.task_id;
        let cached_id = vm_id.clone();
        self.run_central_job(
            session,
            event,
            async move {
                match op {
                    Some(op) => client.operate(&vm_id, op).await.map(Some),
                    None => client.destroy(&vm_id).await.map(|()| None),
                }
            },
            // The server no longer lists a destroyed VM: neither does the cache.
            move |store, vm| match vm {
                Some(vm) => store.put_vm(&vm_model(&vm)),
                None => store.remove_vm(&cached_id),
            },
        );
        Ok(task)
    }

    /// Deploys through the server into the acting tenant.
    pub(crate) async fn central_deploy(
        self: &Arc<Self>,
        session: Arc<Session>,
        link: Arc<Link>,
        req: &DeployRequest,
        event: JobEvent,
    ) -> Result<u64> {
        if req.keypair.as_ref().is_some_and(|k| !k.is_empty())
            || req.network_id.as_ref().is_some_and(|n| !n.is_empty())
        {
            return Err(AppError::Invalid(
                "The central server deploys into the tenant's default network without an SSH key pair; leave both empty.".into(),
            ));
        }
        let client = link.client()?;
        let form = DeployVm {
            tenant_id: link.acting_id(),
            name: Some(req.name.clone()),
            zone_id: req.zone_id.clone(),
            template_id: req.template_id.clone(),
            service_offering_id: req.offering_id.clone(),
        };
        let task = event.task_id;
        self.run_central_job(
            session,
            event,
            async move { client.deploy(&form).await.map(Some) },
            |store, vm| match vm {
                Some(vm) => store.put_vm(&vm_model(&vm)),
                None => Ok(()),
            },
        );
        Ok(task)
    }

    fn run_central_job<Fut, F>(
        self: &Arc<Self>,
        session: Arc<Session>,
        mut event: JobEvent,
        call: Fut,
        done: F,
    ) where
        Fut: std::future::Future<Output = std::result::Result<Option<VmOut>, CentralError>>
            + Send
            + 'static,
        F: FnOnce(&Store, Option<VmOut>) -> Result<()> + Send + 'static,
    {
        let console = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            event.phase = JobPhase::Running;
            console.events.job(&event);
            let result = call.await;
            event.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            match result {
                Ok(vm) => {
                    if event.vm_id.is_none() {
                        event.vm_id = vm.as_ref().map(|v| v.id.clone());
                    }
                    if let Err(e) = done(&session.store, vm) {
                        tracing::warn!(error = %e, "could not update the cache after a job");
                    }
                    event.phase = JobPhase::Succeeded;
                    console.events.job(&event);
                    console.events.data_changed();
                }
                Err(e) => {
                    note_call(&console, &session, &e);
                    event.phase = JobPhase::Failed;
                    event.error = Some(e.to_string());
                    console.events.job(&event);
                    if !e.is_unauthorized() {
                        crate::sync::sync_once(&console, &session).await;
                    }
                }
            }
        });
    }

    /// Zones the acting tenant can deploy into.
    pub(crate) async fn central_zones(&self) -> Result<Vec<Choice>> {
        let zones = self
            .with_central(|c, t| async move { c.zones(t.as_deref()).await })
            .await?;
        Ok(zones
            .into_iter()
            .map(|z| choice(z.id, z.name, String::new()))
            .collect())
    }

    /// Templates of a zone for the acting tenant.
    pub(crate) async fn central_templates(&self, zone_id: &str) -> Result<Vec<Choice>> {
        let zone = zone_id.to_owned();
        let list = self
            .with_central(|c, t| async move { c.templates(t.as_deref(), &zone).await })
            .await?;
        Ok(list
            .into_iter()
            .map(|t| {
                let detail = if t.os_type.is_empty() {
                    t.display_text
                } else {
                    t.os_type
                };
                choice(t.id, t.name, detail)
            })
            .collect())
    }

    /// Compute offerings for the acting tenant.
    pub(crate) async fn central_offerings(&self) -> Result<Vec<Choice>> {
        let list = self
            .with_central(|c, t| async move { c.offerings(t.as_deref()).await })
            .await?;
        Ok(list
            .into_iter()
            .map(|o| {
                let detail = format!(
                    "{} vCPU · {}",
                    o.cpu_number,
                    crate::vms::memory(o.memory_mb)
                );
                choice(o.id, o.name, detail)
            })
            .collect())
    }
}
