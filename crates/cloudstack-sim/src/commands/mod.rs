//! The command table and the glue between requests, handlers and job completions.

pub(crate) mod addresses;
pub(crate) mod catalog;
pub(crate) mod iam;
pub(crate) mod jobs;
pub(crate) mod keypairs;
pub(crate) mod kubernetes;
pub(crate) mod lb;
pub(crate) mod limits;
pub(crate) mod networks;
pub(crate) mod snapshots;
pub(crate) mod storage;
pub(crate) mod usage;
pub(crate) mod vms;
pub(crate) mod vpc;

use serde_json::Value;
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::params::Params;
use crate::state::jobs::{Action, Op};
use crate::state::{Caller, State};

/// What a handler works with.
pub(crate) struct Ctx<'a> {
    pub state: &'a mut State,
    pub p: &'a Params,
    pub caller: Caller,
}

type Handler = fn(&mut Ctx) -> Result<Value, ApiError>;

/// Who may call a command (the default role permissions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Every role.
    All,
    /// Root and domain admins.
    DomainAdmin,
    /// Root admins only.
    RootAdmin,
}

/// One API command.
pub(crate) struct CommandDef {
    pub name: &'static str,
    pub handler: Handler,
    pub required: &'static [&'static str],
    pub access: Access,
}

impl CommandDef {
    /// Does this command change state (POST is demanded for these when enforced)?
    pub fn mutating(&self) -> bool {
        !(self.name.starts_with("list")
            || self.name.starts_with("get")
            || self.name == "queryAsyncJobResult")
    }
}

macro_rules! commands {
    ($( $name:literal => $handler:expr, [$($req:literal),*], $access:ident; )*) => {
        static COMMANDS: &[CommandDef] = &[
            $( CommandDef { name: $name, handler: $handler, required: &[$($req),*], access: Access::$access }, )*
        ];
    };
}

