//! VPCs and network ACLs: createVPC, listVPCs, restartVPC, deleteVPC, listVPCOfferings, ACL lists
//! and their rules.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, created_reply, submit_op};
use crate::error::ApiError;
use crate::state::cidr::Cidr;
use crate::state::jobs::{Op, with_pending};
use crate::state::model::{AclItem, AclList, Vpc};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

const VPC_OFFERING: &str = "Default VPC offering";

/// The built-in `default_allow` or `default_deny` list (created with its rules on first use).
pub(crate) fn default_acl(s: &mut State, allow: bool) -> usize {
    let name = if allow {
        "default_allow"
    } else {
        "default_deny"
    };
    if let Some(i) = s
        .acl_lists
        .iter()
        .position(|l| l.vpc.is_none() && l.name == name)
    {
        return i;
    }
    let idx = s.acl_lists.len();
    let id = s.rng.uuid();
    s.acl_lists.push(AclList {
        id: id.clone(),
        name: name.into(),
        description: if allow {
            "Default Network ACL Allow All".into()
        } else {
            "Default Network ACL Deny All".into()
        },
        vpc: None,
        removed: false,
    });
    s.index(&id, Ref::AclList(idx));
    for (number, traffic) in [(1, "Ingress"), (2, "Egress")] {
        add_item(
            s,
            idx,
            number,
            "all".into(),
            (None, None),
            (None, None),
            "0.0.0.0/0".into(),
            traffic,
            if allow { "Allow" } else { "Deny" },
            None,
        );
    }
    idx
}

