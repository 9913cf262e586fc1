//! `akashone network|ip|firewall|portforward|lb|volume|snapshot …`: networks and storage of a
//! saved profile, with the verbs of the desktop's Networks and Storage pages.
//!
//! Lists sync the profile's cache and answer from it (`--offline`: from the cache as it is).
//! Every change is one operation run by the app's console: checked first with CloudStack's
//! rules against the state as last synced (refused with exit code 7 and the reasons), then run
//! with a spinner until it ends. Names are resolved to ids (networks, addresses, VMs, volumes,
//! offerings, zones); source CIDRs are never assumed: rules without `--cidrs` are refused.
//!
//! Exit codes: 2 for a malformed command line, 4 for an unknown name, 7 for a request the
//! rules refuse, 6 for a job that failed.

use crate::output::{self, Format};
use crate::target::{self, App, Target};
use crate::{CliError, Context};
use akashone_app::AppError;
use akashone_types::network::cidr::parse_cidr_list;
use akashone_types::network::forward::PortForwardSpec;
use akashone_types::network::lb::{LbProtocol, LoadBalancerSpec};
use akashone_types::network::rules::{RuleSet, RuleSpec};
use akashone_types::network::{
    AcquireIp, CreateNetwork, IpAction, LbAlgorithm, NetworkAction, PortRange, Protocol, Traffic,
};
use akashone_types::ops::{Operation, RuleKind};
use akashone_types::storage::schedule::{SnapshotPolicy, SnapshotSchedule};
use akashone_types::storage::{CreateVolume, SnapshotAction, VolumeAction, VolumeSource};
use akashone_types::{Choice, JobPhase, Profile};
use serde_json::{Value, json};
use std::str::FromStr;

mod verbs;

pub use verbs::*;

impl Group {
    fn is_list(&self) -> bool {
        matches!(
            self,
            Group::Network(NetworkVerb::List)
                | Group::Ip(IpVerb::List)
                | Group::Firewall(FirewallVerb::List { .. })
                | Group::Forward(ForwardVerb::List { .. })
                | Group::Lb(LbVerb::List { .. })
                | Group::Volume(VolumeVerb::List)
                | Group::Snapshot(SnapshotVerb::List { .. } | SnapshotVerb::Policies { .. })
        )
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Value, CliError> {
    serde_json::to_value(v).map_err(|e| CliError::Io(e.to_string()))
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

fn refused(m: impl Into<String>) -> CliError {
    CliError::App(AppError::Invalid(m.into()))
}

fn print_rows<T: serde::Serialize>(
    ctx: &Context,
    rows: &[T],
    flat: impl Fn(&T) -> Value,
    cols: &[&str],
) -> Result<(), CliError> {
    let format = ctx.format_or(Format::Table);
    let values: Vec<Value> = if format == Format::Json {
        rows.iter().map(to_json).collect::<Result<_, _>>()?
    } else {
        rows.iter().map(flat).collect()
    };
    ctx.print(&output::render_rows(&values, cols, format));
    Ok(())
}

/// The one of `all` whose id or name is `wanted`.
fn find<'a, T>(
    what: &str,
    wanted: &str,
    all: &'a [T],
    key: impl Fn(&T) -> (&str, &str),
) -> Result<&'a T, CliError> {
    if let Some(x) = all.iter().find(|x| key(x).0 == wanted) {
        return Ok(x);
    }
    let named: Vec<&T> = all.iter().filter(|x| key(x).1 == wanted).collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::NotFound(format!("no {what} {wanted:?}"))),
        _ => Err(usage(format!(
            "several {what}s are named {wanted:?}; use the id"
        ))),
    }
}

fn pick(what: &str, wanted: &str, all: &[Choice]) -> Result<String, CliError> {
    Ok(
        find(what, wanted, all, |c| (c.id.as_str(), c.name.as_str()))?
            .id
            .clone(),
    )
}

