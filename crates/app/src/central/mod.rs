//! Central server profiles: sign-in with the 2FA step, the session token in the vault, syncing
//! the tenant's VMs and catalogue into the same offline cache, acting as a tenant of the subtree,
//! and the administration calls (tenants, roles, users, audit, 2FA, password: [`admin`]); VM
//! actions and the deploy wizard through the server are in [`vms`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use akashone_cache::sync::{FetchedTemplate, Snapshot};
use akashone_central::{Central, CentralError, Token};
use akashone_cloudstack::model as cs;
use akashone_types::central::{BrandOut, LoginResponse, Me, SessionOut, Verify2faRequest, VmOut};
use akashone_types::{
    ActingTenant, Choice, ConnectionStatus, NewCentralProfile, Profile, ProfileKind, Profiles,
    Reachability, SignInStep,
};
use zeroize::Zeroizing;

use crate::console::{Console, Session};
use crate::error::{AppError, Result};
use crate::store::Store;

mod admin;
mod seller;
mod vms;

pub(crate) use seller::load_brand;

/// The connection of a central server profile.
pub(crate) struct Link {
    anon: Central,
    signed: Mutex<Option<Central>>,
    user: Mutex<Option<Me>>,
    acting: Mutex<Option<ActingTenant>>,
    challenge: Mutex<Option<Zeroizing<String>>>,
    brand: Mutex<Option<BrandOut>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Link {
    pub(crate) fn new(url: &str, timeout: Duration, token: Option<String>) -> Result<Self> {
        let anon = Central::new(url, timeout)?;
        let signed = token.map(|t| anon.with_token(Token::new(t)));
        Ok(Link {
            anon,
            signed: Mutex::new(signed),
            user: Mutex::new(None),
            acting: Mutex::new(None),
            challenge: Mutex::new(None),
            brand: Mutex::new(None),
        })
    }

    pub(crate) fn signed_in(&self) -> bool {
        lock(&self.signed).is_some()
    }

    pub(crate) fn user(&self) -> Option<Me> {
        lock(&self.user).clone()
    }

    pub(crate) fn acting(&self) -> Option<ActingTenant> {
        lock(&self.acting).clone()
    }

    fn client(&self) -> Result<Central> {
        lock(&self.signed).clone().ok_or(AppError::SignedOut)
    }

    /// The tenant whose data is shown (`None`: the user's own).
    pub(crate) fn acting_id(&self) -> Option<String> {
        lock(&self.acting)
            .as_ref()
            .filter(|a| !a.own)
            .map(|a| a.id.clone())
    }

    /// Asks who is signed in (the heartbeat of a central profile).
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

    fn forget(&self) {
        *lock(&self.signed) = None;
        *lock(&self.user) = None;
        *lock(&self.acting) = None;
        *lock(&self.challenge) = None;
    }
}

/// Whether an error means the session is gone (expired, revoked, password changed elsewhere).
pub(crate) fn ends_session(e: &AppError) -> bool {
    matches!(e, AppError::Central(c) if c.is_unauthorized())
}

/// Forgets the session of `session`'s profile (and its token in the vault) and says so.
pub(crate) fn signed_out(console: &Console, session: &Session) {
    if let Some(link) = session.central() {
        link.forget();
    }
    if let Err(e) = crate::store::delete_secret(&console.vault, &session.profile.id) {
        tracing::warn!(error = %e, "could not delete the ended session's token");
    }
    crate::sync::set_state(console, session, |s| {
        s.syncing = false;
        s.reachability = Reachability::SignedOut;
        s.last_error = Some("The session ended: sign in again.".into());
    });
}

/// Records the outcome of a failed call to the central server.
pub(crate) fn note_call(console: &Console, session: &Session, e: &CentralError) {
    if e.is_unauthorized() {
        signed_out(console, session);
    } else if e.is_unreachable() {
        let msg = e.to_string();
        crate::sync::set_state(console, session, |s| {
            s.reachability = Reachability::Offline;
            s.last_error = Some(msg);
        });
    }
}

/// Fetches the acting tenant's VMs and the catalogue into the cache, in one transaction.
pub(crate) async fn sync(link: &Link, store: &Store) -> Result<()> {
    let client = link.client()?;
    if link.user().is_none() {
        link.refresh_user().await?;
    }
    let tenant = link.acting_id();
    let t = tenant.as_deref();
    let (vms, zones, offerings) =
        tokio::try_join!(client.vms(t, false), client.zones(t), client.offerings(t))?;
    let mut templates = Vec::new();
    for z in &zones {
        for tpl in client.templates(t, &z.id).await? {
            templates.push(FetchedTemplate {
                template: cs::Template {
                    id: Some(tpl.id),
                    name: Some(tpl.name),
                    displaytext: Some(tpl.display_text),
                    ostypename: Some(tpl.os_type),
                    zoneid: Some(z.id.clone()),
                    zonename: Some(z.name.clone()),
                    isready: Some(true),
                    ..Default::default()
                },
                executable: true,
                featured: false,
            });
        }
    }
    let snapshot = Snapshot {
        zones: Some(Ok(zones
            .into_iter()
            .map(|z| cs::Zone {
                id: Some(z.id),
                name: Some(z.name),
                allocationstate: Some("Enabled".into()),
                ..Default::default()
            })
            .collect())),
        templates: Some(Ok(templates)),
        service_offerings: Some(Ok(offerings
            .into_iter()
            .map(|o| cs::ServiceOffering {
                id: Some(o.id),
                name: Some(o.name),
                displaytext: Some(o.display_text),
                cpunumber: Some(o.cpu_number),
                memory: Some(o.memory_mb),
                ..Default::default()
            })
            .collect())),
        vms: Some(Ok(vms.iter().map(vm_model).collect())),
        ..Default::default()
    };
    store.replace(snapshot).await?;
    // The brand failing keeps the one kept before.
    if let Err(e) = seller::sync_brand(link, &client, store).await {
        if ends_session(&e) {
            return Err(e);
        }
        tracing::warn!(error = %e, "white-label brand not synced");
    }
    // Invoices failing (e.g. the server has no billing yet) keep the cached ones and do not
    // fail the sync of the cloud.
    if let Err(e) = crate::billing::sync(link, &client, store).await {
        if crate::central::ends_session(&e) {
            return Err(e);
        }
        tracing::warn!(error = %e, "invoices not synced");
        store.record_sync_error(akashone_cache::ListKind::Invoices, &e.to_string());
    }
    Ok(())
}

/// A VM of the server as the cache stores CloudStack's VMs.
fn vm_model(v: &VmOut) -> cs::VirtualMachine {
    let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    cs::VirtualMachine {
        id: Some(v.id.clone()),
        name: Some(v.name.clone()),
        displayname: some(&v.display_name),
        state: Some(v.state.clone()),
        zoneid: some(&v.zone_id),
        zonename: some(&v.zone_name),
        templateid: some(&v.template_id),
        templatename: some(&v.template_name),
        serviceofferingid: some(&v.service_offering_id),
        serviceofferingname: some(&v.service_offering_name),
        cpunumber: Some(v.cpu_number),
        memory: Some(v.memory_mb),
        created: some(&v.created),
        domainid: some(&v.tenant_id),
        nic: some(&v.ip_address).map(|ip| {
            vec![cs::Nic {
                ipaddress: Some(ip),
                isdefault: Some(true),
                ..Default::default()
            }]
        }),
        ..Default::default()
    }
}

fn choice(id: String, name: String, detail: String) -> Choice {
    Choice { id, name, detail }
}

impl Console {
    fn central_session(&self) -> Result<(Arc<Session>, Arc<Link>)> {
        let session = self.require_session()?;
        let link = session.central().cloned().ok_or_else(|| {
            AppError::WrongProfile(
                "this needs a central server profile: add one on the Connect page".into(),
            )
        })?;
        Ok((session, link))
    }

