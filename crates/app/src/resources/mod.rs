//! Networks and storage in the console: the lists from the offline cache (readable offline),
//! every reason an operation would be refused now, and the operation itself with live
//! progress (`resource-job` events). No branch on the kind of profile: both fill the same
//! cache rows and run operations behind [`crate::cloud::Cloud::operate`].

mod rows;

use crate::console::Console;
use crate::error::{AppError, Result};
use crate::session::Session;
use crate::vms::Subject;
use akashone_cache::{
    self as cache, Cache, DiskOffering, FirewallRule, LoadBalancer, Network, PortForward, PublicIp,
    SnapshotPolicy, VmSnapshot, Volume, VolumeSnapshot, Vpc,
};
use akashone_types::network::checks::{
    ip_action_allowed, network_action_allowed, vpc_action_allowed,
};
use akashone_types::network::cidr::network_cidr_problem;
use akashone_types::network::forward::{
    IpRules, PortForwardPlan, PortForwardSpec, plan_port_forwards,
};
use akashone_types::network::rules::{RuleChange, RuleSet, RuleSetDiff, diff, expand};
use akashone_types::network::{
    EgressRuleRow, FirewallRuleRow, LbMemberRow, LoadBalancerRow, NetworkRow, PortForwardRow,
    PortRange, PublicIpRow, SiblingNetwork, VpcRow,
};
use akashone_types::ops::{IpRulesView, Operation, VmLinks};
use akashone_types::storage::checks::{
    VmInfo, snapshot_action_allowed, vm_snapshot_action_allowed, vm_snapshot_allowed,
    volume_action_allowed,
};
use akashone_types::storage::{
    DiskOfferingInfo, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow, VolumeRow, VolumeSource,
};
use akashone_types::{Choice, Reachability};
use std::collections::HashMap;
use std::sync::Arc;

/// Everything the checks read, from one session's cache.
struct Cached<'a> {
    cache: &'a Cache,
}

impl<'a> Cached<'a> {
    fn networks(&self) -> Result<Vec<NetworkRow>> {
        let vms = self.cache.vms_by_network()?;
        Ok(self
            .cache
            .list::<Network>()?
            .iter()
            .map(|n| rows::network(n, &vms))
            .collect())
    }

    fn network(&self, id: &str) -> Result<NetworkRow> {
        self.networks()?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or_else(|| AppError::NotFound(format!("network {id}")))
    }

    fn vpcs(&self) -> Result<Vec<VpcRow>> {
        Ok(rows::vpcs(&self.cache.list::<Vpc>()?, &self.networks()?))
    }

    fn ips(&self) -> Result<Vec<PublicIpRow>> {
        let networks = self.networks()?;
        let by_id: HashMap<&str, &NetworkRow> =
            networks.iter().map(|n| (n.id.as_str(), n)).collect();
        let vpcs = self.cache.list::<Vpc>()?;
        let vpc_names: HashMap<&str, &str> = vpcs
            .iter()
            .map(|v| (v.id.as_str(), v.name.as_deref().unwrap_or_default()))
            .collect();
        Ok(self
            .cache
            .list::<PublicIp>()?
            .iter()
            .map(|a| rows::ip(a, &by_id, &vpc_names))
            .collect())
    }

