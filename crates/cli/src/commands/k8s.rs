//! `akashone k8s list|get|versions|create|scale|autoscale|upgrade|start|stop|delete|kubeconfig`:
//! Kubernetes clusters (CloudStack Kubernetes Service) of a saved profile.
//!
//! Everything goes through the app's console, as on the desktop's Kubernetes page: `list` and
//! `get` sync the profile's cache and answer from it (or, with `--offline`, answer from it as it
//! is); the other verbs need the cloud. Names are resolved to ids here (clusters, zones,
//! versions, offerings, networks, nodes), and every request is checked with CloudStack's own
//! rules before CloudStack is asked: `create` refuses with every problem of its plan, the
//! lifecycle verbs with the state the cluster is in. `--wait` follows the job with a spinner on
//! stderr and prints the cluster once it ends.
//!
//! Exit codes: 2 for a malformed command line (conflicting or missing flags, `MIN-MAX` that does
//! not read as one, `delete` without `--yes`, legacy credentials), 4 for an unknown cluster,
//! zone, version, offering, network, key pair or node, 7 for a request CloudStack's rules refuse
//! (in the same words as the app), 6 for a job that failed.

use crate::output::{self, Format};
use crate::target::{self, App, Target};
use crate::{CliError, Context};
use akashone_app::AppError;
use akashone_types::kubernetes::{
    ClusterAction, ClusterNetwork, ClusterPlan, ClusterRow, CreateCluster, KubeOffering,
    KubeVersion, NodeRole, Resources, Workers, upgrade_targets,
};
use akashone_types::{Choice, JobEvent, JobPhase, Profile};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Arguments of `k8s`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// Workers of a new cluster: a fixed count or autoscaling bounds, never both.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct WorkersArg {
    /// This many workers.
    #[arg(long, value_name = "N")]
    pub workers: Option<u32>,
    /// Autoscale between MIN and MAX workers (it starts with MIN): `--autoscale 1-5`.
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_range)]
    pub autoscale: Option<(u32, u32)>,
}

/// How to scale: to a size, or by removing chosen workers.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct ScaleArg {
    /// To this many workers (turns autoscaling off when it is on).
    #[arg(long, value_name = "N")]
    pub size: Option<u32>,
    /// Remove these workers (node names or VM ids, comma-separated).
    #[arg(long, value_name = "NODE[,NODE]", value_delimiter = ',')]
    pub remove: Vec<String>,
}

