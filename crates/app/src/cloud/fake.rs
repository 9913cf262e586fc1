//! A cloud in memory, for the console's own tests: it answers, stops answering, or ends the
//! session when told, and keeps its VMs in a list.

use super::{Cloud, Job, Outcome, waited_by_server};
use crate::error::{AppError, Result};
use akashone_cache::sync::Snapshot;
use akashone_cache::{Stored, Vm};
use akashone_central::CentralError;
use akashone_types::kubernetes::{
    ClusterAction, ClusterPlan, ClusterRow, CreateCluster, KubeOffering, KubeVersion,
};
use akashone_types::{Choice, DeployRequest, VmAction, VmMetrics};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// How the fake cloud answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mood {
    Answers,
    Unreachable,
    SessionEnded,
}

pub(crate) struct FakeCloud {
    pub(crate) mood: Mutex<Mood>,
    pub(crate) vms: Mutex<Vec<Stored<Vm>>>,
    pub(crate) forgotten: Mutex<bool>,
}

pub(crate) fn vm(id: &str, state: &str) -> Stored<Vm> {
    let record = Vm {
        id: id.to_owned(),
        name: Some(format!("vm-{id}")),
        state: Some(state.to_owned()),
        cpu_number: Some(2),
        memory_mb: Some(2048),
        ..Vm::default()
    };
    Stored::new(record, serde_json::json!({ "id": id, "state": state }))
}

impl FakeCloud {
    pub(crate) fn new(vms: Vec<Stored<Vm>>) -> Self {
        Self {
            mood: Mutex::new(Mood::Answers),
            vms: Mutex::new(vms),
            forgotten: Mutex::new(false),
        }
    }

    pub(crate) fn set(&self, mood: Mood) {
        *self.mood.lock().unwrap() = mood;
    }

    fn answer(&self) -> Result<()> {
        match *self.mood.lock().unwrap() {
            Mood::Answers => Ok(()),
            Mood::Unreachable => Err(AppError::Offline("connection refused".into())),
            Mood::SessionEnded => Err(AppError::Central(CentralError::Unauthorized(
                "session expired".into(),
            ))),
        }
    }
}

#[async_trait::async_trait]
impl Cloud for FakeCloud {
    fn ready(&self) -> bool {
        !*self.forgotten.lock().unwrap()
    }

    async fn probe(&self) -> Result<()> {
        self.answer()
    }

    async fn snapshot(&self) -> Result<Snapshot> {
        self.answer()?;
        Ok(Snapshot {
            vms: Some(Ok(self.vms.lock().unwrap().clone())),
            zones: Some(Ok(Vec::new())),
            ..Snapshot::default()
        })
    }

    fn forget(&self) {
        *self.forgotten.lock().unwrap() = true;
    }

    async fn zones(&self) -> Result<Vec<Choice>> {
        self.answer()?;
        Ok(vec![Choice {
            id: "z1".into(),
            name: "Zone one".into(),
            detail: String::new(),
        }])
    }

    async fn templates(&self, _zone_id: &str) -> Result<Vec<Choice>> {
        self.answer().map(|()| Vec::new())
    }

    async fn offerings(&self) -> Result<Vec<Choice>> {
        self.answer().map(|()| Vec::new())
    }

    async fn keypairs(&self) -> Result<Vec<Choice>> {
        self.answer().map(|()| Vec::new())
    }

    async fn networks(&self, _zone_id: &str) -> Result<Vec<Choice>> {
        self.answer().map(|()| Vec::new())
    }

    async fn deploy(&self, req: &DeployRequest) -> Result<Job> {
        self.answer()?;
        let row = vm(&format!("new-{}", req.name), "Running");
        self.vms.lock().unwrap().push(row.clone());
        Ok(waited_by_server(None, async move {
            Ok(Outcome::Vm(Box::new(row)))
        }))
    }

