//! Asynchronous jobs: submit, then poll `queryAsyncJobResult` with backoff until the job ends.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{AsyncJobStatus, JobState, Success};
use crate::params::Params;
use crate::response;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// What a progress callback is told after each poll.
#[derive(Debug, Clone, PartialEq)]
pub struct JobProgress {
    /// The job id.
    pub jobid: String,
    /// The command that started the job.
    pub command: String,
    /// How many polls so far (1 after the first).
    pub polls: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
    /// The job phase after this poll.
    pub state: JobState,
    /// The job's progress counter, when the server reports one.
    pub jobprocstatus: Option<i64>,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&JobProgress) + Send + Sync>;

/// How to wait for a job.
#[derive(Clone)]
pub struct JobOptions {
    /// Delay before the second poll (the first poll is immediate).
    pub poll_interval: Duration,
    /// Upper bound of the delay between polls (it grows by half each time).
    pub max_poll_interval: Duration,
    /// Give up waiting after this long (`None`: wait forever).
    pub timeout: Option<Duration>,
    /// Stop waiting when this token is cancelled. Dropping the wait future works too.
    pub cancel: Option<CancellationToken>,
    /// Called after every poll.
    pub progress: Option<ProgressFn>,
}

impl Default for JobOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(500),
            max_poll_interval: Duration::from_secs(5),
            timeout: Some(Duration::from_secs(30 * 60)),
            cancel: None,
            progress: None,
        }
    }
}

