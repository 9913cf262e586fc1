//! CloudStack's answers as the row types every front door shares.

use akashone_cloudstack::model as cs;
use akashone_types::Choice;
use akashone_types::network::{
    Cidr, EgressDefault, EgressRuleRow, FirewallRuleRow, GuestType, LbAlgorithm, LbMemberRow,
    LoadBalancerRow, NetworkRow, PortForwardRow, PortRange, Protocol, PublicIpRow, TierRow,
    Traffic, VpcRow,
};
use akashone_types::storage::{
    DiskOfferingInfo, SnapshotPolicy, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow,
    VmSnapshotType, VolumeRow, VolumeType,
};
use serde_json::Value;
use std::collections::HashMap;
use std::str::FromStr;

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// A comma-separated CIDR list as CloudStack sends it.
pub fn cidr_list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Ports and ICMP fields as CloudStack lists them: absent or zero-or-less means not given.
fn given(v: Option<i64>) -> Option<i64> {
    v.filter(|p| *p > 0)
}

fn icmp(v: Option<i64>) -> Option<i64> {
    v
}

/// What a firewall rule lets through, from CloudStack's loose fields.
pub fn traffic(
    protocol: &Option<String>,
    start: Option<i64>,
    end: Option<i64>,
    icmp_type: Option<i64>,
    icmp_code: Option<i64>,
) -> Option<Traffic> {
    let p = protocol.as_deref().unwrap_or("all").to_lowercase();
    let is_icmp = p == "icmp";
    Traffic::from_wire(
        &p,
        if is_icmp { None } else { given(start) },
        if is_icmp { None } else { given(end) },
        if is_icmp { icmp(icmp_type) } else { None },
        if is_icmp { icmp(icmp_code) } else { None },
    )
    .ok()
}

/// An ingress firewall rule; `None` when CloudStack's answer is not a rule we understand.
pub fn firewall_rule(r: &cs::FirewallRule) -> Option<FirewallRuleRow> {
    Some(FirewallRuleRow {
        id: r.id.clone()?,
        ip_address_id: text(&r.ipaddressid),
        ip_address: text(&r.ipaddress),
        traffic: traffic(&r.protocol, r.startport, r.endport, r.icmptype, r.icmpcode)?,
        cidrs: cidr_list(&r.cidrlist),
        state: text(&r.state),
    })
}

fn range(start: Option<i64>, end: Option<i64>) -> Option<PortRange> {
    let s = u16::try_from(start?).ok()?;
    let e = end.and_then(|e| u16::try_from(e).ok()).unwrap_or(s);
    PortRange::new(s, e.max(s)).ok()
}

/// A port forwarding rule.
pub fn port_forward(r: &cs::PortForwardingRule) -> Option<PortForwardRow> {
    Some(PortForwardRow {
        id: r.id.clone()?,
        ip_address_id: text(&r.ipaddressid),
        ip_address: text(&r.ipaddress),
        protocol: Protocol::from_str(r.protocol.as_deref().unwrap_or("tcp")).ok()?,
        public: range(r.publicport, r.publicendport)?,
        private: range(r.privateport, r.privateendport)?,
        vm_id: text(&r.virtualmachineid),
        vm_name: r
            .virtualmachinedisplayname
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| r.virtualmachinename.clone())
            .unwrap_or_default(),
        vm_guest_ip: r.vmguestip.clone(),
        cidrs: cidr_list(&r.cidrlist),
        state: text(&r.state),
    })
}

/// A load balancer rule without its members and policies (asked for separately).
pub fn load_balancer(r: &cs::LoadBalancerRule) -> Option<LoadBalancerRow> {
    let port = |p: &Option<String>| p.as_deref().and_then(|p| p.trim().parse::<u16>().ok());
    Some(LoadBalancerRow {
        id: r.id.clone()?,
        name: text(&r.name),
        ip_address_id: text(&r.publicipid),
        ip_address: text(&r.publicip),
        public_port: port(&r.publicport)?,
        private_port: port(&r.privateport)?,
        algorithm: match r.algorithm.as_deref().unwrap_or("roundrobin") {
            "leastconn" => LbAlgorithm::Leastconn,
            "source" => LbAlgorithm::Source,
            _ => LbAlgorithm::Roundrobin,
        },
        protocol: r.protocol.clone().unwrap_or_else(|| "tcp".into()),
        cidrs: cidr_list(&r.cidrlist),
        members: Vec::new(),
        health_check: None,
        stickiness: None,
        state: text(&r.state),
    })
}

