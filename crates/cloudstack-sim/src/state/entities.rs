//! One entity at a time: domains, accounts, users, key pairs, disks, snapshots, rules and
//! whole tenants. Shared by the seeded data and the commands that create them.

use time::{Duration as TDuration, OffsetDateTime};

use crate::rng::SimRng;
use crate::state::model::{
    Account, AccountKind, Domain, FirewallRule, KeyPair, PortForward, User, Volume,
};
use crate::state::{Ref, State};

/// Credentials of one generated user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    /// The user's API key.
    pub api_key: String,
    /// The user's secret key.
    pub secret_key: String,
    /// Id of the user.
    pub user_id: String,
    /// Id of the user's account.
    pub account_id: String,
    /// Id of the account's domain.
    pub domain_id: String,
}

pub(crate) fn add_domain(
    s: &mut State,
    name: &str,
    parent: Option<usize>,
    created: OffsetDateTime,
) -> usize {
    let idx = s.domains.len();
    let id = s.rng.uuid();
    let (level, path) = match parent {
        None => (0, "ROOT".to_string()),
        Some(p) => (
            s.domains[p].level + 1,
            format!("{}/{name}", s.domains[p].path),
        ),
    };
    s.domains.push(Domain {
        id: id.clone(),
        name: name.to_string(),
        parent,
        level,
        path,
        created,
        network_domain: None,
        removed: false,
    });
    s.index(&id, Ref::Domain(idx));
    idx
}

pub(crate) fn add_account(
    s: &mut State,
    name: &str,
    domain: usize,
    kind: AccountKind,
    created: OffsetDateTime,
) -> usize {
    let idx = s.accounts.len();
    let id = s.rng.uuid();
    s.accounts.push(Account {
        id: id.clone(),
        name: name.to_string(),
        domain,
        kind,
        created,
        network_domain: None,
        removed: false,
        limits: [None; 12],
    });
    s.index(&id, Ref::Account(idx));
    idx
}

pub(crate) fn add_user(
    s: &mut State,
    keys: &mut SimRng,
    account: usize,
    username: &str,
    created: OffsetDateTime,
) -> usize {
    let api_key = keys.key();
    let secret_key = keys.key();
    add_user_with_keys(s, account, username, api_key, secret_key, created)
}

pub(crate) fn add_user_with_keys(
    s: &mut State,
    account: usize,
    username: &str,
    api_key: String,
    secret_key: String,
    created: OffsetDateTime,
) -> usize {
    let idx = s.users.len();
    let id = s.rng.uuid();
    s.api_keys.insert(api_key.clone(), idx);
    s.users.push(User {
        id: id.clone(),
        username: username.to_string(),
        account,
        api_key,
        secret_key,
        firstname: username.split('-').next().unwrap_or(username).to_string(),
        lastname: "User".into(),
        email: format!("{username}@example.com"),
        created,
    });
    s.index(&id, Ref::User(idx));
    idx
}

pub(crate) fn add_keypair(
    s: &mut State,
    account: usize,
    name: &str,
    created: OffsetDateTime,
) -> usize {
    let idx = s.keypairs.len();
    let id = s.rng.uuid();
    let fingerprint = (0..16)
        .map(|_| format!("{:02x}", s.rng.below(256)))
        .collect::<Vec<_>>()
        .join(":");
    s.keypairs.push(KeyPair {
        id: id.clone(),
        name: name.to_string(),
        account,
        fingerprint,
        created,
        removed: false,
    });
    s.index(&id, Ref::KeyPair(idx));
    idx
}

pub(crate) fn add_data_disk(s: &mut State, vm: usize, created: OffsetDateTime) {
    let offering = s.rng.below(4) as usize;
    let idx = s.volumes.len();
    let id = s.rng.uuid();
    let (zone, account) = (s.vms[vm].zone, s.vms[vm].account);
    s.volumes.push(Volume {
        id: id.clone(),
        name: format!("DATA-{}", s.vms[vm].name),
        zone,
        account,
        root: false,
        size: s.disk_offerings[offering].size_gb << 30,
        disk_offering: Some(offering),
        vm: Some(vm),
        device_id: Some(1),
        state: "Ready",
        created,
        attached: Some(created),
        template: None,
        pending_job: None,
        removed: false,
        removed_at: None,
        min_iops: None,
        max_iops: None,
        pool: crate::commands::storage::default_pool(s, zone),
        from_snapshot: None,
    });
    s.index(&id, Ref::Volume(idx));
}

pub(crate) fn add_snapshot(s: &mut State, volume: usize, created: OffsetDateTime) {
    crate::commands::snapshots::add_snapshot(s, volume, None, "BackedUp", "MANUAL", created);
}

