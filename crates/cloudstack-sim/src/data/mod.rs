//! Deterministic seeded data: the same configuration always gives the same cloud.

mod names;

use time::{Duration as TDuration, OffsetDateTime};

use crate::commands::networks::{add_network, allocate_ip, default_network};
use crate::commands::vms::create_vm;
use crate::config::{Dataset, SimConfig};
use crate::rng::SimRng;
use crate::state::jobs::Action;
use crate::state::model::*;
use crate::state::{Knobs, Ref, State};
use names::*;

pub use crate::state::entities::SimUser;
use crate::state::entities::{
    add_account, add_data_disk, add_domain, add_keypair, add_rules, add_snapshot, add_user,
};
pub(crate) use crate::state::entities::{backdate_account, create_tenant, user_view};

/// Builds the initial state for a configuration.
pub(crate) fn generate(cfg: &SimConfig) -> State {
    let anchor = cfg
        .anchor
        .unwrap_or_else(|| OffsetDateTime::now_utc().date().midnight().assume_utc());
    let knobs = Knobs {
        start_delay: cfg.start_delay,
        job_delay: cfg.job_delay,
        max_page_size: cfg.max_page_size,
        zone_capacity: cfg.zone_capacity,
    };
    let mut s = State::new(knobs, SimRng::new(cfg.seed, 1));
    let mut keys = SimRng::new(cfg.seed, 2);
    let demo = cfg.dataset == Dataset::Demo;
    let ago = |s: &mut State, max_days: u64| {
        anchor - TDuration::seconds(s.rng.between(3600, max_days * 86400) as i64)
    };

    // Domains and accounts.
    let root_created = anchor - TDuration::days(400);
    add_domain(&mut s, "ROOT", None, root_created);
    let admin = add_account(&mut s, "admin", 0, AccountKind::RootAdmin, root_created);
    add_user(&mut s, &mut keys, admin, "admin", root_created);
    let mut owners = Vec::new();
    if demo {
        let mut dom_idx = Vec::new();
        for (name, parent) in DEMO_DOMAINS {
            let parent = parent.map(|p| dom_idx[p]).unwrap_or(0);
            let when = ago(&mut s, 300);
            dom_idx.push(add_domain(&mut s, name, Some(parent), when));
        }
        for (name, d, is_admin) in DEMO_ACCOUNTS {
            let kind = if *is_admin {
                AccountKind::DomainAdmin
            } else {
                AccountKind::User
            };
            let when = ago(&mut s, 250);
            let a = add_account(&mut s, name, dom_idx[*d], kind, when);
            add_user(&mut s, &mut keys, a, name, when);
            if !is_admin {
                owners.push(a);
            }
        }
    } else {
        let mut doms = vec![0];
        for i in 1..=cfg.domains {
            let parent = if i % 3 == 0 { doms[i - 1] } else { 0 };
            let when = ago(&mut s, 300);
            doms.push(add_domain(
                &mut s,
                &format!("Customer-{i:02}"),
                Some(parent),
                when,
            ));
        }
        for i in 0..cfg.accounts {
            let d = if cfg.domains == 0 {
                0
            } else {
                doms[1 + i % cfg.domains]
            };
            let when = ago(&mut s, 250);
            let name = format!("acct-{:03}", i + 1);
            let a = add_account(&mut s, &name, d, AccountKind::User, when);
            add_user(&mut s, &mut keys, a, &name, when);
            owners.push(a);
        }
    }
    if owners.is_empty() {
        owners.push(admin);
    }

    // Zones, with enough hosts for the VMs.
    let hosts_per_zone = (4 + cfg.vms / cfg.zones.max(1) / 40).min(64);
    for i in 0..cfg.zones {
        let region = REGIONS[i % REGIONS.len()];
        let name = format!("{region}-{}", i / REGIONS.len() + 1);
        let id = s.rng.uuid();
        let hosts = (0..hosts_per_zone)
            .map(|h| {
                (
                    s.rng.uuid(),
                    format!("kvm-{}-{:02}", name.to_lowercase(), h + 1),
                )
            })
            .collect();
        s.index(&id, Ref::Zone(i));
        s.zones.push(Zone {
            id,
            description: format!("{region} availability zone"),
            name,
            dns1: "8.8.8.8".into(),
            dns2: "1.1.1.1".into(),
            public_prefix: [103, (20 + i % 200) as u8],
            capacity: None,
            hosts,
            next_public: 0,
        });
    }

    // Catalogue.
    for i in 0..cfg.templates {
        let (base, os, windows) = TEMPLATES[i % TEMPLATES.len()];
        let round = i / TEMPLATES.len();
        let name = if round == 0 {
            base.to_string()
        } else {
            format!("{base} (build {})", round + 1)
        };
        let id = s.rng.uuid();
        let ostype_id = s.rng.uuid();
        let size = if windows {
            32u64 << 30
        } else {
            s.rng.between(2, 10) << 30
        };
        let created = ago(&mut s, 365);
        s.index(&id, Ref::Template(i));
        s.templates.push(Template {
            id,
            display: format!("{name} (64-bit)"),
            name,
            ostype_id,
            ostype_name: os.to_string(),
            size,
            featured: i < 8 || i % 2 == 0,
            password_enabled: windows,
            format: "QCOW2",
            hypervisor: "KVM",
            created,
            kind: "USER",
            account: admin,
            public: true,
            snapshot: None,
            zone: None,
            ready: true,
            pending_job: None,
            removed: false,
        });
    }
    for (i, (name, cpus, memory, root_gb, ha)) in SERVICE_OFFERINGS.iter().enumerate() {
        let id = s.rng.uuid();
        s.index(&id, Ref::ServiceOffering(i));
        s.service_offerings.push(ServiceOffering {
            id,
            name: name.to_string(),
            display: format!("{cpus} vCPU, {} GB RAM", memory / 1024),
            cpus: *cpus,
            speed: 2000,
            memory: *memory,
            root_gb: *root_gb,
            created: root_created,
            offer_ha: *ha,
        });
    }
    for (i, (name, size, custom)) in DISK_OFFERINGS.iter().enumerate() {
        let id = s.rng.uuid();
        s.index(&id, Ref::DiskOffering(i));
        s.disk_offerings.push(DiskOffering {
            id,
            name: name.to_string(),
            display: if *custom {
                "Custom size disk".into()
            } else {
                format!("{size} GB disk")
            },
            size_gb: *size,
            customized: *custom,
            custom_iops: false,
            created: root_created,
        });
    }
    for (i, (name, display, kind, default, availability, services)) in
        NETWORK_OFFERINGS.iter().enumerate()
    {
        let id = s.rng.uuid();
        s.index(&id, Ref::NetworkOffering(i));
        s.network_offerings.push(NetworkOffering {
            id,
            name: name.to_string(),
            display: display.to_string(),
            guest_ip_type: kind,
            is_default: *default,
            availability,
            services,
            created: root_created,
        });
    }
    for (i, (a, b, c, autoscaling, enabled)) in KUBE_VERSIONS.iter().enumerate() {
        let id = s.rng.uuid();
        let iso_id = s.rng.uuid();
        s.index(&id, Ref::KubeVersion(i));
        s.kube_versions.push(KubeVersion {
            id,
            semver: (*a, *b, *c),
            iso_id,
            autoscaling: *autoscaling,
            enabled: *enabled,
            created: root_created,
        });
    }

    // Key pairs: one per owner account.
    for &a in &owners {
        let name = if demo {
            "laptop-key".to_string()
        } else {
            format!("{}-key", s.accounts[a].name)
        };
        add_keypair(&mut s, a, &name, anchor - TDuration::days(30));
    }

    // Virtual machines.
    let general_offerings = SERVICE_OFFERINGS.len() - 1;
    for i in 0..cfg.vms {
        let account = owners[i % owners.len()];
        let user = s.first_user(account);
        let zone = s.rng.below(cfg.zones as u64) as usize;
        let template = s.rng.below(cfg.templates as u64) as usize;
        let offering = s.rng.below(general_offerings as u64) as usize;
        let network = default_network(&mut s, account, zone);
        let created = ago(&mut s, 180);
        let name = if demo && i < DEMO_VMS.len() {
            DEMO_VMS[i].to_string()
        } else {
            format!("{}-{:05}", VM_ROLES[i % VM_ROLES.len()], i + 1)
        };
        let roll = s.rng.below(100);
        let state = match roll {
            0..70 => VmState::Running,
            70..90 => VmState::Stopped,
            90..93 => VmState::Error,
            93..96 => VmState::Destroyed,
            _ => VmState::Starting,
        };
        let vm = create_vm(
            &mut s,
            account,
            user,
            zone,
            template,
            offering,
            network,
            Some(name),
            None,
            state,
            created,
        );
        let boot = created + TDuration::minutes(2);
        let stop_at = boot
            + TDuration::seconds(s.rng.below((anchor - boot).whole_seconds().max(1) as u64) as i64);
        let v = &mut s.vms[vm];
        match state {
            VmState::Running => v.running.push((boot, None)),
            VmState::Stopped => v.running.push((boot, Some(stop_at))),
            VmState::Destroyed => {
                v.running.push((boot, Some(stop_at)));
                v.destroyed_at = Some(stop_at);
            }
            _ => {}
        }
        if roll.is_multiple_of(4) {
            v.keypair = Some(if demo {
                "laptop-key".to_string()
            } else {
                format!("{}-key", s.accounts[account].name)
            });
        }
        s.networks[network].state = "Implemented";
        let vm_id = s.vms[vm].id.clone();
        let vm_name = s.vms[vm].name.clone();
        let caller = s.caller_of_user(user);
        s.event(
            &caller,
            "VM.CREATE",
            format!("Successfully created entity for deploying Vm. Vm Name: {vm_name}"),
            Some(("VirtualMachine", vm_id.clone(), vm_name)),
            created,
        );
        if state == VmState::Starting {
            let (job, due) = s.submit(
                &caller,
                "org.apache.cloudstack.api.command.user.vm.DeployVMCmd",
                Some(("VirtualMachine", vm_id)),
                cfg.start_delay,
                None,
                Action::DeployVm(vm),
            );
            s.vms[vm].pending_job = Some(job);
            s.vms[vm].busy_until = Some(due);
        }
        if roll.is_multiple_of(7) {
            add_data_disk(&mut s, vm, created);
        }
    }

    // Public addresses: a source NAT address per network in use, rules on some.
    let mut first_vm = vec![None; s.networks.len()];
    for (i, vm) in s.vms.iter().enumerate() {
        first_vm[vm.network].get_or_insert(i);
    }
    for (n, first) in first_vm.into_iter().enumerate() {
        let (account, zone, created) = (
            s.networks[n].account,
            s.networks[n].zone,
            s.networks[n].created,
        );
        let ip = allocate_ip(&mut s, account, zone, n, true, created);
        if let (true, Some(vm)) = (n.is_multiple_of(5), first) {
            add_rules(&mut s, ip, vm);
        }
    }
    // Snapshots of some root volumes.
    for v in 0..s.volumes.len() {
        if v % 19 == 3 {
            let created = s.volumes[v].created + TDuration::days(1);
            add_snapshot(&mut s, v, created.min(anchor));
        }
    }
    if demo {
        let dev = s
            .accounts
            .iter()
            .position(|a| a.name == "zenith-dev")
            .unwrap_or(admin);
        let zone = 0;
        let offering = 0;
        let when = anchor - TDuration::days(12);
        add_network(
            &mut s,
            dev,
            zone,
            offering,
            "zenith-staging".into(),
            "Zenith staging network".into(),
            when,
        );
        // A running Kubernetes cluster on the newest enabled version.
        if let Some(version) = (0..s.kube_versions.len())
            .rev()
            .find(|&v| s.kube_versions[v].enabled)
        {
            let offering = 1.min(SERVICE_OFFERINGS.len() - 1);
            let when = anchor - TDuration::days(20);
            crate::commands::kubernetes::seed_running_cluster(
                &mut s,
                dev,
                zone,
                offering,
                version,
                "zenith-prod",
                1,
                3,
                when,
            );
        }
    }
    finish(&mut s, anchor, demo);
    s
}

