//! Typed, actionable errors. Messages carry CloudStack's own text and never the secret key.

use akashone_types::{ApiError, ErrorCode};
use std::time::Duration;

/// Everything that can go wrong talking to CloudStack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// HTTP 401 (or 411, two-factor required): the API key or secret key is wrong, the
    /// account or user is disabled, the request expired, or the command is not available.
    #[error(
        "CloudStack refused the credentials ({command}): {message}. Check the API key and secret key, and that the account is enabled."
    )]
    Unauthorized {
        /// The command that was refused.
        command: String,
        /// CloudStack's error text.
        message: String,
    },
    /// HTTP 430/431: a parameter is missing or has an invalid value.
    #[error("CloudStack rejected the parameters of {command} (error {errorcode}): {message}")]
    InvalidParameter {
        /// The command that was refused.
        command: String,
        /// CloudStack's `errorcode` (430 or 431).
        errorcode: u16,
        /// CloudStack's error text.
        message: String,
    },
    /// The object named in the request does not exist (or is not visible to this account).
    #[error("not found ({command}): {message}")]
    NotFound {
        /// The command that was sent.
        command: String,
        /// CloudStack's error text.
        message: String,
    },
    /// HTTP 432: the server does not know this command (wrong name, or a plugin not enabled).
    #[error("CloudStack does not know the command {command}: {message}")]
    UnknownCommand {
        /// The command that was sent.
        command: String,
        /// CloudStack's error text.
        message: String,
    },
    /// HTTP 531: the account may not do this.
    #[error("permission denied ({command}): {message}")]
    PermissionDenied {
        /// The command that was refused.
        command: String,
        /// CloudStack's error text.
        message: String,
    },
    /// Any other error answer from CloudStack (limits, capacity, conflicts, internal errors).
    #[error("CloudStack error {errorcode} on {command}: {message}")]
    Api {
        /// The command that failed.
        command: String,
        /// The HTTP status of the answer.
        http_status: u16,
        /// CloudStack's `errorcode` (usually equal to the HTTP status).
        errorcode: u16,
        /// CloudStack's `cserrorcode` (the Java exception's code), when given.
        cserrorcode: Option<u32>,
        /// CloudStack's error text.
        message: String,
    },
    /// The asynchronous job ended in failure.
    #[error("job {jobid} ({command}) failed with error {errorcode}: {errortext}")]
    JobFailed {
        /// The command that started the job.
        command: String,
        /// The job id.
        jobid: String,
        /// The `errorcode` in the job result (`jobresultcode` when there is none).
        errorcode: u16,
        /// The `errortext` in the job result.
        errortext: String,
    },
    /// The asynchronous job was cancelled on the server (job status 3).
    #[error("job {jobid} ({command}) was cancelled on the server")]
    JobCancelled {
        /// The command that started the job.
        command: String,
        /// The job id.
        jobid: String,
    },
    /// We stopped waiting for a job because the caller cancelled; the job may still run.
    #[error("stopped waiting for job {jobid} ({command}); it may still be running on the server")]
    WaitCancelled {
        /// The command that started the job.
        command: String,
        /// The job id.
        jobid: String,
    },
    /// A request or a job took longer than allowed.
    #[error("{what} timed out after {:.1} s", after.as_secs_f64())]
    Timeout {
        /// What was being waited for (a command or a job).
        what: String,
        /// How long we waited.
        after: Duration,
    },
    /// The endpoint could not be reached (DNS, connection refused, TLS, wrong URL).
    #[error("cannot reach CloudStack at {endpoint}: {message}")]
    Unreachable {
        /// The API endpoint (without query string).
        endpoint: String,
        /// What failed.
        message: String,
    },
    /// The answer could not be understood.
    #[error("malformed response to {command}: {message}")]
    MalformedResponse {
        /// The command that was sent.
        command: String,
        /// What was wrong with it.
        message: String,
    },
    /// The client configuration is invalid (bad URL, missing key).
    #[error("invalid CloudStack client configuration: {0}")]
    Config(String),
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The UI-level category of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthorized { .. } => ErrorCode::Unauthorized,
            Self::InvalidParameter { .. } => ErrorCode::InvalidInput,
            Self::NotFound { .. } | Self::UnknownCommand { .. } => ErrorCode::NotFound,
            Self::PermissionDenied { .. } => ErrorCode::Forbidden,
            Self::Api {
                http_status,
                errorcode,
                ..
            } => api_code(*errorcode, *http_status),
            Self::JobFailed { errorcode, .. } => match api_code(*errorcode, *errorcode) {
                ErrorCode::Internal => ErrorCode::Conflict,
                other => other,
            },
            Self::JobCancelled { .. } => ErrorCode::Conflict,
            Self::WaitCancelled { .. } | Self::Timeout { .. } => ErrorCode::Timeout,
            Self::Unreachable { .. } => ErrorCode::Unreachable,
            Self::MalformedResponse { .. } => ErrorCode::Internal,
            Self::Config(_) => ErrorCode::NotConfigured,
        }
    }

    /// CloudStack's error code when the server gave one (HTTP-style, e.g. 431).
    pub fn cloudstack_errorcode(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::InvalidParameter { errorcode, .. } => Some(*errorcode),
            Self::UnknownCommand { .. } => Some(432),
            Self::PermissionDenied { .. } => Some(531),
            Self::Api { errorcode, .. } | Self::JobFailed { errorcode, .. } => Some(*errorcode),
            _ => None,
        }
    }

    /// True for failures worth retrying for an idempotent command: transport failures,
    /// request timeouts and server-side 5xx errors that say nothing about the request itself.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::Timeout { .. } => true,
            Self::Api { http_status, .. } => is_transient_status(*http_status),
            _ => false,
        }
    }

    /// Builds the typed error for a CloudStack error answer.
    pub fn from_api(
        command: &str,
        http_status: u16,
        errorcode: u16,
        cserrorcode: Option<u32>,
        message: String,
    ) -> Self {
        let command = command.to_owned();
        match errorcode {
            401 | 411 => Self::Unauthorized { command, message },
            430 | 431 if looks_not_found(&message) => Self::NotFound { command, message },
            430 | 431 => Self::InvalidParameter {
                command,
                errorcode,
                message,
            },
            432 => Self::UnknownCommand { command, message },
            531 => Self::PermissionDenied { command, message },
            404 => Self::NotFound { command, message },
            _ => Self::Api {
                command,
                http_status,
                errorcode,
                cserrorcode,
                message,
            },
        }
    }
}

