//! Invoice commands: read the offline cache and render PDFs locally (no network needed).

use akashone_types::central::InvoiceDetail;
use akashone_types::commands as cmd;
use akashone_types::{ApiError, InvoiceList, SavedPdf};

use crate::state::AppState;

pub(crate) async fn invoice_list(
    state: &AppState,
    _: cmd::InvoiceList,
) -> Result<InvoiceList, ApiError> {
    Ok(state.console().invoice_list()?)
}

pub(crate) async fn invoice_get(
    state: &AppState,
    cmd::InvoiceGet { number }: cmd::InvoiceGet,
) -> Result<InvoiceDetail, ApiError> {
    Ok(state.console().invoice_get(&number)?)
}

pub(crate) async fn invoice_save_pdf(
    state: &AppState,
    cmd::InvoiceSavePdf { number, copy }: cmd::InvoiceSavePdf,
) -> Result<SavedPdf, ApiError> {
    Ok(state.console().invoice_save_pdf(&number, copy)?)
}

pub(crate) async fn invoice_print(
    state: &AppState,
    cmd::InvoicePrint { number, copy }: cmd::InvoicePrint,
) -> Result<SavedPdf, ApiError> {
    Ok(state.console().invoice_print(&number, copy)?)
}
