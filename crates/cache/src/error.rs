//! The cache's typed errors, each with a machine-readable [`ErrorCode`] for the UI.

use akashone_types::{ApiError, ErrorCode};
use std::path::PathBuf;

/// Everything that can go wrong opening, writing or reading a cache.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file was written by a newer version of the app; it is left untouched.
    #[error(
        "the offline cache {path} was written by a newer version of AkashOne Console (cache schema {found}, this version knows up to {supported}); update the app, or delete the file to rebuild the cache from CloudStack"
    )]
    SchemaTooNew {
        /// The cache file.
        path: PathBuf,
        /// The file's `user_version`.
        found: i64,
        /// The newest schema this build knows.
        supported: i64,
    },
    /// The file is not a SQLite database, or is damaged.
    #[error("{path} is not an offline cache database, or it is damaged: {message}")]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// SQLite's message.
        message: String,
    },
    /// A profile id that cannot name a file.
    #[error(
        "the profile id {0:?} cannot name a cache file: use 1 to 128 letters, digits, '-', '_' or '.', not starting with '.'"
    )]
    InvalidProfileId(String),
    /// A sort column the VM list does not have.
    #[error("unknown sort column {given:?}; the VM list sorts by {expected}")]
    UnknownColumn {
        /// What was asked for.
        given: String,
        /// The accepted names.
        expected: String,
    },
    /// A sort direction other than `asc` or `desc`.
    #[error("unknown sort direction {0:?}; use \"asc\" or \"desc\"")]
    UnknownDirection(String),
    /// A list kind name the cache does not know.
    #[error("unknown list kind {0:?}")]
    UnknownKind(String),
    /// A credit note whose invoice is not in the same list.
    #[error("credit note {note} refers to invoice {invoice}, which is not in the invoice list")]
    UnknownInvoice {
        /// The credit note number.
        note: String,
        /// The invoice number it refers to.
        invoice: String,
    },
    /// A filter on a column the list does not have.
    #[error("the {table} list has no column {column:?}")]
    NoSuchColumn {
        /// The table.
        table: &'static str,
        /// The column asked for.
        column: String,
    },
    /// A row key with the wrong number of parts.
    #[error("the {table} table's key has {expected} part(s), {given} given")]
    KeyArity {
        /// The table.
        table: &'static str,
        /// Parts of its key.
        expected: usize,
        /// Parts given.
        given: usize,
    },
    /// The cache folder could not be created.
    #[error("could not create the cache folder {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("offline cache error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored JSON document could not be read or written.
    #[error("offline cache JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// The background writer stopped before finishing.
    #[error("the offline cache writer stopped: {0}")]
    Worker(String),
}

impl Error {
    /// The machine-readable category of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidProfileId(_)
            | Self::UnknownColumn { .. }
            | Self::UnknownDirection(_)
            | Self::UnknownKind(_)
            | Self::UnknownInvoice { .. }
            | Self::NoSuchColumn { .. }
            | Self::KeyArity { .. } => ErrorCode::InvalidInput,
            Self::SchemaTooNew { .. } => ErrorCode::Conflict,
            Self::NotADatabase { .. } | Self::Io { .. } | Self::Sqlite(_) | Self::Json(_) => {
                ErrorCode::Storage
            }
            Self::Worker(_) => ErrorCode::Internal,
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

/// The cache's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
