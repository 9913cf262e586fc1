//! Errors: the simulator's own ([`SimError`]) and the CloudStack API errors it answers with.

use std::net::SocketAddr;

/// Why the simulator could not do what was asked of it.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be bound.
    #[error("cannot bind the simulator to {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The configuration makes no sense (for example a rate outside 0..=1).
    #[error("invalid simulator configuration: {0}")]
    Config(String),
    /// A domain path or account name given to the handle was not acceptable.
    #[error("invalid tenant: {0}")]
    Tenant(String),
}

/// The user-facing text CloudStack gives non-root callers for internal and capacity errors.
pub(crate) const GENERIC_ERROR_TEXT: &str =
    "Internal error executing command, please contact your system administrator";

/// An error answered by the API: HTTP status = `errorcode`, as the management server does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// CloudStack ApiErrorCode (also the HTTP status).
    pub(crate) code: u16,
    /// CSExceptionErrorCode of the exception class, absent for credential failures.
    pub(crate) cs_code: Option<u32>,
    /// The `errortext`.
    pub(crate) text: String,
}

impl ApiError {
    fn new(code: u16, cs_code: Option<u32>, text: impl Into<String>) -> Self {
        ApiError {
            code,
            cs_code,
            text: text.into(),
        }
    }

    /// 401: signature, key, expiry or unknown command.
    pub(crate) fn unauthorized() -> Self {
        Self::new(
            401,
            None,
            "unable to verify user credentials and/or request signature",
        )
    }

    /// 401 for a command the caller's role may not call.
    pub(crate) fn not_available(command: &str) -> Self {
        Self::new(
            401,
            Some(9999),
            format!(
                "The given command '{command}' either does not exist, is not available for user."
            ),
        )
    }

    /// 431: a required parameter is missing (ServerApiException).
    pub(crate) fn missing_param(command_lc: &str, param: &str) -> Self {
        Self::new(
            431,
            Some(9999),
            format!("Unable to execute API command {command_lc} due to missing parameter {param}"),
        )
    }

    /// 431: a parameter cannot be converted or names no entity (ParamProcessWorker).
    pub(crate) fn invalid_value(command_lc: &str, param: &str, value: &str) -> Self {
        Self::new(
            431,
            Some(9999),
            format!(
                "Unable to execute API command {command_lc} due to invalid value. Invalid parameter {param} value={value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class."
            ),
        )
    }

    /// 431: InvalidParameterValueException.
    pub(crate) fn invalid(text: impl Into<String>) -> Self {
        Self::new(431, Some(4350), text)
    }

    /// 531: PermissionDeniedException.
    pub(crate) fn permission_denied(text: impl Into<String>) -> Self {
        Self::new(531, Some(4365), text)
    }

    /// 530: ServerApiException INTERNAL_ERROR.
    pub(crate) fn internal(text: impl Into<String>) -> Self {
        Self::new(530, Some(9999), text)
    }

    /// 533: InsufficientServerCapacityException.
    pub(crate) fn insufficient_capacity(text: impl Into<String>) -> Self {
        Self::new(533, Some(4335), text)
    }

    /// 535: RESOURCE_ALLOCATION_ERROR (a ResourceAllocationException wrapped by the command).
    pub(crate) fn resource_allocation(text: impl Into<String>) -> Self {
        Self::new(535, Some(9999), text)
    }

    /// 537: NetworkRuleConflictException.
    pub(crate) fn rule_conflict(text: impl Into<String>) -> Self {
        Self::new(537, Some(4360), text)
    }

    /// The text a caller sees: non-root callers get a generic text for 530/533/534.
    pub(crate) fn for_caller(mut self, root_admin: bool) -> Self {
        if !root_admin && matches!(self.code, 530 | 533 | 534) {
            self.text = GENERIC_ERROR_TEXT.to_string();
        }
        self
    }
}
