//! Load balancer rules, their members and policies; VPCs and network ACLs.

use super::Tag;
use crate::de::model;
use serde_json::Value;

model! {
    /// A load balancer rule (`listLoadBalancerRules`, `createLoadBalancerRule`).
    pub struct LoadBalancerRule {
        /// Rule id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Description.
        pub description: String,
        /// `roundrobin`, `leastconn`, `source`.
        pub algorithm: String,
        /// Protocol (`tcp`, `udp`, `tcp-proxy`).
        pub protocol: String,
        /// Public port.
        pub publicport: String,
        /// Private port.
        pub privateport: String,
        /// Public IP id.
        pub publicipid: String,
        /// Public IP.
        pub publicip: String,
        /// Source CIDRs (comma-separated).
        pub cidrlist: String,
        /// Network id.
        pub networkid: String,
        /// Zone id.
        pub zoneid: String,
        /// State.
        pub state: String,
        /// Account.
        pub account: String,
        /// Domain id.
        pub domainid: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// One member of a load balancer rule with its addresses
    /// (`listLoadBalancerRuleInstances` with `lbvmips=true`).
    pub struct LoadBalancerMember {
        /// The VM (as `listVirtualMachines` describes it; raw).
        pub loadbalancerruleinstance: Value,
        /// The VM's addresses used by the rule.
        pub lbvmipaddresses: Vec<String>,
    }
}

model! {
    /// A health check policy (`createLBHealthCheckPolicy`, inside `listLBHealthCheckPolicies`).
    pub struct LbHealthCheckPolicy {
        /// Policy id.
        pub id: String,
        /// Ping path (HTTP) or empty for TCP.
        pub pingpath: String,
        /// Seconds between checks.
        pub intervaltime: i64,
        /// Seconds to wait for an answer.
        pub responsetime: i64,
        /// Consecutive successes before healthy.
        pub healthcheckthresshold: i64,
        /// Consecutive failures before unhealthy.
        pub unhealthcheckthresshold: i64,
        /// Description.
        pub description: String,
        /// State.
        pub state: String,
    }
}

model! {
    /// The health check policies of one rule (`listLBHealthCheckPolicies`).
    pub struct LbHealthCheckPolicies {
        /// The rule id.
        pub lbruleid: String,
        /// Its policies.
        pub healthcheckpolicy: Vec<LbHealthCheckPolicy>,
    }
}

model! {
    /// A stickiness policy (inside `listLBStickinessPolicies`).
    pub struct LbStickinessPolicy {
        /// Policy id.
        pub id: String,
        /// Name.
        pub name: String,
        /// `LbCookie`, `AppCookie`, `SourceBased`.
        pub methodname: String,
        /// Parameters (name → value).
        pub params: Value,
        /// Description.
        pub description: String,
        /// State.
        pub state: String,
    }
}

model! {
    /// The stickiness policies of one rule (`listLBStickinessPolicies`,
    /// `createLBStickinessPolicy`).
    pub struct LbStickinessPolicies {
        /// The rule id.
        pub lbruleid: String,
        /// Its policies.
        pub stickinesspolicy: Vec<LbStickinessPolicy>,
    }
}

model! {
    /// A VPC (`listVPCs`, `createVPC`).
    pub struct Vpc {
        /// VPC id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// Super CIDR of its tiers.
        pub cidr: String,
        /// State.
        pub state: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// VPC offering id.
        pub vpcofferingid: String,
        /// VPC offering name.
        pub vpcofferingname: String,
        /// Network domain.
        pub networkdomain: String,
        /// Restart required.
        pub restartrequired: bool,
        /// Its tiers.
        pub network: Vec<super::Network>,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A VPC offering (`listVPCOfferings`).
    pub struct VpcOffering {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// State.
        pub state: String,
        /// Default offering.
        pub isdefault: bool,
    }
}

model! {
    /// A network ACL list (`listNetworkACLLists`, `createNetworkACLList`).
    pub struct NetworkAclList {
        /// List id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Description.
        pub description: String,
        /// VPC id (empty for the built-in lists).
        pub vpcid: String,
    }
}

model! {
    /// One rule of a network ACL list (`listNetworkACLs`, `createNetworkACL`).
    pub struct NetworkAclItem {
        /// Rule id.
        pub id: String,
        /// The list it belongs to.
        pub aclid: String,
        /// Order (lower first).
        pub number: i64,
        /// `tcp`, `udp`, `icmp`, `all` or a protocol number.
        pub protocol: String,
        /// Start port.
        pub startport: String,
        /// End port.
        pub endport: String,
        /// Source CIDRs (comma-separated).
        pub cidrlist: String,
        /// ICMP type.
        pub icmptype: i64,
        /// ICMP code.
        pub icmpcode: i64,
        /// `Ingress` or `Egress`.
        pub traffictype: String,
        /// `Allow` or `Deny`.
        pub action: String,
        /// Why the rule exists.
        pub reason: String,
        /// State.
        pub state: String,
    }
}
