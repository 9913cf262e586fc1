//! `akashone vm list|deploy|start|stop|reboot|destroy`.

use crate::commands::{print_submitted, to_rows, wait_with_spinner};
use crate::output::{self, Format};
use crate::{CliError, Context};
use akashone_cloudstack::api::{DeployVirtualMachine, ListVirtualMachines};
use akashone_cloudstack::model::VirtualMachine;
use akashone_cloudstack::{AsyncJob, JobOutput};
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
        /// Every VM the account may see (admins: all accounts).
        #[arg(long)]
        all: bool,
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

/// Runs `vm`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::List {
            zone,
            state,
            keyword,
            all,
        } => {
            let client = ctx.client()?;
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
            let client = ctx.client()?;
            let job = client.deploy_virtual_machine(&req).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Start { id, wait } => {
            let job = ctx.client()?.start_virtual_machine(&id).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Stop { id, force, wait } => {
            let job = ctx.client()?.stop_virtual_machine(&id, force).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Reboot { id, wait } => {
            let job = ctx.client()?.reboot_virtual_machine(&id).await?;
            finish_vm_job(ctx, job, wait).await
        }
        Action::Destroy { id, expunge, wait } => {
            let job = ctx.client()?.destroy_virtual_machine(&id, expunge).await?;
            finish_vm_job(ctx, job, wait).await
        }
    }
}