#[allow(clippy::too_many_arguments)]
fn add_item(
    s: &mut State,
    list: usize,
    number: u32,
    protocol: String,
    ports: (Option<u32>, Option<u32>),
    icmp: (Option<i64>, Option<i64>),
    cidrs: String,
    traffic: &'static str,
    action: &'static str,
    reason: Option<String>,
) -> usize {
    let idx = s.acl_items.len();
    let id = s.rng.uuid();
    s.acl_items.push(AclItem {
        id: id.clone(),
        list,
        number,
        protocol,
        start: ports.0,
        end: ports.1,
        icmp_type: icmp.0,
        icmp_code: icmp.1,
        cidrs,
        traffic,
        action,
        reason,
        state: "Active",
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::AclItem(idx));
    idx
}

/// The `vpc` object, with its tiers.
pub(crate) fn vpc_json(s: &State, i: usize) -> Value {
    let v = &s.vpcs[i];
    let account = &s.accounts[v.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[v.zone];
    let tiers: Vec<Value> = (0..s.networks.len())
        .filter(|&n| !s.networks[n].removed && s.networks[n].vpc == Some(i))
        .map(|n| super::networks::network_json(s, n))
        .collect();
    let services: Vec<Value> = [
        "Dhcp",
        "Dns",
        "SourceNat",
        "StaticNat",
        "NetworkACL",
        "PortForwarding",
        "Lb",
        "UserData",
        "Vpn",
    ]
    .iter()
    .map(|n| json!({ "name": n, "provider": [{ "name": "VpcVirtualRouter" }] }))
    .collect();
    let out = json!({
        "id": v.id,
        "name": v.name,
        "displaytext": v.display,
        "state": v.state,
        "zoneid": zone.id,
        "zonename": zone.name,
        "cidr": v.cidr.to_string(),
        "vpcofferingid": s.vpc_offering_id,
        "vpcofferingname": VPC_OFFERING,
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "network": tiers,
        "service": services,
        "networkdomain": v.network_domain,
        "restartrequired": false,
        "redundantvpcrouter": false,
        "regionlevelvpc": false,
        "distributedvpcrouter": false,
        "fordisplay": true,
        "publicmtu": 1500,
        "created": ts(v.created),
        "tags": [],
    });
    with_pending(out, s.pending(v.pending_job))
}

fn vpc_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let v = s.lookup(cx.p, name, |r| match r {
        Ref::Vpc(v) if !s.vpcs[v].removed => Some(v),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.vpcs[v].account, &s.vpcs[v].id)?;
    Ok(v)
}

fn rfc1918(c: &Cidr) -> bool {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .iter()
        .filter_map(|x| Cidr::parse(x))
        .any(|r| r.contains(c))
}

/// listVPCOfferings: the default offering.
pub(crate) fn list_offerings(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let shown = p.get("id").is_none_or(|x| x == s.vpc_offering_id)
        && p.get("name").is_none_or(|x| x == VPC_OFFERING)
        && keyword_match(p.get("keyword"), &[VPC_OFFERING]);
    let matching: Vec<()> = if shown { vec![()] } else { vec![] };
    page_of(p, s.knobs.max_page_size, "vpcoffering", &matching, |_| {
        json!({
            "id": s.vpc_offering_id,
            "name": VPC_OFFERING,
            "displaytext": VPC_OFFERING,
            "isdefault": true,
            "state": "Enabled",
            "distributedvpcrouter": false,
            "supportsregionLevelvpc": false,
            "fordisplay": true,
            "internetprotocol": "IPv4",
            "created": ts(s.domains[0].created),
        })
    })
}

/// createVPC (asynchronous).
pub(crate) fn create(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let name = p.required("name")?.to_string();
    let zone = cx.state.lookup(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    cx.state.lookup(p, "vpcofferingid", |r| match r {
        Ref::VpcOffering => Some(0),
        _ => None,
    })?;
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let raw = p.get("cidr").ok_or_else(|| {
        ApiError::invalid("Either cidr or cidrsize must be specified when creating a VPC")
    })?;
    let cidr = Cidr::parse(raw)
        .filter(|c| c.len <= 28)
        .ok_or_else(|| ApiError::invalid(format!("Invalid CIDR specified {raw}")))?;
    if !rfc1918(&cidr) {
        return Err(ApiError::invalid(format!(
            "Guest Cidr {raw} is not RFC 1918 compliant"
        )));
    }
    super::limits::check_held(cx.state, account, 7, 1)?;
    let s = &mut *cx.state;
    let now = OffsetDateTime::now_utc();
    let idx = s.vpcs.len();
    let id = s.rng.uuid();
    s.vpcs.push(Vpc {
        id: id.clone(),
        display: p.get("displaytext").unwrap_or(&name).to_string(),
        name: name.clone(),
        zone,
        account,
        cidr,
        network_domain: p
            .get("networkdomain")
            .map(String::from)
            .unwrap_or_else(|| format!("cs{}cloud.internal", account + 2)),
        state: "Enabled",
        created: now,
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::Vpc(idx));
    let ip = super::networks::allocate_ip(s, account, zone, None, true, now);
    s.ips[ip].vpc = Some(idx);
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.vpc.CreateVPCCmd",
        Some(("Vpc", id.clone())),
        Op::CreateVpc(idx),
    );
    cx.state.vpcs[idx].pending_job = Some(job);
    cx.state.event(
        &cx.caller,
        "VPC.CREATE",
        format!("Creating VPC {name}"),
        Some(("Vpc", id.clone(), name)),
        now,
    );
    Ok(created_reply(cx.state, &id, job))
}

/// listVPCs.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let name = p.get("name");
    let zone = p.get("zoneid");
    let state = p.get("state");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.vpcs.len())
        .filter(|&i| {
            let v = &s.vpcs[i];
            !v.removed
                && scope.allows(v.account)
                && id.is_none_or(|x| v.id == x)
                && name.is_none_or(|x| v.name == x)
                && zone.is_none_or(|x| s.zones[v.zone].id == x)
                && state.is_none_or(|x| v.state.eq_ignore_ascii_case(x))
                && keyword_match(keyword, &[&v.name, &v.display])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "vpc", &matching, |&i| {
        vpc_json(s, i)
    })
}

/// restartVPC (asynchronous).
pub(crate) fn restart(cx: &mut Ctx) -> Result<Value, ApiError> {
    let v = vpc_param(cx, "id")?;
    if cx.state.vpcs[v].state != "Enabled" {
        return Err(ApiError::invalid(format!(
            "Unable to restart VPC {}: it is in state {}",
            cx.state.vpcs[v].id, cx.state.vpcs[v].state
        )));
    }
    let id = cx.state.vpcs[v].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.vpc.RestartVPCCmd",
        Some(("Vpc", id)),
        Op::RestartVpc(v),
    );
    cx.state.vpcs[v].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// deleteVPC (asynchronous); refused while it has tiers.
pub(crate) fn delete(cx: &mut Ctx) -> Result<Value, ApiError> {
    let v = vpc_param(cx, "id")?;
    let s = &*cx.state;
    let tiers = s
        .networks
        .iter()
        .filter(|n| !n.removed && n.vpc == Some(v))
        .count();
    if tiers > 0 {
        return Err(ApiError::invalid(format!(
            "Can't delete VPC {} as its used by {tiers} networks",
            s.vpcs[v].name
        )));
    }
    let id = s.vpcs[v].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.vpc.DeleteVPCCmd",
        Some(("Vpc", id)),
        Op::DeleteVpc(v),
    );
    cx.state.vpcs[v].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// The `networkacllist` object.
fn acl_list_json(s: &State, i: usize) -> Value {
    let l = &s.acl_lists[i];
    let mut out = json!({
        "id": l.id,
        "name": l.name,
        "description": l.description,
        "fordisplay": true,
    });
    if let (Some(v), Some(o)) = (l.vpc, out.as_object_mut()) {
        o.insert("vpcid".into(), json!(s.vpcs[v].id));
        o.insert("vpcname".into(), json!(s.vpcs[v].name));
    }
    out
}

fn acl_list_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let l = s.lookup(cx.p, name, |r| match r {
        Ref::AclList(l) if !s.acl_lists[l].removed => Some(l),
        _ => None,
    })?;
    if let Some(v) = s.acl_lists[l].vpc {
        s.check_access(&cx.caller, s.vpcs[v].account, &s.acl_lists[l].id)?;
    }
    Ok(l)
}

/// createNetworkACLList (asynchronous).
pub(crate) fn create_list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let name = cx.p.required("name")?.to_string();
    let v = vpc_param(cx, "vpcid")?;
    let s = &mut *cx.state;
    let idx = s.acl_lists.len();
    let id = s.rng.uuid();
    s.acl_lists.push(AclList {
        id: id.clone(),
        description: cx.p.get("description").unwrap_or(&name).to_string(),
        name,
        vpc: Some(v),
        removed: false,
    });
    s.index(&id, Ref::AclList(idx));
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.CreateNetworkACLListCmd",
        Some(("NetworkAclList", id.clone())),
        Op::CreateAclList(idx),
    );
    Ok(created_reply(cx.state, &id, job))
}

