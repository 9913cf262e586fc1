//! The audit log of a subtree.

use akashone_types::central::{AuditOut, AuditQuery};
use axum::Json;
use axum::extract::State;
use time::format_description::well_known::Rfc3339;

use super::{ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, perm};
use crate::db::AuditEntry;
use crate::error::Result;

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
    Ok(Json(rows.into_iter().map(audit_out).collect()))
}

/// An audit row as the API shows it.
pub(crate) fn audit_out(r: AuditEntry) -> AuditOut {
    AuditOut {
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
        ip: r.entry.ip,
    }
}
