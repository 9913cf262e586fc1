//! An AkashOne central server with a signed-in session: the tenant's VMs and catalogue, VM
//! jobs the server runs to their end, and what only a server offers — the session itself, the
//! tenant acted as, the white-label brand ([`brand`]) and the invoices ([`invoices`]).

mod brand;
mod invoices;
mod kube;
mod resources;
mod rows;

pub(crate) use invoices::paise;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use akashone_cache::sync::Snapshot;
use akashone_central::{Central, CentralError, Token, VmOperation};
use akashone_types::central::{BrandOut, DeployVm, Me, SessionOut};
use akashone_types::kubernetes::{
    ClusterAction, ClusterPlan, ClusterRow, CreateCluster, KubeOffering, KubeVersion,
};
use akashone_types::network::LbMemberRow;
use akashone_types::ops::Operation;
use akashone_types::{ActingTenant, Choice, DeployRequest, VmAction, VmMetrics};
use zeroize::Zeroizing;

use super::{Cloud, Identity, Job, Outcome, memory, waited_by_server};
use crate::error::{AppError, Result};
use crate::store::{Store, Vault};

/// The connection of a central server profile.
pub(crate) struct CentralCloud {
    /// The profile whose session token the vault keeps.
    profile_id: String,
    /// Who signs in.
    username: String,
    vault: Arc<Vault>,
    /// Unauthenticated calls (sign-in).
    pub(crate) anon: Central,
    signed: Mutex<Option<Central>>,
    user: Mutex<Option<Me>>,
    acting: Mutex<Option<ActingTenant>>,
    challenge: Mutex<Option<Zeroizing<String>>>,
    brand: Mutex<Option<BrandOut>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn choice(id: String, name: String, detail: String) -> Choice {
    Choice { id, name, detail }
}

impl CentralCloud {
    /// A server at `url`, signed in when the vault holds the profile's session token.
    pub(crate) fn open(
        url: &str,
        username: &str,
        timeout: Duration,
        profile_id: &str,
        vault: Arc<Vault>,
    ) -> Result<Self> {
        let token = crate::store::get_secret(&vault, profile_id)?;
        let anon = Central::new(url, timeout)?;
        let signed = token.map(|t| anon.with_token(Token::new(t)));
        Ok(Self {
            profile_id: profile_id.to_owned(),
            username: username.to_owned(),
            vault,
            anon,
            signed: Mutex::new(signed),
            user: Mutex::new(None),
            acting: Mutex::new(None),
            challenge: Mutex::new(None),
            brand: Mutex::new(None),
        })
    }

    /// The user name of the profile.
    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    pub(crate) fn signed_in(&self) -> bool {
        lock(&self.signed).is_some()
    }

    pub(crate) fn user(&self) -> Option<Me> {
        lock(&self.user).clone()
    }

    /// The signed-in client.
    pub(crate) fn client(&self) -> Result<Central> {
        lock(&self.signed).clone().ok_or(AppError::SignedOut)
    }

    /// The tenant whose data is shown (`None`: the user's own).
    pub(crate) fn acting_id(&self) -> Option<String> {
        lock(&self.acting)
            .as_ref()
            .filter(|a| !a.own)
            .map(|a| a.id.clone())
    }

    /// Shows the data of `tenant` from now on.
    pub(crate) fn act_as(&self, tenant: ActingTenant) {
        *lock(&self.acting) = Some(tenant);
    }

    /// A tenant was renamed: the one acted as shows its new name.
    pub(crate) fn renamed(&self, tenant_id: &str, name: &str) {
        if let Some(a) = lock(&self.acting).as_mut().filter(|a| a.id == tenant_id) {
            a.name = name.to_owned();
        }
    }

    /// Keeps the password step's challenge for the code step.
    pub(crate) fn await_code(&self, challenge: String) {
        *lock(&self.challenge) = Some(Zeroizing::new(challenge));
    }

    /// The challenge of a sign-in waiting for its code.
    pub(crate) fn challenge(&self) -> Option<Zeroizing<String>> {
        lock(&self.challenge).clone()
    }

    /// A session was opened (sign-in) or renewed (password change): its token goes to the
    /// vault and replaces the one in use; a new sign-in shows the user's own tenant.
    pub(crate) fn start_session(&self, s: &SessionOut, fresh: bool) -> Result<()> {
        crate::store::put_secret(&self.vault, &self.profile_id, &s.token)?;
        *lock(&self.signed) = Some(self.anon.with_token(Token::new(s.token.clone())));
        *lock(&self.challenge) = None;
        if fresh {
            self.act_as(ActingTenant {
                id: s.user.tenant_id.clone(),
                name: s.user.tenant_name.clone(),
                own: true,
            });
        }
        *lock(&self.user) = Some(s.user.clone());
        Ok(())
    }

