//! Syncing: fetch the CloudStack lists through the client, then replace them in the cache.
//!
//! A sync is two phases. [`fetch`] asks CloudStack for every requested list at once (each list
//! is paged by the client); a list that fails is kept as its error. [`store`] then writes the
//! whole [`Snapshot`] in **one** transaction: every list that came back replaces the cached one
//! (upsert what came, delete what vanished), every list that failed keeps its rows and records
//! the error in [`SyncState`](crate::SyncState). If the process dies during the write, SQLite
//! rolls the transaction back on the next open and the cache holds the previous snapshot.
//!
//! [`sync_all`] does both for every CloudStack list; the write runs on a blocking thread.

use crate::Cache;
use crate::error::{Error, Result};
use crate::model::{
    DiskOffering, KubernetesCluster, ListKind, Network, PublicIp, ServiceOffering, SshKeyPair,
    Template, Vm, Volume, Zone,
};
use crate::record::Record;
use crate::store::{ProgressFn, record_failed, record_synced, replace_rows};
use akashone_cloudstack::api::{
    ListDiskOfferings, ListKubernetesClusters, ListNetworks, ListPublicIpAddresses,
    ListServiceOfferings, ListSshKeyPairs, ListTemplates, ListVirtualMachines, ListVolumes,
    ListZones, TemplateFilter,
};
use akashone_cloudstack::model as cs;
use akashone_cloudstack::{Client, Error as CsError};
use akashone_types::ApiError;
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// The lists that come from CloudStack (everything but databases and invoices).
pub const CLOUD_KINDS: [ListKind; 10] = [
    ListKind::Zones,
    ListKind::Templates,
    ListKind::ServiceOfferings,
    ListKind::DiskOfferings,
    ListKind::Vms,
    ListKind::Volumes,
    ListKind::Networks,
    ListKind::PublicIps,
    ListKind::SshKeyPairs,
    ListKind::KubernetesClusters,
];

/// The VM detail groups asked for: everything the detail panel shows, without `stats` (those
/// change every minute and are fetched live).
pub const VM_DETAILS: [&str; 9] = [
    "group", "nics", "secgrp", "tmpl", "servoff", "diskoff", "iso", "volume", "affgrp",
];

/// One fetched list: `None` when it was not asked for, otherwise the rows or the error.
pub type Fetched<T> = Option<Result<Vec<T>, ApiError>>;

/// A template with the filters that listed it.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedTemplate {
    /// CloudStack's answer.
    pub template: cs::Template,
    /// Listed by `templatefilter=executable`.
    pub executable: bool,
    /// Listed by `templatefilter=featured`.
    pub featured: bool,
}

/// Everything one fetch brought back.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Zones.
    pub zones: Fetched<cs::Zone>,
    /// Templates, one per template and zone.
    pub templates: Fetched<FetchedTemplate>,
    /// Compute offerings.
    pub service_offerings: Fetched<cs::ServiceOffering>,
    /// Disk offerings.
    pub disk_offerings: Fetched<cs::DiskOffering>,
    /// Virtual machines.
    pub vms: Fetched<cs::VirtualMachine>,
    /// Volumes.
    pub volumes: Fetched<cs::Volume>,
    /// Guest networks.
    pub networks: Fetched<cs::Network>,
    /// Public IP addresses.
    pub public_ips: Fetched<cs::PublicIpAddress>,
    /// SSH key pairs.
    pub ssh_key_pairs: Fetched<cs::SshKeyPair>,
    /// Kubernetes clusters (empty when the server has no Kubernetes service).
    pub kubernetes_clusters: Fetched<cs::KubernetesCluster>,
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

fn api_error(e: CsError) -> ApiError {
    ApiError::from(e)
}

async fn when<T, F>(wanted: bool, fut: F) -> Fetched<T>
where
    F: Future<Output = akashone_cloudstack::Result<Vec<T>>>,
{
    if wanted {
        Some(fut.await.map_err(api_error))
    } else {
        None
    }
}

