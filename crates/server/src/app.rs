//! Shared state, the authenticated caller, bootstrap and the running server.

use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::Arc;

use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{CloudStackConfig, Config, Secret};
use crate::crypto::{self, SecretBox};
use crate::db::{Database, NewAudit, Role, Tenant, User};
use crate::error::{Error, Result};
use crate::rbac::{self, Permission};

/// The current time in Unix seconds, read once per request at the boundary.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// State shared by every request.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The contents of [`AppState`].
pub struct Inner {
    /// Storage.
    pub db: Arc<dyn Database>,
    /// Encryption of TOTP secrets.
    pub secrets: SecretBox,
    /// Configuration.
    pub config: Config,
    /// CloudStack, when configured.
    pub cloudstack: Option<Client>,
    /// A hash verified when the user name is unknown, so timing does not reveal which names
    /// exist.
    pub dummy_hash: String,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// The CloudStack client, or [`Error::NoCloudStack`].
    pub fn cs(&self) -> Result<&Client> {
        self.cloudstack.as_ref().ok_or(Error::NoCloudStack)
    }

    /// Appends an audit row.
    pub async fn audit(
        &self,
        now: i64,
        actor: Option<&User>,
        tenant_id: Option<&str>,
        action: &str,
        target: &str,
        result: &str,
    ) -> Result<()> {
        self.db
            .insert_audit(&NewAudit {
                at: now,
                actor_id: actor.map(|u| u.id.clone()),
                actor: actor.map_or("anonymous", |u| &u.username).to_owned(),
                tenant_id: tenant_id.map(str::to_owned),
                action: action.to_owned(),
                target: target.to_owned(),
                result: result.to_owned(),
            })
            .await?;
        Ok(())
    }

    /// Argon2id on a blocking thread.
    pub async fn hash_password(&self, password: &str) -> Result<String> {
        let (pw, cost) = (Secret::new(password), self.config.password_cost);
        tokio::task::spawn_blocking(move || crypto::hash_password(pw.expose(), cost))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(Error::Internal)
    }

    /// Argon2id verification on a blocking thread.
    pub async fn verify_password(&self, password: &str, phc: &str) -> Result<bool> {
        let (pw, phc) = (Secret::new(password), phc.to_owned());
        tokio::task::spawn_blocking(move || crypto::verify_password(pw.expose(), &phc))
            .await
            .map_err(|e| Error::Internal(e.to_string()))
    }

    /// The CloudStack domain of a tenant. The platform's (ROOT) is looked up and remembered on
    /// first use.
    pub async fn tenant_domain(&self, tenant: &Tenant) -> Result<String> {
        if let Some(d) = &tenant.cs_domain_id {
            return Ok(d.clone());
        }
        if tenant.parent_id.is_some() {
            return Err(Error::Internal(format!(
                "tenant {} has no CloudStack domain",
                tenant.id
            )));
        }
        let root = root_domain(self.cs()?).await?;
        self.db
            .set_tenant_cloudstack(&tenant.id, &root, None)
            .await?;
        Ok(root)
    }
}

async fn root_domain(cs: &Client) -> Result<String> {
    let domains = cs
        .list_domains(&akashone_cloudstack::api::ListDomains {
            level: Some(0),
            ..Default::default()
        })
        .await?;
    domains
        .into_iter()
        .find(|d| d.level == Some(0) || d.parentdomainid.is_none())
        .and_then(|d| d.id)
        .ok_or_else(|| Error::Internal("CloudStack has no ROOT domain".into()))
}

/// The authenticated user of a request, with their tenant and role.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: User,
    /// Their tenant.
    pub tenant: Tenant,
    /// Their role.
    pub role: Role,
    /// Hash of the session token used.
    pub token_hash: String,
}

impl Caller {
    /// Whether the role includes `p`.
    pub fn can(&self, p: Permission) -> bool {
        self.role.permissions.contains(&p)
    }

