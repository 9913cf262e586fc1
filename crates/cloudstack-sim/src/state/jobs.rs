//! Asynchronous jobs: submitted by async commands, completed lazily when their time has come
//! (every request first completes the jobs that are due, so no timers run in the background).

use std::cmp::Reverse;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Caller, Ref, State};
use crate::error::ApiError;
use crate::util::ts;

/// How a job's action is carried out when its time has come.
pub(crate) type CompleteJob =
    fn(&mut State, usize, Action, OffsetDateTime) -> Result<Value, ApiError>;

/// What a job does when it completes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Action {
    DeployVm(usize),
    StartVm(usize),
    StopVm(usize),
    RebootVm(usize),
    DestroyVm {
        vm: usize,
        expunge: bool,
    },
    CreateVolume(usize),
    CreateSnapshot(usize),
    AssociateIp(usize),
    CreateFirewallRule(usize),
    CreatePortForward(usize),
    DeleteDomain(usize),
    DeleteAccount(usize),
    CreateCluster(usize),
    StartCluster(usize),
    StopCluster(usize),
    DeleteCluster(usize),
    ScaleCluster(usize),
    UpgradeCluster {
        cluster: usize,
        version: usize,
    },
    /// A network or storage job whose work is kept in [`State::ops`] under the job's index.
    Op,
}

/// The work of a network or storage job, done when the job completes.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    UpdateNetwork {
        network: usize,
        name: Option<String>,
        display: Option<String>,
        guest_cidr: Option<super::cidr::Cidr>,
    },
    RestartNetwork(usize),
    DeleteNetwork(usize),
    CreateVpc(usize),
    RestartVpc(usize),
    DeleteVpc(usize),
    CreateAclList(usize),
    DeleteAclList(usize),
    CreateAcl(usize),
    UpdateAcl {
        item: usize,
        number: Option<u32>,
        action: Option<&'static str>,
        cidrs: Option<String>,
        reason: Option<String>,
        spec: Option<crate::commands::addresses::RuleSpec>,
        traffic: Option<&'static str>,
    },
    DeleteAcl(usize),
    ReplaceAcl {
        network: usize,
        list: usize,
    },
    DisassociateIp(usize),
    DisableStaticNat(usize),
    DeleteFirewall(usize),
    DeletePortForward(usize),
    CreateLb(usize),
    DeleteLb(usize),
    UpdateLb {
        lb: usize,
        name: Option<String>,
        algorithm: Option<String>,
        description: Option<String>,
    },
    AssignLb {
        lb: usize,
        vms: Vec<usize>,
    },
    RemoveLb {
        lb: usize,
        vms: Vec<usize>,
    },
    CreateLbPolicy(usize),
    DeleteLbPolicy(usize),
    AttachVolume {
        volume: usize,
        vm: usize,
        device: Option<u32>,
    },
    DetachVolume(usize),
    ResizeVolume {
        volume: usize,
        size: u64,
        offering: Option<usize>,
        iops: (Option<u64>, Option<u64>),
    },
    MigrateVolume {
        volume: usize,
        pool: usize,
    },
    DeleteSnapshot(usize),
    RevertSnapshot(usize),
    CreateTemplate(usize),
    DeleteTemplate(usize),
    CreateVmSnapshot(usize),
    RevertVmSnapshot(usize),
    DeleteVmSnapshot(usize),
}

/// One asynchronous job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub id: String,
    pub caller: Caller,
    pub cmd: &'static str,
    pub created: OffsetDateTime,
    pub completed: Option<OffsetDateTime>,
    /// 0 pending, 1 succeeded, 2 failed.
    pub status: u8,
    pub result_code: u16,
    pub result: Option<Value>,
    pub instance: Option<(&'static str, String)>,
    pub due_wall: OffsetDateTime,
    pub action: Option<Action>,
}