/// `k8s` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List the clusters: name, state, version, control nodes, workers, autoscaling, zone,
    /// endpoint.
    List,
    /// One cluster, with its nodes.
    Get {
        /// Cluster name or id.
        cluster: String,
    },
    /// Kubernetes versions CloudStack offers.
    Versions {
        /// Only those of this zone (name or id).
        #[arg(long)]
        zone: Option<String>,
    },
    /// Create a cluster (checked with CloudStack's rules and the account's limits first).
    Create {
        /// Cluster name.
        name: String,
        /// Zone (name or id).
        #[arg(long)]
        zone: String,
        /// Kubernetes version (id, name or semantic version such as 1.29.2).
        #[arg(long)]
        version: String,
        /// Compute offering of every node (name or id).
        #[arg(long)]
        offering: String,
        /// Control nodes: 1, or 3 or 5 for HA.
        #[arg(long, value_name = "N", default_value_t = 1)]
        control_nodes: u32,
        /// Workers.
        #[command(flatten)]
        workers: WorkersArg,
        /// The control nodes' own offering (name or id).
        #[arg(long, value_name = "OFFERING")]
        control_offering: Option<String>,
        /// The workers' own offering (name or id).
        #[arg(long, value_name = "OFFERING")]
        worker_offering: Option<String>,
        /// An existing isolated network (name or id; default: CloudStack creates one).
        #[arg(long)]
        network: Option<String>,
        /// SSH key pair of the nodes.
        #[arg(long)]
        keypair: Option<String>,
        /// Print the plan (needs, most, available, monthly cost, problems) and stop; exits 7
        /// when the plan has problems.
        #[arg(long, conflicts_with = "wait")]
        dry_run: bool,
        /// Wait for the cluster to run, with a spinner.
        #[arg(long)]
        wait: bool,
    },
    /// Scale to a number of workers, or remove chosen workers.
    Scale {
        /// Cluster name or id.
        cluster: String,
        /// Size or nodes.
        #[command(flatten)]
        how: ScaleArg,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Autoscale between MIN and MAX workers, or turn autoscaling off with `--off --size N`.
    Autoscale {
        /// Cluster name or id.
        cluster: String,
        /// Fewest workers.
        #[arg(required_unless_present = "off", conflicts_with = "off")]
        min: Option<u32>,
        /// Most workers.
        #[arg(required_unless_present = "off", conflicts_with = "off")]
        max: Option<u32>,
        /// Turn autoscaling off, keeping `--size` workers.
        #[arg(long, requires = "size")]
        off: bool,
        /// With --off: the workers to keep.
        #[arg(long, value_name = "N", requires = "off")]
        size: Option<u32>,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Upgrade to a newer Kubernetes version (a newer patch or the next minor).
    Upgrade {
        /// Cluster name or id.
        cluster: String,
        /// Version (id, name or semantic version).
        #[arg(long)]
        version: String,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Start a stopped cluster (or restart one in Alert).
    Start {
        /// Cluster name or id.
        cluster: String,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Stop a cluster's nodes.
    Stop {
        /// Cluster name or id.
        cluster: String,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Delete a cluster, its nodes and the network CloudStack made for it.
    Delete {
        /// Cluster name or id.
        cluster: String,
        /// Yes, delete it (required).
        #[arg(long)]
        yes: bool,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// The cluster's kubeconfig: printed to stdout (only it), or written to a file readable by
    /// its owner only (0600).
    Kubeconfig {
        /// Cluster name or id.
        cluster: String,
        /// Write it to this file instead (its path goes to stderr).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
}

/// Columns of the cluster table.
pub const COLUMNS: &[&str] = &[
    "name",
    "state",
    "version",
    "control",
    "workers",
    "autoscale",
    "zone",
    "endpoint",
];

/// Columns of the version table.
pub const VERSION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "enabled",
    "ready",
    "ha",
    "autoscaling",
    "min_cpu",
    "min_memory_mb",
];

/// `MIN-MAX` → `(MIN, MAX)`.
fn parse_range(s: &str) -> Result<(u32, u32), String> {
    let (a, b) = s
        .split_once(['-', ':'])
        .ok_or_else(|| format!("{s:?} is not MIN-MAX (e.g. 1-5)"))?;
    let n = |x: &str| {
        x.trim()
            .parse::<u32>()
            .map_err(|_| format!("{s:?} is not MIN-MAX (e.g. 1-5)"))
    };
    Ok((n(a)?, n(b)?))
}

fn autoscale_text(c: &ClusterRow) -> String {
    c.autoscale
        .map_or_else(|| "-".to_owned(), |(min, max)| format!("{min}-{max}"))
}

/// A cluster as a table row.
pub fn row(c: &ClusterRow) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "state": c.state,
        "version": c.version,
        "control": c.control_nodes,
        "workers": c.workers,
        "autoscale": autoscale_text(c),
        "zone": c.zone_name,
        "endpoint": c.endpoint,
    })
}

/// A cluster with its detail, for `get` and the end of a job.
fn detail(c: &ClusterRow) -> Value {
    let nodes: Vec<String> = c
        .nodes
        .iter()
        .map(|n| {
            let role = match n.role {
                NodeRole::Control => "control",
                NodeRole::Worker => "worker",
            };
            format!(
                "{} ({role}, {}{})",
                n.name,
                n.state,
                n.ip.as_deref()
                    .map(|ip| format!(", {ip}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let mut v = row(c);
    if let Some(o) = v.as_object_mut() {
        o.insert("zoneid".into(), json!(c.zone_id));
        o.insert("versionid".into(), json!(c.version_id));
        o.insert("offering".into(), json!(c.offering_name));
        o.insert("network".into(), json!(c.network_name));
        o.insert(
            "keypair".into(),
            json!(c.keypair.clone().unwrap_or_default()),
        );
        o.insert("cpu".into(), json!(c.cpu));
        o.insert("memory".into(), json!(c.memory_mb));
        o.insert("account".into(), json!(c.account));
        o.insert("created".into(), json!(c.created));
        o.insert("nodes".into(), json!(nodes.join("; ")));
    }
    v
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Value, CliError> {
    serde_json::to_value(v).map_err(|e| CliError::Io(e.to_string()))
}

fn print_cluster(ctx: &Context, c: &ClusterRow) -> Result<(), CliError> {
    let format = ctx.format_or(Format::Table);
    let v = if format == Format::Json {
        to_json(c)?
    } else {
        detail(c)
    };
    ctx.print(&output::render_object(&v, format));
    Ok(())
}

/// A saved profile's console, connected: synced (or, with `--offline`, its cache opened).
/// `what` names the command for the refusals; `cloud` says whether it needs the cloud.
async fn session(ctx: &Context, what: &str, cloud: bool) -> Result<(App, Profile), CliError> {
    if cloud && ctx.offline {
        return Err(CliError::Usage(format!(
            "{what} needs the cloud; --offline answers k8s list and k8s get from the cache"
        )));
    }
    let (app, profile) = match target::resolve(ctx)? {
        Target::Saved { app, profile } => (app, profile),
        Target::Legacy(_) => {
            return Err(CliError::Usage(
                "k8s works on the app's saved profiles (--profile NAME; see `akashone profile \
                 list`); `akashone profile import` turns profiles.toml profiles into saved ones"
                    .into(),
            ));
        }
    };
    target::connect(ctx, &app, &profile).await?;
    Ok((app, profile))
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = items.collect();
    if all.is_empty() {
        "none".into()
    } else {
        all.join(", ")
    }
}

/// The cached cluster with this id or name.
fn find_cluster(app: &App, name: &str) -> Result<ClusterRow, CliError> {
    let all = app.console.kube_clusters()?;
    if let Some(c) = all.iter().find(|c| c.id == name || c.name == name) {
        return Ok(c.clone());
    }
    Err(CliError::NotFound(format!(
        "no Kubernetes cluster {name:?}: the clusters are {} (see `akashone k8s list`)",
        names(all.iter().map(|c| c.name.as_str()))
    )))
}

/// One of `choices` by id, else by name (case-insensitive, unique).
fn pick(what: &str, wanted: &str, choices: &[Choice]) -> Result<String, CliError> {
    if let Some(c) = choices.iter().find(|c| c.id == wanted) {
        return Ok(c.id.clone());
    }
    let named: Vec<&Choice> = choices
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(wanted))
        .collect();
    match named.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(CliError::NotFound(format!(
            "no {what} {wanted:?}: there are {}",
            names(choices.iter().map(|c| c.name.as_str()))
        ))),
        many => Err(CliError::Usage(format!(
            "several {what}s are named {wanted:?}; use the id of one: {}",
            names(many.iter().map(|c| c.id.as_str()))
        ))),
    }
}

fn offering<'a>(wanted: &str, all: &'a [KubeOffering]) -> Result<&'a KubeOffering, CliError> {
    let choices: Vec<Choice> = all
        .iter()
        .map(|o| Choice {
            id: o.id.clone(),
            name: o.name.clone(),
            detail: String::new(),
        })
        .collect();
    let id = pick("compute offering", wanted, &choices)?;
    all.iter()
        .find(|o| o.id == id)
        .ok_or_else(|| CliError::NotFound(format!("no compute offering {wanted:?}")))
}

/// The version with this id, name (`v1.29.2`) or semantic version (`1.29.2`); the usable one
/// first when several match.
fn version<'a>(wanted: &str, all: &'a [KubeVersion]) -> Option<&'a KubeVersion> {
    let w = wanted.trim();
    let bare = w.trim_start_matches('v');
    let mut matching: Vec<&KubeVersion> = all
        .iter()
        .filter(|v| v.id == w || v.name == w || v.semantic_version == bare)
        .collect();
    matching.sort_by_key(|v| !v.usable());
    matching.first().copied()
}

fn versions_text(all: &[KubeVersion]) -> String {
    names(all.iter().map(|v| v.semantic_version.as_str()))
}

fn resources(r: &Resources) -> String {
    format!("{} VMs, {} vCPUs, {} MB", r.vms, r.cpu, r.memory_mb)
}

fn rupees(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let p = paise.unsigned_abs();
    format!("{sign}₹{}.{:02}", p / 100, p % 100)
}

fn print_plan(ctx: &Context, req: &CreateCluster, plan: &ClusterPlan) -> Result<(), CliError> {
    let format = ctx.format_or(Format::Table);
    if format == Format::Json {
        let v = json!({"request": to_json(req)?, "plan": to_json(plan)?});
        ctx.print(&output::render_object(&v, format));
        return Ok(());
    }
    let flat = json!({
        "name": req.name,
        "needs": resources(&plan.needs),
        "most": resources(&plan.most),
        "available": plan.available.as_ref().map_or_else(|| "unlimited".to_owned(), resources),
        "monthly": plan.monthly_paise.map_or_else(|| "no rate card".to_owned(), rupees),
        "problems": if plan.problems.is_empty() { "none".to_owned() } else { plan.problems.join(" ") },
    });
    if format == Format::Csv {
        ctx.print(&output::render_rows(
            &[flat],
            &["name", "needs", "most", "available", "monthly", "problems"],
            format,
        ));
        return Ok(());
    }
    let mut text = String::new();
    for key in ["name", "needs", "most", "available", "monthly"] {
        text.push_str(&format!(
            "{key:<10} {}\n",
            flat[key].as_str().unwrap_or_default()
        ));
    }
    if plan.problems.is_empty() {
        text.push_str("problems   none\n");
    } else {
        text.push_str("problems\n");
        for p in &plan.problems {
            text.push_str(&format!("  - {p}\n"));
        }
    }
    ctx.print(&text);
    Ok(())
}

fn refused(name: &str, problems: &[String]) -> CliError {
    let mut msg = format!("CloudStack would refuse the cluster {name:?}:");
    for p in problems {
        msg.push_str("\n  - ");
        msg.push_str(p);
    }
    CliError::App(AppError::Invalid(msg))
}

/// Prints what a job left: the cluster once it ended, else the task and CloudStack's job id.
fn print_job(ctx: &Context, app: &App, event: &JobEvent) -> Result<(), CliError> {
    let format = ctx.format_or(Format::Table);
    if event.phase != JobPhase::Succeeded {
        let mut v = json!({"task": event.task_id});
        if let Some(j) = &event.job_id {
            v["jobid"] = json!(j);
        }
        if let Some(id) = &event.vm_id {
            v["id"] = json!(id);
        }
        ctx.print(&output::render_object(&v, format));
        return Ok(());
    }
    let cluster = event.vm_id.as_deref().and_then(|id| {
        app.console
            .kube_clusters()
            .ok()?
            .into_iter()
            .find(|c| c.id == id)
    });
    match cluster {
        Some(c) => print_cluster(ctx, &c),
        None => {
            let mut v = json!({"success": true});
            if let Some(id) = &event.vm_id {
                v["id"] = json!(id);
            }
            ctx.print(&output::render_object(&v, format));
            Ok(())
        }
    }
}

/// Follows a task (to its end with `--wait`, else until CloudStack has its job) and prints it.
async fn finish(ctx: &Context, app: &App, task: u64, wait: bool) -> Result<(), CliError> {
    let event = if wait {
        app.follow(ctx, task).await?
    } else {
        app.submitted(ctx, task).await?
    };
    print_job(ctx, app, &event)
}

/// Runs a lifecycle action on a cluster by name or id.
async fn act(
    ctx: &Context,
    what: &str,
    cluster: &str,
    wait: bool,
    action: impl FnOnce(&ClusterRow) -> Result<ClusterAction, CliError>,
) -> Result<(), CliError> {
    let (app, profile) = session(ctx, what, true).await?;
    let c = find_cluster(&app, cluster)?;
    let action = action(&c)?;
    let task = app
        .console
        .kube_action(&c.id, &action)
        .await
        .map_err(|e| target::central_error(&profile, e))?;
    finish(ctx, &app, task, wait).await
}

/// Runs `k8s`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::List => {
            let (app, _) = session(ctx, "k8s list", false).await?;
            let clusters = app.console.kube_clusters()?;
            let format = ctx.format_or(Format::Table);
            let rows: Vec<Value> = if format == Format::Json {
                clusters.iter().map(to_json).collect::<Result<_, _>>()?
            } else {
                clusters.iter().map(row).collect()
            };
            ctx.print(&output::render_rows(&rows, COLUMNS, format));
            Ok(())
        }
        Action::Get { cluster } => {
            let (app, _) = session(ctx, "k8s get", false).await?;
            print_cluster(ctx, &find_cluster(&app, &cluster)?)
        }
        Action::Versions { zone } => {
            let (app, profile) = session(ctx, "k8s versions", true).await?;
            let central = |e| target::central_error(&profile, e);
            let zone_id = match zone {
                Some(z) => Some(pick(
                    "zone",
                    &z,
                    &app.console.deploy_zones().await.map_err(central)?,
                )?),
                None => None,
            };
            let versions = app
                .console
                .kube_versions(zone_id.as_deref())
                .await
                .map_err(central)?;
            let format = ctx.format_or(Format::Table);
            let rows: Vec<Value> = if format == Format::Json {
                versions.iter().map(to_json).collect::<Result<_, _>>()?
            } else {
                versions
                    .iter()
                    .map(|v| {
                        json!({
                            "id": v.id,
                            "name": v.name,
                            "enabled": v.enabled,
                            "ready": v.iso_ready,
                            "ha": v.supports_ha,
                            "autoscaling": v.supports_autoscaling,
                            "min_cpu": v.min_cpu,
                            "min_memory_mb": v.min_memory_mb,
                        })
                    })
                    .collect()
            };
            ctx.print(&output::render_rows(&rows, VERSION_COLUMNS, format));
            Ok(())
        }
        Action::Create {
            name,
            zone,
            version: wanted_version,
            offering: wanted_offering,
            control_nodes,
            workers,
            control_offering,
            worker_offering,
            network,
            keypair,
            dry_run,
            wait,
        } => {
            let what = if dry_run {
                "k8s create --dry-run"
            } else {
                "k8s create"
            };
            let (app, profile) = session(ctx, what, true).await?;
            let central = |e| target::central_error(&profile, e);
            let c = &app.console;
            let zone_id = pick("zone", &zone, &c.deploy_zones().await.map_err(central)?)?;
            let versions = c.kube_versions(Some(&zone_id)).await.map_err(central)?;
            let version = version(&wanted_version, &versions).ok_or_else(|| {
                CliError::NotFound(format!(
                    "no Kubernetes version {wanted_version:?} in zone {zone:?}: it offers {}",
                    versions_text(&versions)
                ))
            })?;
            let offerings = c.kube_offerings().await.map_err(central)?;
            let offering_id = offering(&wanted_offering, &offerings)?.id.clone();
            let control_offering_id = match &control_offering {
                Some(o) => Some(offering(o, &offerings)?.id.clone()),
                None => None,
            };
            let worker_offering_id = match &worker_offering {
                Some(o) => Some(offering(o, &offerings)?.id.clone()),
                None => None,
            };
            let network = match network {
                Some(n) => ClusterNetwork::Existing {
                    id: pick(
                        "network",
                        &n,
                        &c.deploy_networks(&zone_id).await.map_err(central)?,
                    )?,
                },
                None => ClusterNetwork::New,
            };
            if let Some(k) = &keypair {
                let pairs = c.deploy_keypairs().await.map_err(central)?;
                if !pairs.iter().any(|p| &p.id == k || &p.name == k) {
                    return Err(CliError::NotFound(format!(
                        "no SSH key pair {k:?}: there are {}",
                        names(pairs.iter().map(|p| p.name.as_str()))
                    )));
                }
            }
            let workers = match (workers.workers, workers.autoscale) {
                (Some(size), _) => Workers::Fixed { size },
                (None, Some((min, max))) => Workers::Autoscale { min, max },
                (None, None) => {
                    return Err(CliError::Usage(
                        "give --workers N or --autoscale MIN-MAX".into(),
                    ));
                }
            };
            let req = CreateCluster {
                name,
                description: None,
                zone_id,
                version_id: version.id.clone(),
                control_nodes,
                workers,
                offering_id,
                control_offering_id,
                worker_offering_id,
                network,
                keypair,
            };
            let plan = c.kube_plan(&req).await.map_err(central)?;
            if dry_run {
                print_plan(ctx, &req, &plan)?;
                if plan.problems.is_empty() {
                    return Ok(());
                }
                return Err(CliError::App(AppError::Invalid(format!(
                    "the plan has {} problem(s): CloudStack would refuse this cluster",
                    plan.problems.len()
                ))));
            }
            if !plan.problems.is_empty() {
                return Err(refused(&req.name, &plan.problems));
            }
            let task = c.kube_create(&req).await.map_err(central)?;
            finish(ctx, &app, task, wait).await
        }
        Action::Scale { cluster, how, wait } => {
            act(ctx, "k8s scale", &cluster, wait, |c| {
                if let Some(size) = how.size {
                    return Ok(ClusterAction::Scale { size });
                }
                let node_ids = how
                    .remove
                    .iter()
                    .map(|n| {
                        c.nodes
                            .iter()
                            .find(|x| &x.vm_id == n || &x.name == n)
                            .map(|x| x.vm_id.clone())
                            .ok_or_else(|| {
                                CliError::NotFound(format!(
                                    "no node {n:?} in cluster {}: its nodes are {}",
                                    c.name,
                                    names(c.nodes.iter().map(|x| x.name.as_str()))
                                ))
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(ClusterAction::RemoveNodes { node_ids })
            })
            .await
        }
        Action::Autoscale {
            cluster,
            min,
            max,
            off,
            size,
            wait,
        } => {
            let action = match (off, size, min, max) {
                (true, Some(size), _, _) => ClusterAction::Scale { size },
                (false, _, Some(min), Some(max)) => ClusterAction::Autoscale { min, max },
                _ => {
                    return Err(CliError::Usage("give MIN MAX, or --off --size N".into()));
                }
            };
            act(ctx, "k8s autoscale", &cluster, wait, |_| Ok(action)).await
        }
        Action::Upgrade {
            cluster,
            version: wanted,
            wait,
        } => {
            let (app, profile) = session(ctx, "k8s upgrade", true).await?;
            let c = find_cluster(&app, &cluster)?;
            let versions = app
                .console
                .kube_versions(Some(&c.zone_id))
                .await
                .map_err(|e| target::central_error(&profile, e))?;
            let v = version(&wanted, &versions).ok_or_else(|| {
                let targets = upgrade_targets(&c.version, &versions);
                CliError::NotFound(format!(
                    "no Kubernetes version {wanted:?} in {}'s zone; {} ({}) can be upgraded to {}",
                    c.name,
                    c.name,
                    c.version,
                    names(targets.iter().map(|v| v.semantic_version.as_str()))
                ))
            })?;
            let action = ClusterAction::Upgrade {
                version_id: v.id.clone(),
            };
            let task = app
                .console
                .kube_action(&c.id, &action)
                .await
                .map_err(|e| target::central_error(&profile, e))?;
            finish(ctx, &app, task, wait).await
        }
        Action::Start { cluster, wait } => {
            act(ctx, "k8s start", &cluster, wait, |_| {
                Ok(ClusterAction::Start)
            })
            .await
        }
        Action::Stop { cluster, wait } => {
            act(ctx, "k8s stop", &cluster, wait, |_| Ok(ClusterAction::Stop)).await
        }
        Action::Delete { cluster, yes, wait } => {
            if !yes {
                return Err(CliError::Usage(format!(
                    "deleting {cluster:?} removes its nodes and the network CloudStack made for \
                     it, and cannot be undone: add --yes to delete it"
                )));
            }
            act(ctx, "k8s delete", &cluster, wait, |_| {
                Ok(ClusterAction::Delete)
            })
            .await
        }
        Action::Kubeconfig { cluster, file } => {
            let (app, profile) = session(ctx, "k8s kubeconfig", true).await?;
            let c = find_cluster(&app, &cluster)?;
            let central = |e| target::central_error(&profile, e);
            match file {
                Some(path) => {
                    let path = path.to_str().ok_or_else(|| {
                        CliError::Usage(format!("{} is not a UTF-8 path", path.display()))
                    })?;
                    let saved = app
                        .console
                        .kube_config_save(&c.id, Some(path))
                        .await
                        .map_err(central)?;
                    eprintln!(
                        "kubeconfig of {} written to {} (readable by you only)",
                        c.name, saved.path
                    );
                }
                None => {
                    let text = app.console.kube_config_text(&c.id).await.map_err(central)?;
                    ctx.print(&text);
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_versions() {
        assert_eq!(parse_range("1-5"), Ok((1, 5)));
        assert_eq!(parse_range("2:3"), Ok((2, 3)));
        assert!(parse_range("5").is_err());
        assert!(parse_range("a-b").is_err());
        let v = |id: &str, sem: &str, enabled: bool| KubeVersion {
            id: id.into(),
            name: format!("v{sem}"),
            semantic_version: sem.into(),
            zone_id: None,
            enabled,
            iso_ready: true,
            supports_ha: true,
            supports_autoscaling: true,
            min_cpu: 2,
            min_memory_mb: 2048,
        };
        let all = [
            v("a", "1.29.2", false),
            v("b", "1.29.2", true),
            v("c", "1.30.4", true),
        ];
        assert_eq!(version("1.29.2", &all).map(|v| v.id.as_str()), Some("b"));
        assert_eq!(version("v1.30.4", &all).map(|v| v.id.as_str()), Some("c"));
        assert_eq!(version("a", &all).map(|v| v.id.as_str()), Some("a"));
        assert!(version("1.31.0", &all).is_none());
        assert_eq!(rupees(123_456), "₹1234.56");
    }
}
