//! What a profile talks to, behind one interface: [`Cloud`].
//!
//! Two implementations: [`DirectCloud`] signs CloudStack API calls with the user's keys (a real
//! cloud, or the demo simulator), [`CentralCloud`] goes through an AkashOne central server with
//! a signed-in session. The console, the sync loop and the heartbeat only ever see `dyn Cloud`;
//! what only a central server offers (sign-in, administration, sellers, invoices) is reached
//! through [`Cloud::central`], the one extension point.
//!
//! Everything a cloud hands back is already in the offline cache's own rows
//! ([`akashone_cache::sync::Snapshot`], [`Outcome`]): neither backend builds the other's models.

pub(crate) mod central;
mod direct;
mod direct_kube;
mod direct_resources;
#[cfg(test)]
mod fake;

pub(crate) use central::CentralCloud;
pub(crate) use direct::DirectCloud;

use crate::error::Result;
use crate::store::Store;
use akashone_cache::sync::Snapshot;
use akashone_cache::{KubernetesCluster, ListKind, Stored, Vm};
use akashone_cloudstack::{CancellationToken, Client};
use akashone_types::central::Me;
use akashone_types::kubernetes::{
    ClusterAction, ClusterPlan, ClusterRow, CreateCluster, KubeOffering, KubeVersion,
};
use akashone_types::network::LbMemberRow;
use akashone_types::ops::Operation;
use akashone_types::{ActingTenant, Choice, ConsoleBrand, DeployRequest, VmAction, VmMetrics};
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// Who is signed in, the tenant whose data is shown, and the brand shown (central profiles).
#[derive(Debug, Clone, Default)]
pub(crate) struct Identity {
    pub(crate) user: Option<Me>,
    pub(crate) acting_as: Option<ActingTenant>,
    pub(crate) brand: Option<ConsoleBrand>,
}

/// Called with the number of polls so far while a job runs.
pub(crate) type Progress = Arc<dyn Fn(u32) + Send + Sync>;

/// How a job is waited for.
pub(crate) struct Watch {
    /// Stops waiting (the profile was closed).
    pub(crate) cancel: CancellationToken,
    /// Longest wait before the job is reported as timed out.
    pub(crate) timeout: Duration,
    /// Progress while waiting.
    pub(crate) progress: Progress,
}

/// What a finished job changes in the cache.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The VM as it is now.
    Vm(Box<Stored<Vm>>),
    /// The VM is gone (expunged, or no longer listed).
    Removed,
    /// The VM is destroyed but still recoverable.
    Destroyed,
    /// Nothing to change.
    Unchanged,
    /// The Kubernetes cluster as it is now.
    Cluster(Box<Stored<KubernetesCluster>>),
    /// A network or storage operation finished: these lists are read again.
    Changed {
        /// The lists it may have changed.
        lists: Vec<ListKind>,
        /// What it did, in one sentence.
        message: String,
        /// What it created or acted on, when one thing.
        id: Option<String>,
    },
}

/// A submitted VM job: its ids as far as known, and how to wait for its end.
pub(crate) struct Job {
    /// The backend's job id (CloudStack's async job), when it has one.
    pub(crate) job_id: Option<String>,
    /// The VM concerned, when known at submission.
    pub(crate) vm_id: Option<String>,
    /// Waits for the end of the job.
    pub(crate) wait: Box<dyn FnOnce(Watch) -> BoxFuture<'static, Result<Outcome>> + Send>,
}

/// A cloud a profile talks to (see the module documentation).
#[async_trait::async_trait]
pub(crate) trait Cloud: Send + Sync {
    /// Whether the cloud can be asked anything now (a central profile needs a session).
    fn ready(&self) -> bool {
        true
    }

    /// A cheap call that tells whether the cloud answers (the heartbeat).
    async fn probe(&self) -> Result<()>;

    /// Every list the cloud serves, as cache rows; a list that fails holds its error.
    async fn snapshot(&self) -> Result<Snapshot>;

    /// Only these lists (a sync after an operation); everything, where the backend cannot
    /// fetch some lists alone.
    async fn snapshot_of(&self, kinds: &[ListKind]) -> Result<Snapshot> {
        let _ = kinds;
        self.snapshot().await
    }

