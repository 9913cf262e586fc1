use serde::{Deserialize, Serialize};
use std::fmt;

/// A machine-readable error category. The UI branches on this, never on message text.
///
/// Serialised as a stable `snake_case` string, e.g. `"invalid_input"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request itself was malformed or failed validation; retrying unchanged will not help.
    InvalidInput,
    /// The caller is not authenticated (bad credentials, expired session, wrong signature).
    Unauthorized,
    /// The caller is authenticated but not allowed to do this.
    Forbidden,
    /// Too many failed attempts (sign-ins, codes): refused for a while; try again later.
    Locked,
    /// The target does not exist (or is outside the caller's tenant).
    NotFound,
    /// The request conflicts with the current state (e.g. stopping a stopped VM).
    Conflict,
    /// The remote side (CloudStack, the central server) could not be reached.
    Unreachable,
    /// The operation took longer than allowed.
    Timeout,
    /// Local storage (settings, cache) failed.
    Storage,
    /// Something needed has not been configured yet (e.g. no connection profile).
    NotConfigured,
    /// A bug or an unexpected condition; the message says what happened.
    Internal,
}

impl ErrorCode {
    /// The stable wire name of this code, identical to its serialised form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::Locked => "locked",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Unreachable => "unreachable",
            Self::Timeout => "timeout",
            Self::Storage => "storage",
            Self::NotConfigured => "not_configured",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one error shape that crosses the UI bridge (and, later, the server's HTTP API):
/// a stable code plus a message written for a human.
///
/// ```
/// use akashone_types::{ApiError, ErrorCode};
/// let e = ApiError::new(ErrorCode::InvalidInput, "theme must be \"dark\" or \"light\"");
/// assert_eq!(e.to_string(), "theme must be \"dark\" or \"light\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// A complete sentence for the user; never contains secrets.
    pub message: String,
}

impl ApiError {
    /// Builds an error from a code and a human-readable message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_to_the_stable_shape() {
        let e = ApiError::new(ErrorCode::NotConfigured, "No connection profile yet.");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"code":"not_configured","message":"No connection profile yet."}"#
        );
        let back: ApiError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn as_str_matches_serde_for_every_code() {
        use ErrorCode::*;
        for code in [
            InvalidInput,
            Unauthorized,
            Forbidden,
            Locked,
            NotFound,
            Conflict,
            Unreachable,
            Timeout,
            Storage,
            NotConfigured,
            Internal,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn unknown_code_is_rejected() {
        let r: Result<ApiError, _> = serde_json::from_str(r#"{"code":"nope","message":"x"}"#);
        assert!(r.is_err());
    }
}
