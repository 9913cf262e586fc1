//! One operation, asked of CloudStack and waited for; batches undone on failure.

use crate::error::{Error, Result};
use crate::steps::{
    create_firewall_rules, id_of, job, job_id, params, plural, rules_on, undo, with_id,
};
use akashone_cloudstack::model::Success;
use akashone_cloudstack::{Client, JobOptions, Params};
use akashone_types::network::forward::{IpRules, plan_port_forwards};
use akashone_types::network::rules::{RuleChange, diff, expand};
use akashone_types::network::{AcquireIp, IpAction, NetworkAction};
use akashone_types::ops::{Operation, RuleKind};
use akashone_types::storage::{SnapshotAction, VmSnapshotAction, VolumeAction, VolumeSource};
use serde_json::Value;

/// Whose resources new ones become: the central server creates them in the tenant's CloudStack
/// domain and account; the desktop app leaves both empty (the key's own account).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// CloudStack account name.
    pub account: Option<String>,
    /// CloudStack domain id.
    pub domain_id: Option<String>,
}

impl Scope {
    fn apply(&self, p: &mut Params) {
        if let (Some(a), Some(d)) = (&self.account, &self.domain_id) {
            p.set("account", a.as_str());
            p.set("domainid", d.as_str());
        }
    }
}

/// What a finished operation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Done {
    /// One sentence for the user ("3 firewall rules created, 1 already there").
    pub message: String,
    /// The id of what it created, when it created one thing.
    pub id: Option<String>,
}

fn done(message: impl Into<String>, id: Option<String>) -> Done {
    Done {
        message: message.into(),
        id,
    }
}

