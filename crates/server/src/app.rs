//! Bootstrap and the running server, built on the request context of [`crate::context`].

use std::net::SocketAddr;
use std::sync::Arc;

use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{CloudStackConfig, Config, Secret};
use crate::context::root_domain;
use crate::crypto::{self, SecretBox};
use crate::db::{Database, Role, Tenant, User};
use crate::error::Result;
use crate::rbac;

pub use crate::context::{
    AppState, Authorized, Caller, ClientIp, Inner, Requires, now, perm, suspended,
};

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
