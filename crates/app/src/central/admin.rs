//! The signed-in user's own account (2FA, password) and the administration of the subtree
//! (tenants, roles, users, audit), each a call to the server with the session's token.

use akashone_types::ConnectionStatus;
use akashone_types::central::{
    AuditOut, ChangePasswordRequest, CreateRole, CreateTenant, DisableRequest, EnableOut,
    MIN_PASSWORD_CHARS, Me, RegisterRequest, RoleOut, SetupOut, TenantOut, UpdateTenant, UserOut,
};

use crate::console::Console;
use crate::error::{AppError, Result};

impl Console {
    // ---- The user's own account --------------------------------------------------------------

    /// The user's own recent failed sign-ins, password and code checks and lockouts.
    pub async fn own_sign_in_failures(&self) -> Result<Vec<AuditOut>> {
        self.with_central(|c, _| async move { c.own_failures().await })
            .await
    }

    /// Starts 2FA set-up.
    pub async fn twofa_setup(&self) -> Result<SetupOut> {
        self.with_central(|c, _| async move { c.twofa_setup().await })
            .await
    }

    /// Turns 2FA on; the recovery codes are returned once.
    pub async fn twofa_enable(&self, code: &str) -> Result<EnableOut> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::Invalid("The code has 6 digits.".into()));
        }
        let out = self
            .with_central(|c, _| async move { c.twofa_enable(&code).await })
            .await?;
        self.refresh_status().await;
        Ok(out)
    }

    /// Turns 2FA off.
    pub async fn twofa_disable(&self, password: &str, code: &str) -> Result<Me> {
        if password.is_empty() || code.trim().is_empty() {
            return Err(AppError::Invalid(
                "Enter your password and a current or recovery code.".into(),
            ));
        }
        let request = DisableRequest {
            password: password.to_owned(),
            code: code.trim().to_owned(),
        };
        self.with_central(|c, _| async move { c.twofa_disable(&request).await })
            .await?;
        self.refresh_status().await;
        let (_, central) = self.central_session()?;
        central.user().ok_or(AppError::SignedOut)
    }

    /// Changes the password. The server ends every session and hands out a new one, which
    /// replaces this profile's token; other devices must sign in again.
    pub async fn change_password(&self, current: &str, new: &str) -> Result<ConnectionStatus> {
        if current.is_empty() {
            return Err(AppError::Invalid("Enter your current password.".into()));
        }
        if new.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AppError::Invalid(format!(
                "The new password must have at least {MIN_PASSWORD_CHARS} characters."
            )));
        }
        if new == current {
            return Err(AppError::Invalid(
                "The new password must differ from the current one.".into(),
            ));
        }
        let request = ChangePasswordRequest {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
        };
        let (_, central) = self.central_session()?;
        let s = self
            .with_central(|c, _| async move { c.change_password(&request).await })
            .await?;
        central.start_session(&s, false)?;
        Ok(self.status())
    }

    async fn refresh_status(&self) {
        if let Ok((session, central)) = self.central_session() {
            if let Err(e) = central.refresh_user().await {
                self.note(&session, Err(&e.into()));
            }
            self.events.connection(&self.status());
        }
    }

    // ---- Administration ---------------------------------------------------------------------

    /// The tenant tree under the user's tenant.
    pub async fn tenants_list(&self) -> Result<Vec<TenantOut>> {
        self.with_central(|c, _| async move { c.tenants(None).await })
            .await
    }

    /// Creates a tenant.
    pub async fn tenant_create(&self, form: &CreateTenant) -> Result<TenantOut> {
        if form.name.trim().is_empty() {
            return Err(AppError::Invalid("Enter the tenant's name.".into()));
        }
        let form = form.clone();
        self.with_central(|c, _| async move { c.create_tenant(&form).await })
            .await
    }

    /// Renames, moves, suspends or resumes a tenant.
    pub async fn tenant_update(&self, id: &str, change: &UpdateTenant) -> Result<TenantOut> {
        if change.name.is_none() && change.parent_id.is_none() && change.suspended.is_none() {
            return Err(AppError::Invalid("Nothing to change.".into()));
        }
        let (id, change) = (id.to_owned(), change.clone());
        let out = self
            .with_central(|c, _| async move { c.update_tenant(&id, &change).await })
            .await?;
        if let Ok((_, central)) = self.central_session() {
            central.renamed(&out.id, &out.name);
        }
        Ok(out)
    }

    /// Roles usable in the user's tenant.
    pub async fn roles_list(&self) -> Result<Vec<RoleOut>> {
        self.with_central(|c, _| async move { c.roles(None).await })
            .await
    }

    /// Defines a custom role.
    pub async fn role_create(&self, form: &CreateRole) -> Result<RoleOut> {
        if form.name.trim().is_empty() {
            return Err(AppError::Invalid("Enter the role's name.".into()));
        }
        let form = form.clone();
        self.with_central(|c, _| async move { c.create_role(&form).await })
            .await
    }

    /// Users of the subtree.
    pub async fn users_list(&self) -> Result<Vec<UserOut>> {
        self.with_central(|c, _| async move { c.users(None).await })
            .await
    }

    /// Creates a user.
    pub async fn user_create(&self, form: &RegisterRequest) -> Result<UserOut> {
        if form.username.trim().is_empty() || form.role_id.trim().is_empty() {
            return Err(AppError::Invalid(
                "Enter a user name and choose a role.".into(),
            ));
        }
        if form.password.chars().count() < 12 {
            return Err(AppError::Invalid(
                "The password must have at least 12 characters.".into(),
            ));
        }
        let form = form.clone();
        self.with_central(|c, _| async move { c.create_user(&form).await })
            .await
    }

    /// Gives a user another role.
    pub async fn user_set_role(&self, id: &str, role_id: &str) -> Result<UserOut> {
        if role_id.trim().is_empty() {
            return Err(AppError::Invalid("Choose a role.".into()));
        }
        let (id, role) = (id.to_owned(), role_id.trim().to_owned());
        self.with_central(|c, _| async move { c.set_user_role(&id, &role).await })
            .await
    }

    /// The audit log, newest first, 100 rows a page.
    pub async fn audit_list(&self, before_id: Option<i64>) -> Result<Vec<AuditOut>> {
        self.with_central(|c, _| async move { c.audit(100, before_id).await })
            .await
    }
}