    /// Asks who is signed in.
    pub(crate) async fn refresh_user(&self) -> std::result::Result<(), CentralError> {
        let client = lock(&self.signed).clone();
        let Some(client) = client else {
            return Ok(());
        };
        let me = client.me().await?;
        let mut acting = lock(&self.acting);
        if acting.is_none() {
            *acting = Some(ActingTenant {
                id: me.tenant_id.clone(),
                name: me.tenant_name.clone(),
                own: true,
            });
        }
        *lock(&self.user) = Some(me);
        Ok(())
    }

    /// A VM job the server runs to its end (it waits for CloudStack's job itself).
    fn server_job<F>(&self, vm_id: Option<String>, call: F) -> Job
    where
        F: Future<
                Output = std::result::Result<Option<akashone_types::central::VmOut>, CentralError>,
            > + Send
            + 'static,
    {
        waited_by_server(vm_id, async move {
            Ok(match call.await? {
                Some(vm) => Outcome::Vm(Box::new(rows::vm(&vm)?)),
                // The server no longer lists a destroyed VM: neither does the cache.
                None => Outcome::Removed,
            })
        })
    }
}

#[async_trait::async_trait]
impl Cloud for CentralCloud {
    fn ready(&self) -> bool {
        self.signed_in()
    }

    async fn probe(&self) -> Result<()> {
        Ok(self.refresh_user().await?)
    }

    /// The acting tenant's VMs and catalogue.
    async fn snapshot(&self) -> Result<Snapshot> {
        let client = self.client()?;
        if self.user().is_none() {
            self.refresh_user().await?;
        }
        let tenant = self.acting_id();
        let t = tenant.as_deref();
        let (vms, zones, offerings) =
            tokio::try_join!(client.vms(t, false), client.zones(t), client.offerings(t))?;
        // A role without kubernetes.read keeps the other lists: the clusters' list holds the
        // refusal.
        let clusters = match client.kube_clusters(t).await {
            Ok(list) => Ok(list.iter().map(kube::cluster).collect::<Result<_>>()?),
            Err(e) if e.is_unauthorized() => return Err(e.into()),
            Err(e) => Err(akashone_types::ApiError::from(e)),
        };
        let mut templates = Vec::new();
        for z in &zones {
            for tpl in client.templates(t, &z.id).await? {
                templates.push(rows::template(z, &tpl)?);
            }
        }
        let mut snapshot = Snapshot {
            zones: Some(Ok(zones.iter().map(rows::zone).collect::<Result<_>>()?)),
            templates: Some(Ok(templates)),
            service_offerings: Some(Ok(offerings
                .iter()
                .map(rows::offering)
                .collect::<Result<_>>()?)),
            vms: Some(Ok(vms.iter().map(rows::vm).collect::<Result<_>>()?)),
            kubernetes_clusters: Some(clusters),
            ..Snapshot::default()
        };
        self.resource_lists(&client, &resources::RESOURCE_KINDS, &mut snapshot)
            .await?;
        Ok(snapshot)
    }

    /// The network and storage lists alone, when nothing else is asked for.
    async fn snapshot_of(&self, kinds: &[akashone_cache::ListKind]) -> Result<Snapshot> {
        if kinds.iter().any(|k| !resources::RESOURCE_KINDS.contains(k)) {
            return self.snapshot().await;
        }
        let client = self.client()?;
        let mut snapshot = Snapshot::default();
        self.resource_lists(&client, kinds, &mut snapshot).await?;
        Ok(snapshot)
    }

    /// The brand failing keeps the one kept before; invoices failing (e.g. a server without
    /// billing yet) keep the cached ones. Neither fails the sync of the cloud, unless the
    /// session ended.
    async fn after_sync(&self, store: &Store) -> Result<()> {
        let client = self.client()?;
        if let Err(e) = self.sync_brand(&client, store).await {
            if e.ends_session() {
                return Err(e);
            }
            tracing::warn!(error = %e, "white-label brand not synced");
        }
        if let Err(e) = self.sync_invoices(&client, store).await {
            if e.ends_session() {
                return Err(e);
            }
            tracing::warn!(error = %e, "invoices not synced");
            store.record_sync_error(akashone_cache::ListKind::Invoices, &e.to_string());
        }
        Ok(())
    }

    fn opened(&self, store: &Store) {
        self.load_brand(store);
    }

    fn identity(&self) -> Identity {
        Identity {
            user: self.user(),
            acting_as: lock(&self.acting).clone(),
            brand: self.brand_summary(),
        }
    }

    /// Drops the session and deletes its token from the vault.
    fn forget(&self) {
        *lock(&self.signed) = None;
        *lock(&self.user) = None;
        *lock(&self.acting) = None;
        *lock(&self.challenge) = None;
        if let Err(e) = crate::store::delete_secret(&self.vault, &self.profile_id) {
            tracing::warn!(error = %e, "could not delete the ended session's token");
        }
    }

