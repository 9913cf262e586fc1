//! `akashone login --profile NAME` and `akashone logout --profile NAME`: the sign-in of a
//! central server profile, as the desktop app does it (password, then the TOTP code or a
//! recovery code when 2FA is on). The session token goes to the app's vault, where the app finds
//! it too; the password is never kept.
//!
//! The password is asked on the terminal without echo, or read from the first line of standard
//! input when it is not a terminal. The code comes from `--code` (or `--recovery-code`), else it
//! is asked, else read from the next line of standard input.

use crate::output::{self, Format};
use crate::prompt;
use crate::target::{self, is_central};
use crate::{CliError, Context};
use akashone_types::{ProfileKind, SignInStep};
use serde_json::json;

/// Arguments of `login`.
#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The 6-digit code of the authenticator app, when 2FA is on.
    #[arg(long, value_name = "CODE", conflicts_with = "recovery_code")]
    pub code: Option<String>,
    /// An unused recovery code instead of the authenticator's code.
    #[arg(long, value_name = "CODE")]
    pub recovery_code: Option<String>,
}

fn central_profile(ctx: &Context) -> Result<(target::App, akashone_types::Profile), CliError> {
    if ctx.offline {
        return Err(CliError::Usage(
            "signing in needs the server; drop --offline".into(),
        ));
    }
    if ctx.profile.is_none() {
        return Err(CliError::Usage(
            "name the central server profile: akashone login --profile NAME".into(),
        ));
    }
    let (app, profile) = target::saved(ctx)?;
    if !is_central(&profile) {
        return Err(CliError::Usage(format!(
            "{:?} is a {} profile: only central server profiles sign in (direct profiles use their API key)",
            profile.name,
            target::kind_name(&profile.kind)
        )));
    }
    Ok((app, profile))
}

/// Runs `login`.
pub async fn login(ctx: &Context, args: LoginArgs) -> Result<(), CliError> {
    let (app, profile) = central_profile(ctx)?;
    let ProfileKind::Central { url, username } = &profile.kind else {
        return Err(CliError::Usage("not a central server profile".into()));
    };
    let password = if prompt::interactive() {
        prompt::ask(&format!("Password for {username} at {url}: "), false)?
    } else {
        prompt::read_line()?
    }
    .filter(|p| !p.is_empty())
    .ok_or_else(|| {
        CliError::Usage("no password given (type it, or pipe it on standard input)".into())
    })?;
    let step = app
        .console
        .central_sign_in(&profile.id, &password)
        .await
        .map_err(auth_error)?;
    let step = match step {
        SignInStep::SignedIn { .. } => step,
        SignInStep::TwoFactorRequired => {
            let (code, recovery) = match (args.code, args.recovery_code) {
                (None, None) => {
                    let typed = if prompt::interactive() {
                        prompt::ask(
                            "Code from your authenticator app (or a recovery code): ",
                            true,
                        )?
                    } else {
                        prompt::read_line()?
                    };
                    let typed = typed.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
                    let Some(typed) = typed else {
                        return Err(CliError::Usage(
                            "two-factor authentication is on: pass --code CODE (or --recovery-code)"
                                .into(),
                        ));
                    };
                    if typed
                        .chars()
                        .all(|c| c.is_ascii_digit() || c.is_whitespace())
                    {
                        (Some(typed), None)
                    } else {
                        (None, Some(typed))
                    }
                }
                given => given,
            };
            app.console
                .central_verify_2fa(code.as_deref(), recovery.as_deref())
                .await
                .map_err(auth_error)?
        }
    };
    let SignInStep::SignedIn { user } = step else {
        return Err(CliError::Auth("the server asked for another step".into()));
    };
    let st = app.console.status();
    let v = json!({
        "profile": profile.name,
        "user": user.username,
        "tenant": user.tenant_name,
        "two_factor": user.two_factor_enabled,
        "last_synced": st.last_synced,
    });
    eprintln!("signed in to {:?} as {}", profile.name, user.username);
    ctx.print(&output::render_object(&v, ctx.format_or(Format::Table)));
    Ok(())
}

/// A refused sign-in exits as an authentication failure, however the app classes it (a code of
/// the wrong shape is the user's input, not the server's refusal: it stays a usage error).
fn auth_error(e: akashone_app::AppError) -> CliError {
    use akashone_app::AppError;
    use akashone_types::ErrorCode;
    match e {
        AppError::Invalid(m) => CliError::Usage(m),
        AppError::Central(c)
            if matches!(
                c.code(),
                ErrorCode::Unauthorized
                    | ErrorCode::Forbidden
                    | ErrorCode::Locked
                    | ErrorCode::InvalidInput
            ) =>
        {
            CliError::Auth(format!("sign-in refused: {c}"))
        }
        other => CliError::App(other),
    }
}

/// Runs `logout`.
pub async fn logout(ctx: &Context) -> Result<(), CliError> {
    let (app, profile) = central_profile(ctx)?;
    app.console.activate_profile(&profile.id).await?;
    app.console.central_sign_out().await?;
    eprintln!("signed out of {:?}", profile.name);
    Ok(())
}