/// Storage pools, the VPC offering and the default ACL lists (after everything else, so the
/// ids generated before stay as they were); the demo dataset also gets rules, a load balancer,
/// a snapshot and a snapshot policy.
fn finish(s: &mut State, anchor: OffsetDateTime, demo: bool) {
    let created = anchor - TDuration::days(400);
    for z in 0..s.zones.len() {
        for k in 0..2 {
            let idx = s.pools.len();
            let id = s.rng.uuid();
            let name = format!("ps-{}-{}", s.zones[z].name.to_lowercase(), k + 1);
            s.pools.push(StoragePool {
                id: id.clone(),
                name,
                zone: z,
                capacity: 20u64 << 40,
                created,
            });
            s.index(&id, Ref::StoragePool(idx));
        }
    }
    // A fixed-size offering whose IOPS are chosen per volume.
    let idx = s.disk_offerings.len();
    let id = s.rng.uuid();
    s.index(&id, Ref::DiskOffering(idx));
    s.disk_offerings.push(DiskOffering {
        id,
        name: "Custom IOPS Disk".into(),
        display: "100 GB disk, IOPS chosen per volume".into(),
        size_gb: 100,
        customized: false,
        custom_iops: true,
        created,
    });
    s.vpc_offering_id = s.rng.uuid();
    let vpc_offering = s.vpc_offering_id.clone();
    s.index(&vpc_offering, Ref::VpcOffering);
    crate::commands::vpc::default_acl(s, true);
    crate::commands::vpc::default_acl(s, false);
    if demo {
        demo_rules(s, anchor);
    }
}