/// listNetworkACLLists: the defaults and the lists of VPCs the caller sees.
pub(crate) fn list_lists(cx: &mut Ctx) -> Result<Value, ApiError> {
    default_acl(cx.state, true);
    default_acl(cx.state, false);
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let name = p.get("name");
    let vpc = p.get("vpcid");
    let network = p.get("networkid");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.acl_lists.len())
        .filter(|&i| {
            let l = &s.acl_lists[i];
            !l.removed
                && l.vpc.is_none_or(|v| scope.allows(s.vpcs[v].account))
                && id.is_none_or(|x| l.id == x)
                && name.is_none_or(|x| l.name == x)
                && vpc.is_none_or(|x| l.vpc.is_none_or(|v| s.vpcs[v].id == x))
                && network.is_none_or(|x| {
                    s.networks
                        .iter()
                        .any(|n| !n.removed && n.id == x && n.acl == Some(i))
                })
                && keyword_match(keyword, &[&l.name, &l.description])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "networkacllist",
        &matching,
        |&i| acl_list_json(s, i),
    )
}

/// deleteNetworkACLList (asynchronous).
pub(crate) fn delete_list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let l = acl_list_param(cx, "id")?;
    let s = &*cx.state;
    if s.acl_lists[l].vpc.is_none() {
        return Err(ApiError::invalid(
            "Default Network ACL Lists cannot be removed",
        ));
    }
    let used = s
        .networks
        .iter()
        .filter(|n| !n.removed && n.acl == Some(l))
        .count();
    if used > 0 {
        return Err(ApiError::invalid(format!(
            "ACL is still associated with {used} tier(s). Cannot delete network ACL: {}",
            s.acl_lists[l].id
        )));
    }
    let id = s.acl_lists[l].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.DeleteNetworkACLListCmd",
        Some(("NetworkAclList", id)),
        Op::DeleteAclList(l),
    );
    Ok(super::job_reply(cx.state, job))
}

