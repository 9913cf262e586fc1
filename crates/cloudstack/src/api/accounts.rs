//! Domains and accounts: the tenancy tree.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;

list_request! {
    /// `listDomains`.
    ListDomains => "listDomains" {
        /// Domain id.
        id: String,
        /// Name.
        name: String,
        /// Level.
        level: i64,
        /// List everything the caller may see.
        listall: bool,
        /// Detail groups (`all`, `resource`, `min`).
        details: Vec<String>,
    }
}

request! {
    /// `createDomain` (synchronous).
    CreateDomain => "createDomain" {
        /// Name (required).
        name: String,
        /// Parent domain id (default ROOT).
        parentdomainid: String,
        /// Network domain.
        networkdomain: String,
        /// Wanted id.
        domainid: String,
    }
}

request! {
    /// `updateDomain` (synchronous).
    UpdateDomain => "updateDomain" {
        /// Domain id (required).
        id: String,
        /// New name.
        name: String,
        /// New network domain.
        networkdomain: String,
    }
}

list_request! {
    /// `listAccounts`.
    ListAccounts => "listAccounts" {
        /// Account id.
        id: String,
        /// Name.
        name: String,
        /// Domain id.
        domainid: String,
        /// Account type.
        accounttype: i64,
        /// State.
        state: String,
        /// Include subdomains.
        isrecursive: bool,
        /// List everything the caller may see.
        listall: bool,
    }
}

request! {
    /// `createAccount` (synchronous; creates the account and its first user).
    CreateAccount => "createAccount" {
        /// Account name (default: the user name).
        account: String,
        /// Account type (0 user, 1 admin, 2 domain admin); prefer `roleid`.
        accounttype: i64,
        /// Role id.
        roleid: String,
        /// Domain id.
        domainid: String,
        /// E-mail (required).
        email: String,
        /// First name (required).
        firstname: String,
        /// Last name (required).
        lastname: String,
        /// Login name (required).
        username: String,
        /// Password (required; sent by POST automatically when long).
        password: String,
        /// Network domain.
        networkdomain: String,
        /// Time zone.
        timezone: String,
    }
}

request! {
    /// `updateAccount` (synchronous).
    UpdateAccount => "updateAccount" {
        /// Account id.
        id: String,
        /// Current account name (with domainid, instead of id).
        account: String,
        /// Domain id.
        domainid: String,
        /// New name.
        newname: String,
        /// New role id.
        roleid: String,
        /// New network domain.
        networkdomain: String,
    }
}

impl Client {
    /// `listDomains`, every page.
    pub async fn list_domains(&self, req: &ListDomains) -> Result<Vec<Domain>> {
        self.list_typed(req, "domain").await
    }

    /// `createDomain` (synchronous).
    pub async fn create_domain(&self, req: &CreateDomain) -> Result<Domain> {
        self.sync_object(CreateDomain::NAME, &req.to_params(), "domain")
            .await
    }

    /// `updateDomain` (synchronous).
    pub async fn update_domain(&self, req: &UpdateDomain) -> Result<Domain> {
        self.sync_object(UpdateDomain::NAME, &req.to_params(), "domain")
            .await
    }

    /// `deleteDomain` (async); `cleanup` also deletes its accounts and resources.
    pub async fn delete_domain(&self, id: &str, cleanup: bool) -> Result<AsyncJob<Success>> {
        let mut p = id_params(id);
        if cleanup {
            p.set("cleanup", true);
        }
        self.submit("deleteDomain", &p).await
    }

    /// `listAccounts`, every page.
    pub async fn list_accounts(&self, req: &ListAccounts) -> Result<Vec<Account>> {
        self.list_typed(req, "account").await
    }

    /// `createAccount` (synchronous).
    pub async fn create_account(&self, req: &CreateAccount) -> Result<Account> {
        self.sync_object(CreateAccount::NAME, &req.to_params(), "account")
            .await
    }

    /// `updateAccount` (synchronous).
    pub async fn update_account(&self, req: &UpdateAccount) -> Result<Account> {
        self.sync_object(UpdateAccount::NAME, &req.to_params(), "account")
            .await
    }

    /// `deleteAccount` (async).
    pub async fn delete_account(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteAccount", &id_params(id)).await
    }
}