    /// What else a sync keeps once the snapshot is stored (a central server's brand and
    /// invoices).
    async fn after_sync(&self, _store: &Store) -> Result<()> {
        Ok(())
    }

    /// The profile's cache was opened: show what it kept (a central profile's brand).
    fn opened(&self, _store: &Store) {}

    /// Who is signed in and what is shown (nothing for a direct profile).
    fn identity(&self) -> Identity {
        Identity::default()
    }

    /// The session ended: forget its credentials.
    fn forget(&self) {}

    /// Zones to deploy into.
    async fn zones(&self) -> Result<Vec<Choice>>;
    /// Templates ready to use in a zone.
    async fn templates(&self, zone_id: &str) -> Result<Vec<Choice>>;
    /// Compute offerings.
    async fn offerings(&self) -> Result<Vec<Choice>>;
    /// SSH key pairs of the caller (none where deploys take no key pair).
    async fn keypairs(&self) -> Result<Vec<Choice>>;
    /// Guest networks in a zone (none where deploys choose the network themselves).
    async fn networks(&self, zone_id: &str) -> Result<Vec<Choice>>;

    /// Submits a deploy (the request is checked for completeness by the console).
    async fn deploy(&self, req: &DeployRequest) -> Result<Job>;
    /// Submits an action on a VM (its cached state already allows it).
    async fn vm_action(&self, vm_id: &str, action: VmAction) -> Result<Job>;
    /// Live metrics of one VM.
    async fn vm_metrics(&self, vm_id: &str) -> Result<VmMetrics>;

    /// Kubernetes versions of a zone (every zone's when `None`).
    async fn kube_versions(&self, zone_id: Option<&str>) -> Result<Vec<KubeVersion>>;
    /// Compute offerings with their vCPUs and memory.
    async fn kube_offerings(&self) -> Result<Vec<KubeOffering>>;
    /// The review of a new cluster: the rules, the owner's limits and the monthly cost.
    async fn kube_plan(&self, req: &CreateCluster) -> Result<ClusterPlan>;
    /// Submits a new cluster (its plan has no problems). The job's outcome is
    /// [`Outcome::Cluster`].
    async fn kube_create(&self, req: &CreateCluster) -> Result<Job>;
    /// Submits an action on a cluster (its cached state allows it). The outcome is
    /// [`Outcome::Cluster`], or [`Outcome::Removed`] after a delete.
    async fn kube_action(&self, cluster: &ClusterRow, action: &ClusterAction) -> Result<Job>;
    /// The cluster's kubeconfig (an admin credential: never logged).
    async fn kubeconfig(&self, cluster_id: &str) -> Result<Zeroizing<String>>;

    /// Runs a network or storage operation (already checked by the console).
    async fn operate(&self, op: &Operation) -> Result<Job>;

    /// The members of a load balancer rule with their state.
    async fn lb_members(&self, lb_id: &str) -> Result<Vec<LbMemberRow>>;

    /// Network offerings for new isolated networks in a zone (or for VPC tiers).
    async fn network_offerings(&self, zone_id: &str, for_vpc: bool) -> Result<Vec<Choice>>;

    /// The central server's own features, when this is a central server.
    fn central(self: Arc<Self>) -> Option<Arc<CentralCloud>> {
        None
    }

    /// The CloudStack client, for raw API calls, when this talks to CloudStack directly.
    fn cloudstack(&self) -> Option<&Client> {
        None
    }
}

/// Memory as the wizard shows it.
pub(crate) fn memory(mb: i64) -> String {
    if mb >= 1024 && mb % 1024 == 0 {
        format!("{} GB", mb / 1024)
    } else {
        format!("{mb} MB")
    }
}

/// A job the server runs to its end inside one call: waiting is making the call.
pub(crate) fn waited_by_server<F>(vm_id: Option<String>, call: F) -> Job
where
    F: Future<Output = Result<Outcome>> + Send + 'static,
{
    Job {
        job_id: None,
        vm_id,
        wait: Box::new(move |_watch| Box::pin(call)),
    }
}