commands! {
    "listZones" => catalog::list_zones, [], All;
    "listTemplates" => catalog::list_templates, ["templatefilter"], All;
    "listServiceOfferings" => catalog::list_service_offerings, [], All;
    "listDiskOfferings" => catalog::list_disk_offerings, [], All;
    "listNetworkOfferings" => catalog::list_network_offerings, [], All;
    "listCapabilities" => catalog::list_capabilities, [], All;
    "listKubernetesSupportedVersions" => catalog::list_kube_versions, [], All;
    "deployVirtualMachine" => vms::deploy, ["serviceofferingid", "templateid", "zoneid"], All;
    "listVirtualMachines" => |cx| vms::list(cx, false), [], All;
    "listVirtualMachinesMetrics" => |cx| vms::list(cx, true), [], All;
    "startVirtualMachine" => vms::start, ["id"], All;
    "stopVirtualMachine" => vms::stop, ["id"], All;
    "rebootVirtualMachine" => vms::reboot, ["id"], All;
    "destroyVirtualMachine" => vms::destroy, ["id"], All;
    "queryAsyncJobResult" => jobs::query, ["jobid"], All;
    "listAsyncJobs" => jobs::list, [], All;
    "listNetworks" => networks::list, [], All;
    "createNetwork" => networks::create, ["name", "networkofferingid", "zoneid"], All;
    "updateNetwork" => networks::update, ["id"], All;
    "restartNetwork" => networks::restart, ["id"], All;
    "deleteNetwork" => networks::delete, ["id"], All;
    "listVPCOfferings" => vpc::list_offerings, [], All;
    "createVPC" => vpc::create, ["name", "vpcofferingid", "zoneid"], All;
    "listVPCs" => vpc::list, [], All;
    "restartVPC" => vpc::restart, ["id"], All;
    "deleteVPC" => vpc::delete, ["id"], All;
    "createNetworkACLList" => vpc::create_list, ["name", "vpcid"], All;
    "listNetworkACLLists" => vpc::list_lists, [], All;
    "deleteNetworkACLList" => vpc::delete_list, ["id"], All;
    "createNetworkACL" => vpc::create_item, ["protocol"], All;
    "updateNetworkACLItem" => vpc::update_item, ["id"], All;
    "deleteNetworkACL" => vpc::delete_item, ["id"], All;
    "listNetworkACLs" => vpc::list_items, [], All;
    "replaceNetworkACLList" => vpc::replace, ["aclid"], All;
    "listVolumes" => storage::list_volumes, [], All;
    "createVolume" => storage::create_volume, [], All;
    "attachVolume" => storage::attach_volume, ["id", "virtualmachineid"], All;
    "detachVolume" => storage::detach_volume, [], All;
    "resizeVolume" => storage::resize_volume, ["id"], All;
    "migrateVolume" => storage::migrate_volume, ["storageid", "volumeid"], RootAdmin;
    "deleteVolume" => storage::delete_volume, ["id"], All;
    "listStoragePools" => storage::list_pools, [], RootAdmin;
    "createSnapshot" => snapshots::create_snapshot, ["volumeid"], All;
    "listSnapshots" => snapshots::list_snapshots, [], All;
    "deleteSnapshot" => snapshots::delete_snapshot, ["id"], All;
    "revertSnapshot" => snapshots::revert_snapshot, ["id"], All;
    "createTemplate" => snapshots::create_template, ["name", "ostypeid"], All;
    "deleteTemplate" => snapshots::delete_template, ["id"], All;
    "createSnapshotFromVMSnapshot" => snapshots::create_from_vm_snapshot, ["vmsnapshotid", "volumeid"], All;
    "createSnapshotPolicy" => snapshots::create_policy, ["intervaltype", "maxsnaps", "schedule", "timezone", "volumeid"], All;
    "listSnapshotPolicies" => snapshots::list_policies, [], All;
    "deleteSnapshotPolicies" => snapshots::delete_policies, [], All;
    "updateSnapshotPolicy" => snapshots::update_policy, ["id"], All;
    "createVMSnapshot" => snapshots::create_vm_snapshot, ["virtualmachineid"], All;
    "listVMSnapshot" => snapshots::list_vm_snapshots, [], All;
    "revertToVMSnapshot" => snapshots::revert_vm_snapshot, ["vmsnapshotid"], All;
    "deleteVMSnapshot" => snapshots::delete_vm_snapshot, ["vmsnapshotid"], All;
    "associateIpAddress" => addresses::associate, [], All;
    "disassociateIpAddress" => addresses::disassociate, [], All;
    "listPublicIpAddresses" => addresses::list_ips, [], All;
    "enableStaticNat" => addresses::enable_static_nat, ["ipaddressid", "virtualmachineid"], All;
    "disableStaticNat" => addresses::disable_static_nat, ["ipaddressid"], All;
    "createFirewallRule" => addresses::create_firewall, ["ipaddressid", "protocol"], All;
    "deleteFirewallRule" => |cx| addresses::delete_firewall(cx, false), ["id"], All;
    "listFirewallRules" => addresses::list_firewall, [], All;
    "createEgressFirewallRule" => addresses::create_egress, ["networkid", "protocol"], All;
    "deleteEgressFirewallRule" => |cx| addresses::delete_firewall(cx, true), ["id"], All;
    "listEgressFirewallRules" => |cx| addresses::list_firewall_of(cx, true), [], All;
    "createPortForwardingRule" => addresses::create_port_forward, ["ipaddressid", "privateport", "protocol", "publicport", "virtualmachineid"], All;
    "deletePortForwardingRule" => addresses::delete_port_forward, ["id"], All;
    "listPortForwardingRules" => addresses::list_port_forwards, [], All;
    "createLoadBalancerRule" => lb::create, ["algorithm", "name", "privateport", "publicport"], All;
    "deleteLoadBalancerRule" => lb::delete, ["id"], All;
    "listLoadBalancerRules" => lb::list, [], All;
    "updateLoadBalancerRule" => lb::update, ["id"], All;
    "assignToLoadBalancerRule" => lb::assign, ["id"], All;
    "removeFromLoadBalancerRule" => lb::remove, ["id"], All;
    "listLoadBalancerRuleInstances" => lb::list_instances, ["id"], All;
    "createLBHealthCheckPolicy" => lb::create_health, ["lbruleid"], All;
    "deleteLBHealthCheckPolicy" => |cx| lb::delete_policy(cx, true), ["id"], All;
    "listLBHealthCheckPolicies" => |cx| lb::list_policies(cx, true), [], All;
    "createLBStickinessPolicy" => lb::create_sticky, ["lbruleid", "methodname", "name"], All;
    "deleteLBStickinessPolicy" => |cx| lb::delete_policy(cx, false), ["id"], All;
    "listLBStickinessPolicies" => |cx| lb::list_policies(cx, false), [], All;
    "createSSHKeyPair" => keypairs::create, ["name"], All;
    "registerSSHKeyPair" => keypairs::register, ["name", "publickey"], All;
    "listSSHKeyPairs" => keypairs::list, [], All;
    "deleteSSHKeyPair" => keypairs::delete, ["name"], All;
    "listDomains" => iam::list_domains, [], All;
    "createDomain" => iam::create_domain, ["name"], DomainAdmin;
    "updateDomain" => iam::update_domain, ["id"], DomainAdmin;
    "deleteDomain" => iam::delete_domain, ["id"], DomainAdmin;
    "listAccounts" => iam::list_accounts, [], All;
    "createAccount" => iam::create_account, ["email", "firstname", "lastname", "password", "username"], DomainAdmin;
    "updateAccount" => iam::update_account, [], DomainAdmin;
    "deleteAccount" => iam::delete_account, ["id"], DomainAdmin;
    "listResourceLimits" => limits::list, [], All;
    "updateResourceLimit" => limits::update, ["resourcetype"], DomainAdmin;
    "listEvents" => usage::list_events, [], All;
    "listUsageRecords" => usage::list_usage, ["enddate", "startdate"], DomainAdmin;
    "createKubernetesCluster" => kubernetes::create, ["kubernetesversionid", "name", "size", "zoneid"], All;
    "listKubernetesClusters" => kubernetes::list, [], All;
    "scaleKubernetesCluster" => kubernetes::scale, ["id"], All;
    "startKubernetesCluster" => kubernetes::start, ["id"], All;
    "stopKubernetesCluster" => kubernetes::stop, ["id"], All;
    "deleteKubernetesCluster" => kubernetes::delete, ["id"], All;
    "upgradeKubernetesCluster" => kubernetes::upgrade, ["id", "kubernetesversionid"], All;
    "getKubernetesClusterConfig" => kubernetes::config, ["id"], All;
}

