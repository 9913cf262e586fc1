//! Typed wrappers, one per shell command. Argument names match the Rust command signatures.

use super::bridge::{NoArgs, invoke};
use akashone_types::central::{
    AuditOut, CreateRole, CreateTenant, EnableOut, InvoiceDetail, Me, RegisterRequest, RoleOut,
    SellerProfileIn, SellerProfileOut, SetupOut, TenantOut, UpdateTenant, UserOut,
};
use akashone_types::{
    ApiError, AppInfo, CachedList, Choice, ConnectionStatus, DashboardFigures, DeployRequest,
    InvoiceCopy, InvoiceList, NewCentralProfile, NewCloudStackProfile, Profiles, SavedPdf,
    Settings, SignInStep, Theme, VmAction, VmMetrics, VmPage, VmQuery, VmRow,
};
use serde::Serialize;

/// Product, version, company and data folder.
pub async fn app_info() -> Result<AppInfo, ApiError> {
    invoke("app_info", &NoArgs {}).await
}

/// The saved settings.
pub async fn get_settings() -> Result<Settings, ApiError> {
    invoke("get_settings", &NoArgs {}).await
}

/// Saves the theme; returns the settings as saved.
pub async fn set_theme(theme: Theme) -> Result<Settings, ApiError> {
    #[derive(Serialize)]
    struct Args<'a> {
        theme: &'a str,
    }
    invoke(
        "set_theme",
        &Args {
            theme: theme.as_str(),
        },
    )
    .await
}

/// Tells the shell the first page has rendered (start-up diagnostics and benchmark).
pub async fn ui_ready(page: &str) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Args<'a> {
        page: &'a str,
    }
    invoke("ui_ready", &Args { page }).await
}

// ---- Connection profiles --------------------------------------------------------------------

/// The saved profiles and the active one.
pub async fn list_profiles() -> Result<Profiles, ApiError> {
    invoke("list_profiles", &NoArgs {}).await
}

/// Checks the credentials with `listZones`, then saves the profile (secret in the vault).
pub async fn add_cloudstack_profile(form: NewCloudStackProfile) -> Result<Profiles, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: NewCloudStackProfile,
    }
    invoke("add_cloudstack_profile", &Args { form }).await
}

/// Adds the demo profile (the built-in simulator).
pub async fn add_demo_profile() -> Result<Profiles, ApiError> {
    invoke("add_demo_profile", &NoArgs {}).await
}

/// Removes a profile, its secret and its cache.
pub async fn remove_profile(id: String) -> Result<Profiles, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("remove_profile", &Args { id }).await
}

/// Makes a profile the active one; the cache shows at once and a sync starts.
pub async fn activate_profile(id: String) -> Result<ConnectionStatus, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("activate_profile", &Args { id }).await
}

/// The connection as it is now.
pub async fn connection_status() -> Result<ConnectionStatus, ApiError> {
    invoke("connection_status", &NoArgs {}).await
}

/// Starts a sync of the active profile now (it also runs by itself).
pub async fn sync_now() -> Result<ConnectionStatus, ApiError> {
    invoke("sync_now", &NoArgs {}).await
}

// ---- Virtual machines -----------------------------------------------------------------------

/// A filtered, sorted page of the VM list, from the cache.
pub async fn vm_page(query: VmQuery) -> Result<VmPage, ApiError> {
    #[derive(Serialize)]
    struct Args {
        query: VmQuery,
    }
    invoke("vm_page", &Args { query }).await
}

/// One VM from the cache.
pub async fn vm_get(id: String) -> Result<VmRow, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("vm_get", &Args { id }).await
}

/// Live metrics of one VM (needs the cloud).
pub async fn vm_metrics(id: String) -> Result<VmMetrics, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("vm_metrics", &Args { id }).await
}

/// Starts a lifecycle action; progress arrives as `vm-job` events. Returns the task id.
pub async fn vm_action(id: String, action: VmAction) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
        action: VmAction,
    }
    invoke("vm_action", &Args { id, action }).await
}

