//! Load balancer rules with their members and policies; VPCs, their ACL lists and rules.

use super::{Command, id_params};
use crate::client::Client;
use crate::error::Result;
use crate::job::AsyncJob;
use crate::model::*;
use crate::params::Params;

request! {
    /// `createLoadBalancerRule` (async).
    CreateLoadBalancerRule => "createLoadBalancerRule" {
        /// Name (required).
        name: String,
        /// Public IP id.
        publicipid: String,
        /// Public port (required).
        publicport: i64,
        /// Private port (required).
        privateport: i64,
        /// `roundrobin`, `leastconn`, `source` (required).
        algorithm: String,
        /// `tcp`, `udp`, `tcp-proxy`.
        protocol: String,
        /// Source CIDRs.
        cidrlist: Vec<String>,
        /// Also open the firewall (CloudStack's default is true: to 0.0.0.0/0).
        openfirewall: bool,
        /// Network id (for a VPC tier).
        networkid: String,
        /// Description.
        description: String,
    }
}

list_request! {
    /// `listLoadBalancerRules`.
    ListLoadBalancerRules => "listLoadBalancerRules" {
        /// Rule id.
        id: String,
        /// Public IP id.
        publicipid: String,
        /// Network id.
        networkid: String,
        /// A member VM.
        virtualmachineid: String,
        /// List everything the caller may see.
        listall: bool,
    }
}

request! {
    /// `updateLoadBalancerRule` (async).
    UpdateLoadBalancerRule => "updateLoadBalancerRule" {
        /// Rule id (required).
        id: String,
        /// New name.
        name: String,
        /// New algorithm.
        algorithm: String,
        /// New description.
        description: String,
    }
}

request! {
    /// `createLBHealthCheckPolicy` (async).
    CreateLbHealthCheckPolicy => "createLBHealthCheckPolicy" {
        /// Rule id (required).
        lbruleid: String,
        /// HTTP path to ping; empty for a TCP check.
        pingpath: String,
        /// Seconds between checks.
        intervaltime: i64,
        /// Seconds to wait for an answer.
        responsetimeout: i64,
        /// Consecutive successes before healthy.
        healthythreshold: i64,
        /// Consecutive failures before unhealthy.
        unhealthythreshold: i64,
        /// Description.
        description: String,
    }
}

request! {
    /// `createVPC` (async).
    CreateVpc => "createVPC" {
        /// Name (required).
        name: String,
        /// Display text.
        displaytext: String,
        /// Zone id (required).
        zoneid: String,
        /// VPC offering id (required).
        vpcofferingid: String,
        /// Super CIDR of the tiers (required unless `cidrsize`).
        cidr: String,
        /// Network domain.
        networkdomain: String,
    }
}

list_request! {
    /// `listVPCs`.
    ListVpcs => "listVPCs" {
        /// VPC id.
        id: String,
        /// Zone id.
        zoneid: String,
        /// List everything the caller may see.
        listall: bool,
    }
}

request! {
    /// `createNetworkACL` (async): one rule of an ACL list.
    CreateNetworkAcl => "createNetworkACL" {
        /// ACL list id.
        aclid: String,
        /// Order in the list (unique in it).
        number: i64,
        /// `tcp`, `udp`, `icmp`, `all` or a number (required).
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
        /// `Ingress` or `Egress`.
        traffictype: String,
        /// `Allow` or `Deny`.
        action: String,
        /// Why the rule exists.
        reason: String,
    }
}

request! {
    /// `updateNetworkACLItem` (async): change a rule, e.g. its number to reorder.
    UpdateNetworkAclItem => "updateNetworkACLItem" {
        /// Rule id (required).
        id: String,
        /// New number.
        number: i64,
        /// Protocol.
        protocol: String,
        /// Start port.
        startport: i64,
        /// End port.
        endport: i64,
        /// Source CIDRs.
        cidrlist: Vec<String>,
        /// `Ingress` or `Egress`.
        traffictype: String,
        /// `Allow` or `Deny`.
        action: String,
        /// Why the rule exists.
        reason: String,
    }
}

