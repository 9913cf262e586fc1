//! The command table and the glue between requests, handlers and job completions.

pub(crate) mod addresses;
pub(crate) mod catalog;
pub(crate) mod iam;
pub(crate) mod jobs;
pub(crate) mod keypairs;
pub(crate) mod kubernetes;
pub(crate) mod limits;
pub(crate) mod networks;
pub(crate) mod storage;
pub(crate) mod usage;
pub(crate) mod vms;

use serde_json::Value;
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::params::Params;
use crate::state::jobs::Action;
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
    "listVolumes" => storage::list_volumes, [], All;
    "createVolume" => storage::create_volume, [], All;
    "attachVolume" => storage::attach_volume, ["id", "virtualmachineid"], All;
    "createSnapshot" => storage::create_snapshot, ["volumeid"], All;
    "listSnapshots" => storage::list_snapshots, [], All;
    "associateIpAddress" => addresses::associate, [], All;
    "listPublicIpAddresses" => addresses::list_ips, [], All;
    "createFirewallRule" => addresses::create_firewall, ["ipaddressid", "protocol"], All;
    "listFirewallRules" => addresses::list_firewall, [], All;
    "createPortForwardingRule" => addresses::create_port_forward, ["ipaddressid", "privateport", "protocol", "publicport", "virtualmachineid"], All;
    "listPortForwardingRules" => addresses::list_port_forwards, [], All;
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
        Action::CreateVolume(_) | Action::AttachVolume { .. } | Action::CreateSnapshot(_) => {
            storage::complete(s, action, when)
        }
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

/// `{"id":..,"jobid":..}` for create-type async commands.
pub(crate) fn created_reply(s: &State, id: &str, job: usize) -> Value {
    serde_json::json!({ "id": id, "jobid": s.jobs[job].id })
}

/// `{"jobid":..}` for other async commands.
pub(crate) fn job_reply(s: &State, job: usize) -> Value {
    serde_json::json!({ "jobid": s.jobs[job].id })
}
