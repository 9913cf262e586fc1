//! One error type that builds the HTTP status and the [`ApiError`] body together.

use akashone_types::{ApiError, ErrorCode};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::db::DbError;
use crate::rbac::Permission;

/// What can go wrong in a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid session token.
    #[error("Sign in first: the session token is missing, expired or revoked.")]
    Unauthenticated,
    /// Wrong user name, password or code.
    #[error("{0}")]
    BadCredentials(String),
    /// Too many failed attempts (sign-ins, codes): HTTP 429 with the `locked` code.
    #[error("{0}")]
    Locked(String),
    /// The caller's role lacks a permission.
    #[error("Your role does not include the {0} permission.")]
    MissingPermission(Permission),
    /// Not allowed for another reason (suspended tenant, escalation…).
    #[error("{0}")]
    Forbidden(String),
    /// Absent, or outside the caller's subtree (the two are not told apart).
    #[error("{0} was not found.")]
    NotFound(String),
    /// The request is malformed or fails validation.
    #[error("{0}")]
    Invalid(String),
    /// The request body is larger than the route takes: HTTP 413.
    #[error("{0}")]
    TooLarge(String),
    /// Conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// CloudStack is not configured.
    #[error(
        "CloudStack is not configured: set CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY, or start with --simulator."
    )]
    NoCloudStack,
    /// CloudStack refused or failed.
    #[error("CloudStack: {0}")]
    CloudStack(#[from] akashone_cloudstack::Error),
    /// CloudStack refused or failed, told in CloudStack's own words only (its `errortext`),
    /// with the same status as [`Error::CloudStack`].
    #[error("{}", cloudstack_text(.0))]
    CloudStackSays(akashone_cloudstack::Error),
    /// A network or storage operation failed (CloudStack's refusal or failure, a refusal for the
    /// state on the cloud now, or a batch undone), as `akashone_resources` shapes it.
    #[error("{}", .0.message)]
    Operation(ApiError),
    /// Storage failed.
    #[error("Storage failed: {0}")]
    Db(#[from] DbError),
    /// A bug or an unexpected condition.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// The HTTP status and the machine-readable code.
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        use ErrorCode as C;
        match self {
            Error::Unauthenticated | Error::BadCredentials(_) => {
                (StatusCode::UNAUTHORIZED, C::Unauthorized)
            }
            Error::Locked(_) => (StatusCode::TOO_MANY_REQUESTS, C::Locked),
            Error::MissingPermission(_) | Error::Forbidden(_) => {
                (StatusCode::FORBIDDEN, C::Forbidden)
            }
            Error::NotFound(_) => (StatusCode::NOT_FOUND, C::NotFound),
            Error::Invalid(_) => (StatusCode::BAD_REQUEST, C::InvalidInput),
            Error::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, C::InvalidInput),
            Error::Conflict(_) | Error::Db(DbError::Duplicate(_)) => {
                (StatusCode::CONFLICT, C::Conflict)
            }
            Error::NoCloudStack => (StatusCode::SERVICE_UNAVAILABLE, C::NotConfigured),
            Error::CloudStack(e) | Error::CloudStackSays(e) => cloudstack_status(e.code()),
            Error::Operation(e) => cloudstack_status(e.code),
            Error::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, C::Storage),
            Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, C::Internal),
        }
    }

    /// The body sent to the client.
    pub fn to_api_error(&self) -> ApiError {
        ApiError::new(self.status_and_code().1, self.to_string())
    }
}

/// The status and code of what CloudStack (or an operation run against it) failed with.
fn cloudstack_status(code: ErrorCode) -> (StatusCode, ErrorCode) {
    use ErrorCode as C;
    let status = match code {
        C::InvalidInput => StatusCode::BAD_REQUEST,
        C::NotFound => StatusCode::NOT_FOUND,
        C::Conflict => StatusCode::CONFLICT,
        C::Timeout => StatusCode::GATEWAY_TIMEOUT,
        // CloudStack refusing the server's own keys is a gateway problem, not the caller's
        // credentials.
        _ => StatusCode::BAD_GATEWAY,
    };
    let code = match code {
        C::Unauthorized | C::Forbidden | C::Locked => C::Unreachable,
        c => c,
    };
    (status, code)
}

impl From<akashone_resources::Error> for Error {
    fn from(e: akashone_resources::Error) -> Self {
        Error::Operation(e.to_api())
    }
}

impl Error {
    /// [`Error::CloudStack`] becomes [`Error::CloudStackSays`]; others stay as they are.
    pub fn in_cloudstacks_words(self) -> Error {
        match self {
            Error::CloudStack(e) => Error::CloudStackSays(e),
            other => other,
        }
    }
}

/// CloudStack's own text of an error (the job's `errortext`, the answer's message), or the
/// whole description when CloudStack gave none.
fn cloudstack_text(e: &akashone_cloudstack::Error) -> String {
    use akashone_cloudstack::Error as E;
    match e {
        E::JobFailed { errortext, .. } if !errortext.is_empty() => errortext.clone(),
        E::InvalidParameter { message, .. }
        | E::NotFound { message, .. }
        | E::PermissionDenied { message, .. }
        | E::Api { message, .. }
            if !message.is_empty() =>
        {
            message.clone()
        }
        other => format!("CloudStack: {other}"),
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, _) = self.status_and_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, axum::Json(self.to_api_error())).into_response()
    }
}

impl From<axum::extract::rejection::JsonRejection> for Error {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        Error::Invalid(format!("The request body is not valid: {}", r.body_text()))
    }
}

impl From<axum::extract::rejection::QueryRejection> for Error {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        Error::Invalid(format!("The query string is not valid: {}", r.body_text()))
    }
}

/// Result of handlers.
pub type Result<T, E = Error> = std::result::Result<T, E>;