impl Client {
    /// `createLoadBalancerRule` (async).
    pub async fn create_load_balancer_rule(
        &self,
        req: &CreateLoadBalancerRule,
    ) -> Result<AsyncJob<LoadBalancerRule>> {
        self.submit(CreateLoadBalancerRule::NAME, &req.to_params())
            .await
    }

    /// `listLoadBalancerRules`, every page.
    pub async fn list_load_balancer_rules(
        &self,
        req: &ListLoadBalancerRules,
    ) -> Result<Vec<LoadBalancerRule>> {
        self.list_typed(req, "loadbalancerrule").await
    }

    /// `updateLoadBalancerRule` (async).
    pub async fn update_load_balancer_rule(
        &self,
        req: &UpdateLoadBalancerRule,
    ) -> Result<AsyncJob<LoadBalancerRule>> {
        self.submit(UpdateLoadBalancerRule::NAME, &req.to_params())
            .await
    }

    /// `deleteLoadBalancerRule` (async).
    pub async fn delete_load_balancer_rule(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteLoadBalancerRule", &id_params(id)).await
    }

    /// `assignToLoadBalancerRule` (async): add member VMs.
    pub async fn assign_to_load_balancer_rule(
        &self,
        id: &str,
        virtualmachineids: &[String],
    ) -> Result<AsyncJob<Success>> {
        let p = id_params(id).with("virtualmachineids", virtualmachineids.to_vec());
        self.submit("assignToLoadBalancerRule", &p).await
    }

    /// `removeFromLoadBalancerRule` (async): remove member VMs.
    pub async fn remove_from_load_balancer_rule(
        &self,
        id: &str,
        virtualmachineids: &[String],
    ) -> Result<AsyncJob<Success>> {
        let p = id_params(id).with("virtualmachineids", virtualmachineids.to_vec());
        self.submit("removeFromLoadBalancerRule", &p).await
    }

    /// `listLoadBalancerRuleInstances` with the members' addresses, every page.
    pub async fn list_load_balancer_members(&self, id: &str) -> Result<Vec<LoadBalancerMember>> {
        let p = id_params(id).with("lbvmips", true);
        self.list_all("listLoadBalancerRuleInstances", &p, "lbrulevmidip")
            .await
    }

    /// `createLBHealthCheckPolicy` (async).
    pub async fn create_lb_health_check_policy(
        &self,
        req: &CreateLbHealthCheckPolicy,
    ) -> Result<AsyncJob<LbHealthCheckPolicies>> {
        self.submit(CreateLbHealthCheckPolicy::NAME, &req.to_params())
            .await
    }

    /// `listLBHealthCheckPolicies` of a rule.
    pub async fn list_lb_health_check_policies(
        &self,
        lbruleid: &str,
    ) -> Result<Vec<LbHealthCheckPolicies>> {
        let p = Params::new().with("lbruleid", lbruleid);
        self.list_all("listLBHealthCheckPolicies", &p, "healthcheckpolicies")
            .await
    }

    /// `deleteLBHealthCheckPolicy` (async).
    pub async fn delete_lb_health_check_policy(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteLBHealthCheckPolicy", &id_params(id))
            .await
    }

    /// `createLBStickinessPolicy` (async); `params` become `param[i].name`/`param[i].value`.
    pub async fn create_lb_stickiness_policy(
        &self,
        lbruleid: &str,
        methodname: &str,
        name: &str,
        params: &[(String, String)],
    ) -> Result<AsyncJob<LbStickinessPolicies>> {
        let mut p = Params::new()
            .with("lbruleid", lbruleid)
            .with("methodname", methodname)
            .with("name", name);
        for (i, (k, v)) in params.iter().enumerate() {
            p.set(&format!("param[{i}].name"), k.as_str());
            p.set(&format!("param[{i}].value"), v.as_str());
        }
        self.submit("createLBStickinessPolicy", &p).await
    }