    async fn vm_action(&self, vm_id: &str, action: VmAction) -> Result<Job> {
        self.answer()?;
        let state = match action {
            VmAction::Start | VmAction::Reboot => "Running",
            VmAction::Stop | VmAction::ForceStop => "Stopped",
            VmAction::Destroy | VmAction::DestroyExpunge => "Destroyed",
        };
        let row = vm(vm_id, state);
        let mut vms = self.vms.lock().unwrap();
        vms.retain(|v| v.record.id != vm_id);
        if action != VmAction::DestroyExpunge {
            vms.push(row.clone());
        }
        Ok(waited_by_server(Some(vm_id.to_owned()), async move {
            Ok(match action {
                VmAction::DestroyExpunge => Outcome::Removed,
                VmAction::Destroy => Outcome::Destroyed,
                _ => Outcome::Vm(Box::new(row)),
            })
        }))
    }

    async fn vm_metrics(&self, _vm_id: &str) -> Result<VmMetrics> {
        self.answer()?;
        Ok(VmMetrics {
            cpu_used: "12%".into(),
            memory_used_kib: None,
            network_read_kib: None,
            network_write_kib: None,
            disk_read_kib: None,
            disk_write_kib: None,
            disk_read_ops: None,
            disk_write_ops: None,
        })
    }

    // The console's Kubernetes rules and jobs are tested against the simulator (the app's
    // integration tests); this cloud has no Kubernetes service.

    async fn kube_versions(&self, _: Option<&str>) -> Result<Vec<KubeVersion>> {
        Err(no_kubernetes())
    }

    async fn kube_offerings(&self) -> Result<Vec<KubeOffering>> {
        Err(no_kubernetes())
    }

    async fn kube_plan(&self, _: &CreateCluster) -> Result<ClusterPlan> {
        Err(no_kubernetes())
    }

    async fn kube_create(&self, _: &CreateCluster) -> Result<Job> {
        Err(no_kubernetes())
    }

    async fn kube_action(&self, _: &ClusterRow, _: &ClusterAction) -> Result<Job> {
        Err(no_kubernetes())
    }

    async fn kubeconfig(&self, _: &str) -> Result<Zeroizing<String>> {
        Err(no_kubernetes())
    }

    async fn operate(&self, _: &akashone_types::ops::Operation) -> Result<Job> {
        Err(no_resources())
    }

    async fn lb_members(&self, _: &str) -> Result<Vec<akashone_types::network::LbMemberRow>> {
        Err(no_resources())
    }

    async fn network_offerings(&self, _: &str, _: bool) -> Result<Vec<Choice>> {
        Err(no_resources())
    }
}

fn no_resources() -> AppError {
    AppError::WrongProfile(
        "this test cloud has no networks or storage to manage (the simulator tests them)".into(),
    )
}

fn no_kubernetes() -> AppError {
    AppError::WrongProfile("this test cloud has no Kubernetes service".into())
}