/// HTTP statuses after which an idempotent request may be retried: generic server errors,
/// gateways, maintenance (503) and CloudStack's internal error (530). The CloudStack-specific
/// 531-537 describe the request (permission, limits, capacity, conflicts) and are not retried.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504 | 530)
}

fn api_code(errorcode: u16, http_status: u16) -> ErrorCode {
    match errorcode {
        401 | 411 => ErrorCode::Unauthorized,
        405 | 430 | 431 => ErrorCode::InvalidInput,
        404 | 432 => ErrorCode::NotFound,
        531 | 532 => ErrorCode::Forbidden,
        533..=537 => ErrorCode::Conflict,
        429 | 503 => ErrorCode::Unreachable,
        _ if (500..600).contains(&http_status) => ErrorCode::Internal,
        _ if (400..500).contains(&http_status) => ErrorCode::InvalidInput,
        _ => ErrorCode::Internal,
    }
}

/// CloudStack reports a missing object as a parameter error (431); recognise its usual wording.
fn looks_not_found(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "unable to find",
        "does not exist",
        "doesn't exist",
        "not found",
        "cannot find",
        "can't find",
        "invalid id",
    ]
    .iter()
    .any(|p| m.contains(p))
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_categories() {
        let e = Error::from_api("listZones", 401, 401, None, "unable to verify".into());
        assert_eq!(e.code(), ErrorCode::Unauthorized);
        let e = Error::from_api(
            "deployVirtualMachine",
            431,
            431,
            Some(4350),
            "Unable to find service offering: 104".into(),
        );
        assert!(matches!(e, Error::NotFound { .. }));
        let e = Error::from_api("x", 431, 431, None, "missing parameter zoneid".into());
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.cloudstack_errorcode(), Some(431));
        let e = Error::from_api("x", 531, 531, None, "denied".into());
        assert_eq!(e.code(), ErrorCode::Forbidden);
        let e = Error::from_api("x", 503, 503, None, "maintenance".into());
        assert!(e.is_transient());
        let e = Error::from_api("x", 533, 533, None, "capacity".into());
        assert!(!e.is_transient());
        assert_eq!(e.code(), ErrorCode::Conflict);
        let api: ApiError = e.into();
        assert!(api.message.contains("capacity"));
    }
}
