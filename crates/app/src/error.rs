//! Errors of the app layer, each with the UI's error code.

use akashone_types::{ApiError, ErrorCode};

/// Why an app operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The user's input is not valid; the message says what to fix.
    #[error("{0}")]
    Invalid(String),
    /// No profile is active.
    #[error("no connection profile is active: add or choose one on the Connect page")]
    NotConnected,
    /// No profile with this id.
    #[error("no connection profile with id {0:?}")]
    NoSuchProfile(String),
    /// The cloud cannot be reached now; cached data stays readable.
    #[error("the cloud cannot be reached ({0}); showing cached data")]
    Offline(String),
    /// CloudStack answered with an error.
    #[error(transparent)]
    CloudStack(#[from] akashone_cloudstack::Error),
    /// The offline cache failed.
    #[error(transparent)]
    Cache(#[from] akashone_cache::Error),
    /// The secret store failed.
    #[error(transparent)]
    Vault(#[from] akashone_vault::Error),
    /// The profile file could not be read or written.
    #[error("cannot use the profile file {path}: {reason}")]
    Profiles {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The demo simulator could not start.
    #[error("the demo simulator could not start: {0}")]
    Demo(String),
    /// Not found in the cache.
    #[error("{0} is not in the cache")]
    NotFound(String),
    /// The central server answered with an error, or could not be reached.
    #[error(transparent)]
    Central(#[from] akashone_central::CentralError),
    /// A central server profile has no live session.
    #[error("sign in to the central server first (the session ended or was never started)")]
    SignedOut,
    /// The operation needs the other kind of profile.
    #[error("{0}")]
    WrongProfile(String),
    /// A cloud's error as it was recorded (a list that failed to sync), with its code.
    #[error("{}", .0.message)]
    Api(ApiError),
    /// Something that should not happen did (a worker stopped, a document would not encode).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<akashone_resources::Error> for AppError {
    fn from(e: akashone_resources::Error) -> Self {
        match e {
            akashone_resources::Error::CloudStack(c) => Self::CloudStack(c),
            akashone_resources::Error::Refused(why) => Self::Invalid(why),
            other => Self::Api(other.to_api()),
        }
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("a document cannot be encoded: {e}"))
    }
}

impl AppError {
    /// The UI's error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(_) => ErrorCode::InvalidInput,
            Self::NotConnected => ErrorCode::NotConfigured,
            Self::NoSuchProfile(_) | Self::NotFound(_) => ErrorCode::NotFound,
            Self::Offline(_) => ErrorCode::Unreachable,
            Self::CloudStack(e) => e.code(),
            Self::Cache(_) | Self::Vault(_) | Self::Profiles { .. } => ErrorCode::Storage,
            Self::Demo(_) => ErrorCode::Internal,
            Self::Central(e) => e.code(),
            Self::SignedOut => ErrorCode::Unauthorized,
            Self::WrongProfile(_) => ErrorCode::NotConfigured,
            Self::Api(e) => e.code,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Whether the cloud could not be reached (as opposed to refusing the request): the
    /// profile goes offline and its cache stays readable.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Offline(_))
            || matches!(self.code(), ErrorCode::Unreachable | ErrorCode::Timeout)
    }

    /// Whether the error means the profile's session is gone (expired, revoked, the password
    /// changed elsewhere): it must sign in again. Only a session's own server says so; a
    /// CloudStack API refusing the keys does not end anything.
    pub fn ends_session(&self) -> bool {
        matches!(self, Self::Central(c) if c.is_unauthorized())
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

/// Results of the app layer.
pub type Result<T, E = AppError> = std::result::Result<T, E>;
