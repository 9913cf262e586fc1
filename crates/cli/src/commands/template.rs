//! `akashone template list`.

use crate::commands::to_rows;
use crate::output::{self, Format};
use crate::target::{self, Online};
use crate::{CliError, Context};
use akashone_cloudstack::api::{ListTemplates, TemplateFilter};
use serde_json::{Value, json};

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
            if ctx.offline {
                let flag = match filter {
                    TemplateFilter::Executable => "executable",
                    TemplateFilter::Featured => "featured",
                    _ => {
                        return Err(CliError::Usage(
                            "--offline lists the cached executable or featured templates: --filter executable or featured".into(),
                        ));
                    }
                };
                let needle = keyword.map(|k| k.to_lowercase());
                let mut rows = target::offline_rows(
                    ctx,
                    "templates",
                    &[
                        ("id", "id"),
                        ("name", "name"),
                        ("os_type", "ostypename"),
                        ("zone_id", "zoneid"),
                        ("zone_name", "zonename"),
                        ("hypervisor", "hypervisor"),
                        ("is_ready", "isready"),
                        ("executable", "executable"),
                        ("is_featured", "featured"),
                    ],
                )
                .await?;
                rows.retain(|t| {
                    t[flag] == "yes"
                        && zone.as_ref().is_none_or(|z| t["zoneid"] == z.as_str())
                        && needle.as_ref().is_none_or(|k| {
                            t["name"].as_str().unwrap_or("").to_lowercase().contains(k)
                        })
                });
                for t in &mut rows {
                    if let Some(o) = t.as_object_mut() {
                        o.remove("executable");
                        o.remove("featured");
                    }
                }
                ctx.print(&output::render_rows(
                    &rows,
                    COLUMNS,
                    ctx.format_or(Format::Table),
                ));
                return Ok(());
            }
            let client = match target::online(ctx, "template list").await? {
                Online::CloudStack(client) => client,
                Online::Central { app, profile } => {
                    if filter != TemplateFilter::Executable {
                        return Err(CliError::Usage(
                            "a central server lists the templates the tenant can deploy: only --filter executable"
                                .into(),
                        ));
                    }
                    let zones = app
                        .console
                        .deploy_zones()
                        .await
                        .map_err(|e| target::central_error(&profile, e))?;
                    let needle = keyword.map(|k| k.to_lowercase());
                    let mut rows: Vec<Value> = Vec::new();
                    for z in zones
                        .iter()
                        .filter(|z| zone.as_ref().is_none_or(|id| &z.id == id))
                    {
                        let list = app
                            .console
                            .deploy_templates(&z.id)
                            .await
                            .map_err(|e| target::central_error(&profile, e))?;
                        for t in list {
                            if needle
                                .as_ref()
                                .is_some_and(|k| !t.name.to_lowercase().contains(k))
                            {
                                continue;
                            }
                            rows.push(json!({
                                "id": t.id,
                                "name": t.name,
                                "ostypename": t.detail,
                                "zoneid": z.id,
                                "zonename": z.name,
                                "isready": true,
                            }));
                        }
                    }
                    if let Some(id) = zone.filter(|id| !zones.iter().any(|z| &z.id == id)) {
                        return Err(CliError::NotFound(format!("no zone {id} for this tenant")));
                    }
                    ctx.print(&output::render_rows(
                        &rows,
                        COLUMNS,
                        ctx.format_or(Format::Table),
                    ));
                    return Ok(());
                }
            };
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
