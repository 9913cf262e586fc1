//! GST billing: seller profiles, customers' billing details, rate cards, billing runs, issued
//! documents, e-invoice export, IRN import and credit/debit notes.
//!
//! Reading needs `billing.read`, changing `billing.manage`. Setup and runs concern a tenant of
//! the caller's subtree; a document is visible when it was issued by or to a tenant of the
//! caller's subtree, and only its seller's side may register or correct it.

use akashone_types::central::{
    BrandOut, CustomerBillingIn, CustomerBillingOut, RateCardIn, RateCardsOut, ScopeQuery,
    SellerProfileIn, SellerProfileOut,
};
use axum::Json;
use axum::extract::State;
use sha2::{Digest, Sha256};

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::billing::profile::{
    LogoChange, customer_in, customer_out, iso, rate_card_in, rate_card_out, seller_in, seller_out,
};
use crate::billing::today;
use crate::context::{AppState, Authorized, Caller, now, perm};
use crate::db::{AddRateCard, CustomerRecord, RateCardRecord, SellerRecord};
use crate::error::{Error, Result};

mod documents;

pub(crate) use documents::*;

/// A tenant's seller profile (with its logo). Requires `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/seller",
    tag = "billing",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "The profile", body = SellerProfileOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "No profile yet, or outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn get_seller(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<SellerProfileOut>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let record = state
        .db
        .seller_profile(&tenant.id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("The seller profile of {}", tenant.name)))?;
    let logo = match &record.logo_sha256 {
        Some(h) => state.db.logo(h).await?,
        None => None,
    };
    Ok(Json(seller_out(&record, logo.as_deref(), today(now()))))
}

/// Sets a tenant's seller profile: legal name, GSTIN, address, bank and UPI details, branding
/// and logo, series prefixes, e-invoicing and LUT. Issued documents keep the profile they were
/// issued with. Requires `billing.manage`.
#[utoipa::path(
    put,
    path = "/api/billing/seller",
    tag = "billing",
    security(("bearer" = [])),
    params(ScopeQuery),
    request_body = SellerProfileIn,
    responses(
        (status = 200, description = "Stored", body = SellerProfileOut),
        (status = 400, description = "Invalid field; nothing stored", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.manage`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn put_seller(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingManage>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(req): ApiJson<SellerProfileIn>,
) -> Result<Json<SellerProfileOut>> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let (profile, logo) = seller_in(&req)?;
    let current = state.db.seller_profile(&tenant.id).await?;
    let (logo_sha256, new_logo) = match logo {
        LogoChange::Keep => (current.and_then(|c| c.logo_sha256), None),
        LogoChange::Remove => (None, None),
        LogoChange::Set(png) => (Some(hex::encode(Sha256::digest(&png))), Some(png)),
    };
    let record = SellerRecord {
        tenant_id: tenant.id.clone(),
        profile,
        logo_sha256,
        updated_at: now,
        updated_by: caller.user.username.clone(),
    };
    state
        .db
        .put_seller_profile(&record, new_logo.as_deref())
        .await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "seller.update",
            &format!(
                "{} ({}) GSTIN {}",
                tenant.name, tenant.id, record.profile.seller.gstin
            ),
            "ok",
        )
        .await?;
    let logo = match (&new_logo, &record.logo_sha256) {
        (Some(png), _) => Some(png.clone()),
        (None, Some(h)) => state.db.logo(h).await?,
        (None, None) => None,
    };
    Ok(Json(seller_out(&record, logo.as_deref(), today(now))))
}

/// The white-label brand the caller sees: the seller profile of the nearest tenant from the
/// caller's own up to the platform, or `null` when none has one. Any signed-in user.
#[utoipa::path(
    get,
    path = "/api/branding",
    tag = "billing",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The brand, or null", body = Option<BrandOut>),
        (status = 401, description = "No valid session", body = ErrorBody),
    )
)]
pub(crate) async fn get_branding(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Option<BrandOut>>> {
    // The path lists the ids from the platform down to the caller's tenant.
    for id in caller
        .tenant
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .rev()
    {
        let Some(record) = state.db.seller_profile(id).await? else {
            continue;
        };
        let logo = match &record.logo_sha256 {
            Some(h) => state.db.logo(h).await?,
            None => None,
        };
        let out = seller_out(&record, logo.as_deref(), today(now()));
        return Ok(Json(Some(BrandOut {
            tenant_id: out.tenant_id,
            display_name: out.display_name,
            brand_colour: out.brand_colour,
            logo_sha256: logo.as_ref().and(record.logo_sha256.clone()),
            logo_png: out.logo_png,
        })));
    }
    Ok(Json(None))
}

/// A customer tenant's billing details. Requires `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/customer",
    tag = "billing",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "The details", body = CustomerBillingOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "None yet, or outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn get_customer(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<CustomerBillingOut>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let record = state
        .db
        .customer_profile(&tenant.id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("The billing details of {}", tenant.name)))?;
    Ok(Json(customer_out(&record)))
}

