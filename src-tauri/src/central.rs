//! Commands of central server profiles: sign-in, the user's own account, and administration.
//! Each one takes its arguments and calls the console.

use akashone_types::central::{
    AuditOut, EnableOut, Me, RoleOut, SellerProfileOut, SetupOut, TenantOut, UserOut,
};
use akashone_types::commands as cmd;
use akashone_types::{ApiError, ConnectionStatus, Profiles, SignInStep};

use crate::state::AppState;

pub(crate) async fn add_central_profile(
    state: &AppState,
    cmd::AddCentralProfile { form }: cmd::AddCentralProfile,
) -> Result<Profiles, ApiError> {
    Ok(state.console().add_central_profile(&form).await?)
}

pub(crate) async fn central_sign_in(
    state: &AppState,
    cmd::CentralSignIn { id, password }: cmd::CentralSignIn,
) -> Result<SignInStep, ApiError> {
    Ok(state.console().central_sign_in(&id, &password).await?)
}

pub(crate) async fn central_verify_2fa(
    state: &AppState,
    cmd::CentralVerify2fa {
        code,
        recovery_code,
    }: cmd::CentralVerify2fa,
) -> Result<SignInStep, ApiError> {
    Ok(state
        .console()
        .central_verify_2fa(code.as_deref(), recovery_code.as_deref())
        .await?)
}

pub(crate) async fn central_sign_out(
    state: &AppState,
    _: cmd::CentralSignOut,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().central_sign_out().await?)
}

pub(crate) async fn act_as(
    state: &AppState,
    cmd::ActAs { tenant_id }: cmd::ActAs,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().act_as(tenant_id.as_deref()).await?)
}

pub(crate) async fn twofa_setup(
    state: &AppState,
    _: cmd::TwofaSetup,
) -> Result<SetupOut, ApiError> {
    Ok(state.console().twofa_setup().await?)
}

pub(crate) async fn twofa_enable(
    state: &AppState,
    cmd::TwofaEnable { code }: cmd::TwofaEnable,
) -> Result<EnableOut, ApiError> {
    Ok(state.console().twofa_enable(&code).await?)
}

pub(crate) async fn twofa_disable(
    state: &AppState,
    cmd::TwofaDisable { password, code }: cmd::TwofaDisable,
) -> Result<Me, ApiError> {
    Ok(state.console().twofa_disable(&password, &code).await?)
}

pub(crate) async fn own_sign_in_failures(
    state: &AppState,
    _: cmd::OwnSignInFailures,
) -> Result<Vec<AuditOut>, ApiError> {
    Ok(state.console().own_sign_in_failures().await?)
}

pub(crate) async fn change_password(
    state: &AppState,
    cmd::ChangePassword {
        current_password,
        new_password,
    }: cmd::ChangePassword,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state
        .console()
        .change_password(&current_password, &new_password)
        .await?)
}

pub(crate) async fn tenants_list(
    state: &AppState,
    _: cmd::TenantsList,
) -> Result<Vec<TenantOut>, ApiError> {
    Ok(state.console().tenants_list().await?)
}

pub(crate) async fn tenant_create(
    state: &AppState,
    cmd::TenantCreate { form }: cmd::TenantCreate,
) -> Result<TenantOut, ApiError> {
    Ok(state.console().tenant_create(&form).await?)
}

pub(crate) async fn tenant_update(
    state: &AppState,
    cmd::TenantUpdate { id, change }: cmd::TenantUpdate,
) -> Result<TenantOut, ApiError> {
    Ok(state.console().tenant_update(&id, &change).await?)
}

pub(crate) async fn roles_list(
    state: &AppState,
    _: cmd::RolesList,
) -> Result<Vec<RoleOut>, ApiError> {
    Ok(state.console().roles_list().await?)
}

pub(crate) async fn role_create(
    state: &AppState,
    cmd::RoleCreate { form }: cmd::RoleCreate,
) -> Result<RoleOut, ApiError> {
    Ok(state.console().role_create(&form).await?)
}

pub(crate) async fn users_list(
    state: &AppState,
    _: cmd::UsersList,
) -> Result<Vec<UserOut>, ApiError> {
    Ok(state.console().users_list().await?)
}

pub(crate) async fn user_create(
    state: &AppState,
    cmd::UserCreate { form }: cmd::UserCreate,
) -> Result<UserOut, ApiError> {
    Ok(state.console().user_create(&form).await?)
}

pub(crate) async fn user_set_role(
    state: &AppState,
    cmd::UserSetRole { id, role_id }: cmd::UserSetRole,
) -> Result<UserOut, ApiError> {
    Ok(state.console().user_set_role(&id, &role_id).await?)
}

pub(crate) async fn audit_list(
    state: &AppState,
    cmd::AuditList { before_id }: cmd::AuditList,
) -> Result<Vec<AuditOut>, ApiError> {
    Ok(state.console().audit_list(before_id).await?)
}

pub(crate) async fn seller_profile(
    state: &AppState,
    _: cmd::SellerProfile,
) -> Result<Option<SellerProfileOut>, ApiError> {
    Ok(state.console().seller_profile().await?)
}

pub(crate) async fn seller_profile_save(
    state: &AppState,
    cmd::SellerProfileSave { form }: cmd::SellerProfileSave,
) -> Result<SellerProfileOut, ApiError> {
    Ok(state.console().seller_profile_save(&form).await?)
}

pub(crate) async fn brand_logo(
    state: &AppState,
    _: cmd::BrandLogo,
) -> Result<Option<String>, ApiError> {
    Ok(state.console().brand_logo()?)
}
