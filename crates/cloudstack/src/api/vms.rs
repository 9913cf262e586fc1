//! Virtual machines and the SSH key pairs they are deployed with.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;

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

impl Client {
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
}
