//! Guest networks, network offerings, public IP addresses, firewall and port forwarding rules.

use super::Tag;
use crate::de::model;
use serde_json::Value;

model! {
    /// A guest network (`listNetworks`, `createNetwork`).
    pub struct Network {
        /// Network id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// State (`Allocated`, `Implemented`...).
        pub state: String,
        /// `Isolated`, `Shared`, `L2`.
        #[serde(rename = "type")]
        pub network_type: String,
        /// Traffic type.
        pub traffictype: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Network offering id.
        pub networkofferingid: String,
        /// Network offering name.
        pub networkofferingname: String,
        /// CIDR.
        pub cidr: String,
        /// Gateway.
        pub gateway: String,
        /// Netmask.
        pub netmask: String,
        /// Network domain.
        pub networkdomain: String,
        /// VPC id.
        pub vpcid: String,
        /// ACL list of a VPC tier.
        pub aclid: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Default network.
        pub isdefault: bool,
        /// Restart required.
        pub restartrequired: bool,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A network offering (`listNetworkOfferings`).
    pub struct NetworkOffering {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// Guest IP type (`Isolated`, `Shared`, `L2`).
        pub guestiptype: String,
        /// Traffic type.
        pub traffictype: String,
        /// State.
        pub state: String,
        /// Default offering.
        pub isdefault: bool,
        /// For VPC.
        pub forvpc: bool,
        /// Specify VLAN.
        pub specifyvlan: bool,
        /// Network rate (Mbps).
        pub networkrate: i64,
        /// Availability (`Required`, `Optional`).
        pub availability: String,
        /// Conserve mode.
        pub conservemode: bool,
        /// Supported services (raw).
        pub service: Value,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A public IP address (`listPublicIpAddresses`, `associateIpAddress`).
    pub struct PublicIpAddress {
        /// IP id.
        pub id: String,
        /// The address.
        pub ipaddress: String,
        /// State (`Allocated`...).
        pub state: String,
        /// Source NAT address.
        pub issourcenat: bool,
        /// Static NAT enabled.
        pub isstaticnat: bool,
        /// System address.
        pub issystem: bool,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Associated network id.
        pub associatednetworkid: String,
        /// Associated network name.
        pub associatednetworkname: String,
        /// Network id.
        pub networkid: String,
        /// VPC id.
        pub vpcid: String,
        /// Static NAT VM id.
        pub virtualmachineid: String,
        /// Static NAT VM name.
        pub virtualmachinename: String,
        /// VLAN id.
        pub vlanid: String,
        /// VLAN name.
        pub vlanname: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Allocation date.
        pub allocated: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A firewall rule (`listFirewallRules`, `createFirewallRule`).
    pub struct FirewallRule {
        /// Rule id.
        pub id: String,
        /// Protocol (`tcp`, `udp`, `icmp`, `all`).
        pub protocol: String,
        /// Start port.
        pub startport: i64,
        /// End port.
        pub endport: i64,
        /// Source CIDR list (comma-separated).
        pub cidrlist: String,
        /// Destination CIDR list.
        pub destcidrlist: String,
        /// ICMP type.
        pub icmptype: i64,
        /// ICMP code.
        pub icmpcode: i64,
        /// Public IP id.
        pub ipaddressid: String,
        /// Public IP.
        pub ipaddress: String,
        /// Network id.
        pub networkid: String,
        /// State.
        pub state: String,
        /// Traffic type.
        pub traffictype: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A port forwarding rule.
    pub struct PortForwardingRule {
        /// Rule id.
        pub id: String,
        /// Protocol.
        pub protocol: String,
        /// Public start port.
        pub publicport: i64,
        /// Public end port.
        pub publicendport: i64,
        /// Private start port.
        pub privateport: i64,
        /// Private end port.
        pub privateendport: i64,
        /// Public IP id.
        pub ipaddressid: String,
        /// Public IP.
        pub ipaddress: String,
        /// Target VM id.
        pub virtualmachineid: String,
        /// Target VM name.
        pub virtualmachinename: String,
        /// Target VM display name.
        pub virtualmachinedisplayname: String,
        /// Guest IP of the target VM.
        pub vmguestip: String,
        /// Network id.
        pub networkid: String,
        /// Source CIDR list.
        pub cidrlist: String,
        /// State.
        pub state: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}
