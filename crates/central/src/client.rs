//! The HTTP calls, one method per endpoint.

use std::time::Duration;

use akashone_types::Choice;
use akashone_types::central::{
    AuditOut, BrandOut, ChangePasswordRequest, CreateRole, CreateTenant, DeployVm, DisableRequest,
    EnableOut, EnableRequest, InvoiceDetail, InvoicePage, LoginRequest, LoginResponse, Me,
    OfferingOut, RegisterRequest, RoleOut, SellerProfileIn, SellerProfileOut, SessionOut,
    SetUserRole, SetupOut, TemplateOut, TenantOut, UpdateTenant, UserOut, Verify2faRequest, VmOut,
    ZoneOut,
};
use akashone_types::kubernetes::{
    ClusterAction, ClusterPlan, ClusterRow, CreateCluster, KubeOffering, KubeVersion, KubeconfigOut,
};
use akashone_types::network::LbMemberRow;
use akashone_types::ops::{Operation, OperationOut};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use crate::CentralError;

/// A session token: kept out of `Debug` output and wiped from memory when dropped.
#[derive(Clone)]
pub struct Token(Zeroizing<String>);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Token(Zeroizing::new(token.into()))
    }

    /// The token itself, to store it in the vault.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A lifecycle operation on a VM through the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmOperation {
    /// Start.
    Start,
    /// Stop.
    Stop,
    /// Reboot.
    Reboot,
}

impl VmOperation {
    fn path(self) -> &'static str {
        match self {
            VmOperation::Start => "start",
            VmOperation::Stop => "stop",
            VmOperation::Reboot => "reboot",
        }
    }
}

/// A client of one central server, signed in or not.
#[derive(Debug, Clone)]
pub struct Central {
    http: reqwest::Client,
    base: Url,
    token: Option<Token>,
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    message: String,
}

/// How long a call that creates or changes a Kubernetes cluster may take: the server waits for
/// CloudStack's job (up to 30 minutes; a real cluster takes several to create).
const CLUSTER_JOB: Duration = Duration::from_secs(31 * 60);

impl Central {
    /// A client of the server at `base_url` (`http://` or `https://`, no query), with a timeout
    /// per request.
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, CentralError> {
        let base = parse_base(base_url)?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("AkashOne-Console/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CentralError::Protocol(format!("cannot build the HTTP client: {e}")))?;
        Ok(Central {
            http,
            base,
            token: None,
        })
    }

    /// The server's base URL, normalised.
    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// A copy that sends `token` with every call.
    pub fn with_token(&self, token: Token) -> Self {
        Central {
            token: Some(token),
            ..self.clone()
        }
    }

    /// Whether this copy carries a session token.
    pub fn signed_in(&self) -> bool {
        self.token.is_some()
    }

    /// Checks that an AkashOne central server answers at the base URL.
    pub async fn probe(&self) -> Result<(), CentralError> {
        let doc: serde_json::Value = self
            .call(Method::GET, "/api/openapi.json", None::<&()>)
            .await?;
        let has_login = doc.pointer("/paths/~1api~1auth~1login/post").is_some();
        if has_login {
            Ok(())
        } else {
            Err(CentralError::Protocol(format!(
                "{} answers, but it is not an AkashOne central server",
                self.base_url()
            )))
        }
    }

    // ---- Sign-in ------------------------------------------------------------------------------

    /// The password step.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<LoginResponse, CentralError> {
        let body = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        self.call(Method::POST, "/api/auth/login", Some(&body))
            .await
    }

    /// The 2FA step.
    pub async fn verify_2fa(&self, request: &Verify2faRequest) -> Result<SessionOut, CentralError> {
        self.call(Method::POST, "/api/auth/verify-2fa", Some(request))
            .await
    }

    /// The signed-in user.
    pub async fn me(&self) -> Result<Me, CentralError> {
        self.call(Method::GET, "/api/auth/me", None::<&()>).await
    }

    /// Revokes the session.
    pub async fn logout(&self) -> Result<(), CentralError> {
        self.call_empty(Method::POST, "/api/auth/logout", None::<&()>)
            .await
    }

    /// Changes the password; every session is revoked and a new one is returned.
    pub async fn change_password(
        &self,
        request: &ChangePasswordRequest,
    ) -> Result<SessionOut, CentralError> {
        self.call(Method::POST, "/api/auth/password", Some(request))
            .await
    }