async fn fetch_templates(client: &Client) -> akashone_cloudstack::Result<Vec<FetchedTemplate>> {
    let executable = ListTemplates {
        templatefilter: Some(TemplateFilter::Executable),
        ..ListTemplates::default()
    };
    let featured = ListTemplates {
        templatefilter: Some(TemplateFilter::Featured),
        ..ListTemplates::default()
    };
    let (exec, feat) = futures::try_join!(
        client.list_templates(&executable),
        client.list_templates(&featured)
    )?;
    let key = |t: &cs::Template| {
        (
            t.id.clone().unwrap_or_default(),
            t.zoneid.clone().unwrap_or_default(),
        )
    };
    let mut out: Vec<FetchedTemplate> = Vec::with_capacity(exec.len().max(feat.len()));
    let mut at: HashMap<(String, String), usize> = HashMap::new();
    for (template, executable) in exec
        .into_iter()
        .map(|t| (t, true))
        .chain(feat.into_iter().map(|t| (t, false)))
    {
        let k = key(&template);
        match at.get(&k) {
            Some(&i) => {
                out[i].featured |= !executable;
            }
            None => {
                at.insert(k, out.len());
                out.push(FetchedTemplate {
                    template,
                    executable,
                    featured: !executable,
                });
            }
        }
    }
    Ok(out)
}

async fn fetch_kubernetes(
    client: &Client,
) -> akashone_cloudstack::Result<Vec<cs::KubernetesCluster>> {
    let req = ListKubernetesClusters {
        listall: Some(true),
        ..ListKubernetesClusters::default()
    };
    match client.list_kubernetes_clusters(&req).await {
        // No Kubernetes service on this cloud: there are no clusters.
        Err(CsError::UnknownCommand { .. }) => Ok(Vec::new()),
        other => other,
    }
}

/// Fetches the lists of `kinds` (kinds that are not CloudStack lists are ignored) concurrently.
pub async fn fetch(client: &Client, kinds: &[ListKind]) -> Snapshot {
    let want = |k: ListKind| kinds.contains(&k);
    let vms = ListVirtualMachines {
        listall: Some(true),
        details: Some(VM_DETAILS.iter().map(|s| (*s).to_owned()).collect()),
        ..ListVirtualMachines::default()
    };
    let volumes = ListVolumes {
        listall: Some(true),
        ..ListVolumes::default()
    };
    let networks = ListNetworks {
        listall: Some(true),
        ..ListNetworks::default()
    };
    let ips = ListPublicIpAddresses {
        listall: Some(true),
        ..ListPublicIpAddresses::default()
    };
    let zones = ListZones::default();
    let service_offerings = ListServiceOfferings::default();
    let disk_offerings = ListDiskOfferings::default();
    let keys = ListSshKeyPairs {
        listall: Some(true),
        ..ListSshKeyPairs::default()
    };
    let (
        zones,
        templates,
        service_offerings,
        disk_offerings,
        vms,
        volumes,
        networks,
        public_ips,
        ssh_key_pairs,
        kubernetes_clusters,
    ) = futures::join!(
        when(want(ListKind::Zones), client.list_zones(&zones)),
        when(want(ListKind::Templates), fetch_templates(client)),
        when(
            want(ListKind::ServiceOfferings),
            client.list_service_offerings(&service_offerings)
        ),
        when(
            want(ListKind::DiskOfferings),
            client.list_disk_offerings(&disk_offerings)
        ),
        when(want(ListKind::Vms), client.list_virtual_machines(&vms)),
        when(want(ListKind::Volumes), client.list_volumes(&volumes)),
        when(want(ListKind::Networks), client.list_networks(&networks)),
        when(
            want(ListKind::PublicIps),
            client.list_public_ip_addresses(&ips)
        ),
        when(
            want(ListKind::SshKeyPairs),
            client.list_ssh_key_pairs(&keys)
        ),
        when(want(ListKind::KubernetesClusters), fetch_kubernetes(client)),
    );
    Snapshot {
        zones,
        templates,
        service_offerings,
        disk_offerings,
        vms,
        volumes,
        networks,
        public_ips,
        ssh_key_pairs,
        kubernetes_clusters,
    }
}