pub(crate) fn add_rules(s: &mut State, ip: usize, vm: usize) {
    let account = s.ips[ip].account;
    let network = s.ips[ip].network.unwrap_or(s.vms[vm].network);
    let fw = s.firewall.len();
    let id = s.rng.uuid();
    s.firewall.push(FirewallRule {
        id: id.clone(),
        ip: Some(ip),
        network,
        account,
        protocol: "tcp".into(),
        start: Some(22),
        end: Some(22),
        icmp_type: None,
        icmp_code: None,
        cidrs: "0.0.0.0/0".into(),
        dest_cidrs: String::new(),
        egress: false,
        related: None,
        state: "Active",
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::Firewall(fw));
    let pf = s.port_forwards.len();
    let id = s.rng.uuid();
    s.port_forwards.push(PortForward {
        id: id.clone(),
        ip,
        vm,
        account,
        protocol: "tcp".into(),
        public: (22, 22),
        private: (22, 22),
        cidrs: String::new(),
        state: "Active",
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::PortForward(pf));
}

/// Finds or creates `domain_path` (`ROOT/A/B`, or `/A/B`), an account in it and a new user, with
/// fresh keys unless given.
pub(crate) fn create_tenant(
    s: &mut State,
    domain_path: &str,
    account: &str,
    keys: Option<(String, String)>,
    admin: bool,
) -> Result<SimUser, crate::SimError> {
    let trimmed = domain_path.trim_matches('/');
    let mut parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    if parts
        .first()
        .is_some_and(|p| p.eq_ignore_ascii_case("ROOT"))
    {
        parts.remove(0);
    }
    if account.is_empty() || account.contains('/') {
        return Err(crate::SimError::Tenant(format!(
            "bad account name {account:?}"
        )));
    }
    let now = OffsetDateTime::now_utc();
    let mut d = 0;
    for part in parts {
        d = match s
            .domains
            .iter()
            .position(|x| !x.removed && x.parent == Some(d) && x.name == part)
        {
            Some(found) => found,
            None => add_domain(s, part, Some(d), now),
        };
    }
    let a = match s.account_by_name(d, account) {
        Some(a) => a,
        None => {
            let kind = if admin && d == 0 {
                AccountKind::RootAdmin
            } else if admin {
                AccountKind::DomainAdmin
            } else {
                AccountKind::User
            };
            add_account(s, account, d, kind, now)
        }
    };
    let (api_key, secret_key) = match keys {
        Some(k) => k,
        None => (s.rng.key(), s.rng.key()),
    };
    if s.api_keys.contains_key(&api_key) {
        return Err(crate::SimError::Tenant("api key already in use".into()));
    }
    let n = s.users.iter().filter(|u| u.account == a).count();
    let username = if n == 0 {
        account.to_string()
    } else {
        format!("{account}-{}", n + 1)
    };
    let u = add_user_with_keys(s, a, &username, api_key, secret_key, now);
    Ok(user_view(s, u))
}

/// Shifts every date of account `a`'s resources `by` into the past (see
/// [`crate::SimHandle::backdate_account`]).
pub(crate) fn backdate_account(s: &mut State, a: usize, by: TDuration) {
    let shift = |t: &mut OffsetDateTime| *t -= by;
    for v in s.vms.iter_mut().filter(|v| v.account == a) {
        shift(&mut v.created);
        for (from, to) in &mut v.running {
            shift(from);
            if let Some(t) = to {
                shift(t);
            }
        }
        if let Some(t) = &mut v.destroyed_at {
            shift(t);
        }
    }
    for v in s.volumes.iter_mut().filter(|v| v.account == a) {
        shift(&mut v.created);
        for t in [&mut v.attached, &mut v.removed_at].into_iter().flatten() {
            shift(t);
        }
    }
    for sn in s.snapshots.iter_mut().filter(|x| x.account == a) {
        shift(&mut sn.created);
    }
    for ip in s.ips.iter_mut().filter(|x| x.account == a) {
        shift(&mut ip.allocated);
        if let Some(t) = &mut ip.released {
            shift(t);
        }
    }
    for n in s.networks.iter_mut().filter(|x| x.account == a) {
        shift(&mut n.created);
    }
    for lb in s.lbs.iter_mut().filter(|x| x.account == a) {
        shift(&mut lb.created);
        if let Some(t) = &mut lb.removed_at {
            shift(t);
        }
    }
    for sn in s.vm_snapshots.iter_mut().filter(|x| x.account == a) {
        shift(&mut sn.created);
        if let Some(t) = &mut sn.removed_at {
            shift(t);
        }
    }
    for sn in s.snapshots.iter_mut().filter(|x| x.account == a) {
        if let Some(t) = &mut sn.removed_at {
            shift(t);
        }
    }
    for c in s.clusters.iter_mut().filter(|x| x.account == a) {
        shift(&mut c.created);
    }
}

pub(crate) fn user_view(s: &State, u: usize) -> SimUser {
    let user = &s.users[u];
    let account = &s.accounts[user.account];
    SimUser {
        api_key: user.api_key.clone(),
        secret_key: user.secret_key.clone(),
        user_id: user.id.clone(),
        account_id: account.id.clone(),
        domain_id: s.domains[account.domain].id.clone(),
    }
}