    /// The signed-in user's own failed sign-ins, password and code checks and lockouts of the
    /// last 30 days, newest first.
    pub async fn own_failures(&self) -> Result<Vec<AuditOut>, CentralError> {
        self.call(Method::GET, "/api/auth/failures", None::<&()>)
            .await
    }

    /// Starts 2FA set-up.
    pub async fn twofa_setup(&self) -> Result<SetupOut, CentralError> {
        self.call(Method::GET, "/api/auth/2fa/setup", None::<&()>)
            .await
    }

    /// Turns 2FA on.
    pub async fn twofa_enable(&self, code: &str) -> Result<EnableOut, CentralError> {
        let body = EnableRequest {
            code: code.to_owned(),
        };
        self.call(Method::POST, "/api/auth/2fa/enable", Some(&body))
            .await
    }

    /// Turns 2FA off.
    pub async fn twofa_disable(&self, request: &DisableRequest) -> Result<(), CentralError> {
        self.call_empty(Method::POST, "/api/auth/2fa/disable", Some(request))
            .await
    }

    // ---- Tenants, roles, users, audit ------------------------------------------------------------

    /// The subtree under `tenant` (default: the user's tenant), the tenant first.
    pub async fn tenants(&self, tenant: Option<&str>) -> Result<Vec<TenantOut>, CentralError> {
        self.call(Method::GET, &scoped("/api/tenants", tenant), None::<&()>)
            .await
    }

    /// Creates a tenant.
    pub async fn create_tenant(&self, form: &CreateTenant) -> Result<TenantOut, CentralError> {
        self.call(Method::POST, "/api/tenants", Some(form)).await
    }

    /// Renames, moves, suspends or resumes a tenant.
    pub async fn update_tenant(
        &self,
        id: &str,
        change: &UpdateTenant,
    ) -> Result<TenantOut, CentralError> {
        self.call(
            Method::PATCH,
            &format!("/api/tenants/{}", seg(id)?),
            Some(change),
        )
        .await
    }

    /// Roles usable in `tenant` (default: the user's).
    pub async fn roles(&self, tenant: Option<&str>) -> Result<Vec<RoleOut>, CentralError> {
        self.call(Method::GET, &scoped("/api/roles", tenant), None::<&()>)
            .await
    }

    /// Defines a custom role.
    pub async fn create_role(&self, form: &CreateRole) -> Result<RoleOut, CentralError> {
        self.call(Method::POST, "/api/roles", Some(form)).await
    }

    /// Users of the subtree.
    pub async fn users(&self, tenant: Option<&str>) -> Result<Vec<UserOut>, CentralError> {
        self.call(Method::GET, &scoped("/api/users", tenant), None::<&()>)
            .await
    }

    /// Creates a user.
    pub async fn create_user(&self, form: &RegisterRequest) -> Result<UserOut, CentralError> {
        self.call(Method::POST, "/api/auth/register", Some(form))
            .await
    }

    /// Gives a user another role.
    pub async fn set_user_role(&self, id: &str, role_id: &str) -> Result<UserOut, CentralError> {
        let body = SetUserRole {
            role_id: role_id.to_owned(),
        };
        self.call(
            Method::PUT,
            &format!("/api/users/{}/role", seg(id)?),
            Some(&body),
        )
        .await
    }

    /// The audit log of the subtree, newest first.
    pub async fn audit(
        &self,
        limit: u32,
        before_id: Option<i64>,
    ) -> Result<Vec<AuditOut>, CentralError> {
        let mut path = format!("/api/audit?limit={limit}");
        if let Some(b) = before_id {
            path.push_str(&format!("&beforeId={b}"));
        }
        self.call(Method::GET, &path, None::<&()>).await
    }

    // ---- VMs and the catalogue ----------------------------------------------------------------

    /// VMs of the subtree under `tenant`; `refresh` asks CloudStack now instead of the server's
    /// cache.
    pub async fn vms(
        &self,
        tenant: Option<&str>,
        refresh: bool,
    ) -> Result<Vec<VmOut>, CentralError> {
        let mut path = scoped("/api/vms", tenant);
        if refresh {
            path.push_str(if path.contains('?') { "&" } else { "?" });
            path.push_str("refresh=true");
        }
        self.call(Method::GET, &path, None::<&()>).await
    }