    /// `listLBStickinessPolicies` of a rule.
    pub async fn list_lb_stickiness_policies(
        &self,
        lbruleid: &str,
    ) -> Result<Vec<LbStickinessPolicies>> {
        let p = Params::new().with("lbruleid", lbruleid);
        self.list_all("listLBStickinessPolicies", &p, "stickinesspolicies")
            .await
    }

    /// `deleteLBStickinessPolicy` (async).
    pub async fn delete_lb_stickiness_policy(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteLBStickinessPolicy", &id_params(id))
            .await
    }

    /// `createVPC` (async).
    pub async fn create_vpc(&self, req: &CreateVpc) -> Result<AsyncJob<Vpc>> {
        self.submit(CreateVpc::NAME, &req.to_params()).await
    }

    /// `listVPCs`, every page.
    pub async fn list_vpcs(&self, req: &ListVpcs) -> Result<Vec<Vpc>> {
        self.list_typed(req, "vpc").await
    }

    /// `listVPCOfferings`, every page.
    pub async fn list_vpc_offerings(&self) -> Result<Vec<VpcOffering>> {
        self.list_all("listVPCOfferings", &Params::new(), "vpcoffering")
            .await
    }

    /// `restartVPC` (async).
    pub async fn restart_vpc(&self, id: &str, cleanup: bool) -> Result<AsyncJob<Success>> {
        self.submit("restartVPC", &id_params(id).with("cleanup", cleanup))
            .await
    }

    /// `deleteVPC` (async).
    pub async fn delete_vpc(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteVPC", &id_params(id)).await
    }

    /// `createNetworkACLList` (async).
    pub async fn create_network_acl_list(
        &self,
        vpcid: &str,
        name: &str,
        description: &str,
    ) -> Result<AsyncJob<NetworkAclList>> {
        let p = Params::new()
            .with("vpcid", vpcid)
            .with("name", name)
            .with("description", description);
        self.submit("createNetworkACLList", &p).await
    }

    /// `listNetworkACLLists` of a VPC (with the built-in lists), every page.
    pub async fn list_network_acl_lists(&self, vpcid: &str) -> Result<Vec<NetworkAclList>> {
        let p = Params::new().with("vpcid", vpcid);
        self.list_all("listNetworkACLLists", &p, "networkacllist")
            .await
    }

    /// `deleteNetworkACLList` (async).
    pub async fn delete_network_acl_list(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteNetworkACLList", &id_params(id)).await
    }

    /// `replaceNetworkACLList` (async): the tier now follows this list.
    pub async fn replace_network_acl_list(
        &self,
        aclid: &str,
        networkid: &str,
    ) -> Result<AsyncJob<Success>> {
        let p = Params::new()
            .with("aclid", aclid)
            .with("networkid", networkid);
        self.submit("replaceNetworkACLList", &p).await
    }

    /// `createNetworkACL` (async).
    pub async fn create_network_acl(
        &self,
        req: &CreateNetworkAcl,
    ) -> Result<AsyncJob<NetworkAclItem>> {
        self.submit(CreateNetworkAcl::NAME, &req.to_params()).await
    }

    /// `updateNetworkACLItem` (async).
    pub async fn update_network_acl_item(
        &self,
        req: &UpdateNetworkAclItem,
    ) -> Result<AsyncJob<NetworkAclItem>> {
        self.submit(UpdateNetworkAclItem::NAME, &req.to_params())
            .await
    }

    /// `listNetworkACLs` of a list, every page.
    pub async fn list_network_acls(&self, aclid: &str) -> Result<Vec<NetworkAclItem>> {
        let p = Params::new().with("aclid", aclid);
        self.list_all("listNetworkACLs", &p, "networkacl").await
    }

    /// `deleteNetworkACL` (async).
    pub async fn delete_network_acl(&self, id: &str) -> Result<AsyncJob<Success>> {
        self.submit("deleteNetworkACL", &id_params(id)).await
    }
}
