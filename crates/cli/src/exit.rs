//! Exit codes, stable for scripts.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | unexpected error (malformed answer, internal CloudStack error, I/O) |
//! | 2 | usage: bad arguments, an unknown profile, or no credentials/profile configured |
//! | 3 | authentication or permission refused (HTTP 401 / 531), a wrong password or 2FA code, a locked account, or a central profile that is not signed in |
//! | 4 | not found (object or API command), or nothing cached yet for `--offline` |
//! | 5 | CloudStack unreachable, request timed out, or the server is overloaded / in maintenance |
//! | 6 | an async job failed or was cancelled, or waiting for it timed out |
//! | 7 | CloudStack refused the request (parameter error 431, limits, capacity, conflicts) |

use akashone_cloudstack::Error;
use akashone_types::ErrorCode;

/// Success.
pub const OK: i32 = 0;
/// Unexpected error.
pub const INTERNAL: i32 = 1;
/// Bad command line or missing configuration.
pub const USAGE: i32 = 2;
/// Credentials or permission refused.
pub const AUTH: i32 = 3;
/// Not found.
pub const NOT_FOUND: i32 = 4;
/// Unreachable or timed out.
pub const UNREACHABLE: i32 = 5;
/// Async job failed, was cancelled or timed out.
pub const JOB_FAILED: i32 = 6;
/// The request was refused by CloudStack.
pub const REJECTED: i32 = 7;

/// The exit code for an error code of the API, the app or the central server.
pub fn for_code(code: ErrorCode) -> i32 {
    match code {
        ErrorCode::Unauthorized | ErrorCode::Forbidden | ErrorCode::Locked => AUTH,
        ErrorCode::NotFound => NOT_FOUND,
        ErrorCode::Unreachable | ErrorCode::Timeout => UNREACHABLE,
        ErrorCode::InvalidInput | ErrorCode::Conflict => REJECTED,
        ErrorCode::NotConfigured => USAGE,
        ErrorCode::Storage | ErrorCode::Internal => INTERNAL,
    }
}

/// The exit code for a CloudStack error.
pub fn for_cloudstack(e: &Error) -> i32 {
    match e {
        Error::JobFailed { .. } | Error::JobCancelled { .. } | Error::WaitCancelled { .. } => {
            JOB_FAILED
        }
        Error::Timeout { what, .. } if what.starts_with("job ") => JOB_FAILED,
        _ => for_code(e.code()),
    }
}

/// The exit code for an error of the app's console (saved profiles).
pub fn for_app(e: &akashone_app::AppError) -> i32 {
    match e {
        akashone_app::AppError::CloudStack(e) => for_cloudstack(e),
        other => for_code(other.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping() {
        let e = Error::from_api("listZones", 401, 401, None, "bad".into());
        assert_eq!(for_cloudstack(&e), AUTH);
        let e = Error::from_api("x", 431, 431, None, "missing parameter zoneid".into());
        assert_eq!(for_cloudstack(&e), REJECTED);
        let e = Error::from_api("x", 431, 431, None, "Unable to find template".into());
        assert_eq!(for_cloudstack(&e), NOT_FOUND);
        let e = Error::JobFailed {
            command: "x".into(),
            jobid: "j".into(),
            errorcode: 533,
            errortext: "capacity".into(),
        };
        assert_eq!(for_cloudstack(&e), JOB_FAILED);
        let e = Error::Unreachable {
            endpoint: "http://x".into(),
            message: "refused".into(),
        };
        assert_eq!(for_cloudstack(&e), UNREACHABLE);
        let e = Error::Timeout {
            what: "job j (deployVirtualMachine)".into(),
            after: std::time::Duration::from_secs(1),
        };
        assert_eq!(for_cloudstack(&e), JOB_FAILED);
        assert_eq!(for_app(&akashone_app::AppError::SignedOut), AUTH);
        assert_eq!(
            for_app(&akashone_app::AppError::WrongProfile("x".into())),
            USAGE
        );
        assert_eq!(
            for_app(&akashone_app::AppError::Offline("x".into())),
            UNREACHABLE
        );
        assert_eq!(
            for_app(&akashone_app::AppError::NotFound("x".into())),
            NOT_FOUND
        );
    }
}
