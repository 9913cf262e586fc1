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

/// What a job acts on: its events go out under its own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A VM (`vm-job` events).
    Vm,
    /// A Kubernetes cluster (`kube-job` events).
    Cluster,
    /// A network or storage resource (`resource-job` events).
    Resource,
}

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
        // Removing a node behind CKS's back puts its cluster in Alert (apache/cloudstack#8902).
        if matches!(action, VmAction::Destroy | VmAction::DestroyExpunge)
            && let Some(c) =
                akashone_types::kubernetes::owning_cluster(&vm.id, &session.store.clusters()?)
        {
            return Err(AppError::Invalid(format!(
                "{} is a node of the Kubernetes cluster {}: scale the cluster or delete it from the Kubernetes page instead.",
                vm.name, c.name
            )));
        }
        if !action.allowed_in(&vm.state) {
            return Err(AppError::Invalid(format!(
                "cannot {} {}: it is {}",
                action.verb(),
                vm.name,
                vm.state
            )));
        }
        let event = self.job_event(Subject::Vm, Some(vm.id.clone()), &vm.name, action.verb());
        let submitted = session.cloud.vm_action(&vm.id, action).await;
        self.submitted(Subject::Vm, session, submitted, event)
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
        let event = self.job_event(Subject::Vm, None, &req.name, "deploy");
        let submitted = session.cloud.deploy(req).await;
        self.submitted(Subject::Vm, session, submitted, event)
    }

    /// A new task's first event (submitting), already reported.
    pub(crate) fn job_event(
        &self,
        subject: Subject,
        vm_id: Option<String>,
        vm_name: &str,
        action: &str,
    ) -> JobEvent {
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
            message: None,
        };
        self.emit(subject, &event);
        event
    }

    fn emit(&self, subject: Subject, event: &JobEvent) {
        match subject {
            Subject::Vm => self.events.job(event),
            Subject::Cluster => self.events.kube_job(event),
            Subject::Resource => self.events.resource_job(event),
        }
    }

    /// Follows a submitted job, or reports why it was not submitted.
    pub(crate) fn submitted(
        self: &Arc<Self>,
        subject: Subject,
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
                self.follow(subject, session, job, event);
                Ok(task)
            }
            Err(e) => {
                self.note(&session, Err(&e));
                event.phase = JobPhase::Failed;
                event.error = Some(e.to_string());
                self.emit(subject, &event);
                Err(e)
            }
        }
    }

    /// Waits for a job in the background, reporting progress, then updates the cache.
    fn follow(
        self: &Arc<Self>,
        subject: Subject,
        session: Arc<Session>,
        job: Job,
        mut event: JobEvent,
    ) {
        let console = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            event.job_id = job.job_id.clone();
            event.phase = JobPhase::Running;
            console.emit(subject, &event);
            let progress = {
                let console = console.clone();
                let event = event.clone();
                Arc::new(move |polls: u32| {
                    let mut e = event.clone();
                    e.polls = polls;
                    e.elapsed_ms = elapsed_ms(started);
                    console.emit(subject, &e);
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
                    let made = match &outcome {
                        Outcome::Vm(vm) => Some(vm.record.id.clone()),
                        Outcome::Cluster(c) => Some(c.record.id.clone()),
                        _ => None,
                    };
                    if event.vm_id.is_none() {
                        event.vm_id = made;
                    }
                    if let Outcome::Changed { lists, message, id } = &outcome {
                        event.message = Some(message.clone());
                        if event.vm_id.is_none() {
                            event.vm_id = id.clone();
                        }
                        console.sync_lists(&session, lists).await;
                    }
                    if let Err(e) = apply(&session, subject, event.vm_id.as_deref(), outcome) {
                        tracing::warn!(error = %e, "could not update the cache after a job");
                    }
                    event.phase = JobPhase::Succeeded;
                    console.emit(subject, &event);
                    console.events.data_changed();
                }
                Err(e) => {
                    console.note(&session, Err(&e));
                    event.phase = JobPhase::Failed;
                    event.error = Some(e.to_string());
                    console.emit(subject, &event);
                    // The VM's (or cluster's) state may have changed anyway (e.g. a deploy that failed late).
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
fn apply(session: &Session, subject: Subject, id: Option<&str>, outcome: Outcome) -> Result<()> {
    match (outcome, id) {
        (Outcome::Vm(vm), _) => session.store.put_vm(&vm),
        (Outcome::Cluster(c), _) => session.store.put_cluster(&c),
        (Outcome::Removed, Some(id)) if subject == Subject::Cluster => {
            session.store.remove_cluster(id)
        }
        (Outcome::Removed, Some(id)) => session.store.remove_vm(id),
        (Outcome::Destroyed, Some(id)) => session.store.set_vm_state(id, "Destroyed"),
        _ => Ok(()),
    }
}
