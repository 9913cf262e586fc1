//! What can go wrong running an operation.

use akashone_types::{ApiError, ErrorCode};

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// CloudStack refused or failed (its own words).
    #[error(transparent)]
    CloudStack(#[from] akashone_cloudstack::Error),
    /// Refused before CloudStack was asked: the state on the cloud now does not allow it.
    #[error("{0}")]
    Refused(String),
    /// A step of a batch failed; what the batch had created before was deleted again.
    #[error("{failed} (undone: {undone} rule(s) created before it were deleted again)")]
    RolledBack {
        /// Why the step failed.
        failed: String,
        /// How many created resources were deleted again.
        undone: usize,
    },
}

impl Error {
    /// The error as the API shapes it.
    pub fn to_api(&self) -> ApiError {
        match self {
            Error::CloudStack(e) => ApiError::from(e.clone()),
            Error::Refused(m) => ApiError::new(ErrorCode::InvalidInput, m.clone()),
            // A batch undone half-way conflicted with what the cloud holds now.
            Error::RolledBack { .. } => ApiError::new(ErrorCode::Conflict, self.to_string()),
        }
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
