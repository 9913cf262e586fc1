//! The vault's typed errors, each with a machine-readable [`ErrorCode`]. Messages name files
//! and profiles, never secret values.

use akashone_types::{ApiError, ErrorCode};
use std::path::PathBuf;

/// Everything that can go wrong storing or reading a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A profile id that cannot name a secret.
    #[error(
        "the profile id {0:?} cannot name a secret: use 1 to 256 characters without control characters"
    )]
    InvalidProfileId(String),
    /// A secret larger than the vault accepts.
    #[error("the secret is {len} bytes; at most {max} are accepted")]
    SecretTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// `AKASHONE_VAULT` has a value other than `auto`, `keyring` or `file`.
    #[error("AKASHONE_VAULT={0:?} is not understood: use \"auto\", \"keyring\" or \"file\"")]
    InvalidOverride(String),
    /// The keyring was required but does not work here.
    #[error("the OS keyring is not available: {0}")]
    KeyringUnavailable(String),
    /// The keyring failed on an operation.
    #[error("the OS keyring failed: {0}")]
    Keyring(String),
    /// The key file exists but is not a vault key.
    #[error("{path} is not a vault key file: {reason}")]
    BadKeyFile {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The secrets file exists but its key file does not: the secrets cannot be read, and a new
    /// key is not made over them.
    #[error(
        "the secrets file {data_file} exists but its key file {key_file} is missing; restore the key file, or delete the secrets file and enter the secrets again"
    )]
    KeyMissing {
        /// The expected key file.
        key_file: PathBuf,
        /// The secrets file.
        data_file: PathBuf,
    },
    /// The secrets file was encrypted with another key.
    #[error(
        "the secrets file {data_file} was encrypted with a different key than {key_file}; restore the matching key file, or delete the secrets file and enter the secrets again"
    )]
    WrongKey {
        /// The key file in use.
        key_file: PathBuf,
        /// The secrets file.
        data_file: PathBuf,
    },
    /// The secrets file is damaged or was changed by something else than the vault.
    #[error("the secrets file {path} is damaged or was tampered with ({reason}); it is not used")]
    Tampered {
        /// The secrets file.
        path: PathBuf,
        /// What failed.
        reason: &'static str,
    },
    /// A file operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl Error {
    /// The machine-readable category of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidProfileId(_) | Self::InvalidOverride(_) | Self::SecretTooLong { .. } => {
                ErrorCode::InvalidInput
            }
            Self::KeyringUnavailable(_) => ErrorCode::NotConfigured,
            Self::Keyring(_)
            | Self::BadKeyFile { .. }
            | Self::KeyMissing { .. }
            | Self::WrongKey { .. }
            | Self::Tampered { .. }
            | Self::Io { .. } => ErrorCode::Storage,
        }
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

/// The vault's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
