//! Commands of central server profiles: sign-in, the user's own account, and administration.
//! Each one parses its arguments and calls the console.

use akashone_types::central::{
    AuditOut, CreateRole, CreateTenant, EnableOut, Me, RegisterRequest, RoleOut, SellerProfileIn,
    SellerProfileOut, SetupOut, TenantOut, UpdateTenant, UserOut,
};
use akashone_types::{ApiError, ConnectionStatus, NewCentralProfile, Profiles, SignInStep};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub(crate) async fn add_central_profile(
    state: State<'_, AppState>,
    form: NewCentralProfile,
) -> Result<Profiles, ApiError> {
    Ok(state.console().add_central_profile(&form).await?)
}

#[tauri::command]
pub(crate) async fn central_sign_in(
    state: State<'_, AppState>,
    id: String,
    password: String,
) -> Result<SignInStep, ApiError> {
    Ok(state.console().central_sign_in(&id, &password).await?)
}

#[tauri::command]
pub(crate) async fn central_verify_2fa(
    state: State<'_, AppState>,
    code: Option<String>,
    recovery_code: Option<String>,
) -> Result<SignInStep, ApiError> {
    Ok(state
        .console()
        .central_verify_2fa(code.as_deref(), recovery_code.as_deref())
        .await?)
}

#[tauri::command]
pub(crate) async fn central_sign_out(
    state: State<'_, AppState>,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().central_sign_out().await?)
}

#[tauri::command]
pub(crate) async fn act_as(
    state: State<'_, AppState>,
    tenant_id: Option<String>,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().act_as(tenant_id.as_deref()).await?)
}

#[tauri::command]
pub(crate) async fn twofa_setup(state: State<'_, AppState>) -> Result<SetupOut, ApiError> {
    Ok(state.console().twofa_setup().await?)
}

#[tauri::command]
pub(crate) async fn twofa_enable(
    state: State<'_, AppState>,
    code: String,
) -> Result<EnableOut, ApiError> {
    Ok(state.console().twofa_enable(&code).await?)
}

#[tauri::command]
pub(crate) async fn twofa_disable(
    state: State<'_, AppState>,
    password: String,
    code: String,
) -> Result<Me, ApiError> {
    Ok(state.console().twofa_disable(&password, &code).await?)
}

#[tauri::command]
pub(crate) async fn change_password(
    state: State<'_, AppState>,
    current_password: String,
    new_password: String,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state
        .console()
        .change_password(&current_password, &new_password)
        .await?)
}

#[tauri::command]
pub(crate) async fn tenants_list(state: State<'_, AppState>) -> Result<Vec<TenantOut>, ApiError> {
    Ok(state.console().tenants_list().await?)
}

#[tauri::command]
pub(crate) async fn tenant_create(
    state: State<'_, AppState>,
    form: CreateTenant,
) -> Result<TenantOut, ApiError> {
    Ok(state.console().tenant_create(&form).await?)
}

#[tauri::command]
pub(crate) async fn tenant_update(
    state: State<'_, AppState>,
    id: String,
    change: UpdateTenant,
) -> Result<TenantOut, ApiError> {
    Ok(state.console().tenant_update(&id, &change).await?)
}

#[tauri::command]
pub(crate) async fn roles_list(state: State<'_, AppState>) -> Result<Vec<RoleOut>, ApiError> {
    Ok(state.console().roles_list().await?)
}

#[tauri::command]
pub(crate) async fn role_create(
    state: State<'_, AppState>,
    form: CreateRole,
) -> Result<RoleOut, ApiError> {
    Ok(state.console().role_create(&form).await?)
}

#[tauri::command]
pub(crate) async fn users_list(state: State<'_, AppState>) -> Result<Vec<UserOut>, ApiError> {
    Ok(state.console().users_list().await?)
}

#[tauri::command]
pub(crate) async fn user_create(
    state: State<'_, AppState>,
    form: RegisterRequest,
) -> Result<UserOut, ApiError> {
    Ok(state.console().user_create(&form).await?)
}

#[tauri::command]
pub(crate) async fn user_set_role(
    state: State<'_, AppState>,
    id: String,
    role_id: String,
) -> Result<UserOut, ApiError> {
    Ok(state.console().user_set_role(&id, &role_id).await?)
}

#[tauri::command]
pub(crate) async fn audit_list(
    state: State<'_, AppState>,
    before_id: Option<i64>,
) -> Result<Vec<AuditOut>, ApiError> {
    Ok(state.console().audit_list(before_id).await?)
}

#[tauri::command]
pub(crate) async fn seller_profile(
    state: State<'_, AppState>,
) -> Result<Option<SellerProfileOut>, ApiError> {
    Ok(state.console().seller_profile().await?)
}

#[tauri::command]
pub(crate) async fn seller_profile_save(
    state: State<'_, AppState>,
    form: SellerProfileIn,
) -> Result<SellerProfileOut, ApiError> {
    Ok(state.console().seller_profile_save(&form).await?)
}

#[tauri::command]
pub(crate) async fn brand_logo(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    Ok(state.console().brand_logo()?)
}
