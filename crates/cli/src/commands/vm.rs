//! `akashone vm list|get|deploy|start|stop|reboot|destroy`.
//!
//! With a saved profile, `list` and `get` sync the profile's cache and answer from it (or, with
//! `--offline`, answer from it as it is); the columns are the same as CloudStack's. Actions of a
//! central profile go through the server (the console's VM actions, with its refusals: no forced
//! stop, no expunge, no SSH key pair or network choice); without `--wait` they still wait for
//! the server's answer, which comes when the job ends.

use crate::commands::{print_submitted, to_rows, wait_with_spinner};
use crate::output::{self, Format};
use crate::target::{self, App, Cached, Online};
use crate::{CliError, Context};
use akashone_cloudstack::api::{DeployVirtualMachine, ListVirtualMachines};
use akashone_cloudstack::model::VirtualMachine;
use akashone_cloudstack::{AsyncJob, JobOutput};
use akashone_types::{DeployRequest, VmAction, VmQuery, VmRow};
use base64::Engine as _;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Arguments of `vm`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `vm` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List virtual machines (every page).
    List {
        /// Only VMs in this zone (id).
        #[arg(long)]
        zone: Option<String>,
        /// Only VMs in this state (Running, Stopped...).
        #[arg(long)]
        state: Option<String>,
        /// Free-text filter.
        #[arg(long)]
        keyword: Option<String>,
        /// Every VM the account may see (admins: all accounts). A saved profile always lists
        /// what its sync caches (a central server: the tenant's VMs and its subtree's).
        #[arg(long)]
        all: bool,
    },
    /// One virtual machine.
    Get {
        /// VM id.
        id: String,
    },
    /// Deploy a virtual machine.
    Deploy {
        /// Zone id.
        #[arg(long)]
        zone: String,
        /// Template id.
        #[arg(long)]
        template: String,
        /// Compute offering id.
        #[arg(long)]
        offering: String,
        /// Host name.
        #[arg(long)]
        name: Option<String>,
        /// Display name.
        #[arg(long)]
        display_name: Option<String>,
        /// Network id (repeat for several; the first is the default).
        #[arg(long = "network")]
        networks: Vec<String>,
        /// SSH key pair name.
        #[arg(long)]
        keypair: Option<String>,
        /// File with user data (cloud-init); sent Base64-encoded.
        #[arg(long, value_name = "PATH")]
        userdata_file: Option<PathBuf>,
        /// Create the VM without starting it.
        #[arg(long)]
        no_start: bool,
        /// Wait for the job to end, with a progress spinner.
        #[arg(long)]
        wait: bool,
    },
    /// Start a stopped VM.
    Start {
        /// VM id.
        id: String,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Stop a running VM.
    Stop {
        /// VM id.
        id: String,
        /// Force the stop even if the guest does not shut down.
        #[arg(long)]
        force: bool,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Reboot a VM.
    Reboot {
        /// VM id.
        id: String,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
    /// Destroy a VM.
    Destroy {
        /// VM id.
        id: String,
        /// Expunge at once (not recoverable).
        #[arg(long)]
        expunge: bool,
        /// Wait for the job to end.
        #[arg(long)]
        wait: bool,
    },
}

/// Columns of the VM table.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "state",
    "zonename",
    "ipaddress",
    "cpunumber",
    "memory",
    "templatename",
];

/// A VM as a table row: the typed fields plus the default NIC's `ipaddress`.
pub fn row(vm: &VirtualMachine) -> Result<Value, CliError> {
    let mut v = serde_json::to_value(vm).map_err(|e| CliError::Io(e.to_string()))?;
    let ip = vm.nic.as_ref().and_then(|nics| {
        nics.iter()
            .find(|n| n.isdefault == Some(true))
            .or_else(|| nics.first())
            .and_then(|n| n.ipaddress.clone())
    });
    if let (Some(ip), Some(obj)) = (ip, v.as_object_mut()) {
        obj.insert("ipaddress".into(), json!(ip));
    }
    Ok(v)
}

async fn finish_vm_job<T: JobOutput + Into<Option<VirtualMachine>>>(
    ctx: &Context,
    job: AsyncJob<T>,
    wait: bool,
) -> Result<(), CliError> {
    if !wait {
        print_submitted(ctx, &job);
        return Ok(());
    }
    let result: Option<VirtualMachine> = wait_with_spinner(ctx, &job).await?.into();
    let format = ctx.format_or(Format::Table);
    let text = match result {
        Some(vm) if format == Format::Json => {
            output::render_object(&serde_json::to_value(&vm).unwrap_or_default(), format)
        }
        Some(vm) => output::render_rows(&[row(&vm)?], COLUMNS, format),
        None => output::render_object(&json!({"jobid": job.jobid(), "success": true}), format),
    };
    ctx.print(&text);
    Ok(())
}

/// A cached VM with CloudStack's field names, so tables and CSV have the same columns.
pub fn cached_row(vm: &VmRow) -> Value {
    let mut v = json!({
        "id": vm.id,
        "name": vm.name,
        "displayname": vm.display_name,
        "state": vm.state,
        "zoneid": vm.zone_id,
        "zonename": vm.zone_name,
        "templateid": vm.template_id,
        "templatename": vm.template_name,
        "serviceofferingid": vm.offering_id,
        "serviceofferingname": vm.offering_name,
        "cpunumber": vm.cpu,
        "memory": vm.memory_mb,
        "ipaddress": vm.ip,
        "created": vm.created,
        "account": vm.account,
        "domain": vm.domain,
    });
    // Fields the cache does not know are left out rather than shown empty.
    if let Some(obj) = v.as_object_mut() {
        obj.retain(|_, x| x.as_str() != Some(""));
    }
    v
}

/// Every cached VM matching the filters, page after page.
fn cached_vms(
    app: &App,
    zone: Option<String>,
    state: Option<String>,
    keyword: Option<String>,
) -> Result<Vec<VmRow>, CliError> {
    let mut query = VmQuery {
        text: keyword.unwrap_or_default(),
        state,
        zone_id: zone,
        limit: VmQuery::MAX_LIMIT,
        ..Default::default()
    };
    let mut rows = Vec::new();
    loop {
        let page = app.console.vm_page(&query)?;
        let n = page.rows.len();
        rows.extend(page.rows);
        if n == 0 || rows.len() as u64 >= page.total {
            return Ok(rows);
        }
        query.offset += u32::try_from(n).unwrap_or(u32::MAX);
    }
}

fn print_cached(ctx: &Context, vms: &[VmRow]) {
    let rows: Vec<Value> = vms.iter().map(cached_row).collect();
    let format = ctx.format_or(Format::Table);
    let cols: &[&str] = if format == Format::Json { &[] } else { COLUMNS };
    ctx.print(&output::render_rows(&rows, cols, format));
}

/// Runs an action of a central profile through the console and prints what the direct path
/// prints: the VM (or the job's success) once it ends.
async fn console_action(
    ctx: &Context,
    app: &App,
    profile: &akashone_types::Profile,
    id: &str,
    action: VmAction,
    wait: bool,
) -> Result<(), CliError> {
    target::connect(ctx, app, profile).await?;
    let task = app
        .console
        .vm_action(id, action)
        .await
        .map_err(|e| target::central_error(profile, e))?;
    let event = if wait {
        app.follow(ctx, task).await?
    } else {
        app.submitted(ctx, task).await?
    };
    print_console_job(ctx, app, &event)
}

fn print_console_job(
    ctx: &Context,
    app: &App,
    event: &akashone_types::JobEvent,
) -> Result<(), CliError> {
    let format = ctx.format_or(Format::Table);
    if event.phase != akashone_types::JobPhase::Succeeded {
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
    let vm = event
        .vm_id
        .as_deref()
        .and_then(|id| app.console.vm_get(id).ok());
    let text = match vm {
        Some(vm) if format == Format::Json => output::render_object(&cached_row(&vm), format),
        Some(vm) => output::render_rows(&[cached_row(&vm)], COLUMNS, format),
        None => output::render_object(&json!({"success": true}), format),
    };
    ctx.print(&text);
    Ok(())
}

/// Runs `vm`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::Get { id } => match target::cached(ctx).await? {
            Cached::Console { app, .. } => {
                let vm = app.console.vm_get(&id)?;
                let format = ctx.format_or(Format::Table);
                ctx.print(&output::render_object(&cached_row(&vm), format));
                Ok(())
            }
            Cached::Live(client) => {
                let req = ListVirtualMachines {
                    id: Some(id.clone()),
                    listall: Some(true),
                    ..Default::default()
                };
                let vm = client
                    .list_virtual_machines(&req)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| CliError::NotFound(format!("no virtual machine {id}")))?;
                let format = ctx.format_or(Format::Table);
                let v = if format == Format::Json {
                    serde_json::to_value(&vm).map_err(|e| CliError::Io(e.to_string()))?
                } else {
                    row(&vm)?
                };
                ctx.print(&output::render_object(&v, format));
                Ok(())
            }
        },
        Action::List {
            zone,
            state,
            keyword,
            all,
        } => {
            let client = match target::cached(ctx).await? {
                Cached::Live(client) => client,
                Cached::Console { app, .. } => {
                    let vms = cached_vms(&app, zone, state, keyword)?;
                    print_cached(ctx, &vms);
                    return Ok(());
                }
            };
            let req = ListVirtualMachines {
                zoneid: zone,
                state,
                keyword,
                listall: all.then_some(true),
                ..Default::default()
            };
            let vms = client.list_virtual_machines(&req).await?;
            let format = ctx.format_or(Format::Table);
            let text = if format == Format::Json {
                output::render_rows(&to_rows(&vms)?, &[], format)
            } else {
                let rows = vms.iter().map(row).collect::<Result<Vec<_>, _>>()?;
                output::render_rows(&rows, COLUMNS, format)
            };
            ctx.print(&text);
            Ok(())
        }
        Action::Deploy {
            zone,
            template,
            offering,
            name,
            display_name,
            networks,
            keypair,
            userdata_file,
            no_start,
            wait,
        } => {
            let mut req = DeployVirtualMachine::new(zone, offering, template);
            req.name = name;
            req.displayname = display_name;
            req.networkids = (!networks.is_empty()).then_some(networks);
            req.keypair = keypair;
            req.startvm = no_start.then_some(false);
            if let Some(path) = userdata_file {
                let data = std::fs::read(&path)
                    .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
                req.userdata = Some(base64::engine::general_purpose::STANDARD.encode(data));
            }
            let client = match target::online(ctx, "vm deploy").await? {
                Online::CloudStack(client) => client,
                Online::Central { app, profile } => {
                    let refused = |what: &str| {
                        CliError::Usage(format!(
                            "{what} is not offered through a central server profile"
                        ))
                    };
                    if req.displayname.is_some() {
                        return Err(refused("--display-name"));
                    }
                    if req.userdata.is_some() {
                        return Err(refused("--userdata-file"));
                    }
                    if no_start {
                        return Err(refused("--no-start"));
                    }
                    let name = req.name.clone().ok_or_else(|| {
                        CliError::Usage("--name is required with a central server profile".into())
                    })?;
                    target::connect(ctx, &app, &profile).await?;
                    let form = DeployRequest {
                        zone_id: req.zoneid.unwrap_or_default(),
                        template_id: req.templateid.unwrap_or_default(),
                        offering_id: req.serviceofferingid.unwrap_or_default(),
                        name,
                        keypair: req.keypair,
                        network_id: req.networkids.and_then(|n| n.into_iter().next()),
                    };
                    let task = app
                        .console
                        .deploy_vm(&form)
                        .await
                        .map_err(|e| target::central_error(&profile, e))?;
                    let event = if wait {
                        app.follow(ctx, task).await?
                    } else {
                        app.submitted(ctx, task).await?
                    };
                    return print_console_job(ctx, &app, &event);
                }
            };
            let job = client.deploy_virtual_machine(&req).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Start { id, wait } => {
            let client = match target::online(ctx, "vm start").await? {
                Online::CloudStack(c) => c,
                Online::Central { app, profile } => {
                    return console_action(ctx, &app, &profile, &id, VmAction::Start, wait).await;
                }
            };
            let job = client.start_virtual_machine(&id).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Stop { id, force, wait } => {
            let client = match target::online(ctx, "vm stop").await? {
                Online::CloudStack(c) => c,
                Online::Central { app, profile } => {
                    let action = if force {
                        VmAction::ForceStop
                    } else {
                        VmAction::Stop
                    };
                    return console_action(ctx, &app, &profile, &id, action, wait).await;
                }
            };
            let job = client.stop_virtual_machine(&id, force).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Reboot { id, wait } => {
            let client = match target::online(ctx, "vm reboot").await? {
                Online::CloudStack(c) => c,
                Online::Central { app, profile } => {
                    return console_action(ctx, &app, &profile, &id, VmAction::Reboot, wait).await;
                }
            };
            let job = client.reboot_virtual_machine(&id).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Destroy { id, expunge, wait } => {
            let client = match target::online(ctx, "vm destroy").await? {
                Online::CloudStack(c) => c,
                Online::Central { app, profile } => {
                    let action = if expunge {
                        VmAction::DestroyExpunge
                    } else {
                        VmAction::Destroy
                    };
                    return console_action(ctx, &app, &profile, &id, action, wait).await;
                }
            };
            let job = client.destroy_virtual_machine(&id, expunge).await?;
            finish_vm_job(ctx, job, wait).await
        }
    }
}
