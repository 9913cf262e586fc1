//! Networks and storage through the server: listed from the tenant's CloudStack account only,
//! changed with `POST /api/operations` in that account only, with the right permission only,
//! refused with reasons before CloudStack is asked, and every operation audited.

use akashone_types::network::forward::PortForwardSpec;
use akashone_types::network::lb::{LbProtocol, LoadBalancerSpec};
use akashone_types::network::rules::{EgressRuleSpec, RuleSet, RuleSpec};
use akashone_types::network::{
    AclAction, AclRuleSpec, AcquireIp, Cidr, CreateNetwork, CreateTier, CreateVpc, EgressRuleRow,
    FirewallRuleRow, IpAction, LbAlgorithm, LbMemberRow, LoadBalancerRow, NetworkAction,
    NetworkRow, PortForwardRow, PortRange, PortSpec, Protocol, PublicIpRow, Traffic,
    TrafficDirection, VpcRow,
};
use akashone_types::ops::{Operation, RuleKind};
use akashone_types::storage::{
    CreateVmSnapshot, CreateVolume, DiskOfferingInfo, SnapshotPolicy, SnapshotPolicyRow,
    SnapshotRow, SnapshotSchedule, VmSnapshotAction, VmSnapshotRow, VmSnapshotType, VolumeAction,
    VolumeRow, VolumeSource, VolumeType,
};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::support::{Backend, Reply, TestApp, on_both, spawn_on};

/// Sends `op` as `token`'s user (for `tenant` when given).
pub async fn op(app: &TestApp, token: &str, op: &Operation) -> Reply {
    send(app, token, serde_json::to_value(op).unwrap()).await
}

async fn send(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post(token, "/api/operations", body).await
}

/// Runs `o` and returns the id of what it created.
async fn done(app: &TestApp, token: &str, o: &Operation) -> Option<String> {
    let r = op(app, token, o).await;
    assert_eq!(r.status, StatusCode::OK, "{}: {}", o.name(), r.text);
    assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    r.body["id"].as_str().map(str::to_owned)
}