    /// [`Error::MissingPermission`] unless the role includes `p`.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(Error::MissingPermission(p))
        }
    }

    /// The tenant `id` (default: the caller's own), when it lies in the caller's subtree;
    /// otherwise not found, so other tenants' ids reveal nothing.
    pub async fn tenant_in_scope(&self, state: &AppState, id: Option<&str>) -> Result<Tenant> {
        let Some(id) = id.filter(|i| *i != self.tenant.id) else {
            return Ok(self.tenant.clone());
        };
        match state.db.tenant(id).await? {
            Some(t) if self.tenant.contains(&t) => Ok(t),
            _ => Err(Error::NotFound(format!("Tenant {id}"))),
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = bearer(parts).ok_or(Error::Unauthenticated)?;
        let token_hash = crypto::sha256_hex(token);
        let ctx = state
            .db
            .session_context(&token_hash, now())
            .await?
            .ok_or(Error::Unauthenticated)?;
        if ctx.suspended {
            return Err(suspended());
        }
        let (user, tenant, role) = (ctx.user, ctx.tenant, ctx.role);
        Ok(Caller {
            user,
            tenant,
            role,
            token_hash,
        })
    }
}

/// The refusal for users of a suspended tenant.
pub fn suspended() -> Error {
    Error::Forbidden("Access for your organisation is suspended; contact your provider.".to_owned())
}

/// A permission named at the type level, so the check runs before the body is read.
pub trait Requires {
    /// The permission.
    const PERMISSION: Permission;
}

/// An authenticated caller whose role includes `P::PERMISSION`.
#[derive(Debug)]
pub struct Authorized<P>(pub Caller, pub PhantomData<P>);

impl<P: Requires + Send + Sync> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require(P::PERMISSION)?;
        Ok(Authorized(caller, PhantomData))
    }
}

/// Marker types for [`Authorized`], one per permission.
pub mod perm {
    use super::Requires;
    use crate::rbac::Permission;

    macro_rules! markers {
        ($($name:ident),* $(,)?) => {
            $(
                #[doc = concat!("Requires [`Permission::", stringify!($name), "`].")]
                #[derive(Debug)]
                pub struct $name;
                impl Requires for $name {
                    const PERMISSION: Permission = Permission::$name;
                }
            )*
        };
    }

    markers!(
        TenantsRead,
        TenantsCreate,
        TenantsUpdate,
        UsersRead,
        UsersCreate,
        UsersUpdate,
        RolesRead,
        RolesCreate,
        AuditRead,
        VmsRead,
        VmsCreate,
        VmsOperate,
        VmsDelete,
        CatalogRead,
        BillingRead,
        BillingManage,
    );
}

/// The client's address (for per-address login limits).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

/// A failure to start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Storage could not be opened.
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    /// The simulator did not start.
    #[error("the CloudStack simulator did not start: {0}")]
    Simulator(String),
    /// The CloudStack client could not be built.
    #[error("CloudStack client: {0}")]
    CloudStack(String),
    /// Bootstrap failed.
    #[error("bootstrap: {0}")]
    Bootstrap(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// Cause.
        source: std::io::Error,
    },
}

/// What the first start created.
#[derive(Debug, Clone, Default)]
pub struct Bootstrap {
    /// The administrator's name, when created now.
    pub created_admin: Option<String>,
    /// The generated one-time password, to be shown once.
    pub one_time_password: Option<Secret>,
}

/// Opens storage, starts the simulator when asked, and bootstraps the platform tenant, the
/// built-in roles and the super administrator.
pub async fn build_state(
    mut config: Config,
) -> std::result::Result<(AppState, Bootstrap, Option<SimHandle>), StartError> {
    let db: Arc<dyn Database> = crate::db::open(&config.database, config.db_connections).await?;
    let sim = if config.simulator {
        let sim = Simulator::start(SimConfig::demo())
            .await
            .map_err(|e| StartError::Simulator(e.to_string()))?;
        config.cloudstack = Some(CloudStackConfig {
            url: sim.url(),
            api_key: Secret::new(sim.api_key()),
            secret_key: Secret::new(sim.secret_key()),
        });
        Some(sim)
    } else {
        None
    };
    let cloudstack = match &config.cloudstack {
        Some(cs) => Some(
            Client::new(ClientConfig::new(
                cs.url.clone(),
                cs.api_key.expose(),
                cs.secret_key.expose(),
            ))
            .map_err(|e| StartError::CloudStack(e.to_string()))?,
        ),
        None => None,
    };
    let cost = config.password_cost;
    let dummy_hash = tokio::task::spawn_blocking(move || {
        crypto::hash_password(&crypto::random_token("", 16), cost)
    })
    .await
    .map_err(|e| StartError::Bootstrap(e.to_string()))?
    .map_err(StartError::Bootstrap)?;
    let state = AppState(Arc::new(Inner {
        db,
        secrets: SecretBox::derive(&config.secret_bytes()),
        config,
        cloudstack,
        dummy_hash,
    }));
    let boot = bootstrap(&state, now())
        .await
        .map_err(|e| StartError::Bootstrap(e.to_string()))?;
    Ok((state, boot, sim))
}