/// The console's background work and VM jobs, written once for every cloud, tested on the
/// fake one.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Console, Events, Options};
    use akashone_types::{
        ConnectionStatus, JobEvent, JobPhase, Profile, ProfileKind, Reachability, SecretStorage,
        VmQuery,
    };
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[derive(Default)]
    struct Jobs(Mutex<Vec<JobEvent>>);

    impl Events for Jobs {
        fn connection(&self, _: &ConnectionStatus) {}
        fn data_changed(&self) {}
        fn job(&self, e: &JobEvent) {
            self.0.lock().unwrap().push(e.clone());
        }
        fn kube_job(&self, e: &JobEvent) {
            self.0.lock().unwrap().push(e.clone());
        }
        fn resource_job(&self, e: &JobEvent) {
            self.0.lock().unwrap().push(e.clone());
        }
    }

    struct Setup {
        console: Arc<Console>,
        cloud: Arc<FakeCloud>,
        jobs: Arc<Jobs>,
        _dir: tempfile::TempDir,
    }

    /// A console on a fake cloud; `background`: the sync loop and heartbeat run (otherwise the
    /// test syncs when it wants, and no sync races its jobs).
    fn setup(vms: Vec<Stored<Vm>>, background: bool) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let jobs = Arc::new(Jobs::default());
        let options = Options {
            heartbeat: Duration::from_millis(20),
            vault_file_only: true,
            vault_key_file: Some(dir.path().join("vault.key")),
            demo_on_first_start: false,
            remember_active: false,
            background,
            ..Options::default()
        };
        let console = Console::open(&dir.path().join("data"), jobs.clone(), options).unwrap();
        let cloud = Arc::new(FakeCloud::new(vms));
        let profile = Profile {
            id: "fake".into(),
            name: "Fake cloud".into(),
            kind: ProfileKind::Demo,
            secret_storage: SecretStorage::EncryptedFile,
        };
        console
            .start_session(profile, cloud.clone(), false)
            .unwrap();
        Setup {
            console,
            cloud,
            jobs,
            _dir: dir,
        }
    }

    async fn until(what: &str, f: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !f() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn page(console: &Console) -> Vec<(String, String)> {
        let q = VmQuery {
            limit: 100,
            ..VmQuery::default()
        };
        console
            .vm_page(&q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.id, r.state))
            .collect()
    }

    #[tokio::test]
    async fn goes_offline_keeps_the_cache_and_recovers_by_itself() {
        let s = setup(vec![vm("a", "Running")], true);
        until("online", || {
            s.console.status().reachability == Reachability::Online
        })
        .await;
        assert_eq!(page(&s.console), [("a".into(), "Running".into())]);

        s.cloud.set(Mood::Unreachable);
        until("offline", || {
            s.console.status().reachability == Reachability::Offline
        })
        .await;
        assert_eq!(page(&s.console).len(), 1, "the cache stays readable");
        assert_eq!(
            s.console.status().last_error_code,
            Some(akashone_types::ErrorCode::Unreachable)
        );
        let refused = s.console.vm_action("a", VmAction::Stop).await.unwrap_err();
        assert!(matches!(refused, AppError::Offline(_)), "{refused}");

        // A VM appeared while the cloud was away: the sync after recovery brings it.
        s.cloud.vms.lock().unwrap().push(vm("b", "Stopped"));
        s.cloud.set(Mood::Answers);
        until("back online with b", || {
            s.console.status().reachability == Reachability::Online && page(&s.console).len() == 2
        })
        .await;
    }

    #[tokio::test]
    async fn a_job_outcome_lands_in_the_cache_with_its_events() {
        let s = setup(vec![vm("a", "Running"), vm("b", "Running")], false);
        s.console.sync_now().await.unwrap();
        let task = s.console.vm_action("a", VmAction::Stop).await.unwrap();
        until("stopped", || {
            page(&s.console).contains(&("a".into(), "Stopped".into()))
        })
        .await;
        let phases: Vec<JobPhase> = s
            .jobs
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.task_id == task)
            .map(|e| e.phase)
            .collect();
        assert_eq!(
            phases,
            [JobPhase::Submitting, JobPhase::Running, JobPhase::Succeeded]
        );

        s.console
            .vm_action("b", VmAction::DestroyExpunge)
            .await
            .unwrap();
        until("b gone", || page(&s.console).len() == 1).await;

        // A state in which the action makes no sense is refused before the cloud is asked.
        let err = s.console.vm_action("a", VmAction::Stop).await.unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err}");
    }

    #[tokio::test]
    async fn an_ended_session_signs_out_and_forgets_it() {
        let s = setup(vec![vm("a", "Running")], true);
        s.console.sync_now().await.unwrap();
        s.cloud.set(Mood::SessionEnded);
        until("signed out", || {
            s.console.status().reachability == Reachability::SignedOut
        })
        .await;
        assert!(*s.cloud.forgotten.lock().unwrap());
        assert_eq!(
            s.console.status().last_error_code,
            Some(akashone_types::ErrorCode::Unauthorized)
        );
        assert_eq!(page(&s.console).len(), 1, "the cache stays readable");
        // Nothing more is asked until the user signs in again.
        let status = s.console.sync_now().await.unwrap();
        assert_eq!(status.reachability, Reachability::SignedOut);
    }

    #[tokio::test]
    async fn a_refused_submission_reports_a_failed_job() {
        let s = setup(vec![vm("a", "Running")], false);
        s.console.sync_now().await.unwrap();
        s.cloud.set(Mood::Unreachable);
        let err = s
            .console
            .vm_action("a", VmAction::Reboot)
            .await
            .unwrap_err();
        assert!(err.is_unreachable(), "{err}");
        let last = s.jobs.0.lock().unwrap().last().cloned().unwrap();
        assert_eq!(last.phase, JobPhase::Failed);
        assert_eq!(s.console.status().reachability, Reachability::Offline);
    }
}