    /// Deploys a VM and waits until CloudStack has it.
    pub async fn deploy(&self, form: &DeployVm) -> Result<VmOut, CentralError> {
        self.call(Method::POST, "/api/vms", Some(form)).await
    }

    /// Starts, stops or reboots a VM and waits for the job.
    pub async fn operate(&self, id: &str, op: VmOperation) -> Result<VmOut, CentralError> {
        let path = format!("/api/vms/{}/{}", seg(id)?, op.path());
        self.call(Method::POST, &path, None::<&()>).await
    }

    /// Destroys a VM and waits for the job.
    pub async fn destroy(&self, id: &str) -> Result<(), CentralError> {
        self.call_empty(
            Method::DELETE,
            &format!("/api/vms/{}", seg(id)?),
            None::<&()>,
        )
        .await
    }

    /// Zones the tenant can deploy into.
    pub async fn zones(&self, tenant: Option<&str>) -> Result<Vec<ZoneOut>, CentralError> {
        self.call(
            Method::GET,
            &scoped("/api/cloudstack/zones", tenant),
            None::<&()>,
        )
        .await
    }

    /// Templates of a zone.
    pub async fn templates(
        &self,
        tenant: Option<&str>,
        zone_id: &str,
    ) -> Result<Vec<TemplateOut>, CentralError> {
        let mut path = scoped("/api/cloudstack/templates", tenant);
        path.push_str(if path.contains('?') { "&" } else { "?" });
        path.push_str("zoneId=");
        path.push_str(&encode(zone_id));
        self.call(Method::GET, &path, None::<&()>).await
    }

    /// Compute offerings.
    pub async fn offerings(&self, tenant: Option<&str>) -> Result<Vec<OfferingOut>, CentralError> {
        self.call(
            Method::GET,
            &scoped("/api/cloudstack/service-offerings", tenant),
            None::<&()>,
        )
        .await
    }

    // ---- Kubernetes clusters ------------------------------------------------------------------

    /// Kubernetes versions CloudStack offers (in one zone when given), oldest first.
    pub async fn kube_versions(
        &self,
        tenant: Option<&str>,
        zone_id: Option<&str>,
    ) -> Result<Vec<KubeVersion>, CentralError> {
        let mut path = scoped("/api/kubernetes/versions", tenant);
        if let Some(z) = zone_id {
            path.push_str(if path.contains('?') { "&" } else { "?" });
            path.push_str("zoneId=");
            path.push_str(&encode(z));
        }
        self.call(Method::GET, &path, None::<&()>).await
    }

    /// Compute offerings the tenant's cluster nodes can use.
    pub async fn kube_offerings(
        &self,
        tenant: Option<&str>,
    ) -> Result<Vec<KubeOffering>, CentralError> {
        self.call(
            Method::GET,
            &scoped("/api/kubernetes/offerings", tenant),
            None::<&()>,
        )
        .await
    }

    /// The tenant's clusters by name, with their nodes.
    pub async fn kube_clusters(
        &self,
        tenant: Option<&str>,
    ) -> Result<Vec<ClusterRow>, CentralError> {
        self.call(
            Method::GET,
            &scoped("/api/kubernetes/clusters", tenant),
            None::<&()>,
        )
        .await
    }

    /// The review of a new cluster: needs, the account's remaining limits, the monthly price
    /// and every problem (nothing is created).
    pub async fn kube_plan(
        &self,
        tenant: Option<&str>,
        req: &CreateCluster,
    ) -> Result<ClusterPlan, CentralError> {
        self.call(
            Method::POST,
            &scoped("/api/kubernetes/plan", tenant),
            Some(req),
        )
        .await
    }

    /// Creates a cluster and waits until it runs; [`CentralError::Invalid`] with the plan's
    /// problems when it would be refused.
    pub async fn kube_create(
        &self,
        tenant: Option<&str>,
        req: &CreateCluster,
    ) -> Result<ClusterRow, CentralError> {
        let path = scoped("/api/kubernetes/clusters", tenant);
        let response = self
            .send_within(Method::POST, &path, Some(req), Some(CLUSTER_JOB))
            .await?;
        Self::decode(&path, response).await
    }