/// Finds a command by its exact (case-sensitive) name.
pub(crate) fn find(name: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Names of every implemented command.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|c| c.name)
}

/// Runs the completion of a job.
pub(crate) fn complete_job(
    s: &mut State,
    job: usize,
    action: Action,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    match action {
        Action::DeployVm(_)
        | Action::StartVm(_)
        | Action::StopVm(_)
        | Action::RebootVm(_)
        | Action::DestroyVm { .. } => vms::complete(s, job, action, when),
        Action::CreateVolume(_) | Action::CreateSnapshot(_) => {
            storage::complete(s, job, action, when)
        }
        Action::Op => complete_op(s, job, when),
        Action::AssociateIp(_) | Action::CreateFirewallRule(_) | Action::CreatePortForward(_) => {
            addresses::complete(s, action)
        }
        Action::DeleteDomain(_) | Action::DeleteAccount(_) => iam::complete(s, action, when),
        Action::CreateCluster(_)
        | Action::StartCluster(_)
        | Action::StopCluster(_)
        | Action::DeleteCluster(_)
        | Action::ScaleCluster(_)
        | Action::UpgradeCluster { .. } => kubernetes::complete(s, action, when),
    }
}

/// Runs the work of a network or storage job kept in [`State::ops`].
fn complete_op(s: &mut State, job: usize, when: OffsetDateTime) -> Result<Value, ApiError> {
    let Some(op) = s.ops.remove(&job) else {
        return Err(ApiError::internal("job lost its work"));
    };
    match op {
        Op::UpdateNetwork { .. } | Op::RestartNetwork(_) | Op::DeleteNetwork(_) => {
            networks::complete(s, job, op, when)
        }
        Op::CreateVpc(_)
        | Op::RestartVpc(_)
        | Op::DeleteVpc(_)
        | Op::CreateAclList(_)
        | Op::DeleteAclList(_)
        | Op::CreateAcl(_)
        | Op::UpdateAcl { .. }
        | Op::DeleteAcl(_)
        | Op::ReplaceAcl { .. } => vpc::complete(s, op, when),
        Op::DisassociateIp(_)
        | Op::DisableStaticNat(_)
        | Op::DeleteFirewall(_)
        | Op::DeletePortForward(_) => addresses::complete_op(s, op, when),
        Op::CreateLb(_)
        | Op::DeleteLb(_)
        | Op::UpdateLb { .. }
        | Op::AssignLb { .. }
        | Op::RemoveLb { .. }
        | Op::CreateLbPolicy(_)
        | Op::DeleteLbPolicy(_) => lb::complete(s, op, when),
        Op::AttachVolume { .. }
        | Op::DetachVolume(_)
        | Op::ResizeVolume { .. }
        | Op::MigrateVolume { .. } => storage::complete_op(s, op, when),
        Op::DeleteSnapshot(_)
        | Op::RevertSnapshot(_)
        | Op::CreateTemplate(_)
        | Op::DeleteTemplate(_)
        | Op::CreateVmSnapshot(_)
        | Op::RevertVmSnapshot(_)
        | Op::DeleteVmSnapshot(_) => snapshots::complete(s, op, when),
    }
}

