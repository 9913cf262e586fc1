//! Offline cache figures (printed, not asserted):
//!
//! 1. The first full sync of a cloud with 10,000 VMs from the in-process simulator over
//!    loopback into an empty cache: wall time, the fetch, and the write alone (median of a few
//!    runs, each into a new file); then a resync of the unchanged cloud.
//! 2. p50/p99 of filtered, sorted 50-row VM pages over those 10,000 VMs for representative
//!    queries.
//!
//! 3. Kubernetes: 500 clusters with 5,000 member VMs (CloudStack's JSON) converted and stored
//!    in one sync, then the cluster list the page reads (every row with its nodes).
//!
//! 4. Networks and storage: 2,000 networks, 10,000 public IPs, 30,000 firewall rules and
//!    20,000 volumes (CloudStack's JSON) converted and stored in one sync, the cache file's
//!    size, then p50/p99 of a filtered 50-row page over each list.
//!
//! Run: `cargo bench -p akashone-cache --bench cache`.

use akashone_cache::cloudstack::{self as sync, CLOUD_KINDS};
use akashone_cache::sync::SyncOptions;
use akashone_cache::{Cache, SortDirection, Vm, VmColumn, VmQuery};
use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::{SimConfig, Simulator};
use std::time::{Duration, Instant};
use time::macros::datetime;

