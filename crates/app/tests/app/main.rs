//! The console against the simulator: profiles, sync, offline and recovery, actions and deploys
//! with their events, and the refusals of bad input.

mod central;
mod central_fixture;
mod kubernetes;
mod resources;

use akashone_app::{AppError, Console, Events, Options};
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_types::{
    ConnectionStatus, DeployRequest, JobEvent, JobPhase, NewCloudStackProfile, ProfileKind,
    Reachability, VmAction, VmQuery, VmSort,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Recorder {
    statuses: Mutex<Vec<ConnectionStatus>>,
    jobs: Mutex<Vec<JobEvent>>,
    changes: Mutex<u32>,
}

impl Events for Recorder {
    fn connection(&self, status: &ConnectionStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
    fn data_changed(&self) {
        *self.changes.lock().unwrap() += 1;
    }
    fn job(&self, event: &JobEvent) {
        self.jobs.lock().unwrap().push(event.clone());
    }
    fn kube_job(&self, event: &JobEvent) {
        self.jobs.lock().unwrap().push(event.clone());
    }
    fn resource_job(&self, event: &JobEvent) {
        self.jobs.lock().unwrap().push(event.clone());
    }
}

impl Recorder {
    fn finished(&self, task: u64) -> Option<JobEvent> {
        self.jobs
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|j| {
                j.task_id == task && matches!(j.phase, JobPhase::Succeeded | JobPhase::Failed)
            })
            .cloned()
    }
}

fn options(keys: &std::path::Path) -> Options {
    Options {
        vault_key_file: Some(keys.join("vault.key")),
        heartbeat: Duration::from_millis(200),
        resync: Duration::from_secs(3600),
        request_timeout: Duration::from_secs(3),
        demo: SimConfig {
            start_delay: Duration::from_millis(200),
            job_delay: Duration::from_millis(50),
            ..SimConfig::demo()
        },
        vault_file_only: true,
        demo_on_first_start: false,
        invoice_dir: Some(keys.join("invoices")),
        ..Options::default()
    }
}

struct Setup {
    console: Arc<Console>,
    events: Arc<Recorder>,
    dir: tempfile::TempDir,
    keys: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let events = Arc::new(Recorder::default());
    let console = Console::open(dir.path(), events.clone(), options(keys.path())).unwrap();
    Setup {
        console,
        events,
        dir,
        keys,
    }
}

async fn until<F: Fn() -> bool>(what: &str, f: F) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_job(s: &Setup, task: u64) -> JobEvent {
    until("the job to end", || s.events.finished(task).is_some()).await;
    s.events.finished(task).unwrap()
}

fn all(query: &str) -> VmQuery {
    VmQuery {
        text: query.into(),
        limit: VmQuery::MAX_LIMIT,
        ..VmQuery::default()
    }
}

#[tokio::test]
async fn demo_profile_syncs_and_runs_the_whole_lifecycle() {
    let s = setup();
    let profiles = s.console.add_demo_profile().await.unwrap();
    assert_eq!(profiles.profiles.len(), 1);
    assert_eq!(profiles.profiles[0].kind, ProfileKind::Demo);
    // Adding it again does not duplicate it.
    assert_eq!(
        s.console.add_demo_profile().await.unwrap().profiles.len(),
        1
    );

    let id = profiles.profiles[0].id.clone();
    s.console.activate_profile(&id).await.unwrap();
    let st = s.console.sync_now().await.unwrap();
    assert_eq!(st.reachability, Reachability::Online);
    assert!(st.last_synced.is_some());
    let page = s.console.vm_page(&all("")).unwrap();
    assert!(page.total > 0 && page.total == page.all);

    // The dashboard adds up the cache.
    let dash = s.console.dashboard().unwrap().unwrap();
    assert_eq!(dash.vms, page.all);
    assert_eq!(dash.by_state.iter().map(|(_, n)| n).sum::<u64>(), page.all);

    // Deploy through the same checks as the wizard.
    let zones = s.console.deploy_zones().await.unwrap();
    let templates = s.console.deploy_templates(&zones[0].id).await.unwrap();
    let offerings = s.console.deploy_offerings().await.unwrap();
    let req = DeployRequest {
        zone_id: zones[0].id.clone(),
        template_id: templates[0].id.clone(),
        offering_id: offerings[0].id.clone(),
        name: "test-vm-1".into(),
        keypair: None,
        network_id: None,
    };
    let task = s.console.deploy_vm(&req).await.unwrap();
    let done = wait_job(&s, task).await;
    assert_eq!(done.phase, JobPhase::Succeeded, "{done:?}");
    let vm_id = done.vm_id.clone().unwrap();
    assert_eq!(s.console.vm_get(&vm_id).unwrap().state, "Running");
    let seen: Vec<JobPhase> = s
        .events
        .jobs
        .lock()
        .unwrap()
        .iter()
        .filter(|j| j.task_id == task)
        .map(|j| j.phase)
        .collect();
    assert_eq!(seen.first(), Some(&JobPhase::Submitting));
    assert!(seen.contains(&JobPhase::Running));

    // The read-only lists come from the same sync.
    for kind in akashone_types::CACHED_LISTS {
        let list = s.console.cached_list(kind).unwrap();
        assert_eq!(list.kind, kind);
        assert!(list.last_synced.is_some(), "{kind} was synced");
    }
    let volumes = s.console.cached_list("volumes").unwrap();
    assert!(!volumes.rows.is_empty() && volumes.rows[0].contains_key("size_bytes"));
    assert!(
        !s.console
            .cached_list("kubernetes_clusters")
            .unwrap()
            .rows
            .is_empty()
    );
    for bad in ["vms", "invoices", "", "volumes; drop table vms"] {
        assert!(matches!(
            s.console.cached_list(bad).unwrap_err(),
            AppError::Invalid(_)
        ));
    }

    // Live metrics.
    let m = s.console.vm_metrics(&vm_id).await.unwrap();
    assert!(m.network_read_kib.is_some());

    // Start is refused while running; stop, start, reboot, destroy work.
    let err = s
        .console
        .vm_action(&vm_id, VmAction::Start)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid(_)), "{err}");
    for (action, state) in [
        (VmAction::Stop, "Stopped"),
        (VmAction::Start, "Running"),
        (VmAction::Reboot, "Running"),
        (VmAction::Destroy, "Destroyed"),
    ] {
        let task = s.console.vm_action(&vm_id, action).await.unwrap();
        assert_eq!(
            wait_job(&s, task).await.phase,
            JobPhase::Succeeded,
            "{action:?}"
        );
        assert_eq!(
            s.console.vm_get(&vm_id).unwrap().state,
            state,
            "after {action:?}"
        );
    }
}

