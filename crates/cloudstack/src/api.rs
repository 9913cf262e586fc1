//! Typed commands. Each request struct has one optional field per parameter (named as on the
//! wire) plus `extra` for anything else; the matching `Client` method sends it and returns typed
//! rows, a typed object or an [`AsyncJob`] handle.

use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;
use crate::response;

/// A typed CloudStack command.
pub trait Command {
    /// The API command name, e.g. `listZones`.
    const NAME: &'static str;
    /// The parameters to send.
    fn to_params(&self) -> Params;
}

macro_rules! request {
    (
        $(#[$meta:meta])*
        $name:ident => $cmd:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Further parameters, sent as given (names lower-cased).
            pub extra: Params,
        }

        impl Command for $name {
            const NAME: &'static str = $cmd;
            fn to_params(&self) -> Params {
                #[allow(unused_mut)]
                let mut p = Params::new();
                $( if let Some(v) = &self.$field {
                    p.set(stringify!($field).trim_start_matches("r#"), v);
                } )*
                p.extend(&self.extra);
                p
            }
        }
    };
}

/// `listall`/`domainid`/`account`/`projectid` filters shared by most list commands are plain
/// fields of each request.
macro_rules! list_request {
    ($(#[$meta:meta])* $name:ident => $cmd:literal { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        request! {
            $(#[$meta])*
            $name => $cmd {
                $( $(#[$fmeta])* $field: $ty, )*
                /// Free-text filter.
                keyword: String,
            }
        }
    };
}

list_request! {
    /// `listZones`.
    ListZones => "listZones" {
        /// Zone id.
        id: String,
        /// Zone name.
        name: String,
        /// Only zones available to the caller.
        available: bool,
        /// Dedicated to this domain.
        domainid: String,
        /// Include capacity figures.
        showcapacities: bool,
    }
}

/// Which templates `listTemplates` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TemplateFilter {
    /// Featured templates.
    Featured,
    /// The caller's own templates.
    SelfOwned,
    /// The caller's own, ready templates.
    SelfExecutable,
    /// Templates shared with the caller, ready.
    SharedExecutable,
    /// Everything the caller can deploy (the default).
    #[default]
    Executable,
    /// Public templates of other accounts.
    Community,
    /// Everything (admins).
    All,
    /// System VM templates (admins).
    System,
}

impl TemplateFilter {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Featured => "featured",
            Self::SelfOwned => "self",
            Self::SelfExecutable => "selfexecutable",
            Self::SharedExecutable => "sharedexecutable",
            Self::Executable => "executable",
            Self::Community => "community",
            Self::All => "all",
            Self::System => "system",
        }
    }
}

impl std::str::FromStr for TemplateFilter {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s {
            "featured" => Self::Featured,
            "self" => Self::SelfOwned,
            "selfexecutable" => Self::SelfExecutable,
            "sharedexecutable" => Self::SharedExecutable,
            "executable" => Self::Executable,
            "community" => Self::Community,
            "all" => Self::All,
            "system" => Self::System,
            other => {
                return Err(format!(
                    "unknown template filter {other:?} (featured, self, selfexecutable, sharedexecutable, executable, community, all, system)"
                ));
            }
        })
    }
}

impl crate::params::ToParam for TemplateFilter {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }
}