const VMS: usize = 10_000;
const SYNC_RUNS: usize = 3;
const QUERY_RUNS: usize = 1_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Runtime::new()?;
    let dir = tempfile::tempdir()?;
    let now = datetime!(2026-03-01 10:00:00 UTC);

    let sim = rt.block_on(Simulator::start(SimConfig {
        vms: VMS,
        ..SimConfig::default()
    }))?;
    let client = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))?;

    println!("Offline cache: first full sync of {VMS} VMs (simulator in-process, loopback)");
    println!(
        "  every CloudStack list: zones, templates, offerings, VMs, volumes, networks, IPs, keys, k8s"
    );
    let (mut walls, mut fetches, mut writes) = (Vec::new(), Vec::new(), Vec::new());
    let mut cache = None;
    for run in 0..SYNC_RUNS {
        let c = Cache::open(dir.path(), &format!("run-{run}"))?;
        let t = Instant::now();
        let report = rt.block_on(sync::sync_lists(
            &client,
            &c,
            &CLOUD_KINDS,
            now,
            &SyncOptions::default(),
        ))?;
        let wall = t.elapsed();
        assert!(report.is_complete(), "{report:?}");
        let vms = report
            .kind(akashone_cache::ListKind::Vms)
            .and_then(|k| k.rows)
            .unwrap_or(0);
        println!(
            "  run {run}: wall {:8.1} ms   fetch {:6} ms   write {:6} ms   ({vms} VMs cached)",
            ms(wall),
            report.fetch_ms,
            report.write_ms
        );
        walls.push(ms(wall));
        fetches.push(report.fetch_ms as f64);
        writes.push(report.write_ms as f64);
        cache = Some(c);
    }
    println!(
        "  median: wall {:.1} ms, fetch {:.0} ms, write only {:.0} ms",
        median(walls),
        median(fetches),
        median(writes)
    );
    let cache = cache.ok_or("no sync ran")?;

    println!("  the VM list alone:");
    let (mut walls, mut fetches, mut writes) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..SYNC_RUNS {
        let c = Cache::open(dir.path(), &format!("vms-{run}"))?;
        let t = Instant::now();
        let report = rt.block_on(sync::sync_vms(&client, &c, now))?;
        walls.push(ms(t.elapsed()));
        fetches.push(report.fetch_ms as f64);
        writes.push(report.write_ms as f64);
    }
    println!(
        "  median of {SYNC_RUNS}: wall {:.1} ms, fetch {:.0} ms, write only {:.0} ms",
        median(walls),
        median(fetches),
        median(writes)
    );

    let t = Instant::now();
    let report = rt.block_on(sync::sync_all(&client, &cache, now))?;
    println!(
        "  resync of the unchanged cloud: wall {:.1} ms, fetch {} ms, write {} ms",
        ms(t.elapsed()),
        report.fetch_ms,
        report.write_ms
    );
    let main = std::fs::metadata(cache.path())?.len();
    let wal = std::fs::metadata(cache.path().with_extension("sqlite3-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    let docs = cache
        .raw::<Vm>(&[&cache.list::<Vm>()?[0].id])?
        .map_or(0, |d| d.to_string().len());
    println!(
        "  cache file {:.1} MiB, WAL {:.1} MiB (one VM's CloudStack document: {docs} bytes)",
        main as f64 / 1048576.0,
        wal as f64 / 1048576.0
    );

    // Query values taken from the data itself.
    let all = cache.list::<Vm>()?;
    let some = &all[all.len() / 3];
    let name_prefix: String = some
        .name
        .clone()
        .unwrap_or_default()
        .chars()
        .take(6)
        .collect();
    let ip_part: String = some
        .primary_ip
        .clone()
        .unwrap_or_default()
        .rsplit_once('.')
        .map(|(head, _)| format!("{head}."))
        .unwrap_or_default();
    let zone = some.zone_id.clone();
    let queries: Vec<(&str, VmQuery)> = vec![
        (
            "name prefix, sort name asc",
            VmQuery {
                text: Some(name_prefix.clone()),
                ..VmQuery::default()
            },
        ),
        (
            "state=Running, sort name asc",
            VmQuery {
                state: Some("Running".into()),
                ..VmQuery::default()
            },
        ),
        (
            "state=Stopped, sort memory desc",
            VmQuery {
                state: Some("Stopped".into()),
                sort: VmColumn::MemoryMb,
                direction: SortDirection::Desc,
                ..VmQuery::default()
            },
        ),
        (
            "IP substring, sort created desc",
            VmQuery {
                text: Some(ip_part.clone()),
                sort: VmColumn::Created,
                direction: SortDirection::Desc,
                ..VmQuery::default()
            },
        ),
        (
            "text 'running', sort IP asc",
            VmQuery {
                text: Some("running".into()),
                sort: VmColumn::Ip,
                ..VmQuery::default()
            },
        ),
        (
            "zone + state, sort template",
            VmQuery {
                zone_id: zone,
                state: Some("Running".into()),
                sort: VmColumn::Template,
                ..VmQuery::default()
            },
        ),
        (
            "no filter, sort account, page 100",
            VmQuery {
                sort: VmColumn::Account,
                offset: 5000,
                ..VmQuery::default()
            },
        ),
        (
            "no filter, sort cpu desc, last page",
            VmQuery {
                sort: VmColumn::CpuNumber,
                direction: SortDirection::Desc,
                offset: 9950,
                ..VmQuery::default()
            },
        ),
    ];
    println!();
    println!(
        "VM page of 50 over {} VMs, {QUERY_RUNS} runs each (name prefix {name_prefix:?}, IP part {ip_part:?})",
        all.len()
    );
    println!(
        "  {:38} {:>8} {:>6} {:>9} {:>9} {:>9}",
        "query", "matches", "rows", "p50 ms", "p99 ms", "max ms"
    );
    for (label, q) in &queries {
        // Warm the statement cache and the pages.
        let first = cache.vm_page(q)?;
        let mut times = Vec::with_capacity(QUERY_RUNS);
        for _ in 0..QUERY_RUNS {
            let t = Instant::now();
            let page = cache.vm_page(q)?;
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
        times.sort();
        println!(
            "  {:38} {:>8} {:>6} {:>9.3} {:>9.3} {:>9.3}",
            label,
            first.total,
            first.rows.len(),
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.99)),
            ms(times[times.len() - 1])
        );
    }
    let t = Instant::now();
    let d = cache.dashboard()?;
    println!();
    println!(
        "Dashboard aggregates: {:.3} ms ({} VMs, {} states, {} vCPUs allocated)",
        ms(t.elapsed()),
        d.vm_total,
        d.vms_by_state.len(),
        d.allocated_vcpus
    );
    kubernetes(dir.path(), now)?;
    network_storage(dir.path(), now)?;
    Ok(())
}

const NETWORKS: usize = 2_000;
const IPS: usize = 10_000;
const RULES: usize = 30_000;
const VOLUMES: usize = 20_000;

/// p50/p99 of one filtered page, `runs` times.
fn page_times<R: akashone_cache::Record>(
    cache: &Cache,
    q: &akashone_cache::RecordQuery,
    runs: usize,
) -> Result<(Duration, Duration, u64), Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(runs);
    let mut total = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let page = cache.page::<R>(q)?;
        times.push(t.elapsed());
        total = page.total;
    }
    times.sort();
    Ok((percentile(&times, 0.50), percentile(&times, 0.99), total))
}

