//! HTTP routes, one module per area, and the OpenAPI document generated from them.

pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod billing;
pub(crate) mod catalog;
pub(crate) mod kubernetes;
pub(crate) mod limits;
pub(crate) mod resources;
pub(crate) mod roles;
pub(crate) mod tenants;
pub(crate) mod twofa;
pub(crate) mod users;
pub(crate) mod vms;

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::{Extension, Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::context::AppState;
use crate::error::Error;

/// The error body of every failure (the shape of `akashone_types::ApiError`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// Machine-readable code: `invalid_input`, `unauthorized`, `forbidden`, `not_found`,
    /// `conflict`, `unreachable`, `timeout`, `storage`, `not_configured`, `internal`.
    code: String,
    /// A sentence for a human.
    message: String,
}

/// A JSON body whose rejection is an [`ErrorBody`].
pub(crate) struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let Json(v) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// A query string whose rejection is an [`ErrorBody`].
pub(crate) struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let axum::extract::Query(v) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(v))
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The session token from POST /api/auth/login or /api/auth/verify-2fa.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "AkashOne central server",
        description = "Accounts with 2FA, the tenant tree, roles, the audit log, and VMs, Kubernetes clusters, networks and storage in each tenant's CloudStack domain. Every operation with a `bearer` security requirement answers 401 without a valid session token, 403 when the caller's role lacks the permission named in its description, and 404 for targets outside the caller's subtree. A request body larger than the operation takes (64 KiB; 406 KiB for PUT /api/billing/seller, which carries a logo) is answered 413 with the limit in the message."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in, sessions, users and two-factor authentication"),
        (name = "tenants", description = "The tenant tree"),
        (name = "roles", description = "Roles and permissions"),
        (name = "audit", description = "The audit log"),
        (name = "vms", description = "Virtual machines of a tenant"),
        (name = "cloudstack", description = "What a tenant can deploy"),
        (name = "kubernetes", description = "Kubernetes clusters (CloudStack Kubernetes Service) of a tenant"),
        (name = "network", description = "Networks, VPCs, public IPs and their rules of a tenant, and the operations that change networks and storage"),
        (name = "storage", description = "Volumes, snapshots, snapshot policies and VM snapshots of a tenant"),
        (name = "billing", description = "GST billing: sellers, customers, rate cards, runs, invoices and notes"),
        (name = "meta", description = "This document")
    )
)]
struct ApiDoc;

/// The routes with their OpenAPI description.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::verify_2fa))
        .routes(routes!(auth::me))
        .routes(routes!(auth::failures))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::register))
        .routes(routes!(auth::change_password))
        .routes(routes!(twofa::setup))
        .routes(routes!(twofa::enable))
        .routes(routes!(twofa::disable))
        .routes(routes!(tenants::list, tenants::create))
        .routes(routes!(tenants::update))
        .routes(routes!(roles::list, roles::create))
        .routes(routes!(users::list))
        .routes(routes!(users::set_role))
        .routes(routes!(audit::list))
        .routes(routes!(vms::list, vms::create))
        .routes(routes!(vms::start))
        .routes(routes!(vms::stop))
        .routes(routes!(vms::reboot))
        .routes(routes!(vms::delete))
        .routes(routes!(catalog::zones))
        .routes(routes!(catalog::templates))
        .routes(routes!(catalog::service_offerings))
        .routes(routes!(kubernetes::versions))
        .routes(routes!(kubernetes::offerings))
        .routes(routes!(kubernetes::list, kubernetes::create))
        .routes(routes!(kubernetes::review))
        .routes(routes!(kubernetes::act, kubernetes::delete))
        .routes(routes!(kubernetes::kubeconfig))
        .routes(routes!(resources::networks))
        .routes(routes!(resources::vpcs))
        .routes(routes!(resources::public_ips))
        .routes(routes!(resources::firewall_rules))
        .routes(routes!(resources::egress_rules))
        .routes(routes!(resources::port_forwards))
        .routes(routes!(resources::load_balancers))
        .routes(routes!(resources::lb_members))
        .routes(routes!(resources::network_offerings))
        .routes(routes!(resources::volumes))
        .routes(routes!(resources::snapshots))
        .routes(routes!(resources::snapshot_policies))
        .routes(routes!(resources::vm_snapshots))
        .routes(routes!(resources::disk_offerings))
        .routes(routes!(resources::operate))
        .routes(routes!(billing::get_seller, billing::put_seller))
        .routes(routes!(billing::get_branding))
        .routes(routes!(billing::get_customer, billing::put_customer))
        .routes(routes!(billing::get_rate_card, billing::put_rate_card))
        .routes(routes!(billing::list_runs, billing::create_run))
        .routes(routes!(billing::list_invoices))
        .routes(routes!(billing::get_invoice))
        .routes(routes!(billing::get_einvoice))
        .routes(routes!(billing::import_irn))
        .routes(routes!(billing::create_note))
        .routes(routes!(openapi_json))
}

/// The OpenAPI document of this server.
pub fn openapi() -> OpenApiDoc {
    api().split_for_parts().1
}

/// The application: every route, with the OpenAPI document served at `/api/openapi.json`.
pub fn router(state: AppState) -> Router {
    let (router, doc) = api().split_for_parts();
    router
        .layer(Extension(Arc::new(doc)))
        .layer(axum::middleware::from_fn(limits::limit_bodies))
        .with_state(state)
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
async fn openapi_json(Extension(doc): Extension<Arc<OpenApiDoc>>) -> Json<OpenApiDoc> {
    Json((*doc).clone())
}