async fn bootstrap(state: &AppState, now: i64) -> Result<Bootstrap> {
    for (id, perms) in rbac::builtin_roles() {
        state
            .db
            .upsert_builtin_role(&Role {
                id: id.to_owned(),
                tenant_id: None,
                name: id.to_owned(),
                permissions: perms,
                builtin: true,
            })
            .await?;
    }
    let root = match state.db.root_tenant().await? {
        Some(t) => t,
        None => {
            let id = crypto::random_id();
            let t = Tenant {
                path: Tenant::child_path("/", &id),
                id,
                parent_id: None,
                name: "Platform".into(),
                cs_domain_id: None,
                cs_account: None,
                suspended: false,
                created_at: now,
            };
            state.db.insert_tenant(&t).await?;
            t
        }
    };
    if root.cs_domain_id.is_none()
        && let Some(cs) = &state.cloudstack
    {
        match root_domain(cs).await {
            Ok(d) => state.db.set_tenant_cloudstack(&root.id, &d, None).await?,
            Err(e) => tracing::warn!(error = %e, "CloudStack's ROOT domain is not known yet"),
        }
    }
    if state.db.count_users().await? > 0 {
        return Ok(Bootstrap::default());
    }
    let (password, one_time) = match &state.config.admin_password {
        Some(p) => (p.clone(), None),
        None => {
            let p = Secret::new(crypto::random_token("", 18));
            (p.clone(), Some(p))
        }
    };
    let user = User {
        id: crypto::random_id(),
        tenant_id: root.id.clone(),
        username: state.config.admin_user.clone(),
        password_hash: state.hash_password(password.expose()).await?,
        role_id: rbac::SUPER_ADMIN.to_owned(),
        totp_secret: None,
        totp_pending: None,
        totp_enabled: false,
        totp_last_step: None,
        failed_logins: 0,
        locked_until: None,
        created_at: now,
    };
    state.db.insert_user(&user).await?;
    state
        .audit(
            now,
            Some(&user),
            Some(&root.id),
            "bootstrap.admin",
            &user.username,
            "ok",
        )
        .await?;
    Ok(Bootstrap {
        created_admin: Some(user.username),
        one_time_password: one_time,
    })
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    state: AppState,
    bootstrap: Bootstrap,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    sim: Option<SimHandle>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).finish()
    }
}

impl Server {
    /// Builds the state and starts serving on `config.bind`.
    pub async fn start(config: Config) -> std::result::Result<Server, StartError> {
        let bind = config.bind;
        let (state, bootstrap, sim) = build_state(config).await?;
        let listener = TcpListener::bind(bind)
            .await
            .map_err(|source| StartError::Bind { addr: bind, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr: bind, source })?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = crate::routes::router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
        });
        Ok(Server {
            addr,
            state,
            bootstrap,
            shutdown: Some(tx),
            task,
            sim,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shared state (tests and tools).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// What the first start created.
    pub fn bootstrap(&self) -> &Bootstrap {
        &self.bootstrap
    }

    /// The built-in simulator, when started with it.
    pub fn simulator(&self) -> Option<&SimHandle> {
        self.sim.as_ref()
    }

    /// Waits until the server stops by itself (an I/O failure) — normally forever.
    pub async fn wait(&mut self) -> std::io::Result<()> {
        (&mut self.task)
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }

    /// Stops serving and the simulator.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        if let Some(sim) = self.sim.take() {
            sim.shutdown().await;
        }
    }
}