    /// Runs a lifecycle action on a cluster and waits for CloudStack's job: the cluster after
    /// it, or `None` after [`ClusterAction::Delete`].
    pub async fn kube_action(
        &self,
        tenant: Option<&str>,
        id: &str,
        action: &ClusterAction,
    ) -> Result<Option<ClusterRow>, CentralError> {
        let path = scoped(&format!("/api/kubernetes/clusters/{}", seg(id)?), tenant);
        match action {
            ClusterAction::Delete => self
                .send_within(Method::DELETE, &path, None::<&()>, Some(CLUSTER_JOB))
                .await
                .map(|_| None),
            other => {
                let response = self
                    .send_within(Method::PATCH, &path, Some(other), Some(CLUSTER_JOB))
                    .await?;
                Self::decode(&path, response).await.map(Some)
            }
        }
    }

    /// A cluster's kubeconfig (an admin credential of the cluster; the server audits every
    /// download). Never log it.
    pub async fn kubeconfig(
        &self,
        tenant: Option<&str>,
        id: &str,
    ) -> Result<KubeconfigOut, CentralError> {
        let path = scoped(
            &format!("/api/kubernetes/clusters/{}/kubeconfig", seg(id)?),
            tenant,
        );
        self.call(Method::GET, &path, None::<&()>).await
    }

    // ---- Networks and storage ----------------------------------------------------------------

    /// One of the tenant's network or storage lists, e.g. `/api/networks` as
    /// `Vec<NetworkRow>`.
    pub async fn resource_list<T: DeserializeOwned>(
        &self,
        path: &str,
        tenant: Option<&str>,
    ) -> Result<Vec<T>, CentralError> {
        self.call(Method::GET, &scoped(path, tenant), None::<&()>)
            .await
    }

    /// The members of a load balancer rule with their state.
    pub async fn lb_members(
        &self,
        tenant: Option<&str>,
        id: &str,
    ) -> Result<Vec<LbMemberRow>, CentralError> {
        let path = scoped(&format!("/api/load-balancers/{}/members", seg(id)?), tenant);
        self.call(Method::GET, &path, None::<&()>).await
    }

    /// Network offerings of a zone for new isolated networks (or VPC tiers).
    pub async fn network_offerings(
        &self,
        tenant: Option<&str>,
        zone_id: &str,
        for_vpc: bool,
    ) -> Result<Vec<Choice>, CentralError> {
        let mut path = format!(
            "/api/network-offerings?zoneId={}&forVpc={for_vpc}",
            encode(zone_id)
        );
        if let Some(t) = tenant {
            path.push_str(&format!("&tenantId={}", encode(t)));
        }
        self.call(Method::GET, &path, None::<&()>).await
    }

    /// Runs a network or storage operation to its end on the server (which waits for
    /// CloudStack's jobs), for the tenant.
    pub async fn operation(
        &self,
        tenant: Option<&str>,
        op: &Operation,
    ) -> Result<OperationOut, CentralError> {
        let path = scoped("/api/operations", tenant);
        let response = self
            .send_within(Method::POST, &path, Some(op), Some(CLUSTER_JOB))
            .await?;
        Self::decode(&path, response).await
    }

    // ---- Seller profile (white-label) --------------------------------------------------------

    /// The seller profile of `tenant` (default: the user's tenant): legal particulars and
    /// branding. [`CentralError::NotFound`] when it has none yet.
    pub async fn seller(&self, tenant: Option<&str>) -> Result<SellerProfileOut, CentralError> {
        self.call(
            Method::GET,
            &scoped("/api/billing/seller", tenant),
            None::<&()>,
        )
        .await
    }

    /// Sets the seller profile of `tenant` (default: the user's tenant).
    pub async fn put_seller(
        &self,
        tenant: Option<&str>,
        profile: &SellerProfileIn,
    ) -> Result<SellerProfileOut, CentralError> {
        self.call(
            Method::PUT,
            &scoped("/api/billing/seller", tenant),
            Some(profile),
        )
        .await
    }

    /// The white-label brand the signed-in user sees (`None`: no seller above them has one).
    pub async fn branding(&self) -> Result<Option<BrandOut>, CentralError> {
        self.call(Method::GET, "/api/branding", None::<&()>).await
    }

    // ---- Invoices ------------------------------------------------------------------------------

