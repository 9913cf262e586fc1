//! `akashone offering list`.

use crate::commands::to_rows;
use crate::output::{self, Format};
use crate::target::{self, Online};
use crate::{CliError, Context};
use akashone_cloudstack::api::{ListDiskOfferings, ListServiceOfferings};
use serde_json::{Value, json};

/// Arguments of `offering`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// Offering kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Compute (service) offerings.
    Compute,
    /// Disk offerings.
    Disk,
}

/// `offering` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List offerings.
    List {
        /// Which offerings.
        #[arg(long, value_enum, default_value = "compute")]
        kind: Kind,
        /// Only offerings usable in this zone (id).
        #[arg(long)]
        zone: Option<String>,
    },
}

/// Columns of the compute offering table.
pub const COMPUTE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "cpunumber",
    "cpuspeed",
    "memory",
    "storagetype",
];
/// Columns of the compute offering table of a central server profile.
pub const CENTRAL_COLUMNS: &[&str] = &["id", "name", "size"];
/// Columns of the disk offering table.
pub const DISK_COLUMNS: &[&str] = &["id", "name", "disksize", "iscustomized", "storagetype"];

/// Runs `offering`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::List { kind, zone } => {
            let format = ctx.format_or(Format::Table);
            if ctx.offline {
                if zone.is_some() {
                    return Err(CliError::Usage(
                        "--offline lists the cached offerings of every zone: drop --zone".into(),
                    ));
                }
                let (kind, columns, shown) = match kind {
                    Kind::Compute => (
                        "service_offerings",
                        &[
                            ("id", "id"),
                            ("name", "name"),
                            ("cpu_number", "cpunumber"),
                            ("cpu_speed_mhz", "cpuspeed"),
                            ("memory_mb", "memory"),
                            ("storage_type", "storagetype"),
                        ][..],
                        COMPUTE_COLUMNS,
                    ),
                    Kind::Disk => (
                        "disk_offerings",
                        &[
                            ("id", "id"),
                            ("name", "name"),
                            ("disk_size_gb", "disksize"),
                            ("is_customized", "iscustomized"),
                            ("storage_type", "storagetype"),
                        ][..],
                        DISK_COLUMNS,
                    ),
                };
                let rows = target::offline_rows(ctx, kind, columns).await?;
                ctx.print(&output::render_rows(&rows, shown, format));
                return Ok(());
            }
            let client = match target::online(ctx, "offering list").await? {
                Online::CloudStack(client) => client,
                Online::Central { app, profile } => {
                    if kind == Kind::Disk {
                        return Err(CliError::Usage(
                            "a central server offers compute offerings only (no --kind disk)"
                                .into(),
                        ));
                    }
                    if zone.is_some() {
                        return Err(CliError::Usage(
                            "a central server's offerings are the same in every zone: drop --zone"
                                .into(),
                        ));
                    }
                    // The server gives each offering's size as one line ("2 vCPU · 4 GB").
                    let rows: Vec<Value> = app
                        .console
                        .deploy_offerings()
                        .await
                        .map_err(|e| target::central_error(&profile, e))?
                        .into_iter()
                        .map(|o| json!({"id": o.id, "name": o.name, "size": o.detail}))
                        .collect();
                    ctx.print(&output::render_rows(&rows, CENTRAL_COLUMNS, format));
                    return Ok(());
                }
            };
            let text = match kind {
                Kind::Compute => {
                    let req = ListServiceOfferings {
                        zoneid: zone,
                        ..Default::default()
                    };
                    let rows = to_rows(&client.list_service_offerings(&req).await?)?;
                    output::render_rows(&rows, COMPUTE_COLUMNS, format)
                }
                Kind::Disk => {
                    let req = ListDiskOfferings {
                        zoneid: zone,
                        ..Default::default()
                    };
                    let rows = to_rows(&client.list_disk_offerings(&req).await?)?;
                    output::render_rows(&rows, DISK_COLUMNS, format)
                }
            };
            ctx.print(&text);
            Ok(())
        }
    }
}