    /// Runs a call with the signed-in client; an ended session signs the profile out.
    async fn with_central<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: FnOnce(Central, Option<String>) -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, CentralError>>,
    {
        let (session, link) = self.central_session()?;
        let client = link.client()?;
        match call(client, link.acting_id()).await {
            Ok(v) => Ok(v),
            Err(e) => {
                note_call(self, &session, &e);
                Err(e.into())
            }
        }
    }

    /// Checks that an AkashOne central server answers at the URL, then saves the profile. No
    /// password is kept: it is asked at sign-in; only the session token goes to the vault.
    pub async fn add_central_profile(&self, form: &NewCentralProfile) -> Result<Profiles> {
        let name = form.name.trim();
        let username = form.username.trim();
        let mut problems = Vec::new();
        if name.is_empty() {
            problems.push("a name");
        }
        if username.is_empty() {
            problems.push("the user name");
        }
        if form.url.trim().is_empty() {
            problems.push("the server address");
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(format!("Enter {}.", problems.join(", "))));
        }
        if name.chars().count() > 100 || username.chars().count() > 64 {
            return Err(AppError::Invalid(
                "The name has at most 100 characters and the user name at most 64.".into(),
            ));
        }
        let client = Central::new(&form.url, self.options.request_timeout)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        client.probe().await?;
        let kind = ProfileKind::Central {
            url: client.base_url().to_owned(),
            username: username.to_owned(),
        };
        self.lock_profiles()
            .add(crate::profiles::new_id(), name.to_owned(), kind)?;
        Ok(self.list_profiles())
    }

