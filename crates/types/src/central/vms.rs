//! VMs through the server and what a tenant can deploy.

use serde::{Deserialize, Serialize};

/// A zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ZoneOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TemplateOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub display_text: String,
    /// OS type.
    pub os_type: String,
}

/// A compute offering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfferingOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub display_text: String,
    /// vCPUs.
    pub cpu_number: i64,
    /// Memory (MiB).
    pub memory_mb: i64,
}

/// Templates of a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TemplateQuery {
    /// Tenant (default: the caller's).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Zone id.
    #[serde(default)]
    pub zone_id: Option<String>,
}

/// A VM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VmOut {
    /// CloudStack id.
    pub id: String,
    /// Owning tenant.
    pub tenant_id: String,
    /// Name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// `Running`, `Stopped`, `Starting`…
    pub state: String,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// Template id.
    pub template_id: String,
    /// Template name.
    pub template_name: String,
    /// Service offering id.
    pub service_offering_id: String,
    /// Service offering name.
    pub service_offering_name: String,
    /// vCPUs.
    pub cpu_number: i64,
    /// Memory (MiB).
    pub memory_mb: i64,
    /// First IPv4 address.
    pub ip_address: String,
    /// Creation date as CloudStack reports it.
    pub created: String,
    /// When the server last fetched it (Unix seconds).
    pub synced_at: i64,
}

/// Which VMs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct VmListQuery {
    /// Tenant whose subtree's VMs to list (default: the caller's).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Fetch from CloudStack now instead of using a fresh cache.
    #[serde(default)]
    pub refresh: bool,
}

/// A deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeployVm {
    /// Tenant to deploy for (default: the caller's).
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Host name.
    #[serde(default)]
    pub name: Option<String>,
    /// Zone id.
    pub zone_id: String,
    /// Template id.
    pub template_id: String,
    /// Service offering id.
    pub service_offering_id: String,
}
