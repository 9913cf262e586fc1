//! Domains, accounts, their users, and projects.

use crate::de::model;
use serde_json::Value;

model! {
    /// A domain (`listDomains`, `createDomain`, `updateDomain`).
    pub struct Domain {
        /// Domain id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Full path, e.g. `ROOT/customers/acme`.
        pub path: String,
        /// Level (ROOT is 0).
        pub level: i64,
        /// Parent domain id.
        pub parentdomainid: String,
        /// Parent domain name.
        pub parentdomainname: String,
        /// Has children.
        pub haschild: bool,
        /// Network domain.
        pub networkdomain: String,
        /// State.
        pub state: String,
        /// Creation date.
        pub created: String,
        /// VM count.
        pub vmtotal: i64,
        /// VM limit (`"Unlimited"` or a number, as sent).
        pub vmlimit: String,
    }
}

model! {
    /// A user of an account.
    pub struct User {
        /// User id.
        pub id: String,
        /// Login name.
        pub username: String,
        /// First name.
        pub firstname: String,
        /// Last name.
        pub lastname: String,
        /// E-mail.
        pub email: String,
        /// State.
        pub state: String,
        /// Account.
        pub account: String,
        /// Account id.
        pub accountid: String,
        /// Account type.
        pub accounttype: i64,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// API key (the secret key is never modelled).
        pub apikey: String,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// An account (`listAccounts`, `createAccount`, `updateAccount`).
    pub struct Account {
        /// Account id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Account type (0 user, 1 root admin, 2 domain admin...).
        pub accounttype: i64,
        /// Role id.
        pub roleid: String,
        /// Role name.
        pub rolename: String,
        /// Role type.
        pub roletype: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Domain path.
        pub domainpath: String,
        /// State (`enabled`, `disabled`, `locked`).
        pub state: String,
        /// Network domain.
        pub networkdomain: String,
        /// Default account.
        pub isdefault: bool,
        /// Users.
        pub user: Vec<User>,
        /// VM count.
        pub vmtotal: i64,
        /// VM limit as sent.
        pub vmlimit: String,
        /// CPU count.
        pub cputotal: i64,
        /// Memory (MiB).
        pub memorytotal: i64,
        /// VMs the account may still deploy (a number, or `Unlimited`).
        pub vmavailable: String,
        /// vCPUs left (a number, or `Unlimited`).
        pub cpuavailable: String,
        /// Memory left in MiB (a number, or `Unlimited`).
        pub memoryavailable: String,
        /// Account details map.
        pub accountdetails: Value,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A project (`listProjects`).
    pub struct Project {
        /// Project id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// State.
        pub state: String,
        /// Owner account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
    }
}
