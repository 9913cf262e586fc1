//! Whose networks and storage a tenant sees: its account's in its domain; for the platform,
//! everything outside the other tenants' domains (as for VMs and Kubernetes clusters). Every
//! list asks CloudStack within that scope and keeps only what the scope owns; rules, which
//! CloudStack lists without an owner, are kept when the address or network they are on is the
//! tenant's.

use std::collections::HashSet;

use akashone_cloudstack::Params;
use akashone_cloudstack::model as cs;
use akashone_types::ErrorCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::context::AppState;
use crate::db::Tenant;
use crate::error::{Error, Result};

/// A tenant with its CloudStack domain, ready to scope list commands.
#[derive(Debug, Clone)]
pub(super) struct TenantScope {
    /// The tenant.
    pub tenant: Tenant,
    /// Its CloudStack domain id.
    pub domain: String,
    /// For the platform: the domains of the other tenants of its subtree.
    others: HashSet<String>,
}

/// A CloudStack row's owner, as list answers carry it.
pub(super) trait Owned {
    /// Domain id.
    fn domain_id(&self) -> Option<&str>;
    /// Account name.
    fn account(&self) -> Option<&str>;
}

macro_rules! owned {
    ($($t:ty),* $(,)?) => {$(
        impl Owned for $t {
            fn domain_id(&self) -> Option<&str> {
                self.domainid.as_deref()
            }
            fn account(&self) -> Option<&str> {
                self.account.as_deref()
            }
        }
    )*};
}

owned!(
    cs::Network,
    cs::Vpc,
    cs::PublicIpAddress,
    cs::VirtualMachine,
    cs::LoadBalancerRule,
    cs::Volume,
    cs::Snapshot,
    cs::VmSnapshot,
);

impl Owned for Value {
    fn domain_id(&self) -> Option<&str> {
        self.get("domainid").and_then(Value::as_str)
    }
    fn account(&self) -> Option<&str> {
        self.get("account").and_then(Value::as_str)
    }
}

impl TenantScope {
    /// The scope of `tenant`.
    pub async fn of(state: &AppState, tenant: Tenant) -> Result<TenantScope> {
        let domain = state.tenant_domain(&tenant).await?;
        let others = if tenant.cs_account.is_none() && tenant.parent_id.is_none() {
            state
                .db
                .subtree(&tenant.path)
                .await?
                .into_iter()
                .filter(|t| t.id != tenant.id)
                .filter_map(|t| t.cs_domain_id)
                .filter(|d| *d != domain)
                .collect()
        } else {
            HashSet::new()
        };
        Ok(TenantScope {
            tenant,
            domain,
            others,
        })
    }

    /// `domainid`, `listall` and the account (or, for the platform, `isrecursive`) of a list
    /// command.
    pub fn params(&self) -> Params {
        let mut p = Params::new()
            .with("domainid", self.domain.as_str())
            .with("listall", true);
        match &self.tenant.cs_account {
            Some(account) => p.set("account", account.as_str()),
            None => p.set("isrecursive", self.tenant.parent_id.is_none()),
        };
        p
    }

    /// Whether a row CloudStack listed within [`TenantScope::params`] is the tenant's.
    pub fn owns(&self, row: &impl Owned) -> bool {
        let domain = row.domain_id();
        match &self.tenant.cs_account {
            Some(account) => {
                domain.is_none_or(|d| d == self.domain)
                    && row.account().is_none_or(|a| a == account)
            }
            None if self.tenant.parent_id.is_none() => {
                domain.is_none_or(|d| d == self.domain || !self.others.contains(d))
            }
            None => domain.is_none_or(|d| d == self.domain),
        }
    }

    /// Every row of a list command within the scope (`extra` narrows it), the tenant's only.
    pub async fn list<T>(
        &self,
        state: &AppState,
        command: &str,
        item_key: &str,
        extra: &[(&str, &str)],
    ) -> Result<Vec<T>>
    where
        T: DeserializeOwned + Owned + Send + 'static,
    {
        let rows: Vec<T> = self.list_any(state, command, item_key, extra).await?;
        Ok(rows.into_iter().filter(|r| self.owns(r)).collect())
    }

    /// Every row of a list command within the scope, for rows CloudStack lists without their
    /// owner: the caller keeps those on the tenant's addresses or networks.
    pub async fn list_any<T>(
        &self,
        state: &AppState,
        command: &str,
        item_key: &str,
        extra: &[(&str, &str)],
    ) -> Result<Vec<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let mut p = self.params();
        for (k, v) in extra {
            p.set(k, *v);
        }
        Ok(state.cs()?.list_all(command, &p, item_key).await?)
    }

    /// The rows of a list command with this `id` (under `id_key`) within the scope: empty when
    /// CloudStack has none or cannot read the id, so another tenant's ids read as missing.
    pub async fn find<T>(
        &self,
        state: &AppState,
        command: &str,
        item_key: &str,
        id_key: &str,
        id: &str,
    ) -> Result<Vec<T>>
    where
        T: DeserializeOwned + Owned + Send + 'static,
    {
        absent_is_empty(self.list(state, command, item_key, &[(id_key, id)]).await)
    }
}

/// An id CloudStack cannot read is one it does not have.
pub(super) fn absent_is_empty<T>(r: Result<Vec<T>>) -> Result<Vec<T>> {
    match r {
        Err(Error::CloudStack(e))
            if matches!(e.code(), ErrorCode::InvalidInput | ErrorCode::NotFound) =>
        {
            Ok(Vec::new())
        }
        other => other,
    }
}