fn vm_id(app: &App, wanted: &str) -> Result<String, CliError> {
    let page = app.console.vm_page(&akashone_types::VmQuery {
        limit: akashone_types::VmQuery::MAX_LIMIT,
        ..Default::default()
    })?;
    Ok(find("VM", wanted, &page.rows, |v| {
        (v.id.as_str(), v.name.as_str())
    })?
    .id
    .clone())
}

fn ip_id(app: &App, wanted: &str) -> Result<String, CliError> {
    let all = app.console.net_ips()?;
    Ok(find("public IP", wanted, &all, |a| {
        (a.id.as_str(), a.address.as_str())
    })?
    .id
    .clone())
}

fn volume_id(app: &App, wanted: &str) -> Result<String, CliError> {
    let all = app.console.storage_volumes()?;
    Ok(
        find("volume", wanted, &all, |v| (v.id.as_str(), v.name.as_str()))?
            .id
            .clone(),
    )
}

fn cidrs(text: &str) -> Result<Vec<akashone_types::network::Cidr>, CliError> {
    parse_cidr_list(text).map_err(|e| usage(format!("--cidrs: {e}")))
}

fn at(text: &str, what: &str) -> Result<(u8, u8, u8), CliError> {
    let (day, time) = text
        .split_once('@')
        .ok_or_else(|| usage(format!("--{what} takes DAY@HH:MM, e.g. 1@02:30")))?;
    let (h, m) = hh_mm(time, what)?;
    let day = day
        .trim()
        .parse::<u8>()
        .map_err(|_| usage(format!("--{what}: {day:?} is not a day number")))?;
    Ok((day, h, m))
}

fn hh_mm(text: &str, what: &str) -> Result<(u8, u8), CliError> {
    let (h, m) = text
        .split_once(':')
        .ok_or_else(|| usage(format!("--{what} takes HH:MM, e.g. 02:30")))?;
    let n = |s: &str| {
        s.trim()
            .parse::<u8>()
            .map_err(|_| usage(format!("--{what}: {text:?} is not HH:MM")))
    };
    Ok((n(h)?, n(m)?))
}

/// Checks and runs `op`, waiting for its end; prints what it did.
async fn operate(ctx: &Context, app: &App, op: Operation) -> Result<(), CliError> {
    let problems = app.console.resource_check(&op)?;
    if !problems.is_empty() {
        let mut m = format!("CloudStack would refuse {}:", op.name());
        for p in &problems {
            m.push_str("\n  - ");
            m.push_str(p);
        }
        return Err(refused(m));
    }
    let task = app.console.resource_op(&op).await?;
    let event = app.follow(ctx, task).await?;
    let format = ctx.format_or(Format::Table);
    let v = json!({
        "operation": op.name(),
        "id": event.vm_id,
        "result": if event.phase == JobPhase::Succeeded { "done" } else { "failed" },
        "message": event.message,
    });
    ctx.print(&output::render_object(&v, format));
    Ok(())
}

async fn session(ctx: &Context, list: bool) -> Result<(App, Profile), CliError> {
    if !list && ctx.offline {
        return Err(usage(
            "changes need the cloud; --offline answers the list verbs from the cache",
        ));
    }
    let (app, profile) = match target::resolve(ctx)? {
        Target::Saved { app, profile } => (app, profile),
        Target::Legacy(_) => {
            return Err(usage(
                "networks and storage work on the app's saved profiles (--profile NAME; see \
                 `akashone profile list`)",
            ));
        }
    };
    target::connect(ctx, &app, &profile).await?;
    Ok((app, profile))
}

fn ports_text(r: &PortRange) -> String {
    if r.start == r.end {
        r.start.to_string()
    } else {
        format!("{}-{}", r.start, r.end)
    }
}

