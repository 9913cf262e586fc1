//! The HTTP front: `/client/api`, request checks in the management server's order, fault
//! injection, and the handle that owns a running simulator.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State as AxState};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::OffsetDateTime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::commands::limits::LimitedResource;
use crate::commands::{self, Access, CommandDef, Ctx};
use crate::config::SimConfig;
use crate::data::{self, SimUser};
use crate::error::{ApiError, GENERIC_ERROR_TEXT, SimError};
use crate::kubeapi::{self, KubeApiInfo, KubeNodeHealth};
use crate::params::Params;
use crate::render::{self, Format};
use crate::rng::SimRng;
use crate::signing;
use crate::state::model::AccountKind;
use crate::state::{Caller, State};

/// Fault-injection knobs, adjustable while running.
#[derive(Debug)]
struct Faults {
    latency: Duration,
    error_rate: f64,
    drop_rate: f64,
    rng: SimRng,
}

/// What the request handlers (CloudStack's and the clusters' Kubernetes APIs) share.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    faults: Mutex<Faults>,
    enforce: bool,
    /// The clusters' Kubernetes API listeners.
    kube: Mutex<kubeapi::Servers>,
    /// The runtime the simulator was started on (listeners are started on it).
    pub(crate) runtime: tokio::runtime::Handle,
}

impl Shared {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    pub(crate) fn kube(&self) -> MutexGuard<'_, kubeapi::Servers> {
        self.kube.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Completes the jobs that are due and brings the Kubernetes API listeners in line.
    pub(crate) fn tick(self: &Arc<Self>, state: &mut State) {
        state.run_due_jobs(commands::complete_job);
        kubeapi::reconcile(self, state);
    }
    fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Starts simulators.
#[derive(Debug)]
pub struct Simulator;

impl Simulator {
    /// Generates the seeded data, binds `config.bind` and serves `/client/api` until the handle
    /// is shut down or dropped.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        config.validate()?;
        let state = data::generate(&config);
        let admin = data::user_view(&state, 0);
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: Mutex::new(Faults {
                latency: config.latency,
                error_rate: config.error_rate,
                drop_rate: config.drop_rate,
                rng: SimRng::new(config.seed, 9),
            }),
            enforce: config.enforce_post_and_timestamps,
            kube: Mutex::new(kubeapi::Servers::default()),
            runtime: tokio::runtime::Handle::current(),
        });
        {
            let mut s = shared.state();
            kubeapi::reconcile(&shared, &mut s);
        }
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.bind,
            source,
        })?;
        let router = Router::new()
            .route("/client/api", get(api).post(api))
            .route("/client/api/", get(api).post(api))
            .with_state(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::warn!("simulator stopped: {e}");
            }
        });
        tracing::debug!(%addr, "CloudStack simulator listening");
        Ok(SimHandle {
            addr,
            admin,
            shared,
            stop: Some(tx),
            task: Some(task),
        })
    }
}