/// The `networkacl` object.
fn item_json(s: &State, i: usize) -> Value {
    let r = &s.acl_items[i];
    let l = &s.acl_lists[r.list];
    let mut out = json!({
        "id": r.id,
        "protocol": r.protocol,
        "traffictype": r.traffic,
        "state": r.state,
        "cidrlist": r.cidrs,
        "number": r.number,
        "action": r.action,
        "aclid": l.id,
        "aclname": l.name,
        "fordisplay": true,
        "tags": [],
    });
    let o = out.as_object_mut().expect("object");
    if let (Some(a), Some(b)) = (r.start, r.end) {
        o.insert("startport".into(), json!(a.to_string()));
        o.insert("endport".into(), json!(b.to_string()));
    }
    if let Some(t) = r.icmp_type {
        o.insert("icmptype".into(), json!(t));
    }
    if let Some(c) = r.icmp_code {
        o.insert("icmpcode".into(), json!(c));
    }
    if let Some(reason) = &r.reason {
        o.insert("reason".into(), json!(reason));
    }
    with_pending(out, s.pending(r.pending_job))
}

fn number_taken(
    s: &State,
    list: usize,
    number: u32,
    except: Option<usize>,
) -> Result<(), ApiError> {
    if s.acl_items
        .iter()
        .enumerate()
        .any(|(i, r)| !r.removed && r.list == list && r.number == number && Some(i) != except)
    {
        return Err(ApiError::invalid(format!(
            "ACL item with number {number} already exists in ACL: {}",
            s.acl_lists[list].id
        )));
    }
    Ok(())
}

fn number_param(cx: &Ctx) -> Result<Option<u32>, ApiError> {
    match cx.p.int("number")? {
        None => Ok(None),
        Some(n) if (1..=i32::MAX as i64).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(ApiError::invalid(format!(
            "Invalid number {n}: the rule number must be a positive integer"
        ))),
    }
}

fn action_param(cx: &Ctx) -> Result<Option<&'static str>, ApiError> {
    match cx.p.get("action") {
        None => Ok(None),
        Some(a) if a.eq_ignore_ascii_case("allow") => Ok(Some("Allow")),
        Some(a) if a.eq_ignore_ascii_case("deny") => Ok(Some("Deny")),
        Some(_) => Err(ApiError::invalid(
            "Invalid action. Allowed actions are Allow and Deny",
        )),
    }
}

fn traffic_param(cx: &Ctx) -> Result<Option<&'static str>, ApiError> {
    match cx.p.get("traffictype") {
        None => Ok(None),
        Some(t) if t.eq_ignore_ascii_case("ingress") => Ok(Some("Ingress")),
        Some(t) if t.eq_ignore_ascii_case("egress") => Ok(Some("Egress")),
        Some(t) => Err(ApiError::invalid(format!(
            "Invalid traffic type {t}; valid values are Ingress and Egress"
        ))),
    }
}

fn modifiable(s: &State, list: usize) -> Result<(), ApiError> {
    if s.acl_lists[list].vpc.is_none() {
        return Err(ApiError::invalid("Default ACL cannot be modified"));
    }
    Ok(())
}

/// createNetworkACL (asynchronous).
pub(crate) fn create_item(cx: &mut Ctx) -> Result<Value, ApiError> {
    let list = if cx.p.get("aclid").is_some() {
        acl_list_param(cx, "aclid")?
    } else if cx.p.get("networkid").is_some() {
        let n = super::networks::network_param(cx, "networkid")?;
        cx.state.networks[n].acl.ok_or_else(|| {
            ApiError::invalid(format!(
                "Network {} is not a VPC tier and has no ACL",
                cx.state.networks[n].id
            ))
        })?
    } else {
        return Err(ApiError::invalid(
            "Unable to create network ACL item: either aclid or networkid must be specified",
        ));
    };
    modifiable(cx.state, list)?;
    let spec = super::addresses::rule_spec(cx, ("startport", "endport"), true, None)?;
    let (cidrs, _) = super::addresses::cidrs_param(cx, "cidrlist", "0.0.0.0/0")?;
    let traffic = traffic_param(cx)?.unwrap_or("Ingress");
    let action = action_param(cx)?.unwrap_or("Allow");
    let wanted = number_param(cx)?;
    let reason = cx.p.get("reason").map(String::from);
    let s = &mut *cx.state;
    let number = match wanted {
        Some(n) => {
            number_taken(s, list, n, None)?;
            n
        }
        None => {
            s.acl_items
                .iter()
                .filter(|r| !r.removed && r.list == list)
                .map(|r| r.number)
                .max()
                .unwrap_or(0)
                + 1
        }
    };
    let idx = add_item(
        s,
        list,
        number,
        spec.protocol,
        (spec.start, spec.end),
        (spec.icmp_type, spec.icmp_code),
        cidrs,
        traffic,
        action,
        reason,
    );
    s.acl_items[idx].state = "Add";
    let id = s.acl_items[idx].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.CreateNetworkACLCmd",
        Some(("NetworkAcl", id.clone())),
        Op::CreateAcl(idx),
    );
    cx.state.acl_items[idx].pending_job = Some(job);
    Ok(created_reply(cx.state, &id, job))
}