/// Sets a customer tenant's billing details: legal name, GSTIN or unregistered, address and
/// State (the place of supply), export or SEZ. Requires `billing.manage`.
#[utoipa::path(
    put,
    path = "/api/billing/customer",
    tag = "billing",
    security(("bearer" = [])),
    params(ScopeQuery),
    request_body = CustomerBillingIn,
    responses(
        (status = 200, description = "Stored", body = CustomerBillingOut),
        (status = 400, description = "Invalid field, or the platform (nobody's customer); nothing stored", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.manage`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn put_customer(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingManage>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(req): ApiJson<CustomerBillingIn>,
) -> Result<Json<CustomerBillingOut>> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    if tenant.parent_id.is_none() {
        return Err(Error::Invalid(
            "The platform has no seller above it, so it has no customer billing details.".into(),
        ));
    }
    let record = CustomerRecord {
        tenant_id: tenant.id.clone(),
        profile: customer_in(&req)?,
        updated_at: now,
        updated_by: caller.user.username.clone(),
    };
    state.db.put_customer_profile(&record).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "customer.update",
            &format!("{} ({})", tenant.name, tenant.id),
            "ok",
        )
        .await?;
    Ok(Json(customer_out(&record)))
}

async fn rate_cards_out(state: &AppState, seller_id: &str, now: i64) -> Result<RateCardsOut> {
    let versions = state.db.rate_cards(seller_id).await?;
    let today = iso(today(now));
    Ok(RateCardsOut {
        seller_tenant_id: seller_id.to_owned(),
        current: versions
            .iter()
            .find(|v| v.effective_from <= today)
            .map(rate_card_out),
        versions: versions.iter().map(rate_card_out).collect(),
    })
}

/// A seller's rate card: the version in force today and every version. Requires
/// `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/rate-card",
    tag = "billing",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Versions, newest first", body = RateCardsOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn get_rate_card(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<RateCardsOut>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    Ok(Json(rate_cards_out(&state, &tenant.id, now()).await?))
}

/// Adds a version of a seller's rate card, in force from the first day of a month. Versions are
/// never changed, and a version cannot start in a period the seller has already invoiced, so
/// issued invoices and re-runs of invoiced periods keep their prices. Requires
/// `billing.manage`.
#[utoipa::path(
    put,
    path = "/api/billing/rate-card",
    tag = "billing",
    security(("bearer" = [])),
    params(ScopeQuery),
    request_body = RateCardIn,
    responses(
        (status = 200, description = "Added; the card with every version", body = RateCardsOut),
        (status = 400, description = "Invalid price or date; nothing stored", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.manage`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
        (status = 409, description = "A version starts that day, or that period is invoiced", body = ErrorBody),
    )
)]
pub(crate) async fn put_rate_card(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingManage>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(req): ApiJson<RateCardIn>,
) -> Result<Json<RateCardsOut>> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let (from, card) = rate_card_in(&req)?;
    let record = RateCardRecord {
        seller_tenant_id: tenant.id.clone(),
        effective_from: iso(from),
        card,
        created_at: now,
        created_by: caller.user.username.clone(),
    };
    match state.db.add_rate_card(&record).await? {
        AddRateCard::Added => {}
        AddRateCard::Exists => {
            return Err(Error::Conflict(format!(
                "A rate card in force from {from} exists; versions are never changed: add one from a later month."
            )));
        }
        AddRateCard::AlreadyInvoiced(period) => {
            return Err(Error::Conflict(format!(
                "{} has invoiced {period}, on or after {from}; new prices can start from the month after.",
                tenant.name
            )));
        }
    }
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "ratecard.update",
            &format!("{} ({}) from {from}", tenant.name, tenant.id),
            "ok",
        )
        .await?;
    Ok(Json(rate_cards_out(&state, &tenant.id, now).await?))
}