/// Converts fetched models to rows with their JSON text.
fn rows<T: serde::Serialize, R>(
    items: &[T],
    convert: impl Fn(&T) -> R,
) -> Result<Vec<(R, String)>> {
    items
        .iter()
        .map(|i| Ok((convert(i), serde_json::to_string(i)?)))
        .collect()
}

struct Writer<'a, 'c> {
    tx: &'a Transaction<'c>,
    profile_id: &'a str,
    now: OffsetDateTime,
    progress: Option<&'a ProgressFn>,
    report: Vec<KindReport>,
}

impl Writer<'_, '_> {
    fn list<T: serde::Serialize, R: Record>(
        &mut self,
        kind: ListKind,
        fetched: &Fetched<T>,
        convert: impl Fn(&T) -> R,
    ) -> Result<()> {
        match fetched {
            None => {}
            Some(Ok(items)) => {
                let rows = rows(items, convert)?;
                let n = replace_rows(self.tx, kind, &rows, self.progress)?;
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
            w.list(ListKind::Zones, &snapshot.zones, |x| Zone::from(x))?;
            w.list(ListKind::Templates, &snapshot.templates, |t| {
                Template::from_cloudstack(&t.template, t.executable, t.featured)
            })?;
            w.list(
                ListKind::ServiceOfferings,
                &snapshot.service_offerings,
                |x| ServiceOffering::from(x),
            )?;
            w.list(ListKind::DiskOfferings, &snapshot.disk_offerings, |x| {
                DiskOffering::from(x)
            })?;
            w.list(ListKind::Vms, &snapshot.vms, |x| Vm::from(x))?;
            w.list(ListKind::Volumes, &snapshot.volumes, |x| Volume::from(x))?;
            w.list(ListKind::Networks, &snapshot.networks, |x| Network::from(x))?;
            w.list(ListKind::PublicIps, &snapshot.public_ips, |x| {
                PublicIp::from(x)
            })?;
            w.list(ListKind::SshKeyPairs, &snapshot.ssh_key_pairs, |x| {
                SshKeyPair::from(x)
            })?;
            w.list(
                ListKind::KubernetesClusters,
                &snapshot.kubernetes_clusters,
                |x| KubernetesCluster::from(x),
            )?;
            Ok(w.report)
        })
        .inspect(|_| cache.refresh_statistics())
}

impl serde::Serialize for FetchedTemplate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.template.serialize(s)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Fetches `kinds` and stores them (the write, and a WAL checkpoint after it, on a blocking
/// thread).
pub async fn sync_lists(
    client: &Client,
    cache: &Cache,
    kinds: &[ListKind],
    now: OffsetDateTime,
    options: &SyncOptions,
) -> Result<SyncReport> {
    let started = Instant::now();
    let snapshot = fetch(client, kinds).await;
    let fetched = Instant::now();
    let cache = cache.clone();
    let progress = options.progress.clone();
    let kinds = tokio::task::spawn_blocking(move || {
        let kinds = store(&cache, &snapshot, now, progress.as_ref())?;
        // Copy the sync into the main file and cut the WAL back (a full sync writes tens of
        // MiB of WAL); a busy reader only postpones it.
        if let Err(e) = cache.checkpoint() {
            tracing::debug!(error = %e, "checkpoint after sync postponed");
        }
        Ok::<_, Error>(kinds)
    })
    .await
    .map_err(|e| Error::Worker(e.to_string()))??;
    Ok(SyncReport {
        kinds,
        fetch_ms: millis(fetched - started),
        write_ms: millis(fetched.elapsed()),
    })
}

/// Syncs every CloudStack list ([`CLOUD_KINDS`]).
pub async fn sync_all(client: &Client, cache: &Cache, now: OffsetDateTime) -> Result<SyncReport> {
    sync_lists(client, cache, &CLOUD_KINDS, now, &SyncOptions::default()).await
}

/// Syncs only the VM list (the VM page's refresh).
pub async fn sync_vms(client: &Client, cache: &Cache, now: OffsetDateTime) -> Result<SyncReport> {
    sync_lists(
        client,
        cache,
        &[ListKind::Vms],
        now,
        &SyncOptions::default(),
    )
    .await
}
