//! `akashone zone list`.

use crate::commands::to_rows;
use crate::output::{self, Format};
use crate::{CliError, Context};
use akashone_cloudstack::api::ListZones;

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
            let client = ctx.client()?;
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
