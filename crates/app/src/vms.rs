//! VM actions and deploys as background jobs with live progress, the deploy wizard's choices,
//! and live metrics — the same for every kind of profile: the profile's
//! [`crate::cloud::Cloud`] submits, the console follows the job and updates the cache.

use crate::cloud::{Job, Outcome, Watch};
use crate::console::Console;
use crate::error::{AppError, Result};
use crate::session::Session;
use akashone_types::{Choice, DeployRequest, JobEvent, JobPhase, VmAction, VmMetrics};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest a VM job is waited for before it is reported as timed out.
const JOB_TIMEOUT: Duration = Duration::from_secs(30 * 60);

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl Console {
    /// Starts `action` on a VM. Checks the cached state first (the cloud would refuse anyway,
    /// but the user learns why at once). Progress arrives as job events; returns the task id.
    pub async fn vm_action(self: &Arc<Self>, id: &str, action: VmAction) -> Result<u64> {
        let session = self.require_session()?;
        session.require_online()?;
        let vm = self.vm_get(id)?;
        if !action.allowed_in(&vm.state) {
            return Err(AppError::Invalid(format!(
                "cannot {} {}: it is {}",
                action.verb(),
                vm.name,
                vm.state
            )));
        }
        let event = self.job_event(Some(vm.id.clone()), &vm.name, action.verb());
        let submitted = session.cloud.vm_action(&vm.id, action).await;
        self.submitted(session, submitted, event)
    }

    /// Deploys a VM from the wizard. Refuses a name CloudStack would refuse and a missing
    /// choice; the cloud refuses what it cannot deploy (a template not in the zone...).
    pub async fn deploy_vm(self: &Arc<Self>, req: &DeployRequest) -> Result<u64> {
        let session = self.require_session()?;
        session.require_online()?;
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
        let event = self.job_event(None, &req.name, "deploy");
        let submitted = session.cloud.deploy(req).await;
        self.submitted(session, submitted, event)
    }

    /// A new task's first event (submitting), already reported.
    fn job_event(&self, vm_id: Option<String>, vm_name: &str, action: &str) -> JobEvent {
        let event = JobEvent {
            task_id: self.next_task_id(),
            job_id: None,
            vm_id,
            vm_name: vm_name.to_owned(),
            action: action.to_owned(),
            phase: JobPhase::Submitting,
            polls: 0,
            elapsed_ms: 0,
            error: None,
        };
        self.events.job(&event);
        event
    }

    /// Follows a submitted job, or reports why it was not submitted.
    fn submitted(
        self: &Arc<Self>,
        session: Arc<Session>,
        submitted: Result<Job>,
        mut event: JobEvent,
    ) -> Result<u64> {
        match submitted {
            Ok(job) => {
                let task = event.task_id;
                if event.vm_id.is_none() {
                    event.vm_id = job.vm_id.clone();
                }
                self.follow(session, job, event);
                Ok(task)
            }
            Err(e) => {
                self.note(&session, Err(&e));
                event.phase = JobPhase::Failed;
                event.error = Some(e.to_string());
                self.events.job(&event);
                Err(e)
            }
        }
    }

    /// Waits for a job in the background, reporting progress, then updates the cache.
    fn follow(self: &Arc<Self>, session: Arc<Session>, job: Job, mut event: JobEvent) {
        let console = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            event.job_id = job.job_id.clone();
            event.phase = JobPhase::Running;
            console.events.job(&event);
            let progress = {
                let console = console.clone();
                let event = event.clone();
                Arc::new(move |polls: u32| {
                    let mut e = event.clone();
                    e.polls = polls;
                    e.elapsed_ms = elapsed_ms(started);
                    console.events.job(&e);
                })
            };
            let watch = Watch {
                cancel: session.stop.clone(),
                timeout: JOB_TIMEOUT,
                progress,
            };
            let result = (job.wait)(watch).await;
            event.elapsed_ms = elapsed_ms(started);
            match result {
                Ok(outcome) => {
                    console.note(&session, Ok(()));
                    if let Outcome::Vm(vm) = &outcome
                        && event.vm_id.is_none()
                    {
                        event.vm_id = Some(vm.record.id.clone());
                    }
                    if let Err(e) = apply(&session, event.vm_id.as_deref(), outcome) {
                        tracing::warn!(error = %e, "could not update the cache after a job");
                    }
                    event.phase = JobPhase::Succeeded;
                    console.events.job(&event);
                    console.events.data_changed();
                }
                Err(e) => {
                    console.note(&session, Err(&e));
                    event.phase = JobPhase::Failed;
                    event.error = Some(e.to_string());
                    console.events.job(&event);
                    // The VM's state may have changed anyway (e.g. a deploy that failed late).
                    if !e.ends_session() {
                        console.sync_once(&session).await;
                    }
                }
            }
        });
    }

    /// Live metrics of one VM.
    pub async fn vm_metrics(&self, id: &str) -> Result<VmMetrics> {
        let session = self.require_session()?;
        let metrics = session.cloud.vm_metrics(id).await;
        self.noted(&session, metrics)
    }

    /// Zones to deploy into.
    pub async fn deploy_zones(&self) -> Result<Vec<Choice>> {
        let session = self.require_session()?;
        let zones = session.cloud.zones().await;
        self.noted(&session, zones)
    }

    /// Templates ready to use in a zone.
    pub async fn deploy_templates(&self, zone_id: &str) -> Result<Vec<Choice>> {
        if zone_id.trim().is_empty() {
            return Err(AppError::Invalid("Choose a zone first.".into()));
        }
        let session = self.require_session()?;
        let templates = session.cloud.templates(zone_id).await;
        self.noted(&session, templates)
    }

    /// Service offerings.
    pub async fn deploy_offerings(&self) -> Result<Vec<Choice>> {
        let session = self.require_session()?;
        let offerings = session.cloud.offerings().await;
        self.noted(&session, offerings)
    }

    /// SSH key pairs of the caller.
    pub async fn deploy_keypairs(&self) -> Result<Vec<Choice>> {
        let session = self.require_session()?;
        let keypairs = session.cloud.keypairs().await;
        self.noted(&session, keypairs)
    }

    /// Guest networks in a zone.
    pub async fn deploy_networks(&self, zone_id: &str) -> Result<Vec<Choice>> {
        if zone_id.trim().is_empty() {
            return Err(AppError::Invalid("Choose a zone first.".into()));
        }
        let session = self.require_session()?;
        let networks = session.cloud.networks(zone_id).await;
        self.noted(&session, networks)
    }
}

/// Applies a finished job to the cache.
fn apply(session: &Session, vm_id: Option<&str>, outcome: Outcome) -> Result<()> {
    match (outcome, vm_id) {
        (Outcome::Vm(vm), _) => session.store.put_vm(&vm),
        (Outcome::Removed, Some(id)) => session.store.remove_vm(id),
        (Outcome::Destroyed, Some(id)) => session.store.set_vm_state(id, "Destroyed"),
        _ => Ok(()),
    }
}