/// The demo's exposed web tier: firewall rules, SSH by port forwarding, a load balancer with two
/// members and policies, a daily snapshot policy and a snapshot taken by it.
fn demo_rules(s: &mut State, anchor: OffsetDateTime) {
    use crate::commands::addresses::{RuleSpec, add_firewall};
    // The network with the most running VMs that are not Kubernetes nodes.
    let serving = |s: &State, v: usize, n: usize| {
        let vm = &s.vms[v];
        vm.network == n && vm.state == VmState::Running && !vm.removed && vm.cluster.is_none()
    };
    let Some(net) = (0..s.networks.len())
        .max_by_key(|&n| (0..s.vms.len()).filter(|&v| serving(s, v, n)).count())
    else {
        return;
    };
    let running: Vec<usize> = (0..s.vms.len()).filter(|&v| serving(s, v, net)).collect();
    let Some(&first) = running.first() else {
        return;
    };
    let (account, zone) = (s.networks[net].account, s.networks[net].zone);
    let when = anchor - TDuration::days(10);
    let ip = allocate_ip(s, account, zone, net, false, when);
    let tcp = |a: u32, b: u32| RuleSpec {
        protocol: "tcp".into(),
        start: Some(a),
        end: Some(b),
        icmp_type: None,
        icmp_code: None,
    };
    for (spec, cidr) in [
        (tcp(443, 443), "0.0.0.0/0"),
        (tcp(22, 22), "203.0.113.0/24"),
        (
            RuleSpec {
                protocol: "icmp".into(),
                start: None,
                end: None,
                icmp_type: Some(8),
                icmp_code: Some(0),
            },
            "203.0.113.0/24",
        ),
    ] {
        add_firewall(
            s,
            Some(ip),
            net,
            account,
            &spec,
            cidr.into(),
            String::new(),
            false,
            None,
            "Active",
        );
    }
    // SSH to the first VM on 2222, the firewall opened for the office only.
    let pf = s.port_forwards.len();
    let pf_id = s.rng.uuid();
    s.port_forwards.push(PortForward {
        id: pf_id.clone(),
        ip,
        vm: first,
        account,
        protocol: "tcp".into(),
        public: (2222, 2222),
        private: (22, 22),
        cidrs: "203.0.113.0/24".into(),
        state: "Active",
        pending_job: None,
        removed: false,
    });
    s.index(&pf_id, Ref::PortForward(pf));
    add_firewall(
        s,
        Some(ip),
        net,
        account,
        &tcp(2222, 2222),
        "203.0.113.0/24".into(),
        String::new(),
        false,
        Some(pf_id),
        "Active",
    );
    // HTTP load balanced over up to two running VMs.
    let members: Vec<usize> = running.iter().copied().take(2).collect();
    let lb = crate::commands::lb::seed_lb(s, ip, "web-lb", (80, 8080), members, when);
    let lb_id = s.lbs[lb].id.clone();
    add_firewall(
        s,
        Some(ip),
        net,
        account,
        &tcp(80, 80),
        "0.0.0.0/0".into(),
        String::new(),
        false,
        Some(lb_id),
        "Active",
    );
    for health in [true, false] {
        let idx = s.lb_policies.len();
        let id = s.rng.uuid();
        s.lb_policies.push(LbPolicy {
            id: id.clone(),
            lb,
            health,
            name: if health {
                String::new()
            } else {
                "web-sticky".into()
            },
            description: None,
            method: if health {
                String::new()
            } else {
                "LbCookie".into()
            },
            params: if health {
                Vec::new()
            } else {
                vec![("cookie-name".into(), "SRV".into())]
            },
            ping_path: "/healthz".into(),
            interval: 5,
            timeout: 2,
            healthy: 2,
            unhealthy: 3,
            state: "Active",
            removed: false,
        });
        s.index(&id, Ref::LbPolicy(idx));
    }
    // A daily snapshot policy on the first VM's root volume, and yesterday's snapshot by it.
    if let Some(vol) = s.volumes.iter().position(|v| v.vm == Some(first) && v.root) {
        crate::commands::snapshots::upsert_policy(
            s,
            vol,
            "DAILY",
            "30:02".into(),
            "Asia/Kolkata".into(),
            7,
        );
        crate::commands::snapshots::add_snapshot(
            s,
            vol,
            None,
            "BackedUp",
            "DAILY",
            anchor - TDuration::hours(21),
        );
    }
}