/// A member of a load balancer rule with the addresses it is balanced on.
pub fn lb_member(m: &cs::LoadBalancerMember) -> Option<LbMemberRow> {
    let vm = m.loadbalancerruleinstance.as_ref()?;
    let field = |k: &str| vm.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Some(LbMemberRow {
        vm_id: field("id")?,
        vm_name: field("displayname")
            .filter(|n| !n.is_empty())
            .or_else(|| field("name"))
            .unwrap_or_default(),
        ip: m
            .lbvmipaddresses
            .as_ref()
            .and_then(|a| a.first().cloned())
            .or_else(|| {
                vm.get("nic")
                    .and_then(|n| n.get(0))
                    .and_then(|n| n.get("ipaddress"))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            }),
        vm_state: field("state").unwrap_or_default(),
        health: field("servicestate").filter(|s| !s.is_empty()),
    })
}

// The central server's lists (the desktop app keeps its own cache rows). Where CloudStack's
// typed models lack a field the row shows, the converter takes the raw list entry and reads the
// typed model out of it.

fn raw_text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn raw_bool(v: &Value, key: &str) -> Option<bool> {
    match v.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn some(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.trim().is_empty())
}

/// The names of the VMs with a NIC on each network (network id → names, sorted, once each).
pub fn vm_names_by_network(vms: &[cs::VirtualMachine]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for vm in vms {
        let name = vm
            .displayname
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| vm.name.clone())
            .unwrap_or_default();
        for nic in vm.nic.iter().flatten() {
            if let Some(net) = some(&nic.networkid) {
                out.entry(net).or_default().push(name.clone());
            }
        }
    }
    for names in out.values_mut() {
        names.sort();
        names.dedup();
    }
    out
}

fn guest_type(t: Option<&str>) -> GuestType {
    match t.map(str::to_ascii_lowercase).as_deref() {
        Some("shared") => GuestType::Shared,
        Some("l2") => GuestType::L2,
        _ => GuestType::Isolated,
    }
}

/// A guest network (an entry of `listNetworks`), with the VMs on it from
/// [`vm_names_by_network`].
pub fn network(v: &Value, vm_names: &HashMap<String, Vec<String>>) -> Option<NetworkRow> {
    let n = serde_json::from_value::<cs::Network>(v.clone()).ok()?;
    let id = n.id.clone()?;
    let guest_type = guest_type(n.network_type.as_deref());
    Some(NetworkRow {
        vm_names: vm_names.get(&id).cloned().unwrap_or_default(),
        id,
        name: text(&n.name),
        zone_id: text(&n.zoneid),
        zone_name: text(&n.zonename),
        cidr: n.cidr.as_deref().and_then(|c| Cidr::parse(c).ok()),
        gateway: some(&n.gateway),
        state: text(&n.state),
        guest_type,
        vpc_id: some(&n.vpcid),
        vpc_name: raw_text(v, "vpcname"),
        offering_id: text(&n.networkofferingid),
        offering_name: text(&n.networkofferingname),
        acl_id: some(&n.aclid),
        egress_default: (guest_type == GuestType::Isolated)
            .then(|| raw_bool(v, "egressdefaultpolicy"))
            .flatten()
            .map(|allow| {
                if allow {
                    EgressDefault::Allow
                } else {
                    EgressDefault::Deny
                }
            }),
    })
}

/// A tier of a VPC (an entry of the VPC's `network` list); `None` without a CIDR.
pub fn tier(v: &Value, vm_names: &HashMap<String, Vec<String>>) -> Option<TierRow> {
    let n = serde_json::from_value::<cs::Network>(v.clone()).ok()?;
    let id = n.id.clone()?;
    Some(TierRow {
        vm_names: vm_names.get(&id).cloned().unwrap_or_default(),
        id,
        name: text(&n.name),
        cidr: Cidr::parse(n.cidr.as_deref()?).ok()?,
        gateway: text(&n.gateway),
        state: text(&n.state),
        acl_id: some(&n.aclid),
        acl_name: raw_text(v, "aclname"),
    })
}