impl fmt::Debug for JobOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobOptions")
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .field("timeout", &self.timeout)
            .field("cancel", &self.cancel.is_some())
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl JobOptions {
    /// Sets the overall timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the first and maximum poll intervals.
    #[must_use]
    pub fn with_poll_interval(mut self, first: Duration, max: Duration) -> Self {
        self.poll_interval = first;
        self.max_poll_interval = max.max(first);
        self
    }

    /// Sets the cancellation token.
    #[must_use]
    pub fn with_cancel(mut self, token: CancellationToken) -> Self {
        self.cancel = Some(token);
        self
    }

    /// Sets the progress callback.
    #[must_use]
    pub fn with_progress(mut self, f: impl Fn(&JobProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// The delay after poll number `poll` (1-based): `poll_interval × 1.5^(poll-1)`, capped.
    pub fn delay_after(&self, poll: u32) -> Duration {
        let factor = 1.5f64.powi(i32::try_from(poll.saturating_sub(1).min(40)).unwrap_or(40));
        let d = self.poll_interval.mul_f64(factor);
        d.min(self.max_poll_interval)
    }
}

/// Turns a finished job's `jobresult` into a typed value.
pub trait JobOutput: Sized {
    /// Converts the `jobresult` object of a successful job.
    fn from_jobresult(command: &str, jobresult: &Value) -> Result<Self>;
}

impl JobOutput for Value {
    fn from_jobresult(_: &str, jobresult: &Value) -> Result<Self> {
        Ok(jobresult.clone())
    }
}

impl JobOutput for Success {
    fn from_jobresult(command: &str, jobresult: &Value) -> Result<Self> {
        response::object(command, jobresult)
    }
}

/// A model returned inside `jobresult` under a fixed key.
pub trait ResultKey: DeserializeOwned {
    /// The key, e.g. `"virtualmachine"`.
    const KEY: &'static str;
}

impl<T: ResultKey> JobOutput for T {
    fn from_jobresult(command: &str, jobresult: &Value) -> Result<Self> {
        response::object_at(command, jobresult, T::KEY)
    }
}

impl<T: ResultKey> JobOutput for Option<T> {
    fn from_jobresult(command: &str, jobresult: &Value) -> Result<Self> {
        if jobresult.get(T::KEY).is_some() {
            response::object_at(command, jobresult, T::KEY).map(Some)
        } else {
            Ok(None)
        }
    }
}

macro_rules! result_keys {
    ($($t:ty => $k:literal),* $(,)?) => { $(impl ResultKey for $t { const KEY: &'static str = $k; })* };
}
use crate::model::*;
result_keys! {
    VirtualMachine => "virtualmachine",
    Volume => "volume",
    Snapshot => "snapshot",
    PublicIpAddress => "ipaddress",
    FirewallRule => "firewallrule",
    PortForwardingRule => "portforwardingrule",
    Network => "network",
    LoadBalancerRule => "loadbalancer",
    LbHealthCheckPolicies => "healthcheckpolicies",
    LbStickinessPolicies => "stickinesspolicies",
    Vpc => "vpc",
    NetworkAclList => "networkacllist",
    NetworkAclItem => "networkacl",
    SnapshotPolicy => "snapshotpolicy",
    VmSnapshot => "vmsnapshot",
    KubernetesCluster => "kubernetescluster",
    KubernetesSupportedVersion => "kubernetessupportedversion",
    Domain => "domain",
    Account => "account",
    SshKeyPair => "keypair",
    Template => "template",
    ServiceOffering => "serviceoffering",
}

/// A submitted asynchronous job whose result will be a `T`.
pub struct AsyncJob<T> {
    client: Client,
    command: String,
    jobid: String,
    id: Option<String>,
    _t: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for AsyncJob<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncJob")
            .field("command", &self.command)
            .field("jobid", &self.jobid)
            .field("id", &self.id)
            .finish()
    }
}

impl<T> Clone for AsyncJob<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            command: self.command.clone(),
            jobid: self.jobid.clone(),
            id: self.id.clone(),
            _t: PhantomData,
        }
    }
}

impl<T> AsyncJob<T> {
    /// The job id.
    pub fn jobid(&self) -> &str {
        &self.jobid
    }

    /// The id of the object being created, when the server announced it (create commands).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The command that started the job.
    pub fn command(&self) -> &str {
        &self.command
    }
}

impl<T: JobOutput> AsyncJob<T> {
    /// A handle for a job id obtained elsewhere.
    pub fn from_jobid(
        client: Client,
        command: impl Into<String>,
        jobid: impl Into<String>,
    ) -> Self {
        Self {
            client,
            command: command.into(),
            jobid: jobid.into(),
            id: None,
            _t: PhantomData,
        }
    }

    /// Waits for the job to end and returns its typed result.
    pub async fn wait(&self, opts: &JobOptions) -> Result<T> {
        let result = self
            .client
            .wait_job(&self.command, &self.jobid, opts)
            .await?;
        T::from_jobresult(&self.command, &result)
    }
}

impl Client {
    /// Calls an async command and returns the job handle (`jobid`, and `id` for creations).
    pub async fn submit<T: JobOutput>(
        &self,
        command: &str,
        params: &Params,
    ) -> Result<AsyncJob<T>> {
        let inner = self.call(command, params).await?;
        let jobid =
            response::id_field(&inner, "jobid").ok_or_else(|| Error::MalformedResponse {
                command: command.to_owned(),
                message: "an async command answered without a jobid".into(),
            })?;
        Ok(AsyncJob {
            client: self.clone(),
            command: command.to_owned(),
            jobid,
            id: response::id_field(&inner, "id"),
            _t: PhantomData,
        })
    }

    /// One `queryAsyncJobResult`.
    pub async fn query_async_job_result(&self, jobid: &str) -> Result<AsyncJobStatus> {
        let inner = self
            .call("queryAsyncJobResult", &Params::new().with("jobid", jobid))
            .await?;
        response::object("queryAsyncJobResult", &inner)
    }

    /// Polls a job until it ends. Returns `jobresult` on success; a failed job becomes
    /// [`Error::JobFailed`] with CloudStack's `errorcode` and `errortext`.
    pub async fn wait_job(&self, command: &str, jobid: &str, opts: &JobOptions) -> Result<Value> {
        let start = Instant::now();
        let deadline = opts.timeout.map(|t| start + t);
        let never = CancellationToken::new();
        let cancel = opts.cancel.as_ref().unwrap_or(&never);
        let timed_out = || Error::Timeout {
            what: format!("job {jobid} ({command})"),
            after: start.elapsed(),
        };
        let cancelled = || Error::WaitCancelled {
            command: command.to_owned(),
            jobid: jobid.to_owned(),
        };
        let mut polls = 0u32;
        loop {
            let query = self.query_async_job_result(jobid);
            let status = tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(cancelled()),
                r = until(deadline, query) => match r {
                    Some(r) => r?,
                    None => return Err(timed_out()),
                },
            };
            polls += 1;
            let state = status.state();
            if let Some(progress) = &opts.progress {
                progress(&JobProgress {
                    jobid: jobid.to_owned(),
                    command: command.to_owned(),
                    polls,
                    elapsed: start.elapsed(),
                    state,
                    jobprocstatus: status.jobprocstatus,
                });
            }
            match state {
                JobState::Succeeded => {
                    if let Some(err) = job_error(command, jobid, &status) {
                        return Err(err);
                    }
                    return Ok(status.jobresult.unwrap_or(Value::Null));
                }
                JobState::Failed => {
                    return Err(job_error(command, jobid, &status).unwrap_or_else(|| {
                        Error::JobFailed {
                            command: command.to_owned(),
                            jobid: jobid.to_owned(),
                            errorcode: 530,
                            errortext: "the job failed without an error text".into(),
                        }
                    }));
                }
                JobState::Cancelled => {
                    return Err(Error::JobCancelled {
                        command: command.to_owned(),
                        jobid: jobid.to_owned(),
                    });
                }
                JobState::Pending => {}
            }
            let delay = opts.delay_after(polls);
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(cancelled()),
                r = until(deadline, tokio::time::sleep(delay)) => if r.is_none() {
                    return Err(timed_out());
                },
            }
        }
    }

    /// Calls any command; when it answers with a `jobid`, waits for the job and returns its
    /// `jobresult`, otherwise returns the answer.
    pub async fn call_and_wait(
        &self,
        command: &str,
        params: &Params,
        opts: &JobOptions,
    ) -> Result<Value> {
        let inner = self.call(command, params).await?;
        match response::id_field(&inner, "jobid") {
            Some(jobid) if !command.eq_ignore_ascii_case("queryAsyncJobResult") => {
                self.wait_job(command, &jobid, opts).await
            }
            _ => Ok(inner),
        }
    }
}