/// Zones to deploy into.
pub async fn deploy_zones() -> Result<Vec<Choice>, ApiError> {
    invoke("deploy_zones", &NoArgs {}).await
}

/// Templates available in a zone.
pub async fn deploy_templates(zone_id: String) -> Result<Vec<Choice>, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        zone_id: String,
    }
    invoke("deploy_templates", &Args { zone_id }).await
}

/// Service offerings.
pub async fn deploy_offerings() -> Result<Vec<Choice>, ApiError> {
    invoke("deploy_offerings", &NoArgs {}).await
}

/// SSH key pairs.
pub async fn deploy_keypairs() -> Result<Vec<Choice>, ApiError> {
    invoke("deploy_keypairs", &NoArgs {}).await
}

/// Networks in a zone.
pub async fn deploy_networks(zone_id: String) -> Result<Vec<Choice>, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        zone_id: String,
    }
    invoke("deploy_networks", &Args { zone_id }).await
}

/// Deploys a VM; progress arrives as `vm-job` events. Returns the task id.
pub async fn deploy_vm(request: DeployRequest) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Args {
        request: DeployRequest,
    }
    invoke("deploy_vm", &Args { request }).await
}

/// Dashboard figures from the cache.
pub async fn dashboard() -> Result<Option<DashboardFigures>, ApiError> {
    invoke("dashboard", &NoArgs {}).await
}

/// A cached list for the read-only pages.
pub async fn cached_list(kind: &str) -> Result<CachedList, ApiError> {
    #[derive(Serialize)]
    struct Args<'a> {
        kind: &'a str,
    }
    invoke("cached_list", &Args { kind }).await
}

// ---- Central server -------------------------------------------------------------------------

/// Checks that the server answers, then saves a central server profile (no password is kept).
pub async fn add_central_profile(form: NewCentralProfile) -> Result<Profiles, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: NewCentralProfile,
    }
    invoke("add_central_profile", &Args { form }).await
}

/// The password step of signing in to a central server profile (which becomes the active one).
pub async fn central_sign_in(id: String, password: String) -> Result<SignInStep, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
        password: String,
    }
    invoke("central_sign_in", &Args { id, password }).await
}

/// The 2FA step: a current TOTP code, or one unused recovery code.
pub async fn central_verify_2fa(
    code: Option<String>,
    recovery_code: Option<String>,
) -> Result<SignInStep, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        code: Option<String>,
        recovery_code: Option<String>,
    }
    invoke(
        "central_verify_2fa",
        &Args {
            code,
            recovery_code,
        },
    )
    .await
}

/// Signs out of the active central server profile (the session is revoked on the server).
pub async fn central_sign_out() -> Result<ConnectionStatus, ApiError> {
    invoke("central_sign_out", &NoArgs {}).await
}

/// Shows another tenant's data (one in the user's subtree), or the user's own with `None`.
pub async fn act_as(tenant_id: Option<String>) -> Result<ConnectionStatus, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        tenant_id: Option<String>,
    }
    invoke("act_as", &Args { tenant_id }).await
}

/// Starts 2FA set-up: the secret as an otpauth URI and a QR code image.
pub async fn twofa_setup() -> Result<SetupOut, ApiError> {
    invoke("twofa_setup", &NoArgs {}).await
}

/// Turns 2FA on with a code from the authenticator; returns the recovery codes (shown once).
pub async fn twofa_enable(code: String) -> Result<EnableOut, ApiError> {
    #[derive(Serialize)]
    struct Args {
        code: String,
    }
    invoke("twofa_enable", &Args { code }).await
}

/// Turns 2FA off; needs the password and a current or recovery code.
pub async fn twofa_disable(password: String, code: String) -> Result<Me, ApiError> {
    #[derive(Serialize)]
    struct Args {
        password: String,
        code: String,
    }
    invoke("twofa_disable", &Args { password, code }).await
}

/// Changes the password. The server revokes every session and hands this console a new one
/// (the returned status stays signed in); other devices must sign in again.
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<ConnectionStatus, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        current_password: String,
        new_password: String,
    }
    invoke(
        "change_password",
        &Args {
            current_password,
            new_password,
        },
    )
    .await
}