/// A VPC (an entry of `listVPCs`) with its tiers by name.
pub fn vpc(v: &Value, vm_names: &HashMap<String, Vec<String>>) -> Option<VpcRow> {
    let x = serde_json::from_value::<cs::Vpc>(v.clone()).ok()?;
    let mut tiers: Vec<TierRow> = v
        .get("network")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|t| tier(t, vm_names)).collect())
        .unwrap_or_default();
    tiers.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Some(VpcRow {
        id: x.id?,
        name: text(&x.name),
        zone_id: text(&x.zoneid),
        zone_name: text(&x.zonename),
        cidr: Cidr::parse(x.cidr.as_deref()?).ok()?,
        state: text(&x.state),
        offering_id: text(&x.vpcofferingid),
        offering_name: text(&x.vpcofferingname),
        tiers,
    })
}

/// A public IP address (an entry of `listPublicIpAddresses`).
pub fn public_ip(v: &Value) -> Option<PublicIpRow> {
    let a = serde_json::from_value::<cs::PublicIpAddress>(v.clone()).ok()?;
    let nat = a.isstaticnat.unwrap_or(false);
    Some(PublicIpRow {
        id: a.id?,
        address: text(&a.ipaddress),
        zone_id: text(&a.zoneid),
        network_id: some(&a.associatednetworkid),
        network_name: some(&a.associatednetworkname),
        vpc_id: some(&a.vpcid),
        vpc_name: raw_text(v, "vpcname"),
        source_nat: a.issourcenat.unwrap_or(false),
        static_nat_vm_id: if nat { some(&a.virtualmachineid) } else { None },
        static_nat_vm_name: if nat {
            raw_text(v, "virtualmachinedisplayname").or_else(|| some(&a.virtualmachinename))
        } else {
            None
        },
        state: text(&a.state),
    })
}

/// An egress firewall rule of a network.
pub fn egress_rule(r: &cs::FirewallRule) -> Option<EgressRuleRow> {
    Some(EgressRuleRow {
        id: r.id.clone()?,
        network_id: text(&r.networkid),
        traffic: traffic(&r.protocol, r.startport, r.endport, r.icmptype, r.icmpcode)?,
        cidrs: cidr_list(&r.cidrlist),
        dest_cidrs: cidr_list(&r.destcidrlist),
        state: text(&r.state),
    })
}

fn volume_type(t: Option<&str>) -> VolumeType {
    if t.is_some_and(|t| t.eq_ignore_ascii_case("ROOT")) {
        VolumeType::Root
    } else {
        VolumeType::Datadisk
    }
}

fn positive(v: Option<i64>) -> Option<u64> {
    v.and_then(|n| u64::try_from(n).ok()).filter(|n| *n > 0)
}

/// A volume.
pub fn volume(v: &cs::Volume) -> Option<VolumeRow> {
    let vm_id = some(&v.virtualmachineid);
    let attached = vm_id.is_some();
    Some(VolumeRow {
        id: v.id.clone()?,
        name: text(&v.name),
        volume_type: volume_type(v.volume_type.as_deref()),
        size_bytes: v.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
        zone_id: text(&v.zoneid),
        zone_name: text(&v.zonename),
        state: text(&v.state),
        offering_id: some(&v.diskofferingid),
        offering_name: some(&v.diskofferingname),
        vm_id,
        vm_name: some(&v.vmname).filter(|_| attached),
        vm_state: some(&v.vmstate).filter(|_| attached),
        device_id: v
            .deviceid
            .filter(|_| attached)
            .and_then(|d| u32::try_from(d).ok()),
        storage_pool: some(&v.storage),
        min_iops: positive(v.miniops),
        max_iops: positive(v.maxiops),
        created: text(&v.created),
    })
}

/// `PRIMARY` → `Primary`.
fn capitalised(t: &str) -> String {
    let lower = t.trim().to_ascii_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A volume snapshot (an entry of `listSnapshots`).
pub fn snapshot(v: &Value) -> Option<SnapshotRow> {
    let s = serde_json::from_value::<cs::Snapshot>(v.clone()).ok()?;
    let manual = s
        .snapshottype
        .as_deref()
        .is_none_or(|t| t.eq_ignore_ascii_case("MANUAL"));
    let snapshot_type = if manual {
        "MANUAL".to_owned()
    } else {
        some(&s.intervaltype)
            .or_else(|| some(&s.snapshottype))
            .unwrap_or_default()
            .to_ascii_uppercase()
    };
    Some(SnapshotRow {
        id: s.id?,
        name: text(&s.name),
        volume_id: text(&s.volumeid),
        volume_name: text(&s.volumename),
        volume_type: volume_type(s.volumetype.as_deref()),
        snapshot_type,
        state: text(&s.state),
        virtual_size_bytes: s
            .virtualsize
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0),
        physical_size_bytes: positive(s.physicalsize),
        zone_id: text(&s.zoneid),
        location: raw_text(v, "locationtype").map(|l| capitalised(&l)),
        created: text(&s.created),
    })
}

