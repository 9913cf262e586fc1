//! The simulator's in-memory state: tables of entities, an id index, callers and scopes.

pub(crate) mod cidr;
pub(crate) mod entities;
pub(crate) mod jobs;
pub(crate) mod model;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::Duration;

use time::OffsetDateTime;

use crate::error::ApiError;
use crate::params::Params;
use crate::rng::SimRng;
use jobs::{Job, Op};
use model::*;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ref {
    Domain(usize),
    Account(usize),
    User(usize),
    Zone(usize),
    Template(usize),
    ServiceOffering(usize),
    DiskOffering(usize),
    NetworkOffering(usize),
    Network(usize),
    Vm(usize),
    Volume(usize),
    Snapshot(usize),
    Ip(usize),
    Firewall(usize),
    PortForward(usize),
    KeyPair(usize),
    Job(usize),
    KubeVersion(usize),
    Cluster(usize),
    Vpc(usize),
    AclList(usize),
    AclItem(usize),
    LoadBalancer(usize),
    LbPolicy(usize),
    SnapshotPolicy(usize),
    VmSnapshot(usize),
    StoragePool(usize),
    VpcOffering,
}

/// Behaviour knobs the commands need.
#[derive(Debug, Clone)]
pub(crate) struct Knobs {
    pub start_delay: Duration,
    pub job_delay: Duration,
    pub max_page_size: usize,
    pub zone_capacity: Option<usize>,
}

/// Everything the simulator knows.
#[derive(Debug)]
pub(crate) struct State {
    pub knobs: Knobs,
    /// Generator of ids and values created at run time.
    pub rng: SimRng,
    pub domains: Vec<Domain>,
    pub accounts: Vec<Account>,
    pub users: Vec<User>,
    pub zones: Vec<Zone>,
    pub templates: Vec<Template>,
    pub service_offerings: Vec<ServiceOffering>,
    pub disk_offerings: Vec<DiskOffering>,
    pub network_offerings: Vec<NetworkOffering>,
    pub networks: Vec<Network>,
    pub vms: Vec<Vm>,
    pub volumes: Vec<Volume>,
    pub snapshots: Vec<Snapshot>,
    pub ips: Vec<PublicIp>,
    pub firewall: Vec<FirewallRule>,
    pub port_forwards: Vec<PortForward>,
    pub keypairs: Vec<KeyPair>,
    pub events: Vec<Event>,
    pub kube_versions: Vec<KubeVersion>,
    pub clusters: Vec<KubeCluster>,
    pub jobs: Vec<Job>,
    pub due: BinaryHeap<Reverse<(std::time::Instant, usize)>>,
    pub ids: HashMap<String, Ref>,
    pub api_keys: HashMap<String, usize>,
    pub vm_counter: u64,
    /// Cluster scale requests waiting for their jobs.
    pub pending_scales: HashMap<usize, Scale>,
    pub vpcs: Vec<Vpc>,
    pub acl_lists: Vec<AclList>,
    pub acl_items: Vec<AclItem>,
    pub lbs: Vec<LoadBalancer>,
    pub lb_policies: Vec<LbPolicy>,
    pub snapshot_policies: Vec<SnapshotPolicy>,
    pub vm_snapshots: Vec<VmSnapshot>,
    pub pools: Vec<StoragePool>,
    /// Work of network and storage jobs, by job index, applied when the job completes.
    pub ops: HashMap<usize, Op>,
    /// Id of the one VPC offering.
    pub vpc_offering_id: String,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller {
    pub user: usize,
    pub account: usize,
    pub domain: usize,
    pub kind: AccountKind,
}

impl Caller {
    pub fn is_root(&self) -> bool {
        self.kind == AccountKind::RootAdmin
    }
    pub fn is_admin(&self) -> bool {
        self.kind != AccountKind::User
    }
}

/// Which accounts' resources a list may return.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    accounts: Vec<bool>,
}

impl Scope {
    pub fn allows(&self, account: usize) -> bool {
        self.accounts.get(account).copied().unwrap_or(false)
    }
}

impl State {
    pub fn new(knobs: Knobs, rng: SimRng) -> Self {
        State {
            knobs,
            rng,
            domains: Vec::new(),
            accounts: Vec::new(),
            users: Vec::new(),
            zones: Vec::new(),
            templates: Vec::new(),
            service_offerings: Vec::new(),
            disk_offerings: Vec::new(),
            network_offerings: Vec::new(),
            networks: Vec::new(),
            vms: Vec::new(),
            volumes: Vec::new(),
            snapshots: Vec::new(),
            ips: Vec::new(),
            firewall: Vec::new(),
            port_forwards: Vec::new(),
            keypairs: Vec::new(),
            events: Vec::new(),
            kube_versions: Vec::new(),
            clusters: Vec::new(),
            jobs: Vec::new(),
            due: BinaryHeap::new(),
            ids: HashMap::new(),
            api_keys: HashMap::new(),
            vm_counter: 0,
            pending_scales: HashMap::new(),
            vpcs: Vec::new(),
            acl_lists: Vec::new(),
            acl_items: Vec::new(),
            lbs: Vec::new(),
            lb_policies: Vec::new(),
            snapshot_policies: Vec::new(),
            vm_snapshots: Vec::new(),
            pools: Vec::new(),
            ops: HashMap::new(),
            vpc_offering_id: String::new(),
        }
    }

    /// Records an id.
    pub fn index(&mut self, id: &str, r: Ref) {
        self.ids.insert(id.to_string(), r);
    }

