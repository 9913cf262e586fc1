//! Failures of calls to the central server.

use akashone_types::{ApiError, ErrorCode};

/// A failed call, with the server's own message where it sent one.
#[derive(Debug, thiserror::Error)]
pub enum CentralError {
    /// The base URL is not an http(s) URL.
    #[error("{0}")]
    BadUrl(String),
    /// No session, or it expired or was revoked: sign in again.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed (or the account is locked).
    #[error("{0}")]
    Forbidden(String),
    /// Not found, or outside the caller's tenants.
    #[error("{0}")]
    NotFound(String),
    /// The server refused the input.
    #[error("{0}")]
    Invalid(String),
    /// The request conflicts with the current state (e.g. a taken name).
    #[error("{0}")]
    Conflict(String),
    /// Too many failed sign-ins: the account or address is locked for a while.
    #[error("{0}")]
    Locked(String),
    /// The server could not reach CloudStack, or answered with a server error.
    #[error("{0}")]
    Server(String),
    /// The server could not be reached.
    #[error("The central server at {url} cannot be reached: {reason}")]
    Unreachable {
        /// Where.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server took too long.
    #[error("The central server did not answer in time.")]
    Timeout,
    /// The answer was not what this client understands (not an AkashOne server, or a newer one).
    #[error("Unexpected answer from the central server: {0}")]
    Protocol(String),
}

impl CentralError {
    /// Whether the server could not be reached at all (the app then works from its cache).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Unreachable { .. } | Self::Timeout)
    }

    /// Whether the session is gone and the user must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized(_))
    }
}

impl CentralError {
    /// The UI's error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            CentralError::BadUrl(_) | CentralError::Invalid(_) => ErrorCode::InvalidInput,
            CentralError::Unauthorized(_) => ErrorCode::Unauthorized,
            CentralError::Forbidden(_) => ErrorCode::Forbidden,
            CentralError::Locked(_) => ErrorCode::Locked,
            CentralError::NotFound(_) => ErrorCode::NotFound,
            CentralError::Conflict(_) => ErrorCode::Conflict,
            CentralError::Unreachable { .. } => ErrorCode::Unreachable,
            CentralError::Timeout => ErrorCode::Timeout,
            CentralError::Server(_) | CentralError::Protocol(_) => ErrorCode::Internal,
        }
    }
}

impl From<CentralError> for ApiError {
    fn from(e: CentralError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}