#[tokio::test]
async fn deploys_that_cloudstack_would_refuse_are_refused_first() {
    let s = setup();
    let id = s.console.add_demo_profile().await.unwrap().profiles[0]
        .id
        .clone();
    s.console.activate_profile(&id).await.unwrap();
    s.console.sync_now().await.unwrap();
    let zones = s.console.deploy_zones().await.unwrap();
    assert!(zones.len() >= 2, "the demo has several zones");
    let templates = s.console.deploy_templates(&zones[0].id).await.unwrap();
    let offerings = s.console.deploy_offerings().await.unwrap();
    let good = DeployRequest {
        zone_id: zones[0].id.clone(),
        template_id: templates[0].id.clone(),
        offering_id: offerings[0].id.clone(),
        name: "ok-name".into(),
        keypair: None,
        network_id: None,
    };
    let before = s.console.vm_page(&all("")).unwrap().all;
    for (bad, why) in [
        (
            DeployRequest {
                name: "9starts-with-digit".into(),
                ..good.clone()
            },
            "start with a letter",
        ),
        (
            DeployRequest {
                name: "has space".into(),
                ..good.clone()
            },
            "only letters",
        ),
        (
            DeployRequest {
                name: String::new(),
                ..good.clone()
            },
            "name",
        ),
        (
            DeployRequest {
                template_id: String::new(),
                ..good.clone()
            },
            "template",
        ),
        (
            DeployRequest {
                template_id: "no-such-template".into(),
                ..good.clone()
            },
            "not available in zone",
        ),
    ] {
        let err = s.console.deploy_vm(&bad).await.unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err}");
        assert!(err.to_string().contains(why), "{err} should mention {why}");
    }
    // Nothing was deployed.
    s.console.sync_now().await.unwrap();
    assert_eq!(s.console.vm_page(&all("")).unwrap().all, before);
}

#[tokio::test]
async fn bad_queries_and_unknown_ids_are_refused() {
    let s = setup();
    assert!(matches!(
        s.console.vm_page(&all("")).unwrap_err(),
        AppError::NotConnected
    ));
    let id = s.console.add_demo_profile().await.unwrap().profiles[0]
        .id
        .clone();
    s.console.activate_profile(&id).await.unwrap();
    s.console.sync_now().await.unwrap();
    for limit in [0, VmQuery::MAX_LIMIT + 1] {
        let q = VmQuery {
            limit,
            ..VmQuery::default()
        };
        assert!(matches!(
            s.console.vm_page(&q).unwrap_err(),
            AppError::Invalid(_)
        ));
    }
    assert!(matches!(
        s.console.vm_get("nope").unwrap_err(),
        AppError::NotFound(_)
    ));
    assert!(matches!(
        s.console.activate_profile("nope").await.unwrap_err(),
        AppError::NoSuchProfile(_)
    ));
    // Sorting and filtering are done by the cache, and agree with each other.
    let by_name = s.console.vm_page(&all("")).unwrap();
    let mut names: Vec<String> = by_name.rows.iter().map(|r| r.name.to_lowercase()).collect();
    let sorted = {
        let mut n = names.clone();
        n.sort();
        n
    };
    assert_eq!(names, sorted);
    names.clear();
    let desc = s
        .console
        .vm_page(&VmQuery {
            sort: VmSort::Memory,
            descending: true,
            ..all("")
        })
        .unwrap();
    assert!(
        desc.rows
            .windows(2)
            .all(|w| w[0].memory_mb >= w[1].memory_mb)
    );
}