fn traffic_text(t: &Traffic) -> (String, String) {
    let ports = t
        .ports()
        .map(|p| {
            p.ranges()
                .iter()
                .map(ports_text)
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_else(|| "all".into());
    (t.protocol().as_str().to_owned(), ports)
}

/// Runs one group's verb.
pub async fn run(ctx: &Context, group: Group) -> Result<(), CliError> {
    let (app, _profile) = session(ctx, group.is_list()).await?;
    let c = &app.console;
    match group {
        Group::Network(v) => match v {
            NetworkVerb::List => print_rows(
                ctx,
                &c.net_networks()?,
                |n| {
                    json!({"name": n.name, "state": n.state, "cidr": n.cidr.as_ref().map(|c| c.to_string()),
                        "zone": n.zone_name, "offering": n.offering_name, "vms": n.vm_names.join(","), "id": n.id})
                },
                &["name", "state", "cidr", "zone", "offering", "vms", "id"],
            ),
            NetworkVerb::Create {
                name,
                zone,
                offering,
                gateway,
                netmask,
            } => {
                let zone_id = pick("zone", &zone, &c.deploy_zones().await?)?;
                let offering_id = pick(
                    "network offering",
                    &offering,
                    &c.net_offerings(&zone_id, false).await?,
                )?;
                let request = CreateNetwork {
                    zone_id,
                    offering_id,
                    name,
                    display_text: None,
                    gateway,
                    netmask,
                };
                operate(ctx, &app, Operation::NetworkCreate { request }).await
            }
            NetworkVerb::Restart { network, cleanup } => {
                let all = c.net_networks()?;
                let n = find("network", &network, &all, |n| {
                    (n.id.as_str(), n.name.as_str())
                })?;
                let op = Operation::NetworkAction {
                    id: n.id.clone(),
                    action: NetworkAction::Restart { cleanup },
                };
                operate(ctx, &app, op).await
            }
            NetworkVerb::Delete { network, yes } => {
                if !yes {
                    return Err(usage("network delete needs --yes"));
                }
                let all = c.net_networks()?;
                let n = find("network", &network, &all, |n| {
                    (n.id.as_str(), n.name.as_str())
                })?;
                let op = Operation::NetworkAction {
                    id: n.id.clone(),
                    action: NetworkAction::Delete,
                };
                operate(ctx, &app, op).await
            }
        },
        Group::Ip(v) => match v {
            IpVerb::List => print_rows(
                ctx,
                &c.net_ips()?,
                |a| {
                    json!({"address": a.address, "state": a.state, "network": a.network_name,
                        "source_nat": a.source_nat, "static_nat": a.static_nat_vm_name, "id": a.id})
                },
                &[
                    "address",
                    "state",
                    "network",
                    "source_nat",
                    "static_nat",
                    "id",
                ],
            ),
            IpVerb::Acquire { network } => {
                let all = c.net_networks()?;
                let n = find("network", &network, &all, |n| {
                    (n.id.as_str(), n.name.as_str())
                })?;
                let op = Operation::IpAcquire {
                    request: AcquireIp::Network {
                        network_id: n.id.clone(),
                    },
                };
                operate(ctx, &app, op).await
            }
            IpVerb::Release { ip, yes } => {
                if !yes {
                    return Err(usage("ip release needs --yes (it drops every rule on it)"));
                }
                let op = Operation::IpAction {
                    id: ip_id(&app, &ip)?,
                    action: IpAction::Release,
                };
                operate(ctx, &app, op).await
            }
            IpVerb::StaticNat { ip, vm, off } => {
                let id = ip_id(&app, &ip)?;
                let action = if off {
                    IpAction::DisableStaticNat
                } else {
                    IpAction::EnableStaticNat {
                        vm_id: vm_id(&app, vm.as_deref().unwrap_or_default())?,
                        vm_guest_ip: None,
                        network_id: None,
                    }
                };
                operate(ctx, &app, Operation::IpAction { id, action }).await
            }
        },
        Group::Firewall(v) => match v {
            FirewallVerb::List { ip } => {
                let rules = c.net_ip_rules(&ip_id(&app, &ip)?)?;
                print_rows(
                    ctx,
                    &rules.firewall,
                    |r| {
                        let (protocol, ports) = traffic_text(&r.traffic);
                        json!({"protocol": protocol, "ports": ports, "cidrs": r.cidrs.join(","), "state": r.state, "id": r.id})
                    },
                    &["protocol", "ports", "cidrs", "state", "id"],
                )
            }
            FirewallVerb::Apply {
                ip,
                protocol,
                ports,
                cidrs: text,
                dry_run,
            } => {
                let traffic = match Protocol::from_str(&protocol).map_err(usage)? {
                    Protocol::Tcp => Traffic::tcp(ports.as_deref().unwrap_or_default()),
                    Protocol::Udp => Traffic::udp(ports.as_deref().unwrap_or_default()),
                    Protocol::Icmp => Traffic::from_wire("icmp", None, None, Some(-1), Some(-1)),
                    Protocol::All => Traffic::from_wire("all", None, None, None, None),
                }
                .map_err(|e| usage(format!("--ports: {e}")))?;
                let set = RuleSet {
                    name: "command line".into(),
                    rules: vec![RuleSpec {
                        traffic,
                        cidrs: cidrs(&text)?,
                    }],
                };
                let ip_ids = ip
                    .iter()
                    .map(|i| ip_id(&app, i))
                    .collect::<Result<Vec<_>, _>>()?;
                if dry_run {
                    let plan = c.net_rule_plan(&set, &ip_ids)?;
                    let format = ctx.format_or(Format::Table);
                    ctx.print(&output::render_object(&to_json(&plan)?, format));
                    return Ok(());
                }
                operate(ctx, &app, Operation::RuleSetApply { set, ip_ids }).await
            }
            FirewallVerb::Delete { id } => {
                let op = Operation::RuleDelete {
                    kind: RuleKind::Firewall,
                    id,
                };
                operate(ctx, &app, op).await
            }
        },
        Group::Forward(v) => match v {
            ForwardVerb::List { ip } => {
                let rules = c.net_ip_rules(&ip_id(&app, &ip)?)?;
                print_rows(
                    ctx,
                    &rules.port_forwards,
                    |r| {
                        json!({"protocol": r.protocol.as_str(), "public": ports_text(&r.public),
                            "private": ports_text(&r.private), "vm": r.vm_name, "cidrs": r.cidrs.join(","), "id": r.id})
                    },
                    &["protocol", "public", "private", "vm", "cidrs", "id"],
                )
            }
            ForwardVerb::Create {
                ip,
                public,
                private,
                vm,
                protocol,
                cidrs: text,
            } => {
                let range = |s: &str, what: &str| {
                    PortRange::from_str(s).map_err(|e| usage(format!("--{what}: {e}")))
                };
                let spec = PortForwardSpec {
                    ip_address_id: ip_id(&app, &ip)?,
                    protocol: Protocol::from_str(&protocol).map_err(usage)?,
                    public: range(&public, "public")?,
                    private: range(&private, "private")?,
                    vm_id: vm_id(&app, &vm)?,
                    vm_guest_ip: None,
                    network_id: None,
                    cidrs: cidrs(&text)?,
                };
                operate(
                    ctx,
                    &app,
                    Operation::PortForwardsCreate { specs: vec![spec] },
                )
                .await
            }
            ForwardVerb::Delete { id } => {
                let op = Operation::RuleDelete {
                    kind: RuleKind::PortForward,
                    id,
                };
                operate(ctx, &app, op).await
            }
        },
        Group::Lb(v) => match v {
            LbVerb::List { ip } => {
                let rules = c.net_ip_rules(&ip_id(&app, &ip)?)?;
                print_rows(
                    ctx,
                    &rules.load_balancers,
                    |r| {
                        json!({"name": r.name, "public": r.public_port, "private": r.private_port,
                            "algorithm": r.algorithm.as_str(), "cidrs": r.cidrs.join(","), "id": r.id})
                    },
                    &["name", "public", "private", "algorithm", "cidrs", "id"],
                )
            }
            LbVerb::Create {
                name,
                ip,
                public,
                private,
                algorithm,
                vms,
                cidrs: text,
            } => {
                let algorithm = match algorithm.as_str() {
                    "roundrobin" => LbAlgorithm::Roundrobin,
                    "leastconn" => LbAlgorithm::Leastconn,
                    "source" => LbAlgorithm::Source,
                    other => {
                        return Err(usage(format!(
                            "--algorithm {other:?}: use roundrobin, leastconn or source"
                        )));
                    }
                };
                let request = LoadBalancerSpec {
                    name,
                    public_ip_id: ip_id(&app, &ip)?,
                    public_port: public,
                    private_port: private,
                    algorithm,
                    protocol: LbProtocol::Tcp,
                    cidrs: cidrs(&text)?,
                    member_vm_ids: vms
                        .iter()
                        .map(|v| vm_id(&app, v))
                        .collect::<Result<_, _>>()?,
                    health_check: None,
                    stickiness: None,
                };
                operate(ctx, &app, Operation::LoadBalancerCreate { request }).await
            }
            LbVerb::Members { id } => print_rows(
                ctx,
                &c.net_lb_members(&id).await?,
                |m| json!({"vm": m.vm_name, "ip": m.ip, "state": m.vm_state, "health": m.health}),
                &["vm", "ip", "state", "health"],
            ),
            LbVerb::Delete { id } => {
                let op = Operation::RuleDelete {
                    kind: RuleKind::LoadBalancer,
                    id,
                };
                operate(ctx, &app, op).await
            }
        },
        Group::Volume(v) => match v {
            VolumeVerb::List => print_rows(
                ctx,
                &c.storage_volumes()?,
                |v| {
                    json!({"name": v.name, "type": v.volume_type.to_string(), "size_gib": v.size_bytes / (1 << 30),
                        "state": v.state, "vm": v.vm_name, "zone": v.zone_name, "id": v.id})
                },
                &["name", "type", "size_gib", "state", "vm", "zone", "id"],
            ),
            VolumeVerb::Create {
                name,
                zone,
                offering,
                size,
            } => {
                let zone_id = pick("zone", &zone, &c.deploy_zones().await?)?;
                let offerings: Vec<Choice> = c
                    .storage_disk_offerings()?
                    .into_iter()
                    .map(|o| Choice {
                        id: o.id,
                        name: o.name,
                        detail: String::new(),
                    })
                    .collect();
                let request = CreateVolume {
                    name,
                    zone_id,
                    source: VolumeSource::Offering {
                        disk_offering_id: pick("disk offering", &offering, &offerings)?,
                        size_gib: size,
                        min_iops: None,
                        max_iops: None,
                    },
                };
                operate(ctx, &app, Operation::VolumeCreate { request }).await
            }
            VolumeVerb::Attach { volume, vm } => {
                let op = Operation::VolumeAction {
                    id: volume_id(&app, &volume)?,
                    action: VolumeAction::Attach {
                        vm_id: vm_id(&app, &vm)?,
                        device_id: None,
                    },
                };
                operate(ctx, &app, op).await
            }
            VolumeVerb::Detach { volume } => {
                let op = Operation::VolumeAction {
                    id: volume_id(&app, &volume)?,
                    action: VolumeAction::Detach,
                };
                operate(ctx, &app, op).await
            }
            VolumeVerb::Resize {
                volume,
                size,
                shrink_ok,
            } => {
                let op = Operation::VolumeAction {
                    id: volume_id(&app, &volume)?,
                    action: VolumeAction::Resize {
                        size_gib: size,
                        shrink_ok,
                    },
                };
                operate(ctx, &app, op).await
            }
            VolumeVerb::Delete { volume, yes } => {
                if !yes {
                    return Err(usage("volume delete needs --yes"));
                }
                let op = Operation::VolumeAction {
                    id: volume_id(&app, &volume)?,
                    action: VolumeAction::Delete,
                };
                operate(ctx, &app, op).await
            }
        },
        Group::Snapshot(v) => {
            let snapshot_id = |wanted: &str| -> Result<String, CliError> {
                let all = c.storage_snapshots(None)?;
                Ok(find("snapshot", wanted, &all, |s| {
                    (s.id.as_str(), s.name.as_str())
                })?
                .id
                .clone())
            };
            match v {
                SnapshotVerb::List { volume } => {
                    let vol = volume.map(|v| volume_id(&app, &v)).transpose()?;
                    print_rows(
                        ctx,
                        &c.storage_snapshots(vol.as_deref())?,
                        |s| {
                            json!({"name": s.name, "volume": s.volume_name, "state": s.state,
                                "created": s.created, "id": s.id})
                        },
                        &["name", "volume", "state", "created", "id"],
                    )
                }
                SnapshotVerb::Take { volume, name } => {
                    let op = Operation::SnapshotCreate {
                        volume_id: volume_id(&app, &volume)?,
                        name,
                    };
                    operate(ctx, &app, op).await
                }
                SnapshotVerb::Revert { snapshot } => {
                    let op = Operation::SnapshotAction {
                        id: snapshot_id(&snapshot)?,
                        action: SnapshotAction::Revert,
                    };
                    operate(ctx, &app, op).await
                }
                SnapshotVerb::Delete { snapshot } => {
                    let op = Operation::SnapshotAction {
                        id: snapshot_id(&snapshot)?,
                        action: SnapshotAction::Delete,
                    };
                    operate(ctx, &app, op).await
                }
                SnapshotVerb::Policy {
                    volume,
                    hourly,
                    daily,
                    weekly,
                    monthly,
                    tz,
                    keep,
                } => {
                    let schedule = if let Some(minute) = hourly {
                        SnapshotSchedule::Hourly { minute }
                    } else if let Some(d) = daily {
                        let (hour, minute) = hh_mm(&d, "daily")?;
                        SnapshotSchedule::Daily { minute, hour }
                    } else if let Some(w) = weekly {
                        let (day_of_week, hour, minute) = at(&w, "weekly")?;
                        SnapshotSchedule::Weekly {
                            minute,
                            hour,
                            day_of_week,
                        }
                    } else if let Some(m) = monthly {
                        let (day_of_month, hour, minute) = at(&m, "monthly")?;
                        SnapshotSchedule::Monthly {
                            minute,
                            hour,
                            day_of_month,
                        }
                    } else {
                        return Err(usage(
                            "snapshot policy needs one of --hourly, --daily, --weekly, --monthly",
                        ));
                    };
                    let op = Operation::SnapshotPolicySet {
                        volume_id: volume_id(&app, &volume)?,
                        policy: SnapshotPolicy {
                            schedule,
                            time_zone: tz,
                            max_snaps: keep,
                        },
                    };
                    operate(ctx, &app, op).await
                }
                SnapshotVerb::Policies { volume } => print_rows(
                    ctx,
                    &c.storage_policies(&volume_id(&app, &volume)?)?,
                    |p| {
                        let (interval, schedule) = p.policy.schedule.to_cloudstack();
                        json!({"interval": interval, "schedule": schedule, "timezone": p.policy.time_zone,
                            "keep": p.policy.max_snaps, "description": p.policy.describe(), "id": p.id})
                    },
                    &[
                        "interval",
                        "schedule",
                        "timezone",
                        "keep",
                        "description",
                        "id",
                    ],
                ),
            }
        }
    }
}