    /// Resolves an id parameter to an entity, or the server's "invalid value" 431.
    pub fn lookup<F>(&self, p: &Params, name: &str, pick: F) -> Result<usize, ApiError>
    where
        F: Fn(Ref) -> Option<usize>,
    {
        let value = p.required(name)?;
        self.ids
            .get(value)
            .copied()
            .and_then(pick)
            .ok_or_else(|| ApiError::invalid_value(&p.command_lc, name, value))
    }

    /// Like [`State::lookup`] for an optional parameter.
    pub fn lookup_opt<F>(&self, p: &Params, name: &str, pick: F) -> Result<Option<usize>, ApiError>
    where
        F: Fn(Ref) -> Option<usize>,
    {
        match p.get(name) {
            None => Ok(None),
            Some(_) => self.lookup(p, name, pick).map(Some),
        }
    }

    /// Is `ancestor` the domain `d` or one of its parents?
    pub fn domain_within(&self, d: usize, ancestor: usize) -> bool {
        let mut cur = Some(d);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.domains[c].parent;
        }
        false
    }

    /// May the caller act on resources owned by `owner`?
    pub fn can_access(&self, caller: &Caller, owner: usize) -> bool {
        match caller.kind {
            AccountKind::RootAdmin => true,
            AccountKind::DomainAdmin => {
                self.domain_within(self.accounts[owner].domain, caller.domain)
            }
            AccountKind::User => owner == caller.account,
        }
    }

    /// PermissionDenied unless the caller may act on resources owned by `owner`.
    pub fn check_access(&self, caller: &Caller, owner: usize, what: &str) -> Result<(), ApiError> {
        if self.can_access(caller, owner) {
            Ok(())
        } else {
            Err(ApiError::permission_denied(format!(
                "Account '{}' does not have permission to operate with resource {what}",
                self.accounts[caller.account].name
            )))
        }
    }

    /// The account a create command acts for: the caller's, or `account`+`domainid` for admins.
    pub fn owner_for_create(&self, caller: &Caller, p: &Params) -> Result<usize, ApiError> {
        let Some(name) = p.get("account") else {
            return Ok(caller.account);
        };
        let domain = match self.lookup_opt(p, "domainid", |r| match r {
            Ref::Domain(d) => Some(d),
            _ => None,
        })? {
            Some(d) => d,
            None => caller.domain,
        };
        let account = self.account_by_name(domain, name).ok_or_else(|| {
            ApiError::invalid(format!(
                "Unable to find account {name} in domain id={}",
                self.domains[domain].id
            ))
        })?;
        self.check_access(caller, account, &self.accounts[account].id)?;
        Ok(account)
    }

    pub fn account_by_name(&self, domain: usize, name: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| !a.removed && a.domain == domain && a.name == name)
    }

    /// Builds the scope of a list command from `listall`, `domainid`, `account` and
    /// `isrecursive`, as CloudStack's ACL search parameters do.
    pub fn list_scope(&self, caller: &Caller, p: &Params) -> Result<Scope, ApiError> {
        let listall = p.flag_or("listall", false);
        let recursive = p.flag_or("isrecursive", false);
        let domain = self.lookup_opt(p, "domainid", |r| match r {
            Ref::Domain(d) => Some(d),
            _ => None,
        })?;
        if let Some(d) = domain
            && !caller.is_root()
            && !self.domain_within(d, caller.domain)
        {
            {
                return Err(ApiError::permission_denied(format!(
                    "Account '{}' does not have permission to access domain {}",
                    self.accounts[caller.account].name, self.domains[d].id
                )));
            }
        }
        if let Some(name) = p.get("account") {
            let d = domain.unwrap_or(caller.domain);
            let a = self.account_by_name(d, name).ok_or_else(|| {
                ApiError::invalid(format!(
                    "Unable to find account {name} in domain id={}",
                    self.domains[d].id
                ))
            })?;
            self.check_access(caller, a, &self.accounts[a].id)?;
            return Ok(self.account_scope(a));
        }
        if caller.kind == AccountKind::User {
            return Ok(self.account_scope(caller.account));
        }
        match domain {
            Some(d) => Ok(self.domain_scope(d, recursive)),
            None if listall => Ok(self.domain_scope(caller.domain, true)),
            None => Ok(self.account_scope(caller.account)),
        }
    }

    fn account_scope(&self, account: usize) -> Scope {
        let mut accounts = vec![false; self.accounts.len()];
        accounts[account] = true;
        Scope { accounts }
    }

    fn domain_scope(&self, domain: usize, recursive: bool) -> Scope {
        let included: Vec<bool> = (0..self.domains.len())
            .map(|d| d == domain || (recursive && self.domain_within(d, domain)))
            .collect();
        Scope {
            accounts: self.accounts.iter().map(|a| included[a.domain]).collect(),
        }
    }

    /// Appends an event.
    pub fn event(
        &mut self,
        caller: &Caller,
        kind: &str,
        description: String,
        resource: Option<(&'static str, String, String)>,
        when: OffsetDateTime,
    ) {
        let id = self.rng.uuid();
        self.events.push(Event {
            id,
            kind: kind.to_string(),
            level: "INFO",
            state: "Completed",
            description,
            account: caller.account,
            user: caller.user,
            created: when,
            resource,
        });
    }

    /// The caller as seen through a user index.
    pub fn caller_of_user(&self, user: usize) -> Caller {
        let account = self.users[user].account;
        Caller {
            user,
            account,
            domain: self.accounts[account].domain,
            kind: self.accounts[account].kind,
        }
    }

    /// The first user of an account (owner of its resources).
    pub fn first_user(&self, account: usize) -> usize {
        self.users
            .iter()
            .position(|u| u.account == account)
            .unwrap_or(0)
    }
}