#[tokio::test]
async fn direct_profiles_are_checked_and_keep_the_secret_out_of_the_profile_file() {
    let sim = Simulator::start(SimConfig {
        vms: 30,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let s = setup();
    let form = |secret: &str| NewCloudStackProfile {
        name: "Staging".into(),
        url: sim.url(),
        api_key: sim.api_key().into(),
        secret_key: secret.into(),
    };
    // Wrong secret: refused, nothing saved.
    let err = s
        .console
        .add_cloudstack_profile(&form("wrong"))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid(_)), "{err}");
    assert!(s.console.list_profiles().profiles.is_empty());
    // Bad URL and missing fields: refused.
    for bad in [
        NewCloudStackProfile {
            url: "ftp://x".into(),
            ..form(sim.secret_key())
        },
        NewCloudStackProfile {
            name: " ".into(),
            ..form(sim.secret_key())
        },
        NewCloudStackProfile {
            api_key: String::new(),
            ..form(sim.secret_key())
        },
    ] {
        assert!(matches!(
            s.console.add_cloudstack_profile(&bad).await.unwrap_err(),
            AppError::Invalid(_)
        ));
    }
    let profiles = s
        .console
        .add_cloudstack_profile(&form(sim.secret_key()))
        .await
        .unwrap();
    assert_eq!(profiles.profiles.len(), 1);
    let on_disk = std::fs::read_to_string(s.dir.path().join("profiles.json")).unwrap();
    assert!(!on_disk.contains(sim.secret_key()));
    for entry in walk(s.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes
                .windows(sim.secret_key().len())
                .any(|w| w == sim.secret_key().as_bytes()),
            "the secret key is in plain text in {}",
            entry.display()
        );
    }

    // Activate, sync, then the cloud goes away: offline, the cache stays readable, actions wait.
    let id = profiles.profiles[0].id.clone();
    s.console.activate_profile(&id).await.unwrap();
    s.console.sync_now().await.unwrap();
    let listall = s.console.vm_page(&all("")).unwrap();
    assert_eq!(listall.all, 30);
    let any_vm = listall.rows[0].clone();
    let addr = sim.addr();
    sim.shutdown().await;
    until("offline", || {
        s.console.status().reachability == Reachability::Offline
    })
    .await;
    assert_eq!(s.console.vm_page(&all("")).unwrap().all, 30);
    let err = s
        .console
        .vm_action(&any_vm.id, VmAction::Reboot)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Offline(_)), "{err}");

    // It comes back on the same address: the console recovers and syncs by itself.
    let _sim = Simulator::start(SimConfig {
        vms: 30,
        bind: addr,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    until("online again", || {
        s.console.status().reachability == Reachability::Online
    })
    .await;
    assert!(
        s.events
            .statuses
            .lock()
            .unwrap()
            .iter()
            .any(|st| st.reachability == Reachability::Offline)
    );

    // Reopening the console on the same folder reads the same cache before any sync.
    let again = Console::open(
        s.dir.path(),
        Arc::new(akashone_app::NoEvents),
        options(s.keys.path()),
    )
    .unwrap();
    assert_eq!(again.list_profiles().active.as_deref(), Some(id.as_str()));

    // Removing the profile removes its secret and its cache.
    let left = s.console.remove_profile(&id).await.unwrap();
    assert!(left.profiles.is_empty() && left.active.is_none());
    assert_eq!(s.console.status().reachability, Reachability::NotConnected);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn the_first_start_runs_the_demo_and_only_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let opts = Options {
        demo_on_first_start: true,
        ..options(keys.path())
    };
    let console =
        Console::open(dir.path(), Arc::new(akashone_app::NoEvents), opts.clone()).unwrap();
    let st = console.resume().await.unwrap();
    assert_eq!(st.profile.unwrap().kind, ProfileKind::Demo);
    console.sync_now().await.unwrap();
    assert!(console.vm_page(&all("")).unwrap().all > 0);
    // The user removes it: the next start does not bring it back.
    let id = console.list_profiles().profiles[0].id.clone();
    console.remove_profile(&id).await.unwrap();
    drop(console);
    let again = Console::open(dir.path(), Arc::new(akashone_app::NoEvents), opts).unwrap();
    let st = again.resume().await.unwrap();
    assert_eq!(st.reachability, Reachability::NotConnected);
    assert!(again.list_profiles().profiles.is_empty());
}
