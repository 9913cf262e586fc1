//! Central server profiles, the console's side: adding one, the two-step sign-in (password,
//! then a TOTP or recovery code), signing out, acting as a tenant of the subtree, and the calls
//! only a server answers — the user's account and the administration ([`admin`]) and the
//! seller profile ([`seller`]). What the server is asked lives in
//! [`crate::cloud::CentralCloud`].

use std::sync::Arc;

use akashone_central::{Central, CentralError};
use akashone_types::central::{LoginResponse, SessionOut, Verify2faRequest};
use akashone_types::{
    ActingTenant, ConnectionStatus, NewCentralProfile, Profile, ProfileKind, Profiles,
    Reachability, SignInStep,
};

use crate::cloud::CentralCloud;
use crate::console::Console;
use crate::error::{AppError, Result};
use crate::session::Session;

mod admin;
mod seller;

impl Console {
    /// The active session and its central server: the one place the console reaches the
    /// features only a central server has ([`crate::cloud::Cloud::central`]).
    pub(crate) fn central_session(&self) -> Result<(Arc<Session>, Arc<CentralCloud>)> {
        let session = self.require_session()?;
        let central = session.cloud.clone().central().ok_or_else(|| {
            AppError::WrongProfile(
                "this needs a central server profile: add one on the Connect page".into(),
            )
        })?;
        Ok((session, central))
    }

    /// Runs a call with the signed-in client; an ended session signs the profile out.
    async fn with_central<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: FnOnce(Central, Option<String>) -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, CentralError>>,
    {
        let (session, central) = self.central_session()?;
        let client = central.client()?;
        let answer = call(client, central.acting_id())
            .await
            .map_err(AppError::from);
        self.noted(&session, answer)
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
        let active = self.session().is_some_and(|s| s.profile.id == id);
        if !active {
            let profile: Profile = self.lock_profiles().get(id, self.storage())?;
            let cloud = self.cloud_for(&profile).await?;
            if cloud.clone().central().is_none() {
                return Err(AppError::WrongProfile(format!(
                    "{:?} is not a central server profile",
                    profile.name
                )));
            }
            self.start_session(profile, cloud, false)?;
        }
        let (session, central) = self.central_session()?;
        match central.anon.login(central.username(), password).await {
            Ok(LoginResponse::Authenticated(s)) => self.signed_in(&session, &central, s).await,
            Ok(LoginResponse::TwoFactorRequired { challenge, .. }) => {
                central.await_code(challenge);
                Ok(SignInStep::TwoFactorRequired)
            }
            Err(e) => {
                let e = AppError::from(e);
                if e.is_unreachable() {
                    self.note(&session, Err(&e));
                }
                Err(e)
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
        let (session, central) = self.central_session()?;
        let challenge = central.challenge().ok_or_else(|| {
            AppError::Invalid(
                "Enter the password first: there is no sign-in waiting for a code.".into(),
            )
        })?;
        let request = Verify2faRequest {
            challenge: challenge.to_string(),
            code,
            recovery_code,
        };
        let s = central.anon.verify_2fa(&request).await?;
        self.signed_in(&session, &central, s).await
    }

    async fn signed_in(
        self: &Arc<Self>,
        session: &Arc<Session>,
        central: &CentralCloud,
        s: SessionOut,
    ) -> Result<SignInStep> {
        central.start_session(&s, true)?;
        self.set_state(session, |st| {
            st.reachability = Reachability::Connecting;
            st.last_error = None;
        });
        self.sync_once(session).await;
        Ok(SignInStep::SignedIn { user: s.user })
    }

    /// Signs out: the session is revoked on the server (when it answers) and its token deleted.
    /// The cache stays readable.
    pub async fn central_sign_out(&self) -> Result<ConnectionStatus> {
        let (session, central) = self.central_session()?;
        if let Ok(client) = central.client()
            && let Err(e) = client.logout().await
        {
            tracing::info!(error = %e, "the server did not confirm the sign-out");
        }
        self.signed_out(&session);
        Ok(self.status())
    }

    /// Shows the data of a tenant of the user's subtree (`None`: the user's own tenant), and
    /// syncs it into the cache.
    pub async fn act_as(self: &Arc<Self>, tenant_id: Option<&str>) -> Result<ConnectionStatus> {
        let (session, central) = self.central_session()?;
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
        central.act_as(ActingTenant {
            id: chosen.id.clone(),
            name: chosen.name.clone(),
            own: chosen.id == own.id,
        });
        self.events.connection(&self.status());
        self.sync_once(&session).await;
        Ok(self.status())
    }
}