    fn ip(&self, id: &str) -> Result<PublicIpRow> {
        self.ips()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::NotFound(format!("public IP {id}")))
    }

    fn firewall(&self) -> Result<Vec<FirewallRuleRow>> {
        Ok(self
            .cache
            .rows_where::<FirewallRule>("traffic", "ingress")?
            .iter()
            .filter_map(rows::firewall)
            .collect())
    }

    fn port_forwards(&self) -> Result<Vec<PortForwardRow>> {
        Ok(self
            .cache
            .list::<PortForward>()?
            .iter()
            .filter_map(rows::port_forward)
            .collect())
    }

    fn load_balancers(&self) -> Result<Vec<LoadBalancerRow>> {
        Ok(self
            .cache
            .list::<LoadBalancer>()?
            .iter()
            .filter_map(rows::load_balancer)
            .collect())
    }

    fn volumes(&self) -> Result<Vec<VolumeRow>> {
        Ok(self
            .cache
            .list::<Volume>()?
            .iter()
            .map(rows::volume)
            .collect())
    }

    fn volume(&self, id: &str) -> Result<VolumeRow> {
        self.cache
            .rows_where::<Volume>("id", id)?
            .first()
            .map(rows::volume)
            .ok_or_else(|| AppError::NotFound(format!("volume {id}")))
    }

    fn snapshots(&self) -> Result<Vec<SnapshotRow>> {
        Ok(self
            .cache
            .list::<VolumeSnapshot>()?
            .iter()
            .map(rows::snapshot)
            .collect())
    }

    fn vm_snapshots(&self) -> Result<Vec<VmSnapshotRow>> {
        let all = self.cache.list::<VmSnapshot>()?;
        let names: HashMap<String, String> = all
            .iter()
            .map(|s| (s.id.clone(), s.name.clone().unwrap_or_default()))
            .collect();
        Ok(all.iter().map(|s| rows::vm_snapshot(s, &names)).collect())
    }

    fn vm(&self, id: &str) -> Result<VmInfo> {
        let vm = self
            .cache
            .rows_where::<cache::Vm>("id", id)?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::NotFound(format!("VM {id}")))?;
        Ok(VmInfo {
            id: vm.id.clone(),
            name: vm.name.clone().unwrap_or_default(),
            state: vm.state.clone().unwrap_or_default(),
            zone_id: vm.zone_id.clone().unwrap_or_default(),
        })
    }

    fn static_nat_ips(&self) -> Result<Vec<String>> {
        Ok(self
            .cache
            .list::<PublicIp>()?
            .into_iter()
            .filter(|a| a.is_static_nat)
            .map(|a| a.id)
            .collect())
    }

    /// Every reason `op` would be refused now (its own problems first).
    fn problems(&self, op: &Operation, online: bool) -> Result<Vec<String>> {
        let mut p = op.problems();
        if !online {
            p.push(akashone_types::network::checks::OFFLINE.to_owned());
            return Ok(p);
        }
        // What is wrong with the request itself comes first; the state is checked once it is
        // well-formed.
        if !p.is_empty() {
            return Ok(p);
        }
        let mut refuse = |r: std::result::Result<(), String>| {
            if let Err(e) = r {
                p.push(e);
            }
        };
        match op {
            Operation::NetworkCreate { request } => {
                if (request.gateway.is_some() || request.netmask.is_some())
                    && let Ok(Some(cidr)) = request.cidr()
                {
                    let siblings: Vec<SiblingNetwork> = self
                        .networks()?
                        .into_iter()
                        .filter(|n| n.zone_id == request.zone_id && n.vpc_id.is_none())
                        .filter_map(|n| {
                            Some(SiblingNetwork {
                                name: n.name,
                                cidr: n.cidr?,
                            })
                        })
                        .collect();
                    refuse(network_cidr_problem(&cidr, &siblings, None).map_or(Ok(()), Err));
                }
            }
            Operation::NetworkUpdate { id, .. } => {
                self.network(id)?;
            }
            Operation::NetworkAction { id, action } => {
                refuse(network_action_allowed(&self.network(id)?, action, true));
            }
            Operation::VpcAction { id, action } => {
                let vpc = self
                    .vpcs()?
                    .into_iter()
                    .find(|v| &v.id == id)
                    .ok_or_else(|| AppError::NotFound(format!("VPC {id}")))?;
                refuse(vpc_action_allowed(&vpc, action, true));
            }
            Operation::TierCreate { request } => {
                let vpc = self
                    .vpcs()?
                    .into_iter()
                    .find(|v| v.id == request.vpc_id)
                    .ok_or_else(|| AppError::NotFound(format!("VPC {}", request.vpc_id)))?;
                let tiers: Vec<SiblingNetwork> = vpc
                    .tiers
                    .iter()
                    .map(|t| SiblingNetwork {
                        name: t.name.clone(),
                        cidr: t.cidr,
                    })
                    .collect();
                refuse(request.problem(&vpc.cidr, &tiers).map_or(Ok(()), Err));
            }
            Operation::IpAcquire { request } => match request {
                akashone_types::network::AcquireIp::Network { network_id } => {
                    self.network(network_id)?;
                }
                akashone_types::network::AcquireIp::Vpc { vpc_id } => {
                    if !self.vpcs()?.iter().any(|v| &v.id == vpc_id) {
                        return Err(AppError::NotFound(format!("VPC {vpc_id}")));
                    }
                }
            },
            Operation::IpAction { id, action } => {
                let ip = self.ip(id)?;
                let pfs: Vec<PortForwardRow> = self
                    .port_forwards()?
                    .into_iter()
                    .filter(|r| &r.ip_address_id == id)
                    .collect();
                let lbs: Vec<LoadBalancerRow> = self
                    .load_balancers()?
                    .into_iter()
                    .filter(|r| &r.ip_address_id == id)
                    .collect();
                refuse(ip_action_allowed(&ip, action, &pfs, &lbs, true));
            }
            Operation::RuleSetApply { set, ip_ids } => {
                for id in ip_ids {
                    self.ip(id)?;
                }
                let plan = self.rule_plan(set, ip_ids)?;
                for r in plan.rules {
                    if let RuleChange::Conflict { reason, .. } = r.change {
                        p.push(reason);
                    }
                }
            }
            Operation::PortForwardsCreate { specs } => {
                for s in specs {
                    self.ip(&s.ip_address_id)?;
                    self.vm(&s.vm_id)?;
                }
                for problem in self.forward_plan(specs)?.problems {
                    if !p.contains(&problem) {
                        p.push(problem);
                    }
                }
            }
            Operation::LoadBalancerCreate { request } => {
                self.ip(&request.public_ip_id)?;
                let in_use: Vec<PortRange> = self
                    .load_balancers()?
                    .iter()
                    .filter(|l| l.ip_address_id == request.public_ip_id)
                    .map(|l| PortRange::single(l.public_port))
                    .collect();
                for problem in request.problems(&in_use) {
                    if !p.contains(&problem) {
                        p.push(problem);
                    }
                }
                for vm in &request.member_vm_ids {
                    self.vm(vm)?;
                }
            }
            Operation::VolumeCreate { request } => {
                if let VolumeSource::Offering {
                    disk_offering_id, ..
                } = &request.source
                {
                    let offering = self
                        .cache
                        .rows_where::<DiskOffering>("id", disk_offering_id)?
                        .first()
                        .map(rows::disk_offering)
                        .ok_or_else(|| {
                            AppError::NotFound(format!("disk offering {disk_offering_id}"))
                        })?;
                    p.extend(request.problems(Some(&offering)));
                }
            }
            Operation::VolumeAction { id, action } => {
                let volume = self.volume(id)?;
                let target = match action {
                    akashone_types::storage::VolumeAction::Attach { vm_id, .. } => {
                        Some(self.vm(vm_id)?)
                    }
                    _ => None,
                };
                refuse(volume_action_allowed(
                    &volume,
                    action,
                    target.as_ref(),
                    true,
                ));
            }
            Operation::SnapshotCreate { volume_id, .. }
            | Operation::SnapshotPolicySet { volume_id, .. } => {
                let v = self.volume(volume_id)?;
                if !v.state.eq_ignore_ascii_case("Ready") {
                    p.push(format!(
                        "{} is {}: CloudStack snapshots a volume once it is Ready (attached to a VM at least once).",
                        v.name, v.state
                    ));
                }
            }
            Operation::SnapshotAction { id, action } => {
                let snap = self
                    .snapshots()?
                    .into_iter()
                    .find(|s| &s.id == id)
                    .ok_or_else(|| AppError::NotFound(format!("snapshot {id}")))?;
                let volume = self.volume(&snap.volume_id).ok();
                refuse(snapshot_action_allowed(
                    &snap,
                    action,
                    volume.as_ref(),
                    true,
                ));
            }
            Operation::VmSnapshotCreate { request } => {
                let vm = self.vm(&request.vm_id)?;
                refuse(vm_snapshot_allowed(&vm.state, request, true));
            }
            Operation::VmSnapshotAction { id, action } => {
                let snap = self
                    .vm_snapshots()?
                    .into_iter()
                    .find(|s| &s.id == id)
                    .ok_or_else(|| AppError::NotFound(format!("VM snapshot {id}")))?;
                let vm = self.vm(&snap.vm_id)?;
                refuse(vm_snapshot_action_allowed(&snap, *action, &vm.state, true));
            }
            _ => {}
        }
        Ok(p)
    }

    fn rule_plan(&self, set: &RuleSet, ip_ids: &[String]) -> Result<RuleSetDiff> {
        let calls = expand(set, ip_ids).map_err(AppError::Invalid)?;
        let existing: Vec<FirewallRuleRow> = self
            .firewall()?
            .into_iter()
            .filter(|r| ip_ids.contains(&r.ip_address_id))
            .collect();
        Ok(diff(&calls, &existing))
    }

    fn forward_plan(&self, specs: &[PortForwardSpec]) -> Result<PortForwardPlan> {
        let (fw, pf, lb, nat) = (
            self.firewall()?,
            self.port_forwards()?,
            self.load_balancers()?,
            self.static_nat_ips()?,
        );
        Ok(plan_port_forwards(
            specs,
            IpRules {
                firewall: &fw,
                port_forwards: &pf,
                load_balancers: &lb,
                static_nat_ips: &nat,
            },
        ))
    }
}