impl State {
    /// Queues a job due `delay` after `after` (or now) and returns its index.
    pub fn submit(
        &mut self,
        caller: &Caller,
        cmd: &'static str,
        instance: Option<(&'static str, String)>,
        delay: Duration,
        after: Option<Instant>,
        action: Action,
    ) -> (usize, Instant) {
        let now = Instant::now();
        let start = after.filter(|a| *a > now).unwrap_or(now);
        let due = start + delay;
        let wall_now = OffsetDateTime::now_utc();
        let due_wall = wall_now + (due - now);
        let id = self.rng.uuid();
        let idx = self.jobs.len();
        self.jobs.push(Job {
            id: id.clone(),
            caller: *caller,
            cmd,
            created: wall_now,
            completed: None,
            status: 0,
            result_code: 0,
            result: None,
            instance,
            due_wall,
            action: Some(action),
        });
        self.index(&id, Ref::Job(idx));
        self.due.push(Reverse((due, idx)));
        (idx, due)
    }

    /// Completes every job whose time has come, in order, each by `complete` (the commands'
    /// completion of an action, given the job's index and the time it was due).
    pub fn run_due_jobs(&mut self, complete: CompleteJob) {
        let now = Instant::now();
        while let Some(Reverse((due, idx))) = self.due.peek().copied() {
            if due > now {
                break;
            }
            self.due.pop();
            self.complete(idx, complete);
        }
    }

    fn complete(&mut self, idx: usize, complete: CompleteJob) {
        let Some(action) = self.jobs[idx].action.take() else {
            return;
        };
        let when = self.jobs[idx].due_wall;
        let outcome = complete(self, idx, action, when);
        let job = &mut self.jobs[idx];
        job.completed = Some(when);
        match outcome {
            Ok(result) => {
                job.status = 1;
                job.result_code = 0;
                job.result = Some(result);
            }
            Err(e) => {
                let e = e.for_caller(job.caller.is_root());
                job.status = 2;
                job.result_code = e.code;
                let mut body = serde_json::Map::new();
                body.insert("errorcode".into(), json!(e.code));
                if let Some(cs) = e.cs_code {
                    body.insert("cserrorcode".into(), json!(cs));
                }
                body.insert("errortext".into(), json!(e.text));
                job.result = Some(Value::Object(body));
            }
        }
    }

    /// The queryAsyncJobResult view of a job.
    pub fn job_json(&self, idx: usize) -> Value {
        let job = &self.jobs[idx];
        let account = &self.accounts[job.caller.account];
        let mut v = json!({
            "accountid": account.id,
            "account": account.name,
            "domainid": self.domains[account.domain].id,
            "domainpath": self.domains[account.domain].path,
            "userid": self.users[job.caller.user].id,
            "cmd": job.cmd,
            "jobstatus": job.status,
            "jobprocstatus": 0,
            "jobresultcode": job.result_code,
            "created": ts(job.created),
            "jobid": job.id,
        });
        let obj = v.as_object_mut().expect("object");
        if let Some((kind, id)) = &job.instance {
            obj.insert("jobinstancetype".into(), json!(kind));
            obj.insert("jobinstanceid".into(), json!(id));
        }
        if let Some(result) = &job.result {
            obj.insert("jobresulttype".into(), json!("object"));
            obj.insert("jobresult".into(), result.clone());
        }
        if let Some(done) = job.completed {
            obj.insert("completed".into(), json!(ts(done)));
        }
        v
    }

    /// `jobid`/`jobstatus` of a pending job, for items of list responses.
    pub fn pending(&self, job: Option<usize>) -> Option<(&str, u8)> {
        job.map(|j| &self.jobs[j])
            .filter(|j| j.status == 0)
            .map(|j| (j.id.as_str(), j.status))
    }
}

/// Adds `jobid` and `jobstatus` to an object when a job is pending on it.
pub(crate) fn with_pending(mut v: Value, pending: Option<(&str, u8)>) -> Value {
    if let (Some((id, status)), Some(obj)) = (pending, v.as_object_mut()) {
        obj.insert("jobid".into(), json!(id));
        obj.insert("jobstatus".into(), json!(status));
    }
    v
}