fn item_param(cx: &Ctx) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, "id", |r| match r {
        Ref::AclItem(i) if !s.acl_items[i].removed => Some(i),
        _ => None,
    })?;
    let list = s.acl_items[i].list;
    if let Some(v) = s.acl_lists[list].vpc {
        s.check_access(&cx.caller, s.vpcs[v].account, &s.acl_items[i].id)?;
    }
    Ok(i)
}

/// updateNetworkACLItem (asynchronous): number (reorder), action, cidrlist, reason.
pub(crate) fn update_item(cx: &mut Ctx) -> Result<Value, ApiError> {
    let i = item_param(cx)?;
    let list = cx.state.acl_items[i].list;
    modifiable(cx.state, list)?;
    let number = number_param(cx)?;
    if let Some(n) = number {
        number_taken(cx.state, list, n, Some(i))?;
    }
    let action = action_param(cx)?;
    let cidrs = match cx.p.get("cidrlist") {
        None => None,
        Some(_) => Some(super::addresses::cidrs_param(cx, "cidrlist", "")?.0),
    };
    let traffic = traffic_param(cx)?;
    let touches_spec = ["protocol", "startport", "endport", "icmptype", "icmpcode"]
        .iter()
        .any(|k| cx.p.get(k).is_some());
    let spec = if touches_spec {
        let current = cx.state.acl_items[i].protocol.clone();
        Some(super::addresses::rule_spec(
            cx,
            ("startport", "endport"),
            true,
            Some(&current),
        )?)
    } else {
        None
    };
    let id = cx.state.acl_items[i].id.clone();
    let op = Op::UpdateAcl {
        item: i,
        number,
        action,
        cidrs,
        reason: cx.p.get("reason").map(String::from),
        spec,
        traffic,
    };
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.UpdateNetworkACLItemCmd",
        Some(("NetworkAcl", id)),
        op,
    );
    cx.state.acl_items[i].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// deleteNetworkACL (asynchronous).
pub(crate) fn delete_item(cx: &mut Ctx) -> Result<Value, ApiError> {
    let i = item_param(cx)?;
    modifiable(cx.state, cx.state.acl_items[i].list)?;
    let id = cx.state.acl_items[i].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.DeleteNetworkACLCmd",
        Some(("NetworkAcl", id)),
        Op::DeleteAcl(i),
    );
    cx.state.acl_items[i].state = "Revoke";
    cx.state.acl_items[i].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// listNetworkACLs, in rule-number order.
pub(crate) fn list_items(cx: &mut Ctx) -> Result<Value, ApiError> {
    default_acl(cx.state, true);
    default_acl(cx.state, false);
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let acl = p.get("aclid");
    let network = p.get("networkid");
    let traffic = p.get("traffictype");
    let protocol = p.get("protocol");
    let action = p.get("action");
    let mut matching: Vec<usize> = (0..s.acl_items.len())
        .filter(|&i| {
            let r = &s.acl_items[i];
            let l = &s.acl_lists[r.list];
            !r.removed
                && !l.removed
                && l.vpc.is_none_or(|v| scope.allows(s.vpcs[v].account))
                && (l.vpc.is_some() || acl.is_some() || id.is_some() || network.is_some())
                && id.is_none_or(|x| r.id == x)
                && acl.is_none_or(|x| l.id == x)
                && network.is_none_or(|x| {
                    s.networks
                        .iter()
                        .any(|n| !n.removed && n.id == x && n.acl == Some(r.list))
                })
                && traffic.is_none_or(|x| r.traffic.eq_ignore_ascii_case(x))
                && protocol.is_none_or(|x| r.protocol.eq_ignore_ascii_case(x))
                && action.is_none_or(|x| r.action.eq_ignore_ascii_case(x))
        })
        .collect();
    matching.sort_by_key(|&i| (s.acl_items[i].list, s.acl_items[i].number));
    page_of(p, s.knobs.max_page_size, "networkacl", &matching, |&i| {
        item_json(s, i)
    })
}

