//! Billing runs, issued documents, e-invoice export, IRN import and credit/debit notes.

use akashone_gst::{SupplyKind, to_einvoice_json};
use akashone_types::central::{
    BillingRunOut, BillingRunRequest, CreateNoteRequest, ImportIrnRequest, InvoiceDetail,
    InvoiceListQuery, InvoicePage, RunListQuery,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::billing::document::{detail, reissue, summary};
use crate::billing::run::{RunParams, run, run_out};
use crate::billing::{
    Period, gst_error, issue, parse_date, require_seller_side, today, visible_document,
};
use crate::context::{AppState, Authorized, now, perm};
use crate::db::DocumentFilter;
use crate::error::{Error, Result};
use crate::routes::{ApiJson, ApiQuery, ErrorBody};

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