/// Runs `op` (see the crate documentation). `opts` bounds each CloudStack job.
pub async fn run(
    client: &Client,
    op: &Operation,
    scope: &Scope,
    opts: &JobOptions,
) -> Result<Done> {
    match op {
        Operation::NetworkCreate { request } => {
            let mut p = Params::new()
                .with("zoneid", request.zone_id.as_str())
                .with("networkofferingid", request.offering_id.as_str())
                .with("name", request.name.trim())
                .with(
                    "displaytext",
                    request
                        .display_text
                        .as_deref()
                        .unwrap_or(request.name.trim()),
                );
            p.set_opt("gateway", request.gateway.as_deref());
            p.set_opt("netmask", request.netmask.as_deref());
            scope.apply(&mut p);
            let v = client.call("createNetwork", &p).await?;
            let id = id_of(&v, "network");
            Ok(done(
                format!("Network {} created.", request.name.trim()),
                id,
            ))
        }
        Operation::NetworkUpdate { id, request } => {
            let mut p = with_id(id);
            p.set_opt("name", request.name.as_deref());
            p.set_opt("displaytext", request.display_text.as_deref());
            p.set_opt("networkofferingid", request.offering_id.as_deref());
            p.set_opt(
                "guestvmcidr",
                request.guest_vm_cidr.as_ref().map(|c| c.to_string()),
            );
            job(client, "updateNetwork", &p, opts).await?;
            Ok(done("Network updated.", Some(id.clone())))
        }
        Operation::NetworkAction { id, action } | Operation::VpcAction { id, action } => {
            let vpc = matches!(op, Operation::VpcAction { .. });
            let what = if vpc { "VPC" } else { "Network" };
            match action {
                NetworkAction::Restart { cleanup } => {
                    let command = if vpc { "restartVPC" } else { "restartNetwork" };
                    job(
                        client,
                        command,
                        &with_id(id).with("cleanup", *cleanup),
                        opts,
                    )
                    .await?;
                    Ok(done(format!("{what} restarted."), Some(id.clone())))
                }
                NetworkAction::Delete => {
                    let command = if vpc { "deleteVPC" } else { "deleteNetwork" };
                    job(client, command, &with_id(id), opts).await?;
                    Ok(done(format!("{what} deleted."), Some(id.clone())))
                }
            }
        }
        Operation::VpcCreate { request } => {
            let mut p = Params::new()
                .with("zoneid", request.zone_id.as_str())
                .with("vpcofferingid", request.offering_id.as_str())
                .with("name", request.name.trim())
                .with(
                    "displaytext",
                    request
                        .display_text
                        .as_deref()
                        .unwrap_or(request.name.trim()),
                )
                .with("cidr", request.cidr.to_string());
            scope.apply(&mut p);
            let id = job_id(client, "createVPC", p, "vpc", opts).await?;
            Ok(done(format!("VPC {} created.", request.name.trim()), id))
        }
        Operation::TierCreate { request } => {
            let mut p = Params::new()
                .with("vpcid", request.vpc_id.as_str())
                .with("networkofferingid", request.offering_id.as_str())
                .with("name", request.name.trim())
                .with("displaytext", request.name.trim())
                .with("gateway", request.gateway.as_str())
                .with("netmask", request.netmask.as_str());
            p.set_opt("aclid", request.acl_id.as_deref());
            // A tier is created in the VPC's zone, which CloudStack wants named too.
            let vpcs = client
                .list_vpcs(&akashone_cloudstack::api::ListVpcs {
                    id: Some(request.vpc_id.clone()),
                    listall: Some(true),
                    ..Default::default()
                })
                .await?;
            let zone = vpcs
                .first()
                .and_then(|v| v.zoneid.clone())
                .ok_or_else(|| Error::Refused("That VPC no longer exists.".into()))?;
            p.set("zoneid", zone);
            scope.apply(&mut p);
            let v = client.call("createNetwork", &p).await?;
            Ok(done(
                format!("Tier {} created.", request.name.trim()),
                id_of(&v, "network"),
            ))
        }
        Operation::AclRuleCreate { request } => {
            let mut used = Vec::new();
            for r in client.list_network_acls(&request.acl_id).await? {
                if let Some(n) = r.number {
                    used.push(u32::try_from(n).unwrap_or(0));
                }
            }
            let problems = request.problems(&used);
            if !problems.is_empty() {
                return Err(Error::Refused(problems.join(" ")));
            }
            let number = request
                .number
                .unwrap_or_else(|| akashone_types::network::AclRuleSpec::next_number(&used));
            let mut p = Params::new()
                .with("aclid", request.acl_id.as_str())
                .with("number", number)
                .with("protocol", request.traffic.protocol().as_str())
                .with(
                    "cidrlist",
                    akashone_types::network::cidr::cidr_list_param(&request.cidrs),
                )
                .with("action", format!("{:?}", request.action))
                .with("traffictype", format!("{:?}", request.direction));
            if let Some(r) = request
                .traffic
                .ports()
                .and_then(|s| s.ranges().first().copied())
            {
                p.set("startport", r.start);
                p.set("endport", r.end);
            }
            if let akashone_types::network::Traffic::Icmp {
                icmp_type,
                icmp_code,
            } = &request.traffic
            {
                p.set("icmptype", i64::from(*icmp_type));
                p.set("icmpcode", i64::from(*icmp_code));
            }
            p.set_opt("reason", request.reason.as_deref());
            let id = job_id(client, "createNetworkACL", p, "networkacl", opts).await?;
            Ok(done(format!("ACL rule {number} added."), id))
        }
        Operation::IpAcquire { request } => {
            let mut p = match request {
                AcquireIp::Network { network_id } => {
                    Params::new().with("networkid", network_id.as_str())
                }
                AcquireIp::Vpc { vpc_id } => Params::new().with("vpcid", vpc_id.as_str()),
            };
            scope.apply(&mut p);
            let v = job(client, "associateIpAddress", &p, opts).await?;
            let address = v
                .get("ipaddress")
                .and_then(|a| a.get("ipaddress"))
                .and_then(Value::as_str)
                .unwrap_or("A public IP")
                .to_owned();
            Ok(done(format!("{address} acquired."), id_of(&v, "ipaddress")))
        }
        Operation::IpAction { id, action } => match action {
            IpAction::Release => {
                job(client, "disassociateIpAddress", &with_id(id), opts).await?;
                Ok(done(
                    "Address released, with every rule on it.",
                    Some(id.clone()),
                ))
            }
            IpAction::EnableStaticNat {
                vm_id,
                vm_guest_ip,
                network_id,
            } => {
                let mut p = Params::new()
                    .with("ipaddressid", id.as_str())
                    .with("virtualmachineid", vm_id.as_str());
                p.set_opt("vmguestip", vm_guest_ip.as_deref());
                p.set_opt("networkid", network_id.as_deref());
                client.call("enableStaticNat", &p).await?;
                Ok(done("Static NAT on.", Some(id.clone())))
            }
            IpAction::DisableStaticNat => {
                let p = Params::new().with("ipaddressid", id.as_str());
                job(client, "disableStaticNat", &p, opts).await?;
                Ok(done("Static NAT off.", Some(id.clone())))
            }
        },
        Operation::RuleSetApply { set, ip_ids } => {
            let calls = expand(set, ip_ids).map_err(Error::Refused)?;
            let (existing, _, _) = rules_on(client, ip_ids).await?;
            let plan = diff(&calls, &existing);
            let refused: Vec<String> = plan
                .rules
                .iter()
                .filter_map(|r| match &r.change {
                    RuleChange::Conflict { reason, .. } => Some(reason.clone()),
                    _ => None,
                })
                .collect();
            if !refused.is_empty() {
                return Err(Error::Refused(refused.join(" ")));
            }
            let send = plan.to_send();
            let kept = calls.len() - send.len();
            let mut created = Vec::new();
            match create_firewall_rules(client, &send, &mut created, opts).await {
                Ok(n) => Ok(done(
                    format!(
                        "{} created, {} already there.",
                        plural(n, "firewall rule", "firewall rules"),
                        kept
                    ),
                    None,
                )),
                Err(failed) => {
                    let undone = undo(client, &created, opts).await;
                    Err(Error::RolledBack { failed, undone })
                }
            }
        }
        Operation::EgressCreate { request } => {
            let mut created = Vec::new();
            for call in request.calls() {
                match job_id(
                    client,
                    "createEgressFirewallRule",
                    params(call),
                    "firewallrule",
                    opts,
                )
                .await
                {
                    Ok(Some(id)) => created.push(("deleteEgressFirewallRule", id)),
                    Ok(None) => {}
                    Err(e) => {
                        let undone = undo(client, &created, opts).await;
                        return Err(Error::RolledBack {
                            failed: e.to_string(),
                            undone,
                        });
                    }
                }
            }
            Ok(done(
                format!(
                    "{} added.",
                    plural(created.len().max(1), "egress rule", "egress rules")
                ),
                None,
            ))
        }
        Operation::RuleDelete { kind, id } => {
            let (command, what) = match kind {
                RuleKind::Firewall => ("deleteFirewallRule", "Firewall rule"),
                RuleKind::Egress => ("deleteEgressFirewallRule", "Egress rule"),
                RuleKind::PortForward => ("deletePortForwardingRule", "Port forward"),
                RuleKind::LoadBalancer => ("deleteLoadBalancerRule", "Load balancer"),
                RuleKind::Acl => ("deleteNetworkACL", "ACL rule"),
            };
            job(client, command, &with_id(id), opts).await?;
            Ok(done(format!("{what} deleted."), Some(id.clone())))
        }
        Operation::PortForwardsCreate { specs } => {
            let mut ips: Vec<String> = specs.iter().map(|s| s.ip_address_id.clone()).collect();
            ips.sort();
            ips.dedup();
            let (fw, pf, lb) = rules_on(client, &ips).await?;
            let nat: Vec<String> = client
                .list_public_ip_addresses(&akashone_cloudstack::api::ListPublicIpAddresses {
                    listall: Some(true),
                    ..Default::default()
                })
                .await?
                .into_iter()
                .filter(|a| a.isstaticnat == Some(true))
                .filter_map(|a| a.id)
                .filter(|id| ips.contains(id))
                .collect();
            let plan = plan_port_forwards(
                specs,
                IpRules {
                    firewall: &fw,
                    port_forwards: &pf,
                    load_balancers: &lb,
                    static_nat_ips: &nat,
                },
            );
            if !plan.problems.is_empty() {
                return Err(Error::Refused(plan.problems.join(" ")));
            }
            let mut created = Vec::new();
            for f in &plan.forwards {
                match job_id(
                    client,
                    "createPortForwardingRule",
                    params(f.params()),
                    "portforwardingrule",
                    opts,
                )
                .await
                {
                    Ok(Some(id)) => created.push(("deletePortForwardingRule", id)),
                    Ok(None) => {}
                    Err(e) => {
                        let undone = undo(client, &created, opts).await;
                        return Err(Error::RolledBack {
                            failed: e.to_string(),
                            undone,
                        });
                    }
                }
            }
            let forwards = created.len();
            let send = plan.firewall.to_send();
            if let Err(failed) = create_firewall_rules(client, &send, &mut created, opts).await {
                let undone = undo(client, &created, opts).await;
                return Err(Error::RolledBack { failed, undone });
            }
            Ok(done(
                format!(
                    "{} created, each open only to its source CIDRs.",
                    plural(forwards, "port forward", "port forwards")
                ),
                None,
            ))
        }
        Operation::LoadBalancerCreate { request } => {
            let (fw, _, lb) = rules_on(client, std::slice::from_ref(&request.public_ip_id)).await?;
            let in_use: Vec<akashone_types::network::PortRange> = lb
                .iter()
                .map(|l| akashone_types::network::PortRange::single(l.public_port))
                .collect();
            let problems = request.problems(&in_use);
            if !problems.is_empty() {
                return Err(Error::Refused(problems.join(" ")));
            }
            let mut created: Vec<(&'static str, String)> = Vec::new();
            let step = async {
                let id = job_id(
                    client,
                    "createLoadBalancerRule",
                    params(request.params()),
                    "loadbalancer",
                    opts,
                )
                .await?
                .ok_or_else(|| Error::Refused("CloudStack gave the rule no id.".into()))?;
                created.push(("deleteLoadBalancerRule", id.clone()));
                let call = request.firewall_call();
                let plan = diff(std::slice::from_ref(&call), &fw);
                create_firewall_rules(client, &plan.to_send(), &mut created, opts)
                    .await
                    .map_err(Error::Refused)?;
                if !request.member_vm_ids.is_empty() {
                    let p = with_id(&id).with("virtualmachineids", request.member_vm_ids.clone());
                    job(client, "assignToLoadBalancerRule", &p, opts).await?;
                }
                if let Some(h) = &request.health_check {
                    job(
                        client,
                        "createLBHealthCheckPolicy",
                        &params(h.params(&id)),
                        opts,
                    )
                    .await?;
                }
                if let Some(s) = &request.stickiness {
                    let mut p = Params::new()
                        .with("lbruleid", id.as_str())
                        .with("methodname", s.method_name())
                        .with("name", s.name());
                    for (i, (k, v)) in s.params().into_iter().enumerate() {
                        p.set(&format!("param[{i}].name"), k);
                        p.set(&format!("param[{i}].value"), v);
                    }
                    job(client, "createLBStickinessPolicy", &p, opts).await?;
                }
                Ok::<_, Error>(id)
            }
            .await;
            match step {
                Ok(id) => Ok(done(
                    format!(
                        "Load balancer {} created over {}.",
                        request.name,
                        plural(request.member_vm_ids.len(), "VM", "VMs")
                    ),
                    Some(id),
                )),
                Err(e) => {
                    let undone = undo(client, &created, opts).await;
                    Err(Error::RolledBack {
                        failed: e.to_string(),
                        undone,
                    })
                }
            }
        }
        Operation::LoadBalancerMembers { id, add, remove } => {
            if !add.is_empty() {
                let p = with_id(id).with("virtualmachineids", add.clone());
                job(client, "assignToLoadBalancerRule", &p, opts).await?;
            }
            if !remove.is_empty() {
                let p = with_id(id).with("virtualmachineids", remove.clone());
                job(client, "removeFromLoadBalancerRule", &p, opts).await?;
            }
            Ok(done(
                format!("{} added, {} removed.", add.len(), remove.len()),
                Some(id.clone()),
            ))
        }
        Operation::VolumeCreate { request } => {
            let mut p = Params::new()
                .with("name", request.name.trim())
                .with("zoneid", request.zone_id.as_str());
            match &request.source {
                VolumeSource::Offering {
                    disk_offering_id,
                    size_gib,
                    min_iops,
                    max_iops,
                } => {
                    p.set("diskofferingid", disk_offering_id.as_str());
                    p.set_opt("size", *size_gib);
                    p.set_opt("miniops", *min_iops);
                    p.set_opt("maxiops", *max_iops);
                }
                VolumeSource::Snapshot { snapshot_id } => {
                    p.set("snapshotid", snapshot_id.as_str());
                }
            }
            scope.apply(&mut p);
            let id = job_id(client, "createVolume", p, "volume", opts).await?;
            Ok(done(format!("Volume {} created.", request.name.trim()), id))
        }
        Operation::VolumeAction { id, action } => {
            let (command, p, message) = match action {
                VolumeAction::Attach { vm_id, device_id } => {
                    let mut p = with_id(id).with("virtualmachineid", vm_id.as_str());
                    p.set_opt("deviceid", *device_id);
                    ("attachVolume", p, "Volume attached.")
                }
                VolumeAction::Detach => ("detachVolume", with_id(id), "Volume detached."),
                VolumeAction::Resize {
                    size_gib,
                    shrink_ok,
                } => {
                    let mut p = with_id(id).with("size", *size_gib);
                    if *shrink_ok {
                        p.set("shrinkok", true);
                    }
                    ("resizeVolume", p, "Volume resized.")
                }
                VolumeAction::Migrate { pool_id } => {
                    let p = Params::new()
                        .with("volumeid", id.as_str())
                        .with("storageid", pool_id.as_str())
                        .with("livemigrate", true);
                    ("migrateVolume", p, "Volume migrated.")
                }
                VolumeAction::Delete => {
                    client
                        .call("deleteVolume", &with_id(id))
                        .await
                        .map(|_| Success::default())?;
                    return Ok(done("Volume deleted.", Some(id.clone())));
                }
            };
            job(client, command, &p, opts).await?;
            Ok(done(message, Some(id.clone())))
        }
        Operation::SnapshotCreate { volume_id, name } => {
            let mut p = Params::new().with("volumeid", volume_id.as_str());
            p.set_opt("name", name.as_deref().map(str::trim));
            let id = job_id(client, "createSnapshot", p, "snapshot", opts).await?;
            Ok(done("Snapshot taken.", id))
        }
        Operation::SnapshotAction { id, action } => match action {
            SnapshotAction::Delete => {
                job(client, "deleteSnapshot", &with_id(id), opts).await?;
                Ok(done("Snapshot deleted.", Some(id.clone())))
            }
            SnapshotAction::Revert => {
                job(client, "revertSnapshot", &with_id(id), opts).await?;
                Ok(done("Volume reverted to the snapshot.", Some(id.clone())))
            }
            SnapshotAction::ToVolume { name } => {
                let mut p = Params::new()
                    .with("snapshotid", id.as_str())
                    .with("name", name.trim());
                scope.apply(&mut p);
                let new = job_id(client, "createVolume", p, "volume", opts).await?;
                Ok(done(
                    format!("Volume {} created from the snapshot.", name.trim()),
                    new,
                ))
            }
            SnapshotAction::ToTemplate { name, os_type_id } => {
                let p = Params::new()
                    .with("snapshotid", id.as_str())
                    .with("name", name.trim())
                    .with("displaytext", name.trim())
                    .with("ostypeid", os_type_id.as_str());
                let new = job_id(client, "createTemplate", p, "template", opts).await?;
                Ok(done(
                    format!("Template {} created from the snapshot.", name.trim()),
                    new,
                ))
            }
        },
        Operation::SnapshotPolicySet { volume_id, policy } => {
            let v = client
                .call("createSnapshotPolicy", &params(policy.params(volume_id)))
                .await?;
            Ok(done(
                format!("{}.", policy.describe()),
                id_of(&v, "snapshotpolicy"),
            ))
        }
        Operation::SnapshotPolicyDelete { id } => {
            client
                .call(
                    "deleteSnapshotPolicies",
                    &Params::new().with("id", id.as_str()),
                )
                .await?;
            Ok(done("Snapshot policy deleted.", Some(id.clone())))
        }
        Operation::VmSnapshotCreate { request } => {
            let mut p = Params::new()
                .with("virtualmachineid", request.vm_id.as_str())
                .with("snapshotmemory", request.memory);
            p.set_opt("name", request.name.as_deref().map(str::trim));
            p.set_opt("description", request.description.as_deref());
            if request.quiesce {
                p.set("quiescevm", true);
            }
            let id = job_id(client, "createVMSnapshot", p, "vmsnapshot", opts).await?;
            Ok(done("VM snapshot taken.", id))
        }
        Operation::VmSnapshotAction { id, action } => {
            let p = Params::new().with("vmsnapshotid", id.as_str());
            match action {
                VmSnapshotAction::Revert => {
                    job(client, "revertToVMSnapshot", &p, opts).await?;
                    Ok(done("VM reverted to the snapshot.", Some(id.clone())))
                }
                VmSnapshotAction::Delete => {
                    job(client, "deleteVMSnapshot", &p, opts).await?;
                    Ok(done("VM snapshot deleted.", Some(id.clone())))
                }
            }
        }
    }
}
