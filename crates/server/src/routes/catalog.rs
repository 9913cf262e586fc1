//! What a tenant can deploy: zones, templates and compute offerings, asked of CloudStack within
//! the tenant's domain.

use akashone_cloudstack::api::{ListServiceOfferings, ListTemplates, ListZones, TemplateFilter};
use akashone_types::central::{OfferingOut, ScopeQuery, TemplateOut, TemplateQuery, ZoneOut};
use axum::Json;
use axum::extract::State;

use super::{ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, perm};
use crate::error::Result;

fn s(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// Zones the tenant can deploy in. Requires `catalog.read`.
#[utoipa::path(
    get,
    path = "/api/cloudstack/zones",
    tag = "cloudstack",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Zones", body = [ZoneOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `catalog.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn zones(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::CatalogRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<ZoneOut>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let domain = state.tenant_domain(&tenant).await?;
    let zones = state
        .cs()?
        .list_zones(&ListZones {
            available: Some(true),
            ..Default::default()
        })
        .await?;
    Ok(Json(
        zones
            .into_iter()
            // Zones dedicated to a domain are offered only to that domain.
            .filter(|z| z.domainid.as_ref().is_none_or(|d| *d == domain))
            .filter_map(|z| {
                Some(ZoneOut {
                    id: z.id?,
                    name: s(z.name),
                })
            })
            .collect(),
    ))
}

/// Templates the tenant's account can deploy, optionally in one zone. Requires `catalog.read`.
#[utoipa::path(
    get,
    path = "/api/cloudstack/templates",
    tag = "cloudstack",
    security(("bearer" = [])),
    params(TemplateQuery),
    responses(
        (status = 200, description = "Templates", body = [TemplateOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `catalog.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn templates(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::CatalogRead>,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<Json<Vec<TemplateOut>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let domain = state.tenant_domain(&tenant).await?;
    let mut req = ListTemplates {
        templatefilter: Some(TemplateFilter::Executable),
        zoneid: q.zone_id.clone(),
        ..Default::default()
    };
    if let Some(account) = &tenant.cs_account {
        req.domainid = Some(domain);
        req.account = Some(account.clone());
    }
    let mut seen = std::collections::HashSet::new();
    let templates = state.cs()?.list_templates(&req).await?;
    Ok(Json(
        templates
            .into_iter()
            .filter_map(|t| {
                // A template is listed once per zone; show it once.
                let id = t.id?;
                seen.insert(id.clone()).then(|| TemplateOut {
                    id,
                    name: s(t.name),
                    display_text: s(t.displaytext),
                    os_type: s(t.ostypename),
                })
            })
            .collect(),
    ))
}

/// Compute offerings available to the tenant's domain. Requires `catalog.read`.
#[utoipa::path(
    get,
    path = "/api/cloudstack/service-offerings",
    tag = "cloudstack",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Offerings", body = [OfferingOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `catalog.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn service_offerings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::CatalogRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<OfferingOut>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let domain = state.tenant_domain(&tenant).await?;
    let offerings = state
        .cs()?
        .list_service_offerings(&ListServiceOfferings {
            domainid: tenant.cs_account.as_ref().map(|_| domain),
            ..Default::default()
        })
        .await?;
    Ok(Json(
        offerings
            .into_iter()
            .filter_map(|o| {
                Some(OfferingOut {
                    id: o.id?,
                    name: s(o.name),
                    display_text: s(o.displaytext),
                    cpu_number: o.cpunumber.unwrap_or_default(),
                    memory_mb: o.memory.unwrap_or_default(),
                })
            })
            .collect(),
    ))
}