/// replaceNetworkACLList (asynchronous): a tier gets another list of its VPC (or a default).
pub(crate) fn replace(cx: &mut Ctx) -> Result<Value, ApiError> {
    let list = acl_list_param(cx, "aclid")?;
    if cx.p.get("gatewayid").is_some() && cx.p.get("networkid").is_none() {
        return Err(ApiError::invalid_value(
            &cx.p.command_lc,
            "gatewayid",
            cx.p.get("gatewayid").unwrap_or(""),
        ));
    }
    if cx.p.get("networkid").is_none() {
        return Err(ApiError::invalid(
            "Network ID and private gateway can't be passed at the same time, or both be null",
        ));
    }
    let n = super::networks::network_param(cx, "networkid")?;
    let s = &*cx.state;
    let Some(vpc) = s.networks[n].vpc else {
        return Err(ApiError::invalid(format!(
            "Network {} is not part of a VPC",
            s.networks[n].id
        )));
    };
    if s.acl_lists[list].vpc.is_some_and(|v| v != vpc) {
        return Err(ApiError::invalid(
            "Network ACL can be replaced only with an ACL list that belongs to the same VPC",
        ));
    }
    let id = s.networks[n].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.ReplaceNetworkACLListCmd",
        Some(("Network", id)),
        Op::ReplaceAcl { network: n, list },
    );
    Ok(super::job_reply(cx.state, job))
}

/// Completes VPC and ACL operations.
pub(crate) fn complete(s: &mut State, op: Op, when: OffsetDateTime) -> Result<Value, ApiError> {
    match op {
        Op::CreateVpc(v) => {
            s.vpcs[v].pending_job = None;
            Ok(json!({ "vpc": vpc_json(s, v) }))
        }
        Op::RestartVpc(v) => {
            s.vpcs[v].pending_job = None;
            Ok(success())
        }
        Op::DeleteVpc(v) => {
            s.vpcs[v].pending_job = None;
            for ip in 0..s.ips.len() {
                if !s.ips[ip].removed && s.ips[ip].vpc == Some(v) {
                    super::addresses::release_ip(s, ip, when);
                }
            }
            for l in 0..s.acl_lists.len() {
                if s.acl_lists[l].vpc == Some(v) {
                    s.acl_lists[l].removed = true;
                    for r in s.acl_items.iter_mut().filter(|r| r.list == l) {
                        r.removed = true;
                    }
                }
            }
            s.vpcs[v].removed = true;
            s.vpcs[v].state = "Inactive";
            Ok(success())
        }
        Op::CreateAclList(l) => Ok(json!({ "networkacllist": acl_list_json(s, l) })),
        Op::DeleteAclList(l) => {
            s.acl_lists[l].removed = true;
            for r in s.acl_items.iter_mut().filter(|r| r.list == l) {
                r.removed = true;
            }
            Ok(success())
        }
        Op::CreateAcl(i) => {
            let r = &mut s.acl_items[i];
            r.pending_job = None;
            if r.removed {
                return Err(ApiError::invalid(
                    "The ACL item was removed before it was applied",
                ));
            }
            r.state = "Active";
            Ok(json!({ "networkacl": item_json(s, i) }))
        }
        Op::UpdateAcl {
            item,
            number,
            action,
            cidrs,
            reason,
            spec,
            traffic,
        } => {
            s.acl_items[item].pending_job = None;
            if let Some(n) = number {
                number_taken(s, s.acl_items[item].list, n, Some(item))?;
            }
            let r = &mut s.acl_items[item];
            if let Some(n) = number {
                r.number = n;
            }
            if let Some(a) = action {
                r.action = a;
            }
            if let Some(c) = cidrs {
                r.cidrs = c;
            }
            if reason.is_some() {
                r.reason = reason;
            }
            if let Some(t) = traffic {
                r.traffic = t;
            }
            if let Some(sp) = spec {
                r.protocol = sp.protocol;
                r.start = sp.start;
                r.end = sp.end;
                r.icmp_type = sp.icmp_type;
                r.icmp_code = sp.icmp_code;
            }
            Ok(json!({ "networkacl": item_json(s, item) }))
        }
        Op::DeleteAcl(i) => {
            s.acl_items[i].removed = true;
            s.acl_items[i].pending_job = None;
            Ok(success())
        }
        Op::ReplaceAcl { network, list } => {
            s.networks[network].acl = Some(list);
            Ok(success())
        }
        _ => unreachable!("not a VPC operation"),
    }
}