/// A recurring snapshot policy; `None` when its schedule is not one CloudStack writes.
pub fn snapshot_policy(p: &cs::SnapshotPolicy) -> Option<SnapshotPolicyRow> {
    let policy = SnapshotPolicy::from_cloudstack(
        p.intervaltype.as_deref()?,
        p.schedule.as_deref()?,
        p.timezone.as_deref().unwrap_or("UTC"),
        u32::try_from(p.maxsnaps.unwrap_or(0)).ok()?,
    )
    .ok()?;
    Some(SnapshotPolicyRow {
        id: p.id.clone()?,
        volume_id: text(&p.volumeid),
        policy,
    })
}

/// A VM snapshot.
pub fn vm_snapshot(s: &cs::VmSnapshot) -> Option<VmSnapshotRow> {
    let name = text(&s.name);
    Some(VmSnapshotRow {
        id: s.id.clone()?,
        display_name: some(&s.displayname).unwrap_or_else(|| name.clone()),
        name,
        description: some(&s.description),
        vm_id: text(&s.virtualmachineid),
        vm_name: text(&s.virtualmachinename),
        snapshot_type: if s
            .snapshot_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("DiskAndMemory"))
        {
            VmSnapshotType::DiskAndMemory
        } else {
            VmSnapshotType::Disk
        },
        state: text(&s.state),
        current: s.current.unwrap_or(false),
        parent_id: some(&s.parent),
        parent_name: some(&s.parentname),
        created: text(&s.created),
    })
}

/// A disk offering (an entry of `listDiskOfferings`): a fixed size unless it is customised.
pub fn disk_offering(v: &Value) -> Option<DiskOfferingInfo> {
    let o = serde_json::from_value::<cs::DiskOffering>(v.clone()).ok()?;
    let custom = o.iscustomized.unwrap_or(false);
    Some(DiskOfferingInfo {
        id: o.id?,
        name: text(&o.name),
        size_gib: if custom { None } else { positive(o.disksize) },
        custom_iops: raw_bool(v, "iscustomizediops").unwrap_or(false),
    })
}

