//! The audit log of a subtree.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ErrorBody};
use crate::app::{AppState, Authorized, perm};
use crate::error::Result;

/// Which rows.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// Root of the subtree (default: the caller's tenant).
    #[serde(default)]
    tenant_id: Option<String>,
    /// At most this many rows (1–500, default 100).
    #[serde(default)]
    limit: Option<i64>,
    /// Only rows older than this id (paging).
    #[serde(default)]
    before_id: Option<i64>,
}

/// One audit row.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuditOut {
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
}

/// Audit rows of the subtree, newest first. Requires `audit.read`.
#[utoipa::path(
    get,
    path = "/api/audit",
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "Rows, newest first", body = [AuditOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `audit.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::AuditRead>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditOut>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let rows = state
        .db
        .audit_under(&tenant.path, limit, q.before_id)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditOut {
                id: r.id,
                at: time::OffsetDateTime::from_unix_timestamp(r.entry.at)
                    .ok()
                    .and_then(|t| t.format(&Rfc3339).ok())
                    .unwrap_or_default(),
                actor_id: r.entry.actor_id,
                actor: r.entry.actor,
                tenant_id: r.entry.tenant_id,
                action: r.entry.action,
                target: r.entry.target,
                result: r.entry.result,
            })
            .collect(),
    ))
}