    /// The password step of signing in to a central profile, which becomes the active profile
    /// (its cache shows at once).
    pub async fn central_sign_in(self: &Arc<Self>, id: &str, password: &str) -> Result<SignInStep> {
        if password.is_empty() {
            return Err(AppError::Invalid("Enter the password.".into()));
        }
        let profile: Profile = self.lock_profiles().get(id, self.storage())?;
        let ProfileKind::Central { username, .. } = &profile.kind else {
            return Err(AppError::WrongProfile(format!(
                "{:?} is not a central server profile",
                profile.name
            )));
        };
        let username = username.clone();
        let active = self.session().is_some_and(|s| s.profile.id == id);
        if !active {
            self.activate_profile(id).await?;
        }
        let (session, link) = self.central_session()?;
        match link.anon.login(&username, password).await {
            Ok(LoginResponse::Authenticated(s)) => self.signed_in(&session, &link, s).await,
            Ok(LoginResponse::TwoFactorRequired { challenge, .. }) => {
                *lock(&link.challenge) = Some(Zeroizing::new(challenge));
                Ok(SignInStep::TwoFactorRequired)
            }
            Err(e) => {
                if e.is_unreachable() {
                    note_call(self, &session, &e);
                }
                Err(e.into())
            }
        }
    }

    /// The 2FA step: a current TOTP code or an unused recovery code.
    pub async fn central_verify_2fa(
        self: &Arc<Self>,
        code: Option<&str>,
        recovery_code: Option<&str>,
    ) -> Result<SignInStep> {
        let clean = |c: Option<&str>| {
            c.map(|c| c.chars().filter(|c| !c.is_whitespace()).collect::<String>())
                .filter(|c| !c.is_empty())
        };
        let (code, recovery_code) = (clean(code), clean(recovery_code));
        match (&code, &recovery_code) {
            (None, None) => {
                return Err(AppError::Invalid(
                    "Enter the 6-digit code from your authenticator app, or a recovery code."
                        .into(),
                ));
            }
            (Some(c), None) if c.len() != 6 || !c.chars().all(|c| c.is_ascii_digit()) => {
                return Err(AppError::Invalid("The code has 6 digits.".into()));
            }
            (Some(_), Some(_)) => {
                return Err(AppError::Invalid(
                    "Enter either a code or a recovery code, not both.".into(),
                ));
            }
            _ => {}
        }
        let (session, link) = self.central_session()?;
        let challenge = lock(&link.challenge).clone().ok_or_else(|| {
            AppError::Invalid(
                "Enter the password first: there is no sign-in waiting for a code.".into(),
            )
        })?;
        let request = Verify2faRequest {
            challenge: challenge.to_string(),
            code,
            recovery_code,
        };
        let s = link.anon.verify_2fa(&request).await?;
        *lock(&link.challenge) = None;
        self.signed_in(&session, &link, s).await
    }

    async fn signed_in(
        self: &Arc<Self>,
        session: &Arc<Session>,
        link: &Link,
        s: SessionOut,
    ) -> Result<SignInStep> {
        crate::store::put_secret(&self.vault, &session.profile.id, &s.token)?;
        *lock(&link.signed) = Some(link.anon.with_token(Token::new(s.token)));
        *lock(&link.acting) = Some(ActingTenant {
            id: s.user.tenant_id.clone(),
            name: s.user.tenant_name.clone(),
            own: true,
        });
        *lock(&link.user) = Some(s.user.clone());
        crate::sync::set_state(self, session, |st| {
            st.reachability = Reachability::Connecting;
            st.last_error = None;
        });
        crate::sync::sync_once(self, session).await;
        Ok(SignInStep::SignedIn { user: s.user })
    }

    /// Signs out: the session is revoked on the server (when it answers) and its token deleted.
    /// The cache stays readable.
    pub async fn central_sign_out(&self) -> Result<ConnectionStatus> {
        let (session, link) = self.central_session()?;
        if let Ok(client) = link.client()
            && let Err(e) = client.logout().await
        {
            tracing::info!(error = %e, "the server did not confirm the sign-out");
        }
        signed_out(self, &session);
        Ok(self.status())
    }

    /// Shows the data of a tenant of the user's subtree (`None`: the user's own tenant), and
    /// syncs it into the cache.
    pub async fn act_as(self: &Arc<Self>, tenant_id: Option<&str>) -> Result<ConnectionStatus> {
        let (session, link) = self.central_session()?;
        let tenants = self
            .with_central(|c, _| async move { c.tenants(None).await })
            .await?;
        let own = tenants
            .first()
            .ok_or_else(|| AppError::Invalid("the server listed no tenant".into()))?;
        let chosen = match tenant_id.map(str::trim).filter(|t| !t.is_empty()) {
            None => own,
            Some(id) => tenants.iter().find(|t| t.id == id).ok_or_else(|| {
                AppError::NotFound(format!("tenant {id} in your part of the tree"))
            })?,
        };
        *lock(&link.acting) = Some(ActingTenant {
            id: chosen.id.clone(),
            name: chosen.name.clone(),
            own: chosen.id == own.id,
        });
        self.events.connection(&self.status());
        crate::sync::sync_once(self, &session).await;
        Ok(self.status())
    }
}