/// The Networks and Storage pages' lists at the scale, stored in one sync, then paged.
fn network_storage(
    dir: &std::path::Path,
    now: time::OffsetDateTime,
) -> Result<(), Box<dyn std::error::Error>> {
    use akashone_cache::cloudstack::stored;
    use akashone_cache::sync::Snapshot;
    use akashone_cache::{FirewallRule, Network, PublicIp, RecordQuery, Volume};
    use akashone_cloudstack::model as cs;
    use serde_json::json;

    let networks: Vec<cs::Network> = (0..NETWORKS)
        .map(|i| {
            serde_json::from_value(json!({
                "id": format!("net-{i}"), "name": format!("tier-{i:04}"), "state": "Implemented",
                "type": "Isolated", "zoneid": format!("z{}", i % 3), "zonename": format!("Zone {}", i % 3),
                "cidr": format!("10.{}.{}.0/24", i / 256, i % 256), "gateway": format!("10.{}.{}.1", i / 256, i % 256),
                "networkofferingid": "off-1", "networkofferingname": "Isolated with source NAT",
                "account": format!("acct-{}", i % 50), "domain": "ROOT"
            }))
            .expect("a network")
        })
        .collect();
    let ips: Vec<cs::PublicIpAddress> = (0..IPS)
        .map(|i| {
            serde_json::from_value(json!({
                "id": format!("ip-{i}"), "ipaddress": format!("100.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                "state": "Allocated", "issourcenat": i % 5 == 0, "isstaticnat": false,
                "zoneid": format!("z{}", i % 3), "associatednetworkid": format!("net-{}", i % NETWORKS),
                "account": format!("acct-{}", i % 50), "allocated": "2026-11-01T10:00:00+0530"
            }))
            .expect("an address")
        })
        .collect();
    let rules: Vec<cs::FirewallRule> = (0..RULES)
        .map(|i| {
            let ip = i % IPS;
            serde_json::from_value(json!({
                "id": format!("fw-{i}"), "protocol": if i % 3 == 0 { "udp" } else { "tcp" },
                "startport": 1000 + (i % 5000), "endport": 1000 + (i % 5000),
                "cidrlist": if i % 11 == 0 { "0.0.0.0/0".to_owned() } else { format!("198.51.{}.0/24", i % 256) },
                "ipaddressid": format!("ip-{ip}"), "ipaddress": format!("100.{}.{}.{}", ip / 65536, (ip / 256) % 256, ip % 256),
                "networkid": format!("net-{}", ip % NETWORKS), "state": "Active"
            }))
            .expect("a rule")
        })
        .collect();
    let volumes: Vec<cs::Volume> = (0..VOLUMES)
        .map(|i| {
            serde_json::from_value(json!({
                "id": format!("vol-{i}"), "name": format!("data-{i:05}"),
                "type": if i % 2 == 0 { "ROOT" } else { "DATADISK" }, "state": "Ready",
                "size": 53_687_091_200i64, "zoneid": format!("z{}", i % 3), "zonename": format!("Zone {}", i % 3),
                "virtualmachineid": format!("vm-{}", i / 2), "vmname": format!("web-{:05}", i / 2), "vmstate": "Running",
                "deviceid": i % 2, "diskofferingid": "do-1", "diskofferingname": "50 GB",
                "account": format!("acct-{}", i % 50), "created": "2026-11-01T10:00:00+0530"
            }))
            .expect("a volume")
        })
        .collect();

    let cache = Cache::open(dir, "network-storage")?;
    let t = Instant::now();
    let snapshot = Snapshot {
        networks: Some(Ok(networks
            .iter()
            .map(|n| stored(n, Network::from(n)))
            .collect::<Result<_, _>>()?)),
        public_ips: Some(Ok(ips
            .iter()
            .map(|a| stored(a, PublicIp::from(a)))
            .collect::<Result<_, _>>()?)),
        firewall_rules: Some(Ok(rules
            .iter()
            .map(|r| stored(r, FirewallRule::ingress(r)))
            .collect::<Result<_, _>>()?)),
        volumes: Some(Ok(volumes
            .iter()
            .map(|v| stored(v, Volume::from(v)))
            .collect::<Result<_, _>>()?)),
        ..Snapshot::default()
    };
    let convert = t.elapsed();
    akashone_cache::sync::store(&cache, &snapshot, now, None)?;
    cache.checkpoint()?;
    let wall = t.elapsed();
    let size = std::fs::metadata(cache.path())?.len();
    println!();
    println!(
        "Networks and storage: {NETWORKS} networks, {IPS} public IPs, {RULES} firewall rules, {VOLUMES} volumes"
    );
    println!(
        "  converted from CloudStack's JSON {:.1} ms, stored in one sync {:.1} ms (wall {:.1} ms); cache file {:.1} MiB",
        ms(convert),
        ms(wall - convert),
        ms(wall),
        size as f64 / (1024.0 * 1024.0)
    );
    let page = |equal: &[(&str, &str)], search: Option<&str>, search_in: &[&str]| RecordQuery {
        equal: equal
            .iter()
            .map(|(c, v)| ((*c).to_owned(), (*v).to_owned()))
            .collect(),
        search: search.map(str::to_owned),
        search_in: search_in.iter().map(|c| (*c).to_owned()).collect(),
        offset: 0,
        limit: 50,
    };
    let runs = 200;
    let cases: Vec<(&str, (Duration, Duration, u64))> = vec![
        (
            "networks named like \"tier-19\"",
            page_times::<Network>(&cache, &page(&[], Some("tier-19"), &["name", "cidr"]), runs)?,
        ),
        (
            "public IPs of one network",
            page_times::<PublicIp>(&cache, &page(&[("network_id", "net-42")], None, &[]), runs)?,
        ),
        (
            "firewall rules of one IP",
            page_times::<FirewallRule>(&cache, &page(&[("ip_id", "ip-4242")], None, &[]), runs)?,
        ),
        (
            "firewall rules open to 0.0.0.0/0",
            page_times::<FirewallRule>(&cache, &page(&[], Some("0.0.0.0/0"), &["cidrs"]), runs)?,
        ),
        (
            "volumes of one zone, DATADISK",
            page_times::<Volume>(
                &cache,
                &page(&[("zone_id", "z1"), ("volume_type", "DATADISK")], None, &[]),
                runs,
            )?,
        ),
        (
            "volumes named like \"data-1234\"",
            page_times::<Volume>(
                &cache,
                &page(&[], Some("data-1234"), &["name", "vm_name"]),
                runs,
            )?,
        ),
    ];
    for (what, (p50, p99, total)) in cases {
        println!(
            "  50-row page, {what} ({total} match): p50 {:.2} ms, p99 {:.2} ms",
            ms(p50),
            ms(p99)
        );
    }
    Ok(())
}

const CLUSTERS: usize = 500;
const NODES_PER_CLUSTER: usize = 10;

/// 500 clusters of 10 nodes as CloudStack lists them, stored in one sync, then listed.
fn kubernetes(
    dir: &std::path::Path,
    now: time::OffsetDateTime,
) -> Result<(), Box<dyn std::error::Error>> {
    use akashone_cache::KubernetesCluster;
    use akashone_cache::sync::Snapshot;
    use akashone_cloudstack::model as cs;
    use akashone_types::kubernetes::ClusterRow;

    let answers: Vec<cs::KubernetesCluster> = (0..CLUSTERS)
        .map(|i| {
            let vms: Vec<serde_json::Value> = (0..NODES_PER_CLUSTER)
                .map(|n| {
                    let role = if n == 0 { "control" } else { "node" };
                    serde_json::json!({
                        "id": format!("vm-{i}-{n}"), "name": format!("k{i}-{role}-{n:x}"),
                        "state": "Running", "nic": [{"ipaddress": format!("10.{}.{}.{}", i / 250, i % 250, n + 10)}]
                    })
                })
                .collect();
            serde_json::from_value(serde_json::json!({
                "id": format!("cluster-{i}"), "name": format!("k{i}"), "state": "Running",
                "zoneid": "z1", "zonename": "Mumbai", "kubernetesversionid": "v", "kubernetesversionname": "v1.30.4",
                "serviceofferingid": "o", "serviceofferingname": "Medium", "networkid": format!("n{i}"),
                "associatednetworkname": format!("k{i}-network"), "controlnodes": 1, "size": NODES_PER_CLUSTER - 1,
                "cpunumber": 20, "memory": 20480, "endpoint": "https://203.0.113.10:6443/",
                "account": "acme", "domain": "ROOT", "created": "2026-11-01T10:00:00+0530",
                "virtualmachines": vms
            }))
            .expect("a cluster")
        })
        .collect();
    let cache = Cache::open(dir, "kubernetes")?;
    let t = Instant::now();
    let rows = answers
        .iter()
        .map(|c| akashone_cache::cloudstack::stored(c, KubernetesCluster::from(c)))
        .collect::<Result<Vec<_>, _>>()?;
    let convert = t.elapsed();
    let snapshot = Snapshot {
        kubernetes_clusters: Some(Ok(rows)),
        ..Snapshot::default()
    };
    akashone_cache::sync::store(&cache, &snapshot, now, None)?;
    let stored = t.elapsed();
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let list: Vec<ClusterRow> = cache
            .list::<KubernetesCluster>()?
            .iter()
            .map(ClusterRow::from)
            .collect();
        n = list.iter().map(|c| c.nodes.len()).sum();
        times.push(t.elapsed());
    }
    times.sort();
    println!();
    println!(
        "Kubernetes: {CLUSTERS} clusters with {} member VMs",
        CLUSTERS * NODES_PER_CLUSTER
    );
    println!(
        "  converted from CloudStack's JSON {:.1} ms, stored in one sync {:.1} ms (wall {:.1} ms)",
        ms(convert),
        ms(stored - convert),
        ms(stored)
    );
    println!(
        "  the cluster list with every node ({n} nodes): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99))
    );
    Ok(())
}
