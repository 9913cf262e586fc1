//! Networks and storage through the console on a direct profile, against the simulator: the
//! issue's core path (a network, VMs on it, an address, one rule set opening 22 and 443 to one
//! CIDR, a forward of 2222 to a VM's 22, a load balancer over two VMs, a data volume attached,
//! snapshotted, a recurring policy, revert, detach, delete), each refusal with its reason, and
//! nothing opened to 0.0.0.0/0 that the user did not type.

use crate::{Setup, setup, until, wait_job};
use akashone_app::AppError;
use akashone_cloudstack::{Client, ClientConfig, Params};
use akashone_cloudstack_sim::{SimConfig, SimHandle, SimUser, Simulator};
use akashone_types::network::forward::PortForwardSpec;
use akashone_types::network::lb::{LbProtocol, LoadBalancerSpec};
use akashone_types::network::rules::{RuleSet, RuleSpec};
use akashone_types::network::{
    AcquireIp, Cidr, CreateNetwork, NetworkAction, PortRange, Protocol, Traffic,
};
use akashone_types::ops::{Operation, RuleKind};
use akashone_types::storage::schedule::{SnapshotPolicy, SnapshotSchedule};
use akashone_types::storage::{CreateVolume, SnapshotAction, VolumeAction, VolumeSource};
use akashone_types::{DeployRequest, JobEvent, JobPhase, NewCloudStackProfile, VmAction};
use std::time::Duration;

async fn direct_profile(sim: &SimHandle, user: &SimUser) -> Setup {
    let s = setup();
    let profiles = s
        .console
        .add_cloudstack_profile(&NewCloudStackProfile {
            name: "Networks".into(),
            url: sim.url(),
            api_key: user.api_key.clone(),
            secret_key: user.secret_key.clone(),
        })
        .await
        .unwrap();
    s.console
        .activate_profile(&profiles.profiles[0].id)
        .await
        .unwrap();
    s.console.sync_now().await.unwrap();
    s
}

async fn run(s: &Setup, op: Operation) -> JobEvent {
    let task = s
        .console
        .resource_op(&op)
        .await
        .unwrap_or_else(|e| panic!("{} refused: {e}", op.name()));
    let done = wait_job(s, task).await;
    assert_eq!(done.phase, JobPhase::Succeeded, "{}: {done:?}", op.name());
    done
}

