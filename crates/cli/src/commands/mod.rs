//! Subcommands, one module each.

pub mod api;
pub mod invoice;
pub mod k8s;
pub mod login;
pub mod offering;
pub mod profile;
pub mod resources;
pub mod template;
pub mod vm;
pub mod zone;

use crate::output::{self, Format};
use crate::progress::JobSpinner;
use crate::{CliError, Context};
use akashone_cloudstack::{AsyncJob, JobOutput};
use serde::Serialize;
use serde_json::{Value, json};

/// Waits for `job` with a spinner on stderr.
pub async fn wait_with_spinner<T: JobOutput>(
    ctx: &Context,
    job: &AsyncJob<T>,
) -> Result<T, CliError> {
    let spinner = JobSpinner::start(job.command(), job.jobid());
    let result = job.wait(&spinner.options(ctx.job_options())).await;
    spinner.finish(result.is_ok());
    Ok(result?)
}

/// Prints a submitted job (`jobid`, `id`) when not waiting.
pub fn print_submitted<T>(ctx: &Context, job: &AsyncJob<T>) {
    let mut v = json!({ "jobid": job.jobid() });
    if let Some(id) = job.id() {
        v["id"] = json!(id);
    }
    ctx.print(&output::render_object(&v, ctx.format_or(Format::Table)));
}

/// Serialises typed rows to JSON values for rendering.
pub fn to_rows<T: Serialize>(items: &[T]) -> Result<Vec<Value>, CliError> {
    items
        .iter()
        .map(|i| serde_json::to_value(i).map_err(|e| CliError::Io(e.to_string())))
        .collect()
}