list_request! {
    /// `listTemplates` (`templatefilter` is required; it defaults to `executable`).
    ListTemplates => "listTemplates" {
        /// Which templates.
        templatefilter: TemplateFilter,
        /// Template id.
        id: String,
        /// Template name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Hypervisor.
        hypervisor: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account (with domainid).
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listServiceOfferings`.
    ListServiceOfferings => "listServiceOfferings" {
        /// Offering id.
        id: String,
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Domain id.
        domainid: String,
        /// Offerings a VM can change to.
        virtualmachineid: String,
        /// System offerings.
        issystem: bool,
    }
}

list_request! {
    /// `listDiskOfferings`.
    ListDiskOfferings => "listDiskOfferings" {
        /// Offering id.
        id: String,
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Domain id.
        domainid: String,
    }
}

list_request! {
    /// `listVirtualMachines` (and `listVirtualMachinesMetrics`).
    ListVirtualMachines => "listVirtualMachines" {
        /// VM id.
        id: String,
        /// Several VM ids.
        ids: Vec<String>,
        /// Name.
        name: String,
        /// State (`Running`, `Stopped`...).
        state: String,
        /// Zone id.
        zoneid: String,
        /// Template id.
        templateid: String,
        /// Service offering id.
        serviceofferingid: String,
        /// Network id.
        networkid: String,
        /// Host id (admins).
        hostid: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Include subdomains.
        isrecursive: bool,
        /// Account (with domainid).
        account: String,
        /// Project id (`-1` for all projects).
        projectid: String,
        /// Detail groups (`all`, `group`, `nics`, `stats`...).
        details: Vec<String>,
    }
}

request! {
    /// `deployVirtualMachine`. Use [`DeployVirtualMachine::new`] for the required parameters.
    DeployVirtualMachine => "deployVirtualMachine" {
        /// Zone id (required).
        zoneid: String,
        /// Service offering id (required).
        serviceofferingid: String,
        /// Template id (required).
        templateid: String,
        /// Host name.
        name: String,
        /// Display name.
        displayname: String,
        /// Networks (the first is the default).
        networkids: Vec<String>,
        /// SSH key pair name.
        keypair: String,
        /// Several SSH key pair names.
        keypairs: Vec<String>,
        /// Base64 user data (sent by POST automatically).
        userdata: String,
        /// Disk offering of a data disk.
        diskofferingid: String,
        /// Data disk size (GiB) for a custom disk offering.
        size: i64,
        /// Root disk size (GiB).
        rootdisksize: i64,
        /// Start the VM (default true).
        startvm: bool,
        /// Group.
        group: String,
        /// Fixed IPv4 address.
        ipaddress: String,
        /// Affinity group ids.
        affinitygroupids: Vec<String>,
        /// Security group ids.
        securitygroupids: Vec<String>,
        /// Hypervisor (for ISO deployments).
        hypervisor: String,
        /// Domain id (to deploy for another account).
        domainid: String,
        /// Account (with domainid).
        account: String,
        /// Project id.
        projectid: String,
    }
}

impl DeployVirtualMachine {
    /// A deployment with the three required parameters.
    pub fn new(
        zoneid: impl Into<String>,
        serviceofferingid: impl Into<String>,
        templateid: impl Into<String>,
    ) -> Self {
        Self {
            zoneid: Some(zoneid.into()),
            serviceofferingid: Some(serviceofferingid.into()),
            templateid: Some(templateid.into()),
            ..Self::default()
        }
    }
}

list_request! {
    /// `listSSHKeyPairs`.
    ListSshKeyPairs => "listSSHKeyPairs" {
        /// Name.
        name: String,
        /// Fingerprint.
        fingerprint: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listNetworks`.
    ListNetworks => "listNetworks" {
        /// Network id.
        id: String,
        /// Zone id.
        zoneid: String,
        /// `Isolated`, `Shared`, `L2`.
        r#type: String,
        /// VPC id.
        vpcid: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `createNetwork` (synchronous).
    CreateNetwork => "createNetwork" {
        /// Name (required).
        name: String,
        /// Display text.
        displaytext: String,
        /// Zone id (required).
        zoneid: String,
        /// Network offering id (required).
        networkofferingid: String,
        /// Gateway.
        gateway: String,
        /// Netmask.
        netmask: String,
        /// VLAN.
        vlan: String,
        /// Network domain.
        networkdomain: String,
        /// VPC id.
        vpcid: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listNetworkOfferings`.
    ListNetworkOfferings => "listNetworkOfferings" {
        /// Offering id.
        id: String,
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// `Isolated`, `Shared`, `L2`.
        guestiptype: String,
        /// For VPC.
        forvpc: bool,
        /// State.
        state: String,
    }
}

list_request! {
    /// `listVolumes`.
    ListVolumes => "listVolumes" {
        /// Volume id.
        id: String,
        /// VM id.
        virtualmachineid: String,
        /// Zone id.
        zoneid: String,
        /// `ROOT` or `DATADISK`.
        r#type: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `createVolume` (async).
    CreateVolume => "createVolume" {
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Disk offering id.
        diskofferingid: String,
        /// Size (GiB) for custom offerings.
        size: i64,
        /// Create from this snapshot.
        snapshotid: String,
        /// Attach to this VM.
        virtualmachineid: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listSnapshots`.
    ListSnapshots => "listSnapshots" {
        /// Snapshot id.
        id: String,
        /// Volume id.
        volumeid: String,
        /// Zone id.
        zoneid: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listPublicIpAddresses`.
    ListPublicIpAddresses => "listPublicIpAddresses" {
        /// IP id.
        id: String,
        /// The address.
        ipaddress: String,
        /// Zone id.
        zoneid: String,
        /// Associated network id.
        associatednetworkid: String,
        /// VPC id.
        vpcid: String,
        /// Only allocated addresses.
        allocatedonly: bool,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listFirewallRules`.
    ListFirewallRules => "listFirewallRules" {
        /// Rule id.
        id: String,
        /// Public IP id.
        ipaddressid: String,
        /// Network id.
        networkid: String,
        /// List everything the caller may see.
        listall: bool,
    }
}

request! {
    /// `createFirewallRule` (async).
    CreateFirewallRule => "createFirewallRule" {
        /// Public IP id (required).
        ipaddressid: String,
        /// `tcp`, `udp`, `icmp`, `all` (required).
        protocol: String,
        /// Start port.
        startport: i64,
        /// End port.
        endport: i64,
        /// Source CIDRs.
        cidrlist: Vec<String>,
        /// ICMP type.
        icmptype: i64,
        /// ICMP code.
        icmpcode: i64,
    }
}

list_request! {
    /// `listPortForwardingRules`.
    ListPortForwardingRules => "listPortForwardingRules" {
        /// Rule id.
        id: String,
        /// Public IP id.
        ipaddressid: String,
        /// Network id.
        networkid: String,
        /// List everything the caller may see.
        listall: bool,
    }
}

request! {
    /// `createPortForwardingRule` (async).
    CreatePortForwardingRule => "createPortForwardingRule" {
        /// Public IP id (required).
        ipaddressid: String,
        /// Protocol (required).
        protocol: String,
        /// Public port (required).
        publicport: i64,
        /// Public end port.
        publicendport: i64,
        /// Private port (required).
        privateport: i64,
        /// Private end port.
        privateendport: i64,
        /// Target VM id (required).
        virtualmachineid: String,
        /// Guest IP of the VM.
        vmguestip: String,
        /// Network id.
        networkid: String,
        /// Source CIDRs.
        cidrlist: Vec<String>,
        /// Also open the firewall.
        openfirewall: bool,
    }
}

list_request! {
    /// `listUsageRecords`: `startdate` and `enddate` (`yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss`)
    /// are required.
    ListUsageRecords => "listUsageRecords" {
        /// Period start (required).
        startdate: String,
        /// Period end (required).
        enddate: String,
        /// Usage type (see [`UsageRecord::usagetype`]).
        r#type: i64,
        /// Usage id.
        usageid: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Account id.
        accountid: String,
        /// Project id.
        projectid: String,
        /// Include subdomains.
        isrecursive: bool,
        /// Include resource tags.
        includetags: bool,
    }
}

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

list_request! {
    /// `listEvents`.
    ListEvents => "listEvents" {
        /// Event id.
        id: String,
        /// Type, e.g. `VM.CREATE`.
        r#type: String,
        /// Level.
        level: String,
        /// From date.
        startdate: String,
        /// To date.
        enddate: String,
        /// Events of the last N days.
        duration: i64,
        /// Resource id.
        resourceid: String,
        /// Resource type.
        resourcetype: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `createKubernetesCluster` (async).
    CreateKubernetesCluster => "createKubernetesCluster" {
        /// Name (required).
        name: String,
        /// Description.
        description: String,
        /// Zone id (required).
        zoneid: String,
        /// Kubernetes version id (required).
        kubernetesversionid: String,
        /// Service offering id (required for CloudManaged).
        serviceofferingid: String,
        /// Worker nodes.
        size: i64,
        /// Control nodes.
        controlnodes: i64,
        /// Network id (default: a new isolated network).
        networkid: String,
        /// SSH key pair name.
        keypair: String,
        /// External load balancer IP (HA).
        externalloadbalanceripaddress: String,
        /// Root disk size (GiB).
        noderootdisksize: i64,
        /// `CloudManaged` (default) or `ExternalManaged`.
        clustertype: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listKubernetesClusters`.
    ListKubernetesClusters => "listKubernetesClusters" {
        /// Cluster id.
        id: String,
        /// Name.
        name: String,
        /// State.
        state: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `scaleKubernetesCluster` (async): change the size or offering, or enable autoscaling
    /// (`autoscalingenabled=true` with `minsize` and `maxsize`, without `size`).
    ScaleKubernetesCluster => "scaleKubernetesCluster" {
        /// Cluster id (required).
        id: String,
        /// New worker count.
        size: i64,
        /// New service offering.
        serviceofferingid: String,
        /// Enable or disable autoscaling.
        autoscalingenabled: bool,
        /// Autoscaling minimum (≥ 1).
        minsize: i64,
        /// Autoscaling maximum (> minsize).
        maxsize: i64,
        /// Worker VMs to remove (scale in).
        nodeids: Vec<String>,
    }
}

impl ScaleKubernetesCluster {
    /// Sets a fixed worker count.
    pub fn to_size(id: impl Into<String>, size: i64) -> Self {
        Self {
            id: Some(id.into()),
            size: Some(size),
            ..Self::default()
        }
    }

    /// Enables autoscaling between `minsize` and `maxsize` workers.
    pub fn autoscale(id: impl Into<String>, minsize: i64, maxsize: i64) -> Self {
        Self {
            id: Some(id.into()),
            autoscalingenabled: Some(true),
            minsize: Some(minsize),
            maxsize: Some(maxsize),
            ..Self::default()
        }
    }
}

list_request! {
    /// `listKubernetesSupportedVersions`.
    ListKubernetesSupportedVersions => "listKubernetesSupportedVersions" {
        /// Version id.
        id: String,
        /// Zone id.
        zoneid: String,
        /// Only versions at least this one.
        minimumsemanticversion: String,
        /// Only versions usable with this offering.
        minimumkubernetesversionid: String,
    }
}

fn id_params(id: &str) -> Params {
    Params::new().with("id", id)
}

impl Client {
    async fn sync_object<T: serde::de::DeserializeOwned>(
        &self,
        command: &str,
        params: &Params,
        key: &str,
    ) -> Result<T> {
        let inner = self.call(command, params).await?;
        response::object_at(command, &inner, key)
    }

    async fn sync_success(&self, command: &str, params: &Params) -> Result<Success> {
        let inner = self.call(command, params).await?;
        response::object(command, &inner)
    }

    async fn list_typed<C: Command, T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        req: &C,
        key: &str,
    ) -> Result<Vec<T>> {
        self.list_all(C::NAME, &req.to_params(), key).await
    }

    /// `listZones`, every page.
    pub async fn list_zones(&self, req: &ListZones) -> Result<Vec<Zone>> {
        self.list_typed(req, "zone").await
    }

    /// `listTemplates`, every page (`templatefilter` defaults to `executable`).
    pub async fn list_templates(&self, req: &ListTemplates) -> Result<Vec<Template>> {
        let mut p = req.to_params();
        if !p.contains("templatefilter") {
            p.set("templatefilter", TemplateFilter::default());
        }
        self.list_all(ListTemplates::NAME, &p, "template").await
    }

    /// `listServiceOfferings`, every page.
    pub async fn list_service_offerings(
        &self,
        req: &ListServiceOfferings,
    ) -> Result<Vec<ServiceOffering>> {
        self.list_typed(req, "serviceoffering").await
    }

    /// `listDiskOfferings`, every page.
    pub async fn list_disk_offerings(&self, req: &ListDiskOfferings) -> Result<Vec<DiskOffering>> {
        self.list_typed(req, "diskoffering").await
    }

    /// `listVirtualMachines`, every page.
    pub async fn list_virtual_machines(
        &self,
        req: &ListVirtualMachines,
    ) -> Result<Vec<VirtualMachine>> {
        self.list_typed(req, "virtualmachine").await
    }

    /// `listVirtualMachinesMetrics`, every page (VMs with the metrics fields filled).
    pub async fn list_virtual_machines_metrics(
        &self,
        req: &ListVirtualMachines,
    ) -> Result<Vec<VirtualMachine>> {
        self.list_all(
            "listVirtualMachinesMetrics",
            &req.to_params(),
            "virtualmachine",
        )
        .await
    }

    /// `deployVirtualMachine` (async; the handle's `id()` is the new VM's id).
    pub async fn deploy_virtual_machine(
        &self,
        req: &DeployVirtualMachine,
    ) -> Result<AsyncJob<VirtualMachine>> {
        self.submit(DeployVirtualMachine::NAME, &req.to_params())
            .await
    }

    /// `startVirtualMachine` (async).
    pub async fn start_virtual_machine(&self, id: &str) -> Result<AsyncJob<VirtualMachine>> {
        self.submit("startVirtualMachine", &id_params(id)).await
    }

    /// `stopVirtualMachine` (async); `forced` stops it even if the guest does not shut down.
    pub async fn stop_virtual_machine(
        &self,
        id: &str,
        forced: bool,
    ) -> Result<AsyncJob<VirtualMachine>> {
        let mut p = id_params(id);
        if forced {
            p.set("forced", true);
        }
        self.submit("stopVirtualMachine", &p).await
    }

    /// `rebootVirtualMachine` (async).
    pub async fn reboot_virtual_machine(&self, id: &str) -> Result<AsyncJob<VirtualMachine>> {
        self.submit("rebootVirtualMachine", &id_params(id)).await
    }

    /// `destroyVirtualMachine` (async); `expunge` removes it at once instead of keeping it
    /// recoverable. The result is the VM when the server returns it.
    pub async fn destroy_virtual_machine(
        &self,
        id: &str,
        expunge: bool,
    ) -> Result<AsyncJob<Option<VirtualMachine>>> {
        let mut p = id_params(id);
        if expunge {
            p.set("expunge", true);
        }
        self.submit("destroyVirtualMachine", &p).await
    }

    /// `listSSHKeyPairs`, every page.
    pub async fn list_ssh_key_pairs(&self, req: &ListSshKeyPairs) -> Result<Vec<SshKeyPair>> {
        self.list_typed(req, "sshkeypair").await
    }

    /// `createSSHKeyPair`: the answer holds the private key (shown once).
    pub async fn create_ssh_key_pair(&self, name: &str) -> Result<SshKeyPair> {
        self.sync_object(
            "createSSHKeyPair",
            &Params::new().with("name", name),
            "keypair",
        )
        .await
    }

    /// `registerSSHKeyPair` with an existing public key.
    pub async fn register_ssh_key_pair(&self, name: &str, public_key: &str) -> Result<SshKeyPair> {
        let p = Params::new()
            .with("name", name)
            .with("publickey", public_key);
        self.sync_object("registerSSHKeyPair", &p, "keypair").await
    }

    /// `deleteSSHKeyPair`.
    pub async fn delete_ssh_key_pair(&self, name: &str) -> Result<Success> {
        self.sync_success("deleteSSHKeyPair", &Params::new().with("name", name))
            .await
    }

    /// `listNetworks`, every page.
    pub async fn list_networks(&self, req: &ListNetworks) -> Result<Vec<Network>> {
        self.list_typed(req, "network").await
    }

    /// `createNetwork` (synchronous).
    pub async fn create_network(&self, req: &CreateNetwork) -> Result<Network> {
        self.sync_object(CreateNetwork::NAME, &req.to_params(), "network")
            .await
    }

    /// `deleteNetwork` (async).
    pub async fn delete_network(&self, id: &str, forced: bool) -> Result<AsyncJob<Success>> {
        let mut p = id_params(id);
        if forced {
            p.set("forced", true);
        }
        self.submit("deleteNetwork", &p).await
    }

    /// `listNetworkOfferings`, every page.
    pub async fn list_network_offerings(
        &self,
        req: &ListNetworkOfferings,
    ) -> Result<Vec<NetworkOffering>> {
        self.list_typed(req, "networkoffering").await
    }

    /// `listVolumes`, every page.
    pub async fn list_volumes(&self, req: &ListVolumes) -> Result<Vec<Volume>> {
        self.list_typed(req, "volume").await
    }

    /// `createVolume` (async).
    pub async fn create_volume(&self, req: &CreateVolume) -> Result<AsyncJob<Volume>> {
        self.submit(CreateVolume::NAME, &req.to_params()).await
    }

    /// `attachVolume` (async).
    pub async fn attach_volume(
        &self,
        id: &str,
        virtualmachineid: &str,
    ) -> Result<AsyncJob<Volume>> {
        let p = id_params(id).with("virtualmachineid", virtualmachineid);
        self.submit("attachVolume", &p).await
    }

    /// `detachVolume` (async).
    pub async fn detach_volume(&self, id: &str) -> Result<AsyncJob<Volume>> {
        self.submit("detachVolume", &id_params(id)).await
    }

    /// `deleteVolume` (synchronous).
    pub async fn delete_volume(&self, id: &str) -> Result<Success> {
        self.sync_success("deleteVolume", &id_params(id)).await
    }

    /// `listSnapshots`, every page.
    pub async fn list_snapshots(&self, req: &ListSnapshots) -> Result<Vec<Snapshot>> {
        self.list_typed(req, "snapshot").await
    }

    /// `createSnapshot` of a volume (async).
    pub async fn create_snapshot(
        &self,
        volumeid: &str,
        name: Option<&str>,
    ) -> Result<AsyncJob<Snapshot>> {
        let mut p = Params::new().with("volumeid", volumeid);
        p.set_opt("name", name);
        self.submit("createSnapshot", &p).await
    }

    /// `deleteSnapshot` (async).
    pub async fn delete_snapshot(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteSnapshot", &id_params(id)).await
    }

    /// `listPublicIpAddresses`, every page.
    pub async fn list_public_ip_addresses(
        &self,
        req: &ListPublicIpAddresses,
    ) -> Result<Vec<PublicIpAddress>> {
        self.list_typed(req, "publicipaddress").await
    }

    /// `associateIpAddress` to a network (async).
    pub async fn associate_ip_address(&self, networkid: &str) -> Result<AsyncJob<PublicIpAddress>> {
        self.submit(
            "associateIpAddress",
            &Params::new().with("networkid", networkid),
        )
        .await
    }

    /// `disassociateIpAddress` (async).
    pub async fn disassociate_ip_address(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("disassociateIpAddress", &id_params(id)).await
    }

    /// `listFirewallRules`, every page.
    pub async fn list_firewall_rules(&self, req: &ListFirewallRules) -> Result<Vec<FirewallRule>> {
        self.list_typed(req, "firewallrule").await
    }

    /// `createFirewallRule` (async).
    pub async fn create_firewall_rule(
        &self,
        req: &CreateFirewallRule,
    ) -> Result<AsyncJob<FirewallRule>> {
        self.submit(CreateFirewallRule::NAME, &req.to_params())
            .await
    }

    /// `deleteFirewallRule` (async).
    pub async fn delete_firewall_rule(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteFirewallRule", &id_params(id)).await
    }

    /// `listPortForwardingRules`, every page.
    pub async fn list_port_forwarding_rules(
        &self,
        req: &ListPortForwardingRules,
    ) -> Result<Vec<PortForwardingRule>> {
        self.list_typed(req, "portforwardingrule").await
    }

    /// `createPortForwardingRule` (async).
    pub async fn create_port_forwarding_rule(
        &self,
        req: &CreatePortForwardingRule,
    ) -> Result<AsyncJob<PortForwardingRule>> {
        self.submit(CreatePortForwardingRule::NAME, &req.to_params())
            .await
    }

    /// `deletePortForwardingRule` (async).
    pub async fn delete_port_forwarding_rule(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deletePortForwardingRule", &id_params(id))
            .await
    }

    /// `listUsageRecords`, every page.
    pub async fn list_usage_records(&self, req: &ListUsageRecords) -> Result<Vec<UsageRecord>> {
        self.list_typed(req, "usagerecord").await
    }

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

    /// `listEvents`, every page.
    pub async fn list_events(&self, req: &ListEvents) -> Result<Vec<Event>> {
        self.list_typed(req, "event").await
    }

    /// `createKubernetesCluster` (async).
    pub async fn create_kubernetes_cluster(
        &self,
        req: &CreateKubernetesCluster,
    ) -> Result<AsyncJob<KubernetesCluster>> {
        self.submit(CreateKubernetesCluster::NAME, &req.to_params())
            .await
    }

    /// `listKubernetesClusters`, every page.
    pub async fn list_kubernetes_clusters(
        &self,
        req: &ListKubernetesClusters,
    ) -> Result<Vec<KubernetesCluster>> {
        self.list_typed(req, "kubernetescluster").await
    }

    /// `scaleKubernetesCluster` (async), including autoscaling.
    pub async fn scale_kubernetes_cluster(
        &self,
        req: &ScaleKubernetesCluster,
    ) -> Result<AsyncJob<KubernetesCluster>> {
        self.submit(ScaleKubernetesCluster::NAME, &req.to_params())
            .await
    }

    /// `startKubernetesCluster` (async).
    pub async fn start_kubernetes_cluster(&self, id: &str) -> Result<AsyncJob<KubernetesCluster>> {
        self.submit("startKubernetesCluster", &id_params(id)).await
    }

    /// `stopKubernetesCluster` (async).
    pub async fn stop_kubernetes_cluster(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("stopKubernetesCluster", &id_params(id)).await
    }

    /// `deleteKubernetesCluster` (async); optionally also deletes the cluster's network and VMs' volumes.
    pub async fn delete_kubernetes_cluster(
        &self,
        id: &str,
        cleanup: bool,
    ) -> Result<AsyncJob<Success>> {
        let mut p = id_params(id);
        if cleanup {
            p.set("cleanup", true).set("expunge", true);
        }
        self.submit("deleteKubernetesCluster", &p).await
    }

    /// `upgradeKubernetesCluster` to another supported version (async).
    pub async fn upgrade_kubernetes_cluster(
        &self,
        id: &str,
        kubernetesversionid: &str,
    ) -> Result<AsyncJob<KubernetesCluster>> {
        let p = id_params(id).with("kubernetesversionid", kubernetesversionid);
        self.submit("upgradeKubernetesCluster", &p).await
    }

    /// `getKubernetesClusterConfig`: the kubeconfig (`configdata`).
    pub async fn get_kubernetes_cluster_config(&self, id: &str) -> Result<KubernetesClusterConfig> {
        self.sync_object(
            "getKubernetesClusterConfig",
            &id_params(id),
            "clusterconfig",
        )
        .await
    }

    /// `listKubernetesSupportedVersions`, every page.
    pub async fn list_kubernetes_supported_versions(
        &self,
        req: &ListKubernetesSupportedVersions,
    ) -> Result<Vec<KubernetesSupportedVersion>> {
        self.list_typed(req, "kubernetessupportedversion").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_params() {
        let mut d = DeployVirtualMachine::new("z", "o", "t");
        d.networkids = Some(vec!["n1".into(), "n2".into()]);
        d.startvm = Some(false);
        d.extra.set("details[0].cpuNumber", "2");
        let p = d.to_params();
        assert_eq!(p.get("zoneid"), Some("z"));
        assert_eq!(p.get("networkids"), Some("n1,n2"));
        assert_eq!(p.get("startvm"), Some("false"));
        assert_eq!(p.get("details[0].cpunumber"), Some("2"));
        let l = ListVolumes {
            r#type: Some("ROOT".into()),
            ..Default::default()
        };
        assert_eq!(l.to_params().get("type"), Some("ROOT"));
        let s = ScaleKubernetesCluster::autoscale("c", 1, 3).to_params();
        assert_eq!(s.get("autoscalingenabled"), Some("true"));
        assert_eq!(s.get("maxsize"), Some("3"));
        assert!(!s.contains("size"));
    }
}
