//! Syncing from the simulator: first sync, resync, failures, and a process killed mid-write.

use crate::support::{self, PROFILE, client, now, sim};
use akashone_cache::cloudstack::{self as sync, CLOUD_KINDS};
use akashone_cache::{
    Cache, DiskOffering, KubernetesCluster, ListKind, Network, ProgressFn, PublicIp,
    ServiceOffering, SshKeyPair, SyncState, Template, Vm, VmQuery, Volume, Zone,
};
use akashone_cloudstack::api::{
    DeployVirtualMachine, ListTemplates, ListVirtualMachines, TemplateFilter,
};
use akashone_cloudstack::{Client, JobOptions};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

fn jobs() -> JobOptions {
    JobOptions::default().with_poll_interval(Duration::from_millis(10), Duration::from_millis(50))
}

async fn cloud_vm_ids(client: &Client) -> BTreeSet<String> {
    client
        .list_virtual_machines(&ListVirtualMachines {
            listall: Some(true),
            ..ListVirtualMachines::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter_map(|v| v.id)
        .collect()
}

fn cached_vm_ids(cache: &Cache) -> BTreeSet<String> {
    cache
        .list::<Vm>()
        .unwrap()
        .into_iter()
        .map(|v| v.id)
        .collect()
}

#[tokio::test]
async fn first_sync_stores_every_list() {
    let sim = sim(120).await;
    let client = client(&sim);
    let (_dir, cache) = support::cache();
    let report = sync::sync_all(&client, &cache, now()).await.unwrap();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.kinds.len(), CLOUD_KINDS.len());

    assert_eq!(cached_vm_ids(&cache), cloud_vm_ids(&client).await);
    assert_eq!(cached_vm_ids(&cache).len(), 120);
    let zones = cache.list::<Zone>().unwrap();
    assert_eq!(zones.len(), 3);
    let exec = client
        .list_templates(&ListTemplates {
            templatefilter: Some(TemplateFilter::Executable),
            ..ListTemplates::default()
        })
        .await
        .unwrap();
    let templates = cache.list::<Template>().unwrap();
    assert_eq!(
        templates.iter().filter(|t| t.executable).count(),
        exec.len()
    );
    assert!(templates.iter().any(|t| t.is_featured));
    let per_zone = cache.deployable_templates(Some(&zones[0].id)).unwrap();
    assert!(!per_zone.is_empty());
    assert!(per_zone.iter().all(|t| t.zone_id == zones[0].id));

    let counts = [
        (ListKind::Zones, zones.len()),
        (ListKind::Templates, templates.len()),
        (
            ListKind::ServiceOfferings,
            cache.list::<ServiceOffering>().unwrap().len(),
        ),
        (
            ListKind::DiskOfferings,
            cache.list::<DiskOffering>().unwrap().len(),
        ),
        (ListKind::Vms, 120),
        (ListKind::Volumes, cache.list::<Volume>().unwrap().len()),
        (ListKind::Networks, cache.list::<Network>().unwrap().len()),
        (ListKind::PublicIps, cache.list::<PublicIp>().unwrap().len()),
        (
            ListKind::SshKeyPairs,
            cache.list::<SshKeyPair>().unwrap().len(),
        ),
        (
            ListKind::KubernetesClusters,
            cache.list::<KubernetesCluster>().unwrap().len(),
        ),
    ];
    let states = cache.sync_states().unwrap();
    assert_eq!(states.len(), CLOUD_KINDS.len());
    for (kind, n) in counts {
        let state = states.iter().find(|s| s.kind == kind).unwrap();
        assert_eq!(state.row_count, n as u64, "{kind}");
        assert_eq!(report.kind(kind).unwrap().rows, Some(n as u64), "{kind}");
        assert_eq!(state.last_synced.as_deref(), Some("2026-03-01T10:00:00Z"));
        assert!(state.last_error.is_none());
    }
    for kind in [
        ListKind::ServiceOfferings,
        ListKind::Volumes,
        ListKind::Networks,
    ] {
        assert!(
            report.kind(kind).unwrap().rows.unwrap() > 0,
            "the simulator seeds {kind}"
        );
    }

    // The detail panel gets CloudStack's answer.
    let some = cache.list::<Vm>().unwrap().remove(0);
    let detail = cache.vm(&some.id).unwrap().unwrap();
    assert_eq!(detail.raw["id"], some.id.as_str());
    assert!(detail.raw["nic"].is_array());
    assert!(some.primary_ip.is_some());
    assert!(some.created.as_deref().is_some_and(|c| c.ends_with('Z')));
    assert_eq!(cache.dashboard().unwrap().zone_count, 3);
    cache.integrity_check().unwrap();
}

#[tokio::test]
async fn resync_follows_vms_destroyed_and_created_in_the_cloud() {
    let sim = sim(60).await;
    let client = client(&sim);
    let (_dir, cache) = support::cache();
    sync::sync_all(&client, &cache, now()).await.unwrap();
    let before = cached_vm_ids(&cache);

    let victims: Vec<String> = before.iter().take(7).cloned().collect();
    for (i, id) in victims.iter().enumerate() {
        // Five are expunged (gone from the list), two only destroyed (listed as Destroyed).
        let job = client.destroy_virtual_machine(id, i < 5).await.unwrap();
        job.wait(&jobs()).await.unwrap();
    }
    let zone = cache.list::<Zone>().unwrap().remove(0).id;
    let template = cache
        .deployable_templates(Some(&zone))
        .unwrap()
        .remove(0)
        .id;
    let offering = cache.list::<ServiceOffering>().unwrap().remove(0).id;
    let mut created = BTreeSet::new();
    for i in 0..3 {
        let mut req = DeployVirtualMachine::new(&zone, &offering, &template);
        req.name = Some(format!("fresh-{i}"));
        let vm = client
            .deploy_virtual_machine(&req)
            .await
            .unwrap()
            .wait(&jobs())
            .await
            .unwrap();
        created.insert(vm.id.unwrap());
    }

    let later = now() + time::Duration::hours(1);
    let report = sync::sync_vms(&client, &cache, later).await.unwrap();
    assert_eq!(report.kinds.len(), 1);
    let after = cached_vm_ids(&cache);
    assert_eq!(after, cloud_vm_ids(&client).await);
    assert_eq!(after.len(), 60 - 5 + 3);
    for id in &victims[..5] {
        assert!(!after.contains(id));
    }
    for id in &victims[5..] {
        let vm = cache.vm(id).unwrap().unwrap();
        assert_eq!(vm.vm.state.as_deref(), Some("Destroyed"));
    }
    assert!(created.is_subset(&after));
    let fresh = cache
        .vm_page(&VmQuery {
            text: Some("fresh-".into()),
            ..VmQuery::default()
        })
        .unwrap();
    assert_eq!(fresh.total, 3);
    let state = cache.sync_state(ListKind::Vms).unwrap().unwrap();
    assert_eq!(state.row_count, 58);
    assert_eq!(state.last_synced.as_deref(), Some("2026-03-01T11:00:00Z"));
    // The other lists were not touched by the VM-only sync.
    let zones = cache.sync_state(ListKind::Zones).unwrap().unwrap();
    assert_eq!(zones.last_synced.as_deref(), Some("2026-03-01T10:00:00Z"));
}

#[tokio::test]
async fn lists_that_fail_keep_their_rows_and_record_the_error() {
    let sim = sim(30).await;
    let client = client(&sim);
    let (_dir, cache) = support::cache();
    sync::sync_all(&client, &cache, now()).await.unwrap();
    let before = dump(&cache);

    sim.set_error_rate(1.0);
    let later = now() + time::Duration::hours(1);
    let report = sync::sync_all(&client, &cache, later).await.unwrap();
    assert!(!report.is_complete());
    assert!(
        report
            .kinds
            .iter()
            .all(|k| k.error.is_some() && k.rows.is_none())
    );
    let after = dump(&cache);
    assert_eq!(after.0, before.0, "rows are kept");
    for s in cache.sync_states().unwrap() {
        assert_eq!(s.last_synced.as_deref(), Some("2026-03-01T10:00:00Z"));
        assert_eq!(s.last_attempt.as_deref(), Some("2026-03-01T11:00:00Z"));
        assert!(s.last_error.is_some(), "{s:?}");
    }

    sim.set_error_rate(0.0);
    let report = sync::sync_all(&client, &cache, later).await.unwrap();
    assert!(report.is_complete());
    assert!(
        cache
            .sync_states()
            .unwrap()
            .iter()
            .all(|s| s.last_error.is_none())
    );
}

type Lists = (
    Vec<Zone>,
    Vec<Template>,
    Vec<ServiceOffering>,
    Vec<DiskOffering>,
    Vec<Vm>,
    Vec<Volume>,
    Vec<Network>,
    Vec<PublicIp>,
    Vec<SshKeyPair>,
    Vec<KubernetesCluster>,
);

/// Every cached list, and the sync states.
fn dump(cache: &Cache) -> (Lists, Vec<SyncState>) {
    (
        (
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
            cache.list().unwrap(),
        ),
        cache.sync_states().unwrap(),
    )
}

const CHILD_ENV: &str = "AKASHONE_CACHE_TEST_KILL_CHILD";
const CHILD_VMS: usize = 10_000;

/// The child process of [`a_sync_killed_mid_transaction_leaves_the_previous_snapshot`]: a
/// large sync from its own simulator into the given file. Does nothing in a normal test run.
#[test]
fn kill_child_entry() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let sim = akashone_cloudstack_sim::Simulator::start(akashone_cloudstack_sim::SimConfig {
            vms: CHILD_VMS,
            seed: 77,
            ..Default::default()
        })
        .await
        .unwrap();
        let client = client(&sim);
        let cache = Cache::open_path(path, PROFILE).unwrap();
        let snapshot = sync::fetch(&client, &CLOUD_KINDS).await;
        let progress: ProgressFn = Arc::new(|p| {
            if p.kind == ListKind::Vms && p.written >= 2048 {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "\nIN_TRANSACTION {} of {}", p.written, p.total);
                let _ = out.flush();
                // A slow disk: the parent's kill lands while rows are still being written.
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let later = now() + time::Duration::days(1);
        akashone_cache::sync::store(&cache, &snapshot, later, Some(&progress)).unwrap();
        println!("\nCHILD_COMMITTED");
    });
}