fn refused(r: Result<u64, AppError>) -> String {
    match r {
        Err(AppError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn cidr(s: &str) -> Cidr {
    s.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_and_storage_on_a_direct_profile() {
    let sim = Simulator::start(SimConfig {
        vms: 0,
        job_delay: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let user = sim.create_user("ROOT", "net-team").unwrap();
    let s = direct_profile(&sim, &user).await;
    let c = &s.console;
    let zone = c.deploy_zones().await.unwrap()[0].id.clone();

    // A network: a name CloudStack would refuse is refused first.
    let offering = c.net_offerings(&zone, false).await.unwrap()[0].id.clone();
    let net = CreateNetwork {
        zone_id: zone.clone(),
        offering_id: offering.clone(),
        name: "web-net".into(),
        display_text: None,
        gateway: Some("10.20.0.1".into()),
        netmask: Some("255.255.255.0".into()),
    };
    let bad = Operation::NetworkCreate {
        request: CreateNetwork {
            name: " ".into(),
            ..net.clone()
        },
    };
    assert!(refused(c.resource_op(&bad).await).contains("name"));
    run(
        &s,
        Operation::NetworkCreate {
            request: net.clone(),
        },
    )
    .await;
    let network = c
        .net_networks()
        .unwrap()
        .into_iter()
        .find(|n| n.name == "web-net")
        .expect("the new network is cached");
    assert_eq!(network.cidr, Some(cidr("10.20.0.0/24")));
    // The same CIDR again overlaps it.
    let again = Operation::NetworkCreate {
        request: CreateNetwork {
            name: "web-net-2".into(),
            ..net.clone()
        },
    };
    let why = c.resource_check(&again).unwrap();
    assert!(why.iter().any(|m| m.contains("web-net")), "{why:?}");

    // Two VMs on it.
    let templates = c.deploy_templates(&zone).await.unwrap();
    let offerings = c.deploy_offerings().await.unwrap();
    let mut vms = Vec::new();
    for name in ["web-1", "web-2"] {
        let task = c
            .deploy_vm(&DeployRequest {
                zone_id: zone.clone(),
                template_id: templates[0].id.clone(),
                offering_id: offerings[0].id.clone(),
                name: name.into(),
                keypair: None,
                network_id: Some(network.id.clone()),
            })
            .await
            .unwrap();
        let done = wait_job(&s, task).await;
        assert_eq!(done.phase, JobPhase::Succeeded, "{done:?}");
        vms.push(done.vm_id.unwrap());
    }
    // Deleting the network is refused while they use it, with their names.
    let delete = Operation::NetworkAction {
        id: network.id.clone(),
        action: NetworkAction::Delete,
    };
    let why = refused(c.resource_op(&delete).await);
    assert!(why.contains("web-1") && why.contains("web-2"), "{why}");

    // An address for it (beside the source NAT address the first VM brought).
    c.sync_now().await.unwrap();
    let before = c.net_ips().unwrap().len();
    assert!(c.net_ips().unwrap().iter().any(|a| a.source_nat));
    let done = run(
        &s,
        Operation::IpAcquire {
            request: AcquireIp::Network {
                network_id: network.id.clone(),
            },
        },
    )
    .await;
    let ips = c.net_ips().unwrap();
    assert_eq!(ips.len(), before + 1);
    let ip = ips
        .iter()
        .find(|a| Some(&a.id) == done.vm_id.as_ref())
        .expect("the acquired address is cached")
        .clone();
    assert!(!ip.source_nat);
    assert_eq!(ip.network_name.as_deref(), Some("web-net"));

    // One rule set opens 22 and 443 to one CIDR; its plan says so first.
    let office = cidr("198.51.100.0/24");
    let set = RuleSet {
        name: "office".into(),
        rules: vec![RuleSpec {
            traffic: Traffic::tcp("22, 443").unwrap(),
            cidrs: vec![office],
        }],
    };
    let plan = c.net_rule_plan(&set, std::slice::from_ref(&ip.id)).unwrap();
    assert_eq!(plan.to_send().len(), 2);
    assert!(!plan.opens_to_world);
    let apply = Operation::RuleSetApply {
        set: set.clone(),
        ip_ids: vec![ip.id.clone()],
    };
    let done = run(&s, apply.clone()).await;
    assert!(
        done.message
            .as_deref()
            .unwrap_or_default()
            .contains("2 firewall rules created"),
        "{done:?}"
    );
    let rules = c.net_ip_rules(&ip.id).unwrap();
    assert_eq!(rules.firewall.len(), 2);
    assert!(
        rules
            .firewall
            .iter()
            .all(|r| r.cidrs == vec!["198.51.100.0/24".to_string()])
    );
    // Applying it again creates nothing.
    let done = run(&s, apply).await;
    assert!(
        done.message
            .as_deref()
            .unwrap_or_default()
            .contains("2 already there"),
        "{done:?}"
    );
    // A rule set without source CIDRs is refused; it never defaults to 0.0.0.0/0.
    let open = Operation::RuleSetApply {
        set: RuleSet {
            name: "nothing".into(),
            rules: vec![RuleSpec {
                traffic: Traffic::tcp("80").unwrap(),
                cidrs: vec![],
            }],
        },
        ip_ids: vec![ip.id.clone()],
    };
    assert!(!c.resource_check(&open).unwrap().is_empty());

    // 2222 forwarded to web-1's 22, open to the office only.
    let forward = PortForwardSpec {
        ip_address_id: ip.id.clone(),
        protocol: Protocol::Tcp,
        public: PortRange::single(2222),
        private: PortRange::single(22),
        vm_id: vms[0].clone(),
        vm_guest_ip: None,
        network_id: None,
        cidrs: vec![office],
    };
    run(
        &s,
        Operation::PortForwardsCreate {
            specs: vec![forward.clone()],
        },
    )
    .await;
    let rules = c.net_ip_rules(&ip.id).unwrap();
    assert_eq!(rules.port_forwards.len(), 1);
    assert_eq!(rules.port_forwards[0].vm_name, "web-1");
    assert_eq!(rules.firewall.len(), 3, "the forward's own firewall rule");
    // The same public port again conflicts, before CloudStack is asked.
    let why = c
        .resource_check(&Operation::PortForwardsCreate {
            specs: vec![forward.clone()],
        })
        .unwrap();
    assert!(!why.is_empty(), "a second forward of 2222 is refused");

    // A load balancer over both VMs.
    let lb = LoadBalancerSpec {
        name: "web-lb".into(),
        public_ip_id: ip.id.clone(),
        public_port: 80,
        private_port: 8080,
        algorithm: akashone_types::network::LbAlgorithm::Roundrobin,
        protocol: LbProtocol::Tcp,
        cidrs: vec![office],
        member_vm_ids: vms.clone(),
        health_check: None,
        stickiness: None,
    };
    run(&s, Operation::LoadBalancerCreate { request: lb }).await;
    let rules = c.net_ip_rules(&ip.id).unwrap();
    assert_eq!(rules.load_balancers.len(), 1);
    let members = c.net_lb_members(&rules.load_balancers[0].id).await.unwrap();
    let mut names: Vec<String> = members.iter().map(|m| m.vm_name.clone()).collect();
    names.sort();
    assert_eq!(names, vec!["web-1".to_string(), "web-2".to_string()]);

    // Nothing on the cloud is open to 0.0.0.0/0: checked with the API itself.
    let api = Client::new(ClientConfig::new(
        sim.url(),
        user.api_key.clone(),
        user.secret_key.clone(),
    ))
    .unwrap();
    let all = api
        .list_all_values(
            "listFirewallRules",
            &Params::new().with("ipaddressid", ip.id.as_str()),
        )
        .await
        .unwrap();
    assert_eq!(all.len(), 4, "22, 443, 2222 and 80: {all:?}");
    for r in &all {
        assert_eq!(r["cidrlist"], "198.51.100.0/24", "{r}");
    }

    // A data volume, attached to web-1.
    let offering = c
        .storage_disk_offerings()
        .unwrap()
        .into_iter()
        .find(|o| o.size_gib.is_none())
        .expect("a custom-size offering");
    let no_size = Operation::VolumeCreate {
        request: CreateVolume {
            name: "data-1".into(),
            zone_id: zone.clone(),
            source: VolumeSource::Offering {
                disk_offering_id: offering.id.clone(),
                size_gib: None,
                min_iops: None,
                max_iops: None,
            },
        },
    };
    assert!(
        !c.resource_check(&no_size).unwrap().is_empty(),
        "a custom offering needs a size"
    );
    let done = run(
        &s,
        Operation::VolumeCreate {
            request: CreateVolume {
                name: "data-1".into(),
                zone_id: zone.clone(),
                source: VolumeSource::Offering {
                    disk_offering_id: offering.id.clone(),
                    size_gib: Some(20),
                    min_iops: None,
                    max_iops: None,
                },
            },
        },
    )
    .await;
    let volume_id = done.vm_id.clone().expect("the new volume's id");
    run(
        &s,
        Operation::VolumeAction {
            id: volume_id.clone(),
            action: VolumeAction::Attach {
                vm_id: vms[0].clone(),
                device_id: None,
            },
        },
    )
    .await;
    let links = c.vm_links(&vms[0]).unwrap();
    assert!(links.volumes.iter().any(|v| v.id == volume_id));
    assert_eq!(links.port_forwards.len(), 1);
    // The root volume cannot be detached; shrinking needs consent.
    let root = links
        .volumes
        .iter()
        .find(|v| v.device_id == Some(0))
        .expect("web-1's root volume");
    let why = c
        .resource_check(&Operation::VolumeAction {
            id: root.id.clone(),
            action: VolumeAction::Detach,
        })
        .unwrap();
    assert!(!why.is_empty());
    let shrink = Operation::VolumeAction {
        id: volume_id.clone(),
        action: VolumeAction::Resize {
            size_gib: 10,
            shrink_ok: false,
        },
    };
    assert!(!c.resource_check(&shrink).unwrap().is_empty());
    run(
        &s,
        Operation::VolumeAction {
            id: volume_id.clone(),
            action: VolumeAction::Resize {
                size_gib: 30,
                shrink_ok: false,
            },
        },
    )
    .await;
    let grown = c
        .storage_volumes()
        .unwrap()
        .into_iter()
        .find(|v| v.id == volume_id)
        .unwrap();
    assert_eq!(grown.size_bytes, 30 * 1024 * 1024 * 1024);

    // A snapshot and a daily policy, read back as CloudStack stores it.
    run(
        &s,
        Operation::SnapshotCreate {
            volume_id: volume_id.clone(),
            name: Some("before-upgrade".into()),
        },
    )
    .await;
    let snap = c
        .storage_snapshots(Some(&volume_id))
        .unwrap()
        .into_iter()
        .find(|x| x.name == "before-upgrade")
        .expect("the snapshot is cached");
    let policy = SnapshotPolicy {
        schedule: SnapshotSchedule::Daily {
            minute: 30,
            hour: 2,
        },
        time_zone: "Asia/Kolkata".into(),
        max_snaps: 7,
    };
    run(
        &s,
        Operation::SnapshotPolicySet {
            volume_id: volume_id.clone(),
            policy: policy.clone(),
        },
    )
    .await;
    let policies = c.storage_policies(&volume_id).unwrap();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].policy, policy);
    let raw = api
        .list_all_values(
            "listSnapshotPolicies",
            &Params::new().with("volumeid", volume_id.as_str()),
        )
        .await
        .unwrap();
    assert_eq!(raw[0]["schedule"], "30:02");
    assert_eq!(raw[0]["timezone"], "Asia/Kolkata");

    // Revert needs the VM stopped.
    let revert = Operation::SnapshotAction {
        id: snap.id.clone(),
        action: SnapshotAction::Revert,
    };
    let why = c.resource_check(&revert).unwrap();
    assert!(!why.is_empty(), "revert while web-1 runs is refused");
    let task = c.vm_action(&vms[0], VmAction::Stop).await.unwrap();
    assert_eq!(wait_job(&s, task).await.phase, JobPhase::Succeeded);
    c.sync_now().await.unwrap();
    run(&s, revert).await;

    // Detach, then delete; an attached volume cannot be deleted.
    let del = Operation::VolumeAction {
        id: volume_id.clone(),
        action: VolumeAction::Delete,
    };
    assert!(!c.resource_check(&del).unwrap().is_empty());
    run(
        &s,
        Operation::VolumeAction {
            id: volume_id.clone(),
            action: VolumeAction::Detach,
        },
    )
    .await;
    run(&s, del).await;
    assert!(
        c.storage_volumes()
            .unwrap()
            .iter()
            .all(|v| v.id != volume_id)
    );

    // Releasing the address drops its rules.
    let fw = c.net_ip_rules(&ip.id).unwrap().firewall[0].id.clone();
    run(
        &s,
        Operation::RuleDelete {
            kind: RuleKind::Firewall,
            id: fw,
        },
    )
    .await;
    run(
        &s,
        Operation::IpAction {
            id: ip.id.clone(),
            action: akashone_types::network::IpAction::Release,
        },
    )
    .await;
    let rules = c.net_ip_rules(&ip.id).unwrap();
    assert!(rules.firewall.is_empty() && rules.port_forwards.is_empty());
    assert!(c.net_ips().unwrap().iter().all(|a| a.id != ip.id));

    // The cloud goes away: the lists stay readable, every action says it is offline.
    let networks = c.net_networks().unwrap().len();
    sim.shutdown().await;
    until("offline", || {
        c.status().reachability == akashone_types::Reachability::Offline
    })
    .await;
    assert_eq!(c.net_networks().unwrap().len(), networks);
    assert!(!c.storage_volumes().unwrap().is_empty());
    let why = c.resource_check(&delete).unwrap();
    assert!(
        why.iter()
            .any(|m| m.contains(akashone_types::network::checks::OFFLINE)),
        "{why:?}"
    );
    assert!(c.resource_op(&delete).await.is_err());
}

/// Through the central server while acting as a customer: the same console calls; a sibling
/// customer neither sees nor touches any of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_and_storage_through_the_central_server_stay_in_their_tenant() {
    use akashone_types::central::CreateTenant;
    let running = crate::central_fixture::start(0).await;
    let url = running.server.url();
    let (api, _) = crate::central_fixture::admin(&url).await;
    let mut tenants = Vec::new();
    for name in ["Customer A", "Customer B"] {
        tenants.push(
            api.create_tenant(&CreateTenant {
                parent_id: None,
                name: name.into(),
            })
            .await
            .unwrap(),
        );
    }
    let s = setup();
    let profiles = s
        .console
        .add_central_profile(&akashone_types::NewCentralProfile {
            name: "Platform".into(),
            url: url.clone(),
            username: "admin".into(),
        })
        .await
        .unwrap();
    let id = profiles.profiles.last().unwrap().id.clone();
    s.console
        .central_sign_in(&id, crate::central_fixture::PASSWORD)
        .await
        .unwrap();
    let c = &s.console;
    c.act_as(Some(&tenants[0].id)).await.unwrap();
    let zone = c.deploy_zones().await.unwrap()[0].id.clone();

    // A network, an address and a rule set, as customer A.
    let offering = c.net_offerings(&zone, false).await.unwrap()[0].id.clone();
    run(
        &s,
        Operation::NetworkCreate {
            request: CreateNetwork {
                zone_id: zone.clone(),
                offering_id: offering,
                name: "a-net".into(),
                display_text: None,
                gateway: None,
                netmask: None,
            },
        },
    )
    .await;
    let network = c
        .net_networks()
        .unwrap()
        .into_iter()
        .find(|n| n.name == "a-net")
        .expect("the network is cached through the server");
    let done = run(
        &s,
        Operation::IpAcquire {
            request: AcquireIp::Network {
                network_id: network.id.clone(),
            },
        },
    )
    .await;
    let ip_id = done.vm_id.clone().expect("the address's id");
    let set = RuleSet {
        name: "office".into(),
        rules: vec![RuleSpec {
            traffic: Traffic::tcp("22, 443").unwrap(),
            cidrs: vec![cidr("198.51.100.0/24")],
        }],
    };
    run(
        &s,
        Operation::RuleSetApply {
            set,
            ip_ids: vec![ip_id.clone()],
        },
    )
    .await;
    assert_eq!(c.net_ip_rules(&ip_id).unwrap().firewall.len(), 2);

    // A volume with a snapshot and a policy.
    let custom = c
        .storage_disk_offerings()
        .unwrap()
        .into_iter()
        .find(|o| o.size_gib.is_none())
        .expect("disk offerings come through the server");
    let done = run(
        &s,
        Operation::VolumeCreate {
            request: CreateVolume {
                name: "a-data".into(),
                zone_id: zone.clone(),
                source: VolumeSource::Offering {
                    disk_offering_id: custom.id.clone(),
                    size_gib: Some(10),
                    min_iops: None,
                    max_iops: None,
                },
            },
        },
    )
    .await;
    let volume_id = done.vm_id.clone().expect("the volume's id");
    // Not yet attached, it cannot be snapshotted (said before the server is asked); it grows.
    let why = c
        .resource_check(&Operation::SnapshotCreate {
            volume_id: volume_id.clone(),
            name: None,
        })
        .unwrap();
    assert!(why.iter().any(|m| m.contains("Ready")), "{why:?}");
    run(
        &s,
        Operation::VolumeAction {
            id: volume_id.clone(),
            action: VolumeAction::Resize {
                size_gib: 20,
                shrink_ok: false,
            },
        },
    )
    .await;
    let grown = c
        .storage_volumes()
        .unwrap()
        .into_iter()
        .find(|v| v.id == volume_id)
        .unwrap();
    assert_eq!(grown.size_bytes, 20 << 30);

    // Customer B sees none of it, and the server refuses B touching it.
    c.act_as(Some(&tenants[1].id)).await.unwrap();
    c.sync_now().await.unwrap();
    assert!(c.net_networks().unwrap().iter().all(|n| n.name != "a-net"));
    assert!(c.net_ips().unwrap().iter().all(|a| a.id != ip_id));
    assert!(
        c.storage_volumes()
            .unwrap()
            .iter()
            .all(|v| v.id != volume_id)
    );
    let (admin, _) = crate::central_fixture::admin(&url).await;
    let err = admin
        .operation(
            Some(&tenants[1].id),
            &Operation::VolumeAction {
                id: volume_id.clone(),
                action: VolumeAction::Delete,
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not found"), "{err}");

    // Back as A, it is all still there; the volume goes.
    c.act_as(Some(&tenants[0].id)).await.unwrap();
    c.sync_now().await.unwrap();
    assert!(
        c.storage_volumes()
            .unwrap()
            .iter()
            .any(|v| v.id == volume_id)
    );
    run(
        &s,
        Operation::VolumeAction {
            id: volume_id.clone(),
            action: VolumeAction::Delete,
        },
    )
    .await;
    assert!(
        c.storage_volumes()
            .unwrap()
            .iter()
            .all(|v| v.id != volume_id)
    );
    running.server.shutdown().await;
}
