//! The CloudStack side of a sync: ask the API for every list at once, turn each answer into
//! the cache's rows ([`rows`]) and hand the [`Snapshot`] to [`crate::sync`], which writes it.
//!
//! This is the only module of the cache that knows CloudStack's models; a central server
//! profile builds the same rows from its own answers.

mod rows;

pub use rows::{normalize_datetime, stored, vm};

use crate::Cache;
use crate::error::Result;
use crate::model::{FirewallRule, ListKind, Template};
use crate::record::Stored;
use crate::sync::{Fetched, Snapshot, SyncOptions, SyncReport, millis, store_async};
use akashone_cloudstack::api::{
    ListDiskOfferings, ListEgressFirewallRules, ListFirewallRules, ListKubernetesClusters,
    ListLoadBalancerRules, ListNetworks, ListPortForwardingRules, ListPublicIpAddresses,
    ListServiceOfferings, ListSnapshots, ListSshKeyPairs, ListTemplates, ListVirtualMachines,
    ListVolumes, ListVpcs, ListZones, TemplateFilter,
};
use akashone_cloudstack::model as cs;
use akashone_cloudstack::{Client, Error as CsError};
use akashone_types::ApiError;
use std::collections::HashMap;
use std::time::Instant;
use time::OffsetDateTime;

/// The lists that come from CloudStack (everything but databases and invoices).
pub const CLOUD_KINDS: [ListKind; 17] = [
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
    ListKind::FirewallRules,
    ListKind::PortForwards,
    ListKind::LoadBalancers,
    ListKind::Vpcs,
    ListKind::Snapshots,
    ListKind::SnapshotPolicies,
    ListKind::VmSnapshots,
];

/// The VM detail groups asked for: everything the detail panel shows, without `stats` (those
/// change every minute and are fetched live).
pub const VM_DETAILS: [&str; 9] = [
    "group", "nics", "secgrp", "tmpl", "servoff", "diskoff", "iso", "volume", "affgrp",
];

/// Asks for one list when it is wanted and turns every item into a row.
async fn when<T, R, F>(wanted: bool, fut: F) -> Fetched<R>
where
    T: serde::Serialize,
    R: for<'a> From<&'a T>,
    F: Future<Output = akashone_cloudstack::Result<Vec<T>>>,
{
    if !wanted {
        return None;
    }
    Some(match fut.await {
        Ok(items) => items
            .iter()
            .map(|i| stored(i, R::from(i)))
            .collect::<Result<Vec<_>>>()
            .map_err(ApiError::from),
        Err(e) => Err(ApiError::from(e)),
    })
}

/// A template with the filters that listed it.
struct FetchedTemplate {
    template: cs::Template,
    executable: bool,
    featured: bool,
}

/// Templates listed by the `executable` and the `featured` filter, one row per template and
/// zone, flagged with the filters that listed it.
async fn templates(client: &Client) -> akashone_cloudstack::Result<Vec<FetchedTemplate>> {
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
            Some(&i) => out[i].featured |= !executable,
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

async fn kubernetes(client: &Client) -> akashone_cloudstack::Result<Vec<cs::KubernetesCluster>> {
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

/// A command some clouds do not offer (no VPC or VM-snapshot support): nothing to list.
fn none_when_unknown<T>(
    r: akashone_cloudstack::Result<Vec<T>>,
) -> akashone_cloudstack::Result<Vec<T>> {
    match r {
        Err(CsError::UnknownCommand { .. }) => Ok(Vec::new()),
        other => other,
    }
}

/// Ingress rules of every public IP and egress rules of every network, as one list.
async fn firewall_rules(client: &Client) -> Fetched<FirewallRule> {
    let ingress = ListFirewallRules {
        listall: Some(true),
        ..ListFirewallRules::default()
    };
    let egress = ListEgressFirewallRules {
        listall: Some(true),
        ..ListEgressFirewallRules::default()
    };
    let (i, e) = futures::join!(
        client.list_firewall_rules(&ingress),
        client.list_egress_firewall_rules(&egress)
    );
    let rows = (|| {
        let mut rows = Vec::new();
        for r in i? {
            rows.push(stored(&r, FirewallRule::ingress(&r)));
        }
        for r in none_when_unknown(e)? {
            rows.push(stored(&r, FirewallRule::egress(&r)));
        }
        Ok::<_, CsError>(rows)
    })();
    Some(match rows {
        Ok(rows) => rows
            .into_iter()
            .collect::<Result<Vec<_>>>()
            .map_err(ApiError::from),
        Err(e) => Err(ApiError::from(e)),
    })
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
    let keys = ListSshKeyPairs {
        listall: Some(true),
        ..ListSshKeyPairs::default()
    };
    let (zones_q, service_q, disk_q) = (
        ListZones::default(),
        ListServiceOfferings::default(),
        ListDiskOfferings::default(),
    );
    let templates = async {
        if !want(ListKind::Templates) {
            return None;
        }
        Some(match templates(client).await {
            Ok(list) => list
                .iter()
                .map(|t| {
                    stored(
                        &t.template,
                        Template::from_cloudstack(&t.template, t.executable, t.featured),
                    )
                })
                .collect::<Result<Vec<Stored<Template>>>>()
                .map_err(ApiError::from),
            Err(e) => Err(ApiError::from(e)),
        })
    };
    let pfs = ListPortForwardingRules {
        listall: Some(true),
        ..ListPortForwardingRules::default()
    };
    let lbs = ListLoadBalancerRules {
        listall: Some(true),
        ..ListLoadBalancerRules::default()
    };
    let vpcs = ListVpcs {
        listall: Some(true),
        ..ListVpcs::default()
    };
    let snaps = ListSnapshots {
        listall: Some(true),
        ..ListSnapshots::default()
    };
    let rules = async {
        if want(ListKind::FirewallRules) {
            firewall_rules(client).await
        } else {
            None
        }
    };
    let (
        (port_forwards, load_balancers, vpcs, snapshots, snapshot_policies, vm_snapshots),
        firewall_rules,
    ) = futures::join!(
        async {
            futures::join!(
                when(
                    want(ListKind::PortForwards),
                    client.list_port_forwarding_rules(&pfs)
                ),
                when(
                    want(ListKind::LoadBalancers),
                    client.list_load_balancer_rules(&lbs)
                ),
                when(want(ListKind::Vpcs), async {
                    none_when_unknown(client.list_vpcs(&vpcs).await)
                }),
                when(want(ListKind::Snapshots), client.list_snapshots(&snaps)),
                when(
                    want(ListKind::SnapshotPolicies),
                    client.list_snapshot_policies(None)
                ),
                when(want(ListKind::VmSnapshots), async {
                    none_when_unknown(client.list_vm_snapshots(None).await)
                }),
            )
        },
        rules,
    );
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
        when(want(ListKind::Zones), client.list_zones(&zones_q)),
        templates,
        when(
            want(ListKind::ServiceOfferings),
            client.list_service_offerings(&service_q)
        ),
        when(
            want(ListKind::DiskOfferings),
            client.list_disk_offerings(&disk_q)
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
        when(want(ListKind::KubernetesClusters), kubernetes(client)),
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
        firewall_rules,
        port_forwards,
        load_balancers,
        vpcs,
        snapshots,
        snapshot_policies,
        vm_snapshots,
    }
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
    store_async(cache, snapshot, now, options, millis(started.elapsed())).await
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
