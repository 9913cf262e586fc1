//! `akashone api COMMAND key=value...`: any CloudStack command, like cloudmonkey.

use crate::output::{self, Format};
use crate::progress::JobSpinner;
use crate::target::{self, Online};
use crate::{CliError, Context};
use akashone_cloudstack::{AsyncJob, Params, is_idempotent, response};
use serde_json::{Value, json};

/// Arguments of `api`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The API command, e.g. `listVirtualMachines` (case matters).
    pub command: String,
    /// Parameters as `name=value` (names are sent lower-case; repeat a name to replace it).
    #[arg(value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// For async commands: wait for the job and print its result.
    #[arg(long)]
    pub wait: bool,
    /// For list commands: fetch every page and print the rows.
    #[arg(long)]
    pub all: bool,
}

/// Parses `name=value` pairs (split at the first `=`; the value may be empty).
pub fn parse_params(items: &[String]) -> Result<Params, CliError> {
    let mut p = Params::new();
    for item in items {
        let Some((name, value)) = item.split_once('=') else {
            return Err(CliError::Usage(format!(
                "parameter {item:?} must be written NAME=VALUE"
            )));
        };
        if name.is_empty() {
            return Err(CliError::Usage(format!("parameter {item:?} has no name")));
        }
        p.set(name, value);
    }
    Ok(p)
}

/// Runs `api`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    let params = parse_params(&args.params)?;
    if args.command.is_empty() || !args.command.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(CliError::Usage(format!(
            "{:?} is not an API command name",
            args.command
        )));
    }
    let client = match target::online(ctx, "api").await? {
        Online::CloudStack(client) => client,
        Online::Central { profile, .. } => {
            return Err(CliError::Usage(format!(
                "raw API calls need a direct CloudStack or demo profile: {:?} is a central server \
                 profile (its server does not pass CloudStack commands through); use the verbs \
                 vm, zone, template, offering and invoice",
                profile.name
            )));
        }
    };
    let format = ctx.format_or(Format::Json);
    if args.all && is_idempotent(&args.command) {
        let rows = client.list_all_values(&args.command, &params).await?;
        let text = if format == Format::Json {
            output::render_object(&json!({"count": rows.len(), "items": rows}), format)
        } else {
            output::render_rows(&rows, &[], format)
        };
        ctx.print(&text);
        return Ok(());
    }
    let answer = client.call(&args.command, &params).await?;
    let jobid = response::id_field(&answer, "jobid");
    let answer: Value = match jobid {
        Some(jobid) if args.wait && !args.command.eq_ignore_ascii_case("queryAsyncJobResult") => {
            let job: AsyncJob<Value> = AsyncJob::from_jobid(client.clone(), &args.command, jobid);
            let spinner = JobSpinner::start(&args.command, job.jobid());
            let result = job.wait(&spinner.options(ctx.job_options())).await;
            spinner.finish(result.is_ok());
            result?
        }
        _ => answer,
    };
    ctx.print(&output::render_answer(&answer, format));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parse() {
        let p = parse_params(&["zoneId=z1".into(), "name=a=b".into(), "empty=".into()]).unwrap();
        assert_eq!(p.get("zoneid"), Some("z1"));
        assert_eq!(p.get("name"), Some("a=b"));
        assert_eq!(p.get("empty"), Some(""));
        assert!(parse_params(&["novalue".into()]).is_err());
        assert!(parse_params(&["=x".into()]).is_err());
    }
}