/// A name for a resource an operation acts on, for its progress events.
fn subject_of(c: &Cached<'_>, op: &Operation) -> (Option<String>, String) {
    use Operation as O;
    let named = |id: &str, name: Option<String>| {
        (Some(id.to_owned()), name.unwrap_or_else(|| id.to_owned()))
    };
    match op {
        O::NetworkCreate { request } => (None, request.name.clone()),
        O::VpcCreate { request } => (None, request.name.clone()),
        O::TierCreate { request } => (None, request.name.clone()),
        O::VolumeCreate { request } => (None, request.name.clone()),
        O::NetworkUpdate { id, .. } | O::NetworkAction { id, .. } => {
            named(id, c.network(id).ok().map(|n| n.name))
        }
        O::IpAction { id, .. } => named(id, c.ip(id).ok().map(|a| a.address)),
        O::VolumeAction { id, .. } => named(id, c.volume(id).ok().map(|v| v.name)),
        O::SnapshotCreate { volume_id, .. } | O::SnapshotPolicySet { volume_id, .. } => {
            named(volume_id, c.volume(volume_id).ok().map(|v| v.name))
        }
        O::RuleSetApply { set, .. } => (None, set.name.clone()),
        O::IpAcquire {
            request: akashone_types::network::AcquireIp::Network { network_id },
        } => (
            None,
            format!(
                "an address for {}",
                c.network(network_id)
                    .map(|n| n.name)
                    .unwrap_or_else(|_| network_id.clone())
            ),
        ),
        O::LoadBalancerCreate { request } => (None, request.name.clone()),
        O::PortForwardsCreate { specs } => (
            None,
            specs
                .iter()
                .map(|f| {
                    let vm = c
                        .vm(&f.vm_id)
                        .map(|v| v.name)
                        .unwrap_or_else(|_| f.vm_id.clone());
                    format!("{} → {vm}:{}", f.public, f.private)
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        O::VmSnapshotCreate { request } => {
            named(&request.vm_id, c.vm(&request.vm_id).ok().map(|v| v.name))
        }
        _ => (None, op.name().to_owned()),
    }
}

impl Console {
    fn cached<T>(&self, read: impl FnOnce(&Cached<'_>) -> Result<T>) -> Result<T> {
        let session = self.require_session()?;
        let c = Cached {
            cache: session.store.cache(),
        };
        read(&c)
    }

    /// Guest networks as last synced, with the VMs on each.
    pub fn net_networks(&self) -> Result<Vec<NetworkRow>> {
        self.cached(|c| c.networks())
    }

    /// VPCs with their tiers, as last synced.
    pub fn net_vpcs(&self) -> Result<Vec<VpcRow>> {
        self.cached(|c| c.vpcs())
    }

    /// Public IPs as last synced.
    pub fn net_ips(&self) -> Result<Vec<PublicIpRow>> {
        self.cached(|c| c.ips())
    }

    /// The rules on one public IP, as last synced (read by the IP's own rows: an address's
    /// detail stays instant with tens of thousands of rules cached).
    pub fn net_ip_rules(&self, ip_id: &str) -> Result<IpRulesView> {
        self.cached(|c| {
            Ok(IpRulesView {
                firewall: c
                    .cache
                    .rows_where::<FirewallRule>("ip_id", ip_id)?
                    .iter()
                    .filter_map(rows::firewall)
                    .collect(),
                port_forwards: c
                    .cache
                    .rows_where::<PortForward>("ip_id", ip_id)?
                    .iter()
                    .filter_map(rows::port_forward)
                    .collect(),
                load_balancers: c
                    .cache
                    .rows_where::<LoadBalancer>("ip_id", ip_id)?
                    .iter()
                    .filter_map(rows::load_balancer)
                    .collect(),
            })
        })
    }

    /// The egress rules of one network, as last synced.
    pub fn net_egress_rules(&self, network_id: &str) -> Result<Vec<EgressRuleRow>> {
        self.cached(|c| {
            Ok(c.cache
                .rows_where::<FirewallRule>("network_id", network_id)?
                .iter()
                .filter_map(rows::egress)
                .collect())
        })
    }

    /// The members of a load balancer rule with their state, asked for now.
    pub async fn net_lb_members(&self, id: &str) -> Result<Vec<LbMemberRow>> {
        let session = self.require_session()?;
        session.require_online()?;
        let members = session.cloud.lb_members(id).await;
        self.noted(&session, members)
    }

    /// Network offerings of a zone for new networks (or VPC tiers).
    pub async fn net_offerings(&self, zone_id: &str, for_vpc: bool) -> Result<Vec<Choice>> {
        if zone_id.trim().is_empty() {
            return Err(AppError::Invalid("Choose a zone first.".into()));
        }
        let session = self.require_session()?;
        session.require_online()?;
        let offerings = session.cloud.network_offerings(zone_id, for_vpc).await;
        self.noted(&session, offerings)
    }

    /// What applying a rule set to IPs would do, against the rules as last synced.
    pub fn net_rule_plan(&self, set: &RuleSet, ip_ids: &[String]) -> Result<RuleSetDiff> {
        self.cached(|c| c.rule_plan(set, ip_ids))
    }

    /// Port forwards checked against each other and the rules as last synced.
    pub fn net_forward_plan(&self, specs: &[PortForwardSpec]) -> Result<PortForwardPlan> {
        self.cached(|c| c.forward_plan(specs))
    }

    /// Volumes as last synced.
    pub fn storage_volumes(&self) -> Result<Vec<VolumeRow>> {
        self.cached(|c| c.volumes())
    }

    /// Volume snapshots as last synced, newest first (one volume's when given).
    pub fn storage_snapshots(&self, volume_id: Option<&str>) -> Result<Vec<SnapshotRow>> {
        self.cached(|c| {
            Ok(c.snapshots()?
                .into_iter()
                .filter(|s| volume_id.is_none_or(|v| s.volume_id == v))
                .collect())
        })
    }

    /// The recurring snapshot policies of a volume.
    pub fn storage_policies(&self, volume_id: &str) -> Result<Vec<SnapshotPolicyRow>> {
        self.cached(|c| {
            Ok(c.cache
                .rows_where::<SnapshotPolicy>("volume_id", volume_id)?
                .iter()
                .filter_map(rows::policy)
                .collect())
        })
    }

    /// VM snapshots as last synced (one VM's when given).
    pub fn storage_vm_snapshots(&self, vm_id: Option<&str>) -> Result<Vec<VmSnapshotRow>> {
        self.cached(|c| {
            Ok(c.vm_snapshots()?
                .into_iter()
                .filter(|s| vm_id.is_none_or(|v| s.vm_id == v))
                .collect())
        })
    }

    /// Disk offerings for new volumes.
    pub fn storage_disk_offerings(&self) -> Result<Vec<DiskOfferingInfo>> {
        self.cached(|c| {
            Ok(c.cache
                .list::<DiskOffering>()?
                .iter()
                .map(rows::disk_offering)
                .collect())
        })
    }

    /// What points at a VM: volumes (root first), VM snapshots, static NAT, port forwards.
    pub fn vm_links(&self, vm_id: &str) -> Result<VmLinks> {
        self.cached(|c| {
            let mut volumes: Vec<VolumeRow> = c
                .cache
                .rows_where::<Volume>("vm_id", vm_id)?
                .iter()
                .map(rows::volume)
                .collect();
            volumes.sort_by_key(|v| (v.device_id.unwrap_or(u32::MAX), v.name.clone()));
            Ok(VmLinks {
                volumes,
                vm_snapshots: c
                    .vm_snapshots()?
                    .into_iter()
                    .filter(|s| s.vm_id == vm_id)
                    .collect(),
                static_nat: c
                    .ips()?
                    .into_iter()
                    .filter(|a| a.static_nat_vm_id.as_deref() == Some(vm_id))
                    .collect(),
                port_forwards: c
                    .port_forwards()?
                    .into_iter()
                    .filter(|r| r.vm_id == vm_id)
                    .collect(),
            })
        })
    }

    /// Every reason `op` would be refused now; empty when it can go ahead.
    pub fn resource_check(&self, op: &Operation) -> Result<Vec<String>> {
        let session = self.require_session()?;
        let online = online(&session);
        let c = Cached {
            cache: session.store.cache(),
        };
        c.problems(op, online)
    }

    /// Runs `op`, refused up front with every reason [`Console::resource_check`] finds.
    /// Progress arrives as `resource-job` events; returns the task id.
    pub async fn resource_op(self: &Arc<Self>, op: &Operation) -> Result<u64> {
        let session = self.require_session()?;
        session.require_online()?;
        let (id, name) = {
            let c = Cached {
                cache: session.store.cache(),
            };
            let problems = c.problems(op, true)?;
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems.join(" ")));
            }
            subject_of(&c, op)
        };
        let event = self.job_event(Subject::Resource, id, &name, op.name());
        let submitted = session.cloud.operate(op).await;
        self.submitted(Subject::Resource, session, submitted, event)
    }
}

fn online(session: &Session) -> bool {
    session.state().reachability != Reachability::Offline
}
