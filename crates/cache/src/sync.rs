//! Storing a sync: a [`Snapshot`] of the cache's own rows, written in one transaction.
//!
//! A sync is two phases. A backend fetches every list it serves into a [`Snapshot`]
//! ([`crate::cloudstack::fetch`] for a CloudStack API; the central server's rows are built by
//! the app); a list that fails is kept as its error. [`store`] then writes the whole snapshot
//! in **one** transaction: every list that came back replaces the cached one (upsert what came,
//! delete what vanished), every list that failed keeps its rows and records the error in
//! [`SyncState`](crate::SyncState). If the process dies during the write, SQLite rolls the
//! transaction back on the next open and the cache holds the previous snapshot.

use crate::Cache;
use crate::error::{Error, Result};
use crate::model::{
    DiskOffering, FirewallRule, KubernetesCluster, ListKind, LoadBalancer, Network, PortForward,
    PublicIp, ServiceOffering, SnapshotPolicy, SshKeyPair, Template, Vm, VmSnapshot, Volume,
    VolumeSnapshot, Vpc, Zone,
};
use crate::record::{Record, Stored};
use crate::store::{ProgressFn, record_failed, record_synced, replace_rows};
use akashone_types::ApiError;
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// One fetched list: `None` when it was not asked for, otherwise its rows (each with its
/// source document) or why it failed.
pub type Fetched<T> = Option<Result<Vec<Stored<T>>, ApiError>>;

/// Everything one fetch brought back, as the cache's rows.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Zones.
    pub zones: Fetched<Zone>,
    /// Templates, one per template and zone.
    pub templates: Fetched<Template>,
    /// Compute offerings.
    pub service_offerings: Fetched<ServiceOffering>,
    /// Disk offerings.
    pub disk_offerings: Fetched<DiskOffering>,
    /// Virtual machines.
    pub vms: Fetched<Vm>,
    /// Volumes.
    pub volumes: Fetched<Volume>,
    /// Guest networks.
    pub networks: Fetched<Network>,
    /// Public IP addresses.
    pub public_ips: Fetched<PublicIp>,
    /// SSH key pairs.
    pub ssh_key_pairs: Fetched<SshKeyPair>,
    /// Kubernetes clusters (empty when the cloud has no Kubernetes service).
    pub kubernetes_clusters: Fetched<KubernetesCluster>,
    /// Firewall rules: ingress on public IPs and egress of networks.
    pub firewall_rules: Fetched<FirewallRule>,
    /// Port forwarding rules.
    pub port_forwards: Fetched<PortForward>,
    /// Load balancer rules.
    pub load_balancers: Fetched<LoadBalancer>,
    /// VPCs.
    pub vpcs: Fetched<Vpc>,
    /// Volume snapshots.
    pub snapshots: Fetched<VolumeSnapshot>,
    /// Recurring snapshot policies.
    pub snapshot_policies: Fetched<SnapshotPolicy>,
    /// VM snapshots.
    pub vm_snapshots: Fetched<VmSnapshot>,
}

impl Snapshot {
    /// Why the VM list failed, when it was asked for and did.
    pub fn vms_error(&self) -> Option<&ApiError> {
        self.vms.as_ref().and_then(|r| r.as_ref().err())
    }
}

/// What happened to one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindReport {
    /// The list.
    pub kind: ListKind,
    /// Rows cached after the sync, when it succeeded.
    pub rows: Option<u64>,
    /// Why it failed (its previous rows are kept).
    pub error: Option<ApiError>,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    /// One entry per list asked for.
    pub kinds: Vec<KindReport>,
    /// Time spent fetching (ms).
    pub fetch_ms: u64,
    /// Time spent writing (ms).
    pub write_ms: u64,
}

impl SyncReport {
    /// Did every list sync?
    pub fn is_complete(&self) -> bool {
        self.kinds.iter().all(|k| k.error.is_none())
    }

    /// The report of one list.
    pub fn kind(&self, kind: ListKind) -> Option<&KindReport> {
        self.kinds.iter().find(|k| k.kind == kind)
    }
}

