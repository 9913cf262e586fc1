//! What the shell pushes while the app runs: the connection, data changes and job progress.

use akashone_types::{ConnectionStatus, JobEvent, JobPhase};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Live state shared by every page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// The connection, once known.
    pub status: Option<ConnectionStatus>,
    /// Bumped whenever cached lists change, so pages re-query.
    pub data_version: u32,
    /// Recent jobs by task id (running ones and the last finished ones).
    pub jobs: BTreeMap<u64, JobEvent>,
    /// Recent Kubernetes cluster jobs by task id (their `vm_id`/`vm_name` are the cluster's).
    pub kube_jobs: BTreeMap<u64, JobEvent>,
    /// Recent network and storage operations by task id (`action` is the operation's name,
    /// `vm_id`/`vm_name` the resource's id and name when known).
    pub resource_jobs: BTreeMap<u64, JobEvent>,
    /// Bumped when something on the central server changed here (a tenant, a role, a user), so
    /// the lists that show it (the top bar's tenant selector among them) load again.
    pub central_version: u32,
    /// The user signed out from this console (rather than the session ending by itself).
    pub signed_out_here: bool,
}

/// Changes to [`Live`].
// Each action is dispatched once and consumed at once; boxing the status would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum LiveAction {
    Status(ConnectionStatus),
    DataChanged,
    Job(JobEvent),
    /// Progress of a Kubernetes cluster's job.
    KubeJob(JobEvent),
    /// Progress of a network or storage operation.
    ResourceJob(JobEvent),
    /// Something changed on the central server through this console.
    CentralChanged,
    /// The user signed out here; the status that says so follows.
    SignedOutHere,
}

/// How many finished jobs are remembered.
const KEEP_FINISHED: usize = 20;

impl Reducible for Live {
    type Action = LiveAction;
    fn reduce(self: Rc<Self>, action: LiveAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            // A reply that left before the latest event must not undo it.
            LiveAction::Status(s) if next.status.as_ref().is_some_and(|c| c.seq > s.seq) => {}
            LiveAction::Status(s) => {
                if s.reachability != akashone_types::Reachability::SignedOut {
                    next.signed_out_here = false;
                }
                next.status = Some(s);
            }
            LiveAction::SignedOutHere => next.signed_out_here = true,
            LiveAction::DataChanged => next.data_version = next.data_version.wrapping_add(1),
            LiveAction::CentralChanged => {
                next.central_version = next.central_version.wrapping_add(1)
            }
            LiveAction::Job(ev) => remember(&mut next.jobs, ev),
            LiveAction::KubeJob(ev) => remember(&mut next.kube_jobs, ev),
            LiveAction::ResourceJob(ev) => remember(&mut next.resource_jobs, ev),
        }
        Rc::new(next)
    }
}

/// Records a job's latest event, forgetting the oldest finished ones beyond [`KEEP_FINISHED`].
fn remember(jobs: &mut BTreeMap<u64, JobEvent>, ev: JobEvent) {
    jobs.insert(ev.task_id, ev);
    let finished: Vec<u64> = jobs
        .values()
        .filter(|j| matches!(j.phase, JobPhase::Succeeded | JobPhase::Failed))
        .map(|j| j.task_id)
        .collect();
    if finished.len() > KEEP_FINISHED {
        for id in &finished[..finished.len() - KEEP_FINISHED] {
            jobs.remove(id);
        }
    }
}

/// Whether a job is about this cluster (or network or storage resource): by id, or by name while
/// a create has no id yet.
fn is_about(j: &JobEvent, id: &str, name: &str) -> bool {
    match j.vm_id.as_deref() {
        Some(v) => v == id,
        None => j.vm_name == name,
    }
}

impl Live {
    /// The running job on a Kubernetes cluster, if any.
    pub fn kube_running(&self, id: &str, name: &str) -> Option<&JobEvent> {
        self.kube_jobs.values().rev().find(|j| {
            is_about(j, id, name) && matches!(j.phase, JobPhase::Submitting | JobPhase::Running)
        })
    }

    /// The latest job of this run on a Kubernetes cluster, running or finished.
    pub fn kube_latest(&self, id: &str, name: &str) -> Option<&JobEvent> {
        self.kube_jobs
            .values()
            .rev()
            .find(|j| is_about(j, id, name))
    }

    /// The latest failed job of this run on a Kubernetes cluster (why it is in Alert).
    pub fn kube_failed(&self, id: &str, name: &str) -> Option<&JobEvent> {
        self.kube_jobs
            .values()
            .rev()
            .find(|j| is_about(j, id, name) && j.phase == JobPhase::Failed)
    }

    /// Creates of this run (under way, or failed): the jobs named `create`, or without a cluster
    /// id yet.
    pub fn kube_creates(&self) -> impl Iterator<Item = &JobEvent> {
        self.kube_jobs.values().filter(|j| {
            (j.action == "create" || j.vm_id.is_none()) && j.phase != JobPhase::Succeeded
        })
    }

    /// The latest network or storage operation running on a resource (by id, or by name while
    /// the event has no id), if any.
    pub fn resource_running(&self, id: &str, name: &str) -> Option<&JobEvent> {
        self.resource_jobs.values().rev().find(|j| {
            is_about(j, id, name) && matches!(j.phase, JobPhase::Submitting | JobPhase::Running)
        })
    }

    /// The running job on a VM, if any.
    pub fn running_job_on(&self, vm_id: &str) -> Option<&JobEvent> {
        self.jobs.values().find(|j| {
            j.vm_id.as_deref() == Some(vm_id)
                && matches!(j.phase, JobPhase::Submitting | JobPhase::Running)
        })
    }

    /// Whether actions can reach the cloud now, and if not, why.
    pub fn can_act(&self) -> Result<(), String> {
        use akashone_types::Reachability::*;
        match self.status.as_ref().map(|s| s.reachability) {
            Some(Online) => Ok(()),
            Some(Offline) => Err("Offline: the cloud cannot be reached right now".into()),
            Some(Connecting) => Err("Still connecting".into()),
            Some(SignedOut) => Err("Signed out: sign in again to act on the cloud".into()),
            Some(NotConnected) | None => Err("No connection profile is active".into()),
        }
    }
}

/// The live state handle.
#[hook]
pub fn use_live() -> UseReducerHandle<Live> {
    use_context::<UseReducerHandle<Live>>().expect("Live is provided by the shell")
}