#[test]
fn a_sync_killed_mid_transaction_leaves_the_previous_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.sqlite3");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let before = rt.block_on(async {
        let sim = sim(150).await;
        let client = client(&sim);
        let cache = Cache::open_path(&path, PROFILE).unwrap();
        let report = sync::sync_all(&client, &cache, now()).await.unwrap();
        assert!(report.is_complete());
        dump(&cache)
    });
    assert_eq!(before.0.4.len(), 150);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "sync::kill_child_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut killed = false;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        assert!(
            !line.contains("CHILD_COMMITTED"),
            "the child finished: {seen:?}"
        );
        let marker = line.contains("IN_TRANSACTION");
        seen.push(line);
        if marker {
            child.kill().unwrap(); // SIGKILL on Unix
            killed = true;
            break;
        }
    }
    let status = child.wait().unwrap();
    if !killed {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        panic!("the child never reached the write: {status:?}\n{seen:#?}\n{err}");
    }
    assert!(!status.success());

    // The interrupted write left a WAL behind; opening recovers the last commit.
    let cache = Cache::open_path(&path, PROFILE).unwrap();
    cache.integrity_check().unwrap();
    let after = dump(&cache);
    assert_eq!(after.0.4.len(), 150);
    assert!(
        after == before,
        "the cache differs from the snapshot before the killed sync"
    );

    // And the cache is usable: a new sync goes through.
    rt.block_on(async {
        let sim = sim(20).await;
        let client = client(&sim);
        let report = sync::sync_all(&client, &cache, now()).await.unwrap();
        assert!(report.is_complete());
        assert_eq!(cache.list::<Vm>().unwrap().len(), 20);
    });
}