/// Runs `fut` until `deadline`; `None` when the deadline passed first.
async fn until<F: std::future::Future>(deadline: Option<Instant>, fut: F) -> Option<F::Output> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d, fut).await.ok(),
        None => Some(fut.await),
    }
}

/// The error of a job that reports one (failed jobs, or "succeeded" with a non-zero code).
fn job_error(command: &str, jobid: &str, status: &AsyncJobStatus) -> Option<Error> {
    let result = status.jobresult.as_ref();
    let errorcode = result
        .and_then(|r| r.get("errorcode"))
        .and_then(|v| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        })
        .and_then(|n| u16::try_from(n).ok());
    let resultcode = status
        .jobresultcode
        .filter(|c| *c != 0)
        .and_then(|c| u16::try_from(c).ok());
    let errorcode = errorcode.or(if status.state() == JobState::Failed {
        resultcode
    } else {
        None
    })?;
    let errortext = result
        .and_then(|r| r.get("errortext"))
        .and_then(Value::as_str)
        .unwrap_or("the job failed without an error text")
        .to_owned();
    Some(Error::JobFailed {
        command: command.to_owned(),
        jobid: jobid.to_owned(),
        errorcode,
        errortext,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_delays_grow_and_cap() {
        let o = JobOptions::default()
            .with_poll_interval(Duration::from_millis(100), Duration::from_millis(400));
        assert_eq!(o.delay_after(1), Duration::from_millis(100));
        assert_eq!(o.delay_after(2), Duration::from_millis(150));
        assert_eq!(o.delay_after(3), Duration::from_millis(225));
        assert_eq!(o.delay_after(30), Duration::from_millis(400));
    }

    #[test]
    fn failed_job_errors() {
        let st: AsyncJobStatus = serde_json::from_str(
            r#"{"jobid":34,"jobstatus":2,"jobresultcode":530,"jobresult":{"errorcode":431,"errortext":"Please provide"}}"#,
        )
        .unwrap();
        let e = job_error("attachVolume", "34", &st).unwrap();
        assert!(matches!(e, Error::JobFailed { errorcode: 431, .. }));
        let st: AsyncJobStatus = serde_json::from_str(r#"{"jobid":1,"jobstatus":2}"#).unwrap();
        assert!(job_error("x", "1", &st).is_none());
        let st: AsyncJobStatus = serde_json::from_str(
            r#"{"jobid":1,"jobstatus":1,"jobresultcode":0,"jobresult":{"success":true}}"#,
        )
        .unwrap();
        assert!(job_error("x", "1", &st).is_none());
    }
}
