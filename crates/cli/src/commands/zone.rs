//! `akashone zone list`.

use crate::commands::to_rows;
use crate::output::{self, Format};
use crate::target::{self, Online};
use crate::{CliError, Context};
use akashone_cloudstack::api::ListZones;
use serde_json::{Value, json};

/// Arguments of `zone`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `zone` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List zones.
    List {
        /// Only zones available to this account.
        #[arg(long)]
        available: bool,
        /// Free-text filter.
        #[arg(long)]
        keyword: Option<String>,
    },
}

/// Columns of the zone table.
pub const COLUMNS: &[&str] = &["id", "name", "networktype", "allocationstate"];

/// Runs `zone`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::List { available, keyword } => {
            if ctx.offline {
                // The zones the profile's last sync listed.
                let needle = keyword.map(|k| k.to_lowercase());
                let rows: Vec<Value> = target::offline_rows(
                    ctx,
                    "zones",
                    &[
                        ("id", "id"),
                        ("name", "name"),
                        ("network_type", "networktype"),
                        ("allocation_state", "allocationstate"),
                    ],
                )
                .await?
                .into_iter()
                .filter(|z| {
                    needle
                        .as_ref()
                        .is_none_or(|k| z["name"].as_str().unwrap_or("").to_lowercase().contains(k))
                })
                .collect();
                ctx.print(&output::render_rows(
                    &rows,
                    COLUMNS,
                    ctx.format_or(Format::Table),
                ));
                return Ok(());
            }
            let client = match target::online(ctx, "zone list").await? {
                Online::CloudStack(client) => client,
                Online::Central { app, profile } => {
                    // The zones the acting tenant can deploy into.
                    let needle = keyword.map(|k| k.to_lowercase());
                    let rows: Vec<Value> = app
                        .console
                        .deploy_zones()
                        .await
                        .map_err(|e| target::central_error(&profile, e))?
                        .into_iter()
                        .filter(|z| {
                            needle
                                .as_ref()
                                .is_none_or(|k| z.name.to_lowercase().contains(k))
                        })
                        .map(|z| json!({"id": z.id, "name": z.name, "allocationstate": "Enabled"}))
                        .collect();
                    ctx.print(&output::render_rows(
                        &rows,
                        COLUMNS,
                        ctx.format_or(Format::Table),
                    ));
                    return Ok(());
                }
            };
            let req = ListZones {
                available: available.then_some(true),
                keyword,
                ..Default::default()
            };
            let zones = client.list_zones(&req).await?;
            let rows = to_rows(&zones)?;
            ctx.print(&output::render_rows(
                &rows,
                COLUMNS,
                ctx.format_or(Format::Table),
            ));
            Ok(())
        }
    }
}