/// A list of `path`, typed.
async fn list<T: DeserializeOwned>(app: &TestApp, token: &str, path: &str) -> Vec<T> {
    let r = app.get(token, path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
    serde_json::from_value(r.body).unwrap_or_else(|e| panic!("{path}: {e}: {}", r.text))
}

fn cidr(c: &str) -> Cidr {
    c.parse().unwrap()
}

/// The network the VM named `vm_name` has its NIC on, as `token` lists it.
async fn network_of(app: &TestApp, token: &str, vm_name: &str) -> NetworkRow {
    let nets: Vec<NetworkRow> = list(app, token, "/api/networks").await;
    nets.into_iter()
        .find(|n| n.vm_names.iter().any(|v| v == vm_name))
        .unwrap_or_else(|| panic!("no network has {vm_name}"))
}

/// A new load balancer `name` (TCP 80 from 198.51.100.0/24) over the VMs (deploy answers),
/// on a new address of the first VM's network; its id.
pub async fn load_balancer_over(app: &TestApp, token: &str, name: &str, vms: &[&Value]) -> String {
    let net = network_of(app, token, vms[0]["name"].as_str().unwrap()).await;
    let ip = done(
        app,
        token,
        &Operation::IpAcquire {
            request: AcquireIp::Network { network_id: net.id },
        },
    )
    .await
    .expect("the address's id");
    done(
        app,
        token,
        &Operation::LoadBalancerCreate {
            request: LoadBalancerSpec {
                name: name.into(),
                public_ip_id: ip,
                public_port: 80,
                private_port: 8080,
                algorithm: LbAlgorithm::Roundrobin,
                protocol: LbProtocol::Tcp,
                cidrs: vec![cidr("198.51.100.0/24")],
                member_vm_ids: vms
                    .iter()
                    .map(|v| v["id"].as_str().unwrap().to_owned())
                    .collect(),
                health_check: None,
                stickiness: None,
            },
        },
    )
    .await
    .expect("the load balancer's id")
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn a_customer_works_on_its_own_networks_and_storage_only(backend: Backend) {
    let app = spawn_on(backend).await;
    // A reseller with two customers; the first has an admin and a viewer.
    let reseller = app.tenant(&app.admin, None, "Reseller").await;
    let rid = id(&reseller);
    let one = app.tenant(&app.admin, Some(&rid), "Customer One").await;
    let two = app.tenant(&app.admin, Some(&rid), "Customer Two").await;
    let (one_id, two_id) = (id(&one), id(&two));
    let admin1 = app
        .user(&app.admin, &one_id, "one-admin", "customer-admin")
        .await;
    let viewer1 = app.user(&admin1, &one_id, "one-viewer", "viewer").await;
    let admin2 = app
        .user(&app.admin, &two_id, "two-admin", "customer-admin")
        .await;
    let web1 = app.deploy(&admin1, "web-1").await;
    let web2 = app.deploy(&admin1, "web-2").await;
    let other = app.deploy(&admin2, "two-vm").await;
    let zone = app.catalog(&admin1).await.0;

    // Each customer lists its own network (with its VMs), addresses and volumes only.
    let home = network_of(&app, &admin1, "web-1").await;
    assert_eq!(home.vm_names, vec!["web-1", "web-2"]);
    let nets1: Vec<NetworkRow> = list(&app, &admin1, "/api/networks").await;
    let nets2: Vec<NetworkRow> = list(&app, &admin2, "/api/networks").await;
    assert_eq!(nets2.len(), 1, "{nets2:?}");
    assert_eq!(nets2[0].vm_names, vec!["two-vm"]);
    assert!(nets1.iter().all(|n| nets2.iter().all(|m| m.id != n.id)));
    let ips1: Vec<PublicIpRow> = list(&app, &admin1, "/api/public-ips").await;
    let ips2: Vec<PublicIpRow> = list(&app, &admin2, "/api/public-ips").await;
    assert!(ips1.iter().any(|i| i.source_nat), "{ips1:?}");
    assert!(ips1.iter().all(|i| ips2.iter().all(|j| j.id != i.id)));
    let vols1: Vec<VolumeRow> = list(&app, &admin1, "/api/volumes").await;
    let vols2: Vec<VolumeRow> = list(&app, &admin2, "/api/volumes").await;
    assert_eq!(vols1.len(), 2, "{vols1:?}");
    assert!(vols1.iter().all(|v| v.volume_type == VolumeType::Root));
    assert_eq!(vols2.len(), 1);
    assert_eq!(vols2[0].vm_name.as_deref(), Some("two-vm"));
    // Above them: the reseller's own account has none of its customers' (as for clusters); the
    // platform's lists leave out what is in its tenants' domains, and show a customer's when
    // asked for that customer.
    let reseller_admin = app
        .user(&app.admin, &rid, "reseller-admin", "reseller-admin")
        .await;
    let theirs: Vec<NetworkRow> = list(&app, &reseller_admin, "/api/networks").await;
    assert!(theirs.is_empty(), "{theirs:?}");
    let platform: Vec<VolumeRow> = list(&app, &app.admin, "/api/volumes").await;
    assert!(
        platform
            .iter()
            .all(|v| vols1.iter().chain(&vols2).all(|w| w.id != v.id)),
        "{platform:?}"
    );
    let asked: Vec<VolumeRow> =
        list(&app, &app.admin, &format!("/api/volumes?tenantId={one_id}")).await;
    assert_eq!(asked, vols1);
    let peek = app
        .get(&admin2, &format!("/api/networks?tenantId={one_id}"))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND, "{}", peek.text);

    // A new network, from an offering of the zone.
    let offerings = app
        .get(&admin1, &format!("/api/network-offerings?zoneId={zone}"))
        .await;
    assert_eq!(offerings.status, StatusCode::OK, "{}", offerings.text);
    let offering = offerings.body[0]["id"]
        .as_str()
        .expect("an offering")
        .to_owned();
    let backend_net = done(
        &app,
        &admin1,
        &Operation::NetworkCreate {
            request: CreateNetwork {
                zone_id: zone.clone(),
                offering_id: offering,
                name: "backend".into(),
                display_text: None,
                gateway: Some("10.50.0.1".into()),
                netmask: Some("255.255.255.0".into()),
            },
        },
    )
    .await
    .expect("the network's id");
    let nets1: Vec<NetworkRow> = list(&app, &admin1, "/api/networks").await;
    let created = nets1.iter().find(|n| n.id == backend_net).expect("listed");
    assert_eq!(created.name, "backend");
    assert_eq!(created.cidr, Some(cidr("10.50.0.0/24")));

    // An address on the VMs' network, and a rule set on it: TCP 22 and 443 from one CIDR.
    let ip = done(
        &app,
        &admin1,
        &Operation::IpAcquire {
            request: AcquireIp::Network {
                network_id: home.id.clone(),
            },
        },
    )
    .await
    .expect("the address's id");
    let office = cidr("198.51.100.0/24");
    let rules = Operation::RuleSetApply {
        set: RuleSet {
            name: "ssh and https".into(),
            rules: vec![RuleSpec {
                traffic: Traffic::Tcp {
                    ports: PortSpec::parse("22, 443").unwrap(),
                },
                cidrs: vec![office],
            }],
        },
        ip_ids: vec![ip.clone()],
    };
    let r = op(&app, &admin1, &rules).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["message"], "2 firewall rules created, 0 already there.",
        "{}",
        r.text
    );
    let fw: Vec<FirewallRuleRow> = list(&app, &admin1, "/api/firewall-rules").await;
    let mut on_ip: Vec<String> = fw
        .iter()
        .filter(|f| f.ip_address_id == ip)
        .map(|f| {
            assert_eq!(f.cidrs, vec!["198.51.100.0/24"], "{f:?}");
            match &f.traffic {
                Traffic::Tcp { ports } => ports.to_string(),
                t => panic!("not TCP: {t:?}"),
            }
        })
        .collect();
    on_ip.sort();
    assert_eq!(on_ip, vec!["22", "443"]);
    // Again: nothing new.
    let r = op(&app, &admin1, &rules).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "0 firewall rules created, 2 already there."
    );

    // SSH on 2222 to web-1.
    let web1_id = id(&web1);
    done(
        &app,
        &admin1,
        &Operation::PortForwardsCreate {
            specs: vec![PortForwardSpec {
                ip_address_id: ip.clone(),
                protocol: Protocol::Tcp,
                public: PortRange::single(2222),
                private: PortRange::single(22),
                vm_id: web1_id.clone(),
                vm_guest_ip: None,
                network_id: None,
                cidrs: vec![office],
            }],
        },
    )
    .await;
    let pf: Vec<PortForwardRow> = list(&app, &admin1, "/api/port-forwards").await;
    assert_eq!(pf.len(), 1, "{pf:?}");
    assert_eq!((pf[0].public.start, pf[0].private.start), (2222, 22));
    assert_eq!(
        (pf[0].vm_id.as_str(), pf[0].vm_name.as_str()),
        (web1_id.as_str(), "web-1")
    );

    // A load balancer over both VMs, on an address of its own.
    let lb = load_balancer_over(&app, &admin1, "web-lb", &[&web1, &web2]).await;
    let lbs: Vec<LoadBalancerRow> = list(&app, &admin1, "/api/load-balancers").await;
    assert_eq!(lbs.len(), 1);
    assert_eq!(
        (lbs[0].id.as_str(), lbs[0].name.as_str()),
        (lb.as_str(), "web-lb")
    );
    assert_eq!((lbs[0].public_port, lbs[0].private_port), (80, 8080));
    let members: Vec<LbMemberRow> =
        list(&app, &admin1, &format!("/api/load-balancers/{lb}/members")).await;
    let names: Vec<&str> = members.iter().map(|m| m.vm_name.as_str()).collect();
    assert_eq!(names, vec!["web-1", "web-2"]);

    // A data volume: created, attached, snapshotted, on a daily policy.
    let disks: Vec<DiskOfferingInfo> = list(&app, &admin1, "/api/disk-offerings").await;
    let small = disks
        .iter()
        .find(|d| d.name == "Small Disk")
        .expect("Small Disk");
    assert_eq!(small.size_gib, Some(10));
    assert!(
        disks.iter().any(|d| d.size_gib.is_none()),
        "a custom one: {disks:?}"
    );
    let vol = done(
        &app,
        &admin1,
        &Operation::VolumeCreate {
            request: CreateVolume {
                name: "data-1".into(),
                zone_id: zone.clone(),
                source: VolumeSource::Offering {
                    disk_offering_id: small.id.clone(),
                    size_gib: None,
                    min_iops: None,
                    max_iops: None,
                },
            },
        },
    )
    .await
    .expect("the volume's id");
    done(
        &app,
        &admin1,
        &Operation::VolumeAction {
            id: vol.clone(),
            action: VolumeAction::Attach {
                vm_id: web1_id.clone(),
                device_id: None,
            },
        },
    )
    .await;
    let vols1: Vec<VolumeRow> = list(&app, &admin1, "/api/volumes").await;
    let data = vols1.iter().find(|v| v.id == vol).expect("listed");
    assert_eq!(data.volume_type, VolumeType::Datadisk);
    assert_eq!(data.size_bytes, 10 << 30);
    assert_eq!(data.vm_name.as_deref(), Some("web-1"));
    done(
        &app,
        &admin1,
        &Operation::SnapshotCreate {
            volume_id: vol.clone(),
            name: Some("data-1-first".into()),
        },
    )
    .await;
    let snaps: Vec<SnapshotRow> = list(&app, &admin1, "/api/snapshots").await;
    assert!(
        snaps
            .iter()
            .any(|s| s.volume_id == vol && s.snapshot_type == "MANUAL"),
        "{snaps:?}"
    );
    let daily = SnapshotPolicy {
        schedule: SnapshotSchedule::Daily {
            minute: 30,
            hour: 2,
        },
        time_zone: "Asia/Kolkata".into(),
        max_snaps: 7,
    };
    done(
        &app,
        &admin1,
        &Operation::SnapshotPolicySet {
            volume_id: vol.clone(),
            policy: daily.clone(),
        },
    )
    .await;
    let policies: Vec<SnapshotPolicyRow> = list(&app, &admin1, "/api/snapshot-policies").await;
    assert_eq!(policies.len(), 1, "{policies:?}");
    assert_eq!(
        (policies[0].volume_id.as_str(), &policies[0].policy),
        (vol.as_str(), &daily)
    );

    // The forward and the load balancer opened their ports to their CIDR only.
    let fw: Vec<FirewallRuleRow> = list(&app, &admin1, "/api/firewall-rules").await;
    assert_eq!(fw.len(), 4, "22, 443, 2222 and 80: {fw:?}");
    assert!(
        fw.iter().all(|f| f.cidrs == vec!["198.51.100.0/24"]),
        "{fw:?}"
    );

    // The sibling sees none of it, and whatever it names of the first customer is not found,
    // in the words of an id that does not exist.
    for path in [
        "/api/networks",
        "/api/public-ips",
        "/api/firewall-rules",
        "/api/port-forwards",
        "/api/load-balancers",
        "/api/volumes",
        "/api/snapshots",
        "/api/snapshot-policies",
    ] {
        let r = app.get(&admin2, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        for secret in [&backend_net, &ip, &lb, &vol, &"web-1".to_owned()] {
            assert!(
                !r.text.contains(secret.as_str()),
                "{path} shows {secret}: {}",
                r.text
            );
        }
    }
    let r = app
        .get(&admin2, &format!("/api/load-balancers/{lb}/members"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let other_vm = id(&other);
    let two_net = nets2[0].id.clone();
    let probes = [
        (
            Operation::NetworkAction {
                id: backend_net.clone(),
                action: NetworkAction::Delete,
            },
            "Network",
            backend_net.clone(),
        ),
        (
            Operation::IpAction {
                id: ip.clone(),
                action: IpAction::Release,
            },
            "Public IP",
            ip.clone(),
        ),
        (
            Operation::IpAction {
                id: ip.clone(),
                action: IpAction::EnableStaticNat {
                    vm_id: other_vm.clone(),
                    vm_guest_ip: None,
                    network_id: None,
                },
            },
            "Public IP",
            ip.clone(),
        ),
        (
            Operation::IpAcquire {
                request: AcquireIp::Network {
                    network_id: home.id.clone(),
                },
            },
            "Network",
            home.id.clone(),
        ),
        (
            Operation::VolumeAction {
                id: vol.clone(),
                action: VolumeAction::Delete,
            },
            "Volume",
            vol.clone(),
        ),
        (
            Operation::VolumeAction {
                id: vol.clone(),
                action: VolumeAction::Detach,
            },
            "Volume",
            vol.clone(),
        ),
        (
            Operation::SnapshotCreate {
                volume_id: vol.clone(),
                name: None,
            },
            "Volume",
            vol.clone(),
        ),
        (
            Operation::LoadBalancerMembers {
                id: lb.clone(),
                add: vec![other_vm.clone()],
                remove: vec![],
            },
            "Load balancer",
            lb.clone(),
        ),
        (
            Operation::SnapshotPolicyDelete {
                id: policies[0].id.clone(),
            },
            "Snapshot policy",
            policies[0].id.clone(),
        ),
        (
            Operation::RuleDelete {
                kind: RuleKind::Firewall,
                id: fw[0].id.clone(),
            },
            "Firewall rule",
            fw[0].id.clone(),
        ),
        (
            Operation::RuleDelete {
                kind: RuleKind::PortForward,
                id: pf[0].id.clone(),
            },
            "Port forward",
            pf[0].id.clone(),
        ),
        (
            Operation::RuleDelete {
                kind: RuleKind::LoadBalancer,
                id: lb.clone(),
            },
            "Load balancer",
            lb.clone(),
        ),
        (
            Operation::RuleSetApply {
                set: RuleSet::preset("ssh", vec![office]).unwrap(),
                ip_ids: vec![ip.clone()],
            },
            "Public IP",
            ip.clone(),
        ),
    ];
    for (o, what, target) in &probes {
        let r = op(&app, &admin2, o).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: {}", o.name(), r.text);
        assert_eq!(r.body["code"], "not_found");
        assert_eq!(r.body["message"], format!("{what} {target} was not found."));
    }
    // A made-up id reads the same.
    let r = op(
        &app,
        &admin2,
        &Operation::VolumeAction {
            id: "00000000-0000-0000-0000-000000000000".into(),
            action: VolumeAction::Delete,
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(
        r.body["message"],
        "Volume 00000000-0000-0000-0000-000000000000 was not found."
    );
    // Its own volume attached to the first customer's VM: the VM is not found.
    let own_vol = vols2[0].id.clone();
    let r = op(
        &app,
        &admin2,
        &Operation::VolumeAction {
            id: own_vol,
            action: VolumeAction::Attach {
                vm_id: web1_id.clone(),
                device_id: None,
            },
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(r.body["message"], format!("VM {web1_id} was not found."));
    // Nor through the first customer's tenant id.
    let r = app
        .post(
            &admin2,
            &format!("/api/operations?tenantId={one_id}"),
            serde_json::to_value(&probes[0].0).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // Nothing changed.
    let nets1: Vec<NetworkRow> = list(&app, &admin1, "/api/networks").await;
    assert!(nets1.iter().any(|n| n.id == backend_net));
    let ips1: Vec<PublicIpRow> = list(&app, &admin1, "/api/public-ips").await;
    assert!(
        ips1.iter()
            .any(|i| i.id == ip && i.static_nat_vm_id.is_none())
    );
    let vols1: Vec<VolumeRow> = list(&app, &admin1, "/api/volumes").await;
    assert!(
        vols1
            .iter()
            .any(|v| v.id == vol && v.vm_id.as_deref() == Some(web1_id.as_str()))
    );
    let members: Vec<LbMemberRow> =
        list(&app, &admin1, &format!("/api/load-balancers/{lb}/members")).await;
    assert_eq!(members.len(), 2);
    let policies: Vec<SnapshotPolicyRow> = list(&app, &admin1, "/api/snapshot-policies").await;
    assert_eq!(policies.len(), 1);
    assert_eq!(
        list::<FirewallRuleRow>(&app, &admin1, "/api/firewall-rules").await,
        fw
    );
    assert_eq!(
        list::<PortForwardRow>(&app, &admin1, "/api/port-forwards").await,
        pf
    );
    assert!(
        list::<NetworkRow>(&app, &admin2, "/api/networks")
            .await
            .iter()
            .all(|n| n.id == two_net)
    );

    // Detached and deleted.
    done(
        &app,
        &admin1,
        &Operation::VolumeAction {
            id: vol.clone(),
            action: VolumeAction::Detach,
        },
    )
    .await;
    let vols1: Vec<VolumeRow> = list(&app, &admin1, "/api/volumes").await;
    assert!(vols1.iter().any(|v| v.id == vol && v.vm_id.is_none()));
    done(
        &app,
        &admin1,
        &Operation::VolumeAction {
            id: vol.clone(),
            action: VolumeAction::Delete,
        },
    )
    .await;
    let vols1: Vec<VolumeRow> = list(&app, &admin1, "/api/volumes").await;
    assert!(vols1.iter().all(|v| v.id != vol), "{vols1:?}");

    // A viewer reads but does not change.
    let seen: Vec<NetworkRow> = list(&app, &viewer1, "/api/networks").await;
    assert!(seen.iter().any(|n| n.id == backend_net));
    let _: Vec<VolumeRow> = list(&app, &viewer1, "/api/volumes").await;
    let r = op(
        &app,
        &viewer1,
        &Operation::NetworkAction {
            id: backend_net.clone(),
            action: NetworkAction::Delete,
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.body["code"], "forbidden");
    // A role with storage.operate only may not change networks.
    let storage_only = app
        .post(
            &admin1,
            "/api/roles",
            json!({"name": "Storage operator", "permissions": ["storage.read", "storage.operate"]}),
        )
        .await;
    assert_eq!(
        storage_only.status,
        StatusCode::CREATED,
        "{}",
        storage_only.text
    );
    let keeper = app
        .user(&admin1, &one_id, "one-storage", &id(&storage_only.body))
        .await;
    let r = op(
        &app,
        &keeper,
        &Operation::NetworkAction {
            id: backend_net.clone(),
            action: NetworkAction::Delete,
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("network.operate"), "{}", r.text);
    let r = app.get(&keeper, "/api/networks").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("network.read"), "{}", r.text);

    // Every operation is in the audit log under its name and resource, failures too.
    let audit = app.get(&admin1, "/api/audit?limit=500").await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let rows = audit.body.as_array().unwrap();
    let has = |action: &str, target: &str, ok: bool| {
        rows.iter().any(|r| {
            r["action"] == action
                && r["target"] == target
                && r["tenantId"] == one_id.as_str()
                && (r["result"] == "ok") == ok
        })
    };
    let snap = snaps
        .iter()
        .find(|s| s.volume_id == vol)
        .unwrap()
        .id
        .clone();
    for (action, target) in [
        ("network.create", backend_net.clone()),
        ("ip.acquire", format!("{} → {ip}", home.id)),
        ("firewall.apply", ip.clone()),
        ("portforward.create", format!("{ip}, {web1_id}")),
        (
            "lb.create",
            format!("{}, {web1_id}, {} → {lb}", lbs[0].ip_address_id, id(&web2)),
        ),
        ("volume.create", vol.clone()),
        ("volume.attach", format!("{vol}, {web1_id}")),
        ("snapshot.create", format!("{vol} → {snap}")),
        ("snapshot.policy.set", format!("{vol} → {}", policies[0].id)),
        ("volume.detach", vol.clone()),
        ("volume.delete", vol.clone()),
    ] {
        assert!(
            has(action, &target, true),
            "{action} {target} in {}",
            audit.text
        );
    }
    let theirs = app.get(&admin2, "/api/audit?limit=500").await;
    let rows2 = theirs.body.as_array().unwrap();
    let refused = |action: &str, target: &str| {
        rows2.iter().any(|r| {
            r["action"] == action
                && r["target"] == target
                && r["tenantId"] == two_id.as_str()
                && r["result"]
                    .as_str()
                    .is_some_and(|x| x.starts_with("failed:") && x.contains("not found"))
        })
    };
    assert!(refused("network.delete", &backend_net), "{}", theirs.text);
    assert!(refused("volume.delete", &vol), "{}", theirs.text);
    app.shutdown().await;
}

async fn malformed_or_refused_operations_say_why(backend: Backend) {
    let app = spawn_on(backend).await;
    let t = app.tenant(&app.admin, None, "Refusals").await;
    let tid = id(&t);
    let admin = app
        .user(&app.admin, &tid, "ref-admin", "customer-admin")
        .await;

    // Problems of its own, every one in the answer, before CloudStack is asked.
    let r = op(
        &app,
        &admin,
        &Operation::RuleSetApply {
            set: RuleSet {
                name: "".into(),
                rules: vec![],
            },
            ip_ids: vec![],
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.body["code"], "invalid_input");
    let m = r.body["message"].as_str().unwrap();
    assert!(m.contains("Choose at least one public IP."), "{m}");
    let r = op(
        &app,
        &admin,
        &Operation::VolumeCreate {
            request: CreateVolume {
                name: " ".into(),
                zone_id: "".into(),
                source: VolumeSource::Snapshot {
                    snapshot_id: "s".into(),
                },
            },
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.body["message"], "Give it a name. Choose a zone.");

    // An unknown operation, a missing field, no tag.
    let r = send(&app, &admin, json!({"op": "format_disk", "id": "x"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let m = r.body["message"].as_str().unwrap();
    assert!(
        m.starts_with("The operation is not valid: unknown variant `format_disk`"),
        "{m}"
    );
    let r = send(&app, &admin, json!({"op": "volume_action", "id": "x"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["message"].as_str().unwrap().contains("action"),
        "{}",
        r.text
    );
    let r = send(&app, &admin, json!({"id": "x"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["message"].as_str().unwrap().contains("`op`"),
        "{}",
        r.text
    );

    // Not JSON.
    let resp = app
        .http
        .post(format!("{}/api/operations", app.server.url()))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"op\": \"network_create\",")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "invalid_input");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("The request body is not valid"),
        "{body}"
    );

    // What CloudStack refuses comes back in its words with the status its code has: the zone is
    // anyone's, but the offering does not exist.
    let zone = app.catalog(&admin).await.0;
    let r = op(
        &app,
        &admin,
        &Operation::NetworkCreate {
            request: CreateNetwork {
                zone_id: zone,
                offering_id: "no-such-offering".into(),
                name: "n".into(),
                display_text: None,
                gateway: None,
                netmask: None,
            },
        },
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(r.body["code"], "not_found");
    assert!(r.text.contains("networkofferingid"), "{}", r.text);

    // The refusals CloudStack saw are audited; the ones before an operation was read are not.
    let audit = app.get(&admin, "/api/audit?limit=100").await;
    let rows = audit.body.as_array().unwrap();
    for action in ["firewall.apply", "volume.create", "network.create"] {
        assert!(
            rows.iter()
                .any(|r| r["action"] == action
                    && r["result"].as_str().unwrap().starts_with("failed:")),
            "{action} in {}",
            audit.text
        );
    }
    assert!(!audit.text.contains("format_disk"));
    app.shutdown().await;
}

async fn vpcs_egress_rules_and_vm_snapshots_stay_with_their_customer(backend: Backend) {
    let app = spawn_on(backend).await;
    let one = app.tenant(&app.admin, None, "Vpc One").await;
    let two = app.tenant(&app.admin, None, "Vpc Two").await;
    let admin1 = app
        .user(&app.admin, &id(&one), "v1-admin", "customer-admin")
        .await;
    let admin2 = app
        .user(&app.admin, &id(&two), "v2-admin", "customer-admin")
        .await;
    let vm = app.deploy(&admin1, "app-1").await;
    let vm_id = id(&vm);
    let zone = app.catalog(&admin1).await.0;
    let home = network_of(&app, &admin1, "app-1").await;

    // A VPC with a tier that follows CloudStack's default ACL list.
    let cs = akashone_cloudstack::Client::new(akashone_cloudstack::ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap();
    let vpc_offering = cs.list_vpc_offerings().await.unwrap()[0]
        .id
        .clone()
        .unwrap();
    let vpc = done(
        &app,
        &admin1,
        &Operation::VpcCreate {
            request: CreateVpc {
                zone_id: zone.clone(),
                offering_id: vpc_offering,
                name: "prod".into(),
                display_text: None,
                cidr: cidr("10.20.0.0/16"),
            },
        },
    )
    .await
    .expect("the VPC's id");
    let default_allow = cs
        .list_all::<Value>(
            "listNetworkACLLists",
            &akashone_cloudstack::Params::new().with("name", "default_allow"),
            "networkacllist",
        )
        .await
        .unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let offering = app
        .get(&admin1, &format!("/api/network-offerings?zoneId={zone}"))
        .await
        .body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tier = done(
        &app,
        &admin1,
        &Operation::TierCreate {
            request: CreateTier {
                vpc_id: vpc.clone(),
                offering_id: offering,
                name: "web".into(),
                gateway: "10.20.1.1".into(),
                netmask: "255.255.255.0".into(),
                acl_id: Some(default_allow.clone()),
            },
        },
    )
    .await
    .expect("the tier's id");
    let vpcs: Vec<VpcRow> = list(&app, &admin1, "/api/vpcs").await;
    assert_eq!(vpcs.len(), 1, "{vpcs:?}");
    assert_eq!(
        (vpcs[0].id.as_str(), vpcs[0].name.as_str()),
        (vpc.as_str(), "prod")
    );
    assert_eq!(vpcs[0].cidr, cidr("10.20.0.0/16"));
    assert_eq!(vpcs[0].tiers.len(), 1);
    assert_eq!(vpcs[0].tiers[0].id, tier);
    assert_eq!(vpcs[0].tiers[0].cidr, cidr("10.20.1.0/24"));
    assert_eq!(
        vpcs[0].tiers[0].acl_id.as_deref(),
        Some(default_allow.as_str())
    );
    assert_eq!(
        list::<VpcRow>(&app, &admin2, "/api/vpcs").await,
        vec![],
        "the sibling has none"
    );
    // Nobody adds rules to CloudStack's default lists.
    let acl_rule = Operation::AclRuleCreate {
        request: AclRuleSpec {
            acl_id: default_allow.clone(),
            number: None,
            traffic: Traffic::All,
            cidrs: vec![cidr("0.0.0.0/0")],
            action: AclAction::Deny,
            direction: TrafficDirection::Ingress,
            reason: None,
        },
    };
    let r = op(&app, &admin1, &acl_rule).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(
        r.body["message"],
        format!("ACL list {default_allow} was not found.")
    );

    // An egress rule on the VMs' network.
    done(
        &app,
        &admin1,
        &Operation::EgressCreate {
            request: EgressRuleSpec {
                network_id: home.id.clone(),
                traffic: Traffic::Tcp {
                    ports: PortSpec::parse("443").unwrap(),
                },
                cidrs: vec![],
                dest_cidrs: vec![cidr("192.0.2.0/24")],
            },
        },
    )
    .await;
    let egress: Vec<EgressRuleRow> = list(&app, &admin1, "/api/egress-rules").await;
    assert_eq!(egress.len(), 1, "{egress:?}");
    assert_eq!(egress[0].network_id, home.id);
    assert_eq!(egress[0].dest_cidrs, vec!["192.0.2.0/24"]);
    assert!(
        list::<EgressRuleRow>(&app, &admin2, "/api/egress-rules")
            .await
            .is_empty()
    );

    // A VM snapshot of its VM.
    let snap = done(
        &app,
        &admin1,
        &Operation::VmSnapshotCreate {
            request: CreateVmSnapshot {
                vm_id: vm_id.clone(),
                name: Some("before-upgrade".into()),
                description: None,
                memory: false,
                quiesce: false,
            },
        },
    )
    .await
    .expect("the VM snapshot's id");
    let snaps: Vec<VmSnapshotRow> = list(&app, &admin1, "/api/vm-snapshots").await;
    assert_eq!(snaps.len(), 1, "{snaps:?}");
    assert_eq!(
        (snaps[0].id.as_str(), snaps[0].vm_id.as_str()),
        (snap.as_str(), vm_id.as_str())
    );
    assert_eq!(snaps[0].snapshot_type, VmSnapshotType::Disk);
    assert!(
        list::<VmSnapshotRow>(&app, &admin2, "/api/vm-snapshots")
            .await
            .is_empty()
    );

    // The sibling reaches none of them.
    for (o, message) in [
        (
            Operation::VpcAction {
                id: vpc.clone(),
                action: NetworkAction::Delete,
            },
            format!("VPC {vpc} was not found."),
        ),
        (
            Operation::NetworkAction {
                id: tier.clone(),
                action: NetworkAction::Restart { cleanup: false },
            },
            format!("Network {tier} was not found."),
        ),
        (
            Operation::RuleDelete {
                kind: RuleKind::Egress,
                id: egress[0].id.clone(),
            },
            format!("Egress rule {} was not found.", egress[0].id),
        ),
        (
            Operation::VmSnapshotAction {
                id: snap.clone(),
                action: VmSnapshotAction::Revert,
            },
            format!("VM snapshot {snap} was not found."),
        ),
        (
            Operation::VmSnapshotCreate {
                request: CreateVmSnapshot {
                    vm_id: vm_id.clone(),
                    name: None,
                    description: None,
                    memory: false,
                    quiesce: false,
                },
            },
            format!("VM {vm_id} was not found."),
        ),
    ] {
        let r = op(&app, &admin2, &o).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: {}", o.name(), r.text);
        assert_eq!(r.body["message"], message);
    }

    // Its owner removes them.
    done(
        &app,
        &admin1,
        &Operation::RuleDelete {
            kind: RuleKind::Egress,
            id: egress[0].id.clone(),
        },
    )
    .await;
    assert!(
        list::<EgressRuleRow>(&app, &admin1, "/api/egress-rules")
            .await
            .is_empty()
    );
    done(
        &app,
        &admin1,
        &Operation::VmSnapshotAction {
            id: snap.clone(),
            action: VmSnapshotAction::Delete,
        },
    )
    .await;
    assert!(
        list::<VmSnapshotRow>(&app, &admin1, "/api/vm-snapshots")
            .await
            .is_empty()
    );
    done(
        &app,
        &admin1,
        &Operation::NetworkAction {
            id: tier.clone(),
            action: NetworkAction::Delete,
        },
    )
    .await;
    done(
        &app,
        &admin1,
        &Operation::VpcAction {
            id: vpc.clone(),
            action: NetworkAction::Delete,
        },
    )
    .await;
    assert!(list::<VpcRow>(&app, &admin1, "/api/vpcs").await.is_empty());
    app.shutdown().await;
}

on_both!(
    a_customer_works_on_its_own_networks_and_storage_only,
    vpcs_egress_rules_and_vm_snapshots_stay_with_their_customer,
    malformed_or_refused_operations_say_why,
);