/// A network offering as a choice of the create forms: its name, and its description when it
/// says more.
pub fn network_offering(o: &cs::NetworkOffering) -> Option<Choice> {
    let name = text(&o.name);
    Some(Choice {
        id: o.id.clone()?,
        detail: some(&o.displaytext)
            .filter(|d| *d != name)
            .unwrap_or_default(),
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use akashone_types::storage::SnapshotSchedule;
    use serde_json::json;

    fn vm(name: &str, networks: &[&str]) -> cs::VirtualMachine {
        let nics: Vec<Value> = networks.iter().map(|n| json!({"networkid": n})).collect();
        serde_json::from_value(json!({"id": name, "name": name, "nic": nics})).unwrap()
    }

    #[test]
    fn networks_with_the_vms_on_them_and_their_egress_default() {
        let names = vm_names_by_network(&[
            vm("web-2", &["n1"]),
            vm("web-1", &["n1", "n2"]),
            vm("db", &["n2"]),
        ]);
        assert_eq!(names["n1"], vec!["web-1", "web-2"]);
        let raw = json!({
            "id": "n1", "name": "web", "zoneid": "z", "zonename": "Zone 1",
            "cidr": "10.1.1.0/24", "gateway": "10.1.1.1", "state": "Implemented",
            "type": "Isolated", "networkofferingid": "o", "networkofferingname": "Isolated NAT",
            "egressdefaultpolicy": false,
        });
        let n = network(&raw, &names).unwrap();
        assert_eq!(n.cidr, Some(Cidr::parse("10.1.1.0/24").unwrap()));
        assert_eq!(n.gateway.as_deref(), Some("10.1.1.1"));
        assert_eq!(n.guest_type, GuestType::Isolated);
        assert_eq!(n.egress_default, Some(EgressDefault::Deny));
        assert_eq!(n.vm_names, vec!["web-1", "web-2"]);
        assert_eq!((n.vpc_id, n.acl_id), (None, None));

        let l2 = network(
            &json!({"id": "n3", "type": "L2", "egressdefaultpolicy": true}),
            &names,
        )
        .unwrap();
        assert_eq!(l2.guest_type, GuestType::L2);
        assert_eq!((l2.cidr, l2.gateway, l2.egress_default), (None, None, None));
        assert!(l2.vm_names.is_empty());
        assert!(network(&json!({"name": "no id"}), &names).is_none());
    }

    #[test]
    fn vpcs_nest_their_tiers_by_name() {
        let names = vm_names_by_network(&[vm("app-1", &["t2"])]);
        let raw = json!({
            "id": "v", "name": "prod", "zoneid": "z", "cidr": "10.0.0.0/16", "state": "Enabled",
            "vpcofferingid": "vo", "vpcofferingname": "Default VPC offering",
            "network": [
                {"id": "t2", "name": "b-app", "cidr": "10.0.2.0/24", "gateway": "10.0.2.1",
                 "aclid": "acl", "aclname": "default_allow", "state": "Implemented"},
                {"id": "t1", "name": "a-web", "cidr": "10.0.1.0/24", "gateway": "10.0.1.1"},
                {"id": "broken", "name": "no cidr"},
            ],
        });
        let v = vpc(&raw, &names).unwrap();
        assert_eq!(v.cidr, Cidr::parse("10.0.0.0/16").unwrap());
        let tiers: Vec<&str> = v.tiers.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(tiers, vec!["a-web", "b-app"]);
        assert_eq!(v.tiers[1].acl_name.as_deref(), Some("default_allow"));
        assert_eq!(v.tiers[1].vm_names, vec!["app-1"]);
        assert!(vpc(&json!({"id": "v", "cidr": "not a cidr"}), &names).is_none());
    }

    #[test]
    fn public_ips_show_static_nat_only_when_on() {
        let raw = json!({
            "id": "ip", "ipaddress": "203.0.113.7", "zoneid": "z", "state": "Allocated",
            "issourcenat": false, "isstaticnat": true, "associatednetworkid": "n1",
            "associatednetworkname": "web", "virtualmachineid": "vm",
            "virtualmachinename": "i-2-7-VM", "virtualmachinedisplayname": "web-1",
        });
        let ip = public_ip(&raw).unwrap();
        assert_eq!(ip.address, "203.0.113.7");
        assert_eq!(ip.network_id.as_deref(), Some("n1"));
        assert_eq!(ip.static_nat_vm_id.as_deref(), Some("vm"));
        assert_eq!(ip.static_nat_vm_name.as_deref(), Some("web-1"));
        let mut off = raw.clone();
        off["isstaticnat"] = json!(false);
        let ip = public_ip(&off).unwrap();
        assert_eq!((ip.static_nat_vm_id, ip.static_nat_vm_name), (None, None));
    }

    #[test]
    fn egress_rules_keep_source_and_destination_cidrs() {
        let r: cs::FirewallRule = serde_json::from_value(json!({
            "id": "e", "networkid": "n1", "protocol": "tcp", "startport": 443, "endport": 443,
            "cidrlist": "10.1.1.0/24", "destcidrlist": "0.0.0.0/0, 192.0.2.0/24",
            "state": "Active",
        }))
        .unwrap();
        let e = egress_rule(&r).unwrap();
        assert_eq!(e.network_id, "n1");
        assert_eq!(e.cidrs, vec!["10.1.1.0/24"]);
        assert_eq!(e.dest_cidrs, vec!["0.0.0.0/0", "192.0.2.0/24"]);
        assert_eq!(e.traffic.protocol(), Protocol::Tcp);
    }

    #[test]
    fn volumes_attached_or_not() {
        let v: cs::Volume = serde_json::from_value(json!({
            "id": "vol", "name": "data", "type": "DATADISK", "size": 21_474_836_480_i64,
            "zoneid": "z", "zonename": "Zone 1", "state": "Ready",
            "diskofferingid": "do", "diskofferingname": "Medium", "virtualmachineid": "vm",
            "vmname": "web-1", "vmstate": "Running", "deviceid": 1, "storage": "pool-1",
            "miniops": 0, "maxiops": 1000, "created": "2026-01-01T00:00:00+0000",
        }))
        .unwrap();
        let row = volume(&v).unwrap();
        assert_eq!(row.volume_type, VolumeType::Datadisk);
        assert_eq!(row.size_bytes, 20 * (1 << 30));
        assert_eq!(row.device_id, Some(1));
        assert_eq!(row.vm_name.as_deref(), Some("web-1"));
        assert_eq!((row.min_iops, row.max_iops), (None, Some(1000)));
        let loose: cs::Volume = serde_json::from_value(json!({
            "id": "vol2", "type": "ROOT", "deviceid": 0, "vmname": "gone",
        }))
        .unwrap();
        let row = volume(&loose).unwrap();
        assert_eq!(row.volume_type, VolumeType::Root);
        assert!(!row.attached());
        assert_eq!((row.device_id, row.vm_name), (None, None));
    }

    #[test]
    fn snapshots_say_manual_or_their_interval() {
        let raw = json!({
            "id": "s", "name": "data_DAILY", "volumeid": "vol", "volumename": "data",
            "volumetype": "DATADISK", "snapshottype": "RECURRING", "intervaltype": "daily",
            "state": "BackedUp", "virtualsize": 1024, "physicalsize": 0, "zoneid": "z",
            "locationtype": "PRIMARY", "created": "c",
        });
        let s = snapshot(&raw).unwrap();
        assert_eq!(s.snapshot_type, "DAILY");
        assert_eq!(s.location.as_deref(), Some("Primary"));
        assert_eq!((s.virtual_size_bytes, s.physical_size_bytes), (1024, None));
        let mut manual = raw.clone();
        manual["snapshottype"] = json!("MANUAL");
        assert_eq!(snapshot(&manual).unwrap().snapshot_type, "MANUAL");
    }

    #[test]
    fn snapshot_policies_read_cloudstacks_numbered_intervals() {
        let p: cs::SnapshotPolicy = serde_json::from_value(json!({
            "id": "p", "volumeid": "vol", "intervaltype": 1, "schedule": "30:02",
            "timezone": "Asia/Kolkata", "maxsnaps": 7,
        }))
        .unwrap();
        let row = snapshot_policy(&p).unwrap();
        assert_eq!(
            row.policy.schedule,
            SnapshotSchedule::Daily {
                minute: 30,
                hour: 2
            }
        );
        assert_eq!((row.policy.max_snaps, row.volume_id.as_str()), (7, "vol"));
        let bad: cs::SnapshotPolicy =
            serde_json::from_value(json!({"id": "p", "intervaltype": "DAILY", "schedule": "x"}))
                .unwrap();
        assert!(snapshot_policy(&bad).is_none());
    }

    #[test]
    fn vm_snapshots_and_disk_offerings() {
        let s: cs::VmSnapshot = serde_json::from_value(json!({
            "id": "vs", "name": "before-upgrade", "type": "DiskAndMemory", "state": "Ready",
            "current": true, "virtualmachineid": "vm", "virtualmachinename": "web-1",
            "parent": "vs0", "parentName": "first",
        }))
        .unwrap();
        let row = vm_snapshot(&s).unwrap();
        assert_eq!(row.snapshot_type, VmSnapshotType::DiskAndMemory);
        assert_eq!(row.display_name, "before-upgrade");
        assert_eq!(row.parent_name.as_deref(), Some("first"));
        assert!(row.current);

        let fixed = disk_offering(&json!({"id": "d", "name": "Small", "disksize": 5,
            "iscustomized": false}))
        .unwrap();
        assert_eq!((fixed.size_gib, fixed.custom_iops), (Some(5), false));
        let custom = disk_offering(&json!({"id": "c", "name": "Custom", "disksize": 0,
            "iscustomized": true, "iscustomizediops": true}))
        .unwrap();
        assert_eq!((custom.size_gib, custom.custom_iops), (None, true));

        let o: cs::NetworkOffering = serde_json::from_value(json!({
            "id": "o", "name": "Isolated NAT", "displaytext": "Isolated with source NAT",
        }))
        .unwrap();
        let c = network_offering(&o).unwrap();
        assert_eq!(
            (c.name.as_str(), c.detail.as_str()),
            ("Isolated NAT", "Isolated with source NAT")
        );
    }
}
