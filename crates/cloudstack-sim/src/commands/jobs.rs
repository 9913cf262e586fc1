//! queryAsyncJobResult and listAsyncJobs.

use serde_json::Value;

use super::Ctx;
use crate::error::ApiError;
use crate::state::Ref;
use crate::util::{page_of, parse_date};

/// queryAsyncJobResult.
pub(crate) fn query(cx: &mut Ctx) -> Result<Value, ApiError> {
    let j = cx.state.lookup(cx.p, "jobid", |r| match r {
        Ref::Job(j) => Some(j),
        _ => None,
    })?;
    let owner = cx.state.jobs[j].caller.account;
    cx.state
        .check_access(&cx.caller, owner, &cx.state.jobs[j].id)?;
    Ok(cx.state.job_json(j))
}

/// listAsyncJobs.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let since = match p.get("startdate") {
        None => None,
        Some(d) => Some(
            parse_date(d)
                .or_else(|| crate::signing::parse_expires(d))
                .ok_or_else(|| ApiError::invalid_value(&p.command_lc, "startdate", d))?,
        ),
    };
    let matching: Vec<usize> = (0..s.jobs.len())
        .filter(|&j| {
            let job = &s.jobs[j];
            scope.allows(job.caller.account) && since.is_none_or(|t| job.created >= t)
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "asyncjobs", &matching, |&j| {
        s.job_json(j)
    })
}
