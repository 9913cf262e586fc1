//! What every request handler works with: the shared state, the clock, the authenticated
//! caller, the permission markers and the client's address.

use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::Arc;

use akashone_cloudstack::Client;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::config::{Config, Secret};
use crate::crypto::{self, SecretBox};
use crate::db::{Database, NewAudit, Role, Tenant, User};
use crate::error::{Error, Result};
use crate::rbac::Permission;

/// The current time in Unix seconds, read once per request at the boundary.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// State shared by every request.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

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
                ip: None,
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

/// The id of CloudStack's ROOT domain.
pub(crate) async fn root_domain(cs: &Client) -> Result<String> {
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
        KubernetesRead,
        KubernetesOperate,
        KubernetesKubeconfig,
        NetworkRead,
        NetworkOperate,
        StorageRead,
        StorageOperate,
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