/// Queues a network or storage job whose work is `op` and returns the job's index.
pub(crate) fn submit_op(
    cx: &mut Ctx,
    cmd: &'static str,
    instance: Option<(&'static str, String)>,
    op: Op,
) -> usize {
    let delay = cx.state.knobs.job_delay;
    let (job, _) = cx
        .state
        .submit(&cx.caller, cmd, instance.clone(), delay, None, Action::Op);
    cx.state.ops.insert(job, op);
    let class = cmd.rsplit('.').next().unwrap_or(cmd);
    if let (Some(kind), Some((what, id))) = (event_type(class), instance) {
        let name = resource_name(cx.state, &id);
        let text = format!("{kind} {what} {name} ({id})");
        let when = time::OffsetDateTime::now_utc();
        cx.state
            .event(&cx.caller, kind, text, Some((what, id, name)), when);
    }
    job
}

/// CloudStack's event type of a network or storage command (those not logged elsewhere).
fn event_type(class: &str) -> Option<&'static str> {
    Some(match class {
        "UpdateNetworkCmd" => "NETWORK.UPDATE",
        "RestartVPCCmd" => "VPC.RESTART",
        "DeleteVPCCmd" => "VPC.DELETE",
        "CreateNetworkACLListCmd" => "NETWORK.ACL.CREATE",
        "DeleteNetworkACLListCmd" => "NETWORK.ACL.DELETE",
        "CreateNetworkACLCmd" => "NETWORK.ACL.ITEM.CREATE",
        "UpdateNetworkACLItemCmd" => "NETWORK.ACL.ITEM.UPDATE",
        "DeleteNetworkACLCmd" => "NETWORK.ACL.ITEM.DELETE",
        "ReplaceNetworkACLListCmd" => "NETWORK.ACL.REPLACE",
        "DisassociateIPAddrCmd" => "NET.IPRELEASE",
        "DisableStaticNatCmd" => "STATICNAT.DISABLE",
        "DeleteFirewallRuleCmd" => "FIREWALL.CLOSE",
        "DeleteEgressFirewallRuleCmd" => "FIREWALL.EGRESS.CLOSE",
        "DeletePortForwardingRuleCmd" => "NET.RULEDELETE",
        "CreateLoadBalancerRuleCmd" => "LB.CREATE",
        "DeleteLoadBalancerRuleCmd" => "LB.DELETE",
        "UpdateLoadBalancerRuleCmd" => "LB.UPDATE",
        "AssignToLoadBalancerRuleCmd" => "LB.ASSIGN.TO.RULE",
        "RemoveFromLoadBalancerRuleCmd" => "LB.REMOVE.FROM.RULE",
        "CreateLBHealthCheckPolicyCmd" => "LB.HEALTHCHECKPOLICY.CREATE",
        "DeleteLBHealthCheckPolicyCmd" => "LB.HEALTHCHECKPOLICY.DELETE",
        "CreateLBStickinessPolicyCmd" => "LB.STICKINESSPOLICY.CREATE",
        "DeleteLBStickinessPolicyCmd" => "LB.STICKINESSPOLICY.DELETE",
        "AttachVolumeCmd" => "VOLUME.ATTACH",
        "DetachVolumeCmd" => "VOLUME.DETACH",
        "ResizeVolumeCmd" => "VOLUME.RESIZE",
        "MigrateVolumeCmdByAdmin" => "VOLUME.MIGRATE",
        "DeleteSnapshotCmd" => "SNAPSHOT.DELETE",
        "RevertSnapshotCmd" => "SNAPSHOT.REVERT",
        "CreateTemplateCmd" => "TEMPLATE.CREATE",
        "DeleteTemplateCmd" => "TEMPLATE.DELETE",
        "CreateVMSnapshotCmd" => "VMSNAPSHOT.CREATE",
        "RevertToVMSnapshotCmd" => "VMSNAPSHOT.REVERTTO",
        "DeleteVMSnapshotCmd" => "VMSNAPSHOT.DELETE",
        _ => return None,
    })
}

/// A readable name for an entity id (the id itself when it has none).
fn resource_name(s: &State, id: &str) -> String {
    use crate::state::Ref;
    match s.ids.get(id) {
        Some(Ref::Network(i)) => s.networks[*i].name.clone(),
        Some(Ref::Vpc(i)) => s.vpcs[*i].name.clone(),
        Some(Ref::AclList(i)) => s.acl_lists[*i].name.clone(),
        Some(Ref::Ip(i)) => s.ips[*i].address.clone(),
        Some(Ref::LoadBalancer(i)) => s.lbs[*i].name.clone(),
        Some(Ref::Volume(i)) => s.volumes[*i].name.clone(),
        Some(Ref::Snapshot(i)) => s.snapshots[*i].name.clone(),
        Some(Ref::Template(i)) => s.templates[*i].name.clone(),
        Some(Ref::VmSnapshot(i)) => s.vm_snapshots[*i].name.clone(),
        _ => id.to_string(),
    }
}

/// `{"id":..,"jobid":..}` for create-type async commands.
pub(crate) fn created_reply(s: &State, id: &str, job: usize) -> Value {
    serde_json::json!({ "id": id, "jobid": s.jobs[job].id })
}

/// `{"jobid":..}` for other async commands.
pub(crate) fn job_reply(s: &State, job: usize) -> Value {
    serde_json::json!({ "jobid": s.jobs[job].id })
}
