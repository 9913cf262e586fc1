//! `akashone template list`.

use crate::commands::to_rows;
use crate::output::{self, Format};
use crate::{CliError, Context};
use akashone_cloudstack::api::{ListTemplates, TemplateFilter};

/// Arguments of `template`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `template` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List templates.
    List {
        /// Only templates in this zone (id).
        #[arg(long)]
        zone: Option<String>,
        /// featured, self, selfexecutable, sharedexecutable, executable, community, all.
        #[arg(long, default_value = "executable")]
        filter: TemplateFilter,
        /// Free-text filter.
        #[arg(long)]
        keyword: Option<String>,
    },
}

/// Columns of the template table.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "ostypename",
    "zonename",
    "hypervisor",
    "isready",
];

/// Runs `template`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    match args.action {
        Action::List {
            zone,
            filter,
            keyword,
        } => {
            let client = ctx.client()?;
            let req = ListTemplates {
                templatefilter: Some(filter),
                zoneid: zone,
                keyword,
                ..Default::default()
            };
            let templates = client.list_templates(&req).await?;
            let rows = to_rows(&templates)?;
            ctx.print(&output::render_rows(
                &rows,
                COLUMNS,
                ctx.format_or(Format::Table),
            ));
            Ok(())
        }
    }
}
