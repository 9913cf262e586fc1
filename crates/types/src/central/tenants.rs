//! The tenant tree, roles and the audit log.

use serde::{Deserialize, Serialize};

use super::Permission;

/// A tenant as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TenantOut {
    /// Id.
    pub id: String,
    /// Parent id (`null` for the platform).
    pub parent_id: Option<String>,
    /// Name.
    pub name: String,
    /// Depth (the platform is 0).
    pub depth: usize,
    /// Whether its users (and its subtree's) are refused.
    pub suspended: bool,
    /// CloudStack domain id.
    pub cloudstack_domain_id: Option<String>,
    /// CloudStack account name.
    pub cloudstack_account: Option<String>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
}

/// Which subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ScopeQuery {
    /// Root of the subtree (default: the caller's tenant).
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// A new tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateTenant {
    /// Parent (default: the caller's tenant).
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Name, 1–100 characters.
    pub name: String,
}

/// Changes to a tenant; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateTenant {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New parent (moves the whole subtree).
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Suspend or resume.
    #[serde(default)]
    pub suspended: Option<bool>,
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleOut {
    /// Id (built-in roles: their name).
    pub id: String,
    /// Name.
    pub name: String,
    /// Owning tenant of a custom role.
    pub tenant_id: Option<String>,
    /// Permissions.
    pub permissions: Vec<Permission>,
    /// Built in.
    pub builtin: bool,
}

/// A new custom role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateRole {
    /// Owning tenant (default: the caller's); the role can be given to users in its subtree.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Name, 1–64 characters, not a built-in name.
    pub name: String,
    /// Permissions; none beyond the caller's own.
    pub permissions: Vec<Permission>,
}

/// Which rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// Root of the subtree (default: the caller's tenant).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// At most this many rows (1–500, default 100).
    #[serde(default)]
    pub limit: Option<i64>,
    /// Only rows older than this id (paging).
    #[serde(default)]
    pub before_id: Option<i64>,
}

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditOut {
    /// Sequence number.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Acting user id.
    pub actor_id: Option<String>,
    /// Acting user name.
    pub actor: String,
    /// Tenant concerned.
    pub tenant_id: Option<String>,
    /// Action, e.g. `tenant.create`.
    pub action: String,
    /// Target.
    pub target: String,
    /// `ok`, `denied: …` or `failed: …`.
    pub result: String,
    /// The client's address, for sign-in events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}