    async fn zones(&self) -> Result<Vec<Choice>> {
        let zones = self.client()?.zones(self.acting_id().as_deref()).await?;
        Ok(zones
            .into_iter()
            .map(|z| choice(z.id, z.name, String::new()))
            .collect())
    }

    async fn templates(&self, zone_id: &str) -> Result<Vec<Choice>> {
        let list = self
            .client()?
            .templates(self.acting_id().as_deref(), zone_id)
            .await?;
        Ok(list
            .into_iter()
            .map(|t| {
                let detail = if t.os_type.is_empty() {
                    t.display_text
                } else {
                    t.os_type
                };
                choice(t.id, t.name, detail)
            })
            .collect())
    }

    async fn offerings(&self) -> Result<Vec<Choice>> {
        let list = self
            .client()?
            .offerings(self.acting_id().as_deref())
            .await?;
        Ok(list
            .into_iter()
            .map(|o| {
                let detail = format!("{} vCPU · {}", o.cpu_number, memory(o.memory_mb));
                choice(o.id, o.name, detail)
            })
            .collect())
    }

    /// The server deploys without key pairs (see [`Cloud::deploy`]).
    async fn keypairs(&self) -> Result<Vec<Choice>> {
        Ok(Vec::new())
    }

    /// The server deploys into the tenant's default network.
    async fn networks(&self, _zone_id: &str) -> Result<Vec<Choice>> {
        Ok(Vec::new())
    }

    /// Deploys into the acting tenant.
    async fn deploy(&self, req: &DeployRequest) -> Result<Job> {
        if req.keypair.as_ref().is_some_and(|k| !k.is_empty())
            || req.network_id.as_ref().is_some_and(|n| !n.is_empty())
        {
            return Err(AppError::Invalid(
                "The central server deploys into the tenant's default network without an SSH key pair; leave both empty.".into(),
            ));
        }
        let client = self.client()?;
        let form = DeployVm {
            tenant_id: self.acting_id(),
            name: Some(req.name.clone()),
            zone_id: req.zone_id.clone(),
            template_id: req.template_id.clone(),
            service_offering_id: req.offering_id.clone(),
        };
        Ok(self.server_job(None, async move { client.deploy(&form).await.map(Some) }))
    }

    async fn vm_action(&self, vm_id: &str, action: VmAction) -> Result<Job> {
        let op = match action {
            VmAction::Start => Some(VmOperation::Start),
            VmAction::Stop => Some(VmOperation::Stop),
            VmAction::Reboot => Some(VmOperation::Reboot),
            VmAction::Destroy => None,
            VmAction::ForceStop => {
                return Err(AppError::Invalid(
                    "A forced stop is not offered through the central server; use Stop.".into(),
                ));
            }
            VmAction::DestroyExpunge => {
                return Err(AppError::Invalid(
                    "The central server destroys without expunging (an administrator can still recover the VM); untick Expunge.".into(),
                ));
            }
        };
        let client = self.client()?;
        let id = vm_id.to_owned();
        Ok(self.server_job(Some(id.clone()), async move {
            match op {
                Some(op) => client.operate(&id, op).await.map(Some),
                None => client.destroy(&id).await.map(|()| None),
            }
        }))
    }

    async fn kube_versions(&self, zone_id: Option<&str>) -> Result<Vec<KubeVersion>> {
        self.kube_versions_of(zone_id).await
    }

    async fn kube_offerings(&self) -> Result<Vec<KubeOffering>> {
        self.kube_offerings_of().await
    }

    async fn kube_plan(&self, req: &CreateCluster) -> Result<ClusterPlan> {
        self.kube_plan_of(req).await
    }

    async fn kube_create(&self, req: &CreateCluster) -> Result<Job> {
        self.kube_create_of(req).await
    }

    async fn kube_action(&self, cluster: &ClusterRow, action: &ClusterAction) -> Result<Job> {
        self.kube_action_of(cluster, action).await
    }

    async fn kubeconfig(&self, cluster_id: &str) -> Result<Zeroizing<String>> {
        self.kubeconfig_of(cluster_id).await
    }

    async fn operate(&self, op: &Operation) -> Result<Job> {
        self.operate_of(op).await
    }

    async fn lb_members(&self, lb_id: &str) -> Result<Vec<LbMemberRow>> {
        self.lb_members_of(lb_id).await
    }

    async fn network_offerings(&self, zone_id: &str, for_vpc: bool) -> Result<Vec<Choice>> {
        self.network_offerings_of(zone_id, for_vpc).await
    }

    async fn vm_metrics(&self, _vm_id: &str) -> Result<VmMetrics> {
        Err(AppError::WrongProfile(
            "live metrics come from CloudStack directly: the central server does not relay them"
                .into(),
        ))
    }

    fn central(self: Arc<Self>) -> Option<Arc<CentralCloud>> {
        Some(self)
    }
}