/// A running simulator. Stops when shut down or dropped.
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    admin: SimUser,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// The API endpoint, `http://127.0.0.1:PORT/client/api`.
    pub fn url(&self) -> String {
        format!("http://{}/client/api", self.addr)
    }

    /// The root admin's API key.
    pub fn api_key(&self) -> &str {
        &self.admin.api_key
    }

    /// The root admin's secret key.
    pub fn secret_key(&self) -> &str {
        &self.admin.secret_key
    }

    /// The root admin's credentials and ids.
    pub fn admin(&self) -> &SimUser {
        &self.admin
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Creates a user (with fresh keys) in `account` of the domain at `domain_path`
    /// (`ROOT/Customers/Acme` or `/Customers/Acme`), creating the domain path and the account
    /// (type User) when missing.
    pub fn create_user(&self, domain_path: &str, account: &str) -> Result<SimUser, SimError> {
        data::create_tenant(&mut self.shared.state(), domain_path, account, None, false)
    }

    /// Like [`SimHandle::create_user`] with an account of type Domain Admin (Root Admin when
    /// the domain is ROOT).
    pub fn create_admin(&self, domain_path: &str, account: &str) -> Result<SimUser, SimError> {
        data::create_tenant(&mut self.shared.state(), domain_path, account, None, true)
    }

    /// Like [`SimHandle::create_user`] with given keys (for published signing vectors).
    pub fn create_user_with_keys(
        &self,
        domain_path: &str,
        account: &str,
        api_key: &str,
        secret_key: &str,
    ) -> Result<SimUser, SimError> {
        let keys = Some((api_key.to_string(), secret_key.to_string()));
        data::create_tenant(&mut self.shared.state(), domain_path, account, keys, false)
    }

    /// Credentials of the first user of a generated account, by account name.
    pub fn user_of(&self, account: &str) -> Option<SimUser> {
        let s = self.shared.state();
        let a = s
            .accounts
            .iter()
            .position(|x| !x.removed && x.name == account)?;
        let u = s.users.iter().position(|u| u.account == a)?;
        Some(data::user_view(&s, u))
    }

    /// Moves everything dated about an account's resources `by` into the past — its VMs (and
    /// their running spans), volumes, snapshots, public addresses, networks and Kubernetes
    /// clusters — as if they had been created that much earlier, so usage of past periods can be
    /// tested. Returns false if there is no such account (by id).
    pub fn backdate_account(&self, account_id: &str, by: Duration) -> bool {
        let mut s = self.shared.state();
        let Some(a) = s.accounts.iter().position(|x| x.id == account_id) else {
            return false;
        };
        data::backdate_account(&mut s, a, time::Duration::seconds(by.as_secs() as i64));
        true
    }

    /// Sets the capacity (VMs holding capacity) of the zone with this name or id; `None`
    /// falls back to [`SimConfig::zone_capacity`]. Returns false if there is no such zone.
    pub fn set_zone_capacity(&self, zone: &str, capacity: Option<usize>) -> bool {
        let mut s = self.shared.state();
        match s.zones.iter_mut().find(|z| z.name == zone || z.id == zone) {
            Some(z) => {
                z.capacity = capacity;
                true
            }
            None => false,
        }
    }

    /// Where the Kubernetes API of the cluster with this id or name listens, whether it is
    /// listening now, and the kubeconfig client certificate's expiry.
    pub fn kube_api(&self, cluster: &str) -> Option<KubeApiInfo> {
        let mut s = self.shared.state();
        self.shared.tick(&mut s);
        let c = cluster_index(&s, cluster)?;
        kubeapi::info(&self.shared, &s, c)
    }

    /// The Kubernetes API of every cluster that exists, by cluster name.
    pub fn kube_apis(&self) -> Vec<(String, KubeApiInfo)> {
        let mut s = self.shared.state();
        self.shared.tick(&mut s);
        (0..s.clusters.len())
            .filter(|&c| !s.clusters[c].removed)
            .filter_map(|c| {
                Some((
                    s.clusters[c].name.clone(),
                    kubeapi::info(&self.shared, &s, c)?,
                ))
            })
            .collect()
    }

    /// Knob: how the node of the VM with this id or name looks to Kubernetes, whatever CloudStack
    /// says (a VM Running in CloudStack whose node is NotReady or never joined). Returns false
    /// if the VM is not a node of a cluster.
    pub fn set_kube_node_health(&self, vm: &str, health: KubeNodeHealth) -> bool {
        let mut s = self.shared.state();
        let Some(v) = s
            .vms
            .iter()
            .position(|x| !x.removed && (x.id == vm || x.name == vm))
        else {
            return false;
        };
        let Some(c) = s.vms[v].cluster else {
            return false;
        };
        s.clusters[c].node_health.insert(v, health);
        true
    }

    /// Knob: whether the cluster's Kubernetes API accepts connections while the cluster is
    /// Running (false: the listener is closed and connections are refused although CloudStack
    /// says Running). Returns false if there is no such cluster.
    pub fn set_kube_api_reachable(&self, cluster: &str, reachable: bool) -> bool {
        let mut s = self.shared.state();
        let Some(c) = cluster_index(&s, cluster) else {
            return false;
        };
        s.clusters[c].api_reachable = reachable;
        self.shared.tick(&mut s);
        true
    }

    /// Knob: whether the cluster's `/readyz` says ok (false: HTTP 500 with a failed etcd
    /// check, the rest of the API still answering). Returns false if there is no such cluster.
    pub fn set_kube_api_ready(&self, cluster: &str, ready: bool) -> bool {
        let mut s = self.shared.state();
        let Some(c) = cluster_index(&s, cluster) else {
            return false;
        };
        s.clusters[c].api_ready = ready;
        true
    }

    /// Sets an account's resource limit (by account id or name; `None` = unlimited), checked by
    /// deployVirtualMachine, createKubernetesCluster and scaleKubernetesCluster and shown by
    /// listAccounts. Returns false if there is no such account.
    pub fn set_account_limit(
        &self,
        account: &str,
        resource: LimitedResource,
        limit: Option<u64>,
    ) -> bool {
        let mut s = self.shared.state();
        let Some(a) = s
            .accounts
            .iter()
            .position(|x| !x.removed && (x.id == account || x.name == account))
        else {
            return false;
        };
        s.accounts[a].limits[resource.index()] = limit;
        true
    }

    /// Adds an enabled Kubernetes version (`1.15.12`), as an admin's
    /// addKubernetesSupportedVersion would, and returns its id; versions before 1.16.0 do not
    /// support HA (`supportsha` false). None if the text is not a semantic version.
    pub fn add_kube_version(&self, semantic: &str, autoscaling: bool) -> Option<String> {
        let semver = crate::commands::catalog::parse_semver(semantic)?;
        let mut s = self.shared.state();
        let id = s.rng.uuid();
        let iso_id = s.rng.uuid();
        let idx = s.kube_versions.len();
        let created = OffsetDateTime::now_utc();
        s.kube_versions.push(crate::state::model::KubeVersion {
            id: id.clone(),
            semver,
            iso_id,
            autoscaling,
            enabled: true,
            created,
        });
        s.index(&id, crate::state::Ref::KubeVersion(idx));
        Some(id)
    }

    /// Changes the added latency.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.faults().latency = latency;
    }

    /// Changes the probability of a random 5xx answer (clamped to 0..=1).
    pub fn set_error_rate(&self, rate: f64) {
        self.shared.faults().error_rate = rate.clamp(0.0, 1.0);
    }

    /// Changes the probability of a dropped connection (clamped to 0..=1).
    pub fn set_drop_rate(&self, rate: f64) {
        self.shared.faults().drop_rate = rate.clamp(0.0, 1.0);
    }

    /// Stops serving and waits (briefly) for the server task to end.
    pub async fn shutdown(mut self) {
        self.shared.kube().clear();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.shared.kube().clear();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            // Connections kept alive by clients must not keep a dropped simulator running.
            let abort = task.abort_handle();
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    abort.abort();
                });
            } else {
                abort.abort();
            }
        }
    }
}