    /// One page of the documents (invoices, credit and debit notes) issued by or to the subtree
    /// under `tenant` (default: the user's tenant), newest first; `limit` is 1–200.
    pub async fn invoices(
        &self,
        tenant: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<InvoicePage, CentralError> {
        let mut path = scoped("/api/billing/invoices", tenant);
        path.push_str(if path.contains('?') { "&" } else { "?" });
        path.push_str(&format!("limit={limit}&offset={offset}"));
        self.call(Method::GET, &path, None::<&()>).await
    }

    /// One document in full.
    pub async fn invoice(&self, id: &str) -> Result<InvoiceDetail, CentralError> {
        self.call(
            Method::GET,
            &format!("/api/billing/invoices/{}", seg(id)?),
            None::<&()>,
        )
        .await
    }

    // ---- Transport --------------------------------------------------------------------------------

    async fn call<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, CentralError> {
        let response = self.send(method, path, body).await?;
        Self::decode(path, response).await
    }

    async fn decode<T: DeserializeOwned>(
        path: &str,
        response: reqwest::Response,
    ) -> Result<T, CentralError> {
        let bytes = response
            .bytes()
            .await
            .map_err(|e| CentralError::Protocol(format!("{path}: the answer was cut off: {e}")))?;
        serde_json::from_slice(&bytes).map_err(|e| CentralError::Protocol(format!("{path}: {e}")))
    }

    async fn call_empty<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), CentralError> {
        self.send(method, path, body).await.map(|_| ())
    }

    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<reqwest::Response, CentralError> {
        self.send_within(method, path, body, None).await
    }

    /// As [`Self::send`], with its own time limit instead of the client's (a call that waits
    /// for a CloudStack job on the server).
    async fn send_within<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, CentralError> {
        let url = self
            .base
            .join(path.trim_start_matches('/'))
            .map_err(|e| CentralError::BadUrl(format!("{path}: {e}")))?;
        let mut request = self.http.request(method, url);
        if let Some(t) = timeout {
            request = request.timeout(t);
        }
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<ErrorBody>(&text)
            .map(|b| b.message)
            .unwrap_or_else(|_| format!("the server answered {status}"));
        Err(match status {
            StatusCode::UNAUTHORIZED => CentralError::Unauthorized(message),
            StatusCode::FORBIDDEN => CentralError::Forbidden(message),
            StatusCode::NOT_FOUND => CentralError::NotFound(message),
            StatusCode::CONFLICT => CentralError::Conflict(message),
            StatusCode::TOO_MANY_REQUESTS => CentralError::Locked(message),
            s if s.is_client_error() => CentralError::Invalid(message),
            _ => CentralError::Server(message),
        })
    }

    fn transport(&self, e: reqwest::Error) -> CentralError {
        if e.is_timeout() {
            CentralError::Timeout
        } else {
            // The URL reqwest reports has no secret in it: tokens travel in a header.
            let reason = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| e.to_string());
            CentralError::Unreachable {
                url: self.base_url().to_owned(),
                reason,
            }
        }
    }
}

