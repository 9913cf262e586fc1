//! Guest networks, their offerings, public IP addresses, firewall and port forwarding rules.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;

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
        /// VPC id (a tier of this VPC).
        vpcid: String,
        /// Network ACL list of a VPC tier.
        aclid: String,
        /// Domain id.
        domainid: String,
        /// Account.
        account: String,
        /// Project id.
        projectid: String,
    }
}

request! {
    /// `updateNetwork` (async).
    UpdateNetwork => "updateNetwork" {
        /// Network id (required).
        id: String,
        /// New name.
        name: String,
        /// New display text.
        displaytext: String,
        /// Guest VM CIDR (a part of the network's CIDR).
        guestvmcidr: String,
        /// Network domain.
        networkdomain: String,
        /// Another network offering.
        networkofferingid: String,
    }
}

request! {
    /// `createEgressFirewallRule` (async).
    CreateEgressFirewallRule => "createEgressFirewallRule" {
        /// Network id (required).
        networkid: String,
        /// `tcp`, `udp`, `icmp`, `all` (required).
        protocol: String,
        /// Start port.
        startport: i64,
        /// End port.
        endport: i64,
        /// Source CIDRs within the network.
        cidrlist: Vec<String>,
        /// Destination CIDRs.
        destcidrlist: Vec<String>,
        /// ICMP type.
        icmptype: i64,
        /// ICMP code.
        icmpcode: i64,
    }
}

list_request! {
    /// `listEgressFirewallRules`.
    ListEgressFirewallRules => "listEgressFirewallRules" {
        /// Rule id.
        id: String,
        /// Network id.
        networkid: String,
        /// List everything the caller may see.
        listall: bool,
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

impl Client {
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

    /// `updateNetwork` (async).
    pub async fn update_network(&self, req: &UpdateNetwork) -> Result<AsyncJob<Network>> {
        self.submit(UpdateNetwork::NAME, &req.to_params()).await
    }

    /// `restartNetwork` (async), optionally cleaning up (new virtual routers).
    pub async fn restart_network(&self, id: &str, cleanup: bool) -> Result<AsyncJob<Network>> {
        self.submit("restartNetwork", &id_params(id).with("cleanup", cleanup))
            .await
    }

    /// `associateIpAddress` to a VPC (async).
    pub async fn associate_ip_address_to_vpc(
        &self,
        vpcid: &str,
    ) -> Result<AsyncJob<PublicIpAddress>> {
        self.submit("associateIpAddress", &Params::new().with("vpcid", vpcid))
            .await
    }

    /// `enableStaticNat` (synchronous): the address forwards everything to the VM.
    pub async fn enable_static_nat(
        &self,
        ipaddressid: &str,
        virtualmachineid: &str,
        networkid: Option<&str>,
    ) -> Result<Success> {
        let mut p = Params::new()
            .with("ipaddressid", ipaddressid)
            .with("virtualmachineid", virtualmachineid);
        p.set_opt("networkid", networkid);
        self.sync_success("enableStaticNat", &p).await
    }

    /// `disableStaticNat` (async).
    pub async fn disable_static_nat(&self, ipaddressid: &str) -> Result<AsyncJob<Success>> {
        self.submit(
            "disableStaticNat",
            &Params::new().with("ipaddressid", ipaddressid),
        )
        .await
    }

    /// `listEgressFirewallRules`, every page.
    pub async fn list_egress_firewall_rules(
        &self,
        req: &ListEgressFirewallRules,
    ) -> Result<Vec<FirewallRule>> {
        self.list_typed(req, "firewallrule").await
    }

    /// `createEgressFirewallRule` (async).
    pub async fn create_egress_firewall_rule(
        &self,
        req: &CreateEgressFirewallRule,
    ) -> Result<AsyncJob<FirewallRule>> {
        self.submit(CreateEgressFirewallRule::NAME, &req.to_params())
            .await
    }

    /// `deleteEgressFirewallRule` (async).
    pub async fn delete_egress_firewall_rule(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteEgressFirewallRule", &id_params(id))
            .await
    }

    /// `listNetworkOfferings`, every page.
    pub async fn list_network_offerings(
        &self,
        req: &ListNetworkOfferings,
    ) -> Result<Vec<NetworkOffering>> {
        self.list_typed(req, "networkoffering").await
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
}