fn cluster_index(s: &State, cluster: &str) -> Option<usize> {
    s.clusters
        .iter()
        .position(|c| !c.removed && (c.id == cluster || c.name == cluster))
}

enum Fault {
    None,
    Drop,
    Error(u16),
}

fn roll_fault(shared: &Shared) -> (Duration, Fault) {
    let mut f = shared.faults();
    let latency = f.latency;
    let (drop_rate, error_rate) = (f.drop_rate, f.error_rate);
    let fault = if drop_rate > 0.0 && f.rng.unit() < drop_rate {
        Fault::Drop
    } else if error_rate > 0.0 && f.rng.unit() < error_rate {
        Fault::Error(*f.rng.pick(&[530u16, 530, 502, 503]))
    } else {
        Fault::None
    };
    (latency, fault)
}

async fn api(
    AxState(shared): AxState<Arc<Shared>>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (latency, fault) = roll_fault(&shared);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let is_post = method == Method::POST;
    let mut params = Params::default();
    if let Some(q) = &query {
        params.add_encoded(q, !is_post);
    }
    if is_post {
        let form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if form {
            params.add_encoded(&String::from_utf8_lossy(&body), false);
        }
    }
    let format = Format::from_param(params.raw("response"));
    let command = params.raw("command").map(str::to_string);
    let response_name = match command.as_deref().and_then(commands::find) {
        Some(def) => format!("{}response", def.name.to_lowercase()),
        None => "errorresponse".to_string(),
    };
    match fault {
        Fault::None => {}
        Fault::Drop => return dropped(),
        Fault::Error(530) => {
            let e = ApiError::internal(GENERIC_ERROR_TEXT);
            return render::error(format, &response_name, &e);
        }
        Fault::Error(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
            let text = format!(
                "<html><body><h1>{code} {}</h1></body></html>",
                status.canonical_reason().unwrap_or("Error")
            );
            return (status, [(header::CONTENT_TYPE, "text/html")], text).into_response();
        }
    }
    let Some(command) = command else {
        let e = ApiError {
            code: 400,
            cs_code: None,
            text: "no command specified".into(),
        };
        return render::error(format, "errorresponse", &e);
    };
    let Some(def) = commands::find(&command) else {
        return render::error(format, "errorresponse", &ApiError::unauthorized());
    };
    params.command_lc = def.name.to_lowercase();
    let outcome = {
        let mut state = shared.state();
        shared.tick(&mut state);
        let outcome = match authenticate(&state, def, &params, is_post, shared.enforce) {
            Err(e) => Err(e),
            Ok(caller) => run(&mut state, def, &params, caller),
        };
        kubeapi::reconcile(&shared, &mut state);
        outcome
    };
    match outcome {
        Ok(v) => render::success(format, &response_name, v),
        Err(e) => render::error(format, &response_name, &e),
    }
}