/// The tenant tree under the user's tenant (the user's tenant first, then by path).
pub async fn tenants_list() -> Result<Vec<TenantOut>, ApiError> {
    invoke("tenants_list", &NoArgs {}).await
}

/// Creates a tenant (and its CloudStack domain and account).
pub async fn tenant_create(form: CreateTenant) -> Result<TenantOut, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: CreateTenant,
    }
    invoke("tenant_create", &Args { form }).await
}

/// Renames, moves or suspends/resumes a tenant.
pub async fn tenant_update(id: String, change: UpdateTenant) -> Result<TenantOut, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
        change: UpdateTenant,
    }
    invoke("tenant_update", &Args { id, change }).await
}

/// Roles the user can see and grant: the built-in ones and custom roles of their subtree.
pub async fn roles_list() -> Result<Vec<RoleOut>, ApiError> {
    invoke("roles_list", &NoArgs {}).await
}

/// Defines a custom role (with no permission beyond the user's own).
pub async fn role_create(form: CreateRole) -> Result<RoleOut, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: CreateRole,
    }
    invoke("role_create", &Args { form }).await
}

/// Users of the subtree and the role each holds.
pub async fn users_list() -> Result<Vec<UserOut>, ApiError> {
    invoke("users_list", &NoArgs {}).await
}

/// Creates a user in a tenant of the subtree.
pub async fn user_create(form: RegisterRequest) -> Result<UserOut, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: RegisterRequest,
    }
    invoke("user_create", &Args { form }).await
}

/// Gives a user another role.
pub async fn user_set_role(id: String, role_id: String) -> Result<UserOut, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        id: String,
        role_id: String,
    }
    invoke("user_set_role", &Args { id, role_id }).await
}

/// The audit log of the subtree, newest first; `before_id` pages back.
pub async fn audit_list(before_id: Option<i64>) -> Result<Vec<AuditOut>, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        before_id: Option<i64>,
    }
    invoke("audit_list", &Args { before_id }).await
}

// ---- Seller profile and white-label brand (central server profiles) ------------------------

/// The seller profile of the tenant acted as; `None` while it has none.
pub async fn seller_profile() -> Result<Option<SellerProfileOut>, ApiError> {
    invoke("seller_profile", &NoArgs {}).await
}

/// Sets the seller profile of the tenant acted as.
pub async fn seller_profile_save(form: SellerProfileIn) -> Result<SellerProfileOut, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: SellerProfileIn,
    }
    invoke("seller_profile_save", &Args { form }).await
}

/// The logo (PNG, base64) of the white-label brand the console shows, if it has one.
pub async fn brand_logo() -> Result<Option<String>, ApiError> {
    invoke("brand_logo", &NoArgs {}).await
}

// ---- Invoices (central server profiles; read from the offline cache) ------------------------

/// The cached invoices and notes of the active profile, newest first.
pub async fn invoice_list() -> Result<InvoiceList, ApiError> {
    invoke("invoice_list", &NoArgs {}).await
}

/// One cached document in full (every printed particular, branding, e-invoice state, notes).
pub async fn invoice_get(number: String) -> Result<InvoiceDetail, ApiError> {
    #[derive(Serialize)]
    struct Args {
        number: String,
    }
    invoke("invoice_get", &Args { number }).await
}

/// Renders the document's PDF on this computer (no network needed) into the invoices folder.
pub async fn invoice_save_pdf(number: String, copy: InvoiceCopy) -> Result<SavedPdf, ApiError> {
    #[derive(Serialize)]
    struct Args {
        number: String,
        copy: InvoiceCopy,
    }
    invoke("invoice_save_pdf", &Args { number, copy }).await
}

/// Renders the PDF like `invoice_save_pdf`, then opens it in the system's PDF viewer to print.
pub async fn invoice_print(number: String, copy: InvoiceCopy) -> Result<SavedPdf, ApiError> {
    #[derive(Serialize)]
    struct Args {
        number: String,
        copy: InvoiceCopy,
    }
    invoke("invoice_print", &Args { number, copy }).await
}
