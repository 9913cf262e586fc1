//! Invoice commands: read the offline cache and render PDFs locally (no network needed).

use akashone_types::central::InvoiceDetail;
use akashone_types::{ApiError, InvoiceCopy, InvoiceList, SavedPdf};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub(crate) async fn invoice_list(state: State<'_, AppState>) -> Result<InvoiceList, ApiError> {
    Ok(state.console().invoice_list()?)
}

#[tauri::command]
pub(crate) async fn invoice_get(
    state: State<'_, AppState>,
    number: String,
) -> Result<InvoiceDetail, ApiError> {
    Ok(state.console().invoice_get(&number)?)
}

#[tauri::command]
pub(crate) async fn invoice_save_pdf(
    state: State<'_, AppState>,
    number: String,
    copy: InvoiceCopy,
) -> Result<SavedPdf, ApiError> {
    Ok(state.console().invoice_save_pdf(&number, copy)?)
}

#[tauri::command]
pub(crate) async fn invoice_print(
    state: State<'_, AppState>,
    number: String,
    copy: InvoiceCopy,
) -> Result<SavedPdf, ApiError> {
    Ok(state.console().invoice_print(&number, copy)?)
}