fn run(
    state: &mut State,
    def: &CommandDef,
    params: &Params,
    caller: Caller,
) -> Result<serde_json::Value, ApiError> {
    for name in def.required {
        params.required(name)?;
    }
    let mut cx = Ctx {
        state,
        p: params,
        caller,
    };
    (def.handler)(&mut cx).map_err(|e| e.for_caller(caller.is_root()))
}

/// The management server's verifyRequest, in its order.
fn authenticate(
    s: &State,
    def: &CommandDef,
    p: &Params,
    is_post: bool,
    enforce: bool,
) -> Result<Caller, ApiError> {
    let signature = p.raw("signature").ok_or_else(ApiError::unauthorized)?;
    let api_key = p.raw("apikey").ok_or_else(ApiError::unauthorized)?;
    let now = OffsetDateTime::now_utc();
    if p.raw("signatureversion") == Some("3") {
        let expires = p
            .raw("expires")
            .and_then(signing::parse_expires)
            .ok_or_else(ApiError::unauthorized)?;
        if expires < now || (enforce && expires > now + time::Duration::minutes(15)) {
            return Err(ApiError::unauthorized());
        }
    } else if enforce {
        return Err(ApiError::unauthorized());
    }
    let &user = s.api_keys.get(api_key).ok_or_else(ApiError::unauthorized)?;
    let caller = s.caller_of_user(user);
    if s.accounts[caller.account].removed || s.domains[caller.domain].removed {
        return Err(ApiError::unauthorized());
    }
    let permitted = match def.access {
        Access::All => true,
        Access::DomainAdmin => caller.kind != AccountKind::User,
        Access::RootAdmin => caller.kind == AccountKind::RootAdmin,
    };
    if !permitted {
        return Err(ApiError::not_available(def.name));
    }
    if enforce && def.mutating() && !is_post {
        return Err(ApiError {
            code: 405,
            cs_code: None,
            text: "Please use HTTP POST to invoke this API".into(),
        });
    }
    let expected = signing::sign(p.pairs(), &s.users[user].secret_key);
    if !signing::signatures_match(&expected, signature) {
        return Err(ApiError::unauthorized());
    }
    Ok(caller)
}

/// A response whose body breaks off: the client sees the connection drop mid-response.
fn dropped() -> Response {
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"{\"")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection dropped by the simulator",
        )),
    ];
    let body = Body::from_stream(futures::stream::iter(chunks));
    (StatusCode::OK, body).into_response()
}

/// Names of the implemented commands (for the binary's banner and documentation).
pub fn command_names() -> Vec<&'static str> {
    commands::names().collect()
}
