//! GST billing: seller profiles, customers' billing details, rate cards, billing runs, issued
//! documents, e-invoice export, IRN import and credit/debit notes.
//!
//! Reading needs `billing.read`, changing `billing.manage`. Setup and runs concern a tenant of
//! the caller's subtree; a document is visible when it was issued by or to a tenant of the
//! caller's subtree, and only its seller's side may register or correct it.

use akashone_gst::{SupplyKind, to_einvoice_json};
use akashone_types::central::{
    BillingRunOut, BillingRunRequest, BrandOut, CreateNoteRequest, CustomerBillingIn,
    CustomerBillingOut, ImportIrnRequest, InvoiceDetail, InvoiceListQuery, InvoicePage, RateCardIn,
    RateCardsOut, RunListQuery, ScopeQuery, SellerProfileIn, SellerProfileOut,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::app::{AppState, Authorized, Caller, now, perm};
use crate::billing::document::{detail, reissue, summary};
use crate::billing::profile::{
    LogoChange, customer_in, customer_out, iso, rate_card_in, rate_card_out, seller_in, seller_out,
};
use crate::billing::run::{RunParams, run, run_out};
use crate::billing::{
    Period, gst_error, issue, parse_date, require_seller_side, today, visible_document,
};
use crate::db::{AddRateCard, CustomerRecord, DocumentFilter, RateCardRecord, SellerRecord};
use crate::error::{Error, Result};

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

/// Runs billing for a seller and month: one invoice per direct child with usage, rated with the
/// card in force on the month's first day; customers invoiced before are skipped, so a re-run
/// never duplicates. Requires `billing.manage`.
#[utoipa::path(
    post,
    path = "/api/billing/runs",
    tag = "billing",
    security(("bearer" = [])),
    request_body = BillingRunRequest,
    responses(
        (status = 201, description = "The run, customer by customer", body = BillingRunOut),
        (status = 400, description = "Invalid period or date", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.manage`", body = ErrorBody),
        (status = 404, description = "Seller outside the caller's subtree", body = ErrorBody),
        (status = 409, description = "No seller profile or rate card yet", body = ErrorBody),
        (status = 503, description = "CloudStack is not configured", body = ErrorBody),
    )
)]
pub(crate) async fn create_run(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingManage>,
    ApiJson(req): ApiJson<BillingRunRequest>,
) -> Result<(StatusCode, Json<BillingRunOut>)> {
    let now = now();
    let seller = caller
        .tenant_in_scope(&state, req.tenant_id.as_deref())
        .await?;
    let period = Period::parse(&req.period)?;
    let today = today(now);
    let invoice_date = match req.invoice_date.as_deref() {
        Some(d) => parse_date("invoiceDate", d)?,
        None => today,
    };
    if invoice_date <= period.last {
        return Err(Error::Invalid(format!(
            "{} has not ended by {invoice_date}: invoices of a month are dated after it.",
            period.label
        )));
    }
    if invoice_date > today {
        return Err(Error::Invalid(format!(
            "invoiceDate: {invoice_date} is in the future."
        )));
    }
    let record = run(
        &state,
        &caller,
        &RunParams {
            seller: &seller,
            period: &period,
            invoice_date,
        },
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(run_out(record))))
}

/// A seller's billing runs, newest first. Requires `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/runs",
    tag = "billing",
    security(("bearer" = [])),
    params(RunListQuery),
    responses(
        (status = 200, description = "Runs", body = [BillingRunOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn list_runs(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    ApiQuery(q): ApiQuery<RunListQuery>,
) -> Result<Json<Vec<BillingRunOut>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let runs = state.db.runs(&tenant.id, limit).await?;
    Ok(Json(runs.into_iter().map(run_out).collect()))
}

/// Documents issued by or to tenants of a subtree, newest first, filtered and paged. Requires
/// `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/invoices",
    tag = "billing",
    security(("bearer" = [])),
    params(InvoiceListQuery),
    responses(
        (status = 200, description = "A page", body = InvoicePage),
        (status = 400, description = "Invalid filter", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn list_invoices(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    ApiQuery(q): ApiQuery<InvoiceListQuery>,
) -> Result<Json<InvoicePage>> {
    let scope = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let period = q.period.as_deref().map(Period::parse).transpose()?;
    let filter = DocumentFilter {
        scope_path: scope.path,
        customer_id: q.customer_id,
        seller_id: q.seller_id,
        period: period.map(|p| p.label),
        status: q.status,
        kind: q.document_type,
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0),
    };
    let (rows, total) = state.db.documents(&filter).await?;
    Ok(Json(InvoicePage {
        items: rows.iter().map(summary).collect(),
        total,
        limit: filter.limit,
        offset: filter.offset,
    }))
}

/// A document in full, as issued: every printed particular, the seller's branding and logo,
/// the e-invoice state and, for an invoice, its notes. Requires `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/invoices/{id}",
    tag = "billing",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "The document", body = InvoiceDetail),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "Not visible to the caller", body = ErrorBody),
    )
)]
pub(crate) async fn get_invoice(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    Path(id): Path<String>,
) -> Result<Json<InvoiceDetail>> {
    let rec = visible_document(&state, &caller, &id).await?;
    Ok(Json(detail(&state, &rec).await?))
}

/// The document's INV-01 v1.1 e-invoice request for the IRP. Requires `billing.read`.
#[utoipa::path(
    get,
    path = "/api/billing/invoices/{id}/einvoice",
    tag = "billing",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "INV-01 JSON (amounts as exact decimals)", content_type = "application/json", body = Object),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.read`", body = ErrorBody),
        (status = 404, description = "Not visible to the caller", body = ErrorBody),
        (status = 409, description = "A B2C document, which is not reported to the IRP", body = ErrorBody),
    )
)]
pub(crate) async fn get_einvoice(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingRead>,
    Path(id): Path<String>,
) -> Result<Response> {
    let rec = visible_document(&state, &caller, &id).await?;
    let issued = reissue(&rec)?;
    if issued.invoice().supply().kind == SupplyKind::B2c {
        return Err(Error::Conflict(format!(
            "{} is to an unregistered buyer (B2C); it is not reported to the IRP.",
            rec.head.number
        )));
    }
    let json = to_einvoice_json(issued.invoice()).map_err(gst_error)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Imports the IRP's response for a document awaiting its IRN, once: the IRN must be this
/// document's, and the signed QR code must name its GSTINs, number, type and date. Requires
/// `billing.manage` on the seller's side.
#[utoipa::path(
    post,
    path = "/api/billing/invoices/{id}/irn",
    tag = "billing",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Document id")),
    request_body = ImportIrnRequest,
    responses(
        (status = 200, description = "Registered", body = InvoiceDetail),
        (status = 400, description = "Not a valid response for this document; nothing stored", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.manage`, or not the seller", body = ErrorBody),
        (status = 404, description = "Not visible to the caller", body = ErrorBody),
        (status = 409, description = "No IRN needed, or one is attached already", body = ErrorBody),
    )
)]
pub(crate) async fn import_irn(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingManage>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ImportIrnRequest>,
) -> Result<Json<InvoiceDetail>> {
    let now = now();
    let rec = visible_document(&state, &caller, &id).await?;
    require_seller_side(&state, &caller, &rec.head).await?;
    issue::import_irn(&state, &caller, &rec, &req, now).await?;
    let rec = visible_document(&state, &caller, &id).await?;
    Ok(Json(detail(&state, &rec).await?))
}

/// Issues a credit or debit note against an invoice, numbered in its own series; the credit
/// notes of an invoice never exceed it (plus its debit notes). Requires `billing.manage` on the
/// seller's side.
#[utoipa::path(
    post,
    path = "/api/billing/invoices/{id}/credit-notes",
    tag = "billing",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Invoice id")),
    request_body = CreateNoteRequest,
    responses(
        (status = 201, description = "The note", body = InvoiceDetail),
        (status = 400, description = "Invalid line or reason, beyond the invoice, or past the deadline; nothing stored", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `billing.manage`, or not the seller", body = ErrorBody),
        (status = 404, description = "Not visible to the caller", body = ErrorBody),
        (status = 409, description = "The invoice awaits its IRN", body = ErrorBody),
    )
)]
pub(crate) async fn create_note(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::BillingManage>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreateNoteRequest>,
) -> Result<(StatusCode, Json<InvoiceDetail>)> {
    let now = now();
    let invoice = visible_document(&state, &caller, &id).await?;
    require_seller_side(&state, &caller, &invoice.head).await?;
    let note_id = issue::create_note(&state, &caller, &invoice, &req, now).await?;
    let note = visible_document(&state, &caller, &note_id).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &note).await?)))
}
