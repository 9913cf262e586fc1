//! One throttle for every check of a password or a second factor: signing in, the 2FA step,
//! changing the password, turning 2FA off (and the recovery codes that both accept).
//!
//! Failures count against two subjects at once: the account name as typed (whether or not such
//! a user exists, so that a lock says nothing about which names exist) and the client's address.
//! Either reaching its limit locks it for [`crate::config::LoginLimits::lock_for`]; while
//! locked, every check through it is refused before the password or code is looked at. Each lock
//! is audited once, with the address.

use crate::context::AppState;
use crate::crypto;
use crate::db::{NewAudit, Throttle, User};
use crate::error::{Error, Result};

/// The throttle subject of an account name: what was typed, trimmed and lower-cased (user names
/// are lower case), hashed so that the table holds no names.
fn account_subject(name: &str) -> String {
    format!(
        "account:{}",
        crypto::sha256_hex(&name.trim().to_lowercase())
    )
}

fn address_subject(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Which of the two subjects a lock is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Account,
    Address,
}

impl Whose {
    fn words(self) -> &'static str {
        match self {
            Whose::Account => "for this account",
            Whose::Address => "from your address",
        }
    }
}

/// The refusal while locked: the same words for an account name that exists and one that does
/// not.
fn locked(whose: Whose, until: i64, now: i64) -> Error {
    let minutes = ((until - now).max(1) + 59) / 60;
    Error::Locked(format!(
        "Too many failed sign-in attempts {}: locked for {minutes} more minute{}. Try again later.",
        whose.words(),
        if minutes == 1 { "" } else { "s" }
    ))
}

/// One check of a password or code, for one account name from one address.
pub(crate) struct Guard<'a> {
    state: &'a AppState,
    name: String,
    ip: String,
    account: String,
    address: String,
    now: i64,
}

impl<'a> Guard<'a> {
    /// Starts a check of `name` (the account name as typed) from `ip`; refused with
    /// [`Error::Locked`] when either is locked.
    pub(crate) async fn enter(
        state: &'a AppState,
        name: &str,
        ip: &str,
        now: i64,
    ) -> Result<Guard<'a>> {
        let guard = Guard {
            state,
            name: name.trim().to_owned(),
            ip: ip.to_owned(),
            account: account_subject(name),
            address: address_subject(ip),
            now,
        };
        let locks = state
            .db
            .locks(&[guard.account.clone(), guard.address.clone()], now)
            .await?;
        let lock_of = |s: &str| locks.iter().find(|(k, _)| k == s).map(|(_, u)| *u);
        if let Some(until) = lock_of(&guard.account) {
            return Err(locked(Whose::Account, until, now));
        }
        if let Some(until) = lock_of(&guard.address) {
            return Err(locked(Whose::Address, until, now));
        }
        Ok(guard)
    }

    /// A check that never reached an account (an unknown sign-in challenge): only the address
    /// is counted.
    pub(crate) async fn enter_address(state: &'a AppState, ip: &str, now: i64) -> Result<Self> {
        let mut guard = Guard::enter(state, "", ip, now).await?;
        guard.account.clear();
        Ok(guard)
    }

    /// The check failed: counts it against the account name and the address, audits it as
    /// `action` (with the user when the name is one), and answers `refusal` — or
    /// [`Error::Locked`] when this failure reached a limit.
    pub(crate) async fn failed(&self, user: Option<&User>, action: &str, refusal: Error) -> Error {
        match self.count(user, action, &refusal).await {
            Ok(Some(lock)) => lock,
            Ok(None) => refusal,
            Err(e) => e,
        }
    }

    async fn count(
        &self,
        user: Option<&User>,
        action: &str,
        refusal: &Error,
    ) -> Result<Option<Error>> {
        let limits = self.state.config.login_limits;
        let (window, lock) = (
            limits.window.as_secs() as i64,
            limits.lock_for.as_secs() as i64,
        );
        let address = self
            .state
            .db
            .record_failure(&self.address, self.now, window, limits.per_ip, lock)
            .await?;
        let account = if self.account.is_empty() {
            None
        } else {
            Some(
                self.state
                    .db
                    .record_failure(&self.account, self.now, window, limits.per_account, lock)
                    .await?,
            )
        };
        self.audit(user, action, &format!("failed: {refusal}"))
            .await?;
        for (whose, t) in [(Whose::Account, account), (Whose::Address, Some(address))] {
            if let Some(t) = t.filter(|t| t.newly_locked) {
                self.audit_lock(user, whose, t).await?;
            }
        }
        let lock = match (account.and_then(|t| t.locked_until), address.locked_until) {
            (Some(until), _) => Some(locked(Whose::Account, until, self.now)),
            (None, Some(until)) => Some(locked(Whose::Address, until, self.now)),
            (None, None) => None,
        };
        Ok(lock)
    }

    /// The check passed: the account's failures are forgotten. The address's are kept, so that
    /// one address trying many names stays counted.
    pub(crate) async fn passed(&self) -> Result<()> {
        if !self.account.is_empty() {
            self.state.db.clear_failures(&self.account).await?;
        }
        Ok(())
    }

    /// An audit row of this check, with the address.
    pub(crate) async fn audit(
        &self,
        user: Option<&User>,
        action: &str,
        result: &str,
    ) -> Result<()> {
        // Attempts on names that are no account's are the platform's concern. The root is read
        // for known names too, so that both take the same steps.
        let root = self.state.db.root_tenant().await?.map(|t| t.id);
        let tenant_id = user.map(|u| u.tenant_id.clone()).or(root);
        self.state
            .db
            .insert_audit(&NewAudit {
                at: self.now,
                actor_id: user.map(|u| u.id.clone()),
                actor: match user {
                    Some(u) => u.username.clone(),
                    None if self.name.is_empty() => "anonymous".to_owned(),
                    None => self.name.clone(),
                },
                tenant_id,
                action: action.to_owned(),
                target: user.map_or_else(|| self.name.clone(), |u| u.username.clone()),
                result: result.to_owned(),
                ip: Some(self.ip.clone()),
            })
            .await?;
        Ok(())
    }

    async fn audit_lock(&self, user: Option<&User>, whose: Whose, t: Throttle) -> Result<()> {
        let minutes = self
            .state
            .config
            .login_limits
            .lock_for
            .as_secs()
            .div_ceil(60);
        let what = match whose {
            Whose::Account => "account",
            Whose::Address => "address",
        };
        self.audit(
            user,
            "auth.lockout",
            &format!(
                "locked: the {what} is locked for {minutes} minute{} after {} failures",
                if minutes == 1 { "" } else { "s" },
                t.failures
            ),
        )
        .await
    }
}