/// Options of a sync.
#[derive(Clone, Default)]
pub struct SyncOptions {
    /// Called while lists are written (inside the transaction).
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

struct Writer<'a, 'c> {
    tx: &'a Transaction<'c>,
    profile_id: &'a str,
    now: OffsetDateTime,
    progress: Option<&'a ProgressFn>,
    report: Vec<KindReport>,
}

impl Writer<'_, '_> {
    fn list<R: Record>(&mut self, kind: ListKind, fetched: &Fetched<R>) -> Result<()> {
        match fetched {
            None => {}
            Some(Ok(items)) => {
                let n = replace_rows(self.tx, kind, items, self.progress)?;
                record_synced(self.tx, self.profile_id, kind, self.now, n)?;
                self.report.push(KindReport {
                    kind,
                    rows: Some(n),
                    error: None,
                });
            }
            Some(Err(e)) => {
                record_failed(self.tx, self.profile_id, kind, self.now, &e.message)?;
                self.report.push(KindReport {
                    kind,
                    rows: None,
                    error: Some(e.clone()),
                });
            }
        }
        Ok(())
    }
}

/// Writes a snapshot in one transaction (see the module documentation). Blocking.
pub fn store(
    cache: &Cache,
    snapshot: &Snapshot,
    now: OffsetDateTime,
    progress: Option<&ProgressFn>,
) -> Result<Vec<KindReport>> {
    let profile_id = cache.profile_id().to_owned();
    cache
        .write(|tx| {
            let mut w = Writer {
                tx,
                profile_id: &profile_id,
                now,
                progress,
                report: Vec::new(),
            };
            w.list(ListKind::Zones, &snapshot.zones)?;
            w.list(ListKind::Templates, &snapshot.templates)?;
            w.list(ListKind::ServiceOfferings, &snapshot.service_offerings)?;
            w.list(ListKind::DiskOfferings, &snapshot.disk_offerings)?;
            w.list(ListKind::Vms, &snapshot.vms)?;
            w.list(ListKind::Volumes, &snapshot.volumes)?;
            w.list(ListKind::Networks, &snapshot.networks)?;
            w.list(ListKind::PublicIps, &snapshot.public_ips)?;
            w.list(ListKind::SshKeyPairs, &snapshot.ssh_key_pairs)?;
            w.list(ListKind::KubernetesClusters, &snapshot.kubernetes_clusters)?;
            w.list(ListKind::FirewallRules, &snapshot.firewall_rules)?;
            w.list(ListKind::PortForwards, &snapshot.port_forwards)?;
            w.list(ListKind::LoadBalancers, &snapshot.load_balancers)?;
            w.list(ListKind::Vpcs, &snapshot.vpcs)?;
            w.list(ListKind::Snapshots, &snapshot.snapshots)?;
            w.list(ListKind::SnapshotPolicies, &snapshot.snapshot_policies)?;
            w.list(ListKind::VmSnapshots, &snapshot.vm_snapshots)?;
            Ok(w.report)
        })
        .inspect(|_| cache.refresh_statistics())
}

pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Stores a snapshot on a blocking thread, then copies the WAL into the main file (a full sync
/// writes tens of MiB of WAL; a busy reader only postpones it). `fetch_ms` is how long the
/// caller spent fetching it, for the report.
pub async fn store_async(
    cache: &Cache,
    snapshot: Snapshot,
    now: OffsetDateTime,
    options: &SyncOptions,
    fetch_ms: u64,
) -> Result<SyncReport> {
    let started = Instant::now();
    let cache = cache.clone();
    let progress = options.progress.clone();
    let kinds = tokio::task::spawn_blocking(move || {
        let kinds = store(&cache, &snapshot, now, progress.as_ref())?;
        if let Err(e) = cache.checkpoint() {
            tracing::debug!(error = %e, "checkpoint after sync postponed");
        }
        Ok::<_, Error>(kinds)
    })
    .await
    .map_err(|e| Error::Worker(e.to_string()))??;
    Ok(SyncReport {
        kinds,
        fetch_ms,
        write_ms: millis(started.elapsed()),
    })
}