fn parse_base(input: &str) -> Result<Url, CentralError> {
    let input = input.trim();
    let bad = |why: &str| CentralError::BadUrl(format!("{input:?} is not a server address: {why}"));
    let mut url = Url::parse(input).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("use http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(bad("no query, fragment or user name may be part of it"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `path?tenantId=…` when a tenant is given.
fn scoped(path: &str, tenant: Option<&str>) -> String {
    match tenant {
        Some(t) => format!("{path}?tenantId={}", encode(t)),
        None => path.to_owned(),
    }
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// One path segment: an id may not smuggle in `/`, `?` or `..`.
fn seg(id: &str) -> Result<String, CentralError> {
    if id.is_empty() || id.len() > 128 || id == "." || id == ".." {
        return Err(CentralError::Invalid(format!("{id:?} is not an id")));
    }
    Ok(encode(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        let c = Central::new("http://127.0.0.1:8080", Duration::from_secs(1)).unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080");
        let c = Central::new(" https://console.example.in/akash ", Duration::from_secs(1)).unwrap();
        assert_eq!(c.base_url(), "https://console.example.in/akash");
        for bad in [
            "",
            "console.example.in",
            "ftp://x.example",
            "http://",
            "http://u:p@x.example",
            "http://x.example/?a=1",
        ] {
            assert!(
                matches!(
                    Central::new(bad, Duration::from_secs(1)),
                    Err(CentralError::BadUrl(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn ids_cannot_leave_their_path_segment() {
        assert_eq!(seg("a/b?c").unwrap(), "a%2Fb%3Fc");
        assert!(seg("..").is_err());
        assert!(seg("").is_err());
    }

    #[test]
    fn tokens_are_redacted() {
        let c = Central::new("http://127.0.0.1:1", Duration::from_secs(1))
            .unwrap()
            .with_token(Token::new("aks_very_secret"));
        assert!(!format!("{c:?}").contains("very_secret"));
    }

    /// The Kubernetes calls against a real server (and the simulator behind it), acting for a
    /// customer tenant as the platform admin: every method, and a refusal with its reason.
    #[tokio::test]
    async fn kubernetes_calls_reach_the_server() {
        use akashone_cloudstack_sim::{SimConfig, Simulator};
        use akashone_server::config::{CloudStackConfig, Secret};
        use akashone_server::crypto::PasswordCost;
        use akashone_server::{Config, Server};
        use akashone_types::central::{CreateTenant, LoginResponse};
        use akashone_types::kubernetes::{ClusterNetwork, Workers};

        let sim = Simulator::start(SimConfig {
            vms: 2,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(dir.path(), Secret::new("k".repeat(40)));
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.cloudstack = Some(CloudStackConfig {
            url: sim.url(),
            api_key: Secret::new(sim.api_key()),
            secret_key: Secret::new(sim.secret_key()),
        });
        config.admin_user = "admin".into();
        config.admin_password = Some(Secret::new("platform-admin-pass"));
        config.password_cost = PasswordCost::fast_for_tests();
        let server = Server::start(config).await.unwrap();
        let anon = Central::new(&server.url(), Duration::from_secs(60)).unwrap();
        let c = match anon.login("admin", "platform-admin-pass").await.unwrap() {
            LoginResponse::Authenticated(s) => anon.with_token(Token::new(s.token)),
            other => panic!("unexpected {other:?}"),
        };
        let t = c
            .create_tenant(&CreateTenant {
                parent_id: None,
                name: "Kube Customer".into(),
            })
            .await
            .unwrap();
        let tenant = Some(t.id.as_str());
        let zone = c.zones(tenant).await.unwrap().remove(0).id;
        let versions = c.kube_versions(tenant, Some(&zone)).await.unwrap();
        let version = versions
            .iter()
            .find(|v| v.semantic_version == "1.29.8")
            .unwrap()
            .clone();
        let offering = c
            .kube_offerings(tenant)
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.name == "CKS Node")
            .unwrap();
        let mut req = CreateCluster {
            name: "k-1".into(),
            description: None,
            zone_id: zone,
            version_id: version.id.clone(),
            control_nodes: 3,
            workers: Workers::Fixed { size: 0 },
            offering_id: offering.id.clone(),
            control_offering_id: None,
            worker_offering_id: None,
            network: ClusterNetwork::New,
            keypair: None,
        };
        let plan = c.kube_plan(tenant, &req).await.unwrap();
        assert_eq!(plan.problems, ["A cluster needs at least one worker."]);
        match c.kube_create(tenant, &req).await {
            Err(CentralError::Invalid(m)) => assert_eq!(m, "A cluster needs at least one worker."),
            other => panic!("unexpected {other:?}"),
        }
        req.workers = Workers::Fixed { size: 1 };
        assert!(c.kube_plan(tenant, &req).await.unwrap().problems.is_empty());
        let row = c.kube_create(tenant, &req).await.unwrap();
        assert_eq!((row.state.as_str(), row.node_count()), ("Running", 4));
        assert_eq!(
            c.kube_clusters(tenant).await.unwrap(),
            std::slice::from_ref(&row)
        );
        let scaled = c
            .kube_action(tenant, &row.id, &ClusterAction::Scale { size: 2 })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(scaled.workers, 2);
        let k = c.kubeconfig(tenant, &row.id).await.unwrap();
        assert_eq!(k.cluster_id, row.id);
        assert!(k.kubeconfig.contains("apiVersion"), "a kubeconfig");
        // Acting for a tenant the caller cannot see: not found.
        match c
            .kube_action(Some("no-such-tenant"), &row.id, &ClusterAction::Stop)
            .await
        {
            Err(CentralError::NotFound(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
        let gone = c
            .kube_action(tenant, &row.id, &ClusterAction::Delete)
            .await
            .unwrap();
        assert_eq!(gone, None);
        assert!(c.kube_clusters(tenant).await.unwrap().is_empty());
        server.shutdown().await;
        sim.shutdown().await;
    }
}
