//! Sign-in (two steps with 2FA), the current user, users, password changes and 2FA set-up.

use serde::{Deserialize, Serialize};

use super::Permission;

/// The shortest password the server accepts, in characters (every front door checks it first).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// User name and password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionOut {
    /// Bearer token; shown once, only its hash is stored.
    pub token: String,
    /// Expiry (Unix seconds).
    pub expires_at: i64,
    /// The signed-in user.
    pub user: Me,
}

/// The outcome of the password step.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LoginResponse {
    /// Signed in (2FA is off).
    Authenticated(SessionOut),
    /// Send a TOTP or recovery code with this challenge to POST /api/auth/verify-2fa.
    #[serde(rename_all = "camelCase")]
    TwoFactorRequired {
        /// Short-lived challenge token.
        challenge: String,
        /// Expiry (Unix seconds).
        expires_at: i64,
    },
}

/// The second step.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Verify2faRequest {
    /// The challenge from the password step.
    pub challenge: String,
    /// A current TOTP code.
    #[serde(default)]
    pub code: Option<String>,
    /// Or one unused recovery code.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// User id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Tenant id.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant_name: String,
    /// Role id.
    pub role_id: String,
    /// Role name.
    pub role_name: String,
    /// What the role allows.
    pub permissions: Vec<Permission>,
    /// Whether 2FA is on.
    pub two_factor_enabled: bool,
}

/// A new user.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    /// Tenant of the user (default: the caller's).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Login name: 3–64 of `a-z 0-9 . _ @ -`.
    pub username: String,
    /// At least 12 characters.
    pub password: String,
    /// Role id (built-in name or a custom role's id).
    pub role_id: String,
}

/// A user as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserOut {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Tenant id.
    pub tenant_id: String,
    /// Role id.
    pub role_id: String,
    /// Whether 2FA is on.
    pub two_factor_enabled: bool,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Tenant name.
    #[serde(default)]
    pub tenant_name: String,
    /// Role name.
    #[serde(default)]
    pub role_name: String,
}

/// A new role for a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetUserRole {
    /// Role id (built-in name or a custom role's id) the user may hold in their tenant.
    pub role_id: String,
}

/// A password change.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    /// The current password.
    pub current_password: String,
    /// The new password (at least 12 characters).
    pub new_password: String,
}

/// What an authenticator app needs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetupOut {
    /// `otpauth://totp/…` URI.
    pub otpauth_uri: String,
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// The URI as a QR code: `data:image/png;base64,…`.
    pub qr_png: String,
}

/// A code from the authenticator app.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EnableRequest {
    /// Current TOTP code.
    pub code: String,
}

/// Recovery codes, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EnableOut {
    /// Ten single-use codes; only their hashes are stored.
    pub recovery_codes: Vec<String>,
}

/// Password and a code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DisableRequest {
    /// The account password.
    pub password: String,
    /// A current TOTP code, or an unused recovery code.
    pub code: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &super::Redacted(&self.password))
            .finish()
    }
}

impl std::fmt::Debug for SessionOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionOut")
            .field("token", &super::Redacted(&self.token))
            .field("expires_at", &self.expires_at)
            .field("user", &self.user)
            .finish()
    }
}

impl std::fmt::Debug for Verify2faRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verify2faRequest")
            .field("challenge", &super::Redacted(&self.challenge))
            .field("code", &super::Redacted(&self.code))
            .field("recovery_code", &super::Redacted(&self.recovery_code))
            .finish()
    }
}

impl std::fmt::Debug for RegisterRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterRequest")
            .field("tenant_id", &self.tenant_id)
            .field("username", &self.username)
            .field("password", &super::Redacted(&self.password))
            .field("role_id", &self.role_id)
            .finish()
    }
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangePasswordRequest")
            .field("current_password", &super::Redacted(&self.current_password))
            .field("new_password", &super::Redacted(&self.new_password))
            .finish()
    }
}

impl std::fmt::Debug for SetupOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupOut")
            .field("otpauth_uri", &super::Redacted(&self.otpauth_uri))
            .field("secret", &super::Redacted(&self.secret))
            .field("qr_png", &super::Redacted(&self.qr_png))
            .finish()
    }
}

impl std::fmt::Debug for EnableRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnableRequest")
            .field("code", &super::Redacted(&self.code))
            .finish()
    }
}

impl std::fmt::Debug for EnableOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnableOut")
            .field("recovery_codes", &super::Redacted(&self.recovery_codes))
            .finish()
    }
}

impl std::fmt::Debug for DisableRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DisableRequest")
            .field("password", &super::Redacted(&self.password))
            .field("code", &super::Redacted(&self.code))
            .finish()
    }
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoginResponse::Authenticated(s) => f.debug_tuple("Authenticated").field(s).finish(),
            LoginResponse::TwoFactorRequired { expires_at, .. } => f
                .debug_struct("TwoFactorRequired")
                .field("challenge", &"<redacted>")
                .field("expires_at", expires_at)
                .finish(),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let shown = [
            format!(
                "{:?}",
                LoginRequest {
                    username: "asha".into(),
                    password: "hunter2-hunter2".into()
                }
            ),
            format!(
                "{:?}",
                LoginResponse::TwoFactorRequired {
                    challenge: "chal-123456".into(),
                    expires_at: 1
                }
            ),
            format!(
                "{:?}",
                DisableRequest {
                    password: "hunter2-hunter2".into(),
                    code: "123456".into()
                }
            ),
            format!(
                "{:?}",
                EnableOut {
                    recovery_codes: vec!["abcd-efgh".into()]
                }
            ),
        ];
        for s in shown {
            for secret in ["hunter2", "chal-123456", "123456", "abcd-efgh"] {
                assert!(!s.contains(secret), "{s}");
            }
        }
        assert!(
            format!(
                "{:?}",
                LoginRequest {
                    username: "asha".into(),
                    password: String::new()
                }
            )
            .contains("asha")
        );
    }
}
